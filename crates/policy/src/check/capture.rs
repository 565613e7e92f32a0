//! What the camera captures and who sees it: sound, remote live viewing,
//! turning towards staff, access, third-party operators (R-AUDIO,
//! R-REMOTE-LIVE, R-PTZ-STAFF, R-ACCESS, R-SCOPE-THIRD-PARTY).

use super::text::Text;
use super::{Findings, Severity, Subject};
use crate::config::raw::Area;
use crate::rule::Rule;

/// R-AUDIO.
pub(super) fn audio(s: &Subject<'_>, out: &mut Findings<'_>) {
    let facts = &s.camera.facts;
    match facts.audio {
        Some(true) if facts.audio_justified == Some(true) => {
            out.add(Rule::Audio, Severity::Warning, Text::AudioJustified);
        }
        Some(true) => out.add(Rule::Audio, Severity::Violation, Text::Audio),
        _ => out.forbidden(
            Rule::Audio,
            facts.audio,
            "the camera records sound",
            "audio",
        ),
    }
}

/// R-REMOTE-LIVE.
pub(super) fn remote_live(s: &Subject<'_>, out: &mut Findings<'_>) {
    let facts = &s.camera.facts;
    match facts.remote_live_access {
        Some(true) if facts.remote_justified == Some(true) => {
            out.add(Rule::RemoteLive, Severity::Warning, Text::RemoteJustified);
        }
        Some(true) => out.add(Rule::RemoteLive, Severity::Violation, Text::Remote),
        _ => out.forbidden(
            Rule::RemoteLive,
            facts.remote_live_access,
            "live video can be watched remotely",
            "remote_live_access",
        ),
    }
}

/// R-PTZ-STAFF: a camera that can turn can reach the staff's zones.
pub(super) fn rotatable(s: &Subject<'_>, out: &mut Findings<'_>) {
    let staff_zones: Vec<&str> = s
        .camera
        .zones
        .iter()
        .filter(|z| matches!(z.area, Area::RestrictedCircle | Area::Private))
        .map(|z| z.name.as_str())
        .collect();
    match s.camera.facts.rotatable {
        Some(true) => {
            let staff_zones = staff_zones.join(", ");
            out.add(
                Rule::PtzStaff,
                Severity::Warning,
                Text::Rotatable { staff_zones },
            );
        }
        Some(false) => {}
        None => out.add(Rule::PtzStaff, Severity::Warning, Text::RotatableUnstated),
    }
}

/// R-ACCESS: few viewers, by role.
pub(super) fn access(s: &Subject<'_>, out: &mut Findings<'_>) {
    let facts = &s.camera.facts;
    if facts.viewers.is_none() && facts.role_based_access.is_none() {
        out.add(Rule::Access, Severity::Warning, Text::AccessUnstated);
        return;
    }
    if let Some(viewers) = facts.viewers.filter(|n| *n > 3) {
        out.add(
            Rule::Access,
            Severity::Warning,
            Text::ManyViewers { viewers },
        );
    }
    if facts.role_based_access == Some(false) {
        out.add(Rule::Access, Severity::Warning, Text::NoRoleBasedAccess);
    }
}

/// R-SCOPE-THIRD-PARTY: the rules apply to a camera run by someone else.
pub(super) fn third_party(s: &Subject<'_>, out: &mut Findings<'_>) {
    if s.camera.facts.operator_third_party == Some(true) {
        out.add(Rule::ScopeThirdParty, Severity::Info, Text::ThirdParty);
    }
}
