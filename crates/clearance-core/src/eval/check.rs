//! The evaluator: one check on one subject, three-valued, with the message, masked actual value and
//! evidence that decided it.
//!
//! Fail closed everywhere: a fact whose document was not given is unknown, a truncated string is unknown
//! to every operator that would pass only if its hidden part did not match, and a value of the wrong
//! kind is an evaluation error (status `error`), never a pass.

use super::{describe, evidence, pointer, EvalError};
use crate::facts::{Fact, FactValue, NotRecorded, Root, Str, Subject, Text, Unknown};
use crate::policy::model::Nouns;
use crate::policy::{Check, Comparison, FactCheck, Literal, Matcher, Op, Pattern, Target};
use crate::report::EvidenceItem;
use std::borrow::Cow;
use std::cell::RefCell;
use std::cmp::Ordering;

mod ahead;
mod column;
#[cfg(test)]
mod tests;
pub(crate) use ahead::{Ahead, ElementChecks};

/// The three values of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Truth {
    Pass,
    Fail,
    Unknown,
}

impl Truth {
    fn of(holds: bool) -> Truth {
        if holds {
            Truth::Pass
        } else {
            Truth::Fail
        }
    }

    fn not(self) -> Truth {
        match self {
            Truth::Pass => Truth::Fail,
            Truth::Fail => Truth::Pass,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// What a check found.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub truth: Truth,
    /// What was found (pass, fail) or why it cannot be known (unknown). One line.
    pub found: String,
    /// What would have held, for the `, expected …` part of a failure message (only a failure's is
    /// built: nothing reads another's).
    pub want: Option<String>,
    /// The masked value(s) that decided the result (shared with the evidence item's value when it
    /// shows one fact).
    pub actual: Option<Str>,
    pub evidence: Vec<EvidenceItem>,
    /// Evidence of elements that were decided but not explained (quiet evaluation): counted, not built.
    pub omitted: usize,
}

impl Outcome {
    /// The one-line message: `found`, plus `, expected …` for a failure.
    pub fn message(&self) -> String {
        let mut message = self.found.clone();
        self.push_expected(&mut message);
        message
    }

    /// [`Outcome::message`], taking `found` (left empty) instead of copying it: for the result's own
    /// message, built once per requirement and subject.
    pub fn take_message(&mut self) -> String {
        let mut message = std::mem::take(&mut self.found);
        self.push_expected(&mut message);
        message
    }

    /// Appends `, expected …` to a failure's message.
    fn push_expected(&self, message: &mut String) {
        if let (Truth::Fail, Some(want)) = (self.truth, &self.want) {
            message.reserve(want.len() + 11);
            message.push_str(", expected ");
            message.push_str(want);
        }
    }

    fn plain(truth: Truth, found: String) -> Self {
        Self {
            truth,
            found,
            want: None,
            actual: None,
            evidence: Vec::new(),
            omitted: 0,
        }
    }
}

/// Evaluates checks for one subject, counting its steps against a cap.
pub(crate) struct Evaluator<'s> {
    subject: &'s Subject,
    /// Displays of the subject's facts already shown by an earlier requirement.
    shown: &'s Shown,
    steps: u64,
    cap: u64,
    /// Decide truth only: build no messages, displays or evidence. Element operators evaluate every
    /// element quietly first, then explain the few elements a result can show (see [`EXPLAIN`]), so a
    /// 10,000-layer history costs a regex match per layer, not a formatted message per layer.
    quiet: bool,
    /// Where each field name was last found in a record (see [`Evaluator::field`]), shared by the
    /// whole evaluation.
    hints: &'s FieldHints,
    /// The subject's long lists decided ahead (none for the evaluators deciding them).
    ahead: Option<&'s Ahead<'s>>,
}

/// Where a field name (by the address of the policy's string) was last found in a record: the records
/// an element operator walks have their fields in one order, and every image's record has its fields
/// in the same order, so the next lookup of that name reads one entry instead of scanning (and
/// touching) the ones before it. Slots chosen by address; a hint is checked against the name found
/// where it points, so a stale or shared slot costs a scan, never a wrong field.
pub(crate) struct FieldHints([std::cell::Cell<(usize, usize, usize)>; HINT_SLOTS]);

impl Default for FieldHints {
    fn default() -> Self {
        Self(std::array::from_fn(|_| std::cell::Cell::new((0, 0, 0))))
    }
}

/// Slots of [`FieldHints`]: a pack's paths and element fields name a few dozen fields.
const HINT_SLOTS: usize = 128;

/// Lists at least this long are decided a check at a time ([`column`]); on shorter ones (an image's
/// environment, say) setting that up costs more than it saves.
const COLUMN_MIN: usize = 16;

/// Elements of each truth (pass, fail, unknown) explained in full per element operator. Results show
/// at most this many (evidence and joined lists are bounded lower than this).
const EXPLAIN: usize = 24;

/// One element of a list or map being iterated: the fact (map entries become `{name, value}` records)
/// and how messages name it (`layer 3`, ``entry `PATH` ``).
struct Element<'f> {
    fact: &'f Fact,
    index: usize,
    /// For a map entry: its name and value, which stand for the entry in results (`NAME=***`).
    entry: Option<(&'f str, &'f Fact)>,
    /// The fact is the subject's own, and outlives the walk: an item of a list the subject holds (a
    /// map's entries are records made for the walk, and so is a list made from the subject's facts).
    own: bool,
}

impl Element<'_> {
    /// How messages name it: `layer 3`, ``entry `PATH` ``.
    fn label(&self, noun: &str) -> String {
        match self.entry {
            Some((name, _)) => format!("entry `{name}`"),
            None => format!("{noun} {}", self.index),
        }
    }
}

/// What [`Evaluator::each`] found: every element's truth, and the outcomes of the elements it explained.
struct Decided {
    truths: Vec<Truth>,
    /// `(index, label, outcome)` of the explained elements, by index. A label is never empty.
    explained: Vec<(usize, String, Outcome)>,
}

impl Decided {
    fn len(&self) -> usize {
        self.truths.len()
    }

    /// The label and outcome of the element at `i`, if it was explained.
    fn explained(&self, i: usize) -> Option<(&str, &Outcome)> {
        let at = self
            .explained
            .binary_search_by_key(&i, |(j, _, _)| *j)
            .ok()?;
        self.explained.get(at).map(|(_, l, o)| (l.as_str(), o))
    }

    /// The label and outcome of the element at `i`: an element not explained has an empty label and an
    /// outcome that is only its truth.
    fn at(&self, i: usize) -> (&str, Cow<'_, Outcome>) {
        match self.explained(i) {
            Some((label, o)) => (label, Cow::Borrowed(o)),
            None => {
                let truth = self.truths.get(i).copied().unwrap_or(Truth::Unknown);
                ("", Cow::Owned(Outcome::plain(truth, String::new())))
            }
        }
    }

    /// The indices of the elements whose truth is `truth`.
    fn with(&self, truth: Truth) -> impl Iterator<Item = usize> + Clone + '_ {
        (0..self.truths.len()).filter(move |&i| self.truths.get(i) == Some(&truth))
    }
}

/// A string an operator over keys or elements looks at.
struct Key<'f> {
    text: &'f str,
    truncated: bool,
    unknown: bool,
    /// The fact whose evidence shows it (the element, or the map entry's value).
    fact: &'f Fact,
    /// A map key (`text` is the key, `fact` its value), not a list element.
    entry: bool,
}

impl Key<'_> {
    /// How it is shown (`8000/tcp`, `JWT_SECRET_KEY=***`).
    fn shown(&self) -> String {
        if self.entry {
            format!("{}={}", self.text, evidence::show(self.fact))
        } else {
            evidence::show(self.fact)
        }
    }
}

/// The fact addressed by a fact check, and how messages name it.
struct Leaf<'a> {
    /// How messages call it: `` `image.env` ``, or `the element`.
    called: &'a str,
    target: &'a Target,
    /// What its elements and keys are called ([`Leaf::element_nouns`], [`Leaf::key_nouns`]).
    nouns: &'a std::sync::OnceLock<Nouns>,
    fact: &'a Fact,
    /// `fact` is a part of the subject (addressed from a root and borrowed, not built for this check),
    /// so its display may be kept in [`Shown`] for the subject's other requirements.
    of_subject: bool,
}

impl Leaf<'_> {
    fn nouns(&self) -> Nouns {
        *self.nouns.get_or_init(|| Nouns {
            element: describe::element_nouns(self.target),
            key: describe::key_nouns(self.target),
        })
    }

    /// What the elements of its list or map are called (singular, plural).
    fn element_nouns(&self) -> (&'static str, &'static str) {
        self.nouns().element
    }

    /// What `contains_all`, `contains_any` and `excludes` call what they look at.
    fn key_nouns(&self) -> (&'static str, &'static str) {
        self.nouns().key
    }
}

/// What is kept about a subject's facts while its requirements are evaluated. Keyed by the facts'
/// addresses, so only facts the subject owns go in (the subject outlives the table and is not
/// changed, so an address names one fact).
#[derive(Debug, Default)]
pub(crate) struct Shown {
    /// The displays of facts (`actual` and evidence, as [`Evaluator::about`] builds them): the same
    /// `history` or `image.env` is shown by many requirements.
    displays: RefCell<Vec<(*const Fact, Option<Display>)>>,
    /// The texts of a field across a tile of a list's elements, joined for the regexes of every check
    /// on that field to search them together ([`column`]).
    lines: RefCell<Vec<column::TileLines>>,
}

/// A fact's `actual` and evidence, as [`Evaluator::about`] builds them.
type Display = (Str, Vec<EvidenceItem>);

