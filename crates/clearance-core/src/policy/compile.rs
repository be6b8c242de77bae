//! A policy document from node tree to [`Policy`]: its fields, parameters, includes (resolved
//! recursively, with cycle detection), and requirements, merged in order.

use super::check::{self, Scope};
use super::error::PolicyError;
use super::model::{OutOfScope, Policy, Requirement, Severity, Template};
use super::node::{self, Key, Node, Origin};
use super::params::Params;
use super::read::{field_path, index_path, Ctx, Fields};
use super::Resolver;
use crate::diagnostic::{did_you_mean, Location};
use std::collections::HashMap;
use std::rc::Rc;

const POLICY_FIELDS: &[&str] = &[
    "name",
    "title",
    "version",
    "description",
    "source",
    "out_of_scope",
    "parameters",
    "include",
    "requirements",
];

const REQUIREMENT_FIELDS: &[&str] = &[
    "id",
    "title",
    "section",
    "severity",
    "description",
    "remediation",
    "clause",
    "example",
    "when",
    "check",
];

const INCLUDE_FIELDS: &[&str] = &["pack", "with", "disable", "severity"];

/// Loads policies and the packs they include.
pub struct Loader<'r> {
    resolver: &'r dyn Resolver,
    /// Names of the policies being loaded, outermost first (to find include cycles).
    stack: Vec<String>,
    /// Largest compiled regex accepted, in bytes.
    regex_size_limit: usize,
    /// Packs loaded so far (each include of a pack with `with:` values is a load of its own).
    loads: usize,
    /// Packs included without `with:`, by name, as loaded (`None`: loading reported errors). A pack
    /// included again is not parsed and compiled again.
    plain: HashMap<String, Option<Policy>>,
    /// The load limit was reported (once per policy).
    over_loads: bool,
    /// Regexes are compiled at their first use (built-in packs only: see [`super::model::Regex`]).
    defer_regexes: bool,
}

/// Most pack loads for one policy: a policy cannot make loading take unbounded time and memory by
/// including packs many times (each load parses and compiles a whole pack).
pub const MAX_PACK_LOADS: usize = 64;

/// What an including policy passes to an included one.
struct IncludeArgs<'a> {
    /// The name it was included by.
    pack: &'a str,
    /// `with:` values, marked with the including file.
    with: Vec<(Key, Node)>,
    /// The include entry in the including file.
    site: Location,
}

/// A resolved include, before merging.
struct Included {
    requirements: Vec<Requirement>,
    location: Location,
}

impl<'r> Loader<'r> {
    pub fn new(resolver: &'r dyn Resolver) -> Self {
        Self {
            resolver,
            stack: Vec::new(),
            regex_size_limit: check::REGEX_SIZE_LIMIT,
            loads: 0,
            plain: HashMap::new(),
            over_loads: false,
            defer_regexes: false,
        }
    }

    /// The same loader compiling regexes at their first use instead of now: for the built-in packs,
    /// whose regexes the tests compile, never for a policy a user wrote (its regex errors are reported
    /// when it is loaded).
    pub(crate) fn deferring_regexes(mut self) -> Self {
        self.defer_regexes = true;
        self
    }

    /// The same loader with another compiled-regex size limit.
    pub fn with_regex_size_limit(mut self, limit: usize) -> Self {
        self.regex_size_limit = limit;
        self
    }

    /// Loads a top-level policy. Returns `None` when errors were reported.
    pub fn load(
        &mut self,
        errors: &mut Vec<PolicyError>,
        file: &str,
        text: &str,
    ) -> Option<Policy> {
        self.load_document(errors, file, text, None)
    }

