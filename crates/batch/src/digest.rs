//! SHA-256 digests as lower-case hex: `sladd-evidence`'s, with this crate's
//! error.

use std::path::Path;

use crate::error::{Error, Result};

pub(crate) use sladd_evidence::sha256_hex;

/// The SHA-256 of the file at `path` and its length in bytes.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read.
pub(crate) fn sha256_file(path: &Path) -> Result<(String, u64)> {
    sladd_evidence::sha256_file(path).map_err(|e| match e {
        sladd_evidence::Error::Io { source, .. } => Error::io("read", path, source),
        other => Error::io("read", path, std::io::Error::other(other)),
    })
}