impl<'s> Evaluator<'s> {
    pub fn new(
        subject: &'s Subject,
        shown: &'s Shown,
        hints: &'s FieldHints,
        ahead: &'s Ahead<'s>,
        cap: u64,
    ) -> Self {
        Self {
            subject,
            shown,
            steps: 0,
            cap,
            quiet: false,
            hints,
            ahead: Some(ahead),
        }
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    fn step(&mut self) -> Result<(), EvalError> {
        self.charge(1)
    }

    /// `n` steps at once.
    #[inline]
    fn charge(&mut self, n: usize) -> Result<(), EvalError> {
        self.steps = self
            .steps
            .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        if self.steps > self.cap {
            Err(EvalError::StepLimit { cap: self.cap })
        } else {
            Ok(())
        }
    }

    /// Evaluates `check`, with `element` the current element inside `any`/`all`/`none`/`count`/`order`.
    pub fn check(&mut self, check: &Check, element: Option<&Fact>) -> Result<Outcome, EvalError> {
        self.step()?;
        match check {
            Check::AllOf(checks) => self.junction(checks, element, Truth::Fail).map(all_of),
            Check::AnyOf(checks) => self.junction(checks, element, Truth::Pass).map(any_of),
            Check::Not(inner) => {
                let o = self.check(inner, element)?;
                if self.quiet {
                    return Ok(Outcome::plain(o.truth.not(), String::new()));
                }
                Ok(Outcome {
                    truth: o.truth.not(),
                    found: o.found,
                    want: Some(format!("not ({})", describe::check(inner))),
                    actual: o.actual,
                    evidence: o.evidence,
                    omitted: o.omitted,
                })
            }
            Check::Document(root) => {
                let given = self.subject.has(*root);
                if self.quiet {
                    return Ok(Outcome::plain(Truth::of(given), String::new()));
                }
                let found = if given {
                    format!("a {} dump was given", root.name())
                } else {
                    format!("no {} dump was given", root.name())
                };
                Ok(Outcome {
                    want: Some(root.wanted_dump().to_string()),
                    actual: Some(Str::constant(if given { "given" } else { "not given" })),
                    ..Outcome::plain(Truth::of(given), found)
                })
            }
            Check::Fact(fc) => self.fact_check(fc, element),
        }
    }

    fn fact_check(&mut self, fc: &FactCheck, element: Option<&Fact>) -> Result<Outcome, EvalError> {
        let fact = self.resolve(&fc.target, element)?;
        if let FactValue::Unknown(why) = &fact.value {
            return Ok(self.unknown_fact(&fc.target, why, &fact));
        }
        let called = match &fc.target {
            _ if self.quiet => "",
            Target::Element => "the element",
            target => fc.called.get_or_init(|| quoted_name(target)).as_str(),
        };
        let leaf = Leaf {
            called,
            target: &fc.target,
            nouns: &fc.nouns,
            of_subject: matches!(fc.target, Target::Path(_)) && matches!(fact, Cow::Borrowed(_)),
            fact: &fact,
        };
        if let [op] = fc.ops.as_slice() {
            return self.op(&leaf, op);
        }
        if !self.quiet && fc.ops.iter().all(scalar) {
            return self.scalar_ops(&leaf, &fc.ops);
        }
        let mut outcomes = Vec::with_capacity(fc.ops.len());
        for op in &fc.ops {
            if outcomes
                .last()
                .is_some_and(|o: &Outcome| o.truth == Truth::Fail)
            {
                // Decided: a later operator matters only if it cannot be evaluated.
                if evaluates(&fact.value, op) {
                    self.step()?;
                } else {
                    self.op(&leaf, op)?;
                }
                continue;
            }
            outcomes.push(self.op(&leaf, op)?);
        }
        Ok(all_of(outcomes))
    }

    /// [`Evaluator::fact_check`]'s `all_of` of several scalar operators on one leaf, explaining only the
    /// operator whose outcome is the result. Each operator's truth is decided as `op` decides it
    /// ([`Self::decide_ops`]: the same steps and errors, in the same order). The result is the first
    /// failing operator's outcome, else the first unknown one's, else (all pass) the first operator's:
    /// a scalar operator that passes shows its leaf (`simple`), the same message, actual value and
    /// evidence for every operator, which `all_of` would merge into one (the evidence repeated, which
    /// the result's evidence drops, [`evidence::finish`]).
    fn scalar_ops(&mut self, leaf: &Leaf<'_>, ops: &[Op]) -> Result<Outcome, EvalError> {
        let (failed, unknown) = self.decide_ops(leaf, ops)?;
        match ops.get(failed.or(unknown).unwrap_or(0)) {
            Some(op) => self.op_outcome(leaf, op),
            None => Ok(Outcome::plain(Truth::Pass, "no checks".into())),
        }
    }

    /// The outcomes `all_of` (`decisive` = fail) or `any_of` (pass) is made of: only those the result
    /// shows are explained: the first decisive one; else the first unknown one; else all of them.
    /// Checks after the first decisive one cannot change the result but for an evaluation error, which
    /// would be the result: each is settled (its steps charged, no value looked at) when it cannot
    /// fail to evaluate, and evaluated quietly otherwise.
    fn junction(
        &mut self,
        checks: &[Check],
        element: Option<&Fact>,
        decisive: Truth,
    ) -> Result<Vec<Outcome>, EvalError> {
        let was_quiet = self.quiet;
        if was_quiet || !checks.iter().all(cheap) {
            // Explained in order until one decides; the rest quietly, or settled.
            let mut outcomes = Vec::with_capacity(checks.len());
            let result = checks.iter().try_for_each(|c| {
                if self.quiet
                    && outcomes
                        .last()
                        .is_some_and(|o: &Outcome| o.truth == decisive)
                {
                    return self.after_decided(c, element);
                }
                let o = self.check(c, element)?;
                if o.truth == decisive {
                    self.quiet = true;
                }
                outcomes.push(o);
                Ok(())
            });
            self.quiet = was_quiet;
            return result.map(|()| outcomes);
        }
        // Cheap checks: decided quietly (up to the first decisive one), then the shown ones evaluated
        // again with their messages.
        self.quiet = true;
        let decided = self.decide(checks, element, decisive);
        self.quiet = was_quiet;
        let decided = decided?;
        let shown = decided
            .iter()
            .position(|t| *t == decisive)
            .or_else(|| decided.iter().position(|t| *t == Truth::Unknown));
        match shown.and_then(|i| checks.get(i)) {
            Some(c) => Ok(vec![self.check(c, element)?]),
            None => checks.iter().map(|c| self.check(c, element)).collect(),
        }
    }

    /// The truths of `checks` up to the first `decisive` one; the checks after it are settled.
    fn decide(
        &mut self,
        checks: &[Check],
        element: Option<&Fact>,
        decisive: Truth,
    ) -> Result<Vec<Truth>, EvalError> {
        let mut truths = Vec::with_capacity(checks.len());
        for c in checks {
            if truths.last() == Some(&decisive) {
                self.after_decided(c, element)?;
            } else if plain_when_quiet(c) {
                truths.push(self.truth(c, element)?);
            } else {
                truths.push(self.check(c, element)?.truth);
            }
        }
        Ok(truths)
    }

    /// A check after the one that decided its junction (evaluating quietly): only an evaluation error of
    /// it matters. Settled when it cannot have one, else decided for that error.
    fn after_decided(&mut self, check: &Check, element: Option<&Fact>) -> Result<(), EvalError> {
        if self.settle(check, element)? {
            Ok(())
        } else if plain_when_quiet(check) {
            self.truth(check, element).map(drop)
        } else {
            self.check(check, element).map(drop)
        }
    }

    /// Settles a check whose truth no longer matters: when evaluating it certainly succeeds, charges
    /// the steps that evaluation would take (so caps and budgets run out exactly where they would) and
    /// returns `true` without evaluating it; otherwise charges nothing and returns `false`.
    fn settle(&mut self, check: &Check, element: Option<&Fact>) -> Result<bool, EvalError> {
        let Some(steps) = self.sure(check, element) else {
            return Ok(false);
        };
        let total = self.steps.saturating_add(steps);
        if total > self.cap {
            // One step at a time would have stopped at the first step over the cap.
            self.steps = self.cap.saturating_add(1);
            return Err(EvalError::StepLimit { cap: self.cap });
        }
        self.steps = total;
        Ok(true)
    }

    /// The steps evaluating `check` quietly takes when that certainly succeeds, found by looking only at
    /// the kinds of the values it addresses (and, for an element operator, of its elements' values: no
    /// operator's truth changes the steps, as a junction settles the checks after the one that decided
    /// it); `None` when it might fail or cannot be told this cheaply (`order`, `pointer:` targets,
    /// `contains` and the key operators).
    fn sure(&self, check: &Check, element: Option<&Fact>) -> Option<u64> {
        match check {
            Check::AllOf(checks) | Check::AnyOf(checks) => checks
                .iter()
                .try_fold(1u64, |n, c| n.checked_add(self.sure(c, element)?)),
            Check::Not(inner) => self.sure(inner, element)?.checked_add(1),
            Check::Document(_) => Some(1),
            Check::Fact(fc) => {
                if matches!(fc.target, Target::Pointer { .. }) {
                    return None;
                }
                let fact = match self.element_field(fc, element) {
                    Some(fact) => fact,
                    None => self.locate(&fc.target, element).ok()?,
                };
                if matches!(fact.value, FactValue::Unknown(_)) {
                    return Some(1);
                }
                fc.ops
                    .iter()
                    .try_fold(1u64, |n, op| n.checked_add(self.sure_op(&fact.value, op)?))
            }
        }
    }

    /// [`Self::sure`] of one operator on `v`: a step, and for an element operator a step and its check's
    /// steps per element ([`Self::decide_one`]).
    fn sure_op(&self, v: &FactValue, op: &Op) -> Option<u64> {
        if evaluates(v, op) {
            return Some(1);
        }
        let inner = match op {
            Op::Any(inner) | Op::All(inner) | Op::None(inner) => Some(&**inner),
            Op::Count { check, .. } => check.as_deref(),
            _ => return None,
        };
        let per = |n: u64, element: &Fact| match inner {
            Some(inner) => n
                .checked_add(self.sure(inner, Some(element))?)?
                .checked_add(1),
            None => n.checked_add(1),
        };
        match v {
            FactValue::Absent => Some(1),
            FactValue::List(items) => items.iter().try_fold(1u64, per),
            FactValue::Map(_) => entry_records(v).iter().try_fold(1u64, per),
            _ => None,
        }
    }

    /// The truth of `check`, as its quiet evaluation ([`Evaluator::check`] with `quiet`) decides it:
    /// the same steps and the same errors, but no outcome built. For checks [`plain_when_quiet`]
    /// accepts, whose quiet outcome is their truth and nothing else; an element operator's checks are
    /// decided this way once per element.
    fn truth(&mut self, check: &Check, element: Option<&Fact>) -> Result<Truth, EvalError> {
        self.step()?;
        match check {
            Check::AllOf(checks) => self.junction_truth(checks, element, Truth::Fail),
            Check::AnyOf(checks) => self.junction_truth(checks, element, Truth::Pass),
            Check::Not(inner) => Ok(self.truth(inner, element)?.not()),
            Check::Document(root) => Ok(Truth::of(self.subject.has(*root))),
            Check::Fact(fc) => self.fact_truth(fc, element),
        }
    }

    /// The operators of `fc` on a known `fact`, as [`Evaluator::truth`] applies them.
    fn ops_truth(&mut self, fc: &FactCheck, fact: &Fact) -> Result<Truth, EvalError> {
        if matches!(fact.value, FactValue::Unknown(_)) {
            return Ok(Truth::Unknown);
        }
        let leaf = Leaf {
            called: "",
            target: &fc.target,
            nouns: &fc.nouns,
            of_subject: false,
            fact,
        };
        if let [op] = fc.ops.as_slice() {
            // one operator: its truth is the check's
            return self.op_truth(&leaf, op);
        }
        let (failed, unknown) = self.decide_ops(&leaf, &fc.ops)?;
        Ok(kleene(failed.is_some(), unknown.is_some(), Truth::Fail))
    }

    /// The `all_of` of `ops` on the leaf, decided by their truths in order, the operators after the
    /// first failing one settled (see `fact_check`): the positions of the first failing and the first
    /// unknown operator.
    fn decide_ops(
        &mut self,
        leaf: &Leaf<'_>,
        ops: &[Op],
    ) -> Result<(Option<usize>, Option<usize>), EvalError> {
        let (mut failed, mut unknown) = (None, None);
        for (i, op) in ops.iter().enumerate() {
            if failed.is_some() {
                if evaluates(&leaf.fact.value, op) {
                    self.step()?;
                } else {
                    self.op_truth(leaf, op)?;
                }
                continue;
            }
            match self.op_truth(leaf, op)? {
                Truth::Fail => failed = Some(i),
                Truth::Unknown => {
                    unknown.get_or_insert(i);
                }
                Truth::Pass => {}
            }
        }
        Ok((failed, unknown))
    }

    /// The fact-check part of [`Evaluator::truth`], after its step.
    #[inline]
    fn fact_truth(&mut self, fc: &FactCheck, element: Option<&Fact>) -> Result<Truth, EvalError> {
        let fact = match self.element_field(fc, element) {
            Some(fact) => fact,
            None => self.resolve(&fc.target, element)?,
        };
        match fact {
            Cow::Borrowed(f) => self.ops_truth(fc, f),
            Cow::Owned(f) => self.ops_truth(fc, &f),
        }
    }

    /// [`Evaluator::truth`] of `all_of` (`decisive` = fail) or `any_of` (pass), as [`Evaluator::junction`]
    /// decides it quietly: in order until one decides, the rest settled.
    fn junction_truth(
        &mut self,
        checks: &[Check],
        element: Option<&Fact>,
        decisive: Truth,
    ) -> Result<Truth, EvalError> {
        let (mut decided, mut unknown) = (false, false);
        for c in checks {
            if decided {
                if !self.settle(c, element)? {
                    self.truth(c, element)?;
                }
                continue;
            }
            match self.truth(c, element)? {
                t if t == decisive => decided = true,
                Truth::Unknown => unknown = true,
                _ => {}
            }
        }
        Ok(kleene(decided, unknown, decisive))
    }

    /// The truth of one operator, as [`Evaluator::op`] decides it (the same step, then the same errors).
    fn op_truth(&mut self, leaf: &Leaf<'_>, op: &Op) -> Result<Truth, EvalError> {
        let v = &leaf.fact.value;
        match op {
            Op::Exists(want) => self.stepped(|| Ok(exists_truth(v, *want))),
            Op::Empty(want) => self.stepped(|| Ok(empty_truth(v, *want))),
            Op::Equals(lit) => {
                self.stepped(|| one_of_truth(leaf, "equals", std::slice::from_ref(lit)))
            }
            Op::OneOf(lits) => self.stepped(|| one_of_truth(leaf, "one_of", lits)),
            Op::Matches(p) => self.stepped(|| regex_truth(leaf, p, true)),
            Op::NotMatches(p) => self.stepped(|| regex_truth(leaf, p, false)),
            Op::Glob(m) => self.stepped(|| glob_truth(leaf, m)),
            Op::Compare(cmp, lit) => self.stepped(|| compare_truth(leaf, *cmp, lit)),
            // not reached through `plain_when_quiet` checks: the quiet outcome's truth
            _ => self.op(leaf, op).map(|o| o.truth),
        }
    }

    /// One step, then `decide`: how [`Evaluator::op`] orders them.
    fn stepped(
        &mut self,
        decide: impl FnOnce() -> Result<Truth, EvalError>,
    ) -> Result<Truth, EvalError> {
        self.step()?;
        decide()
    }

    fn unknown_fact(&self, target: &Target, why: &Unknown, fact: &Fact) -> Outcome {
        if self.quiet {
            return Outcome::plain(Truth::Unknown, String::new());
        }
        let found = match why {
            Unknown::MissingDocument { needs } => {
                // pushed, not `format!`: every requirement on a document not given says it
                let wanted = needs.wanted_dump();
                let mut found = String::with_capacity(wanted.len() + 22);
                found.push_str("needs ");
                found.push_str(wanted);
                found.push_str("; none was given");
                found
            }
            Unknown::NotRecorded(NotRecorded { document, instead }) => format!(
                "`{}` is not recorded in {document}; {instead}",
                target_name(target)
            ),
            Unknown::Truncated => format!(
                "`{}` was printed truncated (`docker history` without `--no-trunc`), so it cannot be checked",
                target_name(target)
            ),
        };
        Outcome {
            actual: Some(fact.display().into()),
            evidence: evidence::item(self.subject, fact).into_iter().collect(),
            ..Outcome::plain(Truth::Unknown, found)
        }
    }

    // ─────────────────────────────── targets ───────────────────────────────

    fn resolve<'f>(
        &mut self,
        target: &Target,
        element: Option<&'f Fact>,
    ) -> Result<Cow<'f, Fact>, EvalError>
    where
        's: 'f,
    {
        if let Target::Pointer { root, pointer } = target {
            let subject = self.subject;
            let mut step = || self.step();
            return pointer::resolve(subject, *root, pointer, &mut step).map(Cow::Owned);
        }
        self.locate(target, element)
    }

