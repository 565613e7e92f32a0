//! Append-only JSON Lines logs (`retention-log.jsonl`,
//! `disclosure-log.jsonl`) whose every line is on disk before the caller
//! goes on, and files written whole or not at all.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// Appends `entry` as one line to the log at `path` and waits until it is
/// on disk (the file's data, and the folder's entry when the log is new).
///
/// # Errors
/// [`Error::Io`] when the log cannot be opened, written or synced.
pub fn append<T: Serialize>(path: &Path, entry: &T) -> Result<()> {
    let mut line = serde_json::to_string(entry)?;
    line.push('\n');
    let existed = path.exists();
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(Error::io("cannot open the log", path))?;
    file.write_all(line.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(Error::io("cannot write the log", path))?;
    if !existed {
        sync_folder(path)?;
    }
    Ok(())
}

/// The lines of the log at `path`, parsed (none when it does not exist;
/// lines that are not JSON, such as one cut short by a crash, are skipped).
///
/// # Errors
/// [`Error::Io`] when it exists but cannot be read.
pub fn read(path: &Path) -> Result<Vec<serde_json::Value>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("cannot read the log", path)(e)),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// Writes `bytes` to `path` whole: under a temporary name beside it,
/// synced, then renamed into place.
///
/// # Errors
/// [`Error::Io`]; nothing is left under either name after a failure.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".tmp-{}", std::process::id()));
    let temp = PathBuf::from(temp);
    let written = File::create(&temp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&temp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io("cannot write", path)(e));
    }
    sync_folder(path)
}

/// Syncs the folder holding `path`, so a new, renamed or removed entry in
/// it survives a crash.
///
/// # Errors
/// [`Error::Io`].
pub fn sync_folder(path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(Error::io("cannot sync the folder", dir))
}

/// The SHA-256 of the file at `path` (64 lower-case hex digits) and its
/// length in bytes, hashed as the evidence manifest hashes files.
///
/// # Errors
/// [`Error::Io`] when it cannot be read.
pub(crate) fn sha256_file(path: &Path) -> Result<(String, u64)> {
    sladd_evidence::sha256_file(path).map_err(|e| match e {
        sladd_evidence::Error::Io { path, source, .. } => Error::Io {
            action: "cannot read",
            path,
            source,
        },
        other => Error::Io {
            action: "cannot read",
            path: path.to_owned(),
            source: std::io::Error::other(other),
        },
    })
}
