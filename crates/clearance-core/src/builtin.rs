//! The policy packs shipped in `policies/`, embedded so every home (CLI, npm package, web app) has them
//! without any file access.
//!
//! They are stored deflated (`build.rs` writes the stream and the table of packs into `OUT_DIR`) and
//! inflated once, on the first use of any pack: 174 KB of YAML take about 40 KB of the binary.

use std::ops::Deref;
use std::sync::OnceLock;

use crate::policy::Resolver;

/// One shipped pack: its name (what `--policy NAME` and `include:` use) and its YAML text.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinPack {
    pub name: &'static str,
    /// Path of the pack in the repository, for error messages.
    pub file: &'static str,
    /// The YAML text: `pack.text` passes for a `&str`; `pack.text.as_str()` is one.
    pub text: &'static PackText,
}

/// The YAML text of a shipped pack, inflated on first use; dereferences to `str`.
#[derive(Debug)]
pub struct PackText {
    /// Byte range of this pack in the inflated text of all packs.
    start: usize,
    end: usize,
}

impl PackText {
    pub fn as_str(&self) -> &'static str {
        inflated().get(self.start..self.end).unwrap_or_default()
    }
}

impl Deref for PackText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

/// All packs' texts, one after the other, as one raw deflate stream.
static DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/packs.deflate"));

/// All packs' texts, inflated once. `build.rs` has checked that the stream inflates to UTF-8 text of
/// exactly `INFLATED_LEN` bytes, so the empty fallback is never taken (`every_pack_inflates_to_its_file`
/// checks the result against `policies/`).
fn inflated() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        miniz_oxide::inflate::decompress_to_vec_with_limit(DEFLATED, INFLATED_LEN)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    })
}

pub fn find(name: &str) -> Option<&'static BuiltinPack> {
    PACKS.iter().find(|p| p.name == name)
}

/// Resolves `include:` names to the shipped packs.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinResolver;

impl Resolver for BuiltinResolver {
    fn resolve(&self, name: &str) -> Option<(String, String)> {
        find(name).map(|p| (p.file.to_string(), p.text.as_str().to_string()))
    }

    fn names(&self) -> Vec<String> {
        PACKS.iter().map(|p| p.name.to_string()).collect()
    }
}

/// The JSON Schema of the policy and waivers formats (`policies/schema.json`), for editors.
pub const POLICY_SCHEMA: &str = include_str!("../../../policies/schema.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "the test compares with the files in policies/"
    )]
    fn every_pack_inflates_to_its_file() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
        for pack in PACKS {
            let file = std::fs::read_to_string(format!("{root}{}", pack.file)).unwrap();
            assert!(
                pack.text.as_str() == file,
                "{} differs from {}",
                pack.name,
                pack.file
            );
        }
        let mut files: Vec<_> = std::fs::read_dir(format!("{root}policies"))
            .unwrap()
            .filter_map(|e| e.unwrap().file_name().into_string().ok())
            .filter(|f| f.ends_with(".yaml"))
            .collect();
        files.sort();
        let mut shipped: Vec<_> = PACKS
            .iter()
            .map(|p| p.file.trim_start_matches("policies/"))
            .collect();
        shipped.sort();
        assert_eq!(files, shipped, "every policies/*.yaml is a built-in pack");
    }
}
