//! Renderers: every format is a reviewed snapshot for a conforming and a violating report; on top of
//! that, structure checks (SARIF 2.1.0, well-formed JUnit XML), escaping of hostile values, masking of
//! secrets in every output, and byte-for-byte determinism.

#[path = "support/builders.rs"]
mod builders;

use builders::*;
use clearance_core::eval::{evaluate, Options};
use clearance_core::facts::Root;
use clearance_core::policy::{Check, Literal, Op, Policy, Severity};
use clearance_core::report::{render, to_json, Format, RenderOptions, Report};
use serde_json::Value;

/// The value of a secret env var in the violating subject: no output may contain it.
const SECRET: &str = "hunter2-jwt-signing-key";

/// A small pack covering every status: health check, user, environment, history, runtime.
fn pack() -> Policy {
    policy(
        "reactbin-api-prod",
        vec![
            req("HEALTH-001", fact("image.healthcheck", vec![Op::Exists(true)]))
                .titled("The image declares a health check")
                .section("Health check")
                .remediation("Add a `HEALTHCHECK` instruction to the Dockerfile."),
            req(
                "HEALTH-002",
                fact("image.healthcheck.interval", vec![eq(d("30s"))]),
            )
            .titled("Health check polls every 30 seconds")
            .section("Health check")
            .clause("000 §Health Check — Interval 30s")
            .remediation("Use `HEALTHCHECK --interval=30s`."),
            req("USER-001", fact("image.uid", vec![eq(Literal::Int(1001))]))
                .titled("Runs as non-root UID 1001")
                .section("User"),
            req(
                "ENV-001",
                fact(
                    "image.env",
                    vec![Op::Excludes(ms(&["JWT_SECRET_KEY", "OWNER_PASSWORD", "S3_*"]))],
                ),
            )
            .titled("Secrets have no default in the image")
            .section("Environment")
            .remediation(
                "Remove the ENV line.\nSupply the value at run time (`docker run -e`, a secret store).",
            ),
            req(
                "BUILD-001",
                fact(
                    "history",
                    vec![none(field(
                        "created_by",
                        vec![Op::Matches(re("(?i)password|secret_key"))],
                    ))],
                ),
            )
            .titled("No secret is written into a layer")
            .section("Build")
            .severity(Severity::Warning),
            req(
                "RUN-001",
                fact("container.privileged", vec![eq(Literal::Bool(false))]),
            )
            .titled("The container is not privileged")
            .section("Runtime")
            .when(Check::Document(Root::Container)),
            req("RUN-002", fact("container.read_only_rootfs", vec![eq(Literal::Bool(true))]))
                .titled("The root filesystem is read-only")
                .section("Runtime")
                .severity(Severity::Info),
        ],
    )
}

fn with_fixed_version(mut report: Report) -> Report {
    report.tool.version = "0.0.0-test".to_string();
    report
}

/// Everything holds; the container is given.
fn conforming() -> Report {
    let s = subject("reactbin-api:1.2.3")
        .image_id("sha256:1111111111111111111111111111111111111111111111111111111111111111")
        .image(vec![
            ("uid", int(1001, "/Config/User")),
            ("env", env(&[("PATH", "/usr/local/bin:/usr/bin", false)])),
            (
                "healthcheck",
                record(
                    vec![("interval", dur("30s", "/Config/Healthcheck/Interval"))],
                    "/Config/Healthcheck",
                ),
            ),
        ])
        .history(&[
            layer("/bin/sh -c #(nop) ADD file:4b03b5f5 in / "),
            layer("COPY app/ ./app/ # buildkit"),
        ])
        .container(vec![
            ("privileged", boolean(false, "/HostConfig/Privileged")),
            (
                "read_only_rootfs",
                boolean(true, "/HostConfig/ReadonlyRootfs"),
            ),
        ])
        .build();
    with_fixed_version(evaluate(
        &[pack()],
        &[s],
        &[],
        &Options {
            today: Some(date("2026-11-23")),
            ..Options::default()
        },
    ))
}

