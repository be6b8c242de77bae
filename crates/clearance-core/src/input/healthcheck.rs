//! `HEALTHCHECK` (`Config.Healthcheck`): the test, its type and command, and the timings with docker's
//! defaults applied where the value is 0 or unset.

use super::json::Node;
use super::tree::Json;
use crate::facts::{mask, Fact, FactValue, Str};
use crate::input::error::InputError;

const SECOND: u64 = 1_000_000_000;
/// Docker's defaults (`docker/daemon/health.go`): interval 30s, timeout 30s, start period 0s,
/// start interval 5s, retries 3.
const DEFAULT_INTERVAL: u64 = 30 * SECOND;
const DEFAULT_TIMEOUT: u64 = 30 * SECOND;
const DEFAULT_START_PERIOD: u64 = 0;
const DEFAULT_START_INTERVAL: u64 = 5 * SECOND;
const DEFAULT_RETRIES: i64 = 3;

/// The healthcheck record, or `Absent` when the image or container declares none.
pub(crate) fn fact(node: Node) -> Result<Fact, InputError> {
    if node.object()?.is_none() {
        return Ok(node.absent());
    }
    let [test_node, interval, timeout, start_period, start_interval, retries_node] = node.keys([
        "Test",
        "Interval",
        "Timeout",
        "StartPeriod",
        "StartInterval",
        "Retries",
    ]);
    let test = test_node.strings(
        "a list of strings such as `[\"CMD-SHELL\", \"curl -f …\"]`",
        true,
    )?;
    let (kind, command) = match &test {
        Some(items) => match items.split_first() {
            Some(((first, first_node), rest)) => {
                let kind = first_node.fact_ref(FactValue::Text(mask::value(*first)));
                let command = if first.as_str() == "NONE" || rest.is_empty() {
                    test_node.fact_ref(FactValue::Absent)
                } else {
                    let joined = rest
                        .iter()
                        .map(|(s, _)| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    test_node.fact_ref(FactValue::Text(mask::command(joined)))
                };
                (kind, command)
            }
            None => (
                test_node.fact_ref(FactValue::Absent),
                test_node.fact_ref(FactValue::Absent),
            ),
        },
        None => (
            test_node.fact_ref(FactValue::Absent),
            test_node.fact_ref(FactValue::Absent),
        ),
    };
    let argv: Vec<&Str> = test.iter().flatten().map(|(s, _)| *s).collect();
    let test_fact = test_node.argv_fact(test, &mut mask::argv(&argv).into_iter());
    let record = vec![
        ("test".into(), test_fact),
        ("type".into(), kind),
        ("command".into(), command),
        ("interval".into(), duration(interval, DEFAULT_INTERVAL)?),
        ("timeout".into(), duration(timeout, DEFAULT_TIMEOUT)?),
        (
            "start_period".into(),
            duration(start_period, DEFAULT_START_PERIOD)?,
        ),
        (
            "start_interval".into(),
            duration(start_interval, DEFAULT_START_INTERVAL)?,
        ),
        ("retries".into(), retries(retries_node)?),
    ];
    Ok(node.fact(FactValue::Map(record)))
}

/// Nanoseconds (as docker stores them), or a duration string (`30s`, as compose files write them); the
/// default when 0 or unset.
fn duration(node: Node, default: u64) -> Result<Fact, InputError> {
    const EXPECTED: &str = "a duration in nanoseconds (such as `30000000000`)";
    let ns = match node.value {
        None => 0,
        Some(Json::String(s)) => {
            crate::facts::duration::parse(s).ok_or_else(|| node.wrong(EXPECTED))?
        }
        Some(_) => node.u64(EXPECTED)?.unwrap_or(0),
    };
    let ns = if ns == 0 { default } else { ns };
    Ok(node.fact(FactValue::Duration(ns)))
}

fn retries(node: Node) -> Result<Fact, InputError> {
    let n = node.u64("a non-negative number of retries")?.unwrap_or(0);
    let n = if n == 0 {
        DEFAULT_RETRIES
    } else {
        i64::try_from(n).map_err(|_| node.wrong("a number of retries"))?
    };
    Ok(node.fact(FactValue::Int(n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::json::Src;
    use crate::input::tree::json;

    fn hc(v: Json) -> Result<Fact, InputError> {
        let root = json!({ "Healthcheck": v });
        let node = Node::new(
            Src::new(crate::input::json::test_document("d")),
            String::new(),
            Some(&root),
        );
        fact(node.key("Healthcheck"))
    }

    #[test]
    fn defaults_apply_when_zero_or_unset() {
        let f = hc(
            json!({"Test": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "Interval": 0}),
        )
        .unwrap();
        assert_eq!(
            f.get("interval").unwrap().value,
            FactValue::Duration(30 * SECOND)
        );
        assert_eq!(
            f.get("timeout").unwrap().value,
            FactValue::Duration(30 * SECOND)
        );
        assert_eq!(f.get("start_period").unwrap().value, FactValue::Duration(0));
        assert_eq!(
            f.get("start_interval").unwrap().value,
            FactValue::Duration(5 * SECOND)
        );
        assert_eq!(f.get("retries").unwrap().value, FactValue::Int(3));
        assert_eq!(f.get("type").unwrap().display(), "CMD-SHELL");
        assert_eq!(
            f.get("command").unwrap().display(),
            "curl -f http://localhost/ || exit 1"
        );
        assert_eq!(
            f.get("interval")
                .unwrap()
                .evidence
                .as_ref()
                .unwrap()
                .pointer
                .to_string(),
            "/Healthcheck/Interval"
        );
    }

    #[test]
    fn values_are_kept() {
        let f = hc(
            json!({"Test": ["CMD", "pg_isready", "-q"], "Interval": 10_000_000_000u64,
                          "Timeout": 45_000_000_000u64, "StartPeriod": "10s", "Retries": 10}),
        )
        .unwrap();
        assert_eq!(f.get("interval").unwrap().display(), "10s");
        assert_eq!(f.get("timeout").unwrap().display(), "45s");
        assert_eq!(f.get("start_period").unwrap().display(), "10s");
        assert_eq!(f.get("retries").unwrap().display(), "10");
        assert_eq!(f.get("command").unwrap().display(), "pg_isready -q");
    }

    #[test]
    fn none_and_absent() {
        assert_eq!(hc(json!(null)).unwrap().value, FactValue::Absent);
        let f = hc(json!({"Test": ["NONE"]})).unwrap();
        assert_eq!(f.get("type").unwrap().display(), "NONE");
        assert_eq!(f.get("command").unwrap().value, FactValue::Absent);
    }

    #[test]
    fn wrong_types_are_errors() {
        assert!(hc(json!("curl")).is_err());
        assert!(hc(json!({"Interval": "soon"})).is_err());
        assert!(hc(json!({"Retries": -1})).is_err());
        assert!(hc(json!({"Test": [1]})).is_err());
    }
}
