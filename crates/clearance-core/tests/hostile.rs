//! Hostile and odd inputs, from the table in `tests/hostile/cases.yaml` (its header describes the
//! format). Every case runs through the JSON façade ([`api::check`]), as the CLI, the npm package and the
//! web app call it (dumps that are not UTF-8 go through [`input::read`], the byte-level reader), on its
//! own thread with a time budget: no case may panic or hang. A case expects either an error (code,
//! message, and a location that names the document and a line/column or pointer) or, for odd but valid
//! input, the report (verdict and statuses).
//!
//! Large inputs (100,000-deep nesting, a 10 MB string, a 64 MB file, 10,000 requirements) are
//! generated here, never committed.
#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test harness: it reads its fixtures from disk"
)]

use clearance_core::api::{
    self, Answer, CheckRequest, DumpContent, DumpInput, LimitsInput, PolicyInput, WaiversInput,
};
use clearance_core::builtin;
use clearance_core::input::{self, DocumentKind};
use clearance_core::{Diagnostic, ToDiagnostic};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile")
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// The item of the issue's list this case covers (for docs/reliability.md).
    #[allow(dead_code)]
    covers: String,
    #[serde(default)]
    dumps: Vec<DumpSpec>,
    /// Built-in pack names, files under `policies/`, or generated policies. Default: `basic.yaml`.
    #[serde(default)]
    policies: Vec<PolicySpec>,
    #[serde(default)]
    waivers: Option<String>,
    #[serde(default)]
    today: Option<String>,
    #[serde(default)]
    limits: Option<LimitsInput>,
    /// Seconds the case may take (debug build); past it the case is a hang. Default 30.
    #[serde(default)]
    seconds: Option<u64>,
    expect: Expect,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct DumpSpec {
    /// Name the dump is given (defaults to the file name, else `dump.json`).
    #[serde(default)]
    name: Option<String>,
    /// A file under `tests/hostile/dumps/`.
    #[serde(default)]
    file: Option<String>,
    /// A file under `../shared/corpus/` (the case is skipped when the corpus is absent).
    #[serde(default)]
    corpus: Option<String>,
    /// The text itself.
    #[serde(default)]
    text: Option<String>,
    /// A generator (see [`generate`]) and its size.
    #[serde(default)]
    generate: Option<String>,
    #[serde(default)]
    n: Option<usize>,
    /// Re-encode the text: `utf16le`, `utf16be` (with a byte-order mark), `utf16le-nobom`,
    /// `utf16le-odd` (one byte cut off).
    #[serde(default)]
    encode: Option<String>,
    /// The document kind given by the caller (`kind` in the API, `--kind` on the command line).
    #[serde(default)]
    kind: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
enum PolicySpec {
    Name(String),
    Generated { generate: String, n: usize },
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Expect {
    // an error
    #[serde(default)]
    error: Option<String>,
    /// The file the error names (defaults to the first dump's name for `input/` codes).
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    column: Option<usize>,
    #[serde(default)]
    pointer: Option<String>,
    /// Substring of the first error's message, or of a result's message.
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    help: Option<String>,
    /// Number of errors, when more than one.
    #[serde(default)]
    errors: Option<usize>,
    // a report
    #[serde(default)]
    verdict: Option<String>,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    subjects: Option<usize>,
    /// Status per requirement id, for every subject.
    #[serde(default)]
    results: BTreeMap<String, String>,
    /// Substrings of a result's `actual`, per requirement id.
    #[serde(default)]
    actual: BTreeMap<String, String>,
    /// Substrings found in the report notes or a subject's notes.
    #[serde(default)]
    notes: Vec<String>,
    /// Number of results per subject.
    #[serde(default)]
    total: Option<usize>,
}

// ───────────────────────────── generators ─────────────────────────────

const IMAGE_ID: &str = "sha256:4f8c2d1a9b7e6f5a4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4";

fn image(extra_config: &str) -> String {
    format!(
        r#"[{{"Id":"{IMAGE_ID}","RepoTags":["hostile:1"],"Architecture":"amd64","Os":"linux","Config":{{"User":"1001","Env":["PATH=/usr/bin"]{extra_config}}},"RootFS":{{"Type":"layers","Layers":["sha256:aa"]}}}}]"#
    )
}

fn history_line(created_by: &str, size: &str) -> String {
    json!({
        "Comment": "",
        "CreatedAt": "2026-05-07T19:41:29Z",
        "CreatedBy": created_by,
        "CreatedSince": "1 minute ago",
        "ID": "<missing>",
        "Size": size,
    })
    .to_string()
}

/// Builds a large or deep dump at test time (never committed).
fn generate(what: &str, n: usize) -> String {
    match what {
        // `[[[[…]]]]`, n levels
        "deep-arrays" => format!("{}{}", "[".repeat(n), "]".repeat(n)),
        // `{"a":{"a":…1…}}`, n levels
        "deep-objects" => format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n)),
        // a valid image whose label holds n levels of arrays
        "deep-label" => image(&format!(
            r#","Labels":{{"deep":{}{}}}"#,
            "[".repeat(n),
            "]".repeat(n)
        )),
        // a valid image with one label value of n bytes
        "big-label" => image(&format!(r#","Labels":{{"big":"{}"}}"#, "a".repeat(n))),
        // a one-line docker history whose CreatedBy is n bytes
        "big-created-by" => {
            history_line(&format!("/bin/sh -c echo {}", "x".repeat(n)), "1MB") + "\n"
        }
        // docker history JSON lines, about n bytes in all, 1 KiB a line
        "history-bytes" => {
            let filler = "y".repeat(900);
            let mut out = String::with_capacity(n + 2048);
            let mut i = 0;
            while out.len() < n {
                out.push_str(&history_line(
                    &format!("RUN /bin/sh -c echo {i} {filler} # buildkit"),
                    "1kB",
                ));
                out.push('\n');
                i += 1;
            }
            out
        }
        // docker history with n lines
        "history-lines" => (0..n)
            .map(|i| history_line(&format!("RUN /bin/sh -c echo {i} # buildkit"), "0B") + "\n")
            .collect(),
        // an image inspect array of n images
        "images" => {
            let items: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        r#"{{"Id":"sha256:{i:064x}","RepoTags":["img{i}:1"],"Config":{{"User":"1001"}}}}"#
                    )
                })
                .collect();
            format!("[{}]", items.join(","))
        }
        other => panic!("unknown dump generator `{other}`"),
    }
}

