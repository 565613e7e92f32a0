//! The policy as a frame masker: decides at each frame's instant and masks
//! the frame with the masks of that decision.
//!
//! Decisions change only at schedule boundaries and masks only when the
//! decision, the pixel format or the frame size does, so a whole video
//! usually rasterizes its zones once.

use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;
use sladd_core::{FrameMut, PixelFormat, Redaction, Redactor, Style};
use sladd_ffmpeg::{FrameMasker, FrameTime, MaskOutcome, Rotation, VideoInfo};
use sladd_policy::{Decider, Decision};

/// Why a frame could not be masked.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MaskError {
    /// The policy's masks could not be built for this frame.
    #[error("policy masks: {0}")]
    Policy(#[from] sladd_policy::Error),
    /// The core refused the masks or the frame.
    #[error("masking: {0}")]
    Core(#[from] sladd_core::Error),
    /// The operator interrupted the run.
    #[error("interrupted")]
    Cancelled,
}

/// One run of frames under the same decision, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct DecisionSpan {
    /// First frame of the run.
    pub(crate) first_frame: u64,
    /// Last frame of the run.
    pub(crate) last_frame: u64,
    /// The instant of the first frame, when known.
    pub(crate) at: Option<String>,
    /// Whether the whole frame was masked.
    pub(crate) full_frame: bool,
    /// The masked zones as `name (RULE)`.
    pub(crate) masked_zones: Vec<String>,
    /// The decider's generation last seen in this run.
    #[serde(skip)]
    generation: u64,
}

/// Masks frames as the policy decides at their instants.
pub(crate) struct PolicyMasker<'a> {
    decider: Decider,
    default_style: Style,
    redactor: Redactor,
    prepared: Option<Prepared>,
    cancel: &'a AtomicBool,
    spans: Vec<DecisionSpan>,
    rotation: Rotation,
}

/// Masks ready for one decision, format and size.
struct Prepared {
    decision: Decision,
    format: PixelFormat,
    width: u32,
    height: u32,
    redaction: Redaction,
}

impl<'a> PolicyMasker<'a> {
    /// A masker deciding with `decider`, masking zones without a style of
    /// their own with `default_style`, stopping when `cancel` is set.
    pub(crate) fn new(decider: Decider, default_style: Style, cancel: &'a AtomicBool) -> Self {
        Self {
            decider,
            default_style,
            redactor: Redactor::new(),
            prepared: None,
            cancel,
            spans: Vec::new(),
            rotation: Rotation::None,
        }
    }

    /// The runs of frames under one decision, in order.
    pub(crate) fn into_spans(self) -> Vec<DecisionSpan> {
        self.spans
    }

    /// The runs of frames decided so far, in order.
    pub(crate) fn spans(&self) -> &[DecisionSpan] {
        &self.spans
    }
}

/// Extends the last run of frames when `generation` (the decider's) has
/// not changed and the decision masks the same zones; starts a new run
/// otherwise.
fn record(spans: &mut Vec<DecisionSpan>, generation: u64, time: &FrameTime, decision: &Decision) {
    if let Some(last) = spans.last_mut() {
        if last.generation == generation {
            last.last_frame = time.index;
            return;
        }
    }
    let masked_zones: Vec<String> = decision
        .zones
        .iter()
        .filter(|z| z.masked())
        .map(|z| format!("{} ({})", z.name, z.rule))
        .collect();
    if let Some(last) = spans.last_mut() {
        if last.full_frame == decision.full_frame && last.masked_zones == masked_zones {
            last.last_frame = time.index;
            last.generation = generation;
            return;
        }
    }
    spans.push(DecisionSpan {
        first_frame: time.index,
        last_frame: time.index,
        at: time.instant.map(|t| t.to_string()),
        full_frame: decision.full_frame,
        masked_zones,
        generation,
    });
}

/// The decision at `at` and the decider's generation after deciding (the
/// second call is a cache hit).
fn decide_at(decider: &mut Decider, at: Option<Timestamp>) -> (u64, &Decision) {
    decider.decide(at);
    let generation = decider.generation();
    (generation, decider.decide(at))
}

