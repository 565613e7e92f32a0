//! Telling video files from other files without decoding them.

use std::path::Path;

use ffmpeg_next::{codec, media};

use crate::error::{Error, Result};

/// File extensions taken as video without probing.
pub const VIDEO_EXTENSIONS: &[&str] = &[
    "mp4", "m4v", "mov", "mkv", "webm", "avi", "mjpeg", "mjpg", "h264", "264", "h265", "265",
    "hevc", "ts", "mts", "m2ts", "mpg", "mpeg", "flv", "3gp", "wmv", "asf", "dav",
];

/// Whether `path` has one of [`VIDEO_EXTENSIONS`] (any case).
#[must_use]
pub fn has_video_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| VIDEO_EXTENSIONS.iter().any(|v| v.eq_ignore_ascii_case(e)))
}

/// Whether FFmpeg can open `path` and finds a video stream in it (cover art
/// does not count). Reads the container's header only.
#[must_use]
pub fn has_video_stream(path: &Path) -> bool {
    if crate::init().is_err() {
        return false;
    }
    let Ok(input) = ffmpeg_next::format::input(&path) else {
        return false;
    };
    input.streams().any(|s| {
        let attached = s
            .disposition()
            .contains(ffmpeg_next::format::stream::Disposition::ATTACHED_PIC);
        s.parameters().medium() == media::Type::Video && !attached
    })
}

/// How long the video at `path` plays, in seconds, or `None` when neither
/// the container nor its video stream says.
///
/// Reads the container's header only (an MP4's `moov`, a Matroska
/// segment's info), which takes a fraction of a millisecond; only a
/// container whose header does not tell (MPEG-TS, raw streams) is probed
/// further, reading its first packets.
///
/// # Errors
/// [`Error::Open`] when FFmpeg cannot open the file.
pub fn duration(path: &Path) -> Result<Option<f64>> {
    crate::init()?;
    if let Some(seconds) = header_duration(path)? {
        return Ok(Some(seconds));
    }
    let input = ffmpeg_next::format::input(&path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(seconds_of(&input))
}

/// The duration a container's header states, without reading packets.
fn header_duration(path: &Path) -> Result<Option<f64>> {
    let open_error = |source| Error::Open {
        path: path.to_path_buf(),
        source,
    };
    // A name that is not UTF-8 (or holds a NUL) goes the long way, through
    // ffmpeg-next's own path handling.
    let Some(c_path) = path.to_str().and_then(|p| std::ffi::CString::new(p).ok()) else {
        return Ok(None);
    };
    let input = crate::ffi::open_input_header(&c_path).map_err(open_error)?;
    Ok(seconds_of(&input))
}

/// The best video stream's duration, else the container's.
fn seconds_of(input: &ffmpeg_next::format::context::Input) -> Option<f64> {
    let stream = input.streams().best(media::Type::Video);
    let from_stream = stream.and_then(|s| {
        let base = s.time_base();
        (s.duration() > 0 && base.denominator() > 0).then(|| {
            s.duration() as f64 * f64::from(base.numerator()) / f64::from(base.denominator())
        })
    });
    let from_container = (input.duration() > 0)
        .then(|| input.duration() as f64 / f64::from(ffmpeg_next::ffi::AV_TIME_BASE));
    from_stream.or(from_container)
}

/// Demuxes `path` (without decoding) and hands `each` the codec and the
/// data of every packet of the video stream sladd redacts, in file order.
/// Damaged data the demuxer resyncs after is passed over, as the decoder
/// passes over it.
///
/// # Errors
/// [`Error::Open`], [`Error::NoVideo`], and [`Error::Decode`] (with no
/// frame decoded) when reading stops before the end.
pub fn video_packets(path: &Path, mut each: impl FnMut(codec::Id, &[u8])) -> Result<()> {
    crate::init()?;
    let mut input = ffmpeg_next::format::input(&path).map_err(|source| Error::Open {
        path: path.to_owned(),
        source,
    })?;
    let (index, codec) = crate::decode::info::best_video_stream(&input)
        .map(|s| (s.index(), s.parameters().id()))
        .ok_or_else(|| Error::NoVideo {
            path: path.to_owned(),
        })?;
    let mut packet = ffmpeg_next::Packet::empty();
    let (mut read, mut failures) = (0u64, 0u32);
    loop {
        match packet.read(&mut input) {
            Ok(()) => {
                failures = 0;
                if packet.stream() == index {
                    if let Some(data) = packet.data() {
                        each(codec, data);
                    }
                }
            }
            Err(ffmpeg_next::Error::Eof) => return Ok(()),
            Err(ffmpeg_next::Error::InvalidData) if failures < crate::decode::MAX_READ_FAILURES => {
                failures += 1;
            }
            Err(source) => {
                return Err(Error::Decode {
                    path: path.to_owned(),
                    packet: read,
                    frame: 0,
                    source,
                })
            }
        }
        read += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_from_the_header() {
        let clip = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/clips/kiosk.mp4");
        let seconds = duration(&clip).unwrap().unwrap();
        assert!((seconds - 3.0).abs() < 0.05, "{seconds}");
        assert!(matches!(
            duration(Path::new("/nonexistent.mp4")),
            Err(Error::Open { .. })
        ));
    }

    #[test]
    fn extensions() {
        assert!(has_video_extension(Path::new("a/b.MP4")));
        assert!(!has_video_extension(Path::new("a/b.json")));
        assert!(!has_video_extension(Path::new("a/b")));
    }
}
