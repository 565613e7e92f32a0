//! Blur: three vertical box passes, then three horizontal ones, each
//! rounded to the sample type (see [`scalar::vbox`], the specification),
//! clamping to the plane's edges. Radii of 6 and more (on either axis) are
//! blurred at reduced resolution, see [`reduced`] for the exact definition:
//! average down by a power of two `f ≈ r / 3`, the same three-pass blur at
//! radius `r / f`, bilinear back up; about `1 / f²` of the work, and with
//! `f = 1` identical to the full-resolution blur.
//!
//! Only the mask's bounding box and its reach is computed (see [`full`]
//! and [`reduced`]); the passes themselves are in [`passes`]. Only masked
//! samples are written back.

pub(crate) mod full;
mod passes;
pub(crate) mod reduced;
pub(crate) mod scalar;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "aarch64")]
mod neon;
#[cfg(target_arch = "x86_64")]
mod sse41;

use super::par::Par;
use super::{Divisor, Isa, Kernel};
use crate::cpu::CpuLevel;
use crate::frame::PlaneMut;
use crate::mask::{Rect, SpanMask};

/// The geometry of one column box pass (see [`scalar::vbox`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct VParams {
    /// Samples between source rows.
    pub(crate) src_stride: usize,
    /// Samples between destination rows.
    pub(crate) dst_stride: usize,
    /// Columns.
    pub(crate) width: usize,
    /// Source rows: reads clamp to `0..rows`.
    pub(crate) rows: usize,
    /// Output rows `out.0..out.1`.
    pub(crate) out: (usize, usize),
    /// Radius and reciprocal.
    pub(crate) div: Divisor,
}

/// One column box pass over 8-bit samples at `isa`.
pub(crate) fn vbox_u8(isa: Isa, src: &[u8], dst: &mut [u8], acc: &mut [u32], p: VParams) {
    #[cfg(feature = "check-simd")]
    let expected = {
        let mut copy = dst.to_vec();
        let mut acc = vec![0; p.width];
        scalar::vbox(src, &mut copy, &mut acc, p);
        copy
    };
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::vbox(src, dst, acc, p) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::vbox(src, dst, acc, p) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: an `Isa` at NEON exists only when the CPU supports NEON.
        CpuLevel::Neon => unsafe { neon::vbox(src, dst, acc, p) },
        _ => scalar::vbox(src, dst, acc, p),
    }
    #[cfg(feature = "check-simd")]
    assert_eq!(
        dst,
        &expected[..],
        "box pass at {} differs from scalar",
        isa.level()
    );
}

/// One column box pass over 16-bit samples at `isa`: the scalar code
/// compiled for the level's registers.
pub(crate) fn vbox_u16(isa: Isa, src: &[u16], dst: &mut [u16], acc: &mut [u32], p: VParams) {
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::vbox_u16(src, dst, acc, p) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::vbox_u16(src, dst, acc, p) },
        _ => scalar::vbox(src, dst, acc, p),
    }
}

/// Transposes a 16 × 16 tile of bytes at `isa`.
pub(crate) fn transpose16_u8(isa: Isa, src: &[u8], ss: usize, dst: &mut [u8], ds: usize) {
    #[cfg(feature = "check-simd")]
    let expected = {
        let mut copy = dst.to_vec();
        scalar::transpose16(src, ss, &mut copy, ds);
        copy
    };
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 or above exists only when the CPU
        // supports SSE4.1.
        CpuLevel::Sse41 | CpuLevel::Avx2 => unsafe { sse41::transpose16(src, ss, dst, ds) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: an `Isa` at NEON exists only when the CPU supports NEON.
        CpuLevel::Neon => unsafe { neon::transpose16(src, ss, dst, ds) },
        _ => scalar::transpose16(src, ss, dst, ds),
    }
    #[cfg(feature = "check-simd")]
    assert_eq!(
        dst,
        &expected[..],
        "transpose at {} differs from scalar",
        isa.level()
    );
}

/// Sums of whole groups of `f` bytes at `isa`, see
/// [`scalar::group_sums`].
pub(crate) fn group_sums_u8(isa: Isa, row: &[u8], f: usize, out: &mut [u32]) {
    #[cfg(feature = "check-simd")]
    let expected = {
        let mut copy = out.to_vec();
        scalar::group_sums(row, f, &mut copy);
        copy
    };
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::group_sums(row, f, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::group_sums(row, f, out) },
        _ => scalar::group_sums(row, f, out),
    }
    #[cfg(feature = "check-simd")]
    assert_eq!(
        out,
        &expected[..],
        "group sums at {} differ from scalar",
        isa.level()
    );
}

