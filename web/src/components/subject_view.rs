use super::history_chart::HistoryChart;
use super::result_row::ResultRow;
use crate::excerpt::Mask;
use crate::filter;
use crate::history::{self, Layer};
use crate::state::{Action, Filters, Review, RowKey};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SubjectViewProps {
    pub index: usize,
    pub review: Rc<Review>,
    pub masks: Rc<Vec<Mask>>,
    pub filters: Filters,
    pub expanded: BTreeSet<RowKey>,
    pub on_action: Callback<Action>,
}

/// One image's history chart and its requirements grouped by section.
#[function_component(SubjectView)]
pub fn subject_view(props: &SubjectViewProps) -> Html {
    let Some(subject) = props.review.output.report.subjects.get(props.index) else {
        return html! {};
    };
    let layers: Rc<Vec<Layer>> = {
        let review = props.review.clone();
        let index = props.index;
        use_memo((review, index), |(review, index)| {
            // The engine builds report subjects and fact subjects in the same order.
            review
                .subjects
                .get(*index)
                .map(|s| history::layers(s, review.output.report.subjects.get(*index)))
                .unwrap_or_default()
        })
    };
    let groups = filter::groups(&props.filters, subject);
    let shown: usize = groups.iter().map(|g| g.rows.len()).sum();
    html! {
        <article class="subject" aria-label={format!("report for {}", subject.label)}>
            if props.review.output.report.subjects.len() > 1 { <h3 class="subject-title">{ subject.label.clone() }</h3> }
            <HistoryChart layers={(*layers).clone()} />
            <p class="shown" aria-live="polite">{ format!("Showing {shown} of {} requirements", subject.results.len()) }</p>
            { for groups.iter().map(|g| html! {
                <section class="section-group" aria-label={g.section.clone()}>
                    <h4>{ g.section.clone() }</h4>
                    <ul class="results">
                        { for g.rows.iter().filter_map(|i| subject.results.get(*i)).map(|r| html! {
                            <ResultRow key={r.id.to_string()} subject={props.index} result={r.clone()}
                                expanded={props.expanded.contains(&(props.index, r.id.to_string()))}
                                review={props.review.clone()} masks={props.masks.clone()} layers={layers.clone()}
                                on_action={props.on_action.clone()} />
                        }) }
                    </ul>
                </section>
            }) }
        </article>
    }
}
