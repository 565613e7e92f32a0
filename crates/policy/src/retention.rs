//! How long a camera's recordings may be kept (kameraforskriften § 6,
//! rules.md §3 R-RETENTION): the one implementation that `check` judges a
//! site's `retention_days` by and that `sladd retention` deletes by.
//!
//! - 7 days [R-RETENTION-7D];
//! - 3 calendar months at a point of sale taking cards or ID, or on post or
//!   bank premises [R-RETENTION-3M-POS]: footage from 31 January may be
//!   kept until 30 April;
//! - up to `dpa_exemption_days` where Datatilsynet granted an exemption
//!   [R-RETENTION-DPA-EXEMPT];
//! - a clip held for the police up to 30 days, clip by clip
//!   [R-RETENTION-30D-POLICE] (3 months where that rule applies).
//!
//! Days are calendar days in the site's time zone, so a deadline keeps the
//! wall-clock time across daylight-saving changes; months are calendar
//! months with the day clamped to the month's end ([`three_months_after`]).

use std::fmt;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

use crate::policy::Camera;
use crate::rule::Rule;

/// Days recordings may be kept without an extended category.
pub const DEFAULT_DAYS: u32 = 7;
/// Days a clip for the police may be held.
pub const POLICE_DAYS: u32 = 30;

/// The last day footage recorded on `recorded` may be kept at a point of
/// sale or post/bank premises: three calendar months later (31 January →
/// 30 April).
#[must_use]
pub fn three_months_after(recorded: Date) -> Date {
    recorded
        .checked_add(Span::new().months(3))
        .unwrap_or(recorded)
}

/// The shortest three-calendar-month span in days (89: 31 January to 30
/// April in a common year). A fixed `retention_days` above it keeps some
/// day's footage beyond three months.
#[must_use]
pub fn shortest_three_months_days() -> u32 {
    let start = jiff::civil::date(2001, 1, 1);
    (0..(4 * 366))
        .filter_map(|i| start.checked_add(Span::new().days(i)).ok())
        .filter_map(|d| {
            (three_months_after(d) - d)
                .total(jiff::Unit::Day)
                .ok()
                .map(|days| days as u32)
        })
        .min()
        .unwrap_or(89)
}

/// A length of time recordings may be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Calendar days in the site's time zone.
    Days(u32),
    /// Three calendar months.
    ThreeMonths,
}

impl Period {
    /// The instant `end` plus this period, in `tz`: the same wall-clock
    /// time `n` days later (across daylight-saving changes), or on the day
    /// [`three_months_after`] gives. A wall-clock time that does not exist
    /// on that day (a spring-forward gap) moves forward.
    #[must_use]
    pub fn after(self, end: Timestamp, tz: &TimeZone) -> Timestamp {
        let zoned = end.to_zoned(tz.clone());
        let later = match self {
            Self::Days(n) => zoned.checked_add(Span::new().days(i64::from(n))),
            Self::ThreeMonths => three_months_after(zoned.date())
                .to_datetime(zoned.time())
                .to_zoned(tz.clone()),
        };
        later.map_or(Timestamp::MAX, |z| z.timestamp())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Days(1) => f.write_str("1 day"),
            Self::Days(n) => write!(f, "{n} days"),
            Self::ThreeMonths => f.write_str("3 calendar months"),
        }
    }
}

/// The longest time the law allows one of several periods to give: the
/// latest of their deadlines, and the rule that allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalLimit {
    /// The periods the site's facts allow, each with its rule.
    pub periods: Vec<(Period, Rule)>,
}

impl LegalLimit {
    /// What the law allows a camera's recordings: 7 days, or 3 months at a
    /// point of sale or post/bank premises, or Datatilsynet's exemption.
    #[must_use]
    pub fn for_recordings(camera: &Camera) -> Self {
        let site = camera.site();
        let base = if site.payment_or_id || site.post_or_bank {
            (Period::ThreeMonths, Rule::Retention3mPos)
        } else {
            (Period::Days(DEFAULT_DAYS), Rule::Retention7d)
        };
        let mut periods = vec![base];
        if let Some(days) = camera.facts.dpa_exemption_days {
            periods.push((Period::Days(days), Rule::RetentionDpaExempt));
        }
        Self { periods }
    }

