//! One masked video stream of the output: its encoder, the timestamps
//! it is given, and what was written into it.

use std::path::Path;

use ffmpeg_next::{codec, encoder, format, frame, Packet, Rational, Rescale};

use super::streams::technical_tags;
use super::RedactOptions;
use crate::decode::{Decoder, VideoInfo};
use crate::encode::{choose_encoder, masking_format, Container, EncoderChoice, VideoEncoder};
use crate::error::{Error, Result};

/// The masked video's encoder and output stream.
pub(super) struct VideoOut {
    pub(super) encoder: VideoEncoder,
    /// The input stream it is made from.
    pub(super) source: usize,
    /// Its index among the output's streams.
    pub(super) index: usize,
    /// The time base frames are encoded in.
    encoder_tb: Rational,
    /// The decoded stream's time base.
    input_tb: Rational,
    /// One frame in `encoder_tb`, for frames without a timestamp.
    frame_step: i64,
    /// The frame rate written, when known.
    frame_rate: Option<Rational>,
    /// Whether the stream carries the input's display matrix.
    display_matrix: bool,
    /// Whether the stream is tagged interlaced.
    interlaced: bool,
    /// The first timestamp sent to the encoder.
    first_pts: Option<i64>,
    /// The last timestamp sent to the encoder.
    last_pts: Option<i64>,
    /// Packets written.
    packets: u64,
    /// The earliest and latest timestamp of the frames given, in
    /// `input_tb`: the times the output must play them at.
    input_span: Option<(i64, i64)>,
    /// Whether timestamps are shifted to start at 0 (AVI).
    from_zero: bool,
    /// The shift, once the first frame set it.
    origin: Option<i64>,
}

/// One video stream of a closed output, as the muxer wrote it.
#[derive(Debug, Clone)]
pub(super) struct WrittenVideo {
    /// Its index among the output's streams.
    pub(super) index: usize,
    /// Its codec.
    pub(super) codec: codec::Id,
    /// Its coded width.
    pub(super) width: u32,
    /// Its coded height.
    pub(super) height: u32,
    /// The pixel format encoded.
    pub(super) format: format::Pixel,
    /// Packets written.
    pub(super) packets: u64,
    /// When the last frame is to play, seconds after the first (from the
    /// input's timestamps).
    pub(super) duration: f64,
    /// The frame rate written, when known.
    pub(super) frame_rate: Option<Rational>,
    /// Whether the stream carries a display matrix.
    pub(super) display_matrix: bool,
    /// Whether the stream is tagged interlaced.
    pub(super) interlaced: bool,
}

impl VideoOut {
    /// Encodes `raw` at its own time, shifted as the container needs, and
    /// writes the packets the encoder has ready.
    pub(super) fn encode(
        &mut self,
        mut raw: frame::Video,
        octx: &mut format::context::Output,
        path: &Path,
        time_bases: &[Rational],
    ) -> Result<()> {
        // Strictly increasing timestamps for the encoder: the decoder's,
        // kept exactly (variable frame rates included), else one frame
        // after the previous.
        let input_pts = raw.timestamp();
        // When the frame is meant to play: its own time, else one frame
        // after the previous (MPEG-PS leaves the last frame's out).
        let intended = input_pts.or(self
            .input_span
            .map(|(_, last)| last + frame_step(self.frame_rate, self.input_tb)));
        if let Some(pts) = intended {
            self.input_span = Some(match self.input_span {
                Some((first, last)) => (first.min(pts), last.max(pts)),
                None => (pts, pts),
            });
        }
        let decoded_pts = input_pts.map(|pts| {
            // AVI stores a frame count, not times: its first frame is at 0.
            let origin = *self
                .origin
                .get_or_insert(if self.from_zero { pts } else { 0 });
            (pts - origin).rescale(self.input_tb, self.encoder_tb)
        });
        let pts = match (decoded_pts, self.last_pts) {
            (Some(pts), Some(last)) => pts.max(last + 1),
            (Some(pts), None) => pts,
            (None, Some(last)) => last + self.frame_step.max(1),
            (None, None) => 0,
        };
        self.first_pts.get_or_insert(pts);
        self.last_pts = Some(pts);
        raw.set_pts(Some(pts));
        raw.set_kind(ffmpeg_next::picture::Type::None);
        let (encoder, mut sink) = self.split(octx, path, time_bases);
        encoder.send(&raw, &mut sink)
    }

    /// What was written into this stream, for the check.
    pub(super) fn written(&self) -> WrittenVideo {
        WrittenVideo {
            index: self.index,
            codec: self.encoder.encoder.id(),
            width: self.encoder.width(),
            height: self.encoder.height(),
            format: self.encoder.format(),
            packets: self.packets,
            duration: match self.input_span {
                Some((first, last)) => (last - first) as f64 * f64::from(self.input_tb),
                None => {
                    let (first, last) = (self.first_pts.unwrap_or(0), self.last_pts.unwrap_or(0));
                    (last - first) as f64 * f64::from(self.encoder_tb)
                }
            },
            frame_rate: self.frame_rate,
            display_matrix: self.display_matrix,
            interlaced: self.interlaced,
        }
    }

