//! Fill with SSE4.1, span by span: a memset of one register when the
//! pattern is a single byte value; otherwise one unaligned 16-byte store at
//! the span's start, aligned stores of whole 96-byte periods from six
//! registers loaded once at the phase of the first aligned byte, and the
//! last 16 bytes unaligned, overlapping what came before. No byte loop
//! remains but for spans under 16 bytes.

use std::arch::x86_64::*;

use super::{fill_short, Pattern, SpanRows, PERIOD};

/// Writes `pattern` into the masked spans of `rows`, like
/// [`super::scalar::fill_rows`]: a memset of one splatted register when
/// the pattern is one byte repeated, else the periodic pattern.
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
pub(super) unsafe fn fill_rows(data: &mut [u8], rows: SpanRows<'_>, pattern: &Pattern) {
    if pattern.uniform {
        let v = _mm_set1_epi8(pattern.bytes[0] as i8);
        if rows.channels == 1 {
            // One channel known here, so the walk's offsets need no multiply
            // (6 % fewer instructions for a 1080p yuv420p fill).
            let rows = SpanRows {
                channels: 1,
                ..rows
            };
            // SAFETY: this function runs only where SSE4.1 is supported.
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
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
#[inline]
unsafe fn splat(dst: &mut [u8], v: __m128i) {
    let n = dst.len();
    let out = dst.as_mut_ptr();
    if n < 16 {
        dst.fill(_mm_extract_epi8::<0>(v) as u8);
        return;
    }
    let last = n - 16;
    // SAFETY: the unaligned stores cover `0..16` and `last..n` of `dst`
    // (`n >= 16`). The aligned ones start at offsets `i` from the first
    // 16-byte boundary after `out` (so at aligned addresses), each with
    // `i < last`, so they end by `n`: all inside `dst`.
    unsafe {
        _mm_storeu_si128(out.cast(), v);
        let mut i = 16 - (out as usize & 15);
        while i + 48 < last {
            for k in 0..4 {
                _mm_store_si128(out.add(i + 16 * k).cast(), v);
            }
            i += 64;
        }
        while i < last {
            _mm_store_si128(out.add(i).cast(), v);
            i += 16;
        }
        _mm_storeu_si128(out.add(last).cast(), v);
    }
}

/// [`super::scalar::fill_rows`] for 16-bit samples, compiled with SSE4.1
/// (the same integer code, vectorized by the compiler).
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
pub(super) unsafe fn fill_rows_u16(data: &mut [u16], rows: SpanRows<'_>, pattern: &Pattern) {
    super::scalar::fill_rows(data, rows, pattern);
}

/// Writes `pattern` into `dst`, like [`super::scalar::fill`]; `dst` starts
/// at a pixel boundary.
///
/// # Safety
/// The CPU must support SSE4.1.
#[target_feature(enable = "sse4.1")]
#[inline]
unsafe fn fill(dst: &mut [u8], pattern: &Pattern) {
    let n = dst.len();
    if n < 16 {
        fill_short(dst, pattern);
        return;
    }
    let out = dst.as_mut_ptr();
    let src = pattern.bytes.as_ptr();
    let keep = pattern.keep.as_ptr();
    let blend = pattern.blend;
    // The 16 bytes at offset `at`, whose phase in the period is `phase`.
    let store = |at: usize, phase: usize| {
        // SAFETY: callers pass `at + 16 <= n` and `phase < PERIOD`, so the
        // store lies in `dst` and the loads in `bytes` and `keep` (two
        // periods long). Unaligned accesses. Bytes written twice get the
        // same value; a blend rewrites only pattern bytes, so overlapping
        // stores are harmless.
        unsafe {
            let p = out.add(at).cast::<__m128i>();
            let v = _mm_loadu_si128(src.add(phase).cast());
            let v = if blend {
                _mm_blendv_epi8(
                    _mm_loadu_si128(p),
                    v,
                    _mm_loadu_si128(keep.add(phase).cast()),
                )
            } else {
                v
            };
            _mm_storeu_si128(p, v);
        }
    };
    store(0, 0);
    // The first 16-byte boundary after the start: 1..=16 bytes in, which is
    // also its phase.
    let head = 16 - (out as usize & 15);
    let mut i = head;
    // SAFETY: the register loads read `bytes` and `keep` at
    // `head .. head + 96 <= 112` (of 192). Every store covers
    // `i..i + 16 <= n` at an address `out + i` that is 16-byte aligned
    // (`i - head` is a multiple of 16), as the aligned accesses need.
    unsafe {
        let v = [0, 16, 32, 48, 64, 80].map(|k| _mm_loadu_si128(src.add(head + k).cast()));
        let m = [0, 16, 32, 48, 64, 80].map(|k| _mm_loadu_si128(keep.add(head + k).cast()));
        let put = |at: usize, k: usize| {
            let p = out.add(at).cast::<__m128i>();
            let w = if blend {
                _mm_blendv_epi8(_mm_load_si128(p), v[k], m[k])
            } else {
                v[k]
            };
            _mm_store_si128(p, w);
        };
        while i + PERIOD <= n {
            for k in 0..6 {
                put(i + 16 * k, k);
            }
            i += PERIOD;
        }
        for k in 0..5 {
            if i + 16 > n {
                break;
            }
            put(i, k);
            i += 16;
        }
    }
    if i < n {
        let at = n - 16;
        store(at, at % PERIOD);
    }
}
