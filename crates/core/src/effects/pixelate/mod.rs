//! Pixelate: a grid of `bw × bh` blocks anchored at the plane's origin;
//! each block touched by the mask shows, in its masked samples only, the
//! rounded mean `(sum + n/2) / n` of all its samples (clipped to the
//! plane), per channel.
//!
//! The block sums are column sums over the block's rows (the SIMD part:
//! `acc[i] += row[i]`), then reduced per block.

pub(crate) mod scalar;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "aarch64")]
mod neon;
#[cfg(target_arch = "x86_64")]
mod sse41;

use super::{Isa, Kernel};
use crate::cpu::CpuLevel;
use crate::mask::SpanMask;

/// `acc[i] += row[i]` over the shorter of the two (8-bit samples).
pub(crate) fn accumulate_u8(isa: Isa, acc: &mut [u16], row: &[u8]) {
    let n = acc.len().min(row.len());
    let (acc, row) = (&mut acc[..n], &row[..n]);
    #[cfg(feature = "check-simd")]
    let expected = {
        let mut copy = acc.to_vec();
        scalar::accumulate(&mut copy, row);
        copy
    };
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::accumulate(acc, row) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::accumulate(acc, row) },
        #[cfg(target_arch = "aarch64")]
        // SAFETY: an `Isa` at NEON exists only when the CPU supports NEON.
        CpuLevel::Neon => unsafe { neon::accumulate(acc, row) },
        _ => scalar::accumulate(acc, row),
    }
    #[cfg(feature = "check-simd")]
    assert_eq!(
        acc,
        &expected[..],
        "accumulate at {} differs from scalar",
        isa.level()
    );
}

