//! The typed facts model: what normalisation produces and what checks read.
//!
//! Every dump, whatever tool printed it, becomes one tree of [`Fact`]s per subject (an image, with its
//! history and optionally a container started from it). Each fact carries its evidence (document and JSON
//! pointer) from the moment it is created, and secret values are masked here, once (a command line's
//! masked form is worked out the first time it is shown: [`Masking`]).
//!
//! The tree has three roots, `image`, `history` and `container`; the names below them are listed, with
//! their kinds and meaning, in [`catalogue`].

pub mod catalogue;
pub mod duration;
pub mod mask;
pub mod size;

use serde::Serialize;
use std::sync::Arc;

/// Where a value was read: the document's source name and a JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// Source name of the document (file name, `-` for stdin, or the name the caller gave), shared by
    /// every fact of the document.
    pub document: Arc<str>,
    /// RFC 6901 JSON pointer into the document. For JSON-lines history it points into the array of lines
    /// (`/3/CreatedBy` is the fourth line). The facts of a history entry share one string of pointers.
    pub pointer: Str,
    /// 1-based line of the document, where the format is line oriented (JSON-lines history): [`Self::line`].
    #[serde(skip_serializing_if = "Slot::is_none")]
    line: Slot,
    /// 0-based history layer index (oldest first), for facts read from a history entry: [`Self::layer`].
    #[serde(skip_serializing_if = "Slot::is_none")]
    layer: Slot,
}

/// A line or layer number as stored in [`Evidence`] (saturating: the input limits keep it far below).
pub fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An optional number in 4 bytes, not 8: `n + 1`, or nothing. Facts are built by the million (every
/// field of every history layer carries its evidence), so their size is most of the memory a long
/// history takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Slot(Option<std::num::NonZeroU32>);

impl Slot {
    fn new(n: Option<usize>) -> Self {
        Slot(n.and_then(|n| std::num::NonZeroU32::new(small(n).saturating_add(1))))
    }

    fn get(self) -> Option<u32> {
        self.0.map(|n| n.get() - 1)
    }

    fn is_none(&self) -> bool {
        self.0.is_none()
    }
}

impl Serialize for Slot {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

impl Evidence {
    pub fn new(document: impl Into<Arc<str>>, pointer: impl Into<Str>) -> Self {
        Self {
            document: document.into(),
            pointer: pointer.into(),
            line: Slot::default(),
            layer: Slot::default(),
        }
    }

    /// Evidence with its line and layer, when it has them.
    pub fn at(document: Arc<str>, pointer: Str, line: Option<usize>, layer: Option<usize>) -> Self {
        Self {
            document,
            pointer,
            line: Slot::new(line),
            layer: Slot::new(layer),
        }
    }

    /// 1-based line of the document, where the format is line oriented (JSON-lines history).
    pub fn line(&self) -> Option<u32> {
        self.line.get()
    }

    /// 0-based history layer index (oldest first), for facts read from a history entry.
    pub fn layer(&self) -> Option<u32> {
        self.layer.get()
    }

    /// The same document with a pointer one level deeper (`token` is escaped per RFC 6901).
    pub fn child(&self, token: &str) -> Self {
        let mut pointer = String::from(&*self.pointer);
        pointer.push('/');
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
        Self {
            document: self.document.clone(),
            pointer: pointer.into(),
            line: self.line,
            layer: self.layer,
        }
    }

    pub fn with_layer(mut self, layer: usize) -> Self {
        self.layer = Slot::new(Some(layer));
        self
    }

    pub fn with_line(mut self, line: usize) -> Self {
        self.line = Slot::new(Some(line));
        self
    }
}

/// Why a fact cannot be known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum Unknown {
    /// The document that would hold the fact was not given (`image`, `history` or `container`).
    MissingDocument { needs: Root },
    /// The value was printed truncated (`docker history` without `--no-trunc`).
    Truncated,
    /// The kind of document given does not record this value at all (an OCI image config has no tags,
    /// repository digests or size): neither present nor absent.
    NotRecorded(&'static NotRecorded),
}

/// What [`Unknown::NotRecorded`] says, behind a reference so that an `Unknown` stays small (a fact
/// value holds one).
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct NotRecorded {
    pub document: &'static str,
    /// What would record it, said to the user (`give \`docker image inspect\` as well to check it`).
    #[serde(skip)]
    pub instead: &'static str,
}

/// The three roots of the facts tree, and the three kinds of evidence a check may need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Root {
    Image,
    History,
    Container,
}

impl Root {
    pub const ALL: [Root; 3] = [Root::Image, Root::History, Root::Container];

    pub fn name(self) -> &'static str {
        match self {
            Root::Image => "image",
            Root::History => "history",
            Root::Container => "container",
        }
    }

    /// What a user has to provide to get facts under this root.
    pub fn wanted_dump(self) -> &'static str {
        match self {
            Root::Image => "`docker image inspect` (or podman image inspect, or an OCI image config)",
            Root::History => {
                "`docker history --no-trunc --format '{{json .}}'` (or podman history, or an OCI image config with `history`)"
            }
            Root::Container => "`docker container inspect` (or podman container inspect)",
        }
    }

    pub fn parse(s: &str) -> Option<Root> {
        match s {
            "image" => Some(Root::Image),
            "history" => Some(Root::History),
            "container" => Some(Root::Container),
            _ => None,
        }
    }
}

