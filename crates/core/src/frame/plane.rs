//! Borrowed planes: rows of samples over caller memory, any stride.

use crate::error::{Error, Result};

/// A sample type sladd works on: `u8`, or `u16` for deep formats.
pub trait Sample: Copy + Default + Send + Sync + 'static + std::fmt::Debug {
    /// The value as a `u32`.
    fn to_u32(self) -> u32;
    /// The value from a `u32` that fits the sample type.
    fn from_u32(v: u32) -> Self;
}

impl Sample for u8 {
    #[inline]
    fn to_u32(self) -> u32 {
        u32::from(self)
    }
    #[inline]
    fn from_u32(v: u32) -> Self {
        v as u8
    }
}

impl Sample for u16 {
    #[inline]
    fn to_u32(self) -> u32 {
        u32::from(self)
    }
    #[inline]
    fn from_u32(v: u32) -> Self {
        v as u16
    }
}

/// The geometry of one plane, validated: `height` rows of `width` pixels of
/// `channels` samples each, `stride` samples apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlaneGeometry {
    width: usize,
    height: usize,
    channels: usize,
    stride: usize,
}

impl PlaneGeometry {
    /// Validates a plane's geometry against a buffer of `len` samples;
    /// `plane` is the plane's index, for the error.
    ///
    /// # Errors
    /// [`Error::StrideTooSmall`], [`Error::BufferTooShort`] or
    /// [`Error::Overflow`].
    pub fn new(
        plane: usize,
        width: usize,
        height: usize,
        channels: usize,
        stride: usize,
        len: usize,
    ) -> Result<Self> {
        let row = width
            .checked_mul(channels)
            .ok_or(Error::Overflow { plane })?;
        if stride < row {
            return Err(Error::StrideTooSmall { plane, stride, row });
        }
        let needed = match height {
            0 => 0,
            h => stride
                .checked_mul(h - 1)
                .and_then(|n| n.checked_add(row))
                .ok_or(Error::Overflow { plane })?,
        };
        if len < needed {
            return Err(Error::BufferTooShort { plane, len, needed });
        }
        Ok(Self {
            width,
            height,
            channels,
            stride,
        })
    }

    /// Pixels per row.
    #[must_use]
    pub const fn width(&self) -> usize {
        self.width
    }

    /// Rows.
    #[must_use]
    pub const fn height(&self) -> usize {
        self.height
    }

    /// Samples per pixel.
    #[must_use]
    pub const fn channels(&self) -> usize {
        self.channels
    }

    /// Samples from the start of one row to the start of the next.
    #[must_use]
    pub const fn stride(&self) -> usize {
        self.stride
    }

    /// Samples in one row's visible part: `width * channels`.
    #[must_use]
    pub const fn row_len(&self) -> usize {
        self.width * self.channels
    }
}

/// A mutable view of one plane over caller memory.
///
/// Only the visible `width * channels` samples of each row are ever read or
/// written: padding between rows belongs to the caller and stays untouched.
#[derive(Debug)]
pub struct PlaneMut<'a, T: Sample> {
    data: &'a mut [T],
    geometry: PlaneGeometry,
}

impl<'a, T: Sample> PlaneMut<'a, T> {
    /// A view of `height` rows of `width` pixels of `channels` samples,
    /// `stride` samples apart, over `data`.
    ///
    /// # Errors
    /// As [`PlaneGeometry::new`], with plane index 0.
    pub fn new(
        data: &'a mut [T],
        width: usize,
        height: usize,
        channels: usize,
        stride: usize,
    ) -> Result<Self> {
        let geometry = PlaneGeometry::new(0, width, height, channels, stride, data.len())?;
        Ok(Self { data, geometry })
    }

    /// As [`PlaneMut::new`] with a validated geometry. `data` must be at
    /// least as long as the geometry was validated for.
    pub(crate) fn with_geometry(data: &'a mut [T], geometry: PlaneGeometry) -> Self {
        Self { data, geometry }
    }

    /// The plane's geometry.
    #[must_use]
    pub const fn geometry(&self) -> PlaneGeometry {
        self.geometry
    }

    /// Pixels per row.
    #[must_use]
    pub const fn width(&self) -> usize {
        self.geometry.width
    }

    /// Rows.
    #[must_use]
    pub const fn height(&self) -> usize {
        self.geometry.height
    }

