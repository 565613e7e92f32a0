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
use crate::mask::SpanMask;
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
    /// Whether every byte of the period is written with the same value
    /// (one channel, or a grey of 8-bit channels): then SIMD stores one
    /// splatted register, a memset, whatever the phase.
    pub(crate) uniform: bool,
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
        let blend = write < channels;
        Self {
            values,
            channels,
            write,
            uniform: !blend && bytes.iter().all(|&b| b == bytes[0]),
            bytes,
            keep,
            blend,
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

/// A band of a plane's rows and the masked spans in them: plane row `y`
/// (`y0 <= y < y1`) starts at sample `(y - y0) * stride` of the band.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpanRows<'m> {
    /// The plane's mask.
    pub(crate) mask: &'m SpanMask,
    /// The band's first plane row.
    pub(crate) y0: usize,
    /// One past its last.
    pub(crate) y1: usize,
    /// Samples between rows.
    pub(crate) stride: usize,
    /// Samples per pixel.
    pub(crate) channels: usize,
}

impl SpanRows<'_> {
    /// Calls `f` with the samples of each masked span of the band's rows,
    /// in order. Inlined, so that each level's kernel runs the walk
    /// compiled for its own registers.
    #[inline(always)]
    pub(crate) fn for_each<T>(self, data: &mut [T], mut f: impl FnMut(&mut [T])) {
        let ch = self.channels;
        let mut base = 0;
        for row in self.mask.rows_in(self.y0, self.y1) {
            for s in row {
                f(&mut data[base + s.start as usize * ch..base + s.end as usize * ch]);
            }
            base += self.stride;
        }
    }
}

/// Writes `pattern` into the masked spans of `rows` in `data` (16-bit
/// samples) at `isa`: the scalar code compiled for the level's registers,
/// so the same samples.
pub(crate) fn fill_rows_u16(isa: Isa, data: &mut [u16], rows: SpanRows<'_>, pattern: &Pattern) {
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::fill_rows_u16(data, rows, pattern) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::fill_rows_u16(data, rows, pattern) },
        _ => scalar::fill_rows(data, rows, pattern),
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

/// Writes `pattern` into the masked spans of `rows` in `data` (8-bit
/// samples) at `isa`. The level's kernel walks the rows itself, so the
/// per-span cost is a few instructions, not a dispatch.
pub(crate) fn fill_rows_u8(isa: Isa, data: &mut [u8], rows: SpanRows<'_>, pattern: &Pattern) {
    #[cfg(feature = "check-simd")]
    let expected = {
        let mut copy = data.to_vec();
        scalar::fill_rows(&mut copy, rows, pattern);
        copy
    };
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::fill_rows(data, rows, pattern) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::fill_rows(data, rows, pattern) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: an `Isa` at NEON exists only when the CPU supports NEON.
        CpuLevel::Neon => unsafe { neon::fill_rows(data, rows, pattern) },
        _ => scalar::fill_rows(data, rows, pattern),
    }
    #[cfg(feature = "check-simd")]
    assert_eq!(
        data,
        &expected[..],
        "fill at {} differs from scalar",
        isa.level()
    );
}

/// The bytes of a span too short for a register (fewer than 16), written
/// from the start of the pattern's period.
#[inline(always)]
pub(crate) fn fill_short(dst: &mut [u8], pattern: &Pattern) {
    for (d, (&b, &k)) in dst.iter_mut().zip(pattern.bytes.iter().zip(&pattern.keep)) {
        if k != 0 {
            *d = b;
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

    /// A mask whose row `i` holds a span of `lengths[i]` pixels starting
    /// at a pixel that varies with `i`, and a second short span after it.
    fn span_mask(lengths: &[usize]) -> SpanMask {
        let width = lengths.iter().max().copied().unwrap_or(0) as u32 + 60;
        let rows = lengths.iter().enumerate().map(|(i, &len)| {
            let a = (i * 5 % 37) as u32;
            let b = a + len as u32;
            let mut spans = vec![];
            if len > 0 {
                spans.push(crate::mask::Span::new(a, b));
            }
            spans.push(crate::mask::Span::new(b + 1, b + 1 + (i % 19) as u32 + 1));
            spans
        });
        SpanMask::from_rows(width, lengths.len() as u32, rows).expect("mask")
    }

    /// Fills the rows of `mask` from row `y0` at `level` and in scalar, the
    /// band starting `offset` samples into the buffer (every alignment),
    /// and checks both give the same samples.
    fn check_rows<T: crate::frame::Sample + PartialEq>(
        mask: &SpanMask,
        pattern: &Pattern,
        y0: usize,
        offset: usize,
        run: impl Fn(&mut [T], SpanRows<'_>),
    ) -> bool {
        let ch = pattern.channels;
        let stride = mask.width() as usize * ch + 5;
        let len = offset + mask.height() as usize * stride;
        let mut got: Vec<T> = (0..len).map(|i| T::from_u32(i as u32 % 251)).collect();
        let mut want = got.clone();
        let rows = SpanRows {
            mask,
            y0,
            y1: mask.height() as usize,
            stride,
            channels: ch,
        };
        let band = offset + y0 * stride;
        run(&mut got[band..], rows);
        scalar::fill_rows(&mut want[band..], rows, pattern);
        got == want
    }

    #[test]
    fn every_level_fills_sixteen_bit_samples_like_scalar() {
        let mask = span_mask(&[1, 9, 17, 25, 33, 41, 49, 57, 65, 200, 0, 3]);
        for level in crate::cpu::CpuLevel::supported() {
            let isa = Isa::new(level);
            for (channels, write) in [(1, 1), (2, 2), (3, 3), (4, 3)] {
                let pattern = Pattern::new([1023, 512, 64, 7], channels, write);
                for (y0, offset) in [(0, 0), (0, 1), (0, 5), (3, 2), (3, 15)] {
                    let run = |d: &mut [u16], r: SpanRows<'_>| fill_rows_u16(isa, d, r, &pattern);
                    assert!(
                        check_rows(&mask, &pattern, y0, offset, run),
                        "{level} {channels}/{write} from row {y0} +{offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_level_fills_like_scalar() {
        // Every span length to 80 (each tail of 16- and 32-byte stores) and
        // several whole 96-byte periods, at every alignment of the band.
        let lengths: Vec<usize> = (0..80)
            .chain([95, 96, 97, 191, 192, 193, 289, 400])
            .collect();
        let mask = span_mask(&lengths);
        for level in crate::cpu::CpuLevel::supported() {
            let isa = Isa::new(level);
            // Distinct channels (the periodic pattern) and a grey (one byte
            // repeated: the memset).
            let layouts = [(1, 1), (2, 2), (3, 3), (4, 3)];
            let values = [[11, 22, 33, 44], [9, 9, 9, 9]];
            for ((channels, write), values) in
                layouts.into_iter().flat_map(|l| values.map(|v| (l, v)))
            {
                let pattern = Pattern::new(values, channels, write);
                let grey = values[..channels].iter().all(|&v| v == values[0]);
                assert_eq!(pattern.uniform, grey && write == channels);
                for offset in 0..33 {
                    for y0 in [0, 7] {
                        let run = |d: &mut [u8], r: SpanRows<'_>| fill_rows_u8(isa, d, r, &pattern);
                        assert!(
                            check_rows(&mask, &pattern, y0, offset, run),
                            "{level} {channels}/{write} {values:?} from row {y0} +{offset}"
                        );
                    }
                }
            }
        }
    }
}
