//! `sladdmask`'s cost per 1080p I420 frame, against `identity` in the same
//! run, and `CameraMasker` alone on the same frame: what the element adds
//! to a pipeline, and how much of that is GStreamer.
//!
//! Each case pushes one buffer through a `gst_check::Harness` and pulls it
//! back (the element runs on the calling thread), reusing the buffer so
//! that no case copies it. The site is `fixtures/site.toml` at noon
//! (`Bak kassen` masked except the till, about 18% of the frame, fill).
//!
//! ```text
//! cargo bench -p gst-plugin-sladd --bench element
//! SLADD_BENCH_CPU=1 cargo bench -p gst-plugin-sladd --bench element
//! ```
//!
//! With `SLADD_BENCH_CPU=1` it prints the median CPU time of the calling
//! thread per frame (`CLOCK_THREAD_CPUTIME_ID`) instead, which the load of
//! a shared machine does not inflate.

// A benchmark's setup failing is a bug in the benchmark: panic with a name.
#![allow(clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use sladd_core::{FrameMut, PixelFormat};
use sladd_policy::{CameraMasker, Policy};

#[path = "../../../benches/common/cpu_time.rs"]
mod cpu_time;

const WIDTH: u32 = 1920;
const HEIGHT: u32 = 1080;
const NOON: &str = "2026-11-24T12:00:00+01:00";
const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/site.toml");

/// Runs `frame` under criterion, or reports its CPU median.
fn measure(c: &mut Criterion, name: &str, frame: impl FnMut()) {
    cpu_time::measure(c, "element_1080p_i420", name, 40, frame);
}

/// A harness around `element` with 1080p I420 caps.
fn harness(element: &gst::Element) -> gst_check::Harness {
    let mut h = gst_check::Harness::with_element(element, Some("sink"), Some("src"));
    let caps = gst_video::VideoInfo::builder(gst_video::VideoFormat::I420, WIDTH, HEIGHT)
        .fps(gst::Fraction::new(25, 1))
        .build()
        .expect("video info")
        .to_caps()
        .expect("caps");
    h.set_src_caps(caps);
    h
}

/// A frame of varied bytes.
fn frame_bytes() -> Vec<u8> {
    let size = (WIDTH * HEIGHT * 3 / 2) as usize;
    (0..size).map(|i| (i * 31 % 251) as u8).collect()
}

/// Pushes `buffer` through `h` and takes it back for the next round.
fn round_trip(h: &mut gst_check::Harness, buffer: &mut Option<gst::Buffer>) {
    let mut out = buffer.take().expect("buffer");
    out.make_mut().set_pts(gst::ClockTime::ZERO);
    *buffer = Some(h.push_and_pull(out).expect("a frame out"));
}

fn bench(c: &mut Criterion) {
    gst::init().expect("gst init");
    gstsladd::plugin_register_static().expect("register");

    let identity = gst::ElementFactory::make("identity")
        .build()
        .expect("identity");
    let mut h = harness(&identity);
    let mut buffer = Some(gst::Buffer::from_mut_slice(frame_bytes()));
    measure(c, "identity", || round_trip(&mut h, &mut buffer));

    let mask = gst::ElementFactory::make("sladdmask")
        .property("config", SITE)
        .property("camera", "kasse-1")
        .property("start", NOON)
        .build()
        .expect("sladdmask");
    let mut h = harness(&mask);
    let mut buffer = Some(gst::Buffer::from_mut_slice(frame_bytes()));
    measure(c, "sladdmask", || round_trip(&mut h, &mut buffer));

    let policy = Policy::load(SITE).expect("fixture loads");
    let mut masker =
        CameraMasker::new(&policy, "kasse-1", PixelFormat::Yuv420p, WIDTH, HEIGHT).expect("masker");
    let noon = NOON.parse().expect("instant");
    let mut bytes = frame_bytes();
    measure(c, "camera_masker", || {
        let (y, chroma) = bytes.split_at_mut((WIDTH * HEIGHT) as usize);
        let (u, v) = chroma.split_at_mut((WIDTH * HEIGHT / 4) as usize);
        let (w, cw) = (WIDTH as usize, WIDTH as usize / 2);
        let mut frame = FrameMut::from_planes(
            PixelFormat::Yuv420p,
            WIDTH,
            HEIGHT,
            [(y, w), (u, cw), (v, cw)],
        )
        .expect("frame");
        masker.apply(&mut frame, Some(noon)).expect("apply");
        black_box(&frame);
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .sample_size(20);
    targets = bench
}
criterion_main!(benches);
