//! The shared corpus of real dumps (`../shared/corpus`, described in its SOURCES.md):
//! - every file outside `invalid/` reads, is detected as the kind its folder names, builds subjects, and
//!   evaluates with the built-in `image-baseline` pack to a success answer;
//! - every file in `invalid/` is an error whose location names the file, a line and a column;
//! - key normalised facts of several files, asserted explicitly.
//!
//! When the corpus is absent (a checkout without the shared folder), each test says so and passes.
#![expect(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::panic,
    reason = "the test reads the shared corpus; the core itself does no I/O"
)]

use clearance_core::api::{self, Answer, CheckRequest, DumpContent, DumpInput, PolicyInput};
use clearance_core::facts::{Fact, FactValue, Subject};
use clearance_core::input::{self, DocumentKind, Limits};
use clearance_core::ToDiagnostic;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let root = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ))
    .to_path_buf();
    if root.is_dir() {
        Some(root)
    } else {
        println!("shared corpus not found at {}; skipping", root.display());
        None
    }
}

/// The kind each corpus folder holds.
fn folder_kind(folder: &str) -> Option<DocumentKind> {
    Some(match folder {
        "image-inspect" => DocumentKind::DockerImageInspect,
        "container-inspect" => DocumentKind::DockerContainerInspect,
        "history-ndjson" => DocumentKind::DockerHistory,
        "history-json" => DocumentKind::EngineApiHistory,
        "oci-config" => DocumentKind::OciImageConfig,
        "podman-image-inspect" => DocumentKind::PodmanImageInspect,
        "podman-container-inspect" => DocumentKind::PodmanContainerInspect,
        "podman-history" => DocumentKind::PodmanHistory,
        _ => return None,
    })
}

/// Every (folder, file path) of the corpus, in name order.
fn files(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        out.extend(paths.into_iter().map(|p| (name.clone(), p)));
    }
    out
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .to_string()
}

#[test]
fn every_valid_dump_reads_detects_groups_and_evaluates() {
    let Some(root) = corpus() else { return };
    let mut checked = 0;
    let mut failures = Vec::new();
    for (folder, path) in files(&root) {
        if folder == "invalid" {
            continue;
        }
        let Some(want) = folder_kind(&folder) else {
            failures.push(format!(
                "{}: unknown corpus folder `{folder}`",
                path.display()
            ));
            continue;
        };
        let name = relative(&root, &path);
        let bytes = std::fs::read(&path).unwrap();
        let doc = match input::read(&name, &bytes, None, &Limits::default()) {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{name}: {}", e.to_diagnostic()));
                continue;
            }
        };
        if doc.kind != want {
            failures.push(format!(
                "{name}: detected {}, expected {}",
                doc.kind.id(),
                want.id()
            ));
        }
        if let Err(e) = input::subjects(std::slice::from_ref(&doc)) {
            failures.push(format!("{name}: subjects: {}", e.to_diagnostic()));
        }
        let request = CheckRequest {
            policies: vec![PolicyInput::Builtin("image-baseline".into())],
            dumps: vec![DumpInput {
                name: name.clone(),
                content: DumpContent::Text(String::from_utf8(bytes).unwrap()),
                kind: None,
            }],
            waivers: None,
            today: Some("2026-11-23".into()),
            limits: None,
        };
        if let Answer::Failure { errors } = api::check(&request) {
            let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
            failures.push(format!("{name}: check failed: {}", shown.join("; ")));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 20, "only {checked} corpus files were checked");
}

#[test]
fn every_invalid_dump_is_an_error_with_file_line_and_column() {
    let Some(root) = corpus() else { return };
    let mut seen = 0;
    for (folder, path) in files(&root) {
        if folder != "invalid" {
            continue;
        }
        seen += 1;
        let name = relative(&root, &path);
        let bytes = std::fs::read(&path).unwrap();
        let err = input::read(&name, &bytes, None, &Limits::default())
            .expect_err(&format!("{name} should not read"));
        let d = err.to_diagnostic();
        assert_eq!(d.location.file.as_deref(), Some(name.as_str()), "{d}");
        assert!(
            d.location.line.is_some() && d.location.column.is_some(),
            "{name}: {d}"
        );
        assert_eq!(d.code, "input/syntax", "{d}");
    }
    assert!(seen >= 3);
}

