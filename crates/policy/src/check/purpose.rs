//! Purposes: defined, backed by a documented risk, limited to their time,
//! never the judging of work (R-PURPOSE-DEFINED, R-CONCRETE-RISK,
//! R-TIME-WINDOW, R-PURPOSE-WORKCONTROL).

use super::text::Text;
use super::{Findings, Severity, Subject};
use crate::config::raw::PurposeKind;
use crate::policy::Window;
use crate::rule::Rule;

fn kinds(s: &Subject<'_>) -> Vec<PurposeKind> {
    s.camera.purposes.iter().map(|p| p.kind).collect()
}

/// A purpose for `kind` in words: `staff safety`.
fn words(kind: PurposeKind) -> String {
    kind.name().replace('_', " ")
}

/// R-PURPOSE-DEFINED: a purpose is stated, and footage is used only for one.
pub(super) fn defined(s: &Subject<'_>, out: &mut Findings<'_>) {
    let kinds = kinds(s);
    let rule = Rule::PurposeDefined;
    if kinds.is_empty() {
        out.add(rule, Severity::Violation, Text::NoPurpose);
    } else if kinds.iter().all(|k| *k == PurposeKind::Other) {
        out.add(rule, Severity::Violation, Text::OnlyOther);
    } else if kinds.contains(&PurposeKind::Other) {
        out.add(rule, Severity::Warning, Text::SomeOther);
    }
    for used in &s.camera.facts.reused_for {
        if *used != PurposeKind::WorkPerformance && !kinds.contains(used) {
            let purpose = words(*used);
            out.add(
                rule,
                Severity::Violation,
                Text::ReusedForUnstated { purpose },
            );
        }
    }
}

/// R-CONCRETE-RISK: a safety purpose needs a documented risk.
pub(super) fn concrete_risk(s: &Subject<'_>, out: &mut Findings<'_>) {
    let risk = s.camera.facts.risk_documented;
    for p in s.camera.purposes.iter().filter(|p| p.kind.is_safety()) {
        if risk != Some(true) {
            let text = Text::ConcreteRisk {
                purpose: p.kind.name(),
                stated_none: risk == Some(false),
            };
            out.add(Rule::ConcreteRisk, Severity::Warning, text);
        }
    }
}

/// R-TIME-WINDOW: burglary and vandalism only outside opening hours.
pub(super) fn time_window(s: &Subject<'_>, out: &mut Findings<'_>) {
    let site = s.camera.site();
    let after_closing_only = kinds(s).iter().all(|k| k.is_after_closing());
    let open = Window::OpeningHours.as_schedules(site);
    for p in s
        .camera
        .purposes
        .iter()
        .filter(|p| p.kind.is_after_closing())
    {
        if p.when.as_schedules(site).overlaps(&open) {
            let severity = if after_closing_only {
                Severity::Violation
            } else {
                Severity::Warning
            };
            let films = if p.when_stated {
                p.when.describe()
            } else {
                "at all times".to_owned()
            };
            let text = Text::TimeWindow {
                purpose: p.kind.name(),
                films,
                whole_frame: after_closing_only,
            };
            out.add(Rule::TimeWindow, severity, text);
        }
    }
}

/// R-PURPOSE-WORKCONTROL: never to judge work, nor footage reused for it.
pub(super) fn work_control(s: &Subject<'_>, out: &mut Findings<'_>) {
    let kinds = kinds(s);
    let work = PurposeKind::WorkPerformance;
    if kinds.contains(&work) {
        out.add(
            Rule::PurposeWorkcontrol,
            Severity::Violation,
            Text::WorkPerformance,
        );
    }
    if s.camera.facts.reused_for.contains(&work) && !kinds.contains(&work) {
        let purposes = kinds
            .iter()
            .map(|k| words(*k))
            .collect::<Vec<_>>()
            .join(", ");
        out.add(
            Rule::PurposeWorkcontrol,
            Severity::Violation,
            Text::ReusedForWork { purposes },
        );
    }
}
