//! `sladd check`: the compliance report for every camera of a site.

use std::path::PathBuf;

use anyhow::Result;
use jiff::Timestamp;
use sladd_ffmpeg::{Decoder, DecoderOptions};
use sladd_policy::check::untrusted_clock;
use sladd_policy::{Camera, Finding, Policy, Report, Severity};

use crate::exit::Exit;
use crate::text::{emit, wrap};

/// The compliance report for every camera of a site (exit 1 on any
/// violation).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd check -c site.toml
  sladd check -c site.toml --at 2026-11-24T12:00:00+01:00 --json
  sladd check -c site.toml --camera kasse-1 /archive/kasse-1

When cameras name their `recordings`, the archive is judged too: recordings kept
past their deadline (as `sladd retention` counts it), holds past their lawful end
or expired, and recordings of unknown age.

Recordings named on the command line (files, or folders searched as `redact`
searches them) are checked too: one whose creation_time sladd would not trust (a
camera clock that was never set, a date in the future, before the camera's
clock_valid_from) is a warning (R-CLOCK).

Exit code 1 when any finding is a violation.")]
pub(crate) struct Args {
    /// The site file (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    config: PathBuf,
    /// Recordings of one camera to check the clocks of (files or folders).
    #[arg(value_name = "RECORDING")]
    recordings: Vec<PathBuf>,
    /// The camera that made the recordings (may be left out when the site
    /// has one camera).
    #[arg(long, value_name = "ID", requires = "recordings")]
    camera: Option<String>,
    /// The day to judge re-evaluation dates against (RFC 3339 with an
    /// offset); default: now.
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant)]
    at: Option<Timestamp>,
    /// The legal holds file for the archive findings; default: holds.toml
    /// or holds.json beside the site file, if there is one.
    #[arg(long, value_name = "FILE")]
    holds: Option<PathBuf>,
    /// Print one JSON document instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args) -> Result<Exit> {
    let policy = Policy::load(&args.config)?;
    let at = args.at.unwrap_or_else(Timestamp::now);
    // Cameras that name their recordings: the archive is judged too.
    let archive = if policy.cameras().iter().any(|c| !c.recordings.is_empty()) {
        let (plan, _, _) = crate::archive::plan(&policy, &args.config, args.holds.as_deref(), at)?;
        sladd_archive::findings::findings(&plan)
    } else {
        Vec::new()
    };
    let mut extra = archive;
    if !args.recordings.is_empty() {
        let camera = super::camera(&policy, args.camera.as_deref())?;
        extra.extend(untrusted_clocks(camera, &args.recordings, at)?);
    }
    let report = Report::with_findings(&policy, Some(at), extra);
    if args.json {
        emit(&(serde_json::to_string_pretty(&report)? + "\n"))?;
    } else {
        emit(&human(&report))?;
    }
    Ok(if report.violations > 0 {
        Exit::Negative
    } else {
        Exit::Success
    })
}

/// A finding per recording whose `creation_time` sladd would not trust
/// at `at`; recordings that cannot be read are named on stderr.
fn untrusted_clocks(camera: &Camera, paths: &[PathBuf], at: Timestamp) -> Result<Vec<Finding>> {
    sladd_ffmpeg::init()?;
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let options = DecoderOptions {
        clock: crate::clock::judge(camera, at),
        ..DecoderOptions::default()
    };
    let mut findings = Vec::new();
    for path in crate::inputs::videos(paths) {
        match Decoder::open(&path, &options) {
            Ok(decoder) => {
                let rejected = decoder
                    .info()
                    .creation_time
                    .as_ref()
                    .and_then(|c| c.rejected.clone());
                if let Some(why) = rejected {
                    findings.push(untrusted_clock(camera, &path.display().to_string(), &why));
                }
            }
            Err(e) => eprintln!("sladd: cannot read {}: {e}", path.display()),
        }
    }
    Ok(findings)
}

fn human(report: &Report) -> String {
    let mut out = format!(
        "Compliance report for {} (judged at {})\n",
        report.site,
        report.at.as_deref().unwrap_or("an unknown time")
    );
    let mut heading: Option<Option<&str>> = None;
    for f in &report.findings {
        let camera = f.camera.as_deref();
        if heading != Some(camera) {
            out += &match camera {
                None => "\nSite-wide\n".to_owned(),
                Some(c) => format!("\nCamera {c}\n"),
            };
            heading = Some(camera);
        }
        let label = match f.severity {
            Severity::Violation => "VIOLATION",
            Severity::Warning => "warning  ",
            Severity::Info => "info     ",
        };
        let zone = f
            .zone
            .as_deref()
            .map_or(String::new(), |z| format!(" [{z}]"));
        out += &format!(
            "  {label}  {}{zone}\n             {}\n             Source: {}\n",
            f.id.id(),
            wrap(&f.message, 70, "             "),
            f.source
        );
    }
    if report.findings.is_empty() {
        out += "\nNo findings.\n";
    }
    out += &format!(
        "\n{} violation{}, {} warning{}, {} info.\n",
        report.violations,
        if report.violations == 1 { "" } else { "s" },
        report.warnings,
        if report.warnings == 1 { "" } else { "s" },
        report.infos
    );
    out
}
