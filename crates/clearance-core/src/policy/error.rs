//! Everything that can be wrong with a policy or a waivers file. Each error has the file, line and
//! column, and a path such as `requirements[3].check.matches` (in [`Location::pointer`]).

use crate::diagnostic::{Diagnostic, Location, ToDiagnostic};

/// A problem found while reading, resolving or compiling a policy (or reading waivers).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("invalid YAML: {detail}")]
    Syntax { location: Location, detail: String },

    #[error("the {what} is empty")]
    Empty {
        location: Location,
        what: &'static str,
    },

    #[error("unknown field `{field}` in {within}")]
    UnknownField {
        location: Location,
        field: String,
        within: &'static str,
        suggestion: Option<String>,
        expected: Vec<&'static str>,
    },

    #[error("unknown operator `{operator}`")]
    UnknownOperator {
        location: Location,
        operator: String,
        suggestion: Option<String>,
    },

    #[error("expected {expected}, found {found}")]
    WrongType {
        location: Location,
        expected: String,
        found: String,
    },

    #[error("missing required field `{field}` in {within}")]
    MissingField {
        location: Location,
        field: &'static str,
        within: &'static str,
    },

    #[error("invalid regex `{regex}`: {detail}")]
    InvalidRegex {
        location: Location,
        regex: String,
        detail: String,
    },

    #[error("regex `{regex}` is over the {limit}")]
    RegexLimit {
        location: Location,
        regex: String,
        limit: String,
    },

    #[error("invalid glob `{glob}`: {detail}")]
    InvalidGlob {
        location: Location,
        glob: String,
        detail: String,
    },

    #[error("invalid duration `{text}`: {reason}")]
    InvalidDuration {
        location: Location,
        text: String,
        reason: String,
    },

    #[error("invalid size `{text}`: {reason}")]
    InvalidSize {
        location: Location,
        text: String,
        reason: String,
    },

    #[error("expected {kind_article} for `{fact}`, found {found}")]
    LiteralKind {
        location: Location,
        fact: String,
        kind_article: &'static str,
        found: String,
    },

    #[error("`{operator}` does not apply to `{fact}`, which is a {kind}")]
    OperatorNotApplicable {
        location: Location,
        operator: String,
        fact: String,
        kind: &'static str,
        applicable: Vec<&'static str>,
    },

    #[error("unknown fact `{path}`")]
    UnknownFact {
        location: Location,
        path: String,
        suggestion: Option<String>,
        hint: Option<String>,
    },

    #[error("`{field}` is not a field of the elements of `{list}`")]
    UnknownElementField {
        location: Location,
        field: String,
        list: String,
        fields: Vec<String>,
        suggestion: Option<String>,
    },

    #[error("a check has one form, found both `{first}` and `{second}`")]
    MixedCheck {
        location: Location,
        first: String,
        second: String,
    },

    #[error("the check on `{fact}` has no operator")]
    NoOperator { location: Location, fact: String },

    #[error("`{field}` needs at least one item")]
    EmptyList { location: Location, field: String },

    #[error("`count` has `min` {min} greater than `max` {max}")]
    CountBounds {
        location: Location,
        min: u64,
        max: u64,
    },

    #[error("unknown document `{name}`")]
    UnknownDocument {
        location: Location,
        name: String,
        allowed: Vec<&'static str>,
    },

    #[error("invalid JSON pointer `{pointer}`")]
    InvalidPointer { location: Location, pointer: String },

    #[error("duplicate requirement id `{id}` (first defined at line {first_line})")]
    DuplicateId {
        location: Location,
        id: String,
        first_line: usize,
    },

    #[error("requirement id `{id}` is not of the form `NET-001`")]
    BadId { location: Location, id: String },

    #[error("policy name `{name}` is not lowercase letters, digits and dashes")]
    BadName { location: Location, name: String },

    #[error("unknown severity `{value}`")]
    BadSeverity {
        location: Location,
        value: String,
        suggestion: Option<String>,
    },

    #[error("include cycle: {}", chain.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" → "))]
    IncludeCycle {
        location: Location,
        chain: Vec<String>,
    },

    #[error("the policy loads more than {max} packs (counting the includes of included packs)")]
    TooManyIncludes { location: Location, max: usize },

    #[error("no policy pack named `{name}`")]
    UnknownPack {
        location: Location,
        name: String,
        suggestion: Option<String>,
    },

    #[error("`{pack}` has no requirement `{id}`")]
    UnknownIncludedId {
        location: Location,
        pack: String,
        id: String,
        suggestion: Option<String>,
    },

    #[error("requirement `{id}` is defined by both `{first}` and `{second}`")]
    IncludeConflict {
        location: Location,
        id: String,
        first: String,
        second: String,
    },

    #[error("parameter `{name}` is not declared")]
    UndeclaredParameter {
        location: Location,
        name: String,
        suggestion: Option<String>,
    },

    #[error("`{pack}` has no parameter `{name}`")]
    UnknownParameter {
        location: Location,
        pack: String,
        name: String,
        suggestion: Option<String>,
    },

    #[error("parameter name `{name}` is not letters, digits and underscores")]
    BadParameterName { location: Location, name: String },

    #[error("parameter `{name}` of `{pack}` has no value")]
    ParameterWithoutValue {
        location: Location,
        name: String,
        pack: String,
    },

    #[error("invalid date `{text}`: expected `YYYY-MM-DD`")]
    BadDate { location: Location, text: String },
}

