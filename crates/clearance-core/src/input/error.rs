//! Everything that can go wrong reading a dump, one variant per problem, each with its location.

use super::tree::Json;
use crate::diagnostic::{Diagnostic, Location, ToDiagnostic};

/// What the reader accepts, for "unrecognised" help texts.
pub(crate) const ACCEPTED: &str = "`docker image inspect`, `docker container inspect`, `docker history --format '{{json .}}'` \
(or `--format json`), the Engine API image history, `podman image inspect`, `podman container inspect`, \
`podman history --format json`, or an OCI image config (`skopeo inspect --config`, `crane config`)";

/// Everything that can go wrong reading a dump.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the document is {size} bytes, more than the limit of {max} bytes")]
    TooLarge {
        document: String,
        size: usize,
        max: usize,
        /// Where the limit is crossed.
        line: usize,
        column: usize,
    },
    #[error("the document is not valid UTF-8: invalid byte at offset {offset} (line {line}, column {column})")]
    InvalidUtf8 {
        document: String,
        offset: usize,
        line: usize,
        column: usize,
    },
    #[error("the document looks like UTF-16 without a byte-order mark")]
    Utf16WithoutBom { document: String },
    #[error(
        "the document is UTF-16 ({endian}) but not valid UTF-16: {problem} at byte offset {offset}"
    )]
    InvalidUtf16 {
        document: String,
        endian: &'static str,
        problem: &'static str,
        offset: usize,
        /// Where in the decoded text the problem is.
        line: usize,
        column: usize,
    },
    #[error("the document is empty: expected a JSON object or array")]
    Empty {
        document: String,
        /// The end of the text (where a value was expected).
        line: usize,
        column: usize,
    },
    #[error("invalid JSON: {message}")]
    Syntax {
        document: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the JSON nests deeper than {max} levels")]
    TooDeep {
        document: String,
        max: usize,
        line: Option<usize>,
        column: Option<usize>,
        pointer: Option<String>,
    },
    #[error("expected a JSON object or array, found {found}")]
    Scalar {
        document: String,
        found: &'static str,
        line: usize,
    },
    #[error("the document is an empty JSON array: there is nothing to check")]
    EmptyArray { document: String, line: usize },
    #[error("unrecognised document: found {found}")]
    Unrecognised {
        document: String,
        pointer: String,
        line: Option<usize>,
        found: String,
    },
    #[error("expected {expected} (the kind given), found {found}")]
    HintMismatch {
        document: String,
        expected: &'static str,
        found: String,
        /// The value that has the other shape.
        pointer: String,
        line: Option<usize>,
    },
    #[error("expected {expected} at `{pointer}`, found {found}")]
    WrongType {
        document: String,
        pointer: String,
        line: Option<usize>,
        expected: String,
        found: String,
    },
    #[error("expected a `docker history` JSON object on line {line}, found {found}")]
    HistoryLine {
        document: String,
        line: usize,
        found: String,
    },
    #[error("element {index} of the {kind} array is not like the others: found {found}")]
    BrokenMember {
        document: String,
        index: usize,
        kind: &'static str,
        found: String,
    },
    #[error("the array mixes kinds: element {index} is {other}, element {first_index} is {first}")]
    MixedKinds {
        document: String,
        index: usize,
        other: &'static str,
        first_index: usize,
        first: &'static str,
    },
    #[error("the document holds several JSON values and value {index} (line {line}) is {found}")]
    SeveralValues {
        document: String,
        index: usize,
        line: usize,
        found: String,
    },
    #[error("the document has {count} history entries, more than the limit of {max}")]
    TooManyLayers {
        document: String,
        count: usize,
        max: usize,
        /// The first entry over the limit.
        pointer: String,
        line: Option<usize>,
    },
    #[error("the document has {count} entries, more than the limit of {max}")]
    TooManyEntries {
        document: String,
        count: usize,
        max: usize,
        /// The first entry over the limit.
        pointer: String,
    },
    #[error("cannot tell which image {what} belongs to: {why}")]
    Ambiguous {
        document: String,
        pointer: String,
        what: String,
        why: String,
    },
}

impl InputError {
    /// The source name of the document the error is about.
    pub fn document(&self) -> &str {
        match self {
            InputError::TooLarge { document, .. }
            | InputError::InvalidUtf8 { document, .. }
            | InputError::Utf16WithoutBom { document }
            | InputError::InvalidUtf16 { document, .. }
            | InputError::Empty { document, .. }
            | InputError::Syntax { document, .. }
            | InputError::TooDeep { document, .. }
            | InputError::Scalar { document, .. }
            | InputError::EmptyArray { document, .. }
            | InputError::Unrecognised { document, .. }
            | InputError::HintMismatch { document, .. }
            | InputError::WrongType { document, .. }
            | InputError::HistoryLine { document, .. }
            | InputError::BrokenMember { document, .. }
            | InputError::MixedKinds { document, .. }
            | InputError::SeveralValues { document, .. }
            | InputError::TooManyLayers { document, .. }
            | InputError::TooManyEntries { document, .. }
            | InputError::Ambiguous { document, .. } => document,
        }
    }

