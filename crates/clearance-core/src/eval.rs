//! Evaluation: facts × policy × waivers × today → report.
//!
//! Every check is three-valued (pass, fail, unknown) and evaluation fails closed: a requirement whose
//! check cannot be decided (its document was not given, a history line was truncated, a value has the
//! wrong type) has status `error`, never `pass`. The pieces:
//!
//! - [`check`]: the evaluator for one requirement on one subject (targets, operators, elements);
//! - [`describe`]: the human form of a check (the `expected` line of a result);
//! - [`pointer`]: the raw JSON pointer escape hatch (JSON → facts, masked);
//! - [`waivers`]: which waiver covers which result, and the notes about unused or expired ones;
//! - [`evidence`]: evidence items (document, pointer, history layer) and bounded, masked displays.
//!
//! The semantics are the reference's (`docs/policy-language.md`); the report's fields are documented in
//! `docs/report-format.md`.

mod check;
mod describe;
mod evidence;
mod pointer;
mod waivers;

use crate::facts::Subject;
use crate::policy::{Date, Policy, Requirement, Severity, Waiver};
use crate::report::{
    Counts, PolicyInfo, Report, RequirementResult, Status, SubjectReport, ToolInfo, Verdict,
};
use check::{Evaluator, Truth};

/// The version of the report format written in [`Report::schema_version`].
pub const SCHEMA_VERSION: u32 = 1;

/// Evaluation steps allowed per requirement and subject by default (see [`Options::max_steps`]).
pub const DEFAULT_MAX_STEPS: u64 = 10_000_000;

/// Evaluation steps allowed for a whole evaluation (all requirements, all subjects) by default (see
/// [`Options::max_total_steps`]).
pub const DEFAULT_MAX_TOTAL_STEPS: u64 = 200_000_000;

/// Evidence items kept per result by default (see [`Options::max_evidence`]).
pub const DEFAULT_MAX_EVIDENCE: usize = 20;

/// What evaluation needs besides facts and policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The date waivers are judged against. Without it, waivers with an expiry date do not apply (and
    /// the report says so): clearance has no clock.
    pub today: Option<Date>,
    /// The most evaluation steps (checks evaluated, elements visited, raw JSON values converted) one
    /// requirement may take on one subject. Past it the requirement stops with status `error`.
    pub max_steps: u64,
    /// The most evaluation steps the whole evaluation may take. Once spent, every remaining requirement
    /// is `error` (and so the verdict at best `incomplete`): a policy of many heavy requirements over a
    /// huge history cannot hold a pipeline for hours.
    pub max_total_steps: u64,
    /// The most evidence items kept per result; the rest are counted in
    /// [`RequirementResult::evidence_omitted`].
    pub max_evidence: usize,
    /// Decide the element checks of all requirements over a long list (a history of hundreds of
    /// layers) together, a tile of elements at a time, instead of one requirement's walk of the whole
    /// list after another: the list is then read from memory once, not once per requirement. The
    /// report is the same either way (tested); off is for tests and measurements.
    pub decide_ahead: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            today: None,
            max_steps: DEFAULT_MAX_STEPS,
            max_total_steps: DEFAULT_MAX_TOTAL_STEPS,
            max_evidence: DEFAULT_MAX_EVIDENCE,
            decide_ahead: true,
        }
    }
}

/// Why evaluating a check failed (as opposed to the check failing). The requirement gets status
/// `error` with this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A literal of one kind compared with a value of another (`equals: 30s` on a string).
    #[error("`{op}` cannot compare `{target}` ({found}) with {literal}")]
    TypeMismatch {
        target: String,
        op: &'static str,
        found: String,
        literal: String,
    },
    /// An operator applied to a value it does not apply to (`matches` on a list).
    #[error("`{op}` needs {needs}, but `{target}` is {found}")]
    WrongKind {
        target: String,
        op: &'static str,
        needs: &'static str,
        found: String,
    },
    /// `fact: created_by` (or no `fact`) outside `any`/`all`/`none`/`count`/`order`.
    #[error("`{target}` addresses a list element, but the check is not inside `any`, `all`, `none`, `count` or `order`")]
    NoElement { target: String },
    /// A path that walks into something that is not a record.
    #[error("`{path}` cannot be followed past `{at}`, which is {found}")]
    NotARecord {
        path: String,
        at: String,
        found: String,
    },
    /// A path whose first name is not `image`, `history` or `container`.
    #[error("`{root}` is not a root of the facts (use `image`, `history` or `container`)")]
    UnknownRoot { root: String },
    /// A raw pointer that is not RFC 6901.
    #[error("`{pointer}` is not a JSON pointer (it must be empty or start with `/`)")]
    BadPointer { pointer: String },
    /// A built-in pack's regex, compiled at its first use, did not compile (the tests compile them all:
    /// not expected to happen).
    #[error("the pattern `{pattern}` does not compile: {detail}")]
    Regex { pattern: String, detail: String },
    /// The work cap ([`Options::max_steps`]) was reached.
    #[error("evaluation stopped after {cap} steps, the limit for one requirement")]
    StepLimit { cap: u64 },
    /// The whole evaluation's work cap ([`Options::max_total_steps`]) was reached.
    #[error("not evaluated: the whole evaluation reached its limit of {cap} steps")]
    TotalStepLimit { cap: u64 },
}