/// A policy with n requirements (`many-requirements`), or the same with the last id repeated
/// (`many-requirements-duplicate`); a policy that includes a pack n times: `image-baseline` by name
/// (`many-includes`), or `runtime-hardening` with a `with:` value (`many-includes-with`).
fn generate_policy(what: &str, n: usize) -> String {
    if let Some(form) = what.strip_prefix("many-includes") {
        let mut out = String::from("name: many-includes\ntitle: Many includes\ninclude:\n");
        for _ in 0..n {
            out.push_str(if form.is_empty() {
                "  - image-baseline\n"
            } else {
                "  - {pack: runtime-hardening, with: {max_memory: 1GB}}\n"
            });
        }
        return out;
    }
    let mut out = String::from("name: many\ntitle: Many requirements\nrequirements:\n");
    for i in 0..n {
        let id = if what == "many-requirements-duplicate" && i + 1 == n {
            i - 1
        } else {
            i
        };
        out.push_str(&format!(
            "  - id: GEN-{id:05}\n    title: runs as 1001 ({i})\n    section: Generated\n    severity: error\n    description: generated\n    remediation: generated\n    check: {{fact: image.user, equals: \"1001\"}}\n"
        ));
    }
    out
}

fn encode(text: &str, how: &str) -> Vec<u8> {
    let units = text.encode_utf16();
    let mut out = Vec::new();
    match how {
        "utf16le" => {
            out.extend_from_slice(&[0xFF, 0xFE]);
            units.for_each(|u| out.extend_from_slice(&u.to_le_bytes()));
        }
        "utf16be" => {
            out.extend_from_slice(&[0xFE, 0xFF]);
            units.for_each(|u| out.extend_from_slice(&u.to_be_bytes()));
        }
        "utf16le-nobom" => units.for_each(|u| out.extend_from_slice(&u.to_le_bytes())),
        "utf16le-odd" => {
            out.extend_from_slice(&[0xFF, 0xFE]);
            units.for_each(|u| out.extend_from_slice(&u.to_le_bytes()));
            out.pop();
        }
        other => panic!("unknown encoding `{other}`"),
    }
    out
}

