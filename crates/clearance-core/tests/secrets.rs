//! Secrets never leak: dumps with planted secrets (env values, URL credentials, history lines: ENV,
//! build args `|1 X=…`, `RUN … --password …`, `export TOKEN=…`, `docker login -p …`, URLs with
//! passwords) are evaluated with every built-in pack and with a policy written to drag the secrets into
//! `actual`, messages and evidence; every output format (text, text with colour, JSON, SARIF, JUnit,
//! Markdown), the façade's JSON answer and the error answers for broken dumps must not contain any
//! planted value. (The web app's DOM and exports are asserted by the browser suite.)

use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, PolicyInput};
use clearance_core::builtin;
use clearance_core::report::{self, Format, RenderOptions};
use serde_json::json;

/// Every planted value contains this, so a leak of any part is easy to spot too.
const MARK: &str = "PLANTED";

/// The planted secrets: each must appear nowhere in any output.
const SECRETS: &[&str] = &[
    "PLANTED-env-db-password",
    "PLANTED-env-api-token",
    "PLANTED-env-aws-secret",
    "PLANTED-env-private-key",
    "PLANTED-url-password-env",
    "PLANTED-label-url-password",
    "PLANTED-hist-env",
    "PLANTED-hist-arg",
    "PLANTED-hist-arg-buildkit",
    "PLANTED-hist-run-password",
    "PLANTED-hist-run-password-eq",
    "PLANTED-hist-export-token",
    "PLANTED-hist-docker-login",
    "PLANTED-hist-url-password",
    "PLANTED-hist-token-option",
    "PLANTED-cmd-password",
    "PLANTED-health-url-password",
    "PLANTED-ctr-env-secret",
    "PLANTED-ctr-url-password",
    "PLANTED-env-pgpassword",
    "PLANTED-env-github-pat",
    "PLANTED-env-mysql-pwd",
    "PLANTED-label-db-password",
    "PLANTED-cmd-token",
    "PLANTED-health-bearer",
    "PLANTED-hist-label",
    "PLANTED-hist-npmrc",
    "PLANTED-hist-query-token",
    "PLANTED-hist-curl-user",
    "PLANTED-hist-pgpassword",
    "PLANTED-hist-bearer",
];

const IMAGE_ID: &str = "sha256:4f8c2d1a9b7e6f5a4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4";

fn image() -> String {
    json!([{
        "Id": IMAGE_ID,
        "RepoTags": ["leaky:1"],
        "Architecture": "amd64",
        "Os": "linux",
        "Config": {
            "User": "",
            "Env": [
                "PATH=/usr/bin",
                "DB_PASSWORD=PLANTED-env-db-password",
                "API_TOKEN=PLANTED-env-api-token",
                "AWS_SECRET_ACCESS_KEY=PLANTED-env-aws-secret",
                "PRIVATE_KEY=PLANTED-env-private-key",
                "DATABASE_URL=postgres://app:PLANTED-url-password-env@db:5432/app",
                "PGPASSWORD=PLANTED-env-pgpassword",
                "GITHUB_PAT=PLANTED-env-github-pat",
                "MYSQL_PWD=PLANTED-env-mysql-pwd",
            ],
            "Cmd": ["app", "--db-password", "PLANTED-cmd-password", "--token", "PLANTED-cmd-token"],
            "Healthcheck": {
                "Test": ["CMD", "curl", "-f", "-H", "Authorization: Bearer PLANTED-health-bearer",
                         "https://probe:PLANTED-health-url-password@localhost/health"],
                "Interval": 60_000_000_000u64,
            },
            "Labels": {
                "org.example.repo": "https://ci:PLANTED-label-url-password@git.example.com/app.git",
                "db.password": "PLANTED-label-db-password",
            },
        },
        "RootFS": {"Type": "layers", "Layers": ["sha256:aa"]},
    }])
    .to_string()
}

