//! The policy packs shipped in `policies/`, embedded so every home (CLI, npm package, web app) has them
//! without any file access.

use crate::policy::Resolver;

/// One shipped pack: its name (what `--policy NAME` and `include:` use) and its YAML text.
///
/// The text is the file's with its whole-line comments emptied (`build.rs`): every line and column,
/// and so every location an error or a report names in it, is the file's.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinPack {
    pub name: &'static str,
    /// Path of the pack in the repository, for error messages.
    pub file: &'static str,
    pub text: &'static str,
}

macro_rules! pack {
    ($name:literal) => {
        BuiltinPack {
            name: $name,
            file: concat!("policies/", $name, ".yaml"),
            text: include_str!(concat!(env!("OUT_DIR"), "/", $name, ".yaml")),
        }
    };
}

/// Every shipped pack, baseline packs first.
pub const PACKS: &[BuiltinPack] = &[
    pack!("image-baseline"),
    pack!("runtime-hardening"),
    pack!("reactbin-api-prod"),
    pack!("todo-backend"),
    pack!("todo-frontend"),
    pack!("todo-postgres"),
];

pub fn find(name: &str) -> Option<&'static BuiltinPack> {
    PACKS.iter().find(|p| p.name == name)
}

/// Resolves `include:` names to the shipped packs.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinResolver;

impl Resolver for BuiltinResolver {
    fn resolve(&self, name: &str) -> Option<(String, String)> {
        find(name).map(|p| (p.file.to_string(), p.text.to_string()))
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

    /// The built-in packs compile their regexes at first use (`policy::load_builtin`); this compiles
    /// every one of them now, as a policy a user wrote would be, so a deferred compile cannot fail.
    #[test]
    fn builtin_regexes_compile() {
        for pack in PACKS {
            let eager = crate::policy::load(pack.file, pack.text, &BuiltinResolver);
            assert!(eager.is_ok(), "{}: {:?}", pack.name, eager.err());
            let deferred = crate::policy::load_builtin(pack.file, pack.text, &BuiltinResolver);
            let mut patterns = 0;
            for r in deferred.unwrap().requirements {
                for p in r.patterns() {
                    // its first search compiles it
                    assert!(p.regex.is_match(&p.source, "").is_ok(), "{}", p.source);
                    patterns += 1;
                }
            }
            assert!(
                patterns > 0 || pack.name == "runtime-hardening",
                "{}",
                pack.name
            );
        }
    }

    /// Emptying the comments changes nothing the engine reads: each embedded pack parses to the file's
    /// node tree (every value, source spelling, line and column) and compiles to the same policy.
    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "the test reads the pack files to compare them with what is embedded"
    )]
    fn embedded_packs_read_as_the_files() {
        for pack in PACKS {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(pack.file);
            let file = std::fs::read_to_string(path).unwrap();
            let file = file.as_str();
            assert_eq!(
                pack.text.lines().count(),
                file.lines().count(),
                "{}",
                pack.name
            );
            assert!(
                pack.text.len() < file.len(),
                "{}: no comment emptied",
                pack.name
            );
            for (embedded, written) in pack.text.lines().zip(file.lines()) {
                assert!(
                    embedded == written
                        || (embedded.is_empty() && written.trim_start().starts_with('#')),
                    "{}: `{written}` became `{embedded}`",
                    pack.name
                );
            }
            let tree = crate::policy::node::parse(pack.text);
            assert_eq!(tree, crate::policy::node::parse(file), "{}", pack.name);
            assert!(matches!(tree, Ok(Some(_))), "{}", pack.name);
            let compiled = crate::policy::load(pack.file, pack.text, &BuiltinResolver);
            let from_file = crate::policy::load(pack.file, file, &BuiltinResolver);
            assert_eq!(
                format!("{compiled:?}"),
                format!("{from_file:?}"),
                "{}",
                pack.name
            );
        }
    }
}
