//! The one error type of this crate.

use std::path::PathBuf;

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while decoding, masking, encoding or writing a file.
///
/// [`Error::is_input_error`] and [`Error::is_output_error`] sort the variants
/// into the command line's exit codes 3 (input could not be read or decoded)
/// and 4 (output could not be written); the rest are usage or configuration
/// errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// FFmpeg could not be initialised.
    #[error("ffmpeg could not be initialised: {0}")]
    Init(#[source] ffmpeg_next::Error),

    /// The input could not be opened or its streams could not be read.
    #[error("cannot open {}: {source}", path.display())]
    Open {
        /// The input.
        path: PathBuf,
        /// FFmpeg's reason.
        #[source]
        source: ffmpeg_next::Error,
    },

    /// The input has no video stream (cover art does not count).
    #[error("{} has no video stream", path.display())]
    NoVideo {
        /// The input.
        path: PathBuf,
    },

    /// The video stream's display matrix turns the picture in a way sladd
    /// cannot map zones through (mirrored, or not a quarter turn).
    #[error("{} asks for {reason}; zones cannot be placed on it", path.display())]
    Orientation {
        /// The input.
        path: PathBuf,
        /// What the matrix does.
        reason: String,
    },

    /// Not one frame of the video could be decoded (every one damaged, or
    /// the stream empty): there is nothing to write.
    #[error("{} has no decodable video frame", path.display())]
    NoFrames {
        /// The input.
        path: PathBuf,
    },

    /// The video stream's codec cannot be decoded by this FFmpeg.
    #[error("cannot decode {codec} video in {}: {source}", path.display())]
    Decoder {
        /// The input.
        path: PathBuf,
        /// The codec's name.
        codec: String,
        /// FFmpeg's reason.
        #[source]
        source: ffmpeg_next::Error,
    },

    /// Reading or decoding failed in the middle of the input.
    #[error(
        "decode error in {} at packet {packet}, after {frame} frames: {source}",
        path.display()
    )]
    Decode {
        /// The input.
        path: PathBuf,
        /// Packets read from the file before the failure (0-based position of
        /// the failing one, counting every stream).
        packet: u64,
        /// Video frames decoded before the failure.
        frame: u64,
        /// FFmpeg's reason.
        #[source]
        source: ffmpeg_next::Error,
    },

    /// The decoder flagged a frame as damaged.
    #[error("frame {frame} of {} is damaged (decode error flags {flags:#x})", path.display())]
    CorruptFrame {
        /// The input.
        path: PathBuf,
        /// The frame's position (0-based, in decode order of output frames).
        frame: u64,
        /// FFmpeg's `decode_error_flags`, or 0 when only the corrupt flag
        /// was set.
        flags: i32,
    },

    /// The input ended before the frame count its header promises.
    #[error("{} is truncated: {decoded} of {expected} frames could be decoded", path.display())]
    Truncated {
        /// The input.
        path: PathBuf,
        /// Frames decoded.
        decoded: u64,
        /// Frames the container announced.
        expected: u64,
    },

    /// A decoded frame could not be converted into a format sladd masks.
    #[error("cannot convert frame {frame} from {from} to {to}: {source}")]
    Convert {
        /// The frame's position.
        frame: u64,
        /// The decoded pixel format (FFmpeg's name).
        from: String,
        /// The wanted pixel format.
        to: String,
        /// FFmpeg's reason.
        #[source]
        source: ffmpeg_next::Error,
    },

    /// A decoded frame could not be viewed as a sladd frame.
    #[error("cannot view frame {frame} ({format} {width}x{height}): {source}")]
    FrameView {
        /// The frame's position.
        frame: u64,
        /// The pixel format (FFmpeg's name).
        format: String,
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Why.
        #[source]
        source: sladd_core::Error,
    },

    /// The masker failed on a frame: the run stops, nothing unmasked is
    /// written.
    #[error("cannot mask frame {frame}: {source}")]
    Mask {
        /// The frame's position.
        frame: u64,
        /// The masker's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },

    /// The recordings of a window cannot be cut into one output.
    #[error("{}: {reason}", path.display())]
    Segments {
        /// The recording at fault.
        path: PathBuf,
        /// Why.
        reason: String,
    },

    /// The output path names the input file.
    #[error("the output {} is the input file; sladd never overwrites an input", path.display())]
    SameFile {
        /// The path given as both.
        path: PathBuf,
    },

    /// The output path is `-`: sladd writes files, not standard output.
    #[error("the output '-' names no file: sladd writes a file and renames it into place; give a file name")]
    OutputIsStdout,

    /// The output path exists and is not a regular file: renaming the
    /// finished output into place would replace it.
    #[error("the output {} is {kind}, not a regular file; sladd would replace it: give a file name", path.display())]
    OutputNotRegular {
        /// The path.
        path: PathBuf,
        /// What it is (`a character device`, `a FIFO`, `a folder`, …).
        kind: &'static str,
    },

    /// No muxer writes the output's extension.
    #[error("sladd cannot write .{extension} files ({} has no muxer in FFmpeg): write .mkv or .mp4 instead", path.display())]
    NoMuxer {
        /// The output.
        path: PathBuf,
        /// Its extension.
        extension: String,
    },

    /// The output's container holds no video this FFmpeg can encode for
    /// the input.
    #[error(
        "{} is {container}, which holds {}; this FFmpeg cannot encode this video as any of them: write {instead} instead",
        path.display(), holds.join(", ")
    )]
    ContainerCannotHold {
        /// The output.
        path: PathBuf,
        /// The container, in words.
        container: &'static str,
        /// What it could hold.
        holds: Vec<&'static str>,
        /// An extension sladd can write.
        instead: &'static str,
    },

    /// The input is interlaced and neither the output's encoder codes
    /// fields nor its container tags their order: it would play as
    /// progressive.
    #[error(
        "{} is {container}, whose {encoder} video cannot stay interlaced ({order}): write {instead} instead",
        path.display()
    )]
    CannotStayInterlaced {
        /// The output.
        path: PathBuf,
        /// The container, in words.
        container: &'static str,
        /// The encoder it would get.
        encoder: String,
        /// The input's field order, in words.
        order: &'static str,
        /// An extension that keeps it interlaced.
        instead: &'static str,
    },

    /// The written output does not read back as it was written: it is not
    /// given its final name.
    #[error("{} would not play back as written: {problem}; nothing was written", path.display())]
    OutputCheck {
        /// The output (its final name; the file checked was removed).
        path: PathBuf,
        /// What differs.
        problem: String,
    },

    /// Another run wrote the same output while this one was writing it:
    /// the other run's output (and its manifest) stays, this one's is
    /// removed.
    #[error("another run wrote {} while this one was writing it; that output was kept and this one discarded", path.display())]
    OutputConflict {
        /// The output.
        path: PathBuf,
    },

    /// No encoder of that name in this FFmpeg build.
    #[error("encoder {name} is not available in this ffmpeg build")]
    EncoderUnavailable {
        /// The encoder's name.
        name: String,
    },

    /// The encoder could not be set up.
    #[error("cannot open encoder {name}: {source}")]
    EncoderOpen {
        /// The encoder's name.
        name: String,
        /// FFmpeg's reason.
        #[source]
        source: ffmpeg_next::Error,
    },

    /// Encoding failed.
    #[error("encoding failed at frame {frame}: {source}")]
    Encode {
        /// Frames sent to the encoder before the failure.
        frame: u64,
        /// FFmpeg's reason.
        #[source]
        source: ffmpeg_next::Error,
    },

    /// The output container could not be created or written.
    #[error("cannot write {}: {source}", path.display())]
    Mux {
        /// The file being written (the temporary name).
        path: PathBuf,
        /// FFmpeg's reason.
        #[source]
        source: ffmpeg_next::Error,
    },

    /// Finishing the complete output before it took its final name failed
    /// (see [`crate::Uncommitted::rewrite`]); nothing was left
    /// under that name.
    #[error("cannot {what} {}: {source}", path.display())]
    Finish {
        /// What was being done, e.g. `embed Content Credentials in`.
        what: &'static str,
        /// The output.
        path: PathBuf,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// A file-system operation on the output failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done ("create", "rename into place", …).
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },

    /// The decode thread stopped without saying why (it panicked).
    #[error("the decode thread stopped unexpectedly")]
    DecodeThread,

    /// The masking thread stopped without saying why (the masker panicked);
    /// no frame after the last one it passed on was written.
    #[error("the masking thread stopped unexpectedly")]
    MaskThread,
}

