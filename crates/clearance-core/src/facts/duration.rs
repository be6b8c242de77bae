//! Durations as docker and policies write them: `30s`, `1m30s`, `500ms`, `1h`, `1.5s`.
//! Stored as nanoseconds, the unit docker uses in `Healthcheck`.

pub(crate) const NS_PER: [(&str, u64); 7] = [
    ("h", 3_600_000_000_000),
    ("m", 60_000_000_000),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("us", 1_000),
    ("µs", 1_000),
    ("ns", 1),
];

/// Parses a Go-style duration (`1m30s`, `0.5s`, `250ms`, `0`). Returns `None` when malformed or when it
/// overflows `u64` nanoseconds.
pub fn parse(text: &str) -> Option<u64> {
    let s = text.trim();
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let (num, after) = rest.split_at(num_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let per = NS_PER.iter().find(|(u, _)| *u == unit).map(|(_, n)| *n)?;
        total = total.checked_add(scale(num, per)?)?;
        rest = next;
    }
    Some(total)
}

/// `num` (decimal, maybe with a fraction) times `per`, exactly when possible.
fn scale(num: &str, per: u64) -> Option<u64> {
    let (int, frac) = match num.split_once('.') {
        Some((i, f)) => (i, f),
        None => (num, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let int_val: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut value = int_val.checked_mul(per)?;
    let mut unit = per;
    for digit in frac.chars() {
        let d = u64::from(digit.to_digit(10)?);
        unit /= 10;
        value = value.checked_add(d.checked_mul(unit)?)?;
    }
    Some(value)
}

/// Formats nanoseconds the way a person writes them: `30s`, `1m30s`, `1h`, `500ms`, `1.5s`, `0s`.
pub fn format(ns: u64) -> String {
    let mut out = String::new();
    format_into(ns, &mut out);
    out
}

/// Appends [`format`]`(ns)` to `out`.
pub fn format_into(ns: u64, out: &mut String) {
    use std::fmt::Write as _;
    if ns == 0 {
        out.push_str("0s");
        return;
    }
    let secs = ns / 1_000_000_000;
    let sub = ns % 1_000_000_000;
    // Writing to a `String` cannot fail.
    if secs == 0 {
        let _ = if sub % 1_000_000 == 0 {
            write!(out, "{}ms", sub / 1_000_000)
        } else if sub % 1_000 == 0 {
            write!(out, "{}µs", sub / 1_000)
        } else {
            write!(out, "{sub}ns")
        };
        return;
    }
    let h = secs / 3600;
    let m = (secs % 3600) / 60;
    let s = secs % 60;
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if m > 0 {
        let _ = write!(out, "{m}m");
    }
    if sub > 0 {
        // the nine fraction digits without their trailing zeros
        let (mut frac, mut width) = (sub, 9);
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        let _ = write!(out, "{s}.{frac:0width$}s");
    } else if s > 0 {
        let _ = write!(out, "{s}s");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_docker_and_policy_forms() {
        assert_eq!(parse("30s"), Some(30_000_000_000));
        assert_eq!(parse("1m30s"), Some(90_000_000_000));
        assert_eq!(parse("500ms"), Some(500_000_000));
        assert_eq!(parse("1.5s"), Some(1_500_000_000));
        assert_eq!(parse("1h"), Some(3_600_000_000_000));
        assert_eq!(parse("0"), Some(0));
        assert_eq!(parse(""), None);
        assert_eq!(parse("30"), None);
        assert_eq!(parse("s"), None);
        assert_eq!(parse("3x"), None);
        assert_eq!(parse("99999999999999999999h"), None);
    }

    #[test]
    fn formats_round_trip() {
        for s in ["30s", "1m30s", "500ms", "1.5s", "1h", "0s", "2h5m"] {
            assert_eq!(format(parse(s).unwrap()), s);
        }
    }

    /// The first formatting, one `format!` per part: `format_into` must print the same.
    fn reference(ns: u64) -> String {
        if ns == 0 {
            return "0s".to_string();
        }
        let secs = ns / 1_000_000_000;
        let sub = ns % 1_000_000_000;
        if secs == 0 {
            if sub % 1_000_000 == 0 {
                return format!("{}ms", sub / 1_000_000);
            }
            if sub % 1_000 == 0 {
                return format!("{}µs", sub / 1_000);
            }
            return format!("{sub}ns");
        }
        let mut out = String::new();
        let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if m > 0 {
            out.push_str(&format!("{m}m"));
        }
        if s > 0 || sub > 0 {
            if sub > 0 {
                let frac = format!("{sub:09}");
                out.push_str(&format!("{s}.{}s", frac.trim_end_matches('0')));
            } else {
                out.push_str(&format!("{s}s"));
            }
        }
        out
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn format_is_the_reference(
            ns in prop_oneof![
                proptest::num::u64::ANY,
                (0u64..100_000).prop_map(|s| s * 1_000_000_000),
                (0u64..100_000_000).prop_map(|s| s * 1_000),
                0u64..2_000_000_000,
            ]
        ) {
            prop_assert_eq!(format(ns), reference(ns));
        }
    }
}
