//! Integration tests of sladd-policy: scenarios from the seed guide, the
//! edge cases of rules.md §5, config errors and invariants.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure

mod config_errors;
mod findings;
mod invariants;
mod masker;
mod scenarios;

use std::path::PathBuf;

use jiff::Timestamp;
use sladd_policy::{decide, Decision, Outcome, Policy};

/// The repository's `fixtures/` directory.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// A fixture under `fixtures/policy/`, compiled.
pub fn policy(name: &str) -> Policy {
    let path = fixtures().join("policy").join(name);
    Policy::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An RFC 3339 instant.
pub fn at(s: &str) -> Timestamp {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// The decision for `camera` of `policy` at `when` (`None`: unknown).
pub fn plan(policy: &Policy, camera: &str, when: Option<&str>) -> Decision {
    decide(policy.camera(camera).unwrap(), when.map(at))
}

/// Asserts each named zone's outcome and deciding rule.
#[track_caller]
pub fn expect(decision: &Decision, zones: &[(&str, Outcome, &str)]) {
    for (name, outcome, rule) in zones {
        let z = decision
            .zones
            .iter()
            .find(|z| z.name == *name)
            .unwrap_or_else(|| panic!("no zone {name}"));
        assert_eq!(
            (z.outcome, z.rule.id()),
            (*outcome, *rule),
            "zone {name} at {:?}: {}",
            decision.at_local(),
            z.reason
        );
    }
}
