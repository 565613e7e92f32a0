//! Measures what masking costs inside the whole pipeline: the same file
//! redacted with a fill over a quarter of the frame, and transcoded with
//! the same encoder settings without touching a pixel, alternating in one
//! process. Also a single-mode run for peak-memory measurements with
//! `/usr/bin/time -v`.
//!
//! ```text
//! cargo run --release -p sladd-ffmpeg --example pipeline_bench -- INPUT [both|fill|plain] [ROUNDS] [--direct]
//! ```
//!
//! `--direct` fills the rectangle with a plain loop over the planes instead
//! of sladd-core's `Redactor` (for builds where the core's effects are not
//! there yet).

use std::path::PathBuf;
use std::time::Instant;

use sladd_core::frame::Planes;
use sladd_core::{FrameMut, Rect, SpanMask, Style};
use sladd_ffmpeg::{
    redact_file, AudioMode, FrameMasker, FrameTime, MaskOutcome, RedactOptions, StaticMask,
    VideoInfo,
};

/// Transcodes without touching pixels: the baseline.
struct Plain;

impl FrameMasker for Plain {
    type Error = std::convert::Infallible;

    fn needs_frame(&mut self, _: &FrameTime) -> bool {
        false
    }

    fn mask(&mut self, _: &mut FrameMut<'_>, _: &FrameTime) -> Result<MaskOutcome, Self::Error> {
        Ok(MaskOutcome::Unmasked)
    }
}

/// Fills the rectangle straight in the planes (black, limited range).
struct DirectFill {
    rect: Rect,
}

impl FrameMasker for DirectFill {
    type Error = std::convert::Infallible;

    fn mask(
        &mut self,
        frame: &mut FrameMut<'_>,
        _: &FrameTime,
    ) -> Result<MaskOutcome, Self::Error> {
        let (sx, sy) = frame.format().chroma_shift();
        let r = self.rect;
        if let Planes::U8(planes) = frame.planes_mut() {
            for (i, plane) in planes.iter_mut().enumerate() {
                let Some(plane) = plane else { continue };
                let (shift_x, shift_y, value) = if i == 0 { (0, 0, 16) } else { (sx, sy, 128) };
                let (x0, x1) = ((r.x0 >> shift_x) as usize, (r.x1 >> shift_x) as usize);
                let (y0, y1) = (r.y0 >> shift_y, r.y1 >> shift_y);
                for (y, row) in plane.rows_mut().enumerate() {
                    if (y0..y1).contains(&(y as u32)) {
                        if let Some(span) = row.get_mut(x0..x1) {
                            span.fill(value);
                        }
                    }
                }
            }
        }
        Ok(MaskOutcome::Masked)
    }
}

/// CPU time used by this process so far (all threads, user + system), from
/// `/proc/self/stat` in clock ticks of 1/100 s; `None` off Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the line.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// A quarter of the frame: the left half of the top half.
fn quarter(info: &VideoInfo) -> Rect {
    Rect {
        x0: 0,
        y0: 0,
        x1: info.width / 2,
        y1: info.height / 2,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let input = PathBuf::from(
        args.first()
            .ok_or("usage: pipeline_bench INPUT [both|fill|plain] [ROUNDS] [--direct]")?,
    );
    let mode = args.get(1).map_or("both", String::as_str);
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let direct = args.iter().any(|a| a == "--direct");
    sladd_ffmpeg::quiet_ffmpeg_logs();

    let info = sladd_ffmpeg::Decoder::open(&input, &Default::default())?
        .info()
        .clone();
    let rect = quarter(&info);
    let out_dir = std::env::temp_dir().join(format!("sladd-bench-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir)?;
    let output = out_dir.join(format!(
        "out.{}",
        input.extension().and_then(|e| e.to_str()).unwrap_or("mp4")
    ));
    let options = RedactOptions {
        audio: AudioMode::Copy,
        config_hash: "bench".into(),
        ..RedactOptions::default()
    };

    // Returns (frames per wall-clock second, frames per CPU second): on a
    // shared machine the second is the steadier measure of work.
    let run = |fill: bool| -> Result<(f64, f64), Box<dyn std::error::Error>> {
        let started = Instant::now();
        let cpu0 = cpu_seconds().unwrap_or(0.0);
        let report = if !fill {
            redact_file(&input, &output, Plain, &options, |_| {})?
        } else if direct {
            redact_file(&input, &output, DirectFill { rect }, &options, |_| {})?
        } else {
            let mask = SpanMask::from_rect(info.width, info.height, rect)?;
            redact_file(
                &input,
                &output,
                StaticMask::new(vec![(Style::fill(), mask)]),
                &options,
                |_| {},
            )?
        };
        let secs = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds().unwrap_or(0.0) - cpu0;
        let fps = report.frames as f64 / secs;
        let cpu_fps = report.frames as f64 / cpu.max(1e-9);
        println!(
            "{:5}  frames {:5}  {:7.2} s  {:7.1} fps  cpu {:7.2} s  {:6.2} frames/cpu-s",
            if fill { "fill" } else { "plain" },
            report.frames,
            secs,
            fps,
            cpu,
            cpu_fps
        );
        Ok((fps, cpu_fps))
    };

    match mode {
        "fill" => {
            run(true)?;
        }
        "plain" => {
            run(false)?;
        }
        _ => {
            let (mut plain, mut fill) = (vec![], vec![]);
            for round in 0..rounds {
                // Alternate the order so drift in machine load hits both.
                if round % 2 == 0 {
                    plain.push(run(false)?);
                    fill.push(run(true)?);
                } else {
                    fill.push(run(true)?);
                    plain.push(run(false)?);
                }
            }
            let median = |v: &[(f64, f64)], pick: fn(&(f64, f64)) -> f64| {
                let mut v: Vec<f64> = v.iter().map(pick).collect();
                v.sort_by(f64::total_cmp);
                v[v.len() / 2]
            };
            let (p, f) = (median(&plain, |x| x.0), median(&fill, |x| x.0));
            let (pc, fc) = (median(&plain, |x| x.1), median(&fill, |x| x.1));
            println!(
                "median wall: plain {p:.1} fps, fill {f:.1} fps, ratio {:.3}; \
                 cpu: plain {pc:.2}, fill {fc:.2} frames/cpu-s, ratio {:.3}",
                f / p,
                fc / pc
            );
        }
    }
    std::fs::remove_dir_all(&out_dir)?;
    Ok(())
}
