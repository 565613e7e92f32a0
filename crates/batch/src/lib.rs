//! # sladd-batch
//!
//! Sharded batch redaction for the schedulers people already run
//! (Kubernetes Indexed Jobs, Slurm job arrays), exactly once and resumable:
//!
//! - [`plan`]: the deterministic work list (`plan.json`) every worker reads,
//!   sealed by its `plan_sha256`;
//! - [`shard`]: which worker of `N` takes which files, longest first to the
//!   least-loaded shard (LPT), for any `N` chosen at run time;
//! - [`scheduler`]: `--shard auto` from `JOB_COMPLETION_INDEX` or
//!   `SLURM_ARRAY_TASK_*`;
//! - [`lock`]: one writer per output, a killed writer's lock taken over;
//! - [`done`]: whether an output is already the redaction this plan asks
//!   for, judged from its evidence manifest, never from its mere presence;
//! - [`merge`]: shard reports folded into one summary, every planned file
//!   once, missing files and conflicting duplicates named.
//!
//! The crate does no video work: the caller probes durations (a [`Probe`])
//! and redacts.
//!
//! ```
//! use sladd_batch::shard::{assign_lpt, Balance, Shard};
//!
//! // Milliseconds of video per file: one long recording, four short ones.
//! let weights = [600_000, 60_000, 60_000, 60_000, 60_000];
//! let shard_of = assign_lpt(&weights, 2);
//! assert_eq!(shard_of, [0, 1, 1, 1, 1]);
//! assert_eq!(Balance::of(&weights, &shard_of, 2).max, 600_000);
//! let shard: Shard = "1/2".parse()?;
//! assert_eq!(shard.report_name(), "report.shard-1-of-2.json");
//! # Ok::<(), sladd_batch::Error>(())
//! ```

mod digest;
pub mod done;
mod error;
pub mod lock;
pub mod merge;
pub mod plan;
pub mod scheduler;
pub mod shard;

pub use error::{Error, Result};
pub use plan::{Candidate, Plan, PlannedFile, Probe};
pub use shard::Shard;
