//! What masks each frame: a per-frame callback the policy drives, and a
//! ready one over fixed masks.

use sladd_core::{FrameMut, PixelFormat, Redaction, Redactor, SpanMask, Style};

use crate::decode::VideoInfo;
use crate::time::FrameTime;

/// What a [`FrameMasker`] did to a frame (counted in the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaskOutcome {
    /// Nothing was masked: the policy masks nothing at this instant.
    Unmasked,
    /// Some regions were masked.
    Masked,
    /// The whole frame was masked.
    FullFrame,
}

/// Masks decoded frames in place, one at a time, in presentation order.
///
/// The transcoder calls [`FrameMasker::begin`] once with the stream's
/// description, then [`FrameMasker::mask`] for every frame. An error stops
/// the run: the frame is not written, nor is any later one.
pub trait FrameMasker {
    /// The masker's error, carried in [`crate::Error::Mask`].
    type Error: std::error::Error + Send + Sync + 'static;

    /// Called once before the first frame.
    ///
    /// # Errors
    /// Whatever makes masking this video impossible (for example masks
    /// prepared for another frame size).
    fn begin(&mut self, info: &VideoInfo) -> Result<(), Self::Error> {
        let _ = info;
        Ok(())
    }

    /// Whether the frame at `time` needs its pixels at all. Returning
    /// `false` promises that nothing is to be masked at that instant: the
    /// frame is encoded as decoded (no writable copy is made) and counted as
    /// unmasked.
    fn needs_frame(&mut self, time: &FrameTime) -> bool {
        let _ = time;
        true
    }

    /// Masks `frame`, shown at `time`, in place.
    ///
    /// # Errors
    /// Any failure: the transcoder stops and writes nothing more.
    fn mask(
        &mut self,
        frame: &mut FrameMut<'_>,
        time: &FrameTime,
    ) -> Result<MaskOutcome, Self::Error>;
}

impl<M: FrameMasker + ?Sized> FrameMasker for &mut M {
    type Error = M::Error;

    fn begin(&mut self, info: &VideoInfo) -> Result<(), Self::Error> {
        (**self).begin(info)
    }

    fn needs_frame(&mut self, time: &FrameTime) -> bool {
        (**self).needs_frame(time)
    }

    fn mask(
        &mut self,
        frame: &mut FrameMut<'_>,
        time: &FrameTime,
    ) -> Result<MaskOutcome, Self::Error> {
        (**self).mask(frame, time)
    }
}

/// The same masks on every frame: layers of a style and a luma-resolution
/// mask at the video's size.
///
/// The core [`Redaction`] is prepared on the first frame for its pixel
/// format (which may differ from the container's, after conversion) and
/// again whenever format or size change.
#[derive(Debug)]
pub struct StaticMask {
    layers: Vec<(Style, SpanMask)>,
    prepared: Option<(PixelFormat, u32, u32, Redaction)>,
    redactor: Redactor,
    outcome: MaskOutcome,
}

impl StaticMask {
    /// Masks every frame with `layers`.
    #[must_use]
    pub fn new(layers: Vec<(Style, SpanMask)>) -> Self {
        let outcome = if layers.iter().any(|(_, m)| m.is_full()) {
            MaskOutcome::FullFrame
        } else if layers.iter().all(|(_, m)| m.is_empty()) {
            MaskOutcome::Unmasked
        } else {
            MaskOutcome::Masked
        };
        Self {
            layers,
            prepared: None,
            redactor: Redactor::new(),
            outcome,
        }
    }
}

impl FrameMasker for StaticMask {
    type Error = sladd_core::Error;

    fn mask(
        &mut self,
        frame: &mut FrameMut<'_>,
        _time: &FrameTime,
    ) -> Result<MaskOutcome, Self::Error> {
        let key = (frame.format(), frame.width(), frame.height());
        let redaction = match &self.prepared {
            Some((f, w, h, r)) if (*f, *w, *h) == key => r,
            _ => {
                let r = Redaction::new(key.0, key.1, key.2, self.layers.iter().cloned())?;
                &self.prepared.insert((key.0, key.1, key.2, r)).3
            }
        };
        self.redactor.apply(frame, redaction)?;
        Ok(self.outcome)
    }
}
