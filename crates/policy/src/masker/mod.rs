//! [`CameraMasker`]: one camera's policy applied to the frames of one
//! stream, the single place that decides, keeps masks and applies them.
//!
//! Decisions change only at schedule boundaries and masks only when a
//! decision masks differently, so in steady state a frame costs a
//! comparison of two timestamps and the kernels: no allocation, no
//! rasterization.

mod spans;

use jiff::Timestamp;
use sladd_core::{FrameMut, PixelFormat, Redaction, Redactor, Rotation, SpanMask, Style, Threads};

pub use spans::DecisionSpan;
use spans::SpanLog;

use crate::decide::{Decider, Decision};
use crate::error::{Error, Result};
use crate::policy::{Camera, Policy};

/// Masks the frames of one camera's stream in place, as the site policy
/// decides at each frame's instant.
///
/// ```
/// use sladd_core::{FrameMut, PixelFormat, Style};
/// use sladd_policy::{CameraMasker, Policy};
///
/// let policy = Policy::from_toml_str(include_str!("../../../../fixtures/site.toml"))?;
/// let mut masker = CameraMasker::new(&policy, "kasse-1", PixelFormat::Gray8, 64, 36)?;
/// masker.set_style(Style::fill());
///
/// let mut pixels = vec![200u8; 64 * 36];
/// let mut frame = FrameMut::from_planes(PixelFormat::Gray8, 64, 36, [(&mut pixels[..], 64)])?;
/// let noon = "2026-11-24T12:00:00+01:00".parse()?;
/// let decision = masker.apply(&mut frame, Some(noon))?;
/// assert!(decision.zones.iter().any(|z| z.masked()));
/// assert!(pixels.iter().any(|&v| v == 16));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Zones are drawn on the picture as it is shown; a stream whose frames
/// are decoded turned (a display matrix) sets [`CameraMasker::set_rotation`]
/// and passes frames in their decoded orientation.
///
/// Every frame the masker sees (through [`CameraMasker::apply`],
/// [`CameraMasker::pass`] or [`CameraMasker::redaction_at`]) is recorded
/// in [`CameraMasker::spans`], the runs of frames under one decision that
/// the evidence manifest holds.
///
/// Thread safety: a masker is `Send`; use one per stream and thread.
#[derive(Debug)]
pub struct CameraMasker {
    decider: Decider,
    geometry: Geometry,
    threads: usize,
    redactor: Redactor,
    masks: Masks,
    spans: SpanLog,
    next_frame: u64,
}

/// The frames a masker masks: decoded size, format and display rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Geometry {
    format: PixelFormat,
    width: u32,
    height: u32,
    rotation: Rotation,
}

/// The masks of the current decision, kept while decisions mask alike.
#[derive(Debug, Default)]
struct Masks {
    current: Option<Prepared>,
    /// How many times masks were built.
    generation: u64,
}

/// Masks rasterized for one decision and the current geometry.
#[derive(Debug)]
struct Prepared {
    /// The decider's generation these masks were last confirmed for.
    decided: u64,
    /// The decision they were built for.
    decision: Decision,
    redaction: Redaction,
}

impl Masks {
    /// The masks for `decision` (the decider's generation `decided`) on
    /// frames of `geometry`: the kept ones when the decision is the same
    /// one or masks alike, else built anew.
    fn for_decision(
        &mut self,
        decision: &Decision,
        decided: u64,
        geometry: &Geometry,
    ) -> Result<&Redaction> {
        // Stale masks go first: a failure below leaves none to apply.
        let prepared = match self.current.take() {
            Some(p) if p.decided == decided => p,
            Some(p) if p.decision.same_masks(decision) => Prepared { decided, ..p },
            _ => {
                let layers = coded_layers(decision, geometry)?;
                let redaction =
                    Redaction::new(geometry.format, geometry.width, geometry.height, layers)?;
                self.generation += 1;
                Prepared {
                    decided,
                    decision: decision.clone(),
                    redaction,
                }
            }
        };
        Ok(&self.current.insert(prepared).redaction)
    }

    /// Forgets the masks (the style or geometry changed).
    fn clear(&mut self) {
        self.current = None;
    }
}

