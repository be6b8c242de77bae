//! Which report rows the filters let through, grouped by section (pure; tested natively).

use crate::state::Filters;
use clearance_core::report::{RequirementResult, Status, SubjectReport};

/// The rows of one section, in report order (indices into `SubjectReport::results`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub section: String,
    pub rows: Vec<usize>,
}

/// Does one result pass the filters?
pub fn keeps(filters: &Filters, r: &RequirementResult) -> bool {
    if filters.failed_only && !matches!(r.status, Status::Fail | Status::Error) {
        return false;
    }
    if filters.severity.is_some_and(|s| s != r.severity) {
        return false;
    }
    if filters.section.as_ref().is_some_and(|s| **s != *r.section) {
        return false;
    }
    let query = filters.query.trim().to_lowercase();
    if query.is_empty() {
        return true;
    }
    [
        &*r.id,
        &*r.title,
        &*r.section,
        r.message.as_str(),
        &r.expected,
        &r.actual,
        &r.remediation,
        &r.policy,
    ]
    .iter()
    .any(|field| field.to_lowercase().contains(&query))
        || r.status.name().contains(&query)
}

/// The visible rows of a subject, grouped by section in first-seen order; empty sections left out.
pub fn groups(filters: &Filters, subject: &SubjectReport) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (i, r) in subject.results.iter().enumerate() {
        if !keeps(filters, r) {
            continue;
        }
        match out.iter_mut().find(|g| *g.section == *r.section) {
            Some(g) => g.rows.push(i),
            None => out.push(Group {
                section: r.section.to_string(),
                rows: vec![i],
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clearance_core::policy::Severity;
    use clearance_core::report::Counts;

    fn result(
        id: &str,
        section: &str,
        status: Status,
        severity: Severity,
    ) -> std::sync::Arc<RequirementResult> {
        // Built from JSON so that fields the report gains later (with defaults) need no change here.
        serde_json::from_value(serde_json::json!({
            "id": id, "title": format!("{id} title"), "section": section, "severity": severity,
            "policy": "p", "status": status, "message": "found `root`", "expected": "1001",
            "actual": "root", "evidence": [], "remediation": ""
        }))
        .unwrap()
    }

    fn subject() -> SubjectReport {
        let mut s: SubjectReport = serde_json::from_value(serde_json::json!({
            "label": "app:1", "tags": [], "digests": [], "documents": [], "verdict": "fail",
            "counts": Counts::default(), "notes": [], "results": []
        }))
        .unwrap();
        s.results = vec![
            result("USER-001", "User", Status::Fail, Severity::Error),
            result("HEALTH-001", "Health", Status::Pass, Severity::Error),
            result("USER-002", "User", Status::Error, Severity::Warning),
            result("NET-001", "Network", Status::Waived, Severity::Info),
        ];
        s
    }

    fn ids(f: &Filters) -> Vec<(String, Vec<usize>)> {
        groups(f, &subject())
            .into_iter()
            .map(|g| (g.section, g.rows))
            .collect()
    }

    #[test]
    fn groups_by_section_in_first_seen_order() {
        assert_eq!(
            ids(&Filters::default()),
            [
                ("User".to_string(), vec![0, 2]),
                ("Health".to_string(), vec![1]),
                ("Network".to_string(), vec![3])
            ]
        );
    }

    #[test]
    fn each_filter_narrows() {
        let failed = Filters {
            failed_only: true,
            ..Filters::default()
        };
        assert_eq!(ids(&failed), [("User".to_string(), vec![0, 2])]);
        let warning = Filters {
            severity: Some(Severity::Warning),
            ..Filters::default()
        };
        assert_eq!(ids(&warning), [("User".to_string(), vec![2])]);
        let health = Filters {
            section: Some("Health".into()),
            ..Filters::default()
        };
        assert_eq!(ids(&health), [("Health".to_string(), vec![1])]);
        let search = Filters {
            query: "  net-0 ".into(),
            ..Filters::default()
        };
        assert_eq!(ids(&search), [("Network".to_string(), vec![3])]);
        let nothing = Filters {
            query: "zzz".into(),
            ..Filters::default()
        };
        assert!(ids(&nothing).is_empty());
    }
}
