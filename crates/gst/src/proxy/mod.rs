//! The RTSP privacy proxy behind `sladd proxy`: pulls a camera's stream
//! (RTSP, or any URI GStreamer reads), masks every frame with `sladdmask`,
//! re-encodes it as H.264 and serves it over RTSP, reconnecting to the
//! source whenever it drops.
//!
//! ```no_run
//! use std::sync::atomic::AtomicBool;
//! use gstsladd::proxy::{Proxy, ProxySettings};
//!
//! let settings = ProxySettings::new(
//!     "rtsp://192.0.2.10/stream1",
//!     "site.toml",
//!     "kasse-1",
//! );
//! let proxy = Proxy::start(settings)?;     // rtsp://127.0.0.1:8554/kasse-1
//! let stop = AtomicBool::new(false);      // set it from a signal handler
//! proxy.run(&stop, |event| eprintln!("{event}"))?;
//! # Ok::<(), gstsladd::Error>(())
//! ```
//!
//! One ingest pipeline masks and encodes once, whatever the number of
//! clients; each client starts at a key frame. A frame reaches the encoder
//! only through `sladdmask`, which never passes a frame it could not mask:
//! on a masking error the ingest stops, and the proxy reconnects. Audio is
//! never forwarded.
//!
//! A frame is decided at the camera's capture time when the stream carries
//! it (RTCP sender reports, as `timestamp/x-ntp` reference timestamps),
//! else at the proxy's wall-clock time as the frame passes.

mod ingest;
mod listen;
mod server;

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

use serde_json::json;

pub use listen::{Listen, DEFAULT_PORT};

use self::ingest::Ingest;
use self::server::{Fanout, Server};
use crate::error::{Error, Result};
use crate::message::DECISION_MESSAGE;

/// A poisoned lock only means another thread panicked while holding it;
/// the data is still whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the proxy pulls, how it masks and where it serves.
#[derive(Debug, Clone)]
pub struct ProxySettings {
    /// The camera's stream: `rtsp://…`, or any URI GStreamer reads.
    pub source: String,
    /// Where to serve; `rtsp://127.0.0.1:8554/CAMERA` by default.
    pub listen: Listen,
    /// The site file.
    pub config: PathBuf,
    /// The camera's id in the site file.
    pub camera: String,
    /// Overrides the style of masked zones that name none.
    pub style: Option<String>,
    /// Masking threads (`sladdmask`'s `threads`).
    pub threads: u32,
    /// The RTSP source's jitter-buffer latency in milliseconds.
    pub source_latency_ms: u32,
    /// The encoder's bit rate in kbit/s.
    pub bitrate_kbps: u32,
    /// The encoder's threads: 1 adds the least latency (a few
    /// milliseconds); each further thread adds a frame of latency and
    /// encodes more pixels per second; 0 lets x264 choose (1.5 per core).
    pub encoder_threads: u32,
    /// The longest run of frames between key frames.
    pub keyframe_interval: u32,
    /// How long the source may take to deliver its first frame.
    pub connect_timeout: Duration,
    /// How long without a frame, once frames flowed, before the source
    /// counts as lost.
    pub stall_timeout: Duration,
    /// The first wait before reconnecting; it doubles up to
    /// `max_retry_delay` while the source stays away.
    pub retry_delay: Duration,
    /// The longest wait between reconnection attempts.
    pub max_retry_delay: Duration,
}

impl ProxySettings {
    /// Settings with the defaults: served on loopback at
    /// `rtsp://127.0.0.1:8554/CAMERA`, 200 ms source latency, 4000 kbit/s
    /// on one encoder thread,
    /// a key frame at least every 50 frames, 10 s for the first frame, a
    /// source lost after 5 s without frames, reconnection after 0.5 s
    /// doubling to 10 s.
    pub fn new(
        source: impl Into<String>,
        config: impl Into<PathBuf>,
        camera: impl Into<String>,
    ) -> Self {
        let camera = camera.into();
        Self {
            source: source.into(),
            listen: Listen::loopback(&camera),
            config: config.into(),
            camera,
            style: None,
            threads: 1,
            source_latency_ms: 200,
            bitrate_kbps: 4000,
            encoder_threads: 1,
            keyframe_interval: 50,
            connect_timeout: Duration::from_secs(10),
            stall_timeout: Duration::from_secs(5),
            retry_delay: Duration::from_millis(500),
            max_retry_delay: Duration::from_secs(10),
        }
    }
}

/// What happens to a running proxy, for status lines.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The server accepts clients at `url`.
    Listening {
        /// The URL clients open.
        url: String,
    },
    /// Masked frames are flowing from the source.
    SourceConnected {
        /// The source.
        source: String,
    },
    /// The source failed, ended or stalled; the proxy reconnects after
    /// `retry_in`.
    SourceLost {
        /// Why.
        reason: String,
        /// The wait before the next attempt.
        retry_in: Duration,
    },
    /// The decision changed (and for the first frame): `sladd plan
    /// --json`'s object.
    Decision(serde_json::Value),
    /// The proxy stopped.
    Stopped,
}