impl CameraMasker {
    /// A masker for camera `camera` of `policy`, for frames of `width ×
    /// height` pixels in `format`. Masked zones without a style of their
    /// own are filled black until [`CameraMasker::set_style`]; masking runs
    /// on the calling thread until [`CameraMasker::set_threads`].
    ///
    /// # Errors
    /// [`Error::UnknownCamera`], or [`Error::Mask`] for a zero or
    /// oversized frame.
    pub fn new(
        policy: &Policy,
        camera: &str,
        format: PixelFormat,
        width: u32,
        height: u32,
    ) -> Result<Self> {
        Self::for_camera(policy.camera(camera)?, format, width, height)
    }

    /// A masker for `camera` (copied: the policy need not outlive it).
    ///
    /// # Errors
    /// [`Error::Mask`] for a zero or oversized frame.
    pub fn for_camera(
        camera: &Camera,
        format: PixelFormat,
        width: u32,
        height: u32,
    ) -> Result<Self> {
        SpanMask::empty(width, height)?;
        Ok(Self {
            decider: Decider::new(camera.clone()),
            geometry: Geometry {
                format,
                width,
                height,
                rotation: Rotation::None,
            },
            threads: 1,
            redactor: Redactor::new().with_threads(Threads::Single),
            masks: Masks::default(),
            spans: SpanLog::default(),
            next_frame: 0,
        })
    }

    /// Masks zones that name no style of their own (and a masked whole
    /// frame) with `style`; zones the rules force to a solid fill keep it.
    pub fn set_style(&mut self, style: Style) {
        self.decider.set_default_style(style);
        self.masks.clear();
    }

    /// Masks on `threads` threads: 1 (the default) is the calling thread
    /// only, 0 rayon's shared pool sized to the machine, `n > 1` a pool of
    /// its own. The output is the same bytes for every count. When the
    /// operating system refuses to start the threads, masking stays on the
    /// calling thread (see [`CameraMasker::try_set_threads`] to get the
    /// error instead).
    pub fn set_threads(&mut self, threads: usize) {
        if self.try_set_threads(threads).is_err() {
            self.use_threads(1, Threads::Single);
        }
    }

    /// As [`CameraMasker::set_threads`], failing instead of falling back.
    ///
    /// # Errors
    /// [`Error::Mask`] with the core's `ThreadPool` error; the masker
    /// keeps its threads.
    pub fn try_set_threads(&mut self, threads: usize) -> Result<()> {
        let mode = Threads::count(threads)?;
        self.use_threads(threads, mode);
        Ok(())
    }

    fn use_threads(&mut self, threads: usize, mode: Threads) {
        self.threads = threads;
        self.redactor = std::mem::take(&mut self.redactor).with_threads(mode);
    }

    /// Frames are decoded turned by `rotation` from the picture the zones
    /// were drawn on: masks are rasterized on the displayed picture and
    /// turned onto the decoded one (pixel squares onto pixel squares, so
    /// coverage stays conservative).
    pub fn set_rotation(&mut self, rotation: Rotation) {
        if rotation != self.geometry.rotation {
            self.geometry.rotation = rotation;
            self.masks.clear();
        }
    }

    /// Frames from now on are `width × height` in `format` (a stream that
    /// changes resolution mid-way). Recorded spans carry on.
    ///
    /// # Errors
    /// [`Error::Mask`] for a zero or oversized frame; the masker keeps its
    /// geometry.
    pub fn set_geometry(&mut self, format: PixelFormat, width: u32, height: u32) -> Result<()> {
        SpanMask::empty(width, height)?;
        let geometry = Geometry {
            format,
            width,
            height,
            ..self.geometry
        };
        if geometry != self.geometry {
            self.geometry = geometry;
            self.masks.clear();
        }
        Ok(())
    }

    /// The next frame the masker sees is frame `index` (0-based), for
    /// callers whose frames are not consecutive (frames left out of a
    /// damaged file).
    pub fn seek_frame(&mut self, index: u64) {
        self.next_frame = index;
    }

    /// Masks `frame` in place as the policy decides at `instant` (`None`:
    /// unknown, which takes the protective branch) and returns that
    /// decision. Pixels outside the masks stay bit-identical.
    ///
    /// # Errors
    /// [`Error::Mask`] when `frame` is not of the masker's format and size
    /// or the masks cannot be built (the frame is then untouched and must
    /// not be shown).
    pub fn apply(
        &mut self,
        frame: &mut FrameMut<'_>,
        instant: Option<Timestamp>,
    ) -> Result<&Decision> {
        let (decided, decision) = self.decider.decide_counted(instant);
        let redaction = self.masks.for_decision(decision, decided, &self.geometry)?;
        self.redactor.apply(frame, redaction)?;
        self.spans
            .record(self.next_frame, instant, decided, decision);
        self.next_frame += 1;
        Ok(decision)
    }

