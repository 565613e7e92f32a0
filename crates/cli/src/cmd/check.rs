//! `sladd check`: the compliance report for every camera of a site.

use std::path::PathBuf;

use anyhow::Result;
use jiff::Timestamp;
use sladd_policy::{Policy, Report, Severity};

use crate::exit::Exit;
use crate::text::{emit, wrap};

/// The compliance report for every camera of a site (exit 1 on any
/// violation).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd check -c site.toml
  sladd check -c site.toml --at 2026-11-24T12:00:00+01:00 --json

When cameras name their `recordings`, the archive is judged too: recordings kept
past their deadline (as `sladd retention` counts it), holds past their lawful end
or expired, and recordings of unknown age.

Exit code 1 when any finding is a violation.")]
pub(crate) struct Args {
    /// The site file (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    config: PathBuf,
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
    let report = Report::with_findings(&policy, Some(at), archive);
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
