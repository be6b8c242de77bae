//! Runs the table in `tests/policy-valid/cases.yaml`: valid policies (includes with options,
//! overrides, diamonds, parameters) and what they compile to. Also loads a generated policy with
//! 10,000 requirements.
#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test harness: it reads its fixture files and fails loudly on anything unexpected"
)]

use clearance_core::facts::{duration, size};
use clearance_core::policy::{self, Check, Comparison, Literal, Matcher, Op, Policy, Resolver};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/policy-valid")
}

struct Packs(PathBuf);

impl Resolver for Packs {
    fn resolve(&self, name: &str) -> Option<(String, String)> {
        let text =
            std::fs::read_to_string(self.0.join("packs").join(format!("{name}.yaml"))).ok()?;
        Some((format!("packs/{name}.yaml"), text))
    }
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Bool(b) => b.to_string(),
        Literal::Int(i) => i.to_string(),
        Literal::Text(t) => format!("{t:?}"),
        Literal::Duration(ns) => duration::format(*ns),
        Literal::Size(bytes) => size::format(*bytes),
    }
}

fn matchers(ms: &[Matcher]) -> String {
    let parts: Vec<&str> = ms.iter().map(|m| m.source.as_str()).collect();
    format!("[{}]", parts.join(", "))
}

/// A compiled check written out, e.g. `container.memory lte 1GB`.
fn describe(check: &Check) -> String {
    let list = |cs: &[Check]| cs.iter().map(describe).collect::<Vec<_>>().join("; ");
    match check {
        Check::AllOf(cs) => format!("all_of [{}]", list(cs)),
        Check::AnyOf(cs) => format!("any_of [{}]", list(cs)),
        Check::Not(c) => format!("not ({})", describe(c)),
        Check::Document(root) => format!("document {}", root.name()),
        Check::Fact(f) => {
            let ops: Vec<String> = f.ops.iter().map(op).collect();
            format!("{} {}", f.target.display(), ops.join(", "))
        }
    }
}

fn op(o: &Op) -> String {
    match o {
        Op::Equals(l) => format!("equals {}", literal(l)),
        Op::OneOf(ls) => format!(
            "one_of [{}]",
            ls.iter().map(literal).collect::<Vec<_>>().join(", ")
        ),
        Op::Matches(p) => format!("matches /{}/", p.source),
        Op::NotMatches(p) => format!("not_matches /{}/", p.source),
        Op::Glob(m) => format!("glob {}", m.source),
        Op::Exists(b) => format!("exists {b}"),
        Op::Empty(b) => format!("empty {b}"),
        Op::Contains(l) => format!("contains {}", literal(l)),
        Op::ContainsAll(ms) => format!("contains_all {}", matchers(ms)),
        Op::ContainsAny(ms) => format!("contains_any {}", matchers(ms)),
        Op::Excludes(ms) => format!("excludes {}", matchers(ms)),
        Op::Compare(c, l) => {
            let name = match c {
                Comparison::Gt => "gt",
                Comparison::Gte => "gte",
                Comparison::Lt => "lt",
                Comparison::Lte => "lte",
            };
            format!("{name} {}", literal(l))
        }
        Op::Any(c) => format!("any ({})", describe(c)),
        Op::All(c) => format!("all ({})", describe(c)),
        Op::None(c) => format!("none ({})", describe(c)),
        Op::Count { check, min, max } => format!(
            "count {}..{}{}",
            min.map(|n| n.to_string()).unwrap_or_default(),
            max.map(|n| n.to_string()).unwrap_or_default(),
            check
                .as_ref()
                .map(|c| format!(" where ({})", describe(c)))
                .unwrap_or_default()
        ),
        Op::Order { first, then } => {
            format!("order ({}) then ({})", describe(first), describe(then))
        }
    }
}

fn load(file: &str) -> Policy {
    let text = std::fs::read_to_string(dir().join(file)).unwrap();
    match policy::load(file, &text, &Packs(dir())) {
        Ok(p) => p,
        Err(errors) => panic!("{file}: {errors:#?}"),
    }
}

fn check_case(case: &Value) -> Vec<String> {
    let file = case["file"].as_str().unwrap();
    let policy = load(file);
    let problems = std::cell::RefCell::new(Vec::new());
    let expect = |what: &str, want: &Value, got: String| {
        if let Some(w) = want.as_str() {
            if w != got {
                problems
                    .borrow_mut()
                    .push(format!("{file}: {what}: want {w:?}, got {got:?}"));
            }
        }
    };
    expect("name", &case["name"], policy.name.clone());
    let want_includes: Vec<&str> = case["includes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    if policy.includes != want_includes {
        problems.borrow_mut().push(format!(
            "{file}: includes: want {want_includes:?}, got {:?}",
            policy.includes
        ));
    }
    let want = case["requirements"].as_array().unwrap();
    let got_ids: Vec<&str> = policy.requirements.iter().map(|r| r.id.as_str()).collect();
    let want_ids: Vec<&str> = want.iter().map(|w| w["id"].as_str().unwrap()).collect();
    if got_ids != want_ids {
        let mut problems = problems.into_inner();
        problems.push(format!("{file}: ids: want {want_ids:?}, got {got_ids:?}"));
        return problems;
    }
    for (w, r) in want.iter().zip(&policy.requirements) {
        let id = &r.id;
        expect(&format!("{id} policy"), &w["policy"], r.policy.clone());
        expect(
            &format!("{id} severity"),
            &w["severity"],
            r.severity.name().to_string(),
        );
        expect(&format!("{id} check"), &w["check"], describe(&r.check));
        expect(
            &format!("{id} when"),
            &w["when"],
            r.when.as_ref().map(describe).unwrap_or_default(),
        );
        let l = &r.location;
        expect(
            &format!("{id} location"),
            &w["at"],
            format!(
                "{}:{}:{}",
                l.file.as_deref().unwrap_or_default(),
                l.line.unwrap_or_default(),
                l.column.unwrap_or_default()
            ),
        );
    }
    problems.into_inner()
}

#[test]
fn valid_policies_compile_to_what_the_table_says() {
    let text = std::fs::read_to_string(dir().join("cases.yaml")).unwrap();
    let cases = policy::parse_to_json(&text).unwrap();
    let problems: Vec<String> = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(check_case)
        .collect();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn ten_thousand_requirements_load() {
    const N: usize = 10_000;
    let mut text = String::from("name: big\ntitle: A generated policy\nrequirements:\n");
    for i in 0..N {
        let check = match i % 5 {
            0 => format!("{{fact: image.user, equals: user{i}}}"),
            1 => "{fact: image.healthcheck.interval, lte: 30s}".to_string(),
            2 => format!("{{fact: image.env, excludes: [SECRET_{i}, 'TOKEN_*']}}"),
            3 => "{fact: history, none: {fact: created_by, matches: 'curl|wget'}}".to_string(),
            _ => {
                "{all_of: [{document: container}, {fact: container.memory, lte: 1GB}]}".to_string()
            }
        };
        text.push_str(&format!(
            "  - id: GEN-{i:05}\n    title: Generated {i}\n    section: Generated\n    severity: warning\n    description: Generated requirement {i}.\n    remediation: None.\n    check: {check}\n"
        ));
    }
    let policy = policy::load("big.yaml", &text, &policy::NoIncludes).unwrap();
    assert_eq!(policy.requirements.len(), N);
    assert_eq!(policy.requirements[N - 1].id, format!("GEN-{:05}", N - 1));
    assert_eq!(
        policy.requirements[N - 1].location.line,
        Some(3 + (N - 1) * 7 + 1)
    );
}
