//! The bodies of sladd's fuzz targets, one public function per target in
//! `fuzz_targets/`. Each takes the fuzzer's raw bytes, feeds them to one
//! input-facing part of sladd, and checks what must hold for *any* input:
//! no panic, errors that name what and where, and (where an answer comes
//! back) the answer's own invariants. `tests/seeds.rs` runs every body over
//! the committed seeds and regressions, so the targets cannot rot.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use arbitrary::{Arbitrary, Unstructured};
use sladd_core::{
    Coverage, FrameMut, PixelFormat, Polygon, Rect, Redaction, Redactor, Region, Rgb, SpanMask,
    Style,
};
use sladd_policy::{Format, Policy, Schedule};

/// The name parse errors must carry (`<file>:<line>:<column>: …`).
const CONFIG_NAME: &str = "fuzz-site";

/// A site file in TOML: parse, compile, then decide, mask and check every
/// camera as `redact` and `check` would.
pub fn config_toml(data: &[u8]) {
    config(data, Format::Toml, "fuzz-site.toml");
}

/// A site file in JSON, as [`config_toml`].
pub fn config_json(data: &[u8]) {
    config(data, Format::Json, "fuzz-site.json");
}

fn config(data: &[u8], format: Format, file: &str) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let policy = match Policy::from_str(text, format, file) {
        Ok(policy) => policy,
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.starts_with(CONFIG_NAME),
                "an invalid config's error does not name the file: {message}"
            );
            return;
        }
    };
    let instants = [
        None,
        Some(jiff::Timestamp::UNIX_EPOCH),
        "2026-11-24T12:00:00Z".parse().ok(),
        "2026-03-29T01:30:00Z".parse().ok(),
    ];
    for camera in policy.cameras() {
        for at in instants {
            let decision = sladd_policy::decide(camera, at);
            // Unknown instant: the protective branch masks at least as much
            // as any known one; it must never fail to produce masks.
            for (w, h) in [(1, 1), (33, 17), (64, 48)] {
                let layers = decision
                    .mask_layers(w, h, Style::fill())
                    .unwrap_or_else(|e| panic!("mask_layers {w}x{h}: {e}"));
                if decision.full_frame {
                    assert!(
                        layers.iter().any(|(_, m)| m.is_full()),
                        "a full-frame decision without a full mask"
                    );
                }
                Redaction::new(PixelFormat::Yuv420p, w, h, layers)
                    .unwrap_or_else(|e| panic!("redaction {w}x{h}: {e}"));
            }
            let _ = decision.at_local();
        }
        let mut decider = sladd_policy::Decider::new(camera.clone());
        for at in instants {
            let _ = decider.decide(at);
        }
    }
    for at in instants {
        let findings = sladd_policy::check(&policy, at);
        for f in findings {
            assert!(!f.message.is_empty(), "a finding without a message");
        }
    }
}

/// A schedule string: parse; when it parses, its text parses again to the
/// same coverage, and every local minute of the week can be asked.
pub fn schedule(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(schedule) = text.parse::<Schedule>() else {
        return;
    };
    let again: Schedule = schedule
        .as_str()
        .parse()
        .unwrap_or_else(|e| panic!("{:?} parsed once, not twice: {e}", schedule.as_str()));
    for weekday in 0..7 {
        for minute in (0..=1440u16).step_by(7) {
            assert_eq!(
                schedule.contains_local(weekday, minute),
                again.contains_local(weekday, minute),
                "{text:?} at day {weekday} minute {minute}"
            );
        }
    }
    let set = sladd_policy::ScheduleSet::new(vec![schedule]);
    let tz = jiff::tz::TimeZone::get("Europe/Oslo").unwrap_or(jiff::tz::TimeZone::UTC);
    let mut at = jiff::Timestamp::UNIX_EPOCH;
    for _ in 0..4 {
        let _ = set.contains(at, &tz);
        match set.next_change(at, &tz) {
            Some(next) => {
                assert!(next > at, "next_change did not move forward");
                at = next;
            }
            None => break,
        }
    }
}

