//! Policies: parse YAML or JSON policy text (with line/column in every error), resolve includes and
//! parameters, compile checks, and read waivers.
//!
//! The stages, one file each:
//!
//! ```text
//! text ──node::parse──▶ Node tree (line/column on every node; JSON through the same YAML loader)
//!      ──params──▶ `{param: NAME}` replaced by values (the includer's `with:`, else the default)
//!      ──compile──▶ Policy: fields read, includes loaded through the Resolver, requirements merged
//!                   (checks compiled by `check`: facts resolved, literals read by kind, regexes and
//!                   globs compiled)
//! ```
//!
//! Every reader reports into one error list and carries on, so a load reports all problems.

mod check;
mod compile;
mod error;
mod literal;
pub mod model;
pub(crate) mod node;
mod params;
mod read;
mod waiver;

pub use check::{FORMS, OPERATORS, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT};
pub use error::PolicyError;
pub use model::*;

/// Finds the text of a policy by name (built-in packs) for `include`.
pub trait Resolver {
    /// The display name (a path such as `policies/image-baseline.yaml`) and the source text, or `None`
    /// when there is no such policy.
    fn resolve(&self, name: &str) -> Option<(String, String)>;

    /// The names it knows, for "did you mean" when an include names no known pack.
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A resolver that knows no policies: for policies without includes.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoIncludes;

impl Resolver for NoIncludes {
    fn resolve(&self, _name: &str) -> Option<(String, String)> {
        None
    }
}

/// Parses, validates and compiles a policy. `file` names it in errors. Includes are looked up through
/// `resolver`. All problems are reported, not only the first.
pub fn load(file: &str, text: &str, resolver: &dyn Resolver) -> Result<Policy, Vec<PolicyError>> {
    load_with_limits(file, text, resolver, &Limits::default())
}

/// Limits enforced while loading a policy, the same in every home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest compiled regex accepted, in bytes (the `regex` crate's `size_limit`).
    pub regex_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            regex_size: REGEX_SIZE_LIMIT,
        }
    }
}

/// [`load`] with other limits.
pub fn load_with_limits(
    file: &str,
    text: &str,
    resolver: &dyn Resolver,
    limits: &Limits,
) -> Result<Policy, Vec<PolicyError>> {
    let loader = compile::Loader::new(resolver).with_regex_size_limit(limits.regex_size);
    load_by(loader, file, text)
}

/// Loads a built-in pack (a shipped constant): as [`load`], but each regex is compiled at its first use
/// (see [`Regex`]).
pub(crate) fn load_builtin(
    file: &str,
    text: &str,
    resolver: &dyn Resolver,
) -> Result<Policy, Vec<PolicyError>> {
    load_by(
        compile::Loader::new(resolver).deferring_regexes(),
        file,
        text,
    )
}

/// The policy `loader` makes of `text`, or every error it reported.
fn load_by(
    mut loader: compile::Loader<'_>,
    file: &str,
    text: &str,
) -> Result<Policy, Vec<PolicyError>> {
    let mut errors = Vec::new();
    match loader.load(&mut errors, file, text) {
        Some(policy) if errors.is_empty() => Ok(policy),
        _ => Err(errors),
    }
}

/// Parses a waivers file (YAML or JSON): a mapping with `waivers:`, a list of
/// `{id, image, reason, approver, expires}`. Whether the ids exist is checked by the evaluator.
pub fn load_waivers(file: &str, text: &str) -> Result<Vec<Waiver>, Vec<PolicyError>> {
    waiver::load(file, text)
}

/// The policy text as plain JSON (for JSON Schema validation and tooling): same model as YAML.
/// Returns the syntax error's message when the text does not parse.
pub fn parse_to_json(text: &str) -> Result<serde_json::Value, String> {
    match node::parse(text) {
        Ok(Some(root)) => Ok(node_to_json(&root)),
        Ok(None) => Ok(serde_json::Value::Null),
        Err(e) => Err(format!(
            "{} at line {} column {}",
            e.message, e.line, e.column
        )),
    }
}

fn node_to_json(n: &node::Node) -> serde_json::Value {
    use node::Value;
    use serde_json::Value as J;
    match &n.value {
        Value::Null | Value::Invalid => J::Null,
        Value::Bool(b, _) => J::Bool(*b),
        Value::Int(i, _) => J::from(*i),
        Value::Float(raw) => raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| J::String(raw.clone()), J::Number),
        Value::Str(s) => J::String(s.clone()),
        Value::List(items) => J::Array(items.iter().map(node_to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), node_to_json(v)))
                .collect(),
        ),
    }
}
