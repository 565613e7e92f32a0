//! `sladd redact` end to end: the JSON report, the decoded output, audio,
//! batches, exit codes, inputs left alone, Ctrl-C.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::support::*;

const W: usize = 640;
const H: usize = 360;

/// Pixels of kiosk.mp4 inside "Bak kassen" (x 0.10–0.42, y 0.35–0.95)
/// but away from its edges and from its object (the till, x 0.20–0.30,
/// y 0.55–0.70).
fn masked_zone(x: usize, y: usize) -> bool {
    let zone = (72..262).contains(&x) && (134..334).contains(&y);
    let object = (120..200).contains(&x) && (190..260).contains(&y);
    zone && !object
}

/// Pixels inside the till, away from its edges.
fn till(x: usize, y: usize) -> bool {
    (136..184).contains(&x) && (206..244).contains(&y)
}

/// Pixels inside "Pumpene" (public: x 0.45–1.0, y 0–0.6), away from edges.
fn public_zone(x: usize, y: usize) -> bool {
    (296..632).contains(&x) && (8..208).contains(&y)
}

fn redact(dir: &Path, input: &Path, output: &str, extra: &[&str]) -> std::process::Output {
    Sladd::new(dir, "redact")
        .arg(s(input))
        .site(site())
        .camera("kasse-1")
        .output(output)
        .json()
        .args(extra)
        .run()
}

