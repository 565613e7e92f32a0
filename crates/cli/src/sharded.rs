//! `sladd redact --plan PLAN --shard …`: one shard of a batch plan, each
//! file exactly once. The plan, the shard, the locks and the done-ness
//! check are `sladd-batch`'s; the redaction is `redact`'s.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Result};
use clap::ValueEnum;
use jiff::Timestamp;
use serde::Serialize;
use sladd_batch::done::{self, Receipt, Redo, Status};
use sladd_batch::lock::{host_name, Attempt, Holder, OutputLock};
use sladd_batch::merge::ReportHeader;
use sladd_batch::scheduler::{self, Scheduler};
use sladd_batch::{Plan, PlannedFile, Shard};
use sladd_evidence::{manifest_path, BatchEntry, ConfigEntry, Manifest, Version};
use sladd_policy::Policy;

use crate::cmd::batch::failure;
use crate::cmd::redact::{
    self, AudioChoice, CorruptChoice, Encoding, FileReport, Output, Setup, ShardChoice,
};
use crate::exit::{Exit, Failure};
use crate::inputs::Job;
use crate::progress::Progress;
use crate::signing::Signer;

/// A shard report: `sladd redact --json`'s document with the header
/// `sladd batch merge` reads.
#[derive(Serialize)]
struct ShardOutput<'a> {
    #[serde(flatten)]
    header: ReportHeader,
    sladd_version: &'static str,
    #[serde(flatten)]
    output: &'a Output,
}

/// Runs one shard of the plan at `plan_path`.
pub(crate) fn run(args: &redact::Args, plan_path: &Path) -> Result<Exit> {
    let started = Timestamp::now();
    let plan = Plan::load(plan_path).map_err(|e| failure(Exit::Usage, &e))?;
    let site = args
        .site
        .clone()
        .unwrap_or_else(|| Plan::resolve(plan_path, &plan.site.path));
    let policy = Policy::load(&site)?;
    let site_sha256 = ConfigEntry::of(&site, Version::CURRENT)?.sha256;
    plan.check_current(&site_sha256, env!("CARGO_PKG_VERSION"))
        .map_err(|e| failure(Exit::Usage, &e))?;
    let (shard, scheduler) = choose_shard(args, &plan)?;
    let indexes = plan.shard_of(shard);
    let jobs: Vec<Job> = indexes
        .iter()
        .map(|&i| Job {
            input: Plan::resolve(plan_path, &plan.files[i].input),
            output: Plan::resolve(plan_path, &plan.files[i].output),
        })
        .collect();
    let outputs: Vec<&Path> = jobs.iter().map(|j| j.output.as_path()).collect();
    let signer = Arc::new(Signer::load(&args.signing, &outputs)?);
    let setups = setups(&plan, &indexes, &policy, &site, shard, &signer)?;
    let out_dir = Plan::resolve(plan_path, &plan.out_dir);
    std::fs::create_dir_all(&out_dir).map_err(|e| {
        failure(
            Exit::Output,
            &format!("cannot create the output folder {}: {e}", out_dir.display()),
        )
    })?;
    eprintln!(
        "sladd: shard {shard} of plan {}: {} of {} files",
        plan_path.display(),
        jobs.len(),
        plan.files.len()
    );
    redact::start_ffmpeg()?;
    let holder = format!("shard {shard} of plan {}", short(&plan.plan_sha256));
    let mode = args.progress_mode();
    let (mut files, interrupted) =
        redact::redact_all(&jobs, args.jobs, mode, |k, job, progress| {
            let file = &plan.files[indexes[k]];
            match setups.get(&file.camera) {
                Some(setup) => one(&plan, file, (k, job), setup, &holder, progress),
                None => FileReport::failed(job, Exit::Usage, format!("no camera {}", file.camera)),
            }
        });
    for (report, &i) in files.iter_mut().zip(&indexes) {
        spell_as_planned(report, &plan.files[i]);
    }
    let cameras: Vec<&String> = setups.keys().collect();
    let output = Output {
        camera: match cameras.as_slice() {
            [only] => Some((*only).clone()),
            _ => None,
        },
        config: site.clone(),
        config_sha256: match setups.values().next() {
            Some(setup) => setup.config_sha256.clone(),
            None => sladd_evidence::sha256_file(&site)?.0,
        },
        files,
    };
    let report = ShardOutput {
        header: ReportHeader {
            plan: plan_path.to_path_buf(),
            plan_sha256: plan.plan_sha256.clone(),
            shard,
            scheduler: scheduler.map(|s| scheduler_name(s).to_owned()),
            host: host_name(),
            started,
            finished: Timestamp::now(),
        },
        sladd_version: env!("CARGO_PKG_VERSION"),
        output: &output,
    };
    let text = serde_json::to_string_pretty(&report)?;
    let report_path = out_dir.join(shard.report_name());
    write_report(&report_path, &text)?;
    eprintln!("sladd: wrote {}", report_path.display());
    if args.json {
        crate::text::print(&text)?;
        return Ok(if interrupted {
            Exit::Interrupted
        } else {
            redact::worst(&output.files)
        });
    }
    redact::finish(&output, false, interrupted)
}

/// The shard `--shard` names, or the scheduler's (`auto`), and which
/// scheduler gave it.
fn choose_shard(args: &redact::Args, plan: &Plan) -> Result<(Shard, Option<Scheduler>)> {
    match args.shard {
        Some(ShardChoice::Given(shard)) => Ok((shard, None)),
        Some(ShardChoice::Auto) => {
            let (shard, by) =
                scheduler::detect(|k| std::env::var(k).ok(), args.shards, plan.shards)
                    .map_err(|e| failure(Exit::Usage, &e))?;
            Ok((shard, Some(by)))
        }
        None => bail!(failure(
            Exit::Usage,
            &"--plan needs --shard I/N or --shard auto"
        )),
    }
}

