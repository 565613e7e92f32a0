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
//! along every mask edge is left out: encoders smear a few pixels across
//! every sharp edge, and a mask edge is the sharpest edge a redacted frame
//! has. A band this narrow cannot hide a shifted zone.
//!
//! [`FrameChecker`] works on [`FrameMut`] views, so a caller that decodes
//! frames itself (a VMS, a test) checks them as `sladd verify` does:
//!
//! ```
//! use sladd_core::{Coverage, Frame, PixelFormat, Polygon, Redaction, Redactor, Region, Style};
//! use sladd_evidence::{Check, FrameChecker, Limits};
//!
//! let zone = Region::single(Polygon::normalized([[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]])?);
//! let redaction = Redaction::new(
//!     PixelFormat::Gray8, 64, 48,
//!     vec![(Style::fill(), zone.rasterize(64, 48, Coverage::Conservative)?)],
//! )?;
//! let mut original = Frame::new(PixelFormat::Gray8, 64, 48)?;
//! for (i, v) in original.planes_u8_mut()[0].iter_mut().enumerate() {
//!     *v = (i * 7 % 251) as u8;
//! }
//! let mut redacted = original.clone();
//! Redactor::new().apply(&mut redacted.as_frame_mut(), &redaction)?;
//!
//! let mut checker = FrameChecker::new(Limits::default());
//! let outcomes = checker.check(&original.as_frame_mut(), &redacted.as_frame_mut(), Some(&redaction))?;
//! assert!(outcomes.iter().all(|o| o.measure.passed()));
//! assert!(outcomes.iter().any(|o| o.check == Check::Fill));
//!
//! // The original itself is not a redaction of it.
//! let mut unredacted = original.clone();
//! let outcomes = checker.check(&original.as_frame_mut(), &unredacted.as_frame_mut(), Some(&redaction))?;
//! assert!(outcomes.iter().any(|o| o.check == Check::Fill && !o.measure.passed()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod grid;
mod measure;

use std::fmt;

use serde::{Deserialize, Serialize};
use sladd_core::frame::PlaneKind;
use sladd_core::{yuv_from_rgb, Frame, FrameMut, PixelFormat, Redaction, Redactor, Rgb, Style};

use self::grid::{grids, layer_masks, Grid, Labels};
use self::measure::Outside;
pub use self::measure::{Limits, Measure};
use crate::error::{Error, Result};

/// What is checked. Declared in alphabetical order, the order reports list
/// their per-check summaries in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Check {
    /// Audio in the redacted file against what the policy allows.
    Audio,
    /// Inside a blurred mask: no more detail than the blur leaves.
    Blur,
    /// The C2PA manifest embedded in the redacted file.
    C2pa,
    /// A redacted frame without an original one.
    ExtraFrame,
    /// Inside a filled mask: the samples sit at the fill colour.
    Fill,
    /// Paired frames of different pixel formats or sizes.
    Format,
    /// The manifest against the files and the decisions.
    Manifest,
    /// An original frame without a redacted one.
    MissingFrame,
    /// Outside every mask: the picture is the original within codec noise.
    Outside,
    /// Inside a pixelated mask: the samples are constant per block.
    Pixelate,
    /// The manifest's signature.
    Signature,
}

impl Check {
    /// The check of a masked layer in `style`.
    #[must_use]
    pub fn of_style(style: Style) -> Self {
        match style {
            Style::Fill(_) => Self::Fill,
            Style::Pixelate { .. } => Self::Pixelate,
            Style::Blur { .. } => Self::Blur,
        }
    }

    /// The report's spelling: `fill`, `missing_frame`, ….
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Audio => "audio",
            Self::Blur => "blur",
            Self::C2pa => "c2pa",
            Self::ExtraFrame => "extra_frame",
            Self::Fill => "fill",
            Self::Format => "format",
            Self::Manifest => "manifest",
            Self::MissingFrame => "missing_frame",
            Self::Outside => "outside",
            Self::Pixelate => "pixelate",
            Self::Signature => "signature",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The result of one check on one frame.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// [`Check::Fill`], [`Check::Pixelate`], [`Check::Blur`] or [`Check::Outside`].
    pub check: Check,
    /// The plane (0 luma or RGB, 1–2 chroma).
    pub plane: usize,
    /// The style of the masked layer (none for `outside`).
    pub style: Option<Style>,
    /// The figures.
    pub measure: Measure,
}

/// Checks frames, caching the per-plane labels while the masks stay the
/// same (they change only with the decision or the frame size).
#[derive(Debug)]
pub struct FrameChecker {
    limits: Limits,
    labels: Option<Labels>,
    redactor: Redactor,
}

impl FrameChecker {
    /// A checker with `limits`.
    #[must_use]
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            labels: None,
            redactor: Redactor::new(),
        }
    }

    /// The limits in use.
    #[must_use]
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Checks `redacted` against `original` (same format and size) and the
    /// masks `redaction` (`None` when nothing is masked at this instant).
    ///
    /// # Errors
    /// [`Error::FrameMismatch`] when the two frames differ in format or
    /// size; [`Error::Core`] when the core refuses to blur a copy of the
    /// original (it cannot, for frames that match the redaction).
    pub fn check(
        &mut self,
        original: &FrameMut<'_>,
        redacted: &FrameMut<'_>,
        redaction: Option<&Redaction>,
    ) -> Result<Vec<Outcome>> {
        let key = |f: &FrameMut<'_>| (f.format(), f.width(), f.height());
        if key(original) != key(redacted) {
            return Err(Error::FrameMismatch {
                original: key(original),
                redacted: key(redacted),
            });
        }
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
                        measure::fill(o, plane_labels, label, &expected, &self.limits, shift)
                    }
                    Style::Pixelate { block } => {
                        let b = block as usize;
                        let cells = ((b >> shift.0).max(1), (b >> shift.1).max(1));
                        measure::pixelate(o, plane_labels, label, cells, &self.limits, shift)
                    }
                    Style::Blur { .. } => blurred.as_ref().and_then(|b| b.get(p)).and_then(|e| {
                        measure::blur(o, e, g, plane_labels, label, &self.limits, shift)
                    }),
                };
                if let Some(measure) = measure {
                    outcomes.push(Outcome {
                        check: Check::of_style(*style),
                        plane: p,
                        style: Some(*style),
                        measure,
                    });
                }
            }
        }
        if let Some(measure) = outside.measure(&self.limits) {
            outcomes.push(Outcome {
                check: Check::Outside,
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
) -> Result<Vec<Grid>> {
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
