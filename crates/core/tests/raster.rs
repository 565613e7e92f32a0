//! Rasterization against a slow, obvious, exact oracle, plus the unit cases
//! a reader checks by eye.
//!
//! The oracle knows nothing of the rasterizer's scanline walk. For each
//! pixel row it cuts the strip into vertical slabs at every pixel boundary,
//! every vertex, every point where an edge meets the strip's top or bottom
//! and every point where two edges cross; inside a slab no two edges cross,
//! so the vertical line through the slab's middle meets every face of the
//! outline there. Along that line it sorts the edge crossings and counts the
//! winding of each interval between them, in exact rational arithmetic. A
//! pixel overlaps the interior iff some interval inside its open square has
//! nonzero winding; it is wholly inside iff none has winding zero.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use num_bigint::BigInt;
use num_rational::BigRational as Q;
use proptest::prelude::*;
use sladd_core::raster::rasterize_polygon;
use sladd_core::{rasterize, Coverage, Error, Polygon, Region, Span, SpanMask};

/// Fixed-point units per pixel, as the rasterizer snaps.
const UNIT: i64 = sladd_core::raster::SUBPIXEL as i64;

type Pt = (i64, i64);
type Seg = (Pt, Pt);

fn q(v: i64) -> Q {
    Q::from_integer(BigInt::from(v))
}

// ---------------------------------------------------------------- oracle --

/// The non-degenerate edges of a closed ring of fixed-point vertices.
fn segments(points: &[Pt]) -> Vec<Seg> {
    (0..points.len())
        .map(|i| (points[i], points[(i + 1) % points.len()]))
        .filter(|(a, b)| a != b)
        .collect()
}

/// Per pixel (row-major): does its open square meet a face of nonzero
/// winding, and does it meet a face of zero winding?
fn oracle_faces(segs: &[Seg], width: u32, height: u32) -> (Vec<bool>, Vec<bool>) {
    let (w, h) = (width as usize, height as usize);
    let mut nonzero = vec![false; w * h];
    let mut zero = vec![false; w * h];
    let right = q(i64::from(width) * UNIT);
    for r in 0..h {
        let (lo, hi) = (r as i64 * UNIT, (r as i64 + 1) * UNIT);
        let (qlo, qhi) = (q(lo), q(hi));
        let mut xs: Vec<Q> = (0..=i64::from(width)).map(|c| q(c * UNIT)).collect();
        for &(a, b) in segs {
            xs.push(q(a.0));
            for yb in [lo, hi] {
                if (a.1 - yb) * (b.1 - yb) < 0 {
                    xs.push(q(a.0) + q(yb - a.1) * q(b.0 - a.0) / q(b.1 - a.1));
                }
            }
        }
        for (i, &(a, b)) in segs.iter().enumerate() {
            for &(c, d) in &segs[i + 1..] {
                let (d1, d2) = ((b.0 - a.0, b.1 - a.1), (d.0 - c.0, d.1 - c.1));
                let den = d1.0 * d2.1 - d1.1 * d2.0;
                if den == 0 {
                    continue;
                }
                let t = q((c.0 - a.0) * d2.1 - (c.1 - a.1) * d2.0) / q(den);
                let y = q(a.1) + t.clone() * q(d1.1);
                if y >= qlo && y <= qhi {
                    xs.push(q(a.0) + t * q(d1.0));
                }
            }
        }
        xs.retain(|x| *x >= q(0) && *x <= right);
        xs.sort();
        xs.dedup();
        for pair in xs.windows(2) {
            let xm = (pair[0].clone() + pair[1].clone()) / q(2);
            let col = (xm.clone() / q(UNIT)).floor().to_integer();
            let col: usize = col.try_into().unwrap();
            let mut crossings: Vec<(Q, i32)> = segs
                .iter()
                .filter(|(a, b)| q(a.0.min(b.0)) < xm && xm < q(a.0.max(b.0)))
                .map(|&(a, b)| {
                    let y = q(a.1) + (xm.clone() - q(a.0)) * q(b.1 - a.1) / q(b.0 - a.0);
                    (y, if b.0 > a.0 { 1 } else { -1 })
                })
                .collect();
            crossings.sort_by(|a, b| a.0.cmp(&b.0));
            let mut winding = 0;
            let mut below: Option<Q> = None;
            let mut mark = |from: &Option<Q>, to: Option<&Q>, winding: i32| {
                let start = match from {
                    Some(f) if *f > qlo => f.clone(),
                    _ => qlo.clone(),
                };
                let end = match to {
                    Some(t) if *t < qhi => t.clone(),
                    _ => qhi.clone(),
                };
                if start < end {
                    let i = r * w + col;
                    if winding != 0 {
                        nonzero[i] = true;
                    } else {
                        zero[i] = true;
                    }
                }
            };
            for (y, s) in crossings {
                mark(&below, Some(&y), winding);
                winding += s;
                below = Some(y);
            }
            mark(&below, None, winding);
        }
    }
    (nonzero, zero)
}

