//! The budget's yardstick: serde_json parsing a dump's bytes into `Value`s (issue 2: "end to end ≤ 2×
//! the time serde_json alone takes to parse the same bytes into a `Value`"). The core's criterion bench
//! includes this file too, so every measurement uses the same two readings of it.
//!
//! A JSON document (an inspect array, an OCI config) is one `Value` either way. A JSON-lines dump
//! (`docker history --format '{{json .}}'`) is one value per line, and the two readings differ:
//! - [`streamed`]: each line's `Value` is dropped as soon as it is parsed, so no more than one line is
//!   ever held (the yardstick of sessions 1–12);
//! - [`held`]: the lines' `Value`s are kept until the whole dump is parsed, as a document's `Value`
//!   is, and as clearance keeps every layer (a check on the order of layers needs them all). On a
//!   long history this costs serde_json far more wall time than [`streamed`] (the parsed document no
//!   longer fits the caches); instructions are about the same.

/// The number of values parsed, each dropped at once.
pub fn streamed(text: &str) -> usize {
    serde_json::Deserializer::from_str(text)
        .into_iter::<serde_json::Value>()
        .filter(Result::is_ok)
        .count()
}

/// The values parsed, all held until the last is (the caller drops them).
pub fn held(text: &str) -> Vec<serde_json::Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<serde_json::Value>()
        .filter_map(Result::ok)
        .collect()
}
