//! Small builders for subjects, policies and waivers, so evaluation and rendering tests can state their
//! inputs directly (the input and policy stages are tested on their own).
#![allow(
    dead_code,
    reason = "each test crate uses a different part of the builders"
)]
#![expect(
    clippy::unwrap_used,
    reason = "test builders: a malformed literal is a bug in the test"
)]

use clearance_core::diagnostic::Location;
use clearance_core::facts::{
    duration, size, Evidence, Fact, FactValue, Masking, RawEntry, Root, Subject, Text,
};
use clearance_core::policy::{
    Check, Comparison, Date, FactCheck, Literal, Matcher, Op, Pattern, Policy, Requirement,
    Severity, Target, Waiver,
};

pub const INSPECT: &str = "inspect.json";
pub const HISTORY: &str = "history.jsonl";
pub const CONTAINER: &str = "container.json";

// ───────────────────────────── facts ─────────────────────────────

/// Evidence in the image inspect dump (`/0` is the first image).
pub fn at(pointer: &str) -> Evidence {
    Evidence::new(INSPECT, format!("/0{pointer}"))
}

pub fn text(s: &str, pointer: &str) -> Fact {
    Fact::text(s, at(pointer))
}

pub fn secret(s: &str, pointer: &str) -> Fact {
    Fact::new(
        FactValue::Text(Text {
            raw: s.into(),
            secret: true,
            masking: Masking::default(),
            truncated: false,
        }),
        at(pointer),
    )
}

pub fn int(i: i64, pointer: &str) -> Fact {
    Fact::new(FactValue::Int(i), at(pointer))
}

pub fn boolean(b: bool, pointer: &str) -> Fact {
    Fact::new(FactValue::Bool(b), at(pointer))
}

pub fn dur(s: &str, pointer: &str) -> Fact {
    Fact::new(
        FactValue::Duration(duration::parse(s).unwrap()),
        at(pointer),
    )
}

pub fn bytes(s: &str, pointer: &str) -> Fact {
    Fact::new(FactValue::Size(size::parse(s).unwrap()), at(pointer))
}

pub fn absent(pointer: &str) -> Fact {
    Fact::absent(at(pointer))
}

pub fn strings(items: &[&str], pointer: &str) -> Fact {
    let list = items
        .iter()
        .enumerate()
        .map(|(i, s)| text(s, &format!("{pointer}/{i}")))
        .collect();
    Fact::new(FactValue::List(list), at(pointer))
}

pub fn record(fields: Vec<(&str, Fact)>, pointer: &str) -> Fact {
    Fact::map(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string().into(), v))
            .collect(),
        Some(at(pointer)),
    )
}

/// An env map read from `Config.Env`: (name, value, secret).
pub fn env(pairs: &[(&str, &str, bool)]) -> Fact {
    let entries = pairs
        .iter()
        .enumerate()
        .map(|(i, (name, value, is_secret))| {
            let pointer = format!("/Config/Env/{i}");
            let fact = if *is_secret {
                secret(value, &pointer)
            } else {
                text(value, &pointer)
            };
            (name.to_string().into(), fact)
        })
        .collect();
    Fact::map(entries, Some(at("/Config/Env")))
}

/// One `docker history` line, oldest first.
#[derive(Debug, Clone)]
pub struct Layer {
    pub created_by: String,
    pub masked: Option<String>,
    pub truncated: bool,
}

pub fn layer(created_by: &str) -> Layer {
    Layer {
        created_by: created_by.to_string(),
        masked: None,
        truncated: false,
    }
}

/// A layer whose line holds a secret: `masked` is what the fact layer shows.
pub fn layer_masked(created_by: &str, masked: &str) -> Layer {
    Layer {
        masked: Some(masked.to_string()),
        ..layer(created_by)
    }
}

/// A layer printed without `--no-trunc` (the text ends in `…`).
pub fn layer_truncated(created_by: &str) -> Layer {
    Layer {
        truncated: true,
        ..layer(created_by)
    }
}

fn instruction_of(created_by: &str) -> &'static str {
    let s = created_by
        .split_once("#(nop)")
        .map_or(created_by, |(_, rest)| rest)
        .trim_start();
    for word in [
        "ENV",
        "COPY",
        "ADD",
        "CMD",
        "ENTRYPOINT",
        "USER",
        "WORKDIR",
        "EXPOSE",
    ] {
        if s.starts_with(word) {
            return word;
        }
    }
    "RUN"
}

