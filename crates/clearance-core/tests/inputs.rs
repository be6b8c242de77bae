//! The input stage, case by case, from data: every `tests/inputs/NAME` file with a `NAME.expect` beside
//! it, and every `tests/inputs/DIR/` with an `expect` file (its other files are read in name order and
//! grouped together), is read, detected and normalised, and checked against its expectations.
//!
//! Expectation lines (`#` starts a comment):
//! - `kind: ID` — the detected kind; `hint: ID` — read with this kind given; `entries: N` — summary count;
//!   `summary-note: TEXT` — a summary note contains TEXT; `limit: NAME = N` — a reading limit;
//! - `error: CODE`, `message: TEXT`, `help: TEXT`, `line: N`, `column: N`, `pointer: P` — the expected
//!   error (from reading or grouping) and its location (`pointer: none`: the error names no pointer);
//! - `subjects: N`; `subject: I` selects the subject the following lines are about (0 first); `label: L`;
//!   `note: TEXT`; `documents: a, b`;
//! - `fact: PATH = DISPLAY` (a missing path displays as `missing`), `raw: PATH = RAW`, `secret: PATH`,
//!   `truncated: PATH`, `evidence: PATH = POINTER [line N] [layer N]`. PATH is dotted: `image.env.NAME`,
//!   `history.3.instruction`, `container.mounts.0.rw`.
#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test harness: it reads its fixtures from disk"
)]

use clearance_core::facts::{Fact, FactValue, Subject};
use clearance_core::input::{self, Document, DocumentKind, Limits};
use clearance_core::{Diagnostic, ToDiagnostic};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/inputs")
}

struct Case {
    name: String,
    inputs: Vec<PathBuf>,
    expect: Vec<(String, String)>,
}

fn load_cases() -> Vec<Case> {
    let dir = cases_dir();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut cases = Vec::new();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            let mut inputs: Vec<PathBuf> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.file_name().unwrap() != "expect")
                .collect();
            inputs.sort();
            cases.push(Case {
                name,
                inputs,
                expect: parse_expect(&path.join("expect")),
            });
        } else if !name.ends_with(".expect") {
            let expect = path.with_file_name(format!("{name}.expect"));
            assert!(expect.exists(), "{name} has no {name}.expect");
            cases.push(Case {
                name,
                inputs: vec![path.clone()],
                expect: parse_expect(&expect),
            });
        }
    }
    cases
}

fn parse_expect(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| {
            let (k, v) = l
                .split_once(':')
                .unwrap_or_else(|| panic!("{}: bad line {l:?}", path.display()));
            (
                k.trim().to_string(),
                v.strip_prefix(' ').unwrap_or(v).to_string(),
            )
        })
        .collect()
}

/// Walks a dotted path through the facts tree.
fn lookup<'a>(subject: &'a Subject, path: &str) -> Option<&'a Fact> {
    let mut parts = path.split('.');
    let mut fact = subject.facts.get(parts.next()?)?;
    for part in parts {
        fact = match &fact.value {
            FactValue::List(items) => items.get(part.parse::<usize>().ok()?)?,
            FactValue::Map(_) => fact.get(part)?,
            _ => return None,
        };
    }
    Some(fact)
}

