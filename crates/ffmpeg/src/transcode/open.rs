//! The first step: the output container, its streams and the video
//! encoder, set up and the header written.

use std::path::{Path, PathBuf};

use ffmpeg_next::{codec, encoder, format, frame, Dictionary, Packet, Rational, Rescale};

use super::streams::{
    copy_audio_streams, fallback_muxer, left_out, technical_tags, timecode, PassMap,
};
use super::substreams::Substreams;
use super::{redaction_comment, AudioMode, AudioOutcome, RedactOptions};
use crate::decode::{Decoder, VideoInfo};
use crate::encode::{choose_encoder, masking_format, Container, EncoderChoice, VideoEncoder};
use crate::error::{Error, Result};
use crate::output::TempOutput;

/// The output being written: the container and the encoder of its video.
pub(super) struct Muxer {
    octx: format::context::Output,
    /// The file written (the temporary name), for errors.
    path: PathBuf,
    /// Its final name, for errors the operator reads.
    target: PathBuf,
    video: VideoOut,
    /// The masked substreams' encoders and streams, in input order.
    substreams: Vec<VideoOut>,
    /// Where copied packets go, per input stream.
    passed: PassMap,
    /// The output streams' time bases, known once the header is written.
    time_bases: Vec<Rational>,
    /// What happened to the audio.
    pub(super) audio: AudioOutcome,
    /// What the operator should know (substitutions, conversions).
    pub(super) notes: Vec<String>,
    /// The input streams left out, one line each.
    dropped: Vec<String>,
}

