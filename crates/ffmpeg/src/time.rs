//! When a frame was shown: its position, presentation time and wall-clock
//! instant.

use std::sync::Arc;

use jiff::{civil::DateTime, tz::TimeZone, SignedDuration, Timestamp};

/// The time of one decoded frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameTime {
    /// The frame's position among the frames handed out (0-based).
    pub index: u64,
    /// The presentation timestamp in the video stream's time base, when the
    /// container or decoder gave one.
    pub pts: Option<i64>,
    /// Presentation time in seconds from the start of the video stream.
    pub seconds: f64,
    /// The wall-clock instant the frame shows: the recording's start plus
    /// `seconds`, or `None` when the start is unknown.
    pub instant: Option<Timestamp>,
}

impl FrameTime {
    /// The time of frame `index` shown `seconds` after a recording that
    /// started at `start` (if known).
    #[must_use]
    pub fn new(index: u64, pts: Option<i64>, seconds: f64, start: Option<Timestamp>) -> Self {
        Self {
            index,
            pts,
            seconds,
            instant: start.and_then(|s| offset(s, seconds)),
        }
    }
}

/// `start + seconds`, or `None` when that is outside jiff's range.
fn offset(start: Timestamp, seconds: f64) -> Option<Timestamp> {
    let delta = SignedDuration::try_from_secs_f64(seconds).ok()?;
    start.checked_add(delta).ok()
}

/// Parses a container's `creation_time` tag: RFC 3339 (`2024-03-12T09:15:00Z`,
/// what MP4, MOV and Matroska muxers write), or a civil date-time without an
/// offset (`2024-03-12 09:15:00`), taken as UTC as QuickTime stores it.
///
/// Returns `None` for anything else and for the zero dates (1904-01-01 and
/// 1970-01-01) that cameras without a clock write: an unknown start is
/// honest, a wrong one decides rules on the wrong day. A [`ClockJudge`]
/// with a rule judges a tag further (the camera-clock rule).
#[must_use]
pub fn parse_creation_time(tag: &str) -> Option<Timestamp> {
    let ts = parse_instant(tag.trim())?;
    // 1904-01-01 (QuickTime epoch) through the end of 1970-01-01.
    if ts.as_second() <= 86_400 {
        return None;
    }
    Some(ts)
}

/// The rule a parsed `creation_time` must pass to be believed: the instant
/// it names, or why it counts as unknown. The caller gives it (the CLI gives
/// the camera-clock rule of `sladd_policy::clock`, with the camera's
/// `clock_valid_from`), so this crate judges no clock of its own.
pub type ClockRule = Arc<dyn Fn(Timestamp) -> Result<Timestamp, String> + Send + Sync>;

/// How a container's `creation_time` is judged before it is believed.
///
/// Without a rule (the default) a tag is believed when
/// [`parse_creation_time`] reads it; with one, it is believed only when the
/// rule accepts it. A start that is not believed is unknown (the
/// protective branch), never a wrong start.
#[derive(Clone, Default)]
pub struct ClockJudge {
    rule: Option<ClockRule>,
}

impl std::fmt::Debug for ClockJudge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClockJudge")
            .field("rule", &self.rule.is_some())
            .finish()
    }
}

/// A container's `creation_time`, and whether it is believed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreationTime {
    /// The tag as stored.
    pub value: String,
    /// The instant it names, when it is believed.
    pub trusted: Option<Timestamp>,
    /// Why it is not believed (`None` when it is).
    pub rejected: Option<String>,
}

impl ClockJudge {
    /// A judge that believes what `rule` accepts.
    #[must_use]
    pub fn new(
        rule: impl Fn(Timestamp) -> Result<Timestamp, String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            rule: Some(Arc::new(rule)),
        }
    }

    /// Judges a container's `creation_time` tag.
    #[must_use]
    pub fn judge(&self, tag: &str) -> CreationTime {
        let value = tag.trim().to_owned();
        let verdict = match (parse_instant(&value), &self.rule) {
            (None, _) => Err(format!("creation_time '{value}' is not a date and time")),
            (Some(ts), Some(rule)) => rule(ts),
            (Some(ts), None) => parse_creation_time(&value).ok_or_else(|| {
                format!("creation_time {ts} is a zero date written by a camera without a set clock")
            }),
        };
        let (trusted, rejected) = match verdict {
            Ok(ts) => (Some(ts), None),
            Err(why) => (None, Some(why)),
        };
        CreationTime {
            value,
            trusted,
            rejected,
        }
    }
}

/// An RFC 3339 instant, or a civil date-time taken as UTC.
fn parse_instant(tag: &str) -> Option<Timestamp> {
    tag.parse::<Timestamp>().ok().or_else(|| {
        let civil = tag.parse::<DateTime>().ok()?;
        civil.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_time_formats() {
        let want: Timestamp = "2024-03-12T09:15:00Z".parse().unwrap();
        assert_eq!(
            parse_creation_time("2024-03-12T09:15:00.000000Z"),
            Some(want)
        );
        assert_eq!(parse_creation_time("2024-03-12 09:15:00"), Some(want));
        assert_eq!(parse_creation_time("2024-03-12T10:15:00+01:00"), Some(want));
        assert_eq!(parse_creation_time("1970-01-01T00:00:00.000000Z"), None);
        assert_eq!(parse_creation_time("1904-01-01T00:00:00Z"), None);
        assert_eq!(parse_creation_time("yesterday"), None);
        assert_eq!(parse_creation_time(""), None);
    }

    #[test]
    fn instant_is_start_plus_seconds() {
        let start: Timestamp = "2024-03-12T09:15:00Z".parse().unwrap();
        let t = FrameTime::new(3, Some(1536), 0.12, Some(start));
        assert_eq!(t.instant, Some("2024-03-12T09:15:00.12Z".parse().unwrap()));
        assert_eq!(FrameTime::new(0, None, 0.0, None).instant, None);
    }
}

#[cfg(test)]
mod clock_tests {
    use super::*;

    #[test]
    fn a_rule_decides_and_a_bad_tag_is_named() {
        let never = ClockJudge::new(|t| Err(format!("creation_time {t} is not trusted")));
        let judged = never.judge(" 2026-11-24T09:30:00Z ");
        assert_eq!(judged.value, "2026-11-24T09:30:00Z");
        assert_eq!(judged.trusted, None);
        assert!(judged.rejected.unwrap().contains("not trusted"));
        let plain = ClockJudge::default();
        assert!(plain.judge("2026-11-24T09:30:00Z").trusted.is_some());
        assert!(plain.judge("1970-01-01T00:00:00Z").rejected.is_some());
        assert!(plain
            .judge("soon")
            .rejected
            .unwrap()
            .contains("not a date and time"));
    }
}
