//! Masking kernels against a memcpy baseline over the same bytes.
//!
//! Each style × 1280×720 / 1920×1080 / 3840×2160 × yuv420p / rgb24 /
//! yuv420p10le, the
//! four zones of `fixtures/bench/zones.json` (one concave, one 8-vertex,
//! two quads) covering about 26% of the frame, on one thread and on all threads. The baselines copy the whole
//! frame and exactly as many bytes as the masks touch.
//!
//! ```text
//! cargo bench --bench masking -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! On a shared, loaded machine wall-clock times mostly measure the other
//! processes. With `SLADD_BENCH_CPU=1` the bench instead prints, for the
//! one-thread cases, the median **CPU time of the benchmarking thread** per
//! iteration (Linux `/proc/thread-self/schedstat`), which the load does
//! not inflate (caches and memory bandwidth are still shared).
//!
//! For instruction counts, `SLADD_BENCH_CALLS=N SLADD_BENCH_ONLY=1920x1080/yuv420p/blur`
//! applies exactly `N` times each one-thread case whose `size/format/style`
//! contains the filter, without criterion, so that
//!
//! ```text
//! valgrind --tool=callgrind --toggle-collect='*Redactor*apply*' target/release/deps/masking-…
//! ```
//!
//! gives the instructions of `N` frames (the first call included: it sizes
//! the scratch memory). `SLADD_BENCH_THREADS=2` runs them on a pool of two
//! threads instead (`--separate-threads=yes` then shows how evenly the
//! work splits).

// A benchmark's setup failing is a bug in the benchmark: panic with a name.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sladd::core::{
    rasterize, Coverage, Frame, PixelFormat, Polygon, Redaction, Redactor, Region, SpanMask, Style,
    Threads,
};

#[path = "common/zones.rs"]
mod zones;

/// The four zones of `fixtures/bench/zones.json`: together about a quarter
/// of the frame.
fn zones() -> Region {
    let polygons = zones::zone_polygons()
        .expect("fixtures/bench/zones.json")
        .into_iter()
        .map(|(name, points)| Polygon::normalized(points).expect(&name))
        .collect();
    Region::new(polygons).expect("four zones")
}

/// Bytes the masks of `redaction` touch, over every plane.
fn touched_bytes(format: PixelFormat, mask: &SpanMask) -> usize {
    (0..format.plane_count())
        .map(|i| {
            let m = if i == 0 {
                mask.clone()
            } else {
                let (sx, sy) = format.chroma_shift();
                mask.subsample(sx, sy)
            };
            m.pixel_count() as usize * format.channels(i) * (format.storage_bits() / 8) as usize
        })
        .sum()
}

/// Nanoseconds the calling thread has run on a CPU (Linux).
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Median CPU time per call of `f`, in microseconds, over batches of
/// calls lasting at least 20 ms of CPU each.
fn cpu_median_us(mut f: impl FnMut()) -> f64 {
    f();
    let mut per_call = Vec::new();
    for _ in 0..15 {
        let start = thread_cpu_ns().unwrap_or(0);
        let mut calls = 0u64;
        while thread_cpu_ns().unwrap_or(u64::MAX) - start < 20_000_000 {
            f();
            calls += 1;
        }
        let spent = thread_cpu_ns().unwrap_or(0) - start;
        per_call.push(spent as f64 / calls as f64 / 1000.0);
    }
    per_call.sort_by(f64::total_cmp);
    per_call[per_call.len() / 2]
}

/// The formats measured: the two 8-bit layouts and the 10-bit one.
const FORMATS: [PixelFormat; 3] = [
    PixelFormat::Yuv420p,
    PixelFormat::Rgb24,
    PixelFormat::Yuv420p10le,
];

/// A frame of `format` with a deterministic texture, and its size in bytes.
fn textured(format: PixelFormat, w: u32, h: u32) -> (Frame, usize) {
    let mut frame = Frame::new(format, w, h).expect("frame");
    for (i, plane) in frame.planes_u8_mut().iter_mut().enumerate() {
        for (j, b) in plane.iter_mut().enumerate() {
            *b = ((j * 31 + i * 7) % 251) as u8;
        }
    }
    for (i, plane) in frame.planes_u16_mut().iter_mut().enumerate() {
        for (j, v) in plane.iter_mut().enumerate() {
            *v = ((j * 31 + i * 7) % 1021) as u16;
        }
    }
    let bytes = frame.planes_u8().iter().map(Vec::len).sum::<usize>()
        + 2 * frame.planes_u16().iter().map(Vec::len).sum::<usize>();
    (frame, bytes)
}

