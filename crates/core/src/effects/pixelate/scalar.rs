//! The pixelate column-sum specification.

/// `acc[i] += row[i]` (wrapping; callers bound the rows so it never wraps).
pub(crate) fn accumulate(acc: &mut [u16], row: &[u8]) {
    for (a, &v) in acc.iter_mut().zip(row) {
        *a = a.wrapping_add(u16::from(v));
    }
}

/// `acc[i] += row[i]` for 16-bit samples (callers bound the rows so the
/// sums never wrap).
#[inline(always)]
pub(crate) fn accumulate_wide(acc: &mut [u32], row: &[u16]) {
    for (a, &v) in acc.iter_mut().zip(row) {
        *a = a.wrapping_add(u32::from(v));
    }
}
