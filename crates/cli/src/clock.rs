//! The camera-clock rule ([`sladd_policy::clock`]) as the decoder's judge
//! of a container's `creation_time`: redact, verify, preview and check all
//! believe a recording's start exactly as retention and export do.

use jiff::Timestamp;
use sladd_ffmpeg::ClockJudge;
use sladd_policy::Camera;

/// Believes a `creation_time` of `camera`'s recordings as
/// [`Camera::trusted_start`] does at the time of the run `now`.
pub(crate) fn judge(camera: &Camera, now: Timestamp) -> ClockJudge {
    let camera = camera.clone();
    ClockJudge::new(move |start| {
        camera
            .trusted_start(start, now)
            .map_err(|why| format!("creation_time {why}"))
    })
}