/// The string of a fact: its own, or a part of a string it shares with another fact (a history line's
/// `arguments` are part of its `created_by`: held once). Reads as a `&str`.
#[derive(Clone)]
pub struct Str(StrRepr);

/// Two variants, so that a `Str` takes 24 bytes, not 32 (an `Own` sits beside the niche of `Part`'s
/// pointer): it is in every text fact and every fact's evidence. A constant is a `Part` of a string
/// shared by the thread ([`Str::constant`]).
#[derive(Clone)]
enum StrRepr {
    Own(Box<str>),
    /// `whole[start..end]`, on character boundaries: several facts sharing one text (a history line
    /// and its arguments; the pointers of a history entry's fields). An `Arc<str>`, so the bytes sit
    /// in the `Arc`'s own allocation: a check reading the text follows one pointer, not two.
    Part {
        whole: Arc<str>,
        start: u32,
        end: u32,
    },
}

impl Str {
    /// `whole[range]`, sharing `whole`. A range that is not a part of `whole` on character boundaries,
    /// or beyond 4 GiB, gives an owned copy of what can be taken (never a panic).
    pub fn part(whole: &Arc<str>, range: std::ops::Range<usize>) -> Str {
        match (
            u32::try_from(range.start),
            u32::try_from(range.end),
            whole.get(range.clone()),
        ) {
            (Ok(start), Ok(end), Some(_)) => Str(StrRepr::Part {
                whole: whole.clone(),
                start,
                end,
            }),
            _ => Str::from(whole.get(range).unwrap_or_default()),
        }
    }

    /// A constant string (an instruction keyword, once a layer): held once by each thread that makes
    /// it, and shared, not allocated again.
    pub fn constant(s: &'static str) -> Str {
        thread_local! {
            static CONSTANTS: std::cell::RefCell<Vec<(&'static str, Arc<str>)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        /// Enough for the instruction keywords; others are copied.
        const MOST: usize = 32;
        let shared = CONSTANTS
            .try_with(|constants| {
                let mut constants = constants.try_borrow_mut().ok()?;
                if let Some((_, whole)) = constants.iter().find(|(c, _)| *c == s) {
                    return Some(whole.clone());
                }
                if constants.len() >= MOST {
                    return None;
                }
                let whole: Arc<str> = Arc::from(s);
                constants.push((s, whole.clone()));
                Some(whole)
            })
            .ok()
            .flatten();
        match shared {
            Some(whole) => Str::part(&whole, 0..whole.len()),
            None => Str::from(s),
        }
    }

    /// A copy of `s` in a string of its own that clones share (an `Arc`): for a text shown in
    /// several places of a report (a result's `actual` and its evidence item's `value`).
    pub fn shared(s: &str) -> Str {
        let whole: Arc<str> = Arc::from(s);
        Str::part(&whole, 0..whole.len())
    }

    /// `part` as a part of `whole` when it is a slice of it, else a copy. A slice is told by its
    /// address alone (two live strings do not overlap otherwise); [`Str::part`] checks the bounds again.
    pub fn within(whole: &Arc<str>, part: &str) -> Str {
        let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        let end = start.wrapping_add(part.len());
        if start <= end && end <= whole.len() {
            Str::part(whole, start..end)
        } else {
            Str::from(part)
        }
    }

    /// `part`, a slice of this string, as a part of the same shared string (a copy when this string
    /// is its own, or `part` is not a slice of it).
    pub fn slice(&self, part: &str) -> Str {
        match &self.0 {
            StrRepr::Part { whole, .. } => Str::within(whole, part),
            StrRepr::Own(_) => Str::from(part),
        }
    }

    /// The shared string this is a part of, and where in it (`None` for a string of its own).
    pub fn shared_part(&self) -> Option<(&Arc<str>, std::ops::Range<usize>)> {
        match &self.0 {
            StrRepr::Own(_) => None,
            StrRepr::Part { whole, start, end } => Some((whole, *start as usize..*end as usize)),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            StrRepr::Own(s) => s,
            StrRepr::Part { whole, start, end } => whole
                .get(*start as usize..*end as usize)
                .unwrap_or_default(),
        }
    }
}

impl std::ops::Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str(StrRepr::Own(s.into()))
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        Str(StrRepr::Own(s.into_boxed_str()))
    }
}

impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Self {
        Str(StrRepr::Own(s))
    }
}

impl From<Str> for String {
    fn from(s: Str) -> Self {
        match s.0 {
            StrRepr::Own(own) => own.into_string(),
            StrRepr::Part { .. } => s.as_str().to_string(),
        }
    }
}

impl Serialize for Str {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Default for Str {
    fn default() -> Self {
        Str(StrRepr::Own(Box::default()))
    }
}

impl<'de> serde::Deserialize<'de> for Str {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Str::from)
    }
}

impl From<&Str> for Str {
    fn from(s: &Str) -> Self {
        s.clone()
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Str::from(s.as_str())
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Str {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string value as read, with how it may be shown.
#[derive(Clone)]
pub struct Text {
    /// The value exactly as the document holds it. Checks match against this; renderers never print it
    /// directly (use [`Text::shown`]).
    pub raw: Str,
    /// The whole value is a secret: shown as `***`.
    pub secret: bool,
    /// A display form with the secret parts replaced by `***` (e.g. a history line with
    /// `ENV DB_PASSWORD=***`), when only part of the value is secret: [`Text::masked`].
    pub masking: Masking,
    /// The value was printed truncated (ends in `…`): what is missing may hide anything.
    pub truncated: bool,
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Text")
            .field("raw", &self.raw)
            .field("secret", &self.secret)
            .field("masked", &self.masked())
            .field("truncated", &self.truncated)
            .finish()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.raw == other.raw
            && self.secret == other.secret
            && self.truncated == other.truncated
            && self.masked() == other.masked()
    }
}

impl Eq for Text {}

/// How the masked form of a [`Text`] is had: given when the text is made, or worked out from the raw
/// text the first time it is shown. A history line is masked once, when read (its `secrets` fact says
/// whether anything was masked: about 0.2 µs a line); an instruction's arguments and other command
/// lines are masked only when shown. Boxed, and absent when there is nothing to mask, so that a text
/// (and every fact) stays small.
#[derive(Clone, Default)]
pub struct Masking(Option<Box<Deferred>>);

#[derive(Clone)]
struct Deferred {
    form: std::sync::OnceLock<Option<Box<str>>>,
    rule: MaskRule,
}

#[derive(Clone)]
enum MaskRule {
    /// The form was given.
    Given,
    /// [`mask::command_masked`] of the raw text.
    Command,
    /// The arguments of an instruction of the command line `line`: masked, in the context of the
    /// instruction's keyword, when the whole line is ([`mask::arguments_masked`]).
    Arguments { line: Str, instruction: Str },
}

impl Masking {
    /// This masked form (`None`: nothing to mask).
    pub fn given(form: Option<String>) -> Self {
        Self(form.map(|f| {
            Box::new(Deferred {
                form: std::sync::OnceLock::from(Some(f.into_boxed_str())),
                rule: MaskRule::Given,
            })
        }))
    }

    /// A command line's: secret assignments, URL credentials and secret options masked.
    pub fn command() -> Self {
        Self::deferred(MaskRule::Command)
    }

    /// An instruction's arguments, part of the command line `line`: masked as the line is.
    pub fn arguments(line: Str, instruction: Str) -> Self {
        Self::deferred(MaskRule::Arguments { line, instruction })
    }

    fn deferred(rule: MaskRule) -> Self {
        Self(Some(Box::new(Deferred {
            form: std::sync::OnceLock::new(),
            rule,
        })))
    }

    /// The masked form of `raw`, which this masking belongs to.
    fn of(&self, raw: &str) -> Option<&str> {
        let deferred = self.0.as_deref()?;
        deferred
            .form
            .get_or_init(|| {
                match &deferred.rule {
                    MaskRule::Given => None,
                    MaskRule::Command => mask::command_masked(raw),
                    MaskRule::Arguments { line, instruction } => mask::command_masked(line)
                        .and_then(|_| mask::arguments_masked(instruction, raw)),
                }
                .map(String::into_boxed_str)
            })
            .as_deref()
    }
}

/// How a secret is displayed in every output.
pub const MASK: &str = "***";

impl Text {
    pub fn plain(raw: impl Into<Str>) -> Self {
        Self {
            raw: raw.into(),
            secret: false,
            masking: Masking::default(),
            truncated: false,
        }
    }

    /// The display form with the secret parts masked, when only part of the value is secret.
    pub fn masked(&self) -> Option<&str> {
        self.masking.of(&self.raw)
    }

    /// The form every renderer prints.
    pub fn shown(&self) -> &str {
        if self.secret {
            MASK
        } else if let Some(masked) = self.masked() {
            masked
        } else {
            &self.raw
        }
    }
}

/// A key of a map fact: a name of the catalogue (`created_by`, no allocation) or one read from the
/// document (an env name, a label).
pub type Key = std::borrow::Cow<'static, str>;

/// One value of the facts tree.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    /// Cannot be known: its document was not given, or the value was truncated.
    Unknown(Unknown),
    /// The document was given but holds no value here (key missing, or `null`).
    Absent,
    Bool(bool),
    Int(i64),
    Text(Text),
    /// Nanoseconds.
    Duration(u64),
    /// Bytes.
    Size(u64),
    List(Vec<Fact>),
    /// Ordered map (document order); keys are unique.
    Map(Vec<(Key, Fact)>),
}

/// A value with the evidence of where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub value: FactValue,
    pub evidence: Option<Evidence>,
}

