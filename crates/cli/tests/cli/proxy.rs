//! `sladd proxy` end to end on loopback: a fixture clip served masked over
//! RTSP and read back by FFmpeg's own RTSP client; bad set-ups refused
//! before anything listens.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{clip, code, err, s, Sladd};

/// The kiosk camera with its counter's back as a break room: masked at
/// every instant, so the test does not depend on the time of day.
const SITE: &str = r#"
[site]
name = "Proxytest"
timezone = "Europe/Oslo"

[[cameras]]
id = "kasse-1"
purposes = [{ purpose = "employee_safety" }]
risk_documented = true

[[cameras.zones]]
name = "Pauserommet"
area = "private"
polygon = [[0.6, 0.55], [0.95, 0.55], [0.95, 0.95], [0.6, 0.95]]
"#;

/// A running `sladd proxy --json` and its stdout lines.
struct Running {
    child: Child,
    lines: mpsc::Receiver<Value>,
}

impl Running {
    fn next(&self, what: &str) -> Value {
        self.lines
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no {what} line from sladd proxy within 30 s"))
    }

    /// Lines until one whose `event` is `name`.
    fn until(&self, name: &str) -> Value {
        for _ in 0..50 {
            let line = self.next(name);
            if line["event"] == name {
                return line;
            }
        }
        panic!("no {name} event in 50 lines");
    }

    /// Stops it as Ctrl-C does: its last event and its exit code.
    fn interrupt(&mut self) -> (Value, Option<i32>) {
        // SAFETY: `kill` with the pid of the child this test spawned and
        // SIGINT only sends a signal.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        let stopped = self.until("stopped");
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "sladd proxy did not exit");
            std::thread::sleep(Duration::from_millis(50));
        };
        (stopped, status.code())
    }
}

/// A test that fails half-way leaves no proxy running.
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_proxy(dir: &std::path::Path, site: &std::path::Path) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sladd"))
        .current_dir(dir)
        .args([
            "proxy",
            "--source",
            s(&clip("kiosk.mp4")),
            "--listen",
            "rtsp://127.0.0.1:0/kiosk",
        ])
        .args(["-c", s(site), "--camera", "kasse-1", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run sladd proxy");
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
            if tx.send(value).is_err() {
                return;
            }
        }
    });
    Running { child, lines }
}

#[test]
fn proxy_serves_a_clip_masked_over_rtsp() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.toml");
    std::fs::write(&site, SITE).unwrap();
    let mut proxy = spawn_proxy(dir.path(), &site);
    let url = proxy.until("listening")["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("rtsp://127.0.0.1:") && url.ends_with("/kiosk"),
        "{url}"
    );
    proxy.until("source_connected");
    let decision = proxy.until("decision");
    assert_eq!(
        decision["decision"]["zones"][0]["masked"], true,
        "{decision}"
    );
    assert_eq!(decision["decision"]["unknown_instant"], false, "{decision}");

    // FFmpeg's RTSP client, bounded by its own timeout and three frames.
    let raw = dir.path().join("frames.yuv");
    let client = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-rtsp_transport",
            "tcp",
            "-timeout",
            "20000000",
            "-i",
            &url,
        ])
        .args([
            "-frames:v",
            "3",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "yuv420p",
            "-y",
            s(&raw),
        ])
        .output()
        .expect("ffmpeg");
    assert!(
        client.status.success(),
        "{}",
        String::from_utf8_lossy(&client.stderr)
    );
    let frames = std::fs::read(&raw).unwrap();
    let (width, height) = (640usize, 360usize);
    let size = width * height * 3 / 2;
    assert_eq!(frames.len(), 3 * size);
    for (n, frame) in frames.chunks(size).enumerate() {
        let luma = &frame[..width * height];
        // Inside the break room, 4 px from its outline: the fill.
        for y in 202..338 {
            for x in 388..604 {
                let v = luma[y * width + x];
                assert!(
                    v.abs_diff(16) <= 12,
                    "frame {n} ({x}, {y}) = {v} in the break room"
                );
            }
        }
        // The rest of the picture still shows the clip.
        let top: Vec<u8> = luma[..width * 180].to_vec();
        assert!(
            top.iter().filter(|&&v| v.abs_diff(16) > 20).count() > width * 90,
            "frame {n} is dark"
        );
    }

    let (stopped, code) = proxy.interrupt();
    assert_eq!(stopped["event"], "stopped");
    assert_eq!(code, Some(0));
}

#[test]
fn proxy_refuses_bad_set_ups_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.toml");
    std::fs::write(
        &site,
        SITE.replace("area = \"private\"", "area = \"privat\""),
    )
    .unwrap();
    let kiosk = clip("kiosk.mp4");
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec!["--source", s(&kiosk), "-c", s(&site), "--camera", "kasse-1"],
            "site.toml:13:",
        ),
        (
            vec![
                "--source",
                "/nonexistent.mp4",
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
            ],
            "source '/nonexistent.mp4' is not a URI",
        ),
        (
            vec![
                "--source",
                s(&kiosk),
                "--listen",
                "http://127.0.0.1/x",
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
            ],
            "it must start with rtsp://",
        ),
        (
            vec![
                "--source",
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
                "--style",
                "sparkle",
            ],
            "sparkle",
        ),
    ];
    for (args, expected) in cases {
        let out = Sladd::new(dir.path(), "proxy").args(&args).run();
        assert_eq!(code(&out), 2, "{args:?}: {}", err(&out));
        assert!(err(&out).contains(expected), "{args:?}: {}", err(&out));
    }
}