/// Fails, an error, a waiver, a not-applicable result, a secret env value and a secret in history.
fn violating() -> Report {
    let s = subject("reactbin-api:1.3.0-rc1")
        .image_id("sha256:2222222222222222222222222222222222222222222222222222222222222222")
        .note("history was printed without --no-trunc")
        .image(vec![
            ("uid", int(0, "/Config/User")),
            (
                "env",
                env(&[
                    ("PATH", "/usr/local/bin:/usr/bin", false),
                    ("JWT_SECRET_KEY", SECRET, true),
                    ("S3_BUCKET", "reactbin-prod", false),
                ]),
            ),
            (
                "healthcheck",
                record(
                    vec![("interval", dur("1m", "/Config/Healthcheck/Interval"))],
                    "/Config/Healthcheck",
                ),
            ),
        ])
        .history(&[
            layer("/bin/sh -c #(nop) ADD file:4b03b5f5 in / "),
            layer_masked(
                &format!("/bin/sh -c #(nop)  ENV JWT_SECRET_KEY={SECRET}"),
                "/bin/sh -c #(nop)  ENV JWT_SECRET_KEY=***",
            ),
            layer("COPY app/ ./app/ # buildkit"),
        ])
        .build();
    let mut waived = waiver(
        "USER-001",
        "root needed to bind port 80 until the proxy lands",
    );
    waived.approver = Some("jane@example.com".into());
    waived.expires = Some(date("2026-12-31"));
    let mut expired = waiver("HEALTH-002", "slow probe");
    expired.expires = Some(date("2026-01-31"));
    with_fixed_version(evaluate(
        &[pack()],
        &[s],
        &[waived, expired, waiver("OLD-001", "left over")],
        &Options {
            today: Some(date("2026-11-23")),
            ..Options::default()
        },
    ))
}

fn all_formats(report: &Report) -> Vec<(Format, String)> {
    Format::ALL
        .into_iter()
        .map(|f| (f, render(report, f, RenderOptions::default())))
        .collect()
}

#[test]
fn snapshots() {
    for (name, report) in [("conforming", conforming()), ("violating", violating())] {
        for (format, output) in all_formats(&report) {
            insta::assert_snapshot!(format!("{name}_{}", format.name()), output);
        }
    }
    insta::assert_snapshot!(
        "violating_text_color",
        render(&violating(), Format::Text, RenderOptions { color: true })
    );
}

#[test]
fn the_reports_cover_every_status() {
    let v = violating();
    let statuses: Vec<_> = v.subjects[0]
        .results
        .iter()
        .map(|r| (&*r.id, r.status.name()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("HEALTH-001", "pass"),
            ("HEALTH-002", "fail"),
            ("USER-001", "waived"),
            ("ENV-001", "fail"),
            ("BUILD-001", "fail"),
            ("RUN-001", "not_applicable"),
            ("RUN-002", "error"),
        ]
    );
    assert_eq!(conforming().counts.pass, 7);
}

#[test]
fn no_output_contains_the_secret() {
    let report = violating();
    // The secret was really there to find: the checks matched it.
    assert_eq!(report.subjects[0].results[4].status.name(), "fail");
    for (format, output) in all_formats(&report).into_iter().chain([(
        Format::Text,
        render(&report, Format::Text, RenderOptions { color: true }),
    )]) {
        assert!(
            !output.contains(SECRET),
            "{} output shows the secret",
            format.name()
        );
        let masked = match format {
            Format::Markdown => r"JWT\_SECRET\_KEY=\*\*\*",
            _ => "JWT_SECRET_KEY=***",
        };
        assert!(
            output.contains(masked),
            "{} output lost the masked value",
            format.name()
        );
    }
}

