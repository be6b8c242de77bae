//! The escape hatch: an RFC 6901 pointer into the raw image or container entry, converted to facts on
//! the fly.
//!
//! Raw JSON did not go through normalisation, so it was never masked. Masking is done here, on the
//! conservative side: every `NAME=value` string under an `Env` key shows as `NAME=***`; a value under a
//! secret-looking key (`…PASSWORD…`, `…TOKEN…`, …) shows as `***`; other strings are masked as the fact
//! layer masks command lines ([`mask::command`]: secret assignments and options, URL credentials), and
//! any `name=value` word with a secret-looking name is masked too (`--db-password=***`).

use super::EvalError;
use crate::facts::{mask, Evidence, Fact, FactValue, Masking, Root, Subject, Text, MASK};
use crate::input::Json;

/// Resolves `pointer` in the subject's raw `root` entry. No entry for that root: unknown (its document
/// was not given). Nothing at the pointer, or `null`: absent. `step` is called once per JSON value
/// converted.
pub(crate) fn resolve(
    subject: &Subject,
    root: Root,
    pointer: &str,
    step: &mut dyn FnMut() -> Result<(), EvalError>,
) -> Result<Fact, EvalError> {
    if !(pointer.is_empty() || pointer.starts_with('/')) {
        return Err(EvalError::BadPointer {
            pointer: pointer.to_string(),
        });
    }
    let Some(entry) = subject.raw.iter().find(|e| e.root == root) else {
        return Ok(Fact::missing(root));
    };
    let evidence = Evidence {
        pointer: format!("{}{pointer}", entry.evidence.pointer).into(),
        ..entry.evidence.clone()
    };
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let context = Context {
        env: tokens.iter().any(|t| t.eq_ignore_ascii_case("env")),
        secret: tokens.last().is_some_and(|t| looks_secret(t)),
    };
    match entry.value.pointer(pointer) {
        None => Ok(Fact::absent(evidence)),
        Some(value) => convert(value, evidence, context, step),
    }
}

#[derive(Debug, Clone, Copy)]
struct Context {
    /// Under an `Env` key: `NAME=value` strings have their value masked.
    env: bool,
    /// Under a secret-looking key: strings are secret.
    secret: bool,
}

fn convert(
    value: &Json,
    evidence: Evidence,
    context: Context,
    step: &mut dyn FnMut() -> Result<(), EvalError>,
) -> Result<Fact, EvalError> {
    step()?;
    let fact_value = match value {
        Json::Null => FactValue::Absent,
        Json::Bool(b) => FactValue::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => FactValue::Int(i),
            None => FactValue::Text(Text::plain(n.to_string())),
        },
        Json::String(s) => FactValue::Text(mask(s, context)),
        Json::Array(items) => {
            let mut facts = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                facts.push(convert(
                    item,
                    evidence.child(&i.to_string()),
                    context,
                    step,
                )?);
            }
            FactValue::List(facts)
        }
        Json::Object(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (key, item) in map {
                let inner = Context {
                    env: context.env || key.eq_ignore_ascii_case("env"),
                    secret: context.secret || looks_secret(key),
                };
                entries.push((
                    key.clone(),
                    convert(item, evidence.child(key), inner, step)?,
                ));
            }
            FactValue::Map(entries)
        }
    };
    Ok(Fact::new(fact_value, evidence))
}

fn mask(s: &str, context: Context) -> Text {
    let mut text = Text::plain(s);
    if context.secret && !s.is_empty() {
        text.secret = true;
        return text;
    }
    if context.env {
        if let Some((name, value)) = s.split_once('=') {
            if !value.is_empty() {
                text.masking = Masking::given(Some(format!("{name}={MASK}")));
            }
            return text;
        }
    }
    // What the fact layer does for command lines (secret assignments and options, URL credentials),
    // then any `name=value` word with a secret-looking name it left alone.
    let base = mask::command(s);
    let shown = base.shown().to_string();
    let mut changed = base.masked().is_some();
    let words: Vec<String> = shown
        .split(' ')
        .map(|word| match word.split_once('=') {
            Some((name, value)) if !value.is_empty() && value != MASK && looks_secret(name) => {
                changed = true;
                format!("{name}={MASK}")
            }
            _ => word.to_string(),
        })
        .collect();
    if changed {
        text.masking = Masking::given(Some(words.join(" ")));
    }
    text
}

/// Names that usually hold secrets. Conservative: a false positive only hides a value.
fn looks_secret(name: &str) -> bool {
    const WORDS: [&str; 14] = [
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "SECRET",
        "TOKEN",
        "KEY",
        "CREDENTIAL",
        "AUTH",
        "PRIVATE",
        "COOKIE",
        "SESSION",
        "DSN",
        "DATABASE_URL",
    ];
    let upper = name.to_ascii_uppercase();
    mask::is_secret_name(name) || WORDS.iter().any(|w| upper.contains(w))
}
