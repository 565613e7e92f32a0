//! The fill specification: each pixel's first `write` channels become
//! `values`.

use super::{Pattern, SpanRows};
use crate::frame::Sample;

/// Writes `values` into the first `write` channels of each pixel of `dst`
/// (`channels` samples per pixel).
#[inline(always)]
pub(crate) fn fill<T: Sample>(dst: &mut [T], values: &[u16; 4], channels: usize, write: usize) {
    let v = values.map(|v| T::from_u32(u32::from(v)));
    if channels <= 1 {
        dst.fill(v[0]);
        return;
    }
    let write = write.min(channels);
    for px in dst.chunks_exact_mut(channels) {
        px[..write].copy_from_slice(&v[..write]);
    }
}

/// [`fill`] with `pattern` over every masked span of `rows` in `data`.
#[inline(always)]
pub(crate) fn fill_rows<T: Sample>(data: &mut [T], rows: SpanRows<'_>, pattern: &Pattern) {
    rows.for_each(data, |dst| {
        fill(dst, &pattern.values, pattern.channels, pattern.write);
    });
}
