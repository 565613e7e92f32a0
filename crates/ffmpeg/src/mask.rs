//! What masks each frame: a per-frame callback the policy drives, and a
//! ready one over fixed masks.

use sladd_core::{Coverage, FrameMut, PixelFormat, Redaction, Redactor, Region, SpanMask, Style};

use crate::decode::VideoInfo;
use crate::time::FrameTime;
use sladd_core::Rotation;

/// What a [`FrameMasker`] did to a frame (counted in the report), least
/// first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

    /// A masker for another video stream of the same camera (a substream
    /// at another resolution, described by `info`), masking the same
    /// normalized zones at that stream's own size and deciding each of its
    /// frames at its own instant. The transcoder calls it once per such
    /// stream before [`FrameMasker::begin`], then `begin` on the masker it
    /// returns. `None` (the default) says this masker's masks belong to one
    /// picture size only: the stream is then left out, never written
    /// unmasked.
    ///
    /// # Errors
    /// Whatever makes masking that stream impossible: the file stops.
    fn for_substream(
        &mut self,
        info: &VideoInfo,
    ) -> Result<Option<Substream<Self::Error>>, Self::Error> {
        let _ = info;
        Ok(None)
    }

    /// Masks `frame`, shown at `time`, in place. The frames of an
    /// interlaced video come as their two fields, one call each with the
    /// same `time`: pictures of half the height, to be masked with the same
    /// (normalized) zones.
    ///
    /// # Errors
    /// Any failure: the transcoder stops and writes nothing more.
    fn mask(
        &mut self,
        frame: &mut FrameMut<'_>,
        time: &FrameTime,
    ) -> Result<MaskOutcome, Self::Error>;
}

/// The masker of a substream ([`FrameMasker::for_substream`]).
pub type Substream<E> = Box<dyn FrameMasker<Error = E> + Send>;

/// Forwards every call to the masker behind a reference or a box.
macro_rules! forward_masker {
    ($($target:ty),*) => {$(
        impl<M: FrameMasker + ?Sized> FrameMasker for $target {
            type Error = M::Error;

            fn begin(&mut self, info: &VideoInfo) -> Result<(), Self::Error> {
                (**self).begin(info)
            }

            fn needs_frame(&mut self, time: &FrameTime) -> bool {
                (**self).needs_frame(time)
            }

            fn for_substream(
                &mut self,
                info: &VideoInfo,
            ) -> Result<Option<Substream<Self::Error>>, Self::Error> {
                (**self).for_substream(info)
            }

            fn mask(
                &mut self,
                frame: &mut FrameMut<'_>,
                time: &FrameTime,
            ) -> Result<MaskOutcome, Self::Error> {
                (**self).mask(frame, time)
            }
        }
    )*};
}

forward_masker!(&mut M, Box<M>);

/// The same masks on every frame.
///
/// Built from span masks at the video's size ([`StaticMask::new`], in the
/// decoded orientation) or from resolution-independent regions
/// ([`StaticMask::from_regions`], in the displayed orientation, rasterized
/// conservatively: every pixel a region touches is masked; see
/// [`sladd_core::rotation`]). The core
/// [`Redaction`] is prepared on the first frame for its pixel format (which
/// may differ from the container's, after conversion) and again whenever
/// format or size change.
#[derive(Debug)]
pub struct StaticMask {
    source: Source,
    prepared: Option<Prepared>,
    redactor: Redactor,
    rotation: Rotation,
}

#[derive(Debug)]
enum Source {
    Masks(Vec<(Style, SpanMask)>),
    Regions(Vec<(Style, Region)>),
}

#[derive(Debug)]
struct Prepared {
    key: (PixelFormat, u32, u32),
    redaction: Redaction,
    outcome: MaskOutcome,
}

impl StaticMask {
    /// Masks every frame with `layers`: styles and luma-resolution masks
    /// the size of the video's frames.
    #[must_use]
    pub fn new(layers: Vec<(Style, SpanMask)>) -> Self {
        Self {
            source: Source::Masks(layers),
            prepared: None,
            redactor: Redactor::new(),
            rotation: Rotation::None,
        }
    }

    /// Masks every frame with `regions` (normalized coordinates), each
    /// rasterized conservatively at the frame's size.
    #[must_use]
    pub fn from_regions(regions: Vec<(Style, Region)>) -> Self {
        Self {
            source: Source::Regions(regions),
            prepared: None,
            redactor: Redactor::new(),
            rotation: Rotation::None,
        }
    }

    fn prepare(&self, key: (PixelFormat, u32, u32)) -> Result<Prepared, sladd_core::Error> {
        let (format, width, height) = key;
        let layers: Vec<(Style, SpanMask)> = match &self.source {
            Source::Masks(layers) => layers.clone(),
            Source::Regions(regions) => {
                let (dw, dh) = self.rotation.display_size(width, height);
                regions
                    .iter()
                    .map(|(style, region)| {
                        let shown = region.rasterize(dw, dh, Coverage::Conservative)?;
                        let mask = self.rotation.mask_to_coded(&shown, width, height)?;
                        Ok((*style, mask))
                    })
                    .collect::<Result<_, sladd_core::Error>>()?
            }
        };
        let outcome = if layers.iter().any(|(_, m)| m.is_full()) {
            MaskOutcome::FullFrame
        } else if layers.iter().all(|(_, m)| m.is_empty()) {
            MaskOutcome::Unmasked
        } else {
            MaskOutcome::Masked
        };
        let redaction = Redaction::new(format, width, height, layers)?;
        Ok(Prepared {
            key,
            redaction,
            outcome,
        })
    }
}

impl FrameMasker for StaticMask {
    type Error = sladd_core::Error;

    fn begin(&mut self, info: &VideoInfo) -> Result<(), Self::Error> {
        if self.rotation != info.rotation {
            self.prepared = None;
        }
        self.rotation = info.rotation;
        Ok(())
    }

    /// Regions are normalized: a substream gets them at its own size.
    /// Span masks fit one size only: `None`.
    fn for_substream(
        &mut self,
        _info: &VideoInfo,
    ) -> Result<Option<Substream<Self::Error>>, Self::Error> {
        Ok(match &self.source {
            Source::Regions(regions) => Some(Box::new(Self::from_regions(regions.clone()))),
            Source::Masks(_) => None,
        })
    }

    fn mask(
        &mut self,
        frame: &mut FrameMut<'_>,
        _time: &FrameTime,
    ) -> Result<MaskOutcome, Self::Error> {
        let key = (frame.format(), frame.width(), frame.height());
        let prepared = match self.prepared.take() {
            Some(p) if p.key == key => p,
            _ => self.prepare(key)?,
        };
        let prepared = self.prepared.insert(prepared);
        self.redactor.apply(frame, &prepared.redaction)?;
        Ok(prepared.outcome)
    }
}
