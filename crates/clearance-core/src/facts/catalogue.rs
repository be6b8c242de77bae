//! The names a policy can address, their kinds, and what they mean.
//!
//! Normalisation must produce exactly these names; the policy compiler rejects others (with a "did you
//! mean"), and parses literals by the kind named here (`equals: 30s` on a duration fact is 30 seconds).
//! Element fields of lists of records are written `history[].created_by`; a check nested in `any`, `all`,
//! `none`, `count` or `order` addresses them by the part after `[].` (`created_by`). Elements of maps are
//! records `{name, value}`; elements of string lists are addressed as the element itself (no `fact`).

/// The kind of a fact, which decides how literals in a policy are read and which operators apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Int,
    Text,
    /// Compared with durations such as `30s`.
    Duration,
    /// Compared with sizes such as `200MB`.
    Size,
    /// A list of strings.
    TextList,
    /// An ordered map of strings (env, labels).
    TextMap,
    /// A map with fixed field names (healthcheck, a history layer).
    Record,
    /// A list of records (history layers, mounts, published ports).
    RecordList,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Bool => "boolean",
            Kind::Int => "integer",
            Kind::Text => "string",
            Kind::Duration => "duration",
            Kind::Size => "size",
            Kind::TextList => "list of strings",
            Kind::TextMap => "map of strings",
            Kind::Record => "record",
            Kind::RecordList => "list of records",
        }
    }
}

/// One addressable fact.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub path: &'static str,
    pub kind: Kind,
    pub summary: &'static str,
}

const fn e(path: &'static str, kind: Kind, summary: &'static str) -> Entry {
    Entry {
        path,
        kind,
        summary,
    }
}

use Kind::*;

