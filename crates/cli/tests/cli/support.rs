//! Helpers for the end-to-end tests: the `sladd` command builder, the ffmpeg CLI,
//! decoding outputs, hashing files.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The repository's `fixtures/` folder.
pub(crate) fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// A fixture clip.
pub(crate) fn clip(name: &str) -> PathBuf {
    fixtures().join("clips").join(name)
}

/// The example site.
pub(crate) fn site() -> PathBuf {
    fixtures().join("site.toml")
}

/// The path as a `&str` (fixtures and temporary folders are UTF-8 here).
pub(crate) fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// A `sladd` command line, built up option by option and then run (or
/// spawned) in a folder of the test's. Every test runs `sladd` through it.
pub(crate) struct Sladd {
    command: Command,
}

impl Sladd {
    /// `sladd SUBCOMMAND`, to run in `dir`.
    pub(crate) fn new(dir: &Path, subcommand: &str) -> Self {
        Self::in_dir(dir).arg(subcommand)
    }

    /// `sladd` with no arguments yet (they name the subcommand), to run in
    /// `dir`.
    pub(crate) fn in_dir(dir: &Path) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sladd"));
        command.current_dir(dir);
        Self { command }
    }

    /// One more argument.
    pub(crate) fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.command.arg(arg);
        self
    }

    /// More arguments, in order.
    pub(crate) fn args<I, A>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: AsRef<OsStr>,
    {
        self.command.args(args);
        self
    }

    /// `-c CONFIG`: the site file.
    pub(crate) fn site(self, config: impl AsRef<OsStr>) -> Self {
        self.arg("-c").arg(config)
    }

    /// `--camera NAME`.
    pub(crate) fn camera(self, name: &str) -> Self {
        self.args(["--camera", name])
    }

    /// `-o OUTPUT`.
    pub(crate) fn output(self, output: impl AsRef<OsStr>) -> Self {
        self.arg("-o").arg(output)
    }

    /// `--json`: the report as one JSON document on stdout.
    pub(crate) fn json(self) -> Self {
        self.arg("--json")
    }

    /// The command itself, for what the builder does not name.
    pub(crate) fn command(&mut self) -> &mut Command {
        &mut self.command
    }

    /// Runs it to the end and collects its output.
    pub(crate) fn run(mut self) -> Output {
        self.command.output().expect("run sladd")
    }

    /// Starts it with stdout and stderr piped, for a test that acts while
    /// it runs.
    pub(crate) fn spawn(mut self) -> Child {
        self.command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sladd")
    }
}

/// The exit code (a test fails when `sladd` died of a signal).
pub(crate) fn code(out: &Output) -> i32 {
    out.status
        .code()
        .unwrap_or_else(|| panic!("no exit code: {:?}", out.status))
}

/// Stderr as text.
pub(crate) fn err(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Stdout parsed as the one JSON document of `--json`.
pub(crate) fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {:?}, stderr {}",
            String::from_utf8_lossy(&out.stdout),
            err(out)
        )
    })
}

/// The SHA-256 of a file.
pub(crate) fn sha256(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).expect("read file")).to_vec()
}

/// The names in a folder, sorted (hidden ones included).
pub(crate) fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every file below `dir` (recursively), relative to it, sorted.
pub(crate) fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).expect("read dir") {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

/// Runs the ffmpeg CLI, quiet, failing the test on an error.
pub(crate) fn ffmpeg(args: &[&str]) -> Vec<u8> {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-nostdin"])
        .args(args)
        .output()
        .expect("run ffmpeg");
    assert!(out.status.success(), "ffmpeg {args:?}: {}", err(&out));
    out.stdout
}

/// The video decoded by the ffmpeg CLI as RGB frames of `w × h`.
pub(crate) fn rgb_frames(path: &Path, w: usize, h: usize) -> Vec<Vec<u8>> {
    rgb_frames_of(path, 0, w, h)
}

/// Video stream `index` of `path` decoded by the ffmpeg CLI as RGB frames
/// of `w × h`.
pub(crate) fn rgb_frames_of(path: &Path, index: usize, w: usize, h: usize) -> Vec<Vec<u8>> {
    let map = format!("0:v:{index}");
    let raw = ffmpeg(&[
        "-i",
        s(path),
        "-map",
        &map,
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-",
    ]);
    let size = w * h * 3;
    assert_eq!(
        raw.len() % size,
        0,
        "{} v:{index} is not {w}x{h}",
        path.display()
    );
    raw.chunks(size).map(<[u8]>::to_vec).collect()
}

/// `ffprobe -v error ARGS PATH`'s stdout (the test fails when ffprobe does).
pub(crate) fn probe(path: &Path, args: &[&str]) -> String {
    let out = Command::new("ffprobe")
        .args(["-v", "error"])
        .args(args)
        .arg(path)
        .output()
        .expect("run ffprobe");
    assert!(
        out.status.success(),
        "ffprobe {}: {}",
        path.display(),
        err(&out)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The presentation times (seconds) of the first video stream's frames.
pub(crate) fn frame_times(path: &Path) -> Vec<f64> {
    let entries = ["-show_entries", "frame=pts_time", "-of", "csv=p=0"];
    probe(
        path,
        &[&["-select_streams", "v:0"][..], &entries[..]].concat(),
    )
    .lines()
    .filter_map(|l| l.split(',').next()?.trim().parse().ok())
    .collect()
}

/// The frames ffprobe decodes in the first video stream.
pub(crate) fn frame_count(path: &Path) -> u64 {
    let args = ["-count_frames", "-select_streams", "v:0"];
    let entries = ["-show_entries", "stream=nb_read_frames", "-of", "csv=p=0"];
    probe(path, &[&args[..], &entries[..]].concat())
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("ffprobe frame count of {}: {e}", path.display()))
}

/// The codec types of the streams of a file, e.g. `["video", "audio"]`.
pub(crate) fn stream_types(path: &Path) -> Vec<String> {
    probe(
        path,
        &["-show_entries", "stream=codec_type", "-of", "csv=p=0"],
    )
    .lines()
    .map(|l| l.trim().to_owned())
    .filter(|l| !l.is_empty())
    .collect()
}

/// The RGB pixel at `(x, y)` of a packed `w`-wide RGB frame.
pub(crate) fn px(frame: &[u8], w: usize, x: usize, y: usize) -> [u8; 3] {
    let i = (y * w + x) * 3;
    [frame[i], frame[i + 1], frame[i + 2]]
}

/// `sladd plan --json` for camera kasse-1 of the bundled site at `at`.
pub(crate) fn plan_json(dir: &Path, at: &str) -> Value {
    let out = Sladd::new(dir, "plan")
        .site(site())
        .camera("kasse-1")
        .args(["--at", at])
        .json()
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    json(&out)
}