/// The masked video's encoder and output stream.
struct VideoOut {
    encoder: VideoEncoder,
    /// The input stream it is made from.
    source: usize,
    /// Its index among the output's streams.
    index: usize,
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

impl Muxer {
    /// Opens `output`'s temporary file for `decoder`'s video (in the
    /// container the extension names, else the input's), adds the video
    /// stream with an encoder the container holds, one such stream per
    /// masked substream (right after it, in input order) and the copied
    /// streams, and writes the header.
    ///
    /// # Errors
    /// [`Error::NoMuxer`], [`Error::ContainerCannotHold`],
    /// [`Error::CannotStayInterlaced`], [`Error::Mux`],
    /// [`Error::EncoderUnavailable`], [`Error::EncoderOpen`].
    pub(super) fn open<E>(
        decoder: &mut Decoder,
        substreams: &Substreams<E>,
        output: &TempOutput,
        options: &RedactOptions,
    ) -> Result<Self> {
        let (path, target) = (output.path(), output.target());
        let info = decoder.info().clone();
        let mux_error = |source| Error::Mux {
            path: path.to_path_buf(),
            source,
        };
        let mut notes = Vec::new();
        let mut octx = open_container(path, target, &info.container, &mut notes)?;
        let choice = encoder_for(&info, &octx, options, target)?;
        notes.extend(choice.note.clone());
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
        let main_timecode = timecode(decoder);
        let video = VideoOut::add(
            &mut octx,
            decoder,
            &choice,
            options,
            path,
            main_timecode.as_deref(),
        )?;
        if info.field_order.is_interlaced() {
            notes.push(interlace_note(
                &info,
                &choice.encoder,
                decoder.decoded_pixel(),
            ));
        }

        let substreams_out = substreams
            .masked
            .iter()
            .map(|sub| {
                let choice = encoder_for(sub.decoder.info(), &octx, options, target)?;
                // The same camera's recording: the same timecode.
                let timecode = main_timecode.as_deref();
                VideoOut::add(&mut octx, &sub.decoder, &choice, options, path, timecode)
            })
            .collect::<Result<Vec<_>>>()?;

        let dropped = left_out(
            decoder,
            main_timecode.as_deref(),
            &substreams.masked_indices(),
            &substreams.left_out,
        );
        notes.extend(dropped.iter().cloned());

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
            target: target.to_path_buf(),
            video,
            substreams: substreams_out,
            passed,
            time_bases,
            audio,
            notes,
            dropped,
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

    /// Encodes a masked frame of the main stream (`slot` 0) or of
    /// substream `slot - 1`, and writes the packets the encoder has ready.
    pub(super) fn write_frame(&mut self, slot: usize, raw: frame::Video) -> Result<()> {
        let video = match slot.checked_sub(1) {
            None => &mut self.video,
            Some(sub) => self.substreams.get_mut(sub).ok_or(Error::Mux {
                path: self.path.clone(),
                source: ffmpeg_next::Error::StreamNotFound,
            })?,
        };
        video.encode(raw, &mut self.octx, &self.path, &self.time_bases)
    }

    /// Drains the encoder and writes the trailer.
    pub(super) fn finish(&mut self) -> Result<()> {
        for video in std::iter::once(&mut self.video).chain(&mut self.substreams) {
            let (encoder, mut sink) = video.split(&mut self.octx, &self.path, &self.time_bases);
            encoder.finish(&mut sink)?;
        }
        if self.video.encoder.sent() == 0 {
            return Ok(());
        }
        self.octx.write_trailer().map_err(|e| self.mux_error(e))
    }

    /// Frames sent to the encoder.
    pub(super) fn frames(&self) -> u64 {
        self.video.encoder.sent()
    }

    /// Closes the file and says what was written into it, for the check
    /// before it is named.
    pub(super) fn close(self) -> Closed {
        let streams = self.time_bases.len();
        let timestamps = !self
            .octx
            .format()
            .flags()
            .contains(format::Flags::NO_TIMESTAMPS);
        let container = Container::of_muxer(self.octx.format().name());
        drop(self.octx);
        let substreams = self
            .substreams
            .iter()
            .map(|v| SubstreamWritten {
                source: v.source,
                index: v.index,
                encoder: v.encoder.name.clone(),
                width: v.encoder.width(),
                height: v.encoder.height(),
                frames: v.encoder.sent(),
            })
            .collect();
        let videos = std::iter::once(&self.video)
            .chain(&self.substreams)
            .map(VideoOut::written)
            .collect();
        let written = Written {
            path: self.path,
            target: self.target,
            container,
            videos,
            streams,
            timestamps,
        };
        Closed {
            written,
            encoder: self.video.encoder.name,
            substreams,
            audio: self.audio,
            notes: self.notes,
            dropped: self.dropped,
        }
    }
}

/// A written output, closed.
pub(super) struct Closed {
    /// What was written into it.
    pub(super) written: Written,
    /// The video encoder's name.
    pub(super) encoder: String,
    /// The masked substreams, in input order.
    pub(super) substreams: Vec<SubstreamWritten>,
    /// What happened to the audio.
    pub(super) audio: AudioOutcome,
    /// What the operator should know.
    pub(super) notes: Vec<String>,
    /// The input streams left out, one line each.
    pub(super) dropped: Vec<String>,
}

/// A masked substream as written.
pub(super) struct SubstreamWritten {
    /// Its index in the input.
    pub(super) source: usize,
    /// Its index in the output.
    pub(super) index: usize,
    /// Its encoder's name.
    pub(super) encoder: String,
    /// Its coded size.
    pub(super) width: u32,
    /// Its coded height.
    pub(super) height: u32,
    /// Frames encoded.
    pub(super) frames: u64,
}

/// What a closed output holds, as the muxer wrote it.
#[derive(Debug, Clone)]
pub(super) struct Written {
    /// The file (the temporary name).
    pub(super) path: PathBuf,
    /// Its final name.
    pub(super) target: PathBuf,
    /// Its container.
    pub(super) container: Container,
    /// Its video streams: the main one first, then the substreams.
    pub(super) videos: Vec<WrittenVideo>,
    /// Streams in the file.
    pub(super) streams: usize,
    /// Whether the container stores timestamps (raw streams do not).
    pub(super) timestamps: bool,
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
    fn encode(
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
    fn written(&self) -> WrittenVideo {
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
    fn split<'a>(
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
    fn add(
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
fn encoder_for(
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

/// The container for `path` (the temporary name of `target`): the one
/// the extension names, else (no
/// extension) the input's, else Matroska.
///
/// # Errors
/// [`Error::NoMuxer`] for an extension no muxer writes (`.dav`).
fn open_container(
    path: &Path,
    target: &Path,
    input_container: &str,
    notes: &mut Vec<String>,
) -> Result<format::context::Output> {
    if let Ok(octx) = format::output(&path) {
        return Ok(octx);
    }
    if let Some(extension) = target.extension() {
        return Err(Error::NoMuxer {
            path: target.to_path_buf(),
            extension: extension.to_string_lossy().into_owned(),
        });
    }
    if let Ok(octx) = format::output_as(&path, fallback_muxer(input_container)) {
        return Ok(octx);
    }
    notes.push(format!(
        "the input's container ({input_container}) cannot be written: written as Matroska"
    ));
    format::output_as(&path, "matroska").map_err(|source| Error::Mux {
        path: path.to_path_buf(),
        source,
    })
}

/// What the report says about an interlaced input: how it was masked and
/// encoded.
fn interlace_note(info: &VideoInfo, encoder: &str, decoded: format::Pixel) -> String {
    let masked = if crate::pixel::splits_into_fields(masking_format(decoded), info.height) {
        "masked field by field"
    } else {
        "masked as whole frames (its height does not split into two fields)"
    };
    let encoded = if crate::encode::codes_fields(encoder) {
        format!("encoded interlaced by {encoder}")
    } else {
        format!("encoded as whole frames by {encoder}, which codes no fields")
    };
    format!(
        "interlaced input ({}): {masked}, {encoded}, field order tagged; never deinterlaced",
        info.field_order.name()
    )
}
