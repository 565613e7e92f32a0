//! What real archives hold: outputs that are devices or shared between
//! runs, containers and codecs that do not fit, interlaced and multi-stream
//! recordings, wrong camera clocks. One regression test per case, each on
//! inputs the test makes with the ffmpeg CLI (tiny: a few frames of a few
//! dozen pixels).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use super::support::*;

/// A site with one camera, `cam`, whose only zone is private (always
/// filled black) over the left half of the picture.
fn half_site(dir: &Path) -> PathBuf {
    let path = dir.join("site.toml");
    std::fs::write(
        &path,
        r#"[site]
name = "Archive"
timezone = "Europe/Oslo"

[[cameras]]
id = "cam"
purposes = [{ purpose = "employee_safety" }]
legal_basis = "legitimate_interest"
documented_assessment = true
risk_documented = true

[[cameras.zones]]
name = "Left"
area = "private"
polygon = [[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]]
"#,
    )
    .unwrap();
    path
}

/// A test clip made by the ffmpeg CLI: `frames` frames of `testsrc2` at
/// `size`, 25 fps, then `extra` (codec, flags, metadata) and the output.
fn make_clip(path: &Path, size: &str, frames: u32, extra: &[&str]) -> PathBuf {
    let source = format!("testsrc2=size={size}:rate=25");
    let frames = frames.to_string();
    let mut args = vec!["-f", "lavfi", "-i", &source, "-frames:v", &frames];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-y", s(path)]);
    ffmpeg(&args);
    path.to_path_buf()
}

/// A small H.264 clip in MP4.
fn h264_clip(dir: &Path, name: &str) -> PathBuf {
    make_clip(
        &dir.join(name),
        "64x48",
        10,
        &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ],
    )
}

/// `sladd ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    Sladd::in_dir(dir).args(args).run()
}

/// `sladd redact INPUT -c SITE --camera cam -o OUTPUT --json EXTRA` in `dir`.
fn redact(dir: &Path, input: &Path, output: &str, extra: &[&str]) -> Output {
    let site = half_site(dir);
    let mut args = vec![
        "redact",
        s(input),
        "-c",
        s(&site),
        "--camera",
        "cam",
        "-o",
        output,
        "--json",
    ];
    args.extend_from_slice(extra);
    run(dir, &args)
}

fn assert_exit(out: &Output, expected: i32, needle: &str) {
    let text = format!("{}{}", err(out), String::from_utf8_lossy(&out.stdout));
    assert!(!text.contains("panicked"), "{text}");
    assert_eq!(code(out), expected, "{text}");
    assert!(text.contains(needle), "{needle:?} not in {text}");
}

// ---- 1. Outputs are regular files, written once ----

/// Regression: `-o /dev/null`, run as root, replaced the `/dev/null`
/// device with a regular file and wrote `/dev/null.manifest.json`.
/// Checked on a character device of its own when the test runs as root
/// (so a regression cannot destroy the machine's), else on `/dev/null`.
#[test]
fn output_dev_null_is_refused_and_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let input = h264_clip(dir.path(), "in.mp4");
    let own = dir.path().join("null");
    let device = if Command::new("mknod")
        .args([s(&own), "c", "1", "3"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        own
    } else {
        PathBuf::from("/dev/null")
    };
    let out = redact(dir.path(), &input, s(&device), &[]);
    assert_exit(&out, 2, "is a character device, not a regular file");
    let meta = std::fs::metadata(&device).unwrap();
    assert!(meta.file_type().is_char_device(), "{meta:?}");
    let mut manifest = device.clone().into_os_string();
    manifest.push(".manifest.json");
    assert!(!Path::new(&manifest).exists());
}

/// Regression: `-o -` wrote a file named `-`.
#[test]
fn output_dash_is_refused_and_writes_no_file_named_dash() {
    let dir = tempfile::tempdir().unwrap();
    let input = h264_clip(dir.path(), "in.mp4");
    let out = redact(dir.path(), &input, "-", &[]);
    assert_exit(&out, 2, "the output '-' names no file");
    assert!(!dir.path().join("-").exists());
}

/// FIFOs, sockets and folders are refused the same way, before any work.
#[test]
fn outputs_that_are_fifos_sockets_or_folders_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = h264_clip(dir.path(), "in.mp4");
    let fifo = dir.path().join("fifo.mp4");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let socket = dir.path().join("socket.mp4");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let folder = dir.path().join("folder.mp4");
    std::fs::create_dir(&folder).unwrap();
    for (path, needle) in [
        (&fifo, "is a FIFO"),
        (&socket, "is a socket"),
        (&folder, "names a folder"),
    ] {
        let out = redact(dir.path(), &input, s(path), &[]);
        assert_exit(&out, 2, needle);
    }
    // A manifest path that is a folder is refused too.
    std::fs::create_dir(dir.path().join("out.mp4.manifest.json")).unwrap();
    let out = redact(dir.path(), &input, "out.mp4", &[]);
    assert_exit(&out, 2, "out.mp4.manifest.json is a folder");
    assert!(!dir.path().join("out.mp4").exists());
}

