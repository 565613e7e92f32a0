//! The blur of large radii, computed at reduced resolution.
//!
//! For a radius `r ≥ 6` along an axis, the plane is first box-averaged by a
//! factor `f` (the largest power of two `≤ r / 3`, at most 16) on a grid
//! anchored to the plane's origin, then blurred at that scale with three
//! box passes of radius `rs = round(r / f)` per axis (the same
//! [`super::scalar::vbox`] passes as the full-resolution blur), and
//! finally brought back to full resolution by bilinear interpolation
//! between the centres of the reduced samples. Every step is integer
//! arithmetic with round-half-up, so the result is defined to the bit:
//!
//! 1. `s[j][i] = (Σ p[clamp(j·fy + dy)][clamp(i·fx + dx)] + fx·fy/2) / (fx·fy)`
//!    over `dx < fx`, `dy < fy` (indices clamped to the plane).
//! 2. `b = blur₃(s)`: three vertical, then three horizontal box passes of
//!    radius `rs`, clamped to the reduced plane's edges.
//! 3. For a pixel `(x, y)`: `jx = floor((2x + 1 − fx) / 2fx)`,
//!    `mx = (2x + 1 − fx) − 2fx·jx` (and the same for `y`);
//!    `h(j) = b[j][jx]·(2fx − mx) + b[j][jx + 1]·mx` (reduced indices
//!    clamped), `p'(x, y) = (h(jy)·(2fy − my) + h(jy + 1)·my + 2fx·fy) / (4fx·fy)`.
//!
//! With `f = 1` on both axes this is exactly the full-resolution blur. The
//! work is about `1 / (fx·fy)` of it, plus one read of the region and one
//! write of the masked samples. A pixel's result depends on the plane
//! within about `3r + 2f` of it (the full-resolution blur: `3r`).
//!
//! Every step is a pure function of the whole plane, so computing only a
//! box around the mask (its reach included) gives the same bytes as the
//! whole plane, whatever the clusters or threads.

use super::passes::{self, Extent, HScratch, VScratch, GROUP_ROWS};
use super::{compiled, full, BlurPlane, Compiled};
use crate::effects::par::{for_each2, Par};
use crate::effects::{Divisor, Isa, Kernel};
use crate::frame::PlaneMut;
use crate::mask::{Rect, SpanMask};

/// The largest reduction factor.
const MAX_FACTOR: usize = 16;

/// The reduction factor for a box radius `r`: the largest power of two
/// not above `r / 3`, within `1..=16` (so the reduced radius is 3 to 5,
/// more for the largest radii).
pub(crate) fn factor(r: usize) -> usize {
    let q = (r / 3).clamp(1, MAX_FACTOR);
    1 << q.ilog2()
}

/// One axis of the reduced blur.
#[derive(Debug, Clone, Copy)]
struct Axis {
    /// Reduction factor, a power of two.
    f: usize,
    /// `log2(f)`.
    k: u32,
    /// Box radius at the reduced scale.
    rs: usize,
    /// Reduced length: `ceil(len / f)`.
    n: usize,
}

impl Axis {
    fn new(r: usize, len: usize) -> Self {
        let f = factor(r);
        Self {
            f,
            k: f.ilog2(),
            rs: ((r + f / 2) / f).max(1),
            n: len.div_ceil(f),
        }
    }

    /// The reduced sample left of (above) full-resolution position `x` and
    /// the weight, out of `2f`, of the one after it: `(j, m)` with `j`
    /// possibly −1 (clamped by the caller).
    fn locate(self, x: usize) -> (isize, usize) {
        let num = 2 * x as isize + 1 - self.f as isize;
        let j = num.div_euclid(2 * self.f as isize);
        (j, (num - j * 2 * self.f as isize) as usize)
    }

    /// `j` clamped to the reduced plane.
    fn clamp(self, j: isize) -> usize {
        j.clamp(0, self.n as isize - 1) as usize
    }

    /// Reduced samples `s0..s1` needed for full-resolution outputs
    /// `b0..b1` (non-empty), the blur's reach included.
    fn region(self, b0: usize, b1: usize) -> (usize, usize) {
        let lo = self.clamp(self.locate(b0).0);
        let hi = self.clamp(self.locate(b1 - 1).0 + 1);
        (
            lo.saturating_sub(3 * self.rs),
            (hi + 1 + 3 * self.rs).min(self.n),
        )
    }
}

