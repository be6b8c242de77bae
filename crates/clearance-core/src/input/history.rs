//! History entries from every source, normalised to one list of layers, **oldest first** (index 0 is the
//! base image's first layer). Each fact keeps the pointer into the original document (and its line, for
//! JSON lines), so `/3/CreatedBy` of a newest-first `docker history` is the layer `n - 4`.

use super::error::InputError;
use super::instruction;
use super::json::{Node, Src};
use super::lines::{Field, Line, Lines};
use super::tree::{Json, Object};
use crate::facts::{mask, Evidence, Fact, FactValue, Masking, NotRecorded, Str, Text, Unknown};
use std::borrow::Cow;
use std::sync::Arc;

/// Where each field of a history entry is, by source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `docker history --format '{{json .}}'`: string fields, `Size` as `12.3MB`, newest first.
    DockerLines,
    /// Engine API `GET /images/{id}/history`: `Created` and `Size` are numbers, newest first.
    EngineApi,
    /// `podman history --format json`: lower-case keys, newest first.
    Podman,
    /// An image config's `history` (OCI, docker save, podman image inspect `History`): oldest first.
    Config,
}

struct Keys {
    id: Option<&'static str>,
    created: &'static str,
    created_by: &'static str,
    size: Option<&'static str>,
    comment: &'static str,
    tags: Option<&'static str>,
    empty_layer: Option<&'static str>,
}

impl Layout {
    fn keys(self) -> Keys {
        match self {
            Layout::DockerLines => Keys {
                id: Some("ID"),
                created: "CreatedAt",
                created_by: "CreatedBy",
                size: Some("Size"),
                comment: "Comment",
                tags: None,
                empty_layer: None,
            },
            Layout::EngineApi => Keys {
                id: Some("Id"),
                created: "Created",
                created_by: "CreatedBy",
                size: Some("Size"),
                comment: "Comment",
                tags: Some("Tags"),
                empty_layer: None,
            },
            Layout::Podman => Keys {
                id: Some("id"),
                created: "created",
                created_by: "createdBy",
                size: Some("size"),
                comment: "comment",
                tags: Some("tags"),
                empty_layer: None,
            },
            Layout::Config => Keys {
                id: None,
                created: "created",
                created_by: "created_by",
                size: None,
                comment: "comment",
                tags: None,
                empty_layer: Some("empty_layer"),
            },
        }
    }

    fn newest_first(self) -> bool {
        self != Layout::Config
    }

    /// A field this source never prints (an image config's history has no layer id or size; `docker
    /// history` prints no tags): unknown, not absent, so that `none`, `count` and `excludes` over it
    /// cannot pass on evidence that does not exist.
    fn not_recorded(self, field: &str) -> FactValue {
        const CONFIG: &str = "an image config's `history`";
        const LINES: &str = "`docker history` JSON lines";
        const OTHER: &str = "this history";
        const TAGS: &str = "the Engine API history and `podman history --format json` record it";
        const TRUNCATED: &str = "`docker history --no-trunc --format '{{json .}}'` records it";
        let what: &'static NotRecorded = match (self, field == "tags") {
            (Layout::Config, true) => &NotRecorded {
                document: CONFIG,
                instead: TAGS,
            },
            (Layout::Config, false) => &NotRecorded {
                document: CONFIG,
                instead: TRUNCATED,
            },
            (Layout::DockerLines, true) => &NotRecorded {
                document: LINES,
                instead: TAGS,
            },
            (Layout::DockerLines, false) => &NotRecorded {
                document: LINES,
                instead: TRUNCATED,
            },
            (Layout::EngineApi | Layout::Podman, true) => &NotRecorded {
                document: OTHER,
                instead: TAGS,
            },
            (Layout::EngineApi | Layout::Podman, false) => &NotRecorded {
                document: OTHER,
                instead: TRUNCATED,
            },
        };
        FactValue::Unknown(Unknown::NotRecorded(what))
    }
}

/// A normalised history.
#[derive(Debug, Clone)]
pub(crate) struct History {
    /// The `history` root: a list of layer records, oldest first.
    pub fact: Fact,
    /// How many `created_by` lines were printed truncated.
    pub truncated: usize,
    /// The id of the newest entry (the image's id in `docker history`), when printed.
    pub newest_id: Option<String>,
    /// The tags of the newest entry (Engine API and podman history print them).
    pub newest_tags: Vec<String>,
    pub layers: usize,
}

