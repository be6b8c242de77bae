//! `check-loop [serde-]INPUT N`: runs `api::check` (or, with `serde-`, serde_json's parse of the same
//! bytes into `Value`s) N times on one input after one warm-up call, so `scripts/bench-instructions` can
//! count the instructions of one call under callgrind as the difference between N = 2 and N = 1
//! (load-independent, unlike wall time on a shared machine).
//!
//! INPUT: `reactbin` (tests/fixtures/reactbin-conforming, pack `reactbin-api-prod`), `history-N` or
//! `inspect-N` (the synthetic dumps of `synthetic.rs`, pack `image-baseline`).

use clearance_bench::{synthetic, DumpSet};
use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, PolicyInput};
use std::process::ExitCode;

fn dumps(input: &str) -> Result<(Vec<DumpInput>, &'static str), String> {
    let one = |name: &str, text: String| DumpInput {
        name: name.to_string(),
        content: DumpContent::Text(text),
        kind: None,
    };
    if input == "reactbin" {
        let set = DumpSet::fixture("reactbin-conforming").map_err(|e| e.to_string())?;
        return Ok((set.dump_inputs(), "reactbin-api-prod"));
    }
    let size = |prefix: &str| {
        input
            .strip_prefix(prefix)
            .and_then(|n| n.parse::<usize>().ok())
    };
    if let Some(n) = size("history-") {
        return Ok((
            vec![one("history.jsonl", synthetic::history(n))],
            "image-baseline",
        ));
    }
    if let Some(n) = size("inspect-") {
        return Ok((
            vec![one("inspect.json", synthetic::inspect(n))],
            "image-baseline",
        ));
    }
    Err(format!(
        "unknown input `{input}`: reactbin, history-N or inspect-N"
    ))
}

/// One call: the check (subjects in the report), or the parse (values parsed).
fn run(request: &CheckRequest, serde_only: bool) -> usize {
    if !serde_only {
        return match api::check(request) {
            api::Answer::Success { value } => value.report.subjects.len(),
            api::Answer::Failure { .. } => 0,
        };
    }
    let mut values = 0;
    for d in &request.dumps {
        if let DumpContent::Text(text) = &d.content {
            values += serde_json::Deserializer::from_str(text)
                .into_iter::<serde_json::Value>()
                .filter(Result::is_ok)
                .count();
        }
    }
    values
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(n)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: check-loop [serde-]INPUT N");
        return ExitCode::from(2);
    };
    let (serde_only, input) = match input.strip_prefix("serde-") {
        Some(rest) => (true, rest),
        None => (false, input.as_str()),
    };
    let (dumps, pack) = match dumps(input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let request = CheckRequest {
        policies: vec![PolicyInput::Builtin(pack.to_string())],
        dumps,
        waivers: None,
        today: Some("2026-11-23".into()),
        limits: None,
    };
    let mut total = run(&request, serde_only);
    for _ in 0..n {
        total += run(&request, serde_only);
    }
    println!("{total}");
    ExitCode::SUCCESS
}
