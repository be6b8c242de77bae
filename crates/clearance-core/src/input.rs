//! Reading dumps: detect what a document is, parse it, and normalise it into [`Subject`]s.
//!
//! `bytes ──decode──▶ text ──parse──▶ JSON values ──detect──▶ Document ──normalise──▶ Subject`
//!
//! One module per job: `decode` (size limit, byte-order marks, UTF-16, invalid UTF-8), `parse`
//! (serde_json, once, into a [`Json`] `tree`; JSON lines and streams of objects), `detect` (the kind, by
//! shape), one normaliser per source (`docker_image`, `oci_config`, `docker_container`, `history`)
//! sharing `config`, `user`, `healthcheck` and `instruction`, and `group` (subjects). Secrets are masked
//! by [`crate::facts::mask`] while facts are built. The accepted formats, the facts produced, the
//! grouping rules and the limits are described in `docs/inputs.md`.
//!
//! Duplicate keys in a JSON object: the last value is kept, at the position of the first (as
//! serde_json's `Value` does).

mod config;
mod decode;
mod detect;
mod docker_container;
mod docker_image;
mod error;
mod group;
mod healthcheck;
mod history;
mod instruction;
mod json;
mod lines;
mod oci_config;
mod parse;
mod tree;
mod user;

pub use error::InputError;
pub use tree::{Json, Object};

use crate::facts::{Root, Subject};
use serde::Serialize;

/// What a document was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DocumentKind {
    /// `docker image inspect` / `docker inspect IMAGE`.
    DockerImageInspect,
    /// `docker container inspect` / `docker inspect CONTAINER`.
    DockerContainerInspect,
    /// `docker history --format '{{json .}}'` or `--format json`: JSON lines.
    DockerHistory,
    /// Docker Engine API `GET /images/{id}/history`: a JSON array.
    EngineApiHistory,
    /// `podman image inspect`.
    PodmanImageInspect,
    /// `podman container inspect`.
    PodmanContainerInspect,
    /// `podman history --format json`.
    PodmanHistory,
    /// OCI / Docker image config (`skopeo inspect --config`, `crane config`, inside `docker save`).
    OciImageConfig,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 8] = [
        DocumentKind::DockerImageInspect,
        DocumentKind::DockerContainerInspect,
        DocumentKind::DockerHistory,
        DocumentKind::EngineApiHistory,
        DocumentKind::PodmanImageInspect,
        DocumentKind::PodmanContainerInspect,
        DocumentKind::PodmanHistory,
        DocumentKind::OciImageConfig,
    ];

    /// The stable id used in JSON and on the command line (`docker-image-inspect`).
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::DockerImageInspect => "docker-image-inspect",
            DocumentKind::DockerContainerInspect => "docker-container-inspect",
            DocumentKind::DockerHistory => "docker-history",
            DocumentKind::EngineApiHistory => "engine-api-history",
            DocumentKind::PodmanImageInspect => "podman-image-inspect",
            DocumentKind::PodmanContainerInspect => "podman-container-inspect",
            DocumentKind::PodmanHistory => "podman-history",
            DocumentKind::OciImageConfig => "oci-image-config",
        }
    }

    /// How a person calls it (`docker image inspect`).
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::DockerImageInspect => "docker image inspect",
            DocumentKind::DockerContainerInspect => "docker container inspect",
            DocumentKind::DockerHistory => "docker history (JSON lines)",
            DocumentKind::EngineApiHistory => "Docker Engine API image history",
            DocumentKind::PodmanImageInspect => "podman image inspect",
            DocumentKind::PodmanContainerInspect => "podman container inspect",
            DocumentKind::PodmanHistory => "podman history",
            DocumentKind::OciImageConfig => "OCI image config",
        }
    }

    pub fn from_id(id: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The facts roots this kind of document provides.
    pub fn provides(self) -> &'static [Root] {
        match self {
            DocumentKind::DockerImageInspect => &[Root::Image],
            DocumentKind::PodmanImageInspect | DocumentKind::OciImageConfig => {
                &[Root::Image, Root::History]
            }
            DocumentKind::DockerContainerInspect | DocumentKind::PodmanContainerInspect => {
                &[Root::Container]
            }
            DocumentKind::DockerHistory
            | DocumentKind::EngineApiHistory
            | DocumentKind::PodmanHistory => &[Root::History],
        }
    }
}

/// Limits enforced while reading, the same in every home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Largest document accepted, in bytes.
    pub max_document_bytes: usize,
    /// Deepest JSON nesting accepted.
    pub max_depth: usize,
    /// Most history entries in one document.
    pub max_layers: usize,
    /// Most images or containers in one document.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document_bytes: 128 * 1024 * 1024,
            max_depth: 128,
            max_layers: 100_000,
            max_entries: 10_000,
        }
    }
}

/// A parsed, recognised document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Source name (file path, `-`, or a name the caller chose), shared with the evidence of its facts.
    pub name: std::sync::Arc<str>,
    pub kind: DocumentKind,
    /// The parsed JSON. JSON-lines history is held as an array of its lines.
    pub value: Json,
    /// For JSON-lines documents, the 1-based line each array element came from.
    pub lines: Vec<usize>,
}

