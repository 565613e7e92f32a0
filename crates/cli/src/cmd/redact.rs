//! `sladd redact`: decode, mask every frame as the policy decides at that
//! frame's instant, re-encode, mux. Files in parallel, a progress bar each,
//! one status per file, nothing half-written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use jiff::Timestamp;
use serde::Serialize;
use sladd_core::Style;
use sladd_ffmpeg::{AudioMode, EncoderSettings, OnCorrupt, RedactOptions};
use sladd_policy::{Camera, Policy};

use crate::exit::{Exit, Failure};
use crate::inputs::{self, Job};
use crate::masker::{MaskError, PipelineMasker};
use crate::progress::{Mode, Progress};

/// Set by Ctrl-C (SIGINT), SIGTERM or SIGHUP: running files stop (their temporary outputs are
/// removed), files not yet started are not started.
pub(crate) static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Redact video files: every frame masked as the site's policy decides at
/// that frame's wall-clock instant.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd redact fixtures/clips/kiosk.mp4 -c fixtures/site.toml --camera kasse-1 -o out/kiosk.mp4
  sladd redact /archive/2026-11 -c site.toml --camera kasse-1 --out-dir /export --jobs 2
  sladd redact in.mkv -c site.toml --camera lager --start 2026-11-24T07:00:00+01:00 \\
      --style pixelate:32 -o out.mkv --json

The recording's start comes from --start, else the container's creation_time; when
neither is known every time-dependent rule takes its most protective branch.
Outputs are written under a temporary name and renamed when complete; inputs are
never modified. Ctrl-C (or SIGTERM, SIGHUP) stops cleanly (exit 130): finished
outputs stay, unfinished ones are removed.")]
pub(crate) struct Args {
    /// Video files, or folders searched recursively for video files.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The site configuration (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    site: PathBuf,
    /// The camera that recorded the inputs (its id in the site file; may be
    /// left out when the site has one camera).
    #[arg(long, value_name = "ID")]
    camera: Option<String>,
    /// Output file (one input file only).
    #[arg(short = 'o', long, value_name = "OUTPUT", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Output folder: mirrors the input tree, same file names.
    #[arg(long, value_name = "DIR", required_unless_present = "output")]
    out_dir: Option<PathBuf>,
    /// The recording's start (RFC 3339), overriding the container's creation_time.
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant)]
    start: Option<Timestamp>,
    /// Style for zones whose config names none: fill[:#rrggbb], pixelate[:BLOCK],
    /// blur[:RADIUS]. Private zones are always filled.
    #[arg(long, value_name = "STYLE", value_parser = super::parse_style, default_value = "fill")]
    style: Style,
    /// Audio: as the camera's config allows (policy), always drop (strip), or keep.
    #[arg(long, value_enum, default_value_t = AudioChoice::Policy)]
    audio: AudioChoice,
    /// Files redacted at the same time: 1 to 64, or auto (one per CPU).
    #[arg(long, value_name = "N|auto", default_value = "1", value_parser = parse_jobs)]
    jobs: usize,
    /// Leave inputs alone whose output already exists with its manifest,
    /// whose output hash matches the file (resume a batch); an output
    /// without one is redacted again.
    #[arg(long)]
    skip_existing: bool,
    /// Damaged frames in the middle of an input: stop with an error, or skip them
    /// (skipped frames are counted and never written).
    #[arg(long, value_enum, default_value_t = CorruptChoice::Stop)]
    on_corrupt: CorruptChoice,
    /// x264/x265 preset (ultrafast … veryslow).
    #[arg(long, default_value = "veryfast", value_parser = PRESETS)]
    preset: String,
    /// Constant rate factor (lower is better; default 20 for H.264, 24 for HEVC).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=51))]
    crf: Option<u8>,
    /// Print one JSON document on stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// Seconds between progress lines when stderr is not a terminal.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = parse_interval)]
    progress_interval: f64,
    /// No progress on stderr (errors still go to the report).
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// Parses `--progress-interval`: finite seconds, not negative.
fn parse_interval(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if t.is_finite() && (0.0..=86_400.0).contains(&t) => Ok(t),
        _ => Err(format!("'{s}' is not a number of seconds (e.g. 10)")),
    }
}

