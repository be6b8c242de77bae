//! Secret masking, applied once while facts are built (nothing downstream has to remember it).
//!
//! Four things are recognised:
//! - **secret-looking names** ([`is_secret_name`]): an environment variable, build argument or label whose
//!   name has a part ending in `PASSWORD`, `PASSWD`, `PASSPHRASE`, `SECRET`, `TOKEN`, `CREDENTIAL` (or a
//!   plural: `PGPASSWORD`, `DB_PASSWORDS`), a whole part such as `PASS`, `PWD`, `AUTH`, `DSN`, `PAT`,
//!   a phrase such as `API_KEY`, `PRIVATE_KEY`, or a trailing `KEY`. Names that hold a *reference* to a
//!   secret (`*_FILE`, `*_SECRETFILE`, `*_PATH`, `*_DIR`), public key material (`GPG_KEY`, `GPG_KEYS`,
//!   `*_GPGKEY`, `*_PUBLIC_KEY`), settings about a secret (a part `MAX`, `MIN`, `NUM`, `COUNT`, `LIMIT`,
//!   `LENGTH`, `LEN`, `SIZE`, `TTL`, `TIMEOUT`, `EXPIRY`, `LIFETIME`: `MAX_TOKENS`, `TOKEN_TTL`; or
//!   `DUMMY`: Rails' `SECRET_KEY_BASE_DUMMY=1`) and the shell's `PWD` are not secrets;
//! - **URL credentials**: `scheme://user:password@host` shows as `scheme://user:***@host`, and a user
//!   name that is a token ([`TOKEN_PREFIXES`]: `https://ghp_…@github.com/…`) as `scheme://***@host`;
//! - **secret command-line options**: `--password value`, `--password=value`, `--token …` anywhere,
//!   `-p value` on `login` commands and the password of `-u user:password` on `curl` commands;
//! - **secret headers**: the credentials of `Authorization: Bearer …` (any scheme) and of a header with a
//!   secret-looking name (`PRIVATE-TOKEN: …`).
//!
//! In command lines an assignment is `NAME=value` after a space, quote, `:`, `?`, `&`, … (so label keys
//! `db.password=`, `.npmrc`'s `:_authToken=` and query strings `?access_token=` are seen); `a==1.2` is not.
//!
//! Checks match on [`Text::raw`]; renderers print [`Text::shown`].

use super::{Masking, Str, Text, MASK};

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod reference;

/// Words that make a name part secret when the part ends with them, glued on or not (`PASSWORD`,
/// `PGPASSWORD`, `HTPASSWD`, `DB_PASSWORDS`, `authToken`), compared case-insensitively. A part that only
/// starts with one is not secret (`PASSWORDLESS`, `SECRETARY`, `TOKENIZERS`).
const SECRET_SUFFIXES: &[&str] = &[
    "password",
    "passwords",
    "passwd",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "credential",
    "credentials",
];

/// Name parts that make a name secret when they are a whole part (compared case-insensitively): `PASS`
/// in `ADMIN_PASS` but not in `PASSAGE`, `PAT` (a personal access token) in `GITHUB_PAT`.
const SECRET_PARTS: &[&str] = &[
    "pass",
    "pwd",
    "creds",
    "auth",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "cookie",
    "dsn",
    "pat",
];

/// Two-part phrases that make a name secret (`API_KEY`, `PRIVATE_KEY`, …).
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("private", "key"),
    ("secret", "key"),
    ("signing", "key"),
    ("encryption", "key"),
    ("master", "key"),
    ("session", "key"),
    ("client", "key"),
    ("ssh", "key"),
];

/// A last part that says the value is where a secret is, not the secret itself.
const REFERENCE_SUFFIXES: &[&str] = &["file", "files", "secretfile", "path", "dir"];

/// Parts that make a name a setting *about* a secret, not one (`MAX_TOKENS`, `PASSWORD_MIN_LENGTH`,
/// `TOKEN_TTL`), and Rails' `SECRET_KEY_BASE_DUMMY=1` (a switch that makes it use a dummy key).
const SETTING_PARTS: &[&str] = &[
    "max", "min", "num", "count", "limit", "length", "len", "size", "ttl", "timeout", "expiry",
    "lifetime", "dummy",
];

/// Parts before a trailing `KEY`/`KEYS` that make it public key material.
const PUBLIC_KEY_PARTS: &[&str] = &["gpg", "pgp", "public", "pub"];

/// Words one of which (ASCII case-insensitively) every secret-looking name holds: the
/// [`SECRET_SUFFIXES`] and [`SECRET_PARTS`] words, and `key` of the [`SECRET_PAIRS`] and of a trailing
/// `KEY`. A name with none of them is not secret, whatever its parts ([`is_secret_name`] answers so
/// without splitting it).
const NAME_WORDS: [&str; 10] = [
    "pass", "pwd", "secret", "token", "cred", "auth", "key", "cookie", "dsn", "pat",
];

/// Whether `name` holds one of the [`NAME_WORDS`]: one pass, comparing words only where a byte is the
/// first letter of one.
fn has_name_word(name: &str) -> bool {
    let mut rest = name.as_bytes();
    while let [first, tail @ ..] = rest {
        // `| 0x20` lowercases a letter and makes no other byte equal to one
        let first = first | 0x20;
        if matches!(first, b'a' | b'c' | b'd' | b'k' | b'p' | b's' | b't') {
            let is = |w: &str| {
                rest.get(..w.len())
                    .is_some_and(|r| r.eq_ignore_ascii_case(w.as_bytes()))
            };
            let found = match (first, tail.first().map(|b| b | 0x20)) {
                (b'p', Some(b'a')) => is("pass") || is("pat"),
                (b'p', Some(b'w')) => is("pwd"),
                (b's', Some(b'e')) => is("secret"),
                (b't', Some(b'o')) => is("token"),
                (b'c', Some(b'r')) => is("cred"),
                (b'c', Some(b'o')) => is("cookie"),
                (b'a', Some(b'u')) => is("auth"),
                (b'k', Some(b'e')) => is("key"),
                (b'd', Some(b's')) => is("dsn"),
                _ => false,
            };
            if found {
                return true;
            }
        }
        rest = tail;
    }
    false
}