/// Regression: two runs writing the same output shared one temporary
/// name: one reported ok, the other `cannot flush ...: No such file or
/// directory`, and the output held one run's video under the other run's
/// manifest. Now each run writes a file of its own; the output and its
/// manifest always belong to the same run, and a run whose output was
/// taken meanwhile says so (exit 4). (The library test
/// `two_runs_writing_one_output_share_no_temporary_name` holds one run in
/// the middle to force the conflict; here the runs race freely.)
#[test]
fn two_runs_writing_one_output_never_mix_video_and_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let a = h264_clip(dir.path(), "a.mp4");
    let b = make_clip(
        &dir.path().join("b.mp4"),
        "96x64",
        20,
        &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ],
    );
    let site = half_site(dir.path());
    let spawn = |input: &Path| {
        Command::new(env!("CARGO_BIN_EXE_sladd"))
            .current_dir(dir.path())
            .args(["redact", s(input), "-c", s(&site), "--camera", "cam"])
            .args(["-o", "out.mp4", "--json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(&a), spawn(&b));
    let outs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let codes: Vec<i32> = outs.iter().map(code).collect();
    let ok: Vec<usize> = (0..2).filter(|&i| codes[i] == 0).collect();
    assert!(
        !ok.is_empty(),
        "{codes:?}: {}",
        err(&outs[0]) + &err(&outs[1])
    );
    for (i, out) in outs.iter().enumerate() {
        if codes[i] != 0 {
            assert_exit(out, 4, "another run wrote");
        }
    }
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.mp4.manifest.json")).unwrap())
            .unwrap();
    let hex: String = sha256(&dir.path().join("out.mp4"))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(manifest["output"]["sha256"], hex.as_str(), "{manifest}");
    let names_left = names(dir.path());
    assert!(
        names_left.iter().all(|n| !n.contains("sladd-tmp")),
        "{names_left:?}"
    );
    // The manifest names the input of a run that reported ok, and the
    // output holds that input's size.
    let input = manifest["input"]["path"].as_str().unwrap().to_owned();
    let winner = if input.ends_with("a.mp4") { 0 } else { 1 };
    assert_eq!(codes[winner], 0, "{manifest}");
    let width = if winner == 0 { 64 } else { 96 };
    let out = dir.path().join("out.mp4");
    let probed = probe(&out, &["-show_entries", "stream=width", "-of", "csv=p=0"]);
    assert_eq!(probed.trim(), width.to_string());
}

// ---- 2. Every output is checked before it is named ----

/// `ffprobe`'s `codec_name` and `codec_tag_string` of the first video
/// stream.
fn video_codec(path: &Path) -> (String, String) {
    let entries = "stream=codec_name,codec_tag_string";
    let probed = probe(
        path,
        &[
            "-select_streams",
            "v:0",
            "-show_entries",
            entries,
            "-of",
            "csv=p=0",
        ],
    );
    let text = probed.trim().to_owned();
    let (name, tag) = text.split_once(',').unwrap_or((&text, ""));
    (name.to_owned(), tag.to_owned())
}

/// `sladd verify ORIGINAL REDACTED` against the half site passes.
fn assert_verifies(dir: &Path, original: &Path, redacted: &str) {
    let site = half_site(dir);
    let out = run(
        dir,
        &[
            "verify",
            s(original),
            redacted,
            "-c",
            s(&site),
            "--camera",
            "cam",
        ],
    );
    assert_eq!(
        code(&out),
        0,
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        err(&out)
    );
}

/// Redacts `input` to `output` in `dir`, expecting success; the report.
fn redact_ok(dir: &Path, input: &Path, output: &str) -> Value {
    let out = redact(dir, input, output, &[]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    json(&out)["files"][0].clone()
}

/// Regression: an HEVC input written to `.avi` exited 0 with a manifest,
/// but the file was unreadable (codec tag 0; ffprobe saw rawvideo).
#[test]
fn hevc_written_to_avi_is_h264_that_plays() {
    let dir = tempfile::tempdir().unwrap();
    let input = make_clip(
        &dir.path().join("in.mkv"),
        "64x48",
        8,
        &["-c:v", "libx265", "-x265-params", "log-level=error"],
    );
    let report = redact_ok(dir.path(), &input, "out.avi");
    assert_eq!(report["encoder"], "libx264", "{report}");
    let notes = report["notes"].to_string();
    assert!(notes.contains("AVI cannot hold HEVC video"), "{notes}");
    let (codec, tag) = video_codec(&dir.path().join("out.avi"));
    assert_eq!(codec, "h264");
    assert_eq!(tag, "H264");
    assert_verifies(dir.path(), &input, "out.avi");
}

/// Regression: every `.webm` output failed with exit 4 "cannot write ...:
/// Invalid argument" (VP9 input re-encoded as H.264, which WebM cannot
/// hold).
#[test]
fn vp9_written_to_webm_stays_vp9() {
    let dir = tempfile::tempdir().unwrap();
    let input = make_clip(
        &dir.path().join("in.webm"),
        "64x48",
        8,
        &[
            "-c:v",
            "libvpx-vp9",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
        ],
    );
    let report = redact_ok(dir.path(), &input, "out.webm");
    assert_eq!(report["encoder"], "libvpx-vp9", "{report}");
    assert_eq!(video_codec(&dir.path().join("out.webm")).0, "vp9");
    assert_verifies(dir.path(), &input, "out.webm");
    // And H.264 written to WebM becomes VP9 too, saying so.
    let h264 = h264_clip(dir.path(), "h264.mp4");
    let report = redact_ok(dir.path(), &h264, "h264.webm");
    assert!(
        report["notes"]
            .to_string()
            .contains("WebM cannot hold H.264"),
        "{report}"
    );
}

/// Regression: H.264 with B-frames written into AVI shifted every
/// timestamp by two frames, so `sladd verify` failed sladd's own output.
#[test]
fn h264_with_b_frames_written_to_avi_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let input = make_clip(
        &dir.path().join("in.mp4"),
        "64x48",
        12,
        &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-bf",
            "3",
            "-pix_fmt",
            "yuv420p",
        ],
    );
    let report = redact_ok(dir.path(), &input, "out.avi");
    assert!(
        report["notes"].to_string().contains("without B-frames"),
        "{report}"
    );
    assert_verifies(dir.path(), &input, "out.avi");
}

/// A file that would not play back as written (here: a variable frame
/// rate, which AVI cannot store) is an error, never exit 0, and nothing is
/// left under its name.
#[test]
fn an_output_that_would_not_play_back_as_written_is_never_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = make_clip(
        &dir.path().join("vfr.mp4"),
        "64x48",
        10,
        &[
            "-vf",
            "setpts=N*0.04/TB+gte(N\\,5)*0.5/TB",
            "-fps_mode",
            "passthrough",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
        ],
    );
    let out = redact(dir.path(), &input, "out.avi", &[]);
    assert_exit(&out, 4, "out.avi would not play back as written");
    assert_exit(&out, 4, "write .mkv or .mp4 instead");
    let left = names(dir.path());
    assert!(
        left.iter()
            .all(|n| !n.starts_with("out.avi") && !n.contains("sladd-tmp")),
        "{left:?}"
    );
    // The same input in Matroska keeps every timestamp.
    redact_ok(dir.path(), &input, "out.mkv");
    assert_verifies(dir.path(), &input, "out.mkv");
}

