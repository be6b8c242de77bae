//! Compiles a check from the node tree: resolves fact paths against the catalogue, reads literals by
//! the fact's kind, compiles regexes (with a size and nesting limit) and globs, and checks that each
//! operator applies to the kind of value it is given.

use super::error::PolicyError;
use super::literal;
use super::model::{Check, Comparison, FactCheck, Literal, Matcher, Op, Pattern, Regex, Target};
use super::node::{Node, Value};
use super::read::{field_path, index_path, Ctx, Fields};
use crate::diagnostic::did_you_mean;
use crate::facts::catalogue::{self, Kind};
use crate::facts::Root;

/// Largest compiled regex accepted (the `regex` crate's `size_limit`).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Deepest regex nesting accepted (the `regex` crate's `nest_limit`).
pub const REGEX_NEST_LIMIT: u32 = 64;

/// Every operator, in documentation order.
pub const OPERATORS: &[&str] = &[
    "equals",
    "one_of",
    "matches",
    "not_matches",
    "glob",
    "exists",
    "absent",
    "empty",
    "contains",
    "contains_all",
    "contains_any",
    "excludes",
    "gt",
    "gte",
    "lt",
    "lte",
    "any",
    "all",
    "none",
    "count",
    "order",
];

/// The keys that choose a check's form.
pub const FORMS: &[&str] = &["all_of", "any_of", "not", "document", "fact", "pointer"];

const CHECK: &str = "a check (a mapping such as `{fact: image.user, equals: appuser}`)";

/// What kind of value a check addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Known(Kind),
    /// A raw JSON value (the `pointer` escape hatch), or a fact that could not be resolved: literals
    /// are read by their YAML type and every operator is accepted.
    Raw,
}

impl ValueKind {
    fn name(self) -> &'static str {
        match self {
            ValueKind::Known(k) => k.name(),
            ValueKind::Raw => "raw JSON value",
        }
    }
}

/// Where a check is: at the top of a requirement, or inside `any`/`all`/`none`/`count`/`order`.
#[derive(Debug, Clone)]
pub enum Scope {
    Root,
    Elements {
        /// The list as written in the policy, for messages (`history`, `tags`).
        of: String,
        elem: Elem,
    },
}

/// What the elements of a list are.
#[derive(Debug, Clone)]
pub enum Elem {
    /// Strings: addressed as the element itself.
    Text,
    /// Map entries `{name, value}`.
    Entry,
    /// Records with the fields listed in the catalogue under this path (`history`).
    Record(String),
    /// Raw JSON elements (under a pointer).
    Raw,
}

/// The value a fact check addresses.
struct Addressed {
    target: Target,
    kind: ValueKind,
    /// As written, for messages.
    display: String,
    /// The catalogue path (`history`, `history[].tags`), for element fields of nested lists.
    catalogue: Option<String>,
}

/// Compiles a check. Returns `None` (with errors reported) when anything in it is wrong.
pub fn compile(ctx: &mut Ctx<'_>, node: &Node, path: &str, scope: &Scope) -> Option<Check> {
    let fields = ctx.map(node, path, CHECK)?;
    let before = ctx.errors.len();
    let check = if fields.has("pointer") {
        pointer_check(ctx, fields, path)
    } else if fields.has("fact") {
        fact_check(ctx, fields, path, scope)
    } else if let Some(form) = ["all_of", "any_of", "not"]
        .into_iter()
        .find(|k| fields.has(k))
    {
        combinator(ctx, fields, path, scope, form)
    } else if fields.has("document") {
        document_check(ctx, fields, path)
    } else if fields
        .entries
        .iter()
        .any(|(k, _)| OPERATORS.contains(&k.name.as_str()))
    {
        element_check(ctx, fields, path, scope)
    } else {
        if fields.entries.is_empty() {
            ctx.wrong_type(node, path, CHECK);
        }
        let known: Vec<&'static str> = FORMS.iter().chain(OPERATORS).copied().collect();
        fields.reject_unknown(ctx, path, &known, "a check");
        None
    };
    if ctx.errors.len() > before {
        None
    } else {
        check
    }
}