/// One plane's share of a blur layer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlurPlane<'a> {
    /// The plane's mask.
    pub(crate) mask: &'a SpanMask,
    /// The box of the mask to blur: its bounding box or one of its
    /// [`clusters`].
    pub(crate) bbox: Rect,
    /// Horizontal radius in plane pixels (≥ 1).
    pub(crate) rx: usize,
    /// Vertical radius in plane rows (≥ 1).
    pub(crate) ry: usize,
    /// Channels written (alpha is not).
    pub(crate) write: usize,
}

/// Working memory kept between frames.
#[derive(Debug, Default)]
pub(crate) struct Scratch<T> {
    full: full::Scratch<T>,
    reduced: reduced::Scratch<T>,
}

/// How far, in plane pixels, a blur of radius `r` reads beyond the box it
/// computes (the gap [`clusters`] must keep between boxes).
pub(crate) fn cluster_gap(r: u32) -> u32 {
    u32::try_from(reduced::reach(r as usize)).unwrap_or(u32::MAX)
}

/// Most separate regions one blur plane is split into; beyond this the
/// mask's bounding box is used whole.
const MAX_CLUSTERS: usize = 64;

/// Splits the masked pixels of `mask` into boxes that a blur of reach
/// `gx × gy` (three passes: `3r`) can compute independently: no box's
/// reach touches another box. Every masked pixel lies in exactly one box,
/// and every span lies wholly in one box.
pub(crate) fn clusters(mask: &SpanMask, gx: u32, gy: u32) -> Vec<Rect> {
    let near = |a: &Rect, b: &Rect| {
        a.x0 < b.x1.saturating_add(gx)
            && b.x0 < a.x1.saturating_add(gx)
            && a.y0 < b.y1.saturating_add(gy)
            && b.y0 < a.y1.saturating_add(gy)
    };
    let merge = |a: Rect, b: Rect| Rect {
        x0: a.x0.min(b.x0),
        y0: a.y0.min(b.y0),
        x1: a.x1.max(b.x1),
        y1: a.y1.max(b.y1),
    };
    let mut boxes: Vec<Rect> = Vec::new();
    for y in 0..mask.height() {
        for s in mask.row(y) {
            let mut b = Rect {
                x0: s.start,
                y0: y,
                x1: s.end,
                y1: y + 1,
            };
            while let Some(i) = boxes.iter().position(|o| near(o, &b)) {
                b = merge(b, boxes.swap_remove(i));
            }
            boxes.push(b);
            if boxes.len() > MAX_CLUSTERS {
                return mask.bounding_box().into_iter().collect();
            }
        }
    }
    // Growing boxes may have come within reach of earlier ones.
    let mut i = 0;
    while i < boxes.len() {
        match (i + 1..boxes.len()).find(|&j| near(&boxes[i], &boxes[j])) {
            Some(j) => {
                let other = boxes.swap_remove(j);
                boxes[i] = merge(boxes[i], other);
                i = 0;
            }
            None => i += 1,
        }
    }
    boxes.sort_by_key(|b| (b.y0, b.x0));
    boxes
}

/// Generic integer code (the reduced blur's resampling loops) that
/// [`compiled`] runs auto-vectorized for a level's registers: `run` is
/// inlined into a function compiled for the level, so the same bytes at
/// every level. (A closure would not do: it stays a function of its own,
/// compiled for the baseline.)
trait Compiled {
    /// Does the work; must be `#[inline(always)]`.
    fn run(self);
}

/// Runs `work` compiled for `isa`.
#[inline(always)]
fn compiled(isa: Isa, work: impl Compiled) {
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::compiled(work) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::compiled(work) },
        _ => work.run(),
    }
}

