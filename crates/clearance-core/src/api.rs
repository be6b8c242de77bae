//! The JSON façade: one set of serde request/answer types for every non-Rust caller (the CLI's JSON
//! mode, the npm package, the web app). Domain failures are answers (`{"type":"failure","errors":[…]}`),
//! never panics or exceptions. Field names are camelCase. Documented in `docs/api.md`.

use crate::builtin;
use crate::diagnostic::{Diagnostic, Location, ToDiagnostic};
use crate::eval;
use crate::input::{self, Document, DocumentKind, DocumentSummary, Limits};
use crate::policy::{self, Date, Policy, Severity, Waiver};
use crate::report::{self, Format, RenderOptions, Report};
use serde::{Deserialize, Serialize};

/// A tagged answer: success with a value, or failure with every error found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Answer<T> {
    Success {
        #[serde(flatten)]
        value: T,
    },
    Failure {
        errors: Vec<Diagnostic>,
    },
}

impl<T> Answer<T> {
    pub fn failure(errors: Vec<Diagnostic>) -> Self {
        Answer::Failure { errors }
    }

    pub fn ok(self) -> Result<T, Vec<Diagnostic>> {
        match self {
            Answer::Success { value } => Ok(value),
            Answer::Failure { errors } => Err(errors),
        }
    }
}

/// A policy to evaluate: a built-in pack by name (`"reactbin-api-prod"`, in any case), or policy text with a name
/// for error messages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PolicyInput {
    Builtin(String),
    Text { name: String, text: String },
}

/// The content of a dump: the text as printed, or (from JavaScript) an already-parsed JSON value.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DumpContent {
    Text(String),
    Json(#[cfg_attr(feature = "ts", ts(type = "object"))] serde_json::Value),
}

/// One dump: its name (for evidence and errors), its content, and optionally what it is.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DumpInput {
    pub name: String,
    pub content: DumpContent,
    /// A document kind id (`docker-history`, …) to skip detection; detection is used when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<DocumentKind>"))]
    pub kind: Option<String>,
}

/// A waivers file: its name and its YAML or JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WaiversInput {
    pub name: String,
    pub text: String,
}

/// Everything `check` takes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckRequest {
    /// At least one policy.
    pub policies: Vec<PolicyInput>,
    /// At least one dump.
    pub dumps: Vec<DumpInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waivers: Option<WaiversInput>,
    /// `YYYY-MM-DD`; waivers with an expiry date are judged against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<String>,
    /// Reading limits; defaults apply when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<LimitsInput>,
}

/// Overrides for the limits (reading: [`Limits`]; policies: [`policy::Limits`]; evaluation:
/// [`eval::Options::max_steps`]); each field optional, the default applying when absent. Defaults and
/// what each limit guards against: `docs/reliability.md`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LimitsInput {
    /// Largest dump, policy or waivers text, in bytes (default 128 MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_document_bytes: Option<usize>,
    /// Deepest JSON nesting of a dump (default 128).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_depth: Option<usize>,
    /// Most history entries in one dump (default 100,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_layers: Option<usize>,
    /// Most images or containers in one dump (default 10,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_entries: Option<usize>,
    /// Largest compiled regex of a policy, in bytes (default 1 MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_regex_bytes: Option<usize>,
    /// Most evaluation steps for one requirement on one subject (default 10,000,000); past it the
    /// requirement is `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_steps: Option<u64>,
    /// Most evaluation steps for the whole evaluation (default 200,000,000); past it every remaining
    /// requirement is `error` and the verdict at best `incomplete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_total_steps: Option<u64>,
}

impl LimitsInput {
    /// The policy-loading limits.
    pub fn policy(&self) -> policy::Limits {
        let d = policy::Limits::default();
        policy::Limits {
            regex_size: self.max_regex_bytes.unwrap_or(d.regex_size),
        }
    }

    /// The evaluation work cap.
    pub fn max_steps(&self) -> u64 {
        self.max_steps.unwrap_or(eval::DEFAULT_MAX_STEPS)
    }

    /// The reading limits.
    pub fn apply(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_document_bytes: self.max_document_bytes.unwrap_or(d.max_document_bytes),
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_layers: self.max_layers.unwrap_or(d.max_layers),
            max_entries: self.max_entries.unwrap_or(d.max_entries),
        }
    }
}

