//! The streams besides the masked video: which are copied, with which
//! tags, into which container.

use ffmpeg_next::{encoder, format, Dictionary, Rational};

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