    fn load_document(
        &mut self,
        errors: &mut Vec<PolicyError>,
        file: &str,
        text: &str,
        args: Option<&IncludeArgs<'_>>,
    ) -> Option<Policy> {
        let before = errors.len();
        let mut ctx = Ctx::new(file, errors);
        ctx.regex_size_limit = self.regex_size_limit;
        ctx.defer_regexes = self.defer_regexes;
        let mut root = match node::parse(text) {
            Ok(Some(root)) => root,
            Ok(None) => {
                ctx.push(PolicyError::Empty {
                    location: Location::at(file, 1, 1),
                    what: "policy",
                });
                return None;
            }
            Err(e) => {
                ctx.push(PolicyError::Syntax {
                    location: Location::at(file, e.line, e.column),
                    detail: e.message,
                });
                return None;
            }
        };
        ctx.map(
            &root,
            "",
            "a policy (a mapping with `name`, `title` and `requirements`)",
        )?;

        // Parameters first: they are substituted everywhere else before anything is read.
        let pack = args.map_or(file, |a| a.pack);
        let with = args.map_or(&[][..], |a| a.with.as_slice());
        let site = args.map(|a| a.site.clone());
        let mut params = Params::read(&mut ctx, root.get("parameters"), with, pack, site);
        if text.contains("param") {
            if let node::Value::Map(entries) = &mut root.value {
                for (key, value) in entries.iter_mut().filter(|(k, _)| k.name != "parameters") {
                    params.substitute(&mut ctx, value, &key.name);
                }
            }
        }

        let fields = ctx.map(&root, "", "a policy")?;
        fields.reject_unknown(&mut ctx, "", POLICY_FIELDS, "a policy");
        let name = fields
            .required(&mut ctx, "", "name", "a policy")
            .and_then(|n| policy_name(&mut ctx, n));
        let title = fields
            .required(&mut ctx, "", "title", "a policy")
            .and_then(|n| ctx.non_empty_text(n, "title"));
        let version = optional_text(&mut ctx, fields, "version");
        let description = optional_text(&mut ctx, fields, "description");
        let source = optional_text(&mut ctx, fields, "source");
        let out_of_scope = fields
            .get("out_of_scope")
            .map(|n| read_out_of_scope(&mut ctx, n))
            .unwrap_or_default();
        let own_name = name.clone().unwrap_or_else(|| file.to_string());

        let top_level = args.is_none();
        if top_level {
            self.stack.push(own_name.clone());
        }
        let mut includes: Vec<String> = Vec::new();
        let mut included: Vec<Included> = Vec::new();
        // (id, defining pack) already brought by an earlier include: `merge` keeps the first, so a
        // later copy is dropped here rather than held (a pack included many times)
        let mut brought: std::collections::HashSet<(String, String)> =
            std::collections::HashSet::new();
        if let Some(node) = fields.get("include") {
            if let Some(items) = ctx.list(node, "include", "a list of pack names") {
                for (i, item) in items.iter().enumerate() {
                    if let Some(mut inc) =
                        self.include(&mut ctx, item, &index_path("include", i), &mut includes)
                    {
                        inc.requirements
                            .retain(|r| brought.insert((r.id.clone(), r.policy.clone())));
                        included.push(inc);
                    }
                }
            }
        }
        if top_level {
            self.stack.pop();
        }

        let own = fields
            .get("requirements")
            .map(|n| read_requirements(&mut ctx, n, &own_name))
            .unwrap_or_default();
        let requirements = merge(&mut ctx, included, own);

        if ctx.errors.len() > before {
            return None;
        }
        Some(Policy {
            name: name?,
            title: title?,
            version,
            description,
            source,
            out_of_scope,
            includes,
            requirements,
        })
    }

