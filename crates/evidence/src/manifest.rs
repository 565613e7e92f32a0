//! The evidence manifest: `OUTPUT.manifest.json` beside every redacted
//! video, binding it to its input, the site configuration and the
//! decisions taken.
//!
//! It records the SHA-256 of input and output, of the canonical config
//! ([`crate::canonical`]) and of the config file's bytes, the sladd
//! version, the camera, the recording's start and where it came from, and
//! per run of frames the zones masked and the rules that decided. The
//! format is published as a JSON Schema (`docs/manifest.schema.json`).
//!
//! **Versions.** Version 2 hashes the config's RFC 8785 form; version 1
//! (sladd 0.1's first manifests) an earlier canonical form. This library
//! writes version 2 and reads both, checking each with its own hash.
//!
//! **Signatures.** A detached signature ([`crate::signature`], in
//! `OUTPUT.manifest.json.sig`) covers [`Manifest::canonical_bytes`]: the
//! manifest as RFC 8785 JSON, so it does not depend on how the file is
//! indented.

use std::fmt;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sladd_core::Style;
use sladd_policy::DecisionSpan;

use crate::canonical::{canonical_config_for, jcs};
use crate::digest::{sha256_file, sha256_hex};
use crate::error::{Error, Result};
use crate::input_signature::FoundSignature;

/// The manifest's `format` value.
pub const FORMAT: &str = "sladd-redaction-manifest";

/// A version of the manifest format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Version {
    /// The first manifests: the config hashed in a sladd-specific canonical form.
    V1,
    /// The config hashed in its RFC 8785 (JCS) form.
    V2,
}

impl Version {
    /// The version this library writes.
    pub const CURRENT: Self = Self::V2;
    /// Every version this library reads.
    pub const READ: [Self; 2] = [Self::V1, Self::V2];

    /// The version's number in the manifest.
    #[must_use]
    pub const fn number(self) -> u32 {
        match self {
            Self::V1 => 1,
            Self::V2 => 2,
        }
    }

    /// The version with this number, if this library reads it.
    #[must_use]
    pub fn from_number(number: u32) -> Option<Self> {
        Self::READ.into_iter().find(|v| v.number() == number)
    }

    /// The numbers read, for messages: `1, 2`.
    pub(crate) fn supported() -> String {
        Self::READ
            .iter()
            .map(|v| v.number().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.number())
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let number = u32::deserialize(d)?;
        Self::from_number(number)
            .ok_or_else(|| serde::de::Error::custom(format!("unsupported version {number}")))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// Where the recording's start came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartSource {
    /// Given by the operator (`--start`).
    Option,
    /// The container's `creation_time`.
    CreationTime,
    /// Established from the archive as the site file's `recorded_at` says
    /// (`sladd export`).
    RecordedAt,
    /// Not known: every time-dependent rule took its most protective branch.
    Unknown,
}

impl StartSource {
    /// Where a start came from, given the operator's and the container's.
    #[must_use]
    pub fn of(given: Option<Timestamp>, container: Option<Timestamp>) -> Self {
        match (given, container) {
            (Some(_), _) => Self::Option,
            (None, Some(_)) => Self::CreationTime,
            (None, None) => Self::Unknown,
        }
    }

    /// The manifest's spelling.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Option => "option",
            Self::CreationTime => "creation_time",
            Self::RecordedAt => "recorded_at",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for StartSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// What became of the input's audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audio {
    /// The input had audio; the output has none.
    Stripped,
    /// The input's audio was copied.
    Copied,
    /// The input had no audio.
    None,
}

impl Audio {
    /// The manifest's spelling: `stripped`, `copied`, `none`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Stripped => "stripped",
            Self::Copied => "copied",
            Self::None => "none",
        }
    }
}

#[cfg(feature = "ffmpeg")]
impl From<sladd_ffmpeg::AudioOutcome> for Audio {
    fn from(a: sladd_ffmpeg::AudioOutcome) -> Self {
        match a {
            sladd_ffmpeg::AudioOutcome::Stripped => Self::Stripped,
            sladd_ffmpeg::AudioOutcome::Copied => Self::Copied,
            sladd_ffmpeg::AudioOutcome::None => Self::None,
        }
    }
}

/// One file the manifest names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// The path as given to `sladd redact`.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// The file's size in bytes.
    pub bytes: u64,
}

impl FileEntry {
    /// The entry of the file at `path`: its SHA-256 and size.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read.
    pub fn of(path: &Path) -> Result<Self> {
        Self::named(path, path)
    }

