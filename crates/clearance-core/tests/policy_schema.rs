//! `policies/schema.json`: generated here from the language's tables (operators, the fact catalogue),
//! checked against the 2020-12 meta-schema, and used by a real validator on every shipped pack, every
//! valid fixture, and invalid examples.
//!
//! When the language changes, regenerate it with
//! `CLEARANCE_BLESS=1 cargo test -p clearance-core --test policy_schema` and review the diff.
#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test harness: it reads (and, when blessing, writes) the schema file and fails loudly"
)]

use clearance_core::builtin::BuiltinResolver;
use clearance_core::facts::catalogue;
use clearance_core::policy::{self, OPERATORS};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn param() -> Value {
    json!({"$ref": "#/$defs/param"})
}

/// `schema` or `{param: NAME}`.
fn arg(schema: Value) -> Value {
    json!({"anyOf": [schema, param()]})
}

fn described(description: &str, schema: Value) -> Value {
    let mut s = schema;
    if let Some(obj) = s.as_object_mut() {
        obj.insert("description".into(), json!(description));
    }
    s
}

/// Operator argument schemas, with their descriptions (from `docs/policy-language.md`).
fn operator(name: &str) -> Value {
    let literal = json!({"$ref": "#/$defs/literal"});
    let patterns = json!({"$ref": "#/$defs/patterns"});
    let check = json!({"$ref": "#/$defs/check"});
    let (description, schema) = match name {
        "equals" => ("The value equals it (durations, sizes and integers are compared as such: `equals: 30s`).", literal),
        "one_of" => ("The value equals one of them (written in place, at least one; a parameter's list may be empty).", arg(json!({"type": "array", "minItems": 1, "items": literal}))),
        "matches" => ("The string contains a match of this regex (Rust `regex` syntax; `(?i)` for case-insensitive; anchor with `^…$`).", json!({"$ref": "#/$defs/text"})),
        "not_matches" => ("The string contains no match of this regex (an absent value holds).", json!({"$ref": "#/$defs/text"})),
        "glob" => ("The whole string matches the glob (`python:3.12-slim*`).", json!({"$ref": "#/$defs/text"})),
        "exists" => ("`true`: the value is present (not absent/null); `false`: it is absent.", arg(json!({"type": "boolean"}))),
        "absent" => ("Same as `exists: false`.", arg(json!({"const": true}))),
        "empty" => ("`true`: absent, `\"\"`, `[]` or `{}`.", arg(json!({"type": "boolean"}))),
        "contains" => ("A list has an equal element / a map has the key / a string has the substring.", literal),
        "contains_all" => ("Every pattern matches some element (list) or key (map).", patterns),
        "contains_any" => ("Some pattern matches some element or key.", patterns),
        "excludes" => ("No element or key matches any of the patterns.", patterns),
        "gt" | "gte" | "lt" | "lte" => ("Numeric comparison by the fact's kind: an integer, a duration (`30s`) or a size (`200MB`).", arg(json!({"type": ["integer", "string"]}))),
        "any" => ("Some element satisfies the check (inside, `fact` names a field of the element, or is left out for a string element).", check),
        "all" => ("Every element satisfies the check (true for an empty list).", check),
        "none" => ("No element satisfies the check.", check),
        "count" => ("The number of elements (satisfying `where`, when given) is within `min`..`max`.", arg(json!({
            "type": "object",
            "properties": {
                "min": arg(json!({"type": "integer", "minimum": 0})),
                "max": arg(json!({"type": "integer", "minimum": 0})),
                "where": check,
            },
            "additionalProperties": false,
            "anyOf": [{"required": ["min"]}, {"required": ["max"]}],
        }))),
        "order" => ("Some element satisfies `first`, some satisfies `then`, and the first element satisfying `first` comes before every element satisfying `then`.", arg(json!({
            "type": "object",
            "properties": {"first": check, "then": check},
            "required": ["first", "then"],
            "additionalProperties": false,
        }))),
        other => panic!("no schema for operator `{other}`"),
    };
    described(description, schema)
}

/// A check form: `extra` properties plus every operator, nothing else, at least one operator.
fn operator_form(extra: Value, required: &[&str]) -> Value {
    let mut properties = extra.as_object().cloned().unwrap_or_default();
    for op in OPERATORS {
        properties.insert((*op).to_string(), operator(op));
    }
    let ops: Vec<Value> = OPERATORS.iter().map(|o| json!({"required": [o]})).collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
        "anyOf": ops,
    })
}

