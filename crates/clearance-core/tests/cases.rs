//! Data-driven scenarios: every `tests/cases/*.yaml` (repo root) is one test.
//!
//! A case names policies (built-in pack names, or policy files relative to the repo root), dump files
//! relative to the repo root, optionally a waivers file and a date, and what must come out: the verdict
//! and the status of every requirement — or, with `error:`, a substring of the error the check must fail
//! with. `secrets:` lists values planted in the fixtures that must never appear in any rendering of the
//! report. See `tests/cases/README.md` for the format.
//!
//! Adding a case: write the YAML file and add its name to `cases!` below (the `case_files_are_listed`
//! test fails and names the missing line if you forget). Run one case with
//! `cargo test -p clearance-core --test cases reactbin_violating`; set `CLEARANCE_CASE_PRINT=1` to print
//! the statuses a case actually produced, in `expect:` form.
#![expect(
    clippy::disallowed_methods,
    clippy::panic,
    reason = "a test harness: it reads its case files and fixtures from disk and reports by panicking"
)]

use clearance_core::api::{
    self, Answer, CheckOutput, CheckRequest, DumpContent, DumpInput, PolicyInput, WaiversInput,
};
use clearance_core::report::{self, Format, RenderOptions};
use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Dumps from the shared corpus of real captures are reached through this prefix; when the corpus is
/// absent, cases that use it are skipped with a line saying so.
const CORPUS: &str = "../shared/corpus/";

fn cases_dir() -> PathBuf {
    repo_root().join("tests/cases")
}

// ───────────────────────────── case files ─────────────────────────────

/// One case file, as written.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    policies: Vec<String>,
    dumps: Vec<String>,
    #[serde(default)]
    waivers: Option<String>,
    #[serde(default)]
    today: Option<String>,
    #[serde(default)]
    verdict: Option<String>,
    /// Every result must be listed in `expect` (default true).
    #[serde(default = "yes")]
    complete: bool,
    #[serde(default)]
    expect: BTreeMap<String, String>,
    /// The check must fail with an error containing this text.
    #[serde(default)]
    error: Option<String>,
    /// Values planted in the fixtures that no rendering of the report may contain.
    #[serde(default)]
    secrets: Vec<String>,
}

fn yes() -> bool {
    true
}

const STATUSES: [&str; 5] = ["pass", "fail", "waived", "not_applicable", "error"];
const VERDICTS: [&str; 3] = ["pass", "fail", "incomplete"];

/// YAML → JSON, keeping scalars as the YAML core schema reads them; dates stay strings.
fn to_json(node: &Yaml) -> Result<Value, String> {
    Ok(match node {
        Yaml::Value(Scalar::Null) => Value::Null,
        Yaml::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        Yaml::Value(Scalar::Integer(i)) => Value::from(*i),
        Yaml::Value(Scalar::FloatingPoint(f)) => Value::from(f.into_inner()),
        Yaml::Value(Scalar::String(s)) => Value::String(s.to_string()),
        Yaml::Sequence(items) => Value::Array(items.iter().map(to_json).collect::<Result<_, _>>()?),
        Yaml::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match to_json(k)? {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                out.insert(key, to_json(v)?);
            }
            Value::Object(out)
        }
        other => return Err(format!("unsupported YAML node {other:?}")),
    })
}

fn load_case(name: &str) -> Result<Case, String> {
    let path = cases_dir().join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let docs = Yaml::load_from_str(&text).map_err(|e| format!("{name}.yaml: {e}"))?;
    let doc = docs
        .first()
        .ok_or_else(|| format!("{name}.yaml is empty"))?;
    let value = to_json(doc).map_err(|e| format!("{name}.yaml: {e}"))?;
    let case: Case = serde_json::from_value(value).map_err(|e| format!("{name}.yaml: {e}"))?;
    let mut problems = Vec::new();
    if case.error.is_some() == (case.verdict.is_some() || !case.expect.is_empty()) {
        problems.push("give either `error`, or `verdict` and `expect`".to_string());
    }
    if let Some(v) = &case.verdict {
        if !VERDICTS.contains(&v.as_str()) {
            problems.push(format!("verdict `{v}` is not one of {VERDICTS:?}"));
        }
    }
    for (id, status) in &case.expect {
        if !STATUSES.contains(&status.as_str()) {
            problems.push(format!(
                "{id}: status `{status}` is not one of {STATUSES:?}"
            ));
        }
    }
    if problems.is_empty() {
        Ok(case)
    } else {
        Err(format!("{name}.yaml: {}", problems.join("; ")))
    }
}

