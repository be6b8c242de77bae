//! Plain element checks decided a tile of elements at a time, for the lists decided ahead
//! ([`super::ahead`]).
//!
//! [`Evaluator::decide_one`] walks a plain check ([`plain_when_quiet`]: scalar operators under
//! `all_of`, `any_of` and `not`) once per element: every node of the check is matched, every field
//! looked up by name, every settled check told apart again, for each of ten thousand layers. Here each
//! node of the check is walked once per tile and applied to the tile's elements in a row. A
//! junction passes each of its checks the elements it has not decided yet and settles it on the
//! others; a fact check reads its field where it found it in the element before.
//!
//! The truth of each element, and the steps it takes, are [`Evaluator::decide_one`]'s: each part
//! below does what its counterpart does ([`Evaluator::truth`], [`Evaluator::junction_truth`],
//! [`Evaluator::settle`]) and calls the same operator code. Only the order in which the steps are
//! charged differs, which matters only for where a step limit stops a run; a run decided ahead that
//! stops is decided again in place, one element after another. `tests/ahead.rs` compares the reports
//! with and without deciding ahead.

use super::{evaluates, kleene, text_regex_truth, visible, Evaluator, Truth};
use crate::eval::EvalError;
use crate::facts::{Fact, FactValue};
use crate::policy::{Check, FactCheck, Lines, Op, Pattern, Target};
use std::borrow::Cow;

impl Evaluator<'_> {
    /// [`Evaluator::decide_one`] of a plain check `inner` on each element of `tile`, pushed to
    /// `truths` in order.
    pub(super) fn decide_tile(
        &mut self,
        inner: &Check,
        tile: &[&Fact],
        truths: &mut Vec<Truth>,
    ) -> Result<(), EvalError> {
        let start = truths.len();
        truths.resize(start + tile.len(), Truth::Unknown);
        let out = truths.get_mut(start..).unwrap_or_default();
        let all: Vec<usize> = (0..tile.len()).collect();
        // `decide_one`'s own step
        self.charge(all.len())?;
        self.column(inner, tile, &all, out)
    }

    /// [`Evaluator::truth`] of `check` on the elements `tile[i]` for `i` in `at`, into `out[i]`.
    fn column(
        &mut self,
        check: &Check,
        tile: &[&Fact],
        at: &[usize],
        out: &mut [Truth],
    ) -> Result<(), EvalError> {
        self.charge(at.len())?;
        match check {
            Check::AllOf(checks) => self.junction_column(checks, tile, at, out, Truth::Fail),
            Check::AnyOf(checks) => self.junction_column(checks, tile, at, out, Truth::Pass),
            Check::Not(inner) => {
                self.column(inner, tile, at, out)?;
                for &i in at {
                    if let Some(t) = out.get_mut(i) {
                        *t = t.not();
                    }
                }
                Ok(())
            }
            Check::Document(root) => {
                let t = Truth::of(self.subject.has(*root));
                for &i in at {
                    if let Some(slot) = out.get_mut(i) {
                        *slot = t;
                    }
                }
                Ok(())
            }
            Check::Fact(fc) => self.fact_column(fc, tile, at, out),
        }
    }

    /// [`Evaluator::junction_truth`] on each element: the checks in order, each on the elements not
    /// decided yet, and settled on the others.
    fn junction_column(
        &mut self,
        checks: &[Check],
        tile: &[&Fact],
        at: &[usize],
        out: &mut [Truth],
        decisive: Truth,
    ) -> Result<(), EvalError> {
        // by position in `at`: (decided, unknown)
        let mut state = vec![(false, false); at.len()];
        let mut open: Vec<usize> = Vec::with_capacity(at.len());
        let mut truths = vec![Truth::Unknown; tile.len()];
        for c in checks {
            open.clear();
            let texts = self.texts_known(c, tile);
            // the steps of `c` on the decided elements whose field `texts` says is a text
            let mut settled = 0usize;
            for (&i, &(decided, _)) in at.iter().zip(&state) {
                if decided {
                    if let Some((is_text, steps)) = &texts {
                        if is_text.get(i) == Some(&true) {
                            settled = settled.saturating_add(*steps);
                            continue;
                        }
                    }
                    let element = tile.get(i).copied();
                    if !self.settle_fast(c, element)? {
                        self.truth(c, element)?;
                    }
                } else {
                    open.push(i);
                }
            }
            // charged at once: only where a step limit stops the column differs, and a column that
            // stops is decided again an element at a time
            self.charge(settled)?;
            if open.is_empty() {
                continue;
            }
            self.column(c, tile, &open, &mut truths)?;
            for (&i, (decided, unknown)) in at.iter().zip(state.iter_mut()) {
                if *decided {
                    continue;
                }
                match truths.get(i) {
                    Some(t) if *t == decisive => *decided = true,
                    Some(Truth::Unknown) => *unknown = true,
                    _ => {}
                }
            }
        }
        for (&i, &(decided, unknown)) in at.iter().zip(&state) {
            if let Some(slot) = out.get_mut(i) {
                *slot = kleene(decided, unknown, decisive);
            }
        }
        Ok(())
    }

    /// [`Evaluator::settle`], reading an element's field where [`field_of`] finds it.
    fn settle_fast(&mut self, check: &Check, element: Option<&Fact>) -> Result<bool, EvalError> {
        let (Check::Fact(fc), Some(element)) = (check, element) else {
            return self.settle(check, element);
        };
        let Some(fact) = field_of(fc, element) else {
            return self.settle(check, Some(element));
        };
        let steps = match &fact.value {
            FactValue::Unknown(_) => 1,
            v if fc.ops.iter().all(|op| evaluates(v, op)) => fc.ops.len().saturating_add(1),
            _ => return Ok(false),
        };
        self.charge(steps)?;
        Ok(true)
    }

    /// The fact-check part of [`Evaluator::truth`] (after its step) on each element.
    fn fact_column(
        &mut self,
        fc: &FactCheck,
        tile: &[&Fact],
        at: &[usize],
        out: &mut [Truth],
    ) -> Result<(), EvalError> {
        if let ([op @ (Op::Matches(p) | Op::NotMatches(p))], Target::Field(name)) =
            (fc.ops.as_slice(), &fc.target)
        {
            if at.len() >= LINES_MIN {
                if let Some(screened) = self.screen(fc, name, p, tile) {
                    let want = matches!(op, Op::Matches(_));
                    return self.regex_column(fc, (p, want), &screened, tile, at, out);
                }
            }
        }
        for &i in at {
            let Some(element) = tile.get(i).copied() else {
                continue;
            };
            let truth = match field_of(fc, element) {
                Some(fact) => self.ops_truth(fc, fact)?,
                None => self.fact_truth(fc, Some(element))?,
            };
            if let Some(slot) = out.get_mut(i) {
                *slot = truth;
            }
        }
        Ok(())
    }
}

