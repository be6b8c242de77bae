//! Shortcuts of the evaluator against what they stand in for, on every node of every requirement of
//! every shipped pack and test policy, on every element an element operator walks, for every fixture's
//! dumps, with its histories as recorded and made long enough to be decided a column at a time and
//! ahead:
//! - [`Evaluator::sure`]: wherever it says a check certainly evaluates in N steps, evaluating the check
//!   quietly succeeds in exactly N steps;
//! - [`Evaluator::scalar_ops`]: a fact check of several scalar operators, explained, gives what
//!   explaining each operator and taking their `all_of` gives (the evidence as the result keeps it),
//!   in as many steps;
//! - [`Evaluator::decide_tile`] (a check decided a column at a time, a regex's prescreen run over the
//!   elements' texts joined): the truths and steps of [`Evaluator::decide_one`] on each element.
#![expect(
    clippy::disallowed_methods,
    reason = "a test: it reads the fixtures from disk"
)]

use super::{
    all_of, entry_records, quoted_name, scalar, Ahead, ElementChecks, Evaluator, FieldHints, Leaf,
    Outcome, Shown,
};
use crate::builtin::{self, BuiltinResolver};
use crate::eval::EvalError;
use crate::facts::{Fact, FactValue, Subject};
use crate::input::{self, Document, Limits};
use crate::policy::{self, Check, FactCheck, Op, Policy, Target};
use crate::report::EvidenceItem;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn policies() -> Vec<Policy> {
    let mut out = Vec::new();
    for pack in builtin::PACKS {
        match policy::load(pack.file, pack.text, &BuiltinResolver) {
            Ok(p) => out.push(p),
            Err(e) => unreachable!("{}: {e:?}", pack.name),
        }
    }
    match policy::load("operators.yaml", OPERATORS, &BuiltinResolver) {
        Ok(p) => out.push(p),
        Err(e) => unreachable!("operators.yaml: {e:?}"),
    }
    for name in ["element-operators.yaml", "history-not-recorded.yaml"] {
        let path = fixtures().join("policies").join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| unreachable!("{name}: {e}"));
        match policy::load(name, &text, &BuiltinResolver) {
            Ok(p) => out.push(p),
            Err(e) => unreachable!("{name}: {e:?}"),
        }
    }
    out
}

/// Fact checks of several scalar operators whose later operators fail or are unknown (a history
/// printed truncated: `tests/fixtures/reactbin-truncated`), besides the packs' (which pass or fail).
const OPERATORS: &str = r#"
name: operators
title: Several scalar operators on one fact
requirements:
  - id: O-1
    title: passes, then unknown on a truncated line
    section: test
    description: A test policy.
    remediation: None.
    severity: error
    check: { fact: history, all: { fact: created_by, matches: "^", not_matches: "zzz" } }
  - id: O-2
    title: unknown, then unknown
    section: test
    description: A test policy.
    remediation: None.
    severity: error
    check: { fact: history, all: { fact: created_by, not_matches: "zzz", matches: "qqq" } }
  - id: O-3
    title: unknown, then fails, then one settled
    section: test
    description: A test policy.
    remediation: None.
    severity: error
    check: { fact: history, none: { fact: created_by, not_matches: "zzz", exists: false, glob: "*" } }
  - id: O-4
    title: on the image
    section: test
    description: A test policy.
    remediation: None.
    severity: error
    check:
      any_of:
        - { fact: image.user, exists: true, matches: "^[0-9]+$", not_matches: "^0" }
        - { fact: image.workdir, one_of: [/app, /srv], glob: "/*", empty: false }
"#;

fn read(name: &str, text: &str) -> Document {
    input::read(name, text.as_bytes(), None, &Limits::default())
        .unwrap_or_else(|e| unreachable!("{name}: {e}"))
}

