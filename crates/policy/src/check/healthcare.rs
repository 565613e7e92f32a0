//! The healthcare profile's camera checks (H-STAFF-CONSENT, H-MEDIA).

use super::text::Text;
use super::{Findings, Severity, Subject};
use crate::config::raw::Sector;
use crate::rule::Rule;

/// H-STAFF-CONSENT and H-MEDIA, on healthcare sites only.
pub(super) fn camera(s: &Subject<'_>, out: &mut Findings<'_>) {
    if s.camera.site().sector != Sector::Healthcare {
        return;
    }
    let facts = &s.camera.facts;
    if facts.staff_consent_recorded != Some(true) {
        out.add(Rule::HStaffConsent, Severity::Warning, Text::NoStaffConsent);
    }
    if facts.media_production == Some(true) {
        out.add(Rule::HMedia, Severity::Info, Text::MediaProduction);
    }
}
