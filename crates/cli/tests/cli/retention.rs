//! `sladd retention` and the archive findings of `sladd check` on synthetic
//! archives: tiny clips made in the test with chosen file names and
//! `creation_time`s, judged at chosen instants.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use super::support::{code, err, ffmpeg, json, s, tree, Sladd};

/// A one-second, five-frame 16×16 clip, made once per test folder;
/// `with_creation` remuxes it with a `creation_time`.
pub(crate) struct Clips {
    base: PathBuf,
}

impl Clips {
    pub(crate) fn new(dir: &Path) -> Self {
        let base = dir.join("base.mp4");
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=16x16:rate=5:duration=1",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-map_metadata",
            "-1",
            s(&base),
        ]);
        Self { base }
    }

    /// A copy of the clip at `path` (folders created).
    pub(crate) fn copy(&self, path: &Path) -> PathBuf {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(&self.base, path).unwrap();
        path.to_path_buf()
    }

    /// The clip remuxed to `path` with `creation_time` set to `value`.
    pub(crate) fn with_creation(&self, path: &Path, value: &str) -> PathBuf {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        ffmpeg(&[
            "-i",
            s(&self.base),
            "-c",
            "copy",
            "-metadata",
            &format!("creation_time={value}"),
            s(path),
        ]);
        path.to_path_buf()
    }
}

/// A site file with one camera `kasse-1` whose recordings are
/// `archive/kasse-1/*.mp4`; `camera` and `site` add lines to its tables.
pub(crate) fn write_site(dir: &Path, site: &str, camera: &str) -> PathBuf {
    let path = dir.join("site.toml");
    std::fs::write(
        &path,
        format!(
            r#"[site]
name = "Kiosken"
timezone = "Europe/Oslo"
opening_hours = ["daily 08:00-20:00"]
{site}

[[cameras]]
id = "kasse-1"
purposes = [{{ purpose = "theft" }}]
recordings = ["archive/kasse-1/*.mp4"]
{camera}

[[cameras.zones]]
name = "Disken"
area = "restricted_circle"
staff_present = "opening_hours"
polygon = [[0.0, 0.5], [0.5, 0.5], [0.5, 1.0], [0.0, 1.0]]
"#
        ),
    )
    .unwrap();
    path
}

const BY_NAME: &str = "recorded_at = { from = \"filename\", pattern = \"%Y%m%d-%H%M%S\" }";

fn retention(dir: &Path, now: &str, extra: &[&str]) -> Output {
    Sladd::new(dir, "retention")
        .site("site.toml")
        .args(["--now", now])
        .json()
        .args(extra)
        .run()
}

/// The JSON entry of the recording whose path ends with `name`.
fn entry<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["recordings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no recording {name} in {doc:#}"))
}

#[test]
fn retention_day_seven_is_kept_and_day_eight_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "", &format!("retention_days = 7\n{BY_NAME}"));
    clips.copy(
        &dir.path()
            .join("archive/kasse-1/kasse-1_20260301-100000.mp4"),
    );

    // The recording ends at 10:00:01; it may be kept 7 days from then.
    let out = retention(dir.path(), "2026-03-08T10:00:01+01:00", &[]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    let doc = json(&out);
    let r = entry(&doc, "kasse-1_20260301-100000.mp4");
    for key in [
        "path", "camera", "start", "end", "deadline", "action", "rule",
    ] {
        assert!(r.get(key).is_some(), "missing {key}: {r:#}");
    }
    assert_eq!(r["camera"], "kasse-1");
    assert_eq!(r["start"], "2026-03-01T10:00:00+01:00");
    assert_eq!(r["end"], "2026-03-01T10:00:01+01:00");
    assert_eq!(r["deadline"], "2026-03-08T10:00:01+01:00");
    assert_eq!(r["action"], "keep");
    assert_eq!(r["rule"], "R-RETENTION-7D");
    assert_eq!(r["start_source"], "filename");
    assert_eq!(doc["dry_run"], true);

    // One second later it is overdue: exit 1, and the dry run deletes nothing.
    let before = tree(dir.path());
    let out = retention(dir.path(), "2026-03-08T10:00:02+01:00", &[]);
    assert_eq!(code(&out), 1, "{}", err(&out));
    let doc = json(&out);
    let r = entry(&doc, "kasse-1_20260301-100000.mp4");
    assert_eq!(r["action"], "delete");
    assert_eq!(r["deadline"], "2026-03-08T10:00:01+01:00");
    assert_eq!(doc["summary"]["delete"], 1);
    assert_eq!(tree(dir.path()), before);

    // A shorter retention_days is the camera's own, stricter limit.
    write_site(dir.path(), "", &format!("retention_days = 3\n{BY_NAME}"));
    let doc = json(&retention(dir.path(), "2026-03-04T10:00:02+01:00", &[]));
    let r = entry(&doc, "kasse-1_20260301-100000.mp4");
    assert_eq!(
        (r["action"].as_str(), r["limit"].as_str()),
        (Some("delete"), Some("3 days (retention_days)"))
    );
    // A longer one than the law allows is cut to 7 days.
    write_site(dir.path(), "", &format!("retention_days = 30\n{BY_NAME}"));
    let doc = json(&retention(dir.path(), "2026-03-08T10:00:02+01:00", &[]));
    assert_eq!(entry(&doc, "100000.mp4")["action"], "delete");
}

