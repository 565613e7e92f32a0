//! Sharded batches end to end: `sladd batch plan`, `sladd redact --plan
//! --shard`, `sladd batch merge`, on a generated archive of tiny clips of
//! mixed length.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{code, err, ffmpeg, json, s, sha256, site, Sladd};

/// Clips in the shared archive.
const CLIPS: usize = 30;

/// The archive every test copies: 30 clips of 0.4 to 6 s at 5 fps, 64×48,
/// recorded by day and by night, in three camera folders. Made once per
/// test run, in one ffmpeg process.
fn archive() -> &'static Path {
    static ARCHIVE: OnceLock<tempfile::TempDir> = OnceLock::new();
    ARCHIVE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let mut args: Vec<String> =
                ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=5:duration=40"]
                    .iter()
                    .map(|a| (*a).to_owned())
                    .collect();
            for i in 0..CLIPS {
                let folder = dir.path().join(format!("day{}", i % 3));
                std::fs::create_dir_all(&folder).unwrap();
                // A realistic mix: mostly short, a few long.
                let tenths = [4, 6, 8, 10, 12, 15, 20, 30, 45, 60][i * 7 % 10];
                let hour = if i % 4 == 0 { "03" } else { "10" };
                args.extend([
                    "-ss".to_owned(),
                    format!("{}", i % 5),
                    "-t".to_owned(),
                    format!("{}.{}", tenths / 10, tenths % 10),
                    "-map".to_owned(),
                    "0:v".to_owned(),
                    "-c:v".to_owned(),
                    "libx264".to_owned(),
                    "-preset".to_owned(),
                    "ultrafast".to_owned(),
                    "-pix_fmt".to_owned(),
                    "yuv420p".to_owned(),
                    "-metadata".to_owned(),
                    format!("creation_time=2024-03-12T{hour}:00:{i:02}Z"),
                    folder.join(format!("clip{i:02}.mp4")).display().to_string(),
                ]);
            }
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            ffmpeg(&refs);
            dir
        })
        .path()
}

/// A fresh copy of the archive and the site file in a folder of its own.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(archive(), &dir.path().join("archive"));
    std::fs::copy(site(), dir.path().join("site.toml")).unwrap();
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// `sladd batch plan archive -c site.toml --out-dir OUT -o PLAN --json` in `dir`.
fn plan_output(dir: &Path, out: &str, plan: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "batch",
        "plan",
        "archive",
        "-c",
        "site.toml",
        "--out-dir",
        out,
        "-o",
        plan,
        "--json",
    ];
    args.extend_from_slice(extra);
    Sladd::in_dir(dir).args(&args).run()
}

/// [`plan_output`], which must succeed: its JSON summary.
fn plan(dir: &Path, out: &str, plan: &str, extra: &[&str]) -> Value {
    let out = plan_output(dir, out, plan, extra);
    assert_eq!(code(&out), 0, "{}", err(&out));
    json(&out)
}

fn redact_shard(dir: &Path, plan: &str, shard: &str) -> Output {
    Sladd::in_dir(dir)
        .args(["redact", "--plan", plan, "--shard", shard, "--json"])
        .run()
}

fn files(report: &Value) -> &Vec<Value> {
    report["files"].as_array().unwrap()
}

