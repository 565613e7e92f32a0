//! Decoding: a file's video frames, in presentation order, with their time.
//!
//! [`Decoder`] is an explicit state machine over FFmpeg's send/receive API:
//!
//! - **needs input**: the codec answered `EAGAIN`; read the next packet and
//!   send it (packets of other streams the caller asked for are handed out
//!   as they come, in file order);
//! - **draining**: the file ended; end-of-stream was sent and every frame
//!   still inside the codec is received;
//! - **flushed**: the codec answered `EOF`; nothing more will come.
//!
//! Every frame a packet yields is drained before the next packet is read,
//! and every error that is not `EAGAIN` or `EOF` is a real error: reported
//! with the packet and frame position, or (with [`OnCorrupt::Skip`]) counted
//! and the damaged frame left out, never handed on as if it were whole.

mod align;
mod decoded;
pub(crate) mod info;
mod pool;

use std::path::{Path, PathBuf};

use ffmpeg_next::codec::threading;
use ffmpeg_next::software::scaling;
use ffmpeg_next::{codec, decoder, format, frame, Packet, Rescale};
use jiff::Timestamp;

use crate::error::{Error, Result};
use crate::ffi::Scaler;
use crate::pixel::{conversion_target, core_format, pixel_name};
use crate::time::{ClockJudge, FrameTime};
use crate::window::{Verdict, Window};

pub use align::{Aligner, Alignment};
pub use decoded::DecodedFrame;
pub(crate) use info::video_streams;
pub use info::{FieldOrder, VideoInfo};
pub(crate) use pool::FramePool;

/// What to do when a packet or frame in the middle of the input is damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnCorrupt {
    /// Stop with [`Error::Decode`], [`Error::CorruptFrame`] or
    /// [`Error::Truncated`] (the default: fail closed).
    #[default]
    Stop,
    /// Leave the damaged frames out, count them, and go on.
    Skip,
}

/// How to open a [`Decoder`].
#[derive(Debug, Clone, Default)]
pub struct DecoderOptions {
    /// What to do with damaged packets and frames.
    pub on_corrupt: OnCorrupt,
    /// The recording's start, overriding the container's `creation_time`.
    pub start: Option<Timestamp>,
    /// Decoder threads; 0 lets FFmpeg choose from the CPU count.
    pub threads: usize,
    /// When the container's `creation_time` is believed.
    pub clock: ClockJudge,
}

/// What the decoder hands out next.
pub enum Item {
    /// A decoded video frame.
    Frame(DecodedFrame),
    /// A packet of a stream the caller asked to pass through
    /// ([`Decoder::pass_through`]), in the order the file stores it.
    Packet(Packet),
}

impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Frame(frame) => f.debug_tuple("Frame").field(frame).finish(),
            Self::Packet(packet) => f
                .debug_struct("Packet")
                .field("stream", &packet.stream())
                .field("pts", &packet.pts())
                .finish(),
        }
    }
}

/// The decoding state machine's state (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// The codec wants another packet before it can give a frame.
    NeedsInput,
    /// The file ended and end-of-stream was sent: frames are drained.
    Draining,
    /// The codec gave its last frame.
    Flushed,
}

/// A file's video frames in presentation order (see the module docs).
pub struct Decoder {
    path: PathBuf,
    input: format::context::Input,
    codec: decoder::Video,
    state: State,
    info: VideoInfo,
    on_corrupt: OnCorrupt,
    pass: Vec<bool>,
    start_pts: Option<i64>,
    scaler: Option<Scaler>,
    packets_read: u64,
    video_packets: u64,
    frames_out: u64,
    skipped: u64,
    codec_failures: u32,
    read_failures: u32,
    /// Set when decoding a window of several recordings.
    window: Option<Box<Window>>,
    /// Whether [`Decoder::seek_to_keyframe`] moved away from the start.
    seeked: bool,
}

/// Codec errors in a row, without a good frame between them, after which
/// skipping gives up.
const MAX_CODEC_FAILURES: u32 = 250;