    /// The entry of the file at `read`, recorded under the name `path` (an
    /// output still under its temporary name).
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read.
    pub fn named(read: &Path, path: &Path) -> Result<Self> {
        let (sha256, bytes) = sha256_file(read)?;
        Ok(Self {
            path: path.to_owned(),
            sha256,
            bytes,
        })
    }
}

/// The site configuration the manifest names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigEntry {
    /// The path as given to `sladd redact`.
    pub path: PathBuf,
    /// SHA-256 of the canonical form ([`crate::canonical`]): the same for
    /// every spelling of the same configuration.
    pub sha256: String,
    /// SHA-256 of the file's bytes as they were.
    pub file_sha256: String,
}

impl ConfigEntry {
    /// The entry of the site file at `path`, hashed as manifests of
    /// `version` do.
    ///
    /// # Errors
    /// As [`crate::canonical_config`].
    pub fn of(path: &Path, version: Version) -> Result<Self> {
        Ok(Self {
            path: path.to_owned(),
            sha256: sha256_hex(canonical_config_for(path, version)?.as_bytes()),
            file_sha256: sha256_file(path)?.0,
        })
    }
}

/// One run of frames under one decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// First frame of the run (0-based, in decoding order of the input).
    pub first_frame: u64,
    /// Last frame of the run.
    pub last_frame: u64,
    /// The first frame's instant, when the start is known.
    pub at: Option<Timestamp>,
    /// Whether the whole frame was masked.
    pub full_frame: bool,
    /// The masked zones as `name (RULE-ID)`.
    pub masked_zones: Vec<String>,
}

impl From<&DecisionSpan> for Span {
    /// The run as the manifest records it.
    fn from(span: &DecisionSpan) -> Self {
        Self {
            first_frame: span.first_frame,
            last_frame: span.last_frame,
            // The masker writes the instant as RFC 3339, which reads back.
            at: span.at.as_deref().and_then(|at| at.parse().ok()),
            full_frame: span.full_frame,
            masked_zones: span.masked_zones.clone(),
        }
    }
}

/// The evidence manifest (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format's version.
    pub version: Version,
    /// The sladd that wrote the output.
    pub sladd_version: String,
    /// The camera the input was redacted as.
    pub camera: String,
    /// The default style for zones without one (`fill:#000000`, `pixelate:24`, `blur:24`).
    #[serde(with = "style_text")]
    pub style: Style,
    /// The recording's start the frames were timed from, if known.
    pub start: Option<Timestamp>,
    /// Where the start came from.
    pub start_source: StartSource,
    /// The input video.
    pub input: FileEntry,
    /// The redacted video.
    pub output: FileEntry,
    /// The site configuration.
    pub config: ConfigEntry,
    /// The video encoder used.
    pub encoder: String,
    /// What became of the audio.
    pub audio: Audio,
    /// Frames written.
    pub frames: u64,
    /// Frames on which something was masked.
    pub masked_frames: u64,
    /// Frames masked entirely.
    pub full_frame_masked: u64,
    /// The decisions, one per run of frames.
    pub decisions: Vec<Span>,
    /// The input's streams the output does not carry, one line each saying
    /// what and why (absent: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped_streams: Vec<String>,
    /// The video streams besides the main one (a camera's substreams at
    /// other resolutions), each masked with the same zones at its own size
    /// and its frames decided at their own instants (absent: none). The
    /// decisions above are the main stream's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masked_substreams: Vec<MaskedSubstream>,
    /// The batch plan the output was redacted for, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchEntry>,
    /// The camera signatures found in the input's SEI messages (ONVIF Media
    /// Signing, Axis Signed Video; empty when there are none). Re-encoding
    /// cannot keep them: the input's SHA-256 binds the input instead.
    /// `None` when the input was not scanned (manifests that predate the
    /// scan, window exports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_signatures: Option<Vec<FoundSignature>>,
}

/// A video stream besides the main one, masked and written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaskedSubstream {
    /// Its index among the input's streams.
    pub input_stream: usize,
    /// Its index among the output's streams.
    pub output_stream: usize,
    /// Its coded width in pixels.
    pub width: u32,
    /// Its coded height in pixels.
    pub height: u32,
    /// Frames written.
    pub frames: u64,
    /// Frames on which something was masked.
    pub masked_frames: u64,
    /// Frames masked entirely.
    pub full_frame_masked: u64,
    /// The video encoder used.
    pub encoder: String,
}

/// The batch plan a manifest's output belongs to (`sladd redact --plan`):
/// what makes a rerun of the plan trust the output as done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchEntry {
    /// The plan's `plan_sha256`.
    pub plan_sha256: String,
    /// The shard that redacted it, `I/N`.
    pub shard: String,
}

