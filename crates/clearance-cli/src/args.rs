//! Command-line arguments and dispatch.

use crate::{check, output};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Check container images against their contract: `docker inspect` / `docker history` / podman / OCI
/// config dumps in, requirement-by-requirement pass/fail with evidence out.
#[derive(Debug, Parser)]
#[command(name = "clearance", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate policies against dumps (auto-detected; `-` reads stdin).
    Check(CheckArgs),
    /// List the built-in policy packs, or the requirements of one.
    Policies {
        /// A pack name: list its requirements.
        name: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Explain a built-in requirement: what it checks, why, a failing example and the fix.
    Explain {
        /// Requirement id, e.g. `NET-001`.
        id: String,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Work with policy files.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate a policy file: every problem with its line and column.
    Validate {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print the JSON Schema of the policy and waivers formats (for editors).
    Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Sarif,
    Junit,
    Markdown,
}

impl ReportFormat {
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Text => "text",
            ReportFormat::Json => "json",
            ReportFormat::Sarif => "sarif",
            ReportFormat::Junit => "junit",
            ReportFormat::Markdown => "markdown",
        }
    }
}

impl From<ReportFormat> for clearance_core::report::Format {
    fn from(f: ReportFormat) -> Self {
        use clearance_core::report::Format;
        match f {
            ReportFormat::Text => Format::Text,
            ReportFormat::Json => Format::Json,
            ReportFormat::Sarif => Format::Sarif,
            ReportFormat::Junit => Format::Junit,
            ReportFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    Docker,
    Podman,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A built-in pack name or a policy file (YAML or JSON); repeat for several. Default: `image-baseline`.
    #[arg(long = "policy", short = 'p', value_name = "NAME|FILE")]
    pub policies: Vec<String>,
    /// A waivers file (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// The date waivers are judged against (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write the report here instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Inspect this image with the container engine instead of reading dumps.
    #[arg(long, value_name = "REF")]
    pub image: Option<String>,
    /// With --image: also inspect this container (runtime checks).
    #[arg(long, value_name = "NAME", requires = "image")]
    pub container: Option<String>,
    /// The engine `--image` runs.
    #[arg(long, value_enum, default_value_t = Engine::Docker)]
    pub engine: Engine,
    /// Evaluate every subfolder of DIR as one image's dump set, in parallel on all cores.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["image", "dumps"])]
    pub batch: Option<PathBuf>,
    /// Never colour the text report (colour is on for a terminal unless NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,
    /// Dump files: image inspect, container inspect, history, OCI config; `-` for stdin.
    #[arg(value_name = "DUMP")]
    pub dumps: Vec<String>,
}

impl Cli {
    pub fn run(self) -> u8 {
        match self.command {
            Command::Check(args) => check::run(&args),
            Command::Policies { name, format } => output::policies(name.as_deref(), format),
            Command::Explain { id, format } => output::explain(&id, format),
            Command::Policy(PolicyCommand::Validate { file, format }) => {
                output::validate(&file, format)
            }
            Command::Policy(PolicyCommand::Schema) => output::schema(),
        }
    }
}
