//! Fill: every masked sample becomes the configured colour, converted once
//! to the frame's format, range, matrix and depth.

pub(crate) mod scalar;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "aarch64")]
mod neon;
#[cfg(target_arch = "x86_64")]
mod sse41;

use super::Isa;
use crate::cpu::CpuLevel;
use crate::frame::{ColorMatrix, ColorRange, PixelFormat};
use crate::style::Rgb;

/// Bytes in one period of a SIMD fill pattern: a multiple of 1, 2, 3 and 4
/// bytes per pixel and of 16 and 32 bytes per register.
pub(crate) const PERIOD: usize = 96;

/// What to write into each pixel of one plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pattern {
    /// The value of each channel, in the plane's channel order.
    pub(crate) values: [u16; 4],
    /// Samples per pixel.
    pub(crate) channels: usize,
    /// Channels written, from the first (3 for packed RGBA/BGRA: alpha is
    /// never written).
    pub(crate) write: usize,
    /// Two [`PERIOD`]s of the pattern from a pixel boundary (8-bit planes),
    /// so that a register-wide load at any phase stays inside.
    pub(crate) bytes: [u8; 2 * PERIOD],
    /// `0xff` where a byte of the period is written, `0` where it is kept.
    pub(crate) keep: [u8; 2 * PERIOD],
    /// Whether some bytes are kept (then SIMD blends instead of storing).
    pub(crate) blend: bool,
}

impl Pattern {
    /// A pattern of `channels` samples per pixel writing the first `write`.
    pub(crate) fn new(values: [u16; 4], channels: usize, write: usize) -> Self {
        let channels = channels.clamp(1, 4);
        let write = write.clamp(1, channels);
        let mut bytes = [0u8; 2 * PERIOD];
        let mut keep = [0u8; 2 * PERIOD];
        for (i, (b, k)) in bytes.iter_mut().zip(keep.iter_mut()).enumerate() {
            let c = i % channels;
            *b = values[c] as u8;
            *k = if c < write { 0xff } else { 0 };
        }
        Self {
            values,
            channels,
            write,
            bytes,
            keep,
            blend: write < channels,
        }
    }

    /// The patterns of each plane of `format` for a fill with `rgb`.
    pub(crate) fn for_planes(
        format: PixelFormat,
        range: ColorRange,
        matrix: ColorMatrix,
        rgb: Rgb,
    ) -> [Pattern; 3] {
        let (r, g, b) = (u16::from(rgb.r), u16::from(rgb.g), u16::from(rgb.b));
        let [y, u, v] = yuv_from_rgb(rgb, matrix, range, format.depth());
        let one = |value: u16| Pattern::new([value, 0, 0, 0], 1, 1);
        match format {
            PixelFormat::Rgb24 => [Pattern::new([r, g, b, 0], 3, 3), one(0), one(0)],
            PixelFormat::Bgr24 => [Pattern::new([b, g, r, 0], 3, 3), one(0), one(0)],
            PixelFormat::Rgba => [Pattern::new([r, g, b, 0], 4, 3), one(0), one(0)],
            PixelFormat::Bgra => [Pattern::new([b, g, r, 0], 4, 3), one(0), one(0)],
            PixelFormat::Nv12 => [one(y), Pattern::new([u, v, 0, 0], 2, 2), one(0)],
            _ => [one(y), one(u), one(v)],
        }
    }
}

/// Writes `pattern` into 16-bit samples at `isa`: the scalar code compiled
/// for the level's registers, so the same samples.
pub(crate) fn fill_u16(isa: Isa, dst: &mut [u16], pattern: &Pattern) {
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::fill_u16(dst, pattern) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::fill_u16(dst, pattern) },
        _ => scalar::fill(dst, &pattern.values, pattern.channels, pattern.write),
    }
}

