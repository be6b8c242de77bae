//! The `Config` block shared by docker and podman image inspect, OCI image configs and container inspect:
//! user, environment, ports, entrypoint and command, labels, volumes, stop signal, healthcheck.

use super::json::Node;
use super::tree::Json;
use super::{healthcheck, user};
use crate::facts::{mask, Fact, FactValue, Str, Text};
use crate::input::error::InputError;

const ENV_EXPECTED: &str = "a list of `NAME=value` strings";
const ARGV_EXPECTED: &str = "a list of strings (or a string)";

/// The image facts read from a `Config` block, in catalogue order. `config` may be missing (`"Config":
/// null`): every fact is then absent (or docker's default). `top_user` is podman's top-level `User`.
/// Appended to `out` (an image's record, sized for them: [`IMAGE_CONFIG_FACTS`]).
pub(crate) fn image_facts_into(
    config: &Node,
    top_user: Option<Node>,
    out: &mut Vec<(crate::facts::Key, Fact)>,
) -> Result<(), InputError> {
    config.object()?;
    let [user, ports_node, env_node, entrypoint_node, cmd_node, workdir, labels_node, volumes, shell, onbuild, stop_signal_node, healthcheck_node] =
        config.keys([
            "User",
            "ExposedPorts",
            "Env",
            "Entrypoint",
            "Cmd",
            "WorkingDir",
            "Labels",
            "Volumes",
            "Shell",
            "OnBuild",
            "StopSignal",
            "Healthcheck",
        ]);
    out.extend(user::facts(user, top_user, true)?);
    out.push(("ports".into(), ports(ports_node)?));
    out.push(("env".into(), env(env_node)?));
    let entrypoint = entrypoint_node.strings(ARGV_EXPECTED, true)?;
    let cmd = cmd_node.strings(ARGV_EXPECTED, true)?;
    // ENTRYPOINT then CMD is the one argument list the container runs: masked as one
    let argv: Vec<&Str> = [&entrypoint, &cmd]
        .into_iter()
        .flatten()
        .flatten()
        .map(|(s, _)| *s)
        .collect();
    let mut texts = mask::argv(&argv).into_iter();
    let entrypoint_fact = entrypoint_node.argv_fact(entrypoint, &mut texts);
    let cmd_fact = cmd_node.argv_fact(cmd, &mut texts);
    let (command, command_line) = command(config, &entrypoint_fact, &cmd_fact);
    out.push(("entrypoint".into(), entrypoint_fact));
    out.push(("cmd".into(), cmd_fact));
    out.push(("command".into(), command));
    out.push(("command_line".into(), command_line));
    out.push(("workdir".into(), workdir.text()?));
    out.push(("labels".into(), labels(labels_node)?));
    out.push(("volumes".into(), keys(volumes, "an object of paths")?));
    out.push((
        "shell".into(),
        shell.string_list(ARGV_EXPECTED, true, |s| Text::plain(s))?,
    ));
    out.push((
        "onbuild".into(),
        onbuild.string_list("a list of strings", false, |s| mask::command(s))?,
    ));
    let (signal, effective) = stop_signal(stop_signal_node)?;
    out.push(("stop_signal".into(), signal));
    out.push(("effective_stop_signal".into(), effective));
    out.push(("healthcheck".into(), healthcheck::fact(healthcheck_node)?));
    Ok(())
}

/// `Env` as an ordered map; a later duplicate replaces the value in place (what the runtime does).
/// Values of secret-looking names are marked secret; URL credentials are masked.
pub(crate) fn env(node: Node) -> Result<Fact, InputError> {
    let Some(items) = node.strings(ENV_EXPECTED, false)? else {
        return Ok(node.absent());
    };
    let mut entries: Vec<(crate::facts::Key, Fact)> = Vec::with_capacity(items.len());
    for (item, item_node) in items {
        let (name, fact) = match item.split_once('=') {
            Some((name, value)) => (
                name,
                item_node.fact(FactValue::Text(mask::named_value(name, item.slice(value)))),
            ),
            None => (item.as_str(), item_node.absent()),
        };
        match entries.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = fact,
            None => entries.push((name.to_string().into(), fact)),
        }
    }
    Ok(node.fact(FactValue::Map(entries)))
}

