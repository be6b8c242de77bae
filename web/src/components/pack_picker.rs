use super::diagnostics::Diagnostics;
use super::rich::Rich;
use crate::examples;
use crate::state::Action;
use clearance_core::api::PolicySummary;
use clearance_core::Diagnostic;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PackPickerProps {
    pub builtins: Result<Vec<PolicySummary>, Vec<Diagnostic>>,
    pub selected: Vec<String>,
    /// The example currently loaded (scenario name).
    pub example: Option<String>,
    pub on_action: Callback<Action>,
}

/// The built-in policy packs (title, description, requirement count) to tick, each with its
/// "Load example" buttons.
#[function_component(PackPicker)]
pub fn pack_picker(props: &PackPickerProps) -> Html {
    let list = match &props.builtins {
        Ok(list) => list,
        Err(errors) => {
            return html! {
                <section class="panel packs" aria-labelledby="packs-title">
                    <h2 id="packs-title">{ "2. Policy" }</h2>
                    <p>{ "The built-in packs could not be loaded:" }</p>
                    <Diagnostics errors={errors.clone()} />
                </section>
            }
        }
    };
    html! {
        <section class="panel packs" aria-labelledby="packs-title">
            <h2 id="packs-title">{ "2. Policy" }</h2>
            <p class="hint">{ "Tick one or more built-in packs, or give your own policy below." }</p>
            <ul class="pack-list">
                { for list.iter().map(|p| {
                    let name = p.name.clone();
                    let checked = props.selected.contains(&p.name);
                    let input_id = format!("pack-{}", p.name);
                    let toggle = props.on_action.reform({ let name = name.clone(); move |_| Action::TogglePack(name.clone()) });
                    let examples = examples::for_pack(&p.name);
                    html! {
                        <li class={classes!("pack", checked.then_some("selected"))}>
                            <div class="pack-head">
                                <input type="checkbox" id={input_id.clone()} checked={checked} onchange={toggle} />
                                <label for={input_id}>
                                    <span class="pack-title">{ p.title.clone() }</span>
                                    <code class="pack-name">{ p.name.clone() }</code>
                                    <span class="pack-count">{ format!("{} requirements", p.requirements) }</span>
                                </label>
                            </div>
                            if let Some(d) = &p.description { <p class="pack-description"><Rich text={d.clone()} /></p> }
                            if !examples.is_empty() {
                                <div class="examples">
                                    { for examples.iter().map(|e| {
                                        let scenario = e.scenario.name.to_string();
                                        let loaded = props.example.as_deref() == Some(e.scenario.name);
                                        let onclick = props.on_action.reform({
                                            let pack = name.clone();
                                            let scenario = scenario.clone();
                                            move |_| Action::LoadExample { pack: pack.clone(), scenario: scenario.clone() }
                                        });
                                        html! {
                                            <button type="button" class={classes!("example", e.variant.label(), loaded.then_some("loaded"))}
                                                data-scenario={scenario.clone()} aria-pressed={loaded.to_string()}
                                                aria-label={format!("load the {} example for {} ({})", e.variant.label(), p.name, scenario)}
                                                {onclick}>
                                                { format!("Load example: {}", e.variant.label()) }
                                            </button>
                                        }
                                    }) }
                                </div>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
