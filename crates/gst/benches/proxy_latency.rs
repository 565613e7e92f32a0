//! The proxy's added glass-to-glass latency on loopback.
//!
//! An RTSP "camera" in this process (`videotestsrc`, x264 `zerolatency`)
//! writes the wall-clock time into every frame as it is captured (40
//! black-or-white 16×16 blocks in two rows at the top left). Two RTSP clients decode at
//! once: one straight from the camera, one through `sladd proxy`'s
//! pipeline (`gstsladd::proxy`, default settings but the port). Each reads
//! the time back from the decoded pixels on arrival; the proxy's cost is
//! the difference of the two medians, taken in the same run.
//!
//! ```text
//! cargo bench -p gst-plugin-sladd --bench proxy_latency             # 1280x720, 25 fps, 10 s
//! cargo bench -p gst-plugin-sladd --bench proxy_latency -- 1920 1080 20
//! ```

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gst::glib;
use gst::prelude::*;
use gst_rtsp_server::prelude::*;
use gst_video::prelude::*;
use gstsladd::proxy::{Proxy, ProxySettings};

/// The stamp is the time in microseconds modulo 2^40 (about 12.7 days).
const BITS: u32 = 40;
const BLOCK: u32 = 16;
/// Blocks per row of the stamp: two rows of 20 fit a 320-pixel frame.
const PER_ROW: u32 = 20;

/// The top-left corner of the block for `bit`.
fn block(bit: u32) -> (usize, usize) {
    (
        (bit % PER_ROW * BLOCK) as usize,
        (bit / PER_ROW * BLOCK) as usize,
    )
}

/// A break room in the bottom right, away from the time stamp.
const SITE: &str = r#"
[site]
name = "Latency"
timezone = "Europe/Oslo"

[[cameras]]
id = "cam"
purposes = [{ purpose = "employee_safety" }]
risk_documented = true

[[cameras.zones]]
name = "Pauserommet"
area = "private"
polygon = [[0.55, 0.5], [0.95, 0.5], [0.95, 0.95], [0.55, 0.95]]
"#;

/// Microseconds since 1970, modulo 2^40.
fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64
        & ((1 << BITS) - 1)
}

/// Writes `value` into the top rows of an I420 frame's luma.
fn stamp(frame: &mut gst_video::VideoFrameRef<&mut gst::BufferRef>, value: u64) {
    let stride = frame.plane_stride()[0] as usize;
    let luma = frame.plane_data_mut(0).unwrap();
    for bit in 0..BITS {
        let level = if value >> bit & 1 == 1 { 235 } else { 16 };
        let (x0, y0) = block(bit);
        for y in y0..y0 + BLOCK as usize {
            luma[y * stride + x0..y * stride + x0 + BLOCK as usize].fill(level);
        }
    }
}

/// Reads the stamp back from the centres of the blocks.
fn read_stamp(luma: &[u8], stride: usize) -> u64 {
    (0..BITS).fold(0, |value, bit| {
        let (x0, y0) = block(bit);
        let half = (BLOCK / 2) as usize;
        value | (u64::from(luma[(y0 + half) * stride + x0 + half] > 128) << bit)
    })
}

/// The camera: an RTSP server on loopback stamping every frame.
fn camera(width: u32, height: u32) -> (gst_rtsp_server::RTSPServer, glib::MainLoop, String) {
    let server = gst_rtsp_server::RTSPServer::new();
    server.set_address("127.0.0.1");
    server.set_service("0");
    let factory = gst_rtsp_server::RTSPMediaFactory::new();
    factory.set_launch(&format!(
        "( videotestsrc name=src is-live=true pattern=smpte \
           ! video/x-raw,format=I420,width={width},height={height},framerate=25/1 \
           ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 \
           ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
    ));
    factory.set_shared(true);
    factory.connect_media_configure(|_, media| {
        let bin = media.element().downcast::<gst::Bin>().unwrap();
        let pad = bin.by_name("src").unwrap().static_pad("src").unwrap();
        pad.add_probe(gst::PadProbeType::BUFFER, |pad, info| {
            let caps = pad.current_caps().unwrap();
            let video = gst_video::VideoInfo::from_caps(&caps).unwrap();
            if let Some(buffer) = info.buffer_mut() {
                let mut frame =
                    gst_video::VideoFrameRef::from_buffer_ref_writable(buffer.make_mut(), &video)
                        .unwrap();
                stamp(&mut frame, now_us());
            }
            gst::PadProbeReturn::Ok
        });
    });
    server.mount_points().unwrap().add_factory("/cam", factory);
    let context = glib::MainContext::new();
    server.attach(Some(&context)).unwrap();
    let url = format!("rtsp://127.0.0.1:{}/cam", server.bound_port());
    let main_loop = glib::MainLoop::new(Some(&context), false);
    let running = main_loop.clone();
    std::thread::spawn(move || running.run());
    (server, main_loop, url)
}

