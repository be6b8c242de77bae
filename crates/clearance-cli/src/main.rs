//! `clearance`: check container images against their contract, from the command line.
//!
//! Exit codes: 0 the verdict is pass; 1 a blocking requirement failed or the verdict is incomplete;
//! 2 a usage, input or policy error.
#![forbid(unsafe_code)]

mod args;
mod batch;
mod check;
mod engine;
mod output;
mod today;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    ExitCode::from(cli.run())
}
