use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RichProps {
    pub text: AttrValue,
}

/// Text with the engine's `backtick` spans shown as code. Everything is a text node: user values in a
/// message can never become markup.
#[function_component(Rich)]
pub fn rich(props: &RichProps) -> Html {
    let parts = props.text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            html! { { part.to_string() } }
        }
    });
    html! { <>{ for parts }</> }
}