    /// Resolves one `include:` entry: loads the pack and applies `disable` and `severity`.
    fn include(
        &mut self,
        ctx: &mut Ctx<'_>,
        item: &Node,
        path: &str,
        includes: &mut Vec<String>,
    ) -> Option<Included> {
        let (name_node, options) = match item.as_map() {
            Some(_) => {
                let fields = ctx.map(item, path, "an include")?;
                fields.reject_unknown(ctx, path, INCLUDE_FIELDS, "an include");
                (
                    fields.required(ctx, path, "pack", "an include")?,
                    Some(fields),
                )
            }
            None => (item, None),
        };
        let name_path = if options.is_some() {
            field_path(path, "pack")
        } else {
            path.to_string()
        };
        let name = ctx.non_empty_text(name_node, &name_path)?;
        let location = ctx.at(name_node, &name_path);

        let mut with = Vec::new();
        if let Some(node) = options.and_then(|o| o.get("with")) {
            if let Some(fields) = ctx.map(
                node,
                &field_path(path, "with"),
                "a mapping of parameter values",
            ) {
                for (key, value) in fields.entries {
                    let mut value = value.clone();
                    value.set_origin(&Rc::new(Origin {
                        file: Rc::clone(&ctx.file),
                        path: field_path(&field_path(path, "with"), &key.name),
                    }));
                    with.push((key.clone(), value));
                }
            }
        }

        let loaded = if self.stack.contains(&name) {
            let mut chain = self.stack.clone();
            chain.push(name.clone());
            ctx.push(PolicyError::IncludeCycle {
                location: location.clone(),
                chain,
            });
            None
        } else if let Some(cached) = self.plain.get(&name).filter(|_| with.is_empty()) {
            cached.clone()
        } else if self.loads >= MAX_PACK_LOADS {
            if !self.over_loads {
                self.over_loads = true;
                ctx.push(PolicyError::TooManyIncludes {
                    location: location.clone(),
                    max: MAX_PACK_LOADS,
                });
            }
            None
        } else if let Some((file, text)) = self.resolver.resolve(&name) {
            self.loads += 1;
            let plain = with.is_empty();
            let args = IncludeArgs {
                pack: &name,
                with,
                site: location.clone(),
            };
            self.stack.push(name.clone());
            let policy = self.load_document(ctx.errors, &file, &text, Some(&args));
            self.stack.pop();
            if plain {
                self.plain.insert(name.clone(), policy.clone());
            }
            policy
        } else {
            let names = self.resolver.names();
            ctx.push(PolicyError::UnknownPack {
                location: location.clone(),
                suggestion: did_you_mean(&name, names.iter().map(String::as_str))
                    .map(str::to_string),
                name: name.clone(),
            });
            None
        };

        // The requirements `disable` and `severity` are checked against: the loaded pack's, or, when
        // it failed to load with the `with:` values given (their errors are reported already), the
        // pack's without them, so a wrong id is reported in the same run, not after the values are fixed.
        let ids_from = match &loaded {
            Some(_) => None,
            None if options.is_some_and(|o| o.has("disable") || o.has("severity")) => {
                self.ids_without_values(&name)
            }
            None => None,
        };
        let reference = loaded.as_ref().or(ids_from.as_ref());
        let mut requirements = reference.map(|p| p.requirements.clone());
        if let Some(fields) = options {
            if let Some(node) = fields.get("disable") {
                let here = field_path(path, "disable");
                for (id, id_node, i) in ctx
                    .text_list(node, &here)
                    .unwrap_or_default()
                    .into_iter()
                    .zip(0..)
                    .map(|((s, n), i)| (s, n, i))
                {
                    if let Some(reqs) = requirements.as_mut() {
                        let count = reqs.len();
                        reqs.retain(|r| r.id != id);
                        if reqs.len() == count {
                            unknown_included_id(
                                ctx,
                                id_node,
                                &index_path(&here, i),
                                &name,
                                &id,
                                reference,
                            );
                        }
                    }
                }
            }
            if let Some(node) = fields.get("severity") {
                let here = field_path(path, "severity");
                if let Some(map) =
                    ctx.map(node, &here, "a mapping of requirement ids to severities")
                {
                    for (key, value) in map.entries {
                        let at = field_path(&here, &key.name);
                        let severity = severity(ctx, value, &at);
                        let Some(reqs) = requirements.as_mut() else {
                            continue;
                        };
                        match reqs.iter_mut().find(|r| r.id == key.name) {
                            Some(r) => {
                                if let Some(s) = severity {
                                    r.severity = s;
                                }
                            }
                            None => {
                                let key_node = Node {
                                    line: key.line,
                                    column: key.column,
                                    ..value.clone()
                                };
                                unknown_included_id(
                                    ctx, &key_node, &at, &name, &key.name, reference,
                                );
                            }
                        }
                    }
                }
            }
        }

        let policy = loaded?;
        for n in std::iter::once(&name).chain(&policy.includes) {
            if !includes.contains(n) {
                includes.push(n.clone());
            }
        }
        Some(Included {
            requirements: requirements.unwrap_or_default(),
            location,
        })
    }
}

