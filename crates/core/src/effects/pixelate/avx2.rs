//! Pixelate column sums with AVX2: 16 bytes widened to one u16 register.

use std::arch::x86_64::*;

/// `acc[i] += row[i]`, like [`super::scalar::accumulate`]; `acc` and `row`
/// have the same length.
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn accumulate(acc: &mut [u16], row: &[u8]) {
    let n = acc.len().min(row.len());
    let (a, r) = (acc.as_mut_ptr(), row.as_ptr());
    let mut i = 0;
    // SAFETY: every access covers indices `i..i + 32` or `i..i + 16` with
    // the end at most `n`, within both slices; loads and stores are
    // unaligned.
    unsafe {
        while i + 32 <= n {
            let lo = _mm256_cvtepu8_epi16(_mm_loadu_si128(r.add(i).cast()));
            let hi = _mm256_cvtepu8_epi16(_mm_loadu_si128(r.add(i + 16).cast()));
            let pa = a.add(i).cast::<__m256i>();
            let pb = a.add(i + 16).cast::<__m256i>();
            _mm256_storeu_si256(pa, _mm256_add_epi16(_mm256_loadu_si256(pa), lo));
            _mm256_storeu_si256(pb, _mm256_add_epi16(_mm256_loadu_si256(pb), hi));
            i += 32;
        }
        while i + 16 <= n {
            let v = _mm256_cvtepu8_epi16(_mm_loadu_si128(r.add(i).cast()));
            let pa = a.add(i).cast::<__m256i>();
            _mm256_storeu_si256(pa, _mm256_add_epi16(_mm256_loadu_si256(pa), v));
            i += 16;
        }
    }
    super::scalar::accumulate(&mut acc[i..n], &row[i..n]);
}

/// [`super::scalar::accumulate_wide`] compiled with AVX2 (the same
/// integer code, vectorized by the compiler).
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn accumulate_u16(acc: &mut [u32], row: &[u16]) {
    super::scalar::accumulate_wide(acc, row);
}
