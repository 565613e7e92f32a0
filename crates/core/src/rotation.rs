//! Display orientation: the quarter turn a stream's display matrix asks
//! players to apply to the decoded picture (phones, and cameras mounted on
//! their side, record this way).
//!
//! Zones are drawn by operators on the picture they see, so their
//! coordinates are in the **displayed** orientation. Frames are masked in
//! the decoded (coded) orientation, with each zone mask turned back onto
//! it by [`Rotation::mask_to_coded`]; the output keeps the display matrix,
//! so it plays turned exactly as the input did. The convention is the
//! ffmpeg tool's (`autorotate`): what `ffmpeg -i` and ordinary players show.

use crate::{Span, SpanMask};

/// Clockwise quarter turns from the decoded picture to the displayed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Rotation {
    /// Shown as decoded.
    #[default]
    None,
    /// Turned 90° clockwise for display.
    Clockwise90,
    /// Turned upside down.
    Half,
    /// Turned 90° counter-clockwise (270° clockwise) for display.
    Clockwise270,
}

/// Why a display matrix cannot be honoured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsupportedMatrix {
    /// Not 9 × 32-bit values.
    Size(usize),
    /// It mirrors the picture.
    Mirrored,
    /// It turns the picture by an angle that is not a multiple of 90°.
    Angle(i64),
}

impl std::fmt::Display for UnsupportedMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Size(n) => write!(f, "a display matrix of {n} bytes (36 expected)"),
            Self::Mirrored => f.write_str("a mirroring display matrix"),
            Self::Angle(a) => write!(f, "a display rotation of {a}° (only quarter turns)"),
        }
    }
}

impl Rotation {
    /// Reads an FFmpeg display matrix (`AV_PKT_DATA_DISPLAYMATRIX`: nine
    /// native-endian 32-bit values, 16.16 fixed point) as the ffmpeg tool
    /// does: the angle of its first column, rounded to whole degrees.
    ///
    /// # Errors
    /// [`UnsupportedMatrix`] for a matrix that mirrors, turns by other than
    /// a quarter, or has the wrong size; masking cannot know which way the
    /// operator saw such a picture, so the caller refuses the file.
    pub fn from_display_matrix(bytes: &[u8]) -> Result<Self, UnsupportedMatrix> {
        if bytes.len() != 36 {
            return Err(UnsupportedMatrix::Size(bytes.len()));
        }
        let value = |i: usize| {
            let mut b = [0u8; 4];
            b.copy_from_slice(&bytes[4 * i..4 * i + 4]);
            f64::from(i32::from_ne_bytes(b))
        };
        let (a, b, c, d) = (value(0), value(1), value(3), value(4));
        let (scale0, scale1) = (a.hypot(c), b.hypot(d));
        if scale0 == 0.0 || scale1 == 0.0 {
            return Err(UnsupportedMatrix::Angle(0));
        }
        if a * d - b * c < 0.0 {
            return Err(UnsupportedMatrix::Mirrored);
        }
        let degrees = (b / scale1).atan2(a / scale0).to_degrees().round() as i64;
        match degrees.rem_euclid(360) {
            0 => Ok(Self::None),
            90 => Ok(Self::Clockwise90),
            180 => Ok(Self::Half),
            270 => Ok(Self::Clockwise270),
            _ => Err(UnsupportedMatrix::Angle(degrees)),
        }
    }

    /// Clockwise degrees: 0, 90, 180 or 270.
    #[must_use]
    pub const fn degrees(self) -> u32 {
        match self {
            Self::None => 0,
            Self::Clockwise90 => 90,
            Self::Half => 180,
            Self::Clockwise270 => 270,
        }
    }

    /// The displayed size of a `width × height` decoded picture.
    #[must_use]
    pub const fn display_size(self, width: u32, height: u32) -> (u32, u32) {
        match self {
            Self::None | Self::Half => (width, height),
            Self::Clockwise90 | Self::Clockwise270 => (height, width),
        }
    }

    /// Where decoded pixel `(x, y)` of a `width × height` picture is shown.
    #[must_use]
    pub const fn to_display(self, x: u32, y: u32, width: u32, height: u32) -> (u32, u32) {
        match self {
            Self::None => (x, y),
            Self::Clockwise90 => (height - 1 - y, x),
            Self::Half => (width - 1 - x, height - 1 - y),
            Self::Clockwise270 => (y, width - 1 - x),
        }
    }

