//! Detection, parsing and normalisation of arbitrary bytes: must never panic or hang; and building the
//! facts by taking the parsed JSON (`subjects_taking`), or lazily (`subjects_lazy`, what `api::check` does:
//! large image arrays get their facts just before evaluation), must give the same subjects, or the same
//! error, as building them from a borrowed document (`subjects`).
#![no_main]

use clearance_core::facts::Root;
use clearance_core::input::{self, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(doc) = input::read("fuzz.json", data, None, &limits) {
        let _ = input::summarize(&doc);
        let borrowed = input::subjects(std::slice::from_ref(&doc));
        let mut taken = [doc.clone()];
        assert_eq!(borrowed, input::subjects_taking(&mut taken));
        let mut lazy_docs = [doc];
        let lazy = input::subjects_lazy(&mut lazy_docs).and_then(|pending| {
            pending
                .into_iter()
                .map(|p| p.build(&Root::ALL))
                .collect::<Result<Vec<_>, _>>()
        });
        // the same subjects; an error may differ only in which one comes first (a lazy image's field
        // errors come after grouping), so compare that both fail
        match (&borrowed, &lazy) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (a, b) => assert_eq!(a.is_err(), b.is_err()),
        }
    }
});
