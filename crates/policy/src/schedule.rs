//! Schedule strings: `DAYS HH:MM-HH:MM` in a site's local time.
//!
//! `DAYS` is `daily`, a day (`mon` … `sun`), a range (`mon-fri`, wrapping
//! ranges such as `fri-mon` allowed) or a comma list of days and ranges
//! (`mon,wed,fri-sat`). A range whose end is before its start runs past
//! midnight: `fri 22:00-06:00` covers Friday night into Saturday morning.
//! `24:00` is the end of the day and may only end a range.
//!
//! A schedule is judged by the *wall clock* of the site's time zone: on the
//! night the clocks change, `sun 02:30-04:00` still means half past two to
//! four as the clocks on the wall show it (on the spring-forward night it
//! starts at 03:00, when the clocks jump past 02:30; on the fall-back night
//! the hour from 02:30 to 03:00 happens twice and is covered both times).

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MINUTES_PER_DAY: u16 = 24 * 60;

/// Why a schedule string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "bad schedule '{text}': {problem} (expected 'DAYS HH:MM-HH:MM', e.g. 'mon-fri 07:00-23:00')"
)]
pub struct ScheduleError {
    /// The schedule string as given.
    pub text: String,
    /// What is wrong with it.
    pub problem: ScheduleProblem,
}

/// What is wrong with a schedule string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleProblem {
    /// Not two words.
    #[error("it must be days, one space, then a time range")]
    Shape,
    /// The second word has no `-`.
    #[error("'{0}' is not a range HH:MM-HH:MM")]
    NotARange(String),
    /// A day name sladd does not know.
    #[error("'{0}' is not a day (mon … sun or daily)")]
    UnknownDay(String),
    /// A time that is not `HH:MM` between 00:00 and 24:00.
    #[error("'{0}' is not a time HH:MM (00:00 … 24:00)")]
    BadTime(String),
    /// `24:00` at the start of a range.
    #[error("24:00 can only end a range")]
    StartsAtMidnightEnd,
    /// Start and end are the same time.
    #[error("start and end are equal (use 00:00-24:00 for a whole day)")]
    Empty,
}

fn err<T>(text: &str, problem: ScheduleProblem) -> Result<T, ScheduleError> {
    Err(ScheduleError {
        text: text.to_owned(),
        problem,
    })
}

/// One schedule string, parsed: days of the week and a local time range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Monday first.
    days: [bool; 7],
    /// Start, in minutes after local midnight (0..1440).
    start: u16,
    /// End, in minutes after local midnight (1..=1440); when not after
    /// `start`, the range runs past midnight into the next day.
    end: u16,
    text: String,
}

impl Schedule {
    /// Whether the schedule covers local wall-clock time `minute` (minutes
    /// after midnight) on `weekday` (0 = Monday).
    #[must_use]
    pub fn contains_local(&self, weekday: usize, minute: u16) -> bool {
        let today = self.days[weekday % 7];
        if self.start < self.end {
            today && self.start <= minute && minute < self.end
        } else {
            let yesterday = self.days[(weekday + 6) % 7];
            (today && minute >= self.start) || (yesterday && minute < self.end)
        }
    }

    /// Whether the schedule covers `instant` in `tz`.
    #[must_use]
    pub fn contains(&self, instant: Timestamp, tz: &TimeZone) -> bool {
        let (weekday, minute) = local_minute(instant, tz);
        self.contains_local(weekday, minute)
    }

    /// The wall-clock instants near `instant` at which this schedule may
    /// start or stop covering time.
    fn boundaries(&self, date: Date, out: &mut Vec<DateTime>) {
        for offset in -1..=8_i64 {
            let Ok(day) = date.checked_add(Span::new().days(offset)) else {
                continue;
            };
            let weekday = usize::try_from(day.weekday().to_monday_zero_offset()).unwrap_or(0);
            if !self.days[weekday] {
                continue;
            }
            out.push(at_minute(day, self.start));
            if self.start < self.end {
                out.push(at_minute(day, self.end));
            } else if let Ok(next) = day.tomorrow() {
                out.push(at_minute(next, self.end));
            }
        }
    }

