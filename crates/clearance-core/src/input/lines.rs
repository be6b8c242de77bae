//! `docker history --format '{{json .}}'` JSON lines in their usual shape, read straight into the fields
//! the facts need, without the JSON tree (for `api::check`, which never looks at the tree of a history).
//!
//! The usual shape is what docker prints: objects of the six string fields `ID`, `CreatedAt`,
//! `CreatedBy`, `CreatedSince`, `Size` and `Comment`. Anything else (another key, a repeated key, a
//! value that is not a string, a size that does not read, a syntax error, a line that is not
//! recognisable as a `docker history` line on its own, more lines than the limit) gives `None`, and the
//! document is read through the tree as before, so that every error is the one it always was. A string
//! without escapes is kept as a range of the text, which the facts then share.

use super::{parse, Document, DocumentKind, DocumentSummary, Limits};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// The lines of a `docker history` document, read.
#[derive(Debug)]
pub(crate) struct Lines {
    /// The document's text: the facts' strings are parts of it.
    pub text: Arc<str>,
    /// In document order (newest first).
    pub entries: Vec<Line>,
    /// How many `CreatedBy` lines end in `…` (printed truncated).
    pub truncated: usize,
}

/// The fields of one line that the facts read.
#[derive(Debug)]
pub(crate) struct Line {
    pub id: Field,
    pub created: Field,
    pub created_by: Field,
    /// The size in bytes (`None`: no `Size`).
    pub size: Option<u64>,
    pub comment: Field,
}

/// A string field: absent, a range of the text (no escapes), or its own text (it had escapes).
#[derive(Debug)]
pub(crate) enum Field {
    Absent,
    Part(std::ops::Range<usize>),
    Own(Box<str>),
}

impl Field {
    fn of(text: &str, value: Maybe) -> Field {
        match value {
            Maybe::Missing => Field::Absent,
            Maybe::Str(Cow::Borrowed(s)) => {
                let start = (s.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
                let end = start.wrapping_add(s.len());
                if text.get(start..end) == Some(s) {
                    Field::Part(start..end)
                } else {
                    Field::Own(s.into())
                }
            }
            Maybe::Str(Cow::Owned(s)) => Field::Own(s.into_boxed_str()),
        }
    }

    /// The string, read in `text` when it is a part of it.
    pub fn get<'t>(&'t self, text: &'t str) -> Option<&'t str> {
        match self {
            Field::Absent => None,
            Field::Part(range) => text.get(range.clone()),
            Field::Own(s) => Some(s),
        }
    }
}

/// One line as docker prints it. A missing field is [`Maybe::Missing`]; `null` or any other type, an
/// unknown or a repeated key is an error (the tree reads those).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw<'a> {
    #[serde(rename = "ID", default, borrow)]
    id: Maybe<'a>,
    #[serde(rename = "CreatedAt", default, borrow)]
    created: Maybe<'a>,
    #[serde(rename = "CreatedBy", default, borrow)]
    created_by: Maybe<'a>,
    #[serde(rename = "CreatedSince", default, borrow)]
    created_since: Maybe<'a>,
    #[serde(rename = "Size", default, borrow)]
    size: Maybe<'a>,
    #[serde(rename = "Comment", default, borrow)]
    comment: Maybe<'a>,
}

/// A string field, or none.
#[derive(Default)]
enum Maybe<'a> {
    #[default]
    Missing,
    Str(Cow<'a, str>),
}

impl Maybe<'_> {
    fn is_some(&self) -> bool {
        matches!(self, Maybe::Str(_))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Maybe<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor(std::marker::PhantomData))
    }
}

/// Strings only (`null` is an error: the tree tells it from a missing key).
struct StrVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for StrVisitor<'a> {
    type Value = Maybe<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Maybe<'a>, E> {
        Ok(Maybe::Str(Cow::Borrowed(s)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Maybe<'a>, E> {
        Ok(Maybe::Str(Cow::Owned(s.to_string())))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Maybe<'a>, E> {
        Ok(Maybe::Str(Cow::Owned(s)))
    }
}

