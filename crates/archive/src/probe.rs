//! Probing recordings with FFmpeg: the container's header only, no frame
//! decoded.

use std::path::Path;

use jiff::SignedDuration;
use sladd_ffmpeg::ffmpeg_next;

use crate::recording::{MediaFacts, Probe};

/// Reads duration and `creation_time` with FFmpeg's demuxer.
#[derive(Debug, Clone, Copy, Default)]
pub struct FfmpegProbe;

impl Probe for FfmpegProbe {
    fn probe(&self, path: &Path) -> std::result::Result<MediaFacts, String> {
        sladd_ffmpeg::init().map_err(|e| e.to_string())?;
        let input = ffmpeg_next::format::input(&path).map_err(|e| e.to_string())?;
        let video = input
            .streams()
            .best(ffmpeg_next::media::Type::Video)
            .ok_or_else(|| "it has no video stream".to_owned())?;
        let tag = input
            .metadata()
            .get("creation_time")
            .map(str::to_owned)
            .or_else(|| video.metadata().get("creation_time").map(str::to_owned));
        let base = video.time_base();
        let stream_duration = (video.duration() > 0 && base.denominator() > 0).then(|| {
            SignedDuration::from_nanos(
                (i128::from(video.duration()) * i128::from(base.numerator()) * 1_000_000_000
                    / i128::from(base.denominator()))
                .try_into()
                .unwrap_or(i64::MAX),
            )
        });
        let container_duration =
            (input.duration() > 0).then(|| SignedDuration::from_micros(input.duration()));
        Ok(MediaFacts {
            duration: stream_duration.or(container_duration),
            creation_time: tag.as_deref().and_then(sladd_ffmpeg::parse_creation_time),
            creation_tag: tag,
        })
    }
}
