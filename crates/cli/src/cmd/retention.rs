//! `sladd retention`: every recording's lawful deadline and what to do with
//! it; with `--apply`, deletes exactly the overdue ones, each logged first.

use std::path::PathBuf;

use anyhow::{bail, Result};
use jiff::Timestamp;
use serde::Serialize;
use sladd_archive::apply::{self, Outcome, Status};
use sladd_archive::retention::{Action, HoldState, Plan};
use sladd_policy::Policy;

use crate::exit::{Exit, Failure};
use crate::text::{emit, wrap};

/// List every recording's retention deadline and action; delete the
/// overdue ones with --apply.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd retention -c site.toml
  sladd retention -c site.toml --now 2026-03-09T10:00:00+01:00 --json
  sladd retention -c site.toml --holds holds.toml --apply

Recordings come from each camera's `recordings` globs. A dry run (the default)
deletes nothing. --apply deletes exactly the recordings marked `delete` (with the
sladd outputs and manifests made from them in the archive), each first appended to
retention-log.jsonl beside the site file and synced to disk. Holds come from
--holds, else holds.toml or holds.json beside the site file.

Exit codes: 0 nothing overdue (or all of it deleted), 1 something overdue in a dry
run or not deletable, 2 configuration error.")]
pub(crate) struct Args {
    /// The site file (.toml or .json).
    #[arg(
        short = 'c',
        long = "config",
        value_name = "SITE",
        default_value = "site.toml"
    )]
    config: PathBuf,
    /// The time to judge at (RFC 3339 with an offset); default: now. With
    /// --apply it may not lie in the future.
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant)]
    now: Option<Timestamp>,
    /// The legal holds file (.toml or .json); default: holds.toml or
    /// holds.json beside the site file, if there is one.
    #[arg(long, value_name = "FILE")]
    holds: Option<PathBuf>,
    /// Delete the overdue recordings (default: a dry run that deletes nothing).
    #[arg(long)]
    apply: bool,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Output {
    site: String,
    now: String,
    dry_run: bool,
    holds_file: Option<PathBuf>,
    log: Option<PathBuf>,
    recordings: Vec<Row>,
    holds: Vec<HoldRow>,
    summary: Summary,
}

