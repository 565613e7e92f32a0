//! The check every output passes before it is named: opened with the
//! demuxer, its streams as written, its video packets counted, its first
//! and last frames decoded at the times they were written.

use std::path::Path;

use ffmpeg_next::codec::packet::side_data::Type as SideData;
use ffmpeg_next::{format, media, Packet};

use super::open::Written;
use super::video::WrittenVideo;
use crate::decode::{Decoder, DecoderOptions, FieldOrder};
use crate::encode::Container;
use crate::error::{Error, Result};
use crate::pixel::pixel_name;

/// Reads the closed output back and compares each of its video streams
/// with what was written.
///
/// # Errors
/// [`Error::OutputCheck`] naming the first difference.
pub(super) fn check_written(written: &Written) -> Result<()> {
    let problem = |mut problem: String| {
        if !matches!(written.container, Container::Matroska | Container::Mp4) {
            problem.push_str(&format!(
                " ({} cannot hold this video as it is: write .mkv or .mp4 instead)",
                written.container.name()
            ));
        }
        Error::OutputCheck {
            path: written.target.clone(),
            problem,
        }
    };
    let indices: Vec<usize> = written.videos.iter().map(|v| v.index).collect();
    let scan = scan(&written.path, &indices)
        .map_err(|e| problem(format!("it cannot be read back: {e}")))?;
    if scan.streams != written.streams {
        return Err(problem(format!(
            "it holds {} streams, {} were written",
            scan.streams, written.streams
        )));
    }
    for (video, scanned) in written.videos.iter().zip(&scan.videos) {
        check_video(written, video, scanned).map_err(|p| match video.index {
            0 => problem(p),
            i => problem(format!("its video stream #{i}: {p}")),
        })?;
    }
    Ok(())
}

/// Compares one video stream as read back with what was written into it;
/// the difference in words.
fn check_video(
    written: &Written,
    video: &WrittenVideo,
    scan: &ScannedVideo,
) -> std::result::Result<(), String> {
    let (codec, width, height) = scan.video;
    if codec != video.codec || (width, height) != (video.width, video.height) {
        return Err(format!(
            "its video reads as {} {width}x{height}, {} {}x{} was written",
            codec.name(),
            video.codec.name(),
            video.width,
            video.height
        ));
    }
    if scan.display_matrix != video.display_matrix {
        return Err("its display matrix was lost".to_owned());
    }
    if scan.interlaced != video.interlaced {
        return Err(format!(
            "it reads as {}, {} was written",
            scan_kind(scan.interlaced),
            scan_kind(video.interlaced)
        ));
    }
    if scan.packets != video.packets {
        return Err(format!(
            "it holds {} video packets, {} were written",
            scan.packets, video.packets
        ));
    }
    if scan.announced.is_some_and(|n| n != video.packets) {
        return Err(format!(
            "its header announces {} frames, {} were written",
            scan.announced.unwrap_or(0),
            video.packets
        ));
    }
    if video.packets == 0 {
        // A substream the input held no frames of: nothing to decode.
        return Ok(());
    }
    let tolerance = video
        .frame_rate
        .map_or(0.02, |r| 0.5 / f64::from(r).max(1e-3));
    let frames =
        decode_ends(written, video.index, scan.last_keyframe).map_err(|e| e.to_string())?;
    let expected = [("first", 0.0), ("last", video.duration)];
    for ((which, want), (shown, format)) in expected.into_iter().zip(frames) {
        if (shown - want).abs() > tolerance {
            return Err(format!(
                "its {which} frame plays at {shown:.3} s, it was written for {want:.3} s"
            ));
        }
        if !same_sampling(format, video.format) {
            return Err(format!(
                "its {which} frame decodes as {}, {} was written",
                pixel_name(format),
                pixel_name(video.format)
            ));
        }
    }
    Ok(())
}

/// What demuxing the whole output finds.
struct Scan {
    /// Its streams, besides the data tracks the muxer adds.
    streams: usize,
    /// The video streams asked for, in the order asked.
    videos: Vec<ScannedVideo>,
}

/// One video stream as demuxing finds it.
struct ScannedVideo {
    /// Its codec and coded size.
    video: (ffmpeg_next::codec::Id, u32, u32),
    display_matrix: bool,
    /// Whether it is tagged interlaced.
    interlaced: bool,
    /// Its packets.
    packets: u64,
    /// The frame count its header announces, when it does.
    announced: Option<u64>,
    /// The timestamp of its last keyframe (stream time base), when known.
    last_keyframe: Option<i64>,
}