fn read(rel: &str) -> Result<String, String> {
    std::fs::read_to_string(repo_root().join(rel)).map_err(|e| format!("cannot read `{rel}`: {e}"))
}

fn is_path(policy: &str) -> bool {
    policy.contains('/') || policy.ends_with(".yaml") || policy.ends_with(".json")
}

fn request(case: &Case) -> Result<CheckRequest, String> {
    let mut policies = Vec::new();
    for p in &case.policies {
        policies.push(if is_path(p) {
            PolicyInput::Text {
                name: p.clone(),
                text: read(p)?,
            }
        } else {
            PolicyInput::Builtin(p.clone())
        });
    }
    let mut dumps = Vec::new();
    for d in &case.dumps {
        dumps.push(DumpInput {
            name: d.clone(),
            content: DumpContent::Text(read(d)?),
            kind: None,
        });
    }
    let waivers = match &case.waivers {
        Some(w) => Some(WaiversInput {
            name: w.clone(),
            text: read(w)?,
        }),
        None => None,
    };
    Ok(CheckRequest {
        policies,
        dumps,
        waivers,
        today: case.today.clone(),
        limits: None,
    })
}

// ───────────────────────────── running one case ─────────────────────────────

/// Every rendering a user can get of the answer: the façade's JSON and each report format.
fn renderings(answer: &Answer<CheckOutput>) -> Vec<(String, String)> {
    let mut out = vec![("api::to_json".to_string(), api::to_json(answer))];
    if let Answer::Success { value } = answer {
        for format in Format::ALL {
            out.push((
                format!("report::render({})", format.name()),
                report::render(&value.report, format, RenderOptions::default()),
            ));
        }
    }
    out
}

/// Runs a case; returns the problems found (empty when it passes).
fn run_case(name: &str) -> Vec<String> {
    let case = match load_case(name) {
        Ok(c) => c,
        Err(e) => return vec![e],
    };
    if let Some(missing) = case
        .dumps
        .iter()
        .find(|d| d.starts_with(CORPUS) && !repo_root().join(d).exists())
    {
        println!("corpus not found (`{missing}`): case `{name}` skipped");
        return Vec::new();
    }
    let req = match request(&case) {
        Ok(r) => r,
        Err(e) => return vec![e],
    };
    let answer = api::check(&req);
    let mut problems = Vec::new();

    for (what, text) in renderings(&answer) {
        for secret in &case.secrets {
            if text.contains(secret.as_str()) {
                problems.push(format!("planted secret `{secret}` appears in {what}"));
            }
        }
    }

    match (&answer, &case.error) {
        (Answer::Failure { errors }, Some(want)) => {
            let found = errors.iter().any(|e| {
                e.message.contains(want.as_str())
                    || e.help.as_deref().is_some_and(|h| h.contains(want.as_str()))
            });
            if !found {
                problems.push(format!(
                    "expected an error containing `{want}`, got: {}",
                    errors
                        .iter()
                        .map(|e| e.message.clone())
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
            }
        }
        (Answer::Success { value }, Some(want)) => problems.push(format!(
            "expected an error containing `{want}`, but the check succeeded with verdict {}",
            value.report.verdict.name()
        )),
        (Answer::Failure { errors }, None) => {
            for e in errors {
                problems.push(format!(
                    "check failed: {} ({:?}) at {:?}",
                    e.message, e.help, e.location
                ));
            }
        }
        (Answer::Success { value }, None) => compare(&case, value, &mut problems),
    }
    problems
}

fn compare(case: &Case, out: &CheckOutput, problems: &mut Vec<String>) {
    let report = &out.report;
    if std::env::var_os("CLEARANCE_CASE_PRINT").is_some() {
        println!("verdict: {}", report.verdict.name());
        println!("expect:");
        for s in &report.subjects {
            for r in &s.results {
                println!(
                    "  {}: {}  # {} — {}",
                    r.id,
                    r.status.name(),
                    r.severity.name(),
                    r.message
                );
            }
        }
    }
    if let Some(want) = &case.verdict {
        if report.verdict.name() != want {
            problems.push(format!(
                "verdict: expected {want}, got {}",
                report.verdict.name()
            ));
        }
    }
    if report.subjects.is_empty() {
        problems.push("the report has no subject".to_string());
    }
    let mut seen = BTreeMap::new();
    for subject in &report.subjects {
        for r in &subject.results {
            let got = r.status.name();
            seen.insert(r.id.to_string(), got);
            match case.expect.get(&*r.id) {
                Some(want) if want == got => {}
                Some(want) => problems.push(format!(
                    "{}: expected {want}, got {got} — {}",
                    r.id, r.message
                )),
                None if case.complete => problems.push(format!(
                    "{}: not listed in expect, got {got} — {}",
                    r.id, r.message
                )),
                None => {}
            }
        }
    }
    for (id, want) in &case.expect {
        if !seen.contains_key(id) {
            problems.push(format!(
                "{id}: expected {want}, but the report has no such result"
            ));
        }
    }
}

fn check_case(name: &str) {
    let problems = run_case(name);
    if !problems.is_empty() {
        let description = load_case(name).map(|c| c.description).unwrap_or_default();
        let mut msg = format!(
            "case `{name}` — {description}\n{} problems:\n",
            problems.len()
        );
        for p in &problems {
            let _ = writeln!(msg, "  {p}");
        }
        panic!("{msg}");
    }
}

// ───────────────────────────── the cases ─────────────────────────────

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        /// File names (without `.yaml`) of the listed cases.
        const LISTED: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                check_case(&stringify!($name).replace('_', "-"));
            }
        )*
    };
}

