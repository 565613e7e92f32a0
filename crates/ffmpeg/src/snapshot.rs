//! Single frames for previews: the frame shown at a time, and its pixels as
//! packed RGB.

use std::path::Path;

use ffmpeg_next::format::Pixel;
use ffmpeg_next::frame;
use ffmpeg_next::software::scaling;

use crate::decode::{DecodedFrame, Decoder, DecoderOptions};
use crate::error::{Error, Result};
use crate::pixel::pixel_name;

/// Decodes `path` up to the frame shown at `seconds` (the last frame whose
/// presentation time is not after it; the first frame for earlier times,
/// the last one for times past the end).
///
/// # Errors
/// As [`Decoder::open`] and [`Decoder::next_frame`];
/// [`Error::NoFrames`] when the stream yields no frame at all.
pub fn frame_at(path: &Path, seconds: f64, options: &DecoderOptions) -> Result<DecodedFrame> {
    let mut decoder = Decoder::open(path, options)?;
    let mut shown: Option<DecodedFrame> = None;
    while let Some(frame) = decoder.next_frame()? {
        let later = frame.time().seconds > seconds;
        if later && shown.is_some() {
            break;
        }
        shown = Some(frame);
        if later {
            break;
        }
    }
    shown.ok_or_else(|| Error::NoFrames {
        path: path.to_owned(),
    })
}

/// The frame's pixels as packed RGB, rows of `3 * width` bytes, top first.
///
/// # Errors
/// [`Error::Convert`] when swscale cannot convert the frame.
pub fn to_rgb24(frame: &DecodedFrame) -> Result<(u32, u32, Vec<u8>)> {
    let src = frame.as_ffmpeg();
    let (width, height) = (src.width(), src.height());
    let convert_error = |source| Error::Convert {
        frame: frame.time().index,
        from: pixel_name(src.format()),
        to: "rgb24".to_owned(),
        source,
    };
    let mut scaler = scaling::Context::get(
        src.format(),
        width,
        height,
        Pixel::RGB24,
        width,
        height,
        scaling::Flags::BICUBIC | scaling::Flags::ACCURATE_RND | scaling::Flags::FULL_CHR_H_INT,
    )
    .map_err(convert_error)?;
    let mut rgb = frame::Video::empty();
    scaler.run(src, &mut rgb).map_err(convert_error)?;
    let stride = rgb.stride(0);
    let row = width as usize * 3;
    let data = rgb.data(0);
    let mut out = Vec::with_capacity(row * height as usize);
    for y in 0..height as usize {
        let start = y * stride;
        out.extend_from_slice(
            data.get(start..start + row)
                .ok_or_else(|| convert_error(ffmpeg_next::Error::Bug))?,
        );
    }
    Ok((width, height, out))
}
