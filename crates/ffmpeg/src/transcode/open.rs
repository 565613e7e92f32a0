//! The first step: the output container, its streams and the video
//! encoder, set up and the header written.

use std::path::{Path, PathBuf};

use ffmpeg_next::{format, frame, Dictionary, Packet, Rational};

use super::streams::{copy_audio_streams, fallback_muxer, left_out, timecode, PassMap};
use super::substreams::Substreams;
use super::video::{encoder_for, VideoOut, WrittenVideo};
use super::{redaction_comment, AudioMode, AudioOutcome, RedactOptions};
use crate::decode::{Decoder, VideoInfo};
use crate::encode::{masking_format, Container};
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

        let substreams_out = add_substreams(
            &mut octx,
            substreams,
            options,
            output,
            main_timecode.as_deref(),
        )?;

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

/// Adds a masked video stream for each of `substreams`, with an encoder
/// the container holds, the main stream's `timecode` (the same camera's
/// recording) and nothing else of theirs.
///
/// # Errors
/// As [`VideoOut::add`] and [`encoder_for`].
fn add_substreams<E>(
    octx: &mut format::context::Output,
    substreams: &Substreams<E>,
    options: &RedactOptions,
    output: &TempOutput,
    timecode: Option<&str>,
) -> Result<Vec<VideoOut>> {
    let (path, target) = (output.path(), output.target());
    substreams
        .masked
        .iter()
        .map(|sub| {
            let choice = encoder_for(sub.decoder.info(), octx, options, target)?;
            VideoOut::add(octx, &sub.decoder, &choice, options, path, timecode)
        })
        .collect()
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