impl PolicyError {
    pub fn location(&self) -> &Location {
        match self {
            PolicyError::Syntax { location, .. }
            | PolicyError::Empty { location, .. }
            | PolicyError::UnknownField { location, .. }
            | PolicyError::UnknownOperator { location, .. }
            | PolicyError::WrongType { location, .. }
            | PolicyError::MissingField { location, .. }
            | PolicyError::InvalidRegex { location, .. }
            | PolicyError::RegexLimit { location, .. }
            | PolicyError::InvalidGlob { location, .. }
            | PolicyError::InvalidDuration { location, .. }
            | PolicyError::InvalidSize { location, .. }
            | PolicyError::LiteralKind { location, .. }
            | PolicyError::OperatorNotApplicable { location, .. }
            | PolicyError::UnknownFact { location, .. }
            | PolicyError::UnknownElementField { location, .. }
            | PolicyError::MixedCheck { location, .. }
            | PolicyError::NoOperator { location, .. }
            | PolicyError::EmptyList { location, .. }
            | PolicyError::CountBounds { location, .. }
            | PolicyError::UnknownDocument { location, .. }
            | PolicyError::InvalidPointer { location, .. }
            | PolicyError::DuplicateId { location, .. }
            | PolicyError::BadId { location, .. }
            | PolicyError::BadName { location, .. }
            | PolicyError::BadSeverity { location, .. }
            | PolicyError::IncludeCycle { location, .. }
            | PolicyError::TooManyIncludes { location, .. }
            | PolicyError::UnknownPack { location, .. }
            | PolicyError::UnknownIncludedId { location, .. }
            | PolicyError::IncludeConflict { location, .. }
            | PolicyError::UndeclaredParameter { location, .. }
            | PolicyError::UnknownParameter { location, .. }
            | PolicyError::BadParameterName { location, .. }
            | PolicyError::ParameterWithoutValue { location, .. }
            | PolicyError::BadDate { location, .. } => location,
        }
    }

