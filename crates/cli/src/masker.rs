//! The policy's [`CameraMasker`] as the FFmpeg pipeline's frame masker,
//! stopping when the operator interrupts the run.

use std::sync::atomic::{AtomicBool, Ordering};

use sladd_core::{FrameMut, PixelFormat, Style};
use sladd_ffmpeg::mask::Substream;
use sladd_ffmpeg::{FrameMasker, FrameTime, MaskOutcome, VideoInfo};
use sladd_policy::{Camera, CameraMasker, Decision, DecisionSpan};

/// Why a frame could not be masked.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MaskError {
    /// The policy's masks could not be built or applied to this frame.
    #[error("masking: {0}")]
    Policy(#[from] sladd_policy::Error),
    /// The operator interrupted the run.
    #[error("interrupted")]
    Cancelled,
}

/// Masks decoded frames as the policy decides at their instants.
pub(crate) struct PipelineMasker {
    masker: CameraMasker,
    /// The camera and default style, for the maskers of its substreams.
    camera: Camera,
    style: Style,
    cancel: &'static AtomicBool,
}

impl PipelineMasker {
    /// A masker for `camera`, masking zones without a style of their own
    /// with `style` on rayon's shared pool, stopping when `cancel` is set.
    pub(crate) fn new(
        camera: &Camera,
        style: Style,
        cancel: &'static AtomicBool,
    ) -> Result<Self, MaskError> {
        // The geometry follows each frame (`mask`); masks are built lazily.
        let mut masker = CameraMasker::for_camera(camera, PixelFormat::Yuv420p, 1, 1)?;
        masker.set_style(style);
        masker.set_threads(0);
        Ok(Self {
            masker,
            camera: camera.clone(),
            style,
            cancel,
        })
    }

    /// The runs of frames under one decision, in order.
    pub(crate) fn into_spans(mut self) -> Vec<DecisionSpan> {
        self.masker.take_spans()
    }
}

/// What a decision does to a frame.
fn outcome(decision: &Decision) -> MaskOutcome {
    if decision.full_frame {
        MaskOutcome::FullFrame
    } else if decision.zones.iter().any(|z| z.masked()) {
        MaskOutcome::Masked
    } else {
        MaskOutcome::Unmasked
    }
}

impl FrameMasker for PipelineMasker {
    type Error = MaskError;

    fn begin(&mut self, info: &VideoInfo) -> Result<(), MaskError> {
        self.masker.set_rotation(info.rotation);
        Ok(())
    }

    /// The same camera's zones (normalized) at the substream's own size,
    /// decided at its own frames' instants by a masker of its own.
    fn for_substream(
        &mut self,
        _info: &VideoInfo,
    ) -> Result<Option<Substream<MaskError>>, MaskError> {
        let masker = Self::new(&self.camera, self.style, self.cancel)?;
        Ok(Some(Box::new(masker)))
    }

    fn needs_frame(&mut self, time: &FrameTime) -> bool {
        // An interrupted run still goes through `mask`, which stops it.
        if self.cancel.load(Ordering::Relaxed) || self.masker.needs_pixels(time.instant) {
            return true;
        }
        self.masker.seek_frame(time.index);
        // `pass` refuses a frame the policy masks: then it is masked.
        self.masker.pass(time.instant).is_err()
    }

    fn mask(
        &mut self,
        frame: &mut FrameMut<'_>,
        time: &FrameTime,
    ) -> Result<MaskOutcome, MaskError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(MaskError::Cancelled);
        }
        self.masker
            .set_geometry(frame.format(), frame.width(), frame.height())?;
        self.masker.seek_frame(time.index);
        Ok(outcome(self.masker.apply(frame, time.instant)?))
    }
}
