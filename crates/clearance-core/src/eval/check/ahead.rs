//! Long lists decided ahead, tile by tile, for all of a subject's requirements at once.
//!
//! Each requirement over a history walks every layer: a pack with twenty such requirements walks a
//! 10,000-layer history twenty times, and a history that size does not stay in the processor's cache
//! from one walk to the next (each walk reads every layer's record and text again from memory). So the
//! first time an element operator decides a list of at least [`AHEAD_MIN`] elements, the element checks
//! of every requirement over that same list are decided together, [`TILE`] elements at a time: each
//! tile is read from memory once and decided by every check while it is in the cache (and each check
//! still runs on a whole tile in a row, which keeps its own state, a regex's say, in the cache too).
//!
//! The truths are what [`Evaluator::decide_all`] would find, and are used only where they are: deciding
//! an element is pure (it reads the subject and the policy; the only state it changes is its step count
//! and caches that do not change answers). A check decided ahead records the steps it took; when its
//! requirement gets to it, those steps are charged at once, and only if they fit under that
//! requirement's cap. A check that had an error deciding ahead, was not finished when the work done
//! ahead reached its bound (one requirement's cap, all checks together), or whose steps do not fit, is
//! decided again in place, which gives the same error at the same step. Checks whose requirement stops
//! before them (a `when` that does not hold, an `any_of` decided earlier) were decided for nothing: the
//! cost of the speed-up, within that bound.

use super::{plain_when_quiet, Element, Evaluator, Truth};
use crate::facts::{Fact, FactValue};
use crate::policy::{Check, Op, Target};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

/// Lists shorter than this are decided in place (they stay in the cache between requirements).
pub(super) const AHEAD_MIN: usize = 512;

/// Elements decided by each check in a row: a few tens of kilobytes of records and texts.
pub(super) const TILE: usize = 64;

/// Element checks decided ahead on one list, at most: a pack has a few dozen; the others (of a policy
/// of a thousand requirements) are decided in place.
const MAX_RUNS: usize = 256;

/// The element checks of a policy's requirements that apply to a fact of the subject (not to an
/// element's field): `(inner check, target)` for each `any`/`all`/`none`/`count`/`order` operator.
pub(crate) struct ElementChecks<'p>(Vec<(&'p Check, &'p Target)>);

impl<'p> ElementChecks<'p> {
    /// Those of `checks` (each requirement's `when`, then its check), in order.
    pub(crate) fn of(checks: impl IntoIterator<Item = &'p Check>) -> Self {
        let mut found = Vec::new();
        for check in checks {
            collect(check, &mut found);
        }
        Self(found)
    }
}

fn collect<'p>(check: &'p Check, found: &mut Vec<(&'p Check, &'p Target)>) {
    match check {
        Check::AllOf(checks) | Check::AnyOf(checks) => {
            checks.iter().for_each(|c| collect(c, found));
        }
        Check::Not(inner) => collect(inner, found),
        Check::Document(_) => {}
        Check::Fact(fc) => {
            if !matches!(fc.target, Target::Path(_)) {
                return;
            }
            for op in &fc.ops {
                match op {
                    Op::Any(inner) | Op::All(inner) | Op::None(inner) => {
                        found.push((inner, &fc.target));
                    }
                    Op::Count {
                        check: Some(inner), ..
                    } => found.push((inner, &fc.target)),
                    Op::Order { first, then } => {
                        found.push((first, &fc.target));
                        found.push((then, &fc.target));
                    }
                    _ => {}
                }
            }
        }
    }
}

/// One subject's lists decided ahead: truths by (inner check, list), with the steps deciding them took.
pub(crate) struct Ahead<'p> {
    checks: &'p ElementChecks<'p>,
    /// Lists already decided ahead.
    lists: RefCell<Vec<List>>,
    decided: RefCell<HashMap<Key, (Vec<Truth>, u64)>>,
}

/// (address of the inner check, address of the list's first element, length of the list)
type Key = (usize, usize, usize);

impl<'p> Ahead<'p> {
    pub(crate) fn new(checks: &'p ElementChecks<'p>) -> Self {
        Self {
            checks,
            lists: RefCell::default(),
            decided: RefCell::default(),
        }
    }
}