/// What a redaction did, as the manifest records it; the files it names
/// are hashed by [`Manifest::record`].
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// The camera the input was redacted as.
    pub camera: &'a str,
    /// The default style.
    pub style: Style,
    /// The recording's start the frames were timed from, if known.
    pub start: Option<Timestamp>,
    /// Where it came from.
    pub start_source: StartSource,
    /// The input video.
    pub input: &'a Path,
    /// The redacted video's final name.
    pub output: &'a Path,
    /// Where its bytes are now: its temporary name until it is committed
    /// (`None`: already at `output`).
    pub written: Option<&'a Path>,
    /// The site file.
    pub config: &'a Path,
    /// The video encoder used.
    pub encoder: &'a str,
    /// What became of the audio.
    pub audio: Audio,
    /// Frames written.
    pub frames: u64,
    /// Frames on which something was masked.
    pub masked_frames: u64,
    /// Frames masked entirely.
    pub full_frame_masked: u64,
    /// The decisions, one per run of frames.
    pub decisions: Vec<Span>,
    /// The input's streams the output does not carry, and why.
    pub dropped_streams: Vec<String>,
    /// The camera signatures in the input
    /// ([`crate::input_signature::scan_file`]); `None` when it was not
    /// scanned (a window export of several recordings).
    pub input_signatures: Option<Vec<FoundSignature>>,
}

/// Where the manifest of `output` goes: `OUTPUT.manifest.json`.
#[must_use]
pub fn manifest_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

/// The two keys every version has, read first to refuse other formats by name.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

impl Manifest {
    /// The manifest of a redaction, in the current version: hashes the
    /// input, the output and the config.
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be read; the config's errors as
    /// [`crate::canonical_config`].
    pub fn record(record: Record<'_>) -> Result<Self> {
        Ok(Self {
            format: FORMAT.to_owned(),
            version: Version::CURRENT,
            sladd_version: env!("CARGO_PKG_VERSION").to_owned(),
            camera: record.camera.to_owned(),
            style: record.style,
            start: record.start,
            start_source: record.start_source,
            input: FileEntry::of(record.input)?,
            output: FileEntry::named(record.written.unwrap_or(record.output), record.output)?,
            config: ConfigEntry::of(record.config, Version::CURRENT)?,
            encoder: record.encoder.to_owned(),
            audio: record.audio,
            frames: record.frames,
            masked_frames: record.masked_frames,
            full_frame_masked: record.full_frame_masked,
            decisions: record.decisions,
            dropped_streams: record.dropped_streams,
            masked_substreams: Vec::new(),
            batch: None,
            input_signatures: record.input_signatures,
        })
    }

    /// Hashes the output again from the bytes at `written` (its temporary
    /// name, or its final one), keeping the name the manifest records: for
    /// an output changed after the manifest was recorded, as when C2PA
    /// Content Credentials are embedded into it.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read.
    pub fn rehash_output(&mut self, written: &Path) -> Result<()> {
        let name = std::mem::take(&mut self.output.path);
        self.output = FileEntry::named(written, &name)?;
        Ok(())
    }

    /// Parses a manifest's text; `path` names it in errors.
    ///
    /// # Errors
    /// [`Error::NotAManifest`] for text of another shape,
    /// [`Error::UnsupportedManifest`] for another format or version.
    pub fn from_json(text: &str, path: &Path) -> Result<Self> {
        let not_a_manifest = |source| Error::NotAManifest {
            path: path.to_owned(),
            source,
        };
        let header: Header = serde_json::from_str(text).map_err(not_a_manifest)?;
        if header.format != FORMAT || Version::from_number(header.version).is_none() {
            return Err(Error::UnsupportedManifest {
                path: path.to_owned(),
                format: header.format,
                version: header.version,
            });
        }
        serde_json::from_str(text).map_err(not_a_manifest)
    }

