//! `sladd bench`: masking throughput on synthetic frames, with a memcpy
//! baseline of the same bytes measured in the same run.

use std::time::Duration;

use anyhow::Result;
use serde::Serialize;
use sladd_core::{PixelFormat, Style};

use crate::bench::{self, sweep, Plan};
use crate::exit::Exit;

/// Measure masking throughput on synthetic frames (no decode, no encode): four zones
/// covering about a quarter of the frame, each style, format and size asked, on one
/// thread and on --threads threads, beside a memcpy of the frame's bytes.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd bench
  sladd bench --resolution 1920x1080 --style blur --format yuv420p --threads 2 --json
  sladd bench --sweep --json > cost-curve.json

memcpy_ratio is the time to copy the frame's bytes over the time to mask the frame,
both medians of the same run: 0.5 means masking a frame costs twice a copy of it.")]
pub(crate) struct Args {
    /// Frame sizes (default 1280x720, 1920x1080, 3840x2160).
    #[arg(long = "resolution", value_name = "WxH", value_parser = super::preview::parse_size)]
    resolutions: Vec<(u32, u32)>,
    /// Styles (default fill, pixelate, blur), e.g. blur:16.
    #[arg(long = "style", value_name = "S", value_parser = super::parse_style)]
    styles: Vec<Style>,
    /// Pixel formats (default yuv420p, rgb24), e.g. nv12, yuv420p10le.
    #[arg(long = "format", value_name = "F", value_parser = parse_format)]
    formats: Vec<PixelFormat>,
    /// Threads for the multi-threaded rows (default: all cores); 1 measures one thread only.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    threads: Option<u64>,
    /// Seconds of measuring per row.
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0, value_parser = parse_budget)]
    seconds: f64,
    /// Print one JSON document on stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// The cost curve instead: each style against the masked share (5-100 %), the zone
    /// count (1-64) and the vertices per zone (4-1000), one thread, at the first
    /// --resolution (default 1920x1080) and --format (default yuv420p).
    #[arg(long)]
    sweep: bool,
}

/// Parses `--seconds`: more than 0, at most 60.
fn parse_budget(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if t > 0.0 && t <= 60.0 => Ok(t),
        _ => Err(format!(
            "'{s}' is not a number of seconds between 0 and 60 (e.g. 0.5)"
        )),
    }
}

fn parse_format(s: &str) -> Result<PixelFormat, String> {
    s.parse().map_err(|e| format!("{e}"))
}

#[derive(Debug, Serialize)]
struct Output<'a, R> {
    machine: Machine,
    rows: &'a [R],
}

#[derive(Debug, Serialize)]
struct Machine {
    cpus: usize,
    cpu_model: Option<String>,
    sladd_version: &'static str,
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines().find_map(|l| {
        l.strip_prefix("model name")
            .and_then(|r| r.split_once(':'))
            .map(|(_, m)| m.trim().to_owned())
    })
}

/// The machine, for `--json`.
fn machine() -> Machine {
    Machine {
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        cpu_model: cpu_model(),
        sladd_version: env!("CARGO_PKG_VERSION"),
    }
}

/// Runs `sladd bench --sweep`.
fn run_sweep(args: &Args) -> Result<Exit> {
    let size = args.resolutions.first().copied().unwrap_or((1920, 1080));
    let format = args
        .formats
        .first()
        .copied()
        .unwrap_or(PixelFormat::Yuv420p);
    let styles = if args.styles.is_empty() {
        vec![Style::fill(), Style::pixelate(), Style::blur()]
    } else {
        args.styles.clone()
    };
    let budget = Duration::from_secs_f64(args.seconds.clamp(0.01, 60.0));
    if !args.json {
        crate::text::print(&sweep::table_header())?;
    }
    let mut printed = Ok(());
    let points = sweep::run(format, size, &styles, budget, |p| {
        if !args.json && printed.is_ok() {
            printed = crate::text::print(&sweep::table_row(p));
        }
    })?;
    printed?;
    if args.json {
        let output = Output {
            machine: machine(),
            rows: &points,
        };
        crate::text::print(&serde_json::to_string_pretty(&output)?)?;
    }
    Ok(Exit::Success)
}

/// Runs `sladd bench`.
pub(crate) fn run(args: &Args) -> Result<Exit> {
    if args.sweep {
        return run_sweep(args);
    }
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let all = args.threads.map_or(cpus, |n| n as usize);
    let plan = Plan {
        resolutions: if args.resolutions.is_empty() {
            vec![(1280, 720), (1920, 1080), (3840, 2160)]
        } else {
            args.resolutions.clone()
        },
        styles: if args.styles.is_empty() {
            vec![Style::fill(), Style::pixelate(), Style::blur()]
        } else {
            args.styles.clone()
        },
        formats: if args.formats.is_empty() {
            vec![PixelFormat::Yuv420p, PixelFormat::Rgb24]
        } else {
            args.formats.clone()
        },
        threads: if all > 1 { vec![1, all] } else { vec![1] },
        budget: Duration::from_secs_f64(args.seconds.clamp(0.01, 60.0)),
    };
    if !args.json {
        crate::text::print(&bench::table_header())?;
    }
    let mut printed = Ok(());
    let rows = bench::run(&plan, |row| {
        if !args.json && printed.is_ok() {
            printed = crate::text::print(&bench::table_row(row));
        }
    })?;
    printed?;
    if args.json {
        crate::text::print(&serde_json::to_string_pretty(&Output {
            machine: machine(),
            rows: &rows,
        })?)?;
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `--seconds NaN` panicked in `Duration::from_secs_f64`.
    #[test]
    fn budgets_parse() {
        assert_eq!(parse_budget("0.05"), Ok(0.05));
        for bad in ["NaN", "inf", "0", "-1", "61", "long"] {
            assert!(parse_budget(bad).is_err(), "{bad}");
        }
    }
}
