//! The proxy end to end on loopback: an RTSP "camera" in this process
//! (`videotestsrc`), the proxy masking it, and an RTSP client checking the
//! pixels it gets, before and after the camera drops its stream.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use gst::glib;
use gst::prelude::*;
use gst_rtsp_server::prelude::*;
use gst_video::prelude::*;
use gstsladd::proxy::{Event, Proxy, ProxySettings};

use crate::support::*;

const WIDTH: u32 = 320;
const HEIGHT: u32 = 180;

/// A break room in the top left: masked whatever the time.
const BREAK_ROOM_SITE: &str = r#"
[site]
name = "Proxytest"
timezone = "Europe/Oslo"

[[cameras]]
id = "kasse"
purposes = [{ purpose = "employee_safety" }]
risk_documented = true

[[cameras.zones]]
name = "Pauserommet"
area = "private"
polygon = [[0.05, 0.1], [0.45, 0.1], [0.45, 0.6], [0.05, 0.6]]
"#;

/// The break room in pixels, with 3 px of margin inside and out (two
/// encodes soften its edges): (inside, outside) tests.
fn inside(x: u32, y: u32) -> bool {
    (19..=141).contains(&x) && (21..=105).contains(&y)
}
fn outside(x: u32, y: u32) -> bool {
    let near = (13..=147).contains(&x) && (15..=111).contains(&y);
    // videotestsrc animates the bottom right of the SMPTE pattern.
    let animated = x >= 236 && y >= 131;
    !near && !animated
}

/// An RTSP camera on loopback serving `videotestsrc` at `/cam`.
struct Camera {
    server: gst_rtsp_server::RTSPServer,
    main_loop: glib::MainLoop,
    thread: Option<std::thread::JoinHandle<()>>,
    port: i32,
}

impl Camera {
    fn start() -> Self {
        let server = gst_rtsp_server::RTSPServer::new();
        server.set_address("127.0.0.1");
        server.set_service("0");
        let context = glib::MainContext::new();
        let source = server.attach(Some(&context)).unwrap();
        let port = server.bound_port();
        let mut camera = Self {
            server,
            main_loop: glib::MainLoop::new(Some(&context), false),
            thread: None,
            port,
        };
        camera.plug();
        let main_loop = camera.main_loop.clone();
        camera.thread = Some(std::thread::spawn(move || {
            main_loop.run();
            if let Some(source) = context.find_source_by_id(&source) {
                source.destroy();
            }
        }));
        camera
    }

    fn url(&self) -> String {
        format!("rtsp://127.0.0.1:{}/cam", self.port)
    }

    /// Serves the stream (again).
    fn plug(&self) {
        let factory = gst_rtsp_server::RTSPMediaFactory::new();
        factory.set_launch(&format!(
            "( videotestsrc is-live=true pattern=smpte \
               ! video/x-raw,width={WIDTH},height={HEIGHT},framerate=25/1 \
               ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 \
               ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
        ));
        factory.set_shared(true);
        self.server
            .mount_points()
            .unwrap()
            .add_factory("/cam", factory);
    }

    /// Drops every client and stops serving the stream, as a camera that
    /// reboots.
    fn unplug(&self) {
        self.server.mount_points().unwrap().remove_factory("/cam");
        self.server
            .client_filter(Some(&mut |_, _| gst_rtsp_server::RTSPFilterResult::Remove));
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        self.main_loop.quit();
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

/// The proxy running on a thread of its own, its events on a channel.
struct Running {
    stop: Arc<AtomicBool>,
    events: mpsc::Receiver<Event>,
    thread: Option<std::thread::JoinHandle<()>>,
    seen: Vec<Event>,
}

impl Running {
    fn start(proxy: Proxy) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, events) = mpsc::channel();
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            proxy
                .run(&flag, |event| drop(tx.send(event.clone())))
                .unwrap();
        });
        Self {
            stop,
            events,
            thread: Some(thread),
            seen: Vec::new(),
        }
    }

    /// Waits (at most `limit`) for an event that `matches`.
    fn wait_for(&mut self, what: &str, limit: Duration, matches: impl Fn(&Event) -> bool) {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) => {
                    let hit = matches(&event);
                    self.seen.push(event);
                    if hit {
                        return;
                    }
                }
                Err(_) => panic!("no {what} within {limit:?}; events: {:?}", self.seen),
            }
        }
    }

    fn stop(mut self) -> Vec<Event> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.take().unwrap().join().unwrap();
        self.seen.extend(self.events.try_iter());
        self.seen
    }
}

