//! The per-frame cost of masking a 1920×1080 yuv420p frame as the
//! `fixtures/site.toml` policy decides for camera `kasse-1` at a Tuesday
//! noon (the counter masked except the till), on one thread: through the
//! Rust API (`Decider` + cached `Redaction` + `Redactor`) and through the C
//! ABI (`sladd_masker_apply`). The two should cost the same; the C example
//! (`examples/c/mask_frames --bench`) measures the third path, from C.
//!
//! ```text
//! cargo bench -p sladd-capi --bench apply
//! SLADD_BENCH_CPU=1 cargo bench -p sladd-capi --bench apply
//! ```
//!
//! With `SLADD_BENCH_CPU=1` it prints instead the median **CPU time of the
//! benchmarking thread** per frame (`CLOCK_THREAD_CPUTIME_ID`, read around
//! batches of frames), which a loaded machine does not inflate;
//! the C example's `--bench` reports the same measure beside wall time.

// A benchmark's setup failing is a bug in the benchmark: panic with a name.
#![allow(clippy::expect_used)]

use std::ffi::CString;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use sladd_capi::{
    sladd_masker_apply, sladd_masker_free, sladd_masker_new, sladd_policy_free,
    sladd_policy_load_file, SladdPixelFormat, SladdStatus,
};
use sladd_core::{FrameMut, PixelFormat, Redaction, Redactor, Style, Threads};
use sladd_policy::{Decider, Policy};

#[path = "../../../benches/common/cpu_time.rs"]
mod cpu_time;

const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/site.toml");
const WIDTH: u32 = 1920;
const HEIGHT: u32 = 1080;
/// 2026-11-24T12:00:00+01:00 in Unix nanoseconds.
const NOON: i64 = 1_795_518_000_000_000_000;

/// A 1080p yuv420p frame with a luma ramp, as three planes.
fn planes() -> [Vec<u8>; 3] {
    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let luma = (0..w * h).map(|i| (i % 251) as u8).collect();
    [luma, vec![100; w * h / 4], vec![150; w * h / 4]]
}

/// Runs `frame` under criterion, or reports its CPU median.
fn measure(c: &mut Criterion, name: &str, frame: impl FnMut()) {
    cpu_time::measure(c, "apply_1080p_yuv420p", name, 500, frame);
}

fn bench(c: &mut Criterion) {
    let policy = Policy::load(SITE).expect("fixture loads");
    let mut decider = Decider::new(policy.camera("kasse-1").expect("camera").clone());
    let mut redactor = Redactor::new().with_threads(Threads::Single);
    let mut prepared: Option<(u64, Redaction)> = None;
    let [mut y, mut u, mut v] = planes();
    let noon = jiff::Timestamp::from_nanosecond(i128::from(NOON)).expect("instant");
    measure(c, "rust", || {
        decider.decide(Some(noon));
        let generation = decider.generation();
        if prepared.as_ref().is_none_or(|(g, _)| *g != generation) {
            let layers = decider
                .decide(Some(noon))
                .mask_layers(WIDTH, HEIGHT, Style::fill())
                .expect("layers");
            let redaction =
                Redaction::new(PixelFormat::Yuv420p, WIDTH, HEIGHT, layers).expect("redaction");
            prepared = Some((generation, redaction));
        }
        let (w, cw) = (WIDTH as usize, WIDTH as usize / 2);
        let mut frame = FrameMut::from_planes(
            PixelFormat::Yuv420p,
            WIDTH,
            HEIGHT,
            [(&mut y[..], w), (&mut u[..], cw), (&mut v[..], cw)],
        )
        .expect("frame");
        let (_, redaction) = prepared.as_ref().expect("prepared");
        redactor.apply(&mut frame, redaction).expect("apply");
        black_box(&y);
    });

    let path = CString::new(SITE).expect("path");
    let camera = CString::new("kasse-1").expect("camera");
    let [mut y, mut u, mut v] = planes();
    let strides = [WIDTH as usize, WIDTH as usize / 2, WIDTH as usize / 2];
    let lengths = [y.len(), u.len(), v.len()];
    // SAFETY: valid NUL-terminated strings and out-pointers; the planes
    // are live, disjoint and as long as `lengths` says for the whole loop;
    // the masker is freed once, after its last use.
    unsafe {
        let mut policy = std::ptr::null_mut();
        assert_eq!(
            sladd_policy_load_file(path.as_ptr(), &mut policy),
            SladdStatus::Ok
        );
        let mut masker = std::ptr::null_mut();
        let format = SladdPixelFormat::Yuv420p as i32;
        let status = sladd_masker_new(policy, camera.as_ptr(), WIDTH, HEIGHT, format, &mut masker);
        assert_eq!(status, SladdStatus::Ok);
        sladd_policy_free(policy);
        let planes = [y.as_mut_ptr(), u.as_mut_ptr(), v.as_mut_ptr()];
        measure(c, "c_abi", || {
            let status = sladd_masker_apply(
                masker,
                black_box(NOON),
                planes.as_ptr(),
                strides.as_ptr(),
                lengths.as_ptr(),
                3,
            );
            assert_eq!(status, SladdStatus::Ok);
        });
        sladd_masker_free(masker);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