/// Reads corpus files (relative names) and groups them.
fn subjects(root: &Path, names: &[&str]) -> Vec<Subject> {
    let docs: Vec<_> = names
        .iter()
        .map(|n| {
            let bytes = std::fs::read(root.join(n)).unwrap();
            input::read(n, &bytes, None, &Limits::default()).unwrap()
        })
        .collect();
    input::subjects(&docs).unwrap()
}

fn fact<'a>(subject: &'a Subject, path: &str) -> &'a Fact {
    let mut parts = path.split('.');
    let mut f = subject.facts.get(parts.next().unwrap()).unwrap();
    for part in parts {
        f = match &f.value {
            FactValue::List(items) => &items[part.parse::<usize>().unwrap()],
            _ => f.get(part).unwrap_or_else(|| panic!("no {path}")),
        };
    }
    f
}

fn shown(subject: &Subject, path: &str) -> String {
    fact(subject, path).display()
}

#[test]
fn gluetun_image_and_container() {
    let Some(root) = corpus() else { return };
    let s = subjects(
        &root,
        &[
            "image-inspect/watchtower-gluetun-healthcheck.json",
            "container-inspect/watchtower-gluetun-healthcheck-netadmin.json",
        ],
    );
    assert_eq!(s.len(), 1, "the container joins its image");
    let s = &s[0];
    assert_eq!(s.label, "qmcgaw/gluetun:latest");
    for root in ["image", "container"] {
        assert_eq!(shown(s, &format!("{root}.healthcheck.type")), "CMD-SHELL");
        assert_eq!(
            shown(s, &format!("{root}.healthcheck.command")),
            "/gluetun-entrypoint healthcheck"
        );
        assert_eq!(
            fact(s, &format!("{root}.healthcheck.interval")).value,
            FactValue::Duration(5_000_000_000)
        );
        assert_eq!(
            fact(s, &format!("{root}.healthcheck.timeout")).value,
            FactValue::Duration(5_000_000_000)
        );
        assert_eq!(
            fact(s, &format!("{root}.healthcheck.start_period")).value,
            FactValue::Duration(10_000_000_000)
        );
        assert_eq!(
            shown(s, &format!("{root}.healthcheck.start_interval")),
            "5s",
            "docker's default"
        );
        assert_eq!(shown(s, &format!("{root}.healthcheck.retries")), "1");
        assert_eq!(shown(s, &format!("{root}.runs_as_root")), "true");
    }
    assert_eq!(
        shown(s, "image.ports"),
        "[8000/tcp, 8388/tcp, 8388/udp, 8888/tcp]"
    );
    assert_eq!(shown(s, "container.cap_add"), "[NET_ADMIN]");
    assert_eq!(shown(s, "container.health_status"), "healthy");
    // secret-named env values that are empty or *_SECRETFILE paths are not secrets
    let env = fact(s, "image.env");
    for name in [
        "OPENVPN_PASSWORD",
        "WIREGUARD_PRIVATE_KEY",
        "OPENVPN_PASSWORD_SECRETFILE",
    ] {
        let t = env.get(name).unwrap().as_text().unwrap();
        assert!(!t.secret, "{name}");
    }
    assert_eq!(
        env.get("OPENVPN_PASSWORD_SECRETFILE").unwrap().display(),
        "/run/secrets/openvpn_password"
    );
    let ev = fact(s, "image.healthcheck.interval")
        .evidence
        .clone()
        .unwrap();
    assert_eq!(&*ev.pointer, "/Config/Healthcheck/Interval");
    assert_eq!(s.raw.len(), 2);
}

