//! `sladd proxy`: pulls a camera's stream, masks it and serves it again
//! over RTSP (the pipeline is `gstsladd::proxy`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Result;
use gstsladd::proxy::{Event, Listen, Proxy, ProxySettings};

use crate::exit::{Exit, Failure};

/// Mask a live stream and serve it again over RTSP.
///
/// Pulls the source (a camera's RTSP URL, or any URI or file GStreamer
/// reads), masks every frame as the site policy decides at the camera's
/// capture time (from its RTCP sender reports; else the time the frame
/// passes), re-encodes it as H.264 and serves it at --listen. Reconnects
/// whenever the source drops; audio is never forwarded. Runs until Ctrl-C
/// (or SIGTERM), then exits 0.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd proxy --source rtsp://192.0.2.10/stream1 -c site.toml --camera kasse-1
  sladd proxy --source rtsp://192.0.2.10/stream1 --listen rtsp://127.0.0.1:8554/kasse-1 -c site.toml --camera kasse-1 --json
  sladd proxy --source fixtures/clips/kiosk.mp4 -c fixtures/site.toml --camera kasse-1")]
pub(crate) struct Args {
    /// The camera's stream: rtsp://…, another URI GStreamer reads, or a
    /// file.
    #[arg(long, value_name = "URL")]
    source: String,
    /// Where to serve the masked stream [default:
    /// rtsp://127.0.0.1:8554/CAMERA]. Loopback unless this names another
    /// address.
    #[arg(long, value_name = "URL", value_parser = parse_listen)]
    listen: Option<Listen>,
    /// The site file (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    config: PathBuf,
    /// The camera's id in the site file.
    #[arg(long, value_name = "ID")]
    camera: String,
    /// The style masked zones get where the site file names none
    /// (fill, fill:#rrggbb, pixelate[:BLOCK], blur[:RADIUS]).
    #[arg(long, value_name = "STYLE", value_parser = parse_style)]
    style: Option<String>,
    /// Masking threads (0: one per core).
    #[arg(long, value_name = "N", default_value_t = 1)]
    threads: u32,
    /// The source's jitter-buffer latency in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 200)]
    latency: u32,
    /// The H.264 bit rate in kbit/s.
    #[arg(long, value_name = "KBPS", default_value_t = 4000)]
    bitrate: u32,
    /// H.264 encoder threads: 1 adds the least latency; each further
    /// thread adds a frame of latency and encodes faster (0: x264's
    /// choice).
    #[arg(long, value_name = "N", default_value_t = 1)]
    encoder_threads: u32,
    /// Print one JSON object per line on stdout for each event.
    #[arg(long)]
    json: bool,
}

fn parse_listen(s: &str) -> Result<Listen, String> {
    s.parse().map_err(|e: gstsladd::Error| e.to_string())
}

fn parse_style(s: &str) -> Result<String, String> {
    super::parse_style(s).map(|_| s.to_owned())
}

pub(crate) fn run(args: &Args) -> Result<Exit> {
    let source = gstsladd::proxy::source_uri(&args.source).map_err(usage)?;
    let mut settings = ProxySettings::new(source, &args.config, &args.camera);
    if let Some(listen) = &args.listen {
        settings.listen = listen.clone();
    }
    settings.style = args.style.clone();
    settings.threads = args.threads;
    settings.source_latency_ms = args.latency;
    settings.bitrate_kbps = args.bitrate;
    settings.encoder_threads = args.encoder_threads;
    if !settings.listen.is_loopback() {
        eprintln!(
            "sladd: warning: {} is reachable from other machines",
            settings.listen
        );
    }
    let proxy = Proxy::start(settings).map_err(|e| match e {
        gstsladd::Error::Policy(e) => anyhow::Error::new(e),
        gstsladd::Error::Source { .. } => usage(e),
        other => anyhow::Error::new(Failure {
            exit: Exit::Output,
            message: other.to_string(),
        }),
    })?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    proxy.run(&stop, |event| report(event, args.json))?;
    Ok(Exit::Success)
}

fn usage(error: gstsladd::Error) -> anyhow::Error {
    anyhow::Error::new(Failure {
        exit: Exit::Usage,
        message: error.to_string(),
    })
}

/// One status line: JSON on stdout, or words on stderr.
fn report(event: &Event, json: bool) {
    if json {
        println!("{}", event.to_json());
    } else {
        eprintln!("sladd: {event}");
    }
}