/// Reports keys that do not belong next to `form`: another form (mixed) or an unknown word.
fn reject_others(ctx: &mut Ctx<'_>, fields: Fields<'_>, path: &str, form: &str, allowed: &[&str]) {
    for (key, value) in fields.entries {
        let name = key.name.as_str();
        if allowed.contains(&name) {
            continue;
        }
        let location = ctx.at_key(key, value, &field_path(path, name));
        if FORMS.contains(&name) || OPERATORS.contains(&name) {
            ctx.push(PolicyError::MixedCheck {
                location,
                first: form.to_string(),
                second: name.to_string(),
            });
        } else if allowed.iter().any(|a| OPERATORS.contains(a)) {
            ctx.push(PolicyError::UnknownOperator {
                location,
                operator: name.to_string(),
                suggestion: did_you_mean(name, OPERATORS.iter().chain(allowed).copied())
                    .map(str::to_string),
            });
        } else {
            let known: Vec<&'static str> = FORMS.iter().chain(OPERATORS).copied().collect();
            ctx.push(PolicyError::UnknownField {
                location,
                field: name.to_string(),
                within: "a check",
                suggestion: did_you_mean(name, known.iter().copied()).map(str::to_string),
                expected: known,
            });
        }
    }
}

fn combinator(
    ctx: &mut Ctx<'_>,
    fields: Fields<'_>,
    path: &str,
    scope: &Scope,
    form: &'static str,
) -> Option<Check> {
    reject_others(ctx, fields, path, form, &[form]);
    let node = fields.get(form)?;
    let here = field_path(path, form);
    if form == "not" {
        return compile(ctx, node, &here, scope).map(|c| Check::Not(Box::new(c)));
    }
    let items = ctx.list(node, &here, "a list of checks")?;
    if items.is_empty() {
        let location = ctx.at(node, &here);
        ctx.push(PolicyError::EmptyList {
            location,
            field: form.to_string(),
        });
        return None;
    }
    let mut checks = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(c) = compile(ctx, item, &index_path(&here, i), scope) {
            checks.push(c);
        }
    }
    (checks.len() == items.len()).then(|| {
        if form == "all_of" {
            Check::AllOf(checks)
        } else {
            Check::AnyOf(checks)
        }
    })
}

fn document_check(ctx: &mut Ctx<'_>, fields: Fields<'_>, path: &str) -> Option<Check> {
    reject_others(ctx, fields, path, "document", &["document"]);
    let node = fields.get("document")?;
    document_root(ctx, node, &field_path(path, "document"), &Root::ALL).map(Check::Document)
}

fn document_root(ctx: &mut Ctx<'_>, node: &Node, path: &str, allowed: &[Root]) -> Option<Root> {
    let name = ctx.text(node, path)?;
    match Root::parse(&name) {
        Some(root) if allowed.contains(&root) => Some(root),
        _ => {
            let location = ctx.at(node, path);
            ctx.push(PolicyError::UnknownDocument {
                location,
                name,
                allowed: allowed.iter().map(|r| r.name()).collect(),
            });
            None
        }
    }
}

fn pointer_check(ctx: &mut Ctx<'_>, fields: Fields<'_>, path: &str) -> Option<Check> {
    let mut allowed = vec!["pointer", "document"];
    allowed.extend_from_slice(OPERATORS);
    reject_others(ctx, fields, path, "pointer", &allowed);
    let node = fields.get("pointer")?;
    let here = field_path(path, "pointer");
    let pointer = ctx.text(node, &here)?;
    if !(pointer.is_empty() || pointer.starts_with('/')) || has_bad_escape(&pointer) {
        let location = ctx.at(node, &here);
        ctx.push(PolicyError::InvalidPointer {
            location,
            pointer: pointer.clone(),
        });
    }
    let root = fields
        .required(ctx, path, "document", "a pointer check")
        .and_then(|n| {
            document_root(
                ctx,
                n,
                &field_path(path, "document"),
                &[Root::Image, Root::Container],
            )
        });
    let addressed = Addressed {
        target: Target::Pointer {
            root: root.unwrap_or(Root::Image),
            pointer: pointer.clone(),
        },
        kind: ValueKind::Raw,
        display: pointer,
        catalogue: None,
    };
    let ops = operators(ctx, fields, path, &addressed, &["pointer", "document"]);
    root?;
    Some(Check::Fact(FactCheck::new(addressed.target, ops?)))
}

/// `~` must be followed by `0` or `1` (RFC 6901).
fn has_bad_escape(pointer: &str) -> bool {
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return true;
        }
    }
    false
}

