//! # sladd-core
//!
//! Conservative polygon masks and in-place redaction (fill, pixelate, blur)
//! of video frames the caller already holds: planar YUV, NV12, RGB, 10-bit,
//! any stride, no copy, no FFmpeg, no I/O.
//!
//! The pieces, in the order a frame meets them:
//!
//! - [`geometry`]: validated [`Polygon`]s and [`Region`]s in normalized
//!   coordinates.
//! - [`raster`]: a region becomes a [`SpanMask`] for a frame size, either
//!   conservatively (every pixel the region touches) or inner (only pixels
//!   wholly inside, for carve-outs).
//! - [`mask`]: span masks and their union, subtraction and conservative
//!   chroma subsampling.
//! - [`frame`]: [`FrameMut`], a borrowed view of one to three planes.
//! - [`Redaction`] and [`Redactor`]: masks prepared per style, applied to
//!   frames.
//! - [`rotation`]: masks drawn on the displayed picture turned onto the
//!   decoded one, for streams shown turned by a quarter.

pub mod cpu;
mod effects;
pub mod error;
pub mod frame;
pub mod geometry;
pub mod mask;
pub mod raster;
mod redact;
pub mod rotation;
pub mod style;

pub use cpu::CpuLevel;
pub use effects::yuv_from_rgb;
pub use error::{Error, Result};
pub use frame::{ColorMatrix, ColorRange, Frame, FrameMut, PixelFormat, PlaneMut};
pub use geometry::{Point, Polygon, Region};
pub use mask::{Rect, Span, SpanMask};
pub use raster::{rasterize, Coverage};
pub use redact::{Redaction, Redactor, Threads};
pub use rotation::{Rotation, UnsupportedMatrix};
pub use style::{Rgb, Style};
