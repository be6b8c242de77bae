//! The policy text as a small tree of nodes with line/column, read by saphyr's span-carrying loader.
//!
//! YAML and JSON go through the same loader (JSON is YAML 1.2 flow syntax), so a JSON policy gets
//! line/column in its errors too. Scalars keep their source text when they are not strings, so
//! `equals: 8000` on a string fact compares with `"8000"` and `matches: 1.10` keeps both zeros.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::rc::Rc;

/// Deepest nesting accepted; deeper documents are refused rather than risking the stack.
pub const MAX_DEPTH: usize = 128;

/// One node of a policy or waivers document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Where the node was written, when not in the file being compiled: a parameter value given by
    /// an including policy's `with:`. Errors about it point there.
    pub origin: Option<Rc<Origin>>,
}

/// A place in another file: the file and the path of the value there (`include[0].with.max_memory`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: Rc<str>,
    pub path: String,
}

/// A mapping key: always text (a non-string key is kept as written).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    /// A boolean, with its source text.
    Bool(bool, String),
    /// An integer, with its source text (`0x1F`, `010`).
    Int(i64, String),
    /// A floating-point number, kept as its source text only.
    Float(String),
    Str(String),
    List(Vec<Node>),
    /// In document order; keys are unique (the loader rejects duplicates).
    Map(Vec<(Key, Node)>),
    /// Stands for a value whose error was already reported (an undeclared `{param: …}`): readers
    /// refuse it without a second error.
    Invalid,
}

impl Node {
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The value of `key` when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// Scalar text as written, for any scalar but null: strings as they are, numbers and booleans as
    /// in the source.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) | Value::Float(s) | Value::Bool(_, s) | Value::Int(_, s) => Some(s),
            Value::Null | Value::List(_) | Value::Map(_) | Value::Invalid => None,
        }
    }

    /// What the node is, for "expected …, found …" messages: `a mapping`, ``a string `x` ``.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "nothing (null)".to_string(),
            Value::Bool(_, s) => format!("a boolean `{s}`"),
            Value::Int(_, s) => format!("an integer `{s}`"),
            Value::Float(s) => format!("a number `{s}`"),
            Value::Str(s) => format!("a string `{}`", shorten(s)),
            Value::List(_) => "a list".to_string(),
            Value::Map(_) => "a mapping".to_string(),
            Value::Invalid => "an invalid value".to_string(),
        }
    }

    /// Marks this node and everything under it as written at `origin`, where no origin is set yet.
    pub fn set_origin(&mut self, origin: &Rc<Origin>) {
        if self.origin.is_none() {
            self.origin = Some(Rc::clone(origin));
        }
        match &mut self.value {
            Value::List(items) => items.iter_mut().for_each(|n| n.set_origin(origin)),
            Value::Map(entries) => entries.iter_mut().for_each(|(_, n)| n.set_origin(origin)),
            _ => {}
        }
    }
}

/// Cuts long user text for messages.
pub fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

/// Why the text is not a usable document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Widest indentation accepted (leading spaces, tabs and compact `- `/`? ` indicators of a line).
///
/// saphyr's parser recurses once per nesting level; flow nesting is capped at 255 by its scanner, but
/// block nesting is not, and a few thousand levels overflow the stack (a 2 MiB test thread in debug
/// builds, wasm's 1 MiB). Each block level costs at least half a column of indentation, so capping the
/// indentation caps the depth well below that, before the parser runs.
pub const MAX_INDENT: usize = 200;

/// Parses YAML (or JSON) text into one document. An empty text is an empty mapping's absence: `Ok(None)`.
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    if let Some((line, width)) = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            (
                i + 1,
                l.len() - l.trim_start_matches([' ', '\t', '-', '?']).len(),
            )
        })
        .find(|&(_, width)| width > MAX_INDENT)
    {
        return Err(SyntaxError {
            message: format!(
                "line indented {width} columns deep; at most {MAX_INDENT} are accepted"
            ),
            line,
            column: 1,
        });
    }
    let docs = MarkedYaml::load_from_str(text).map_err(|e| SyntaxError {
        message: e.info().to_string(),
        line: e.marker().line(),
        column: e.marker().col() + 1,
    })?;
    let mut docs = docs.into_iter();
    let Some(first) = docs.next() else {
        return Ok(None);
    };
    if let Some(second) = docs.next() {
        return Err(SyntaxError {
            message: "expected one YAML document, found more than one (`---`)".to_string(),
            line: second.span.start.line(),
            column: second.span.start.col() + 1,
        });
    }
    let source = Source::new(text);
    let node = convert(&first, &source, 0)?;
    Ok(match node.value {
        Value::Null => None,
        _ => Some(node),
    })
}

