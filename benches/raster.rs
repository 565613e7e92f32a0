//! Rasterization benchmarks: the four zones of `fixtures/bench/zones.json`
//! (one concave, one 8-vertex, two quads, about 26% of the frame) rasterized for
//! a new frame size, conservative and inner, and the span operations
//! callers use to combine masks.
//!
//! `cargo bench --bench raster -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::expect_used)] // setup that fails is a failed benchmark run

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use sladd::core::{rasterize, Coverage, Polygon, Region};

const SIZES: [(u32, u32); 3] = [(1280, 720), (1920, 1080), (3840, 2160)];

#[path = "common/zones.rs"]
mod zones;

/// The four zones of `fixtures/bench/zones.json`, one region each.
fn zones() -> Vec<Region> {
    zones::zone_polygons()
        .expect("fixtures/bench/zones.json")
        .into_iter()
        .map(|(name, points)| Polygon::normalized(points).expect(&name).into())
        .collect()
}

fn rasterize_all(zones: &[Region], width: u32, height: u32, coverage: Coverage) -> usize {
    zones
        .iter()
        .map(|z| {
            rasterize(z, width, height, coverage)
                .expect("bench sizes are valid")
                .span_count()
        })
        .sum()
}

fn four_zones(c: &mut Criterion) {
    let zones = zones();
    let (w, h) = (1920, 1080);
    let covered: u64 = zones
        .iter()
        .map(|z| {
            z.rasterize(w, h, Coverage::Conservative)
                .expect("valid")
                .pixel_count()
        })
        .sum();
    eprintln!(
        "four zones cover {:.1}% of {w}x{h}",
        100.0 * covered as f64 / f64::from(w * h)
    );
    for (name, coverage) in [
        ("raster/4zones", Coverage::Conservative),
        ("raster_inner/4zones", Coverage::Inner),
    ] {
        let mut group = c.benchmark_group(name);
        for (width, height) in SIZES {
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("{width}x{height}")),
                &(width, height),
                |b, &(width, height)| {
                    b.iter(|| rasterize_all(black_box(&zones), width, height, coverage));
                },
            );
        }
        group.finish();
    }
}

fn span_operations(c: &mut Criterion) {
    let zones = zones();
    let (w, h) = (1920, 1080);
    let masks: Vec<_> = zones
        .iter()
        .map(|z| z.rasterize(w, h, Coverage::Conservative).expect("valid"))
        .collect();
    let whole = masks
        .iter()
        .skip(1)
        .try_fold(masks[0].clone(), |acc, m| acc.union(m))
        .expect("same size");
    let carve = zones[2].rasterize(w, h, Coverage::Inner).expect("valid");
    c.bench_function("span_union/1920x1080", |b| {
        b.iter(|| black_box(&masks[0]).union(black_box(&masks[2])))
    });
    c.bench_function("span_subtract/1920x1080", |b| {
        b.iter(|| black_box(&whole).subtract(black_box(&carve)))
    });
    c.bench_function("span_subsample/1920x1080/420", |b| {
        b.iter(|| black_box(&whole).subsample(1, 1))
    });
}

criterion_group!(benches, four_zones, span_operations);
criterion_main!(benches);
