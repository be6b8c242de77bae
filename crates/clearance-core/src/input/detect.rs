//! Recognising a document by its shape (the user never has to say which dump is which), or checking it
//! against the kind the caller gave.

use super::error::{json_type, InputError};
use super::tree::{Json, Object};
use super::DocumentKind;

/// Keys only podman prints in a container inspect.
const PODMAN_CONTAINER_KEYS: [&str; 8] = [
    "ImageName",
    "OCIRuntime",
    "ConmonPidFile",
    "StaticDir",
    "IsInfra",
    "OCIConfigPath",
    "ExitCommand",
    "BoundingCaps",
];

/// Keys only podman prints in an image inspect.
const PODMAN_IMAGE_KEYS: [&str; 4] = ["NamesHistory", "ManifestType", "History", "Digest"];

/// What one JSON object is, or `None` when it is none of the accepted shapes.
pub(crate) fn classify(obj: &Object) -> Option<DocumentKind> {
    let has = |k: &str| obj.contains_key(k);
    // history entries
    if has("CreatedSince") || (has("CreatedBy") && has("CreatedAt")) {
        return Some(DocumentKind::DockerHistory);
    }
    if obj.get("ID").is_some_and(Json::is_string) && has("CreatedBy") {
        return Some(DocumentKind::DockerHistory);
    }
    if has("createdBy")
        || (has("id") && has("created") && (has("size") || has("comment")) && !has("created_by"))
    {
        return Some(DocumentKind::PodmanHistory);
    }
    let image_like = has("RepoTags") || has("RepoDigests") || has("RootFS") || has("Config");
    let api_history_like =
        obj.get("Created").is_some_and(Json::is_number) || has("CreatedBy") || has("Tags");
    if has("Id") && !image_like && !has("State") && api_history_like {
        return Some(DocumentKind::EngineApiHistory);
    }
    // containers
    if has("State") || has("HostConfig") {
        return Some(if PODMAN_CONTAINER_KEYS.iter().any(|k| has(k)) {
            DocumentKind::PodmanContainerInspect
        } else {
            DocumentKind::DockerContainerInspect
        });
    }
    if is_skopeo_inspect(obj) || is_manifest(obj) {
        return None;
    }
    // images
    if has("RepoTags")
        || has("RepoDigests")
        || has("RootFS")
        || (has("Id")
            && (has("Config") || has("Architecture") || has("Os") || has("ContainerConfig")))
    {
        return Some(if PODMAN_IMAGE_KEYS.iter().any(|k| has(k)) {
            DocumentKind::PodmanImageInspect
        } else {
            DocumentKind::DockerImageInspect
        });
    }
    // OCI / Docker image config
    let lower_config = has("rootfs")
        || (has("architecture") && has("os"))
        || (has("config") && (has("history") || has("created") || has("os")));
    if lower_config {
        return Some(DocumentKind::OciImageConfig);
    }
    None
}

/// `skopeo inspect` without `--config`: image metadata, but no `Config` block.
fn is_skopeo_inspect(obj: &Object) -> bool {
    obj.contains_key("Name")
        && obj.contains_key("Digest")
        && obj.contains_key("Layers")
        && !obj.contains_key("Config")
}

/// An image manifest or index (`docker manifest inspect`, `crane manifest`).
fn is_manifest(obj: &Object) -> bool {
    obj.contains_key("schemaVersion")
        && (obj.contains_key("layers")
            || obj.contains_key("manifests")
            || obj.contains_key("fsLayers"))
}

/// What an unrecognised value looked like, for messages.
pub(crate) fn describe(value: &Json) -> String {
    let Json::Object(obj) = value else {
        return json_type(value).to_string();
    };
    if is_skopeo_inspect(obj) {
        return "`skopeo inspect` output, which has no image configuration (use `skopeo inspect --config`)".to_string();
    }
    if is_manifest(obj) {
        return "an image manifest, which has no image configuration (use `crane config` or `skopeo inspect --config`)".to_string();
    }
    if obj.is_empty() {
        return "an empty object".to_string();
    }
    let mut keys: Vec<String> = obj.keys().take(6).map(|k| format!("`{k}`")).collect();
    if obj.len() > 6 {
        keys.push("…".to_string());
    }
    format!("an object with the keys {}", keys.join(", "))
}

