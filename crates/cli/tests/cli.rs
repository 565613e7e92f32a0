//! Runs the built `sladd` binary: outputs, JSON keys and exit codes of
//! `plan` and `check`; the modules in `cli/` do the same for `redact`,
//! `preview`, `bench`, `completions`, `verify`, `retention`, `export`,
//! `zones edit` (in headless Chromium) and signed evidence (`keys`,
//! `--sign-key`, C2PA).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure

#[path = "cli/archives.rs"]
mod archives;
#[path = "cli/bad_input.rs"]
mod bad_input;
#[path = "cli/batch.rs"]
mod batch;
#[path = "cli/bench.rs"]
mod bench;
#[path = "cli/export.rs"]
mod export;
#[path = "cli/no_leak.rs"]
mod no_leak;
#[path = "cli/preview.rs"]
mod preview;
#[cfg(feature = "proxy")]
#[path = "cli/proxy.rs"]
mod proxy;
#[path = "cli/redact.rs"]
mod redact;
#[path = "cli/retention.rs"]
mod retention;
#[path = "cli/signing.rs"]
mod signing;
#[path = "cli/support.rs"]
mod support;
#[path = "cli/verify.rs"]
mod verify;
#[path = "cli/zones.rs"]
mod zones;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn site() -> String {
    fixtures().join("site.toml").display().to_string()
}

fn sladd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sladd"))
        .args(args)
        .output()
        .expect("run sladd")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("utf-8 stderr")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

const NOON: &str = "2026-11-24T12:00:00+01:00";
const NIGHT: &str = "2026-11-24T03:00:00+01:00";

#[test]
fn plan_at_noon_in_words() {
    let out = sladd(&["plan", "-c", &site(), "--camera", "kasse-1", "--at", NOON]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Camera kasse-1 at 2026-11-24T12:00:00+01:00"),
        "{text}"
    );
    assert!(text.contains("Bak kassen"), "{text}");
    assert!(text.contains("MASKED except objects (fill)"), "{text}");
    assert!(text.contains("[R-AREA-OBJECT]"), "{text}");
    assert!(text.contains("[R-AREA-PUBLIC]"), "{text}");
    assert!(text.contains("until 2026-11-24T23:00:00+01:00"), "{text}");
    assert!(stderr(&out).is_empty());
}

