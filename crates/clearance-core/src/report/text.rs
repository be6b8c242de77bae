//! The terminal report: grouped by subject and section, one line per requirement, details under every
//! result that did not pass, a verdict per subject and overall. ANSI colour only when asked for.
//!
//! ```text
//!   Health check
//!     ✗ FAIL   HEALTH-002  error    Health check polls every 30 seconds
//!       message:  `image.healthcheck.interval` is 1m, expected 30s
//! ```
//!
//! Values from dumps and policies are printed with control characters (and bidirectional overrides)
//! escaped, so a dump cannot move the cursor or recolour the terminal.

use super::{
    by_section, escape_char, is_unsafe_char, Counts, EvidenceItem, RenderOptions, Report,
    RequirementResult, Status, SubjectReport, Verdict,
};

/// The column where detail values start, under a result line.
const DETAIL_INDENT: &str = "      ";
const LABEL_WIDTH: usize = 10;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn status(&self, status: Status, text: &str) -> String {
        let code = match status {
            Status::Pass => "32",
            Status::Fail => "31",
            Status::Error => "33",
            Status::Waived => "36",
            Status::NotApplicable => "2",
        };
        self.paint(code, text)
    }

    fn verdict(&self, verdict: Verdict, text: &str) -> String {
        let code = match verdict {
            Verdict::Pass => "1;32",
            Verdict::Fail => "1;31",
            Verdict::Incomplete => "1;33",
        };
        self.paint(code, text)
    }
}

