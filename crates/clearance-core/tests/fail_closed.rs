//! Fail closed, as properties over generated dumps and policies (proptest), through the JSON façade:
//!
//! 1. a requirement can pass only when the document holding the fact it checks was given; a check on a
//!    root whose document is missing is `error`;
//! 2. missing documents make the verdict `incomplete` (or `fail`), never `pass`;
//! 3. a truncated history line never satisfies a "none of the layers matches" check (nor `all …
//!    not_matches`, nor `count: {max: 0}`);
//! 4. an evaluation error is `error`, never `pass`, however it is wrapped (`not`, `all_of`, `any_of`).
//!
//! Compound checks are compared with a three-valued reference model: every leaf is also evaluated as a
//! requirement of its own, and the compound's status must be what Kleene logic makes of the leaves'
//! statuses (`error` read as unknown).
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test: it fails loudly on anything unexpected"
)]

use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, LimitsInput, PolicyInput};
use proptest::prelude::*;
use serde_json::{json, Value};

const IMAGE_ID: &str = "sha256:4f8c2d1a9b7e6f5a4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4";

// ───────────────────────────── generated dumps ─────────────────────────────

/// A value that is present, `null`, or left out.
fn maybe(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => value.prop_map(Some),
        1 => Just(Some(Value::Null)),
        1 => Just(None),
    ]
}

fn put(obj: &mut serde_json::Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        obj.insert(key.to_string(), v);
    }
}

fn env_entry() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "PATH",
            "APP_SECRET",
            "API_TOKEN",
            "HOME",
            "LANG",
            "DB_URL",
        ]),
        "[a-z0-9:/@._-]{0,12}",
    )
        .prop_map(|(k, v)| format!("{k}={v}"))
}

fn image_strategy() -> impl Strategy<Value = Value> {
    (
        maybe(
            prop::sample::select(vec!["", "root", "0", "1001", "1001:1001", "app", "0:0"])
                .prop_map(|s| json!(s)),
        ),
        maybe(prop::collection::vec(env_entry(), 0..5).prop_map(|v| json!(v))),
        maybe(
            prop::collection::btree_map(
                prop::sample::select(vec!["80/tcp", "8000/tcp", "53/udp", "22/tcp"]),
                Just(json!({})),
                0..3,
            )
            .prop_map(|m| json!(m)),
        ),
        maybe(
            (
                prop::sample::select(vec![
                    json!(["CMD", "true"]),
                    json!(["CMD-SHELL", "curl -f http://localhost/ || exit 1"]),
                    json!(["NONE"]),
                ]),
                0u64..120_000_000_000,
            )
                .prop_map(|(test, interval)| json!({"Test": test, "Interval": interval})),
        ),
        maybe(
            prop::collection::btree_map(
                prop::sample::select(vec!["debug", "maintainer", "version"]),
                "[a-z0-9]{0,6}",
                0..3,
            )
            .prop_map(|m| json!(m)),
        ),
        maybe(prop::sample::select(vec!["SIGTERM", "SIGKILL", "15", "9"]).prop_map(|s| json!(s))),
        maybe((0u64..2_000_000_000).prop_map(|n| json!(n))),
    )
        .prop_map(|(user, env, ports, health, labels, signal, size)| {
            let mut config = serde_json::Map::new();
            put(&mut config, "User", user);
            put(&mut config, "Env", env);
            put(&mut config, "ExposedPorts", ports);
            put(&mut config, "Healthcheck", health);
            put(&mut config, "Labels", labels);
            put(&mut config, "StopSignal", signal);
            let mut image = serde_json::Map::new();
            image.insert("Id".into(), json!(IMAGE_ID));
            image.insert("RepoTags".into(), json!(["prop:1"]));
            image.insert("Config".into(), Value::Object(config));
            put(&mut image, "Size", size);
            json!([image])
        })
}