impl Evaluator<'_> {
    /// What the prescreen of `p`, run over the texts of the field `name` of `tile`'s elements joined
    /// ([`Pattern`]'s `may_match_lines`), says of each element; `None` when each text is to be
    /// searched in full as it comes (no prescreen, or the regex does not compile: its error is then
    /// met in place).
    fn screen(
        &self,
        fc: &FactCheck,
        name: &str,
        p: &Pattern,
        tile: &[&Fact],
    ) -> Option<Vec<Screened>> {
        let key = tile_key(tile)?;
        let mut kept = self.shown.lines.borrow_mut();
        let at = match TileLines::find(&kept, key, name) {
            Some(at) => at,
            None => {
                // a forgotten one, or the oldest, goes when full
                let mut entry = if kept.len() == TILE_LINES_KEPT {
                    let gone = kept.iter().position(|t| t.tile == FORGOTTEN).unwrap_or(0);
                    kept.remove(gone)
                } else {
                    TileLines::default()
                };
                entry.fill(key, fc, name, tile);
                kept.push(entry);
                kept.len() - 1
            }
        };
        let entry = kept.get(at)?;
        let may = p.regex.may_match_lines(&p.source, &entry.lines).ok()??;
        Some(
            entry
                .line
                .iter()
                .map(|line| match line {
                    Some((l, truncated)) if may.get(*l) == Some(&false) => Screened::Out {
                        truncated: *truncated,
                    },
                    _ => Screened::Search,
                })
                .collect(),
        )
    }

    /// For a check of `matches`, `not_matches` and `glob` operators on a field whose texts across
    /// `tile` are joined already ([`TileLines`]): whether each element's field is a text, and the
    /// steps settling the check on such an element takes ([`Evaluator::settle_fast`]'s).
    fn texts_known(&self, check: &Check, tile: &[&Fact]) -> Option<(Vec<bool>, usize)> {
        let Check::Fact(fc) = check else {
            return None;
        };
        let Target::Field(name) = &fc.target else {
            return None;
        };
        let textual = |op: &Op| matches!(op, Op::Matches(_) | Op::NotMatches(_) | Op::Glob(_));
        if !fc.ops.iter().all(textual) {
            return None;
        }
        let key = tile_key(tile)?;
        let kept = self.shown.lines.borrow();
        let entry = kept.get(TileLines::find(&kept, key, name)?)?;
        let is_text = entry.line.iter().map(Option::is_some).collect();
        Some((is_text, fc.ops.len().saturating_add(1)))
    }

    /// [`Evaluator::ops_truth`] of a check of the one operator `matches` (`want`) or `not_matches` on
    /// each element, where the prescreen run over the tile has ruled the texts out or in.
    fn regex_column(
        &mut self,
        fc: &FactCheck,
        (p, want): (&Pattern, bool),
        screened: &[Screened],
        tile: &[&Fact],
        at: &[usize],
        out: &mut [Truth],
    ) -> Result<(), EvalError> {
        for &i in at {
            let truth = match screened.get(i) {
                // `op_truth`'s step, then `regex_truth` of a text the pattern is not in
                Some(Screened::Out { truncated }) => {
                    self.step()?;
                    if *truncated {
                        Truth::Unknown
                    } else {
                        Truth::of(!want)
                    }
                }
                _ => {
                    let Some(element) = tile.get(i).copied() else {
                        continue;
                    };
                    match field_of(fc, element) {
                        Some(Fact {
                            value: FactValue::Text(t),
                            ..
                        }) => {
                            self.step()?;
                            let found = p.regex.is_match_screened(&p.source, visible(t));
                            text_regex_truth(p, t, found, want)?
                        }
                        Some(fact) => self.ops_truth(fc, fact)?,
                        None => self.fact_truth(fc, Some(element))?,
                    }
                }
            };
            if let Some(slot) = out.get_mut(i) {
                *slot = truth;
            }
        }
        Ok(())
    }
}