/// Evaluates every requirement of every policy against every subject.
///
/// Policies are evaluated in order. A requirement id met again with the same defining pack
/// ([`Requirement::policy`], e.g. two policies both including `image-baseline`) is evaluated once, at its
/// first occurrence; the same id defined by different packs is kept twice.
///
/// `subjects` may be borrowed (`&[Subject]`) or owned (`Vec<Subject>`): owned subjects are dropped one
/// by one as they are evaluated, so their facts and the growing report are not all held at once.
pub fn evaluate<P: std::borrow::Borrow<Policy>, S: std::borrow::Borrow<Subject>>(
    policies: &[P],
    subjects: impl IntoIterator<Item = S>,
    waivers: &[Waiver],
    options: &Options,
) -> Report {
    let requirements = plan(policies);
    // The requirement's own texts, built once and shared by every subject's result.
    let templates: Vec<RequirementResult> = requirements.iter().map(|r| template(r)).collect();
    let mut tracker = waivers::Tracker::new(waivers, options.today);
    let subjects = subjects.into_iter();
    let mut subject_reports = Vec::with_capacity(subjects.size_hint().0);
    let mut budget = options.max_total_steps;
    let hints = check::FieldHints::default();
    let element_checks = check::ElementChecks::of(
        requirements
            .iter()
            .filter(|_| options.decide_ahead)
            .flat_map(|r| r.checks()),
    );
    for subject in subjects {
        let subject = subject.borrow();
        let shown = check::Shown::default();
        let ahead = check::Ahead::new(&element_checks);
        let mut results = Vec::with_capacity(requirements.len());
        for (req, template) in requirements.iter().zip(&templates) {
            let mut result = evaluate_requirement(
                (subject, &shown, &hints, &ahead),
                req,
                template.clone(),
                options,
                &mut budget,
            );
            tracker.apply(subject, &mut result);
            results.push(result);
        }
        tracker.subject_done();
        let counts = count(&results);
        subject_reports.push(SubjectReport {
            label: subject.label.clone(),
            image_id: subject.image_id.clone(),
            tags: subject.tags.clone(),
            digests: subject.digests.clone(),
            documents: subject.documents.clone(),
            verdict: match verdict(&results) {
                // a document of another image was joined: the subject cannot pass
                Verdict::Pass if subject.mismatched => Verdict::Incomplete,
                v => v,
            },
            counts,
            notes: subject.notes.clone(),
            results,
        });
    }

    let known_ids: Vec<&str> = requirements.iter().map(|r| r.id.as_str()).collect();
    let mut notes = tracker.notes(&known_ids);
    if subject_reports.is_empty() {
        notes
            .push("no subject was evaluated: no image, history or container dump was given".into());
    } else if requirements.is_empty() {
        notes.push("no requirement was evaluated: the policies have no requirements".into());
    }

    let mut counts = Counts::default();
    for s in &subject_reports {
        add_counts(&mut counts, &s.counts);
    }
    let overall = if subject_reports.is_empty() || counts.total == 0 {
        Verdict::Incomplete
    } else if subject_reports.iter().any(|s| s.verdict == Verdict::Fail) {
        Verdict::Fail
    } else if subject_reports
        .iter()
        .any(|s| s.verdict == Verdict::Incomplete)
    {
        Verdict::Incomplete
    } else {
        Verdict::Pass
    };

    Report {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo::current(),
        policies: policies
            .iter()
            .map(|p| p.borrow())
            .map(|p| PolicyInfo {
                name: p.name.clone(),
                title: p.title.clone(),
                version: p.version.clone(),
                source: p.source.clone(),
            })
            .collect(),
        today: options.today.map(|d| d.to_string()),
        verdict: overall,
        counts,
        notes,
        subjects: subject_reports,
    }
}

/// The requirements to evaluate, in policy order, each (id, defining pack) once.
fn plan<P: std::borrow::Borrow<Policy>>(policies: &[P]) -> Vec<&Requirement> {
    let mut seen: std::collections::BTreeSet<(&str, &str)> = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for policy in policies {
        for req in &policy.borrow().requirements {
            if seen.insert((req.id.as_str(), req.policy.as_str())) {
                out.push(req);
            }
        }
    }
    out
}

/// One requirement on one subject, before waivers.
fn evaluate_requirement(
    (subject, shown, hints, ahead): (
        &Subject,
        &check::Shown,
        &check::FieldHints,
        &check::Ahead<'_>,
    ),
    req: &Requirement,
    template: RequirementResult,
    options: &Options,
    budget: &mut u64,
) -> RequirementResult {
    let cap = options.max_steps.min(*budget);
    let mut evaluator = Evaluator::new(subject, shown, hints, ahead, cap);
    let mut result = evaluate_with(&mut evaluator, req, template, options);
    *budget = budget.saturating_sub(evaluator.steps());
    let stopped_by_total = cap < options.max_steps && evaluator.steps() > cap;
    if stopped_by_total {
        // Stopped by the whole evaluation's cap, not by its own: say so.
        let e = EvalError::TotalStepLimit {
            cap: options.max_total_steps,
        };
        result.message = error_message(&e, req, "the check");
    }
    result
}

