//! Disclosing a window of a camera's footage: to whom it may go, which
//! recordings cover the window (across file boundaries and gaps), and the
//! record of every disclosure (`OUT.disclosure.json`, appended to
//! `disclosure-log.jsonl` beside the site file).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use jiff::Timestamp;
use serde::Serialize;
use sladd_policy::disclosure::{self, Judgment};
use sladd_policy::{Recipient, Severity, Site};

use crate::error::Result;
use crate::journal;
use crate::recording::{Archive, Recording};

/// The disclosure log's file name, beside the site file.
pub const DISCLOSURE_LOG: &str = "disclosure-log.jsonl";

/// The disclosure log of the site file `site_file`.
#[must_use]
pub fn log_path(site_file: &Path) -> PathBuf {
    crate::recording::site_dir(site_file).join(DISCLOSURE_LOG)
}

/// Who an export is for (`--recipient`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientKind {
    /// The police, investigating a crime or an accident (allowed).
    Police,
    /// The person shown, on their request for access (allowed; everyone
    /// else stays masked by the policy).
    DataSubject,
    /// Anyone, with the consent of those shown (allowed with a consent
    /// reference).
    Consent,
    /// A suspect's employer (refused).
    EmployerOfSuspect,
    /// Posting online (refused).
    SocialMedia,
    /// Anyone else (refused).
    Other,
}

impl RecipientKind {
    /// Every kind, in the order of the CLI contract.
    pub const ALL: [Self; 6] = [
        Self::Police,
        Self::DataSubject,
        Self::Consent,
        Self::EmployerOfSuspect,
        Self::SocialMedia,
        Self::Other,
    ];

    /// `police`, `data-subject`, `consent`, `employer-of-suspect`,
    /// `social-media` or `other`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Police => "police",
            Self::DataSubject => "data-subject",
            Self::Consent => "consent",
            Self::EmployerOfSuspect => "employer-of-suspect",
            Self::SocialMedia => "social-media",
            Self::Other => "other",
        }
    }

    /// Whether footage from `site` may go to this recipient: sladd-policy's
    /// disclosure rule. Consent counts only with a reference to where it is
    /// recorded (`consent_ref`).
    #[must_use]
    pub fn judge(self, site: &Site, consent_ref: Option<&str>) -> Judgment {
        match self {
            Self::Police => disclosure::judge(site, Recipient::Police, None, None),
            Self::DataSubject => disclosure::judge(site, Recipient::DataSubject, None, None),
            Self::Consent => match consent_ref.map(str::trim).filter(|r| !r.is_empty()) {
                Some(_) => disclosure::judge(site, Recipient::Other, Some(true), None),
                None => Judgment {
                    allowed: false,
                    severity: Severity::Violation,
                    rule: sladd_policy::Rule::Disclose,
                    ground: "a disclosure on consent needs a reference to the recorded consent (--consent-ref)".to_owned(),
                },
            },
            Self::EmployerOfSuspect => disclosure::judge(site, Recipient::Employer, None, None),
            Self::SocialMedia => disclosure::judge(site, Recipient::SocialMedia, None, None),
            Self::Other => disclosure::judge(site, Recipient::Other, None, None),
        }
    }
}

impl fmt::Display for RecipientKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RecipientKind {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown recipient '{s}' (one of {})",
                    Self::ALL.map(Self::name).join(", ")
                )
            })
    }
}

/// The part of one recording an export takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The recording.
    pub recording: Recording,
    /// The first instant taken (frames at or after it).
    pub from: Timestamp,
    /// The end of what is taken (frames before it).
    pub to: Timestamp,
}

/// A time range with no footage in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// Where the gap starts.
    pub from: Timestamp,
    /// Where it ends.
    pub to: Timestamp,
}

/// The recordings that cover a window, in time order, and what they miss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The pieces, in time order, none overlapping.
    pub pieces: Vec<Piece>,
    /// The ranges of the window no recording covers.
    pub gaps: Vec<Gap>,
    /// Recordings of the camera whose age is unknown: never disclosed.
    pub unknown_age: Vec<PathBuf>,
}

