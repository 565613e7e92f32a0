//! Frames: one to three borrowed planes and their pixel format.
//!
//! A [`FrameMut`] is a view over memory the caller owns (a VMS's decode
//! buffer, an FFmpeg `AVFrame`, an `image` buffer): nothing is copied, and
//! only the visible samples of each row are touched. Geometry is validated
//! once, when the view is built, with checked arithmetic.
//!
//! [`Frame`] is an owned frame with 64-byte aligned rows, for tests,
//! benchmarks and callers that have no buffer of their own.

mod format;
mod interop;
mod plane;

pub use format::{ColorMatrix, ColorRange, PixelFormat, PlaneKind};
pub use plane::{PlaneGeometry, PlaneMut, Sample};

use crate::error::{Error, Result};

/// The longest side, in pixels, of a frame sladd accepts (far above 8K).
pub const MAX_SIDE: u32 = 32_768;

/// The planes of a frame, by sample type.
#[derive(Debug)]
pub enum Planes<'a> {
    /// 8-bit samples: up to three planes.
    U8([Option<PlaneMut<'a, u8>>; 3]),
    /// 16-bit samples (10 significant bits): up to three planes.
    U16([Option<PlaneMut<'a, u16>>; 3]),
}

/// A mutable, borrowed video frame (see the module docs).
#[derive(Debug)]
pub struct FrameMut<'a> {
    format: PixelFormat,
    width: u32,
    height: u32,
    range: ColorRange,
    matrix: ColorMatrix,
    planes: Planes<'a>,
}

impl<'a> FrameMut<'a> {
    /// A frame over 8-bit planes given as `(buffer, stride in bytes)` in the
    /// format's plane order (Y, U, V; Y, UV; or the one packed plane).
    ///
    /// For `yuv420p10le`, the byte buffers are viewed as little-endian
    /// 16-bit samples without a copy; they must start at even addresses and
    /// strides must be even.
    ///
    /// # Errors
    /// [`Error::BadFrameSize`], [`Error::PlaneCount`], [`Error::Misaligned`]
    /// or a plane geometry error naming the plane.
    pub fn from_planes<I>(format: PixelFormat, width: u32, height: u32, planes: I) -> Result<Self>
    where
        I: IntoIterator<Item = (&'a mut [u8], usize)>,
    {
        crate::mask::check_size(width, height)?;
        if format.storage_bits() == 16 {
            let mut wide: [Option<(&'a mut [u16], usize)>; 3] = [None, None, None];
            let mut given = 0;
            for (index, (bytes, stride)) in planes.into_iter().enumerate() {
                given += 1;
                let Some(slot) = wide.get_mut(index) else {
                    continue;
                };
                if stride % 2 != 0 {
                    return Err(Error::Misaligned { plane: index });
                }
                *slot = Some((bytes_as_u16(bytes, index)?, stride / 2));
            }
            check_count(format, given)?;
            return Self::from_planes_u16(format, width, height, wide.into_iter().flatten());
        }
        let mut out: [Option<PlaneMut<'a, u8>>; 3] = [None, None, None];
        let given = fill_planes(format, width, height, planes, &mut out)?;
        check_count(format, given)?;
        Ok(Self::assemble(format, width, height, Planes::U8(out)))
    }

    /// A frame over 16-bit planes given as `(buffer, stride in samples)`,
    /// for `yuv420p10le`.
    ///
    /// # Errors
    /// [`Error::SampleType`] for an 8-bit format, else as
    /// [`FrameMut::from_planes`].
    pub fn from_planes_u16<I>(
        format: PixelFormat,
        width: u32,
        height: u32,
        planes: I,
    ) -> Result<Self>
    where
        I: IntoIterator<Item = (&'a mut [u16], usize)>,
    {
        crate::mask::check_size(width, height)?;
        if format.storage_bits() != 16 {
            return Err(Error::SampleType {
                format,
                expected: format.storage_bits(),
            });
        }
        let mut out: [Option<PlaneMut<'a, u16>>; 3] = [None, None, None];
        let given = fill_planes(format, width, height, planes, &mut out)?;
        check_count(format, given)?;
        Ok(Self::assemble(format, width, height, Planes::U16(out)))
    }

    /// A frame over one tightly packed buffer: the planes follow each other
    /// with no padding, each row exactly `width * channels` samples (the
    /// layout of `av_image_fill_arrays` with alignment 1).
    ///
    /// # Errors
    /// [`Error::BufferTooShort`] naming the first plane that does not fit,
    /// else as [`FrameMut::from_planes`].
    pub fn from_buffer(
        format: PixelFormat,
        width: u32,
        height: u32,
        buffer: &'a mut [u8],
    ) -> Result<Self> {
        crate::mask::check_size(width, height)?;
        let bytes = (format.storage_bits() / 8) as usize;
        let mut rest = buffer;
        let mut planes: Vec<(&'a mut [u8], usize)> = Vec::with_capacity(3);
        for index in 0..format.plane_count() {
            let (w, h) = format.plane_size(index, width, height);
            let stride = w as usize * format.channels(index) * bytes;
            let len = stride * h as usize;
            if rest.len() < len {
                return Err(Error::BufferTooShort {
                    plane: index,
                    len: rest.len(),
                    needed: len,
                });
            }
            let (head, tail) = rest.split_at_mut(len);
            planes.push((head, stride));
            rest = tail;
        }
        Self::from_planes(format, width, height, planes)
    }

    fn assemble(format: PixelFormat, width: u32, height: u32, planes: Planes<'a>) -> Self {
        Self {
            format,
            width,
            height,
            range: format.default_range(),
            matrix: ColorMatrix::for_height(height),
            planes,
        }
    }

    /// The same frame with its YUV range stated (overrides the format's
    /// default, e.g. for a full-range stream tagged `yuv420p`).
    #[must_use]
    pub fn with_range(mut self, range: ColorRange) -> Self {
        self.range = range;
        self
    }

    /// The same frame with its YUV matrix stated.
    #[must_use]
    pub fn with_matrix(mut self, matrix: ColorMatrix) -> Self {
        self.matrix = matrix;
        self
    }

    /// The pixel format.
    #[must_use]
    pub const fn format(&self) -> PixelFormat {
        self.format
    }

    /// Width in pixels.
    #[must_use]
    pub const fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    #[must_use]
    pub const fn height(&self) -> u32 {
        self.height
    }

    /// The YUV range.
    #[must_use]
    pub const fn range(&self) -> ColorRange {
        self.range
    }

    /// The YUV matrix.
    #[must_use]
    pub const fn matrix(&self) -> ColorMatrix {
        self.matrix
    }

    /// The planes.
    #[must_use]
    pub fn planes(&self) -> &Planes<'a> {
        &self.planes
    }

    /// The planes, mutable.
    pub fn planes_mut(&mut self) -> &mut Planes<'a> {
        &mut self.planes
    }
}

fn check_count(format: PixelFormat, given: usize) -> Result<()> {
    if given == format.plane_count() {
        Ok(())
    } else {
        Err(Error::PlaneCount {
            format,
            expected: format.plane_count(),
            given,
        })
    }
}

/// Validates each given plane against the format and stores its view.
/// Returns how many planes were given.
fn fill_planes<'a, T: Sample, I>(
    format: PixelFormat,
    width: u32,
    height: u32,
    planes: I,
    out: &mut [Option<PlaneMut<'a, T>>; 3],
) -> Result<usize>
where
    I: IntoIterator<Item = (&'a mut [T], usize)>,
{
    let mut given = 0;
    for (index, (data, stride)) in planes.into_iter().enumerate() {
        given += 1;
        if index >= format.plane_count() {
            continue;
        }
        let (w, h) = format.plane_size(index, width, height);
        let geometry = PlaneGeometry::new(
            index,
            w as usize,
            h as usize,
            format.channels(index),
            stride,
            data.len(),
        )?;
        if let Some(slot) = out.get_mut(index) {
            *slot = Some(PlaneMut::with_geometry(data, geometry));
        }
    }
    Ok(given)
}

/// Views little-endian 16-bit samples in a byte buffer without a copy.
fn bytes_as_u16(bytes: &mut [u8], plane: usize) -> Result<&mut [u16]> {
    if cfg!(target_endian = "big") {
        // Samples are little-endian; a big-endian host would need a copy.
        return Err(Error::SampleType {
            format: PixelFormat::Yuv420p10le,
            expected: 16,
        });
    }
    // SAFETY: every bit pattern is a valid `u16`, and `align_to_mut` only
    // yields a middle part that is correctly aligned and in bounds.
    let (head, mid, _tail) = unsafe { bytes.align_to_mut::<u16>() };
    if !head.is_empty() {
        return Err(Error::Misaligned { plane });
    }
    Ok(mid)
}

/// An owned frame with 64-byte aligned rows, for tests, benchmarks and
/// callers without a buffer of their own.
#[derive(Debug, Clone)]
pub struct Frame {
    format: PixelFormat,
    width: u32,
    height: u32,
    /// One buffer per plane, each `strides[i] * rows` samples.
    data8: Vec<Vec<u8>>,
    data16: Vec<Vec<u16>>,
    strides: Vec<usize>,
}

impl Frame {
    /// A frame of `format` and size, every sample zero, rows padded to a
    /// multiple of 64 bytes.
    ///
    /// # Errors
    /// [`Error::BadFrameSize`].
    pub fn new(format: PixelFormat, width: u32, height: u32) -> Result<Self> {
        crate::mask::check_size(width, height)?;
        let mut frame = Self {
            format,
            width,
            height,
            data8: vec![],
            data16: vec![],
            strides: vec![],
        };
        for index in 0..format.plane_count() {
            let (w, h) = format.plane_size(index, width, height);
            let samples = w as usize * format.channels(index);
            if format.storage_bits() == 16 {
                let stride = samples.next_multiple_of(32);
                frame.data16.push(vec![0; stride * h as usize]);
                frame.strides.push(stride);
            } else {
                let stride = samples.next_multiple_of(64);
                frame.data8.push(vec![0; stride * h as usize]);
                frame.strides.push(stride);
            }
        }
        Ok(frame)
    }

    /// The pixel format.
    #[must_use]
    pub const fn format(&self) -> PixelFormat {
        self.format
    }

    /// Width in pixels.
    #[must_use]
    pub const fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    #[must_use]
    pub const fn height(&self) -> u32 {
        self.height
    }

    /// Stride of plane `index` in samples.
    #[must_use]
    pub fn stride(&self, index: usize) -> Option<usize> {
        self.strides.get(index).copied()
    }

    /// The 8-bit planes' buffers (empty for a 16-bit format).
    #[must_use]
    pub fn planes_u8(&self) -> &[Vec<u8>] {
        &self.data8
    }

    /// The 8-bit planes' buffers, mutable (empty for a 16-bit format).
    pub fn planes_u8_mut(&mut self) -> &mut [Vec<u8>] {
        &mut self.data8
    }

    /// The 16-bit planes' buffers (empty for an 8-bit format).
    #[must_use]
    pub fn planes_u16(&self) -> &[Vec<u16>] {
        &self.data16
    }

    /// The 16-bit planes' buffers, mutable (empty for an 8-bit format).
    pub fn planes_u16_mut(&mut self) -> &mut [Vec<u16>] {
        &mut self.data16
    }

    /// A mutable view of this frame.
    #[must_use]
    pub fn as_frame_mut(&mut self) -> FrameMut<'_> {
        let (format, width, height) = (self.format, self.width, self.height);
        let strides = &self.strides;
        let view = if format.storage_bits() == 16 {
            let planes = self
                .data16
                .iter_mut()
                .zip(strides)
                .map(|(d, &s)| (d.as_mut_slice(), s));
            FrameMut::from_planes_u16(format, width, height, planes)
        } else {
            let planes = self
                .data8
                .iter_mut()
                .zip(strides)
                .map(|(d, &s)| (d.as_mut_slice(), s));
            FrameMut::from_planes(format, width, height, planes)
        };
        match view {
            Ok(view) => view,
            // The buffers were sized from the same geometry the view checks.
            Err(e) => unreachable!("owned frame geometry is valid by construction: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_frames_of_every_format_have_views() {
        for &format in PixelFormat::all() {
            for (w, h) in [(1, 1), (3, 5), (64, 2)] {
                let mut frame = Frame::new(format, w, h).unwrap();
                let view = frame.as_frame_mut();
                assert_eq!((view.format(), view.width(), view.height()), (format, w, h));
            }
        }
    }

    #[test]
    fn from_buffer_checks_length_per_plane() {
        let mut buf = vec![0u8; 4 * 4 + 2 * 2 * 2 - 1];
        let err = FrameMut::from_buffer(PixelFormat::Yuv420p, 4, 4, &mut buf).unwrap_err();
        assert_eq!(
            err,
            Error::BufferTooShort {
                plane: 2,
                len: 3,
                needed: 4
            }
        );
        let mut buf = vec![0u8; 4 * 4 + 2 * 2 * 2];
        assert!(FrameMut::from_buffer(PixelFormat::Yuv420p, 4, 4, &mut buf).is_ok());
    }

    #[test]
    fn wrong_plane_count_is_an_error() {
        let mut y = vec![0u8; 16];
        let err = FrameMut::from_planes(PixelFormat::Nv12, 4, 4, [(&mut y[..], 4)]).unwrap_err();
        assert_eq!(
            err,
            Error::PlaneCount {
                format: PixelFormat::Nv12,
                expected: 2,
                given: 1
            }
        );
    }

    #[test]
    fn ten_bit_from_bytes() {
        let mut buf = vec![0u16; 4 * 4 + 2 * 2 * 2];
        // SAFETY (test): u16 -> u8 reinterpretation of an owned, aligned vec.
        let bytes: &mut [u8] =
            unsafe { std::slice::from_raw_parts_mut(buf.as_mut_ptr().cast(), buf.len() * 2) };
        let (y, rest) = bytes.split_at_mut(32);
        let (u, v) = rest.split_at_mut(8);
        let f = FrameMut::from_planes(PixelFormat::Yuv420p10le, 4, 4, [(y, 8), (u, 4), (v, 4)])
            .unwrap();
        assert!(matches!(f.planes(), Planes::U16(_)));
    }

    #[test]
    fn zero_size_frames_are_errors() {
        assert!(matches!(
            Frame::new(PixelFormat::Rgb24, 0, 4),
            Err(Error::BadFrameSize { .. })
        ));
    }
}
