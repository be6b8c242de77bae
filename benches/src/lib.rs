//! Side-by-side benchmarks of clearance (benches/README.md, docs/benchmarks.md).
//!
//! The pieces every benchmark and the parity test share:
//! - [`DumpSet`]: the dumps of one image as docker prints them (image inspect, history JSON lines,
//!   container inspect), read from a fixture folder;
//! - [`Clearance`]: clearance with its policy loaded once (warm) or loaded per call ([`clearance_cold`]);
//! - [`Rego`]: regorus with `rego/reactbin.rego` loaded, fed the same dumps parsed from JSON;
//! - [`synthetic`]: generated inputs for the scale and batch measurements;
//! - [`yardstick`]: serde_json's parse of the same bytes, the budget's yardstick (two readings of it).
//!
//! Both engines are timed on the same work: from the dumps' bytes to one status per requirement.

#![forbid(unsafe_code)]

pub mod synthetic;
pub mod yardstick;

use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, PolicyInput};
use clearance_core::policy::{self, Policy};
use clearance_core::{builtin, eval, input};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The Rego policy: `reactbin-api-prod` written for OPA/regorus.
pub const REACTBIN_REGO: &str = include_str!("../rego/reactbin.rego");

/// The rule that holds `{requirement id: status}`.
pub const REGO_RESULTS: &str = "data.clearance.reactbin.results";

/// The built-in pack the Rego policy mirrors.
pub const REACTBIN_PACK: &str = "reactbin-api-prod";

/// The date evaluations are judged at (waivers only; fixed so runs are reproducible).
pub const TODAY: &str = "2026-11-23";

/// Requirement id → status name (`pass`, `fail`, `not_applicable`, `error`, `waived`).
pub type Statuses = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("clearance failed on `{what}`: {message}")]
    Clearance { what: String, message: String },
    #[error("regorus failed on `{what}`: {message}")]
    Rego { what: String, message: String },
}

/// The repository root (this crate lives in `benches/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The dumps of one image, as text, each optional.
#[derive(Debug, Clone, Default)]
pub struct DumpSet {
    pub image: Option<String>,
    pub history: Option<String>,
    pub container: Option<String>,
}

impl DumpSet {
    /// Reads `image-inspect.json`, `history.jsonl` and `container-inspect.json` from `dir` (each when
    /// present).
    pub fn read(dir: &Path) -> Result<Self, BenchError> {
        let read = |name: &str| -> Result<Option<String>, BenchError> {
            let path = dir.join(name);
            if !path.exists() {
                return Ok(None);
            }
            std::fs::read_to_string(&path)
                .map(Some)
                .map_err(|source| BenchError::Read {
                    path: path.display().to_string(),
                    source,
                })
        };
        Ok(Self {
            image: read("image-inspect.json")?,
            history: read("history.jsonl")?,
            container: read("container-inspect.json")?,
        })
    }

    /// A fixture folder under `tests/fixtures/`.
    pub fn fixture(name: &str) -> Result<Self, BenchError> {
        Self::read(&repo_root().join("tests/fixtures").join(name))
    }

    /// Only the documents named (`image`, `history`, `container`).
    pub fn only(&self, image: bool, history: bool, container: bool) -> Self {
        Self {
            image: self.image.clone().filter(|_| image),
            history: self.history.clone().filter(|_| history),
            container: self.container.clone().filter(|_| container),
        }
    }

    /// Total size of the dumps in bytes.
    pub fn bytes(&self) -> usize {
        [&self.image, &self.history, &self.container]
            .into_iter()
            .flatten()
            .map(String::len)
            .sum()
    }

    /// The dumps as clearance request inputs (kinds auto-detected).
    pub fn dump_inputs(&self) -> Vec<DumpInput> {
        [
            ("image-inspect.json", &self.image),
            ("history.jsonl", &self.history),
            ("container-inspect.json", &self.container),
        ]
        .into_iter()
        .filter_map(|(name, text)| {
            text.as_ref().map(|t| DumpInput {
                name: name.to_string(),
                content: DumpContent::Text(t.clone()),
                kind: None,
            })
        })
        .collect()
    }
}

