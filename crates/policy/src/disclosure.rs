//! To whom footage may be handed (rules.md §3 R-DISCLOSE, §5.9): the one
//! judgment that `check` applies to a site's stated `disclosures` and that
//! `sladd export` applies before it writes anything.
//!
//! Footage goes only to the police investigating a crime or an accident,
//! to the person shown (their right of access; everyone else stays masked
//! as always), or with the consent of those shown or a statute. Posting it
//! online or handing it to a suspect's employer is a violation. From a
//! healthcare site even the police need a manual review first (the duty of
//! confidentiality may forbid it).

use crate::check::Severity;
use crate::config::raw::{Recipient, Sector};
use crate::policy::Site;
use crate::rule::Rule;

/// The verdict on one disclosure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgment {
    /// Whether the footage may be handed over.
    pub allowed: bool,
    /// `info` (allowed), `warning` (allowed after a manual review) or
    /// `violation` (refused).
    pub severity: Severity,
    /// The rule that decided.
    pub rule: Rule,
    /// The legal ground (allowed) or what is missing (refused), in words.
    pub ground: String,
}

/// Judges handing a camera's footage from `site` to `to`; `consent` and
/// `statutory` say whether those shown consented or a statute allows it.
#[must_use]
pub fn judge(
    site: &Site,
    to: Recipient,
    consent: Option<bool>,
    statutory: Option<bool>,
) -> Judgment {
    let healthcare = site.sector == Sector::Healthcare;
    let allowed = |rule: Rule, ground: &str| Judgment {
        allowed: true,
        severity: Severity::Info,
        rule,
        ground: ground.to_owned(),
    };
    let refused = |ground: String| Judgment {
        allowed: false,
        severity: Severity::Violation,
        rule: Rule::Disclose,
        ground,
    };
    match to {
        Recipient::Police if healthcare => Judgment {
            allowed: true,
            severity: Severity::Warning,
            rule: Rule::DiscloseConfidential,
            ground: "to the police from a healthcare site: review it first, the duty of confidentiality may forbid it".to_owned(),
        },
        Recipient::Police => allowed(
            Rule::Disclose,
            "to the police, to investigate a crime or an accident",
        ),
        Recipient::DataSubject => allowed(
            Rule::Disclose,
            "to the person shown, on their request for access (GDPR Art. 15); everyone else is masked as the policy decides",
        ),
        _ if statutory == Some(true) => allowed(Rule::Disclose, "a statute allows the disclosure"),
        _ if consent == Some(true) => allowed(Rule::Disclose, "those shown consented"),
        Recipient::SocialMedia => refused(
            "posting footage online needs the consent of everyone shown".to_owned(),
        ),
        other => refused(format!(
            "handing footage to {} needs the consent of those shown or a legal basis",
            match other {
                Recipient::Employer => "someone's employer (a suspect's)",
                Recipient::Media => "the media",
                _ => "others",
            }
        )),
    }
}
