use super::evidence_view::EvidenceView;
use super::rich::Rich;
use crate::excerpt::Mask;
use crate::history::Layer;
use crate::state::{Action, Review};
use clearance_core::report::{RequirementResult, Status};
use std::rc::Rc;
use std::sync::Arc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultRowProps {
    pub subject: usize,
    pub result: Arc<RequirementResult>,
    pub expanded: bool,
    pub review: Rc<Review>,
    pub masks: Rc<Vec<Mask>>,
    pub layers: Rc<Vec<Layer>>,
    pub on_action: Callback<Action>,
}

pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Waived => "waived",
        Status::NotApplicable => "n/a",
        Status::Error => "undecided",
    }
}

/// One requirement's result; a button expands it to expected vs actual, message, remediation and
/// evidence.
#[function_component(ResultRow)]
pub fn result_row(props: &ResultRowProps) -> Html {
    let r = &props.result;
    let detail_id = format!("detail-{}-{}", props.subject, r.id);
    let key = (props.subject, r.id.to_string());
    let onclick = props
        .on_action
        .reform(move |_| Action::ToggleRow(key.clone()));
    html! {
        <li class={classes!("result", r.status.name())} data-id={r.id.to_string()} data-status={r.status.name()}>
            <button type="button" class="result-head" aria-expanded={props.expanded.to_string()} aria-controls={detail_id.clone()} {onclick}>
                <span class={classes!("badge", r.status.name())}>{ status_label(r.status) }</span>
                <span class={classes!("severity", r.severity.name())}>{ r.severity.name() }</span>
                <code class="req-id">{ r.id.clone() }</code>
                <span class="req-title">{ r.title.clone() }</span>
                <span class="chevron" aria-hidden="true">{ if props.expanded { "▾" } else { "▸" } }</span>
            </button>
            if props.expanded {
                <div class="result-detail" id={detail_id}>
                    <p class="message"><Rich text={r.message.clone()} /></p>
                    if !r.description.is_empty() { <p class="description"><Rich text={r.description.to_string()} /></p> }
                    <dl class="expected-actual">
                        <dt>{ "Expected" }</dt><dd class="expected"><Rich text={r.expected.to_string()} /></dd>
                        <dt>{ "Actual" }</dt><dd class="actual"><Rich text={r.actual.to_string()} /></dd>
                        if !r.remediation.is_empty() { <dt>{ "Fix" }</dt><dd class="remediation"><Rich text={r.remediation.to_string()} /></dd> }
                        <dt>{ "Policy" }</dt><dd><code>{ r.policy.clone() }</code></dd>
                        if let Some(c) = &r.clause { <dt>{ "Contract" }</dt><dd>{ c.clone() }</dd> }
                        if let Some(w) = &r.waiver {
                            <dt>{ "Waiver" }</dt>
                            <dd>
                                { w.reason.clone() }
                                if let Some(a) = &w.approver { { format!(" — approved by {a}") } }
                                if let Some(x) = &w.expires { { format!(" — expires {x}") } }
                                if !w.applied { <strong>{ " (expired: not applied)" }</strong> }
                            </dd>
                        }
                    </dl>
                    if !r.evidence.is_empty() {
                        <h5>{ "Evidence" }</h5>
                        { for r.evidence.iter().map(|item| html! {
                            <EvidenceView item={item.clone()} review={props.review.clone()} masks={props.masks.clone()} layers={props.layers.clone()} />
                        }) }
                        if r.evidence_omitted > 0 {
                            <p class="hint">{ format!("{} more evidence item{} left out", r.evidence_omitted, if r.evidence_omitted == 1 { "" } else { "s" }) }</p>
                        }
                    }
                </div>
            }
        </li>
    }
}
