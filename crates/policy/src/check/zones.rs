//! What is masked, when and why, zone by zone (R-AREA-PRIVATE,
//! R-AREA-MINIMISE, R-AREA-RESTRICTED, H-PATIENT).

use super::text::{now, Text};
use super::{Findings, Severity, Subject};
use crate::config::raw::Area;
use crate::decide::{decide, is_legitimate, Outcome};
use crate::policy::Window;
use crate::rule::Rule;

/// One information finding per zone sladd masks (a warning where a safety
/// purpose shows more than it needs).
pub(super) fn zones(s: &Subject<'_>, out: &mut Findings<'_>) {
    let camera = s.camera;
    let decided = s.instant.map(|t| decide(camera, Some(t)));
    let now_text = |i: usize| match decided.as_ref().and_then(|d| d.zones.get(i)) {
        Some(z) if z.outcome == Outcome::Shown => now::SHOWN,
        Some(z) if z.outcome == Outcome::ObjectOnly => now::OBJECTS,
        Some(_) => now::MASKED,
        None => "",
    };
    let safety = camera
        .purposes
        .iter()
        .any(|p| p.kind.is_safety() && is_legitimate(p.kind, camera));
    for (i, zone) in camera.zones.iter().enumerate() {
        let name = zone.name.as_str();
        let staff = || zone.staff_present.describe();
        let (rule, severity, text) = match zone.area {
            Area::Private => (Rule::AreaPrivate, Severity::Info, Text::Private),
            Area::OutsidePurpose => (Rule::AreaMinimise, Severity::Info, Text::OutsidePurpose),
            Area::Patient => (Rule::HPatient, Severity::Info, Text::Patient),
            Area::Public => continue,
            Area::RestrictedCircle if zone.staff_present == Window::Never => continue,
            Area::RestrictedCircle if safety && zone.objects.is_none() => (
                Rule::AreaMinimise,
                Severity::Warning,
                Text::WholeZoneShown {
                    staff: staff(),
                    now: now_text(i),
                },
            ),
            Area::RestrictedCircle if safety => (
                Rule::AreaRestricted,
                Severity::Info,
                Text::MaskedExceptObjects {
                    staff: staff(),
                    now: now_text(i),
                },
            ),
            Area::RestrictedCircle => (
                Rule::AreaRestricted,
                Severity::Info,
                Text::MaskedWhileStaff {
                    staff: staff(),
                    now: now_text(i),
                },
            ),
        };
        out.add_zone(rule, severity, name, text);
    }
}
