//! What a frame costs through `CameraMasker::apply` in steady state, beside
//! the path integrators wrote before it existed (decide, rasterize, prepare
//! and apply for every frame) and the kernels alone, at 1080p yuv420p.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use jiff::{SignedDuration, Timestamp};
use sladd_core::{Frame, PixelFormat, Redaction, Redactor, Style, Threads};
use sladd_policy::{decide, CameraMasker, Policy};

const WIDTH: u32 = 1920;
const HEIGHT: u32 = 1080;

fn benches(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/site.toml");
    let policy = Policy::load(path).unwrap();
    let camera = policy.camera("kasse-1").unwrap();
    let noon: Timestamp = "2026-11-24T12:00:00+01:00".parse().unwrap();
    let step = SignedDuration::from_millis(40);
    let mut frame = Frame::new(PixelFormat::Yuv420p, WIDTH, HEIGHT).unwrap();
    let mut group = c.benchmark_group("masker/1920x1080/yuv420p");

    let mut masker = CameraMasker::for_camera(camera, PixelFormat::Yuv420p, WIDTH, HEIGHT).unwrap();
    let mut t = noon;
    group.bench_function("camera_masker_apply", |b| {
        b.iter(|| {
            t = t.checked_add(step).unwrap();
            black_box(masker.apply(&mut frame.as_frame_mut(), Some(t)).unwrap());
        });
    });

    let mut redactor = Redactor::new().with_threads(Threads::Single);
    let mut t = noon;
    group.bench_function("decide_rasterize_apply_per_frame", |b| {
        b.iter(|| {
            t = t.checked_add(step).unwrap();
            let decision = decide(camera, Some(t));
            let layers = decision.mask_layers(WIDTH, HEIGHT, Style::fill()).unwrap();
            let redaction = Redaction::new(PixelFormat::Yuv420p, WIDTH, HEIGHT, layers).unwrap();
            redactor
                .apply(&mut frame.as_frame_mut(), &redaction)
                .unwrap();
        });
    });

    let decision = decide(camera, Some(noon));
    let layers = decision.mask_layers(WIDTH, HEIGHT, Style::fill()).unwrap();
    let redaction = Redaction::new(PixelFormat::Yuv420p, WIDTH, HEIGHT, layers).unwrap();
    group.bench_function("kernels_only", |b| {
        b.iter(|| {
            redactor
                .apply(&mut frame.as_frame_mut(), black_box(&redaction))
                .unwrap()
        });
    });
    group.finish();
}

criterion_group!(masker_benches, benches);
criterion_main!(masker_benches);
