//! The streams besides the masked video: which are copied, with which
//! tags, into which container.

use ffmpeg_next::format::stream::Disposition;
use ffmpeg_next::{encoder, format, media, Dictionary, Rational};

use crate::decode::Decoder;

/// Per input stream, where its packets go when copied: the output stream's
/// index and the input stream's time base.
pub(super) type PassMap = Vec<Option<(usize, Rational)>>;

/// The muxer to use when the output's extension names none: the input's.
pub(super) fn fallback_muxer(container: &str) -> &str {
    match container.split(',').next().unwrap_or("mp4") {
        "mov" => "mp4",
        first => first,
    }
}

/// Adds an output stream for every audio stream of the input, copied
/// unchanged, and asks the decoder to hand their packets out.
pub(super) fn copy_audio_streams(
    decoder: &mut Decoder,
    octx: &mut format::context::Output,
) -> Result<PassMap, ffmpeg_next::Error> {
    let audio_streams = decoder.info().audio_streams.clone();
    let mut map = vec![None; decoder.input().nb_streams() as usize];
    for &index in &audio_streams {
        let Some(ist) = decoder.input().stream(index) else {
            continue;
        };
        let mut ost = octx.add_stream(encoder::find(ffmpeg_next::codec::Id::None))?;
        ost.set_parameters(ist.parameters());
        ost.set_time_base(ist.time_base());
        crate::ffi::clear_codec_tag(&mut ost);
        ost.set_metadata(technical_tags(&ist.metadata().to_owned()));
        if let Some(slot) = map.get_mut(index) {
            *slot = Some((ost.index(), ist.time_base()));
        }
    }
    for index in audio_streams {
        decoder.pass_through(index);
    }
    Ok(map)
}

/// The tags of a stream that say nothing about people: its language.
pub(super) fn technical_tags(tags: &Dictionary) -> Dictionary<'static> {
    let mut kept = Dictionary::new();
    if let Some(language) = tags.get("language") {
        kept.set("language", language);
    }
    kept
}

/// The input's timecode (`timecode` tag of the video stream, of a
/// QuickTime `tmcd` track or of the file), carried onto the output's video
/// stream: a time, nothing about people. MP4 and QuickTime write it as a
/// `tmcd` track again, other containers as a tag.
pub(super) fn timecode(decoder: &Decoder) -> Option<String> {
    let input = decoder.input();
    let main = decoder.info().stream_index;
    let tag = |tags: Dictionary| tags.get("timecode").map(str::to_owned);
    input
        .stream(main)
        .and_then(|s| tag(s.metadata().to_owned()))
        .or_else(|| {
            input
                .streams()
                .filter(|s| s.parameters().medium() == media::Type::Data)
                .find_map(|s| tag(s.metadata().to_owned()))
        })
        .or_else(|| tag(input.metadata().to_owned()))
}

/// One line per input stream the output does not carry, saying what it was
/// and why it was left out (the report's notes and the manifest list
/// them). The main video stream and the substreams in `masked` are
/// masked; `why` says why each other video stream is not; audio is
/// reported on its own; a timecode track is carried as the timecode.
pub(super) fn left_out(
    decoder: &Decoder,
    timecode: Option<&str>,
    masked: &[usize],
    why: &[(usize, String)],
) -> Vec<String> {
    let main = decoder.info().stream_index;
    let mut lines = Vec::new();
    for stream in decoder.input().streams() {
        let index = stream.index();
        let parameters = stream.parameters();
        let codec = parameters.id().name();
        let line = match parameters.medium() {
            _ if index == main || masked.contains(&index) => continue,
            media::Type::Audio => continue,
            media::Type::Video if stream.disposition().contains(Disposition::ATTACHED_PIC) => {
                format!("stream #{index} (cover art, {codec}) left out: only video is written")
            }
            media::Type::Video => {
                let (w, h) = crate::ffi::coded_size(&parameters);
                let why = why
                    .iter()
                    .find(|(i, _)| *i == index)
                    .map_or("sladd never writes a stream it did not mask", |(_, w)| w);
                format!("video stream #{index} ({codec} {w}x{h}) left out: {why}")
            }
            media::Type::Data if crate::ffi::codec_tag(&parameters) == *b"tmcd" => match timecode {
                Some(tc) => format!(
                    "timecode track (stream #{index}, tmcd) carried as the output's timecode {tc}"
                ),
                None => {
                    format!("timecode track (stream #{index}, tmcd) without a timecode left out")
                }
            },
            media::Type::Subtitle => format!(
                "subtitle stream #{index} ({codec}) left out: subtitles may name or describe people"
            ),
            media::Type::Attachment => {
                format!("attachment (stream #{index}) left out")
            }
            media::Type::Data => format!(
                "data stream #{index} ({codec}) left out: only video and allowed audio are written"
            ),
            media::Type::Unknown => format!("stream #{index} of unknown kind left out"),
        };
        lines.push(line);
    }
    lines
}