/// What `check` answers on success.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckOutput {
    pub report: Report,
    pub documents: Vec<DocumentSummary>,
}

/// What `detect` answers on success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DetectOutput {
    pub document: DocumentSummary,
}

/// A policy's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct PolicySummary {
    pub name: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub includes: Vec<String>,
    pub requirements: usize,
    pub out_of_scope: Vec<policy::OutOfScope>,
}

impl PolicySummary {
    fn of(p: &Policy) -> Self {
        Self {
            name: p.name.clone(),
            title: p.title.clone(),
            version: p.version.clone(),
            description: p.description.clone(),
            source: p.source.clone(),
            includes: p.includes.clone(),
            requirements: p.requirements.len(),
            out_of_scope: p.out_of_scope.clone(),
        }
    }
}

/// What `validatePolicy` answers on success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ValidateOutput {
    pub policy: PolicySummary,
}

/// One requirement of a policy, as `clearance policies NAME` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequirementSummary {
    pub id: String,
    pub title: String,
    pub section: String,
    pub severity: Severity,
    /// The policy that defined it (an included pack, for inherited requirements).
    pub policy: String,
}

/// What `policy_requirements` answers: the policy's metadata and its requirements in policy order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequirementsOutput {
    pub policy: PolicySummary,
    pub requirements: Vec<RequirementSummary>,
}

/// What `builtinPolicies` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BuiltinsOutput {
    pub policies: Vec<PolicySummary>,
}

/// Everything known about one requirement, for `explain` and the web app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct Explanation {
    pub id: String,
    pub title: String,
    pub section: String,
    pub severity: Severity,
    pub policy: String,
    pub description: String,
    pub remediation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Other built-in packs that carry the same requirement (through `include`).
    pub also_in: Vec<String>,
}

/// What `explain` answers on success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExplainOutput {
    pub requirement: Explanation,
}

/// What `render` answers on success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RenderOutput {
    pub format: Format,
    pub output: String,
}

// ───────────────────────────── operations ─────────────────────────────

/// Loads a policy input (built-in name or text).
/// Built-in packs are compiled once per process, each on first use (they are constants), so a
/// long-lived caller — the npm package, the web app, a batch run — pays the YAML parse and regex
/// compilation of a pack once, and a one-shot caller only for the packs it names.
type Compiled = Result<std::sync::Arc<Policy>, Vec<Diagnostic>>;
static BUILTIN_CACHE: [std::sync::OnceLock<Compiled>; builtin::PACKS.len()] =
    [const { std::sync::OnceLock::new() }; builtin::PACKS.len()];

fn compile_builtin(pack: &builtin::BuiltinPack) -> Compiled {
    policy::load_builtin(pack.file, pack.text, &builtin::BuiltinResolver)
        .map(std::sync::Arc::new)
        .map_err(|errs| errs.iter().map(ToDiagnostic::to_diagnostic).collect())
}

pub fn load_policy(input: &PolicyInput) -> Result<Policy, Vec<Diagnostic>> {
    load_policy_with_limits(input, &LimitsInput::default())
}

/// [`load_policy`] with a request's limits: policy text larger than `maxDocumentBytes` is refused, and
/// its regexes are compiled within `maxRegexBytes` (built-in packs are shipped constants: compiled once,
/// with the default limits).
pub fn load_policy_with_limits(
    input: &PolicyInput,
    limits: &LimitsInput,
) -> Result<Policy, Vec<Diagnostic>> {
    load_policy_shared(input, limits).map(std::sync::Arc::unwrap_or_clone)
}

