//! The image's history as the chart draws it: one bar per layer (oldest first) with its size and
//! instruction, and the requirements that failed on it. Pure; tested natively.

use clearance_core::facts::{Fact, FactValue, Subject};
use clearance_core::report::{Status, SubjectReport};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub index: usize,
    /// `RUN`, `COPY`, … (empty when unknown).
    pub instruction: String,
    /// The command that made the layer, masked as the engine shows it.
    pub created_by: String,
    pub size: u64,
    pub empty: bool,
    /// Ids of the requirements that failed (or could not be decided) with this layer as evidence.
    pub failed: Vec<String>,
}

fn text(f: Option<&Fact>) -> String {
    match f.map(|f| &f.value) {
        Some(FactValue::Text(t)) => t.shown().to_string(),
        _ => String::new(),
    }
}

/// The layers of a subject (empty when no history was given).
pub fn layers(subject: &Subject, report: Option<&SubjectReport>) -> Vec<Layer> {
    let Some(list) = subject.facts.get("history").and_then(Fact::as_list) else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .map(|(i, f)| {
            let index = match f.get("index").map(|f| &f.value) {
                Some(FactValue::Int(n)) => usize::try_from(*n).unwrap_or(i),
                _ => i,
            };
            let size = match f.get("size").map(|f| &f.value) {
                Some(FactValue::Size(n)) => *n,
                Some(FactValue::Int(n)) => u64::try_from(*n).unwrap_or(0),
                _ => 0,
            };
            let empty = matches!(
                f.get("empty_layer").map(|f| &f.value),
                Some(FactValue::Bool(true))
            );
            let failed = report
                .map(|r| {
                    r.results
                        .iter()
                        .filter(|res| matches!(res.status, Status::Fail | Status::Error))
                        .filter(|res| res.evidence.iter().any(|e| e.layer == Some(index)))
                        .map(|res| res.id.to_string())
                        .collect()
                })
                .unwrap_or_default();
            Layer {
                index,
                instruction: text(f.get("instruction")),
                created_by: text(f.get("created_by")),
                size,
                empty,
                failed,
            }
        })
        .collect()
}

/// Human size: `0 B`, `812 B`, `4.2 kB`, `118 MB` (decimal units, as docker prints them).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    let name = UNITS.get(unit).copied().unwrap_or("B");
    if unit == 0 {
        format!("{bytes} B")
    } else if value < 10.0 {
        format!("{value:.1} {name}")
    } else {
        format!("{value:.0} {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(4_200), "4.2 kB");
        assert_eq!(human_size(118_000_000), "118 MB");
    }
}