/// Reads `text` as `docker history` lines in the usual shape, or `None` (read it through the tree).
/// The document is what [`super::read`] makes of the same text, with no entries in its value (the
/// lines are given instead).
pub(crate) fn read(
    document: &str,
    text: &str,
    hint: Option<DocumentKind>,
    limits: &Limits,
) -> Option<(Document, Lines)> {
    if !matches!(hint, None | Some(DocumentKind::DockerHistory))
        || limits.max_depth == 0
        || !text.trim_start().starts_with('{')
    {
        return None;
    }
    let (raws, lines) = parse::values::<Raw>(text).ok()?;
    if raws.is_empty() || raws.len() > limits.max_layers {
        return None;
    }
    let mut entries = Vec::with_capacity(raws.len());
    let mut truncated = 0;
    for raw in raws {
        // recognised on its own as a `docker history` line (`detect::classify`, whose first test
        // this is): every line then is, whatever the others are
        let recognised = raw.created_since.is_some()
            || (raw.created_by.is_some() && raw.created.is_some())
            || (raw.id.is_some() && raw.created_by.is_some());
        if !recognised {
            return None;
        }
        let size = match &raw.size {
            Maybe::Missing => None,
            Maybe::Str(s) => Some(crate::facts::size::parse(s)?),
        };
        if let Maybe::Str(by) = &raw.created_by {
            truncated += usize::from(by.ends_with('…'));
        }
        entries.push(Line {
            id: Field::of(text, raw.id),
            created: Field::of(text, raw.created),
            created_by: Field::of(text, raw.created_by),
            size,
            comment: Field::of(text, raw.comment),
        });
    }
    let doc = Document {
        name: document.into(),
        kind: DocumentKind::DockerHistory,
        value: super::Json::Array(Vec::new()),
        lines,
    };
    let lines = Lines {
        text: Arc::from(text),
        entries,
        truncated,
    };
    Some((doc, lines))
}

