//! Waivers: which waiver covers which result, and what the report says about waivers that did not
//! apply (expired, no `today`, unknown id, matching no subject, covering a passing requirement).

use crate::facts::Subject;
use crate::policy::{Date, Waiver};
use crate::report::{RequirementResult, Status, WaiverNote};
use std::sync::Arc;

/// Applies waivers result by result and remembers how each was used, for the report's notes.
pub(crate) struct Tracker<'w> {
    waivers: &'w [Waiver],
    today: Option<Date>,
    uses: Vec<Use>,
    subjects: usize,
}

#[derive(Debug, Default)]
struct Use {
    /// Results it turned into `waived`.
    applied: usize,
    /// It matched a result of some subject.
    matched: bool,
    /// Why it did not apply to a failing result (deduplicated, in order).
    blocked: Vec<String>,
    /// Subjects where it matched a passing or not applicable result (`` `app:1` (pass) ``).
    unused_on: Vec<String>,
}

impl<'w> Tracker<'w> {
    pub fn new(waivers: &'w [Waiver], today: Option<Date>) -> Self {
        Self {
            waivers,
            today,
            uses: waivers.iter().map(|_| Use::default()).collect(),
            subjects: 0,
        }
    }

    /// Applies the waivers matching `result` (same id, image pattern matching the subject). The first
    /// one that applies turns `fail`/`error` into `waived`; when none applies, the result keeps its
    /// status and carries a note saying why.
    /// A result shared with other subjects is copied only when a waiver changes it.
    pub fn apply(&mut self, subject: &Subject, result: &mut Arc<RequirementResult>) {
        let candidates: Vec<usize> = self
            .waivers
            .iter()
            .enumerate()
            .filter(|(_, w)| *w.id == *result.id && covers(w, subject))
            .map(|(i, _)| i)
            .collect();
        for &i in &candidates {
            if let Some(u) = self.uses.get_mut(i) {
                u.matched = true;
            }
        }
        match result.status {
            Status::Fail | Status::Error => {
                let judged: Vec<(usize, Result<String, String>)> = candidates
                    .iter()
                    .filter_map(|&i| self.waivers.get(i).map(|w| (i, self.judge(w))))
                    .collect();
                if let Some((i, Ok(message))) = judged.iter().find(|(_, j)| j.is_ok()) {
                    if let (Some(w), Some(u)) = (self.waivers.get(*i), self.uses.get_mut(*i)) {
                        let result = Arc::make_mut(result);
                        result.status = Status::Waived;
                        result.waiver = Some(Box::new(note(w, true, message.clone())));
                        u.applied += 1;
                    }
                } else if let Some((i, Err(why))) = judged.first() {
                    if let (Some(w), Some(u)) = (self.waivers.get(*i), self.uses.get_mut(*i)) {
                        Arc::make_mut(result).waiver = Some(Box::new(note(w, false, why.clone())));
                        if !u.blocked.contains(why) {
                            u.blocked.push(why.clone());
                        }
                    }
                }
            }
            Status::Pass | Status::NotApplicable => {
                for &i in &candidates {
                    if let Some(u) = self.uses.get_mut(i) {
                        let on = format!("`{}` ({})", subject.label, result.status.name());
                        if !u.unused_on.contains(&on) {
                            u.unused_on.push(on);
                        }
                    }
                }
            }
            Status::Waived => {}
        }
    }

    /// Counts a subject (for "matches none of the subjects").
    pub fn subject_done(&mut self) {
        self.subjects += 1;
    }

    /// Does the waiver apply on `today`? `Ok(message)` or `Err(why not)`.
    fn judge(&self, w: &Waiver) -> Result<String, String> {
        match (w.expires, self.today) {
            (None, _) => Ok("waiver applies (no expiry date)".to_string()),
            (Some(expires), None) => Err(format!(
                "waiver has an expiry date but no --today was given (it expires on {expires})"
            )),
            (Some(expires), Some(today)) if expires < today => {
                Err(format!("waiver expired on {expires} (today is {today})"))
            }
            (Some(expires), Some(_)) => Ok(format!("waiver applies until {expires}")),
        }
    }

    /// The report's notes about waivers, in waiver order. `known_ids` are the evaluated requirements.
    pub fn notes(&self, known_ids: &[&str]) -> Vec<String> {
        let mut notes = Vec::new();
        for (w, u) in self.waivers.iter().zip(&self.uses) {
            let name = format!("waiver for `{}`{}", w.id, location(w));
            if !known_ids.contains(&w.id.as_str()) {
                notes.push(format!(
                    "{name} names no requirement of the loaded policies; it was not used"
                ));
                continue;
            }
            if !u.matched && self.subjects > 0 {
                let pattern = w
                    .image
                    .as_ref()
                    .map(|m| format!(" (image pattern `{}`)", m.source))
                    .unwrap_or_default();
                notes.push(format!("{name} matches none of the subjects{pattern}"));
                continue;
            }
            for why in &u.blocked {
                notes.push(format!("{name} did not apply: {why}"));
            }
            if !u.unused_on.is_empty() {
                notes.push(format!(
                    "{name} is unused for {}: the requirement did not fail",
                    u.unused_on.join(", ")
                ));
            }
        }
        notes
    }
}

/// Does the waiver's image pattern cover the subject (any tag, digest or the image id)?
fn covers(w: &Waiver, subject: &Subject) -> bool {
    match &w.image {
        None => true,
        Some(m) => subject
            .tags
            .iter()
            .chain(subject.digests.iter())
            .chain(subject.image_id.iter())
            .any(|name| m.is_match(name)),
    }
}

fn note(w: &Waiver, applied: bool, message: String) -> WaiverNote {
    WaiverNote {
        reason: w.reason.clone(),
        approver: w.approver.clone(),
        expires: w.expires.map(|d| d.to_string()),
        applied,
        message,
    }
}

/// ` (waivers.yaml:3:5)`, or nothing when the waiver has no location.
fn location(w: &Waiver) -> String {
    let loc = w.location.to_string();
    if loc.is_empty() {
        String::new()
    } else {
        format!(" ({loc})")
    }
}