/// What a decision does to a frame, before any pixel is touched.
fn outcome(decision: &Decision) -> MaskOutcome {
    if decision.full_frame {
        MaskOutcome::FullFrame
    } else if decision.zones.iter().any(|z| z.masked()) {
        MaskOutcome::Masked
    } else {
        MaskOutcome::Unmasked
    }
}

/// The masks of `decision` for a decoded `width × height` frame whose
/// stream is shown turned by `rotation`: zones are drawn on the displayed
/// picture, so they are rasterized at its size and turned back onto the
/// decoded one (see `sladd_ffmpeg::orientation`).
pub(crate) fn coded_layers(
    decision: &Decision,
    rotation: Rotation,
    width: u32,
    height: u32,
    default_style: Style,
) -> Result<Vec<(Style, sladd_core::SpanMask)>, MaskError> {
    let (dw, dh) = rotation.display_size(width, height);
    decision
        .mask_layers(dw, dh, default_style)?
        .into_iter()
        .map(|(style, shown)| Ok((style, rotation.mask_to_coded(&shown, width, height)?)))
        .collect()
}

impl FrameMasker for PolicyMasker<'_> {
    type Error = MaskError;

    fn begin(&mut self, info: &VideoInfo) -> Result<(), MaskError> {
        if self.rotation != info.rotation {
            self.prepared = None;
        }
        self.rotation = info.rotation;
        Ok(())
    }

    fn needs_frame(&mut self, time: &FrameTime) -> bool {
        // An interrupted run still goes through `mask`, which stops it.
        if self.cancel.load(Ordering::Relaxed) {
            return true;
        }
        let (generation, decision) = decide_at(&mut self.decider, time.instant);
        let needs = outcome(decision) != MaskOutcome::Unmasked;
        if !needs {
            record(&mut self.spans, generation, time, decision);
        }
        needs
    }

    fn mask(
        &mut self,
        frame: &mut FrameMut<'_>,
        time: &FrameTime,
    ) -> Result<MaskOutcome, MaskError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(MaskError::Cancelled);
        }
        let key = (frame.format(), frame.width(), frame.height());
        let result = self.prepare(key, time)?;
        if let Some(ready) = &self.prepared {
            self.redactor.apply(frame, &ready.redaction)?;
        }
        Ok(result)
    }
}

impl PolicyMasker<'_> {
    /// What the policy does to the frame of `(format, width, height)` shown
    /// at `time`: the outcome and the prepared masks (empty when nothing is
    /// masked), exactly those `mask` applies. Records the decision span as
    /// `mask` does; `sladd verify` decides through this.
    pub(crate) fn redaction_at(
        &mut self,
        key: (PixelFormat, u32, u32),
        time: &FrameTime,
    ) -> Result<(MaskOutcome, Option<&Redaction>), MaskError> {
        let result = self.prepare(key, time)?;
        Ok((result, self.prepared.as_ref().map(|p| &p.redaction)))
    }

    /// Decides at `time`, records the span and leaves the masks for that
    /// decision and frame geometry in `self.prepared`.
    fn prepare(
        &mut self,
        key: (PixelFormat, u32, u32),
        time: &FrameTime,
    ) -> Result<MaskOutcome, MaskError> {
        let Self {
            decider,
            default_style,
            prepared,
            spans,
            rotation,
            ..
        } = self;
        let (generation, decision) = decide_at(decider, time.instant);
        let ready = match prepared.take() {
            Some(p) if (p.format, p.width, p.height) == key && p.decision.same_masks(decision) => p,
            _ => {
                let (format, width, height) = key;
                let layers = coded_layers(decision, *rotation, width, height, *default_style)?;
                let redaction = Redaction::new(format, width, height, layers)?;
                Prepared {
                    decision: decision.clone(),
                    format,
                    width,
                    height,
                    redaction,
                }
            }
        };
        let result = outcome(decision);
        record(spans, generation, time, decision);
        *prepared = Some(ready);
        Ok(result)
    }
}