/// Kinds that share a normaliser and may be mixed in one array (docker and podman inspect).
fn family(kind: DocumentKind) -> u8 {
    match kind {
        DocumentKind::DockerImageInspect | DocumentKind::PodmanImageInspect => 0,
        DocumentKind::DockerContainerInspect | DocumentKind::PodmanContainerInspect => 1,
        DocumentKind::DockerHistory => 2,
        DocumentKind::EngineApiHistory => 3,
        DocumentKind::PodmanHistory => 4,
        DocumentKind::OciImageConfig => 5,
    }
}

pub(crate) fn is_history(kind: DocumentKind) -> bool {
    matches!(
        kind,
        DocumentKind::DockerHistory | DocumentKind::EngineApiHistory | DocumentKind::PodmanHistory
    )
}

/// A recognised document: its kind, the value (JSON lines and streams as an array), and the line each
/// array element started on (for JSON lines and streams; empty otherwise).
pub(crate) struct Recognised {
    pub kind: DocumentKind,
    pub value: Json,
    pub lines: Vec<usize>,
}

/// Recognises the top-level values of a document. With a `hint`, an object of no recognisable shape is
/// taken to be that kind, and a recognisable one must agree with it.
pub(crate) fn recognise(
    document: &str,
    mut values: Vec<Json>,
    lines: Vec<usize>,
    hint: Option<DocumentKind>,
) -> Result<Recognised, InputError> {
    // `index`: the object's index in an array (`None`: the document itself); its pointer is written
    // only for an error
    let classify_hinted = |obj: &Object,
                           index: Option<usize>,
                           line: Option<usize>|
     -> Result<Option<DocumentKind>, InputError> {
        let found = classify(obj);
        match (hint, found) {
            (None, found) => Ok(found),
            (Some(h), None) => Ok(Some(h)),
            (Some(h), Some(f)) if family(h) == family(f) => Ok(Some(h)),
            (Some(h), Some(f)) => Err(InputError::HintMismatch {
                document: document.to_string(),
                expected: h.label(),
                found: format!("{} output", f.label()),
                pointer: index.map_or_else(String::new, |i| format!("/{i}")),
                line,
            }),
        }
    };
    if values.len() == 1 {
        let value = values.pop().unwrap_or(Json::Null);
        return match value {
            Json::Object(obj) => match classify_hinted(&obj, None, lines.first().copied())? {
                Some(kind) if is_history(kind) => Ok(Recognised {
                    kind,
                    value: Json::Array(vec![Json::Object(obj)]),
                    lines,
                }),
                Some(kind) => Ok(Recognised {
                    kind,
                    value: Json::Object(obj),
                    lines: Vec::new(),
                }),
                None => Err(unrecognised(
                    document,
                    "",
                    &Json::Object(obj),
                    lines.first().copied(),
                )),
            },
            Json::Array(items) => {
                let kind = array_kind(
                    document,
                    &items,
                    lines.first().copied().unwrap_or(1),
                    &classify_hinted,
                )?;
                Ok(Recognised {
                    kind,
                    value: Json::Array(items),
                    lines: Vec::new(),
                })
            }
            scalar => Err(InputError::Scalar {
                document: document.to_string(),
                found: json_type(&scalar),
                line: lines.first().copied().unwrap_or(1),
            }),
        };
    }
    // several values: JSON lines, or a stream of pretty-printed objects
    let first_kind = match values.first() {
        Some(Json::Object(obj)) => classify_hinted(obj, Some(0), lines.first().copied())?,
        _ => None,
    };
    let Some(kind) = first_kind.filter(|k| *k != DocumentKind::OciImageConfig) else {
        let (line, found) = match values.first() {
            Some(v @ Json::Object(_)) => (lines.first().copied().unwrap_or(1), describe(v)),
            Some(v) => (lines.first().copied().unwrap_or(1), describe(v)),
            None => (1, "nothing".to_string()),
        };
        return Err(InputError::SeveralValues {
            document: document.to_string(),
            index: 0,
            line,
            found,
        });
    };
    for (i, v) in values.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        let ok = match v {
            // the common case, cheaply: a JSON line with a `docker history` field
            Json::Object(obj)
                if kind == DocumentKind::DockerHistory
                    && (obj.contains_key("CreatedBy") || obj.contains_key("ID")) =>
            {
                true
            }
            Json::Object(obj) => match classify_hinted(obj, Some(i), Some(line))? {
                Some(k) => family(k) == family(kind),
                None => is_history(kind) && has_history_field(obj),
            },
            _ => false,
        };
        if !ok {
            if kind == DocumentKind::DockerHistory {
                return Err(InputError::HistoryLine {
                    document: document.to_string(),
                    line,
                    found: describe_other(v),
                });
            }
            return Err(InputError::SeveralValues {
                document: document.to_string(),
                index: i,
                line,
                found: format!(
                    "{} (the first is {} output)",
                    describe_other(v),
                    kind.label()
                ),
            });
        }
    }
    Ok(Recognised {
        kind,
        value: Json::Array(values),
        lines,
    })
}

