//! Detection, parsing and normalisation of arbitrary bytes: must never panic or hang; and building the
//! facts by taking the parsed JSON (`subjects_taking`, what `api::check` does) must give the same subjects,
//! or the same error, as building them from a borrowed document (`subjects`).
#![no_main]

use clearance_core::input::{self, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(doc) = input::read("fuzz.json", data, None, &limits) {
        let _ = input::summarize(&doc);
        let borrowed = input::subjects(std::slice::from_ref(&doc));
        let mut taken = [doc];
        assert_eq!(borrowed, input::subjects_taking(&mut taken));
    }
});