#[test]
fn plan_json_keys_at_noon_and_at_night() {
    let out = sladd(&[
        "plan",
        "-c",
        &site(),
        "--camera",
        "kasse-1",
        "--at",
        NOON,
        "--json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["camera"], "kasse-1");
    assert_eq!(v["at"], NOON);
    assert_eq!(v["full_frame"], false);
    let zones = v["zones"].as_array().unwrap();
    assert_eq!(zones.len(), 2);
    let z = &zones[0];
    assert_eq!(z["name"], "Bak kassen");
    assert_eq!(z["area"], "restricted_circle");
    assert_eq!(z["masked"], true);
    assert_eq!(z["style"], "fill");
    assert_eq!(z["rule"], "R-AREA-OBJECT");
    assert!(z["reason"].as_str().unwrap().ends_with('.'));
    let z = &zones[1];
    assert_eq!(
        (&z["name"], &z["area"], &z["masked"], &z["rule"]),
        (
            &"Pumpene".into(),
            &"public".into(),
            &false.into(),
            &"R-AREA-PUBLIC".into()
        )
    );
    assert!(z["style"].is_null());

    let out = sladd(&[
        "plan",
        "-c",
        &site(),
        "--camera",
        "kasse-1",
        "--at",
        NIGHT,
        "--json",
    ]);
    assert_eq!(code(&out), 0);
    let v = json(&out);
    assert_eq!(v["full_frame"], false);
    assert_eq!(v["zones"][0]["masked"], false);
    assert_eq!(v["zones"][0]["rule"], "R-STAFF-ABSENT");
    assert_eq!(v["zones"][1]["rule"], "R-AREA-PUBLIC");
}

#[test]
fn plan_json_for_a_dark_camera_and_a_default_style() {
    let burglary = fixtures().join("policy/burglary_only.toml");
    let out = sladd(&[
        "plan",
        "-c",
        burglary.to_str().unwrap(),
        "--camera",
        "innbrudd",
        "--at",
        NOON,
        "--json",
        "--style",
        "pixelate",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["full_frame"], true);
    for z in v["zones"].as_array().unwrap() {
        assert_eq!(z["masked"], true);
        assert_eq!(z["style"], "pixelate");
        assert_eq!(z["rule"], "R-NO-PURPOSE");
    }
    let out = sladd(&[
        "plan",
        "-c",
        burglary.to_str().unwrap(),
        "--camera",
        "innbrudd",
        "--at",
        NOON,
    ]);
    assert!(
        stdout(&out).contains("WHOLE FRAME MASKED [R-NO-PURPOSE]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_example_site_passes_with_warnings() {
    let out = sladd(&["check", "-c", &site(), "--at", NOON, "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["site"], "Bensinstasjon Sentrum");
    assert_eq!(v["violations"], 0);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(
        v["warnings"].as_u64().unwrap() as usize,
        findings
            .iter()
            .filter(|f| f["severity"] == "warning")
            .count()
    );
    for f in findings {
        for key in ["id", "severity", "camera", "zone", "message", "source"] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
        assert!(["violation", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
    }
    let cumulative = findings.iter().find(|f| f["id"] == "R-CUMULATIVE").unwrap();
    assert!(cumulative["camera"].is_null() && cumulative["zone"].is_null());
    let restricted = findings
        .iter()
        .find(|f| f["id"] == "R-AREA-RESTRICTED")
        .unwrap();
    assert_eq!(restricted["camera"], "kasse-1");
    assert_eq!(restricted["zone"], "Bak kassen");
    assert_eq!(restricted["severity"], "info");

    let out = sladd(&["check", "-c", &site(), "--at", NOON]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(
        text.contains("Compliance report for Bensinstasjon Sentrum"),
        "{text}"
    );
    assert!(text.contains("0 violations"), "{text}");
}

#[test]
fn check_exits_1_on_a_violation() {
    let shop = fixtures().join("policy/shop_owner.toml");
    let out = sladd(&[
        "check",
        "-c",
        shop.to_str().unwrap(),
        "--at",
        NOON,
        "--json",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["violations"], 2);
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "violation")
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["R-AUDIO", "R-REMOTE-LIVE"]);
    let out = sladd(&["check", "-c", shop.to_str().unwrap(), "--at", NOON]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("VIOLATION  R-AUDIO"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn config_with_a_typo_exits_2_naming_file_line_and_field() {
    let dir = std::env::temp_dir().join(format!("sladd-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("typo.toml");
    let text = std::fs::read_to_string(site())
        .unwrap()
        .replacen("polygon =", "polgon =", 1);
    std::fs::write(&path, text).unwrap();
    for args in [
        vec!["check", "-c", path.to_str().unwrap()],
        vec![
            "plan",
            "-c",
            path.to_str().unwrap(),
            "--camera",
            "kasse-1",
            "--at",
            NOON,
            "--json",
        ],
    ] {
        let out = sladd(&args);
        assert_eq!(code(&out), 2);
        assert!(stdout(&out).is_empty());
        let err = stderr(&out);
        assert!(
            err.contains("typo.toml:40:1: cameras[0].zones[0].polgon: unknown field `polgon`"),
            "{err}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_usage_exits_2() {
    // Missing --camera, a bad instant, an unknown camera, a missing file.
    for args in [
        vec!["plan", "-c", "x.toml", "--at", NOON],
        vec![
            "plan",
            "-c",
            &site(),
            "--camera",
            "kasse-1",
            "--at",
            "tomorrow",
        ],
        vec!["plan", "-c", &site(), "--camera", "kasse-9", "--at", NOON],
        vec!["check", "-c", "/nonexistent/site.toml"],
        vec!["check", "-c", &site(), "--style", "fill"],
        vec!["frobnicate"],
        vec![],
    ] {
        let out = sladd(&args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
    }
    let out = sladd(&["plan", "-c", &site(), "--camera", "kasse-9", "--at", NOON]);
    assert!(stderr(&out)
        .contains("no camera 'kasse-9' in site 'Bensinstasjon Sentrum' (cameras: kasse-1)"));
}

#[test]
fn version_and_help_with_examples() {
    let out = sladd(&["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out).trim(),
        format!("sladd {}", env!("CARGO_PKG_VERSION"))
    );
    for args in [
        vec!["--help"],
        vec!["plan", "--help"],
        vec!["check", "--help"],
    ] {
        let out = sladd(&args);
        assert_eq!(code(&out), 0);
        assert!(stdout(&out).contains("Examples:"), "{args:?}");
    }
}

#[test]
fn json_site_files_give_the_same_plan() {
    let json_site = fixtures().join("policy/site.json");
    let a = sladd(&[
        "plan",
        "-c",
        &site(),
        "--camera",
        "kasse-1",
        "--at",
        NOON,
        "--json",
    ]);
    let b = sladd(&[
        "plan",
        "-c",
        json_site.to_str().unwrap(),
        "--camera",
        "kasse-1",
        "--at",
        NOON,
        "--json",
    ]);
    assert_eq!(code(&b), 0, "{}", stderr(&b));
    assert_eq!(json(&a), json(&b));
}