#[test]
fn rendering_is_deterministic_and_uses_lf() {
    for report in [conforming(), violating()] {
        for (format, output) in all_formats(&report) {
            assert_eq!(output, render(&report, format, RenderOptions::default()));
            assert!(!output.contains('\r'), "{} has CR", format.name());
            assert!(output.ends_with('\n'), "{} ends without LF", format.name());
        }
    }
}

#[test]
fn json_round_trips() {
    let report = violating();
    let json = to_json(&report);
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    assert!(json.ends_with("}\n"));
}

#[test]
fn colour_only_when_asked() {
    let report = violating();
    assert!(!render(&report, Format::Text, RenderOptions::default()).contains('\u{1b}'));
    assert!(render(&report, Format::Text, RenderOptions { color: true }).contains("\u{1b}[31m"));
}

// ───────────────────────────── SARIF ─────────────────────────────

#[test]
fn sarif_has_the_required_structure() {
    let report = violating();
    let sarif: Value =
        serde_json::from_str(&render(&report, Format::Sarif, RenderOptions::default())).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let schema = sarif["$schema"].as_str().unwrap();
    assert!(schema.starts_with("https://") && schema.ends_with("sarif-schema-2.1.0.json"));
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "clearance");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 7, "one rule per requirement");
    for rule in rules {
        assert!(rule["id"].is_string());
        assert!(rule["name"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_alphanumeric()));
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(!rule[key]["text"].as_str().unwrap().is_empty(), "{key}");
        }
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
        assert!(rule["properties"]["section"].is_string());
        assert!(rule["properties"]["policy"].is_string());
    }
    let health = rules.iter().find(|r| r["id"] == "HEALTH-002").unwrap();
    assert_eq!(
        health["shortDescription"]["text"],
        "Health check polls every 30 seconds"
    );
    assert_eq!(health["help"]["text"], "Use `HEALTHCHECK --interval=30s`.");
    assert_eq!(health["defaultConfiguration"]["level"], "error");

    let results = runs[0]["results"].as_array().unwrap();
    // fail ×3, error ×1, waived ×1; pass and not_applicable are not results.
    assert_eq!(results.len(), 5);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        for location in result["locations"].as_array().unwrap() {
            assert!(location["physicalLocation"]["artifactLocation"]["uri"].is_string());
        }
    }
    let waived = results.iter().find(|r| r["ruleId"] == "USER-001").unwrap();
    assert_eq!(waived["suppressions"][0]["kind"], "external");
    assert_eq!(waived["suppressions"][0]["status"], "accepted");
    assert!(waived["suppressions"][0]["justification"]
        .as_str()
        .unwrap()
        .starts_with("root needed"));
    let env = results.iter().find(|r| r["ruleId"] == "ENV-001").unwrap();
    let loc = &env["locations"][0];
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"]["uri"],
        "inspect.json"
    );
    assert_eq!(loc["logicalLocations"][0]["name"], "/0/Config/Env/1");
    assert_eq!(loc["properties"]["jsonPointer"], "/0/Config/Env/1");
    let layer = &env["locations"][1];
    assert_eq!(
        layer["physicalLocation"]["artifactLocation"]["uri"],
        "history.jsonl"
    );
    assert_eq!(layer["physicalLocation"]["region"]["startLine"], 2);
}

/// Code scanning tracks an alert across runs by `partialFingerprints`: pack, requirement id and
/// subject label, the same bytes on every run, one per result.
#[test]
fn sarif_results_carry_a_stable_fingerprint() {
    let report = violating();
    let text = render(&report, Format::Sarif, RenderOptions::default());
    assert_eq!(
        text,
        render(&report, Format::Sarif, RenderOptions::default())
    );
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for r in results {
        let fingerprint = r["partialFingerprints"]["clearance/v1"].as_str().unwrap();
        let want = format!(
            "{}/{}:reactbin-api:1.3.0-rc1",
            r["properties"]["policy"].as_str().unwrap(),
            r["ruleId"].as_str().unwrap()
        );
        assert_eq!(fingerprint, want);
        assert!(seen.insert(fingerprint.to_string()), "{fingerprint} twice");
    }
    assert_eq!(seen.len(), results.len());
}

