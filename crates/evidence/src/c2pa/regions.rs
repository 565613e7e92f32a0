//! What was masked, as C2PA regions of interest.

use ::c2pa::assertions::region_of_interest::{
    Coordinate, Frame, Range, RangeType, RegionOfInterest, Shape, ShapeType, Time, UnitType,
};
use jiff::Timestamp;
use sladd_core::{Polygon, Region};
use sladd_policy::{Camera, Outcome};

use crate::error::{Error, Result};
use crate::manifest::Span;

/// The regions of interest of a redaction: per run of frames (`spans`, as
/// the manifest records them), per masked zone (or the whole frame), one
/// region per polygon of the zone, in percent of the picture as players
/// show it; a zone masked except its objects lists the objects as polygons
/// the region lies outside of. Each region has the run's frame range and,
/// when the recording's `start` is known, its time range in seconds from
/// the start (to the next run's start; open for the last).
///
/// The decision of each run is taken again from `camera` at the run's
/// instant, as redacting took it, so the regions follow from the site file
/// and the spans alone: verifying rebuilds and compares them. Regions carry
/// no C2PA `role`: c2pa 0.90 writes one but cannot read it back.
///
/// # Errors
/// [`Error::Span`] when a run's frames do not fit C2PA's 32-bit frame
/// numbers, or its instant lies before `start`.
pub fn regions(
    camera: &Camera,
    spans: &[Span],
    start: Option<Timestamp>,
) -> Result<Vec<RegionOfInterest>> {
    let mut out = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        let frames = frame_range(span)?;
        let time = time_range(span, spans.get(i + 1), start)?;
        let decision = sladd_policy::decide(camera, span.at);
        let mut add =
            |name: &str, description: String, region: &Region, objects: Option<&Region>| {
                for (p, polygon) in region.polygons().iter().enumerate() {
                    let mut ranges = vec![spatial(polygon, true)];
                    let holes = objects.into_iter().flat_map(|o| o.polygons());
                    ranges.extend(holes.map(|h| spatial(h, false)));
                    ranges.push(frames.clone());
                    ranges.extend(time.clone());
                    out.push(RegionOfInterest {
                        region: ranges,
                        name: Some(name.to_owned()),
                        identifier: Some(format!("run{i}.{}.{p}", identifier(name))),
                        region_type: None,
                        role: None,
                        description: Some(description.clone()),
                        metadata: None,
                    });
                }
            };
        if decision.full_frame {
            let rule = decision
                .full_frame_rule
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let reason = decision.full_frame_reason.clone().unwrap_or_default();
            add(
                "whole frame",
                format!("{rule}: {reason}"),
                &Region::whole_frame(),
                None,
            );
            continue;
        }
        for zone in decision.zones.iter().filter(|z| z.masked()) {
            let objects = match zone.outcome {
                Outcome::ObjectOnly => zone.objects(),
                _ => None,
            };
            add(
                &zone.name,
                format!("{}: {}", zone.rule, zone.reason),
                zone.region(),
                objects,
            );
        }
    }
    Ok(out)
}

/// A polygon in percent of the picture; `inside: false` for a hole.
fn spatial(polygon: &Polygon, inside: bool) -> Range {
    let vertices = polygon
        .points()
        .iter()
        .map(|p| Coordinate {
            x: p.x * 100.0,
            y: p.y * 100.0,
        })
        .collect();
    Range {
        range_type: RangeType::Spatial,
        shape: Some(Shape {
            shape_type: ShapeType::Polygon,
            unit: UnitType::Percent,
            origin: Coordinate { x: 0.0, y: 0.0 },
            width: None,
            height: None,
            inside: (!inside).then_some(false),
            vertices: Some(vertices),
        }),
        ..Range::default()
    }
}

fn frame_range(span: &Span) -> Result<Range> {
    let frame = |n: u64| {
        i32::try_from(n).map_err(|_| Error::Span {
            first_frame: span.first_frame,
            last_frame: span.last_frame,
            reason: "frame numbers past 2^31 do not fit a C2PA frame range".into(),
        })
    };
    Ok(Range {
        range_type: RangeType::Frame,
        frame: Some(Frame {
            start: Some(frame(span.first_frame)?),
            end: Some(frame(span.last_frame)?),
        }),
        ..Range::default()
    })
}

/// The run's time in the recording (normal play time: seconds from its
/// start, three decimals) up to the next run's start.
fn time_range(span: &Span, next: Option<&Span>, start: Option<Timestamp>) -> Result<Option<Range>> {
    let (Some(start), Some(at)) = (start, span.at) else {
        return Ok(None);
    };
    let offset = |t: Timestamp| -> Result<String> {
        let seconds = t.duration_since(start).as_secs_f64();
        if seconds < 0.0 {
            return Err(Error::Span {
                first_frame: span.first_frame,
                last_frame: span.last_frame,
                reason: format!("its instant {t} lies before the recording's start {start}"),
            });
        }
        Ok(format!("{seconds:.3}"))
    };
    Ok(Some(Range {
        range_type: RangeType::Temporal,
        time: Some(Time {
            time_type: Default::default(),
            start: Some(offset(at)?),
            end: next.and_then(|n| n.at).map(offset).transpose()?,
        }),
        ..Range::default()
    }))
}

/// A zone name as an identifier: ASCII letters and digits in lower case,
/// `-` for anything else.
fn identifier(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