/// How far, in full-resolution pixels, the blur of radius `r` reads beyond
/// the box it computes: `3r` at full resolution; at reduced resolution
/// the reduced reach `3·rs` plus the interpolation's and the block grid's
/// reach, in blocks of `f`.
pub(crate) fn reach(r: usize) -> usize {
    let axis = Axis::new(r, usize::MAX);
    if axis.f == 1 {
        3 * r
    } else {
        axis.f * (3 * axis.rs + 3)
    }
}

/// Whether a blur of radii `rx × ry` takes the reduced path.
pub(crate) fn applies(rx: usize, ry: usize) -> bool {
    factor(rx) > 1 || factor(ry) > 1
}

/// Working memory kept between frames.
#[derive(Debug, Default)]
pub(crate) struct Scratch<T> {
    /// The reduced region, rows of `sw * ch` samples.
    small: Vec<T>,
    /// The vertical passes' strips.
    strips: VScratch<T>,
    /// Per output column: left reduced index, right index, weight.
    cols: Vec<(u32, u32, u32)>,
    /// One per band of rows.
    bands: Vec<Band<T>>,
}

/// Working memory of one band of rows.
#[derive(Debug, Default, Clone)]
struct Band<T> {
    /// The downsampling's column sums.
    sums: Vec<u32>,
    /// The horizontal passes.
    h: HScratch<T>,
    /// Two horizontally interpolated reduced rows.
    lines: [Vec<u32>; 2],
}

/// The reduced blur of one job: where it reads, at which scale.
#[derive(Debug, Clone, Copy)]
struct Plan {
    ax: Axis,
    ay: Axis,
    /// Reduced columns and rows computed.
    sx: (usize, usize),
    sy: (usize, usize),
    /// The job's box (full-resolution output pixels).
    bx: (usize, usize),
    by: (usize, usize),
    width: usize,
    height: usize,
    stride: usize,
    ch: usize,
    write: usize,
}

impl Plan {
    fn new(
        width: usize,
        height: usize,
        ch: usize,
        stride: usize,
        job: &BlurPlane<'_>,
    ) -> Option<Self> {
        let Rect { x0, y0, x1, y1 } = job.bbox;
        let (bx, by) = ((x0 as usize, x1 as usize), (y0 as usize, y1 as usize));
        if bx.1 <= bx.0 || by.1 <= by.0 || bx.1 > width || by.1 > height {
            return None;
        }
        let ax = Axis::new(job.rx.max(1), width);
        let ay = Axis::new(job.ry.max(1), height);
        Some(Self {
            ax,
            ay,
            sx: ax.region(bx.0, bx.1),
            sy: ay.region(by.0, by.1),
            bx,
            by,
            width,
            height,
            stride,
            ch,
            write: job.write.clamp(1, ch),
        })
    }

    /// Reduced pixels per row.
    fn sw(&self) -> usize {
        self.sx.1 - self.sx.0
    }

    /// Reduced rows.
    fn sh(&self) -> usize {
        self.sy.1 - self.sy.0
    }

    /// Samples per reduced row.
    fn row_len(&self) -> usize {
        self.sw() * self.ch
    }
}

/// Blurs the masked samples of `job`'s box in `plane` at reduced
/// resolution (see the module docs): average down, blur, interpolate
/// back up. Each step runs by bands of rows (or strips of columns) in
/// parallel when `par` allows; the bytes never depend on the split.
pub(crate) fn blur_plane<T: Kernel>(
    isa: Isa,
    par: Par,
    plane: &mut PlaneMut<'_, T>,
    job: BlurPlane<'_>,
    scratch: &mut Scratch<T>,
) {
    let g = plane.geometry();
    let Some(plan) = Plan::new(g.width(), g.height(), g.channels(), g.stride(), &job) else {
        return;
    };
    let par = par.for_work(plan.sw() * plan.ax.f * plan.sh() * plan.ay.f * plan.ch);
    let Scratch {
        small,
        strips,
        cols,
        bands,
    } = scratch;
    small.resize(plan.sh() * plan.row_len(), T::default());
    downsample(isa, par, plane.as_slice(), &plan, small, bands);
    blur_small(isa, par, &plan, small, strips, bands);
    upsample(isa, par, plane, job.mask, &plan, small, cols, bands);
}