    /// Stable machine-readable code (`policy/unknown-field`).
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::Syntax { .. } => "policy/syntax",
            PolicyError::Empty { .. } => "policy/empty",
            PolicyError::UnknownField { .. } => "policy/unknown-field",
            PolicyError::UnknownOperator { .. } => "policy/unknown-operator",
            PolicyError::WrongType { .. } => "policy/wrong-type",
            PolicyError::MissingField { .. } => "policy/missing-field",
            PolicyError::InvalidRegex { .. } => "policy/invalid-regex",
            PolicyError::RegexLimit { .. } => "policy/regex-limit",
            PolicyError::InvalidGlob { .. } => "policy/invalid-glob",
            PolicyError::InvalidDuration { .. } => "policy/invalid-duration",
            PolicyError::InvalidSize { .. } => "policy/invalid-size",
            PolicyError::LiteralKind { .. } => "policy/literal-kind",
            PolicyError::OperatorNotApplicable { .. } => "policy/operator-not-applicable",
            PolicyError::UnknownFact { .. } => "policy/unknown-fact",
            PolicyError::UnknownElementField { .. } => "policy/unknown-element-field",
            PolicyError::MixedCheck { .. } => "policy/mixed-check",
            PolicyError::NoOperator { .. } => "policy/no-operator",
            PolicyError::EmptyList { .. } => "policy/empty-list",
            PolicyError::CountBounds { .. } => "policy/count-bounds",
            PolicyError::UnknownDocument { .. } => "policy/unknown-document",
            PolicyError::InvalidPointer { .. } => "policy/invalid-pointer",
            PolicyError::DuplicateId { .. } => "policy/duplicate-id",
            PolicyError::BadId { .. } => "policy/bad-id",
            PolicyError::BadName { .. } => "policy/bad-name",
            PolicyError::BadSeverity { .. } => "policy/bad-severity",
            PolicyError::IncludeCycle { .. } => "policy/include-cycle",
            PolicyError::TooManyIncludes { .. } => "policy/too-many-includes",
            PolicyError::UnknownPack { .. } => "policy/unknown-pack",
            PolicyError::UnknownIncludedId { .. } => "policy/unknown-included-id",
            PolicyError::IncludeConflict { .. } => "policy/include-conflict",
            PolicyError::UndeclaredParameter { .. } => "policy/undeclared-parameter",
            PolicyError::UnknownParameter { .. } => "policy/unknown-parameter",
            PolicyError::BadParameterName { .. } => "policy/bad-parameter-name",
            PolicyError::ParameterWithoutValue { .. } => "policy/parameter-without-value",
            PolicyError::BadDate { .. } => "policy/bad-date",
        }
    }

    /// How to fix it, when there is something to say.
    pub fn help(&self) -> Option<String> {
        let did_you_mean = |s: &Option<String>| s.as_ref().map(|s| format!("did you mean `{s}`?"));
        match self {
            PolicyError::Syntax { .. } => Some(
                "policies are YAML or JSON; check the indentation and quoting around this point"
                    .to_string(),
            ),
            PolicyError::Empty { .. } => None,
            PolicyError::UnknownField {
                suggestion,
                expected,
                ..
            } => did_you_mean(suggestion).or_else(|| Some(format!("expected {}", list(expected)))),
            PolicyError::UnknownOperator { suggestion, .. } => did_you_mean(suggestion).or_else(|| {
                Some("see the operators in `docs/policy-language.md`".to_string())
            }),
            PolicyError::WrongType { .. } | PolicyError::MissingField { .. } => None,
            PolicyError::InvalidRegex { .. } => Some(
                "the syntax is that of the Rust `regex` crate (no look-around or backreferences); \
                 quote the regex with single quotes in YAML so backslashes stay as written"
                    .to_string(),
            ),
            PolicyError::RegexLimit { .. } => {
                Some("split it into several simpler checks, or use `glob`".to_string())
            }
            PolicyError::InvalidGlob { .. } => Some(
                "`*` matches any text, `?` one character, `[abc]` a set, `{a,b}` alternatives"
                    .to_string(),
            ),
            PolicyError::InvalidDuration { .. } => Some(
                "write numbers with units, largest first: `30s`, `1m30s`, `500ms`, `1.5h` (units: h, m, s, ms, us, ns), or `0`"
                    .to_string(),
            ),
            PolicyError::InvalidSize { .. } => Some(
                "write a number and a unit: `200MB`, `1.5GB`, `512MiB` (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB), or a whole number of bytes"
                    .to_string(),
            ),
            PolicyError::LiteralKind { .. } => None,
            PolicyError::OperatorNotApplicable {
                applicable, kind, ..
            } => Some(format!("operators for a {kind}: {}", list(applicable))),
            PolicyError::UnknownFact {
                suggestion, hint, ..
            } => hint.clone().or_else(|| did_you_mean(suggestion)).or_else(|| {
                Some("the facts are listed in `policies/README.md` (fact catalogue)".to_string())
            }),
            PolicyError::UnknownElementField {
                suggestion,
                fields,
                list: of,
                ..
            } => {
                if fields.is_empty() {
                    Some(format!(
                        "the elements of `{of}` are strings: leave `fact` out to address the element itself"
                    ))
                } else {
                    did_you_mean(suggestion).or_else(|| {
                        let names: Vec<&str> = fields.iter().map(String::as_str).collect();
                        Some(format!("the fields are {}", list(&names)))
                    })
                }
            }
            PolicyError::MixedCheck { .. } => Some(
                "write `{all_of: [...]}`, `{any_of: [...]}`, `{not: ...}`, `{document: ...}`, or \
                 `{fact: PATH, OPERATOR: ARGUMENT, ...}`; combine forms with `all_of`"
                    .to_string(),
            ),
            PolicyError::NoOperator { .. } => {
                Some("add an operator, e.g. `exists: true` or `equals: ...`".to_string())
            }
            PolicyError::EmptyList { field, .. } if field == "one_of" => Some(
                "a value is never one of no values; a list given by a parameter may be empty"
                    .to_string(),
            ),
            PolicyError::EmptyList { .. } => None,
            PolicyError::CountBounds { .. } => None,
            PolicyError::UnknownDocument { allowed, .. } => {
                Some(format!("expected {}", list(allowed)))
            }
            PolicyError::InvalidPointer { .. } => Some(
                "a JSON pointer starts with `/`, e.g. `/Config/User` (`~1` for a `/` in a key)"
                    .to_string(),
            ),
            PolicyError::DuplicateId { .. } => {
                Some("give each requirement its own id".to_string())
            }
            PolicyError::BadId { .. } => Some(
                "use upper-case letters and digits in dash-separated groups, ending in a number: \
                 `NET-001`, `IMG-SECRET-002`"
                    .to_string(),
            ),
            PolicyError::BadName { .. } => Some("e.g. `reactbin-api-prod`".to_string()),
            PolicyError::BadSeverity { suggestion, .. } => did_you_mean(suggestion)
                .or_else(|| Some("use `error`, `warning` or `info`".to_string())),
            PolicyError::TooManyIncludes { .. } => Some(
                "include each pack once; a pack included with `with:` values is loaded once per include"
                    .to_string(),
            ),
            PolicyError::IncludeCycle { .. } => {
                Some("remove one of these includes".to_string())
            }
            PolicyError::UnknownPack { suggestion, .. } => did_you_mean(suggestion).or_else(|| {
                Some("`clearance policies` lists the built-in packs".to_string())
            }),
            PolicyError::UnknownIncludedId { suggestion, .. } => did_you_mean(suggestion),
            PolicyError::IncludeConflict { .. } => Some(
                "disable it in one of the includes, or override it in this policy".to_string(),
            ),
            PolicyError::UndeclaredParameter { suggestion, .. } => did_you_mean(suggestion)
                .or_else(|| {
                    Some("declare it under `parameters:` with a default value".to_string())
                }),
            PolicyError::UnknownParameter { suggestion, .. } => did_you_mean(suggestion),
            PolicyError::BadParameterName { .. } => Some(
                "start with a letter or `_`, then letters, digits and `_`: `max_memory`".to_string(),
            ),
            PolicyError::ParameterWithoutValue { .. } => Some(
                "give it a default under `parameters:`, or a value in the including policy's `with:`"
                    .to_string(),
            ),
            PolicyError::BadDate { .. } => {
                Some("e.g. `2026-12-31` (the last day the waiver applies)".to_string())
            }
        }
    }
}

fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => "nothing".to_string(),
        Some((only, [])) => only.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

impl ToDiagnostic for PolicyError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            code: self.code().to_string(),
            message: self.to_string(),
            help: self.help(),
            location: self.location().clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        assert_eq!(list(&["a"]), "`a`");
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` or `c`");
    }

    #[test]
    fn cycle_message_shows_the_chain() {
        let e = PolicyError::IncludeCycle {
            location: Location::at("a.yaml", 3, 5),
            chain: vec!["a".into(), "b".into(), "a".into()],
        };
        assert_eq!(e.to_string(), "include cycle: `a` → `b` → `a`");
        assert_eq!(e.to_diagnostic().code, "policy/include-cycle");
    }
}
