//! Redacts one video file end to end with the library: a fixed zone filled
//! black on every frame, audio dropped, the output written under a temporary
//! name and renamed into place only when complete.
//!
//! ```text
//! cargo run --example redact_file -- INPUT OUTPUT [X0,Y0,X1,Y1]
//! cargo run --example redact_file -- fixtures/clips/kiosk.mp4 /tmp/kiosk-redacted.mp4 0.5,0,1,0.6
//! ```
//!
//! The zone is a rectangle in normalized coordinates (0–1 of the frame's
//! width and height); the default is the right half. A real integration
//! decides per frame from the policy (see `sladd redact`): implement
//! `FrameMasker` and look at `FrameTime::instant`.

use std::path::PathBuf;

use sladd::media::{redact_file, AudioMode, RedactOptions, StaticMask};
use sladd::{Polygon, Region, Style};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: redact_file INPUT OUTPUT [X0,Y0,X1,Y1]";
    let input = PathBuf::from(args.next().ok_or(usage)?);
    let output = PathBuf::from(args.next().ok_or(usage)?);
    let [x0, y0, x1, y1] = match args.next() {
        Some(zone) => {
            let v: Vec<f64> = zone.split(',').map(str::parse).collect::<Result<_, _>>()?;
            <[f64; 4]>::try_from(v).map_err(|_| usage)?
        }
        None => [0.5, 0.0, 1.0, 1.0],
    };
    let zone = Region::single(Polygon::normalized([
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
    ])?);

    sladd::media::quiet_ffmpeg_logs();
    let masker = StaticMask::from_regions(vec![(Style::fill(), zone)]);
    let options = RedactOptions {
        audio: AudioMode::Drop,
        config_hash: "example".into(),
        ..RedactOptions::default()
    };
    let report = redact_file(&input, &output, masker, &options, |p| {
        if let Some(total) = p.total_estimate {
            eprint!("\r{}/{} frames", p.frames_done, total);
        }
    })?;
    eprintln!();
    println!(
        "{} -> {}: {} frames ({} masked), {:.2} s of video, audio {}, {:.1} frames/s",
        report.input.display(),
        report.output.display(),
        report.frames,
        report.masked_frames,
        report.seconds,
        report.audio,
        report.fps
    );
    Ok(())
}
