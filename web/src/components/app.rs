use super::dump_list::DumpList;
use super::embed_view::EmbedView;
use super::header::Header;
use super::notices::Notices;
use super::pack_picker::PackPicker;
use super::report_view::ReportView;
use super::text_file_editor::TextFileEditor;
use crate::browser::{self, ReadResult, Readers};
use crate::embed;
use crate::state::{self, Action, AppState, FileRole, NewDump, Origin};
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Where the text of a chosen or dropped file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Dumps,
    Policy,
    Waivers,
    /// Dropped anywhere: decided by name and content.
    Auto,
}

fn on_read(target: Target, on_action: Callback<Action>) -> Callback<ReadResult> {
    Callback::from(move |result: ReadResult| {
        let action = match result {
            Err(e) => Action::Notice(e),
            Ok((name, text)) => {
                let role = match target {
                    Target::Dumps => FileRole::Dump,
                    Target::Policy => FileRole::Policy,
                    Target::Waivers => FileRole::Waivers,
                    Target::Auto => state::classify(&name, &text),
                };
                match role {
                    FileRole::Dump => Action::AddDumps(vec![NewDump {
                        name,
                        text,
                        origin: Origin::File,
                    }]),
                    FileRole::Policy => Action::SetPolicy { name, text },
                    FileRole::Waivers => Action::SetWaivers { name, text },
                }
            }
        };
        on_action.emit(action);
    })
}