#[test]
fn retention_point_of_sale_keeps_31_january_until_30_april() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "payment_or_id = true", BY_NAME);
    clips.copy(&dir.path().join("archive/kasse-1/20260131-180000.mp4"));
    clips.copy(&dir.path().join("archive/kasse-1/20260201-180000.mp4"));

    let doc = json(&retention(dir.path(), "2026-04-30T18:00:01+02:00", &[]));
    let jan = entry(&doc, "20260131-180000.mp4");
    assert_eq!(jan["deadline"], "2026-04-30T18:00:01+02:00");
    assert_eq!(
        (jan["action"].as_str(), jan["rule"].as_str()),
        (Some("keep"), Some("R-RETENTION-3M-POS"))
    );
    assert_eq!(
        entry(&doc, "20260201-180000.mp4")["deadline"],
        "2026-05-01T18:00:01+02:00"
    );

    let out = retention(dir.path(), "2026-05-01T00:00:00+02:00", &[]);
    assert_eq!(code(&out), 1);
    let doc = json(&out);
    assert_eq!(entry(&doc, "20260131-180000.mp4")["action"], "delete");
    assert_eq!(entry(&doc, "20260201-180000.mp4")["action"], "keep");
}

#[test]
fn retention_across_daylight_saving_nights() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "", &format!("retention_days = 7\n{BY_NAME}"));
    // The night clocks spring forward (29 March 02:00 -> 03:00) lies inside
    // the week: the deadline keeps the wall-clock time, 167 hours later.
    clips.copy(&dir.path().join("archive/kasse-1/20260325-233000.mp4"));
    // Recorded in the hour that repeats when clocks fall back (25 October
    // 02:00-03:00): read as the first of the two, the earlier deadline.
    clips.copy(&dir.path().join("archive/kasse-1/20261025-023000.mp4"));
    // A week after 22 March 02:30 falls in the skipped hour: it moves on.
    clips.copy(&dir.path().join("archive/kasse-1/20260322-023000.mp4"));

    let doc = json(&retention(dir.path(), "2026-03-26T12:00:00+01:00", &[]));
    assert_eq!(
        entry(&doc, "20260325-233000.mp4")["deadline"],
        "2026-04-01T23:30:01+02:00"
    );
    assert_eq!(
        entry(&doc, "20260322-023000.mp4")["deadline"],
        "2026-03-29T03:30:01+02:00"
    );
    let doc = json(&retention(dir.path(), "2026-10-26T12:00:00+01:00", &[]));
    let autumn = entry(&doc, "20261025-023000.mp4");
    assert_eq!(autumn["start"], "2026-10-25T02:30:00+02:00");
    assert_eq!(autumn["deadline"], "2026-11-01T02:30:01+01:00");

    let doc = json(&retention(dir.path(), "2026-04-01T23:30:01+02:00", &[]));
    assert_eq!(entry(&doc, "20260325-233000.mp4")["action"], "keep");
    let doc = json(&retention(dir.path(), "2026-04-01T23:30:02+02:00", &[]));
    assert_eq!(entry(&doc, "20260325-233000.mp4")["action"], "delete");
}