/// The scheduler's name in a shard report.
fn scheduler_name(scheduler: Scheduler) -> &'static str {
    match scheduler {
        Scheduler::Kubernetes => "kubernetes",
        Scheduler::Slurm => "slurm",
    }
}

/// One redaction setup per camera among the shard's files, from the
/// plan's settings.
fn setups(
    plan: &Plan,
    indexes: &[usize],
    policy: &Policy,
    site: &Path,
    shard: Shard,
    signer: &Arc<Signer>,
) -> Result<BTreeMap<String, Setup>> {
    let s = &plan.settings;
    let bad = |what: &str, value: &str| {
        failure(
            Exit::Usage,
            &format!("the plan's {what} '{value}' is not one this sladd knows"),
        )
    };
    let style = crate::cmd::parse_style(&s.style).map_err(|_| bad("style", &s.style))?;
    let audio = AudioChoice::from_str(&s.audio, false).map_err(|_| bad("audio", &s.audio))?;
    let on_corrupt = CorruptChoice::from_str(&s.on_corrupt, false)
        .map_err(|_| bad("on_corrupt", &s.on_corrupt))?;
    let batch = BatchEntry {
        plan_sha256: plan.plan_sha256.clone(),
        shard: shard.to_string(),
    };
    let mut setups = BTreeMap::new();
    for &i in indexes {
        let id = &plan.files[i].camera;
        if setups.contains_key(id) {
            continue;
        }
        let camera = policy.camera(id)?.clone();
        let encoding = Encoding {
            style,
            audio,
            on_corrupt,
            start: s.start,
            preset: &s.preset,
            crf: s.crf,
            skip_existing: false,
        };
        setups.insert(
            id.clone(),
            Setup::new(
                site,
                camera,
                encoding,
                Some(batch.clone()),
                Arc::clone(signer),
            )?,
        );
    }
    Ok(setups)
}

/// One planned file: locked, checked against the plan and its manifest,
/// redacted unless proven done.
fn one(
    plan: &Plan,
    file: &PlannedFile,
    (index, job): (usize, &Job),
    setup: &Setup,
    holder: &str,
    progress: &Progress,
) -> FileReport {
    if let Some(parent) = job.output.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(parent) {
            let message = format!("cannot create the output folder {}: {e}", parent.display());
            return FileReport::failed(job, Exit::Output, message);
        }
    }
    let lock = match OutputLock::try_acquire(&job.output, &Holder::this_process(holder)) {
        Ok(Attempt::Acquired(lock)) => lock,
        Ok(Attempt::Busy(by)) => {
            let mut report = FileReport::skipped(job, "locked");
            report.notes.push(match by {
                Some(by) => format!("held by {by}"),
                None => "held by another worker".into(),
            });
            return report;
        }
        Err(e) => return FileReport::failed(job, Exit::Output, e.to_string()),
    };
    // A worker that died holding the lock leaves its temporary output.
    let left: Vec<PathBuf> = lock.previous().map_or_else(Vec::new, |previous| {
        sladd_ffmpeg::output::remove_left_by(&job.output, previous.pid)
    });
    if let Err(why) = file.check_unchanged(&job.input) {
        let exit = if job.input.exists() {
            Exit::Usage
        } else {
            Exit::Input
        };
        return FileReport::failed(job, exit, why);
    }
    let manifest = manifest_path(&job.output);
    let status = match done::judge(plan, file, &job.output, receipt(&manifest)) {
        Ok(status) => status,
        Err(e) => return FileReport::failed(job, Exit::Output, e.to_string()),
    };
    let mut report = match status {
        Status::Done(sha256) => {
            let mut report = FileReport::skipped(job, "done");
            report.output_sha256 = Some(sha256);
            report.manifest = Some(manifest);
            report
        }
        Status::Redo(why) => {
            let mut report = redact::redact_one(index, job, setup, progress);
            if why != Redo::NoOutput {
                report.notes.push(format!("redone: {why}"));
            }
            report
        }
    };
    if let Some(previous) = lock.previous() {
        report.notes.push(format!(
            "took over from a worker that stopped while holding this file: {previous}"
        ));
    }
    for temp in left {
        report
            .notes
            .push(format!("removed its temporary output {}", temp.display()));
    }
    drop(lock);
    report
}

/// What the manifest at `path` says, if there is one.
fn receipt(path: &Path) -> Option<std::result::Result<Receipt, String>> {
    if !path.exists() {
        return None;
    }
    Some(
        Manifest::read(path)
            .map(|m| Receipt {
                output_sha256: m.output.sha256,
                input_bytes: m.input.bytes,
                input_sha256: m.input.sha256,
                site_sha256: m.config.sha256,
                plan_sha256: m.batch.map(|b| b.plan_sha256),
            })
            .map_err(|e| e.to_string()),
    )
}

/// The report's paths as the plan spells them, so that reports from
/// workers that mount the archive elsewhere merge.
fn spell_as_planned(report: &mut FileReport, file: &PlannedFile) {
    report.input.clone_from(&file.input);
    report.output.clone_from(&file.output);
    if report.manifest.is_some() {
        report.manifest = Some(manifest_path(&file.output));
    }
    report.camera = Some(file.camera.clone());
}

/// Writes the shard report through a temporary name.
fn write_report(path: &Path, text: &str) -> Result<()> {
    let temp: PathBuf = path.with_file_name(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        std::process::id()
    ));
    let written =
        std::fs::write(&temp, format!("{text}\n")).and_then(|()| std::fs::rename(&temp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        bail!(Failure {
            exit: Exit::Output,
            message: format!("cannot write the shard report {}: {e}", path.display()),
        });
    }
    Ok(())
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
