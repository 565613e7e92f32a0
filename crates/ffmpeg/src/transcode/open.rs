//! The first step: the output container, its streams and the video
//! encoder, set up and the header written.

use std::path::{Path, PathBuf};

use ffmpeg_next::{encoder, format, frame, Dictionary, Packet, Rational, Rescale};

use super::streams::{copy_audio_streams, fallback_muxer, technical_tags, PassMap};
use super::{redaction_comment, AudioMode, AudioOutcome, RedactOptions};
use crate::decode::{Decoder, VideoInfo};
use crate::encode::{choose_encoder, masking_format, VideoEncoder};
use crate::error::{Error, Result};

/// The output being written: the container and the encoder of its video.
pub(super) struct Muxer {
    octx: format::context::Output,
    /// The file written (the temporary name), for errors.
    path: PathBuf,
    video: VideoOut,
    /// Where copied packets go, per input stream.
    passed: PassMap,
    /// The output streams' time bases, known once the header is written.
    time_bases: Vec<Rational>,
    /// What happened to the audio.
    pub(super) audio: AudioOutcome,
    /// What the operator should know (substitutions, conversions).
    pub(super) notes: Vec<String>,
}

/// The masked video's encoder and output stream.
struct VideoOut {
    encoder: VideoEncoder,
    /// Its index among the output's streams.
    index: usize,
    /// The time base frames are encoded in.
    encoder_tb: Rational,
    /// The decoded stream's time base.
    input_tb: Rational,
    /// One frame in `encoder_tb`, for frames without a timestamp.
    frame_step: i64,
    last_pts: Option<i64>,
}

impl Muxer {
    /// Opens `path` for `decoder`'s video (the container the extension
    /// names, else the input's), adds the video stream and the copied
    /// streams, and writes the header.
    ///
    /// # Errors
    /// [`Error::Mux`], [`Error::EncoderUnavailable`],
    /// [`Error::EncoderOpen`].
    pub(super) fn open(
        decoder: &mut Decoder,
        path: &Path,
        options: &RedactOptions,
    ) -> Result<Self> {
        let info = decoder.info().clone();
        let mux_error = |source| Error::Mux {
            path: path.to_path_buf(),
            source,
        };
        let mut octx = format::output(&path)
            .or_else(|_| format::output_as(&path, fallback_muxer(&info.container)))
            .map_err(mux_error)?;

        let (encoder_name, note) = match &options.encoder.encoder {
            Some(name) => (name.clone(), None),
            None => choose_encoder(info.codec_id),
        };
        let mut notes: Vec<String> = note.into_iter().collect();
        let decoded_pixel = decoder.decoded_pixel();
        if crate::pixel::core_format(decoded_pixel).is_none()
            && decoded_pixel != format::Pixel::None
        {
            notes.push(format!(
                "pixel format {} is not masked natively: converted to {} before masking and encoding",
                crate::pixel::pixel_name(decoded_pixel),
                crate::pixel::pixel_name(masking_format(decoded_pixel)),
            ));
        }
        let video = VideoOut::add(&mut octx, decoder, &encoder_name, options, path)?;

        let (audio, passed) = match (options.audio, info.audio_streams.is_empty()) {
            (_, true) => (AudioOutcome::None, vec![]),
            (AudioMode::Drop, false) => (AudioOutcome::Stripped, vec![]),
            (AudioMode::Copy, false) => {
                let map = copy_audio_streams(decoder, &mut octx).map_err(mux_error)?;
                (AudioOutcome::Copied, map)
            }
        };

        let mut global = Dictionary::new();
        global.set("comment", &redaction_comment(&options.config_hash));
        if let Some(start) = decoder.creation_tag() {
            global.set("creation_time", &start);
        }
        octx.set_metadata(global);
        octx.write_header().map_err(mux_error)?;
        let time_bases = octx.streams().map(|s| s.time_base()).collect();
        Ok(Self {
            octx,
            path: path.to_path_buf(),
            video,
            passed,
            time_bases,
            audio,
            notes,
        })
    }

    fn mux_error(&self, source: ffmpeg_next::Error) -> Error {
        Error::Mux {
            path: self.path.clone(),
            source,
        }
    }

    /// Writes a packet of a copied stream (packets of other streams are
    /// left out).
    pub(super) fn write_passed(&mut self, mut packet: Packet) -> Result<()> {
        let Some(Some((out, tb))) = self.passed.get(packet.stream()).copied() else {
            return Ok(());
        };
        let out_tb = self.time_bases.get(out).copied().unwrap_or(tb);
        packet.rescale_ts(tb, out_tb);
        packet.set_position(-1);
        packet.set_stream(out);
        packet
            .write_interleaved(&mut self.octx)
            .map_err(|e| self.mux_error(e))
    }

