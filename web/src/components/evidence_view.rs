use crate::excerpt::{self, Mask};
use crate::history::Layer;
use crate::state::Review;
use clearance_core::report::EvidenceItem;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EvidenceViewProps {
    pub item: EvidenceItem,
    pub review: Rc<Review>,
    pub masks: Rc<Vec<Mask>>,
    pub layers: Rc<Vec<Layer>>,
}

/// One piece of evidence: where it was read, the value, the JSON around it (secrets masked), and for
/// history the layer with its instruction highlighted among its neighbours.
#[function_component(EvidenceView)]
pub fn evidence_view(props: &EvidenceViewProps) -> Html {
    let e = &props.item;
    let mut place = format!(
        "{} at {}",
        e.document,
        if e.pointer.is_empty() {
            "/"
        } else {
            &e.pointer
        }
    );
    if let Some(line) = e.line {
        place.push_str(&format!(", line {line}"));
    }
    if let Some(layer) = e.layer {
        place.push_str(&format!(", layer {layer}"));
    }
    let excerpt = excerpt::excerpt(
        &props.review.documents,
        &props.masks,
        &e.document,
        &e.pointer,
    );
    let layer_strip = e.layer.map(|index| {
        let near: Vec<&Layer> = props
            .layers
            .iter()
            .filter(|l| l.index + 2 >= index && l.index <= index + 2)
            .collect();
        if near.is_empty() {
            return html! {
                if let Some(instr) = &e.instruction {
                    <p class="layer-instruction"><mark><code>{ instr.clone() }</code></mark></p>
                }
            };
        }
        html! {
            <ol class="layer-strip" aria-label="the layer and its neighbours">
                { for near.iter().map(|l| {
                    let this = l.index == index;
                    html! {
                        <li class={classes!(this.then_some("this"))} value={l.index.to_string()}>
                            <span class="layer-no">{ format!("#{} ", l.index) }</span>
                            if this { <mark><code>{ e.instruction.clone().unwrap_or_else(|| l.created_by.clone()) }</code></mark> }
                            else { <code>{ l.created_by.clone() }</code> }
                        </li>
                    }
                }) }
            </ol>
        }
    });
    html! {
        <div class="evidence">
            <div class="evidence-place"><code>{ place }</code></div>
            if let Some(v) = &e.value { <div class="evidence-value">{ "value: " }<code>{ v.to_string() }</code></div> }
            { layer_strip.unwrap_or_default() }
            if let Some(x) = excerpt {
                <div class="excerpt">
                    <div class="excerpt-head">
                        { format!("{} {}", e.document, if x.shown.is_empty() { "/" } else { &x.shown }) }
                        if let Some(line) = x.line { { format!(" (line {line})") } }
                        if let Some(m) = &x.missing { <span class="missing">{ " — has no " }<code>{ m.clone() }</code></span> }
                    </div>
                    <pre class="code" tabindex="0" aria-label={format!("JSON excerpt of {}", e.document)}>
                        if x.cut_before { <span class="cut">{ "  …\n" }</span> }
                        { for x.lines.iter().map(|l| if l.mark {
                            html! { <mark>{ format!("{}\n", l.text) }</mark> }
                        } else {
                            html! { { format!("{}\n", l.text) } }
                        }) }
                        if x.cut_after { <span class="cut">{ "  …\n" }</span> }
                    </pre>
                </div>
            }
        </div>
    }
}
