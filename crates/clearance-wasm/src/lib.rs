//! PLACEHOLDER: wasm-bindgen layer over `clearance_core::api`.
#![forbid(unsafe_code)]

use wasm_bindgen::prelude::*;

/// The engine version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
