//! The bad-input matrix (README "Bad input"): one test per row. Every
//! failing row checks the exact exit code, a message naming the file (and
//! the line, field, packet or frame where there is one), that the output
//! folder is left empty (no output, no temporary file) and that the input's
//! SHA-256 is unchanged. The rows that are not errors check the output:
//! masked where the zones are, turned, timed and sized as the input.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use super::support::*;

/// A site with one private zone (always filled black) over the displayed
/// picture's `polygon`, on camera `cam`.
fn zone_site(dir: &Path, polygon: &str) -> PathBuf {
    let path = dir.join("zone.toml");
    std::fs::write(
        &path,
        format!(
            r#"[site]
name = "Bad input"
timezone = "Europe/Oslo"

[[cameras]]
id = "cam"
purposes = [{{ purpose = "employee_safety" }}]
legal_basis = "legitimate_interest"
documented_assessment = true
risk_documented = true

[[cameras.zones]]
name = "Private"
area = "private"
polygon = {polygon}
"#
        ),
    )
    .unwrap();
    path
}

/// What a run left behind.
struct Run {
    out: Output,
    /// The folder the output was to go in (the run's working folder).
    out_dir: tempfile::TempDir,
}

impl Run {
    fn code(&self) -> i32 {
        code(&self.out)
    }

    /// Stderr, and the report's error for the file when there is one.
    fn message(&self) -> String {
        let mut text = err(&self.out);
        if let Ok(v) = serde_json::from_slice::<Value>(&self.out.stdout) {
            if let Some(e) = v["files"][0]["error"].as_str() {
                text.push('\n');
                text.push_str(e);
            }
        }
        text
    }

    fn report(&self) -> Value {
        json(&self.out)["files"][0].clone()
    }

    fn output(&self) -> PathBuf {
        self.out_dir.path().join("out.mp4")
    }
}

/// `sladd redact INPUT -c CONFIG --camera CAMERA -o out.mp4 --json …` in a
/// fresh, empty output folder.
fn redact(input: &Path, config: &Path, camera: &str, extra: &[&str]) -> Run {
    redact_with(input, config, camera, extra, |_| {})
}

fn redact_with(
    input: &Path,
    config: &Path,
    camera: &str,
    extra: &[&str],
    setup: impl FnOnce(&mut Command),
) -> Run {
    let out_dir = tempfile::tempdir().unwrap();
    let mut sladd = Sladd::new(out_dir.path(), "redact")
        .arg(input)
        .site(config)
        .camera(camera)
        .output("out.mp4")
        .json()
        .args(extra);
    setup(sladd.command());
    let out = sladd.run();
    Run { out, out_dir }
}

/// A failing row: the exit code, every needle in the message, nothing in
/// the output folder, the input unchanged.
fn assert_refused(input: &Path, config: &Path, camera: &str, expected: i32, needles: &[&str]) {
    let before = sha256(input);
    let run = redact(input, config, camera, &[]);
    assert_failed(&run, expected, needles);
    assert_eq!(sha256(input), before, "{} changed", input.display());
}

fn assert_failed(run: &Run, expected: i32, needles: &[&str]) {
    let message = run.message();
    assert!(!message.contains("panicked"), "{message}");
    assert_eq!(run.code(), expected, "{message}");
    for needle in needles {
        assert!(message.contains(needle), "{needle:?} not in: {message}");
    }
    let left = names(run.out_dir.path());
    assert!(left.is_empty(), "left behind: {left:?}");
    if expected != 2 {
        // Input and output errors still print the report.
        let f = run.report();
        assert_eq!(f["status"], "error", "{f}");
    }
}

/// A successful row: the output (and the evidence manifest written beside
/// it), no temporary file.
fn assert_only_outputs(run: &Run) {
    let left = names(run.out_dir.path());
    assert!(left.iter().any(|n| n == "out.mp4"), "{left:?}");
    for name in &left {
        assert!(
            name == "out.mp4" || name.starts_with("out.mp4."),
            "unexpected {name} in {left:?}"
        );
        assert!(!name.contains("sladd-tmp"), "{left:?}");
    }
}

fn kiosk_site() -> PathBuf {
    site()
}

// ---- Inputs that cannot be read: exit 3 ----

