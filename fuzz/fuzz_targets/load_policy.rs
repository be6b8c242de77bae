//! Policy parsing and compilation (and waivers) of arbitrary text: must never panic or hang.
#![no_main]

use clearance_core::builtin::BuiltinResolver;
use clearance_core::policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = policy::load("fuzz.yaml", text, &BuiltinResolver);
        let _ = policy::load_waivers("fuzz-waivers.yaml", text);
    }
});
