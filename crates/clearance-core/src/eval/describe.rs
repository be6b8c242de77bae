//! The human form of a check: the `expected` line of a result
//! (`` `image.healthcheck.interval` equals 30s ``,
//! `` `history` has no layer with `created_by` matching `(?i)password` ``,
//! `` `image.env` has no key matching `JWT_SECRET_KEY`, `S3_*` ``).
//!
//! Only policy text appears here (paths, literals, patterns), never a value from a dump.

use crate::facts::catalogue::{self, Kind};
use crate::facts::{duration, size, FactValue};
use crate::policy::{Check, Comparison, FactCheck, Literal, Matcher, Op, Target};

/// The human form of a check.
pub(crate) fn check(c: &Check) -> String {
    check_in(c, None)
}

/// `parent` is the catalogue path of the list whose elements the check addresses (`history`), so that
/// fields can be looked up (`history[].created_by`).
fn check_in(c: &Check, parent: Option<&str>) -> String {
    match c {
        Check::AllOf(checks) => join(checks, " and ", parent, "every check holds (none given)"),
        Check::AnyOf(checks) => join(checks, " or ", parent, "one of no alternatives holds"),
        Check::Not(inner) => format!("not ({})", check_in(inner, parent)),
        Check::Document(root) => format!("a {} dump is given", root.name()),
        Check::Fact(fc) => fact(fc, parent),
    }
}

fn join(checks: &[Check], sep: &str, parent: Option<&str>, empty: &str) -> String {
    if checks.is_empty() {
        return empty.to_string();
    }
    let parts: Vec<String> = checks
        .iter()
        .map(|c| {
            let text = check_in(c, parent);
            let compound = match c {
                Check::AllOf(cs) | Check::AnyOf(cs) => cs.len() > 1,
                Check::Fact(fc) => fc.ops.len() > 1,
                _ => false,
            };
            if compound && checks.len() > 1 {
                format!("({text})")
            } else {
                text
            }
        })
        .collect();
    parts.join(sep)
}

fn fact(fc: &FactCheck, parent: Option<&str>) -> String {
    let path = path_of(&fc.target, parent);
    let subject = subject_of(&fc.target);
    let clauses: Vec<String> = fc
        .ops
        .iter()
        .map(|op| op_clause(&subject, path.as_deref(), op))
        .collect();
    if clauses.is_empty() {
        format!("{subject} (no operator)")
    } else {
        clauses.join(" and ")
    }
}

/// How a target is named in a sentence.
fn subject_of(target: &Target) -> String {
    match target {
        Target::Element => "the element".to_string(),
        other => format!("`{}`", other.display()),
    }
}

/// The catalogue path a target addresses, when known.
fn path_of(target: &Target, parent: Option<&str>) -> Option<String> {
    match target {
        Target::Path(segments) => Some(segments.join(".")),
        Target::Field(field) => parent.map(|p| format!("{p}[].{field}")),
        Target::Element | Target::Pointer { .. } => None,
    }
}

fn kind_of(path: Option<&str>) -> Option<Kind> {
    path.and_then(catalogue::lookup).map(|e| e.kind)
}

/// What the elements of a list or map target are called (singular, plural).
pub(crate) fn element_nouns(target: &Target) -> (&'static str, &'static str) {
    // the path compared segment by segment, not joined: evaluation asks on every outcome
    match target {
        Target::Path(segments) => nouns_where(|path| path_is(path, segments), || kind_at(segments)),
        _ => nouns_for(None),
    }
}

fn nouns_for(path: Option<&str>) -> (&'static str, &'static str) {
    nouns_where(|p| path == Some(p), || kind_of(path))
}

/// The nouns of the catalogue path that `is` names, of kind `kind`.
fn nouns_where(
    is: impl Fn(&str) -> bool,
    kind: impl FnOnce() -> Option<Kind>,
) -> (&'static str, &'static str) {
    if is("history") {
        ("layer", "layers")
    } else if is("container.mounts") {
        ("mount", "mounts")
    } else if is("container.ports") {
        ("port", "ports")
    } else if kind() == Some(Kind::TextMap) {
        ("entry", "entries")
    } else {
        ("element", "elements")
    }
}

/// What `contains_all`, `contains_any` and `excludes` look at: map keys or list elements.
pub(crate) fn key_nouns(target: &Target) -> (&'static str, &'static str) {
    match target {
        Target::Path(segments) => key_nouns_of(kind_at(segments)),
        _ => key_nouns_for(None),
    }
}

fn key_nouns_for(path: Option<&str>) -> (&'static str, &'static str) {
    key_nouns_of(kind_of(path))
}