/// The first `count` of `bands`, made if missing.
fn bands_for<T: Kernel>(bands: &mut Vec<Band<T>>, count: usize) -> &mut [Band<T>] {
    if bands.len() < count {
        bands.resize_with(count, Band::default);
    }
    &mut bands[..count]
}

/// Step 1: `small` becomes the box average of the plane by `fx × fy`.
fn downsample<T: Kernel>(
    isa: Isa,
    par: Par,
    frame: &[T],
    plan: &Plan,
    small: &mut [T],
    bands: &mut Vec<Band<T>>,
) {
    let (row_len, sh) = (plan.row_len(), plan.sh());
    let band_rows = par.band_rows(sh, 1);
    let count = sh.div_ceil(band_rows);
    for_each2(
        par,
        small,
        band_rows * row_len,
        bands_for(bands, count),
        1,
        count,
        |i, out, b| {
            let j0 = plan.sy.0 + i * band_rows;
            let rows = DownsampleRows {
                isa,
                frame,
                plan,
                j0,
                out,
                acc: &mut b[0].sums,
            };
            compiled(isa, rows);
        },
    );
}

/// Reduced rows `j0..` of `plan` into `out` (whole rows of `row_len`).
struct DownsampleRows<'a, T> {
    isa: Isa,
    frame: &'a [T],
    plan: &'a Plan,
    j0: usize,
    out: &'a mut [T],
    acc: &'a mut Vec<u32>,
}

impl<T: Kernel> Compiled for DownsampleRows<'_, T> {
    #[inline(always)]
    fn run(self) {
        let Self {
            isa,
            frame,
            plan,
            j0,
            out,
            acc,
        } = self;
        downsample_rows(isa, frame, plan, j0, out, acc);
    }
}

/// See [`DownsampleRows`].
#[inline(always)]
fn downsample_rows<T: Kernel>(
    isa: Isa,
    frame: &[T],
    plan: &Plan,
    j0: usize,
    out: &mut [T],
    acc: &mut Vec<u32>,
) {
    let Plan {
        ax,
        ay,
        ch,
        width,
        height,
        stride,
        ..
    } = *plan;
    let (sx0, sx1) = plan.sx;
    let xa = sx0 * ax.f;
    let xb = (sx1 * ax.f).min(width);
    let span = (xb - xa) * ch;
    acc.resize(span, 0);
    let shift = ax.k + ay.k;
    let half = (1u32 << shift) >> 1;
    if ch == 1 && T::GROUP_SUMS {
        // Sums of groups along each row, added down the rows.
        let (sw, avail) = (plan.sw(), width - xa);
        let whole = (avail / ax.f).min(sw);
        acc.resize(sw, 0);
        for (jr, out) in out.chunks_exact_mut(sw.max(1)).enumerate() {
            let j = j0 + jr;
            let sums = &mut acc[..whole];
            sums.fill(0);
            let rows = (0..ay.f).map(|dy| {
                let y = (j * ay.f + dy).min(height - 1);
                &frame[y * stride + xa..y * stride + xb]
            });
            for row in rows.clone() {
                T::group_sums(isa, row, ax.f, sums);
            }
            for (o, &sum) in out.iter_mut().zip(sums.iter()) {
                *o = T::from_u32((sum + half) >> shift);
            }
            // The last group may run past the right edge: clamp to the
            // edge pixel.
            for (i, o) in out.iter_mut().enumerate().skip(whole) {
                let mut sum = 0;
                for row in rows.clone() {
                    for dx in 0..ax.f {
                        sum += row[(i * ax.f + dx).min(avail - 1)].to_u32();
                    }
                }
                *o = T::from_u32((sum + half) >> shift);
            }
        }
        return;
    }
    for (jr, out) in out.chunks_exact_mut(plan.row_len().max(1)).enumerate() {
        acc.fill(0);
        let j = j0 + jr;
        for dy in 0..ay.f {
            let y = (j * ay.f + dy).min(height - 1);
            let row = &frame[y * stride + xa * ch..y * stride + xb * ch];
            for (a, &v) in acc.iter_mut().zip(row) {
                *a += v.to_u32();
            }
        }
        reduce_row(acc, out, ax.f, ch, width - xa, plan.sw(), shift, half);
    }
}