impl Fact {
    pub fn new(value: FactValue, evidence: Evidence) -> Self {
        Self {
            value,
            evidence: Some(evidence),
        }
    }

    /// A value derived by clearance itself (a default applied, a merged list), with no single source.
    pub fn derived(value: FactValue) -> Self {
        Self {
            value,
            evidence: None,
        }
    }

    pub fn absent(evidence: Evidence) -> Self {
        Self::new(FactValue::Absent, evidence)
    }

    pub fn missing(needs: Root) -> Self {
        Self::derived(FactValue::Unknown(Unknown::MissingDocument { needs }))
    }

    pub fn text(raw: impl Into<Str>, evidence: Evidence) -> Self {
        Self::new(FactValue::Text(Text::plain(raw)), evidence)
    }

    pub fn map(entries: Vec<(Key, Fact)>, evidence: Option<Evidence>) -> Self {
        Self {
            value: FactValue::Map(entries),
            evidence,
        }
    }

    /// A named child of a map fact; `None` when this is not a map or has no such key.
    pub fn get(&self, key: &str) -> Option<&Fact> {
        match &self.value {
            FactValue::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.value, FactValue::Unknown(_))
    }

    pub fn as_text(&self) -> Option<&Text> {
        match &self.value {
            FactValue::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Fact]> {
        match &self.value {
            FactValue::List(items) => Some(items),
            _ => None,
        }
    }

    /// A short, masked, human form of the value for reports (`30s`, `8000/tcp, 9000/udp`, `***`).
    pub fn display(&self) -> String {
        self.value.display()
    }
}

impl FactValue {
    pub fn kind_name(&self) -> &'static str {
        match self {
            FactValue::Unknown(_) => "unknown",
            FactValue::Absent => "absent",
            FactValue::Bool(_) => "boolean",
            FactValue::Int(_) => "integer",
            FactValue::Text(_) => "string",
            FactValue::Duration(_) => "duration",
            FactValue::Size(_) => "size",
            FactValue::List(_) => "list",
            FactValue::Map(_) => "map",
        }
    }

    /// A short, masked, human form of the value.
    pub fn display(&self) -> String {
        // sized for the usual displays (`unknown (no history document given)`, a short text), so
        // they are built without growing
        let mut out = String::with_capacity(match self {
            FactValue::Text(t) => t.shown().len() + 3,
            _ => 40,
        });
        self.display_into(&mut out);
        out
    }

