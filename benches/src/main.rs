//! `clearance-bench`: the helpers `scripts/bench` calls (a measurement tool, not shipped).
//!
//! - `gen-history N FILE`, `gen-inspect N FILE`: synthetic dumps for the scale measurements;
//! - `gen-batch N DIR`: N dump sets (one subfolder per image) for `clearance check --batch`;
//! - `cst-verdicts CST_BIN CHECKS_DIR POLICY FILE...`: runs container-structure-test (host driver) and
//!   clearance on each image config FILE with the same checks and prints a Markdown table of both
//!   verdicts per check; exits 1 when they disagree;
//! - `parity`: the per-requirement statuses of clearance and regorus on the reactbin fixtures, as a
//!   Markdown summary; exits 1 when they differ;
//! - `loop ENGINE INPUT N`: N evaluations (or N runs of one step of one: `evaluate`, `report`), for
//!   profilers (`scripts/bench-instructions`);
//! - `phases INPUT N`: where an end-to-end check's wall time goes (read, facts, evaluate, free), the
//!   least of N runs of each beside serde_json's parse of the same bytes;
//! - `requirements PACK INPUT`: what each requirement of PACK (a built-in pack or a policy file) costs on
//!   INPUT (evaluation only, best of 7 runs of 100), slowest first: where to look when a pack is slow.

#![forbid(unsafe_code)]

use clearance_bench::{
    clearance_api, synthetic, yardstick, BenchError, Clearance, DumpSet, Rego, Statuses,
    REACTBIN_PACK, TODAY,
};
use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, PolicyInput};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("usage: {0}")]
    Usage(&'static str),
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read `{path}`: {message}")]
    Read { path: String, message: String },
    #[error("cannot run `{program}`: {message}")]
    Run { program: String, message: String },
    #[error(transparent)]
    Bench(#[from] BenchError),
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|source| CliError::Write {
        path: path.display().to_string(),
        source,
    })
}

fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

