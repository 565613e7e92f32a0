//! The scanline walk: per pixel row, the active edges of one polygon give
//! the columns they cross and the winding left of every other column.

use super::active::ActiveEdge;
use super::build::polygon_edges;
use super::edge::Edge;
use super::fixed::{ceil_px, floor_px, HALF, ONE};
use super::rows::{sort_small, RowWriter};
use super::Coverage;
use crate::geometry::Polygon;

/// Buffers reused from row to row (and polygon to polygon): no allocation
/// per row once they have grown.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Column ranges crossed by an edge (unclipped).
    crossed: Vec<(i64, i64)>,
    /// Winding steps: from column `.0` on, the edge lies left of the
    /// centres of uncrossed columns and adds `.1`.
    steps: Vec<(i64, i32)>,
}

/// One polygon's walk down the rows of a frame.
#[derive(Debug)]
pub(crate) struct PolygonScan {
    /// All edges, sorted by top.
    edges: Vec<Edge>,
    /// The first edge not yet made active.
    next: usize,
    /// Edges that meet the current row's strip.
    active: Vec<ActiveEdge>,
    /// Whether some active edge ended in the last row scanned.
    retire: bool,
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
            retire: true,
            first_row,
            end_row,
        }
    }

    /// The rows `first..end` this polygon may cover.
    pub(crate) const fn rows(&self) -> (u32, u32) {
        (self.first_row, self.end_row)
    }

    /// Adds row `row`'s covered columns to `out`'s current row. Rows must
    /// come in increasing order.
    #[inline]
    pub(crate) fn scan_row(
        &mut self,
        row: u32,
        coverage: Coverage,
        scratch: &mut Scratch,
        out: &mut RowWriter,
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
            self.next += 1;
            // An edge wholly above the strip (when the walk starts below
            // the frame's top) never joins.
            if edge.y1 > top {
                self.active.push(ActiveEdge::new(edge, top));
            }
        }
        if self.retire {
            self.active.retain(|a| a.edge.y1 > top);
            self.retire = false;
        }

        let inner = coverage == Coverage::Inner;
        scratch.crossed.clear();
        scratch.steps.clear();
        for active in &mut self.active {
            let (first, end) = active.columns_and_step(bottom);
            let edge = &active.edge;
            // An edge ending within this strip leaves before the next row.
            self.retire |= edge.y1 <= bottom;
            if first < end {
                if inner {
                    scratch.crossed.push((first, end));
                } else {
                    out.add(first, end);
                }
            }
            // Half-open in y, so a vertex on the centre line counts once.
            // For a column this edge does not cross, the edge lies wholly
            // left (column >= end) or wholly right of it within the strip.
            if !edge.is_horizontal() && edge.y0 <= centre && centre < edge.y1 {
                scratch.steps.push((end, edge.winding));
            }
        }
        if inner {
            sort_small(&mut scratch.crossed, |c| c.0);
            let crossed = &scratch.crossed;
            let mut k = 0;
            inside_runs(&mut scratch.steps, |start, end| {
                subtract_run(start, end, crossed, &mut k, |a, b| out.add(a, b));
            });
        } else {
            inside_runs(&mut scratch.steps, |a, b| out.add(a, b));
        }
    }
}

/// Emits, in increasing order, the column runs whose centre winding is
/// nonzero, from winding steps; the last run may be unbounded (`i64::MAX`).
fn inside_runs(steps: &mut [(i64, i32)], mut emit: impl FnMut(i64, i64)) {
    sort_small(steps, |s| s.0);
    let mut winding = 0i32;
    let mut run_start = 0;
    for &(column, change) in steps.iter() {
        let before = winding;
        winding += change;
        if before == 0 && winding != 0 {
            run_start = column;
        } else if before != 0 && winding == 0 && column > run_start {
            emit(run_start, column);
        }
    }
    if winding != 0 {
        emit(run_start, i64::MAX);
    }
}

/// Emits the parts of `start..end` not covered by any run of `cut` (sorted
/// by start). Runs are visited from `*k` on, and `*k` is advanced past runs
/// wholly left of `start`: callers pass increasing, disjoint runs.
fn subtract_run(
    start: i64,
    end: i64,
    cut: &[(i64, i64)],
    k: &mut usize,
    mut emit: impl FnMut(i64, i64),
) {
    while cut.get(*k).is_some_and(|c| c.1 <= start) {
        *k += 1;
    }
    let mut from = start;
    for &(cs, ce) in cut.get(*k..).unwrap_or(&[]) {
        if cs >= end {
            break;
        }
        if cs > from {
            emit(from, cs);
        }
        from = from.max(ce);
    }
    if from < end {
        emit(from, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(steps: &mut [(i64, i32)]) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        inside_runs(steps, |a, b| out.push((a, b)));
        out
    }

    #[test]
    fn subtracting_runs() {
        let mut got = Vec::new();
        let mut cut = vec![(8, 9), (0, 2), (3, 5), (4, 6)];
        cut.sort_unstable();
        let mut k = 0;
        for (a, b) in [(1, 7), (8, 12)] {
            subtract_run(a, b, &cut, &mut k, |a, b| got.push((a, b)));
        }
        assert_eq!(got, vec![(2, 3), (6, 7), (9, 12)]);
    }

    #[test]
    fn winding_steps_give_nonzero_runs() {
        // +1 at 2, +1 at 4, -1 at 6, -1 at 9: nonzero on 2..9.
        assert_eq!(runs(&mut [(6, -1), (2, 1), (9, -1), (4, 1)]), vec![(2, 9)]);
        // +1 at 0, -1 at 3, -1 at 5, +1 at 7 (opposite loops): 0..3, 5..7.
        assert_eq!(
            runs(&mut [(0, 1), (3, -1), (5, -1), (7, 1)]),
            vec![(0, 3), (5, 7)]
        );
        // Unbalanced (only one edge of the pair is active): unbounded.
        assert_eq!(runs(&mut [(10, 1)]), vec![(10, i64::MAX)]);
        assert_eq!(
            runs(&mut [(10, -1), (12, 1), (14, 1), (14, -1)]),
            vec![(10, 12)]
        );
    }
}
