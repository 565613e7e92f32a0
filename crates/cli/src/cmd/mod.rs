//! One module per subcommand: its clap arguments and its `run`.

pub(crate) mod batch;
pub(crate) mod bench;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod export;
pub(crate) mod keys;
pub(crate) mod plan;
pub(crate) mod preview;
#[cfg(feature = "proxy")]
pub(crate) mod proxy;
pub(crate) mod redact;
pub(crate) mod retention;
pub(crate) mod verify;
pub(crate) mod zones;

use jiff::Timestamp;
use sladd_policy::{Camera, Policy};

use crate::exit::{Exit, Failure};

/// The camera `--camera` names, or (none named) the site's only camera,
/// said on stderr.
///
/// # Errors
/// The policy's unknown-camera error (exit 2), or a usage error when none
/// is named and the site has several.
pub(crate) fn camera<'a>(policy: &'a Policy, id: Option<&str>) -> anyhow::Result<&'a Camera> {
    if let Some(id) = id {
        return Ok(policy.camera(id)?);
    }
    match policy.cameras() {
        [only] => {
            eprintln!("sladd: camera {} (the site's only camera)", only.id);
            Ok(only)
        }
        cameras => Err(Failure {
            exit: Exit::Usage,
            message: format!(
                "the site has {} cameras ({}): give --camera ID",
                cameras.len(),
                cameras
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
        .into()),
    }
}

/// Parses an RFC 3339 instant with an offset, e.g. `2026-11-24T12:00:00+01:00`.
pub(crate) fn parse_instant(s: &str) -> Result<Timestamp, String> {
    s.parse::<Timestamp>().map_err(|e| {
        format!(
            "'{s}' is not an RFC 3339 instant with an offset (e.g. 2026-11-24T12:00:00+01:00): {e}"
        )
    })
}

/// Parses a style: `fill`, `fill:#rrggbb`, `pixelate[:BLOCK]`, `blur[:RADIUS]`.
pub(crate) fn parse_style(s: &str) -> Result<sladd_core::Style, String> {
    let style: sladd_core::Style = s.parse().map_err(|e| format!("{e}"))?;
    style.validate().map_err(|e| format!("{e}"))?;
    Ok(style)
}
