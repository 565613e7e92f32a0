//! Frames as plain sample grids, and which samples of a plane each check
//! looks at.
//!
//! Encoders smear a few pixels across every sharp edge (transform ringing,
//! deblocking), and a mask edge is the sharpest edge a redacted frame has.
//! So every check skips a guard band of [`EDGE`] luma pixels (half that in
//! subsampled chroma) on both sides of every mask boundary: a sample is
//! *core* when its whole `(2e+1)²` window lies in one layer (or wholly
//! outside every mask). A band this narrow cannot hide a shifted zone: a
//! shift of a few percent of the frame leaves dozens of pixels of original
//! content inside the mask, far from its edge.

use sladd_core::frame::{Planes, Sample};
use sladd_core::{FrameMut, PixelFormat, Redaction, SpanMask, Style};

/// The guard band on each side of a mask edge, in luma pixels.
pub(crate) const EDGE: u32 = 4;

/// Label of a core sample outside every mask.
pub(crate) const OUTSIDE: u8 = 0;
/// Label of a sample in a guard band (no check looks at it).
pub(crate) const BAND: u8 = u8::MAX;

/// One plane's samples, widened to `u16`, `channels` per pixel.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) channels: usize,
    /// Bits per sample (8 or 10).
    pub(crate) depth: u32,
    pub(crate) data: Vec<u16>,
}

impl Grid {
    /// The sample of channel `c` of pixel `(x, y)`.
    #[inline]
    pub(crate) fn at(&self, x: usize, y: usize, c: usize) -> i32 {
        let i = (y * self.width + x) * self.channels + c;
        self.data.get(i).map_or(0, |&v| i32::from(v))
    }
}

/// The planes of `frame` as grids.
pub(crate) fn grids(frame: &FrameMut<'_>) -> Vec<Grid> {
    let format = frame.format();
    let depth = format.depth();
    let mut out = Vec::with_capacity(format.plane_count());
    match frame.planes() {
        Planes::U8(planes) => {
            for (i, plane) in planes.iter().enumerate() {
                if let Some(plane) = plane {
                    out.push(grid_of(
                        plane.rows(),
                        format,
                        i,
                        frame.width(),
                        frame.height(),
                        depth,
                    ));
                }
            }
        }
        Planes::U16(planes) => {
            for (i, plane) in planes.iter().enumerate() {
                if let Some(plane) = plane {
                    out.push(grid_of(
                        plane.rows(),
                        format,
                        i,
                        frame.width(),
                        frame.height(),
                        depth,
                    ));
                }
            }
        }
    }
    out
}

fn grid_of<'a, T: Sample>(
    rows: impl Iterator<Item = &'a [T]>,
    format: PixelFormat,
    plane: usize,
    width: u32,
    height: u32,
    depth: u32,
) -> Grid {
    let (w, h) = format.plane_size(plane, width, height);
    let channels = format.channels(plane);
    let mut data = Vec::with_capacity(w as usize * h as usize * channels);
    for row in rows {
        data.extend(row.iter().map(|v| v.to_u32() as u16));
    }
    Grid {
        width: w as usize,
        height: h as usize,
        channels,
        depth,
        data,
    }
}

/// Per plane, which layer each sample is the core of: [`OUTSIDE`], `k + 1`
/// for layer `k` of the redaction, or [`BAND`].
#[derive(Debug, Clone)]
pub(crate) struct Labels {
    /// The layers' styles and per-plane masks this was computed from.
    pub(crate) layers: Vec<(Style, Vec<SpanMask>)>,
    /// One label grid per plane, `width × height`.
    pub(crate) planes: Vec<Vec<u8>>,
    /// Per plane, `(width, height)`.
    pub(crate) sizes: Vec<(usize, usize)>,
}

