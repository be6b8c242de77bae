//! The escape hatch: an RFC 6901 pointer into the raw image or container entry, converted to facts on
//! the fly.
//!
//! Raw JSON did not go through normalisation, so it was never masked. It is masked here with the
//! masker's own decisions ([`mask`]), so that a value shows the same through a pointer as through a
//! fact: a `NAME=value` string under an `Env` key as [`mask::named_value`]; a string under `Labels` as
//! [`mask::named_value`] of its key; `Cmd`, `Entrypoint`, `Args` and `Healthcheck.Test` arrays as
//! [`mask::argv`] (an element after `--token` is secret); any string under a key that
//! [`mask::is_secret_name`] calls secret as `***`; any other string as a command line
//! ([`mask::command`]).

use super::EvalError;
use crate::facts::{mask, Evidence, Fact, FactValue, Masking, Root, Subject, Text};
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
    let mut evidence = entry.evidence.clone();
    evidence.pointer = format!("{}{pointer}", entry.evidence.pointer).into();
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let context_of = |tokens: &[String]| {
        tokens
            .iter()
            .fold(Context::default(), |context, key| context.inner(key))
    };
    // an element of an argument list: masked in the context of the whole list
    if let (Some((last, parents)), Some((parent_pointer, _))) =
        (tokens.split_last(), pointer.rsplit_once('/'))
    {
        let parent = context_of(parents);
        if let (Kind::Argv, false, Ok(index), Some(Json::Array(items))) = (
            parent.kind,
            parent.secret,
            last.parse::<usize>(),
            entry.value.pointer(parent_pointer),
        ) {
            if let Some(text) = argv_texts(items).and_then(|texts| texts.into_iter().nth(index)) {
                step()?;
                return Ok(Fact::new(FactValue::Text(text), evidence));
            }
        }
    }
    let context = context_of(&tokens);
    match entry.value.pointer(pointer) {
        None => Ok(Fact::absent(evidence)),
        Some(value) => convert(value, evidence, context, step),
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Context {
    kind: Kind,
    /// Under a secret-looking key: strings are secret.
    secret: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Plain,
    /// Under an `Env` key: `NAME=value` strings, masked as env values.
    Env,
    /// A `Healthcheck` object (its `Test` is an argument list).
    Healthcheck,
    /// A `Labels` object.
    Labels,
    /// A label's value: masked as [`mask::named_value`] of its key.
    Label,
    /// A `Cmd`, `Entrypoint`, `Args` or `Healthcheck.Test` array.
    Argv,
}

impl Context {
    /// The context of the value at `key` inside a value of this context.
    fn inner(self, key: &str) -> Self {
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        let kind = if is("env") {
            Kind::Env
        } else if is("labels") {
            Kind::Labels
        } else if is("healthcheck") {
            Kind::Healthcheck
        } else if is("cmd")
            || is("entrypoint")
            || is("args")
            || (is("test") && self.kind == Kind::Healthcheck)
        {
            Kind::Argv
        } else {
            match self.kind {
                Kind::Env => Kind::Env,
                Kind::Labels => Kind::Label,
                _ => Kind::Plain,
            }
        };
        Self {
            kind,
            secret: self.secret || mask::is_secret_name(key),
        }
    }
}

/// The masked elements of an argument list, when every element is a string.
fn argv_texts(items: &[Json]) -> Option<Vec<Text>> {
    let strings = items
        .iter()
        .map(|item| match item {
            Json::String(s) => Some(s.as_str()),
            _ => None,
        })
        .collect::<Option<Vec<&str>>>()?;
    Some(mask::argv(&strings))
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
        Json::String(s) => FactValue::Text(text(s, context)),
        Json::Array(items) => {
            let texts = match context.kind {
                Kind::Argv if !context.secret => argv_texts(items),
                _ => None,
            };
            let mut facts = Vec::with_capacity(items.len());
            match texts {
                Some(texts) => {
                    for (i, text) in texts.into_iter().enumerate() {
                        step()?;
                        let evidence = evidence.child(&i.to_string());
                        facts.push(Fact::new(FactValue::Text(text), evidence));
                    }
                }
                None => {
                    for (i, item) in items.iter().enumerate() {
                        let evidence = evidence.child(&i.to_string());
                        facts.push(convert(item, evidence, context, step)?);
                    }
                }
            }
            FactValue::List(facts)
        }
        Json::Object(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (key, item) in map {
                let inner = context.inner(key);
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

/// A string masked as the fact layer masks the same value.
fn text(s: &str, context: Context) -> Text {
    if context.secret && !s.is_empty() {
        let mut text = Text::plain(s);
        text.secret = true;
        return text;
    }
    match context.kind {
        Kind::Env => match s.split_once('=') {
            Some((name, value)) => {
                let value = mask::named_value(name, value);
                let mut text = Text::plain(s);
                if value.secret || value.masked().is_some() {
                    text.masking = Masking::given(Some(format!("{name}={}", value.shown())));
                }
                text
            }
            None => mask::value(s),
        },
        // a secret-looking key made it secret above: what is left is the URL credentials
        Kind::Label => mask::value(s),
        Kind::Plain | Kind::Healthcheck | Kind::Labels | Kind::Argv => mask::command(s),
    }
}
