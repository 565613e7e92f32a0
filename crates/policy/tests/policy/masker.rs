//! `CameraMasker`: the same bytes as deciding and masking by hand, masks
//! built once per decision, spans for the manifest, failing closed.

use sladd_core::{Frame, PixelFormat, Redaction, Redactor, Rotation, Style, Threads};
use sladd_policy::{CameraMasker, Decision, Error, Policy};

use crate::{at, policy};

/// A counter whose zone names no style: masked in the masker's style while
/// the shop is open, shown after closing (burglary only then).
const COUNTER: &str = r#"
[site]
name = "Kiosken"
timezone = "Europe/Oslo"
opening_hours = ["mon-fri 07:00-23:00"]

[[cameras]]
id = "disk"
purposes = [{ purpose = "theft" }, { purpose = "burglary" }]

[[cameras.zones]]
name = "Bak disken"
area = "restricted_circle"
polygon = [[0.1, 0.2], [0.6, 0.25], [0.55, 0.9], [0.05, 0.8]]
"#;

/// A noise-filled owned frame (rows padded to 64 bytes).
fn noise(format: PixelFormat, width: u32, height: u32, seed: u32) -> Frame {
    let mut frame = Frame::new(format, width, height).unwrap();
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    for plane in frame.planes_u8_mut() {
        for v in plane.iter_mut() {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            *v = (state >> 7) as u8;
        }
    }
    frame
}

/// Masks by hand: decide, rasterize, prepare, apply.
fn by_hand(frame: &mut Frame, decision: &Decision, style: Style) {
    let (w, h) = (frame.width(), frame.height());
    let layers = decision.mask_layers(w, h, style).unwrap();
    let redaction = Redaction::new(frame.format(), w, h, layers).unwrap();
    Redactor::new()
        .with_threads(Threads::Single)
        .apply(&mut frame.as_frame_mut(), &redaction)
        .unwrap();
}

#[test]
fn masks_exactly_as_deciding_and_masking_by_hand() {
    let site = Policy::from_toml_str(COUNTER).unwrap();
    let camera = site.camera("disk").unwrap();
    let formats = [
        PixelFormat::Yuv420p,
        PixelFormat::Nv12,
        PixelFormat::Yuv444p,
        PixelFormat::Rgb24,
        PixelFormat::Bgra,
        PixelFormat::Gray8,
    ];
    let styles = [
        Style::fill(),
        "pixelate:6".parse().unwrap(),
        "blur:4".parse().unwrap(),
    ];
    let instants = [
        Some(at("2026-11-24T12:00:00+01:00")),
        Some(at("2026-11-24T23:30:00+01:00")),
        None,
    ];
    for format in formats {
        for style in styles {
            for instant in instants {
                let (w, h) = (37, 23);
                let mut mine = noise(format, w, h, 7);
                let mut theirs = noise(format, w, h, 7);
                let mut masker = CameraMasker::for_camera(camera, format, w, h).unwrap();
                masker.set_style(style);
                let decision = masker
                    .apply(&mut mine.as_frame_mut(), instant)
                    .unwrap()
                    .clone();
                by_hand(&mut theirs, &sladd_policy::decide(camera, instant), style);
                assert_eq!(decision.default_style, style);
                assert!(
                    mine.planes_u8() == theirs.planes_u8(),
                    "{format:?} {style} at {instant:?}: bytes differ"
                );
            }
        }
    }
}

#[test]
fn builds_masks_once_per_decision_and_records_spans() {
    let site = policy("../site.toml");
    let mut masker = CameraMasker::new(&site, "kasse-1", PixelFormat::Yuv420p, 64, 36).unwrap();
    let mut frame = noise(PixelFormat::Yuv420p, 64, 36, 1);
    // 22:59:58 to 23:00:02 at 2 fps: the shop closes at 23:00.
    let start = at("2026-11-24T22:59:58+01:00");
    let mut generations = Vec::new();
    for i in 0..8 {
        let instant = start + jiff::SignedDuration::from_millis(500 * i);
        masker
            .apply(&mut frame.as_frame_mut(), Some(instant))
            .unwrap();
        generations.push(masker.generation());
    }
    assert_eq!(generations, [1, 1, 1, 1, 2, 2, 2, 2]);
    let spans = masker.spans();
    assert_eq!(spans.len(), 2, "{spans:?}");
    assert_eq!((spans[0].first_frame, spans[0].last_frame), (0, 3));
    assert_eq!((spans[1].first_frame, spans[1].last_frame), (4, 7));
    assert_eq!(spans[0].masked_zones, ["Bak kassen (R-AREA-OBJECT)"]);
    assert_eq!(spans[1].at.as_deref(), Some("2026-11-24T22:00:00Z"));
    assert_eq!(masker.take_spans().len(), 2);
    assert!(masker.spans().is_empty());
}

