//! Evaluation semantics: three-valued checks, absent and truncated values, pointers, `when`, waivers,
//! deduplication, verdicts, evidence and the work cap.
//!
//! Most cases are rows of one table (a check, the status it must get on the standard subject, and words
//! its message must hold); the rest test one behaviour each.

#[path = "support/builders.rs"]
mod builders;

use builders::*;
use clearance_core::eval::{evaluate, Options};
use clearance_core::facts::Root;
use clearance_core::policy::{Check, Op, Severity, Waiver};
use clearance_core::report::{to_json, Report, RequirementResult, Status, Verdict};

/// The secret value of `JWT_SECRET_KEY` in the standard subject: must never appear in any output.
const SECRET: &str = "s3cr3t-jwt-value";

/// The standard subject: an image with history, no container.
fn app() -> builders::SubjectBuilder {
    subject("reactbin-api:1.2.3")
        .image_id("sha256:0123456789abcdef")
        .digests(&["reactbin-api@sha256:feedface"])
        .image(vec![
            ("user", text("appuser", "/Config/User")),
            ("uid", absent("/Config/User")),
            ("user_name", text("appuser", "/Config/User")),
            ("runs_as_root", boolean(false, "/Config/User")),
            ("size", bytes("150MB", "/Size")),
            ("ports", strings(&["8000/tcp"], "/Config/ExposedPorts")),
            ("cmd", strings(&["uvicorn", "app.main:app"], "/Config/Cmd")),
            (
                "env",
                env(&[
                    ("PATH", "/usr/local/bin:/usr/bin", false),
                    ("JWT_SECRET_KEY", SECRET, true),
                    ("S3_BUCKET", "reactbin-prod", false),
                ]),
            ),
            ("labels", record(vec![], "/Config/Labels")),
            ("volumes", absent("/Config/Volumes")),
            ("stop_signal", absent("/Config/StopSignal")),
            (
                "healthcheck",
                record(
                    vec![
                        ("interval", dur("1m", "/Config/Healthcheck/Interval")),
                        ("retries", int(3, "/Config/Healthcheck/Retries")),
                        (
                            "test",
                            strings(
                                &["CMD-SHELL", "curl -f http://localhost:8000/health"],
                                "/Config/Healthcheck/Test",
                            ),
                        ),
                    ],
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
            layer("COPY /build/app/.venv /app/.venv # buildkit"),
            layer("COPY app/ ./app/ # buildkit"),
            layer_truncated(
                "/bin/sh -c pip install --no-cache-dir -r requirements.txt && echo passw…",
            ),
        ])
        .raw_image(serde_json::json!({
            "Id": "sha256:0123456789abcdef",
            "Config": {
                "User": "appuser",
                "Env": ["PATH=/usr/local/bin:/usr/bin", format!("JWT_SECRET_KEY={SECRET}")],
                "Healthcheck": { "Interval": 60_000_000_000u64 },
                "Labels": null,
                "Cmd": ["uvicorn", format!("--api-token={SECRET}")],
                "Entrypoint": ["sh", "-c", format!("psql postgres://app:{SECRET}@db/app")]
            }
        }))
}

fn run(
    policies: &[clearance_core::policy::Policy],
    waivers: &[Waiver],
    options: &Options,
) -> Report {
    evaluate(policies, &[app().build()], waivers, options)
}

/// Evaluates one check as requirement `T-001` on the standard subject.
fn one(check: Check) -> RequirementResult {
    one_with(check, &Options::default())
}

fn one_with(check: Check, options: &Options) -> RequirementResult {
    let report = run(&[policy("p", vec![req("T-001", check)])], &[], options);
    let result = RequirementResult::clone(&report.subjects[0].results[0]);
    assert_masked(&report);
    result
}

/// The secret must not appear anywhere in the report.
fn assert_masked(report: &Report) {
    let json = to_json(report);
    assert!(
        !json.contains(SECRET),
        "secret leaked into the report:\n{json}"
    );
}

struct Case {
    name: &'static str,
    check: Check,
    status: Status,
    /// Words the message must contain.
    message: &'static str,
}

fn case(name: &'static str, check: Check, status: Status, message: &'static str) -> Case {
    Case {
        name,
        check,
        status,
        message,
    }
}

fn cases() -> Vec<Case> {
    use Status::{Error, Fail, Pass};
    vec![
        // ── scalars ──
        case("duration equals fails", fact("image.healthcheck.interval", vec![eq(d("30s"))]), Fail,
             "`image.healthcheck.interval` is 1m, expected 30s"),
        case("duration equals passes", fact("image.healthcheck.interval", vec![eq(d("60s"))]), Pass, "is 1m"),
        case("text equals", fact("image.user", vec![eq(t("appuser"))]), Pass, "`image.user` is `appuser`"),
        case("one_of", fact("image.user", vec![Op::OneOf(vec![t("root"), t("app")])]), Fail,
             "expected one of `root`, `app`"),
        case("glob", fact("image.user", vec![Op::Glob(m("app*"))]), Pass, ""),
        case("int gte", fact("image.healthcheck.retries", vec![gte(clearance_core::policy::Literal::Int(3))]), Pass, ""),
        case("int lt", fact("image.healthcheck.retries", vec![lt(clearance_core::policy::Literal::Int(3))]), Fail,
             "expected < 3"),
        case("size compare", fact("image.size", vec![lt(clearance_core::policy::Literal::Size(200_000_000))]), Pass, ""),
        case("every operator must hold", fact("image.user", vec![Op::Exists(true), eq(t("root"))]), Fail,
             "expected `root`"),
        // ── absent values (the table in the reference) ──
        case("absent: equals fails", fact("image.stop_signal", vec![eq(t("SIGTERM"))]), Fail, "is absent"),
        case("absent: exists false holds", fact("image.stop_signal", vec![Op::Exists(false)]), Pass, ""),
        case("absent: exists true fails", fact("image.stop_signal", vec![Op::Exists(true)]), Fail, "expected a value"),
        case("absent: empty holds", fact("image.volumes", vec![Op::Empty(true)]), Pass, ""),
        case("absent: matches fails", fact("image.stop_signal", vec![Op::Matches(re("TERM"))]), Fail, ""),
        case("absent: not_matches holds", fact("image.stop_signal", vec![Op::NotMatches(re("KILL"))]), Pass, ""),
        case("absent: glob fails", fact("image.stop_signal", vec![Op::Glob(m("SIG*"))]), Fail, ""),
        case("absent: comparison fails", fact("image.uid", vec![gte(clearance_core::policy::Literal::Int(1000))]), Fail,
             "`image.uid` is absent"),
        case("absent: excludes holds", fact("image.volumes", vec![Op::Excludes(ms(&["/tmp"]))]), Pass, ""),
        case("absent: contains fails", fact("image.volumes", vec![Op::Contains(t("/data"))]), Fail, ""),
        case("absent: contains_all fails", fact("image.volumes", vec![Op::ContainsAll(ms(&["/data"]))]), Fail, ""),
        case("absent: contains_any fails", fact("image.volumes", vec![Op::ContainsAny(ms(&["/data"]))]), Fail, ""),
        case("absent: any fails", fact("image.volumes", vec![any(element(vec![eq(t("/data"))]))]), Fail, "is absent"),
        case("absent: all holds", fact("image.volumes", vec![all(element(vec![eq(t("/data"))]))]), Pass, ""),
        case("absent: none holds", fact("image.volumes", vec![none(element(vec![eq(t("/data"))]))]), Pass, ""),
        case("absent: count counts 0", fact("image.volumes", vec![count(None, None, Some(0))]), Pass, "has 0"),
        case("absent: count min fails", fact("image.volumes", vec![count(None, Some(1), None)]), Fail,
             "expected at least 1"),
        case("absent below an absent record", fact("image.healthcheck.timeout", vec![Op::Exists(false)]), Pass, ""),
        // ── documents not given ──
        case("container not given", fact("container.privileged", vec![eq(clearance_core::policy::Literal::Bool(false))]),
             Error, "needs `docker container inspect`"),
        case("document check fails", Check::Document(Root::Container), Fail, "no container dump was given"),
        case("document check passes", Check::Document(Root::History), Pass, "a history dump was given"),
        case("not unknown is unknown", not(fact("container.privileged", vec![eq(clearance_core::policy::Literal::Bool(true))])),
             Error, "needs"),
        case("any_of: pass beats unknown",
             Check::AnyOf(vec![fact("container.privileged", vec![Op::Exists(true)]), fact("image.user", vec![eq(t("appuser"))])]),
             Pass, ""),
        case("any_of: unknown beats fail",
             Check::AnyOf(vec![fact("container.privileged", vec![Op::Exists(true)]), fact("image.user", vec![eq(t("root"))])]),
             Error, "needs"),
        case("all_of: fail beats unknown",
             Check::AllOf(vec![fact("container.privileged", vec![Op::Exists(true)]), fact("image.user", vec![eq(t("root"))])]),
             Fail, "expected `root`"),
        case("all_of: unknown beats pass",
             Check::AllOf(vec![fact("image.user", vec![eq(t("appuser"))]), fact("container.privileged", vec![Op::Exists(true)])]),
             Error, "needs"),
        // Only the outcome a junction shows is explained, but every check is evaluated: an evaluation
        // error after the deciding check is still the result.
        case("all_of: an error after a failing check is the result",
             Check::AllOf(vec![fact("image.user", vec![eq(t("root"))]), fact("image.user", vec![gte(clearance_core::policy::Literal::Int(3))])]),
             Error, "`image.user`"),
        case("one fact check: an error in an operator after a failing one is the result",
             fact("image.user", vec![eq(t("root")), gte(clearance_core::policy::Literal::Int(3))]),
             Error, "`image.user`"),
        case("all_of: an error inside a nested junction after the deciding check is the result",
             Check::AllOf(vec![fact("image.user", vec![eq(t("root"))]), Check::AnyOf(vec![fact("image.user", vec![eq(t("appuser"))]), fact("image.user", vec![gte(clearance_core::policy::Literal::Int(3))])])]),
             Error, "`image.user`"),
        case("any_of: an error after a passing check is the result",
             Check::AnyOf(vec![fact("image.user", vec![eq(t("appuser"))]), fact("image.user", vec![gte(clearance_core::policy::Literal::Int(3))])]),
             Error, "`image.user`"),
        case("any_of: of several failing branches, all are explained",
             Check::AnyOf(vec![fact("image.user", vec![eq(t("root"))]), fact("image.healthcheck.retries", vec![lt(clearance_core::policy::Literal::Int(3))])]),
             Fail, "`image.user` is `appuser`, expected `root`; `image.healthcheck.retries` is 3, expected < 3"),
        case("any_of: the first passing branch is shown",
             Check::AnyOf(vec![fact("image.user", vec![eq(t("root"))]), fact("image.healthcheck.retries", vec![gte(clearance_core::policy::Literal::Int(3))]), fact("image.user", vec![eq(t("appuser"))])]),
             Pass, "`image.healthcheck.retries` is 3"),
        case("not flips", not(fact("image.runs_as_root", vec![eq(clearance_core::policy::Literal::Bool(true))])), Pass, ""),
        // ── truncated history ──
        case("no secret in history cannot pass over a truncated line",
             fact("history", vec![none(field("created_by", vec![Op::Matches(re("(?i)password"))]))]),
             Error, "layer 4 of `history`: `created_by` was printed truncated"),
        case("a match in a truncated line is real",
             fact("history", vec![any(field("created_by", vec![Op::Matches(re("pip install"))]))]),
             Pass, "layer 4 of `history`"),
        case("not_matches: a match in a truncated line fails",
             fact("history", vec![all(field("created_by", vec![Op::NotMatches(re("pip install"))]))]),
             Fail, "layer 4"),
        case("equals on truncated text is unknown",
             fact("history", vec![any(field("created_by", vec![eq(t("x"))]))]),
             Error, "printed truncated"),
        case("glob on truncated text is unknown",
             fact("history", vec![all(field("created_by", vec![Op::Glob(m("*"))]))]),
             Error, "printed truncated"),
        case("a secret found in history is reported masked",
             fact("history", vec![none(field("created_by", vec![Op::Matches(re("s3cr3t"))]))]),
             Fail, "found in layer 1 of `history`: `created_by` is `/bin/sh -c #(nop)  ENV JWT_SECRET_KEY=***`"),
        // ── collections ──
        case("contains in a list", fact("image.ports", vec![Op::Contains(t("8000/tcp"))]), Pass, "element 0"),
        case("contains a map key", fact("image.env", vec![Op::Contains(t("PATH"))]), Pass, "has the key `PATH`"),
        case("contains_all", fact("image.ports", vec![Op::ContainsAll(ms(&["8000/tcp", "9000/*"]))]), Fail,
             "has no element matching `9000/*`"),
        case("contains_any", fact("image.env", vec![Op::ContainsAny(ms(&["S3_*"]))]), Pass, "`S3_BUCKET=reactbin-prod`"),
        case("excludes env keys",
             fact("image.env", vec![Op::Excludes(ms(&["JWT_SECRET_KEY", "OWNER_PASSWORD", "S3_*"]))]),
             Fail, "`image.env` has the keys `JWT_SECRET_KEY`, `S3_BUCKET`, expected no key matching `JWT_SECRET_KEY`, `OWNER_PASSWORD`, `S3_*`"),
        case("map entries are name/value records",
             fact("image.env", vec![any(field("name", vec![Op::Matches(re("^S3_"))]))]),
             Pass, "entry `S3_BUCKET` of `image.env`"),
        case("secret values are matched but not shown",
             fact("image.env", vec![none(field("value", vec![Op::Matches(re("s3cr3t"))]))]),
             Fail, "entry `JWT_SECRET_KEY` of `image.env`: `value` is `***`"),
        case("all elements", fact("image.cmd", vec![all(element(vec![Op::Matches(re("^[a-z]"))]))]), Pass,
             "all 2 elements"),
        case("count where", fact("history", vec![count(Some(field("instruction", vec![eq(t("COPY"))])), Some(2), Some(2))]),
             Pass, "has 2 matching layers"),
        case("count with truncated lines is unknown",
             fact("history", vec![count(Some(field("created_by", vec![Op::Matches(re("secret"))])), None, Some(0))]),
             Error, "between 0 and 1"),
        case("order holds",
             fact("history", vec![order(field("created_by", vec![Op::Matches(re(r"COPY .*/app/\.venv"))]),
                                        field("created_by", vec![Op::Matches(re(r"COPY .*app/ \./app/"))]))]),
             Pass, "layer 2 of `history` (first) comes before layer 3 (then)"),
        case("order reversed fails",
             fact("history", vec![order(field("created_by", vec![Op::Matches(re(r"COPY .*app/ \./app/"))]),
                                        field("created_by", vec![Op::Matches(re(r"COPY .*/app/\.venv"))]))]),
             Fail, "layer 2 of `history` satisfies `then` but comes before layer 3"),
        case("order with nothing first fails",
             fact("history", vec![order(field("instruction", vec![eq(t("USER"))]),
                                        field("instruction", vec![eq(t("COPY"))]))]),
             Fail, "no layer of `history` satisfies `first`"),
        case("order: a sure `then` before an undecided `first` fails",
             fact("history", vec![order(field("created_by", vec![Op::Matches(re("^nothing"))]),
                                        field("instruction", vec![eq(t("COPY"))]))]),
             Fail, "layer 2 of `history` satisfies `then` but comes before layer 4"),
        case("order undecided by a truncated line",
             fact("history", vec![order(field("instruction", vec![eq(t("COPY"))]),
                                        field("created_by", vec![Op::Matches(re("requirements-dev"))]))]),
             Error, "layer 4"),
        // ── pointers ──
        case("pointer equals", pointer(Root::Image, "/Config/User", vec![eq(t("appuser"))]), Pass, ""),
        case("pointer missing is absent", pointer(Root::Image, "/Config/Nope", vec![Op::Exists(false)]), Pass, ""),
        case("pointer null is absent", pointer(Root::Image, "/Config/Labels", vec![Op::Empty(true)]), Pass, ""),
        case("pointer number", pointer(Root::Image, "/Config/Healthcheck/Interval",
             vec![eq(clearance_core::policy::Literal::Int(60_000_000_000))]), Pass, ""),
        case("pointer env is masked", pointer(Root::Image, "/Config/Env",
             vec![any(element(vec![Op::Matches(re("^JWT_SECRET_KEY=s3cr3t"))]))]), Pass, "`JWT_SECRET_KEY=***`"),
        case("pointer secret option is masked", pointer(Root::Image, "/Config/Cmd",
             vec![any(element(vec![Op::Matches(re("s3cr3t"))]))]), Pass, "--api-token=***"),
        case("pointer URL credentials are masked", pointer(Root::Image, "/Config/Entrypoint",
             vec![any(element(vec![Op::Matches(re("postgres://"))]))]), Pass, "postgres://app:***@db/app"),
        case("pointer into a document not given", pointer(Root::Container, "/HostConfig/Privileged",
             vec![eq(clearance_core::policy::Literal::Bool(false))]), Error, "needs `docker container inspect`"),
        // ── evaluation errors ──
        case("type mismatch through a pointer", pointer(Root::Image, "/Config/User", vec![eq(d("30s"))]), Error,
             "`equals` cannot compare `image:/Config/User` (a string) with the duration 30s"),
        case("comparison of a string", fact("image.user", vec![gte(clearance_core::policy::Literal::Int(1))]), Error,
             "cannot compare"),
        case("regex on a list", fact("image.cmd", vec![Op::Matches(re("x"))]), Error,
             "`matches` needs a string, but `image.cmd` is a list of 2 elements"),
        case("equals on a map", fact("image.env", vec![eq(t("x"))]), Error, "needs a single value"),
        case("field outside an element", field("created_by", vec![Op::Exists(true)]), Error,
             "addresses a list element"),
        case("element operator on a string", fact("image.user", vec![any(element(vec![Op::Exists(true)]))]), Error,
             "`any` needs a list or a map"),
        case("path through a string", fact("image.user.name", vec![Op::Exists(true)]), Error,
             "cannot be followed past `name`"),
        case("bad pointer", pointer(Root::Image, "Config/User", vec![Op::Exists(true)]), Error, "is not a JSON pointer"),
    ]
}

#[test]
fn check_table() {
    let mut failures = Vec::new();
    for c in cases() {
        let r = one(c.check);
        if r.status != c.status || !r.message.contains(c.message) {
            failures.push(format!(
                "{}: got {} `{}`, want {} containing `{}`",
                c.name,
                r.status.name(),
                r.message,
                c.status.name(),
                c.message
            ));
        }
        assert!(
            !r.message.contains('\n'),
            "{}: message is not one line",
            c.name
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn result_fields_for_a_failure() {
    let r = one(fact("image.healthcheck.interval", vec![eq(d("30s"))]));
    assert_eq!(r.status, Status::Fail);
    assert_eq!(&*r.expected, "`image.healthcheck.interval` equals 30s");
    assert_eq!(r.actual, "1m");
    assert_eq!(r.evidence.len(), 1);
    assert_eq!(&*r.evidence[0].document, INSPECT);
    assert_eq!(r.evidence[0].pointer, "/0/Config/Healthcheck/Interval");
    assert_eq!(r.evidence[0].value.as_deref(), Some("1m"));
    assert_eq!(&*r.remediation, "Fix T-001.");
}

#[test]
fn expected_is_the_human_form_of_the_check() {
    let secret_in_history = one(fact(
        "history",
        vec![none(field(
            "created_by",
            vec![Op::Matches(re("(?i)password|secret_key"))],
        ))],
    ));
    assert_eq!(
        &*secret_in_history.expected,
        "`history` has no layer with `created_by` matching `(?i)password|secret_key`"
    );
    let env = one(fact(
        "image.env",
        vec![Op::Excludes(ms(&[
            "JWT_SECRET_KEY",
            "OWNER_PASSWORD",
            "S3_*",
        ]))],
    ));
    assert_eq!(
        &*env.expected,
        "`image.env` has no key matching `JWT_SECRET_KEY`, `OWNER_PASSWORD`, `S3_*`"
    );
    let when = one(Check::AnyOf(vec![
        Check::Document(Root::Container),
        not(fact("image.user", vec![eq(t("root")), Op::Exists(true)])),
    ]));
    assert_eq!(
        &*when.expected,
        "a container dump is given or not (`image.user` equals `root` and `image.user` is present)"
    );
    // a parameter may give an empty list: the texts say so instead of ending in `one of `
    let empty = one(fact("image.user", vec![Op::OneOf(Vec::new())]));
    assert_eq!(&*empty.expected, "`image.user` is one of (an empty list)");
    assert!(
        empty.message.ends_with("one of (an empty list)"),
        "{}",
        empty.message
    );
}

#[test]
fn history_evidence_names_the_layer_and_its_masked_instruction() {
    let r = one(fact(
        "history",
        vec![none(field(
            "created_by",
            vec![Op::Matches(re("JWT_SECRET"))],
        ))],
    ));
    assert_eq!(r.status, Status::Fail);
    let e = &r.evidence[0];
    assert_eq!(&*e.document, HISTORY);
    assert_eq!(e.pointer, "/1/CreatedBy");
    assert_eq!(e.line, Some(2));
    assert_eq!(e.layer, Some(1));
    assert_eq!(e.instruction.as_deref(), Some("ENV JWT_SECRET_KEY=***"));
}

#[test]
fn env_offenders_point_at_the_layer_that_set_them() {
    let r = one(fact(
        "image.env",
        vec![Op::Excludes(ms(&["JWT_SECRET_KEY"]))],
    ));
    assert_eq!(r.status, Status::Fail);
    assert_eq!(
        r.actual,
        "JWT_SECRET_KEY=*** (set by layer 1: ENV JWT_SECRET_KEY=***)"
    );
    let pointers: Vec<_> = r
        .evidence
        .iter()
        .map(|e| (&*e.document, e.pointer.as_str(), e.layer))
        .collect();
    assert_eq!(
        pointers,
        [
            (INSPECT, "/0/Config/Env/1", None),
            (HISTORY, "/1/CreatedBy", Some(1))
        ]
    );
}

#[test]
fn when_decides_applicability() {
    let container_only = req(
        "RUN-001",
        fact(
            "container.privileged",
            vec![eq(clearance_core::policy::Literal::Bool(false))],
        ),
    )
    .when(Check::Document(Root::Container));
    let unknown_when = req("RUN-002", fact("image.user", vec![Op::Exists(true)]))
        .when(fact("container.user", vec![Op::Exists(true)]));
    let failing_when = req("RUN-003", fact("image.user", vec![eq(t("nobody"))]))
        .when(fact("image.user", vec![eq(t("root"))]));
    let holding_when = req("RUN-004", fact("image.user", vec![eq(t("nobody"))]))
        .when(fact("image.user", vec![eq(t("appuser"))]));
    let report = run(
        &[policy(
            "p",
            vec![container_only, unknown_when, failing_when, holding_when],
        )],
        &[],
        &Options::default(),
    );
    let statuses: Vec<_> = report.subjects[0]
        .results
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses,
        [
            Status::NotApplicable,
            Status::Error,
            Status::NotApplicable,
            Status::Fail
        ]
    );
    let r = &report.subjects[0].results;
    assert_eq!(r[0].message, "not applicable: no container dump was given");
    assert!(r[1]
        .message
        .starts_with("its condition (`when`) cannot be decided: needs"));
}

#[test]
fn evaluation_errors_name_the_policy_location() {
    let r = one(pointer(Root::Image, "/Config/User", vec![eq(d("30s"))]));
    assert_eq!(r.status, Status::Error);
    assert!(r.message.ends_with("(test-pack.yaml:1:1)"), "{}", r.message);
}

// ───────────────────────────── waivers ─────────────────────────────

fn failing_pack() -> clearance_core::policy::Policy {
    policy(
        "p",
        vec![
            req(
                "HEALTH-002",
                fact("image.healthcheck.interval", vec![eq(d("30s"))]),
            ),
            req("USER-001", fact("image.user", vec![eq(t("appuser"))])),
            req(
                "RUN-001",
                fact("container.privileged", vec![Op::Exists(true)]),
            ),
        ],
    )
}

fn with_waivers(waivers: &[Waiver], today: Option<&str>) -> Report {
    let options = Options {
        today: today.map(date),
        ..Options::default()
    };
    let report = run(&[failing_pack()], waivers, &options);
    assert_masked(&report);
    report
}

#[test]
fn a_waiver_turns_fail_and_error_into_waived() {
    let mut w = waiver("HEALTH-002", "slow probe until v2");
    w.approver = Some("jane@example.com".into());
    w.expires = Some(date("2026-12-31"));
    let report = with_waivers(
        &[w, waiver("RUN-001", "no container in CI")],
        Some("2026-12-31"),
    );
    let r = &report.subjects[0].results;
    assert_eq!(r[0].status, Status::Waived);
    let note = r[0].waiver.as_ref().unwrap();
    assert!(note.applied);
    assert_eq!(note.message, "waiver applies until 2026-12-31");
    assert_eq!(note.approver.as_deref(), Some("jane@example.com"));
    assert_eq!(r[2].status, Status::Waived);
    assert_eq!(report.verdict, Verdict::Pass);
    assert_eq!(report.counts.waived, 2);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
}

#[test]
fn an_expired_waiver_does_not_apply() {
    let mut w = waiver("HEALTH-002", "slow probe until v2");
    w.expires = Some(date("2026-01-31"));
    let report = with_waivers(&[w], Some("2026-02-01"));
    let r = &report.subjects[0].results[0];
    assert_eq!(r.status, Status::Fail);
    let note = r.waiver.as_ref().unwrap();
    assert!(!note.applied);
    assert_eq!(
        note.message,
        "waiver expired on 2026-01-31 (today is 2026-02-01)"
    );
    assert_eq!(report.verdict, Verdict::Fail);
    assert_eq!(
        report.notes,
        ["waiver for `HEALTH-002` (waivers.yaml:2:5) did not apply: waiver expired on 2026-01-31 (today is 2026-02-01)"]
    );
}

#[test]
fn a_waiver_with_an_expiry_needs_today() {
    let mut w = waiver("HEALTH-002", "slow probe");
    w.expires = Some(date("2099-01-01"));
    let report = with_waivers(&[w], None);
    let r = &report.subjects[0].results[0];
    assert_eq!(r.status, Status::Fail);
    let note = r.waiver.as_ref().unwrap();
    assert!(!note.applied);
    assert!(note
        .message
        .starts_with("waiver has an expiry date but no --today was given"));
}

#[test]
fn waiver_notes_for_unknown_ids_unused_waivers_and_other_images() {
    let mut other_image = waiver("HEALTH-002", "for the worker image");
    other_image.image = Some(m("reactbin-worker:*"));
    let mut by_digest = waiver("RUN-001", "digest pinned");
    by_digest.image = Some(m("reactbin-api@sha256:*"));
    let report = with_waivers(
        &[
            waiver("NOPE-001", "typo"),
            waiver("USER-001", "not needed"),
            other_image,
            by_digest,
            waiver("health-002", "ids are case-sensitive"),
        ],
        Some("2026-01-01"),
    );
    let r = &report.subjects[0].results;
    assert_eq!(r[0].status, Status::Fail);
    assert_eq!(r[1].status, Status::Pass);
    assert_eq!(r[2].status, Status::Waived, "a digest pattern matches");
    assert_eq!(
        report.notes,
        [
            "waiver for `NOPE-001` (waivers.yaml:2:5) names no requirement of the loaded policies; it was not used",
            "waiver for `USER-001` (waivers.yaml:2:5) is unused for `reactbin-api:1.2.3` (pass): the requirement did not fail",
            "waiver for `HEALTH-002` (waivers.yaml:2:5) matches none of the subjects (image pattern `reactbin-worker:*`)",
            "waiver for `health-002` (waivers.yaml:2:5) names no requirement of the loaded policies; it was not used",
        ]
    );
}

// ───────────────────────────── policies, verdicts, counts ─────────────────────────────

#[test]
fn the_same_requirement_from_the_same_pack_is_evaluated_once() {
    let baseline =
        || req("IMG-001", fact("image.user", vec![Op::Exists(true)])).policy("image-baseline");
    let a = policy(
        "a",
        vec![
            baseline(),
            req("A-001", fact("image.user", vec![Op::Exists(true)])),
        ],
    );
    let b = policy(
        "b",
        vec![
            baseline(),
            req("B-001", fact("image.user", vec![Op::Exists(true)])),
        ],
    );
    let c = policy(
        "c",
        vec![req("IMG-001", fact("image.user", vec![eq(t("root"))])).policy("c")],
    );
    let report = run(&[a, b, c], &[], &Options::default());
    let ids: Vec<_> = report.subjects[0]
        .results
        .iter()
        .map(|r| format!("{}/{}", r.policy, r.id))
        .collect();
    assert_eq!(
        ids,
        [
            "image-baseline/IMG-001",
            "test-pack/A-001",
            "test-pack/B-001",
            "c/IMG-001"
        ]
    );
    assert_eq!(report.policies.len(), 3);
}

#[test]
fn verdicts_and_counts() {
    let warn_fail =
        req("W-001", fact("image.user", vec![eq(t("root"))])).severity(Severity::Warning);
    let info_fail = req("I-001", fact("image.user", vec![eq(t("root"))])).severity(Severity::Info);
    let pass = req("P-001", fact("image.user", vec![eq(t("appuser"))]));
    let warn_error =
        req("W-002", fact("container.user", vec![Op::Exists(true)])).severity(Severity::Warning);
    let report = run(
        &[policy(
            "p",
            vec![
                warn_fail.clone(),
                info_fail.clone(),
                pass.clone(),
                warn_error,
            ],
        )],
        &[],
        &Options::default(),
    );
    assert_eq!(report.verdict, Verdict::Pass, "only error severity blocks");
    let c = &report.counts;
    assert_eq!((c.total, c.pass, c.fail, c.error), (4, 1, 2, 1));
    assert_eq!(
        (
            c.failed_by_severity.error,
            c.failed_by_severity.warning,
            c.failed_by_severity.info
        ),
        (0, 1, 1)
    );

    let blocking_error = req("E-001", fact("container.user", vec![Op::Exists(true)]));
    let report = run(
        &[policy("p", vec![pass.clone(), blocking_error.clone()])],
        &[],
        &Options::default(),
    );
    assert_eq!(report.verdict, Verdict::Incomplete);

    let blocking_fail = req("F-001", fact("image.user", vec![eq(t("root"))]));
    let report = run(
        &[policy("p", vec![blocking_error, blocking_fail, pass])],
        &[],
        &Options::default(),
    );
    assert_eq!(report.verdict, Verdict::Fail);
    assert_eq!(report.subjects[0].verdict, Verdict::Fail);

    let report = evaluate(&[policy("p", vec![])], &[], &[], &Options::default());
    assert_eq!(report.verdict, Verdict::Incomplete, "no subject");
    assert_eq!(report.notes.len(), 1);
}

#[test]
fn several_subjects_sum_up() {
    let good = app().build();
    let bad = subject("other:1")
        .image(vec![("user", text("root", "/Config/User"))])
        .build();
    let report = evaluate(
        &[policy(
            "p",
            vec![req("U-001", fact("image.user", vec![eq(t("appuser"))]))],
        )],
        &[good, bad],
        &[],
        &Options::default(),
    );
    assert_eq!(report.subjects[0].verdict, Verdict::Pass);
    assert_eq!(report.subjects[1].verdict, Verdict::Fail);
    assert_eq!(report.verdict, Verdict::Fail);
    assert_eq!(
        (report.counts.total, report.counts.pass, report.counts.fail),
        (2, 1, 1)
    );
}

// ───────────────────────────── bounds and determinism ─────────────────────────────

fn long_history(n: usize) -> clearance_core::facts::Subject {
    let layers: Vec<_> = (0..n)
        .map(|i| layer(&format!("/bin/sh -c echo step {i}")))
        .collect();
    subject("big:1").history(&layers).build()
}

#[test]
fn evidence_is_bounded() {
    let report = evaluate(
        &[policy(
            "p",
            vec![req(
                "H-001",
                fact(
                    "history",
                    vec![none(field("created_by", vec![Op::Matches(re("echo"))]))],
                ),
            )],
        )],
        &[long_history(50)],
        &[],
        &Options::default(),
    );
    let r = &report.subjects[0].results[0];
    assert_eq!(r.status, Status::Fail);
    assert_eq!(r.evidence.len(), 20);
    assert_eq!(r.evidence_omitted, 30);
    assert!(r.message.contains("(and 49 more layers)"), "{}", r.message);
    assert!(r.actual.ends_with("and 40 more"), "{}", r.actual);
}

/// Checks after the one that decides an `all_of` / `any_of` (or a fact check's operators) are not
/// evaluated when they cannot fail to, but still count their steps: the cap at which each requirement
/// stops being an error is what it was when every check was evaluated (measured on that evaluator).
#[test]
fn decided_checks_still_count_their_steps() {
    let layers = [
        layer("/bin/sh -c echo one"),
        layer("/bin/sh -c #(nop) ADD file:abc in /app/"),
        layer("/bin/sh -c echo two"),
    ];
    let subject = subject("s:1").history(&layers).build();
    let add_from_file = Check::AllOf(vec![
        field("instruction", vec![eq(t("ADD"))]),
        field("created_by", vec![Op::NotMatches(re("https?://"))]),
        field("created_by", vec![Op::NotMatches(re(r"\.tar$"))]),
    ]);
    let echo_or_add = Check::AnyOf(vec![
        field("created_by", vec![Op::Matches(re("echo"))]),
        field("instruction", vec![eq(t("ADD"))]),
        not(field("created_by", vec![Op::Exists(true)])),
    ]);
    let cases = [
        // (requirement, its steps, status once it has them)
        (
            fact("history", vec![none(add_from_file.clone())]),
            39,
            Status::Fail,
        ),
        (fact("history", vec![all(echo_or_add)]), 29, Status::Pass),
        (
            fact(
                "history",
                vec![none(field(
                    "instruction",
                    vec![eq(t("COPY")), Op::Matches(re("x"))],
                ))],
            ),
            14,
            Status::Pass,
        ),
        (
            Check::AllOf(vec![
                fact("image.user", vec![Op::Exists(true)]),
                fact("history", vec![all(add_from_file)]),
            ]),
            46,
            Status::Fail,
        ),
    ];
    for (i, (check, steps, status)) in cases.into_iter().enumerate() {
        let policy = policy("p", vec![req(&format!("S-{i}"), check)]);
        let status_with = |max_steps: u64| {
            let options = Options {
                max_steps,
                ..Options::default()
            };
            let report = evaluate(
                std::slice::from_ref(&policy),
                std::slice::from_ref(&subject),
                &[],
                &options,
            );
            let r = &report.subjects[0].results[0];
            (r.status, r.message.contains("evaluation stopped after"))
        };
        assert_eq!(status_with(steps - 1), (Status::Error, true), "case {i}");
        assert_eq!(status_with(steps), (status, false), "case {i}");
    }
}

#[test]
fn work_is_capped() {
    let options = Options {
        max_steps: 100,
        ..Options::default()
    };
    let report = evaluate(
        &[policy(
            "p",
            vec![
                req(
                    "H-001",
                    fact(
                        "history",
                        vec![any(field("created_by", vec![Op::Matches(re("nope"))]))],
                    ),
                ),
                req("H-002", fact("image.user", vec![Op::Exists(true)])),
            ],
        )],
        &[long_history(1000)],
        &[],
        &options,
    );
    let r = &report.subjects[0].results;
    assert_eq!(r[0].status, Status::Error);
    assert!(
        r[0].message.contains("evaluation stopped after 100 steps"),
        "{}",
        r[0].message
    );
    assert_eq!(
        r[1].status,
        Status::Error,
        "the cap is per requirement; this one needs an image"
    );
    assert!(r[1].message.starts_with("needs"));
}

#[test]
fn evaluation_is_deterministic() {
    let policies = [
        failing_pack(),
        policy(
            "q",
            cases().into_iter().map(|c| req(c.name, c.check)).collect(),
        ),
    ];
    let a = to_json(&run(&policies, &[], &Options::default()));
    let b = to_json(&run(&policies, &[], &Options::default()));
    assert_eq!(a, b);
    assert!(!a.contains(SECRET));
}

#[test]
fn a_map_entry_is_shown_whole_and_masked() {
    let r = one(fact(
        "image.env",
        vec![none(Check::AllOf(vec![
            field("name", vec![Op::Matches(re("SECRET"))]),
            field("value", vec![Op::Empty(false)]),
        ]))],
    ));
    assert_eq!(r.status, Status::Fail);
    assert_eq!(
        r.message,
        "found in entry `JWT_SECRET_KEY` of `image.env`: `name` is `JWT_SECRET_KEY`; `value` is `***`"
    );
    assert_eq!(r.actual, "JWT_SECRET_KEY=***");
    assert_eq!(r.evidence.len(), 1);
    assert_eq!(r.evidence[0].pointer, "/0/Config/Env/1");
    assert_eq!(r.evidence[0].value.as_deref(), Some("JWT_SECRET_KEY=***"));
}

#[test]
fn values_with_line_breaks_keep_messages_on_one_line() {
    let s = subject("multi:1")
        .image(vec![("user", text("app\nuser\r", "/Config/User"))])
        .history(&[layer("RUN <<EOF\napt-get update\nEOF")])
        .build();
    let report = evaluate(
        &[policy(
            "p",
            vec![
                req("U-001", fact("image.user", vec![eq(t("root"))])),
                req(
                    "H-001",
                    fact(
                        "history",
                        vec![none(field("created_by", vec![Op::Matches(re("apt-get"))]))],
                    ),
                ),
            ],
        )],
        &[s],
        &[],
        &Options::default(),
    );
    let r = &report.subjects[0].results;
    assert_eq!(
        r[0].message,
        r"`image.user` is `app\nuser\r`, expected `root`"
    );
    assert!(
        r[1].message.contains(r"RUN <<EOF\napt-get update\nEOF"),
        "{}",
        r[1].message
    );
    for result in r {
        for text in [result.message.as_str(), result.actual.as_str()] {
            assert!(!text.contains(['\n', '\r']), "{text}");
        }
        for e in &result.evidence {
            assert!(!e.value.as_deref().unwrap_or("").contains('\n'));
            assert!(!e.instruction.as_deref().unwrap_or("").contains('\n'));
        }
    }
}

#[test]
fn long_histories_stay_linear() {
    // 20,000 layers, every one matching: the evidence stays bounded and evaluation finishes quickly
    // (evidence lookups of a layer's instruction are O(1)).
    let report = evaluate(
        &[policy(
            "p",
            vec![
                req(
                    "H-001",
                    fact(
                        "history",
                        vec![none(field("created_by", vec![Op::Matches(re("echo"))]))],
                    ),
                ),
                req(
                    "H-002",
                    fact(
                        "history",
                        vec![count(
                            Some(field("instruction", vec![eq(t("RUN"))])),
                            Some(1),
                            None,
                        )],
                    ),
                ),
            ],
        )],
        &[long_history(20_000)],
        &[],
        &Options::default(),
    );
    let r = &report.subjects[0].results;
    assert_eq!(r[0].status, Status::Fail);
    assert_eq!(r[0].evidence.len(), 20);
    assert_eq!(r[0].evidence_omitted, 19_980);
    assert_eq!(r[1].status, Status::Pass);
}
