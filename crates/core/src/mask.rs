//! Masks as per-row span lists.
//!
//! A [`SpanMask`] says which pixels of a `width × height` plane are masked,
//! as a sorted list of half-open [`Span`]s per row. It is compact (a quad
//! zone costs one span per row), cheap to walk for the effects (they touch
//! only masked bytes) and cheap to combine. Spans in a row are sorted,
//! non-empty, and neither overlap nor touch: two touching spans are merged.
//!
//! Masks are built once per frame geometry and decision, then reused for
//! every frame until either changes.

use crate::error::{Error, Result};

/// A half-open run `start..end` of masked pixels in one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// First masked pixel.
    pub start: u32,
    /// One past the last masked pixel.
    pub end: u32,
}

impl Span {
    /// The span `start..end`.
    #[must_use]
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// How many pixels the span covers.
    #[must_use]
    pub const fn len(&self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no pixel.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// An axis-aligned rectangle of pixels, half-open: `x0..x1 × y0..y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rect {
    /// Left column.
    pub x0: u32,
    /// Top row.
    pub y0: u32,
    /// One past the right column.
    pub x1: u32,
    /// One past the bottom row.
    pub y1: u32,
}

impl Rect {
    /// Width in pixels.
    #[must_use]
    pub const fn width(&self) -> u32 {
        self.x1 - self.x0
    }

    /// Height in rows.
    #[must_use]
    pub const fn height(&self) -> u32 {
        self.y1 - self.y0
    }
}

/// Which pixels of a plane are masked, as sorted spans per row (see the
/// module docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpanMask {
    width: u32,
    height: u32,
    /// `row_starts[y]..row_starts[y + 1]` indexes `spans` for row `y`.
    row_starts: Vec<u32>,
    spans: Vec<Span>,
}

impl SpanMask {
    /// A mask of a `width × height` plane with nothing masked.
    ///
    /// # Errors
    /// [`Error::BadFrameSize`] when a side is zero or above
    /// [`crate::frame::MAX_SIDE`].
    pub fn empty(width: u32, height: u32) -> Result<Self> {
        check_size(width, height)?;
        Ok(Self {
            width,
            height,
            row_starts: vec![0; height as usize + 1],
            spans: Vec::new(),
        })
    }

    /// A mask of a `width × height` plane with every pixel masked.
    ///
    /// # Errors
    /// As [`SpanMask::empty`].
    pub fn full(width: u32, height: u32) -> Result<Self> {
        check_size(width, height)?;
        Ok(Self {
            width,
            height,
            row_starts: (0..=height).collect(),
            spans: vec![Span::new(0, width); height as usize],
        })
    }

    /// A mask built row by row: `rows` yields, for each row from the top,
    /// that row's spans in any order, possibly overlapping, possibly
    /// reaching past the plane (they are clipped to `0..width`).
    /// Missing rows at the end are empty; rows past `height` are ignored.
    ///
    /// # Errors
    /// As [`SpanMask::empty`].
    pub fn from_rows<R, S>(width: u32, height: u32, rows: R) -> Result<Self>
    where
        R: IntoIterator<Item = S>,
        S: IntoIterator<Item = Span>,
    {
        let mut builder = SpanMaskBuilder::new(width, height)?;
        for (y, row) in rows.into_iter().take(height as usize).enumerate() {
            let y = y as u32;
            for span in row {
                builder.push(y, span);
            }
        }
        Ok(builder.finish())
    }

    /// A mask with exactly the pixels of `rect` masked (clipped to the plane).
    ///
    /// # Errors
    /// As [`SpanMask::empty`].
    pub fn from_rect(width: u32, height: u32, rect: Rect) -> Result<Self> {
        let (y0, y1) = (rect.y0.min(height), rect.y1.min(height));
        let span = Span::new(rect.x0, rect.x1);
        Self::from_rows(
            width,
            height,
            (0..height).map(|y| {
                if (y0..y1).contains(&y) {
                    Some(span)
                } else {
                    None
                }
            }),
        )
    }

