//! Masking kernels against a memcpy baseline over the same bytes.
//!
//! Each style × 1280×720 / 1920×1080 / 3840×2160 × yuv420p / rgb24, four
//! zones (one concave, one 8-vertex, two quads) covering about 25% of the
//! frame, on one thread and on all threads. The baselines copy the whole
//! frame and exactly as many bytes as the masks touch.
//!
//! ```text
//! cargo bench --bench masking -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sladd::core::{
    rasterize, Coverage, Frame, PixelFormat, Polygon, Redaction, Redactor, Region, SpanMask, Style,
    Threads,
};

/// The four zones, normalized: together about a quarter of the frame.
fn zones() -> Region {
    // Each zone is shrunk by 3/4 about its own centre to cover ~25% in all.
    let poly = |pts: &[[f64; 2]]| {
        let n = pts.len() as f64;
        let (cx, cy) = pts
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p[0] / n, y + p[1] / n));
        let scaled = pts
            .iter()
            .map(|p| [cx + 0.75 * (p[0] - cx), cy + 0.75 * (p[1] - cy)]);
        Polygon::normalized(scaled).expect("valid zone")
    };
    let octagon: Vec<[f64; 2]> = (0..8)
        .map(|i| {
            let a = std::f64::consts::TAU * f64::from(i) / 8.0;
            [0.70 + 0.17 * a.cos(), 0.27 + 0.23 * a.sin()]
        })
        .collect();
    Region::new(vec![
        // Concave: an arrow with a notch.
        poly(&[
            [0.04, 0.05],
            [0.30, 0.06],
            [0.40, 0.25],
            [0.30, 0.46],
            [0.04, 0.45],
            [0.16, 0.25],
        ]),
        poly(&octagon),
        poly(&[[0.06, 0.56], [0.36, 0.55], [0.40, 0.93], [0.05, 0.90]]),
        poly(&[[0.58, 0.58], [0.93, 0.60], [0.90, 0.94], [0.60, 0.92]]),
    ])
    .expect("four zones")
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
            m.pixel_count() as usize * format.channels(i)
        })
        .sum()
}

fn masking(c: &mut Criterion) {
    let region = zones();
    let sizes = [(1280u32, 720u32), (1920, 1080), (3840, 2160)];
    for (w, h) in sizes {
        let mask = rasterize(&region, w, h, Coverage::Conservative).expect("rasterize");
        for format in [PixelFormat::Yuv420p, PixelFormat::Rgb24] {
            let mut frame = Frame::new(format, w, h).expect("frame");
            for (i, plane) in frame.planes_u8_mut().iter_mut().enumerate() {
                for (j, b) in plane.iter_mut().enumerate() {
                    *b = ((j * 31 + i * 7) % 251) as u8;
                }
            }
            let frame_bytes: usize = frame.planes_u8().iter().map(Vec::len).sum();
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