/// Parses `--jobs`: `auto` (one per CPU, at most 64) or 1 to 64.
fn parse_jobs(s: &str) -> Result<usize, String> {
    if s.trim().eq_ignore_ascii_case("auto") {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        return Ok(cpus.clamp(1, 64));
    }
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=64).contains(&n) => Ok(n),
        _ => Err(format!(
            "'{s}' is not a number of jobs from 1 to 64, nor auto"
        )),
    }
}

/// The speed presets x264 and x265 both know.
const PRESETS: [&str; 10] = [
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
    "placebo",
];

/// `--audio`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum AudioChoice {
    /// Keep audio only when the camera has `audio = true` and `audio_justified = true`.
    Policy,
    /// Always drop audio.
    Strip,
    /// Always copy audio.
    Keep,
}

/// `--on-corrupt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CorruptChoice {
    /// Stop the file with an error (nothing is written).
    Stop,
    /// Skip damaged frames and go on.
    Skip,
}

/// One file's entry in the JSON report (the keys the README documents, plus detail).
#[derive(Debug, Serialize)]
struct FileReport {
    input: PathBuf,
    output: PathBuf,
    /// `ok`, `error`, or `skipped` (output existed, `--skip-existing`).
    status: &'static str,
    error: Option<String>,
    frames: u64,
    masked_frames: u64,
    full_frame_masked: u64,
    audio: &'static str,
    seconds: f64,
    fps: f64,
    skipped_frames: u64,
    start: Option<String>,
    /// `option`, `creation_time` or `unknown`.
    start_source: &'static str,
    encoder: Option<String>,
    notes: Vec<String>,
    /// The input streams the output does not carry (also among the notes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dropped_streams: Vec<String>,
    decisions: Vec<sladd_policy::DecisionSpan>,
    /// The evidence manifest written beside the output (see `manifest.rs`).
    manifest: Option<PathBuf>,
    #[serde(skip)]
    exit: Exit,
    /// Output folders this file created and that a failure may leave empty.
    #[serde(skip)]
    created_folders: Vec<PathBuf>,
}

impl FileReport {
    fn new(job: &Job) -> Self {
        Self {
            input: job.input.clone(),
            output: job.output.clone(),
            status: "error",
            error: None,
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
            decisions: Vec::new(),
            manifest: None,
            exit: Exit::Success,
            created_folders: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize)]
struct Output {
    camera: String,
    config: PathBuf,
    config_sha256: String,
    files: Vec<FileReport>,
}

/// Runs `sladd redact`.
pub(crate) fn run(args: &Args) -> Result<Exit> {
    let policy = Policy::load(&args.site)?;
    let camera = super::camera(&policy, args.camera.as_deref())?.clone();
    let (config_sha256, _) = sladd_evidence::sha256_file(&args.site)?;
    let jobs = inputs::plan(
        &args.inputs,
        args.output.as_deref(),
        args.out_dir.as_deref(),
    )?;
    if jobs.is_empty() {
        bail!(Failure {
            exit: Exit::Input,
            message: "no video files found in the inputs".into()
        });
    }
    sladd_ffmpeg::init()?;
    sladd_ffmpeg::quiet_ffmpeg_logs();
    // Ctrl-C, SIGTERM and SIGHUP only set the flag, so a second one while
    // shutting down cannot cut the cleanup short. Without the handler a
    // signal would kill the run before it removes its temporary outputs.
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst))
        .context("installing the Ctrl-C handler")?;

    let options = RedactOptions {
        audio: audio_mode(args.audio, &camera),
        on_corrupt: match args.on_corrupt {
            CorruptChoice::Stop => OnCorrupt::Stop,
            CorruptChoice::Skip => OnCorrupt::Skip,
        },
        start: args.start,
        clock: crate::clock::judge(&camera, Timestamp::now()),
        encoder: EncoderSettings {
            preset: args.preset.clone(),
            crf: args.crf.map(f32::from),
            ..EncoderSettings::default()
        },
        config_hash: format!("sha256:{config_sha256}"),
        ..RedactOptions::default()
    };

    let progress = Progress::new(
        jobs.len(),
        Mode::detect(args.quiet, Duration::from_secs_f64(args.progress_interval)),
    );
    let next = AtomicUsize::new(0);
    let reports: Mutex<Vec<Option<FileReport>>> = Mutex::new(jobs.iter().map(|_| None).collect());
    let workers = args.jobs.min(jobs.len()).max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(i) else { break };
                if INTERRUPTED.load(Ordering::SeqCst) {
                    break;
                }
                let report = redact_one(i, job, &camera, args, &options, &progress);
                progress.finished(i, &outcome_line(&report));
                if let Ok(mut all) = reports.lock() {
                    if let Some(slot) = all.get_mut(i) {
                        *slot = Some(report);
                    }
                }
            });
        }
    });
    progress.clear();
    // Failed files leave no empty folders behind in the output tree.
    if let Ok(all) = reports.lock() {
        remove_empty(
            all.iter()
                .flatten()
                .flat_map(|r| r.created_folders.iter().cloned())
                .collect(),
        );
    }

    let interrupted = INTERRUPTED.load(Ordering::SeqCst);
    let files: Vec<FileReport> = reports
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .zip(&jobs)
        .map(|(report, job)| {
            report.unwrap_or_else(|| {
                let mut r = FileReport::new(job);
                r.error = Some("not started: interrupted".into());
                r.exit = Exit::Interrupted;
                r
            })
        })
        .collect();
    let worst = files
        .iter()
        .map(|f| f.exit)
        .max_by_key(|e| e.code())
        .unwrap_or(Exit::Success);
    let output = Output {
        camera: camera.id.clone(),
        config: args.site.clone(),
        config_sha256,
        files,
    };
    if args.json {
        crate::text::print(&serde_json::to_string_pretty(&output)?)?;
    } else {
        crate::text::print(&table(&output.files))?;
    }
    Ok(if interrupted {
        Exit::Interrupted
    } else {
        worst
    })
}

