//! Handing footage over (R-DISCLOSE, R-DISCLOSE-CONFIDENTIAL), judged by
//! [`crate::disclosure::judge`], the rule `sladd export` applies.

use super::text::Text;
use super::{Findings, Severity, Subject};
use crate::config::raw::Recipient;
use crate::disclosure;

/// Each recorded disclosure: to the police, to the person shown, or with
/// consent or a legal basis. Lawful disclosures other than to the police
/// are not reported.
pub(super) fn disclosure(s: &Subject<'_>, out: &mut Findings<'_>) {
    for d in &s.camera.facts.disclosures {
        let verdict = disclosure::judge(s.camera.site(), d.to, d.consent, d.statutory);
        let text = match (verdict.allowed, verdict.severity, d.to) {
            (true, Severity::Info, Recipient::Police) => Text::Police,
            (true, Severity::Info, _) => continue,
            (true, _, _) => Text::HandedAfterReview {
                ground: verdict.ground,
            },
            (false, _, Recipient::SocialMedia) => Text::PostedOnline,
            (false, _, _) => Text::Disclosed {
                ground: verdict.ground,
            },
        };
        out.add(verdict.rule, verdict.severity, text);
    }
}
