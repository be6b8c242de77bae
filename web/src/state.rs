//! The whole state of the viewer, and every change to it: one [`Action`] enum and one reducer.
//!
//! Plain Rust (no DOM): the report is derived here by calling the engine (`clearance_core::api`), so
//! the logic is unit-tested natively. Components only dispatch actions and read this state.

use crate::examples;
use clearance_core::api::{
    self, Answer, CheckOutput, CheckRequest, DumpContent, DumpInput, PolicyInput, PolicySummary,
    WaiversInput,
};
use clearance_core::facts::Subject;
use clearance_core::input::{self, Document, DocumentSummary, Limits};
use clearance_core::policy::Severity;
use clearance_core::{Diagnostic, ToDiagnostic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::Reducible;

/// Where an input came from (shown next to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Pasted,
    File,
    Example,
    Embedded,
}

/// What an input was recognised as.
#[derive(Debug, Clone, PartialEq)]
pub enum Detection {
    /// Nothing typed yet.
    Empty,
    Recognised(DocumentSummary),
    Invalid(Vec<Diagnostic>),
}

/// One dump the reviewer gave.
#[derive(Debug, Clone, PartialEq)]
pub struct DumpEntry {
    pub id: u32,
    pub origin: Origin,
    pub input: DumpInput,
    pub detection: Detection,
}

impl DumpEntry {
    pub fn name(&self) -> &str {
        &self.input.name
    }

    /// The content as text (an embedding host may pass parsed JSON; it is shown pretty-printed).
    pub fn text(&self) -> String {
        match &self.input.content {
            DumpContent::Text(t) => t.clone(),
            DumpContent::Json(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
        }
    }

    fn is_empty(&self) -> bool {
        matches!(&self.input.content, DumpContent::Text(t) if t.trim().is_empty())
    }
}

/// A policy or waivers file given as text, with its live validation.
#[derive(Debug, Clone, PartialEq)]
pub struct TextFile {
    pub name: String,
    pub text: String,
    /// `Ok` with a summary line, or every problem with its line and column.
    pub validation: Result<String, Vec<Diagnostic>>,
}

/// Report filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Only failed and undecided (error) results.
    pub failed_only: bool,
    pub severity: Option<Severity>,
    pub section: Option<String>,
    /// Case-insensitive text search over id, title, section, message, expected, actual and remediation.
    pub query: String,
}

impl Filters {
    pub fn is_active(&self) -> bool {
        self.failed_only
            || self.severity.is_some()
            || self.section.is_some()
            || !self.query.trim().is_empty()
    }
}

/// The evaluated review: the engine's answer plus the parsed documents and subjects (for evidence
/// excerpts and the history chart).
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub output: CheckOutput,
    pub documents: Vec<Document>,
    pub subjects: Vec<Subject>,
}

/// What the report pane shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Something is still missing: the reviewer is told what.
    Waiting {
        need_dump: bool,
        need_policy: bool,
    },
    /// The engine answered with errors (a dump or policy it cannot read).
    Failed(Vec<Diagnostic>),
    Ready(Rc<Review>),
}

/// A row of the report: subject index and requirement id (stable across re-evaluation).
pub type RowKey = (usize, String);

/// What "remember this review on this device" stores (local storage), and what an embedding host's
/// request becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    pub version: u32,
    pub dumps: Vec<SavedFile>,
    pub packs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<SavedFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waivers: Option<SavedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFile {
    pub name: String,
    pub text: String,
}

/// A file or pasted text to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDump {
    pub name: String,
    pub text: String,
    pub origin: Origin,
}

