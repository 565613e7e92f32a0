//! Every fuzz target's body over its committed seeds (`seeds/<target>/`)
//! and the inputs of past crashes (`regressions/<target>/`), in the normal
//! test suite: the targets build and their checks hold without cargo-fuzz.

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = ["seeds", "regressions"]
        .iter()
        .map(|d| root.join(d).join(target))
        .filter(|d| d.is_dir())
        .flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn run(target: &str, body: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no seeds for {target}");
    for file in files {
        let data = std::fs::read(&file).unwrap();
        eprintln!("{target}: {}", file.display());
        body(&data);
    }
}

#[test]
fn config_toml_seeds() {
    run("config_toml", sladd_fuzz::config_toml);
}

#[test]
fn config_json_seeds() {
    run("config_json", sladd_fuzz::config_json);
}

#[test]
fn schedule_seeds() {
    run("schedule", sladd_fuzz::schedule);
}

#[test]
fn rasterize_seeds() {
    run("rasterize", sladd_fuzz::rasterize);
}

#[test]
fn frame_view_seeds() {
    run("frame_view", sladd_fuzz::frame_view);
}

#[test]
fn decode_seeds() {
    run("decode", sladd_fuzz::decode);
}
