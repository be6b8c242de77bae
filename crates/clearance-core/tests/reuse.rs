//! The results of requirements that read only documents a subject lacks are evaluated once and reused
//! (`Options::reuse_missing`): the report is byte for byte the one of evaluating every requirement on
//! every subject, for every shipped pack, on many subjects at once (every fixture's image and
//! container dumps, so that subjects lack different documents), on the shared corpus's dumps, and
//! under whole-evaluation step caps that run out before, among and after the reused results.
#![expect(
    clippy::disallowed_methods,
    reason = "a test: it reads the fixtures and the corpus from disk"
)]

#[path = "support/both_ways.rs"]
mod both_ways;

use clearance_core::builtin;
use clearance_core::eval::{evaluate, Options};
use clearance_core::input::{self, Document, Limits};
use clearance_core::policy::{self, Date, Policy};
use clearance_core::report::to_json;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> Option<Document> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| unreachable!("{}: {e}", path.display()));
    let name = path.display().to_string();
    input::read(&name, &bytes, None, &Limits::default()).ok()
}

fn packs() -> Vec<Policy> {
    builtin::PACKS
        .iter()
        .map(|p| both_ways::pack(p.name))
        .collect()
}

/// The JSON report of `policies` on `docs`, with results reused and without: both must be the same.
/// Returns how many subjects lacked a document.
fn same_both_ways(what: &str, policies: &[Policy], docs: &[Document], options: &Options) -> usize {
    let (_, subjects) =
        both_ways::same_both_ways(what, policies, docs, options, |o, on| o.reuse_missing = on);
    subjects
        .iter()
        .filter(|s| clearance_core::facts::Root::ALL.iter().any(|r| !s.has(*r)))
        .count()
}

/// Every fixture's image and container dumps, as many as group into subjects together (two dumps of
/// the same image do not): images without history or container, containers without their image.
fn many_subjects() -> Vec<Document> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap_or_else(|e| unreachable!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    folders.sort();
    let mut docs = Vec::new();
    for folder in folders {
        for file in ["image-inspect.json", "container-inspect.json"] {
            let path = folder.join(file);
            if !path.exists() {
                continue;
            }
            let Some(doc) = read(&path) else {
                continue;
            };
            docs.push(doc);
            if input::subjects(&docs).is_err() {
                docs.pop();
            }
        }
    }
    assert!(docs.len() >= 20, "only {} dumps group together", docs.len());
    docs
}

#[test]
fn every_pack_on_many_subjects_gives_the_same_report() {
    let docs = many_subjects();
    for policy in packs() {
        let lacking = same_both_ways(
            &policy.name,
            std::slice::from_ref(&policy),
            &docs,
            &Options::default(),
        );
        assert!(
            lacking >= 20,
            "{}: {lacking} subjects lack a document",
            policy.name
        );
    }
    // all packs at once: a requirement met again through an include is evaluated once either way
    same_both_ways("all packs", &packs(), &docs, &Options::default());
}

/// A waiver on a reused result changes that subject's copy only: the report is the same either way,
/// and the same requirement is waived on the subjects the waiver covers and not on the others.
#[test]
fn waivers_on_reused_results_apply_per_subject() {
    let docs = many_subjects();
    let path = root().join("tests/fixtures/reuse-waivers/waivers.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| unreachable!("{e}"));
    let waivers =
        policy::load_waivers("waivers.yaml", &text).unwrap_or_else(|e| unreachable!("{e:?}"));
    let policies = [both_ways::pack("image-baseline")];
    let subjects = input::subjects(&docs).unwrap_or_else(|e| unreachable!("{e}"));
    let today = Date::parse("2026-11-25").unwrap_or_else(|| unreachable!("a date"));
    let report = |reuse_missing: bool| {
        let options = Options {
            reuse_missing,
            today: Some(today),
            ..Options::default()
        };
        evaluate(&policies, &subjects, &waivers, &options)
    };
    let (on, off) = (report(true), report(false));
    assert!(to_json(&on) == to_json(&off), "the reports differ");
    let statuses = |id: &str| -> Vec<(String, Option<bool>)> {
        on.subjects
            .iter()
            .flat_map(|s| s.results.iter().filter(|r| &*r.id == id))
            .map(|r| {
                (
                    r.status.name().to_string(),
                    r.waiver.as_ref().map(|w| w.applied),
                )
            })
            .collect()
    };
    let img007 = statuses("IMG-007");
    let waived = img007.iter().filter(|(s, _)| s == "waived").count();
    assert!(
        waived >= 3,
        "IMG-007 waived on {waived} subjects: {img007:?}"
    );
    assert!(
        img007.iter().any(|(s, w)| s == "error" && w.is_none()),
        "IMG-007 is waived everywhere: {img007:?}"
    );
    // an expired waiver waives nothing: each failing or undecided result says why it did not apply
    let img008 = statuses("IMG-008");
    let noted = img008.iter().filter(|(_, w)| *w == Some(false)).count();
    assert!(
        noted >= 20,
        "IMG-008's expired waiver noted on {noted} subjects"
    );
    assert!(
        img008
            .iter()
            .all(|(s, w)| s != "waived" && (s == "pass" || *w == Some(false))),
        "IMG-008's expired waiver applied or went unnoted"
    );
}

#[test]
fn whole_evaluation_step_caps_stop_the_same_requirements() {
    let docs = many_subjects();
    let policies = packs();
    let mut stopped = 0;
    for max_total_steps in [0, 50, 500, 3_000, 20_000, 80_000, 300_000] {
        let options = Options {
            max_total_steps,
            ..Options::default()
        };
        same_both_ways(
            &format!("{max_total_steps} steps"),
            &policies,
            &docs,
            &options,
        );
        let subjects = input::subjects(&docs).unwrap_or_else(|e| unreachable!("{e}"));
        stopped += to_json(&evaluate(&policies, &subjects, &[], &options))
            .matches("the whole evaluation reached its limit")
            .count();
    }
    assert!(stopped > 100, "only {stopped} requirements stopped");
}

#[test]
fn every_pack_on_the_corpus_gives_the_same_report() {
    let corpus = root().join("../shared/corpus");
    if !corpus.exists() {
        println!("corpus not found (`{}`): skipped", corpus.display());
        return;
    }
    let mut files = Vec::new();
    let mut dirs = vec![corpus];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| unreachable!("{e}")) {
            let path = entry.unwrap_or_else(|e| unreachable!("{e}")).path();
            if path.is_dir() && !path.ends_with("invalid") {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "json" || e == "jsonl")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 20, "corpus files: {files:?}");
    let policies = packs();
    for file in &files {
        let Some(doc) = read(file) else {
            unreachable!("{}: does not read", file.display())
        };
        for policy in &policies {
            same_both_ways(
                &format!("{} on {}", policy.name, file.display()),
                std::slice::from_ref(policy),
                std::slice::from_ref(&doc),
                &Options::default(),
            );
        }
    }
}
