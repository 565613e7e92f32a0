//! `sladd preview`: the PNG's size, the masked zone at the fill colour, the
//! outlines in their colours, the till kept, and the decision of `plan`.

use std::path::Path;

use image::RgbImage;
use serde_json::Value;

use super::support::*;

const NOON: &str = "2026-11-24T12:00:00+01:00";
/// Tuesday 03:00 in Oslo: outside the opening hours (mon-fri 07:00-23:00).
const NIGHT: &str = "2026-11-24T03:00:00+01:00";

const MASKED_RED: [u8; 3] = [235, 40, 40];
const SHOWN_GREEN: [u8; 3] = [40, 200, 70];

fn load(path: &Path) -> RgbImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8()
}

fn grey_preview(dir: &Path, at: &str, name: &str) -> RgbImage {
    let out = Sladd::new(dir, "preview")
        .args(["--size", "320x180", "--at", at])
        .site(site())
        .camera("kasse-1")
        .output(name)
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    load(&dir.join(name))
}

fn plan(dir: &Path, at: &str) -> Value {
    plan_json(dir, at)
}

/// Pixels with `colour` in a `w`-wide band around the vertical line `x`
/// between rows `y0..y1`.
/// The pixel at `(x, y)` of the 320×180 frame, in a preview drawn scaled
/// up (a small frame is, so that its labels fit).
fn at(img: &RgbImage, x: u32, y: u32) -> [u8; 3] {
    let k = img.width() / 320;
    img.get_pixel(k * x, k * y).0
}

fn outline_hits(img: &RgbImage, x: u32, y0: u32, y1: u32, colour: [u8; 3]) -> usize {
    let k = img.width() / 320;
    let (x, y0, y1) = (k * x, k * y0, k * y1);
    (y0..y1)
        .flat_map(|y| (x.saturating_sub(3)..x + 4).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0 == colour)
        .count()
}

/// Interior points of "Bak kassen" at 320×180 (x 32–134, y 63–171) away
/// from its outline, its label (top) and the legend (bottom), off the grey
/// grid (every 20 px), and outside the till (x 64–96, y 99–126).
const ZONE_POINTS: [(u32, u32); 4] = [(45, 90), (125, 95), (45, 125), (115, 133)];
/// Inside the till.
const TILL_POINTS: [(u32, u32); 2] = [(75, 107), (86, 115)];

#[test]
fn preview_at_noon_fills_the_zone_keeps_the_till_and_colours_the_outlines() {
    let dir = tempfile::tempdir().unwrap();
    let img = grey_preview(dir.path(), NOON, "noon.png");
    // Drawn scaled up 2x, so that the labels and the legend fit.
    assert_eq!(img.dimensions(), (640, 360));
    let decision = plan(dir.path(), NOON);
    assert_eq!(decision["zones"][0]["masked"], true);
    for (x, y) in ZONE_POINTS {
        assert_eq!(at(&img, x, y), [0, 0, 0], "({x}, {y})");
    }
    for (x, y) in TILL_POINTS {
        assert_eq!(at(&img, x, y), [128, 128, 128], "till ({x}, {y})");
    }
    // Public "Pumpene" (x from 144) keeps the grey frame.
    assert_eq!(at(&img, 205, 95), [128, 128, 128]);
    // The masked zone's left edge (x = 32) is red, the shown zone's (x = 144) green.
    assert!(outline_hits(&img, 32, 85, 135, MASKED_RED) >= 40);
    assert!(outline_hits(&img, 144, 20, 100, SHOWN_GREEN) >= 60);
    assert_eq!(outline_hits(&img, 32, 85, 135, SHOWN_GREEN), 0);
    // No temporary PNG left.
    assert_eq!(names(dir.path()), ["noon.png"]);
}

#[test]
fn preview_at_night_shows_what_plan_decides() {
    let dir = tempfile::tempdir().unwrap();
    let img = grey_preview(dir.path(), NIGHT, "night.png");
    let decision = plan(dir.path(), NIGHT);
    // Staff are present only during opening hours, so at 03:00 the
    // restricted zone is shown [R-STAFF-ABSENT]; burglary is active then and
    // the frame does not go dark.
    assert_eq!(decision["full_frame"], false);
    let zone = &decision["zones"][0];
    assert_eq!(zone["name"], "Bak kassen");
    let expected = if zone["masked"] == true {
        [0, 0, 0]
    } else {
        [128, 128, 128]
    };
    for (x, y) in ZONE_POINTS {
        assert_eq!(at(&img, x, y), expected, "({x}, {y}) with {zone}");
    }
    let (edge, other) = if zone["masked"] == true {
        (MASKED_RED, SHOWN_GREEN)
    } else {
        (SHOWN_GREEN, MASKED_RED)
    };
    assert!(outline_hits(&img, 32, 85, 135, edge) >= 40);
    assert_eq!(outline_hits(&img, 32, 85, 135, other), 0);
    // And the noon preview differs from it where the decision differs.
    let noon = grey_preview(dir.path(), NOON, "noon.png");
    assert_ne!(at(&noon, 45, 90), at(&img, 45, 90));
}

