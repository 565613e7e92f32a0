//! The three box passes along each axis, shared by the full-resolution and
//! the reduced blur.
//!
//! Vertical passes run down column strips of a region into strip buffers
//! of their own ([`vertical`]), so that strips are independent (and run in
//! parallel). Horizontal passes run on groups of up to [`GROUP_ROWS`] rows
//! of those strips, transposed so that the same column kernel (and its
//! SIMD) serves both directions ([`horizontal`]). Both only call
//! [`Kernel::vbox`], so their bytes are those of [`super::scalar::vbox`].

use super::VParams;
use crate::effects::par::{for_each3, Par};
use crate::effects::{Divisor, Isa, Kernel};

/// Pixels per column strip of the vertical passes.
pub(super) const STRIP_PIXELS: usize = 64;
/// Rows transposed together for the horizontal passes.
pub(super) const GROUP_ROWS: usize = 16;

/// A region of `pixels × rows` pixels of `channels` samples.
#[derive(Debug, Clone, Copy)]
pub(super) struct Extent {
    /// Pixels per row.
    pub(super) pixels: usize,
    /// Rows.
    pub(super) rows: usize,
    /// Samples per pixel.
    pub(super) channels: usize,
}

impl Extent {
    /// Samples per strip row.
    fn strip_w(self) -> usize {
        STRIP_PIXELS * self.channels
    }

    /// Samples per strip.
    fn strip_len(self) -> usize {
        self.rows * self.strip_w()
    }

    /// How many strips cover a row.
    fn strips(self) -> usize {
        self.pixels.div_ceil(STRIP_PIXELS)
    }
}

/// Working memory of the vertical passes.
#[derive(Debug, Default)]
pub(super) struct VScratch<T> {
    a: Vec<T>,
    b: Vec<T>,
    acc: Vec<u32>,
}

/// The region after the vertical passes, as column strips: strip `k`
/// holds pixels `64k .. 64k + 64` of every row, `strip_w` samples a row.
#[derive(Debug, Clone, Copy)]
pub(super) struct Strips<'s, T> {
    data: &'s [T],
    extent: Extent,
}

impl<T: Kernel> Strips<'_, T> {
    /// Where pixel `x` of row `y` is in `data`.
    fn offset(&self, y: usize, x: usize) -> usize {
        let (e, s) = (self.extent, x / STRIP_PIXELS);
        s * e.strip_len() + y * e.strip_w() + (x - s * STRIP_PIXELS) * e.channels
    }

    /// The samples of pixels `x0..x1` (within one strip) of row `y`.
    fn row(&self, y: usize, x0: usize, x1: usize) -> &[T] {
        let from = self.offset(y, x0);
        &self.data[from..from + (x1 - x0) * self.extent.channels]
    }
}

/// Three vertical box passes of `div` over the region of `extent` whose
/// row `y` starts at `src.0[y * src.1]`: the first pass writes rows
/// `outs[0]`, the second `outs[1]`, the third `outs[2]` (each within
/// the rows the one before wrote, reads clamped to the region's rows).
pub(super) fn vertical<'s, T: Kernel>(
    isa: Isa,
    par: Par,
    (src, src_stride): (&[T], usize),
    extent: Extent,
    outs: [(usize, usize); 3],
    div: Divisor,
    scratch: &'s mut VScratch<T>,
) -> Strips<'s, T> {
    let (strip_w, strip_len, strips) = (extent.strip_w(), extent.strip_len(), extent.strips());
    let VScratch { a, b, acc } = scratch;
    a.resize(strips * strip_len, T::default());
    b.resize(strips * strip_len, T::default());
    acc.resize(strips * strip_w, 0);
    let ch = extent.channels;
    for_each3(
        par,
        a,
        strip_len,
        b,
        strip_len,
        acc,
        strip_w,
        strips,
        |k, a, b, acc| {
            let px0 = k * STRIP_PIXELS;
            let w = ((px0 + STRIP_PIXELS).min(extent.pixels) - px0) * ch;
            let pass = |src_stride, out| VParams {
                src_stride,
                dst_stride: strip_w,
                width: w,
                rows: extent.rows,
                out,
                div,
            };
            T::vbox(isa, &src[px0 * ch..], a, acc, pass(src_stride, outs[0]));
            T::vbox(isa, a, b, acc, pass(strip_w, outs[1]));
            T::vbox(isa, b, a, acc, pass(strip_w, outs[2]));
        },
    );
    Strips { data: a, extent }
}

/// Working memory of the horizontal passes over one group of rows.
#[derive(Debug, Default, Clone)]
pub(super) struct HScratch<T> {
    t: Vec<T>,
    u: Vec<T>,
    w: Vec<T>,
    acc: Vec<u32>,
}

