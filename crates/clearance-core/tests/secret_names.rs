//! IMG-009 agrees with the masker: every name in `tests/secret-names/img-009.txt` (repo root) is put in
//! an image as `NAME=value`, evaluated with the `image-baseline` pack and a requirement that shows every
//! env value, and IMG-009's status and whether the value reaches the JSON report are compared with the
//! line. See the file's header for the format.
#![expect(
    clippy::disallowed_methods,
    clippy::panic,
    reason = "a test harness: it reads its data file from disk and reports by panicking"
)]

use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, PolicyInput};
use clearance_core::report::{self, Format, RenderOptions};
use serde_json::json;
use std::path::Path;

/// Fails on every env value, so that each one is shown (masked or not) in the report.
const SHOW_ENV: &str = r#"
name: show-env
title: Shows every env value
requirements:
  - {id: SHOW-001, title: env values, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.env, all: {fact: value, equals: "not-this"}}}
"#;

struct Line {
    number: usize,
    name: String,
    status: String,
    masked: bool,
    value: String,
}

fn lines() -> Vec<Line> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/secret-names/img-009.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split_whitespace().collect();
        let (name, status, shown, value) = match columns.as_slice() {
            [name, status, shown] => (*name, *status, *shown, None),
            [name, status, shown, value] => (*name, *status, *shown, Some(*value)),
            _ => panic!("line {number}: expected `NAME status masked|shown [value]`: {line}"),
        };
        let masked = match shown {
            "masked" => true,
            "shown" => false,
            other => panic!("line {number}: `{other}` is neither `masked` nor `shown`"),
        };
        let value = match value {
            None => format!("planted-{number}-value"),
            Some("''") => String::new(),
            Some(v) => v.to_string(),
        };
        out.push(Line {
            number,
            name: name.to_string(),
            status: status.to_string(),
            masked,
            value,
        });
    }
    out
}

fn image(name: &str, value: &str) -> String {
    json!([{
        "Id": "sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
        "RepoTags": ["names:1"],
        "Architecture": "amd64",
        "Os": "linux",
        "Config": {"User": "1001", "Env": ["LANG=C", format!("{name}={value}")]},
        "RootFS": {"Type": "layers", "Layers": ["sha256:aa"]},
    }])
    .to_string()
}

#[test]
fn img_009_fails_exactly_on_the_values_the_masker_hides() {
    let mut wrong = Vec::new();
    let lines = lines();
    assert!(lines.len() > 50, "the data file lost its names");
    for line in &lines {
        let request = CheckRequest {
            policies: vec![
                PolicyInput::Builtin("image-baseline".into()),
                PolicyInput::Text {
                    name: "show-env.yaml".into(),
                    text: SHOW_ENV.into(),
                },
            ],
            dumps: vec![DumpInput {
                name: "image.json".into(),
                content: DumpContent::Text(image(&line.name, &line.value)),
                kind: None,
            }],
            waivers: None,
            today: Some("2026-11-23".into()),
            limits: None,
        };
        let Ok(out) = api::check(&request).ok() else {
            panic!("line {}: the check failed", line.number);
        };
        let results = out
            .report
            .subjects
            .iter()
            .flat_map(|s| s.results.iter())
            .collect::<Vec<_>>();
        let status = |id: &str| {
            results
                .iter()
                .find(|r| &*r.id == id)
                .map(|r| r.status.name().to_string())
                .unwrap_or_else(|| panic!("line {}: no {id} result", line.number))
        };
        let img_009 = status("IMG-009");
        let rendered = report::render(&out.report, Format::Json, RenderOptions { color: false });
        let needle = format!("{}={}", line.name, line.value);
        // a planted value must be nowhere, not only not after its name
        let planted_shown = line.value.starts_with("planted-") && rendered.contains(&line.value);
        let masked = !(line.value.is_empty() || rendered.contains(&needle) || planted_shown);
        if img_009 != line.status || masked != line.masked {
            wrong.push(format!(
                "line {}: {}={}: IMG-009 {img_009} (want {}), value {} (want {})",
                line.number,
                line.name,
                line.value,
                line.status,
                if masked { "masked" } else { "shown" },
                if line.masked { "masked" } else { "shown" },
            ));
        }
        if !line.masked && !line.value.is_empty() {
            // the bait showed the value: `shown` means something
            assert!(
                rendered.contains(&needle),
                "line {}: SHOW-001 did not show {needle}",
                line.number
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
