//! The parsed JSON of a dump: an owned tree built by serde_json's parser, cheaper to build than
//! `serde_json::Value`.
//!
//! Parsing is the largest cost of reading a dump. With the workspace's `preserve_order`, a `Value`
//! object is an `IndexMap` that hashes every key with SipHash and allocates every key. The
//! objects of a dump are small and read a few times each, so here an object is a plain list of members,
//! and the keys docker, podman, the Engine API and OCI configs print are interned (a `&'static str`, no
//! allocation); other keys are owned. The text is still parsed by serde_json (this is only its
//! `Deserialize`): the same syntax errors, positions and depth limit.
//!
//! The behaviour is `Value`'s: a repeated key keeps the position of its first occurrence and the value
//! of its last, numbers are what serde_json's `Value` makes of them, and [`Json`] serialises (and
//! displays) as the `Value` of the same text would.

use crate::facts::{Key, Str};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::Number;
use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap};
use std::fmt;

/// A JSON value.
#[derive(Clone, Default, PartialEq)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    /// A part of the parsed text where the string has no escapes (no copy: see [`with_source`]),
    /// else its own.
    String(Str),
    Array(Vec<Json>),
    Object(Object),
}

/// A JSON object: its members in the order written, each key once.
#[derive(Clone, Default)]
pub struct Object(Vec<(Key, Json)>);