    /// [`Self::resolve`] for the targets that take no steps: all but `pointer:` (an error for those).
    fn locate<'f>(
        &self,
        target: &Target,
        element: Option<&'f Fact>,
    ) -> Result<Cow<'f, Fact>, EvalError>
    where
        's: 'f,
    {
        match target {
            Target::Path(segments) => self.walk(segments),
            Target::Field(field) => {
                let Some(element) = element else {
                    return Err(EvalError::NoElement {
                        target: field.clone(),
                    });
                };
                match &element.value {
                    FactValue::Unknown(_) | FactValue::Absent => Ok(Cow::Borrowed(element)),
                    FactValue::Map(entries) => Ok(match self.field(entries, field) {
                        Some(f) => Cow::Borrowed(f),
                        None => Cow::Owned(Fact {
                            value: FactValue::Absent,
                            evidence: element.evidence.clone(),
                        }),
                    }),
                    other => Err(EvalError::NotARecord {
                        path: field.clone(),
                        at: "(element)".into(),
                        found: describe::a_kind(other),
                    }),
                }
            }
            Target::Element => match element {
                Some(e) => Ok(Cow::Borrowed(e)),
                None => Err(EvalError::NoElement {
                    target: "(element)".into(),
                }),
            },
            Target::Pointer { .. } => Err(EvalError::NoElement {
                target: target_name(target).into_owned(),
            }),
        }
    }

    /// [`Self::locate`] of a field of an element record, the case of most checks inside element
    /// operators, without its general matching; `None` for every other target or element.
    #[inline(always)]
    fn element_field<'f>(&self, fc: &FactCheck, element: Option<&'f Fact>) -> Option<Cow<'f, Fact>>
    where
        's: 'f,
    {
        let (Target::Field(name), Some(element)) = (&fc.target, element) else {
            return None;
        };
        let FactValue::Map(entries) = &element.value else {
            return None;
        };
        Some(match column::record_field(fc, entries, name) {
            Some(f) => Cow::Borrowed(f),
            None => Cow::Owned(Fact {
                value: FactValue::Absent,
                evidence: element.evidence.clone(),
            }),
        })
    }

    /// The field `name` of a record's `entries`, looked up first where the same name was found last.
    fn field<'f>(&self, entries: &'f [(crate::facts::Key, Fact)], name: &str) -> Option<&'f Fact> {
        let key = name.as_ptr() as usize;
        // heap addresses are 16-byte aligned: the bits above those choose the slot
        let slot = self.hints.0.get(((key >> 4) ^ (key >> 9)) % HINT_SLOTS);
        if let Some((hinted, at, found)) = slot.map(std::cell::Cell::get) {
            if hinted == key {
                if let Some((k, f)) = entries.get(at) {
                    // the records' names are mostly the same `&'static str`s: a static name at the
                    // address and of the length found last is that name (a static address is never
                    // reused), without comparing the bytes
                    let same_static = matches!(k, Cow::Borrowed(_))
                        && k.as_ptr() as usize == found
                        && k.len() == name.len();
                    if same_static || k == name {
                        return Some(f);
                    }
                }
            }
        }
        let at = entries.iter().position(|(k, _)| k == name)?;
        let (k, f) = entries.get(at)?;
        if let Some(slot) = slot {
            let found = match k {
                Cow::Borrowed(k) => k.as_ptr() as usize,
                Cow::Owned(_) => 0,
            };
            slot.set((key, at, found));
        }
        Some(f)
    }

    /// Walks `image.healthcheck.interval` from the subject's roots by map keys. A missing key, or any
    /// name below an absent value, is absent; below an unknown value, unknown.
    fn walk<'f>(&self, segments: &[String]) -> Result<Cow<'f, Fact>, EvalError>
    where
        's: 'f,
    {
        let Some((first, rest)) = segments.split_first() else {
            return Err(EvalError::UnknownRoot {
                root: String::new(),
            });
        };
        let Some(root) = Root::parse(first) else {
            return Err(EvalError::UnknownRoot {
                root: first.clone(),
            });
        };
        let Some(mut current) = self.subject.root(root) else {
            return Ok(Cow::Owned(Fact::missing(root)));
        };
        for segment in rest {
            match &current.value {
                FactValue::Unknown(_) => return Ok(Cow::Borrowed(current)),
                FactValue::Absent => {
                    return Ok(Cow::Owned(Fact {
                        value: FactValue::Absent,
                        evidence: current.evidence.clone(),
                    }))
                }
                FactValue::Map(entries) => match self.field(entries, segment) {
                    Some(next) => current = next,
                    None => {
                        return Ok(Cow::Owned(Fact {
                            value: FactValue::Absent,
                            evidence: current.evidence.clone(),
                        }))
                    }
                },
                other => {
                    return Err(EvalError::NotARecord {
                        path: segments.join("."),
                        at: segment.clone(),
                        found: describe::a_kind(other),
                    })
                }
            }
        }
        Ok(Cow::Borrowed(current))
    }

    // ─────────────────────────────── operators ───────────────────────────────

    fn op(&mut self, leaf: &Leaf<'_>, op: &Op) -> Result<Outcome, EvalError> {
        self.step()?;
        self.op_outcome(leaf, op)
    }

    /// [`Evaluator::op`] after its step.
    fn op_outcome(&mut self, leaf: &Leaf<'_>, op: &Op) -> Result<Outcome, EvalError> {
        let v = &leaf.fact.value;
        match op {
            Op::Exists(want) => Ok(self.simple(
                leaf,
                exists_truth(v, *want),
                if *want { "a value" } else { "no value" },
            )),
            Op::Empty(want) => Ok(self.simple(
                leaf,
                empty_truth(v, *want),
                if *want { "empty" } else { "a non-empty value" },
            )),
            Op::Equals(lit) => self.one_of(leaf, "equals", std::slice::from_ref(lit)),
            Op::OneOf(lits) => self.one_of(leaf, "one_of", lits),
            Op::Matches(p) => self.regex(leaf, p, true),
            Op::NotMatches(p) => self.regex(leaf, p, false),
            Op::Glob(m) => match glob_truth(leaf, m)? {
                Truth::Unknown => Ok(
                    self.truncated(leaf, &format!("matches the glob `{}` as a whole", m.source))
                ),
                truth => Ok(self.simple(leaf, truth, || {
                    format!("a match for the glob `{}`", m.source)
                })),
            },
            Op::Contains(lit) => self.contains(leaf, lit),
            Op::ContainsAll(ms) => self.contains_all(leaf, ms),
            Op::ContainsAny(ms) => self.contains_any(leaf, ms),
            Op::Excludes(ms) => self.excludes(leaf, ms),
            Op::Compare(cmp, lit) => self.compare(leaf, *cmp, lit),
            Op::Any(inner) => self.any(leaf, inner),
            Op::All(inner) => self.all(leaf, inner),
            Op::None(inner) => self.none(leaf, inner),
            Op::Count { check, min, max } => self.count(leaf, check.as_deref(), *min, *max),
            Op::Order { first, then } => self.order(leaf, first, then),
        }
    }

    /// The part of an outcome that shows `fact`: its masked display as `actual` and its evidence item
    /// (the display built once for both). Truth, message and expectation are left for the caller.
    fn about(&self, fact: &Fact) -> Outcome {
        let actual = evidence::show_shared(fact);
        let evidence = match fact.evidence {
            Some(_) => evidence::item_showing(self.subject, fact, actual.clone())
                .into_iter()
                .collect(),
            None => Vec::new(),
        };
        Outcome {
            truth: Truth::Unknown,
            found: String::new(),
            want: None,
            actual: Some(actual),
            evidence,
            omitted: 0,
        }
    }

    /// [`Evaluator::about`] the leaf's fact, kept in [`Shown`] when it is a part of the subject.
    fn about_leaf(&self, leaf: &Leaf<'_>) -> Outcome {
        if !leaf.of_subject {
            return self.about(leaf.fact);
        }
        let key: *const Fact = leaf.fact;
        // A subject's requirements show a few dozen facts: a list is quicker than hashing. (`about`
        // does not use the table, so it stays borrowed.)
        let mut shown = self.shown.displays.borrow_mut();
        let entry = shown.iter_mut().find(|(k, _)| *k == key);
        if let Some((_, Some((actual, evidence)))) = &entry {
            return Outcome {
                actual: Some(actual.clone()),
                evidence: evidence.clone(),
                ..Outcome::plain(Truth::Unknown, String::new())
            };
        }
        let outcome = self.about(leaf.fact);
        match entry {
            // Kept from its second showing on: most facts are shown by one requirement only, and
            // keeping costs a copy.
            Some((_, kept)) => {
                *kept = Some((
                    outcome.actual.clone().unwrap_or_default(),
                    outcome.evidence.clone(),
                ));
            }
            None => shown.push((key, None)),
        }
        outcome
    }

    /// An outcome about the leaf value itself: "`name` is VALUE[, expected WANT]".
    fn simple(&self, leaf: &Leaf<'_>, truth: Truth, want: impl Wanted) -> Outcome {
        if self.quiet {
            return Outcome::plain(truth, String::new());
        }
        let mut outcome = self.about_leaf(leaf);
        let shown = outcome.actual.as_deref().unwrap_or_default();
        // `{called} is {phrase}`, built in place: the message of most results
        let mut found = String::with_capacity(leaf.called.len() + shown.len() + 6);
        found.push_str(leaf.called);
        found.push_str(" is ");
        push_phrase(&mut found, leaf.fact, shown);
        outcome.found = found;
        outcome.truth = truth;
        // read only by the message of a failure (`, expected …`); `not` replaces it
        outcome.want = (truth == Truth::Fail).then(|| want.text());
        outcome
    }

    /// Unknown because the leaf's string was printed truncated.
    fn truncated(&self, leaf: &Leaf<'_>, what: &str) -> Outcome {
        if self.quiet {
            return Outcome::plain(Truth::Unknown, String::new());
        }
        Outcome {
            truth: Truth::Unknown,
            found: format!(
                "{} was printed truncated ({}), so whether it {what} is unknown",
                leaf.called,
                phrase(leaf.fact)
            ),
            want: None,
            ..self.about_leaf(leaf)
        }
    }

    fn one_of(
        &self,
        leaf: &Leaf<'_>,
        op: &'static str,
        lits: &[Literal],
    ) -> Result<Outcome, EvalError> {
        let want = || match lits {
            [single] => describe::literal(single),
            _ => format!("one of {}", describe::literals(lits)),
        };
        let truth = one_of_truth(leaf, op, lits)?;
        if truth == Truth::Unknown {
            return Ok(self.truncated(leaf, &format!("equals {}", want())));
        }
        Ok(self.simple(leaf, truth, want))
    }

    fn regex(&self, leaf: &Leaf<'_>, p: &Pattern, want_match: bool) -> Result<Outcome, EvalError> {
        let want = || {
            if want_match {
                format!("a match for `{}`", p.source)
            } else {
                format!("no match for `{}`", p.source)
            }
        };
        match regex_truth(leaf, p, want_match)? {
            // The hidden part may hold a match: neither `matches` nor `not_matches` can tell.
            Truth::Unknown => Ok(self.truncated(leaf, &format!("matches `{}`", p.source))),
            truth => Ok(self.simple(leaf, truth, want)),
        }
    }

    fn compare(
        &self,
        leaf: &Leaf<'_>,
        cmp: Comparison,
        lit: &Literal,
    ) -> Result<Outcome, EvalError> {
        let truth = compare_truth(leaf, cmp, lit)?;
        Ok(self.simple(leaf, truth, || {
            format!("{} {}", cmp.symbol(), describe::literal(lit))
        }))
    }

    fn contains(&self, leaf: &Leaf<'_>, lit: &Literal) -> Result<Outcome, EvalError> {
        let want = format!("to contain {}", describe::literal(lit));
        match &leaf.fact.value {
            FactValue::Absent => Ok(self.simple(leaf, Truth::Fail, &want)),
            FactValue::List(items) => {
                let mut unknown = false;
                for (i, item) in items.iter().enumerate() {
                    match &item.value {
                        FactValue::Unknown(_) => unknown = true,
                        value => match scalar_eq(value, lit) {
                            Some(Some(true)) => {
                                return Ok(Outcome {
                                    truth: Truth::Pass,
                                    found: format!(
                                        "{} has {} (element {i})",
                                        leaf.called,
                                        phrase(item)
                                    ),
                                    want: None,
                                    actual: Some(evidence::show_shared(leaf.fact)),
                                    evidence: evidence::item(self.subject, item)
                                        .into_iter()
                                        .collect(),
                                    omitted: 0,
                                })
                            }
                            Some(Some(false)) => {}
                            Some(None) => unknown = true,
                            None => return Err(mismatch(leaf, "contains", lit)),
                        },
                    }
                }
                if unknown {
                    Ok(self.truncated(leaf, &format!("contains {}", describe::literal(lit))))
                } else {
                    Ok(self.simple(leaf, Truth::Fail, &want))
                }
            }
            FactValue::Map(entries) => {
                let Literal::Text(key) = lit else {
                    return Err(mismatch(leaf, "contains", lit));
                };
                match entries.iter().find(|(k, _)| k == key) {
                    Some((k, value)) => Ok(Outcome {
                        truth: Truth::Pass,
                        found: format!("{} has the key `{k}`", leaf.called),
                        want: None,
                        actual: Some(format!("{k}={}", evidence::show(value)).into()),
                        evidence: evidence::item(self.subject, value).into_iter().collect(),
                        omitted: 0,
                    }),
                    None => Ok(Outcome {
                        truth: Truth::Fail,
                        found: format!("{} has no key `{key}`", leaf.called),
                        want: None,
                        ..self.about_leaf(leaf)
                    }),
                }
            }
            FactValue::Text(t) => {
                let Literal::Text(needle) = lit else {
                    return Err(mismatch(leaf, "contains", lit));
                };
                let found = visible(t).contains(needle.as_str());
                if !found && t.truncated {
                    return Ok(self.truncated(leaf, &format!("contains `{needle}`")));
                }
                Ok(self.simple(leaf, Truth::of(found), &want))
            }
            other => Err(wrong_kind(
                leaf,
                "contains",
                "a list, a map or a string",
                other,
            )),
        }
    }

    /// The strings `contains_all`, `contains_any` and `excludes` look at: list elements or map keys.
    /// `None` when the value is absent.
    fn keys<'f>(
        &self,
        leaf: &Leaf<'f>,
        op: &'static str,
    ) -> Result<Option<Vec<Key<'f>>>, EvalError> {
        match &leaf.fact.value {
            FactValue::Absent => Ok(None),
            FactValue::Map(entries) => Ok(Some(
                entries
                    .iter()
                    .map(|(k, value)| Key {
                        text: k,
                        truncated: false,
                        unknown: false,
                        fact: value,
                        entry: true,
                    })
                    .collect(),
            )),
            FactValue::List(items) => {
                let mut keys = Vec::with_capacity(items.len());
                for item in items {
                    match &item.value {
                        FactValue::Text(t) => keys.push(Key {
                            text: visible(t),
                            truncated: t.truncated,
                            unknown: false,
                            fact: item,
                            entry: false,
                        }),
                        FactValue::Unknown(_) => keys.push(Key {
                            text: "",
                            truncated: false,
                            unknown: true,
                            fact: item,
                            entry: false,
                        }),
                        other => {
                            return Err(EvalError::WrongKind {
                                target: target_name(leaf.target).into_owned(),
                                op,
                                needs: "a list of strings or a map",
                                found: format!("a list holding {}", describe::a_kind(other)),
                            })
                        }
                    }
                }
                Ok(Some(keys))
            }
            other => Err(wrong_kind(leaf, op, "a list of strings or a map", other)),
        }
    }

    fn contains_all(&self, leaf: &Leaf<'_>, ms: &[Matcher]) -> Result<Outcome, EvalError> {
        let (noun, _) = leaf.key_nouns();
        let Some(keys) = self.keys(leaf, "contains_all")? else {
            return Ok(self.simple(leaf, Truth::Fail, || {
                format!("{noun}s matching {}", describe::matchers(ms))
            }));
        };
        let mut missing = Vec::new();
        let mut undecided = Vec::new();
        let mut matched: Vec<&Key<'_>> = Vec::new();
        for m in ms {
            let mut truth = Truth::Fail;
            for key in &keys {
                match key_truth(m, key) {
                    Truth::Pass => {
                        truth = Truth::Pass;
                        if !matched.iter().any(|k| std::ptr::eq(*k, key)) {
                            matched.push(key);
                        }
                        break;
                    }
                    Truth::Unknown => truth = Truth::Unknown,
                    Truth::Fail => {}
                }
            }
            match truth {
                Truth::Fail => missing.push(m),
                Truth::Unknown => undecided.push(m),
                Truth::Pass => {}
            }
        }
        if !missing.is_empty() {
            return Ok(Outcome {
                truth: Truth::Fail,
                found: format!(
                    "{} has no {noun} matching {}",
                    leaf.called,
                    describe::matcher_refs(&missing)
                ),
                want: None,
                ..self.about_leaf(leaf)
            });
        }
        if !undecided.is_empty() {
            return Ok(Outcome {
                truth: Truth::Unknown,
                found: format!(
                    "{} has no {noun} known to match {}: some were printed truncated",
                    leaf.called,
                    describe::matcher_refs(&undecided)
                ),
                want: None,
                ..self.about_leaf(leaf)
            });
        }
        Ok(Outcome {
            truth: Truth::Pass,
            found: format!(
                "{} has {}",
                leaf.called,
                join_shown(matched.iter().map(|k| k.shown()))
            ),
            want: None,
            actual: Some(evidence::show_shared(leaf.fact)),
            evidence: matched
                .iter()
                .filter_map(|k| evidence::item(self.subject, k.fact))
                .collect(),
            omitted: 0,
        })
    }

    fn contains_any(&self, leaf: &Leaf<'_>, ms: &[Matcher]) -> Result<Outcome, EvalError> {
        let (noun, _) = leaf.key_nouns();
        // written only when it is shown: a passing check does not show it
        let want = || {
            format!(
                "{} matching one of {}",
                describe::a(noun),
                describe::matchers(ms)
            )
        };
        let Some(keys) = self.keys(leaf, "contains_any")? else {
            return Ok(self.simple(leaf, Truth::Fail, want));
        };
        let mut unknown = false;
        for key in &keys {
            for m in ms {
                match key_truth(m, key) {
                    Truth::Pass => {
                        let shown = key.shown();
                        return Ok(Outcome {
                            truth: Truth::Pass,
                            found: format!(
                                "{} has `{shown}` (matching `{}`)",
                                leaf.called, m.source
                            ),
                            want: None,
                            actual: Some(shown.into()),
                            evidence: evidence::item(self.subject, key.fact).into_iter().collect(),
                            omitted: 0,
                        });
                    }
                    Truth::Unknown => unknown = true,
                    Truth::Fail => {}
                }
            }
        }
        let truth = if unknown { Truth::Unknown } else { Truth::Fail };
        Ok(Outcome {
            truth,
            found: if unknown {
                format!(
                    "{} has no {noun} known to match {}: some were printed truncated",
                    leaf.called,
                    describe::matchers(ms)
                )
            } else {
                format!("{} is {}", leaf.called, phrase(leaf.fact))
            },
            want: Some(want()),
            ..self.about_leaf(leaf)
        })
    }

    fn excludes(&self, leaf: &Leaf<'_>, ms: &[Matcher]) -> Result<Outcome, EvalError> {
        let (noun, nouns) = leaf.key_nouns();
        let want = format!("no {noun} matching {}", describe::matchers(ms));
        let Some(keys) = self.keys(leaf, "excludes")? else {
            return Ok(self.simple(leaf, Truth::Pass, &want));
        };
        let mut offenders: Vec<&Key<'_>> = Vec::new();
        let mut unknown = false;
        for key in &keys {
            let mut truth = Truth::Fail;
            for m in ms {
                match key_truth(m, key) {
                    Truth::Pass => {
                        truth = Truth::Pass;
                        break;
                    }
                    Truth::Unknown => truth = Truth::Unknown,
                    Truth::Fail => {}
                }
            }
            match truth {
                Truth::Pass => offenders.push(key),
                Truth::Unknown => unknown = true,
                Truth::Fail => {}
            }
        }
        if offenders.is_empty() {
            let truth = if unknown { Truth::Unknown } else { Truth::Pass };
            let found = if unknown {
                format!(
                    "{} has {nouns} printed truncated that may match {}",
                    leaf.called,
                    describe::matchers(ms)
                )
            } else {
                // `want` is "no {noun} matching …"
                format!("{} has {want}", leaf.called)
            };
            return Ok(Outcome {
                truth,
                found,
                want: None,
                ..self.about_leaf(leaf)
            });
        }
        // For environment variables, point at the history layer whose ENV set each offender.
        let env = matches!(leaf.target, Target::Path(s) if s.last().is_some_and(|l| l == "env"))
            && matches!(leaf.fact.value, FactValue::Map(_));
        let mut actual = Vec::new();
        let mut items = Vec::new();
        for key in &offenders {
            items.extend(evidence::item(self.subject, key.fact));
            let layer = if env {
                evidence::env_layer(self.subject, key.text)
            } else {
                None
            };
            match layer {
                Some(layer_item) => {
                    actual.push(format!(
                        "{} (set by layer {}: {})",
                        key.shown(),
                        layer_item.layer.unwrap_or_default(),
                        layer_item.instruction.as_deref().unwrap_or_default()
                    ));
                    items.push(layer_item);
                }
                None => actual.push(key.shown()),
            }
        }
        let label = if offenders.len() == 1 {
            format!("the {noun}")
        } else {
            format!("the {nouns}")
        };
        let names: Vec<&str> = offenders.iter().map(|k| k.text).collect();
        Ok(Outcome {
            truth: Truth::Fail,
            found: format!(
                "{} has {label} {}",
                leaf.called,
                join_shown(names.into_iter())
            ),
            want: Some(want),
            actual: Some(bounded_join(&actual).into()),
            evidence: items,
            omitted: 0,
        })
    }

    // ───────────────────────────── element operators ─────────────────────────────

    /// The `{name, value}` records of a map's entries, which [`Self::elements`] borrows (nothing for any
    /// other value).
    fn entry_records(leaf: &Leaf<'_>) -> Vec<Fact> {
        entry_records(&leaf.fact.value)
    }

    /// The elements of a list, or the entries of a map as their `records` ([`Self::entry_records`]).
    /// `None` when absent. An element borrows its fact: a history of 10,000 layers is a list of 40-byte
    /// elements, not of copies of the fact's 112 bytes (the list is walked once per requirement).
    fn elements<'f>(
        &self,
        leaf: &Leaf<'f>,
        records: &'f [Fact],
        op: &'static str,
    ) -> Result<Option<Vec<Element<'f>>>, EvalError> {
        match &leaf.fact.value {
            FactValue::Absent => Ok(None),
            FactValue::List(items) => Ok(Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| Element {
                        fact: item,
                        index,
                        entry: None,
                        own: leaf.of_subject,
                    })
                    .collect(),
            )),
            FactValue::Map(entries) => Ok(Some(
                entries
                    .iter()
                    .zip(records)
                    .enumerate()
                    .map(|(index, ((k, value), record))| Element {
                        fact: record,
                        index,
                        entry: Some((&**k, value)),
                        own: false,
                    })
                    .collect(),
            )),
            other => Err(wrong_kind(leaf, op, "a list or a map", other)),
        }
    }

    /// Decides `inner` on every element, quietly; then evaluates again, with messages and evidence, the
    /// first `explain[class]` elements of each truth (pass, fail, unknown). The others keep only their
    /// truth: a caller asks only for what its result shows (`any` shows its first passing element, `all`
    /// its failing ones, …).
    fn each(
        &mut self,
        elements: &[Element<'_>],
        inner: &Check,
        noun: &str,
        explain: [usize; 3],
    ) -> Result<Decided, EvalError> {
        let was_quiet = self.quiet;
        self.quiet = true;
        let truths = self.decide_all(elements, inner);
        self.quiet = was_quiet;
        let mut decided = Decided {
            truths: truths?,
            explained: Vec::new(),
        };
        if was_quiet {
            return Ok(decided);
        }
        let mut explained = [0usize; 3];
        for (i, e) in elements.iter().enumerate() {
            let class = match decided.truths.get(i) {
                Some(Truth::Pass) => 0,
                Some(Truth::Fail) => 1,
                Some(Truth::Unknown) => 2,
                None => break,
            };
            let (Some(count), Some(limit)) = (explained.get_mut(class), explain.get(class)) else {
                continue;
            };
            if *count >= *limit {
                continue;
            }
            *count += 1;
            let (label, o) = self.explain(e, inner, noun)?;
            decided.explained.push((i, label, o));
        }
        Ok(decided)
    }

    /// `inner` on one element with its message and evidence: (label, outcome).
    fn explain(
        &mut self,
        e: &Element<'_>,
        inner: &Check,
        noun: &str,
    ) -> Result<(String, Outcome), EvalError> {
        let mut o = self.check(inner, Some(e.fact))?;
        if let Some((name, value)) = e.entry {
            // A map entry is shown whole (`NAME=***`), whichever of its fields decided.
            let shown = Str::shared(&format!("{name}={}", evidence::show(value)));
            if let Some(item) = evidence::item_showing(self.subject, value, shown.clone()) {
                o.evidence.insert(0, item);
            }
            o.actual = Some(shown);
        }
        Ok((e.label(noun), o))
    }

    /// Explains the element at `i` of `decided` (from [`Evaluator::each`]) if it was not; nothing when
    /// evaluating quietly.
    fn explain_at(
        &mut self,
        elements: &[Element<'_>],
        decided: &mut Decided,
        i: usize,
        inner: &Check,
        noun: &str,
    ) -> Result<(), EvalError> {
        if self.quiet {
            return Ok(());
        }
        if let Some(e) = elements.get(i) {
            let (label, o) = self.explain(e, inner, noun)?;
            let at = decided.explained.partition_point(|(j, _, _)| *j < i);
            match decided.explained.get_mut(at) {
                Some(slot) if slot.0 == i => *slot = (i, label, o),
                _ => decided.explained.insert(at, (i, label, o)),
            }
        }
        Ok(())
    }

    /// The truth of `inner` on every element, decided quietly (or ahead, for long lists).
    fn decide_all(
        &mut self,
        elements: &[Element<'_>],
        inner: &Check,
    ) -> Result<Vec<Truth>, EvalError> {
        // Tiles are known by where they are. A list made for this walk alone (a map's entries as
        // records) may be where one an earlier walk kept was, so what was kept could name its tiles.
        // (A walk's elements all come from one list or one map: the first tells.)
        if !elements.first().is_some_and(|e| e.own) {
            self.forget_tiles();
        }
        if let Some(truths) = self.decided_ahead(elements, inner) {
            return Ok(truths);
        }
        let plain = plain_when_quiet(inner);
        let mut out = Vec::with_capacity(elements.len());
        if plain && elements.len() >= COLUMN_MIN {
            // a check at a time on a tile of elements after another (what a column keeps of a tile,
            // its texts joined, stays small); on an error, again an element at a time, for the error
            // that order meets first
            let facts: Vec<&Fact> = elements.iter().map(|e| e.fact).collect();
            let before = self.steps;
            let decided = facts
                .chunks(ahead::TILE)
                .try_for_each(|tile| self.decide_tile(inner, tile, &mut out));
            if decided.is_ok() {
                return Ok(out);
            }
            self.steps = before;
            out.clear();
        }
        for e in elements {
            out.push(self.decide_one(inner, plain, e.fact)?);
        }
        Ok(out)
    }

    /// The truth of `inner` on one element, as [`Self::decide_all`] decides it (`plain`:
    /// [`plain_when_quiet`] of `inner`).
    fn decide_one(
        &mut self,
        inner: &Check,
        plain: bool,
        element: &Fact,
    ) -> Result<Truth, EvalError> {
        self.step()?;
        if plain {
            self.truth(inner, Some(element))
        } else {
            Ok(self.check(inner, Some(element))?.truth)
        }
    }

    fn any(&mut self, leaf: &Leaf<'_>, inner: &Check) -> Result<Outcome, EvalError> {
        let (noun, nouns) = leaf.element_nouns();
        let records = Self::entry_records(leaf);
        let Some(elements) = self.elements(leaf, &records, "any")? else {
            return Ok(self.collection_outcome(
                leaf,
                Truth::Fail,
                format!("{} is absent", leaf.called),
            ));
        };
        // shown: the first passing element, else the first undecided one
        let decided = self.each(&elements, inner, noun, [1, 0, 1])?;
        if let Some(i) = decided.with(Truth::Pass).next() {
            let (label, o) = decided.at(i);
            return Ok(element_outcome(Truth::Pass, leaf.called, label, &o, 0, ""));
        }
        let mut unknown = decided.with(Truth::Unknown);
        if let Some(i) = unknown.next() {
            let (label, o) = decided.at(i);
            return Ok(element_outcome(
                Truth::Unknown,
                leaf.called,
                label,
                &o,
                unknown.count(),
                &format!("undecided {nouns}"),
            ));
        }
        let found = if decided.len() == 0 {
            format!("{} is empty", leaf.called)
        } else {
            format!(
                "no {noun} of {} satisfies it ({} checked)",
                leaf.called,
                decided.len()
            )
        };
        Ok(self.collection_outcome(leaf, Truth::Fail, found))
    }

    fn all(&mut self, leaf: &Leaf<'_>, inner: &Check) -> Result<Outcome, EvalError> {
        let (noun, nouns) = leaf.element_nouns();
        let records = Self::entry_records(leaf);
        let Some(elements) = self.elements(leaf, &records, "all")? else {
            return Ok(self.collection_outcome(
                leaf,
                Truth::Pass,
                format!("{} is absent (nothing to check)", leaf.called),
            ));
        };
        // shown: the failing elements, else the undecided ones
        let decided = self.each(&elements, inner, noun, [0, EXPLAIN, EXPLAIN])?;
        for (truth, lead, tail) in [
            (Truth::Fail, "more", " fail"),
            (Truth::Unknown, "undecided", ""),
        ] {
            let what = || format!("{lead} {nouns}{tail}");
            if let Some(out) = gather(&decided, truth, truth, leaf.called, what) {
                return Ok(out);
            }
        }
        Ok(self.collection_outcome(
            leaf,
            Truth::Pass,
            format!(
                "all {} {nouns} of {} satisfy it",
                decided.len(),
                leaf.called
            ),
        ))
    }

    fn none(&mut self, leaf: &Leaf<'_>, inner: &Check) -> Result<Outcome, EvalError> {
        let (noun, nouns) = leaf.element_nouns();
        let records = Self::entry_records(leaf);
        let Some(elements) = self.elements(leaf, &records, "none")? else {
            return Ok(self.collection_outcome(
                leaf,
                Truth::Pass,
                format!("{} is absent", leaf.called),
            ));
        };
        // shown: the matching elements, else the undecided ones
        let decided = self.each(&elements, inner, noun, [EXPLAIN, 0, EXPLAIN])?;
        let more = || format!("more {nouns}");
        if let Some(mut out) = gather(&decided, Truth::Pass, Truth::Fail, leaf.called, more) {
            out.found = format!("found in {}", out.found);
            let hits = decided.with(Truth::Pass);
            let actuals: Vec<Str> = hits
                .clone()
                .filter_map(|i| decided.explained(i).and_then(|(_, o)| o.actual.clone()))
                .collect();
            out.actual = Some(bounded_join_of(&actuals, hits.count()).into());
            return Ok(out);
        }
        let undecided = || format!("undecided {nouns}");
        if let Some(out) = gather(
            &decided,
            Truth::Unknown,
            Truth::Unknown,
            leaf.called,
            undecided,
        ) {
            return Ok(out);
        }
        Ok(self.collection_outcome(
            leaf,
            Truth::Pass,
            format!(
                "no {noun} of {} satisfies it ({} checked)",
                leaf.called,
                decided.len()
            ),
        ))
    }

    fn count(
        &mut self,
        leaf: &Leaf<'_>,
        inner: Option<&Check>,
        min: Option<u64>,
        max: Option<u64>,
    ) -> Result<Outcome, EvalError> {
        let (noun, nouns) = leaf.element_nouns();
        let records = Self::entry_records(leaf);
        let elements = self.elements(leaf, &records, "count")?.unwrap_or_default();
        let bounds = describe::bounds(min, max);
        let mut passed: Vec<(String, Outcome)> = Vec::new();
        let mut unknown: Vec<(String, Outcome)> = Vec::new();
        match inner {
            Some(inner) => {
                let decided = self.each(&elements, inner, noun, [EXPLAIN; 3])?;
                let mut explained = decided.explained.into_iter().peekable();
                for (i, truth) in decided.truths.into_iter().enumerate() {
                    let (label, o) = match explained.next_if(|(j, _, _)| *j == i) {
                        Some((_, label, o)) => (label, o),
                        None => (String::new(), Outcome::plain(truth, String::new())),
                    };
                    match truth {
                        Truth::Pass => passed.push((label, o)),
                        Truth::Unknown => unknown.push((label, o)),
                        Truth::Fail => {}
                    }
                }
            }
            None => {
                for (i, e) in elements.iter().enumerate() {
                    self.step()?;
                    // Only the first few are ever shown; the rest are counted.
                    let o = if self.quiet || i >= EXPLAIN {
                        Outcome::plain(Truth::Pass, String::new())
                    } else {
                        Outcome {
                            evidence: evidence::item(self.subject, e.fact).into_iter().collect(),
                            ..Outcome::plain(Truth::Pass, String::new())
                        }
                    };
                    let label = if self.quiet || i >= EXPLAIN {
                        String::new()
                    } else {
                        e.label(noun)
                    };
                    passed.push((label, o));
                }
            }
        }
        let low = u64::try_from(passed.len()).unwrap_or(u64::MAX);
        let high = low.saturating_add(u64::try_from(unknown.len()).unwrap_or(u64::MAX));
        let within = |n: u64| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
        let truth = if within(low) && within(high) {
            Truth::Pass
        } else if high < min.unwrap_or(0) || max.is_some_and(|m| low > m) {
            Truth::Fail
        } else {
            Truth::Unknown
        };
        let matching = if inner.is_some() { "matching " } else { "" };
        let found = match (truth, unknown.first()) {
            (Truth::Unknown, Some((label, o))) => format!(
                "{} has between {low} and {high} {matching}{nouns}: {label}: {}",
                leaf.called,
                o.message()
            ),
            _ => format!("{} has {low} {matching}{nouns}", leaf.called),
        };
        let mut evidence = Vec::new();
        let mut omitted = 0;
        for (label, o) in passed.iter().chain(unknown.iter()) {
            if label.is_empty() {
                omitted += 1;
            } else {
                evidence.extend(o.evidence.iter().cloned());
                omitted += o.omitted;
            }
        }
        if evidence.is_empty() {
            evidence.extend(evidence::item(self.subject, leaf.fact));
        }
        let labels: Vec<String> = passed
            .iter()
            .filter(|(l, _)| !l.is_empty())
            .map(|(l, _)| l.clone())
            .collect();
        Ok(Outcome {
            truth,
            found,
            want: Some(bounds),
            actual: Some(
                if passed.is_empty() {
                    format!("0 {nouns}")
                } else {
                    bounded_join_of(&labels, passed.len())
                }
                .into(),
            ),
            evidence,
            omitted,
        })
    }

    fn order(
        &mut self,
        leaf: &Leaf<'_>,
        first: &Check,
        then: &Check,
    ) -> Result<Outcome, EvalError> {
        let (noun, _) = leaf.element_nouns();
        let name = leaf.called;
        let records = Self::entry_records(leaf);
        let elements = self.elements(leaf, &records, "order")?.unwrap_or_default();
        // Decided quietly; only the elements a result names are explained (below).
        let mut firsts = self.each(&elements, first, noun, [0; 3])?;
        let mut thens = self.each(&elements, then, noun, [0; 3])?;
        let f: Vec<Truth> = firsts.truths.clone();
        let t: Vec<Truth> = thens.truths.clone();
        let label = |i: usize| elements.get(i).map(|e| e.label(noun)).unwrap_or_default();
        let ev = |decided: &Decided, i: usize| {
            decided
                .explained(i)
                .map(|(_, o)| o.evidence.clone())
                .unwrap_or_default()
        };
        let plain = |truth: Truth, found: String, evidence: Vec<EvidenceItem>| Outcome {
            truth,
            found,
            want: None,
            actual: None,
            evidence,
            omitted: 0,
        };
        // `layer 2: COPY …` for the elements that decided the order.
        let shown = |decided: &Decided, i: usize| {
            (i < decided.len()).then(|| match decided.explained(i) {
                Some((l, o)) => match &o.actual {
                    Some(a) => format!("{l}: {a}"),
                    None => l.to_string(),
                },
                None => String::new(),
            })
        };

        // Definitely holds: the first element surely satisfying `first` is at `a`, some element surely
        // satisfies `then`, and every element that may satisfy `then` comes after `a`.
        let a = f.iter().position(|x| *x == Truth::Pass);
        let sure_then = t.iter().position(|x| *x == Truth::Pass);
        if let (Some(a), Some(j)) = (a, sure_then) {
            let ok = t
                .iter()
                .enumerate()
                .all(|(k, x)| *x == Truth::Fail || k > a);
            if ok {
                self.explain_at(&elements, &mut firsts, a, first, noun)?;
                self.explain_at(&elements, &mut thens, j, then, noun)?;
                let mut evidence = ev(&firsts, a);
                evidence.extend(ev(&thens, j));
                let mut out = plain(
                    Truth::Pass,
                    format!(
                        "{} of {name} (first) comes before {} (then)",
                        label(a),
                        label(j)
                    ),
                    evidence,
                );
                out.actual = Some(
                    [shown(&firsts, a), shown(&thens, j)]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("; ")
                        .into(),
                );
                return Ok(out);
            }
        }
        // Definitely fails: nothing may satisfy `first`; or an element surely satisfying `then` is at or
        // before the first element that may satisfy `first`; or nothing after it may satisfy `then`.
        let Some(b) = f.iter().position(|x| *x != Truth::Fail) else {
            return Ok(plain(
                Truth::Fail,
                format!("no {noun} of {name} satisfies `first`"),
                evidence::item(self.subject, leaf.fact)
                    .into_iter()
                    .collect(),
            ));
        };
        if t.iter().all(|x| *x == Truth::Fail) {
            return Ok(plain(
                Truth::Fail,
                format!("no {noun} of {name} satisfies `then`"),
                evidence::item(self.subject, leaf.fact)
                    .into_iter()
                    .collect(),
            ));
        }
        if let Some(j) = t
            .iter()
            .enumerate()
            .position(|(k, x)| *x == Truth::Pass && k <= b)
        {
            self.explain_at(&elements, &mut thens, j, then, noun)?;
            self.explain_at(&elements, &mut firsts, b, first, noun)?;
            let mut evidence = ev(&thens, j);
            evidence.extend(ev(&firsts, b));
            let found = if j == b {
                format!(
                    "{} of {name} satisfies both `first` and `then`, so it cannot come first",
                    label(j)
                )
            } else {
                format!(
                    "{} of {name} satisfies `then` but comes before {}, the first that satisfies `first`",
                    label(j),
                    label(b)
                )
            };
            let mut out = plain(Truth::Fail, found, evidence);
            out.actual = Some(
                [shown(&thens, j), shown(&firsts, b)]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into(),
            );
            return Ok(out);
        }
        if !t
            .iter()
            .enumerate()
            .any(|(k, x)| *x != Truth::Fail && k > b)
        {
            self.explain_at(&elements, &mut firsts, b, first, noun)?;
            return Ok(plain(
                Truth::Fail,
                format!("no {noun} of {name} after {} satisfies `then`", label(b)),
                ev(&firsts, b),
            ));
        }
        // Undecided: report the first element whose answer is unknown.
        let unknown = |decided: &Decided, i: usize| decided.truths.get(i) == Some(&Truth::Unknown);
        let first_unknown =
            match (0..elements.len()).find(|&i| unknown(&firsts, i) || unknown(&thens, i)) {
                Some(i) if unknown(&firsts, i) => {
                    self.explain_at(&elements, &mut firsts, i, first, noun)?;
                    Some(firsts.at(i))
                }
                Some(i) => {
                    self.explain_at(&elements, &mut thens, i, then, noun)?;
                    Some(thens.at(i))
                }
                None => None,
            };
        Ok(match first_unknown {
            Some((l, o)) => Outcome {
                truth: Truth::Unknown,
                found: format!("{l} of {name}: {}", o.message()),
                want: None,
                actual: o.actual.clone(),
                evidence: o.evidence.clone(),
                omitted: o.omitted,
            },
            None => plain(
                Truth::Unknown,
                format!("the order in {name} cannot be decided"),
                Vec::new(),
            ),
        })
    }

    /// An outcome about a whole list or map.
    fn collection_outcome(&self, leaf: &Leaf<'_>, truth: Truth, found: String) -> Outcome {
        if self.quiet {
            return Outcome::plain(truth, String::new());
        }
        Outcome {
            truth,
            found,
            want: None,
            ..self.about_leaf(leaf)
        }
    }
}

/// What a check expects, as a text built only when a message is (quiet evaluation formats nothing):
/// a `&str`, or a closure that formats it.
trait Wanted {
    fn text(self) -> String;
}

impl Wanted for &str {
    fn text(self) -> String {
        self.to_string()
    }
}

impl Wanted for &String {
    fn text(self) -> String {
        self.clone()
    }
}

impl<F: FnOnce() -> String> Wanted for F {
    fn text(self) -> String {
        self()
    }
}

/// An outcome decided by one element: "{label} of `name`: {its message}[ (and N more …)]".
fn element_outcome(
    truth: Truth,
    name: &str,
    label: &str,
    o: &Outcome,
    more: usize,
    what: &str,
) -> Outcome {
    let mut found = format!("{label} of {name}: {}", o.message());
    if more > 0 {
        found.push_str(&format!(" (and {more} {what})"));
    }
    Outcome {
        truth,
        found,
        want: None,
        actual: o.actual.clone(),
        evidence: o.evidence.clone(),
        omitted: o.omitted,
    }
}

/// The outcome of the elements whose truth is `truth`, reported as `reported`: the first one's message
/// (`layer 3 of `history`: … (and 2 more layers)`) with the evidence of all that were explained and a count
/// of the others. `None` when no element has that truth.
fn gather(
    decided: &Decided,
    truth: Truth,
    reported: Truth,
    called: &str,
    what: impl FnOnce() -> String,
) -> Option<Outcome> {
    let mut hits = decided.with(truth);
    let first = hits.next()?;
    let (label, o) = decided.at(first);
    let more = hits.clone().count();
    // named only in `(and N more …)`
    let what = if more > 0 { what() } else { String::new() };
    let mut out = element_outcome(reported, called, label, &o, more, &what);
    for i in hits {
        match decided.explained(i) {
            Some((label, other)) => absorb(&mut out, label, other),
            None => absorb(&mut out, "", &Outcome::plain(truth, String::new())),
        }
    }
    Some(out)
}

/// The target as written (`image.env`, `created_by`), for evaluation errors and messages.
fn target_name(target: &Target) -> Cow<'_, str> {
    match target {
        Target::Field(field) => Cow::Borrowed(field),
        Target::Element => Cow::Borrowed("(element)"),
        other => Cow::Owned(other.display()),
    }
}

/// A truth of [`Evaluator::truth`]: `decisive` if one check had it, else unknown if one was unknown,
/// else the other truth (what `all_of` / `any_of` make of their checks).
fn kleene(decided: bool, unknown: bool, decisive: Truth) -> Truth {
    if decided {
        decisive
    } else if unknown {
        Truth::Unknown
    } else {
        decisive.not()
    }
}

/// Checks whose quiet outcome is their truth and nothing else (no message, value or evidence): the
/// scalar operators, under `all_of` / `any_of` / `not`. [`Evaluator::truth`] decides them.
fn plain_when_quiet(check: &Check) -> bool {
    match check {
        Check::AllOf(checks) | Check::AnyOf(checks) => {
            !checks.is_empty() && checks.iter().all(plain_when_quiet)
        }
        Check::Not(inner) => plain_when_quiet(inner),
        Check::Document(_) => true,
        Check::Fact(fc) => !fc.ops.is_empty() && fc.ops.iter().all(scalar),
    }
}

/// An operator on one value (no elements, no keys): the ones [`Evaluator::op_truth`] decides itself.
fn scalar(op: &Op) -> bool {
    matches!(
        op,
        Op::Exists(_)
            | Op::Empty(_)
            | Op::Equals(_)
            | Op::OneOf(_)
            | Op::Matches(_)
            | Op::NotMatches(_)
            | Op::Glob(_)
            | Op::Compare(..)
    )
}

fn exists_truth(v: &FactValue, want: bool) -> Truth {
    Truth::of(!matches!(v, FactValue::Absent) == want)
}

fn empty_truth(v: &FactValue, want: bool) -> Truth {
    let empty = match v {
        FactValue::Absent => true,
        FactValue::Text(t) => t.raw.is_empty(),
        FactValue::List(items) => items.is_empty(),
        FactValue::Map(entries) => entries.is_empty(),
        _ => false,
    };
    Truth::of(empty == want)
}

/// `equals` / `one_of`: fails when absent; unknown when only a truncated string could decide.
fn one_of_truth(leaf: &Leaf<'_>, op: &'static str, lits: &[Literal]) -> Result<Truth, EvalError> {
    let v = &leaf.fact.value;
    match v {
        FactValue::Absent => return Ok(Truth::Fail),
        FactValue::List(_) | FactValue::Map(_) => {
            return Err(wrong_kind(leaf, op, "a single value", v))
        }
        _ => {}
    }
    let mut truth = Truth::Fail;
    for lit in lits {
        match scalar_eq(v, lit) {
            Some(Some(true)) => truth = Truth::Pass,
            Some(Some(false)) => {}
            Some(None) => {
                if truth == Truth::Fail {
                    truth = Truth::Unknown;
                }
            }
            None => return Err(mismatch(leaf, op, lit)),
        }
    }
    Ok(truth)
}

/// `matches` / `not_matches`: unknown when a truncated string's printed part does not match.
fn regex_truth(leaf: &Leaf<'_>, p: &Pattern, want_match: bool) -> Result<Truth, EvalError> {
    match &leaf.fact.value {
        FactValue::Absent => Ok(Truth::of(!want_match)),
        FactValue::Text(t) => {
            text_regex_truth(p, t, p.regex.is_match(&p.source, visible(t)), want_match)
        }
        other => Err(wrong_kind(
            leaf,
            if want_match { "matches" } else { "not_matches" },
            "a string",
            other,
        )),
    }
}

/// [`regex_truth`] of a text, given whether the pattern was `found` in its printed part.
fn text_regex_truth(
    p: &Pattern,
    t: &Text,
    found: Result<bool, &str>,
    want_match: bool,
) -> Result<Truth, EvalError> {
    let found = found.map_err(|detail| EvalError::Regex {
        pattern: p.source.clone(),
        detail: detail.to_string(),
    })?;
    if !found && t.truncated {
        return Ok(Truth::Unknown);
    }
    Ok(Truth::of(found == want_match))
}

/// `glob`: a truncated string is unknown (the glob matches the whole string).
fn glob_truth(leaf: &Leaf<'_>, m: &Matcher) -> Result<Truth, EvalError> {
    match &leaf.fact.value {
        FactValue::Absent => Ok(Truth::Fail),
        FactValue::Text(t) if t.truncated => Ok(Truth::Unknown),
        FactValue::Text(t) => Ok(Truth::of(m.is_match(&t.raw))),
        other => Err(wrong_kind(leaf, "glob", "a string", other)),
    }
}

/// `gt` / `gte` / `lt` / `lte`: fails when absent.
fn compare_truth(leaf: &Leaf<'_>, cmp: Comparison, lit: &Literal) -> Result<Truth, EvalError> {
    let v = &leaf.fact.value;
    let ordering = match (v, lit) {
        (FactValue::Absent, _) => return Ok(Truth::Fail),
        (FactValue::Int(a), Literal::Int(b)) => a.cmp(b),
        (FactValue::Duration(a), Literal::Duration(b)) => a.cmp(b),
        (FactValue::Size(a), Literal::Size(b)) => a.cmp(b),
        (FactValue::List(_) | FactValue::Map(_), _) => {
            return Err(wrong_kind(
                leaf,
                comparison_name(cmp),
                "a number, duration or size",
                v,
            ))
        }
        _ => return Err(mismatch(leaf, comparison_name(cmp), lit)),
    };
    Ok(Truth::of(match cmp {
        Comparison::Gt => ordering == Ordering::Greater,
        Comparison::Gte => ordering != Ordering::Less,
        Comparison::Lt => ordering == Ordering::Less,
        Comparison::Lte => ordering != Ordering::Greater,
    }))
}

/// Does operator `op` certainly evaluate without an error on a value `v` (the value is known, not
/// `Unknown`)? Only the scalar operators are told; the rest answer `false`.
fn evaluates(v: &FactValue, op: &Op) -> bool {
    match op {
        Op::Exists(_) | Op::Empty(_) => true,
        Op::Equals(lit) => evaluates_eq(v, std::slice::from_ref(lit)),
        Op::OneOf(lits) => evaluates_eq(v, lits),
        Op::Matches(_) | Op::NotMatches(_) | Op::Glob(_) => {
            matches!(v, FactValue::Absent | FactValue::Text(_))
        }
        Op::Compare(_, lit) => matches!(
            (v, lit),
            (FactValue::Absent, _)
                | (FactValue::Int(_), Literal::Int(_))
                | (FactValue::Duration(_), Literal::Duration(_))
                | (FactValue::Size(_), Literal::Size(_))
        ),
        _ => false,
    }
}

/// [`evaluates`] for `equals` and `one_of`.
fn evaluates_eq(v: &FactValue, lits: &[Literal]) -> bool {
    match v {
        FactValue::Absent => true,
        FactValue::List(_) | FactValue::Map(_) => false,
        _ => lits.iter().all(|lit| scalar_eq(v, lit).is_some()),
    }
}

/// The entries of a map value as `{name, value}` records (none for any other value).
fn entry_records(v: &FactValue) -> Vec<Fact> {
    let FactValue::Map(entries) = v else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|(k, value)| {
            let name = Fact {
                value: FactValue::Text(Text::plain(&**k)),
                evidence: value.evidence.clone(),
            };
            Fact::map(
                vec![("name".into(), name), ("value".into(), value.clone())],
                value.evidence.clone(),
            )
        })
        .collect()
}