#[test]
fn sarif_rule_ids_stay_unique_when_two_packs_share_an_id() {
    let a = policy(
        "a",
        vec![req("IMG-001", fact("image.uid", vec![eq(Literal::Int(1))])).policy("a")],
    );
    let b = policy(
        "b",
        vec![req("IMG-001", fact("image.uid", vec![eq(Literal::Int(2))])).policy("b")],
    );
    let s = subject("x:1")
        .image(vec![("uid", int(0, "/Config/User"))])
        .build();
    let report = evaluate(&[a, b], &[s], &[], &Options::default());
    let sarif: Value =
        serde_json::from_str(&render(&report, Format::Sarif, RenderOptions::default())).unwrap();
    let ids: Vec<_> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a/IMG-001", "b/IMG-001"]);
}

// ───────────────────────────── hostile values ─────────────────────────────

/// A value pasted into a dump, trying to break out of every format.
const HOSTILE: &str = "<script>alert(1)</script> ]]> | `tick` *bold* [link](http://x) @team \u{1b}[31mred\u{202e} & \"q\" 'a'";

fn hostile_report() -> Report {
    let s = subject("evil:<b>|`1`")
        .image(vec![("user", text(HOSTILE, "/Config/User"))])
        .build();
    let r = req(
        "USER-002",
        fact("image.user", vec![eq(Literal::Text("app".into()))]),
    )
    .titled("User is <app> & | `safe`")
    .section("User <section>");
    with_fixed_version(evaluate(
        &[policy("p", vec![r])],
        &[s],
        &[],
        &Options::default(),
    ))
}