    /// What the law allows a recording under a legal hold (a clip for the
    /// police): 30 days, or the longer of the recording limits.
    #[must_use]
    pub fn for_holds(camera: &Camera) -> Self {
        let mut limit = Self::for_recordings(camera);
        limit
            .periods
            .insert(0, (Period::Days(POLICE_DAYS), Rule::Retention30dPolice));
        limit
    }

    /// The latest lawful deadline for a recording that ended at `end`, and
    /// the rule allowing it.
    #[must_use]
    pub fn deadline(&self, end: Timestamp, tz: &TimeZone) -> (Timestamp, Period, Rule) {
        let mut best = (Timestamp::MIN, Period::Days(0), Rule::Retention7d);
        for &(period, rule) in &self.periods {
            let at = period.after(end, tz);
            if at > best.0 {
                best = (at, period, rule);
            }
        }
        best
    }
}

/// When a recording must be gone, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// The last instant the recording may be kept; it is overdue after it.
    pub at: Timestamp,
    /// The period that set it.
    pub period: Period,
    /// The rule of law that bounds it.
    pub rule: Rule,
    /// Whether the camera's own `retention_days` set it (shorter than the
    /// law allows) rather than the legal maximum.
    pub stated: bool,
}

/// A camera's retention: the shorter of its `retention_days` and what the
/// law allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    /// The camera's `retention_days`, if stated.
    pub stated_days: Option<u32>,
    /// What the law allows its recordings.
    pub legal: LegalLimit,
}

impl Retention {
    /// The retention of `camera`'s recordings.
    #[must_use]
    pub fn of(camera: &Camera) -> Self {
        Self {
            stated_days: camera.facts.retention_days,
            legal: LegalLimit::for_recordings(camera),
        }
    }

    /// The deadline of a recording that ended at `end`, in the site's time
    /// zone `tz`.
    #[must_use]
    pub fn deadline(&self, end: Timestamp, tz: &TimeZone) -> Deadline {
        let (legal_at, period, rule) = self.legal.deadline(end, tz);
        let legal = Deadline {
            at: legal_at,
            period,
            rule,
            stated: false,
        };
        match self.stated_days {
            Some(days) => {
                let stated = Period::Days(days).after(end, tz);
                if stated < legal_at {
                    Deadline {
                        at: stated,
                        period: Period::Days(days),
                        rule,
                        stated: true,
                    }
                } else {
                    legal
                }
            }
            None => legal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn oslo() -> TimeZone {
        TimeZone::get("Europe/Oslo").unwrap()
    }

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn three_months_clamp_to_the_months_end() {
        assert_eq!(three_months_after(date(2026, 1, 31)), date(2026, 4, 30));
        assert_eq!(three_months_after(date(2024, 11, 30)), date(2025, 2, 28));
        assert_eq!(three_months_after(date(2024, 3, 15)), date(2024, 6, 15));
        assert_eq!(shortest_three_months_days(), 89);
    }

    #[test]
    fn days_keep_the_wall_clock_across_daylight_saving() {
        // Spring forward in Oslo: 2026-03-29 02:00 -> 03:00.
        let end = t("2026-03-25T23:30:00+01:00");
        assert_eq!(
            Period::Days(7).after(end, &oslo()),
            t("2026-04-01T23:30:00+02:00")
        );
        // Fall back: 2026-10-25 03:00 -> 02:00; a night recording's week.
        let end = t("2026-10-24T02:30:00+02:00");
        assert_eq!(
            Period::Days(7).after(end, &oslo()),
            t("2026-10-31T02:30:00+01:00")
        );
        // A deadline that lands in the spring-forward gap moves forward.
        let end = t("2026-03-22T02:30:00+01:00");
        assert_eq!(
            Period::Days(7).after(end, &oslo()),
            t("2026-03-29T03:30:00+02:00")
        );
    }

    #[test]
    fn months_at_a_point_of_sale() {
        let end = t("2026-01-31T18:00:00+01:00");
        assert_eq!(
            Period::ThreeMonths.after(end, &oslo()),
            t("2026-04-30T18:00:00+02:00")
        );
    }
}
