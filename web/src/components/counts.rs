use clearance_core::report::Counts;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CountsViewProps {
    pub counts: Counts,
}

/// Counts by status, and failures by severity.
#[function_component(CountsView)]
pub fn counts_view(props: &CountsViewProps) -> Html {
    let c = &props.counts;
    let item = |class: &'static str, label: &'static str, n: usize| {
        html! { <li class={classes!("count", class)}><span class="n">{ n }</span>{ " " }<span class="label">{ label }</span></li> }
    };
    html! {
        <div class="counts">
            <ul class="by-status" aria-label="requirements by status">
                { item("total", "requirements", c.total) }
                { item("pass", "pass", c.pass) }
                { item("fail", "fail", c.fail) }
                { item("waived", "waived", c.waived) }
                { item("not_applicable", "not applicable", c.not_applicable) }
                { item("error", "undecided", c.error) }
            </ul>
            <ul class="by-severity" aria-label="failures by severity">
                { item("sev-error", "failed error", c.failed_by_severity.error) }
                { item("sev-warning", "failed warning", c.failed_by_severity.warning) }
                { item("sev-info", "failed info", c.failed_by_severity.info) }
            </ul>
        </div>
    }
}