    /// The encoder, and where its packets go: rescaled into the stream's
    /// time base, written interleaved, counted.
    pub(super) fn split<'a>(
        &'a mut self,
        octx: &'a mut format::context::Output,
        path: &'a Path,
        time_bases: &'a [Rational],
    ) -> (&'a mut VideoEncoder, impl FnMut(Packet) -> Result<()> + 'a) {
        let (index, encoder_tb) = (self.index, self.encoder_tb);
        let stream_tb = time_bases.get(index).copied().unwrap_or(encoder_tb);
        let packets = &mut self.packets;
        let sink = move |mut packet: Packet| {
            packet.set_stream(index);
            packet.rescale_ts(encoder_tb, stream_tb);
            *packets += 1;
            packet.write_interleaved(octx).map_err(|source| Error::Mux {
                path: path.to_path_buf(),
                source,
            })
        };
        (&mut self.encoder, sink)
    }

    /// Opens the encoder `name` for the decoder's video and adds its
    /// stream to `octx`, with the input's rate, aspect, language and
    /// display matrix, and `timecode` when given.
    pub(super) fn add(
        octx: &mut format::context::Output,
        decoder: &Decoder,
        choice: &EncoderChoice,
        options: &RedactOptions,
        path: &Path,
        timecode: Option<&str>,
    ) -> Result<Self> {
        let name = choice.encoder.as_str();
        let info: &VideoInfo = decoder.info();
        let mux_error = |source| Error::Mux {
            path: path.to_path_buf(),
            source,
        };
        let global_header = octx.format().flags().contains(format::Flags::GLOBAL_HEADER);
        // Containers without timestamps (raw H.264/HEVC/MJPEG) keep only the
        // frame rate the encoder writes into the bitstream, AVI only a frame
        // count, and MPEG-2 and MPEG-4 Part 2 code time in frames: encode in
        // ticks of one frame there, as the ffmpeg tool does. Elsewhere keep
        // the input's time base, so every timestamp survives exactly.
        let from_zero = Container::of_muxer(octx.format().name()) == Container::Avi;
        let in_frames = octx.format().flags().contains(format::Flags::NO_TIMESTAMPS)
            || from_zero
            || matches!(name, "mpeg2video" | "mpeg4");
        let encoder_tb = match info.frame_rate {
            Some(rate) if in_frames => rate.invert(),
            _ => info.time_base,
        };
        let encoder = VideoEncoder::open(
            name,
            info,
            encoder_tb,
            &decoder.color_tags(),
            masking_format(decoder.decoded_pixel()),
            global_header,
            choice.b_frames,
            &options.encoder,
        )?;
        let mut stream = octx
            .add_stream(encoder::find_by_name(name))
            .map_err(mux_error)?;
        stream.set_parameters(&encoder.encoder);
        stream.set_time_base(encoder_tb);
        if let Some(rate) = info.frame_rate {
            stream.set_avg_frame_rate(rate);
            stream.set_rate(rate);
        }
        if info.sample_aspect_ratio.numerator() > 0 {
            crate::ffi::set_sample_aspect_ratio(&mut stream, info.sample_aspect_ratio);
        }
        let mut tags = technical_tags(
            &decoder
                .input()
                .stream(info.stream_index)
                .map(|s| s.metadata().to_owned())
                .unwrap_or_default(),
        );
        if let Some(timecode) = timecode {
            tags.set("timecode", timecode);
        }
        stream.set_metadata(tags);
        if let Some(matrix) = &info.display_matrix {
            crate::ffi::add_display_matrix(&mut stream, matrix).map_err(mux_error)?;
        }
        Ok(Self {
            encoder,
            source: info.stream_index,
            index: stream.index(),
            encoder_tb,
            input_tb: info.time_base,
            frame_step: frame_step(info.frame_rate, encoder_tb),
            frame_rate: info.frame_rate,
            display_matrix: info.display_matrix.is_some(),
            interlaced: info.field_order.is_interlaced(),
            first_pts: None,
            last_pts: None,
            packets: 0,
            from_zero,
            origin: None,
            input_span: None,
        })
    }
}

/// The encoder for the video `info` describes in `octx`'s container: the
/// one asked for, else the input's family where the container holds it.
///
/// # Errors
/// [`Error::ContainerCannotHold`], [`Error::CannotStayInterlaced`].
pub(super) fn encoder_for(
    info: &VideoInfo,
    octx: &format::context::Output,
    options: &RedactOptions,
    target: &Path,
) -> Result<EncoderChoice> {
    let container = Container::of_muxer(octx.format().name());
    let choice = match &options.encoder.encoder {
        Some(name) => EncoderChoice {
            encoder: name.clone(),
            b_frames: !container.needs_no_b_frames(),
            note: None,
        },
        None => {
            let format = octx.format();
            choose_encoder(
                info.codec_id,
                format.name(),
                |family| crate::ffi::muxer_accepts(&format, family.codec()),
                |family| {
                    encoder::find_by_name(family.encoder()).is_some()
                        && family.can_encode(info.frame_rate)
                },
            )
            .map_err(|e| Error::ContainerCannotHold {
                path: target.to_path_buf(),
                container: e.container,
                holds: e.holds,
                instead: e.instead,
            })?
        }
    };
    if info.field_order.is_interlaced()
        && !crate::encode::codes_fields(&choice.encoder)
        && !container.tags_field_order()
    {
        return Err(Error::CannotStayInterlaced {
            path: target.to_path_buf(),
            container: container.name(),
            encoder: choice.encoder,
            order: info.field_order.name(),
            instead: ".mkv",
        });
    }
    Ok(choice)
}

/// One frame's duration in `time_base` (at least 1).
fn frame_step(frame_rate: Option<Rational>, time_base: Rational) -> i64 {
    match frame_rate {
        Some(rate) => {
            let step = f64::from(rate.invert()) / f64::from(time_base);
            (step.round() as i64).max(1)
        }
        None => 1,
    }
}