    /// Samples per pixel.
    #[must_use]
    pub const fn channels(&self) -> usize {
        self.geometry.channels
    }

    /// Samples between the starts of two rows.
    #[must_use]
    pub const fn stride(&self) -> usize {
        self.geometry.stride
    }

    /// The visible samples of row `y`, or `None` past the last row.
    #[must_use]
    pub fn row(&self, y: usize) -> Option<&[T]> {
        if y >= self.geometry.height {
            return None;
        }
        let start = y * self.geometry.stride;
        self.data.get(start..start + self.geometry.row_len())
    }

    /// The visible samples of row `y`, mutable, or `None` past the last row.
    #[must_use]
    pub fn row_mut(&mut self, y: usize) -> Option<&mut [T]> {
        if y >= self.geometry.height {
            return None;
        }
        let start = y * self.geometry.stride;
        let len = self.geometry.row_len();
        self.data.get_mut(start..start + len)
    }

    /// Every row's visible samples, from the top.
    pub fn rows_mut(&mut self) -> impl Iterator<Item = &mut [T]> + '_ {
        let (row_len, height) = (self.geometry.row_len(), self.geometry.height);
        // `chunks_mut(stride)` yields the last row possibly shorter than a
        // stride but never shorter than `row_len` (checked at construction).
        self.data
            .chunks_mut(self.geometry.stride.max(1))
            .take(height)
            .map(move |chunk| &mut chunk[..row_len])
    }

    /// Every row's visible samples, from the top.
    pub fn rows(&self) -> impl Iterator<Item = &[T]> + '_ {
        let (row_len, height) = (self.geometry.row_len(), self.geometry.height);
        self.data
            .chunks(self.geometry.stride.max(1))
            .take(height)
            .map(move |chunk| &chunk[..row_len])
    }

    /// Splits the plane into bands of at most `rows` rows each, from the
    /// top, as independent views (for parallel work on disjoint rows).
    pub fn bands_mut(
        &mut self,
        rows: usize,
    ) -> impl Iterator<Item = (usize, PlaneMut<'_, T>)> + '_ {
        let rows = rows.max(1);
        let g = self.geometry;
        let band_stride = g.stride.saturating_mul(rows).max(1);
        self.data
            .chunks_mut(band_stride)
            .take(g.height.div_ceil(rows))
            .enumerate()
            .map(move |(i, chunk)| {
                let y0 = i * rows;
                let height = rows.min(g.height - y0);
                let geometry = PlaneGeometry { height, ..g };
                (
                    y0,
                    PlaneMut {
                        data: chunk,
                        geometry,
                    },
                )
            })
    }

    /// A shorter-lived view of the same plane.
    #[must_use]
    pub fn reborrow(&mut self) -> PlaneMut<'_, T> {
        PlaneMut {
            data: self.data,
            geometry: self.geometry,
        }
    }

    /// The underlying buffer, including any row padding.
    #[must_use]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self.data
    }

    /// The underlying buffer, including any row padding.
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_is_checked() {
        let mut buf = vec![0u8; 10];
        assert!(matches!(
            PlaneMut::new(&mut buf, 4, 3, 1, 3),
            Err(Error::StrideTooSmall {
                stride: 3,
                row: 4,
                ..
            })
        ));
        assert!(matches!(
            PlaneMut::new(&mut buf, 4, 3, 1, 4),
            Err(Error::BufferTooShort {
                len: 10,
                needed: 12,
                ..
            })
        ));
        // The last row needs no padding.
        assert!(PlaneMut::new(&mut buf, 2, 3, 1, 4).is_ok());
        assert!(matches!(
            PlaneMut::new(&mut buf, usize::MAX, 3, 2, 4),
            Err(Error::Overflow { .. })
        ));
    }

    #[test]
    fn rows_skip_padding() {
        let mut buf: Vec<u8> = (0..11).collect();
        let mut p = PlaneMut::new(&mut buf, 3, 3, 1, 4).unwrap();
        let rows: Vec<Vec<u8>> = p.rows_mut().map(|r| r.to_vec()).collect();
        assert_eq!(rows, vec![vec![0, 1, 2], vec![4, 5, 6], vec![8, 9, 10]]);
        let bands: Vec<(usize, usize)> = p.bands_mut(2).map(|(y, b)| (y, b.height())).collect();
        assert_eq!(bands, vec![(0, 2), (2, 1)]);
    }
}
