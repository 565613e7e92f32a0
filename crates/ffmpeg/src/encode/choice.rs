//! Which encoder a redacted video gets: the input's codec family when the
//! output container can hold it, else the container's own first choice,
//! and a refusal naming a container that works when nothing fits.
//!
//! | container (extensions) | holds, first choice first |
//! |---|---|
//! | MP4 (`mp4`) | H.264, HEVC, AV1, MPEG-4 Part 2 |
//! | 3GP, iPod MP4 (`3gp`, `m4v`) | H.264, MPEG-4 Part 2 |
//! | QuickTime (`mov`) | H.264, HEVC, MJPEG, MPEG-4 Part 2 |
//! | Matroska (`mkv`) | H.264, HEVC, VP9, AV1, MJPEG, MPEG-2, MPEG-4 Part 2 |
//! | WebM (`webm`) | VP9, AV1 |
//! | AVI (`avi`) | H.264 without B-frames, MJPEG, MPEG-4 Part 2 |
//! | MPEG-TS (`ts`, `mts`, `m2ts`) | H.264, HEVC, MPEG-2 |
//! | MPEG-PS (`mpg`, `mpeg`) | MPEG-2 (at the standard frame rates) |
//! | FLV (`flv`) | H.264 |
//! | ASF (`wmv`, `asf`) | H.264 without B-frames |
//! | raw streams (`h264`, `264`, `h265`, `265`, `hevc`, `mjpeg`, `mjpg`) | their own codec only |
//!
//! Encoders: H.264 `libx264`, HEVC `libx265`, MJPEG `mjpeg`, VP9
//! `libvpx-vp9` (VP8 input too), AV1 `libaom-av1`, MPEG-2 `mpeg2video`
//! (MPEG-1 input too), MPEG-4 Part 2 `mpeg4`; the fast settings are in
//! `VideoEncoder`. B-frames are left out where the container
//! stores no presentation times (AVI, ASF), which would shift every frame.

use ffmpeg_next::codec;

/// A codec family sladd can encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// H.264 / AVC.
    H264,
    /// H.265 / HEVC.
    Hevc,
    /// Motion JPEG.
    Mjpeg,
    /// VP9 (and VP8 input).
    Vp9,
    /// AV1.
    Av1,
    /// MPEG-2 video (and MPEG-1 input).
    Mpeg2,
    /// MPEG-4 Part 2 (DivX, Xvid).
    Mpeg4,
}

impl Family {
    /// The family of an input codec, `None` for one sladd does not encode.
    #[must_use]
    pub fn of(codec: codec::Id) -> Option<Self> {
        Some(match codec {
            codec::Id::H264 => Self::H264,
            codec::Id::HEVC => Self::Hevc,
            codec::Id::MJPEG => Self::Mjpeg,
            codec::Id::VP8 | codec::Id::VP9 => Self::Vp9,
            codec::Id::AV1 => Self::Av1,
            codec::Id::MPEG1VIDEO | codec::Id::MPEG2VIDEO => Self::Mpeg2,
            codec::Id::MPEG4 => Self::Mpeg4,
            _ => return None,
        })
    }

