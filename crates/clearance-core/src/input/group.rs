//! Grouping documents into subjects: one subject per image; a container joins the image it was created
//! from, a history the image whose id its newest entry carries; with exactly one image everything joins it.

use super::docker_container::{self, Container};
use super::docker_image::{self, Image};
use super::error::InputError;
use super::history::{self, History, Layout};
use super::json::{Node, Src};
use super::lines::Lines;
use super::oci_config;
use super::tree::Json;
use super::{Document, DocumentKind};
use crate::facts::{Fact, RawEntry, Root, Subject};

#[derive(Clone)]
struct ImageUnit {
    doc: usize,
    image: Image,
    raw: RawEntry,
    /// Only the identity was read (`docker_image::identity`): the facts are built from `raw` when the
    /// subject is evaluated ([`hydrate`]).
    pending: bool,
}

/// A `docker image inspect` document with more images than this is read lazily by
/// [`subjects_lazy`]: each image's facts are built just before it is evaluated, and freed after, so a
/// large array is never held as facts all at once.
pub(crate) const LAZY_IMAGES: usize = 16;

#[derive(Clone)]
struct ContainerUnit {
    doc: usize,
    container: Container,
    raw: RawEntry,
}

#[derive(Clone)]
struct HistoryUnit {
    doc: usize,
    history: History,
}

/// The entries of a document with their pointers (`/0`, `/1`, … for arrays; `` for a bare object) and
/// lines (for streams of objects).
fn entries<'d>(doc: &'d Document) -> Vec<(Node<'d, 'd>, &'d Json)> {
    match &doc.value {
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let src = Src {
                    document: &doc.name,
                    line: doc.lines.get(i).copied(),
                    layer: None,
                };
                (Node::new(src, format!("/{i}"), Some(v)), v)
            })
            .collect(),
        v => vec![(Node::new(Src::new(&doc.name), String::new(), Some(v)), v)],
    }
}

/// Compares image ids, with or without `sha256:`, full or short (12+ hex digits).
pub(crate) fn same_id(a: &str, b: &str) -> bool {
    let a = a.strip_prefix("sha256:").unwrap_or(a);
    let b = b.strip_prefix("sha256:").unwrap_or(b);
    if a.len() < 12 || b.len() < 12 {
        return !a.is_empty() && a.eq_ignore_ascii_case(b);
    }
    let n = a.len().min(b.len());
    a.get(..n)
        .zip(b.get(..n))
        .is_some_and(|(x, y)| x.eq_ignore_ascii_case(y))
}

fn short_id(id: &str) -> String {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    hex.chars().take(12).collect()
}

fn image_name(unit: &ImageUnit) -> String {
    match (unit.image.tags.first(), &unit.image.id) {
        (Some(tag), _) => format!("`{tag}`"),
        (None, Some(id)) => format!("`{}`", short_id(id)),
        (None, None) => format!(
            "the image in `{}` at `{}`",
            unit.raw.evidence.document, unit.raw.evidence.pointer
        ),
    }
}

/// The images given, for messages (the first five).
fn image_list(images: &[ImageUnit]) -> String {
    let mut names: Vec<String> = images.iter().take(5).map(image_name).collect();
    if images.len() > 5 {
        names.push(format!("and {} more", images.len() - 5));
    }
    names.join(", ")
}

/// The units read from the documents, before grouping.
#[derive(Default)]
struct Units {
    images: Vec<ImageUnit>,
    containers: Vec<ContainerUnit>,
    histories: Vec<HistoryUnit>,
}

/// Builds the subjects of a set of documents.
pub(crate) fn subjects(docs: &[Document]) -> Result<Vec<Subject>, InputError> {
    let units = read_units(docs)?;
    Ok(group(docs, units)?.into_iter().map(|(s, _)| s).collect())
}

