//! Moving values across the boundary, and nothing else: a JS argument becomes a façade request type by
//! way of `JSON.stringify` and serde (so strings and already-parsed objects both work), and an answer
//! becomes a JS object by way of the façade's own JSON and `JSON.parse`.
//!
//! Arguments that do not fit are failure answers (`request/bad-argument`) naming the argument; nothing
//! here decides anything about policies, dumps or reports.

use clearance_core::api::WaiversInput;
use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, LimitsInput, PolicyInput};
use clearance_core::report::{RenderOptions, Report};
use clearance_core::{Diagnostic, Location};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsError, JsValue};

// The three JavaScript built-ins the boundary needs (js-sys would bring in far more).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = "stringify", catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = "parse", catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = "String")]
    fn js_string(value: &JsValue) -> String;
}

pub use clearance_core::api::Answer;

/// The third argument of `evaluate`: everything in a check request besides policies and dumps.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EvaluateOptions {
    waivers: Option<WaiversInput>,
    today: Option<String>,
    limits: Option<LimitsInput>,
}

/// The third argument of `render`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RenderOptionsArg {
    #[serde(default)]
    color: bool,
}

/// `evaluate(policies, dumps, options)` as the façade's check request.
pub fn check_request(
    policies: &JsValue,
    dumps: &JsValue,
    options: &JsValue,
) -> Result<CheckRequest, Vec<Diagnostic>> {
    let policies = one_or_many::<PolicyInput>(policies, "policies");
    let dumps = one_or_many::<DumpInput>(dumps, "dumps");
    let options = optional::<EvaluateOptions>(options, "options");
    match (policies, dumps, options) {
        (Ok(policies), Ok(dumps), Ok(options)) => Ok(CheckRequest {
            policies,
            dumps,
            waivers: options.waivers,
            today: options.today,
            limits: options.limits,
        }),
        (p, d, o) => Err([p.err(), d.err(), o.err()].into_iter().flatten().collect()),
    }
}

/// `detect(content, name)` as the façade's dump input.
pub fn dump(content: &JsValue, name: &JsValue) -> Result<DumpInput, Vec<Diagnostic>> {
    let content = arg::<DumpContent>(content, "content").map_err(|e| vec![e])?;
    let name = optional::<Option<String>>(name, "name").map_err(|e| vec![e])?;
    Ok(DumpInput {
        name: name.unwrap_or_else(|| "dump".to_string()),
        content,
        kind: None,
    })
}

/// `validatePolicy(policy, name)` as a name and a text (an object is handed on as its JSON text).
pub fn policy_text(policy: &JsValue, name: &JsValue) -> Result<(String, String), Vec<Diagnostic>> {
    let text = match policy.as_string() {
        Some(text) => text,
        None => stringify(policy, "policy").map_err(|e| vec![e])?,
    };
    let name = optional::<Option<String>>(name, "name").map_err(|e| vec![e])?;
    Ok((name.unwrap_or_else(|| "policy.yaml".to_string()), text))
}

/// `policyRequirements(policy)` as the façade's policy input.
pub fn policy_input(policy: &JsValue) -> Result<PolicyInput, Vec<Diagnostic>> {
    arg::<PolicyInput>(policy, "policy").map_err(|e| vec![e])
}

/// `render(report, format, options)` as the façade's arguments.
pub fn render_args(
    report: &JsValue,
    format: &JsValue,
    options: &JsValue,
) -> Result<(Report, String, RenderOptions), Vec<Diagnostic>> {
    let report = arg::<Report>(report, "report");
    let format = arg::<String>(format, "format");
    let options = optional::<RenderOptionsArg>(options, "options");
    match (report, format, options) {
        (Ok(report), Ok(format), Ok(options)) => Ok((
            report,
            format,
            RenderOptions {
                color: options.color,
            },
        )),
        (r, f, o) => Err([r.err(), f.err(), o.err()].into_iter().flatten().collect()),
    }
}

/// A string argument.
pub fn string(value: &JsValue, name: &str) -> Result<String, Vec<Diagnostic>> {
    arg::<String>(value, name).map_err(|e| vec![e])
}

/// A JS value read as `T` (through its JSON form).
fn arg<T: DeserializeOwned>(value: &JsValue, name: &str) -> Result<T, Diagnostic> {
    let json = stringify(value, name)?;
    serde_json::from_str(&json).map_err(|e| bad_argument(name, &e.to_string()))
}

/// One value or a list of them; nothing is an empty list (errors name the item that does not fit).
fn one_or_many<T: DeserializeOwned>(value: &JsValue, name: &str) -> Result<Vec<T>, Diagnostic> {
    let list = match arg::<serde_json::Value>(value, name)? {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Null => Vec::new(),
        one => vec![one],
    };
    list.into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value(item)
                .map_err(|e| bad_argument(&format!("{name}[{i}]"), &e.to_string()))
        })
        .collect()
}

/// Like [`arg`], with `undefined` and `null` meaning the default.
fn optional<T: DeserializeOwned + Default>(value: &JsValue, name: &str) -> Result<T, Diagnostic> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        arg(value, name)
    }
}

/// `JSON.stringify(value)`; `undefined` (which has no JSON form) becomes `null`.
fn stringify(value: &JsValue, name: &str) -> Result<String, Diagnostic> {
    match json_stringify(value) {
        Ok(json) => Ok(json.as_string().unwrap_or_else(|| "null".to_string())),
        Err(e) => Err(bad_argument(
            name,
            &format!("it has no JSON form ({})", describe(&e)),
        )),
    }
}

fn bad_argument(name: &str, reason: &str) -> Diagnostic {
    Diagnostic {
        code: "request/bad-argument".into(),
        message: format!("the `{name}` argument is not valid: {reason}"),
        help: Some(
            "see the TypeScript declarations (clearance.d.ts) for the shape it takes".into(),
        ),
        location: Location::default(),
    }
}

/// An answer as a JS object. The façade's JSON is the one the native CLI prints; `JSON.parse` of it
/// fails only if something is badly wrong, which [`into_error`] turns into an exception.
pub fn answer<T: Serialize>(answer: &T) -> Result<JsValue, JsError> {
    json_parse(&api::to_json(answer)).map_err(into_error)
}

/// The one way an unexpected failure leaves the engine: a thrown `Error` with a message.
pub fn into_error(error: JsValue) -> JsError {
    JsError::new(&format!(
        "clearance: internal error: an answer could not cross into JavaScript: {}",
        describe(&error)
    ))
}

/// A thrown JS value as text (`String(error)`: `TypeError: …`).
fn describe(error: &JsValue) -> String {
    js_string(error)
}
