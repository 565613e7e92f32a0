//! `examples/c/mask_frames.c` compiled with the system C compiler against
//! the library this test run built, run, its images checked pixel by pixel
//! against the Rust API, run again under valgrind, and built once more
//! against a staged install through pkg-config.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sladd_core::PixelFormat;

use crate::support::*;

/// The directory holding the `libsladd_capi.{a,so}` this test run built:
/// cargo writes them beside the test binary (`target/<profile>/deps`); a
/// `cargo build` copies them one level up, possibly from an older build.
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap().to_path_buf();
    assert!(
        deps.join("libsladd_capi.a").is_file() && deps.join("libsladd_capi.so").is_file(),
        "no libsladd_capi.a / .so beside {}",
        exe.display()
    );
    deps
}

/// The native libraries the Rust staticlib needs (`--print native-static-libs`).
const NATIVE: [&str; 7] = [
    "-lgcc_s",
    "-lutil",
    "-lrt",
    "-lpthread",
    "-lm",
    "-ldl",
    "-lc",
];

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Compiles the example against the static library.
fn compile_static(dir: &Path) -> PathBuf {
    compile_source(&root().join("examples/c/mask_frames.c"), dir)
}

/// Compiles `source` against the static library.
fn compile_source(source: &Path, dir: &Path) -> PathBuf {
    let exe = dir.join("mask_frames");
    let mut cc = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()));
    cc.args(["-std=c99", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(root().join("include"))
        .arg(source)
        .arg(lib_dir().join("libsladd_capi.a"))
        .args(NATIVE)
        .arg("-o")
        .arg(&exe);
    run(&mut cc);
    exe
}

/// Reads a binary PGM (P5) or PPM (P6): (width, height, samples).
fn read_pnm(path: &Path, magic: &str) -> (usize, usize, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..at]).unwrap().to_owned());
    }
    assert_eq!(fields[0], magic);
    assert_eq!(fields[3], "255");
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[at + 1..].to_vec())
}

/// The example's synthetic frame, tightly packed: (planes, strides).
fn example_yuv420p(w: usize, h: usize) -> (Vec<Vec<u8>>, Vec<usize>) {
    let (cw, ch) = (w / 2, h / 2);
    let y = (0..w * h)
        .map(|i| (32 + (i % w + 2 * (i / w)) % 192) as u8)
        .collect();
    let u = (0..cw * ch)
        .map(|i| (64 + (i % cw + i / cw) % 128) as u8)
        .collect();
    let v = (0..cw * ch).map(|i| (192 - (i % cw) % 64) as u8).collect();
    (vec![y, u, v], vec![w, cw, cw])
}

fn example_nv12(w: usize, h: usize) -> (Vec<Vec<u8>>, Vec<usize>) {
    let y = (0..w * h)
        .map(|i| (32 + (i % w + 2 * (i / w)) % 192) as u8)
        .collect();
    let uv = (0..w * h / 2)
        .map(|i| if i % 2 == 0 { 90 } else { 170 })
        .collect();
    (vec![y, uv], vec![w, w])
}

/// The example's BT.601 limited-range conversion.
fn rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let (y, u, v) = (i32::from(y) - 16, i32::from(u) - 128, i32::from(v) - 128);
    let c = |x: i32| ((x + 128) >> 8).clamp(0, 255) as u8;
    [
        c(298 * y + 409 * v),
        c(298 * y - 100 * u - 208 * v),
        c(298 * y + 516 * u),
    ]
}