/// [`load_policy_with_limits`], sharing a built-in pack with the process-wide cache instead of copying
/// it (what `check` uses: a warm check compiles and copies nothing).
pub fn load_policy_shared(
    input: &PolicyInput,
    limits: &LimitsInput,
) -> Result<std::sync::Arc<Policy>, Vec<Diagnostic>> {
    match input {
        PolicyInput::Builtin(name) => {
            let found = builtin::PACKS
                .iter()
                .zip(BUILTIN_CACHE.iter())
                // case-insensitive, as requirement ids are in `explain`
                .find(|(pack, _)| pack.name.eq_ignore_ascii_case(name));
            match found {
                Some((pack, cell)) => cell.get_or_init(|| compile_builtin(pack)).clone(),
                None => Err(vec![unknown_builtin(name)]),
            }
        }
        PolicyInput::Text { name, text } => {
            text_size(name, text, "policy", limits)?;
            policy::load_with_limits(name, text, &builtin::BuiltinResolver, &limits.policy())
                .map(std::sync::Arc::new)
                .map_err(|errs| errs.iter().map(ToDiagnostic::to_diagnostic).collect())
        }
    }
}

/// A policy or waivers text larger than `maxDocumentBytes` is refused before it is parsed.
fn text_size(
    name: &str,
    text: &str,
    what: &str,
    limits: &LimitsInput,
) -> Result<(), Vec<Diagnostic>> {
    let max = limits.apply().max_document_bytes;
    if text.len() <= max {
        return Ok(());
    }
    let (line, column) = input::line_column_at(text.as_bytes(), max);
    Err(vec![Diagnostic {
        code: if what == "policy" {
            "policy/too-large".into()
        } else {
            "waiver/too-large".into()
        },
        message: format!(
            "the {what} text is {} bytes, more than the limit of {max} bytes",
            text.len()
        ),
        help: Some(
            "check that this is the file you meant, or raise the limit (`maxDocumentBytes`)".into(),
        ),
        location: Location::at(name.to_string(), line, column),
    }])
}

fn unknown_builtin(name: &str) -> Diagnostic {
    let names = builtin::PACKS.iter().map(|p| p.name);
    let help = match crate::diagnostic::did_you_mean(name, names) {
        Some(close) => format!(
            "did you mean `{close}`? built-in packs: {}",
            builtin_names()
        ),
        None => format!("built-in packs: {}", builtin_names()),
    };
    Diagnostic {
        code: "policy/unknown-pack".into(),
        message: format!("there is no built-in policy pack named `{name}`"),
        help: Some(help),
        location: Location::default(),
    }
}

