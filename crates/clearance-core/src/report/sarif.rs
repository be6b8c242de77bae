//! SARIF 2.1.0: one run; one rule per requirement; a result for every `fail`, `error` and `waived`
//! requirement of every subject (waived ones carry an accepted `suppression`).
//!
//! Locations: the dump as `artifactLocation.uri` (with `region.startLine` for line-oriented history),
//! and the JSON pointer as a logical location and in `properties.jsonPointer`.

use super::{escape_bidi, Report, RequirementResult, Status, SubjectReport};
use crate::policy::Severity;
use serde_json::{json, Map, Value};

pub(super) const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Locations written per result, at most.
const MAX_LOCATIONS: usize = 10;

/// The key of a result's `partialFingerprints` entry (bumped if the value's form ever changes).
const FINGERPRINT: &str = "clearance/v1";

/// What makes a result the same alert from one run to the next: the defining pack, the requirement
/// id and the subject's label (its first tag, else its container name, else its short image id). The
/// image id is left out on purpose: every rebuild changes it, and code scanning would close the alert
/// and open a new one. Dumps have no stable line contents for GitHub to hash, hence this.
fn fingerprint(subject: &SubjectReport, r: &RequirementResult) -> String {
    format!("{}/{}:{}", r.policy, r.id, subject.label)
}

pub(super) fn render(report: &Report) -> String {
    let rules = Rules::collect(report);
    let mut results = Vec::new();
    for subject in &report.subjects {
        for r in &subject.results {
            if matches!(r.status, Status::Fail | Status::Error | Status::Waived) {
                results.push(result(subject, r, &rules));
            }
        }
    }
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({
            "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": rules.rules.iter().map(|(_, r)| rule(r, &rules.id_of(r))).collect::<Vec<_>>(),
            }
        }),
    );
    run.insert("columnKind".into(), json!("unicodeCodePoints"));
    run.insert("results".into(), Value::Array(results));
    run.insert(
        "properties".into(),
        json!({
            "verdict": report.verdict.name(),
            "policies": report.policies.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
            "today": report.today,
            "notes": report.notes,
            "subjects": report.subjects.iter().map(|s| json!({
                "label": s.label,
                "verdict": s.verdict.name(),
                "imageId": s.image_id,
            })).collect::<Vec<_>>(),
        }),
    );
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    });
    let mut out =
        serde_json::to_string_pretty(&drop_nulls(doc)).unwrap_or_else(|_| String::from("{}"));
    out.push('\n');
    out
}

/// One rule per (requirement id, defining policy), in first-seen order. The rule id is the requirement
/// id, or `policy/ID` when two policies define the same id differently.
struct Rules<'r> {
    rules: Vec<((&'r str, &'r str), &'r RequirementResult)>,
}

impl<'r> Rules<'r> {
    fn collect(report: &'r Report) -> Self {
        let mut rules: Vec<((&str, &str), &RequirementResult)> = Vec::new();
        for s in &report.subjects {
            for r in &s.results {
                let key = (&*r.id, &*r.policy);
                if !rules.iter().any(|(k, _)| *k == key) {
                    rules.push((key, r));
                }
            }
        }
        Self { rules }
    }

    fn id_of(&self, r: &RequirementResult) -> String {
        let shared = self
            .rules
            .iter()
            .filter(|((id, _), _)| *id == &*r.id)
            .count()
            > 1;
        if shared {
            format!("{}/{}", r.policy, r.id)
        } else {
            r.id.to_string()
        }
    }

    fn index_of(&self, r: &RequirementResult) -> Option<usize> {
        self.rules
            .iter()
            .position(|((id, policy), _)| *id == &*r.id && *policy == &*r.policy)
    }
}

fn rule(r: &RequirementResult, id: &str) -> Value {
    let mut help = r.remediation.trim_end().to_string();
    if help.is_empty() {
        help = r.title.to_string();
    }
    let mut full = r.description.trim_end().to_string();
    if full.is_empty() {
        full = r.expected.to_string();
    }
    json!({
        "id": id,
        "name": pascal_case(&r.title),
        "shortDescription": { "text": escape_bidi(&r.title) },
        "fullDescription": { "text": escape_bidi(&full) },
        "help": { "text": escape_bidi(&help) },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "section": r.section,
            "policy": r.policy,
            "severity": r.severity.name(),
            "clause": r.clause,
            "tags": [r.section, r.policy],
        },
    })
}

