//! What `sladd redact` reports: one entry per file (the JSON keys the
//! README documents, plus detail), the document `--json` prints, the table
//! and the progress log's line per file.

use std::path::PathBuf;

use serde::Serialize;

use crate::exit::Exit;
use crate::inputs::Job;

/// One file's entry in the JSON report (the keys the README documents, plus detail).
#[derive(Debug, Serialize)]
pub(crate) struct FileReport {
    pub(crate) input: PathBuf,
    pub(crate) output: PathBuf,
    /// `ok`, `error`, or `skipped` (see `reason`).
    pub(crate) status: &'static str,
    /// Why skipped: `exists` (`--skip-existing`, its manifest vouches for
    /// it), `done` (a plan's file whose manifest proves it done), `locked`
    /// (another worker holds it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<&'static str>,
    pub(crate) error: Option<String>,
    /// The camera, when the files of one run are of several (a plan's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) camera: Option<String>,
    pub(crate) frames: u64,
    pub(crate) masked_frames: u64,
    pub(crate) full_frame_masked: u64,
    pub(crate) audio: &'static str,
    pub(crate) seconds: f64,
    pub(crate) fps: f64,
    pub(crate) skipped_frames: u64,
    pub(crate) start: Option<String>,
    /// `option`, `creation_time` or `unknown`.
    pub(crate) start_source: &'static str,
    pub(crate) encoder: Option<String>,
    pub(crate) notes: Vec<String>,
    /// The input streams the output does not carry (also among the notes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) dropped_streams: Vec<String>,
    /// The video streams besides the main one, masked (also among the
    /// notes); `decisions` are the main stream's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) masked_substreams: Vec<sladd_evidence::MaskedSubstream>,
    pub(crate) decisions: Vec<sladd_policy::DecisionSpan>,
    /// The evidence manifest written beside the output.
    pub(crate) manifest: Option<PathBuf>,
    /// SHA-256 of the output its manifest records.
    pub(crate) output_sha256: Option<String>,
    /// The manifest's detached signature (`--sign-key`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) signature: Option<PathBuf>,
    /// Whether C2PA Content Credentials are embedded in the output
    /// (`--c2pa-cert`).
    pub(crate) c2pa: bool,
    /// The camera signatures found in the input (ONVIF Media Signing, Axis
    /// Signed Video), which the re-encoded output cannot keep; `null` when
    /// the input is not a regular file (a FIFO cannot be read twice).
    pub(crate) input_signatures: Option<Vec<sladd_evidence::input_signature::FoundSignature>>,
    /// The exit code this file contributes (0 when it is done).
    pub(crate) exit_code: u8,
    #[serde(skip)]
    pub(crate) exit: Exit,
    /// Output folders this file created and that a failure may leave empty.
    #[serde(skip)]
    pub(crate) created_folders: Vec<PathBuf>,
}

impl FileReport {
    /// The report of `job` before anything was done (an error until it is
    /// done).
    pub(crate) fn new(job: &Job) -> Self {
        Self {
            input: job.input.clone(),
            output: job.output.clone(),
            status: "error",
            reason: None,
            error: None,
            camera: None,
            frames: 0,
            masked_frames: 0,
            full_frame_masked: 0,
            audio: "none",
            seconds: 0.0,
            fps: 0.0,
            skipped_frames: 0,
            start: None,
            start_source: "unknown",
            encoder: None,
            notes: Vec::new(),
            dropped_streams: Vec::new(),
            masked_substreams: Vec::new(),
            decisions: Vec::new(),
            manifest: None,
            output_sha256: None,
            signature: None,
            c2pa: false,
            input_signatures: None,
            exit_code: 0,
            exit: Exit::Success,
            created_folders: Vec::new(),
        }
    }

    /// A file left alone, and why.
    pub(crate) fn skipped(job: &Job, reason: &'static str) -> Self {
        let mut report = Self::new(job);
        report.status = "skipped";
        report.reason = Some(reason);
        report
    }

    /// A file that failed before any redaction started.
    pub(crate) fn failed(job: &Job, exit: Exit, error: String) -> Self {
        let mut report = Self::new(job);
        report.error = Some(error);
        report.exit = exit;
        report.exit_code = exit.code();
        report
    }

