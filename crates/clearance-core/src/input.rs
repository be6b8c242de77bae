//! Reading dumps: detect what a document is, parse it, and normalise it into [`Subject`]s.
//!
//! `bytes ──detect──▶ Document ──normalise──▶ Subject (facts with evidence)`
//!
//! PLACEHOLDER: the real implementation replaces this file (see `docs/architecture.md`).

use crate::diagnostic::{Diagnostic, Location, ToDiagnostic};
use crate::facts::{Root, Subject};
use serde::Serialize;

/// What a document was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
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
    /// Source name (file path, `-`, or a name the caller chose).
    pub name: String,
    pub kind: DocumentKind,
    /// The parsed JSON. JSON-lines history is held as an array of its lines.
    pub value: serde_json::Value,
    /// For JSON-lines documents, the 1-based line each array element came from.
    pub lines: Vec<usize>,
}

/// What a caller is told about a document it gave, before any policy runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
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

/// Everything that can go wrong reading a dump.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("`{document}` is not supported yet")]
    Unsupported { document: String },
}

impl ToDiagnostic for InputError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            InputError::Unsupported { document } => Diagnostic {
                code: "input/unsupported".into(),
                message: self.to_string(),
                help: None,
                location: Location::file(document.clone()),
            },
        }
    }
}

/// Reads one document: decodes, parses and recognises it (or checks it is the `hint` kind).
pub fn read(
    name: &str,
    _bytes: &[u8],
    _hint: Option<DocumentKind>,
    _limits: &Limits,
) -> Result<Document, InputError> {
    Err(InputError::Unsupported {
        document: name.to_string(),
    })
}

/// Reads an already-parsed JSON value (from JavaScript callers that pass objects).
pub fn from_value(
    name: &str,
    _value: serde_json::Value,
    _hint: Option<DocumentKind>,
    _limits: &Limits,
) -> Result<Document, InputError> {
    Err(InputError::Unsupported {
        document: name.to_string(),
    })
}

/// Summarises a document for display.
pub fn summarize(doc: &Document) -> DocumentSummary {
    DocumentSummary {
        name: doc.name.clone(),
        kind: doc.kind,
        kind_label: doc.kind.label(),
        entries: 0,
        label: None,
        notes: Vec::new(),
    }
}

/// Groups documents into subjects (one per image) and normalises them into facts.
pub fn subjects(_docs: &[Document]) -> Result<Vec<Subject>, InputError> {
    Ok(Vec::new())
}
