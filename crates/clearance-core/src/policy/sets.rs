//! The patterns a policy applies to one target, compiled together (see [`PatternSet`]).

use super::check::REGEX_NEST_LIMIT;
use super::model::{Check, Op, Pattern, PatternSet, Policy, SetSlot, Target};
use std::sync::Arc;

/// Patterns in one set at most: a set's answers are kept as the bits of a `u64`.
const MAX_SET: usize = 64;

/// Compiles, for each target the policy's `matches` / `not_matches` address, its distinct patterns into
/// sets of up to [`MAX_SET`], and gives every pattern its slot. A target with one pattern, and a set the
/// size limit refuses, get none: those patterns run alone, as before.
pub(crate) fn assign(policy: &mut Policy, size_limit: usize) {
    let mut groups: Vec<(Target, Vec<String>)> = Vec::new();
    each_pattern(policy, &mut |target, p| {
        let at = match groups.iter().position(|(t, _)| t == target) {
            Some(at) => at,
            None => {
                groups.push((target.clone(), Vec::new()));
                groups.len() - 1
            }
        };
        if let Some((_, sources)) = groups.get_mut(at) {
            if !sources.contains(&p.source) {
                sources.push(p.source.clone());
            }
        }
    });
    let mut slots: Vec<(Target, String, SetSlot)> = Vec::new();
    for (target, sources) in groups {
        for chunk in sources.chunks(MAX_SET) {
            if chunk.len() < 2 {
                continue;
            }
            let Ok(set) = regex::RegexSetBuilder::new(chunk)
                .size_limit(size_limit)
                .nest_limit(REGEX_NEST_LIMIT)
                .build()
            else {
                continue;
            };
            let set = Arc::new(PatternSet { set });
            for (index, source) in (0u32..).zip(chunk) {
                let slot = SetSlot {
                    set: set.clone(),
                    index,
                };
                slots.push((target.clone(), source.clone(), slot));
            }
        }
    }
    if slots.is_empty() {
        return;
    }
    each_pattern(policy, &mut |target, p| {
        p.set = slots
            .iter()
            .find(|(t, s, _)| t == target && *s == p.source)
            .map(|(_, _, slot)| slot.clone());
    });
}

/// Calls `f` with every pattern of the policy's checks and `when` conditions, and the target it is
/// matched against. `pointer:` targets are left out: their facts are built afresh at each evaluation.
fn each_pattern(policy: &mut Policy, f: &mut dyn FnMut(&Target, &mut Pattern)) {
    for r in &mut policy.requirements {
        if let Some(when) = &mut r.when {
            in_check(when, f);
        }
        in_check(&mut r.check, f);
    }
}

fn in_check(check: &mut Check, f: &mut dyn FnMut(&Target, &mut Pattern)) {
    match check {
        Check::AllOf(checks) | Check::AnyOf(checks) => {
            for c in checks {
                in_check(c, f);
            }
        }
        Check::Not(inner) => in_check(inner, f),
        Check::Document(_) => {}
        Check::Fact(fc) => {
            let target = &fc.target;
            for op in &mut fc.ops {
                match op {
                    Op::Matches(p) | Op::NotMatches(p)
                        if !matches!(target, Target::Pointer { .. }) =>
                    {
                        f(target, p);
                    }
                    Op::Any(c) | Op::All(c) | Op::None(c) => in_check(c, f),
                    Op::Count { check: Some(c), .. } => in_check(c, f),
                    Op::Order { first, then } => {
                        in_check(first, f);
                        in_check(then, f);
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::{BuiltinResolver, PACKS};

    /// Lines the built-in packs' patterns match and do not match, in the shapes `docker history` prints.
    const LINES: &[&str] = &[
        "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* # buildkit",
        "RUN /bin/sh -c apt-get update # buildkit",
        "/bin/sh -c #(nop)  ENV JWT_SECRET_KEY=abc",
        "RUN /bin/sh -c curl -fsSL https://example.com/install.sh | sh # buildkit",
        "COPY . /app # buildkit",
        "ADD https://example.com/a.tar.gz /tmp/ # buildkit",
        "RUN |1 PIP=1 /bin/sh -c pip install --no-cache-dir -r requirements.txt # buildkit",
        "USER 1001:1001",
        "RUN /bin/sh -c chmod 4755 /usr/bin/tool # buildkit",
        "",
        "Ünïcödé TOKEN=x …",
    ];

    fn patterns(policy: &mut Policy) -> Vec<Pattern> {
        let mut out = Vec::new();
        each_pattern(policy, &mut |_, p| out.push(p.clone()));
        out
    }

    #[test]
    fn a_set_answers_as_each_pattern_alone() {
        let mut slotted = 0;
        for pack in PACKS {
            let mut policy = crate::policy::load(pack.file, pack.text, &BuiltinResolver).unwrap();
            for p in patterns(&mut policy) {
                let Some(slot) = &p.set else { continue };
                slotted += 1;
                for line in LINES {
                    let in_set = slot.set.set.matches(line).matched(slot.index as usize);
                    assert_eq!(in_set, p.regex.is_match(line), "{} on {line:?}", p.source);
                }
            }
        }
        assert!(slotted > 20, "only {slotted} patterns are in sets");
    }

    #[test]
    fn a_target_with_one_pattern_gets_no_set() {
        let text = "name: one\ntitle: One\nrequirements:\n  - id: ONE-001\n    title: t\n    section: s\n    severity: error\n    description: d\n    remediation: r\n    check: { fact: history, none: { fact: created_by, matches: 'sudo' } }\n";
        let mut policy = crate::policy::load("one.yaml", text, &crate::policy::NoIncludes).unwrap();
        let ps = patterns(&mut policy);
        assert_eq!(ps.len(), 1);
        assert!(ps.iter().all(|p| p.set.is_none()));
    }
}
