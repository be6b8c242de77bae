use crate::history::{human_size, Layer};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistoryChartProps {
    pub layers: Vec<Layer>,
}

const WIDTH: f64 = 720.0;
const ROW: f64 = 22.0;
const LABEL: f64 = 230.0;
const BAR_END: f64 = 640.0;

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// `created_by` as a Dockerfile line: `/bin/sh -c #(nop) ENV A=b` → `ENV A=b`, `/bin/sh -c apt-get …` and
/// `RUN /bin/sh -c apt-get …` → `RUN apt-get …`.
fn instruction_line(created_by: &str) -> String {
    let s = created_by.trim();
    if let Some(rest) = s.strip_prefix("/bin/sh -c #(nop) ") {
        return rest.trim().to_string();
    }
    match s
        .strip_prefix("RUN /bin/sh -c ")
        .or_else(|| s.strip_prefix("/bin/sh -c "))
    {
        Some(rest) => format!("RUN {}", rest.trim()),
        None => s.to_string(),
    }
}

/// The image's layers as a bar chart by size, oldest first; layers that failed a requirement are
/// marked; the instruction shows on hover and on keyboard focus.
#[function_component(HistoryChart)]
pub fn history_chart(props: &HistoryChartProps) -> Html {
    let selected = use_state(|| None::<usize>);
    if props.layers.is_empty() {
        return html! {};
    }
    let max = props
        .layers
        .iter()
        .map(|l| l.size)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let height = ROW * props.layers.len() as f64 + 8.0;
    let bars = props.layers.iter().enumerate().map(|(row, l)| {
        let y = 4.0 + ROW * row as f64;
        let w = if l.size == 0 { 0.0 } else { ((BAR_END - LABEL) * l.size as f64 / max).max(2.0) };
        let failed = !l.failed.is_empty();
        let label = format!("#{:<3} {}", l.index, short(&instruction_line(&l.created_by), 24));
        let what = format!(
            "layer {}: {} — {}{}",
            l.index,
            l.created_by,
            human_size(l.size),
            if failed { format!(" — fails {}", l.failed.join(", ")) } else { String::new() }
        );
        let index = row;
        let on_show = { let s = selected.clone(); Callback::from(move |_: FocusEvent| s.set(Some(index))) };
        let on_hover = { let s = selected.clone(); Callback::from(move |_: MouseEvent| s.set(Some(index))) };
        html! {
            <g class={classes!("layer", failed.then_some("failed"), l.empty.then_some("empty"), (*selected == Some(row)).then_some("selected"))}
                tabindex="0" role="listitem" aria-label={what.clone()} onfocus={on_show} onmouseenter={on_hover}
                data-layer={l.index.to_string()}>
                <title>{ what }</title>
                <rect class="hit" x="0" y={y.to_string()} width={WIDTH.to_string()} height={ROW.to_string()} />
                <text class="label" x="4" y={(y + 15.0).to_string()}>{ label }</text>
                <rect class="bar" x={LABEL.to_string()} y={(y + 4.0).to_string()} width={format!("{w:.1}")} height={(ROW - 8.0).to_string()} rx="2" />
                <text class="size" x={(LABEL + w + 6.0).min(BAR_END + 4.0).to_string()} y={(y + 15.0).to_string()}>
                    { human_size(l.size) }{ if failed { " ✗" } else { "" } }
                </text>
            </g>
        }
    });
    let detail = selected.and_then(|i| props.layers.get(i)).map(|l| html! {
        <p class="layer-detail">
            <strong>{ format!("Layer {} ", l.index) }</strong>
            <span class="size">{ format!("({}) ", human_size(l.size)) }</span>
            <code class="instruction">{ l.created_by.clone() }</code>
            if !l.failed.is_empty() { <span class="fails">{ format!(" — fails {}", l.failed.join(", ")) }</span> }
        </p>
    });
    let failed = props.layers.iter().filter(|l| !l.failed.is_empty()).count();
    html! {
        <figure class="history-chart">
            <figcaption>
                { format!("History: {} layers, oldest first, by size", props.layers.len()) }
                if failed > 0 { <span class="fails">{ format!(" — {failed} marked ✗ failed a requirement") }</span> }
                <span class="hint">{ " (hover or Tab to a layer to read its instruction)" }</span>
            </figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="list" aria-label="image layers by size" preserveAspectRatio="xMinYMin meet">
                { for bars }
            </svg>
            <div aria-live="polite">{ detail.unwrap_or_default() }</div>
        </figure>
    }
}
