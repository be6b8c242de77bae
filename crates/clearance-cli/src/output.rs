//! The non-report commands' output (`policies`, `explain`, `policy validate`, `policy schema`) and
//! error printing.
//!
//! Everything written to stdout goes through [`to_stdout`]: a closed or failing stdout (`… | head -1`)
//! is an `io/write` error with exit code 2, as for `check`'s report, never a panic.

use crate::args::ListFormat;
use crate::check::{read_text, TextKind};
use clearance_core::api::{self, Answer, PolicyInput};
use clearance_core::{Diagnostic, Location};
use std::io::Write;

/// Runs `write` against a buffered stdout and flushes it. A write error is reported on stderr as
/// `io/write` and gives exit code 2; otherwise `write`'s exit code is returned.
pub fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<u8>) -> u8 {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|code| out.flush().map(|()| code)) {
        Ok(code) => code,
        Err(e) => {
            // the buffer holds what could not be written: drop it without a second attempt
            let _ = out.into_parts();
            to_stderr(&[write_error(&e)]);
            2
        }
    }
}

/// The error for a stdout that cannot be written (closed pipe, full disk).
pub fn write_error(e: &std::io::Error) -> Diagnostic {
    Diagnostic {
        code: "io/write".into(),
        message: format!("cannot write to stdout: {e}"),
        help: None,
        location: Location::default(),
    }
}

/// Prints errors (to stderr, or as a JSON failure answer on stdout) and returns exit code 2.
pub fn errors(errors: &[Diagnostic], json: bool) -> u8 {
    if json {
        to_stdout(|out| errors_to(out, errors, true))
    } else {
        to_stderr(errors);
        2
    }
}

/// [`errors`] within a command that is already writing to `out`.
fn errors_to(out: &mut dyn Write, errors: &[Diagnostic], json: bool) -> std::io::Result<u8> {
    if json {
        print_json(
            out,
            &Answer::<()>::Failure {
                errors: errors.to_vec(),
            },
        )?;
    } else {
        to_stderr(errors);
    }
    Ok(2)
}

/// Errors as text on stderr. A stderr that cannot be written is ignored: there is nowhere left to say so.
pub fn to_stderr(errors: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for e in errors {
        let _ = writeln!(err, "{e}");
    }
    if errors.len() > 1 {
        let _ = writeln!(err, "{} errors", errors.len());
    }
}

fn print_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    writeln!(out, "{}", api::to_json(value))
}

pub fn policies(name: Option<&str>, format: ListFormat) -> u8 {
    to_stdout(|out| policies_to(out, name, format == ListFormat::Json))
}

fn policies_to(out: &mut dyn Write, name: Option<&str>, json: bool) -> std::io::Result<u8> {
    if let Some(name) = name {
        let policy = match api::load_policy(&PolicyInput::Builtin(name.to_string())) {
            Ok(p) => p,
            Err(e) => return errors_to(out, &e, json),
        };
        if json {
            let rows: Vec<serde_json::Value> = policy
                .requirements
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "title": r.title, "section": r.section,
                        "severity": r.severity, "policy": r.policy,
                    })
                })
                .collect();
            print_json(
                out,
                &serde_json::json!({"name": policy.name, "title": policy.title, "requirements": rows}),
            )?;
            return Ok(0);
        }
        writeln!(out, "{} — {}", policy.name, policy.title)?;
        if let Some(d) = &policy.description {
            writeln!(out, "\n{}\n", d.trim())?;
        }
        let mut section = "";
        for r in &policy.requirements {
            if r.section != section {
                section = &r.section;
                writeln!(out, "\n{section}")?;
            }
            writeln!(out, "  {:<16} {:<8} {}", r.id, r.severity.name(), r.title)?;
        }
        if !policy.out_of_scope.is_empty() {
            writeln!(out, "\nOut of scope (not observable in dumps):")?;
            for o in &policy.out_of_scope {
                match &o.proxy {
                    Some(p) => writeln!(out, "  - {} (checked instead: {p})", o.clause)?,
                    None => writeln!(out, "  - {}", o.clause)?,
                }
            }
        }
        return Ok(0);
    }
    match api::builtin_policies() {
        Answer::Success { value } => {
            if json {
                print_json(out, &value)?;
            } else {
                for p in &value.policies {
                    writeln!(
                        out,
                        "{:<20} {:>3} requirements  {}",
                        p.name, p.requirements, p.title
                    )?;
                }
                writeln!(out, "\n`clearance policies NAME` lists a pack's requirements; `clearance explain ID` explains one.")?;
            }
            Ok(0)
        }
        Answer::Failure { errors: e } => errors_to(out, &e, json),
    }
}

pub fn explain(id: &str, format: ListFormat) -> u8 {
    to_stdout(|out| explain_to(out, id, format == ListFormat::Json))
}

fn explain_to(out: &mut dyn Write, id: &str, json: bool) -> std::io::Result<u8> {
    match api::explain(id) {
        Answer::Success { value } => {
            if json {
                print_json(out, &value)?;
                return Ok(0);
            }
            let r = value.requirement;
            writeln!(out, "{} — {}", r.id, r.title)?;
            writeln!(
                out,
                "policy: {}   section: {}   severity: {}",
                r.policy,
                r.section,
                r.severity.name()
            )?;
            if !r.also_in.is_empty() {
                writeln!(out, "also in: {}", r.also_in.join(", "))?;
            }
            if let Some(c) = &r.clause {
                writeln!(out, "clause: {c}")?;
            }
            writeln!(out, "\nWhat it checks and why\n{}", indent(&r.description))?;
            if let Some(e) = &r.example {
                writeln!(out, "\nA failing example\n{}", indent(e))?;
            }
            writeln!(out, "\nFix\n{}", indent(&r.remediation))?;
            Ok(0)
        }
        Answer::Failure { errors: e } => errors_to(out, &e, json),
    }
}

fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn validate(file: &std::path::Path, format: ListFormat) -> u8 {
    to_stdout(|out| validate_to(out, file, format == ListFormat::Json))
}

fn validate_to(out: &mut dyn Write, file: &std::path::Path, json: bool) -> std::io::Result<u8> {
    let name = file.display().to_string();
    let text = match read_text(&name, TextKind::Policy) {
        Ok(t) => t,
        Err(e) => return errors_to(out, &[e], json),
    };
    let answer = api::validate_policy(&name, &text);
    if json {
        print_json(out, &answer)?;
        return Ok(match answer {
            Answer::Success { .. } => 0,
            Answer::Failure { .. } => 2,
        });
    }
    match answer {
        Answer::Success { value } => {
            writeln!(
                out,
                "{name}: ok — policy `{}` with {} requirements",
                value.policy.name, value.policy.requirements
            )?;
            Ok(0)
        }
        Answer::Failure { errors: e } => errors_to(out, &e, false),
    }
}

/// `clearance policy schema`.
pub fn schema() -> u8 {
    to_stdout(|out| {
        out.write_all(clearance_core::builtin::POLICY_SCHEMA.as_bytes())?;
        Ok(0)
    })
}