/// [`subjects`], taking the parsed JSON out of the documents as it is read (a document's `value` is
/// left `null`, or an array of `null`s): the raw image and container entries move into the subjects
/// instead of being copied, and each history entry is freed once its layer is built. Peak memory is
/// then about the facts, not the facts plus the parsed JSON. The images of large `docker image inspect`
/// arrays are read lazily (see [`LAZY_IMAGES`]): a subject paired with `true` still needs [`hydrate`].
/// `lines`: the lines of the `docker history` documents read without the tree, by document (`None`
/// for the others).
pub(crate) fn subjects_lazy(
    docs: &mut [Document],
    lines: &[Option<Lines>],
) -> Result<Vec<(Subject, bool)>, InputError> {
    let mut units = Units::default();
    for (d, doc) in docs.iter_mut().enumerate() {
        if let Some(Some(read)) = lines.get(d) {
            let node = Node::new(Src::new(&doc.name), String::new(), None);
            let history = history::read_lines(&node, read, &doc.lines)?;
            units.histories.push(HistoryUnit { doc: d, history });
            continue;
        }
        let layout = match doc.kind {
            DocumentKind::DockerHistory => Layout::DockerLines,
            DocumentKind::EngineApiHistory => Layout::EngineApi,
            DocumentKind::PodmanHistory => Layout::Podman,
            _ => {
                read_document(&mut units, d, doc, false)?;
                take_raw(&mut units, d, &mut doc.value);
                continue;
            }
        };
        let node = Node::new(Src::new(&doc.name), String::new(), None);
        let history = match &mut doc.value {
            Json::Array(entries) => history::read_taking(&node, entries, &doc.lines, layout)?,
            other => {
                let node = Node::new(Src::new(&doc.name), String::new(), Some(&*other));
                history::read(&node, &doc.lines, layout)?
            }
        };
        units.histories.push(HistoryUnit { doc: d, history });
    }
    group(docs, units)
}

/// Builds the image facts of a subject read lazily, from its raw image entry, then keeps only the raw
/// entries of the roots in `keep_raw` (the ones a policy's `pointer:` checks read).
pub(crate) fn hydrate(
    mut subject: Subject,
    pending: bool,
    keep_raw: &[Root],
) -> Result<Subject, InputError> {
    if pending {
        if let Some(raw) = subject.raw.iter().find(|e| e.root == Root::Image) {
            let src = Src {
                document: &raw.evidence.document,
                line: raw.evidence.line().map(|l| l as usize),
                layer: None,
            };
            let node = Node::new(src, raw.evidence.pointer.to_string(), Some(&raw.value));
            // the identity was read with the document (`docker_image::identity`)
            let (image, _) = docker_image::facts(&node, false)?;
            if let crate::facts::FactValue::Map(roots) = &mut subject.facts.value {
                if let Some((_, fact)) = roots.iter_mut().find(|(k, _)| k == "image") {
                    *fact = image;
                }
            }
        }
    }
    subject.raw.retain(|e| keep_raw.contains(&e.root));
    Ok(subject)
}

/// Moves the raw entries of document `d` (read last by [`read_document`]) out of its value.
fn take_raw(units: &mut Units, d: usize, value: &mut Json) {
    let raws = units
        .images
        .iter_mut()
        .filter(|u| u.doc == d)
        .map(|u| &mut u.raw)
        .chain(
            units
                .containers
                .iter_mut()
                .filter(|u| u.doc == d)
                .map(|u| &mut u.raw),
        );
    for raw in raws {
        // `/3` in an array, `` for a bare object
        let taken = match raw.evidence.pointer.strip_prefix('/') {
            Some(index) => index
                .parse::<usize>()
                .ok()
                .and_then(|i| value.as_array_mut()?.get_mut(i))
                .map(std::mem::take),
            None => Some(std::mem::take(value)),
        };
        if let Some(v) = taken {
            raw.value = v;
        }
    }
}

fn read_units(docs: &[Document]) -> Result<Units, InputError> {
    let mut units = Units::default();
    for (d, doc) in docs.iter().enumerate() {
        read_document(&mut units, d, doc, true)?;
    }
    Ok(units)
}

