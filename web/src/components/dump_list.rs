use super::dump_card::DumpCard;
use super::file_picker::FilePicker;
use crate::state::{Action, DumpEntry};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DumpListProps {
    pub dumps: Vec<DumpEntry>,
    pub on_action: Callback<Action>,
    pub on_files: Callback<Vec<web_sys::File>>,
}

/// The dumps given so far, with ways to add more: paste, choose files (several at once), or drop
/// files anywhere on the page.
#[function_component(DumpList)]
pub fn dump_list(props: &DumpListProps) -> Html {
    html! {
        <section class="panel dumps" aria-labelledby="dumps-title">
            <h2 id="dumps-title">{ "1. Dumps" }</h2>
            <p class="hint">
                { "The output of " }<code>{ "docker image inspect IMAGE" }</code>{ " and " }
                <code>{ "docker history --no-trunc --format '{{json .}}' IMAGE" }</code>
                { " (or podman's, or an OCI image config; optionally " }<code>{ "docker container inspect" }</code>
                { "). Paste, choose files, or drop them anywhere on this page." }
            </p>
            <div class="actions">
                <button type="button" id="add-paste" onclick={props.on_action.reform(|_| Action::AddPasteBox)}>{ "Paste a dump" }</button>
                <FilePicker id="dump-files" label="Choose dump files" on_files={props.on_files.clone()}
                    accept=".json,.jsonl,.ndjson,.txt,application/json" />
                if !props.dumps.is_empty() {
                    <button type="button" class="secondary" onclick={props.on_action.reform(|_| Action::ClearDumps)}>{ "Remove all" }</button>
                }
            </div>
            <ul class="dump-list" aria-label="dumps">
                { for props.dumps.iter().map(|d| html! {
                    <DumpCard key={d.id} entry={d.clone()} on_action={props.on_action.clone()} />
                }) }
            </ul>
        </section>
    }
}