/// A container no muxer writes (Dahua's `.dav`) is refused before any
/// frame is encoded, naming containers that work.
#[test]
fn an_output_container_ffmpeg_cannot_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = h264_clip(dir.path(), "in.mp4");
    let out = redact(dir.path(), &input, "out.dav", &[]);
    assert_exit(&out, 2, "sladd cannot write .dav files");
    assert_exit(&out, 2, "write .mkv or .mp4 instead");
    assert!(!dir.path().join("out.dav").exists());
}

// ---- 5. Camera clocks are judged ----

/// A site whose camera masks its counter (but the till) while staff are
/// there (opening hours, 08:00-20:00 in Oslo) and shows it at night: a
/// start taken at night shows the counter, an unknown start masks it.
fn counter_site(dir: &Path, clock_valid_from: Option<&str>) -> PathBuf {
    let path = dir.join("counter.toml");
    let clock = clock_valid_from.map_or(String::new(), |d| format!("clock_valid_from = \"{d}\"\n"));
    std::fs::write(
        &path,
        format!(
            r#"[site]
name = "Clocks"
timezone = "Europe/Oslo"
opening_hours = ["daily 08:00-20:00"]

[[cameras]]
id = "cam"
purposes = [{{ purpose = "employee_safety" }}]
legal_basis = "legitimate_interest"
documented_assessment = true
risk_documented = true
{clock}
[[cameras.zones]]
name = "Counter"
area = "restricted_circle"
staff_present = "opening_hours"
polygon = [[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]]
objects = [[[0.0, 0.0], [0.1, 0.0], [0.1, 0.1]]]
"#
        ),
    )
    .unwrap();
    path
}

/// A clip whose container says it was made at `creation_time`.
fn dated_clip(dir: &Path, name: &str, creation_time: &str) -> PathBuf {
    make_clip(
        &dir.join(name),
        "32x24",
        3,
        &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-metadata",
            &format!("creation_time={creation_time}"),
        ],
    )
}