#[test]
fn zero_byte_file_exits_3() {
    assert_refused(
        &clip("empty.mp4"),
        &kiosk_site(),
        "kasse-1",
        3,
        &["cannot open", "empty.mp4"],
    );
}

#[test]
fn text_file_named_mp4_exits_3() {
    assert_refused(
        &clip("not_video.mp4"),
        &kiosk_site(),
        "kasse-1",
        3,
        &["cannot open", "not_video.mp4", "Invalid data"],
    );
}

#[test]
fn mp4_without_its_moov_exits_3() {
    assert_refused(
        &clip("no_moov.mp4"),
        &kiosk_site(),
        "kasse-1",
        3,
        &["cannot open", "no_moov.mp4"],
    );
}

#[test]
fn mp4_cut_mid_stream_exits_3_naming_the_packet_and_frame() {
    assert_refused(
        &clip("truncated.mp4"),
        &kiosk_site(),
        "kasse-1",
        3,
        &["truncated.mp4", "at packet ", "after 26 frames"],
    );
}

#[test]
fn corrupt_packets_in_the_middle_exit_3_naming_the_packet_and_frame() {
    assert_refused(
        &clip("corrupt.mp4"),
        &kiosk_site(),
        "kasse-1",
        3,
        &["corrupt.mp4", "at packet ", "frames"],
    );
}

#[test]
fn audio_only_file_exits_3_with_no_video_stream() {
    assert_refused(
        &clip("audio_only.mp4"),
        &kiosk_site(),
        "kasse-1",
        3,
        &["audio_only.mp4 has no video stream"],
    );
}

// ---- Configurations that are invalid: exit 2, file:line:column: field ----

