//! The plugin as GStreamer's own tools load it (`GST_PLUGIN_PATH`), and a
//! `gst-launch-1.0` pipeline to a file, decoded back and checked.

use std::path::{Path, PathBuf};
use std::process::Command;

use gst::prelude::*;
use gst_video::prelude::*;
use sladd_core::PixelFormat;

use crate::support::*;

/// A folder holding only `libgstsladd.so`, as built with this test.
fn plugin_dir() -> tempfile::TempDir {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_owned();
    let library = deps.join("libgstsladd.so");
    assert!(library.exists(), "{} is not built", library.display());
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&library, dir.path().join("libgstsladd.so")).unwrap();
    dir
}

/// A GStreamer tool run with the plugin on its path and a registry of its
/// own in `plugins`.
fn tool(name: &str, plugins: &Path) -> Command {
    let mut command = Command::new(name);
    command
        .env("GST_PLUGIN_PATH", plugins)
        .env("GST_REGISTRY", plugins.join("registry.bin"));
    command
}

#[test]
fn gst_inspect_lists_the_element_from_the_plugin_path() {
    let plugins = plugin_dir();
    let out = tool("gst-inspect-1.0", plugins.path())
        // Only the plugin under test: the system's plugins are not scanned.
        .env("GST_PLUGIN_SYSTEM_PATH", plugins.path())
        .arg("sladdmask")
        .output()
        .expect("gst-inspect-1.0 (scripts/setup installs gstreamer1.0-tools)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "Long-name                sladd privacy mask",
        "Name                     sladd",
        "GstVideoFilter",
        "I420, (string)NV12, (string)Y444, (string)Y42B, (string)GRAY8, (string)RGB, (string)BGR, \
         (string)RGBA, (string)BGRA, (string)RGBx, (string)BGRx, (string)I420_10LE",
        "width: [ 1, 32768 ]",
        "config              : The site configuration",
        "camera              : The camera's id",
        "style               : Style of masked zones",
        "start               : RFC 3339",
        "threads             : Masking threads",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

/// The frames of `file`, decoded to I420: (width, height, Y planes).
fn decode(file: &Path) -> (u32, u32, Vec<Vec<u8>>) {
    let pipeline = gst::parse::launch(&format!(
        "filesrc location=\"{}\" ! decodebin ! videoconvert ! video/x-raw,format=I420 \
         ! appsink name=sink sync=false",
        file.display()
    ))
    .unwrap()
    .downcast::<gst::Pipeline>()
    .unwrap();
    let sink = pipeline
        .by_name("sink")
        .unwrap()
        .downcast::<gst_app::AppSink>()
        .unwrap();
    pipeline.set_state(gst::State::Playing).unwrap();
    let mut frames = Vec::new();
    let mut size = (0, 0);
    while let Some(sample) = sink.try_pull_sample(gst::ClockTime::from_seconds(10)) {
        let info = gst_video::VideoInfo::from_caps(sample.caps().unwrap()).unwrap();
        let frame =
            gst_video::VideoFrameRef::from_buffer_ref_readable(sample.buffer().unwrap(), &info)
                .unwrap();
        size = (info.width(), info.height());
        let stride = frame.plane_stride()[0] as usize;
        let plane = frame.plane_data(0).unwrap();
        frames.push(
            plane
                .chunks(stride)
                .take(info.height() as usize)
                .flat_map(|row| &row[..info.width() as usize])
                .copied()
                .collect(),
        );
        if frames.len() > 100 {
            break;
        }
    }
    pipeline.set_state(gst::State::Null).unwrap();
    (size.0, size.1, frames)
}

/// The first `frames` frames `videotestsrc` draws in `caps`, unmasked,
/// one after another.
fn reference(caps: &str, frames: usize) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("reference.raw");
    let pipeline = gst::parse::launch(&format!(
        "videotestsrc num-buffers={frames} pattern=smpte ! {caps} ! filesink location=\"{}\"",
        raw.display()
    ))
    .unwrap();
    pipeline.set_state(gst::State::Playing).unwrap();
    let bus = pipeline.bus().unwrap();
    bus.timed_pop_filtered(gst::ClockTime::from_seconds(10), &[gst::MessageType::Eos])
        .unwrap();
    pipeline.set_state(gst::State::Null).unwrap();
    std::fs::read(raw).unwrap()
}

#[test]
fn gst_launch_to_a_file_decodes_back_masked() {
    init();
    let site = SiteFile::new(SITE);
    let plugins = plugin_dir();
    let out: PathBuf = site.path().with_file_name("out.mp4");
    let (width, height) = (320u32, 180u32);
    let caps = format!("video/x-raw,format=I420,width={width},height={height},framerate=25/1");
    let run = tool("gst-launch-1.0", plugins.path())
        .args(["-q", "-e"])
        .args(
            format!(
                "videotestsrc num-buffers=10 pattern=smpte ! {caps} \
                 ! sladdmask config={} camera={CAMERA} start={NOON} \
                 ! x264enc speed-preset=ultrafast pass=quant quantizer=12 ! mp4mux \
                 ! filesink location={}",
                site.path_str(),
                out.display()
            )
            .split_whitespace(),
        )
        .output()
        .expect("gst-launch-1.0");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let (w, h, frames) = decode(&out);
    assert_eq!((w, h, frames.len()), (width, height, 10));
    let expected = reference(&caps, frames.len());
    // 8-bit I420 with these even sizes has no row padding.
    let frame_size = (width * height * 3 / 2) as usize;

    // The masks of the counter at noon, from the library itself.
    let mut masker = masker(PixelFormat::Yuv420p, width, height);
    let (_, redaction) = masker.redaction_at(Some(at(NOON))).unwrap();
    let (_, mask) = redaction
        .layers()
        .next()
        .expect("the counter is masked at noon");
    // Judged 2 px away from the outline, where the codec keeps edges soft.
    let near = |x: u32, y: u32, masked: bool| {
        [(0, 0), (-2, -2), (2, -2), (-2, 2), (2, 2)]
            .iter()
            .all(|&(dx, dy)| {
                let (px, py) = (i64::from(x) + dx, i64::from(y) + dy);
                let on = (0..i64::from(width)).contains(&px)
                    && (0..i64::from(height)).contains(&py)
                    && mask.contains(px as u32, py as u32);
                on == masked
            })
    };
    let inside = |x: u32, y: u32| near(x, y, true);
    let outside = |x: u32, y: u32| near(x, y, false);
    for (index, (frame, original)) in frames.iter().zip(expected.chunks(frame_size)).enumerate() {
        let (mut masked, mut squared, mut shown) = (0, 0f64, 0);
        for y in 0..height {
            for x in 0..width {
                let i = (y * width + x) as usize;
                if inside(x, y) {
                    masked += 1;
                    assert!(
                        frame[i].abs_diff(16) <= 10,
                        "frame {index} ({x}, {y}): {} inside the fill",
                        frame[i]
                    );
                } else if outside(x, y) {
                    shown += 1;
                    squared += (f64::from(frame[i]) - f64::from(original[i])).powi(2);
                }
            }
        }
        assert!(
            masked > 2000,
            "frame {index}: {masked} masked pixels checked"
        );
        let psnr = 10.0 * (255.0f64.powi(2) / (squared / f64::from(shown))).log10();
        assert!(
            psnr > 30.0,
            "frame {index}: outside the masks PSNR {psnr:.1} dB"
        );
    }
}