/// A check whose quiet evaluation costs about what its explained one does not: no element operator
/// (`any`, `all`, `none`, `count`, `order`) anywhere in it.
fn cheap(check: &Check) -> bool {
    match check {
        Check::AllOf(checks) | Check::AnyOf(checks) => checks.iter().all(cheap),
        Check::Not(inner) => cheap(inner),
        Check::Document(_) => true,
        Check::Fact(fc) => fc.ops.iter().all(|op| {
            !matches!(
                op,
                Op::Any(_) | Op::All(_) | Op::None(_) | Op::Count { .. } | Op::Order { .. }
            )
        }),
    }
}

/// `all_of` (and the operators of one fact check): fails if any fails, else unknown if any is unknown,
/// else passes.
fn all_of(mut outcomes: Vec<Outcome>) -> Outcome {
    for truth in [Truth::Fail, Truth::Unknown] {
        if let Some(i) = outcomes.iter().position(|o| o.truth == truth) {
            return outcomes.swap_remove(i);
        }
    }
    merge(Truth::Pass, outcomes, "no checks")
}

/// `any_of`: passes if any passes, else unknown if any is unknown, else fails.
fn any_of(mut outcomes: Vec<Outcome>) -> Outcome {
    for truth in [Truth::Pass, Truth::Unknown] {
        if let Some(i) = outcomes.iter().position(|o| o.truth == truth) {
            return outcomes.swap_remove(i);
        }
    }
    merge(Truth::Fail, outcomes, "no alternatives")
}

