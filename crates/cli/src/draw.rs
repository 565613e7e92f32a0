//! Drawing on RGB images for `sladd preview`: polygon outlines, labels with
//! an embedded 8×8 bitmap font, and a legend box.

use font8x8::UnicodeFonts;
use image::{Rgb, RgbImage};

/// Colour of a masked zone's outline and label.
pub(crate) const MASKED: Rgb<u8> = Rgb([235, 40, 40]);
/// Colour of a shown zone's outline and label.
pub(crate) const SHOWN: Rgb<u8> = Rgb([40, 200, 70]);
/// Colour of an OBJECT_ONLY carve-out's outline.
pub(crate) const CARVED: Rgb<u8> = Rgb([250, 210, 20]);
/// Label and legend text.
pub(crate) const TEXT: Rgb<u8> = Rgb([255, 255, 255]);
/// Label and legend background.
pub(crate) const PANEL: Rgb<u8> = Rgb([20, 20, 20]);

/// Sets pixel `(x, y)` when it lies inside the image.
fn put(img: &mut RgbImage, x: i64, y: i64, colour: Rgb<u8>) {
    if x >= 0 && y >= 0 && x < i64::from(img.width()) && y < i64::from(img.height()) {
        img.put_pixel(x as u32, y as u32, colour);
    }
}

/// Draws a square dot of side `thickness` centred on `(x, y)`.
fn dot(img: &mut RgbImage, x: i64, y: i64, thickness: u32, colour: Rgb<u8>) {
    let t = i64::from(thickness.max(1));
    let lo = -(t - 1) / 2;
    for dy in lo..lo + t {
        for dx in lo..lo + t {
            put(img, x + dx, y + dy, colour);
        }
    }
}

/// Draws the segment from `a` to `b` (pixel coordinates) with Bresenham's
/// algorithm; with `dash > 0`, only every other run of `dash` pixels.
fn segment(
    img: &mut RgbImage,
    a: (f64, f64),
    b: (f64, f64),
    thickness: u32,
    dash: u32,
    colour: Rgb<u8>,
) {
    // Coordinates are clamped far outside any image so the walk stays short.
    let clamp = |v: f64| v.round().clamp(-65_536.0, 65_536.0) as i64;
    let (mut x0, mut y0, x1, y1) = (clamp(a.0), clamp(a.1), clamp(b.0), clamp(b.1));
    let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
    let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
    let mut err = dx + dy;
    let mut step: u32 = 0;
    loop {
        if dash == 0 || (step / dash).is_multiple_of(2) {
            dot(img, x0, y0, thickness, colour);
        }
        step = step.wrapping_add(1);
        if x0 == x1 && y0 == y1 {
            break;
        }
        let e2 = 2 * err;
        if e2 >= dy {
            err += dy;
            x0 += sx;
        }
        if e2 <= dx {
            err += dx;
            y0 += sy;
        }
    }
}

/// Outlines the closed polygon `points` (pixel coordinates, corners of the
/// frame at 0 and width/height) with lines `thickness` pixels wide; dashed
/// when `dashed`.
pub(crate) fn outline(
    img: &mut RgbImage,
    points: &[(f64, f64)],
    thickness: u32,
    dashed: bool,
    colour: Rgb<u8>,
) {
    let dash = if dashed { 6 } else { 0 };
    // A vertex at the frame's right or bottom edge (x = width) is drawn on
    // the last pixel column or row, so the outline stays visible.
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let inside = |(x, y): (f64, f64)| (x.min(w - 1.0), y.min(h - 1.0));
    for (i, &a) in points.iter().enumerate() {
        let b = points[(i + 1) % points.len()];
        segment(img, inside(a), inside(b), thickness, dash, colour);
    }
}

/// The size in pixels of `text` drawn at `scale`.
#[must_use]
pub(crate) fn text_size(text: &str, scale: u32) -> (u32, u32) {
    let chars = text.chars().count() as u32;
    (chars * 8 * scale, 8 * scale)
}