/// The styles and per-plane masks of a redaction, to compare with a cached
/// [`Labels`].
pub(crate) fn layer_masks(redaction: &Redaction, planes: usize) -> Vec<(Style, Vec<SpanMask>)> {
    redaction
        .layers()
        .enumerate()
        .map(|(k, (style, _))| {
            let masks = (0..planes)
                .filter_map(|p| redaction.plane_mask(k, p).cloned())
                .collect();
            (style, masks)
        })
        .collect()
}

impl Labels {
    /// Labels for `layers` on planes of the given sizes; `shifts` are each
    /// plane's subsampling against luma.
    pub(crate) fn new(
        layers: Vec<(Style, Vec<SpanMask>)>,
        sizes: &[(usize, usize)],
        shifts: &[(u8, u8)],
    ) -> Self {
        let planes = sizes
            .iter()
            .zip(shifts)
            .enumerate()
            .map(|(p, (&(w, h), &(sx, sy)))| {
                let mut raw = vec![OUTSIDE; w * h];
                for (k, (_, masks)) in layers.iter().enumerate() {
                    let Some(mask) = masks.get(p) else { continue };
                    let label = u8::try_from(k + 1).unwrap_or(BAND - 1);
                    for (y, spans) in mask.rows().enumerate().take(h) {
                        for span in spans {
                            let (a, b) = (span.start as usize, (span.end as usize).min(w));
                            if let Some(row) = raw.get_mut(y * w + a..y * w + b.max(a)) {
                                row.fill(label);
                            }
                        }
                    }
                }
                let edge_x = (EDGE >> sx).max(1) as usize;
                let edge_y = (EDGE >> sy).max(1) as usize;
                core_only(&raw, w, h, edge_x, edge_y)
            })
            .collect();
        Self {
            layers,
            planes,
            sizes: sizes.to_vec(),
        }
    }
}

/// Marks [`BAND`] every sample whose `(2ex+1) × (2ey+1)` window (clipped
/// to the plane) holds more than one label.
fn core_only(raw: &[u8], w: usize, h: usize, ex: usize, ey: usize) -> Vec<u8> {
    // Horizontal pass: samples whose row window is uniform.
    let mut flat = vec![false; w * h];
    for y in 0..h {
        let row = raw.get(y * w..(y + 1) * w).unwrap_or_default();
        let mut start = 0;
        while start < w {
            let label = row.get(start).copied().unwrap_or(BAND);
            let mut end = start;
            while end < w && row.get(end) == Some(&label) {
                end += 1;
            }
            for x in start..end {
                let left_ok = x - start >= ex || start == 0;
                let right_ok = end - 1 - x >= ex || end == w;
                if let Some(f) = flat.get_mut(y * w + x) {
                    *f = left_ok && right_ok;
                }
            }
            start = end;
        }
    }
    // Vertical pass: uniform rows windows of the same label, `ey` up and down.
    let mut out = vec![BAND; w * h];
    let ok = |x: usize, y: usize, label: u8| {
        flat.get(y * w + x).copied().unwrap_or(false) && raw.get(y * w + x) == Some(&label)
    };
    for x in 0..w {
        for y in 0..h {
            let label = raw.get(y * w + x).copied().unwrap_or(BAND);
            let lo = y.saturating_sub(ey);
            let hi = (y + ey).min(h - 1);
            if (lo..=hi).all(|yy| ok(x, yy, label)) {
                if let Some(o) = out.get_mut(y * w + x) {
                    *o = label;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_surrounds_an_edge() {
        // 12 wide, 1 label-1 block at x 4..12 of every row.
        let (w, h) = (12, 9);
        let mut raw = vec![0u8; w * h];
        for y in 0..h {
            for x in 4..w {
                raw[y * w + x] = 1;
            }
        }
        let out = core_only(&raw, w, h, 2, 2);
        let row: Vec<u8> = out[4 * w..5 * w].to_vec();
        assert_eq!(row, [0, 0, BAND, BAND, BAND, BAND, 1, 1, 1, 1, 1, 1]);
        // Plane borders are not edges.
        assert_eq!(out[0], 0);
        assert_eq!(out[w - 1], 1);
    }
}
