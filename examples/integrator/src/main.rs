//! Masks raw yuv420p frames (as `ffmpeg -f rawvideo -pix_fmt yuv420p`
//! writes them) with `sladd::CameraMasker`, frame `i` at instant
//! `START + i / FPS`, the way a VMS masks the frames it decoded.
//!
//! ```sh
//! sladd-integrator SITE CAMERA WIDTH HEIGHT FPS START IN.yuv OUT.yuv
//! ```

use std::error::Error;
use std::fs;

use jiff::{SignedDuration, Timestamp};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, camera, width, height, fps, start, input, output] = &args[..] else {
        return Err("usage: sladd-integrator SITE CAMERA WIDTH HEIGHT FPS START IN.yuv OUT.yuv".into());
    };
    let (width, height): (u32, u32) = (width.parse()?, height.parse()?);
    let fps: f64 = fps.parse()?;
    let start: Timestamp = start.parse()?;
    let mut video = fs::read(input)?;

    let policy = sladd::policy::Policy::load(site)?; // or Policy::from_toml_str / from_json_str
    let mut masker = sladd::CameraMasker::new(&policy, camera, sladd::PixelFormat::Yuv420p, width, height)?;
    masker.set_style(sladd::Style::fill()); // default: the config's styles
    masker.set_threads(2); // default 1 (the caller's thread)

    let (w, h) = (width as usize, height as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let frame_bytes = w * h + 2 * cw * ch;
    if video.len() % frame_bytes != 0 {
        return Err(format!("{input}: {} bytes is not a whole number of {width}x{height} frames", video.len()).into());
    }
    for (index, bytes) in video.chunks_exact_mut(frame_bytes).enumerate() {
        let (luma, chroma) = bytes.split_at_mut(w * h);
        let (cb, cr) = chroma.split_at_mut(cw * ch);
        let mut frame = sladd::FrameMut::from_planes(
            sladd::PixelFormat::Yuv420p,
            width,
            height,
            [(luma, w), (cb, cw), (cr, cw)],
        )?;
        let instant = start + SignedDuration::from_secs_f64(index as f64 / fps);
        let decision: &sladd::policy::Decision = masker.apply(&mut frame, Some(instant))?; // instant: jiff::Timestamp; None = unknown
        if index == 0 {
            let masked: Vec<&str> = decision.zones.iter().filter(|z| z.masked()).map(|z| z.name.as_str()).collect();
            eprintln!("frame 0 at {instant}: masked {masked:?}");
        }
    }
    fs::write(output, &video)?;
    eprintln!("masked {} frames, masks built {} time(s)", video.len() / frame_bytes, masker.generation());
    Ok(())
}
