//! When a frame was shown: its position, presentation time and wall-clock
//! instant.

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
/// honest, a wrong one decides rules on the wrong day.
#[must_use]
pub fn parse_creation_time(tag: &str) -> Option<Timestamp> {
    let tag = tag.trim();
    let ts = tag.parse::<Timestamp>().ok().or_else(|| {
        let civil = tag.parse::<DateTime>().ok()?;
        civil.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
    })?;
    // 1904-01-01 (QuickTime epoch) through the end of 1970-01-01.
    if ts.as_second() <= 86_400 {
        return None;
    }
    Some(ts)
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
