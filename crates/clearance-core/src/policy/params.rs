//! Parameters: `parameters:` declares names with default values; `{param: NAME}` anywhere in the
//! policy is replaced by the value (the including policy's `with:`, else the default) before the
//! policy is compiled, so a parameter can stand for any argument, list or check.

use super::error::PolicyError;
use super::node::{Key, Node, Origin, Value};
use super::read::{field_path, index_path, Ctx};
use crate::diagnostic::{did_you_mean, Location};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// The parameters of one policy and their values.
#[derive(Debug, Default)]
pub struct Params {
    /// Declared names, in declaration order.
    names: Vec<String>,
    /// The value of each declared name; `None` when it has no default and no `with` value.
    values: BTreeMap<String, Option<Node>>,
    /// Names already reported as having no value (each is reported once).
    reported: BTreeSet<String>,
    /// Where the policy was included, if it was: a missing value is the includer's to give.
    site: Option<Location>,
    /// The policy's name as included (or its file), for messages.
    pack: String,
}

impl Params {
    /// Reads `parameters:` (a mapping of names to defaults; `null` means "no default") and applies
    /// the includer's `with:` values, reporting `with` names that are not declared.
    pub fn read(
        ctx: &mut Ctx<'_>,
        declared: Option<&Node>,
        with: &[(Key, Node)],
        pack: &str,
        site: Option<Location>,
    ) -> Params {
        let mut params = Params {
            site,
            pack: pack.to_string(),
            ..Params::default()
        };
        if let Some(node) = declared {
            if let Some(fields) = ctx.map(
                node,
                "parameters",
                "a mapping of parameter names to default values",
            ) {
                for (key, value) in fields.entries {
                    if !valid_name(&key.name) {
                        let location = ctx.at_key(key, value, &field_path("parameters", &key.name));
                        ctx.push(PolicyError::BadParameterName {
                            location,
                            name: key.name.clone(),
                        });
                    }
                    params.names.push(key.name.clone());
                    let default = (value.value != Value::Null).then(|| {
                        // Errors in a default point at the default, not at each use.
                        let mut value = value.clone();
                        value.set_origin(&Rc::new(Origin {
                            file: Rc::clone(&ctx.file),
                            path: field_path("parameters", &key.name),
                        }));
                        value
                    });
                    params.values.insert(key.name.clone(), default);
                }
            }
        }
        for (key, value) in with {
            match params.values.get_mut(&key.name) {
                Some(slot) => *slot = Some(value.clone()),
                None => {
                    let location = ctx.at_key(key, value, &field_path("with", &key.name));
                    ctx.push(PolicyError::UnknownParameter {
                        location,
                        pack: pack.to_string(),
                        name: key.name.clone(),
                        suggestion: did_you_mean(
                            &key.name,
                            params.names.iter().map(String::as_str),
                        )
                        .map(str::to_string),
                    });
                }
            }
        }
        params
    }

    /// Replaces every `{param: NAME}` under `node`. An undeclared or valueless parameter is reported
    /// and replaced by [`Value::Invalid`], so it causes no second error.
    pub fn substitute(&mut self, ctx: &mut Ctx<'_>, node: &mut Node, path: &str) {
        if let Some(extra) = param_extra_keys(node) {
            for (key, value) in extra {
                let location = ctx.at_key(key, value, &field_path(path, &key.name));
                ctx.push(PolicyError::UnknownField {
                    location,
                    field: key.name.clone(),
                    within: "a parameter reference",
                    suggestion: None,
                    expected: vec!["param"],
                });
            }
            node.value = Value::Invalid;
            return;
        }
        if let Some(name_node) = param_reference(node) {
            let replacement = self.value_of(ctx, name_node, &field_path(path, "param"));
            match replacement {
                Some(value) => *node = value,
                None => node.value = Value::Invalid,
            }
            return;
        }
        match &mut node.value {
            Value::List(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.substitute(ctx, item, &index_path(path, i));
                }
            }
            Value::Map(entries) => {
                for (key, value) in entries.iter_mut() {
                    let here = field_path(path, &key.name);
                    self.substitute(ctx, value, &here);
                }
            }
            _ => {}
        }
    }

    fn value_of(&mut self, ctx: &mut Ctx<'_>, name_node: &Node, path: &str) -> Option<Node> {
        let name = ctx.text(name_node, path)?;
        match self.values.get(&name) {
            Some(Some(value)) => Some(value.clone()),
            Some(None) => {
                if self.reported.insert(name.clone()) {
                    let location = match &self.site {
                        Some(site) => site.clone(),
                        None => ctx.at(name_node, path),
                    };
                    ctx.push(PolicyError::ParameterWithoutValue {
                        location,
                        name,
                        pack: self.pack.clone(),
                    });
                }
                None
            }
            None => {
                let location = ctx.at(name_node, path);
                ctx.push(PolicyError::UndeclaredParameter {
                    location,
                    suggestion: did_you_mean(&name, self.names.iter().map(String::as_str))
                        .map(str::to_string),
                    name,
                });
                None
            }
        }
    }
}

/// A parameter name: an ASCII letter or `_`, then letters, digits and `_` (`max_memory`).
pub fn valid_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The keys besides `param` of a mapping that has `param` and others (`{param: a, extra: 1}`): a
/// parameter reference with a typo or a stray key, reported rather than read as a value.
fn param_extra_keys(node: &Node) -> Option<Vec<&(Key, Node)>> {
    let entries = node.as_map()?;
    if entries.len() < 2 || !entries.iter().any(|(k, _)| k.name == "param") {
        return None;
    }
    Some(entries.iter().filter(|(k, _)| k.name != "param").collect())
}

/// The name node of a `{param: NAME}` mapping.
fn param_reference(node: &Node) -> Option<&Node> {
    match node.as_map()? {
        [(key, value)] if key.name == "param" => Some(value),
        _ => None,
    }
}
