//! # gst-plugin-sladd
//!
//! sladd for live video: the GStreamer element `sladdmask`, which masks the
//! zones a site's policy decides in every raw frame that passes, and
//! [`proxy`], an RTSP server that pulls a camera's stream, masks it and
//! serves it again (`sladd proxy`).
//!
//! Built as `libgstsladd.so`, a plugin GStreamer loads from
//! `GST_PLUGIN_PATH`:
//!
//! ```sh
//! cargo build --release -p gst-plugin-sladd
//! GST_PLUGIN_PATH=target/release gst-inspect-1.0 sladdmask
//! ```
//!
//! Rust programs link the rlib and register the plugin statically:
//!
//! ```no_run
//! use gst::prelude::*;
//!
//! gst::init()?;
//! gstsladd::plugin_register_static()?;
//! let pipeline = gst::parse::launch(
//!     "videotestsrc num-buffers=25 ! sladdmask config=site.toml camera=kasse-1 \
//!      start=2026-11-24T12:00:00+01:00 ! videoconvert ! autovideosink",
//! )?;
//! pipeline.set_state(gst::State::Playing)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod error;
pub mod frame;
pub mod instant;
pub mod message;
pub mod proxy;
pub mod sladdmask;

pub use error::{Error, Result};
pub use sladdmask::SladdMask;

use gst::glib;

fn plugin_init(plugin: &gst::Plugin) -> Result<(), glib::BoolError> {
    sladdmask::register(plugin)
}

/// The plugin's descriptor (`gst_plugin_sladd_get_desc`, which GStreamer
/// looks up in `libgstsladd.so`) and its static registration.
mod plugin {
    #![allow(missing_docs, unreachable_pub)]

    use super::plugin_init;

    gst::plugin_define!(
        sladd,
        env!("CARGO_PKG_DESCRIPTION"),
        plugin_init,
        concat!(env!("CARGO_PKG_VERSION"), "-", env!("COMMIT_ID")),
        "MIT/X11",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_REPOSITORY"),
        env!("BUILD_REL_DATE")
    );
}

/// Registers the plugin (the element `sladdmask`) in this process, for
/// programs that link the crate rather than load `libgstsladd.so`. Call it
/// once, after `gst::init`.
///
/// # Errors
/// GStreamer's, when the plugin cannot be registered (e.g. twice).
pub fn plugin_register_static() -> Result<(), glib::BoolError> {
    plugin::plugin_register_static()
}