cases! {
    reactbin_conforming,
    reactbin_conforming_image_history,
    reactbin_violating,
    reactbin_violating_image_only,
    reactbin_truncated_history,
    reactbin_image_only,
    reactbin_podman,
    reactbin_oci_config,
    history_not_recorded_oci,
    history_not_recorded_docker_lines,
    reactbin_waiver_active,
    reactbin_waiver_expired,
    reactbin_waiver_without_today,
    reactbin_waiver_other_image,
    reactbin_waiver_unknown_id,
    reactbin_history_of_another_image,
    baseline_conforming,
    baseline_violating,
    baseline_postgres_official,
    runtime_hardened,
    runtime_hardened_podman,
    runtime_systempaths_unconfined,
    runtime_exposed,
    runtime_host_namespaces,
    runtime_reactbin_container,
    runtime_without_container,
    todo_backend_conforming,
    todo_backend_violating,
    todo_frontend_conforming,
    todo_frontend_violating,
    todo_postgres_conforming,
    todo_postgres_violating,
    baseline_corpus_dockle_nginx,
    baseline_corpus_dockle_apk_cache,
    baseline_corpus_dockle_apt_upgrade,
    reactbin_with_runtime_hardening,
    custom_policy_conforming,
    custom_policy_violating,
    policy_name_collision,
    reactbin_usermod_root,
    reactbin_passwd_root,
    reactbin_usermod_uid,
    reactbin_healthcheck_exit0,
    reactbin_healthcheck_or_true,
    reactbin_healthcheck_semicolon_true,
    reactbin_healthcheck_fail_early,
    reactbin_single_stage_uv,
    reactbin_single_stage_uv_sync_late,
    reactbin_single_stage_uv_sync_dev,
    reactbin_copy_tests,
    reactbin_copy_app_tests,
    reactbin_pip_dev_requirements,
    reactbin_pip_testing_extra,
    reactbin_copy_env_production,
    reactbin_copy_env_example,
    reactbin_user_numeric,
    reactbin_user_numeric_wrong_gid,
    reactbin_gid_by_name,
    reactbin_tag_date,
    reactbin_container_empty_secret,
    todo_backend_usermod_root,
    todo_backend_healthcheck_exit0,
    todo_backend_user_numeric,
    todo_backend_user_group,
    todo_backend_container_hostnet_empty_env,
    todo_frontend_container_hostnet_empty_env,
    todo_postgres_trust,
    todo_postgres_container_host_trust,
    baseline_health_timings,
    baseline_health_timeout,
    baseline_health_bounds_ok,
    baseline_probe_cannot_fail,
    baseline_probe_ok,
    baseline_uid0,
    baseline_uid0_ok,
    baseline_pipe_to_shell,
    baseline_pipe_to_shell_ok,
    baseline_sudo,
    baseline_sudo_ok,
    baseline_world_writable,
    baseline_setuid,
    baseline_permissions_ok,
    baseline_copy_context,
    baseline_copy_context_ok,
    baseline_apt_options,
    baseline_package_cache_mentioned,
    baseline_package_cache_removed,
    baseline_pip_cache,
    baseline_pip_cache_ok,
    baseline_add_checksum,
    baseline_tags_pinned,
    baseline_tags_unpinned,
    column_maps,
}