/// The dump's name and bytes; `None` when it needs the shared corpus and that is absent.
fn dump_bytes(spec: &DumpSpec) -> Option<(String, Vec<u8>)> {
    let (default_name, mut bytes) = if let Some(file) = &spec.file {
        (
            file.clone(),
            std::fs::read(dir().join("dumps").join(file)).unwrap(),
        )
    } else if let Some(file) = &spec.corpus {
        let path = corpus().join(file);
        if !path.exists() {
            return None;
        }
        let name = Path::new(file)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        (name, std::fs::read(path).unwrap())
    } else if let Some(text) = &spec.text {
        ("dump.json".to_string(), text.clone().into_bytes())
    } else if let Some(what) = &spec.generate {
        (
            "dump.json".to_string(),
            generate(what, spec.n.unwrap_or(0)).into_bytes(),
        )
    } else {
        panic!("a dump needs `file`, `corpus`, `text` or `generate`")
    };
    if let Some(how) = &spec.encode {
        bytes = encode(std::str::from_utf8(&bytes).unwrap(), how);
    }
    Some((spec.name.clone().unwrap_or(default_name), bytes))
}

fn policy_input(spec: &PolicySpec) -> PolicyInput {
    match spec {
        PolicySpec::Name(name) if builtin::find(name).is_some() => {
            PolicyInput::Builtin(name.clone())
        }
        PolicySpec::Name(file) => PolicyInput::Text {
            name: file.clone(),
            text: std::fs::read_to_string(dir().join("policies").join(file)).unwrap(),
        },
        PolicySpec::Generated { generate, n } => PolicyInput::Text {
            name: format!("{generate}.yaml"),
            text: generate_policy(generate, *n),
        },
    }
}

// ───────────────────────────── running ─────────────────────────────

/// What a case produced: the errors, or the report (as JSON) and the kinds of the documents.
enum Outcome {
    Errors(Vec<Diagnostic>),
    Report { report: Value, kinds: Vec<String> },
    Read { kinds: Vec<String> },
}