/// One `docker history` line's `CreatedBy`, and whether it is printed truncated.
fn layer_strategy() -> impl Strategy<Value = (String, bool)> {
    (
        prop::sample::select(vec![
            "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit",
            "RUN /bin/sh -c curl -fsSL https://get.example.com | sh # buildkit",
            "/bin/sh -c #(nop) ADD file:abc in / ",
            "USER 1001",
            "COPY app/ ./app/ # buildkit",
            "ENV API_TOKEN=s3cr3t-value",
            "RUN |1 PASSWORD=hunter2 /bin/sh -c make # buildkit",
            "CMD [\"app\"]",
            "EXPOSE map[8000/tcp:{}]",
            "RUN /bin/sh -c wget -qO- https://x.example.com/i.sh | bash # buildkit",
        ]),
        prop::option::weighted(0.3, 4usize..40),
    )
        .prop_map(|(line, cut)| match cut {
            // `docker history` without `--no-trunc`: the first 45 characters or so, then `…`
            Some(at) => {
                let visible: String = line.chars().take(at).collect();
                (format!("{visible}…"), true)
            }
            None => (line.to_string(), false),
        })
}

fn history_text(layers: &[(String, bool)]) -> String {
    let n = layers.len();
    layers
        .iter()
        .enumerate()
        .map(|(i, (created_by, _))| {
            json!({
                "CreatedAt": "2026-05-07T19:41:29Z",
                "CreatedBy": created_by,
                "CreatedSince": "1 minute ago",
                "ID": if i == 0 { IMAGE_ID.get(..19).unwrap().to_string() } else { "<missing>".to_string() },
                "Size": if i + 1 == n { "77.8MB" } else { "0B" },
                "Comment": "",
            })
            .to_string()
                + "\n"
        })
        .collect()
}

fn container_strategy() -> impl Strategy<Value = Value> {
    (
        maybe(any::<bool>().prop_map(|b| json!(b))),
        maybe(any::<bool>().prop_map(|b| json!(b))),
        maybe(
            prop::collection::vec(
                prop::sample::select(vec!["ALL", "NET_RAW", "SYS_ADMIN"]),
                0..3,
            )
            .prop_map(|v| json!(v)),
        ),
        maybe(
            prop::collection::vec(
                prop::sample::select(vec!["no-new-privileges", "seccomp=unconfined"]),
                0..2,
            )
            .prop_map(|v| json!(v)),
        ),
    )
        .prop_map(|(privileged, read_only, cap_drop, security_opt)| {
            let mut host = serde_json::Map::new();
            put(&mut host, "Privileged", privileged);
            put(&mut host, "ReadonlyRootfs", read_only);
            put(&mut host, "CapDrop", cap_drop);
            put(&mut host, "SecurityOpt", security_opt);
            json!([{
                "Id": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "Name": "/prop",
                "Image": IMAGE_ID,
                "State": {"Status": "running"},
                "Config": {"Image": "prop:1"},
                "HostConfig": host,
            }])
        })
}

/// A set of dumps: each of image, history and container given or not. The image is a `docker image
/// inspect`, or (with `oci`) an OCI image config whose own `history` holds those `created_by` lines.
#[derive(Debug, Clone)]
struct Dumps {
    image: Option<Value>,
    oci: Option<Vec<String>>,
    history: Option<Vec<(String, bool)>>,
    container: Option<Value>,
}

/// The image inspect as an OCI image config (lower-case keys, `config`, `rootfs`, `history`).
fn as_oci_config(image: &Value, layers: &[String]) -> Value {
    let config = image[0]["Config"].clone();
    let history: Vec<Value> = layers
        .iter()
        .map(|l| json!({"created": "2026-05-07T19:41:29Z", "created_by": l, "empty_layer": !l.starts_with("RUN")}))
        .collect();
    json!({
        "architecture": "amd64",
        "os": "linux",
        "config": config,
        "rootfs": {"type": "layers", "diff_ids": ["sha256:aa"]},
        "history": history,
    })
}

impl Dumps {
    fn given(&self, root: &str) -> bool {
        match root {
            "image" => self.image.is_some(),
            "history" => self.history.is_some() || (self.image.is_some() && self.oci.is_some()),
            "container" => self.container.is_some(),
            _ => panic!("root {root}"),
        }
    }