/// A client collecting arrival minus capture time, in milliseconds.
fn client(url: &str, latencies: Arc<Mutex<Vec<f64>>>) -> gst::Pipeline {
    let pipeline = gst::parse::launch(&format!(
        "rtspsrc location={url} latency=0 protocols=tcp ! rtph264depay ! avdec_h264 \
         ! video/x-raw,format=I420 ! appsink name=sink sync=false"
    ))
    .unwrap()
    .downcast::<gst::Pipeline>()
    .unwrap();
    let sink = pipeline
        .by_name("sink")
        .unwrap()
        .downcast::<gst_app::AppSink>()
        .unwrap();
    sink.set_callbacks(
        gst_app::AppSinkCallbacks::builder()
            .new_sample(move |sink| {
                let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                let arrived = now_us();
                let info = gst_video::VideoInfo::from_caps(sample.caps().unwrap()).unwrap();
                let frame = gst_video::VideoFrameRef::from_buffer_ref_readable(
                    sample.buffer().unwrap(),
                    &info,
                )
                .unwrap();
                let captured = read_stamp(
                    frame.plane_data(0).unwrap(),
                    frame.plane_stride()[0] as usize,
                );
                let ms = (arrived.wrapping_sub(captured) & ((1 << BITS) - 1)) as f64 / 1000.0;
                if (0.0..10_000.0).contains(&ms) {
                    latencies.lock().unwrap().push(ms);
                }
                Ok(gst::FlowSuccess::Ok)
            })
            .build(),
    );
    pipeline.set_state(gst::State::Playing).unwrap();
    pipeline
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let args: Vec<u32> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (width, height, seconds) = match args[..] {
        [w, h, s, ..] => (w, h, s),
        [w, h] => (w, h, 10),
        _ => (1280, 720, 10),
    };
    gst::init().unwrap();
    gstsladd::plugin_register_static().unwrap();
    let (_server, camera_loop, camera_url) = camera(width, height);

    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.toml");
    std::fs::write(&site, SITE).unwrap();
    let mut settings = ProxySettings::new(camera_url.clone(), &site, "cam");
    settings.listen = "rtsp://127.0.0.1:0/cam".parse().unwrap();
    let proxy = Proxy::start(settings).unwrap();
    let proxy_url = proxy.url();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let runner = std::thread::spawn(move || proxy.run(&flag, |e| eprintln!("proxy: {e}")).unwrap());
    std::thread::sleep(Duration::from_secs(2));

    let direct = Arc::new(Mutex::new(Vec::new()));
    let proxied = Arc::new(Mutex::new(Vec::new()));
    let a = client(&camera_url, direct.clone());
    let b = client(&proxy_url, proxied.clone());
    // Let both start at a key frame and settle, then measure.
    std::thread::sleep(Duration::from_secs(2));
    direct.lock().unwrap().clear();
    proxied.lock().unwrap().clear();
    let start = Instant::now();
    std::thread::sleep(Duration::from_secs(u64::from(seconds)));
    let elapsed = start.elapsed().as_secs_f64();
    for p in [&a, &b] {
        p.set_state(gst::State::Null).unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    runner.join().unwrap();
    camera_loop.quit();

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut direct = direct.lock().unwrap().clone();
    let mut proxied = proxied.lock().unwrap().clone();
    assert!(
        !direct.is_empty() && !proxied.is_empty(),
        "no frames measured"
    );
    let (d50, p50) = (percentile(&mut direct, 0.5), percentile(&mut proxied, 0.5));
    let (d90, p90) = (percentile(&mut direct, 0.9), percentile(&mut proxied, 0.9));
    println!(
        "{width}x{height} @ 25 fps, {elapsed:.0} s, load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("| path | frames | median | p90 |");
    println!("|---|---|---|---|");
    println!(
        "| camera → client | {} | {d50:.1} ms | {d90:.1} ms |",
        direct.len()
    );
    println!(
        "| camera → sladd proxy → client | {} | {p50:.1} ms | {p90:.1} ms |",
        proxied.len()
    );
    println!(
        "| added by the proxy | | {:.1} ms | {:.1} ms |",
        p50 - d50,
        p90 - d90
    );
}
