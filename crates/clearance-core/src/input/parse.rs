//! Text to JSON values, parsed once with serde_json: one document, JSON lines, or a stream of
//! concatenated documents (`docker image inspect … | jq '.[]'`). Syntax errors keep serde_json's line and
//! column (converted to characters) and say what was expected.

use super::error::InputError;
use super::tree::Json;

/// serde_json refuses to nest deeper than this.
pub(crate) const SERDE_MAX_DEPTH: usize = 128;

/// The top-level values of a text and the 1-based line each starts on.
#[derive(Debug)]
pub(crate) struct Values {
    pub values: Vec<Json>,
    pub lines: Vec<usize>,
}

/// Parses every top-level JSON value of `text`.
pub(crate) fn parse(document: &str, text: &str, max_depth: usize) -> Result<Values, InputError> {
    if text.trim().is_empty() {
        let (line, column) = super::line_column_at(text.as_bytes(), text.len());
        return Err(InputError::Empty {
            document: document.to_string(),
            line,
            column,
        });
    }
    // parsed from a shared copy, so that its strings are parts of it (`tree::with_source`)
    let whole: std::sync::Arc<str> = std::sync::Arc::from(text);
    let (values, lines) = super::tree::with_source(&whole, || self::values::<Json>(&whole))
        .map_err(|e| syntax(document, text, &e))?;
    if max_depth < SERDE_MAX_DEPTH {
        for (i, v) in values.iter().enumerate() {
            check_depth(
                document,
                v,
                max_depth,
                lines.get(i).copied(),
                values.len() > 1,
                i,
            )?;
        }
    }
    Ok(Values { values, lines })
}

/// With `memchr` (this runs over the whole text: one byte at a time was 1.1 M instructions of a
/// 1,250-line history's 42 M).
/// Every top-level value of `text` as a `T`, and the 1-based line each starts on.
pub(crate) fn values<'t, T: serde::Deserialize<'t>>(
    text: &'t str,
) -> Result<(Vec<T>, Vec<usize>), serde_json::Error> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<T>();
    let mut values = Vec::new();
    let mut ends = Vec::new();
    loop {
        let before = stream.byte_offset();
        match stream.next() {
            None => break,
            Some(Ok(v)) => {
                if values.len() == 1 {
                    // a second value (JSON lines): room for a value a line left (bounded)
                    let rest = text.as_bytes().get(before..).unwrap_or_default();
                    let room = count_newlines(rest).saturating_add(1);
                    values.reserve(room.min(MAX_RESERVED));
                    ends.reserve(room.min(MAX_RESERVED));
                }
                ends.push(before);
                values.push(v);
            }
            Some(Err(e)) => return Err(e),
        }
    }
    // the line each value starts on: after the previous value, past whitespace
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(values.len());
    let (mut line, mut at) = (1, 0);
    for prev_end in ends {
        let start = prev_end
            + bytes
                .get(prev_end..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        line += count_newlines(bytes.get(at..start).unwrap_or_default());
        at = start;
        lines.push(line);
    }
    Ok((values, lines))
}

/// The most values [`values`] makes room for at once (past them, its vectors grow as they fill).
const MAX_RESERVED: usize = 1 << 16;

fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// A serde_json error as an input error: `recursion limit exceeded` is a depth error; anything else a
/// syntax error, with a friendlier wording for the common cases.
fn syntax(document: &str, text: &str, e: &serde_json::Error) -> InputError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let raw = full.strip_suffix(&suffix).unwrap_or(&full);
    let column = char_column(text, e.line(), e.column());
    if raw == "recursion limit exceeded" {
        return InputError::TooDeep {
            document: document.to_string(),
            max: SERDE_MAX_DEPTH,
            line: Some(e.line()),
            column: Some(column),
            pointer: None,
        };
    }
    let message = match raw {
        "EOF while parsing a list" => "the text ends inside an array (a `]` is missing)".to_string(),
        "EOF while parsing an object" => "the text ends inside an object (a `}` is missing)".to_string(),
        "EOF while parsing a string" => "the text ends inside a string (a `\"` is missing)".to_string(),
        "EOF while parsing a value" => "the text ends where a value was expected".to_string(),
        "trailing comma" => "trailing comma (JSON allows no `,` before `]` or `}`)".to_string(),
        "invalid escape" => {
            "invalid escape in a string (JSON allows only `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX`)"
                .to_string()
        }
        "expected value" => "expected a value (an object, array, string, number, `true`, `false` or `null`)".to_string(),
        other => other.to_string(),
    };
    InputError::Syntax {
        document: document.to_string(),
        line: e.line(),
        column,
        message,
    }
}

