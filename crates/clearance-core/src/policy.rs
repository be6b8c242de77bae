//! Policies: parse YAML or JSON policy text (with line/column in every error), resolve includes and
//! parameters, compile checks, and read waivers.
//!
//! PLACEHOLDER: the real implementation replaces this file (see `docs/architecture.md`).

pub mod model;

use crate::diagnostic::{Diagnostic, Location, ToDiagnostic};
pub use model::*;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("policies are not supported yet")]
    Unsupported { file: String },
}

impl ToDiagnostic for PolicyError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            PolicyError::Unsupported { file } => Diagnostic {
                code: "policy/unsupported".into(),
                message: self.to_string(),
                help: None,
                location: Location::file(file.clone()),
            },
        }
    }
}

/// Finds the text of a policy by name (built-in packs) for `include`.
pub trait Resolver {
    /// The source text and its display name, or `None` when there is no such policy.
    fn resolve(&self, name: &str) -> Option<(String, String)>;
}

/// Parses, validates and compiles a policy. `file` names it in errors. Includes are looked up through
/// `resolver`. All problems are reported, not only the first.
pub fn load(file: &str, _text: &str, _resolver: &dyn Resolver) -> Result<Policy, Vec<PolicyError>> {
    Err(vec![PolicyError::Unsupported {
        file: file.to_string(),
    }])
}

/// Parses a waivers file (YAML or JSON).
pub fn load_waivers(file: &str, _text: &str) -> Result<Vec<Waiver>, Vec<PolicyError>> {
    Err(vec![PolicyError::Unsupported {
        file: file.to_string(),
    }])
}
