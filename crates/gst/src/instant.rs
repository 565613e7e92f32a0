//! The wall-clock instant of a frame, which the policy decides for.

use gst::ReferenceTimestampMeta;
use jiff::{SignedDuration, Timestamp};

/// The caps of a reference timestamp in Unix time (nanoseconds since
/// 1970-01-01T00:00:00Z).
pub const UNIX_REFERENCE: &str = "timestamp/x-unix";
/// The caps of a reference timestamp in NTP time (nanoseconds since
/// 1900-01-01T00:00:00Z), as `rtspsrc` adds from the camera's RTCP sender
/// reports (`add-reference-timestamp-meta`).
pub const NTP_REFERENCE: &str = "timestamp/x-ntp";

/// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
const NTP_TO_UNIX_SECONDS: i64 = 2_208_988_800;

/// Where a frame's instant came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A `timestamp/x-unix` or `timestamp/x-ntp` reference timestamp on
    /// the buffer.
    Reference,
    /// The `start` property plus the buffer's running time.
    Start,
    /// Neither: the policy takes the protective branch.
    Unknown,
}

/// The instant of a frame: its first Unix or NTP reference timestamp when
/// it has one, else `start` plus `running_time` when both are known, else
/// unknown (`None`), which makes the policy mask the most.
#[must_use]
pub fn frame_instant(
    buffer: &gst::BufferRef,
    start: Option<Timestamp>,
    running_time: Option<gst::ClockTime>,
) -> (Option<Timestamp>, Source) {
    if let Some(at) = buffer
        .iter_meta::<ReferenceTimestampMeta>()
        .find_map(|meta| reference_instant(&meta))
    {
        return (Some(at), Source::Reference);
    }
    match (start, running_time) {
        (Some(start), Some(running)) => {
            let after = SignedDuration::from_nanos(saturating_nanos(running));
            match start.checked_add(after) {
                Ok(at) => (Some(at), Source::Start),
                Err(_) => (None, Source::Unknown),
            }
        }
        _ => (None, Source::Unknown),
    }
}

/// The instant a reference timestamp meta stands for, if its reference is
/// Unix or NTP time and the instant is within jiff's range.
fn reference_instant(meta: &ReferenceTimestampMeta) -> Option<Timestamp> {
    let name = meta.reference().structure(0)?.name();
    let nanos = i128::from(meta.timestamp().nseconds());
    let unix_nanos = if name == UNIX_REFERENCE {
        nanos
    } else if name == NTP_REFERENCE {
        nanos - i128::from(NTP_TO_UNIX_SECONDS) * 1_000_000_000
    } else {
        return None;
    };
    Timestamp::from_nanosecond(unix_nanos).ok()
}

/// A clock time as signed nanoseconds (clock times fit: they stop at
/// `u64::MAX - 1` ns, about 584 years, and larger ones saturate).
fn saturating_nanos(time: gst::ClockTime) -> i64 {
    i64::try_from(time.nseconds()).unwrap_or(i64::MAX)
}

/// The caps of a Unix-time reference timestamp, for callers that stamp
/// buffers (sources that know the capture time).
#[must_use]
pub fn unix_reference_caps() -> gst::Caps {
    gst::Caps::new_empty_simple(UNIX_REFERENCE)
}

/// A Unix-time reference timestamp for `at`, as a clock time (`None`
/// before 1970).
#[must_use]
pub fn unix_clock_time(at: Timestamp) -> Option<gst::ClockTime> {
    u64::try_from(at.as_nanosecond())
        .ok()
        .map(gst::ClockTime::from_nseconds)
}
