//! `sladd redact`: decode, mask every frame as the policy decides at that
//! frame's instant, re-encode, mux. Files in parallel, a progress bar each,
//! one status per file, nothing half-written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;
use serde::Serialize;
use sladd_core::Style;
use sladd_ffmpeg::{AudioMode, EncoderSettings, OnCorrupt, RedactOptions};
use sladd_policy::{Camera, Policy};

use crate::exit::{Exit, Failure};
use crate::inputs::{self, Job};
use crate::masker::{MaskError, PipelineMasker};

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
  sladd redact --plan /archive/plan.json --shard 1/4
  sladd redact --plan /data/plan.json --shard auto --shards 4

With --plan (from `sladd batch plan`), the files, outputs, camera and settings come from
the plan and the run redacts one shard of it: I/N (0-based), or `auto` under a Slurm job
array (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT) or a
Kubernetes Indexed Job (JOB_COMPLETION_INDEX of --shards, else the plan's count). Files
whose manifest proves them done are skipped, files another worker holds are skipped as
locked, and report.shard-I-of-N.json is written in the plan's output folder. Exit 2 when
the site file or the sladd version differs from the plan's.

The recording's start comes from --start, else the container's creation_time; when
neither is known every time-dependent rule takes its most protective branch.
Outputs are written under a temporary name and renamed when complete; inputs are
never modified. Ctrl-C (or SIGTERM, SIGHUP) stops cleanly (exit 130): finished
outputs stay, unfinished ones are removed.")]
pub(crate) struct Args {
    /// Video files, or folders searched recursively for video files.
    #[arg(
        value_name = "INPUT",
        required_unless_present = "plan",
        conflicts_with = "plan"
    )]
    inputs: Vec<PathBuf>,
    /// The site configuration (.toml or .json); with --plan, the plan's.
    #[arg(
        short = 'c',
        long = "config",
        value_name = "SITE",
        required_unless_present = "plan"
    )]
    pub(crate) site: Option<PathBuf>,
    /// The camera that recorded the inputs (its id in the site file).
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "plan",
        conflicts_with = "plan"
    )]
    camera: Option<String>,
    /// Output file (one input file only).
    #[arg(short = 'o', long, value_name = "OUTPUT", conflicts_with_all = ["out_dir", "plan"])]
    output: Option<PathBuf>,
    /// Output folder: mirrors the input tree, same file names.
    #[arg(long, value_name = "DIR", required_unless_present_any = ["output", "plan"], conflicts_with = "plan")]
    out_dir: Option<PathBuf>,
    /// A batch plan (`sladd batch plan`): redact one shard of it.
    #[arg(long, value_name = "PLAN", requires = "shard",
          conflicts_with_all = ["start", "style", "audio", "skip_existing", "on_corrupt", "preset", "crf"])]
    pub(crate) plan: Option<PathBuf>,
    /// The shard of the plan: I/N (0-based), or `auto` (Slurm array, Kubernetes Indexed Job).
    #[arg(long, value_name = "I/N|auto", requires = "plan", value_parser = parse_shard)]
    pub(crate) shard: Option<ShardChoice>,
    /// With --shard auto under Kubernetes: the shard count (the Job's completions).
    #[arg(long, value_name = "N", requires = "plan",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(sladd_batch::Shard::MAX_COUNT)))]
    pub(crate) shards: Option<u32>,
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
    pub(crate) jobs: usize,
    /// Leave inputs whose output already exists alone (resume a batch).
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
    pub(crate) json: bool,
}

/// `--shard`: a given shard, or the scheduler's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShardChoice {
    /// `I/N`.
    Given(sladd_batch::Shard),
    /// `auto`.
    Auto,
}