/// Reads one document into units. Raw entries are copied when `copy_raw`; else they are left `null`
/// for [`take_raw`] to move in, and the images of a large image array are read lazily (identity only).
fn read_document(
    units: &mut Units,
    d: usize,
    doc: &Document,
    copy_raw: bool,
) -> Result<(), InputError> {
    let raw = |root: Root, node: &Node, value: &Json| RawEntry {
        root,
        evidence: node.evidence(),
        value: if copy_raw { value.clone() } else { Json::Null },
    };
    let Units {
        images,
        containers,
        histories,
    } = units;
    {
        match doc.kind {
            DocumentKind::DockerImageInspect | DocumentKind::PodmanImageInspect => {
                let podman = doc.kind == DocumentKind::PodmanImageInspect;
                let entries = entries(doc);
                // Taking the raw entries (not copying them) is the lazy path: the facts can be built
                // from them later. Podman images carry their history: always read whole.
                let pending = !copy_raw && !podman && entries.len() > LAZY_IMAGES;
                for (node, value) in entries {
                    images.push(ImageUnit {
                        doc: d,
                        image: if pending {
                            docker_image::identity(&node)?
                        } else {
                            docker_image::read(&node, podman)?
                        },
                        raw: raw(Root::Image, &node, value),
                        pending,
                    });
                }
            }
            DocumentKind::OciImageConfig => {
                let node = Node::new(Src::new(&doc.name), String::new(), Some(&doc.value));
                images.push(ImageUnit {
                    doc: d,
                    image: oci_config::read(&node)?,
                    raw: raw(Root::Image, &node, &doc.value),
                    pending: false,
                });
            }
            DocumentKind::DockerContainerInspect | DocumentKind::PodmanContainerInspect => {
                for (node, value) in entries(doc) {
                    containers.push(ContainerUnit {
                        doc: d,
                        container: docker_container::read(&node)?,
                        raw: raw(Root::Container, &node, value),
                    });
                }
            }
            DocumentKind::DockerHistory
            | DocumentKind::EngineApiHistory
            | DocumentKind::PodmanHistory => {
                let layout = match doc.kind {
                    DocumentKind::DockerHistory => Layout::DockerLines,
                    DocumentKind::EngineApiHistory => Layout::EngineApi,
                    _ => Layout::Podman,
                };
                let node = Node::new(Src::new(&doc.name), String::new(), Some(&doc.value));
                histories.push(HistoryUnit {
                    doc: d,
                    history: history::read(&node, &doc.lines, layout)?,
                });
            }
        }
    }
    Ok(())
}

