//! Typed reading of the node tree: strings, lists, mappings with known fields. Every reader reports
//! what is wrong into one error list and carries on, so a load reports all problems, not the first.

use super::error::PolicyError;
use super::node::{Key, Node, Value};
use crate::diagnostic::{did_you_mean, Location};
use std::collections::HashMap;
use std::rc::Rc;

/// The file being read, the errors found so far, and the regexes compiled for it.
pub struct Ctx<'e> {
    pub file: Rc<str>,
    pub errors: &'e mut Vec<PolicyError>,
    /// Compiled regexes by source: a pattern repeated across requirements is compiled once.
    pub regexes: HashMap<String, std::sync::Arc<super::model::Regex>>,
    /// Largest compiled regex accepted, in bytes.
    pub regex_size_limit: usize,
    /// Compile regexes at their first use, not now (built-in packs: see [`super::model::Regex`]).
    pub defer_regexes: bool,
}

/// `a.b` from `a` and `b`; `b` from an empty parent.
pub fn field_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// `a[3]`.
pub fn index_path(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

impl<'e> Ctx<'e> {
    pub fn new(file: &str, errors: &'e mut Vec<PolicyError>) -> Self {
        Self {
            file: Rc::from(file),
            errors,
            regexes: HashMap::new(),
            regex_size_limit: super::check::REGEX_SIZE_LIMIT,
            defer_regexes: false,
        }
    }

    pub fn push(&mut self, error: PolicyError) {
        self.errors.push(error);
    }

    /// Where `node` is, with `path` (or where it was written, for a value from another file).
    pub fn at(&self, node: &Node, path: &str) -> Location {
        self.position(node, node.line, node.column, path)
    }

    /// Where a mapping key is (the key belongs to the same place as its value).
    pub fn at_key(&self, key: &Key, value: &Node, path: &str) -> Location {
        self.position(value, key.line, key.column, path)
    }

    fn position(&self, node: &Node, line: usize, column: usize, path: &str) -> Location {
        let (file, path) = match &node.origin {
            Some(origin) => (&origin.file, origin.path.as_str()),
            None => (&self.file, path),
        };
        let location = Location::at(&**file, line, column);
        if path.is_empty() {
            location
        } else {
            location.with_pointer(path)
        }
    }

    /// Reports "expected …, found …", unless the node stands for an error already reported.
    pub fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) {
        if node.value == Value::Invalid {
            return;
        }
        let location = self.at(node, path);
        self.push(PolicyError::WrongType {
            location,
            expected: expected.to_string(),
            found: node.describe(),
        });
    }

    /// Any scalar but null, as written (`version: 1.0` is the text `1.0`).
    pub fn text(&mut self, node: &Node, path: &str) -> Option<String> {
        match node.scalar_text() {
            Some(s) => Some(s.to_string()),
            None => {
                self.wrong_type(node, path, "a string");
                None
            }
        }
    }

    /// Like [`Ctx::text`], and not empty.
    pub fn non_empty_text(&mut self, node: &Node, path: &str) -> Option<String> {
        let text = self.text(node, path)?;
        if text.trim().is_empty() {
            self.wrong_type(node, path, "a non-empty string");
            return None;
        }
        Some(text)
    }

    pub fn bool(&mut self, node: &Node, path: &str) -> Option<bool> {
        match node.value {
            Value::Bool(b, _) => Some(b),
            _ => {
                self.wrong_type(node, path, "a boolean (`true` or `false`)");
                None
            }
        }
    }

    /// A non-negative integer.
    pub fn count(&mut self, node: &Node, path: &str) -> Option<u64> {
        match node.value {
            Value::Int(i, _) if i >= 0 => u64::try_from(i).ok(),
            _ => {
                self.wrong_type(node, path, "a non-negative integer");
                None
            }
        }
    }

    pub fn list<'n>(&mut self, node: &'n Node, path: &str, expected: &str) -> Option<&'n [Node]> {
        match node.as_list() {
            Some(items) => Some(items),
            None => {
                self.wrong_type(node, path, expected);
                None
            }
        }
    }

    /// A list of strings, each with its node (for locations).
    pub fn text_list<'n>(&mut self, node: &'n Node, path: &str) -> Option<Vec<(String, &'n Node)>> {
        let items = self.list(node, path, "a list of strings")?;
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match item.scalar_text() {
                Some(s) => out.push((s.to_string(), item)),
                None => {
                    ok = false;
                    self.wrong_type(item, &index_path(path, i), "a string");
                }
            }
        }
        ok.then_some(out)
    }

    /// A mapping, read through [`Fields`].
    pub fn map<'n>(&mut self, node: &'n Node, path: &str, expected: &str) -> Option<Fields<'n>> {
        match node.as_map() {
            Some(entries) => Some(Fields { node, entries }),
            None => {
                self.wrong_type(node, path, expected);
                None
            }
        }
    }
}

/// A mapping being read: look fields up, require some, report the unknown ones.
#[derive(Clone, Copy)]
pub struct Fields<'n> {
    pub node: &'n Node,
    pub entries: &'n [(Key, Node)],
}

impl<'n> Fields<'n> {
    pub fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
    }

    pub fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|(k, _)| k.name == name)
    }

    /// The field's value, or a "missing required field" error at the mapping.
    pub fn required(
        &self,
        ctx: &mut Ctx<'_>,
        path: &str,
        name: &'static str,
        within: &'static str,
    ) -> Option<&'n Node> {
        let found = self.get(name);
        if found.is_none() {
            let location = ctx.at(self.node, path);
            ctx.push(PolicyError::MissingField {
                location,
                field: name,
                within,
            });
        }
        found
    }

    /// Reports every key not in `known`, with a "did you mean".
    pub fn reject_unknown(
        &self,
        ctx: &mut Ctx<'_>,
        path: &str,
        known: &[&'static str],
        within: &'static str,
    ) {
        for (key, value) in self.entries {
            if !known.contains(&key.name.as_str()) {
                let location = ctx.at_key(key, value, &field_path(path, &key.name));
                ctx.push(PolicyError::UnknownField {
                    location,
                    field: key.name.clone(),
                    within,
                    suggestion: did_you_mean(&key.name, known.iter().copied()).map(str::to_string),
                    expected: known.to_vec(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::node::parse;
    use super::*;

    #[test]
    fn unknown_fields_suggest_and_point_at_the_key() {
        let node = parse("tile: x\nid: A-1\n").unwrap().unwrap();
        let mut errors = Vec::new();
        let mut ctx = Ctx::new("p.yaml", &mut errors);
        let fields = ctx.map(&node, "requirements[0]", "a mapping").unwrap();
        fields.reject_unknown(
            &mut ctx,
            "requirements[0]",
            &["id", "title"],
            "a requirement",
        );
        assert!(fields
            .required(&mut ctx, "requirements[0]", "check", "a requirement")
            .is_none());
        assert_eq!(errors.len(), 2);
        let d = crate::ToDiagnostic::to_diagnostic(&errors[0]);
        assert_eq!(d.message, "unknown field `tile` in a requirement");
        assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
        assert_eq!(
            d.location.to_string(),
            "p.yaml:1:1 at `requirements[0].tile`"
        );
    }

    #[test]
    fn wrong_types_say_what_was_found() {
        let node = parse("a: {b: 1}\n").unwrap().unwrap();
        let mut errors = Vec::new();
        let mut ctx = Ctx::new("p.yaml", &mut errors);
        assert!(ctx.text_list(node.get("a").unwrap(), "a").is_none());
        assert_eq!(
            errors[0].to_string(),
            "expected a list of strings, found a mapping"
        );
    }
}