/// Reads the entries of `list` (an array node: the whole JSON-lines document, or an image config's
/// `history`). `lines` holds the 1-based line of each entry for JSON lines.
pub(crate) fn read(list: &Node, lines: &[usize], layout: Layout) -> Result<History, InputError> {
    let entries: &[Json] = match list.array("a list of history entries")? {
        Some(a) => a,
        None => &[],
    };
    let (newest_id, newest_tags) = newest(entries, layout);
    let mut history = read_entries(list, entries.len(), lines, layout, |at, pos| {
        tree_layer(at, entries.get(pos).map(Cow::Borrowed), layout)
    })?;
    history.newest_id = newest_id;
    history.newest_tags = newest_tags;
    Ok(history)
}

/// [`read`] of a JSON-lines document (`list` is its root node, of no value: the entries are given),
/// taking each entry out of `entries` once read, so its memory is freed while the facts are built: the
/// parsed JSON of a large history and its facts are not held at once.
pub(crate) fn read_taking(
    list: &Node,
    entries: &mut [Json],
    lines: &[usize],
    layout: Layout,
) -> Result<History, InputError> {
    let (newest_id, newest_tags) = newest(entries, layout);
    let mut history = read_entries(list, entries.len(), lines, layout, |at, pos| {
        let entry = entries.get_mut(pos).map(|v| Cow::Owned(std::mem::take(v)));
        tree_layer(at, entry, layout)
    })?;
    history.newest_id = newest_id;
    history.newest_tags = newest_tags;
    Ok(history)
}

/// [`read`] of `docker history` lines read without the tree (`list` is the document's root node, of
/// no value). The facts are those [`read_taking`] builds from the tree of the same text; their
/// strings are parts of the text.
pub(crate) fn read_lines(
    list: &Node,
    read: &Lines,
    lines: &[usize],
) -> Result<History, InputError> {
    let layout = Layout::DockerLines;
    let text = &read.text;
    let mut history = read_entries(list, read.entries.len(), lines, layout, |at, pos| {
        Ok(read.entries.get(pos).map(|line| line_layer(at, line, text)))
    })?;
    history.newest_id = (read.entries.first())
        .and_then(|line| line.id.get(text))
        .filter(|id| !id.is_empty() && *id != "<missing>")
        .map(super::json::image_id);
    Ok(history)
}