/// Groups the units into subjects.
fn group(docs: &[Document], units: Units) -> Result<Vec<(Subject, bool)>, InputError> {
    let Units {
        images,
        containers,
        histories,
    } = units;
    if images.is_empty() {
        return Ok(without_image(docs, containers, histories)?
            .into_iter()
            .map(|s| (s, false))
            .collect());
    }

    // which image each container and each history belongs to
    let mut container_of: Vec<Vec<usize>> = vec![Vec::new(); images.len()];
    let mut notes_of: Vec<Vec<String>> = vec![Vec::new(); images.len()];
    // only one image can be given with a mismatched document: it is the first
    let mut mismatched = false;
    for (c, unit) in containers.iter().enumerate() {
        let target = if images.len() == 1 {
            if let (Some(want), Some(have)) = (
                &unit.container.image_id,
                &images.first().and_then(|i| i.image.id.clone()),
            ) {
                if !same_id(want, have) {
                    mismatched = true;
                    if let Some(n) = notes_of.first_mut() {
                        n.push(format!(
                            "container {} was created from image `{}`, not from {} (`{}`); it is checked with this image anyway, so the verdict can be `fail` or `incomplete` but not `pass`",
                            container_name(unit),
                            short_id(want),
                            images.first().map(image_name).unwrap_or_default(),
                            short_id(have)
                        ));
                    }
                }
            }
            0
        } else {
            let Some(want) = &unit.container.image_id else {
                return Err(ambiguous_container(
                    docs,
                    unit,
                    "it does not say which image it was created from (no `Image`)".to_string(),
                ));
            };
            let matches: Vec<usize> = images
                .iter()
                .enumerate()
                .filter(|(_, i)| i.image.id.as_deref().is_some_and(|id| same_id(id, want)))
                .map(|(i, _)| i)
                .collect();
            match matches.as_slice() {
                [one] => *one,
                [] => {
                    return Err(ambiguous_container(
                        docs,
                        unit,
                        format!(
                            "its image `{}` is none of the {} images given ({})",
                            short_id(want),
                            images.len(),
                            image_list(&images)
                        ),
                    ))
                }
                _ => {
                    return Err(ambiguous_container(
                        docs,
                        unit,
                        format!(
                            "several of the images given have its image id `{}`",
                            short_id(want)
                        ),
                    ))
                }
            }
        };
        if let Some(list) = container_of.get_mut(target) {
            list.push(c);
        }
    }
    let mut history_of: Vec<Option<usize>> = vec![None; images.len()];
    for (h, unit) in histories.iter().enumerate() {
        let doc_name = docs.get(unit.doc).map(|d| &*d.name).unwrap_or_default();
        let target = if images.len() == 1 {
            if let (Some(newest), Some(have)) = (
                &unit.history.newest_id,
                images.first().and_then(|i| i.image.id.as_deref()),
            ) {
                if !same_id(newest, have) {
                    mismatched = true;
                    if let Some(n) = notes_of.first_mut() {
                        n.push(format!(
                            "the history `{doc_name}` is of image `{}`, not of {} (`{}`); it is checked with this image anyway, so the verdict can be `fail` or `incomplete` but not `pass`",
                            short_id(newest),
                            images.first().map(image_name).unwrap_or_default(),
                            short_id(have)
                        ));
                    }
                }
            }
            0
        } else {
            let ambiguous = |why: String| InputError::Ambiguous {
                document: doc_name.to_string(),
                pointer: String::new(),
                what: format!("the history `{doc_name}`"),
                why,
            };
            let Some(newest) = &unit.history.newest_id else {
                return Err(ambiguous(format!(
                    "its newest entry has no image id (`<missing>` or none) and {} images were given ({})",
                    images.len(),
                    image_list(&images)
                )));
            };
            let matches: Vec<usize> = images
                .iter()
                .enumerate()
                .filter(|(_, i)| i.image.id.as_deref().is_some_and(|id| same_id(id, newest)))
                .map(|(i, _)| i)
                .collect();
            match matches.as_slice() {
                [one] => *one,
                [] => {
                    return Err(ambiguous(format!(
                        "its newest entry `{}` is none of the {} images given ({})",
                        short_id(newest),
                        images.len(),
                        image_list(&images)
                    )))
                }
                _ => {
                    return Err(ambiguous(format!(
                        "several of the images given have the id `{}`",
                        short_id(newest)
                    )))
                }
            }
        };
        if let Some(slot) = history_of.get_mut(target) {
            if let Some(prev) = slot.replace(h) {
                let prev_name = histories
                    .get(prev)
                    .and_then(|p| docs.get(p.doc))
                    .map(|d| &*d.name)
                    .unwrap_or_default();
                return Err(InputError::Ambiguous {
                    document: doc_name.to_string(),
                    pointer: String::new(),
                    what: format!("the history `{doc_name}`"),
                    why: format!(
                        "the history `{prev_name}` was given for the same image {}",
                        images.get(target).map(image_name).unwrap_or_default()
                    ),
                });
            }
        }
    }

    // build, moving the facts (cloning only for an image shared by several containers)
    let mut histories: Vec<Option<HistoryUnit>> = histories.into_iter().map(Some).collect();
    let mut containers: Vec<Option<ContainerUnit>> = containers.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for (i, unit) in images.into_iter().enumerate() {
        let history = history_of
            .get(i)
            .copied()
            .flatten()
            .and_then(|h| histories.get_mut(h).and_then(Option::take));
        let attached = container_of.get(i).cloned().unwrap_or_default();
        let notes = notes_of.get(i).cloned().unwrap_or_default();
        if attached.is_empty() {
            let pending = unit.pending;
            let mut subject = build(docs, Some(unit), history, None, notes, false);
            subject.mismatched = mismatched;
            out.push((subject, pending));
            continue;
        }
        let several = attached.len() > 1;
        let mut unit = Some(unit);
        let mut history = history;
        for (k, c) in attached.iter().enumerate() {
            let container = containers.get_mut(*c).and_then(Option::take);
            let last = k + 1 == attached.len();
            let (image, hist) = if last {
                (unit.take(), history.take())
            } else {
                (unit.clone(), history.clone())
            };
            let pending = image.as_ref().is_some_and(|i| i.pending);
            let mut subject = build(docs, image, hist, container, notes.clone(), several);
            subject.mismatched = mismatched;
            out.push((subject, pending));
        }
    }
    Ok(out)
}

