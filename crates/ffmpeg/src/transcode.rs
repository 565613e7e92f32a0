//! Decode → mask → encode → mux, with every stream handled on purpose.
//!
//! Three stages, each on its own thread, joined by bounded channels so
//! memory stays flat however long the video: the decoder hands frames (and
//! copied audio packets, in file order) to the masking stage (the masker may
//! use rayon), which hands masked frames to the caller's thread, which
//! encodes and muxes (the encoder runs its own frame threads). Masking frame
//! n+1 thus overlaps encoding frame n instead of pausing the encoder.
//!
//! Nothing is left to chance: only the video stream and (when asked) the
//! audio streams reach the output; subtitles, data, attachments and cover
//! art are dropped; metadata is replaced by a `comment` naming sladd and the
//! configuration, keeping only `creation_time` and stream languages. The
//! output is written under a temporary name and renamed into place only when
//! complete; a failure leaves no file under the output's name, and the input
//! is only ever read.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ffmpeg_next::{encoder, format, Dictionary, Packet, Rational, Rescale};
use jiff::Timestamp;

use crate::decode::{Decoder, DecoderOptions, FramePool, Item, OnCorrupt};
use crate::encode::{choose_encoder, masking_format, EncoderSettings, VideoEncoder};
use crate::error::{Error, Result};
use crate::mask::{FrameMasker, MaskOutcome};
use crate::output::{check_output, Companion, TempOutput};

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
    /// Anything the operator should know (encoder substitutions).
    pub notes: Vec<String>,
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

/// The muxer to use when the output's extension names none: the input's.
fn fallback_muxer(container: &str) -> &str {
    match container.split(',').next().unwrap_or("mp4") {
        "mov" => "mp4",
        first => first,
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
    mut masker: M,
    options: &RedactOptions,
    mut progress: P,
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
) -> Result<Report>
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
    redact_decoded(decoder, started, temp, masker, options, progress)?.commit(Vec::new())
}

fn decoder_options(options: &RedactOptions) -> DecoderOptions {
    DecoderOptions {
        on_corrupt: options.on_corrupt,
        start: options.start,
        threads: options.decode_threads,
    }
}