/// `site.toml` with `from` replaced by `to`, written as `name`.
fn broken_site(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(site()).unwrap();
    assert!(text.contains(from), "{from}");
    let path = dir.join(name);
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

const ZONE: &str = "polygon = [[0.10, 0.35], [0.42, 0.35], [0.42, 0.95], [0.10, 0.95]]";

fn assert_bad_config(name: &str, from: &str, to: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let config = broken_site(dir.path(), name, from, to);
    let config_before = sha256(&config);
    assert_refused(&clip("kiosk.mp4"), &config, "kasse-1", 2, needles);
    assert_eq!(sha256(&config), config_before);
}

#[test]
fn config_with_nan_coordinates_exits_2() {
    assert_bad_config(
        "nan.toml",
        ZONE,
        "polygon = [[0.10, 0.35], [nan, 0.35], [0.42, 0.95], [0.10, 0.95]]",
        &[
            "nan.toml:40:11: cameras[0].zones[0].polygon:",
            "vertex 1 is not a finite number",
        ],
    );
}

#[test]
fn polygon_with_two_points_exits_2() {
    assert_bad_config(
        "two.toml",
        ZONE,
        "polygon = [[0.10, 0.35], [0.42, 0.95]]",
        &[
            "two.toml:40:11: cameras[0].zones[0].polygon:",
            "2 distinct vertices, at least 3",
        ],
    );
}

#[test]
fn zone_outside_the_frame_exits_2() {
    assert_bad_config(
        "outside.toml",
        ZONE,
        "polygon = [[1.10, 0.35], [1.42, 0.35], [1.42, 0.95], [1.10, 0.95]]",
        &[
            "outside.toml:40:11: cameras[0].zones[0].polygon:",
            "wholly outside the frame",
        ],
    );
}

#[test]
fn polygon_with_100_000_vertices_exits_2() {
    let ring: Vec<String> = (0..100_000)
        .map(|i| {
            let a = f64::from(i) * std::f64::consts::TAU / 100_000.0;
            format!("[{:.6}, {:.6}]", 0.5 + 0.3 * a.cos(), 0.5 + 0.3 * a.sin())
        })
        .collect();
    assert_bad_config(
        "many.toml",
        ZONE,
        &format!("polygon = [{}]", ring.join(", ")),
        &[
            "many.toml:40:11: cameras[0].zones[0].polygon:",
            "100000 vertices, at most 10000",
        ],
    );
}

#[test]
fn schedule_mon_25_to_26_exits_2() {
    assert_bad_config(
        "hours.toml",
        r#"opening_hours = ["mon-fri 07:00-23:00", "sat-sun 09:00-21:00"]"#,
        r#"opening_hours = ["mon 25:00-26:00"]"#,
        &[
            "hours.toml:12:18: site.opening_hours[0]:",
            "bad schedule 'mon 25:00-26:00'",
            "'25:00' is not a time",
        ],
    );
}

#[test]
fn unknown_time_zone_exits_2() {
    assert_bad_config(
        "tz.toml",
        r#"timezone = "Europe/Oslo""#,
        r#"timezone = "Europe/Atlantis""#,
        &[
            "tz.toml:8:12: site.timezone:",
            "unknown time zone 'Europe/Atlantis'",
        ],
    );
}

// ---- Outputs that cannot be written: exit 4; the same file: exit 2 ----

/// How a folder was made read-only, to undo it.
enum ReadOnly {
    Chmod,
    Immutable,
    Mounted,
}

/// A folder nothing can be created in, whoever asks (root ignores
/// permission bits, so as root the folder is made immutable, or a read-only
/// tmpfs is mounted on it). Undone when dropped.
struct ReadOnlyDir {
    path: PathBuf,
    how: ReadOnly,
}

fn run_ok(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn can_create_in(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    let created = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);
    created
}

impl ReadOnlyDir {
    /// Makes `path` read-only, and proves it; `Err` names every mechanism
    /// tried when none held.
    fn new(path: &Path) -> Result<Self, String> {
        use std::os::unix::fs::PermissionsExt;
        let path = path.to_path_buf();
        // SAFETY: geteuid has no preconditions and cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        let mut tried = Vec::new();
        if !root {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o555)).unwrap();
            let dir = Self {
                path,
                how: ReadOnly::Chmod,
            };
            if !can_create_in(&dir.path) {
                return Ok(dir);
            }
            tried.push("chmod 555");
            drop(dir);
            return Err(tried.join(", "));
        }
        if run_ok("chattr", &["+i", s(&path)]) {
            let dir = Self {
                path: path.clone(),
                how: ReadOnly::Immutable,
            };
            if !can_create_in(&dir.path) {
                return Ok(dir);
            }
        }
        tried.push("chattr +i");
        if run_ok(
            "mount",
            &["-t", "tmpfs", "-o", "ro,size=64k", "sladd-ro", s(&path)],
        ) {
            let dir = Self {
                path: path.clone(),
                how: ReadOnly::Mounted,
            };
            if !can_create_in(&dir.path) {
                return Ok(dir);
            }
        }
        tried.push("mount -o ro tmpfs");
        Err(tried.join(", "))
    }
}

impl Drop for ReadOnlyDir {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        match self.how {
            ReadOnly::Chmod => {
                let _ =
                    std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o755));
            }
            ReadOnly::Immutable => {
                run_ok("chattr", &["-i", s(&self.path)]);
            }
            ReadOnly::Mounted => {
                run_ok("umount", &[s(&self.path)]);
            }
        }
    }
}

#[test]
fn read_only_output_folder_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("ro");
    std::fs::create_dir(&out_dir).unwrap();
    let guard = ReadOnlyDir::new(&out_dir)
        .unwrap_or_else(|tried| panic!("could not make a folder read-only (tried {tried})"));
    let input = clip("kiosk.mp4");
    let before = sha256(&input);
    let out = Sladd::new(dir.path(), "redact")
        .arg(s(&input))
        .site(site())
        .camera("kasse-1")
        .output("ro/out.mp4")
        .json()
        .run();
    let f = &json(&out)["files"][0];
    assert_eq!(code(&out), 4, "{}", err(&out));
    assert_eq!(f["status"], "error");
    let error = f["error"].as_str().unwrap();
    assert!(error.starts_with("cannot write ro/"), "{error}");
    assert!(
        error.contains("Operation not permitted")
            || error.contains("Read-only file system")
            || error.contains("Permission denied"),
        "{error}"
    );
    drop(guard);
    assert!(names(&out_dir).is_empty(), "{:?}", names(&out_dir));
    assert_eq!(sha256(&input), before);
}