/// Whether segment `s` meets the open (or, with `closed`, the closed)
/// square of pixel `(c, r)`, exactly.
fn segment_meets_square(s: Seg, c: i64, r: i64, closed: bool) -> bool {
    let ((x0, y0), (x1, y1)) = s;
    let mut lower: Option<Q> = None;
    let mut upper: Option<Q> = None;
    for (v0, dv, a) in [(x0, x1 - x0, c * UNIT), (y0, y1 - y0, r * UNIT)] {
        let b = a + UNIT;
        if dv == 0 {
            let inside = if closed {
                a <= v0 && v0 <= b
            } else {
                a < v0 && v0 < b
            };
            if !inside {
                return false;
            }
            continue;
        }
        let (t1, t2) = (q(a - v0) / q(dv), q(b - v0) / q(dv));
        let (tmin, tmax) = if t1 < t2 { (t1, t2) } else { (t2, t1) };
        lower = Some(match lower {
            Some(l) if l > tmin => l,
            _ => tmin,
        });
        upper = Some(match upper {
            Some(u) if u < tmax => u,
            _ => tmax,
        });
    }
    let (Some(l), Some(u)) = (lower, upper) else {
        return false;
    };
    if closed {
        l <= u && l <= q(1) && u >= q(0)
    } else {
        l < u && l < q(1) && u > q(0)
    }
}

/// Winding number of `p` (not on an edge), or `None` when `p` lies on one.
fn winding_at(segs: &[Seg], p: Pt) -> Option<i32> {
    let mut w = 0;
    for &(a, b) in segs {
        let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
        let within = a.0.min(b.0) <= p.0
            && p.0 <= a.0.max(b.0)
            && a.1.min(b.1) <= p.1
            && p.1 <= a.1.max(b.1);
        if cross == 0 && within {
            return None;
        }
        if a.1 <= p.1 {
            if b.1 > p.1 && cross > 0 {
                w += 1;
            }
        } else if b.1 <= p.1 && cross < 0 {
            w -= 1;
        }
    }
    Some(w)
}

// --------------------------------------------------------------- helpers --

fn dense(m: &SpanMask) -> Vec<bool> {
    let mut out = Vec::with_capacity((m.width() * m.height()) as usize);
    for y in 0..m.height() {
        out.extend((0..m.width()).map(|x| m.contains(x, y)));
    }
    out
}

fn show(cells: &[bool], width: u32) -> String {
    cells
        .chunks(width as usize)
        .map(|row| row.iter().map(|&c| if c { '#' } else { '.' }).collect())
        .collect::<Vec<String>>()
        .join("\n")
}

/// A polygon from fixed-point pixel vertices of a `width × height` frame.
fn polygon_fixed(points: &[Pt], width: u32, height: u32) -> Option<Polygon> {
    let (w, h) = (
        (i64::from(width) * UNIT) as f64,
        (i64::from(height) * UNIT) as f64,
    );
    Polygon::normalized(points.iter().map(|&(x, y)| [x as f64 / w, y as f64 / h])).ok()
}