    /// A mask drawn on the displayed picture, turned onto the decoded
    /// `width × height` one: decoded pixel `(x, y)` is masked exactly when
    /// the pixel it is shown as is. Pixel squares map onto pixel squares,
    /// so conservative coverage stays conservative.
    ///
    /// # Errors
    /// [`crate::Error`] when `display` is not the displayed size of a
    /// `width × height` picture.
    pub fn mask_to_coded(
        self,
        display: &SpanMask,
        width: u32,
        height: u32,
    ) -> crate::Result<SpanMask> {
        let (dw, dh) = self.display_size(width, height);
        if (display.width(), display.height()) != (dw, dh) {
            return Err(crate::Error::SizeMismatch {
                left_width: display.width(),
                left_height: display.height(),
                right_width: dw,
                right_height: dh,
            });
        }
        if self == Self::None {
            return Ok(display.clone());
        }
        let rows = (0..height).map(|y| {
            let mut spans: Vec<Span> = Vec::new();
            let mut open: Option<u32> = None;
            for x in 0..width {
                let (dx, dy) = self.to_display(x, y, width, height);
                match (display.contains(dx, dy), open) {
                    (true, None) => open = Some(x),
                    (false, Some(start)) => {
                        spans.push(Span { start, end: x });
                        open = None;
                    }
                    _ => {}
                }
            }
            if let Some(start) = open {
                spans.push(Span { start, end: width });
            }
            spans
        });
        SpanMask::from_rows(width, height, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rect;

    fn matrix(values: [i32; 9]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_ne_bytes()).collect()
    }

    #[test]
    fn reads_quarter_turns_as_the_ffmpeg_tool_does() {
        const ONE: i32 = 1 << 16;
        const W: i32 = 1 << 30;
        // `-metadata:s:v rotate=90` in FFmpeg 5.1 (ffprobe: rotation=90),
        // which `ffmpeg -i` shows turned counter-clockwise.
        let m = matrix([0, -ONE, 0, ONE, 0, 0, 0, 0, W]);
        assert_eq!(
            Rotation::from_display_matrix(&m),
            Ok(Rotation::Clockwise270)
        );
        let m = matrix([0, ONE, 0, -ONE, 0, 0, 0, 0, W]);
        assert_eq!(Rotation::from_display_matrix(&m), Ok(Rotation::Clockwise90));
        let m = matrix([-ONE, 0, 0, 0, -ONE, 0, 0, 0, W]);
        assert_eq!(Rotation::from_display_matrix(&m), Ok(Rotation::Half));
        let m = matrix([ONE, 0, 0, 0, ONE, 0, 0, 0, W]);
        assert_eq!(Rotation::from_display_matrix(&m), Ok(Rotation::None));
        let m = matrix([-ONE, 0, 0, 0, ONE, 0, 0, 0, W]);
        assert_eq!(
            Rotation::from_display_matrix(&m),
            Err(UnsupportedMatrix::Mirrored)
        );
        let m = matrix([46341, 46341, 0, -46341, 46341, 0, 0, 0, W]);
        assert!(matches!(
            Rotation::from_display_matrix(&m),
            Err(UnsupportedMatrix::Angle(_))
        ));
        assert_eq!(
            Rotation::from_display_matrix(&[0; 8]),
            Err(UnsupportedMatrix::Size(8))
        );
    }

    #[test]
    fn masks_turn_onto_the_decoded_picture() {
        // A 5 × 3 decoded picture shown 3 × 5; the displayed top row.
        let (w, h) = (5, 3);
        for rotation in [
            Rotation::None,
            Rotation::Clockwise90,
            Rotation::Half,
            Rotation::Clockwise270,
        ] {
            let (dw, dh) = rotation.display_size(w, h);
            let top = Rect {
                x0: 0,
                y0: 0,
                x1: dw,
                y1: 1,
            };
            let display = SpanMask::from_rect(dw, dh, top).unwrap();
            let coded = rotation.mask_to_coded(&display, w, h).unwrap();
            assert_eq!((coded.width(), coded.height()), (w, h));
            assert_eq!(coded.pixel_count(), u64::from(dw), "{rotation:?}");
            for y in 0..h {
                for x in 0..w {
                    let (dx, dy) = rotation.to_display(x, y, w, h);
                    assert!(dx < dw && dy < dh);
                    assert_eq!(coded.contains(x, y), dy == 0, "{rotation:?} ({x}, {y})");
                }
            }
        }
        // Clockwise 270: the decoded right column is the displayed top row.
        let display = SpanMask::from_rect(
            3,
            5,
            Rect {
                x0: 0,
                y0: 0,
                x1: 3,
                y1: 1,
            },
        )
        .unwrap();
        let coded = Rotation::Clockwise270
            .mask_to_coded(&display, 5, 3)
            .unwrap();
        assert!((0..3).all(|y| coded.contains(4, y) && !coded.contains(3, y)));
        assert!(Rotation::Clockwise90.mask_to_coded(&display, 3, 5).is_err());
    }
}
