//! Markdown for a pull-request comment: a verdict heading, a counts table, a table of failed and
//! undecided results, then a `<details>` block per subject and section.
//!
//! Every value from a dump or a policy is escaped: `|`, backticks, `\`, `*`, `_`, `~`, `[`, `]` with a
//! backslash; `<`, `>`, `&` and `@` as HTML entities (no tags, no mentions); newlines become spaces and
//! control characters are written as `\u{…}`.

use super::{
    by_section, escape_char, is_unsafe_char, Counts, Report, RequirementResult, Status,
    SubjectReport, Verdict,
};

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "## {} {}: {}\n\n",
        verdict_emoji(report.verdict),
        md(&report.tool.name),
        report.verdict.name().to_ascii_uppercase()
    ));
    for p in &report.policies {
        let mut line = format!("Policy **{}**", md(&p.name));
        if let Some(v) = &p.version {
            line.push_str(&format!(" {}", md(v)));
        }
        line.push_str(&format!(" — {}", md(&p.title)));
        out.push_str(&line);
        out.push_str("  \n");
    }
    if let Some(today) = &report.today {
        out.push_str(&format!("Waivers judged on {}  \n", md(today)));
    }
    out.push('\n');

    out.push_str("| Subject | Verdict | Pass | Fail | Error | Waived | N/A |\n");
    out.push_str("|---|---|---:|---:|---:|---:|---:|\n");
    for s in &report.subjects {
        out.push_str(&format!(
            "| {} | {} {} | {} |\n",
            md(&s.label),
            verdict_emoji(s.verdict),
            s.verdict.name(),
            counts_cells(&s.counts)
        ));
    }
    if report.subjects.len() != 1 {
        out.push_str(&format!(
            "| **all** | {} {} | {} |\n",
            verdict_emoji(report.verdict),
            report.verdict.name(),
            counts_cells(&report.counts)
        ));
    }
    out.push('\n');

    let problems: Vec<(&SubjectReport, &RequirementResult)> = report
        .subjects
        .iter()
        .flat_map(|s| s.results.iter().map(move |r| (s, &**r)))
        .filter(|(_, r)| matches!(r.status, Status::Fail | Status::Error))
        .collect();
    if !problems.is_empty() {
        out.push_str("### Failed and undecided\n\n");
        out.push_str("| Subject | Requirement | Severity | Status | Found | Fix |\n");
        out.push_str("|---|---|---|---|---|---|\n");
        for (s, r) in problems {
            out.push_str(&format!(
                "| {} | **{}** {} | {} | {} {} | {} | {} |\n",
                md(&s.label),
                md(&r.id),
                md(&r.title),
                r.severity.name(),
                status_emoji(r.status),
                r.status.name(),
                md(&r.message),
                md(r.remediation.trim())
            ));
        }
        out.push('\n');
    }

    for s in &report.subjects {
        for (section, results) in by_section(&s.results) {
            let mut tally: Vec<String> = Vec::new();
            for status in Status::ALL {
                let n = results.iter().filter(|r| r.status == status).count();
                if n > 0 {
                    tally.push(format!("{n} {}", status.name().replace('_', " ")));
                }
            }
            out.push_str(&format!(
                "<details><summary>{} · {} — {}</summary>\n\n",
                html(&s.label),
                html(section),
                tally.join(", ")
            ));
            out.push_str("| | Requirement | Severity | Expected | Found |\n");
            out.push_str("|---|---|---|---|---|\n");
            for r in results {
                out.push_str(&format!(
                    "| {} | **{}** {} | {} | {} | {} |\n",
                    status_emoji(r.status),
                    md(&r.id),
                    md(&r.title),
                    r.severity.name(),
                    md(&r.expected),
                    md(&found(r))
                ));
            }
            out.push_str("\n</details>\n\n");
        }
    }

    let notes: Vec<&String> = report
        .subjects
        .iter()
        .flat_map(|s| s.notes.iter())
        .chain(report.notes.iter())
        .collect();
    if !notes.is_empty() {
        out.push_str("**Notes**\n\n");
        for n in notes {
            out.push_str(&format!("- {}\n", md(n)));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "<sub>{} {}</sub>\n",
        html(&report.tool.name),
        html(&report.tool.version)
    ));
    out
}

/// What the details table shows as found: the message, and the waiver for waived results.
fn found(r: &RequirementResult) -> String {
    match (&r.waiver, r.status) {
        (Some(w), Status::Waived) => format!("{} — waived: {}", r.message, w.reason),
        (Some(w), _) => format!("{} — {}", r.message, w.message),
        _ => r.message.clone(),
    }
}

fn counts_cells(c: &Counts) -> String {
    format!(
        "{} | {} | {} | {} | {}",
        c.pass, c.fail, c.error, c.waived, c.not_applicable
    )
}

fn verdict_emoji(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "✅",
        Verdict::Fail => "❌",
        Verdict::Incomplete => "⚠️",
    }
}

fn status_emoji(s: Status) -> &'static str {
    match s {
        Status::Pass => "✅",
        Status::Fail => "❌",
        Status::Error => "⚠️",
        Status::Waived => "💤",
        Status::NotApplicable => "➖",
    }
}

/// Text for a Markdown table cell or line.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '~' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("&#64;"),
            '\n' | '\r' => out.push(' '),
            c if is_unsafe_char(c) => out.push_str(&escape_char(c)),
            c => out.push(c),
        }
    }
    out
}

/// Text inside an HTML element (`<summary>`).
fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '@' => out.push_str("&#64;"),
            '\n' | '\r' => out.push(' '),
            c if is_unsafe_char(c) => out.push_str(&escape_char(c)),
            c => out.push(c),
        }
    }
    out
}