fn history() -> String {
    let lines = [
        "CMD [\"app\"]",
        "LABEL db.password=PLANTED-hist-label",
        "RUN /bin/sh -c echo \"//registry.npmjs.org/:_authToken=PLANTED-hist-npmrc\" > .npmrc # buildkit",
        "RUN /bin/sh -c curl -fsS https://api.example.com/v1?access_token=PLANTED-hist-query-token # buildkit",
        "RUN /bin/sh -c curl -u admin:PLANTED-hist-curl-user https://example.com # buildkit",
        "RUN /bin/sh -c curl -H 'Authorization: Bearer PLANTED-hist-bearer' https://example.com # buildkit",
        "ENV PGPASSWORD=PLANTED-hist-pgpassword",
        "RUN /bin/sh -c docker login -u ci -p PLANTED-hist-docker-login registry.example.com # buildkit",
        "RUN /bin/sh -c export TOKEN=PLANTED-hist-export-token && ./deploy.sh # buildkit",
        "RUN /bin/sh -c mysql --password PLANTED-hist-run-password -e 'select 1' # buildkit",
        "RUN /bin/sh -c mysqladmin --password=PLANTED-hist-run-password-eq ping # buildkit",
        "RUN /bin/sh -c curl -fsSL https://deploy:PLANTED-hist-url-password@get.example.com/i.sh | sh # buildkit",
        "RUN /bin/sh -c gh auth login --token PLANTED-hist-token-option # buildkit",
        "RUN |1 NPM_TOKEN=PLANTED-hist-arg-buildkit /bin/sh -c npm ci # buildkit",
        "|1 GITHUB_TOKEN=PLANTED-hist-arg /bin/sh -c make",
        "ENV DB_PASSWORD=PLANTED-hist-env",
        "/bin/sh -c #(nop) ADD file:abc in / ",
    ];
    let n = lines.len();
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "CreatedAt": "2026-05-07T19:41:29Z",
                "CreatedBy": l,
                "CreatedSince": "1 minute ago",
                "ID": if i == 0 { "sha256:4f8c2d1a9b7e" } else { "<missing>" },
                "Size": if i + 1 == n { "77.8MB" } else { "1kB" },
                "Comment": "buildkit.dockerfile.v0",
            })
            .to_string()
                + "\n"
        })
        .collect()
}

fn container() -> String {
    json!([{
        "Id": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "Name": "/leaky",
        "Image": IMAGE_ID,
        "State": {"Status": "running", "Health": {"Status": "healthy"}},
        "Config": {
            "Image": "leaky:1",
            "User": "",
            "Env": [
                "SESSION_SECRET=PLANTED-ctr-env-secret",
                "REDIS_URL=redis://default:PLANTED-ctr-url-password@redis:6379/0",
            ],
        },
        "HostConfig": {"Privileged": true, "CapAdd": ["SYS_ADMIN"]},
    }])
    .to_string()
}

/// A policy that fails on every secret-bearing fact, so each lands in `actual`, messages and evidence;
/// and raw-pointer checks that read the secret-bearing JSON directly.
const LEAK_POLICY: &str = r#"
name: leak-bait
title: Requirements that fail on the secrets
requirements:
  - {id: LEAK-001, title: env, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.env, excludes: ["*PASSWORD*", "*TOKEN*", "*SECRET*", "*KEY*", "*URL*"]}}
  - {id: LEAK-002, title: env values, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.env, all: {fact: value, equals: "x"}}}
  - {id: LEAK-003, title: history, section: S, severity: error, description: d, remediation: r,
     check: {fact: history, none: {fact: created_by, matches: "PLAN[T]ED"}}}
  - {id: LEAK-004, title: history arguments, section: S, severity: error, description: d, remediation: r,
     check: {fact: history, all: {fact: arguments, equals: "x"}}}
  - {id: LEAK-005, title: one env value, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.env, any: {all_of: [{fact: name, equals: DB_PASSWORD}, {fact: value, equals: "x"}]}}}
  - {id: LEAK-006, title: url env, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.env, none: {fact: value, matches: "PLAN[T]ED"}}}
  - {id: LEAK-007, title: command, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.command_line, equals: "x"}}
  - {id: LEAK-008, title: healthcheck, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.healthcheck.command, equals: "x"}}
  - {id: LEAK-009, title: labels, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.labels, all: {fact: value, equals: "x"}}}
  - {id: LEAK-010, title: raw env, section: S, severity: error, description: d, remediation: r,
     check: {pointer: /Config/Env, document: image, equals: "x"}}
  - {id: LEAK-011, title: raw env entry, section: S, severity: error, description: d, remediation: r,
     check: {pointer: /Config/Env/1, document: image, equals: "x"}}
  - {id: LEAK-012, title: raw config, section: S, severity: error, description: d, remediation: r,
     check: {pointer: /Config, document: image, equals: "x"}}
  - {id: LEAK-013, title: container env, section: S, severity: error, description: d, remediation: r,
     check: {fact: container.env, all: {fact: value, equals: "x"}}}
  - {id: LEAK-014, title: raw container env, section: S, severity: error, description: d, remediation: r,
     check: {pointer: /Config/Env, document: container, equals: "x"}}
  - {id: LEAK-015, title: history lines, section: S, severity: error, description: d, remediation: r,
     check: {fact: history, count: {max: 0, where: {fact: created_by, matches: "."}}}}
  - {id: LEAK-016, title: raw labels, section: S, severity: error, description: d, remediation: r,
     check: {pointer: /Config/Labels/org.example.repo, document: image, equals: "x"}}
  - {id: LEAK-017, title: raw cmd, section: S, severity: error, description: d, remediation: r,
     check: {pointer: /Config/Cmd, document: image, empty: true}}
  - {id: LEAK-018, title: raw cmd element, section: S, severity: error, description: d, remediation: r,
     check: {pointer: /Config/Cmd/4, document: image, equals: "x"}}
  - {id: LEAK-019, title: raw healthcheck, section: S, severity: error, description: d, remediation: r,
     check: {pointer: /Config/Healthcheck/Test, document: image, empty: true}}
  - {id: LEAK-020, title: raw labels, section: S, severity: error, description: d, remediation: r,
     check: {pointer: /Config/Labels, document: image, empty: true}}
  - {id: LEAK-021, title: cmd, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.cmd, all: {equals: "x"}}}
  - {id: LEAK-022, title: healthcheck test, section: S, severity: error, description: d, remediation: r,
     check: {fact: image.healthcheck.test, all: {equals: "x"}}}
