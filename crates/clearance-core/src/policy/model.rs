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

/// A requirement's result texts, built once (see [`Requirement::template`]), and the roots of the facts
/// it reads (found once: evaluation reuses the results of a requirement that reads only documents a
/// subject lacks); `Template::default()` when building a requirement by hand.
#[derive(Debug, Clone, Default)]
pub struct Template(
    pub(crate) std::sync::OnceLock<crate::report::RequirementResult>,
    pub(crate) std::sync::OnceLock<Option<u8>>,
);

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
    /// How messages name the target (`` `image.user` ``), built at its first message and kept: a
    /// pack's checks run once per subject, and an inspect array has hundreds of subjects.
    pub(crate) called: std::sync::OnceLock<String>,
    /// Where the field a `Target::Field` check reads was found in the last element record: the
    /// records of one list have their fields in one order, so the next element's field is read there
    /// first (checked by name, so a stale place costs a scan, never a wrong field).
    pub(crate) field_at: FieldAt,
    /// What messages call the target's elements and keys, found in the catalogue at the first element
    /// operator and kept (the catalogue is searched by path: a hundred entries a lookup).
    pub(crate) nouns: std::sync::OnceLock<Nouns>,
}

/// [`FactCheck::nouns`]: singular and plural, for the elements of a list or map target (`layer`,
/// `entry`, `element`) and for its keys (`key`, `element`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Nouns {
    pub element: (&'static str, &'static str),
    pub key: (&'static str, &'static str),
}

impl FactCheck {
    pub fn new(target: Target, ops: Vec<Op>) -> Self {
        Self {
            target,
            ops,
            called: std::sync::OnceLock::new(),
            field_at: FieldAt::default(),
            nouns: std::sync::OnceLock::new(),
        }
    }
}

/// [`FactCheck::field_at`]: an index, and the address of the name found there when that name is a
/// constant (as the names of the records built from dumps are: a constant's address is never reused,
/// so the same address and length is the same name, without comparing bytes). Kept across
/// evaluations and threads (relaxed: each is only a first guess).
#[derive(Debug, Default)]
pub(crate) struct FieldAt(std::sync::atomic::AtomicU32, std::sync::atomic::AtomicUsize);

