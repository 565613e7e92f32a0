//! Redacts a polygon of a PNG image.
//!
//! ```text
//! cargo run --example redact_png -- IN.png OUT.png [STYLE] [POLYGON]
//! ```
//!
//! `STYLE` is `fill`, `fill:#rrggbb`, `pixelate`, `pixelate:BLOCK`, `blur`
//! or `blur:RADIUS` (default `blur`). `POLYGON` is a list of normalized
//! `x,y` vertices (0..1 of width and height) separated by spaces, e.g.
//! `"0.1,0.1 0.6,0.2 0.4,0.5 0.7,0.9 0.1,0.8"`; without it, a concave
//! default zone is used. The output is written under a temporary name and
//! renamed when complete; the input is never modified.

use std::error::Error;
use std::path::{Path, PathBuf};

use sladd::core::{
    rasterize, Coverage, FrameMut, PixelFormat, Polygon, Redaction, Redactor, Region, Style,
};

const DEFAULT_POLYGON: &str = "0.10,0.25 0.60,0.20 0.90,0.50 0.60,0.80 0.10,0.75 0.35,0.50";

fn parse_polygon(text: &str) -> Result<Polygon, Box<dyn Error>> {
    let mut points = Vec::new();
    for pair in text.split_whitespace() {
        let (x, y) = pair
            .split_once(',')
            .ok_or_else(|| format!("vertex '{pair}' is not x,y"))?;
        points.push([x.trim().parse::<f64>()?, y.trim().parse::<f64>()?]);
    }
    Ok(Polygon::normalized(points)?)
}

fn run(input: &Path, output: &Path, style: Style, polygon: Polygon) -> Result<(), Box<dyn Error>> {
    let image = image::open(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let region = Region::single(polygon);
    let mut redactor = Redactor::new();
    let tmp = PathBuf::from(format!("{}.partial.png", output.display()));
    let (width, height) = (image.width(), image.height());
    let mask = rasterize(&region, width, height, Coverage::Conservative)?;
    if image.color().has_alpha() {
        let mut rgba = image.to_rgba8();
        let redaction = Redaction::new(PixelFormat::Rgba, width, height, [(style, mask)])?;
        redactor.apply(&mut FrameMut::from_rgba_image(&mut rgba)?, &redaction)?;
        rgba.save_with_format(&tmp, image::ImageFormat::Png)?;
    } else {
        let mut rgb = image.to_rgb8();
        let redaction = Redaction::new(PixelFormat::Rgb24, width, height, [(style, mask)])?;
        redactor.apply(&mut FrameMut::from_rgb_image(&mut rgb)?, &redaction)?;
        rgb.save_with_format(&tmp, image::ImageFormat::Png)?;
    }
    std::fs::rename(&tmp, output)?;
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args.len() > 4 {
        eprintln!("usage: redact_png IN.png OUT.png [STYLE] [POLYGON]");
        std::process::exit(2);
    }
    let result = (|| -> Result<(), Box<dyn Error>> {
        let style: Style = args.get(2).map_or(Ok(Style::blur()), |s| s.parse())?;
        let polygon = parse_polygon(args.get(3).map_or(DEFAULT_POLYGON, String::as_str))?;
        run(Path::new(&args[0]), Path::new(&args[1]), style, polygon)
    })();
    if let Err(e) = result {
        eprintln!("redact_png: {e}");
        std::process::exit(1);
    }
}
