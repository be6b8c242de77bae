//! `--image`: run the container engine's own commands and hand their output to the engine as dumps.

use crate::args::Engine;
use clearance_core::api::{DumpContent, DumpInput};
use clearance_core::{Diagnostic, Location};
use std::process::Command;

impl Engine {
    fn program(self) -> &'static str {
        match self {
            Engine::Docker => "docker",
            Engine::Podman => "podman",
        }
    }
}

/// The `--image` and `--container` values that would reach the engine as options (`--image=-x`,
/// `--container=--privileged`): each is a usage error naming its flag. (`inspect` also puts `--` before
/// them; this says what is wrong instead of letting docker answer "No such image: -x".)
pub fn option_like_references(image: &str, container: Option<&str>) -> Vec<Diagnostic> {
    [("--image", Some(image)), ("--container", container)]
        .into_iter()
        .filter_map(|(flag, value)| {
            let value = value.filter(|v| v.starts_with('-'))?;
            Some(Diagnostic {
                code: "usage/arguments".into(),
                message: format!("`{flag}` takes a name, not `{value}`: it cannot start with `-`"),
                help: Some(format!(
                    "give the image or container name or id after `{flag}`; see `clearance check --help`"
                )),
                location: Location::default(),
            })
        })
        .collect()
}

/// Runs `image inspect` and `history` for `image` (and `container inspect` for `container`). The
/// reference follows `--`, so the engine never reads it as an option.
pub fn inspect(
    engine: Engine,
    image: &str,
    container: Option<&str>,
) -> Result<Vec<DumpInput>, Diagnostic> {
    let program = engine.program();
    let history_format = match engine {
        Engine::Docker => "{{json .}}",
        Engine::Podman => "json",
    };
    let mut dumps = vec![
        run(
            program,
            &["image", "inspect", "--", image],
            &format!("{program} image inspect {image}"),
        )?,
        run(
            program,
            &[
                "history",
                "--no-trunc",
                "--format",
                history_format,
                "--",
                image,
            ],
            &format!("{program} history --no-trunc {image}"),
        )?,
    ];
    if let Some(container) = container {
        dumps.push(run(
            program,
            &["container", "inspect", "--", container],
            &format!("{program} container inspect {container}"),
        )?);
    }
    Ok(dumps)
}

fn run(program: &str, args: &[&str], name: &str) -> Result<DumpInput, Diagnostic> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| Diagnostic {
            code: "engine/not-found".into(),
            message: format!("cannot run `{program}`: {e}"),
            help: Some(format!(
            "install the `{program}` client, or save its output to files and pass them as dumps"
        )),
            location: Location::default(),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Diagnostic {
            code: "engine/failed".into(),
            message: format!(
                "`{program} {}` failed ({}): {}",
                args.join(" "),
                output.status,
                stderr.trim()
            ),
            help: Some(
                "check that the image (or container) exists and the daemon is reachable".into(),
            ),
            location: Location::default(),
        });
    }
    let text = String::from_utf8(output.stdout).map_err(|e| Diagnostic {
        code: "engine/not-utf8".into(),
        message: format!(
            "`{program} {}` printed bytes that are not UTF-8 (offset {})",
            args.join(" "),
            e.utf8_error().valid_up_to()
        ),
        help: None,
        location: Location::default(),
    })?;
    Ok(DumpInput {
        name: name.to_string(),
        content: DumpContent::Text(text),
        kind: None,
    })
}