/// The audio mode `--audio` asks for on this camera.
fn audio_mode(choice: AudioChoice, camera: &Camera) -> AudioMode {
    match choice {
        AudioChoice::Keep => AudioMode::Copy,
        AudioChoice::Strip => AudioMode::Drop,
        AudioChoice::Policy => {
            if camera.audio_allowed() {
                AudioMode::Copy
            } else {
                AudioMode::Drop
            }
        }
    }
}

/// Redacts one file, never failing: errors become the report's status.
fn redact_one(
    index: usize,
    job: &Job,
    camera: &Camera,
    args: &Args,
    options: &RedactOptions,
    progress: &Progress,
) -> FileReport {
    let mut report = FileReport::new(job);
    if args.skip_existing && job.output.exists() {
        match sladd_evidence::Manifest::vouches_for(&job.output) {
            Ok(_) => {
                report.status = "skipped";
                return report;
            }
            Err(why) => report
                .notes
                .push(format!("the existing output was redacted again: {why}")),
        }
    }
    let created = match create_parent(&job.output) {
        Ok(created) => created,
        Err(e) => {
            report.error = Some(e);
            report.exit = Exit::Output;
            return report;
        }
    };
    let mut masker = match PipelineMasker::new(camera, args.style, &INTERRUPTED) {
        Ok(masker) => masker,
        Err(e) => {
            report.error = Some(e.to_string());
            report.exit = Exit::Usage;
            return report;
        }
    };
    let mut file = progress.start(index, &job.input);
    let result =
        sladd_ffmpeg::redact_uncommitted(&job.input, &job.output, &mut masker, options, |p| {
            file.tick(p.frames_done, p.total_estimate);
        });
    drop(file);
    report.decisions = masker.into_spans();
    let written = match result {
        Ok(written) => written,
        Err(e) => {
            report.exit = exit_of(&e);
            report.error = Some(crate::text::error_chain(&e));
            report.created_folders = created;
            return report;
        }
    };
    fill(&mut report, written.report(), args);
    // The manifest lands right after its output, or neither does.
    let manifest = match manifest_for(&report, written.report(), written.path(), camera, args) {
        Ok(manifest) => manifest,
        Err(e) => {
            report.status = "error";
            report.error = Some(format!(
                "the manifest of {} cannot be written: {}",
                report.output.display(),
                crate::text::error_chain(&e)
            ));
            report.exit = Exit::Output;
            report.created_folders = created;
            return report;
        }
    };
    match written.commit(vec![manifest]) {
        Ok(_) => {
            report.status = "ok";
            report.manifest = Some(sladd_evidence::manifest_path(&report.output));
        }
        Err(e) => {
            report.status = "error";
            report.exit = exit_of(&e);
            report.error = Some(crate::text::error_chain(&e));
            report.created_folders = created;
        }
    }
    report
}

