//! `sladdmask`: masks the zones a site's policy decides, in place, in every
//! raw video frame.
//!
//! An in-place video filter that never runs in passthrough: every frame is
//! decided at its wall-clock instant and masked by `sladd_policy`'s
//! `CameraMasker` before it leaves the element. A frame that cannot be
//! masked is never pushed: the element posts an error instead.
//!
//! | property | meaning |
//! |---|---|
//! | `config` | the site file (TOML or JSON), loaded when the element goes to READY |
//! | `camera` | the camera's id in the site file |
//! | `style` | optional: the style of masked zones that name none (`fill:#rrggbb`, `pixelate:N`, `blur:N`) |
//! | `start` | optional: the RFC 3339 instant of running time zero, for sources without wall-clock time |
//! | `threads` | masking threads: 1 (default) the streaming thread, 0 a pool sized to the machine |
//!
//! A frame's instant is its `timestamp/x-unix` or `timestamp/x-ntp`
//! reference timestamp when it has one, else `start` plus its running time,
//! else unknown: the policy then masks the most (staff present,
//! time-limited purposes off).

mod imp;
mod settings;

use gst::glib;
use gst::prelude::*;

pub use crate::message::DECISION_MESSAGE;

glib::wrapper! {
    /// The `sladdmask` element.
    pub struct SladdMask(ObjectSubclass<imp::SladdMask>)
        @extends gst_video::VideoFilter, gst_base::BaseTransform, gst::Element, gst::Object;
}

/// The element's factory name.
pub const ELEMENT_NAME: &str = "sladdmask";

/// Registers `sladdmask` with `plugin`.
///
/// # Errors
/// GStreamer's, if the element cannot be registered.
pub fn register(plugin: &gst::Plugin) -> Result<(), glib::BoolError> {
    gst::Element::register(
        Some(plugin),
        ELEMENT_NAME,
        gst::Rank::NONE,
        SladdMask::static_type(),
    )
}