#[test]
fn full_disk_exits_4_and_leaves_no_partial_output() {
    // A 4 KiB file-size limit (RLIMIT_FSIZE, as `ulimit -f`): the output
    // cannot grow past it, as on a full disk. sladd ignores SIGXFSZ itself
    // so that the write fails (EFBIG) rather than killing it mid-file.
    let input = clip("kiosk.mp4");
    let before = sha256(&input);
    let run = redact_with(&input, &site(), "kasse-1", &[], |command| {
        // SAFETY: the closure runs in the forked child before exec and
        // calls only setrlimit, which is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: 4096,
                    rlim_max: 4096,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    });
    assert!(
        run.out.status.code().is_some(),
        "killed by a signal: {:?}",
        run.out.status
    );
    assert_failed(
        &run,
        4,
        &["cannot write", ".out.sladd-tmp-", "File too large"],
    );
    assert_eq!(sha256(&input), before);
}

#[test]
fn input_path_equal_to_output_path_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.mp4");
    std::fs::copy(clip("kiosk.mp4"), &input).unwrap();
    let before = sha256(&input);
    for output in ["in.mp4", "./in.mp4", s(&input)] {
        let out = Sladd::new(dir.path(), "redact")
            .arg(s(&input))
            .site(site())
            .camera("kasse-1")
            .output(output)
            .json()
            .run();
        assert_eq!(code(&out), 2, "{output}: {}", err(&out));
        assert!(
            err(&out).contains(&format!("{output} is the input file")),
            "{}",
            err(&out)
        );
        assert!(out.stdout.is_empty());
        assert_eq!(sha256(&input), before);
        assert_eq!(names(dir.path()), ["in.mp4"]);
    }
}

// ---- Inputs that are odd but valid: redacted, and checked ----

/// The largest channel value of a packed RGB frame over the pixels `keep`
/// selects.
fn brightest(frame: &[u8], w: usize, h: usize, keep: impl Fn(usize, usize) -> bool) -> u8 {
    let mut max = 0;
    for y in 0..h {
        for x in 0..w {
            if keep(x, y) {
                max = max.max(*px(frame, w, x, y).iter().max().unwrap());
            }
        }
    }
    max
}

/// The mean absolute difference of two frames over `keep`.
fn mean_diff(a: &[u8], b: &[u8], w: usize, h: usize, keep: impl Fn(usize, usize) -> bool) -> f64 {
    let (mut sum, mut n) = (0u64, 0u64);
    for y in 0..h {
        for x in 0..w {
            if keep(x, y) {
                for (p, q) in px(a, w, x, y).iter().zip(px(b, w, x, y)) {
                    sum += u64::from(p.abs_diff(q));
                    n += 1;
                }
            }
        }
    }
    sum as f64 / n.max(1) as f64
}

/// The left half of the displayed picture filled black.
const LEFT_HALF: &str = "[[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]]";

#[test]
fn unsupported_pixel_format_is_converted_masked_and_noted() {
    // yuv422p10le: sladd-core masks 4:2:2 only in 8 bits, so the decoder
    // converts to yuv420p10le, masks that, and the report says so.
    let dir = tempfile::tempdir().unwrap();
    let input = clip("yuv422p10.mkv");
    let before = sha256(&input);
    let run = redact(&input, &zone_site(dir.path(), LEFT_HALF), "cam", &[]);
    assert_eq!(run.code(), 0, "{}", run.message());
    let f = run.report();
    let notes = f["notes"].to_string();
    assert!(
        notes.contains("pixel format yuv422p10le is not masked natively: converted to yuv420p10le"),
        "{notes}"
    );
    assert_eq!(f["masked_frames"], f["frames"]);
    assert_only_outputs(&run);
    let (w, h) = (160, 120);
    let original = rgb_frames(&input, w, h);
    let redacted = rgb_frames(&run.output(), w, h);
    assert_eq!(redacted.len(), original.len());
    for (i, (a, b)) in original.iter().zip(&redacted).enumerate() {
        assert!(brightest(b, w, h, |x, _| x < 78) <= 24, "frame {i}");
        assert!(brightest(a, w, h, |x, _| x < 78) > 150, "frame {i}");
        assert!(mean_diff(a, b, w, h, |x, _| x >= 84) < 6.0, "frame {i}");
    }
    assert_eq!(sha256(&input), before);
}

