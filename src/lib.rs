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
//! - [`media`] (`sladd-ffmpeg`, feature `ffmpeg`, on by default): decode,
//!   mask, re-encode and mux files.

pub use sladd_core as core;
#[cfg(feature = "ffmpeg")]
pub use sladd_ffmpeg as media;
pub use sladd_policy as policy;

pub use sladd_core::{
    Coverage, Error as CoreError, Frame, FrameMut, PixelFormat, Polygon, Redaction, Redactor,
    Region, Rgb, SpanMask, Style,
};
