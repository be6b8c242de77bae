use crate::browser;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    /// The visible label, also the accessible name.
    pub label: AttrValue,
    pub id: AttrValue,
    #[prop_or(true)]
    pub multiple: bool,
    #[prop_or_default]
    pub accept: Option<AttrValue>,
    pub on_files: Callback<Vec<web_sys::File>>,
}

/// A native file input (keyboard reachable, Enter/Space open the chooser) with a label.
#[function_component(FilePicker)]
pub fn file_picker(props: &FilePickerProps) -> Html {
    let on_files = props.on_files.clone();
    let onchange = Callback::from(move |e: Event| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            let files = browser::files_of(input.files());
            // Let the same file be chosen again later.
            input.set_value("");
            if !files.is_empty() {
                on_files.emit(files);
            }
        }
    });
    html! {
        <span class="file-picker">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input id={props.id.clone()} type="file" multiple={props.multiple}
                accept={props.accept.clone()} {onchange} />
        </span>
    }
}