#[test]
fn postgres_container_secrets_ports_and_mounts() {
    let Some(root) = corpus() else { return };
    let s = &subjects(
        &root,
        &["container-inspect/postgres13-compose-healthcheck.json"],
    )[0];
    assert_eq!(shown(s, "container.env.POSTGRES_PASSWORD"), "***");
    assert_eq!(
        fact(s, "container.env.POSTGRES_PASSWORD")
            .as_text()
            .unwrap()
            .raw,
        "password"
    );
    assert_eq!(shown(s, "container.env.APP_DB_PASS"), "***");
    assert_eq!(shown(s, "container.env.APP_DB_USER"), "docker");
    assert_eq!(shown(s, "container.stop_signal"), "SIGINT");
    assert_eq!(shown(s, "container.healthcheck.interval"), "10s");
    assert_eq!(shown(s, "container.healthcheck.timeout"), "45s");
    assert_eq!(shown(s, "container.healthcheck.start_period"), "0s");
    assert_eq!(shown(s, "container.healthcheck.retries"), "10");
    assert_eq!(
        shown(s, "container.ports"),
        "[{port=5432/tcp, host_ip=0.0.0.0, host_port=5432}]"
    );
    assert_eq!(shown(s, "container.restart_policy"), "always");
    assert_eq!(
        shown(s, "container.mounts.0.source"),
        "C:\\Users\\ray\\Desktop\\src\\essential-postgresql\\db"
    );
    assert_eq!(shown(s, "container.mounts.1.type"), "volume");
    assert_eq!(s.label, "essential-postgresql-postgres-1");
    assert_eq!(shown(s, "image"), "unknown (no image document given)");
}

#[test]
fn podman_stop_signal_number_is_sigterm() {
    let Some(root) = corpus() else { return };
    let s = &subjects(
        &root,
        &["podman-container-inspect/podman-doc-foobar-alpine-2022.json"],
    )[0];
    assert_eq!(shown(s, "container.stop_signal"), "SIGTERM");
    assert_eq!(
        fact(s, "container.stop_signal")
            .evidence
            .as_ref()
            .unwrap()
            .pointer
            .to_string(),
        "/0/Config/StopSignal"
    );
    assert_eq!(
        shown(s, "container.cap_drop"),
        "[AUDIT_WRITE, MKNOD, NET_RAW]"
    );
    assert_eq!(shown(s, "container.network_mode"), "slirp4netns");
    assert_eq!(shown(s, "container.restart_policy"), "no");
    assert_eq!(shown(s, "container.health_status"), "absent");
    assert_eq!(s.label, "foobar");
}

#[test]
fn trivy_distroless_65532_is_not_root() {
    let Some(root) = corpus() else { return };
    let s = &subjects(&root, &["oci-config/trivy-alpine-distroless-65532.json"])[0];
    assert_eq!(shown(s, "image.user"), "65532");
    assert_eq!(fact(s, "image.uid").value, FactValue::Int(65532));
    assert_eq!(shown(s, "image.runs_as_root"), "false");
    assert_eq!(shown(s, "image.entrypoint"), "[/usr/bin/git]");
    assert_eq!(shown(s, "history.0.created_by"), "apko");
    assert_eq!(shown(s, "history.0.instruction"), "absent");
    // the distroless base has no User key at all: root
    let base = &subjects(&root, &["oci-config/trivy-distroless-base.json"])[0];
    assert_eq!(shown(base, "image.user"), "absent");
    assert_eq!(shown(base, "image.runs_as_root"), "true");
}

