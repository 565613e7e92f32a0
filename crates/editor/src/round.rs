//! Coordinates written with at most four decimals, rounded so that a masked
//! zone never shrinks and a carve-out never grows.
//!
//! Rounding a vertex to the nearest 1/10 000 of the frame moves it by up to
//! 0.7 px at 8K: enough to uncover a sliver of a private zone. So each
//! vertex moves to the nearest grid point on the outer side of the edges it
//! joins ([`Direction::Outward`]). A point of an edge moves by a blend of
//! its endpoints' moves, so the whole rounded edge then lies on or outside
//! the edge it replaces, and the rounded outline holds the drawn one.
//! Which side of an edge is outer is decided by the nonzero winding rule
//! the rasterizer fills with, stretch by stretch between the places other
//! edges cross it: concave and self-intersecting outlines round correctly
//! too. A stretch with the zone on both sides (inside an overlap)
//! constrains nothing; an edge that bounds the zone on one side before a
//! crossing and on the other after it keeps its endpoints where they are.
//! [`Direction::Inward`] is the mirror image, for the objects a zone
//! keeps visible.
//!
//! Vertices move at most 8 grid steps, and less than a third of the ring's
//! clearance (the shortest edge, the nearest a vertex or crossing comes to
//! an edge it is not on), so no feature of the outline is carried past
//! another and the argument above holds for the whole ring. A vertex with no
//! such grid point on the right side of its edges (a very sharp spike, a
//! corner of such a crossing edge, a ring with features closer than a grid
//! step) keeps its exact value: the outline is never shrunk to honour the
//! decimals. Proptests check that no point near an edge or corner is lost
//! (outward) or gained (inward), and that a drawn quadrilateral always
//! rounds to four decimals. (The rasterizer snaps vertices to 1/256 pixel,
//! drawn and rounded alike; the guarantee here is about the outlines.)

use crate::zone::Ring;

/// The grid: 1/10 000 of the frame's width or height.
pub const SCALE: f64 = 10_000.0;

/// How far (in grid steps) a vertex may move to find a grid point on the
/// right side of its edges before it keeps its exact value.
const MAX_STEPS: i64 = 8;

/// Which way a ring's vertices round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// To the nearest grid point (zones that are never masked).
    Nearest,
    /// Never inside the drawn outline (masked zones).
    Outward,
    /// Never outside the drawn outline (carve-outs of a masked zone).
    Inward,
}

/// `ring` rounded to at most four decimals in `direction`. Repeated
/// consecutive vertices and an explicit closing vertex are dropped first;
/// a ring of fewer than three vertices is rounded to the nearest grid point
/// (the policy refuses it anyway).
#[must_use]
pub fn round_ring(ring: &[[f64; 2]], direction: Direction) -> Ring {
    let mut points: Ring = ring.to_vec();
    points.dedup();
    while points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    if direction == Direction::Nearest || points.len() < 3 {
        return points.iter().map(|p| p.map(nearest)).collect();
    }
    let outer = outer_normals(&points);
    let sign = if direction == Direction::Outward {
        1.0
    } else {
        -1.0
    };
    // Moves below a third of the clearance keep every vertex, edge and
    // crossing where it is relative to the others.
    let reach = clearance(&points) / 3.0;
    let n = points.len();
    (0..n)
        .map(|i| {
            let wanted: Vec<[f64; 2]> = outer[(i + n - 1) % n]
                .iter()
                .chain(&outer[i])
                .map(|[x, y]| [sign * x, sign * y])
                .collect();
            snap(points[i], &wanted, reach)
        })
        .collect()
}