/// Decode → mask → encode → mux from an opened decoder into `temp`.
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
    let input = input.as_path();
    let info = decoder.info().clone();
    masker.begin(&info).map_err(|e| Error::Mask {
        frame: 0,
        source: Box::new(e),
    })?;

    let temp_path = temp.path().to_path_buf();
    let mux_error = |source| Error::Mux {
        path: temp_path.clone(),
        source,
    };
    let mut octx = format::output(&temp_path)
        .or_else(|_| format::output_as(&temp_path, fallback_muxer(&info.container)))
        .map_err(mux_error)?;

    let (encoder_name, note) = match &options.encoder.encoder {
        Some(name) => (name.clone(), None),
        None => choose_encoder(info.codec_id),
    };
    let mut notes: Vec<String> = note.into_iter().collect();
    let decoded_pixel = decoder.decoded_pixel();
    if crate::pixel::core_format(decoded_pixel).is_none() && decoded_pixel != format::Pixel::None {
        notes.push(format!(
            "pixel format {} is not masked natively: converted to {} before masking and encoding",
            crate::pixel::pixel_name(decoded_pixel),
            crate::pixel::pixel_name(masking_format(decoded_pixel)),
        ));
    }
    let global_header = octx.format().flags().contains(format::Flags::GLOBAL_HEADER);
    // Containers without timestamps (raw H.264/HEVC/MJPEG) keep only the
    // frame rate the encoder writes into the bitstream: encode in ticks of
    // one frame there, as the ffmpeg tool does. Elsewhere keep the input's
    // time base, so every timestamp survives exactly.
    let encoder_tb = match info.frame_rate {
        Some(rate) if octx.format().flags().contains(format::Flags::NO_TIMESTAMPS) => rate.invert(),
        _ => info.time_base,
    };
    let mask_format = masking_format(decoder.decoded_pixel());
    let mut video = VideoEncoder::open(
        &encoder_name,
        &info,
        encoder_tb,
        &decoder.color_tags(),
        mask_format,
        global_header,
        &options.encoder,
    )?;

    // Output streams: video first, then the copied audio.
    let mut video_stream = octx
        .add_stream(encoder::find_by_name(&encoder_name))
        .map_err(mux_error)?;
    video_stream.set_parameters(&video.encoder);
    video_stream.set_time_base(encoder_tb);
    if let Some(rate) = info.frame_rate {
        video_stream.set_avg_frame_rate(rate);
        video_stream.set_rate(rate);
    }
    if info.sample_aspect_ratio.numerator() > 0 {
        // SAFETY: setting a plain field of the stream this context owns.
        unsafe {
            (*video_stream.as_mut_ptr()).sample_aspect_ratio = info.sample_aspect_ratio.into();
        }
    }
    video_stream.set_metadata(technical_tags(
        &decoder
            .input()
            .stream(info.stream_index)
            .map(|s| s.metadata().to_owned())
            .unwrap_or_default(),
    ));
    if let Some(matrix) = info.display_matrix {
        // SAFETY: `video_stream` is a live stream of `octx`, whose header is
        // not written yet; `av_stream_new_side_data` allocates `len` bytes
        // owned by the stream (or returns null), and exactly that many are
        // copied from the array into it.
        let copied = unsafe {
            let data = ffmpeg_next::ffi::av_stream_new_side_data(
                video_stream.as_mut_ptr(),
                ffmpeg_next::ffi::AVPacketSideDataType::AV_PKT_DATA_DISPLAYMATRIX,
                matrix.len(),
            );
            if !data.is_null() {
                std::ptr::copy_nonoverlapping(matrix.as_ptr(), data, matrix.len());
            }
            !data.is_null()
        };
        if !copied {
            return Err(mux_error(ffmpeg_next::Error::Other {
                errno: ffmpeg_next::error::ENOMEM,
            }));
        }
    }
    let video_out = video_stream.index();

    let (audio, audio_map) = match (options.audio, info.audio_streams.is_empty()) {
        (_, true) => (AudioOutcome::None, vec![]),
        (AudioMode::Drop, false) => (AudioOutcome::Stripped, vec![]),
        (AudioMode::Copy, false) => {
            let map = copy_audio_streams(&mut decoder, &mut octx).map_err(mux_error)?;
            (AudioOutcome::Copied, map)
        }
    };

    let mut global = Dictionary::new();
    global.set("comment", &redaction_comment(&options.config_hash));
    if let Some(start) = decoder.creation_tag() {
        global.set("creation_time", &start);
    }
    octx.set_metadata(global);
    octx.write_header().map_err(mux_error)?;
    let out_time_bases: Vec<Rational> = octx.streams().map(|s| s.time_base()).collect();
    let video_tb = out_time_bases
        .get(video_out)
        .copied()
        .unwrap_or(info.time_base);

    let mut counts = Counts::default();
    let mut last_seconds = 0.0_f64;
    let mut last_pts: Option<i64> = None;
    let frame_step = frame_step(info.frame_rate, encoder_tb);
    let total_estimate = info.frames_estimate;

    let queue = options.queue.max(1);
    let decoded = std::thread::scope(|scope| -> Result<Decoder> {
        // Three stages on their own threads, so that masking frame n+1
        // overlaps the encoding of frame n: decode → mask → encode + mux.
        let (tx, rx) = mpsc::sync_channel::<Result<Item>>(queue);
        let (masked_tx, masked_rx) = mpsc::sync_channel::<Result<Staged>>(MASKED_QUEUE);
        let decode_stage = scope.spawn(move || {
            loop {
                let item = decoder.next_item();
                let done = !matches!(item, Ok(Some(_)));
                let sent = match item {
                    Ok(Some(item)) => tx.send(Ok(item)),
                    Ok(None) => break,
                    Err(e) => tx.send(Err(e)),
                };
                if done || sent.is_err() {
                    break;
                }
            }
            decoder
        });
        let masker = &mut masker;
        let mask_stage = scope.spawn(move || {
            let mut pool = FramePool::new();
            for item in rx.iter() {
                // A frame that could not be masked is never passed on: the
                // error goes downstream instead and this stage stops.
                let staged = item.and_then(|item| mask_item(item, &mut *masker, &mut pool));
                let failed = staged.is_err();
                if masked_tx.send(staged).is_err() || failed {
                    break;
                }
            }
            // Dropping `rx` here stops the decoder early after a failure.
        });

        let write_video = |mut packet: Packet, octx: &mut format::context::Output| {
            packet.set_stream(video_out);
            packet.rescale_ts(encoder_tb, video_tb);
            packet.write_interleaved(octx).map_err(mux_error)
        };

        let run = (|| -> Result<()> {
            for staged in masked_rx.iter() {
                match staged? {
                    Staged::Packet(mut packet) => {
                        let Some(Some((out, tb))) = audio_map.get(packet.stream()).copied() else {
                            continue;
                        };
                        let out_tb = out_time_bases.get(out).copied().unwrap_or(tb);
                        packet.rescale_ts(tb, out_tb);
                        packet.set_position(-1);
                        packet.set_stream(out);
                        packet.write_interleaved(&mut octx).map_err(mux_error)?;
                    }
                    Staged::Frame {
                        mut raw,
                        time,
                        outcome,
                    } => {
                        counts.add(outcome);
                        last_seconds = time.seconds;
                        // Strictly increasing timestamps for the encoder:
                        // the decoder's, kept exactly (variable frame rates
                        // included), else one frame after the previous.
                        let decoded_pts = raw
                            .timestamp()
                            .map(|pts| pts.rescale(info.time_base, encoder_tb));
                        let pts = match (decoded_pts, last_pts) {
                            (Some(pts), Some(last)) => pts.max(last + 1),
                            (Some(pts), None) => pts,
                            (None, Some(last)) => last + frame_step.max(1),
                            (None, None) => 0,
                        };
                        last_pts = Some(pts);
                        raw.set_pts(Some(pts));
                        raw.set_kind(ffmpeg_next::picture::Type::None);
                        video.send(&raw, |p| write_video(p, &mut octx))?;
                        progress(Progress {
                            frames_done: video.sent(),
                            total_estimate,
                        });
                    }
                }
            }
            video.finish(|p| write_video(p, &mut octx))?;
            Ok(())
        })();
        drop(masked_rx);
        let masked = mask_stage.join().map_err(|_| Error::MaskThread);
        let decoder = decode_stage.join().map_err(|_| Error::DecodeThread)?;
        masked?;
        run.map(|()| decoder)
    })?;

    if video.sent() == 0 {
        return Err(Error::NoFrames {
            path: input.to_path_buf(),
        });
    }
    octx.write_trailer().map_err(mux_error)?;
    drop(octx);
    let elapsed = started.elapsed();
    let frames = video.sent();
    let frame_rate = info.frame_rate.map(f64::from);
    let report = Report {
        input: input.to_path_buf(),
        output: temp.target().to_path_buf(),
        frames,
        masked_frames: counts.masked,
        full_frame_masked: counts.full,
        skipped: decoded.skipped(),
        audio,
        seconds: if frames == 0 {
            0.0
        } else {
            last_seconds + frame_rate.map_or(0.0, |r| 1.0 / r)
        },
        fps: frames as f64 / elapsed.as_secs_f64().max(1e-9),
        frame_rate,
        elapsed,
        encoder: video.name.clone(),
        start: info.start,
        notes,
    };
    Ok(Uncommitted { report, temp })
}

