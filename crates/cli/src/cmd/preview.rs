//! `sladd preview`: one frame with every zone outlined and labelled with its
//! decision, the masked ones redacted as the policy decides at that
//! instant: what an operator looks at before trusting a config.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use image::RgbImage;
use jiff::Timestamp;
use sladd_core::{FrameMut, Region, Style};
use sladd_ffmpeg::snapshot;
use sladd_ffmpeg::{DecoderOptions, Rotation};
use sladd_policy::{Camera, CameraMasker, Decision, Outcome, Policy};

use crate::draw;
use crate::exit::{Exit, Failure};

/// Write a PNG of one frame with every zone outlined, labelled with its
/// decision, and redacted as the policy decides at that frame's instant.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd preview fixtures/clips/kiosk.mp4 -c fixtures/site.toml --camera kasse-1 --time 1 -o preview.png
  sladd preview --size 1920x1080 -c fixtures/site.toml --camera kasse-1 \\
      --at 2026-11-24T12:00:00+01:00 -o zones.png

Red outlines are masked zones, green ones are shown, dashed yellow ones are objects an
OBJECT_ONLY zone keeps visible. The legend names the camera and the instant decided.")]
pub(crate) struct Args {
    /// The video to take the frame from (or use --size for a grey frame).
    #[arg(
        value_name = "INPUT",
        required_unless_present = "size",
        conflicts_with = "size"
    )]
    input: Option<PathBuf>,
    /// The site configuration (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    site: PathBuf,
    /// The camera (its id in the site file; may be left out when the site
    /// has one camera).
    #[arg(long, value_name = "ID")]
    camera: Option<String>,
    /// Seconds into the video of the frame to show.
    #[arg(long, value_name = "SECONDS", default_value_t = 0.0, value_parser = parse_seconds)]
    time: f64,
    /// The recording's start (RFC 3339), overriding the container's creation_time.
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant)]
    start: Option<Timestamp>,
    /// A synthetic grey frame of this size instead of a video, e.g. 1920x1080.
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    size: Option<(u32, u32)>,
    /// The instant to decide for with --size (unknown when left out).
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant, requires = "size")]
    at: Option<Timestamp>,
    /// Style for zones whose config names none (as for redact).
    #[arg(long, value_name = "STYLE", value_parser = super::parse_style, default_value = "fill")]
    style: Style,
    /// The PNG to write.
    #[arg(short = 'o', long, value_name = "PNG")]
    output: PathBuf,
}

/// Parses `--time`: finite seconds, not negative.
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if t.is_finite() && t >= 0.0 => Ok(t),
        _ => Err(format!(
            "'{s}' is not a number of seconds from the start (e.g. 1.5)"
        )),
    }
}

/// Parses `WxH`.
pub(crate) fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("'{s}' is not a size like 1920x1080");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h) = (
        w.trim().parse::<u32>().map_err(|_| bad())?,
        h.trim().parse::<u32>().map_err(|_| bad())?,
    );
    if w == 0 || h == 0 || w > 16_384 || h > 16_384 {
        return Err(format!("size {w}x{h} must be between 1x1 and 16384x16384"));
    }
    Ok((w, h))
}

/// Runs `sladd preview`.
pub(crate) fn run(args: &Args) -> Result<Exit> {
    let policy = Policy::load(&args.site)?;
    let camera = super::camera(&policy, args.camera.as_deref())?;
    let checked = match &args.input {
        Some(input) => sladd_ffmpeg::output::check_output(input, &args.output),
        None => sladd_ffmpeg::output::check_output_path(&args.output),
    };
    if let Err(e) = checked {
        bail!(Failure {
            exit: Exit::Usage,
            message: e.to_string(),
        });
    }
    let (image, decision) = match (&args.input, args.size) {
        (Some(input), _) => video_frame(input, args, camera)?,
        (None, Some((w, h))) => grey_frame(w, h, args, camera)?,
        (None, None) => bail!(Failure {
            exit: Exit::Usage,
            message: "give INPUT or --size".into()
        }),
    };
    let image = annotate(image, camera, &decision);
    write_png(&image, &args.output)?;
    eprintln!("sladd: wrote {}", args.output.display());
    Ok(Exit::Success)
}