/// The id and tags of the newest entry, when the layout prints newest first.
fn newest(entries: &[Json], layout: Layout) -> (Option<String>, Vec<String>) {
    let keys = layout.keys();
    let newest = if layout.newest_first() {
        entries.first()
    } else {
        None
    };
    let newest_tags = newest
        .and_then(|e| e.get(keys.tags?))
        .and_then(Json::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let newest_id = newest
        .and_then(|e| e.get(keys.id?))
        .and_then(Json::as_str)
        .filter(|id| !id.is_empty() && *id != "<missing>")
        .map(super::json::image_id);
    (newest_id, newest_tags)
}

/// Builds the layers with `layer(at, pos)` for the positions `0..n` of the entries (`None`: no entry
/// there), oldest layer first (the newest entry's id and tags are left for the caller).
fn read_entries(
    list: &Node,
    n: usize,
    lines: &[usize],
    layout: Layout,
    mut layer: impl FnMut(&At, usize) -> Result<Option<(Fact, bool)>, InputError>,
) -> Result<History, InputError> {
    let keys = layout.keys();
    let mut layers = Vec::with_capacity(n);
    let mut truncated = 0;
    let pos_of = |index: usize| {
        if layout.newest_first() {
            n - 1 - index
        } else {
            index
        }
    };
    let names = Pointers::names(&keys);
    // the pointers of every entry, in the order they are read, in one string that all their facts
    // share (one allocation, not one an entry)
    let pointers: Arc<str> = {
        let mut text = String::with_capacity(Pointers::size(&list.pointer, n, &names));
        let mut base = String::new();
        for index in 0..n {
            Pointers::write(&mut text, &mut base, &list.pointer, pos_of(index), &names);
        }
        Arc::from(text)
    };
    let mut cursor = 0;
    for index in 0..n {
        let pos = pos_of(index);
        let at = At {
            document: list.src.document,
            line: lines.get(pos).copied(),
            layer: index,
            pointers: Pointers::at(&pointers, &mut cursor, &list.pointer, pos, &names),
        };
        let Some((layer, was_truncated)) = layer(&at, pos)? else {
            continue;
        };
        truncated += usize::from(was_truncated);
        layers.push(layer);
    }
    Ok(History {
        fact: list.fact_ref(FactValue::List(layers)),
        truncated,
        newest_id: None,
        newest_tags: Vec::new(),
        layers: n,
    })
}

/// The layer of a tree entry (`None`: no entry).
fn tree_layer(
    at: &At,
    entry: Option<Cow<Json>>,
    layout: Layout,
) -> Result<Option<(Fact, bool)>, InputError> {
    let Some(mut value) = entry else {
        return Ok(None);
    };
    // An entry taken out of its document gives up its strings: the facts keep them as they are
    // (no copy, and no new allocation of their size while the parsed JSON is freed), except
    // `created_by`, copied once into the `Arc<str>` its facts share.
    let taken = match &mut value {
        Cow::Owned(Json::Object(obj)) => Taken::from(obj, &layout.keys()),
        _ => Taken::default(),
    };
    let value = value.as_ref();
    let Json::Object(obj) = value else {
        return Err(match (layout, at.line) {
            (Layout::DockerLines, Some(line)) => InputError::HistoryLine {
                document: at.document.to_string(),
                line,
                found: super::json::describe(value),
            },
            _ => at.wrong(None, value, "a history entry (an object)"),
        });
    };
    layer(at, obj, taken, at.layer, layout).map(Some)
}

/// Appends `n` in decimal (what `write!(s, "{n}")` writes, without the formatting machinery: this runs
/// once per history entry).
fn push_decimal(s: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            // `n % 10` is below 10
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    for &d in digits.get(at..).unwrap_or_default() {
        s.push(char::from(d));
    }
}

/// How many digits [`push_decimal`] writes for `n`.
fn decimal_len(n: usize) -> usize {
    let mut len = 1;
    let mut n = n / 10;
    while n > 0 {
        len += 1;
        n /= 10;
    }
    len
}

/// Where the fields of one history entry are. Facts are built here directly (one allocation for each
/// string a fact holds, no temporaries): a history can have thousands of entries.
struct At<'a> {
    document: &'a std::sync::Arc<str>,
    line: Option<usize>,
    layer: usize,
    /// The pointers of the entry and of its fields of [`Keys`], one after another in one string that
    /// the evidence of the entry's facts shares (a dozen facts an entry, thousands of entries).
    pointers: Pointers,
}

