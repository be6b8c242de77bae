use super::counts::CountsView;
use super::diagnostics::Diagnostics;
use super::export_panel::ExportPanel;
use super::filter_bar::FilterBar;
use super::subject_view::SubjectView;
use super::verdict_banner::VerdictBanner;
use crate::excerpt;
use crate::state::{Action, AppState, Outcome};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub state: UseReducerHandle<AppState>,
    pub on_action: Callback<Action>,
    /// Embedded: no hints about the input panel.
    #[prop_or_default]
    pub embedded: bool,
}

/// The report pane: what is missing, the engine's errors, or the report.
#[function_component(ReportView)]
pub fn report_view(props: &ReportViewProps) -> Html {
    let state = &props.state;
    let review = match &state.outcome {
        Outcome::Ready(r) => Some(r.clone()),
        _ => None,
    };
    let masks = use_memo(review.clone().map(|r| Rc::as_ptr(&r) as usize), {
        let review = review.clone();
        move |_| {
            review
                .map(|r| excerpt::masks(&r.subjects))
                .unwrap_or_default()
        }
    });
    let body = match &state.outcome {
        Outcome::Waiting {
            need_dump,
            need_policy,
        } => {
            if props.embedded {
                html! { <p class="waiting">{ "Waiting for the host page to post dumps and policies." }</p> }
            } else {
                html! {
                    <div class="waiting">
                        <p>{ "The report appears here as soon as there is " }
                            if *need_dump { <strong>{ "a dump" }</strong> }
                            if *need_dump && *need_policy { { " and " } }
                            if *need_policy { <strong>{ "a policy" }</strong> }
                            { "." }
                        </p>
                        <p class="hint">{ "New here? Press a “Load example” button next to a policy pack." }</p>
                    </div>
                }
            }
        }
        Outcome::Failed(errors) => html! {
            <div class="engine-errors" role="alert">
                <p>{ "The inputs cannot be evaluated yet:" }</p>
                <Diagnostics errors={errors.clone()} />
            </div>
        },
        Outcome::Ready(review) => {
            let r = &review.output.report;
            let masks = masks.clone();
            html! {
                <>
                    if r.subjects.is_empty() {
                        <p class="waiting">{ "The engine found no image to report on in these dumps." }</p>
                    }
                    if r.subjects.len() > 1 {
                        <p class={classes!("overall", r.verdict.name())}>{ format!("Overall: {} for {} images", r.verdict.name().to_uppercase(), r.subjects.len()) }</p>
                    }
                    <p class="policies">{ "Policies: " }{ for r.policies.iter().enumerate().map(|(i, p)| html! {
                        <>{ if i > 0 { ", " } else { "" } }<span>{ p.title.clone() }{ " " }<code>{ p.name.clone() }</code></span></>
                    }) }
                    if let Some(t) = &r.today { { format!(" · waivers judged on {t}") } }</p>
                    { for r.subjects.iter().map(|s| html! {
                        <>
                            <VerdictBanner subject={s.clone()} />
                            <CountsView counts={s.counts.clone()} />
                            if !s.notes.is_empty() {
                                <ul class="subject-notes">{ for s.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                            }
                        </>
                    }) }
                    <FilterBar filters={state.filters.clone()} sections={state.sections()} on_action={props.on_action.clone()} />
                    { for (0..r.subjects.len()).map(|i| html! {
                        <SubjectView index={i} review={review.clone()} masks={masks.clone()} filters={state.filters.clone()}
                            expanded={state.expanded.clone()} on_action={props.on_action.clone()} />
                    }) }
                    <ExportPanel review={review.clone()} on_notice={props.on_action.reform(Action::Notice)} />
                </>
            }
        }
    };
    html! {
        <section class="panel report" aria-labelledby="report-title" id="report">
            <h2 id="report-title">{ "Report" }</h2>
            { body }
        </section>
    }
}