    /// Records a frame shown at `instant` that the caller leaves untouched
    /// because the policy masks nothing then ([`CameraMasker::needs_pixels`]
    /// said so), and returns the decision.
    ///
    /// # Errors
    /// [`Error::NotMasked`] when the decision at `instant` masks anything:
    /// that frame must go through [`CameraMasker::apply`].
    pub fn pass(&mut self, instant: Option<Timestamp>) -> Result<&Decision> {
        let (decided, decision) = self.decider.decide_counted(instant);
        if masks_anything(decision) {
            return Err(Error::NotMasked {
                camera: decision.camera.clone(),
                at: decision.at_local(),
            });
        }
        self.spans
            .record(self.next_frame, instant, decided, decision);
        self.next_frame += 1;
        Ok(decision)
    }

    /// The decision at `instant` and the masks [`CameraMasker::apply`]
    /// would apply to the next frame, without touching pixels: what a
    /// checker compares a redacted frame against. Records the frame.
    ///
    /// # Errors
    /// [`Error::Mask`] when the masks cannot be built.
    pub fn redaction_at(&mut self, instant: Option<Timestamp>) -> Result<(&Decision, &Redaction)> {
        let (decided, decision) = self.decider.decide_counted(instant);
        let redaction = self.masks.for_decision(decision, decided, &self.geometry)?;
        self.spans
            .record(self.next_frame, instant, decided, decision);
        self.next_frame += 1;
        Ok((decision, redaction))
    }

    /// The decision at `instant` (cached while it holds); no frame is
    /// recorded and no mask built.
    pub fn decide(&mut self, instant: Option<Timestamp>) -> &Decision {
        self.decider.decide(instant)
    }

    /// Whether the policy masks anything at `instant` (a zone, or the whole
    /// frame). When it does not, a caller may skip the frame's pixels and
    /// call [`CameraMasker::pass`].
    pub fn needs_pixels(&mut self, instant: Option<Timestamp>) -> bool {
        masks_anything(self.decider.decide(instant))
    }

    /// How many times masks have been built: once per decision that masks
    /// differently from the last (and after a change of style, rotation or
    /// geometry). A caller posting "the decision changed" compares it with
    /// the value it saw last.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.masks.generation
    }

    /// Records the runs of frames under one decision (`true`, the default:
    /// what a file's evidence manifest needs) or not (a live stream that
    /// runs for years keeps no record).
    pub fn set_span_recording(&mut self, record: bool) {
        self.spans.set_enabled(record);
    }

    /// The runs of frames under one decision recorded so far, in order.
    #[must_use]
    pub fn spans(&self) -> &[DecisionSpan] {
        self.spans.spans()
    }

    /// Takes the recorded runs, leaving none.
    pub fn take_spans(&mut self) -> Vec<DecisionSpan> {
        self.spans.take()
    }

    /// The camera.
    #[must_use]
    pub fn camera(&self) -> &Camera {
        self.decider.camera()
    }

    /// The frames' pixel format.
    #[must_use]
    pub fn format(&self) -> PixelFormat {
        self.geometry.format
    }

    /// The frames' width and height in pixels (decoded orientation).
    #[must_use]
    pub fn size(&self) -> (u32, u32) {
        (self.geometry.width, self.geometry.height)
    }

    /// The rotation set with [`CameraMasker::set_rotation`].
    #[must_use]
    pub fn rotation(&self) -> Rotation {
        self.geometry.rotation
    }

    /// The thread count set with [`CameraMasker::set_threads`].
    #[must_use]
    pub fn threads(&self) -> usize {
        self.threads
    }
}

/// Whether `decision` masks a zone or the whole frame.
fn masks_anything(decision: &Decision) -> bool {
    decision.full_frame || decision.zones.iter().any(|z| z.masked())
}

/// The masks of `decision` for decoded frames of `geometry`: rasterized at
/// the displayed size (where the zones were drawn) and turned back onto
/// the decoded picture.
fn coded_layers(decision: &Decision, geometry: &Geometry) -> Result<Vec<(Style, SpanMask)>> {
    let Geometry {
        width,
        height,
        rotation,
        ..
    } = *geometry;
    let (dw, dh) = rotation.display_size(width, height);
    decision
        .mask_layers(dw, dh, decision.default_style)?
        .into_iter()
        .map(|(style, shown)| Ok((style, rotation.mask_to_coded(&shown, width, height)?)))
        .collect()
}
