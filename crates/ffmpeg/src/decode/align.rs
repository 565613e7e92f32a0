//! Two decodes of one picture brought to one pixel format and range, so
//! that an original can be compared with a redaction that was re-exported
//! in another format (full range `yuvj420p`, 4:2:2 made 4:2:0).

use ffmpeg_next::format::Pixel;
use ffmpeg_next::frame;
use ffmpeg_next::software::scaling;
use ffmpeg_next::util::color;
use sladd_core::{ColorRange, PixelFormat};

use super::DecodedFrame;
use crate::error::{Error, Result};
use crate::ffi::{self, Scaler};
use crate::pixel::{core_format, frame_range, pixel_name};

/// What two frames were brought to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// The common pixel format (FFmpeg's name).
    pub format: String,
    /// Whether it is full range.
    pub full_range: bool,
    /// Whether the original and whether the redaction was converted.
    pub converted: [bool; 2],
}

/// A conversion: source format and size, target format, source and target
/// full range.
type ScalerKey = (Pixel, u32, u32, Pixel, bool, bool);

/// A scaler kept for one side, with the conversion it does.
type Slot = Option<(ScalerKey, Scaler)>;

/// Brings pairs of frames to a common format, keeping its scalers between
/// calls.
#[derive(Default)]
pub struct Aligner {
    scalers: [Slot; 2],
}

impl std::fmt::Debug for Aligner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Aligner").finish_non_exhaustive()
    }
}

/// A frame's layout for the comparison: its core format and range.
fn layout(frame: &frame::Video) -> Option<(PixelFormat, ColorRange)> {
    let (format, implied) = core_format(frame.format())?;
    let range = frame_range(frame, implied).unwrap_or(ColorRange::Limited);
    Some((
        format,
        if format.is_rgb() {
            ColorRange::Full
        } else {
            range
        },
    ))
}

/// The pixel format both frames are compared in: the coarser chroma
/// subsampling and the lower depth of the two (planar YUV), or the
/// redaction's when both are RGB.
fn common(original: PixelFormat, redacted: PixelFormat, redacted_pixel: Pixel) -> Pixel {
    if original.is_rgb() && redacted.is_rgb() {
        return redacted_pixel;
    }
    let yuv = |f: PixelFormat| (!f.is_rgb()).then(|| (f.chroma_shift(), f.depth()));
    let shifts: Vec<((u8, u8), u32)> = [original, redacted].into_iter().filter_map(yuv).collect();
    let sx = shifts.iter().map(|s| s.0 .0).max().unwrap_or(1);
    let sy = shifts.iter().map(|s| s.0 .1).max().unwrap_or(1);
    let depth = shifts.iter().map(|s| s.1).min().unwrap_or(8);
    match ((sx, sy), depth) {
        ((1, 1), 10) => Pixel::YUV420P10LE,
        ((1, 1), _) => Pixel::YUV420P,
        ((1, 0), _) => Pixel::YUV422P,
        _ => Pixel::YUV444P,
    }
}

impl Aligner {
    /// A new aligner.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Converts `original`, `redacted` or both so they have one pixel format
    /// (see the module docs) and the redaction's YUV range, which is what
    /// its masked samples are judged in. `None` when they already agree;
    /// frames of different sizes are left as they are.
    ///
    /// # Errors
    /// [`Error::Convert`] when swscale fails.
    pub fn align(
        &mut self,
        original: &mut DecodedFrame,
        redacted: &mut DecodedFrame,
    ) -> Result<Option<Alignment>> {
        let (o, r) = (&original.frame, &redacted.frame);
        if (o.width(), o.height()) != (r.width(), r.height()) {
            return Ok(None);
        }
        let (Some(lo), Some(lr)) = (layout(o), layout(r)) else {
            return Ok(None);
        };
        if lo == lr {
            return Ok(None);
        }
        let target = common(lo.0, lr.0, r.format());
        let full = lr.1 == ColorRange::Full;
        let mut converted = [false; 2];
        for (k, (frame, (format, range))) in [(&mut *original, lo), (&mut *redacted, lr)]
            .into_iter()
            .enumerate()
        {
            let target_layout = core_format(target).map(|(f, _)| f);
            let same_range = format.is_rgb() || (range == ColorRange::Full) == full;
            if target_layout == Some(format) && same_range {
                continue;
            }
            let index = frame.time.index;
            let slot = &mut self.scalers[k];
            frame.frame = convert(&frame.frame, target, full, range, slot, index)?;
            converted[k] = true;
        }
        Ok(Some(Alignment {
            format: pixel_name(target),
            full_range: full,
            converted,
        }))
    }
}

/// `frame` (of `range`) in `target`, full range or not.
fn convert(
    frame: &frame::Video,
    target: Pixel,
    full: bool,
    range: ColorRange,
    slot: &mut Slot,
    index: u64,
) -> Result<frame::Video> {
    let (from, w, h) = (frame.format(), frame.width(), frame.height());
    let src_full = range == ColorRange::Full;
    let key = (from, w, h, target, src_full, full);
    let error = |source| Error::Convert {
        frame: index,
        from: pixel_name(from),
        to: pixel_name(target),
        source,
    };
    if slot.as_ref().map(|(k, _)| *k) != Some(key) {
        let mut context = scaling::Context::get(
            from,
            w,
            h,
            target,
            w,
            h,
            scaling::Flags::BICUBIC | scaling::Flags::ACCURATE_RND,
        )
        .map_err(error)?;
        if !ffi::set_scaler_ranges(&mut context, src_full, full) {
            return Err(error(ffmpeg_next::Error::Bug));
        }
        *slot = Some((key, Scaler(context)));
    }
    let mut out = frame::Video::empty();
    if let Some((_, scaler)) = slot.as_mut() {
        scaler.0.run(frame, &mut out).map_err(error)?;
    }
    ffi::copy_props(&mut out, frame).map_err(error)?;
    out.set_color_range(if full {
        color::Range::JPEG
    } else {
        color::Range::MPEG
    });
    Ok(out)
}
