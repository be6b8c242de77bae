//! One function component per file. Components read [`crate::state::AppState`] and dispatch
//! [`crate::state::Action`]s through their `on_action` callback; they hold no review logic.

pub mod app;
pub mod counts;
pub mod diagnostics;
pub mod dump_card;
pub mod dump_list;
pub mod embed_view;
pub mod evidence_view;
pub mod export_panel;
pub mod file_picker;
pub mod filter_bar;
pub mod header;
pub mod history_chart;
pub mod notices;
pub mod pack_picker;
pub mod report_view;
pub mod result_row;
pub mod rich;
pub mod subject_view;
pub mod text_file_editor;
pub mod verdict_banner;
