//! Evaluation: facts × policy × waivers × today → report.
//!
//! PLACEHOLDER: the real implementation replaces this file (see `docs/architecture.md`).

use crate::facts::Subject;
use crate::policy::{Date, Policy, Waiver};
use crate::report::{Counts, Report, ToolInfo, Verdict};

/// What evaluation needs besides facts and policies.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The date waivers are judged against. Without it, waivers with an expiry date do not apply (and
    /// the report says so): clearance has no clock.
    pub today: Option<Date>,
}

/// Evaluates every requirement of every policy against every subject.
pub fn evaluate(
    _policies: &[Policy],
    _subjects: &[Subject],
    _waivers: &[Waiver],
    options: &Options,
) -> Report {
    Report {
        schema_version: 1,
        tool: ToolInfo::current(),
        policies: Vec::new(),
        today: options.today.map(|d| d.to_string()),
        verdict: Verdict::Incomplete,
        counts: Counts::default(),
        subjects: Vec::new(),
    }
}
