//! `sladd batch plan` and `sladd batch merge`: the two ends of a sharded
//! batch (`sladd redact --plan … --shard …` is the middle). The work is
//! `sladd-batch`'s; this is its command line.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use jiff::Timestamp;
use serde::Serialize;
use sladd_batch::merge::{merge, Merged, ShardReport};
use sladd_batch::plan::{Request, Settings, Site};
use sladd_batch::shard::{assign_round_robin, Balance};
use sladd_batch::{Candidate, Plan, Probe, Shard};
use sladd_policy::Policy;

use super::redact::{AudioChoice, CorruptChoice, PRESETS};
use crate::exit::{Exit, Failure};

/// Plan a batch for many workers, or merge what they reported.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    Plan(PlanArgs),
    Merge(MergeArgs),
}

/// Write the work list of a sharded batch: every file's path, size,
/// duration, modification time and output, the site's hash and sladd's
/// version.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd batch plan /archive -c /archive/site.toml --camera kasse-1 --out-dir /archive/redacted \\
      -o /archive/plan.json
  sladd batch plan /data/archive -c /data/site.toml --out-dir /data/redacted --shards 4 \\
      --hash-inputs -o /data/plan.json --json

Then run `sladd redact --plan PLAN --shard I/N` (or `--shard auto` under a Slurm job
array or a Kubernetes Indexed Job) once per shard, and `sladd batch merge`. Paths inside
the plan's folder are recorded relative to it: keep the plan at the root of the volume
the workers share. Durations are read from the containers' headers, in parallel; inputs
are hashed only with --hash-inputs.")]
struct PlanArgs {
    /// Video files, or folders searched recursively for video files.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The site configuration (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    site: PathBuf,
    /// The camera that recorded the inputs. Without it, each input's camera
    /// is the one whose `recordings` globs name it (when the site has
    /// such globs), else the site's only camera.
    #[arg(long, value_name = "ID")]
    camera: Option<String>,
    /// Output folder: mirrors the input tree.
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
    /// Where to write the plan.
    #[arg(short = 'o', long, value_name = "PLAN")]
    output: PathBuf,
    /// Record a shard count: each file's `shard` for it, and the count
    /// `--shard auto` uses under Kubernetes when `--shards` is not given.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=i64::from(Shard::MAX_COUNT)))]
    shards: Option<u32>,
    /// Take every input's SHA-256 (reads the whole archive): a file is then
    /// done only if its manifest names exactly these bytes.
    #[arg(long)]
    hash_inputs: bool,
    /// The recordings' start (RFC 3339), overriding their creation_time.
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant)]
    start: Option<Timestamp>,
    /// Style for zones whose config names none.
    #[arg(long, value_name = "STYLE", value_parser = super::parse_style, default_value = "fill")]
    style: sladd_core::Style,
    /// Audio: as the camera's config allows (policy), always drop (strip), or keep.
    #[arg(long, value_enum, default_value_t = AudioChoice::Policy)]
    audio: AudioChoice,
    /// Damaged frames: stop the file, or skip them.
    #[arg(long, value_enum, default_value_t = CorruptChoice::Stop)]
    on_corrupt: CorruptChoice,
    /// x264/x265 preset.
    #[arg(long, default_value = "veryfast", value_parser = PRESETS)]
    preset: String,
    /// Constant rate factor.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=51))]
    crf: Option<u8>,
    /// Print one JSON document on stdout.
    #[arg(long)]
    json: bool,
}

/// Merge the shard reports of a plan into one summary: every planned file
/// once, missing files and conflicting reports named.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd batch merge /archive/redacted/report.shard-*-of-4.json --plan /archive/plan.json
  sladd batch merge --plan /archive/plan.json --shards 4 --json -o /archive/summary.json

