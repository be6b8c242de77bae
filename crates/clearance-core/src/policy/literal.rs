//! Duration and size literals as a policy writes them, read strictly: every accepted text means one
//! exact number, and anything else is refused with the reason. (`facts::duration` and `facts::size`
//! read what docker prints, which is more lenient: `12.3MB` of a rounded size.)

/// Units of a policy size: docker's decimal ones (`kB` = 1000 B; `KB` as docker's `kB`) and the binary
/// ones. `k`, `M` and `G` alone are refused: docker's `--memory 512m` means MiB, docker's printed
/// `512MB` means 10⁶ bytes.
const SIZE_UNITS: [(&str, u64); 10] = crate::facts::size::UNITS;

/// Units of a policy duration, largest first (a duration names them in this order, each once):
/// docker's, as `facts::duration` reads them.
const DURATION_UNITS: [(&str, u64); 7] = crate::facts::duration::NS_PER;

/// Most significant fraction digits read (`1.5GB`; more is never a whole number of bytes here).
const MAX_FRACTION_DIGITS: usize = 18;

/// A size in bytes: `200MB`, `1.5GiB`, `512` (bytes). The reason when it is not one.
pub fn size(text: &str) -> Result<u64, String> {
    let s = text.trim();
    if s.contains(char::is_whitespace) {
        return Err("write the number and the unit together, e.g. `200MB`".to_string());
    }
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let per = if unit.is_empty() {
        1
    } else {
        match SIZE_UNITS.iter().find(|(u, _)| *u == unit) {
            Some((_, per)) => *per,
            None => return Err(size_unit_problem(unit)),
        }
    };
    let value = scaled(number, per).ok_or_else(|| {
        "expected a number and a unit, e.g. `200MB`, or a number of bytes".to_string()
    })?;
    match value {
        Scaled::Exact(bytes) => Ok(bytes),
        Scaled::Inexact => Err("not a whole number of bytes".to_string()),
        Scaled::TooLarge => Err("too large".to_string()),
    }
}

fn size_unit_problem(unit: &str) -> String {
    match unit {
        "k" | "K" | "m" | "M" | "g" | "G" | "t" | "T" => format!(
            "`{unit}` is ambiguous: write `{u}B` (decimal, as docker prints sizes) or `{u}iB` (binary, as `--memory 512m` means)",
            u = if unit == "k" { "K".to_string() } else { unit.to_uppercase() }
        ),
        _ => format!(
            "`{unit}` is not a unit (B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)"
        ),
    }
}

/// A duration in nanoseconds: `30s`, `1m30s`, `1.5s`, `500ms`, `0`. The reason when it is not one.
pub fn duration(text: &str) -> Result<u64, String> {
    let s = text.trim();
    if s == "0" {
        return Ok(0);
    }
    if s.contains(char::is_whitespace) {
        return Err("write it without spaces, e.g. `1m30s`".to_string());
    }
    let mut rest = s;
    let mut total: u64 = 0;
    // the index in DURATION_UNITS of the last unit read: the next one must come after it
    let mut last: Option<(usize, &str)> = None;
    if rest.is_empty() {
        return Err("expected a number and a unit, e.g. `30s`".to_string());
    }
    while !rest.is_empty() {
        let split = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(split);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        if number.is_empty() {
            return Err("expected a number and a unit, e.g. `30s`".to_string());
        }
        if unit.is_empty() {
            return Err(format!("`{number}` needs a unit, e.g. `{number}s`"));
        }
        let Some(index) = DURATION_UNITS.iter().position(|(u, _)| *u == unit) else {
            return Err(format!(
                "`{unit}` is not a unit (h, m, s, ms, us, µs or ns)"
            ));
        };
        // `us` and `µs` are one unit
        let rank = |i: usize| if i >= 5 { i - 1 } else { i };
        if let Some((before, name)) = last {
            if rank(index) <= rank(before) {
                return Err(format!(
                    "`{unit}` after `{name}`: write each unit once, the largest first, e.g. `1m30s`"
                ));
            }
        }
        last = Some((index, unit));
        let per = DURATION_UNITS.get(index).map_or(1, |(_, per)| *per);
        let part = match scaled(number, per) {
            None => return Err("expected a number and a unit, e.g. `30s`".to_string()),
            Some(Scaled::Exact(ns)) => ns,
            Some(Scaled::Inexact) => return Err("finer than a nanosecond".to_string()),
            Some(Scaled::TooLarge) => return Err("too long".to_string()),
        };
        total = total
            .checked_add(part)
            .ok_or_else(|| "too long".to_string())?;
        rest = next;
    }
    Ok(total)
}