    /// The text it was parsed from.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

fn at_minute(day: Date, minute: u16) -> DateTime {
    if minute >= MINUTES_PER_DAY {
        // 24:00 is the next day's midnight.
        return day.tomorrow().unwrap_or(day).at(0, 0, 0, 0);
    }
    let hour = i8::try_from(minute / 60).unwrap_or(0);
    let min = i8::try_from(minute % 60).unwrap_or(0);
    day.at(hour, min, 0, 0)
}

/// Weekday (0 = Monday) and minute after midnight of `instant` on the wall
/// clock of `tz`.
fn local_minute(instant: Timestamp, tz: &TimeZone) -> (usize, u16) {
    let local = tz.to_datetime(instant);
    let weekday = usize::try_from(local.weekday().to_monday_zero_offset()).unwrap_or(0);
    let minute =
        u16::try_from(i32::from(local.hour()) * 60 + i32::from(local.minute())).unwrap_or(0);
    (weekday, minute)
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Schedule {
    type Err = ScheduleError;

    fn from_str(text: &str) -> Result<Self, ScheduleError> {
        let trimmed = text.trim();
        let mut parts = trimmed.split_whitespace();
        let (Some(days_text), Some(times_text), None) = (parts.next(), parts.next(), parts.next())
        else {
            return err(text, ScheduleProblem::Shape);
        };
        let days = parse_days(text, &days_text.to_ascii_lowercase())?;
        let Some((start_text, end_text)) = times_text.split_once('-') else {
            return err(text, ScheduleProblem::NotARange(times_text.to_owned()));
        };
        let start = parse_time(text, start_text)?;
        let end = parse_time(text, end_text)?;
        if start == MINUTES_PER_DAY {
            return err(text, ScheduleProblem::StartsAtMidnightEnd);
        }
        if start == end {
            return err(text, ScheduleProblem::Empty);
        }
        Ok(Self {
            days,
            start,
            end,
            text: trimmed.to_owned(),
        })
    }
}

fn parse_days(text: &str, days_text: &str) -> Result<[bool; 7], ScheduleError> {
    if days_text == "daily" {
        return Ok([true; 7]);
    }
    let day = |name: &str| {
        DAY_NAMES.iter().position(|d| *d == name).map_or_else(
            || err(text, ScheduleProblem::UnknownDay(name.to_owned())),
            Ok,
        )
    };
    let mut days = [false; 7];
    for item in days_text.split(',') {
        match item.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day(from)?, day(to)?);
                let mut d = from;
                loop {
                    days[d] = true;
                    if d == to {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => days[day(item)?] = true,
        }
    }
    Ok(days)
}

fn parse_time(text: &str, time: &str) -> Result<u16, ScheduleError> {
    let bad = || err(text, ScheduleProblem::BadTime(time.to_owned()));
    let Some((h, m)) = time.split_once(':') else {
        return bad();
    };
    if h.len() != 2 || m.len() != 2 {
        return bad();
    }
    let (Ok(h), Ok(m)) = (h.parse::<u16>(), m.parse::<u16>()) else {
        return bad();
    };
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return bad();
    }
    Ok(h * 60 + m)
}

/// A union of schedule strings (a list in the config). Empty covers no time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScheduleSet {
    schedules: Vec<Schedule>,
}

impl ScheduleSet {
    /// The union of `schedules`.
    #[must_use]
    pub fn new(schedules: Vec<Schedule>) -> Self {
        Self { schedules }
    }