fn fact_check(ctx: &mut Ctx<'_>, fields: Fields<'_>, path: &str, scope: &Scope) -> Option<Check> {
    let mut allowed = vec!["fact"];
    allowed.extend_from_slice(OPERATORS);
    reject_others(ctx, fields, path, "fact", &allowed);
    let node = fields.get("fact")?;
    let here = field_path(path, "fact");
    let addressed = match scope {
        Scope::Root => root_fact(ctx, node, &here),
        Scope::Elements { of, elem } => element_field(ctx, node, &here, of, elem),
    };
    // Read the operators even when the fact is unknown, to report their own errors too.
    let fallback = Addressed {
        target: Target::Element,
        kind: ValueKind::Raw,
        display: node.scalar_text().unwrap_or_default().to_string(),
        catalogue: None,
    };
    let ops = operators(
        ctx,
        fields,
        path,
        addressed.as_ref().unwrap_or(&fallback),
        &["fact"],
    );
    let addressed = addressed?;
    Some(Check::Fact(FactCheck::new(addressed.target, ops?)))
}

/// A check without `fact` inside `any`/`all`/…: it addresses the element itself.
fn element_check(
    ctx: &mut Ctx<'_>,
    fields: Fields<'_>,
    path: &str,
    scope: &Scope,
) -> Option<Check> {
    reject_others(ctx, fields, path, "an operator", OPERATORS);
    let addressed = match scope {
        Scope::Root => {
            let location = ctx.at(fields.node, path);
            ctx.push(PolicyError::MissingField {
                location,
                field: "fact",
                within: "a check with operators",
            });
            None
        }
        Scope::Elements { of, elem } => Some(Addressed {
            target: Target::Element,
            kind: match elem {
                Elem::Text => ValueKind::Known(Kind::Text),
                Elem::Entry | Elem::Record(_) => ValueKind::Known(Kind::Record),
                Elem::Raw => ValueKind::Raw,
            },
            display: format!("{of}[]"),
            catalogue: None,
        }),
    };
    let fallback = Addressed {
        target: Target::Element,
        kind: ValueKind::Raw,
        display: String::new(),
        catalogue: None,
    };
    let ops = operators(
        ctx,
        fields,
        path,
        addressed.as_ref().unwrap_or(&fallback),
        &[],
    );
    let addressed = addressed?;
    Some(Check::Fact(FactCheck::new(addressed.target, ops?)))
}

/// The paths a policy can address from the root (element fields are reached through `any` & co).
fn root_paths() -> impl Iterator<Item = &'static str> {
    catalogue::ENTRIES
        .iter()
        .map(|e| e.path)
        .filter(|p| !p.contains("[]"))
}