impl Json {
    /// The member `key` of an object (`None` for a missing key or a value that is not an object).
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// The value at an RFC 6901 pointer (`""` is the value itself), as `Value::pointer` finds it.
    pub fn pointer(&self, pointer: &str) -> Option<&Json> {
        if pointer.is_empty() {
            return Some(self);
        }
        if !pointer.starts_with('/') {
            return None;
        }
        pointer
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .try_fold(self, |target, token| match target {
                Json::Object(o) => o.get(&token),
                Json::Array(items) => array_index(&token).and_then(|i| items.get(i)),
                _ => None,
            })
    }

    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Object> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Json>> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Json>> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Json::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    pub fn is_boolean(&self) -> bool {
        matches!(self, Json::Bool(_))
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Json::Number(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Json::String(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Json::Array(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }
}

/// An array index token as `Value::pointer` reads it: digits, no sign, no leading zero.
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

impl Object {
    /// The value of member `key`. A linear search: the objects of a dump are small, and no reader looks
    /// a key up in a large one more than a fixed number of times.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The members in the order written.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &Json)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Key, &mut Json)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &Json> {
        self.0.iter().map(|(_, v)| v)
    }
}

impl<'a> IntoIterator for &'a Object {
    type Item = (&'a Key, &'a Json);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (Key, Json)>, fn(&'a (Key, Json)) -> Self::Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// Equal when they have the same members, in any order (as serde_json's `Map` compares).
impl PartialEq for Object {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

/// The members of an object being parsed. A repeated key replaces the earlier value in place (what
/// serde_json's `Map` does). Keys are compared one by one while the object is small; a larger one
/// gets an index, so an object of 100,000 keys is not quadratic to read.
#[derive(Default)]
struct Members {
    entries: Vec<(Key, Json)>,
    /// The position of each key, once there are [`Members::SMALL`] members.
    index: HashMap<Key, usize>,
}

impl Members {
    /// Up to here comparing is cheaper than hashing (callgrind: with 8, hashing was 4% of checking
    /// `inspect-125`; a container's `HostConfig` has about 60 keys).
    const SMALL: usize = 64;

    fn insert(&mut self, key: Key, value: Json) {
        let found = if self.entries.len() < Self::SMALL {
            self.entries.iter().position(|(k, _)| *k == key)
        } else {
            if self.index.len() < self.entries.len() {
                // the first time the object has SMALL members (keys are distinct: one each)
                self.index = (self.entries.iter().enumerate())
                    .map(|(i, (k, _))| (k.clone(), i))
                    .collect();
            }
            match self.index.entry(key.clone()) {
                Entry::Occupied(at) => Some(*at.get()),
                Entry::Vacant(at) => {
                    at.insert(self.entries.len());
                    None
                }
            }
        };
        match found.and_then(|i| self.entries.get_mut(i)) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key, value)),
        }
    }
}

thread_local! {
    /// The text [`with_source`] is parsing.
    static SOURCE: std::cell::RefCell<Option<std::sync::Arc<str>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `parse` with `whole` as the text it parses: each string it reads without escapes (most of a
/// dump's) becomes a part of `whole` ([`Str::part`]), not a copy, and so do the facts' texts cloned from
/// it. The text is held while any of its strings is.
pub(crate) fn with_source<R>(whole: &std::sync::Arc<str>, parse: impl FnOnce() -> R) -> R {
    /// Puts back the text that was there before (a parse in a parse), also on unwinding.
    struct Restore(Option<std::sync::Arc<str>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let before = self.0.take();
            let _ = SOURCE.try_with(|source| {
                if let Ok(mut source) = source.try_borrow_mut() {
                    *source = before;
                }
            });
        }
    }
    let before = SOURCE
        .try_with(|source| {
            source
                .try_borrow_mut()
                .ok()
                .and_then(|mut source| source.replace(whole.clone()))
        })
        .ok()
        .flatten();
    let _restore = Restore(before);
    parse()
}

/// `s` as a part of the text being parsed when it lies in it, else a copy.
fn part_of_source(s: &str) -> Str {
    let part = SOURCE.try_with(|source| {
        let source = source.try_borrow().ok()?;
        Some(Str::within(source.as_ref()?, s))
    });
    part.ok().flatten().unwrap_or_else(|| Str::from(s))
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// Builds what serde_json's `Value` visitor builds, with [`Object`]s and interned keys.
struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
        Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json, E> {
        Ok(Json::String(part_of_source(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(Str::from(s)))
    }

    fn visit_string<E>(self, s: String) -> Result<Json, E> {
        Ok(Json::String(Str::from(s)))
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        Json::deserialize(deserializer)
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        // room for the members of most objects a dump has (a history line has 6 or 7): one allocation
        // where growing from empty takes two or three
        let mut members = Members {
            entries: Vec::with_capacity(8),
            index: HashMap::new(),
        };
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value()?;
            members.insert(key, value);
        }
        Ok(Json::Object(Object(members.entries)))
    }
}

/// An object key, interned when it is a known name.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(KeySeed)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, s: &str) -> Result<Key, E> {
        Ok(intern(s).map_or_else(|| Cow::Owned(s.to_string()), Cow::Borrowed))
    }

    fn visit_string<E>(self, s: String) -> Result<Key, E> {
        Ok(key(s))
    }
}

/// A key from an owned string: interned when known (the string is dropped), else kept.
fn key(s: String) -> Key {
    intern(&s).map_or(Cow::Owned(s), Cow::Borrowed)
}

/// `Value`s passed by callers that parsed the JSON themselves (JavaScript objects).
impl From<serde_json::Value> for Json {
    fn from(value: serde_json::Value) -> Json {
        match value {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(b),
            serde_json::Value::Number(n) => Json::Number(n),
            serde_json::Value::String(s) => Json::String(Str::from(s)),
            serde_json::Value::Array(items) => {
                Json::Array(items.into_iter().map(Json::from).collect())
            }
            // a `Map` holds each key once
            serde_json::Value::Object(map) => Json::Object(Object(
                map.into_iter()
                    .map(|(k, v)| (key(k), Json::from(v)))
                    .collect(),
            )),
        }
    }
}

impl Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s.as_str()),
            Json::Array(items) => items.serialize(serializer),
            Json::Object(o) => o.serialize(serializer),
        }
    }
}

impl Serialize for Object {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(&**k, v)?;
        }
        map.end()
    }
}

/// Compact JSON (`{:#}`: pretty-printed), as `Value` displays.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let text = if f.alternate() {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string(self)
        };
        f.write_str(&text.map_err(|_| fmt::Error)?)
    }
}

/// `Value`'s debug form (`Object {"a": Number(1)}`).
impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Json::Null => f.write_str("Null"),
            Json::Bool(b) => write!(f, "Bool({b})"),
            Json::Number(n) => fmt::Debug::fmt(n, f),
            Json::String(s) => write!(f, "String({s:?})"),
            Json::Array(items) => {
                f.write_str("Array ")?;
                fmt::Debug::fmt(items, f)
            }
            Json::Object(o) => {
                f.write_str("Object ")?;
                fmt::Debug::fmt(o, f)
            }
        }
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Defines [`intern`] and [`INTERNED`] from one list of names.
macro_rules! interned {
    ($($name:literal)*) => {
        /// The keys that are interned, for tests.
        #[cfg(test)]
        const INTERNED: &[&str] = &[$($name),*];

        /// The `&'static str` of a key docker, podman, the Engine API or an OCI config prints (and of
        /// the standard labels), so that parsing does not allocate it.
        fn intern(s: &str) -> Option<&'static str> {
            match s {
                $($name => Some($name),)*
                _ => None,
            }
        }
    };
}

