//! clearance as WebAssembly: the engine of the npm package.
//!
//! Bindings hold no logic. Each export is one call into [`clearance_core::api`], the JSON façade the
//! native CLI uses too; arguments and answers cross the boundary as JSON ([`glue`]). Domain failures come
//! back as `{type: "failure", errors: [{code, message, help, location}]}`, never as exceptions; only an
//! unexpected failure ([`glue::into_error`]) throws. The TypeScript declarations of every argument and
//! answer are generated from the Rust types into `types.generated.d.ts` beside this file, and
//! `clearance.d.ts` adds the few JS-only names; wasm-bindgen copies both into the package's `.d.ts`.
//!
//! The policy JSON Schema (`policies/schema.json`, 44 KB) is not in the wasm: the package ships it as
//! `clearance/schema.json`.
#![forbid(unsafe_code)]

mod glue;

use clearance_core::{api, report::ToolInfo};
use glue::{answer, Answer};
use wasm_bindgen::prelude::*;

/// The JSON arguments and answers, generated from the Rust types (`clearance-core`'s `ts` feature).
#[wasm_bindgen(typescript_custom_section)]
const GENERATED_TYPES: &str = include_str!("types.generated.d.ts");

/// What the JS API adds to them: the answer of each function, the option objects.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("clearance.d.ts");

/// Evaluates policies (built-in pack names or `{name, text}`) against dumps; answers the report.
#[wasm_bindgen(js_name = "evaluate", unchecked_return_type = "CheckAnswer")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "PolicyInput | PolicyInput[]")] policies: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DumpInput | DumpInput[]")] dumps: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let request = glue::check_request(&policies, &dumps, &options);
    answer(&request.map_or_else(Answer::failure, api::check_owned))
}

/// Says what kind of document a dump is (text as printed, or already-parsed JSON).
#[wasm_bindgen(js_name = "detect", unchecked_return_type = "DetectAnswer")]
pub fn detect(
    #[wasm_bindgen(unchecked_param_type = "string | unknown")] content: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] name: JsValue,
) -> Result<JsValue, JsError> {
    let dump = glue::dump(&content, &name);
    answer(&dump.map_or_else(Answer::failure, |d| api::detect(&d)))
}

/// Validates a policy (YAML or JSON text, or an already-parsed object): every problem with line and column.
#[wasm_bindgen(js_name = "validatePolicy", unchecked_return_type = "ValidateAnswer")]
pub fn validate_policy(
    #[wasm_bindgen(unchecked_param_type = "string | object")] policy: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] name: JsValue,
) -> Result<JsValue, JsError> {
    let args = glue::policy_text(&policy, &name);
    answer(&args.map_or_else(Answer::failure, |(n, t)| api::validate_policy(&n, &t)))
}

/// The built-in policy packs with their metadata.
#[wasm_bindgen(js_name = "builtinPolicies", unchecked_return_type = "BuiltinsAnswer")]
pub fn builtin_policies() -> Result<JsValue, JsError> {
    answer(&api::builtin_policies())
}

/// A policy's requirements in policy order (a built-in pack name, or `{name, text}`), with its metadata.
#[wasm_bindgen(
    js_name = "policyRequirements",
    unchecked_return_type = "RequirementsAnswer"
)]
pub fn policy_requirements(
    #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
) -> Result<JsValue, JsError> {
    let policy = glue::policy_input(&policy);
    answer(&policy.map_or_else(Answer::failure, |p| api::policy_requirements(&p)))
}

/// What a built-in requirement checks, why, a failing example and the fix (the id is case-insensitive).
#[wasm_bindgen(js_name = "explain", unchecked_return_type = "ExplainAnswer")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
) -> Result<JsValue, JsError> {
    let id = glue::string(&id, "id");
    answer(&id.map_or_else(Answer::failure, |id| api::explain(&id)))
}

/// Renders a report from `evaluate` as text, json, sarif, junit or markdown: the native CLI's bytes.
#[wasm_bindgen(js_name = "render", unchecked_return_type = "RenderAnswer")]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "Report")] report: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReportFormat")] format: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let args = glue::render_args(&report, &format, &options);
    answer(&args.map_or_else(Answer::failure, |(r, f, o)| api::render(&r, &f, o)))
}

/// The engine version: the native CLI's `clearance --version`.
#[wasm_bindgen(js_name = "version")]
pub fn version() -> String {
    ToolInfo::current().version
}
