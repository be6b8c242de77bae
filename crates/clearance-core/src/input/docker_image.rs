//! `docker image inspect` and `podman image inspect` entries (old shapes with `ContainerConfig` and
//! `VirtualSize`, Docker 29 with `Descriptor`, `Identity`, `null` config fields and no `GraphDriver`).

use super::config;
use super::error::InputError;
use super::history::{self, History, Layout};
use super::json::Node;
use super::tree::Json;
use crate::facts::{Fact, FactValue, Text};

/// The facts of one image, and what grouping needs to know about it.
#[derive(Debug, Clone)]
pub(crate) struct Image {
    /// The `image` root.
    pub fact: Fact,
    /// History carried by the image document itself (podman `History`, an OCI config's `history`).
    pub history: Option<History>,
    pub id: Option<String>,
    pub tags: Vec<String>,
    pub digests: Vec<String>,
    pub notes: Vec<String>,
}

/// What grouping needs of an image entry (id, tags, digests, notes), without its facts: `fact` is a
/// placeholder until [`read`] builds the facts from the same entry (see `group::hydrate`).
pub(crate) fn identity(node: &Node) -> Result<Image, InputError> {
    node.object()?;
    let mut notes = Vec::new();
    let [id, tags, digests, config] = node.keys(["Id", "RepoTags", "RepoDigests", "Config"]);
    let id = id
        .str()?
        .filter(|s| !s.is_empty())
        .map(super::json::image_id);
    let tags = strings(&tags, "a list of tags such as `name:tag`")?;
    let digests = strings(&digests, "a list of digests such as `name@sha256:…`")?;
    if config.value.is_none() && node.value.and_then(|v| v.get("Config")).is_some() {
        notes.push(format!(
            "`{}` {}: `\"Config\": null`: the image has no configuration (no user, env, command, …); those facts are absent",
            node.src.document,
            entry_name(node)
        ));
    }
    Ok(Image {
        fact: Fact::derived(FactValue::Absent),
        history: None,
        id,
        tags,
        digests,
        notes,
    })
}

/// Reads one image entry (`node` is the image object: `/0`, or the root of a bare object).
/// The facts of an image record: 11 of the image's own, then the config's.
pub(crate) const IMAGE_FACTS: usize = 11 + config::IMAGE_CONFIG_FACTS;

pub(crate) fn read(node: &Node, podman: bool) -> Result<Image, InputError> {
    let Image {
        id,
        tags,
        digests,
        notes,
        ..
    } = identity(node)?;
    let (fact, history) = facts(node, podman)?;
    Ok(Image {
        fact,
        history,
        id,
        tags,
        digests,
        notes,
    })
}

/// The `image` fact of one image entry, and the history it carries (podman): [`read`] without the
/// identity (for an entry whose identity [`identity`] has already read). The same errors, in the same
/// order, as [`read`].
pub(crate) fn facts(node: &Node, podman: bool) -> Result<(Fact, Option<History>), InputError> {
    node.object()?;
    let [id_node, tags_node, digests_node, created, author, os, arch, variant, size, rootfs, config_node] =
        node.keys([
            "Id",
            "RepoTags",
            "RepoDigests",
            "Created",
            "Author",
            "Os",
            "Architecture",
            "Variant",
            "Size",
            "RootFS",
            "Config",
        ]);
    // read (and checked) in `identity`'s order
    let id = id_node.image_id()?.1;
    let tags = list_fact(tags_node, "a list of tags such as `name:tag`")?;
    let digests = list_fact(digests_node, "a list of digests such as `name@sha256:…`")?;
    let mut entries = Vec::with_capacity(IMAGE_FACTS);
    entries.extend([
        ("id".into(), id),
        ("tags".into(), tags),
        ("digests".into(), digests),
        ("created".into(), created.text_nonempty()?),
        ("author".into(), author.text()?),
    ]);
    entries.extend(platform(os, arch, variant)?);
    entries.push((
        "size".into(),
        match size.u64("a size in bytes")? {
            Some(bytes) => size.fact(FactValue::Size(bytes)),
            None => size.absent(),
        },
    ));
    rootfs.object()?;
    entries.push(("layer_count".into(), layer_count(rootfs.key("Layers"))?));
    config::image_facts_into(&config_node, podman.then(|| node.key("User")), &mut entries)?;
    let history = match podman.then(|| node.key("History")) {
        Some(history_node) if history_node.is_present() => {
            Some(history::read(&history_node, &[], Layout::Config)?)
        }
        _ => None,
    };
    Ok((node.fact_ref(FactValue::Map(entries)), history))
}

