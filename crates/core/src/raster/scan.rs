//! The scanline walk: per pixel row, the active edges of one polygon give
//! the columns they cross and the winding left of every other column.

use super::build::polygon_edges;
use super::edge::Edge;
use super::fixed::{ceil_px, floor_px, HALF, ONE};
use super::Coverage;
use crate::geometry::Polygon;
use crate::mask::{Span, SpanMaskBuilder};

/// Buffers reused from row to row (and polygon to polygon): no allocation
/// per row once they have grown.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Column ranges crossed by an edge, clipped to the frame.
    crossed: Vec<(u32, u32)>,
    /// Winding steps: from column `.0` on, the edge lies left of the
    /// centres of uncrossed columns and adds `.1`.
    steps: Vec<(u32, i32)>,
    /// Column ranges whose centre winding is nonzero.
    inside: Vec<(u32, u32)>,
}

/// One polygon's walk down the rows of a frame.
#[derive(Debug)]
pub(crate) struct PolygonScan {
    /// All edges, sorted by top.
    edges: Vec<Edge>,
    /// The first edge not yet made active.
    next: usize,
    /// Edges that meet the current row's strip.
    active: Vec<Edge>,
    /// The rows `first_row..end_row` the polygon can touch, within the frame.
    first_row: u32,
    end_row: u32,
}

impl PolygonScan {
    /// The walk of `polygon` over a `width × height` frame.
    pub(crate) fn new(polygon: &Polygon, width: u32, height: u32) -> Self {
        let mut edges = Vec::with_capacity(polygon.points().len());
        polygon_edges(polygon, width, height, &mut edges);
        let top = edges.iter().map(|e| e.y0).min().unwrap_or(0);
        let bottom = edges.iter().map(|e| e.y1).max().unwrap_or(0);
        let clamp_row = |y: i64| y.clamp(0, i64::from(height)) as u32;
        let first_row = clamp_row(floor_px(top));
        let end_row = if edges.is_empty() {
            first_row
        } else {
            clamp_row(ceil_px(bottom))
        };
        Self {
            edges,
            next: 0,
            active: Vec::new(),
            first_row,
            end_row,
        }
    }

    /// The rows `first..end` this polygon may cover.
    pub(crate) const fn rows(&self) -> (u32, u32) {
        (self.first_row, self.end_row)
    }

    /// Pushes row `row`'s covered columns into `out`. Rows must come in
    /// increasing order.
    pub(crate) fn scan_row(
        &mut self,
        row: u32,
        width: u32,
        coverage: Coverage,
        scratch: &mut Scratch,
        out: &mut SpanMaskBuilder,
    ) {
        if row < self.first_row || row >= self.end_row {
            return;
        }
        let top = i64::from(row) * ONE;
        let bottom = top + ONE;
        let centre = top + HALF;
        // Edges that start above the strip's bottom join; edges that end at
        // or above its top leave. What remains meets the open strip.
        while let Some(&edge) = self.edges.get(self.next) {
            if edge.y0 >= bottom {
                break;
            }
            self.active.push(edge);
            self.next += 1;
        }
        self.active.retain(|e| e.y1 > top);

        let w = i64::from(width);
        let clamp = |c: i64| c.clamp(0, w) as u32;
        scratch.crossed.clear();
        scratch.steps.clear();
        for edge in &self.active {
            let (first, end) = edge.columns_in_strip(top, bottom);
            if first < end && end > 0 && first < w {
                scratch.crossed.push((clamp(first), clamp(end)));
            }
            // Half-open in y, so a vertex on the centre line counts once.
            // For a column this edge does not cross, the edge lies wholly
            // left (column >= end) or wholly right of it within the strip.
            if !edge.is_horizontal() && edge.y0 <= centre && centre < edge.y1 {
                scratch.steps.push((clamp(end), edge.winding));
            }
        }
        inside_runs(&mut scratch.steps, width, &mut scratch.inside);
        match coverage {
            Coverage::Conservative => {
                for &(a, b) in scratch.inside.iter().chain(&scratch.crossed) {
                    out.push(row, Span::new(a, b));
                }
            }
            Coverage::Inner => {
                subtract_runs(&scratch.inside, &mut scratch.crossed, |a, b| {
                    out.push(row, Span::new(a, b));
                });
            }
        }
    }
}

/// The column runs whose centre winding is nonzero, from winding steps
/// (clamped to `0..=width`), in increasing order.
fn inside_runs(steps: &mut [(u32, i32)], width: u32, inside: &mut Vec<(u32, u32)>) {
    inside.clear();
    steps.sort_unstable_by_key(|s| s.0);
    let mut winding = 0i32;
    let mut from = 0u32;
    for &(column, change) in steps.iter() {
        if column > from {
            if winding != 0 {
                push_run(inside, from, column);
            }
            from = column;
        }
        winding += change;
    }
    if winding != 0 && from < width {
        push_run(inside, from, width);
    }
}

/// Appends `a..b`, extending the last run when they touch.
fn push_run(runs: &mut Vec<(u32, u32)>, a: u32, b: u32) {
    match runs.last_mut() {
        Some(last) if last.1 >= a => last.1 = last.1.max(b),
        _ => runs.push((a, b)),
    }
}

/// Emits the parts of sorted, disjoint `keep` runs not covered by any of
/// the `cut` runs (in any order; sorted here).
fn subtract_runs(keep: &[(u32, u32)], cut: &mut [(u32, u32)], mut emit: impl FnMut(u32, u32)) {
    cut.sort_unstable_by_key(|c| c.0);
    let mut k = 0;
    for &(start, end) in keep {
        let mut from = start;
        // Skip cuts wholly left of this run; they are left of later runs too.
        while cut.get(k).is_some_and(|c| c.1 <= from) {
            k += 1;
        }
        let mut j = k;
        while let Some(&(cs, ce)) = cut.get(j) {
            if cs >= end {
                break;
            }
            if cs > from {
                emit(from, cs);
            }
            from = from.max(ce);
            j += 1;
        }
        if from < end {
            emit(from, end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtracting_runs() {
        let mut got = Vec::new();
        let mut cut = vec![(8, 9), (0, 2), (3, 5), (4, 6)];
        subtract_runs(&[(1, 7), (8, 12)], &mut cut, |a, b| got.push((a, b)));
        assert_eq!(got, vec![(2, 3), (6, 7), (9, 12)]);
    }

    #[test]
    fn winding_steps_give_nonzero_runs() {
        let mut inside = Vec::new();
        // +1 at 2, +1 at 4, -1 at 6, -1 at 9: nonzero on 2..9.
        inside_runs(&mut [(6, -1), (2, 1), (9, -1), (4, 1)], 12, &mut inside);
        assert_eq!(inside, vec![(2, 9)]);
        // +1 at 0, -1 at 3, -1 at 5, +1 at 7 (opposite loops): 0..3, 5..7.
        inside_runs(&mut [(0, 1), (3, -1), (5, -1), (7, 1)], 12, &mut inside);
        assert_eq!(inside, vec![(0, 3), (5, 7)]);
        // Unbalanced after clamping: runs to the right edge.
        inside_runs(&mut [(10, 1)], 12, &mut inside);
        assert_eq!(inside, vec![(10, 12)]);
    }
}
