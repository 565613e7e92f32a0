//! Box passes with SSE4.1: eight columns per step in two registers of
//! 32-bit lanes, the division by `2r + 1` through `_mm_mul_epu32`.

use std::arch::x86_64::*;

use super::VParams;

/// `((n + r) * m) >> s` in each 32-bit lane.
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
#[inline]
unsafe fn divide(sum: __m128i, round: __m128i, m: __m128i, shift: __m128i) -> __m128i {
    let n = _mm_add_epi32(sum, round);
    let even = _mm_srl_epi64(_mm_mul_epu32(n, m), shift);
    let odd = _mm_srl_epi64(_mm_mul_epu32(_mm_srli_epi64::<32>(n), m), shift);
    _mm_or_si128(even, _mm_slli_epi64::<32>(odd))
}

/// As [`super::scalar::vbox`] for 8-bit samples.
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
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
        let zero = _mm_setzero_si128();
        for i in (0..w8).step_by(4) {
            _mm_storeu_si128(a.add(i).cast(), zero);
        }
        for k in 0..=2 * r {
            let y = (o0 + k).saturating_sub(r).min(last);
            let row = s.add(y * src_stride);
            for i in (0..w8).step_by(8) {
                let bytes = _mm_loadl_epi64(row.add(i).cast());
                let (p0, p1) = (a.add(i).cast::<__m128i>(), a.add(i + 4).cast::<__m128i>());
                let lo = _mm_cvtepu8_epi32(bytes);
                let hi = _mm_cvtepu8_epi32(_mm_srli_si128::<4>(bytes));
                _mm_storeu_si128(p0, _mm_add_epi32(_mm_loadu_si128(p0), lo));
                _mm_storeu_si128(p1, _mm_add_epi32(_mm_loadu_si128(p1), hi));
            }
        }
        let m = _mm_set1_epi32(div.m as i32);
        let round = _mm_set1_epi32(div.r as i32);
        let shift = _mm_cvtsi32_si128(div.s as i32);
        for y in o0..o1 {
            let add = s.add((y + r + 1).min(last) * src_stride);
            let sub = s.add(y.saturating_sub(r).min(last) * src_stride);
            let out = d.add(y * dst_stride);
            for i in (0..w8).step_by(8) {
                let (p0, p1) = (a.add(i).cast::<__m128i>(), a.add(i + 4).cast::<__m128i>());
                let (s0, s1) = (_mm_loadu_si128(p0), _mm_loadu_si128(p1));
                let q0 = divide(s0, round, m, shift);
                let q1 = divide(s1, round, m, shift);
                let words = _mm_packus_epi32(q0, q1);
                _mm_storel_epi64(out.add(i).cast(), _mm_packus_epi16(words, words));
                let plus = _mm_loadl_epi64(add.add(i).cast());
                let minus = _mm_loadl_epi64(sub.add(i).cast());
                let d0 = _mm_sub_epi32(_mm_cvtepu8_epi32(plus), _mm_cvtepu8_epi32(minus));
                let d1 = _mm_sub_epi32(
                    _mm_cvtepu8_epi32(_mm_srli_si128::<4>(plus)),
                    _mm_cvtepu8_epi32(_mm_srli_si128::<4>(minus)),
                );
                _mm_storeu_si128(p0, _mm_add_epi32(s0, d0));
                _mm_storeu_si128(p1, _mm_add_epi32(s1, d1));
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

/// As [`super::scalar::transpose16`] for bytes: four rounds of unpacks.
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
#[allow(clippy::needless_range_loop)]
pub(super) unsafe fn transpose16(src: &[u8], ss: usize, dst: &mut [u8], ds: usize) {
    if 15 * ss + 16 > src.len() || 15 * ds + 16 > dst.len() {
        super::scalar::transpose16(src, ss, dst, ds);
        return;
    }
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    // SAFETY: the check above keeps the 16 loads of 16 bytes at `r * ss`
    // inside `src` and the 16 stores at `c * ds` inside `dst`; unaligned.
    unsafe {
        let a: [__m128i; 16] = std::array::from_fn(|r| _mm_loadu_si128(s.add(r * ss).cast()));
        // Pairs of rows, bytes interleaved: [pair][column half].
        let s1: [[__m128i; 2]; 8] = std::array::from_fn(|p| {
            [
                _mm_unpacklo_epi8(a[2 * p], a[2 * p + 1]),
                _mm_unpackhi_epi8(a[2 * p], a[2 * p + 1]),
            ]
        });
        // Quads of rows: [quad][half][quarter].
        let s2: [[[__m128i; 2]; 2]; 4] = std::array::from_fn(|q| {
            std::array::from_fn(|h| {
                [
                    _mm_unpacklo_epi16(s1[2 * q][h], s1[2 * q + 1][h]),
                    _mm_unpackhi_epi16(s1[2 * q][h], s1[2 * q + 1][h]),
                ]
            })
        });
        // Octets of rows: [octet][half][quarter][eighth].
        let s3: [[[[__m128i; 2]; 2]; 2]; 2] = std::array::from_fn(|o| {
            std::array::from_fn(|h| {
                std::array::from_fn(|g| {
                    [
                        _mm_unpacklo_epi32(s2[2 * o][h][g], s2[2 * o + 1][h][g]),
                        _mm_unpackhi_epi32(s2[2 * o][h][g], s2[2 * o + 1][h][g]),
                    ]
                })
            })
        });
        for h in 0..2 {
            for g in 0..2 {
                for f in 0..2 {
                    let c = h * 8 + g * 4 + f * 2;
                    let (top, bottom) = (s3[0][h][g][f], s3[1][h][g][f]);
                    _mm_storeu_si128(d.add(c * ds).cast(), _mm_unpacklo_epi64(top, bottom));
                    _mm_storeu_si128(d.add((c + 1) * ds).cast(), _mm_unpackhi_epi64(top, bottom));
                }
            }
        }
    }
}

/// As [`super::scalar::group_sums`] for bytes: `_mm_sad_epu8` sums groups
/// of 8 and 16, `_mm_maddubs_epi16` pairs and `_mm_madd_epi16` quads;
/// other factors and the tail run the scalar code.
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
pub(super) unsafe fn group_sums(row: &[u8], f: usize, out: &mut [u32]) {
    let groups = out.len().min(row.len() / f.max(1));
    let (r, o) = (row.as_ptr(), out.as_mut_ptr());
    let mut g = 0;
    // SAFETY: each step reads bytes `g·f .. (g + k)·f` of `row` and
    // updates `out[g .. g + k]` for the `k` groups it covers, with
    // `g + k <= groups`, so `(g + k)·f <= row.len()` and `g + k <=
    // out.len()`; loads and stores are unaligned. Sums of at most 16 bytes
    // fit every lane they are computed in (≤ 4080).
    unsafe {
        let zero = _mm_setzero_si128();
        match f {
            2 => {
                let ones = _mm_set1_epi8(1);
                while g + 8 <= groups {
                    let v = _mm_loadu_si128(r.add(2 * g).cast());
                    let pairs = _mm_maddubs_epi16(v, ones);
                    let lo = _mm_cvtepu16_epi32(pairs);
                    let hi = _mm_cvtepu16_epi32(_mm_srli_si128::<8>(pairs));
                    let (pa, pb) = (o.add(g).cast::<__m128i>(), o.add(g + 4).cast::<__m128i>());
                    _mm_storeu_si128(pa, _mm_add_epi32(_mm_loadu_si128(pa), lo));
                    _mm_storeu_si128(pb, _mm_add_epi32(_mm_loadu_si128(pb), hi));
                    g += 8;
                }
            }
            4 => {
                let (ones8, ones16) = (_mm_set1_epi8(1), _mm_set1_epi16(1));
                while g + 4 <= groups {
                    let v = _mm_loadu_si128(r.add(4 * g).cast());
                    let quads = _mm_madd_epi16(_mm_maddubs_epi16(v, ones8), ones16);
                    let pa = o.add(g).cast::<__m128i>();
                    _mm_storeu_si128(pa, _mm_add_epi32(_mm_loadu_si128(pa), quads));
                    g += 4;
                }
            }
            8 => {
                while g + 4 <= groups {
                    let a = _mm_sad_epu8(_mm_loadu_si128(r.add(8 * g).cast()), zero);
                    let b = _mm_sad_epu8(_mm_loadu_si128(r.add(8 * g + 16).cast()), zero);
                    // 64-bit sums [a0, a1], [b0, b1] as 32-bit [a0, a1, b0, b1].
                    let sums = _mm_castps_si128(_mm_shuffle_ps::<0b10_00_10_00>(
                        _mm_castsi128_ps(a),
                        _mm_castsi128_ps(b),
                    ));
                    let pa = o.add(g).cast::<__m128i>();
                    _mm_storeu_si128(pa, _mm_add_epi32(_mm_loadu_si128(pa), sums));
                    g += 4;
                }
            }
            16 => {
                while g < groups {
                    let s = _mm_sad_epu8(_mm_loadu_si128(r.add(16 * g).cast()), zero);
                    let both = _mm_add_epi64(s, _mm_srli_si128::<8>(s));
                    *o.add(g) += _mm_cvtsi128_si32(both) as u32;
                    g += 1;
                }
            }
            _ => {}
        }
    }
    super::scalar::group_sums(&row[g * f..], f, &mut out[g..groups]);
}

/// Runs `work` with SSE4.1 enabled: the generic integer code it inlines (`run`) is
/// vectorized for these registers (the same bytes as scalar).
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
pub(super) unsafe fn compiled(work: impl super::Compiled) {
    work.run();
}

/// [`super::scalar::vbox`] for 16-bit samples compiled with SSE4.1 (the
/// same integer code, vectorized by the compiler).
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
pub(super) unsafe fn vbox_u16(src: &[u16], dst: &mut [u16], acc: &mut [u32], p: VParams) {
    super::scalar::vbox(src, dst, acc, p);
}
