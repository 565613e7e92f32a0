//! Applying styles to the masked pixels of a frame.
//!
//! (Being written: see the core issue. The signatures below are the contract.)

use crate::error::Result;
use crate::frame::{FrameMut, PixelFormat};
use crate::mask::SpanMask;
use crate::style::Style;

/// Masks prepared for one frame geometry and decision: per style, the luma
/// mask and the conservatively derived chroma masks. Build once, apply to
/// every frame until the geometry or the decision changes.
#[derive(Debug, Clone)]
pub struct Redaction {
    format: PixelFormat,
    width: u32,
    height: u32,
    layers: Vec<(Style, SpanMask)>,
}

impl Redaction {
    /// Prepares `layers` (a style and the luma-resolution mask it applies
    /// to) for frames of `format`, `width × height`. Where layers overlap,
    /// the stronger style wins (fill over pixelate over blur).
    ///
    /// # Errors
    /// [`crate::Error::SizeMismatch`] when a mask is not `width × height`,
    /// [`crate::Error::BadStyle`] for an invalid style.
    pub fn new<I>(format: PixelFormat, width: u32, height: u32, layers: I) -> Result<Self>
    where
        I: IntoIterator<Item = (Style, SpanMask)>,
    {
        let layers = layers.into_iter().collect();
        Ok(Self {
            format,
            width,
            height,
            layers,
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
        self.layers.iter().all(|(_, m)| m.is_empty())
    }
}

/// Applies prepared redactions to frames, reusing scratch memory between
/// frames.
#[derive(Debug, Default)]
pub struct Redactor {}

impl Redactor {
    /// A redactor at the best CPU level this machine supports (lowered by
    /// `SLADD_CPU`), using rayon's global pool.
    #[must_use]
    pub fn new() -> Self {
        Self {}
    }

    /// Redacts `frame` in place as `redaction` says. Pixels outside the
    /// masks stay bit-identical.
    ///
    /// # Errors
    /// [`crate::Error::FormatMismatch`] or [`crate::Error::SizeMismatch`]
    /// when the frame is not what `redaction` was prepared for.
    pub fn apply(&mut self, frame: &mut FrameMut<'_>, redaction: &Redaction) -> Result<()> {
        let _ = (frame, redaction);
        unimplemented!("effects land with the core issue")
    }
}