/// Several outcomes that all agree, as one: messages joined with `; `, evidence concatenated.
fn merge(truth: Truth, outcomes: Vec<Outcome>, empty: &str) -> Outcome {
    if outcomes.len() == 1 {
        if let Some(o) = outcomes.into_iter().next() {
            return o;
        }
        return Outcome::plain(truth, empty.to_string());
    }
    let mut messages: Vec<String> = Vec::new();
    let mut actuals: Vec<Str> = Vec::new();
    let mut evidence = Vec::new();
    let mut omitted = 0;
    for mut o in outcomes {
        omitted += o.omitted;
        let m = o.take_message();
        if !messages.contains(&m) {
            messages.push(m);
        }
        if let Some(a) = o.actual {
            if !actuals.contains(&a) {
                actuals.push(a);
            }
        }
        evidence.extend(o.evidence);
    }
    Outcome {
        truth,
        found: if messages.is_empty() {
            empty.to_string()
        } else {
            messages.join("; ")
        },
        want: None,
        // one value (however many outcomes showed it) stays shared with its evidence
        actual: match actuals.len() {
            0 => None,
            1 => actuals.pop(),
            _ => Some(join(&actuals, "; ").into()),
        },
        evidence,
        omitted,
    }
}

/// Equality of a scalar value with a literal: `Some(Some(b))` decided, `Some(None)` unknown (truncated
/// string), `None` when the kinds differ.
fn scalar_eq(v: &FactValue, lit: &Literal) -> Option<Option<bool>> {
    match (v, lit) {
        (FactValue::Bool(a), Literal::Bool(b)) => Some(Some(a == b)),
        (FactValue::Int(a), Literal::Int(b)) => Some(Some(a == b)),
        (FactValue::Duration(a), Literal::Duration(b)) => Some(Some(a == b)),
        (FactValue::Size(a), Literal::Size(b)) => Some(Some(a == b)),
        (FactValue::Text(t), Literal::Text(s)) => {
            if t.truncated {
                Some(None)
            } else {
                Some(Some(t.raw.as_str() == s))
            }
        }
        _ => None,
    }
}