/// A polygon from pixel vertices of a `width × height` frame.
fn polygon_px(points: &[[f64; 2]], width: u32, height: u32) -> Polygon {
    Polygon::from_pixels(points.iter().copied(), [width, height]).unwrap()
}

fn mask_rows(m: &SpanMask) -> Vec<Vec<(u32, u32)>> {
    m.rows()
        .map(|r| r.iter().map(|s| (s.start, s.end)).collect())
        .collect()
}

fn raster(p: &Polygon, width: u32, height: u32, coverage: Coverage) -> SpanMask {
    rasterize_polygon(p, width, height, coverage).unwrap()
}

// ------------------------------------------------------------ strategies --

/// A frame size with many degenerate ones (1×1, 1×N, N×1, odd sizes).
fn frame_size() -> impl Strategy<Value = (u32, u32)> {
    (1u32..=9, 1u32..=9)
}

/// Vertices on the 1/256-pixel grid (so snapping changes nothing),
/// sometimes on a coarser grid (whole, half or quarter pixels) to hit
/// edges along pixel boundaries, vertices on centre lines and collinear
/// overlaps; reaching half a frame outside on every side.
fn ring(width: u32, height: u32) -> impl Strategy<Value = Vec<Pt>> {
    let (w, h) = (i64::from(width) * UNIT, i64::from(height) * UNIT);
    (
        prop::sample::select(vec![1i64, 1, 32, 64, 128, 256]),
        3usize..=10,
    )
        .prop_flat_map(move |(quantum, n)| {
            let x = (-w / 2..=w + w / 2).prop_map(move |v| v.div_euclid(quantum) * quantum);
            let y = (-h / 2..=h + h / 2).prop_map(move |v| v.div_euclid(quantum) * quantum);
            prop::collection::vec((x, y), n)
        })
}

fn frame_and_rings() -> impl Strategy<Value = (u32, u32, Vec<Vec<Pt>>)> {
    frame_size()
        .prop_flat_map(|(w, h)| (Just(w), Just(h), prop::collection::vec(ring(w, h), 1..=2)))
}