pub(super) fn render(report: &Report, options: RenderOptions) -> String {
    let style = Style {
        color: options.color,
    };
    let mut out = String::new();
    out.push_str(&style.bold(&format!(
        "{} {}",
        clean(&report.tool.name),
        clean(&report.tool.version)
    )));
    out.push('\n');
    for p in &report.policies {
        let mut line = format!("policy {}", clean(&p.name));
        if let Some(v) = &p.version {
            line.push_str(&format!(" {}", clean(v)));
        }
        line.push_str(&format!(" — {}", clean(&p.title)));
        if let Some(source) = &p.source {
            line.push_str(&format!(" (source: {})", clean(source)));
        }
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(today) = &report.today {
        out.push_str(&format!("waivers judged on {}\n", clean(today)));
    }

    for subject in &report.subjects {
        out.push('\n');
        render_subject(&mut out, subject, &style);
    }

    out.push('\n');
    out.push_str(&format!(
        "{} {}\n",
        style.bold("Verdict:"),
        style.verdict(report.verdict, &verdict_word(report.verdict)),
    ));
    out.push_str(&format!(
        "{} subject{}; {}\n",
        report.subjects.len(),
        if report.subjects.len() == 1 { "" } else { "s" },
        counts_line(&report.counts)
    ));
    if !report.notes.is_empty() {
        out.push_str("notes:\n");
        for note in &report.notes {
            out.push_str(&format!("  - {}\n", clean(note)));
        }
    }
    out
}

fn render_subject(out: &mut String, subject: &SubjectReport, style: &Style) {
    out.push_str(&style.bold(&format!("Subject: {}", clean(&subject.label))));
    out.push('\n');
    if let Some(id) = &subject.image_id {
        out.push_str(&format!("  image id:  {}\n", clean(id)));
    }
    if !subject.documents.is_empty() {
        let docs: Vec<String> = subject.documents.iter().map(|d| clean(d)).collect();
        out.push_str(&format!("  documents: {}\n", docs.join(", ")));
    }
    for note in &subject.notes {
        out.push_str(&format!("  note: {}\n", clean(note)));
    }
    let id_width = subject
        .results
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(0);
    for (section, results) in by_section(&subject.results) {
        out.push('\n');
        out.push_str(&format!("  {}\n", style.bold(&clean(section))));
        for r in results {
            render_result(out, r, id_width, style);
        }
    }
    out.push('\n');
    out.push_str(&format!(
        "  {} {}  ({})\n",
        style.bold(&format!("verdict for {}:", clean(&subject.label))),
        style.verdict(subject.verdict, &verdict_word(subject.verdict)),
        counts_line(&subject.counts)
    ));
}

fn render_result(out: &mut String, r: &RequirementResult, id_width: usize, style: &Style) {
    let (symbol, word) = status_mark(r.status);
    let head = format!("{symbol} {word:<6}");
    let id = clean(&r.id);
    let pad = id_width.saturating_sub(id.chars().count());
    out.push_str(&format!(
        "    {} {id}{}  {:<7}  {}\n",
        style.status(r.status, &head),
        " ".repeat(pad),
        r.severity.name(),
        clean(&r.title)
    ));
    match r.status {
        Status::Pass => {}
        Status::NotApplicable => detail(out, "why", &r.message, style),
        Status::Fail | Status::Error | Status::Waived => {
            detail(out, "message", &r.message, style);
            detail(out, "expected", &r.expected, style);
            if !r.actual.is_empty() {
                detail(out, "actual", &r.actual, style);
            }
            let mut evidence: Vec<String> = r.evidence.iter().map(evidence_line).collect();
            if r.evidence_omitted > 0 {
                evidence.push(format!("… and {} more", r.evidence_omitted));
            }
            if !evidence.is_empty() {
                detail(out, "evidence", &evidence.join("\n"), style);
            }
            if let Some(w) = &r.waiver {
                let mut text = format!("{}: {}", w.message, w.reason);
                if let Some(approver) = &w.approver {
                    text.push_str(&format!(" (approved by {approver})"));
                }
                detail(out, "waiver", &text, style);
            }
            if let Some(clause) = &r.clause {
                detail(out, "clause", clause, style);
            }
            if r.status != Status::Waived && !r.remediation.trim().is_empty() {
                detail(out, "fix", r.remediation.trim_end(), style);
            }
        }
    }
}

/// `label:   value`, with the value's further lines aligned under its first.
fn detail(out: &mut String, label: &str, value: &str, style: &Style) {
    let label = format!("{label}:");
    let continuation = " ".repeat(LABEL_WIDTH);
    for (i, line) in value.lines().enumerate() {
        if i == 0 {
            out.push_str(&format!(
                "{DETAIL_INDENT}{}{}{}\n",
                style.dim(&label),
                " ".repeat(LABEL_WIDTH.saturating_sub(label.chars().count())),
                clean(line)
            ));
        } else {
            out.push_str(&format!("{DETAIL_INDENT}{continuation}{}\n", clean(line)));
        }
    }
}

/// `inspect.json /0/Config/Env/5 = ***`, `history.jsonl:4 /3/CreatedBy (layer 3: ENV A=***)`.
fn evidence_line(e: &EvidenceItem) -> String {
    let mut s = e.document.to_string();
    if let Some(line) = e.line {
        s.push_str(&format!(":{line}"));
    }
    if !e.pointer.is_empty() {
        s.push(' ');
        s.push_str(&e.pointer);
    }
    match (e.layer, &e.instruction) {
        (Some(layer), Some(instruction)) => s.push_str(&format!(" (layer {layer}: {instruction})")),
        (Some(layer), None) => s.push_str(&format!(" (layer {layer})")),
        _ => {}
    }
    if let Some(value) = &e.value {
        s.push_str(&format!(" = {value}"));
    }
    s.replace('\n', "\\n")
}

fn status_mark(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Pass => ("✓", "PASS"),
        Status::Fail => ("✗", "FAIL"),
        Status::Error => ("!", "ERROR"),
        Status::Waived => ("~", "WAIVED"),
        Status::NotApplicable => ("-", "N/A"),
    }
}

fn verdict_word(v: Verdict) -> String {
    v.name().to_ascii_uppercase()
}

fn counts_line(c: &Counts) -> String {
    format!(
        "{} requirement{}: {} pass, {} fail, {} error, {} waived, {} not applicable; failed by severity: {} error, {} warning, {} info",
        c.total,
        if c.total == 1 { "" } else { "s" },
        c.pass,
        c.fail,
        c.error,
        c.waived,
        c.not_applicable,
        c.failed_by_severity.error,
        c.failed_by_severity.warning,
        c.failed_by_severity.info
    )
}

/// One line of user text with control characters and bidi overrides escaped.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&escape_char(c));
        } else {
            out.push(c);
        }
    }
    out
}