fn count(arg: Option<&String>) -> Result<usize, CliError> {
    arg.and_then(|s| s.replace('_', "").parse().ok())
        .ok_or(CliError::Usage("N must be a number"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<bool, CliError> {
    let cmd = args.first().map(String::as_str);
    let path = |i: usize| args.get(i).map(PathBuf::from).ok_or(CliError::Usage(USAGE));
    match cmd {
        Some("gen-history") => {
            write(&path(2)?, &synthetic::history(count(args.get(1))?))?;
            Ok(true)
        }
        Some("gen-inspect") => {
            write(&path(2)?, &synthetic::inspect(count(args.get(1))?))?;
            Ok(true)
        }
        Some("gen-batch") => gen_batch(count(args.get(1))?, &path(2)?).map(|()| true),
        Some("cst-verdicts") => {
            let files: Vec<PathBuf> = args.iter().skip(4).map(PathBuf::from).collect();
            if files.is_empty() {
                return Err(CliError::Usage(USAGE));
            }
            cst_verdicts(&path(1)?, &path(2)?, &path(3)?, &files)
        }
        Some("parity") => parity(),
        Some("requirements") => {
            let pack = args.get(1).ok_or(CliError::Usage(USAGE))?;
            let input = args.get(2).ok_or(CliError::Usage(USAGE))?;
            per_requirement(pack, input)
        }
        Some("phases") => {
            let input = args.get(1).ok_or(CliError::Usage(USAGE))?;
            phases(input, count(args.get(2))?)
        }
        Some("loop") => {
            let fixture = args.get(2).ok_or(CliError::Usage(USAGE))?;
            warm_loop(
                args.get(1).map_or("", String::as_str),
                fixture,
                count(args.get(3))?,
            )
        }
        _ => Err(CliError::Usage(USAGE)),
    }
}

const USAGE: &str = "clearance-bench gen-history N FILE | gen-inspect N FILE | gen-batch N DIR | \
cst-verdicts CST_BIN CHECKS_DIR POLICY FILE... | parity | loop clearance|regorus|api|evaluate|report|serde|serde-held|floor|floor-set|floor-inspect FIXTURE N | \
phases FIXTURE N | requirements PACK FIXTURE (FIXTURE: a folder of tests/fixtures, or history-N / \
inspect-N for api, serde, phases and requirements)";

/// N evaluations of one fixture (for profilers: `valgrind --tool=callgrind clearance-bench loop …`;
/// `scripts/bench-instructions` counts one call as the run with N = 5 minus the run with N = 4).
/// `api` is `api::check` end to end, `serde` serde_json's parse of the same bytes into `Value`s
/// (`serde-held`: a JSON-lines dump's values held until it is parsed whole, [`yardstick`]),
/// `evaluate` and `report` a step of `api::check` each (evaluating subjects normalised once; a copy of
/// the report that evaluation returns, freed again),
/// `floor` the least work `image-baseline` asks of a history ([`clearance_bench::floor`]). For those
/// the fixture may be `history-N` or `inspect-N` (synthetic, pack `image-baseline`).
fn warm_loop(engine: &str, fixture: &str, n: usize) -> Result<bool, CliError> {
    let (set, pack) = match synthetic_set(fixture) {
        Some(set) => (set, "image-baseline"),
        None => (DumpSet::fixture(fixture)?, REACTBIN_PACK),
    };
    let start = std::time::Instant::now();
    let mut results = 0;
    match engine {
        "clearance" => {
            let c = Clearance::new(REACTBIN_PACK)?;
            for _ in 0..n {
                results += c.statuses(&set)?.len();
            }
        }
        "regorus" => {
            let mut r = Rego::new()?;
            for _ in 0..n {
                results += r.statuses(&set)?.len();
            }
        }
        "api" => {
            // `api::check` alone, as the criterion bench's "end to end" (the request built once;
            // the report's results counted, not copied out)
            let req = clearance_bench::request(pack, &set);
            for _ in 0..n {
                let report = api::check(&req).ok().map_err(|errors| CliError::Read {
                    path: fixture.to_string(),
                    message: format!("{} errors", errors.len()),
                })?;
                results += report
                    .report
                    .subjects
                    .iter()
                    .map(|s| s.results.len())
                    .sum::<usize>();
            }
        }
        "floor" | "floor-set" => {
            // the history's regex work only: `floor history-N`; `floor-set`: each line's regexes
            // answered by one pass of a `RegexSet`
            let policy = api::load_policy(&api::PolicyInput::Builtin("image-baseline".into()))
                .map_err(|errors| CliError::Read {
                    path: "image-baseline".into(),
                    message: format!("{} errors", errors.len()),
                })?;
            let floor =
                clearance_bench::floor::Floor::new(&policy).map_err(|e| CliError::Read {
                    path: "image-baseline".into(),
                    message: e.to_string(),
                })?;
            let text = set.history.as_deref().unwrap_or_default();
            eprintln!("{} patterns", floor.patterns());
            for _ in 0..n {
                results += if engine == "floor" {
                    floor.run(text)
                } else {
                    floor.run_set(text)
                };
            }
        }
        "floor-inspect" => {
            // reading an inspect array at the least: `floor-inspect inspect-N`
            let text = set.image.as_deref().unwrap_or_default();
            for _ in 0..n {
                results += clearance_bench::floor::inspect(text).ok_or_else(|| CliError::Read {
                    path: fixture.to_string(),
                    message: "not an image inspect array".into(),
                })?;
            }
        }
        "evaluate" | "report" => {
            // a step of `api::check` alone (`scripts/bench-instructions --stages`): evaluating subjects
            // normalised once; or copying (and freeing) the report that evaluation returns, which is
            // the least the report's own texts cost (each result copied whole, a result the report
            // shares between subjects once: `deep_copy`)
            let clearance = Clearance::new(pack)?;
            let policies = std::slice::from_ref(clearance.policy());
            let options = clearance_core::eval::Options::default();
            let subjects = clearance.subjects(&set)?;
            let report = clearance_core::eval::evaluate(policies, &subjects, &[], &options);
            for _ in 0..n {
                results += if engine == "evaluate" {
                    clearance_core::eval::evaluate(policies, &subjects, &[], &options)
                        .subjects
                        .len()
                } else {
                    std::hint::black_box(deep_copy(&report)).subjects.len()
                };
            }
        }
        "serde" | "serde-held" => {
            let held = engine == "serde-held";
            for _ in 0..n {
                for text in [&set.image, &set.history, &set.container]
                    .into_iter()
                    .flatten()
                {
                    results += if held {
                        yardstick::held(text).len()
                    } else {
                        yardstick::streamed(text)
                    };
                }
            }
        }
        _ => return Err(CliError::Usage(USAGE)),
    }
    let per = start.elapsed().as_secs_f64() * 1000.0 / n.max(1) as f64;
    println!("{engine} {fixture}: {n} evaluations, {results} results, {per:.3} ms each (including setup)");
    Ok(true)
}

/// `history-N` / `inspect-N`: a synthetic dump set of N layers or images.
fn synthetic_set(input: &str) -> Option<DumpSet> {
    let size = |prefix: &str| input.strip_prefix(prefix)?.parse::<usize>().ok();
    if let Some(layers) = size("history-") {
        return Some(DumpSet {
            history: Some(synthetic::history(layers)),
            ..DumpSet::default()
        });
    }
    size("inspect-").map(|images| DumpSet {
        image: Some(synthetic::inspect(images)),
        ..DumpSet::default()
    })
}

/// Where one end-to-end check's wall time goes: `api::check`'s steps done one at a time through the
/// public API, N times, the least time of each step printed (ms) beside serde_json's parse of the same
/// bytes into `Value`s: read (decode, parse, recognise), facts (summaries and subjects), evaluate, free
/// (the subjects, documents and report dropped). The ratios are to serde_json's parse with each line of
/// a JSON-lines dump dropped at once ([`yardstick::streamed`]); the last column is the sum's ratio to the
/// parse with the lines held ([`yardstick::held`]). A fixture is checked with `reactbin-api-prod`, a
/// synthetic input with `image-baseline`, as `loop api` does.
fn phases(input: &str, n: usize) -> Result<bool, CliError> {
    use clearance_core::{eval, input as dumps};
    use std::time::{Duration, Instant};
    let (set, pack) = match synthetic_set(input) {
        Some(set) => (set, "image-baseline"),
        None => (DumpSet::fixture(input)?, REACTBIN_PACK),
    };
    let clearance = Clearance::new(pack)?;
    let policies = std::slice::from_ref(clearance.policy());
    let mut keep_raw = Vec::new();
    for req in &clearance.policy().requirements {
        req.pointer_roots(&mut keep_raw);
    }
    let failed = |what: &str, message: String| CliError::Read {
        path: format!("{input} ({what})"),
        message,
    };
    let limits = dumps::Limits::default();
    let options = eval::Options::default();
    let texts: Vec<&String> = [&set.image, &set.history, &set.container]
        .into_iter()
        .flatten()
        .collect();
    let mut best = [Duration::MAX; 6];
    for _ in 0..n.max(1) {
        let t0 = Instant::now();
        let mut docs = Vec::new();
        for dump in set.dump_inputs() {
            docs.push(api::read_dump(&dump, &limits).map_err(|e| failed("read", e.message))?);
        }
        let t1 = Instant::now();
        let summaries: Vec<_> = docs.iter().map(dumps::summarize).collect();
        let pending =
            dumps::subjects_lazy(&mut docs).map_err(|e| failed("facts", e.to_string()))?;
        let mut subjects = Vec::with_capacity(pending.len());
        for p in pending {
            subjects.push(
                p.build(&keep_raw)
                    .map_err(|e| failed("facts", e.to_string()))?,
            );
        }
        let t2 = Instant::now();
        let report = eval::evaluate(policies, &subjects, &[], &options);
        let t3 = Instant::now();
        drop((subjects, docs, summaries, report));
        let t4 = Instant::now();
        let values: usize = texts.iter().map(|text| yardstick::streamed(text)).sum();
        std::hint::black_box(values);
        let t5 = Instant::now();
        let held: Vec<_> = texts.iter().map(|text| yardstick::held(text)).collect();
        std::hint::black_box(&held);
        drop(held);
        let t6 = Instant::now();
        for (slot, time) in
            best.iter_mut()
                .zip([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5])
        {
            *slot = (*slot).min(time);
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let [read, facts, evaluate, free, serde, held] = best.map(ms);
    let total = read + facts + evaluate + free;
    let x = |v: f64| v / serde;
    println!("| input | read | facts | evaluate | free | sum | serde_json (streamed) | serde_json (held) | sum ÷ held |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| `{input}` | {read:.3} ({:.2}×) | {facts:.3} ({:.2}×) | {evaluate:.3} ({:.2}×) | {free:.3} ({:.2}×) | {total:.3} ({:.2}×) | {serde:.3} | {held:.3} | {:.2}× |",
        x(read),
        x(facts),
        x(evaluate),
        x(free),
        x(total),
        total / held
    );
    Ok(true)
}

/// A copy of `report` that copies every result's texts, not only its reference counts: a result shared
/// by several subjects (reused, `eval::evaluate`) is copied once and shared again.
fn deep_copy(report: &clearance_core::report::Report) -> clearance_core::report::Report {
    use clearance_core::report::RequirementResult;
    use std::sync::Arc;
    // only the few shared results are looked up (a unique one has a count of 1 in `report`)
    let mut shared: Vec<(*const RequirementResult, Arc<RequirementResult>)> = Vec::new();
    let mut copy = report.clone();
    for subject in &mut copy.subjects {
        subject.results.clear();
    }
    for (subject, original) in copy.subjects.iter_mut().zip(&report.subjects) {
        for original in &original.results {
            if Arc::strong_count(original) == 1 {
                subject
                    .results
                    .push(Arc::new(RequirementResult::clone(original)));
                continue;
            }
            let key = Arc::as_ptr(original);
            let result = match shared.iter().find(|(k, _)| *k == key) {
                Some((_, c)) => Arc::clone(c),
                None => {
                    let c = Arc::new(RequirementResult::clone(original));
                    shared.push((key, Arc::clone(&c)));
                    c
                }
            };
            subject.results.push(result);
        }
    }
    copy
}

/// Each requirement of `pack` evaluated alone on `input`'s subjects (already read): the best of 7
/// timings of 100 evaluations, slowest first, as a Markdown table with each one's status (of the last
/// subject, when there are several).
fn per_requirement(pack: &str, input: &str) -> Result<bool, CliError> {
    let set = match synthetic_set(input) {
        Some(set) => set,
        None => DumpSet::fixture(input)?,
    };
    let clearance = Clearance::from_name_or_file(pack)?;
    let subjects = clearance.subjects(&set)?;
    if subjects.is_empty() {
        return Err(CliError::Read {
            path: input.to_string(),
            message: "no image inspect, history or container inspect dump to evaluate".into(),
        });
    }
    let statuses = clearance.statuses(&set)?;
    let options = clearance_core::eval::Options::default();
    let mut rows = Vec::new();
    for req in &clearance.policy().requirements {
        let mut alone = clearance.policy().clone();
        alone.requirements = vec![req.clone()];
        let mut best = std::time::Duration::MAX;
        for _ in 0..7 {
            let start = std::time::Instant::now();
            for _ in 0..100 {
                std::hint::black_box(clearance_core::eval::evaluate(
                    std::slice::from_ref(&alone),
                    &subjects,
                    &[],
                    &options,
                ));
            }
            best = best.min(start.elapsed() / 100);
        }
        rows.push((best, req.id.clone()));
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let total: std::time::Duration = rows.iter().map(|r| r.0).sum();
    println!("| requirement | status | µs per evaluation (alone) |\n|---|---|---|");
    for (time, id) in &rows {
        let status = statuses.get(id).map_or("?", String::as_str);
        println!("| {id} | {status} | {:.1} |", time.as_secs_f64() * 1e6);
    }
    println!(
        "| all {} | | {:.1} |",
        rows.len(),
        total.as_secs_f64() * 1e6
    );
    Ok(true)
}

/// N subfolders `0000/`…, each with an image inspect and a history: the reactbin conforming and
/// violating fixtures alternately, each given its own image id and tag.
fn gen_batch(n: usize, dir: &Path) -> Result<(), CliError> {
    let fixtures = ["reactbin-conforming", "reactbin-violating"]
        .map(|name| DumpSet::fixture(name).map_err(CliError::from));
    let mut sets = Vec::new();
    for f in fixtures {
        let f = f?;
        match (f.image, f.history) {
            (Some(i), Some(h)) => sets.push((i, h)),
            _ => {
                return Err(CliError::Read {
                    path: "tests/fixtures/reactbin-*".into(),
                    message: "a fixture lacks its image inspect or history".into(),
                })
            }
        }
    }
    let width = n.saturating_sub(1).to_string().len().max(4);
    for i in 0..n {
        let Some((image, history)) = sets.get(i % sets.len()) else {
            continue;
        };
        let (image, history) = synthetic::batch_set(image, history, i);
        let sub = dir.join(format!("{i:0width$}"));
        std::fs::create_dir_all(&sub).map_err(|source| CliError::Write {
            path: sub.display().to_string(),
            source,
        })?;
        write(&sub.join("image-inspect.json"), &image)?;
        write(&sub.join("history.jsonl"), &history)?;
    }
    Ok(())
}

/// container-structure-test's verdict per config file, in the order given (one process per image).
fn cst_run(cst: &Path, configs: &[PathBuf], metadata: &Path) -> Result<Vec<bool>, CliError> {
    let report = std::env::temp_dir().join(format!("clearance-cst-{}.json", std::process::id()));
    let mut command = Command::new(cst);
    command.args(["test", "--driver", "host", "--force", "--metadata"]);
    command.arg(metadata);
    for c in configs {
        command.arg("--config").arg(c);
    }
    command
        .arg("--test-report")
        .arg(&report)
        .args(["-o", "json"]);
    let out = command.output().map_err(|e| CliError::Run {
        program: cst.display().to_string(),
        message: e.to_string(),
    })?;
    let text = read(&report)?;
    let _ = std::fs::remove_file(&report);
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| CliError::Read {
        path: report.display().to_string(),
        message: e.to_string(),
    })?;
    let results = value
        .get("Results")
        .and_then(serde_json::Value::as_array)
        .cloned()
        .unwrap_or_default();
    if results.len() != configs.len() {
        return Err(CliError::Run {
            program: cst.display().to_string(),
            message: format!(
                "{} results for {} configs (exit {:?}): {}",
                results.len(),
                configs.len(),
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        });
    }
    Ok(results
        .iter()
        .map(|r| r.get("Pass").and_then(serde_json::Value::as_bool) == Some(true))
        .collect())
}

/// clearance's status per requirement of `policy` on one dump file.
fn clearance_run(policy: &str, policy_name: &str, file: &Path) -> Result<Statuses, CliError> {
    let request = CheckRequest {
        policies: vec![PolicyInput::Text {
            name: policy_name.to_string(),
            text: policy.to_string(),
        }],
        dumps: vec![DumpInput {
            name: file.display().to_string(),
            content: DumpContent::Text(read(file)?),
            kind: None,
        }],
        waivers: None,
        today: Some(TODAY.to_string()),
        limits: None,
    };
    match api::check(&request).ok() {
        Ok(out) => Ok(out
            .report
            .subjects
            .iter()
            .flat_map(|s| s.results.iter())
            .map(|r| (r.id.to_string(), r.status.name().to_string()))
            .collect()),
        Err(errors) => Err(CliError::Read {
            path: file.display().to_string(),
            message: errors
                .first()
                .map(|d| d.message.clone())
                .unwrap_or_default(),
        }),
    }
}

fn cst_verdicts(
    cst: &Path,
    checks_dir: &Path,
    policy_path: &Path,
    files: &[PathBuf],
) -> Result<bool, CliError> {
    let mut configs: Vec<PathBuf> = std::fs::read_dir(checks_dir)
        .map_err(|e| CliError::Read {
            path: checks_dir.display().to_string(),
            message: e.to_string(),
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    configs.sort();
    // `c05-cmd-uvicorn.yaml` ↔ requirement `CST-05`.
    let ids: Vec<String> = configs
        .iter()
        .map(|c| {
            let stem = c
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            format!("CST-{}", stem.get(1..3).unwrap_or_default())
        })
        .collect();
    let policy = read(policy_path)?;
    let policy_name = policy_path.display().to_string();
    println!(
        "| image config | {} | agree |",
        ids.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|{}---|", "---|".repeat(ids.len()));
    let mut all_agree = true;
    let mut agreed = 0usize;
    let mut total = 0usize;
    for file in files {
        let cst_pass = cst_run(cst, &configs, file)?;
        let ours = clearance_run(&policy, &policy_name, file)?;
        let mut cells = Vec::new();
        let mut row_agree = 0usize;
        for (id, cst_ok) in ids.iter().zip(&cst_pass) {
            let status = ours.get(id).map_or("missing", String::as_str);
            let same = (status == "pass") == *cst_ok;
            total += 1;
            if same {
                agreed += 1;
                row_agree += 1;
            } else {
                all_agree = false;
            }
            let cst_word = if *cst_ok { "pass" } else { "fail" };
            let mark = if same { "" } else { " **≠**" };
            cells.push(format!("{cst_word} / {status}{mark}"));
        }
        let name = file
            .file_name()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        println!(
            "| `{name}` | {} | {row_agree}/{} |",
            cells.join(" | "),
            ids.len()
        );
    }
    println!();
    println!("Each cell: container-structure-test / clearance. Verdicts agree on {agreed} of {total} (check, image) pairs.");
    Ok(all_agree)
}

fn parity() -> Result<bool, CliError> {
    let mut rego = Rego::new()?;
    let mut same = true;
    println!("| fixture | dumps | requirements | pass | fail | not_applicable | error | statuses equal |");
    println!("|---|---|---|---|---|---|---|---|");
    for fixture in ["reactbin-conforming", "reactbin-violating"] {
        let full = DumpSet::fixture(fixture)?;
        for (label, set) in [
            ("image + history + container", full.clone()),
            ("image + history", full.only(true, true, false)),
            ("image only", full.only(true, false, false)),
        ] {
            let want = clearance_api(REACTBIN_PACK, &set)?;
            let got = rego.statuses(&set)?;
            let equal = want == got;
            same &= equal;
            let n = |s: &str| want.values().filter(|v| *v == s).count();
            println!(
                "| `{fixture}` | {label} | {} | {} | {} | {} | {} | {} |",
                want.len(),
                n("pass"),
                n("fail"),
                n("not_applicable"),
                n("error"),
                if equal { "yes" } else { "**no**" }
            );
        }
    }
    Ok(same)
}
