use super::rich::Rich;
use crate::state::Action;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<String>,
    pub on_action: Callback<Action>,
}

/// Problems outside the engine (a file that cannot be read, a refused clipboard), each dismissable.
#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    if props.notices.is_empty() {
        return html! {};
    }
    html! {
        <ul class="notices" role="alert">
            { for props.notices.iter().enumerate().map(|(i, text)| html! {
                <li class="notice">
                    <span><Rich text={text.clone()} /></span>
                    <button type="button" class="link" aria-label="dismiss this message"
                        onclick={props.on_action.reform(move |_| Action::DismissNotice(i))}>{ "Dismiss" }</button>
                </li>
            }) }
        </ul>
    }
}