/// Recovers source text from saphyr's character indices.
struct Source<'a> {
    text: &'a str,
    /// Byte offset of each character, when the text is not ASCII (ASCII indices are byte offsets).
    offsets: Option<Vec<usize>>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Self {
        let offsets = (!text.is_ascii()).then(|| {
            let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            v.push(text.len());
            v
        });
        Self { text, offsets }
    }

    fn byte(&self, index: usize) -> Option<usize> {
        match &self.offsets {
            None => Some(index),
            Some(offsets) => offsets.get(index).copied(),
        }
    }

    /// The text between two character indices, trimmed.
    fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        let (s, e) = (self.byte(start)?, self.byte(end)?);
        self.text.get(s..e).map(str::trim)
    }
}

fn convert(yaml: &MarkedYaml<'_>, source: &Source<'_>, depth: usize) -> Result<Node, SyntaxError> {
    let line = yaml.span.start.line();
    let column = yaml.span.start.col() + 1;
    if depth > MAX_DEPTH {
        return Err(SyntaxError {
            message: format!("the document nests deeper than {MAX_DEPTH} levels"),
            line,
            column,
        });
    }
    let raw = |fallback: String| {
        source
            .slice(yaml.span.start.index(), yaml.span.end.index())
            .filter(|s| !s.is_empty())
            .map_or(fallback, str::to_string)
    };
    let value = match &yaml.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b, raw(b.to_string())),
            Scalar::Integer(i) => Value::Int(*i, raw(i.to_string())),
            Scalar::FloatingPoint(f) => Value::Float(raw(f.to_string())),
            Scalar::String(s) => Value::Str(s.to_string()),
        },
        YamlData::Sequence(items) => Value::List(
            items
                .iter()
                .map(|item| convert(item, source, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Mapping(entries) => {
            let mut out = Vec::with_capacity(entries.len());
            let mut merged: Vec<(Key, Node)> = Vec::new();
            for (k, v) in entries {
                let key = convert(k, source, depth + 1)?;
                let name = match key.value {
                    Value::Str(s) => s,
                    Value::Null => String::new(),
                    ref other @ (Value::Bool(..) | Value::Int(..) | Value::Float(_)) => {
                        key_text(other)
                    }
                    Value::List(_) | Value::Map(_) | Value::Invalid => {
                        return Err(SyntaxError {
                            message: "a mapping key must be a string, found a collection"
                                .to_string(),
                            line: key.line,
                            column: key.column,
                        })
                    }
                };
                let value = convert(v, source, depth + 1)?;
                if name == MERGE_KEY && is_plain(k, source) {
                    merged.extend(merge_sources(value, key.line, key.column)?);
                    continue;
                }
                out.push((
                    Key {
                        name,
                        line: key.line,
                        column: key.column,
                    },
                    value,
                ));
            }
            // `<<: *anchor` (YAML 1.1 merge keys, as editors read them): the merged mappings' entries
            // the mapping does not set itself, after its own; an earlier source wins over a later one.
            for (key, value) in merged {
                if !out.iter().any(|(k, _)| k.name == key.name) {
                    out.push((key, value));
                }
            }
            Value::Map(out)
        }
        YamlData::Tagged(_, inner) => return convert(inner, source, depth + 1),
        YamlData::Alias(_) | YamlData::BadValue | YamlData::Representation(..) => {
            return Err(SyntaxError {
                message:
                    "a value that cannot be read (an unknown alias or a tag that does not fit)"
                        .to_string(),
                line,
                column,
            })
        }
    };
    Ok(Node {
        value,
        line,
        column,
        origin: None,
    })
}

/// The merge key of YAML 1.1, which yaml-language-server (and so the schema in an editor) honours.
const MERGE_KEY: &str = "<<";

/// Is the key written plain (`<<`, not `"<<"`)?
fn is_plain(key: &MarkedYaml<'_>, source: &Source<'_>) -> bool {
    let start = key.span.start.index();
    let quoted_before = start
        .checked_sub(1)
        .and_then(|before| source.slice(before, start))
        .is_some_and(|c| c.starts_with(['"', '\'']));
    source.slice(start, key.span.end.index()) == Some(MERGE_KEY) && !quoted_before
}

/// The entries a merge key brings: a mapping's, or those of a list of mappings (the first wins).
fn merge_sources(value: Node, line: usize, column: usize) -> Result<Vec<(Key, Node)>, SyntaxError> {
    let wrong = || SyntaxError {
        message: "a merge key (`<<`) takes a mapping or a list of mappings".to_string(),
        line,
        column,
    };
    match value.value {
        Value::Map(entries) => Ok(entries),
        Value::List(items) => {
            let mut out: Vec<(Key, Node)> = Vec::new();
            for item in items {
                let Value::Map(entries) = item.value else {
                    return Err(wrong());
                };
                for (k, v) in entries {
                    if !out.iter().any(|(seen, _)| seen.name == k.name) {
                        out.push((k, v));
                    }
                }
            }
            Ok(out)
        }
        _ => Err(wrong()),
    }
}

fn key_text(value: &Value) -> String {
    match value {
        Value::Bool(_, s) | Value::Int(_, s) | Value::Float(s) | Value::Str(s) => s.clone(),
        Value::Null | Value::List(_) | Value::Map(_) | Value::Invalid => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Node {
        parse(text).unwrap().unwrap()
    }

    #[test]
    fn yaml_scalars_keep_their_source_text() {
        let n = doc("a: 1.10\nb: 0x1F\nc: yes\nd: true\ne: \"8000\"\nf: 8000\ng: 2026-12-31\nh:\n");
        assert_eq!(n.get("a").unwrap().value, Value::Float("1.10".into()));
        assert_eq!(n.get("b").unwrap().value, Value::Int(31, "0x1F".into()));
        assert_eq!(n.get("c").unwrap().value, Value::Str("yes".into()));
        assert_eq!(n.get("d").unwrap().value, Value::Bool(true, "true".into()));
        assert_eq!(n.get("e").unwrap().value, Value::Str("8000".into()));
        assert_eq!(n.get("f").unwrap().value, Value::Int(8000, "8000".into()));
        assert_eq!(n.get("g").unwrap().value, Value::Str("2026-12-31".into()));
        assert_eq!(n.get("h").unwrap().value, Value::Null);
    }

    #[test]
    fn positions_are_one_based() {
        let n = doc("name: x\nlist:\n  - a\n  - {b: 2}\n");
        let list = n.get("list").unwrap().as_list().unwrap();
        assert_eq!((list[0].line, list[0].column), (3, 5));
        let b = list[1].get("b").unwrap();
        assert_eq!((b.line, b.column), (4, 9));
    }

    #[test]
    fn json_gets_positions_too() {
        let n = doc("{\n\t\"a\":1,\n  \"b\": [1, 2.5, \"x\"]\n}\n");
        let b = n.get("b").unwrap().as_list().unwrap();
        assert_eq!((b[1].line, b[1].column), (3, 12));
        assert_eq!(b[1].value, Value::Float("2.5".into()));
    }

    #[test]
    fn non_ascii_text_keeps_raw_numbers() {
        let n = doc("é: \"ü\"\nn: 012\n");
        assert_eq!(n.get("n").unwrap().value, Value::Int(12, "012".into()));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("duplicated key"));
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.contains("one YAML document"), "{e:?}");
        assert!(parse("").unwrap().is_none());
        assert!(parse("# only a comment\n").unwrap().is_none());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("nests deeper"));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert!(parse(&text).is_err());
    }

    #[test]
    fn deep_flow_and_block_nesting_are_refused() {
        let flow = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&flow).is_err());
        let mut block = String::new();
        for depth in 0..5_000 {
            block.push_str(&" ".repeat(depth * 2));
            block.push_str("- \n");
        }
        let e = parse(&block).unwrap_err();
        assert!(e.message.contains("at most 200"), "{e:?}");
        // Just under the cap, with the most compact nesting (`- - - …`), still parses.
        let compact = format!("{}x\n", "- ".repeat(MAX_INDENT / 2));
        assert!(parse(&compact).is_ok());
    }

    #[test]
    fn merge_keys_bring_the_entries_not_set() {
        let n = doc("a: &r {k: 1, j: 2}\nb:\n  <<: *r\n  k: 3\nc: {<<: [{x: 1}, {x: 2, y: 3}]}\n");
        let b = n.get("b").unwrap().as_map().unwrap();
        let names: Vec<&str> = b.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["k", "j"]);
        assert_eq!(b[0].1.value, Value::Int(3, "3".into()));
        let c = n.get("c").unwrap();
        assert_eq!(c.get("x").unwrap().value, Value::Int(1, "1".into()));
        assert_eq!(c.get("y").unwrap().value, Value::Int(3, "3".into()));
        // quoted, it is an ordinary key
        let q = doc("a: {'<<': {k: 1}}\n");
        assert!(q.get("a").unwrap().get("<<").is_some());
        let e = parse("a: {<<: 1}\n").unwrap_err();
        assert!(e.message.contains("merge key"), "{e:?}");
    }

    #[test]
    fn aliases_are_expanded() {
        let n = doc("a: &x {k: 1}\nb: *x\n");
        assert_eq!(
            n.get("b").unwrap().get("k").unwrap().value,
            Value::Int(1, "1".into())
        );
    }
}
