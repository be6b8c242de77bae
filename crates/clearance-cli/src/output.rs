//! The non-report commands' output (`policies`, `explain`, `policy validate`) and error printing.

use crate::args::ListFormat;
use crate::check::read_text;
use clearance_core::api::{self, Answer, PolicyInput};
use clearance_core::Diagnostic;

/// Prints errors (to stderr, or as a JSON failure answer on stdout) and returns exit code 2.
pub fn errors(errors: &[Diagnostic], json: bool) -> u8 {
    if json {
        println!(
            "{}",
            api::to_json(&Answer::<()>::Failure {
                errors: errors.to_vec()
            })
        );
    } else {
        for e in errors {
            eprintln!("{e}");
        }
        if errors.len() > 1 {
            eprintln!("{} errors", errors.len());
        }
    }
    2
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!("{}", api::to_json(value));
}

pub fn policies(name: Option<&str>, format: ListFormat) -> u8 {
    let json = format == ListFormat::Json;
    if let Some(name) = name {
        let policy = match api::load_policy(&PolicyInput::Builtin(name.to_string())) {
            Ok(p) => p,
            Err(e) => return errors(&e, json),
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
                &serde_json::json!({"name": policy.name, "title": policy.title, "requirements": rows}),
            );
            return 0;
        }
        println!("{} — {}", policy.name, policy.title);
        if let Some(d) = &policy.description {
            println!("\n{}\n", d.trim());
        }
        let mut section = "";
        for r in &policy.requirements {
            if r.section != section {
                section = &r.section;
                println!("\n{section}");
            }
            println!("  {:<16} {:<8} {}", r.id, r.severity.name(), r.title);
        }
        if !policy.out_of_scope.is_empty() {
            println!("\nOut of scope (not observable in dumps):");
            for o in &policy.out_of_scope {
                match &o.proxy {
                    Some(p) => println!("  - {} (checked instead: {p})", o.clause),
                    None => println!("  - {}", o.clause),
                }
            }
        }
        return 0;
    }
    match api::builtin_policies() {
        Answer::Success { value } => {
            if json {
                print_json(&value);
            } else {
                for p in &value.policies {
                    println!(
                        "{:<20} {:>3} requirements  {}",
                        p.name, p.requirements, p.title
                    );
                }
                println!("\n`clearance policies NAME` lists a pack's requirements; `clearance explain ID` explains one.");
            }
            0
        }
        Answer::Failure { errors: e } => errors(&e, json),
    }
}

pub fn explain(id: &str, format: ListFormat) -> u8 {
    let json = format == ListFormat::Json;
    match api::explain(id) {
        Answer::Success { value } => {
            if json {
                print_json(&value);
                return 0;
            }
            let r = value.requirement;
            println!("{} — {}", r.id, r.title);
            println!(
                "policy: {}   section: {}   severity: {}",
                r.policy,
                r.section,
                r.severity.name()
            );
            if !r.also_in.is_empty() {
                println!("also in: {}", r.also_in.join(", "));
            }
            if let Some(c) = &r.clause {
                println!("clause: {c}");
            }
            println!("\nWhat it checks and why\n{}", indent(&r.description));
            if let Some(e) = &r.example {
                println!("\nA failing example\n{}", indent(e));
            }
            println!("\nFix\n{}", indent(&r.remediation));
            0
        }
        Answer::Failure { errors: e } => errors(&e, json),
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
    let json = format == ListFormat::Json;
    let name = file.display().to_string();
    let text = match read_text(&name) {
        Ok(t) => t,
        Err(e) => return errors(&[e], json),
    };
    let answer = api::validate_policy(&name, &text);
    if json {
        print_json(&answer);
        return match answer {
            Answer::Success { .. } => 0,
            Answer::Failure { .. } => 2,
        };
    }
    match answer {
        Answer::Success { value } => {
            println!(
                "{name}: ok — policy `{}` with {} requirements",
                value.policy.name, value.policy.requirements
            );
            0
        }
        Answer::Failure { errors: e } => errors(&e, false),
    }
}