/// `ExposedPorts` keys as `8000/tcp` (protocol lower case, tcp when not given).
fn ports(node: Node) -> Result<Fact, InputError> {
    let Some(map) = node
        .object()
        .map_err(|_| node.wrong("an object of ports such as `{\"8000/tcp\": {}}`"))?
    else {
        return Ok(node.absent());
    };
    let items = map
        .iter()
        .map(|(key, value)| {
            node.member(key, value)
                .fact(FactValue::Text(Text::plain(normalise_port(key))))
        })
        .collect();
    Ok(node.fact(FactValue::List(items)))
}

/// `8000` → `8000/tcp`, `53/UDP` → `53/udp`.
pub(crate) fn normalise_port(key: &str) -> String {
    let key = key.trim();
    let (port, proto) = match key.split_once('/') {
        Some((port, proto)) if !proto.is_empty() => (port, proto),
        Some((port, _)) => (port, "tcp"),
        None => (key, "tcp"),
    };
    let mut out = String::with_capacity(port.len() + 1 + proto.len());
    out.push_str(port);
    out.push('/');
    out.extend(proto.chars().map(|c| c.to_ascii_lowercase()));
    out
}

/// The keys of an object as a list (`Volumes`).
fn keys(node: Node, expected: &str) -> Result<Fact, InputError> {
    let Some(map) = node.object().map_err(|_| node.wrong(expected))? else {
        return Ok(node.absent());
    };
    let items = map
        .iter()
        .map(|(key, value)| {
            node.member(key, value)
                .fact(FactValue::Text(Text::plain(&**key)))
        })
        .collect();
    Ok(node.fact(FactValue::List(items)))
}

/// `Labels` as an ordered map of strings; secret-looking names masked like env.
pub(crate) fn labels(node: Node) -> Result<Fact, InputError> {
    const EXPECTED: &str = "an object of string labels";
    let Some(map) = node.object().map_err(|_| node.wrong(EXPECTED))? else {
        return Ok(node.absent());
    };
    let mut entries = Vec::with_capacity(map.len());
    for (name, value) in map {
        let item = node.member(name, value);
        let fact = match value {
            Json::String(s) => item.fact(FactValue::Text(mask::named_value(name, s))),
            Json::Null => item.absent(),
            _ => return Err(item.wrong("a string (a label value)")),
        };
        entries.push((name.clone(), fact));
    }
    Ok(node.fact(FactValue::Map(entries)))
}

/// `image.command` (ENTRYPOINT then CMD) and `image.command_line` (joined with spaces, masked). The
/// texts of `image.command` are parts of one copy of the command line (not a copy each).
fn command(config: &Node, entrypoint: &Fact, cmd: &Fact) -> (Fact, Fact) {
    let lists = [entrypoint, cmd].map(|part| match &part.value {
        FactValue::List(items) => Some(items.as_slice()),
        _ => None,
    });
    if lists.iter().all(Option::is_none) {
        return (config.key("Cmd").absent(), config.key("Cmd").absent());
    }
    let facts = || lists.iter().flatten().flat_map(|items| items.iter());
    let mut line = String::new();
    for (i, text) in facts().filter_map(Fact::as_text).enumerate() {
        if i > 0 {
            line.push(' ');
        }
        line.push_str(&text.raw);
    }
    let command_line = Fact::derived(FactValue::Text(mask::command(&line)));
    let whole: std::sync::Arc<str> = line.into();
    let mut start = 0;
    let argv = facts()
        .map(|fact| match (&fact.value, &fact.evidence) {
            (FactValue::Text(text), Some(evidence)) => {
                let end = start + text.raw.len();
                let raw = Str::part(&whole, start..end);
                start = end + 1;
                Fact::new(
                    FactValue::Text(Text {
                        raw,
                        secret: text.secret,
                        masking: text.masking.clone(),
                        truncated: text.truncated,
                    }),
                    evidence.clone(),
                )
            }
            (FactValue::Text(text), None) => {
                start += text.raw.len() + 1;
                fact.clone()
            }
            _ => fact.clone(),
        })
        .collect();
    (Fact::derived(FactValue::List(argv)), command_line)
}