    /// Encodes a masked frame and writes the packets the encoder has ready.
    pub(super) fn write_frame(&mut self, mut raw: frame::Video) -> Result<()> {
        let video = &mut self.video;
        // Strictly increasing timestamps for the encoder: the decoder's,
        // kept exactly (variable frame rates included), else one frame
        // after the previous.
        let decoded_pts = raw
            .timestamp()
            .map(|pts| pts.rescale(video.input_tb, video.encoder_tb));
        let pts = match (decoded_pts, video.last_pts) {
            (Some(pts), Some(last)) => pts.max(last + 1),
            (Some(pts), None) => pts,
            (None, Some(last)) => last + video.frame_step.max(1),
            (None, None) => 0,
        };
        video.last_pts = Some(pts);
        raw.set_pts(Some(pts));
        raw.set_kind(ffmpeg_next::picture::Type::None);
        let (octx, path, time_bases) = (&mut self.octx, &self.path, &self.time_bases);
        let (index, encoder_tb) = (video.index, video.encoder_tb);
        video.encoder.send(&raw, |p| {
            write_video(p, octx, path, index, encoder_tb, time_bases)
        })
    }

    /// Drains the encoder and writes the trailer.
    pub(super) fn finish(&mut self) -> Result<()> {
        let (octx, path, time_bases) = (&mut self.octx, &self.path, &self.time_bases);
        let video = &mut self.video;
        let (index, encoder_tb) = (video.index, video.encoder_tb);
        video
            .encoder
            .finish(|p| write_video(p, octx, path, index, encoder_tb, time_bases))?;
        if video.encoder.sent() == 0 {
            return Ok(());
        }
        self.octx.write_trailer().map_err(|e| self.mux_error(e))
    }

    /// Frames sent to the encoder.
    pub(super) fn frames(&self) -> u64 {
        self.video.encoder.sent()
    }

    /// The video encoder's name.
    pub(super) fn encoder_name(&self) -> &str {
        &self.video.encoder.name
    }
}

/// Writes an encoded packet of the video stream `index`.
fn write_video(
    mut packet: Packet,
    octx: &mut format::context::Output,
    path: &Path,
    index: usize,
    encoder_tb: Rational,
    time_bases: &[Rational],
) -> Result<()> {
    let stream_tb = time_bases.get(index).copied().unwrap_or(encoder_tb);
    packet.set_stream(index);
    packet.rescale_ts(encoder_tb, stream_tb);
    packet.write_interleaved(octx).map_err(|source| Error::Mux {
        path: path.to_path_buf(),
        source,
    })
}

impl VideoOut {
    /// Opens the encoder `name` for the decoder's video and adds its
    /// stream to `octx`, with the input's rate, aspect, language and
    /// display matrix.
    fn add(
        octx: &mut format::context::Output,
        decoder: &Decoder,
        name: &str,
        options: &RedactOptions,
        path: &Path,
    ) -> Result<Self> {
        let info: &VideoInfo = decoder.info();
        let mux_error = |source| Error::Mux {
            path: path.to_path_buf(),
            source,
        };
        let global_header = octx.format().flags().contains(format::Flags::GLOBAL_HEADER);
        // Containers without timestamps (raw H.264/HEVC/MJPEG) keep only the
        // frame rate the encoder writes into the bitstream: encode in ticks
        // of one frame there, as the ffmpeg tool does. Elsewhere keep the
        // input's time base, so every timestamp survives exactly.
        let encoder_tb = match info.frame_rate {
            Some(rate) if octx.format().flags().contains(format::Flags::NO_TIMESTAMPS) => {
                rate.invert()
            }
            _ => info.time_base,
        };
        let encoder = VideoEncoder::open(
            name,
            info,
            encoder_tb,
            &decoder.color_tags(),
            masking_format(decoder.decoded_pixel()),
            global_header,
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
        stream.set_metadata(technical_tags(
            &decoder
                .input()
                .stream(info.stream_index)
                .map(|s| s.metadata().to_owned())
                .unwrap_or_default(),
        ));
        if let Some(matrix) = &info.display_matrix {
            crate::ffi::add_display_matrix(&mut stream, matrix).map_err(mux_error)?;
        }
        Ok(Self {
            encoder,
            index: stream.index(),
            encoder_tb,
            input_tb: info.time_base,
            frame_step: frame_step(info.frame_rate, encoder_tb),
            last_pts: None,
        })
    }
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
