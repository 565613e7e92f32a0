//! Pixel format codes and the caller's plane arrays as a core frame view.

use sladd_core::{FrameMut, PixelFormat};

use crate::error::Error;

/// The pixel formats a masker accepts; FFmpeg's names. Pass the value as
/// the `format` argument of `sladd_masker_new`.
///
/// Planes are passed in the format's order: Y, U, V for the planar YUV
/// formats; Y, then interleaved UV for NV12; the one plane of a gray or
/// packed RGB format. Chroma planes of subsampled formats are
/// `ceil(width / 2)` samples wide (and `ceil(height / 2)` rows for 4:2:0).
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SladdPixelFormat {
    /// Planar 4:2:0, limited range.
    Yuv420p = 0,
    /// Planar 4:2:0, full range (MJPEG cameras).
    Yuvj420p = 1,
    /// Planar 4:2:2, limited range.
    Yuv422p = 2,
    /// Planar 4:4:4, limited range.
    Yuv444p = 3,
    /// Y plane, then interleaved U/V at half size both ways.
    Nv12 = 4,
    /// One plane of 8-bit luma.
    Gray8 = 5,
    /// Packed R, G, B bytes.
    Rgb24 = 6,
    /// Packed B, G, R bytes.
    Bgr24 = 7,
    /// Packed R, G, B, A bytes (alpha is never written).
    Rgba = 8,
    /// Packed B, G, R, A bytes (alpha is never written).
    Bgra = 9,
    /// Planar 4:2:0 with 10 significant bits in little-endian 16-bit
    /// samples; planes start at even addresses, strides and lengths are in
    /// bytes and even.
    Yuv420p10le = 10,
}

/// The core pixel format for a `SladdPixelFormat` code.
pub(crate) fn pixel_format(code: i32) -> Result<PixelFormat, Error> {
    use SladdPixelFormat as S;
    const CODES: [(SladdPixelFormat, PixelFormat); 11] = [
        (S::Yuv420p, PixelFormat::Yuv420p),
        (S::Yuvj420p, PixelFormat::Yuvj420p),
        (S::Yuv422p, PixelFormat::Yuv422p),
        (S::Yuv444p, PixelFormat::Yuv444p),
        (S::Nv12, PixelFormat::Nv12),
        (S::Gray8, PixelFormat::Gray8),
        (S::Rgb24, PixelFormat::Rgb24),
        (S::Bgr24, PixelFormat::Bgr24),
        (S::Rgba, PixelFormat::Rgba),
        (S::Bgra, PixelFormat::Bgra),
        (S::Yuv420p10le, PixelFormat::Yuv420p10le),
    ];
    CODES
        .iter()
        .find(|(c, _)| *c as i32 == code)
        .map(|(_, f)| *f)
        .ok_or(Error::UnknownPixelFormat { code })
}

/// The most planes any format has.
const MAX_PLANES: usize = 3;

/// The caller's description of one frame's planes.
pub(crate) struct RawPlanes {
    /// Pointer to `count` plane pointers.
    pub(crate) planes: *const *mut u8,
    /// Pointer to `count` strides in bytes.
    pub(crate) strides: *const usize,
    /// Pointer to `count` buffer lengths in bytes.
    pub(crate) lengths: *const usize,
    /// How many planes.
    pub(crate) count: usize,
}

/// A frame view over the caller's planes, after checking every pointer,
/// length and overlap; the core then checks strides and lengths against the
/// geometry.
///
/// # Safety
/// `raw.planes`, `raw.strides` and `raw.lengths` must each be null or point
/// to `raw.count` readable elements; each non-null plane pointer must be
/// valid for reads and writes of its length in bytes, and nothing else may
/// access those bytes for the lifetime `'a`.
pub(crate) unsafe fn frame_view<'a>(
    format: PixelFormat,
    width: u32,
    height: u32,
    raw: &RawPlanes,
) -> Result<FrameMut<'a>, Error> {
    if raw.planes.is_null() {
        return Err(Error::NullPointer { what: "planes" });
    }
    if raw.strides.is_null() {
        return Err(Error::NullPointer { what: "strides" });
    }
    if raw.lengths.is_null() {
        return Err(Error::NullPointer { what: "lengths" });
    }
    if raw.count > MAX_PLANES {
        return Err(Error::TooManyPlanes {
            given: raw.count,
            max: MAX_PLANES,
        });
    }
    // SAFETY: the three arrays are non-null (checked above), hold `count`
    // elements (the caller's contract) and `count <= 3`, so these reads
    // stay inside them; `usize` and pointers have no invalid bit patterns.
    let (pointers, strides, lengths) = unsafe {
        (
            std::slice::from_raw_parts(raw.planes, raw.count),
            std::slice::from_raw_parts(raw.strides, raw.count),
            std::slice::from_raw_parts(raw.lengths, raw.count),
        )
    };
    for (plane, (&ptr, &len)) in pointers.iter().zip(lengths).enumerate() {
        if ptr.is_null() {
            return Err(Error::NullPointer { what: "a plane" });
        }
        if len > isize::MAX as usize || (ptr as usize).checked_add(len).is_none() {
            return Err(Error::PlaneTooLong { plane, len });
        }
    }
    // Two `&mut` slices over the same bytes would be undefined behaviour:
    // refuse overlapping planes.
    for first in 0..raw.count {
        for second in first + 1..raw.count {
            let span = |i: usize| {
                let start = pointers[i] as usize;
                (start, start + lengths[i])
            };
            let ((a0, a1), (b0, b1)) = (span(first), span(second));
            if a0 < b1 && b0 < a1 {
                return Err(Error::PlanesOverlap { first, second });
            }
        }
    }
    let mut slices: [Option<(&'a mut [u8], usize)>; MAX_PLANES] = [None, None, None];
    for (i, slot) in slices.iter_mut().enumerate().take(raw.count) {
        // SAFETY: the pointer is non-null and `len <= isize::MAX` with no
        // address overflow (checked above); the caller guarantees it is
        // valid for reads and writes of `len` bytes and that nothing else
        // touches them for `'a`; the planes are pairwise disjoint (checked
        // above), so no two of these `&mut` slices alias; `u8` has
        // alignment 1 and every bit pattern is a valid `u8`.
        let slice = unsafe { std::slice::from_raw_parts_mut(pointers[i], lengths[i]) };
        *slot = Some((slice, strides[i]));
    }
    Ok(FrameMut::from_planes(
        format,
        width,
        height,
        slices.into_iter().flatten(),
    )?)
}
