//! The shape every error takes when it leaves the engine: `{code, message, help, location}`.
//!
//! Each stage has its own error enum (`InputError`, `PolicyError`, `WaiverError`); each turns itself into
//! a [`Diagnostic`] so the CLI, the npm package and the web app print the same words.

use serde::Serialize;

/// Where a problem is: a document or policy file, and inside it a line/column and/or a JSON pointer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct Location {
    /// Source name of the file (a path, `-` for stdin, or a built-in pack's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// RFC 6901 JSON pointer (for dumps) or a dotted path (for policies: `requirements[2].check`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Self {
            file: Some(file.into()),
            ..Self::default()
        }
    }

    pub fn at(file: impl Into<String>, line: usize, column: usize) -> Self {
        Self {
            file: Some(file.into()),
            line: Some(line),
            column: Some(column),
            pointer: None,
        }
    }

    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }
}

impl std::fmt::Display for Location {
    /// `file:line:column (pointer)`, leaving out what is unknown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            wrote = true;
        }
        if let Some(line) = self.line {
            write!(f, "{}{line}", if wrote { ":" } else { "line " })?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
            wrote = true;
        }
        if let Some(pointer) = &self.pointer {
            if wrote {
                write!(f, " ")?;
            }
            write!(f, "at `{pointer}`")?;
        }
        Ok(())
    }
}

/// An error as data, for every non-Rust caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct Diagnostic {
    /// Stable machine-readable code, `stage/what` (`input/syntax`, `policy/unknown-field`).
    pub code: String,
    /// What is wrong: lowercase, no final period, user values in backticks.
    pub message: String,
    /// How to fix it, when there is something to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub location: Location,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let loc = self.location.to_string();
        if loc.is_empty() {
            write!(f, "error[{}]: {}", self.code, self.message)?;
        } else {
            write!(f, "error[{}]: {loc}: {}", self.code, self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Implemented by every stage's error enum.
pub trait ToDiagnostic {
    fn to_diagnostic(&self) -> Diagnostic;
}

/// Closest candidate by edit distance, for "did you mean" help (none when nothing is close).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    for candidate in candidates {
        let d = edit_distance(word, candidate);
        let limit = (candidate.chars().count().max(word.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((candidate, d));
        }
    }
    best.map(|(c, _)| c)
}

/// Edit distance counting an insertion, a deletion, a substitution or a swap of two adjacent characters
/// as one edit (optimal string alignment), so `titel` is one edit from `title`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            let mut best = sub.min(del).min(ins);
            let swapped = i > 0 && j > 0 && a.get(i - 1) == Some(cb) && b.get(j - 1) == Some(ca);
            if swapped {
                best = best.min(before.get(j - 1).copied().unwrap_or(0) + 1);
            }
            cur.push(best);
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let ops = ["equals", "one_of", "matches", "not_matches"];
        assert_eq!(did_you_mean("equal", ops), Some("equals"));
        assert_eq!(did_you_mean("match", ops), Some("matches"));
        assert_eq!(did_you_mean("frobnicate", ops), None);
        assert_eq!(did_you_mean("titel", ["id", "title"]), Some("title"));
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn location_display() {
        assert_eq!(Location::at("a.json", 3, 7).to_string(), "a.json:3:7");
        assert_eq!(
            Location::file("a.json")
                .with_pointer("/0/Config")
                .to_string(),
            "a.json at `/0/Config`"
        );
    }
}