fn result(subject: &SubjectReport, r: &RequirementResult, rules: &Rules<'_>) -> Value {
    let prefix = match r.status {
        Status::Error => "could not be decided: ",
        _ => "",
    };
    let mut obj = Map::new();
    obj.insert("ruleId".into(), json!(rules.id_of(r)));
    if let Some(index) = rules.index_of(r) {
        obj.insert("ruleIndex".into(), json!(index));
    }
    obj.insert("level".into(), json!(level(r.severity)));
    obj.insert(
        "message".into(),
        json!({ "text": escape_bidi(&format!("{}: {prefix}{} ({})", subject.label, r.message, r.title)) }),
    );
    obj.insert("locations".into(), Value::Array(locations(subject, r)));
    obj.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT: fingerprint(subject, r) }),
    );
    if r.status == Status::Waived {
        let mut justification = r
            .waiver
            .as_ref()
            .map(|w| w.reason.clone())
            .unwrap_or_default();
        if let Some(approver) = r.waiver.as_ref().and_then(|w| w.approver.as_ref()) {
            justification.push_str(&format!(" (approved by {approver})"));
        }
        obj.insert(
            "suppressions".into(),
            json!([{ "kind": "external", "status": "accepted", "justification": justification }]),
        );
    }
    obj.insert(
        "properties".into(),
        json!({
            "subject": subject.label,
            "status": r.status.name(),
            "severity": r.severity.name(),
            "section": r.section,
            "policy": r.policy,
            "expected": r.expected,
            "actual": r.actual,
            "waiver": r.waiver.as_ref().map(|w| w.message.clone()),
        }),
    );
    Value::Object(obj)
}

fn locations(subject: &SubjectReport, r: &RequirementResult) -> Vec<Value> {
    let mut out: Vec<Value> = r
        .evidence
        .iter()
        .take(MAX_LOCATIONS)
        .map(|e| {
            let mut physical = Map::new();
            physical.insert("artifactLocation".into(), artifact_location(&e.document));
            if let Some(line) = e.line {
                physical.insert("region".into(), json!({ "startLine": line }));
            }
            let mut properties = Map::new();
            properties.insert("jsonPointer".into(), json!(e.pointer));
            if let Some(layer) = e.layer {
                properties.insert("layer".into(), json!(layer));
            }
            if let Some(instruction) = &e.instruction {
                properties.insert("instruction".into(), json!(instruction));
            }
            if let Some(value) = &e.value {
                properties.insert("value".into(), json!(value));
            }
            json!({
                "physicalLocation": Value::Object(physical),
                "logicalLocations": [{
                    "name": e.pointer,
                    "fullyQualifiedName": format!("{}#{}", e.document, e.pointer),
                    "kind": "object",
                }],
                "properties": Value::Object(properties),
            })
        })
        .collect();
    if out.is_empty() {
        // Code scanning wants a location: the subject's first document.
        if let Some(doc) = subject.documents.first() {
            out.push(json!({ "physicalLocation": { "artifactLocation": artifact_location(doc) } }));
        }
    }
    out
}

/// A dump's `artifactLocation`. Standard input (`-`) has no file to point at: its `uri` stays `-`
/// and a `description` says what it is.
fn artifact_location(document: &str) -> Value {
    if document == "-" {
        json!({ "uri": "-", "description": { "text": "standard input" } })
    } else {
        json!({ "uri": uri(document) })
    }
}

/// SARIF has no use for `null`: optional members are left out instead.
fn drop_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, drop_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(drop_nulls).collect()),
        other => other,
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A document name as a URI: an absolute path as a `file:` URI (`/work/a b.json` →
/// `file:///work/a%20b.json`, `C:\x\y.json` → `file:///C:/x/y.json`, `\\host\share\y.json` →
/// `file://host/share/y.json`), any other name as a relative reference (`my dump.json` →
/// `my%20dump.json`). Path separators become `/`; everything else outside the unreserved set is
/// percent-encoded. Decided on the text alone, so every platform (and the wasm) gives the same bytes.
pub(super) fn uri(name: &str) -> String {
    let path = name.replace('\\', "/");
    if let Some(unc) = path.strip_prefix("//") {
        return format!("file://{}", percent_encode(unc));
    }
    if path.starts_with('/') {
        return format!("file://{}", percent_encode(&path));
    }
    let mut chars = path.chars();
    if let (Some(drive), Some(':'), Some('/')) = (chars.next(), chars.next(), chars.next()) {
        if drive.is_ascii_alphabetic() {
            return format!(
                "file:///{drive}:{}",
                percent_encode(path.get(2..).unwrap_or_default())
            );
        }
    }
    percent_encode(&path)
}

/// `/` and the unreserved characters as they are; every other byte as `%XX`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `Health check polls every 30 seconds` → `HealthCheckPollsEvery30Seconds`.
fn pascal_case(title: &str) -> String {
    let mut out = String::new();
    for word in title.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        out.push_str("Requirement");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn document_names_as_uris() {
        for (name, want) in [
            ("image.json", "image.json"),
            ("dumps/my dump.json", "dumps/my%20dump.json"),
            ("./a/b.jsonl", "./a/b.jsonl"),
            ("a\\b.json", "a/b.json"),
            (
                "docker image inspect app:1",
                "docker%20image%20inspect%20app%3A1",
            ),
            ("/work/x.json", "file:///work/x.json"),
            ("/work/ü #1.json", "file:///work/%C3%BC%20%231.json"),
            ("C:\\dumps\\x.json", "file:///C:/dumps/x.json"),
            ("c:/dumps/a b.json", "file:///c:/dumps/a%20b.json"),
            ("\\\\host\\share\\x.json", "file://host/share/x.json"),
            ("C:x.json", "C%3Ax.json"),
            ("-", "-"),
        ] {
            assert_eq!(uri(name), want, "{name}");
        }
    }
}
