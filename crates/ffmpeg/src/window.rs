//! A window of wall-clock time cut from several recordings, for exports.
//!
//! A [`Segment`] names one recording, its established start and the part
//! of it to take (`from..to`, wall-clock instants). [`Decoder::open_window`]
//! decodes the segments one after another as one stream: a frame is handed
//! out only when its instant (the recording's start plus its presentation
//! time) lies in its segment's part, so the cut is exact to the frame and
//! nothing outside the window is ever masked, encoded or written. Frames
//! are renumbered from 0 and restamped in the first recording's time base
//! from the window's origin (the first segment's `from`), so the output
//! keeps the real time between frames, gaps included.

use std::collections::VecDeque;
use std::path::PathBuf;

use ffmpeg_next::Rational;
use jiff::{SignedDuration, Timestamp};

use crate::decode::{Decoder, DecoderOptions};
use crate::error::{Error, Result};
use crate::time::FrameTime;

/// One recording's part of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The recording.
    pub path: PathBuf,
    /// Its start, as established (the frame at presentation time 0 shows
    /// this instant).
    pub start: Timestamp,
    /// The first instant taken: frames at or after it.
    pub from: Timestamp,
    /// The end of the part taken: frames before it.
    pub to: Timestamp,
}

/// The state of a windowed decoder: the segments still to open and how
/// frames are restamped.
#[derive(Debug)]
pub(crate) struct Window {
    /// The segment being decoded.
    pub(crate) current: Segment,
    /// The segments after it.
    pub(crate) rest: VecDeque<Segment>,
    /// Instant of output presentation time 0.
    pub(crate) origin: Timestamp,
    /// The output's time base (the first recording's).
    pub(crate) time_base: Rational,
    /// Frames handed out so far, across segments.
    pub(crate) frames: u64,
    /// How the decoders were opened.
    pub(crate) options: DecoderOptions,
}

/// What to do with a decoded frame of a windowed decoder.
pub(crate) enum Verdict {
    /// Before the segment's part: drop it.
    Before,
    /// In the part: hand it out with this time.
    Take(FrameTime),
    /// At or past the part's end: this recording is done.
    After,
}

impl Window {
    /// Judges a frame shown `seconds` after the current recording's start.
    pub(crate) fn judge(&mut self, seconds: f64) -> Verdict {
        let Ok(offset) = SignedDuration::try_from_secs_f64(seconds) else {
            return Verdict::After;
        };
        let Ok(instant) = self.current.start.checked_add(offset) else {
            return Verdict::After;
        };
        if instant < self.current.from {
            return Verdict::Before;
        }
        if instant >= self.current.to {
            return Verdict::After;
        }
        let since = instant.duration_since(self.origin);
        let pts = pts_of(since, self.time_base);
        let time = FrameTime {
            index: self.frames,
            pts: Some(pts),
            seconds: since.as_secs_f64(),
            instant: Some(instant),
        };
        self.frames += 1;
        Verdict::Take(time)
    }
}

/// `since` in ticks of `time_base`, rounded to the nearest tick.
fn pts_of(since: SignedDuration, time_base: Rational) -> i64 {
    let num = i128::from(time_base.numerator().max(1));
    let den = i128::from(time_base.denominator());
    let nanos = since.as_nanos();
    let ticks = (nanos * den * 2 + num * 1_000_000_000) / (num * 2_000_000_000);
    i64::try_from(ticks).unwrap_or(i64::MAX)
}

impl Decoder {
    /// Opens the segments of a window as one stream of frames (see the
    /// module docs). Every recording must have the first one's size, pixel
    /// format and rotation.
    ///
    /// # Errors
    /// [`Error::Segments`] for no segments or recordings that differ;
    /// otherwise as [`Decoder::open`].
    pub fn open_window(segments: &[Segment], options: &DecoderOptions) -> Result<Self> {
        let mut rest: VecDeque<Segment> = segments.iter().cloned().collect();
        let Some(first) = rest.pop_front() else {
            return Err(Error::Segments {
                path: PathBuf::new(),
                reason: "the window has no recordings".to_owned(),
            });
        };
        let mut decoder = Self::open_segment(&first, options)?;
        let time_base = decoder.info().time_base;
        decoder.set_window(Window {
            origin: first.from,
            current: first,
            rest,
            time_base,
            frames: 0,
            options: options.clone(),
        });
        Ok(decoder)
    }

    /// Opens the recording of one segment, timed from its start.
    pub(crate) fn open_segment(segment: &Segment, options: &DecoderOptions) -> Result<Self> {
        let options = DecoderOptions {
            start: Some(segment.start),
            ..options.clone()
        };
        Self::open(&segment.path, &options)
    }
}
