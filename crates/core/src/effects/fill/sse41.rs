//! Fill with SSE4.1: 16-byte stores of the pattern at the right phase, the
//! last one overlapping the previous so no byte loop remains.

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
    // SAFETY (of each use below): `at + 16 <= n` keeps the store inside
    // `dst`; `at % PERIOD + 16 <= 2 * PERIOD` keeps the pattern loads inside
    // `bytes` and `keep`; all accesses are unaligned. Bytes written twice by
    // overlapping stores get the same value, and a blended store only
    // rewrites pattern bytes, so overlap is harmless.
    let store16 = |at: usize| unsafe {
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
    };
    if n >= 16 {
        let mut i = 0;
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
