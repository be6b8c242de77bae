//! `clearance check`: gather policies, waivers and dumps, run the engine, write the report.

use crate::args::{CheckArgs, ReportFormat};
use crate::{batch, engine, output, today};
use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, PolicyInput, WaiversInput};
use clearance_core::policy::Date;
use clearance_core::report::{self, RenderOptions, Report, Verdict};
use clearance_core::{builtin, Diagnostic, Location};
use std::io::{IsTerminal, Read, Write};

/// The pack used when no `--policy` is given.
pub const DEFAULT_POLICY: &str = "image-baseline";

pub fn run(args: &CheckArgs) -> u8 {
    let json_errors = args.format == ReportFormat::Json;
    if let Some(dir) = &args.batch {
        return match run_batch(args, dir) {
            Ok(report) => emit(args, &report),
            Err(errors) => output::errors(&errors, json_errors),
        };
    }
    match build_request(args) {
        Ok(request) => evaluate(args, request),
        Err(errors) => output::errors(&errors, json_errors),
    }
}

fn build_request(args: &CheckArgs) -> Result<CheckRequest, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut policies = Vec::new();
    let names: Vec<&str> = if args.policies.is_empty() {
        vec![DEFAULT_POLICY]
    } else {
        args.policies.iter().map(String::as_str).collect()
    };
    for name in names {
        match policy_input(name) {
            Ok(p) => policies.push(p),
            Err(e) => errors.push(e),
        }
    }
    let waivers = match &args.waivers {
        None => None,
        Some(path) => {
            let name = path.display().to_string();
            match read_text(&name, TextKind::Waivers) {
                Ok(text) => Some(WaiversInput { name, text }),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        }
    };
    let mut dumps = Vec::new();
    if let Some(image) = &args.image {
        if !args.dumps.is_empty() {
            errors.push(usage("give either `--image` or dump files, not both"));
        }
        let bad = engine::option_like_references(image, args.container.as_deref());
        if !bad.is_empty() {
            errors.extend(bad);
        } else {
            match engine::inspect(args.engine, image, args.container.as_deref()) {
                Ok(mut d) => dumps.append(&mut d),
                Err(e) => errors.push(e),
            }
        }
    } else if args.dumps.is_empty() && args.batch.is_none() {
        errors.push(Diagnostic {
            code: "usage/no-dump".into(),
            message: "no dump was given".into(),
            help: Some(
                "run `docker image inspect IMAGE > image.json` and `docker history --no-trunc --format '{{json .}}' IMAGE > history.jsonl`, then `clearance check image.json history.jsonl`; or use `--image IMAGE`"
                    .into(),
            ),
            location: Location::default(),
        });
    }
    let stdin_uses = args.dumps.iter().filter(|d| d.as_str() == "-").count();
    if stdin_uses > 1 {
        errors.push(usage("`-` (stdin) can be given only once"));
    }
    for path in &args.dumps {
        match read_bytes(path) {
            Ok(bytes) => dumps.push(DumpInput {
                name: path.clone(),
                content: match decode(bytes) {
                    Ok(text) => DumpContent::Text(text),
                    Err(e) => return Err(vec![not_utf8(path, &e, TextKind::Dump)]),
                },
                kind: None,
            }),
            Err(e) => errors.push(e),
        }
    }
    let today = match &args.today {
        Some(t) => Some(t.clone()),
        None => today::utc_today(),
    };
    if errors.is_empty() {
        Ok(CheckRequest {
            policies,
            dumps,
            waivers,
            today,
            limits: None,
        })
    } else {
        Err(errors)
    }
}

/// UTF-8 as is; UTF-16 with a byte-order mark (PowerShell's `>`) decoded, as the core does for the npm
/// package and the web app.
fn decode(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes
            .get(2..)
            .unwrap_or_default()
            .chunks_exact(2)
            .map(|c| match c {
                [a, b] if le => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                _ => 0xFFFD,
            })
            .collect();
        (bytes.len() % 2 == 0)
            .then(|| String::from_utf16(&units).ok())
            .flatten()
    };
    let decoded = if bytes.starts_with(&[0xFF, 0xFE]) {
        utf16(true)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        utf16(false)
    } else {
        None
    };
    match decoded {
        Some(text) => Ok(text),
        None => String::from_utf8(bytes),
    }
}

/// What a file read as text holds: its "not UTF-8" help says how that kind of file is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Dump,
    Policy,
    Waivers,
}

fn not_utf8(path: &str, e: &std::string::FromUtf8Error, kind: TextKind) -> Diagnostic {
    let offset = e.utf8_error().valid_up_to();
    let bytes = e.as_bytes();
    let (line, column) = line_col(bytes.get(..offset).unwrap_or_default());
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    Diagnostic {
        code: "input/not-utf8".into(),
        message: format!("`{path}` is not UTF-8 text: invalid byte at offset {offset}"),
        help: Some(if utf16 {
            "the file is UTF-16 (PowerShell's `>` writes UTF-16); convert it: `iconv -f UTF-16 -t UTF-8`".into()
        } else {
            match kind {
                TextKind::Dump => "save the dump as UTF-8, as docker and podman print it",
                TextKind::Policy => {
                    "save the policy file as UTF-8: YAML and JSON policies are read as UTF-8"
                }
                TextKind::Waivers => {
                    "save the waivers file as UTF-8: YAML and JSON waivers are read as UTF-8"
                }
            }
            .into()
        }),
        location: Location {
            file: Some(path.to_string()),
            line: Some(line),
            column: Some(column),
            pointer: None,
        },
    }
}