/// `v` rounded to the nearest grid value (`-0` written as `0`).
#[must_use]
pub fn nearest(v: f64) -> f64 {
    if !v.is_finite() {
        return v;
    }
    let r = (v * SCALE).round() / SCALE;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// The grid point nearest `p` whose displacement from `p` has a
/// non-negative component along every normal in `wanted` and is no longer
/// than `reach`; `p` itself when none lies within [`MAX_STEPS`].
fn snap(p: [f64; 2], wanted: &[[f64; 2]], reach: f64) -> [f64; 2] {
    let [x, y] = p;
    if !x.is_finite() || !y.is_finite() {
        return p;
    }
    // An edge that bounds the region on one side before a crossing and on
    // the other after it: moving along it would keep its line but change
    // where it ends, so the vertex stays.
    if wanted.iter().any(|n| wanted.contains(&[-n[0], -n[1]])) {
        return p;
    }
    let (gx, gy) = ((x * SCALE).floor() as i64, (y * SCALE).floor() as i64);
    let ok = |q: [f64; 2]| {
        let d = [q[0] - x, q[1] - y];
        (d[0] * d[0] + d[1] * d[1]).sqrt() <= reach
            && wanted.iter().all(|n| d[0] * n[0] + d[1] * n[1] >= 0.0)
    };
    let mut best: Option<([f64; 2], f64)> = None;
    // Square rings of candidates around the cell holding `p`; once one is
    // found, one more ring may still hold a nearer one.
    let mut last_ring = MAX_STEPS;
    for r in 0..=MAX_STEPS {
        if r > last_ring {
            break;
        }
        for kx in (gx - r)..=(gx + 1 + r) {
            for ky in (gy - r)..=(gy + 1 + r) {
                let on_ring = kx == gx - r || kx == gx + 1 + r || ky == gy - r || ky == gy + 1 + r;
                if !on_ring {
                    continue;
                }
                let q = [grid(kx), grid(ky)];
                if !ok(q) {
                    continue;
                }
                let dist = (q[0] - x).powi(2) + (q[1] - y).powi(2);
                if best.is_none_or(|(_, d)| dist < d) {
                    best = Some((q, dist));
                    last_ring = last_ring.min(r + 1);
                }
            }
        }
    }
    best.map_or(p, |(q, _)| q)
}

/// Grid step `k` as a coordinate: `k / 10 000`, the double nearest the
/// decimal it prints as.
fn grid(k: i64) -> f64 {
    let v = k as f64 / SCALE;
    if v == 0.0 {
        0.0
    } else {
        v
    }
}

/// For each edge `i` (from vertex `i` to `i + 1`), the unit normals its
/// endpoints must not move against: the normal pointing out of the filled
/// region along every stretch of the edge with the region on one side only.
/// A self-intersecting outline can have the region on one side of an edge
/// before a crossing and on the other side after it; such an edge gets
/// both normals, and its endpoints may only slide along it.
fn outer_normals(points: &[[f64; 2]]) -> Vec<Vec<[f64; 2]>> {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            let d = [b[0] - a[0], b[1] - a[1]];
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if len == 0.0 {
                return Vec::new();
            }
            let normal = [-d[1] / len, d[0] / len];
            // A step off the edge far below a grid step, far above rounding noise.
            let eps = (len * 1e-3).min(1e-10);
            let mut cuts = crossings(points, i);
            cuts.push(0.0);
            cuts.push(1.0);
            cuts.sort_by(f64::total_cmp);
            let mut out: Vec<[f64; 2]> = Vec::new();
            for w in cuts.windows(2) {
                if w[1] - w[0] <= 1e-12 {
                    continue;
                }
                let t = (w[0] + w[1]) / 2.0;
                let mid = [a[0] + t * d[0], a[1] + t * d[1]];
                let side = |s: f64| {
                    winding(
                        points,
                        [mid[0] + s * eps * normal[0], mid[1] + s * eps * normal[1]],
                    )
                };
                let outer = match (side(1.0), side(-1.0)) {
                    (0, w) if w != 0 => normal,
                    (w, 0) if w != 0 => [-normal[0], -normal[1]],
                    _ => continue,
                };
                if !out.contains(&outer) {
                    out.push(outer);
                }
            }
            out
        })
        .collect()
}

/// Where along edge `i` (as a fraction from its start) the other edges
/// cross or touch it.
fn crossings(points: &[[f64; 2]], i: usize) -> Vec<f64> {
    let n = points.len();
    let (a, b) = (points[i], points[(i + 1) % n]);
    let r = [b[0] - a[0], b[1] - a[1]];
    let mut out = Vec::new();
    for j in 0..n {
        if j == i {
            continue;
        }
        let (c, e) = (points[j], points[(j + 1) % n]);
        let q = [e[0] - c[0], e[1] - c[1]];
        let denom = r[0] * q[1] - r[1] * q[0];
        if denom == 0.0 {
            continue;
        }
        let ac = [c[0] - a[0], c[1] - a[1]];
        let t = (ac[0] * q[1] - ac[1] * q[0]) / denom;
        let u = (ac[0] * r[1] - ac[1] * r[0]) / denom;
        if (0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u) && t > 0.0 && t < 1.0 {
            out.push(t);
        }
    }
    out
}