fn root_fact(ctx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Addressed> {
    let text = ctx.text(node, path)?;
    if let Some(entry) = catalogue::lookup(&text).filter(|e| !e.path.contains("[]")) {
        return Some(Addressed {
            target: Target::Path(text.split('.').map(str::to_string).collect()),
            kind: ValueKind::Known(entry.kind),
            display: text,
            catalogue: Some(entry.path.to_string()),
        });
    }
    let location = ctx.at(node, path);
    ctx.push(PolicyError::UnknownFact {
        location,
        suggestion: did_you_mean(&text, root_paths()).map(str::to_string),
        hint: list_hint(&text),
        path: text,
    });
    None
}

/// For `history.created_by` or `history[].created_by`: explain how to reach list elements.
fn list_hint(text: &str) -> Option<String> {
    let normal = text.replace("[]", "");
    let parts: Vec<&str> = normal.split('.').collect();
    for cut in (1..parts.len()).rev() {
        let (head, tail) = parts.split_at(cut);
        let list = head.join(".");
        let field = tail.join(".");
        let is_list = catalogue::lookup(&list)
            .is_some_and(|e| matches!(e.kind, Kind::RecordList | Kind::TextList | Kind::TextMap));
        if is_list {
            let example = if catalogue::lookup(&format!("{list}[].{field}")).is_some() {
                format!("{{fact: {list}, any: {{fact: {field}, ...}}}}")
            } else {
                format!("{{fact: {list}, any: {{...}}}}")
            };
            return Some(format!(
                "`{list}` is a list: address its elements with `any`, `all`, `none`, `count` or `order`, e.g. `{example}`"
            ));
        }
    }
    None
}

fn element_field(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    of: &str,
    elem: &Elem,
) -> Option<Addressed> {
    let field = ctx.text(node, path)?;
    let fields: Vec<String> = match elem {
        Elem::Raw => {
            return Some(Addressed {
                target: Target::Field(field.clone()),
                kind: ValueKind::Raw,
                display: field,
                catalogue: None,
            })
        }
        Elem::Text => Vec::new(),
        Elem::Entry => {
            if field == "name" || field == "value" {
                return Some(Addressed {
                    target: Target::Field(field.clone()),
                    kind: ValueKind::Known(Kind::Text),
                    display: field,
                    catalogue: None,
                });
            }
            vec!["name".to_string(), "value".to_string()]
        }
        Elem::Record(list) => {
            let full = format!("{list}[].{field}");
            if let Some(entry) = catalogue::lookup(&full) {
                return Some(Addressed {
                    target: Target::Field(field.clone()),
                    kind: ValueKind::Known(entry.kind),
                    display: field,
                    catalogue: Some(full),
                });
            }
            let prefix = format!("{list}[].");
            catalogue::element_fields(list)
                .filter_map(|e| e.path.strip_prefix(prefix.as_str()))
                .map(str::to_string)
                .collect()
        }
    };
    let location = ctx.at(node, path);
    ctx.push(PolicyError::UnknownElementField {
        location,
        suggestion: did_you_mean(&field, fields.iter().map(String::as_str)).map(str::to_string),
        field,
        list: of.to_string(),
        fields,
    });
    None
}

/// Does `op` apply to a value of this kind?
fn applies(op: &str, kind: ValueKind) -> bool {
    let ValueKind::Known(kind) = kind else {
        return true;
    };
    use Kind::*;
    match op {
        "exists" | "absent" | "empty" => true,
        "equals" | "one_of" => matches!(kind, Bool | Int | Text | Duration | Size),
        "matches" | "not_matches" | "glob" => kind == Text,
        "contains" => matches!(kind, Text | TextList | TextMap),
        "contains_all" | "contains_any" | "excludes" => matches!(kind, TextList | TextMap),
        "gt" | "gte" | "lt" | "lte" => matches!(kind, Int | Duration | Size),
        "any" | "all" | "none" | "count" | "order" => {
            matches!(kind, TextList | TextMap | RecordList)
        }
        _ => false,
    }
}

/// Reads every operator of a fact check (the keys not in `skip`).
fn operators(
    ctx: &mut Ctx<'_>,
    fields: Fields<'_>,
    path: &str,
    addressed: &Addressed,
    skip: &[&str],
) -> Option<Vec<Op>> {
    let mut ops = Vec::new();
    let mut ok = true;
    let mut any = false;
    for (key, node) in fields.entries {
        let name = key.name.as_str();
        if skip.contains(&name) {
            continue;
        }
        // An unknown word counts as an operator here: it was reported already.
        any = true;
        if !OPERATORS.contains(&name) {
            continue;
        }
        let here = field_path(path, name);
        if !applies(name, addressed.kind) {
            ok = false;
            let location = ctx.at_key(key, node, &here);
            ctx.push(PolicyError::OperatorNotApplicable {
                location,
                operator: name.to_string(),
                fact: addressed.display.clone(),
                kind: addressed.kind.name(),
                applicable: OPERATORS
                    .iter()
                    .copied()
                    .filter(|o| applies(o, addressed.kind))
                    .collect(),
            });
            continue;
        }
        match operator(ctx, name, node, &here, addressed) {
            Some(op) => ops.push(op),
            None => ok = false,
        }
    }
    if !any {
        let location = ctx.at(fields.node, path);
        ctx.push(PolicyError::NoOperator {
            location,
            fact: addressed.display.clone(),
        });
        return None;
    }
    ok.then_some(ops)
}

fn operator(
    ctx: &mut Ctx<'_>,
    name: &str,
    node: &Node,
    path: &str,
    addressed: &Addressed,
) -> Option<Op> {
    let kind = addressed.kind;
    let fact = addressed.display.as_str();
    let compare = |c| move |l| Op::Compare(c, l);
    match name {
        "equals" => literal(ctx, node, path, kind, fact).map(Op::Equals),
        "one_of" => {
            // An empty list written in place never holds: a mistake. One given by a parameter is
            // allowed (a list of allowed values may be empty: `public_ports: []`).
            let items = ctx.list(node, path, "a list of values")?;
            if items.is_empty() && node.origin.is_none() {
                let location = ctx.at(node, path);
                ctx.push(PolicyError::EmptyList {
                    location,
                    field: name.to_string(),
                });
                return None;
            }
            let lits: Vec<Literal> = items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| literal(ctx, n, &index_path(path, i), kind, fact))
                .collect();
            (lits.len() == items.len()).then_some(Op::OneOf(lits))
        }
        "matches" => regex(ctx, node, path).map(Op::Matches),
        "not_matches" => regex(ctx, node, path).map(Op::NotMatches),
        "glob" => matcher(ctx, node, path).map(Op::Glob),
        "exists" => ctx.bool(node, path).map(Op::Exists),
        "absent" => match node.value {
            Value::Bool(true, _) => Some(Op::Exists(false)),
            _ => {
                ctx.wrong_type(
                    node,
                    path,
                    "`true` (for a present value, write `exists: true`)",
                );
                None
            }
        },
        "empty" => ctx.bool(node, path).map(Op::Empty),
        "contains" => {
            let element = match kind {
                ValueKind::Raw => ValueKind::Raw,
                ValueKind::Known(_) => ValueKind::Known(Kind::Text),
            };
            literal(ctx, node, path, element, fact).map(Op::Contains)
        }
        "contains_all" | "contains_any" | "excludes" => {
            let items = ctx.list(node, path, "a list of strings")?;
            let mut matchers = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                if let Some(m) = matcher(ctx, item, &index_path(path, i)) {
                    matchers.push(m);
                }
            }
            if matchers.len() != items.len() {
                return None;
            }
            Some(match name {
                "contains_all" => Op::ContainsAll(matchers),
                "contains_any" => Op::ContainsAny(matchers),
                _ => Op::Excludes(matchers),
            })
        }
        "gt" => ordered(ctx, node, path, kind, fact).map(compare(Comparison::Gt)),
        "gte" => ordered(ctx, node, path, kind, fact).map(compare(Comparison::Gte)),
        "lt" => ordered(ctx, node, path, kind, fact).map(compare(Comparison::Lt)),
        "lte" => ordered(ctx, node, path, kind, fact).map(compare(Comparison::Lte)),
        "any" | "all" | "none" => {
            let scope = element_scope(addressed);
            let check = Box::new(compile(ctx, node, path, &scope)?);
            Some(match name {
                "any" => Op::Any(check),
                "all" => Op::All(check),
                _ => Op::None(check),
            })
        }
        "count" => count(ctx, node, path, addressed),
        "order" => order(ctx, node, path, addressed),
        _ => None,
    }
}

