//! PLACEHOLDER: the Yew report viewer.
fn main() {}
