//! Every call into FFmpeg's C API (ffmpeg-sys) that ffmpeg-next does not
//! wrap, each behind a safe function whose `SAFETY` comment proves it
//! sound. No other module of this crate writes `unsafe` around FFmpeg.

use ffmpeg_next::ffi as sys;
use ffmpeg_next::format::stream::StreamMut;
use ffmpeg_next::format::Pixel;
use ffmpeg_next::software::scaling;
use ffmpeg_next::{codec, frame, Error, Rational};

/// FFmpeg's error for a failed allocation.
fn no_memory() -> Error {
    Error::Other {
        errno: ffmpeg_next::error::ENOMEM,
    }
}

/// `Ok` for a non-negative return of an FFmpeg call, its error otherwise.
fn check(ret: i32) -> Result<(), Error> {
    if ret < 0 {
        Err(Error::from(ret))
    } else {
        Ok(())
    }
}

/// The bit depth of a pixel format's first component (luma or red), or
/// `None` for a format without a descriptor.
#[must_use]
pub(crate) fn component_depth(pixel: Pixel) -> Option<i32> {
    // SAFETY: a descriptor points at FFmpeg's static table entry for the
    // format, which lives for the whole program and whose first component
    // always exists.
    pixel
        .descriptor()
        .map(|d| unsafe { (*d.as_ptr()).comp[0].depth })
}

/// Whether the frame's buffers are its alone (no other frame, such as the
/// decoder's reference, shares them), so that writing to them is safe.
#[must_use]
pub(crate) fn is_writable(frame: &frame::Video) -> bool {
    // SAFETY: `frame` wraps a live `AVFrame`; `av_frame_is_writable` only
    // reads its buffer references (it takes a mutable pointer for
    // historical reasons and writes nothing).
    unsafe { sys::av_frame_is_writable(frame.as_ptr().cast_mut()) != 0 }
}

/// Gives the frame buffers of its own (copying the pixels) when it shares
/// them; a no-op when it is already writable.
///
/// # Errors
/// FFmpeg's, when the copy cannot be allocated.
pub(crate) fn make_writable(frame: &mut frame::Video) -> Result<(), Error> {
    // SAFETY: the pointer is the live `AVFrame` this wrapper owns;
    // `av_frame_make_writable` only replaces its buffers (copying the data)
    // when they are shared, and reports failure by a negative return.
    check(unsafe { sys::av_frame_make_writable(frame.as_mut_ptr()) })
}

/// Copies timestamps, colour description and metadata of `src` onto `dst`.
///
/// # Errors
/// FFmpeg's, when the side data cannot be copied.
pub(crate) fn copy_props(dst: &mut frame::Video, src: &frame::Video) -> Result<(), Error> {
    // SAFETY: both pointers are live `AVFrame`s, distinct since one is
    // borrowed mutably; `av_frame_copy_props` copies fields, not pixels.
    check(unsafe { sys::av_frame_copy_props(dst.as_mut_ptr(), src.as_ptr()) })
}

/// The decoder's error flags for a frame (`decode_error_flags`; 0 for a
/// whole frame).
#[must_use]
pub(crate) fn decode_error_flags(frame: &frame::Video) -> i32 {
    // SAFETY: reading an int field of the live `AVFrame`.
    unsafe { (*frame.as_ptr()).decode_error_flags }
}

/// A stream's coded width and height as its parameters state them.
#[must_use]
pub(crate) fn coded_size(parameters: &codec::Parameters) -> (i32, i32) {
    // SAFETY: the pointer is the stream's live `AVCodecParameters`; width
    // and height are plain ints.
    unsafe {
        let p = parameters.as_ptr();
        ((*p).width, (*p).height)
    }
}

/// A stream's field order as its parameters state it (`AVFieldOrder`,
/// read as the C int: 0 unknown, 1 progressive, 2 TT, 3 BB, 4 TB, 5 BT).
#[must_use]
pub(crate) fn field_order(parameters: &codec::Parameters) -> i32 {
    // SAFETY: the pointer is the stream's live `AVCodecParameters`; the
    // field is read as the `int` C stores, so a value the Rust enum does
    // not list cannot be made.
    unsafe {
        let p = parameters.as_ptr();
        std::ptr::addr_of!((*p).field_order).cast::<i32>().read()
    }
}