Exit codes: 0 every planned file redacted (or found done) once; 3 a planned file is in no
report (its shard never ran or was killed before reporting); otherwise the worst code of
the files' own (2 drift, 3 input, 4 output, 130 interrupted); 1 when two reports disagree
on a file. A named report that does not exist counts as a shard that never reported.")]
struct MergeArgs {
    /// Shard reports (`report.shard-I-of-N.json`).
    #[arg(value_name = "REPORT", required_unless_present = "shards")]
    reports: Vec<PathBuf>,
    /// The plan the reports are of.
    #[arg(long, value_name = "PLAN")]
    plan: PathBuf,
    /// Merge the N reports `report.shard-I-of-N.json` in the plan's output folder.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=i64::from(Shard::MAX_COUNT)))]
    shards: Option<u32>,
    /// Also write the JSON summary to this file.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print one JSON document on stdout instead of the table.
    #[arg(long)]
    json: bool,
}

/// Runs `sladd batch`.
pub(crate) fn run(args: &Args) -> Result<Exit> {
    match &args.command {
        Command::Plan(a) => plan(a),
        Command::Merge(a) => merge_reports(a),
    }
}

/// Durations through sladd-ffmpeg's header probe.
struct HeaderProbe;

impl Probe for HeaderProbe {
    fn duration(&self, path: &Path) -> std::result::Result<Option<f64>, String> {
        sladd_ffmpeg::probe::duration(path).map_err(|e| format!("{:#}", anyhow::Error::from(e)))
    }
}

#[derive(Serialize)]
struct PlanSummary<'a> {
    plan: &'a Path,
    plan_sha256: &'a str,
    site_sha256: &'a str,
    sladd_version: &'a str,
    files: usize,
    bytes: u64,
    seconds: f64,
    probe_errors: usize,
    shards: Option<u32>,
    balance: Option<BalanceSummary>,
    planning_seconds: f64,
}

#[derive(Serialize)]
struct BalanceSummary {
    busiest_seconds: f64,
    mean_seconds: f64,
    lpt: f64,
    round_robin: f64,
}