fn manifest(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_plan_is_deterministic_and_balanced() {
    let dir = workspace();
    let a = plan(dir.path(), "out", "plan-a.json", &["--shards", "4"]);
    let b = plan(dir.path(), "out", "plan-b.json", &["--shards", "4"]);
    let text = |n: &str| std::fs::read_to_string(dir.path().join(n)).unwrap();
    assert_eq!(
        text("plan-a.json"),
        text("plan-b.json"),
        "same inputs, same bytes"
    );
    assert_eq!(a["plan_sha256"], b["plan_sha256"]);
    assert_eq!(a["files"], CLIPS);
    assert!(a["balance"]["lpt"].as_f64().unwrap() <= a["balance"]["round_robin"].as_f64().unwrap());
    let planned: Value = serde_json::from_str(&text("plan-a.json")).unwrap();
    let first = &planned["files"][0];
    assert_eq!(first["input"], "archive/day0/clip00.mp4");
    assert_eq!(first["output"], "out/day0/clip00.mp4");
    assert_eq!(first["camera"], "kasse-1");
    assert!(
        (first["duration"].as_f64().unwrap() - 0.4).abs() < 0.01,
        "{first}"
    );
    for key in ["bytes", "mtime", "shard"] {
        assert!(!first[key].is_null(), "{key} in {first}");
    }
    assert!(
        first["sha256"].is_null(),
        "inputs are hashed only when asked"
    );
    assert_eq!(planned["site"]["path"], "site.toml");
    assert_eq!(planned["sladd_version"], env!("CARGO_PKG_VERSION"));
    let hashed = plan(dir.path(), "out", "plan-h.json", &["--hash-inputs"]);
    assert_ne!(hashed["plan_sha256"], a["plan_sha256"]);
    let planned: Value = serde_json::from_str(&text("plan-h.json")).unwrap();
    let clip = dir.path().join("archive/day0/clip00.mp4");
    let expected: String = sha256(&clip).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(planned["files"][0]["sha256"], expected.as_str());
}

/// Three workers at once, each its own shard, give the outputs one
/// unsharded run gives: the same files, frame counts, decisions and bytes.
#[test]
fn three_concurrent_shards_equal_one_unsharded_run() {
    let dir = workspace();
    plan(dir.path(), "whole", "whole.json", &["--hash-inputs"]);
    plan(dir.path(), "sharded", "sharded.json", &["--hash-inputs"]);
    let whole = redact_shard(dir.path(), "whole.json", "0/1");
    assert_eq!(code(&whole), 0, "{}", err(&whole));
    let workers: Vec<std::process::Child> = (0..3)
        .map(|k| {
            Command::new(env!("CARGO_BIN_EXE_sladd"))
                .current_dir(dir.path())
                .args([
                    "redact",
                    "--plan",
                    "sharded.json",
                    "--shard",
                    &format!("{k}/3"),
                    "--json",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut handled = 0;
    for worker in workers {
        let out = worker.wait_with_output().unwrap();
        assert_eq!(code(&out), 0, "{}", err(&out));
        let report = json(&out);
        assert!(
            files(&report).iter().all(|f| f["status"] == "ok"),
            "{report}"
        );
        handled += files(&report).len();
    }
    assert_eq!(handled, CLIPS, "every file in exactly one shard");
    let merged = Sladd::in_dir(dir.path())
        .args([
            "batch",
            "merge",
            "--plan",
            "sharded.json",
            "--shards",
            "3",
            "--json",
        ])
        .run();
    assert_eq!(code(&merged), 0, "{}", err(&merged));
    let merged = json(&merged);
    assert_eq!(merged["counts"]["ok"], CLIPS);
    assert_eq!(files(&json(&whole)).len(), CLIPS);
    let mut compared = 0;
    for f in files(&merged) {
        let rel = f["output"]
            .as_str()
            .unwrap()
            .strip_prefix("sharded/")
            .unwrap();
        let (a, b) = (
            dir.path().join("whole").join(rel),
            dir.path().join("sharded").join(rel),
        );
        let (ma, mb) = (
            manifest(&with(&a, ".manifest.json")),
            manifest(&with(&b, ".manifest.json")),
        );
        assert_eq!(ma["frames"], mb["frames"], "{rel}");
        assert_eq!(ma["decisions"], mb["decisions"], "{rel}");
        assert_eq!(ma["input"]["sha256"], mb["input"]["sha256"], "{rel}");
        assert_eq!(
            sha256(&a),
            sha256(&b),
            "{rel}: libx264 with the same settings is deterministic"
        );
        assert_eq!(mb["batch"]["plan_sha256"], merged["plan_sha256"]);
        compared += 1;
    }
    assert_eq!(compared, CLIPS);
    // Every sharded output verifies against its original and manifest.
    for f in files(&merged).iter().step_by(3) {
        let input = f["input"].as_str().unwrap();
        let output = f["output"].as_str().unwrap();
        let out = Sladd::in_dir(dir.path())
            .args([
                "verify",
                input,
                output,
                "-c",
                "site.toml",
                "--camera",
                "kasse-1",
                "--manifest",
                &format!("{output}.manifest.json"),
            ])
            .run();
        assert_eq!(code(&out), 0, "verify {output}: {}", err(&out));
    }
}

fn with(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `kill -9` of a worker in the middle of a file; the rerun redoes that
/// file only, takes over its lock, and redoes a partial file left under
/// another output's name.
#[test]
fn a_killed_worker_resumes_without_redoing_or_trusting_anything() {
    let dir = workspace();
    // One long recording the worker is killed in: 40 s of 320×240.
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=25:duration=40",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        s(&dir.path().join("archive/day1/long.mp4")),
    ]);
    plan(dir.path(), "out", "plan.json", &[]);
    let mut worker = Command::new(env!("CARGO_BIN_EXE_sladd"))
        .current_dir(dir.path())
        .args(["redact", "--plan", "plan.json", "--shard", "0/1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Longest first: the long recording is the first file. Kill the worker
    // once its temporary output is being written.
    let folder = dir.path().join("out/day1");
    let deadline = Instant::now() + Duration::from_secs(60);
    let writing = || {
        std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with(".long.sladd-tmp") && e.metadata().is_ok_and(|m| m.len() > 0)
            })
    };
    while !writing() {
        assert!(
            Instant::now() < deadline,
            "the worker never started writing"
        );
        assert!(
            worker.try_wait().unwrap().is_none(),
            "the worker ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    worker.kill().unwrap(); // SIGKILL
    worker.wait().unwrap();
    let long = dir.path().join("out/day1/long.mp4");
    assert!(!long.exists(), "no partial output under the final name");
    assert!(
        dir.path().join("out/day1/.long.mp4.sladd-lock").exists(),
        "the killed worker's lock file stays"
    );

    // A partial file where another output goes, without a manifest.
    let partial = dir.path().join("out/day2/clip02.mp4");
    std::fs::create_dir_all(partial.parent().unwrap()).unwrap();
    std::fs::write(&partial, b"\x00\x00\x00\x18ftypisom cut short").unwrap();

    let rerun = redact_shard(dir.path(), "plan.json", "0/1");
    assert_eq!(code(&rerun), 0, "{}", err(&rerun));
    let report = json(&rerun);
    let entry = |name: &str| {
        files(&report)
            .iter()
            .find(|f| f["input"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    let long_entry = entry("long.mp4");
    assert_eq!(long_entry["status"], "ok");
    assert!(
        long_entry["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().starts_with("took over from a worker")),
        "{long_entry}"
    );
    let partial_entry = entry("day2/clip02.mp4");
    assert_eq!(partial_entry["status"], "ok", "{partial_entry}");
    assert!(
        partial_entry["notes"]
            .to_string()
            .contains("redone: the file under the output name has no manifest"),
        "{partial_entry}"
    );
    assert_eq!(
        manifest(&with(&partial, ".manifest.json"))["output"]["sha256"],
        partial_entry["output_sha256"]
    );
    // The killed worker reached no other file; nothing is redacted twice:
    // a third run finds everything done.
    let third = redact_shard(dir.path(), "plan.json", "0/1");
    assert_eq!(code(&third), 0, "{}", err(&third));
    let report = json(&third);
    assert!(
        files(&report)
            .iter()
            .all(|f| f["status"] == "skipped" && f["reason"] == "done"),
        "{report}"
    );
    assert!(!dir.path().join("out/day1/.long.mp4.sladd-lock").exists());
    let leftovers: Vec<String> = crate::support::names(&folder)
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A file whose lock a live worker holds is skipped as locked; merge does
/// not count it done.
#[test]
fn a_file_another_worker_holds_is_skipped_as_locked() {
    let dir = workspace();
    std::fs::remove_dir_all(dir.path().join("archive/day1")).unwrap();
    std::fs::remove_dir_all(dir.path().join("archive/day2")).unwrap();
    plan(dir.path(), "out", "plan.json", &[]);
    let held = dir.path().join("out/day0/clip03.mp4");
    std::fs::create_dir_all(held.parent().unwrap()).unwrap();
    let lock = dir.path().join("out/day0/.clip03.mp4.sladd-lock");
    let ready = dir.path().join("ready");
    let mut holder = Command::new("flock")
        .arg("--no-fork")
        .arg(&lock)
        .args(["sh", "-c", "touch \"$0\"; exec sleep 60"])
        .arg(&ready)
        .spawn()
        .expect("flock (util-linux)");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !ready.exists() {
        assert!(Instant::now() < deadline, "flock never took the lock");
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = redact_shard(dir.path(), "plan.json", "0/1");
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert_eq!(code(&out), 0, "{}", err(&out));
    assert!(
        err(&out).contains("clip03.mp4: skipped: locked"),
        "{}",
        err(&out)
    );
    let report = json(&out);
    let locked: Vec<&Value> = files(&report)
        .iter()
        .filter(|f| f["reason"] == "locked")
        .collect();
    assert_eq!(locked.len(), 1);
    assert!(!held.exists());
    let merged = Sladd::in_dir(dir.path())
        .args([
            "batch",
            "merge",
            "out/report.shard-0-of-1.json",
            "--plan",
            "plan.json",
        ])
        .run();
    assert_eq!(
        code(&merged),
        3,
        "{}",
        String::from_utf8_lossy(&merged.stdout)
    );
    assert!(String::from_utf8_lossy(&merged.stdout).contains("archive/day0/clip03.mp4  missing"));
    // The lock released, the same shard finishes the file.
    let again = redact_shard(dir.path(), "plan.json", "0/1");
    assert_eq!(code(&again), 0);
    let merged = Sladd::in_dir(dir.path())
        .args([
            "batch",
            "merge",
            "--plan",
            "plan.json",
            "--shards",
            "1",
            "--json",
        ])
        .run();
    assert_eq!(code(&merged), 0, "{}", err(&merged));
    assert_eq!(json(&merged)["counts"]["missing"], 0);
}

/// `--shard auto` under Slurm (arrays from 0 and from 1) and Kubernetes.
#[test]
fn the_shard_comes_from_the_schedulers_variables() {
    let dir = workspace();
    for day in ["day1", "day2"] {
        std::fs::remove_dir_all(dir.path().join("archive").join(day)).unwrap();
    }
    plan(dir.path(), "out", "plan.json", &[]);
    let auto = |env: &[(&str, &str)], extra: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sladd"));
        cmd.current_dir(dir.path())
            .args(["redact", "--plan", "plan.json", "--shard", "auto", "--json"])
            .args(extra);
        for k in [
            "JOB_COMPLETION_INDEX",
            "SLURM_ARRAY_TASK_ID",
            "SLURM_ARRAY_TASK_MIN",
            "SLURM_ARRAY_TASK_COUNT",
            "SLURM_ARRAY_TASK_STEP",
        ] {
            cmd.env_remove(k);
        }
        cmd.envs(env.iter().copied()).output().unwrap()
    };
    // An array --array=1-12 of a 10-file plan: task 12 is shard 11/12, which holds nothing.
    let out = auto(
        &[
            ("SLURM_ARRAY_TASK_ID", "12"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "12"),
        ],
        &[],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    let report = json(&out);
    assert_eq!(
        report["shard"],
        serde_json::json!({"index": 11, "count": 12})
    );
    assert_eq!(report["scheduler"], "slurm");
    assert!(dir.path().join("out/report.shard-11-of-12.json").exists());
    let out = auto(
        &[
            ("SLURM_ARRAY_TASK_ID", "11"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "12"),
        ],
        &[],
    );
    assert_eq!(json(&out)["shard"]["index"], 11);
    let out = auto(&[("JOB_COMPLETION_INDEX", "11")], &["--shards", "12"]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    let report = json(&out);
    assert_eq!(
        (
            report["shard"]["index"].as_u64(),
            report["scheduler"].as_str()
        ),
        (Some(11), Some("kubernetes"))
    );
    // No count for Kubernetes, no scheduler at all: bad usage.
    for (env, extra) in [
        (vec![("JOB_COMPLETION_INDEX", "1")], vec![]),
        (vec![], vec!["--shards", "2"]),
    ] {
        let out = auto(&env, &extra);
        assert_eq!(code(&out), 2, "{env:?}: {}", err(&out));
        assert!(err(&out).contains("--shard"), "{}", err(&out));
    }
}

/// A site file edited after planning, a tampered plan and another sladd
/// version are refused (exit 2) before any work; a reformatted site file
/// with the same content is not drift.
#[test]
fn plan_drift_is_refused() {
    let dir = workspace();
    plan(dir.path(), "out", "plan.json", &[]);
    let site_path = dir.path().join("site.toml");
    let original = std::fs::read_to_string(&site_path).unwrap();
    // Edited site: refused, naming it.
    std::fs::write(
        &site_path,
        original.replacen("retention_days = 7", "retention_days = 6", 1),
    )
    .unwrap();
    assert_ne!(
        std::fs::read_to_string(&site_path).unwrap(),
        original,
        "the edit must change the file"
    );
    let out = redact_shard(dir.path(), "plan.json", "0/4");
    assert_eq!(code(&out), 2, "{}", err(&out));
    assert!(
        err(&out).contains("site.toml changed since the plan was made"),
        "{}",
        err(&out)
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
    std::fs::write(&site_path, format!("# reformatted\n\n{original}")).unwrap();
    // A plan edited by hand.
    let text = std::fs::read_to_string(dir.path().join("plan.json")).unwrap();
    std::fs::write(
        dir.path().join("edited.json"),
        text.replace("\"veryfast\"", "\"ultrafast\""),
    )
    .unwrap();
    let out = redact_shard(dir.path(), "edited.json", "0/4");
    assert_eq!(code(&out), 2);
    assert!(
        err(&out).contains("changed after planning"),
        "{}",
        err(&out)
    );
    // Another sladd version, sealed properly.
    let mut other: sladd_batch::Plan = serde_json::from_str(&text).unwrap();
    other.sladd_version = "0.0.1".into();
    other.plan_sha256 = other.content_hash().unwrap();
    other.write(&dir.path().join("old.json")).unwrap();
    let out = redact_shard(dir.path(), "old.json", "0/4");
    assert_eq!(code(&out), 2);
    assert!(err(&out).contains("made by sladd 0.0.1"), "{}", err(&out));
    // Comments and blank lines are not drift: the canonical hash is the same.
    let out = redact_shard(dir.path(), "plan.json", "3/4");
    assert_eq!(code(&out), 0, "{}", err(&out));
}

/// Two workers handed the same shard at once (a misconfigured job): every
/// file is redacted by exactly one of them; the other finds it locked or
/// already done.
#[test]
fn two_workers_on_the_same_shard_never_both_write_a_file() {
    let dir = workspace();
    plan(dir.path(), "out", "plan.json", &[]);
    let workers: Vec<std::process::Child> = (0..2)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_sladd"))
                .current_dir(dir.path())
                .args(["redact", "--plan", "plan.json", "--shard", "0/1", "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut written = std::collections::BTreeMap::<String, usize>::new();
    let mut locked = 0;
    for worker in workers {
        let out = worker.wait_with_output().unwrap();
        assert_eq!(code(&out), 0, "{}", err(&out));
        for f in files(&json(&out)) {
            let input = f["input"].as_str().unwrap().to_owned();
            match (f["status"].as_str(), f["reason"].as_str()) {
                (Some("ok"), _) => *written.entry(input).or_default() += 1,
                (Some("skipped"), Some(reason @ ("locked" | "done"))) => {
                    locked += usize::from(reason == "locked");
                    written.entry(input).or_default();
                }
                other => panic!("{input}: {other:?}"),
            }
        }
    }
    assert_eq!(written.len(), CLIPS);
    eprintln!("two workers on one shard: {locked} files found locked by the other");
    let twice: Vec<&String> = written
        .iter()
        .filter(|(_, n)| **n != 1)
        .map(|(k, _)| k)
        .collect();
    assert!(twice.is_empty(), "written by both or by neither: {twice:?}");
}

/// Without --camera, each input's camera is the one whose `recordings`
/// globs name it; an input no camera names is refused before anything is
/// probed.
#[test]
fn the_sites_recordings_globs_give_each_file_its_camera() {
    let dir = workspace();
    let original = std::fs::read_to_string(dir.path().join("site.toml")).unwrap();
    let cameras = original.find("[[cameras]]").unwrap();
    let second = original[cameras..].replacen("id = \"kasse-1\"", "id = \"kasse-2\"", 1);
    let with_globs = |text: &str, globs: &str| {
        text.replacen(
            "retention_days = 7",
            &format!("retention_days = 7\nrecordings = {globs}"),
            1,
        )
    };
    let site = format!(
        "{}\n{}",
        with_globs(&original, r#"["archive/day0/*.mp4", "archive/day1/*.mp4"]"#),
        with_globs(&second, r#"["archive/day2/**/*.mp4"]"#)
    );
    std::fs::write(dir.path().join("site.toml"), &site).unwrap();
    plan(dir.path(), "out", "plan.json", &[]);
    let planned: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
            .unwrap();
    let planned = planned["files"].as_array().unwrap();
    assert_eq!(planned.len(), CLIPS);
    for f in planned {
        let input = f["input"].as_str().unwrap();
        let want = if input.starts_with("archive/day2/") {
            "kasse-2"
        } else {
            "kasse-1"
        };
        assert_eq!(f["camera"], want, "{f}");
    }
    // The shard redacts each file with its own camera's zones.
    let out = redact_shard(dir.path(), "plan.json", "0/1");
    assert_eq!(code(&out), 0, "{}", err(&out));
    let report = json(&out);
    assert!(report["camera"].is_null(), "two cameras: {report}");
    let day2 = files(&report)
        .iter()
        .find(|f| f["input"].as_str().unwrap().starts_with("archive/day2/"))
        .unwrap();
    assert_eq!(day2["camera"], "kasse-2");
    let m = manifest(&dir.path().join(with(
        Path::new(day2["output"].as_str().unwrap()),
        ".manifest.json",
    )));
    assert_eq!(m["camera"], "kasse-2", "{m}");

    // A recording the globs miss.
    std::fs::copy(
        dir.path().join("archive/day0/clip00.mp4"),
        dir.path().join("archive/stray.mp4"),
    )
    .unwrap();
    let out = plan_output(dir.path(), "out2", "p2.json", &[]);
    assert_eq!(code(&out), 2, "{}", err(&out));
    assert!(
        err(&out).contains("archive/stray.mp4: no camera's `recordings`"),
        "{}",
        err(&out)
    );
    assert!(!dir.path().join("p2.json").exists());
    // --camera still decides for all.
    let out = plan_output(dir.path(), "out2", "p2.json", &["--camera", "kasse-2"]);
    assert_eq!(code(&out), 0, "{}", err(&out));
}

/// A single-node Slurm cluster (scripts/slurm-local: Debian's slurm-wlm and
/// munge) runs deploy/slurm/sladd-array.sbatch as `sbatch --array=0-3
/// --wait` over a plan, then deploy/slurm/sladd-merge.sbatch after it; the
/// summary has every planned file redacted once, each shard found by
/// `--shard auto` from the array's variables.
#[test]
fn a_slurm_job_array_redacts_the_plan_and_the_merge_job_merges_it() {
    let dir = workspace();
    plan(dir.path(), "out", "plan.json", &[]);
    let cluster = SlurmLocal::start(&dir.path().join("slurm"));
    let started = Instant::now();
    let array = cluster
        .sbatch(dir.path())
        .args(["--array=0-3", "--wait", "--parsable"])
        .arg(repo("deploy/slurm/sladd-array.sbatch"))
        .arg("plan.json")
        .output()
        .unwrap();
    let array_seconds = started.elapsed().as_secs_f64();
    assert_eq!(
        code(&array),
        0,
        "{}\n{}",
        err(&array),
        cluster.logs(dir.path())
    );
    let job = String::from_utf8_lossy(&array.stdout).trim().to_owned();
    let merge = cluster
        .sbatch(dir.path())
        .arg(format!("--dependency=afterany:{job}"))
        .arg("--wait")
        .arg(repo("deploy/slurm/sladd-merge.sbatch"))
        .args(["plan.json", "4"])
        .output()
        .unwrap();
    assert_eq!(
        code(&merge),
        0,
        "{}\n{}",
        err(&merge),
        cluster.logs(dir.path())
    );
    eprintln!("slurm: the 4-task array over {CLIPS} clips took {array_seconds:.1} s");
    drop(cluster);

    for k in 0..4 {
        let report = manifest(&dir.path().join(format!("out/report.shard-{k}-of-4.json")));
        assert_eq!(report["scheduler"], "slurm", "{report}");
        assert_eq!(report["shard"], serde_json::json!({"index": k, "count": 4}));
    }
    let summary = manifest(&dir.path().join("summary.json"));
    assert_eq!(summary["counts"]["ok"], CLIPS, "{summary}");
    assert_eq!(summary["counts"]["missing"], 0, "{summary}");
    assert_eq!(files(&summary).len(), CLIPS);
    for f in files(&summary) {
        assert!(
            dir.path().join(f["output"].as_str().unwrap()).is_file(),
            "{f}"
        );
    }
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// scripts/slurm-local's cluster in a folder of its own, stopped on drop.
struct SlurmLocal {
    dir: PathBuf,
}

impl SlurmLocal {
    fn start(dir: &Path) -> Self {
        let out = Command::new(repo("scripts/slurm-local"))
            .args(["start", s(dir)])
            // Four CPUs on two cores: every task of the array at once.
            .env("SLURM_LOCAL_CPUS", "4")
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "scripts/slurm-local start: {}", err(&out));
        Self {
            dir: dir.to_path_buf(),
        }
    }

    /// `sbatch` against this cluster from `cwd`, ended after two minutes
    /// whatever happens, with the sladd under test.
    fn sbatch(&self, cwd: &Path) -> Command {
        let mut cmd = Command::new("timeout");
        cmd.args(["120", "sbatch", "--time=5"])
            .current_dir(cwd)
            .env("SLURM_CONF", self.dir.join("slurm.conf"))
            .env("SLADD", env!("CARGO_BIN_EXE_sladd"));
        cmd
    }

    /// The tasks' and daemons' logs, for a failure message.
    fn logs(&self, cwd: &Path) -> String {
        let mut text = String::new();
        for folder in [cwd.to_path_buf(), self.dir.join("log")] {
            for name in crate::support::names(&folder) {
                if name.ends_with(".log") {
                    let log = std::fs::read_to_string(folder.join(&name)).unwrap_or_default();
                    let tail: Vec<&str> = log.lines().rev().take(15).collect();
                    text += &format!("== {name}\n");
                    for line in tail.iter().rev() {
                        text += line;
                        text.push('\n');
                    }
                }
            }
        }
        text
    }
}

impl Drop for SlurmLocal {
    fn drop(&mut self) {
        let _ = Command::new(repo("scripts/slurm-local"))
            .args(["stop", s(&self.dir)])
            .output();
    }
}