// ------------------------------------------------------------ properties --

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    /// Conservative coverage is exactly "the interior overlaps the open
    /// square"; inner coverage lies between "wholly inside and crossed by no
    /// edge" and "wholly inside"; centres inside are masked; pixels whose
    /// closed square the polygon does not touch are not.
    #[test]
    fn grid_polygons_match_the_oracle((width, height, rings) in frame_and_rings()) {
        let mut want_cons = vec![false; (width * height) as usize];
        let mut wholly_in = vec![false; (width * height) as usize];
        let mut inner_floor = vec![false; (width * height) as usize];
        let mut polygons = Vec::new();
        for points in &rings {
            let Some(polygon) = polygon_fixed(points, width, height) else { continue };
            let segs = segments(points);
            let (nonzero, zero) = oracle_faces(&segs, width, height);
            let cons = dense(&raster(&polygon, width, height, Coverage::Conservative));
            let inner = dense(&raster(&polygon, width, height, Coverage::Inner));
            prop_assert!(
                cons == nonzero,
                "conservative differs from the oracle for {:?} in {}x{}\ngot\n{}\nwant\n{}",
                points, width, height, show(&cons, width), show(&nonzero, width)
            );
            for r in 0..i64::from(height) {
                for c in 0..i64::from(width) {
                    let i = (r * i64::from(width) + c) as usize;
                    let inside = nonzero[i] && !zero[i];
                    let crossed = segs.iter().any(|&s| segment_meets_square(s, c, r, false));
                    let touched = segs.iter().any(|&s| segment_meets_square(s, c, r, true));
                    let centre = winding_at(&segs, (c * UNIT + UNIT / 2, r * UNIT + UNIT / 2));
                    prop_assert!(!inner[i] || inside, "inner pixel ({c},{r}) not wholly inside: {points:?}");
                    prop_assert!(inner[i] || !inside || crossed, "inner misses uncrossed ({c},{r}): {points:?}");
                    if centre.is_some_and(|w| w != 0) {
                        prop_assert!(cons[i], "centre inside, pixel ({c},{r}) unmasked: {points:?}");
                    }
                    if !touched && centre == Some(0) {
                        prop_assert!(!cons[i] && !inner[i], "untouched pixel ({c},{r}) masked: {points:?}");
                    }
                    want_cons[i] |= nonzero[i];
                    wholly_in[i] |= inside;
                    inner_floor[i] |= inside && !crossed;
                }
            }
            polygons.push(polygon);
        }
        let Ok(region) = Region::new(polygons) else { return Ok(()) };
        let cons = dense(&rasterize(&region, width, height, Coverage::Conservative).unwrap());
        prop_assert!(cons == want_cons, "region is not the union of its polygons");
        let inner = dense(&region.rasterize(width, height, Coverage::Inner).unwrap());
        for i in 0..inner.len() {
            prop_assert!(!inner[i] || wholly_in[i]);
            prop_assert!(inner[i] || !inner_floor[i]);
        }
    }

    /// With arbitrary vertices (not on the snapping grid), a pixel whose
    /// centre is inside by more than 1/256 px is masked, and a pixel whose
    /// square is more than 1/256 px from every edge and outside is not.
    #[test]
    fn arbitrary_polygons_keep_margins(
        (width, height) in frame_size(),
        raw in prop::collection::vec((-0.5f64..1.5, -0.5f64..1.5), 3..=8),
    ) {
        let Ok(polygon) = Polygon::normalized(raw.iter().map(|&(x, y)| [x, y])) else {
            return Ok(());
        };
        let cons = raster(&polygon, width, height, Coverage::Conservative);
        let inner = raster(&polygon, width, height, Coverage::Inner);
        let pts: Vec<(f64, f64)> = polygon
            .to_pixels(width, height)
            .map(|p| (p.x, p.y))
            .collect();
        let margin = 1.0 / 256.0;
        for r in 0..height {
            for c in 0..width {
                let (cx, cy) = (f64::from(c) + 0.5, f64::from(r) + 0.5);
                let near_centre = any_edge_meets_box(&pts, cx - margin, cy - margin, cx + margin, cy + margin);
                let near_square = any_edge_meets_box(
                    &pts,
                    f64::from(c) - margin,
                    f64::from(r) - margin,
                    f64::from(c + 1) + margin,
                    f64::from(r + 1) + margin,
                );
                let w = winding_f64(&pts, cx, cy);
                if !near_centre && w != 0 {
                    prop_assert!(cons.contains(c, r), "centre of ({c},{r}) inside, unmasked: {raw:?}");
                }
                if !near_square {
                    prop_assert_eq!(cons.contains(c, r), w != 0, "({},{}) far from edges: {:?}", c, r, raw);
                    prop_assert_eq!(inner.contains(c, r), w != 0, "({},{}) far from edges: {:?}", c, r, raw);
                }
            }
        }
    }
}

/// Whether any edge of the ring meets the closed box (floating point; the
/// callers keep a margin so rounding does not matter).
fn any_edge_meets_box(pts: &[(f64, f64)], x0: f64, y0: f64, x1: f64, y1: f64) -> bool {
    (0..pts.len()).any(|i| {
        let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for (v0, dv, min, max) in [(a.0, b.0 - a.0, x0, x1), (a.1, b.1 - a.1, y0, y1)] {
            if dv == 0.0 {
                if v0 < min || v0 > max {
                    return false;
                }
            } else {
                let (t1, t2) = ((min - v0) / dv, (max - v0) / dv);
                lo = lo.max(t1.min(t2));
                hi = hi.min(t1.max(t2));
            }
        }
        lo <= hi
    })
}

fn winding_f64(pts: &[(f64, f64)], px: f64, py: f64) -> i32 {
    let mut w = 0;
    for i in 0..pts.len() {
        let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
        let cross = (b.0 - a.0) * (py - a.1) - (b.1 - a.1) * (px - a.0);
        if a.1 <= py {
            if b.1 > py && cross > 0.0 {
                w += 1;
            }
        } else if b.1 <= py && cross < 0.0 {
            w -= 1;
        }
    }
    w
}

