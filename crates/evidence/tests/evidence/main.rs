//! The manifest against its published schema and across versions, and the
//! frame checks on frames the test makes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure

mod checks;
mod manifest;

use std::path::{Path, PathBuf};

/// A path in the repository.
fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}
