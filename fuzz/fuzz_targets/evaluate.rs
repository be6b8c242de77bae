//! Full evaluation with an arbitrary policy and an arbitrary dump (split at the first NUL byte), rendered
//! in every format: must never panic or hang, and never print a value marked secret.
#![no_main]

use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, PolicyInput};
use clearance_core::report::{self, Format, RenderOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let (Some(policy), Some(dump)) = (parts.next(), parts.next()) else {
        return;
    };
    let (Ok(policy), Ok(dump)) = (std::str::from_utf8(policy), std::str::from_utf8(dump)) else {
        return;
    };
    let request = CheckRequest {
        policies: vec![
            PolicyInput::Text {
                name: "fuzz.yaml".into(),
                text: policy.into(),
            },
            PolicyInput::Builtin("image-baseline".into()),
        ],
        dumps: vec![DumpInput {
            name: "fuzz.json".into(),
            content: DumpContent::Text(dump.into()),
            kind: None,
        }],
        waivers: None,
        today: Some("2026-11-23".into()),
        limits: None,
    };
    if let Ok(out) = api::check(&request).ok() {
        for format in Format::ALL {
            let _ = report::render(&out.report, format, RenderOptions::default());
        }
    }
});