/// The pointer of an entry (`/3`) and of each field of its layout (`/3/CreatedBy`): a block of the
/// string of every entry's pointers.
struct Pointers {
    text: Arc<str>,
    /// (field, end of its pointer in `text`)
    fields: [(&'static str, usize); 7],
    /// The entry's own pointer is `text[start..start + base]`.
    start: usize,
    base: usize,
}

impl Pointers {
    /// The fields of a layout that have a pointer, in the order their pointers are written.
    fn names(keys: &Keys) -> [Option<&'static str>; 7] {
        [
            keys.id,
            Some(keys.created),
            Some(keys.created_by),
            keys.size,
            Some(keys.comment),
            keys.tags,
            keys.empty_layer,
        ]
    }

    /// Appends the block of the entry at `pos` of the list at `list` to `text`: its pointer (`/3`,
    /// `/history/3`), then each field's (`/3/CreatedBy`). `base`: a buffer reused from entry to entry.
    fn write(
        text: &mut String,
        base: &mut String,
        list: &str,
        pos: usize,
        names: &[Option<&'static str>; 7],
    ) {
        base.clear();
        base.push_str(list);
        base.push('/');
        push_decimal(base, pos);
        text.push_str(base);
        for name in names.iter().flatten() {
            text.push_str(base);
            text.push('/');
            text.push_str(name);
        }
    }

    /// The length of the blocks [`Pointers::write`] writes for the entries at `0..n` (in any order).
    fn size(list: &str, n: usize, names: &[Option<&'static str>; 7]) -> usize {
        let (fields, named): (usize, usize) = names
            .iter()
            .flatten()
            .fold((0, 0), |(k, len), name| (k + 1, len + 1 + name.len()));
        (0..n)
            .map(|pos| {
                let base = list.len() + 1 + decimal_len(pos);
                base * (1 + fields) + named
            })
            .sum()
    }

    /// The block [`Pointers::write`] wrote for the entry at `pos`, starting at `cursor` (moved past it).
    fn at(
        text: &Arc<str>,
        cursor: &mut usize,
        list: &str,
        pos: usize,
        names: &[Option<&'static str>; 7],
    ) -> Self {
        let start = *cursor;
        let base = list.len() + 1 + decimal_len(pos);
        let mut end = start + base;
        let mut fields = [("", 0); 7];
        for (slot, name) in fields.iter_mut().zip(names) {
            if let Some(name) = name {
                end += base + 1 + name.len();
                *slot = (name, end);
            }
        }
        *cursor = end;
        Self {
            text: text.clone(),
            fields,
            start,
            base,
        }
    }

    /// The pointer of `field` (`None`: the entry), shared when it is one of the layout's fields.
    fn get(&self, field: Option<&str>) -> Str {
        let entry_end = self.start + self.base;
        let Some(field) = field else {
            return Str::part(&self.text, self.start..entry_end);
        };
        let entry = self.text.get(self.start..entry_end).unwrap_or_default();
        // the callers pass the layout's own `&'static str`s: the same address is the same name
        let found = self
            .fields
            .iter()
            .find(|(name, _)| std::ptr::eq(*name, field))
            .or_else(|| {
                self.fields
                    .iter()
                    .find(|(name, _)| !name.is_empty() && *name == field)
            });
        match found {
            Some((name, end)) => Str::part(
                &self.text,
                end.saturating_sub(name.len() + 1 + self.base)..*end,
            ),
            None => Str::from(format!("{entry}/{field}")),
        }
    }
}

/// The string fields of an entry the reader owns, moved out of it (each left an empty string).
#[derive(Default)]
struct Taken {
    id: Option<Str>,
    created: Option<Str>,
    created_by: Option<Str>,
    comment: Option<Str>,
}

impl Taken {
    /// One pass over the entry's fields: no key is looked up more than once.
    fn from(obj: &mut Object, keys: &Keys) -> Self {
        let mut taken = Self::default();
        for (key, value) in obj.iter_mut() {
            let Json::String(s) = value else {
                continue;
            };
            let key: &str = key;
            let slot = if key == keys.created_by {
                &mut taken.created_by
            } else if keys.id == Some(key) {
                &mut taken.id
            } else if key == keys.created {
                &mut taken.created
            } else if key == keys.comment {
                &mut taken.comment
            } else {
                continue;
            };
            *slot = Some(std::mem::take(s));
        }
        taken
    }
}

impl At<'_> {
    /// Evidence for a field of the entry (`None`: the entry itself).
    fn evidence(&self, field: Option<&str>) -> Evidence {
        Evidence::at(
            self.document.clone(),
            self.pointers.get(field),
            self.line,
            Some(self.layer),
        )
    }

    fn fact(&self, field: Option<&str>, value: FactValue) -> Fact {
        Fact::new(value, self.evidence(field))
    }

    fn absent(&self, field: Option<&str>) -> Fact {
        self.fact(field, FactValue::Absent)
    }

    /// A wrong-type error at a field (cold path).
    fn wrong(&self, field: Option<&str>, value: &Json, expected: &str) -> InputError {
        let src = Src {
            document: self.document,
            line: self.line,
            layer: Some(self.layer),
        };
        Node::new(src, self.evidence(field).pointer, Some(value)).wrong(expected)
    }

    /// A string field as written, or `Absent`.
    /// [`At::text`], or the string `taken` out of that field.
    fn text_or(
        &self,
        taken: Option<Str>,
        obj: &Object,
        field: Option<&str>,
    ) -> Result<Fact, InputError> {
        match taken {
            Some(s) => Ok(self.fact(field, FactValue::Text(Text::plain(s)))),
            None => self.text(obj, field),
        }
    }

    fn text(&self, obj: &Object, field: Option<&str>) -> Result<Fact, InputError> {
        match field.and_then(|f| obj.get(f)) {
            Some(Json::String(s)) => Ok(self.fact(field, FactValue::Text(Text::plain(s.clone())))),
            None | Some(Json::Null) => Ok(self.absent(field.or(None))),
            Some(other) => Err(self.wrong(field, other, "a string")),
        }
    }
}

fn present<'v>(obj: &'v Object, field: Option<&str>) -> Option<&'v Json> {
    field.and_then(|f| obj.get(f)).filter(|v| !v.is_null())
}

/// One layer record, and whether its `created_by` was truncated.
///
/// The facts of one field share its evidence: it is built once per field and cloned (two reference
/// counts), not looked up and built again for each of the dozen facts.
fn layer(
    at: &At,
    obj: &Object,
    taken: Taken,
    index: usize,
    layout: Layout,
) -> Result<(Fact, bool), InputError> {
    let keys = &layout.keys();
    let by_key = Some(keys.created_by);
    let entry = at.evidence(None);
    let of = |evidence: &Evidence, value: FactValue| Fact::new(value, evidence.clone());
    let id = match keys.id {
        Some(_) => at.text_or(taken.id, obj, keys.id)?,
        None => of(&entry, layout.not_recorded("id")),
    };
    let created = match taken.created {
        Some(s) => at.fact(Some(keys.created), FactValue::Text(Text::plain(s))),
        None => created(at, obj, keys.created)?,
    };
    let by = at.evidence(by_key);
    let command = match present(obj, by_key) {
        None => Command::absent(&by),
        Some(Json::String(raw)) => {
            // held once: `arguments` is a part of it (and it, of the parsed text)
            let line = taken.created_by.unwrap_or_else(|| raw.clone());
            match line.shared_part() {
                Some((whole, range)) => Command::new(&by, whole, range),
                None => {
                    let whole: Arc<str> = Arc::from(line.as_str());
                    Command::new(&by, &whole, 0..whole.len())
                }
            }
        }
        Some(other) => return Err(at.wrong(by_key, other, "a string")),
    };
    let size = size(at, obj, keys.size)?;
    let size_at = || match keys.size {
        Some(_) => at.evidence(keys.size),
        None => entry.clone(),
    };
    let (empty_layer, size) = match keys.empty_layer {
        Some(k) => {
            let empty_layer = match present(obj, Some(k)) {
                None => at.fact(Some(k), FactValue::Bool(false)),
                Some(Json::Bool(b)) => at.fact(Some(k), FactValue::Bool(*b)),
                Some(other) => return Err(at.wrong(Some(k), other, "`true` or `false`")),
            };
            let size = match (size, keys.size) {
                (Some(bytes), _) => Fact::new(FactValue::Size(bytes), size_at()),
                (None, Some(_)) => Fact::new(FactValue::Absent, size_at()),
                (None, None) => of(&entry, layout.not_recorded("size")),
            };
            (empty_layer, size)
        }
        None => sized(size, &command, &by, size_at()),
    };
    let tags = match present(obj, keys.tags) {
        None if keys.tags.is_none() => of(&entry, layout.not_recorded("tags")),
        None => at.absent(keys.tags),
        Some(Json::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let Json::String(tag) = item else {
                    let field = format!("{}/{i}", keys.tags.unwrap_or_default());
                    return Err(at.wrong(Some(&field), item, "a string (a tag)"));
                };
                let field = format!("{}/{i}", keys.tags.unwrap_or_default());
                out.push(at.fact(Some(&field), FactValue::Text(Text::plain(tag.clone()))));
            }
            at.fact(keys.tags, FactValue::List(out))
        }
        Some(other) => return Err(at.wrong(keys.tags, other, "a list of tags")),
    };
    let comment = at.text_or(taken.comment, obj, Some(keys.comment))?;
    Ok(Layer {
        id,
        created,
        command,
        size,
        empty_layer,
        comment,
        tags,
    }
    .record(index, entry, by))
}

/// [`layer`] of a `docker history` line read without the tree (every field a string, the size read).
fn line_layer(at: &At, line: &Line, text: &Arc<str>) -> (Fact, bool) {
    let layout = Layout::DockerLines;
    let keys = &layout.keys();
    let string = |field: &Field, key: &'static str| match field {
        Field::Absent => at.absent(Some(key)),
        Field::Part(range) => at.fact(
            Some(key),
            FactValue::Text(Text::plain(Str::part(text, range.clone()))),
        ),
        Field::Own(s) => at.fact(Some(key), FactValue::Text(Text::plain(&**s))),
    };
    let by = at.evidence(Some(keys.created_by));
    let command = match &line.created_by {
        Field::Absent => Command::absent(&by),
        Field::Part(range) => Command::new(&by, text, range.clone()),
        Field::Own(s) => Command::new(&by, &Arc::from(&**s), 0..s.len()),
    };
    let (empty_layer, size) = sized(line.size, &command, &by, at.evidence(keys.size));
    let entry = at.evidence(None);
    // no field can be wrong here: the facts are built in the record's order
    Layer {
        id: string(&line.id, keys.id.unwrap_or("ID")),
        created: string(&line.created, keys.created),
        command,
        size,
        empty_layer,
        comment: string(&line.comment, keys.comment),
        tags: Fact::new(layout.not_recorded("tags"), entry.clone()),
    }
    .record(at.layer, entry, by)
}

