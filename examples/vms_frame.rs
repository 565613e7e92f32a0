//! What a VMS integrator writes: load the site policy once, make a
//! `CameraMasker` per camera stream, then for every decoded frame (here a
//! synthetic NV12 frame in the integrator's own buffers, with a padded
//! stride) mask in place at the frame's wall-clock instant. The masker
//! decides, rasterizes its zones only when the decision changes, and masks.
//!
//! ```sh
//! cargo run --example vms_frame -- fixtures/site.toml kasse-1 2026-11-24T12:00:00+01:00
//! ```

use std::error::Error;

use sladd::policy::Policy;
use sladd::{CameraMasker, FrameMut, PixelFormat};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let site = args.next().unwrap_or_else(|| "fixtures/site.toml".into());
    let camera = args.next().unwrap_or_else(|| "kasse-1".into());
    let at = args
        .next()
        .unwrap_or_else(|| "2026-11-24T12:00:00+01:00".into());

    // The VMS's frames: 1280x720 NV12, rows padded to 1344 bytes.
    let (width, height, stride) = (1280u32, 720u32, 1344usize);
    let mut luma = vec![200u8; stride * height as usize];
    let mut chroma = vec![128u8; stride * (height as usize / 2)];

    // Once, at start-up: the policy, and a masker per camera stream.
    let policy = Policy::load(&site)?;
    let mut masker = CameraMasker::new(&policy, &camera, PixelFormat::Nv12, width, height)?;

    // Per frame: mask in place at the frame's instant.
    let start: jiff::Timestamp = at.parse()?;
    for frame_index in 0..25i64 {
        let instant = start + jiff::SignedDuration::from_millis(40 * frame_index);
        let mut frame = FrameMut::from_planes(
            PixelFormat::Nv12,
            width,
            height,
            [(&mut luma[..], stride), (&mut chroma[..], stride)],
        )?;
        masker.apply(&mut frame, Some(instant))?;
    }

    for zone in &masker.decide(Some(start)).zones {
        println!(
            "{:<12} {:<7} {:<16} {}",
            zone.name,
            if zone.masked() { "masked" } else { "shown" },
            zone.rule.to_string(),
            zone.reason
        );
    }
    let masked = luma
        .chunks(stride)
        .map(|row| row[..width as usize].iter().filter(|&&v| v == 16).count())
        .sum::<usize>();
    println!("{masked} of {} luma pixels masked", width * height);
    println!("masks built {} time(s) for 25 frames", masker.generation());
    Ok(())
}
