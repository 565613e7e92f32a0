//! An edge in the active list: its x stepped from row boundary to row
//! boundary by an exact integer DDA, so no division happens per row.

use super::edge::Edge;
use super::fixed::{ceil_px, floor_div, floor_px, FRAC_BITS, ONE};

/// An active edge and where it stands at the current row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActiveEdge {
    pub(crate) edge: Edge,
    /// `(floor, ceil)` of the edge's x, in pixels, where it enters the
    /// current row's strip (at the strip's top or at its top vertex).
    top: (i64, i64),
    /// The edge's x at the next row boundary below, as the exact rational
    /// `(q * den + rem) / den` pixels with `0 <= rem < den`.
    q: i64,
    rem: i64,
    den: i64,
    /// What one row adds to x, in the same form.
    step_q: i64,
    step_rem: i64,
}

impl ActiveEdge {
    /// `edge` made active in the row whose strip starts at fixed-point `top`
    /// (the edge meets that strip).
    pub(crate) fn new(edge: Edge, top: i64) -> Self {
        if edge.is_horizontal() {
            return Self {
                edge,
                top: (0, 0),
                q: 0,
                rem: 0,
                den: 1,
                step_q: 0,
                step_rem: 0,
            };
        }
        let (dx, dy) = (edge.x1 - edge.x0, edge.y1 - edge.y0);
        let den = dy << FRAC_BITS;
        let step = dx << FRAC_BITS;
        let step_q = floor_div(step, den);
        // x at fixed-point y is (x0 * dy + dx * (y - y0)) / den pixels.
        let at = |y: i64| {
            let num = edge.x0 * dy + dx * (y - edge.y0);
            let q = floor_div(num, den);
            (q, num - q * den)
        };
        let start = if edge.y0 >= top {
            (floor_px(edge.x0), ceil_px(edge.x0))
        } else {
            let (q, rem) = at(top);
            (q, q + i64::from(rem != 0))
        };
        let (q, rem) = at(top + ONE);
        Self {
            edge,
            top: start,
            q,
            rem,
            den,
            step_q,
            step_rem: step - step_q * den,
        }
    }

    /// The columns `first..end` whose open squares the edge crosses within
    /// the current row's open strip (whose bottom is `bottom`), then steps
    /// to the next row. Call once per row, rows in order.
    ///
    /// Over the strip the edge's x runs between its values at the strip's
    /// (clipped) top and bottom; a column `c` is crossed iff `(c, c + 1)`
    /// meets that range: `floor(min) <= c < ceil(max)`.
    #[inline]
    pub(crate) fn columns_and_step(&mut self, bottom: i64) -> (i64, i64) {
        let e = &self.edge;
        if e.is_horizontal() {
            return (floor_px(e.x0), ceil_px(e.x1));
        }
        let end = if e.y1 <= bottom {
            (floor_px(e.x1), ceil_px(e.x1))
        } else {
            (self.q, self.q + i64::from(self.rem != 0))
        };
        let columns = (self.top.0.min(end.0), self.top.1.max(end.1));
        self.top = end;
        self.q += self.step_q;
        self.rem += self.step_rem;
        if self.rem >= self.den {
            self.rem -= self.den;
            self.q += 1;
        }
        columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Walks `edge` from its first row (or `start_offset` rows later, as
    /// when the edge begins above the frame) to its last, comparing the DDA
    /// with the direct division row by row.
    fn check(edge: Edge, start_offset: i64) -> Result<(), TestCaseError> {
        let mut row = floor_px(edge.y0) + start_offset;
        if row * ONE >= edge.y1 {
            row = floor_px(edge.y0);
        }
        let mut active = ActiveEdge::new(edge, row * ONE);
        while row * ONE < edge.y1 {
            let (top, bottom) = (row * ONE, row * ONE + ONE);
            prop_assert_eq!(
                active.columns_and_step(bottom),
                edge.columns_in_strip(top, bottom),
                "row {}",
                row
            );
            row += 1;
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// The DDA gives exactly the columns the direct division does.
        #[test]
        fn dda_matches_direct_division(
            x0 in -5000i64..5000, y0 in -5000i64..5000,
            x1 in -5000i64..5000, dy in 1i64..5000,
            start_offset in 0i64..4,
        ) {
            check(Edge { x0, y0, x1, y1: y0 + dy, winding: 1 }, start_offset)?;
        }

        /// The same with coordinates at the limits (32768-pixel frames,
        /// vertices a frame outside) and shallow edges spanning thousands
        /// of columns per row.
        #[test]
        fn dda_matches_direct_division_far_out(
            x0 in -(1i64 << 24)..(1 << 24), y0 in -(1i64 << 24)..(1 << 24),
            x1 in -(1i64 << 24)..(1 << 24), dy in 1i64..(1 << 14),
            start_offset in 0i64..4,
        ) {
            check(Edge { x0, y0, x1, y1: y0 + dy, winding: 1 }, start_offset)?;
        }

        /// Pixel-aligned and half-pixel vertices, where remainders hit
        /// zero and the denominator exactly.
        #[test]
        fn dda_matches_direct_division_on_coarse_grids(
            x0 in -40i64..40, y0 in -40i64..40, x1 in -40i64..40, dy in 1i64..40,
            quantum in prop::sample::select(vec![32i64, 64, 128, 256]),
            start_offset in 0i64..4,
        ) {
            let q = quantum;
            check(Edge { x0: x0 * q, y0: y0 * q, x1: x1 * q, y1: (y0 + dy) * q, winding: 1 }, start_offset)?;
        }
    }
}