/// The `empty_layer` and `size` facts of a layout that prints sizes: empty when the size is 0, or
/// (no size) when the instruction only changes metadata. `at`: the size's evidence.
fn sized(size: Option<u64>, command: &Command, by: &Evidence, at: Evidence) -> (Fact, Fact) {
    let empty_layer = match (size, command.parsed) {
        (Some(bytes), _) => Fact::new(FactValue::Bool(bytes == 0), at.clone()),
        (None, Some(instr)) => {
            Fact::new(FactValue::Bool(instruction::is_metadata(instr)), by.clone())
        }
        (None, None) => Fact::new(FactValue::Absent, at.clone()),
    };
    let size = match size {
        Some(bytes) => Fact::new(FactValue::Size(bytes), at),
        None => Fact::new(FactValue::Absent, at),
    };
    (empty_layer, size)
}

/// The facts of a `created_by` command line.
struct Command {
    created_by: Fact,
    instruction: Fact,
    arguments: Fact,
    secrets: Fact,
    /// The instruction keyword, when there is one.
    parsed: Option<&'static str>,
    truncated: bool,
}

impl Command {
    fn absent(by: &Evidence) -> Self {
        let absent = || Fact::new(FactValue::Absent, by.clone());
        Self {
            created_by: absent(),
            instruction: absent(),
            arguments: absent(),
            secrets: absent(),
            parsed: None,
            truncated: false,
        }
    }

