//! Decode → mask → encode → mux, with every stream handled on purpose.
//!
//! Three stages, each on its own thread, joined by bounded channels so
//! memory stays flat however long the video: the decoder hands frames (and
//! copied audio packets, in file order) to the masking stage (the masker may
//! use rayon), which hands masked frames to the caller's thread, which
//! encodes and muxes (the encoder runs its own frame threads). Masking frame
//! n+1 thus overlaps encoding frame n instead of pausing the encoder.
//!
//! Nothing is left to chance: only the video streams, each masked, and
//! (when asked) the audio streams reach the output. Every video stream
//! besides the main one (a camera's substream at another resolution) is
//! decoded, masked with the same normalized zones at its own size, its
//! frames decided at their own instants, and encoded into a stream of its
//! own, interleaved by time; an error on any stream stops the file, and a
//! video stream that cannot be masked is left out with a note. Subtitles,
//! data, attachments and cover art are dropped; metadata is replaced by a `comment` naming sladd and the
//! configuration, keeping only `creation_time` and stream languages. The
//! output is written under a temporary name and renamed into place only when
//! complete; a failure leaves no file under the output's name, and the input
//! is only ever read.

//!
//! The work is three steps: `open` sets up the muxer and encoder,
//! `pipeline` runs the stages, `finish` closes the file, reads it back
//! (`check`: streams, packet count, first and last frame at their times)
//! and reports. A file that fails the check is an error, never renamed.

mod check;
mod finish;
mod open;
mod pipeline;
mod streams;
mod substreams;
mod video;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::decode::{Decoder, DecoderOptions, OnCorrupt};
use crate::encode::EncoderSettings;
use crate::error::{Error, Result};
use crate::mask::FrameMasker;
use crate::output::{check_output, Companion, TempOutput};
use crate::time::ClockJudge;

/// What happens to the input's audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AudioMode {
    /// Copy every audio stream unchanged.
    Copy,
    /// Leave audio out (the default: no sound unless the policy allows it).
    #[default]
    Drop,
}

/// What happened to the audio (the report's `audio` key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AudioOutcome {
    /// The input had audio; the output has none.
    Stripped,
    /// The input's audio was copied.
    Copied,
    /// The input had no audio.
    None,
}

impl AudioOutcome {
    /// The report's spelling: `stripped`, `copied` or `none`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Stripped => "stripped",
            Self::Copied => "copied",
            Self::None => "none",
        }
    }
}

impl std::fmt::Display for AudioOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to redact one file.
#[derive(Debug, Clone)]
pub struct RedactOptions {
    /// Copy or drop audio.
    pub audio: AudioMode,
    /// Stop at damaged input, or skip the damaged frames.
    pub on_corrupt: OnCorrupt,
    /// The recording's start, overriding the container's `creation_time`.
    pub start: Option<Timestamp>,
    /// When the container's `creation_time` is believed.
    pub clock: ClockJudge,
    /// The video encoder's settings.
    pub encoder: EncoderSettings,
    /// Decoder threads; 0 lets FFmpeg choose.
    pub decode_threads: usize,
    /// Decoded frames allowed to wait between decoder and masker (default 4;
    /// each holds a decoded picture, so more costs memory, not speed).
    pub queue: usize,
    /// Identifies the configuration in the output's `comment` (for example a
    /// hash of the site file).
    pub config_hash: String,
}

impl Default for RedactOptions {
    fn default() -> Self {
        Self {
            audio: AudioMode::Drop,
            on_corrupt: OnCorrupt::Stop,
            start: None,
            clock: ClockJudge::default(),
            encoder: EncoderSettings::default(),
            decode_threads: 0,
            queue: 4,
            config_hash: String::new(),
        }
    }
}

/// How far a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Frames encoded so far.
    pub frames_done: u64,
    /// Frames expected in all, when the container says or its duration and
    /// frame rate imply it.
    pub total_estimate: Option<u64>,
}

