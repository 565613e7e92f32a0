//! `sladd verify` end to end: real redactions of kiosk.mp4 pass in every
//! style; redactions made wrong on purpose (wrong zones, a shifted polygon,
//! a missing frame, an unredacted frame spliced in, audio kept against the
//! policy) fail with exit 1 and name the frame and the place; the evidence
//! manifest is written by `redact` and checked by `verify --manifest`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use super::support::*;

/// The zone "Bak kassen" of fixtures/site.toml.
const ZONE: &str = "polygon = [[0.10, 0.35], [0.42, 0.35], [0.42, 0.95], [0.10, 0.95]]";

/// A folder for this test binary's shared redactions, emptied once per run.
fn work() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("verify-tests");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// `fixtures/site.toml` with `from` replaced by `to`, written once as `name`.
fn site_variant(name: &str, from: &str, to: &str) -> PathBuf {
    let path = work().join(name);
    made(&path, |p| {
        let text = std::fs::read_to_string(site()).unwrap();
        assert!(text.contains(from), "{from} not in site.toml");
        std::fs::write(p, text.replacen(from, to, 1)).unwrap();
    });
    path
}

/// The site with the zone's style set to `style`.
fn styled_site(style: &str) -> PathBuf {
    if style == "fill" {
        return site();
    }
    site_variant(
        &format!("{style}.toml"),
        "style = \"fill\"  ",
        &format!("style = \"{style}\""),
    )
}

/// Runs `make(path)` once per test binary for `path`, whichever test asks
/// first; the others wait for it. `make` must not call `made` (the lock is
/// not reentrant): build what it needs before.
fn made(path: &Path, make: impl FnOnce(&Path)) {
    static DONE: OnceLock<Mutex<HashMap<PathBuf, ()>>> = OnceLock::new();
    let mut done = DONE
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !done.contains_key(path) {
        make(path);
        done.insert(path.to_path_buf(), ());
    }
}

/// kiosk.mp4 redacted with `config` (and `extra` flags) into `name`, once.
fn redaction(name: &str, config: &Path, extra: &[&str]) -> PathBuf {
    let out = work().join(name);
    made(&out, |p| {
        let kiosk = clip("kiosk.mp4");
        let run = Sladd::new(work(), "redact")
            .arg(s(&kiosk))
            .site(s(config))
            .camera("kasse-1")
            .output(s(p))
            .args(extra)
            .run();
        assert_eq!(code(&run), 0, "{}", err(&run));
    });
    out
}

/// The real redaction of kiosk.mp4 in `style`.
fn styled(style: &str) -> PathBuf {
    redaction(&format!("{style}.mp4"), &styled_site(style), &[])
}

/// `sladd verify ORIGINAL REDACTED -c SITE --camera kasse-1 EXTRA… --json`.
fn verify(original: &Path, redacted: &Path, config: &Path, extra: &[&str]) -> (i32, Value) {
    let out = Sladd::new(work(), "verify")
        .args([s(original), s(redacted)])
        .site(s(config))
        .camera("kasse-1")
        .json()
        .args(extra)
        .run();
    (code(&out), json(&out))
}

/// Asserts a failed verification names `frame` (or any frame) as first,
/// with a position for pixel checks.
fn assert_fails_at(v: &Value, check: &str, frame: Option<u64>) {
    assert_eq!(v["verdict"], "fail", "{v:#}");
    let first = &v["first"];
    assert_eq!(first["check"], check, "{v:#}");
    assert_eq!(first["failed"], true);
    if let Some(frame) = frame {
        assert_eq!(first["frame"], frame, "{v:#}");
    }
    if ["fill", "pixelate", "blur"].contains(&check) {
        assert!(first["x"].is_u64() && first["y"].is_u64(), "{first}");
        assert!(v["worst"]["failed"] == true, "{v:#}");
    }
}

#[test]
fn real_redactions_pass_in_every_style() {
    for style in ["fill", "pixelate", "blur"] {
        let redacted = styled(style);
        let (status, v) = verify(&clip("kiosk.mp4"), &redacted, &styled_site(style), &[]);
        assert_eq!(status, 0, "{style}: {v:#}");
        assert_eq!(v["frames"], 75, "{style}");
        assert_eq!(v["redacted_frames"], 75);
        assert_eq!(v["failed_frames"], 0, "{style}: {v:#}");
        assert_eq!(v["verdict"], "pass");
        assert!(v["first"].is_null());
        assert!(v["worst"].is_object(), "{v:#}");
        assert_eq!(v["worst"]["failed"], false);
        assert_eq!(v["start_source"], "creation_time");
        let checks: Vec<&str> = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["check"].as_str().unwrap())
            .collect();
        assert!(
            checks.contains(&style) && checks.contains(&"outside"),
            "{checks:?}"
        );
        for c in v["checks"].as_array().unwrap() {
            assert_eq!(c["frames"], 75, "{c}");
            assert_eq!(c["failed_frames"], 0, "{c}");
        }
        assert_eq!(v["audio"]["ok"], true);
    }
}