/// Read errors in a row, without a good packet between them, after which
/// skipping gives up: some demuxers report the same damage forever without
/// moving on (found by the `decode` fuzz target).
pub(crate) const MAX_READ_FAILURES: u32 = 1000;

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoder")
            .field("path", &self.path)
            .field("state", &self.state)
            .field("info", &self.info)
            .field("frames_out", &self.frames_out)
            .field("skipped", &self.skipped)
            .finish_non_exhaustive()
    }
}

impl Decoder {
    /// Opens `path` and its best video stream (the largest that is not cover
    /// art).
    ///
    /// # Errors
    /// [`Error::Open`] when FFmpeg cannot read the file (missing, empty, not
    /// a media file), [`Error::NoVideo`], [`Error::Decoder`],
    /// [`Error::Orientation`].
    pub fn open(path: impl AsRef<Path>, options: &DecoderOptions) -> Result<Self> {
        Self::open_with(path.as_ref(), options, info::best_video_stream)
    }

    /// Opens `path` and its video stream `index` (a substream beside the
    /// best one, say), timed from that stream's own start.
    ///
    /// # Errors
    /// As [`Decoder::open`]; [`Error::NoVideo`] when stream `index` is not
    /// a video stream.
    pub fn open_stream(
        path: impl AsRef<Path>,
        index: usize,
        options: &DecoderOptions,
    ) -> Result<Self> {
        Self::open_with(path.as_ref(), options, |input| {
            info::video_streams(input).find(|s| s.index() == index)
        })
    }