/// What a run did (one per file).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The input file.
    pub input: PathBuf,
    /// The output file, now in place.
    pub output: PathBuf,
    /// Frames written.
    pub frames: u64,
    /// Frames on which something was masked (full-frame ones included).
    pub masked_frames: u64,
    /// Frames masked entirely.
    pub full_frame_masked: u64,
    /// Damaged input frames left out (with [`OnCorrupt::Skip`]).
    pub skipped: u64,
    /// What happened to the audio.
    pub audio: AudioOutcome,
    /// The video's duration in seconds (last frame's time plus one frame).
    pub seconds: f64,
    /// Processing speed: frames written per second of wall-clock time.
    pub fps: f64,
    /// The video's frame rate, when known.
    pub frame_rate: Option<f64>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
    /// The encoder used (`libx264`, `libx265`, `mjpeg`).
    pub encoder: String,
    /// The recording's start the frames were timed from, if known.
    pub start: Option<Timestamp>,
    /// Anything the operator should know (encoder substitutions, streams
    /// left out).
    pub notes: Vec<String>,
    /// The input streams the output does not carry, one line each (also
    /// among the notes).
    pub dropped: Vec<String>,
    /// The video streams besides the main one, masked and written (each
    /// also named among the notes).
    pub substreams: Vec<SubstreamReport>,
}

/// What a run did to one video stream besides the main one (a camera's
/// substream at another resolution).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstreamReport {
    /// Its index in the input.
    pub input_index: usize,
    /// Its index in the output.
    pub output_index: usize,
    /// Its coded width in pixels.
    pub width: u32,
    /// Its coded height in pixels.
    pub height: u32,
    /// Frames written.
    pub frames: u64,
    /// Frames on which something was masked (full-frame ones included).
    pub masked_frames: u64,
    /// Frames masked entirely.
    pub full_frame_masked: u64,
    /// Damaged frames left out (with [`OnCorrupt::Skip`]).
    pub skipped: u64,
    /// The encoder used.
    pub encoder: String,
}

impl SubstreamReport {
    /// The report's note on it.
    #[must_use]
    pub fn note(&self) -> String {
        let skipped = match self.skipped {
            0 => String::new(),
            n => format!(", {n} damaged frames skipped"),
        };
        format!(
            "video stream #{} ({}x{}) masked with the same zones at its own size: {} frames, {} masked ({} whole){skipped}, written as stream #{} by {}",
            self.input_index,
            self.width,
            self.height,
            self.frames,
            self.masked_frames,
            self.full_frame_masked,
            self.output_index,
            self.encoder
        )
    }
}

/// The `comment` written into every output.
#[must_use]
pub fn redaction_comment(config_hash: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    if config_hash.is_empty() {
        format!("redacted by sladd {version}")
    } else {
        format!("redacted by sladd {version}; config {config_hash}")
    }
}

/// Redacts `input` into `output`: every frame through `masker`, re-encoded
/// in the input's codec family; see the module docs for streams, metadata
/// and failure handling. `progress` is called after every frame.
///
/// # Errors
/// Input errors ([`Error::is_input_error`]), output errors
/// ([`Error::is_output_error`]), [`Error::Mask`], and the usage errors
/// ([`Error::is_usage_error`]) of an output path that names the input or
/// is not a regular file. After an error no file exists under `output`
/// that was not there before (an existing file there is left as it was).
pub fn redact_file<M, P>(
    input: &Path,
    output: &Path,
    masker: M,
    options: &RedactOptions,
    progress: P,
) -> Result<Report>
where
    M: FrameMasker + Send,
    P: FnMut(Progress),
{
    redact_uncommitted(input, output, masker, options, progress)?.commit(Vec::new())
}

/// A redacted file, complete under its temporary name, not yet under its
/// final one: [`Uncommitted::commit`] places it, with companions such as
/// its evidence manifest; dropping it removes it.
#[derive(Debug)]
pub struct Uncommitted {
    report: Report,
    temp: TempOutput,
}