/// Regression: a `creation_time` of 1970-01-02T03:00Z, 1980-01-01,
/// 2000-01-01, 2001-01-01 (Matroska's zero date) or 2099-01-01 was trusted
/// as the real recording time (only up to 1970-01-02 counted as unknown),
/// so a time-limited zone was shown at the wrong hour. Each now counts as
/// unknown (the counter is masked), with a note naming the value, and
/// `sladd check` reports each recording.
#[test]
fn implausible_creation_times_count_as_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let site = counter_site(dir.path(), None);
    const EARLY: &str = "is before the camera's clock is trusted (2005-01-01T00:00:00Z)";
    const ZERO: &str = "is a zero date written by a camera without a set clock";
    let clips = [
        ("epoch.mp4", "1970-01-02T03:00:00Z", EARLY),
        ("dos.mp4", "1980-01-01T00:00:00Z", ZERO),
        ("dvr.mp4", "2000-01-01T00:00:00Z", EARLY),
        ("zero.mkv", "2001-01-01T00:00:00Z", ZERO),
        (
            "future.mkv",
            "2099-01-01T00:00:00Z",
            "more than a day after the time of the run",
        ),
    ];
    for (name, creation_time, why) in clips {
        let input = dated_clip(dir.path(), name, creation_time);
        let out = run(
            dir.path(),
            &[
                "redact",
                s(&input),
                "-c",
                s(&site),
                "-o",
                &format!("out-{name}"),
                "--json",
            ],
        );
        assert_eq!(code(&out), 0, "{name}: {}", err(&out));
        assert!(
            err(&out).contains("camera cam (the site's only camera)"),
            "{}",
            err(&out)
        );
        let report = &json(&out)["files"][0];
        assert_eq!(report["start"], Value::Null, "{name}: {report}");
        assert_eq!(report["start_source"], "unknown", "{name}");
        let notes = report["notes"].to_string();
        assert!(notes.contains(why), "{name}: {notes}");
        assert!(notes.contains(&creation_time[..10]), "{name}: {notes}");
        let masked = report["decisions"][0]["masked_zones"][0]
            .as_str()
            .unwrap_or("");
        assert!(masked.starts_with("Counter ("), "{name}: {report}");
    }
    // The same clip at a believable night-time instant shows the counter.
    let night = dated_clip(dir.path(), "night.mp4", "2024-03-12T02:00:00Z");
    let out = run(
        dir.path(),
        &[
            "redact",
            s(&night),
            "-c",
            s(&site),
            "-o",
            "out-night.mp4",
            "--json",
        ],
    );
    let report = &json(&out)["files"][0];
    assert_eq!(report["start_source"], "creation_time", "{report}");
    assert_eq!(
        report["decisions"][0]["masked_zones"],
        serde_json::json!([])
    );

    // `sladd check` names every recording whose clock it would not trust.
    let names: Vec<&str> = clips.iter().map(|c| c.0).collect();
    let mut args = vec!["check", "-c", s(&site), "--json"];
    args.extend(&names);
    args.push("night.mp4");
    let out = run(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", err(&out));
    let findings: Vec<Value> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "R-CLOCK")
        .cloned()
        .collect();
    assert_eq!(findings.len(), clips.len(), "{findings:?}");
    for ((name, creation_time, _), finding) in clips.iter().zip(&findings) {
        let message = finding["message"].as_str().unwrap();
        assert!(
            message.contains(name) && message.contains(&creation_time[..10]),
            "{message}"
        );
        assert_eq!(finding["severity"], "warning");
        assert_eq!(finding["camera"], "cam");
    }
}

/// Per camera, `clock_valid_from` (a day in the site's time zone) moves
/// the window: a clip from before the camera's clock was set counts as
/// unknown, a later one is believed.
#[test]
fn clock_valid_from_rejects_earlier_creation_times() {
    let dir = tempfile::tempdir().unwrap();
    let site = counter_site(dir.path(), Some("2024-06-01"));
    let before = dated_clip(dir.path(), "before.mp4", "2024-05-31T02:00:00Z");
    let after = dated_clip(dir.path(), "after.mp4", "2024-06-02T02:00:00Z");
    for (input, source) in [(&before, "unknown"), (&after, "creation_time")] {
        let out = run(
            dir.path(),
            &[
                "redact",
                s(input),
                "-c",
                s(&site),
                "--camera",
                "cam",
                "-o",
                "out.mp4",
                "--json",
            ],
        );
        assert_eq!(code(&out), 0, "{}", err(&out));
        let report = &json(&out)["files"][0];
        assert_eq!(report["start_source"], source, "{report}");
        if source == "unknown" {
            assert!(
                report["notes"]
                    .to_string()
                    .contains("before the camera's clock is trusted (2024-05-31T22:00:00Z)"),
                "{report}"
            );
        }
        // verify decides as redact did, with and without the manifest.
        let verify = run(
            dir.path(),
            &[
                "verify",
                s(input),
                "out.mp4",
                "-c",
                s(&site),
                "--manifest",
                "out.mp4.manifest.json",
            ],
        );
        assert_eq!(
            code(&verify),
            0,
            "{}",
            String::from_utf8_lossy(&verify.stdout)
        );
    }
}

// ---- 7. The smaller ones ----