#[test]
fn odd_frame_sizes_are_masked_conservatively() {
    // 33 × 17 in 4:4:4, losslessly re-encoded (--crf 0): the zone ends at
    // x = 16.5, so columns 0–16 are masked and column 17 on is shown.
    let dir = tempfile::tempdir().unwrap();
    let input = clip("odd_33x17.mp4");
    let before = sha256(&input);
    let run = redact(
        &input,
        &zone_site(dir.path(), LEFT_HALF),
        "cam",
        &["--crf", "0"],
    );
    assert_eq!(run.code(), 0, "{}", run.message());
    assert_only_outputs(&run);
    let (w, h) = (33, 17);
    let original = rgb_frames(&input, w, h);
    let redacted = rgb_frames(&run.output(), w, h);
    assert_eq!(redacted.len(), 10);
    for (a, b) in original.iter().zip(&redacted) {
        assert!(brightest(b, w, h, |x, _| x <= 16) <= 2);
        assert!(mean_diff(a, b, w, h, |x, _| x >= 18) < 2.0);
    }
    assert_eq!(sha256(&input), before);

    // 160 × 121 full-range 4:2:2 MJPEG: the odd last row and the chroma
    // column shared by luma columns 80 and 81 are masked too (any coverage
    // counts). MJPEG is lossy: a tolerance for its noise.
    let input = clip("mjpeg_422_odd.mov");
    let run = redact(
        &input,
        &zone_site(
            dir.path(),
            "[[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]]",
        ),
        "cam",
        &[],
    );
    assert_eq!(run.code(), 0, "{}", run.message());
    let (w, h) = (160, 121);
    let redacted = rgb_frames(&run.output(), w, h);
    assert_eq!(redacted.len(), 10);
    for b in &redacted {
        assert!(brightest(b, w, h, |x, _| x < 78) <= 40);
        // The last, odd row is masked like the others.
        assert!(brightest(b, w, h, |x, y| x < 78 && y == 120) <= 40);
    }
}

#[test]
fn a_1x1_video_is_masked() {
    // A zone covering a fifth of the frame touches its only pixel.
    let dir = tempfile::tempdir().unwrap();
    let input = clip("tiny_1x1.mp4");
    let run = redact(
        &input,
        &zone_site(
            dir.path(),
            "[[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6]]",
        ),
        "cam",
        &["--crf", "0"],
    );
    assert_eq!(run.code(), 0, "{}", run.message());
    assert_eq!(run.report()["masked_frames"], 10);
    let original = rgb_frames(&input, 1, 1);
    let redacted = rgb_frames(&run.output(), 1, 1);
    assert_eq!(redacted.len(), 10);
    assert!(original.iter().any(|f| f.iter().any(|&c| c > 40)));
    for f in &redacted {
        assert!(f.iter().all(|&c| c <= 2), "{f:?}");
    }
}

/// The rotation ffprobe reads from the first video stream's display matrix.
fn probe_rotation(path: &Path) -> Option<i64> {
    probe(path, &["-select_streams", "v:0", "-show_streams"])
        .lines()
        .find_map(|l| l.strip_prefix("rotation="))
        .and_then(|r| r.trim().parse().ok())
}