/// Step 2: `small` becomes `blur₃(small)`: three vertical passes over
/// column strips, then three horizontal ones over transposed groups of
/// rows, written back into `small`.
fn blur_small<T: Kernel>(
    isa: Isa,
    par: Par,
    plan: &Plan,
    small: &mut [T],
    strips: &mut VScratch<T>,
    bands: &mut Vec<Band<T>>,
) {
    let (sw, sh, row_len, ch, write) = (plan.sw(), plan.sh(), plan.row_len(), plan.ch, plan.write);
    let extent = Extent {
        pixels: sw,
        rows: sh,
        channels: ch,
    };
    let divy = Divisor::new(plan.ay.rs as u32);
    let divx = Divisor::new(plan.ax.rs as u32);
    let strips = passes::vertical(
        isa,
        par,
        (small, row_len),
        extent,
        [(0, sh); 3],
        divy,
        strips,
    );
    let band_rows = par.band_rows(sh, GROUP_ROWS);
    let count = sh.div_ceil(band_rows);
    for_each2(
        par,
        small,
        band_rows * row_len,
        bands_for(bands, count),
        1,
        count,
        |i, out, b| {
            let y0 = i * band_rows;
            let y1 = (y0 + band_rows).min(sh);
            for gy in (y0..y1).step_by(GROUP_ROWS) {
                let n = GROUP_ROWS.min(y1 - gy);
                let mut group = passes::horizontal(
                    isa,
                    &strips,
                    (gy, n),
                    write,
                    [(0, sw); 3],
                    divx,
                    &mut b[0].h,
                );
                let out = &mut out[(gy - y0) * row_len..(gy - y0 + n) * row_len];
                if ch == 1 && group.tiles(write) {
                    out.copy_from_slice(&group.rows(isa, (0, sw))[..n * sw]);
                    continue;
                }
                for (k, row) in out.chunks_exact_mut(row_len).enumerate() {
                    for (x, px) in row.chunks_exact_mut(ch).enumerate() {
                        for (c, v) in px.iter_mut().take(write).enumerate() {
                            *v = group.get(k, x, c);
                        }
                    }
                }
            }
        },
    );
}

/// Step 3: the masked samples of the job's box, interpolated from
/// `small`.
#[allow(clippy::too_many_arguments)]
fn upsample<T: Kernel>(
    isa: Isa,
    par: Par,
    plane: &mut PlaneMut<'_, T>,
    mask: &SpanMask,
    plan: &Plan,
    small: &[T],
    cols: &mut Vec<(u32, u32, u32)>,
    bands: &mut Vec<Band<T>>,
) {
    let (ax, sx0) = (plan.ax, plan.sx.0);
    cols.clear();
    cols.extend((plan.bx.0..plan.bx.1).map(|x| {
        let (j, m) = ax.locate(x);
        (
            (ax.clamp(j) - sx0) as u32,
            (ax.clamp(j + 1) - sx0) as u32,
            m as u32,
        )
    }));
    let cols: &[(u32, u32, u32)] = cols;
    let (by0, by1) = plan.by;
    let stride = plan.stride;
    let band_rows = par.band_rows(by1 - by0, 1);
    let count = (by1 - by0).div_ceil(band_rows);
    let data = &mut plane.as_mut_slice()[by0 * stride..];
    for_each2(
        par,
        data,
        band_rows * stride,
        bands_for(bands, count),
        1,
        count,
        |i, rows, b| {
            let y0 = by0 + i * band_rows;
            let y1 = (y0 + band_rows).min(by1);
            let work = UpsampleRows {
                rows,
                y: (y0, y1),
                mask,
                plan,
                small,
                cols,
                h: &mut b[0].lines,
            };
            compiled(isa, work);
        },
    );
}

/// Plane rows `y.0..y.1` (`rows[0..]` is row `y.0`) of [`upsample`].
struct UpsampleRows<'a, T> {
    rows: &'a mut [T],
    y: (usize, usize),
    mask: &'a SpanMask,
    plan: &'a Plan,
    small: &'a [T],
    cols: &'a [(u32, u32, u32)],
    h: &'a mut [Vec<u32>; 2],
}

impl<T: Kernel> Compiled for UpsampleRows<'_, T> {
    #[inline(always)]
    fn run(self) {
        let Self {
            rows,
            y,
            mask,
            plan,
            small,
            cols,
            h,
        } = self;
        upsample_rows(rows, y, mask, plan, small, cols, h);
    }
}

