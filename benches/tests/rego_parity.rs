//! The Rego policy is only a fair yardstick if it decides what clearance decides: for every
//! requirement of `reactbin-api-prod`, on the reactbin conforming and violating fixtures (all three
//! dumps, and with the history or container dump left out; and the arm64 build), regorus running `rego/reactbin.rego` gives
//! the same status as clearance. Runs before any timing is believed (`scripts/bench` runs it first).

use clearance_bench::{
    clearance_api, clearance_cold, Clearance, DumpSet, Rego, Statuses, REACTBIN_PACK,
};

fn diff(clearance: &Statuses, rego: &Statuses) -> Vec<String> {
    let mut out = Vec::new();
    for (id, status) in clearance {
        match rego.get(id) {
            Some(r) if r == status => {}
            Some(r) => out.push(format!("{id}: clearance {status}, rego {r}")),
            None => out.push(format!("{id}: clearance {status}, rego has no result")),
        }
    }
    for id in rego.keys().filter(|id| !clearance.contains_key(*id)) {
        out.push(format!("{id}: only in rego"));
    }
    out
}

#[test]
fn rego_gives_clearance_statuses_on_the_reactbin_fixtures() {
    let mut rego = Rego::new().expect("rego/reactbin.rego loads");
    // The pack's requirements after its includes and `disable` (each must get a status).
    let pack_len = Clearance::new(REACTBIN_PACK)
        .expect("the pack compiles")
        .policy()
        .requirements
        .len();
    let mut failures = Vec::new();
    // reactbin-arm64: the conforming build for the wrong platform (image and history only).
    for fixture in [
        "reactbin-conforming",
        "reactbin-violating",
        "reactbin-arm64",
    ] {
        let full = DumpSet::fixture(fixture).expect("fixture reads");
        assert!(full.image.is_some() && full.history.is_some());
        for (label, set) in [
            ("image + history + container", full.clone()),
            ("image + history", full.only(true, true, false)),
            ("image only", full.only(true, false, false)),
        ] {
            let want = clearance_api(REACTBIN_PACK, &set).expect("clearance evaluates");
            let cold = clearance_cold(REACTBIN_PACK, &set).expect("clearance evaluates");
            assert_eq!(
                want, cold,
                "{fixture} ({label}): the benchmark's cold path answers as api::check"
            );
            assert_eq!(
                want.len(),
                pack_len,
                "{fixture} ({label}): a status for each of the pack's {pack_len} requirements"
            );
            let got = rego.statuses(&set).expect("rego evaluates");
            for d in diff(&want, &got) {
                failures.push(format!("{fixture} ({label}) {d}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn both_engines_see_failures_on_the_violating_fixture() {
    // Guards against a vacuous parity (both engines answering `error` everywhere).
    let set = DumpSet::fixture("reactbin-violating").expect("fixture reads");
    let got = Rego::new()
        .expect("loads")
        .statuses(&set)
        .expect("evaluates");
    let fails = got.values().filter(|s| *s == "fail").count();
    assert!(fails >= 40, "only {fails} failures");
    let set = DumpSet::fixture("reactbin-conforming").expect("fixture reads");
    let got = Rego::new()
        .expect("loads")
        .statuses(&set)
        .expect("evaluates");
    let passes = got.values().filter(|s| *s == "pass").count();
    assert!(passes >= 55, "only {passes} passes");
}