/// Splits a name into parts: at every non-alphanumeric character and at lower→upper case changes
/// (`DB_PASSWORD` → `DB`, `PASSWORD`; `dbPassword` → `db`, `Password`).
fn parts(name: &str) -> impl Iterator<Item = &str> {
    let mut rest = name;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| c.is_ascii_alphanumeric())?;
        let (_, tail) = rest.split_at(start);
        let mut end = tail.len();
        let mut prev_lower = false;
        for (i, c) in tail.char_indices() {
            if !c.is_ascii_alphanumeric() || (prev_lower && c.is_ascii_uppercase()) {
                end = i;
                break;
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
        let (part, next) = tail.split_at(end);
        rest = next;
        Some(part)
    })
}

fn is_one_of(part: &str, words: &[&str]) -> bool {
    words.iter().any(|w| part.eq_ignore_ascii_case(w))
}

fn ends_with_one_of(part: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        part.len()
            .checked_sub(w.len())
            .and_then(|start| part.get(start..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(w))
    })
}

/// Does this name (an environment variable, build argument, label or option name) look like it holds a
/// secret? Case-insensitive. A part is secret when it ends with a [`SECRET_SUFFIXES`] word
/// (`PGPASSWORD`) or is a whole [`SECRET_PARTS`] word (`ADMIN_PASS`, not `PASSAGE`); a bare `PWD` is the
/// shell's working directory, not a password (`MYSQL_PWD` is). A name with a [`SETTING_PARTS`] part
/// (`MAX_TOKENS`, `SECRET_KEY_BASE_DUMMY`) is never secret.
pub fn is_secret_name(name: &str) -> bool {
    if !has_name_word(name) {
        return false;
    }
    let mut prev: Option<&str> = None;
    let mut last: Option<&str> = None;
    let mut before_last: Option<&str> = None;
    let mut secret = false;
    for part in parts(name) {
        if is_one_of(part, SETTING_PARTS) {
            return false;
        }
        if !secret {
            secret = ends_with_one_of(part, SECRET_SUFFIXES)
                || (is_one_of(part, SECRET_PARTS) && !name.eq_ignore_ascii_case("pwd"))
                || prev.is_some_and(|p| {
                    SECRET_PAIRS
                        .iter()
                        .any(|(a, b)| p.eq_ignore_ascii_case(a) && part.eq_ignore_ascii_case(b))
                });
        }
        before_last = last;
        last = Some(part);
        prev = Some(part);
    }
    let Some(last) = last else {
        return false;
    };
    if is_one_of(last, REFERENCE_SUFFIXES) {
        return false;
    }
    let trailing_key = last.eq_ignore_ascii_case("key") || last.eq_ignore_ascii_case("keys");
    if trailing_key && before_last.is_some_and(|p| is_one_of(p, PUBLIC_KEY_PARTS)) {
        return false;
    }
    secret || trailing_key
}

/// The value of a `NAME=value` pair (an environment variable, a label): the whole value is secret when
/// the name looks secret and the value is not empty; otherwise URL credentials in it are masked.
pub fn named_value(name: &str, value: impl Into<Str>) -> Text {
    let mut text = Text::plain(value);
    let value = text.raw.as_str();
    if !value.is_empty() && is_secret_name(name) {
        text.secret = true;
    } else {
        text.masking = Masking::given(url_credentials(value));
    }
    text
}

/// A free-standing value (an argument, a label without a secret name): URL credentials masked.
pub fn value(raw: impl Into<Str>) -> Text {
    let mut text = Text::plain(raw);
    text.masking = Masking::given(url_credentials(text.raw.as_str()));
    text
}

/// A command line (a history `created_by`, a healthcheck command): secret assignments, URL credentials
/// and secret options masked.
pub fn command(raw: impl Into<Str>) -> Text {
    let mut text = Text::plain(raw);
    text.masking = Masking::command();
    text
}

/// An argument list (`Cmd`, `Entrypoint`, `Healthcheck.Test`, a container's `Args`): each element masked
/// as a command line, and an element that is the value of the option element before it
/// (`["app", "--token", "…"]`, `["docker", "login", "-p", "…"]`) secret as a whole; after curl's
/// `-u`/`--user`, the part after the first `:`.
pub fn argv<S: AsRef<str> + Into<Str> + Clone>(items: &[S]) -> Vec<Text> {
    let is_login = items.iter().any(|w| w.as_ref() == "login");
    let is_curl = items
        .iter()
        .map(AsRef::as_ref)
        .any(|w| w == "curl" || w.ends_with("/curl"));
    let mut takes_secret: Option<bool> = None;
    items
        .iter()
        .map(|word| {
            let item = word.as_ref();
            let text = match takes_secret.take() {
                Some(user) if !item.starts_with('-') && !item.is_empty() => {
                    let mut text = Text::plain(word.clone());
                    if user {
                        let span = user_password_span(item.as_bytes(), 0, item.len());
                        text.masking = Masking::given(apply(item, span.into_iter().collect()));
                    } else {
                        text.secret = true;
                    }
                    text
                }
                _ => command(word.clone()),
            };
            takes_secret = if item.contains('=') {
                None
            } else if is_curl && is_curl_user_option(item) {
                Some(true)
            } else if let Some(long) = item.strip_prefix("--") {
                is_secret_option(long).then_some(false)
            } else {
                (is_login && item == "-p").then_some(false)
            };
            text
        })
        .collect()
}

/// The masked form of an instruction's arguments, read in the context of its keyword (so that
/// `ENV DB_PASSWORD value` masks `value`).
pub fn arguments_masked(instruction: &str, arguments: &str) -> Option<String> {
    let line = format!("{instruction} {arguments}");
    let masked = command_masked(&line)?;
    masked
        .strip_prefix(instruction)
        .map(|s| s.strip_prefix(' ').unwrap_or(s).to_string())
}

/// Replaces the password of every `scheme://user:password@host` with `***`; `None` when there is none.
pub fn url_credentials(raw: &str) -> Option<String> {
    let mut spans = Vec::new();
    collect_url_spans(raw, &mut spans);
    apply(raw, spans)
}

