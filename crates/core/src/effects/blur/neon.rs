//! Box passes with NEON: for radii below 64 sixteen columns per step in
//! 16-bit lanes with the 16-bit reciprocal, otherwise eight columns per step
//! in 32-bit lanes, the division by `2r + 1` through widening 32 × 32 →
//! 64-bit multiplies; the 16 × 16 byte transpose in four rounds of `trn`.

use std::arch::aarch64::*;

use super::VParams;

/// `((n + r) * m) >> s` in each 32-bit lane, with `s = 32 + l` given as
/// `-l` in `neg_l`: the high halves of the 64-bit products, shifted by `l`.
///
/// # Safety
/// The CPU must support NEON.
#[target_feature(enable = "neon")]
#[inline]
unsafe fn divide(
    sum: uint32x4_t,
    round: uint32x4_t,
    m: uint32x4_t,
    neg_l: int32x4_t,
) -> uint32x4_t {
    let n = vaddq_u32(sum, round);
    let lo = vmull_u32(vget_low_u32(n), vget_low_u32(m));
    let hi = vmull_high_u32(n, m);
    let high = vuzp2q_u32(vreinterpretq_u32_u64(lo), vreinterpretq_u32_u64(hi));
    vshlq_u32(high, neg_l)
}

/// As [`super::scalar::vbox`] for 8-bit samples.
///
/// # Safety
/// The CPU must support NEON.
#[target_feature(enable = "neon")]
pub(super) unsafe fn vbox(src: &[u8], dst: &mut [u8], acc: &mut [u32], p: VParams) {
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
    let fits = (rows - 1) * src_stride + width <= src.len()
        && (o1 - 1) * dst_stride + width <= dst.len()
        && width <= acc.len();
    let w16 = if fits && div.small {
        // SAFETY: the CPU supports NEON (this function's contract) and
        // `fits` holds, as `vbox16` requires.
        unsafe { vbox16(src, dst, acc, p) }
    } else {
        0
    };
    let w8 = if fits { width / 8 * 8 } else { 0 };
    let r = div.r as usize;
    let last = rows - 1;
    let (s, d, a) = (src.as_ptr(), dst.as_mut_ptr(), acc.as_mut_ptr());
    // SAFETY: `fits` (else `w8 == 0` and no iteration runs) shows every row
    // `y <= last` of `src` holds `width >= w8` samples from `y * src_stride`,
    // every output row `y < o1` of `dst` from `y * dst_stride`, and `acc`
    // `width` counters; each access covers columns `i..i + 8` with
    // `w16 <= i` and `i + 8 <= w8`, so past the `w16 / 2` counters whose
    // memory `vbox16` used. NEON loads and stores need only element
    // alignment, which the slices' pointers have.
    unsafe {
        let zero = vdupq_n_u32(0);
        for i in (w16..w8).step_by(4) {
            vst1q_u32(a.add(i), zero);
        }
        for k in 0..=2 * r {
            let y = (o0 + k).saturating_sub(r).min(last);
            let row = s.add(y * src_stride);
            for i in (w16..w8).step_by(8) {
                let words = vmovl_u8(vld1_u8(row.add(i)));
                let (p0, p1) = (a.add(i), a.add(i + 4));
                vst1q_u32(p0, vaddw_u16(vld1q_u32(p0), vget_low_u16(words)));
                vst1q_u32(p1, vaddw_high_u16(vld1q_u32(p1), words));
            }
        }
        let m = vdupq_n_u32(div.m);
        let round = vdupq_n_u32(div.r);
        // `div.s` is 32 + floor(log2(2r + 1)) <= 43, so `32 - s` fits.
        let neg_l = vdupq_n_s32(32 - div.s as i32);
        for y in o0..o1 {
            let add = s.add((y + r + 1).min(last) * src_stride);
            let sub = s.add(y.saturating_sub(r).min(last) * src_stride);
            let out = d.add(y * dst_stride);
            for i in (w16..w8).step_by(8) {
                let (p0, p1) = (a.add(i), a.add(i + 4));
                let (s0, s1) = (vld1q_u32(p0), vld1q_u32(p1));
                let q0 = divide(s0, round, m, neg_l);
                let q1 = divide(s1, round, m, neg_l);
                let words = vcombine_u16(vqmovn_u32(q0), vqmovn_u32(q1));
                vst1_u8(out.add(i), vqmovn_u16(words));
                let plus = vmovl_u8(vld1_u8(add.add(i)));
                let minus = vmovl_u8(vld1_u8(sub.add(i)));
                // Wrapping u32 arithmetic: the true sums are never negative.
                let a0 = vsubw_u16(vaddw_u16(s0, vget_low_u16(plus)), vget_low_u16(minus));
                let a1 = vsubw_high_u16(vaddw_high_u16(s1, plus), minus);
                vst1q_u32(p0, a0);
                vst1q_u32(p1, a1);
            }
        }
    }
    if w8 < width {
        let rest = VParams {
            width: width - w8,
            ..p
        };
        super::scalar::vbox(&src[w8..], &mut dst[w8..], &mut acc[w8..], rest);
    }
}