    /// The command line `whole[range]` (its facts share `whole`).
    fn new(by: &Evidence, whole: &Arc<str>, range: std::ops::Range<usize>) -> Self {
        let of = |value: FactValue| Fact::new(value, by.clone());
        let raw = whole.get(range.clone()).unwrap_or_default();
        let truncated = raw.ends_with('…');
        let line = Str::part(whole, range);
        // masked once, here: `secrets` is whether anything was, and the form is shown as is
        let masked = mask::command_masked(raw);
        let secrets = match (&masked, truncated) {
            (Some(_), _) => FactValue::Bool(true),
            // the hidden part may hold one
            (None, true) => FactValue::Unknown(Unknown::Truncated),
            (None, false) => FactValue::Bool(false),
        };
        let line_masked = masked.is_some();
        let mut text = Text::plain(line.clone());
        text.masking = Masking::given(masked);
        text.truncated = truncated;
        let visible = raw.strip_suffix('…').unwrap_or(raw);
        let parsed = instruction::parse(visible);
        let (instruction, arguments) = match parsed {
            Some(p) => {
                let mut args = Text::plain(Str::within(whole, p.arguments));
                args.truncated = truncated;
                if line_masked {
                    args.masking = Masking::arguments(line, Str::constant(p.instruction));
                }
                (
                    of(FactValue::Text(Text::plain(Str::constant(p.instruction)))),
                    of(FactValue::Text(args)),
                )
            }
            None if truncated => (
                of(FactValue::Unknown(Unknown::Truncated)),
                of(FactValue::Unknown(Unknown::Truncated)),
            ),
            None => (of(FactValue::Absent), of(FactValue::Absent)),
        };
        Self {
            created_by: of(FactValue::Text(text)),
            instruction,
            arguments,
            secrets: of(secrets),
            parsed: parsed.map(|p| p.instruction),
            truncated,
        }
    }
}

/// A layer's facts but its index and `truncated`.
struct Layer {
    id: Fact,
    created: Fact,
    command: Command,
    size: Fact,
    empty_layer: Fact,
    comment: Fact,
    tags: Fact,
}