/// The viewer: inputs on one side, the report on the other; files can be dropped anywhere. In embed
/// mode (`?embed=1`) only the report, driven by `postMessage`.
#[function_component(App)]
pub fn app() -> Html {
    let embedded = *use_memo((), |_| browser::query_flag("embed"));
    let framed = *use_memo((), |_| browser::is_framed());
    let allowed = use_memo((), |_| {
        let config = browser::meta("clearance-embed-origins").unwrap_or_else(|| "'self'".into());
        embed::allowed_origins(&config, &browser::own_origin())
    });
    let state = use_reducer(AppState::new);
    let dragging = use_state(|| false);
    let readers = use_mut_ref(Readers::default);
    let on_action: Callback<Action> = {
        let state = state.clone();
        Callback::from(move |a| state.dispatch(a))
    };

    // On load: today's date, and a review remembered on this device (never in embed mode).
    {
        let on_action = on_action.clone();
        use_effect_with((), move |_| {
            on_action.emit(Action::SetToday(browser::today_utc()));
            if !embedded {
                match browser::load_saved() {
                    Ok(Some(saved)) => on_action.emit(Action::Restore(saved)),
                    Ok(None) => {}
                    Err(e) => on_action.emit(Action::Notice(e)),
                }
            }
        });
    }

    // Remember the review while the reviewer wants it remembered.
    {
        let on_action = on_action.clone();
        let saved = (state.remember && !embedded).then(|| state.saved());
        use_effect_with(saved, move |saved| {
            if let Some(saved) = saved {
                if let Err(e) = browser::store(saved) {
                    on_action.emit(Action::Notice(e));
                    on_action.emit(Action::SetRemember(false));
                }
            }
        });
    }

    // Embed mode: answer `clearance:check` messages from the parent page, if its origin is allowed.
    {
        let on_action = on_action.clone();
        let allowed = allowed.clone();
        use_effect_with(embedded, move |&embedded| {
            let listener = (embedded && framed).then(|| {
                for origin in allowed.iter() {
                    // Delivered only when the parent has this origin.
                    let _ = browser::post_to_parent(&embed::ready_json(), origin);
                }
                let window = gloo::utils::window();
                EventListener::new(&window, "message", move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                        return;
                    };
                    // Messages from any other window or origin are ignored, unanswered.
                    if !browser::from_parent(event) || !embed::is_allowed(&event.origin(), &allowed)
                    {
                        return;
                    }
                    let Some(data) = browser::message_json(event) else {
                        return;
                    };
                    if embed::is_hello(&data) {
                        let _ = browser::reply(event, &embed::ready_json());
                        return;
                    }
                    let sent = match embed::parse(&data) {
                        Ok(None) => return,
                        Err((id, error)) => browser::reply(event, &embed::error_json(&id, error)),
                        Ok(Some(mut host)) => {
                            if host.request.today.is_none() {
                                host.request.today = browser::today_utc();
                            }
                            let (_, json) = embed::answer(&host);
                            let sent = browser::reply(event, &json);
                            on_action.emit(Action::LoadRequest(Box::new(host.request)));
                            sent
                        }
                    };
                    if let Err(e) = sent {
                        on_action.emit(Action::Notice(format!("cannot answer the host page: {e}")));
                    }
                })
            });
            move || drop(listener)
        });
    }

    if embedded {
        let refused = match (framed, browser::parent_origin()) {
            (true, Some(origin)) if !embed::is_allowed(&origin, &allowed) => Some(origin),
            _ => None,
        };
        return html! { <EmbedView state={state.clone()} on_action={on_action} {refused} /> };
    }
    if framed {
        // Not in embed mode inside a frame: refuse, so the page cannot be used for clickjacking.
        return html! {
            <p class="refused" role="alert">{ "Open the clearance viewer in its own tab; to embed it, use " }<code>{ "?embed=1" }</code>{ " (see docs/embed.md)." }</p>
        };
    }

    let read = |target: Target| {
        let readers = readers.clone();
        let done = on_read(target, on_action.clone());
        Callback::from(move |files: Vec<web_sys::File>| {
            browser::read_files(&readers, files, done.clone())
        })
    };
    let on_drop_files = read(Target::Auto);
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Leaving the window, not moving between children.
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let files = browser::files_of(e.data_transfer().and_then(|d| d.files()));
            if !files.is_empty() {
                on_drop_files.emit(files);
            }
        })
    };
    let on_remember = {
        let on_action = on_action.clone();
        Callback::from(move |on: bool| {
            if !on {
                if let Err(e) = browser::forget() {
                    on_action.emit(Action::Notice(e));
                }
            }
            on_action.emit(Action::SetRemember(on));
        })
    };
    let on_forget = {
        let on_action = on_action.clone();
        Callback::from(move |()| {
            match browser::forget() {
                Ok(()) => on_action.emit(Action::Notice(
                    "Forgotten: nothing of this review is stored on this device.".into(),
                )),
                Err(e) => on_action.emit(Action::Notice(e)),
            }
            on_action.emit(Action::Forget);
        })
    };
    let text_change = |set: fn(String, String) -> Action, remove: Action| {
        on_action.reform(move |(name, text): (String, String)| {
            if text.trim().is_empty() {
                remove.clone()
            } else {
                set(name, text)
            }
        })
    };
    let on_today = on_action.reform(|e: Event| {
        let v = e
            .target_dyn_into::<HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default();
        Action::SetToday((!v.is_empty()).then_some(v))
    });

    html! {
        <div class={classes!("app", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            <a class="skip" href="#report">{ "Skip to the report" }</a>
            <Header remember={state.remember} {on_remember} {on_forget} />
            <Notices notices={state.notices.clone()} on_action={on_action.clone()} />
            if *dragging {
                <div class="drop-overlay" aria-hidden="true">{ "Drop dumps, a policy or a waivers file" }</div>
            }
            <main class="layout">
                <div class="inputs">
                    <DumpList dumps={state.dumps.clone()} on_action={on_action.clone()} on_files={read(Target::Dumps)} />
                    <PackPicker builtins={state.builtins.clone()} selected={state.packs.clone()}
                        example={state.example.clone()} on_action={on_action.clone()} />
                    <TextFileEditor id="policy" title="Your own policy (optional)" default_name="policy.yaml"
                        hint="YAML or JSON in the policy language (docs/policy-language.md); checked as you type."
                        file={state.policy.clone()}
                        on_change={text_change(|name, text| Action::SetPolicy { name, text }, Action::RemovePolicy)}
                        on_remove={on_action.reform(|()| Action::RemovePolicy)} on_files={read(Target::Policy)} />
                    <TextFileEditor id="waivers" title="Waivers (optional)" default_name="waivers.yaml"
                        hint="Accepted exceptions: requirement id, reason, approver, expiry date."
                        file={state.waivers.clone()}
                        on_change={text_change(|name, text| Action::SetWaivers { name, text }, Action::RemoveWaivers)}
                        on_remove={on_action.reform(|()| Action::RemoveWaivers)} on_files={read(Target::Waivers)} />
                    <div class="panel today">
                        <label class="inline">{ "Judge waiver expiry on " }
                            <input type="date" id="today" value={state.today.clone().unwrap_or_default()} onchange={on_today} />
                        </label>
                    </div>
                </div>
                <ReportView state={state.clone()} on_action={on_action.clone()} />
            </main>
            <footer class="page-footer">
                <p>{ format!("clearance {} · runs entirely in this page: no request is ever made; dumps stay on this device.", env!("CARGO_PKG_VERSION")) }</p>
            </footer>
        </div>
    }
}