fn plan(args: &PlanArgs) -> Result<Exit> {
    let clock = Instant::now();
    let policy = Policy::load(&args.site)?;
    let site_sha256 =
        sladd_evidence::ConfigEntry::of(&args.site, sladd_evidence::Version::CURRENT)?.sha256;
    let jobs = crate::inputs::plan(&args.inputs, None, Some(&args.out_dir))?;
    if jobs.is_empty() {
        bail!(Failure {
            exit: Exit::Input,
            message: "no video files found in the inputs".into()
        });
    }
    sladd_ffmpeg::init()?;
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let camera_of = cameras(args, &policy)?;
    let candidates = jobs
        .into_iter()
        .map(|job| {
            Ok(Candidate {
                camera: camera_of.of(&job.input)?,
                input: job.input,
                output: job.output,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let request = Request {
        plan_path: &args.output,
        site: Site {
            path: args.site.clone(),
            sha256: site_sha256,
        },
        settings: Settings {
            style: args.style.to_string(),
            audio: value_name(&args.audio),
            on_corrupt: value_name(&args.on_corrupt),
            preset: args.preset.clone(),
            crf: args.crf,
            start: args.start,
        },
        out_dir: &args.out_dir,
        shards: args.shards,
        hash_inputs: args.hash_inputs,
        sladd_version: env!("CARGO_PKG_VERSION"),
    };
    let plan = Plan::build(&request, candidates, &HeaderProbe).map_err(batch_error)?;
    if let Some(dir) = args.output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the folder of {}", args.output.display()))
            .map_err(output_error)?;
    }
    plan.write(&args.output).map_err(batch_error)?;
    let summary = PlanSummary {
        plan: &args.output,
        plan_sha256: &plan.plan_sha256,
        site_sha256: &plan.site.sha256,
        sladd_version: &plan.sladd_version,
        files: plan.totals.files,
        bytes: plan.totals.bytes,
        seconds: plan.totals.seconds,
        probe_errors: plan
            .files
            .iter()
            .filter(|f| f.probe_error.is_some())
            .count(),
        shards: plan.shards,
        balance: plan.shards.map(|n| balance(&plan, n)),
        planning_seconds: clock.elapsed().as_secs_f64(),
    };
    if args.json {
        crate::text::print(&serde_json::to_string_pretty(&summary)?)?;
    } else {
        crate::text::print(&plan_text(&summary))?;
    }
    Ok(Exit::Success)
}

/// Which camera recorded each input.
enum Cameras {
    /// `--camera`, or the site's only camera.
    One(String),
    /// The cameras' `recordings` globs, by canonical path.
    Globs(std::collections::BTreeMap<PathBuf, String>),
}

impl Cameras {
    /// The camera of `input`.
    ///
    /// # Errors
    /// Exit 2 for an input no camera's `recordings` name: planning it
    /// under a guessed camera could mask the wrong zones.
    fn of(&self, input: &Path) -> Result<String> {
        match self {
            Cameras::One(id) => Ok(id.clone()),
            Cameras::Globs(by_file) => std::fs::canonicalize(input)
                .ok()
                .and_then(|path| by_file.get(&path).cloned())
                .ok_or_else(|| {
                    usage(format!(
                        "{}: no camera's `recordings` in the site file name it; give --camera ID \
                         or add it to a camera's recordings",
                        input.display()
                    ))
                }),
        }
    }
}

/// `--camera`; else the cameras' `recordings` globs when any camera has
/// them; else the site's only camera.
fn cameras(args: &PlanArgs, policy: &Policy) -> Result<Cameras> {
    if let Some(id) = &args.camera {
        return Ok(Cameras::One(policy.camera(id)?.id.clone()));
    }
    if policy.cameras().iter().any(|c| !c.recordings.is_empty()) {
        return Ok(Cameras::Globs(crate::archive::cameras_by_file(
            policy, &args.site,
        )?));
    }
    match policy.cameras() {
        [only] => Ok(Cameras::One(only.id.clone())),
        _ => Err(usage(
            "the site has several cameras and none names its `recordings`: give --camera ID".into(),
        )),
    }
}

fn balance(plan: &Plan, count: u32) -> BalanceSummary {
    let weights = plan.weights();
    let lpt: Vec<u32> = plan.files.iter().map(|f| f.shard.unwrap_or(0)).collect();
    let lpt = Balance::of(&weights, &lpt, count);
    let dealt = Balance::of(&weights, &assign_round_robin(weights.len(), count), count);
    BalanceSummary {
        busiest_seconds: lpt.max as f64 / 1000.0,
        mean_seconds: lpt.mean / 1000.0,
        lpt: lpt.ratio(),
        round_robin: dealt.ratio(),
    }
}

fn plan_text(s: &PlanSummary<'_>) -> String {
    let mut lines = vec![
        format!(
            "planned {} files ({:.1} MB, {} of video) in {:.2} s -> {}",
            s.files,
            s.bytes as f64 / 1e6,
            hours(s.seconds),
            s.planning_seconds,
            s.plan.display()
        ),
        format!("plan_sha256  {}", s.plan_sha256),
        format!("site sha256  {}", s.site_sha256),
    ];
    if s.probe_errors > 0 {
        lines.push(format!(
            "note: {} files could not be probed (planned all the same; their redaction will say why)",
            s.probe_errors
        ));
    }
    if let (Some(n), Some(b)) = (s.shards, &s.balance) {
        lines.push(format!(
            "{n} shards: busiest {} against a mean of {} ({:.3}; dealt in turn {:.3})",
            hours(b.busiest_seconds),
            hours(b.mean_seconds),
            b.lpt,
            b.round_robin
        ));
    }
    lines.join("\n")
}

/// Seconds as `1h02m03s` (or `12.3 s` under a minute).
fn hours(seconds: f64) -> String {
    if seconds < 60.0 {
        return format!("{seconds:.1} s");
    }
    let total = seconds.round() as u64;
    format!("{}h{:02}m{:02}s", total / 3600, total / 60 % 60, total % 60)
}

#[derive(Serialize)]
struct MergeOutput<'a> {
    plan: &'a Path,
    #[serde(flatten)]
    merged: &'a Merged,
}

fn merge_reports(args: &MergeArgs) -> Result<Exit> {
    let plan = Plan::load(&args.plan).map_err(|e| failure(Exit::Usage, &e))?;
    let mut paths = args.reports.clone();
    if let Some(count) = args.shards {
        let out_dir = Plan::resolve(&args.plan, &plan.out_dir);
        for index in 0..count {
            let shard = Shard::new(index, count).map_err(|e| failure(Exit::Usage, &e))?;
            paths.push(out_dir.join(shard.report_name()));
        }
    }
    let mut reports = Vec::new();
    for path in &paths {
        if !path.exists() {
            eprintln!(
                "sladd: {} does not exist: its shard never reported, its files count as missing",
                path.display()
            );
            continue;
        }
        reports.push(ShardReport::load(path).map_err(|e| failure(Exit::Usage, &e))?);
    }
    let merged = merge(&plan, &reports).map_err(batch_error)?;
    let output = MergeOutput {
        plan: &args.plan,
        merged: &merged,
    };
    let json = serde_json::to_string_pretty(&output)?;
    if let Some(file) = &args.output {
        std::fs::write(file, format!("{json}\n"))
            .with_context(|| format!("writing {}", file.display()))
            .map_err(output_error)?;
    }
    if args.json {
        crate::text::print(&json)?;
    } else {
        crate::text::print(&merge_text(&merged))?;
    }
    Ok(Exit::from_code(merged.exit_code()))
}

fn merge_text(m: &Merged) -> String {
    let field = |f: &serde_json::Value, k: &str| -> String {
        match &f[k] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    };
    let width = m
        .files
        .iter()
        .map(|f| field(f, "input").chars().count())
        .chain(
            m.missing
                .iter()
                .map(|x| x.input.display().to_string().chars().count()),
        )
        .max()
        .unwrap_or(5)
        .clamp(5, 60);
    let mut lines = vec![format!(
        "{:<width$}  {:<8} {:>7}  output / error",
        "input", "status", "frames"
    )];
    for f in &m.files {
        let status = match (field(f, "status").as_str(), field(f, "reason").as_str()) {
            ("skipped", "") => "skipped".to_owned(),
            ("skipped", reason) => reason.to_owned(),
            (status, _) => status.to_owned(),
        };
        let detail = match field(f, "error") {
            e if !e.is_empty() => e,
            _ => field(f, "output"),
        };
        lines.push(format!(
            "{:<width$}  {status:<8} {:>7}  {detail}",
            field(f, "input"),
            field(f, "frames")
        ));
    }
    for missing in &m.missing {
        let shard = missing
            .shard
            .map_or_else(String::new, |s| format!(" (shard {s})"));
        lines.push(format!(
            "{:<width$}  {:<8} {:>7}  {}{shard}",
            missing.input.display(),
            "missing",
            "",
            missing.why
        ));
    }
    for c in &m.conflicts {
        let said: Vec<String> = c
            .reports
            .iter()
            .map(|s| format!("{} says {}", s.report.display(), s.status))
            .collect();
        lines.push(format!(
            "conflict: {}: {}",
            c.input.display(),
            said.join(", ")
        ));
    }
    let n = m.counts;
    lines.push(format!(
        "{} planned: {} redacted, {} already done, {} failed, {} missing, {} conflicts",
        n.planned, n.ok, n.skipped, n.failed, n.missing, n.conflicts
    ));
    lines.join("\n")
}

/// The spelling of a `--flag VALUE` choice.
fn value_name(choice: &impl clap::ValueEnum) -> String {
    choice
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

fn usage(message: String) -> anyhow::Error {
    Failure {
        exit: Exit::Usage,
        message,
    }
    .into()
}

fn output_error(e: anyhow::Error) -> anyhow::Error {
    Failure {
        exit: Exit::Output,
        message: format!("{e:#}"),
    }
    .into()
}

/// A `sladd-batch` error while planning, with its exit code: an input
/// that cannot be read 3, a plan that cannot be written 4, anything else 2.
fn batch_error(e: sladd_batch::Error) -> anyhow::Error {
    let exit = match &e {
        sladd_batch::Error::Io { action, .. } if *action == "read" => Exit::Input,
        sladd_batch::Error::Io { .. } => Exit::Output,
        _ => Exit::Usage,
    };
    failure(exit, &e)
}

/// `error` ending the run with `exit`.
pub(crate) fn failure(exit: Exit, error: &dyn std::fmt::Display) -> anyhow::Error {
    Failure {
        exit,
        message: error.to_string(),
    }
    .into()
}