/// `acc[i] += row[i]` over the shorter of the two (16-bit samples): the
/// scalar code compiled for the level's registers.
pub(crate) fn accumulate_u16(isa: Isa, acc: &mut [u32], row: &[u16]) {
    let n = acc.len().min(row.len());
    let (acc, row) = (&mut acc[..n], &row[..n]);
    match isa.level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at AVX2 exists only when the CPU supports AVX2.
        CpuLevel::Avx2 => unsafe { avx2::accumulate_u16(acc, row) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa` at SSE4.1 exists only when the CPU supports it.
        CpuLevel::Sse41 => unsafe { sse41::accumulate_u16(acc, row) },
        _ => scalar::accumulate_wide(acc, row),
    }
}

/// The blocks of one plane and which of its samples to write.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Blocks<'a> {
    /// The plane's mask.
    pub(crate) mask: &'a SpanMask,
    /// Block width in plane pixels (≥ 1).
    pub(crate) bw: usize,
    /// Block height in plane rows (≥ 1).
    pub(crate) bh: usize,
    /// Samples per pixel.
    pub(crate) channels: usize,
    /// Channels written (alpha is not).
    pub(crate) write: usize,
}

/// Working memory of one band, kept between frames.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch<A, T> {
    touched: Vec<bool>,
    acc: Vec<A>,
    sums: Vec<u32>,
    means: Vec<[u16; 4]>,
    /// The block row's output samples over the run, when every channel is
    /// written: masked spans are copied from it whole.
    template: Vec<T>,
}

/// A band of a plane: `rows` rows from plane row `y0` (a multiple of the
/// block height), `data[i * stride..]` being row `y0 + i`.
#[derive(Debug)]
pub(crate) struct Band<'a, T> {
    pub(crate) data: &'a mut [T],
    pub(crate) stride: usize,
    pub(crate) width: usize,
    pub(crate) plane_height: usize,
    pub(crate) y0: usize,
    pub(crate) rows: usize,
}

/// Pixelates the masked samples of `band`.
pub(crate) fn pixelate_band<T: Kernel>(
    isa: Isa,
    band: Band<'_, T>,
    blocks: Blocks<'_>,
    scratch: &mut Scratch<T::Acc, T>,
) {
    let Blocks { mask, bw, bh, .. } = blocks;
    let (bw, bh) = (bw.max(1), bh.max(1));
    let blocks = Blocks { bw, bh, ..blocks };
    let width = band.width;
    let mut rows = Rows {
        data: band.data,
        stride: band.stride,
        y0: band.y0,
    };
    let blocks_x = width.div_ceil(bw);
    let y_end = (band.y0 + band.rows).min(band.plane_height);
    let mut ya = band.y0;
    while ya < y_end {
        // The whole block row, even past the band's end (it never is:
        // bands are multiples of `bh`), clipped to the plane.
        let yb = (ya + bh).min(band.plane_height);
        let rows_in_band = (ya..yb.min(y_end)).len();
        scratch.touched.clear();
        scratch.touched.resize(blocks_x, false);
        let mut any = false;
        for y in ya..yb {
            for s in mask.row(y as u32) {
                let (a, b) = (s.start as usize / bw, (s.end as usize - 1) / bw);
                scratch.touched[a..=b.min(blocks_x - 1)].fill(true);
                any = true;
            }
        }
        if any {
            let mut bx = 0;
            while bx < blocks_x {
                if !scratch.touched[bx] {
                    bx += 1;
                    continue;
                }
                let start = bx;
                while bx < blocks_x && scratch.touched[bx] {
                    bx += 1;
                }
                let run = Run {
                    bx: (start, bx),
                    y: (ya, yb),
                    rows_in_band,
                    width,
                };
                block_run::<T>(isa, &mut rows, run, blocks, scratch);
            }
        }
        ya = yb;
    }
}

/// The rows of a band as a view that indexes by plane row.
struct Rows<'b, T> {
    data: &'b mut [T],
    stride: usize,
    y0: usize,
}

impl<T> Rows<'_, T> {
    fn row(&self, y: usize, from: usize, to: usize) -> &[T] {
        let base = (y - self.y0) * self.stride;
        &self.data[base + from..base + to]
    }
    fn row_mut(&mut self, y: usize, from: usize, to: usize) -> &mut [T] {
        let base = (y - self.y0) * self.stride;
        &mut self.data[base + from..base + to]
    }
}

/// A run of touched blocks in one block row.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// Block columns `bx.0..bx.1`.
    bx: (usize, usize),
    /// The block row's plane rows `y.0..y.1`.
    y: (usize, usize),
    /// How many of those rows belong to the band (the rest are only read).
    rows_in_band: usize,
    /// Plane width in pixels.
    width: usize,
}

/// Computes the means of blocks `bx.0..bx.1` of block row `y.0..y.1` and
/// writes them into the masked samples.
fn block_run<T: Kernel>(
    isa: Isa,
    rows: &mut Rows<'_, T>,
    run: Run,
    blocks: Blocks<'_>,
    scratch: &mut Scratch<T::Acc, T>,
) {
    let Run {
        bx,
        y,
        rows_in_band,
        width,
    } = run;
    let Blocks {
        mask,
        bw,
        bh: _,
        channels: ch,
        write,
    } = blocks;
    let (ya, yb) = y;
    let xa = bx.0 * bw;
    let xb = (bx.1 * bw).min(width);
    let cols = (xb - xa) * ch;
    let nblocks = bx.1 - bx.0;
    scratch.sums.clear();
    scratch.sums.resize(nblocks * ch, 0);
    scratch.acc.resize(cols, T::Acc::default());
    let mut group = ya;
    while group < yb {
        let group_end = (group + T::ACC_ROWS).min(yb);
        scratch.acc.fill(T::Acc::default());
        for yy in group..group_end {
            T::accumulate(isa, &mut scratch.acc, rows.row(yy, xa * ch, xb * ch));
        }
        for (j, block) in scratch.acc.chunks(bw * ch).enumerate() {
            // Sum in registers: adding into `sums` in memory element by
            // element would chain every add through a store.
            let mut local = [0u32; 4];
            if ch == 1 {
                local[0] = block.iter().map(|&a| a.into()).sum();
            } else {
                for px in block.chunks_exact(ch) {
                    for (l, &a) in local.iter_mut().zip(px) {
                        *l += a.into();
                    }
                }
            }
            for (s, l) in scratch.sums[j * ch..(j + 1) * ch].iter_mut().zip(local) {
                *s += l;
            }
        }
        group = group_end;
    }
    scratch.means.clear();
    let block_rows = (yb - ya) as u32;
    for j in 0..nblocks {
        let x0 = xa + j * bw;
        let n = ((x0 + bw).min(xb) - x0) as u32 * block_rows;
        let mut mean = [0u16; 4];
        for (m, &sum) in mean.iter_mut().zip(&scratch.sums[j * ch..(j + 1) * ch]) {
            *m = ((sum + n / 2) / n) as u16;
        }
        scratch.means.push(mean);
    }
    // Write the means into the masked samples of the band's rows.
    if write == ch {
        // Lay the block row out once, then copy whole spans.
        scratch.template.clear();
        for (j, mean) in scratch.means.iter().enumerate() {
            let x0 = xa + j * bw;
            let px = (x0 + bw).min(xb) - x0;
            let value = mean.map(|v| T::from_u32(u32::from(v)));
            if ch == 1 {
                let len = scratch.template.len();
                scratch.template.resize(len + px, value[0]);
            } else {
                for _ in 0..px {
                    scratch.template.extend_from_slice(&value[..ch]);
                }
            }
        }
        for yy in ya..ya + rows_in_band {
            for s in mask.row(yy as u32) {
                let (x, end) = ((s.start as usize).max(xa), (s.end as usize).min(xb));
                if x < end {
                    let from = (x - xa) * ch;
                    rows.row_mut(yy, x * ch, end * ch)
                        .copy_from_slice(&scratch.template[from..from + (end - x) * ch]);
                }
            }
        }
        return;
    }
    for yy in ya..ya + rows_in_band {
        for s in mask.row(yy as u32) {
            let (mut x, end) = ((s.start as usize).max(xa), (s.end as usize).min(xb));
            while x < end {
                let j = (x - xa) / bw;
                let seg_end = (xa + (j + 1) * bw).min(end);
                super::fill::scalar::fill(
                    rows.row_mut(yy, x * ch, seg_end * ch),
                    &scratch.means[j],
                    ch,
                    write,
                );
                x = seg_end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Widths hitting every tail of 8-, 16- and 32-lane loops, at odd
    /// offsets into both slices.
    const WIDTHS: [usize; 10] = [1, 9, 17, 25, 33, 41, 49, 57, 65, 200];

    #[test]
    fn every_level_accumulates_like_scalar() {
        let row8: Vec<u8> = (0..260).map(|i| (i * 7919 % 251) as u8).collect();
        let row16: Vec<u16> = (0..260).map(|i| (i * 7919 % 1021) as u16).collect();
        for level in CpuLevel::supported() {
            let isa = Isa::new(level);
            for width in WIDTHS {
                for offset in [0, 3] {
                    let mut want: Vec<u16> = (0..width).map(|i| i as u16 * 3).collect();
                    let mut got = want.clone();
                    scalar::accumulate(&mut want, &row8[offset..offset + width]);
                    accumulate_u8(isa, &mut got, &row8[offset..offset + width]);
                    assert_eq!(got, want, "{level} u8 width {width} +{offset}");

                    let mut want: Vec<u32> = (0..width).map(|i| i as u32 * 5).collect();
                    let mut got = want.clone();
                    scalar::accumulate_wide(&mut want, &row16[offset..offset + width]);
                    accumulate_u16(isa, &mut got, &row16[offset..offset + width]);
                    assert_eq!(got, want, "{level} u16 width {width} +{offset}");
                }
            }
        }
    }
}
