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

use std::path::{Path, PathBuf};

use ffmpeg_next::codec::threading;
use ffmpeg_next::format::stream::Disposition;
use ffmpeg_next::software::scaling;
use ffmpeg_next::{codec, decoder, format, frame, media, Packet, Rational};
use jiff::Timestamp;
use sladd_core::FrameMut;

use crate::error::{Error, Result};
use crate::pixel::{conversion_target, core_format, pixel_name, view};
use crate::time::{parse_creation_time, FrameTime};
use crate::window::{Verdict, Window};
use sladd_core::Rotation;

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
}

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
    /// `creation_time`, else `None`.
    pub start: Option<Timestamp>,
    /// The indices of the file's audio streams.
    pub audio_streams: Vec<usize>,
    /// How players turn the decoded picture for display (the stream's
    /// display matrix); zones are drawn on the displayed picture.
    pub rotation: Rotation,
    /// The stream's display matrix as stored (nine native-endian `i32`),
    /// copied unchanged onto the output's video stream.
    pub display_matrix: Option<[u8; 36]>,
}

/// One decoded frame and its time.
///
/// The frame is FFmpeg's own (`AVFrame`), in a format sladd-core masks in
/// place: decoded buffers when the decoder's format is supported, a
/// swscale-converted copy when it is not.
pub struct DecodedFrame {
    frame: frame::Video,
    time: FrameTime,
    rotation: Rotation,
}

impl std::fmt::Debug for DecodedFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedFrame")
            .field("format", &pixel_name(self.frame.format()))
            .field("width", &self.frame.width())
            .field("height", &self.frame.height())
            .field("time", &self.time)
            .finish()
    }
}

impl DecodedFrame {
    /// When the frame is shown.
    #[must_use]
    pub fn time(&self) -> &FrameTime {
        &self.time
    }

    /// How players turn this frame for display (the stream's
    /// [`VideoInfo::rotation`]).
    #[must_use]
    pub fn rotation(&self) -> Rotation {
        self.rotation
    }

    /// The FFmpeg frame.
    #[must_use]
    pub fn as_ffmpeg(&self) -> &frame::Video {
        &self.frame
    }

    /// The FFmpeg frame, for encoding.
    #[must_use]
    pub fn into_ffmpeg(self) -> frame::Video {
        self.frame
    }

    /// A second handle on the same picture, for masking it more than once
    /// (as the zone editor's preview does): both share the decoded buffers
    /// until one is viewed for masking, which copies them first (see
    /// [`DecodedFrame::view`]), so masking one never changes the other.
    ///
    /// # Errors
    /// [`Error::Convert`] when FFmpeg cannot allocate the new frame.
    pub fn try_clone(&self) -> Result<Self> {
        // SAFETY: `av_frame_clone` reads the live `AVFrame` this wrapper
        // owns and returns a new frame holding new references to its
        // buffers, or null when it cannot allocate one.
        let ptr = unsafe { ffmpeg_next::ffi::av_frame_clone(self.frame.as_ptr()) };
        if ptr.is_null() {
            return Err(Error::Convert {
                frame: self.time.index,
                from: pixel_name(self.frame.format()),
                to: "a second reference".to_owned(),
                source: ffmpeg_next::Error::Other {
                    errno: ffmpeg_next::util::error::ENOMEM,
                },
            });
        }
        // SAFETY: `ptr` is a fresh frame nothing else owns; the wrapper
        // takes it over and frees it when dropped.
        let frame = unsafe { frame::Video::wrap(ptr) };
        Ok(Self {
            frame,
            time: self.time,
            rotation: self.rotation,
        })
    }

