//! The viewer's entry point (built for wasm32 by Trunk; see `index.html` and `Trunk.toml`).
#![forbid(unsafe_code)]

fn main() {
    clearance_web::start();
}