impl Layer {
    /// The record (`entry`: the entry's evidence, `by`: its `created_by`'s), and whether its
    /// `created_by` was truncated.
    fn record(self, index: usize, entry: Evidence, by: Evidence) -> (Fact, bool) {
        let truncated = self.command.truncated;
        let record = vec![
            (
                "index".into(),
                Fact::new(
                    FactValue::Int(i64::try_from(index).unwrap_or(i64::MAX)),
                    entry.clone(),
                ),
            ),
            ("id".into(), self.id),
            ("created".into(), self.created),
            ("created_by".into(), self.command.created_by),
            ("instruction".into(), self.command.instruction),
            ("arguments".into(), self.command.arguments),
            ("secrets".into(), self.command.secrets),
            ("size".into(), self.size),
            ("empty_layer".into(), self.empty_layer),
            ("comment".into(), self.comment),
            (
                "truncated".into(),
                Fact::new(FactValue::Bool(truncated), by),
            ),
            ("tags".into(), self.tags),
        ];
        (Fact::new(FactValue::Map(record), entry), truncated)
    }
}

/// A creation time: a string as written, or Unix seconds (Engine API) as RFC 3339.
fn created(at: &At, obj: &Object, key: &str) -> Result<Fact, InputError> {
    let field = Some(key);
    match present(obj, field) {
        Some(Json::Number(n)) => match n.as_i64() {
            Some(secs) => Ok(at.fact(field, FactValue::Text(Text::plain(unix_to_rfc3339(secs))))),
            None => Err(at.wrong(field, &Json::Number(n.clone()), "a time (Unix seconds)")),
        },
        _ => at.text(obj, field),
    }
}