    /// A sladd-core view of the frame's planes for masking in place.
    ///
    /// The decoder may still hold the frame's buffers as a reference for
    /// later frames; they are then copied once (`av_frame_make_writable`) so
    /// that masking can never leak into the decoding of the next frames.
    /// Otherwise nothing is copied.
    ///
    /// # Errors
    /// [`Error::Convert`] when the copy cannot be allocated,
    /// [`Error::FrameView`] when the core rejects the geometry.
    pub fn view(&mut self) -> Result<FrameMut<'_>> {
        let index = self.time.index;
        make_writable(&mut self.frame).map_err(|source| Error::Convert {
            frame: index,
            from: pixel_name(self.frame.format()),
            to: "a writable copy".to_owned(),
            source,
        })?;
        let (format, width, height) = (
            pixel_name(self.frame.format()),
            self.frame.width(),
            self.frame.height(),
        );
        view(&mut self.frame).map_err(|source| Error::FrameView {
            frame: index,
            format,
            width,
            height,
            source,
        })
    }
}

impl DecodedFrame {
    /// [`DecodedFrame::view`], taking the writable copy (when one is needed)
    /// from `pool`'s recycled buffers instead of a fresh allocation.
    pub(crate) fn view_pooled(&mut self, pool: &mut FramePool) -> Result<FrameMut<'_>> {
        let index = self.time.index;
        pool.make_writable(&mut self.frame)
            .map_err(|source| Error::Convert {
                frame: index,
                from: pixel_name(self.frame.format()),
                to: "a writable copy".to_owned(),
                source,
            })?;
        self.view()
    }
}

/// Buffers for writable copies of decoded frames, recycled: a buffer goes
/// back to the pool when the last reference to it (the encoder's) is gone,
/// so a run allocates a handful of frame buffers, not one per frame.
pub(crate) struct FramePool {
    pool: *mut ffmpeg_next::ffi::AVBufferPool,
    /// Format, width and height the pool's buffers are sized for.
    geometry: (ffmpeg_next::ffi::AVPixelFormat, i32, i32),
}

/// Row alignment of pooled frames, as `av_frame_get_buffer` gives.
const POOL_ALIGN: i32 = 64;
/// Bytes after the last plane, for SIMD readers that overread a row.
const POOL_PADDING: usize = 256;

// SAFETY: an `AVBufferPool` is safe to use from any thread (its free list is
// behind a mutex); the raw pointer is only owned here.
unsafe impl Send for FramePool {}

impl FramePool {
    /// An empty pool; buffers are allocated as frames need them.
    pub(crate) fn new() -> Self {
        Self {
            pool: std::ptr::null_mut(),
            geometry: (ffmpeg_next::ffi::AVPixelFormat::AV_PIX_FMT_NONE, 0, 0),
        }
    }

    /// Gives `frame` buffers of its own when it shares them (with the
    /// decoder's reference frames): a copy into a pooled buffer.
    fn make_writable(
        &mut self,
        frame: &mut frame::Video,
    ) -> std::result::Result<(), ffmpeg_next::Error> {
        // SAFETY: `frame` wraps a live `AVFrame`; this only reads its
        // buffer references.
        let writable =
            unsafe { ffmpeg_next::ffi::av_frame_is_writable(frame.as_ptr().cast_mut()) } != 0;
        let format: ffmpeg_next::ffi::AVPixelFormat = frame.format().into();
        let (width, height) = (
            i32::try_from(frame.width()).map_err(|_| ffmpeg_next::Error::InvalidData)?,
            i32::try_from(frame.height()).map_err(|_| ffmpeg_next::Error::InvalidData)?,
        );
        if writable {
            return Ok(());
        }
        if (format, width, height) != self.geometry || self.pool.is_null() {
            self.reset(format, width, height)?;
        }
        let mut copy = frame::Video::empty();
        // SAFETY: `self.pool` is a live pool of buffers of at least
        // `av_image_get_buffer_size(format, width, height, POOL_ALIGN)`
        // bytes (checked in `reset` for this geometry);
        // `av_image_fill_arrays` lays the planes out inside that size; the
        // buffer reference moves into `copy.buf[0]`, which owns it from then
        // on (freed by `av_frame_unref` when `copy` drops, on every path).
        // `av_frame_copy` copies the visible pixels of two frames of the
        // same format and size, `av_frame_copy_props` the timestamps and
        // colour fields.
        unsafe {
            let buf = ffmpeg_next::ffi::av_buffer_pool_get(self.pool);
            if buf.is_null() {
                return Err(ffmpeg_next::Error::Other {
                    errno: ffmpeg_next::error::ENOMEM,
                });
            }
            let out = copy.as_mut_ptr();
            (*out).buf[0] = buf;
            (*out).format = format as i32;
            (*out).width = width;
            (*out).height = height;
            let ret = ffmpeg_next::ffi::av_image_fill_arrays(
                (*out).data.as_mut_ptr(),
                (*out).linesize.as_mut_ptr(),
                (*buf).data,
                format,
                width,
                height,
                POOL_ALIGN,
            );
            if ret < 0 {
                return Err(ffmpeg_next::Error::from(ret));
            }
            let ret = ffmpeg_next::ffi::av_frame_copy(out, frame.as_ptr());
            if ret < 0 {
                return Err(ffmpeg_next::Error::from(ret));
            }
            let ret = ffmpeg_next::ffi::av_frame_copy_props(out, frame.as_ptr());
            if ret < 0 {
                return Err(ffmpeg_next::Error::from(ret));
            }
        }
        *frame = copy;
        Ok(())
    }

