//! C2PA Content Credentials in redacted MP4/MOV files.
//!
//! With the feature `c2pa` (the `c2pa` SDK with its pure-Rust crypto),
//! [`embed`] signs a C2PA manifest into a redacted file with the operator's
//! certificate chain ([`Credentials`]), and [`read`] validates one and
//! reports what it claims; [`check`] compares that with what the policy
//! decides for the file. The report types here are always there, so a
//! [`crate::VerifyReport`] has the same shape in every build.
//!
//! The manifest [`embed`] writes: `claim_generator_info` sladd and its
//! version; the original recording as the `parentOf` ingredient (its title,
//! format, and SHA-256 in the ingredient's metadata as `no.sladd.sha256`); a
//! `c2pa.opened` action on it (C2PA requires the first action to be
//! `c2pa.opened` or `c2pa.created`), then a `c2pa.edited` action by sladd
//! whose `changes` are the masked regions ([`regions`]): per run of frames
//! under one decision, each masked zone as a polygon in percent of the
//! picture with the run's frame range and, when the start is known, its
//! time range; and sladd's evidence manifest as the custom assertion
//! [`MANIFEST_ASSERTION`], without its `output` entry (the C2PA hard binding,
//! `c2pa.hash.bmff`, covers the output's bytes instead).
//!
//! `c2pa.redacted` is never used: in C2PA it names the removal of an
//! assertion from an earlier manifest, not the masking of pixels.

#[cfg(feature = "c2pa")]
mod credentials;
#[cfg(feature = "c2pa")]
mod embed;
#[cfg(feature = "c2pa")]
mod read;
#[cfg(feature = "c2pa")]
mod regions;

use serde::Serialize;

#[cfg(feature = "c2pa")]
pub use ::c2pa::assertions::region_of_interest::RegionOfInterest;
#[cfg(feature = "c2pa")]
pub use credentials::Credentials;
#[cfg(feature = "c2pa")]
pub use embed::{embed, Provenance};
#[cfg(feature = "c2pa")]
pub use read::{check, read, ContentCredentials};
#[cfg(feature = "c2pa")]
pub use regions::regions;

/// The label of the assertion holding sladd's evidence manifest.
pub const MANIFEST_ASSERTION: &str = "no.sladd.manifest";

/// The media type of a container C2PA manifests are embedded in, by the
/// file's extension: MP4 (`.mp4`, `.m4v`) and MOV.
#[must_use]
pub fn format_of(path: &std::path::Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "mp4" | "m4v" => Some("video/mp4"),
        "mov" => Some("video/quicktime"),
        _ => None,
    }
}

/// How far an embedded manifest holds, as C2PA defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Malformed, or an integrity check failed (the codes say which).
    Invalid,
    /// Well-formed, and every hash and signature checks; the signer is not
    /// known to be trusted.
    Valid,
    /// Valid, and the signer's chain ends at a given trust anchor.
    Trusted,
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::Invalid => "invalid",
            Self::Valid => "valid",
            Self::Trusted => "trusted",
        })
    }
}

/// One validation code of the active manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    /// The C2PA code, e.g. `assertion.bmffHash.mismatch`.
    pub code: String,
    /// The SDK's explanation.
    pub explanation: String,
}

/// The C2PA check of a verification: what the embedded manifest says and
/// whether it holds.
#[derive(Debug, Clone, Serialize)]
pub struct C2paReport {
    /// The validation state.
    pub state: State,
    /// Whether trust anchors were given (else trust is not judged, and an
    /// untrusted signer is not a failure).
    pub trust_anchors: bool,
    /// The failure codes.
    pub failures: Vec<Code>,
    /// The claim generator, `name version`.
    pub claim_generator: Option<String>,
    /// The signing certificate's common name (else its issuer).
    pub signer: Option<String>,
    /// The actions, in order.
    pub actions: Vec<String>,
    /// Regions of interest in the `c2pa.edited` action.
    pub regions: usize,
    /// Whether they equal what the policy decides for this file.
    pub regions_match: bool,
    /// Whether the embedded sladd manifest equals the one beside the file
    /// (without its `output` entry), when there is one.
    pub manifest_matches: Option<bool>,
    /// Whether the check passed.
    pub ok: bool,
    /// What failed, one sentence each.
    pub problems: Vec<String>,
}