/// Regression: a JSON site file with a UTF-8 byte-order mark was refused
/// (TOML with one was accepted); and a one-camera site still demanded
/// `--camera`.
#[test]
fn a_json_site_with_a_byte_order_mark_and_one_camera_needs_no_camera_flag() {
    let dir = tempfile::tempdir().unwrap();
    let input = h264_clip(dir.path(), "in.mp4");
    let json_site = dir.path().join("site.json");
    std::fs::write(
        &json_site,
        "\u{feff}{\"site\": {\"name\": \"Bom\"}, \"cameras\": [{\"id\": \"solo\", \
         \"purposes\": [{\"purpose\": \"employee_safety\"}], \"risk_documented\": true, \
         \"zones\": [{\"name\": \"Left\", \"area\": \"private\", \
         \"polygon\": [[0, 0], [0.5, 0], [0.5, 1], [0, 1]]}]}]}",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "redact",
            s(&input),
            "-c",
            s(&json_site),
            "-o",
            "out.mp4",
            "--json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    assert!(
        err(&out).contains("sladd: camera solo (the site's only camera)"),
        "{}",
        err(&out)
    );
    assert_eq!(json(&out)["camera"], "solo");
    let out = run(
        dir.path(),
        &["verify", s(&input), "out.mp4", "-c", s(&json_site)],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    // A site with several cameras still asks which.
    let two = dir.path().join("two.toml");
    std::fs::write(
        &two,
        "[site]\nname = \"Two\"\n[[cameras]]\nid = \"a\"\n[[cameras]]\nid = \"b\"\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["redact", s(&input), "-c", s(&two), "-o", "x.mp4"],
    );
    assert_exit(&out, 2, "the site has 2 cameras (a, b): give --camera ID");
}

// ---- 6. Progress a person can follow ----

/// Regression: with stderr not a terminal (cron, systemd, CI logs), a
/// 30-second file printed nothing between its start and end lines. Now a
/// line every `--progress-interval` seconds (here: every frame) gives the
/// file's frames, percent, speed, elapsed and remaining time, and the
/// batch's; `--quiet` prints none of it.
#[test]
fn progress_lines_come_while_a_file_runs_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let input = make_clip(
        &dir.path().join("long.mp4"),
        "32x24",
        40,
        &["-c:v", "libx264", "-preset", "ultrafast"],
    );
    let out = redact(dir.path(), &input, "out.mp4", &["--progress-interval", "0"]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    let text = err(&out);
    let lines: Vec<&str> = text.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("sladd: redacting"))
        .unwrap();
    let last = lines.iter().position(|l| l.contains("[1/1]")).unwrap();
    let between: Vec<&&str> = lines[first + 1..last]
        .iter()
        .filter(|l| l.contains("long.mp4: "))
        .collect();
    assert!(between.len() >= 10, "{text}");
    let sample = between[between.len() / 2];
    for field in [
        "/40 frames (",
        "%), ",
        " fps, ",
        " elapsed, eta ",
        "; batch 0/1 files, ",
    ] {
        assert!(sample.contains(field), "{field:?} not in {sample}");
    }
    let quiet = redact(dir.path(), &input, "quiet.mp4", &["--quiet"]);
    assert_eq!(code(&quiet), 0);
    assert!(!err(&quiet).contains("frames"), "{}", err(&quiet));
    assert!(!err(&quiet).contains("sladd: redacting"), "{}", err(&quiet));
}

