//! `sladd bench`: masking throughput on synthetic frames, beside a memcpy
//! of the same bytes measured in the same run.
//!
//! Each row times the masking of one frame (no decode, no encode) in
//! samples of several frames, alternating with samples of a plain copy of
//! the frame's bytes (A B A B), so that both see the same machine load. The
//! figures are medians over the samples.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;
use sladd_core::Threads;
use sladd_core::{Coverage, Frame, PixelFormat, Redaction, Redactor, Region, SpanMask, Style};

pub(crate) mod sweep;

/// One measured configuration: the `--json` row of cli.md, plus detail.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    pub(crate) style: String,
    pub(crate) format: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) threads: usize,
    /// Frames masked per second (median).
    pub(crate) fps: f64,
    /// Frame pixels per second, in millions (median).
    pub(crate) mpix_per_s: f64,
    /// Masking speed over a memcpy of the whole frame's bytes measured in
    /// the same run: 1.0 means masking a frame costs as much as copying it.
    pub(crate) memcpy_ratio: f64,
    /// Median time to mask one frame, in microseconds.
    pub(crate) median_us: f64,
    /// Fastest and slowest sample, per frame, in microseconds.
    pub(crate) min_us: f64,
    /// See `min_us`.
    pub(crate) max_us: f64,
    /// Median time to copy the frame's bytes, in microseconds.
    pub(crate) memcpy_us: f64,
    /// Share of the frame's pixels that are masked.
    pub(crate) masked_fraction: f64,
    /// The SIMD level the kernels ran at.
    pub(crate) cpu_level: String,
}

/// What to measure.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) resolutions: Vec<(u32, u32)>,
    pub(crate) styles: Vec<Style>,
    pub(crate) formats: Vec<PixelFormat>,
    /// Thread counts to run each configuration with.
    pub(crate) threads: Vec<usize>,
    /// Wall time budget per row, split evenly between masking and memcpy.
    pub(crate) budget: Duration,
}

#[path = "../../../../benches/common/zones.rs"]
mod zones_json;

/// The four zones the benchmarks mask, from `fixtures/bench/zones.json`: a
/// concave L, an 8-vertex outline and two quads, about a quarter of the
/// frame together.
pub(crate) fn zones() -> Result<Vec<Region>> {
    zones_json::zone_polygons()
        .map_err(anyhow::Error::msg)?
        .into_iter()
        .map(|(name, points)| {
            let polygon = sladd_core::Polygon::normalized(points)
                .with_context(|| format!("benchmark zone {name}"))?;
            Ok(Region::single(polygon))
        })
        .collect()
}

/// Fills a frame with a deterministic texture so kernels see real data.
fn texture(frame: &mut Frame) {
    for plane in frame.planes_u8_mut() {
        for (i, v) in plane.iter_mut().enumerate() {
            *v = (i.wrapping_mul(2_654_435_761) >> 13) as u8;
        }
    }
    for plane in frame.planes_u16_mut() {
        for (i, v) in plane.iter_mut().enumerate() {
            *v = ((i.wrapping_mul(2_654_435_761) >> 13) & 0x3ff) as u16;
        }
    }
}

/// Bytes of one frame's visible samples, for the memcpy baseline.
fn frame_bytes(format: PixelFormat, width: u32, height: u32) -> usize {
    let sample = (format.storage_bits() / 8) as usize;
    (0..format.plane_count())
        .map(|i| {
            let (w, h) = format.plane_size(i, width, height);
            w as usize * h as usize * format.channels(i) * sample
        })
        .sum()
}