fn run(case: &Case) -> Result<(), String> {
    let get = |key: &str| {
        case.expect
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let mut limits = Limits::default();
    for (k, v) in &case.expect {
        if k == "limit" {
            let (name, n) = v.split_once('=').ok_or("bad limit line")?;
            let n: usize = n.trim().parse().map_err(|_| "bad limit number")?;
            match name.trim() {
                "max_document_bytes" => limits.max_document_bytes = n,
                "max_depth" => limits.max_depth = n,
                "max_layers" => limits.max_layers = n,
                "max_entries" => limits.max_entries = n,
                other => return Err(format!("unknown limit {other}")),
            }
        }
    }
    let hint = match get("hint") {
        Some(id) => Some(DocumentKind::from_id(id).ok_or(format!("unknown hint {id}"))?),
        None => None,
    };
    let mut docs: Vec<Document> = Vec::new();
    let mut error: Option<Diagnostic> = None;
    for path in &case.inputs {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        match input::read(&name, &bytes, hint, &limits) {
            Ok(doc) => docs.push(doc),
            Err(e) => {
                error = Some(e.to_diagnostic());
                break;
            }
        }
    }
    let subjects = if error.is_none() {
        match input::subjects(&docs) {
            Ok(s) => s,
            Err(e) => {
                error = Some(e.to_diagnostic());
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };

    if let Some(code) = get("error") {
        let Some(d) = &error else {
            return Err(format!("expected error {code}, but it read fine"));
        };
        if d.code != code {
            return Err(format!("expected error {code}, got {d}"));
        }
        for (k, v) in &case.expect {
            let ok = match k.as_str() {
                "message" => d.message.contains(v.as_str()),
                "help" => d.help.as_deref().is_some_and(|h| h.contains(v.as_str())),
                "line" => d.location.line.map(|l| l.to_string()).as_deref() == Some(v.as_str()),
                "column" => d.location.column.map(|c| c.to_string()).as_deref() == Some(v.as_str()),
                // `pointer: none`: the error names the file only (the whole document)
                "pointer" if v == "none" => d.location.pointer.is_none(),
                "pointer" => d.location.pointer.as_deref() == Some(v.as_str()),
                _ => true,
            };
            if !ok {
                return Err(format!("{k}: expected {v:?} in {d} ({:?})", d.location));
            }
        }
        if d.location.file.is_none() {
            return Err(format!("the error names no file: {d}"));
        }
        return Ok(());
    }
    if let Some(d) = error {
        return Err(format!("unexpected error: {d}"));
    }

    let mut current = 0;
    for (k, v) in &case.expect {
        let subject = || {
            subjects.get(current).ok_or(format!(
                "no subject {current} (there are {})",
                subjects.len()
            ))
        };
        let fact_at = |path: &str| -> Result<&Fact, String> {
            lookup(subject()?, path).ok_or(format!("no fact {path}"))
        };
        match k.as_str() {
            "kind" => {
                let doc = docs.first().ok_or("no document")?;
                if doc.kind.id() != v {
                    return Err(format!("kind: expected {v}, detected {}", doc.kind.id()));
                }
            }
            "entries" => {
                let s = input::summarize(docs.first().ok_or("no document")?);
                if s.entries.to_string() != *v {
                    return Err(format!("entries: expected {v}, got {}", s.entries));
                }
            }
            "summary-note" => {
                let s = input::summarize(docs.first().ok_or("no document")?);
                if !s.notes.iter().any(|n| n.contains(v.as_str())) {
                    return Err(format!("summary notes {:?} lack {v:?}", s.notes));
                }
            }
            "subjects" => {
                if subjects.len().to_string() != *v {
                    return Err(format!("subjects: expected {v}, got {}", subjects.len()));
                }
            }
            "subject" => current = v.parse().map_err(|_| "bad subject index")?,
            "label" => {
                let s = subject()?;
                if s.label != *v {
                    return Err(format!("label: expected {v:?}, got {:?}", s.label));
                }
            }
            "note" => {
                let s = subject()?;
                if !s.notes.iter().any(|n| n.contains(v.as_str())) {
                    return Err(format!("notes {:?} lack {v:?}", s.notes));
                }
            }
            "documents" => {
                let s = subject()?;
                if s.documents.join(", ") != *v {
                    return Err(format!("documents: expected {v}, got {:?}", s.documents));
                }
            }
            "fact" | "raw" | "evidence" => {
                let (path, want) = v
                    .split_once(" = ")
                    .unwrap_or((v.trim_end_matches(" ="), ""));
                let got = match k.as_str() {
                    "fact" => lookup(subject()?, path).map_or("missing".to_string(), Fact::display),
                    "raw" => fact_at(path)?
                        .as_text()
                        .map(|t| t.raw.to_string())
                        .ok_or(format!("{path} is not text"))?,
                    _ => {
                        let ev = fact_at(path)?
                            .evidence
                            .clone()
                            .ok_or(format!("{path} has no evidence"))?;
                        let mut s = ev.pointer.to_string();
                        if let Some(line) = ev.line() {
                            s.push_str(&format!(" line {line}"));
                        }
                        if let Some(layer) = ev.layer() {
                            s.push_str(&format!(" layer {layer}"));
                        }
                        s
                    }
                };
                if got != want {
                    return Err(format!("{k} {path}: expected {want:?}, got {got:?}"));
                }
            }
            "secret" | "truncated" => {
                let t = fact_at(v)?.as_text().ok_or(format!("{v} is not text"))?;
                let flag = if k == "secret" { t.secret } else { t.truncated };
                if !flag {
                    return Err(format!("{v} is not marked {k}"));
                }
            }
            "hint" | "limit" => {}
            other => return Err(format!("unknown expectation `{other}`")),
        }
    }
    Ok(())
}

#[test]
fn input_cases() {
    let cases = load_cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(e) = run(case) {
            failures.push(format!("{}: {e}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} input cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// `subjects_lazy` + `Pending::build` (which moves the parsed JSON into the facts, as `api::check`
/// does) builds the same subjects, or the same error, as `subjects` for every case, and for the shared
/// corpus.
#[test]
fn taking_builds_the_same_subjects() {
    let mut sets: Vec<(String, Vec<PathBuf>)> = load_cases()
        .into_iter()
        .map(|c| (c.name, c.inputs))
        .collect();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if let Ok(kinds) = std::fs::read_dir(&corpus) {
        for kind in kinds.flatten().filter(|k| k.path().is_dir()) {
            for file in std::fs::read_dir(kind.path()).unwrap().flatten() {
                sets.push((file.path().display().to_string(), vec![file.path()]));
            }
        }
    }
    let mut compared = 0;
    for (name, inputs) in sets {
        let docs: Result<Vec<Document>, _> = inputs
            .iter()
            .map(|p| input::read("d", &std::fs::read(p).unwrap(), None, &Limits::default()))
            .collect();
        let Ok(docs) = docs else { continue };
        let borrowed = input::subjects(&docs);
        let mut owned = docs.clone();
        let taken = input::subjects_lazy(&mut owned).and_then(|pending| {
            pending
                .into_iter()
                .map(|p| p.build(&clearance_core::facts::Root::ALL))
                .collect::<Result<Vec<_>, _>>()
        });
        assert_eq!(borrowed, taken, "{name}");
        compared += 1;
    }
    assert!(compared > 40, "only {compared} sets compared");
}

/// Every input file of the cases, read once.
fn fixtures() -> &'static [Vec<u8>] {
    static FIXTURES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        load_cases()
            .iter()
            .flat_map(|c| c.inputs.iter().map(|p| std::fs::read(p).unwrap()))
            .collect()
    })
}

/// Reads, groups and summarises; must never panic, whatever the bytes.
fn exercise(bytes: &[u8]) {
    let limits = Limits::default();
    for hint in [
        None,
        Some(DocumentKind::DockerHistory),
        Some(DocumentKind::OciImageConfig),
    ] {
        if let Ok(doc) = input::read("fuzz.json", bytes, hint, &limits) {
            let _ = input::summarize(&doc);
            let _ = input::subjects(std::slice::from_ref(&doc));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Fixtures with bytes overwritten and the end cut off: errors, never panics.
    #[test]
    fn mutated_fixtures_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in any::<Option<prop::sample::Index>>(),
    ) {
        let all = fixtures();
        let mut bytes = all[pick.index(all.len())].clone();
        if !bytes.is_empty() {
            for (at, b) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *b;
            }
            if let Some(c) = cut {
                bytes.truncate(c.index(bytes.len()));
            }
        }
        exercise(&bytes);
    }

    /// JSON values of any shape in the places the normalisers read (wrong types everywhere).
    #[test]
    fn wrong_types_anywhere_never_panic(
        pick in any::<prop::sample::Index>(),
        replacement in prop_oneof![
            Just("null"), Just("1"), Just("-1"), Just("1e300"), Just("true"), Just("\"x\""),
            Just("[]"), Just("{}"), Just("[1,{}]"), Just("{\"a\":[]}"), Just("\"\""),
        ],
        nth in 0usize..40,
    ) {
        let all = fixtures();
        let text = String::from_utf8_lossy(&all[pick.index(all.len())]).to_string();
        // replace the value after the nth `": ` with the replacement
        let mut out = text.clone();
        if let Some((at, _)) = text.match_indices("\": ").nth(nth) {
            let start = at + 3;
            let rest = &text[start..];
            let end = rest.find([',', '\n', '}']).map_or(text.len(), |e| start + e);
            out = format!("{}{}{}", &text[..start], replacement, &text[end..]);
        }
        exercise(out.as_bytes());
    }
}
