//! Pixel formats and colour description.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// The pixel layouts sladd masks in place. Names follow FFmpeg's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PixelFormat {
    /// Planar Y, U, V; chroma halved both ways; limited range.
    Yuv420p,
    /// As `Yuv420p`, full range (MJPEG cameras).
    Yuvj420p,
    /// Planar Y, U, V; chroma halved horizontally.
    Yuv422p,
    /// Planar Y, U, V; no subsampling.
    Yuv444p,
    /// Planar Y, then interleaved U/V at half size both ways.
    Nv12,
    /// One plane of luma only.
    Gray8,
    /// Packed R, G, B bytes.
    Rgb24,
    /// Packed B, G, R bytes.
    Bgr24,
    /// Packed R, G, B, A bytes.
    Rgba,
    /// Packed B, G, R, A bytes.
    Bgra,
    /// As `Yuv420p` with 10 significant bits in little-endian 16-bit samples.
    Yuv420p10le,
}

/// What a plane's samples mean, for choosing fill values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaneKind {
    /// Luma (Y), one sample per pixel.
    Luma,
    /// One chroma component (U or V).
    Chroma,
    /// Interleaved U and V (NV12's second plane).
    ChromaUv,
    /// Packed colour pixels: the byte order is the format's.
    Packed,
}

/// Whether YUV samples use the limited (16–235) or full (0–255) range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorRange {
    /// Limited ("TV", "MPEG") range.
    Limited,
    /// Full ("PC", "JPEG") range.
    Full,
}

/// The YUV ↔ RGB matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorMatrix {
    /// ITU-R BT.601 (standard definition).
    Bt601,
    /// ITU-R BT.709 (high definition).
    Bt709,
}

impl ColorMatrix {
    /// FFmpeg's default guess for untagged video: BT.601 below 720 rows,
    /// BT.709 from 720 rows up.
    #[must_use]
    pub const fn for_height(height: u32) -> Self {
        if height >= 720 {
            Self::Bt709
        } else {
            Self::Bt601
        }
    }
}

const ALL: [PixelFormat; 11] = [
    PixelFormat::Yuv420p,
    PixelFormat::Yuvj420p,
    PixelFormat::Yuv422p,
    PixelFormat::Yuv444p,
    PixelFormat::Nv12,
    PixelFormat::Gray8,
    PixelFormat::Rgb24,
    PixelFormat::Bgr24,
    PixelFormat::Rgba,
    PixelFormat::Bgra,
    PixelFormat::Yuv420p10le,
];