impl Lines {
    /// What [`super::summarize`] says of the document these lines were read from.
    pub fn summary(&self, doc: &Document) -> DocumentSummary {
        let notes = super::truncated_note(self.truncated, self.entries.len())
            .into_iter()
            .collect();
        DocumentSummary {
            name: doc.name.to_string(),
            kind: doc.kind,
            kind_label: doc.kind.label(),
            entries: self.entries.len(),
            label: None,
            notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::{Root, Subject};
    use crate::input::{self, Document, InputError, Limits};

    fn subjects(
        mut docs: Vec<Document>,
        lines: &[Option<super::Lines>],
    ) -> Result<Vec<Subject>, InputError> {
        input::subjects_lazy_lines(&mut docs, lines)?
            .into_iter()
            .map(|p| p.build(&Root::ALL))
            .collect()
    }

    /// Reads `text` both ways: the same summary and facts (or the same error). Whether it was read
    /// without the tree.
    fn same(text: &str) -> bool {
        let limits = Limits::default();
        let fast = input::read_for_check("h.jsonl", text.as_bytes(), None, &limits);
        let slow = input::read("h.jsonl", text.as_bytes(), None, &limits);
        match (fast, slow) {
            (Ok(fast), Ok(slow)) => {
                let was_fast = fast.lines.is_some();
                assert_eq!(
                    input::summary(&fast.doc, fast.lines.as_ref()),
                    input::summarize(&slow)
                );
                assert_eq!(fast.doc.lines, slow.lines);
                let a = subjects(vec![fast.doc], &[fast.lines]);
                let b = input::subjects(std::slice::from_ref(&slow));
                assert_eq!(a, b, "{text}");
                let c = subjects(vec![slow], &[]);
                assert_eq!(a, c, "{text}");
                was_fast
            }
            (Err(fast), Err(slow)) => {
                assert_eq!(fast, slow);
                false
            }
            (fast, slow) => panic!("{text}: {fast:?} {slow:?}", fast = fast.map(|r| r.doc)),
        }
    }

    #[test]
    fn the_usual_lines_give_the_facts_of_the_tree() {
        let lines = [
            r#"{"Comment":"buildkit.dockerfile.v0","CreatedAt":"2026-11-01T10:00:00Z","CreatedBy":"RUN /bin/sh -c apt-get install -y pkg \u0026\u0026 rm -rf /var/lib/apt/lists/* # buildkit","CreatedSince":"3 weeks ago","ID":"sha256:0123456789abcdef","Size":"12.3MB"}"#,
            r#"{"Comment":"","CreatedAt":"2026-11-01T10:00:00Z","CreatedBy":"/bin/sh -c #(nop)  CMD [\"bash\"]","CreatedSince":"3 weeks ago","ID":"\u003cmissing\u003e","Size":"0B"}"#,
            r#"{"CreatedAt":"x","CreatedBy":"ENV DB_PASSWORD=hunter2 TOKEN=abc","ID":"<missing>","Size":"0B"}"#,
            r#"{"CreatedSince":"now","CreatedBy":"/bin/sh -c apt-get update \u0026\u0026 apt-get install…","Size":"1kB","Comment":"é ü"}"#,
            r#"{"ID":"a","CreatedBy":"bazel build //x","Comment":"\t"}"#,
            r#"{"ID":"<missing>","CreatedBy":"COPY --from=build /app /app # buildkit","CreatedAt":"y"}"#,
            r#"{"CreatedSince":"x"}"#,
        ];
        assert!(same(&lines.join("\n")));
        assert!(same(&lines.join("\r\n\r\n")));
        assert!(same(&format!("\u{feff}\n  {}\n", lines.join("\n"))));
        for line in lines {
            assert!(same(line), "{line}");
        }
    }

    #[test]
    fn other_lines_are_read_through_the_tree() {
        let ok = r#"{"ID":"a","CreatedBy":"RUN x","Size":"1B"}"#;
        for other in [
            r#"{"ID":"a","ID":"b","CreatedBy":"RUN x"}"#,
            r#"{"ID":"a","CreatedBy":"RUN x","Size":null}"#,
            r#"{"ID":"a","CreatedBy":"RUN x","Size":12}"#,
            r#"{"ID":"a","CreatedBy":"RUN x","Size":"12 parsecs"}"#,
            r#"{"ID":"a","CreatedBy":"RUN x","Size":"-5B"}"#,
            r#"{"ID":"a","CreatedBy":5}"#,
            r#"{"ID":"a","CreatedBy":"RUN x","Tags":["a"]}"#,
            r#"{"ID":"a","CreatedBy":"RUN x","x":{}}"#,
            r#"{"Comment":"only"}"#,
            r#"{"ID":"a"}"#,
            r#"{}"#,
            r#""oops""#,
            r#"{"ID":"a","CreatedBy":"RUN x""#,
            r#"{"ID":"a","CreatedBy":"RUN x"},"#,
            r#"{"Id":"sha256:1","Created":1,"CreatedBy":"CMD x"}"#,
        ] {
            assert!(!same(other), "{other}");
            assert!(!same(&format!("{ok}\n{other}")), "{other}");
            assert!(!same(&format!("{other}\n{ok}")), "{other}");
        }
        assert!(!same(" \n"));
        assert!(!same(&format!("[{ok}]")));
    }

    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "the test reads the fixtures and the shared corpus; the core itself does no I/O"
    )]
    fn every_fixture_gives_the_facts_of_the_tree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut read_fast = 0;
        for dir in ["tests/fixtures", "../shared/corpus"] {
            let mut stack = vec![root.join(dir)];
            while let Some(path) = stack.pop() {
                if path.is_dir() {
                    stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    read_fast += usize::from(same(&text));
                }
            }
        }
        assert!(read_fast > 20, "{read_fast}");
    }
}
