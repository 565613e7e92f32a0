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

use num_bigint::BigInt;
use num_rational::BigRational as Q;
use proptest::prelude::*;
use sladd_core::mask::SpanMaskBuilder;
use sladd_core::raster::rasterize_polygon;
use sladd_core::{rasterize, Coverage, Polygon, Region, Span, SpanMask};

/// Fixed-point units per pixel, as the rasterizer snaps.
const UNIT: i64 = 256;

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
        3usize..=7,
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
