//! # sladd-ffmpeg
//!
//! Decoding, masking, re-encoding and muxing of video files through FFmpeg.

pub mod decode;
pub mod encode;
pub mod error;
pub mod mask;
pub mod output;
pub mod pixel;
pub mod time;
pub mod transcode;

pub use decode::{DecodedFrame, Decoder, DecoderOptions, Item, OnCorrupt, VideoInfo};
pub use encode::{choose_encoder, EncoderSettings};
pub use error::{Error, Result};
pub use ffmpeg_next;
pub use mask::{FrameMasker, MaskOutcome, StaticMask};
pub use time::{parse_creation_time, FrameTime};
pub use transcode::{
    redact_file, redaction_comment, AudioMode, AudioOutcome, Progress, RedactOptions, Report,
};

/// Initialises FFmpeg (idempotent; every entry point calls it).
///
/// # Errors
/// [`Error::Init`].
pub fn init() -> Result<()> {
    ffmpeg_next::init().map_err(Error::Init)
}

/// Lowers FFmpeg's own logging to errors only (the command line calls this
/// so that damaged inputs do not flood the terminal; the errors still come
/// back as [`Error`] values).
pub fn quiet_ffmpeg_logs() {
    ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Error);
}
