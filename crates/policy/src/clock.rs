//! Whether a camera's clock can be believed: the one judgment of a
//! recording's start that retention, export and the compliance report share.
//!
//! Cameras without a set clock write the container's zero date (1904-01-01
//! in MP4 and QuickTime, 1970-01-01 elsewhere, 2001-01-01 in Matroska) or
//! drift far into the past or future. A start that cannot be believed is
//! *unknown*: time-dependent rules take their protective branch, and a
//! recording of unknown age is never deleted and never disclosed.

use std::fmt;

use jiff::civil::{date, Date};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Before this day no camera clock is trusted unless the camera's
/// `clock_valid_from` says otherwise.
pub const CLOCK_FLOOR: Date = date(2005, 1, 1);

/// How far past the time of the run a start may lie (clock skew between the
/// camera and the machine judging it).
pub const FUTURE_SLACK: SignedDuration = SignedDuration::from_hours(24);

/// The zero dates containers and file systems write when no clock was set:
/// QuickTime/MP4 (1904), Unix (1970), Matroska (2001), FAT (1980), NTFS
/// (1601). A start equal to one of them is never trusted.
const ZERO_DATES: [i64; 5] = [
    -2_082_844_800,  // 1904-01-01T00:00:00Z
    0,               // 1970-01-01T00:00:00Z
    978_307_200,     // 2001-01-01T00:00:00Z
    315_532_800,     // 1980-01-01T00:00:00Z
    -11_644_473_600, // 1601-01-01T00:00:00Z
];

/// Why a start was not trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untrusted {
    /// A container's or file system's zero date.
    ZeroDate(Timestamp),
    /// Before the earliest date the camera's clock is trusted from
    /// (`clock_valid_from`, else [`CLOCK_FLOOR`]).
    TooEarly {
        /// The start given.
        value: Timestamp,
        /// The first trusted instant.
        valid_from: Timestamp,
    },
    /// More than [`FUTURE_SLACK`] after the time of the run.
    Future {
        /// The start given.
        value: Timestamp,
        /// The time of the run.
        now: Timestamp,
    },
}

impl Untrusted {
    /// The start that was not trusted.
    #[must_use]
    pub const fn value(&self) -> Timestamp {
        match *self {
            Self::ZeroDate(value) | Self::TooEarly { value, .. } | Self::Future { value, .. } => {
                value
            }
        }
    }
}

impl fmt::Display for Untrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ZeroDate(v) => write!(
                f,
                "{v} is a zero date written by a camera without a set clock"
            ),
            Self::TooEarly { value, valid_from } => {
                write!(
                    f,
                    "{value} is before the camera's clock is trusted ({valid_from})"
                )
            }
            Self::Future { value, now } => {
                write!(
                    f,
                    "{value} is more than a day after the time of the run ({now})"
                )
            }
        }
    }
}

/// Judges a recording's start as its camera's clock gave it: trusted when
/// it is no zero date, not before `valid_from` (the start of the camera's
/// `clock_valid_from` day, else [`CLOCK_FLOOR`] in UTC) and at most
/// [`FUTURE_SLACK`] after `now`.
///
/// # Errors
/// [`Untrusted`] saying why the start counts as unknown.
pub fn judge(
    value: Timestamp,
    now: Timestamp,
    valid_from: Option<Timestamp>,
) -> Result<Timestamp, Untrusted> {
    if ZERO_DATES.contains(&value.as_second()) && value.subsec_nanosecond() == 0 {
        return Err(Untrusted::ZeroDate(value));
    }
    let floor = valid_from.unwrap_or_else(floor_utc);
    if value < floor {
        return Err(Untrusted::TooEarly {
            value,
            valid_from: floor,
        });
    }
    if now
        .checked_add(FUTURE_SLACK)
        .is_ok_and(|limit| value > limit)
    {
        return Err(Untrusted::Future { value, now });
    }
    Ok(value)
}

/// The start of `day` in `tz` (a camera's `clock_valid_from`).
#[must_use]
pub fn start_of_day(day: Date, tz: &TimeZone) -> Timestamp {
    day.to_zoned(tz.clone())
        .map_or_else(|_| floor_utc(), |z| z.timestamp())
}

fn floor_utc() -> Timestamp {
    CLOCK_FLOOR
        .to_zoned(TimeZone::UTC)
        .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn zero_dates_and_old_clocks_are_unknown() {
        let now = t("2026-03-01T12:00:00Z");
        for zero in [
            "1904-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2001-01-01T00:00:00Z",
            "1980-01-01T00:00:00Z",
        ] {
            assert!(
                matches!(judge(t(zero), now, None), Err(Untrusted::ZeroDate(_))),
                "{zero}"
            );
        }
        assert!(matches!(
            judge(t("1970-01-02T03:00:00Z"), now, None),
            Err(Untrusted::TooEarly { .. })
        ));
        assert!(judge(t("2004-12-31T23:59:59Z"), now, None).is_err());
        assert!(judge(t("2005-01-01T00:00:00Z"), now, None).is_ok());
    }

    #[test]
    fn the_future_is_unknown_past_a_day_of_slack() {
        let now = t("2026-03-01T12:00:00Z");
        assert!(judge(t("2026-03-02T12:00:00Z"), now, None).is_ok());
        assert!(matches!(
            judge(t("2026-03-02T12:00:01Z"), now, None),
            Err(Untrusted::Future { .. })
        ));
        assert!(judge(t("2099-01-01T00:00:00Z"), now, None).is_err());
    }

    #[test]
    fn clock_valid_from_tightens_and_loosens_the_floor() {
        let now = t("2026-03-01T12:00:00Z");
        let oslo = TimeZone::get("Europe/Oslo").unwrap();
        let from = start_of_day(date(2025, 6, 1), &oslo);
        assert_eq!(from, t("2025-05-31T22:00:00Z"));
        assert!(judge(t("2025-05-31T21:59:59Z"), now, Some(from)).is_err());
        assert!(judge(t("2025-05-31T22:00:00Z"), now, Some(from)).is_ok());
        let old = start_of_day(date(2000, 1, 1), &TimeZone::UTC);
        assert!(judge(t("2003-05-01T10:00:00Z"), now, Some(old)).is_ok());
        // A zero date stays unknown whatever the camera's floor.
        assert!(judge(t("2001-01-01T00:00:00Z"), now, Some(old)).is_err());
    }
}
