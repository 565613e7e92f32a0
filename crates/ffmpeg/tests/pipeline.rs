//! End-to-end runs of the pipeline on the committed fixture clips
//! (`fixtures/make-clips.sh`): redact, decode the output back, compare.

// Helpers outside `#[test]` functions unwrap too: a test that cannot set up
// should fail loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use sladd_core::frame::Planes;
use sladd_core::{ColorRange, FrameMut, PixelFormat, SpanMask, Style};
use sladd_ffmpeg::ffmpeg_next::{self, media};
use sladd_ffmpeg::{
    redact_file, AudioMode, AudioOutcome, Decoder, DecoderOptions, Error, FrameMasker, FrameTime,
    MaskOutcome, OnCorrupt, RedactOptions, StaticMask,
};

fn clip(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/clips")
        .join(name)
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join("sladd-ffmpeg-tests")
        .join(format!("{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn hash_file(path: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    std::fs::read(path).unwrap().hash(&mut h);
    h.finish()
}

/// A rectangle in luma pixels, `[x0, x1) × [y0, y1)`.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

/// Fills a rectangle with black straight in the planes: the test's own
/// masker, independent of the core's effects.
struct RectFill {
    rect: Rect,
    calls: u64,
    fail_at: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
#[error("test masker refuses frame {0}")]
struct Refused(u64);

impl RectFill {
    fn new(rect: Rect) -> Self {
        Self {
            rect,
            calls: 0,
            fail_at: None,
        }
    }
}

fn fill_plane<T: Copy>(
    data: &mut [T],
    stride: usize,
    x: (usize, usize),
    y: (usize, usize),
    ch: usize,
    value: &[T],
) {
    for row in y.0..y.1 {
        let line = &mut data[row * stride..];
        for px in x.0..x.1 {
            for c in 0..ch {
                line[px * ch + c] = value[c % value.len()];
            }
        }
    }
}

impl FrameMasker for RectFill {
    type Error = Refused;

    fn mask(&mut self, frame: &mut FrameMut<'_>, time: &FrameTime) -> Result<MaskOutcome, Refused> {
        assert_eq!(time.index, self.calls, "frames come in order");
        self.calls += 1;
        if self.fail_at == Some(time.index) {
            return Err(Refused(time.index));
        }
        let format = frame.format();
        let full = frame.range() == ColorRange::Full;
        let (sx, sy) = format.chroma_shift();
        let r = self.rect;
        let luma = ((r.x0, r.x1), (r.y0, r.y1));
        let chroma = (
            (r.x0 >> sx, (r.x1 + (1 << sx) - 1) >> sx),
            (r.y0 >> sy, (r.y1 + (1 << sy) - 1) >> sy),
        );
        match frame.planes_mut() {
            Planes::U8(planes) => {
                for (i, plane) in planes.iter_mut().enumerate() {
                    let Some(plane) = plane else { continue };
                    let stride = plane.stride();
                    let ch = plane.channels();
                    let (x, y, value): (_, _, &[u8]) = if format.is_rgb() {
                        (luma.0, luma.1, &[0])
                    } else if i == 0 {
                        (luma.0, luma.1, if full { &[0] } else { &[16] })
                    } else {
                        (chroma.0, chroma.1, &[128])
                    };
                    fill_plane(plane.as_mut_slice(), stride, x, y, ch, value);
                }
            }
            Planes::U16(planes) => {
                for (i, plane) in planes.iter_mut().enumerate() {
                    let Some(plane) = plane else { continue };
                    let stride = plane.stride();
                    let (x, y, value): (_, _, &[u16]) = if i == 0 {
                        (luma.0, luma.1, &[64])
                    } else {
                        (chroma.0, chroma.1, &[512])
                    };
                    fill_plane(plane.as_mut_slice(), stride, x, y, 1, value);
                }
            }
        }
        Ok(MaskOutcome::Masked)
    }
}

/// A decoded frame's luma (widened to 16 bits) and time.
struct Luma {
    seconds: f64,
    width: usize,
    height: usize,
    depth: u32,
    full: bool,
    samples: Vec<u16>,
}

fn decode_luma(path: &Path) -> (Vec<Luma>, Option<jiff::Timestamp>) {
    let mut decoder = Decoder::open(path, &DecoderOptions::default()).unwrap();
    let start = decoder.info().start;
    let mut out = vec![];
    while let Some(mut frame) = decoder.next_frame().unwrap() {
        let seconds = frame.time().seconds;
        let view = frame.view().unwrap();
        let (w, h) = (view.width() as usize, view.height() as usize);
        let full = view.range() == ColorRange::Full;
        let depth = view.format().depth();
        let samples: Vec<u16> = match view.planes() {
            Planes::U8(p) => {
                let p = p[0].as_ref().unwrap();
                p.rows()
                    .flat_map(|r| r.iter().map(|&v| u16::from(v)))
                    .collect()
            }
            Planes::U16(p) => {
                let p = p[0].as_ref().unwrap();
                p.rows().flat_map(|r| r.iter().copied()).collect()
            }
        };
        assert_ne!(view.format(), PixelFormat::Rgb24);
        out.push(Luma {
            seconds,
            width: w,
            height: h,
            depth,
            full,
            samples,
        });
    }
    (out, start)
}

/// PSNR (8-bit scale) of luma outside the rectangle grown by `margin`.
fn psnr_outside(a: &Luma, b: &Luma, rect: Rect, margin: usize) -> f64 {
    let scale = f64::from(1u32 << (a.depth - 8));
    let (mut sum, mut n) = (0.0, 0u64);
    for y in 0..a.height {
        for x in 0..a.width {
            let near = x + margin >= rect.x0
                && x < rect.x1 + margin
                && y + margin >= rect.y0
                && y < rect.y1 + margin;
            if near {
                continue;
            }
            let d = (f64::from(a.samples[y * a.width + x]) - f64::from(b.samples[y * b.width + x]))
                / scale;
            sum += d * d;
            n += 1;
        }
    }
    let mse = sum / n as f64;
    if mse == 0.0 {
        return f64::INFINITY;
    }
    10.0 * (255.0 * 255.0 / mse).log10()
}

/// The largest distance from the fill's luma inside the rectangle shrunk by
/// `inset` (8-bit scale).
fn max_fill_error(l: &Luma, rect: Rect, inset: usize) -> f64 {
    let scale = f64::from(1u32 << (l.depth - 8));
    let fill = if l.full { 0.0 } else { 16.0 };
    let mut worst: f64 = 0.0;
    for y in rect.y0 + inset..rect.y1 - inset {
        for x in rect.x0 + inset..rect.x1 - inset {
            let v = f64::from(l.samples[y * l.width + x]) / scale;
            worst = worst.max((v - fill).abs());
        }
    }
    worst
}

struct Probe {
    video: usize,
    audio: usize,
    audio_packets: usize,
    other: usize,
    global: Vec<(String, String)>,
    stream_tags: Vec<(String, String)>,
}

fn probe(path: &Path) -> Probe {
    ffmpeg_next::init().unwrap();
    let mut input = ffmpeg_next::format::input(&path).unwrap();
    let mut p = Probe {
        video: 0,
        audio: 0,
        audio_packets: 0,
        other: 0,
        global: input
            .metadata()
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        stream_tags: vec![],
    };
    for s in input.streams() {
        match s.parameters().medium() {
            media::Type::Video => p.video += 1,
            media::Type::Audio => p.audio += 1,
            _ => p.other += 1,
        }
        p.stream_tags.extend(
            s.metadata()
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
    }
    let audio: Vec<usize> = input
        .streams()
        .filter(|s| s.parameters().medium() == media::Type::Audio)
        .map(|s| s.index())
        .collect();
    for (stream, _) in input.packets() {
        if audio.contains(&stream.index()) {
            p.audio_packets += 1;
        }
    }
    p
}

const RECT: Rect = Rect {
    x0: 64,
    y0: 48,
    x1: 192,
    y1: 144,
};

/// A rectangle over the middle of a `width × height` frame, corners on the
/// 8-pixel grid.
fn rect_for(width: u32, height: u32) -> Rect {
    let (w, h) = (width as usize, height as usize);
    Rect {
        x0: w / 5 / 8 * 8,
        y0: h / 5 / 8 * 8,
        x1: w * 3 / 5 / 8 * 8,
        y1: h * 3 / 5 / 8 * 8,
    }
}

/// Redacts `name` with the rectangle fill and checks everything the issue
/// asks of an output.
/// Which masker a round trip uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Masker {
    /// sladd-core's `Redactor` through `StaticMask` (black fill).
    Core,
    /// The test's own plane fill.
    Direct,
}

fn round_trip(name: &str, audio: AudioMode, expect_audio: AudioOutcome) {
    round_trip_with(name, audio, expect_audio, Masker::Core);
}

fn round_trip_with(name: &str, audio: AudioMode, expect_audio: AudioOutcome, masker: Masker) {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let input = clip(name);
    let before = hash_file(&input);
    let dir = scratch(&name.replace('.', "_"));
    let ext = input.extension().unwrap().to_str().unwrap();
    let output = dir.join(format!("out.{ext}"));
    let options = RedactOptions {
        audio,
        config_hash: "cafebabe".into(),
        ..RedactOptions::default()
    };
    let info = Decoder::open(&input, &DecoderOptions::default())
        .unwrap()
        .info()
        .clone();
    let rect = rect_for(info.width, info.height);
    let mut progress = vec![];
    let result = match masker {
        Masker::Direct => redact_file(&input, &output, RectFill::new(rect), &options, |p| {
            progress.push(p)
        }),
        Masker::Core => {
            let span = SpanMask::from_rect(
                info.width,
                info.height,
                sladd_core::Rect {
                    x0: rect.x0 as u32,
                    y0: rect.y0 as u32,
                    x1: rect.x1 as u32,
                    y1: rect.y1 as u32,
                },
            )
            .unwrap();
            let masker = StaticMask::new(vec![(Style::fill(), span)]);
            redact_file(&input, &output, masker, &options, |p| progress.push(p))
        }
    };
    let report = result.unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(hash_file(&input), before, "{name}: input changed");
    assert_eq!(report.output, output);
    assert_eq!(report.audio, expect_audio, "{name}");
    assert_eq!(report.masked_frames, report.frames);
    assert_eq!(report.skipped, 0);
    assert_eq!(progress.len() as u64, report.frames);
    assert!(progress
        .windows(2)
        .all(|w| w[0].frames_done < w[1].frames_done));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{name}: {leftovers:?}");

    let info_out = Decoder::open(&output, &DecoderOptions::default())
        .unwrap()
        .info()
        .clone();
    assert_eq!(
        info.sample_aspect_ratio, info_out.sample_aspect_ratio,
        "{name}: sample aspect"
    );
    assert_eq!(info.codec, info_out.codec, "{name}: codec family");
    assert_eq!(
        info.pixel_format.contains("10"),
        info_out.pixel_format.contains("10"),
        "{name}: bit depth ({} became {})",
        info.pixel_format,
        info_out.pixel_format
    );
    let rate = |i: &sladd_ffmpeg::VideoInfo| i.frame_rate.map(f64::from).unwrap();
    assert!(
        (rate(&info) - rate(&info_out)).abs() < rate(&info) * 1e-3,
        "{name}: frame rate {} became {}",
        rate(&info),
        rate(&info_out)
    );
    let (original, start_in) = decode_luma(&input);
    let (redacted, start_out) = decode_luma(&output);
    assert_eq!(start_in, start_out, "{name}: creation_time");
    assert_eq!(original.len(), redacted.len(), "{name}: frame count");
    if ["mp4", "mov", "avi"].contains(&ext) {
        // These containers index every frame: the decoder drained them all.
        assert_eq!(
            Some(original.len() as u64),
            info.frames_estimate,
            "{name}: frames decoded vs the container's count"
        );
    }
    assert_eq!(report.frames as usize, original.len());
    for (i, (a, b)) in original.iter().zip(&redacted).enumerate() {
        assert!(
            (a.seconds - b.seconds).abs() < 1e-3,
            "{name}: frame {i} at {} became {}",
            a.seconds,
            b.seconds
        );
        assert_eq!((a.width, a.height), (b.width, b.height));
        let err = max_fill_error(b, rect, 4);
        assert!(err <= 4.0, "{name}: frame {i}: masked luma off by {err}");
        let psnr = psnr_outside(a, b, rect, 16);
        assert!(
            psnr >= 30.0,
            "{name}: frame {i}: PSNR {psnr:.1} dB outside the mask"
        );
    }

    let p = probe(&output);
    assert_eq!(p.video, 1, "{name}");
    let want_audio = usize::from(expect_audio == AudioOutcome::Copied);
    assert_eq!(p.audio.min(1), want_audio, "{name}: audio streams");
    assert_eq!(p.other, 0, "{name}: subtitle/data/attachment streams left");
    if expect_audio == AudioOutcome::Copied {
        let original = probe(&input);
        assert_eq!(
            p.audio_packets, original.audio_packets,
            "{name}: audio packets lost"
        );
        assert!(p.audio_packets > 0);
    }
    // A raw elementary stream has no container to carry tags at all.
    if ext != "h264" {
        let comment = p
            .global
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("comment"))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{name}: no comment in {:?}", p.global));
        assert!(
            comment.contains("sladd") && comment.contains("cafebabe"),
            "{comment}"
        );
    }
    for (k, v) in p.global.iter().chain(&p.stream_tags) {
        let k = k.to_ascii_lowercase();
        assert!(
            [
                "comment",
                "creation_time",
                "encoder",
                "software",
                "language",
                "major_brand",
                "minor_version",
                "compatible_brands",
                "duration",
                "handler_name",
                "vendor_id"
            ]
            .contains(&k.as_str()),
            "{name}: leftover tag {k}={v}"
        );
        assert!(
            !v.contains("Anna") && !v.contains("Staff") && !v.contains("operator"),
            "{name}: {k}={v}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn h264_with_audio_copied() {
    round_trip("h264_aac.mp4", AudioMode::Copy, AudioOutcome::Copied);
}

#[test]
fn h264_with_the_tests_own_fill() {
    round_trip_with(
        "h264_aac.mp4",
        AudioMode::Drop,
        AudioOutcome::Stripped,
        Masker::Direct,
    );
}

#[test]
fn h264_with_audio_stripped() {
    round_trip("kiosk.mp4", AudioMode::Drop, AudioOutcome::Stripped);
}

#[test]
fn hevc_in_matroska() {
    round_trip("hevc.mkv", AudioMode::Copy, AudioOutcome::None);
}

#[test]
fn full_range_mjpeg() {
    round_trip("mjpeg.avi", AudioMode::Copy, AudioOutcome::None);
}

#[test]
fn ten_bit() {
    round_trip("h264_10bit.mp4", AudioMode::Drop, AudioOutcome::None);
}

#[test]
fn ntsc_frame_rate() {
    round_trip("ntsc_29.97.mp4", AudioMode::Drop, AudioOutcome::None);
}

#[test]
fn raw_h264_without_container_timestamps() {
    round_trip("raw.h264", AudioMode::Copy, AudioOutcome::None);
}

#[test]
fn ten_bit_422_is_converted_then_masked() {
    round_trip("yuv422p10.mkv", AudioMode::Drop, AudioOutcome::None);
}

#[test]
fn full_range_422_mjpeg_at_an_odd_size() {
    round_trip("mjpeg_422_odd.mov", AudioMode::Drop, AudioOutcome::None);
}

#[test]
fn cover_art_is_dropped() {
    round_trip("cover_art.mp4", AudioMode::Copy, AudioOutcome::None);
}

#[test]
fn subtitles_attachments_and_tags_are_dropped() {
    round_trip("subtitle_title.mkv", AudioMode::Copy, AudioOutcome::Copied);
}

/// Runs a redaction that must fail with an input error and leave nothing
/// behind; returns the error.
fn failing_run(name: &str, on_corrupt: OnCorrupt) -> Error {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let input = clip(name);
    let before = hash_file(&input);
    let dir = scratch(&format!("bad-{}", name.replace('.', "_")));
    let output = dir.join("out.mp4");
    let options = RedactOptions {
        on_corrupt,
        ..RedactOptions::default()
    };
    let err = redact_file(&input, &output, RectFill::new(RECT), &options, |_| {}).unwrap_err();
    assert_eq!(hash_file(&input), before, "{name}: input changed");
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "{name}: files left behind: {left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
    err
}

#[test]
fn zero_byte_file_is_an_input_error() {
    let err = failing_run("empty.mp4", OnCorrupt::Stop);
    assert!(matches!(err, Error::Open { .. }), "{err}");
    assert!(err.is_input_error() && !err.is_output_error());
}

#[test]
fn text_file_is_an_input_error() {
    let err = failing_run("not_video.mp4", OnCorrupt::Stop);
    assert!(err.is_input_error(), "{err}");
    assert!(err.to_string().contains("not_video.mp4"), "{err}");
}

#[test]
fn truncated_file_stops_with_its_position() {
    let err = failing_run("truncated.mp4", OnCorrupt::Stop);
    assert!(err.is_input_error(), "{err}");
    match err {
        Error::Decode { frame, .. } => assert!(frame > 0 && frame < 50, "frame {frame}"),
        Error::Truncated {
            decoded, expected, ..
        } => assert!(decoded < expected),
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn truncated_file_can_skip_the_damage() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let dir = scratch("truncated-skip");
    let output = dir.join("out.mp4");
    let options = RedactOptions {
        on_corrupt: OnCorrupt::Skip,
        ..RedactOptions::default()
    };
    let report = redact_file(
        &clip("truncated.mp4"),
        &output,
        RectFill::new(RECT),
        &options,
        |_| {},
    )
    .unwrap();
    assert!(report.frames > 0 && report.frames < 50, "{report:?}");
    assert!(report.skipped > 0, "{report:?}");
    assert_eq!(report.frames + report.skipped, 50, "{report:?}");
    assert_eq!(report.masked_frames, report.frames);
    let (frames, _) = decode_luma(&output);
    assert_eq!(frames.len() as u64, report.frames);
    for (i, f) in frames.iter().enumerate() {
        let err = max_fill_error(f, RECT, 4);
        assert!(err <= 4.0, "frame {i}: masked luma off by {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_mask_error_stops_the_run_and_leaves_no_output() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let input = clip("h264_aac.mp4");
    let dir = scratch("mask-error");
    let output = dir.join("out.mp4");
    let mut masker = RectFill::new(RECT);
    masker.fail_at = Some(10);
    let err = redact_file(
        &input,
        &output,
        &mut masker,
        &RedactOptions::default(),
        |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, Error::Mask { frame: 10, .. }), "{err}");
    assert!(!err.is_input_error() && !err.is_output_error());
    assert_eq!(masker.calls, 11);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Panics at one frame, as a buggy masker might.
struct PanicsAt(u64);

impl FrameMasker for PanicsAt {
    type Error = std::io::Error;

    fn mask(&mut self, _: &mut FrameMut<'_>, time: &FrameTime) -> Result<MaskOutcome, Self::Error> {
        assert!(time.index != self.0, "masker bug at frame {}", self.0);
        Ok(MaskOutcome::Masked)
    }
}

#[test]
fn a_panicking_masker_stops_the_run_and_leaves_no_output() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let dir = scratch("mask-panic");
    let output = dir.join("out.mp4");
    let err = redact_file(
        &clip("h264_aac.mp4"),
        &output,
        PanicsAt(5),
        &RedactOptions::default(),
        |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, Error::MaskThread), "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_run_keeps_an_existing_output() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let dir = scratch("keep-existing");
    let output = dir.join("out.mp4");
    std::fs::write(&output, b"earlier result").unwrap();
    let mut masker = RectFill::new(RECT);
    masker.fail_at = Some(0);
    redact_file(
        &clip("kiosk.mp4"),
        &output,
        &mut masker,
        &RedactOptions::default(),
        |_| {},
    )
    .unwrap_err();
    assert_eq!(std::fs::read(&output).unwrap(), b"earlier result");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_onto_input_is_refused() {
    let dir = scratch("same-file");
    let input = dir.join("in.mp4");
    std::fs::copy(clip("kiosk.mp4"), &input).unwrap();
    let before = hash_file(&input);
    let err = redact_file(
        &input,
        &input,
        RectFill::new(RECT),
        &RedactOptions::default(),
        |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, Error::SameFile { .. }), "{err}");
    assert_eq!(hash_file(&input), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Waits at its first frame until told to go on: a run held in the middle.
struct HeldAtFirstFrame {
    started: std::sync::mpsc::Sender<()>,
    resume: std::sync::mpsc::Receiver<()>,
}

impl FrameMasker for HeldAtFirstFrame {
    type Error = std::io::Error;

    fn mask(&mut self, _: &mut FrameMut<'_>, time: &FrameTime) -> Result<MaskOutcome, Self::Error> {
        if time.index == 0 {
            let _ = self.started.send(());
            let _ = self.resume.recv();
        }
        Ok(MaskOutcome::Masked)
    }
}

/// Regression: two runs writing one output shared one temporary name; one
/// failed with `cannot flush`, and the output could hold one run's video
/// under the other's manifest.
#[test]
fn two_runs_writing_one_output_share_no_temporary_name() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let dir = scratch("two-runs");
    let output = dir.join("out.mp4");
    let (started_tx, started) = std::sync::mpsc::channel();
    let (resume, resume_rx) = std::sync::mpsc::channel();
    let held = {
        let output = output.clone();
        std::thread::spawn(move || {
            let masker = HeldAtFirstFrame {
                started: started_tx,
                resume: resume_rx,
            };
            sladd_ffmpeg::redact_uncommitted(
                &clip("kiosk.mp4"),
                &output,
                masker,
                &RedactOptions::default(),
                |_| {},
            )
            .and_then(|done| {
                done.commit(vec![sladd_ffmpeg::Companion {
                    target: dir_of(&output).join("out.mp4.manifest.json"),
                    contents: b"of the held run".to_vec(),
                }])
            })
        })
    };
    // The held run has claimed the output and is decoding: another run
    // writes the same output from start to finish.
    started.recv().unwrap();
    let done = sladd_ffmpeg::redact_uncommitted(
        &clip("h264_aac.mp4"),
        &output,
        RectFill::new(RECT),
        &RedactOptions::default(),
        |_| {},
    )
    .unwrap();
    let written = std::fs::read(done.path()).unwrap();
    done.commit(vec![sladd_ffmpeg::Companion {
        target: dir.join("out.mp4.manifest.json"),
        contents: b"of the second run".to_vec(),
    }])
    .unwrap();
    resume.send(()).unwrap();
    let err = held.join().unwrap().unwrap_err();
    assert!(matches!(err, Error::OutputConflict { .. }), "{err}");
    assert!(err.is_output_error());
    assert_eq!(std::fs::read(&output).unwrap(), written);
    assert_eq!(
        std::fs::read(dir.join("out.mp4.manifest.json")).unwrap(),
        b"of the second run"
    );
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["out.mp4", "out.mp4.manifest.json"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn dir_of(path: &Path) -> PathBuf {
    path.parent().unwrap().to_path_buf()
}

/// Regression: `-o /dev/null` (as root) replaced the device with a regular
/// file.
#[test]
fn an_output_that_is_a_device_is_refused_before_any_work() {
    for output in ["/dev/null", "-"] {
        let err = redact_file(
            &clip("kiosk.mp4"),
            Path::new(output),
            RectFill::new(RECT),
            &RedactOptions::default(),
            |_| {},
        )
        .unwrap_err();
        assert!(err.is_usage_error(), "{output}: {err}");
    }
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    assert!(!Path::new("/dev/null.manifest.json").exists());
    assert!(!Path::new("-").exists());
}

#[test]
fn unwritable_output_is_an_output_error() {
    let dir = scratch("unwritable");
    let output = dir.join("missing-dir").join("out.mp4");
    let err = redact_file(
        &clip("kiosk.mp4"),
        &output,
        RectFill::new(RECT),
        &RedactOptions::default(),
        |_| {},
    )
    .unwrap_err();
    assert!(err.is_output_error(), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn frame_times_carry_the_creation_instant() {
    let mut decoder = Decoder::open(clip("kiosk.mp4"), &DecoderOptions::default()).unwrap();
    let start: jiff::Timestamp = "2024-03-12T09:30:00Z".parse().unwrap();
    assert_eq!(decoder.info().start, Some(start));
    let mut n = 0u64;
    while let Some(frame) = decoder.next_frame().unwrap() {
        let t = frame.time();
        assert_eq!(t.index, n);
        assert!((t.seconds - n as f64 / 25.0).abs() < 1e-6, "{t:?}");
        let want = start
            .checked_add(jiff::SignedDuration::from_secs_f64(t.seconds))
            .unwrap();
        assert_eq!(t.instant, Some(want));
        n += 1;
    }
    assert_eq!(n, 75);
    // The caller's start wins over the container's.
    let other: jiff::Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
    let decoder = Decoder::open(
        clip("kiosk.mp4"),
        &DecoderOptions {
            start: Some(other),
            ..DecoderOptions::default()
        },
    )
    .unwrap();
    assert_eq!(decoder.info().start, Some(other));
    let decoder = Decoder::open(clip("hevc.mkv"), &DecoderOptions::default()).unwrap();
    assert_eq!(decoder.info().start, None);
}

#[test]
fn a_whole_frame_region_masks_every_pixel() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let dir = scratch("whole-frame");
    let output = dir.join("out.mp4");
    let masker = StaticMask::from_regions(vec![(Style::fill(), sladd_core::Region::whole_frame())]);
    let report = redact_file(
        &clip("kiosk.mp4"),
        &output,
        masker,
        &RedactOptions::default(),
        |_| {},
    )
    .unwrap();
    assert_eq!(report.frames, 75);
    assert_eq!(report.full_frame_masked, 75);
    assert_eq!(report.masked_frames, 75);
    let (frames, _) = decode_luma(&output);
    let all = Rect {
        x0: 0,
        y0: 0,
        x1: 640,
        y1: 360,
    };
    for (i, f) in frames.iter().enumerate() {
        let err = max_fill_error(f, all, 0);
        assert!(err <= 2.0, "frame {i}: luma off black by {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn corrupt_packets_stop_the_run_by_default() {
    let err = failing_run("corrupt.mp4", OnCorrupt::Stop);
    assert!(err.is_input_error(), "{err}");
    match err {
        Error::Decode { frame, .. } | Error::CorruptFrame { frame, .. } => {
            assert!(frame > 0 && frame < 50, "frame {frame}")
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn corrupt_packets_can_be_skipped_and_are_counted() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let input = clip("corrupt.mp4");
    let before = hash_file(&input);
    let dir = scratch("corrupt-skip");
    let output = dir.join("out.mp4");
    let options = RedactOptions {
        on_corrupt: OnCorrupt::Skip,
        audio: AudioMode::Copy,
        ..RedactOptions::default()
    };
    let report = redact_file(&input, &output, RectFill::new(RECT), &options, |_| {}).unwrap();
    assert_eq!(hash_file(&input), before);
    assert!(report.skipped > 0, "{report:?}");
    assert!(report.frames < 50, "{report:?}");
    assert!(report.frames + report.skipped >= 50, "{report:?}");
    let (frames, _) = decode_luma(&output);
    assert_eq!(frames.len() as u64, report.frames);
    assert!(frames.windows(2).all(|w| w[0].seconds < w[1].seconds));
    for (i, f) in frames.iter().enumerate() {
        let err = max_fill_error(f, RECT, 4);
        assert!(err <= 4.0, "frame {i}: masked luma off by {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Masking a frame the decoder still uses as a reference must not leak into
/// later frames: decoding with every frame masked gives, outside the mask,
/// exactly the pixels of decoding without masking.
#[test]
fn masking_never_leaks_into_later_frames() {
    for name in ["h264_aac.mp4", "hevc.mkv", "h264_10bit.mp4"] {
        let (plain, _) = decode_luma(&clip(name));
        let mut decoder = Decoder::open(clip(name), &DecoderOptions::default()).unwrap();
        let mut masker = RectFill::new(RECT);
        let mut i = 0;
        while let Some(mut frame) = decoder.next_frame().unwrap() {
            let time = *frame.time();
            masker.mask(&mut frame.view().unwrap(), &time).unwrap();
            // The masked frame itself, read back: its buffers were copied
            // before masking if the decoder still referenced them.
            let view = frame.view().unwrap();
            let width = view.width() as usize;
            let original = &plain[i];
            let row = |y: usize| -> Vec<u16> {
                match view.planes() {
                    Planes::U8(p) => p[0]
                        .as_ref()
                        .unwrap()
                        .row(y)
                        .unwrap()
                        .iter()
                        .map(|&v| u16::from(v))
                        .collect(),
                    Planes::U16(p) => p[0].as_ref().unwrap().row(y).unwrap().to_vec(),
                }
            };
            for y in 0..original.height {
                let got = row(y);
                for (x, &sample) in got.iter().enumerate().take(width) {
                    let inside = (RECT.x0..RECT.x1).contains(&x) && (RECT.y0..RECT.y1).contains(&y);
                    if !inside {
                        assert_eq!(
                            sample,
                            original.samples[y * width + x],
                            "{name}: frame {i} pixel ({x}, {y}) changed outside the mask"
                        );
                    }
                }
            }
            i += 1;
        }
        assert_eq!(i, plain.len(), "{name}");
    }
}

/// A clone of a decoded frame can be masked without changing the frame it
/// came from (the zone editor masks one decoded frame for every preview).
#[test]
fn masking_a_clone_leaves_the_frame_as_decoded() {
    let frame =
        sladd_ffmpeg::snapshot::frame_at(&clip("kiosk.mp4"), 1.0, &DecoderOptions::default())
            .unwrap();
    let before = sladd_ffmpeg::snapshot::to_rgb24(&frame).unwrap();
    for _ in 0..2 {
        let mut copy = frame.try_clone().unwrap();
        assert_eq!(copy.time(), frame.time());
        {
            let mut view = copy.view().unwrap();
            let (w, h) = (view.width(), view.height());
            let full = vec![(Style::fill(), SpanMask::full(w, h).unwrap())];
            let redaction = sladd_core::Redaction::new(view.format(), w, h, full).unwrap();
            sladd_core::Redactor::new()
                .apply(&mut view, &redaction)
                .unwrap();
        }
        let masked = sladd_ffmpeg::snapshot::to_rgb24(&copy).unwrap();
        assert!(masked.2.iter().all(|&v| v < 8), "the clone is filled black");
    }
    assert_eq!(sladd_ffmpeg::snapshot::to_rgb24(&frame).unwrap(), before);
}
