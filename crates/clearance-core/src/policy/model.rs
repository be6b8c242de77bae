//! A compiled policy: what parsing produces and evaluation reads. Every regex, glob, duration and size
//! is already compiled here, so evaluation cannot fail on policy syntax.

use crate::diagnostic::Location;
use crate::facts::Root;
use serde::{Deserialize, Serialize};

/// How much a failure matters. `error` blocks promotion; `warning` and `info` do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.name() == s)
    }

    pub fn blocks(self) -> bool {
        self == Severity::Error
    }
}

/// A clause of the source contract that inspect/history output cannot show, and what is checked instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct OutOfScope {
    pub clause: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
}

/// A loaded, validated policy with its includes resolved.
#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub title: String,
    pub version: Option<String>,
    pub description: Option<String>,
    /// The document the policy encodes (`seeds/000_….txt`, a URL, …).
    pub source: Option<String>,
    pub out_of_scope: Vec<OutOfScope>,
    /// Names of the policies it includes (transitively), in order.
    pub includes: Vec<String>,
    /// Requirements in evaluation order: included ones first (minus disabled/overridden), then its own.
    pub requirements: Vec<Requirement>,
}

/// One requirement: a named property that must hold.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// Stable id, e.g. `NET-001`.
    pub id: String,
    /// The property that must hold, e.g. "Runs as non-root UID 1001".
    pub title: String,
    pub section: String,
    pub severity: Severity,
    /// What it checks and why it matters (with the contract clause quoted where there is one).
    pub description: String,
    /// How to fix a failure.
    pub remediation: String,
    /// The contract clause it encodes (file and section), when there is one.
    pub clause: Option<String>,
    /// An example of a failing dump fragment, for `explain`.
    pub example: Option<String>,
    /// The policy that defined it (after includes, the included pack's name).
    pub policy: String,
    /// The requirement is not applicable unless this holds.
    pub when: Option<Check>,
    pub check: Check,
    /// Where it is defined.
    pub location: Location,
    /// Its result's texts (id, title, expected, …), built at its first evaluation and shared by every
    /// result since; a requirement is not to be changed once it has been evaluated.
    pub template: Template,
}

/// A requirement's result texts, built once (see [`Requirement::template`]); `Template::default()` when
/// building a requirement by hand.
#[derive(Debug, Clone, Default)]
pub struct Template(pub(crate) std::sync::OnceLock<crate::report::RequirementResult>);

/// A compiled check. Evaluation is three-valued: pass, fail, or unknown (its evidence is missing).
#[derive(Debug, Clone)]
pub enum Check {
    AllOf(Vec<Check>),
    AnyOf(Vec<Check>),
    Not(Box<Check>),
    /// Holds when a document for this root was given (`when: {document: container}`).
    Document(Root),
    Fact(FactCheck),
}

/// Operators applied to one addressed value; all of them must hold.
#[derive(Debug, Clone)]
pub struct FactCheck {
    pub target: Target,
    pub ops: Vec<Op>,
}

/// What a fact check addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A catalogue path from the subject's root, split on `.` (`["image", "healthcheck", "interval"]`).
    Path(Vec<String>),
    /// Inside `any`/`all`/`none`/`count`/`order`: the current element itself (strings in a list).
    Element,
    /// Inside `any`/`all`/…: a field of the current element (`created_by`; `name`/`value` for maps).
    Field(String),
    /// The escape hatch: an RFC 6901 pointer into the raw image or container entry.
    Pointer { root: Root, pointer: String },
}

impl Requirement {
    /// The patterns of its check and of its `when` condition.
    pub fn patterns(&self) -> Vec<&Pattern> {
        let mut out = self.when.as_ref().map(Check::patterns).unwrap_or_default();
        out.extend(self.check.patterns());
        out
    }
}

impl Check {
    /// Adds to `roots` the roots whose raw entries a `pointer:` target in this check reads.
    pub fn pointer_roots(&self, roots: &mut Vec<Root>) {
        self.each_fact_check(&mut |fc| {
            if let Target::Pointer { root, .. } = &fc.target {
                if !roots.contains(root) {
                    roots.push(*root);
                }
            }
        });
    }

    /// The patterns of its `matches` and `not_matches` operators, nested checks included.
    pub fn patterns(&self) -> Vec<&Pattern> {
        let mut out = Vec::new();
        self.each_fact_check(&mut |fc| {
            for op in &fc.ops {
                if let Op::Matches(p) | Op::NotMatches(p) = op {
                    out.push(p);
                }
            }
        });
        out
    }

