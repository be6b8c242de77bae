//! `USER` as docker writes it (`""`, `root`, `1001`, `1001:1001`, `app:app`) and what it means.

use super::json::Node;
use crate::facts::{Fact, FactValue, Text};
use crate::input::error::InputError;

/// What a user string says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct User<'a> {
    pub uid: Option<i64>,
    pub gid: Option<i64>,
    pub user_name: Option<&'a str>,
    pub group_name: Option<&'a str>,
    pub root: bool,
}

/// A numeric id as the runtime reads it (Go's `strconv.Atoi` in runc): digits with an optional sign, so
/// `+0` and `-0` are UID 0 and `+1001` is 1001. A negative id other than 0 is out of range (the container
/// does not start): not an id.
fn numeric(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, s.get(1..)?),
        Some(b'-') => (true, s.get(1..)?),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    (!negative || n == 0).then_some(n)
}

/// Parses a user string. Unset and `""` run as root (UID 0); so do `root`, `0`, `0:…` and `root:…`.
pub(crate) fn parse(user: &str) -> User<'_> {
    let (name, group) = match user.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (user, None),
    };
    let uid = if name.is_empty() || name == "root" {
        Some(0)
    } else {
        numeric(name)
    };
    let user_name = (!name.is_empty() && numeric(name).is_none()).then_some(name);
    let (gid, group_name) = match group {
        None | Some("") => (None, None),
        Some(g) => match numeric(g) {
            Some(n) => (Some(n), None),
            None => (if g == "root" { Some(0) } else { None }, Some(g)),
        },
    };
    User {
        uid,
        gid,
        user_name,
        group_name,
        root: uid == Some(0),
    }
}

/// The user facts (`user`, `uid`, `gid`, `user_name`, [`group_name`], `runs_as_root`) from a `User`
/// node; `fallback` is read when the node is missing (podman's top-level `User`).
pub(crate) fn facts(
    node: Node,
    fallback: Option<Node>,
    with_group_name: bool,
) -> Result<Vec<(crate::facts::Key, Fact)>, InputError> {
    let (node, raw) = match node.str()? {
        Some(s) => (node, Some(s)),
        None => match fallback {
            Some(f) => match f.str()? {
                Some(s) => (f, Some(s)),
                None => (node, None),
            },
            None => (node, None),
        },
    };
    let parsed = parse(raw.unwrap_or_default());
    // the six facts have the same evidence: one copy of the pointer
    let node = node.shared();
    let text = |v: Option<&str>| match v {
        Some(s) => node.fact(FactValue::Text(Text::plain(s))),
        None => node.fact(FactValue::Absent),
    };
    let int = |v: Option<i64>| match v {
        Some(i) => node.fact(FactValue::Int(i)),
        None => node.fact(FactValue::Absent),
    };
    let mut out = Vec::with_capacity(6);
    out.extend([
        ("user".into(), text(raw)),
        ("uid".into(), int(parsed.uid)),
        ("gid".into(), int(parsed.gid)),
        ("user_name".into(), text(parsed.user_name)),
    ]);
    if with_group_name {
        out.push(("group_name".into(), text(parsed.group_name)));
    }
    let root = FactValue::Bool(parsed.root);
    out.push(("runs_as_root".into(), node.fact(root)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_forms() {
        for u in [
            "",
            "root",
            "0",
            "0:0",
            "root:root",
            ":1000",
            "0:1000",
            "root:app",
            "+0",
            "-0",
            "00",
            "+0:+0",
        ] {
            assert!(parse(u).root, "{u:?} runs as root");
            assert_eq!(parse(u).uid, Some(0), "{u:?}");
        }
    }

    #[test]
    fn non_root_forms() {
        assert_eq!(
            parse("1001:1001"),
            User {
                uid: Some(1001),
                gid: Some(1001),
                user_name: None,
                group_name: None,
                root: false
            }
        );
        assert_eq!(
            parse("app:app"),
            User {
                uid: None,
                gid: None,
                user_name: Some("app"),
                group_name: Some("app"),
                root: false
            }
        );
        let p = parse("65532");
        assert_eq!((p.uid, p.root), (Some(65532), false));
        let p = parse("nobody");
        assert_eq!((p.uid, p.user_name, p.root), (None, Some("nobody"), false));
        let p = parse("1001:app");
        assert_eq!((p.uid, p.group_name), (Some(1001), Some("app")));
        let p = parse("+1001:+1001");
        assert_eq!((p.uid, p.gid, p.root), (Some(1001), Some(1001), false));
        // out of range for the runtime (it does not start): not an id, and not root
        let p = parse("-5");
        assert_eq!((p.uid, p.user_name, p.root), (None, Some("-5"), false));
        assert_eq!(parse("+").uid, None);
    }
}