impl Evaluator<'_> {
    /// Forgets the tiles whose texts [`TileLines`] keeps. They are known by where they are: a list
    /// made for a walk (a map's entries as records) is freed after it, and the next one may be made
    /// where it was. So a walk of such a list forgets them first; walks of the subject's own lists
    /// (and walks ahead, which go over those only) keep them for the next.
    pub(super) fn forget_tiles(&self) {
        for kept in self.shown.lines.borrow_mut().iter_mut() {
            kept.tile = FORGOTTEN;
        }
    }
}

/// The key of a [`TileLines`] that names no tile (no tile starts at address 0).
const FORGOTTEN: (usize, usize) = (0, 0);

/// A tile by where it is: (address of its first element, its length).
fn tile_key(tile: &[&Fact]) -> Option<(usize, usize)> {
    Some((std::ptr::from_ref(*tile.first()?) as usize, tile.len()))
}

/// What a prescreen run over a tile's texts says of an element.
#[derive(Debug, Clone, Copy)]
enum Screened {
    /// Its field is a text (`truncated` or not) that the pattern is not in.
    Out { truncated: bool },
    /// Its text is to be searched, or its field is not a text.
    Search,
}

/// Tiles of at least this many undecided elements have a regex check's texts screened together.
const LINES_MIN: usize = 8;

/// Fields whose texts are kept joined, the latest tile of each: the fields one list's regexes read
/// (a history's `created_by`).
const TILE_LINES_KEPT: usize = 4;

/// The texts of the field `field` across a tile of a list, joined ([`Lines`]).
#[derive(Debug, Default)]
pub(crate) struct TileLines {
    /// (address of the tile's first element, its length)
    tile: (usize, usize),
    field: String,
    lines: Lines,
    /// The line of each element of the tile, and whether its text is truncated: `None` when its
    /// field is not a text.
    line: Vec<Option<(usize, bool)>>,
}

impl TileLines {
    /// Where the texts of the field `name` across the tile `key` are in `kept`.
    fn find(kept: &[TileLines], key: (usize, usize), name: &str) -> Option<usize> {
        kept.iter().position(|t| t.tile == key && t.field == name)
    }

    fn fill(&mut self, tile_key: (usize, usize), fc: &FactCheck, name: &str, tile: &[&Fact]) {
        self.tile = tile_key;
        self.field.clear();
        self.field.push_str(name);
        self.lines.clear();
        self.line.clear();
        for element in tile {
            let line = match field_of(fc, element) {
                Some(Fact {
                    value: FactValue::Text(t),
                    ..
                }) => {
                    self.lines.push(visible(t));
                    Some((self.lines.len() - 1, t.truncated))
                }
                _ => None,
            };
            self.line.push(line);
        }
    }
}

/// The field a `Target::Field` check reads in an element record ([`record_field`]); `None` when the
/// element is not a record, or has no such field (for [`Evaluator::truth`]'s general path, which makes
/// that field absent).
#[inline]
fn field_of<'f>(fc: &FactCheck, element: &'f Fact) -> Option<&'f Fact> {
    let (Target::Field(name), FactValue::Map(entries)) = (&fc.target, &element.value) else {
        return None;
    };
    record_field(fc, entries, name)
}

/// The field `name` of a record's `entries`, looked up first where `fc` found it last
/// ([`FactCheck::field_at`]).
#[inline]
pub(super) fn record_field<'f>(
    fc: &FactCheck,
    entries: &'f [(crate::facts::Key, Fact)],
    name: &str,
) -> Option<&'f Fact> {
    let (at, constant) = fc.field_at.get();
    if let Some((k, f)) = entries.get(at) {
        let same_constant = matches!(k, Cow::Borrowed(_))
            && k.as_ptr() as usize == constant
            && k.len() == name.len();
        if same_constant || **k == *name {
            return Some(f);
        }
    }
    let at = entries.iter().position(|(k, _)| **k == *name)?;
    let constant = match entries.get(at) {
        Some((Cow::Borrowed(k), _)) => k.as_ptr() as usize,
        _ => 0,
    };
    fc.field_at.set(at, constant);
    entries.get(at).map(|(_, f)| f)
}