/// Whether a history entry that is not recognisable on its own (entries may leave fields out) has at
/// least one field any history prints: an object with none of them (`{}`, `{"foo": 1}`) is not a layer,
/// and taking it as one would add a layer whose every fact is absent.
fn has_history_field(obj: &Object) -> bool {
    const FIELDS: [&str; 17] = [
        "ID",
        "Id",
        "id",
        "CreatedBy",
        "createdBy",
        "created_by",
        "CreatedAt",
        "CreatedSince",
        "Created",
        "created",
        "Size",
        "size",
        "Comment",
        "comment",
        "Tags",
        "tags",
        "empty_layer",
    ];
    FIELDS.iter().any(|f| obj.contains_key(f))
}

/// A value described by its kind when it has one.
fn describe_other(v: &Json) -> String {
    match v {
        Json::Object(obj) => match classify(obj) {
            Some(k) => format!("{} output", k.label()),
            None => describe(v),
        },
        other => json_type(other).to_string(),
    }
}

fn unrecognised(document: &str, pointer: &str, value: &Json, line: Option<usize>) -> InputError {
    InputError::Unrecognised {
        document: document.to_string(),
        pointer: pointer.to_string(),
        line,
        found: describe(value),
    }
}

/// Classifies one object, taking the caller's hint into account.
/// It is given the object's index in an array (`None`: the document itself) and its line, for errors.
type Classifier<'a> =
    dyn Fn(&Object, Option<usize>, Option<usize>) -> Result<Option<DocumentKind>, InputError> + 'a;

/// The kind of a top-level array: the first recognised element decides; every other element must be
/// an object of the same kind (history entries may be sparse: any object is accepted).
fn array_kind(
    document: &str,
    items: &[Json],
    line: usize,
    classify_hinted: &Classifier,
) -> Result<DocumentKind, InputError> {
    if items.is_empty() {
        return Err(InputError::EmptyArray {
            document: document.to_string(),
            line,
        });
    }
    let mut first: Option<(usize, DocumentKind)> = None;
    for (i, item) in items.iter().enumerate() {
        if let Json::Object(obj) = item {
            if let Some(k) = classify_hinted(obj, Some(i), None)? {
                first = Some((i, k));
                break;
            }
        }
    }
    let Some((first_index, kind)) = first else {
        let found = match items.first() {
            Some(v @ Json::Object(_)) => {
                format!("an array whose first element is {}", describe(v))
            }
            Some(v) => format!("an array of {}", plural(v)),
            None => "an empty array".to_string(),
        };
        return Err(InputError::Unrecognised {
            document: document.to_string(),
            pointer: String::new(),
            line: Some(line),
            found,
        });
    };
    if kind == DocumentKind::OciImageConfig {
        return Err(InputError::Unrecognised {
            document: document.to_string(),
            pointer: String::new(),
            line: Some(line),
            found: "an array of OCI image configs (an image config is one object)".to_string(),
        });
    }
    for (i, item) in items.iter().enumerate() {
        let Json::Object(obj) = item else {
            return Err(InputError::BrokenMember {
                document: document.to_string(),
                index: i,
                kind: kind.label(),
                found: json_type(item).to_string(),
            });
        };
        match classify_hinted(obj, Some(i), None)? {
            Some(k) if family(k) == family(kind) => {}
            Some(k) => {
                return Err(InputError::MixedKinds {
                    document: document.to_string(),
                    index: i,
                    other: k.label(),
                    first_index,
                    first: kind.label(),
                })
            }
            None if is_history(kind) && has_history_field(obj) => {}
            None => {
                return Err(InputError::BrokenMember {
                    document: document.to_string(),
                    index: i,
                    kind: kind.label(),
                    found: describe(item),
                })
            }
        }
    }
    Ok(kind)
}