/// Words one of which (ASCII case-insensitively) a command line holds whenever a rule below can mask
/// something in it: with the [`NAME_WORDS`] (every secret-looking name has one, as does every secret
/// option and header: `Authorization` has `auth`), the triggers. `login` and `curl` start the `-p` and
/// `-u user:password` rules. URL credentials need `://` and `@`. Most history lines hold none of them
/// and are done with one scan instead of one per rule (every line is masked when a history is read).
const COMMAND_WORDS: [&str; 2] = ["login", "curl"];

/// Whether any rule of [`command_masked`] may apply: see [`COMMAND_WORDS`].
fn may_hold_secret(raw: &str) -> bool {
    static FINDER: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let finder = FINDER.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(NAME_WORDS.iter().chain(&COMMAND_WORDS))
            .ok()
    });
    match finder {
        Some(finder) => {
            finder.is_match(raw)
                || (memchr::memchr(b'@', raw.as_bytes()).is_some()
                    && SCHEME_END.find(raw.as_bytes()).is_some())
        }
        // not built (cannot happen for these words): every rule runs
        None => true,
    }
}

/// The masked form of a command line; `None` when nothing needed masking.
pub fn command_masked(raw: &str) -> Option<String> {
    if !may_hold_secret(raw) {
        return None;
    }
    masked_by_every_rule(raw)
}

/// [`command_masked`] without the prescreen ([`may_hold_secret`]).
fn masked_by_every_rule(raw: &str) -> Option<String> {
    // each rule finds the bytes it starts at (`=`, `ENV `, `://`, `-`, `:`) with memchr's searches, not
    // `str::find` (a Two-Way searcher set up per call, a byte at a time): every history line is masked
    // when it is read. The spans vector allocates only when something is found.
    let mut spans = Vec::new();
    collect_assignment_spans(raw, &mut spans);
    collect_env_space_form(raw, &mut spans);
    collect_url_spans(raw, &mut spans);
    collect_option_spans(raw, &mut spans);
    collect_header_spans(raw, &mut spans);
    apply(raw, spans)
}

/// Replaces each byte range with `***`. Ranges may overlap or repeat; they are merged.
fn apply(raw: &str, mut spans: Vec<(usize, usize)>) -> Option<String> {
    spans.retain(|(s, e)| s < e);
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(raw.len());
    let mut at = 0;
    for (start, end) in spans {
        if end <= at {
            continue;
        }
        if start < at {
            // overlaps the span just masked: extend it
            at = end;
            continue;
        }
        out.push_str(raw.get(at..start)?);
        out.push_str(MASK);
        at = end;
    }
    out.push_str(raw.get(at..)?);
    Some(out)
}

/// A searcher for one needle, built the first time it is used: `memmem::find` builds one per call, which
/// costs more than searching a history line.
struct Needle {
    needle: &'static [u8],
    finder: std::sync::OnceLock<memchr::memmem::Finder<'static>>,
}

impl Needle {
    const fn new(needle: &'static [u8]) -> Self {
        Self {
            needle,
            finder: std::sync::OnceLock::new(),
        }
    }

    fn finder(&self) -> &memchr::memmem::Finder<'static> {
        self.finder
            .get_or_init(|| memchr::memmem::Finder::new(self.needle))
    }

    fn find(&self, haystack: &[u8]) -> Option<usize> {
        self.finder().find(haystack)
    }
}

static ENV_SPACE: Needle = Needle::new(b"ENV ");
static SCHEME_END: Needle = Needle::new(b"://");
static LOGIN: Needle = Needle::new(b"login");
static CURL: Needle = Needle::new(b"curl");

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A byte of the name of an assignment: also `.` and `-`, as label keys and `-D` properties have them
/// (`LABEL db.password=…`, `-Dapp.db-password=…`).
fn is_key_byte(b: u8) -> bool {
    is_name_byte(b) || b == b'.' || b == b'-'
}

/// Bytes that may come right before a `NAME=` for it to be an assignment (start of a word).
fn is_word_boundary(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b';'
            | b'&'
            | b'|'
            | b'('
            | b'"'
            | b'\''
            | b'`'
            | b'='
            | b','
            | b':'
            | b'?'
    )
}

/// Where an unquoted shell word ends.
fn is_word_end(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b')' | b'`'
    )
}

/// The byte range of the value that starts at `start`: a quoted string (without its quotes) or a word.
fn value_span(bytes: &[u8], start: usize) -> (usize, usize) {
    match bytes.get(start) {
        Some(&q @ (b'"' | b'\'')) => {
            let inner = start + 1;
            let mut i = inner;
            while let Some(&b) = bytes.get(i) {
                if b == q {
                    return (inner, i);
                }
                if b == b'\\' && q == b'"' {
                    i += 1;
                }
                i += 1;
            }
            (inner, bytes.len())
        }
        _ => {
            let mut i = start;
            while let Some(&b) = bytes.get(i) {
                if is_word_end(b) {
                    break;
                }
                i += 1;
            }
            (start, i)
        }
    }
}

/// Where the name that ends at `end` starts: the run of `is_name` bytes before it.
fn name_start(bytes: &[u8], end: usize, is_name: fn(u8) -> bool) -> usize {
    let mut start = end;
    while start > 0 && bytes.get(start - 1).copied().is_some_and(is_name) {
        start -= 1;
    }
    start
}

/// `NAME=value` with a secret-looking NAME (ENV and ARG lines, `|2 A=b` build arguments, `export X=`).
fn collect_assignment_spans(raw: &str, spans: &mut Vec<(usize, usize)>) {
    let bytes = raw.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes.get(from..).and_then(|b| memchr::memchr(b'=', b)) {
        let eq = from + offset;
        from = eq + 1;
        let name_start = name_start(bytes, eq, is_key_byte);
        // `a==1.2` is a version pin or a comparison, not an assignment
        if name_start == eq || bytes.get(eq + 1) == Some(&b'=') {
            from = eq + 2;
            continue;
        }
        if name_start > 0
            && !bytes
                .get(name_start - 1)
                .copied()
                .is_some_and(is_word_boundary)
        {
            continue;
        }
        let Some(name) = raw.get(name_start..eq) else {
            continue;
        };
        if !is_secret_name(name) {
            continue;
        }
        let (start, mut end) = value_span(bytes, eq + 1);
        // the closing quote of a string the assignment is in (`echo "//host/:_authToken=x" > .npmrc`)
        if let Some(&q @ (b'"' | b'\'')) = end.checked_sub(1).and_then(|i| bytes.get(i)) {
            if end > start + 1 && !bytes.get(start..end - 1).is_some_and(|v| v.contains(&q)) {
                end -= 1;
            }
        }
        if end > start {
            spans.push((start, end));
            from = end;
        }
    }
}