impl FieldAt {
    /// The index and the constant name's address found last (0 when it was not a constant).
    pub(crate) fn get(&self) -> (usize, usize) {
        (
            self.0.load(std::sync::atomic::Ordering::Relaxed) as usize,
            self.1.load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    pub(crate) fn set(&self, at: usize, constant: usize) {
        if let Ok(at) = u32::try_from(at) {
            self.0.store(at, std::sync::atomic::Ordering::Relaxed);
            self.1.store(constant, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl Clone for FieldAt {
    fn clone(&self) -> Self {
        let (at, constant) = self.get();
        Self(
            std::sync::atomic::AtomicU32::new(u32::try_from(at).unwrap_or_default()),
            std::sync::atomic::AtomicUsize::new(constant),
        )
    }
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
    /// Its `when` condition (if any), then its check.
    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        self.when.iter().chain(std::iter::once(&self.check))
    }

    /// The patterns of its check and of its `when` condition.
    pub fn patterns(&self) -> Vec<&Pattern> {
        self.checks().flat_map(Check::patterns).collect()
    }

    /// Adds to `roots` the roots whose raw entries a `pointer:` target of its check or its `when`
    /// condition reads.
    pub fn pointer_roots(&self, roots: &mut Vec<Root>) {
        self.checks().for_each(|c| c.pointer_roots(roots));
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
    pub fn each_fact_check<'c>(&'c self, f: &mut dyn FnMut(&'c FactCheck)) {
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
/// With the regex, the texts one of which every match contains, when the pattern has them
/// ([`Prescreen`]): a text with none of them cannot match, and `memchr` or a literal regex looking for
/// them costs a fraction of running the regex on a short text (most history lines match none of a
/// pack's patterns). They are worked out once the regex has run [`Compiled::PRESCREEN_AFTER`] times:
/// parsing the pattern again costs about 50 K instructions, more than a check of one image with a
/// short history saves. A prescreen that needs a regex of its own (several texts, or any case) costs
/// about 150 K more to compile and is built only after [`Compiled::SET_PRESCREEN_AFTER`] searches: it
/// saves about 100 instructions a search, so a one-shot check of a 1,250-line history would pay more
/// than it saves.
#[derive(Debug)]
pub struct Regex {
    compiled: std::sync::OnceLock<Result<Compiled, String>>,
    size_limit: usize,
}

#[derive(Debug)]
struct Compiled {
    regex: regex::Regex,
    /// Searches run so far (counted until the prescreen is worked out).
    uses: std::sync::atomic::AtomicU32,
    prescreen: std::sync::OnceLock<Option<Prescreen>>,
}

impl Compiled {
    /// Searches after which the prescreen is worked out (and built, when it is one text).
    const PRESCREEN_AFTER: u32 = 64;
    /// Searches after which a prescreen of several texts, or of texts in any case, is built.
    const SET_PRESCREEN_AFTER: u32 = 2048;

    fn new(regex: regex::Regex) -> Self {
        Self {
            regex,
            uses: std::sync::atomic::AtomicU32::new(0),
            prescreen: std::sync::OnceLock::new(),
        }
    }

    /// The prescreen, once the regex has run often enough to be worth it.
    fn prescreen(&self) -> Option<&Prescreen> {
        self.prescreen_for(1)
    }

    /// The prescreen for `searches` more searches (counted as that many uses).
    fn prescreen_for(&self, searches: u32) -> Option<&Prescreen> {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(prescreen) = self.prescreen.get() {
            return prescreen.as_ref();
        }
        let before = self.uses.fetch_add(searches, Relaxed);
        // the count the last of these searches sees
        let uses = before.saturating_add(searches.saturating_sub(1));
        if uses < Self::PRESCREEN_AFTER {
            return None;
        }
        if uses < Self::SET_PRESCREEN_AFTER {
            if before <= Self::PRESCREEN_AFTER {
                // settled now unless it needs a regex of its own (one caller's searches cross 64)
                match Prescreen::texts(self.regex.as_str()) {
                    None => {
                        let _ = self.prescreen.set(None);
                    }
                    Some((texts, false)) if texts.len() == 1 => {
                        let _ = self.prescreen.set(Prescreen::build(&texts, false));
                    }
                    Some(_) => {}
                }
            }
            return self.prescreen.get().and_then(Option::as_ref);
        }
        self.prescreen
            .get_or_init(|| Prescreen::new(self.regex.as_str()))
            .as_ref()
    }
}

/// Texts one of which every match of a pattern contains (`\bsudo\b`: `sudo`;
/// `(?i)\b(curl|wget)\b…|…\$\((curl|wget)\b`: `curl` or `wget`, in any case), each at least
/// [`Prescreen::SHORTEST`] bytes long, read off regex-syntax's parse of the pattern ([`needles`]).
/// Worth it when the pattern's own literal prefilter cannot run: `(?i)\b…`, `[a-z0-9_]*(secret|…)`, or
/// a pattern that can start with something as common as `sh`.
#[derive(Debug)]
struct Prescreen {
    search: Search,
    /// The texts are compared ignoring ASCII case (the pattern has an `i` flag). A text that is not
    /// ASCII is then never screened out: under Unicode rules `ſ` matches `s` and `K` (Kelvin) `k`.
    ascii_case: bool,
}

#[derive(Debug)]
enum Search {
    /// One text, case as written: `memchr`'s substring search.
    One(Box<memchr::memmem::Finder<'static>>),
    /// Several texts, or texts in any ASCII case: their alternation as a regex, which the `regex` crate
    /// runs as a literal search (Teddy where the CPU has it). On these short texts it is several times
    /// faster than `aho-corasick`'s own `is_match`.
    Any(regex::Regex),
}

impl Prescreen {
    /// Texts shorter than this screen out too little to be worth a search.
    const SHORTEST: usize = 3;
    /// Past this many texts the search costs about what the regex does.
    const MOST: usize = 32;

    /// The prescreen of `source`; `None` when the pattern has no usable texts or does not parse.
    fn new(source: &str) -> Option<Prescreen> {
        let (texts, ascii_case) = Self::texts(source)?;
        Self::build(&texts, ascii_case)
    }

    /// The texts of `source`'s prescreen and whether they ignore ASCII case, when it has usable ones.
    fn texts(source: &str) -> Option<(Vec<String>, bool)> {
        let ast = regex_syntax::ast::parse::ParserBuilder::new()
            .nest_limit(super::check::REGEX_NEST_LIMIT)
            .build()
            .parse(source)
            .ok()?;
        let flags = flags(&ast)?;
        let texts = needles(&ast, flags.ascii_case)?;
        if texts.len() > Self::MOST || texts.iter().any(|t| t.len() < Self::SHORTEST) {
            return None;
        }
        Some((texts, flags.ascii_case))
    }

    fn build(texts: &[String], ascii_case: bool) -> Option<Prescreen> {
        let search = match texts {
            [one] if !ascii_case => Search::One(Box::new(
                memchr::memmem::Finder::new(one.as_bytes()).into_owned(),
            )),
            _ => {
                let alternation: Vec<String> =
                    texts.iter().map(|t| regex_syntax::escape(t)).collect();
                // ASCII case only (`-u`): the texts are ASCII, and a text that is not is let through
                let flags = if ascii_case { "(?i-u)" } else { "" };
                Search::Any(regex::Regex::new(&format!("{flags}{}", alternation.join("|"))).ok()?)
            }
        };
        Some(Prescreen { search, ascii_case })
    }

    /// Can the pattern match `text`? `false` only when `text` contains none of the texts.
    fn may_match(&self, text: &str) -> bool {
        if self.ascii_case && !text.is_ascii() {
            return true;
        }
        match &self.search {
            Search::One(finder) => finder.find(text.as_bytes()).is_some(),
            Search::Any(regex) => regex.is_match(text),
        }
    }

    /// [`Prescreen::may_match`] of every line of `lines`, searched in one pass over them joined: the
    /// search goes on from the start of the line after each hit's, and a line is let through when a
    /// hit starts in it. A line's texts are found (a search from its start or before finds the first
    /// of them, if no earlier hit does); a hit that ran on past the `\n` after its line (a text with a
    /// `\n`, which no pack has) would only let that line through for nothing.
    fn may_match_lines(&self, lines: &Lines) -> Vec<bool> {
        let mut may = vec![false; lines.starts.len()];
        let text = lines.text.as_str();
        let mut line = 0;
        let mut from = 0;
        while from <= text.len() {
            let hit = match &self.search {
                Search::One(finder) => text
                    .as_bytes()
                    .get(from..)
                    .and_then(|rest| finder.find(rest))
                    .map(|at| from + at),
                Search::Any(regex) => regex.find_at(text, from).map(|m| m.start()),
            };
            let Some(hit) = hit else { break };
            while lines.starts.get(line + 1).is_some_and(|&next| next <= hit) {
                line += 1;
            }
            if let Some(slot) = may.get_mut(line) {
                *slot = true;
            }
            match lines.starts.get(line + 1) {
                Some(&next) => from = next,
                None => break,
            }
        }
        if self.ascii_case && !text.is_ascii() {
            for (i, slot) in may.iter_mut().enumerate() {
                if !*slot && lines.get(i).is_some_and(|l| !l.is_ascii()) {
                    *slot = true;
                }
            }
        }
        may
    }
}

/// What a pattern's flags say about its literals.
struct Flags {
    /// Some part of the pattern is case-insensitive (`(?i)`, `(?i:…)`; a `(?-i)` counts too: the flag
    /// is taken for the whole pattern, which only makes the prescreen let more texts through).
    ascii_case: bool,
}

/// The flags of `ast`, or `None` when one of them changes what a literal means beyond case (`u`: a
/// literal could stand for a byte).
fn flags(ast: &regex_syntax::ast::Ast) -> Option<Flags> {
    use regex_syntax::ast::{Ast, Flag, FlagsItemKind, GroupKind};
    fn visit(ast: &Ast, out: &mut Flags) -> Option<()> {
        let items = match ast {
            Ast::Flags(set) => Some(&set.flags.items),
            Ast::Group(group) => match &group.kind {
                GroupKind::NonCapturing(flags) => Some(&flags.items),
                _ => None,
            },
            _ => None,
        };
        for item in items.into_iter().flatten() {
            match item.kind {
                FlagsItemKind::Flag(Flag::CaseInsensitive) => out.ascii_case = true,
                FlagsItemKind::Flag(Flag::Unicode) => return None,
                _ => {}
            }
        }
        match ast {
            Ast::Group(group) => visit(&group.ast, out),
            Ast::Repetition(rep) => visit(&rep.ast, out),
            Ast::Concat(concat) => concat.asts.iter().try_for_each(|a| visit(a, out)),
            Ast::Alternation(alt) => alt.asts.iter().try_for_each(|a| visit(a, out)),
            _ => Some(()),
        }
    }
    let mut out = Flags { ascii_case: false };
    visit(ast, &mut out)?;
    Some(out)
}

/// Texts one of which every match of `ast` contains, or `None` when there are none to be sure of:
/// - a run of literals in a concatenation is a text; of a concatenation's runs and parts, the one
///   whose shortest text is longest (then the one with fewer texts);
/// - an alternation needs texts from every branch, and has all of them;
/// - a group has its contents' texts, a repetition its contents' when it repeats at least once;
/// - a class, `.`, an assertion or an empty pattern has none.
///
/// With `ascii_case`, a literal that is not ASCII ends a run (its case variants are not ASCII). Flags
/// are zero-width: a run goes on past them.
fn needles(ast: &regex_syntax::ast::Ast, ascii_case: bool) -> Option<Vec<String>> {
    use regex_syntax::ast::{Ast, RepetitionKind, RepetitionRange};
    match ast {
        Ast::Literal(l) if !ascii_case || l.c.is_ascii() => Some(vec![l.c.to_string()]),
        Ast::Group(group) => needles(&group.ast, ascii_case),
        Ast::Repetition(rep) => {
            let at_least_once = match &rep.op.kind {
                RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => false,
                RepetitionKind::OneOrMore => true,
                RepetitionKind::Range(
                    RepetitionRange::Exactly(n)
                    | RepetitionRange::AtLeast(n)
                    | RepetitionRange::Bounded(n, _),
                ) => *n >= 1,
            };
            if at_least_once {
                needles(&rep.ast, ascii_case)
            } else {
                None
            }
        }
        Ast::Alternation(alt) => {
            let mut all = Vec::new();
            for branch in &alt.asts {
                all.extend(needles(branch, ascii_case)?);
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        Ast::Concat(concat) => {
            let mut best: Option<Vec<String>> = None;
            let mut offer = |texts: Vec<String>| {
                let better = match &best {
                    None => true,
                    Some(b) => {
                        let (short, now) = (shortest(&texts), shortest(b));
                        short > now || (short == now && texts.len() < b.len())
                    }
                };
                if better {
                    best = Some(texts);
                }
            };
            let mut run = String::new();
            for item in &concat.asts {
                match item {
                    Ast::Literal(l) if !ascii_case || l.c.is_ascii() => run.push(l.c),
                    Ast::Flags(_) => {}
                    _ => {
                        if !run.is_empty() {
                            offer(vec![std::mem::take(&mut run)]);
                        }
                        if let Some(texts) = needles(item, ascii_case) {
                            offer(texts);
                        }
                    }
                }
            }
            if !run.is_empty() {
                offer(vec![run]);
            }
            best
        }
        _ => None,
    }
}

/// The length of the shortest of `texts`.
fn shortest(texts: &[String]) -> usize {
    texts.iter().map(String::len).min().unwrap_or(0)
}

/// Texts searched together ([`Regex::may_match_lines`]): joined by `\n`, with where each starts.
#[derive(Debug, Default)]
pub struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    /// No lines, the room kept.
    pub fn clear(&mut self) {
        self.text.clear();
        self.starts.clear();
    }

    /// Adds `line` (any text: lines are told apart by where they start, not by their `\n`s).
    pub fn push(&mut self, line: &str) {
        if !self.starts.is_empty() {
            self.text.push('\n');
        }
        self.starts.push(self.text.len());
        self.text.push_str(line);
    }

    /// Lines pushed so far.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Line `i`, as pushed.
    pub fn get(&self, i: usize) -> Option<&str> {
        let start = *self.starts.get(i)?;
        let end = match self.starts.get(i + 1) {
            Some(next) => next.saturating_sub(1),
            None => self.text.len(),
        };
        self.text.get(start..end)
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
        if let Some(prescreen) = compiled.prescreen() {
            if !prescreen.may_match(text) {
                return Ok(false);
            }
        }
        Ok(compiled.regex.is_match(text))
    }

    /// Which of `lines` the regex of `source` may match, for [`Regex::is_match_screened`] to search:
    /// `None` when all of them may (the regex has no prescreen, or not yet). The prescreen runs once
    /// over the lines joined: one pass of `memchr` or a literal search over a few kilobytes costs a
    /// fraction of a short search per line, each set up anew. Counts as a search per line.
    pub fn may_match_lines(&self, source: &str, lines: &Lines) -> Result<Option<Vec<bool>>, &str> {
        let compiled = self.compile(source)?;
        let searches = u32::try_from(lines.starts.len()).unwrap_or(u32::MAX);
        Ok(compiled
            .prescreen_for(searches)
            .map(|prescreen| prescreen.may_match_lines(lines)))
    }

    /// [`Regex::is_match`] of a text that [`Regex::may_match_lines`] let through (its prescreen
    /// already run).
    pub fn is_match_screened(&self, source: &str, text: &str) -> Result<bool, &str> {
        Ok(self.compile(source)?.regex.is_match(text))
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

    /// The texts of `source`'s prescreen, and whether they ignore ASCII case; `None` without one.
    fn texts(source: &str) -> Option<(Vec<String>, bool)> {
        let texts = Prescreen::texts(source);
        assert_eq!(
            Prescreen::new(source).is_some(),
            texts.is_some(),
            "{source}"
        );
        texts
    }

    #[test]
    fn the_texts_are_what_every_match_contains() {
        let some = |t: &[&str], case: bool| Some((t.iter().map(|s| s.to_string()).collect(), case));
        for (source, want) in [
            (r"\bsudo\b", some(&["sudo"], false)),
            (
                r"\bapt(-get)?\s+(-\S+\s+)*install\b",
                some(&["install"], false),
            ),
            (
                r"\b(apt-get|apt|apk)\s",
                some(&["apk", "apt", "apt-get"], false),
            ),
            (r"^/run/secrets/", some(&["/run/secrets/"], false)),
            (r"\.tar", some(&[".tar"], false)),
            (r"abc\bdefg", some(&["defg"], false)),
            (r"é:x", some(&["é:x"], false)),
            (r"x*abc", some(&["abc"], false)),
            (r"[ab]cde", some(&["cde"], false)),
            (r"(abc)+", some(&["abc"], false)),
            (r"(abc){2,}", some(&["abc"], false)),
            // case-insensitive: the whole pattern, once any part is
            (r"(?i)\bcurl\b", some(&["curl"], true)),
            (r"(?i:abc)defg", some(&["defg"], true)),
            (r"abc(?-i)def", some(&["abcdef"], true)),
            (
                r"(?i)\b(curl|wget)\b[^|;&]*\|\s*sh\b|\bsh\s+<\(\s*(curl|wget)\b",
                some(&["curl", "wget"], true),
            ),
            // too short, or nothing every match must contain
            (r"a|bcd", None),
            (r"(abc)?", None),
            (r"(abc)*x", None),
            (r"(abc){0,3}", None),
            (r"\scurl|.", None),
            (r"[a-z]+", None),
            (r"ab", None),
            (r"(?i)éclair", some(&["clair"], true)),
            (r"(?i)é|abc", None),
            // a `u` flag could make a literal a byte
            (r"(?-u:abc)", None),
        ] {
            assert_eq!(texts(source), want, "{source}");
        }
    }

    /// Under Unicode case folding `ſ` is `s` and the Kelvin sign is `k`: a text that is not ASCII gets
    /// the regex, not the prescreen.
    #[test]
    fn a_case_insensitive_prescreen_lets_unicode_through() {
        for (source, text) in [
            ("(?i)secret", "ſecret"),
            ("(?i)token", "to\u{212A}en"),
            ("a(?i)bcd|xyz", "XYZ"),
        ] {
            let regex = regex::Regex::new(source).unwrap();
            assert!(regex.is_match(text), "{source} {text}");
            let prescreen = Prescreen::new(source).unwrap();
            assert!(prescreen.may_match(text), "{source} {text}");
        }
    }

    /// Every string of every fixture (and of the corpus, when `../shared/corpus` is there) that a
    /// built-in pattern matches gets through the pattern's prescreen.
    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "a test reading the project's fixtures and the shared corpus"
    )]
    fn prescreens_let_every_matching_string_of_the_fixtures_through() {
        use crate::builtin::{BuiltinResolver, PACKS};
        fn strings(value: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
            match value {
                serde_json::Value::String(s) => {
                    out.insert(s.clone());
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
                serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
                    out.insert(k.clone());
                    strings(v, out)
                }),
                _ => {}
            }
        }
        fn walk(dir: &std::path::Path, out: &mut std::collections::BTreeSet<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    let text = text.trim_start_matches('\u{feff}');
                    for value in serde_json::Deserializer::from_str(text).into_iter() {
                        match value {
                            Ok(value) => strings(&value, out),
                            Err(_) => break,
                        }
                    }
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut texts = std::collections::BTreeSet::new();
        walk(&root.join("tests/fixtures"), &mut texts);
        walk(&root.join("../shared/corpus"), &mut texts);
        assert!(texts.len() > 500, "only {} strings", texts.len());
        let (mut checked, mut screened_out) = (0, 0);
        let listed: Vec<&String> = texts.iter().collect();
        let mut lines = Lines::default();
        for pack in PACKS {
            let policy = crate::policy::load(pack.file, pack.text, &BuiltinResolver).unwrap();
            for r in &policy.requirements {
                for p in r.patterns() {
                    let Some(prescreen) = Prescreen::new(&p.source) else {
                        continue;
                    };
                    let regex = regex::Regex::new(&p.source).unwrap();
                    for text in &texts {
                        let through = prescreen.may_match(text);
                        assert!(through || !regex.is_match(text), "{} on {text:?}", p.source);
                        checked += 1;
                        screened_out += usize::from(!through);
                    }
                    // Run over lines joined, the prescreen lets through exactly the lines it lets
                    // through one by one: in tiles of 64 strings as the evaluator joins them, and all
                    // strings at once.
                    for tile in listed.chunks(64).chain([&listed[..]]) {
                        lines.clear();
                        tile.iter().for_each(|t| lines.push(t));
                        let one_by_one: Vec<bool> =
                            tile.iter().map(|t| prescreen.may_match(t)).collect();
                        assert_eq!(
                            prescreen.may_match_lines(&lines),
                            one_by_one,
                            "{}",
                            p.source
                        );
                    }
                }
            }
        }
        // the prescreens do screen: most strings match none of a pattern's texts
        assert!(screened_out * 2 > checked, "{screened_out} of {checked}");
    }

    /// Pieces of the lines and texts below: texts that overlap (`ab`, `bab`), letters in either case,
    /// a `\n` of a line's own, and letters that are not ASCII (`ſ` and the Kelvin sign fold to `s` and
    /// `k`).
    const PIECES: [&str; 10] = ["ab", "b", "AB", "x", " ", "\n", "ſ", "\u{212A}", "k", "é"];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// Over any lines, a prescreen of any texts (in any case or not) run over the lines joined
        /// lets through exactly the lines it lets through one by one.
        #[test]
        fn a_prescreen_over_joined_lines_is_one_over_each_line(
            texts in proptest::collection::vec(proptest::collection::vec(0..PIECES.len(), 1..4), 1..4),
            ascii_case in proptest::bool::ANY,
            lines in proptest::collection::vec(proptest::collection::vec(0..PIECES.len(), 0..8), 0..12),
        ) {
            let join = |picks: &[usize]| picks.iter().filter_map(|&i| PIECES.get(i)).copied().collect::<String>();
            // a text holds no `\n` (the patterns' literals do not), and is ASCII when in any case
            let texts: Vec<String> = texts
                .iter()
                .map(|t| {
                    let mut t = join(t);
                    t.retain(|c| c != '\n' && (!ascii_case || c.is_ascii()));
                    if t.is_empty() {
                        t.push_str("ab");
                    }
                    t
                })
                .collect();
            let Some(prescreen) = Prescreen::build(&texts, ascii_case) else {
                return Err(proptest::test_runner::TestCaseError::fail("no prescreen"));
            };
            let lines: Vec<String> = lines.iter().map(|l| join(l)).collect();
            let mut joined = Lines::default();
            lines.iter().for_each(|l| joined.push(l));
            let one_by_one: Vec<bool> = lines.iter().map(|l| prescreen.may_match(l)).collect();
            proptest::prop_assert_eq!(prescreen.may_match_lines(&joined), one_by_one);
        }
    }

    #[test]
    fn lines_give_back_what_was_pushed() {
        let mut lines = Lines::default();
        assert!(lines.is_empty());
        for line in ["", "a\nb", "", "ſ", ""] {
            lines.push(line);
        }
        assert_eq!(lines.len(), 5);
        let back: Vec<Option<&str>> = (0..6).map(|i| lines.get(i)).collect();
        assert_eq!(
            back,
            [Some(""), Some("a\nb"), Some(""), Some("ſ"), Some(""), None]
        );
        lines.clear();
        assert!(lines.is_empty());
        assert_eq!(lines.get(0), None);
    }

    /// A prescreen in any case lets every line that is not ASCII through, and finds its texts at the
    /// start and the end of a line, in lines that are empty or hold a `\n` of their own.
    #[test]
    fn a_prescreen_over_joined_lines_finds_what_each_line_has() {
        let mut lines = Lines::default();
        let texts = [
            "curl", "", "xx", "a\nwget", "CURL", "ſcurl", "cur", "l", "x curl", "curlcurl", "",
        ];
        texts.iter().for_each(|t| lines.push(t));
        for source in [r"(?i)\b(curl|wget)\b", r"curl", r"(curl|wget)x?"] {
            let prescreen = Prescreen::new(source).unwrap();
            let one_by_one: Vec<bool> = texts.iter().map(|t| prescreen.may_match(t)).collect();
            assert_eq!(prescreen.may_match_lines(&lines), one_by_one, "{source}");
        }
        let prescreen = Prescreen::new(r"(?i)\bcurl\b").unwrap();
        assert_eq!(
            prescreen.may_match_lines(&lines),
            [true, false, false, false, true, true, false, false, true, true, false]
        );
    }

    /// Every built-in pattern's prescreen lets every line it matches through, and a regex answers the
    /// same before and after its prescreen is worked out.
    #[test]
    fn a_prescreen_never_hides_a_match() {
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
        let mut screened = 0;
        for pack in PACKS {
            let policy = crate::policy::load(pack.file, pack.text, &BuiltinResolver).unwrap();
            for r in &policy.requirements {
                for p in r.patterns() {
                    // the answer of the pattern alone, compiled here
                    let regex = regex::Regex::new(&p.source).unwrap();
                    let found = Prescreen::new(&p.source);
                    screened += usize::from(found.is_some());
                    for line in lines {
                        let want = regex.is_match(line);
                        if let (true, Some(f)) = (want, &found) {
                            assert!(f.may_match(line), "{} on {line:?}", p.source);
                        }
                        // before the prescreen, then between its two counts
                        for _ in 0..=Compiled::PRESCREEN_AFTER / 8 {
                            assert_eq!(p.regex.is_match(&p.source, line), Ok(want));
                        }
                    }
                    // past the count after which every prescreen is built
                    for _ in 0..=Compiled::SET_PRESCREEN_AFTER {
                        let _ = p.regex.is_match(&p.source, "");
                    }
                    for line in lines {
                        assert_eq!(p.regex.is_match(&p.source, line), Ok(regex.is_match(line)));
                    }
                }
            }
        }
        assert!(screened > 30, "only {screened} patterns have a prescreen");
    }
}
