//! The TypeScript declarations of the JSON façade, generated from the Rust types with `ts-rs`.
//!
//! `crates/clearance-wasm/src/types.generated.d.ts` is committed; this test fails when it differs from
//! what the Rust types generate. Regenerate it with
//! `CLEARANCE_BLESS=1 cargo test -p clearance-core --features ts --test typescript`.
//! The npm package's `.d.ts` carries it (wasm-bindgen's `typescript_custom_section`), and
//! `scripts/test-npm` checks it with `tsc` against hundreds of real answers of the engine.
#![cfg(feature = "ts")]
#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    reason = "a test harness: it reads (and, when blessing, writes) the committed declarations"
)]

use clearance_core::api::{
    Answer, BuiltinsOutput, CheckOutput, CheckRequest, DetectOutput, DumpContent, DumpInput,
    ExplainOutput, Explanation, LimitsInput, PolicyInput, PolicySummary, RenderOutput,
    RequirementSummary, RequirementsOutput, ValidateOutput, WaiversInput,
};
use clearance_core::input::{DocumentKind, DocumentSummary};
use clearance_core::policy::{OutOfScope, Severity};
use clearance_core::report::{
    Counts, EvidenceItem, Format, PolicyInfo, Report, RequirementResult, SeverityCounts, Status,
    SubjectReport, ToolInfo, Verdict, WaiverNote,
};
use clearance_core::{Diagnostic, Location};
use std::collections::BTreeSet;
use std::path::PathBuf;
use ts_rs::{Config, TS};

const UPDATE: &str =
    "CLEARANCE_BLESS=1 cargo test -p clearance-core --features ts --test typescript";

/// One declaration: its TypeScript name, its text, and the names it refers to.
struct Decl {
    name: String,
    text: String,
    uses: Vec<String>,
}

fn decl<T: TS + 'static>(cfg: &Config) -> Decl {
    let mut text = T::docs().unwrap_or_default();
    text.push_str("export ");
    text.push_str(&layout(&T::decl(cfg)));
    Decl {
        name: T::ident(cfg),
        text,
        uses: T::dependencies(cfg)
            .into_iter()
            .map(|d| d.ts_name)
            .collect(),
    }
}

/// Every type that reaches a JSON argument or answer, in reading order: errors and the answer, the
/// arguments, then each operation's answer from the outside in.
fn declarations(cfg: &Config) -> Vec<Decl> {
    vec![
        decl::<Location>(cfg),
        decl::<Diagnostic>(cfg),
        decl::<Answer<()>>(cfg),
        // arguments
        decl::<PolicyInput>(cfg),
        decl::<DumpInput>(cfg),
        decl::<DumpContent>(cfg),
        decl::<DocumentKind>(cfg),
        decl::<WaiversInput>(cfg),
        decl::<LimitsInput>(cfg),
        decl::<CheckRequest>(cfg),
        // evaluate
        decl::<CheckOutput>(cfg),
        decl::<DocumentSummary>(cfg),
        decl::<Report>(cfg),
        decl::<ToolInfo>(cfg),
        decl::<PolicyInfo>(cfg),
        decl::<Verdict>(cfg),
        decl::<Counts>(cfg),
        decl::<SeverityCounts>(cfg),
        decl::<SubjectReport>(cfg),
        decl::<RequirementResult>(cfg),
        decl::<Severity>(cfg),
        decl::<Status>(cfg),
        decl::<EvidenceItem>(cfg),
        decl::<WaiverNote>(cfg),
        // detect, validatePolicy, builtinPolicies, policyRequirements, explain, render
        decl::<DetectOutput>(cfg),
        decl::<ValidateOutput>(cfg),
        decl::<PolicySummary>(cfg),
        decl::<OutOfScope>(cfg),
        decl::<BuiltinsOutput>(cfg),
        decl::<RequirementsOutput>(cfg),
        decl::<RequirementSummary>(cfg),
        decl::<ExplainOutput>(cfg),
        decl::<Explanation>(cfg),
        decl::<RenderOutput>(cfg),
        decl::<Format>(cfg),
    ]
}

/// ts-rs writes a declaration on one line; this lays an object type out one field per line and a long
/// union one member per line, so the committed file reads (and diffs) like hand-written TypeScript.
fn layout(decl: &str) -> String {
    let Some((head, body)) = decl.split_once(" = ") else {
        return decl.to_string();
    };
    let body = body.strip_suffix(';').unwrap_or(body);
    let members = split_top(body, '|');
    let is_object = members.len() == 1
        && split_top(body, '&').len() == 1
        && body.starts_with('{')
        && body.ends_with('}');
    if is_object {
        let inner = &body[1..body.len() - 1];
        let mut out = format!("{head} = {{\n");
        for field in split_top(inner, ',')
            .iter()
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
        {
            for line in field.lines() {
                out.push_str("  ");
                out.push_str(line);
                out.push('\n');
            }
            out.insert(out.len() - 1, ';');
        }
        out.push_str("};");
        out
    } else if members.len() > 1 && head.len() + body.len() > 90 {
        let mut out = format!("{head} =");
        for m in members {
            out.push_str("\n  | ");
            out.push_str(m.trim());
        }
        out.push(';');
        out
    } else {
        decl.to_string()
    }
}

/// `text` split at `sep` where it is outside brackets, strings and comments.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut in_string, mut in_comment) = (0i32, 0, false, false);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if in_comment {
            if c == '*' && next == Some('/') {
                chars.next();
                in_comment = false;
            }
        } else if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                '/' if next == Some('*') => in_comment = true,
                '"' => in_string = true,
                '{' | '[' | '(' | '<' => depth += 1,
                '}' | ']' | ')' | '>' => depth -= 1,
                c if c == sep && depth == 0 => {
                    parts.push(&text[start..i]);
                    start = i + c.len_utf8();
                }
                _ => {}
            }
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Rustdoc's intra-doc links (``[`Limits`]``) read as plain code in JSDoc.
fn plain_links(text: &str) -> String {
    let link = regex::Regex::new(r"\[(`[^`\[\]]+`)\]").unwrap();
    link.replace_all(text, "$1").into_owned()
}

fn generate() -> String {
    // Counts and limits are `usize`/`u64` in Rust and plain JSON numbers on the wire, never `bigint`.
    let cfg = Config::new().with_large_int("number");
    let decls = declarations(&cfg);
    let names: BTreeSet<&str> = decls.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names.len(), decls.len(), "a type is declared twice");
    for d in &decls {
        for used in &d.uses {
            assert!(
                names.contains(used.as_str()),
                "`{}` refers to `{used}`, which is not declared: add it to declarations()",
                d.name
            );
        }
    }
    let mut out = String::from(
        "// The JSON arguments and answers of clearance, generated from the Rust types of clearance-core\n\
         // (`ts-rs`, crates/clearance-core/tests/typescript.rs). Do not edit: change the Rust type, then run\n",
    );
    out.push_str(&format!("//   {UPDATE}\n"));
    for d in &decls {
        out.push('\n');
        out.push_str(&plain_links(&d.text));
        out.push('\n');
    }
    out
}

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../clearance-wasm/src/types.generated.d.ts")
}

#[test]
fn generated_declarations_are_committed() {
    let generated = generate();
    let path = committed_path();
    if std::env::var_os("CLEARANCE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let first = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(committed.lines().count().min(generated.lines().count()));
        panic!(
            "crates/clearance-wasm/src/types.generated.d.ts is not what the Rust types generate (first \
             difference at line {}).\nRegenerate it and commit the result:\n  {UPDATE}",
            first + 1
        );
    }
}