/// Demuxes the file at `path`, describing its video streams `indices`.
fn scan(path: &Path, indices: &[usize]) -> std::result::Result<Scan, ffmpeg_next::Error> {
    let mut input = format::input(&path)?;
    let mut videos = indices
        .iter()
        .map(|&i| describe(&input, i))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    // Data tracks the muxer writes itself (a QuickTime `tmcd` track made
    // from the timecode) are no streams of sladd's.
    let streams = input
        .streams()
        .filter(|s| s.parameters().medium() != media::Type::Data)
        .count();
    loop {
        let mut packet = Packet::empty();
        match packet.read(&mut input) {
            Ok(()) => {
                let Some(slot) = indices.iter().position(|&i| i == packet.stream()) else {
                    continue;
                };
                let Some(video) = videos.get_mut(slot) else {
                    continue;
                };
                video.packets += 1;
                if packet.is_key() {
                    video.last_keyframe = packet.pts().or(packet.dts()).or(video.last_keyframe);
                }
            }
            Err(ffmpeg_next::Error::Eof) => break,
            Err(e) => return Err(e),
        }
    }
    Ok(Scan { streams, videos })
}

/// Video stream `index` of `input` as its header describes it.
fn describe(
    input: &format::context::Input,
    index: usize,
) -> std::result::Result<ScannedVideo, ffmpeg_next::Error> {
    let stream = input
        .stream(index)
        .ok_or(ffmpeg_next::Error::StreamNotFound)?;
    let parameters = stream.parameters();
    if parameters.medium() != media::Type::Video {
        return Err(ffmpeg_next::Error::StreamNotFound);
    }
    let (w, h) = crate::ffi::coded_size(&parameters);
    let size = |v: i32| u32::try_from(v).unwrap_or(0);
    Ok(ScannedVideo {
        video: (parameters.id(), size(w), size(h)),
        display_matrix: stream
            .side_data()
            .any(|d| d.kind() == SideData::DisplayMatrix),
        interlaced: FieldOrder::from_ffmpeg(crate::ffi::field_order(&parameters)).is_interlaced(),
        announced: u64::try_from(stream.frames()).ok().filter(|&n| n > 0),
        packets: 0,
        last_keyframe: None,
    })
}

/// The times (seconds from the stream's start) and pixel formats of the
/// first and the last frame of video stream `index`, decoding from the
/// start and from the last keyframe (the whole stream where it cannot
/// seek).
fn decode_ends(
    written: &Written,
    index: usize,
    last_keyframe: Option<i64>,
) -> Result<[(f64, format::Pixel); 2]> {
    let options = DecoderOptions::default();
    let open = || Decoder::open_stream(&written.path, index, &options);
    let mut decoder = open()?;
    let shown =
        |frame: &crate::decode::DecodedFrame| (frame.time().seconds, frame.as_ffmpeg().format());
    let first = decoder
        .next_frame()?
        .map(|f| shown(&f))
        .ok_or(Error::NoFrames {
            path: written.path.clone(),
        })?;
    if let (Some(pts), true) = (last_keyframe, written.timestamps) {
        let after_seek = (|| -> Result<Option<(f64, format::Pixel)>> {
            decoder.seek_to_keyframe(pts)?;
            let mut last = None;
            while let Some(frame) = decoder.next_frame()? {
                last = Some(shown(&frame));
            }
            Ok(last)
        })();
        if let Ok(Some(last)) = after_seek {
            return Ok([first, last]);
        }
        // Not seekable after all (MPEG-TS, MPEG-PS seek by byte): decode
        // from the start instead.
        decoder = open()?;
        decoder.next_frame()?;
    }
    let mut last = first;
    while let Some(frame) = decoder.next_frame()? {
        last = shown(&frame);
    }
    Ok([first, last])
}

/// Whether two pixel formats sample the picture alike: the same chroma
/// subsampling, depth and components (an encoder's `nv12` input decodes as
/// `yuv420p`, `yuvj420p` as `yuvj420p` or `yuv420p` with a range tag).
fn same_sampling(a: format::Pixel, b: format::Pixel) -> bool {
    let key = |p: format::Pixel| {
        p.descriptor().map(|d| {
            (
                d.log2_chroma_w(),
                d.log2_chroma_h(),
                d.nb_components(),
                crate::ffi::component_depth(p),
            )
        })
    };
    a == b || (key(a).is_some() && key(a) == key(b))
}

fn scan_kind(interlaced: bool) -> &'static str {
    if interlaced {
        "interlaced"
    } else {
        "progressive"
    }
}
