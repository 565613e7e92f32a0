//! The video encoder: same codec family as the input, quality that keeps
//! the picture, the input's timing and aspect.

use ffmpeg_next::codec::threading;
use ffmpeg_next::format::Pixel;
use ffmpeg_next::software::scaling;
use ffmpeg_next::{codec, encoder, frame, Dictionary, Packet, Rational};

use crate::decode::VideoInfo;
use crate::error::{Error, Result};
use crate::pixel::{conversion_target, core_format, pixel_name};

/// How to encode the redacted video.
#[derive(Debug, Clone, PartialEq)]
pub struct EncoderSettings {
    /// The encoder's FFmpeg name (`libx264`); `None` picks the input's
    /// family (see [`choose_encoder`]).
    pub encoder: Option<String>,
    /// The x264/x265 speed preset.
    pub preset: String,
    /// Constant rate factor for x264/x265 (lower is better; `None`: 20 for
    /// x264, 24 for x265). MJPEG uses a fixed quantiser of 3 instead.
    pub crf: Option<f32>,
    /// Encoder threads; 0 lets the encoder choose.
    pub threads: usize,
}

impl Default for EncoderSettings {
    fn default() -> Self {
        Self {
            encoder: None,
            preset: "veryfast".to_owned(),
            crf: None,
            threads: 0,
        }
    }
}

/// The encoder for a video of `codec`, and a note when it is not of the
/// input's family: H.264 → `libx264`; HEVC → `libx265`, else `libx264`;
/// MJPEG → `mjpeg`; anything else → `libx264`.
#[must_use]
pub fn choose_encoder(codec: codec::Id) -> (String, Option<String>) {
    let has = |name: &str| encoder::find_by_name(name).is_some();
    match codec {
        codec::Id::H264 => ("libx264".into(), None),
        codec::Id::HEVC if has("libx265") => ("libx265".into(), None),
        codec::Id::HEVC => (
            "libx264".into(),
            Some("libx265 is not available: HEVC input re-encoded as H.264".into()),
        ),
        codec::Id::MJPEG => ("mjpeg".into(), None),
        other => (
            "libx264".into(),
            Some(format!(
                "no encoder of the input's family ({}): re-encoded as H.264",
                other.name()
            )),
        ),
    }
}

/// The pixel format frames are masked in: the decoder's when sladd-core
/// supports it, else what the decoder converts to.
#[must_use]
pub fn masking_format(decoded: Pixel) -> Pixel {
    if decoded == Pixel::None {
        Pixel::YUV420P
    } else if core_format(decoded).is_some() {
        decoded
    } else {
        conversion_target(decoded)
    }
}

/// x264 and x265 cannot encode subsampled chroma at an odd width or
/// height (an RGB or 4:4:4 source of 33 × 17, say); 4:4:4 of the same depth
/// holds any size, so such frames are encoded in it rather than refused.
fn whole_chroma_for_odd_sizes(
    name: &str,
    format: Pixel,
    width: u32,
    height: u32,
    supported: &[Pixel],
) -> Pixel {
    let odd = width % 2 == 1 || height % 2 == 1;
    let subsampled = format
        .descriptor()
        .is_some_and(|d| d.log2_chroma_w() > 0 || d.log2_chroma_h() > 0);
    if !odd || !subsampled || !matches!(name, "libx264" | "libx265") {
        return format;
    }
    let deep = crate::ffi::component_depth(format).is_some_and(|d| d > 8);
    let wanted = if deep {
        Pixel::YUV444P10LE
    } else {
        Pixel::YUV444P
    };
    if supported.is_empty() || supported.contains(&wanted) {
        wanted
    } else {
        format
    }
}

/// An opened video encoder and the frame conversion in front of it.
pub(crate) struct VideoEncoder {
    pub(crate) encoder: encoder::Video,
    pub(crate) name: String,
    format: Pixel,
    width: u32,
    height: u32,
    scaler: Option<scaling::Context>,
    sent: u64,
}

