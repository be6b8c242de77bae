//! `docker container inspect` and `podman container inspect` entries: `Config`, `HostConfig`, `State`,
//! `Mounts` and `NetworkSettings`, normalised into the `container` root.

use super::config;
use super::error::InputError;
use super::healthcheck;
use super::json::Node;
use super::user;
use crate::facts::{Evidence, Fact, FactValue, Text};

/// The facts of one container, and what grouping needs to know about it.
#[derive(Debug, Clone)]
pub(crate) struct Container {
    /// The `container` root.
    pub fact: Fact,
    /// `Image`: the id of the image it was created from.
    pub image_id: Option<String>,
    pub name: Option<String>,
    pub id: Option<String>,
}

/// Reads one container entry (`node` is the container object).
pub(crate) fn read(node: &Node) -> Result<Container, InputError> {
    node.object()?;
    let config = node.key("Config");
    config.object()?;
    let host = node.key("HostConfig");
    host.object()?;
    let state = node.key("State");
    state.object()?;

    let id = node
        .key("Id")
        .str()?
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let name_node = node.key("Name");
    let name = name_node
        .str()?
        .map(|s| s.trim_start_matches('/'))
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let (image_id, image_id_fact) = node.key("Image").image_id()?;

    let mut out = vec![
        ("id".into(), node.key("Id").text_nonempty()?),
        (
            "name".into(),
            match &name {
                Some(n) => name_node.fact(FactValue::Text(Text::plain(n.as_str()))),
                None => name_node.absent(),
            },
        ),
        ("image".into(), config.key("Image").text_nonempty()?),
        ("image_id".into(), image_id_fact),
        ("status".into(), state.key("Status").text_nonempty()?),
        ("health_status".into(), health_status(&state)?),
        ("privileged".into(), host.key("Privileged").bool_fact()?),
        (
            "read_only_rootfs".into(),
            host.key("ReadonlyRootfs").bool_fact()?,
        ),
        ("cap_add".into(), capabilities(host.key("CapAdd"))?),
        ("cap_drop".into(), capabilities(host.key("CapDrop"))?),
    ];
    out.extend(security(node, host.key("SecurityOpt"))?);
    // `--security-opt systempaths=unconfined` never reaches `SecurityOpt`: the docker CLI turns it into
    // empty `MaskedPaths` and `ReadonlyPaths` (`null` for a privileged container; podman prints neither).
    for (key, field) in [
        ("masked_paths", "MaskedPaths"),
        ("readonly_paths", "ReadonlyPaths"),
    ] {
        let paths = host
            .key(field)
            .string_list("a list of paths", false, |s| Text::plain(s))?;
        out.push((key.into(), paths));
    }
    let user_facts = user::facts(config.key("User"), None, false)?;
    out.extend(user_facts);
    out.push((
        "network_mode".into(),
        host.key("NetworkMode").text_nonempty()?,
    ));
    for (key, field) in [
        ("pid_mode", "PidMode"),
        ("ipc_mode", "IpcMode"),
        ("uts_mode", "UTSMode"),
        ("userns_mode", "UsernsMode"),
    ] {
        out.push(((*key).into(), host.key(field).text_nonempty()?));
    }
    let memory = host.key("Memory");
    out.push((
        "memory".into(),
        match positive(&memory)? {
            Some(n) => memory.fact(FactValue::Size(n.unsigned_abs())),
            None => memory.absent(),
        },
    ));
    for (key, field) in [
        ("nano_cpus", "NanoCpus"),
        ("cpu_quota", "CpuQuota"),
        ("pids_limit", "PidsLimit"),
    ] {
        let n = host.key(field);
        out.push((
            (*key).into(),
            match positive(&n)? {
                Some(v) => n.fact(FactValue::Int(v)),
                None => n.absent(),
            },
        ));
    }
    let restart = host.key("RestartPolicy");
    restart.object()?;
    let policy = restart.key("Name");
    out.push((
        "restart_policy".into(),
        match policy.str()? {
            Some("") => policy.fact(FactValue::Text(Text::plain("no"))),
            Some(s) => policy.fact(FactValue::Text(Text::plain(s))),
            None => policy.absent(),
        },
    ));
    let retries = restart.key("MaximumRetryCount");
    out.push((
        "restart_max_retries".into(),
        match retries.i64()? {
            Some(n) => retries.fact(FactValue::Int(n)),
            None => retries.absent(),
        },
    ));
    out.push(("mounts".into(), mounts(node, &host)?));
    out.push(("ports".into(), ports(node, &host)?));
    out.push(("devices".into(), devices(host.key("Devices"))?));
    out.push(("env".into(), config::env(config.key("Env"))?));
    out.push((
        "healthcheck".into(),
        healthcheck::fact(config.key("Healthcheck"))?,
    ));
    let (signal, effective) = config::stop_signal(config.key("StopSignal"))?;
    out.push(("stop_signal".into(), signal));
    out.push(("effective_stop_signal".into(), effective));
    Ok(Container {
        fact: node.fact_ref(FactValue::Map(out)),
        image_id,
        name,
        id,
    })
}

