//! The RTSP side: a server whose one mount serves the encoded, masked
//! stream to every client, fed from the ingest pipeline.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use gst::glib;
use gst::prelude::*;
use gst_rtsp_server::prelude::*;

use super::listen::Listen;
use super::lock;
use crate::error::{Error, Result};

/// The name of the `appsrc` in each served media.
const SOURCE_NAME: &str = "sladdsrc";

/// What every served media starts from: the encoded, masked stream.
fn encoded_caps() -> gst::Caps {
    gst::Caps::builder("video/x-h264")
        .field("stream-format", "byte-stream")
        .field("alignment", "au")
        .build()
}

/// One served media's source.
struct Client {
    appsrc: gst_app::AppSrc,
    /// Whether it has had its first key frame (a decoder cannot start
    /// before one).
    started: bool,
}

/// Hands each encoded buffer to every served media.
#[derive(Default)]
pub(crate) struct Fanout {
    clients: Vec<Client>,
    /// The ingest's sink, to ask its encoder for a key frame when a media
    /// starts.
    keyframes: Option<glib::WeakRef<gst::Element>>,
}

impl Fanout {
    /// Sends `buffer` to every media that can start with it; forgets media
    /// that no longer take buffers.
    pub(crate) fn push(&mut self, buffer: &gst::Buffer) {
        let key = !buffer.flags().contains(gst::BufferFlags::DELTA_UNIT);
        self.clients.retain_mut(|client| {
            if !client.started && !key {
                return true;
            }
            client.started = true;
            let mut copy = buffer.copy();
            {
                let copy = copy.make_mut();
                // The media timestamps by its own clock (do-timestamp).
                copy.set_pts(gst::ClockTime::NONE);
                copy.set_dts(gst::ClockTime::NONE);
            }
            client.appsrc.push_buffer(copy).is_ok()
        });
    }

    /// Remembers the sink whose upstream encoder makes key frames.
    pub(crate) fn set_keyframe_source(&mut self, sink: Option<&gst::Element>) {
        self.keyframes = sink.map(ObjectExt::downgrade);
    }

    /// Starts feeding a new media; returns the sink to ask for a key frame.
    fn add(&mut self, appsrc: gst_app::AppSrc) -> Option<gst::Element> {
        self.clients.push(Client {
            appsrc,
            started: false,
        });
        self.keyframes.as_ref().and_then(glib::WeakRef::upgrade)
    }

    /// Feeds `appsrc` again from the next key frame (its client starts
    /// playing: what it was sent before went nowhere); returns the sink to
    /// ask for one.
    fn restart(&mut self, appsrc: &gst_app::AppSrc) -> Option<gst::Element> {
        for client in &mut self.clients {
            if &client.appsrc == appsrc {
                client.started = false;
            }
        }
        self.keyframes.as_ref().and_then(glib::WeakRef::upgrade)
    }

    /// Stops feeding `appsrc`.
    fn remove(&mut self, appsrc: &gst_app::AppSrc) {
        self.clients.retain(|client| &client.appsrc != appsrc);
    }

    /// How many media are being fed.
    pub(crate) fn len(&self) -> usize {
        self.clients.len()
    }
}

/// The RTSP server, running on a main loop of its own.
pub(crate) struct Server {
    port: u16,
    main_loop: glib::MainLoop,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `listen` and serves its path from `fanout`.
    pub(crate) fn start(listen: &Listen, fanout: Arc<Mutex<Fanout>>) -> Result<Self> {
        let server = gst_rtsp_server::RTSPServer::new();
        server.set_address(&listen.host);
        server.set_service(&listen.port.to_string());
        let factory = gst_rtsp_server::RTSPMediaFactory::new();
        factory.set_launch(&format!(
            "( appsrc name={SOURCE_NAME} is-live=true format=time do-timestamp=true \
               ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
        ));
        // One media per client, so that each starts at a key frame of its
        // own; the encoding is shared all the same (the fan-out).
        factory.set_shared(false);
        factory.connect_media_configure(move |_, media| configure(media, &fanout));
        let mounts = server
            .mount_points()
            .ok_or_else(|| Error::gstreamer("rtsp server", "it has no mount points"))?;
        mounts.add_factory(&listen.path, factory);

        let context = glib::MainContext::new();
        let source = server
            .attach(Some(&context))
            .map_err(|e| Error::gstreamer(format!("cannot listen on {listen}"), e))?;
        let port = u16::try_from(server.bound_port())
            .map_err(|_| Error::gstreamer(format!("cannot listen on {listen}"), "no port bound"))?;
        let main_loop = glib::MainLoop::new(Some(&context), false);
        let running = main_loop.clone();
        let thread = std::thread::Builder::new()
            .name("sladd-rtsp".to_owned())
            .spawn(move || {
                // The server lives as long as its loop runs.
                let _server = server;
                running.run();
                if let Some(source) = context.find_source_by_id(&source) {
                    source.destroy();
                }
            })
            .map_err(|e| Error::gstreamer("rtsp server thread", e))?;
        Ok(Self {
            port,
            main_loop,
            thread: Some(thread),
        })
    }

    /// The port bound (the configured one, or the one picked for port 0).
    pub(crate) fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.main_loop.quit();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Connects a new media's `appsrc` to the fan-out and asks for a key frame.
fn configure(media: &gst_rtsp_server::RTSPMedia, fanout: &Arc<Mutex<Fanout>>) {
    let Some(appsrc) = media
        .element()
        .downcast_ref::<gst::Bin>()
        .and_then(|bin| bin.by_name_recurse_up(SOURCE_NAME))
        .and_then(|element| element.downcast::<gst_app::AppSrc>().ok())
    else {
        return;
    };
    appsrc.set_caps(Some(&encoded_caps()));
    // A client that cannot keep up loses old buffers, never memory.
    appsrc.set_max_bytes(8 << 20);
    if appsrc.find_property("leaky-type").is_some() {
        appsrc.set_property_from_str("leaky-type", "downstream");
    }
    let weak = fanout.clone();
    let gone = appsrc.clone();
    media.connect_unprepared(move |_| lock(&weak).remove(&gone));
    // The server drops what a media sends before its client's PLAY:
    // start the client at a key frame once it plays.
    let weak = fanout.clone();
    let playing = appsrc.clone();
    media.connect_new_state(move |_, state| {
        if state == gst::State::Playing as i32 {
            let sink = lock(&weak).restart(&playing);
            request_keyframe(sink);
        }
    });
    let sink = lock(fanout).add(appsrc);
    request_keyframe(sink);
}

/// Asks the encoder upstream of `sink` for a key frame with its headers.
fn request_keyframe(sink: Option<gst::Element>) {
    if let Some(sink) = sink {
        let event = gst_video::UpstreamForceKeyUnitEvent::builder()
            .all_headers(true)
            .build();
        sink.send_event(event);
    }
}
