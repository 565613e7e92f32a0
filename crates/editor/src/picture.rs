//! The picture zones are drawn on: a frame of the camera's video (decoded
//! by sladd-ffmpeg at a chosen time), a still image, or a grey canvas of
//! the camera's size; and that picture masked as `sladd redact` masks it.
//!
//! Pictures are given as players show them: a video whose display matrix
//! turns it is shown turned, and zones are drawn on that. A video frame is
//! masked in its decoded pixel format and orientation, as `redact` masks
//! it, then converted to RGB for the page.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ImageEncoder, RgbImage};
use jiff::Timestamp;
use serde::Serialize;
use sladd_core::FrameMut;
use sladd_ffmpeg::snapshot;
use sladd_ffmpeg::{DecodedFrame, Decoder, DecoderOptions, Rotation};
use sladd_policy::{CameraMasker, Policy};

use crate::error::{Error, Result};

/// The size of a camera's canvas when the site file gives no
/// `reference_resolution`.
pub const DEFAULT_SIZE: (u32, u32) = (1920, 1080);

/// What a picture is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Frames of a video file; `start` overrides its `creation_time`.
    Video {
        /// The file.
        path: PathBuf,
        /// The recording's start, when the caller knows it better.
        start: Option<Timestamp>,
    },
    /// A still image (PNG, or any format the `image` crate reads here).
    Image(PathBuf),
    /// A grey canvas with a faint grid.
    Canvas {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

/// What the page needs to know about a picture.
#[derive(Debug, Clone, Serialize)]
pub struct PictureInfo {
    /// `video`, `image` or `canvas`.
    pub kind: &'static str,
    /// Width as shown, in pixels.
    pub width: u32,
    /// Height as shown, in pixels.
    pub height: u32,
    /// The video's length in seconds, when known.
    pub duration: Option<f64>,
    /// The video's frame rate, when known.
    pub frame_rate: Option<f64>,
    /// The recording's start (RFC 3339), when known: a frame at `t` seconds
    /// was recorded at `start + t`.
    pub start: Option<String>,
    /// The file's name (not its path).
    pub file: Option<String>,
}

/// A frame decoded for a time, kept for the next request at that time.
struct Cached {
    seconds: f64,
    frame: DecodedFrame,
}

/// A camera's picture; see the module docs.
pub struct Picture {
    source: Source,
    info: PictureInfo,
    rotation: Rotation,
    start: Option<Timestamp>,
    still: Option<RgbImage>,
    last: Mutex<Option<Cached>>,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picture")
            .field("source", &self.source)
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl Picture {
    /// Opens the picture: reads a video's stream information, decodes an
    /// image, paints a canvas.
    ///
    /// # Errors
    /// [`Error::Media`] for a video FFmpeg cannot open, [`Error::Picture`]
    /// for an image that cannot be read or a canvas of no size.
    pub fn open(source: Source) -> Result<Self> {
        match &source {
            Source::Video { path, start } => Self::video(path, *start, source.clone()),
            Source::Image(path) => {
                let image = image::open(path)
                    .map_err(|e| Error::Picture {
                        message: format!("cannot read {}: {e}", path.display()),
                    })?
                    .to_rgb8();
                Ok(Self::still(source.clone(), "image", image, file_name(path)))
            }
            Source::Canvas { width, height } => {
                if *width == 0 || *height == 0 || *width > 16_384 || *height > 16_384 {
                    return Err(Error::Picture {
                        message: format!("a canvas of {width}x{height} pixels"),
                    });
                }
                let image = canvas(*width, *height);
                Ok(Self::still(source.clone(), "canvas", image, None))
            }
        }
    }

    fn video(path: &Path, start: Option<Timestamp>, source: Source) -> Result<Self> {
        sladd_ffmpeg::init()?;
        sladd_ffmpeg::quiet_ffmpeg_logs();
        let options = DecoderOptions {
            start,
            ..DecoderOptions::default()
        };
        let decoder = Decoder::open(path, &options)?;
        let info = decoder.info();
        let (width, height) = info.rotation.display_size(info.width, info.height);
        let frame_rate = info
            .frame_rate
            .filter(|r| r.denominator() != 0 && r.numerator() > 0)
            .map(|r| f64::from(r.numerator()) / f64::from(r.denominator()));
        let picture_info = PictureInfo {
            kind: "video",
            width,
            height,
            duration: info.duration,
            frame_rate,
            start: info.start.map(|t| t.to_string()),
            file: file_name(path),
        };
        Ok(Self {
            source,
            info: picture_info,
            rotation: info.rotation,
            start: info.start,
            still: None,
            last: Mutex::new(None),
        })
    }

    fn still(source: Source, kind: &'static str, image: RgbImage, file: Option<String>) -> Self {
        let (width, height) = image.dimensions();
        Self {
            source,
            info: PictureInfo {
                kind,
                width,
                height,
                duration: None,
                frame_rate: None,
                start: None,
                file,
            },
            rotation: Rotation::None,
            start: None,
            still: Some(image),
            last: Mutex::new(None),
        }
    }

    /// Size, kind and timing.
    #[must_use]
    pub fn info(&self) -> &PictureInfo {
        &self.info
    }

    /// When the frame at `seconds` was recorded, when the start is known.
    #[must_use]
    pub fn instant_at(&self, seconds: f64) -> Option<Timestamp> {
        let start = self.start?;
        let nanos = (seconds.max(0.0) * 1e9).round() as i64;
        start
            .checked_add(jiff::SignedDuration::from_nanos(nanos))
            .ok()
    }

    /// The picture as shown at `seconds` into the video (ignored for an
    /// image or a canvas), unmasked, as PNG.
    ///
    /// # Errors
    /// [`Error::Media`] when the frame cannot be decoded, [`Error::Png`].
    pub fn frame_png(&self, seconds: f64) -> Result<Vec<u8>> {
        if let Some(still) = &self.still {
            return png(still);
        }
        let frame = self.decoded(seconds)?;
        png(&self.displayed(&frame)?)
    }

    /// The picture at `seconds` masked as `sladd redact` masks it for
    /// camera `camera` of `policy` at `at` (`None`: the frame's own
    /// instant, unknown when the recording's start is), as PNG.
    ///
    /// # Errors
    /// [`sladd_policy::Error::UnknownCamera`], [`Error::Media`],
    /// [`Error::Mask`], [`Error::Png`].
    pub fn preview_png(
        &self,
        policy: &Policy,
        camera: &str,
        at: Option<Option<Timestamp>>,
        seconds: f64,
    ) -> Result<Vec<u8>> {
        if let Some(still) = &self.still {
            let mut image = still.clone();
            let mut view = FrameMut::from_rgb_image(&mut image)?;
            mask(policy, camera, &mut view, Rotation::None, at.flatten())?;
            return png(&image);
        }
        let mut frame = self.decoded(seconds)?;
        let instant = at.unwrap_or(frame.time().instant);
        {
            let mut view = frame.view()?;
            mask(policy, camera, &mut view, self.rotation, instant)?;
        }
        png(&self.displayed(&frame)?)
    }

    /// The frame shown at `seconds`: decoded, or a new handle on the one
    /// decoded last for the same time.
    fn decoded(&self, seconds: f64) -> Result<DecodedFrame> {
        let Source::Video { path, start } = &self.source else {
            return Err(Error::Picture {
                message: "not a video".to_owned(),
            });
        };
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(cached) = last.as_ref().filter(|c| c.seconds == seconds) {
            return Ok(cached.frame.try_clone()?);
        }
        let options = DecoderOptions {
            start: *start,
            ..DecoderOptions::default()
        };
        let frame = snapshot::frame_at(path, seconds, &options)?;
        let copy = frame.try_clone()?;
        *last = Some(Cached { seconds, frame });
        Ok(copy)
    }

    /// A decoded frame as RGB, turned as players show it.
    fn displayed(&self, frame: &DecodedFrame) -> Result<RgbImage> {
        let (w, h, rgb) = snapshot::to_rgb24(frame)?;
        let image = RgbImage::from_raw(w, h, rgb).ok_or_else(|| Error::Picture {
            message: format!("a decoded frame of {w}x{h} has the wrong size"),
        })?;
        Ok(match self.rotation {
            Rotation::None => image,
            Rotation::Clockwise90 => image::imageops::rotate90(&image),
            Rotation::Half => image::imageops::rotate180(&image),
            Rotation::Clockwise270 => image::imageops::rotate270(&image),
        })
    }
}

/// Masks `frame` (decoded, shown turned by `rotation`) as the policy
/// decides for `camera` at `at`, through the masker `sladd redact` uses.
fn mask(
    policy: &Policy,
    camera: &str,
    frame: &mut FrameMut<'_>,
    rotation: Rotation,
    at: Option<Timestamp>,
) -> Result<()> {
    let mut masker = CameraMasker::new(
        policy,
        camera,
        frame.format(),
        frame.width(),
        frame.height(),
    )?;
    masker.set_rotation(rotation);
    masker.apply(frame, at)?;
    Ok(())
}

/// A mid-grey picture with a faint grid every sixteenth of its longer side.
fn canvas(width: u32, height: u32) -> RgbImage {
    let step = (width.max(height) / 16).max(8);
    RgbImage::from_fn(width, height, |x, y| {
        if x % step == 0 || y % step == 0 {
            image::Rgb([150, 150, 150])
        } else {
            image::Rgb([128, 128, 128])
        }
    })
}

/// PNG, compressed for speed: the page asks for a new picture at every
/// change.
fn png(image: &RgbImage) -> Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::with_capacity(image.as_raw().len() / 4));
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Sub).write_image(
        image.as_raw(),
        image.width(),
        image.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(out.into_inner())
}

