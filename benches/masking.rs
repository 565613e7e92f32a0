//! Masking kernels against a memcpy baseline (filled in by the core issue).

use criterion::{criterion_group, criterion_main, Criterion};

fn memcpy_baseline(c: &mut Criterion) {
    let src = vec![7u8; 1920 * 1080 * 3 / 2];
    let mut dst = vec![0u8; src.len()];
    c.bench_function("memcpy/1920x1080/yuv420p", |b| {
        b.iter(|| dst.copy_from_slice(&src))
    });
}

criterion_group!(benches, memcpy_baseline);
criterion_main!(benches);