/// Sets the field order an encoder writes into its stream parameters (and
/// so into the container): `top_first` or bottom first, the fields coded
/// as fields (`TB`/`BT`, as the ffmpeg tool tags them) or within whole
/// frames (`TT`/`BB`).
pub(crate) fn set_field_order(
    encoder: &mut ffmpeg_next::encoder::video::Video,
    top_first: bool,
    coded_as_fields: bool,
) {
    use sys::AVFieldOrder::{AV_FIELD_BB, AV_FIELD_BT, AV_FIELD_TB, AV_FIELD_TT};
    let order = match (top_first, coded_as_fields) {
        (true, true) => AV_FIELD_TB,
        (true, false) => AV_FIELD_TT,
        (false, true) => AV_FIELD_BT,
        (false, false) => AV_FIELD_BB,
    };
    // SAFETY: setting a plain field of the encoder context this wrapper
    // owns, before it is opened.
    unsafe {
        (*encoder.as_mut_ptr()).field_order = order;
    }
}

/// Sets an output stream's pixel aspect ratio (ffmpeg-next sets only the
/// encoder's).
pub(crate) fn set_sample_aspect_ratio(stream: &mut StreamMut<'_>, ratio: Rational) {
    // SAFETY: setting a plain field of a stream its output context owns,
    // before the header is written.
    unsafe {
        (*stream.as_mut_ptr()).sample_aspect_ratio = ratio.into();
    }
}

/// Attaches a display matrix (nine native-endian `i32`) to an output
/// stream, so the output plays turned as the input did.
///
/// # Errors
/// `ENOMEM` when the side data cannot be allocated.
pub(crate) fn add_display_matrix(
    stream: &mut StreamMut<'_>,
    matrix: &[u8; 36],
) -> Result<(), Error> {
    // SAFETY: `stream` is a live stream of an output context whose header
    // is not written yet; `av_stream_new_side_data` allocates `len` bytes
    // owned by the stream (or returns null), and exactly that many are
    // copied from the array into it.
    let copied = unsafe {
        let data = sys::av_stream_new_side_data(
            stream.as_mut_ptr(),
            sys::AVPacketSideDataType::AV_PKT_DATA_DISPLAYMATRIX,
            matrix.len(),
        );
        if !data.is_null() {
            std::ptr::copy_nonoverlapping(matrix.as_ptr(), data, matrix.len());
        }
        !data.is_null()
    };
    if copied {
        Ok(())
    } else {
        Err(no_memory())
    }
}

/// Whether the muxer `format` can store `codec` (`avformat_query_codec`
/// at normal compliance; `false` when it does not know).
#[must_use]
pub(crate) fn muxer_accepts(format: &ffmpeg_next::format::Output, codec: codec::Id) -> bool {
    // SAFETY: `format` points at FFmpeg's static muxer description; the
    // call only reads it.
    unsafe {
        sys::avformat_query_codec(format.as_ptr(), codec.into(), sys::FF_COMPLIANCE_NORMAL) == 1
    }
}

/// Clears the container-specific codec tag of a stream copied from
/// another container, so the muxer picks its own.
pub(crate) fn clear_codec_tag(stream: &mut StreamMut<'_>) {
    // SAFETY: clearing a plain field of parameters this output stream
    // owns, before the header is written.
    unsafe {
        (*stream.parameters().as_mut_ptr()).codec_tag = 0;
    }
}

/// The planes of a frame as slices, `count` of them, borrowed mutably
/// together. The caller must have made the frame writable
/// ([`make_writable`]); [`crate::pixel::view`] does.
///
/// Planes whose line size is negative (bottom-up frames, which no decoder
/// sladd uses returns) are not given: an empty list.
pub(crate) fn planes_mut(frame: &mut frame::Video, count: usize) -> Vec<&mut [u8]> {
    let count = count.min(frame.planes());
    // SAFETY: reading the line sizes of the live `AVFrame`.
    let negative = (0..count).any(|i| unsafe { (*frame.as_ptr()).linesize[i] } < 0);
    if negative {
        return Vec::new();
    }
    let ptr: *mut frame::Video = frame;
    (0..count)
        .map(|index| {
            // SAFETY: `data_mut(i)` borrows the whole frame, so several
            // calls cannot coexist through safe code; but each returns a
            // slice over plane `i`'s own buffer (`data[i]`,
            // `linesize[i] * plane_height(i)` bytes, the line sizes checked
            // non-negative above), and the planes of one FFmpeg frame never
            // overlap. The frame is not touched again while the slices
            // live, which is as long as the `&mut frame` given.
            unsafe { (*ptr).data_mut(index) }
        })
        .collect()
}

