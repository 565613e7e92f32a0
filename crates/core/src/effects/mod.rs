//! The redaction kernels: fill, pixelate and blur over one plane.
//!
//! Each kernel lives in its own directory: `scalar.rs` (always compiled, the
//! specification), `sse41.rs` and `avx2.rs` (x86-64, runtime-detected),
//! `neon.rs` (aarch64), and a `mod.rs` that dispatches by one `match` on the [`Isa`]. Intrinsics live
//! only in the arch files. 8-bit samples have hand-written SIMD kernels;
//! 16-bit samples (the 10-bit format) and the reduced-resolution blur run
//! the scalar code compiled with SSE4.1 or AVX2 enabled (integer code, so
//! the compiler's vectors give the same samples), and plain scalar on NEON.
//!
//! With the `check-simd` feature every SIMD call is repeated with the scalar
//! kernel and the outputs compared.

pub(crate) mod blur;
pub(crate) mod fill;
pub(crate) mod par;
pub(crate) mod pixelate;

use crate::cpu::CpuLevel;
use crate::frame::Sample;

pub use fill::yuv_from_rgb;

/// A CPU level proven supported by this machine: the only way to build one
/// is [`Isa::new`], which clamps to the supported levels. The SIMD
/// dispatchers rely on this to call `#[target_feature]` functions soundly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Isa(CpuLevel);

impl Isa {
    /// The highest supported level not above `level`.
    pub(crate) fn new(level: CpuLevel) -> Self {
        Self(level.clamp_supported())
    }

    /// The level.
    pub(crate) const fn level(self) -> CpuLevel {
        self.0
    }
}

/// Exact rounded division by `2r + 1` through a fixed-point reciprocal:
/// `div(sum) = (sum + r) / (2r + 1)` (round half up), computed as
/// `((sum + r) * m) >> s` with `m < 2^32` and `s = 32 + floor(log2(2r+1))`.
///
/// Exactness: with `e = m·d − 2^s < d`, the product is off from the true
/// quotient by `n·e / (d·2^s)`, which stays below `1/d` while
/// `n < 2^(32+l)/d`, i.e. for every `n < 2^22` (sums of up to 2049 samples
/// of 10 bits plus `r`). The unit tests check the boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Divisor {
    /// The box radius.
    pub(crate) r: u32,
    /// The reciprocal.
    pub(crate) m: u32,
    /// The shift, at least 32.
    pub(crate) s: u32,
    /// A 16-bit reciprocal `m16` and shift `k16` with
    /// `(n * m16) >> (16 + k16) == n / (2r + 1)` for every 8-bit box sum
    /// plus `r` (`n <= 255·d + r < 2^16`), when `small` says one exists.
    pub(crate) m16: u16,
    /// See `m16`.
    pub(crate) k16: u32,
    /// Whether `m16`/`k16` are exact for 8-bit sums (radius below 64).
    pub(crate) small: bool,
}

impl Divisor {
    /// The divisor for a box of radius `r` (1..=1024).
    pub(crate) fn new(r: u32) -> Self {
        let r = r.clamp(1, crate::style::Style::MAX_PARAMETER);
        let d = u64::from(2 * r + 1);
        let l = 63 - d.leading_zeros();
        let s = 32 + l;
        let m = (1u64 << s).div_ceil(d);
        // 16-bit variant: exact while n·e < 2^(16+l), e = m16·d − 2^(16+l),
        // for every n up to 255·d + r (the same argument as above).
        let m16 = (1u64 << (16 + l)).div_ceil(d);
        let e = m16 * d - (1u64 << (16 + l));
        let n_max = 255 * d + u64::from(r);
        let small =
            d < 128 && m16 < (1 << 16) && n_max < (1 << 16) && n_max * e < (1u64 << (16 + l));
        Self {
            r,
            m: u32::try_from(m).unwrap_or(u32::MAX),
            s,
            m16: u16::try_from(m16).unwrap_or(u16::MAX),
            k16: l,
            small,
        }
    }

    /// `(sum + r) / (2r + 1)`, exactly.
    #[inline(always)]
    pub(crate) fn div(self, sum: u32) -> u32 {
        ((u64::from(sum + self.r) * u64::from(self.m)) >> self.s) as u32
    }
}

