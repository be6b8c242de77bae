use crate::state::{Action, Filters};
use clearance_core::policy::Severity;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    pub filters: Filters,
    pub sections: Vec<String>,
    pub on_action: Callback<Action>,
}

/// Failed only, severity, section, and a text search.
#[function_component(FilterBar)]
pub fn filter_bar(props: &FilterBarProps) -> Html {
    let f = &props.filters;
    let on_failed = props.on_action.reform(|e: Event| {
        Action::SetFailedOnly(
            e.target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked()),
        )
    });
    let on_severity = props.on_action.reform(|e: Event| {
        let v = e
            .target_dyn_into::<HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        Action::SetSeverity(Severity::parse(&v))
    });
    let on_section = props.on_action.reform(|e: Event| {
        let v = e
            .target_dyn_into::<HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        Action::SetSection((!v.is_empty()).then_some(v))
    });
    let on_query = props.on_action.reform(|e: InputEvent| {
        Action::SetQuery(
            e.target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default(),
        )
    });
    html! {
        <div class="filters" role="search" aria-label="filter the requirements">
            <label class="inline"><input type="checkbox" id="failed-only" checked={f.failed_only} onchange={on_failed} />{ " Failed only" }</label>
            <label class="inline">{ "Severity " }
                <select id="severity-filter" onchange={on_severity}>
                    <option value="" selected={f.severity.is_none()}>{ "any" }</option>
                    { for Severity::ALL.iter().map(|s| html! {
                        <option value={s.name()} selected={f.severity == Some(*s)}>{ s.name() }</option>
                    }) }
                </select>
            </label>
            <label class="inline">{ "Section " }
                <select id="section-filter" onchange={on_section}>
                    <option value="" selected={f.section.is_none()}>{ "any" }</option>
                    { for props.sections.iter().map(|s| html! {
                        <option value={s.clone()} selected={f.section.as_ref() == Some(s)}>{ s.clone() }</option>
                    }) }
                </select>
            </label>
            <label class="inline search">{ "Search " }
                <input type="search" id="search" value={f.query.clone()} oninput={on_query} placeholder="id, title, value…" />
            </label>
            if f.is_active() {
                <button type="button" class="link" onclick={props.on_action.reform(|_| Action::ClearFilters)}>{ "Clear filters" }</button>
            }
            <button type="button" class="link" id="expand-all" onclick={props.on_action.reform(|_| Action::ExpandAll(true))}>{ "Expand all" }</button>
            <button type="button" class="link" id="collapse-all" onclick={props.on_action.reform(|_| Action::ExpandAll(false))}>{ "Collapse all" }</button>
        </div>
    }
}