fn element_scope(addressed: &Addressed) -> Scope {
    let elem = match addressed.kind {
        ValueKind::Known(Kind::TextList) => Elem::Text,
        ValueKind::Known(Kind::TextMap) => Elem::Entry,
        ValueKind::Known(Kind::RecordList) => {
            Elem::Record(addressed.catalogue.clone().unwrap_or_default())
        }
        ValueKind::Known(_) | ValueKind::Raw => Elem::Raw,
    };
    Scope::Elements {
        of: addressed.display.clone(),
        elem,
    }
}

fn count(ctx: &mut Ctx<'_>, node: &Node, path: &str, addressed: &Addressed) -> Option<Op> {
    let fields = ctx.map(node, path, "a mapping with `min`, `max` and/or `where`")?;
    fields.reject_unknown(ctx, path, &["min", "max", "where"], "`count`");
    let before = ctx.errors.len();
    let min = fields
        .get("min")
        .and_then(|n| ctx.count(n, &field_path(path, "min")));
    let max = fields
        .get("max")
        .and_then(|n| ctx.count(n, &field_path(path, "max")));
    let check = fields.get("where").and_then(|n| {
        compile(
            ctx,
            n,
            &field_path(path, "where"),
            &element_scope(addressed),
        )
    });
    if !fields.has("min") && !fields.has("max") {
        let location = ctx.at(node, path);
        ctx.push(PolicyError::MissingField {
            location,
            field: "min",
            within: "`count` (give `min`, `max` or both)",
        });
    }
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            let location = ctx.at(node, path);
            ctx.push(PolicyError::CountBounds {
                location,
                min: lo,
                max: hi,
            });
        }
    }
    (ctx.errors.len() == before).then(|| Op::Count {
        check: check.map(Box::new),
        min,
        max,
    })
}

fn order(ctx: &mut Ctx<'_>, node: &Node, path: &str, addressed: &Addressed) -> Option<Op> {
    let fields = ctx.map(node, path, "a mapping with `first` and `then`")?;
    fields.reject_unknown(ctx, path, &["first", "then"], "`order`");
    let scope = element_scope(addressed);
    let first = fields
        .required(ctx, path, "first", "`order`")
        .and_then(|n| compile(ctx, n, &field_path(path, "first"), &scope));
    let then = fields
        .required(ctx, path, "then", "`order`")
        .and_then(|n| compile(ctx, n, &field_path(path, "then"), &scope));
    Some(Op::Order {
        first: Box::new(first?),
        then: Box::new(then?),
    })
}