/// Checks the example's stdout and images against the Rust API.
fn check_outputs(stdout: &str, dir: &Path) {
    let (w, h) = (320usize, 180usize);
    assert!(stdout.starts_with("sladd 0.1.0, site "), "{stdout}");
    assert!(stdout.contains("1 camera(s): kasse-1"), "{stdout}");
    assert!(
        stdout.contains("short buffer: status 6: plane 1: buffer holds"),
        "{stdout}"
    );

    // The decision, as JSON.
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("decision: "))
        .expect("a decision line");
    let decision: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(decision["camera"], "kasse-1");
    assert_eq!(decision["at"], "2026-11-24T12:00:00+01:00");
    assert_eq!(decision["full_frame"], false);
    assert_eq!(decision["zones"][0]["name"], "Bak kassen");
    assert_eq!(decision["zones"][0]["masked"], true);
    assert_eq!(decision["zones"][0]["rule"], "R-AREA-OBJECT");
    assert_eq!(decision["zones"][1]["masked"], false);
    let unknown = stdout
        .lines()
        .find_map(|l| l.strip_prefix("unknown instant: "))
        .expect("an unknown-instant line");
    let unknown: serde_json::Value = serde_json::from_str(unknown).unwrap();
    assert_eq!(unknown["unknown_instant"], true);

    // The masked luma pixels, from the policy directly.
    let policy = sladd_policy::Policy::load(site_path()).unwrap();
    let at = jiff::Timestamp::from_nanosecond(i128::from(NOON)).unwrap();
    let mask = sladd_policy::decide(policy.camera("kasse-1").unwrap(), Some(at))
        .mask(w as u32, h as u32)
        .unwrap();
    let masked = |x: usize, y: usize| {
        mask.row(y as u32)
            .iter()
            .any(|s| (s.start as usize..s.end as usize).contains(&x))
    };
    let filled = (0..h)
        .map(|y| (0..w).filter(|&x| masked(x, y)).count())
        .sum::<usize>();
    assert!(filled > w * h / 10, "a real zone is masked: {filled}");
    assert!(
        stdout.contains(&format!("yuv420p 320x180: {filled} of 57600")),
        "{stdout}"
    );

    // yuv420p.pgm: Y, then U and V side by side.
    let (pw, ph, pgm) = read_pnm(&dir.join("yuv420p.pgm"), "P5");
    assert_eq!((pw, ph), (w, h + h / 2));
    let (original, strides) = example_yuv420p(w, h);
    for y in 0..h {
        for x in 0..w {
            let got = pgm[y * w + x];
            let want = if masked(x, y) {
                16
            } else {
                original[0][y * w + x]
            };
            assert_eq!(got, want, "luma at ({x}, {y})");
        }
    }
    let mut expected = original.clone();
    rust_mask(
        "kasse-1",
        Some(NOON),
        PixelFormat::Yuv420p,
        w as u32,
        h as u32,
        &mut expected,
        &strides,
    );
    let cw = w / 2;
    for y in 0..h / 2 {
        let row = &pgm[w * h + y * w..w * h + (y + 1) * w];
        assert_eq!(&row[..cw], &expected[1][y * cw..(y + 1) * cw], "u row {y}");
        assert_eq!(&row[cw..], &expected[2][y * cw..(y + 1) * cw], "v row {y}");
    }

    // nv12.ppm: masked pixels black, the rest the original colour.
    let (pw, ph, ppm) = read_pnm(&dir.join("nv12.ppm"), "P6");
    assert_eq!((pw, ph), (w, h));
    let (original, strides) = example_nv12(w, h);
    let mut expected = original.clone();
    rust_mask(
        "kasse-1",
        Some(NOON),
        PixelFormat::Nv12,
        w as u32,
        h as u32,
        &mut expected,
        &strides,
    );
    for y in 0..h {
        for x in 0..w {
            let got = &ppm[(y * w + x) * 3..(y * w + x) * 3 + 3];
            let c = (y / 2) * w + (x / 2) * 2;
            let want = rgb(expected[0][y * w + x], expected[1][c], expected[1][c + 1]);
            assert_eq!(got, want, "rgb at ({x}, {y})");
            if masked(x, y) {
                assert_eq!(got, [0, 0, 0], "masked pixel ({x}, {y}) is black");
            }
            let block_masked =
                (0..2).any(|dy| (0..2).any(|dx| masked((x & !1) + dx, (y & !1) + dy)));
            if !block_masked {
                let c = (y / 2) * w + (x / 2) * 2;
                let untouched = rgb(original[0][y * w + x], original[1][c], original[1][c + 1]);
                assert_eq!(got, untouched, "unmasked pixel ({x}, {y})");
            }
        }
    }
}

