//! Conservative scanline rasterization of regions into span masks.
//!
//! (Being written: see the core issue. The signatures below are the contract.)

use crate::error::Result;
use crate::geometry::Region;
use crate::mask::SpanMask;

/// Which pixels count as covered by a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coverage {
    /// A pixel is covered when its square overlaps the region's interior at
    /// all: what masking uses, so that privacy errs toward masking.
    Conservative,
    /// A pixel is covered only when its square lies wholly inside the
    /// region: what carve-outs (`objects`) use.
    Inner,
}

/// The pixels of a `width × height` frame that `region` covers.
///
/// # Errors
/// [`crate::Error::BadFrameSize`] for a zero or oversized frame.
pub fn rasterize(region: &Region, width: u32, height: u32, coverage: Coverage) -> Result<SpanMask> {
    let _ = (region, coverage);
    crate::mask::check_size(width, height)?;
    unimplemented!("rasterizer lands with the core issue")
}

impl Region {
    /// The pixels of a `width × height` frame this region covers; see
    /// [`rasterize`].
    ///
    /// # Errors
    /// As [`rasterize`].
    pub fn rasterize(&self, width: u32, height: u32, coverage: Coverage) -> Result<SpanMask> {
        rasterize(self, width, height, coverage)
    }
}