    /// Parses each string; the error names the index of the first bad one.
    ///
    /// # Errors
    /// The index and the reason of the first string that does not parse.
    pub fn parse<S: AsRef<str>>(texts: &[S]) -> Result<Self, (usize, ScheduleError)> {
        let schedules = texts
            .iter()
            .enumerate()
            .map(|(i, t)| t.as_ref().parse().map_err(|e| (i, e)))
            .collect::<Result<_, _>>()?;
        Ok(Self { schedules })
    }

    /// The schedules.
    #[must_use]
    pub fn schedules(&self) -> &[Schedule] {
        &self.schedules
    }

    /// Whether the set covers no time at all (it has no schedules).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.schedules.is_empty()
    }

    /// Whether any schedule covers local `minute` of `weekday` (0 = Monday).
    #[must_use]
    pub fn contains_local(&self, weekday: usize, minute: u16) -> bool {
        self.schedules
            .iter()
            .any(|s| s.contains_local(weekday, minute))
    }

    /// Whether any schedule covers `instant` in `tz`.
    #[must_use]
    pub fn contains(&self, instant: Timestamp, tz: &TimeZone) -> bool {
        let (weekday, minute) = local_minute(instant, tz);
        self.contains_local(weekday, minute)
    }

    /// The first instant after `instant` at which [`ScheduleSet::contains`]
    /// changes; `None` when it never changes. Membership is constant from
    /// `instant` up to (not including) the returned instant, and differs
    /// there.
    #[must_use]
    pub fn next_change(&self, instant: Timestamp, tz: &TimeZone) -> Option<Timestamp> {
        if self.schedules.is_empty() {
            return None;
        }
        // Membership can only change at a boundary's wall-clock time (in
        // either reading, when the clocks repeat or skip it) or when the
        // clocks jump: collect those instants, then take the first at which
        // membership differs.
        let date = tz.to_datetime(instant).date();
        let mut walls = Vec::new();
        for schedule in &self.schedules {
            schedule.boundaries(date, &mut walls);
        }
        let mut candidates: Vec<Timestamp> = Vec::with_capacity(walls.len() * 2 + 1);
        for wall in walls {
            let ambiguous = tz.to_ambiguous_timestamp(wall);
            candidates.extend(ambiguous.earlier().ok());
            candidates.extend(ambiguous.later().ok());
        }
        candidates.extend(tz.following(instant).next().map(|t| t.timestamp()));
        candidates.retain(|c| *c > instant);
        candidates.sort_unstable();
        candidates.dedup();
        let now = self.contains(instant, tz);
        candidates
            .iter()
            .copied()
            .find(|c| self.contains(*c, tz) != now)
            // A set covering every minute of the week never changes.
            .or_else(|| {
                if now {
                    None
                } else {
                    candidates.last().copied()
                }
            })
    }

    /// Whether the set covers every minute that `other` covers, over one
    /// week of wall-clock minutes.
    #[must_use]
    pub fn covers(&self, other: &Self) -> bool {
        week_minutes().all(|(d, m)| !other.contains_local(d, m) || self.contains_local(d, m))
    }

    /// Whether the set and `other` share any minute of the week.
    #[must_use]
    pub fn overlaps(&self, other: &Self) -> bool {
        week_minutes().any(|(d, m)| other.contains_local(d, m) && self.contains_local(d, m))
    }
}

/// Every (weekday, minute) of a week.
fn week_minutes() -> impl Iterator<Item = (usize, u16)> {
    (0..7).flat_map(|d| (0..MINUTES_PER_DAY).map(move |m| (d, m)))
}

