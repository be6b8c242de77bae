//! `clearance check --batch DIR`: every subfolder of DIR is one dump set (the dumps of one image); the
//! sets are evaluated in parallel on all cores and merged into one report (one subject per image).

use crate::check::{read_text, TextKind};
use clearance_core::api::{self, DumpContent, DumpInput};
use clearance_core::eval::{self, Options};
use clearance_core::input::{self, Limits};
use clearance_core::policy::{Policy, Waiver};
use clearance_core::report::{Counts, Report, Verdict};
use clearance_core::{Diagnostic, Location};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The dump sets under `dir`: each subfolder's `.json`, `.jsonl` and `.ndjson` files, sorted by name.
pub fn dump_sets(dir: &Path) -> Result<Vec<(String, Vec<PathBuf>)>, Diagnostic> {
    let io_error = |e: std::io::Error| Diagnostic {
        code: "io/read".into(),
        message: format!("cannot read the batch folder `{}`: {e}", dir.display()),
        help: Some("`--batch DIR` takes a folder with one subfolder of dumps per image".into()),
        location: Location::file(dir.display().to_string()),
    };
    let mut sets = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if !path.is_dir() {
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
            .map_err(io_error)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension()
                        .and_then(|x| x.to_str())
                        .is_some_and(|x| matches!(x, "json" | "jsonl" | "ndjson"))
            })
            .collect();
        if files.is_empty() {
            continue;
        }
        files.sort();
        sets.push((path.display().to_string(), files));
    }
    sets.sort();
    if sets.is_empty() {
        return Err(Diagnostic {
            code: "usage/empty-batch".into(),
            message: format!("`{}` has no subfolder with dumps", dir.display()),
            help: Some(
                "put each image's dumps (`*.json`, `*.jsonl`) in a subfolder of its own".into(),
            ),
            location: Location::file(dir.display().to_string()),
        });
    }
    Ok(sets)
}

/// Evaluates every set in parallel. Input errors of all sets are collected and returned together.
pub fn evaluate(
    sets: &[(String, Vec<PathBuf>)],
    policies: &[Policy],
    waivers: &[Waiver],
    options: &Options,
) -> Result<Report, Vec<Diagnostic>> {
    let limits = Limits::default();
    let results: Vec<Result<Report, Vec<Diagnostic>>> = sets
        .par_iter()
        .map(|(_, files)| {
            let mut docs = Vec::with_capacity(files.len());
            let mut errors = Vec::new();
            for file in files {
                let name = file.display().to_string();
                let dump = read_text(&name, TextKind::Dump).map(|text| DumpInput {
                    name: name.clone(),
                    content: DumpContent::Text(text),
                    kind: None,
                });
                match dump.and_then(|d| api::read_dump(&d, &limits)) {
                    Ok(doc) => docs.push(doc),
                    Err(e) => errors.push(e),
                }
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            let subjects = input::subjects(&docs)
                .map_err(|e| vec![clearance_core::ToDiagnostic::to_diagnostic(&e)])?;
            Ok(eval::evaluate(policies, &subjects, waivers, options))
        })
        .collect();
    let mut reports = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(report) => reports.push(report),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(merge(reports))
    } else {
        Err(errors)
    }
}

/// One report from many: subjects in order, counts added, the worst verdict.
pub fn merge(reports: Vec<Report>) -> Report {
    let mut iter = reports.into_iter();
    let Some(mut merged) = iter.next() else {
        return eval::evaluate::<Policy, clearance_core::facts::Subject>(
            &[],
            [],
            &[],
            &Options::default(),
        );
    };
    for report in iter {
        merged.verdict = worst(merged.verdict, report.verdict);
        add(&mut merged.counts, &report.counts);
        merged.subjects.extend(report.subjects);
    }
    merged
}

fn worst(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Fail, _) | (_, Verdict::Fail) => Verdict::Fail,
        (Verdict::Incomplete, _) | (_, Verdict::Incomplete) => Verdict::Incomplete,
        _ => Verdict::Pass,
    }
}

fn add(into: &mut Counts, from: &Counts) {
    into.total += from.total;
    into.pass += from.pass;
    into.fail += from.fail;
    into.waived += from.waived;
    into.not_applicable += from.not_applicable;
    into.error += from.error;
    into.failed_by_severity.error += from.failed_by_severity.error;
    into.failed_by_severity.warning += from.failed_by_severity.warning;
    into.failed_by_severity.info += from.failed_by_severity.info;
}
