//! How a masked region is redacted: fill, pixelate or blur.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// An sRGB colour, the one way a fill colour is stated whatever the frame's
/// format: sladd converts it to the frame's range, matrix and depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rgb {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

impl Rgb {
    /// Black, the default fill.
    pub const BLACK: Rgb = Rgb { r: 0, g: 0, b: 0 };

    /// The colour `(r, g, b)`.
    #[must_use]
    pub const fn new(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b }
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

impl FromStr for Rgb {
    type Err = Error;

    /// Parses `#rrggbb` or `rrggbb`, or one of `black`, `white`, `gray`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::BadStyle {
            reason: format!("'{s}' is not a colour (use #rrggbb)"),
        };
        match s.to_ascii_lowercase().as_str() {
            "black" => return Ok(Self::BLACK),
            "white" => return Ok(Self::new(255, 255, 255)),
            "gray" | "grey" => return Ok(Self::new(128, 128, 128)),
            _ => {}
        }
        let hex = s.strip_prefix('#').unwrap_or(s);
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let byte =
            |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or(""), 16).map_err(|_| bad());
        Ok(Self::new(byte(0)?, byte(2)?, byte(4)?))
    }
}

/// How a masked region is redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// Every masked pixel becomes this colour. Irreversible.
    Fill(Rgb),
    /// Blocks of `block × block` luma pixels, on a grid anchored to the
    /// frame's top-left corner, each showing the mean of its pixels.
    Pixelate {
        /// Block side in luma pixels (≥ 2).
        block: u32,
    },
    /// A Gaussian-like blur (three box passes) of the given radius in luma
    /// pixels; cost does not depend on the radius. Radii of 6 and more are
    /// computed at reduced resolution (averaged down by a power of two near
    /// `radius / 3`, blurred, interpolated back up bilinearly); a masked
    /// pixel's result depends on the plane within about `3·radius + radius / 2`
    /// of it.
    Blur {
        /// Radius of each box pass in luma pixels (≥ 1).
        radius: u32,
    },
}

impl Style {
    /// The default pixelation block, in luma pixels.
    pub const DEFAULT_BLOCK: u32 = 24;
    /// The default blur radius, in luma pixels.
    pub const DEFAULT_RADIUS: u32 = 24;
    /// The largest block or radius accepted.
    pub const MAX_PARAMETER: u32 = 1024;

    /// A black fill.
    #[must_use]
    pub const fn fill() -> Self {
        Self::Fill(Rgb::BLACK)
    }

    /// Pixelation with the default block.
    #[must_use]
    pub const fn pixelate() -> Self {
        Self::Pixelate {
            block: Self::DEFAULT_BLOCK,
        }
    }

    /// A blur with the default radius.
    #[must_use]
    pub const fn blur() -> Self {
        Self::Blur {
            radius: Self::DEFAULT_RADIUS,
        }
    }

    /// The style's name: `fill`, `pixelate` or `blur`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Fill(_) => "fill",
            Self::Pixelate { .. } => "pixelate",
            Self::Blur { .. } => "blur",
        }
    }

    /// How strongly the style hides content, for choosing among
    /// overlapping zones: fill (2) hides more than pixelate (1), which hides
    /// more than blur (0).
    #[must_use]
    pub const fn strength(&self) -> u8 {
        match self {
            Self::Fill(_) => 2,
            Self::Pixelate { .. } => 1,
            Self::Blur { .. } => 0,
        }
    }

    /// Checks the style's parameters.
    ///
    /// # Errors
    /// [`Error::BadStyle`] for a block below 2, a radius of 0, or either
    /// above [`Style::MAX_PARAMETER`].
    pub fn validate(&self) -> Result<()> {
        let reason = match *self {
            Self::Pixelate { block } if !(2..=Self::MAX_PARAMETER).contains(&block) => {
                format!(
                    "pixelate block {block} is outside 2..={}",
                    Self::MAX_PARAMETER
                )
            }
            Self::Blur { radius } if !(1..=Self::MAX_PARAMETER).contains(&radius) => {
                format!(
                    "blur radius {radius} is outside 1..={}",
                    Self::MAX_PARAMETER
                )
            }
            _ => return Ok(()),
        };
        Err(Error::BadStyle { reason })
    }
}

impl Default for Style {
    fn default() -> Self {
        Self::fill()
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fill(c) => write!(f, "fill:{c}"),
            Self::Pixelate { block } => write!(f, "pixelate:{block}"),
            Self::Blur { radius } => write!(f, "blur:{radius}"),
        }
    }
}

impl FromStr for Style {
    type Err = Error;

    /// Parses `fill`, `fill:#rrggbb`, `pixelate`, `pixelate:BLOCK`, `blur`
    /// or `blur:RADIUS`.
    fn from_str(s: &str) -> Result<Self> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let number = |a: &str| {
            a.parse::<u32>().map_err(|_| Error::BadStyle {
                reason: format!("'{a}' is not a whole number"),
            })
        };
        let style = match (name.to_ascii_lowercase().as_str(), arg) {
            ("fill", None) => Self::fill(),
            ("fill", Some(c)) => Self::Fill(c.parse()?),
            ("pixelate", None) => Self::pixelate(),
            ("pixelate", Some(b)) => Self::Pixelate { block: number(b)? },
            ("blur", None) => Self::blur(),
            ("blur", Some(r)) => Self::Blur { radius: number(r)? },
            _ => {
                return Err(Error::BadStyle {
                    reason: format!("unknown style '{s}' (fill, pixelate or blur)"),
                })
            }
        };
        style.validate()?;
        Ok(style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_parse_and_print() {
        for s in ["fill:#000000", "fill:#ff8000", "pixelate:24", "blur:7"] {
            assert_eq!(s.parse::<Style>().unwrap().to_string(), s);
        }
        assert_eq!("blur".parse::<Style>().unwrap(), Style::blur());
        assert!("pixelate:1".parse::<Style>().is_err());
        assert!("blur:0".parse::<Style>().is_err());
        assert!("smear".parse::<Style>().is_err());
        assert!("fill:#12345".parse::<Style>().is_err());
    }
}