/// A pool of equally sized, reference-counted buffers (`AVBufferPool`): a
/// buffer goes back to it when the last frame using it is freed.
pub(crate) struct BufferPool {
    pool: *mut sys::AVBufferPool,
    size: usize,
}

// SAFETY: an `AVBufferPool` may be used from any thread (its free list is
// behind a mutex); the raw pointer is owned here alone.
unsafe impl Send for BufferPool {}

/// Bytes after the last plane of a pooled frame: swscale and the encoders
/// may read past the end of a row (sladd's own kernels never do).
const POOL_PADDING: usize = 256;

impl BufferPool {
    /// A pool of buffers that hold a `format` frame of `width × height`
    /// with rows aligned to `align` bytes.
    ///
    /// # Errors
    /// FFmpeg's, for a geometry it cannot size, or `ENOMEM`.
    pub(crate) fn new(format: Pixel, width: i32, height: i32, align: i32) -> Result<Self, Error> {
        // SAFETY: plain computation on the arguments.
        let size = unsafe { sys::av_image_get_buffer_size(format.into(), width, height, align) };
        let size = usize::try_from(size).map_err(|_| Error::from(size))?;
        // SAFETY: a null allocator means `av_buffer_alloc`; the pool is
        // released in `drop` (it frees itself once every buffer is back).
        let pool = unsafe { sys::av_buffer_pool_init(size + POOL_PADDING, None) };
        if pool.is_null() {
            return Err(no_memory());
        }
        Ok(Self { pool, size })
    }

    /// A copy of `frame` (pixels and properties) in a buffer of the pool,
    /// rows aligned to `align`. The frame must be of the geometry the pool
    /// was made for.
    ///
    /// # Errors
    /// FFmpeg's, or `ENOMEM`.
    pub(crate) fn copy(&self, frame: &frame::Video, align: i32) -> Result<frame::Video, Error> {
        let format: sys::AVPixelFormat = frame.format().into();
        let width = i32::try_from(frame.width()).map_err(|_| Error::InvalidData)?;
        let height = i32::try_from(frame.height()).map_err(|_| Error::InvalidData)?;
        // SAFETY: plain computation on the arguments.
        let needed = unsafe { sys::av_image_get_buffer_size(format, width, height, align) };
        if usize::try_from(needed).map_or(true, |n| n > self.size) {
            return Err(Error::InvalidData);
        }
        let mut copy = frame::Video::empty();
        // SAFETY: `self.pool` is a live pool of buffers of at least
        // `needed` bytes (checked above); `av_image_fill_arrays` lays the
        // planes out inside that size; the buffer reference moves into
        // `copy.buf[0]`, which owns it from then on (freed by
        // `av_frame_unref` when `copy` drops, on every path).
        // `av_frame_copy` copies the visible pixels of two frames of the
        // same format and size, `av_frame_copy_props` the timestamps and
        // colour fields.
        unsafe {
            let buf = sys::av_buffer_pool_get(self.pool);
            if buf.is_null() {
                return Err(no_memory());
            }
            let out = copy.as_mut_ptr();
            (*out).buf[0] = buf;
            (*out).format = format as i32;
            (*out).width = width;
            (*out).height = height;
            check(sys::av_image_fill_arrays(
                (*out).data.as_mut_ptr(),
                (*out).linesize.as_mut_ptr(),
                (*buf).data,
                format,
                width,
                height,
                align,
            ))?;
            check(sys::av_frame_copy(out, frame.as_ptr()))?;
            check(sys::av_frame_copy_props(out, frame.as_ptr()))?;
        }
        Ok(copy)
    }
}

impl Drop for BufferPool {
    fn drop(&mut self) {
        // SAFETY: the pool is live and owned here; `av_buffer_pool_uninit`
        // nulls the pointer and frees the pool once every buffer taken from
        // it has been returned (frames still in the encoder keep theirs
        // valid until then).
        unsafe { sys::av_buffer_pool_uninit(&mut self.pool) };
    }
}

