//! Whether a planned file is already redacted: the check that makes a
//! sharded batch exactly-once and resumable.
//!
//! A file is done only when its evidence manifest exists and says that the
//! file under the output name is the one this plan's redaction wrote: the
//! output's SHA-256 matches, the input is the planned one (its size, and
//! its SHA-256 when the plan took it), and the manifest names this plan and
//! this site configuration. Anything else under the output name (a file cut
//! short when its worker was killed between renaming the output and its
//! manifest, a file of another run or another plan, a file someone put
//! there) is redone and replaced, never trusted.

use std::fmt;
use std::path::Path;

use crate::digest::sha256_file;
use crate::error::Result;
use crate::plan::{Plan, PlannedFile};

/// What an output's evidence manifest records, as far as done-ness goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// SHA-256 of the output it describes.
    pub output_sha256: String,
    /// The input's size.
    pub input_bytes: u64,
    /// The input's SHA-256.
    pub input_sha256: String,
    /// SHA-256 of the canonical site configuration.
    pub site_sha256: String,
    /// The plan the output was redacted for, when it was part of one.
    pub plan_sha256: Option<String>,
}

/// Why a planned file must be (re)done.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Redo {
    /// Nothing is under the output name.
    NoOutput,
    /// A file is under the output name but has no manifest: a partial or
    /// foreign file.
    NoManifest,
    /// The manifest cannot be read.
    BadManifest(String),
    /// The manifest is of another plan (or of no plan).
    OtherPlan,
    /// The manifest is of another site configuration.
    OtherSite,
    /// The manifest is of another input.
    OtherInput,
    /// The file under the output name is not the one the manifest describes.
    OutputChanged,
}

impl fmt::Display for Redo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoOutput => f.write_str("no output yet"),
            Self::NoManifest => {
                f.write_str("the file under the output name has no manifest (partial or foreign)")
            }
            Self::BadManifest(why) => write!(f, "its manifest cannot be read: {why}"),
            Self::OtherPlan => f.write_str("its manifest is of another plan"),
            Self::OtherSite => f.write_str("its manifest is of another site configuration"),
            Self::OtherInput => f.write_str("its manifest is of another input"),
            Self::OutputChanged => {
                f.write_str("the file under the output name is not the one its manifest describes")
            }
        }
    }
}

/// The verdict on one planned file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Redacted by this plan; the output's SHA-256.
    Done(String),
    /// To be redone, and why.
    Redo(Redo),
}

/// Judges the planned `file`, whose output is at `output`, given what its
/// manifest says (`None`: no manifest; `Some(Err)`: one that cannot be
/// read). The output is hashed only when everything else matches.
///
/// # Errors
/// [`crate::Error::Io`] when the output exists but cannot be read.
pub fn judge(
    plan: &Plan,
    file: &PlannedFile,
    output: &Path,
    receipt: Option<std::result::Result<Receipt, String>>,
) -> Result<Status> {
    let redo = |why| Ok(Status::Redo(why));
    if !output.is_file() {
        return redo(Redo::NoOutput);
    }
    let receipt = match receipt {
        None => return redo(Redo::NoManifest),
        Some(Err(why)) => return redo(Redo::BadManifest(why)),
        Some(Ok(r)) => r,
    };
    if receipt.plan_sha256.as_deref() != Some(plan.plan_sha256.as_str()) {
        return redo(Redo::OtherPlan);
    }
    if receipt.site_sha256 != plan.site.sha256 {
        return redo(Redo::OtherSite);
    }
    let same_input = receipt.input_bytes == file.bytes
        && file
            .sha256
            .as_ref()
            .is_none_or(|h| *h == receipt.input_sha256);
    if !same_input {
        return redo(Redo::OtherInput);
    }
    let (actual, _) = sha256_file(output)?;
    if actual != receipt.output_sha256 {
        return redo(Redo::OutputChanged);
    }
    Ok(Status::Done(actual))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::sha256_hex;
    use crate::plan::{Settings, Site, Totals};

    fn plan() -> Plan {
        Plan {
            format: crate::plan::FORMAT.into(),
            version: crate::plan::VERSION,
            sladd_version: "0.1.0".into(),
            site: Site {
                path: "site.toml".into(),
                sha256: "5".repeat(64),
            },
            settings: Settings {
                style: "fill:#000000".into(),
                audio: "policy".into(),
                on_corrupt: "stop".into(),
                preset: "veryfast".into(),
                crf: None,
                start: None,
            },
            out_dir: "out".into(),
            shards: None,
            hashed_inputs: false,
            totals: Totals {
                files: 1,
                bytes: 10,
                seconds: 1.0,
            },
            files: vec![PlannedFile {
                input: "a.mp4".into(),
                output: "out/a.mp4".into(),
                camera: "kasse-1".into(),
                bytes: 10,
                mtime: None,
                duration: Some(1.0),
                probe_error: None,
                sha256: None,
                shard: None,
            }],
            plan_sha256: "p".repeat(64),
        }
    }

    fn receipt(output: &[u8]) -> Receipt {
        Receipt {
            output_sha256: sha256_hex(output),
            input_bytes: 10,
            input_sha256: "i".repeat(64),
            site_sha256: "5".repeat(64),
            plan_sha256: Some("p".repeat(64)),
        }
    }

    #[test]
    fn done_only_when_every_hash_matches() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.mp4");
        let plan = plan();
        let file = &plan.files[0];
        let verdict = |r| judge(&plan, file, &out, r).unwrap();
        assert_eq!(
            verdict(Some(Ok(receipt(b"video")))),
            Status::Redo(Redo::NoOutput)
        );
        std::fs::write(&out, b"video").unwrap();
        assert_eq!(
            verdict(Some(Ok(receipt(b"video")))),
            Status::Done(sha256_hex(b"video"))
        );
        assert_eq!(verdict(None), Status::Redo(Redo::NoManifest));
        assert!(matches!(
            verdict(Some(Err("bad".into()))),
            Status::Redo(Redo::BadManifest(_))
        ));
        // A file cut short, or replaced, under a manifest of the real one.
        std::fs::write(&out, b"vid").unwrap();
        assert_eq!(
            verdict(Some(Ok(receipt(b"video")))),
            Status::Redo(Redo::OutputChanged)
        );
        std::fs::write(&out, b"video").unwrap();
        let mut r = receipt(b"video");
        r.plan_sha256 = None;
        assert_eq!(verdict(Some(Ok(r))), Status::Redo(Redo::OtherPlan));
        let mut r = receipt(b"video");
        r.site_sha256 = "6".repeat(64);
        assert_eq!(verdict(Some(Ok(r))), Status::Redo(Redo::OtherSite));
        let mut r = receipt(b"video");
        r.input_bytes = 11;
        assert_eq!(verdict(Some(Ok(r))), Status::Redo(Redo::OtherInput));
    }

    #[test]
    fn a_hashed_plan_compares_the_input_hash() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.mp4");
        std::fs::write(&out, b"video").unwrap();
        let mut plan = plan();
        plan.files[0].sha256 = Some("j".repeat(64));
        let file = plan.files[0].clone();
        let status = judge(&plan, &file, &out, Some(Ok(receipt(b"video")))).unwrap();
        assert_eq!(status, Status::Redo(Redo::OtherInput));
        plan.files[0].sha256 = Some("i".repeat(64));
        let file = plan.files[0].clone();
        let status = judge(&plan, &file, &out, Some(Ok(receipt(b"video")))).unwrap();
        assert!(matches!(status, Status::Done(_)));
    }
}
