//! One polygon edge in fixed point, and the pixel columns it crosses.

#[cfg(test)]
use super::fixed::{ceil_div, ceil_px, floor_div, floor_px};

/// A directed edge in fixed-point pixel space, stored top to bottom
/// (`y0 < y1`), or left to right when horizontal (`y0 == y1`, `x0 < x1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge {
    pub(crate) x0: i64,
    pub(crate) y0: i64,
    pub(crate) x1: i64,
    pub(crate) y1: i64,
    /// Net winding contribution: +1 for an outline edge running downward,
    /// -1 upward; collinear overlapping edges are merged and add up, and
    /// never cancel to zero (such pieces are dropped).
    pub(crate) winding: i32,
}

impl Edge {
    /// Whether the edge is horizontal (it never counts in the winding).
    pub(crate) const fn is_horizontal(&self) -> bool {
        self.y0 == self.y1
    }

    /// `(floor(x / ONE), ceil(x / ONE))` of the edge's x at fixed-point
    /// `y`, for `y0 <= y <= y1` of a non-horizontal edge; exact.
    #[cfg(test)]
    fn column_bounds_at(&self, y: i64) -> (i64, i64) {
        if y == self.y0 {
            return (floor_px(self.x0), ceil_px(self.x0));
        }
        if y == self.y1 {
            return (floor_px(self.x1), ceil_px(self.x1));
        }
        let dy = self.y1 - self.y0;
        let num = self.x0 * dy + (self.x1 - self.x0) * (y - self.y0);
        let den = dy << super::fixed::FRAC_BITS;
        (floor_div(num, den), ceil_div(num, den))
    }

    /// The columns `first..end` whose open pixel squares the part of this
    /// edge inside the open strip `top < y < bottom` crosses (empty when it
    /// runs along a pixel boundary). The edge must meet the open strip.
    ///
    /// Over the strip the edge's x runs between `xa` and `xb`; a column
    /// `c` is crossed iff `(c, c + 1)` meets that x-range, that is
    /// `floor(xa) <= c < ceil(xb)`. The scan computes the same without a
    /// division per row ([`super::active::ActiveEdge`]); this direct form
    /// is its reference in tests.
    #[cfg(test)]
    pub(crate) fn columns_in_strip(&self, top: i64, bottom: i64) -> (i64, i64) {
        if self.is_horizontal() {
            return (floor_px(self.x0), ceil_px(self.x1));
        }
        let (fa, ca) = self.column_bounds_at(self.y0.max(top));
        let (fb, cb) = self.column_bounds_at(self.y1.min(bottom));
        (fa.min(fb), ca.max(cb))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::fixed::ONE;

    fn edge(x0: i64, y0: i64, x1: i64, y1: i64) -> Edge {
        Edge {
            x0,
            y0,
            x1,
            y1,
            winding: 1,
        }
    }

    #[test]
    fn vertical_edge_on_a_pixel_boundary_crosses_nothing() {
        let e = edge(3 * ONE, 0, 3 * ONE, 10 * ONE);
        assert_eq!(e.columns_in_strip(ONE, 2 * ONE), (3, 3));
        let e = edge(3 * ONE + 1, 0, 3 * ONE + 1, 10 * ONE);
        assert_eq!(e.columns_in_strip(ONE, 2 * ONE), (3, 4));
    }

    #[test]
    fn diagonal_through_pixel_corners_crosses_one_column_per_row() {
        let e = edge(0, 0, 4 * ONE, 4 * ONE);
        for r in 0..4 {
            assert_eq!(e.columns_in_strip(r * ONE, (r + 1) * ONE), (r, r + 1));
        }
    }

    #[test]
    fn shallow_edge_crosses_its_x_range() {
        // From (0.5, 0) to (10.5, 2): over row 0 x runs 0.5..5.5.
        let e = edge(ONE / 2, 0, 10 * ONE + ONE / 2, 2 * ONE);
        assert_eq!(e.columns_in_strip(0, ONE), (0, 6));
        assert_eq!(e.columns_in_strip(ONE, 2 * ONE), (5, 11));
    }
}