/// Blurs the masked samples of `job`'s box in `plane`: at reduced
/// resolution for radii of 6 and more, else at full resolution.
pub(crate) fn blur_plane<T: Kernel>(
    isa: Isa,
    par: Par,
    plane: &mut PlaneMut<'_, T>,
    job: BlurPlane<'_>,
    scratch: &mut Scratch<T>,
) {
    if reduced::applies(job.rx.max(1), job.ry.max(1)) {
        reduced::blur_plane(isa, par, plane, job, &mut scratch.reduced);
    } else {
        full::blur_plane(isa, par, plane, job, &mut scratch.full);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::Span;

    #[test]
    fn clusters_split_far_zones_and_keep_near_ones() {
        let rows = (0..100u32).map(|y| {
            let mut spans = vec![];
            if y < 20 {
                spans.push(Span::new(0, 10));
                spans.push(Span::new(50, 60));
            }
            if y >= 30 {
                spans.push(Span::new(14, 20));
            }
            spans
        });
        let mask = SpanMask::from_rows(100, 100, rows).unwrap();
        let c = clusters(&mask, 6, 6);
        assert_eq!(c.len(), 3, "{c:?}");
        // Reach 12 joins the left zones (x gap 4, y gap 10) but not x=50.
        let c = clusters(&mask, 12, 12);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(
            c.iter()
                .map(|r| u64::from(r.width()) * u64::from(r.height()))
                .max(),
            Some(20 * 100)
        );
    }

    #[test]
    fn every_level_transposes_like_scalar() {
        let src: Vec<u8> = (0..40 * 20).map(|i| (i * 37 % 256) as u8).collect();
        let mut want = vec![0u8; 16 * 24];
        scalar::transpose16(&src, 40, &mut want, 24);
        assert_eq!(want[3 * 24 + 5], src[5 * 40 + 3]);
        for level in CpuLevel::supported() {
            let mut got = vec![0u8; 16 * 24];
            transpose16_u8(Isa::new(level), &src, 40, &mut got, 24);
            assert_eq!(got, want, "{level}");
        }
    }

    #[test]
    fn every_level_sums_groups_like_scalar() {
        let row: Vec<u8> = (0..1100).map(|i| (i * 7919 % 256) as u8).collect();
        for level in CpuLevel::supported() {
            let isa = Isa::new(level);
            for f in [1, 2, 3, 4, 8, 16] {
                for groups in (0..20).chain([31, 32, 33, 63, 64, 65]) {
                    for offset in [0, 1, 5] {
                        for extra in [0, 1, f - 1] {
                            let row = &row[offset..offset + groups * f + extra];
                            let mut want: Vec<u32> = (0..groups + 3).map(|i| i as u32).collect();
                            let mut got = want.clone();
                            scalar::group_sums(row, f, &mut want);
                            group_sums_u8(isa, row, f, &mut got);
                            assert_eq!(got, want, "{level} f {f} groups {groups} +{offset}");
                            if groups > 0 {
                                let first: u32 = row[..f].iter().map(|&v| u32::from(v)).sum();
                                assert_eq!(want[0], first);
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_level_matches_scalar_box_passes() {
        let (rows, stride) = (37, 80);
        let src: Vec<u8> = (0..rows * stride).map(|i| (i * 7919 % 251) as u8).collect();
        for level in CpuLevel::supported() {
            let isa = Isa::new(level);
            for width in [1, 7, 8, 9, 17, 25, 33, 41, 49, 57, 65, 80] {
                for r in [1, 2, 5, 24, 40, 63, 64, 70] {
                    for out in [(0, rows), (3, 20), (36, 37)] {
                        let p = VParams {
                            src_stride: stride,
                            dst_stride: stride,
                            width,
                            rows,
                            out,
                            div: Divisor::new(r),
                        };
                        let mut want = vec![1u8; rows * stride];
                        let mut got = want.clone();
                        let mut acc = vec![0; width];
                        scalar::vbox(&src, &mut want, &mut acc, p);
                        vbox_u8(isa, &src, &mut got, &mut acc, p);
                        assert_eq!(got, want, "{level} width {width} r {r} out {out:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_level_matches_scalar_sixteen_bit_box_passes() {
        let (rows, stride) = (37, 81);
        let src: Vec<u16> = (0..rows * stride)
            .map(|i| (i * 7919 % 1021) as u16)
            .collect();
        for level in CpuLevel::supported() {
            let isa = Isa::new(level);
            for width in [1, 9, 17, 25, 33, 41, 49, 57, 65, 80] {
                for r in [1, 2, 24, 64, 70] {
                    for out in [(0, rows), (3, 20), (36, 37)] {
                        for offset in [0, 1] {
                            let p = VParams {
                                src_stride: stride,
                                dst_stride: stride,
                                width,
                                rows: rows - 1,
                                out: (out.0.min(rows - 2), out.1.min(rows - 1)),
                                div: Divisor::new(r),
                            };
                            let mut want = vec![1u16; rows * stride];
                            let mut got = want.clone();
                            let mut acc = vec![0; width];
                            scalar::vbox(&src[offset..], &mut want[offset..], &mut acc, p);
                            vbox_u16(isa, &src[offset..], &mut got[offset..], &mut acc, p);
                            assert_eq!(got, want, "{level} width {width} r {r} out {out:?}");
                        }
                    }
                }
            }
        }
    }
}