#[test]
fn a_redaction_with_the_wrong_zones_fails() {
    let elsewhere = site_variant(
        "elsewhere.toml",
        ZONE,
        "polygon = [[0.55, 0.05], [0.87, 0.05], [0.87, 0.65], [0.55, 0.65]]",
    );
    let redacted = redaction("elsewhere.mp4", &elsewhere, &[]);
    let (status, v) = verify(&clip("kiosk.mp4"), &redacted, &site(), &[]);
    assert_eq!(status, 1, "{v:#}");
    assert_eq!(v["failed_frames"], 75);
    assert_fails_at(&v, "fill", Some(0));
    let (x, y) = (
        v["first"]["x"].as_u64().unwrap(),
        v["first"]["y"].as_u64().unwrap(),
    );
    assert!(
        (64..270).contains(&x) && (126..342).contains(&y),
        "({x}, {y})"
    );
}

#[test]
fn a_polygon_shifted_by_three_percent_fails() {
    for (name, zone) in [
        (
            "right.toml",
            "polygon = [[0.13, 0.35], [0.45, 0.35], [0.45, 0.95], [0.13, 0.95]]",
        ),
        (
            "up.toml",
            "polygon = [[0.10, 0.32], [0.42, 0.32], [0.42, 0.92], [0.10, 0.92]]",
        ),
    ] {
        let shifted = site_variant(name, ZONE, zone);
        let redacted = redaction(&name.replace(".toml", ".mp4"), &shifted, &[]);
        let (status, v) = verify(&clip("kiosk.mp4"), &redacted, &site(), &[]);
        assert_eq!(status, 1, "{name}: {v:#}");
        assert_eq!(v["failed_frames"], 75, "{name}");
    }
}

#[test]
fn a_missing_frame_fails_naming_it() {
    let fill = styled("fill");
    let dropped = work().join("dropped.mp4");
    made(&dropped, |p| {
        ffmpeg(&[
            "-i",
            s(&fill),
            "-vf",
            "select='not(eq(n,30))'",
            "-fps_mode",
            "passthrough",
            "-c:v",
            "libx264",
            "-crf",
            "18",
            "-y",
            s(p),
        ]);
    });
    let (status, v) = verify(&clip("kiosk.mp4"), &dropped, &site(), &[]);
    assert_eq!(status, 1, "{v:#}");
    assert_eq!(v["redacted_frames"], 74);
    assert_eq!(v["failed_frames"], 1, "{v:#}");
    assert_fails_at(&v, "missing_frame", Some(30));

    // Retimed to close the gap: the frames no longer line up in time and
    // the original's last frame has no partner.
    let retimed = work().join("retimed.mp4");
    made(&retimed, |p| {
        ffmpeg(&[
            "-i",
            s(&dropped),
            "-vf",
            "setpts=N/25/TB",
            "-c:v",
            "libx264",
            "-crf",
            "18",
            "-y",
            s(p),
        ]);
    });
    let (status, v) = verify(&clip("kiosk.mp4"), &retimed, &site(), &[]);
    assert_eq!(status, 1, "{v:#}");
    assert!(v["failed_frames"].as_u64().unwrap() >= 1);
}

/// The redaction in `style` with frame 40 replaced by the original's.
fn spliced(style: &str) -> PathBuf {
    let redacted = styled(style);
    let out = work().join(format!("spliced-{style}.mp4"));
    made(&out, |p| {
        ffmpeg(&[
            "-i",
            s(&redacted),
            "-i",
            s(&clip("kiosk.mp4")),
            "-filter_complex",
            "[0:v][1:v]overlay=enable='eq(n,40)'",
            "-an",
            "-c:v",
            "libx264",
            "-crf",
            "18",
            "-y",
            s(p),
        ]);
    });
    out
}