/// What a caller is told about a document it gave, before any policy runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct DocumentSummary {
    pub name: String,
    pub kind: DocumentKind,
    pub kind_label: &'static str,
    /// Images, containers or history entries in the document.
    pub entries: usize,
    /// The first image tag, container name or image id found, for display.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Remarks for the reviewer (truncated history, missing fields, …).
    pub notes: Vec<String>,
}

/// Reads one document: decodes, parses and recognises it (or checks it is the `hint` kind).
pub fn read(
    name: &str,
    bytes: &[u8],
    hint: Option<DocumentKind>,
    limits: &Limits,
) -> Result<Document, InputError> {
    let text = decode::decode(name, bytes, limits.max_document_bytes)?;
    read_text(name, &text, hint, limits)
}

/// [`read`] of decoded text.
fn read_text(
    name: &str,
    text: &str,
    hint: Option<DocumentKind>,
    limits: &Limits,
) -> Result<Document, InputError> {
    let parsed = parse::parse(name, text, limits.max_depth)?;
    let recognised = detect::recognise(name, parsed.values, parsed.lines, hint)?;
    finish(name, recognised, limits)
}

/// A document read for `api::check`, which builds its facts once and never looks at its JSON again.
pub(crate) struct Read {
    pub doc: Document,
    /// `docker history` lines in their usual shape, read without the JSON tree (the document's value
    /// then has no entries): `lines` says when.
    pub lines: Option<lines::Lines>,
}

/// [`read`] for `api::check`: `docker history` lines in their usual shape are read straight into their
/// fields (about half the work of the tree, and no allocation a line); anything else, and any error,
/// through [`read`].
pub(crate) fn read_for_check(
    name: &str,
    bytes: &[u8],
    hint: Option<DocumentKind>,
    limits: &Limits,
) -> Result<Read, InputError> {
    let text = decode::decode(name, bytes, limits.max_document_bytes)?;
    if let Some((doc, lines)) = lines::read(name, &text, hint, limits) {
        return Ok(Read {
            doc,
            lines: Some(lines),
        });
    }
    Ok(Read {
        doc: read_text(name, &text, hint, limits)?,
        lines: None,
    })
}

/// [`summarize`] of a document [`read_for_check`] read (`lines`: its lines, when read without the tree).
pub(crate) fn summary(doc: &Document, lines: Option<&lines::Lines>) -> DocumentSummary {
    match lines {
        Some(lines) => lines.summary(doc),
        None => summarize(doc),
    }
}

/// Reads an already-parsed JSON value (from JavaScript callers that pass objects). The size limit does
/// not apply (there are no bytes); the depth limit does.
pub fn from_value(
    name: &str,
    value: serde_json::Value,
    hint: Option<DocumentKind>,
    limits: &Limits,
) -> Result<Document, InputError> {
    // converted first: the conversion recurses no deeper than dropping the `Value` would
    let value = Json::from(value);
    parse::check_value_depth(name, &value, limits.max_depth)?;
    let recognised = detect::recognise(name, vec![value], Vec::new(), hint)?;
    finish(name, recognised, limits)
}

fn finish(
    name: &str,
    recognised: detect::Recognised,
    limits: &Limits,
) -> Result<Document, InputError> {
    let doc = Document {
        name: name.into(),
        kind: recognised.kind,
        value: recognised.value,
        lines: recognised.lines,
    };
    check_counts(&doc, limits)?;
    Ok(doc)
}

/// The entries of a document: the array elements, or the bare object.
fn top_entries(doc: &Document) -> &[Json] {
    match &doc.value {
        Json::Array(items) => items,
        other => std::slice::from_ref(other),
    }
}

fn check_counts(doc: &Document, limits: &Limits) -> Result<(), InputError> {
    let entries = top_entries(doc);
    // `prefix`: the pointer of the list; the first entry over the limit is named.
    let too_many_layers = |count: usize, prefix: &str| -> Result<(), InputError> {
        if count > limits.max_layers {
            return Err(InputError::TooManyLayers {
                document: doc.name.to_string(),
                count,
                max: limits.max_layers,
                pointer: format!("{prefix}/{}", limits.max_layers),
                line: doc.lines.get(limits.max_layers).copied(),
            });
        }
        Ok(())
    };
    if detect::is_history(doc.kind) {
        return too_many_layers(entries.len(), "");
    }
    if entries.len() > limits.max_entries {
        return Err(InputError::TooManyEntries {
            document: doc.name.to_string(),
            count: entries.len(),
            max: limits.max_entries,
            pointer: format!("/{}", limits.max_entries),
        });
    }
    let history_key = match doc.kind {
        DocumentKind::OciImageConfig => "history",
        DocumentKind::PodmanImageInspect => "History",
        _ => return Ok(()),
    };
    let in_array = matches!(doc.value, Json::Array(_));
    for (i, entry) in entries.iter().enumerate() {
        if let Some(Json::Array(h)) = entry.get(history_key) {
            let prefix = if in_array {
                format!("/{i}/{history_key}")
            } else {
                format!("/{history_key}")
            };
            too_many_layers(h.len(), &prefix)?;
        }
    }
    Ok(())
}

