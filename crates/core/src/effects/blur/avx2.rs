//! Box passes with AVX2: eight columns per step in 32-bit lanes, the
//! division by `2r + 1` through `_mm256_mul_epu32` and a 64-bit shift.

use std::arch::x86_64::*;

use super::VParams;

/// As [`super::scalar::vbox`] for 8-bit samples.
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
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
        // SAFETY: the CPU supports AVX2 (this function's contract) and
        // `fits` holds, as `vbox16` requires.
        unsafe { vbox16(src, dst, acc, p) }
    } else {
        0
    };
    let w8 = if fits && !div.small {
        width / 8 * 8
    } else {
        w16
    };
    let r = div.r as usize;
    let last = rows - 1;
    let (s, d, a) = (src.as_ptr(), dst.as_mut_ptr(), acc.as_mut_ptr());
    // SAFETY: `fits` (else `w8 == 0` and no iteration runs) shows every row
    // `y <= last` of `src` holds `width >= w8` samples from `y * src_stride`,
    // every output row `y < o1` of `dst` from `y * dst_stride`, and `acc`
    // `width` counters; each access covers columns `i..i + 8` with
    // `i + 8 <= w8`. Loads and stores are unaligned.
    unsafe {
        let zero = _mm256_setzero_si256();
        for i in (w16..w8).step_by(8) {
            _mm256_storeu_si256(a.add(i).cast(), zero);
        }
        for k in 0..=2 * r {
            let y = (o0 + k).saturating_sub(r).min(last);
            let row = s.add(y * src_stride);
            for i in (w16..w8).step_by(8) {
                let pa = a.add(i).cast::<__m256i>();
                let v = _mm256_cvtepu8_epi32(_mm_loadl_epi64(row.add(i).cast()));
                _mm256_storeu_si256(pa, _mm256_add_epi32(_mm256_loadu_si256(pa), v));
            }
        }
        let m = _mm256_set1_epi32(div.m as i32);
        let round = _mm256_set1_epi32(div.r as i32);
        let shift = _mm_cvtsi32_si128(div.s as i32);
        for y in o0..o1 {
            let add = s.add((y + r + 1).min(last) * src_stride);
            let sub = s.add(y.saturating_sub(r).min(last) * src_stride);
            let out = d.add(y * dst_stride);
            for i in (w16..w8).step_by(8) {
                let pa = a.add(i).cast::<__m256i>();
                let sum = _mm256_loadu_si256(pa);
                let n = _mm256_add_epi32(sum, round);
                let even = _mm256_srl_epi64(_mm256_mul_epu32(n, m), shift);
                let odd = _mm256_srl_epi64(_mm256_mul_epu32(_mm256_srli_epi64::<32>(n), m), shift);
                let q = _mm256_or_si256(even, _mm256_slli_epi64::<32>(odd));
                let words =
                    _mm_packus_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256::<1>(q));
                _mm_storel_epi64(out.add(i).cast(), _mm_packus_epi16(words, words));
                let plus = _mm256_cvtepu8_epi32(_mm_loadl_epi64(add.add(i).cast()));
                let minus = _mm256_cvtepu8_epi32(_mm_loadl_epi64(sub.add(i).cast()));
                _mm256_storeu_si256(pa, _mm256_sub_epi32(_mm256_add_epi32(sum, plus), minus));
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
/// did. `acc`'s memory holds the 16-bit sums.
///
/// # Safety
/// The CPU must support AVX2; `src`, `dst` and `acc` must be as long as
/// `vbox` checks (`fits`).
#[target_feature(enable = "avx2")]
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
    // 16-bit sums in the first `w16 * 2` bytes of `acc` (`width * 4` long).
    let a = acc.as_mut_ptr().cast::<u16>();
    // SAFETY: the caller's `fits` shows rows `y <= last` of `src` hold
    // `width >= w16` samples from `y * src_stride`, output rows `y < o1` of
    // `dst` from `y * dst_stride`, and `acc` `width` u32s, i.e. room for
    // `2 * width >= w16` u16s (any bit pattern is a valid u16, and u32
    // alignment exceeds u16's); each access covers columns `i..i + 16` with
    // `i + 16 <= w16`. Loads and stores are unaligned. Sums stay below 2^16
    // (`div.small`: 255·(2r+1) + r < 2^16).
    unsafe {
        let zero = _mm256_setzero_si256();
        for i in (0..w16).step_by(16) {
            _mm256_storeu_si256(a.add(i).cast(), zero);
        }
        for k in 0..=2 * r {
            let y = (o0 + k).saturating_sub(r).min(last);
            let row = s.add(y * src_stride);
            for i in (0..w16).step_by(16) {
                let pa = a.add(i).cast::<__m256i>();
                let v = _mm256_cvtepu8_epi16(_mm_loadu_si128(row.add(i).cast()));
                _mm256_storeu_si256(pa, _mm256_add_epi16(_mm256_loadu_si256(pa), v));
            }
        }
        let m = _mm256_set1_epi16(div.m16 as i16);
        let round = _mm256_set1_epi16(div.r as i16);
        let shift = _mm_cvtsi32_si128(div.k16 as i32);
        for y in o0..o1 {
            let add = s.add((y + r + 1).min(last) * src_stride);
            let sub = s.add(y.saturating_sub(r).min(last) * src_stride);
            let out = d.add(y * dst_stride);
            for i in (0..w16).step_by(16) {
                let pa = a.add(i).cast::<__m256i>();
                let sum = _mm256_loadu_si256(pa);
                let q =
                    _mm256_srl_epi16(_mm256_mulhi_epu16(_mm256_add_epi16(sum, round), m), shift);
                let bytes =
                    _mm_packus_epi16(_mm256_castsi256_si128(q), _mm256_extracti128_si256::<1>(q));
                _mm_storeu_si128(out.add(i).cast(), bytes);
                let plus = _mm256_cvtepu8_epi16(_mm_loadu_si128(add.add(i).cast()));
                let minus = _mm256_cvtepu8_epi16(_mm_loadu_si128(sub.add(i).cast()));
                _mm256_storeu_si256(pa, _mm256_sub_epi16(_mm256_add_epi16(sum, plus), minus));
            }
        }
    }
    w16
}

/// As [`super::scalar::group_sums`] for bytes: `_mm256_sad_epu8` sums
/// groups of 8 (and pairs of them, 16), `_mm256_maddubs_epi16` pairs and
/// `_mm256_madd_epi16` quads; other factors and the tail run the scalar
/// code.
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn group_sums(row: &[u8], f: usize, out: &mut [u32]) {
    let groups = out.len().min(row.len() / f.max(1));
    let (r, o) = (row.as_ptr(), out.as_mut_ptr());
    // Groups done by the vector loops.
    let mut g = 0;
    // SAFETY: each step reads bytes `g·f .. (g + k)·f` of `row` and
    // updates `out[g .. g + k]` for the `k` groups it covers, with
    // `g + k <= groups`, so `(g + k)·f <= row.len()` and `g + k <=
    // out.len()`; loads and stores are unaligned. Sums of at most 16 bytes
    // fit every lane they are computed in (≤ 4080).
    unsafe {
        let zero = _mm256_setzero_si256();
        match f {
            2 => {
                let ones = _mm256_set1_epi8(1);
                while g + 16 <= groups {
                    let v = _mm256_loadu_si256(r.add(2 * g).cast());
                    let pairs = _mm256_maddubs_epi16(v, ones);
                    let lo = _mm256_cvtepu16_epi32(_mm256_castsi256_si128(pairs));
                    let hi = _mm256_cvtepu16_epi32(_mm256_extracti128_si256::<1>(pairs));
                    let (pa, pb) = (o.add(g).cast::<__m256i>(), o.add(g + 8).cast::<__m256i>());
                    _mm256_storeu_si256(pa, _mm256_add_epi32(_mm256_loadu_si256(pa), lo));
                    _mm256_storeu_si256(pb, _mm256_add_epi32(_mm256_loadu_si256(pb), hi));
                    g += 16;
                }
            }
            4 => {
                let (ones8, ones16) = (_mm256_set1_epi8(1), _mm256_set1_epi16(1));
                while g + 8 <= groups {
                    let v = _mm256_loadu_si256(r.add(4 * g).cast());
                    let quads = _mm256_madd_epi16(_mm256_maddubs_epi16(v, ones8), ones16);
                    let pa = o.add(g).cast::<__m256i>();
                    _mm256_storeu_si256(pa, _mm256_add_epi32(_mm256_loadu_si256(pa), quads));
                    g += 8;
                }
                let (ones8, ones16) = (_mm_set1_epi8(1), _mm_set1_epi16(1));
                if g + 4 <= groups {
                    let v = _mm_loadu_si128(r.add(4 * g).cast());
                    let quads = _mm_madd_epi16(_mm_maddubs_epi16(v, ones8), ones16);
                    let pa = o.add(g).cast::<__m128i>();
                    _mm_storeu_si128(pa, _mm_add_epi32(_mm_loadu_si128(pa), quads));
                    g += 4;
                }
                if g + 2 <= groups {
                    let v = _mm_loadl_epi64(r.add(4 * g).cast());
                    let quads = _mm_madd_epi16(_mm_maddubs_epi16(v, ones8), ones16);
                    let pa = o.add(g).cast::<__m128i>();
                    _mm_storel_epi64(pa, _mm_add_epi32(_mm_loadl_epi64(pa), quads));
                    g += 2;
                }
            }
            8 => {
                // Two registers of four 64-bit sums, interleaved into eight
                // 32-bit lanes, then put in order.
                let order = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
                while g + 8 <= groups {
                    let a = _mm256_sad_epu8(_mm256_loadu_si256(r.add(8 * g).cast()), zero);
                    let b = _mm256_sad_epu8(_mm256_loadu_si256(r.add(8 * g + 32).cast()), zero);
                    let both = _mm256_or_si256(a, _mm256_slli_epi64::<32>(b));
                    let sums = _mm256_permutevar8x32_epi32(both, order);
                    let pa = o.add(g).cast::<__m256i>();
                    _mm256_storeu_si256(pa, _mm256_add_epi32(_mm256_loadu_si256(pa), sums));
                    g += 8;
                }
                if g + 4 <= groups {
                    let a = _mm256_sad_epu8(_mm256_loadu_si256(r.add(8 * g).cast()), zero);
                    let sums = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(a, order));
                    let pa = o.add(g).cast::<__m128i>();
                    _mm_storeu_si128(pa, _mm_add_epi32(_mm_loadu_si128(pa), sums));
                    g += 4;
                }
                if g + 2 <= groups {
                    let a = _mm_sad_epu8(_mm_loadu_si128(r.add(8 * g).cast()), _mm_setzero_si128());
                    let sums = _mm_shuffle_epi32::<0b10_00_10_00>(a);
                    let pa = o.add(g).cast::<__m128i>();
                    _mm_storel_epi64(pa, _mm_add_epi32(_mm_loadl_epi64(pa), sums));
                    g += 2;
                }
                if g < groups {
                    let a = _mm_sad_epu8(_mm_loadl_epi64(r.add(8 * g).cast()), _mm_setzero_si128());
                    *o.add(g) += _mm_cvtsi128_si32(a) as u32;
                    g += 1;
                }
            }
            16 => {
                while g + 2 <= groups {
                    let s = _mm256_sad_epu8(_mm256_loadu_si256(r.add(16 * g).cast()), zero);
                    // 64-bit lanes 0 + 1 are the first group, 2 + 3 the second.
                    let first = _mm256_extract_epi64::<0>(s) + _mm256_extract_epi64::<1>(s);
                    let second = _mm256_extract_epi64::<2>(s) + _mm256_extract_epi64::<3>(s);
                    *o.add(g) += first as u32;
                    *o.add(g + 1) += second as u32;
                    g += 2;
                }
            }
            _ => {}
        }
    }
    super::scalar::group_sums(&row[g * f..], f, &mut out[g..groups]);
}