interned! {
    // image inspect (docker, podman), Docker 29 descriptors
    "Id" "RepoTags" "RepoDigests" "Parent" "Comment" "Created" "Container" "ContainerConfig"
    "DockerVersion" "Author" "Config" "Architecture" "Variant" "Os" "OsVersion" "Size" "VirtualSize"
    "GraphDriver" "Data" "Name" "LowerDir" "MergedDir" "UpperDir" "WorkDir" "RootFS" "Type" "Layers"
    "BaseLayer" "Metadata" "LastTagTime" "Descriptor" "Identity" "Pull" "Build" "Repository"
    "Digest" "Version" "Labels" "Annotations" "ManifestType" "User" "History" "NamesHistory"
    "mediaType" "digest" "size" "annotations" "platform" "urls"
    // Config
    "Hostname" "Domainname" "AttachStdin" "AttachStdout" "AttachStderr" "ExposedPorts" "Tty"
    "OpenStdin" "StdinOnce" "Env" "Cmd" "Healthcheck" "ArgsEscaped" "Image" "Volumes" "WorkingDir"
    "Entrypoint" "NetworkDisabled" "MacAddress" "OnBuild" "StopSignal" "StopTimeout" "Shell"
    "Test" "Interval" "Timeout" "StartPeriod" "StartInterval" "Retries"
    "HealthcheckOnFailureAction" "CreateCommand" "Umask" "Passwd" "sdNotifyMode" "Timezone"
    // container inspect
    "Path" "Args" "State" "ResolvConfPath" "HostnamePath" "HostsPath" "LogPath" "RestartCount"
    "Driver" "Platform" "MountLabel" "ProcessLabel" "AppArmorProfile" "ExecIDs" "HostConfig"
    "SizeRw" "SizeRootFs" "Mounts" "NetworkSettings" "ImageManifestDescriptor"
    "Status" "Running" "Paused" "Restarting" "OOMKilled" "Dead" "Pid" "ExitCode" "Error"
    "StartedAt" "FinishedAt" "Health" "FailingStreak" "Log" "Start" "End" "Output"
    "Source" "Destination" "Mode" "RW" "Propagation" "Target" "Options"
    // HostConfig
    "Binds" "ContainerIDFile" "LogConfig" "NetworkMode" "PortBindings" "HostIp" "HostPort"
    "RestartPolicy" "MaximumRetryCount" "AutoRemove" "VolumeDriver" "VolumesFrom" "ConsoleSize"
    "CapAdd" "CapDrop" "CgroupnsMode" "Dns" "DnsOptions" "DnsSearch" "ExtraHosts" "GroupAdd"
    "IpcMode" "Cgroup" "Links" "OomScoreAdj" "PidMode" "Privileged" "PublishAllPorts"
    "ReadonlyRootfs" "SecurityOpt" "StorageOpt" "Tmpfs" "UTSMode" "UsernsMode" "ShmSize" "Sysctls"
    "Runtime" "Isolation" "CpuShares" "Memory" "NanoCpus" "CgroupParent" "BlkioWeight"
    "BlkioWeightDevice" "BlkioDeviceReadBps" "BlkioDeviceWriteBps" "BlkioDeviceReadIOps"
    "BlkioDeviceWriteIOps" "CpuPeriod" "CpuQuota" "CpuRealtimePeriod" "CpuRealtimeRuntime"
    "CpusetCpus" "CpusetMems" "Devices" "DeviceCgroupRules" "DeviceRequests" "KernelMemory"
    "KernelMemoryTCP" "MemoryReservation" "MemorySwap" "MemorySwappiness" "OomKillDisable"
    "PidsLimit" "Ulimits" "Soft" "Hard" "CpuCount" "CpuPercent" "IOMaximumIOps"
    "IOMaximumBandwidth" "MaskedPaths" "ReadonlyPaths" "Init" "PathOnHost" "PathInContainer"
    "CgroupPermissions"
    // NetworkSettings
    "Bridge" "SandboxID" "SandboxKey" "HairpinMode" "LinkLocalIPv6Address" "LinkLocalIPv6PrefixLen"
    "Ports" "SecondaryIPAddresses" "SecondaryIPv6Addresses" "EndpointID" "Gateway"
    "GlobalIPv6Address" "GlobalIPv6PrefixLen" "IPAddress" "IPPrefixLen" "IPv6Gateway" "Networks"
    "IPAMConfig" "Aliases" "DriverOpts" "NetworkID" "DNSNames" "GwPriority" "bridge"
    // podman container inspect
    "OciVersion" "ConmonPid" "CgroupPath" "CheckpointedAt" "RestoredAt" "ImageDigest" "ImageName"
    "Rootfs" "Pod" "StaticDir" "OCIConfigPath" "OCIRuntime" "ConmonPidFile" "PidFile"
    "EffectiveCaps" "BoundingCaps" "Dependencies" "Namespace" "IsInfra" "IsService"
    "KubeExitCodePropagation" "lockNumber" "ExitCommand" "CgroupConf" "CgroupManager" "CgroupMode"
    "Cgroups" "DiskQuota" "IDMappings" "TmpfsOptions" "SizeBytes" "Tag"
    // history: docker history lines, the Engine API, podman
    "ID" "CreatedAt" "CreatedBy" "CreatedSince" "Tags" "id" "created" "createdBy" "comment" "tags"
    // OCI image config, docker save
    "author" "architecture" "os" "os.version" "os.features" "variant" "config" "rootfs" "diff_ids"
    "type" "history" "created_by" "empty_layer" "container" "container_config" "docker_version"
    "parent" "schemaVersion" "layers" "manifests" "fsLayers"
    // standard labels
    "maintainer" "org.opencontainers.image.created" "org.opencontainers.image.authors"
    "org.opencontainers.image.url" "org.opencontainers.image.documentation"
    "org.opencontainers.image.source" "org.opencontainers.image.version"
    "org.opencontainers.image.revision" "org.opencontainers.image.vendor"
    "org.opencontainers.image.licenses" "org.opencontainers.image.ref.name"
    "org.opencontainers.image.title" "org.opencontainers.image.description"
    "org.opencontainers.image.base.digest" "org.opencontainers.image.base.name"
    "com.docker.compose.config-hash" "com.docker.compose.container-number"
    "com.docker.compose.depends_on" "com.docker.compose.image" "com.docker.compose.oneoff"
    "com.docker.compose.project" "com.docker.compose.project.config_files"
    "com.docker.compose.project.working_dir" "com.docker.compose.replace"
    "com.docker.compose.service" "com.docker.compose.version"
}