fn execute(case: &Case) -> Option<Outcome> {
    let mut dumps = Vec::new();
    for spec in &case.dumps {
        dumps.push((spec, dump_bytes(spec)?));
    }
    // Bytes that are not UTF-8 cannot travel as text through the façade: the byte-level reader.
    if dumps
        .iter()
        .any(|(_, (_, bytes))| std::str::from_utf8(bytes).is_err())
    {
        let limits = case.limits.clone().unwrap_or_default().apply();
        let mut kinds = Vec::new();
        for (spec, (name, bytes)) in &dumps {
            let hint = spec
                .kind
                .as_deref()
                .map(|k| DocumentKind::from_id(k).unwrap());
            match input::read(name, bytes, hint, &limits) {
                Ok(doc) => kinds.push(doc.kind.id().to_string()),
                Err(e) => return Some(Outcome::Errors(vec![e.to_diagnostic()])),
            }
        }
        return Some(Outcome::Read { kinds });
    }
    let policies = if case.policies.is_empty() {
        vec![policy_input(&PolicySpec::Name("basic.yaml".into()))]
    } else {
        case.policies.iter().map(policy_input).collect()
    };
    let request = CheckRequest {
        policies,
        dumps: dumps
            .into_iter()
            .map(|(spec, (name, bytes))| DumpInput {
                name,
                content: DumpContent::Text(String::from_utf8(bytes).unwrap()),
                kind: spec.kind.clone(),
            })
            .collect(),
        waivers: case.waivers.as_ref().map(|file| WaiversInput {
            name: file.clone(),
            text: std::fs::read_to_string(dir().join("waivers").join(file)).unwrap(),
        }),
        today: case.today.clone(),
        limits: case.limits.clone(),
    };
    Some(match api::check(&request) {
        Answer::Failure { errors } => Outcome::Errors(errors),
        Answer::Success { value } => Outcome::Report {
            kinds: value
                .documents
                .iter()
                .map(|d| d.kind.id().to_string())
                .collect(),
            report: serde_json::to_value(&value.report).unwrap(),
        },
    })
}

/// Every error must name its document and a position, and say what is wrong.
fn check_error_shape(d: &Diagnostic) -> Result<(), String> {
    if d.code.starts_with("request/") {
        return Ok(());
    }
    let l = &d.location;
    if l.file.as_deref().unwrap_or_default().is_empty() {
        return Err(format!("the error names no document: {d}"));
    }
    if l.line.is_none() && l.pointer.is_none() {
        return Err(format!(
            "the error has no line/column or pointer: {d} ({l:?})"
        ));
    }
    if d.message.trim().is_empty() {
        return Err(format!("the error has no message: {d:?}"));
    }
    Ok(())
}

