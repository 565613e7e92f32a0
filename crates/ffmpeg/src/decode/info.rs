//! What the container says about the video stream, read when the file is
//! opened.

use std::path::Path;

use ffmpeg_next::format::stream::{Disposition, Stream};
use ffmpeg_next::{codec, decoder, format, media, Rational};
use jiff::Timestamp;

use super::DecoderOptions;
use crate::error::{Error, Result};
use crate::pixel::pixel_name;
use crate::time::CreationTime;
use sladd_core::Rotation;

/// What the container says about the video stream, read when the file is
/// opened.
#[derive(Debug, Clone)]
pub struct VideoInfo {
    /// The video stream's index in the file.
    pub stream_index: usize,
    /// The codec's short name (`h264`, `hevc`, `mjpeg`, …).
    pub codec: String,
    /// The codec's identifier.
    pub codec_id: codec::Id,
    /// The container format's short name(s) (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `avi`).
    pub container: String,
    /// Coded width in pixels.
    pub width: u32,
    /// Coded height in pixels.
    pub height: u32,
    /// The decoder's pixel format (FFmpeg's name).
    pub pixel_format: String,
    /// The stream's time base.
    pub time_base: Rational,
    /// The stream's frame rate (average, else the container's base rate),
    /// when known.
    pub frame_rate: Option<Rational>,
    /// The pixel aspect ratio (`0/1` when unknown).
    pub sample_aspect_ratio: Rational,
    /// The stream's duration in seconds, when known.
    pub duration: Option<f64>,
    /// Frames the container announces, else an estimate from duration and
    /// frame rate.
    pub frames_estimate: Option<u64>,
    /// The recording's start: the caller's, else the container's
    /// `creation_time` when [`DecoderOptions::clock`] believes it, else
    /// `None`.
    pub start: Option<Timestamp>,
    /// The container's `creation_time` and the verdict on it, when it has
    /// one.
    pub creation_time: Option<CreationTime>,
    /// The indices of the file's audio streams.
    pub audio_streams: Vec<usize>,
    /// How players turn the decoded picture for display (the stream's
    /// display matrix); zones are drawn on the displayed picture.
    pub rotation: Rotation,
    /// The stream's display matrix as stored (nine native-endian `i32`),
    /// copied unchanged onto the output's video stream.
    pub display_matrix: Option<[u8; 36]>,
    /// Whether (and how) the stream is interlaced, as its parameters say.
    pub field_order: FieldOrder,
}

/// How a stream's pictures are scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FieldOrder {
    /// Whole frames (or not stated).
    #[default]
    Progressive,
    /// Two interlaced fields a frame, the top one shown first.
    TopFirst,
    /// Two interlaced fields a frame, the bottom one shown first.
    BottomFirst,
}

impl FieldOrder {
    /// The order FFmpeg's `AVFieldOrder` value states, read as the ffmpeg
    /// tool writes it (TT and TB: top field first; BB and BT: bottom field
    /// first; the second letter says whether the fields are coded as such).
    #[must_use]
    pub fn from_ffmpeg(order: i32) -> Self {
        match order {
            2 | 4 => Self::TopFirst,
            3 | 5 => Self::BottomFirst,
            _ => Self::Progressive,
        }
    }

    /// Whether the pictures are interlaced.
    #[must_use]
    pub fn is_interlaced(self) -> bool {
        self != Self::Progressive
    }

    /// In words: `top field first`, `bottom field first`, `progressive`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Progressive => "progressive",
            Self::TopFirst => "top field first",
            Self::BottomFirst => "bottom field first",
        }
    }
}

/// The file's best video stream: the largest that is not cover art (the
/// first of equals).
pub(crate) fn best_video_stream(input: &format::context::Input) -> Option<Stream<'_>> {
    video_streams(input).max_by_key(|s| {
        let (w, h) = crate::ffi::coded_size(&s.parameters());
        (i64::from(w) * i64::from(h), -(s.index() as i64))
    })
}

/// The file's video streams that are not cover art, in file order.
pub(crate) fn video_streams(input: &format::context::Input) -> impl Iterator<Item = Stream<'_>> {
    input.streams().filter(|s| {
        s.parameters().medium() == media::Type::Video
            && !s.disposition().contains(Disposition::ATTACHED_PIC)
    })
}

impl VideoInfo {
    /// Describes `stream` of `input`, decoded by `codec`.
    ///
    /// # Errors
    /// [`Error::Orientation`] for a display matrix zones cannot follow.
    pub(super) fn read(
        path: &Path,
        input: &format::context::Input,
        stream: &Stream<'_>,
        codec: &decoder::Video,
        options: &DecoderOptions,
    ) -> Result<Self> {
        let time_base = stream.time_base();
        let display_matrix = stream
            .side_data()
            .find(|d| d.kind() == codec::packet::side_data::Type::DisplayMatrix)
            .map(|d| d.data().to_vec());
        let rotation = match &display_matrix {
            Some(m) => Rotation::from_display_matrix(m).map_err(|reason| Error::Orientation {
                path: path.to_path_buf(),
                reason: reason.to_string(),
            })?,
            None => Rotation::None,
        };
        let display_matrix = display_matrix.and_then(|m| <[u8; 36]>::try_from(m).ok());
        let frame_rate = [stream.avg_frame_rate(), stream.rate()]
            .into_iter()
            .find(|r| r.numerator() > 0 && r.denominator() > 0);
        let duration = if stream.duration() > 0 {
            Some(stream.duration() as f64 * f64::from(time_base))
        } else if input.duration() > 0 {
            Some(input.duration() as f64 / f64::from(ffmpeg_next::ffi::AV_TIME_BASE))
        } else {
            None
        };
        let frames_estimate = if stream.frames() > 0 {
            Some(stream.frames() as u64)
        } else {
            match (duration, frame_rate) {
                (Some(d), Some(r)) => Some((d * f64::from(r)).round() as u64),
                _ => None,
            }
        };
        // The container's tag, else the stream's; a believed one wins.
        let judged: Vec<CreationTime> = [input.metadata(), stream.metadata()]
            .iter()
            .filter_map(|tags| tags.get("creation_time").map(|t| options.clock.judge(t)))
            .collect();
        let creation_time = judged
            .iter()
            .find(|c| c.trusted.is_some())
            .or(judged.first())
            .cloned();
        let creation = creation_time.as_ref().and_then(|c| c.trusted);
        let audio_streams = input
            .streams()
            .filter(|s| s.parameters().medium() == media::Type::Audio)
            .map(|s| s.index())
            .collect();
        let codec_id = codec.id();
        Ok(Self {
            stream_index: stream.index(),
            codec: codec_id.name().to_owned(),
            codec_id,
            container: input.format().name().to_owned(),
            width: codec.width(),
            height: codec.height(),
            pixel_format: pixel_name(codec.format()),
            time_base,
            frame_rate,
            sample_aspect_ratio: codec.aspect_ratio(),
            duration,
            frames_estimate,
            start: options.start.or(creation),
            creation_time,
            audio_streams,
            rotation,
            display_matrix,
            field_order: FieldOrder::from_ffmpeg(crate::ffi::field_order(&stream.parameters())),
        })
    }
}
