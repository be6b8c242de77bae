//! The built-in examples: the conforming and violating dumps of `tests/fixtures/<scenario>/`, embedded at
//! build time (see `build.rs`), matched to the policy packs they were written for.

/// One fixture folder: its name and its dump files (name, text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    pub name: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// Whether an example should pass or fail its pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variant {
    Conforming,
    Violating,
}

impl Variant {
    pub fn label(self) -> &'static str {
        match self {
            Variant::Conforming => "conforming",
            Variant::Violating => "violating",
        }
    }
}

/// An example for a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    pub scenario: &'static Scenario,
    pub variant: Variant,
}

/// `reactbin-violating` → (`reactbin`, Violating).
fn split(name: &str) -> Option<(&str, Variant)> {
    if let Some(stem) = name.strip_suffix("-conforming") {
        Some((stem, Variant::Conforming))
    } else {
        name.strip_suffix("-violating")
            .map(|stem| (stem, Variant::Violating))
    }
}

/// Does a scenario stem belong to a pack? `reactbin` belongs to `reactbin-api-prod`, `todo-backend` to
/// `todo-backend`, `baseline` to `image-baseline`.
fn belongs(stem: &str, pack: &str) -> bool {
    pack == stem
        || pack
            .strip_prefix(stem)
            .is_some_and(|rest| rest.starts_with('-'))
        || pack
            .strip_suffix(stem)
            .is_some_and(|rest| rest.ends_with('-'))
}

/// The examples written for a pack, conforming first. When several stems match, the longest wins
/// (`todo-backend` over `todo`).
pub fn for_pack(pack: &str) -> Vec<Example> {
    for_pack_in(SCENARIOS, pack)
}

pub fn for_pack_in(scenarios: &'static [Scenario], pack: &str) -> Vec<Example> {
    let best = scenarios
        .iter()
        .filter_map(|s| split(s.name))
        .filter(|(stem, _)| belongs(stem, pack))
        .map(|(stem, _)| stem.len())
        .max();
    let mut out: Vec<Example> = scenarios
        .iter()
        .filter_map(|s| {
            let (stem, variant) = split(s.name)?;
            (Some(stem.len()) == best && belongs(stem, pack)).then_some(Example {
                scenario: s,
                variant,
            })
        })
        .collect();
    out.sort_by_key(|e| (e.variant, e.scenario.name));
    out
}

/// A scenario by folder name.
pub fn scenario(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    static TEST: &[Scenario] = &[
        Scenario {
            name: "reactbin-violating",
            files: &[("image-inspect.json", "[]")],
        },
        Scenario {
            name: "reactbin-conforming",
            files: &[("image-inspect.json", "[]")],
        },
        Scenario {
            name: "todo-violating",
            files: &[],
        },
        Scenario {
            name: "todo-backend-violating",
            files: &[],
        },
        Scenario {
            name: "odd-name",
            files: &[],
        },
        Scenario {
            name: "baseline-violating",
            files: &[],
        },
    ];

    #[test]
    fn matches_packs_by_stem() {
        let names = |pack| {
            for_pack_in(TEST, pack)
                .iter()
                .map(|e| (e.scenario.name, e.variant))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names("reactbin-api-prod"),
            [
                ("reactbin-conforming", Variant::Conforming),
                ("reactbin-violating", Variant::Violating)
            ]
        );
        assert_eq!(
            names("todo-backend"),
            [("todo-backend-violating", Variant::Violating)]
        );
        assert_eq!(
            names("todo-frontend"),
            [("todo-violating", Variant::Violating)]
        );
        assert_eq!(
            names("image-baseline"),
            [("baseline-violating", Variant::Violating)]
        );
        assert!(names("runtime-hardening").is_empty());
        assert!(names("reactbinx").is_empty());
    }
}
