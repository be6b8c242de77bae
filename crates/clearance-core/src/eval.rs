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

use std::sync::Arc;

use crate::facts::{FactValue, Root, Str, Subject, Unknown};
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
    /// Evaluate once the requirements that read only documents a subject lacks (the history checks
    /// of a pack, on the images of an inspect array given without their histories), and give every
    /// subject that lacks them the same result. The report is the same either way (tested); off is
    /// for tests and measurements.
    pub reuse_missing: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            today: None,
            max_steps: DEFAULT_MAX_STEPS,
            max_total_steps: DEFAULT_MAX_TOTAL_STEPS,
            max_evidence: DEFAULT_MAX_EVIDENCE,
            decide_ahead: true,
            reuse_missing: true,
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
    let templates: Vec<&RequirementResult> = requirements.iter().map(|r| template(r)).collect();
    let mut tracker = waivers::Tracker::new(waivers, options.today);
    let subjects = subjects.into_iter();
    let mut subject_reports = Vec::with_capacity(subjects.size_hint().0);
    let mut budget = options.max_total_steps;
    let mut settled = Settled::new(&requirements);
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
        let given = Settled::given(subject);
        for (i, (req, template)) in requirements.iter().zip(&templates).enumerate() {
            let mut result = match settled.take(i, given, options, &mut budget) {
                Some(result) => result,
                None => {
                    let before = budget;
                    let result = Arc::new(evaluate_requirement(
                        (subject, &shown, &hints, &ahead),
                        req,
                        RequirementResult::clone(template),
                        options,
                        &mut budget,
                    ));
                    settled.keep(i, given, options, before, budget, &result);
                    result
                }
            };
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

/// The results of the requirements that read only documents a subject lacks (a pack's history checks
/// on each image of an inspect array given without its history): such a result says only which
/// document is missing, so it is the same for every subject that lacks it, and is evaluated once.
///
/// A requirement qualifies when every root its targets start at (paths and `pointer:` targets, in its
/// check and its `when`; `document:` conditions too) is missing from the subject: then each of those
/// targets reads the same missing-document fact, with no evidence, whatever the subject. Targets
/// inside `any`/`all`/… read elements of a list reached through such a path, so they never run on
/// the subject's data. Results are reused only while the whole evaluation's step budget is not what
/// limits a requirement (the steps of the evaluation kept are charged again each time), so the report
/// is the one evaluating every requirement gives (tested).
struct Settled {
    /// Per requirement: the roots it reads (bits of [`Root::ALL`]); `None` when a path of it starts
    /// at no root (its evaluation is an error of its own: evaluated each time).
    reads: Vec<Option<u8>>,
    /// Per requirement: its result before waivers and the steps it took, once evaluated on a subject
    /// that lacks every root it reads.
    kept: Vec<Option<(Arc<RequirementResult>, u64)>>,
}

impl Settled {
    fn new(requirements: &[&Requirement]) -> Self {
        Self {
            reads: requirements
                .iter()
                .map(|r| *r.template.1.get_or_init(|| roots_read(r)))
                .collect(),
            kept: requirements.iter().map(|_| None).collect(),
        }
    }

    /// The roots a subject has anything of (facts, or a raw entry for `pointer:` targets), as bits.
    fn given(subject: &Subject) -> u8 {
        Root::ALL
            .iter()
            .enumerate()
            .filter(|(_, &root)| {
                let facts = subject.root(root).is_some_and(|f| {
                    !(f.evidence.is_none()
                        && matches!(
                            &f.value,
                            FactValue::Unknown(Unknown::MissingDocument { needs }) if *needs == root
                        ))
                });
                facts || subject.raw.iter().any(|e| e.root == root)
            })
            .fold(0, |bits, (i, _)| bits | 1 << i)
    }

    /// Whether requirement `i`'s result, on a subject with the roots `given` and with `budget` steps
    /// left to the whole evaluation, is the one kept (or to keep).
    fn qualifies(&self, i: usize, given: u8, options: &Options, budget: u64) -> bool {
        options.reuse_missing
            && budget >= options.max_steps
            && self
                .reads
                .get(i)
                .copied()
                .flatten()
                .is_some_and(|reads| reads & given == 0)
    }

    /// Requirement `i`'s kept result for a subject with the roots `given`, its steps charged to
    /// `budget`; `None` when it has none or does not qualify.
    fn take(
        &self,
        i: usize,
        given: u8,
        options: &Options,
        budget: &mut u64,
    ) -> Option<Arc<RequirementResult>> {
        if !self.qualifies(i, given, options, *budget) {
            return None;
        }
        let (result, steps) = self.kept.get(i)?.as_ref()?;
        *budget = budget.saturating_sub(*steps);
        Some(Arc::clone(result))
    }

    /// Keeps requirement `i`'s result when it qualifies and the whole evaluation's budget did not
    /// limit it (`before` and `after`: the budget around its evaluation).
    fn keep(
        &mut self,
        i: usize,
        given: u8,
        options: &Options,
        before: u64,
        after: u64,
        result: &Arc<RequirementResult>,
    ) {
        if !self.qualifies(i, given, options, before) {
            return;
        }
        if let Some(slot @ None) = self.kept.get_mut(i) {
            *slot = Some((Arc::clone(result), before - after));
        }
    }
}

/// The roots requirement `req` reads, as bits of [`Root::ALL`] (see [`Settled`]).
fn roots_read(req: &Requirement) -> Option<u8> {
    use crate::policy::{Check, Target};
    fn add(bits: &mut Option<u8>, root: Option<Root>) {
        match (
            bits.as_mut(),
            root.and_then(|root| Root::ALL.iter().position(|r| *r == root)),
        ) {
            (Some(b), Some(i)) => *b |= 1 << i,
            _ => *bits = None,
        }
    }
    fn walk(check: &Check, bits: &mut Option<u8>) {
        match check {
            Check::AllOf(checks) | Check::AnyOf(checks) => {
                checks.iter().for_each(|c| walk(c, bits));
            }
            Check::Not(c) => walk(c, bits),
            Check::Document(root) => add(bits, Some(*root)),
            Check::Fact(_) => check.each_fact_check(&mut |fc| match &fc.target {
                Target::Path(segments) => {
                    add(bits, segments.first().and_then(|s| Root::parse(s)));
                }
                Target::Pointer { root, .. } => add(bits, Some(*root)),
                Target::Element | Target::Field(_) => {}
            }),
        }
    }
    let mut bits = Some(0);
    req.checks().for_each(|c| walk(c, &mut bits));
    bits
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
fn template(req: &Requirement) -> &RequirementResult {
    req.template.0.get_or_init(|| new_template(req))
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
        actual: Str::default(),
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
fn verdict(results: &[Arc<RequirementResult>]) -> Verdict {
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

fn count(results: &[Arc<RequirementResult>]) -> Counts {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::{self, BuiltinResolver};
    use crate::input::{self, Limits};

    fn pack(name: &str) -> Policy {
        let pack = builtin::find(name).unwrap();
        crate::policy::load(pack.file, pack.text, &BuiltinResolver).unwrap()
    }

    fn subjects(files: &[(&str, &str)]) -> Vec<Subject> {
        let docs: Vec<_> = files
            .iter()
            .map(|(name, text)| {
                input::read(name, text.as_bytes(), None, &Limits::default()).unwrap()
            })
            .collect();
        input::subjects(&docs).unwrap()
    }

    const IMAGE: &str =
        include_str!("../../../tests/fixtures/reactbin-conforming/image-inspect.json");
    const HISTORY: &str = include_str!("../../../tests/fixtures/reactbin-conforming/history.jsonl");

    /// `reactbin-api-prod` reads the history alone in some requirements, the image alone in others;
    /// an image given without its history reuses the results of the first kind, and only those.
    #[test]
    fn results_are_kept_for_the_requirements_that_read_only_missing_documents() {
        let policy = pack("reactbin-api-prod");
        let requirements = plan(std::slice::from_ref(&policy));
        let settled = Settled::new(&requirements);
        let bit = |root: Root| 1u8 << Root::ALL.iter().position(|r| *r == root).unwrap();
        let history_only = settled
            .reads
            .iter()
            .filter(|r| **r == Some(bit(Root::History)))
            .count();
        assert!(
            history_only >= 5,
            "{history_only} requirements read only the history"
        );

        let image = &subjects(&[("image-inspect.json", IMAGE)])[0];
        assert_eq!(Settled::given(image), bit(Root::Image));
        let both = &subjects(&[("image-inspect.json", IMAGE), ("history.jsonl", HISTORY)])[0];
        assert_eq!(Settled::given(both), bit(Root::Image) | bit(Root::History));

        let options = Options::default();
        let report = evaluate(std::slice::from_ref(&policy), [image, image], &[], &options);
        let mut settled = Settled::new(&requirements);
        let mut budget = options.max_total_steps;
        let mut kept = 0;
        for (i, result) in report.subjects[0].results.iter().enumerate() {
            let given = Settled::given(image);
            settled.keep(i, given, &options, budget, budget - 3, result);
            if let Some(again) = settled.take(i, given, &options, &mut budget) {
                kept += 1;
                assert_eq!(&again, result);
                assert_eq!(settled.reads[i].unwrap() & given, 0);
                assert!(
                    again.message.starts_with("needs")
                        || again.message.starts_with("not applicable: no container"),
                    "{}",
                    again.message
                );
            }
            // never for a subject that has some of what it reads
            let mut scratch = budget;
            let reused = settled.take(i, Settled::given(both), &options, &mut scratch);
            if settled.reads[i].unwrap() & Settled::given(both) != 0 {
                assert!(reused.is_none(), "{}", result.id);
            }
        }
        let lacking = settled
            .reads
            .iter()
            .filter(|r| r.is_some_and(|r| r & Settled::given(image) == 0))
            .count();
        assert!(kept > history_only);
        assert_eq!(kept, lacking);
        assert_eq!(budget, options.max_total_steps - 3 * kept as u64);
        assert_eq!(report.subjects[0].results, report.subjects[1].results);
    }
}