fn key_nouns_of(kind: Option<Kind>) -> (&'static str, &'static str) {
    if kind == Some(Kind::TextMap) {
        ("key", "keys")
    } else {
        ("element", "elements")
    }
}

/// [`kind_of`] the path `segments` joined with `.`, found without joining them.
fn kind_at(segments: &[String]) -> Option<Kind> {
    catalogue::ENTRIES
        .iter()
        .find(|e| path_is(e.path, segments))
        .map(|e| e.kind)
}

/// Whether the dotted catalogue `path` is `segments` joined with `.`.
fn path_is(path: &str, segments: &[String]) -> bool {
    let mut rest = path;
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            match rest.strip_prefix('.') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        match rest.strip_prefix(segment.as_str()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

fn op_clause(s: &str, path: Option<&str>, op: &Op) -> String {
    let (noun, nouns) = nouns_for(path);
    let (key, keys) = key_nouns_for(path);
    let inner_parent = path;
    match op {
        Op::Equals(l) => format!("{s} equals {}", literal(l)),
        Op::OneOf(ls) => format!("{s} is one of {}", literals(ls)),
        Op::Matches(p) => format!("{s} matches `{}`", p.source),
        Op::NotMatches(p) => format!("{s} does not match `{}`", p.source),
        Op::Glob(m) => format!("{s} matches the glob `{}`", m.source),
        Op::Exists(true) => format!("{s} is present"),
        Op::Exists(false) => format!("{s} is absent"),
        Op::Empty(true) => format!("{s} is empty"),
        Op::Empty(false) => format!("{s} is not empty"),
        Op::Contains(l) => format!("{s} contains {}", literal(l)),
        Op::ContainsAll(ms) => format!("{s} has {keys} matching each of {}", matchers(ms)),
        Op::ContainsAny(ms) => format!("{s} has {} matching one of {}", a(key), matchers(ms)),
        Op::Excludes(ms) => format!("{s} has no {key} matching {}", matchers(ms)),
        Op::Compare(cmp, l) => format!("{s} {} {}", comparison(*cmp), literal(l)),
        Op::Any(c) => match has_form(c) {
            Some(h) => format!("{s} has {} {h}", a(noun)),
            None => format!("{s} has {} where {}", a(noun), check_in(c, inner_parent)),
        },
        Op::All(c) => match has_form(c) {
            Some(h) => format!("{s} has only {nouns} {h}"),
            None => format!(
                "every {noun} of {s} satisfies: {}",
                check_in(c, inner_parent)
            ),
        },
        Op::None(c) => match has_form(c) {
            Some(h) => format!("{s} has no {noun} {h}"),
            None => format!("{s} has no {noun} where {}", check_in(c, inner_parent)),
        },
        Op::Count { check, min, max } => {
            let b = bounds(*min, *max);
            match check {
                None => format!("{s} has {b} {nouns}"),
                Some(c) => match has_form(c) {
                    Some(h) => format!("{s} has {b} {nouns} {h}"),
                    None => format!("{s} has {b} {nouns} where {}", check_in(c, inner_parent)),
                },
            }
        }
        Op::Order { first, then } => format!(
            "in {s}, the first {noun} where {} comes before every {noun} where {}",
            check_in(first, inner_parent),
            check_in(then, inner_parent)
        ),
    }
}

/// A short form for an element check with one operator: `with `created_by` matching `re``,
/// `matching `re`` (for the element itself).
fn has_form(c: &Check) -> Option<String> {
    let Check::Fact(fc) = c else { return None };
    let [op] = fc.ops.as_slice() else { return None };
    let participle = match op {
        Op::Equals(l) => format!("equal to {}", literal(l)),
        Op::OneOf(ls) => format!("equal to one of {}", literals(ls)),
        Op::Matches(p) => format!("matching `{}`", p.source),
        Op::NotMatches(p) => format!("not matching `{}`", p.source),
        Op::Glob(m) => format!("matching the glob `{}`", m.source),
        Op::Contains(l) => format!("containing {}", literal(l)),
        Op::Compare(cmp, l) => format!("{} {}", comparison_participle(*cmp), literal(l)),
        _ => return None,
    };
    match &fc.target {
        Target::Field(field) => Some(format!("with `{field}` {participle}")),
        Target::Element => Some(participle),
        _ => None,
    }
}

fn comparison(cmp: Comparison) -> &'static str {
    match cmp {
        Comparison::Gt => "is greater than",
        Comparison::Gte => "is at least",
        Comparison::Lt => "is less than",
        Comparison::Lte => "is at most",
    }
}

fn comparison_participle(cmp: Comparison) -> &'static str {
    match cmp {
        Comparison::Gt => "greater than",
        Comparison::Gte => "at least",
        Comparison::Lt => "less than",
        Comparison::Lte => "at most",
    }
}