impl VideoEncoder {
    /// Opens `name` for `info`'s video, frames in `format`, timestamps in
    /// `time_base`.
    pub(crate) fn open(
        name: &str,
        info: &VideoInfo,
        time_base: Rational,
        color: &ColorTags,
        format: Pixel,
        global_header: bool,
        settings: &EncoderSettings,
    ) -> Result<Self> {
        let codec = encoder::find_by_name(name).ok_or_else(|| Error::EncoderUnavailable {
            name: name.to_owned(),
        })?;
        let open_error = |source| Error::EncoderOpen {
            name: name.to_owned(),
            source,
        };
        let mut context = codec::context::Context::new_with_codec(codec);
        context.set_threading(threading::Config {
            kind: threading::Type::Frame,
            count: settings.threads,
            ..threading::Config::default()
        });
        let mut video = context.encoder().video().map_err(open_error)?;
        let supported: Vec<Pixel> = codec
            .video()
            .ok()
            .and_then(|v| v.formats())
            .map(|f| f.collect())
            .unwrap_or_default();
        let format = if supported.is_empty() || supported.contains(&format) {
            format
        } else if supported.contains(&Pixel::YUVJ420P) && name == "mjpeg" {
            Pixel::YUVJ420P
        } else if supported.contains(&Pixel::YUV420P) {
            Pixel::YUV420P
        } else {
            supported.first().copied().unwrap_or(format)
        };
        let format = whole_chroma_for_odd_sizes(name, format, info.width, info.height, &supported);
        video.set_width(info.width);
        video.set_height(info.height);
        video.set_format(format);
        video.set_time_base(time_base);
        video.set_frame_rate(info.frame_rate);
        if info.sample_aspect_ratio.numerator() > 0 {
            video.set_aspect_ratio(info.sample_aspect_ratio);
        }
        video.set_color_range(color.range);
        video.set_colorspace(color.space);
        video.set_color_primaries(color.primaries);
        video.set_color_transfer_characteristic(color.transfer);
        let mut flags = codec::Flags::empty();
        if global_header {
            flags |= codec::Flags::GLOBAL_HEADER;
        }
        let mut options = Dictionary::new();
        match name {
            "libx264" => {
                options.set("preset", &settings.preset);
                options.set("crf", &settings.crf.unwrap_or(20.0).to_string());
            }
            "libx265" => {
                options.set("preset", &settings.preset);
                options.set("crf", &settings.crf.unwrap_or(24.0).to_string());
                options.set("x265-params", "log-level=error");
            }
            "mjpeg" => {
                flags |= codec::Flags::QSCALE;
                // FF_QP2LAMBDA * q: quantiser 3, near-transparent JPEG.
                video.set_global_quality(118 * 3);
            }
            _ => {}
        }
        video.set_flags(flags);
        let encoder = video.open_with(options).map_err(open_error)?;
        Ok(Self {
            encoder,
            name: name.to_owned(),
            format,
            width: info.width,
            height: info.height,
            scaler: None,
            sent: 0,
        })
    }

    /// Frames sent so far.
    pub(crate) fn sent(&self) -> u64 {
        self.sent
    }

    /// Sends one frame (converted to the encoder's format and size when it
    /// differs), then hands every packet ready to `sink`.
    pub(crate) fn send<F>(&mut self, frame: &frame::Video, sink: F) -> Result<()>
    where
        F: FnMut(Packet) -> Result<()>,
    {
        let def = (frame.format(), frame.width(), frame.height());
        let result = if def == (self.format, self.width, self.height) {
            self.encoder.send_frame(frame)
        } else {
            let converted = self.convert(frame)?;
            self.encoder.send_frame(&converted)
        };
        result.map_err(|source| Error::Encode {
            frame: self.sent,
            source,
        })?;
        self.sent += 1;
        self.drain(sink)
    }

    /// Signals the end of the video and hands out the last packets.
    pub(crate) fn finish<F>(&mut self, sink: F) -> Result<()>
    where
        F: FnMut(Packet) -> Result<()>,
    {
        self.encoder.send_eof().map_err(|source| Error::Encode {
            frame: self.sent,
            source,
        })?;
        self.drain(sink)
    }

    /// Receives packets until the encoder wants input (`EAGAIN`) or is
    /// flushed (`EOF`).
    fn drain<F>(&mut self, mut sink: F) -> Result<()>
    where
        F: FnMut(Packet) -> Result<()>,
    {
        loop {
            let mut packet = Packet::empty();
            match self.encoder.receive_packet(&mut packet) {
                Ok(()) => sink(packet)?,
                Err(ffmpeg_next::Error::Other { errno }) if errno == ffmpeg_next::error::EAGAIN => {
                    return Ok(())
                }
                Err(ffmpeg_next::Error::Eof) => return Ok(()),
                Err(source) => {
                    return Err(Error::Encode {
                        frame: self.sent,
                        source,
                    })
                }
            }
        }
    }

    fn convert(&mut self, frame: &frame::Video) -> Result<frame::Video> {
        let (from, w, h) = (frame.format(), frame.width(), frame.height());
        let error = |source| Error::Convert {
            frame: self.sent,
            from: pixel_name(from),
            to: pixel_name(self.format),
            source,
        };
        let fits = self.scaler.as_ref().is_some_and(|s| {
            let i = s.input();
            (i.format, i.width, i.height) == (from, w, h)
        });
        if !fits {
            let context = scaling::Context::get(
                from,
                w,
                h,
                self.format,
                self.width,
                self.height,
                scaling::Flags::BILINEAR,
            )
            .map_err(error)?;
            self.scaler = Some(context);
        }
        let mut out = frame::Video::empty();
        if let Some(scaler) = self.scaler.as_mut() {
            scaler.run(frame, &mut out).map_err(error)?;
        }
        crate::ffi::copy_props(&mut out, frame).map_err(error)?;
        Ok(out)
    }
}

/// The colour description carried from decoder to encoder.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColorTags {
    pub(crate) range: ffmpeg_next::util::color::Range,
    pub(crate) space: ffmpeg_next::util::color::Space,
    pub(crate) primaries: ffmpeg_next::util::color::Primaries,
    pub(crate) transfer: ffmpeg_next::util::color::TransferCharacteristic,
}
