//! Checking one redacted frame against its original and the masks the
//! policy gives at that frame's instant.
//!
//! Inside every masked region no content of the original may survive:
//! - **fill**: the samples sit at the fill colour (in the redacted frame's
//!   colour matrix, range and depth) within codec noise;
//! - **pixelate**: the samples are constant within each block of the
//!   origin-anchored grid within codec noise;
//! - **blur**: the output has no more detail (mean |Laplacian|) than the
//!   original blurred with the style's radius, plus codec noise, and its
//!   detail does not correlate with the original's.
//!
//! Outside every mask the picture is the original within codec noise
//! (PSNR). Chroma planes are checked with their own, conservatively
//! derived masks (the core's), so a chroma leak fails too. A guard band
//! along every mask edge is left out (see [`grid`]).

pub(crate) mod checks;
pub(crate) mod grid;

use sladd_core::frame::PlaneKind;
use sladd_core::{yuv_from_rgb, Frame, FrameMut, PixelFormat, Redaction, Redactor, Rgb, Style};

use self::checks::{Limits, Measure, Outside};
use self::grid::{grids, layer_masks, Grid, Labels};

/// The result of one check on one frame.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    /// `fill`, `pixelate`, `blur` or `outside`.
    pub(crate) check: &'static str,
    /// The plane (0 luma or RGB, 1–2 chroma).
    pub(crate) plane: usize,
    /// The style of the masked layer (none for `outside`).
    pub(crate) style: Option<Style>,
    /// The figures.
    pub(crate) measure: Measure,
}

/// Checks frames, caching the per-plane labels while the masks stay the
/// same (they change only with the decision or the frame size).
#[derive(Debug)]
pub(crate) struct FrameChecker {
    limits: Limits,
    labels: Option<Labels>,
    redactor: Redactor,
}

impl FrameChecker {
    /// A checker with `limits`.
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            limits,
            labels: None,
            redactor: Redactor::new(),
        }
    }

    /// The limits in use.
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Checks `redacted` against `original` (same format and size) and the
    /// masks `redaction` (`None` when nothing is masked at this instant).
    ///
    /// # Errors
    /// When the core refuses to blur a copy of the original (it cannot, for
    /// frames that match the redaction).
    pub(crate) fn check(
        &mut self,
        original: &FrameMut<'_>,
        redacted: &FrameMut<'_>,
        redaction: Option<&Redaction>,
    ) -> Result<Vec<Outcome>, sladd_core::Error> {
        let format = redacted.format();
        let out = grids(redacted);
        let orig = grids(original);
        let shifts: Vec<(u8, u8)> = (0..out.len())
            .map(|p| {
                if matches!(
                    format.plane_kind(p),
                    Some(PlaneKind::Chroma | PlaneKind::ChromaUv)
                ) {
                    format.chroma_shift()
                } else {
                    (0, 0)
                }
            })
            .collect();
        let sizes: Vec<(usize, usize)> = out.iter().map(|g| (g.width, g.height)).collect();
        let layers = redaction.map_or_else(Vec::new, |r| layer_masks(r, out.len()));
        let fresh = self
            .labels
            .as_ref()
            .is_some_and(|l| l.layers == layers && l.sizes == sizes);
        if !fresh {
            self.labels = Some(Labels::new(layers, &sizes, &shifts));
        }
        let Some(labels) = self.labels.as_ref() else {
            return Ok(Vec::new());
        };

        let blurred = match redaction {
            Some(r)
                if labels
                    .layers
                    .iter()
                    .any(|(s, _)| matches!(s, Style::Blur { .. })) =>
            {
                Some(redact_copy(&mut self.redactor, original, r)?)
            }
            _ => None,
        };

        let mut outcomes = Vec::new();
        let mut outside = Outside::default();
        for (p, (o, g)) in out.iter().zip(&orig).enumerate() {
            let (Some(plane_labels), Some(&shift)) = (labels.planes.get(p), shifts.get(p)) else {
                continue;
            };
            outside.add(o, g, plane_labels, shift);
            for (k, (style, _)) in labels.layers.iter().enumerate() {
                let label = u8::try_from(k + 1).unwrap_or(grid::BAND - 1);
                let measure = match *style {
                    Style::Fill(rgb) => {
                        let expected = fill_colour(redacted, p, rgb);
                        checks::fill(o, plane_labels, label, &expected, &self.limits, shift)
                    }
                    Style::Pixelate { block } => {
                        let b = block as usize;
                        let cells = ((b >> shift.0).max(1), (b >> shift.1).max(1));
                        checks::pixelate(o, plane_labels, label, cells, &self.limits, shift)
                    }
                    Style::Blur { .. } => blurred.as_ref().and_then(|b| b.get(p)).and_then(|e| {
                        checks::blur(o, e, g, plane_labels, label, &self.limits, shift)
                    }),
                };
                if let Some(measure) = measure {
                    outcomes.push(Outcome {
                        check: style.name(),
                        plane: p,
                        style: Some(*style),
                        measure,
                    });
                }
            }
        }
        if let Some(measure) = outside.measure(&self.limits) {
            outcomes.push(Outcome {
                check: "outside",
                plane: 0,
                style: None,
                measure,
            });
        }
        Ok(outcomes)
    }
}