fn file_name(path: &Path) -> Option<String> {
    path.file_name().map(|n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "[site]\nname = \"S\"\n[[cameras]]\nid = \"c\"\npurposes = [{ purpose = \"employee_safety\" }]\nrisk_documented = true\n[[cameras.zones]]\nname = \"Pauserom\"\narea = \"private\"\npolygon = [[0, 0], [0.5, 0], [0.5, 1], [0, 1]]\n";

    #[test]
    fn canvas_preview_masks_the_private_half() {
        let picture = Picture::open(Source::Canvas {
            width: 64,
            height: 32,
        })
        .unwrap();
        assert_eq!((picture.info().width, picture.info().height), (64, 32));
        let policy = Policy::from_str(SITE, sladd_policy::Format::Toml, "s.toml").unwrap();
        let png_bytes = picture.preview_png(&policy, "c", None, 0.0).unwrap();
        let image = image::load_from_memory(&png_bytes).unwrap().to_rgb8();
        assert_eq!(image.get_pixel(10, 10).0, [0, 0, 0]);
        assert_eq!(image.get_pixel(41, 11).0, [128, 128, 128]);
        let plain = image::load_from_memory(&picture.frame_png(0.0).unwrap())
            .unwrap()
            .to_rgb8();
        assert_eq!(plain.get_pixel(9, 9).0, [128, 128, 128]);
        assert!(matches!(
            picture.preview_png(&policy, "nope", None, 0.0),
            Err(Error::Policy(_))
        ));
    }

    #[test]
    fn a_canvas_needs_a_size() {
        assert!(Picture::open(Source::Canvas {
            width: 0,
            height: 10
        })
        .is_err());
        assert!(Picture::open(Source::Image("/nonexistent.png".into())).is_err());
    }
}