fn fact_names() -> Value {
    let roots: Vec<&str> = catalogue::ENTRIES
        .iter()
        .map(|e| e.path)
        .filter(|p| !p.contains("[]"))
        .collect();
    let mut fields: Vec<&str> = catalogue::ENTRIES
        .iter()
        .filter_map(|e| e.path.rsplit_once("[].").map(|(_, f)| f))
        .chain(["name", "value"])
        .collect();
    fields.sort_unstable();
    fields.dedup();
    json!({
        "description": "A fact path from the root (`image.healthcheck.interval`; see the fact catalogue in `policies/README.md`), or inside `any`/`all`/`none`/`count`/`order` a field of the element (`created_by`; `name`/`value` for env and labels).",
        "anyOf": [
            {"enum": roots},
            {"enum": fields},
            {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
            param(),
        ],
    })
}

/// `YYYY-MM-DD` with a month 01–12 and a day that month can have (29 February in any year).
const DATE_PATTERN: &str = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$";

/// The JSON Schema of policies and waivers files.
fn schema() -> Value {
    let text = json!({"type": ["string", "number", "boolean"]});
    let non_empty_scalar = json!({"type": ["string", "number", "boolean"], "pattern": "\\S"});
    let requirement_fields = json!({
        "id": arg(json!({"$ref": "#/$defs/requirementId"})),
        "title": described("The property that must hold, e.g. \"Runs as non-root UID 1001\".", json!({"$ref": "#/$defs/nonEmptyText"})),
        "section": described("Groups requirements in reports, e.g. \"User\".", json!({"$ref": "#/$defs/nonEmptyText"})),
        "severity": arg(json!({"$ref": "#/$defs/severity"})),
        "description": described("What it checks and why it matters; quote the contract clause.", json!({"$ref": "#/$defs/nonEmptyText"})),
        "remediation": described("How to fix a failure.", json!({"$ref": "#/$defs/nonEmptyText"})),
        "clause": described("Where in the source document the requirement comes from.", json!({"$ref": "#/$defs/text"})),
        "example": described("A failing dump fragment, shown by `explain`.", json!({"$ref": "#/$defs/text"})),
        "when": described("The requirement is not applicable unless this check holds.", json!({"$ref": "#/$defs/check"})),
        "check": described("What must hold.", json!({"$ref": "#/$defs/check"})),
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/clearance/policies/schema.json",
        "title": "clearance policy or waivers file",
        "description": "A clearance policy (requirements over docker/podman/OCI dumps) or, when it has `waivers`, a waivers file. Generated by crates/clearance-core/tests/policy_schema.rs; see policies/README.md.",
        "if": {"type": "object", "required": ["waivers"]},
        "then": {"$ref": "#/$defs/waiversFile"},
        "else": {"$ref": "#/$defs/policy"},
        "$defs": {
            "policy": {
                "type": "object",
                "properties": {
                    "name": described("Lowercase letters, digits and dashes; what `include:` and `--policy` use.", arg(json!({"type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"}))),
                    "title": described("What the policy is for.", json!({"$ref": "#/$defs/nonEmptyText"})),
                    "version": json!({"$ref": "#/$defs/text"}),
                    "description": json!({"$ref": "#/$defs/text"}),
                    "source": described("The document the policy encodes (a path or URL).", json!({"$ref": "#/$defs/text"})),
                    "out_of_scope": described("Contract clauses dumps cannot show, and what is checked instead.", arg(json!({
                        "type": "array",
                        "items": arg(json!({
                            "type": "object",
                            "properties": {"clause": {"$ref": "#/$defs/nonEmptyText"}, "proxy": {"$ref": "#/$defs/text"}},
                            "required": ["clause"],
                            "additionalProperties": false,
                        })),
                    }))),
                    "parameters": {
                        "description": "Named values used as `{param: NAME}`, with their defaults (`null`: no default, an including policy must give one in `with:`).",
                        "type": "object",
                        "propertyNames": {"$ref": "#/$defs/parameterName"},
                    },
                    "include": described("Built-in packs whose requirements come first, in this order.", arg(json!({
                        "type": "array",
                        "items": arg(json!({"$ref": "#/$defs/include"})),
                    }))),
                    "requirements": arg(json!({"type": "array", "items": arg(json!({"$ref": "#/$defs/requirement"}))})),
                },
                "required": ["name", "title"],
                "additionalProperties": false,
            },
            "include": {
                "anyOf": [
                    described("A pack name, included as is.", json!({"$ref": "#/$defs/nonEmptyText"})),
                    {
                        "type": "object",
                        "properties": {
                            "pack": described("The pack name.", json!({"$ref": "#/$defs/nonEmptyText"})),
                            "with": described("Values for the pack's parameters.", arg(json!({"type": "object", "propertyNames": {"$ref": "#/$defs/parameterName"}}))),
                            "disable": described("Ids of its requirements to leave out.", arg(json!({"type": "array", "items": arg(json!({"$ref": "#/$defs/requirementId"}))}))),
                            "severity": described("New severities for some of its requirements, by id.", arg(json!({
                                "type": "object",
                                "propertyNames": {"$ref": "#/$defs/requirementId"},
                                "additionalProperties": arg(json!({"$ref": "#/$defs/severity"})),
                            }))),
                        },
                        "required": ["pack"],
                        "additionalProperties": false,
                    },
                ],
            },
            "requirement": {
                "type": "object",
                "properties": requirement_fields,
                "required": ["id", "title", "section", "severity", "description", "remediation", "check"],
                "additionalProperties": false,
            },
            "requirementId": {
                "description": "Stable id: dash-separated groups of upper-case letters and digits, ending in a number (`NET-001`, `IMG-SECRET-002`).",
                "type": "string",
                "pattern": "^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]+$",
            },
            "severity": {
                "description": "`error` blocks promotion; `warning` and `info` do not.",
                "enum": ["error", "warning", "info"],
            },
            "text": arg(text.clone()),
            "nonEmptyText": arg(json!({"type": ["string", "number", "boolean"], "pattern": "\\S"})),
            "parameterName": {
                "description": "An ASCII letter or `_`, then letters, digits and `_` (`max_memory`).",
                "type": "string",
                "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
            },
            "literal": arg(json!({"type": ["string", "integer", "boolean", "number"]})),
            "patterns": described(
                "Literal strings, or globs when they contain `*`, `?`, `[` or `{`.",
                arg(json!({"type": "array", "items": {"$ref": "#/$defs/text"}})),
            ),
            "param": {
                "description": "Replaced by the parameter's value: the including policy's `with:`, else the declared default.",
                "type": "object",
                "properties": {"param": {"$ref": "#/$defs/parameterName"}},
                "required": ["param"],
                "additionalProperties": false,
            },
            "document": {"enum": ["image", "history", "container"]},
            "check": {
                "description": "`{all_of: [...]}`, `{any_of: [...]}`, `{not: ...}`, `{document: ...}`, `{fact: PATH, OPERATOR: ARGUMENT, ...}`, `{pointer: /Config/User, document: image, OPERATOR: ...}`, or inside `any`/`all`/… operators alone (the element itself).",
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {"all_of": described("Every check holds.", arg(json!({"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/check"}})))},
                        "required": ["all_of"],
                        "additionalProperties": false,
                    },
                    {
                        "type": "object",
                        "properties": {"any_of": described("At least one check holds.", arg(json!({"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/check"}})))},
                        "required": ["any_of"],
                        "additionalProperties": false,
                    },
                    {
                        "type": "object",
                        "properties": {"not": described("The check does not hold.", json!({"$ref": "#/$defs/check"}))},
                        "required": ["not"],
                        "additionalProperties": false,
                    },
                    {
                        "type": "object",
                        "properties": {"document": described("Such a document was given.", arg(json!({"$ref": "#/$defs/document"})))},
                        "required": ["document"],
                        "additionalProperties": false,
                    },
                    operator_form(json!({"fact": fact_names()}), &["fact"]),
                    operator_form(json!({
                        "pointer": described("An RFC 6901 JSON pointer into the raw image or container object.", arg(json!({"type": "string", "pattern": "^(/.*)?$"}))),
                        "document": arg(json!({"enum": ["image", "container"]})),
                    }), &["pointer", "document"]),
                    operator_form(json!({}), &[]),
                    param(),
                ],
            },
            "waiversFile": {
                "type": "object",
                "properties": {"waivers": {"type": "array", "items": {"$ref": "#/$defs/waiver"}}},
                "required": ["waivers"],
                "additionalProperties": false,
            },
            "waiver": {
                "description": "Turns `fail` or `error` into `waived` for one requirement.",
                "type": "object",
                "properties": {
                    "id": {"$ref": "#/$defs/requirementId"},
                    "image": described("A pattern over tags, digests and the image id; all images when left out.", non_empty_scalar.clone()),
                    "reason": described("Why the exception is accepted.", non_empty_scalar),
                    "approver": text,
                    "expires": described("`YYYY-MM-DD`, the last day the waiver applies (a day of that month; the schema lets 29 February through in every year, the loader only in leap years).", json!({"type": "string", "pattern": DATE_PATTERN})),
                },
                "required": ["id", "reason"],
                "additionalProperties": false,
            },
        },
    })
}

