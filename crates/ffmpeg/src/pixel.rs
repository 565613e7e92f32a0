//! FFmpeg pixel formats and frames as sladd-core formats and frame views.

use ffmpeg_next::format::Pixel;
use ffmpeg_next::frame;
use ffmpeg_next::util::color;
use sladd_core::{ColorMatrix, ColorRange, FrameMut, PixelFormat};

use crate::error::{Error, Result};

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
    let deep = crate::ffi::component_depth(pixel).is_some_and(|d| d > 8);
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
pub(crate) fn frame_range(frame: &frame::Video, implied: Option<ColorRange>) -> Option<ColorRange> {
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

/// Views a frame's planes as a sladd-core frame for masking in place.
///
/// A frame whose buffers are shared (a decoder keeps the frames it hands
/// out as references for the next ones) is first given buffers of its own
/// (`av_frame_make_writable`, one copy), so that writing through the view
/// can never reach another frame; a frame that owns its buffers is viewed
/// without a copy. `index` (the frame's position) names it in errors.
///
/// # Errors
/// [`Error::Convert`] when the copy cannot be allocated;
/// [`Error::FrameView`] for a format without a core layout
/// ([`core_format`]), bottom-up planes, or a geometry the core refuses.
pub fn view(frame: &mut frame::Video, index: u64) -> Result<FrameMut<'_>> {
    planes_view(frame, index, None)
}

/// One field of an interlaced frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The even rows (0, 2, 4, …).
    Top,
    /// The odd rows (1, 3, 5, …).
    Bottom,
}

/// Whether a frame of `pixel` and `height` splits into two fields of
/// whole chroma rows (4:2:0 needs a height divisible by 4).
#[must_use]
pub fn splits_into_fields(pixel: Pixel, height: u32) -> bool {
    let Some((format, _)) = core_format(pixel) else {
        return false;
    };
    let rows = 2u32 << format.chroma_shift().1;
    height >= rows && height % rows == 0
}

/// A view of one field of an interlaced frame, as a frame of half the
/// height: every other row of every plane (for 4:2:0, every other chroma
/// row too, which is the field's own chroma), so that masks rasterized at
/// the field's size cover its samples conservatively. Made writable as
/// [`view`] makes a frame.
///
/// # Errors
/// As [`view`]; [`Error::FrameView`] when the height does not split
/// ([`splits_into_fields`]).
pub fn field_view(frame: &mut frame::Video, index: u64, field: Field) -> Result<FrameMut<'_>> {
    planes_view(frame, index, Some(field))
}