fn parse_shard(text: &str) -> Result<ShardChoice, String> {
    if text == "auto" {
        return Ok(ShardChoice::Auto);
    }
    text.parse()
        .map(ShardChoice::Given)
        .map_err(|e: sladd_batch::Error| e.to_string())
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
pub(crate) const PRESETS: [&str; 10] = [
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
pub(crate) enum AudioChoice {
    /// Keep audio only when the camera has `audio = true` and `audio_justified = true`.
    Policy,
    /// Always drop audio.
    Strip,
    /// Always copy audio.
    Keep,
}

/// `--on-corrupt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CorruptChoice {
    /// Stop the file with an error (nothing is written).
    Stop,
    /// Skip damaged frames and go on.
    Skip,
}

/// One file's entry in the JSON report (keys of spec/cli.md, plus detail).
#[derive(Debug, Serialize)]
pub(crate) struct FileReport {
    pub(crate) input: PathBuf,
    pub(crate) output: PathBuf,
    /// `ok`, `error`, or `skipped` (see `reason`).
    pub(crate) status: &'static str,
    /// Why skipped: `exists` (`--skip-existing`), `done` (a plan's file whose
    /// manifest proves it done), `locked` (another worker holds it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<&'static str>,
    pub(crate) error: Option<String>,
    /// The camera, when the files of one run are of several (a plan's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) camera: Option<String>,
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
    pub(crate) notes: Vec<String>,
    decisions: Vec<sladd_policy::DecisionSpan>,
    /// The evidence manifest written beside the output (see `manifest.rs`).
    pub(crate) manifest: Option<PathBuf>,
    /// SHA-256 of the output its manifest records.
    pub(crate) output_sha256: Option<String>,
    /// The exit code this file contributes (0 when it is done).
    exit_code: u8,
    #[serde(skip)]
    pub(crate) exit: Exit,
    /// Output folders this file created and that a failure may leave empty.
    #[serde(skip)]
    created_folders: Vec<PathBuf>,
}

impl FileReport {
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
            decisions: Vec::new(),
            manifest: None,
            output_sha256: None,
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
}

/// The JSON document `sladd redact --json` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Output {
    pub(crate) camera: Option<String>,
    pub(crate) config: PathBuf,
    pub(crate) config_sha256: String,
    pub(crate) files: Vec<FileReport>,
}

/// What every file of one camera in a run is redacted with: the flags, or
/// a plan's settings.
pub(crate) struct Setup {
    /// The site file.
    pub(crate) site: PathBuf,
    /// The camera.
    pub(crate) camera: Camera,
    /// The default style.
    pub(crate) style: Style,
    /// `--start`.
    pub(crate) start: Option<Timestamp>,
    /// `--skip-existing`.
    pub(crate) skip_existing: bool,
    /// The pipeline's options.
    pub(crate) options: RedactOptions,
    /// The plan the outputs are redacted for, recorded in their manifests.
    pub(crate) batch: Option<crate::manifest::BatchEntry>,
}

impl Setup {
    /// The setup for `camera`, with the flags' or the plan's encoder
    /// settings, and the site's file hash in the output's comment.
    pub(crate) fn new(
        site: &Path,
        camera: Camera,
        encoding: Encoding<'_>,
        batch: Option<crate::manifest::BatchEntry>,
    ) -> Result<Self> {
        let config_sha256 = crate::digest::sha256_file(site)
            .with_context(|| format!("reading {}", site.display()))?;
        let options = RedactOptions {
            audio: audio_mode(encoding.audio, &camera),
            on_corrupt: match encoding.on_corrupt {
                CorruptChoice::Stop => OnCorrupt::Stop,
                CorruptChoice::Skip => OnCorrupt::Skip,
            },
            start: encoding.start,
            encoder: EncoderSettings {
                preset: encoding.preset.to_owned(),
                crf: encoding.crf.map(f32::from),
                ..EncoderSettings::default()
            },
            config_hash: format!("sha256:{config_sha256}"),
            ..RedactOptions::default()
        };
        Ok(Self {
            site: site.to_path_buf(),
            camera,
            style: encoding.style,
            start: encoding.start,
            skip_existing: encoding.skip_existing,
            options,
            batch,
        })
    }
}

/// The flags (or plan settings) that shape an output.
pub(crate) struct Encoding<'a> {
    pub(crate) style: Style,
    pub(crate) audio: AudioChoice,
    pub(crate) on_corrupt: CorruptChoice,
    pub(crate) start: Option<Timestamp>,
    pub(crate) preset: &'a str,
    pub(crate) crf: Option<u8>,
    pub(crate) skip_existing: bool,
}

/// Runs `sladd redact`.
pub(crate) fn run(args: &Args) -> Result<Exit> {
    if let Some(plan) = &args.plan {
        return crate::sharded::run(args, plan);
    }
    let (Some(site), Some(camera_id)) = (&args.site, &args.camera) else {
        bail!(Failure {
            exit: Exit::Usage,
            message: "give -c SITE and --camera ID (or --plan PLAN)".into()
        });
    };
    let policy = Policy::load(site)?;
    let camera = policy.camera(camera_id)?.clone();
    let encoding = Encoding {
        style: args.style,
        audio: args.audio,
        on_corrupt: args.on_corrupt,
        start: args.start,
        preset: &args.preset,
        crf: args.crf,
        skip_existing: args.skip_existing,
    };
    let setup = Setup::new(site, camera, encoding, None)?;
    let config_sha256 =
        crate::digest::sha256_file(site).with_context(|| format!("reading {}", site.display()))?;
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
    start_ffmpeg()?;
    let (files, interrupted) = redact_all(&jobs, args.jobs, |_, job, progress| {
        redact_one(job, &setup, progress)
    });
    let output = Output {
        camera: Some(camera_id.clone()),
        config: site.clone(),
        config_sha256,
        files,
    };
    finish(&output, args.json, interrupted)
}

