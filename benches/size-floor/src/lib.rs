//! The crates the project's rules require (regex with its Unicode classes, globset, serde_json, saphyr),
//! each used the way clearance-core uses it, behind exports that take their input from JavaScript (so
//! nothing is constant-folded away), and nothing else: `scripts/size-floor` builds it as the npm package
//! is built to show what these crates alone weigh against issue 3's budget.

use wasm_bindgen::prelude::*;

/// Baseline: an exported function returning a constant.
#[wasm_bindgen]
pub fn empty() -> u32 {
    42
}

/// regex as clearance-core/src/policy/check.rs builds it, error text included; is_match as eval does,
/// plus find and captures (not used by the project) so the floor is not optimistic.
#[cfg(feature = "re")]
#[wasm_bindgen]
pub fn re(pattern: &str, text: &str) -> Result<bool, String> {
    let r = regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .nest_limit(64)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(n) => format!("too big {n}"),
            other => other.to_string(),
        })?;
    let groups = r.captures(text).map_or(0, |c| c.len());
    Ok(r.is_match(text) && r.find(text).is_some_and(|m| m.end() >= groups))
}

/// globset as clearance-core/src/policy/check.rs: Glob::new + compile_matcher, error kind text.
#[cfg(feature = "glob")]
#[wasm_bindgen]
pub fn glob(pattern: &str, text: &str) -> Result<bool, String> {
    let g = globset::Glob::new(pattern).map_err(|e| e.kind().to_string())?;
    Ok(g.compile_matcher().is_match(text))
}

/// serde_json Value round trip.
#[cfg(feature = "json")]
#[wasm_bindgen]
pub fn json(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_else(|e| e.to_string()),
        Err(e) => e.to_string(),
    }
}

/// saphyr as clearance-core/src/policy/node.rs: MarkedYaml::load_from_str, spans, scalars; node count.
#[cfg(feature = "yaml")]
#[wasm_bindgen]
pub fn yaml(text: &str) -> Result<usize, String> {
    use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
    fn count(y: &MarkedYaml<'_>, acc: &mut usize) {
        *acc += 1 + y.span.start.line() + y.span.start.col() + y.span.end.index();
        match &y.data {
            YamlData::Value(s) => match s {
                Scalar::Null => {}
                Scalar::Boolean(b) => *acc += b.to_string().len(),
                Scalar::Integer(i) => *acc += i.to_string().len(),
                Scalar::FloatingPoint(f) => *acc += f.to_string().len(),
                Scalar::String(s) => *acc += s.len(),
            },
            YamlData::Sequence(items) => items.iter().for_each(|i| count(i, acc)),
            YamlData::Mapping(m) => m.iter().for_each(|(k, v)| {
                count(k, acc);
                count(v, acc)
            }),
            YamlData::Tagged(_, inner) => count(inner, acc),
            YamlData::Alias(_) | YamlData::BadValue | YamlData::Representation(..) => *acc += 7,
        }
    }
    let docs = MarkedYaml::load_from_str(text)
        .map_err(|e| format!("{} {} {}", e.info(), e.marker().line(), e.marker().col()))?;
    let mut n = 0;
    for d in &docs {
        count(d, &mut n);
    }
    Ok(n)
}