/// A requirement's result before evaluation: its texts, status `error`, nothing found yet.
fn template(req: &Requirement) -> RequirementResult {
    req.template.0.get_or_init(|| new_template(req)).clone()
}

fn new_template(req: &Requirement) -> RequirementResult {
    RequirementResult {
        id: req.id.as_str().into(),
        title: req.title.as_str().into(),
        description: req.description.as_str().into(),
        section: req.section.as_str().into(),
        severity: req.severity,
        policy: req.policy.as_str().into(),
        status: Status::Error,
        message: String::new(),
        expected: describe::check(&req.check).into(),
        actual: String::new(),
        evidence: Vec::new(),
        evidence_omitted: 0,
        remediation: req.remediation.as_str().into(),
        clause: req.clause.as_deref().map(Into::into),
        waiver: None,
    }
}

fn evaluate_with(
    evaluator: &mut Evaluator<'_>,
    req: &Requirement,
    mut result: RequirementResult,
    options: &Options,
) -> RequirementResult {
    if let Some(when) = &req.when {
        match evaluator.check(when, None) {
            Ok(outcome) => match outcome.truth {
                Truth::Pass => {}
                Truth::Fail => {
                    let message = format!("not applicable: {}", outcome.found);
                    settle(
                        &mut result,
                        Status::NotApplicable,
                        message,
                        outcome,
                        options,
                    );
                    return result;
                }
                Truth::Unknown => {
                    let message = format!(
                        "its condition (`when`) cannot be decided: {}",
                        outcome.message()
                    );
                    settle(&mut result, Status::Error, message, outcome, options);
                    return result;
                }
            },
            Err(e) => {
                result.status = Status::Error;
                result.message = error_message(&e, req, "its condition (`when`)");
                result.actual = "evaluation error".into();
                return result;
            }
        }
    }

    match evaluator.check(&req.check, None) {
        Ok(mut outcome) => {
            let status = match outcome.truth {
                Truth::Pass => Status::Pass,
                Truth::Fail => Status::Fail,
                Truth::Unknown => Status::Error,
            };
            let message = outcome.take_message();
            settle(&mut result, status, message, outcome, options);
        }
        Err(e) => {
            result.status = Status::Error;
            result.message = error_message(&e, req, "the check");
            result.actual = "evaluation error".into();
        }
    }
    result
}

/// Puts a decided outcome on a result: status, message, masked actual and bounded evidence.
fn settle(
    result: &mut RequirementResult,
    status: Status,
    message: String,
    outcome: check::Outcome,
    options: &Options,
) {
    result.status = status;
    result.message = message;
    result.actual = outcome.actual.unwrap_or_default();
    evidence::finish(
        result,
        outcome.evidence,
        outcome.omitted,
        options.max_evidence,
    );
}

/// `evaluation error in the check: … (policy.yaml:12:5)`.
fn error_message(e: &EvalError, req: &Requirement, part: &str) -> String {
    let location = req.location.to_string();
    if location.is_empty() {
        format!("evaluation error in {part}: {e}")
    } else {
        format!("evaluation error in {part}: {e} ({location})")
    }
}

/// `fail` if a blocking requirement failed, else `incomplete` if one could not be decided, else `pass`.
/// A subject with no results is `incomplete`: nothing was shown to hold.
fn verdict(results: &[RequirementResult]) -> Verdict {
    let blocking = |status: Status| {
        results
            .iter()
            .any(|r| r.severity == Severity::Error && r.status == status)
    };
    if blocking(Status::Fail) {
        Verdict::Fail
    } else if blocking(Status::Error) || results.is_empty() {
        Verdict::Incomplete
    } else {
        Verdict::Pass
    }
}

fn count(results: &[RequirementResult]) -> Counts {
    let mut c = Counts {
        total: results.len(),
        ..Counts::default()
    };
    for r in results {
        match r.status {
            Status::Pass => c.pass += 1,
            Status::Fail => {
                c.fail += 1;
                match r.severity {
                    Severity::Error => c.failed_by_severity.error += 1,
                    Severity::Warning => c.failed_by_severity.warning += 1,
                    Severity::Info => c.failed_by_severity.info += 1,
                }
            }
            Status::Waived => c.waived += 1,
            Status::NotApplicable => c.not_applicable += 1,
            Status::Error => c.error += 1,
        }
    }
    c
}

fn add_counts(into: &mut Counts, c: &Counts) {
    into.total += c.total;
    into.pass += c.pass;
    into.fail += c.fail;
    into.waived += c.waived;
    into.not_applicable += c.not_applicable;
    into.error += c.error;
    into.failed_by_severity.error += c.failed_by_severity.error;
    into.failed_by_severity.warning += c.failed_by_severity.warning;
    into.failed_by_severity.info += c.failed_by_severity.info;
}
