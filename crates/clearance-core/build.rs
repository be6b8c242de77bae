//! Stores the shipped policy packs (`policies/*.yaml`) compressed in the binary.
//!
//! The six packs are 174 KB of YAML; concatenated and deflated they are about 40 KB. This script writes
//! into `OUT_DIR`:
//! - `packs.deflate`: the packs' texts one after the other, as one raw deflate stream;
//! - `packs.rs`: the `PACKS` table (each pack's name, file and byte range in the inflated text) and
//!   the inflated length, included by `src/builtin.rs`, which inflates the stream once, on first use.
//!
//! One stream for all packs compresses better than one per pack (the packs share most of their
//! vocabulary), and a contract pack needs the baseline packs it includes anyway.
//! The script inflates what it wrote and compares it with the input, so a pack that would not
//! come back byte for byte fails the build rather than a run.

#![expect(
    clippy::disallowed_methods,
    reason = "a build script: it reads the packs and writes into OUT_DIR (the engine itself stays pure)"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Every shipped pack, baseline packs first: the order of `builtin::PACKS`.
const PACKS: &[&str] = &[
    "image-baseline",
    "runtime-hardening",
    "reactbin-api-prod",
    "todo-backend",
    "todo-frontend",
    "todo-postgres",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let policies = manifest.join("../../policies");
    println!("cargo::rerun-if-changed=build.rs");

    let mut text = Vec::new();
    let mut table = String::from(
        "/// Every shipped pack, baseline packs first (the list is in `build.rs`).\n\
         pub const PACKS: &[BuiltinPack] = &[\n",
    );
    for name in PACKS {
        let path = policies.join(format!("{name}.yaml"));
        println!("cargo::rerun-if-changed={}", path.display());
        let yaml = read_utf8(&path)?;
        let start = text.len();
        text.extend_from_slice(yaml.as_bytes());
        writeln!(
            table,
            "    BuiltinPack {{ name: {name:?}, file: \"policies/{name}.yaml\", \
             text: &PackText {{ start: {start}, end: {end} }} }},",
            end = text.len(),
        )?;
    }
    table.push_str("];\n");
    writeln!(table, "/// Length of all packs' texts together, inflated.")?;
    writeln!(table, "const INFLATED_LEN: usize = {};", text.len())?;

    let deflated = miniz_oxide::deflate::compress_to_vec(&text, 10);
    let back = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, text.len())
        .map_err(|e| format!("the deflated packs do not inflate: {e}"))?;
    if back != text {
        return Err("the deflated packs inflate to a different text".into());
    }
    std::fs::write(out.join("packs.deflate"), &deflated)?;
    std::fs::write(out.join("packs.rs"), table)?;
    Ok(())
}

fn read_utf8(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8: {e}", path.display()))
}