fn kind_article(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Known(Kind::Bool) => "a boolean (`true` or `false`)",
        ValueKind::Known(Kind::Int) => "an integer",
        ValueKind::Known(Kind::Duration) => "a duration such as `30s`",
        ValueKind::Known(Kind::Size) => "a size such as `200MB`",
        ValueKind::Known(_) => "a string",
        ValueKind::Raw => "a string, an integer or a boolean",
    }
}

fn literal_kind_error(ctx: &mut Ctx<'_>, node: &Node, path: &str, kind: ValueKind, fact: &str) {
    if node.value == Value::Invalid {
        return;
    }
    let location = ctx.at(node, path);
    ctx.push(PolicyError::LiteralKind {
        location,
        fact: fact.to_string(),
        kind_article: kind_article(kind),
        found: node.describe(),
    });
}

/// Reads a literal by the kind of the fact it is compared with.
fn literal(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    kind: ValueKind,
    fact: &str,
) -> Option<Literal> {
    let lit = match (kind, &node.value) {
        (ValueKind::Known(Kind::Bool) | ValueKind::Raw, Value::Bool(b, _)) => Literal::Bool(*b),
        (ValueKind::Known(Kind::Int) | ValueKind::Raw, Value::Int(i, _)) => Literal::Int(*i),
        (ValueKind::Raw, Value::Str(s) | Value::Float(s)) => Literal::Text(s.clone()),
        (ValueKind::Known(Kind::Duration), Value::Str(s)) => match literal::duration(s) {
            Ok(ns) => Literal::Duration(ns),
            Err(reason) => {
                let location = ctx.at(node, path);
                ctx.push(PolicyError::InvalidDuration {
                    location,
                    text: s.clone(),
                    reason,
                });
                return None;
            }
        },
        (ValueKind::Known(Kind::Duration), Value::Int(0, _)) => Literal::Duration(0),
        (ValueKind::Known(Kind::Size), Value::Str(s)) => match literal::size(s) {
            Ok(bytes) => Literal::Size(bytes),
            Err(reason) => {
                let location = ctx.at(node, path);
                ctx.push(PolicyError::InvalidSize {
                    location,
                    text: s.clone(),
                    reason,
                });
                return None;
            }
        },
        (ValueKind::Known(Kind::Size), Value::Int(i, _)) if *i >= 0 => {
            Literal::Size(u64::try_from(*i).unwrap_or_default())
        }
        (ValueKind::Known(Kind::Text | Kind::TextList | Kind::TextMap), _)
            if node.scalar_text().is_some() =>
        {
            Literal::Text(node.scalar_text().unwrap_or_default().to_string())
        }
        _ => {
            literal_kind_error(ctx, node, path, kind, fact);
            return None;
        }
    };
    Some(lit)
}

/// A literal for `gt`/`gte`/`lt`/`lte`: an integer, a duration or a size.
fn ordered(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    kind: ValueKind,
    fact: &str,
) -> Option<Literal> {
    if kind == ValueKind::Raw && !matches!(node.value, Value::Int(..)) {
        literal_kind_error(ctx, node, path, ValueKind::Known(Kind::Int), fact);
        return None;
    }
    literal(ctx, node, path, kind, fact)
}

/// `1 MiB compiled size limit`, `4096 bytes compiled size limit`.
fn size_limit_text(limit: usize) -> String {
    if limit >= 1 << 20 && limit % (1 << 20) == 0 {
        format!("{} MiB compiled size limit", limit >> 20)
    } else {
        format!("{limit} bytes compiled size limit")
    }
}

