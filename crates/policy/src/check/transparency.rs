//! Transparency: a sign seen before entry that names the controller (and
//! the sound), and no hidden camera (R-SIGNAGE, R-HIDDEN, H-HIDDEN).

use super::text::Text;
use super::{Findings, Severity, Subject};
use crate::config::raw::Sector;
use crate::rule::Rule;

/// R-SIGNAGE.
pub(super) fn signage(s: &Subject<'_>, out: &mut Findings<'_>) {
    let facts = &s.camera.facts;
    let rule = Rule::Signage;
    match facts.signage {
        Some(false) => out.add(rule, Severity::Violation, Text::NoSign),
        None => out.add(rule, Severity::Warning, Text::SignageUnstated),
        Some(true) => {
            if facts.sign_before_entry == Some(false) {
                out.add(rule, Severity::Violation, Text::SignAfterEntry);
            }
            if facts.sign_names_controller == Some(false) {
                out.add(rule, Severity::Violation, Text::SignUnnamed);
            }
            if facts.audio == Some(true) {
                match facts.sign_mentions_audio {
                    Some(true) => {}
                    Some(false) => out.add(rule, Severity::Violation, Text::SignSilentOnAudio),
                    None => out.add(rule, Severity::Warning, Text::SignAudioUnstated),
                }
            }
        }
    }
}

/// R-HIDDEN, and H-HIDDEN on healthcare sites.
pub(super) fn hidden(s: &Subject<'_>, out: &mut Findings<'_>) {
    let hidden = s.camera.facts.hidden;
    if hidden == Some(true) {
        out.add(Rule::Hidden, Severity::Violation, Text::Hidden);
        if s.camera.site().sector == Sector::Healthcare {
            out.add(Rule::HHidden, Severity::Warning, Text::HiddenHealthcare);
        }
    }
    out.forbidden(Rule::Hidden, hidden, "the camera is hidden", "hidden");
}
