use crate::browser;
use crate::state::Review;
use clearance_core::api::{self, Answer};
use clearance_core::report::{Format, RenderOptions, Report};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportPanelProps {
    pub review: Rc<Review>,
    /// A problem to show (download or clipboard refused).
    pub on_notice: Callback<String>,
}

fn file_name(f: Format) -> (&'static str, &'static str) {
    match f {
        Format::Json => ("clearance-report.json", "application/json"),
        Format::Sarif => ("clearance-report.sarif", "application/sarif+json"),
        Format::Junit => ("clearance-report.junit.xml", "application/xml"),
        Format::Markdown => ("clearance-report.md", "text/markdown"),
        Format::Text => ("clearance-report.txt", "text/plain"),
    }
}

fn label(f: Format) -> &'static str {
    match f {
        Format::Json => "JSON",
        Format::Sarif => "SARIF",
        Format::Junit => "JUnit",
        Format::Markdown => "Markdown",
        Format::Text => "Text",
    }
}

/// The report in every format, rendered by the engine (`api::render`: the CLI's bytes), to download or
/// copy.
#[function_component(ExportPanel)]
pub fn export_panel(props: &ExportPanelProps) -> Html {
    let copied = use_state(|| None::<Format>);
    let render = |report: &Report, f: Format| match api::render(
        report,
        f.name(),
        RenderOptions::default(),
    ) {
        Answer::Success { value } => Ok(value.output),
        Answer::Failure { errors } => Err(errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; ")),
    };
    let formats = [
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Markdown,
        Format::Text,
    ];
    html! {
        <section class="export" aria-labelledby="export-title">
            <h3 id="export-title">{ "Export" }</h3>
            <p class="hint">{ "Byte for byte what " }<code>{ "clearance check --format FORMAT" }</code>{ " prints for the same inputs and date." }</p>
            <ul class="export-list">
                { for formats.iter().map(|&f| {
                    let (name, mime) = file_name(f);
                    let on_download = {
                        let review = props.review.clone();
                        let on_notice = props.on_notice.clone();
                        Callback::from(move |_: MouseEvent| {
                            let result = render(&review.output.report, f).and_then(|text| browser::download(name, mime, &text));
                            if let Err(e) = result {
                                on_notice.emit(format!("cannot download `{name}`: {e}"));
                            }
                        })
                    };
                    let on_copy = {
                        let review = props.review.clone();
                        let on_notice = props.on_notice.clone();
                        let copied = copied.clone();
                        Callback::from(move |_: MouseEvent| {
                            match render(&review.output.report, f) {
                                Err(e) => on_notice.emit(format!("cannot render the report: {e}")),
                                Ok(text) => {
                                    let on_notice = on_notice.clone();
                                    let copied = copied.clone();
                                    yew::platform::spawn_local(async move {
                                        match browser::copy(text).await {
                                            Ok(()) => copied.set(Some(f)),
                                            Err(e) => on_notice.emit(e),
                                        }
                                    });
                                }
                            }
                        })
                    };
                    html! {
                        <li class="export-item">
                            <span class="format">{ label(f) }</span>
                            <button type="button" id={format!("download-{}", f.name())} onclick={on_download}
                                aria-label={format!("download the report as {} ({name})", label(f))}>{ "Download" }</button>
                            <button type="button" class="secondary" id={format!("copy-{}", f.name())} onclick={on_copy}
                                aria-label={format!("copy the report as {} to the clipboard", label(f))}>{ "Copy" }</button>
                            if *copied == Some(f) { <span class="copied" role="status">{ "copied" }</span> }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