#[test]
fn dockle_nginx_history_instructions() {
    let Some(root) = corpus() else { return };
    let s = &subjects(&root, &["oci-config/dockle-nginx.json"])[0];
    let instructions: Vec<String> = fact(s, "history")
        .as_list()
        .unwrap()
        .iter()
        .map(|l| l.get("instruction").unwrap().display())
        .collect();
    assert_eq!(
        instructions,
        [
            "ADD",
            "CMD",
            "LABEL",
            "ENV",
            "ENV",
            "ENV",
            "RUN",
            "RUN",
            "EXPOSE",
            "STOPSIGNAL",
            "CMD"
        ]
    );
    assert_eq!(shown(s, "history.9.arguments"), "SIGTERM");
    assert_eq!(shown(s, "history.1.empty_layer"), "true");
    assert_eq!(shown(s, "history.0.empty_layer"), "false");
    assert_eq!(shown(s, "image.stop_signal"), "SIGTERM");
    assert_eq!(shown(s, "image.ports"), "[80/tcp]");
    // NGINX_GPGKEY in the RUN line is a public fingerprint: nothing masked
    let run = fact(s, "history.6.created_by").as_text().unwrap();
    assert!(run
        .raw
        .contains("NGINX_GPGKEY=573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62"));
    assert_eq!(run.masked(), None);
}

#[test]
fn histories_are_oldest_first_from_every_source() {
    let Some(root) = corpus() else { return };
    // Engine API history: newest first in the file
    let s = &subjects(
        &root,
        &["history-json/go-dockerclient-api-history-debian-wheezy.json"],
    )[0];
    assert_eq!(shown(s, "history.0.tags"), "[scratch:latest]");
    assert_eq!(shown(s, "history.1.instruction"), "ADD");
    assert_eq!(shown(s, "history.2.instruction"), "CMD");
    assert_eq!(shown(s, "history.2.created"), "2014-09-04T18:43:36Z");
    assert_eq!(
        fact(s, "history.2.created_by")
            .evidence
            .as_ref()
            .unwrap()
            .pointer
            .to_string(),
        "/0/CreatedBy"
    );
    assert_eq!(s.label, "debian:7.6");
    // podman history: newest first
    let s = &subjects(&root, &["podman-history/podman-doc-debian.json"])[0];
    assert_eq!(shown(s, "history.0.instruction"), "ADD");
    assert_eq!(shown(s, "history.0.size"), "45.1MB (45142935 bytes)");
    assert_eq!(shown(s, "history.1.instruction"), "CMD");
    // podman image inspect History: oldest first already
    let s = &subjects(
        &root,
        &["podman-image-inspect/podman-doc-inspect-fedora31.json"],
    )[0];
    assert_eq!(shown(s, "history.0.instruction"), "LABEL");
    assert_eq!(shown(s, "history.3.instruction"), "CMD");
    assert_eq!(shown(s, "history.2.empty_layer"), "false");
    // kolla: the first entry has only a comment
    let s = &subjects(
        &root,
        &["oci-config/cimage-schema1-to-oci1-kolla-nova.json"],
    )[0];
    assert_eq!(shown(s, "history.0.created_by"), "absent");
    assert_eq!(shown(s, "history.0.comment"), "Imported from -");
    assert_eq!(shown(s, "image.user_name"), "nova");
}

#[test]
fn spring4shell_gpg_keys_are_not_secrets_and_config_null_is_absent() {
    let Some(root) = corpus() else { return };
    let s = &subjects(&root, &["oci-config/trivy-spring4shell-jre11-tomcat.json"])[0];
    let gpg = fact(s, "image.env.GPG_KEYS").as_text().unwrap();
    assert!(!gpg.secret && gpg.masked().is_none());
    assert_eq!(shown(s, "image.workdir"), "/usr/local/tomcat");
    assert_eq!(fact(s, "history").as_list().unwrap().len(), 25);
    let s = subjects(&root, &["image-inspect/dockercli-golden-multi-empty.json"]);
    assert_eq!(s.len(), 2);
    assert_eq!(shown(&s[1], "image.user"), "absent");
    assert_eq!(
        fact(&s[1], "image.user")
            .evidence
            .as_ref()
            .unwrap()
            .pointer
            .to_string(),
        "/1/Config/User"
    );
    assert_eq!(shown(&s[1], "image.id"), "absent");
    assert!(s[1].notes.iter().any(|n| n.contains("\"Config\": null")));
}