/// The lines of `history` repeated, in order, to `layers` lines.
fn long(history: &str, layers: usize) -> String {
    let lines: Vec<&str> = history.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut out = String::new();
    for line in lines.iter().cycle().take(layers) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The folders whose `history.jsonl` is also made long (to 40 and 520 layers): one of each pack's.
const MADE_LONG: [&str; 5] = [
    "baseline-violating",
    "reactbin-violating",
    "todo-backend-violating",
    "todo-frontend-violating",
    "todo-postgres-violating",
];

/// The dump sets of every fixture folder: its image, container and config dumps with each of its
/// histories (as recorded, and made long for the folders of [`MADE_LONG`]).
fn dump_sets() -> Vec<(String, Vec<Document>)> {
    let mut sets = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap_or_else(|e| unreachable!("fixtures: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && !p.ends_with("policies"))
        .collect();
    folders.sort();
    for folder in folders {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| unreachable!("{}: {e}", folder.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        let text = |p: &Path| {
            std::fs::read_to_string(p).unwrap_or_else(|e| unreachable!("{}: {e}", p.display()))
        };
        let name = |p: &Path| {
            p.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into())
        };
        let base: Vec<&PathBuf> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        let histories: Vec<&PathBuf> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        let with = |history: Option<(String, String)>| {
            let mut docs: Vec<Document> = base.iter().map(|p| read(&name(p), &text(p))).collect();
            let label = match &history {
                Some((n, _)) => format!("{}/{n}", folder.display()),
                None => folder.display().to_string(),
            };
            if let Some((n, h)) = history {
                docs.push(read(&n, &h));
            }
            (label, docs)
        };
        if histories.is_empty() {
            sets.push(with(None));
        }
        for h in histories {
            let recorded = text(h);
            if name(h) == "history.jsonl" && MADE_LONG.iter().any(|f| folder.ends_with(f)) {
                for layers in [40, 520] {
                    sets.push(with(Some((
                        format!("history.jsonl×{layers}"),
                        long(&recorded, layers),
                    ))));
                }
            }
            sets.push(with(Some((name(h), recorded))));
        }
    }
    sets
}

struct Walk<'a> {
    subject: &'a Subject,
    shown: Shown,
    hints: FieldHints,
    ahead: Ahead<'a>,
    /// Nodes for which `sure` said how many steps they take.
    sure: std::cell::Cell<usize>,
    /// Fact checks of several scalar operators compared with their `all_of`.
    scalar: std::cell::Cell<usize>,
    /// Element checks decided a column at a time compared with one element at a time.
    columns: std::cell::Cell<usize>,
}

impl Walk<'_> {
    fn evaluator(&self) -> Evaluator<'_> {
        let mut e = Evaluator::new(
            self.subject,
            &self.shown,
            &self.hints,
            &self.ahead,
            u64::MAX,
        );
        e.quiet = true;
        e
    }

    /// Compares `sure` with the quiet evaluation of `check` and of every check inside it.
    fn visit(&self, what: &str, check: &Check, element: Option<&Fact>) {
        let sure = self.evaluator().sure(check, element);
        if let Some(steps) = sure {
            let mut e = self.evaluator();
            let result = e.check(check, element);
            assert!(
                result.is_ok(),
                "{what}: sure of `{}` said {steps} steps, evaluating it failed: {:?}",
                super::describe::check(check),
                result.err()
            );
            assert_eq!(
                e.steps(),
                steps,
                "{what}: steps of `{}`",
                super::describe::check(check)
            );
            self.sure.set(self.sure.get() + 1);
        }
        if let Check::Fact(fc) = check {
            if fc.ops.len() > 1 && fc.ops.iter().all(scalar) {
                self.scalar_ops_as_all_of(what, fc, element);
            }
        }
        match check {
            Check::AllOf(checks) | Check::AnyOf(checks) => {
                for c in checks {
                    self.visit(what, c, element);
                }
            }
            Check::Not(inner) => self.visit(what, inner, element),
            Check::Document(_) => {}
            Check::Fact(fc) => {
                let Ok(fact) = self.evaluator().locate(&fc.target, element) else {
                    return;
                };
                for op in &fc.ops {
                    let inner: Vec<&Check> = match op {
                        Op::Any(c) | Op::All(c) | Op::None(c) => vec![&**c],
                        Op::Count { check, .. } => check.as_deref().into_iter().collect(),
                        Op::Order { first, then } => vec![&**first, &**then],
                        _ => Vec::new(),
                    };
                    let records = entry_records(&fact.value);
                    let elements: Vec<&Fact> = match &fact.value {
                        FactValue::List(items) => items.iter().collect(),
                        FactValue::Map(_) => records.iter().collect(),
                        _ => Vec::new(),
                    };
                    for c in inner {
                        self.column_as_one_by_one(what, c, &elements);
                        for el in &elements {
                            self.visit(what, c, Some(el));
                        }
                    }
                }
            }
        }
    }
}

