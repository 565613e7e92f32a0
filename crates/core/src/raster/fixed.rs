//! Fixed-point pixel coordinates and exact integer rounding.
//!
//! Pixel space is measured in [`ONE`]ths of a pixel (1/256) in `i64`. A
//! validated polygon has normalized coordinates within `-1..=2` and a frame
//! side is at most 32768 pixels, so a snapped coordinate stays within
//! ±2^24 and every product the rasterizer forms (two coordinates or
//! differences) within ±2^51: no overflow.

/// Fractional bits of a fixed-point coordinate.
pub(crate) const FRAC_BITS: u32 = 8;
/// One pixel in fixed point.
pub(crate) const ONE: i64 = 1 << FRAC_BITS;
/// Half a pixel in fixed point (pixel centres sit on it exactly).
pub(crate) const HALF: i64 = ONE / 2;

/// A normalized coordinate scaled to a side of `side` pixels and rounded to
/// the nearest 1/256 pixel.
pub(crate) fn snap(normalized: f64, side: u32) -> i64 {
    // `as` saturates (and maps NaN to 0), so even unvalidated input cannot
    // panic here; validated input is far inside i64.
    (normalized * f64::from(side) * ONE as f64).round() as i64
}

/// `floor(num / den)` for `den > 0`.
pub(crate) fn floor_div(num: i64, den: i64) -> i64 {
    num.div_euclid(den)
}

/// `ceil(num / den)` for `den > 0`.
#[cfg(test)]
pub(crate) fn ceil_div(num: i64, den: i64) -> i64 {
    num.div_euclid(den) + i64::from(num.rem_euclid(den) != 0)
}

/// The pixel column holding fixed-point `x` at its left: `floor(x / ONE)`.
pub(crate) const fn floor_px(x: i64) -> i64 {
    x >> FRAC_BITS
}

/// `ceil(x / ONE)`.
pub(crate) const fn ceil_px(x: i64) -> i64 {
    -((-x) >> FRAC_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_exact_for_negative_values() {
        assert_eq!(floor_div(-1, 3), -1);
        assert_eq!(ceil_div(-1, 3), 0);
        assert_eq!(floor_div(-3, 3), -1);
        assert_eq!(ceil_div(-3, 3), -1);
        assert_eq!(ceil_div(4, 3), 2);
        assert_eq!(floor_px(-1), -1);
        assert_eq!(ceil_px(-1), 0);
        assert_eq!(floor_px(256), 1);
        assert_eq!(ceil_px(256), 1);
        assert_eq!(ceil_px(257), 2);
    }

    #[test]
    fn snapping_recovers_grid_points() {
        // k/256 px in a 7-pixel frame, through normalized coordinates.
        for k in -1792..=3584 {
            let norm = k as f64 / (256.0 * 7.0);
            assert_eq!(snap(norm, 7), k);
        }
        assert_eq!(snap(f64::NAN, 7), 0);
    }
}