/// Times one sample of `batch` calls of `work`; returns seconds per call.
fn sample(batch: u32, mut work: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..batch {
        work();
    }
    start.elapsed().as_secs_f64() / f64::from(batch)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The union of `zones` rasterized conservatively at `width × height`.
pub(crate) fn zone_mask(zones: &[Region], width: u32, height: u32) -> Result<SpanMask> {
    let mut mask = SpanMask::empty(width, height)?;
    for zone in zones {
        mask = mask.union(&zone.rasterize(width, height, Coverage::Conservative)?)?;
    }
    Ok(mask)
}

/// Measures one configuration.
fn measure(
    format: PixelFormat,
    (width, height): (u32, u32),
    style: Style,
    threads: usize,
    budget: Duration,
    zones: &[Region],
) -> Result<Row> {
    let mask = zone_mask(zones, width, height)?;
    measure_mask(format, style, threads, budget, mask)
}

/// Measures masking `mask` (its size is the frame's) in `style`.
pub(crate) fn measure_mask(
    format: PixelFormat,
    style: Style,
    threads: usize,
    budget: Duration,
    mask: SpanMask,
) -> Result<Row> {
    let (width, height) = (mask.width(), mask.height());
    let masked_fraction = mask.pixel_count() as f64 / (f64::from(width) * f64::from(height));
    let redaction = Redaction::new(format, width, height, [(style, mask)])?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("building the benchmark thread pool")?;
    let threads_mode = if threads == 1 {
        Threads::Single
    } else {
        Threads::Pool(Arc::new(pool))
    };
    let mut redactor = Redactor::new().with_threads(threads_mode);
    let mut frame = Frame::new(format, width, height)?;
    texture(&mut frame);

    let bytes = frame_bytes(format, width, height);
    let src = vec![0x5au8; bytes];
    let mut dst = vec![0u8; bytes];

    // Warm up both and size a batch to about 5 ms.
    redactor.apply(&mut frame.as_frame_mut(), &redaction)?;
    let once = sample(3, || {
        let _ = redactor.apply(&mut frame.as_frame_mut(), &redaction);
    });
    let batch = ((0.005 / once.max(1e-9)) as u32).clamp(1, 10_000);
    let copy_once = sample(3, || dst.copy_from_slice(black_box(&src)));
    let copy_batch = ((0.005 / copy_once.max(1e-9)) as u32).clamp(1, 100_000);

    let (mut mask_times, mut copy_times) = (Vec::new(), Vec::new());
    let start = Instant::now();
    let mut failure = None;
    while mask_times.len() < 5 || start.elapsed() < budget {
        // Masking an already masked frame costs the same: the kernels do not
        // look at what they overwrite, and blur reads neighbours either way.
        mask_times.push(sample(batch, || {
            if let Err(e) = redactor.apply(&mut frame.as_frame_mut(), &redaction) {
                failure = Some(e);
            }
        }));
        copy_times.push(sample(copy_batch, || dst.copy_from_slice(black_box(&src))));
        if mask_times.len() >= 1000 {
            break;
        }
    }
    if let Some(e) = failure {
        return Err(e.into());
    }
    black_box(&dst);
    let (lo, hi) = mask_times
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), &t| {
            (lo.min(t), hi.max(t))
        });
    let mask_s = median(&mut mask_times);
    let copy_s = median(&mut copy_times);
    let fps = 1.0 / mask_s;
    Ok(Row {
        style: style.name().to_owned(),
        format: format.name().to_owned(),
        width,
        height,
        threads,
        fps,
        mpix_per_s: f64::from(width) * f64::from(height) * fps / 1e6,
        memcpy_ratio: copy_s / mask_s,
        median_us: mask_s * 1e6,
        min_us: lo * 1e6,
        max_us: hi * 1e6,
        memcpy_us: copy_s * 1e6,
        masked_fraction,
        cpu_level: redactor.cpu_level().name().to_owned(),
    })
}

/// Runs every configuration of `plan`, calling `progress` after each row.
pub(crate) fn run(plan: &Plan, mut progress: impl FnMut(&Row)) -> Result<Vec<Row>> {
    let zones = zones()?;
    let mut rows = Vec::new();
    for &format in &plan.formats {
        for &resolution in &plan.resolutions {
            for &style in &plan.styles {
                for &threads in &plan.threads {
                    let row = measure(format, resolution, style, threads, plan.budget, &zones)
                        .with_context(|| {
                            format!(
                                "benchmarking {} {} {}x{} on {threads} threads",
                                style.name(),
                                format,
                                resolution.0,
                                resolution.1
                            )
                        })?;
                    progress(&row);
                    rows.push(row);
                }
            }
        }
    }
    Ok(rows)
}

/// The header of the human-readable table.
pub(crate) fn table_header() -> String {
    format!(
        "{:<9} {:<12} {:>10} {:>3} {:>10} {:>10} {:>10} {:>10} {:>8}",
        "style", "format", "size", "thr", "median µs", "fps", "Mpix/s", "memcpy µs", "ratio"
    )
}

/// One row of the human-readable table.
pub(crate) fn table_row(row: &Row) -> String {
    format!(
        "{:<9} {:<12} {:>10} {:>3} {:>10.1} {:>10.0} {:>10.0} {:>10.1} {:>8.2}",
        row.style,
        row.format,
        format!("{}x{}", row.width, row.height),
        row.threads,
        row.median_us,
        row.fps,
        row.mpix_per_s,
        row.memcpy_us,
        row.memcpy_ratio
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_cover_about_a_quarter() {
        let zones = zones().unwrap();
        let mut mask = SpanMask::empty(1920, 1080).unwrap();
        for z in &zones {
            mask = mask
                .union(&z.rasterize(1920, 1080, Coverage::Conservative).unwrap())
                .unwrap();
        }
        let share = mask.pixel_count() as f64 / (1920.0 * 1080.0);
        assert!((0.2..0.3).contains(&share), "zones cover {share}");
    }

    #[test]
    fn a_tiny_run_measures_every_row() {
        let plan = Plan {
            resolutions: vec![(64, 36)],
            styles: vec![Style::fill(), Style::blur()],
            formats: vec![PixelFormat::Yuv420p, PixelFormat::Rgb24],
            threads: vec![1, 2],
            budget: Duration::from_millis(1),
        };
        let rows = run(&plan, |_| {}).unwrap();
        assert_eq!(rows.len(), 8);
        for r in &rows {
            assert!(r.fps.is_finite() && r.fps > 0.0, "{r:?}");
            assert!(r.memcpy_ratio.is_finite() && r.memcpy_ratio > 0.0);
            assert!(r.min_us <= r.median_us && r.median_us <= r.max_us);
        }
    }
}
