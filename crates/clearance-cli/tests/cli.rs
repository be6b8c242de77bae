//! Runs the real `clearance` binary over the table in `tests/cli/cases.json` and checks exit codes and
//! output. A new CLI scenario is a row in that table (plus fixture files), not code.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn strings(case: &Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn run_case(case: &Value) -> Result<(), String> {
    let root = repo_root();
    let args = strings(case, "args");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clearance"));
    cmd.args(&args).current_dir(&root).env_remove("NO_COLOR");
    if let Some(env) = case.get("env").and_then(Value::as_object) {
        for (k, v) in env {
            cmd.env(k, v.as_str().unwrap_or_default());
        }
    }
    if let Some(dir) = case.get("fake_engine").and_then(Value::as_str) {
        let bin = root.join("tests/cli/bin");
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        cmd.env("PATH", path).env("FAKE_DOCKER_DIR", root.join(dir));
    }
    // `"engine_calls": [...]`: the fake engine logs each call's argv; the log must be exactly these lines
    let engine_calls = case
        .get("engine_calls")
        .map(|_| strings(case, "engine_calls"));
    let calls_log = std::env::temp_dir().join(format!(
        "clearance-cli-calls-{}-{}.log",
        std::process::id(),
        case_file_name(case)
    ));
    if engine_calls.is_some() {
        let _ = std::fs::remove_file(&calls_log);
        cmd.env("FAKE_DOCKER_LOG", &calls_log);
    }
    if case.get("no_engine").and_then(Value::as_bool) == Some(true) {
        cmd.env("PATH", root.join("tests/cli/empty-path"));
    }
    let stdin = case.get("stdin").and_then(Value::as_str);
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    // `"stdout_closed": true`: stdout is a pipe nobody reads (`clearance … | head -1` once head is gone)
    let stdout_closed = case.get("stdout_closed").and_then(Value::as_bool) == Some(true);
    cmd.stdout(if stdout_closed {
        closed_pipe()?
    } else {
        Stdio::piped()
    })
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("spawn: {e}"))?;
    if let Some(file) = stdin {
        let bytes = std::fs::read(root.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let mut pipe = child.stdin.take().ok_or("no stdin")?;
        pipe.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let mut problems = Vec::new();
    let want_exit = case.get("exit").and_then(Value::as_i64).unwrap_or(0);
    if out.status.code() != Some(want_exit as i32) {
        problems.push(format!(
            "exit code {:?}, expected {want_exit}",
            out.status.code()
        ));
    }
    for s in strings(case, "stdout") {
        if !stdout.contains(&s) {
            problems.push(format!("stdout lacks {s:?}"));
        }
    }
    for s in strings(case, "stdout_not") {
        if stdout.contains(&s) {
            problems.push(format!("stdout contains {s:?}"));
        }
    }
    for s in strings(case, "stderr") {
        if !stderr.contains(&s) {
            problems.push(format!("stderr lacks {s:?}"));
        }
    }
    for s in strings(case, "stderr_not") {
        if stderr.contains(&s) {
            problems.push(format!("stderr contains {s:?}"));
        }
    }
    if let Some(want) = engine_calls {
        let log = std::fs::read_to_string(&calls_log).unwrap_or_default();
        let _ = std::fs::remove_file(&calls_log);
        let got: Vec<&str> = log.lines().collect();
        if got != want {
            problems.push(format!("engine calls {got:?}, expected {want:?}"));
        }
    }
    if let Some(checks) = case.get("stdout_json").and_then(Value::as_object) {
        match serde_json::from_str::<Value>(&stdout) {
            Ok(json) => {
                for (pointer, want) in checks {
                    let got = json.pointer(pointer);
                    if got != Some(want) {
                        problems.push(format!("json {pointer} = {got:?}, expected {want}"));
                    }
                }
            }
            Err(e) => problems.push(format!("stdout is not JSON: {e}")),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n--- args: {args:?}\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}",
            problems.join("\n")
        ))
    }
}

/// A name for a case's temporary files: its name, with every character a file name could mind replaced.
fn case_file_name(case: &Value) -> String {
    let name = case.get("name").and_then(Value::as_str).unwrap_or("case");
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The write end of a pipe whose read end is already closed: every write to it fails with `EPIPE`.
/// (`true` holds the read end as its stdin and has exited by the time this returns.)
fn closed_pipe() -> Result<Stdio, String> {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn true: {e}"))?;
    let write_end = reader.stdin.take().ok_or("no stdin")?;
    reader.wait().map_err(|e| e.to_string())?;
    Ok(Stdio::from(write_end))
}

#[test]
fn cli_cases() {
    let table = std::fs::read_to_string(repo_root().join("tests/cli/cases.json")).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&table).unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.get("name").and_then(Value::as_str).unwrap_or("?");
        if let Err(e) = run_case(case) {
            failures.push(format!("## {name}\n{e}"));
        }
    }
    println!("{} CLI cases ran, {} failed", cases.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
