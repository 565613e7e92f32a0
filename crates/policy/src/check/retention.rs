//! How long recordings are kept (R-RETENTION-7D, R-RETENTION-3M-POS,
//! R-RETENTION-30D-POLICE, R-RETENTION-DPA-EXEMPT), judged by the limits of
//! [`crate::retention`] that `sladd retention` deletes by.

use super::text::Text;
use super::{shortest_three_months_days, Findings, Severity, Subject};
use crate::retention::{LegalLimit, Period, DEFAULT_DAYS, POLICE_DAYS};
use crate::rule::Rule;

/// The retention limit that applies, and any police hold beyond 30 days.
pub(super) fn retention(s: &Subject<'_>, out: &mut Findings<'_>) {
    let facts = &s.camera.facts;
    let legal = LegalLimit::for_recordings(s.camera);
    let point_of_sale = legal
        .periods
        .contains(&(Period::ThreeMonths, Rule::Retention3mPos));
    let exemption = facts.dpa_exemption_days;
    if let Some(days) = exemption {
        out.add(
            Rule::RetentionDpaExempt,
            Severity::Info,
            Text::DpaExemption { days },
        );
    }
    let police = facts.likely_police_disclosure == Some(true);
    match facts.retention_days {
        None => out.add(
            Rule::Retention7d,
            Severity::Warning,
            Text::RetentionUnstated,
        ),
        Some(days) if exemption.is_some_and(|e| days <= e) => {}
        Some(days) if point_of_sale => {
            let limit = shortest_three_months_days();
            if days > limit {
                let text = Text::OverThreeMonths {
                    days,
                    limit,
                    police,
                };
                out.add(Rule::Retention3mPos, Severity::Violation, text);
            } else if days > DEFAULT_DAYS && facts.retention_need_documented != Some(true) {
                let text = Text::PointOfSaleUndocumented { days };
                out.add(Rule::Retention3mPos, Severity::Info, text);
            }
        }
        Some(days) if days > DEFAULT_DAYS => {
            out.add(
                Rule::Retention7d,
                Severity::Violation,
                Text::OverSevenDays { days, police },
            );
        }
        Some(_) => {}
    }
    if let Some(days) = facts.police_hold_days.filter(|d| *d > POLICE_DAYS) {
        out.add(
            Rule::Retention30dPolice,
            Severity::Violation,
            Text::PoliceHold { days },
        );
    }
}