// ------------------------------------------------------------ unit cases --

#[test]
fn rectangle_on_pixel_bounds_masks_exactly_its_pixels() {
    let p = polygon_px(&[[2.0, 1.0], [5.0, 1.0], [5.0, 3.0], [2.0, 3.0]], 8, 5);
    for coverage in [Coverage::Conservative, Coverage::Inner] {
        let m = raster(&p, 8, 5, coverage);
        assert_eq!(
            mask_rows(&m),
            vec![vec![], vec![(2, 5)], vec![(2, 5)], vec![], vec![]],
            "{coverage:?}"
        );
    }
}

#[test]
fn rectangle_off_the_grid_grows_by_one_pixel_where_it_crosses() {
    // Left and top edges move a quarter pixel out, right and bottom stay.
    let p = polygon_px(&[[1.75, 0.75], [5.0, 0.75], [5.0, 3.0], [1.75, 3.0]], 8, 5);
    let m = raster(&p, 8, 5, Coverage::Conservative);
    assert_eq!(
        mask_rows(&m),
        vec![vec![(1, 5)], vec![(1, 5)], vec![(1, 5)], vec![], vec![]]
    );
    let inner = raster(&p, 8, 5, Coverage::Inner);
    assert_eq!(
        mask_rows(&inner),
        vec![vec![], vec![(2, 5)], vec![(2, 5)], vec![], vec![]]
    );
    // A quarter pixel inward on every side: conservative keeps the pixels,
    // inner keeps none of the boundary ones.
    let p = polygon_px(
        &[[2.25, 1.25], [4.75, 1.25], [4.75, 2.75], [2.25, 2.75]],
        8,
        5,
    );
    assert_eq!(
        mask_rows(&raster(&p, 8, 5, Coverage::Conservative)),
        vec![vec![], vec![(2, 5)], vec![(2, 5)], vec![], vec![]]
    );
    assert!(raster(&p, 8, 5, Coverage::Inner).is_empty());
}

#[test]
fn triangle() {
    // Right triangle with legs on pixel bounds; the hypotenuse runs through
    // pixel corners, so it crosses exactly the diagonal pixels.
    let p = polygon_px(&[[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]], 4, 4);
    assert_eq!(
        mask_rows(&raster(&p, 4, 4, Coverage::Conservative)),
        vec![vec![(0, 4)], vec![(0, 3)], vec![(0, 2)], vec![(0, 1)]]
    );
    assert_eq!(
        mask_rows(&raster(&p, 4, 4, Coverage::Inner)),
        vec![vec![(0, 3)], vec![(0, 2)], vec![(0, 1)], vec![]]
    );
}

#[test]
fn bow_tie_covers_both_lobes_and_not_the_gaps() {
    // Crossing at (4, 4): lobes left and right, empty above and below.
    let p = polygon_px(&[[0.0, 0.0], [8.0, 8.0], [8.0, 0.0], [0.0, 8.0]], 8, 8);
    let m = raster(&p, 8, 8, Coverage::Conservative);
    assert_eq!(m.row(0), &[Span::new(0, 1), Span::new(7, 8)]);
    assert_eq!(m.row(3), &[Span::new(0, 8)]);
    assert_eq!(m.row(4), &[Span::new(0, 8)]);
    assert_eq!(m.row(7), &[Span::new(0, 1), Span::new(7, 8)]);
    let inner = raster(&p, 8, 8, Coverage::Inner);
    assert!(inner.row(0).is_empty());
    assert_eq!(inner.row(3), &[Span::new(0, 3), Span::new(5, 8)]);
}