/// The legacy `ENV NAME value` form: everything after a secret NAME, to the end of the line.
fn collect_env_space_form(raw: &str, spans: &mut Vec<(usize, usize)>) {
    let mut from = 0;
    while let Some(offset) = raw.as_bytes().get(from..).and_then(|b| ENV_SPACE.find(b)) {
        let at = from + offset;
        from = at + 4;
        if at > 0
            && !raw
                .as_bytes()
                .get(at - 1)
                .copied()
                .is_some_and(is_word_boundary)
        {
            continue;
        }
        let Some(rest) = raw.get(from..) else {
            continue;
        };
        let trimmed = rest.trim_start();
        let name_start = from + (rest.len() - trimmed.len());
        let name_len = trimmed
            .bytes()
            .position(|b| !is_name_byte(b))
            .unwrap_or(trimmed.len());
        let Some(after) = trimmed.get(name_len..) else {
            continue;
        };
        if name_len == 0 || !after.starts_with(' ') {
            continue;
        }
        let name = trimmed.get(..name_len).unwrap_or_default();
        let value = after.trim_start();
        if value.is_empty() || !is_secret_name(name) {
            continue;
        }
        let value_start = name_start + name_len + (after.len() - value.len());
        let value_end = value_start + value.trim_end().len();
        spans.push((value_start, value_end));
    }
}

/// Prefixes of the access tokens that are put in a URL's user name without a password
/// (`https://ghp_…@github.com/org/repo.git`, `https://oauth2@…` is a user name): GitHub (`ghp_`, `gho_`,
/// `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab (`glpat-`, `gldt-`), Slack (`xoxb-`, …), npm, PyPI,
/// Hugging Face and AWS access key ids (`AKIA`, `ASIA`). Case-sensitive, as the tokens are.
pub const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "gldt-",
    "xoxa-",
    "xoxb-",
    "xoxp-",
    "xoxr-",
    "xoxs-",
    "npm_",
    "pypi-",
    "hf_",
    "AKIA",
    "ASIA",
];

/// `scheme://user:password@host`: the password; `scheme://token@host` ([`TOKEN_PREFIXES`]): the token.
fn collect_url_spans(raw: &str, spans: &mut Vec<(usize, usize)>) {
    let bytes = raw.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes.get(from..).and_then(|b| SCHEME_END.find(b)) {
        let sep = from + offset;
        from = sep + 3;
        let scheme_ok = sep > 0
            && bytes
                .get(sep - 1)
                .copied()
                .is_some_and(|b| b.is_ascii_alphanumeric());
        if !scheme_ok {
            continue;
        }
        let auth_start = sep + 3;
        let mut auth_end = auth_start;
        while let Some(&b) = bytes.get(auth_end) {
            if matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'`') || b.is_ascii_whitespace() {
                break;
            }
            auth_end += 1;
        }
        let Some(authority) = bytes.get(auth_start..auth_end) else {
            continue;
        };
        let Some(at) = memchr::memrchr(b'@', authority) else {
            continue;
        };
        let userinfo = authority.get(..at).unwrap_or_default();
        let end = auth_start + at;
        if let Some(colon) = memchr::memchr(b':', userinfo) {
            let start = auth_start + colon + 1;
            if end > start {
                spans.push((start, end));
            }
        } else if TOKEN_PREFIXES
            .iter()
            .any(|p| userinfo.len() > p.len() && userinfo.starts_with(p.as_bytes()))
        {
            spans.push((auth_start, end));
        }
        from = auth_end;
    }
}

/// `--password value`, `--password=value`, `--token …` anywhere; `-p value` on `login` commands;
/// the password of `-u user:password` / `--user user:password` on `curl` commands.
fn collect_option_spans(raw: &str, spans: &mut Vec<(usize, usize)>) {
    let bytes = raw.as_bytes();
    // worked out when an option asks, as is whether the line has an option this rule looks for at all
    // (`--`, ` -p`, ` -u`; without one it masks nothing)
    let is_login = std::cell::OnceCell::new();
    let is_login = || *is_login.get_or_init(|| has_word(bytes, &LOGIN, b""));
    let is_curl = std::cell::OnceCell::new();
    // `curl` or a path to it (`/usr/bin/curl`)
    let is_curl = || *is_curl.get_or_init(|| has_word(bytes, &CURL, b"/"));
    let has_option = std::cell::OnceCell::new();
    let has_option = || {
        *has_option.get_or_init(|| {
            let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
            has(b"--") || has(b" -p") || has(b" -u")
        })
    };
    let mut i = 0;
    while let Some(offset) = bytes.get(i..).and_then(|b| memchr::memchr(b'-', b)) {
        i += offset;
        let at_word = i == 0 || bytes.get(i - 1).copied().is_some_and(is_word_end);
        if !at_word {
            i += 1;
            continue;
        }
        let (word_start, word_end) = value_span(bytes, i);
        let word = raw.get(word_start..word_end).unwrap_or_default();
        i = word_end.max(i + 1);
        let eq = memchr::memchr(b'=', word.as_bytes());
        let option = eq.and_then(|eq| word.get(..eq)).unwrap_or(word);
        let user_option = is_curl_user_option(option) && is_curl();
        if !word.starts_with("--") && word.len() > 2 && word.starts_with("-u") && is_curl() {
            // `-uadmin:pw`
            if let Some(span) = user_password_span(bytes, word_start + 2, word_end) {
                if !has_option() {
                    return;
                }
                spans.push(span);
            }
            continue;
        }
        let secret_option = if let Some(long) = option.strip_prefix("--") {
            is_secret_option(long)
        } else {
            word == "-p" && is_login()
        };
        if !secret_option && !user_option {
            continue;
        }
        let value = if let Some(eq) = eq {
            (word_start + eq + 1, word_end)
        } else {
            let mut next = word_end;
            while bytes.get(next).is_some_and(|b| *b == b' ' || *b == b'\t') {
                next += 1;
            }
            if next >= bytes.len() || bytes.get(next) == Some(&b'-') {
                continue;
            }
            value_span(bytes, next)
        };
        let (start, end) = value;
        if end <= start {
            continue;
        }
        if !has_option() {
            return;
        }
        if user_option {
            spans.extend(user_password_span(bytes, start, end));
        } else {
            spans.push((start, end));
        }
        i = i.max(end);
    }
}

