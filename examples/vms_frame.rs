//! What a VMS integrator writes: load the site policy once, then for every
//! decoded frame (here a synthetic NV12 frame in the integrator's own
//! buffers, with a padded stride) decide at the frame's wall-clock instant
//! and mask in place.
//!
//! ```sh
//! cargo run --example vms_frame -- fixtures/site.toml kasse-1 2026-11-24T12:00:00+01:00
//! ```

use std::error::Error;

use sladd::core::{FrameMut, PixelFormat, Redaction, Redactor, Style};
use sladd::policy::{Decider, Policy};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let site = args.next().unwrap_or_else(|| "fixtures/site.toml".into());
    let camera = args.next().unwrap_or_else(|| "kasse-1".into());
    let at = args
        .next()
        .unwrap_or_else(|| "2026-11-24T12:00:00+01:00".into());

    // Once, at start-up: the policy, a decider per camera, a redactor per thread.
    let policy = Policy::load(&site)?;
    let mut decider = Decider::new(policy.camera(&camera)?.clone());
    let mut redactor = Redactor::new();

    // The VMS's frame: 1280x720 NV12, rows padded to 1344 bytes.
    let (width, height, stride) = (1280u32, 720u32, 1344usize);
    let mut luma = vec![200u8; stride * height as usize];
    let mut chroma = vec![128u8; stride * (height as usize / 2)];

    // Per frame: decide at its instant (cached until the next schedule
    // boundary), prepare masks when the decision changes, mask in place.
    let mut prepared: Option<(u64, Redaction)> = None;
    let start: jiff::Timestamp = at.parse()?;
    for frame_index in 0..25i64 {
        let instant = start + jiff::SignedDuration::from_millis(40 * frame_index);
        decider.decide(Some(instant));
        let generation = decider.generation();
        if prepared.as_ref().is_none_or(|(g, _)| *g != generation) {
            let layers = decider
                .decide(Some(instant))
                .mask_layers(width, height, Style::fill())?;
            prepared = Some((
                generation,
                Redaction::new(PixelFormat::Nv12, width, height, layers)?,
            ));
        }
        let mut frame = FrameMut::from_planes(
            PixelFormat::Nv12,
            width,
            height,
            [(&mut luma[..], stride), (&mut chroma[..], stride)],
        )?;
        if let Some((_, redaction)) = &prepared {
            redactor.apply(&mut frame, redaction)?;
        }
    }

    let decision = decider.decide(Some(start));
    for zone in &decision.zones {
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
    Ok(())
}