#[test]
fn c_example_builds_runs_and_masks() {
    let dir = scratch("c-example");
    let exe = compile_static(&dir);
    let out = run(Command::new(&exe).arg(site_path()).arg(&dir));
    check_outputs(&String::from_utf8(out.stdout).unwrap(), &dir);
}

/// The example under valgrind with the project's options and suppressions.
fn memcheck(exe: &Path, dir: &Path) -> Command {
    let mut cmd = Command::new("valgrind");
    cmd.args([
        "--num-callers=50",
        "--leak-check=full",
        "--show-leak-kinds=all",
        "--errors-for-leak-kinds=all",
        "--error-exitcode=99",
    ])
    .arg(format!(
        "--suppressions={}",
        root().join("examples/c/valgrind.supp").display()
    ))
    .arg(exe)
    .arg(site_path())
    .arg(dir);
    cmd
}

#[test]
fn c_example_is_clean_under_valgrind() {
    let dir = scratch("c-example-valgrind");
    let exe = compile_static(&dir);
    let out = run(&mut memcheck(&exe, &dir));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ERROR SUMMARY: 0 errors"), "{stderr}");
    assert!(
        stderr.contains("definitely lost: 0 bytes")
            || stderr.contains("All heap blocks were freed"),
        "{stderr}"
    );
    check_outputs(&String::from_utf8(out.stdout).unwrap(), &dir);
}

/// The memory check can fail: the example with one `sladd_masker_free`
/// forgotten is reported (the suppression covers only jiff's cache).
#[test]
fn valgrind_catches_a_forgotten_free() {
    let dir = scratch("c-example-leak");
    let source = std::fs::read_to_string(root().join("examples/c/mask_frames.c")).unwrap();
    let forget = "sladd_string_free(unknown);\n    sladd_masker_free(masker);";
    assert!(source.contains(forget));
    let leaky = dir.join("leaky.c");
    std::fs::write(
        &leaky,
        source.replace(forget, "sladd_string_free(unknown);"),
    )
    .unwrap();
    let exe = compile_source(&leaky, &dir);
    let out = memcheck(&exe, &dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(99), "{stderr}");
    assert!(stderr.contains("definitely lost"), "{stderr}");
}

#[test]
fn pkg_config_finds_a_staged_install() {
    let dir = scratch("c-example-pkg-config");
    let prefix = dir.join("prefix");
    run(Command::new("bash")
        .arg(root().join("scripts/install-capi"))
        .arg(&prefix)
        .env("SLADD_CAPI_LIB_DIR", lib_dir()));
    let pc_path = prefix.join("lib/pkgconfig");
    let flags = run(Command::new("pkg-config")
        .args(["--cflags", "--libs", "sladd"])
        .env("PKG_CONFIG_PATH", &pc_path));
    let flags = String::from_utf8(flags.stdout).unwrap();
    assert!(flags.contains("-lsladd_capi"), "{flags}");
    let exe = dir.join("mask_frames");
    run(
        Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
            .args(["-std=c99", "-Wall", "-Wextra", "-Werror"])
            .arg(root().join("examples/c/mask_frames.c"))
            .args(flags.split_whitespace())
            .arg("-o")
            .arg(&exe),
    );
    // Linked against the shared library of the install.
    let out = run(Command::new(&exe)
        .arg(site_path())
        .arg(&dir)
        .env("LD_LIBRARY_PATH", prefix.join("lib")));
    check_outputs(&String::from_utf8(out.stdout).unwrap(), &dir);
}