#[test]
fn redact_kiosk_masks_the_zone_keeps_the_rest_and_strips_audio() {
    let dir = tempfile::tempdir().unwrap();
    let input = clip("kiosk.mp4");
    let before = sha256(&input);
    let out = redact(dir.path(), &input, "out.mp4", &[]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    let v = json(&out);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    let f = &files[0];
    assert_eq!(f["input"], s(&input));
    assert_eq!(f["output"], "out.mp4");
    assert_eq!(f["status"], "ok");
    assert!(f["error"].is_null(), "{f}");
    assert_eq!(f["frames"], 75);
    // Tuesday 10:30 in Oslo: opening hours, so "Bak kassen" is OBJECT_ONLY
    // on every frame and the whole frame never goes dark.
    assert_eq!(f["masked_frames"], 75);
    assert_eq!(f["full_frame_masked"], 0);
    // The site's camera has audio = false.
    assert_eq!(f["audio"], "stripped");
    let seconds = f["seconds"].as_f64().unwrap();
    assert!((seconds - 3.0).abs() < 0.1, "{seconds}");
    let fps = f["fps"].as_f64().unwrap();
    assert!(fps.is_finite() && fps > 0.0, "{fps}");
    assert_eq!(f["start_source"], "creation_time");
    assert_eq!(v["camera"], "kasse-1");

    // Nothing else left in the folder: no temporary file.
    assert_eq!(names(dir.path()), ["out.mp4", "out.mp4.manifest.json"]);
    assert_eq!(sha256(&input), before, "the input changed");

    let output = dir.path().join("out.mp4");
    assert_eq!(stream_types(&output), ["video"]);
    let original = rgb_frames(&input, W, H);
    let redacted = rgb_frames(&output, W, H);
    assert_eq!(redacted.len(), 75);
    assert_eq!(original.len(), 75);
    for i in [0, 37, 74] {
        let (a, b) = (&original[i], &redacted[i]);
        let (mut zone_max, mut zone_sum, mut zone_n) = (0u8, 0u64, 0u64);
        let (mut till_diff, mut till_n) = (0u64, 0u64);
        let (mut public_diff, mut public_n) = (0u64, 0u64);
        for y in 0..H {
            for x in 0..W {
                let (p, q) = (px(a, W, x, y), px(b, W, x, y));
                let diff: u64 = p
                    .iter()
                    .zip(q)
                    .map(|(&p, q)| u64::from(p.abs_diff(q)))
                    .sum();
                if masked_zone(x, y) {
                    let m = *q.iter().max().unwrap();
                    zone_max = zone_max.max(m);
                    zone_sum += u64::from(m);
                    zone_n += 1;
                } else if till(x, y) {
                    till_diff += diff;
                    till_n += 1;
                } else if public_zone(x, y) {
                    public_diff += diff;
                    public_n += 1;
                }
            }
        }
        // The masked zone is black up to codec noise.
        assert!(
            zone_max <= 40,
            "frame {i}: brightest masked pixel {zone_max}"
        );
        assert!(
            zone_sum / zone_n <= 4,
            "frame {i}: mean {}",
            zone_sum / zone_n
        );
        // The public zone and the till keep the picture.
        let public_mean = public_diff as f64 / (3 * public_n) as f64;
        assert!(
            public_mean < 4.0,
            "frame {i}: public zone differs by {public_mean}"
        );
        let till_mean = till_diff as f64 / (3 * till_n) as f64;
        assert!(till_mean < 6.0, "frame {i}: till differs by {till_mean}");
    }
    // The content under the mask is not black to begin with.
    let original_zone_max = (0..H)
        .flat_map(|y| (0..W).map(move |x| (x, y)))
        .filter(|&(x, y)| masked_zone(x, y))
        .map(|(x, y)| *px(&original[0], W, x, y).iter().max().unwrap())
        .max()
        .unwrap();
    assert!(original_zone_max > 150, "{original_zone_max}");
}

#[test]
fn audio_keep_copies_the_audio() {
    let dir = tempfile::tempdir().unwrap();
    let out = redact(
        dir.path(),
        &clip("kiosk.mp4"),
        "out.mp4",
        &["--audio", "keep"],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    assert_eq!(json(&out)["files"][0]["audio"], "copied");
    assert_eq!(
        stream_types(&dir.path().join("out.mp4")),
        ["video", "audio"]
    );
    assert_eq!(names(dir.path()), ["out.mp4", "out.mp4.manifest.json"]);
}

fn assert_failed_without_output(out: &std::process::Output, dir: &Path, expected: i32) {
    assert_eq!(code(out), expected, "{}", err(out));
    let v = json(out);
    let f = &v["files"][0];
    assert_eq!(f["status"], "error");
    assert!(f["error"].as_str().is_some_and(|e| !e.is_empty()), "{f}");
    assert!(names(dir).is_empty(), "left behind: {:?}", names(dir));
}

#[test]
fn unreadable_inputs_exit_3_and_write_nothing() {
    for name in ["not_video.mp4", "empty.mp4", "truncated.mp4", "corrupt.mp4"] {
        let dir = tempfile::tempdir().unwrap();
        let out = redact(dir.path(), &clip(name), "out.mp4", &[]);
        assert_failed_without_output(&out, dir.path(), 3);
        let error = json(&out)["files"][0]["error"].as_str().unwrap().to_owned();
        assert!(error.contains(name), "{name}: {error}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = redact(dir.path(), &dir.path().join("missing.mp4"), "out.mp4", &[]);
    assert_failed_without_output(&out, dir.path(), 3);
}

#[test]
fn unwritable_outputs_exit_4() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file.txt"), b"not a folder").unwrap();
    // A regular file as the parent folder stops root too.
    let out = redact(dir.path(), &clip("kiosk.mp4"), "file.txt/out.mp4", &[]);
    assert_eq!(code(&out), 4, "{}", err(&out));
    let f = &json(&out)["files"][0];
    assert_eq!(f["status"], "error");
    assert!(f["error"].as_str().unwrap().contains("file.txt"), "{f}");
    assert_eq!(names(dir.path()), ["file.txt"]);
    assert_eq!(
        std::fs::read(dir.path().join("file.txt")).unwrap(),
        b"not a folder"
    );
    // procfs takes no new files, whoever asks.
    let out = redact(dir.path(), &clip("kiosk.mp4"), "/proc/sladd-test.mp4", &[]);
    assert_eq!(code(&out), 4, "{}", err(&out));
    assert!(!Path::new("/proc/sladd-test.mp4").exists());
}

#[test]
fn usage_errors_exit_2_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = clip("kiosk.mp4");
    let site = site();
    let typo = dir.path().join("typo.toml");
    std::fs::write(
        &typo,
        std::fs::read_to_string(&site)
            .unwrap()
            .replacen("polygon =", "polgon =", 1),
    )
    .unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "redact",
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
                "-o",
                "o.mp4",
                "--preset",
                "bogus",
            ],
            "bogus",
        ),
        (
            vec![
                "redact",
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
                "-o",
                "new/",
            ],
            "names a folder",
        ),
        (
            vec![
                "redact",
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
                "-o",
                "o.png",
            ],
            "video containers",
        ),
        (
            vec![
                "redact",
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
                "-o",
                ".",
            ],
            "names a folder",
        ),
        (
            vec![
                "redact",
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
                "-o",
                "o.mp4",
                "--bogus",
            ],
            "--bogus",
        ),
        (
            vec!["redact", s(&kiosk), "-c", s(&site), "--camera", "kasse-1"],
            "--out-dir",
        ),
        (
            vec![
                "redact",
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
                "-o",
                "o.mp4",
                "--jobs",
                "0",
            ],
            "--jobs",
        ),
        (
            vec![
                "redact",
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
                "-o",
                "o.mp4",
                "--style",
                "sparkle",
            ],
            "sparkle",
        ),
        (
            vec![
                "redact",
                s(&kiosk),
                "-c",
                s(&typo),
                "--camera",
                "kasse-1",
                "-o",
                "o.mp4",
            ],
            "typo.toml:40:1:",
        ),
        (
            vec![
                "redact",
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-9",
                "-o",
                "o.mp4",
            ],
            "kasse-9",
        ),
        (
            vec![
                "redact",
                s(&kiosk),
                s(&kiosk),
                "-c",
                s(&site),
                "--camera",
                "kasse-1",
                "-o",
                "o.mp4",
            ],
            "--out-dir",
        ),
        (
            vec![
                "preview",
                s(&kiosk),
                "-c",
                s(&typo),
                "--camera",
                "kasse-1",
                "-o",
                "p.png",
            ],
            "typo.toml:40:1: cameras[0].zones[0].polgon",
        ),
    ];
    for (args, needle) in cases {
        let out = Sladd::in_dir(dir.path()).args(&args).run();
        assert_eq!(code(&out), 2, "{args:?}: {}", err(&out));
        assert!(err(&out).contains(needle), "{args:?}: {}", err(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(names(dir.path()), ["typo.toml"], "{args:?}");
    }
}

#[test]
fn check_and_plan_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let shop = fixtures().join("policy/shop_owner.toml");
    let out = Sladd::new(dir.path(), "check").site(&shop).json().run();
    assert_eq!(code(&out), 1, "{}", err(&out));
    assert!(json(&out)["violations"].as_u64().unwrap() > 0);
    let out = Sladd::new(dir.path(), "check").site(site()).json().run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    assert_eq!(json(&out)["violations"], 0);
    let out = Sladd::new(dir.path(), "plan")
        .site(site())
        .camera("kasse-1")
        .args(["--at", "2026-11-24T12:00:00+01:00"])
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
}