/// Does matcher `m` match key `k`? Unknown for unknown or truncated strings (the hidden part decides).
fn key_truth(m: &Matcher, k: &Key<'_>) -> Truth {
    if k.unknown || k.truncated {
        Truth::Unknown
    } else {
        Truth::of(m.is_match(k.text))
    }
}

/// The part of a string that was actually printed: a truncated string without its trailing `…`.
fn visible(t: &Text) -> &str {
    if t.truncated {
        t.raw
            .strip_suffix('…')
            .or_else(|| t.raw.strip_suffix("..."))
            .unwrap_or(&t.raw)
    } else {
        &t.raw
    }
}

/// The value as a message shows it: strings in backticks (masked), `absent`, others as displayed.
fn phrase(fact: &Fact) -> String {
    phrase_shown(fact, &evidence::show(fact))
}

/// [`phrase`] given `shown`, the fact's [`evidence::show`].
fn phrase_shown(fact: &Fact, shown: &str) -> String {
    let mut out = String::with_capacity(shown.len() + 2);
    push_phrase(&mut out, fact, shown);
    out
}

/// Appends [`phrase_shown`] to `out`: a string in backticks, any other value as shown.
fn push_phrase(out: &mut String, fact: &Fact, shown: &str) {
    let text = matches!(fact.value, FactValue::Text(_));
    if text {
        out.push('`');
    }
    out.push_str(shown);
    if text {
        out.push('`');
    }
}

