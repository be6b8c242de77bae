//! IMG-009 and IMG-010 agree with the masker: every name in `tests/secret-names/img-009.txt` (repo
//! root) is put in an image as `NAME=value`, evaluated with the `image-baseline` pack and a requirement
//! that shows every env value, and IMG-009's status and whether the value reaches the JSON report are
//! compared with the line; every line of `tests/secret-names/img-010.txt` is made the only entry of a
//! history and IMG-010's status, the masking of the line and whether its secret reaches the JSON
//! report are compared likewise. See the files' headers for their formats.
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

/// `image-baseline` and the requirement `bait` on the one dump `text`.
fn check_baseline(bait: &str, name: &str, text: String) -> Option<api::CheckOutput> {
    let request = CheckRequest {
        policies: vec![
            PolicyInput::Builtin("image-baseline".into()),
            PolicyInput::Text {
                name: "bait.yaml".into(),
                text: bait.into(),
            },
        ],
        dumps: vec![DumpInput {
            name: name.into(),
            content: DumpContent::Text(text),
            kind: None,
        }],
        waivers: None,
        today: Some("2026-11-23".into()),
        limits: None,
    };
    api::check(&request).ok().ok()
}

struct Line {
    number: usize,
    name: String,
    status: String,
    masked: bool,
    value: String,
}

fn data(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/secret-names")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn lines() -> Vec<Line> {
    let text = data("img-009.txt");
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
        let out = check_baseline(SHOW_ENV, "image.json", image(&line.name, &line.value))
            .unwrap_or_else(|| panic!("line {}: the check failed", line.number));
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

/// Fails on every history line, so that each one is shown (masked or not) in the report.
const SHOW_HISTORY: &str = r#"
name: show-history
title: Shows every history line
requirements:
  - {id: SHOW-002, title: history lines, section: S, severity: error, description: d, remediation: r,
     check: {fact: history, all: {fact: created_by, equals: "not-this"}}}
"#;

/// A line of `img-010.txt`: the status IMG-010 must have, the secret that must not be shown, the line.
fn history_lines() -> Vec<(usize, String, Option<String>, String)> {
    let mut out = Vec::new();
    for (i, line) in data("img-010.txt").lines().enumerate() {
        let number = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut rest = line;
        let mut column = || {
            let (word, after) = rest.split_once(' ').unwrap_or((rest, ""));
            rest = after.trim_start();
            word.to_string()
        };
        let status = column();
        let secret = column();
        let created_by = rest.trim_end().to_string();
        assert!(
            matches!(status.as_str(), "pass" | "fail" | "error") && !created_by.is_empty(),
            "line {number}: expected `pass|fail|error secret|- line`: {line}"
        );
        let secret = (secret != "-").then_some(secret);
        out.push((number, status, secret, created_by));
    }
    out
}

#[test]
fn img_010_flags_exactly_the_history_lines_the_masker_masks() {
    let mut wrong = Vec::new();
    let lines = history_lines();
    assert!(lines.len() > 30, "the data file lost its lines");
    for (number, want, secret, created_by) in &lines {
        let dump = json!({
            "ID": "sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
            "CreatedBy": created_by,
            "CreatedAt": "2026-11-01T10:00:00Z",
            "Size": "0B",
            "Comment": "buildkit.dockerfile.v0",
        })
        .to_string();
        let out = check_baseline(SHOW_HISTORY, "history.jsonl", dump)
            .unwrap_or_else(|| panic!("line {number}: the check failed"));
        let status = out
            .report
            .subjects
            .iter()
            .flat_map(|s| s.results.iter())
            .find(|r| &*r.id == "IMG-010")
            .map(|r| r.status.name().to_string())
            .unwrap_or_else(|| panic!("line {number}: no IMG-010 result"));
        let rendered = report::render(&out.report, Format::Json, RenderOptions { color: false });
        // the line as the JSON report writes it, quotes escaped
        let escaped = json!(created_by.trim_end_matches('…')).to_string();
        let escaped = escaped.trim_matches('"');
        let shown_whole = rendered.contains(escaped);
        let leaked = secret
            .as_ref()
            .is_some_and(|s| rendered.contains(s.as_str()));
        let flagged = status == "fail";
        let problem = if status != *want {
            Some(format!("IMG-010 {status} (want {want})"))
        } else if leaked {
            Some("its secret is in the report".to_string())
        } else if flagged == shown_whole {
            Some(if flagged {
                "flagged but shown unmasked".to_string()
            } else {
                "masked but not flagged".to_string()
            })
        } else if flagged != secret.is_some() {
            Some("a flagged line names its secret, a passing one `-`".to_string())
        } else {
            None
        };
        if let Some(problem) = problem {
            wrong.push(format!("line {number}: {created_by}: {problem}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