#[test]
fn retention_unknown_ages_are_kept_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "", "retention_days = 7");
    let a = dir.path().join("archive/kasse-1");
    clips.with_creation(&a.join("good.mp4"), "2026-03-01T09:00:00Z");
    clips.with_creation(&a.join("epoch.mp4"), "1970-01-01T00:00:00Z");
    clips.with_creation(&a.join("early.mp4"), "2003-05-01T12:00:00Z");
    clips.with_creation(&a.join("future.mp4"), "2099-01-01T00:00:00Z");
    clips.copy(&a.join("none.mp4"));
    std::fs::write(a.join("broken.mp4"), b"not a video").unwrap();

    let out = retention(dir.path(), "2026-06-01T12:00:00+02:00", &[]);
    assert_eq!(code(&out), 1, "{}", err(&out));
    let doc = json(&out);
    let good = entry(&doc, "good.mp4");
    assert_eq!(
        (good["action"].as_str(), good["start_source"].as_str()),
        (Some("delete"), Some("creation_time"))
    );
    assert_eq!(good["start"], "2026-03-01T10:00:00+01:00");
    for name in [
        "epoch.mp4",
        "early.mp4",
        "future.mp4",
        "none.mp4",
        "broken.mp4",
    ] {
        let r = entry(&doc, name);
        assert_eq!(r["action"], "unknown-age", "{name}: {r:#}");
        assert_eq!(r["rule"], "R-RETENTION-UNKNOWN-AGE");
        assert!(r["deadline"].is_null() && r["start"].is_null(), "{r:#}");
    }
    let reason = |name| entry(&doc, name)["reason"].as_str().unwrap().to_owned();
    assert!(
        reason("epoch.mp4").contains("creation_time"),
        "{}",
        reason("epoch.mp4")
    );
    assert!(
        reason("future.mp4").contains("more than a day after"),
        "{}",
        reason("future.mp4")
    );
    assert!(
        reason("broken.mp4").contains("cannot read it"),
        "{}",
        reason("broken.mp4")
    );

    // clock_valid_from trusts an old clock the camera is known to keep.
    write_site(
        dir.path(),
        "",
        "retention_days = 7\nclock_valid_from = 2003-01-01",
    );
    let doc = json(&retention(dir.path(), "2026-06-01T12:00:00+02:00", &[]));
    assert_eq!(entry(&doc, "early.mp4")["action"], "delete");
    assert_eq!(entry(&doc, "epoch.mp4")["action"], "unknown-age");

    // --apply never deletes them.
    let out = retention(dir.path(), "2026-06-01T12:00:00+02:00", &["--apply"]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    for name in ["epoch.mp4", "future.mp4", "none.mp4", "broken.mp4"] {
        assert!(a.join(name).exists(), "{name}");
    }
    assert!(!a.join("good.mp4").exists() && !a.join("early.mp4").exists());
}

fn write_holds(dir: &Path, until: &str) {
    std::fs::write(
        dir.join("holds.toml"),
        format!(
            r#"[[holds]]
case = "POL-2026-17"
camera = "kasse-1"
from = "2026-03-01T10:00:00+01:00"
to = "2026-03-01T10:30:00+01:00"
reason = "robbery at the till"
until = {until}
"#
        ),
    )
    .unwrap();
}

