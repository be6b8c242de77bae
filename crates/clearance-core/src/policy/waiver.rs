//! Waivers files: `waivers:` followed by a list of `{id, image, reason, approver, expires}`.
//! Ids are checked for their form here; whether a loaded policy has them is the evaluator's call.

use super::check::matcher;
use super::compile::requirement_id;
use super::error::PolicyError;
use super::model::{Date, Waiver};
use super::node;
use super::read::{field_path, index_path, Ctx};
use crate::diagnostic::Location;

const WAIVER_FIELDS: &[&str] = &["id", "image", "reason", "approver", "expires"];

/// Reads a waivers file. An empty file has no waivers.
pub fn load(file: &str, text: &str) -> Result<Vec<Waiver>, Vec<PolicyError>> {
    let mut errors = Vec::new();
    let mut ctx = Ctx::new(file, &mut errors);
    let root = match node::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Ok(Vec::new()),
        Err(e) => {
            return Err(vec![PolicyError::Syntax {
                location: Location::at(file, e.line, e.column),
                detail: e.message,
            }])
        }
    };
    let mut waivers = Vec::new();
    if let Some(fields) = ctx.map(&root, "", "a mapping with `waivers:` (a list of waivers)") {
        fields.reject_unknown(&mut ctx, "", &["waivers"], "a waivers file");
        let list = fields
            .required(&mut ctx, "", "waivers", "a waivers file")
            .and_then(|n| ctx.list(n, "waivers", "a list of waivers"));
        for (i, item) in list.unwrap_or_default().iter().enumerate() {
            if let Some(w) = waiver(&mut ctx, item, &index_path("waivers", i)) {
                waivers.push(w);
            }
        }
    }
    if errors.is_empty() {
        Ok(waivers)
    } else {
        Err(errors)
    }
}

fn waiver(ctx: &mut Ctx<'_>, node: &node::Node, path: &str) -> Option<Waiver> {
    const WITHIN: &str = "a waiver";
    let fields = ctx.map(node, path, "a waiver (a mapping with `id` and `reason`)")?;
    let before = ctx.errors.len();
    fields.reject_unknown(ctx, path, WAIVER_FIELDS, WITHIN);
    let id_node = fields.required(ctx, path, "id", WITHIN);
    let id = id_node.and_then(|n| requirement_id(ctx, n, &field_path(path, "id")));
    let reason = fields
        .required(ctx, path, "reason", WITHIN)
        .and_then(|n| ctx.non_empty_text(n, &field_path(path, "reason")));
    // An empty pattern would match no image: the waiver could never apply.
    let image = fields.get("image").and_then(|n| {
        let here = field_path(path, "image");
        ctx.non_empty_text(n, &here)?;
        matcher(ctx, n, &here)
    });
    let approver = fields
        .get("approver")
        .and_then(|n| ctx.text(n, &field_path(path, "approver")));
    let expires = fields.get("expires").and_then(|n| {
        let here = field_path(path, "expires");
        let text = ctx.text(n, &here)?;
        let date = Date::parse(&text);
        if date.is_none() {
            let location = ctx.at(n, &here);
            ctx.push(PolicyError::BadDate { location, text });
        }
        date
    });
    if ctx.errors.len() > before {
        return None;
    }
    Some(Waiver {
        id: id?,
        image,
        reason: reason?,
        approver,
        expires,
        location: ctx.at(id_node?, path),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_waivers() {
        let w = load(
            "w.yaml",
            "waivers:\n  - id: IMG-010\n    image: 'reactbin-api-prod:*'\n    reason: curl for the healthcheck\n    approver: jane@example.com\n    expires: 2026-12-31\n  - {id: NET-001, reason: later}\n",
        )
        .unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(
            w[0].expires.map(|d| d.to_string()).as_deref(),
            Some("2026-12-31")
        );
        assert!(w[0]
            .image
            .as_ref()
            .unwrap()
            .is_match("reactbin-api-prod:1.2"));
        assert_eq!(w[0].location.to_string(), "w.yaml:2:9 at `waivers[0]`");
        assert!(w[1].image.is_none() && w[1].expires.is_none());
        assert!(load("w.yaml", "").unwrap().is_empty());
    }

    #[test]
    fn reports_every_waiver_problem() {
        let e = load(
            "w.yaml",
            "waivers:\n  - id: IMG-010\n    expires: 2026-13-01\n    aprover: x\n",
        )
        .unwrap_err();
        let codes: Vec<&str> = e.iter().map(PolicyError::code).collect();
        assert_eq!(
            codes,
            [
                "policy/unknown-field",
                "policy/missing-field",
                "policy/bad-date"
            ]
        );
        assert_eq!(
            e[2].to_string(),
            "invalid date `2026-13-01`: expected `YYYY-MM-DD`"
        );
    }
}