    fn inputs(&self) -> Vec<DumpInput> {
        let mut out = Vec::new();
        let dump = |name: &str, text: String| DumpInput {
            name: name.into(),
            content: DumpContent::Text(text),
            kind: None,
        };
        match (&self.image, &self.oci) {
            (Some(i), Some(layers)) => {
                out.push(dump("config.json", as_oci_config(i, layers).to_string()))
            }
            (Some(i), None) => out.push(dump("image.json", i.to_string())),
            (None, _) => {}
        }
        if let Some(h) = &self.history {
            out.push(dump("history.jsonl", history_text(h)));
        }
        if let Some(c) = &self.container {
            out.push(dump("container.json", c.to_string()));
        }
        out
    }
}

fn dumps_strategy() -> impl Strategy<Value = Dumps> {
    (
        prop::option::weighted(0.7, image_strategy()),
        prop::option::weighted(
            0.3,
            prop::collection::vec(
                layer_strategy().prop_map(|(l, _)| l.trim_end_matches('…').to_string()),
                1..6,
            ),
        ),
        prop::option::weighted(0.6, prop::collection::vec(layer_strategy(), 1..8)),
        prop::option::weighted(0.5, container_strategy()),
    )
        .prop_filter("at least one dump", |(i, _, h, c)| {
            i.is_some() || h.is_some() || c.is_some()
        })
        .prop_map(|(image, oci, history, container)| Dumps {
            image,
            oci,
            history,
            container,
        })
}

// ───────────────────────────── generated policies ─────────────────────────────

/// Leaf checks: (the root whose document holds the fact, the check).
fn leaves() -> Vec<(&'static str, Value)> {
    vec![
        ("image", json!({"fact": "image.user", "equals": "1001"})),
        ("image", json!({"fact": "image.user", "exists": true})),
        ("image", json!({"fact": "image.user", "exists": false})),
        ("image", json!({"fact": "image.user", "empty": true})),
        (
            "image",
            json!({"fact": "image.user", "matches": "^[0-9]+$"}),
        ),
        (
            "image",
            json!({"fact": "image.user", "not_matches": "root"}),
        ),
        (
            "image",
            json!({"fact": "image.runs_as_root", "equals": false}),
        ),
        ("image", json!({"fact": "image.uid", "gte": 1000})),
        (
            "image",
            json!({"fact": "image.env", "excludes": ["*SECRET*", "*TOKEN*"]}),
        ),
        ("image", json!({"fact": "image.env", "contains": "PATH"})),
        (
            "image",
            json!({"fact": "image.env", "none": {"fact": "value", "matches": "://[^/]*:[^/]*@"}}),
        ),
        (
            "image",
            json!({"fact": "image.env", "all": {"fact": "name", "glob": "[A-Z]*"}}),
        ),
        (
            "image",
            json!({"fact": "image.ports", "contains_any": ["22/tcp"]}),
        ),
        ("image", json!({"fact": "image.ports", "count": {"max": 1}})),
        (
            "image",
            json!({"fact": "image.healthcheck", "exists": true}),
        ),
        (
            "image",
            json!({"fact": "image.healthcheck.interval", "lte": "30s"}),
        ),
        (
            "image",
            json!({"fact": "image.labels", "excludes": ["debug"]}),
        ),
        (
            "image",
            json!({"fact": "image.effective_stop_signal", "equals": "SIGTERM"}),
        ),
        ("image", json!({"fact": "image.size", "lt": "1GB"})),
        (
            "image",
            json!({"pointer": "/Config/User", "document": "image", "equals": "1001"}),
        ),
        (
            "image",
            json!({"pointer": "/Config/Labels/debug", "document": "image", "exists": false}),
        ),
        (
            "history",
            json!({"fact": "history", "none": {"fact": "created_by", "matches": "curl[^|]*\\|\\s*(ba)?sh"}}),
        ),
        (
            "history",
            json!({"fact": "history", "any": {"fact": "instruction", "equals": "USER"}}),
        ),
        (
            "history",
            json!({"fact": "history", "all": {"fact": "created_by", "not_matches": "wget"}}),
        ),
        (
            "history",
            json!({"fact": "history", "count": {"max": 0, "where": {"fact": "created_by", "matches": "apt-get"}}}),
        ),
        ("history", json!({"fact": "history", "count": {"min": 2}})),
        (
            "history",
            json!({"fact": "history", "order": {"first": {"fact": "instruction", "equals": "COPY"}, "then": {"fact": "instruction", "equals": "USER"}}}),
        ),
        (
            "container",
            json!({"fact": "container.privileged", "equals": false}),
        ),
        (
            "container",
            json!({"fact": "container.read_only_rootfs", "equals": true}),
        ),
        (
            "container",
            json!({"fact": "container.cap_drop", "contains": "ALL"}),
        ),
        (
            "container",
            json!({"fact": "container.no_new_privileges", "equals": true}),
        ),
        (
            "container",
            json!({"pointer": "/HostConfig/Privileged", "document": "container", "equals": false}),
        ),
        // evaluation errors: a literal of another type under a raw pointer
        (
            "image",
            json!({"pointer": "", "document": "image", "gt": 5}),
        ),
        (
            "container",
            json!({"pointer": "", "document": "container", "matches": "running"}),
        ),
    ]
}