fn verify(case: &Case, outcome: Outcome) -> Result<(), String> {
    let e = &case.expect;
    let errors = match &outcome {
        Outcome::Errors(errors) => Some(errors),
        _ => None,
    };
    for d in errors.into_iter().flatten() {
        check_error_shape(d)?;
    }
    if let Some(code) = &e.error {
        let Some(errors) = errors else {
            return Err(format!("expected error {code}, but it succeeded"));
        };
        let Some(d) = errors.iter().find(|d| &d.code == code) else {
            return Err(format!(
                "expected error {code}, got {}",
                errors
                    .iter()
                    .map(|d| format!("{} {d}", d.code))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        };
        let l = &d.location;
        let want_file = e.file.clone().or_else(|| {
            code.starts_with("input/").then(|| {
                case.dumps
                    .first()
                    .and_then(|s| dump_bytes(s).map(|(n, _)| n))
                    .unwrap_or_default()
            })
        });
        let mut problems = Vec::new();
        if let Some(f) = want_file {
            if l.file.as_deref() != Some(f.as_str()) {
                problems.push(format!("file: want {f:?}, got {:?}", l.file));
            }
        }
        if e.line.is_some() && e.line != l.line {
            problems.push(format!("line: want {:?}, got {:?}", e.line, l.line));
        }
        if e.column.is_some() && e.column != l.column {
            problems.push(format!("column: want {:?}, got {:?}", e.column, l.column));
        }
        if e.pointer.is_some() && e.pointer != l.pointer {
            problems.push(format!(
                "pointer: want {:?}, got {:?}",
                e.pointer, l.pointer
            ));
        }
        if let Some(m) = &e.message {
            if !d.message.contains(m.as_str()) {
                problems.push(format!("message: want {m:?} in {:?}", d.message));
            }
        }
        if let Some(h) = &e.help {
            if !d.help.as_deref().unwrap_or_default().contains(h.as_str()) {
                problems.push(format!("help: want {h:?} in {:?}", d.help));
            }
        }
        if let Some(n) = e.errors {
            if errors.len() != n {
                problems.push(format!("errors: want {n}, got {}", errors.len()));
            }
        }
        return if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        };
    }
    let (report, kinds) = match outcome {
        Outcome::Errors(errors) => {
            return Err(format!(
                "unexpected errors: {}",
                errors
                    .iter()
                    .map(|d| format!("{} {d}", d.code))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        }
        Outcome::Read { kinds } => (None, kinds),
        Outcome::Report { report, kinds } => (Some(report), kinds),
    };
    if !e.kinds.is_empty() && e.kinds != kinds {
        return Err(format!("kinds: want {:?}, got {kinds:?}", e.kinds));
    }
    let Some(report) = report else {
        return Ok(());
    };
    check_renderings(&report)?;
    if let Some(v) = &e.verdict {
        if report["verdict"] != *v {
            return Err(format!("verdict: want {v}, got {}", report["verdict"]));
        }
    }
    let subjects = report["subjects"].as_array().unwrap();
    if let Some(n) = e.subjects {
        if subjects.len() != n {
            return Err(format!("subjects: want {n}, got {}", subjects.len()));
        }
    }
    for s in subjects {
        let results = s["results"].as_array().unwrap();
        if let Some(n) = e.total {
            if results.len() != n {
                return Err(format!("results: want {n}, got {}", results.len()));
            }
        }
        let find = |id: &str| {
            results
                .iter()
                .find(|r| r["id"] == id)
                .ok_or(format!("no result for {id}"))
        };
        for (id, status) in &e.results {
            let r = find(id)?;
            if r["status"] != *status {
                return Err(format!(
                    "{id}: want {status}, got {} ({})",
                    r["status"], r["message"]
                ));
            }
        }
        for (id, want) in &e.actual {
            let r = find(id)?;
            let got = r["actual"].as_str().unwrap_or_default();
            if !got.contains(want.as_str()) {
                return Err(format!("{id}: want {want:?} in actual {got:?}"));
            }
        }
    }
    let all_notes: Vec<String> = report["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            subjects
                .iter()
                .flat_map(|s| s["notes"].as_array().into_iter().flatten()),
        )
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    for n in &e.notes {
        if !all_notes.iter().any(|got| got.contains(n.as_str())) {
            return Err(format!("no note contains {n:?}: {all_notes:?}"));
        }
    }
    Ok(())
}

/// Every format renders the report; JSON and SARIF parse as JSON, JUnit as XML; text and Markdown hold
/// no raw control character or bidi override; no rendering is larger than the evidence bounds allow (a
/// 10 MB value is shown clipped, not whole).
fn check_renderings(report: &Value) -> Result<(), String> {
    let report: clearance_core::report::Report =
        serde_json::from_value(report.clone()).map_err(|e| format!("report round trip: {e}"))?;
    let results: usize = report.subjects.iter().map(|s| s.results.len()).sum();
    for format in clearance_core::report::Format::ALL {
        let out = clearance_core::report::render(
            &report,
            format,
            clearance_core::report::RenderOptions::default(),
        );
        let name = format.name();
        match name {
            "json" | "sarif" => {
                serde_json::from_str::<Value>(&out)
                    .map_err(|e| format!("{name}: not JSON: {e}"))?;
            }
            "junit" => {
                roxmltree::Document::parse(&out).map_err(|e| format!("junit: not XML: {e}"))?;
            }
            // read by people in terminals and CI logs: no control character or bidi override from a
            // dump may reach them raw (a forged line, a cleared screen, reordered text)
            _ => {
                if let Some(c) = out.chars().find(|&c| {
                    (c.is_control() && c != '\n' && c != '\t')
                        || ('\u{202a}'..='\u{202e}').contains(&c)
                        || ('\u{2066}'..='\u{2069}').contains(&c)
                }) {
                    return Err(format!("{name}: a raw {:?} in the output", c));
                }
            }
        }
        let bound = 64 * 1024 * (results + 1);
        if out.len() > bound {
            return Err(format!(
                "{name}: {} bytes for {results} results (more than {bound})",
                out.len()
            ));
        }
    }
    Ok(())
}

/// Runs one case on its own thread: a panic is a failure, and so is taking longer than its budget.
fn run(case: Case) -> Result<(), String> {
    let budget = Duration::from_secs(case.seconds.unwrap_or(30));
    let (send, receive) = std::sync::mpsc::channel();
    let started = Instant::now();
    let worker = std::thread::Builder::new()
        .name(case.name.clone())
        .stack_size(1 << 20) // wasm's stack: 1 MiB
        .spawn(move || {
            let result = match execute(&case) {
                None => Ok(()),
                Some(outcome) => verify(&case, outcome),
            };
            let _ = send.send(result);
        })
        .unwrap();
    match receive.recv_timeout(budget) {
        Ok(result) => {
            worker.join().map_err(|_| "panicked".to_string())?;
            result
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "no answer after {:?}: a hang (or far too slow)",
            started.elapsed()
        )),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(p) => Err(format!(
                "panicked: {}",
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            )),
            Ok(()) => Err("the case gave no answer".into()),
        },
    }
}

fn load_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(dir().join("cases.yaml")).unwrap();
    let json = clearance_core::policy::parse_to_json(&text).unwrap();
    serde_json::from_value(json["cases"].clone()).unwrap()
}

