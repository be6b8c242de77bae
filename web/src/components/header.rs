use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub remember: bool,
    pub on_remember: Callback<bool>,
    pub on_forget: Callback<()>,
}

/// The page title and the opt-in "remember this review on this device" switch with its Forget button.
#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let on_remember = props.on_remember.clone();
    let onchange = Callback::from(move |e: Event| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            on_remember.emit(input.checked());
        }
    });
    html! {
        <header class="page-header">
            <div class="brand">
                <h1>{ "clearance" }<span class="sub">{ " report viewer" }</span></h1>
                <p class="tagline">{ "Check an image's dumps against a container contract. Everything runs in this page: nothing is sent anywhere." }</p>
            </div>
            <div class="privacy">
                <label class="switch">
                    <input type="checkbox" id="remember" checked={props.remember} {onchange} />
                    { " Remember this review on this device" }
                </label>
                <button type="button" id="forget" class="secondary"
                    onclick={props.on_forget.reform(|_| ())}
                    title="delete the review stored in this browser's local storage">{ "Forget" }</button>
                <p class="hint" aria-live="polite">{
                    if props.remember { "Stored in this browser's local storage until you press Forget." }
                    else { "Nothing is stored: closing the page forgets the review." }
                }</p>
            </div>
        </header>
    }
}