/// Whether `word` is a word of the line (words are split at ASCII whitespace, `;`, `&` and `|`), or,
/// when one of `after` comes before it, the end of one (`/usr/bin/curl` for `curl` after `/`).
fn has_word(bytes: &[u8], word: &Needle, after: &[u8]) -> bool {
    let splits = |b: &u8| b.is_ascii_whitespace() || matches!(b, b';' | b'&' | b'|');
    word.finder().find_iter(bytes).any(|at| {
        let starts = at == 0
            || bytes
                .get(at - 1)
                .is_some_and(|b| splits(b) || after.contains(b));
        starts && bytes.get(at + word.needle.len()).is_none_or(splits)
    })
}

/// curl's options whose value is `user:password`.
fn is_curl_user_option(option: &str) -> bool {
    matches!(option, "-u" | "--user" | "--proxy-user" | "-U")
}

/// Authentication schemes that come before the credentials of an `Authorization` header.
const AUTH_SCHEMES: &[&str] = &[
    "bearer",
    "basic",
    "token",
    "bot",
    "digest",
    "negotiate",
    "ntlm",
];

/// A header `Name: value` whose name is `Authorization`, `Proxy-Authorization` or a secret-looking name
/// (`PRIVATE-TOKEN`, `X-Api-Key`): the credentials, after the scheme when there is one (`Bearer ***`).
/// Inside a quoted string (`-H "Authorization: Bearer a b"`) everything to the closing quote is masked,
/// otherwise one word (a healthcheck's exec-form arguments are joined with spaces).
fn collect_header_spans(raw: &str, spans: &mut Vec<(usize, usize)>) {
    let bytes = raw.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes.get(from..).and_then(|b| memchr::memchr(b':', b)) {
        let colon = from + offset;
        from = colon + 1;
        let name_start = name_start(bytes, colon, |b| is_name_byte(b) || b == b'-');
        let before = name_start
            .checked_sub(1)
            .and_then(|i| bytes.get(i))
            .copied();
        let quote = match before {
            None | Some(b' ' | b'\t') => None,
            Some(q @ (b'"' | b'\'')) => Some(q),
            Some(_) => continue,
        };
        let Some(name) = raw.get(name_start..colon) else {
            continue;
        };
        let is_auth = name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("proxy-authorization");
        if name.is_empty() || !(is_auth || is_secret_name(name)) {
            continue;
        }
        if raw.get(colon + 1..).is_some_and(|r| r.starts_with("//")) {
            continue;
        }
        let end_of = |start: usize| -> usize {
            let mut i = start;
            while let Some(&b) = bytes.get(i) {
                let stop = match quote {
                    Some(q) => b == q,
                    None => is_word_end(b) || matches!(b, b'"' | b'\'' | b'<' | b'>'),
                };
                if stop {
                    break;
                }
                i += 1;
            }
            i
        };
        let skip_blanks = |mut i: usize| -> usize {
            while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
                i += 1;
            }
            i
        };
        let mut start = skip_blanks(colon + 1);
        let word_end = {
            let mut i = start;
            while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
                i += 1;
            }
            i
        };
        let scheme = raw.get(start..word_end).unwrap_or_default();
        if is_one_of(scheme, AUTH_SCHEMES) && bytes.get(word_end) == Some(&b' ') {
            start = skip_blanks(word_end);
        }
        let end = end_of(start);
        if end > start {
            spans.push((start, end));
            from = end;
        }
    }
}

/// The value of curl's `-u`/`--user`/`--proxy-user` (`user:password`): the part after the first `:`.
fn user_password_span(bytes: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let colon = bytes.get(start..end)?.iter().position(|&b| b == b':')?;
    let from = start + colon + 1;
    (end > from).then_some((from, end))
}