/// Adds an output stream for every audio stream of the input, copied
/// unchanged, and asks the decoder to hand their packets out. Returns, per
/// input stream index, the output stream index and input time base.
fn copy_audio_streams(
    decoder: &mut Decoder,
    octx: &mut format::context::Output,
) -> std::result::Result<Vec<Option<(usize, Rational)>>, ffmpeg_next::Error> {
    let audio_streams = decoder.info().audio_streams.clone();
    let mut map = vec![None; decoder.input().nb_streams() as usize];
    for &index in &audio_streams {
        let Some(ist) = decoder.input().stream(index) else {
            continue;
        };
        let mut ost = octx.add_stream(encoder::find(ffmpeg_next::codec::Id::None))?;
        ost.set_parameters(ist.parameters());
        ost.set_time_base(ist.time_base());
        // SAFETY: clearing the container-specific tag of parameters this
        // output stream owns, so the muxer picks its own.
        unsafe {
            (*ost.parameters().as_mut_ptr()).codec_tag = 0;
        }
        ost.set_metadata(technical_tags(&ist.metadata().to_owned()));
        if let Some(slot) = map.get_mut(index) {
            *slot = Some((ost.index(), ist.time_base()));
        }
    }
    for index in audio_streams {
        decoder.pass_through(index);
    }
    Ok(map)
}

/// One frame's duration in `time_base` (at least 1).
fn frame_step(frame_rate: Option<Rational>, time_base: Rational) -> i64 {
    match frame_rate {
        Some(rate) => {
            let step = f64::from(rate.invert()) / f64::from(time_base);
            (step.round() as i64).max(1)
        }
        None => 1,
    }
}

/// The tags of a stream that say nothing about people: its language.
fn technical_tags(tags: &Dictionary) -> Dictionary<'static> {
    let mut kept = Dictionary::new();
    if let Some(language) = tags.get("language") {
        kept.set("language", language);
    }
    kept
}

/// Masked frames allowed to wait for the encoder: enough to keep it fed
/// while the masker works on the next frame, few enough to keep memory flat.
const MASKED_QUEUE: usize = 2;

/// What the masking stage hands to the encoding stage, in file order.
enum Staged {
    /// A packet of a passed-through stream.
    Packet(Packet),
    /// A frame, masked as `outcome` says.
    Frame {
        raw: ffmpeg_next::frame::Video,
        time: crate::time::FrameTime,
        outcome: MaskOutcome,
    },
}

/// Masks one decoded item (packets pass through).
fn mask_item<M: FrameMasker>(item: Item, masker: &mut M, pool: &mut FramePool) -> Result<Staged> {
    let mut frame = match item {
        Item::Packet(packet) => return Ok(Staged::Packet(packet)),
        Item::Frame(frame) => frame,
    };
    let time = *frame.time();
    let outcome = if masker.needs_frame(&time) {
        let mut view = frame.view_pooled(pool)?;
        masker.mask(&mut view, &time).map_err(|e| Error::Mask {
            frame: time.index,
            source: Box::new(e),
        })?
    } else {
        MaskOutcome::Unmasked
    };
    Ok(Staged::Frame {
        raw: frame.into_ffmpeg(),
        time,
        outcome,
    })
}

#[derive(Debug, Default)]
struct Counts {
    masked: u64,
    full: u64,
}

impl Counts {
    fn add(&mut self, outcome: MaskOutcome) {
        match outcome {
            MaskOutcome::Unmasked => {}
            MaskOutcome::Masked => self.masked += 1,
            MaskOutcome::FullFrame => {
                self.masked += 1;
                self.full += 1;
            }
        }
    }
}