    /// Calls `f` with every fact check in it, those nested in element operators included.
    fn each_fact_check<'c>(&'c self, f: &mut dyn FnMut(&'c FactCheck)) {
        match self {
            Check::AllOf(checks) | Check::AnyOf(checks) => {
                for c in checks {
                    c.each_fact_check(f);
                }
            }
            Check::Not(c) => c.each_fact_check(f),
            Check::Document(_) => {}
            Check::Fact(fc) => {
                f(fc);
                for op in &fc.ops {
                    match op {
                        Op::Any(c) | Op::All(c) | Op::None(c) => c.each_fact_check(f),
                        Op::Count { check: Some(c), .. } => c.each_fact_check(f),
                        Op::Order { first, then } => {
                            first.each_fact_check(f);
                            then.each_fact_check(f);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

impl Target {
    /// As written in the policy (`image.healthcheck.interval`, `created_by`, `image:/Config/User`).
    pub fn display(&self) -> String {
        match self {
            Target::Path(segments) => segments.join("."),
            Target::Element => "(element)".to_string(),
            Target::Field(name) => name.clone(),
            Target::Pointer { root, pointer } => format!("{}:{pointer}", root.name()),
        }
    }
}

/// A literal in a policy, already read by the kind of the fact it is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Text(String),
    /// Nanoseconds.
    Duration(u64),
    /// Bytes.
    Size(u64),
}

/// A compiled regular expression with its source, for messages.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    /// Shared, so a cloned policy (built-in packs are compiled once and cloned per call) keeps the
    /// regex's cache pool: a cloned `Regex` starts with an empty one and rebuilds its lazy DFA.
    pub regex: std::sync::Arc<Regex>,
}

/// A pattern's regex: compiled when the policy is loaded, or, for the built-in packs, the first time a
/// check runs it. Compiling is most of loading a pack (image-baseline's 40-odd regexes are 41 M of a
/// one-shot `clearance check`'s 78 M instructions), and a check runs only some of them: a regex behind
/// an `all_of` that an earlier check decides, or on a document not given, is never compiled. The packs
/// are constants that the tests compile eagerly (`builtin_regexes_compile`), so a deferred compile
/// cannot fail; if it did, the check would be an evaluation error, never a pass.
///
/// With the regex, the text every match starts with, when the pattern has one ([`required`]): a text
/// without it cannot match, and `memchr`'s search for it costs a fraction of running the regex on a
/// short text (most history lines match none of a pack's patterns). It is worked out once the regex
/// has run [`Compiled::PRESCREEN_AFTER`] times: parsing the pattern again costs about 50 K
/// instructions, more than a check of one image with a short history saves.
#[derive(Debug)]
pub struct Regex {
    compiled: std::sync::OnceLock<Result<Compiled, String>>,
    size_limit: usize,
}

#[derive(Debug)]
struct Compiled {
    regex: regex::Regex,
    /// Searches run so far (counted until the required text is worked out).
    uses: std::sync::atomic::AtomicU32,
    required: std::sync::OnceLock<Option<memchr::memmem::Finder<'static>>>,
}

impl Compiled {
    /// Searches after which the required text is worked out.
    const PRESCREEN_AFTER: u32 = 64;

    fn new(regex: regex::Regex) -> Self {
        Self {
            regex,
            uses: std::sync::atomic::AtomicU32::new(0),
            required: std::sync::OnceLock::new(),
        }
    }

    /// The text every match starts with, once the regex has run often enough to be worth it.
    fn required(&self) -> Option<&memchr::memmem::Finder<'static>> {
        if let Some(required) = self.required.get() {
            return required.as_ref();
        }
        let uses = self.uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if uses < Self::PRESCREEN_AFTER {
            return None;
        }
        self.required
            .get_or_init(|| required(self.regex.as_str()))
            .as_ref()
    }
}

/// The text every match of `source` starts with, when it has at least 3 bytes (`\bsudo\b`: `sudo`;
/// `\bapt(-get)?\s+…`: `apt`): [`leading_literal`] of its syntax tree, as regex-syntax parses it.
/// `None` when the pattern has no such start or does not parse.
fn required(source: &str) -> Option<memchr::memmem::Finder<'static>> {
    let ast = regex_syntax::ast::parse::ParserBuilder::new()
        .nest_limit(super::check::REGEX_NEST_LIMIT)
        .build()
        .parse(source)
        .ok()?;
    let start = leading_literal(&ast);
    (start.len() >= 3).then(|| memchr::memmem::Finder::new(start.as_bytes()).into_owned())
}

/// Literal characters every match of `ast` starts with: its first literals, after zero-width
/// assertions (`^`, `\b`); of an alternation, the common start of its branches. Conservative: it stops
/// at the first thing that is not a literal (a class, a repetition, a group after literals), and a
/// flag (`(?i)`, `(?i:…)`) gives nothing, so a case-insensitive literal is never taken as written.
fn leading_literal(ast: &regex_syntax::ast::Ast) -> String {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Literal(l) => l.c.to_string(),
        Ast::Concat(concat) => {
            let mut out = String::new();
            for item in &concat.asts {
                match item {
                    Ast::Assertion(_) if out.is_empty() => {}
                    Ast::Literal(l) => out.push(l.c),
                    Ast::Group(_) | Ast::Alternation(_) if out.is_empty() => {
                        return leading_literal(item)
                    }
                    _ => break,
                }
            }
            out
        }
        Ast::Group(group) => match &group.kind {
            GroupKind::NonCapturing(flags) if !flags.items.is_empty() => String::new(),
            _ => leading_literal(&group.ast),
        },
        Ast::Alternation(alternation) => {
            let mut branches = alternation.asts.iter().map(leading_literal);
            let first = branches.next().unwrap_or_default();
            branches.fold(first, |common, branch| {
                common
                    .chars()
                    .zip(branch.chars())
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| a)
                    .collect()
            })
        }
        _ => String::new(),
    }
}

impl Regex {
    /// A regex compiled already.
    pub fn compiled(regex: regex::Regex) -> Self {
        Self {
            compiled: std::sync::OnceLock::from(Ok(Compiled::new(regex))),
            size_limit: 0,
        }
    }