impl Event {
    /// The event as one JSON object with an `event` key.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Listening { url } => json!({ "event": "listening", "url": url }),
            Self::SourceConnected { source } => {
                json!({ "event": "source_connected", "source": source })
            }
            Self::SourceLost { reason, retry_in } => json!({
                "event": "source_lost",
                "reason": reason,
                "retry_in_ms": u64::try_from(retry_in.as_millis()).unwrap_or(u64::MAX),
            }),
            Self::Decision(decision) => json!({ "event": "decision", "decision": decision }),
            Self::Stopped => json!({ "event": "stopped" }),
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Listening { url } => write!(f, "serving the masked stream at {url}"),
            Self::SourceConnected { source } => write!(f, "masking {source}"),
            Self::SourceLost { reason, retry_in } => write!(
                f,
                "source lost ({reason}); reconnecting in {:.1} s",
                retry_in.as_secs_f64()
            ),
            Self::Decision(decision) => {
                let masked: Vec<&str> = decision["zones"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|zone| zone["masked"].as_bool() == Some(true))
                    .filter_map(|zone| zone["name"].as_str())
                    .collect();
                let at = decision["at"].as_str().unwrap_or("an unknown instant");
                if decision["full_frame"].as_bool() == Some(true) {
                    write!(f, "decision at {at}: the whole frame is masked")
                } else if masked.is_empty() {
                    write!(f, "decision at {at}: no zone masked")
                } else {
                    write!(f, "decision at {at}: masking {}", masked.join(", "))
                }
            }
            Self::Stopped => f.write_str("stopped"),
        }
    }
}

/// Registers `sladdmask` in this process, once.
fn register() -> Result<()> {
    static REGISTER: Once = Once::new();
    gst::init().map_err(|e| Error::gstreamer("cannot initialise GStreamer", e))?;
    let mut result = Ok(());
    REGISTER.call_once(|| {
        result = crate::plugin_register_static()
            .map_err(|e| Error::gstreamer("cannot register sladdmask", e));
    });
    result
}

/// A running proxy: the server is listening; [`Proxy::run`] pulls the
/// source.
pub struct Proxy {
    settings: ProxySettings,
    fanout: Arc<Mutex<Fanout>>,
    server: Server,
}

impl Proxy {
    /// Checks the site file and the camera, and starts serving.
    ///
    /// # Errors
    /// The policy's error for a site file that does not load or lacks the
    /// camera (checked before anything listens); [`Error::Source`] for a
    /// source that is not a URI; [`Error::Gstreamer`] when the address
    /// cannot be bound.
    pub fn start(settings: ProxySettings) -> Result<Self> {
        let policy = sladd_policy::Policy::load(&settings.config)?;
        policy.camera(&settings.camera)?;
        if !is_uri(&settings.source) {
            return Err(Error::Source {
                uri: settings.source.clone(),
            });
        }
        register()?;
        let fanout = Arc::new(Mutex::new(Fanout::default()));
        let server = Server::start(&settings.listen, fanout.clone())?;
        Ok(Self {
            settings,
            fanout,
            server,
        })
    }

    /// The URL clients open (with the port bound, for port 0).
    #[must_use]
    pub fn url(&self) -> String {
        self.settings.listen.url_with_port(self.server.port())
    }

    /// How many served media are being fed now.
    #[must_use]
    pub fn clients(&self) -> usize {
        lock(&self.fanout).len()
    }

    /// Pulls, masks and serves until `stop` is set, reconnecting whenever
    /// the source drops; reports what happens to `on_event`.
    ///
    /// # Errors
    /// None yet: every failure of the source is reported as
    /// [`Event::SourceLost`] and retried.
    pub fn run(&self, stop: &AtomicBool, mut on_event: impl FnMut(&Event)) -> Result<()> {
        on_event(&Event::Listening { url: self.url() });
        let mut delay = self.settings.retry_delay;
        while !stop.load(Ordering::SeqCst) {
            let reason = match Ingest::start(&self.settings, &self.fanout) {
                Ok(ingest) => {
                    let outcome = self.watch(&ingest, stop, &mut on_event);
                    lock(&self.fanout).set_keyframe_source(None);
                    drop(ingest);
                    match outcome {
                        Watch::Stopped => break,
                        Watch::Lost { reason, connected } => {
                            if connected {
                                delay = self.settings.retry_delay;
                            }
                            reason
                        }
                    }
                }
                Err(error) => error.to_string(),
            };
            on_event(&Event::SourceLost {
                reason,
                retry_in: delay,
            });
            sleep_unless(stop, delay);
            delay = (delay * 2).min(self.settings.max_retry_delay);
        }
        on_event(&Event::Stopped);
        Ok(())
    }

