//! Telling video files from other files without decoding them.

use std::path::Path;

use ffmpeg_next::media;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert!(has_video_extension(Path::new("a/b.MP4")));
        assert!(!has_video_extension(Path::new("a/b.json")));
        assert!(!has_video_extension(Path::new("a/b")));
    }
}