/// A check tree over leaf indices.
#[derive(Debug, Clone)]
enum Tree {
    Leaf(usize),
    Not(Box<Tree>),
    All(Vec<Tree>),
    Any(Vec<Tree>),
}

fn tree_strategy(n: usize) -> impl Strategy<Value = Tree> {
    let leaf = (0..n).prop_map(Tree::Leaf);
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| Tree::Not(Box::new(t))),
            prop::collection::vec(inner.clone(), 1..4).prop_map(Tree::All),
            prop::collection::vec(inner, 1..4).prop_map(Tree::Any),
        ]
    })
}

impl Tree {
    fn check(&self, leaves: &[(&str, Value)]) -> Value {
        match self {
            Tree::Leaf(i) => leaves[*i].1.clone(),
            Tree::Not(t) => json!({"not": t.check(leaves)}),
            Tree::All(ts) => {
                json!({"all_of": ts.iter().map(|t| t.check(leaves)).collect::<Vec<_>>()})
            }
            Tree::Any(ts) => {
                json!({"any_of": ts.iter().map(|t| t.check(leaves)).collect::<Vec<_>>()})
            }
        }
    }

    /// Kleene logic over the leaves' statuses (`Some(true)` pass, `Some(false)` fail, `None` unknown).
    fn truth(&self, leaf: &dyn Fn(usize) -> Option<bool>) -> Option<bool> {
        match self {
            Tree::Leaf(i) => leaf(*i),
            Tree::Not(t) => t.truth(leaf).map(|b| !b),
            Tree::All(ts) => {
                let v: Vec<_> = ts.iter().map(|t| t.truth(leaf)).collect();
                if v.contains(&Some(false)) {
                    Some(false)
                } else if v.contains(&None) {
                    None
                } else {
                    Some(true)
                }
            }
            Tree::Any(ts) => {
                let v: Vec<_> = ts.iter().map(|t| t.truth(leaf)).collect();
                if v.contains(&Some(true)) {
                    Some(true)
                } else if v.contains(&None) {
                    None
                } else {
                    Some(false)
                }
            }
        }
    }

    fn has_eval_error_leaf(&self, errors: &[usize]) -> bool {
        match self {
            Tree::Leaf(i) => errors.contains(i),
            Tree::Not(t) => t.has_eval_error_leaf(errors),
            Tree::All(ts) | Tree::Any(ts) => ts.iter().any(|t| t.has_eval_error_leaf(errors)),
        }
    }
}

/// The leaf a `WHEN-` requirement checks.
fn when_leaf(tree: usize, leaves: usize) -> usize {
    (tree * 7 + 3) % leaves
}

fn requirement(id: &str, check: Value) -> Value {
    json!({
        "id": id,
        "title": format!("generated {id}"),
        "section": "Generated",
        "severity": "error",
        "description": "generated",
        "remediation": "generated",
        "check": check,
    })
}

