//! `policies/README.md` stays true: its fact catalogue table is generated from `facts::catalogue`,
//! and it documents every operator and every error code the error table exercises.
//!
//! Regenerate the table with `CLEARANCE_BLESS=1 cargo test -p clearance-core --test policy_docs`.
#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    reason = "a test harness: it reads (and, when blessing, writes) the guide and fails loudly"
)]

use clearance_core::facts::catalogue;
use clearance_core::policy::{self, OPERATORS};
use std::path::{Path, PathBuf};

const START: &str = "<!-- facts:start -->\n";
const END: &str = "<!-- facts:end -->";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn guide() -> String {
    std::fs::read_to_string(repo().join("policies/README.md")).unwrap()
}

fn facts_table() -> String {
    let mut out = String::from("| fact | kind | meaning |\n|---|---|---|\n");
    for e in catalogue::ENTRIES {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            e.path,
            e.kind.name(),
            e.summary.replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn fact_table_is_generated_from_the_catalogue() {
    let text = guide();
    let start = text.find(START).expect("the start marker") + START.len();
    let end = text.find(END).expect("the end marker");
    let table = facts_table();
    if std::env::var_os("CLEARANCE_BLESS").is_some() {
        let updated = format!("{}{table}{}", &text[..start], &text[end..]);
        std::fs::write(repo().join("policies/README.md"), updated).unwrap();
        return;
    }
    assert!(
        text[start..end] == table,
        "the fact catalogue in policies/README.md is stale: run `CLEARANCE_BLESS=1 cargo test -p clearance-core --test policy_docs`"
    );
}

#[test]
fn every_operator_is_documented() {
    let text = guide();
    for op in OPERATORS {
        assert!(
            text.contains(&format!("| `{op}`")) || text.contains(&format!(" `{op}` ")),
            "`{op}` is not in the operator table"
        );
        assert!(text.contains(&format!("{op}:")), "`{op}` has no example");
    }
}

#[test]
fn every_error_code_in_the_error_table_is_documented() {
    let cases = std::fs::read_to_string(repo().join("tests/policy-errors/cases.yaml")).unwrap();
    let cases = policy::parse_to_json(&cases).unwrap();
    let text = guide();
    for case in cases["cases"].as_array().unwrap() {
        for e in case["errors"].as_array().unwrap() {
            let code = e["code"].as_str().unwrap();
            assert!(
                text.contains(&format!("| `{code}` |")),
                "`{code}` is not in the error table of policies/README.md"
            );
        }
    }
}

/// The fenced YAML blocks of the guide.
fn yaml_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```yaml") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

const SKELETON: &str = "name: t\ntitle: T\nrequirements:\n  - id: T-001\n    title: x\n    section: s\n    severity: error\n    description: d\n    remediation: r\n";

#[test]
fn the_guide_examples_compile() {
    let text = guide();
    let mut problems = Vec::new();
    let mut checked = 0;
    for block in yaml_blocks(&text) {
        if block.contains("...") {
            continue; // an illustration with parts left out
        }
        if block.starts_with("name:") {
            checked += 1;
            if let Err(e) = policy::load(
                "README.md",
                &block,
                &clearance_core::builtin::BuiltinResolver,
            ) {
                problems.push(format!("{block}\n{e:#?}"));
            }
            continue;
        }
        // Top-level `check:` examples: one line, or `check:` followed by indented lines.
        let lines: Vec<&str> = block.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            i += 1;
            if !line.starts_with("check:") {
                continue;
            }
            let mut check = format!("{line}\n");
            while i < lines.len() && lines[i].starts_with(' ') {
                check.push_str(lines[i]);
                check.push('\n');
                i += 1;
            }
            let policy_text = format!(
                "{SKELETON}{}",
                check
                    .lines()
                    .map(|l| format!("    {l}\n"))
                    .collect::<String>()
            );
            checked += 1;
            if let Err(e) = policy::load("README.md", &policy_text, &policy::NoIncludes) {
                problems.push(format!("{check}\n{e:#?}"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    assert!(checked >= 20, "only {checked} examples found");
}