    /// Follows a running ingest until it fails, stalls or `stop` is set.
    fn watch(
        &self,
        ingest: &Ingest,
        stop: &AtomicBool,
        on_event: &mut impl FnMut(&Event),
    ) -> Watch {
        let Some(bus) = ingest.bus() else {
            return Watch::Lost {
                reason: "the ingest pipeline has no bus".to_owned(),
                connected: false,
            };
        };
        let mut connected = false;
        let poll = gst::ClockTime::from_mseconds(100);
        while !stop.load(Ordering::SeqCst) {
            if let Some(message) = bus.timed_pop(poll) {
                match message.view() {
                    gst::MessageView::Error(error) => {
                        let mut reason = error.error().to_string();
                        if let Some(debug) = error.debug() {
                            reason = format!("{reason} ({debug})");
                        }
                        return Watch::Lost { reason, connected };
                    }
                    gst::MessageView::Eos(_) => {
                        return Watch::Lost {
                            reason: "the source ended".to_owned(),
                            connected,
                        };
                    }
                    gst::MessageView::Element(element) => {
                        if let Some(decision) = element
                            .structure()
                            .filter(|s| s.name() == DECISION_MESSAGE)
                            .and_then(|s| s.get::<String>("json").ok())
                            .and_then(|json| serde_json::from_str(&json).ok())
                        {
                            on_event(&Event::Decision(decision));
                        }
                    }
                    _ => {}
                }
            }
            let (quiet, flowing) = ingest.since_last_buffer();
            if flowing && !connected {
                connected = true;
                on_event(&Event::SourceConnected {
                    source: self.settings.source.clone(),
                });
            }
            let limit = if flowing {
                self.settings.stall_timeout
            } else {
                self.settings.connect_timeout
            };
            if quiet > limit {
                let what = if flowing {
                    "no frame"
                } else {
                    "no first frame"
                };
                return Watch::Lost {
                    reason: format!("{what} for {:.1} s", quiet.as_secs_f64()),
                    connected,
                };
            }
        }
        Watch::Stopped
    }
}

/// How watching an ingest ended.
enum Watch {
    /// `stop` was set.
    Stopped,
    /// The source failed; `connected` says whether frames had flowed.
    Lost { reason: String, connected: bool },
}

/// The proxy's source as a URI: a URI (`rtsp://…`, `http://…`,
/// `file:///…`) as given, an existing file's path as its `file://` URI.
///
/// # Errors
/// [`Error::Source`] for anything else.
pub fn source_uri(source: &str) -> Result<String> {
    if is_uri(source) {
        return Ok(source.to_owned());
    }
    let not_a_source = || Error::Source {
        uri: source.to_owned(),
    };
    let path = std::path::Path::new(source);
    if !path.is_file() {
        return Err(not_a_source());
    }
    let absolute = std::path::absolute(path).map_err(|_| not_a_source())?;
    gst::glib::filename_to_uri(absolute, None)
        .map(|uri| uri.to_string())
        .map_err(|_| not_a_source())
}

/// Whether `text` starts with a URI scheme and `://` (`rtsp://`,
/// `file:///`, `http://`).
fn is_uri(text: &str) -> bool {
    text.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Sleeps for `duration`, waking early when `stop` is set.
fn sleep_unless(stop: &AtomicBool, duration: Duration) {
    let end = Instant::now() + duration;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= end {
            return;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(50)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_uris_or_existing_files() {
        assert_eq!(
            source_uri("rtsp://192.0.2.1/s1").unwrap(),
            "rtsp://192.0.2.1/s1"
        );
        let file = tempfile::NamedTempFile::new().unwrap();
        let uri = source_uri(file.path().to_str().unwrap()).unwrap();
        assert!(uri.starts_with("file:///"), "{uri}");
        assert!(
            uri.ends_with(&*file.path().file_name().unwrap().to_string_lossy()),
            "{uri}"
        );
        for bad in ["/nonexistent/cam.mp4", "not a uri", "://x", "1rtsp://x"] {
            assert!(
                matches!(source_uri(bad), Err(Error::Source { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn events_read_as_status_lines() {
        let lost = Event::SourceLost {
            reason: "no frame for 5.0 s".to_owned(),
            retry_in: Duration::from_millis(500),
        };
        assert_eq!(
            lost.to_string(),
            "source lost (no frame for 5.0 s); reconnecting in 0.5 s"
        );
        assert_eq!(
            lost.to_json(),
            json!({"event": "source_lost", "reason": "no frame for 5.0 s", "retry_in_ms": 500})
        );
        let decision = Event::Decision(json!({
            "at": "2026-11-24T12:00:00+01:00",
            "full_frame": false,
            "zones": [{"name": "Bak kassen", "masked": true}, {"name": "Pumpene", "masked": false}],
        }));
        assert_eq!(
            decision.to_string(),
            "decision at 2026-11-24T12:00:00+01:00: masking Bak kassen"
        );
        assert_eq!(decision.to_json()["event"], "decision");
        let dark = Event::Decision(json!({"at": null, "full_frame": true, "zones": []}));
        assert_eq!(
            dark.to_string(),
            "decision at an unknown instant: the whole frame is masked"
        );
    }
}