/// Linux signal numbers (as podman stores `StopSignal`) to names.
const SIGNALS: [&str; 31] = [
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS",
];

/// A signal as a name: `15`, `"15"`, `TERM`, `sigterm` and `SIGTERM` are all `SIGTERM`.
pub(crate) fn signal_name(raw: &str) -> String {
    let s = raw.trim();
    if let Ok(n) = s.parse::<usize>() {
        // the real-time signals as docker names them (moby's signal_linux.go): 34 is SIGRTMIN, 35–49
        // SIGRTMIN+1…+15, 50–63 SIGRTMAX-14…-1, 64 SIGRTMAX
        return match (n, n.checked_sub(1).and_then(|i| SIGNALS.get(i))) {
            (_, Some(name)) => (*name).to_string(),
            (34, None) => "SIGRTMIN".to_string(),
            (35..=49, None) => format!("SIGRTMIN+{}", n - 34),
            (50..=63, None) => format!("SIGRTMAX-{}", 64 - n),
            (64, None) => "SIGRTMAX".to_string(),
            (_, None) => s.to_string(),
        };
    }
    let upper = s.to_ascii_uppercase();
    if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    }
}

/// `stop_signal` (a name; absent when unset) and `effective_stop_signal` (SIGTERM when unset).
pub(crate) fn stop_signal(node: Node) -> Result<(Fact, Fact), InputError> {
    let name = match node.value {
        None => None,
        Some(Json::String(s)) if s.trim().is_empty() => None,
        Some(Json::String(s)) => Some(signal_name(s)),
        Some(Json::Number(_)) => {
            let n = node.u64("a signal name such as `SIGTERM` or a signal number")?;
            n.map(|n| signal_name(&n.to_string()))
        }
        Some(_) => return Err(node.wrong("a signal name such as `SIGTERM` or a signal number")),
    };
    let node = node.shared();
    Ok(match name {
        Some(name) => (
            node.fact(FactValue::Text(Text::plain(name.clone()))),
            node.fact(FactValue::Text(Text::plain(name))),
        ),
        None => (
            node.fact(FactValue::Absent),
            node.fact(FactValue::Text(Text::plain(crate::facts::Str::constant(
                "SIGTERM",
            )))),
        ),
    })
}