/// Which of `camera`'s recordings cover the window `from..to` (frames at
/// `from` or later and before `to`). Where two recordings overlap, the one
/// that starts first gives the frames.
#[must_use]
pub fn cover(archive: &Archive, camera: &str, from: Timestamp, to: Timestamp) -> Coverage {
    let mine: Vec<&Recording> = archive
        .recordings
        .iter()
        .filter(|r| r.camera == camera)
        .collect();
    let unknown_age = mine
        .iter()
        .filter(|r| r.span().is_none())
        .map(|r| r.path.clone())
        .collect();
    let mut dated: Vec<(&Recording, Timestamp, Timestamp)> = mine
        .iter()
        .filter_map(|r| r.span().map(|(s, e)| (*r, s, e)))
        .filter(|(_, s, e)| *s < to && *e > from)
        .collect();
    dated.sort_by_key(|(r, s, _)| (*s, r.path.clone()));
    let mut pieces = Vec::new();
    let mut gaps = Vec::new();
    let mut cursor = from;
    for (recording, start, end) in dated {
        if end <= cursor {
            continue;
        }
        if start > cursor {
            gaps.push(Gap {
                from: cursor,
                to: start,
            });
        }
        let piece_from = start.max(cursor);
        let piece_to = end.min(to);
        pieces.push(Piece {
            recording: recording.clone(),
            from: piece_from,
            to: piece_to,
        });
        cursor = piece_to;
    }
    if cursor < to {
        gaps.push(Gap { from: cursor, to });
    }
    Coverage {
        pieces,
        gaps,
        unknown_age,
    }
}

/// A file an export read or wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRef {
    /// The path.
    pub path: PathBuf,
    /// The SHA-256 of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

impl FileRef {
    /// The reference of the file at `path`.
    ///
    /// # Errors
    /// [`crate::Error::Io`] when it cannot be read.
    pub fn of(path: &Path) -> Result<Self> {
        let (sha256, bytes) = journal::sha256_file(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            sha256,
            bytes,
        })
    }
}

/// One recording an export took frames from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The recording, its hash and size.
    #[serde(flatten)]
    pub file: FileRef,
    /// Its recorded span.
    pub start: Timestamp,
    /// The end of its recorded span.
    pub end: Timestamp,
    /// The part of it taken.
    pub used_from: Timestamp,
    /// The end of the part taken.
    pub used_to: Timestamp,
    /// Frames taken from it.
    pub frames: u64,
}

/// The window of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// First instant.
    pub from: Timestamp,
    /// End (exclusive).
    pub to: Timestamp,
}

/// The record of one disclosure (`OUT.disclosure.json` and a line of
/// `disclosure-log.jsonl`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureRecord {
    /// Always `sladd-disclosure`.
    pub format: &'static str,
    /// The record's version, 1.
    pub version: u32,
    /// The sladd that exported.
    pub sladd_version: &'static str,
    /// When the export was made.
    pub exported_at: Timestamp,
    /// The recipient kind.
    pub recipient: RecipientKind,
    /// The legal ground, in words.
    pub legal_ground: String,
    /// The rule that allowed it.
    pub rule: String,
    /// `info`, or `warning` when it needs a manual review first.
    pub severity: Severity,
    /// The case it is for.
    pub case: Option<String>,
    /// Who exported.
    pub operator: Option<String>,
    /// Where the consent is recorded (for `consent`).
    pub consent_ref: Option<String>,
    /// The camera.
    pub camera: String,
    /// The window asked for.
    pub window: Window,
    /// Ranges of the window no recording covers.
    pub gaps: Vec<Gap>,
    /// The recordings the frames came from.
    pub sources: Vec<Source>,
    /// The exported video.
    pub output: FileRef,
    /// Its evidence manifest.
    pub manifest: PathBuf,
    /// Frames exported.
    pub frames: u64,
    /// The site file, as given, and its SHA-256.
    pub config: FileRef,
}

/// Where the record of the export `output` goes: `OUTPUT.disclosure.json`.
#[must_use]
pub fn record_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".disclosure.json");
    PathBuf::from(name)
}

/// Writes `record` beside its output (whole or not at all), then appends
/// it to the disclosure log `log`, synced.
///
/// # Errors
/// [`crate::Error::Io`]; when the log cannot be written the record beside
/// the output is removed again.
pub fn write_record(record: &DisclosureRecord, log: &Path) -> Result<PathBuf> {
    let path = record_path(&record.output.path);
    let mut text = serde_json::to_string_pretty(record)?;
    text.push('\n');
    journal::write_whole(&path, text.as_bytes())?;
    if let Err(e) = journal::append(log, record) {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(path)
}
