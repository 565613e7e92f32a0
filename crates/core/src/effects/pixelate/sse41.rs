//! Pixelate column sums with SSE4.1: 16 bytes widened to two u16 registers.

use std::arch::x86_64::*;

/// `acc[i] += row[i]`, like [`super::scalar::accumulate`]; `acc` and `row`
/// have the same length.
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
pub(super) unsafe fn accumulate(acc: &mut [u16], row: &[u8]) {
    let n = acc.len().min(row.len());
    let (a, r) = (acc.as_mut_ptr(), row.as_ptr());
    let mut i = 0;
    // SAFETY: every access covers indices `i..i + 16` with `i + 16 <= n`,
    // within both slices; loads and stores are unaligned.
    unsafe {
        while i + 16 <= n {
            let bytes = _mm_loadu_si128(r.add(i).cast());
            let lo = _mm_cvtepu8_epi16(bytes);
            let hi = _mm_cvtepu8_epi16(_mm_srli_si128::<8>(bytes));
            let pa = a.add(i).cast::<__m128i>();
            let pb = a.add(i + 8).cast::<__m128i>();
            _mm_storeu_si128(pa, _mm_add_epi16(_mm_loadu_si128(pa), lo));
            _mm_storeu_si128(pb, _mm_add_epi16(_mm_loadu_si128(pb), hi));
            i += 16;
        }
    }
    super::scalar::accumulate(&mut acc[i..n], &row[i..n]);
}

/// [`super::scalar::accumulate_wide`] compiled with SSE4.1 (the same
/// integer code, vectorized by the compiler).
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
pub(super) unsafe fn accumulate_u16(acc: &mut [u32], row: &[u16]) {
    super::scalar::accumulate_wide(acc, row);
}
