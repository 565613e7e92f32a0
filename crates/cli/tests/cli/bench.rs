//! `sladd bench --json` and `sladd completions`.

use super::support::*;

#[test]
fn bench_json_rows_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let out = Sladd::new(dir.path(), "bench")
        .args([
            "--resolution",
            "64x36",
            "--style",
            "fill",
            "--format",
            "yuv420p",
            "--threads",
            "2",
            "--seconds",
            "0.05",
        ])
        .json()
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    let v = json(&out);
    let rows = v["rows"].as_array().unwrap();
    let mut threads: Vec<u64> = rows
        .iter()
        .map(|r| r["threads"].as_u64().unwrap())
        .collect();
    threads.sort_unstable();
    assert_eq!(threads, [1, 2]);
    for r in rows {
        assert_eq!(r["style"], "fill", "{r}");
        assert_eq!(r["format"], "yuv420p", "{r}");
        assert_eq!(r["width"], 64, "{r}");
        assert_eq!(r["height"], 36, "{r}");
        for key in ["fps", "mpix_per_s", "memcpy_ratio"] {
            let x = r[key].as_f64().unwrap_or_else(|| panic!("{key} in {r}"));
            assert!(x.is_finite() && x > 0.0, "{key} = {x}");
        }
        // Mpix/s is fps times the frame's megapixels.
        let fps = r["fps"].as_f64().unwrap();
        let mpix = r["mpix_per_s"].as_f64().unwrap();
        assert!(
            (mpix - fps * 64.0 * 36.0 / 1e6).abs() <= 1e-6 * mpix.max(1.0),
            "{r}"
        );
    }
}

/// Regression: `--seconds NaN` panicked instead of exiting 2.
#[test]
fn bench_refuses_a_budget_that_is_not_seconds() {
    let dir = tempfile::tempdir().unwrap();
    for budget in ["NaN", "0", "--seconds=-1"] {
        let arg = if budget.starts_with("--") {
            budget.to_owned()
        } else {
            format!("--seconds={budget}")
        };
        let out = Sladd::new(dir.path(), "bench")
            .args(["--resolution", "16x16", &arg])
            .json()
            .run();
        assert_eq!(code(&out), 2, "{budget}: {}", err(&out));
        assert!(!err(&out).contains("panicked"), "{}", err(&out));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn completions_for_bash() {
    let dir = tempfile::tempdir().unwrap();
    let out = Sladd::new(dir.path(), "completions").arg("bash").run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(script.contains("_sladd()"), "{script}");
    assert!(script.contains("complete -F _sladd"), "{script}");
    assert!(script.contains("redact"));
    let out = Sladd::new(dir.path(), "completions").arg("tcsh").run();
    assert_eq!(code(&out), 2);
}

/// Regression: `sladd completions bash | head -1` panicked on the closed pipe.
#[test]
fn completions_into_a_closed_pipe_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Sladd::new(dir.path(), "completions").arg("bash").spawn();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!err(&out).contains("panicked"), "{}", err(&out));
    assert_eq!(code(&out), 0, "{}", err(&out));
}