/// Regression: on a terminal the file name was cut to 9 characters at 120
/// columns and fps showed four decimals. Run under a pseudo-terminal of
/// 120 columns (util-linux `script`), the whole name and a one-decimal
/// speed are drawn.
#[test]
fn a_terminal_shows_the_whole_name_and_one_decimal() {
    let dir = tempfile::tempdir().unwrap();
    let name = "camera-kasse-1-recording-2026-11-24-093000.mp4";
    let input = make_clip(
        &dir.path().join(name),
        "32x24",
        40,
        &["-c:v", "libx264", "-preset", "ultrafast"],
    );
    let site = half_site(dir.path());
    let command = format!(
        "stty cols 120 rows 40; {} redact {} -c {} --camera cam -o out.mp4",
        env!("CARGO_BIN_EXE_sladd"),
        s(&input),
        s(&site)
    );
    let out = Command::new("script")
        .current_dir(dir.path())
        .env("TERM", "xterm")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("util-linux script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let screen = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(screen.contains(&format!("{} ", s(&input))), "{screen}");
    let fps: Vec<&str> = screen.split(" fps").collect();
    assert!(fps.len() > 1, "{screen}");
    for before in &fps[..fps.len() - 1] {
        let number = before.rsplit(' ').next().unwrap_or("");
        let decimals = number.split('.').nth(1).map_or(0, str::len);
        assert!(decimals <= 1, "{number:?} in {screen}");
    }
    assert!(screen.contains("batch 0/1 files"), "{screen}");
}

// ---- 3. Interlaced stays interlaced ----

/// `ffprobe`'s field order of the first video stream and the first
/// frame's `interlaced_frame,top_field_first`.
fn scan_type(path: &Path) -> (String, String) {
    let first = |entries: &str| {
        let args = ["-select_streams", "v:0", "-read_intervals", "%+#1"];
        let text = probe(
            path,
            &[&args[..], &["-show_entries", entries, "-of", "csv=p=0"]].concat(),
        );
        text.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim_end_matches(',')
            .to_owned()
    };
    (
        first("stream=field_order"),
        first("frame=interlaced_frame,top_field_first"),
    )
}

/// Regression: interlaced input (MPEG-2 or H.264, top field first, as
/// older DVRs record) came out progressive with no note. Now it is masked
/// field by field, encoded interlaced with its field order tagged, the
/// report says so, and both fields of the masked zone are black.
#[test]
fn interlaced_input_stays_interlaced_and_both_fields_are_masked() {
    let dir = tempfile::tempdir().unwrap();
    let weave = "tinterlace=interleave_top,fieldorder=tff";
    let h264 = make_clip(
        &dir.path().join("dvr.mkv"),
        "64x96",
        16,
        &[
            "-vf",
            weave,
            "-flags",
            "+ildct+ilme",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
        ],
    );
    let mpeg2 = make_clip(
        &dir.path().join("dvr.mpg"),
        "64x96",
        16,
        &[
            "-r",
            "50",
            "-vf",
            weave,
            "-flags",
            "+ildct+ilme",
            "-c:v",
            "mpeg2video",
            "-r",
            "25",
        ],
    );
    for (input, output, encoder) in [
        (&h264, "out.mkv", "libx264"),
        (&mpeg2, "out.mpg", "mpeg2video"),
    ] {
        let report = redact_ok(dir.path(), input, output);
        assert_eq!(report["encoder"], encoder, "{report}");
        let notes = report["notes"].to_string();
        assert!(
            notes.contains(
                "interlaced input (top field first): masked field by field, encoded interlaced"
            ),
            "{notes}"
        );
        let path = dir.path().join(output);
        let (order, frame) = scan_type(&path);
        assert!(
            ["tt", "tb"].contains(&order.as_str()),
            "{output}: field order {order:?}"
        );
        assert_eq!(frame, "1,1", "{output}: first frame interlaced, top first");
        // Both fields of the left half are black, every row of them.
        for (i, f) in rgb_frames(&path, 64, 96).iter().enumerate() {
            for y in 2..94 {
                let p = px(f, 64, 12, y);
                assert!(
                    p.iter().all(|&c| c < 40),
                    "{output} frame {i} row {y}: {p:?}"
                );
            }
        }
        assert_verifies(dir.path(), input, output);
    }
    // Where neither the encoder codes fields nor the container tags their
    // order (VP9 in WebM), the run is refused before any work.
    let out = redact(dir.path(), &h264, "out.webm", &[]);
    assert_exit(&out, 2, "cannot stay interlaced (top field first)");
    assert_exit(&out, 2, "write .mkv instead");
    let left = names(dir.path());
    assert!(
        left.iter()
            .all(|n| !n.starts_with("out.webm") && !n.contains("sladd-tmp")),
        "{left:?}"
    );
}

// ---- 7. verify compares re-exports in another format ----

/// Regression: `sladd verify` failed every frame of an honest re-export
/// that changed the pixel format or range (yuvj420p, 4:2:2 → 4:2:0),
/// though the zone was black and the rest at 36 dB. Both decodes are now
/// brought to one format and range first; a re-export that leaks still
/// fails.
#[test]
fn verify_accepts_honest_reexports_in_another_format_and_still_catches_leaks() {
    let dir = tempfile::tempdir().unwrap();
    let input = make_clip(
        &dir.path().join("in.mp4"),
        "64x48",
        8,
        &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv422p",
        ],
    );
    redact_ok(dir.path(), &input, "out.mp4");
    let site = half_site(dir.path());
    let reexport = |from: &str, to: &str, pixel: &str| {
        ffmpeg(&[
            "-i",
            s(&dir.path().join(from)),
            "-c:v",
            "libx264",
            "-crf",
            "16",
            "-pix_fmt",
            pixel,
            "-y",
            s(&dir.path().join(to)),
        ]);
    };
    for (to, pixel) in [("yuv420.mp4", "yuv420p"), ("full.mp4", "yuvj420p")] {
        reexport("out.mp4", to, pixel);
        let out = run(dir.path(), &["verify", s(&input), to, "-c", s(&site)]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(code(&out), 0, "{to}: {text}{}", err(&out));
        assert!(text.contains("decoded to yuv420p"), "{text}");
    }
    // The original itself, re-exported full range: nothing is masked.
    reexport("in.mp4", "leak.mp4", "yuvj420p");
    let out = run(
        dir.path(),
        &["verify", s(&input), "leak.mp4", "-c", s(&site)],
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(code(&out), 1, "{text}");
    assert!(
        text.contains("fill on luma") && text.contains("FAILED"),
        "{text}"
    );
}

// ---- 4. Every video stream is masked or the run says why not ----

/// A camera's recording as VMS exports write it: the main stream at
/// 320x240 and a substream of the same picture at 160x120 (`testsrc2`,
/// H.264, 6 frames), a QuickTime timecode track beside them.
fn two_stream_recording(path: &Path) {
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=25",
        "-filter_complex",
        "[0:v]split[main][sub];[sub]scale=160:120[small]",
        "-map",
        "[main]",
        "-map",
        "[small]",
        "-frames:v",
        "6",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-timecode",
        "01:00:00:00",
        "-y",
        s(path),
    ]);
}

/// The largest channel value in columns `columns` of an RGB frame `w`
/// wide, and the mean absolute difference from `other` there.
fn columns(frame: &[u8], other: &[u8], w: usize, columns: std::ops::Range<usize>) -> (u8, f64) {
    let (mut max, mut diff, mut n) = (0_u8, 0.0, 0.0);
    for (i, (a, b)) in frame.iter().zip(other).enumerate() {
        if columns.contains(&(i / 3 % w)) {
            max = max.max(*a);
            diff += f64::from(a.abs_diff(*b));
            n += 1.0;
        }
    }
    (max, diff / n)
}