impl Walk<'_> {
    /// A plain element check decided a column at a time on `elements` against it decided on each
    /// element in turn: the same truths in as many steps, or the same error.
    fn column_as_one_by_one(&self, what: &str, check: &Check, elements: &[&Fact]) {
        if !super::plain_when_quiet(check) || elements.is_empty() {
            return;
        }
        let mut e = self.evaluator();
        let mut truths = Vec::new();
        // as `decide_all` does: `elements` may be records made for this call
        e.forget_tiles();
        let column = e.decide_tile(check, elements, &mut truths).map(|()| truths);
        let column_steps = e.steps();
        let mut e = self.evaluator();
        let one_by_one: Result<Vec<_>, _> = elements
            .iter()
            .map(|el| e.decide_one(check, true, el))
            .collect();
        let shown = super::describe::check(check);
        assert_eq!(
            column,
            one_by_one,
            "{what}: `{shown}` on {} elements",
            elements.len()
        );
        // (an error may be met after other steps: the column is then decided again in place)
        if column.is_ok() {
            assert_eq!(column_steps, e.steps(), "{what}: steps of `{shown}`");
        }
        self.columns.set(self.columns.get() + 1);
    }

    /// The explained fact check (through [`Evaluator::scalar_ops`]) against each operator explained
    /// and their `all_of`, as `fact_check` did before: the same truth, message, actual value,
    /// evidence (as [`crate::eval::evidence::finish`] keeps it: each item once) and steps.
    fn scalar_ops_as_all_of(&self, what: &str, fc: &FactCheck, element: Option<&Fact>) {
        let mut e = self.evaluator();
        e.quiet = false;
        let new = e
            .check(&Check::Fact(fc.clone()), element)
            .map(|o| (o, e.steps()));
        let mut e = self.evaluator();
        e.quiet = false;
        let old = reference(&mut e, fc, element).map(|o| (o, e.steps()));
        let shown = |r: Result<(Outcome, u64), EvalError>| {
            r.map(|(o, steps)| {
                let mut evidence: Vec<EvidenceItem> = Vec::new();
                for item in o.evidence.iter() {
                    if !evidence.iter().any(|k| {
                        k.pointer == item.pointer
                            && k.layer == item.layer
                            && k.document == item.document
                    }) {
                        evidence.push(item.clone());
                    }
                }
                (o.truth, o.message(), o.actual, evidence, o.omitted, steps)
            })
            .map_err(|e| e.to_string())
        };
        let (new, old) = (shown(new), shown(old));
        assert!(
            new == old,
            "{what}: `{}`: {new:?} != {old:?}",
            super::describe::check(&Check::Fact(fc.clone()))
        );
        self.scalar.set(self.scalar.get() + 1);
    }
}

/// `fact_check` of several operators as it was before [`Evaluator::scalar_ops`]: each explained, in order
/// until one fails (the rest settled), then their `all_of`. The check's own step first.
fn reference(
    e: &mut Evaluator<'_>,
    fc: &FactCheck,
    element: Option<&Fact>,
) -> Result<Outcome, EvalError> {
    e.step()?;
    let fact = e.resolve(&fc.target, element)?;
    if let FactValue::Unknown(why) = &fact.value {
        return Ok(e.unknown_fact(&fc.target, why, &fact));
    }
    let called = match &fc.target {
        Target::Element => "the element".to_string(),
        target => quoted_name(target),
    };
    let leaf = Leaf {
        called: &called,
        target: &fc.target,
        nouns: &fc.nouns,
        of_subject: matches!(fc.target, Target::Path(_))
            && matches!(fact, std::borrow::Cow::Borrowed(_)),
        fact: &fact,
    };
    let mut outcomes: Vec<Outcome> = Vec::new();
    for op in &fc.ops {
        if outcomes
            .last()
            .is_some_and(|o| o.truth == super::Truth::Fail)
        {
            if super::evaluates(&fact.value, op) {
                e.step()?;
            } else {
                e.op(&leaf, op)?;
            }
            continue;
        }
        outcomes.push(e.op(&leaf, op)?);
    }
    Ok(all_of(outcomes))
}

#[test]
fn shortcuts_give_what_they_stand_in_for() {
    let policies = policies();
    let (mut sure, mut scalar, mut columns) = (0, 0, 0);
    for (label, docs) in dump_sets() {
        let subjects = input::subjects(&docs).unwrap_or_else(|e| unreachable!("{label}: {e}"));
        for policy in &policies {
            let checks = ElementChecks::of(policy.requirements.iter().flat_map(|r| r.checks()));
            for subject in &subjects {
                let walk = Walk {
                    subject,
                    shown: Shown::default(),
                    hints: FieldHints::default(),
                    ahead: Ahead::new(&checks),
                    sure: std::cell::Cell::new(0),
                    scalar: std::cell::Cell::new(0),
                    columns: std::cell::Cell::new(0),
                };
                for req in &policy.requirements {
                    let what = format!("{label}: {} {}", policy.name, req.id);
                    if let Some(when) = &req.when {
                        walk.visit(&what, when, None);
                    }
                    walk.visit(&what, &req.check, None);
                }
                sure += walk.sure.get();
                scalar += walk.scalar.get();
                columns += walk.columns.get();
            }
        }
    }
    // the element operators were among them
    assert!(sure > 10_000, "only {sure} checks were settled");
    // every element check of the packs on every list, the histories' regexes among them
    assert!(
        columns > 1_000,
        "only {columns} element checks decided a column at a time"
    );
    // and the fact checks of several scalar operators (`IMG-003`'s, say) on every subject
    assert!(
        scalar > 1_000,
        "only {scalar} fact checks of several scalar operators"
    );
}
