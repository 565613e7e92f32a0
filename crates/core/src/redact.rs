//! Applying styles to the masked pixels of a frame.
//!
//! A [`Redaction`] is prepared once per frame geometry and decision: the
//! masks of each style are merged, made disjoint by strength (fill over
//! pixelate over blur) and derived for every plane (chroma conservatively:
//! a chroma sample is redacted when any luma pixel it covers is). A
//! [`Redactor`] applies it to frames, fills first, then pixelation, then
//! blur, so that pixelate and blur next to a filled zone read the fill
//! colour, never what it hides. Samples outside the masks, and row padding,
//! are never written.

#[cfg(feature = "rayon")]
use std::sync::Arc;

use crate::cpu::CpuLevel;
use crate::effects::blur::{self, BlurPlane};
use crate::effects::fill::{Pattern, SpanRows};
use crate::effects::par::{for_each1, for_each2, Par};
use crate::effects::pixelate::{self, Band, Blocks};
use crate::effects::{Isa, Kernel};
use crate::error::{Error, Result};
use crate::frame::{FrameMut, PixelFormat, PlaneMut, Planes};
use crate::mask::{Rect, SpanMask};
use crate::style::Style;

/// One plane's mask of a layer.
#[derive(Debug, Clone)]
struct PlaneMask {
    mask: SpanMask,
    bbox: Option<Rect>,
    /// Boxes the blur computes independently (the bounding box for other
    /// styles).
    regions: Vec<Rect>,
    /// Subsampling shifts of the plane against luma.
    shift: (u8, u8),
}

/// One style and where it applies, per plane.
#[derive(Debug, Clone)]
struct Layer {
    style: Style,
    /// The luma-resolution mask (disjoint from stronger layers).
    luma: SpanMask,
    planes: Vec<PlaneMask>,
}

/// Masks prepared for one frame geometry and decision: per style, the luma
/// mask and the conservatively derived chroma masks. Build once, apply to
/// every frame until the geometry or the decision changes.
#[derive(Debug, Clone)]
pub struct Redaction {
    format: PixelFormat,
    width: u32,
    height: u32,
    layers: Vec<Layer>,
}

/// Orders styles strongest first: by strength, then by parameter (bigger
/// blocks and radii hide more), then by colour, so preparation does not
/// depend on the order layers were given in.
fn strongest_first(style: &Style) -> (std::cmp::Reverse<u8>, std::cmp::Reverse<u32>, u32) {
    let (param, colour) = match *style {
        Style::Fill(c) => (0, u32::from_be_bytes([0, c.r, c.g, c.b])),
        Style::Pixelate { block } => (block, 0),
        Style::Blur { radius } => (radius, 0),
    };
    (
        std::cmp::Reverse(style.strength()),
        std::cmp::Reverse(param),
        colour,
    )
}