/// A layer size: bytes, or docker's human form (`12.3MB`, `0B`). Negative (unknown) sizes are absent.
fn size(at: &At, obj: &Object, key: Option<&str>) -> Result<Option<u64>, InputError> {
    const EXPECTED: &str = "a size (bytes, or such as `12.3MB`)";
    match present(obj, key) {
        None => Ok(None),
        Some(v @ Json::String(s)) => crate::facts::size::parse(s).map(Some).ok_or_else(|| {
            // a size is no secret: say what was written (`-5B`, `99999999999999999999TB`)
            let mut e = at.wrong(key, v, EXPECTED);
            if let InputError::WrongType { found, .. } = &mut e {
                let shown: String = s.chars().take(40).collect();
                let more = if shown.len() < s.len() { "…" } else { "" };
                *found = format!("`{shown}{more}` (not a size, or too large)");
            }
            e
        }),
        Some(v @ Json::Number(n)) => match (n.as_u64(), n.as_i64()) {
            (Some(bytes), _) => Ok(Some(bytes)),
            (None, Some(negative)) if negative < 0 => Ok(None),
            _ => Err(at.wrong(key, v, EXPECTED)),
        },
        Some(other) => Err(at.wrong(key, other, EXPECTED)),
    }
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
pub(crate) fn unix_to_rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tree::json;

    fn history(v: &Json, lines: &[usize], layout: Layout) -> Result<History, InputError> {
        let node = Node::new(
            Src::new(crate::input::json::test_document("h")),
            String::new(),
            Some(v),
        );
        read(&node, lines, layout)
    }

    fn field(h: &History, layer: usize, key: &str) -> String {
        h.fact.as_list().unwrap()[layer].get(key).unwrap().display()
    }

    #[test]
    fn decimals() {
        for n in [0, 7, 10, 99, 1250, 100_000, usize::MAX] {
            let mut s = String::from("/");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("/{n}"));
            assert_eq!(decimal_len(n), s.len() - 1);
        }
    }

    #[test]
    fn unix_times() {
        assert_eq!(unix_to_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(unix_to_rfc3339(1_409_856_216), "2014-09-04T18:43:36Z");
        assert_eq!(unix_to_rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(unix_to_rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn docker_lines_are_reversed_and_keep_pointers() {
        let v = json!([
            {"ID": "sha256:abc", "CreatedBy": "CMD [\"run\"]", "Size": "0B", "CreatedAt": "2024-01-02T00:00:00Z", "Comment": "buildkit.dockerfile.v0"},
            {"ID": "<missing>", "CreatedBy": "RUN /bin/sh -c pip install -r r.txt # buildkit", "Size": "12.3MB", "CreatedAt": "2024-01-01T00:00:00Z", "Comment": ""},
            {"ID": "<missing>", "CreatedBy": "/bin/sh -c #(nop) ADD file:abc in / ", "Size": "5MB", "CreatedAt": "2023-01-01T00:00:00Z", "Comment": ""}
        ]);
        let h = history(&v, &[1, 3, 4], Layout::DockerLines).unwrap();
        assert_eq!(h.newest_id.as_deref(), Some("sha256:abc"));
        assert_eq!(field(&h, 0, "instruction"), "ADD");
        assert_eq!(field(&h, 1, "instruction"), "RUN");
        assert_eq!(field(&h, 1, "arguments"), "pip install -r r.txt");
        assert_eq!(field(&h, 1, "size"), "12.3MB");
        assert_eq!(field(&h, 1, "empty_layer"), "false");
        assert_eq!(field(&h, 2, "empty_layer"), "true");
        assert_eq!(field(&h, 2, "index"), "2");
        let ev = h.fact.as_list().unwrap()[0]
            .get("created_by")
            .unwrap()
            .evidence
            .clone()
            .unwrap();
        assert_eq!(
            (&*ev.pointer, ev.line(), ev.layer()),
            ("/2/CreatedBy", Some(4), Some(0))
        );
    }

    #[test]
    fn truncated_lines_are_marked() {
        let v = json!([{"ID": "abc", "CreatedBy": "/bin/sh -c apt-get update && apt-get install…", "Size": "1MB"}]);
        let h = history(&v, &[1], Layout::DockerLines).unwrap();
        assert_eq!(h.truncated, 1);
        let layer = &h.fact.as_list().unwrap()[0];
        assert!(
            layer
                .get("created_by")
                .unwrap()
                .as_text()
                .unwrap()
                .truncated
        );
        assert_eq!(layer.get("truncated").unwrap().display(), "true");
        assert!(layer.get("arguments").unwrap().as_text().unwrap().truncated);
        assert_eq!(field(&h, 0, "instruction"), "RUN");
    }

    #[test]
    fn secrets_in_history_are_masked() {
        let v = json!([{"created_by": "/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2", "empty_layer": true}]);
        let h = history(&v, &[], Layout::Config).unwrap();
        assert_eq!(
            field(&h, 0, "created_by"),
            "/bin/sh -c #(nop)  ENV DB_PASSWORD=***"
        );
        assert_eq!(field(&h, 0, "arguments"), "DB_PASSWORD=***");
        let layer = &h.fact.as_list().unwrap()[0];
        assert_eq!(
            layer.get("created_by").unwrap().as_text().unwrap().raw,
            "/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2"
        );
    }

    #[test]
    fn engine_api_and_podman() {
        let v = json!([
            {"Id": "sha256:25da", "Tags": ["debian:7"], "Created": 1409856216, "CreatedBy": "/bin/sh -c #(nop) CMD [/bin/bash]"},
            {"Id": "sha256:4102", "Created": 1409856213, "CreatedBy": "/bin/sh -c #(nop) ADD file:1ee in /", "Size": 85178663},
            {"Id": "sha256:5111", "Tags": ["scratch:latest"], "Created": 1371157430}
        ]);
        let h = history(&v, &[], Layout::EngineApi).unwrap();
        assert_eq!(field(&h, 0, "tags"), "[scratch:latest]");
        assert_eq!(field(&h, 0, "created_by"), "absent");
        assert_eq!(field(&h, 0, "empty_layer"), "absent");
        assert_eq!(field(&h, 1, "size"), "85.2MB (85178663 bytes)");
        assert_eq!(field(&h, 2, "empty_layer"), "true");
        assert_eq!(field(&h, 2, "created"), "2014-09-04T18:43:36Z");
        let p = json!([{"id": "b676", "created": "2017-07-24T16:52:55Z", "createdBy": "/bin/sh -c #(nop)  CMD [\"bash\"]", "size": 0, "comment": ""}]);
        let h = history(&p, &[], Layout::Podman).unwrap();
        assert_eq!(field(&h, 0, "instruction"), "CMD");
        assert_eq!(h.newest_id.as_deref(), Some("b676"));
    }

    #[test]
    fn bad_entries_are_errors() {
        let v = json!([{"ID": "a"}, "oops"]);
        let err = history(&v, &[1, 2], Layout::DockerLines).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a `docker history` JSON object on line 2, found a string"
        );
        let v = json!([{"Size": "12 parsecs"}]);
        assert!(history(&v, &[1], Layout::DockerLines).is_err());
        let v = json!([{"empty_layer": "yes"}]);
        assert!(history(&v, &[], Layout::Config).is_err());
    }
}