#[test]
fn output_naming_the_input_is_refused_and_the_input_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.mp4");
    std::fs::copy(clip("kiosk.mp4"), &input).unwrap();
    let before = sha256(&input);
    let modified = std::fs::metadata(&input).unwrap().modified().unwrap();
    for output in ["in.mp4", "./in.mp4", s(&input)] {
        let out = Sladd::new(dir.path(), "redact")
            .arg("in.mp4")
            .site(site())
            .camera("kasse-1")
            .output(output)
            .json()
            .run();
        assert_eq!(code(&out), 2, "{output}: {}", err(&out));
        assert!(err(&out).contains("is the input file"), "{}", err(&out));
        assert_eq!(sha256(&input), before);
        assert_eq!(
            std::fs::metadata(&input).unwrap().modified().unwrap(),
            modified
        );
        assert_eq!(names(dir.path()), ["in.mp4"]);
    }
    // --out-dir onto the input's own folder maps every input onto itself.
    let out = Sladd::new(dir.path(), "redact")
        .arg("in.mp4")
        .site(site())
        .camera("kasse-1")
        .args(["--out-dir", "."])
        .run();
    assert_eq!(code(&out), 2, "{}", err(&out));
    assert_eq!(sha256(&input), before);
    assert_eq!(names(dir.path()), ["in.mp4"]);
}

/// A folder `in/` holding two good clips in nested folders and a corrupt one.
fn batch(dir: &Path) {
    for (from, to) in [
        ("kiosk.mp4", "in/cam1/a.mp4"),
        ("kiosk.mp4", "in/cam1/day2/b.mp4"),
        ("truncated.mp4", "in/cam2/bad.mp4"),
    ] {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(clip(from), to).unwrap();
    }
}