#[test]
fn hostile_cases() {
    let cases = load_cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut names = std::collections::BTreeSet::new();
    for c in &cases {
        assert!(
            names.insert(c.name.clone()),
            "duplicate case name {}",
            c.name
        );
    }
    let only = std::env::var("HOSTILE_CASE").ok();
    let total = cases.len();
    let mut failures = Vec::new();
    for case in cases {
        if only.as_deref().is_some_and(|o| !case.name.contains(o)) {
            continue;
        }
        let name = case.name.clone();
        let started = Instant::now();
        let result = run(case);
        eprintln!("{name}: {:?}", started.elapsed());
        if let Err(e) = result {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} hostile cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The work cap (`maxSteps`) is per requirement and subject, so a policy of many expensive
/// requirements multiplies it: 1,000 requirements that each run 100 `any` over a 100,000-layer history
/// take about 1.7 s each in a release build (half an hour in all). The evaluator needs a cap on the
/// whole evaluation (past it, the remaining requirements are `error`, the verdict `incomplete`).
/// The cap is `limits.maxTotalSteps` (default 200,000,000); this test sets it low to stay fast in debug builds.
#[test]
fn total_evaluation_work_is_bounded() {
    let mut policy = String::from("name: work-bomb\ntitle: Work bomb\nrequirements:\n");
    for r in 0..1000 {
        policy.push_str(&format!(
            "  - id: WB-{r:04}\n    title: t\n    section: s\n    severity: error\n    description: d\n    remediation: r\n    check:\n      all_of:\n"
        ));
        for k in 0..100 {
            policy.push_str(&format!(
                "        - {{fact: history, any: {{fact: created_by, matches: 'zzz{k}'}}}}\n"
            ));
        }
    }
    let request = CheckRequest {
        policies: vec![PolicyInput::Text {
            name: "work-bomb.yaml".into(),
            text: policy,
        }],
        dumps: vec![DumpInput {
            name: "history.jsonl".into(),
            content: DumpContent::Text(generate("history-lines", 100_000)),
            kind: None,
        }],
        waivers: None,
        today: None,
        limits: Some(clearance_core::api::LimitsInput {
            max_total_steps: Some(2_000_000),
            ..Default::default()
        }),
    };
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(api::check(&request).ok().map(|o| o.report.verdict));
    });
    let verdict = receive
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("the evaluation did not end within 60 s"));
    assert_eq!(
        serde_json::to_value(verdict.unwrap()).unwrap(),
        json!("incomplete")
    );
}
