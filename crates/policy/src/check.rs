//! The compliance report (rules.md §3, §4). (Being written.)

use serde::Serialize;

use crate::policy::Policy;
use crate::rule::Rule;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For information: what sladd masks, and why.
    Info,
    /// A missing fact or a recommendation.
    Warning,
    /// A fact of the set-up that masking cannot mend.
    Violation,
}

/// One finding of the compliance report.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The rule.
    pub id: Rule,
    /// How serious.
    pub severity: Severity,
    /// The camera (`None` for site-wide findings).
    pub camera: Option<String>,
    /// The zone, if the finding is about one.
    pub zone: Option<String>,
    /// What a site manager should know or do.
    pub message: String,
    /// Where the rule comes from.
    pub source: &'static str,
}

/// The compliance report for every camera of `policy`.
#[must_use]
pub fn check(policy: &Policy, instant: Option<jiff::Timestamp>) -> Vec<Finding> {
    let _ = (policy, instant);
    Vec::new()
}