"#;

fn dump(name: &str, text: String) -> DumpInput {
    DumpInput {
        name: name.into(),
        content: DumpContent::Text(text),
        kind: None,
    }
}

fn assert_clean(what: &str, output: &str) {
    let leaked: Vec<&str> = SECRETS
        .iter()
        .copied()
        .filter(|s| output.contains(s))
        .collect();
    assert!(
        leaked.is_empty() && !output.contains(MARK),
        "{what} leaks {leaked:?}:\n{}",
        output
            .match_indices(MARK)
            .take(10)
            .map(|(i, _)| output
                .get(i.saturating_sub(80)..(i + 60).min(output.len()))
                .unwrap_or("(not at a character boundary)"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn no_output_format_shows_a_planted_secret() {
    let mut policies: Vec<PolicyInput> = builtin::PACKS
        .iter()
        .map(|p| PolicyInput::Builtin(p.name.to_string()))
        .collect();
    policies.push(PolicyInput::Text {
        name: "leak-bait.yaml".into(),
        text: LEAK_POLICY.into(),
    });
    let request = CheckRequest {
        policies,
        dumps: vec![
            dump("image.json", image()),
            dump("history.jsonl", history()),
            dump("container.json", container()),
        ],
        waivers: None,
        today: Some("2026-11-23".into()),
        limits: None,
    };
    let answer = api::check(&request);
    let json_answer = api::to_json(&answer);
    let out = answer.ok().unwrap();
    // the bait worked: the secret-bearing requirements failed (so their evidence is rendered)
    let results = &out.report.subjects[0].results;
    for id in [
        "LEAK-001", "LEAK-003", "LEAK-005", "LEAK-011", "LEAK-013", "LEAK-017", "LEAK-018",
        "LEAK-019", "LEAK-020", "LEAK-021", "LEAK-022", "IMG-009", "IMG-010",
    ] {
        let r = results.iter().find(|r| &*r.id == id).unwrap();
        assert_eq!(r.status.name(), "fail", "{id}: {}", r.message);
        assert!(
            !r.actual.is_empty() || !r.evidence.is_empty(),
            "{id} shows nothing"
        );
    }
    assert_clean("the façade's JSON answer", &json_answer);
    for format in Format::ALL {
        for color in [false, true] {
            let rendered = report::render(&out.report, format, RenderOptions { color });
            assert_clean(&format!("{} (colour {color})", format.name()), &rendered);
        }
    }
}

#[test]
fn error_answers_do_not_echo_secrets() {
    let broken = [
        // wrong types next to a secret
        r#"[{"Id": "sha256:1", "RepoTags": ["x:1"], "Config": {"Env": {"DB_PASSWORD": "PLANTED-env-db-password"}}}]"#.to_string(),
        r#"[{"Id": "sha256:1", "RepoTags": ["x:1"], "Config": {"Env": ["API_TOKEN=PLANTED-env-api-token", 5]}}]"#.to_string(),
        r#"[{"Id": "sha256:1", "RepoTags": ["x:1"], "Config": {"User": ["PLANTED-env-aws-secret"]}}]"#.to_string(),
        // a syntax error in the middle of a secret
        r#"[{"Id": "sha256:1", "Config": {"Env": ["DB_PASSWORD=PLANTED-env-db-password\x"]}}]"#.to_string(),
        // an unrecognised object whose keys are harmless but values are not
        r#"{"Password": "PLANTED-env-private-key"}"#.to_string(),
        // a history line that is a string holding a secret
        format!("{}\"ENV DB_PASSWORD=PLANTED-hist-env\"\n", history()),
    ];
    for (i, text) in broken.iter().enumerate() {
        let request = CheckRequest {
            policies: vec![PolicyInput::Builtin("image-baseline".into())],
            dumps: vec![dump("broken.json", text.clone())],
            waivers: None,
            today: None,
            limits: None,
        };
        let answer = api::check(&request);
        let json = api::to_json(&answer);
        assert!(
            json.contains("\"failure\""),
            "case {i} did not fail: {json}"
        );
        assert_clean(&format!("error answer {i}"), &json);
    }
}