/// Vertices as the fuzzer gives them: any `f64`, NaN and infinities too.
#[derive(Debug, Arbitrary)]
struct RasterInput {
    width: u16,
    height: u16,
    pixels: bool,
    reference: (u16, u16),
    polygons: Vec<Vec<(f64, f64)>>,
}

/// The structured input [`rasterize`] reads from `data`, for triage.
#[must_use]
pub fn describe_rasterize(data: &[u8]) -> String {
    format!("{:?}", RasterInput::arbitrary(&mut Unstructured::new(data)))
}

/// Polygons with arbitrary coordinates rasterized at arbitrary frame sizes:
/// constructors refuse what they cannot represent, and whatever is
/// accepted rasterizes to a mask of the frame's size that covers every
/// pixel holding a vertex.
pub fn rasterize(data: &[u8]) {
    let Ok(input) = RasterInput::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    // Mostly small frames, where the brute-force oracle runs; the high bit
    // asks for sizes up to 2048 (the core's maximum side is reached
    // through the shape: 1 × N, N × 1).
    let side = |v: u16| {
        if v & 0x8000 == 0 {
            u32::from(v % 64) + 1
        } else {
            u32::from(v % 2048) + 1
        }
    };
    let (width, height) = (side(input.width), side(input.height));
    let polygons: Vec<Polygon> = input
        .polygons
        .iter()
        .take(8)
        .filter_map(|points| {
            let points = points.iter().take(4096).map(|&(x, y)| [x, y]);
            if input.pixels {
                Polygon::from_pixels(
                    points,
                    [u32::from(input.reference.0), u32::from(input.reference.1)],
                )
                .ok()
            } else {
                Polygon::normalized(points).ok()
            }
        })
        .collect();
    for polygon in &polygons {
        for p in polygon.points() {
            assert!(p.x.is_finite() && p.y.is_finite(), "accepted {p:?}");
        }
    }
    let Ok(region) = Region::new(polygons) else {
        return;
    };
    let mut conservative: Option<SpanMask> = None;
    for coverage in [Coverage::Conservative, Coverage::Inner] {
        let mask = sladd_core::rasterize(&region, width, height, coverage)
            .unwrap_or_else(|e| panic!("rasterize {width}x{height}: {e}"));
        assert_eq!((mask.width(), mask.height()), (width, height));
        for (y, row) in mask.rows().enumerate() {
            let mut end = 0;
            for span in row {
                assert!(
                    span.start < span.end && span.end <= width,
                    "row {y}: {span:?}"
                );
                assert!(span.start >= end, "row {y}: spans overlap or unsorted");
                end = span.end;
            }
        }
        match (coverage, &conservative) {
            (Coverage::Conservative, _) => {
                conservative_oracle(&region, &mask, width, height);
                conservative = Some(mask);
            }
            (_, Some(outer)) => {
                let outside = mask
                    .subtract(outer)
                    .unwrap_or_else(|e| panic!("subtract: {e}"));
                assert!(
                    outside.is_empty(),
                    "an inner pixel not covered conservatively"
                );
            }
            _ => {}
        }
    }
}

