//! clearance's report viewer: a Yew single-page app that runs the engine (`clearance_core::api`) in the
//! browser. Nothing leaves the page: no request is ever made, and nothing is stored unless the reviewer
//! asks for it.
//!
//! Pure logic (state, filters, evidence excerpts, the history chart's data, the embed protocol) lives in
//! plain modules tested natively; `components/` holds one function component per file; `browser` the
//! few browser services used.
#![forbid(unsafe_code)]

pub mod browser;
pub mod components;
pub mod embed;
pub mod examples;
pub mod excerpt;
pub mod filter;
pub mod history;
pub mod state;

/// Mounts the app on `<body>`.
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}
