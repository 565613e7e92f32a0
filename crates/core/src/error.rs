//! The one error type of `sladd-core`.

use crate::frame::PixelFormat;

/// Everything that can go wrong in `sladd-core`.
///
/// Every variant carries the values a caller needs to find and fix the
/// problem. Nothing in this crate panics on bad input: constructors and
/// operations return this error instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A polygon has fewer than three distinct vertices.
    #[error("polygon has {distinct} distinct vertices, at least 3 are needed")]
    TooFewVertices {
        /// How many distinct vertices remained after removing repeats.
        distinct: usize,
    },
    /// A polygon has more vertices than sladd accepts.
    #[error("polygon has {count} vertices, at most {max} are accepted")]
    TooManyVertices {
        /// How many vertices were given.
        count: usize,
        /// The limit, [`crate::geometry::MAX_VERTICES`].
        max: usize,
    },
    /// A coordinate is NaN or infinite.
    #[error("vertex {index} is not a finite number: ({x}, {y})")]
    NonFinite {
        /// Index of the vertex in the polygon as given.
        index: usize,
        /// Its x coordinate.
        x: f64,
        /// Its y coordinate.
        y: f64,
    },
    /// A coordinate lies far outside the frame.
    #[error(
        "vertex {index} at ({x}, {y}) lies far outside the frame \
         (normalized coordinates must be within {min}..={max})"
    )]
    FarOutside {
        /// Index of the vertex in the polygon as given.
        index: usize,
        /// Its x coordinate, normalized.
        x: f64,
        /// Its y coordinate, normalized.
        y: f64,
        /// Smallest accepted normalized coordinate.
        min: f64,
        /// Largest accepted normalized coordinate.
        max: f64,
    },
    /// All vertices of a polygon lie on one line: it encloses nothing.
    #[error("polygon has zero area: all its vertices lie on one line")]
    ZeroArea,
    /// A polygon lies wholly outside the frame.
    #[error("polygon lies wholly outside the frame")]
    OutsideFrame,
    /// A region was built from no polygons at all.
    #[error("region has no polygons")]
    EmptyRegion,
    /// A pixel reference size (for pixel coordinates) is zero.
    #[error("reference size {width}x{height} has a zero side")]
    ZeroReference {
        /// Reference width in pixels.
        width: u32,
        /// Reference height in pixels.
        height: u32,
    },
    /// A frame or mask size is zero or too large to address.
    #[error("frame size {width}x{height} is invalid (each side must be 1..={max})")]
    BadFrameSize {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Largest accepted side, [`crate::frame::MAX_SIDE`].
        max: u32,
    },
    /// A plane's stride is smaller than one row of samples.
    #[error("plane {plane}: stride {stride} is smaller than a row of {row} samples")]
    StrideTooSmall {
        /// Plane index.
        plane: usize,
        /// Stride given, in samples (bytes for 8-bit planes).
        stride: usize,
        /// Samples in one row.
        row: usize,
    },
    /// A plane's buffer is too short for its geometry.
    #[error("plane {plane}: buffer holds {len} samples, {needed} are needed")]
    BufferTooShort {
        /// Plane index.
        plane: usize,
        /// Samples in the buffer.
        len: usize,
        /// Samples needed: `stride * (height - 1) + row`.
        needed: usize,
    },
    /// A size computation overflowed.
    #[error("plane {plane}: size computation overflows")]
    Overflow {
        /// Plane index.
        plane: usize,
    },
    /// The number of planes handed over does not match the pixel format.
    #[error("{format} has {expected} planes, {given} were given")]
    PlaneCount {
        /// The frame's pixel format.
        format: PixelFormat,
        /// Planes the format has.
        expected: usize,
        /// Planes given.
        given: usize,
    },
    /// The sample type handed over does not match the pixel format
    /// (8-bit buffers for a 10-bit format, or the reverse).
    #[error("{format} stores {expected}-bit samples")]
    SampleType {
        /// The frame's pixel format.
        format: PixelFormat,
        /// Bits per stored sample the format needs.
        expected: u32,
    },
    /// A 16-bit plane handed over as bytes is not aligned to 2 bytes.
    #[error("plane {plane}: 16-bit samples must start at an even address")]
    Misaligned {
        /// Plane index.
        plane: usize,
    },
    /// A pixel format name is not one sladd knows.
    #[error("unknown pixel format '{name}'")]
    UnknownFormat {
        /// The name given.
        name: String,
    },
    /// A mask and a frame (or two masks) have different sizes.
    #[error("size mismatch: {left_width}x{left_height} against {right_width}x{right_height}")]
    SizeMismatch {
        /// Width of the first operand.
        left_width: u32,
        /// Height of the first operand.
        left_height: u32,
        /// Width of the second operand.
        right_width: u32,
        /// Height of the second operand.
        right_height: u32,
    },
    /// A redaction prepared for one pixel format was applied to another.
    #[error("redaction prepared for {prepared} applied to a {frame} frame")]
    FormatMismatch {
        /// The format the redaction was prepared for.
        prepared: PixelFormat,
        /// The frame's format.
        frame: PixelFormat,
    },
    /// A style parameter is out of range.
    #[error("invalid style: {reason}")]
    BadStyle {
        /// What is wrong, in words.
        reason: String,
    },
    /// A thread pool could not be built (the operating system refused to
    /// start its threads).
    #[error("thread pool: {reason}")]
    ThreadPool {
        /// What the pool builder said.
        reason: String,
    },
    /// An array view handed over as a plane is not contiguous row-major
    /// memory.
    #[error("plane {plane}: array view is not in contiguous row-major layout")]
    NotContiguous {
        /// Plane index.
        plane: usize,
    },
    /// A CPU level name (e.g. in `SLADD_CPU`) is not one sladd knows.
    #[error("unknown cpu level '{name}' (scalar, sse4.1, avx2 or neon)")]
    UnknownCpuLevel {
        /// The name given.
        name: String,
    },
}

/// The result type of `sladd-core`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