/// Sets the YUV ranges a scaler converts between (full or limited),
/// keeping its colour matrices. Returns whether swscale took them.
pub(crate) fn set_scaler_ranges(
    scaler: &mut scaling::Context,
    src_full: bool,
    dst_full: bool,
) -> bool {
    // SAFETY: the context is live and owned by `scaler`; the tables
    // `sws_getColorspaceDetails` returns point into the context (or
    // swscale's static tables) and are only passed back to it.
    unsafe {
        let ctx = scaler.as_mut_ptr();
        let (mut inv, mut table) = (std::ptr::null_mut(), std::ptr::null_mut());
        let (mut src, mut dst, mut bright, mut contrast, mut sat) = (0, 0, 0, 0, 0);
        if sys::sws_getColorspaceDetails(
            ctx,
            &mut inv,
            &mut src,
            &mut table,
            &mut dst,
            &mut bright,
            &mut contrast,
            &mut sat,
        ) < 0
        {
            return false;
        }
        sys::sws_setColorspaceDetails(
            ctx,
            inv,
            i32::from(src_full),
            table,
            i32::from(dst_full),
            bright,
            contrast,
            sat,
        ) >= 0
    }
}

/// An `SwsContext` that may move between threads.
pub(crate) struct Scaler(pub(crate) scaling::Context);

// SAFETY: an `SwsContext` has no thread affinity; it is used by one thread
// at a time (its owner), which `&mut self` access guarantees.
unsafe impl Send for Scaler {}

/// Restamps a frame: its `pts` and the `best_effort_timestamp` the
/// encoding stage reads.
pub(crate) fn set_timestamp(frame: &mut frame::Video, pts: i64) {
    frame.set_pts(Some(pts));
    // SAFETY: writing a plain int field of the `AVFrame` the caller owns
    // through `&mut`.
    unsafe {
        (*frame.as_mut_ptr()).best_effort_timestamp = pts;
    }
}

/// A new frame holding new references to `frame`'s buffers (shared until
/// one of them is made writable); `None` when FFmpeg cannot allocate it.
pub(crate) fn clone_frame(frame: &frame::Video) -> Option<frame::Video> {
    // SAFETY: `av_frame_clone` reads the live `AVFrame` the wrapper owns and
    // returns a new frame holding new references to its buffers, or null.
    let ptr = unsafe { sys::av_frame_clone(frame.as_ptr()) };
    // SAFETY: `ptr` is a fresh frame nothing else owns; the wrapper takes
    // it over and frees it when dropped.
    (!ptr.is_null()).then(|| unsafe { frame::Video::wrap(ptr) })
}

/// A stream's codec tag (the container's four characters, `tmcd` for a
/// QuickTime timecode track), as stored.
pub(crate) fn codec_tag(parameters: &codec::Parameters) -> [u8; 4] {
    // SAFETY: the pointer is the stream's live `AVCodecParameters`; the
    // tag is a plain `u32` field.
    let tag = unsafe { (*parameters.as_ptr()).codec_tag };
    tag.to_le_bytes()
}

/// Opens the container at `path` and reads its header only (no stream is
/// probed by reading packets, unlike `ffmpeg_next::format::input`).
pub(crate) fn open_input_header(
    path: &std::ffi::CStr,
) -> Result<ffmpeg_next::format::context::Input, Error> {
    let mut context: *mut sys::AVFormatContext = std::ptr::null_mut();
    // SAFETY: `context` is a null pointer to be filled in, `path` a
    // NUL-terminated string that outlives the call; no format or options
    // are forced. On failure FFmpeg frees what it allocated and leaves
    // `context` null.
    let ret = unsafe {
        sys::avformat_open_input(
            &mut context,
            path.as_ptr(),
            std::ptr::null(),
            std::ptr::null_mut(),
        )
    };
    if ret < 0 || context.is_null() {
        return Err(Error::from(ret));
    }
    // SAFETY: `context` was opened by `avformat_open_input` above and is
    // owned by nothing else; `Input` closes it (avformat_close_input) when
    // dropped.
    Ok(unsafe { ffmpeg_next::format::context::Input::wrap(context) })
}