/// The planes of `original` redacted by the core as `redaction` says (what
/// a correct redaction looks like before encoding).
fn redact_copy(
    redactor: &mut Redactor,
    original: &FrameMut<'_>,
    redaction: &Redaction,
) -> Result<Vec<Grid>, sladd_core::Error> {
    let (format, width, height) = (original.format(), original.width(), original.height());
    let mut copy = Frame::new(format, width, height)?;
    let source = grids(original);
    let deep = format.storage_bits() > 8;
    for (p, grid) in source.iter().enumerate() {
        let row = grid.width * grid.channels;
        let stride = copy.stride(p).unwrap_or(row);
        if deep {
            if let Some(plane) = copy.planes_u16_mut().get_mut(p) {
                for (dst, src) in plane
                    .chunks_mut(stride.max(1))
                    .zip(grid.data.chunks(row.max(1)))
                {
                    if let Some(d) = dst.get_mut(..src.len()) {
                        d.copy_from_slice(src);
                    }
                }
            }
        } else if let Some(plane) = copy.planes_u8_mut().get_mut(p) {
            for (dst, src) in plane
                .chunks_mut(stride.max(1))
                .zip(grid.data.chunks(row.max(1)))
            {
                for (d, s) in dst.iter_mut().zip(src) {
                    *d = *s as u8;
                }
            }
        }
    }
    let mut view = copy
        .as_frame_mut()
        .with_range(original.range())
        .with_matrix(original.matrix());
    redactor.apply(&mut view, redaction)?;
    Ok(grids(&view))
}

/// The fill colour's samples on plane `plane` of `frame`, one per channel.
fn fill_colour(frame: &FrameMut<'_>, plane: usize, rgb: Rgb) -> Vec<i32> {
    let format = frame.format();
    if format.is_rgb() {
        let (r, g, b) = (i32::from(rgb.r), i32::from(rgb.g), i32::from(rgb.b));
        return match format {
            PixelFormat::Bgr24 => vec![b, g, r],
            PixelFormat::Bgra => vec![b, g, r, 255],
            PixelFormat::Rgba => vec![r, g, b, 255],
            _ => vec![r, g, b],
        };
    }
    let [y, u, v] = yuv_from_rgb(rgb, frame.matrix(), frame.range(), format.depth());
    let (y, u, v) = (i32::from(y), i32::from(u), i32::from(v));
    match (format, plane) {
        (_, 0) => vec![y],
        (PixelFormat::Nv12, _) => vec![u, v],
        (_, 1) => vec![u],
        _ => vec![v],
    }
}