#[test]
fn an_unknown_instant_takes_the_protective_branch() {
    // A burglary-only camera has no active purpose when the time is unknown:
    // the whole frame goes dark.
    let site = policy("burglary_only.toml");
    let camera = &site.cameras()[0];
    let mut masker = CameraMasker::for_camera(camera, PixelFormat::Gray8, 16, 9).unwrap();
    let mut frame = noise(PixelFormat::Gray8, 16, 9, 3);
    let decision = masker.apply(&mut frame.as_frame_mut(), None).unwrap();
    assert!(decision.full_frame && decision.unknown_instant());
    let stride = frame.stride(0).unwrap();
    let rows = frame.planes_u8()[0].chunks(stride);
    assert!(rows.take(9).all(|row| row[..16].iter().all(|&v| v == 16)));
}

#[test]
fn passing_a_frame_the_policy_masks_is_refused() {
    let site = policy("../site.toml");
    let mut masker = CameraMasker::new(&site, "kasse-1", PixelFormat::Gray8, 16, 9).unwrap();
    let noon = Some(at("2026-11-24T12:00:00+01:00"));
    assert!(masker.needs_pixels(noon));
    let err = masker.pass(noon).unwrap_err();
    assert!(matches!(err, Error::NotMasked { .. }), "{err}");
    assert!(masker.spans().is_empty(), "a refused frame is not recorded");
}

#[test]
fn a_frame_of_another_geometry_is_refused_untouched() {
    let site = policy("../site.toml");
    let mut masker = CameraMasker::new(&site, "kasse-1", PixelFormat::Gray8, 16, 9).unwrap();
    let mut other = noise(PixelFormat::Gray8, 17, 9, 5);
    let before = other.planes_u8().to_vec();
    let noon = Some(at("2026-11-24T12:00:00+01:00"));
    let refused = masker.apply(&mut other.as_frame_mut(), noon);
    assert!(matches!(refused, Err(Error::Mask(_))));
    assert!(other.planes_u8() == before);
    masker.set_geometry(PixelFormat::Gray8, 17, 9).unwrap();
    masker.apply(&mut other.as_frame_mut(), noon).unwrap();
    assert!(other.planes_u8() != before);
}

#[test]
fn zones_are_drawn_on_the_displayed_picture() {
    let site = policy("../site.toml");
    let camera = site.camera("kasse-1").unwrap();
    let noon = Some(at("2026-11-24T12:00:00+01:00"));
    // Decoded 20x36, shown turned a quarter clockwise as 36x20.
    let mut masker = CameraMasker::for_camera(camera, PixelFormat::Gray8, 20, 36).unwrap();
    masker.set_rotation(Rotation::Clockwise90);
    let (_, redaction) = masker.redaction_at(noon).unwrap();
    let shown = sladd_policy::decide(camera, noon).mask(36, 20).unwrap();
    let expected = Rotation::Clockwise90.mask_to_coded(&shown, 20, 36).unwrap();
    let got = redaction
        .layers()
        .map(|(_, m)| m.clone())
        .reduce(|a, b| a.union(&b).unwrap())
        .unwrap();
    assert_eq!(got, expected);
}

#[test]
fn threads_do_not_change_the_bytes() {
    let site = Policy::from_toml_str(COUNTER).unwrap();
    let noon = Some(at("2026-11-24T12:00:00+01:00"));
    let mut outputs = Vec::new();
    for threads in [1, 2, 0] {
        let mut masker = CameraMasker::new(&site, "disk", PixelFormat::Yuv420p, 321, 181).unwrap();
        masker.set_style("blur:5".parse().unwrap());
        masker.set_threads(threads);
        assert_eq!(masker.threads(), threads);
        let mut frame = noise(PixelFormat::Yuv420p, 321, 181, 9);
        masker.apply(&mut frame.as_frame_mut(), noon).unwrap();
        outputs.push(frame.planes_u8().to_vec());
    }
    assert!(outputs[0] == outputs[1] && outputs[1] == outputs[2]);
}

#[test]
fn a_new_style_rebuilds_the_masks() {
    let site = policy("../site.toml");
    let noon = Some(at("2026-11-24T12:00:00+01:00"));
    let mut masker = CameraMasker::new(&site, "kasse-1", PixelFormat::Gray8, 16, 9).unwrap();
    masker.decide(noon);
    masker.redaction_at(noon).unwrap();
    assert_eq!(masker.generation(), 1);
    masker.set_style("pixelate:4".parse().unwrap());
    let (decision, _) = masker.redaction_at(noon).unwrap();
    assert_eq!(decision.default_style.to_string(), "pixelate:4");
    assert_eq!(masker.generation(), 2);
}
