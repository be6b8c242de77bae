//! JUnit XML: one `<testsuite>` per subject, one `<testcase classname="policy.section" name="ID title">`
//! per requirement. `fail` → `<failure>`, `error` → `<error>`, `waived` and `not_applicable` →
//! `<skipped>`. Every value is XML-escaped (never CDATA), so `<script>` or `]]>` in a dump stays text;
//! characters XML 1.0 cannot hold are written as `\u{…}`.

use super::{
    escape_char, is_bidi_control, Counts, Report, RequirementResult, Status, SubjectReport,
};

pub(super) fn render(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
        attr(&report.tool.name),
        report.counts.total,
        report.counts.fail,
        report.counts.error,
        skipped(&report.counts),
    ));
    for subject in &report.subjects {
        suite(&mut out, report, subject);
    }
    if report.subjects.is_empty() {
        // Keep the verdict and the notes visible when nothing was evaluated.
        out.push_str("  <testsuite name=\"(no subject)\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n");
        out.push_str("    <properties>\n");
        out.push_str(&format!(
            "      <property name=\"verdict\" value=\"{}\"/>\n",
            report.verdict.name()
        ));
        for n in &report.notes {
            out.push_str(&format!(
                "      <property name=\"note\" value=\"{}\"/>\n",
                attr(n)
            ));
        }
        out.push_str("    </properties>\n  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn skipped(c: &Counts) -> usize {
    c.waived + c.not_applicable
}

fn suite(out: &mut String, report: &Report, subject: &SubjectReport) {
    let c = &subject.counts;
    out.push_str(&format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
        attr(&subject.label),
        c.total,
        c.fail,
        c.error,
        skipped(c)
    ));
    out.push_str("    <properties>\n");
    let mut props: Vec<(&str, String)> = vec![("verdict", subject.verdict.name().to_string())];
    if let Some(id) = &subject.image_id {
        props.push(("imageId", id.clone()));
    }
    for p in &report.policies {
        props.push(("policy", p.name.clone()));
    }
    if let Some(today) = &report.today {
        props.push(("today", today.clone()));
    }
    for d in &subject.documents {
        props.push(("document", d.clone()));
    }
    for n in subject.notes.iter().chain(report.notes.iter()) {
        props.push(("note", n.clone()));
    }
    for (name, value) in props {
        out.push_str(&format!(
            "      <property name=\"{name}\" value=\"{}\"/>\n",
            attr(&value)
        ));
    }
    out.push_str("    </properties>\n");
    for r in &subject.results {
        case(out, r);
    }
    out.push_str("  </testsuite>\n");
}

fn case(out: &mut String, r: &RequirementResult) {
    let open = format!(
        "    <testcase classname=\"{}\" name=\"{}\"",
        attr(&format!("{}.{}", r.policy, r.section)),
        attr(&format!("{} {}", r.id, r.title))
    );
    match r.status {
        Status::Pass => out.push_str(&format!("{open}/>\n")),
        Status::Fail | Status::Error => {
            let tag = if r.status == Status::Fail {
                "failure"
            } else {
                "error"
            };
            out.push_str(&format!("{open}>\n"));
            out.push_str(&format!(
                "      <{tag} message=\"{}\" type=\"{}\">{}</{tag}>\n",
                attr(&r.message),
                r.severity.name(),
                text(&body(r))
            ));
            out.push_str("    </testcase>\n");
        }
        Status::Waived | Status::NotApplicable => {
            let message = if r.status == Status::Waived {
                let reason = r.waiver.as_ref().map(|w| w.reason.as_str()).unwrap_or("");
                format!("waived: {reason}")
            } else {
                r.message.clone()
            };
            out.push_str(&format!("{open}>\n"));
            out.push_str(&format!(
                "      <skipped message=\"{}\"/>\n",
                attr(&message)
            ));
            out.push_str("    </testcase>\n");
        }
    }
}

/// The failure text: message, expected, actual, evidence, fix.
fn body(r: &RequirementResult) -> String {
    let mut lines = vec![
        r.message.clone(),
        format!("expected: {}", r.expected),
        format!("actual: {}", r.actual),
    ];
    for e in &r.evidence {
        let mut s = format!("evidence: {}", e.document);
        if let Some(line) = e.line {
            s.push_str(&format!(":{line}"));
        }
        s.push_str(&format!(" {}", e.pointer));
        if let Some(layer) = e.layer {
            s.push_str(&format!(" (layer {layer}"));
            if let Some(i) = &e.instruction {
                s.push_str(&format!(": {i}"));
            }
            s.push(')');
        }
        if let Some(v) = &e.value {
            s.push_str(&format!(" = {v}"));
        }
        lines.push(s);
    }
    if r.evidence_omitted > 0 {
        lines.push(format!("evidence: … and {} more", r.evidence_omitted));
    }
    if let Some(w) = &r.waiver {
        lines.push(format!("waiver: {}: {}", w.message, w.reason));
    }
    if !r.remediation.trim().is_empty() {
        lines.push(format!("fix: {}", r.remediation.trim_end()));
    }
    lines.join("\n")
}

/// Can XML 1.0 hold this character?
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escaped character data.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if !xml_char(c) || is_bidi_control(c) => out.push_str(&escape_char(c)),
            c => out.push(c),
        }
    }
    out
}

/// An escaped attribute value (double-quoted); whitespace kept through character references.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if !xml_char(c) || is_bidi_control(c) => out.push_str(&escape_char(c)),
            c => out.push(c),
        }
    }
    out
}