    /// Its encoder's FFmpeg name.
    #[must_use]
    pub const fn encoder(self) -> &'static str {
        match self {
            Self::H264 => "libx264",
            Self::Hevc => "libx265",
            Self::Mjpeg => "mjpeg",
            Self::Vp9 => "libvpx-vp9",
            Self::Av1 => "libaom-av1",
            Self::Mpeg2 => "mpeg2video",
            Self::Mpeg4 => "mpeg4",
        }
    }

    /// The codec it encodes to.
    #[must_use]
    pub const fn codec(self) -> codec::Id {
        match self {
            Self::H264 => codec::Id::H264,
            Self::Hevc => codec::Id::HEVC,
            Self::Mjpeg => codec::Id::MJPEG,
            Self::Vp9 => codec::Id::VP9,
            Self::Av1 => codec::Id::AV1,
            Self::Mpeg2 => codec::Id::MPEG2VIDEO,
            Self::Mpeg4 => codec::Id::MPEG4,
        }
    }

    /// Whether its encoder takes video of this frame rate: MPEG-2 codes
    /// only the standard rates (23.976 to 60).
    #[must_use]
    pub fn can_encode(self, frame_rate: Option<ffmpeg_next::Rational>) -> bool {
        if self != Self::Mpeg2 {
            return true;
        }
        let standard = [
            (24000, 1001),
            (24, 1),
            (25, 1),
            (30000, 1001),
            (30, 1),
            (50, 1),
            (60000, 1001),
            (60, 1),
        ];
        frame_rate.is_some_and(|r| {
            standard
                .iter()
                .any(|&(n, d)| i64::from(r.numerator()) * d == i64::from(r.denominator()) * n)
        })
    }

    /// Its name in words.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::H264 => "H.264",
            Self::Hevc => "HEVC",
            Self::Mjpeg => "Motion JPEG",
            Self::Vp9 => "VP9",
            Self::Av1 => "AV1",
            Self::Mpeg2 => "MPEG-2",
            Self::Mpeg4 => "MPEG-4 Part 2",
        }
    }
}

/// The output container, by FFmpeg's muxer name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// MP4.
    Mp4,
    /// 3GPP and iPod MP4 (`3gp`, `3g2`, `m4v`), which hold fewer codecs.
    ThreeGp,
    /// QuickTime.
    Mov,
    /// Matroska.
    Matroska,
    /// WebM.
    WebM,
    /// AVI.
    Avi,
    /// MPEG transport stream.
    MpegTs,
    /// MPEG program stream.
    MpegPs,
    /// Flash video.
    Flv,
    /// ASF / WMV.
    Asf,
    /// A raw elementary stream of one codec.
    Raw(Family),
    /// Another muxer: the input's family or H.264, if it accepts them.
    Other,
}

impl Container {
    /// The container FFmpeg's muxer `name` writes.
    #[must_use]
    pub fn of_muxer(name: &str) -> Self {
        match name {
            "mp4" | "psp" => Self::Mp4,
            "3gp" | "3g2" | "ipod" => Self::ThreeGp,
            "mov" => Self::Mov,
            "matroska" => Self::Matroska,
            "webm" => Self::WebM,
            "avi" => Self::Avi,
            "mpegts" => Self::MpegTs,
            "mpeg" | "vob" | "dvd" | "svcd" | "vcd" => Self::MpegPs,
            "flv" => Self::Flv,
            "asf" | "asf_stream" => Self::Asf,
            "h264" => Self::Raw(Family::H264),
            "hevc" => Self::Raw(Family::Hevc),
            "mjpeg" => Self::Raw(Family::Mjpeg),
            "mpeg1video" | "mpeg2video" => Self::Raw(Family::Mpeg2),
            "m4v" => Self::Raw(Family::Mpeg4),
            _ => Self::Other,
        }
    }