    /// A regex compiled from its source at its first use, within `size_limit` bytes.
    pub(crate) fn deferred(size_limit: usize) -> Self {
        Self {
            compiled: std::sync::OnceLock::new(),
            size_limit,
        }
    }

    /// Does the regex of `source` match somewhere in `text` (as [`regex::Regex::is_match`])?
    pub fn is_match(&self, source: &str, text: &str) -> Result<bool, &str> {
        let compiled = self.compile(source)?;
        if let Some(required) = compiled.required() {
            if required.find(text.as_bytes()).is_none() {
                return Ok(false);
            }
        }
        Ok(compiled.regex.is_match(text))
    }

    fn compile(&self, source: &str) -> Result<&Compiled, &str> {
        self.compiled
            .get_or_init(|| {
                regex::RegexBuilder::new(source)
                    .size_limit(self.size_limit)
                    .nest_limit(super::check::REGEX_NEST_LIMIT)
                    .build()
                    .map(Compiled::new)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// A string matcher for list elements and map keys: a literal, or a glob when it has glob characters.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub source: String,
    /// Shared for the same reason as [`Pattern::regex`].
    pub glob: Option<std::sync::Arc<globset::GlobMatcher>>,
}

impl Matcher {
    pub fn is_match(&self, text: &str) -> bool {
        match &self.glob {
            Some(glob) => glob.is_match(text),
            None => self.source == text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Gt,
    Gte,
    Lt,
    Lte,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Gt => ">",
            Comparison::Gte => "≥",
            Comparison::Lt => "<",
            Comparison::Lte => "≤",
        }
    }
}

/// One operator of a fact check.
#[derive(Debug, Clone)]
pub enum Op {
    Equals(Literal),
    OneOf(Vec<Literal>),
    Matches(Pattern),
    NotMatches(Pattern),
    Glob(Matcher),
    /// `exists: true` / `absent: true` (as `Exists(false)`).
    Exists(bool),
    /// `empty: true` holds for an absent value, `""`, `[]` and `{}`.
    Empty(bool),
    /// The list has an element equal to it / the map has the key / the string contains it.
    Contains(Literal),
    ContainsAll(Vec<Matcher>),
    ContainsAny(Vec<Matcher>),
    /// No element (list) or key (map) matches any of these.
    Excludes(Vec<Matcher>),
    Compare(Comparison, Literal),
    Any(Box<Check>),
    All(Box<Check>),
    None(Box<Check>),
    /// The number of elements (matching `check`, when given) is within the bounds.
    Count {
        check: Option<Box<Check>>,
        min: Option<u64>,
        max: Option<u64>,
    },
    /// Some element matches `first`, some element matches `then`, and the first element matching `first`
    /// comes before every element matching `then`.
    Order {
        first: Box<Check>,
        then: Box<Check>,
    },
}

/// A calendar date, `YYYY-MM-DD` (waiver expiry and "today").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists in that month.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        let (year, month, day): (u16, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An accepted exception to a requirement.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// Requirement id it waives.
    pub id: String,
    /// Images it applies to: a glob over tags, digests and the image id; all images when `None`.
    pub image: Option<Matcher>,
    pub reason: String,
    pub approver: Option<String>,
    /// Last day it applies (inclusive); no expiry when `None`.
    pub expires: Option<Date>,
    pub location: Location,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse("2026-02-28"),
            Some(Date {
                year: 2026,
                month: 2,
                day: 28
            })
        );
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()),
            Some("2024-02-29".into())
        );
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("26-01-01"), None);
        assert_eq!(Date::parse("2026-1-01"), None);
        assert_eq!(Date::parse("2026-01-01T00"), None);
    }

    fn start(source: &str) -> String {
        let ast = regex_syntax::ast::parse::Parser::new()
            .parse(source)
            .unwrap();
        leading_literal(&ast)
    }

    #[test]
    fn the_required_start_is_what_every_match_starts_with() {
        for (source, want) in [
            (r"\bsudo\b", "sudo"),
            (r"\bapt(-get)?\s+(-\S+\s+)*install\b", "apt"),
            (r"\b(apt-get|apt|apk)\s", "ap"),
            (r"(apt-get|apt-cache) ", "apt-"),
            (r"\bpip3?\s+install", "pip"),
            (r"^/run/secrets/", "/run/secrets/"),
            (r"\.tar", ".tar"),
            (r"abc(?i)def", "abc"),
            (r"abc\bdef", "abc"),
            (r"é:x", "é:x"),
            // nothing to take as written
            (r"(?i)\bcurl\b", ""),
            (r"(?i:abc)def", ""),
            (r"a|b", ""),
            (r"x*abc", ""),
            (r"[ab]cd", ""),
            (r"\scurl", ""),
            (r".abc", ""),
        ] {
            assert_eq!(start(source), want, "{source}");
        }
    }

    /// Every built-in pattern's required start is in every line it matches, and a regex answers the
    /// same before and after its start is worked out.
    #[test]
    fn a_required_start_never_hides_a_match() {
        use crate::builtin::{BuiltinResolver, PACKS};
        let lines = [
            "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* # buildkit",
            "RUN /bin/sh -c apt-get update # buildkit",
            "RUN /bin/sh -c apk add --no-cache curl # buildkit",
            "/bin/sh -c #(nop)  ENV JWT_SECRET_KEY=abc",
            "RUN /bin/sh -c curl -fsSL https://example.com/install.sh | sh # buildkit",
            "RUN /bin/sh -c wget -qO- https://x/y | sudo bash # buildkit",
            "COPY . /app # buildkit",
            "/bin/sh -c #(nop) ADD file:0123abcd in / ",
            "ADD https://example.com/a.tar.gz /tmp/ # buildkit",
            "RUN |1 PIP=1 /bin/sh -c pip install --no-cache-dir -r requirements.txt # buildkit",
            "RUN /bin/sh -c npm ci && npm cache clean --force # buildkit",
            "RUN /bin/sh -c chmod 4755 /usr/bin/tool && chmod 777 /tmp/x # buildkit",
            "RUN /bin/sh -c apt-get install -y openssh-server sudo # buildkit",
            "/run/secrets/db_password",
            "example/app:latest",
            "COPY id_rsa /root/.ssh/id_rsa # buildkit",
            "",
            "Ünïcödé TOKEN=x …",
        ];
        let mut started = 0;
        for pack in PACKS {
            let policy = crate::policy::load(pack.file, pack.text, &BuiltinResolver).unwrap();
            for r in &policy.requirements {
                for p in r.patterns() {
                    // the answer of the pattern alone, compiled here
                    let regex = regex::Regex::new(&p.source).unwrap();
                    let found = required(&p.source);
                    started += usize::from(found.is_some());
                    for line in lines {
                        let want = regex.is_match(line);
                        if let (true, Some(f)) = (want, &found) {
                            assert!(
                                f.find(line.as_bytes()).is_some(),
                                "{} on {line:?}",
                                p.source
                            );
                        }
                        // past the count after which the start is used
                        for _ in 0..=Compiled::PRESCREEN_AFTER {
                            assert_eq!(p.regex.is_match(&p.source, line), Ok(want));
                        }
                    }
                }
            }
        }
        assert!(
            started > 10,
            "only {started} patterns have a required start"
        );
    }
}
