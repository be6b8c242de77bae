//! The masker as it was before it was made faster (commit 23ee6c9), kept as the oracle the fast
//! one must answer exactly as: same masked text, same decision, for every input (`super::oracle`).
//!
//! It is a second implementation kept on purpose (the simpler, slower one), not a copy to merge
//! with the masker. A change that makes the masker mask something else on purpose (a new secret
//! word, a new rule) makes the same change here, and the oracle then checks that only that changed.

use crate::facts::{Masking, Text, MASK};

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
pub(super) fn is_secret_name(name: &str) -> bool {
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

/// An argument list (`Cmd`, `Entrypoint`, `Healthcheck.Test`, a container's `Args`): each element masked
/// as a command line, and an element that is the value of the option element before it
/// (`["app", "--token", "…"]`, `["docker", "login", "-p", "…"]`) secret as a whole; after curl's
/// `-u`/`--user`, the part after the first `:`.
pub(super) fn argv(items: &[&str]) -> Vec<Text> {
    let is_login = items.contains(&"login");
    let is_curl = items.iter().any(|w| *w == "curl" || w.ends_with("/curl"));
    let mut takes_secret: Option<bool> = None;
    items
        .iter()
        .map(|item| {
            let text = match takes_secret.take() {
                Some(user) if !item.starts_with('-') && !item.is_empty() => {
                    let mut text = Text::plain(*item);
                    if user {
                        let span = user_password_span(item.as_bytes(), 0, item.len());
                        text.masking = Masking::given(apply(item, span.into_iter().collect()));
                    } else {
                        text.secret = true;
                    }
                    text
                }
                _ => {
                    let mut text = Text::plain(*item);
                    text.masking = Masking::given(command_masked(item));
                    text
                }
            };
            takes_secret = if item.contains('=') {
                None
            } else if is_curl && is_curl_user_option(item) {
                Some(true)
            } else if let Some(long) = item.strip_prefix("--") {
                is_secret_option(long).then_some(false)
            } else {
                (is_login && *item == "-p").then_some(false)
            };
            text
        })
        .collect()
}

/// Replaces the password of every `scheme://user:password@host` with `***`; `None` when there is none.
pub(super) fn url_credentials(raw: &str) -> Option<String> {
    if !raw.contains("://") {
        return None;
    }
    let mut spans = Vec::new();
    collect_url_spans(raw, &mut spans);
    apply(raw, spans)
}

/// Words one of which (ASCII case-insensitively) a command line holds whenever a rule below can mask
/// something in it: every secret-looking name has one (the [`SECRET_SUFFIXES`] and [`SECRET_PARTS`]
/// words, and `key` of the pairs and of a trailing `KEY`), as does every secret option and header
/// (`Authorization` has `auth`); `login` and `curl` start the `-p` and `-u user:password` rules. URL
/// credentials need `://` and `@`. Most history lines hold none of them and are done with one scan
/// instead of one per rule (every line is masked when a history is read).
const TRIGGERS: [&str; 12] = [
    "pass", "pwd", "secret", "token", "cred", "auth", "key", "cookie", "dsn", "pat", "login",
    "curl",
];

/// Whether any rule of [`command_masked`] may apply: see [`TRIGGERS`].
fn may_hold_secret(raw: &str) -> bool {
    static FINDER: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let finder = FINDER.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(TRIGGERS)
            .ok()
    });
    match finder {
        Some(finder) => {
            finder.is_match(raw)
                || (memchr::memchr(b'@', raw.as_bytes()).is_some()
                    && memchr::memmem::find(raw.as_bytes(), b"://").is_some())
        }
        // not built (cannot happen for these words): every rule runs
        None => true,
    }
}

/// The masked form of a command line; `None` when nothing needed masking.
pub(super) fn command_masked(raw: &str) -> Option<String> {
    if !may_hold_secret(raw) {
        return None;
    }
    masked_by_every_rule(raw)
}