fn schema_path() -> PathBuf {
    repo().join("policies/schema.json")
}

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path()).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

fn as_json(text: &str) -> Value {
    policy::parse_to_json(text).unwrap()
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn schema_file_is_up_to_date() {
    let generated = format!("{}\n", serde_json::to_string_pretty(&schema()).unwrap());
    if std::env::var_os("CLEARANCE_BLESS").is_some() {
        std::fs::write(schema_path(), &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(schema_path()).unwrap();
    assert!(
        committed == generated,
        "policies/schema.json is stale: run `CLEARANCE_BLESS=1 cargo test -p clearance-core --test policy_schema` and review the diff"
    );
    assert!(
        committed == clearance_core::builtin::POLICY_SCHEMA,
        "the embedded copy (builtin::POLICY_SCHEMA) differs from the file: rebuild"
    );
}

#[test]
fn schema_is_a_valid_2020_12_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path()).unwrap()).unwrap();
    assert!(jsonschema::draft202012::meta::is_valid(&schema));
}

#[test]
fn shipped_packs_validate_and_load() {
    let v = validator();
    let mut problems = Vec::new();
    let mut packs: Vec<PathBuf> = std::fs::read_dir(repo().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    packs.sort();
    assert!(!packs.is_empty());
    for path in packs {
        let name = format!("policies/{}", path.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(&path).unwrap();
        for e in errors(&v, &as_json(&text)) {
            problems.push(format!("{name}: schema: {e}"));
        }
        if let Err(errs) = policy::load(&name, &text, &BuiltinResolver) {
            for e in errs {
                problems.push(format!("{name}: load: {e} ({})", e.location()));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn valid_fixtures_validate() {
    let v = validator();
    let dir = repo().join("tests/policy-valid");
    let mut files: Vec<PathBuf> = Vec::new();
    for sub in [dir.clone(), dir.join("packs")] {
        for e in std::fs::read_dir(sub).unwrap() {
            let p = e.unwrap().path();
            let is_policy = p.extension().is_some_and(|x| x == "yaml" || x == "json");
            if is_policy && p.file_name().is_some_and(|n| n != "cases.yaml") {
                files.push(p);
            }
        }
    }
    files.sort();
    for path in files {
        let instance = as_json(&std::fs::read_to_string(&path).unwrap());
        let errs = errors(&v, &instance);
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
    }
}

const POLICY_HEAD: &str = "name: t\ntitle: T\nrequirements:\n  - id: T-001\n    title: x\n    section: s\n    severity: error\n    description: d\n    remediation: r\n";

#[test]
fn invalid_examples_are_rejected_and_waivers_are_checked() {
    let v = validator();
    let with_check = |check: &str| format!("{POLICY_HEAD}    check: {check}\n");
    let valid = [
        with_check("{fact: image.user, equals: appuser}"),
        with_check("{fact: history, none: {fact: created_by, matches: curl}}"),
        with_check("{fact: image.ports, all: {matches: '/tcp$'}}"),
        with_check("{pointer: /Config/User, document: image, exists: true}"),
        with_check("{param: user_check}"),
        "waivers:\n  - {id: IMG-010, reason: needed, expires: 2026-12-31, image: 'app:*'}\n".to_string(),
        "name: t\ntitle: T\ninclude: [image-baseline, {pack: runtime-hardening, disable: [RT-009], severity: {RT-003: warning}, with: {max_memory: 1GB}}]\n".to_string(),
    ];
    for text in &valid {
        let errs = errors(&v, &as_json(text));
        assert!(errs.is_empty(), "{text}\n{errs:#?}");
    }
    let invalid = [
        (
            "unknown policy field",
            "name: t\ntitle: T\nrequirement: []\n".to_string(),
        ),
        ("bad name", "name: T_1\ntitle: T\n".to_string()),
        ("missing check", POLICY_HEAD.to_string()),
        (
            "bad severity",
            POLICY_HEAD.replace("severity: error", "severity: critical")
                + "    check: {document: image}\n",
        ),
        (
            "bad id",
            POLICY_HEAD.replace("T-001", "t1") + "    check: {document: image}\n",
        ),
        (
            "unknown operator",
            with_check("{fact: image.user, equal: appuser}"),
        ),
        (
            "unknown dotted fact",
            with_check("{fact: image.usr, equals: appuser}"),
        ),
        ("fact without operator", with_check("{fact: image.user}")),
        (
            "mixed forms",
            with_check("{fact: image.user, equals: x, all_of: [{document: image}]}"),
        ),
        (
            "list expected",
            with_check("{fact: image.env, excludes: {A: b}}"),
        ),
        ("bad document", with_check("{document: containr}")),
        (
            "count without bounds",
            with_check("{fact: history, count: {where: {fact: instruction, equals: ADD}}}"),
        ),
        (
            "waiver without reason",
            "waivers:\n  - {id: IMG-010}\n".to_string(),
        ),
        (
            "waiver unknown field",
            "waivers:\n  - {id: IMG-010, reason: x, expiry: 2026-12-31}\n".to_string(),
        ),
        (
            "waiver bad date",
            "waivers:\n  - {id: IMG-010, reason: x, expires: 31/12/2026}\n".to_string(),
        ),
    ];
    for (what, text) in &invalid {
        assert!(
            !v.is_valid(&as_json(text)),
            "{what}: the schema accepts\n{text}"
        );
        let is_waivers = text.starts_with("waivers");
        let rejected = if is_waivers {
            policy::load_waivers("x.yaml", text).is_err()
        } else {
            policy::load("x.yaml", text, &policy::NoIncludes).is_err()
        };
        assert!(rejected, "{what}: the loader accepts\n{text}");
    }
}

/// Policy and waivers files the loader rejects for a reason JSON Schema cannot express, with that
/// reason (the list `policies/README.md` gives under "Editor support"). Every other fixture gets the
/// same answer from the loader and the schema.
const SCHEMA_CANNOT_TELL: &[(&str, &str)] = &[
    (
        "policy-errors/any-on-string.yaml",
        "which operators apply to which fact",
    ),
    (
        "policy-errors/count-bounds.yaml",
        "`min` ≤ `max` compares two values",
    ),
    (
        "policy-errors/disable-unknown-id.yaml",
        "the ids an included pack has",
    ),
    (
        "policy-errors/duplicate-id.yaml",
        "ids unique across requirements",
    ),
    (
        "policy-errors/element-field-on-strings.yaml",
        "element fields depend on the list's fact",
    ),
    (
        "policy-errors/gt-on-list.yaml",
        "which operators apply to which fact",
    ),
    (
        "policy-errors/include-conflict.yaml",
        "the ids included packs define",
    ),
    (
        "policy-errors/include-cycle.yaml",
        "what included packs include",
    ),
    ("policy-errors/include-missing.yaml", "which packs exist"),
    (
        "policy-errors/invalid-duration.yaml",
        "literals are read by the fact's kind",
    ),
    ("policy-errors/invalid-glob.yaml", "glob syntax"),
    ("policy-errors/invalid-regex.yaml", "regex syntax"),
    (
        "policy-errors/invalid-size.yaml",
        "literals are read by the fact's kind",
    ),
    (
        "policy-errors/literal-forms.yaml",
        "literals are read by the fact's kind",
    ),
    (
        "policy-errors/literal-kind-bool.yaml",
        "literals are read by the fact's kind",
    ),
    (
        "policy-errors/literal-kind.yaml",
        "literals are read by the fact's kind",
    ),
    (
        "policy-errors/packs/cycle-a.yaml",
        "what included packs include",
    ),
    (
        "policy-errors/packs/cycle-b.yaml",
        "what included packs include",
    ),
    (
        "policy-errors/packs/needs-value.yaml",
        "a parameter without a default needs a value",
    ),
    (
        "policy-errors/parameter-without-value.yaml",
        "the parameters an included pack declares",
    ),
    (
        "policy-errors/regex-too-big.yaml",
        "the compiled size of a regex",
    ),
    (
        "policy-errors/regex-too-deep.yaml",
        "the nesting of a regex",
    ),
    (
        "policy-errors/severity-unknown-id.yaml",
        "the ids an included pack has",
    ),
    (
        "policy-errors/undeclared-parameter.yaml",
        "which parameters are declared",
    ),
    (
        "policy-errors/unknown-element-field-order.yaml",
        "element fields depend on the list's fact",
    ),
    (
        "policy-errors/unknown-element-field.yaml",
        "element fields depend on the list's fact",
    ),
    (
        "policy-errors/with-bad-value.yaml",
        "a `with:` value is checked where the pack uses it",
    ),
    (
        "policy-errors/with-errors-and-unknown-ids.yaml",
        "the parameters and ids an included pack has",
    ),
    (
        "policy-errors/with-unknown-parameter.yaml",
        "the parameters an included pack declares",
    ),
];

/// Resolves includes from `DIR/packs/NAME.yaml`.
struct Packs(PathBuf);

impl policy::Resolver for Packs {
    fn resolve(&self, name: &str) -> Option<(String, String)> {
        let path = self.0.join("packs").join(format!("{name}.yaml"));
        Some((
            format!("packs/{name}.yaml"),
            std::fs::read_to_string(path).ok()?,
        ))
    }
}

/// Every policy and waivers fixture, as `policy-errors/packs/base.yaml`, with its folder.
fn fixtures() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for dir in ["policy-valid", "policy-errors"] {
        let root = repo().join("tests").join(dir);
        for sub in [root.clone(), root.join("packs")] {
            for e in std::fs::read_dir(&sub).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                let is_policy = p.extension().is_some_and(|x| x == "yaml" || x == "json");
                if is_policy && name != "cases.yaml" {
                    let shown = p.strip_prefix(repo().join("tests")).unwrap();
                    out.push((shown.to_string_lossy().to_string(), root.clone()));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_loader_and_the_schema_agree_on_every_fixture() {
    let v = validator();
    let mut problems = Vec::new();
    let fixtures = fixtures();
    assert!(fixtures.len() > 60, "only {} fixtures", fixtures.len());
    for (name, root) in &fixtures {
        let text = std::fs::read_to_string(repo().join("tests").join(name)).unwrap();
        let file = name.rsplit('/').next().unwrap();
        let loader_errors = if text.starts_with("waivers") {
            policy::load_waivers(file, &text).err()
        } else {
            policy::load(file, &text, &Packs(root.clone())).err()
        }
        .unwrap_or_default();
        // a text that does not parse is not an instance the schema can judge
        let schema_errors = match policy::parse_to_json(&text) {
            Ok(json) => errors(&v, &json),
            Err(e) => vec![e],
        };
        let cannot_tell = SCHEMA_CANNOT_TELL.iter().find(|(f, _)| f == name);
        let loader = if loader_errors.is_empty() {
            "accepts"
        } else {
            "rejects"
        };
        let schema = if schema_errors.is_empty() {
            "accepts"
        } else {
            "rejects"
        };
        match cannot_tell {
            None if loader != schema => problems.push(format!(
                "{name}: the loader {loader}, the schema {schema}\n  loader: {:?}\n  schema: {schema_errors:?}",
                loader_errors.iter().map(ToString::to_string).collect::<Vec<_>>()
            )),
            Some((_, why)) if (loader, schema) != ("rejects", "accepts") => problems.push(format!(
                "{name}: listed as beyond the schema ({why}), but the loader {loader} and the schema {schema}"
            )),
            _ => {}
        }
    }
    for (listed, _) in SCHEMA_CANNOT_TELL {
        if !fixtures.iter().any(|(f, _)| f == listed) {
            problems.push(format!("{listed}: listed, but no such fixture"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
