//! The blur of small radii at full resolution: three vertical box passes,
//! then three horizontal ones, over the mask's box expanded by `3r`, and
//! the masked samples written back.
//!
//! Each pass reaches `r` further than the next needs, so the first pass
//! computes rows within `2r` of the box, the second within `r`, the third
//! only the box: values inside the box equal a whole-plane computation.

use super::passes::{self, Extent, Group, HScratch, VScratch, GROUP_ROWS};
use super::BlurPlane;
use crate::effects::par::{for_each2, Par};
use crate::effects::{Divisor, Isa, Kernel};
use crate::frame::PlaneMut;
use crate::mask::{Rect, SpanMask};

/// Working memory kept between frames.
#[derive(Debug, Default)]
pub(crate) struct Scratch<T> {
    strips: VScratch<T>,
    bands: Vec<HScratch<T>>,
}

/// Where one blur job reads and writes.
#[derive(Debug, Clone, Copy)]
struct Region {
    /// The box of output pixels (the job's box).
    bx: (usize, usize),
    by: (usize, usize),
    /// The box with its reach, clamped to the plane.
    rx: (usize, usize),
    ry: (usize, usize),
    divx: Divisor,
    divy: Divisor,
}

impl Region {
    fn new(width: usize, height: usize, job: &BlurPlane<'_>) -> Option<Self> {
        let Rect { x0, y0, x1, y1 } = job.bbox;
        let (bx0, by0, bx1, by1) = (x0 as usize, y0 as usize, x1 as usize, y1 as usize);
        let (divx, divy) = (
            Divisor::new(job.rx.max(1) as u32),
            Divisor::new(job.ry.max(1) as u32),
        );
        let (r_x, r_y) = (divx.r as usize, divy.r as usize);
        let rx = (bx0.saturating_sub(3 * r_x), (bx1 + 3 * r_x).min(width));
        let ry = (by0.saturating_sub(3 * r_y), (by1 + 3 * r_y).min(height));
        (rx.1 > rx.0 && ry.1 > ry.0 && by1 > by0 && bx1 > bx0).then_some(Self {
            bx: (bx0, bx1),
            by: (by0, by1),
            rx,
            ry,
            divx,
            divy,
        })
    }

    /// Output ranges of the three passes along one axis, relative to the
    /// region's start: the box widened by `2r`, `r`, then `0`.
    fn outs(b: (usize, usize), region: (usize, usize), r: usize) -> [(usize, usize); 3] {
        [2 * r, r, 0].map(|reach| {
            (
                b.0.saturating_sub(reach).max(region.0) - region.0,
                (b.1 + reach).min(region.1) - region.0,
            )
        })
    }
}

/// Blurs the masked samples of `job`'s box in `plane` (see the module
/// docs).
pub(crate) fn blur_plane<T: Kernel>(
    isa: Isa,
    par: Par,
    plane: &mut PlaneMut<'_, T>,
    job: BlurPlane<'_>,
    scratch: &mut Scratch<T>,
) {
    let g = plane.geometry();
    let (width, height, ch, stride) = (g.width(), g.height(), g.channels(), g.stride());
    let Some(region) = Region::new(width, height, &job) else {
        return;
    };
    let extent = Extent {
        pixels: region.rx.1 - region.rx.0,
        rows: region.ry.1 - region.ry.0,
        channels: ch,
    };
    let par = par.for_work(extent.pixels * extent.rows * ch);
    let Scratch { strips, bands } = scratch;
    let base = region.ry.0 * stride + region.rx.0 * ch;
    let outs = Region::outs(region.by, region.ry, region.divy.r as usize);
    let strips = passes::vertical(
        isa,
        par,
        (&plane.as_slice()[base..], stride),
        extent,
        outs,
        region.divy,
        strips,
    );

    // Horizontal passes by bands of groups of rows, written back as they
    // are done.
    let (by0, by1) = region.by;
    let out_rows = by1 - by0;
    let band_rows = par.band_rows(out_rows, GROUP_ROWS);
    let band_count = out_rows.div_ceil(band_rows);
    if bands.len() < band_count {
        bands.resize_with(band_count, HScratch::default);
    }
    let write = job.write.clamp(1, ch);
    let outs = Region::outs(region.bx, region.rx, region.divx.r as usize);
    let mask = job.mask;
    let data = &mut plane.as_mut_slice()[by0 * stride..];
    for_each2(
        par,
        data,
        band_rows * stride,
        bands,
        1,
        band_count,
        |i, rows, hs| {
            let y_start = by0 + i * band_rows;
            let y_end = (y_start + band_rows).min(by1);
            for gy in (y_start..y_end).step_by(GROUP_ROWS) {
                let n = GROUP_ROWS.min(y_end - gy);
                if !(gy..gy + n).any(|y| touches(mask, y, region.bx)) {
                    continue;
                }
                let first = gy - region.ry.0;
                let group = passes::horizontal(
                    isa,
                    &strips,
                    (first, n),
                    write,
                    outs,
                    region.divx,
                    &mut hs[0],
                );
                let rows = &mut rows[(gy - y_start) * stride..];
                write_group(
                    isa,
                    rows,
                    stride,
                    (gy, ch, write),
                    mask,
                    &region,
                    group,
                    outs[2],
                );
            }
        },
    );
}

/// Whether row `y` of `mask` has a span inside the box columns `bx`.
pub(super) fn touches(mask: &SpanMask, y: usize, bx: (usize, usize)) -> bool {
    mask.row(y as u32)
        .iter()
        .any(|s| (s.end as usize) > bx.0 && (s.start as usize) < bx.1)
}

/// Writes the masked samples of a blurred group of rows (plane row `gy`
/// is `rows[0..]`) back into the plane.
#[allow(clippy::too_many_arguments)]
fn write_group<T: Kernel>(
    isa: Isa,
    rows: &mut [T],
    stride: usize,
    (gy, ch, write): (usize, usize, usize),
    mask: &SpanMask,
    region: &Region,
    mut group: Group<'_, T>,
    out: (usize, usize),
) {
    let (bx0, bx1) = region.bx;
    let rx0 = region.rx.0;
    let n = group.n;
    if group.tiles(write) && ch == 1 {
        // One channel in a whole group: transpose the tiles back into rows
        // and copy spans.
        let seg = group.pixels;
        let w = group.rows(isa, out);
        for k in 0..n {
            let row = &mut rows[k * stride..];
            for span in mask.row((gy + k) as u32) {
                let (s0, s1) = (span.start as usize, span.end as usize);
                if s1 <= bx0 || s0 >= bx1 {
                    continue; // another cluster's
                }
                let from = k * seg + s0 - rx0;
                row[s0..s1].copy_from_slice(&w[from..from + (s1 - s0)]);
            }
        }
        return;
    }
    for k in 0..n {
        let row = &mut rows[k * stride..];
        for span in mask.row((gy + k) as u32) {
            let (s0, s1) = (span.start as usize, span.end as usize);
            if s1 <= bx0 || s0 >= bx1 {
                continue; // another cluster's
            }
            for x in s0..s1 {
                for c in 0..write {
                    row[x * ch + c] = group.get(k, x - rx0, c);
                }
            }
        }
    }
}