fn first_diagnostic(errors: &[clearance_core::diagnostic::Diagnostic]) -> String {
    errors
        .first()
        .map_or_else(|| "unknown error".to_string(), |d| d.message.clone())
}

fn statuses_of(report: &clearance_core::report::Report) -> Statuses {
    report
        .subjects
        .iter()
        .flat_map(|s| s.results.iter())
        .map(|r| (r.id.to_string(), r.status.name().to_string()))
        .collect()
}

/// A check request for a built-in pack over a dump set.
pub fn request(pack: &str, set: &DumpSet) -> CheckRequest {
    CheckRequest {
        policies: vec![PolicyInput::Builtin(pack.to_string())],
        dumps: set.dump_inputs(),
        waivers: None,
        today: Some(TODAY.to_string()),
        limits: None,
    }
}

/// Cold clearance: parses and compiles the pack (and what it includes) from its YAML, reads the dumps,
/// evaluates once.
pub fn clearance_cold(pack: &str, set: &DumpSet) -> Result<Statuses, BenchError> {
    Clearance::new(pack)?.statuses(set)
}

/// `api::check`: what one CLI evaluation or one npm `evaluate()` call does (built-in packs are compiled
/// once per process and reused, so after the first call this is warm).
pub fn clearance_api(pack: &str, set: &DumpSet) -> Result<Statuses, BenchError> {
    let answer = api::check(&request(pack, set)).ok();
    match answer {
        Ok(out) => Ok(statuses_of(&out.report)),
        Err(errors) => Err(BenchError::Clearance {
            what: pack.to_string(),
            message: first_diagnostic(&errors),
        }),
    }
}

/// Warm clearance: the pack loaded once; each call reads the dumps and evaluates.
pub struct Clearance {
    policy: Policy,
    limits: input::Limits,
    options: eval::Options,
}

impl Clearance {
    /// Parses and compiles a built-in pack from its YAML (not the per-process cache of `api`).
    pub fn new(pack: &str) -> Result<Self, BenchError> {
        let not_found = || BenchError::Clearance {
            what: pack.to_string(),
            message: "no such built-in pack".into(),
        };
        let builtin = builtin::find(pack).ok_or_else(not_found)?;
        Self::compile(builtin.file, builtin.text)
    }

    /// A built-in pack by name, else a policy file (which may include the built-in packs).
    pub fn from_name_or_file(pack: &str) -> Result<Self, BenchError> {
        if builtin::find(pack).is_some() {
            return Self::new(pack);
        }
        let text = std::fs::read_to_string(pack).map_err(|source| BenchError::Read {
            path: pack.to_string(),
            source,
        })?;
        Self::compile(pack, &text)
    }

    fn compile(file: &str, text: &str) -> Result<Self, BenchError> {
        let policy = policy::load(file, text, &builtin::BuiltinResolver).map_err(|errors| {
            BenchError::Clearance {
                what: file.to_string(),
                message: errors.first().map_or_else(
                    || "unknown error".into(),
                    |e| format!("{e} (at {})", e.location()),
                ),
            }
        })?;
        Ok(Self {
            policy,
            limits: input::Limits::default(),
            options: eval::Options::default(),
        })
    }

    /// The compiled pack.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The subjects of a dump set (parse, detect, normalise).
    pub fn subjects(
        &self,
        set: &DumpSet,
    ) -> Result<Vec<clearance_core::facts::Subject>, BenchError> {
        let docs = set
            .dump_inputs()
            .iter()
            .map(|d| api::read_dump(d, &self.limits))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|d| BenchError::Clearance {
                what: "dumps".into(),
                message: d.message,
            })?;
        input::subjects(&docs).map_err(|e| BenchError::Clearance {
            what: "dumps".into(),
            message: e.to_string(),
        })
    }

    /// From the dumps' bytes to a report (parse, detect, normalise, evaluate).
    pub fn report(&self, set: &DumpSet) -> Result<clearance_core::report::Report, BenchError> {
        let subjects = self.subjects(set)?;
        Ok(eval::evaluate(
            std::slice::from_ref(&self.policy),
            &subjects,
            &[],
            &self.options,
        ))
    }

    pub fn policy_ref(&self) -> &Policy {
        &self.policy
    }

    pub fn statuses(&self, set: &DumpSet) -> Result<Statuses, BenchError> {
        self.report(set).map(|r| statuses_of(&r))
    }
}