/// Draws `text` with its top-left corner at `(x, y)`, each font pixel a
/// `scale × scale` square; characters the font lacks are drawn as `?`.
pub(crate) fn text(img: &mut RgbImage, x: i64, y: i64, text: &str, scale: u32, colour: Rgb<u8>) {
    let scale = i64::from(scale.max(1));
    for (i, ch) in text.chars().enumerate() {
        let glyph = font8x8::BASIC_FONTS
            .get(ch)
            .or_else(|| font8x8::LATIN_FONTS.get(ch))
            .or_else(|| font8x8::BASIC_FONTS.get('?'))
            .unwrap_or([0; 8]);
        let left = x + i as i64 * 8 * scale;
        for (row, bits) in glyph.iter().enumerate() {
            for col in 0..8 {
                if bits & (1 << col) != 0 {
                    for sy in 0..scale {
                        for sx in 0..scale {
                            put(
                                img,
                                left + col * scale + sx,
                                y + row as i64 * scale + sy,
                                colour,
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Fills the rectangle `x0..x1 × y0..y1`, clipped to the image.
pub(crate) fn fill_rect(img: &mut RgbImage, x0: i64, y0: i64, x1: i64, y1: i64, colour: Rgb<u8>) {
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    for y in y0.max(0)..y1.min(h) {
        for x in x0.max(0)..x1.min(w) {
            img.put_pixel(x as u32, y as u32, colour);
        }
    }
}

/// Draws `label` on a dark panel with a coloured bar on its left, its
/// top-left corner at `(x, y)` moved inside the image where needed.
pub(crate) fn label(img: &mut RgbImage, x: i64, y: i64, label: &str, scale: u32, accent: Rgb<u8>) {
    let (tw, th) = text_size(label, scale);
    let pad = i64::from(2 * scale);
    let (bw, bh) = (i64::from(tw) + 3 * pad, i64::from(th) + 2 * pad);
    let x = x.clamp(0, (i64::from(img.width()) - bw).max(0));
    let y = y.clamp(0, (i64::from(img.height()) - bh).max(0));
    fill_rect(img, x, y, x + bw, y + bh, PANEL);
    fill_rect(img, x, y, x + pad, y + bh, accent);
    text(img, x + 2 * pad, y + pad, label, scale, TEXT);
}

/// Draws a legend panel of `lines` in the bottom-left corner.
pub(crate) fn legend(img: &mut RgbImage, lines: &[(String, Rgb<u8>)], scale: u32) {
    let pad = i64::from(3 * scale);
    let line_h = i64::from(10 * scale);
    let widest = lines
        .iter()
        .map(|(l, _)| text_size(l, scale).0)
        .max()
        .unwrap_or(0);
    let bw = i64::from(widest) + 2 * pad;
    let bh = line_h * lines.len() as i64 + 2 * pad;
    let y0 = (i64::from(img.height()) - bh).max(0);
    fill_rect(img, 0, y0, bw, y0 + bh, PANEL);
    for (i, (line, colour)) in lines.iter().enumerate() {
        text(img, pad, y0 + pad + i as i64 * line_h, line, scale, *colour);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_marks_the_edges_and_not_the_inside() {
        let mut img = RgbImage::new(40, 30);
        outline(
            &mut img,
            &[(5.0, 5.0), (30.0, 5.0), (30.0, 20.0), (5.0, 20.0)],
            1,
            false,
            MASKED,
        );
        assert_eq!(*img.get_pixel(5, 5), MASKED);
        assert_eq!(*img.get_pixel(17, 5), MASKED);
        assert_eq!(*img.get_pixel(30, 12), MASKED);
        assert_eq!(*img.get_pixel(17, 12), Rgb([0, 0, 0]));
    }

    #[test]
    fn text_draws_glyph_pixels_and_clips() {
        let mut img = RgbImage::new(20, 10);
        text(&mut img, 0, 0, "Å", 1, TEXT);
        assert!(img.pixels().any(|p| *p == TEXT));
        // Far outside: nothing drawn, no panic.
        let mut img2 = RgbImage::new(4, 4);
        text(&mut img2, -100, 500, "abc", 3, TEXT);
        label(&mut img2, 1000, 1000, "a long label", 2, SHOWN);
        assert_eq!(text_size("ab", 2), (32, 16));
    }

    #[test]
    fn outline_on_the_far_edge_stays_visible() {
        let mut img = RgbImage::new(10, 10);
        outline(
            &mut img,
            &[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)],
            1,
            false,
            SHOWN,
        );
        assert_eq!(*img.get_pixel(9, 5), SHOWN);
        assert_eq!(*img.get_pixel(5, 9), SHOWN);
    }
}