    /// The families it holds, its first choice first (`None` for
    /// [`Container::Other`], which is asked).
    #[must_use]
    pub fn holds(self) -> Option<&'static [Family]> {
        use Family::*;
        Some(match self {
            Self::Mp4 => &[H264, Hevc, Av1, Mpeg4],
            Self::ThreeGp => &[H264, Mpeg4],
            Self::Mov => &[H264, Hevc, Mjpeg, Mpeg4],
            Self::Matroska => &[H264, Hevc, Vp9, Av1, Mjpeg, Mpeg2, Mpeg4],
            Self::WebM => &[Vp9, Av1],
            Self::Avi => &[H264, Mjpeg, Mpeg4],
            Self::MpegTs => &[H264, Hevc, Mpeg2],
            Self::MpegPs => &[Mpeg2],
            Self::Flv | Self::Asf => &[H264],
            Self::Raw(H264) => &[H264],
            Self::Raw(Hevc) => &[Hevc],
            Self::Raw(Mjpeg) => &[Mjpeg],
            Self::Raw(Mpeg2) => &[Mpeg2],
            Self::Raw(Mpeg4) => &[Mpeg4],
            Self::Raw(Vp9 | Av1) | Self::Other => return None,
        })
    }

    /// Whether the container itself tags a stream's field order (MP4 and
    /// QuickTime `fiel`, Matroska `FieldOrder`), so that whole frames of an
    /// interlaced video stay marked as such; elsewhere only an encoder that
    /// codes fields keeps it.
    #[must_use]
    pub const fn tags_field_order(self) -> bool {
        matches!(self, Self::Mp4 | Self::Mov | Self::Matroska)
    }

    /// Whether encoders must leave B-frames out: the container stores no
    /// presentation times, so reordered frames would play shifted.
    #[must_use]
    pub const fn needs_no_b_frames(self) -> bool {
        matches!(self, Self::Avi | Self::Asf)
    }

    /// Its name in words.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Mp4 => "MP4",
            Self::ThreeGp => "3GP / M4V",
            Self::Mov => "QuickTime",
            Self::Matroska => "Matroska",
            Self::WebM => "WebM",
            Self::Avi => "AVI",
            Self::MpegTs => "MPEG-TS",
            Self::MpegPs => "MPEG-PS",
            Self::Flv => "FLV",
            Self::Asf => "ASF",
            Self::Raw(Family::H264) => "a raw H.264 stream",
            Self::Raw(Family::Hevc) => "a raw HEVC stream",
            Self::Raw(Family::Mjpeg) => "a raw Motion JPEG stream",
            Self::Raw(Family::Mpeg2) => "a raw MPEG-2 stream",
            Self::Raw(Family::Mpeg4) => "a raw MPEG-4 Part 2 stream",
            Self::Raw(_) => "a raw stream",
            Self::Other => "this container",
        }
    }
}

/// The encoder a redacted video gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncoderChoice {
    /// The encoder's FFmpeg name.
    pub encoder: String,
    /// Whether it may use B-frames.
    pub b_frames: bool,
    /// Why it is not of the input's family, when it is not.
    pub note: Option<String>,
}

/// Why no encoder fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoEncoder {
    /// The container, in words.
    pub container: &'static str,
    /// The families it could hold.
    pub holds: Vec<&'static str>,
    /// A container sladd can write this video to.
    pub instead: &'static str,
}

