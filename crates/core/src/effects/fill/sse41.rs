//! Fill with SSE4.1: whole 96-byte periods of the pattern from six
//! registers loaded once, then 16-byte stores at the right phase, the last
//! one overlapping the previous so no byte loop remains.

use std::arch::x86_64::*;

use super::{fill_tail, Pattern, PERIOD};

/// Writes `pattern` into `dst`, like [`super::scalar::fill`].
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
pub(super) unsafe fn fill(dst: &mut [u8], pattern: &Pattern) {
    let n = dst.len();
    let out = dst.as_mut_ptr();
    let src = pattern.bytes.as_ptr();
    let mask = pattern.keep.as_ptr();
    // Stores 16 bytes of the pattern at offset `at` of `dst`.
    let store16 = |at: usize| {
        // SAFETY: `at + 16 <= n` keeps the store inside
        // `dst`; `at % PERIOD + 16 <= 2 * PERIOD` keeps the pattern loads inside
        // `bytes` and `keep`; all accesses are unaligned. Bytes written twice by
        // overlapping stores get the same value, and a blended store only
        // rewrites pattern bytes, so overlap is harmless.
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
    if n >= 16 {
        // Whole periods from registers loaded once: phases 0, 16 … 80.
        let mut i = 0;
        // SAFETY: the loads read `bytes` and `keep` at 0..96 (both are
        // `2 * PERIOD` long); each store covers `i..i + 96 <= n` of `dst`.
        // Unaligned accesses.
        unsafe {
            let v = [0, 16, 32, 48, 64, 80].map(|k| _mm_loadu_si128(src.add(k).cast()));
            let m = [0, 16, 32, 48, 64, 80].map(|k| _mm_loadu_si128(mask.add(k).cast()));
            while i + PERIOD <= n {
                for k in 0..6 {
                    let p = out.add(i + 16 * k).cast::<__m128i>();
                    let w = if pattern.blend {
                        _mm_blendv_epi8(_mm_loadu_si128(p), v[k], m[k])
                    } else {
                        v[k]
                    };
                    _mm_storeu_si128(p, w);
                }
                i += PERIOD;
            }
        }
        while i + 16 <= n {
            store16(i);
            i += 16;
        }
        if i < n {
            store16(n - 16);
        }
    } else {
        fill_tail(dst, pattern, 0);
    }
}

/// [`super::scalar::fill`] for 16-bit samples, compiled with SSE4.1 (the
/// same integer code, vectorized by the compiler).
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
pub(super) unsafe fn fill_u16(dst: &mut [u16], pattern: &Pattern) {
    super::scalar::fill(dst, &pattern.values, pattern.channels, pattern.write);
}