    /// Opens `path` and the video stream `pick` chooses.
    fn open_with<F>(path: &Path, options: &DecoderOptions, pick: F) -> Result<Self>
    where
        F: for<'i> FnOnce(&'i format::context::Input) -> Option<format::stream::Stream<'i>>,
    {
        crate::init()?;
        let path = path.to_path_buf();
        let input = format::input(&path).map_err(|source| Error::Open {
            path: path.clone(),
            source,
        })?;
        let stream = pick(&input).ok_or_else(|| Error::NoVideo { path: path.clone() })?;
        let codec = open_codec(&path, &stream, options)?;
        let info = VideoInfo::read(&path, &input, &stream, &codec, options)?;
        let start_pts = (stream.start_time() != ffmpeg_next::ffi::AV_NOPTS_VALUE)
            .then_some(stream.start_time());
        let pass = vec![false; input.nb_streams() as usize];
        Ok(Self {
            path,
            input,
            codec,
            state: State::NeedsInput,
            info,
            on_corrupt: options.on_corrupt,
            pass,
            start_pts,
            scaler: None,
            packets_read: 0,
            video_packets: 0,
            frames_out: 0,
            skipped: 0,
            codec_failures: 0,
            read_failures: 0,
            window: None,
            seeked: false,
        })
    }

    /// Decodes only the window's frames, restamped (see [`crate::window`]).
    pub(crate) fn set_window(&mut self, window: Window) {
        let rate = self.info.frame_rate.map(f64::from);
        let seconds: f64 = std::iter::once(&window.current)
            .chain(&window.rest)
            .map(|s| s.to.duration_since(s.from).as_secs_f64().max(0.0))
            .sum();
        self.info.frames_estimate = rate.map(|r| (seconds * r).round() as u64);
        self.info.start = Some(window.origin);
        self.info.duration = Some(seconds);
        self.window = Some(Box::new(window));
    }

    /// The `creation_time` the output keeps: the window's origin when
    /// decoding a window, else the container's tag.
    #[must_use]
    pub fn creation_tag(&self) -> Option<String> {
        match &self.window {
            Some(w) => Some(w.origin.to_string()),
            None => self
                .input
                .metadata()
                .get("creation_time")
                .map(str::to_owned),
        }
    }

    /// Times this decoder's frames from `main`'s start rather than its own
    /// stream's: a substream's frames then show at the instants the main
    /// stream's do. Call before the first frame.
    pub fn time_from(&mut self, main: &Decoder) {
        if let Some(origin) = main.start_pts {
            self.start_pts = Some(origin.rescale(main.info.time_base, self.info.time_base));
        }
    }

    /// The indices of the input's video streams besides this decoder's
    /// (cover art aside), in file order: a camera's substreams.
    #[must_use]
    pub fn substreams(&self) -> Vec<usize> {
        video_streams(&self.input)
            .map(|s| s.index())
            .filter(|&i| i != self.info.stream_index)
            .collect()
    }

    /// Whether this decoder reads a window of several recordings.
    #[must_use]
    pub fn is_window(&self) -> bool {
        self.window.is_some()
    }

    /// Moves a windowed decoder on to its next recording; `false` when
    /// there is none.
    fn next_segment(&mut self) -> Result<bool> {
        let Some(mut window) = self.window.take() else {
            return Ok(false);
        };
        let Some(next) = window.rest.pop_front() else {
            self.window = Some(window);
            return Ok(false);
        };
        let mut decoder = Self::open_segment(&next, &window.options)?;
        let (a, b) = (&self.info, &decoder.info);
        if (a.width, a.height, &a.pixel_format, a.rotation)
            != (b.width, b.height, &b.pixel_format, b.rotation)
        {
            return Err(Error::Segments {
                path: next.path.clone(),
                reason: format!(
                    "it is {}x{} {} ({:?}), the window's first recording {}x{} {} ({:?}); export them separately",
                    b.width, b.height, b.pixel_format, b.rotation, a.width, a.height, a.pixel_format, a.rotation
                ),
            });
        }
        decoder.frames_out = self.frames_out;
        decoder.skipped = self.skipped;
        window.current = next;
        decoder.window = Some(window);
        *self = decoder;
        Ok(true)
    }

    /// What the container says about the video.
    #[must_use]
    pub fn info(&self) -> &VideoInfo {
        &self.info
    }

    /// The input file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The demuxer, for reading stream parameters and metadata.
    #[must_use]
    pub fn input(&self) -> &format::context::Input {
        &self.input
    }

    /// The decoder's pixel format (before any conversion).
    #[must_use]
    pub fn decoded_pixel(&self) -> ffmpeg_next::format::Pixel {
        self.codec.format()
    }

    /// The stream's colour tags, for the encoder.
    pub(crate) fn color_tags(&self) -> crate::encode::ColorTags {
        crate::encode::ColorTags {
            range: self.codec.color_range(),
            space: self.codec.color_space(),
            primaries: self.codec.color_primaries(),
            transfer: self.codec.color_transfer_characteristic(),
        }
    }

    /// Frames left out as damaged so far (with [`OnCorrupt::Skip`]).
    #[must_use]
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Frames handed out so far.
    #[must_use]
    pub fn frames(&self) -> u64 {
        self.frames_out
    }

    /// Goes back or ahead to the keyframe at or before `pts` (in the video
    /// stream's time base) and decodes on from there; frames keep their
    /// times from the stream's start. After a seek the end of the file is
    /// not checked against the frame count the container announces.
    ///
    /// # Errors
    /// [`Error::Decode`] when the demuxer cannot seek.
    pub fn seek_to_keyframe(&mut self, pts: i64) -> Result<()> {
        let ts = pts.rescale(self.info.time_base, ffmpeg_next::rescale::TIME_BASE);
        self.input
            .seek(ts, i64::MIN..ts)
            .map_err(|e| self.decode_error(e))?;
        self.codec.flush();
        self.state = State::NeedsInput;
        self.seeked = true;
        Ok(())
    }

    /// Hands out the packets of stream `index` as [`Item::Packet`] (for
    /// copying audio). Unknown indices are ignored; the video stream is
    /// always decoded.
    pub fn pass_through(&mut self, index: usize) {
        // A window of several recordings carries video only.
        if index != self.info.stream_index && self.window.is_none() {
            if let Some(slot) = self.pass.get_mut(index) {
                *slot = true;
            }
        }
    }

    /// The next video frame, skipping passed-through packets; `None` once
    /// the decoder is flushed.
    ///
    /// # Errors
    /// As [`Decoder::next_item`].
    pub fn next_frame(&mut self) -> Result<Option<DecodedFrame>> {
        loop {
            match self.next_item()? {
                Some(Item::Frame(frame)) => return Ok(Some(frame)),
                Some(Item::Packet(_)) => {}
                None => return Ok(None),
            }
        }
    }

    /// The next frame or passed-through packet; `None` once the decoder is
    /// flushed.
    ///
    /// # Errors
    /// [`Error::Decode`] for a read or decode failure, [`Error::CorruptFrame`]
    /// for a frame the decoder flags as damaged, [`Error::Truncated`] when
    /// the file ends early (the last three only with [`OnCorrupt::Stop`]),
    /// [`Error::Convert`] when swscale fails.
    pub fn next_item(&mut self) -> Result<Option<Item>> {
        loop {
            if self.state == State::Flushed {
                return Ok(None);
            }
            let mut frame = frame::Video::empty();
            match self.codec.receive_frame(&mut frame) {
                Ok(()) => {
                    if let Some(frame) = self.accept(frame)? {
                        return Ok(Some(Item::Frame(frame)));
                    }
                }
                Err(ffmpeg_next::Error::Other { errno }) if errno == ffmpeg_next::error::EAGAIN => {
                    if self.state == State::Draining {
                        // A draining codec never asks for input; if it does,
                        // frames would be lost silently.
                        return Err(self.decode_error(ffmpeg_next::Error::Bug));
                    }
                    if let Some(packet) = self.feed()? {
                        return Ok(Some(Item::Packet(packet)));
                    }
                }
                Err(ffmpeg_next::Error::Eof) => {
                    self.state = State::Flushed;
                    self.check_complete()?;
                    if self.next_segment()? {
                        continue;
                    }
                    return Ok(None);
                }
                Err(e) => self.codec_damaged(e)?,
            }
        }
    }

    /// Reads packets until one goes to the codec (returning `None`), one is
    /// passed through (returning it), or the file ends (sending
    /// end-of-stream).
    fn feed(&mut self) -> Result<Option<Packet>> {
        loop {
            let mut packet = Packet::empty();
            match packet.read(&mut self.input) {
                Ok(()) => {
                    self.packets_read += 1;
                    self.read_failures = 0;
                    let stream = packet.stream();
                    if stream == self.info.stream_index {
                        self.video_packets += 1;
                        match self.codec.send_packet(&packet) {
                            Ok(()) => return Ok(None),
                            Err(e @ ffmpeg_next::Error::InvalidData) => {
                                self.codec_damaged(e)?;
                                continue;
                            }
                            Err(e) => return Err(self.decode_error(e)),
                        }
                    }
                    if self.pass.get(stream).copied().unwrap_or(false) {
                        return Ok(Some(packet));
                    }
                }
                Err(ffmpeg_next::Error::Eof) => {
                    self.codec.send_eof().map_err(|e| self.decode_error(e))?;
                    self.state = State::Draining;
                    return Ok(None);
                }
                // A demuxer can resync after damaged data; other errors
                // (I/O) are sticky and end the run.
                Err(e @ ffmpeg_next::Error::InvalidData) => {
                    self.packets_read += 1;
                    self.read_failures += 1;
                    if self.read_failures > MAX_READ_FAILURES {
                        return Err(self.decode_error(e));
                    }
                    self.damaged(e)?;
                }
                Err(e) => return Err(self.decode_error(e)),
            }
        }
    }

    /// Stops on damage, or counts it and goes on.
    fn damaged(&mut self, source: ffmpeg_next::Error) -> Result<()> {
        match self.on_corrupt {
            OnCorrupt::Stop => Err(self.decode_error(source)),
            OnCorrupt::Skip => {
                self.skipped += 1;
                Ok(())
            }
        }
    }

    /// As [`Decoder::damaged`] for a codec error, which (unlike a read
    /// error) does not prove progress through the file: a codec that fails
    /// over and over without a frame stops the run even when skipping.
    fn codec_damaged(&mut self, source: ffmpeg_next::Error) -> Result<()> {
        self.codec_failures += 1;
        if self.codec_failures > MAX_CODEC_FAILURES {
            return Err(self.decode_error(source));
        }
        self.damaged(source)
    }

    fn decode_error(&self, source: ffmpeg_next::Error) -> Error {
        Error::Decode {
            path: self.path.clone(),
            packet: self.packets_read.saturating_sub(1),
            frame: self.frames_out,
            source,
        }
    }

    /// After the last frame: fewer video packets than the container
    /// announced means the file was cut short.
    fn check_complete(&mut self) -> Result<()> {
        let expected = self
            .input
            .stream(self.info.stream_index)
            .map_or(0, |s| s.frames());
        let expected = u64::try_from(expected).unwrap_or(0);
        if expected == 0 || self.video_packets >= expected || self.seeked {
            return Ok(());
        }
        match self.on_corrupt {
            OnCorrupt::Stop => Err(Error::Truncated {
                path: self.path.clone(),
                decoded: self.frames_out,
                expected,
            }),
            OnCorrupt::Skip => {
                let missing = expected.saturating_sub(self.frames_out);
                self.skipped = self.skipped.max(missing);
                Ok(())
            }
        }
    }

    /// Checks, times and (when needed) converts a received frame.
    fn accept(&mut self, frame: frame::Video) -> Result<Option<DecodedFrame>> {
        let error_flags = crate::ffi::decode_error_flags(&frame);
        if frame.is_corrupt() || error_flags != 0 {
            return match self.on_corrupt {
                OnCorrupt::Stop => Err(Error::CorruptFrame {
                    path: self.path.clone(),
                    frame: self.frames_out,
                    flags: error_flags,
                }),
                OnCorrupt::Skip => {
                    self.skipped += 1;
                    Ok(None)
                }
            };
        }
        self.codec_failures = 0;
        let index = self.frames_out;
        let pts = frame.timestamp();
        let tb = f64::from(self.info.time_base);
        let seconds = match pts {
            Some(pts) => {
                let origin = *self.start_pts.get_or_insert(pts);
                (pts - origin) as f64 * tb
            }
            None => self
                .info
                .frame_rate
                .map_or(0.0, |r| index as f64 / f64::from(r)),
        };
        let (time, mut frame) = match self.window.as_mut().map(|w| w.judge(seconds)) {
            None => (FrameTime::new(index, pts, seconds, self.info.start), frame),
            Some(Verdict::Before) => return Ok(None),
            Some(Verdict::After) => {
                // Presentation order: the rest of this recording is past the
                // window too. Go on with the next one, or end.
                self.state = State::Flushed;
                self.next_segment()?;
                return Ok(None);
            }
            Some(Verdict::Take(time)) => (time, frame),
        };
        if let (Some(_), Some(pts)) = (&self.window, time.pts) {
            crate::ffi::set_timestamp(&mut frame, pts);
        }
        let frame = match core_format(frame.format()) {
            Some(_) => frame,
            None => self.convert(frame, index)?,
        };
        self.frames_out += 1;
        Ok(Some(DecodedFrame {
            frame,
            time,
            rotation: self.info.rotation,
        }))
    }

    /// Converts a frame of an unsupported format with swscale.
    fn convert(&mut self, frame: frame::Video, index: u64) -> Result<frame::Video> {
        let (from, w, h) = (frame.format(), frame.width(), frame.height());
        let to = conversion_target(from);
        let error = |source| Error::Convert {
            frame: index,
            from: pixel_name(from),
            to: pixel_name(to),
            source,
        };
        let fits = self.scaler.as_ref().is_some_and(|s| {
            let i = s.0.input();
            (i.format, i.width, i.height) == (from, w, h)
        });
        if !fits {
            let context = scaling::Context::get(from, w, h, to, w, h, scaling::Flags::BILINEAR)
                .map_err(error)?;
            self.scaler = Some(Scaler(context));
        }
        let mut out = frame::Video::empty();
        if let Some(scaler) = self.scaler.as_mut() {
            scaler.0.run(&frame, &mut out).map_err(error)?;
        }
        crate::ffi::copy_props(&mut out, &frame).map_err(error)?;
        Ok(out)
    }
}

/// Opens the decoder for `stream`, with frame threads.
fn open_codec(
    path: &Path,
    stream: &format::stream::Stream<'_>,
    options: &DecoderOptions,
) -> Result<decoder::Video> {
    let mut context =
        codec::Context::from_parameters(stream.parameters()).map_err(|source| Error::Decoder {
            path: path.to_path_buf(),
            codec: format!("{:?}", stream.parameters().id()),
            source,
        })?;
    context.set_threading(threading::Config {
        kind: threading::Type::Frame,
        count: options.threads,
        ..threading::Config::default()
    });
    let codec_name = context.id().name().to_owned();
    let mut opening = context.decoder();
    opening.set_packet_time_base(stream.time_base());
    opening.video().map_err(|source| Error::Decoder {
        path: path.to_path_buf(),
        codec: codec_name,
        source,
    })
}