/// An RTSP client decoding the served stream to I420.
struct Client {
    pipeline: gst::Pipeline,
    sink: gst_app::AppSink,
}

impl Client {
    fn open(url: &str) -> Self {
        let pipeline = gst::parse::launch(&format!(
            "rtspsrc location={url} latency=0 protocols=tcp ! rtph264depay ! h264parse \
             ! avdec_h264 ! videoconvert ! video/x-raw,format=I420 \
             ! appsink name=sink sync=false max-buffers=4 drop=true"
        ))
        .unwrap()
        .downcast::<gst::Pipeline>()
        .unwrap();
        let sink = pipeline.by_name("sink").unwrap().downcast().unwrap();
        pipeline.set_state(gst::State::Playing).unwrap();
        Self { pipeline, sink }
    }

    /// The luma of the next decoded frame (waiting at most `limit`).
    fn frame(&self, limit: Duration) -> Vec<u8> {
        let sample = self
            .sink
            .try_pull_sample(gst::ClockTime::from_nseconds(limit.as_nanos() as u64))
            .unwrap_or_else(|| panic!("no frame from the proxy within {limit:?}"));
        let info = gst_video::VideoInfo::from_caps(sample.caps().unwrap()).unwrap();
        assert_eq!((info.width(), info.height()), (WIDTH, HEIGHT));
        let frame =
            gst_video::VideoFrameRef::from_buffer_ref_readable(sample.buffer().unwrap(), &info)
                .unwrap();
        let stride = frame.plane_stride()[0] as usize;
        frame
            .plane_data(0)
            .unwrap()
            .chunks(stride)
            .take(HEIGHT as usize)
            .flat_map(|row| &row[..WIDTH as usize])
            .copied()
            .collect()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.pipeline.set_state(gst::State::Null);
    }
}

/// The SMPTE bars `videotestsrc` draws, as luma.
fn bars() -> Vec<u8> {
    let pipeline = gst::parse::launch(&format!(
        "videotestsrc num-buffers=1 pattern=smpte ! video/x-raw,format=I420,width={WIDTH},height={HEIGHT} \
         ! appsink name=sink sync=false"
    ))
    .unwrap()
    .downcast::<gst::Pipeline>()
    .unwrap();
    let sink = pipeline
        .by_name("sink")
        .unwrap()
        .downcast::<gst_app::AppSink>()
        .unwrap();
    pipeline.set_state(gst::State::Playing).unwrap();
    let sample = sink
        .try_pull_sample(gst::ClockTime::from_seconds(10))
        .unwrap();
    let bytes = sample.buffer().unwrap().map_readable().unwrap().as_slice()
        [..(WIDTH * HEIGHT) as usize]
        .to_vec();
    pipeline.set_state(gst::State::Null).unwrap();
    bytes
}

/// Checks a served frame: the break room filled black, the rest the bars.
fn assert_masked(frame: &[u8], bars: &[u8], when: &str) {
    let (mut squared, mut shown) = (0f64, 0u32);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let i = (y * WIDTH + x) as usize;
            if inside(x, y) {
                assert!(
                    frame[i].abs_diff(16) <= 12,
                    "{when}: ({x}, {y}) is {} in the break room",
                    frame[i]
                );
            } else if outside(x, y) {
                shown += 1;
                squared += (f64::from(frame[i]) - f64::from(bars[i])).powi(2);
            }
        }
    }
    let psnr = 10.0 * (255.0f64.powi(2) / (squared / f64::from(shown)).max(1e-9)).log10();
    assert!(
        psnr > 25.0,
        "{when}: outside the break room PSNR {psnr:.1} dB"
    );
}