/// Pixels whose centre lies inside a single-polygon region (nonzero
/// winding) and more than 1/64 pixel from its outline overlap the interior
/// whatever the 1/256-pixel vertex snapping does: every one must be masked.
/// (Vertices alone prove nothing: a polygon thinner than the snap grid
/// collapses to no area, which the README documents.) Checked on small
/// frames, where the brute force is cheap.
fn conservative_oracle(region: &Region, mask: &SpanMask, width: u32, height: u32) {
    let [polygon] = region.polygons() else {
        return;
    };
    if u64::from(width) * u64::from(height) > 4096 || polygon.points().len() > 64 {
        return;
    }
    let points: Vec<(f64, f64)> = polygon
        .to_pixels(width, height)
        .map(|p| (p.x, p.y))
        .collect();
    for y in 0..height {
        for x in 0..width {
            let (px, py) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
            let mut winding = 0i32;
            let mut far = true;
            for (i, &(ax, ay)) in points.iter().enumerate() {
                let (bx, by) = points[(i + 1) % points.len()];
                let cross = (bx - ax) * (py - ay) - (px - ax) * (by - ay);
                if ay <= py && by > py && cross > 0.0 {
                    winding += 1;
                } else if ay > py && by <= py && cross < 0.0 {
                    winding -= 1;
                }
                let (dx, dy) = (bx - ax, by - ay);
                let len2 = dx * dx + dy * dy;
                let t = if len2 > 0.0 {
                    (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (qx, qy) = (ax + t * dx - px, ay + t * dy - py);
                if qx * qx + qy * qy < (1.0 / 64.0) * (1.0 / 64.0) {
                    far = false;
                }
            }
            if winding != 0 && far {
                assert!(
                    mask.contains(x, y),
                    "pixel ({x}, {y}) of a {width}x{height} frame is inside {points:?} but not masked"
                );
            }
        }
    }
}

/// A frame view with arbitrary geometry.
#[derive(Debug, Arbitrary)]
struct ViewInput {
    format: u8,
    width: u16,
    height: u16,
    planes: Vec<(u16, u16)>,
    style: u8,
    param: u8,
    rect: (u16, u16, u16, u16),
}

/// Frame views over buffers of arbitrary lengths and strides: the
/// constructor refuses any geometry that does not fit, and a view it
/// accepts can be redacted in every style without touching a byte outside
/// the planes' visible rows.
pub fn frame_view(data: &[u8]) {
    let Ok(input) = ViewInput::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let formats = PixelFormat::all();
    let format = formats[usize::from(input.format) % formats.len()];
    let (width, height) = (u32::from(input.width % 600), u32::from(input.height % 600));
    // Each plane: (stride, length in bytes), bounded so a run stays small.
    let mut buffers: Vec<(Vec<u8>, usize)> = input
        .planes
        .iter()
        .take(4)
        .map(|&(stride, len)| {
            let len = usize::from(len) * 8 % 400_000;
            (vec![0x5a; len], usize::from(stride))
        })
        .collect();
    let originals: Vec<Vec<u8>> = buffers.iter().map(|(b, _)| b.clone()).collect();
    let strides: Vec<usize> = buffers.iter().map(|(_, s)| *s).collect();
    let planes = buffers.iter_mut().map(|(b, s)| (b.as_mut_slice(), *s));
    let Ok(mut frame) = FrameMut::from_planes(format, width, height, planes) else {
        return;
    };
    assert_eq!((frame.width(), frame.height()), (width, height));
    let style = match input.style % 3 {
        0 => Style::Fill(Rgb::new(input.param, 255 - input.param, 7)),
        1 => Style::Pixelate {
            block: u32::from(input.param % 40) + 2,
        },
        _ => Style::Blur {
            radius: u32::from(input.param % 40) + 1,
        },
    };
    let (a, b, c, d) = input.rect;
    let rect = Rect {
        x0: u32::from(a) % (width + 1),
        y0: u32::from(b) % (height + 1),
        x1: u32::from(c) % (width + 1),
        y1: u32::from(d) % (height + 1),
    };
    let mask = SpanMask::from_rect(width, height, rect)
        .or_else(|_| SpanMask::full(width, height))
        .unwrap_or_else(|e| panic!("{width}x{height}: {e}"));
    let redaction = Redaction::new(format, width, height, [(style, mask)])
        .unwrap_or_else(|e| panic!("redaction of an accepted frame: {e}"));
    Redactor::new()
        .apply(&mut frame, &redaction)
        .unwrap_or_else(|e| panic!("redacting an accepted frame: {e}"));
    // Bytes past each plane's visible samples stay as they were: the
    // padding at the end of each row and the bytes after the last row.
    let bytes = (format.storage_bits() / 8) as usize;
    for (index, ((buffer, _), original)) in buffers.iter().zip(&originals).enumerate() {
        if index >= format.plane_count() {
            break;
        }
        let (w, h) = format.plane_size(index, width, height);
        let row = w as usize * format.channels(index) * bytes;
        let stride = strides[index];
        for (i, (&now, &was)) in buffer.iter().zip(original).enumerate() {
            let (y, x) = (i / stride.max(1), i % stride.max(1));
            let visible = y < h as usize && x < row;
            if !visible {
                assert_eq!(
                    now, was,
                    "plane {index} byte {i} (row {y}) outside the picture"
                );
            }
        }
    }
}

/// Frames decoded at most from one fuzz input.
const MAX_FRAMES: u64 = 64;

static NEXT_FILE: AtomicU64 = AtomicU64::new(0);

/// A file in memory-backed storage, removed when dropped.
struct ScratchFile(PathBuf);

impl ScratchFile {
    fn new(data: &[u8], extension: &str) -> Option<Self> {
        let dir = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let n = NEXT_FILE.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("sladd-fuzz-{}-{n}.{extension}", std::process::id()));
        let mut file = std::fs::File::create(&path).ok()?;
        file.write_all(data).ok()?;
        Some(Self(path))
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Arbitrary bytes through the decoder, stopping and skipping on damage:
/// every frame it hands out can be viewed and masked whole, and every error
/// names the file.
pub fn decode(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    // The extension is only a hint to FFmpeg's probing; vary it.
    let extension = ["mp4", "mkv", "avi", "mov", "h264", "ts"][usize::from(selector % 6)];
    let Some(file) = ScratchFile::new(bytes, extension) else {
        return;
    };
    let on_corrupt = if selector & 0x80 == 0 {
        sladd_ffmpeg::OnCorrupt::Stop
    } else {
        sladd_ffmpeg::OnCorrupt::Skip
    };
    let options = sladd_ffmpeg::DecoderOptions {
        on_corrupt,
        threads: 1,
        ..Default::default()
    };
    // Damaged input makes FFmpeg log every failure; the fuzzer reads none.
    if sladd_ffmpeg::init().is_ok() {
        sladd_ffmpeg::ffmpeg_next::util::log::set_level(
            sladd_ffmpeg::ffmpeg_next::util::log::Level::Quiet,
        );
    }
    let name = file.0.display().to_string();
    let names_file = |e: &sladd_ffmpeg::Error| {
        let message = e.to_string();
        // Frame-level errors name the frame; the others the file.
        assert!(
            message.contains(&name) || message.contains("frame"),
            "error names neither file nor frame: {message}"
        );
    };
    let mut decoder = match sladd_ffmpeg::Decoder::open(&file.0, &options) {
        Ok(d) => d,
        Err(e) => {
            names_file(&e);
            assert!(e.is_input_error(), "open failed as a non-input error: {e}");
            return;
        }
    };
    let mut redactor = Redactor::new();
    let mut prepared: Option<((PixelFormat, u32, u32), Redaction)> = None;
    loop {
        if decoder.frames() >= MAX_FRAMES {
            break;
        }
        match decoder.next_frame() {
            Ok(Some(mut frame)) => {
                let mut view = match frame.view() {
                    Ok(v) => v,
                    Err(e) => {
                        names_file(&e);
                        return;
                    }
                };
                let key = (view.format(), view.width(), view.height());
                let redaction = match prepared.take() {
                    Some((k, r)) if k == key => r,
                    _ => {
                        let (format, w, h) = key;
                        let full =
                            SpanMask::full(w, h).unwrap_or_else(|e| panic!("decoded {w}x{h}: {e}"));
                        Redaction::new(format, w, h, [(Style::fill(), full)])
                            .unwrap_or_else(|e| panic!("decoded {w}x{h}: {e}"))
                    }
                };
                redactor
                    .apply(&mut view, &redaction)
                    .unwrap_or_else(|e| panic!("masking a decoded frame: {e}"));
                prepared = Some((key, redaction));
            }
            Ok(None) => break,
            Err(e) => {
                names_file(&e);
                break;
            }
        }
    }
}