/// The history facts: a list of layer records, evidence in the JSON-lines history dump.
pub fn history(layers: &[Layer]) -> Fact {
    let records = layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let ev = |field: &str| {
                Evidence::new(HISTORY, format!("/{i}/{field}"))
                    .with_line(i + 1)
                    .with_layer(i)
            };
            let created_by = Fact::new(
                FactValue::Text(Text {
                    raw: l.created_by.as_str().into(),
                    secret: false,
                    masking: Masking::given(l.masked.clone()),
                    truncated: l.truncated,
                }),
                ev("CreatedBy"),
            );
            let fields = vec![
                (
                    "index".into(),
                    Fact::derived(FactValue::Int(i64::try_from(i).unwrap())),
                ),
                ("created_by".into(), created_by),
                (
                    "instruction".into(),
                    Fact::new(
                        FactValue::Text(Text::plain(instruction_of(&l.created_by))),
                        ev("CreatedBy"),
                    ),
                ),
                (
                    "truncated".into(),
                    Fact::new(FactValue::Bool(l.truncated), ev("CreatedBy")),
                ),
            ];
            Fact::map(
                fields,
                Some(
                    Evidence::new(HISTORY, format!("/{i}"))
                        .with_line(i + 1)
                        .with_layer(i),
                ),
            )
        })
        .collect();
    Fact::derived(FactValue::List(records))
}

/// Builds a subject; roots not given are unknown (their document was not given).
#[derive(Debug, Clone, Default)]
pub struct SubjectBuilder {
    label: String,
    image: Option<Vec<(clearance_core::facts::Key, Fact)>>,
    history: Option<Fact>,
    container: Option<Vec<(clearance_core::facts::Key, Fact)>>,
    raw: Vec<RawEntry>,
    tags: Vec<String>,
    digests: Vec<String>,
    image_id: Option<String>,
    notes: Vec<String>,
}

pub fn subject(label: &str) -> SubjectBuilder {
    SubjectBuilder {
        label: label.to_string(),
        tags: vec![label.to_string()],
        ..SubjectBuilder::default()
    }
}

impl SubjectBuilder {
    pub fn image(mut self, fields: Vec<(&str, Fact)>) -> Self {
        self.image = Some(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string().into(), v))
                .collect(),
        );
        self
    }

    pub fn history(mut self, layers: &[Layer]) -> Self {
        self.history = Some(history(layers));
        self
    }

    pub fn container(mut self, fields: Vec<(&str, Fact)>) -> Self {
        self.container = Some(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string().into(), v))
                .collect(),
        );
        self
    }

    /// The raw image entry (first image of the inspect array), for pointer checks.
    pub fn raw_image(mut self, value: serde_json::Value) -> Self {
        self.raw.push(RawEntry {
            root: Root::Image,
            evidence: Evidence::new(INSPECT, "/0"),
            value: value.into(),
        });
        self
    }

    pub fn tags(mut self, tags: &[&str]) -> Self {
        self.tags = tags.iter().map(|t| t.to_string()).collect();
        self
    }

    pub fn digests(mut self, digests: &[&str]) -> Self {
        self.digests = digests.iter().map(|t| t.to_string()).collect();
        self
    }

    pub fn image_id(mut self, id: &str) -> Self {
        self.image_id = Some(id.to_string());
        self
    }

    pub fn note(mut self, note: &str) -> Self {
        self.notes.push(note.to_string());
        self
    }

    pub fn build(self) -> Subject {
        let mut documents = Vec::new();
        let image = match self.image {
            Some(fields) => {
                documents.push(INSPECT.to_string());
                Fact::map(fields, Some(Evidence::new(INSPECT, "/0")))
            }
            None => Fact::missing(Root::Image),
        };
        let history = match self.history {
            Some(h) => {
                documents.push(HISTORY.to_string());
                h
            }
            None => Fact::missing(Root::History),
        };
        let container = match self.container {
            Some(fields) => {
                documents.push(CONTAINER.to_string());
                Fact::map(fields, Some(Evidence::new(CONTAINER, "/0")))
            }
            None => Fact::missing(Root::Container),
        };
        Subject {
            mismatched: false,
            label: self.label,
            image_id: self.image_id,
            digests: self.digests,
            tags: self.tags,
            facts: Fact::map(
                vec![
                    ("image".into(), image),
                    ("history".into(), history),
                    ("container".into(), container),
                ],
                None,
            ),
            documents,
            notes: self.notes,
            raw: self.raw,
        }
    }
}

// ───────────────────────────── checks ─────────────────────────────

pub fn path(p: &str) -> Target {
    Target::Path(p.split('.').map(String::from).collect())
}

pub fn fact(p: &str, ops: Vec<Op>) -> Check {
    Check::Fact(FactCheck::new(path(p), ops))
}