#[test]
fn an_unredacted_frame_spliced_in_fails_naming_frame_and_place() {
    for style in ["fill", "pixelate", "blur"] {
        let (status, v) = verify(
            &clip("kiosk.mp4"),
            &spliced(style),
            &styled_site(style),
            &[],
        );
        assert_eq!(status, 1, "{style}: {v:#}");
        assert_eq!(v["failed_frames"], 1, "{style}: {v:#}");
        assert_fails_at(&v, style, Some(40));
        assert_eq!(v["worst"]["frame"], 40);
        assert_eq!(v["first"]["zones"][0], "Bak kassen (R-AREA-OBJECT)");
        let (x, y) = (
            v["first"]["x"].as_u64().unwrap(),
            v["first"]["y"].as_u64().unwrap(),
        );
        assert!(
            (64..270).contains(&x) && (126..342).contains(&y),
            "{style}: ({x}, {y})"
        );
        let failures = v["failures"].as_array().unwrap();
        assert_eq!(failures.len(), 1);
    }

    // The summary for people says the same.
    let out = Sladd::new(work(), "verify")
        .args([s(&clip("kiosk.mp4")), s(&spliced("fill"))])
        .site(site())
        .camera("kasse-1")
        .run();
    assert_eq!(code(&out), 1);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("frames     75 original, 75 redacted, 1 failed"),
        "{text}"
    );
    assert!(text.contains("first      frame 40: fill on luma"), "{text}");
    assert!(text.contains("worst      frame 40: fill"), "{text}");
    assert!(text.contains("verdict    FAIL"), "{text}");
}

#[test]
fn audio_kept_against_the_policy_fails() {
    let kept = redaction("kept-audio.mp4", &site(), &["--audio", "keep"]);
    let (status, v) = verify(&clip("kiosk.mp4"), &kept, &site(), &[]);
    assert_eq!(status, 1, "{v:#}");
    assert_eq!(v["failed_frames"], 0);
    assert_eq!(v["audio"]["ok"], false);
    assert_eq!(v["audio"]["allowed"], false);
    assert_fails_at(&v, "audio", None);
}