#[test]
fn the_proxy_masks_a_camera_and_reconnects_when_it_drops() {
    init();
    let site = SiteFile::new(BREAK_ROOM_SITE);
    let camera = Camera::start();
    let mut settings = ProxySettings::new(camera.url(), site.path(), CAMERA);
    settings.listen = "rtsp://127.0.0.1:0/masked".parse().unwrap();
    settings.source_latency_ms = 50;
    settings.stall_timeout = Duration::from_secs(1);
    settings.connect_timeout = Duration::from_secs(5);
    settings.retry_delay = Duration::from_millis(200);
    settings.max_retry_delay = Duration::from_secs(1);
    let proxy = Proxy::start(settings).unwrap();
    let url = proxy.url();
    assert!(
        url.starts_with("rtsp://127.0.0.1:") && url.ends_with("/masked"),
        "{url}"
    );
    let mut running = Running::start(proxy);
    let minute = Duration::from_secs(20);
    running.wait_for("source_connected", minute, |e| {
        matches!(e, Event::SourceConnected { .. })
    });

    let bars = bars();
    let client = Client::open(&url);
    for n in 0..3 {
        assert_masked(&client.frame(minute), &bars, &format!("frame {n}"));
    }

    camera.unplug();
    running.wait_for("source_lost", minute, |e| {
        matches!(e, Event::SourceLost { .. })
    });
    camera.plug();
    running.wait_for("source_connected again", minute, |e| {
        matches!(e, Event::SourceConnected { .. })
    });
    // The client that stayed connected gets masked frames again, and so
    // does a new one.
    let again = Client::open(&url);
    for n in 0..3 {
        assert_masked(
            &client.frame(minute),
            &bars,
            &format!("after the drop, frame {n}"),
        );
        assert_masked(
            &again.frame(minute),
            &bars,
            &format!("new client, frame {n}"),
        );
    }
    drop((client, again));

    let events = running.stop();
    assert_eq!(events.last(), Some(&Event::Stopped));
    assert!(matches!(&events[0], Event::Listening { url: u } if *u == url));
    let decision = events
        .iter()
        .find_map(|e| match e {
            Event::Decision(d) => Some(d.clone()),
            _ => None,
        })
        .expect("a decision event");
    assert_eq!(decision["zones"][0]["masked"], true);
    assert_eq!(decision["zones"][0]["rule"], "R-AREA-PRIVATE");
    assert_eq!(decision["unknown_instant"], false, "{decision}");
    let at: jiff::Timestamp = decision["at"].as_str().unwrap().parse().unwrap();
    let off = jiff::Timestamp::now().duration_since(at).abs();
    assert!(
        off < jiff::SignedDuration::from_secs(300),
        "decided at {at}, {off:?} from now"
    );
}

#[test]
fn the_proxy_refuses_a_bad_site_file_before_it_listens() {
    init();
    let broken = SiteFile::new(&BREAK_ROOM_SITE.replace("area = \"private\"", "area = \"pivate\""));
    let mut settings = ProxySettings::new("rtsp://127.0.0.1:9/cam", broken.path(), CAMERA);
    settings.listen = "rtsp://127.0.0.1:0/masked".parse().unwrap();
    let err = Proxy::start(settings).err().expect("refused");
    assert!(matches!(err, gstsladd::Error::Policy(_)), "{err}");
    assert!(err.to_string().contains("site.toml:13:"), "{err}");

    let site = SiteFile::new(BREAK_ROOM_SITE);
    let mut settings = ProxySettings::new("not a uri", site.path(), CAMERA);
    settings.listen = "rtsp://127.0.0.1:0/masked".parse().unwrap();
    let err = Proxy::start(settings).err().expect("refused");
    assert_eq!(
        err.to_string(),
        "source 'not a uri' is not a URI (rtsp://…, file:///…, http://…)"
    );
}
