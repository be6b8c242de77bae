//! Detection, parsing and normalisation of arbitrary bytes: must never panic or hang.
#![no_main]

use clearance_core::input::{self, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(doc) = input::read("fuzz.json", data, None, &limits) {
        let _ = input::summarize(&doc);
        let _ = input::subjects(std::slice::from_ref(&doc));
    }
});