/// One group of rows after the horizontal passes, transposed: sample
/// `(x, c)` of the group's row `k` is `u[(c * pixels + x) * GROUP_ROWS + k]`.
#[derive(Debug)]
pub(super) struct Group<'h, T> {
    /// Rows in the group (at most [`GROUP_ROWS`]).
    pub(super) n: usize,
    /// Pixels per row.
    pub(super) pixels: usize,
    u: &'h [T],
    w: &'h mut [T],
}

impl<T: Kernel> Group<'_, T> {
    /// Sample `(x, c)` of the group's row `k`.
    #[inline(always)]
    pub(super) fn get(&self, k: usize, x: usize, c: usize) -> T {
        self.u[(c * self.pixels + x) * GROUP_ROWS + k]
    }

    /// Whether [`Group::rows`] applies: one channel, a whole group.
    pub(super) fn tiles(&self, write: usize) -> bool {
        write == 1 && self.n == GROUP_ROWS
    }

    /// Channel 0 of pixels `xa..xb` of every row, untransposed (only when
    /// [`Group::tiles`]): row `k` is `rows[k * pixels..][..pixels]`, valid
    /// from `xa` to `xb`.
    pub(super) fn rows(&mut self, isa: Isa, (xa, xb): (usize, usize)) -> &[T] {
        let seg = self.pixels;
        let mut x = xa / 16 * 16;
        while x + 16 <= seg && x < xb {
            T::transpose16(
                isa,
                &self.u[x * GROUP_ROWS..],
                GROUP_ROWS,
                &mut self.w[x..],
                seg,
            );
            x += 16;
        }
        for k in 0..self.n {
            for xr in x.max(xa)..xb {
                self.w[k * seg + xr] = self.u[xr * GROUP_ROWS + k];
            }
        }
        self.w
    }
}

/// Three horizontal box passes of `div` over rows `first .. first + n`
/// (`n ≤ GROUP_ROWS`) of `strips`, the first `write` channels: the passes
/// write pixels `outs[0]`, `outs[1]`, `outs[2]` in turn.
pub(super) fn horizontal<'h, T: Kernel>(
    isa: Isa,
    strips: &Strips<'_, T>,
    (first, n): (usize, usize),
    write: usize,
    outs: [(usize, usize); 3],
    div: Divisor,
    scratch: &'h mut HScratch<T>,
) -> Group<'h, T> {
    let pixels = strips.extent.pixels;
    let HScratch { t, u, w, acc } = scratch;
    let len = write * pixels * GROUP_ROWS;
    t.resize(len, T::default());
    u.resize(len, T::default());
    w.resize(len, T::default());
    acc.resize(GROUP_ROWS, 0);
    gather(isa, strips, (first, n), write, t);
    for c in 0..write {
        let block = c * pixels * GROUP_ROWS..(c + 1) * pixels * GROUP_ROWS;
        let pass = |out| VParams {
            src_stride: GROUP_ROWS,
            dst_stride: GROUP_ROWS,
            width: n,
            rows: pixels,
            out,
            div,
        };
        T::vbox(
            isa,
            &t[block.clone()],
            &mut u[block.clone()],
            acc,
            pass(outs[0]),
        );
        T::vbox(
            isa,
            &u[block.clone()],
            &mut w[block.clone()],
            acc,
            pass(outs[1]),
        );
        T::vbox(isa, &w[block.clone()], &mut u[block], acc, pass(outs[2]));
    }
    Group { n, pixels, u, w }
}

/// Transposes rows `first .. first + n` of `strips` into `t`:
/// `t[(c * pixels + x) * GROUP_ROWS + k]` = sample `(x, c)` of row
/// `first + k`, for `c < write`.
fn gather<T: Kernel>(
    isa: Isa,
    strips: &Strips<'_, T>,
    (first, n): (usize, usize),
    write: usize,
    t: &mut [T],
) {
    let Extent {
        pixels, channels, ..
    } = strips.extent;
    let strip_w = strips.extent.strip_w();
    for s in 0..strips.extent.strips() {
        let px0 = s * STRIP_PIXELS;
        let px1 = (px0 + STRIP_PIXELS).min(pixels);
        let mut x = px0;
        if channels == 1 && n == GROUP_ROWS {
            // Whole 16 × 16 tiles at once.
            while x + 16 <= px1 {
                let tile = &strips.data[strips.offset(first, x)..];
                T::transpose16(isa, tile, strip_w, &mut t[x * GROUP_ROWS..], GROUP_ROWS);
                x += 16;
            }
        }
        if x == px1 {
            continue;
        }
        for k in 0..n {
            let src = strips.row(first + k, x, px1);
            for (xi, px) in src.chunks_exact(channels).enumerate() {
                for (c, &v) in px.iter().take(write).enumerate() {
                    t[(c * pixels + x + xi) * GROUP_ROWS + k] = v;
                }
            }
        }
    }
}
