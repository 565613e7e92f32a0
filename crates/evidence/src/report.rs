//! What a verification found: per-frame findings, per-check summaries, the
//! verdict, and the tally that builds them from [`Outcome`]s frame by frame.
//!
//! [`Tally`] is independent of how frames are decoded: `verify_files` (with
//! the `ffmpeg` feature) feeds it, and so can a caller that decodes both
//! videos itself and pairs them with [`crate::Alignment`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use jiff::Timestamp;
use serde::Serialize;
use sladd_core::{PixelFormat, Style};

use crate::c2pa::C2paReport;
use crate::check::{Check, Limits, Measure, Outcome};
use crate::manifest::{ManifestField, Mismatch, StartSource};
use crate::signature::SignatureReport;

/// Failed frames listed in [`VerifyReport::failures`] at most.
pub const LISTED: usize = 100;

/// Whether a redaction passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every frame is redacted as the policy says and every file-level check passed.
    Pass,
    /// Something failed; see the findings.
    Fail,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
        })
    }
}

/// A frame's place in its file: its index and its time in seconds from the
/// start of the video stream.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameAt {
    /// 0-based index in decoding order.
    pub index: u64,
    /// Presentation time in seconds.
    pub seconds: f64,
}

/// One failed (or the worst) frame, or a file-level finding.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The original's frame index (`null` for file-level findings).
    pub frame: Option<u64>,
    /// The redacted file's frame index, when there is one.
    pub redacted_frame: Option<u64>,
    /// The frame's time in seconds from the start of the original.
    pub seconds: Option<f64>,
    /// What was checked.
    pub check: Check,
    /// The plane (0 luma, 1–2 chroma).
    pub plane: Option<usize>,
    /// The masked layer's style.
    #[serde(serialize_with = "style_text")]
    pub style: Option<Style>,
    /// The zones masked at that instant, as `name (RULE)`.
    pub zones: Vec<String>,
    /// Where (luma pixels) the worst sample is: column …
    pub x: Option<u32>,
    /// … and row.
    pub y: Option<u32>,
    /// The figure …
    pub value: Option<f64>,
    /// … and its limit.
    pub limit: Option<f64>,
    /// Whether this is a failure.
    pub failed: bool,
    /// One sentence.
    pub message: String,
    /// How far past its limit the figure is (ranks the worst finding).
    #[serde(skip)]
    pub severity: f64,
}

impl Finding {
    /// A failed file-level finding (it outranks every frame).
    #[must_use]
    pub fn file(check: Check, message: String) -> Self {
        Self {
            frame: None,
            redacted_frame: None,
            seconds: None,
            check,
            plane: None,
            style: None,
            zones: Vec::new(),
            x: None,
            y: None,
            value: None,
            limit: None,
            failed: true,
            message,
            severity: f64::MAX,
        }
    }
}

impl From<Mismatch> for Finding {
    fn from(m: Mismatch) -> Self {
        Self::file(Check::Manifest, m.message)
    }
}

/// Per check: frames checked, failed, the worst figure.
#[derive(Debug, Clone, Serialize)]
pub struct CheckSummary {
    /// The check.
    pub check: Check,
    /// Frames it looked at.
    pub frames: u64,
    /// Frames it failed.
    pub failed_frames: u64,
    /// The figure closest to (or furthest past) its limit …
    pub worst_value: f64,
    /// … and that limit.
    pub limit: f64,
    #[serde(skip)]
    worst_severity: f64,
}

/// Audio in the redacted file against the policy.
#[derive(Debug, Clone, Serialize)]
pub struct AudioReport {
    /// Audio streams of the original.
    pub original_streams: usize,
    /// Audio streams of the redaction.
    pub redacted_streams: usize,
    /// Whether the policy allows audio on this camera.
    pub allowed: bool,
    /// Whether the redaction keeps to it.
    pub ok: bool,
}

/// The manifest's checks.
#[derive(Debug, Clone, Serialize)]
pub struct ManifestReport {
    /// The manifest.
    pub path: PathBuf,
    /// Whether every check passed.
    pub ok: bool,
    /// What was checked.
    pub checked: Vec<ManifestField>,
}

/// The whole verification of one redacted file.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// What was verified, against what.
    #[serde(flatten)]
    pub header: Header,
    /// Frames of the original.
    pub frames: u64,
    /// Frames of the redaction.
    pub redacted_frames: u64,
    /// Frames that failed (including missing and extra ones).
    pub failed_frames: u64,
    /// Largest difference between paired frames' timestamps, seconds.
    pub max_time_offset: f64,
    /// Pass or fail.
    pub verdict: Verdict,
    /// The first failure (file-level first), if any.
    pub first: Option<Finding>,
    /// The worst failure, or the frame closest to a limit when nothing failed.
    pub worst: Option<Finding>,
    /// Per check, in [`Check`] order.
    pub checks: Vec<CheckSummary>,
    /// The audio check.
    pub audio: AudioReport,
    /// The manifest's checks, when a manifest was given.
    pub manifest: Option<ManifestReport>,
    /// When the two files differ in pixel format or range: what both were
    /// converted to for the checks.
    pub converted: Option<String>,
    /// One line per video stream of the redaction besides the main one,
    /// checked as the main one is against the original's stream of its
    /// size (absent: none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub substreams: Vec<String>,
    /// The manifest's signature, when a key to check it was given.
    pub signature: Option<SignatureReport>,
    /// The C2PA manifest embedded in the redacted file, when it has one.
    pub c2pa: Option<C2paReport>,
    /// File-level failures and the worst check of each failed frame (the
    /// first [`LISTED`]).
    pub failures: Vec<Finding>,
    /// The limits checked against.
    pub limits: Limits,
}

