//! The box pass specification.

use super::VParams;
use crate::frame::Sample;

/// One box pass down the columns: for each output row `y` in `p.out` and
/// column `c < p.width`,
///
/// `dst[y][c] = (Σ_{k=-r..=r} src[clamp(y + k, 0, rows - 1)][c] + r) / (2r + 1)`
///
/// where row `y` of `src` starts at `y * src_stride` and of `dst` at
/// `y * dst_stride`. The sum is kept running, so the cost does not depend on
/// `r`. `acc` (at least `width` long) is working memory. Horizontal passes
/// run this same function over transposed rows.
#[inline(always)]
pub(crate) fn vbox<T: Sample>(src: &[T], dst: &mut [T], acc: &mut [u32], p: VParams) {
    let VParams {
        src_stride,
        dst_stride,
        width,
        rows,
        out: (o0, o1),
        div,
    } = p;
    if o0 >= o1 || width == 0 || rows == 0 {
        return;
    }
    let r = div.r as usize;
    let last = rows - 1;
    let acc = &mut acc[..width];
    acc.fill(0);
    let row = |y: usize| &src[y * src_stride..y * src_stride + width];
    for k in 0..=2 * r {
        let y = (o0 + k).saturating_sub(r).min(last);
        for (a, &v) in acc.iter_mut().zip(row(y)) {
            *a += v.to_u32();
        }
    }
    for y in o0..o1 {
        let d = &mut dst[y * dst_stride..y * dst_stride + width];
        for (d, &a) in d.iter_mut().zip(acc.iter()) {
            *d = T::from_u32(div.div(a));
        }
        let add = row((y + r + 1).min(last));
        let sub = row(y.saturating_sub(r).min(last));
        for ((a, &plus), &minus) in acc.iter_mut().zip(add).zip(sub) {
            *a = *a + plus.to_u32() - minus.to_u32();
        }
    }
}

/// Transposes a 16 × 16 tile: `dst[c * ds + r] = src[r * ss + c]`.
pub(crate) fn transpose16<T: Sample>(src: &[T], ss: usize, dst: &mut [T], ds: usize) {
    for r in 0..16 {
        for c in 0..16 {
            dst[c * ds + r] = src[r * ss + c];
        }
    }
}

/// Sums of whole groups of `f` samples: `out[i] += Σ_{k < f} row[i·f + k]`
/// for every `i < min(out.len(), row.len() / f)` (the reduced blur's
/// horizontal averaging, one channel).
#[inline(always)]
pub(crate) fn group_sums<T: Sample>(row: &[T], f: usize, out: &mut [u32]) {
    let f = f.max(1);
    for (o, g) in out.iter_mut().zip(row.chunks_exact(f)) {
        *o += g.iter().map(|v| v.to_u32()).sum::<u32>();
    }
}