impl Redaction {
    /// Prepares `layers` (a style and the luma-resolution mask it applies
    /// to) for frames of `format`, `width × height`. Where layers overlap,
    /// the stronger style wins (fill over pixelate over blur; among equals,
    /// the bigger block or radius).
    ///
    /// # Errors
    /// [`crate::Error::BadFrameSize`] for an invalid size,
    /// [`crate::Error::SizeMismatch`] when a mask is not `width × height`,
    /// [`crate::Error::BadStyle`] for an invalid style.
    pub fn new<I>(format: PixelFormat, width: u32, height: u32, layers: I) -> Result<Self>
    where
        I: IntoIterator<Item = (Style, SpanMask)>,
    {
        crate::mask::check_size(width, height)?;
        // Union the masks of equal styles.
        let mut merged: Vec<(Style, SpanMask)> = Vec::new();
        for (style, mask) in layers {
            style.validate()?;
            if (mask.width(), mask.height()) != (width, height) {
                return Err(Error::SizeMismatch {
                    left_width: mask.width(),
                    left_height: mask.height(),
                    right_width: width,
                    right_height: height,
                });
            }
            match merged.iter_mut().find(|(s, _)| *s == style) {
                Some((_, m)) => *m = m.union(&mask)?,
                None => merged.push((style, mask)),
            }
        }
        merged.sort_by_key(|(s, _)| strongest_first(s));

        // Make them disjoint, strongest first, per plane.
        let shifts: Vec<(u8, u8)> = (0..format.plane_count())
            .map(|i| {
                if i == 0 {
                    (0, 0)
                } else {
                    format.chroma_shift()
                }
            })
            .collect();
        let mut covered: Vec<SpanMask> = Vec::with_capacity(shifts.len());
        for &(sx, sy) in &shifts {
            let (w, h) = (width.div_ceil(1 << sx), height.div_ceil(1 << sy));
            covered.push(SpanMask::empty(w, h)?);
        }
        let mut prepared = Vec::with_capacity(merged.len());
        for (style, mask) in merged {
            let mut planes = Vec::with_capacity(shifts.len());
            let luma = mask.subtract(&covered[0])?;
            for (i, &(sx, sy)) in shifts.iter().enumerate() {
                let full = if (sx, sy) == (0, 0) {
                    mask.clone()
                } else {
                    mask.subsample(sx, sy)
                };
                let own = full.subtract(&covered[i])?;
                covered[i] = covered[i].union(&full)?;
                let regions = match style {
                    Style::Blur { radius } => {
                        let reach = |shift: u8| blur::cluster_gap((radius >> shift).max(1));
                        blur::clusters(&own, reach(sx), reach(sy))
                    }
                    _ => own.bounding_box().into_iter().collect(),
                };
                planes.push(PlaneMask {
                    bbox: own.bounding_box(),
                    mask: own,
                    regions,
                    shift: (sx, sy),
                });
            }
            if planes.iter().any(|p| p.bbox.is_some()) {
                prepared.push(Layer {
                    style,
                    luma,
                    planes,
                });
            }
        }
        Ok(Self {
            format,
            width,
            height,
            layers: prepared,
        })
    }

    /// The pixel format this was prepared for.
    #[must_use]
    pub const fn format(&self) -> PixelFormat {
        self.format
    }

    /// Frame width this was prepared for.
    #[must_use]
    pub const fn width(&self) -> u32 {
        self.width
    }

    /// Frame height this was prepared for.
    #[must_use]
    pub const fn height(&self) -> u32 {
        self.height
    }

    /// Whether no pixel is masked.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// The prepared layers in the order they are applied (fill, pixelate,
    /// blur): each style with its luma mask, disjoint from the others.
    pub fn layers(&self) -> impl Iterator<Item = (Style, &SpanMask)> + '_ {
        self.layers.iter().map(|l| (l.style, &l.luma))
    }

    /// The mask of plane `plane` for the `index`th layer of
    /// [`Redaction::layers`] (chroma planes at chroma resolution).
    #[must_use]
    pub fn plane_mask(&self, index: usize, plane: usize) -> Option<&SpanMask> {
        self.layers
            .get(index)
            .and_then(|l| l.planes.get(plane))
            .map(|p| &p.mask)
    }

    fn check(&self, frame: &FrameMut<'_>) -> Result<()> {
        if frame.format() != self.format {
            return Err(Error::FormatMismatch {
                prepared: self.format,
                frame: frame.format(),
            });
        }
        if (frame.width(), frame.height()) != (self.width, self.height) {
            return Err(Error::SizeMismatch {
                left_width: frame.width(),
                left_height: frame.height(),
                right_width: self.width,
                right_height: self.height,
            });
        }
        Ok(())
    }
}

/// Which threads a [`Redactor`] uses.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum Threads {
    /// Only the calling thread.
    Single,
    /// rayon's global pool (the default with the `rayon` feature).
    #[default]
    Global,
    /// A pool of the caller's.
    #[cfg(feature = "rayon")]
    Pool(Arc<rayon::ThreadPool>),
}