/// Copies what the run did into the file's report.
fn fill(report: &mut FileReport, r: &sladd_ffmpeg::Report, args: &Args) {
    report.frames = r.frames;
    report.masked_frames = r.masked_frames;
    report.full_frame_masked = r.full_frame_masked;
    report.audio = r.audio.as_str();
    report.seconds = r.seconds;
    report.fps = r.fps;
    report.skipped_frames = r.skipped;
    report.start = r.start.map(|t| t.to_string());
    report.start_source = sladd_evidence::StartSource::of(args.start, r.start).as_str();
    report.encoder = Some(r.encoder.clone());
    report.notes.extend(r.notes.iter().cloned());
    report.dropped_streams.clone_from(&r.dropped);
    if r.skipped > 0 {
        report.notes.push(format!(
            "{} damaged frames skipped (--on-corrupt skip): the output lacks them",
            r.skipped
        ));
    }
    if r.start.is_none() {
        report.notes.push(
            "recording start unknown: masked as if staff were present and windowed purposes inactive"
                .into(),
        );
    }
}

/// The evidence manifest of a redacted file, whose bytes are at `written`
/// until it is committed under the report's output name.
fn manifest_for(
    report: &FileReport,
    r: &sladd_ffmpeg::Report,
    written: &Path,
    camera: &Camera,
    args: &Args,
) -> sladd_evidence::Result<sladd_ffmpeg::Companion> {
    let manifest = sladd_evidence::Manifest::record(sladd_evidence::Record {
        camera: &camera.id,
        style: args.style,
        start: r.start,
        start_source: sladd_evidence::StartSource::of(args.start, r.start),
        input: &report.input,
        output: &report.output,
        written: Some(written),
        config: &args.site,
        encoder: &r.encoder,
        audio: r.audio.into(),
        frames: r.frames,
        masked_frames: r.masked_frames,
        full_frame_masked: r.full_frame_masked,
        decisions: report.decisions.iter().map(Into::into).collect(),
        dropped_streams: report.dropped_streams.clone(),
    })?;
    Ok(manifest.companion())
}

/// Creates the folder `output` goes in; returns the folders created, the
/// deepest first, so that a failed file leaves no empty folders behind.
fn create_parent(output: &Path) -> std::result::Result<Vec<PathBuf>, String> {
    let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(Vec::new());
    };
    let missing: Vec<PathBuf> = parent
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
        .map(Path::to_path_buf)
        .collect();
    std::fs::create_dir_all(parent).map_err(|e| {
        remove_empty(missing.clone());
        format!(
            "cannot create the output folder {} for {}: {e}",
            parent.display(),
            output.display()
        )
    })?;
    Ok(missing)
}

/// Removes those of the folders `created` that are empty, the deepest
/// first. Called once no file is being written any more: a folder that
/// holds anything stays.
fn remove_empty(mut created: Vec<PathBuf>) {
    created.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    created.dedup();
    for dir in created {
        let _ = std::fs::remove_dir(dir);
    }
}

/// The exit code a failed file contributes.
fn exit_of(error: &sladd_ffmpeg::Error) -> Exit {
    if let sladd_ffmpeg::Error::Mask { source, .. } = error {
        if matches!(
            source.downcast_ref::<MaskError>(),
            Some(MaskError::Cancelled)
        ) {
            return Exit::Interrupted;
        }
    }
    if error.is_usage_error() {
        Exit::Usage
    } else if error.is_input_error() {
        Exit::Input
    } else if error.is_output_error() {
        Exit::Output
    } else {
        Exit::Input
    }
}

/// The human-readable report: one line per file and a summary.
fn table(files: &[FileReport]) -> String {
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

/// How one file went, for the progress log: `FILE: ok, 75 frames (75
/// masked) at 479.3 fps -> OUTPUT`.
fn outcome_line(report: &FileReport) -> String {
    let input = report.input.display();
    match &report.error {
        Some(e) => format!("{input}: error: {e}"),
        None if report.status == "skipped" => format!("{input}: skipped, output exists"),
        None => format!(
            "{input}: ok, {} frames ({} masked) at {:.1} fps -> {}",
            report.frames,
            report.masked_frames,
            report.fps,
            report.output.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_parse_counts_and_auto() {
        assert_eq!(parse_jobs("3"), Ok(3));
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        assert_eq!(parse_jobs("auto"), Ok(cpus.clamp(1, 64)));
        assert_eq!(parse_jobs("AUTO"), parse_jobs("auto"));
        for bad in ["0", "65", "-1", "many", ""] {
            assert!(parse_jobs(bad).is_err(), "{bad}");
        }
    }
}
