//! clearance-core: the container-contract policy engine.
//!
//! The flow, one stage per module, each pure:
//!
//! ```text
//! bytes ──input::read──▶ Document ──input::subjects──▶ Subject (facts with evidence, secrets masked)
//! policy text ──policy::load──▶ Policy (checks compiled: regexes, globs, durations, sizes)
//! Subjects × Policies × Waivers × today ──eval::evaluate──▶ Report
//! Report ──report::render──▶ text | json | sarif | junit | markdown
//! ```
//!
//! [`api`] wraps all of it in one JSON façade for the CLI's JSON mode, the npm package and the web app.
//! No I/O, no environment, no clock: "today" is an argument.
#![forbid(unsafe_code)]
#![deny(clippy::indexing_slicing)]

pub mod api;
pub mod builtin;
pub mod diagnostic;
pub mod eval;
pub mod facts;
pub mod input;
pub mod policy;
pub mod report;

pub use diagnostic::{Diagnostic, Location, ToDiagnostic};