/// `/0` for an array element, `the image` for a bare object.
pub(crate) fn entry_name(node: &Node) -> String {
    if node.pointer.is_empty() {
        "(the whole document)".to_string()
    } else {
        format!("`{}`", node.pointer)
    }
}

fn strings(node: &Node, expected: &str) -> Result<Vec<String>, InputError> {
    // the usual list of strings, copied without a node for each
    if let Some(Json::Array(items)) = node.value {
        if let Some(strings) = items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
        {
            return Ok(strings);
        }
    }
    Ok(node
        .strings(expected, false)?
        .map(|items| items.into_iter().map(|(s, _)| s.to_string()).collect())
        .unwrap_or_default())
}

/// A list of strings as plain texts (`RepoTags`, `RepoDigests`), or `Absent`.
fn list_fact(node: Node, expected: &str) -> Result<Fact, InputError> {
    node.string_list(expected, false, |s| Text::plain(s))
}

/// `os`, `architecture`, `variant` (absent when empty) and `platform` (`os/arch[/variant]`).
pub(crate) fn platform<'v>(
    os: Node<'v, '_>,
    arch: Node<'v, '_>,
    variant: Node<'v, '_>,
) -> Result<Vec<(crate::facts::Key, Fact)>, InputError> {
    let nonempty = |n: &Node<'v, '_>| -> Result<Option<&'v str>, InputError> {
        Ok(n.str()?.filter(|s| !s.is_empty()))
    };
    let (o, a, v) = (nonempty(&os)?, nonempty(&arch)?, nonempty(&variant)?);
    let platform = match (o, a) {
        (Some(o), Some(a)) => {
            let mut p = String::with_capacity(o.len() + a.len() + v.map_or(0, |v| v.len() + 1) + 1);
            p.push_str(o);
            p.push('/');
            p.push_str(a);
            if let Some(v) = v {
                p.push('/');
                p.push_str(v);
            }
            Fact::derived(FactValue::Text(Text::plain(p)))
        }
        _ => os.fact_ref(FactValue::Absent),
    };
    Ok(vec![
        ("os".into(), os.text_nonempty()?),
        ("architecture".into(), arch.text_nonempty()?),
        ("variant".into(), variant.text_nonempty()?),
        ("platform".into(), platform),
    ])
}

/// The number of filesystem layers (`RootFS.Layers`, `rootfs.diff_ids`).
pub(crate) fn layer_count(node: Node) -> Result<Fact, InputError> {
    Ok(match node.array("a list of layer digests")? {
        Some(layers) => node.fact(FactValue::Int(
            i64::try_from(layers.len()).unwrap_or(i64::MAX),
        )),
        None => node.absent(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::json::Src;
    use crate::input::tree::json;

    /// The record sizes the readers allocate for are the sizes they build (docker, podman and OCI).
    #[test]
    fn image_records_have_the_facts_they_are_sized_for() {
        let value = json!({"Id": "sha256:1", "Config": {"User": "1:2"}, "RootFS": {"Layers": []}});
        let node = Node::new(
            Src::new(crate::input::json::test_document("d")),
            "/0",
            Some(&value),
        );
        for podman in [false, true] {
            let image = read(&node, podman).unwrap();
            let FactValue::Map(entries) = &image.fact.value else {
                panic!("not a record");
            };
            assert_eq!(entries.len(), IMAGE_FACTS);
        }
        let oci = json!({"config": {}, "rootfs": {"diff_ids": []}});
        let node = Node::new(
            Src::new(crate::input::json::test_document("d")),
            String::new(),
            Some(&oci),
        );
        let image = super::super::oci_config::read(&node).unwrap();
        let FactValue::Map(entries) = &image.fact.value else {
            panic!("not a record");
        };
        assert_eq!(entries.len(), IMAGE_FACTS);
    }
}