fn plural(v: &Json) -> &'static str {
    match v {
        Json::Null => "nulls",
        Json::Bool(_) => "booleans",
        Json::Number(_) => "numbers",
        Json::String(_) => "strings",
        Json::Array(_) => "arrays",
        Json::Object(_) => "objects",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tree::json;

    fn kind(v: Json) -> Option<DocumentKind> {
        classify(v.as_object().unwrap())
    }

    #[test]
    fn shapes() {
        use DocumentKind::*;
        assert_eq!(
            kind(json!({"Id": "sha256:1", "RepoTags": [], "Config": {}})),
            Some(DockerImageInspect)
        );
        assert_eq!(
            kind(json!({"Id": "", "RepoTags": null, "Config": null, "RootFS": {}})),
            Some(DockerImageInspect)
        );
        assert_eq!(
            kind(json!({"Id": "1", "Digest": "sha256:1", "RepoTags": [], "NamesHistory": []})),
            Some(PodmanImageInspect)
        );
        assert_eq!(
            kind(json!({"Id": "1", "State": {}, "HostConfig": {}, "Config": {}})),
            Some(DockerContainerInspect)
        );
        assert_eq!(
            kind(json!({"Id": "1", "State": {}, "ImageName": "x", "OCIRuntime": "crun"})),
            Some(PodmanContainerInspect)
        );
        assert_eq!(
            kind(
                json!({"ID": "<missing>", "CreatedBy": "x", "CreatedSince": "2 days ago", "Size": "0B"})
            ),
            Some(DockerHistory)
        );
        assert_eq!(
            kind(
                json!({"Id": "sha256:1", "Created": 1, "CreatedBy": "x", "Size": 0, "Tags": null})
            ),
            Some(EngineApiHistory)
        );
        assert_eq!(
            kind(json!({"id": "1", "created": "x", "createdBy": "y", "size": 0, "comment": ""})),
            Some(PodmanHistory)
        );
        assert_eq!(
            kind(json!({"architecture": "amd64", "os": "linux", "rootfs": {}, "config": {}})),
            Some(OciImageConfig)
        );
        assert_eq!(kind(json!({"foo": 1})), None);
        assert_eq!(
            kind(json!({"Name": "x", "Digest": "d", "Layers": [], "Env": []})),
            None
        );
        assert_eq!(kind(json!({"schemaVersion": 2, "layers": []})), None);
    }

    #[test]
    fn arrays() {
        let items = vec![json!({"Id": "1", "RepoTags": []}), json!(42)];
        let err = recognise("d", vec![Json::Array(items)], vec![1], None)
            .err()
            .unwrap();
        assert!(
            matches!(err, InputError::BrokenMember { index: 1, .. }),
            "{err:?}"
        );
        let items = vec![
            json!({"Id": "1", "RepoTags": []}),
            json!({"Id": "2", "State": {}}),
        ];
        let err = recognise("d", vec![Json::Array(items)], vec![1], None)
            .err()
            .unwrap();
        assert!(
            matches!(err, InputError::MixedKinds { index: 1, .. }),
            "{err:?}"
        );
        let err = recognise("d", vec![json!([])], vec![1], None)
            .err()
            .unwrap();
        assert!(matches!(err, InputError::EmptyArray { .. }));
    }

    #[test]
    fn hints() {
        let r = recognise(
            "d",
            vec![json!({"config": {}})],
            vec![1],
            Some(DocumentKind::OciImageConfig),
        )
        .ok()
        .unwrap();
        assert_eq!(r.kind, DocumentKind::OciImageConfig);
        let err = recognise(
            "d",
            vec![json!({"Id": "1", "RepoTags": []})],
            vec![1],
            Some(DocumentKind::DockerHistory),
        )
        .err()
        .unwrap();
        assert!(matches!(err, InputError::HintMismatch { .. }));
        let r = recognise(
            "d",
            vec![json!({"Id": "1", "RepoTags": []})],
            vec![1],
            Some(DocumentKind::PodmanImageInspect),
        )
        .ok()
        .unwrap();
        assert_eq!(r.kind, DocumentKind::PodmanImageInspect);
    }
}
