//! Deleting what is overdue, and nothing else: each deletion is appended
//! to `retention-log.jsonl` beside the site file and synced to disk before
//! a single byte is removed. A run stopped between the log and the removal
//! leaves the log saying what it was about to delete; the next run finds
//! the entry (same path and SHA-256), removes the file without logging it
//! twice, and says it finished an earlier deletion.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::journal;
use crate::recording::Archive;
use crate::retention::{Action, Plan};

/// The retention log's file name, beside the site file.
pub const RETENTION_LOG: &str = "retention-log.jsonl";

/// The retention log of the site file `site_file`.
#[must_use]
pub fn log_path(site_file: &Path) -> PathBuf {
    crate::recording::site_dir(site_file).join(RETENTION_LOG)
}

/// One line of the retention log: a deletion, written before it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    /// Always `delete`.
    pub event: String,
    /// When the deletion was logged (RFC 3339, UTC), just before it ran.
    pub deleted_at: String,
    /// The recording, as an absolute path.
    pub path: PathBuf,
    /// Its camera.
    pub camera: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The SHA-256 of its bytes.
    pub sha256: String,
    /// The recorded span.
    pub start: String,
    /// The end of the recorded span.
    pub end: String,
    /// The rule it was deleted under.
    pub rule: String,
    /// The instant it became overdue.
    pub deadline: String,
    /// The sladd outputs and manifests derived from it, deleted with it.
    pub derived: Vec<PathBuf>,
    /// The sladd that deleted it.
    pub sladd_version: String,
}

/// A failed removal, logged after the [`Deletion`] it belongs to.
#[derive(Debug, Clone, Serialize)]
struct Failed<'a> {
    event: &'static str,
    at: String,
    path: &'a Path,
    sha256: &'a str,
    error: String,
}

/// What became of one overdue recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Logged and removed.
    Deleted,
    /// An earlier run logged it and stopped before removing it; removed now.
    Resumed,
    /// It was gone before this run reached it.
    Gone,
    /// It could not be removed (see the error); the log says so too.
    Failed,
}

/// The outcome of deleting one recording.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The recording.
    pub path: PathBuf,
    /// What happened.
    pub status: Status,
    /// Its SHA-256, when it could be read.
    pub sha256: Option<String>,
    /// The derived files removed with it.
    pub derived: Vec<PathBuf>,
    /// Why it failed.
    pub error: Option<String>,
}

/// Deletes exactly the `delete` entries of `plan`, each with the outputs
/// sladd derived from it in the archive, logging each to `log` first.
/// `clock` gives the time written into each log line.
///
/// # Errors
/// Only when the log itself cannot be read or written: then nothing more is
/// removed. A recording that cannot be removed is an [`Outcome`] with
/// [`Status::Failed`], and the run goes on.
pub fn apply(
    plan: &Plan,
    archive: &Archive,
    log: &Path,
    clock: &dyn Fn() -> Timestamp,
) -> Result<Vec<Outcome>> {
    let earlier = journal::read(log)?;
    let mut outcomes = Vec::new();
    for entry in plan.entries.iter().filter(|e| e.action == Action::Delete) {
        let recording = &entry.recording;
        let mut outcome = Outcome {
            path: recording.path.clone(),
            status: Status::Gone,
            sha256: None,
            derived: Vec::new(),
            error: None,
        };
        if !recording.path.is_file() {
            outcomes.push(outcome);
            continue;
        }
        let absolute =
            std::fs::canonicalize(&recording.path).unwrap_or_else(|_| recording.path.clone());
        let sha256 = match journal::sha256_file(&recording.path) {
            Ok((sha, _)) => sha,
            Err(e) => {
                outcome.status = Status::Failed;
                outcome.error = Some(e.to_string());
                outcomes.push(outcome);
                continue;
            }
        };
        let derived: Vec<PathBuf> = archive
            .derived_from(&sha256)
            .into_iter()
            .flat_map(|d| [d.output.clone(), d.manifest.clone()])
            .filter(|p| p.exists())
            .collect();
        let (Some((start, end)), Some(deadline)) = (recording.span(), entry.deadline) else {
            continue; // a delete entry always has both
        };
        let logged = pending(&earlier, &absolute, &sha256);
        if !logged {
            journal::append(
                log,
                &Deletion {
                    event: "delete".to_owned(),
                    deleted_at: clock().to_string(),
                    path: absolute.clone(),
                    camera: recording.camera.clone(),
                    bytes: recording.bytes,
                    sha256: sha256.clone(),
                    start: start.to_string(),
                    end: end.to_string(),
                    rule: entry.rule.id().to_owned(),
                    deadline: deadline.to_string(),
                    derived: derived.clone(),
                    sladd_version: env!("CARGO_PKG_VERSION").to_owned(),
                },
            )?;
        }
        // Derived files first: a run stopped half-way never leaves an
        // output whose recording is gone and so no longer points to it.
        let removed = derived
            .iter()
            .chain(std::iter::once(&recording.path))
            .try_for_each(|p| {
                std::fs::remove_file(p).map_err(|e| format!("cannot remove {}: {e}", p.display()))
            });
        outcome.sha256 = Some(sha256.clone());
        outcome.derived = derived;
        match removed {
            Ok(()) => {
                let _ = journal::sync_folder(&recording.path);
                outcome.status = if logged {
                    Status::Resumed
                } else {
                    Status::Deleted
                };
            }
            Err(error) => {
                journal::append(
                    log,
                    &Failed {
                        event: "delete-failed",
                        at: clock().to_string(),
                        path: &absolute,
                        sha256: &sha256,
                        error: error.clone(),
                    },
                )?;
                outcome.status = Status::Failed;
                outcome.error = Some(error);
            }
        }
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Whether the log holds a deletion of `path` with this hash that no later
/// line marks as failed: an earlier run logged it and stopped.
fn pending(log: &[serde_json::Value], path: &Path, sha256: &str) -> bool {
    let same = |v: &serde_json::Value| {
        v.get("path").and_then(|p| p.as_str()) == path.to_str()
            && v.get("sha256").and_then(|s| s.as_str()) == Some(sha256)
    };
    log.iter()
        .rev()
        .find(|v| same(v))
        .is_some_and(|v| v.get("event").and_then(|e| e.as_str()) == Some("delete"))
}