fn container_name(unit: &ContainerUnit) -> String {
    match (&unit.container.name, &unit.container.id) {
        (Some(n), _) => format!("`{n}`"),
        (None, Some(id)) => format!("`{}`", short_id(id)),
        (None, None) => format!("at `{}`", unit.raw.evidence.pointer),
    }
}

fn ambiguous_container(docs: &[Document], unit: &ContainerUnit, why: String) -> InputError {
    InputError::Ambiguous {
        document: docs
            .get(unit.doc)
            .map(|d| d.name.to_string())
            .unwrap_or_default(),
        pointer: unit.raw.evidence.pointer.to_string(),
        what: format!("container {}", container_name(unit)),
        why,
    }
}

/// No image document: one subject from the history and/or each container.
fn without_image(
    docs: &[Document],
    containers: Vec<ContainerUnit>,
    histories: Vec<HistoryUnit>,
) -> Result<Vec<Subject>, InputError> {
    if histories.len() > 1 {
        let second = histories
            .get(1)
            .and_then(|h| docs.get(h.doc))
            .map(|d| d.name.clone())
            .unwrap_or_default();
        return Err(InputError::Ambiguous {
            document: second.to_string(),
            pointer: String::new(),
            what: format!("the history `{second}`"),
            why: "several histories were given but no image inspect to tell them apart".to_string(),
        });
    }
    let mut history = histories.into_iter().next();
    if containers.is_empty() {
        return Ok(history
            .map(|h| build(docs, None, Some(h), None, Vec::new(), false))
            .into_iter()
            .collect());
    }
    let mut image_ids: Vec<&str> = containers
        .iter()
        .filter_map(|c| c.container.image_id.as_deref())
        .collect();
    image_ids.sort_unstable();
    image_ids.dedup();
    let joins =
        |h: &HistoryUnit, c: &ContainerUnit| match (&h.history.newest_id, &c.container.image_id) {
            (Some(newest), Some(img)) => same_id(newest, img),
            _ => image_ids.len() <= 1,
        };
    if let Some(h) = &history {
        if image_ids.len() > 1 && h.history.newest_id.is_none() {
            return Err(history_error(
                docs,
                h,
                format!(
                    "the containers given were created from {} different images and its newest entry has no image id",
                    image_ids.len()
                ),
            ));
        }
        if !containers.iter().any(|c| joins(h, c)) {
            return Err(history_error(
                docs,
                h,
                "its newest entry is the image of none of the containers given".to_string(),
            ));
        }
    }
    // the history is moved into the last container that takes it, cloned for the others
    let last_taker = history
        .as_ref()
        .and_then(|h| containers.iter().rposition(|c| joins(h, c)));
    let takes: Vec<bool> = containers
        .iter()
        .map(|c| history.as_ref().is_some_and(|h| joins(h, c)))
        .collect();
    let several = containers.len() > 1;
    let mut out = Vec::with_capacity(containers.len());
    for (i, unit) in containers.into_iter().enumerate() {
        let h = if Some(i) == last_taker {
            history.take()
        } else if takes.get(i).copied().unwrap_or(false) {
            history.clone()
        } else {
            None
        };
        out.push(build(docs, None, h, Some(unit), Vec::new(), several));
    }
    Ok(out)
}

fn history_error(docs: &[Document], h: &HistoryUnit, why: String) -> InputError {
    let doc_name = docs.get(h.doc).map(|d| d.name.clone()).unwrap_or_default();
    InputError::Ambiguous {
        document: doc_name.to_string(),
        pointer: String::new(),
        what: format!("the history `{doc_name}`"),
        why,
    }
}

