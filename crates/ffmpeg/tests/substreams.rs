//! Substreams (a camera's second video stream at another resolution):
//! masked at their own size by a masker of their own, each frame at its
//! own instant; left out when the masker has no masks for them; an error
//! on a substream stops the file. Inputs are made by the ffmpeg CLI.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use sladd_core::frame::Planes;
use sladd_core::{FrameMut, Polygon, Region, SpanMask, Style};
use sladd_ffmpeg::mask::Substream;
use sladd_ffmpeg::{
    redact_file, Decoder, DecoderOptions, Error, FrameMasker, FrameTime, MaskOutcome,
    RedactOptions, StaticMask, VideoInfo,
};

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join("sladd-ffmpeg-substreams")
        .join(format!("{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// 6 frames of `testsrc2` at 320x240 and the same picture at 160x120, in
/// MP4, made by the ffmpeg CLI.
fn two_streams(dir: &Path) -> PathBuf {
    let path = dir.join("in.mp4");
    let out = Command::new("ffmpeg")
        .args([
            "-hide_banner",
            "-loglevel",
            "error",
            "-nostdin",
            "-f",
            "lavfi",
        ])
        .args(["-i", "testsrc2=size=320x240:rate=25", "-filter_complex"])
        .args([
            "[0:v]split[a][b];[b]scale=160:120[c]",
            "-map",
            "[a]",
            "-map",
            "[c]",
        ])
        .args([
            "-frames:v",
            "6",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-y",
        ])
        .arg(&path)
        .output()
        .expect("run ffmpeg");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// The left half, normalized.
fn left_half() -> Vec<(Style, Region)> {
    let polygon = Polygon::normalized([[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]]).unwrap();
    vec![(Style::fill(), Region::single(polygon))]
}

/// The largest luma sample in the left half, and the mean in the right
/// half, of every frame of video stream `index`.
fn halves(path: &Path, index: usize) -> Vec<(u8, f64)> {
    let mut decoder = Decoder::open_stream(path, index, &DecoderOptions::default()).unwrap();
    let mut out = Vec::new();
    while let Some(mut frame) = decoder.next_frame().unwrap() {
        let view = frame.view().unwrap();
        let w = view.width() as usize;
        let Planes::U8(planes) = view.planes() else {
            panic!("8-bit expected");
        };
        let luma = planes[0].as_ref().unwrap();
        let (mut left, mut right, mut n) = (0_u8, 0.0, 0.0);
        for row in luma.rows() {
            left = left.max(row[..w / 2 - 1].iter().copied().max().unwrap());
            right += row[w / 2 + 2..].iter().map(|&v| f64::from(v)).sum::<f64>();
            n += (w - w / 2 - 2) as f64;
        }
        out.push((left, right / n));
    }
    out
}

#[test]
fn regions_mask_the_substream_at_its_own_size() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let dir = scratch("regions");
    let input = two_streams(&dir);
    let output = dir.join("out.mp4");
    let masker = StaticMask::from_regions(left_half());
    let report = redact_file(&input, &output, masker, &RedactOptions::default(), |_| {}).unwrap();
    assert_eq!(report.substreams.len(), 1, "{report:?}");
    let sub = &report.substreams[0];
    assert_eq!((sub.input_index, sub.output_index), (1, 1));
    assert_eq!(
        (sub.width, sub.height, sub.frames, sub.masked_frames),
        (160, 120, 6, 6)
    );
    assert!(report.dropped.is_empty(), "{:?}", report.dropped);
    assert!(report.notes.contains(&sub.note()), "{:?}", report.notes);
    for index in [0, 1] {
        let frames = halves(&output, index);
        assert_eq!(frames.len(), 6, "stream {index}");
        for (left, right) in frames {
            assert!(left <= 20, "stream {index}: the zone shows luma {left}");
            assert!(right > 40.0, "stream {index}: the rest is dark ({right})");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn span_masks_of_one_size_leave_the_substream_out() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let dir = scratch("spans");
    let input = two_streams(&dir);
    let output = dir.join("out.mp4");
    let mask = SpanMask::full(320, 240).unwrap();
    let masker = StaticMask::new(vec![(Style::fill(), mask)]);
    let report = redact_file(&input, &output, masker, &RedactOptions::default(), |_| {}).unwrap();
    assert!(report.substreams.is_empty(), "{report:?}");
    assert_eq!(report.dropped.len(), 1, "{:?}", report.dropped);
    assert!(
        report.dropped[0].starts_with("video stream #1 (h264 160x120) left out: its masks fit the main video stream (#0) only"),
        "{:?}",
        report.dropped
    );
    let err = Decoder::open_stream(&output, 1, &DecoderOptions::default()).unwrap_err();
    assert!(matches!(err, Error::NoVideo { .. }), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Records the time of every frame it masks; its substreams' maskers
/// record theirs too (keyed by their stream's width), and fail at frame
/// `fail_at` when set.
#[derive(Clone)]
struct Recorder {
    width: u32,
    times: Arc<Mutex<Vec<(u32, FrameTime)>>>,
    fail_at: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
#[error("refused frame {0}")]
struct Refused(u64);

impl FrameMasker for Recorder {
    type Error = Refused;

    fn begin(&mut self, info: &VideoInfo) -> Result<(), Refused> {
        self.width = info.width;
        Ok(())
    }

    fn for_substream(&mut self, _info: &VideoInfo) -> Result<Option<Substream<Refused>>, Refused> {
        Ok(Some(Box::new(self.clone())))
    }

    fn mask(&mut self, _: &mut FrameMut<'_>, time: &FrameTime) -> Result<MaskOutcome, Refused> {
        if self.width == 160 && self.fail_at == Some(time.index) {
            return Err(Refused(time.index));
        }
        self.times.lock().unwrap().push((self.width, *time));
        Ok(MaskOutcome::Masked)
    }
}

#[test]
fn each_substream_frame_is_decided_at_its_own_instant() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let dir = scratch("instants");
    let input = two_streams(&dir);
    let start: jiff::Timestamp = "2024-03-12T09:00:00Z".parse().unwrap();
    let options = RedactOptions {
        start: Some(start),
        ..RedactOptions::default()
    };
    let times = Arc::new(Mutex::new(Vec::new()));
    let masker = Recorder {
        width: 0,
        times: Arc::clone(&times),
        fail_at: None,
    };
    redact_file(&input, &dir.join("out.mp4"), masker, &options, |_| {}).unwrap();
    let times = times.lock().unwrap();
    let of = |width: u32| -> Vec<(u64, Option<jiff::Timestamp>)> {
        times
            .iter()
            .filter(|(w, _)| *w == width)
            .map(|(_, t)| (t.index, t.instant))
            .collect()
    };
    assert_eq!(of(160).len(), 6);
    assert_eq!(of(160), of(320), "the substream's frames at other instants");
    let last = of(160)[5].1.unwrap();
    assert_eq!(last.duration_since(start).as_millis(), 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_error_on_the_substream_stops_the_file_and_leaves_no_output() {
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let dir = scratch("fails");
    let input = two_streams(&dir);
    let output = dir.join("out.mp4");
    let masker = Recorder {
        width: 0,
        times: Arc::default(),
        fail_at: Some(3),
    };
    let err = redact_file(&input, &output, masker, &RedactOptions::default(), |_| {}).unwrap_err();
    assert!(matches!(err, Error::Mask { frame: 3, .. }), "{err}");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["in.mp4"], "{left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
