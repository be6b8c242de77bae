//! The policy packs shipped in `policies/`, embedded so every home (CLI, npm package, web app) has them
//! without any file access.

use crate::policy::Resolver;

/// One shipped pack: its name (what `--policy NAME` and `include:` use) and its YAML text.
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
            text: include_str!(concat!("../../../policies/", $name, ".yaml")),
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