/// A number greater than 0 (0 and -1 mean unlimited), or `None`.
fn positive(node: &Node) -> Result<Option<i64>, InputError> {
    Ok(node.i64()?.filter(|n| *n > 0))
}

/// `State.Health.Status` (docker; podman also prints `State.Healthcheck`); absent when empty.
fn health_status(state: &Node) -> Result<Fact, InputError> {
    for key in ["Health", "Healthcheck"] {
        let health = state.key(key);
        if health.object()?.is_some() {
            let status = health.key("Status");
            if status.str()?.is_some_and(|s| !s.is_empty()) {
                return status.text();
            }
        }
    }
    Ok(state.key("Health").key("Status").absent())
}

/// `NET_ADMIN`, `cap_net_admin` and `CAP_NET_ADMIN` are all `NET_ADMIN`.
fn capabilities(node: Node) -> Result<Fact, InputError> {
    node.string_list("a list of capability names", false, |s| {
        let upper = s.trim().to_ascii_uppercase();
        Text::plain(upper.strip_prefix("CAP_").unwrap_or(&upper))
    })
}

/// `security_opt`, `no_new_privileges`, `seccomp` and `apparmor`.
fn security(container: &Node, opts: Node) -> Result<Vec<(crate::facts::Key, Fact)>, InputError> {
    let items = opts.strings("a list of security options", false)?;
    let list = match &items {
        Some(items) => opts.fact_ref(FactValue::List(
            items
                .iter()
                .map(|(s, n)| n.fact_ref(FactValue::Text(Text::plain(*s))))
                .collect(),
        )),
        None => opts.fact_ref(FactValue::Absent),
    };
    let mut no_new_privileges = opts.fact_ref(FactValue::Bool(false));
    let mut seccomp = opts.fact(FactValue::Text(Text::plain("default")));
    let mut apparmor = None;
    for (opt, node) in items.unwrap_or_default() {
        let (key, value) = match opt.split_once(['=', ':']) {
            Some((k, v)) => (k, Some(v)),
            None => (opt.as_str(), None),
        };
        match key.to_ascii_lowercase().as_str() {
            "no-new-privileges" => {
                let on = value.is_none_or(|v| v.eq_ignore_ascii_case("true"));
                no_new_privileges = node.fact_ref(FactValue::Bool(on));
            }
            "seccomp" => {
                seccomp = node.fact(FactValue::Text(Text::plain(value.unwrap_or_default())));
            }
            "apparmor" => {
                apparmor = Some(node.fact(FactValue::Text(Text::plain(value.unwrap_or_default()))));
            }
            _ => {}
        }
    }
    let apparmor = match apparmor {
        Some(f) => f,
        None => container.key("AppArmorProfile").text_nonempty()?,
    };
    Ok(vec![
        ("security_opt".into(), list),
        ("no_new_privileges".into(), no_new_privileges),
        ("seccomp".into(), seccomp),
        ("apparmor".into(), apparmor),
    ])
}