/// A field of the current element (inside any/all/none/count/order).
pub fn field(name: &str, ops: Vec<Op>) -> Check {
    Check::Fact(FactCheck::new(Target::Field(name.to_string()), ops))
}

/// The current element itself (strings in a list).
pub fn element(ops: Vec<Op>) -> Check {
    Check::Fact(FactCheck::new(Target::Element, ops))
}

pub fn pointer(root: Root, p: &str, ops: Vec<Op>) -> Check {
    Check::Fact(FactCheck::new(
        Target::Pointer {
            root,
            pointer: p.to_string(),
        },
        ops,
    ))
}

pub fn re(s: &str) -> Pattern {
    Pattern {
        source: s.to_string(),
        regex: clearance_core::policy::Regex::compiled(regex::Regex::new(s).unwrap()).into(),
    }
}

/// A literal, or a glob when it has glob characters (as the policy compiler does).
pub fn m(s: &str) -> Matcher {
    let glob = s
        .contains(['*', '?', '[', '{'])
        .then(|| globset::Glob::new(s).unwrap().compile_matcher());
    Matcher {
        source: s.to_string(),
        glob: glob.map(Into::into),
    }
}

pub fn ms(items: &[&str]) -> Vec<Matcher> {
    items.iter().map(|s| m(s)).collect()
}

pub fn t(s: &str) -> Literal {
    Literal::Text(s.to_string())
}

pub fn d(s: &str) -> Literal {
    Literal::Duration(duration::parse(s).unwrap())
}

pub fn eq(l: Literal) -> Op {
    Op::Equals(l)
}

pub fn gte(l: Literal) -> Op {
    Op::Compare(Comparison::Gte, l)
}

pub fn lt(l: Literal) -> Op {
    Op::Compare(Comparison::Lt, l)
}

pub fn any(c: Check) -> Op {
    Op::Any(Box::new(c))
}

pub fn all(c: Check) -> Op {
    Op::All(Box::new(c))
}

pub fn none(c: Check) -> Op {
    Op::None(Box::new(c))
}

pub fn not(c: Check) -> Check {
    Check::Not(Box::new(c))
}

pub fn count(check: Option<Check>, min: Option<u64>, max: Option<u64>) -> Op {
    Op::Count {
        check: check.map(Box::new),
        min,
        max,
    }
}

pub fn order(first: Check, then: Check) -> Op {
    Op::Order {
        first: Box::new(first),
        then: Box::new(then),
    }
}

// ───────────────────────────── policies ─────────────────────────────

pub fn req(id: &str, check: Check) -> Requirement {
    Requirement {
        id: id.to_string(),
        title: format!("{id} holds"),
        section: "General".to_string(),
        severity: Severity::Error,
        description: format!("What {id} checks."),
        remediation: format!("Fix {id}."),
        clause: None,
        example: None,
        policy: "test-pack".to_string(),
        when: None,
        check,
        location: Location::at("test-pack.yaml", 1, 1),
        template: Default::default(),
    }
}

pub trait RequirementExt {
    fn titled(self, title: &str) -> Self;
    fn section(self, section: &str) -> Self;
    fn severity(self, severity: Severity) -> Self;
    fn policy(self, policy: &str) -> Self;
    fn when(self, check: Check) -> Self;
    fn remediation(self, text: &str) -> Self;
    fn clause(self, text: &str) -> Self;
}

impl RequirementExt for Requirement {
    fn titled(mut self, title: &str) -> Self {
        self.title = title.to_string();
        self
    }
    fn section(mut self, section: &str) -> Self {
        self.section = section.to_string();
        self
    }
    fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
    fn policy(mut self, policy: &str) -> Self {
        self.policy = policy.to_string();
        self
    }
    fn when(mut self, check: Check) -> Self {
        self.when = Some(check);
        self
    }
    fn remediation(mut self, text: &str) -> Self {
        self.remediation = text.to_string();
        self
    }
    fn clause(mut self, text: &str) -> Self {
        self.clause = Some(text.to_string());
        self
    }
}

pub fn policy(name: &str, requirements: Vec<Requirement>) -> Policy {
    Policy {
        name: name.to_string(),
        title: format!("The {name} policy"),
        version: Some("1.0.0".to_string()),
        description: None,
        source: None,
        out_of_scope: Vec::new(),
        includes: Vec::new(),
        requirements,
    }
}

pub fn waiver(id: &str, reason: &str) -> Waiver {
    Waiver {
        id: id.to_string(),
        image: None,
        reason: reason.to_string(),
        approver: None,
        expires: None,
        location: Location::at("waivers.yaml", 2, 5),
    }
}

pub fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}
