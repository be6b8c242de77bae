//! Detection, parsing and normalisation of arbitrary bytes: must never panic or hang; and building the
//! facts by taking the parsed JSON (`subjects_lazy` + `Pending::build`, what `api::check` does: large
//! image arrays get their facts just before evaluation) must give the same subjects, or the same error,
//! as building them from a borrowed document (`subjects`).
#![no_main]

use clearance_core::facts::Root;
use clearance_core::input::{self, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(doc) = input::read("fuzz.json", data, None, &limits) {
        let _ = input::summarize(&doc);
        let borrowed = input::subjects(std::slice::from_ref(&doc));
        let large = doc.value.as_array().map_or(0, Vec::len) > 16;
        let mut lazy_docs = [doc];
        let lazy = input::subjects_lazy(&mut lazy_docs).and_then(|pending| {
            pending
                .into_iter()
                .map(|p| p.build(&Root::ALL))
                .collect::<Result<Vec<_>, _>>()
        });
        // The same subjects, or the same error. Only for an array of more than 16 images (read lazily)
        // may the error differ in which one comes first (a lazy image's field errors come after
        // grouping): there both must fail.
        if large {
            assert_eq!(borrowed.is_err(), lazy.is_err());
            if let (Ok(a), Ok(b)) = (&borrowed, &lazy) {
                assert_eq!(a, b);
            }
        } else {
            assert_eq!(borrowed, lazy);
        }
    }
});