#[test]
fn preview_of_kiosk_masks_in_the_video_frame() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = clip("kiosk.mp4");
    let out = Sladd::new(dir.path(), "preview")
        .arg(s(&kiosk))
        .site(site())
        .camera("kasse-1")
        .output("p.png")
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    let img = load(&dir.path().join("p.png"));
    assert_eq!(img.dimensions(), (640, 360));
    let original = rgb_frames(&kiosk, 640, 360);
    let first = &original[0];
    // Recorded Tuesday 10:30: "Bak kassen" (x 64–269, y 126–342) is filled
    // black except the till (x 128–192, y 198–252), which keeps the picture.
    for (x, y) in [(90, 170), (250, 170), (110, 185), (240, 195)] {
        let p = img.get_pixel(x, y).0;
        assert!(p.iter().all(|&c| c <= 6), "({x}, {y}): {p:?}");
        let o = px(first, 640, x as usize, y as usize);
        assert!(
            o.iter().any(|&c| c > 60),
            "({x}, {y}) was dark already: {o:?}"
        );
    }
    let till: Vec<[u8; 3]> = [(150, 215), (175, 235)]
        .iter()
        .map(|&(x, y)| img.get_pixel(x, y).0)
        .collect();
    assert!(till.iter().all(|p| p.iter().any(|&c| c > 60)), "{till:?}");
    // The public zone matches the decoded input frame.
    for (x, y) in [(330, 100), (450, 150), (600, 60)] {
        let (p, o) = (
            img.get_pixel(x, y).0,
            px(first, 640, x as usize, y as usize),
        );
        let diff: u32 = p
            .iter()
            .zip(o)
            .map(|(&a, b)| u32::from(a.abs_diff(b)))
            .sum();
        assert!(diff <= 24, "({x}, {y}): {p:?} vs {o:?}");
    }

    // Started at 03:00 the zone is shown as plan says.
    let out = Sladd::new(dir.path(), "preview")
        .arg(s(&kiosk))
        .site(site())
        .camera("kasse-1")
        .args(["--start", NIGHT, "--time", "1"])
        .output("night.png")
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    let night = load(&dir.path().join("night.png"));
    let shown = plan(dir.path(), "2026-11-24T03:00:01+01:00")["zones"][0]["masked"] == false;
    assert!(shown);
    for (x, y) in [(90, 170), (250, 170)] {
        let (p, o) = (
            night.get_pixel(x, y).0,
            px(&original[25], 640, x as usize, y as usize),
        );
        let diff: u32 = p
            .iter()
            .zip(o)
            .map(|(&a, b)| u32::from(a.abs_diff(b)))
            .sum();
        assert!(diff <= 24, "({x}, {y}): {p:?} vs {o:?}");
    }
}

#[test]
fn preview_of_a_bad_input_exits_3_and_an_unwritable_png_4() {
    let dir = tempfile::tempdir().unwrap();
    let out = Sladd::new(dir.path(), "preview")
        .arg(s(&clip("not_video.mp4")))
        .site(site())
        .camera("kasse-1")
        .output("p.png")
        .run();
    assert_eq!(code(&out), 3, "{}", err(&out));
    std::fs::write(dir.path().join("file.txt"), b"x").unwrap();
    let out = Sladd::new(dir.path(), "preview")
        .args(["--size", "64x36"])
        .site(site())
        .camera("kasse-1")
        .output("file.txt/p.png")
        .run();
    assert_eq!(code(&out), 4, "{}", err(&out));
    assert_eq!(names(dir.path()), ["file.txt"]);
}

/// Regression: `preview VIDEO -o VIDEO` replaced the video with a PNG.
#[test]
fn preview_onto_its_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("k.mp4");
    std::fs::copy(clip("kiosk.mp4"), &input).unwrap();
    let before = sha256(&input);
    for output in ["k.mp4", "./k.mp4"] {
        let out = Sladd::new(dir.path(), "preview")
            .arg("k.mp4")
            .site(site())
            .camera("kasse-1")
            .output(output)
            .run();
        assert_eq!(code(&out), 2, "{}", err(&out));
        assert!(err(&out).contains("is the input file"), "{}", err(&out));
        assert_eq!(sha256(&input), before);
        assert_eq!(names(dir.path()), ["k.mp4"]);
    }
}

/// Regression: `--time NaN` and `--time inf` were taken.
#[test]
fn preview_time_must_be_seconds_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = clip("kiosk.mp4");
    for t in ["NaN", "inf", "--time=-1", "soon"] {
        let time = if t.starts_with("--") {
            t.to_owned()
        } else {
            format!("--time={t}")
        };
        let out = Sladd::new(dir.path(), "preview")
            .arg(s(&kiosk))
            .site(site())
            .camera("kasse-1")
            .arg(&time)
            .output("p.png")
            .run();
        assert_eq!(code(&out), 2, "{t}: {}", err(&out));
        assert!(names(dir.path()).is_empty());
    }
    // Past the end: the last frame, and stderr says which.
    let out = Sladd::new(dir.path(), "preview")
        .arg(s(&kiosk))
        .site(site())
        .camera("kasse-1")
        .args(["--time", "100"])
        .output("p.png")
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    assert!(err(&out).contains("frame 74 at 2.960 s"), "{}", err(&out));
}