/// See [`UpsampleRows`].
#[inline(always)]
fn upsample_rows<T: Kernel>(
    rows: &mut [T],
    (y0, y1): (usize, usize),
    mask: &SpanMask,
    plan: &Plan,
    small: &[T],
    cols: &[(u32, u32, u32)],
    h: &mut [Vec<u32>; 2],
) {
    let Plan {
        ax,
        ay,
        ch,
        write,
        stride,
        ..
    } = *plan;
    let (bx0, bx1) = plan.bx;
    let row_len = plan.row_len();
    let out_w = (bx1 - bx0) * write;
    for hr in h.iter_mut() {
        hr.resize(out_w, 0);
    }
    let mut held = [usize::MAX; 2];
    let two_fx = 2 * ax.f as u32;
    let two_fy = 2 * ay.f as u32;
    let shift = ax.k + ay.k + 2;
    let round = 1u32 << (shift - 1);
    for y in y0..y1 {
        let spans = mask.row(y as u32);
        if !full::touches(mask, y, plan.bx) {
            continue;
        }
        let (j, m) = ay.locate(y);
        let want = [ay.clamp(j) - plan.sy.0, ay.clamp(j + 1) - plan.sy.0];
        // Moving down a reduced row, the old lower row becomes the upper.
        if held[0] != want[0] && held[1] == want[0] {
            h.swap(0, 1);
            held.swap(0, 1);
        }
        for slot in 0..2 {
            if held[slot] != want[slot] {
                let jr = want[slot];
                let src = &small[jr * row_len..(jr + 1) * row_len];
                expand_row(src, &mut h[slot], cols, ch, write, two_fx);
                held[slot] = jr;
            }
        }
        let (wa, wb) = (two_fy - m as u32, m as u32);
        let row = &mut rows[(y - y0) * stride..];
        for s in spans {
            let s0 = (s.start as usize).max(bx0);
            let s1 = (s.end as usize).min(bx1);
            if s0 >= s1 {
                continue;
            }
            let (ha, hb) = (
                &h[0][(s0 - bx0) * write..(s1 - bx0) * write],
                &h[1][(s0 - bx0) * write..(s1 - bx0) * write],
            );
            let out = &mut row[s0 * ch..s1 * ch];
            if write == ch {
                lerp(out, ha, hb, wa, wb, round, shift);
            } else {
                for ((px, a), b) in out
                    .chunks_exact_mut(ch)
                    .zip(ha.chunks_exact(write))
                    .zip(hb.chunks_exact(write))
                {
                    lerp(&mut px[..write], a, b, wa, wb, round, shift);
                }
            }
        }
    }
}

/// Sums groups of `f` pixels of the row sums `acc` (`ch` channels
/// interleaved, starting at reduced column `sx0`; `avail` pixels exist
/// before the plane's right edge) into `sw` reduced pixels of `out`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn reduce_row<T: Kernel>(
    acc: &[u32],
    out: &mut [T],
    f: usize,
    ch: usize,
    avail: usize,
    sw: usize,
    shift: u32,
    half: u32,
) {
    // Whole groups inside the plane.
    let whole = (avail / f).min(sw);
    if ch == 1 {
        match f {
            2 => group::<T, 2>(acc, out, whole, shift, half),
            4 => group::<T, 4>(acc, out, whole, shift, half),
            8 => group::<T, 8>(acc, out, whole, shift, half),
            16 => group::<T, 16>(acc, out, whole, shift, half),
            _ => generic_group(acc, out, f, 1, whole, shift, half),
        }
    } else {
        match ch {
            2 => channels::<T, 2>(acc, out, f, whole, shift, half),
            3 => channels::<T, 3>(acc, out, f, whole, shift, half),
            4 => channels::<T, 4>(acc, out, f, whole, shift, half),
            _ => generic_group(acc, out, f, ch, whole, shift, half),
        }
    }
    // The last group may run past the right edge: clamp to the edge pixel.
    for i in whole..sw {
        for c in 0..ch {
            let mut sum = 0;
            for dx in 0..f {
                let x = (i * f + dx).min(avail - 1);
                sum += acc[x * ch + c];
            }
            out[i * ch + c] = T::from_u32((sum + half) >> shift);
        }
    }
}

