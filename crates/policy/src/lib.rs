//! # sladd-policy
//!
//! The site configuration, the rules of kameraforskriften and the GDPR, the
//! per-instant mask decision and the compliance report. (Being written: see
//! the policy issue.)
