//! The frame checker on frames made here: real redactions by the core pass
//! in every style and format, originals and shifted masks fail.

use sladd_core::{Coverage, Frame, PixelFormat, Polygon, Redaction, Redactor, Region, Style};
use sladd_evidence::{Check, Error, FrameChecker, Limits};

const W: u32 = 96;
const H: u32 = 64;

/// Noise: a hash of the sample's index, the most detail a frame can hold.
fn noise(i: usize, plane: usize) -> u32 {
    ((i as u32 ^ (plane as u32) << 20).wrapping_mul(2_654_435_761)) >> 16
}

/// A frame of noise in every plane.
fn textured(format: PixelFormat) -> Frame {
    let mut frame = Frame::new(format, W, H).unwrap();
    if format.storage_bits() > 8 {
        for (p, plane) in frame.planes_u16_mut().iter_mut().enumerate() {
            for (i, v) in plane.iter_mut().enumerate() {
                *v = (noise(i, p) % 1024) as u16;
            }
        }
    } else {
        for (p, plane) in frame.planes_u8_mut().iter_mut().enumerate() {
            for (i, v) in plane.iter_mut().enumerate() {
                *v = (noise(i, p) % 256) as u8;
            }
        }
    }
    frame
}

fn redaction(format: PixelFormat, style: Style, x0: f64) -> Redaction {
    let zone = Region::single(
        Polygon::normalized([[x0, 0.1], [x0 + 0.45, 0.1], [x0 + 0.45, 0.9], [x0, 0.9]]).unwrap(),
    );
    let mask = zone.rasterize(W, H, Coverage::Conservative).unwrap();
    Redaction::new(format, W, H, vec![(style, mask)]).unwrap()
}

fn redacted(original: &Frame, redaction: &Redaction) -> Frame {
    let mut out = original.clone();
    Redactor::new()
        .apply(&mut out.as_frame_mut(), redaction)
        .unwrap();
    out
}

#[test]
fn core_redactions_pass_and_originals_fail_in_every_style() {
    for format in [
        PixelFormat::Yuv420p,
        PixelFormat::Nv12,
        PixelFormat::Rgb24,
        PixelFormat::Yuv420p10le,
    ] {
        for style in [
            Style::fill(),
            Style::Pixelate { block: 8 },
            Style::Blur { radius: 6 },
        ] {
            let mut original = textured(format);
            let r = redaction(format, style, 0.1);
            let mut done = redacted(&original, &r);
            let mut checker = FrameChecker::new(Limits::default());
            let outcomes = checker
                .check(&original.as_frame_mut(), &done.as_frame_mut(), Some(&r))
                .unwrap();
            let what = format!("{format:?} {style}");
            assert!(
                outcomes.iter().any(|o| o.check == Check::of_style(style)),
                "{what}"
            );
            assert!(outcomes.iter().any(|o| o.check == Check::Outside), "{what}");
            for o in &outcomes {
                assert!(o.measure.passed(), "{what}: {o:?}");
            }
            let mut unredacted = original.clone();
            let outcomes = checker
                .check(
                    &original.as_frame_mut(),
                    &unredacted.as_frame_mut(),
                    Some(&r),
                )
                .unwrap();
            assert!(
                outcomes
                    .iter()
                    .any(|o| o.check == Check::of_style(style) && !o.measure.passed()),
                "{what}: the original passed as its own redaction"
            );
        }
    }
}

#[test]
fn a_mask_shifted_off_its_zone_fails() {
    let format = PixelFormat::Yuv420p;
    let mut original = textured(format);
    let drawn = redaction(format, Style::fill(), 0.1);
    let mut done = redacted(&original, &drawn);
    let expected = redaction(format, Style::fill(), 0.2);
    let outcomes = FrameChecker::new(Limits::default())
        .check(
            &original.as_frame_mut(),
            &done.as_frame_mut(),
            Some(&expected),
        )
        .unwrap();
    let failed: Vec<Check> = outcomes
        .iter()
        .filter(|o| !o.measure.passed())
        .map(|o| o.check)
        .collect();
    assert!(
        failed.contains(&Check::Fill) && failed.contains(&Check::Outside),
        "{outcomes:?}"
    );
}

#[test]
fn frames_of_different_sizes_are_an_error() {
    let mut a = Frame::new(PixelFormat::Yuv420p, W, H).unwrap();
    let mut b = Frame::new(PixelFormat::Yuv420p, W, H + 2).unwrap();
    let e = FrameChecker::new(Limits::default())
        .check(&a.as_frame_mut(), &b.as_frame_mut(), None)
        .unwrap_err();
    assert!(matches!(e, Error::FrameMismatch { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "the original frame is yuv420p 96x64, the redacted one yuv420p 96x66"
    );
}