fn line_col(prefix: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(prefix);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn usage(message: &str) -> Diagnostic {
    Diagnostic {
        code: "usage/arguments".into(),
        message: message.to_string(),
        help: Some("see `clearance check --help`".into()),
        location: Location::default(),
    }
}

/// A built-in pack name, else a file.
fn policy_input(name: &str) -> Result<PolicyInput, Diagnostic> {
    if builtin::find(name).is_some() {
        return Ok(PolicyInput::Builtin(name.to_string()));
    }
    let path = std::path::Path::new(name);
    if path.exists() || name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")
    {
        let text = read_text(name, TextKind::Policy)?;
        return Ok(PolicyInput::Text {
            name: name.to_string(),
            text,
        });
    }
    // Not a pack and not a file: let the engine's "did you mean" speak.
    Ok(PolicyInput::Builtin(name.to_string()))
}

pub fn read_text(path: &str, kind: TextKind) -> Result<String, Diagnostic> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| not_utf8(path, &e, kind))
}

pub fn read_bytes(path: &str) -> Result<Vec<u8>, Diagnostic> {
    let limit = clearance_core::input::Limits::default().max_document_bytes;
    if path != "-" {
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.len() > limit as u64 {
                return Err(Diagnostic {
                    code: "input/too-large".into(),
                    message: format!(
                        "`{path}` is {} bytes, over the limit of {limit} bytes for one document",
                        meta.len()
                    ),
                    help: Some(
                        "check that this is a single dump; split a batch with `--batch`".into(),
                    ),
                    location: Location::file(path.to_string()),
                });
            }
        }
    }
    let result = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    result.map_err(|e| Diagnostic {
        code: "io/read".into(),
        message: format!("cannot read `{path}`: {e}"),
        help: None,
        location: Location::file(path.to_string()),
    })
}

fn run_batch(args: &CheckArgs, dir: &std::path::Path) -> Result<Report, Vec<Diagnostic>> {
    // The request is built without dumps: it carries the policies, waivers and date.
    let request = build_request(args)?;
    let mut errors = Vec::new();
    let mut policies = Vec::new();
    for p in &request.policies {
        match api::load_policy(p) {
            Ok(p) => policies.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    let waivers = match &request.waivers {
        None => Vec::new(),
        Some(w) => clearance_core::policy::load_waivers(&w.name, &w.text).unwrap_or_else(|e| {
            errors.extend(e.iter().map(clearance_core::ToDiagnostic::to_diagnostic));
            Vec::new()
        }),
    };
    let today = match request.today.as_deref() {
        None => None,
        Some(t) => match Date::parse(t) {
            Some(d) => Some(d),
            None => {
                errors.push(Diagnostic {
                    code: "request/bad-date".into(),
                    message: format!("`{t}` is not a date: expected `YYYY-MM-DD`"),
                    help: Some("give today's date, e.g. `2026-11-23`".into()),
                    location: Location::default(),
                });
                None
            }
        },
    };
    errors.extend(api::unknown_waiver_ids(&waivers, &policies));
    let sets = batch::dump_sets(dir).map_err(|e| vec![e])?;
    if !errors.is_empty() {
        return Err(errors);
    }
    let options = clearance_core::eval::Options {
        today,
        ..Default::default()
    };
    batch::evaluate(&sets, &policies, &waivers, &options)
}

fn evaluate(args: &CheckArgs, request: CheckRequest) -> u8 {
    let json_errors = args.format == ReportFormat::Json;
    // owned: each dump's text is freed once it is parsed
    match api::check_owned(request).ok() {
        Ok(out) => emit(args, &out.report),
        Err(errors) => output::errors(&errors, json_errors),
    }
}

/// Renders the report, writes it, and turns the verdict into the exit code.
fn emit(args: &CheckArgs, report: &Report) -> u8 {
    let color = args.format == ReportFormat::Text
        && args.output.is_none()
        && !args.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let options = RenderOptions { color };
    let format = args.format.into();
    let code = match report.verdict {
        Verdict::Pass => 0,
        Verdict::Fail | Verdict::Incomplete => 1,
    };
    // written as it is rendered: the JSON of a large report is never held as one string
    match &args.output {
        Some(path) => {
            let written = std::fs::File::create(path).and_then(|file| {
                let mut out = std::io::BufWriter::new(file);
                report::render_to(report, format, options, &mut out)?;
                out.flush()
            });
            match written {
                Ok(()) => code,
                // stdout is free: with `--format json` the failure answer goes there, as every error does
                Err(e) => output::errors(
                    &[Diagnostic {
                        code: "io/write".into(),
                        message: format!("cannot write `{}`: {e}", path.display()),
                        help: None,
                        location: Location::file(path.display().to_string()),
                    }],
                    args.format == ReportFormat::Json,
                ),
            }
        }
        None => output::to_stdout(|mut out| {
            report::render_to(report, format, options, &mut out)?;
            Ok(code)
        }),
    }
}
