//! Typed reading of parsed JSON: each read knows its JSON pointer, turns into a fact with evidence, and a
//! value of the wrong type is an error naming the pointer (never silently ignored).

use super::error::{json_type, InputError};
use super::tree::{Json, Object};
use crate::facts::{Evidence, Fact, FactValue, Str, Text};
use std::fmt::Write as _;

/// The document the values being read come from, and the line and history layer they belong to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Src<'a> {
    pub document: &'a std::sync::Arc<str>,
    pub line: Option<usize>,
    pub layer: Option<usize>,
}

impl<'a> Src<'a> {
    pub fn new(document: &'a std::sync::Arc<str>) -> Self {
        Self {
            document,
            line: None,
            layer: None,
        }
    }
}

/// A document name for unit tests (leaked: tests only).
#[cfg(test)]
pub(crate) fn test_document(name: &str) -> &'static std::sync::Arc<str> {
    Box::leak(Box::new(std::sync::Arc::from(name)))
}

/// Appends one RFC 6901 token to a pointer.
pub(crate) fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(token);
    }
}

/// `{parent}/{index}`, allocated at its exact length (it becomes a fact's pointer as it is: no
/// reallocation then).
pub(crate) fn element_pointer(parent: &str, index: usize) -> String {
    let mut pointer = String::with_capacity(parent.len() + 1 + decimal_len(index));
    pointer.push_str(parent);
    let _ = write!(pointer, "/{index}");
    pointer
}

/// How many decimal digits `n` has.
fn decimal_len(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |l| l as usize + 1)
}

/// A place in a document: its pointer, and the value there (`None` when the key is missing or `null`).
#[derive(Debug, Clone)]
pub(crate) struct Node<'v, 'a> {
    pub src: Src<'a>,
    /// Its own, or a part of one string shared by the elements of a list ([`Node::strings`]).
    pub pointer: Str,
    pub value: Option<&'v Json>,
}

impl<'v, 'a> Node<'v, 'a> {
    pub fn new(src: Src<'a>, pointer: impl Into<Str>, value: Option<&'v Json>) -> Self {
        Self {
            src,
            pointer: pointer.into(),
            value: value.filter(|v| !v.is_null()),
        }
    }

    /// The member `key` of this object (missing when this is not an object: check with [`Node::object`]).
    pub fn key(&self, key: &str) -> Node<'v, 'a> {
        let value = self
            .value
            .and_then(Json::as_object)
            .and_then(|m| m.get(key));
        self.child(key, value)
    }

    /// The members `keys` of this object ([`Node::key`] of each), their pointers one after another in
    /// one string that they and their facts share: one allocation instead of one a member.
    pub fn keys<const N: usize>(&self, keys: [&str; N]) -> [Node<'v, 'a>; N] {
        let parent = self.pointer.as_str();
        let len = keys.iter().map(|k| parent.len() + 1 + k.len()).sum();
        let mut all = String::with_capacity(len);
        let mut ends = [0; N];
        for (key, end) in keys.iter().zip(&mut ends) {
            all.push_str(parent);
            push_token(&mut all, key);
            *end = all.len();
        }
        let all: std::sync::Arc<str> = all.into();
        let object = self.value.and_then(Json::as_object);
        let mut start = 0;
        let mut ends = ends.into_iter();
        keys.map(|key| {
            let end = ends.next().unwrap_or(start);
            let pointer = Str::part(&all, start..end);
            start = end;
            Node::new(self.src, pointer, object.and_then(|m| m.get(key)))
        })
    }

    /// The member `key`, whose value the caller already has (going through an object's members:
    /// looking each one up again would be quadratic in a large object).
    pub fn member(&self, key: &str, value: &'v Json) -> Node<'v, 'a> {
        self.child(key, Some(value))
    }

    fn child(&self, key: &str, value: Option<&'v Json>) -> Node<'v, 'a> {
        let mut pointer = String::with_capacity(self.pointer.len() + key.len() + 1);
        pointer.push_str(&self.pointer);
        push_token(&mut pointer, key);
        Node::new(self.src, pointer, value)
    }

