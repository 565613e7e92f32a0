//! Fill with AVX2: whole 96-byte periods of the pattern from three
//! registers loaded once, then 32-byte stores at the right phase, the last
//! one overlapping the previous so no byte loop remains.

use std::arch::x86_64::*;

use super::{fill_tail, Pattern, PERIOD};

/// Writes `pattern` into `dst`, like [`super::scalar::fill`].
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn fill(dst: &mut [u8], pattern: &Pattern) {
    let n = dst.len();
    let out = dst.as_mut_ptr();
    let src = pattern.bytes.as_ptr();
    let mask = pattern.keep.as_ptr();
    // Stores 32 bytes of the pattern at offset `at` of `dst`.
    let store32 = |at: usize| {
        debug_assert!(at + 32 <= n);
        // SAFETY: every call below passes `at + 32 <= n`, which keeps the
        // store inside `dst`; `at % PERIOD + 32 <= 2 * PERIOD` keeps the pattern
        // loads inside `bytes` and `keep`; all accesses are unaligned. Bytes
        // written twice by overlapping stores get the same value, and a blended
        // store only rewrites pattern bytes, so overlap is harmless.
        unsafe {
            let phase = at % PERIOD;
            let p = out.add(at).cast::<__m256i>();
            let v = _mm256_loadu_si256(src.add(phase).cast());
            let v = if pattern.blend {
                _mm256_blendv_epi8(
                    _mm256_loadu_si256(p),
                    v,
                    _mm256_loadu_si256(mask.add(phase).cast()),
                )
            } else {
                v
            };
            _mm256_storeu_si256(p, v);
        }
    };
    // Stores 16 bytes of the pattern at offset `at` of `dst`.
    let store16 = |at: usize| {
        debug_assert!(at + 16 <= n);
        // SAFETY: every call below passes `at + 16 <= n`, which keeps the
        // store inside `dst`; `at % PERIOD + 16 <= 2 * PERIOD` keeps the pattern
        // loads inside `bytes` and `keep`; all accesses are unaligned. Bytes
        // written twice by overlapping stores get the same value, and a blended
        // store only rewrites pattern bytes, so overlap is harmless.
        unsafe {
            let phase = at % PERIOD;
            let p = out.add(at).cast::<__m128i>();
            let v = _mm_loadu_si128(src.add(phase).cast());
            let v = if pattern.blend {
                _mm_blendv_epi8(
                    _mm_loadu_si128(p),
                    v,
                    _mm_loadu_si128(mask.add(phase).cast()),
                )
            } else {
                v
            };
            _mm_storeu_si128(p, v);
        }
    };
    if n >= 32 {
        // Whole periods from registers loaded once: phases 0, 32 and 64.
        let mut i = 0;
        // SAFETY: the loads read `bytes` and `keep` at 0..96 (both are
        // `2 * PERIOD` long); each store covers `i..i + 96 <= n` of `dst`.
        // Unaligned accesses.
        unsafe {
            let v = [0, 32, 64].map(|k| _mm256_loadu_si256(src.add(k).cast()));
            let m = [0, 32, 64].map(|k| _mm256_loadu_si256(mask.add(k).cast()));
            if pattern.blend {
                while i + PERIOD <= n {
                    for k in 0..3 {
                        let p = out.add(i + 32 * k).cast::<__m256i>();
                        let old = _mm256_loadu_si256(p);
                        _mm256_storeu_si256(p, _mm256_blendv_epi8(old, v[k], m[k]));
                    }
                    i += PERIOD;
                }
            } else {
                while i + PERIOD <= n {
                    _mm256_storeu_si256(out.add(i).cast(), v[0]);
                    _mm256_storeu_si256(out.add(i + 32).cast(), v[1]);
                    _mm256_storeu_si256(out.add(i + 64).cast(), v[2]);
                    i += PERIOD;
                }
            }
        }
        while i + 32 <= n {
            store32(i);
            i += 32;
        }
        if i < n {
            store32(n - 32);
        }
    } else if n >= 16 {
        store16(0);
        store16(n - 16);
    } else {
        fill_tail(dst, pattern, 0);
    }
}

/// [`super::scalar::fill`] for 16-bit samples, compiled with AVX2 (the
/// same integer code, vectorized by the compiler).
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn fill_u16(dst: &mut [u16], pattern: &Pattern) {
    super::scalar::fill(dst, &pattern.values, pattern.channels, pattern.write);
}
