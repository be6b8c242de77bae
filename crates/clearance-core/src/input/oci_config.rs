//! OCI / Docker image configs (`skopeo inspect --config`, `crane config`, the config blob inside
//! `docker save`): lower-case top-level keys, a Docker-style `config`, `rootfs.diff_ids` and `history`.

use super::config;
use super::docker_image::{layer_count, platform, Image};
use super::error::InputError;
use super::history::{self, Layout};
use super::json::Node;
use crate::facts::FactValue;

/// Reads an image config (`node` is the document root).
pub(crate) fn read(node: &Node) -> Result<Image, InputError> {
    node.object()?;
    // The image id is the digest of the config bytes; clearance does not hash, so it is absent.
    let mut entries = vec![
        ("id".to_string(), node.key("id").absent()),
        ("tags".to_string(), node.key("tags").absent()),
        ("digests".to_string(), node.key("digests").absent()),
        ("created".to_string(), node.key("created").text_nonempty()?),
        ("author".to_string(), node.key("author").text()?),
    ];
    entries.extend(platform(
        node.key("os"),
        node.key("architecture"),
        node.key("variant"),
    )?);
    entries.push(("size".to_string(), node.key("size").absent()));
    let rootfs = node.key("rootfs");
    rootfs.object()?;
    entries.push((
        "layer_count".to_string(),
        layer_count(rootfs.key("diff_ids"))?,
    ));
    entries.extend(config::image_facts(&node.key("config"), None)?);
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