fn mount_record(
    evidence: &Evidence,
    kind: &str,
    source: &str,
    destination: &str,
    rw: bool,
    mode: &str,
) -> Fact {
    let field = |v: FactValue| Fact::new(v, evidence.clone());
    Fact::new(
        FactValue::Map(vec![
            ("type".into(), field(FactValue::Text(Text::plain(kind)))),
            ("source".into(), field(FactValue::Text(Text::plain(source)))),
            (
                "destination".into(),
                field(FactValue::Text(Text::plain(destination))),
            ),
            ("rw".into(), field(FactValue::Bool(rw))),
            ("mode".into(), field(FactValue::Text(Text::plain(mode)))),
        ]),
        evidence.clone(),
    )
}

/// Mounts from `Mounts`, then `HostConfig.Binds` and `HostConfig.Tmpfs` not already listed.
fn mounts(container: &Node, host: &Node) -> Result<Fact, InputError> {
    let mounts_node = container.key("Mounts");
    let binds_node = host.key("Binds");
    let tmpfs_node = host.key("Tmpfs");
    if !mounts_node.is_present() && !binds_node.is_present() && !tmpfs_node.is_present() {
        return Ok(mounts_node.absent());
    }
    let mut out: Vec<Fact> = Vec::new();
    let mut destinations: Vec<String> = Vec::new();
    for (i, item) in mounts_node
        .array("a list of mounts")?
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let m = mounts_node.element(i, item);
        m.object()?;
        let kind = m.key("Type").str()?.unwrap_or("bind");
        let name = m.key("Name").str()?.unwrap_or_default();
        let source = m.key("Source").str()?.unwrap_or_default();
        let source = if kind == "volume" && !name.is_empty() {
            name
        } else {
            source
        };
        let destination = m.key("Destination").str()?.unwrap_or_default();
        let rw = m.key("RW").bool()?.unwrap_or(true);
        let mode = m.key("Mode").str()?.unwrap_or_default();
        destinations.push(destination.to_string());
        out.push(mount_record(
            &m.evidence(),
            kind,
            source,
            destination,
            rw,
            mode,
        ));
    }
    for (bind, node) in binds_node
        .strings("a list of `source:destination[:options]` strings", false)?
        .unwrap_or_default()
    {
        let (source, destination, mode) = parse_bind(bind);
        if destinations.iter().any(|d| d == destination) {
            continue;
        }
        let kind = if source.starts_with(['/', '\\', '.', '~'])
            || source.contains(":\\")
            || source.is_empty()
        {
            "bind"
        } else {
            "volume"
        };
        let rw = !mode.split(',').any(|o| o == "ro");
        destinations.push(destination.to_string());
        out.push(mount_record(
            &node.evidence(),
            kind,
            source,
            destination,
            rw,
            mode,
        ));
    }
    if let Some(map) = tmpfs_node.object()? {
        for (destination, value) in map {
            let node = tmpfs_node.member(destination, value);
            let options = node.str()?.unwrap_or_default();
            if destinations.iter().any(|d| d == destination) {
                continue;
            }
            let rw = !options.split(',').any(|o| o == "ro");
            out.push(mount_record(
                &node.evidence(),
                "tmpfs",
                "",
                destination,
                rw,
                options,
            ));
        }
    }
    Ok(Fact::new(
        FactValue::List(out),
        if mounts_node.is_present() {
            mounts_node.evidence()
        } else {
            binds_node.evidence()
        },
    ))
}