impl PixelFormat {
    /// Every supported format.
    #[must_use]
    pub const fn all() -> &'static [PixelFormat] {
        &ALL
    }

    /// FFmpeg's name for the format (`yuv420p`, `nv12`, `rgb24`, …).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Yuv420p => "yuv420p",
            Self::Yuvj420p => "yuvj420p",
            Self::Yuv422p => "yuv422p",
            Self::Yuv444p => "yuv444p",
            Self::Nv12 => "nv12",
            Self::Gray8 => "gray",
            Self::Rgb24 => "rgb24",
            Self::Bgr24 => "bgr24",
            Self::Rgba => "rgba",
            Self::Bgra => "bgra",
            Self::Yuv420p10le => "yuv420p10le",
        }
    }

    /// How many planes the format has.
    #[must_use]
    pub const fn plane_count(self) -> usize {
        match self {
            Self::Gray8 | Self::Rgb24 | Self::Bgr24 | Self::Rgba | Self::Bgra => 1,
            Self::Nv12 => 2,
            _ => 3,
        }
    }

    /// Bits per stored sample: 8, or 16 for the 10-bit format.
    #[must_use]
    pub const fn storage_bits(self) -> u32 {
        match self {
            Self::Yuv420p10le => 16,
            _ => 8,
        }
    }

    /// Significant bits per sample: 8 or 10.
    #[must_use]
    pub const fn depth(self) -> u32 {
        match self {
            Self::Yuv420p10le => 10,
            _ => 8,
        }
    }

    /// Chroma subsampling as shifts `(ss_x, ss_y)`: a chroma plane is
    /// `ceil(width >> ss_x) × ceil(height >> ss_y)`. `(0, 0)` for formats
    /// without chroma planes.
    #[must_use]
    pub const fn chroma_shift(self) -> (u8, u8) {
        match self {
            Self::Yuv420p | Self::Yuvj420p | Self::Nv12 | Self::Yuv420p10le => (1, 1),
            Self::Yuv422p => (1, 0),
            _ => (0, 0),
        }
    }

    /// The meaning of plane `index`, or `None` past the last plane.
    #[must_use]
    pub const fn plane_kind(self, index: usize) -> Option<PlaneKind> {
        match (self, index) {
            (Self::Rgb24 | Self::Bgr24 | Self::Rgba | Self::Bgra, 0) => Some(PlaneKind::Packed),
            (Self::Gray8, 0) => Some(PlaneKind::Luma),
            (Self::Nv12, 0) => Some(PlaneKind::Luma),
            (Self::Nv12, 1) => Some(PlaneKind::ChromaUv),
            (
                Self::Yuv420p | Self::Yuvj420p | Self::Yuv422p | Self::Yuv444p | Self::Yuv420p10le,
                0,
            ) => Some(PlaneKind::Luma),
            (
                Self::Yuv420p | Self::Yuvj420p | Self::Yuv422p | Self::Yuv444p | Self::Yuv420p10le,
                1 | 2,
            ) => Some(PlaneKind::Chroma),
            _ => None,
        }
    }

    /// Samples per pixel in plane `index` (3 for `rgb24`, 2 for NV12's UV
    /// plane, 1 otherwise).
    #[must_use]
    pub const fn channels(self, index: usize) -> usize {
        match (self, index) {
            (Self::Rgb24 | Self::Bgr24, 0) => 3,
            (Self::Rgba | Self::Bgra, 0) => 4,
            (Self::Nv12, 1) => 2,
            _ => 1,
        }
    }

    /// The size in pixels of plane `index` of a `width × height` frame.
    #[must_use]
    pub const fn plane_size(self, index: usize, width: u32, height: u32) -> (u32, u32) {
        if index == 0 {
            return (width, height);
        }
        let (sx, sy) = self.chroma_shift();
        (width.div_ceil(1 << sx), height.div_ceil(1 << sy))
    }

    /// The range YUV samples of this format use unless told otherwise.
    #[must_use]
    pub const fn default_range(self) -> ColorRange {
        match self {
            Self::Yuvj420p | Self::Rgb24 | Self::Bgr24 | Self::Rgba | Self::Bgra => {
                ColorRange::Full
            }
            _ => ColorRange::Limited,
        }
    }

    /// Whether the format stores RGB rather than YUV or gray.
    #[must_use]
    pub const fn is_rgb(self) -> bool {
        matches!(self, Self::Rgb24 | Self::Bgr24 | Self::Rgba | Self::Bgra)
    }
}

impl fmt::Display for PixelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PixelFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        let name = match lower.as_str() {
            "gray8" | "grey" | "y8" => "gray",
            other => other,
        };
        ALL.iter()
            .copied()
            .find(|f| f.name() == name)
            .ok_or_else(|| Error::UnknownFormat { name: s.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &f in PixelFormat::all() {
            assert_eq!(f.name().parse::<PixelFormat>().unwrap(), f);
        }
        assert_eq!("GRAY8".parse::<PixelFormat>().unwrap(), PixelFormat::Gray8);
        assert!(matches!(
            "p010le".parse::<PixelFormat>(),
            Err(Error::UnknownFormat { .. })
        ));
    }

    #[test]
    fn plane_layout() {
        use PixelFormat::*;
        assert_eq!(Yuv420p.plane_size(1, 5, 3), (3, 2));
        assert_eq!(Yuv422p.plane_size(2, 5, 3), (3, 3));
        assert_eq!(Nv12.channels(1), 2);
        assert_eq!(Rgba.channels(0), 4);
        for &f in PixelFormat::all() {
            for i in 0..f.plane_count() {
                assert!(f.plane_kind(i).is_some(), "{f} plane {i}");
            }
            assert!(f.plane_kind(f.plane_count()).is_none());
        }
    }
}
