//! Evidence items and bounded, masked displays of values.
//!
//! Every value printed here goes through [`Fact::display`] / [`crate::facts::Text::shown`], which mask
//! secrets; nothing reads `Text::raw` for output.

use crate::facts::{Fact, FactValue, Root, Str, Subject};
use crate::report::{EvidenceItem, RequirementResult};

/// Elements shown of a list or map before `… (N more)`.
const SHOW_ITEMS: usize = 20;
/// Characters shown of one value before `…`.
const SHOW_CHARS: usize = 240;

/// A masked, bounded display of a value (`30s`, `[8000/tcp]`, `{JWT_SECRET_KEY=***, …}`).
pub(crate) fn show(fact: &Fact) -> String {
    let mut out = String::new();
    // Stop building once past the limit: `clip` cuts the rest anyway, and a history list shown whole
    // would cost thousands of formatted layers.
    show_into(fact, &mut out, SHOW_CHARS + 1);
    if out.len() <= SHOW_CHARS && !has_line_break(&out) {
        return out;
    }
    clip(&out, SHOW_CHARS)
}

/// [`show`] as a shared string (`actual` and the evidence item's `value` are the same text): built in
/// a buffer the thread keeps, then copied once into its own allocation.
pub(crate) fn show_shared(fact: &Fact) -> Str {
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let shared = BUFFER
        .try_with(|buffer| {
            let mut out = buffer.try_borrow_mut().ok()?;
            out.clear();
            show_into(fact, &mut out, SHOW_CHARS + 1);
            Some(if out.len() <= SHOW_CHARS && !has_line_break(&out) {
                Str::shared(&out)
            } else {
                Str::shared(&clip(&out, SHOW_CHARS))
            })
        })
        .ok()
        .flatten();
    shared.unwrap_or_else(|| Str::shared(&show(fact)))
}

