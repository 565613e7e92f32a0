//! # sladd-ffmpeg
//!
//! Decoding, masking, re-encoding and muxing of video files through FFmpeg,
//! failing closed: every frame goes through a [`FrameMasker`] or the run
//! stops, outputs appear under their final name only when complete, inputs
//! are only read.
//!
//! - [`decode`]: [`Decoder`], an explicit send/receive state machine that
//!   hands out frames as sladd-core views with their [`FrameTime`].
//! - [`mask`]: the per-frame [`FrameMasker`] callback and [`StaticMask`].
//! - [`transcode`]: [`redact_file`], decode → mask → encode → mux, with
//!   audio copied or dropped and metadata replaced.
//! - [`encode`], [`output`], [`pixel`], [`time`]: the parts.
//!
//! ```no_run
//! use sladd_ffmpeg::{redact_file, AudioMode, RedactOptions, StaticMask};
//! use sladd_core::{Polygon, Region, Style};
//!
//! let zone = Region::single(Polygon::normalized([[0.5, 0.0], [1.0, 0.0], [1.0, 1.0], [0.5, 1.0]])?);
//! let masker = StaticMask::from_regions(vec![(Style::fill(), zone)]);
//! let options = RedactOptions { audio: AudioMode::Drop, ..Default::default() };
//! let report = redact_file("in.mp4".as_ref(), "out.mp4".as_ref(), masker, &options, |_| {})?;
//! assert_eq!(report.skipped, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod decode;
pub mod encode;
pub mod error;
mod ffi;
pub mod mask;
pub mod output;
pub mod pixel;
pub mod probe;
pub mod snapshot;
pub mod time;
pub mod transcode;
pub mod window;

pub use decode::{
    Aligner, Alignment, DecodedFrame, Decoder, DecoderOptions, FieldOrder, Item, OnCorrupt,
    VideoInfo,
};
pub use encode::{choose_encoder, Container, EncoderChoice, EncoderSettings, Family};
pub use error::{Error, Result};
pub use ffmpeg_next;
pub use mask::{FrameMasker, MaskOutcome, StaticMask};
pub use output::Companion;
pub use sladd_core::{Rotation, UnsupportedMatrix};
pub use time::{parse_creation_time, ClockJudge, ClockRule, CreationTime, FrameTime};
pub use transcode::{
    redact_file, redact_uncommitted, redact_window, redaction_comment, AudioMode, AudioOutcome,
    Progress, RedactOptions, Report, SubstreamReport, Uncommitted,
};
pub use window::Segment;

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