fn case_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".yaml"))
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn case_files_are_listed() {
    let files = case_files();
    let listed: Vec<String> = LISTED.iter().map(|n| n.replace('_', "-")).collect();
    let mut problems = Vec::new();
    for f in &files {
        if f.contains('_') {
            problems.push(format!(
                "rename `{f}.yaml`: case names use dashes, not underscores"
            ));
        } else if !listed.contains(f) {
            problems.push(format!(
                "`{f}.yaml` is not run: add `{},` to `cases!` in this file",
                f.replace('-', "_")
            ));
        }
    }
    for l in &listed {
        if !files.contains(l) {
            problems.push(format!(
                "`cases!` lists `{l}` but tests/cases/{l}.yaml does not exist"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!("{} case files, all listed", files.len());
}

/// Every shipped pack is exercised by at least one case that passes and one that fails.
#[test]
fn every_builtin_pack_has_a_passing_and_a_failing_case() {
    let mut verdicts: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for name in case_files() {
        let case = match load_case(&name) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        for p in &case.policies {
            if let Some(pack) = clearance_core::builtin::find(p) {
                if let Some(v) = &case.verdict {
                    verdicts.entry(pack.name).or_default().push(v.clone());
                }
            }
        }
    }
    let mut missing = Vec::new();
    for pack in clearance_core::builtin::PACKS {
        let got = verdicts.get(pack.name).cloned().unwrap_or_default();
        for want in ["pass", "fail"] {
            if !got.iter().any(|v| v == want) {
                missing.push(format!("{}: no case with verdict {want}", pack.name));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Every built-in pack loads, and every requirement documents what a reviewer needs.
#[test]
fn builtin_packs_load_and_document_every_requirement() {
    let mut problems = Vec::new();
    for pack in clearance_core::builtin::PACKS {
        match api::load_policy(&PolicyInput::Builtin(pack.name.to_string())) {
            Err(errs) => {
                for e in errs {
                    problems.push(format!("{}: {} ({:?})", pack.name, e.message, e.location));
                }
            }
            Ok(policy) => {
                for r in policy.requirements.iter().filter(|r| r.policy == pack.name) {
                    if r.description.trim().len() < 40 {
                        problems.push(format!("{} {}: description too short", pack.name, r.id));
                    }
                    if r.remediation.trim().is_empty() {
                        problems.push(format!("{} {}: no remediation", pack.name, r.id));
                    }
                    if r.example.as_deref().is_none_or(|e| e.trim().is_empty()) {
                        problems.push(format!(
                            "{} {}: no example of a failing dump",
                            pack.name, r.id
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A requirement id names one requirement across the shipped packs (a pack may carry another pack's
/// requirement through `include`, but no two packs define the same id): `explain ID` and waivers by id
/// are then unambiguous.
#[test]
fn requirement_ids_are_unique_across_packs() {
    let mut defined: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for pack in clearance_core::builtin::PACKS {
        let Ok(policy) = api::load_policy(&PolicyInput::Builtin(pack.name.to_string())) else {
            continue; // reported by builtin_packs_load_and_document_every_requirement
        };
        for r in policy.requirements.iter().filter(|r| r.policy == pack.name) {
            defined.entry(r.id.clone()).or_default().push(pack.name);
        }
    }
    let clashes: Vec<String> = defined
        .iter()
        .filter(|(_, packs)| packs.len() > 1)
        .map(|(id, packs)| format!("{id} is defined by {}", packs.join(", ")))
        .collect();
    assert!(clashes.is_empty(), "{}", clashes.join("\n"));
}