/// FFmpeg initialised and quiet, and Ctrl-C caught.
pub(crate) fn start_ffmpeg() -> Result<()> {
    sladd_ffmpeg::init()?;
    sladd_ffmpeg::quiet_ffmpeg_logs();
    // A second Ctrl-C while shutting down is ignored: cleanup must finish.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    Ok(())
}

/// Runs `one` over `jobs` on `workers` threads with progress on stderr;
/// the reports in the jobs' order (those not started: interrupted), and
/// whether the run was interrupted.
pub(crate) fn redact_all(
    jobs: &[Job],
    workers: usize,
    one: impl Fn(usize, &Job, &Progress) -> FileReport + Sync,
) -> (Vec<FileReport>, bool) {
    let progress = Progress::new(jobs.len());
    let next = AtomicUsize::new(0);
    let reports: Mutex<Vec<Option<FileReport>>> = Mutex::new(jobs.iter().map(|_| None).collect());
    let workers = workers.min(jobs.len()).max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(i) else { break };
                if INTERRUPTED.load(Ordering::SeqCst) {
                    break;
                }
                let report = one(i, job, &progress);
                progress.finished(&report);
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
    let files = reports
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .zip(jobs)
        .map(|(report, job)| {
            report.unwrap_or_else(|| {
                FileReport::failed(job, Exit::Interrupted, "not started: interrupted".into())
            })
        })
        .collect();
    (files, interrupted)
}

/// Prints the report and gives the run's exit: interrupted, else the
/// worst file's.
pub(crate) fn finish(output: &Output, json: bool, interrupted: bool) -> Result<Exit> {
    let worst = worst(&output.files);
    if json {
        crate::text::print(&serde_json::to_string_pretty(output)?)?;
    } else {
        crate::text::print(&table(&output.files))?;
    }
    Ok(if interrupted {
        Exit::Interrupted
    } else {
        worst
    })
}

