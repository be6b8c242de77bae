//! Writes each pack in `policies/` (`NAME.yaml`) to `OUT_DIR/NAME.yaml` with its whole-line comments
//! emptied, for `src/builtin.rs` to embed: the comments are for people reading the file, and every
//! home of the engine (the npm package's wasm above all) would otherwise carry them.
//!
//! Only the comment's characters go; its line stays (empty), so every line and column in the pack is
//! where it was, and so are the error locations that name one (`policies/NAME.yaml:66:9`). A line is a
//! comment when its first non-blank character is `#` and it is not inside a block scalar (`|`, `>`);
//! a test in `src/builtin.rs` checks that each pack parses to the same node tree, with the same lines
//! and columns, as the file.

#![expect(
    clippy::disallowed_methods,
    reason = "a build script: it reads the packs and writes into OUT_DIR (the engine itself stays pure)"
)]

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let policies = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("../../policies");
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    println!("cargo::rerun-if-changed={}", policies.display());
    for entry in std::fs::read_dir(&policies)? {
        let source = entry?.path();
        let Some(file) = source
            .file_name()
            .filter(|_| source.extension() == Some("yaml".as_ref()))
        else {
            continue;
        };
        println!("cargo::rerun-if-changed={}", source.display());
        let text = std::fs::read_to_string(&source)?;
        std::fs::write(out.join(file), blank_comment_lines(&text))?;
    }
    Ok(())
}

/// `text` with every whole-line comment outside block scalars emptied (the line break stays).
fn blank_comment_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The indentation of the line that opened the block scalar we are in, if any: the scalar goes on
    // while lines are blank or indented deeper than that line.
    let mut block: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let rest = content.trim_start();
        if let Some(opened) = block {
            if rest.is_empty() || indent > opened {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        if rest.starts_with('#') {
            out.push_str(line.get(content.len()..).unwrap_or_default());
            continue;
        }
        if opens_block_scalar(content) {
            block = Some(indent);
        }
        out.push_str(line);
    }
    out
}

/// Whether a line ends with a block scalar indicator (`key: |`, `- >-`, `key: |2 # note`). A `|` or
/// `>` that ends a plain scalar counts too: that only keeps more lines as they are.
fn opens_block_scalar(line: &str) -> bool {
    let code = line
        .find(" #")
        .and_then(|at| line.get(..at))
        .unwrap_or(line);
    let last = code.split_whitespace().next_back().unwrap_or("");
    let mut chars = last.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| c == '+' || c == '-' || c.is_ascii_digit())
}