/// `serde_json::json!` as a [`Json`], for tests.
#[cfg(test)]
macro_rules! json {
    ($($json:tt)+) => {
        $crate::input::Json::from(serde_json::json!($($json)+))
    };
}
#[cfg(test)]
pub(crate) use json;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    fn keys(value: &Json) -> Vec<(&str, bool)> {
        value
            .as_object()
            .unwrap()
            .keys()
            .map(|k| (&**k, matches!(k, Cow::Borrowed(_))))
            .collect()
    }

    /// Whether each string member of `value` is a part of the parsed text (not a copy).
    fn shared(value: &Json) -> Vec<(&str, bool)> {
        value
            .as_object()
            .unwrap()
            .iter()
            .filter_map(|(_, v)| match v {
                Json::String(s) => Some((s.as_str(), s.shared_part().is_some())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn strings_without_escapes_are_parts_of_the_source() {
        let text = r#"{"a": "plain", "b": "esc\"aped", "c": "", "d": "é ✓"}"#;
        let whole: std::sync::Arc<str> = text.into();
        let v: Json = with_source(&whole, || serde_json::from_str(&whole).unwrap());
        assert_eq!(
            shared(&v),
            [
                ("plain", true),
                ("esc\"aped", false),
                ("", true),
                ("é ✓", true)
            ]
        );
        // the same text parsed outside `with_source`, or another text inside it: copies
        let copied = parse(text);
        assert!(shared(&copied).iter().all(|(_, part)| !part));
        let other: Json = with_source(&whole, || parse(r#"{"a": "plain"}"#));
        assert_eq!(shared(&other), [("plain", false)]);
        // nested: the outer text is back once the inner parse is done
        let inner: std::sync::Arc<str> = r#"{"x": "y"}"#.into();
        let (a, b) = with_source(&whole, || {
            let a: Json = with_source(&inner, || serde_json::from_str(&inner).unwrap());
            let b: Json = serde_json::from_str(&whole).unwrap();
            (a, b)
        });
        assert_eq!(shared(&a), [("y", true)]);
        assert_eq!(shared(&b), shared(&v));
        assert_eq!(b, v);
    }

    #[test]
    fn known_keys_are_interned() {
        let v = parse(r#"{"Id": 1, "x-custom": 2, "Cr\u0065atedBy": 3, "8000/tcp": {}}"#);
        assert_eq!(
            keys(&v),
            [
                ("Id", true),
                ("x-custom", false),
                ("CreatedBy", true),
                ("8000/tcp", false)
            ]
        );
        for name in INTERNED {
            assert_eq!(intern(name), Some(*name));
        }
        assert_eq!(intern("id "), None);
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        let text = r#"{"User": "0", "Env": [], "User": "1001", "x": 1, "x": {"a": 2}}"#;
        let v = parse(text);
        assert_eq!(keys(&v), [("User", true), ("Env", true), ("x", false)]);
        assert_eq!(v.get("User"), Some(&Json::String("1001".into())));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            serde_json::from_str::<serde_json::Value>(text)
                .unwrap()
                .to_string()
        );
    }

    #[test]
    fn a_large_object_with_repeated_keys() {
        let n = 100_000;
        let mut text = String::from("{");
        for i in 0..n {
            text.push_str(&format!("\"k{i}\": {i},"));
        }
        // again, in another order, and a known key twice
        for i in (0..n).step_by(7).rev() {
            text.push_str(&format!("\"k{i}\": \"again\","));
        }
        text.push_str("\"Id\": 1, \"Id\": 2}");
        let v = parse(&text);
        let o = v.as_object().unwrap();
        assert_eq!(o.len(), n + 1);
        assert_eq!(o.get("k7"), Some(&Json::String("again".into())));
        assert_eq!(o.get("k8").and_then(Json::as_u64), Some(8));
        assert_eq!(o.get("Id").and_then(Json::as_u64), Some(2));
        assert_eq!(o.keys().nth(7).map(|k| &**k), Some("k7"));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap()
                .to_string()
        );
    }

    #[test]
    fn numbers_are_values_numbers() {
        let text = "[0, -0, 1, -1, 18446744073709551615, -9223372036854775808, 1.5, -0.0, 1e3, 2.5e-308, 3e10]";
        let v = parse(text);
        let expected = serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(v, Json::from(expected.clone()));
        assert_eq!(v.to_string(), expected.to_string());
        let items = v.as_array().unwrap();
        assert_eq!(items[4].as_u64(), Some(u64::MAX));
        assert_eq!(items[5].as_i64(), Some(i64::MIN));
        assert_eq!(items[6].as_f64(), Some(1.5));
        assert_eq!(items[0].as_i64(), Some(0));
        assert!(items[8].as_i64().is_none());
    }

    #[test]
    fn serialises_and_displays_as_value() {
        let text = r#"{"b": [true, null, "s\"\u00e9\n", {}], "a": {"Config": {"Env": ["A=1"]}}, "n": 1.25}"#;
        let v = parse(text);
        let expected = serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), expected.to_string());
        assert_eq!(format!("{v}"), format!("{expected}"));
        assert_eq!(format!("{v:#}"), format!("{expected:#}"));
        assert_eq!(format!("{v:?}"), format!("{expected:?}"));
        assert_eq!(Json::from(expected), v);
    }

    #[test]
    fn pointers_and_lookups() {
        let v = parse(r#"{"a/b": [{"c~d": 1}], "Config": null, "x": "y"}"#);
        assert_eq!(v.pointer("/a~1b/0/c~0d").and_then(Json::as_i64), Some(1));
        assert_eq!(v.pointer(""), Some(&v));
        assert_eq!(v.pointer("a"), None);
        assert_eq!(v.pointer("/a~1b/00"), None);
        assert_eq!(v.pointer("/a~1b/+0"), None);
        assert!(v.get("Config").is_some_and(Json::is_null));
        assert_eq!(v.get("x").and_then(Json::as_str), Some("y"));
        assert_eq!(v.get("missing"), None);
        assert_eq!(Json::Null.get("x"), None);
    }

    #[test]
    fn objects_compare_like_maps() {
        assert_eq!(parse(r#"{"a": 1, "b": 2}"#), parse(r#"{"b": 2, "a": 1}"#));
        assert_ne!(parse(r#"{"a": 1}"#), parse(r#"{"a": 1, "b": 2}"#));
    }
}
