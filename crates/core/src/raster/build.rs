//! A polygon's edge list: snapped, clipped to what can matter, collinear
//! overlaps merged, sorted by top.

use super::edge::Edge;
use super::fixed::{snap, ONE};
use crate::geometry::Polygon;

/// The edges of `polygon` in the pixel space of a `width × height` frame,
/// sorted by top `y`, appended to `out`.
///
/// - Vertices are snapped to 1/256 pixel; edges that become points vanish.
/// - Edges that cannot touch an open pixel square of the frame nor pass
///   left of one (wholly above, below, or right of the frame) are dropped;
///   edges left of the frame are kept, they count in the winding.
/// - Collinear edges that overlap are merged into pieces whose windings
///   add up, and pieces whose windings cancel are dropped: an outline that
///   runs out along a line and back encloses nothing there, so that line
///   must not mark pixels as crossed.
pub(crate) fn polygon_edges(polygon: &Polygon, width: u32, height: u32, out: &mut Vec<Edge>) {
    let points: Vec<(i64, i64)> = polygon
        .points()
        .iter()
        .map(|p| (snap(p.x, width), snap(p.y, height)))
        .collect();
    let (right, bottom) = (i64::from(width) * ONE, i64::from(height) * ONE);
    let mut lines: Vec<OnLine> = Vec::with_capacity(points.len());
    for (i, &p) in points.iter().enumerate() {
        let q = points.get(i + 1).or(points.first()).copied().unwrap_or(p);
        let Some(edge) = oriented(p, q) else {
            continue;
        };
        let outside = edge.y1 <= 0 || edge.y0 >= bottom || edge.x0.min(edge.x1) >= right;
        if !outside {
            lines.push(OnLine::new(edge));
        }
    }
    let start = out.len();
    merge_collinear(&mut lines, out);
    out[start..].sort_unstable_by_key(|e| e.y0);
}

/// The edge from `p` to `q` stored top to bottom (left to right when
/// horizontal), with winding +1 when the outline runs down (or right);
/// `None` when `p == q`.
fn oriented(p: (i64, i64), q: (i64, i64)) -> Option<Edge> {
    let forward = (q.1, q.0) > (p.1, p.0);
    let (a, b, winding) = if forward {
        (p, q, 1)
    } else if p != q {
        (q, p, -1)
    } else {
        return None;
    };
    Some(Edge {
        x0: a.0,
        y0: a.1,
        x1: b.0,
        y1: b.1,
        winding,
    })
}

/// An edge with the line it lies on, for finding collinear overlaps.
#[derive(Debug, Clone, Copy)]
struct OnLine {
    /// The line: reduced direction `(dx, dy)` and offset `dx * y - dy * x`.
    line: (i64, i64, i64),
    /// Position along the line of the edge's start and end (`y`, or `x`
    /// for a horizontal line): increasing from start to end.
    t0: i64,
    t1: i64,
    edge: Edge,
}