/// The smallest distance between features of the ring that rounding must
/// not carry past each other: the length of an edge, and the distance of a
/// vertex or a crossing of two edges from any edge it is not on.
fn clearance(points: &[[f64; 2]]) -> f64 {
    let n = points.len();
    let edge = |i: usize| (points[i], points[(i + 1) % n]);
    // Each feature with the edges it lies on.
    let mut marks: Vec<([f64; 2], usize, usize)> =
        (0..n).map(|i| (points[i], (i + n - 1) % n, i)).collect();
    for i in 0..n {
        for j in (i + 1)..n {
            if let Some(x) = crossing_point(edge(i), edge(j)) {
                marks.push((x, i, j));
            }
        }
    }
    let mut c = f64::INFINITY;
    for i in 0..n {
        let (a, b) = edge(i);
        c = c.min(((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt());
        for &(m, e1, e2) in &marks {
            if e1 != i && e2 != i {
                c = c.min(segment_distance(m, a, b));
            }
        }
    }
    c
}

/// Where segments `(a, b)` and `(c, d)` cross, strictly inside both.
fn crossing_point((a, b): ([f64; 2], [f64; 2]), (c, d): ([f64; 2], [f64; 2])) -> Option<[f64; 2]> {
    let r = [b[0] - a[0], b[1] - a[1]];
    let q = [d[0] - c[0], d[1] - c[1]];
    let denom = r[0] * q[1] - r[1] * q[0];
    if denom == 0.0 {
        return None;
    }
    let ac = [c[0] - a[0], c[1] - a[1]];
    let t = (ac[0] * q[1] - ac[1] * q[0]) / denom;
    let u = (ac[0] * r[1] - ac[1] * r[0]) / denom;
    (t > 0.0 && t < 1.0 && u > 0.0 && u < 1.0).then(|| [a[0] + t * r[0], a[1] + t * r[1]])
}

/// The distance of `p` from the segment `(a, b)`.
fn segment_distance(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let d = [b[0] - a[0], b[1] - a[1]];
    let len2 = d[0] * d[0] + d[1] * d[1];
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / len2).clamp(0.0, 1.0)
    };
    ((p[0] - a[0] - t * d[0]).powi(2) + (p[1] - a[1] - t * d[1]).powi(2)).sqrt()
}