/// Sample types with kernels: `u8` (SIMD) and `u16` (scalar).
pub(crate) trait Kernel: Sample {
    /// Accumulator for pixelate's column sums.
    type Acc: Copy + Default + Send + Sync + std::fmt::Debug + Into<u32>;
    /// How many rows the accumulator can sum without overflow.
    const ACC_ROWS: usize;
    /// Writes `pattern` to every masked pixel of `rows` in `data`.
    fn fill(isa: Isa, data: &mut [Self], rows: fill::SpanRows<'_>, pattern: &fill::Pattern);
    /// `acc[i] += row[i]`.
    fn accumulate(isa: Isa, acc: &mut [Self::Acc], row: &[Self]);
    /// One vertical box pass, see [`blur::scalar::vbox`].
    fn vbox(isa: Isa, src: &[Self], dst: &mut [Self], acc: &mut [u32], p: blur::VParams);
    /// Transposes a 16 × 16 tile, see [`blur::scalar::transpose16`].
    fn transpose16(isa: Isa, src: &[Self], ss: usize, dst: &mut [Self], ds: usize);
    /// Whether [`Kernel::group_sums`] has SIMD kernels: otherwise the
    /// reduced blur sums columns first, which the compiler vectorizes
    /// better than groups.
    const GROUP_SUMS: bool;
    /// Sums of whole groups of `f` samples, see [`blur::scalar::group_sums`].
    fn group_sums(isa: Isa, row: &[Self], f: usize, out: &mut [u32]);
}

impl Kernel for u8 {
    type Acc = u16;
    const ACC_ROWS: usize = 257;
    const GROUP_SUMS: bool = true;
    fn fill(isa: Isa, data: &mut [Self], rows: fill::SpanRows<'_>, pattern: &fill::Pattern) {
        fill::fill_rows_u8(isa, data, rows, pattern);
    }
    fn accumulate(isa: Isa, acc: &mut [u16], row: &[u8]) {
        pixelate::accumulate_u8(isa, acc, row);
    }
    fn vbox(isa: Isa, src: &[u8], dst: &mut [u8], acc: &mut [u32], p: blur::VParams) {
        blur::vbox_u8(isa, src, dst, acc, p);
    }
    fn transpose16(isa: Isa, src: &[u8], ss: usize, dst: &mut [u8], ds: usize) {
        blur::transpose16_u8(isa, src, ss, dst, ds);
    }
    fn group_sums(isa: Isa, row: &[u8], f: usize, out: &mut [u32]) {
        blur::group_sums_u8(isa, row, f, out);
    }
}

impl Kernel for u16 {
    type Acc = u32;
    const ACC_ROWS: usize = 4096;
    const GROUP_SUMS: bool = false;
    fn fill(isa: Isa, data: &mut [Self], rows: fill::SpanRows<'_>, pattern: &fill::Pattern) {
        fill::fill_rows_u16(isa, data, rows, pattern);
    }
    fn accumulate(isa: Isa, acc: &mut [u32], row: &[u16]) {
        pixelate::accumulate_u16(isa, acc, row);
    }
    fn vbox(isa: Isa, src: &[u16], dst: &mut [u16], acc: &mut [u32], p: blur::VParams) {
        blur::vbox_u16(isa, src, dst, acc, p);
    }
    fn transpose16(_: Isa, src: &[u16], ss: usize, dst: &mut [u16], ds: usize) {
        blur::scalar::transpose16(src, ss, dst, ds);
    }
    fn group_sums(_: Isa, row: &[u16], f: usize, out: &mut [u32]) {
        blur::scalar::group_sums(row, f, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_bit_divisor_is_exact_for_every_eight_bit_sum() {
        for r in 1..=63 {
            let div = Divisor::new(r);
            assert!(div.small, "r={r}");
            let d = 2 * r + 1;
            for n in 0..=255 * d + r {
                let q = (n * u32::from(div.m16)) >> (16 + div.k16);
                assert_eq!(q, n / d, "r={r} n={n}");
            }
        }
        assert!(!Divisor::new(64).small);
    }

    #[test]
    fn divisor_is_exact_at_every_quotient_boundary() {
        let radii = (1..=64).chain([95, 127, 128, 255, 256, 511, 700, 1000, 1023, 1024]);
        for r in radii {
            let div = Divisor::new(r);
            let d = 2 * r + 1;
            let max = 1023 * d; // largest 10-bit sum
            let mut q = 0;
            while q * d <= max + r {
                for n in [q * d, q * d + d - 1] {
                    if n >= r && n - r <= max {
                        assert_eq!(div.div(n - r), n / d, "r={r} n={n}");
                    }
                }
                q += 1;
            }
        }
    }
}