/// Runs a policy (as JSON) over the dumps; returns (verdict, status per requirement id, in order).
fn run(
    dumps: &Dumps,
    requirements: Vec<Value>,
    limits: Option<LimitsInput>,
) -> (String, Vec<(String, String)>) {
    let policy = json!({"name": "generated", "title": "Generated", "requirements": requirements});
    let request = CheckRequest {
        policies: vec![PolicyInput::Text {
            name: "generated.json".into(),
            text: serde_json::to_string_pretty(&policy).unwrap(),
        }],
        dumps: dumps.inputs(),
        waivers: None,
        today: None,
        limits,
    };
    let out = match api::check(&request).ok() {
        Ok(out) => out,
        Err(errors) => panic!("the request failed: {errors:?}\n{policy:#}"),
    };
    let report = serde_json::to_value(&out.report).unwrap();
    assert_eq!(
        report["subjects"].as_array().unwrap().len(),
        1,
        "one subject"
    );
    let statuses = report["subjects"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (report["verdict"].as_str().unwrap().to_string(), statuses)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Properties 1, 2 and 4, and the three-valued reference model for compound checks.
    #[test]
    fn requirements_pass_only_on_facts_that_were_given(
        dumps in dumps_strategy(),
        trees in prop::collection::vec(tree_strategy(leaves().len()), 1..6),
    ) {
        let leaves = leaves();
        let mut requirements: Vec<Value> = leaves
            .iter()
            .enumerate()
            .map(|(i, (_, check))| requirement(&format!("LEAF-{i:03}"), check.clone()))
            .collect();
        for (i, t) in trees.iter().enumerate() {
            requirements.push(requirement(&format!("TREE-{i:03}"), t.check(&leaves)));
        }
        // the same trees as conditions (`when`) of a leaf check
        for (i, t) in trees.iter().enumerate() {
            let mut r = requirement(&format!("WHEN-{i:03}"), leaves[when_leaf(i, leaves.len())].1.clone());
            r["when"] = t.check(&leaves);
            requirements.push(r);
        }
        let (verdict, statuses) = run(&dumps, requirements, None);
        prop_assert_eq!(statuses.len(), leaves.len() + 2 * trees.len());
        let leaf_status = |i: usize| statuses[i].1.as_str();
        let error_leaves: Vec<usize> = (leaves.len() - 2..leaves.len()).collect();

        for (i, (root, _)) in leaves.iter().enumerate() {
            let status = leaf_status(i);
            // 1. a check on a document that was not given is `error`, never `pass` (nor `fail`)
            if !dumps.given(root) {
                prop_assert_eq!(status, "error", "LEAF-{:03} on missing {}", i, root);
            }
            prop_assert!(["pass", "fail", "error"].contains(&status), "LEAF-{:03}: {}", i, status);
        }
        // 4. the evaluation errors are errors
        for &i in &error_leaves {
            prop_assert_eq!(leaf_status(i), "error", "LEAF-{:03} must be an evaluation error", i);
        }
        // the compound checks agree with Kleene logic over their leaves
        let truth = |i: usize| match leaf_status(i) {
            "pass" => Some(true),
            "fail" => Some(false),
            _ => None,
        };
        for (t, tree) in trees.iter().enumerate() {
            let status = statuses[leaves.len() + t].1.as_str();
            let model = tree.truth(&truth);
            match model {
                Some(true) => prop_assert!(
                    status == "pass" || (status == "error" && tree.has_eval_error_leaf(&error_leaves)),
                    "TREE-{:03} {:?}: model pass, status {}", t, tree, status
                ),
                Some(false) => prop_assert!(
                    status == "fail" || (status == "error" && tree.has_eval_error_leaf(&error_leaves)),
                    "TREE-{:03} {:?}: model fail, status {}", t, tree, status
                ),
                None => prop_assert_eq!(status, "error", "TREE-{:03} {:?}: model unknown", t, tree),
            }
        }
        // a condition that cannot be decided makes the requirement `error`; a false one, not applicable
        for (t, tree) in trees.iter().enumerate() {
            let status = statuses[leaves.len() + trees.len() + t].1.as_str();
            let leaf = leaf_status(when_leaf(t, leaves.len()));
            let erring = tree.has_eval_error_leaf(&error_leaves);
            match tree.truth(&truth) {
                None => prop_assert_eq!(status, "error", "WHEN-{:03} {:?}", t, tree),
                Some(false) => prop_assert!(status == "not_applicable" || (erring && status == "error"), "WHEN-{:03} {:?}: {}", t, tree, status),
                Some(true) => prop_assert!(status == leaf || (erring && status == "error"), "WHEN-{:03} {:?}: {} (leaf {})", t, tree, status, leaf),
            }
        }
        // 2. a missing document makes the verdict incomplete or fail
        let missing = ["image", "history", "container"].iter().any(|r| !dumps.given(r));
        if missing {
            prop_assert!(verdict == "incomplete" || verdict == "fail", "verdict {} with a missing document", verdict);
        }
        // and the verdict follows the statuses
        let any = |s: &str| statuses.iter().any(|(_, st)| st == s);
        let want = if any("fail") {
            "fail"
        } else if any("error") {
            "incomplete"
        } else {
            "pass"
        };
        prop_assert_eq!(verdict.as_str(), want);
    }

    /// 3. A truncated history line never satisfies "none of the layers matches", whatever it shows.
    #[test]
    fn truncated_history_never_satisfies_none(
        layers in prop::collection::vec(layer_strategy(), 1..10),
        pattern in prop::sample::select(vec!["curl", "apt-get", "wget", "hunter2", "s3cr3t", "zzz-never", "ADD", "^USER"]),
        with_image in any::<bool>(),
    ) {
        let dumps = Dumps {
            image: with_image.then(|| json!([{"Id": IMAGE_ID, "RepoTags": ["prop:1"], "Config": {"User": "1001"}}])),
            oci: None,
            history: Some(layers.clone()),
            container: None,
        };
        let element = json!({"fact": "created_by", "matches": pattern});
        let requirements = vec![
            requirement("NONE-001", json!({"fact": "history", "none": element})),
            requirement("NONE-002", json!({"fact": "history", "all": {"fact": "created_by", "not_matches": pattern}})),
            requirement("NONE-003", json!({"fact": "history", "count": {"max": 0, "where": element}})),
            requirement("NONE-004", json!({"not": {"fact": "history", "any": element}})),
            requirement("NONE-005", json!({"fact": "history", "none": {"fact": "arguments", "matches": pattern}})),
        ];
        let (_, statuses) = run(&dumps, requirements, None);
        let re = regex::Regex::new(pattern).unwrap();
        let truncated = layers.iter().any(|(_, t)| *t);
        let visible_match = layers.iter().any(|(l, _)| re.is_match(l.trim_end_matches('…')));
        for (id, status) in &statuses {
            if truncated {
                prop_assert_ne!(status.as_str(), "pass", "{} passed over a truncated history {:?}", id, layers);
            }
            if !truncated && id != "NONE-005" {
                let want = if visible_match { "fail" } else { "pass" };
                prop_assert_eq!(status.as_str(), want, "{} {:?}", id, layers);
            }
        }
    }

    /// 4. Running out of evaluation steps is `error`, never `pass`, even under `not`.
    #[test]
    fn work_cap_is_an_error(
        layers in prop::collection::vec(layer_strategy(), 4..12),
        cap in 1u64..4,
        wrap in 0usize..3,
    ) {
        let dumps = Dumps { image: None, oci: None, history: Some(layers), container: None };
        let inner = json!({"fact": "history", "all": {"fact": "created_by", "not_matches": "zzz-never"}});
        let check = match wrap {
            0 => inner,
            1 => json!({"not": inner}),
            _ => json!({"any_of": [{"not": inner}, inner]}),
        };
        let (verdict, statuses) = run(
            &dumps,
            vec![requirement("CAP-001", check)],
            Some(LimitsInput { max_steps: Some(cap), ..LimitsInput::default() }),
        );
        prop_assert_eq!(statuses[0].1.as_str(), "error");
        prop_assert_eq!(verdict.as_str(), "incomplete");
    }
}