/// The one-thread cases measured in thread CPU time (see the module docs).
fn cpu_time_report() {
    let region = zones();
    println!("| size | format | memcpy frame | memcpy touched | fill | pixelate | blur |");
    println!("|---|---|---|---|---|---|---|");
    for (w, h) in [(1280u32, 720u32), (1920, 1080), (3840, 2160)] {
        let mask = rasterize(&region, w, h, Coverage::Conservative).expect("rasterize");
        for format in FORMATS {
            let (mut frame, frame_bytes) = textured(format, w, h);
            let touched = touched_bytes(format, &mask);
            let src = vec![7u8; frame_bytes];
            let mut dst = vec![0u8; frame_bytes];
            let copy_frame = cpu_median_us(|| dst.copy_from_slice(black_box(&src)));
            let copy_touched =
                cpu_median_us(|| dst[..touched].copy_from_slice(black_box(&src[..touched])));
            let mut row =
                format!("| {w}x{h} | {format} | {copy_frame:.0} µs | {copy_touched:.0} µs |");
            for style in [Style::fill(), Style::pixelate(), Style::blur()] {
                let redaction =
                    Redaction::new(format, w, h, [(style, mask.clone())]).expect("redaction");
                let mut redactor = Redactor::new().with_threads(Threads::Single);
                let t = cpu_median_us(|| {
                    let mut view = frame.as_frame_mut();
                    redactor.apply(&mut view, &redaction).expect("apply");
                });
                row.push_str(&format!(" {t:.0} µs |"));
            }
            println!("{row}");
        }
    }
}

/// The cases `SLADD_BENCH_ONLY` names, each applied `calls` times on one
/// thread (see the module docs).
fn fixed_calls(calls: usize) {
    let only = std::env::var("SLADD_BENCH_ONLY").unwrap_or_default();
    let region = zones();
    for (w, h) in [(1280u32, 720u32), (1920, 1080), (3840, 2160)] {
        let mask = rasterize(&region, w, h, Coverage::Conservative).expect("rasterize");
        for format in FORMATS {
            for style in [Style::fill(), Style::pixelate(), Style::blur()] {
                let name = format!("{w}x{h}/{format}/{}", style.name());
                if !name.contains(&only) {
                    continue;
                }
                let (mut frame, _) = textured(format, w, h);
                let redaction =
                    Redaction::new(format, w, h, [(style, mask.clone())]).expect("redaction");
                let threads = match std::env::var("SLADD_BENCH_THREADS")
                    .ok()
                    .and_then(|n| n.parse().ok())
                {
                    Some(n) if n > 1 => Threads::Pool(std::sync::Arc::new(
                        rayon::ThreadPoolBuilder::new()
                            .num_threads(n)
                            .build()
                            .expect("pool"),
                    )),
                    _ => Threads::Single,
                };
                let mut redactor = Redactor::new().with_threads(threads);
                for _ in 0..calls {
                    let mut view = frame.as_frame_mut();
                    redactor.apply(&mut view, &redaction).expect("apply");
                }
                eprintln!("{name}: {calls} calls");
            }
        }
    }
}

fn masking(c: &mut Criterion) {
    if std::env::var_os("SLADD_BENCH_CPU").is_some() {
        cpu_time_report();
        return;
    }
    if let Some(calls) = std::env::var("SLADD_BENCH_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        fixed_calls(calls);
        return;
    }
    let region = zones();
    let sizes = [(1280u32, 720u32), (1920, 1080), (3840, 2160)];
    for (w, h) in sizes {
        let mask = rasterize(&region, w, h, Coverage::Conservative).expect("rasterize");
        for format in FORMATS {
            let (mut frame, frame_bytes) = textured(format, w, h);
            let touched = touched_bytes(format, &mask);
            let mut group = c.benchmark_group(format!("masking/{w}x{h}/{format}"));
            group.throughput(Throughput::Bytes(touched as u64));
            eprintln!(
                "{w}x{h} {format}: {:.1}% of pixels masked, {touched} bytes touched of {frame_bytes}",
                100.0 * mask.pixel_count() as f64 / f64::from(w * h)
            );
            let src = vec![7u8; frame_bytes];
            let mut dst = vec![0u8; frame_bytes];
            group.bench_function("memcpy_touched", |b| {
                b.iter(|| dst[..touched].copy_from_slice(black_box(&src[..touched])))
            });
            group.bench_function("memcpy_frame", |b| {
                b.iter(|| dst.copy_from_slice(black_box(&src)))
            });
            for style in [Style::fill(), Style::pixelate(), Style::blur()] {
                let redaction =
                    Redaction::new(format, w, h, [(style, mask.clone())]).expect("redaction");
                for (threads, name) in [(Threads::Single, "1t"), (Threads::Global, "all")] {
                    let mut redactor = Redactor::new().with_threads(threads);
                    group.bench_function(format!("{}/{name}", style.name()), |b| {
                        b.iter(|| {
                            let mut view = frame.as_frame_mut();
                            redactor.apply(&mut view, &redaction).expect("apply");
                        })
                    });
                }
            }
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = masking
}
criterion_main!(benches);
