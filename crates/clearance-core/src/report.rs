//! The report: per subject, per requirement, a status with expected/actual/evidence, and a verdict.
//! Renderers for every output format live beside it, so the CLI, the npm package and the web app
//! produce the same bytes.
//!
//! All strings in a report are already masked (they come from [`crate::facts::Fact::display`]).

mod junit;
mod markdown;
mod sarif;
mod text;

use crate::policy::Severity;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The status of one requirement for one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Status {
    Pass,
    Fail,
    /// Failed (or errored), but an unexpired waiver covers it.
    Waived,
    /// Its `when` condition does not hold.
    NotApplicable,
    /// It could not be decided: its evidence is missing (a document not given, a truncated line) or
    /// evaluation failed. Never counts as a pass.
    Error,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Pass,
        Status::Fail,
        Status::Waived,
        Status::NotApplicable,
        Status::Error,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Waived => "waived",
            Status::NotApplicable => "not_applicable",
            Status::Error => "error",
        }
    }
}

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Verdict {
    /// Every blocking (`error` severity) requirement passed, was waived or was not applicable.
    Pass,
    /// A blocking requirement failed.
    Fail,
    /// No blocking requirement failed, but one could not be decided (a needed document was not given,
    /// a history line was truncated, evaluation failed).
    Incomplete,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Incomplete => "incomplete",
        }
    }
}

/// Counts by status, and failures by severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Counts {
    pub total: usize,
    pub pass: usize,
    pub fail: usize,
    pub waived: usize,
    pub not_applicable: usize,
    pub error: usize,
    /// Failed requirements by severity.
    pub failed_by_severity: SeverityCounts,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// One piece of evidence behind a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct EvidenceItem {
    /// The document the value was read from (its file name, `-` for standard input, or the name given).
    // Shared with the facts: one allocation per document, not per item.
    pub document: Arc<str>,
    /// RFC 6901 JSON pointer into the document.
    // Shared with the fact's evidence where the fact shares it (the pointers of an entry's fields
    // are parts of one string): no copy an item.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub pointer: crate::facts::Str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 0-based history layer index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
    /// The layer's Dockerfile instruction line (masked), for history evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instruction: Option<String>,
    /// The value found there (masked).
    // Shared with the result's `actual` when that shows the same fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub value: Option<crate::facts::Str>,
}

/// How a waiver bore on a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct WaiverNote {
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// False when the waiver had expired on the evaluation date, or has an expiry date and no date was
    /// given (the result keeps its status).
    pub applied: bool,
    /// What happened, in one line: `waiver applies until 2026-12-31`, `waiver expired on 2026-01-31
    /// (today is 2026-02-01)`, `waiver has an expiry date but no --today was given (…)`.
    #[serde(default)]
    pub message: String,
}

/// The result of one requirement for one subject.
// The texts that belong to the requirement, not to the result (`id`, `title`, `description`,
// `section`, `policy`, `expected`, `remediation`, `clause`), are `Arc<str>` shared by every subject's
// result of the same requirement: a report on thousands of images holds each of them once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct RequirementResult {
    pub id: Arc<str>,
    pub title: Arc<str>,
    /// What the requirement checks and why (the policy's `description`).
    #[serde(default = "empty")]
    pub description: Arc<str>,
    pub section: Arc<str>,
    pub severity: Severity,
    /// The policy that defined the requirement.
    pub policy: Arc<str>,
    pub status: Status,
    /// One line saying what was found.
    pub message: String,
    pub expected: Arc<str>,
    // Shared with the evidence item's `value` when it shows one fact.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub actual: crate::facts::Str,
    pub evidence: Vec<EvidenceItem>,
    /// Evidence items left out of `evidence` to keep it bounded (0 when none were).
    #[serde(default)]
    pub evidence_omitted: usize,
    pub remediation: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Box<WaiverNote>>,
}

fn empty() -> Arc<str> {
    Arc::from("")
}

/// The results for one subject (an image, with its history and container when given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct SubjectReport {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    pub tags: Vec<String>,
    pub digests: Vec<String>,
    pub documents: Vec<String>,
    pub verdict: Verdict,
    pub counts: Counts,
    pub notes: Vec<String>,
    // Shared: a result reused for many subjects (one that reads only documents they lack) is held
    // once. Serialised as the result itself.
    pub results: Vec<Arc<RequirementResult>>,
}

/// A policy that took part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct PolicyInfo {
    pub name: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The whole report. Its JSON form is documented in `docs/report-format.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct Report {
    /// Version of the report format (bumped on incompatible change).
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub policies: Vec<PolicyInfo>,
    /// The date waivers were judged against, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub today: Option<String>,
    pub verdict: Verdict,
    pub counts: Counts,
    /// Report-level notes for the reviewer: waivers that name no loaded requirement, match no subject,
    /// did not apply or were not needed; no subject or no requirement evaluated.
    #[serde(default)]
    pub notes: Vec<String>,
    pub subjects: Vec<SubjectReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

impl ToolInfo {
    pub fn current() -> Self {
        Self {
            name: "clearance".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// Output formats every home offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ReportFormat"))]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Markdown,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// Options for rendering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colour in the text format (the CLI decides: a TTY and no `NO_COLOR`).
    pub color: bool,
}

/// A report's results grouped by section, sections in order of first appearance (policy order).
fn by_section(results: &[Arc<RequirementResult>]) -> Vec<(&str, Vec<&RequirementResult>)> {
    let mut groups: Vec<(&str, Vec<&RequirementResult>)> = Vec::new();
    for r in results.iter().map(|r| &**r) {
        match groups.iter_mut().find(|(s, _)| *s == &*r.section) {
            Some((_, list)) => list.push(r),
            None => groups.push((&r.section, vec![r])),
        }
    }
    groups
}

/// Characters no renderer prints as they are: control characters and the bidirectional overrides
/// that can make text read differently from what it holds.
fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The bidirectional embeddings, overrides and isolates ("Trojan Source"): escaped even where line
/// breaks and tabs are kept (JUnit character data, SARIF messages).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with its bidirectional controls escaped (see [`is_bidi_control`]); other characters kept.
fn escape_bidi(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_bidi_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_bidi_control(c) {
            out.push_str(&escape_char(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `\u{1b}` for an unsafe character (see [`is_unsafe_char`]).
fn escape_char(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

/// Renders a report. Deterministic: the same report gives the same bytes everywhere.
pub fn render(report: &Report, format: Format, options: RenderOptions) -> String {
    match format {
        Format::Text => text::render(report, options),
        Format::Json => to_json(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Markdown => markdown::render(report),
    }
}

/// [`render`] into a writer: the same bytes. The JSON form is written as it is serialised, so a large
/// report is never held twice (as data and as text); the other formats are rendered, then written.
pub fn render_to(
    report: &Report,
    format: Format,
    options: RenderOptions,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, report).map_err(std::io::Error::from)?;
            out.write_all(b"\n")
        }
        other => out.write_all(render(report, other, options).as_bytes()),
    }
}

/// The JSON form: pretty-printed with two spaces, keys in declaration order, ending in a newline.
pub fn to_json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        // Serialising these plain data types cannot fail; keep a valid document if it ever does.
        format!(
            "{{\"error\": {}}}",
            serde_json::Value::String(format!("report could not be serialised: {e}"))
        )
    });
    out.push('\n');
    out
}
