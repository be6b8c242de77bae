//! Bytes to text: the size limit, byte-order marks, UTF-16, invalid UTF-8.

use super::error::InputError;
use std::borrow::Cow;

/// Decodes a dump to text. UTF-8 (a byte-order mark is dropped) is borrowed; UTF-16 with a byte-order
/// mark is decoded; UTF-16 without one, and invalid UTF-8, are errors with the offset.
pub(crate) fn decode<'b>(
    document: &str,
    bytes: &'b [u8],
    max_bytes: usize,
) -> Result<Cow<'b, str>, InputError> {
    if bytes.len() > max_bytes {
        let (line, column) = super::line_column_at(bytes, max_bytes);
        return Err(InputError::TooLarge {
            document: document.to_string(),
            size: bytes.len(),
            max: max_bytes,
            line,
            column,
        });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(document, rest, 3).map(Cow::Borrowed);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(document, rest, u16::from_le_bytes, "little-endian").map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(document, rest, u16::from_be_bytes, "big-endian").map(Cow::Owned);
    }
    if looks_like_utf16(bytes) {
        return Err(InputError::Utf16WithoutBom {
            document: document.to_string(),
        });
    }
    utf8(document, bytes, 0).map(Cow::Borrowed)
}

fn utf8<'b>(document: &str, bytes: &'b [u8], skipped: usize) -> Result<&'b str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let valid = bytes.get(..offset).unwrap_or_default();
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = 1 + std::str::from_utf8(valid.get(line_start..).unwrap_or_default())
            .map_or(0, |s| s.chars().count());
        InputError::InvalidUtf8 {
            document: document.to_string(),
            offset: offset + skipped,
            line,
            column,
        }
    })
}

fn utf16(
    document: &str,
    bytes: &[u8],
    unit: fn([u8; 2]) -> u16,
    endian: &'static str,
) -> Result<String, InputError> {
    let error = |problem, offset, decoded: &str| {
        let (line, column) = super::line_column_at(decoded.as_bytes(), decoded.len());
        InputError::InvalidUtf16 {
            document: document.to_string(),
            endian,
            problem,
            offset,
            line,
            column,
        }
    };
    let chunks = bytes.chunks_exact(2);
    if !chunks.remainder().is_empty() {
        // decode what there is, to say where the text ends
        let whole = bytes.get(..bytes.len() - 1).unwrap_or_default();
        let units = whole.chunks_exact(2).map(|c| {
            unit([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ])
        });
        let decoded: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        return Err(error("an odd number of bytes", bytes.len() + 2, &decoded));
    }
    let units = chunks.map(|c| {
        unit([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ])
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(_) => return Err(error("an unpaired surrogate", 2 + 2 * i, &out)),
        }
    }
    Ok(out)
}

/// UTF-16 text without a byte-order mark: JSON starts with an ASCII character, so one of its first two
/// bytes is NUL.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    match bytes {
        [0, b, ..] | [b, 0, ..] => b.is_ascii() && *b != 0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in text.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("a", b"[1]", 100).unwrap(), "[1]");
        assert_eq!(decode("a", b"\xEF\xBB\xBF[1]", 100).unwrap(), "[1]");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let bytes = utf16le("[{\"Id\": \"é\"}]", true);
        assert_eq!(decode("a", &bytes, 1000).unwrap(), "[{\"Id\": \"é\"}]");
        let mut be = vec![0xFE, 0xFF];
        for u in "[]".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode("a", &be, 1000).unwrap(), "[]");
    }

    #[test]
    fn utf16_without_bom_is_an_error() {
        let bytes = utf16le("[{}]", false);
        let err = decode("a", &bytes, 1000).unwrap_err();
        assert!(matches!(err, InputError::Utf16WithoutBom { .. }));
    }

    #[test]
    fn invalid_utf8_names_offset_line_and_column() {
        let err = decode("a", b"[\n  \"ab\xFFc\"]", 100).unwrap_err();
        assert_eq!(
            err,
            InputError::InvalidUtf8 {
                document: "a".into(),
                offset: 7,
                line: 2,
                column: 6
            }
        );
    }

    #[test]
    fn limit_is_checked_first() {
        let err = decode("a", b"[1, 2, 3]", 4).unwrap_err();
        assert!(matches!(
            err,
            InputError::TooLarge {
                size: 9,
                max: 4,
                ..
            }
        ));
    }

    #[test]
    fn odd_utf16_is_an_error() {
        let err = decode("a", &[0xFF, 0xFE, b'[', 0, b']'], 100).unwrap_err();
        assert!(matches!(err, InputError::InvalidUtf16 { .. }));
    }
}