/// A long option whose value is a secret (`password`, `registry-password`, `token`, `api-key`), not one
/// that names where the secret is (`password-stdin`, `password-file`, `secret` of `docker build`).
fn is_secret_option(name: &str) -> bool {
    // `is_secret_name` below needs a name word: most options (`--no-install-recommends`) have none
    if name.eq_ignore_ascii_case("secret") || !has_name_word(name) {
        return false;
    }
    let last = parts(name).last().unwrap_or_default();
    if is_one_of(last, &["stdin", "file", "files", "path", "dir", "env"]) {
        return false;
    }
    is_secret_name(name) && !last.eq_ignore_ascii_case("keys")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "PASSWORD",
            "DB_PASSWORD",
            "POSTGRES_PASSWORD",
            "APP_DB_PASS",
            "MYSQL_ROOT_PASSWD",
            "JWT_SECRET_KEY",
            "GITHUB_TOKEN",
            "NPM_TOKEN",
            "API_KEY",
            "STRIPE_APIKEY",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "WIREGUARD_PRIVATE_KEY",
            "OPENVPN_KEY",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "BASIC_AUTH",
            "dbPassword",
            "owner_password",
            "SSH_KEY",
            "KEY",
            "OPENVPN_KEY_PASSPHRASE",
            "SENTRY_DSN",
            "PGPASSWORD",
            "MYSQLPASSWORD",
            "HTPASSWD",
            "PASSWORDS",
            "DB_PASSWORDS",
            "APP_SECRETS",
            "GITHUB_TOKENS",
            "GCP_CREDENTIALS",
            "npmAuthToken",
            "_authToken",
            "db.password",
            "GITHUB_PAT",
            "MYSQL_PWD",
            "RABBITMQ_DEFAULT_PASS",
            "ADMIN_PASS",
            "NPM_AUTH",
            "CLIENTSECRET",
            "access_token",
        ] {
            assert!(is_secret_name(name), "{name} should be secret");
        }
    }

    #[test]
    fn not_secret_names() {
        for name in [
            "PATH",
            "GPG_KEY",
            "GPG_KEYS",
            "NGINX_GPGKEY",
            "WIREGUARD_PUBLIC_KEY",
            "OPENVPN_PASSWORD_SECRETFILE",
            "OPENVPN_USER_SECRETFILE",
            "POSTGRES_PASSWORD_FILE",
            "DB_PASSWORD_PATH",
            "SECRETS_DIR",
            "PASSAGE",
            "AUTHOR",
            "PASSENGER_VERSION",
            "TOKENIZERS_PARALLELISM",
            "SECRETARY",
            "PASSWORDLESS_LOGIN",
            "PWD",
            "OLDPWD",
            "PATH_PREFIX",
            "PGPASSWORD_FILE",
            "KEYBOARD",
            "SSL_CERT_FILE",
            "",
            "__",
            "TOMCAT_SHA512",
            "LANG",
            "MAX_TOKENS",
            "MAX_NEW_TOKENS",
            "maxTokens",
            "PASSWORD_MIN_LENGTH",
            "TOKEN_TTL",
            "SECRET_KEY_BASE_DUMMY",
            "ADMIN",
            "MINIO",
        ] {
            assert!(!is_secret_name(name), "{name} should not be secret");
        }
    }

    #[test]
    fn env_values() {
        let t = named_value("POSTGRES_PASSWORD", "password");
        assert!(t.secret);
        assert_eq!(t.shown(), "***");
        assert_eq!(t.raw, "password");

        let empty = named_value("OPENVPN_PASSWORD", "");
        assert!(!empty.secret);
        assert_eq!(empty.shown(), "");

        let file = named_value(
            "OPENVPN_PASSWORD_SECRETFILE",
            "/run/secrets/openvpn_password",
        );
        assert!(!file.secret);
        assert_eq!(file.shown(), "/run/secrets/openvpn_password");

        let gpg = named_value("GPG_KEY", "E3FF2839C048B25C084DEBE9B26995E310250568");
        assert!(!gpg.secret);

        let url = named_value("DATABASE_URL", "postgres://app:s3cr3t@db:5432/app");
        assert!(!url.secret);
        assert_eq!(url.shown(), "postgres://app:***@db:5432/app");
        assert_eq!(url.raw, "postgres://app:s3cr3t@db:5432/app");
    }

    #[test]
    fn url_credentials_both_ways() {
        assert_eq!(
            url_credentials("https://user:pass@example.com/x").as_deref(),
            Some("https://user:***@example.com/x")
        );
        assert_eq!(
            url_credentials(
                "pip install --index-url https://__token__:pypi-AgE@upload.pypi.org/simple pkg"
            )
            .as_deref(),
            Some("pip install --index-url https://__token__:***@upload.pypi.org/simple pkg")
        );
        assert_eq!(
            url_credentials("a http://x:1@h b ftp://y:2@k").as_deref(),
            Some("a http://x:***@h b ftp://y:***@k")
        );
        // a token as the user name
        assert_eq!(
            url_credentials("git clone https://ghp_abc123@github.com/org/repo.git").as_deref(),
            Some("git clone https://***@github.com/org/repo.git")
        );
        assert_eq!(
            url_credentials("https://github_pat_11AB@github.com/x https://glpat-xy@gitlab.com/y")
                .as_deref(),
            Some("https://***@github.com/x https://***@gitlab.com/y")
        );
        // no password, or no credentials at all
        assert_eq!(url_credentials("ssh://git@github.com/org/repo"), None);
        assert_eq!(url_credentials("https://git@github.com/org/repo"), None);
        assert_eq!(url_credentials("https://oauth2@gitlab.com/org/repo"), None);
        assert_eq!(url_credentials("https://ghp_@github.com/org/repo"), None);
        assert_eq!(url_credentials("https://example.com:8443/path"), None);
        assert_eq!(url_credentials("https://example.com/a@b"), None);
        assert_eq!(url_credentials("no url here"), None);
        assert_eq!(url_credentials("://x:y@z"), None);
    }

    #[test]
    fn history_assignments() {
        let cases = [
            (
                "/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2",
                Some("/bin/sh -c #(nop)  ENV DB_PASSWORD=***"),
            ),
            (
                "ENV API_KEY=abc123 LANG=C.UTF-8",
                Some("ENV API_KEY=*** LANG=C.UTF-8"),
            ),
            (
                "ENV SECRET_KEY=\"abc def\" MODE=prod",
                Some("ENV SECRET_KEY=\"***\" MODE=prod"),
            ),
            (
                "|2 NPM_TOKEN=npm_abc VERSION=1.2 /bin/sh -c npm ci",
                Some("|2 NPM_TOKEN=*** VERSION=1.2 /bin/sh -c npm ci"),
            ),
            (
                "RUN |1 GITHUB_TOKEN=ghp_x /bin/sh -c make # buildkit",
                Some("RUN |1 GITHUB_TOKEN=*** /bin/sh -c make # buildkit"),
            ),
            (
                "/bin/sh -c export AWS_SECRET_ACCESS_KEY=xyz && aws s3 ls",
                Some("/bin/sh -c export AWS_SECRET_ACCESS_KEY=*** && aws s3 ls"),
            ),
            (
                "ARG OWNER_PASSWORD=changeme",
                Some("ARG OWNER_PASSWORD=***"),
            ),
            (
                "/bin/sh -c #(nop)  ENV DB_PASSWORD secret value",
                Some("/bin/sh -c #(nop)  ENV DB_PASSWORD ***"),
            ),
            (
                "ENV PGPASSWORD=pgsecretpw REDIS_URL=redis://:r3dis@redis:6379/0",
                Some("ENV PGPASSWORD=*** REDIS_URL=redis://:***@redis:6379/0"),
            ),
            (
                "LABEL db.password=label-secret maintainer=me",
                Some("LABEL db.password=*** maintainer=me"),
            ),
            (
                "RUN /bin/sh -c echo \"//registry.npmjs.org/:_authToken=npm-secret\" > .npmrc # buildkit",
                Some("RUN /bin/sh -c echo \"//registry.npmjs.org/:_authToken=***\" > .npmrc # buildkit"),
            ),
            (
                "RUN /bin/sh -c curl -fsSL https://api.example.com/x?access_token=abc&page=2 # buildkit",
                Some("RUN /bin/sh -c curl -fsSL https://api.example.com/x?access_token=***&page=2 # buildkit"),
            ),
            (
                "RUN /bin/sh -c java -Dapp.db-password=pw -jar app.jar",
                Some("RUN /bin/sh -c java -Dapp.db-password=*** -jar app.jar"),
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(command_masked(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn history_lines_left_alone() {
        for raw in [
            "/bin/sh -c #(nop)  ENV GPG_KEYS=05AB33110949707C93A279E3D3EFE6B686867BA6 07E48665A34DCAFAE522E5E6266191C37C037D42",
            "/bin/sh -c set -x && NGINX_GPGKEY=573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62; found=''",
            "ARG NPM_TOKEN",
            "ENV DB_PASSWORD_FILE=/run/secrets/db",
            "ENV PASSWORD=\"\"",
            "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc /bin/sh -c npm ci # buildkit",
            "/bin/sh -c echo $DB_PASSWORD > /dev/null",
            "/bin/sh -c echo ${DB_PASSWORD:=x}",
            "/bin/sh -c mkdir -p /app && chown app /app",
            "/bin/sh -c echo s3cret | docker login --password-stdin -u me registry",
            "/bin/sh -c #(nop)  CMD [\"nginx\" \"-g\" \"daemon off;\"]",
            "/bin/sh -c gpg --batch --keyserver keyserver.ubuntu.com --recv-keys EAC843EBD3EFDB98CC772FADA5CD6035332FA671",
            "COPY app/ ./app/ # buildkit",
            "/bin/sh -c pip install a==1.2 django-secrets==1.0",
            "/bin/sh -c adduser --disabled-password --gecos '' app",
            "/bin/sh -c #(nop) WORKDIR /app && cd $PWD",
            "ENV PWD=/app",
            "/bin/sh -c tokenizers-cli --tokenizers-parallelism=false",
            "/bin/sh -c docker run -u 1000:1000 alpine id",
            "/bin/sh -c curl -fsS http://localhost:8080/health",
            "/bin/sh -c curl -u admin https://example.com",
            "/bin/sh -c curl -H 'Accept: application/json' https://example.com",
            "/bin/sh -c echo token: > /dev/null",
            "/bin/sh -c docker run -v /run/secrets:/run/secrets app",
            "ENV MAX_TOKENS=4096 TOKENIZERS_PARALLELISM=false",
            "RUN /bin/sh -c SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile # buildkit",
            "/bin/sh -c llm --max-tokens 512 prompt.txt",
        ] {
            assert_eq!(command_masked(raw), None, "{raw}");
        }
    }

    #[test]
    fn login_and_options() {
        let cases = [
            (
                "/bin/sh -c docker login -u me -p s3cret registry.example.com",
                "/bin/sh -c docker login -u me -p *** registry.example.com",
            ),
            (
                "/bin/sh -c podman login --password=s3cret quay.io",
                "/bin/sh -c podman login --password=*** quay.io",
            ),
            (
                "/bin/sh -c helm registry login --password \"s3 cret\" ghcr.io",
                "/bin/sh -c helm registry login --password \"***\" ghcr.io",
            ),
            (
                "/bin/sh -c mysql --user=root --password=pw db < x.sql",
                "/bin/sh -c mysql --user=root --password=*** db < x.sql",
            ),
            (
                "/bin/sh -c cli --api-key abc --token=t0k",
                "/bin/sh -c cli --api-key *** --token=***",
            ),
            (
                "/bin/sh -c curl -u admin:pw https://example.com",
                "/bin/sh -c curl -u admin:*** https://example.com",
            ),
            (
                "/bin/sh -c curl --user admin:p:w --proxy-user=p:x https://example.com",
                "/bin/sh -c curl --user admin:*** --proxy-user=p:*** https://example.com",
            ),
            (
                "/bin/sh -c /usr/bin/curl -uadmin:pw https://example.com",
                "/bin/sh -c /usr/bin/curl -uadmin:*** https://example.com",
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(command_masked(raw).as_deref(), Some(want), "{raw}");
        }
        // `-p` outside a login command is a port or `mkdir -p`
        assert_eq!(command_masked("/bin/sh -c ssh -p 2222 host"), None);
    }

    #[test]
    fn authorization_headers() {
        let cases = [
            (
                "curl -f -H \"Authorization: Bearer hcbearer12345\" http://localhost/health",
                "curl -f -H \"Authorization: Bearer ***\" http://localhost/health",
            ),
            (
                "curl -f -H Authorization: Bearer hcbearer12345 http://localhost/health",
                "curl -f -H Authorization: Bearer *** http://localhost/health",
            ),
            (
                "curl --header 'authorization:Basic YWRtaW46cHc=' http://x",
                "curl --header 'authorization:Basic ***' http://x",
            ),
            (
                "wget --header=\"Authorization: Digest username=a, response=b\" http://x",
                "wget --header=\"Authorization: Digest ***\" http://x",
            ),
            (
                "curl -H \"PRIVATE-TOKEN: glpat-abc\" https://gitlab.example.com/api",
                "curl -H \"PRIVATE-TOKEN: ***\" https://gitlab.example.com/api",
            ),
            ("Authorization: Bearer abc", "Authorization: Bearer ***"),
            ("Authorization: abc", "Authorization: ***"),
        ];
        for (raw, want) in cases {
            assert_eq!(command_masked(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn argument_lists() {
        let shown = |items: &[&str]| -> Vec<String> {
            argv(items).iter().map(|t| t.shown().to_string()).collect()
        };
        assert_eq!(
            shown(&["app", "--token", "tok-cmd-8888", "--port", "80"]),
            ["app", "--token", "***", "--port", "80"]
        );
        assert_eq!(
            shown(&["app", "--db-password=pw", "DB_PASSWORD=x", "https://u:p@h"]),
            [
                "app",
                "--db-password=***",
                "DB_PASSWORD=***",
                "https://u:***@h"
            ]
        );
        assert_eq!(
            shown(&["docker", "login", "-p", "pw", "-u", "me"]),
            ["docker", "login", "-p", "***", "-u", "me"]
        );
        assert_eq!(
            shown(&["curl", "-u", "admin:pw", "--user", "a:b:c", "http://x"]),
            ["curl", "-u", "admin:***", "--user", "a:***", "http://x"]
        );
        assert_eq!(
            shown(&["curl", "-H", "Authorization: Bearer hc123", "http://x"]),
            ["curl", "-H", "Authorization: Bearer ***", "http://x"]
        );
        // an option with no value, `-p` outside login, `-u` outside curl
        assert_eq!(
            shown(&["app", "--password-stdin", "-p", "8080", "-u", "1000:1000"]),
            ["app", "--password-stdin", "-p", "8080", "-u", "1000:1000"]
        );
        assert_eq!(
            shown(&["app", "--token", "--verbose"]),
            ["app", "--token", "--verbose"]
        );
    }

    #[test]
    fn command_text_shows_masked_form() {
        let t = command("ENV DB_PASSWORD=hunter2");
        assert!(!t.secret);
        assert_eq!(t.raw, "ENV DB_PASSWORD=hunter2");
        assert_eq!(t.shown(), "ENV DB_PASSWORD=***");
        let plain = command("RUN make");
        assert_eq!(plain.masked(), None);
        assert_eq!(plain.shown(), "RUN make");
    }

    #[test]
    fn never_panics_on_odd_text() {
        for raw in [
            "=",
            "==",
            "A=",
            "PASSWORD=",
            "PASSWORD=\"",
            "--password",
            "--password=",
            "login -p",
            "://",
            "a://@",
            "a://:@",
            "é=ü PASSWORD=é",
            "ENV ",
            "ENV PASSWORD",
            "ENV PASSWORD ",
            "x -p",
            "login -p -",
            "PASSWORD='unterminated",
        ] {
            let _ = command_masked(raw);
            let _ = url_credentials(raw);
        }
        assert_eq!(
            command_masked("PASSWORD='abc").as_deref(),
            Some("PASSWORD='***")
        );
    }
}

/// The prescreen ([`may_hold_secret`]) never hides a secret: over lines built from the pieces the rules look at
/// (with and without a trigger word), it answers as every rule run in full does.
#[cfg(test)]
mod prescreen {
    use super::*;
    use proptest::prelude::*;

    pub(super) const PIECES: &[&str] = &[
        " ",
        " ",
        "=",
        "==",
        "--",
        "-",
        "-p",
        "-u",
        "-uadmin:pw",
        "login",
        "curl",
        "docker",
        "://",
        "@",
        ":",
        "?",
        "&",
        ";",
        "|",
        "\"",
        "'",
        "/",
        ".",
        "_",
        "ENV ",
        "RUN ",
        "LABEL ",
        "export ",
        "user",
        "pw",
        "x1",
        "value",
        "PASSWORD",
        "pgpassword",
        "Token",
        "SECRET",
        "db",
        "Authorization:",
        "Bearer",
        "X-Api-Key:",
        "PRIVATE-TOKEN:",
        "ghp_abc",
        "https",
        "git",
        "KEY",
        "api",
        "MAX",
        "file",
        "cred",
        "Cookie",
        "DSN",
        "PAT",
        "auth",
        "pwd",
        "pass",
        "name",
        "host",
        "apt-get",
        "install",
        // one piece, one secret: each trigger word alone in a line
        " MY_PASS=v",
        " MYSQL_PWD=v",
        " A_SECRET=v",
        " NPM_TOKEN=v",
        " CREDS=v",
        " NPM_AUTH=v",
        " API_KEY=v",
        " SESSION_COOKIE=v",
        " SENTRY_DSN=v",
        " GITHUB_PAT=v",
        " docker login -p v",
        " curl -u a:b",
        " https://u:p@h/",
        " -H 'Authorization: Basic v'",
    ];

    proptest! {
        // short lines, many of them: a line with one trigger word and nothing else secret-looking is
        // what a missing trigger would get wrong
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn the_prescreen_answers_as_every_rule(picks in proptest::collection::vec(0..PIECES.len(), 0..9)) {
            let line: String = picks.iter().filter_map(|&i| PIECES.get(i).copied()).collect();
            prop_assert_eq!(command_masked(&line), masked_by_every_rule(&line), "{}", line);
        }

        /// [`has_name_word`] (which [`is_secret_name`] and [`is_secret_option`] ask first) finds a
        /// [`NAME_WORDS`] word wherever a plain search of the lowercased text does.
        #[test]
        fn has_name_word_is_a_search_for_the_name_words(
            picks in proptest::collection::vec(0..PIECES.len(), 0..6),
            text in "[a-zA-Z_ é-]{0,12}",
        ) {
            let line: String = picks.iter().filter_map(|&i| PIECES.get(i).copied()).chain([text.as_str()]).collect();
            let lower = line.to_ascii_lowercase();
            let plain = NAME_WORDS.iter().any(|w| lower.contains(w));
            prop_assert_eq!(has_name_word(&line), plain, "{}", line);
        }
    }

    #[test]
    fn lines_without_a_trigger_are_not_scanned() {
        for line in [
            "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends wget # buildkit",
            "COPY --chown=1001:1001 app/ ./app/ # buildkit",
            "ENV LANG=C.UTF-8 PYTHONUNBUFFERED=1",
        ] {
            assert!(!may_hold_secret(line), "{line}");
            assert_eq!(masked_by_every_rule(line), None, "{line}");
        }
        // a trigger word anywhere sends the line through every rule
        assert!(may_hold_secret("ENV PATH=/app/.venv/bin:$PATH"));
        assert!(may_hold_secret("RUN git clone https://x@example.com/r.git"));
    }
}
