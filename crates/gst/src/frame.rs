//! GStreamer raw video as sladd frames: formats, colorimetry and plane
//! views over a mapped buffer, without a copy.

use gst_video::prelude::*;
use gst_video::{VideoColorMatrix, VideoColorRange, VideoFormat, VideoInfo};
use sladd_core::{ColorMatrix, ColorRange, FrameMut, PixelFormat};

use crate::error::{Error, Result};

/// The raw formats `sladdmask` masks in place, with the sladd format of the
/// same layout. `RGBx` and `BGRx` are masked as `rgba` and `bgra`, whose
/// fourth byte sladd never writes.
pub const FORMATS: [(VideoFormat, PixelFormat); 12] = [
    (VideoFormat::I420, PixelFormat::Yuv420p),
    (VideoFormat::Nv12, PixelFormat::Nv12),
    (VideoFormat::Y444, PixelFormat::Yuv444p),
    (VideoFormat::Y42b, PixelFormat::Yuv422p),
    (VideoFormat::Gray8, PixelFormat::Gray8),
    (VideoFormat::Rgb, PixelFormat::Rgb24),
    (VideoFormat::Bgr, PixelFormat::Bgr24),
    (VideoFormat::Rgba, PixelFormat::Rgba),
    (VideoFormat::Bgra, PixelFormat::Bgra),
    (VideoFormat::Rgbx, PixelFormat::Rgba),
    (VideoFormat::Bgrx, PixelFormat::Bgra),
    (VideoFormat::I42010le, PixelFormat::Yuv420p10le),
];

/// The sladd format of a GStreamer raw format, if `sladdmask` masks it.
#[must_use]
pub fn pixel_format(format: VideoFormat) -> Option<PixelFormat> {
    FORMATS
        .iter()
        .find(|(video, _)| *video == format)
        .map(|(_, pixel)| *pixel)
}

/// How the frames of a negotiated stream are laid out and coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The sladd format.
    pub format: PixelFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The YUV range the caps state (or the format's default).
    pub range: ColorRange,
    /// The YUV matrix the caps state (or the default for the height).
    pub matrix: ColorMatrix,
}

impl Layout {
    /// The layout of a stream with video info `info`.
    ///
    /// # Errors
    /// [`Error::Caps`] for a format sladd does not mask.
    pub fn of(info: &VideoInfo) -> Result<Self> {
        let format = pixel_format(info.format()).ok_or_else(|| Error::Caps {
            caps: info.format().to_str().to_string(),
        })?;
        let (width, height) = (info.width(), info.height());
        let colorimetry = info.colorimetry();
        let range = match colorimetry.range() {
            VideoColorRange::Range0_255 => ColorRange::Full,
            VideoColorRange::Range16_235 => ColorRange::Limited,
            _ => format.default_range(),
        };
        let matrix = match colorimetry.matrix() {
            VideoColorMatrix::Bt709 | VideoColorMatrix::Smpte240m => ColorMatrix::Bt709,
            VideoColorMatrix::Bt601 | VideoColorMatrix::Fcc => ColorMatrix::Bt601,
            _ => ColorMatrix::for_height(height),
        };
        Ok(Self {
            format,
            width,
            height,
            range,
            matrix,
        })
    }

    /// A sladd view of a mapped frame's planes, in place: each plane's
    /// bytes and stride as the frame (or its video meta) lays them out.
    ///
    /// # Errors
    /// [`Error::Stride`] for a plane laid out bottom-up or with no stride,
    /// else what `FrameMut::from_planes` says of the geometry.
    pub fn view<'a>(
        &self,
        frame: &'a mut gst_video::VideoFrameRef<&mut gst::BufferRef>,
    ) -> Result<FrameMut<'a>> {
        let count = frame.n_planes() as usize;
        let mut strides = [0i32; 4];
        for (slot, &stride) in strides.iter_mut().zip(frame.plane_stride()) {
            *slot = stride;
        }
        let mut planes: [Option<(&'a mut [u8], usize)>; 4] = [None, None, None, None];
        for (plane, ((slot, data), stride)) in planes
            .iter_mut()
            .zip(frame.planes_data_mut())
            .zip(strides)
            .enumerate()
            .take(count)
        {
            let bytes = usize::try_from(stride)
                .ok()
                .filter(|&s| s > 0)
                .ok_or(Error::Stride { plane, stride })?;
            *slot = Some((data, bytes));
        }
        Ok(FrameMut::from_planes(
            self.format,
            self.width,
            self.height,
            planes.into_iter().flatten(),
        )?
        .with_range(self.range)
        .with_matrix(self.matrix))
    }
}