    /// A mask from rows already sorted, merged, non-empty and within the
    /// plane: `row_starts` has `height + 1` entries, starting at 0 and
    /// ending at `spans.len()`. For builders that produce rows in order
    /// (the rasterizer); the invariants are checked in debug builds.
    pub(crate) fn from_sorted_parts(
        width: u32,
        height: u32,
        row_starts: Vec<u32>,
        spans: Vec<Span>,
    ) -> Self {
        let mask = Self {
            width,
            height,
            row_starts,
            spans,
        };
        debug_assert_eq!(mask.row_starts.len(), height as usize + 1);
        debug_assert_eq!(
            mask.row_starts.last().copied(),
            Some(mask.spans.len() as u32)
        );
        debug_assert!(mask.rows().all(|row| {
            row.iter().all(|s| s.start < s.end && s.end <= width)
                && row.windows(2).all(|p| p[0].end < p[1].start)
        }));
        mask
    }

    /// Plane width in pixels.
    #[must_use]
    pub const fn width(&self) -> u32 {
        self.width
    }

    /// Plane height in rows.
    #[must_use]
    pub const fn height(&self) -> u32 {
        self.height
    }

    /// The spans of row `y`, sorted and disjoint; empty past the last row.
    #[must_use]
    pub fn row(&self, y: u32) -> &[Span] {
        let y = y as usize;
        match (self.row_starts.get(y), self.row_starts.get(y + 1)) {
            (Some(&a), Some(&b)) => self.spans.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The spans of rows `y0..y1`, row by row (fewer rows when `y1` is
    /// past the last): the walk of a band without a lookup per row.
    pub(crate) fn rows_in(&self, y0: usize, y1: usize) -> impl Iterator<Item = &[Span]> + '_ {
        let y1 = y1.min(self.height as usize);
        self.row_starts
            .get(y0..=y1)
            .unwrap_or(&[])
            .windows(2)
            .map(|w| self.spans.get(w[0] as usize..w[1] as usize).unwrap_or(&[]))
    }

    /// Rows from the top, each as its spans.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &[Span]> + '_ {
        (0..self.height).map(move |y| self.row(y))
    }

    /// Whether pixel `(x, y)` is masked.
    #[must_use]
    pub fn contains(&self, x: u32, y: u32) -> bool {
        let row = self.row(y);
        let i = row.partition_point(|s| s.end <= x);
        row.get(i).is_some_and(|s| s.start <= x)
    }

    /// Whether no pixel is masked.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Whether every pixel is masked.
    #[must_use]
    pub fn is_full(&self) -> bool {
        self.spans.len() == self.height as usize
            && self
                .spans
                .iter()
                .all(|s| s.start == 0 && s.end == self.width)
    }

    /// How many pixels are masked.
    #[must_use]
    pub fn pixel_count(&self) -> u64 {
        self.spans.iter().map(|s| u64::from(s.len())).sum()
    }

    /// How many spans the mask holds over all rows.
    #[must_use]
    pub fn span_count(&self) -> usize {
        self.spans.len()
    }

    /// The smallest rectangle holding every masked pixel, or `None` when
    /// nothing is masked.
    #[must_use]
    pub fn bounding_box(&self) -> Option<Rect> {
        let mut rect: Option<Rect> = None;
        for (y, row) in self.rows().enumerate() {
            let (Some(first), Some(last)) = (row.first(), row.last()) else {
                continue;
            };
            let y = y as u32;
            rect = Some(match rect {
                None => Rect {
                    x0: first.start,
                    y0: y,
                    x1: last.end,
                    y1: y + 1,
                },
                Some(r) => Rect {
                    x0: r.x0.min(first.start),
                    y0: r.y0,
                    x1: r.x1.max(last.end),
                    y1: y + 1,
                },
            });
        }
        rect
    }

    /// The pixels masked in `self` or in `other`.
    ///
    /// # Errors
    /// [`Error::SizeMismatch`] when the two masks differ in size.
    pub fn union(&self, other: &Self) -> Result<Self> {
        self.same_size(other)?;
        let mut builder = SpanMaskBuilder::new(self.width, self.height)?;
        for y in 0..self.height {
            for &span in self.row(y).iter().chain(other.row(y)) {
                builder.push(y, span);
            }
        }
        Ok(builder.finish())
    }

    /// The pixels masked in `self` and not in `other`.
    ///
    /// # Errors
    /// [`Error::SizeMismatch`] when the two masks differ in size.
    pub fn subtract(&self, other: &Self) -> Result<Self> {
        self.same_size(other)?;
        let mut builder = SpanMaskBuilder::new(self.width, self.height)?;
        for y in 0..self.height {
            let cut = other.row(y);
            for &span in self.row(y) {
                let mut start = span.start;
                // Cuts are sorted: walk those that overlap this span.
                let first = cut.partition_point(|c| c.end <= span.start);
                for c in cut.iter().skip(first).take_while(|c| c.start < span.end) {
                    if c.start > start {
                        builder.push(y, Span::new(start, c.start));
                    }
                    start = start.max(c.end);
                }
                if start < span.end {
                    builder.push(y, Span::new(start, span.end));
                }
            }
        }
        Ok(builder.finish())
    }

    /// The pixels masked in both `self` and `other`.
    ///
    /// # Errors
    /// [`Error::SizeMismatch`] when the two masks differ in size.
    pub fn intersect(&self, other: &Self) -> Result<Self> {
        let outside = Self::full(self.width, self.height)?.subtract(other)?;
        self.subtract(&outside)
    }

    /// The mask of a subsampled plane (chroma of 4:2:0 has `ss_x = ss_y = 1`,
    /// 4:2:2 has `ss_x = 1, ss_y = 0`): a sample is masked when **any** pixel
    /// it covers is masked. Its size is `ceil(width / 2^ss_x) ×
    /// ceil(height / 2^ss_y)`, as FFmpeg sizes chroma planes.
    #[must_use]
    pub fn subsample(&self, ss_x: u8, ss_y: u8) -> Self {
        let (ss_x, ss_y) = (u32::from(ss_x.min(4)), u32::from(ss_y.min(4)));
        let width = self.width.div_ceil(1 << ss_x);
        let height = self.height.div_ceil(1 << ss_y);
        let mut builder = SpanMaskBuilder {
            width,
            height,
            row_starts: Vec::with_capacity(height as usize + 1),
            spans: Vec::with_capacity(self.spans.len() >> ss_y),
            pending_row: 0,
            pending: Vec::new(),
        };
        builder.row_starts.push(0);
        for cy in 0..height {
            let y0 = cy << ss_y;
            let y1 = ((cy + 1) << ss_y).min(self.height);
            for y in y0..y1 {
                for s in self.row(y) {
                    // start rounds down, end rounds up: any coverage counts.
                    let span = Span::new(s.start >> ss_x, s.end.div_ceil(1 << ss_x));
                    builder.push(cy, span);
                }
            }
        }
        builder.finish()
    }

    fn same_size(&self, other: &Self) -> Result<()> {
        if self.width == other.width && self.height == other.height {
            Ok(())
        } else {
            Err(Error::SizeMismatch {
                left_width: self.width,
                left_height: self.height,
                right_width: other.width,
                right_height: other.height,
            })
        }
    }
}

/// Validates a plane size for masks.
pub(crate) fn check_size(width: u32, height: u32) -> Result<()> {
    let max = crate::frame::MAX_SIDE;
    if width == 0 || height == 0 || width > max || height > max {
        return Err(Error::BadFrameSize { width, height, max });
    }
    Ok(())
}

/// Builds a [`SpanMask`] row by row from unsorted, overlapping spans.
///
/// Rows must be pushed in non-decreasing order; each row is normalised
/// (clipped, sorted, merged) when the builder moves past it.
#[derive(Debug)]
pub struct SpanMaskBuilder {
    width: u32,
    height: u32,
    row_starts: Vec<u32>,
    spans: Vec<Span>,
    pending_row: u32,
    pending: Vec<Span>,
}

impl SpanMaskBuilder {
    /// A builder for a `width × height` mask.
    ///
    /// # Errors
    /// As [`SpanMask::empty`].
    pub fn new(width: u32, height: u32) -> Result<Self> {
        check_size(width, height)?;
        let mut row_starts = Vec::with_capacity(height as usize + 1);
        row_starts.push(0);
        Ok(Self {
            width,
            height,
            row_starts,
            spans: Vec::new(),
            pending_row: 0,
            pending: Vec::new(),
        })
    }