/// Compiles a regex with the size and nesting limits.
pub fn regex(ctx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Pattern> {
    let source = ctx.text(node, path)?;
    if let Some(regex) = ctx.regexes.get(&source) {
        return Some(Pattern {
            regex: regex.clone(),
            source,
        });
    }
    if ctx.defer_regexes {
        let regex = std::sync::Arc::new(Regex::deferred(ctx.regex_size_limit));
        ctx.regexes.insert(source.clone(), regex.clone());
        return Some(Pattern { source, regex });
    }
    let built = regex::RegexBuilder::new(&source)
        .size_limit(ctx.regex_size_limit)
        .nest_limit(REGEX_NEST_LIMIT)
        .build();
    match built {
        Ok(regex) => {
            let regex = std::sync::Arc::new(Regex::compiled(regex));
            ctx.regexes.insert(source.clone(), regex.clone());
            Some(Pattern { source, regex })
        }
        Err(error) => {
            let location = ctx.at(node, path);
            let shown = super::node::shorten(&source);
            ctx.push(match error {
                regex::Error::CompiledTooBig(_) => PolicyError::RegexLimit {
                    location,
                    regex: shown,
                    limit: size_limit_text(ctx.regex_size_limit),
                },
                regex::Error::Syntax(ref text) if text.contains("maximum number of nested") => {
                    PolicyError::RegexLimit {
                        location,
                        regex: shown,
                        limit: format!("nesting limit of {REGEX_NEST_LIMIT} levels"),
                    }
                }
                other => PolicyError::InvalidRegex {
                    location,
                    regex: shown,
                    detail: regex_detail(&other),
                },
            });
            None
        }
    }
}

/// The one-line reason of a regex error (its text has the regex and a caret line first).
fn regex_detail(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .map_or_else(
            || text.lines().last().unwrap_or_default().trim().to_string(),
            str::to_string,
        )
}

/// Does the text have glob characters?
pub fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

/// A literal string, or a glob when it has `*`, `?`, `[` or `{`.
pub fn matcher(ctx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Matcher> {
    let source = ctx.text(node, path)?;
    if !is_glob(&source) {
        return Some(Matcher { source, glob: None });
    }
    match globset::Glob::new(&source) {
        Ok(glob) => Some(Matcher {
            glob: Some(std::sync::Arc::new(glob.compile_matcher())),
            source,
        }),
        Err(error) => {
            let location = ctx.at(node, path);
            ctx.push(PolicyError::InvalidGlob {
                location,
                glob: source,
                detail: error.kind().to_string(),
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::node::parse;
    use super::*;

    fn compile_text(text: &str) -> Result<Check, Vec<PolicyError>> {
        let node = parse(text).unwrap().unwrap();
        let mut errors = Vec::new();
        let mut ctx = Ctx::new("c.yaml", &mut errors);
        match compile(&mut ctx, &node, "check", &Scope::Root) {
            Some(c) if errors.is_empty() => Ok(c),
            _ => Err(errors),
        }
    }

    fn codes(text: &str) -> Vec<String> {
        compile_text(text)
            .unwrap_err()
            .iter()
            .map(|e| format!("{} {}", e.code(), e))
            .collect()
    }

    #[test]
    fn literals_are_read_by_the_fact_kind() {
        let Check::Fact(f) =
            compile_text("{fact: image.healthcheck.interval, equals: 30s}").unwrap()
        else {
            panic!()
        };
        assert_eq!(
            f.target,
            Target::Path(vec![
                "image".into(),
                "healthcheck".into(),
                "interval".into()
            ])
        );
        assert!(matches!(
            f.ops[0],
            Op::Equals(Literal::Duration(30_000_000_000))
        ));

        let Check::Fact(f) = compile_text("{fact: container.memory, lte: 1GB, gt: 0}").unwrap()
        else {
            panic!()
        };
        assert!(matches!(
            f.ops[0],
            Op::Compare(Comparison::Lte, Literal::Size(1_000_000_000))
        ));
        assert!(matches!(
            f.ops[1],
            Op::Compare(Comparison::Gt, Literal::Size(0))
        ));

        let Check::Fact(f) =
            compile_text("{fact: container.ports, any: {fact: host_port, equals: 8000}}").unwrap()
        else {
            panic!()
        };
        let Op::Any(inner) = &f.ops[0] else { panic!() };
        let Check::Fact(inner) = &**inner else {
            panic!()
        };
        assert_eq!(inner.target, Target::Field("host_port".into()));
        assert!(matches!(&inner.ops[0], Op::Equals(Literal::Text(t)) if t == "8000"));
    }

    #[test]
    fn element_checks_address_the_element() {
        let Check::Fact(f) =
            compile_text("{fact: image.ports, all: {matches: '^\\d+/tcp$'}}").unwrap()
        else {
            panic!()
        };
        let Op::All(inner) = &f.ops[0] else { panic!() };
        let Check::Fact(inner) = &**inner else {
            panic!()
        };
        assert_eq!(inner.target, Target::Element);

        let c = compile_text(
            "{fact: image.env, none: {all_of: [{fact: name, glob: '*_SECRET'}, {fact: value, empty: false}]}}",
        );
        assert!(c.is_ok(), "{c:?}");
    }

    #[test]
    fn combinators_and_documents() {
        let c = compile_text(
            "{all_of: [{document: container}, {not: {fact: container.privileged, equals: true}}]}",
        )
        .unwrap();
        let Check::AllOf(items) = c else { panic!() };
        assert!(matches!(items[0], Check::Document(Root::Container)));
        assert!(matches!(items[1], Check::Not(_)));
    }

    #[test]
    fn count_and_order() {
        let c = compile_text(
            "{fact: history, count: {max: 0, where: {fact: instruction, equals: ADD}}, order: {first: {fact: created_by, matches: 'pip install'}, then: {fact: created_by, matches: 'COPY . '}}}",
        )
        .unwrap();
        let Check::Fact(f) = c else { panic!() };
        assert!(matches!(
            f.ops[0],
            Op::Count {
                min: None,
                max: Some(0),
                check: Some(_)
            }
        ));
        assert!(matches!(f.ops[1], Op::Order { .. }));
    }

    #[test]
    fn pointers() {
        let c = compile_text("{pointer: /Config/User, document: image, equals: appuser}").unwrap();
        let Check::Fact(f) = c else { panic!() };
        assert_eq!(
            f.target,
            Target::Pointer {
                root: Root::Image,
                pointer: "/Config/User".into()
            }
        );
        assert!(codes("{pointer: Config, document: history, exists: true}")
            .iter()
            .any(|c| c.starts_with("policy/invalid-pointer")));
    }

    #[test]
    fn errors_are_all_reported() {
        let errors = codes("{fact: image.uid, equals: 30s, matches: '(', gt: 1h, contians: x}");
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(errors[0].starts_with("policy/unknown-operator"));
        assert!(errors[1].starts_with("policy/literal-kind expected an integer for `image.uid`"));
        assert!(errors[2].starts_with("policy/operator-not-applicable `matches` does not apply"));
        assert!(errors[3].starts_with("policy/literal-kind"));
    }

    #[test]
    fn unknown_facts_suggest_and_explain_lists() {
        let e = compile_text("{fact: image.helthcheck.interval, exists: true}").unwrap_err();
        assert_eq!(
            e[0].help().unwrap(),
            "did you mean `image.healthcheck.interval`?"
        );
        let e = compile_text("{fact: history.created_by, exists: true}").unwrap_err();
        assert!(e[0]
            .help()
            .unwrap()
            .contains("{fact: history, any: {fact: created_by, ...}}"));
        let e = compile_text("{fact: history, any: {fact: createdby, exists: true}}").unwrap_err();
        assert_eq!(e[0].code(), "policy/unknown-element-field");
        assert_eq!(e[0].help().unwrap(), "did you mean `created_by`?");
        let e = compile_text("{fact: image.ports, any: {fact: port, exists: true}}").unwrap_err();
        assert!(e[0].help().unwrap().contains("leave `fact` out"));
    }

    #[test]
    fn regex_limits() {
        let e =
            compile_text("{fact: image.user, matches: '\\w{1000}\\w{1000}\\w{1000}'}").unwrap_err();
        assert_eq!(e[0].code(), "policy/regex-limit");
        assert!(
            e[0].to_string().contains("1 MiB compiled size limit"),
            "{}",
            e[0]
        );
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        let e = compile_text(&format!("{{fact: image.user, matches: '{deep}'}}")).unwrap_err();
        assert_eq!(e[0].code(), "policy/regex-limit");
        assert!(e[0].to_string().contains("nesting limit of 64"), "{}", e[0]);
        let e = compile_text("{fact: image.user, matches: 'a(b'}").unwrap_err();
        assert_eq!(e[0].to_string(), "invalid regex `a(b`: unclosed group");
    }

    #[test]
    fn matchers_are_literal_unless_glob() {
        let Check::Fact(f) =
            compile_text("{fact: image.env, excludes: [JWT_SECRET, 'S3_*']}").unwrap()
        else {
            panic!()
        };
        let Op::Excludes(m) = &f.ops[0] else { panic!() };
        assert!(
            m[0].glob.is_none() && m[0].is_match("JWT_SECRET") && !m[0].is_match("JWT_SECRETS")
        );
        assert!(m[1].glob.is_some() && m[1].is_match("S3_BUCKET"));
        let e = compile_text("{fact: image.env, excludes: ['[a']}").unwrap_err();
        assert_eq!(e[0].code(), "policy/invalid-glob");
    }
}
