//! The one error type of `sladd-batch`.

use std::path::PathBuf;

/// Everything that can go wrong in `sladd-batch`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read, written or locked.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done (`read`, `write`, `lock`, …).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A plan or report is not valid JSON of its format.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The plan's `plan_sha256` is not the hash of its contents: it was
    /// edited after planning.
    #[error(
        "{}: plan_sha256 is {recorded} but the plan hashes to {actual}; it was changed after \
         planning (make a new plan with sladd batch plan)",
        path.display()
    )]
    PlanTampered {
        /// The plan file.
        path: PathBuf,
        /// The hash it records.
        recorded: String,
        /// The hash of its contents.
        actual: String,
    },
    /// The plan was made with another site configuration or sladd version.
    #[error("{0}")]
    Drift(String),
    /// A shard given as text is not `I/N` with `0 <= I < N`.
    #[error("shard '{text}': {reason}")]
    Shard {
        /// What was given.
        text: String,
        /// Why it is not a shard.
        reason: String,
    },
    /// `--shard auto` found no scheduler, or a scheduler's variables that
    /// do not name one shard.
    #[error("{0}")]
    Scheduler(String),
    /// Two planned files would be written to one output.
    #[error("{} and {} would both be written to {}", first.display(), second.display(), output.display())]
    SameOutput {
        /// The first input.
        first: PathBuf,
        /// The second input.
        second: PathBuf,
        /// Their output.
        output: PathBuf,
    },
    /// A shard report belongs to another plan.
    #[error(
        "{}: the report is of plan {found}, not of this plan ({expected})",
        path.display()
    )]
    ForeignReport {
        /// The report.
        path: PathBuf,
        /// The plan hash it records.
        found: String,
        /// This plan's hash.
        expected: String,
    },
}

impl Error {
    /// An I/O error while doing `action` on `path`.
    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The result of `sladd-batch`'s fallible functions.
pub type Result<T, E = Error> = std::result::Result<T, E>;