/// regorus with `rego/reactbin.rego` loaded.
pub struct Rego {
    engine: regorus::Engine,
}

fn rego_error(what: &str, e: impl std::fmt::Display) -> BenchError {
    BenchError::Rego {
        what: what.to_string(),
        message: e.to_string(),
    }
}

impl Rego {
    /// Parses and loads the policy (the cold part).
    pub fn new() -> Result<Self, BenchError> {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("reactbin.rego".into(), REACTBIN_REGO.into())
            .map_err(|e| rego_error("rego/reactbin.rego", e))?;
        Ok(Self { engine })
    }

    /// The Rego input for a dump set: each dump parsed from JSON and nothing else (`image` = the first
    /// element of the inspect array, `history` = the JSON lines in file order, newest first).
    pub fn input(set: &DumpSet) -> Result<regorus::Value, BenchError> {
        let mut fields = BTreeMap::new();
        if let Some(text) = &set.image {
            let value =
                regorus::Value::from_json_str(text).map_err(|e| rego_error("image inspect", e))?;
            let first = match &value {
                regorus::Value::Array(items) => {
                    items.first().cloned().unwrap_or(regorus::Value::Null)
                }
                _ => value,
            };
            fields.insert(regorus::Value::from("image"), first);
        }
        if let Some(text) = &set.history {
            let lines = text
                .lines()
                .map(|l| l.trim_start_matches('\u{feff}').trim())
                .filter(|l| !l.is_empty())
                .map(|l| regorus::Value::from_json_str(l).map_err(|e| rego_error("history", e)))
                .collect::<Result<Vec<_>, _>>()?;
            fields.insert(regorus::Value::from("history"), regorus::Value::from(lines));
        }
        if let Some(text) = &set.container {
            let value = regorus::Value::from_json_str(text)
                .map_err(|e| rego_error("container inspect", e))?;
            let first = match &value {
                regorus::Value::Array(items) => {
                    items.first().cloned().unwrap_or(regorus::Value::Null)
                }
                _ => value,
            };
            fields.insert(regorus::Value::from("container"), first);
        }
        Ok(regorus::Value::from(fields))
    }

    /// From the dumps' bytes to `{requirement id: status}`.
    pub fn statuses(&mut self, set: &DumpSet) -> Result<Statuses, BenchError> {
        let input = Self::input(set)?;
        self.engine.set_input(input);
        let value = self
            .engine
            .eval_rule(REGO_RESULTS.into())
            .map_err(|e| rego_error(REGO_RESULTS, e))?;
        let map = value.as_object().map_err(|e| rego_error(REGO_RESULTS, e))?;
        Ok(map
            .iter()
            .map(|(k, v)| {
                (
                    k.as_string().map(|s| s.to_string()).unwrap_or_default(),
                    v.as_string().map(|s| s.to_string()).unwrap_or_default(),
                )
            })
            .collect())
    }
}

/// Cold regorus: parse and load the policy, then evaluate once.
pub fn rego_cold(set: &DumpSet) -> Result<Statuses, BenchError> {
    Rego::new()?.statuses(set)
}

/// The least work `image-baseline` asks of a history line, for `loop floor history-N`: serde_json
/// deserialising each line into a struct of borrowed fields (the cheapest use of serde_json), then the
/// conditions of the pack's requirements that look at every layer (`none`/`any`/`all` over `history`):
/// its `created_by` regexes, and its `instruction` comparisons as a substring test, in order, each
/// requirement stopping at its first false condition (an `any_of` inside one is taken as an `all_of`).
/// No facts, no evidence, no report: a floor, not an engine.
pub mod floor {
    use clearance_core::policy::{FactCheck, Literal, Op, Policy, Target};
    use std::borrow::Cow;

