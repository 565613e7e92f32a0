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
    let w8 = if fits { width / 8 * 8 } else { 0 };
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
        for i in (0..w8).step_by(8) {
            _mm256_storeu_si256(a.add(i).cast(), zero);
        }
        for k in 0..=2 * r {
            let y = (o0 + k).saturating_sub(r).min(last);
            let row = s.add(y * src_stride);
            for i in (0..w8).step_by(8) {
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
            for i in (0..w8).step_by(8) {
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