/// The Y, Cb, Cr values of an sRGB colour at `depth` bits (8 or 10) for
/// `matrix` and `range`, in integer fixed point (16 fractional bits,
/// rounded half up, clamped to the sample range).
///
/// Limited range maps RGB 0–255 to Y 16–235 and chroma 16–240 (×4 at 10
/// bits); full range to 0–255 with chroma centred on 128 (0–1023 and 512 at
/// 10 bits).
#[must_use]
pub fn yuv_from_rgb(rgb: Rgb, matrix: ColorMatrix, range: ColorRange, depth: u32) -> [u16; 3] {
    let shift = depth.clamp(8, 16) - 8;
    let max = (1i64 << (8 + shift)) - 1;
    let (y_scale, y_off, c_scale, c_off) = match range {
        ColorRange::Limited => (
            219i64 << shift,
            16i64 << shift,
            224i64 << shift,
            128i64 << shift,
        ),
        ColorRange::Full => (max, 0, max, 128i64 << shift),
    };
    // Kr and Kb as fractions over `den`.
    let (kr, kb, den) = match matrix {
        ColorMatrix::Bt601 => (299i64, 114i64, 1000i64),
        ColorMatrix::Bt709 => (2126, 722, 10000),
    };
    let kg = den - kr - kb;
    let (r, g, b) = (i64::from(rgb.r), i64::from(rgb.g), i64::from(rgb.b));
    // round(num / den * scale / 255 * 2^16)
    let coef = |num: i64, den: i64, scale: i64| round_div(num * scale * 65536, den * 255);
    let apply = |cr: i64, cg: i64, cb: i64, off: i64| {
        let v = off + ((cr * r + cg * g + cb * b + 32768) >> 16);
        v.clamp(0, max) as u16
    };
    let y = apply(
        coef(kr, den, y_scale),
        coef(kg, den, y_scale),
        coef(kb, den, y_scale),
        y_off,
    );
    let cb_den = 2 * (den - kb);
    let u = apply(
        coef(-kr, cb_den, c_scale),
        coef(-kg, cb_den, c_scale),
        coef(den - kb, cb_den, c_scale),
        c_off,
    );
    let cr_den = 2 * (den - kr);
    let v = apply(
        coef(den - kr, cr_den, c_scale),
        coef(-kg, cr_den, c_scale),
        coef(-kb, cr_den, c_scale),
        c_off,
    );
    [y, u, v]
}

/// `num / den` rounded half away from zero (`den > 0`).
fn round_div(num: i64, den: i64) -> i64 {
    if num >= 0 {
        (num + den / 2) / den
    } else {
        -((-num + den / 2) / den)
    }
}

/// Writes `pattern` into every pixel of `dst` (8-bit samples).
pub(crate) fn fill_u8(isa: Isa, dst: &mut [u8], pattern: &Pattern) {
    #[cfg(feature = "check-simd")]
    let expected = {
        let mut copy = dst.to_vec();
        scalar::fill(&mut copy, &pattern.values, pattern.channels, pattern.write);
        copy
    };
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::fill(dst, pattern) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::fill(dst, pattern) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: an `Isa` at NEON exists only when the CPU supports NEON.
        CpuLevel::Neon => unsafe { neon::fill(dst, pattern) },
        _ => scalar::fill(dst, &pattern.values, pattern.channels, pattern.write),
    }
    #[cfg(feature = "check-simd")]
    assert_eq!(
        dst,
        &expected[..],
        "fill at {} differs from scalar",
        isa.level()
    );
}

