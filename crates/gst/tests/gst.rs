//! `sladdmask` and the proxy through GStreamer itself: the element in a
//! `gst_check::Harness` (`gst/element.rs`), in pipelines and as the
//! plugin GStreamer's own tools load (`gst/pipeline.rs`), and the RTSP
//! proxy end to end on loopback (`gst/proxy.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure

#[path = "gst/element.rs"]
mod element;
#[path = "gst/pipeline.rs"]
mod pipeline;
#[path = "gst/proxy.rs"]
mod proxy;
#[path = "gst/support.rs"]
mod support;