    /// The stable code (`input/syntax`).
    pub fn code(&self) -> &'static str {
        match self {
            InputError::TooLarge { .. } => "input/too-large",
            InputError::InvalidUtf8 { .. } => "input/invalid-utf8",
            InputError::Utf16WithoutBom { .. } => "input/utf16-without-bom",
            InputError::InvalidUtf16 { .. } => "input/invalid-utf16",
            InputError::Empty { .. } => "input/empty",
            InputError::Syntax { .. } => "input/syntax",
            InputError::TooDeep { .. } => "input/too-deep",
            InputError::Scalar { .. } => "input/scalar",
            InputError::EmptyArray { .. } => "input/empty-array",
            InputError::Unrecognised { .. } => "input/unrecognised",
            InputError::HintMismatch { .. } => "input/kind-mismatch",
            InputError::WrongType { .. } => "input/wrong-type",
            InputError::HistoryLine { .. } => "input/history-line",
            InputError::BrokenMember { .. } => "input/broken-member",
            InputError::MixedKinds { .. } => "input/mixed-kinds",
            InputError::SeveralValues { .. } => "input/several-values",
            InputError::TooManyLayers { .. } => "input/too-many-layers",
            InputError::TooManyEntries { .. } => "input/too-many-entries",
            InputError::Ambiguous { .. } => "input/ambiguous",
        }
    }

    fn location(&self) -> Location {
        let file = Location::file(self.document().to_string());
        match self {
            InputError::InvalidUtf8 { line, column, .. }
            | InputError::Syntax { line, column, .. }
            | InputError::TooLarge { line, column, .. }
            | InputError::InvalidUtf16 { line, column, .. }
            | InputError::Empty { line, column, .. } => {
                Location::at(self.document().to_string(), *line, *column)
            }
            InputError::Utf16WithoutBom { .. } => Location::at(self.document().to_string(), 1, 1),
            InputError::Scalar { line, .. } | InputError::EmptyArray { line, .. } => Location {
                line: Some(*line),
                ..file
            },
            InputError::HintMismatch { pointer, line, .. }
            | InputError::TooManyLayers { pointer, line, .. } => Location {
                file: Some(self.document().to_string()),
                line: *line,
                column: None,
                pointer: root_pointer_or_line(pointer, *line),
            },
            InputError::TooManyEntries { pointer, .. } => file.with_pointer(pointer.clone()),
            InputError::TooDeep {
                line,
                column,
                pointer,
                ..
            } => Location {
                file: Some(self.document().to_string()),
                line: *line,
                column: *column,
                pointer: pointer.clone(),
            },
            InputError::Unrecognised { pointer, line, .. }
            | InputError::WrongType { pointer, line, .. } => Location {
                file: Some(self.document().to_string()),
                line: *line,
                column: None,
                pointer: root_pointer_or_line(pointer, *line),
            },
            InputError::HistoryLine { line, .. } | InputError::SeveralValues { line, .. } => {
                Location {
                    line: Some(*line),
                    ..file
                }
            }
            InputError::BrokenMember { index, .. } | InputError::MixedKinds { index, .. } => {
                file.with_pointer(format!("/{index}"))
            }
            // the whole document (`""`): the file alone says it, not an empty `` at `` ``
            InputError::Ambiguous { pointer, .. } if pointer.is_empty() => file,
            InputError::Ambiguous { pointer, .. } => file.with_pointer(pointer.clone()),
        }
    }

    fn help(&self) -> Option<String> {
        let text = match self {
            InputError::TooLarge { .. } => {
                "give one image per dump, or raise the limit (`maxDocumentBytes`)".to_string()
            }
            InputError::InvalidUtf8 { .. } => {
                "save the dump as UTF-8 (docker and podman print UTF-8; an editor or a pipe may have re-encoded it)"
                    .to_string()
            }
            InputError::Utf16WithoutBom { .. } | InputError::InvalidUtf16 { .. } => {
                "save the dump as UTF-8 (in PowerShell: `docker image inspect IMAGE | Out-File -Encoding utf8 inspect.json`)"
                    .to_string()
            }
            InputError::Empty { .. } => format!("give the output of {ACCEPTED}"),
            InputError::Syntax { .. } => {
                "give the tool's output unchanged; a hand edit or a copy from a web page may have broken it"
                    .to_string()
            }
            InputError::TooDeep { .. } => {
                "no container tool prints JSON this deep; check the file is the dump you meant".to_string()
            }
            InputError::Scalar { .. } | InputError::Unrecognised { .. } => {
                format!("accepted: {ACCEPTED}")
            }
            InputError::EmptyArray { .. } => {
                "the image or container was probably not found; check the name you inspected".to_string()
            }
            InputError::HintMismatch { .. } => {
                "leave the kind out to detect it, or give the matching dump".to_string()
            }
            InputError::WrongType { .. } => {
                "give the tool's output unchanged; this field has a type no docker, podman or OCI tool prints"
                    .to_string()
            }
            InputError::HistoryLine { .. } => {
                "give the output of `docker history --no-trunc --format '{{json .}}' IMAGE` unchanged".to_string()
            }
            InputError::BrokenMember { .. } | InputError::MixedKinds { .. } => {
                "inspect images and containers separately, one kind per dump".to_string()
            }
            InputError::SeveralValues { .. } => {
                "give one JSON document per dump (several images may be one array or `jq .` output of images)"
                    .to_string()
            }
            InputError::TooManyLayers { .. } | InputError::TooManyEntries { .. } => {
                "give one image per dump, or raise the limit (`maxLayers`, `maxEntries`)".to_string()
            }
            InputError::Ambiguous { .. } => {
                "give one image per run, or the matching dumps (the image inspect of the container's image, the history of each image)"
                    .to_string()
            }
        };
        Some(text)
    }
}

impl ToDiagnostic for InputError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            code: self.code().to_string(),
            message: self.to_string(),
            help: self.help(),
            location: self.location(),
        }
    }
}

/// The pointer, except the root pointer (`""`) when a line says where the value is.
fn root_pointer_or_line(pointer: &str, line: Option<usize>) -> Option<String> {
    (!pointer.is_empty() || line.is_none()).then(|| pointer.to_string())
}

/// How a JSON value is described in messages (`an object`, `a string`).
pub(crate) fn json_type(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}
