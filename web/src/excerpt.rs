//! Evidence excerpts: the JSON around a pointer in a dump, pretty-printed, with the pointed-at member
//! marked and every value the engine masked (secrets) shown masked. Pure; tested natively.

use clearance_core::facts::{Fact, FactValue, Subject};
use clearance_core::input::{Document, Json};
use serde_json::Value;

/// Lines of context kept before and after the marked member.
const CONTEXT: usize = 4;
/// Most lines of the marked member itself.
const MAX_MARKED: usize = 24;

/// One line of an excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// Part of the member the evidence points at.
    pub mark: bool,
}

/// The JSON around one piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The pointer of the value shown (the parent of the evidence, or the deepest part that exists).
    pub shown: String,
    /// The 1-based line of a JSON-lines document the excerpt comes from.
    pub line: Option<usize>,
    /// Set when the evidence points at a member the document does not have (an absent fact).
    pub missing: Option<String>,
    /// Lines were left out before / after the kept window.
    pub cut_before: bool,
    pub cut_after: bool,
    pub lines: Vec<Line>,
}

/// A value the engine shows masked: where it was read, its raw text, and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    pub document: String,
    pub pointer: String,
    pub raw: String,
    pub shown: String,
}

/// Every masked value of the subjects' facts.
pub fn masks(subjects: &[Subject]) -> Vec<Mask> {
    fn walk(fact: &Fact, out: &mut Vec<Mask>) {
        match &fact.value {
            FactValue::Text(t) => {
                if let Some(ev) = &fact.evidence {
                    let shown = t.shown();
                    if shown != t.raw.as_str() {
                        out.push(Mask {
                            document: ev.document.to_string(),
                            pointer: ev.pointer.to_string(),
                            raw: t.raw.to_string(),
                            shown: shown.to_string(),
                        });
                    }
                }
            }
            FactValue::List(items) => items.iter().for_each(|f| walk(f, out)),
            FactValue::Map(entries) => entries.iter().for_each(|(_, f)| walk(f, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for s in subjects {
        walk(&s.facts, &mut out);
    }
    out
}

/// RFC 6901 pointer → tokens (`~1` → `/`, `~0` → `~`).
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn child<'a>(value: &'a Json, token: &str) -> Option<&'a Json> {
    match value {
        Json::Object(map) => map.get(token),
        Json::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    }
}

/// Masks a string read at `pointer` the way the engine shows it.
fn masked(masks: &[&Mask], pointer: &str, s: &str) -> String {
    for m in masks.iter().filter(|m| m.pointer == pointer) {
        if s == m.raw {
            return m.shown.clone();
        }
        if !m.raw.is_empty() {
            if let Some(prefix) = s.strip_suffix(m.raw.as_str()) {
                return format!("{prefix}{}", m.shown);
            }
        }
    }
    s.to_string()
}

struct Printer<'a> {
    masks: &'a [&'a Mask],
    lines: Vec<Line>,
}

impl Printer<'_> {
    fn string(&self, pointer: &str, s: &str) -> String {
        Value::String(masked(self.masks, pointer, s)).to_string()
    }

    /// Writes `value` (whose first line starts with `lead`) at `indent`.
    fn value(
        &mut self,
        value: &Json,
        pointer: &str,
        indent: usize,
        lead: String,
        tail: &str,
        mark: bool,
    ) {
        let pad = "  ".repeat(indent);
        match value {
            Json::Object(map) if !map.is_empty() => {
                self.push(format!("{pad}{lead}{{"), mark);
                let n = map.len();
                for (i, (k, v)) in map.iter().enumerate() {
                    let lead = format!("{}: ", Value::String(k.to_string()));
                    let comma = if i + 1 < n { "," } else { "" };
                    self.value(
                        v,
                        &format!("{pointer}/{}", escape(k)),
                        indent + 1,
                        lead,
                        comma,
                        mark,
                    );
                }
                self.push(format!("{pad}}}{tail}"), mark);
            }
            Json::Array(items) if !items.is_empty() => {
                self.push(format!("{pad}{lead}["), mark);
                let n = items.len();
                for (i, v) in items.iter().enumerate() {
                    let comma = if i + 1 < n { "," } else { "" };
                    self.value(
                        v,
                        &format!("{pointer}/{i}"),
                        indent + 1,
                        String::new(),
                        comma,
                        mark,
                    );
                }
                self.push(format!("{pad}]{tail}"), mark);
            }
            Json::String(s) => {
                let text = self.string(pointer, s);
                self.push(format!("{pad}{lead}{text}{tail}"), mark);
            }
            other => self.push(format!("{pad}{lead}{other}{tail}"), mark),
        }
    }

    fn push(&mut self, text: String, mark: bool) {
        self.lines.push(Line { text, mark });
    }
}