    #[derive(serde::Deserialize)]
    #[allow(non_snake_case, dead_code)]
    struct Line<'a> {
        #[serde(borrow)]
        CreatedBy: Cow<'a, str>,
        #[serde(borrow)]
        Size: Cow<'a, str>,
        #[serde(borrow)]
        ID: Cow<'a, str>,
        #[serde(borrow)]
        CreatedAt: Cow<'a, str>,
        #[serde(borrow)]
        Comment: Cow<'a, str>,
    }

    /// The fields of a `docker image inspect` element that clearance reads, typed and borrowed: the
    /// cheapest reading of an inspect array that still holds every value the facts need (the other
    /// fields are skipped).
    #[derive(serde::Deserialize)]
    #[allow(non_snake_case, dead_code)]
    struct Image<'a> {
        #[serde(borrow)]
        Id: Option<Cow<'a, str>>,
        #[serde(borrow)]
        RepoTags: Option<Vec<Cow<'a, str>>>,
        #[serde(borrow)]
        RepoDigests: Option<Vec<Cow<'a, str>>>,
        #[serde(borrow)]
        Created: Option<Cow<'a, str>>,
        #[serde(borrow)]
        Architecture: Option<Cow<'a, str>>,
        #[serde(borrow)]
        Os: Option<Cow<'a, str>>,
        Size: Option<u64>,
        #[serde(borrow)]
        Config: Option<Config<'a>>,
    }

    #[derive(serde::Deserialize)]
    #[allow(non_snake_case, dead_code)]
    struct Config<'a> {
        #[serde(borrow)]
        User: Option<Cow<'a, str>>,
        #[serde(borrow)]
        ExposedPorts: Option<std::collections::BTreeMap<Cow<'a, str>, serde::de::IgnoredAny>>,
        #[serde(borrow)]
        Env: Option<Vec<Cow<'a, str>>>,
        #[serde(borrow)]
        Cmd: Option<Vec<Cow<'a, str>>>,
        #[serde(borrow)]
        Entrypoint: Option<Vec<Cow<'a, str>>>,
        #[serde(borrow)]
        Healthcheck: Option<Healthcheck<'a>>,
        #[serde(borrow)]
        WorkingDir: Option<Cow<'a, str>>,
        #[serde(borrow)]
        Labels: Option<std::collections::BTreeMap<Cow<'a, str>, Cow<'a, str>>>,
        #[serde(borrow)]
        Volumes: Option<std::collections::BTreeMap<Cow<'a, str>, serde::de::IgnoredAny>>,
        #[serde(borrow)]
        StopSignal: Option<Cow<'a, str>>,
        #[serde(borrow)]
        Shell: Option<Vec<Cow<'a, str>>>,
    }

    #[derive(serde::Deserialize)]
    #[allow(non_snake_case, dead_code)]
    struct Healthcheck<'a> {
        #[serde(borrow)]
        Test: Option<Vec<Cow<'a, str>>>,
        Interval: Option<u64>,
        Timeout: Option<u64>,
        StartPeriod: Option<u64>,
        StartInterval: Option<u64>,
        Retries: Option<u64>,
    }

    /// How many images of a `docker image inspect` array read as [`Image`]s (`None`: not such an
    /// array). The floor of reading an inspect array: no facts, no evidence, no masking.
    pub fn inspect(text: &str) -> Option<usize> {
        serde_json::from_str::<Vec<Image<'_>>>(text)
            .ok()
            .map(|images| images.len())
    }

    /// One condition on a line.
    enum Condition {
        /// `created_by` matches (or, `false`, does not match) the regex.
        Regex(regex::Regex, bool),
        /// The instruction is one of these keywords (each with a space after it, looked for anywhere).
        Instruction(Vec<String>),
    }

    impl Condition {
        fn holds(&self, created_by: &str) -> bool {
            match self {
                Condition::Regex(re, want) => re.is_match(created_by) == *want,
                Condition::Instruction(words) => {
                    words.iter().any(|w| created_by.contains(w.as_str()))
                }
            }
        }
    }

    /// Each per-layer requirement's conditions, in order; and all of their regexes as one set (a
    /// condition's regex is the set's pattern of the same number, counted in order).
    pub struct Floor(Vec<Vec<Condition>>, regex::RegexSet);

    impl Floor {
        /// The conditions of `policy`'s requirements that look at every history layer.
        pub fn new(policy: &Policy) -> Result<Self, regex::Error> {
            let mut requirements = Vec::new();
            let mut failed = None;
            for r in &policy.requirements {
                r.check.each_fact_check(&mut |fc| {
                    let Target::Path(path) = &fc.target else {
                        return;
                    };
                    if path.as_slice() != ["history"] {
                        return;
                    }
                    for op in &fc.ops {
                        if let Op::None(inner) | Op::Any(inner) | Op::All(inner) = op {
                            let mut conditions = Vec::new();
                            inner.each_fact_check(&mut |leaf| {
                                if let Err(e) = conditions_of(leaf, &mut conditions) {
                                    failed = Some(e);
                                }
                            });
                            if !conditions.is_empty() {
                                requirements.push(conditions);
                            }
                        }
                    }
                });
            }
            if let Some(e) = failed {
                return Err(e);
            }
            let set =
                regex::RegexSet::new(requirements.iter().flatten().filter_map(|c| match c {
                    Condition::Regex(re, _) => Some(re.as_str()),
                    Condition::Instruction(_) => None,
                }))?;
            Ok(Floor(requirements, set))
        }

        /// How many (line, requirement) pairs hold every condition.
        pub fn run(&self, text: &str) -> usize {
            let mut held = 0;
            for line in serde_json::Deserializer::from_str(text).into_iter::<Line<'_>>() {
                let Ok(line) = line else { continue };
                for conditions in &self.0 {
                    held += usize::from(conditions.iter().all(|c| c.holds(&line.CreatedBy)));
                }
            }
            held
        }

        /// [`Floor::run`] with every regex of a line answered by one pass of the set over it.
        pub fn run_set(&self, text: &str) -> usize {
            let mut held = 0;
            for line in serde_json::Deserializer::from_str(text).into_iter::<Line<'_>>() {
                let Ok(line) = line else { continue };
                let matched = self.1.matches(&line.CreatedBy);
                let mut pattern = 0;
                for conditions in &self.0 {
                    let mut all = true;
                    for c in conditions {
                        all &= match c {
                            Condition::Regex(_, want) => {
                                pattern += 1;
                                matched.matched(pattern - 1) == *want
                            }
                            Condition::Instruction(_) => c.holds(&line.CreatedBy),
                        };
                    }
                    held += usize::from(all);
                }
            }
            held
        }

        /// The regexes among the conditions.
        pub fn patterns(&self) -> usize {
            self.0
                .iter()
                .flatten()
                .filter(|c| matches!(c, Condition::Regex(..)))
                .count()
        }
    }

    /// The conditions a fact check on a layer's field puts on the line.
    fn conditions_of(fc: &FactCheck, out: &mut Vec<Condition>) -> Result<(), regex::Error> {
        let Target::Field(name) = &fc.target else {
            return Ok(());
        };
        for op in &fc.ops {
            let keyword = |l: &Literal| match l {
                Literal::Text(t) => Some(format!("{t} ")),
                _ => None,
            };
            out.push(match (name.as_str(), op) {
                ("created_by", Op::Matches(p)) => {
                    Condition::Regex(regex::Regex::new(&p.source)?, true)
                }
                ("created_by", Op::NotMatches(p)) => {
                    Condition::Regex(regex::Regex::new(&p.source)?, false)
                }
                ("instruction", Op::Equals(l)) => {
                    Condition::Instruction(keyword(l).into_iter().collect())
                }
                ("instruction", Op::OneOf(ls)) => {
                    Condition::Instruction(ls.iter().filter_map(keyword).collect())
                }
                _ => continue,
            });
        }
        Ok(())
    }
}