impl Loader<'_> {
    /// The pack `name` loaded without `with:` values, for its requirement ids only: `None` when it
    /// does not load that way either (then its ids are not checked). Its errors are not reported (the
    /// include reported its own); a success is kept for later plain includes of the pack.
    fn ids_without_values(&mut self, name: &str) -> Option<Policy> {
        if let Some(cached) = self.plain.get(name) {
            return cached.clone();
        }
        if self.stack.iter().any(|n| n == name) || self.loads >= MAX_PACK_LOADS {
            return None;
        }
        let (file, text) = self.resolver.resolve(name)?;
        self.loads += 1;
        let args = IncludeArgs {
            pack: name,
            with: Vec::new(),
            site: Location::default(),
        };
        let mut scratch = Vec::new();
        self.stack.push(name.to_string());
        let policy = self.load_document(&mut scratch, &file, &text, Some(&args));
        self.stack.pop();
        if policy.is_some() {
            self.plain.insert(name.to_string(), policy.clone());
        }
        policy
    }
}

fn unknown_included_id(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    pack: &str,
    id: &str,
    loaded: Option<&Policy>,
) {
    let location = ctx.at(node, path);
    let ids = loaded.map(|p| {
        p.requirements
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
    });
    ctx.push(PolicyError::UnknownIncludedId {
        location,
        pack: pack.to_string(),
        id: id.to_string(),
        suggestion: ids
            .and_then(|ids| did_you_mean(id, ids))
            .map(str::to_string),
    });
}

/// Included requirements first, in include order (a pack included twice counts once); then the
/// policy's own, each replacing an included one with the same id in place.
fn merge(ctx: &mut Ctx<'_>, included: Vec<Included>, own: Vec<Requirement>) -> Vec<Requirement> {
    let mut merged: Vec<Requirement> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut conflicts = Vec::new();
    for inc in included {
        for r in inc.requirements {
            match index.get(&r.id).and_then(|&i| merged.get(i)) {
                Some(first) => {
                    if first.policy != r.policy {
                        conflicts.push((
                            r.id.clone(),
                            first.policy.clone(),
                            r.policy.clone(),
                            inc.location.clone(),
                        ));
                    }
                }
                None => {
                    index.insert(r.id.clone(), merged.len());
                    merged.push(r);
                }
            }
        }
    }
    let mut overridden = Vec::new();
    for r in own {
        match index.get(&r.id).and_then(|&i| merged.get_mut(i)) {
            Some(slot) => {
                overridden.push(r.id.clone());
                *slot = r;
            }
            None => {
                index.insert(r.id.clone(), merged.len());
                merged.push(r);
            }
        }
    }
    for (id, first, second, location) in conflicts {
        if !overridden.contains(&id) {
            ctx.push(PolicyError::IncludeConflict {
                location,
                id,
                first,
                second,
            });
        }
    }
    merged
}

fn optional_text(ctx: &mut Ctx<'_>, fields: Fields<'_>, name: &'static str) -> Option<String> {
    fields.get(name).and_then(|n| ctx.text(n, name))
}

fn policy_name(ctx: &mut Ctx<'_>, node: &Node) -> Option<String> {
    let name = ctx.text(node, "name")?;
    let ok = !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok {
        let location = ctx.at(node, "name");
        ctx.push(PolicyError::BadName {
            location,
            name: name.clone(),
        });
    }
    Some(name)
}