    /// Copies what the pipeline did into the report (`start` is `--start`).
    pub(crate) fn fill(&mut self, r: &sladd_ffmpeg::Report, start: Option<jiff::Timestamp>) {
        self.frames = r.frames;
        self.masked_frames = r.masked_frames;
        self.full_frame_masked = r.full_frame_masked;
        self.audio = r.audio.as_str();
        self.seconds = r.seconds;
        self.fps = r.fps;
        self.skipped_frames = r.skipped;
        self.start = r.start.map(|t| t.to_string());
        self.start_source = sladd_evidence::StartSource::of(start, r.start).as_str();
        self.encoder = Some(r.encoder.clone());
        self.notes.extend(r.notes.iter().cloned());
        self.dropped_streams.clone_from(&r.dropped);
        self.masked_substreams = r.substreams.iter().map(masked_substream).collect();
        if r.skipped > 0 {
            self.notes.push(format!(
                "{} damaged frames skipped (--on-corrupt skip): the output lacks them",
                r.skipped
            ));
        }
        if r.start.is_none() {
            self.notes.push(
                "recording start unknown: masked as if staff were present and windowed purposes inactive"
                    .into(),
            );
        }
        match &self.input_signatures {
            Some(found) => self
                .notes
                .extend(sladd_evidence::input_signature::not_kept_note(found)),
            None => self.notes.push(
                "the input is not a regular file: it was not scanned for camera signatures".into(),
            ),
        }
    }

    /// How the file went, for the progress log: `FILE: ok, 75 frames (75
    /// masked) at 479.3 fps -> OUTPUT`.
    pub(crate) fn outcome_line(&self) -> String {
        let input = self.input.display();
        match &self.error {
            Some(e) => format!("{input}: error: {e}"),
            None if self.status == "skipped" => format!("{input}: skipped: {}", self.skip_reason()),
            None => format!(
                "{input}: ok, {} frames ({} masked) at {:.1} fps -> {}",
                self.frames,
                self.masked_frames,
                self.fps,
                self.output.display()
            ),
        }
    }

    /// Why a skipped file was left alone, in words.
    fn skip_reason(&self) -> String {
        match self.reason {
            None | Some("exists") => "output exists with its manifest".to_owned(),
            Some(reason) => match self.notes.first() {
                Some(note) => format!("{reason} ({note})"),
                None => reason.to_owned(),
            },
        }
    }
}

/// The JSON document `sladd redact --json` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Output {
    pub(crate) camera: Option<String>,
    pub(crate) config: PathBuf,
    pub(crate) config_sha256: String,
    pub(crate) files: Vec<FileReport>,
}

/// The human-readable report: one line per file and a summary.
pub(crate) fn table(files: &[FileReport]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let name_width = files
        .iter()
        .map(|f| f.input.display().to_string().chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 60);
    let _ = writeln!(
        out,
        "{:<w$}  {:<7} {:>7} {:>7} {:>6} {:>8} {:>7}  output / error",
        "input",
        "status",
        "frames",
        "masked",
        "full",
        "audio",
        "fps",
        w = name_width
    );
    for f in files {
        let detail = match &f.error {
            Some(e) => e.clone(),
            None => f.output.display().to_string(),
        };
        let _ = writeln!(
            out,
            "{:<w$}  {:<7} {:>7} {:>7} {:>6} {:>8} {:>7.1}  {}",
            f.input.display().to_string(),
            f.status,
            f.frames,
            f.masked_frames,
            f.full_frame_masked,
            f.audio,
            f.fps,
            detail,
            w = name_width
        );
        for note in &f.notes {
            let _ = writeln!(out, "{:<w$}  note: {note}", "", w = name_width);
        }
    }
    let ok = files.iter().filter(|f| f.status == "ok").count();
    let skipped = files.iter().filter(|f| f.status == "skipped").count();
    let failed = files.len() - ok - skipped;
    let _ = writeln!(
        out,
        "{} files: {ok} redacted, {skipped} skipped, {failed} failed",
        files.len()
    );
    out.pop(); // the last newline: print adds one
    out
}

/// A masked substream as the report and the manifest record it.
fn masked_substream(s: &sladd_ffmpeg::SubstreamReport) -> sladd_evidence::MaskedSubstream {
    sladd_evidence::MaskedSubstream {
        input_stream: s.input_index,
        output_stream: s.output_index,
        width: s.width,
        height: s.height,
        frames: s.frames,
        masked_frames: s.masked_frames,
        full_frame_masked: s.full_frame_masked,
        encoder: s.encoder.clone(),
    }
}