/// The winding number of the closed ring `points` around `p`.
fn winding(points: &[[f64; 2]], p: [f64; 2]) -> i32 {
    let n = points.len();
    let mut w = 0;
    for i in 0..n {
        let (a, b) = (points[i], points[(i + 1) % n]);
        let cross = (b[0] - a[0]) * (p[1] - a[1]) - (p[0] - a[0]) * (b[1] - a[1]);
        if a[1] <= p[1] {
            if b[1] > p[1] && cross > 0.0 {
                w += 1;
            }
        } else if b[1] <= p[1] && cross < 0.0 {
            w -= 1;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sladd_core::{Coverage, Polygon};

    fn decimals_ok(ring: &[[f64; 2]]) -> bool {
        ring.iter().flatten().all(|v| {
            let text = v.to_string();
            text.split_once('.').is_none_or(|(_, d)| d.len() <= 4)
        })
    }

    #[test]
    fn rectangle_rounds_outward_and_inward() {
        let ring = vec![
            [0.10004, 0.35006],
            [0.42001, 0.35006],
            [0.42001, 0.94999],
            [0.10004, 0.94999],
        ];
        let out = round_ring(&ring, Direction::Outward);
        assert_eq!(
            out,
            vec![[0.1, 0.35], [0.4201, 0.35], [0.4201, 0.95], [0.1, 0.95]]
        );
        // Either orientation gives the same box.
        let mut reversed = ring.clone();
        reversed.reverse();
        let mut back = round_ring(&reversed, Direction::Outward);
        back.reverse();
        assert_eq!(back, out);
        let inner = round_ring(&ring, Direction::Inward);
        assert_eq!(
            inner,
            vec![
                [0.1001, 0.3501],
                [0.42, 0.3501],
                [0.42, 0.9499],
                [0.1001, 0.9499]
            ]
        );
        let near = round_ring(&ring, Direction::Nearest);
        assert_eq!(
            near,
            vec![[0.1, 0.3501], [0.42, 0.3501], [0.42, 0.95], [0.1, 0.95]]
        );
        contains(&ring, &out);
        contains(&inner, &ring);
    }

    #[test]
    fn values_on_the_grid_stay_put() {
        let ring = vec![[0.1, 0.2], [0.9, 0.2], [0.5, 0.8]];
        for d in [Direction::Outward, Direction::Inward, Direction::Nearest] {
            assert_eq!(round_ring(&ring, d), ring);
        }
    }

    #[test]
    fn closing_vertex_and_repeats_are_dropped() {
        let ring = vec![[0.1, 0.1], [0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.1]];
        assert_eq!(
            round_ring(&ring, Direction::Outward),
            vec![[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]
        );
    }

    #[test]
    fn sharp_spike_keeps_its_tip_exact() {
        // A sliver 1e-7 wide at its base and 0.5 long: no grid point near
        // the tip lies outside both of its long edges.
        let ring = vec![
            [0.100_000_01, 0.9],
            [0.100_000_11, 0.9],
            [0.100_000_06, 0.4],
        ];
        let out = round_ring(&ring, Direction::Outward);
        assert!(out.contains(&[0.100_000_06, 0.4]), "{out:?}");
    }

    #[test]
    fn self_intersecting_outlines_never_shrink() {
        // A bow tie: its two diagonals each bound one lobe before the
        // crossing and the other after it, so their corners keep their
        // exact values.
        let ring = vec![
            [0.10003, 0.10003],
            [0.50003, 0.50003],
            [0.50003, 0.10003],
            [0.10003, 0.50003],
        ];
        let out = round_ring(&ring, Direction::Outward);
        assert_eq!(out, ring);
        assert_eq!(holds(&ring, &out), Ok(()));
        // A rectangle with a notch crossing back over it rounds where it can.
        let ring = vec![
            [0.10003, 0.10003],
            [0.6, 0.10003],
            [0.6, 0.5],
            [0.30007, 0.05],
            [0.10003, 0.5],
        ];
        let out = round_ring(&ring, Direction::Outward);
        assert_eq!(holds(&ring, &out), Ok(()));
        assert_eq!(out[2], [0.6, 0.5]);
    }

    /// Every pixel the drawn ring covers at 8K, the rounded ring covers too
    /// (for outlines whose rounded edges move by more than the
    /// rasterizer's 1/256-pixel vertex snapping, or not at all).
    fn contains(drawn: &[[f64; 2]], rounded: &[[f64; 2]]) {
        let (w, h) = (7680, 4320);
        let a = Polygon::normalized(drawn.iter().copied())
            .map(sladd_core::Region::single)
            .and_then(|r| r.rasterize(w, h, Coverage::Conservative));
        let b = Polygon::normalized(rounded.iter().copied())
            .map(sladd_core::Region::single)
            .and_then(|r| r.rasterize(w, h, Coverage::Conservative));
        let (Ok(a), Ok(b)) = (a, b) else { return };
        let lost = a.subtract(&b).expect("same size");
        assert_eq!(
            lost.pixel_count(),
            0,
            "rounding uncovered pixels: {drawn:?} -> {rounded:?}"
        );
    }

    /// Every point of the drawn ring's region near its edges and corners
    /// (where rounding could cut in) lies in the rounded ring's region.
    fn holds(drawn: &[[f64; 2]], rounded: &[[f64; 2]]) -> Result<(), String> {
        let n = drawn.len();
        for i in 0..n {
            let (a, b) = (drawn[i], drawn[(i + 1) % n]);
            let d = [b[0] - a[0], b[1] - a[1]];
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if len == 0.0 {
                continue;
            }
            let normal = [-d[1] / len, d[0] / len];
            for t in [0.0, 0.001, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999] {
                for eps in [1e-9, 1e-7, 1e-5, 1e-4] {
                    for side in [1.0, -1.0] {
                        let q = [
                            a[0] + t * d[0] + side * eps * normal[0],
                            a[1] + t * d[1] + side * eps * normal[1],
                        ];
                        if winding(drawn, q) != 0 && winding(rounded, q) == 0 {
                            return Err(format!("{q:?} is lost: {drawn:?} -> {rounded:?}"));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn outward_rounding_never_loses_a_point(
            ring in prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 3..9)
        ) {
            let ring: Ring = ring.into_iter().map(|(x, y)| [x, y]).collect();
            let out = round_ring(&ring, Direction::Outward);
            prop_assert!(out.iter().all(|p| decimals_ok(&[*p]) || ring.contains(p)));
            prop_assert_eq!(holds(&ring, &out), Ok(()));
        }

        #[test]
        fn inward_rounding_never_gains_a_point(
            ring in prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 3..9)
        ) {
            let ring: Ring = ring.into_iter().map(|(x, y)| [x, y]).collect();
            let inner = round_ring(&ring, Direction::Inward);
            prop_assert_eq!(holds(&inner, &ring), Ok(()));
        }

        #[test]
        fn drawn_quadrilaterals_round_to_four_decimals_and_hold_the_drawn_one(
            corners in prop::collection::vec((-0.05f64..0.05, -0.05f64..0.05), 4),
            (x0, y0, x1, y1) in (0.05f64..0.45, 0.05f64..0.45, 0.55f64..0.95, 0.55f64..0.95),
        ) {
            // What an operator draws: a box, its corners off by a little.
            let base = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
            let ring: Ring = base.iter().zip(&corners).map(|(b, c)| [b[0] + c.0, b[1] + c.1]).collect();
            let out = round_ring(&ring, Direction::Outward);
            prop_assert!(decimals_ok(&out), "{:?}", out);
            prop_assert_eq!(holds(&ring, &out), Ok(()));
        }
    }
}
