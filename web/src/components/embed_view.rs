use super::notices::Notices;
use super::report_view::ReportView;
use crate::state::{Action, AppState};

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmbedViewProps {
    pub state: UseReducerHandle<AppState>,
    pub on_action: Callback<Action>,
    /// Set when the framing page's origin is not allowed: the viewer shows why and listens to nothing.
    #[prop_or_default]
    pub refused: Option<String>,
}

/// Embed mode (`?embed=1`): the report only, driven by the host page's `postMessage` requests.
#[function_component(EmbedView)]
pub fn embed_view(props: &EmbedViewProps) -> Html {
    html! {
        <div class="app embedded">
            if let Some(origin) = &props.refused {
                <p class="refused" role="alert">
                    { "This viewer may not be embedded by " }<code>{ origin.clone() }</code>
                    { ": the origin is not in its list of allowed origins (see docs/embed.md)." }
                </p>
            } else {
                <Notices notices={props.state.notices.clone()} on_action={props.on_action.clone()} />
                <ReportView state={props.state.clone()} on_action={props.on_action.clone()} embedded=true />
            }
        </div>
    }
}
