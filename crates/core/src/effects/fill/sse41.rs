//! Fill with SSE4.1: the pattern's 96-byte period as six registers.

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
    let mut i = 0;
    // SAFETY: `src` and `mask` point to `PERIOD` (96) bytes, read at offsets
    // below 96; writes and reads of `out` stay below `i + 96 <= n` or
    // `i + 16 <= n`; unaligned loads and stores are used throughout.
    unsafe {
        let pat: [__m128i; 6] = std::array::from_fn(|k| _mm_loadu_si128(src.add(16 * k).cast()));
        let keep: [__m128i; 6] = std::array::from_fn(|k| _mm_loadu_si128(mask.add(16 * k).cast()));
        while i + PERIOD <= n {
            for k in 0..6 {
                let p = out.add(i + 16 * k).cast::<__m128i>();
                let v = if pattern.blend {
                    _mm_blendv_epi8(_mm_loadu_si128(p), pat[k], keep[k])
                } else {
                    pat[k]
                };
                _mm_storeu_si128(p, v);
            }
            i += PERIOD;
        }
        let mut k = 0;
        while i + 16 <= n {
            let p = out.add(i).cast::<__m128i>();
            let v = if pattern.blend {
                _mm_blendv_epi8(_mm_loadu_si128(p), pat[k], keep[k])
            } else {
                pat[k]
            };
            _mm_storeu_si128(p, v);
            i += 16;
            k += 1;
        }
    }
    fill_tail(&mut dst[i..], pattern, i % PERIOD);
}
