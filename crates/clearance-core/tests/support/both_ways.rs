//! For tests that switch an evaluation option off and require the same report byte for byte
//! (`tests/ahead.rs`: `decide_ahead`; `tests/reuse.rs`: `reuse_missing`).

use clearance_core::builtin::{self, BuiltinResolver};
use clearance_core::eval::{evaluate, Options};
use clearance_core::facts::Subject;
use clearance_core::input::{self, Document};
use clearance_core::policy::{self, Policy};
use clearance_core::report::to_json;

/// A built-in pack, loaded.
pub fn pack(name: &str) -> Policy {
    let Some(pack) = builtin::find(name) else {
        unreachable!("no pack {name}")
    };
    match policy::load(pack.file, pack.text, &BuiltinResolver) {
        Ok(p) => p,
        Err(e) => unreachable!("{name}: {e:?}"),
    }
}

/// The JSON report of `policies` on `docs` with `options` as given, changed by `set(.., true)` and by
/// `set(.., false)`: both must be the same. Returns the report and the subjects.
pub fn same_both_ways(
    what: &str,
    policies: &[Policy],
    docs: &[Document],
    options: &Options,
    set: fn(&mut Options, bool),
) -> (String, Vec<Subject>) {
    let subjects = match input::subjects(docs) {
        Ok(s) => s,
        Err(e) => unreachable!("{what}: {e}"),
    };
    let report = |on: bool| {
        let mut options = options.clone();
        set(&mut options, on);
        to_json(&evaluate(policies, &subjects, &[], &options))
    };
    let (on, off) = (report(true), report(false));
    assert!(on == off, "{what}: the reports differ");
    (on, subjects)
}