impl OnLine {
    fn new(edge: Edge) -> Self {
        let (dx, dy) = (edge.x1 - edge.x0, edge.y1 - edge.y0);
        let g = gcd(dx.unsigned_abs(), dy.unsigned_abs()).max(1) as i64;
        let (dx, dy) = (dx / g, dy / g);
        let offset = dx * edge.y0 - dy * edge.x0;
        let (t0, t1) = if edge.is_horizontal() {
            (edge.x0, edge.x1)
        } else {
            (edge.y0, edge.y1)
        };
        Self {
            line: (dx, dy, offset),
            t0,
            t1,
            edge,
        }
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Appends `lines`' edges to `out`, merging collinear overlaps.
fn merge_collinear(lines: &mut [OnLine], out: &mut Vec<Edge>) {
    lines.sort_unstable_by_key(|l| (l.line, l.t0));
    for group in lines.chunk_by(|a, b| a.line == b.line) {
        let mut reach = i64::MIN;
        let overlapping = group.iter().any(|l| {
            let overlaps = l.t0 < reach;
            reach = reach.max(l.t1);
            overlaps
        });
        if overlapping {
            merge_group(group, out);
        } else {
            out.extend(group.iter().map(|l| l.edge));
        }
    }
}

/// Replaces overlapping edges on one line by pieces of constant net
/// winding, dropping pieces whose winding is zero.
fn merge_group(group: &[OnLine], out: &mut Vec<Edge>) {
    // (position, point, change of winding)
    let mut events: Vec<(i64, (i64, i64), i32)> = Vec::with_capacity(group.len() * 2);
    for l in group {
        let e = l.edge;
        events.push((l.t0, (e.x0, e.y0), e.winding));
        events.push((l.t1, (e.x1, e.y1), -e.winding));
    }
    events.sort_unstable_by_key(|ev| ev.0);
    let mut net = 0;
    let mut piece_start = (0, 0);
    for same in events.chunk_by(|a, b| a.0 == b.0) {
        let point = same[0].1;
        let next = net + same.iter().map(|ev| ev.2).sum::<i32>();
        if next != net {
            if net != 0 {
                out.push(Edge {
                    x0: piece_start.0,
                    y0: piece_start.1,
                    x1: point.0,
                    y1: point.1,
                    winding: net,
                });
            }
            piece_start = point;
            net = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(points: &[[f64; 2]], width: u32, height: u32) -> Vec<Edge> {
        let polygon = Polygon::from_pixels(points.iter().copied(), [width, height]).unwrap();
        let mut out = Vec::new();
        polygon_edges(&polygon, width, height, &mut out);
        out
    }

    #[test]
    fn a_square_has_two_vertical_and_two_horizontal_edges() {
        let e = edges(&[[1.0, 1.0], [3.0, 1.0], [3.0, 3.0], [1.0, 3.0]], 4, 4);
        assert_eq!(e.len(), 4);
        assert_eq!(e.iter().filter(|e| e.is_horizontal()).count(), 2);
        assert_eq!(e.iter().map(|e| e.winding).sum::<i32>(), 0);
        assert!(e.windows(2).all(|w| w[0].y0 <= w[1].y0));
    }

    #[test]
    fn a_spike_out_and_back_leaves_no_edge() {
        // A square with a zero-width spike going up from its top edge.
        let e = edges(
            &[
                [1.0, 2.0],
                [2.0, 2.0],
                [2.0, 0.5],
                [2.0, 2.0],
                [3.0, 2.0],
                [3.0, 3.0],
                [1.0, 3.0],
            ],
            4,
            4,
        );
        assert!(e.iter().all(|e| e.y0 >= 2 * ONE), "{e:?}");
        // Left, right, bottom, and the top in two pieces meeting at x = 2.
        assert_eq!(e.len(), 5, "{e:?}");
    }

    #[test]
    fn overlapping_edges_in_the_same_direction_add_up() {
        // Two triangles sharing part of their left side, both clockwise.
        let mut out = Vec::new();
        let mut group: Vec<OnLine> = [(0, 0, 0, 10 * ONE), (0, 5 * ONE, 0, 20 * ONE)]
            .iter()
            .map(|&(x0, y0, x1, y1)| {
                OnLine::new(Edge {
                    x0,
                    y0,
                    x1,
                    y1,
                    winding: 1,
                })
            })
            .collect();
        merge_collinear(&mut group, &mut out);
        let windings: Vec<_> = out
            .iter()
            .map(|e| (e.y0 / ONE, e.y1 / ONE, e.winding))
            .collect();
        assert_eq!(windings, vec![(0, 5, 1), (5, 10, 2), (10, 20, 1)]);
    }

    #[test]
    fn edges_outside_the_frame_are_dropped_except_left_of_it() {
        // A quad from far left to far right of a 4x4 frame, rows 1..2.
        let e = edges(&[[-4.0, 1.0], [8.0, 1.0], [8.0, 2.0], [-4.0, 2.0]], 4, 4);
        // The right side is dropped, the left side kept, both horizontals kept.
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e.iter().all(|e| e.x0 < 4 * ONE));
    }
}
