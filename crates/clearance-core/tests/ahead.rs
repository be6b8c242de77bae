//! Long lists are decided ahead (`Options::decide_ahead`: the element checks of every requirement over
//! a history of hundreds of layers decided together, a tile at a time): the report is byte for byte the
//! one of deciding each requirement's walk in place, for every shipped pack on every fixture's history
//! made long, under step caps that stop requirements before, inside and after their walks, and for
//! element checks that stop with an error.
#![expect(
    clippy::disallowed_methods,
    reason = "a test: it reads the fixtures from disk"
)]

#[path = "support/both_ways.rs"]
mod both_ways;

use both_ways::pack;
use clearance_core::builtin::{self, BuiltinResolver};
use clearance_core::eval::{evaluate, Options};
use clearance_core::input::{self, Document, Limits};
use clearance_core::policy::{self, Policy};
use std::path::{Path, PathBuf};

/// Layers of a history made long: above the length from which lists are decided ahead, and not a
/// multiple of the tile.
const LAYERS: usize = 1_100;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn read_file(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| unreachable!("{}: {e}", path.display()))
}

/// The lines of `history`, repeated (in order) to [`LAYERS`] lines.
fn long_history(history: &str) -> String {
    let lines: Vec<&str> = history.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "an empty history");
    let mut out = String::new();
    for line in lines.iter().cycle().take(LAYERS) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The dumps of a fixture folder with a JSON-lines history, the history made long.
fn dumps(folder: &Path) -> Vec<Document> {
    let mut docs = Vec::new();
    for (file, long) in [
        ("image-inspect.json", false),
        ("container-inspect.json", false),
        ("history.jsonl", true),
    ] {
        let path = folder.join(file);
        if !path.exists() {
            continue;
        }
        let mut text = read_file(&path);
        if long {
            text = long_history(&text);
        }
        match input::read(file, text.as_bytes(), None, &Limits::default()) {
            Ok(doc) => docs.push(doc),
            Err(e) => unreachable!("{}: {e}", path.display()),
        }
    }
    docs
}

/// The JSON report of `policies` on `docs`, decided ahead and in place: both must be the same.
fn same_both_ways(what: &str, policies: &[Policy], docs: &[Document], options: &Options) -> String {
    both_ways::same_both_ways(what, policies, docs, options, |o, on| o.decide_ahead = on).0
}

#[test]
fn every_pack_on_every_long_history_gives_the_same_report() {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap_or_else(|e| unreachable!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("history.jsonl").exists())
        .collect();
    folders.sort();
    assert!(
        folders.len() >= 10,
        "fixture folders with a history: {folders:?}"
    );
    let packs: Vec<(&str, Policy)> = builtin::PACKS
        .iter()
        .map(|p| (p.name, pack(p.name)))
        .collect();
    for folder in &folders {
        let docs = dumps(folder);
        for (name, policy) in &packs {
            let what = format!("{name} on {}", folder.display());
            let json = same_both_ways(
                &what,
                std::slice::from_ref(policy),
                &docs,
                &Options::default(),
            );
            assert!(json.contains("\"status\""), "{what}: no results");
        }
    }
}

#[test]
fn step_caps_stop_the_same_requirements_at_the_same_step() {
    let docs = dumps(&fixtures().join("reactbin-violating"));
    let policies = [pack("reactbin-api-prod")];
    let caps = [40, 700, 1_150, 2_300, 4_000, 9_000, 25_000, 120_000]
        .map(|max_steps| Options {
            max_steps,
            ..Options::default()
        })
        .into_iter()
        .chain(
            [2_000, 30_000, 90_000, 400_000].map(|max_total_steps| Options {
                max_total_steps,
                ..Options::default()
            }),
        );
    let mut stopped = 0;
    for options in caps {
        let what = format!("{} / {} steps", options.max_steps, options.max_total_steps);
        let json = same_both_ways(&what, &policies, &docs, &options);
        stopped += json.matches("evaluation stopped").count();
    }
    // the caps above do stop requirements, inside their walks of the history among them
    assert!(stopped > 20, "only {stopped} requirements stopped");
}

/// Each requirement alone, at the step cap just below and at the least its evaluation needs: the steps
/// a walk decided ahead charges are exactly those of the walk in place.
#[test]
fn each_requirement_stops_at_the_same_step() {
    let docs = dumps(&fixtures().join("reactbin-violating"));
    let subjects = match input::subjects(&docs) {
        Ok(s) => s,
        Err(e) => unreachable!("{e}"),
    };
    let pack = pack("reactbin-api-prod");
    let mut walks = 0;
    for req in &pack.requirements {
        let mut alone = pack.clone();
        alone.requirements = vec![req.clone()];
        let policies = std::slice::from_ref(&alone);
        let stopped = |max_steps: u64| {
            let options = Options {
                max_steps,
                decide_ahead: false,
                ..Options::default()
            };
            let report = evaluate(policies, &subjects, &[], &options);
            report.subjects[0].results[0]
                .message
                .contains("evaluation stopped after")
        };
        // the least cap under which it is not stopped
        let (mut lo, mut hi) = (0u64, 1u64 << 24);
        assert!(!stopped(hi), "{}: stopped under {hi} steps", req.id);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if stopped(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        walks += usize::from(hi > LAYERS as u64);
        for max_steps in [hi - 1, hi] {
            let options = Options {
                max_steps,
                ..Options::default()
            };
            same_both_ways(
                &format!("{} under {max_steps} steps", req.id),
                policies,
                &docs,
                &options,
            );
        }
    }
    assert!(walks >= 15, "only {walks} requirements walk the history");
}

#[test]
fn element_checks_with_errors_and_every_element_operator_give_the_same_report() {
    let file = fixtures().join("policies/element-operators.yaml");
    let text = read_file(&file);
    let policy = match policy::load("element-operators.yaml", &text, &BuiltinResolver) {
        Ok(p) => p,
        Err(e) => unreachable!("{e:?}"),
    };
    for folder in [
        "reactbin-conforming",
        "reactbin-violating",
        "reactbin-truncated",
    ] {
        let docs = dumps(&fixtures().join(folder));
        for max_steps in [3_000, 50_000] {
            let options = Options {
                max_steps,
                ..Options::default()
            };
            let json = same_both_ways(folder, std::slice::from_ref(&policy), &docs, &options);
            assert!(
                json.contains("\"error\""),
                "{folder}: no requirement stopped with an error"
            );
        }
    }
}