/// [`command_masked`] without the [`TRIGGERS`] prescreen.
fn masked_by_every_rule(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    // memchr's searches, not `str::contains`: each of those sets up a Two-Way searcher and scans a byte
    // at a time, and every history line is masked when it is read
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    let has_eq = memchr::memchr(b'=', bytes).is_some();
    let has_url = has(b"://");
    let has_option = has(b"--") || has(b" -p") || has(b" -u");
    let has_colon = memchr::memchr(b':', bytes).is_some();
    let has_env = has(b"ENV ");
    if !has_eq && !has_url && !has_option && !has_colon && !has_env {
        return None;
    }
    let mut spans = Vec::new();
    if has_eq {
        collect_assignment_spans(raw, &mut spans);
    }
    if has_env {
        collect_env_space_form(raw, &mut spans);
    }
    if has_url {
        collect_url_spans(raw, &mut spans);
    }
    if has_option {
        collect_option_spans(raw, &mut spans);
    }
    if has_colon {
        collect_header_spans(raw, &mut spans);
    }
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
    while let Some(offset) = bytes
        .get(from..)
        .and_then(|b| b.iter().position(|&c| c == b'='))
    {
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
    while let Some(offset) = raw.get(from..).and_then(|r| r.find("ENV ")) {
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
const TOKEN_PREFIXES: &[&str] = &[
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
    while let Some(offset) = raw.get(from..).and_then(|r| r.find("://")) {
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
        let Some(authority) = raw.get(auth_start..auth_end) else {
            continue;
        };
        let Some(at) = authority.rfind('@') else {
            continue;
        };
        let userinfo = authority.get(..at).unwrap_or_default();
        let end = auth_start + at;
        if let Some(colon) = userinfo.find(':') {
            let start = auth_start + colon + 1;
            if end > start {
                spans.push((start, end));
            }
        } else if TOKEN_PREFIXES
            .iter()
            .any(|p| userinfo.len() > p.len() && userinfo.starts_with(p))
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
    let words = || raw.split(|c: char| c.is_ascii_whitespace() || c == ';' || c == '&' || c == '|');
    let is_login = words().any(|w| w == "login");
    let is_curl = words().any(|w| w == "curl" || w.ends_with("/curl"));
    let mut i = 0;
    while i < bytes.len() {
        let at_word = i == 0 || bytes.get(i - 1).copied().is_some_and(is_word_end);
        if !at_word || bytes.get(i) != Some(&b'-') {
            i += 1;
            continue;
        }
        let (word_start, word_end) = value_span(bytes, i);
        let word = raw.get(word_start..word_end).unwrap_or_default();
        i = word_end.max(i + 1);
        let option = word.split('=').next().unwrap_or_default();
        let user_option = is_curl && is_curl_user_option(option);
        if is_curl && !word.starts_with("--") && word.len() > 2 && word.starts_with("-u") {
            // `-uadmin:pw`
            spans.extend(user_password_span(bytes, word_start + 2, word_end));
            continue;
        }
        let secret_option = if let Some(long) = option.strip_prefix("--") {
            is_secret_option(long)
        } else {
            is_login && word == "-p"
        };
        if !secret_option && !user_option {
            continue;
        }
        let value = if let Some(eq) = word.find('=') {
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
        if user_option {
            spans.extend(user_password_span(bytes, start, end));
        } else {
            spans.push((start, end));
        }
        i = i.max(end);
    }
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
    while let Some(offset) = bytes
        .get(from..)
        .and_then(|b| b.iter().position(|&c| c == b':'))
    {
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
    if name.eq_ignore_ascii_case("secret") {
        return false;
    }
    let last = parts(name).last().unwrap_or_default();
    if is_one_of(last, &["stdin", "file", "files", "path", "dir", "env"]) {
        return false;
    }
    is_secret_name(name) && !last.eq_ignore_ascii_case("keys")
}