/// The worst exit of `files`.
pub(crate) fn worst(files: &[FileReport]) -> Exit {
    files
        .iter()
        .map(|f| f.exit)
        .max_by_key(|e| e.code())
        .unwrap_or(Exit::Success)
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
pub(crate) fn redact_one(job: &Job, setup: &Setup, progress: &Progress) -> FileReport {
    let mut report = redact_unchecked(job, setup, progress);
    report.exit_code = report.exit.code();
    report
}

fn redact_unchecked(job: &Job, setup: &Setup, progress: &Progress) -> FileReport {
    let mut report = FileReport::new(job);
    if setup.skip_existing && job.output.exists() {
        return FileReport::skipped(job, "exists");
    }
    let created = match create_parent(&job.output) {
        Ok(created) => created,
        Err(e) => {
            report.error = Some(e);
            report.exit = Exit::Output;
            return report;
        }
    };
    let bar = progress.start(job);
    let mut masker = match PipelineMasker::new(&setup.camera, setup.style, &INTERRUPTED) {
        Ok(masker) => masker,
        Err(e) => {
            bar.finish_and_clear();
            report.error = Some(e.to_string());
            report.exit = Exit::Usage;
            return report;
        }
    };
    let result =
        sladd_ffmpeg::redact_file(&job.input, &job.output, &mut masker, &setup.options, |p| {
            if let Some(total) = p.total_estimate {
                bar.set_length(total.max(p.frames_done));
            }
            bar.set_position(p.frames_done);
        });
    bar.finish_and_clear();
    report.decisions = masker.into_spans();
    match result {
        Ok(r) => {
            report.status = "ok";
            report.frames = r.frames;
            report.masked_frames = r.masked_frames;
            report.full_frame_masked = r.full_frame_masked;
            report.audio = r.audio.as_str();
            report.seconds = r.seconds;
            report.fps = r.fps;
            report.skipped_frames = r.skipped;
            report.start = r.start.map(|t| t.to_string());
            report.start_source = match (setup.start, r.start) {
                (Some(_), _) => "option",
                (None, Some(_)) => "creation_time",
                (None, None) => "unknown",
            };
            report.encoder = Some(r.encoder);
            report.notes = r.notes;
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
            match write_manifest(&report, setup) {
                Ok((path, sha256)) => {
                    report.manifest = Some(path);
                    report.output_sha256 = Some(sha256);
                }
                Err(e) => {
                    report.status = "error";
                    report.error = Some(format!(
                        "{} was written but its manifest was not: {e:#}",
                        report.output.display()
                    ));
                    report.exit = Exit::Output;
                }
            }
        }
        Err(e) => {
            report.exit = exit_of(&e);
            report.error = Some(error_chain(&e));
            report.created_folders = created;
        }
    }
    report
}

/// Writes the evidence manifest of a redacted file beside its output; its
/// path and the output's SHA-256.
fn write_manifest(report: &FileReport, setup: &Setup) -> Result<(PathBuf, String)> {
    let output = crate::manifest::file_entry(&report.output)
        .with_context(|| format!("reading {}", report.output.display()))?;
    let output_sha256 = output.sha256.clone();
    let manifest = crate::manifest::Manifest {
        format: crate::manifest::FORMAT.to_owned(),
        version: crate::manifest::VERSION,
        sladd_version: env!("CARGO_PKG_VERSION").to_owned(),
        camera: setup.camera.id.clone(),
        style: setup.style.to_string(),
        start: report.start.clone(),
        start_source: report.start_source.to_owned(),
        input: crate::manifest::file_entry(&report.input)
            .with_context(|| format!("reading {}", report.input.display()))?,
        output,
        config: crate::manifest::config_entry(&setup.site)?,
        encoder: report.encoder.clone().unwrap_or_default(),
        audio: report.audio.to_owned(),
        frames: report.frames,
        masked_frames: report.masked_frames,
        full_frame_masked: report.full_frame_masked,
        decisions: report.decisions.iter().map(Into::into).collect(),
        batch: setup.batch.clone(),
    };
    Ok((crate::manifest::write(&manifest)?, output_sha256))
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
    if error.is_input_error() {
        Exit::Input
    } else if error.is_output_error() {
        Exit::Output
    } else {
        Exit::Input
    }
}

/// An error and its causes, `: `-separated.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
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

/// Progress on stderr: bars on a terminal, plain lines otherwise.
pub(crate) struct Progress {
    bars: Option<MultiProgress>,
    overall: Option<ProgressBar>,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    fn new(total: usize) -> Self {
        use std::io::IsTerminal;
        let terminal = std::io::stderr().is_terminal();
        let (bars, overall) = if terminal {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let overall = multi.add(ProgressBar::new(total as u64));
            overall.set_style(
                ProgressStyle::with_template(
                    "{prefix:>10} [{bar:30}] {pos}/{len} files {elapsed_precise}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            overall.set_prefix("total");
            (Some(multi), Some(overall))
        } else {
            (None, None)
        };
        Self {
            bars,
            overall,
            total,
            done: AtomicUsize::new(0),
        }
    }

    pub(crate) fn start(&self, job: &Job) -> ProgressBar {
        let name = job.input.file_name().map_or_else(
            || job.input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match &self.bars {
            Some(multi) => {
                let bar = multi.insert_from_back(1, ProgressBar::new(0));
                bar.set_style(
                    ProgressStyle::with_template(
                        "{prefix:>10} [{bar:30}] {pos}/{len} frames {per_sec} eta {eta}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar.set_prefix(truncate(&name, 10));
                bar.enable_steady_tick(Duration::from_millis(200));
                bar
            }
            None => {
                eprintln!("sladd: redacting {}", job.input.display());
                ProgressBar::hidden()
            }
        }
    }

    fn finished(&self, report: &FileReport) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(overall) = &self.overall {
            overall.set_position(done as u64);
        }
        let line = match &report.error {
            Some(e) => format!(
                "[{done}/{}] {}: error: {e}",
                self.total,
                report.input.display()
            ),
            None if report.status == "skipped" => {
                let why = match report.reason {
                    None | Some("exists") => "output exists".to_owned(),
                    Some(reason) => match report.notes.first() {
                        Some(note) => format!("{reason} ({note})"),
                        None => reason.to_owned(),
                    },
                };
                format!(
                    "[{done}/{}] {}: skipped: {why}",
                    self.total,
                    report.input.display()
                )
            }
            None => format!(
                "[{done}/{}] {}: ok, {} frames ({} masked) at {:.1} fps -> {}",
                self.total,
                report.input.display(),
                report.frames,
                report.masked_frames,
                report.fps,
                report.output.display()
            ),
        };
        match &self.bars {
            Some(multi) => {
                let _ = multi.println(line);
            }
            None => eprintln!("sladd: {line}"),
        }
    }

    fn clear(&self) {
        if let Some(overall) = &self.overall {
            overall.finish_and_clear();
        }
    }
}

fn truncate(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_owned()
    } else {
        let head: String = name.chars().take(max.saturating_sub(1)).collect();
        format!("{head}…")
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
