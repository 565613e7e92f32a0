//! # sladd
//!
//! Masks staff-only zones in surveillance video, fast, and decides which
//! zones to mask from the Norwegian rules on camera surveillance at work.
//!
//! This facade re-exports the workspace's library crates:
//!
//! - [`core`] (`sladd-core`): polygons, conservative masks, frame views and
//!   the fill / pixelate / blur kernels. No FFmpeg.
//! - [`policy`] (`sladd-policy`): the site configuration, the rules and the
//!   compliance report. No FFmpeg.
//! - [`evidence`] (`sladd-evidence`): the evidence manifest, its hashes and
//!   the checks that prove a frame redacted as the policy says (whole files
//!   with the `ffmpeg` feature).
//! - [`media`] (`sladd-ffmpeg`, feature `ffmpeg`, on by default): decode,
//!   mask, re-encode and mux files.
//!
//! A VMS that decodes frames itself needs one type, [`CameraMasker`]: the
//! site policy applied to one camera's stream, deciding at each frame's
//! instant, rasterizing its zones only when the decision changes, and
//! masking in place.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let (width, height) = (1920u32, 1080u32);
//! # let mut luma = vec![128u8; 1920 * 1080];
//! # let mut cb = vec![128u8; 960 * 540];
//! # let mut cr = vec![128u8; 960 * 540];
//! # let mut frame = sladd::FrameMut::from_planes(sladd::PixelFormat::Yuv420p, width, height,
//! #     [(&mut luma[..], 1920), (&mut cb[..], 960), (&mut cr[..], 960)])?;
//! # let instant: jiff::Timestamp = "2026-11-24T12:00:00+01:00".parse()?;
//! let policy = sladd::policy::Policy::load("fixtures/site.toml")?; // or Policy::from_toml_str / from_json_str
//! let mut masker = sladd::CameraMasker::new(&policy, "kasse-1", sladd::PixelFormat::Yuv420p, 1920, 1080)?;
//! masker.set_style(sladd::Style::fill()); // default: the config's styles, fill for the rest
//! masker.set_threads(2); // default 1 (the caller's thread)
//! let decision: &sladd::policy::Decision = masker.apply(&mut frame, Some(instant))?; // None = unknown instant
//! assert!(decision.zones.iter().any(|z| z.masked()));
//! # Ok(())
//! # }
//! ```

pub use sladd_core as core;
pub use sladd_evidence as evidence;
#[cfg(feature = "ffmpeg")]
pub use sladd_ffmpeg as media;
pub use sladd_policy as policy;

pub use sladd_core::{
    Coverage, Error as CoreError, Frame, FrameMut, PixelFormat, Polygon, Redaction, Redactor,
    Region, Rgb, Rotation, SpanMask, Style,
};
pub use sladd_policy::{CameraMasker, DecisionSpan};
