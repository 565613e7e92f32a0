//! What deciding costs: a fresh decision, the per-frame cached decision of a
//! 25 fps video, and turning a decision into masks.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use jiff::{SignedDuration, Timestamp};
use sladd_core::Style;
use sladd_policy::{decide, Decider, Policy};

fn site() -> Policy {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/site.toml");
    Policy::load(path).unwrap()
}

fn benches(c: &mut Criterion) {
    let policy = site();
    let camera = policy.camera("kasse-1").unwrap();
    let noon: Timestamp = "2026-11-24T12:00:00+01:00".parse().unwrap();

    c.bench_function("decide/fresh", |b| {
        b.iter(|| decide(black_box(camera), black_box(Some(noon))));
    });

    // One hour of 25 fps frames (90 000 instants) through the cache.
    let frame = SignedDuration::from_millis(40);
    c.bench_function("decide/decider_per_frame_x90000", |b| {
        b.iter(|| {
            let mut decider = Decider::new(camera.clone());
            let mut t = noon;
            for _ in 0..90_000 {
                black_box(decider.decide(Some(t)));
                t = t.checked_add(frame).unwrap();
            }
            decider.generation()
        });
    });

    let decision = decide(camera, Some(noon));
    c.bench_function("decide/mask_layers_1920x1080", |b| {
        b.iter(|| decision.mask_layers(1920, 1080, Style::fill()).unwrap());
    });
}

criterion_group!(decide_benches, benches);
criterion_main!(decide_benches);