/// [`view`] of the whole frame, or of one field.
fn planes_view(frame: &mut frame::Video, index: u64, field: Option<Field>) -> Result<FrameMut<'_>> {
    let pixel = frame.format();
    let (width, height) = (frame.width(), frame.height());
    let view_error = |source| Error::FrameView {
        frame: index,
        format: pixel_name(pixel),
        width,
        height,
        source,
    };
    let Some((format, implied)) = core_format(pixel) else {
        return Err(view_error(sladd_core::Error::UnknownFormat {
            name: pixel_name(pixel),
        }));
    };
    if field.is_some() && !splits_into_fields(pixel, height) {
        return Err(view_error(sladd_core::Error::UnknownFormat {
            name: format!("{} at an odd field height", pixel_name(pixel)),
        }));
    }
    crate::ffi::make_writable(frame).map_err(|source| Error::Convert {
        frame: index,
        from: pixel_name(pixel),
        to: "a writable copy".to_owned(),
        source,
    })?;
    let range = frame_range(frame, implied);
    let matrix = frame_matrix(frame);
    let count = format.plane_count();
    let strides: Vec<usize> = (0..count.min(frame.planes()))
        .map(|i| frame.stride(i))
        .collect();
    let planes = crate::ffi::planes_mut(frame, count);
    let view = match field {
        None => FrameMut::from_planes(format, width, height, planes.into_iter().zip(strides)),
        Some(field) => {
            let fields = planes.into_iter().zip(strides).map(|(plane, stride)| {
                let skip = if field == Field::Bottom { stride } else { 0 };
                let rows = plane.get_mut(skip.min(plane.len())..).unwrap_or_default();
                (rows, 2 * stride)
            });
            FrameMut::from_planes(format, width, height / 2, fields)
        }
    }
    .map_err(view_error)?
    .with_matrix(matrix);
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

    /// The two fields of a frame are its even and its odd rows, chroma
    /// included.
    #[test]
    fn field_views_take_every_other_row() {
        let mut frame = frame::Video::new(Pixel::YUV420P, 4, 8);
        for plane in 0..3 {
            let stride = frame.stride(plane);
            for (row, line) in frame.data_mut(plane).chunks_mut(stride).enumerate() {
                line.fill(row as u8);
            }
        }
        for (field, first) in [(Field::Top, 0u8), (Field::Bottom, 1)] {
            let v = field_view(&mut frame, 0, field).unwrap();
            assert_eq!((v.width(), v.height()), (4, 4));
            let sladd_core::frame::Planes::U8([Some(y), Some(u), _]) = v.planes() else {
                panic!("planes");
            };
            let rows: Vec<u8> = (0..4).map(|r| y.row(r).unwrap()[0]).collect();
            assert_eq!(rows, [first, first + 2, first + 4, first + 6]);
            let chroma: Vec<u8> = (0..2).map(|r| u.row(r).unwrap()[0]).collect();
            assert_eq!(chroma, [first, first + 2]);
        }
        assert!(splits_into_fields(Pixel::YUV420P, 480));
        assert!(!splits_into_fields(Pixel::YUV420P, 486));
        assert!(splits_into_fields(Pixel::YUV422P, 486));
        assert!(field_view(&mut frame::Video::new(Pixel::YUV420P, 4, 6), 0, Field::Top).is_err());
    }

    #[test]
    fn views_an_allocated_frame() {
        let mut frame = frame::Video::new(Pixel::YUV420P10LE, 33, 17);
        let v = view(&mut frame, 0).unwrap();
        assert_eq!(v.format(), PixelFormat::Yuv420p10le);
        assert_eq!((v.width(), v.height()), (33, 17));
        let mut frame = frame::Video::new(Pixel::YUVJ422P, 8, 8);
        assert_eq!(view(&mut frame, 0).unwrap().range(), ColorRange::Full);
        let mut frame = frame::Video::new(Pixel::YUV422P10LE, 8, 8);
        assert!(view(&mut frame, 0).is_err());
    }

    /// Regression: `view` was safe but wrote into buffers another frame
    /// (the decoder's reference) still used. A view of a shared frame now
    /// masks a copy; the other frame keeps its pixels.
    #[test]
    fn a_view_never_writes_into_a_shared_buffer() {
        let mut original = frame::Video::new(Pixel::GRAY8, 16, 4);
        original.data_mut(0).fill(7);
        let mut shared = original.clone();
        // `clone` copies; share the buffers the way a decoder does.
        // SAFETY: both are live frames; `av_frame_ref` adds a reference to
        // `original`'s buffers in the emptied `shared`.
        unsafe {
            ffmpeg_next::ffi::av_frame_unref(shared.as_mut_ptr());
            assert!(ffmpeg_next::ffi::av_frame_ref(shared.as_mut_ptr(), original.as_ptr()) >= 0);
        }
        assert!(!crate::ffi::is_writable(&shared));
        {
            let mut v = view(&mut shared, 0).unwrap();
            if let sladd_core::frame::Planes::U8([Some(luma), ..]) = v.planes_mut() {
                luma.as_mut_slice().fill(0);
            }
        }
        assert!(original.data(0).iter().all(|&b| b == 7));
        assert!(shared.data(0)[..16].iter().all(|&b| b == 0));
    }
}
