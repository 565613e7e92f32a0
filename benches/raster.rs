//! Rasterization benchmarks (filled in by the core issue).

use criterion::{criterion_group, criterion_main, Criterion};
use sladd::core::{Span, SpanMask};

fn union(c: &mut Criterion) {
    let a = SpanMask::from_rows(1920, 1080, (0..1080).map(|_| [Span::new(100, 900)])).unwrap();
    let b = SpanMask::from_rows(1920, 1080, (0..1080).map(|_| [Span::new(500, 1500)])).unwrap();
    c.bench_function("span_union/1920x1080", |bench| bench.iter(|| a.union(&b)));
}

criterion_group!(benches, union);
criterion_main!(benches);