/// serde_json counts columns in bytes; locations count characters.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let rest = text.get(start..).unwrap_or_default();
    let mut chars = 0;
    for (i, _) in rest.char_indices() {
        if i >= byte_column {
            break;
        }
        chars += 1;
    }
    chars.max(1)
}

/// The depth check for values that did not come through the parser (serde_json's own limit of 128
/// applies to everything parsed; a larger `max_depth` has no effect).
pub(crate) fn check_value_depth(
    document: &str,
    value: &Json,
    max_depth: usize,
) -> Result<(), InputError> {
    check_depth(
        document,
        value,
        max_depth.min(SERDE_MAX_DEPTH),
        None,
        false,
        0,
    )
}

/// Rejects nesting deeper than `max` (a container at the top is depth 1).
fn check_depth(
    document: &str,
    value: &Json,
    max: usize,
    line: Option<usize>,
    stream: bool,
    index: usize,
) -> Result<(), InputError> {
    if let Some(mut tokens) = too_deep(value, 1, max) {
        if stream {
            tokens.push(index.to_string());
        }
        tokens.reverse();
        let mut pointer = String::new();
        for t in tokens {
            super::json::push_token(&mut pointer, &t);
        }
        return Err(InputError::TooDeep {
            document: document.to_string(),
            max,
            line,
            column: None,
            pointer: Some(pointer),
        });
    }
    Ok(())
}

/// The path (reversed) to the first container deeper than `max`. Recursion is bounded by `max` (< 128).
fn too_deep(value: &Json, depth: usize, max: usize) -> Option<Vec<String>> {
    let children: Box<dyn Iterator<Item = (String, &Json)>> = match value {
        Json::Array(items) => Box::new(items.iter().enumerate().map(|(i, v)| (i.to_string(), v))),
        Json::Object(map) => Box::new(map.iter().map(|(k, v)| (k.to_string(), v))),
        _ => return None,
    };
    if depth > max {
        return Some(Vec::new());
    }
    for (token, child) in children {
        if let Some(mut path) = too_deep(child, depth + 1, max) {
            path.push(token);
            return Some(path);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document() {
        let v = parse("d", "\n\n  [1, 2]\n", 128).unwrap();
        assert_eq!(v.values.len(), 1);
        assert_eq!(v.lines, [3]);
    }

    #[test]
    fn json_lines_with_blank_lines_and_crlf() {
        let v = parse("d", "{\"a\":1}\r\n\r\n{\"a\":2}\r\n{\"a\":3}", 128).unwrap();
        assert_eq!(v.values.len(), 3);
        assert_eq!(v.lines, [1, 3, 4]);
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let err = parse("d", "[\n  {\"a\": 1\n  \"b\": 2}\n]", 128).unwrap_err();
        match err {
            InputError::Syntax {
                line,
                column,
                message,
                ..
            } => {
                assert_eq!((line, column), (3, 3));
                assert_eq!(message, "expected `,` or `}`");
            }
            other => panic!("{other:?}"),
        }
        let err = parse("d", "{\"é\": 1,}", 128).unwrap_err();
        assert!(
            matches!(
                err,
                InputError::Syntax {
                    line: 1,
                    column: 9,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn empty_and_whitespace() {
        assert!(matches!(parse("d", "", 128), Err(InputError::Empty { .. })));
        assert!(matches!(
            parse("d", " \r\n\t", 128),
            Err(InputError::Empty { .. })
        ));
    }

    #[test]
    fn depth() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let err = parse("d", &deep, 128).unwrap_err();
        assert!(
            matches!(
                err,
                InputError::TooDeep {
                    max: 128,
                    line: Some(1),
                    ..
                }
            ),
            "{err:?}"
        );
        let err = parse("d", "{\"a\": [[[1]]]}", 3).unwrap_err();
        assert_eq!(
            err,
            InputError::TooDeep {
                document: "d".into(),
                max: 3,
                line: Some(1),
                column: None,
                pointer: Some("/a/0/0".into())
            }
        );
        assert!(parse("d", "{\"a\": [[1]]}", 3).is_ok());
    }
}
