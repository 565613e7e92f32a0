//! `sladd bench --sweep`: the cost curve. Each style is timed against the
//! masked share of the frame (one square zone, 5–100 %), the number of
//! zones (1–64 squares covering 25 % together) and the vertices per zone
//! (four regular polygons of 4–1000 vertices covering 25 % together), on
//! one thread, beside a memcpy of the frame in the same run. Each point
//! also reports what a new decision costs: rasterizing its zones and
//! preparing the masks (`Redaction::new`), done once per decision, not per
//! frame.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;
use sladd_core::{PixelFormat, Polygon, Redaction, Region, Style};

use super::{measure_mask, median, zone_mask, Row};

/// Masked shares of the area sweep, in percent.
pub(crate) const AREAS: [u32; 7] = [5, 10, 25, 40, 50, 75, 100];
/// Zone counts of the zone sweep.
pub(crate) const ZONE_COUNTS: [u32; 7] = [1, 2, 4, 8, 16, 32, 64];
/// Vertices per zone of the vertex sweep.
pub(crate) const VERTICES: [u32; 6] = [4, 16, 64, 250, 500, 1000];

/// Which parameter a point varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Axis {
    /// Masked share of the frame, percent (one zone).
    Area,
    /// Number of zones (25 % together).
    Zones,
    /// Vertices per zone (four zones, 25 % together).
    Vertices,
}

impl Axis {
    /// The axis's name in the table.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Area => "area",
            Self::Zones => "zones",
            Self::Vertices => "vertices",
        }
    }
}

/// One point of the curve: the parameter, then the measured row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Point {
    pub(crate) axis: Axis,
    /// The parameter's value: percent, zones, or vertices per zone.
    pub(crate) value: u32,
    pub(crate) zones: usize,
    pub(crate) vertices_per_zone: usize,
    /// Median time to rasterize the zones and prepare the masks for this
    /// style (once per decision), in microseconds.
    pub(crate) prepare_us: f64,
    #[serde(flatten)]
    pub(crate) row: Row,
}

/// The zones of one point of `axis`, in normalized coordinates.
pub(crate) fn zones(axis: Axis, value: u32) -> Result<Vec<Region>> {
    let polygons: Vec<Vec<[f64; 2]>> = match axis {
        Axis::Area => {
            let side = (f64::from(value.clamp(1, 100)) / 100.0).sqrt();
            vec![square(0.5, 0.5, side)]
        }
        Axis::Zones => {
            let n = value.max(1);
            let k = f64::from(n).sqrt().ceil() as u32;
            let (cell, side) = (1.0 / f64::from(k), (0.25 / f64::from(n)).sqrt());
            (0..n)
                .map(|i| {
                    let (cx, cy) = (f64::from(i % k) + 0.5, f64::from(i / k) + 0.5);
                    square(cx * cell, cy * cell, side)
                })
                .collect()
        }
        Axis::Vertices => {
            let v = value.max(3);
            // Area of a regular v-gon of circumradius R: v/2 · R² · sin(2π/v).
            let turn = std::f64::consts::TAU / f64::from(v);
            let radius = (2.0 * 0.0625 / (f64::from(v) * turn.sin())).sqrt();
            [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)]
                .into_iter()
                .map(|(cx, cy)| {
                    (0..v)
                        .map(|i| {
                            let a = turn * f64::from(i);
                            [cx + radius * a.cos(), cy + radius * a.sin()]
                        })
                        .collect()
                })
                .collect()
        }
    };
    polygons
        .into_iter()
        .map(|points| {
            let polygon = Polygon::normalized(points).context("a sweep zone")?;
            Ok(Region::single(polygon))
        })
        .collect()
}

/// A square of side `side` centred on `(cx, cy)`, clipped to the frame.
fn square(cx: f64, cy: f64, side: f64) -> Vec<[f64; 2]> {
    let h = side / 2.0;
    let (x0, y0) = ((cx - h).max(0.0), (cy - h).max(0.0));
    let (x1, y1) = ((cx + h).min(1.0), (cy + h).min(1.0));
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
}

