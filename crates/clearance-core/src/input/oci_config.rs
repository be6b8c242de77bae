//! OCI / Docker image configs (`skopeo inspect --config`, `crane config`, the config blob inside
//! `docker save`): lower-case top-level keys, a Docker-style `config`, `rootfs.diff_ids` and `history`.

use super::config;
use super::docker_image::{layer_count, platform, Image};
use super::error::InputError;
use super::history::{self, Layout};
use super::json::Node;
use crate::facts::{FactValue, NotRecorded, Unknown};

/// Reads an image config (`node` is the document root).
pub(crate) fn read(node: &Node) -> Result<Image, InputError> {
    node.object()?;
    // An image config does not record the image id (the digest of the config bytes; clearance does not
    // hash), tags, repository digests or size: they are unknown, not absent, so a check on them can
    // neither pass nor wrongly fail.
    let not_recorded = |key: &str| {
        node.key(key)
            .fact(FactValue::Unknown(Unknown::NotRecorded(&NotRecorded {
                document: "an OCI image config",
                instead: "give `docker image inspect` as well to check it",
            })))
    };
    let mut entries = Vec::with_capacity(super::docker_image::IMAGE_FACTS);
    entries.extend([
        ("id".into(), not_recorded("id")),
        ("tags".into(), not_recorded("tags")),
        ("digests".into(), not_recorded("digests")),
        ("created".into(), node.key("created").text_nonempty()?),
        ("author".into(), node.key("author").text()?),
    ]);
    entries.extend(platform(
        node.key("os"),
        node.key("architecture"),
        node.key("variant"),
    )?);
    entries.push(("size".into(), not_recorded("size")));
    let rootfs = node.key("rootfs");
    rootfs.object()?;
    entries.push(("layer_count".into(), layer_count(rootfs.key("diff_ids"))?));
    config::image_facts_into(&node.key("config"), None, &mut entries)?;
    let history_node = node.key("history");
    let history = if history_node.is_present() {
        Some(history::read(&history_node, &[], Layout::Config)?)
    } else {
        None
    };
    Ok(Image {
        fact: node.fact_ref(FactValue::Map(entries)),
        history,
        id: None,
        tags: Vec::new(),
        digests: Vec::new(),
        notes: Vec::new(),
    })
}