    /// The element at `index`, whose value the caller already has.
    pub fn element(&self, index: usize, value: &'v Json) -> Node<'v, 'a> {
        Node::new(self.src, element_pointer(&self.pointer, index), Some(value))
    }

    pub fn is_present(&self) -> bool {
        self.value.is_some()
    }

    pub fn evidence(&self) -> Evidence {
        Evidence::at(
            self.src.document.clone(),
            self.pointer.clone(),
            self.src.line,
            self.src.layer,
        )
    }

    /// The evidence of this node, moving its pointer (facts are built by the thousand: no temporary
    /// copies).
    pub fn into_evidence(self) -> Evidence {
        Evidence::at(
            self.src.document.clone(),
            self.pointer,
            self.src.line,
            self.src.layer,
        )
    }

    /// `Absent`, with evidence pointing where the value would be.
    pub fn absent(self) -> Fact {
        Fact::absent(self.into_evidence())
    }

    pub fn fact(self, value: FactValue) -> Fact {
        Fact::new(value, self.into_evidence())
    }

    /// A fact with this node's evidence, keeping the node for more facts.
    pub fn fact_ref(&self, value: FactValue) -> Fact {
        Fact::new(value, self.evidence())
    }

    /// Evidence of this node for several facts, sharing one copy of its pointer (no copy a fact).
    pub fn shared(self) -> Shared<'a> {
        Shared {
            src: self.src,
            pointer: self.pointer.as_str().into(),
        }
    }

    /// A wrong-type error at this node.
    pub fn wrong(&self, expected: impl Into<String>) -> InputError {
        // a value under a secret-looking key (`"db_password": 918273645`) is described by its type only
        let key = self.pointer.rsplit('/').next().unwrap_or_default();
        let found = match self.value {
            None => "null".into(),
            Some(v) if crate::facts::mask::is_secret_name(key) => json_type(v).to_string(),
            Some(v) => describe(v),
        };
        InputError::WrongType {
            document: self.src.document.to_string(),
            pointer: self.pointer.to_string(),
            line: self.src.line,
            expected: expected.into(),
            found,
        }
    }

    pub fn object(&self) -> Result<Option<&'v Object>, InputError> {
        match self.value {
            None => Ok(None),
            Some(Json::Object(m)) => Ok(Some(m)),
            Some(_) => Err(self.wrong("an object")),
        }
    }

    pub fn array(&self, expected: &str) -> Result<Option<&'v Vec<Json>>, InputError> {
        match self.value {
            None => Ok(None),
            Some(Json::Array(a)) => Ok(Some(a)),
            Some(_) => Err(self.wrong(expected)),
        }
    }

    pub fn str(&self) -> Result<Option<&'v str>, InputError> {
        Ok(self.string()?.map(Str::as_str))
    }

    /// [`Node::str`] as the tree holds it: a fact's text clones it (a part of the parsed text, not a
    /// copy).
    pub fn string(&self) -> Result<Option<&'v Str>, InputError> {
        match self.value {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.wrong("a string")),
        }
    }

    pub fn bool(&self) -> Result<Option<bool>, InputError> {
        match self.value {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong("`true` or `false`")),
        }
    }

    pub fn i64(&self) -> Result<Option<i64>, InputError> {
        match self.value {
            None => Ok(None),
            Some(Json::Number(n)) => n
                .as_i64()
                .or_else(|| integral_f64(n.as_f64()?))
                .map(Some)
                .ok_or_else(|| self.wrong("a whole number")),
            Some(_) => Err(self.wrong("a number")),
        }
    }

    /// A non-negative whole number.
    pub fn u64(&self, expected: &str) -> Result<Option<u64>, InputError> {
        match self.value {
            None => Ok(None),
            Some(Json::Number(n)) => n
                .as_u64()
                .or_else(|| integral_f64(n.as_f64()?).and_then(|i| u64::try_from(i).ok()))
                .map(Some)
                .ok_or_else(|| self.wrong(expected)),
            Some(_) => Err(self.wrong(expected)),
        }
    }

    /// A string fact built by `make` (for masking), or `Absent`.
    pub fn text_with(self, make: impl FnOnce(&Str) -> Text) -> Result<Fact, InputError> {
        Ok(match self.string()? {
            Some(s) => self.fact(FactValue::Text(make(s))),
            None => self.absent(),
        })
    }

    /// A string fact as written, or `Absent`.
    pub fn text(self) -> Result<Fact, InputError> {
        self.text_with(|s| Text::plain(s))
    }

    /// A string fact, `Absent` when missing, `null` or `""`.
    pub fn text_nonempty(self) -> Result<Fact, InputError> {
        Ok(match self.string()? {
            Some(s) if !s.is_empty() => self.fact(FactValue::Text(Text::plain(s))),
            _ => self.absent(),
        })
    }

    /// An image id: a non-empty string, with podman's bare digest (`6b042c…`, 64 hex digits) given
    /// docker's `sha256:` prefix, so ids, waivers and reports read the same whichever engine printed it.
    pub fn image_id(self) -> Result<(Option<String>, Fact), InputError> {
        Ok(match self.str()? {
            Some(s) if !s.is_empty() => {
                let id = image_id(s);
                let fact = self.fact(FactValue::Text(Text::plain(id.as_str())));
                (Some(id), fact)
            }
            _ => (None, self.absent()),
        })
    }

    pub fn bool_fact(self) -> Result<Fact, InputError> {
        Ok(match self.bool()? {
            Some(b) => self.fact(FactValue::Bool(b)),
            None => self.absent(),
        })
    }

    /// The strings of a list (or of a lone string, when `allow_string`), each with its node.
    pub fn strings(
        &self,
        expected: &str,
        allow_string: bool,
    ) -> Result<Option<Vec<(&'v Str, Node<'v, 'a>)>>, InputError> {
        match self.value {
            None => Ok(None),
            Some(Json::String(s)) if allow_string => {
                if s.is_empty() {
                    Ok(Some(Vec::new()))
                } else {
                    Ok(Some(vec![(s, self.clone())]))
                }
            }
            Some(Json::Array(items)) => {
                if let Some((i, item)) =
                    (items.iter().enumerate()).find(|(_, item)| !matches!(item, Json::String(_)))
                {
                    return Err(self
                        .element(i, item)
                        .wrong(format!("a string (an element of {expected})")));
                }
                if items.is_empty() {
                    return Ok(Some(Vec::new()));
                }
                // the elements' pointers, one after another in one string their facts share
                let parent = self.pointer.as_str();
                let mut all = String::with_capacity(items.len() * (parent.len() + 3));
                for i in 0..items.len() {
                    all.push_str(parent);
                    let _ = write!(all, "/{i}");
                }
                let all: std::sync::Arc<str> = all.into();
                let mut out = Vec::with_capacity(items.len());
                let mut start = 0;
                for (i, item) in items.iter().enumerate() {
                    let end = start + parent.len() + 1 + decimal_len(i);
                    let node = Node::new(self.src, Str::part(&all, start..end), Some(item));
                    start = end;
                    if let Json::String(s) = item {
                        out.push((s, node));
                    }
                }
                Ok(Some(out))
            }
            Some(_) => Err(self.wrong(expected)),
        }
    }

    /// An argument-list fact, each element masked in the context of the others
    /// ([`crate::facts::mask::argv`]), or `Absent`. The masked texts come from `texts` (one per element,
    /// in order), so that lists read as one (`Entrypoint` then `Cmd`) are masked as one.
    pub fn argv_fact(
        self,
        items: Option<Vec<(&'v Str, Node<'v, 'a>)>>,
        texts: &mut impl Iterator<Item = Text>,
    ) -> Fact {
        match items {
            Some(items) => self.fact(FactValue::List(
                items
                    .into_iter()
                    .zip(texts)
                    .map(|((_, node), text)| node.fact(FactValue::Text(text)))
                    .collect(),
            )),
            None => self.absent(),
        }
    }

    /// A list-of-strings fact (each element through `make`), or `Absent`.
    pub fn string_list(
        self,
        expected: &str,
        allow_string: bool,
        make: impl Fn(&Str) -> Text,
    ) -> Result<Fact, InputError> {
        Ok(match self.strings(expected, allow_string)? {
            Some(items) => self.fact(FactValue::List(
                items
                    .into_iter()
                    .map(|(s, node)| node.fact(FactValue::Text(make(s))))
                    .collect(),
            )),
            None => self.absent(),
        })
    }
}