fn batch_redact(dir: &Path, out_dir: &str, extra: &[&str]) -> std::process::Output {
    Sladd::new(dir, "redact")
        .arg("in")
        .site(site())
        .camera("kasse-1")
        .args(["--out-dir", out_dir])
        .json()
        .args(extra)
        .run()
}

fn by_input(v: &Value) -> Vec<(String, Value)> {
    let mut files: Vec<(String, Value)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["input"].as_str().unwrap().to_owned(), f.clone()))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

#[test]
fn a_batch_mirrors_good_files_reports_the_bad_one_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    batch(root);
    let inputs_before = tree(&root.join("in"));
    let hashes: Vec<Vec<u8>> = inputs_before
        .iter()
        .map(|p| sha256(&root.join("in").join(p)))
        .collect();

    let out = batch_redact(root, "out", &[]);
    assert_eq!(code(&out), 3, "worst of ok, ok, unreadable: {}", err(&out));
    let files = by_input(&json(&out));
    let summary: Vec<(&str, &str, &str)> = files
        .iter()
        .map(|(i, f)| {
            (
                i.as_str(),
                f["output"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("in/cam1/a.mp4", "out/cam1/a.mp4", "ok"),
            ("in/cam1/day2/b.mp4", "out/cam1/day2/b.mp4", "ok"),
            ("in/cam2/bad.mp4", "out/cam2/bad.mp4", "error"),
        ]
    );
    assert!(files[2].1["error"].as_str().unwrap().contains("bad.mp4"));
    assert_eq!(files[0].1["frames"], 75);
    assert_eq!(files[1].1["frames"], 75);
    // Only the good ones, no partial output, no temporary file, no empty
    // folder for the bad one.
    assert_eq!(
        tree(&root.join("out")),
        [
            "cam1/a.mp4",
            "cam1/a.mp4.manifest.json",
            "cam1/day2/b.mp4",
            "cam1/day2/b.mp4.manifest.json"
        ]
    );
    assert!(!root.join("out/cam2").exists());
    for p in ["out/cam1/a.mp4", "out/cam1/day2/b.mp4"] {
        assert_eq!(frame_count(&root.join(p)), 75, "{p}");
    }
    assert_eq!(tree(&root.join("in")), inputs_before);
    for (p, h) in inputs_before.iter().zip(&hashes) {
        assert_eq!(&sha256(&root.join("in").join(p)), h, "{p} changed");
    }

    // Resume: the good ones are skipped and not rewritten.
    let mtimes = || -> Vec<std::time::SystemTime> {
        ["out/cam1/a.mp4", "out/cam1/day2/b.mp4"]
            .iter()
            .map(|p| std::fs::metadata(root.join(p)).unwrap().modified().unwrap())
            .collect()
    };
    // A sentinel time in the past: any rewrite would replace it.
    let sentinel = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for p in ["out/cam1/a.mp4", "out/cam1/day2/b.mp4"] {
        let file = std::fs::File::options()
            .write(true)
            .open(root.join(p))
            .unwrap();
        file.set_modified(sentinel).unwrap();
    }
    let before = mtimes();
    assert_eq!(before, [sentinel, sentinel]);
    let contents: Vec<Vec<u8>> = ["out/cam1/a.mp4", "out/cam1/day2/b.mp4"]
        .iter()
        .map(|p| std::fs::read(root.join(p)).unwrap())
        .collect();
    let out = batch_redact(root, "out", &["--skip-existing"]);
    assert_eq!(code(&out), 3, "{}", err(&out));
    let statuses: Vec<String> = by_input(&json(&out))
        .iter()
        .map(|(_, f)| f["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["skipped", "skipped", "error"]);
    assert_eq!(mtimes(), before);
    let after: Vec<Vec<u8>> = ["out/cam1/a.mp4", "out/cam1/day2/b.mp4"]
        .iter()
        .map(|p| std::fs::read(root.join(p)).unwrap())
        .collect();
    assert_eq!(after, contents);
    assert_eq!(
        tree(&root.join("out")),
        [
            "cam1/a.mp4",
            "cam1/a.mp4.manifest.json",
            "cam1/day2/b.mp4",
            "cam1/day2/b.mp4.manifest.json"
        ]
    );
}

#[test]
fn two_jobs_give_the_outputs_of_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (from, to) in [
        ("kiosk.mp4", "in/a.mp4"),
        ("h264_aac.mp4", "in/b/c.mp4"),
        ("mjpeg.avi", "in/d.avi"),
    ] {
        let to = root.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(clip(from), to).unwrap();
    }
    let one = batch_redact(root, "one", &["--jobs", "1"]);
    assert_eq!(code(&one), 0, "{}", err(&one));
    let two = batch_redact(root, "two", &["--jobs", "2"]);
    assert_eq!(code(&two), 0, "{}", err(&two));
    assert_eq!(
        tree(&root.join("one")),
        [
            "a.mp4",
            "a.mp4.manifest.json",
            "b/c.mp4",
            "b/c.mp4.manifest.json",
            "d.avi",
            "d.avi.manifest.json"
        ]
    );
    assert_eq!(tree(&root.join("two")), tree(&root.join("one")));
    let (one, two) = (by_input(&json(&one)), by_input(&json(&two)));
    for ((input, a), (_, b)) in one.iter().zip(&two) {
        for key in [
            "status",
            "frames",
            "masked_frames",
            "full_frame_masked",
            "audio",
        ] {
            assert_eq!(a[key], b[key], "{input}: {key}");
        }
        let rel = input.strip_prefix("in/").unwrap();
        let frames = frame_count(&root.join("one").join(rel));
        assert_eq!(frames, a["frames"].as_u64().unwrap(), "{input}");
        assert_eq!(frame_count(&root.join("two").join(rel)), frames, "{input}");
    }
}

/// A FIFO at `path` that hands a reader the first `head` bytes of `bytes`
/// and blocks there: the reading run cannot finish until `go` is sent (or
/// dropped), when the rest follows and the FIFO closes. The feeding thread
/// is never joined, so a reader that never comes cannot hang the test.
fn blocking_input(path: &Path, bytes: Vec<u8>, head: usize) -> std::sync::mpsc::Sender<()> {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let path = path.to_owned();
    std::thread::spawn(move || {
        use std::io::Write;
        // Opening blocks until the run opens the input.
        let Ok(mut fifo) = std::fs::File::options().write(true).open(&path) else {
            return;
        };
        // A run that stopped reading makes these writes fail: ignored.
        let _ = fifo.write_all(&bytes[..head]);
        let _ = wait.recv();
        let _ = fifo.write_all(&bytes[head..]);
    });
    go
}

/// Waits (at most 20 s) until `dir` holds `count` entries: the runs'
/// temporary outputs, so they are under way.
fn wait_for_outputs(dir: &Path, count: usize) {
    let started = Instant::now();
    while names(dir).len() < count {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{count} temporary outputs did not appear: {:?}",
            names(dir)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn signal(child: &std::process::Child, signal: &str) {
    let kill = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
}

/// Each input is fed through a FIFO that stalls half-way, so the signal
/// always lands while the file is being redacted, whatever the machine's
/// speed; the rest of the input follows the signal.
#[test]
fn ctrl_c_exits_130_and_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let clip = root.join("clip.ts");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=25:duration=8",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        s(&clip),
    ]);
    let bytes = std::fs::read(&clip).unwrap();
    let half = bytes.len() / 2;
    let out_dir = root.join("out");
    std::fs::create_dir(&out_dir).unwrap();
    // Ctrl-C, and the stop a service manager sends.
    for sig in ["-INT", "-TERM"] {
        let input = root.join(format!("long{sig}.ts"));
        let go = blocking_input(&input, bytes.clone(), half);
        let child = Sladd::new(root, "redact")
            .arg(&input)
            .site(site())
            .camera("kasse-1")
            .output("out/long.mp4")
            .json()
            .spawn();
        wait_for_outputs(&out_dir, 1);
        signal(&child, sig);
        let _ = go.send(());
        let out = child.wait_with_output().unwrap();
        assert_eq!(code(&out), 130, "{sig}: {}", err(&out));
        let f = &json(&out)["files"][0];
        assert_eq!(f["status"], "error");
        assert!(f["error"].as_str().unwrap().contains("interrupted"), "{f}");
        assert!(
            names(&out_dir).is_empty(),
            "{sig} left behind: {:?}",
            names(&out_dir)
        );
    }

    // A batch on two workers: both running files stop, the third never starts.
    let batch = root.join("batch");
    std::fs::create_dir(&batch).unwrap();
    let feeds: Vec<_> = ["a.ts", "b.ts", "c.ts"]
        .iter()
        .map(|name| blocking_input(&batch.join(name), bytes.clone(), half))
        .collect();
    let child = Sladd::new(root, "redact")
        .arg("batch")
        .site(site())
        .camera("kasse-1")
        .args(["--out-dir", "out", "--jobs", "2"])
        .json()
        .spawn();
    wait_for_outputs(&out_dir, 2);
    signal(&child, "-INT");
    for go in &feeds {
        let _ = go.send(());
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 130, "{}", err(&out));
    let errors: Vec<String> = by_input(&json(&out))
        .iter()
        .map(|(_, f)| {
            assert_eq!(f["status"], "error", "{f}");
            f["error"].as_str().unwrap().to_owned()
        })
        .collect();
    assert!(
        errors.iter().all(|e| e.contains("interrupted")),
        "{errors:?}"
    );
    assert_eq!(errors[2], "not started: interrupted");
    assert!(
        names(&out_dir).is_empty(),
        "left behind: {:?}",
        names(&out_dir)
    );
}

/// Regression: `sladd redact … | head -1` panicked (exit 101) when the
/// report met the closed pipe, after the work was done.
#[test]
fn a_closed_stdout_keeps_the_exit_code_of_the_run() {
    let dir = tempfile::tempdir().unwrap();
    for json in [false, true] {
        let mut sladd = Sladd::new(dir.path(), "redact")
            .arg(clip("kiosk.mp4"))
            .site(site())
            .camera("kasse-1")
            .output("out.mp4");
        if json {
            sladd = sladd.json();
        }
        let mut child = sladd.spawn();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert!(!err(&out).contains("panicked"), "{}", err(&out));
        assert_eq!(code(&out), 0, "{}", err(&out));
        assert_eq!(names(dir.path()), ["out.mp4", "out.mp4.manifest.json"]);
        std::fs::remove_file(dir.path().join("out.mp4")).unwrap();
        std::fs::remove_file(dir.path().join("out.mp4.manifest.json")).unwrap();
    }
}

fn plan_masks(dir: &Path, at: &str) -> bool {
    plan_json(dir, at)["zones"][0]["masked"].as_bool().unwrap()
}

/// The highest channel value over the masked zone of a frame.
fn zone_max(frame: &[u8]) -> u8 {
    (0..H)
        .flat_map(|y| (0..W).map(move |x| (x, y)))
        .filter(|&(x, y)| masked_zone(x, y))
        .map(|(x, y)| *px(frame, W, x, y).iter().max().unwrap())
        .max()
        .unwrap()
}

#[test]
fn every_frame_is_masked_as_decided_at_its_own_instant() {
    // Started one second before closing (Tuesday 23:00): frames 0–24 fall
    // in opening hours, frames 25–74 after them.
    let dir = tempfile::tempdir().unwrap();
    assert!(plan_masks(dir.path(), "2026-11-24T22:59:59.96+01:00"));
    assert!(!plan_masks(dir.path(), "2026-11-24T23:00:00+01:00"));
    let out = redact(
        dir.path(),
        &clip("kiosk.mp4"),
        "edge.mp4",
        &["--start", "2026-11-24T22:59:59+01:00"],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    let f = &json(&out)["files"][0];
    assert_eq!(f["start_source"], "option");
    assert_eq!(f["masked_frames"], 25);
    assert_eq!(f["full_frame_masked"], 0);
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
    assert_eq!(spans, [(0, 24), (25, 74)]);
    let frames = rgb_frames(&dir.path().join("edge.mp4"), W, H);
    assert_eq!(frames.len(), 75);
    assert!(zone_max(&frames[0]) <= 40);
    assert!(zone_max(&frames[24]) <= 40);
    assert!(zone_max(&frames[25]) > 150);
    assert!(zone_max(&frames[74]) > 150);
}

#[test]
fn a_camera_without_a_purpose_goes_dark() {
    // Burglary only, at noon on a weekday: no legitimate purpose is active.
    let dir = tempfile::tempdir().unwrap();
    let site = fixtures().join("policy/burglary_only.toml");
    let out = Sladd::new(dir.path(), "redact")
        .arg(s(&clip("kiosk.mp4")))
        .site(&site)
        .camera("innbrudd")
        .output("dark.mp4")
        .args(["--start", "2026-11-24T12:00:00+01:00"])
        .json()
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    let f = &json(&out)["files"][0];
    assert_eq!(
        (&f["frames"], &f["full_frame_masked"]),
        (&75.into(), &75.into())
    );
    let frames = rgb_frames(&dir.path().join("dark.mp4"), W, H);
    assert_eq!(frames.len(), 75);
    for frame in [&frames[0], &frames[74]] {
        assert!(
            frame.iter().all(|&c| c <= 40),
            "a lit pixel in a dark frame"
        );
    }
}

#[test]
fn on_corrupt_skip_finishes_a_damaged_file_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = redact(
        dir.path(),
        &clip("truncated.mp4"),
        "t.mp4",
        &["--on-corrupt", "skip"],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    let f = &json(&out)["files"][0];
    assert_eq!(f["status"], "ok");
    let skipped = f["skipped_frames"].as_u64().unwrap();
    assert!(skipped > 0, "{f}");
    let notes = f["notes"].to_string();
    assert!(notes.contains("damaged frames skipped"), "{notes}");
    assert_eq!(
        frame_count(&dir.path().join("t.mp4")),
        f["frames"].as_u64().unwrap()
    );
    // The table says it too.
    let out = Sladd::new(dir.path(), "redact")
        .arg(s(&clip("truncated.mp4")))
        .site(site())
        .camera("kasse-1")
        .output("t2.mp4")
        .args(["--on-corrupt", "skip"])
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains(&format!("note: {skipped} damaged frames skipped")),
        "{table}"
    );
}

#[test]
fn on_corrupt_skip_leaves_out_damaged_frames_in_the_middle() {
    // corrupt.mp4: h264_aac.mp4 (50 frames) with 3 KB overwritten halfway.
    let dir = tempfile::tempdir().unwrap();
    let out = redact(
        dir.path(),
        &clip("corrupt.mp4"),
        "c.mp4",
        &["--on-corrupt", "skip"],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    let f = &json(&out)["files"][0];
    let (frames, skipped) = (
        f["frames"].as_u64().unwrap(),
        f["skipped_frames"].as_u64().unwrap(),
    );
    assert!(skipped > 0 && frames > 25, "{f}");
    assert_eq!(frames + skipped, 50, "{f}");
    assert_eq!(frame_count(&dir.path().join("c.mp4")), frames);
    assert_eq!(names(dir.path()), ["c.mp4", "c.mp4.manifest.json"]);
}

#[test]
fn an_out_dir_inside_the_input_folder_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("in")).unwrap();
    std::fs::copy(clip("kiosk.mp4"), root.join("in/a.mp4")).unwrap();
    for _ in 0..2 {
        let out = batch_redact(root, "in/red", &[]);
        assert_eq!(code(&out), 0, "{}", err(&out));
        let files = by_input(&json(&out));
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].0, "in/a.mp4");
    }
    assert_eq!(
        tree(&root.join("in")),
        ["a.mp4", "red/a.mp4", "red/a.mp4.manifest.json"]
    );
}

