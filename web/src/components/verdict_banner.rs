use clearance_core::report::{SubjectReport, Verdict};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VerdictBannerProps {
    pub subject: SubjectReport,
}

/// The verdict for one image, with its name and digest.
#[function_component(VerdictBanner)]
pub fn verdict_banner(props: &VerdictBannerProps) -> Html {
    let s = &props.subject;
    let (word, sentence) = match s.verdict {
        Verdict::Pass => ("PASS", "Every blocking requirement holds: the image may be promoted."),
        Verdict::Fail => ("FAIL", "A blocking requirement failed: the image may not be promoted."),
        Verdict::Incomplete => (
            "INCOMPLETE",
            "Nothing blocking failed, but some requirements could not be decided: give the missing dumps.",
        ),
    };
    let digest = s.digests.first().cloned().or_else(|| s.image_id.clone());
    html! {
        <div class={classes!("verdict", s.verdict.name())} role="status" aria-live="polite" data-verdict={s.verdict.name()}>
            <div class="verdict-word">{ word }</div>
            <div class="verdict-body">
                <div class="image-name">{ s.label.clone() }</div>
                if let Some(d) = digest { <div class="digest"><code>{ d }</code></div> }
                <p>{ sentence }</p>
            </div>
        </div>
    }
}
