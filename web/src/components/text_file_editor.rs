use super::diagnostics::Diagnostics;
use super::file_picker::FilePicker;
use super::rich::Rich;
use crate::state::TextFile;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TextFileEditorProps {
    /// `policy` or `waivers`: used in ids.
    pub id: AttrValue,
    pub title: AttrValue,
    pub hint: AttrValue,
    pub default_name: AttrValue,
    pub file: Option<TextFile>,
    /// (name, text) on every edit.
    pub on_change: Callback<(String, String)>,
    pub on_remove: Callback<()>,
    pub on_files: Callback<Vec<web_sys::File>>,
}

/// A policy or waivers file: paste or upload, validated live (errors with line and column).
#[function_component(TextFileEditor)]
pub fn text_file_editor(props: &TextFileEditorProps) -> Html {
    let id = props.id.clone();
    let name = props
        .file
        .as_ref()
        .map_or_else(|| props.default_name.to_string(), |f| f.name.clone());
    let oninput = {
        let on_change = props.on_change.clone();
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_change.emit((name.clone(), t.value()));
            }
        })
    };
    let on_rename = {
        let on_change = props.on_change.clone();
        let text = props
            .file
            .as_ref()
            .map(|f| f.text.clone())
            .unwrap_or_default();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                on_change.emit((i.value(), text.clone()));
            }
        })
    };
    let status = match props.file.as_ref().map(|f| &f.validation) {
        None => html! {},
        Some(Ok(summary)) => {
            html! { <p class="valid" role="status">{ "✓ valid: " }<Rich text={summary.clone()} /></p> }
        }
        Some(Err(errors)) => html! {
            <div class="invalid" role="status">
                <p>{ format!("✗ {} problem{}", errors.len(), if errors.len() == 1 { "" } else { "s" }) }</p>
                <Diagnostics errors={errors.clone()} label={format!("problems in the {}", props.id)} />
            </div>
        },
    };
    html! {
        <section class={classes!("panel", "text-file", id.to_string())} aria-labelledby={format!("{id}-title")}>
            <h3 id={format!("{id}-title")}>{ props.title.clone() }</h3>
            <p class="hint">{ props.hint.clone() }</p>
            <div class="actions">
                <FilePicker id={format!("{id}-file")} label="Choose a file" multiple={false}
                    accept=".yaml,.yml,.json,text/yaml,application/json" on_files={props.on_files.clone()} />
                if props.file.is_some() {
                    <label class="inline">{ "Name " }
                        <input type="text" id={format!("{id}-name")} value={name.clone()} onchange={on_rename} />
                    </label>
                    <button type="button" class="secondary" onclick={props.on_remove.reform(|_| ())}>{ "Remove" }</button>
                }
            </div>
            <textarea id={format!("{id}-text")} class="code" rows="8" spellcheck="false"
                aria-label={props.title.clone()}
                placeholder={format!("paste {} YAML or JSON here", props.id)}
                value={props.file.as_ref().map(|f| f.text.clone()).unwrap_or_default()} {oninput} />
            { status }
        </section>
    }
}