    /// Adds `span` to row `y`. Spans for a row before the current one, for a
    /// row past the plane, and empty spans are ignored; spans are clipped to
    /// the plane's width.
    pub fn push(&mut self, y: u32, span: Span) {
        if y >= self.height || y < self.pending_row {
            return;
        }
        while self.pending_row < y {
            self.flush_row();
        }
        let span = Span::new(span.start.min(self.width), span.end.min(self.width));
        if !span.is_empty() {
            self.pending.push(span);
        }
    }

    fn flush_row(&mut self) {
        self.pending.sort_unstable_by_key(|s| s.start);
        let row_begin = self.spans.len();
        for &span in &self.pending {
            let in_row = self.spans.len() > row_begin;
            match self.spans.last_mut() {
                Some(last) if in_row && span.start <= last.end => {
                    last.end = last.end.max(span.end);
                }
                _ => self.spans.push(span),
            }
        }
        self.pending.clear();
        self.row_starts.push(self.spans.len() as u32);
        self.pending_row += 1;
    }

    /// The finished mask.
    #[must_use]
    pub fn finish(mut self) -> SpanMask {
        while self.pending_row < self.height {
            self.flush_row();
        }
        SpanMask {
            width: self.width,
            height: self.height,
            row_starts: self.row_starts,
            spans: self.spans,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(width: u32, rows: &[&[(u32, u32)]]) -> SpanMask {
        SpanMask::from_rows(
            width,
            rows.len() as u32,
            rows.iter().map(|r| r.iter().map(|&(a, b)| Span::new(a, b))),
        )
        .unwrap()
    }

    fn dense(m: &SpanMask) -> Vec<Vec<bool>> {
        (0..m.height())
            .map(|y| (0..m.width()).map(|x| m.contains(x, y)).collect())
            .collect()
    }

    #[test]
    fn rows_are_sorted_merged_and_clipped() {
        let m = mask(10, &[&[(5, 7), (0, 2), (1, 3), (7, 8), (9, 20)]]);
        assert_eq!(
            m.row(0),
            &[Span::new(0, 3), Span::new(5, 8), Span::new(9, 10)]
        );
        assert_eq!(m.pixel_count(), 3 + 3 + 1);
    }

    #[test]
    fn union_and_subtract_agree_with_dense_sets() {
        let a = mask(12, &[&[(0, 4), (6, 9)], &[(2, 12)], &[]]);
        let b = mask(12, &[&[(3, 7)], &[(0, 1), (5, 6)], &[(11, 12)]]);
        let (da, db) = (dense(&a), dense(&b));
        let u = dense(&a.union(&b).unwrap());
        let s = dense(&a.subtract(&b).unwrap());
        let i = dense(&a.intersect(&b).unwrap());
        for y in 0..3 {
            for x in 0..12 {
                assert_eq!(u[y][x], da[y][x] || db[y][x], "union at {x},{y}");
                assert_eq!(s[y][x], da[y][x] && !db[y][x], "subtract at {x},{y}");
                assert_eq!(i[y][x], da[y][x] && db[y][x], "intersect at {x},{y}");
            }
        }
    }

    #[test]
    fn size_mismatch_is_an_error() {
        let a = SpanMask::empty(4, 4).unwrap();
        let b = SpanMask::empty(4, 5).unwrap();
        assert!(matches!(a.union(&b), Err(Error::SizeMismatch { .. })));
    }

    #[test]
    fn subsample_is_conservative_and_sized_like_ffmpeg() {
        // One masked pixel at (3, 2) of a 5x5 plane.
        let m = mask(5, &[&[], &[], &[(3, 4)], &[], &[]]);
        let c = m.subsample(1, 1);
        assert_eq!((c.width(), c.height()), (3, 3));
        assert_eq!(
            dense(&c),
            vec![vec![false; 3], vec![false, true, false], vec![false; 3]]
        );
        // 4:2:2 keeps rows.
        let c = m.subsample(1, 0);
        assert_eq!((c.width(), c.height()), (3, 5));
        assert!(c.contains(1, 2) && c.pixel_count() == 1);
    }

    #[test]
    fn bounding_box_and_full() {
        let m = mask(8, &[&[], &[(2, 3)], &[(1, 2), (6, 7)], &[]]);
        assert_eq!(
            m.bounding_box(),
            Some(Rect {
                x0: 1,
                y0: 1,
                x1: 7,
                y1: 3
            })
        );
        assert_eq!(SpanMask::empty(3, 3).unwrap().bounding_box(), None);
        let f = SpanMask::full(3, 2).unwrap();
        assert!(f.is_full() && f.pixel_count() == 6);
    }

    #[test]
    fn zero_size_is_an_error() {
        assert!(matches!(
            SpanMask::empty(0, 3),
            Err(Error::BadFrameSize { .. })
        ));
    }
}