enum Scaled {
    Exact(u64),
    /// Not a whole number of the base unit.
    Inexact,
    TooLarge,
}

/// `number` (digits, maybe with a fraction: `1.5`) times `per`; `None` when `number` is malformed.
fn scaled(number: &str, per: u64) -> Option<Scaled> {
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let malformed = int.is_empty()
        || !all_digits(int)
        || !all_digits(frac)
        || (number.contains('.') && frac.is_empty());
    if malformed {
        return None;
    }
    let Some(whole) = int.parse::<u64>().ok().and_then(|i| i.checked_mul(per)) else {
        return Some(Scaled::TooLarge);
    };
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        return Some(Scaled::Exact(whole));
    }
    if frac.len() > MAX_FRACTION_DIGITS {
        return Some(Scaled::Inexact);
    }
    let digits: u128 = frac.parse().ok()?;
    let denominator = 10u128.pow(u32::try_from(frac.len()).ok()?);
    let numerator = digits * u128::from(per);
    if numerator % denominator != 0 {
        return Some(Scaled::Inexact);
    }
    let part = u64::try_from(numerator / denominator).ok()?;
    Some(match whole.checked_add(part) {
        Some(v) => Scaled::Exact(v),
        None => Scaled::TooLarge,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts;

    #[test]
    fn sizes() {
        for (text, want) in [
            ("200MB", 200_000_000),
            ("1.5GB", 1_500_000_000),
            ("512KiB", 512 << 10),
            ("0", 0),
            ("0B", 0),
            ("512", 512),
            ("1.05kB", 1050),
            ("8GB", 8_000_000_000),
        ] {
            assert_eq!(size(text), Ok(want), "{text}");
            assert_eq!(facts::size::parse(text), Some(want), "{text}");
        }
        // exact where docker's reader rounds a binary fraction
        assert_eq!(size("1.5KiB"), Ok(1536));
        for (text, reason) in [
            ("0.5B", "not a whole number of bytes"),
            ("1.1KiB", "not a whole number of bytes"),
            ("200M", "`M` is ambiguous: write `MB`"),
            ("200k", "write `KB`"),
            ("200 MB", "together"),
            ("1GX", "`GX` is not a unit"),
            ("MB", "expected a number"),
            ("1.MB", "expected a number"),
            (".5MB", "expected a number"),
            ("1.2.3MB", "expected a number"),
            ("99999999999TB", "too large"),
        ] {
            let got = size(text).unwrap_err();
            assert!(got.contains(reason), "{text}: {got}");
        }
    }

    #[test]
    fn durations() {
        for (text, want) in [
            ("30s", 30_000_000_000),
            ("1m30s", 90_000_000_000),
            ("1h", 3_600_000_000_000),
            ("1.5s", 1_500_000_000),
            ("500ms", 500_000_000),
            ("1.5us", 1_500),
            ("2µs", 2_000),
            ("1h1m1s1ms1us1ns", 3_661_001_001_001),
            ("0", 0),
            ("0s", 0),
            ("0.000000001s", 1),
        ] {
            assert_eq!(duration(text), Ok(want), "{text}");
            assert_eq!(facts::duration::parse(text), Some(want), "{text}");
        }
        for (text, reason) in [
            ("1s1m", "`m` after `s`"),
            ("1s1s", "`s` after `s`"),
            ("1us1µs", "after"),
            ("0.0000000001s", "finer than a nanosecond"),
            ("1.5ns", "finer than a nanosecond"),
            ("30", "`30` needs a unit"),
            ("30 seconds", "without spaces"),
            ("3x", "`x` is not a unit"),
            ("s", "expected a number"),
            ("", "expected a number"),
            ("99999999999999999999h", "too long"),
            ("5000000h5000000h", "after"),
        ] {
            let got = duration(text).unwrap_err();
            assert!(got.contains(reason), "{text}: {got}");
        }
    }
}
