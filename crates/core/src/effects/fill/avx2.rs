//! Fill with AVX2: the pattern's 96-byte period as three registers.

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
    let mut i = 0;
    // SAFETY: `src` and `mask` point to `PERIOD` (96) bytes, read at offsets
    // below 96; writes and reads of `out` stay below `i + 96 <= n` or
    // `i + 32 <= n`; unaligned loads and stores are used throughout.
    unsafe {
        let pat: [__m256i; 3] = std::array::from_fn(|k| _mm256_loadu_si256(src.add(32 * k).cast()));
        let keep: [__m256i; 3] =
            std::array::from_fn(|k| _mm256_loadu_si256(mask.add(32 * k).cast()));
        while i + PERIOD <= n {
            for k in 0..3 {
                let p = out.add(i + 32 * k).cast::<__m256i>();
                let v = if pattern.blend {
                    _mm256_blendv_epi8(_mm256_loadu_si256(p), pat[k], keep[k])
                } else {
                    pat[k]
                };
                _mm256_storeu_si256(p, v);
            }
            i += PERIOD;
        }
        let mut k = 0;
        while i + 32 <= n {
            let p = out.add(i).cast::<__m256i>();
            let v = if pattern.blend {
                _mm256_blendv_epi8(_mm256_loadu_si256(p), pat[k], keep[k])
            } else {
                pat[k]
            };
            _mm256_storeu_si256(p, v);
            i += 32;
            k += 1;
        }
    }
    fill_tail(&mut dst[i..], pattern, i % PERIOD);
}