/// `at least 1`, `at most 3`, `between 1 and 3`, `exactly 2`, `any number of`.
pub(crate) fn bounds(min: Option<u64>, max: Option<u64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("exactly {a}"),
        (Some(a), Some(b)) => format!("between {a} and {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any number of".to_string(),
    }
}

/// A policy literal as text: strings in backticks, durations and sizes in their usual form.
pub(crate) fn literal(l: &Literal) -> String {
    let mut out = String::new();
    literal_into(&mut out, l);
    out
}

/// [`literal`] appended to `out`.
fn literal_into(out: &mut String, l: &Literal) {
    match l {
        Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Literal::Int(i) => out.push_str(&i.to_string()),
        Literal::Text(s) => quoted_into(out, s),
        Literal::Duration(ns) => out.push_str(&duration::format(*ns)),
        Literal::Size(bytes) => out.push_str(&size::format(*bytes)),
    }
}

/// `the duration 30s`, `the string `root``, for type mismatch messages.
pub(crate) fn literal_with_kind(l: &Literal) -> String {
    let kind = match l {
        Literal::Bool(_) => "the boolean",
        Literal::Int(_) => "the integer",
        Literal::Text(_) => "the string",
        Literal::Duration(_) => "the duration",
        Literal::Size(_) => "the size",
    };
    format!("{kind} {}", literal(l))
}

/// The values of a list, comma-separated; `(an empty list)` when there are none (a parameter can
/// give an empty list: `one of (an empty list)`, never a bare `one of `).
pub(crate) fn literals(ls: &[Literal]) -> String {
    if ls.is_empty() {
        return "(an empty list)".to_string();
    }
    // written in place: a parameter's list of names is described on every evaluation
    let mut out = String::new();
    for (i, l) in ls.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        literal_into(&mut out, l);
    }
    out
}

/// The patterns, each in backticks, comma-separated; `(an empty list)` when there are none.
pub(crate) fn matchers(ms: &[Matcher]) -> String {
    if ms.is_empty() {
        return "(an empty list)".to_string();
    }
    sources(ms.iter())
}

/// [`matchers`] of some of a list's patterns (never empty).
pub(crate) fn matcher_refs(ms: &[&Matcher]) -> String {
    sources(ms.iter().copied())
}

/// `` `a`, `b` ``: one string sized once, not a string per pattern joined.
fn sources<'m>(ms: impl Iterator<Item = &'m Matcher> + Clone) -> String {
    let len = ms.clone().map(|m| m.source.len() + 4).sum();
    let mut out = String::with_capacity(len);
    for (i, m) in ms.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        quoted_into(&mut out, &m.source);
    }
    out
}

/// `` `s` `` appended to `out`.
fn quoted_into(out: &mut String, s: &str) {
    out.push('`');
    out.push_str(s);
    out.push('`');
}

/// `a layer`, `an element`, `an entry`.
pub(crate) fn a(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

/// `a string`, `an integer`, `absent`: a value's kind in a sentence.
pub(crate) fn a_kind(v: &FactValue) -> String {
    match v {
        FactValue::Unknown(_) => "unknown".to_string(),
        FactValue::Absent => "absent".to_string(),
        FactValue::Int(_) => "an integer".to_string(),
        FactValue::List(items) => format!("a list of {} elements", items.len()),
        FactValue::Map(entries) => format!("a map of {} entries", entries.len()),
        other => format!("a {}", other.kind_name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nouns of a path's segments are those of the joined path, for every catalogue path, its
    /// prefixes and a few that are not in it.
    #[test]
    fn nouns_of_segments_are_those_of_the_joined_path() {
        let mut paths: Vec<String> = catalogue::ENTRIES
            .iter()
            .map(|e| e.path.to_string())
            .collect();
        paths.extend(["image.env.x", "history.x", "contain", "image..env", ""].map(String::from));
        for path in &paths {
            let segments: Vec<String> = path.split('.').map(String::from).collect();
            let target = Target::Path(segments.clone());
            assert_eq!(element_nouns(&target), nouns_for(Some(path)), "{path}");
            assert_eq!(key_nouns(&target), key_nouns_for(Some(path)), "{path}");
            assert_eq!(kind_at(&segments), kind_of(Some(path)), "{path}");
        }
    }
}