    /// Replaces the pool with one for frames of this geometry.
    fn reset(
        &mut self,
        format: ffmpeg_next::ffi::AVPixelFormat,
        width: i32,
        height: i32,
    ) -> std::result::Result<(), ffmpeg_next::Error> {
        // SAFETY: plain computation on the arguments.
        let size = unsafe {
            ffmpeg_next::ffi::av_image_get_buffer_size(format, width, height, POOL_ALIGN)
        };
        let size = usize::try_from(size).map_err(|_| ffmpeg_next::Error::from(size))?;
        self.release();
        // SAFETY: a null allocator means `av_buffer_alloc`; the pool is
        // released in `release` (it frees itself once every buffer is back).
        self.pool = unsafe { ffmpeg_next::ffi::av_buffer_pool_init(size + POOL_PADDING, None) };
        if self.pool.is_null() {
            return Err(ffmpeg_next::Error::Other {
                errno: ffmpeg_next::error::ENOMEM,
            });
        }
        self.geometry = (format, width, height);
        Ok(())
    }

    fn release(&mut self) {
        if !self.pool.is_null() {
            // SAFETY: the pool is live and owned here; `av_buffer_pool_uninit`
            // nulls the pointer and frees the pool once every buffer taken
            // from it has been returned (frames still in the encoder keep
            // theirs valid until then).
            unsafe { ffmpeg_next::ffi::av_buffer_pool_uninit(&mut self.pool) };
        }
    }
}

impl Drop for FramePool {
    fn drop(&mut self) {
        self.release();
    }
}

/// Makes the frame's buffers exclusively its own.
fn make_writable(frame: &mut frame::Video) -> std::result::Result<(), ffmpeg_next::Error> {
    // SAFETY: the pointer is the live `AVFrame` this wrapper owns;
    // `av_frame_make_writable` only replaces its buffers (copying the data)
    // when they are shared, and reports failure by a negative return.
    let ret = unsafe { ffmpeg_next::ffi::av_frame_make_writable(frame.as_mut_ptr()) };
    if ret < 0 {
        Err(ffmpeg_next::Error::from(ret))
    } else {
        Ok(())
    }
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

/// An `SwsContext` that may move to the decode thread.
struct Scaler(scaling::Context);

// SAFETY: an `SwsContext` has no thread affinity; it is used by one thread at
// a time (the decoder that owns it), which `&mut self` access guarantees.
unsafe impl Send for Scaler {}

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
}

/// Codec errors in a row, without a good frame between them, after which
/// skipping gives up.
const MAX_CODEC_FAILURES: u32 = 250;

