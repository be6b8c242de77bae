use super::rich::Rich;
use clearance_core::Diagnostic;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub errors: Vec<Diagnostic>,
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// Errors as the engine words them: location (file:line:column, pointer), message, help.
#[function_component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    if props.errors.is_empty() {
        return html! {};
    }
    html! {
        <ul class="diagnostics" aria-label={props.label.clone().unwrap_or_else(|| "errors".into())}>
            { for props.errors.iter().map(|d| {
                let loc = d.location.to_string();
                html! {
                    <li class="diagnostic">
                        if !loc.is_empty() { <span class="location">{ loc }</span>{ ": " } }
                        <span class="message"><Rich text={d.message.clone()} /></span>
                        <span class="code">{ format!(" [{}]", d.code) }</span>
                        if let Some(help) = &d.help {
                            <div class="help">{ "help: " }<Rich text={help.clone()} /></div>
                        }
                    </li>
                }
            }) }
        </ul>
    }
}