#[test]
fn retention_holds_keep_until_their_end_but_never_past_30_days() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "", &format!("retention_days = 7\n{BY_NAME}"));
    clips.copy(&dir.path().join("archive/kasse-1/20260301-100000.mp4"));
    clips.copy(&dir.path().join("archive/kasse-1/20260301-110000.mp4"));
    write_holds(dir.path(), "2026-03-20");

    let out = retention(dir.path(), "2026-03-15T12:00:00+01:00", &[]);
    assert_eq!(code(&out), 1, "{}", err(&out));
    let doc = json(&out);
    let held = entry(&doc, "20260301-100000.mp4");
    assert_eq!(held["action"], "hold");
    assert_eq!(held["deadline"], "2026-03-21T00:00:00+01:00");
    assert_eq!(held["holds"][0], "POL-2026-17");
    assert_eq!(held["rule"], "R-RETENTION-30D-POLICE");
    // A police hold on one clip does not extend the others.
    assert_eq!(entry(&doc, "20260301-110000.mp4")["action"], "delete");
    assert_eq!(doc["holds"][0]["state"], "active");

    // After its last day the hold has expired: reported, and the clip is due.
    let doc = json(&retention(dir.path(), "2026-03-21T00:00:01+01:00", &[]));
    assert_eq!(entry(&doc, "20260301-100000.mp4")["action"], "delete");
    assert_eq!(doc["holds"][0]["state"], "expired");

    // A hold asking for more than 30 days keeps the clip 30 days only.
    write_holds(dir.path(), "2026-06-30");
    let doc = json(&retention(dir.path(), "2026-03-31T10:00:01+02:00", &[]));
    let held = entry(&doc, "20260301-100000.mp4");
    assert_eq!(
        (held["action"].as_str(), held["deadline"].as_str()),
        (Some("hold"), Some("2026-03-31T10:00:01+02:00"))
    );
    assert_eq!(doc["holds"][0]["state"], "past-lawful-end");
    let doc = json(&retention(dir.path(), "2026-03-31T10:00:02+02:00", &[]));
    assert_eq!(entry(&doc, "20260301-100000.mp4")["action"], "delete");

    // `check` reports the hold that asks for too much, and the overdue clips.
    let out = Sladd::new(dir.path(), "check")
        .site("site.toml")
        .args(["--at", "2026-04-02T12:00:00+02:00"])
        .json()
        .run();
    assert_eq!(code(&out), 1, "{}", err(&out));
    let report = json(&out);
    let ids = |sev: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == sev)
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        ids("violation").contains(&"R-RETENTION-30D-POLICE".to_owned()),
        "{report:#}"
    );
    assert!(
        ids("violation").contains(&"R-RETENTION-7D".to_owned()),
        "{report:#}"
    );

    // A holds file with a typo stops the run (exit 2), naming the line.
    std::fs::write(
        dir.path().join("holds.toml"),
        "[[holds]]\ncase = \"x\"\ncamra = \"kasse-1\"\n",
    )
    .unwrap();
    let out = retention(dir.path(), "2026-03-15T12:00:00+01:00", &["--apply"]);
    assert_eq!(code(&out), 2);
    assert!(
        err(&out).contains("holds.toml:3:1: unknown field `camra`"),
        "{}",
        err(&out)
    );
    assert_eq!(tree(&dir.path().join("archive")).len(), 2);
}