#[test]
fn junit_escapes_everything_and_is_well_formed() {
    let xml = render(&hostile_report(), Format::Junit, RenderOptions::default());
    assert!(!xml.contains("<script>"));
    assert!(!xml.contains("]]>"));
    assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt;"));
    assert!(!xml.contains('\u{1b}'));
    assert!(xml.contains(r"\u{1b}"));
    // a bidi override is valid XML, but would make the text read differently from what it holds
    assert!(!xml.contains('\u{202e}'));
    assert!(xml.contains(r"red\u{202e}"));
    assert_well_formed(&xml);
    assert!(xml.contains(r#"<testcase classname="test-pack.User &lt;section&gt;" name="USER-002 User is &lt;app&gt; &amp; | `safe`">"#));
    assert!(xml.contains(r#"<failure message=""#));
    assert!(xml.contains(r#"tests="1" failures="1" errors="0" skipped="0""#));
}

#[test]
fn markdown_escapes_user_values() {
    let md = render(
        &hostile_report(),
        Format::Markdown,
        RenderOptions::default(),
    );
    assert!(!md.contains("<script>"));
    assert!(!md.contains("<b>"));
    assert!(md.contains(r"&lt;script&gt;alert(1)&lt;/script&gt; \]\]&gt; \| \`tick\` \*bold\* \[link\](http://x) &#64;team"));
    assert!(!md.contains('\u{1b}'));
    assert!(!md.contains('\u{202e}'));
    // Every table row keeps its column count: no unescaped `|` from a value.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        let cells = line.replace(r"\|", "").matches('|').count();
        assert!(cells == 8 || cells == 7 || cells == 6, "{line}");
    }
}

#[test]
fn sarif_messages_escape_bidi_overrides() {
    let sarif = render(&hostile_report(), Format::Sarif, RenderOptions::default());
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    // the texts code-scanning UIs show; `properties` keep the data as it was, like the JSON report
    let message = v["runs"][0]["results"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(!message.contains('\u{202e}'), "{message}");
    assert!(message.contains(r"red\u{202e}"), "{message}");
}

#[test]
fn text_escapes_control_characters() {
    let text = render(&hostile_report(), Format::Text, RenderOptions::default());
    assert!(!text.contains('\u{1b}'));
    assert!(!text.contains('\u{202e}'));
    assert!(text.contains(r"\u{1b}[31mred\u{202e}"));
}

/// Well-formed XML (checked by a real parser), with the declaration first and no control characters.
fn assert_well_formed(xml: &str) {
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let parsed = roxmltree::Document::parse(xml).map(|_| ());
    assert_eq!(
        parsed,
        Ok(()),
        "JUnit output is not well-formed XML:\n{xml}"
    );
    assert!(
        xml.chars()
            .all(|c| matches!(c, '\t' | '\n' | '\r') || !c.is_control()),
        "control character in the XML"
    );
}

// ───────────────────────────── real dumps ─────────────────────────────

/// Strings that were masked in a subject's facts: whole secret values, and the words of a partly
/// masked value that its shown form leaves out. Short ones are skipped (they occur by chance).
fn hidden_values(fact: &clearance_core::facts::Fact, out: &mut Vec<String>) {
    use clearance_core::facts::FactValue;
    match &fact.value {
        FactValue::Text(t) if t.secret => out.push(t.raw.to_string()),
        FactValue::Text(t) => {
            if let Some(masked) = t.masked() {
                for word in t
                    .raw
                    .split(|c: char| c.is_whitespace() || c == '=' || c == ':' || c == '@')
                {
                    if !masked.contains(word) {
                        out.push(word.to_string());
                    }
                }
            }
        }
        FactValue::List(items) => items.iter().for_each(|f| hidden_values(f, out)),
        FactValue::Map(entries) => entries.iter().for_each(|(_, f)| hidden_values(f, out)),
        _ => {}
    }
}

/// Every dump of the shared corpus, alone, against every built-in pack: each format renders, SARIF and
/// JUnit keep their structure, rendering is deterministic, no masked value leaks into any output, and
/// no requirement ends in an evaluation error (a type mismatch between a pack and the facts).
#[test]
#[expect(
    clippy::disallowed_methods,
    reason = "the test reads the shared corpus; the core itself does no I/O"
)]
fn corpus_reports() {
    use clearance_core::{api, builtin, input};
    let root = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    if !root.is_dir() {
        println!("shared corpus not found at {}; skipping", root.display());
        return;
    }
    let mut policies = Vec::new();
    let mut pack_texts = String::new();
    for pack in builtin::PACKS {
        match api::load_policy(&api::PolicyInput::Builtin(pack.name.to_string())) {
            Ok(p) => policies.push(p),
            Err(errors) => panic!("built-in pack `{}` does not load: {errors:?}", pack.name),
        }
        pack_texts.push_str(pack.text);
    }
    let mut files: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir() && e.file_name() != "invalid")
        .flat_map(|dir| std::fs::read_dir(dir.path()).unwrap().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "ndjson"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut problems = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let doc = match input::read(&name, &bytes, None, &input::Limits::default()) {
            Ok(doc) => doc,
            Err(e) => {
                problems.push(format!("{name}: does not read: {e}"));
                continue;
            }
        };
        let subjects = match input::subjects(std::slice::from_ref(&doc)) {
            Ok(s) => s,
            Err(e) => {
                problems.push(format!("{name}: no subjects: {e}"));
                continue;
            }
        };
        let mut hidden = Vec::new();
        for s in &subjects {
            hidden_values(&s.facts, &mut hidden);
        }
        hidden.retain(|h| h.chars().count() >= 6 && !pack_texts.contains(h.as_str()));
        let report = evaluate(
            &policies,
            &subjects,
            &[],
            &Options {
                today: Some(date("2026-11-23")),
                ..Options::default()
            },
        );
        for s in &report.subjects {
            for r in &s.results {
                if r.message.starts_with("evaluation error") {
                    problems.push(format!("{name}: {} ({}): {}", r.id, r.policy, r.message));
                }
            }
        }
        for (format, output) in all_formats(&report) {
            assert_eq!(output, render(&report, format, RenderOptions::default()));
            for h in &hidden {
                if output.contains(h.as_str()) {
                    problems.push(format!(
                        "{name}: {} output shows a masked value",
                        format.name()
                    ));
                }
            }
            match format {
                Format::Sarif => {
                    let sarif: Value = serde_json::from_str(&output).unwrap();
                    assert_eq!(sarif["version"], "2.1.0");
                }
                Format::Junit => assert_well_formed(&output),
                Format::Json => {
                    let back: Report = serde_json::from_str(&output).unwrap();
                    assert_eq!(back, report);
                }
                Format::Text | Format::Markdown => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A secret in an env value, a history ENV line and a command-line option, through the real input
/// stage and every built-in pack: it shows nowhere, in any format.
#[test]
fn secrets_from_real_input_never_show() {
    use clearance_core::{api, builtin, input};
    const VALUE: &str = "zq8-Very-Secret-Value";
    let inspect = serde_json::json!([{
        "Id": "sha256:3333333333333333333333333333333333333333333333333333333333333333",
        "RepoTags": ["reactbin-api:9.9.9"],
        "RepoDigests": [],
        "Created": "2026-11-01T10:00:00Z",
        "Os": "linux",
        "Architecture": "amd64",
        "Size": 150000000,
        "Config": {
            "User": "",
            "Env": ["PATH=/usr/local/bin:/usr/bin", format!("JWT_SECRET_KEY={VALUE}")],
            "Cmd": ["uvicorn", "app.main:app", format!("--db-password={VALUE}")],
            "ExposedPorts": {"8000/tcp": {}},
            "Labels": {"org.opencontainers.image.source": "https://example.invalid/app"}
        },
        "RootFS": {"Type": "layers", "Layers": ["sha256:aa", "sha256:bb"]}
    }])
    .to_string();
    let history = [
        format!(r#"{{"Comment":"","CreatedAt":"2026-11-01T10:00:00Z","CreatedBy":"/bin/sh -c #(nop)  ENV JWT_SECRET_KEY={VALUE}","CreatedSince":"3 weeks ago","ID":"<missing>","Size":"0B"}}"#),
        r#"{"Comment":"","CreatedAt":"2026-11-01T09:00:00Z","CreatedBy":"/bin/sh -c #(nop) ADD file:abc in / ","CreatedSince":"3 weeks ago","ID":"<missing>","Size":"5MB"}"#.to_string(),
    ]
    .join("\n");
    let limits = input::Limits::default();
    let docs = [
        input::read("inspect.json", inspect.as_bytes(), None, &limits).unwrap(),
        input::read("history.jsonl", history.as_bytes(), None, &limits).unwrap(),
    ];
    let subjects = input::subjects(&docs).unwrap();
    assert_eq!(subjects.len(), 1);
    let policies: Vec<_> = builtin::PACKS
        .iter()
        .map(|p| api::load_policy(&api::PolicyInput::Builtin(p.name.to_string())).unwrap())
        .collect();
    let report = evaluate(&policies, &subjects, &[], &Options::default());
    assert_eq!(report.verdict.name(), "fail");
    for (format, output) in all_formats(&report).into_iter().chain([(
        Format::Text,
        render(&report, Format::Text, RenderOptions { color: true }),
    )]) {
        assert!(
            !output.contains("zq8"),
            "{} output shows the secret",
            format.name()
        );
    }
    // The secret was found (and reported masked) by some requirement.
    let json = to_json(&report);
    assert!(
        json.contains("JWT_SECRET_KEY=***"),
        "the env secret is not reported"
    );
}
