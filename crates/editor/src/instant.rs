//! The instant a preview or decision is for, as the editor's API takes it:
//! an RFC 3339 instant, a local date and time in the site's time zone (what
//! the page's date and time fields give), `now`, or `unknown`.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::error::{Error, Result};

/// Parses `text` as an instant: `2026-11-24T12:00:00+01:00` (RFC 3339 with
/// an offset), `2026-11-24T12:00` (local time in `timezone`; in the hour
/// a clock change repeats, the earlier instant; a time the change skips is
/// read with the offset before it, so 02:30 becomes 03:30 summer time),
/// `now`, or `unknown` (`None`: the protective branch).
///
/// # Errors
/// [`Error::BadRequest`] saying which forms are accepted.
pub fn parse_instant(text: &str, timezone: &TimeZone) -> Result<Option<Timestamp>> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("unknown") {
        return Ok(None);
    }
    if text.eq_ignore_ascii_case("now") {
        return Ok(Some(Timestamp::now()));
    }
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(Some(t));
    }
    let local = text.parse::<DateTime>().map_err(|_| Error::BadRequest {
        message: format!(
            "'{text}' is not an instant: give RFC 3339 (2026-11-24T12:00:00+01:00), \
             a local time in the site's time zone (2026-11-24T12:00), 'now' or 'unknown'"
        ),
    })?;
    let zoned = timezone
        .to_ambiguous_zoned(local)
        .compatible()
        .map_err(|e| Error::BadRequest {
            message: format!("'{text}' does not exist in the site's time zone: {e}"),
        })?;
    Ok(Some(zoned.timestamp()))
}

/// `instant` as RFC 3339 in `timezone`'s local offset.
#[must_use]
pub fn local_rfc3339(instant: Timestamp, timezone: &TimeZone) -> String {
    instant
        .to_zoned(timezone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oslo() -> TimeZone {
        jiff::tz::TimeZoneDatabase::bundled()
            .get("Europe/Oslo")
            .unwrap()
    }

    #[test]
    fn the_three_forms() {
        let tz = oslo();
        let t = parse_instant("2026-11-24T12:00:00+01:00", &tz)
            .unwrap()
            .unwrap();
        assert_eq!(parse_instant("2026-11-24T12:00", &tz).unwrap(), Some(t));
        assert_eq!(parse_instant("2026-11-24T11:00:00Z", &tz).unwrap(), Some(t));
        assert_eq!(parse_instant("unknown", &tz).unwrap(), None);
        assert_eq!(local_rfc3339(t, &tz), "2026-11-24T12:00:00+01:00");
        assert!(matches!(
            parse_instant("noon", &tz),
            Err(Error::BadRequest { .. })
        ));
    }

    #[test]
    fn summer_time_is_local_too() {
        let tz = oslo();
        let t = parse_instant("2026-06-01T12:00", &tz).unwrap().unwrap();
        assert_eq!(local_rfc3339(t, &tz), "2026-06-01T12:00:00+02:00");
        // 02:30 on the last Sunday of March does not exist; it counts from 01:30+01.
        let gap = parse_instant("2026-03-29T02:30", &tz).unwrap().unwrap();
        assert_eq!(local_rfc3339(gap, &tz), "2026-03-29T03:30:00+02:00");
    }
}