impl Threads {
    /// Threads for a count a caller asked for: 1 is the calling thread
    /// only, 0 rayon's global pool (sized to the machine), `n > 1` a pool
    /// of `n` threads of its own. Without the `rayon` feature every count
    /// is the calling thread.
    ///
    /// # Errors
    /// [`crate::Error::ThreadPool`] when the operating system refuses to
    /// start the threads.
    pub fn count(threads: usize) -> Result<Self> {
        match threads {
            1 => Ok(Self::Single),
            0 => Ok(Self::Global),
            #[cfg(feature = "rayon")]
            n => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|i| format!("sladd-mask-{i}"))
                .build()
                .map(|pool| Self::Pool(Arc::new(pool)))
                .map_err(|e| crate::Error::ThreadPool {
                    reason: e.to_string(),
                }),
            #[cfg(not(feature = "rayon"))]
            _ => Ok(Self::Single),
        }
    }
}

/// Working memory for one frame at a time.
#[derive(Debug, Default)]
struct Scratch {
    pix8: Vec<pixelate::Scratch<u16, u8>>,
    pix16: Vec<pixelate::Scratch<u32, u16>>,
    /// One per plane: blur layers run their planes in parallel.
    blur8: [blur::Scratch<u8>; 3],
    /// See `blur8`.
    blur16: [blur::Scratch<u16>; 3],
}

/// Applies prepared redactions to frames, reusing scratch memory between
/// frames.
///
/// Output never depends on the threads or the CPU level: one thread and
/// many, scalar and SIMD, give the same bytes.
#[derive(Debug)]
pub struct Redactor {
    isa: Isa,
    threads: Threads,
    scratch: Scratch,
    batch: Vec<Scratch>,
}

impl Default for Redactor {
    fn default() -> Self {
        Self::new()
    }
}

impl Redactor {
    /// A redactor at the best CPU level this machine supports (lowered by
    /// `SLADD_CPU`), using rayon's global pool.
    #[must_use]
    pub fn new() -> Self {
        Self {
            isa: Isa::new(CpuLevel::detect()),
            threads: Threads::Global,
            scratch: Scratch::default(),
            batch: Vec::new(),
        }
    }

    /// The same redactor using `threads`.
    #[must_use]
    pub fn with_threads(mut self, threads: Threads) -> Self {
        self.threads = threads;
        self
    }

    /// The same redactor at `level`, lowered to the best level this CPU
    /// supports.
    #[must_use]
    pub fn with_cpu_level(mut self, level: CpuLevel) -> Self {
        self.isa = Isa::new(level);
        self
    }

    /// The CPU level the kernels run at.
    #[must_use]
    pub fn cpu_level(&self) -> CpuLevel {
        self.isa.level()
    }

    /// Redacts `frame` in place as `redaction` says. Pixels outside the
    /// masks stay bit-identical.
    ///
    /// # Errors
    /// [`crate::Error::FormatMismatch`] or [`crate::Error::SizeMismatch`]
    /// when the frame is not what `redaction` was prepared for; the frame is
    /// then untouched.
    pub fn apply(&mut self, frame: &mut FrameMut<'_>, redaction: &Redaction) -> Result<()> {
        redaction.check(frame)?;
        let isa = self.isa;
        let scratch = &mut self.scratch;
        match &self.threads {
            Threads::Single => apply_frame(isa, Par::SINGLE, frame, redaction, scratch),
            #[cfg(feature = "rayon")]
            Threads::Global => {
                let par = Par {
                    parallel: true,
                    threads: rayon::current_num_threads(),
                };
                apply_frame(isa, par, frame, redaction, scratch);
            }
            #[cfg(not(feature = "rayon"))]
            Threads::Global => apply_frame(isa, Par::SINGLE, frame, redaction, scratch),
            #[cfg(feature = "rayon")]
            Threads::Pool(pool) => pool.install(|| {
                let par = Par {
                    parallel: true,
                    threads: rayon::current_num_threads(),
                };
                apply_frame(isa, par, frame, redaction, scratch);
            }),
        }
        Ok(())
    }