fn build(
    docs: &[Document],
    image: Option<ImageUnit>,
    history: Option<HistoryUnit>,
    container: Option<ContainerUnit>,
    mut notes: Vec<String>,
    several_containers: bool,
) -> Subject {
    let mut doc_indexes: Vec<usize> = image
        .as_ref()
        .map(|i| i.doc)
        .into_iter()
        .chain(history.as_ref().map(|h| h.doc))
        .chain(container.as_ref().map(|c| c.doc))
        .collect();
    doc_indexes.sort_unstable();
    doc_indexes.dedup();
    let documents: Vec<String> = doc_indexes
        .iter()
        .filter_map(|d| docs.get(*d).map(|doc| doc.name.to_string()))
        .collect();

    let (image_fact, embedded, tags, digests, own_id, image_raw, image_doc) = match image {
        Some(i) => {
            notes.extend(i.image.notes);
            let doc = i.raw.evidence.document.clone();
            (
                Some(i.image.fact),
                i.image.history,
                i.image.tags,
                i.image.digests,
                i.image.id,
                Some(i.raw),
                doc,
            )
        }
        None => (
            None,
            None,
            Vec::new(),
            Vec::new(),
            None,
            None,
            std::sync::Arc::from(""),
        ),
    };
    let history_source: Option<(History, std::sync::Arc<str>)> = match (history, embedded) {
        (Some(h), embedded) => {
            let name = docs
                .get(h.doc)
                .map_or_else(|| std::sync::Arc::from(""), |d| d.name.clone());
            if embedded.is_some() {
                notes.push(format!(
                    "the history is read from `{name}`; the image document's own history is not used"
                ));
            }
            Some((h.history, name))
        }
        (None, Some(embedded)) => Some((embedded, image_doc)),
        (None, None) => None,
    };
    if let Some((h, name)) = &history_source {
        if h.truncated > 0 {
            notes.push(format!(
                "`{name}`: {} of {} history lines were printed truncated (without `--no-trunc`, they end in `…`); checks that need the hidden text are unknown",
                h.truncated, h.layers
            ));
        }
    }
    let tags = if tags.is_empty() {
        history_source
            .as_ref()
            .map(|(h, _)| h.newest_tags.clone())
            .unwrap_or_default()
    } else {
        tags
    };
    let image_id = own_id
        .or_else(|| {
            container
                .as_ref()
                .and_then(|c| c.container.image_id.clone())
        })
        .or_else(|| {
            history_source
                .as_ref()
                .and_then(|(h, _)| h.newest_id.clone())
        });
    let container_label = container.as_ref().and_then(|c| {
        c.container
            .name
            .clone()
            .or_else(|| c.container.id.as_deref().map(short_id))
    });
    let mut label = tags
        .first()
        .cloned()
        .or_else(|| container_label.clone())
        .or_else(|| image_id.as_deref().map(short_id))
        .or_else(|| documents.first().cloned())
        .unwrap_or_else(|| "subject".to_string());
    if several_containers && !tags.is_empty() {
        if let Some(c) = &container_label {
            label = format!("{label} ({c})");
        }
    }
    let mut raw = Vec::new();
    raw.extend(image_raw);
    let container_fact = container.map(|c| {
        raw.push(c.raw);
        c.container.fact
    });
    let facts = Fact::map(
        vec![
            (
                "image".into(),
                image_fact.unwrap_or_else(|| Fact::missing(Root::Image)),
            ),
            (
                "history".into(),
                history_source.map_or_else(|| Fact::missing(Root::History), |(h, _)| h.fact),
            ),
            (
                "container".into(),
                container_fact.unwrap_or_else(|| Fact::missing(Root::Container)),
            ),
        ],
        None,
    );
    Subject {
        label,
        image_id,
        digests,
        tags,
        facts,
        documents,
        notes,
        raw,
        mismatched: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_short_and_long() {
        let long = "sha256:c22b543d33bfdcb9992cbef23961677133cdf09da71d782468ae2517138bad51";
        assert!(same_id(long, "c22b543d33bf"));
        assert!(same_id(
            long,
            "c22b543d33bfdcb9992cbef23961677133cdf09da71d782468ae2517138bad51"
        ));
        assert!(!same_id(long, "c22b543d33be"));
        assert!(!same_id(long, ""));
        assert!(!same_id("abc", "abcd"));
        assert_eq!(short_id(long), "c22b543d33bf");
    }
}