impl fmt::Display for ScheduleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.schedules.is_empty() {
            return f.write_str("never");
        }
        for (i, s) in self.schedules.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(&s.text)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oslo() -> TimeZone {
        jiff::tz::TimeZoneDatabase::bundled()
            .get("Europe/Oslo")
            .unwrap()
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn set(texts: &[&str]) -> ScheduleSet {
        ScheduleSet::parse(texts).unwrap()
    }

    #[test]
    fn grammar_accepts_the_forms_of_the_spec() {
        for ok in [
            "daily 00:00-24:00",
            "mon 07:00-16:00",
            "mon-fri 07:00-23:00",
            "mon,wed,fri 08:00-12:00",
            "fri 22:00-06:00",
            "Sat-Sun 09:00-21:00",
            "fri-mon 10:00-11:00",
            "mon-wed,sat 10:00-11:00",
        ] {
            assert!(ok.parse::<Schedule>().is_ok(), "{ok}");
        }
    }

    #[test]
    fn grammar_rejects_bad_strings_with_reasons() {
        for (bad, why) in [
            ("mon 25:00-26:00", "'25:00' is not a time"),
            ("mon 07:00", "is not a range"),
            ("funday 07:00-08:00", "'funday' is not a day"),
            ("mon 24:00-06:00", "24:00 can only end"),
            ("mon 08:00-08:00", "start and end are equal"),
            ("mon 8:00-09:00", "'8:00' is not a time"),
            ("mon 08:60-09:00", "'08:60' is not a time"),
            ("07:00-08:00", "days, one space"),
            ("mon 07:00-08:00 extra", "days, one space"),
            ("", "days, one space"),
        ] {
            let e = bad.parse::<Schedule>().unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn weekday_range_in_local_time() {
        let s = set(&["mon-fri 07:00-23:00"]);
        let tz = oslo();
        // 2026-11-24 is a Tuesday; Oslo is +01:00 in November.
        assert!(s.contains(ts("2026-11-24T06:00:00Z"), &tz)); // 07:00 local
        assert!(!s.contains(ts("2026-11-24T05:59:00Z"), &tz)); // 06:59 local
        assert!(!s.contains(ts("2026-11-24T22:00:00Z"), &tz)); // 23:00 local
        assert!(!s.contains(ts("2026-11-28T12:00:00Z"), &tz)); // Saturday
    }

    #[test]
    fn overnight_range_runs_into_the_next_day() {
        let s = set(&["fri 22:00-06:00"]);
        // Indices: 4 = Friday, 5 = Saturday.
        assert!(s.contains_local(4, 22 * 60));
        assert!(s.contains_local(5, 5 * 60 + 59));
        assert!(!s.contains_local(5, 6 * 60));
        assert!(!s.contains_local(5, 22 * 60));
        assert!(!s.contains_local(3, 23 * 60));
        // Thursday night into Friday morning is not covered.
        assert!(!s.contains_local(4, 60));
    }

    #[test]
    fn twenty_four_hundred_ends_the_day() {
        let s = set(&["sun 18:00-24:00"]);
        assert!(s.contains_local(6, 23 * 60 + 59));
        assert!(!s.contains_local(0, 0));
        let whole = set(&["daily 00:00-24:00"]);
        assert!((0..7).all(|d| (0..1440).all(|m| whole.contains_local(d, m))));
    }

    #[test]
    fn empty_set_never_covers_and_never_changes() {
        let s = ScheduleSet::default();
        assert!(!s.contains(ts("2026-01-01T00:00:00Z"), &oslo()));
        assert_eq!(s.next_change(ts("2026-01-01T00:00:00Z"), &oslo()), None);
    }

    #[test]
    fn spring_forward_night_keeps_wall_clock_meaning() {
        // 2026-03-29 (Sunday): Oslo jumps from 02:00 +01:00 to 03:00 +02:00
        // at 01:00 UTC. `sun 02:30-04:00` starts when the clocks jump.
        let s = set(&["sun 02:30-04:00"]);
        let tz = oslo();
        assert!(!s.contains(ts("2026-03-29T00:59:59Z"), &tz)); // 01:59:59 +01
        assert!(s.contains(ts("2026-03-29T01:00:00Z"), &tz)); // 03:00 +02
        assert!(s.contains(ts("2026-03-29T01:59:00Z"), &tz)); // 03:59 +02
        assert!(!s.contains(ts("2026-03-29T02:00:00Z"), &tz)); // 04:00 +02
                                                               // The change is found at the jump itself, not an hour later.
        assert_eq!(
            s.next_change(ts("2026-03-29T00:30:00Z"), &tz),
            Some(ts("2026-03-29T01:00:00Z"))
        );
        // A weekday 07:00 start is at 05:00 UTC after the change.
        let open = set(&["daily 07:00-23:00"]);
        assert!(open.contains(ts("2026-03-29T05:00:00Z"), &tz));
        assert!(!open.contains(ts("2026-03-29T04:59:00Z"), &tz));
    }

    #[test]
    fn fall_back_night_covers_the_repeated_hour_twice() {
        // 2026-10-25 (Sunday): Oslo falls back from 03:00 +02:00 to
        // 02:00 +01:00 at 01:00 UTC; 02:00–03:00 happens twice.
        let s = set(&["sun 02:30-03:00"]);
        let tz = oslo();
        assert!(!s.contains(ts("2026-10-25T00:29:00Z"), &tz)); // 02:29 +02
        assert!(s.contains(ts("2026-10-25T00:30:00Z"), &tz)); // 02:30 +02
        assert!(!s.contains(ts("2026-10-25T01:00:00Z"), &tz)); // 02:00 +01
        assert!(s.contains(ts("2026-10-25T01:30:00Z"), &tz)); // 02:30 +01
        assert!(!s.contains(ts("2026-10-25T02:00:00Z"), &tz)); // 03:00 +01
        let t = ts("2026-10-25T00:45:00Z");
        assert_eq!(s.next_change(t, &tz), Some(ts("2026-10-25T01:00:00Z")));
        let t = ts("2026-10-25T01:10:00Z");
        assert_eq!(s.next_change(t, &tz), Some(ts("2026-10-25T01:30:00Z")));
    }

    /// Walk minute by minute over a DST week and check that membership
    /// never changes before `next_change` says it may.
    fn assert_next_change_is_sound(s: &ScheduleSet, from: &str, hours: i64) {
        let tz = oslo();
        let start = ts(from);
        let mut t = start;
        let end = start + Span::new().hours(hours);
        while t < end {
            let inside = s.contains(t, &tz);
            let next = s.next_change(t, &tz).unwrap();
            assert!(next > t);
            assert_ne!(
                s.contains(next, &tz),
                inside,
                "{s}: nothing changes at {next}"
            );
            let mut u = t + Span::new().minutes(1);
            while u < next && u < end {
                assert_eq!(
                    s.contains(u, &tz),
                    inside,
                    "{s} changed at {u} before {next}"
                );
                u += Span::new().minutes(1);
            }
            t = next;
        }
    }

    #[test]
    fn next_change_is_sound_across_both_dst_nights() {
        let s = set(&[
            "mon-fri 07:00-23:00",
            "sat-sun 09:00-21:00",
            "sun 02:30-04:00",
        ]);
        assert_next_change_is_sound(&s, "2026-03-27T00:00:00Z", 96);
        assert_next_change_is_sound(&s, "2026-10-23T00:00:00Z", 96);
        let night = set(&["fri 22:00-06:00", "sun 01:00-02:45"]);
        assert_next_change_is_sound(&night, "2026-03-27T00:00:00Z", 96);
        assert_next_change_is_sound(&night, "2026-10-23T00:00:00Z", 96);
    }

    #[test]
    fn covers_and_overlaps() {
        let open = set(&["mon-fri 07:00-23:00"]);
        assert!(set(&["daily 00:00-24:00"]).covers(&open));
        assert!(!set(&["mon-fri 08:00-23:00"]).covers(&open));
        assert!(open.overlaps(&set(&["fri 22:00-06:00"])));
        assert!(!open.overlaps(&set(&["sat-sun 00:00-24:00"])));
    }
}
