//! `sladd redact`: decode, mask every frame as the policy decides at that
//! frame's instant, re-encode, mux. Files in parallel, a progress bar each,
//! one status per file, nothing half-written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use jiff::Timestamp;
use sladd_core::Style;
use sladd_evidence::signature::ManifestSignature;
use sladd_evidence::Manifest;
use sladd_ffmpeg::{AudioMode, EncoderSettings, OnCorrupt, RedactOptions, Uncommitted};
use sladd_policy::{Camera, Policy};

use crate::exit::{Exit, Failure};
use crate::inputs::{self, Job};
use crate::masker::{MaskError, PipelineMasker};
use crate::progress::{Mode, Progress};
use crate::signing::{SignArgs, Signer};

pub(crate) use report::{FileReport, Output};

mod report;

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
    /// The camera that recorded the inputs (its id in the site file; may be
    /// left out when the site has one camera).
    #[arg(long, value_name = "ID", conflicts_with = "plan")]
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
    pub(crate) json: bool,
    /// Seconds between progress lines when stderr is not a terminal.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = parse_interval)]
    progress_interval: f64,
    /// No progress on stderr (errors still go to the report).
    #[arg(long, short = 'q')]
    quiet: bool,
    #[command(flatten)]
    pub(crate) signing: SignArgs,
}

impl Args {
    /// How progress is shown: `--quiet`, `--progress-interval`, and
    /// whether stderr is a terminal.
    pub(crate) fn progress_mode(&self) -> Mode {
        Mode::detect(self.quiet, Duration::from_secs_f64(self.progress_interval))
    }
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
    pub(crate) batch: Option<sladd_evidence::BatchEntry>,
    /// SHA-256 of the site file's bytes.
    pub(crate) config_sha256: String,
    /// The keys the evidence is signed with.
    pub(crate) signer: Arc<Signer>,
}

impl Setup {
    /// The setup for `camera`, with the flags' or the plan's encoder
    /// settings, the camera's clock rule, and the site's file hash in the
    /// output's comment.
    pub(crate) fn new(
        site: &Path,
        camera: Camera,
        encoding: Encoding<'_>,
        batch: Option<sladd_evidence::BatchEntry>,
        signer: Arc<Signer>,
    ) -> Result<Self> {
        let (config_sha256, _) = sladd_evidence::sha256_file(site)?;
        let options = RedactOptions {
            audio: audio_mode(encoding.audio, &camera),
            on_corrupt: match encoding.on_corrupt {
                CorruptChoice::Stop => OnCorrupt::Stop,
                CorruptChoice::Skip => OnCorrupt::Skip,
            },
            start: encoding.start,
            clock: crate::clock::judge(&camera, Timestamp::now()),
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
            config_sha256,
            signer,
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
    let Some(site) = &args.site else {
        bail!(Failure {
            exit: Exit::Usage,
            message: "give -c SITE (or --plan PLAN)".into()
        });
    };
    let policy = Policy::load(site)?;
    let camera = super::camera(&policy, args.camera.as_deref())?.clone();
    let camera_id = camera.id.clone();
    let encoding = Encoding {
        style: args.style,
        audio: args.audio,
        on_corrupt: args.on_corrupt,
        start: args.start,
        preset: &args.preset,
        crf: args.crf,
        skip_existing: args.skip_existing,
    };
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
    let outputs: Vec<&Path> = jobs.iter().map(|j| j.output.as_path()).collect();
    let signer = Arc::new(Signer::load(&args.signing, &outputs)?);
    let setup = Setup::new(site, camera, encoding, None, signer)?;
    start_ffmpeg()?;
    let (files, interrupted) = redact_all(
        &jobs,
        args.jobs,
        args.progress_mode(),
        |i, job, progress| redact_one(i, job, &setup, progress),
    );
    let output = Output {
        camera: Some(camera_id),
        config: site.clone(),
        config_sha256: setup.config_sha256.clone(),
        files,
    };
    finish(&output, args.json, interrupted)
}

/// FFmpeg initialised and quiet, and Ctrl-C caught.
pub(crate) fn start_ffmpeg() -> Result<()> {
    sladd_ffmpeg::init()?;
    sladd_ffmpeg::quiet_ffmpeg_logs();
    // Ctrl-C, SIGTERM and SIGHUP only set the flag, so a second one while
    // shutting down cannot cut the cleanup short. Without the handler a
    // signal would kill the run before it removes its temporary outputs.
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst))
        .context("installing the Ctrl-C handler")?;
    Ok(())
}

