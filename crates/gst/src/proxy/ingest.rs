//! The ingest pipeline: the source, decoded, masked by `sladdmask`,
//! encoded to H.264 for the server.
//!
//! `uridecodebin uri=SOURCE ! videoconvert ! sladdmask ! videoconvert !
//! video/x-raw,format=I420 ! x264enc tune=zerolatency sliced-threads=false !
//! h264parse ! appsink`;
//! audio and any other stream go to a `fakesink`. Every frame the encoder
//! sees has been through `sladdmask`, which drops (and errors on) any
//! frame it cannot mask.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use gst::prelude::*;

use super::server::Fanout;
use super::{lock, ProxySettings};
use crate::error::{Error, Result};

/// A running ingest pipeline; stopped when dropped.
pub(crate) struct Ingest {
    pipeline: gst::Pipeline,
    /// Milliseconds after `epoch` at which the last encoded buffer left,
    /// 0 before the first.
    last_buffer_ms: Arc<AtomicU64>,
    epoch: Instant,
}

fn make(factory: &str) -> Result<gst::Element> {
    gst::ElementFactory::make(factory).build().map_err(|e| {
        Error::gstreamer(
            format!("cannot create {factory} (is its plugin installed?)"),
            e,
        )
    })
}

impl Ingest {
    /// Builds and starts the pipeline, feeding `fanout`.
    pub(crate) fn start(settings: &ProxySettings, fanout: &Arc<Mutex<Fanout>>) -> Result<Self> {
        let pipeline = gst::Pipeline::with_name("sladd-ingest");
        let decode = gst::ElementFactory::make("uridecodebin")
            .property("uri", settings.source.as_str())
            .build()
            .map_err(|e| Error::gstreamer("cannot create uridecodebin", e))?;
        let convert_in = make("videoconvert")?;
        let mask = make(crate::sladdmask::ELEMENT_NAME)?;
        mask.set_property("config", settings.config.display().to_string());
        mask.set_property("camera", settings.camera.as_str());
        mask.set_property("style", settings.style.as_deref());
        mask.set_property("threads", settings.threads);
        // Frames without a reference timestamp from the camera are decided
        // at the wall-clock time they pass: now plus their running time.
        mask.set_property("start", jiff::Timestamp::now().to_string());
        let convert_out = make("videoconvert")?;
        let raw = gst::ElementFactory::make("capsfilter")
            .property(
                "caps",
                gst::Caps::builder("video/x-raw")
                    .field("format", "I420")
                    .build(),
            )
            .build()
            .map_err(|e| Error::gstreamer("cannot create capsfilter", e))?;
        let encode = make("x264enc")?;
        encode.set_property_from_str("tune", "zerolatency");
        encode.set_property_from_str("speed-preset", "veryfast");
        // One slice per frame: FFmpeg's RTSP client (which many VMSs use)
        // decodes the key frames of sliced-thread streams, once
        // payloaded, as corrupt.
        encode.set_property("sliced-threads", false);
        // Each frame thread beyond the first delays every frame by one.
        encode.set_property("threads", settings.encoder_threads);
        encode.set_property("bitrate", settings.bitrate_kbps);
        encode.set_property("key-int-max", settings.keyframe_interval);
        let parse = make("h264parse")?;
        parse.set_property("config-interval", -1i32);
        let sink = gst_app::AppSink::builder()
            .caps(
                &gst::Caps::builder("video/x-h264")
                    .field("stream-format", "byte-stream")
                    .field("alignment", "au")
                    .build(),
            )
            .sync(true)
            .build();

        let chain = [
            &convert_in,
            &mask,
            &convert_out,
            &raw,
            &encode,
            &parse,
            sink.upcast_ref(),
        ];
        pipeline
            .add(&decode)
            .and_then(|()| pipeline.add_many(chain))
            .and_then(|()| gst::Element::link_many(chain))
            .map_err(|e| Error::gstreamer("cannot build the ingest pipeline", e))?;

        let latency = settings.source_latency_ms;
        decode.connect("source-setup", false, move |values| {
            if let Some(source) = values.get(1).and_then(|v| v.get::<gst::Element>().ok()) {
                configure_source(&source, latency);
            }
            None
        });
        let video_sink = convert_in.static_pad("sink");
        let bin = pipeline.downgrade();
        decode.connect_pad_added(move |_, pad| {
            let video = pad
                .current_caps()
                .or_else(|| Some(pad.query_caps(None)))
                .and_then(|caps| caps.structure(0).map(|s| s.name().starts_with("video/")))
                .unwrap_or(false);
            match (&video_sink, video) {
                (Some(sink), true) if !sink.is_linked() => {
                    let _ = pad.link(sink);
                }
                _ => {
                    if let Some(bin) = bin.upgrade() {
                        discard(&bin, pad);
                    }
                }
            }
        });

        let epoch = Instant::now();
        let last_buffer_ms = Arc::new(AtomicU64::new(0));
        let seen = last_buffer_ms.clone();
        let fanout_feed = fanout.clone();
        sink.set_callbacks(
            gst_app::AppSinkCallbacks::builder()
                .new_sample(move |sink| {
                    let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                    if let Some(buffer) = sample.buffer_owned() {
                        lock(&fanout_feed).push(&buffer);
                    }
                    let ms = u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
                    seen.store(ms.max(1), Ordering::Relaxed);
                    Ok(gst::FlowSuccess::Ok)
                })
                .build(),
        );
        lock(fanout).set_keyframe_source(Some(sink.upcast_ref()));

        let ingest = Self {
            pipeline,
            last_buffer_ms,
            epoch,
        };
        // A live source (a camera) is forwarded as it comes; anything else
        // (a file) is paced to real time by the sink's clock.
        match ingest.pipeline.set_state(gst::State::Paused) {
            Ok(gst::StateChangeSuccess::NoPreroll) => sink.set_sync(false),
            Ok(_) => {}
            Err(_) => return Err(ingest.failure("the source cannot be opened")),
        }
        if ingest.pipeline.set_state(gst::State::Playing).is_err() {
            return Err(ingest.failure("the source cannot be played"));
        }
        Ok(ingest)
    }