/// Runs `work` with AVX2 enabled: the generic integer code it inlines (`run`) is
/// vectorized for these registers (the same bytes as scalar).
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn compiled(work: impl super::Compiled) {
    work.run();
}

/// As [`super::scalar::vbox`] for 16-bit samples: eight columns per step
/// in 32-bit lanes, the division as in [`vbox`]; the last `width % 8`
/// columns run the scalar code.
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn vbox_u16(src: &[u16], dst: &mut [u16], acc: &mut [u32], p: VParams) {
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
    let w8 = if fits { width / 8 * 8 } else { 0 };
    let r = div.r as usize;
    let last = rows - 1;
    let (s, d, a) = (src.as_ptr(), dst.as_mut_ptr(), acc.as_mut_ptr());
    // SAFETY: `fits` (else `w8 == 0` and no iteration runs) shows every row
    // `y <= last` of `src` holds `width >= w8` samples from `y * src_stride`,
    // every output row `y < o1` of `dst` from `y * dst_stride`, and `acc`
    // `width` counters; each access covers columns `i..i + 8` with
    // `i + 8 <= w8`. Loads and stores are unaligned. Sums of 10-bit samples
    // stay below 2^22, where the reciprocal is exact (`Divisor`), and
    // quotients are samples, so the saturating pack keeps them.
    unsafe {
        let zero = _mm256_setzero_si256();
        for i in (0..w8).step_by(8) {
            _mm256_storeu_si256(a.add(i).cast(), zero);
        }
        for k in 0..=2 * r {
            let y = (o0 + k).saturating_sub(r).min(last);
            let row = s.add(y * src_stride);
            for i in (0..w8).step_by(8) {
                let pa = a.add(i).cast::<__m256i>();
                let v = _mm256_cvtepu16_epi32(_mm_loadu_si128(row.add(i).cast()));
                _mm256_storeu_si256(pa, _mm256_add_epi32(_mm256_loadu_si256(pa), v));
            }
        }
        let m = _mm256_set1_epi32(div.m as i32);
        let round = _mm256_set1_epi32(div.r as i32);
        let shift = _mm_cvtsi32_si128(div.s as i32);
        for y in o0..o1 {
            let add = s.add((y + r + 1).min(last) * src_stride);
            let sub = s.add(y.saturating_sub(r).min(last) * src_stride);
            let out = d.add(y * dst_stride);
            for i in (0..w8).step_by(8) {
                let pa = a.add(i).cast::<__m256i>();
                let sum = _mm256_loadu_si256(pa);
                let n = _mm256_add_epi32(sum, round);
                let even = _mm256_srl_epi64(_mm256_mul_epu32(n, m), shift);
                let odd = _mm256_srl_epi64(_mm256_mul_epu32(_mm256_srli_epi64::<32>(n), m), shift);
                let q = _mm256_or_si256(even, _mm256_slli_epi64::<32>(odd));
                let words =
                    _mm_packus_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256::<1>(q));
                _mm_storeu_si128(out.add(i).cast(), words);
                let plus = _mm256_cvtepu16_epi32(_mm_loadu_si128(add.add(i).cast()));
                let minus = _mm256_cvtepu16_epi32(_mm_loadu_si128(sub.add(i).cast()));
                _mm256_storeu_si256(pa, _mm256_sub_epi32(_mm256_add_epi32(sum, plus), minus));
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