/// `NET-001`, `IMG-SECRET-002`: dash-separated groups of upper-case letters and digits, the first
/// starting with a letter, the last all digits.
pub fn valid_id(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    let (Some(first), Some(last)) = (groups.first(), groups.last()) else {
        return false;
    };
    groups.len() >= 2
        && first.starts_with(|c: char| c.is_ascii_uppercase())
        && groups.iter().all(|g| {
            !g.is_empty()
                && g.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// A requirement id, checked for its form.
pub fn requirement_id(ctx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<String> {
    let id = ctx.text(node, path)?;
    if !valid_id(&id) {
        let location = ctx.at(node, path);
        ctx.push(PolicyError::BadId {
            location,
            id: id.clone(),
        });
        return None;
    }
    Some(id)
}

fn severity(ctx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Severity> {
    let text = ctx.text(node, path)?;
    let parsed = Severity::parse(&text);
    if parsed.is_none() {
        let location = ctx.at(node, path);
        ctx.push(PolicyError::BadSeverity {
            location,
            suggestion: did_you_mean(&text, Severity::ALL.iter().map(|s| s.name()))
                .map(str::to_string),
            value: text,
        });
    }
    parsed
}

fn read_out_of_scope(ctx: &mut Ctx<'_>, node: &Node) -> Vec<OutOfScope> {
    let Some(items) = ctx.list(node, "out_of_scope", "a list of `{clause, proxy}` mappings") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = index_path("out_of_scope", i);
        let Some(fields) = ctx.map(item, &path, "a mapping with `clause` and `proxy`") else {
            continue;
        };
        fields.reject_unknown(ctx, &path, &["clause", "proxy"], "an out-of-scope entry");
        let clause = fields
            .required(ctx, &path, "clause", "an out-of-scope entry")
            .and_then(|n| ctx.non_empty_text(n, &field_path(&path, "clause")));
        let proxy = fields
            .get("proxy")
            .and_then(|n| ctx.text(n, &field_path(&path, "proxy")));
        if let Some(clause) = clause {
            out.push(OutOfScope { clause, proxy });
        }
    }
    out
}

fn read_requirements(ctx: &mut Ctx<'_>, node: &Node, policy: &str) -> Vec<Requirement> {
    let Some(items) = ctx.list(node, "requirements", "a list of requirements") else {
        return Vec::new();
    };
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(items.len());
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = index_path("requirements", i);
        if let Some(r) = requirement(ctx, item, &path, policy, &mut seen) {
            out.push(r);
        }
    }
    out
}

fn requirement(
    ctx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    policy: &str,
    seen: &mut HashMap<String, usize>,
) -> Option<Requirement> {
    const WITHIN: &str = "a requirement";
    let fields = ctx.map(
        node,
        path,
        "a requirement (a mapping with `id`, `title`, `check`, …)",
    )?;
    let before = ctx.errors.len();
    fields.reject_unknown(ctx, path, REQUIREMENT_FIELDS, WITHIN);

    let id_node = fields.required(ctx, path, "id", WITHIN);
    let id = id_node.and_then(|n| requirement_id(ctx, n, &field_path(path, "id")));
    if let (Some(id), Some(n)) = (&id, id_node) {
        match seen.get(id) {
            Some(&first_line) => {
                let location = ctx.at(n, &field_path(path, "id"));
                ctx.push(PolicyError::DuplicateId {
                    location,
                    id: id.clone(),
                    first_line,
                });
            }
            None => {
                seen.insert(id.clone(), n.line);
            }
        }
    }
    let text = |name: &'static str, ctx: &mut Ctx<'_>| {
        fields
            .required(ctx, path, name, WITHIN)
            .and_then(|n| ctx.non_empty_text(n, &field_path(path, name)))
    };
    let title = text("title", ctx);
    let section = text("section", ctx);
    let description = text("description", ctx);
    let remediation = text("remediation", ctx);
    let severity = fields
        .required(ctx, path, "severity", WITHIN)
        .and_then(|n| severity(ctx, n, &field_path(path, "severity")));
    let clause = fields
        .get("clause")
        .and_then(|n| ctx.text(n, &field_path(path, "clause")));
    let example = fields
        .get("example")
        .and_then(|n| ctx.text(n, &field_path(path, "example")));
    let when = fields
        .get("when")
        .and_then(|n| check::compile(ctx, n, &field_path(path, "when"), &Scope::Root));
    let check = fields
        .required(ctx, path, "check", WITHIN)
        .and_then(|n| check::compile(ctx, n, &field_path(path, "check"), &Scope::Root));

    if ctx.errors.len() > before {
        return None;
    }
    let location = ctx.at(id_node?, path);
    Some(Requirement {
        id: id?,
        title: title?,
        section: section?,
        severity: severity?,
        description: description?,
        remediation: remediation?,
        clause,
        example,
        policy: policy.to_string(),
        when,
        check: check?,
        location,
        template: Template::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_forms() {
        for ok in ["NET-001", "IMG-SECRET-002", "A-1", "H2-10"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in [
            "net-001", "NET", "NET-", "-001", "NET--001", "NET-00A", "1NET-001", "NET_001",
        ] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