/// The evidence of one node, for several facts: [`Node::shared`].
pub(crate) struct Shared<'a> {
    src: Src<'a>,
    pointer: std::sync::Arc<str>,
}

impl Shared<'_> {
    pub fn fact(&self, value: FactValue) -> Fact {
        Fact::new(
            value,
            Evidence::at(
                self.src.document.clone(),
                Str::part(&self.pointer, 0..self.pointer.len()),
                self.src.line,
                self.src.layer,
            ),
        )
    }
}

fn integral_f64(f: f64) -> Option<i64> {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
        // finite, whole and well inside the i64 range: the cast is exact
        Some(f as i64)
    } else {
        None
    }
}

/// How a wrong-typed value is described: its type, and numbers and booleans themselves (string values are
/// left out: they may be secrets).
pub(crate) fn describe(value: &Json) -> String {
    match value {
        Json::Number(n) => format!("the number `{n}`"),
        Json::Bool(b) => format!("`{b}`"),
        other => json_type(other).to_string(),
    }
}

/// An image id as docker prints it: a bare 64-digit hex digest (podman's form) gets `sha256:`.
pub(crate) fn image_id(id: &str) -> String {
    if id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("sha256:{id}")
    } else {
        id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tree::json;

    #[test]
    fn pointers_are_escaped() {
        let v = json!({"a/b": {"c~d": 1}});
        let root = Node::new(
            Src::new(crate::input::json::test_document("d")),
            String::new(),
            Some(&v),
        );
        let n = root.key("a/b").key("c~d");
        assert_eq!(n.pointer, "/a~1b/c~0d");
        assert_eq!(n.i64().unwrap(), Some(1));
    }

    #[test]
    fn wrong_types_name_the_pointer() {
        let v = json!({"Env": {"A": "b"}});
        let root = Node::new(
            Src::new(crate::input::json::test_document("d")),
            "/0",
            Some(&v),
        );
        let err = root
            .key("Env")
            .strings("a list of `NAME=value` strings", false)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a list of `NAME=value` strings at `/0/Env`, found an object"
        );
    }

    #[test]
    fn null_is_absent() {
        let v = json!({"User": null});
        let root = Node::new(
            Src::new(crate::input::json::test_document("d")),
            String::new(),
            Some(&v),
        );
        assert_eq!(root.key("User").text().unwrap().value, FactValue::Absent);
        assert_eq!(
            root.key("User")
                .text()
                .unwrap()
                .evidence
                .unwrap()
                .pointer
                .to_string(),
            "/User"
        );
    }

    #[test]
    fn whole_floats_are_numbers() {
        let v = json!({"a": 3e10, "b": 1.5, "c": -1});
        let root = Node::new(
            Src::new(crate::input::json::test_document("d")),
            String::new(),
            Some(&v),
        );
        assert_eq!(root.key("a").u64("n").unwrap(), Some(30_000_000_000));
        assert!(root.key("b").u64("n").is_err());
        assert!(root.key("c").u64("n").is_err());
        assert_eq!(root.key("c").i64().unwrap(), Some(-1));
    }
}