/// How a message names a fact check's target: `` `image.user` `` (the name in backticks).
fn quoted_name(target: &Target) -> String {
    let mut out = String::new();
    match target {
        Target::Path(segments) => {
            out.reserve(segments.iter().map(|s| s.len() + 1).sum::<usize>() + 1);
            out.push('`');
            for (i, segment) in segments.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(segment);
            }
        }
        other => {
            out.push('`');
            out.push_str(&target_name(other));
        }
    }
    out.push('`');
    out
}

fn comparison_name(cmp: Comparison) -> &'static str {
    match cmp {
        Comparison::Gt => "gt",
        Comparison::Gte => "gte",
        Comparison::Lt => "lt",
        Comparison::Lte => "lte",
    }
}

fn wrong_kind(leaf: &Leaf<'_>, op: &'static str, needs: &'static str, v: &FactValue) -> EvalError {
    EvalError::WrongKind {
        target: target_name(leaf.target).into_owned(),
        op,
        needs,
        found: describe::a_kind(v),
    }
}

fn mismatch(leaf: &Leaf<'_>, op: &'static str, lit: &Literal) -> EvalError {
    EvalError::TypeMismatch {
        target: target_name(leaf.target).into_owned(),
        op,
        found: describe::a_kind(&leaf.fact.value),
        literal: describe::literal_with_kind(lit),
    }
}

