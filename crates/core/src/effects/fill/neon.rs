//! Fill with NEON: 16-byte stores of the pattern at the right phase, the
//! last one overlapping the previous so no byte loop remains.

use std::arch::aarch64::*;

use super::{fill_short, Pattern, SpanRows, PERIOD};

/// Writes `pattern` into the masked spans of `rows`, like
/// [`super::scalar::fill_rows`].
///
/// # Safety
/// The CPU must support NEON.
#[target_feature(enable = "neon")]
pub(super) unsafe fn fill_rows(data: &mut [u8], rows: SpanRows<'_>, pattern: &Pattern) {
    // SAFETY: this function runs only where NEON is supported.
    rows.for_each(data, |dst| unsafe { fill(dst, pattern) });
}

/// Writes `pattern` into `dst`, like [`super::scalar::fill`]; `dst` starts
/// at a pixel boundary.
///
/// # Safety
/// The CPU must support NEON.
#[target_feature(enable = "neon")]
#[inline]
unsafe fn fill(dst: &mut [u8], pattern: &Pattern) {
    let n = dst.len();
    let out = dst.as_mut_ptr();
    let src = pattern.bytes.as_ptr();
    let mask = pattern.keep.as_ptr();
    // Stores 16 bytes of the pattern at offset `at` of `dst`.
    let store16 = |at: usize| {
        // SAFETY: `at + 16 <= n` keeps the store inside `dst`;
        // `at % PERIOD + 16 <= 2 * PERIOD` keeps the pattern loads inside
        // `bytes` and `keep`; NEON byte loads and stores need no alignment.
        // Bytes written twice by overlapping stores get the same value, and a
        // blended store only rewrites pattern bytes, so overlap is harmless.
        unsafe {
            let phase = at % PERIOD;
            let p = out.add(at);
            let v = vld1q_u8(src.add(phase));
            let v = if pattern.blend {
                vbslq_u8(vld1q_u8(mask.add(phase)), v, vld1q_u8(p))
            } else {
                v
            };
            vst1q_u8(p, v);
        }
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
        fill_short(dst, pattern);
    }
}