/// The frame of the video at `--time`, masked in its own pixel format
/// exactly as `redact` would, then converted to RGB.
fn video_frame(input: &Path, args: &Args, camera: &Camera) -> Result<(RgbImage, Decision)> {
    let input_error = |e: sladd_ffmpeg::Error| -> anyhow::Error {
        let exit = if e.is_output_error() {
            Exit::Output
        } else {
            Exit::Input
        };
        Failure {
            exit,
            message: format!("{e}"),
        }
        .into()
    };
    sladd_ffmpeg::init().map_err(input_error)?;
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let options = DecoderOptions {
        start: args.start,
        clock: crate::clock::judge(camera, Timestamp::now()),
        ..DecoderOptions::default()
    };
    let mut frame = snapshot::frame_at(input, args.time, &options).map_err(input_error)?;
    let time = *frame.time();
    // Times past the end show the last frame: say which one is shown.
    eprintln!(
        "sladd: frame {} at {:.3} s ({})",
        time.index,
        time.seconds,
        time.instant
            .map_or_else(|| "recording start unknown".to_owned(), |t| t.to_string())
    );
    let rotation = frame.rotation();
    let decision = {
        let mut view = frame.view().map_err(input_error)?;
        mask(&mut view, camera, time.instant, args.style, rotation)?
    };
    let (w, h, rgb) = snapshot::to_rgb24(&frame).map_err(input_error)?;
    let image = RgbImage::from_raw(w, h, rgb).context("decoded frame has an unexpected size")?;
    // Shown as players show it: zones are drawn on the displayed picture.
    let image = match rotation {
        Rotation::None => image,
        Rotation::Clockwise90 => image::imageops::rotate90(&image),
        Rotation::Half => image::imageops::rotate180(&image),
        Rotation::Clockwise270 => image::imageops::rotate270(&image),
    };
    Ok((image, decision))
}

/// A mid-grey frame with a faint grid, masked for the instant `--at`.
fn grey_frame(
    width: u32,
    height: u32,
    args: &Args,
    camera: &Camera,
) -> Result<(RgbImage, Decision)> {
    let step = (width.max(height) / 16).max(8);
    let mut image = RgbImage::from_fn(width, height, |x, y| {
        if x % step == 0 || y % step == 0 {
            image::Rgb([150, 150, 150])
        } else {
            image::Rgb([128, 128, 128])
        }
    });
    let mut view = FrameMut::from_rgb_image(&mut image)?;
    let decision = mask(&mut view, camera, args.at, args.style, Rotation::None)?;
    Ok((image, decision))
}

/// Masks a decoded frame as `redact` would, through the same masker
/// (zones turned onto the decoded picture when the stream is shown
/// turned), and returns the decision.
fn mask(
    frame: &mut FrameMut<'_>,
    camera: &Camera,
    instant: Option<Timestamp>,
    style: Style,
    rotation: Rotation,
) -> Result<Decision> {
    let mut masker =
        CameraMasker::for_camera(camera, frame.format(), frame.width(), frame.height())?;
    masker.set_style(style);
    masker.set_rotation(rotation);
    Ok(masker.apply(frame, instant)?.clone())
}

/// Polygons of a region in pixel coordinates of a `w × h` image.
fn outlines(region: &Region, w: u32, h: u32) -> Vec<Vec<(f64, f64)>> {
    region
        .polygons()
        .iter()
        .map(|p| p.to_pixels(w, h).map(|q| (q.x, q.y)).collect())
        .collect()
}

/// The label of a zone: its name, what the decision does to it and why.
fn zone_label(zone: &sladd_policy::Zone, decision: &sladd_policy::ZoneDecision) -> String {
    let state = match decision.outcome {
        Outcome::Shown => "shown",
        Outcome::Masked => "masked",
        Outcome::ObjectOnly => "object only",
    };
    format!("{}: {state} ({})", zone.name, decision.rule)
}

/// The legend's lines: camera, instant, whole-frame rule, colours.
fn legend_lines(camera: &Camera, decision: &Decision) -> Vec<(String, image::Rgb<u8>)> {
    let site = camera.site();
    let instant = match decision.at_local() {
        Some(at) => format!("{at} ({})", site.timezone_name),
        None => "unknown: protective branch (staff present, windowed purposes off)".to_owned(),
    };
    let mut lines = vec![
        (
            format!("camera {} at {site_name}", camera.id, site_name = site.name),
            draw::TEXT,
        ),
        (format!("instant {instant}"), draw::TEXT),
    ];
    if decision.full_frame {
        let rule = decision
            .full_frame_rule
            .map(|r| r.to_string())
            .unwrap_or_default();
        lines.push((format!("whole frame masked ({rule})"), draw::MASKED));
    }
    lines.push((
        "red: masked  green: shown  yellow: object kept".to_owned(),
        draw::CARVED,
    ));
    lines
}