impl Error {
    /// Whether the input could not be read or decoded (the command line's
    /// exit code 3).
    #[must_use]
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            Self::Open { .. }
                | Self::NoVideo { .. }
                | Self::NoFrames { .. }
                | Self::Orientation { .. }
                | Self::Decoder { .. }
                | Self::Decode { .. }
                | Self::CorruptFrame { .. }
                | Self::Truncated { .. }
                | Self::Convert { .. }
                | Self::FrameView { .. }
                | Self::Segments { .. }
                | Self::DecodeThread
        )
    }

    /// Whether the output could not be written (the command line's exit
    /// code 4).
    #[must_use]
    pub fn is_output_error(&self) -> bool {
        matches!(
            self,
            Self::EncoderUnavailable { .. }
                | Self::EncoderOpen { .. }
                | Self::Encode { .. }
                | Self::Mux { .. }
                | Self::Finish { .. }
                | Self::Io { .. }
                | Self::OutputConflict { .. }
                | Self::OutputCheck { .. }
        )
    }

    /// Whether the request itself is wrong, before any work (the command
    /// line's exit code 2): an output path that names the input or cannot
    /// be a regular file.
    #[must_use]
    pub fn is_usage_error(&self) -> bool {
        matches!(
            self,
            Self::SameFile { .. }
                | Self::OutputIsStdout
                | Self::OutputNotRegular { .. }
                | Self::ContainerCannotHold { .. }
                | Self::CannotStayInterlaced { .. }
                | Self::NoMuxer { .. }
        )
    }
}
