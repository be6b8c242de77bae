//! Runs the table in `tests/policy-errors/cases.yaml`: each case is one small policy (or waivers) file
//! and the exact list of errors it must produce (code, message substring, line, column, path).
//! Includes resolve to `tests/policy-errors/packs/NAME.yaml`.
#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    reason = "a test harness: it reads its fixture files and fails loudly on anything unexpected"
)]

use clearance_core::policy::{self, PolicyError, Resolver};
use clearance_core::{Diagnostic, ToDiagnostic};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/policy-errors")
}

/// Resolves `include:` names to `packs/NAME.yaml`.
struct Packs(PathBuf);

impl Resolver for Packs {
    fn resolve(&self, name: &str) -> Option<(String, String)> {
        let path = self.0.join("packs").join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(path).ok()?;
        Some((format!("packs/{name}.yaml"), text))
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.0.join("packs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
            .collect();
        names.sort();
        names
    }
}

fn load_cases() -> Vec<Value> {
    let text = std::fs::read_to_string(dir().join("cases.yaml")).unwrap();
    let json = policy::parse_to_json(&text).unwrap();
    json["cases"].as_array().unwrap().clone()
}

fn run(case: &Value) -> Vec<PolicyError> {
    let file = case["file"].as_str().unwrap();
    let text = std::fs::read_to_string(dir().join(file)).unwrap();
    if case["kind"].as_str() == Some("waivers") {
        policy::load_waivers(file, &text).err().unwrap_or_default()
    } else {
        policy::load(file, &text, &Packs(dir()))
            .err()
            .unwrap_or_default()
    }
}

/// Differences between one expected error and the diagnostic found, as sentences.
fn compare(file: &str, want: &Value, got: &Diagnostic) -> Vec<String> {
    let mut problems = Vec::new();
    let text = |k: &str| want[k].as_str();
    if text("code") != Some(got.code.as_str()) {
        problems.push(format!("code: want {:?}, got {:?}", want["code"], got.code));
    }
    if let Some(m) = text("message") {
        if !got.message.contains(m) {
            problems.push(format!(
                "message: want it to contain {m:?}, got {:?}",
                got.message
            ));
        }
    }
    if let Some(h) = text("help") {
        if !got.help.as_deref().unwrap_or_default().contains(h) {
            problems.push(format!(
                "help: want it to contain {h:?}, got {:?}",
                got.help
            ));
        }
    }
    let want_file = text("in").unwrap_or(file);
    if got.location.file.as_deref() != Some(want_file) {
        problems.push(format!(
            "file: want {want_file:?}, got {:?}",
            got.location.file
        ));
    }
    let want_line = want["line"].as_u64().map(|n| n as usize);
    let want_column = want["column"].as_u64().map(|n| n as usize);
    if want_line.is_none() || want_column.is_none() {
        problems.push("the case must give `line` and `column`".to_string());
    }
    if (got.location.line, got.location.column) != (want_line, want_column) {
        problems.push(format!(
            "position: want {want_line:?}:{want_column:?}, got {:?}:{:?}",
            got.location.line, got.location.column
        ));
    }
    if let Some(p) = text("path") {
        if got.location.pointer.as_deref() != Some(p) {
            problems.push(format!("path: want {p:?}, got {:?}", got.location.pointer));
        }
    }
    problems
}

#[test]
fn every_error_case_produces_exactly_its_errors() {
    let cases = load_cases();
    let mut failures = Vec::new();
    for case in &cases {
        let file = case["file"].as_str().unwrap();
        let got: Vec<Diagnostic> = run(case).iter().map(ToDiagnostic::to_diagnostic).collect();
        let want = case["errors"].as_array().unwrap();
        let shown = || {
            got.iter()
                .map(|d| format!("    {d} ({})", d.location.pointer.as_deref().unwrap_or("-")))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if got.len() != want.len() {
            failures.push(format!(
                "{file}: want {} errors, got {}:\n{}",
                want.len(),
                got.len(),
                shown()
            ));
            continue;
        }
        for (i, (w, g)) in want.iter().zip(&got).enumerate() {
            for p in compare(file, w, g) {
                failures.push(format!("{file} error {i}: {p}\n{}", shown()));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_table_covers_enough_cases_and_every_fixture() {
    let cases = load_cases();
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    let listed: Vec<&str> = cases.iter().map(|c| c["file"].as_str().unwrap()).collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        let is_fixture = name.ends_with(".yaml") || name.ends_with(".json");
        if is_fixture && name != "cases.yaml" && !listed.contains(&name.as_str()) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "fixtures without a case: {missing:?}");
}

#[test]
fn every_error_has_a_file_position_and_path() {
    for case in load_cases() {
        for e in run(&case) {
            let d = e.to_diagnostic();
            let l = &d.location;
            assert!(
                l.file.is_some() && l.line.is_some() && l.column.is_some(),
                "{d}"
            );
            let whole_document = (l.line, l.column) == (Some(1), Some(1));
            if !matches!(d.code.as_str(), "policy/syntax" | "policy/empty") && !whole_document {
                assert!(l.pointer.is_some(), "no path: {d}");
            }
            assert!(!d.message.ends_with('.'), "final period: {d}");
            assert!(
                d.message.starts_with(|c: char| !c.is_uppercase()),
                "capitalised: {d}"
            );
        }
    }
}

mod mutations {
    //! Arbitrary edits of valid policies give errors or policies, never a panic, and every error keeps
    //! its file and position.
    use super::*;
    use proptest::prelude::*;

    fn valid_texts() -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/policy-valid");
        ["top.yaml", "top.json", "own-params.yaml", "packs/base.yaml"]
            .iter()
            .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn edits_never_panic(
            which in 0usize..4,
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, "[ -~\n]{0,3}"), 1..6),
        ) {
            let texts = valid_texts();
            let mut text: Vec<char> = texts[which].chars().collect();
            for (at, kind, insert) in edits {
                let i = at.index(text.len() + 1);
                match kind {
                    0 => { text.splice(i..i, insert.chars()); }
                    1 if i < text.len() => { text.remove(i); }
                    2 if i < text.len() => { text.truncate(i); }
                    _ => { text.splice(i..i, "{param: p}".chars()); }
                }
            }
            let text: String = text.into_iter().collect();
            if let Err(errors) = policy::load("m.yaml", &text, &Packs(dir().join("../policy-valid"))) {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    let d = e.to_diagnostic();
                    prop_assert!(d.location.file.is_some() && d.location.line.is_some(), "{}", d);
                }
            }
            let _ = policy::load_waivers("m.yaml", &text);
        }
    }
}