/// Regression: a second video stream (a camera's substream) and a
/// QuickTime timecode track were dropped with `notes: []`. Every video
/// stream is now masked, each with the zones at its own size: in both
/// streams of the output, decoded back, the private left half is black
/// and the right half is the original's; the report and the manifest name
/// the masked substream; the timecode is carried (MP4 and QuickTime write
/// it as a `tmcd` track again).
#[test]
fn a_second_video_stream_is_masked_at_its_own_size_and_the_timecode_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("vms.mov");
    two_stream_recording(&input);
    for output in ["out.mov", "out.mkv"] {
        let report = redact_ok(dir.path(), &input, output);
        let notes = report["notes"].to_string();
        assert!(
            notes.contains(
                "video stream #1 (160x120) masked with the same zones at its own size: 6 frames, 6 masked (0 whole)"
            ),
            "{notes}"
        );
        assert!(!notes.contains("left out"), "{notes}");
        assert!(
            notes.contains(
                "timecode track (stream #2, tmcd) carried as the output's timecode 01:00:00:00"
            ),
            "{notes}"
        );
        let manifest: Value = serde_json::from_slice(
            &std::fs::read(dir.path().join(format!("{output}.manifest.json"))).unwrap(),
        )
        .unwrap();
        let substreams = &manifest["masked_substreams"];
        assert_eq!(substreams.as_array().map(Vec::len), Some(1), "{manifest}");
        let sub = &substreams[0];
        assert_eq!(
            (
                &sub["input_stream"],
                &sub["output_stream"],
                &sub["width"],
                &sub["height"]
            ),
            (
                &Value::from(1),
                &Value::from(1),
                &Value::from(160),
                &Value::from(120)
            ),
            "{manifest}"
        );
        assert_eq!(
            (&sub["frames"], &sub["masked_frames"]),
            (&Value::from(6), &Value::from(6))
        );
        let dropped = manifest["dropped_streams"].to_string();
        assert!(!dropped.contains("video stream"), "{dropped}");
        assert_eq!(report["masked_substreams"], *substreams);

        let entries = [
            "-show_entries",
            "stream=codec_type,width,height:stream_tags",
            "-of",
            "compact",
        ];
        let streams = probe(&dir.path().join(output), &entries).to_lowercase();
        assert_eq!(streams.matches("codec_type=video").count(), 2, "{streams}");
        assert!(streams.contains("timecode=01:00:00:00"), "{streams}");
        if output.ends_with(".mov") {
            // One `tmcd` track per video stream, as the input has.
            assert_eq!(streams.matches("codec_type=data").count(), 2, "{streams}");
        }
        for (index, w, h) in [(0, 320, 240), (1, 160, 120)] {
            let redacted = rgb_frames_of(&dir.path().join(output), index, w, h);
            let original = rgb_frames_of(&input, index, w, h);
            assert_eq!(redacted.len(), 6, "{output} v:{index}");
            for (n, (frame, orig)) in redacted.iter().zip(&original).enumerate() {
                let (zone_max, _) = columns(frame, orig, w, 0..w / 2 - 2);
                assert!(
                    zone_max <= 24,
                    "{output} v:{index} frame {n}: zone shows {zone_max}"
                );
                let (_, was) = columns(orig, frame, w, 0..w / 2 - 2);
                assert!(was > 30.0, "the original's zone is not black: {was}");
                let (_, rest) = columns(frame, orig, w, w / 2 + 4..w);
                assert!(
                    rest < 8.0,
                    "{output} v:{index} frame {n}: rest differs by {rest}"
                );
            }
        }
        assert_verifies(dir.path(), &input, output);
    }
}

