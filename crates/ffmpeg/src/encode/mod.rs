//! The video encoder: same codec family as the input where the container
//! holds it ([`choice`]), quality that keeps the picture, the input's
//! timing and aspect.

pub mod choice;

use ffmpeg_next::codec::threading;
use ffmpeg_next::format::Pixel;
use ffmpeg_next::software::scaling;
use ffmpeg_next::{codec, encoder, frame, Dictionary, Packet, Rational};

pub use choice::{choose_encoder, Container, EncoderChoice, Family, NoEncoder};

use crate::decode::{FieldOrder, VideoInfo};
use crate::error::{Error, Result};
use crate::pixel::{conversion_target, core_format, pixel_name};

/// How to encode the redacted video.
#[derive(Debug, Clone, PartialEq)]
pub struct EncoderSettings {
    /// The encoder's FFmpeg name (`libx264`); `None` picks the input's
    /// family where the container holds it (see [`choice::choose_encoder`]).
    pub encoder: Option<String>,
    /// The x264/x265 speed preset.
    pub preset: String,
    /// Constant rate factor for x264, x265, VP9 and AV1 (lower is better;
    /// `None`: 20 for x264, 24 for x265, 32 for VP9 and AV1). MJPEG, MPEG-2
    /// and MPEG-4 Part 2 use a fixed quantiser of 3 instead.
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

/// Whether the encoder `name` codes interlaced fields (the others get whole
/// frames, their field order tagged).
#[must_use]
pub fn codes_fields(name: &str) -> bool {
    matches!(name, "libx264" | "mpeg2video")
}

/// Whether `format` is one of the full-range `yuvj*` layouts.
fn is_full_range_layout(format: Pixel) -> bool {
    matches!(
        format,
        Pixel::YUVJ420P | Pixel::YUVJ422P | Pixel::YUVJ444P | Pixel::YUVJ440P | Pixel::YUVJ411P
    )
}

/// The full-range layout JPEG encodes `format` in: its `yuvj*` twin, else
/// 4:2:0.
fn full_range_layout(format: Pixel) -> Pixel {
    match format {
        Pixel::YUVJ422P | Pixel::YUV422P => Pixel::YUVJ422P,
        Pixel::YUVJ444P | Pixel::YUV444P => Pixel::YUVJ444P,
        _ => Pixel::YUVJ420P,
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
    #[allow(clippy::too_many_arguments)] // the encoder's whole description
    pub(crate) fn open(
        name: &str,
        info: &VideoInfo,
        time_base: Rational,
        color: &ColorTags,
        format: Pixel,
        global_header: bool,
        b_frames: bool,
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
        let source = format;
        let format = if name == "mjpeg" {
            // JPEG is full range: limited-range frames are converted.
            full_range_layout(format)
        } else if supported.is_empty() || supported.contains(&format) {
            format
        } else if supported.contains(&Pixel::YUV420P) {
            Pixel::YUV420P
        } else {
            supported.first().copied().unwrap_or(format)
        };
        let format = whole_chroma_for_odd_sizes(name, format, info.width, info.height, &supported);
        // swscale converts the range between `yuvj*` and `yuv*` layouts;
        // the tag must say what the samples then are.
        let range = if is_full_range_layout(format) {
            ffmpeg_next::util::color::Range::JPEG
        } else if is_full_range_layout(source) {
            ffmpeg_next::util::color::Range::MPEG
        } else {
            color.range
        };
        video.set_width(info.width);
        video.set_height(info.height);
        video.set_format(format);
        video.set_time_base(time_base);
        video.set_frame_rate(info.frame_rate);
        if info.sample_aspect_ratio.numerator() > 0 {
            video.set_aspect_ratio(info.sample_aspect_ratio);
        }
        video.set_color_range(range);
        video.set_colorspace(color.space);
        video.set_color_primaries(color.primaries);
        video.set_color_transfer_characteristic(color.transfer);
        let mut flags = codec::Flags::empty();
        if global_header {
            flags |= codec::Flags::GLOBAL_HEADER;
        }
        if !b_frames {
            video.set_max_b_frames(0);
        }
        // Interlaced stays interlaced: the field order is tagged, and the
        // encoders that code fields code them.
        if info.field_order.is_interlaced() {
            crate::ffi::set_field_order(
                &mut video,
                info.field_order == FieldOrder::TopFirst,
                codes_fields(name),
            );
            if codes_fields(name) {
                flags |= codec::Flags::INTERLACED_DCT | codec::Flags::INTERLACED_ME;
            }
        }
        let mut options = Dictionary::new();
        let crf = |default: f32| settings.crf.unwrap_or(default).to_string();
        match name {
            "libx264" => {
                options.set("preset", &settings.preset);
                options.set("crf", &crf(20.0));
            }
            "libx265" => {
                options.set("preset", &settings.preset);
                options.set("crf", &crf(24.0));
                let mut params = String::from("log-level=error");
                if !b_frames {
                    params.push_str(":bframes=0");
                }
                options.set("x265-params", &params);
            }
            // Constant quality at real-time speed: fast enough for archives.
            "libvpx-vp9" => {
                options.set("deadline", "realtime");
                options.set("cpu-used", "8");
                options.set("row-mt", "1");
                options.set("crf", &crf(32.0));
                video.set_bit_rate(0);
            }
            "libaom-av1" => {
                options.set("usage", "realtime");
                options.set("cpu-used", "8");
                options.set("row-mt", "1");
                options.set("crf", &crf(32.0));
                video.set_bit_rate(0);
            }
            "mjpeg" | "mpeg2video" | "mpeg4" => {
                flags |= codec::Flags::QSCALE;
                // FF_QP2LAMBDA * q: quantiser 3, near-transparent.
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

    /// The pixel format it encodes.
    pub(crate) fn format(&self) -> Pixel {
        self.format
    }

    /// The coded width.
    pub(crate) fn width(&self) -> u32 {
        self.width
    }

    /// The coded height.
    pub(crate) fn height(&self) -> u32 {
        self.height
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
