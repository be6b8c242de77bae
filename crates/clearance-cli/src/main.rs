//! PLACEHOLDER CLI, replaced by the real one.
fn main() {
    println!("clearance {}", env!("CARGO_PKG_VERSION"));
}