    /// Redacts every frame of `frames` as `redaction` says, frames in
    /// parallel (each frame on one thread). The result is the same as
    /// applying to each frame in turn.
    ///
    /// # Errors
    /// As [`Redactor::apply`], for the first frame that does not match;
    /// then no frame is touched.
    pub fn apply_batch(
        &mut self,
        frames: &mut [FrameMut<'_>],
        redaction: &Redaction,
    ) -> Result<()> {
        for frame in frames.iter() {
            redaction.check(frame)?;
        }
        if self.batch.len() < frames.len() {
            self.batch.resize_with(frames.len(), Scratch::default);
        }
        let isa = self.isa;
        let scratch = &mut self.batch[..frames.len()];
        let run = |frames: &mut [FrameMut<'_>], scratch: &mut [Scratch], parallel: bool| {
            let par = Par {
                parallel,
                threads: 1,
            };
            for_each2(par, frames, 1, scratch, 1, frames.len(), |_, f, s| {
                apply_frame(isa, Par::SINGLE, &mut f[0], redaction, &mut s[0]);
            });
        };
        match &self.threads {
            Threads::Single => run(frames, scratch, false),
            #[cfg(feature = "rayon")]
            Threads::Global => run(frames, scratch, true),
            #[cfg(not(feature = "rayon"))]
            Threads::Global => run(frames, scratch, false),
            #[cfg(feature = "rayon")]
            Threads::Pool(pool) => pool.install(|| run(frames, scratch, true)),
        }
        Ok(())
    }
}

/// Applies every layer to every plane of `frame` (already checked).
fn apply_frame(
    isa: Isa,
    par: Par,
    frame: &mut FrameMut<'_>,
    redaction: &Redaction,
    scratch: &mut Scratch,
) {
    let (format, range, matrix) = (frame.format(), frame.range(), frame.matrix());
    for layer in &redaction.layers {
        let patterns = match layer.style {
            Style::Fill(rgb) => Some(Pattern::for_planes(format, range, matrix, rgb)),
            _ => None,
        };
        match frame.planes_mut() {
            Planes::U8(planes) => {
                if let Style::Blur { .. } = layer.style {
                    blur_planes(isa, par, planes, format, layer, &mut scratch.blur8);
                    continue;
                }
                for (i, plane) in planes.iter_mut().enumerate() {
                    if let (Some(plane), Some(pm)) = (plane, layer.planes.get(i)) {
                        let pattern = patterns.as_ref().map(|p| &p[i.min(2)]);
                        apply_plane(
                            isa,
                            par,
                            plane,
                            format,
                            layer.style,
                            pm,
                            pattern,
                            &mut scratch.pix8,
                            &mut scratch.blur8[i],
                        );
                    }
                }
            }
            Planes::U16(planes) => {
                if let Style::Blur { .. } = layer.style {
                    blur_planes(isa, par, planes, format, layer, &mut scratch.blur16);
                    continue;
                }
                for (i, plane) in planes.iter_mut().enumerate() {
                    if let (Some(plane), Some(pm)) = (plane, layer.planes.get(i)) {
                        let pattern = patterns.as_ref().map(|p| &p[i.min(2)]);
                        apply_plane(
                            isa,
                            par,
                            plane,
                            format,
                            layer.style,
                            pm,
                            pattern,
                            &mut scratch.pix16,
                            &mut scratch.blur16[i],
                        );
                    }
                }
            }
        }
    }
}

/// Applies a blur layer to every plane, the planes in parallel when `par`
/// allows (each plane with its own scratch; the blur of one plane reads
/// only that plane, so the bytes do not depend on the order).
fn blur_planes<T: Kernel>(
    isa: Isa,
    par: Par,
    planes: &mut [Option<PlaneMut<'_, T>>; 3],
    format: PixelFormat,
    layer: &Layer,
    scratch: &mut [blur::Scratch<T>; 3],
) {
    let count = planes.len();
    for_each2(par, planes, 1, scratch, 1, count, |i, plane, s| {
        if let (Some(plane), Some(pm)) = (&mut plane[0], layer.planes.get(i)) {
            let mut no_pix = Vec::new();
            apply_plane(
                isa,
                par,
                plane,
                format,
                layer.style,
                pm,
                None,
                &mut no_pix,
                &mut s[0],
            );
        }
    });
}

/// Applies one layer to one plane.
#[allow(clippy::too_many_arguments)]
fn apply_plane<T: Kernel>(
    isa: Isa,
    par: Par,
    plane: &mut PlaneMut<'_, T>,
    format: PixelFormat,
    style: Style,
    pm: &PlaneMask,
    pattern: Option<&Pattern>,
    pix: &mut Vec<pixelate::Scratch<T::Acc, T>>,
    blur_scratch: &mut blur::Scratch<T>,
) {
    let Some(bbox) = pm.bbox else {
        return;
    };
    let g = plane.geometry();
    let (ch, stride) = (g.channels(), g.stride());
    // Packed RGBA / BGRA: the alpha byte is never written.
    let write = if format.channels(0) == 4 { 3 } else { ch };
    let (sx, sy) = pm.shift;
    let mask = &pm.mask;
    match style {
        Style::Fill(_) => {
            let Some(pattern) = pattern else {
                return;
            };
            let (y0, y1) = (bbox.y0 as usize, bbox.y1 as usize);
            let bytes = mask.pixel_count() as usize * ch * std::mem::size_of::<T>();
            let par = par.for_fill(bytes);
            let band_rows = par.band_rows(y1 - y0, 1);
            let bands = (y1 - y0).div_ceil(band_rows);
            let data = &mut plane.as_mut_slice()[y0 * stride..];
            for_each1(par, data, band_rows * stride, bands, |i, rows| {
                let first = y0 + i * band_rows;
                let spans = SpanRows {
                    mask,
                    y0: first,
                    y1: (first + band_rows).min(y1),
                    stride,
                    channels: ch,
                };
                T::fill(isa, rows, spans, pattern);
            });
        }
        Style::Pixelate { block } => {
            let block = block as usize;
            let (bw, bh) = ((block >> sx).max(1), (block >> sy).max(1));
            let blocks = Blocks {
                mask,
                bw,
                bh,
                channels: ch,
                write,
            };
            let height = g.height();
            // Whole block rows from the first touched one.
            let y0 = bbox.y0 as usize / bh * bh;
            let y1 = (bbox.y1 as usize)
                .div_ceil(bh)
                .saturating_mul(bh)
                .min(height);
            let work = (y1 - y0) * bbox.width() as usize * ch;
            let par = par.for_work(work);
            let band_rows = par.band_rows(y1 - y0, bh);
            let bands = (y1 - y0).div_ceil(band_rows);
            if pix.len() < bands {
                pix.resize_with(bands, Default::default);
            }
            let width = g.width();
            let data = &mut plane.as_mut_slice()[y0 * stride..];
            for_each2(
                par,
                data,
                band_rows * stride,
                pix,
                1,
                bands,
                |i, rows, s| {
                    let first = y0 + i * band_rows;
                    let band = Band {
                        data: rows,
                        stride,
                        width,
                        plane_height: height,
                        y0: first,
                        rows: band_rows.min(y1 - first),
                    };
                    pixelate::pixelate_band::<T>(isa, band, blocks, &mut s[0]);
                },
            );
        }
        Style::Blur { radius } => {
            let radius = radius as usize;
            for &region in &pm.regions {
                let job = BlurPlane {
                    mask,
                    bbox: region,
                    rx: (radius >> sx).max(1),
                    ry: (radius >> sy).max(1),
                    write,
                };
                blur::blur_plane(isa, par, plane, job, blur_scratch);
            }
        }
    }
}