#[test]
fn help_has_examples() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["redact", "preview", "bench"] {
        let out = Sladd::new(dir.path(), cmd).arg("--help").run();
        assert_eq!(code(&out), 0);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Examples:"), "{cmd}: {text}");
        assert!(text.contains(&format!("sladd {cmd}")), "{cmd}: {text}");
    }
}

/// Regression: with `G/sub/v.mp4` and `out/sub/v.mp4`, `redact G out/sub
/// --out-dir out` wrote the first's output over the second, an input.
#[test]
fn one_files_output_onto_another_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for f in ["g/sub/v.mp4", "out/sub/v.mp4"] {
        std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
        std::fs::copy(clip("kiosk.mp4"), root.join(f)).unwrap();
    }
    let before = sha256(&root.join("out/sub/v.mp4"));
    let out = Sladd::new(root, "redact")
        .args(["g", "out/sub"])
        .site(site())
        .camera("kasse-1")
        .args(["--out-dir", "out"])
        .run();
    assert_eq!(code(&out), 2, "{}", err(&out));
    assert!(err(&out).contains("is the input"), "{}", err(&out));
    assert_eq!(sha256(&root.join("out/sub/v.mp4")), before);
    assert_eq!(tree(&root.join("out")), ["sub/v.mp4"]);
}