#[derive(Debug, Serialize)]
struct Row {
    path: PathBuf,
    camera: String,
    start: Option<String>,
    end: Option<String>,
    deadline: Option<String>,
    action: &'static str,
    rule: &'static str,
    limit: Option<String>,
    start_source: sladd_archive::recording::StartSource,
    bytes: u64,
    holds: Vec<String>,
    reason: String,
    /// With --apply, for `delete`: `deleted`, `resumed`, `gone` or `failed`.
    status: Option<Status>,
    derived: Vec<PathBuf>,
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct HoldRow {
    case: String,
    camera: String,
    from: String,
    to: String,
    until: String,
    reason: String,
    state: HoldState,
    recordings: usize,
    lawful_end: Option<String>,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    keep: usize,
    delete: usize,
    hold: usize,
    #[serde(rename = "unknown-age")]
    unknown_age: usize,
    deleted: usize,
    failed: usize,
}

pub(crate) fn run(args: &Args) -> Result<Exit> {
    let policy = Policy::load(&args.config)?;
    let real_now = Timestamp::now();
    let now = args.now.unwrap_or(real_now);
    if args.apply && now > real_now {
        bail!(Failure {
            exit: Exit::Usage,
            message: format!("--apply deletes by the real time: --now {now} lies in the future"),
        });
    }
    let (plan, archive, holds_file) =
        crate::archive::plan(&policy, &args.config, args.holds.as_deref(), now)?;
    let outcomes = if args.apply {
        let log = apply::log_path(&args.config);
        apply::apply(&plan, &archive, &log, &Timestamp::now).map_err(|e| Failure {
            exit: Exit::Output,
            message: e.to_string(),
        })?
    } else {
        Vec::new()
    };
    let output = output(&policy, &plan, &outcomes, args, holds_file);
    if args.json {
        crate::text::print(&serde_json::to_string_pretty(&output)?)?;
    } else {
        emit(&human(&output))?;
    }
    let failed = output.summary.failed > 0;
    Ok(if failed || (!args.apply && plan.overdue()) {
        Exit::Negative
    } else {
        Exit::Success
    })
}

fn output(
    policy: &Policy,
    plan: &Plan,
    outcomes: &[Outcome],
    args: &Args,
    holds_file: Option<PathBuf>,
) -> Output {
    let local = |t: Timestamp| crate::archive::local_time(t, &policy.site().timezone);
    let mut summary = Summary::default();
    let recordings = plan
        .entries
        .iter()
        .map(|e| {
            match e.action {
                Action::Keep => summary.keep += 1,
                Action::Delete => summary.delete += 1,
                Action::Hold => summary.hold += 1,
                Action::UnknownAge => summary.unknown_age += 1,
            }
            let outcome = outcomes.iter().find(|o| o.path == e.recording.path);
            match outcome.map(|o| o.status) {
                Some(Status::Deleted | Status::Resumed) => summary.deleted += 1,
                Some(Status::Failed) => summary.failed += 1,
                _ => {}
            }
            Row {
                path: e.recording.path.clone(),
                camera: e.recording.camera.clone(),
                start: e.recording.start.map(local),
                end: e.recording.end.map(local),
                deadline: e.deadline.map(local),
                action: e.action.name(),
                rule: e.rule.id(),
                limit: e.limit.clone(),
                start_source: e.recording.start_source,
                bytes: e.recording.bytes,
                holds: e.holds.clone(),
                reason: e.reason.clone(),
                status: outcome.map(|o| o.status),
                derived: outcome.map(|o| o.derived.clone()).unwrap_or_default(),
                error: outcome.and_then(|o| o.error.clone()),
            }
        })
        .collect();
    let holds = plan
        .holds
        .iter()
        .map(|s| HoldRow {
            case: s.hold.case.clone(),
            camera: s.hold.camera.clone(),
            from: local(s.hold.from),
            to: local(s.hold.to),
            until: s.hold.until.to_string(),
            reason: s.hold.reason.clone(),
            state: s.state,
            recordings: s.recordings,
            lawful_end: s.lawful_end.map(local),
        })
        .collect();
    Output {
        site: policy.site().name.clone(),
        now: local(plan.now),
        dry_run: !args.apply,
        holds_file,
        log: args.apply.then(|| apply::log_path(&args.config)),
        recordings,
        holds,
        summary,
    }
}

fn human(out: &Output) -> String {
    let mut text = format!(
        "Retention for {} at {}{}\n",
        out.site,
        out.now,
        if out.dry_run {
            " (dry run: nothing is deleted)"
        } else {
            ""
        }
    );
    if let Some(holds) = &out.holds_file {
        text += &format!("Holds from {}\n", holds.display());
    }
    if out.recordings.is_empty() {
        text += "\nNo recordings: no camera's `recordings` globs match a file.\n";
    } else {
        let width = |f: &dyn Fn(&Row) -> usize, min: usize| {
            out.recordings.iter().map(f).max().unwrap_or(0).max(min)
        };
        let cw = width(&|r| r.camera.chars().count(), 6);
        let rw = width(&|r| r.rule.len(), 4);
        text += &format!(
            "\n{:<cw$}  {:<11}  {:<25}  {:<rw$}  path\n",
            "camera", "action", "deadline", "rule"
        );
        for r in &out.recordings {
            let action = match r.status {
                Some(Status::Deleted | Status::Resumed) => "deleted",
                Some(Status::Failed) => "NOT deleted",
                Some(Status::Gone) => "gone",
                None => r.action,
            };
            text += &format!(
                "{:<cw$}  {:<11}  {:<25}  {:<rw$}  {}\n",
                r.camera,
                action,
                r.deadline.as_deref().unwrap_or("-"),
                r.rule,
                r.path.display()
            );
            let note = match (r.action, r.status, &r.error) {
                (_, Some(Status::Failed), Some(error)) => Some(error.clone()),
                (_, Some(Status::Resumed), _) => Some(
                    "an earlier run logged this deletion and stopped before it; finished now"
                        .to_owned(),
                ),
                ("unknown-age" | "hold", _, _) => Some(r.reason.clone()),
                _ => None,
            };
            if let Some(note) = note {
                text += &format!("{:cw$}  {}\n", "", wrap(&note, 76, &" ".repeat(cw + 2)));
            }
        }
    }
    for h in &out.holds {
        let state = match h.state {
            HoldState::Active => "active",
            HoldState::Expired => "EXPIRED",
            HoldState::PastLawfulEnd => "past its lawful end",
        };
        text += &format!(
            "\nHold {} ({}, {} to {}, until {}): {state}, {} recording{}\n",
            h.case,
            h.camera,
            h.from,
            h.to,
            h.until,
            h.recordings,
            if h.recordings == 1 { "" } else { "s" }
        );
    }
    let s = &out.summary;
    text += &format!(
        "\n{} recordings: {} keep, {} delete, {} hold, {} unknown-age.",
        out.recordings.len(),
        s.keep,
        s.delete,
        s.hold,
        s.unknown_age
    );
    if out.dry_run {
        if s.delete > 0 {
            text += &format!(" {} overdue: `--apply` deletes them.", s.delete);
        }
    } else {
        text += &format!(" {} deleted, {} failed", s.deleted, s.failed);
        if let Some(log) = &out.log {
            text += &format!(", logged to {}", log.display());
        }
        text += ".";
    }
    text.push('\n');
    text
}
