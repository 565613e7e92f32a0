//! One module per subcommand: its clap arguments and its `run`.

pub(crate) mod bench;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod export;
pub(crate) mod plan;
pub(crate) mod preview;
#[cfg(feature = "proxy")]
pub(crate) mod proxy;
pub(crate) mod redact;
pub(crate) mod retention;
pub(crate) mod verify;
pub(crate) mod zones;

use jiff::Timestamp;

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