/// `` `A`, `B` `` from shown strings, bounded.
fn join_shown<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let all: Vec<String> = items.map(|s| format!("`{}`", s.as_ref())).collect();
    bounded_join(&all)
}

/// Folds another element's outcome into `out`: its evidence when it was explained, else a count.
fn absorb(out: &mut Outcome, label: &str, other: &Outcome) {
    if label.is_empty() {
        out.omitted += 1;
    } else {
        out.evidence.extend(other.evidence.iter().cloned());
        out.omitted += other.omitted;
    }
}

/// Joins with `, `, keeping the first few and counting the rest.
fn bounded_join(items: &[String]) -> String {
    bounded_join_of(items, items.len())
}

/// `items` joined with `separator`, in a string of exactly that length.
fn join<S: AsRef<str>>(items: &[S], separator: &str) -> String {
    let len = items.iter().map(|s| s.as_ref().len()).sum::<usize>()
        + separator.len() * items.len().saturating_sub(1);
    let mut out = String::with_capacity(len);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
    out
}

/// Like [`bounded_join`], for a list of `total` items of which only the first `items` are at hand.
fn bounded_join_of<S: AsRef<str>>(items: &[S], total: usize) -> String {
    const SHOWN: usize = 10;
    let mut out = join(items.get(..SHOWN).unwrap_or(items), ", ");
    let total = total.max(items.len());
    if total > SHOWN {
        out.push_str(&format!(" and {} more", total - SHOWN.min(items.len())));
    }
    out
}