#[test]
fn retention_apply_deletes_exactly_the_overdue_set_and_logs_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "", &format!("retention_days = 7\n{BY_NAME}"));
    let a = dir.path().join("archive/kasse-1");
    let old = clips.copy(&a.join("20260301-100000.mp4"));
    clips.copy(&a.join("20260310-100000.mp4"));
    clips.copy(&a.join("no-time-in-this-name.mp4"));
    // A redacted copy of the old recording with its manifest, in the archive.
    let redacted = dir
        .path()
        .join("archive/kasse-1/redacted/20260301-100000.mp4");
    clips.copy(&redacted);
    let sha = super::support::sha256(&old)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let manifest = PathBuf::from(format!("{}.manifest.json", redacted.display()));
    std::fs::write(
        &manifest,
        format!(r#"{{"format": "sladd-redaction-manifest", "version": 1, "input": {{"path": "x", "sha256": "{sha}", "bytes": 1}}}}"#),
    )
    .unwrap();

    let out = retention(dir.path(), "2026-03-12T12:00:00+01:00", &["--apply"]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    let doc = json(&out);
    let gone = entry(&doc, "archive/kasse-1/20260301-100000.mp4");
    assert_eq!(
        (gone["action"].as_str(), gone["status"].as_str()),
        (Some("delete"), Some("deleted"))
    );
    assert_eq!(gone["derived"].as_array().unwrap().len(), 2);
    assert_eq!(doc["summary"]["deleted"], 1);
    assert_eq!(
        tree(&dir.path().join("archive")),
        [
            "kasse-1/20260310-100000.mp4",
            "kasse-1/no-time-in-this-name.mp4"
        ]
    );

    let log = std::fs::read_to_string(dir.path().join("retention-log.jsonl")).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{log}");
    let line = &lines[0];
    assert_eq!(line["event"], "delete");
    assert_eq!(line["sha256"], sha.as_str());
    assert_eq!(
        line["bytes"],
        std::fs::metadata(dir.path().join("base.mp4"))
            .unwrap()
            .len()
    );
    assert_eq!(line["rule"], "R-RETENTION-7D");
    assert_eq!(line["start"], "2026-03-01T09:00:00Z");
    assert_eq!(line["end"], "2026-03-01T09:00:01Z");
    assert_eq!(line["deadline"], "2026-03-08T09:00:01Z");
    assert!(line["path"]
        .as_str()
        .unwrap()
        .ends_with("archive/kasse-1/20260301-100000.mp4"));
    assert!(line["deleted_at"]
        .as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .is_ok());

    // Nothing left overdue: a second run deletes nothing and logs nothing.
    let out = retention(dir.path(), "2026-03-12T12:00:00+01:00", &["--apply"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("retention-log.jsonl")).unwrap(),
        log
    );
}

/// Runs `sladd retention --apply` under strace, which kills it with SIGKILL
/// as it enters its first unlink: after the log entry is synced, before
/// anything is removed.
fn killed_at_first_unlink(dir: &Path, now: &str) -> Output {
    Command::new("strace")
        .current_dir(dir)
        .args([
            "-f",
            "-qq",
            "-o",
            "/dev/null",
            "-e",
            "trace=unlink,unlinkat",
        ])
        .args(["-e", "inject=unlink,unlinkat:signal=KILL:when=1"])
        .arg(env!("CARGO_BIN_EXE_sladd"))
        .args([
            "retention",
            "-c",
            "site.toml",
            "--now",
            now,
            "--apply",
            "--json",
        ])
        .output()
        .expect("run strace (scripts/setup installs it)")
}

#[test]
fn retention_killed_between_log_and_delete_finishes_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "", &format!("retention_days = 7\n{BY_NAME}"));
    let old = clips.copy(&dir.path().join("archive/kasse-1/20260301-100000.mp4"));
    let log = dir.path().join("retention-log.jsonl");
    let now = "2026-03-12T12:00:00+01:00";

    let out = killed_at_first_unlink(dir.path(), now);
    assert!(
        out.status.code().is_none() || code(&out) != 0,
        "{:?} {}",
        out.status,
        err(&out)
    );
    assert!(old.exists(), "the kill came before the unlink");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("20260301-100000.mp4") && text.contains("\"event\":\"delete\""),
        "{text}"
    );

    let out = retention(dir.path(), now, &["--apply"]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    assert_eq!(
        entry(&json(&out), "20260301-100000.mp4")["status"],
        "resumed"
    );
    assert!(!old.exists());
    assert_eq!(std::fs::read_to_string(&log).unwrap(), text, "logged once");
}

#[test]
fn retention_refuses_bad_configuration() {
    let dir = tempfile::tempdir().unwrap();
    write_site(
        dir.path(),
        "",
        "recorded_at = { from = \"filename\", pattern = \"%Y%m%d\" }",
    );
    let out = retention(dir.path(), "2026-03-12T12:00:00+01:00", &[]);
    assert_eq!(code(&out), 2);
    assert!(err(&out).contains("recorded_at.pattern"), "{}", err(&out));
    write_site(
        dir.path(),
        "",
        "recorded_at = { from = \"mtime\", pattern = \"%Y\" }",
    );
    assert_eq!(
        code(&retention(dir.path(), "2026-03-12T12:00:00+01:00", &[])),
        2
    );
    write_site(dir.path(), "", BY_NAME);
    let out = Sladd::new(dir.path(), "retention")
        .site("site.toml")
        .args(["--now", "2099-01-01T00:00:00Z", "--apply"])
        .run();
    assert_eq!(code(&out), 2);
    assert!(err(&out).contains("lies in the future"), "{}", err(&out));
}
