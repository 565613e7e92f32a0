//! FFmpeg pixel formats and frames as sladd-core formats and frame views.

use ffmpeg_next::format::Pixel;
use ffmpeg_next::frame;
use ffmpeg_next::util::color;
use sladd_core::{ColorMatrix, ColorRange, FrameMut, PixelFormat};

/// The sladd-core layout that views an FFmpeg pixel format's buffers as they
/// are, with the range the format implies (the `yuvj*` formats are
/// full-range layouts of their `yuv*` counterparts), or `None` when frames of
/// this format must be converted first.
#[must_use]
pub fn core_format(pixel: Pixel) -> Option<(PixelFormat, Option<ColorRange>)> {
    let full = Some(ColorRange::Full);
    Some(match pixel {
        Pixel::YUV420P => (PixelFormat::Yuv420p, None),
        Pixel::YUVJ420P => (PixelFormat::Yuvj420p, full),
        Pixel::YUV422P => (PixelFormat::Yuv422p, None),
        Pixel::YUVJ422P => (PixelFormat::Yuv422p, full),
        Pixel::YUV444P => (PixelFormat::Yuv444p, None),
        Pixel::YUVJ444P => (PixelFormat::Yuv444p, full),
        Pixel::NV12 => (PixelFormat::Nv12, None),
        Pixel::GRAY8 => (PixelFormat::Gray8, None),
        Pixel::RGB24 => (PixelFormat::Rgb24, None),
        Pixel::BGR24 => (PixelFormat::Bgr24, None),
        Pixel::RGBA => (PixelFormat::Rgba, None),
        Pixel::BGRA => (PixelFormat::Bgra, None),
        Pixel::YUV420P10LE => (PixelFormat::Yuv420p10le, None),
        _ => return None,
    })
}

/// The supported format a frame of `pixel` is converted to when
/// [`core_format`] has none: 10-bit 4:2:0 for deeper formats, 8-bit 4:2:0
/// (full range for the `yuvj*` family) otherwise.
#[must_use]
pub fn conversion_target(pixel: Pixel) -> Pixel {
    let deep = pixel
        .descriptor()
        // SAFETY: a descriptor points at FFmpeg's static table entry for
        // the format, whose first component always exists.
        .map(|d| unsafe { (*d.as_ptr()).comp[0].depth > 8 })
        .unwrap_or(false);
    if deep {
        Pixel::YUV420P10LE
    } else if matches!(pixel, Pixel::YUVJ411P | Pixel::YUVJ440P) {
        Pixel::YUVJ420P
    } else {
        Pixel::YUV420P
    }
}

/// FFmpeg's name for a pixel format (`yuv420p`), or its debug form.
#[must_use]
pub fn pixel_name(pixel: Pixel) -> String {
    pixel
        .descriptor()
        .map_or_else(|| format!("{pixel:?}"), |d| d.name().to_owned())
}

/// The YUV range a frame states, else the one its format implies.
fn frame_range(frame: &frame::Video, implied: Option<ColorRange>) -> Option<ColorRange> {
    match frame.color_range() {
        color::Range::JPEG => Some(ColorRange::Full),
        color::Range::MPEG => Some(implied.unwrap_or(ColorRange::Limited)),
        _ => implied,
    }
}

/// The YUV matrix a frame states, else FFmpeg's guess from its height.
fn frame_matrix(frame: &frame::Video) -> ColorMatrix {
    match frame.color_space() {
        color::Space::BT709 => ColorMatrix::Bt709,
        color::Space::BT470BG | color::Space::SMPTE170M | color::Space::FCC => ColorMatrix::Bt601,
        _ => ColorMatrix::for_height(frame.height()),
    }
}

/// Views a decoded frame's planes as a sladd-core frame, without a copy.
///
/// The caller must have made the frame's buffers writable
/// (`av_frame_make_writable`) and its format one [`core_format`] knows.
///
/// # Errors
/// The core's geometry errors, or [`sladd_core::Error::UnknownFormat`] for
/// a format without a core layout.
pub fn view(frame: &mut frame::Video) -> sladd_core::Result<FrameMut<'_>> {
    let pixel = frame.format();
    let Some((format, implied)) = core_format(pixel) else {
        return Err(sladd_core::Error::UnknownFormat {
            name: pixel_name(pixel),
        });
    };
    let (width, height) = (frame.width(), frame.height());
    let range = frame_range(frame, implied);
    let matrix = frame_matrix(frame);
    let count = format.plane_count().min(frame.planes());
    let strides: Vec<usize> = (0..count).map(|i| frame.stride(i)).collect();
    let ptr: *mut frame::Video = frame;
    let mut planes: Vec<(&mut [u8], usize)> = Vec::with_capacity(count);
    for (index, stride) in strides.into_iter().enumerate() {
        // SAFETY: `data_mut(i)` borrows the whole frame, so several calls
        // cannot coexist through safe code; but each returns a slice over
        // plane `i`'s own buffer (`data[i]`, `linesize[i] * plane_height(i)`
        // bytes, line sizes being non-negative for decoded and allocated
        // frames), and the planes of one FFmpeg frame never overlap. The
        // frame is not touched again in this function, and the slices live
        // as long as the `&mut frame` given, which the returned view borrows.
        let plane = unsafe { (*ptr).data_mut(index) };
        planes.push((plane, stride));
    }
    let view = FrameMut::from_planes(format, width, height, planes)?.with_matrix(matrix);
    Ok(match range {
        Some(range) => view.with_range(range),
        None => view,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_format_has_an_ffmpeg_name() {
        for pixel in [
            Pixel::YUV420P,
            Pixel::YUVJ420P,
            Pixel::NV12,
            Pixel::GRAY8,
            Pixel::RGB24,
            Pixel::BGRA,
            Pixel::YUV420P10LE,
        ] {
            let (format, _) = core_format(pixel).unwrap();
            assert_eq!(format.name(), pixel_name(pixel));
        }
        assert_eq!(
            core_format(Pixel::YUVJ422P).unwrap().1,
            Some(ColorRange::Full)
        );
        assert!(core_format(Pixel::YUV422P10LE).is_none());
        assert_eq!(conversion_target(Pixel::YUV422P10LE), Pixel::YUV420P10LE);
        assert_eq!(conversion_target(Pixel::P010LE), Pixel::YUV420P10LE);
        assert_eq!(conversion_target(Pixel::NV21), Pixel::YUV420P);
    }

    #[test]
    fn views_an_allocated_frame() {
        let mut frame = frame::Video::new(Pixel::YUV420P10LE, 33, 17);
        let v = view(&mut frame).unwrap();
        assert_eq!(v.format(), PixelFormat::Yuv420p10le);
        assert_eq!((v.width(), v.height()), (33, 17));
        let mut frame = frame::Video::new(Pixel::YUVJ422P, 8, 8);
        assert_eq!(view(&mut frame).unwrap().range(), ColorRange::Full);
        let mut frame = frame::Video::new(Pixel::YUV422P10LE, 8, 8);
        assert!(view(&mut frame).is_err());
    }
}
