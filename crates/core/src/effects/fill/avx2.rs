//! Fill with AVX2, span by span: a memset of one register when the pattern
//! is a single byte value; otherwise one unaligned 32-byte store at the
//! span's start, aligned stores of whole 96-byte periods from three
//! registers loaded once at the phase of the first aligned byte, and the
//! last 32 bytes unaligned, overlapping what came before. No byte loop
//! remains but for spans under 16 bytes.

use std::arch::x86_64::*;

use super::{fill_short, Pattern, SpanRows, PERIOD};

/// Writes `pattern` into the masked spans of `rows`, like
/// [`super::scalar::fill_rows`]: a memset of one splatted register when
/// the pattern is one byte repeated, else the periodic pattern.
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn fill_rows(data: &mut [u8], rows: SpanRows<'_>, pattern: &Pattern) {
    if pattern.uniform {
        let v = _mm256_set1_epi8(pattern.bytes[0] as i8);
        if rows.channels == 1 {
            // One channel known here, so the walk's offsets need no multiply
            // (6 % fewer instructions for a 1080p yuv420p fill).
            let rows = SpanRows {
                channels: 1,
                ..rows
            };
            // SAFETY: this function runs only where AVX2 is supported.
            rows.for_each(data, |dst| unsafe { splat(dst, v) });
        } else {
            // SAFETY: as above.
            rows.for_each(data, |dst| unsafe { splat(dst, v) });
        }
    } else {
        // SAFETY: as above.
        rows.for_each(data, |dst| unsafe { fill(dst, pattern) });
    }
}

/// Writes the byte splatted in `v` into every byte of `dst`: unaligned
/// stores at both ends, aligned ones between.
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn splat(dst: &mut [u8], v: __m256i) {
    let n = dst.len();
    let out = dst.as_mut_ptr();
    if n < 32 {
        if n >= 16 {
            // SAFETY: `16 <= n < 32`: both stores lie in `dst`, unaligned.
            unsafe {
                _mm_storeu_si128(out.cast(), _mm256_castsi256_si128(v));
                _mm_storeu_si128(out.add(n - 16).cast(), _mm256_castsi256_si128(v));
            }
        } else {
            dst.fill(_mm256_extract_epi8::<0>(v) as u8);
        }
        return;
    }
    let last = n - 32;
    // SAFETY: the unaligned stores cover `0..32` and `last..n` of `dst`
    // (`n >= 32`). The aligned ones start at offsets `i` from the first
    // 32-byte boundary after `out` (so at aligned addresses), each with
    // `i < last`, so they end by `n`: all inside `dst`.
    unsafe {
        _mm256_storeu_si256(out.cast(), v);
        let mut i = 32 - (out as usize & 31);
        while i + 32 < last {
            _mm256_store_si256(out.add(i).cast(), v);
            _mm256_store_si256(out.add(i + 32).cast(), v);
            i += 64;
        }
        if i < last {
            _mm256_store_si256(out.add(i).cast(), v);
        }
        _mm256_storeu_si256(out.add(last).cast(), v);
    }
}

/// [`super::scalar::fill_rows`] for 16-bit samples, compiled with AVX2
/// (the same integer code, vectorized by the compiler).
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn fill_rows_u16(data: &mut [u16], rows: SpanRows<'_>, pattern: &Pattern) {
    super::scalar::fill_rows(data, rows, pattern);
}

/// Writes `pattern` into `dst`, like [`super::scalar::fill`]; `dst` starts
/// at a pixel boundary: one unaligned store at the start, aligned whole
/// periods from three registers, the last 32 bytes unaligned.
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn fill(dst: &mut [u8], pattern: &Pattern) {
    let n = dst.len();
    let out = dst.as_mut_ptr();
    let src = pattern.bytes.as_ptr();
    let keep = pattern.keep.as_ptr();
    let blend = pattern.blend;
    if n < 32 {
        // SAFETY: this function runs only where AVX2 is supported.
        unsafe { fill_under_32(dst, pattern) };
        return;
    }
    // The 32 bytes at offset `at`, whose phase in the period is `phase`.
    let store = |at: usize, phase: usize| {
        // SAFETY: callers pass `at + 32 <= n` and `phase < PERIOD`, so the
        // store lies in `dst` and the loads in `bytes` and `keep` (two
        // periods long). Unaligned accesses; see the overlap note above.
        unsafe {
            let p = out.add(at).cast::<__m256i>();
            let v = _mm256_loadu_si256(src.add(phase).cast());
            let v = if blend {
                _mm256_blendv_epi8(
                    _mm256_loadu_si256(p),
                    v,
                    _mm256_loadu_si256(keep.add(phase).cast()),
                )
            } else {
                v
            };
            _mm256_storeu_si256(p, v);
        }
    };
    store(0, 0);
    // The first 32-byte boundary after the start: 1..=32 bytes in, which is
    // also its phase (below one period).
    let head = 32 - (out as usize & 31);
    let mut i = head;
    // SAFETY: the register loads read `bytes` and `keep` at
    // `head .. head + 96 <= 128` (of 192). Every store covers
    // `i..i + 32 <= n` at an address `out + i` that is 32-byte aligned
    // (`i - head` is a multiple of 32), as the aligned accesses need.
    unsafe {
        let v = [0, 32, 64].map(|k| _mm256_loadu_si256(src.add(head + k).cast()));
        let m = [0, 32, 64].map(|k| _mm256_loadu_si256(keep.add(head + k).cast()));
        let put = |at: usize, k: usize| {
            let p = out.add(at).cast::<__m256i>();
            let w = if blend {
                _mm256_blendv_epi8(_mm256_load_si256(p), v[k], m[k])
            } else {
                v[k]
            };
            _mm256_store_si256(p, w);
        };
        while i + PERIOD <= n {
            put(i, 0);
            put(i + 32, 1);
            put(i + 64, 2);
            i += PERIOD;
        }
        if i + 32 <= n {
            put(i, 0);
            i += 32;
            if i + 32 <= n {
                put(i, 1);
                i += 32;
            }
        }
    }
    if i < n {
        let at = n - 32;
        store(at, at % PERIOD);
    }
}

/// [`fill`] for `dst` shorter than 32 bytes: the pattern bytes one by one
/// under 16, else two 16-byte stores.
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn fill_under_32(dst: &mut [u8], pattern: &Pattern) {
    let n = dst.len();
    let out = dst.as_mut_ptr();
    let src = pattern.bytes.as_ptr();
    let keep = pattern.keep.as_ptr();
    let blend = pattern.blend;
    if n < 16 {
        fill_short(dst, pattern);
        return;
    }
    // Two 16-byte stores, at 0 and at `n - 16` (its phase, below 16).
    // SAFETY: both stores lie in `dst` (`16 <= n < 32`); the pattern
    // loads read `bytes` and `keep` at most to byte 32 of 192. Bytes
    // written by both get the same value; a blend rewrites only pattern
    // bytes, so the overlap is harmless. Unaligned accesses.
    unsafe {
        for at in [0, n - 16] {
            let p = out.add(at).cast::<__m128i>();
            let v = _mm_loadu_si128(src.add(at).cast());
            let v = if blend {
                _mm_blendv_epi8(_mm_loadu_si128(p), v, _mm_loadu_si128(keep.add(at).cast()))
            } else {
                v
            };
            _mm_storeu_si128(p, v);
        }
    }
}