    /// Appends [`FactValue::display`] to `out`.
    pub fn display_into(&self, out: &mut String) {
        use std::fmt::Write as _;
        // Writing to a `String` cannot fail.
        let _ = match self {
            FactValue::Unknown(Unknown::MissingDocument { needs }) => {
                // pushed, not `write!`: every requirement on a document not given shows it
                out.push_str("unknown (no ");
                out.push_str(needs.name());
                out.push_str(" document given)");
                Ok(())
            }
            FactValue::Unknown(Unknown::Truncated) => out.write_str("unknown (truncated)"),
            FactValue::Unknown(Unknown::NotRecorded(NotRecorded { document, .. })) => {
                write!(out, "unknown (not recorded in {document})")
            }
            FactValue::Absent => out.write_str("absent"),
            FactValue::Bool(b) => write!(out, "{b}"),
            FactValue::Int(i) => write!(out, "{i}"),
            FactValue::Text(t) => {
                let shown = t.shown();
                out.push_str(shown);
                if t.truncated && !t.secret && !shown.ends_with('…') {
                    out.push('…');
                }
                Ok(())
            }
            FactValue::Duration(ns) => {
                duration::format_into(*ns, out);
                Ok(())
            }
            FactValue::Size(bytes) => out.write_str(&size::format(*bytes)),
            FactValue::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.value.display_into(out);
                }
                out.write_str("]")
            }
            FactValue::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push('=');
                    v.value.display_into(out);
                }
                out.write_str("}")
            }
        };
    }
}

/// Everything known about one subject of evaluation: an image, its history, and optionally a container.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// How the report names the subject: the first tag, else the container name, else the short id.
    pub label: String,
    /// Image id (`sha256:…`) when known.
    pub image_id: Option<String>,
    /// Repo digests when known (`name@sha256:…`).
    pub digests: Vec<String>,
    /// Tags when known (`name:tag`).
    pub tags: Vec<String>,
    /// The facts tree: a map with the keys `image`, `history` and `container`.
    pub facts: Fact,
    /// Source names of the documents this subject was built from, in input order.
    pub documents: Vec<String>,
    /// Notes for the reviewer about the inputs (e.g. "history was printed without --no-trunc").
    pub notes: Vec<String>,
    /// The raw JSON entries the image and container facts were read from, for checks that address a raw
    /// JSON pointer (the escape hatch). Pointers are relative to the entry (`/Config/User`).
    pub raw: Vec<RawEntry>,
    /// A document joined to this subject says it is of another image (a container created from another
    /// image, a history whose newest id is another image's): the subject is checked anyway, with a
    /// note, but cannot pass — its verdict is at best `incomplete`.
    pub mismatched: bool,
}

/// One raw JSON entry (an image or a container object) kept for pointer checks.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEntry {
    pub root: Root,
    /// Where the entry sits in its document (`/0` for the first image of an inspect array).
    pub evidence: Evidence,
    pub value: crate::input::Json,
}

impl Subject {
    pub fn root(&self, root: Root) -> Option<&Fact> {
        self.facts.get(root.name())
    }

    /// Was a document given for this root?
    pub fn has(&self, root: Root) -> bool {
        self.root(root).is_some_and(|f| !f.is_unknown())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sizes the memory of a long history depends on (a layer is a record of 12 facts, each with
    /// its evidence): a change that grows them shows here, not only in the benchmarks.
    #[test]
    fn facts_keep_their_size() {
        assert_eq!(std::mem::size_of::<Str>(), 24);
        assert_eq!(std::mem::size_of::<Evidence>(), 48);
        assert_eq!(std::mem::size_of::<FactValue>(), 40);
        assert_eq!(std::mem::size_of::<Fact>(), 88);
    }

    #[test]
    fn evidence_keeps_line_and_layer() {
        let e = Evidence::at("d".into(), Str::from("/0"), Some(1), Some(0));
        assert_eq!((e.line(), e.layer()), (Some(1), Some(0)));
        let e = Evidence::new("d", "/0");
        assert_eq!((e.line(), e.layer()), (None, None));
        let e = e.with_line(0).with_layer(usize::MAX);
        assert_eq!((e.line(), e.layer()), (Some(0), Some(u32::MAX - 1)));
        let json = serde_json::to_string(&Evidence::at(
            "d".into(),
            Str::from("/3/Size"),
            Some(4),
            Some(2),
        ))
        .unwrap();
        assert_eq!(
            json,
            r#"{"document":"d","pointer":"/3/Size","line":4,"layer":2}"#
        );
        let json = serde_json::to_string(&Evidence::new("d", "/0")).unwrap();
        assert_eq!(json, r#"{"document":"d","pointer":"/0"}"#);
    }

    #[test]
    fn constants_read_as_written_and_share_their_text() {
        let a = Str::constant("RUN");
        let b = Str::constant("RUN");
        assert_eq!((a.as_str(), b.as_str()), ("RUN", "RUN"));
        let (StrRepr::Part { whole: x, .. }, StrRepr::Part { whole: y, .. }) = (&a.0, &b.0) else {
            panic!("a constant is shared");
        };
        assert!(Arc::ptr_eq(x, y));
        assert_eq!(Str::constant("COPY"), "COPY");
        assert_eq!(String::from(Str::constant("ENV")), "ENV");
    }
}