/// `source:destination[:options]`, where the source may be a Windows path (`C:\data:/data:rw`).
pub(crate) fn parse_bind(bind: &str) -> (&str, &str, &str) {
    let (rest, mode) = match bind.rsplit_once(':') {
        Some((rest, last)) if !last.contains(['/', '\\']) && !rest.is_empty() => (rest, last),
        _ => (bind, ""),
    };
    match rest.rsplit_once(':') {
        Some((source, destination)) if !(source.len() == 1 && destination.starts_with('\\')) => {
            (source, destination, mode)
        }
        _ => ("", rest, mode),
    }
}

/// Published ports from `HostConfig.PortBindings`, then `NetworkSettings.Ports` not already listed.
fn ports(container: &Node, host: &Node) -> Result<Fact, InputError> {
    let bindings = host.key("PortBindings");
    let network = container.key("NetworkSettings");
    network.object()?;
    let live = network.key("Ports");
    if !bindings.is_present() && !live.is_present() {
        return Ok(bindings.absent());
    }
    let mut out: Vec<(String, String, String, Fact)> = Vec::new();
    for (source, from_live) in [(&bindings, false), (&live, true)] {
        let Some(map) = source
            .object()
            .map_err(|_| source.wrong("an object of port bindings such as `{\"8000/tcp\": [{\"HostIp\": \"\", \"HostPort\": \"8000\"}]}`"))?
        else {
            continue;
        };
        for (port_key, value) in map {
            let port_node = source.member(port_key, value);
            let port = config::normalise_port(port_key);
            for (i, item) in port_node
                .array("a list of host bindings")?
                .map(|a| a.as_slice())
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let b = port_node.element(i, item);
                b.object()?;
                let ip = b
                    .key("HostIp")
                    .str()?
                    .filter(|s| !s.is_empty())
                    .unwrap_or("0.0.0.0");
                let host_port = b.key("HostPort").str()?.unwrap_or_default();
                let seen = out.iter().any(|(p, h, hp, _)| {
                    *p == port && h == ip && (hp == host_port || (from_live && hp.is_empty()))
                });
                if seen {
                    continue;
                }
                let ev = b.evidence();
                let field = |s: &str| Fact::new(FactValue::Text(Text::plain(s)), ev.clone());
                let record = Fact::new(
                    FactValue::Map(vec![
                        ("port".into(), field(&port)),
                        ("host_ip".into(), field(ip)),
                        ("host_port".into(), field(host_port)),
                    ]),
                    ev.clone(),
                );
                out.push((port.clone(), ip.to_string(), host_port.to_string(), record));
            }
        }
    }
    let anchor = if bindings.is_present() {
        bindings
    } else {
        live
    };
    Ok(anchor.fact(FactValue::List(
        out.into_iter().map(|(_, _, _, f)| f).collect(),
    )))
}

/// `HostConfig.Devices` as `host:container:permissions`.
fn devices(node: Node) -> Result<Fact, InputError> {
    let Some(items) = node.array("a list of devices")? else {
        return Ok(node.absent());
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let d = node.element(i, item);
        d.object()?;
        let host = d.key("PathOnHost").str()?.unwrap_or_default();
        let inside = d.key("PathInContainer").str()?.unwrap_or_default();
        let perms = d.key("CgroupPermissions").str()?.unwrap_or_default();
        out.push(d.fact(FactValue::Text(Text::plain(format!(
            "{host}:{inside}:{perms}"
        )))));
    }
    Ok(node.fact(FactValue::List(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds() {
        assert_eq!(parse_bind("/data:/data"), ("/data", "/data", ""));
        assert_eq!(parse_bind("/data:/data:ro,Z"), ("/data", "/data", "ro,Z"));
        assert_eq!(parse_bind("vol:/var/lib/x:rw"), ("vol", "/var/lib/x", "rw"));
        assert_eq!(
            parse_bind("C:\\Users\\ray\\db:/docker-entrypoint-initdb.d:rw"),
            ("C:\\Users\\ray\\db", "/docker-entrypoint-initdb.d", "rw")
        );
        assert_eq!(parse_bind("/only"), ("", "/only", ""));
    }
}
