//! Exact conservative scanline rasterization of regions into span masks.
//!
//! Pixel `(i, j)` of a `W×H` frame is the square `[i, i+1] × [j, j+1]` of
//! pixel space (normalized coordinates scaled by `(W, H)`). Each polygon is
//! filled with the nonzero rule; a [`Region`] is the union of its polygons
//! (each is rasterized on its own, so an inner polygon of opposite
//! orientation never punches a hole).
//!
//! # Exactness
//!
//! Vertices are snapped to 1/[`SUBPIXEL`] pixel (round to nearest, so by
//! at most half that); everything after that is exact integer arithmetic.
//! For the snapped polygon:
//!
//! - [`Coverage::Conservative`] masks a pixel **iff** the polygon's
//!   interior (points of nonzero winding) overlaps the pixel's open square.
//! - [`Coverage::Inner`] masks a pixel iff no edge crosses its open square
//!   and its centre has nonzero winding: the pixel lies wholly inside.
//!   Pixels wholly inside but crossed by an internal edge (a
//!   self-intersection, an edge shared by two polygons of the region) are
//!   left out, which is the safe side for carve-outs.
//!
//! Against the unsnapped polygon the result can differ only for pixels it
//! overlaps, or misses, by less than 1/512 pixel.
//!
//! ```
//! use sladd_core::{Coverage, Polygon, Region, Span};
//!
//! // Columns 1.25..3, rows 1..3 of a 4×4 frame.
//! let zone = Polygon::from_pixels([[1.25, 1.0], [3.0, 1.0], [3.0, 3.0], [1.25, 3.0]], [4, 4])?;
//! let region = Region::single(zone);
//! // Column 1 is partly covered: masked, but not wholly inside.
//! let mask = region.rasterize(4, 4, Coverage::Conservative)?;
//! assert_eq!(mask.row(1), &[Span::new(1, 3)]);
//! assert!(mask.row(0).is_empty() && mask.row(3).is_empty());
//! let inner = region.rasterize(4, 4, Coverage::Inner)?;
//! assert_eq!(inner.row(1), &[Span::new(2, 3)]);
//! # Ok::<(), sladd_core::Error>(())
//! ```
//!
//! # Algorithm
//!
//! Edges are built in fixed point (modules `fixed`, `build`): snapped, those
//! that cannot matter dropped (wholly above, below or right of the frame;
//! edges left of it still count in the winding), and collinear overlapping
//! edges merged so that an outline running out and back along one line
//! (winding zero on both sides) marks nothing. Then, per pixel row `r`
//! (the open strip `r < y < r+1`), with the edges that meet it kept in an
//! active list (module `scan`, each edge's x stepped by an exact integer
//! DDA in `active`, rows written in order by `rows`):
//!
//! 1. Every active edge, clipped to the open strip, runs over an x-range
//!    `[xa, xb]`; it crosses the open squares of columns
//!    `floor(xa) ..= ceil(xb) - 1` (none for a vertical edge on a pixel
//!    boundary; an edge touching the strip only at `y = r` or `y = r+1`
//!    is not active). Such a pixel overlaps the interior: at all but
//!    finitely many points of the edge the winding on its two sides
//!    differs by the edge's net winding, which is nonzero, so one side is
//!    nonzero, and both sides reach into the open square.
//! 2. A pixel crossed by no edge lies within one face of the outline, so
//!    its winding is constant and equals the winding at its centre. That
//!    is counted along the centre line `y = r + 1/2` (exactly representable
//!    in fixed point) over the edges crossing it, half-open in y so that a
//!    vertex on the line counts once. For an uncrossed column `c` each such
//!    edge lies wholly left (`c >= ceil(xb)`) or wholly right of the
//!    pixel, so only the order matters and no intersection is computed.
//!
//! Floors and ceilings of the rational x-ranges are taken exactly in
//! `i64`. Per-row work is proportional to the active edges, with no
//! allocation per row once the scratch buffers have grown.

mod active;
mod build;
mod edge;
mod fixed;
mod rows;
mod scan;

use crate::error::Result;
use crate::geometry::{Polygon, Region};
use crate::mask::{check_size, SpanMask};
use rows::RowWriter;
use scan::{PolygonScan, Scratch};

/// Vertices are snapped to multiples of `1 / SUBPIXEL` pixel before
/// rasterizing; coverage is exact for the snapped outline.
pub const SUBPIXEL: u32 = 1 << fixed::FRAC_BITS;

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

/// The pixels of a `width × height` frame that `region` covers (see the
/// module docs for the exact rule).
///
/// # Errors
/// [`crate::Error::BadFrameSize`] for a zero or oversized frame.
pub fn rasterize(region: &Region, width: u32, height: u32, coverage: Coverage) -> Result<SpanMask> {
    rasterize_polygons(region.polygons(), width, height, coverage)
}

/// The pixels of a `width × height` frame that one `polygon` covers; the
/// same as rasterizing a region of that polygon alone.
///
/// # Errors
/// [`crate::Error::BadFrameSize`] for a zero or oversized frame.
pub fn rasterize_polygon(
    polygon: &Polygon,
    width: u32,
    height: u32,
    coverage: Coverage,
) -> Result<SpanMask> {
    rasterize_polygons(std::slice::from_ref(polygon), width, height, coverage)
}

fn rasterize_polygons(
    polygons: &[Polygon],
    width: u32,
    height: u32,
    coverage: Coverage,
) -> Result<SpanMask> {
    check_size(width, height)?;
    let mut scans: Vec<PolygonScan> = polygons
        .iter()
        .map(|p| PolygonScan::new(p, width, height))
        .collect();
    let first = scans.iter().map(|s| s.rows().0).min().unwrap_or(0);
    let end = scans.iter().map(|s| s.rows().1).max().unwrap_or(0);
    // One span per row and polygon is typical (convex zones); more grow.
    let rows = end.saturating_sub(first) as usize;
    let mut out = RowWriter::new(width, height, rows.saturating_mul(scans.len()));
    let mut scratch = Scratch::default();
    out.skip_to(first);
    for row in first..end {
        for scan in &mut scans {
            scan.scan_row(row, coverage, &mut scratch, &mut out);
        }
        out.end_row();
    }
    Ok(out.finish())
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

impl Polygon {
    /// The pixels of a `width × height` frame this polygon covers; see
    /// [`rasterize_polygon`].
    ///
    /// # Errors
    /// As [`rasterize`].
    pub fn rasterize(&self, width: u32, height: u32, coverage: Coverage) -> Result<SpanMask> {
        rasterize_polygon(self, width, height, coverage)
    }
}