/// The excerpt for one piece of evidence, or `None` when the document is not among `documents`.
pub fn excerpt(
    documents: &[Document],
    masks: &[Mask],
    document: &str,
    pointer: &str,
) -> Option<Excerpt> {
    let doc = documents.iter().find(|d| &*d.name == document)?;
    let masks: Vec<&Mask> = masks.iter().filter(|m| m.document == document).collect();
    let toks = tokens(pointer);
    // Walk down as far as the document goes.
    let mut path: Vec<&Json> = vec![&doc.value];
    let mut found = 0;
    for t in &toks {
        match path.last().and_then(|v| child(v, t)) {
            Some(next) => {
                path.push(next);
                found += 1;
            }
            None => break,
        }
    }
    let complete = found == toks.len();
    // Show the parent of the target with the target marked, or the deepest existing value when a
    // member is missing.
    let (shown_depth, marked, missing) = if complete {
        if toks.is_empty() {
            (0, None, None)
        } else {
            (found - 1, toks.get(found - 1).cloned(), None)
        }
    } else {
        (found, None, toks.get(found).cloned())
    };
    let shown_value = path.get(shown_depth).copied()?;
    let shown_pointer: String = toks
        .iter()
        .take(shown_depth)
        .map(|t| format!("/{}", escape(t)))
        .collect();
    let line = toks
        .first()
        .and_then(|t| t.parse::<usize>().ok())
        .and_then(|i| doc.lines.get(i).copied())
        .filter(|_| shown_depth >= 1);

    let mut printer = Printer {
        masks: &masks,
        lines: Vec::new(),
    };
    match (shown_value, &marked) {
        (Json::Object(map), Some(key)) => {
            printer.push("{".into(), false);
            let n = map.len();
            for (i, (k, v)) in map.iter().enumerate() {
                let lead = format!("{}: ", Value::String(k.to_string()));
                let comma = if i + 1 < n { "," } else { "" };
                let p = format!("{shown_pointer}/{}", escape(k));
                printer.value(v, &p, 1, lead, comma, k == key);
            }
            printer.push("}".into(), false);
        }
        (Json::Array(items), Some(key)) => {
            printer.push("[".into(), false);
            let n = items.len();
            for (i, v) in items.iter().enumerate() {
                let comma = if i + 1 < n { "," } else { "" };
                let p = format!("{shown_pointer}/{i}");
                printer.value(v, &p, 1, String::new(), comma, i.to_string() == *key);
            }
            printer.push("]".into(), false);
        }
        (value, _) => printer.value(
            value,
            &shown_pointer,
            0,
            String::new(),
            "",
            marked.is_none() && missing.is_none(),
        ),
    }
    let lines = printer.lines;
    let (start, end) = window(&lines);
    Some(Excerpt {
        shown: shown_pointer,
        line,
        missing,
        cut_before: start > 0,
        cut_after: end < lines.len(),
        lines: lines.into_iter().skip(start).take(end - start).collect(),
    })
}

/// The window of lines to keep: the marked run (capped) with context, or the first lines.
fn window(lines: &[Line]) -> (usize, usize) {
    let first = lines.iter().position(|l| l.mark);
    let last = lines.iter().rposition(|l| l.mark);
    match (first, last) {
        (Some(a), Some(b)) => {
            let b = b.min(a + MAX_MARKED - 1);
            (
                a.saturating_sub(CONTEXT),
                (b + 1 + CONTEXT).min(lines.len()),
            )
        }
        _ => (0, lines.len().min(2 * CONTEXT + 1 + MAX_MARKED / 2)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clearance_core::input::DocumentKind;
    use serde_json::json;

    fn doc(value: Value) -> Document {
        Document {
            name: "inspect.json".into(),
            kind: DocumentKind::DockerImageInspect,
            value: value.into(),
            lines: Vec::new(),
        }
    }

    #[test]
    fn marks_the_member_and_masks_secrets() {
        let d = doc(
            json!([{"Config": {"User": "", "Env": ["PATH=/usr/bin", "JWT_SECRET_KEY=hunter2"]}}]),
        );
        let masks = vec![Mask {
            document: "inspect.json".into(),
            pointer: "/0/Config/Env/1".into(),
            raw: "hunter2".into(),
            shown: "***".into(),
        }];
        let e = excerpt(&[d], &masks, "inspect.json", "/0/Config/Env").unwrap();
        assert_eq!(e.shown, "/0/Config");
        let text: Vec<_> = e.lines.iter().map(|l| (l.text.as_str(), l.mark)).collect();
        assert_eq!(
            text,
            [
                ("{", false),
                ("  \"User\": \"\",", false),
                ("  \"Env\": [", true),
                ("    \"PATH=/usr/bin\",", true),
                ("    \"JWT_SECRET_KEY=***\"", true),
                ("  ]", true),
                ("}", false),
            ]
        );
        assert!(!e.lines.iter().any(|l| l.text.contains("hunter2")));
    }

    #[test]
    fn missing_member_shows_the_deepest_part_found() {
        let d = doc(json!([{"Config": {"User": "app"}}]));
        let e = excerpt(&[d], &[], "inspect.json", "/0/Config/Healthcheck/Interval").unwrap();
        assert_eq!(e.shown, "/0/Config");
        assert_eq!(e.missing.as_deref(), Some("Healthcheck"));
        assert!(e.lines.iter().all(|l| !l.mark));
        assert_eq!(e.lines.len(), 3);
    }

    #[test]
    fn array_element_and_json_lines_line_number() {
        let mut d = doc(json!([{"CreatedBy": "a"}, {"CreatedBy": "b"}]));
        d.lines = vec![1, 2];
        let e = excerpt(&[d], &[], "inspect.json", "/1/CreatedBy").unwrap();
        assert_eq!(e.line, Some(2));
        assert_eq!(
            e.lines,
            [
                Line {
                    text: "{".into(),
                    mark: false
                },
                Line {
                    text: "  \"CreatedBy\": \"b\"".into(),
                    mark: true
                },
                Line {
                    text: "}".into(),
                    mark: false
                }
            ]
        );
    }

    #[test]
    fn long_documents_are_windowed_and_unknown_documents_give_none() {
        let map: serde_json::Map<String, Value> =
            (0..40).map(|i| (format!("k{i:02}"), json!(i))).collect();
        let d = doc(Value::Object(map));
        let e = excerpt(std::slice::from_ref(&d), &[], "inspect.json", "/k20").unwrap();
        assert!(e.cut_before && e.cut_after);
        assert_eq!(e.lines.len(), 2 * CONTEXT + 1);
        assert!(excerpt(&[d], &[], "other.json", "/k20").is_none());
        assert_eq!(tokens("/a~1b/c~0d"), ["a/b", "c~d"]);
    }
}
