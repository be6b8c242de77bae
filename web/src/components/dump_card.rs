use super::diagnostics::Diagnostics;
use crate::state::{Action, Detection, DumpEntry, Origin};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DumpCardProps {
    pub entry: DumpEntry,
    pub on_action: Callback<Action>,
}

/// One input: its name, what it was recognised as (or its errors with line and column), its text.
#[function_component(DumpCard)]
pub fn dump_card(props: &DumpCardProps) -> Html {
    let entry = &props.entry;
    let id = entry.id;
    let area_id = format!("dump-text-{id}");
    let oninput = props.on_action.reform(move |e: InputEvent| {
        let text = e
            .target_dyn_into::<HtmlTextAreaElement>()
            .map(|t| t.value())
            .unwrap_or_default();
        Action::EditDump { id, text }
    });
    let origin = match entry.origin {
        Origin::Pasted => "pasted",
        Origin::File => "file",
        Origin::Example => "example",
        Origin::Embedded => "from the host page",
    };
    let (status_class, status) = match &entry.detection {
        Detection::Empty => ("empty", html! { <span>{ "Paste a dump here." }</span> }),
        Detection::Recognised(s) => (
            "ok",
            html! {
                <span>
                    { "Recognised as " }<strong class="kind">{ s.kind_label }</strong>
                    if let Some(label) = &s.label { { " — " }<code class="image-label">{ label.clone() }</code> }
                    { format!(" ({} entr{})", s.entries, if s.entries == 1 { "y" } else { "ies" }) }
                    { for s.notes.iter().map(|n| html! { <span class="note">{ format!(" · {n}") }</span> }) }
                </span>
            },
        ),
        Detection::Invalid(errors) => (
            "bad",
            html! { <Diagnostics errors={errors.clone()} label="problems in this input" /> },
        ),
    };
    let text = entry.text();
    let editor = html! {
        <textarea id={area_id.clone()} class="code" rows="8" spellcheck="false"
            aria-label={format!("text of {}", entry.name())} value={text.clone()} {oninput} />
    };
    html! {
        <li class={classes!("dump-card", status_class)} data-name={entry.name().to_string()}>
            <div class="dump-head">
                <span class="dump-name">{ entry.name().to_string() }</span>
                <span class="origin">{ format!(" ({origin})") }</span>
                <button type="button" class="link remove" aria-label={format!("remove {}", entry.name())}
                    onclick={props.on_action.reform(move |_| Action::RemoveDump(id))}>{ "Remove" }</button>
            </div>
            <div class={classes!("detection", status_class)} aria-live="polite">{ status }</div>
            if entry.origin == Origin::Pasted { { editor } }
            else {
                <details class="dump-text">
                    <summary>{ format!("Show text ({} lines)", text.lines().count()) }</summary>
                    { editor }
                </details>
            }
        </li>
    }
}