/// One channel, groups of `F`.
#[inline(always)]
fn group<T: Kernel, const F: usize>(acc: &[u32], out: &mut [T], n: usize, shift: u32, half: u32) {
    for (o, g) in out[..n].iter_mut().zip(acc.chunks_exact(F)) {
        let sum: u32 = g.iter().sum();
        *o = T::from_u32((sum + half) >> shift);
    }
}

/// `CH` channels interleaved, groups of `f` pixels.
#[inline(always)]
fn channels<T: Kernel, const CH: usize>(
    acc: &[u32],
    out: &mut [T],
    f: usize,
    n: usize,
    shift: u32,
    half: u32,
) {
    for (px, g) in out[..n * CH]
        .chunks_exact_mut(CH)
        .zip(acc.chunks_exact(f * CH))
    {
        let mut sum = [0u32; CH];
        for p in g.chunks_exact(CH) {
            for c in 0..CH {
                sum[c] += p[c];
            }
        }
        for c in 0..CH {
            px[c] = T::from_u32((sum[c] + half) >> shift);
        }
    }
}

/// Any factor and channel count.
#[inline(always)]
fn generic_group<T: Kernel>(
    acc: &[u32],
    out: &mut [T],
    f: usize,
    ch: usize,
    n: usize,
    shift: u32,
    half: u32,
) {
    for (i, px) in out[..n * ch].chunks_exact_mut(ch).enumerate() {
        let g = &acc[i * f * ch..(i + 1) * f * ch];
        for (c, o) in px.iter_mut().enumerate() {
            let sum: u32 = g.iter().skip(c).step_by(ch).sum();
            *o = T::from_u32((sum + half) >> shift);
        }
    }
}

/// Interpolates one reduced row `src` (`ch` channels) horizontally to the
/// output columns `cols`, the first `write` channels, scaled by `2f`
/// (`two_fx`).
///
/// Between two reduced centres the weights run `m = 1, 3 … 2f − 1` over
/// `f` columns, so each whole run is a ramp `2f·a + (b − a)·m` from two
/// samples, without a per-column lookup; columns outside whole runs (the
/// box's ends, or `f = 1`) use `cols` one by one.
#[inline(always)]
fn expand_row<T: Kernel>(
    src: &[T],
    dst: &mut [u32],
    cols: &[(u32, u32, u32)],
    ch: usize,
    write: usize,
    two_fx: u32,
) {
    let f = (two_fx / 2) as usize;
    let n = cols.len();
    let mut t = 0;
    while t < n {
        let (i0, i1, m) = cols[t];
        let (p, q) = (i0 as usize * ch, i1 as usize * ch);
        if f > 1 && m == 1 && t + f <= n {
            let out = &mut dst[t * write..(t + f) * write];
            if write == 1 {
                let a = src[p].to_u32() as i32;
                let d = src[q].to_u32() as i32 - a;
                let base = two_fx as i32 * a;
                match f {
                    2 => ramp::<2>(out, base, d),
                    4 => ramp::<4>(out, base, d),
                    8 => ramp::<8>(out, base, d),
                    _ => ramp::<16>(out, base, d),
                }
            } else {
                for c in 0..write {
                    let a = src[p + c].to_u32() as i32;
                    let d = src[q + c].to_u32() as i32 - a;
                    let base = two_fx as i32 * a;
                    for (k, o) in out.iter_mut().skip(c).step_by(write).enumerate() {
                        *o = (base + d * (2 * k as i32 + 1)) as u32;
                    }
                }
            }
            t += f;
            continue;
        }
        for c in 0..write {
            dst[t * write + c] = src[p + c].to_u32() * (two_fx - m) + src[q + c].to_u32() * m;
        }
        t += 1;
    }
}

/// `out[k] = base + d·(2k + 1)` for `k < F`: one run of [`expand_row`].
#[inline(always)]
fn ramp<const F: usize>(out: &mut [u32], base: i32, d: i32) {
    for (k, o) in out[..F].iter_mut().enumerate() {
        *o = (base + d * (2 * k as i32 + 1)) as u32;
    }
}

/// `out[i] = (a[i]·wa + b[i]·wb + round) >> shift`.
#[inline(always)]
fn lerp<T: Kernel>(out: &mut [T], a: &[u32], b: &[u32], wa: u32, wb: u32, round: u32, shift: u32) {
    for ((o, &a), &b) in out.iter_mut().zip(a).zip(b) {
        *o = T::from_u32((a * wa + b * wb + round) >> shift);
    }
}
