//! # sladd-archive
//!
//! The legal lifecycle of a camera archive (kameraforskriften § 6, the
//! seed guide's "Lagring" and "Utlevering av opptak"): which recording
//! belongs to which camera and when it was made, when each must be
//! deleted, which legal holds keep it longer, to whom footage may be
//! disclosed, and the records of every deletion and disclosure.
//!
//! - [`recording`]: finds each camera's recordings by its `recordings`
//!   globs and dates them (`recorded_at`, judged by the camera-clock
//!   rules of [`sladd_policy::clock`]).
//! - [`holds`]: legal holds files.
//! - [`retention`]: the action for each recording at an instant (`keep`,
//!   `delete`, `hold`, `unknown-age`), by sladd-policy's deadlines.
//! - [`apply`]: deletes exactly the overdue set, each deletion logged and
//!   synced to `retention-log.jsonl` before anything is removed.
//! - [`findings`]: what `sladd check` reports of an archive.
//! - [`export`]: recipients, the recordings that cover a window, and
//!   disclosure records.
//!
//! ```
//! use sladd_archive::retention::{plan, Action};
//! use sladd_archive::recording::{Archive, Recording, StartSource};
//! use sladd_policy::{Format, Policy};
//!
//! let site = "[site]\nname = \"Kiosk\"\n[[cameras]]\nid = \"kasse\"\nretention_days = 7\n";
//! let policy = Policy::from_str(site, Format::Toml, "site.toml")?;
//! let recording = Recording {
//!     path: "archive/a.mp4".into(),
//!     camera: "kasse".into(),
//!     bytes: 1000,
//!     start: Some("2026-03-01T10:00:00+01:00".parse()?),
//!     end: Some("2026-03-01T10:05:00+01:00".parse()?),
//!     start_source: StartSource::Filename,
//!     unknown: None,
//! };
//! let archive = Archive { recordings: vec![recording], ..Archive::default() };
//! let day_7 = plan(&policy, &archive, &[], "2026-03-08T10:05:00+01:00".parse()?);
//! assert_eq!(day_7.entries[0].action, Action::Keep);
//! let day_8 = plan(&policy, &archive, &[], "2026-03-08T10:05:01+01:00".parse()?);
//! assert_eq!(day_8.entries[0].action, Action::Delete);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod apply;
mod error;
pub mod export;
pub mod findings;
pub mod holds;
pub mod journal;
#[cfg(feature = "ffmpeg")]
mod probe;
pub mod recording;
pub mod retention;

pub use error::{Error, Result};
#[cfg(feature = "ffmpeg")]
pub use probe::FfmpegProbe;
