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
    sladd_in(dir, args)
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
    let probe = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream=width",
            "-of",
            "csv=p=0",
        ])
        .arg(dir.path().join("out.mp4"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&probe.stdout).trim(),
        width.to_string()
    );
}