/// The picture scaled up by a whole factor (each pixel a square, nothing
/// smoothed) when it is narrower than `needed` pixels, so that every label
/// and the legend fit on it; the factor is said on stderr.
fn fit(image: RgbImage, needed: u32) -> RgbImage {
    let (w, h) = image.dimensions();
    let factor = needed.div_ceil(w.max(1)).clamp(1, 8);
    if factor == 1 {
        return image;
    }
    eprintln!(
        "sladd: the {w}x{h} frame is drawn scaled up {factor}x ({}x{}) so that its labels and legend fit",
        w * factor,
        h * factor
    );
    image::imageops::resize(
        &image,
        w * factor,
        h * factor,
        image::imageops::FilterType::Nearest,
    )
}

/// Draws outlines, labels and the legend, on the picture scaled up when it
/// is too small for them.
fn annotate(image: RgbImage, camera: &Camera, decision: &Decision) -> RgbImage {
    let lines = legend_lines(camera, decision);
    let labels: Vec<String> = camera
        .zones
        .iter()
        .zip(&decision.zones)
        .map(|(zone, zd)| zone_label(zone, zd))
        .collect();
    let widest = lines
        .iter()
        .map(|(line, _)| line)
        .chain(&labels)
        .map(|text| draw::text_size(text, 1).0)
        .max()
        .unwrap_or(0);
    // The legend's and a label's padding at scale 1.
    let mut image = fit(image, widest + 16);
    let (w, h) = image.dimensions();
    let scale = (w / 640).clamp(1, 4);
    let thickness = scale + 1;
    for ((zone, zd), text) in camera.zones.iter().zip(&decision.zones).zip(&labels) {
        let colour = if zd.masked() {
            draw::MASKED
        } else {
            draw::SHOWN
        };
        let rings = outlines(&zone.region, w, h);
        for ring in &rings {
            draw::outline(&mut image, ring, thickness, false, colour);
        }
        if zd.outcome == Outcome::ObjectOnly {
            if let Some(objects) = &zone.objects {
                for ring in outlines(objects, w, h) {
                    draw::outline(&mut image, &ring, thickness, true, draw::CARVED);
                }
            }
        }
        // Label at the top-left-most vertex of the zone's first polygon.
        let anchor = rings
            .first()
            .and_then(|r| {
                r.iter()
                    .copied()
                    .min_by(|a, b| (a.0 + a.1).total_cmp(&(b.0 + b.1)))
            })
            .unwrap_or((0.0, 0.0));
        draw::label(
            &mut image,
            anchor.0.max(0.0) as i64 + 4,
            anchor.1.max(0.0) as i64 + 4,
            text,
            scale,
            colour,
        );
    }
    draw::legend(&mut image, &lines, scale);
    image
}

/// Writes the PNG under a temporary name of its own, then renames it into
/// place (unless another run wrote it meanwhile).
fn write_png(image: &RgbImage, path: &Path) -> Result<()> {
    let output_error = |message: String| -> anyhow::Error {
        Failure {
            exit: Exit::Output,
            message,
        }
        .into()
    };
    let temp =
        sladd_ffmpeg::output::TempOutput::new(path).map_err(|e| output_error(e.to_string()))?;
    image
        .save_with_format(temp.path(), image::ImageFormat::Png)
        .map_err(|e| output_error(format!("cannot write {}: {e}", path.display())))?;
    temp.commit().map_err(|e| output_error(e.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1920x1080"), Ok((1920, 1080)));
        assert_eq!(parse_size("64X48"), Ok((64, 48)));
        assert!(parse_size("0x10").is_err());
        assert!(parse_size("big").is_err());
    }

    #[test]
    fn seconds_parse() {
        assert_eq!(parse_seconds("1.5"), Ok(1.5));
        assert_eq!(parse_seconds("0"), Ok(0.0));
        for bad in ["-1", "NaN", "inf", "soon"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }
}
