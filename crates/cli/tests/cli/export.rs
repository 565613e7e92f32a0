//! `sladd export` on synthetic archives: windows across files and gaps,
//! cut to the frame and redacted at every frame's instant; refused
//! recipients write nothing.

use std::path::Path;

use serde_json::Value;

use super::retention::{write_site, Clips};
use super::support::{code, err, frame_times, json, px, rgb_frames, s, tree, Sladd};

const BY_NAME: &str =
    "retention_days = 7\nrecorded_at = { from = \"filename\", pattern = \"%Y%m%d-%H%M%S\" }";

fn export(
    dir: &Path,
    from: &str,
    to: &str,
    recipient: &str,
    extra: &[&str],
) -> std::process::Output {
    Sladd::new(dir, "export")
        .site("site.toml")
        .camera("kasse-1")
        .args(["--from", from, "--to", to, "--recipient", recipient])
        .output("out/export.mp4")
        .json()
        .args(extra)
        .run()
}

fn dark(p: [u8; 3]) -> bool {
    p.iter().all(|c| *c < 40)
}

#[test]
fn export_across_two_files_is_frame_exact_and_redacted_at_each_instant() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "", BY_NAME);
    let a = clips.copy(&dir.path().join("archive/kasse-1/20260301-075959.mp4"));
    let b = clips.copy(&dir.path().join("archive/kasse-1/20260301-080000.mp4"));
    std::fs::create_dir_all(dir.path().join("out")).unwrap();

    // 07:59:59.4 .. 08:00:00.6: three frames before opening (no purpose:
    // the whole frame is masked), three after (only the counter).
    let out = export(
        dir.path(),
        "2026-03-01T07:59:59.4+01:00",
        "2026-03-01T08:00:00.6+01:00",
        "police",
        &["--case", "POL-2026-17", "--operator", "Kari"],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    let doc = json(&out);
    assert_eq!(doc["frames"], 6, "{doc:#}");
    assert_eq!(doc["gaps"].as_array().unwrap().len(), 0);
    let video = dir.path().join("out/export.mp4");
    let times = frame_times(&video);
    assert_eq!(times.len(), 6, "{times:?}");
    assert!(
        times[0].abs() < 1e-3 && (times[5] - 1.0).abs() < 1e-3,
        "{times:?}"
    );
    let frames = rgb_frames(&video, 16, 16);
    assert_eq!(frames.len(), 6);
    for (i, f) in frames.iter().enumerate() {
        assert!(dark(px(f, 16, 3, 12)), "frame {i}: the counter is masked");
        assert_eq!(
            dark(px(f, 16, 12, 3)),
            i < 3,
            "frame {i}: whole frame masked only before 08:00"
        );
    }

    // The record: recipient, ground, rule, case, operator, sources with
    // hashes and the frames each gave; also in the disclosure log.
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/export.mp4.disclosure.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["recipient"], "police");
    assert_eq!(record["rule"], "R-DISCLOSE");
    assert_eq!(record["case"], "POL-2026-17");
    assert_eq!(record["operator"], "Kari");
    assert_eq!(record["window"]["from"], "2026-03-01T06:59:59.4Z");
    let sources = record["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2);
    assert_eq!(
        (sources[0]["frames"].as_u64(), sources[1]["frames"].as_u64()),
        (Some(3), Some(3))
    );
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap();
    assert_eq!(sources[0]["path"].as_str().unwrap(), s(&absolute(&a)));
    assert_eq!(sources[1]["path"].as_str().unwrap(), s(&absolute(&b)));
    assert_eq!(sources[0]["sha256"].as_str().unwrap().len(), 64);
    assert!(record["exported_at"].is_string() && record["legal_ground"].is_string());
    let log = std::fs::read_to_string(dir.path().join("disclosure-log.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 1);
    let line: Value = serde_json::from_str(log.trim()).unwrap();
    assert_eq!(line, record);
    assert!(dir.path().join("out/export.mp4.manifest.json").is_file());
    // Inputs are never modified, and sladd's outputs are no recordings.
    let doc = json(
        &Sladd::new(dir.path(), "retention")
            .site("site.toml")
            .json()
            .args(["--now", "2026-03-02T00:00:00+01:00"])
            .run(),
    );
    assert_eq!(doc["recordings"].as_array().unwrap().len(), 2);
}

#[test]
fn export_across_a_gap_lists_it_and_keeps_real_time() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "", BY_NAME);
    clips.copy(&dir.path().join("archive/kasse-1/20260301-100000.mp4"));
    clips.copy(&dir.path().join("archive/kasse-1/20260301-100003.mp4"));
    clips.with_creation(
        &dir.path().join("archive/kasse-1/unknown.mp4"),
        "1970-01-01T00:00:00Z",
    );
    std::fs::create_dir_all(dir.path().join("out")).unwrap();

    let out = export(
        dir.path(),
        "2026-03-01T10:00:00.6+01:00",
        "2026-03-01T10:00:03.4+01:00",
        "data-subject",
        &[],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    let doc = json(&out);
    assert_eq!(doc["frames"], 4);
    let gaps = doc["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1, "{doc:#}");
    assert_eq!(gaps[0]["from"], "2026-03-01T09:00:01Z");
    assert_eq!(gaps[0]["to"], "2026-03-01T09:00:03Z");
    assert!(doc["unknown_age"][0]
        .as_str()
        .unwrap()
        .ends_with("unknown.mp4"));
    assert!(err(&out).contains("gap in the window"), "{}", err(&out));
    let times = frame_times(&dir.path().join("out/export.mp4"));
    let want = [0.0, 0.2, 2.4, 2.6];
    assert_eq!(times.len(), 4, "{times:?}");
    for (t, w) in times.iter().zip(want) {
        assert!((t - w).abs() < 1e-3, "{times:?}");
    }

    // A window only a recording of unknown age could cover: nothing to give.
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    let out = export(
        dir.path(),
        "2026-03-01T11:00:00+01:00",
        "2026-03-01T11:00:01+01:00",
        "police",
        &[],
    );
    assert_eq!(code(&out), 1, "{}", err(&out));
    assert!(tree(&dir.path().join("out")).is_empty());
}

#[test]
fn export_to_refused_recipients_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let clips = Clips::new(dir.path());
    write_site(dir.path(), "", BY_NAME);
    clips.copy(&dir.path().join("archive/kasse-1/20260301-100000.mp4"));
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    let before = tree(dir.path());
    for recipient in ["employer-of-suspect", "social-media", "other", "consent"] {
        let out = export(
            dir.path(),
            "2026-03-01T10:00:00+01:00",
            "2026-03-01T10:00:01+01:00",
            recipient,
            &[],
        );
        assert_eq!(code(&out), 1, "{recipient}: {}", err(&out));
        let doc = json(&out);
        assert_eq!(doc["allowed"], false);
        assert_eq!(doc["rule"], "R-DISCLOSE");
        assert!(err(&out).contains("refused"), "{}", err(&out));
        assert_eq!(tree(dir.path()), before, "{recipient} wrote something");
    }
    // With a consent reference the consent recipient is allowed.
    let out = export(
        dir.path(),
        "2026-03-01T10:00:00+01:00",
        "2026-03-01T10:00:01+01:00",
        "consent",
        &["--consent-ref", "signed form 2026-03-02"],
    );
    assert_eq!(code(&out), 0, "{}", err(&out));
    assert_eq!(json(&out)["frames"], 5);
    let bad = Sladd::new(dir.path(), "export")
        .site("site.toml")
        .camera("kasse-1")
        .args([
            "--from",
            "2026-03-01T10:00:00+01:00",
            "--to",
            "2026-03-01T10:00:01+01:00",
            "--recipient",
            "neighbour",
        ])
        .output("x.mp4")
        .run();
    assert_eq!(code(&bad), 2);
}