#[test]
fn redact_writes_a_manifest_that_verify_checks() {
    let redacted = styled("fill");
    let manifest = PathBuf::from(format!("{}.manifest.json", redacted.display()));
    let m: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    assert_eq!(m["format"], "sladd-redaction-manifest");
    assert_eq!(m["version"], 2);
    assert_eq!(m["sladd_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["camera"], "kasse-1");
    assert_eq!(m["style"], "fill:#000000");
    assert_eq!(m["start"], "2024-03-12T09:30:00Z");
    assert_eq!(m["start_source"], "creation_time");
    let hex = |p: &Path| -> String { sha256(p).iter().map(|b| format!("{b:02x}")).collect() };
    assert_eq!(m["input"]["sha256"], hex(&clip("kiosk.mp4")));
    assert_eq!(m["output"]["sha256"], hex(&redacted));
    assert_eq!(m["config"]["file_sha256"], hex(&site()));
    assert_eq!(m["config"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(m["frames"], 75);
    assert_eq!(m["audio"], "stripped");
    let spans = m["decisions"].as_array().unwrap();
    assert_eq!(spans.len(), 1);
    assert_eq!(
        (&spans[0]["first_frame"], &spans[0]["last_frame"]),
        (&0.into(), &74.into())
    );
    assert_eq!(spans[0]["masked_zones"][0], "Bak kassen (R-AREA-OBJECT)");

    let (status, v) = verify(
        &clip("kiosk.mp4"),
        &redacted,
        &site(),
        &["--manifest", s(&manifest)],
    );
    assert_eq!(status, 0, "{v:#}");
    assert_eq!(v["manifest"]["ok"], true);

    // The same config in JSON has the same canonical hash.
    let json_site = fixtures().join("policy/site.json");
    let (status, v) = verify(
        &clip("kiosk.mp4"),
        &redacted,
        &json_site,
        &["--manifest", s(&manifest)],
    );
    assert_eq!(status, 0, "{v:#}");

    // Another camera than the manifest's is bad usage.
    let out = Sladd::new(work(), "verify")
        .args([s(&clip("kiosk.mp4")), s(&redacted)])
        .site(site())
        .camera("kasse-2")
        .args(["--manifest", s(&manifest)])
        .run();
    assert_eq!(code(&out), 2, "{}", err(&out));
}

/// A manifest of version 1 (written by sladd before the config hash
/// followed RFC 8785) still verifies, and a change to it still fails.
#[test]
fn a_version_1_manifest_still_verifies() {
    let evidence = fixtures().join("evidence");
    let (redacted, manifest) = (
        evidence.join("kiosk-v1.mp4"),
        evidence.join("kiosk-v1.mp4.manifest.json"),
    );
    let m: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    assert_eq!(m["version"], 1);
    let (status, v) = verify(
        &clip("kiosk.mp4"),
        &redacted,
        &site(),
        &["--manifest", s(&manifest)],
    );
    assert_eq!(status, 0, "{v:#}");
    assert_eq!(v["manifest"]["ok"], true);
    assert_eq!(v["verdict"], "pass");

    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("edited.manifest.json");
    let mut changed = m.clone();
    changed["decisions"][0]["masked_zones"] = serde_json::json!([]);
    std::fs::write(&edited, changed.to_string()).unwrap();
    let (status, v) = verify(
        &clip("kiosk.mp4"),
        &redacted,
        &site(),
        &["--manifest", s(&edited)],
    );
    assert_eq!(status, 1, "{v:#}");
    assert_eq!(v["manifest"]["ok"], false);
    assert_fails_at(&v, "manifest", None);
}

#[test]
fn verify_manifest_fails_when_output_input_or_config_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (input, config) = (root.join("in.mp4"), root.join("site.toml"));
    std::fs::copy(clip("kiosk.mp4"), &input).unwrap();
    std::fs::copy(site(), &config).unwrap();
    let out = Sladd::new(root, "redact")
        .arg("in.mp4")
        .site("site.toml")
        .camera("kasse-1")
        .output("out.mp4")
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    let (output, manifest) = (root.join("out.mp4"), root.join("out.mp4.manifest.json"));
    assert!(manifest.exists());
    let check = |input: &Path, output: &Path, config: &Path| {
        verify(input, output, config, &["--manifest", s(&manifest)])
    };
    let (status, v) = check(&input, &output, &config);
    assert_eq!(status, 0, "{v:#}");

    // Comments and spacing do not change the configuration.
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("# reviewed 2026-11-23\n\n{}", text.replace(" = ", "=")),
    )
    .unwrap();
    let (status, v) = check(&input, &output, &config);
    assert_eq!(status, 0, "{v:#}");

    // One more byte at the end of the output.
    let changed = root.join("changed.mp4");
    let mut bytes = std::fs::read(&output).unwrap();
    bytes.push(0);
    std::fs::write(&changed, &bytes).unwrap();
    let (status, v) = check(&input, &changed, &config);
    assert_eq!(status, 1, "{v:#}");
    assert_eq!(v["manifest"]["ok"], false);
    assert!(
        v["first"]["message"]
            .as_str()
            .unwrap()
            .starts_with("output sha256 differs"),
        "{v:#}"
    );

    // The input changed after redaction.
    let mut bytes = std::fs::read(&input).unwrap();
    bytes.push(0);
    std::fs::write(&input, &bytes).unwrap();
    let (status, v) = check(&input, &output, &config);
    assert_eq!(status, 1, "{v:#}");
    assert!(
        v["first"]["message"]
            .as_str()
            .unwrap()
            .starts_with("input sha256 differs"),
        "{v:#}"
    );
    std::fs::copy(clip("kiosk.mp4"), &input).unwrap();

    // A value of the config changed (one that does not change decisions).
    std::fs::write(
        &config,
        text.replace("retention_days = 7", "retention_days = 8"),
    )
    .unwrap();
    let (status, v) = check(&input, &output, &config);
    assert_eq!(status, 1, "{v:#}");
    assert!(
        v["first"]["message"]
            .as_str()
            .unwrap()
            .starts_with("config sha256 differs"),
        "{v:#}"
    );
}

#[test]
fn bad_usage_and_unreadable_inputs() {
    let redacted = styled("fill");
    let out = Sladd::new(work(), "verify")
        .args(["/nonexistent.mp4", s(&redacted)])
        .site(site())
        .camera("kasse-1")
        .run();
    assert_eq!(code(&out), 3, "{}", err(&out));
    let out = Sladd::new(work(), "verify")
        .args([s(&clip("kiosk.mp4")), s(&redacted)])
        .site(site())
        .camera("nope")
        .run();
    assert_eq!(code(&out), 2, "{}", err(&out));
    let out = Sladd::new(work(), "verify").arg("--help").run();
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8(out.stdout).unwrap().contains("Examples:"));
}

/// The start rule is `redact`'s: `--start`, else the original's
/// creation_time. A night redaction (nothing masked, staff absent) only
/// passes when verify is told the same start, by flag or by manifest.
#[test]
fn verify_decides_with_the_start_redact_used() {
    const NIGHT: &str = "2026-11-24T03:00:00+01:00";
    let night = redaction("night.mp4", &site(), &["--start", NIGHT]);
    let manifest = PathBuf::from(format!("{}.manifest.json", night.display()));
    let (status, v) = verify(&clip("kiosk.mp4"), &night, &site(), &["--start", NIGHT]);
    assert_eq!(status, 0, "{v:#}");
    assert_eq!(v["start_source"], "option");
    assert_eq!(
        v["checks"].as_array().unwrap().len(),
        1,
        "only outside: {v:#}"
    );

    let (status, v) = verify(&clip("kiosk.mp4"), &night, &site(), &[]);
    assert_eq!(status, 1, "{v:#}");
    assert_fails_at(&v, "fill", Some(0));

    let (status, v) = verify(
        &clip("kiosk.mp4"),
        &night,
        &site(),
        &["--manifest", s(&manifest)],
    );
    assert_eq!(status, 0, "{v:#}");
    assert_eq!(v["start_source"], "option");

    let out = Sladd::new(work(), "verify")
        .args([s(&clip("kiosk.mp4")), s(&night)])
        .site(site())
        .camera("kasse-1")
        .args([
            "--manifest",
            s(&manifest),
            "--start",
            "2026-11-24T12:00:00+01:00",
        ])
        .run();
    assert_eq!(code(&out), 2, "{}", err(&out));
    assert!(
        err(&out).contains("contradicts the manifest's start"),
        "{}",
        err(&out)
    );
}

/// A camera without a purpose is masked whole: the whole frame is checked
/// in the style `redact` was given, which the manifest records.
#[test]
fn a_whole_frame_pixelated_passes_only_in_its_style() {
    let burglary = fixtures().join("policy/burglary_only.toml");
    let out = work().join("dark.mp4");
    made(&out, |p| {
        let run = Sladd::new(work(), "redact")
            .arg(s(&clip("kiosk.mp4")))
            .site(&burglary)
            .camera("innbrudd")
            .args(["--style", "pixelate"])
            .output(s(p))
            .run();
        assert_eq!(code(&run), 0, "{}", err(&run));
    });
    let manifest = PathBuf::from(format!("{}.manifest.json", out.display()));
    let kiosk = clip("kiosk.mp4");
    let check = |extra: &[&str]| {
        let run = Sladd::new(work(), "verify")
            .args([s(&kiosk), s(&out)])
            .site(s(&burglary))
            .camera("innbrudd")
            .json()
            .args(extra)
            .run();
        (code(&run), json(&run))
    };
    for extra in [
        &["--style", "pixelate"][..],
        &["--manifest", s(&manifest)][..],
    ] {
        let (status, v) = check(extra);
        assert_eq!(status, 0, "{extra:?}: {v:#}");
        let checks = v["checks"].as_array().unwrap();
        assert_eq!(checks.len(), 1, "no outside left: {v:#}");
        assert_eq!(checks[0]["check"], "pixelate");
    }
    let (status, v) = check(&[]);
    assert_eq!(status, 1, "checked as fill: {v:#}");
    assert_fails_at(&v, "fill", Some(0));
}

#[test]
fn a_rotated_recording_verifies_with_its_display_rotation() {
    // rotated_90.mp4 carries a display matrix: redact draws the zones on
    // the picture as shown, and verify must decide the same way, or every
    // frame fails (the zone lands elsewhere on the coded picture).
    let original = clip("rotated_90.mp4");
    let out = work().join("rotated.mp4");
    made(&out, |p| {
        let run = Sladd::new(work(), "redact")
            .arg(s(&original))
            .site(site())
            .camera("kasse-1")
            .args(["--start", "2026-11-24T12:00:00+01:00"])
            .output(s(p))
            .run();
        assert_eq!(code(&run), 0, "{}", err(&run));
    });
    let manifest = work().join("rotated.mp4.manifest.json");
    let (status, v) = verify(&original, &out, &site(), &["--manifest", s(&manifest)]);
    assert_eq!(status, 0, "{v:#}");
    assert_eq!(v["failed_frames"], 0, "{v:#}");
    assert!(v["frames"].as_u64().unwrap() > 0);
}
