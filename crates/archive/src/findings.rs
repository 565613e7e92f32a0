//! What `sladd check` says of an archive: recordings kept past their
//! deadline, holds past their lawful end or expired, recordings of unknown
//! age.

use sladd_policy::{Finding, Rule, Severity};

use crate::retention::{Action, Entry, HoldState, Plan};

/// The compliance findings of a retention plan, camera by camera.
#[must_use]
pub fn findings(plan: &Plan) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut cameras: Vec<&str> = plan
        .entries
        .iter()
        .map(|e| e.recording.camera.as_str())
        .collect();
    cameras.dedup();
    for camera in cameras {
        let of = |action: Action| -> Vec<&Entry> {
            plan.entries
                .iter()
                .filter(|e| e.recording.camera == camera && e.action == action)
                .collect()
        };
        let overdue = of(Action::Delete);
        if let Some(oldest) = overdue.iter().min_by_key(|e| e.deadline) {
            out.push(finding(
                oldest.rule,
                Severity::Violation,
                camera,
                format!(
                    "{} recording{} kept longer than the {} allowed (the oldest, {}, overdue since {}). Delete {} with `sladd retention --apply`.",
                    overdue.len(),
                    if overdue.len() == 1 { " is" } else { "s are" },
                    oldest.limit.as_deref().unwrap_or("time"),
                    oldest.recording.path.display(),
                    oldest.deadline.map(|t| t.to_string()).unwrap_or_default(),
                    if overdue.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
        let unknown = of(Action::UnknownAge);
        if let Some(first) = unknown.first() {
            out.push(finding(
                Rule::RetentionUnknownAge,
                Severity::Warning,
                camera,
                format!(
                    "{} recording{} no established start (e.g. {}: {}). sladd keeps {} and never discloses {}; give the start with `recorded_at` or fix the camera's clock (`clock_valid_from`).",
                    unknown.len(),
                    if unknown.len() == 1 { " has" } else { "s have" },
                    first.recording.path.display(),
                    first.recording.unknown.as_deref().unwrap_or("unknown"),
                    if unknown.len() == 1 { "it" } else { "them" },
                    if unknown.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
    }
    for status in &plan.holds {
        let hold = &status.hold;
        match status.state {
            HoldState::Active => {}
            HoldState::Expired => out.push(finding(
                Rule::Retention30dPolice,
                Severity::Warning,
                &hold.camera,
                format!(
                    "The hold for case {} ended on {}; its {} recording{} follow{} the normal deadline again. Remove the hold from the holds file.",
                    hold.case,
                    hold.until,
                    status.recordings,
                    if status.recordings == 1 { "" } else { "s" },
                    if status.recordings == 1 { "s" } else { "" },
                ),
            )),
            HoldState::PastLawfulEnd => out.push(finding(
                Rule::Retention30dPolice,
                if status.lawful_end.is_some_and(|end| plan.now > end) {
                    Severity::Violation
                } else {
                    Severity::Warning
                },
                &hold.camera,
                format!(
                    "The hold for case {} runs until {}, past the longest lawful retention of its recordings (from {}); sladd deletes them at that end all the same.",
                    hold.case,
                    hold.until,
                    status.lawful_end.map(|t| t.to_string()).unwrap_or_default(),
                ),
            )),
        }
    }
    out
}

fn finding(id: Rule, severity: Severity, camera: &str, message: String) -> Finding {
    Finding {
        id,
        severity,
        camera: Some(camera.to_owned()),
        zone: None,
        message,
        source: id.source(),
    }
}
