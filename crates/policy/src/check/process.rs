//! Documentation and process: the written assessment and routines, the
//! Working Environment Act's process, notice to staff, yearly review,
//! objections and the legal basis (R-DOC-BEFORE-START, R-INTERNAL-CONTROL,
//! R-AML-PROCESS, R-INFO-STAFF, R-REEVAL-YEARLY, R-OBJECTION,
//! R-CONSENT-BASIS).

use jiff::Span;

use super::text::Text;
use super::{Findings, Severity, Subject};
use crate::config::raw::LegalBasis;
use crate::rule::Rule;

/// R-DOC-BEFORE-START, R-INTERNAL-CONTROL, R-AML-PROCESS, R-INFO-STAFF.
pub(super) fn documented(s: &Subject<'_>, out: &mut Findings<'_>) {
    let facts = &s.camera.facts;
    out.required(
        Rule::DocBeforeStart,
        facts.documented_assessment,
        (
            "documented_assessment",
            "a written necessity and balancing assessment was made before start",
        ),
        Text::NoAssessment,
    );
    out.required(
        Rule::InternalControl,
        facts.written_routines,
        (
            "written_routines",
            "written routines for deletion, access and disclosure exist",
        ),
        Text::NoRoutines,
    );
    let mut missing = Vec::new();
    if facts.union_discussed == Some(false) {
        missing.push("discussed with the union representatives");
    }
    if facts.staff_informed == Some(false) {
        missing.push("announced to staff before it started");
    }
    if missing.is_empty() {
        out.unstated(
            Rule::AmlProcess,
            facts.union_discussed,
            (
                "union_discussed",
                "the camera was discussed with the union representatives",
            ),
        );
        out.unstated(
            Rule::AmlProcess,
            facts.staff_informed,
            ("staff_informed", "staff were informed before start"),
        );
    } else {
        let missing = missing.join(" nor ");
        out.add(
            Rule::AmlProcess,
            Severity::Violation,
            Text::AmlNotDone { missing },
        );
    }
    out.required(
        Rule::InfoStaff,
        facts.written_notice,
        ("written_notice", "staff got written notice"),
        Text::NoWrittenNotice,
    );
}

/// R-REEVAL-YEARLY: reviewed within the last 12 months.
pub(super) fn reevaluated(s: &Subject<'_>, out: &mut Findings<'_>) {
    match (s.camera.facts.last_reviewed, s.today) {
        (None, _) => out.add(Rule::ReevalYearly, Severity::Warning, Text::NoReviewDate),
        (Some(d), Some(today)) => {
            let due = d.checked_add(Span::new().months(12)).unwrap_or(d);
            if due < today {
                let last = d.to_string();
                out.add(
                    Rule::ReevalYearly,
                    Severity::Warning,
                    Text::ReviewOverdue { last },
                );
            }
        }
        (Some(_), None) => {}
    }
}

/// R-OBJECTION: an objection needs documented compelling grounds.
pub(super) fn objection(s: &Subject<'_>, out: &mut Findings<'_>) {
    let facts = &s.camera.facts;
    let (severity, text) = match facts.employee_objection {
        Some(true) if facts.compelling_grounds_documented == Some(true) => {
            (Severity::Warning, Text::ObjectionJustified)
        }
        Some(true) => (Severity::Violation, Text::Objection),
        Some(false) => return,
        None => (Severity::Warning, Text::ObjectionUnstated),
    };
    out.add(Rule::Objection, severity, text);
}

/// R-CONSENT-BASIS: a legal basis is stated, and it is not consent.
pub(super) fn legal_basis(s: &Subject<'_>, out: &mut Findings<'_>) {
    match s.camera.facts.legal_basis {
        Some(LegalBasis::Consent) => {
            out.add(Rule::ConsentBasis, Severity::Warning, Text::ConsentBasis)
        }
        Some(_) => {}
        None => out.add(Rule::ConsentBasis, Severity::Warning, Text::NoLegalBasis),
    }
}