fn builtin_names() -> String {
    builtin::PACKS
        .iter()
        .map(|p| format!("`{}`", p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads one dump into a document.
pub fn read_dump(dump: &DumpInput, limits: &Limits) -> Result<Document, Diagnostic> {
    let hint = kind_hint(dump)?;
    let result = match &dump.content {
        DumpContent::Text(text) => input::read(&dump.name, text.as_bytes(), hint, limits),
        DumpContent::Json(value) => input::from_value(&dump.name, value.clone(), hint, limits),
    };
    result.map_err(|e| e.to_diagnostic())
}

/// [`read_dump`], taking the dump: its text is freed as soon as it is parsed, and a parsed JSON value
/// is used as it is instead of being copied.
pub fn read_dump_owned(dump: DumpInput, limits: &Limits) -> Result<Document, Diagnostic> {
    let hint = kind_hint(&dump)?;
    let result = match dump.content {
        DumpContent::Text(text) => input::read(&dump.name, text.as_bytes(), hint, limits),
        DumpContent::Json(value) => input::from_value(&dump.name, value, hint, limits),
    };
    result.map_err(|e| e.to_diagnostic())
}

/// [`read_dump`] for a check ([`input::read_for_check`]): `docker history` lines are read without the
/// JSON tree.
fn read_for_check(dump: &DumpInput, limits: &Limits) -> Result<input::Read, Diagnostic> {
    let hint = kind_hint(dump)?;
    let result = match &dump.content {
        DumpContent::Text(text) => input::read_for_check(&dump.name, text.as_bytes(), hint, limits),
        DumpContent::Json(value) => input::from_value(&dump.name, value.clone(), hint, limits)
            .map(|doc| input::Read { doc, lines: None }),
    };
    result.map_err(|e| e.to_diagnostic())
}

/// [`read_for_check`], taking the dump (see [`read_dump_owned`]).
fn read_for_check_owned(dump: DumpInput, limits: &Limits) -> Result<input::Read, Diagnostic> {
    let hint = kind_hint(&dump)?;
    let result = match dump.content {
        DumpContent::Text(text) => input::read_for_check(&dump.name, text.as_bytes(), hint, limits),
        DumpContent::Json(value) => input::from_value(&dump.name, value, hint, limits)
            .map(|doc| input::Read { doc, lines: None }),
    };
    result.map_err(|e| e.to_diagnostic())
}

/// The document kind a dump names, if it names one.
fn kind_hint(dump: &DumpInput) -> Result<Option<DocumentKind>, Diagnostic> {
    Ok(match &dump.kind {
        None => None,
        Some(id) => match DocumentKind::from_id(id) {
            Some(kind) => Some(kind),
            None => {
                return Err(Diagnostic {
                    code: "input/unknown-kind".into(),
                    message: format!("unknown document kind `{id}`"),
                    help: Some(format!(
                        "leave it out to detect the kind, or use one of: {}",
                        DocumentKind::ALL
                            .map(|k| format!("`{}`", k.id()))
                            .join(", ")
                    )),
                    location: Location::file(dump.name.clone()),
                })
            }
        },
    })
}

fn parse_today(today: Option<&str>) -> Result<Option<Date>, Diagnostic> {
    match today {
        None => Ok(None),
        Some(text) => Date::parse(text).map(Some).ok_or_else(|| Diagnostic {
            code: "request/bad-date".into(),
            message: format!("`{text}` is not a date: expected `YYYY-MM-DD`"),
            help: Some("give today's date, e.g. `2026-11-23`".into()),
            location: Location::default(),
        }),
    }
}

fn load_waivers(
    waivers: Option<&WaiversInput>,
    limits: &LimitsInput,
) -> Result<Vec<Waiver>, Vec<Diagnostic>> {
    match waivers {
        None => Ok(Vec::new()),
        Some(w) => {
            text_size(&w.name, &w.text, "waivers", limits)?;
            policy::load_waivers(&w.name, &w.text)
                .map_err(|errs| errs.iter().map(ToDiagnostic::to_diagnostic).collect())
        }
    }
}

/// A waiver must name a requirement of a loaded policy: a typo in an id would otherwise waive nothing
/// and go unnoticed (fail closed).
pub fn unknown_waiver_ids<P: std::borrow::Borrow<Policy>>(
    waivers: &[Waiver],
    policies: &[P],
) -> Vec<Diagnostic> {
    if policies.is_empty() {
        return Vec::new();
    }
    let policies: Vec<&Policy> = policies.iter().map(|p| p.borrow()).collect();
    let ids: Vec<&str> = policies
        .iter()
        .flat_map(|p| p.requirements.iter().map(|r| r.id.as_str()))
        .collect();
    waivers
        .iter()
        .filter(|w| !ids.contains(&w.id.as_str()))
        .map(|w| {
            let close = crate::diagnostic::did_you_mean(&w.id, ids.iter().copied());
            Diagnostic {
                code: "waiver/unknown-requirement".into(),
                message: format!(
                    "the waiver names `{}`, which no loaded policy has ({})",
                    w.id,
                    policies
                        .iter()
                        .map(|p| format!("`{}`", p.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                help: Some(match close {
                    Some(c) => format!("did you mean `{c}`? or remove the waiver"),
                    None => "fix the id, load the policy that has it, or remove the waiver".into(),
                }),
                location: w.location.clone(),
            }
        })
        .collect()
}

/// Two different policies under one name (a file named `image-baseline` beside the built-in pack, or two
/// files with the same `name:`): requirements are told apart by id and defining pack name, so one of
/// them would silently replace the other's requirements of the same id.
fn name_collisions(policies: &[std::sync::Arc<Policy>]) -> Vec<Diagnostic> {
    let mut files: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for req in policies.iter().flat_map(|p| &p.requirements) {
        let file = req.location.file.as_deref().unwrap_or_default();
        let seen = files.entry(req.policy.as_str()).or_default();
        if !seen.contains(&file) {
            seen.push(file);
        }
    }
    files
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(name, files)| Diagnostic {
            code: "request/policy-name-collision".into(),
            message: format!(
                "two different policies are named `{name}`: {}",
                files
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            help: Some(
                "give each policy its own `name:` (a changed copy of a built-in pack needs a new name, and can `include:` the pack instead)"
                    .into(),
            ),
            location: Location {
                file: files.last().map(|f| (*f).to_string()),
                pointer: Some("name".into()),
                ..Location::default()
            },
        })
        .collect()
}

/// Evaluates policies against dumps. Collects every error (all policies, all dumps) before answering.
pub fn check(request: &CheckRequest) -> Answer<CheckOutput> {
    check_reading(request, request.dumps.len(), |limits| {
        request
            .dumps
            .iter()
            .map(|d| read_for_check(d, limits))
            .collect()
    })
}

/// [`check`], taking the request: each dump's text is freed once it is parsed, so a large dump is not
/// held as text and as parsed JSON for the whole run (the CLI and the npm package call this).
pub fn check_owned(mut request: CheckRequest) -> Answer<CheckOutput> {
    let dumps = std::mem::take(&mut request.dumps);
    check_reading(&request, dumps.len(), move |limits| {
        dumps
            .into_iter()
            .map(|d| read_for_check_owned(d, limits))
            .collect()
    })
}

/// The check, with the dumps read by `read` (after the policies and waivers are loaded).
fn check_reading(
    request: &CheckRequest,
    dump_count: usize,
    read: impl FnOnce(&Limits) -> Vec<Result<input::Read, Diagnostic>>,
) -> Answer<CheckOutput> {
    let mut errors = Vec::new();
    if request.policies.is_empty() {
        errors.push(Diagnostic {
            code: "request/no-policy".into(),
            message: "no policy was given".into(),
            help: Some(format!(
                "name a built-in pack ({}) or give policy text",
                builtin_names()
            )),
            location: Location::default(),
        });
    }
    if dump_count == 0 {
        errors.push(Diagnostic {
            code: "request/no-dump".into(),
            message: "no dump was given".into(),
            help: Some(
                "give the output of `docker image inspect IMAGE` and `docker history --no-trunc --format '{{json .}}' IMAGE`"
                    .into(),
            ),
            location: Location::default(),
        });
    }
    let today = parse_today(request.today.as_deref()).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let limits_input = request.limits.clone().unwrap_or_default();
    let limits = limits_input.apply();
    let mut policies = Vec::new();
    for input in &request.policies {
        match load_policy_shared(input, &limits_input) {
            Ok(p) => policies.push(p),
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    let waivers =
        load_waivers(request.waivers.as_ref(), &limits_input).unwrap_or_else(|mut errs| {
            errors.append(&mut errs);
            Vec::new()
        });
    errors.extend(name_collisions(&policies));
    errors.extend(unknown_waiver_ids(&waivers, &policies));
    let mut documents = Vec::new();
    let mut lines = Vec::new();
    for read in read(&limits) {
        match read {
            Ok(read) => {
                documents.push(read.doc);
                lines.push(read.lines);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Answer::failure(errors);
    }
    // summaries first: building the facts takes the parsed JSON out of the documents
    let summaries = (documents.iter().zip(&lines))
        .map(|(doc, lines)| input::summary(doc, lines.as_ref()))
        .collect();
    let pending = match input::subjects_lazy_lines(&mut documents, &lines) {
        Ok(s) => s,
        Err(e) => return Answer::failure(vec![e.to_diagnostic()]),
    };
    drop((documents, lines));
    // Raw entries are kept only for the roots a `pointer:` check reads.
    let mut keep_raw = Vec::new();
    for req in policies.iter().flat_map(|p| &p.requirements) {
        req.pointer_roots(&mut keep_raw);
    }
    // Each subject's facts are built (for large image arrays) just before it is evaluated and freed
    // once it is: the facts of many images are never all in memory.
    let mut failed = None;
    let subjects = pending.into_iter().map_while(|p| match p.build(&keep_raw) {
        Ok(s) => Some(s),
        Err(e) => {
            failed = Some(e);
            None
        }
    });
    let report = eval::evaluate(
        &policies,
        subjects,
        &waivers,
        &eval::Options {
            today,
            max_steps: limits_input.max_steps(),
            max_total_steps: limits_input
                .max_total_steps
                .unwrap_or(eval::DEFAULT_MAX_TOTAL_STEPS),
            ..eval::Options::default()
        },
    );
    if let Some(e) = failed {
        return Answer::failure(vec![e.to_diagnostic()]);
    }
    Answer::Success {
        value: CheckOutput {
            report,
            documents: summaries,
        },
    }
}

/// Recognises one dump and says what it is.
pub fn detect(dump: &DumpInput) -> Answer<DetectOutput> {
    match read_dump(dump, &Limits::default()) {
        Ok(doc) => Answer::Success {
            value: DetectOutput {
                document: input::summarize(&doc),
            },
        },
        Err(e) => Answer::failure(vec![e]),
    }
}

/// Validates policy text; every problem comes back with its line and column.
pub fn validate_policy(name: &str, text: &str) -> Answer<ValidateOutput> {
    match load_policy(&PolicyInput::Text {
        name: name.to_string(),
        text: text.to_string(),
    }) {
        Ok(p) => Answer::Success {
            value: ValidateOutput {
                policy: PolicySummary::of(&p),
            },
        },
        Err(errors) => Answer::failure(errors),
    }
}

/// A policy's requirements (a built-in pack by name, or policy text), includes resolved, in policy order.
pub fn policy_requirements(input: &PolicyInput) -> Answer<RequirementsOutput> {
    match load_policy(input) {
        Ok(p) => Answer::Success {
            value: RequirementsOutput {
                policy: PolicySummary::of(&p),
                requirements: p
                    .requirements
                    .iter()
                    .map(|r| RequirementSummary {
                        id: r.id.clone(),
                        title: r.title.clone(),
                        section: r.section.clone(),
                        severity: r.severity,
                        policy: r.policy.clone(),
                    })
                    .collect(),
            },
        },
        Err(errors) => Answer::failure(errors),
    }
}

/// Lists the built-in packs with their metadata.
pub fn builtin_policies() -> Answer<BuiltinsOutput> {
    let mut policies = Vec::new();
    let mut errors = Vec::new();
    for pack in builtin::PACKS {
        match load_policy(&PolicyInput::Builtin(pack.name.to_string())) {
            Ok(p) => policies.push(PolicySummary::of(&p)),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Answer::Success {
            value: BuiltinsOutput { policies },
        }
    } else {
        Answer::failure(errors)
    }
}

/// Explains a requirement of the built-in packs by id (case-insensitive).
pub fn explain(id: &str) -> Answer<ExplainOutput> {
    let mut found: Option<Explanation> = None;
    let mut all_ids = Vec::new();
    for pack in builtin::PACKS {
        let Ok(p) = load_policy(&PolicyInput::Builtin(pack.name.to_string())) else {
            continue;
        };
        for r in &p.requirements {
            all_ids.push(r.id.clone());
            if !r.id.eq_ignore_ascii_case(id) {
                continue;
            }
            match &mut found {
                Some(e) => {
                    if e.policy != p.name && !e.also_in.contains(&p.name) {
                        e.also_in.push(p.name.clone());
                    }
                }
                None => {
                    let mut also_in = Vec::new();
                    if r.policy != p.name {
                        also_in.push(p.name.clone());
                    }
                    found = Some(Explanation {
                        id: r.id.clone(),
                        title: r.title.clone(),
                        section: r.section.clone(),
                        severity: r.severity,
                        policy: r.policy.clone(),
                        description: r.description.clone(),
                        remediation: r.remediation.clone(),
                        clause: r.clause.clone(),
                        example: r.example.clone(),
                        also_in,
                    });
                }
            }
        }
    }
    match found {
        Some(requirement) => Answer::Success {
            value: ExplainOutput { requirement },
        },
        None => {
            let upper = id.to_ascii_uppercase();
            let close = crate::diagnostic::did_you_mean(&upper, all_ids.iter().map(String::as_str));
            Answer::failure(vec![Diagnostic {
                code: "request/unknown-requirement".into(),
                message: format!("no built-in requirement has the id `{id}`"),
                help: Some(match close {
                    Some(c) => format!("did you mean `{c}`? `clearance policies` lists the packs"),
                    None => "`clearance policies` lists the packs and their requirements".into(),
                }),
                location: Location::default(),
            }])
        }
    }
}

/// Renders a report in a format.
pub fn render(report: &Report, format: &str, options: RenderOptions) -> Answer<RenderOutput> {
    match Format::parse(format) {
        Some(format) => Answer::Success {
            value: RenderOutput {
                format,
                output: report::render(report, format, options),
            },
        },
        None => Answer::failure(vec![Diagnostic {
            code: "request/unknown-format".into(),
            message: format!("unknown output format `{format}`"),
            help: Some(format!(
                "use one of: {}",
                Format::ALL.map(|f| format!("`{}`", f.name())).join(", ")
            )),
            location: Location::default(),
        }]),
    }
}

// ───────────────────────────── JSON in, JSON out ─────────────────────────────

/// Serialises an answer as compact JSON. Serialising these types cannot fail; if it ever did, the answer
/// is still a well-formed failure.
pub fn to_json<T: Serialize>(answer: &T) -> String {
    serde_json::to_string(answer).unwrap_or_else(|e| serialise_failure(&e))
}

/// The failure answer of [`to_json`] (not generic: one copy for every answer type).
fn serialise_failure(e: &serde_json::Error) -> String {
    format!(
        "{{\"type\":\"failure\",\"errors\":[{{\"code\":\"internal/serialise\",\"message\":{},\"location\":{{}}}}]}}",
        serde_json::Value::String(e.to_string())
    )
}

/// Parses a JSON request, turning a malformed one into a failure answer with line and column.
pub fn parse_request<T: for<'de> Deserialize<'de>>(
    what: &str,
    json: &str,
) -> Result<T, Diagnostic> {
    serde_json::from_str(json).map_err(|e| Diagnostic {
        code: "request/malformed".into(),
        message: format!("the {what} request is not valid: {e}"),
        help: Some("see docs/api.md for the request shape".into()),
        location: Location {
            file: Some(format!("<{what} request>")),
            line: Some(e.line()),
            column: Some(e.column()),
            pointer: None,
        },
    })
}

/// `check` with a JSON request and a JSON answer (for the wasm binding).
pub fn check_json(request: &str) -> String {
    match parse_request::<CheckRequest>("check", request) {
        Ok(req) => to_json(&check_owned(req)),
        Err(e) => to_json(&Answer::<CheckOutput>::failure(vec![e])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_request_lists_every_problem() {
        let answer = check(&CheckRequest {
            policies: vec![],
            dumps: vec![],
            waivers: None,
            today: Some("2026-02-30".into()),
            limits: None,
        });
        let Answer::Failure { errors } = answer else {
            panic!("expected failure")
        };
        let codes: Vec<_> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            codes,
            ["request/no-policy", "request/no-dump", "request/bad-date"]
        );
    }

    #[test]
    fn unknown_pack_suggests_a_name() {
        let errs = load_policy(&PolicyInput::Builtin("reactbin-api".into())).unwrap_err();
        assert_eq!(errs[0].code, "policy/unknown-pack");
        assert!(errs[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`reactbin-api-prod`"));
    }

    #[test]
    fn pack_names_are_case_insensitive() {
        let policy = load_policy(&PolicyInput::Builtin("Image-BASELINE".into())).unwrap();
        assert_eq!(policy.name, "image-baseline");
    }

    #[test]
    fn malformed_json_request_is_a_failure_answer() {
        let out: serde_json::Value = serde_json::from_str(&check_json("{\"policies\": [")).unwrap();
        assert_eq!(out["type"], "failure");
        assert_eq!(out["errors"][0]["code"], "request/malformed");
        assert_eq!(out["errors"][0]["location"]["line"], 1);
    }

    #[test]
    fn request_accepts_strings_and_objects() {
        let req: CheckRequest = serde_json::from_value(json!({
            "policies": ["image-baseline", {"name": "mine.yaml", "text": "name: x"}],
            "dumps": [
                {"name": "a.json", "content": "[]"},
                {"name": "b.json", "content": [{"Id": "sha256:1"}], "kind": "docker-image-inspect"}
            ],
            "today": "2026-11-23"
        }))
        .unwrap();
        assert_eq!(
            req.policies[0],
            PolicyInput::Builtin("image-baseline".into())
        );
        assert!(matches!(req.dumps[1].content, DumpContent::Json(_)));
    }
}
