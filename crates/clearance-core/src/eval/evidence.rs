//! Evidence items and bounded, masked displays of values.
//!
//! Every value printed here goes through [`Fact::display`] / [`crate::facts::Text::shown`], which mask
//! secrets; nothing reads `Text::raw` for output.

use crate::facts::{Fact, FactValue, Root, Subject};
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
    clip(&out, SHOW_CHARS)
}

/// Appends the display of `fact` to `out` until `out` holds more than `budget` bytes.
fn show_into(fact: &Fact, out: &mut String, budget: usize) {
    if out.len() > budget {
        return;
    }
    match &fact.value {
        FactValue::List(items) => {
            out.push('[');
            for (i, item) in items.iter().take(SHOW_ITEMS).enumerate() {
                if out.len() > budget {
                    return;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                let mut part = String::new();
                show_into(item, &mut part, SHOW_CHARS + 1);
                out.push_str(&clip(&part, SHOW_CHARS));
            }
            if items.len() > SHOW_ITEMS {
                out.push_str(&format!(", … ({} more)", items.len() - SHOW_ITEMS));
            }
            out.push(']');
        }
        FactValue::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().take(SHOW_ITEMS).enumerate() {
                if out.len() > budget {
                    return;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                let mut part = String::new();
                show_into(v, &mut part, SHOW_CHARS + 1);
                out.push_str(&clip(&part, SHOW_CHARS));
            }
            if entries.len() > SHOW_ITEMS {
                out.push_str(&format!(", … ({} more)", entries.len() - SHOW_ITEMS));
            }
            out.push('}');
        }
        _ => out.push_str(&fact.display()),
    }
}

/// At most `max` characters, ending in `…` when cut, on one line (line breaks written as `\n`, so a
/// multi-line `RUN` heredoc or label keeps messages to one line).
fn clip(s: &str, max: usize) -> String {
    if s.len() <= max && !s.contains(['\r', '\n']) {
        return s.to_string();
    }
    // Only the first `max + 1` characters can be shown (escaping only lengthens): work on those.
    let end = s.char_indices().nth(max + 1).map_or(s.len(), |(i, _)| i);
    let head = s.get(..end).unwrap_or(s);
    let one_line: std::borrow::Cow<'_, str> = if head.contains(['\r', '\n']) {
        head.replace('\r', "\\r").replace('\n', "\\n").into()
    } else {
        head.into()
    };
    let count = one_line.chars().count();
    if end == s.len() && count <= max {
        return one_line.into_owned();
    }
    let cut = one_line
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(one_line.len(), |(i, _)| i);
    let mut out = String::with_capacity(cut + 3);
    out.push_str(one_line.get(..cut).unwrap_or_default());
    out.push('…');
    out
}

/// The evidence item for a fact: where it was read, its masked value, and for history facts the
/// layer and its instruction. `None` for derived facts (no single source).
pub(crate) fn item(subject: &Subject, fact: &Fact) -> Option<EvidenceItem> {
    let ev = fact.evidence.as_ref()?;
    let value = match &fact.value {
        FactValue::Unknown(_) | FactValue::Absent => clip(&fact.display(), SHOW_CHARS),
        _ => show(fact),
    };
    Some(EvidenceItem {
        document: ev.document.clone(),
        pointer: ev.pointer.to_string(),
        line: ev.line.map(|l| l as usize),
        layer: ev.layer.map(|l| l as usize),
        instruction: ev.layer.and_then(|l| instruction(subject, l as usize)),
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
        pointer: ev.pointer.to_string(),
        line: ev.line.map(|l| l as usize),
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
    let mut seen = std::collections::BTreeSet::new();
    let mut kept: Vec<EvidenceItem> = Vec::new();
    let mut omitted = uncounted;
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
    result.evidence = kept;
    result.evidence_omitted = omitted;
}

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

    proptest! {
        #[test]
        fn clip_is_the_reference(s in "[a\\r\\né€\\u{1F600}]{0,40}", max in 0usize..45) {
            prop_assert_eq!(clip(&s, max), reference(&s, max));
        }
    }
}