/// Every fact name, in documentation order.
pub const ENTRIES: &[Entry] = &[
    // ── image ──
    e("image", Record, "The image configuration (from image inspect, podman image inspect or an OCI config)"),
    e("image.id", Text, "Image id, `sha256:…`"),
    e("image.tags", TextList, "Repository tags, `name:tag`"),
    e("image.digests", TextList, "Repository digests, `name@sha256:…`"),
    e("image.created", Text, "Creation time as written (RFC 3339)"),
    e("image.author", Text, "Author field"),
    e("image.os", Text, "Operating system, e.g. `linux`"),
    e("image.architecture", Text, "CPU architecture, e.g. `amd64`"),
    e("image.variant", Text, "Architecture variant, e.g. `v8`"),
    e("image.platform", Text, "`os/architecture[/variant]`, e.g. `linux/amd64`"),
    e("image.size", Size, "Image size in bytes"),
    e("image.layer_count", Int, "Number of filesystem layers (RootFS.Layers / rootfs.diff_ids)"),
    e("image.user", Text, "`USER` as written (`\"\"` when unset: root)"),
    e("image.uid", Int, "Numeric UID when the user is given as a number (`1001` or `1001:1001`); `root` and `\"\"` are 0"),
    e("image.gid", Int, "Numeric GID when given (`1001:1001`)"),
    e("image.user_name", Text, "User name when the user is given by name (`appuser`)"),
    e("image.group_name", Text, "Group name when given by name (`appuser:appgroup`)"),
    e("image.runs_as_root", Bool, "True when the user is unset, empty, `root`, `0`, `0:…` or `root:…`"),
    e("image.ports", TextList, "Exposed ports as `8000/tcp` (protocol defaults to tcp)"),
    e("image.env", TextMap, "Environment baked into the image, in order; secret-looking values are masked in output"),
    e("image.entrypoint", TextList, "ENTRYPOINT (a string entrypoint becomes a one-element list)"),
    e("image.cmd", TextList, "CMD"),
    e("image.command", TextList, "ENTRYPOINT followed by CMD: the argv the container starts with"),
    e("image.command_line", Text, "`image.command` joined with spaces"),
    e("image.workdir", Text, "WORKDIR"),
    e("image.labels", TextMap, "Labels"),
    e("image.volumes", TextList, "VOLUME paths"),
    e("image.shell", TextList, "SHELL"),
    e("image.onbuild", TextList, "ONBUILD triggers"),
    e("image.stop_signal", Text, "STOPSIGNAL as a name (`15` becomes `SIGTERM`); absent when not set"),
    e("image.effective_stop_signal", Text, "The signal `docker stop` sends: STOPSIGNAL, or `SIGTERM` when absent"),
    e("image.healthcheck", Record, "HEALTHCHECK; absent when the image declares none"),
    e("image.healthcheck.test", TextList, "The test as stored, e.g. `[\"CMD-SHELL\", \"curl -f …\"]`"),
    e("image.healthcheck.type", Text, "`CMD`, `CMD-SHELL` or `NONE` (disabled)"),
    e("image.healthcheck.command", Text, "The command the test runs, joined with spaces"),
    e("image.healthcheck.interval", Duration, "Interval; docker's default 30s applies when 0 or unset"),
    e("image.healthcheck.timeout", Duration, "Timeout; default 30s when 0 or unset"),
    e("image.healthcheck.start_period", Duration, "Start period; default 0s when unset"),
    e("image.healthcheck.start_interval", Duration, "Start interval; default 5s when 0 or unset"),
    e("image.healthcheck.retries", Int, "Retries; default 3 when 0 or unset"),
    // ── history ──
    e("history", RecordList, "Layers, oldest first, from docker/podman history or an image config's `history`"),
    e("history[].index", Int, "0-based position, oldest first"),
    e("history[].id", Text, "Layer image id, or `<missing>`; unknown (not recorded) in an image config's history"),
    e("history[].created", Text, "Creation time as written"),
    e("history[].created_by", Text, "The command that made the layer; secret-looking values masked in output"),
    e("history[].instruction", Text, "Dockerfile instruction it came from: `RUN`, `COPY`, `ADD`, `ENV`, `CMD`, … (`RUN` for shell commands without `#(nop)`)"),
    e("history[].arguments", Text, "The instruction's text after its keyword (`pip install …` for a RUN)"),
    e("history[].secrets", Bool, "True when the masker hides a secret in `created_by` (a secret-looking name's value, URL credentials, a secret option or header: exactly what reports show as `***`); unknown when a truncated line shows none"),
    e("history[].size", Size, "Layer size in bytes; unknown (not recorded) in an image config's history"),
    e("history[].empty_layer", Bool, "True for metadata-only entries (ENV, CMD, …)"),
    e("history[].comment", Text, "Comment"),
    e("history[].truncated", Bool, "True when `created_by` was printed truncated (no `--no-trunc`)"),
    e("history[].tags", TextList, "Tags of the layer's image id (Engine API and podman history; unknown elsewhere)"),
    // ── container ──
    e("container", Record, "The container (from docker or podman container inspect)"),
    e("container.id", Text, "Container id"),
    e("container.name", Text, "Container name (without the leading `/`)"),
    e("container.image", Text, "Image reference the container was created from (`Config.Image`)"),
    e("container.image_id", Text, "Image id (`sha256:…`)"),
    e("container.status", Text, "State.Status (`running`, `exited`, …)"),
    e("container.health_status", Text, "State.Health.Status when the container has a healthcheck"),
    e("container.privileged", Bool, "HostConfig.Privileged"),
    e("container.read_only_rootfs", Bool, "HostConfig.ReadonlyRootfs"),
    e("container.cap_add", TextList, "Added capabilities, normalised to upper case without `CAP_` (`NET_ADMIN`, `ALL`)"),
    e("container.cap_drop", TextList, "Dropped capabilities, normalised the same way"),
    e("container.security_opt", TextList, "HostConfig.SecurityOpt as written"),
    e("container.masked_paths", TextList, "HostConfig.MaskedPaths: paths hidden from the container (empty with `--security-opt systempaths=unconfined`; absent when privileged or not printed, as by podman)"),
    e("container.readonly_paths", TextList, "HostConfig.ReadonlyPaths: paths mounted read-only (empty with `systempaths=unconfined`; absent when privileged or not printed)"),
    e("container.no_new_privileges", Bool, "True when `no-new-privileges` (or `no-new-privileges:true`) is set"),
    e("container.seccomp", Text, "Seccomp profile: `default` when not set, `unconfined`, or the profile given"),
    e("container.apparmor", Text, "AppArmor profile (`AppArmorProfile` or `apparmor=` option); absent when none"),
    e("container.user", Text, "Runtime user (`Config.User`) as written"),
    e("container.uid", Int, "Numeric runtime UID when given as a number; `root` and `\"\"` are 0"),
    e("container.gid", Int, "Numeric runtime GID when given"),
    e("container.user_name", Text, "Runtime user name when given by name"),
    e("container.runs_as_root", Bool, "True when the runtime user is unset, empty, root or 0"),
    e("container.network_mode", Text, "HostConfig.NetworkMode (`host` shares the host's network)"),
    e("container.pid_mode", Text, "HostConfig.PidMode (`host` shares the host's PIDs); absent when empty"),
    e("container.ipc_mode", Text, "HostConfig.IpcMode; absent when empty"),
    e("container.uts_mode", Text, "HostConfig.UTSMode; absent when empty"),
    e("container.userns_mode", Text, "HostConfig.UsernsMode; absent when empty"),
    e("container.memory", Size, "Memory limit; absent when unlimited (0)"),
    e("container.nano_cpus", Int, "CPU limit in billionths of a CPU; absent when unlimited (0)"),
    e("container.cpu_quota", Int, "CFS quota; absent when unlimited (0)"),
    e("container.pids_limit", Int, "PIDs limit; absent when unlimited (null, 0 or -1)"),
    e("container.restart_policy", Text, "Restart policy name (`no`, `always`, `on-failure`, `unless-stopped`)"),
    e("container.restart_max_retries", Int, "Restart policy maximum retry count"),
    e("container.mounts", RecordList, "Mounts and binds"),
    e("container.mounts[].type", Text, "`bind`, `volume` or `tmpfs`"),
    e("container.mounts[].source", Text, "Host path or volume name"),
    e("container.mounts[].destination", Text, "Path inside the container"),
    e("container.mounts[].rw", Bool, "True when writable"),
    e("container.mounts[].mode", Text, "Mode string as written"),
    e("container.ports", RecordList, "Published ports"),
    e("container.ports[].port", Text, "Container port as `8000/tcp`"),
    e("container.ports[].host_ip", Text, "Host IP it is bound to (`0.0.0.0` when empty)"),
    e("container.ports[].host_port", Text, "Host port"),
    e("container.devices", TextList, "Host devices mapped in, as `host:container:perms`"),
    e("container.env", TextMap, "Runtime environment (image env plus `-e`), in order; secrets masked in output"),
    e("container.healthcheck", Record, "The container's healthcheck (same fields as `image.healthcheck`)"),
    e("container.healthcheck.test", TextList, "As for the image"),
    e("container.healthcheck.type", Text, "As for the image"),
    e("container.healthcheck.command", Text, "As for the image"),
    e("container.healthcheck.interval", Duration, "As for the image"),
    e("container.healthcheck.timeout", Duration, "As for the image"),
    e("container.healthcheck.start_period", Duration, "As for the image"),
    e("container.healthcheck.start_interval", Duration, "As for the image"),
    e("container.healthcheck.retries", Int, "As for the image"),
    e("container.stop_signal", Text, "Config.StopSignal as a name; absent when not set"),
    e("container.effective_stop_signal", Text, "The signal `docker stop` sends: StopSignal, or SIGTERM"),
];

/// Looks a path up (`image.healthcheck.interval`, `history[].created_by`).
pub fn lookup(path: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.path == path)
}

/// The fields of the elements of a record list or record (`history` → `index`, `created_by`, …).
pub fn element_fields(list_path: &str) -> impl Iterator<Item = &'static Entry> + '_ {
    ENTRIES.iter().filter(move |e| {
        e.path
            .strip_prefix(list_path)
            .and_then(|rest| rest.strip_prefix("[]."))
            .is_some_and(|field| !field.contains('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_parents_exist() {
        for (i, a) in ENTRIES.iter().enumerate() {
            for b in ENTRIES.iter().skip(i + 1) {
                assert_ne!(a.path, b.path);
            }
            let root = a.path.split(['.', '[']).next().unwrap();
            assert!(lookup(root).is_some(), "{} has no root entry", a.path);
        }
    }

    #[test]
    fn history_fields_are_listed() {
        let fields: Vec<_> = element_fields("history").map(|e| e.path).collect();
        assert!(fields.contains(&"history[].created_by"));
        assert!(!fields.contains(&"history"));
    }
}