/// The bytes of `dst` past the SIMD part, written from the pattern's
/// period starting at byte `phase` of the period.
pub(crate) fn fill_tail(dst: &mut [u8], pattern: &Pattern, phase: usize) {
    for (j, d) in dst.iter_mut().enumerate() {
        let k = (phase + j) % PERIOD;
        if pattern.keep[k] != 0 {
            *d = pattern.bytes[k];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(rgb: Rgb, matrix: ColorMatrix, range: ColorRange, depth: u32) -> [f64; 3] {
        let (kr, kb) = match matrix {
            ColorMatrix::Bt601 => (0.299, 0.114),
            ColorMatrix::Bt709 => (0.2126, 0.0722),
        };
        let (r, g, b) = (
            f64::from(rgb.r) / 255.0,
            f64::from(rgb.g) / 255.0,
            f64::from(rgb.b) / 255.0,
        );
        let y = kr * r + (1.0 - kr - kb) * g + kb * b;
        let cb = (b - y) / (2.0 * (1.0 - kb));
        let cr = (r - y) / (2.0 * (1.0 - kr));
        let k = f64::from(1u32 << (depth - 8));
        match range {
            ColorRange::Limited => [
                16.0 * k + 219.0 * k * y,
                128.0 * k + 224.0 * k * cb,
                128.0 * k + 224.0 * k * cr,
            ],
            ColorRange::Full => {
                let max = f64::from((1u32 << depth) - 1);
                [max * y, 128.0 * k + max * cb, 128.0 * k + max * cr]
            }
        }
    }

    #[test]
    fn fixed_point_matches_the_real_formula() {
        let max = |depth: u32| f64::from((1u32 << depth) - 1);
        for matrix in [ColorMatrix::Bt601, ColorMatrix::Bt709] {
            for range in [ColorRange::Limited, ColorRange::Full] {
                for depth in [8, 10] {
                    for r in (0..=255).step_by(5) {
                        for g in (0..=255).step_by(5) {
                            for b in (0..=255).step_by(5) {
                                let rgb = Rgb::new(r, g, b);
                                let got = yuv_from_rgb(rgb, matrix, range, depth);
                                let want = reference(rgb, matrix, range, depth);
                                for (got, want) in got.iter().zip(want) {
                                    let frac = want - want.floor();
                                    if (frac - 0.5).abs() < 0.02 {
                                        continue; // within fixed-point error of a tie
                                    }
                                    let want = want.round().clamp(0.0, max(depth));
                                    assert_eq!(
                                        f64::from(*got),
                                        want,
                                        "{rgb} {matrix:?} {range:?} {depth}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn known_colours() {
        let lim = ColorRange::Limited;
        let m = ColorMatrix::Bt709;
        assert_eq!(yuv_from_rgb(Rgb::BLACK, m, lim, 8), [16, 128, 128]);
        assert_eq!(
            yuv_from_rgb(Rgb::new(255, 255, 255), m, lim, 8),
            [235, 128, 128]
        );
        assert_eq!(
            yuv_from_rgb(Rgb::new(255, 255, 255), m, lim, 10),
            [940, 512, 512]
        );
        assert_eq!(yuv_from_rgb(Rgb::BLACK, m, lim, 10), [64, 512, 512]);
        assert_eq!(
            yuv_from_rgb(Rgb::new(128, 128, 128), m, ColorRange::Full, 8),
            [128, 128, 128]
        );
        assert_eq!(
            yuv_from_rgb(Rgb::new(0, 0, 255), ColorMatrix::Bt601, lim, 8)[1],
            240
        );
    }

    #[test]
    fn every_level_fills_sixteen_bit_samples_like_scalar() {
        for level in crate::cpu::CpuLevel::supported() {
            let isa = Isa::new(level);
            for (channels, write) in [(1, 1), (2, 2), (3, 3)] {
                let pattern = Pattern::new([1023, 512, 64, 0], channels, write);
                for pixels in [1, 9, 17, 25, 33, 41, 49, 57, 65, 200] {
                    for offset in [0, 1, 5] {
                        let len = pixels * channels;
                        let mut got: Vec<u16> = (0..len + 9).map(|i| i as u16).collect();
                        let mut want = got.clone();
                        let range = offset..offset + len;
                        fill_u16(isa, &mut got[range.clone()], &pattern);
                        scalar::fill(&mut want[range], &pattern.values, channels, write);
                        assert_eq!(got, want, "{level} {channels} {pixels} +{offset}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_level_fills_like_scalar() {
        for level in crate::cpu::CpuLevel::supported() {
            let isa = Isa::new(level);
            for (channels, write) in [(1, 1), (2, 2), (3, 3), (4, 3)] {
                let pattern = Pattern::new([11, 22, 33, 44], channels, write);
                // Every tail, and several whole 96-byte periods, at odd
                // offsets.
                for pixels in (0..80).chain([95, 96, 97, 191, 192, 193, 289, 400]) {
                    for offset in [0, 1, 7] {
                        let len = pixels * channels;
                        let mut got: Vec<u8> = (0..len + 15).map(|i| i as u8).collect();
                        let mut want = got.clone();
                        let range = offset..offset + len;
                        fill_u8(isa, &mut got[range.clone()], &pattern);
                        scalar::fill(&mut want[range], &pattern.values, channels, write);
                        assert_eq!(got, want, "{level} {channels} {pixels} +{offset}");
                    }
                }
            }
        }
    }
}
