//! Pixelate column sums with NEON: 16 bytes added into two u16 registers
//! by widening adds.

use std::arch::aarch64::*;

/// `acc[i] += row[i]`, like [`super::scalar::accumulate`] (wrapping).
///
/// # Safety
/// The CPU must support NEON.
#[target_feature(enable = "neon")]
pub(super) unsafe fn accumulate(acc: &mut [u16], row: &[u8]) {
    let n = acc.len().min(row.len());
    let (a, r) = (acc.as_mut_ptr(), row.as_ptr());
    let mut i = 0;
    // SAFETY: every access covers indices `i..i + 16` with `i + 16 <= n`,
    // within both slices; NEON loads and stores of u8/u16 lanes need only
    // the element alignment that the slices already have.
    unsafe {
        while i + 16 <= n {
            let bytes = vld1q_u8(r.add(i));
            let (pa, pb) = (a.add(i), a.add(i + 8));
            vst1q_u16(pa, vaddw_u8(vld1q_u16(pa), vget_low_u8(bytes)));
            vst1q_u16(pb, vaddw_high_u8(vld1q_u16(pb), bytes));
            i += 16;
        }
    }
    super::scalar::accumulate(&mut acc[i..n], &row[i..n]);
}