    /// The error the pipeline's bus holds, or `fallback`.
    fn failure(&self, fallback: &str) -> Error {
        let reason = self
            .bus()
            .and_then(|bus| bus.pop_filtered(&[gst::MessageType::Error]))
            .and_then(|message| match message.view() {
                gst::MessageView::Error(error) => Some(error.error().to_string()),
                _ => None,
            })
            .unwrap_or_else(|| fallback.to_owned());
        Error::gstreamer("ingest", reason)
    }

    /// The pipeline's bus.
    pub(crate) fn bus(&self) -> Option<gst::Bus> {
        self.pipeline.bus()
    }

    /// How long since the last encoded buffer (since the start before the
    /// first), and whether there has been one.
    pub(crate) fn since_last_buffer(&self) -> (std::time::Duration, bool) {
        let ms = self.last_buffer_ms.load(Ordering::Relaxed);
        let now = self.epoch.elapsed();
        if ms == 0 {
            (now, false)
        } else {
            (
                now.saturating_sub(std::time::Duration::from_millis(ms)),
                true,
            )
        }
    }
}

impl Drop for Ingest {
    fn drop(&mut self) {
        let _ = self.pipeline.set_state(gst::State::Null);
    }
}

/// Sets an RTSP source up for live forwarding: the jitter buffer's
/// latency, and the camera's capture time (from its RTCP sender reports)
/// on every buffer, where GStreamer can add it (1.22 and later).
fn configure_source(source: &gst::Element, latency_ms: u32) {
    if source.find_property("latency").is_some() {
        source.set_property("latency", latency_ms);
    }
    if source
        .find_property("add-reference-timestamp-meta")
        .is_some()
    {
        source.set_property("add-reference-timestamp-meta", true);
    }
}

/// Sends a stream the proxy does not serve (audio, subtitles) to a
/// `fakesink`: sladd never forwards audio.
fn discard(bin: &gst::Pipeline, pad: &gst::Pad) {
    let Ok(sink) = gst::ElementFactory::make("fakesink")
        .property("sync", false)
        .property("async", false)
        .build()
    else {
        return;
    };
    if bin.add(&sink).is_ok() {
        let _ = sink.sync_state_with_parent();
        if let Some(target) = sink.static_pad("sink") {
            let _ = pad.link(&target);
        }
    }
}