#[test]
fn polygon_partly_outside_the_frame_is_clipped() {
    let p = polygon_px(&[[-3.0, -2.0], [2.5, -2.0], [2.5, 1.5], [-3.0, 1.5]], 4, 3);
    assert_eq!(
        mask_rows(&raster(&p, 4, 3, Coverage::Conservative)),
        vec![vec![(0, 3)], vec![(0, 3)], vec![]]
    );
    assert_eq!(
        mask_rows(&raster(&p, 4, 3, Coverage::Inner)),
        vec![vec![(0, 2)], vec![], vec![]]
    );
    // Covering the frame and more: every pixel in both modes.
    let p = polygon_px(&[[-3.0, -3.0], [8.0, -3.0], [8.0, 6.0], [-3.0, 6.0]], 4, 3);
    assert!(raster(&p, 4, 3, Coverage::Conservative).is_full());
    assert!(raster(&p, 4, 3, Coverage::Inner).is_full());
}

#[test]
fn region_is_the_union_of_its_polygons_whatever_their_orientation() {
    let outer = polygon_px(&[[0.0, 0.0], [6.0, 0.0], [6.0, 6.0], [0.0, 6.0]], 6, 6);
    // Inside it, the other way round: a hole under even-odd or a summed
    // winding, but a region is a union.
    let inner = polygon_px(&[[2.0, 2.0], [2.0, 4.0], [4.0, 4.0], [4.0, 2.0]], 6, 6);
    let region = Region::new(vec![outer.clone(), inner]).unwrap();
    assert!(region
        .rasterize(6, 6, Coverage::Conservative)
        .unwrap()
        .is_full());
    // Two disjoint polygons and one overlapping both.
    let a = polygon_px(&[[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [0.0, 1.0]], 6, 6);
    let b = polygon_px(&[[4.0, 0.0], [6.0, 0.0], [6.0, 1.0], [4.0, 1.0]], 6, 6);
    let c = polygon_px(&[[1.5, 0.0], [1.5, 1.0], [4.5, 1.0], [4.5, 0.0]], 6, 6);
    let two = rasterize(
        &Region::new(vec![a.clone(), b.clone()]).unwrap(),
        6,
        6,
        Coverage::Conservative,
    )
    .unwrap();
    assert_eq!(two.row(0), &[Span::new(0, 2), Span::new(4, 6)]);
    let three = rasterize(
        &Region::new(vec![a, b, c]).unwrap(),
        6,
        6,
        Coverage::Conservative,
    )
    .unwrap();
    assert_eq!(three.row(0), &[Span::new(0, 6)]);
    assert_eq!(three.pixel_count(), 6);
}

#[test]
fn a_polygon_wound_twice_is_still_inside() {
    // The same square traced twice: winding 2, still nonzero.
    let p = polygon_px(
        &[
            [1.0, 1.0],
            [3.0, 1.0],
            [3.0, 3.0],
            [1.0, 3.0],
            [1.0, 1.5],
            [3.0, 1.5],
            [3.0, 3.0],
            [1.0, 3.0],
        ],
        4,
        4,
    );
    let m = raster(&p, 4, 4, Coverage::Conservative);
    assert_eq!(
        mask_rows(&m),
        vec![vec![], vec![(1, 3)], vec![(1, 3)], vec![]]
    );
}

#[test]
fn a_spike_out_and_back_covers_nothing_along_it() {
    // A square at rows 2..4 with a zero-width spike up to y = 0.5 along
    // x = 2.5: the spike encloses nothing, so rows 0 and 1 stay clear.
    let p = polygon_px(
        &[
            [1.0, 2.0],
            [2.5, 2.0],
            [2.5, 0.5],
            [2.5, 2.0],
            [4.0, 2.0],
            [4.0, 4.0],
            [1.0, 4.0],
        ],
        5,
        5,
    );
    let m = raster(&p, 5, 5, Coverage::Conservative);
    assert_eq!(
        mask_rows(&m),
        vec![vec![], vec![], vec![(1, 4)], vec![(1, 4)], vec![]]
    );
}

#[test]
fn touching_only_at_a_corner_or_along_a_side_covers_nothing_there() {
    // Two squares meeting at the corner (2, 2): the diagonal neighbours of
    // that corner are not covered by the other square.
    let a = polygon_px(&[[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]], 4, 4);
    let b = polygon_px(&[[2.0, 2.0], [4.0, 2.0], [4.0, 4.0], [2.0, 4.0]], 4, 4);
    let m = rasterize(
        &Region::new(vec![a, b]).unwrap(),
        4,
        4,
        Coverage::Conservative,
    )
    .unwrap();
    assert_eq!(
        mask_rows(&m),
        vec![vec![(0, 2)], vec![(0, 2)], vec![(2, 4)], vec![(2, 4)]]
    );
    // A triangle whose apex touches the bottom-right pixel's corner.
    let t = polygon_px(&[[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]], 4, 4);
    let m = raster(&t, 4, 4, Coverage::Conservative);
    assert!(!m.contains(3, 0) && !m.contains(0, 3) && !m.contains(3, 3));
    assert_eq!(m.pixel_count(), 6);
}

#[test]
fn subsampled_raster_is_conservative() {
    let p = polygon_px(&[[1.3, 0.2], [6.1, 2.9], [2.2, 6.7]], 7, 7);
    let luma = raster(&p, 7, 7, Coverage::Conservative);
    for (ss_x, ss_y) in [(1u8, 1u8), (1, 0), (0, 0), (2, 2)] {
        let chroma = luma.subsample(ss_x, ss_y);
        for cy in 0..chroma.height() {
            for cx in 0..chroma.width() {
                let any = (0..7u32).any(|y| {
                    (0..7u32).any(|x| x >> ss_x == cx && y >> ss_y == cy && luma.contains(x, y))
                });
                assert_eq!(
                    chroma.contains(cx, cy),
                    any,
                    "({cx},{cy}) at ss {ss_x},{ss_y}"
                );
            }
        }
    }
}

#[test]
fn thin_and_tiny_frames() {
    let p = polygon_px(&[[0.2, 0.1], [0.9, 0.5], [0.4, 0.8]], 1, 1);
    assert!(raster(&p, 1, 1, Coverage::Conservative).is_full());
    assert!(raster(&p, 1, 1, Coverage::Inner).is_empty());
    // The same normalized triangle in 1×N and N×1 frames never panics and
    // covers the centre row or column.
    let norm = Polygon::normalized([[0.1, 0.1], [0.9, 0.5], [0.2, 0.9]]).unwrap();
    for n in [1u32, 2, 3, 17, 1000] {
        let tall = raster(&norm, 1, n, Coverage::Conservative);
        let wide = raster(&norm, n, 1, Coverage::Conservative);
        assert!(
            tall.contains(0, n / 2) && wide.contains(n / 2, 0),
            "n = {n}"
        );
        let _ = raster(&norm, 1, n, Coverage::Inner);
        let _ = raster(&norm, n, 1, Coverage::Inner);
    }
}

#[test]
fn largest_frames_do_not_panic() {
    let max = sladd_core::frame::MAX_SIDE;
    let whole = Region::whole_frame();
    let m = whole.rasterize(max, max, Coverage::Conservative).unwrap();
    assert!(m.is_full());
    let star = star(200, 0.5, 0.5, 0.45, 0.1);
    for (w, h) in [(max, 1), (1, max), (max, max)] {
        for coverage in [Coverage::Conservative, Coverage::Inner] {
            let m = raster(&star, w, h, coverage);
            assert!(m.pixel_count() <= u64::from(w) * u64::from(h));
        }
    }
    assert!(matches!(
        whole.rasterize(max + 1, 10, Coverage::Conservative),
        Err(Error::BadFrameSize { .. })
    ));
    assert!(matches!(
        whole.rasterize(10, 0, Coverage::Inner),
        Err(Error::BadFrameSize { .. })
    ));
}

#[test]
fn polygons_with_many_vertices() {
    let s = star(5000, 0.5, 0.5, 0.48, 0.2);
    let m = raster(&s, 640, 480, Coverage::Conservative);
    let inner = raster(&s, 640, 480, Coverage::Inner);
    assert!(inner.subtract(&m).unwrap().is_empty());
    assert!(m.contains(320, 240) && inner.contains(320, 240));
    assert!(!m.contains(0, 0) && !m.contains(639, 479));
}

/// A star with `points` tips around `(cx, cy)` (normalized), radii `outer`
/// and `inner`.
fn star(points: usize, cx: f64, cy: f64, outer: f64, inner: f64) -> Polygon {
    Polygon::normalized((0..2 * points).map(|i| {
        let t = i as f64 * std::f64::consts::PI / points as f64;
        let r = if i % 2 == 0 { outer } else { inner };
        [cx + r * t.cos(), cy + r * t.sin()]
    }))
    .unwrap()
}

// ------------------------------------------------- span mask operations --

fn rows_strategy(width: u32, height: u32) -> impl Strategy<Value = Vec<Vec<(u32, u32)>>> {
    prop::collection::vec(
        prop::collection::vec((0..=width + 2, 0..=width + 2), 0..5),
        height as usize,
    )
}

fn from_pairs(width: u32, height: u32, rows: &[Vec<(u32, u32)>]) -> SpanMask {
    SpanMask::from_rows(
        width,
        height,
        rows.iter()
            .map(|r| r.iter().map(|&(a, b)| Span::new(a.min(b), a.max(b)))),
    )
    .unwrap()
}

fn dense_pairs(width: u32, rows: &[Vec<(u32, u32)>]) -> Vec<bool> {
    let mut out = Vec::new();
    for row in rows {
        out.extend((0..width).map(|x| row.iter().any(|&(a, b)| a.min(b) <= x && x < a.max(b))));
    }
    out
}

fn well_formed(m: &SpanMask) -> bool {
    m.rows().all(|row| {
        row.iter().all(|s| s.start < s.end && s.end <= m.width())
            && row.windows(2).all(|p| p[0].end < p[1].start)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Union and subtraction agree with dense boolean grids, and their
    /// results are sorted, merged, non-empty spans.
    #[test]
    fn span_union_and_subtract_match_dense_grids(
        (width, height, a, b) in (1u32..=12, 1u32..=6).prop_flat_map(|(w, h)| {
            (Just(w), Just(h), rows_strategy(w, h), rows_strategy(w, h))
        })
    ) {
        let (ma, mb) = (from_pairs(width, height, &a), from_pairs(width, height, &b));
        let (da, db) = (dense_pairs(width, &a), dense_pairs(width, &b));
        prop_assert_eq!(dense(&ma), da.clone());
        let union = ma.union(&mb).unwrap();
        let minus = ma.subtract(&mb).unwrap();
        prop_assert!(well_formed(&union) && well_formed(&minus));
        let want_union: Vec<bool> = da.iter().zip(&db).map(|(x, y)| *x || *y).collect();
        let want_minus: Vec<bool> = da.iter().zip(&db).map(|(x, y)| *x && !*y).collect();
        prop_assert_eq!(dense(&union), want_union);
        prop_assert_eq!(dense(&minus), want_minus);
    }

    /// A subsampled mask marks a sample iff any pixel it covers is marked.
    #[test]
    fn subsample_is_conservative(
        (width, height, a) in (1u32..=12, 1u32..=9).prop_flat_map(|(w, h)| {
            (Just(w), Just(h), rows_strategy(w, h))
        }),
        ss_x in 0u8..=2,
        ss_y in 0u8..=2,
    ) {
        let m = from_pairs(width, height, &a);
        let c = m.subsample(ss_x, ss_y);
        prop_assert_eq!((c.width(), c.height()), (width.div_ceil(1 << ss_x), height.div_ceil(1 << ss_y)));
        prop_assert!(well_formed(&c));
        for cy in 0..c.height() {
            for cx in 0..c.width() {
                let any = (0..height).any(|y| {
                    (0..width).any(|x| x >> ss_x == cx && y >> ss_y == cy && m.contains(x, y))
                });
                prop_assert_eq!(c.contains(cx, cy), any);
            }
        }
    }
}