    /// Reads the manifest at `path`.
    ///
    /// # Errors
    /// [`Error::Io`], or as [`Manifest::from_json`].
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        Self::from_json(&text, path)
    }

    /// The manifest as pretty-printed JSON, as it is written.
    #[must_use]
    pub fn to_json(&self) -> String {
        // A manifest holds only strings, integers, booleans and lists.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The manifest as RFC 8785 JSON: the bytes a detached signature covers.
    #[must_use]
    pub fn canonical_bytes(&self) -> Vec<u8> {
        jcs(self).map(String::into_bytes).unwrap_or_default()
    }

    /// The manifest as the file placed at [`manifest_path`] of its output
    /// right after the output itself is committed (feature `ffmpeg`).
    #[cfg(feature = "ffmpeg")]
    #[must_use]
    pub fn companion(&self) -> sladd_ffmpeg::Companion {
        let mut text = self.to_json();
        text.push('\n');
        sladd_ffmpeg::Companion {
            target: manifest_path(&self.output.path),
            contents: text.into_bytes(),
        }
    }

    /// Whether the manifest beside `output` vouches for it: it exists,
    /// reads, and names `output`'s size and SHA-256 (what `--skip-existing`
    /// asks before it trusts an output).
    ///
    /// # Errors
    /// Why it does not, in words.
    pub fn vouches_for(output: &Path) -> std::result::Result<Self, String> {
        let path = manifest_path(output);
        if !path.exists() {
            return Err(format!("it has no manifest ({})", path.display()));
        }
        let manifest = Self::read(&path).map_err(|e| e.to_string())?;
        let actual = FileEntry::of(output).map_err(|e| format!("cannot read it: {e}"))?;
        if (actual.bytes, &actual.sha256) != (manifest.output.bytes, &manifest.output.sha256) {
            return Err(format!(
                "its manifest {} names other contents (SHA-256 {}, the file's is {})",
                path.display(),
                manifest.output.sha256,
                actual.sha256
            ));
        }
        Ok(manifest)
    }

    /// Writes the manifest to [`manifest_path`] of its output: under a
    /// temporary name in the same folder, synced, then renamed into place.
    ///
    /// # Errors
    /// [`Error::Io`] naming the manifest; nothing is left behind.
    pub fn write(&self) -> Result<PathBuf> {
        let target = manifest_path(&self.output.path);
        let mut text = self.to_json();
        text.push('\n');
        crate::atomic::write(&target, text.as_bytes())?;
        Ok(target)
    }
}

/// What a manifest is checked for against the files and the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ManifestField {
    /// The original's SHA-256.
    #[serde(rename = "input sha256")]
    InputSha256,
    /// The redaction's SHA-256.
    #[serde(rename = "output sha256")]
    OutputSha256,
    /// The canonical config's SHA-256.
    #[serde(rename = "config sha256")]
    ConfigSha256,
    /// The camera.
    #[serde(rename = "camera")]
    Camera,
    /// The recording's start.
    #[serde(rename = "start")]
    Start,
    /// The default style.
    #[serde(rename = "style")]
    Style,
    /// The decisions, run by run.
    #[serde(rename = "decisions")]
    Decisions,
    /// The frame count.
    #[serde(rename = "frames")]
    Frames,
    /// The substreams: their streams, sizes and frame counts.
    #[serde(rename = "masked_substreams")]
    Substreams,
}

impl ManifestField {
    /// The checks [`Manifest::check_files`] and [`Settings`](crate::Settings)
    /// make before any frame is decoded.
    pub const BEFORE_FRAMES: [Self; 6] = [
        Self::InputSha256,
        Self::OutputSha256,
        Self::ConfigSha256,
        Self::Camera,
        Self::Start,
        Self::Style,
    ];
    /// The checks [`Manifest::check_decisions`] makes after the last frame.
    pub const AFTER_FRAMES: [Self; 3] = [Self::Decisions, Self::Frames, Self::Substreams];

    /// The report's spelling: `input sha256`, `decisions`, ….
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InputSha256 => "input sha256",
            Self::OutputSha256 => "output sha256",
            Self::ConfigSha256 => "config sha256",
            Self::Camera => "camera",
            Self::Start => "start",
            Self::Style => "style",
            Self::Decisions => "decisions",
            Self::Frames => "frames",
            Self::Substreams => "masked_substreams",
        }
    }
}

impl fmt::Display for ManifestField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A video stream of a redacted file besides the main one, as verifying
/// found it: what [`Manifest::check_substreams`] compares with the
/// manifest's `masked_substreams`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubstreamSeen {
    /// Its index among the redacted file's streams.
    pub index: usize,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// Its frames, when they were decoded (`None`: a stream no original
    /// one could be checked against).
    pub frames: Option<u64>,
}

/// A manifest that does not match the files or the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// What differs.
    pub field: ManifestField,
    /// One sentence naming both values.
    pub message: String,
}