/// Runs `one` over `jobs` on `workers` threads with progress on stderr;
/// the reports in the jobs' order (those not started: interrupted), and
/// whether the run was interrupted.
pub(crate) fn redact_all(
    jobs: &[Job],
    workers: usize,
    mode: Mode,
    one: impl Fn(usize, &Job, &Progress) -> FileReport + Sync,
) -> (Vec<FileReport>, bool) {
    let progress = Progress::new(jobs.len(), mode);
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
                progress.finished(i, &report.outcome_line());
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
    if json {
        crate::text::print(&serde_json::to_string_pretty(output)?)?;
    } else {
        crate::text::print(&report::table(&output.files))?;
    }
    Ok(if interrupted {
        Exit::Interrupted
    } else {
        worst(&output.files)
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
pub(crate) fn redact_one(
    index: usize,
    job: &Job,
    setup: &Setup,
    progress: &Progress,
) -> FileReport {
    let mut report = redact_unchecked(index, job, setup, progress);
    report.exit_code = report.exit.code();
    report
}

fn redact_unchecked(index: usize, job: &Job, setup: &Setup, progress: &Progress) -> FileReport {
    let mut report = FileReport::new(job);
    if setup.skip_existing && job.output.exists() {
        match vouched(&job.output, &setup.signer) {
            Ok(()) => return FileReport::skipped(job, "exists"),
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
    // The camera's own signatures, read from a regular file before
    // redacting (a FIFO cannot be read twice, so it is not scanned): an
    // input that cannot be demuxed to its end is not redacted either.
    if std::fs::metadata(&job.input).is_ok_and(|m| m.is_file()) {
        match sladd_evidence::input_signature::scan_file(&job.input) {
            Ok(scan) => report.input_signatures = Some(scan.found()),
            Err(e) => {
                report.exit = Exit::Input;
                report.error = Some(crate::text::error_chain(&e));
                report.created_folders = created;
                return report;
            }
        }
    }
    let mut masker = match PipelineMasker::new(&setup.camera, setup.style, &INTERRUPTED) {
        Ok(masker) => masker,
        Err(e) => {
            report.error = Some(e.to_string());
            report.exit = Exit::Usage;
            return report;
        }
    };
    let mut file = progress.start(index, &job.input);
    let result = sladd_ffmpeg::redact_uncommitted(
        &job.input,
        &job.output,
        &mut masker,
        &setup.options,
        |p| {
            file.tick(p.frames_done, p.total_estimate);
        },
    );
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
    report.fill(written.report(), setup.start);
    if let Err((exit, message)) = commit(&mut report, written, setup) {
        report.status = "error";
        report.exit = exit;
        report.error = Some(message);
        report.created_folders = created;
    }
    report
}

/// Whether an existing output may be left as it is (`--skip-existing`):
/// its manifest vouches for it and, with `--sign-key`, is signed by that
/// key.
///
/// # Errors
/// Why not, in words.
fn vouched(output: &Path, signer: &Signer) -> std::result::Result<(), String> {
    let manifest = Manifest::vouches_for(output)?;
    let Some(key) = &signer.key else {
        return Ok(());
    };
    let path = sladd_evidence::manifest_path(output);
    let check =
        sladd_evidence::signature::check_signature(&path, &manifest, &key.public_key(), true)
            .map_err(|e| e.to_string())?;
    if check.ok {
        Ok(())
    } else {
        Err(format!("its manifest's signature: {}", check.message))
    }
}

/// Records the evidence of a written output, embeds Content Credentials in
/// it (`--c2pa-cert`), then gives it its final name with its manifest and
/// the manifest's signature (`--sign-key`) placed right after it: all of
/// them, or none.
///
/// # Errors
/// The file's exit and the message for its report.
fn commit(
    report: &mut FileReport,
    mut written: Uncommitted,
    setup: &Setup,
) -> std::result::Result<(), (Exit, String)> {
    let failed = |e: &sladd_ffmpeg::Error| (exit_of(e), crate::text::error_chain(e));
    let mut manifest =
        manifest_for(report, written.report(), written.path(), setup).map_err(|e| {
            let why = crate::text::error_chain(&e);
            let output = report.output.display();
            (
                Exit::Output,
                format!("the manifest of {output} cannot be written: {why}"),
            )
        })?;
    if let Some(credentials) = &setup.signer.c2pa {
        embed_c2pa(&mut written, &mut manifest, credentials, &setup.camera)
            .map_err(|e| failed(&e))?;
        report.c2pa = true;
    }
    let mut companions = vec![manifest.companion()];
    if let Some(key) = &setup.signer.key {
        companions.push(ManifestSignature::create(key, &manifest).companion(&manifest));
    }
    written.commit(companions).map_err(|e| failed(&e))?;
    let manifest_path = sladd_evidence::manifest_path(&report.output);
    report.status = "ok";
    report.output_sha256 = Some(manifest.output.sha256);
    report.signature = setup
        .signer
        .key
        .as_ref()
        .map(|_| sladd_evidence::signature::signature_path(&manifest_path));
    report.manifest = Some(manifest_path);
    Ok(())
}

/// Signs a C2PA manifest of the redaction `manifest` records into the
/// written output, and records the output's new hash.
///
/// # Errors
/// [`sladd_ffmpeg::Error::Finish`] when the C2PA manifest cannot be made or
/// signed, or the output read again; nothing of it is left then.
fn embed_c2pa(
    written: &mut Uncommitted,
    manifest: &mut Manifest,
    credentials: &sladd_evidence::c2pa::Credentials,
    camera: &Camera,
) -> std::result::Result<(), sladd_ffmpeg::Error> {
    const WHAT: &str = "embed Content Credentials in";
    let output = manifest.output.path.clone();
    let failed = |e: sladd_evidence::Error| sladd_ffmpeg::Error::Finish {
        what: WHAT,
        path: output.clone(),
        source: Box::new(e),
    };
    {
        let provenance = sladd_evidence::c2pa::Provenance::of(manifest, camera).map_err(failed)?;
        written.rewrite(WHAT, |current, next| {
            sladd_evidence::c2pa::embed(credentials, &provenance, current, next)
        })?;
    }
    manifest.rehash_output(written.path()).map_err(failed)
}

/// The evidence manifest of a redacted file, whose bytes are at `written`
/// until it is committed under the report's output name.
fn manifest_for(
    report: &FileReport,
    r: &sladd_ffmpeg::Report,
    written: &Path,
    setup: &Setup,
) -> sladd_evidence::Result<sladd_evidence::Manifest> {
    let mut manifest = sladd_evidence::Manifest::record(sladd_evidence::Record {
        camera: &setup.camera.id,
        style: setup.style,
        start: r.start,
        start_source: sladd_evidence::StartSource::of(setup.start, r.start),
        input: &report.input,
        output: &report.output,
        written: Some(written),
        config: &setup.site,
        encoder: &r.encoder,
        audio: r.audio.into(),
        frames: r.frames,
        masked_frames: r.masked_frames,
        full_frame_masked: r.full_frame_masked,
        decisions: report.decisions.iter().map(Into::into).collect(),
        dropped_streams: report.dropped_streams.clone(),
        input_signatures: report.input_signatures.clone(),
    })?;
    manifest.batch.clone_from(&setup.batch);
    manifest
        .masked_substreams
        .clone_from(&report.masked_substreams);
    Ok(manifest)
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