/// Every point of the three sweeps for each style at `width × height` in
/// `format`, calling `progress` after each.
pub(crate) fn run(
    format: PixelFormat,
    (width, height): (u32, u32),
    styles: &[Style],
    budget: Duration,
    mut progress: impl FnMut(&Point),
) -> Result<Vec<Point>> {
    let axes = [
        (Axis::Area, &AREAS[..]),
        (Axis::Zones, &ZONE_COUNTS[..]),
        (Axis::Vertices, &VERTICES[..]),
    ];
    let mut points = Vec::new();
    for (axis, values) in axes {
        for &value in values {
            let zones = zones(axis, value)?;
            let vertices_per_zone = match axis {
                Axis::Vertices => value as usize,
                _ => 4,
            };
            for &style in styles {
                let prepare_us = prepare_time(&zones, format, width, height, style)?;
                let mask = zone_mask(&zones, width, height)?;
                let row = measure_mask(format, style, 1, budget, mask).with_context(|| {
                    format!("sweeping {} = {value}, {}", axis.name(), style.name())
                })?;
                let point = Point {
                    axis,
                    value,
                    zones: zones.len(),
                    vertices_per_zone,
                    prepare_us,
                    row,
                };
                progress(&point);
                points.push(point);
            }
        }
    }
    Ok(points)
}

/// Median time, in microseconds, to rasterize `zones` and prepare them as
/// one layer of `style` (over at least 5 runs or 50 ms).
fn prepare_time(
    zones: &[Region],
    format: PixelFormat,
    width: u32,
    height: u32,
    style: Style,
) -> Result<f64> {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < Duration::from_millis(50) && times.len() < 200) {
        let t = Instant::now();
        let mask = zone_mask(zones, width, height)?;
        let redaction = Redaction::new(format, width, height, [(style, mask)])?;
        times.push(t.elapsed().as_secs_f64());
        std::hint::black_box(redaction);
    }
    Ok(median(&mut times) * 1e6)
}

/// The header of the human-readable table.
pub(crate) fn table_header() -> String {
    format!(
        "{:<9} {:>6} {:>5} {:>6} {:<9} {:>8} {:>10} {:>10} {:>11}",
        "sweep",
        "value",
        "zones",
        "verts",
        "style",
        "masked%",
        "median µs",
        "memcpy µs",
        "prepare µs"
    )
}

/// One row of the human-readable table.
pub(crate) fn table_row(p: &Point) -> String {
    format!(
        "{:<9} {:>6} {:>5} {:>6} {:<9} {:>8.1} {:>10.1} {:>10.1} {:>11.1}",
        p.axis.name(),
        p.value,
        p.zones,
        p.vertices_per_zone,
        p.row.style,
        100.0 * p.row.masked_fraction,
        p.row.median_us,
        p.row.memcpy_us,
        p.prepare_us
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sladd_core::Coverage;

    fn share(zones: &[Region]) -> f64 {
        let mask = zone_mask(zones, 1920, 1080).unwrap();
        mask.pixel_count() as f64 / (1920.0 * 1080.0)
    }

    #[test]
    fn sweep_zones_cover_what_they_say() {
        for area in AREAS {
            let got = share(&zones(Axis::Area, area).unwrap());
            assert!(
                (got - f64::from(area) / 100.0).abs() < 0.01,
                "{area}%: {got}"
            );
        }
        for n in ZONE_COUNTS {
            let z = zones(Axis::Zones, n).unwrap();
            assert_eq!(z.len(), n as usize);
            // Disjoint squares: the union is the sum of the parts.
            let parts: u64 = z
                .iter()
                .map(|r| {
                    r.rasterize(1920, 1080, Coverage::Conservative)
                        .unwrap()
                        .pixel_count()
                })
                .sum();
            assert_eq!(
                parts,
                zone_mask(&z, 1920, 1080).unwrap().pixel_count(),
                "{n} zones"
            );
            assert!((share(&z) - 0.25).abs() < 0.02, "{n} zones: {}", share(&z));
        }
        for v in VERTICES {
            let z = zones(Axis::Vertices, v).unwrap();
            assert_eq!(z.len(), 4);
            assert!(
                (share(&z) - 0.25).abs() < 0.02,
                "{v} vertices: {}",
                share(&z)
            );
        }
    }

    #[test]
    fn a_tiny_sweep_measures_every_point() {
        let styles = [Style::fill(), Style::blur()];
        let points = run(
            PixelFormat::Yuv420p,
            (96, 64),
            &styles,
            Duration::from_millis(1),
            |_| {},
        )
        .unwrap();
        let per_style = AREAS.len() + ZONE_COUNTS.len() + VERTICES.len();
        assert_eq!(points.len(), per_style * styles.len());
        for p in &points {
            assert!(p.row.median_us > 0.0 && p.prepare_us > 0.0, "{p:?}");
        }
        let full = points
            .iter()
            .find(|p| p.axis == Axis::Area && p.value == 100)
            .unwrap();
        assert!((full.row.masked_fraction - 1.0).abs() < 1e-9);
    }
}