/// The 1-based line and column (in characters) of byte `offset` of a text; bytes that are not UTF-8
/// count one column each.
pub fn line_column_at(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

/// Summarises a document for display.
pub fn summarize(doc: &Document) -> DocumentSummary {
    let entries = top_entries(doc);
    let str_at = |v: &Json, pointer: &str| {
        v.pointer(pointer)
            .and_then(Json::as_str)
            .map(str::to_string)
    };
    let label = match doc.kind {
        DocumentKind::DockerImageInspect | DocumentKind::PodmanImageInspect => {
            entries.first().and_then(|e| {
                str_at(e, "/RepoTags/0").or_else(|| str_at(e, "/Id").filter(|s| !s.is_empty()))
            })
        }
        DocumentKind::DockerContainerInspect | DocumentKind::PodmanContainerInspect => entries
            .first()
            .and_then(|e| str_at(e, "/Name").map(|n| n.trim_start_matches('/').to_string())),
        DocumentKind::EngineApiHistory => entries.first().and_then(|e| str_at(e, "/Tags/0")),
        DocumentKind::DockerHistory
        | DocumentKind::PodmanHistory
        | DocumentKind::OciImageConfig => None,
    };
    let mut notes = Vec::new();
    let created_by = match doc.kind {
        DocumentKind::DockerHistory | DocumentKind::EngineApiHistory => Some("CreatedBy"),
        DocumentKind::PodmanHistory => Some("createdBy"),
        _ => None,
    };
    if let Some(key) = created_by {
        let truncated = entries
            .iter()
            .filter(|e| {
                e.get(key)
                    .and_then(Json::as_str)
                    .is_some_and(|s| s.ends_with('…'))
            })
            .count();
        notes.extend(truncated_note(truncated, entries.len()));
    }
    if matches!(
        doc.kind,
        DocumentKind::DockerImageInspect | DocumentKind::PodmanImageInspect
    ) && entries
        .iter()
        .any(|e| e.get("Config").is_some_and(Json::is_null))
    {
        notes.push(
            "`\"Config\": null`: the image has no configuration; its facts are absent".to_string(),
        );
    }
    DocumentSummary {
        name: doc.name.to_string(),
        kind: doc.kind,
        kind_label: doc.kind.label(),
        entries: match doc.kind {
            DocumentKind::OciImageConfig => 1,
            _ => entries.len(),
        },
        label,
        notes,
    }
}

/// The note of a history with `truncated` of its `total` lines printed truncated.
fn truncated_note(truncated: usize, total: usize) -> Option<String> {
    (truncated > 0).then(|| format!(
        "{truncated} of {total} history lines were printed truncated (without `--no-trunc`); checks that need the hidden text are unknown"
    ))
}

/// Groups documents into subjects (one per image) and normalises them into facts.
pub fn subjects(docs: &[Document]) -> Result<Vec<Subject>, InputError> {
    group::subjects(docs)
}

/// A subject from [`subjects_lazy`]: [`Pending::build`] gives the subject.
#[derive(Debug)]
pub struct Pending {
    subject: Subject,
    image: bool,
}

impl Pending {
    /// The subject, its image facts built now if they were left for later, keeping only the raw
    /// entries of the roots in `keep_raw` (those a policy's `pointer:` checks read; the others are
    /// freed). An entry that could not be read is an error here instead of in [`subjects_lazy`].
    pub fn build(self, keep_raw: &[Root]) -> Result<Subject, InputError> {
        group::hydrate(self.subject, self.image, keep_raw)
    }
}

/// [`subjects`] for one pass over the subjects (how `api::check` evaluates), taking the parsed JSON
/// out of the documents while the facts are built (each document's `value` is left `null`, or an array
/// of `null`s; summarise them first): raw entries move into the subjects instead of being copied, and
/// history entries are freed as their layers are built, so the parsed JSON and the facts are not held in
/// memory at once. The images of a `docker image inspect` array of more than 16 images are read for
/// grouping only (id, tags, digests), and each one's facts are built by [`Pending::build`] just before
/// it is evaluated, so a large array is never held as facts all at once. Same subjects; an error in a
/// lazily read image's fields comes from `build`.
pub fn subjects_lazy(docs: &mut [Document]) -> Result<Vec<Pending>, InputError> {
    subjects_lazy_lines(docs, &[])
}

/// [`subjects_lazy`] of documents read by [`read_for_check`]: `lines[i]` holds document `i`'s lines
/// when it was read without the tree.
pub(crate) fn subjects_lazy_lines(
    docs: &mut [Document],
    lines: &[Option<lines::Lines>],
) -> Result<Vec<Pending>, InputError> {
    Ok(group::subjects_lazy(docs, lines)?
        .into_iter()
        .map(|(subject, image)| Pending { subject, image })
        .collect())
}