/// Appends the display of `fact` to `out` until `out` holds more than `budget` bytes.
fn show_into(fact: &Fact, out: &mut String, budget: usize) {
    if out.len() > budget {
        return;
    }
    match &fact.value {
        FactValue::List(items) => {
            // room for the whole display at once (it stops past the budget): no regrowing
            out.reserve(budget.min(SHOW_CHARS) + 8);
            out.push('[');
            let mut part = String::with_capacity(64);
            for (i, item) in items.iter().take(SHOW_ITEMS).enumerate() {
                if out.len() > budget {
                    return;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                part.clear();
                show_into(item, &mut part, SHOW_CHARS + 1);
                clip_into(&part, SHOW_CHARS, out);
            }
            if items.len() > SHOW_ITEMS {
                out.push_str(&format!(", … ({} more)", items.len() - SHOW_ITEMS));
            }
            out.push(']');
        }
        FactValue::Map(entries) => {
            out.reserve(budget.min(SHOW_CHARS) + 8);
            out.push('{');
            let mut part = String::with_capacity(64);
            for (i, (k, v)) in entries.iter().take(SHOW_ITEMS).enumerate() {
                if out.len() > budget {
                    return;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                part.clear();
                show_into(v, &mut part, SHOW_CHARS + 1);
                clip_into(&part, SHOW_CHARS, out);
            }
            if entries.len() > SHOW_ITEMS {
                out.push_str(&format!(", … ({} more)", entries.len() - SHOW_ITEMS));
            }
            out.push('}');
        }
        _ => fact.value.display_into(out),
    }
}

fn has_line_break(s: &str) -> bool {
    s.bytes().any(|b| b == b'\r' || b == b'\n')
}

/// At most `max` characters, ending in `…` when cut, on one line (line breaks written as `\n`, so a
/// multi-line `RUN` heredoc or label keeps messages to one line).
fn clip(s: &str, max: usize) -> String {
    let mut out = String::new();
    clip_into(s, max, &mut out);
    out
}

/// Appends [`clip`]`(s, max)` to `out`, looking at no more than the first `max + 1` characters of `s`.
fn clip_into(s: &str, max: usize, out: &mut String) {
    let keep = max.saturating_sub(1);
    // Plain ASCII without line breaks (the usual case): characters are bytes.
    let head = s
        .as_bytes()
        .get(..max.saturating_add(1))
        .unwrap_or(s.as_bytes());
    if head
        .iter()
        .all(|&b| b.is_ascii() && b != b'\r' && b != b'\n')
    {
        match s.get(..keep) {
            Some(kept) if s.len() > max => {
                out.push_str(kept);
                out.push('…');
            }
            _ => out.push_str(s),
        }
        return;
    }
    // Find where the shown text ends: after `keep` characters of output (an escaped line break is two
    // output characters, and the cut may fall between them), and whether more than `max` follow.
    let mut count = 0;
    let mut cut = None;
    for (at, c) in s.char_indices() {
        let width = if c == '\r' || c == '\n' { 2 } else { 1 };
        if cut.is_none() && count + width > keep {
            cut = Some((at, keep - count));
        }
        count += width;
        if count > max {
            if let Some((at, half)) = cut {
                push_one_line(s.get(..at).unwrap_or_default(), out);
                if half > 0 {
                    out.push('\\');
                }
            }
            out.push('…');
            return;
        }
    }
    push_one_line(s, out);
}

/// Appends `s` with `\r` and `\n` written as `\\r` and `\\n`.
fn push_one_line(s: &str, out: &mut String) {
    let mut from = 0;
    for (at, b) in s.bytes().enumerate() {
        let escape = match b {
            b'\r' => "\\r",
            b'\n' => "\\n",
            _ => continue,
        };
        out.push_str(s.get(from..at).unwrap_or_default());
        out.push_str(escape);
        from = at + 1;
    }
    out.push_str(s.get(from..).unwrap_or_default());
}

/// The evidence item for a fact: where it was read, its masked value, and for history facts the
/// layer and its instruction. `None` for derived facts (no single source).
pub(crate) fn item(subject: &Subject, fact: &Fact) -> Option<EvidenceItem> {
    fact.evidence.as_ref()?;
    item_showing(subject, fact, show_shared(fact))
}

/// [`item`] with the value already shown (`value` is [`show_shared`]`(fact)`).
pub(crate) fn item_showing(subject: &Subject, fact: &Fact, value: Str) -> Option<EvidenceItem> {
    let ev = fact.evidence.as_ref()?;
    Some(EvidenceItem {
        document: ev.document.clone(),
        pointer: ev.pointer.clone(),
        line: ev.line().map(|l| l as usize),
        layer: ev.layer().map(|l| l as usize),
        instruction: ev.layer().and_then(|l| instruction(subject, l as usize)),
        value: Some(value),
    })
}

/// The history layer record at `layer` (0-based, oldest first): the record at that position when its
/// `index` agrees (the usual case, O(1)), else the record whose `index` is `layer`.
fn layer_record(subject: &Subject, layer: usize) -> Option<&Fact> {
    let layers = subject.root(Root::History)?.as_list()?;
    let index_of = |record: &Fact| match record.get("index").map(|i| &i.value) {
        Some(FactValue::Int(i)) => usize::try_from(*i).ok(),
        _ => None,
    };
    match layers.get(layer) {
        Some(record) if index_of(record).is_none_or(|i| i == layer) => Some(record),
        _ => layers.iter().find(|r| index_of(r) == Some(layer)),
    }
}

/// The masked Dockerfile line of a history layer (`ENV JWT_SECRET_KEY=***`, `RUN pip install …`).
pub(crate) fn instruction(subject: &Subject, layer: usize) -> Option<String> {
    let created_by = layer_record(subject, layer)?.get("created_by")?;
    let text = created_by.as_text()?;
    let mut shown = text.shown().to_string();
    if text.truncated && !text.secret && !shown.ends_with('…') {
        shown.push('…');
    }
    Some(clip(&short_instruction(&shown), SHOW_CHARS))
}

/// `/bin/sh -c #(nop)  ENV A=b` → `ENV A=b`; `/bin/sh -c apt-get …` → `RUN apt-get …`.
fn short_instruction(created_by: &str) -> String {
    let s = created_by.trim();
    if let Some((_, rest)) = s.split_once("#(nop)") {
        return rest.trim().to_string();
    }
    if let Some(rest) = s.strip_prefix("/bin/sh -c ") {
        return format!("RUN {}", rest.trim());
    }
    s.to_string()
}

/// The evidence item for the newest history layer whose `ENV` instruction sets `key`, when history was
/// given.
pub(crate) fn env_layer(subject: &Subject, key: &str) -> Option<EvidenceItem> {
    let layers = subject.root(Root::History)?.as_list()?;
    let (position, record) = layers
        .iter()
        .enumerate()
        .rev()
        .find(|(_, record)| sets_env(record, key))?;
    let layer = match record.get("index").map(|i| &i.value) {
        Some(FactValue::Int(i)) => usize::try_from(*i).unwrap_or(position),
        _ => position,
    };
    let created_by = record.get("created_by")?;
    let ev = created_by.evidence.as_ref().or(record.evidence.as_ref())?;
    Some(EvidenceItem {
        document: ev.document.clone(),
        pointer: ev.pointer.clone(),
        line: ev.line().map(|l| l as usize),
        layer: Some(layer),
        instruction: instruction(subject, layer),
        value: None,
    })
}

/// Is this history layer an `ENV` instruction setting `key` (`ENV KEY=value` or `ENV KEY value`)?
fn sets_env(record: &Fact, key: &str) -> bool {
    let Some(created_by) = record.get("created_by").and_then(Fact::as_text) else {
        return false;
    };
    let raw = created_by.raw.as_str();
    let is_env = match record.get("instruction").and_then(Fact::as_text) {
        Some(instruction) => instruction.raw == "ENV",
        None => {
            let s = raw
                .split_once("#(nop)")
                .map_or(raw, |(_, rest)| rest)
                .trim_start();
            s.starts_with("ENV ")
        }
    };
    if !is_env || key.is_empty() {
        return false;
    }
    // `key` must stand alone: after the start or whitespace, before `=` or whitespace.
    raw.match_indices(key).any(|(at, _)| {
        let before = raw.get(..at).and_then(|s| s.chars().next_back());
        let after = raw.get(at + key.len()..).and_then(|s| s.chars().next());
        before.is_none_or(char::is_whitespace)
            && after.is_some_and(|c| c == '=' || c.is_whitespace())
    })
}

/// Puts evidence on a result: duplicates (same document, pointer and layer) dropped, at most `max`
/// kept, the rest counted, plus `uncounted` items of elements that were decided but not explained.
pub(crate) fn finish(
    result: &mut RequirementResult,
    items: Vec<EvidenceItem>,
    uncounted: usize,
    max: usize,
) {
    let (kept, omitted) = bound(items, uncounted, max);
    result.evidence = kept;
    result.evidence_omitted = omitted;
}

/// [`finish`]'s evidence and count of omitted items.
fn bound(mut items: Vec<EvidenceItem>, uncounted: usize, max: usize) -> (Vec<EvidenceItem>, usize) {
    if items.len() <= FEW_ITEMS {
        // the usual case (most results have one item, or none): compared in place, nothing copied or
        // allocated. `items[..unique]` are the distinct items met so far, in their order; an item
        // met again is swapped past them, among those already looked at, and dropped at the end.
        let same = |a: &EvidenceItem, b: &EvidenceItem| {
            a.pointer == b.pointer && a.layer == b.layer && a.document == b.document
        };
        let mut unique = 0;
        for i in 0..items.len() {
            let (seen, rest) = items.split_at(i);
            let Some(item) = rest.first() else { break };
            if seen
                .get(..unique)
                .is_some_and(|seen| !seen.iter().any(|k| same(k, item)))
            {
                items.swap(unique, i);
                unique += 1;
            }
        }
        items.truncate(unique);
        let omitted = uncounted + items.len().saturating_sub(max);
        items.truncate(max);
        return (items, omitted);
    }
    bound_by_set(items, uncounted, max)
}

/// [`bound`] with a set of the items seen (any number of them).
fn bound_by_set(
    items: Vec<EvidenceItem>,
    mut omitted: usize,
    max: usize,
) -> (Vec<EvidenceItem>, usize) {
    let mut seen = std::collections::BTreeSet::new();
    let mut kept: Vec<EvidenceItem> = Vec::new();
    for item in items {
        if !seen.insert((item.document.clone(), item.pointer.clone(), item.layer)) {
            continue;
        }
        if kept.len() < max {
            kept.push(item);
        } else {
            omitted += 1;
        }
    }
    (kept, omitted)
}

/// Up to this many evidence items are told apart by comparing each with those kept; more go through a
/// set.
const FEW_ITEMS: usize = 16;

#[cfg(test)]
mod tests {
    use super::clip;
    use proptest::prelude::*;

    /// The definition `clip` implements in one pass.
    fn reference(s: &str, max: usize) -> String {
        let one_line = s.replace('\r', "\\r").replace('\n', "\\n");
        if one_line.chars().count() <= max {
            return one_line;
        }
        let mut out: String = one_line.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }

    #[test]
    fn clip_cuts_on_characters_and_escapes_line_breaks() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("a\nb", 4), "a\\nb");
        assert_eq!(clip("a\nb", 3), "a\\…");
        assert_eq!(clip("ééé", 2), "é…");
        assert_eq!(clip("x", 0), "…");
        assert_eq!(clip("", 0), "");
    }

    fn item(document: u8, pointer: u8, layer: Option<u8>) -> crate::report::EvidenceItem {
        crate::report::EvidenceItem {
            document: format!("d{document}").into(),
            pointer: format!("/{pointer}").into(),
            line: None,
            layer: layer.map(usize::from),
            instruction: None,
            value: Some(format!("v{pointer}").into()),
        }
    }

    proptest! {
        /// The in-place comparison of a few items keeps and counts what the set does.
        #[test]
        fn few_items_are_bounded_as_by_the_set(
            keys in proptest::collection::vec((0u8..2, 0u8..4, proptest::option::of(0u8..2)), 0..=super::FEW_ITEMS),
            uncounted in 0usize..3,
            max in 0usize..6,
        ) {
            let items: Vec<_> = keys.iter().map(|&(d, p, l)| item(d, p, l)).collect();
            prop_assert_eq!(
                super::bound(items.clone(), uncounted, max),
                super::bound_by_set(items, uncounted, max)
            );
        }

        #[test]
        fn clip_is_the_reference(s in "[a\\r\\né€\\u{1F600}]{0,40}", max in 0usize..45) {
            prop_assert_eq!(clip(&s, max), reference(&s, max));
        }
    }
}