/// The encoder for a video of `codec` written by the muxer `muxer`: the
/// input's family when the container holds it and this FFmpeg has its
/// encoder, else the container's first choice that it has (see the module
/// docs). `accepts` says whether the muxer takes a codec (asked for
/// containers the table does not know); `available` whether the family's
/// encoder is built in and takes this video.
///
/// # Errors
/// [`NoEncoder`] when the container holds no family this FFmpeg can
/// encode.
pub fn choose_encoder(
    codec: codec::Id,
    muxer: &str,
    accepts: impl Fn(Family) -> bool,
    available: impl Fn(Family) -> bool,
) -> Result<EncoderChoice, NoEncoder> {
    let container = Container::of_muxer(muxer);
    let input = Family::of(codec);
    let holds: Vec<Family> = match container.holds() {
        Some(list) => list.to_vec(),
        None => input
            .into_iter()
            .chain([Family::H264])
            .filter(|f| accepts(*f))
            .collect(),
    };
    let usable = |f: &Family| available(*f);
    let chosen = input
        .filter(|f| holds.contains(f) && usable(f))
        .or_else(|| holds.iter().copied().find(usable));
    let Some(family) = chosen else {
        return Err(NoEncoder {
            container: container.name(),
            holds: holds.iter().map(|f| f.name()).collect(),
            instead: match container {
                Container::Matroska => ".mp4",
                _ => ".mkv",
            },
        });
    };
    let note = match input {
        Some(f) if f == family => None,
        Some(f) if holds.contains(&f) => Some(format!(
            "{} is not available in this FFmpeg or does not take this video: {} re-encoded as {}",
            f.encoder(),
            f.name(),
            family.name()
        )),
        Some(f) => Some(format!(
            "{} cannot hold {} video: re-encoded as {}",
            container.name(),
            f.name(),
            family.name()
        )),
        None => Some(format!(
            "no encoder of the input's family ({}): re-encoded as {}",
            codec.name(),
            family.name()
        )),
    };
    let b_frames = !container.needs_no_b_frames();
    let note = match (note, b_frames, family) {
        (note, false, Family::H264) => Some(
            note.map_or_else(String::new, |n| format!("{n}; "))
                + &format!(
                    "{} stores no presentation times: encoded without B-frames",
                    container.name()
                ),
        ),
        (note, _, _) => note,
    };
    Ok(EncoderChoice {
        encoder: family.encoder().to_owned(),
        b_frames,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(codec: codec::Id, muxer: &str) -> Result<EncoderChoice, NoEncoder> {
        choose_encoder(codec, muxer, |_| true, |_| true)
    }

    #[test]
    fn the_input_family_is_kept_where_the_container_holds_it() {
        for (codec, muxer, encoder) in [
            (codec::Id::H264, "mp4", "libx264"),
            (codec::Id::HEVC, "matroska", "libx265"),
            (codec::Id::MJPEG, "avi", "mjpeg"),
            (codec::Id::VP9, "webm", "libvpx-vp9"),
            (codec::Id::VP8, "matroska", "libvpx-vp9"),
            (codec::Id::MPEG2VIDEO, "mpegts", "mpeg2video"),
            (codec::Id::MPEG4, "avi", "mpeg4"),
            (codec::Id::AV1, "webm", "libaom-av1"),
        ] {
            let choice = choose(codec, muxer).unwrap();
            assert_eq!(choice.encoder, encoder, "{codec:?} in {muxer}");
        }
    }

    /// Regression: HEVC written to `.avi` gave an unreadable file (codec
    /// tag 0), VP9 to `.webm` was re-encoded as H.264, which WebM cannot
    /// hold, and H.264 with B-frames in AVI played every frame shifted.
    #[test]
    fn containers_get_what_they_can_hold() {
        let hevc_avi = choose(codec::Id::HEVC, "avi").unwrap();
        assert_eq!(hevc_avi.encoder, "libx264");
        assert!(!hevc_avi.b_frames);
        assert!(hevc_avi.note.unwrap().contains("AVI cannot hold HEVC"));
        assert_eq!(
            choose(codec::Id::H264, "webm").unwrap().encoder,
            "libvpx-vp9"
        );
        assert!(!choose(codec::Id::H264, "avi").unwrap().b_frames);
        assert!(choose(codec::Id::H264, "mp4").unwrap().b_frames);
        assert_eq!(choose(codec::Id::MJPEG, "mp4").unwrap().encoder, "libx264");
        assert_eq!(choose(codec::Id::HEVC, "h264").unwrap().encoder, "libx264");
    }

    #[test]
    fn nothing_that_fits_is_refused_naming_a_container_that_works() {
        let err =
            choose_encoder(codec::Id::H264, "webm", |_| true, |f| f == Family::H264).unwrap_err();
        assert_eq!(err.container, "WebM");
        assert_eq!(err.instead, ".mkv");
        let missing =
            choose_encoder(codec::Id::HEVC, "mp4", |_| true, |f| f != Family::Hevc).unwrap();
        assert_eq!(missing.encoder, "libx264");
        assert!(missing.note.unwrap().contains("libx265 is not available"));
        let other =
            choose_encoder(codec::Id::H264, "nut", |f| f == Family::H264, |_| true).unwrap();
        assert_eq!(other.encoder, "libx264");
        assert!(choose_encoder(codec::Id::H264, "gif", |_| false, |_| true).is_err());
    }
}