/// The facts [`image_facts_into`] appends (the user's 6, then 14): a record is sized once, not grown.
pub(crate) const IMAGE_CONFIG_FACTS: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::json::Src;
    use crate::input::tree::json;

    fn image_facts(
        config: &Node,
        top_user: Option<Node>,
    ) -> Result<Vec<(crate::facts::Key, Fact)>, InputError> {
        let mut out = Vec::new();
        image_facts_into(config, top_user, &mut out)?;
        Ok(out)
    }

    fn config(v: Json) -> Vec<(crate::facts::Key, Fact)> {
        let node = Node::new(
            Src::new(crate::input::json::test_document("d")),
            "/0/Config",
            Some(&v),
        );
        image_facts(&node, None).unwrap()
    }

    fn get<'a>(facts: &'a [(crate::facts::Key, Fact)], key: &str) -> &'a Fact {
        &facts.iter().find(|(k, _)| k == key).unwrap().1
    }

    #[test]
    fn signals() {
        for (raw, want) in [
            ("15", "SIGTERM"),
            ("TERM", "SIGTERM"),
            ("sigquit", "SIGQUIT"),
            ("SIGINT", "SIGINT"),
            ("9", "SIGKILL"),
            ("99", "99"),
            ("SIGRTMIN+3", "SIGRTMIN+3"),
            ("37", "SIGRTMIN+3"),
            ("34", "SIGRTMIN"),
            ("63", "SIGRTMAX-1"),
            ("64", "SIGRTMAX"),
            ("32", "32"),
            ("65", "65"),
        ] {
            assert_eq!(signal_name(raw), want);
        }
        let f = config(json!({"StopSignal": 15}));
        assert_eq!(get(&f, "stop_signal").display(), "SIGTERM");
        let f = config(json!({}));
        assert_eq!(get(&f, "stop_signal").value, FactValue::Absent);
        assert_eq!(get(&f, "effective_stop_signal").display(), "SIGTERM");
        assert_eq!(
            get(&f, "effective_stop_signal")
                .evidence
                .as_ref()
                .unwrap()
                .pointer
                .to_string(),
            "/0/Config/StopSignal"
        );
    }

    #[test]
    fn env_ports_command() {
        let f = config(json!({
            "Env": ["PATH=/bin", "DB_PASSWORD=hunter2", "EMPTY=", "PATH=/usr/bin", "URL=http://u:p@h/"],
            "ExposedPorts": {"8000/tcp": {}, "53/UDP": {}, "9000": {}},
            "Entrypoint": "/entry.sh",
            "Cmd": ["serve", "--token=abc"],
        }));
        assert_eq!(
            get(&f, "env").display(),
            "{PATH=/usr/bin, DB_PASSWORD=***, EMPTY=, URL=http://u:***@h/}"
        );
        assert_eq!(
            get(&f, "env")
                .get("DB_PASSWORD")
                .unwrap()
                .as_text()
                .unwrap()
                .raw,
            "hunter2"
        );
        assert_eq!(
            get(&f, "env")
                .get("PATH")
                .unwrap()
                .evidence
                .as_ref()
                .unwrap()
                .pointer
                .to_string(),
            "/0/Config/Env/3"
        );
        assert_eq!(get(&f, "ports").display(), "[8000/tcp, 53/udp, 9000/tcp]");
        assert_eq!(get(&f, "entrypoint").display(), "[/entry.sh]");
        assert_eq!(
            get(&f, "command").display(),
            "[/entry.sh, serve, --token=***]"
        );
        assert_eq!(
            get(&f, "command_line").display(),
            "/entry.sh serve --token=***"
        );
        assert_eq!(get(&f, "runs_as_root").display(), "true");
        assert_eq!(get(&f, "healthcheck").value, FactValue::Absent);
    }

    #[test]
    fn null_config_is_all_absent() {
        let v = json!(null);
        let node = Node::new(
            Src::new(crate::input::json::test_document("d")),
            "/0/Config",
            Some(&v),
        );
        let f = image_facts(&node, None).unwrap();
        assert_eq!(get(&f, "user").value, FactValue::Absent);
        assert_eq!(get(&f, "runs_as_root").display(), "true");
        assert_eq!(get(&f, "env").value, FactValue::Absent);
        assert_eq!(get(&f, "command").value, FactValue::Absent);
        assert_eq!(
            get(&f, "env")
                .evidence
                .as_ref()
                .unwrap()
                .pointer
                .to_string(),
            "/0/Config/Env"
        );
    }

    #[test]
    fn wrong_types() {
        let v = json!({"Env": {"A": "b"}});
        let node = Node::new(
            Src::new(crate::input::json::test_document("d")),
            "/0/Config",
            Some(&v),
        );
        let err = image_facts(&node, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a list of `NAME=value` strings at `/0/Config/Env`, found an object"
        );
        let v = json!({"ExposedPorts": ["80/tcp"]});
        let node = Node::new(
            Src::new(crate::input::json::test_document("d")),
            "/0/Config",
            Some(&v),
        );
        assert!(image_facts(&node, None).is_err());
        let v = json!("not a config");
        let node = Node::new(
            Src::new(crate::input::json::test_document("d")),
            "/0/Config",
            Some(&v),
        );
        assert!(image_facts(&node, None).is_err());
    }
}