/// The columns `0..width / 16 * 16` of [`vbox`] with 16-bit running sums
/// and the 16-bit reciprocal (`div.small`); returns how many columns it
/// did. The first `width / 2` counters of `acc` hold the 16-bit sums.
///
/// # Safety
/// The CPU must support NEON; `src`, `dst` and `acc` must be as long as
/// `vbox` checks (`fits`).
#[target_feature(enable = "neon")]
unsafe fn vbox16(src: &[u8], dst: &mut [u8], acc: &mut [u32], p: VParams) -> usize {
    let VParams {
        src_stride,
        dst_stride,
        width,
        rows,
        out: (o0, o1),
        div,
    } = p;
    let w16 = width / 16 * 16;
    let r = div.r as usize;
    let last = rows - 1;
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    let a = acc.as_mut_ptr().cast::<u16>();
    // SAFETY: the caller's `fits` shows rows `y <= last` of `src` hold
    // `width >= w16` samples from `y * src_stride`, output rows `y < o1` of
    // `dst` from `y * dst_stride`, and `acc` `width` u32s, i.e. room for
    // `2 * width >= w16` u16s (any bit pattern is a valid u16, and u32
    // alignment exceeds u16's); each access covers columns `i..i + 16` with
    // `i + 16 <= w16`. Sums stay below 2^16 (`div.small`:
    // 255·(2r+1) + r < 2^16), so the 16-bit lanes never wrap.
    unsafe {
        let zero = vdupq_n_u16(0);
        for i in (0..w16).step_by(8) {
            vst1q_u16(a.add(i), zero);
        }
        for k in 0..=2 * r {
            let y = (o0 + k).saturating_sub(r).min(last);
            let row = s.add(y * src_stride);
            for i in (0..w16).step_by(16) {
                let bytes = vld1q_u8(row.add(i));
                let (p0, p1) = (a.add(i), a.add(i + 8));
                vst1q_u16(p0, vaddw_u8(vld1q_u16(p0), vget_low_u8(bytes)));
                vst1q_u16(p1, vaddw_high_u8(vld1q_u16(p1), bytes));
            }
        }
        let m = vdupq_n_u16(div.m16);
        let round = vdupq_n_u16(div.r as u16);
        // `div.k16` is floor(log2(2r + 1)) <= 6 here.
        let neg_k = vdupq_n_s16(-(div.k16 as i16));
        // `((n + r) * m16) >> (16 + k16)` in each 16-bit lane.
        let divide = |sum: uint16x8_t| {
            let n = vaddq_u16(sum, round);
            let lo = vmull_u16(vget_low_u16(n), vget_low_u16(m));
            let hi = vmull_high_u16(n, m);
            let high = vuzp2q_u16(vreinterpretq_u16_u32(lo), vreinterpretq_u16_u32(hi));
            vqmovn_u16(vshlq_u16(high, neg_k))
        };
        for y in o0..o1 {
            let add = s.add((y + r + 1).min(last) * src_stride);
            let sub = s.add(y.saturating_sub(r).min(last) * src_stride);
            let out = d.add(y * dst_stride);
            for i in (0..w16).step_by(16) {
                let (p0, p1) = (a.add(i), a.add(i + 8));
                let (s0, s1) = (vld1q_u16(p0), vld1q_u16(p1));
                vst1q_u8(out.add(i), vcombine_u8(divide(s0), divide(s1)));
                let plus = vld1q_u8(add.add(i));
                let minus = vld1q_u8(sub.add(i));
                let a0 = vsubw_u8(vaddw_u8(s0, vget_low_u8(plus)), vget_low_u8(minus));
                let a1 = vsubw_high_u8(vaddw_high_u8(s1, plus), minus);
                vst1q_u16(p0, a0);
                vst1q_u16(p1, a1);
            }
        }
    }
    w16
}

/// As [`super::scalar::transpose16`] for bytes: `trn` rounds on bytes,
/// halfwords, words and doublewords, each transposing 2 × 2 blocks of the
/// previous size, so that register `c` ends up holding column `c`.
///
/// # Safety
/// The CPU must support NEON.
#[target_feature(enable = "neon")]
pub(super) unsafe fn transpose16(src: &[u8], ss: usize, dst: &mut [u8], ds: usize) {
    if 15 * ss + 16 > src.len() || 15 * ds + 16 > dst.len() {
        super::scalar::transpose16(src, ss, dst, ds);
        return;
    }
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    // SAFETY: the check above keeps the 16 loads of 16 bytes at `r * ss`
    // inside `src` and the 16 stores at `c * ds` inside `dst`; byte loads
    // and stores need no alignment. The rest is register arithmetic.
    unsafe {
        let mut a: [uint8x16_t; 16] = std::array::from_fn(|r| vld1q_u8(s.add(r * ss)));
        for i in (0..16).step_by(2) {
            let (x, y) = (a[i], a[i + 1]);
            a[i] = vtrn1q_u8(x, y);
            a[i + 1] = vtrn2q_u8(x, y);
        }
        for i in (0..16).filter(|i| i & 2 == 0) {
            let (x, y) = (vreinterpretq_u16_u8(a[i]), vreinterpretq_u16_u8(a[i + 2]));
            a[i] = vreinterpretq_u8_u16(vtrn1q_u16(x, y));
            a[i + 2] = vreinterpretq_u8_u16(vtrn2q_u16(x, y));
        }
        for i in (0..16).filter(|i| i & 4 == 0) {
            let (x, y) = (vreinterpretq_u32_u8(a[i]), vreinterpretq_u32_u8(a[i + 4]));
            a[i] = vreinterpretq_u8_u32(vtrn1q_u32(x, y));
            a[i + 4] = vreinterpretq_u8_u32(vtrn2q_u32(x, y));
        }
        for i in 0..8 {
            let (x, y) = (vreinterpretq_u64_u8(a[i]), vreinterpretq_u64_u8(a[i + 8]));
            a[i] = vreinterpretq_u8_u64(vtrn1q_u64(x, y));
            a[i + 8] = vreinterpretq_u8_u64(vtrn2q_u64(x, y));
        }
        for (c, column) in a.iter().enumerate() {
            vst1q_u8(d.add(c * ds), *column);
        }
    }
}
