//! The embedding protocol (see `docs/embed.md`): which origins may drive the viewer from a parent page,
//! and the shape of the messages. Pure; tested natively. The DOM side is in `components/app.rs`.

use clearance_core::api::{self, Answer, CheckOutput, CheckRequest};
use clearance_core::report::RenderOptions;
use clearance_core::{Diagnostic, Location};
use serde::Serialize;
use serde_json::{Map, Value};

/// The message a host posts.
pub const CHECK: &str = "clearance:check";
/// The viewer's answer.
pub const REPORT: &str = "clearance:report";
/// Posted to the parent when the viewer is ready for requests, and in answer to [`HELLO`].
pub const READY: &str = "clearance:ready";
/// A host asking whether the viewer is ready (in case it missed the first `clearance:ready`).
pub const HELLO: &str = "clearance:hello";
pub const PROTOCOL_VERSION: u32 = 1;

/// The allowed origins from the `clearance-embed-origins` meta tag: origins separated by spaces or
/// commas; `'self'` is the viewer's own origin. Anything that is not `scheme://host[:port]` is dropped.
pub fn allowed_origins(config: &str, own_origin: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for token in config
        .split([' ', ',', '\n', '\t'])
        .filter(|t| !t.is_empty())
    {
        let origin = if token == "'self'" {
            own_origin.to_string()
        } else {
            token.trim_end_matches('/').to_string()
        };
        if is_origin(&origin) && !out.contains(&origin) {
            out.push(origin);
        }
    }
    out
}

fn is_origin(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', '*', ' '])
}

pub fn is_allowed(origin: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|a| a == origin)
}

/// A host's request: the engine request, an id echoed back, and formats to render besides the report.
#[derive(Debug, Clone, PartialEq)]
pub struct HostRequest {
    pub id: Value,
    pub request: CheckRequest,
    pub formats: Vec<String>,
}

/// Is this message a `clearance:hello`?
pub fn is_hello(data: &Value) -> bool {
    data.get("type").and_then(Value::as_str) == Some(HELLO)
}

/// Reads a posted message: `{type: "clearance:check", id?, policies, dumps, waivers?, today?, formats?}`.
/// `Ok(None)` for messages of another type (ignored, so a host may use other messages too).
pub fn parse(data: &Value) -> Result<Option<HostRequest>, (Value, Diagnostic)> {
    let Some(object) = data.as_object() else {
        return Ok(None);
    };
    if object.get("type").and_then(Value::as_str) != Some(CHECK) {
        return Ok(None);
    }
    let mut rest: Map<String, Value> = object.clone();
    rest.remove("type");
    let id = rest.remove("id").unwrap_or(Value::Null);
    let formats = match rest.remove("formats") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        Some(_) => return Err((id, malformed("`formats` must be a list of format names"))),
    };
    let request: CheckRequest = serde_json::from_value(Value::Object(rest))
        .map_err(|e| (id.clone(), malformed(&e.to_string())))?;
    Ok(Some(HostRequest {
        id,
        request,
        formats,
    }))
}

fn malformed(detail: &str) -> Diagnostic {
    Diagnostic {
        code: "embed/malformed".into(),
        message: format!("the `{CHECK}` message is not valid: {detail}"),
        help: Some("post `{type: \"clearance:check\", policies: [...], dumps: [{name, content}]}`; see docs/embed.md".into()),
        location: Location::default(),
    }
}

/// The reply: `{type: "clearance:report", id, answer, rendered}`; `answer` is the engine's tagged answer
/// (`{type: "success", report, documents}` or `{type: "failure", errors}`), `rendered` has one text per
/// requested format.
#[derive(Debug, Clone, Serialize)]
pub struct Reply<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: &'a Value,
    pub answer: &'a Answer<CheckOutput>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub rendered: Map<String, Value>,
}

/// Evaluates a host request and builds the reply JSON.
pub fn answer(host: &HostRequest) -> (Answer<CheckOutput>, String) {
    let answer = api::check(&host.request);
    let json = reply_json(&host.id, &answer, &host.formats);
    (answer, json)
}

pub fn reply_json(id: &Value, answer: &Answer<CheckOutput>, formats: &[String]) -> String {
    let mut rendered = Map::new();
    if let Answer::Success { value } = answer {
        for f in formats {
            let text = match api::render(&value.report, f, RenderOptions::default()) {
                Answer::Success { value } => Value::String(value.output),
                Answer::Failure { errors } => serde_json::to_value(errors).unwrap_or(Value::Null),
            };
            rendered.insert(f.clone(), text);
        }
    }
    api::to_json(&Reply {
        kind: REPORT,
        id,
        answer,
        rendered,
    })
}

/// The reply to a message that could not be read.
pub fn error_json(id: &Value, error: Diagnostic) -> String {
    reply_json(id, &Answer::failure(vec![error]), &[])
}

/// `{type: "clearance:ready", version: 1}`.
pub fn ready_json() -> String {
    serde_json::json!({"type": READY, "version": PROTOCOL_VERSION}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn origins() {
        let a = allowed_origins(
            "'self' https://portal.example.com/, bad *, http://x:81 ftp://y",
            "http://127.0.0.1:8080",
        );
        assert_eq!(
            a,
            [
                "http://127.0.0.1:8080",
                "https://portal.example.com",
                "http://x:81"
            ]
        );
        assert!(is_allowed("https://portal.example.com", &a));
        assert!(!is_allowed("https://evil.example.com", &a));
        assert!(!is_allowed("null", &a));
    }

    #[test]
    fn messages() {
        assert_eq!(parse(&json!("hello")), Ok(None));
        assert_eq!(parse(&json!({"type": "other"})), Ok(None));
        let ok = parse(&json!({
            "type": "clearance:check", "id": 7, "formats": ["markdown"],
            "policies": ["reactbin-api-prod"], "dumps": [{"name": "a.json", "content": "[]"}]
        }))
        .unwrap()
        .unwrap();
        assert_eq!(ok.id, json!(7));
        assert_eq!(ok.formats, ["markdown"]);
        assert_eq!(ok.request.dumps.len(), 1);
        let (id, err) = parse(
            &json!({"type": "clearance:check", "id": "x", "policies": [], "dumps": [], "bogus": 1}),
        )
        .unwrap_err();
        assert_eq!(id, json!("x"));
        assert_eq!(err.code, "embed/malformed");
        assert!(err.message.contains("bogus"), "{}", err.message);
    }

    #[test]
    fn replies_are_tagged() {
        let reply: Value = serde_json::from_str(&error_json(&json!(1), malformed("x"))).unwrap();
        assert_eq!(reply["type"], REPORT);
        assert_eq!(reply["id"], 1);
        assert_eq!(reply["answer"]["type"], "failure");
        let ready: Value = serde_json::from_str(&ready_json()).unwrap();
        assert_eq!(ready["type"], READY);
    }
}