/// What a report names beside its tallies: the files, the camera and the
/// settings verified with.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// The original video.
    pub original: PathBuf,
    /// Its redaction.
    pub redacted: PathBuf,
    /// The camera it was decided as.
    pub camera: String,
    /// The site file.
    pub config: PathBuf,
    /// SHA-256 of the site file's canonical form (current version).
    pub config_sha256: String,
    /// The original's start as the decoder took it (`--start`, else its
    /// `creation_time`), if known.
    pub start: Option<Timestamp>,
    /// Where the start used came from.
    pub start_source: StartSource,
    /// The default style verified against.
    #[serde(serialize_with = "style_text_always")]
    pub style: Style,
}

/// The tallies of one verification, fed frame by frame.
#[derive(Debug, Default)]
pub struct Tally {
    original_frames: u64,
    redacted_frames: u64,
    failed_frames: u64,
    max_offset: f64,
    first: Option<Finding>,
    worst: Option<Finding>,
    failures: Vec<Finding>,
    checks: BTreeMap<Check, CheckSummary>,
}

impl Tally {
    /// An empty tally.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Frames of the redaction seen so far.
    #[must_use]
    pub fn redacted_frames(&self) -> u64 {
        self.redacted_frames
    }

    /// Frames of the original seen so far.
    #[must_use]
    pub fn original_frames(&self) -> u64 {
        self.original_frames
    }

    /// Frames that failed a check so far.
    #[must_use]
    pub fn failed_frames(&self) -> u64 {
        self.failed_frames
    }

    /// The first failure, when there is one.
    #[must_use]
    pub fn first_failure(&self) -> Option<&Finding> {
        self.first.as_ref().filter(|f| f.failed)
    }

    /// An original frame the redacted file lacks.
    pub fn missing(&mut self, original: FrameAt) {
        self.original_frames += 1;
        self.fail(Finding {
            frame: Some(original.index),
            seconds: Some(original.seconds),
            ..Finding::file(
                Check::MissingFrame,
                format!(
                    "original frame {} at {:.3} s has no frame in the redacted file",
                    original.index, original.seconds
                ),
            )
        });
    }

    /// A redacted frame without an original one.
    pub fn extra(&mut self, redacted: FrameAt) {
        self.redacted_frames += 1;
        self.fail(Finding {
            redacted_frame: Some(redacted.index),
            seconds: Some(redacted.seconds),
            ..Finding::file(
                Check::ExtraFrame,
                format!(
                    "redacted frame {} at {:.3} s has no frame in the original",
                    redacted.index, redacted.seconds
                ),
            )
        });
    }

    /// A pair of frames shown at the same time whose formats or sizes differ.
    pub fn mismatch(
        &mut self,
        original: FrameAt,
        redacted: FrameAt,
        formats: [(PixelFormat, u32, u32); 2],
    ) {
        self.paired(original, redacted);
        let [(fo, wo, ho), (fr, wr, hr)] = formats;
        self.fail(Finding {
            frame: Some(original.index),
            redacted_frame: Some(redacted.index),
            seconds: Some(original.seconds),
            ..Finding::file(
                Check::Format,
                format!(
                    "frame {}: the original is {} {wo}x{ho}, the redaction {} {wr}x{hr}",
                    original.index,
                    fo.name(),
                    fr.name()
                ),
            )
        });
    }