impl Manifest {
    /// Compares the manifest's hashes with the files: the original, the
    /// redaction and the site file (hashed as the manifest's version does).
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be read; the config's errors as
    /// [`crate::canonical_config`].
    pub fn check_files(
        &self,
        original: &Path,
        redacted: &Path,
        config: &Path,
    ) -> Result<Vec<Mismatch>> {
        let input = sha256_file(original)?.0;
        let output = sha256_file(redacted)?.0;
        let config_sha256 = ConfigEntry::of(config, self.version)?.sha256;
        let mut out = Vec::new();
        for (field, what, file, actual, recorded) in [
            (
                ManifestField::InputSha256,
                "input",
                original,
                &input,
                &self.input.sha256,
            ),
            (
                ManifestField::OutputSha256,
                "output",
                redacted,
                &output,
                &self.output.sha256,
            ),
            (
                ManifestField::ConfigSha256,
                "config",
                config,
                &config_sha256,
                &self.config.sha256,
            ),
        ] {
            if actual != recorded {
                out.push(Mismatch {
                    field,
                    message: format!(
                        "{what} sha256 differs from the manifest: {} has {actual}, the manifest records {recorded}",
                        file.display()
                    ),
                });
            }
        }
        Ok(out)
    }

    /// Compares the manifest's `masked_substreams` with the video streams
    /// besides the main one that verifying found in the redacted file:
    /// the same streams, at the same sizes, with as many frames.
    #[must_use]
    pub fn check_substreams(&self, seen: &[SubstreamSeen]) -> Vec<Mismatch> {
        let mismatch = |message| Mismatch {
            field: ManifestField::Substreams,
            message,
        };
        let mut out = Vec::new();
        for recorded in &self.masked_substreams {
            let index = recorded.output_stream;
            let size = (recorded.width, recorded.height);
            match seen.iter().find(|s| s.index == index) {
                None => out.push(mismatch(format!(
                    "the manifest records video stream #{index}, which the redacted file lacks"
                ))),
                Some(s) if (s.width, s.height) != size => out.push(mismatch(format!(
                    "the manifest records video stream #{index} at {}x{}, the redacted file has it at {}x{}",
                    size.0, size.1, s.width, s.height
                ))),
                Some(SubstreamSeen {
                    frames: Some(frames),
                    ..
                }) if *frames != recorded.frames => out.push(mismatch(format!(
                    "the manifest records {} frames in video stream #{index}, the redacted file has {frames}",
                    recorded.frames
                ))),
                Some(_) => {}
            }
        }
        let recorded = |s: &&SubstreamSeen| {
            self.masked_substreams
                .iter()
                .any(|m| m.output_stream == s.index)
        };
        for s in seen.iter().filter(|s| !recorded(s)) {
            out.push(mismatch(format!(
                "the redacted file's video stream #{} ({}x{}) is not among the manifest's masked_substreams",
                s.index, s.width, s.height
            )));
        }
        out
    }

    /// Compares the manifest's decisions and frame count with those the
    /// policy gives now for the redaction's frames.
    #[must_use]
    pub fn check_decisions(&self, decisions: &[Span], frames: u64) -> Vec<Mismatch> {
        let mut out = Vec::new();
        if decisions != self.decisions.as_slice() {
            let first = decisions
                .iter()
                .zip(&self.decisions)
                .position(|(a, b)| a != b)
                .unwrap_or(decisions.len().min(self.decisions.len()));
            out.push(Mismatch {
                field: ManifestField::Decisions,
                message: format!(
                    "the manifest's decisions ({} runs of frames) differ from the policy's now ({} runs): first difference at run {first}",
                    self.decisions.len(),
                    decisions.len(),
                ),
            });
        }
        if frames != self.frames {
            out.push(Mismatch {
                field: ManifestField::Frames,
                message: format!(
                    "the manifest records {} frames, the redacted file has {frames}",
                    self.frames
                ),
            });
        }
        out
    }
}

/// A style as its text (`fill:#000000`).
mod style_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use sladd_core::Style;

    pub(super) fn serialize<S: Serializer>(style: &Style, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(style)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Style, D::Error> {
        let text = String::deserialize(d)?;
        let style: Style = text
            .parse()
            .map_err(|e| serde::de::Error::custom(format!("style '{text}': {e}")))?;
        style
            .validate()
            .map_err(|e| serde::de::Error::custom(format!("style '{text}': {e}")))?;
        Ok(style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_path_is_beside_the_output() {
        assert_eq!(
            manifest_path(Path::new("out/kiosk.mp4")),
            Path::new("out/kiosk.mp4.manifest.json")
        );
    }

    #[test]
    fn start_sources() {
        let t: Timestamp = "2024-03-12T09:30:00Z".parse().unwrap();
        assert_eq!(StartSource::of(Some(t), Some(t)), StartSource::Option);
        assert_eq!(StartSource::of(None, Some(t)), StartSource::CreationTime);
        assert_eq!(StartSource::of(None, None), StartSource::Unknown);
    }
}
