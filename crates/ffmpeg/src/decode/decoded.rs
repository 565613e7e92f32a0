//! One decoded frame, its time, and views of it for masking.

use ffmpeg_next::frame;
use sladd_core::FrameMut;

use super::pool::FramePool;
use crate::error::{Error, Result};
use crate::pixel::{field_view, pixel_name, splits_into_fields, view, Field};
use crate::time::FrameTime;
use sladd_core::Rotation;

/// One decoded frame and its time.
///
/// The frame is FFmpeg's own (`AVFrame`), in a format sladd-core masks in
/// place: decoded buffers when the decoder's format is supported, a
/// swscale-converted copy when it is not.
pub struct DecodedFrame {
    pub(super) frame: frame::Video,
    pub(super) time: FrameTime,
    pub(super) rotation: Rotation,
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
    /// [`super::VideoInfo::rotation`]).
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
        let frame = crate::ffi::clone_frame(&self.frame).ok_or_else(|| Error::Convert {
            frame: self.time.index,
            from: pixel_name(self.frame.format()),
            to: "a second reference".to_owned(),
            source: ffmpeg_next::Error::Other {
                errno: ffmpeg_next::util::error::ENOMEM,
            },
        })?;
        Ok(Self {
            frame,
            time: self.time,
            rotation: self.rotation,
        })
    }

    /// A sladd-core view of the frame's planes for masking in place.
    ///
    /// The decoder may still hold the frame's buffers as a reference for
    /// later frames; they are then copied once so that masking can never
    /// leak into the decoding of the next frames (see
    /// [`crate::pixel::view`]). Otherwise nothing is copied.
    ///
    /// # Errors
    /// [`Error::Convert`] when the copy cannot be allocated,
    /// [`Error::FrameView`] when the core rejects the geometry.
    pub fn view(&mut self) -> Result<FrameMut<'_>> {
        view(&mut self.frame, self.time.index)
    }

    /// A view of one field of the (interlaced) frame, as a frame of half
    /// the height (see [`crate::pixel::field_view`]).
    ///
    /// # Errors
    /// As [`DecodedFrame::view`]; [`Error::FrameView`] when the height does
    /// not split into two fields ([`DecodedFrame::splits_into_fields`]).
    pub fn field_view(&mut self, field: Field) -> Result<FrameMut<'_>> {
        field_view(&mut self.frame, self.time.index, field)
    }

    /// Whether the decoder flags the frame as interlaced.
    #[must_use]
    pub fn is_interlaced(&self) -> bool {
        self.frame.is_interlaced()
    }

    /// Whether the frame splits into two fields of whole chroma rows.
    #[must_use]
    pub fn splits_into_fields(&self) -> bool {
        splits_into_fields(self.frame.format(), self.frame.height())
    }

    /// Gives the frame buffers of its own, taking the copy (when one is
    /// needed) from `pool`'s recycled buffers instead of a fresh
    /// allocation; views made after are copy-free.
    pub(crate) fn make_writable(&mut self, pool: &mut FramePool) -> Result<()> {
        let index = self.time.index;
        pool.make_writable(&mut self.frame)
            .map_err(|source| Error::Convert {
                frame: index,
                from: pixel_name(self.frame.format()),
                to: "a writable copy".to_owned(),
                source,
            })
    }
}