    /// A pair of frames shown at the same time, checked: `outcomes` from
    /// [`crate::FrameChecker::check`], `zones` masked at that instant.
    pub fn frame(
        &mut self,
        original: FrameAt,
        redacted: FrameAt,
        outcomes: &[Outcome],
        zones: &[String],
    ) {
        self.paired(original, redacted);
        let mut frame_failed = false;
        let mut frame_worst: Option<&Outcome> = None;
        let mut seen: Vec<Check> = Vec::new();
        let mut failed_checks: Vec<Check> = Vec::new();
        for outcome in outcomes {
            let m = &outcome.measure;
            let entry = self.checks.entry(outcome.check).or_insert(CheckSummary {
                check: outcome.check,
                frames: 0,
                failed_frames: 0,
                worst_value: m.value,
                limit: m.limit,
                worst_severity: f64::MIN,
            });
            if !seen.contains(&outcome.check) {
                entry.frames += 1;
                seen.push(outcome.check);
            }
            if !m.passed() {
                if !failed_checks.contains(&outcome.check) {
                    entry.failed_frames += 1;
                    failed_checks.push(outcome.check);
                }
                frame_failed = true;
            }
            if m.severity() > entry.worst_severity {
                entry.worst_severity = m.severity();
                entry.worst_value = m.value;
                entry.limit = m.limit;
            }
            if frame_worst.is_none_or(|w| m.severity() > w.measure.severity()) {
                frame_worst = Some(outcome);
            }
        }
        let Some(worst) = frame_worst else {
            return;
        };
        let finding = Finding {
            frame: Some(original.index),
            redacted_frame: Some(redacted.index),
            seconds: Some(original.seconds),
            check: worst.check,
            plane: Some(worst.plane),
            style: worst.style,
            zones: zones.to_vec(),
            x: Some(worst.measure.x),
            y: Some(worst.measure.y),
            value: Some(finite(worst.measure.value)),
            limit: Some(worst.measure.limit),
            failed: frame_failed,
            message: describe(worst, original.index),
            severity: worst.measure.severity(),
        };
        if frame_failed {
            self.fail(finding);
        } else if self
            .worst
            .as_ref()
            .is_none_or(|w| !w.failed && finding.severity > w.severity)
        {
            self.worst = Some(finding);
        }
    }

    /// The report: `file_findings` (audio, manifest) first, then the frames.
    #[must_use]
    pub fn finish(
        self,
        header: Header,
        limits: Limits,
        audio: AudioReport,
        manifest: Option<ManifestReport>,
        file_findings: Vec<Finding>,
    ) -> VerifyReport {
        let mut failures = file_findings;
        let file_failures = failures.len();
        failures.extend(self.failures.into_iter().take(LISTED));
        let failed = file_failures > 0 || self.failed_frames > 0;
        let first = failures
            .iter()
            .find(|f| f.frame.is_none())
            .or(self.first.as_ref())
            .cloned();
        let worst = self
            .worst
            .clone()
            .filter(|w| w.failed)
            .or_else(|| failures.iter().find(|f| f.frame.is_none()).cloned())
            .or(self.worst);
        VerifyReport {
            header,
            frames: self.original_frames,
            redacted_frames: self.redacted_frames,
            failed_frames: self.failed_frames,
            max_time_offset: self.max_offset,
            verdict: if failed { Verdict::Fail } else { Verdict::Pass },
            first,
            worst,
            checks: self.checks.into_values().collect(),
            audio,
            manifest,
            converted: None,
            substreams: Vec::new(),
            signature: None,
            c2pa: None,
            failures,
            limits,
        }
    }

    fn paired(&mut self, original: FrameAt, redacted: FrameAt) {
        self.original_frames += 1;
        self.redacted_frames += 1;
        self.max_offset = self
            .max_offset
            .max((redacted.seconds - original.seconds).abs());
    }

    fn fail(&mut self, finding: Finding) {
        self.failed_frames += 1;
        if self.first.is_none() {
            self.first = Some(finding.clone());
        }
        if self
            .worst
            .as_ref()
            .is_none_or(|w| finding.severity > w.severity)
        {
            self.worst = Some(finding.clone());
        }
        self.failures.push(finding);
    }
}

/// PSNR of identical samples is infinite; JSON has no infinity: 100 dB.
#[must_use]
pub fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        100.0
    }
}

/// One sentence on a check's figures.
fn describe(outcome: &Outcome, frame: u64) -> String {
    let Measure {
        value,
        limit,
        x,
        y,
        extra,
        ..
    } = outcome.measure;
    let verdict = if outcome.measure.passed() {
        "ok"
    } else {
        "FAILED"
    };
    let plane = match outcome.plane {
        0 => "luma",
        _ => "chroma",
    };
    let check = outcome.check;
    match (check, extra) {
        (Check::Outside, _) => format!(
            "frame {frame}: outside the masks PSNR {:.1} dB (limit {limit:.0} dB), largest difference at ({x}, {y}): {verdict}",
            finite(value)
        ),
        (Check::Blur, Some((corr, corr_limit))) => format!(
            "frame {frame}: blur on {plane}: detail {value:.2} (limit {limit:.2}), correlation with the original {corr:.2} (limit {corr_limit:.2}), most detail at ({x}, {y}): {verdict}"
        ),
        (_, Some((max, max_limit))) => format!(
            "frame {frame}: {check} on {plane}: 99th percentile deviation {value:.0} (limit {limit:.0}), largest {max:.0} (limit {max_limit:.0}) at ({x}, {y}): {verdict}"
        ),
        (_, None) => format!("frame {frame}: {check} {value:.2} (limit {limit:.2}): {verdict}"),
    }
}

fn style_text<S: serde::Serializer>(style: &Option<Style>, s: S) -> Result<S::Ok, S::Error> {
    match style {
        Some(style) => s.collect_str(style),
        None => s.serialize_none(),
    }
}

fn style_text_always<S: serde::Serializer>(style: &Style, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(style)
}