/// Read errors in a row, without a good packet between them, after which
/// skipping gives up: some demuxers report the same damage forever without
/// moving on (found by the `decode` fuzz target).
const MAX_READ_FAILURES: u32 = 1000;

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
    /// a media file), [`Error::NoVideo`], [`Error::Decoder`].
    pub fn open(path: impl AsRef<Path>, options: &DecoderOptions) -> Result<Self> {
        crate::init()?;
        let path = path.as_ref().to_path_buf();
        let input = format::input(&path).map_err(|source| Error::Open {
            path: path.clone(),
            source,
        })?;
        let stream = input
            .streams()
            .filter(|s| {
                s.parameters().medium() == media::Type::Video
                    && !s.disposition().contains(Disposition::ATTACHED_PIC)
            })
            .max_by_key(|s| {
                // SAFETY: the parameters pointer is the stream's live
                // `AVCodecParameters`; width and height are plain ints.
                let (w, h) = unsafe {
                    let p = s.parameters().as_ptr();
                    ((*p).width, (*p).height)
                };
                (i64::from(w) * i64::from(h), -(s.index() as i64))
            })
            .ok_or_else(|| Error::NoVideo { path: path.clone() })?;
        let index = stream.index();
        let time_base = stream.time_base();
        let display_matrix = stream
            .side_data()
            .find(|d| d.kind() == ffmpeg_next::codec::packet::side_data::Type::DisplayMatrix)
            .map(|d| d.data().to_vec());
        let rotation = match &display_matrix {
            Some(m) => Rotation::from_display_matrix(m).map_err(|reason| Error::Orientation {
                path: path.clone(),
                reason: reason.to_string(),
            })?,
            None => Rotation::None,
        };
        let display_matrix = display_matrix.and_then(|m| <[u8; 36]>::try_from(m).ok());
        let mut context =
            codec::Context::from_parameters(stream.parameters()).map_err(|source| {
                Error::Decoder {
                    path: path.clone(),
                    codec: format!("{:?}", stream.parameters().id()),
                    source,
                }
            })?;
        context.set_threading(threading::Config {
            kind: threading::Type::Frame,
            count: options.threads,
            ..threading::Config::default()
        });
        let codec_id = context.id();
        let codec_name = codec_id.name().to_owned();
        let mut opening = context.decoder();
        opening.set_packet_time_base(time_base);
        let codec = opening.video().map_err(|source| Error::Decoder {
            path: path.clone(),
            codec: codec_name.clone(),
            source,
        })?;

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
        let creation = input
            .metadata()
            .get("creation_time")
            .and_then(parse_creation_time)
            .or_else(|| {
                stream
                    .metadata()
                    .get("creation_time")
                    .and_then(parse_creation_time)
            });
        let start_pts = (stream.start_time() != ffmpeg_next::ffi::AV_NOPTS_VALUE)
            .then_some(stream.start_time());
        let audio_streams = input
            .streams()
            .filter(|s| s.parameters().medium() == media::Type::Audio)
            .map(|s| s.index())
            .collect();
        let info = VideoInfo {
            stream_index: index,
            codec: codec_name,
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
            audio_streams,
            rotation,
            display_matrix,
        };
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
        // SAFETY: reading `nb_frames` of the live video stream.
        let expected = self
            .input
            .stream(self.info.stream_index)
            .map_or(0, |s| s.frames());
        let expected = u64::try_from(expected).unwrap_or(0);
        if expected == 0 || self.video_packets >= expected {
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
        // SAFETY: reading an int field of the live `AVFrame`.
        let error_flags = unsafe { (*frame.as_ptr()).decode_error_flags };
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
            frame.set_pts(Some(pts));
            // SAFETY: writing a plain int field of the `AVFrame` this
            // function owns; the encoding stage reads it as the timestamp.
            unsafe {
                (*frame.as_mut_ptr()).best_effort_timestamp = pts;
            }
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
        // SAFETY: both pointers are live `AVFrame`s this function owns;
        // `av_frame_copy_props` copies timestamps, colour and metadata fields.
        let ret =
            unsafe { ffmpeg_next::ffi::av_frame_copy_props(out.as_mut_ptr(), frame.as_ptr()) };
        if ret < 0 {
            return Err(error(ffmpeg_next::Error::from(ret)));
        }
        Ok(out)
    }
}
