//! Sizes as docker prints them (`12.3MB`, `0B`, `1.05kB`) and policies write them (`200MB`, `1GiB`).
//! Docker's units are decimal (kB = 1000 B); the binary units (KiB, MiB, GiB) are accepted too.

/// Docker's decimal units (`KB` read as docker's `kB`) and the binary ones: what a policy may write too
/// (`policy::literal` reads its sizes with these).
pub(crate) const UNITS: [(&str, u64); 10] = [
    ("B", 1),
    ("kB", 1_000),
    ("KB", 1_000),
    ("MB", 1_000_000),
    ("GB", 1_000_000_000),
    ("TB", 1_000_000_000_000),
    ("KiB", 1 << 10),
    ("MiB", 1 << 20),
    ("GiB", 1 << 30),
    ("TiB", 1 << 40),
];

/// Short forms read in dumps only (`512M`): a policy may not write them (`--memory 512m` means MiB).
const SHORT_UNITS: [(&str, u64); 3] = [("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000)];

/// Parses `200MB`, `12.3MB`, `0B`, `512` (bytes). Returns `None` when malformed or out of range.
pub fn parse(text: &str) -> Option<u64> {
    let s = text.trim();
    let num_len = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(num_len);
    let unit = unit.trim();
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') {
        return None;
    }
    let per = if unit.is_empty() {
        1
    } else {
        UNITS
            .iter()
            .chain(&SHORT_UNITS)
            .find(|(u, _)| *u == unit)
            .map(|(_, n)| *n)?
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let mut value = int.parse::<u64>().ok()?.checked_mul(per)?;
    let mut place = per;
    for digit in frac.chars() {
        place /= 10;
        value = value.checked_add(u64::from(digit.to_digit(10)?).checked_mul(place)?)?;
    }
    Some(value)
}

/// Formats bytes with docker's decimal units and three significant digits (`0B`, `512B`, `1.05kB`,
/// `12.3MB`, `1.2GB`) when that is exact, else in whole binary units when those are (`512MiB`, as
/// `--memory 512m` sets), else the rounded form with the exact count (`200MB (200000001 bytes)`): a
/// message must not say `200MB, expected ≤ 200MB` of a size that fails.
pub fn format(bytes: u64) -> String {
    let short = human(bytes);
    if parse(&short) == Some(bytes) {
        return short;
    }
    for (name, per) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if bytes % per == 0 && bytes / per < 10_000 {
            return format!("{}{name}", bytes / per);
        }
    }
    format!("{short} ({bytes} bytes)")
}

fn human(bytes: u64) -> String {
    const STEPS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut unit = 0;
    let mut scaled = bytes as f64;
    while scaled >= 1000.0 && unit + 1 < STEPS.len() {
        scaled /= 1000.0;
        unit += 1;
    }
    let name = STEPS.get(unit).copied().unwrap_or("B");
    if unit == 0 {
        return format!("{bytes}B");
    }
    let text = if scaled >= 100.0 {
        format!("{scaled:.0}")
    } else if scaled >= 10.0 {
        format!("{scaled:.1}")
    } else {
        format!("{scaled:.2}")
    };
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_docker_sizes() {
        assert_eq!(parse("0B"), Some(0));
        assert_eq!(parse("12.3MB"), Some(12_300_000));
        assert_eq!(parse("1.05kB"), Some(1_050));
        assert_eq!(parse("200MB"), Some(200_000_000));
        assert_eq!(parse("1GiB"), Some(1 << 30));
        assert_eq!(parse("512"), Some(512));
        assert_eq!(parse("MB"), None);
        assert_eq!(parse("1.2.3MB"), None);
        assert_eq!(parse("12XB"), None);
    }

    #[test]
    fn formats_like_docker() {
        assert_eq!(format(0), "0B");
        assert_eq!(format(512), "512B");
        assert_eq!(format(1_050), "1.05kB");
        assert_eq!(format(12_300_000), "12.3MB");
        assert_eq!(format(200_000_000), "200MB");
    }

    #[test]
    fn rounded_forms_carry_the_exact_count() {
        assert_eq!(format(200_000_001), "200MB (200000001 bytes)");
        assert_eq!(format(1 << 20), "1MiB");
        assert_eq!(format(536_870_912), "512MiB");
        assert_eq!(format(1_572_864), "1536KiB");
        assert_eq!(format(1_000_000_001), "1GB (1000000001 bytes)");
        assert_eq!(format(152_342_016), "152MB (152342016 bytes)");
        // every size docker prints reads back to the same form
        for printed in ["74.8MB", "1.05kB", "0B", "5.2GB"] {
            assert_eq!(parse(printed).map(format).as_deref(), Some(printed));
        }
    }
}
