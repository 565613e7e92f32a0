//! `sladd plan`: which zones of a camera are masked at an instant, and why.

use std::path::PathBuf;

use anyhow::Result;
use jiff::Timestamp;
use sladd_core::Style;
use sladd_policy::{decide, Decision, Outcome, Policy};

use crate::exit::Exit;
use crate::text::{emit, wrap};

/// Which zones of a camera are masked at an instant, and why.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd plan -c site.toml --camera kasse-1 --at 2026-11-24T12:00:00+01:00
  sladd plan -c site.toml --camera kasse-1 --at 2026-11-24T03:00:00+01:00 --json")]
pub(crate) struct Args {
    /// The site file (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    config: PathBuf,
    /// The camera's id in the site file (may be left out when the site has
    /// one camera).
    #[arg(long, value_name = "ID")]
    camera: Option<String>,
    /// The instant, RFC 3339 with an offset.
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant)]
    at: Timestamp,
    /// The style masked zones get where the site file names none
    /// (fill, fill:#rrggbb, pixelate[:BLOCK], blur[:RADIUS]).
    #[arg(long, value_name = "STYLE", default_value = "fill", value_parser = super::parse_style)]
    style: Style,
    /// Print one JSON document instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args) -> Result<Exit> {
    let policy = Policy::load(&args.config)?;
    let camera = super::camera(&policy, args.camera.as_deref())?;
    let mut decision = decide(camera, Some(args.at));
    decision.default_style = args.style;
    if args.json {
        emit(&(serde_json::to_string_pretty(&decision)? + "\n"))?;
    } else {
        emit(&human(&policy, &decision, args.style))?;
    }
    Ok(Exit::Success)
}

fn human(policy: &Policy, d: &Decision, default: Style) -> String {
    let site = policy.site();
    let mut out = format!(
        "Camera {} at {} ({}, {})\n",
        d.camera,
        d.at_local().unwrap_or_else(|| "an unknown time".to_owned()),
        site.name,
        site.timezone_name
    );
    let purposes: Vec<String> = d
        .active_purposes
        .iter()
        .map(|p| p.name().replace('_', " "))
        .collect();
    out += &format!(
        "Active purposes: {}\n",
        if purposes.is_empty() {
            "none".to_owned()
        } else {
            purposes.join(", ")
        }
    );
    if d.full_frame {
        out += &format!(
            "\nWHOLE FRAME MASKED [{}]\n  {}\n",
            d.full_frame_rule.map_or("", |r| r.id()),
            wrap(d.full_frame_reason.as_deref().unwrap_or(""), 76, "  ")
        );
    }
    out += "\n";
    let name_width = d
        .zones
        .iter()
        .map(|z| z.name.chars().count())
        .max()
        .unwrap_or(0);
    for z in &d.zones {
        let what = match z.outcome {
            Outcome::Shown => "shown".to_owned(),
            Outcome::Masked => format!("MASKED ({})", style_name(z.style_or(default))),
            Outcome::ObjectOnly => format!(
                "MASKED except objects ({})",
                style_name(z.style_or(default))
            ),
        };
        let pad = name_width - z.name.chars().count();
        out += &format!(
            "  {}{}  {:<17}  {}  [{}]\n      {}\n",
            z.name,
            " ".repeat(pad),
            z.area.name(),
            what,
            z.rule.id(),
            wrap(&z.reason, 74, "      ")
        );
    }
    if d.zones.is_empty() {
        out += "  (the camera has no zones)\n";
    }
    out += &match d.valid_until_local() {
        Some(until) => format!("\nThis holds until {until}.\n"),
        None => "\nThis holds at all times (no schedule changes it).\n".to_owned(),
    };
    out
}

/// `fill` for a black fill, else the style with its parameter.
fn style_name(style: Style) -> String {
    if style == Style::fill() {
        "fill".to_owned()
    } else {
        style.to_string()
    }
}