/// `sladd verify` checks every substream as it checks the main one: the
/// redaction's passes; one whose substream is the original's (unmasked)
/// fails, naming the stream.
#[test]
fn verify_checks_every_substream() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("vms.mp4");
    two_stream_recording(&input);
    redact_ok(dir.path(), &input, "out.mp4");
    let site = half_site(dir.path());
    let verify = |redacted: &str| {
        let out = run(
            dir.path(),
            &[
                "verify",
                s(&input),
                redacted,
                "-c",
                s(&site),
                "--camera",
                "cam",
            ],
        );
        (
            code(&out),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (status, text) = verify("out.mp4");
    assert_eq!(status, 0, "{text}");
    assert!(
        text.contains(
            "substream  video stream #1 (160x120) against the original's #1: 6 frames, 0 failed"
        ),
        "{text}"
    );
    // The redacted main stream beside the original's unmasked substream.
    let leak = dir.path().join("leak.mp4");
    ffmpeg(&[
        "-i",
        s(&dir.path().join("out.mp4")),
        "-i",
        s(&input),
        "-map",
        "0:v:0",
        "-map",
        "1:v:1",
        "-c",
        "copy",
        "-y",
        s(&leak),
    ]);
    let (status, text) = verify("leak.mp4");
    assert_eq!(status, 1, "{text}");
    assert!(text.contains("6 frames, 6 failed"), "{text}");
    assert!(
        text.contains("video stream #1: 6 of 6 frames fail"),
        "{text}"
    );
}

/// With `--manifest`, the manifest's `masked_substreams` must name the
/// redacted file's substreams with their sizes and frame counts.
#[test]
fn verify_compares_the_manifests_substreams_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("vms.mp4");
    two_stream_recording(&input);
    redact_ok(dir.path(), &input, "out.mp4");
    let site = half_site(dir.path());
    let manifest = dir.path().join("out.mp4.manifest.json");
    let verify = || {
        let args = [
            "verify",
            s(&input),
            "out.mp4",
            "-c",
            s(&site),
            "--manifest",
            s(&manifest),
        ];
        let out = run(dir.path(), &args);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        (code(&out), stdout)
    };
    let (status, text) = verify();
    assert_eq!(status, 0, "{text}");
    assert!(text.contains("masked_substreams"), "{text}");
    let mut value: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    value["masked_substreams"][0]["frames"] = Value::from(5);
    std::fs::write(&manifest, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let (status, text) = verify();
    assert_eq!(status, 1, "{text}");
    assert!(
        text.contains("the manifest records 5 frames in video stream #1, the redacted file has 6"),
        "{text}"
    );
}

/// Cover art is no camera's picture: it stays left out, named in the
/// notes, while the main stream is masked and written alone.
#[test]
fn cover_art_is_left_out_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let main = h264_clip(dir.path(), "main.mp4");
    let art = dir.path().join("art.png");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=red:size=32x24",
        "-frames:v",
        "1",
        "-y",
        s(&art),
    ]);
    let input = dir.path().join("with-art.mp4");
    ffmpeg(&[
        "-i",
        s(&main),
        "-i",
        s(&art),
        "-map",
        "0:v",
        "-map",
        "1:v",
        "-c",
        "copy",
        "-disposition:v:1",
        "attached_pic",
        "-y",
        s(&input),
    ]);
    let report = redact_ok(dir.path(), &input, "out.mp4");
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("stream #1 (cover art, png) left out"),
        "{notes}"
    );
    assert!(report.get("masked_substreams").is_none(), "{report}");
    let entries = ["-show_entries", "stream=codec_type", "-of", "compact"];
    let streams = probe(&dir.path().join("out.mp4"), &entries);
    assert_eq!(streams.matches("codec_type=video").count(), 1, "{streams}");
}

// ---- 7. --skip-existing trusts only what a manifest vouches for ----

/// Regression: `--skip-existing` skipped an output whose manifest was
/// missing. It now skips only an output whose manifest names its hash;
/// one without a manifest, or changed since, is redacted again, saying so.
#[test]
fn skip_existing_trusts_an_output_only_with_a_manifest_that_matches_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = h264_clip(dir.path(), "in.mp4");
    let out_path = dir.path().join("out.mp4");
    let manifest = dir.path().join("out.mp4.manifest.json");
    let skip = |expected: &str| {
        let out = redact(dir.path(), &input, "out.mp4", &["--skip-existing"]);
        assert_eq!(code(&out), 0, "{}", err(&out));
        let report = json(&out)["files"][0].clone();
        assert_eq!(report["status"], expected, "{report}");
        report
    };
    redact_ok(dir.path(), &input, "out.mp4");
    skip("skipped");
    // Without its manifest the output is not trusted.
    std::fs::remove_file(&manifest).unwrap();
    let report = skip("ok");
    assert!(
        report["notes"]
            .to_string()
            .contains("the existing output was redacted again: it has no manifest"),
        "{report}"
    );
    assert!(manifest.exists());
    skip("skipped");
    // Nor when the file changed after its manifest was written.
    let mut bytes = std::fs::read(&out_path).unwrap();
    bytes.push(0);
    std::fs::write(&out_path, bytes).unwrap();
    let report = skip("ok");
    assert!(
        report["notes"].to_string().contains("names other contents"),
        "{report}"
    );
    assert_verifies(dir.path(), &input, "out.mp4");
}

// ---- 7. preview of small frames ----

/// Regression: `sladd preview` at 176×144 and 320×240 cut its labels and
/// legend off. Small frames are drawn scaled up by a whole factor, so the
/// legend's panel ends inside the picture.
#[test]
fn preview_of_small_frames_is_scaled_up_so_labels_and_the_legend_fit() {
    let dir = tempfile::tempdir().unwrap();
    let site = half_site(dir.path());
    for (size, scaled) in [("176x144", (704, 576)), ("320x240", (640, 480))] {
        let png = format!("{size}.png");
        let out = run(
            dir.path(),
            &["preview", "--size", size, "-c", s(&site), "-o", &png],
        );
        assert_eq!(code(&out), 0, "{}", err(&out));
        assert!(err(&out).contains("drawn scaled up"), "{}", err(&out));
        let image = image::open(dir.path().join(&png)).unwrap().to_rgb8();
        assert_eq!(image.dimensions(), scaled, "{size}");
        // The legend's dark panel (bottom left) stops short of the right
        // edge: its widest line fits.
        let (w, h) = image.dimensions();
        let panel = image::Rgb([20, 20, 20]);
        assert_eq!(*image.get_pixel(0, h - 2), panel, "{size}");
        assert_ne!(*image.get_pixel(w - 1, h - 2), panel, "{size}");
    }
}