/// Every change the viewer makes to its state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Adds dumps (pasted, chosen or dropped files).
    AddDumps(Vec<NewDump>),
    /// Adds an empty paste box.
    AddPasteBox,
    EditDump {
        id: u32,
        text: String,
    },
    RemoveDump(u32),
    ClearDumps,
    TogglePack(String),
    SetPolicy {
        name: String,
        text: String,
    },
    RemovePolicy,
    SetWaivers {
        name: String,
        text: String,
    },
    RemoveWaivers,
    /// The date waivers are judged against (`YYYY-MM-DD`), from the browser's clock or typed.
    SetToday(Option<String>),
    /// Loads a built-in example: its dumps and its pack (replacing the current inputs).
    LoadExample {
        pack: String,
        scenario: String,
    },
    /// An embedding host's request (replaces everything).
    LoadRequest(Box<CheckRequest>),
    SetFailedOnly(bool),
    SetSeverity(Option<Severity>),
    SetSection(Option<String>),
    SetQuery(String),
    ClearFilters,
    ToggleRow(RowKey),
    /// Expands (true) or collapses (false) every row.
    ExpandAll(bool),
    SetRemember(bool),
    /// Forgets what was stored on this device (the page keeps the review).
    Forget,
    Restore(Saved),
    /// A problem to show (a file that could not be read, a clipboard refusal).
    Notice(String),
    DismissNotice(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The built-in packs with their titles and descriptions (or why they could not be listed).
    pub builtins: Result<Vec<PolicySummary>, Vec<Diagnostic>>,
    pub dumps: Vec<DumpEntry>,
    next_id: u32,
    /// Selected built-in packs, in the order they are listed.
    pub packs: Vec<String>,
    pub policy: Option<TextFile>,
    pub waivers: Option<TextFile>,
    pub today: Option<String>,
    pub outcome: Outcome,
    pub filters: Filters,
    pub expanded: BTreeSet<RowKey>,
    pub remember: bool,
    pub notices: Vec<String>,
    /// The example last loaded (scenario name), while the inputs are unchanged.
    pub example: Option<String>,
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

impl AppState {
    pub fn new() -> Self {
        let mut state = Self {
            builtins: api::builtin_policies().ok().map(|b| b.policies),
            dumps: Vec::new(),
            next_id: 1,
            packs: Vec::new(),
            policy: None,
            waivers: None,
            today: None,
            outcome: Outcome::Waiting {
                need_dump: true,
                need_policy: true,
            },
            filters: Filters::default(),
            expanded: BTreeSet::new(),
            remember: false,
            notices: Vec::new(),
            example: None,
        };
        state.evaluate();
        state
    }

    pub fn builtin_names(&self) -> Vec<String> {
        match &self.builtins {
            Ok(list) => list.iter().map(|p| p.name.clone()).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The engine request for the current inputs (empty paste boxes left out).
    pub fn request(&self) -> CheckRequest {
        let mut policies: Vec<PolicyInput> = self
            .packs
            .iter()
            .map(|p| PolicyInput::Builtin(p.clone()))
            .collect();
        if let Some(p) = &self.policy {
            policies.push(PolicyInput::Text {
                name: p.name.clone(),
                text: p.text.clone(),
            });
        }
        CheckRequest {
            policies,
            dumps: self
                .dumps
                .iter()
                .filter(|d| !d.is_empty())
                .map(|d| d.input.clone())
                .collect(),
            waivers: self.waivers.as_ref().map(|w| WaiversInput {
                name: w.name.clone(),
                text: w.text.clone(),
            }),
            today: self.today.clone(),
            limits: None,
        }
    }

    /// What is stored when the reviewer opts in to "remember".
    pub fn saved(&self) -> Saved {
        Saved {
            version: 1,
            dumps: self
                .dumps
                .iter()
                .filter(|d| !d.is_empty())
                .map(|d| SavedFile {
                    name: d.name().to_string(),
                    text: d.text(),
                })
                .collect(),
            packs: self.packs.clone(),
            policy: self.policy.as_ref().map(|p| SavedFile {
                name: p.name.clone(),
                text: p.text.clone(),
            }),
            waivers: self.waivers.as_ref().map(|w| SavedFile {
                name: w.name.clone(),
                text: w.text.clone(),
            }),
        }
    }

    /// Sections of the current report, in first-seen order.
    pub fn sections(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if let Outcome::Ready(review) = &self.outcome {
            for s in &review.output.report.subjects {
                for r in &s.results {
                    if !out.iter().any(|s| **s == *r.section) {
                        out.push(r.section.to_string());
                    }
                }
            }
        }
        out
    }

    fn unique_name(&self, wanted: &str, except: Option<u32>) -> String {
        let taken = |n: &str| {
            self.dumps
                .iter()
                .any(|d| Some(d.id) != except && d.name() == n)
        };
        if !taken(wanted) {
            return wanted.to_string();
        }
        let (stem, ext) = match wanted.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
            _ => (wanted, String::new()),
        };
        (2..)
            .map(|n| format!("{stem} ({n}){ext}"))
            .find(|n| !taken(n))
            .unwrap_or_else(|| wanted.to_string())
    }

    fn push_dump(
        &mut self,
        name: &str,
        content: DumpContent,
        kind: Option<String>,
        origin: Origin,
    ) {
        let name = self.unique_name(name, None);
        let input = DumpInput {
            name,
            content,
            kind,
        };
        let detection = detect(&input);
        self.dumps.push(DumpEntry {
            id: self.next_id,
            origin,
            input,
            detection,
        });
        self.next_id += 1;
    }

    fn pasted_name(&self) -> String {
        let n = self
            .dumps
            .iter()
            .filter(|d| d.origin == Origin::Pasted)
            .count()
            + 1;
        self.unique_name(&format!("pasted-{n}.json"), None)
    }

    fn set_policy(&mut self, name: String, text: String) {
        let validation = match api::validate_policy(&name, &text) {
            Answer::Success { value } => Ok(format!(
                "`{}` — {} ({} requirements)",
                value.policy.name, value.policy.title, value.policy.requirements
            )),
            Answer::Failure { errors } => Err(errors),
        };
        self.policy = Some(TextFile {
            name,
            text,
            validation,
        });
    }

    fn set_waivers(&mut self, name: String, text: String) {
        let validation = match clearance_core::policy::load_waivers(&name, &text) {
            Ok(w) => Ok(format!(
                "{} waiver{}",
                w.len(),
                if w.len() == 1 { "" } else { "s" }
            )),
            Err(errs) => Err(errs.iter().map(ToDiagnostic::to_diagnostic).collect()),
        };
        self.waivers = Some(TextFile {
            name,
            text,
            validation,
        });
    }

    fn load_example(&mut self, pack: &str, scenario: &str) {
        let Some(found) = examples::scenario(scenario) else {
            self.notices
                .push(format!("there is no built-in example named `{scenario}`"));
            return;
        };
        self.dumps.clear();
        for (name, text) in found.files {
            self.push_dump(
                name,
                DumpContent::Text((*text).to_string()),
                None,
                Origin::Example,
            );
        }
        if self.builtin_names().iter().any(|n| n == pack) {
            self.packs = vec![pack.to_string()];
        }
        self.policy = None;
        self.waivers = None;
        self.filters = Filters::default();
        self.expanded.clear();
        self.example = Some(scenario.to_string());
    }

    fn load_request(&mut self, request: CheckRequest) {
        self.dumps.clear();
        self.packs.clear();
        self.policy = None;
        self.waivers = None;
        let builtins = self.builtin_names();
        for p in request.policies {
            match p {
                PolicyInput::Builtin(name) if builtins.contains(&name) => {
                    if !self.packs.contains(&name) {
                        self.packs.push(name);
                    }
                }
                PolicyInput::Builtin(name) => {
                    // Let the engine's "did you mean" speak for an unknown pack.
                    self.notices
                        .push(format!("there is no built-in policy pack named `{name}`"));
                }
                PolicyInput::Text { name, text } => self.set_policy(name, text),
            }
        }
        for d in request.dumps {
            self.push_dump(&d.name, d.content, d.kind, Origin::Embedded);
        }
        if let Some(w) = request.waivers {
            self.set_waivers(w.name, w.text);
        }
        if request.today.is_some() {
            self.today = request.today;
        }
        self.filters = Filters::default();
        self.expanded.clear();
        self.example = None;
    }

    fn restore(&mut self, saved: Saved) {
        self.dumps.clear();
        for f in saved.dumps {
            self.push_dump(&f.name, DumpContent::Text(f.text), None, Origin::File);
        }
        let builtins = self.builtin_names();
        self.packs = saved
            .packs
            .into_iter()
            .filter(|p| builtins.contains(p))
            .collect();
        self.policy = None;
        if let Some(p) = saved.policy {
            self.set_policy(p.name, p.text);
        }
        self.waivers = None;
        if let Some(w) = saved.waivers {
            self.set_waivers(w.name, w.text);
        }
        self.remember = true;
        self.example = None;
    }

    /// Runs the engine on the current inputs.
    fn evaluate(&mut self) {
        let request = self.request();
        let need_dump = request.dumps.is_empty();
        let need_policy = request.policies.is_empty();
        if need_dump || need_policy {
            self.outcome = Outcome::Waiting {
                need_dump,
                need_policy,
            };
            return;
        }
        self.outcome = match api::check(&request) {
            Answer::Failure { errors } => Outcome::Failed(errors),
            Answer::Success { value } => {
                let documents: Vec<Document> = request
                    .dumps
                    .iter()
                    .filter_map(|d| api::read_dump(d, &Limits::default()).ok())
                    .collect();
                let subjects = input::subjects(&documents).unwrap_or_default();
                Outcome::Ready(Rc::new(Review {
                    output: value,
                    documents,
                    subjects,
                }))
            }
        };
    }

    /// Applies one action. Input changes re-run the engine.
    pub fn apply(&mut self, action: Action) {
        let mut inputs_changed = true;
        match action {
            Action::AddDumps(new) => {
                for d in new {
                    let name = if d.name.trim().is_empty() {
                        self.pasted_name()
                    } else {
                        d.name
                    };
                    self.push_dump(&name, DumpContent::Text(d.text), None, d.origin);
                }
            }
            Action::AddPasteBox => {
                let name = self.pasted_name();
                self.push_dump(
                    &name,
                    DumpContent::Text(String::new()),
                    None,
                    Origin::Pasted,
                );
                inputs_changed = false;
            }
            Action::EditDump { id, text } => {
                if let Some(d) = self.dumps.iter_mut().find(|d| d.id == id) {
                    d.input.content = DumpContent::Text(text);
                    d.detection = detect(&d.input);
                }
            }
            Action::RemoveDump(id) => self.dumps.retain(|d| d.id != id),
            Action::ClearDumps => self.dumps.clear(),
            Action::TogglePack(name) => {
                if self.packs.contains(&name) {
                    self.packs.retain(|p| p != &name);
                } else if self.builtin_names().contains(&name) {
                    let order = self.builtin_names();
                    self.packs.push(name);
                    self.packs
                        .sort_by_key(|p| order.iter().position(|n| n == p));
                }
            }
            Action::SetPolicy { name, text } => self.set_policy(name, text),
            Action::RemovePolicy => self.policy = None,
            Action::SetWaivers { name, text } => self.set_waivers(name, text),
            Action::RemoveWaivers => self.waivers = None,
            Action::SetToday(today) => self.today = today,
            Action::LoadExample { pack, scenario } => {
                self.load_example(&pack, &scenario);
                // Keep the example marker (set_* below would otherwise clear it).
                self.evaluate();
                return;
            }
            Action::LoadRequest(request) => self.load_request(*request),
            Action::Restore(saved) => self.restore(saved),
            other => {
                inputs_changed = false;
                self.apply_view(other);
            }
        }
        if inputs_changed {
            self.example = match &self.example {
                Some(name) if self.matches_example(name) => Some(name.clone()),
                _ => None,
            };
            self.evaluate();
        }
    }

    /// Are the inputs still exactly the example's?
    fn matches_example(&self, name: &str) -> bool {
        let Some(s) = examples::scenario(name) else {
            return false;
        };
        self.dumps.len() == s.files.len()
            && self
                .dumps
                .iter()
                .zip(s.files.iter())
                .all(|(d, (n, t))| d.name() == *n && d.text() == *t)
    }

    fn apply_view(&mut self, action: Action) {
        match action {
            Action::SetFailedOnly(on) => self.filters.failed_only = on,
            Action::SetSeverity(s) => self.filters.severity = s,
            Action::SetSection(s) => self.filters.section = s,
            Action::SetQuery(q) => self.filters.query = q,
            Action::ClearFilters => self.filters = Filters::default(),
            Action::ToggleRow(key) if !self.expanded.remove(&key) => {
                self.expanded.insert(key);
            }
            Action::ExpandAll(open) => {
                self.expanded.clear();
                if open {
                    if let Outcome::Ready(review) = &self.outcome {
                        for (i, s) in review.output.report.subjects.iter().enumerate() {
                            for r in &s.results {
                                self.expanded.insert((i, r.id.to_string()));
                            }
                        }
                    }
                }
            }
            Action::SetRemember(on) => self.remember = on,
            Action::Forget => self.remember = false,
            Action::Notice(text) => self.notices.push(text),
            Action::DismissNotice(i) if i < self.notices.len() => {
                self.notices.remove(i);
            }
            _ => {}
        }
    }
}

/// Recognises one dump (empty text is not an error yet).
pub fn detect(input: &DumpInput) -> Detection {
    if matches!(&input.content, DumpContent::Text(t) if t.trim().is_empty()) {
        return Detection::Empty;
    }
    match api::detect(input) {
        Answer::Success { value } => Detection::Recognised(value.document),
        Answer::Failure { errors } => Detection::Invalid(errors),
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

/// What a dropped file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    Dump,
    Policy,
    Waivers,
}

/// Decides what a dropped file is: YAML is a policy (or a waivers file when it has a top-level
/// `waivers:`); JSON with `requirements` / `include` / `waivers` at the top is a policy / waivers file;
/// everything else is a dump.
pub fn classify(name: &str, text: &str) -> FileRole {
    let lower = name.to_ascii_lowercase();
    let top_key = |key: &str| {
        text.lines().any(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    };
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return if top_key("waivers") {
            FileRole::Waivers
        } else {
            FileRole::Policy
        };
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) if map.contains_key("waivers") => FileRole::Waivers,
        Ok(serde_json::Value::Object(map))
            if map.contains_key("requirements") || map.contains_key("include") =>
        {
            FileRole::Policy
        }
        _ => FileRole::Dump,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dump(name: &str, text: &str) -> NewDump {
        NewDump {
            name: name.into(),
            text: text.into(),
            origin: Origin::File,
        }
    }

    fn first_pack(s: &AppState) -> String {
        s.builtin_names().first().cloned().unwrap_or_default()
    }

    #[test]
    fn starts_empty_and_says_what_is_missing() {
        let s = AppState::new();
        assert!(s.dumps.is_empty() && s.packs.is_empty());
        assert_eq!(
            s.outcome,
            Outcome::Waiting {
                need_dump: true,
                need_policy: true
            }
        );
        assert!(!s.remember, "nothing is remembered by default");
    }

    #[test]
    fn dumps_get_unique_names_and_can_be_edited_and_removed() {
        let mut s = AppState::new();
        s.apply(Action::AddDumps(vec![
            dump("a.json", "[]"),
            dump("a.json", "[]"),
            dump("", "{}"),
        ]));
        let names: Vec<_> = s.dumps.iter().map(|d| d.name().to_string()).collect();
        assert_eq!(names, ["a.json", "a (2).json", "pasted-1.json"]);
        assert!(s.dumps.iter().all(|d| matches!(
            d.detection,
            Detection::Recognised(_) | Detection::Invalid(_)
        )));
        let id = s.dumps[1].id;
        s.apply(Action::EditDump {
            id,
            text: "  ".into(),
        });
        assert_eq!(s.dumps[1].detection, Detection::Empty);
        s.apply(Action::RemoveDump(id));
        assert_eq!(s.dumps.len(), 2);
        // Only dumps, no policy yet.
        assert_eq!(
            s.outcome,
            Outcome::Waiting {
                need_dump: false,
                need_policy: true
            }
        );
        s.apply(Action::AddPasteBox);
        assert_eq!(s.dumps.last().unwrap().detection, Detection::Empty);
        assert_eq!(s.request().dumps.len(), 2, "empty paste boxes are left out");
        s.apply(Action::ClearDumps);
        assert!(s.dumps.is_empty());
    }

    #[test]
    fn packs_toggle_in_listed_order_and_unknown_packs_are_ignored() {
        let mut s = AppState::new();
        let names = s.builtin_names();
        if names.len() < 2 {
            eprintln!("built-in packs not loadable yet; skipping");
            return;
        }
        s.apply(Action::TogglePack(names[1].clone()));
        s.apply(Action::TogglePack(names[0].clone()));
        assert_eq!(s.packs, [names[0].clone(), names[1].clone()]);
        s.apply(Action::TogglePack(names[0].clone()));
        assert_eq!(s.packs, [names[1].clone()]);
        s.apply(Action::TogglePack("no-such-pack".into()));
        assert_eq!(s.packs, [names[1].clone()]);
        assert_eq!(
            s.outcome,
            Outcome::Waiting {
                need_dump: true,
                need_policy: false
            }
        );
    }

    #[test]
    fn policy_is_validated_as_typed_with_line_and_column() {
        let mut s = AppState::new();
        s.apply(Action::SetPolicy {
            name: "mine.yaml".into(),
            text: "name: [unclosed\n".into(),
        });
        let errors = s.policy.as_ref().unwrap().validation.clone().unwrap_err();
        assert!(!errors.is_empty());
        assert_eq!(
            errors[0].location.file.as_deref(),
            Some("mine.yaml"),
            "{errors:?}"
        );
        s.apply(Action::RemovePolicy);
        assert!(s.policy.is_none());
    }

    #[test]
    fn with_dump_and_policy_the_engine_answers() {
        let mut s = AppState::new();
        let pack = first_pack(&s);
        if pack.is_empty() {
            return;
        }
        s.apply(Action::TogglePack(pack));
        s.apply(Action::AddDumps(vec![dump("x.json", "not json")]));
        // A dump the engine cannot read is an error answer, never a panic or a silent pass.
        assert!(matches!(s.outcome, Outcome::Failed(ref e) if !e.is_empty()));
    }

    #[test]
    fn filters_and_rows() {
        let mut s = AppState::new();
        s.apply(Action::SetFailedOnly(true));
        s.apply(Action::SetSeverity(Some(Severity::Warning)));
        s.apply(Action::SetSection(Some("Health".into())));
        s.apply(Action::SetQuery("user".into()));
        assert!(s.filters.is_active());
        s.apply(Action::ClearFilters);
        assert_eq!(s.filters, Filters::default());
        s.apply(Action::ToggleRow((0, "USER-001".into())));
        assert!(s.expanded.contains(&(0, "USER-001".into())));
        s.apply(Action::ToggleRow((0, "USER-001".into())));
        assert!(s.expanded.is_empty());
        s.apply(Action::ExpandAll(false));
        assert!(s.expanded.is_empty());
    }

    #[test]
    fn remember_restore_and_forget() {
        let mut s = AppState::new();
        let pack = first_pack(&s);
        s.apply(Action::AddDumps(vec![dump("image.json", "[]")]));
        if !pack.is_empty() {
            s.apply(Action::TogglePack(pack.clone()));
        }
        s.apply(Action::SetWaivers {
            name: "w.yaml".into(),
            text: "waivers: []\n".into(),
        });
        s.apply(Action::SetRemember(true));
        let saved = s.saved();
        let json = serde_json::to_string(&saved).unwrap();
        let back: Saved = serde_json::from_str(&json).unwrap();
        let mut t = AppState::new();
        t.apply(Action::Restore(back));
        assert!(t.remember);
        assert_eq!(t.saved(), saved);
        assert_eq!(t.request(), s.request());
        t.apply(Action::Forget);
        assert!(!t.remember);
        assert_eq!(
            t.dumps.len(),
            1,
            "forget keeps the page, drops the stored copy"
        );
    }

    #[test]
    fn a_host_request_replaces_the_inputs() {
        let mut s = AppState::new();
        s.apply(Action::AddDumps(vec![dump("old.json", "[]")]));
        let pack = first_pack(&s);
        let request: CheckRequest = serde_json::from_value(json!({
            "policies": [pack, "no-such-pack", {"name": "mine.yaml", "text": "name: mine\n"}],
            "dumps": [{"name": "image.json", "content": [{"Id": "sha256:1"}]}],
            "waivers": {"name": "w.yaml", "text": "waivers: []\n"},
            "today": "2026-01-02"
        }))
        .unwrap();
        s.apply(Action::LoadRequest(Box::new(request)));
        assert_eq!(s.dumps.len(), 1);
        assert_eq!(s.dumps[0].name(), "image.json");
        assert_eq!(s.dumps[0].origin, Origin::Embedded);
        assert!(s.dumps[0].text().contains("sha256:1"));
        assert_eq!(
            s.policy.as_ref().map(|p| p.name.as_str()),
            Some("mine.yaml")
        );
        assert!(s.waivers.is_some());
        assert_eq!(s.today.as_deref(), Some("2026-01-02"));
        assert!(s.notices.iter().any(|n| n.contains("`no-such-pack`")));
        s.apply(Action::DismissNotice(0));
        s.apply(Action::DismissNotice(99));
        assert!(s.notices.is_empty());
    }

    #[test]
    fn examples_load_their_dumps_and_pack() {
        let mut s = AppState::new();
        for pack in s.builtin_names() {
            for e in examples::for_pack(&pack) {
                s.apply(Action::LoadExample {
                    pack: pack.clone(),
                    scenario: e.scenario.name.into(),
                });
                assert_eq!(s.packs, std::slice::from_ref(&pack));
                assert_eq!(s.dumps.len(), e.scenario.files.len());
                assert_eq!(s.example.as_deref(), Some(e.scenario.name));
                assert!(!matches!(s.outcome, Outcome::Waiting { .. }));
            }
        }
        s.apply(Action::LoadExample {
            pack: "x".into(),
            scenario: "no-such-example".into(),
        });
        assert!(s.notices.iter().any(|n| n.contains("`no-such-example`")));
    }

    #[test]
    fn the_reactbin_examples_pass_and_fail_and_excerpts_stay_masked() {
        let mut s = AppState::new();
        let verdict = |s: &AppState| match &s.outcome {
            Outcome::Ready(r) => Some(r.output.report.verdict),
            _ => None,
        };
        if examples::scenario("reactbin-conforming").is_none() {
            eprintln!("tests/fixtures/reactbin-* not there; skipping");
            return;
        }
        s.apply(Action::LoadExample {
            pack: "reactbin-api-prod".into(),
            scenario: "reactbin-conforming".into(),
        });
        assert_eq!(verdict(&s), Some(clearance_core::report::Verdict::Pass));
        s.apply(Action::LoadExample {
            pack: "reactbin-api-prod".into(),
            scenario: "reactbin-violating".into(),
        });
        assert_eq!(verdict(&s), Some(clearance_core::report::Verdict::Fail));
        let Outcome::Ready(review) = &s.outcome else {
            unreachable!()
        };
        // The baked-in JWT secret is evidence somewhere; every excerpt shows it masked.
        let masks = crate::excerpt::masks(&review.subjects);
        let mut excerpts = 0;
        for r in &review.output.report.subjects[0].results {
            for e in &r.evidence {
                if let Some(x) =
                    crate::excerpt::excerpt(&review.documents, &masks, &e.document, &e.pointer)
                {
                    excerpts += 1;
                    for line in &x.lines {
                        assert!(
                            !line.text.contains("dev-secret-please-change"),
                            "{}: {}",
                            r.id,
                            line.text
                        );
                    }
                }
            }
        }
        assert!(excerpts > 10, "evidence excerpts found: {excerpts}");
        // Editing a dump leaves the example.
        let id = s.dumps[0].id;
        s.apply(Action::EditDump {
            id,
            text: "[]".into(),
        });
        assert_eq!(s.example, None);
    }

    #[test]
    fn dropped_files_are_classified() {
        assert_eq!(
            classify("policy.yaml", "name: x\nrequirements: []\n"),
            FileRole::Policy
        );
        assert_eq!(
            classify("w.YML", "waivers:\n  - id: A\n"),
            FileRole::Waivers
        );
        assert_eq!(
            classify("p.json", r#"{"name":"x","requirements":[]}"#),
            FileRole::Policy
        );
        assert_eq!(classify("w.json", r#"{"waivers":[]}"#), FileRole::Waivers);
        assert_eq!(
            classify("image.json", r#"[{"Id":"sha256:1"}]"#),
            FileRole::Dump
        );
        assert_eq!(
            classify("history.jsonl", "{\"ID\":\"a\"}\n{\"ID\":\"b\"}\n"),
            FileRole::Dump
        );
    }
}