impl Uncommitted {
    /// What the run did ([`Report::output`] is the final name).
    #[must_use]
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The finished file, under its temporary name: read it (to hash it
    /// for a manifest) before committing.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Rewrites the file before it takes its final name:
    /// `rewrite(current, next)` reads the file at `current` and writes its
    /// new version to `next` (an empty file of its own), which then
    /// replaces it. Nothing of the new version is left on failure.
    ///
    /// # Errors
    /// [`Error::Finish`] with `what` (e.g. `embed Content Credentials in`)
    /// when `rewrite` fails, [`Error::Io`] when the new version cannot
    /// replace the old.
    pub fn rewrite<E>(
        &mut self,
        what: &'static str,
        rewrite: impl FnOnce(&Path, &Path) -> std::result::Result<(), E>,
    ) -> Result<()>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let target = self.report.output.clone();
        self.temp.rewrite(|current, next| {
            rewrite(current, next).map_err(|e| Error::Finish {
                what,
                path: target,
                source: e.into(),
            })
        })
    }

    /// Gives the file its final name, then each companion its own (see
    /// [`TempOutput::commit_with`]).
    ///
    /// # Errors
    /// [`Error::OutputConflict`] when another run wrote the same output
    /// meanwhile; [`Error::Io`].
    pub fn commit(self, companions: Vec<Companion>) -> Result<Report> {
        self.temp.commit_with(companions)?;
        Ok(self.report)
    }
}

/// [`redact_file`] without the last step: the output is left under its
/// temporary name for the caller to read and [`Uncommitted::commit`].
///
/// # Errors
/// As [`redact_file`].
pub fn redact_uncommitted<M, P>(
    input: &Path,
    output: &Path,
    masker: M,
    options: &RedactOptions,
    progress: P,
) -> Result<Uncommitted>
where
    M: FrameMasker + Send,
    P: FnMut(Progress),
{
    let started = Instant::now();
    crate::init()?;
    check_output(input, output)?;
    // Claimed before the input is read: a run that takes this output
    // meanwhile makes this one's commit fail instead of mixing files.
    let temp = TempOutput::new(output)?;
    let decoder = Decoder::open(input, &decoder_options(options))?;
    redact_decoded(decoder, started, temp, masker, options, progress)
}

/// Cuts the window of `segments` (see [`crate::window`]) into one output,
/// every frame through `masker` as [`redact_file`] does, timed at its
/// real instant. The output carries video only, its `creation_time` is the
/// first segment's `from`; [`Report::input`] names the first recording.
/// As [`redact_uncommitted`], the output is left under its temporary name
/// for the caller to [`Uncommitted::commit`].
///
/// # Errors
/// As [`redact_file`], and [`Error::Segments`] for recordings that cannot
/// be cut into one stream.
pub fn redact_window<M, P>(
    segments: &[crate::window::Segment],
    output: &Path,
    masker: M,
    options: &RedactOptions,
    progress: P,
) -> Result<Uncommitted>
where
    M: FrameMasker + Send,
    P: FnMut(Progress),
{
    let started = Instant::now();
    crate::init()?;
    for segment in segments {
        check_output(&segment.path, output)?;
    }
    let temp = TempOutput::new(output)?;
    let decoder = Decoder::open_window(segments, &decoder_options(options))?;
    redact_decoded(decoder, started, temp, masker, options, progress)
}

fn decoder_options(options: &RedactOptions) -> DecoderOptions {
    DecoderOptions {
        on_corrupt: options.on_corrupt,
        start: options.start,
        threads: options.decode_threads,
        clock: options.clock.clone(),
    }
}

/// Open → run → finish from an opened decoder into `temp`.
fn redact_decoded<M, P>(
    mut decoder: Decoder,
    started: Instant,
    temp: TempOutput,
    mut masker: M,
    options: &RedactOptions,
    mut progress: P,
) -> Result<Uncommitted>
where
    M: FrameMasker + Send,
    P: FnMut(Progress),
{
    let input = decoder.path().to_path_buf();
    let info = decoder.info().clone();
    masker.begin(&info).map_err(|e| Error::Mask {
        frame: 0,
        source: Box::new(e),
    })?;
    let substreams = substreams::open(&decoder, &mut masker, &decoder_options(options))?;
    let mut muxer = open::Muxer::open(&mut decoder, &substreams, &temp, options)?;
    let run = pipeline::run(
        decoder,
        &mut masker,
        substreams.masked,
        &mut muxer,
        options.queue,
        &mut progress,
    )?;
    let report = finish::finish(muxer, run, &info, &input, temp.target(), started)?;
    Ok(Uncommitted { report, temp })
}