#[test]
fn rotation_metadata_survives_and_zones_follow_the_displayed_picture() {
    // rotated_90.mp4: 160 × 96 decoded, shown 96 × 160 (ffmpeg's autorotate,
    // as players do). The zone is the top 30 % of what the operator sees.
    let dir = tempfile::tempdir().unwrap();
    let input = clip("rotated_90.mp4");
    let before = sha256(&input);
    let config = zone_site(
        dir.path(),
        "[[0.0, 0.0], [1.0, 0.0], [1.0, 0.3], [0.0, 0.3]]",
    );
    let run = redact(&input, &config, "cam", &[]);
    assert_eq!(run.code(), 0, "{}", run.message());
    assert_eq!(probe_rotation(&input), Some(90));
    assert_eq!(probe_rotation(&run.output()), Some(90), "rotation lost");
    let (w, h) = (96, 160);
    let original = rgb_frames(&input, w, h);
    let redacted = rgb_frames(&run.output(), w, h);
    assert_eq!(redacted.len(), original.len());
    for (i, (a, b)) in original.iter().zip(&redacted).enumerate() {
        assert!(brightest(a, w, h, |_, y| y < 46) > 150, "frame {i}");
        assert!(brightest(b, w, h, |_, y| y < 46) <= 24, "frame {i}");
        assert!(mean_diff(a, b, w, h, |_, y| y >= 52) < 6.0, "frame {i}");
    }
    assert_eq!(sha256(&input), before);

    // Preview shows the same: the displayed picture, its top 30 % masked.
    let png = dir.path().join("preview.png");
    let out = Sladd::new(dir.path(), "preview")
        .arg(s(&input))
        .site(&config)
        .camera("cam")
        .output(&png)
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    let image = image::open(&png).unwrap().to_rgb8();
    // Drawn scaled up by a whole factor, so that its labels fit.
    let k = image.width() / 96;
    assert_eq!(image.dimensions(), (96 * k, 160 * k));
    // Inside the zone, below its label and inside its outline: black.
    let mut max = 0;
    for y in 20..44 {
        for x in 6..90 {
            max = max.max(*image.get_pixel(k * x, k * y).0.iter().max().unwrap());
        }
    }
    assert!(max <= 24, "preview zone brightest {max}");
    let mut bright = 0;
    for y in 60..110 {
        for x in 6..90 {
            bright = bright.max(*image.get_pixel(k * x, k * y).0.iter().max().unwrap());
        }
    }
    assert!(bright > 150, "preview below the zone is dark");
}

/// Every decoded frame as packed RGB, none duplicated or dropped to make
/// the rate constant.
fn every_frame(path: &Path, w: usize, h: usize) -> Vec<Vec<u8>> {
    let raw = ffmpeg(&[
        "-i",
        s(path),
        "-map",
        "0:v:0",
        "-fps_mode",
        "passthrough",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-",
    ]);
    raw.chunks(w * h * 3).map(<[u8]>::to_vec).collect()
}

#[test]
fn variable_frame_rate_keeps_every_timestamp_and_decides_each_frame_at_its_own() {
    // vfr.mp4: 25 frames, 40 ms apart, then 120 ms apart. Started one
    // second before closing time (Tuesday 23:00): frames shown before 1.0 s
    // are masked, the rest are not. Decided by frame index at the average
    // rate instead, the split would fall elsewhere.
    let input = clip("vfr.mp4");
    let times = frame_times(&input);
    assert_eq!(times.len(), 25);
    let before_close = times.iter().filter(|&&t| t < 1.0).count();
    let average_rate = 25.0 / times.last().unwrap();
    assert_ne!(before_close, average_rate.ceil() as usize);
    let run = redact(
        &input,
        &site(),
        "kasse-1",
        &["--start", "2026-11-24T22:59:59+01:00"],
    );
    assert_eq!(run.code(), 0, "{}", run.message());
    let f = run.report();
    assert_eq!(f["frames"], 25);
    assert_eq!(f["masked_frames"], before_close as u64, "{f}");
    let spans: Vec<(u64, u64)> = f["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["first_frame"].as_u64().unwrap(),
                d["last_frame"].as_u64().unwrap(),
            )
        })
        .collect();
    let split = before_close as u64;
    assert_eq!(spans, [(0, split - 1), (split, 24)]);
    assert_eq!(frame_times(&run.output()), times, "timestamps changed");
    // The pixels agree: inside "Bak kassen" (x 0.10–0.42, y 0.35–0.95),
    // away from the till, black before closing and not after.
    let (w, h) = (160, 120);
    let original = every_frame(&input, w, h);
    let frames = every_frame(&run.output(), w, h);
    assert_eq!((original.len(), frames.len()), (25, 25));
    let zone = |x: usize, y: usize| (20..30).contains(&x) && (48..110).contains(&y);
    let (last_masked, first_shown) = (before_close - 1, before_close);
    assert!(brightest(&original[last_masked], w, h, zone) > 100);
    assert!(brightest(&frames[last_masked], w, h, zone) <= 40);
    let shown = mean_diff(&original[first_shown], &frames[first_shown], w, h, zone);
    assert!(shown < 6.0, "frame {first_shown} differs by {shown}");
}
