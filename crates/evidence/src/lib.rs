//! # sladd-evidence
//!
//! The proof that a video was redacted as the site's policy says, as a
//! library: the evidence manifest written beside every redacted file, the
//! canonical hash of a site configuration, and the checks that decide
//! whether a redacted frame hides what the policy masks and shows the rest.
//!
//! - [`Manifest`]: the versioned manifest (`OUTPUT.manifest.json`; JSON
//!   Schema in `docs/manifest.schema.json`), recorded from a redaction with
//!   [`Manifest::record`], written beside the output, read back and checked
//!   against the files ([`Manifest::check_files`]) and the decisions
//!   ([`Manifest::check_decisions`]).
//! - [`canonical_config`]: a site file's RFC 8785 form, whose SHA-256 the
//!   manifest records; [`sha256_file`] and [`sha256_hex`] for every other hash.
//! - [`FrameChecker`]: checks one redacted frame against its original and
//!   the masks ([`sladd_core::Redaction`]) it should have, on frames the
//!   caller decodes; [`Alignment`] pairs two videos' frames by time and
//!   [`Tally`] turns the checks into a [`VerifyReport`].
//! - `verify_files` (feature `ffmpeg`): all of it over two video files, as
//!   `sladd verify` runs it.
//! - [`signature`]: Ed25519 key pairs and detached signatures over the
//!   manifest's canonical bytes (`OUTPUT.manifest.json.sig`).
//! - [`input_signature`]: whether the input carries a camera's own
//!   signature (ONVIF Media Signing, Axis Signed Video SEI messages), which
//!   re-encoding cannot keep; the manifest records what was found.
//! - [`c2pa`]: C2PA Content Credentials embedded in redacted MP4/MOV files
//!   and read back (feature `c2pa`).
//!
//! ```
//! use sladd_evidence::{Manifest, Version};
//!
//! let text = r#"{
//!   "format": "sladd-redaction-manifest", "version": 2, "sladd_version": "0.1.0",
//!   "camera": "kasse-1", "style": "fill:#000000",
//!   "start": "2024-03-12T09:30:00Z", "start_source": "creation_time",
//!   "input": {"path": "in.mp4", "sha256": "00", "bytes": 1},
//!   "output": {"path": "out.mp4", "sha256": "00", "bytes": 1},
//!   "config": {"path": "site.toml", "sha256": "00", "file_sha256": "00"},
//!   "encoder": "libx264", "audio": "stripped",
//!   "frames": 75, "masked_frames": 75, "full_frame_masked": 0,
//!   "decisions": [{"first_frame": 0, "last_frame": 74, "at": "2024-03-12T09:30:00Z",
//!                  "full_frame": false, "masked_zones": ["Bak kassen (R-AREA-OBJECT)"]}],
//!   "input_signatures": []
//! }"#;
//! let manifest = Manifest::from_json(text, "out.mp4.manifest.json".as_ref())?;
//! assert_eq!(manifest.version, Version::V2);
//! assert_eq!(manifest.decisions[0].masked_zones, ["Bak kassen (R-AREA-OBJECT)"]);
//! # Ok::<(), sladd_evidence::Error>(())
//! ```

mod align;
mod atomic;
pub mod c2pa;
pub mod canonical;
pub mod check;
pub mod digest;
mod error;
pub mod input_signature;
pub mod manifest;
pub mod report;
mod settings;
pub mod signature;
#[cfg(feature = "ffmpeg")]
mod verify;

pub use align::{Alignment, Step};
pub use canonical::{canonical_config, canonical_config_for};
pub use check::{Check, FrameChecker, Limits, Measure, Outcome};
pub use digest::{sha256_file, sha256_hex};
pub use error::{Error, Result};
pub use manifest::{
    manifest_path, Audio, BatchEntry, ConfigEntry, FileEntry, Manifest, ManifestField,
    MaskedSubstream, Mismatch, Record, Span, StartSource, SubstreamSeen, Version, FORMAT,
};
pub use report::{Finding, FrameAt, Tally, Verdict, VerifyReport};
pub use settings::Settings;
#[cfg(feature = "ffmpeg")]
pub use verify::{verify_files, Request, SignatureRequest};