/// (address of the first element, length): a list of the subject, by where it is.
type List = (usize, usize);

fn list(elements: &[Element<'_>]) -> Option<List> {
    let first = elements.first()?;
    Some((std::ptr::from_ref(first.fact) as usize, elements.len()))
}

fn key(inner: &Check, (first, len): List) -> Key {
    (std::ptr::from_ref(inner) as usize, first, len)
}

impl<'s> Evaluator<'s> {
    /// The truths of `inner` on `elements` decided ahead, their steps charged; `None` when `elements`
    /// is short, or `inner` was not decided ahead on them, or its steps do not fit under the cap.
    pub(super) fn decided_ahead(
        &mut self,
        elements: &[Element<'_>],
        inner: &Check,
    ) -> Option<Vec<Truth>> {
        if elements.len() < AHEAD_MIN {
            return None;
        }
        let ahead = self.ahead?;
        let list = list(elements)?;
        let first_time = !ahead.lists.borrow().contains(&list);
        if first_time {
            ahead.lists.borrow_mut().push(list);
            self.decide_ahead(ahead, elements, list);
        }
        let decided = ahead.decided.borrow();
        let (truths, steps) = decided.get(&key(inner, list))?;
        let total = self.steps.checked_add(*steps)?;
        if total > self.cap {
            return None;
        }
        self.steps = total;
        Some(truths.clone())
    }

    /// Decides every element check of the subject's requirements that applies to the list `elements`
    /// comes from, tile by tile.
    fn decide_ahead(&self, ahead: &Ahead<'_>, elements: &[Element<'_>], list: List) {
        struct Run<'a, 's> {
            key: Key,
            inner: &'a Check,
            plain: bool,
            evaluator: Evaluator<'s>,
            truths: Vec<Truth>,
            failed: bool,
        }
        let mut runs: Vec<Run<'_, 's>> = Vec::new();
        for &(inner, target) in &ahead.checks.0 {
            if runs.len() == MAX_RUNS {
                break;
            }
            // the list the requirement's operator would walk: a part of the subject
            let Ok(Cow::Borrowed(fact)) = self.locate(target, None) else {
                continue;
            };
            let FactValue::List(items) = &fact.value else {
                continue;
            };
            if (items.as_ptr() as usize, items.len()) != list {
                continue;
            }
            let key = key(inner, list);
            if runs.iter().any(|r| r.key == key) || ahead.decided.borrow().contains_key(&key) {
                continue;
            }
            runs.push(Run {
                key,
                inner,
                plain: plain_when_quiet(inner),
                // quiet, as `each` decides; the cap of this requirement, which no later requirement's
                // exceeds (the whole evaluation's budget only shrinks)
                evaluator: Evaluator {
                    steps: 0,
                    quiet: true,
                    ahead: None,
                    ..*self
                },
                truths: Vec::new(),
                failed: false,
            });
        }
        // All the runs together take at most the steps this requirement may take: deciding ahead never
        // does more than twice the work the caps allow (a policy of a thousand requirements over a
        // huge history stops deciding ahead, and its requirements stop at the whole evaluation's cap).
        let mut spent = 0u64;
        'tiles: for tile in elements.chunks(TILE) {
            let facts: Vec<&Fact> = tile.iter().map(|e| e.fact).collect();
            for run in runs.iter_mut().filter(|r| !r.failed) {
                let before = run.evaluator.steps;
                if run.plain {
                    run.failed = run
                        .evaluator
                        .decide_tile(run.inner, &facts, &mut run.truths)
                        .is_err();
                } else {
                    for e in tile {
                        match run.evaluator.decide_one(run.inner, false, e.fact) {
                            Ok(truth) => run.truths.push(truth),
                            Err(_) => {
                                run.failed = true;
                                break;
                            }
                        }
                    }
                }
                spent = spent.saturating_add(run.evaluator.steps.saturating_sub(before));
                if spent > self.cap {
                    break 'tiles;
                }
            }
        }
        let mut decided = ahead.decided.borrow_mut();
        let whole = |r: &Run<'_, '_>| !r.failed && r.truths.len() == elements.len();
        for run in runs.into_iter().filter(whole) {
            decided.insert(run.key, (run.truths, run.evaluator.steps));
        }
    }
}
