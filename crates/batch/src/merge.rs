//! Shard reports, and merging them into one summary of the whole plan.
//!
//! Each worker writes `report.shard-I-of-N.json`: the keys of `sladd redact
//! --json` (`files` with one entry per file it was handed) and a header
//! naming the plan, the shard and when it ran. [`merge`] reads them with
//! the plan and gives every planned file exactly once:
//!
//! - an entry `skipped` because another worker held its lock (`reason:
//!   "locked"`) defers to that worker's entry;
//! - successes (`ok`, or `skipped` as already done) must agree on the
//!   output's SHA-256; two that differ mean the file was written twice, a
//!   **conflict**, named with both reports;
//! - a success stands over earlier failures (a retried shard); a failure
//!   reported after a success is a conflict too;
//! - a planned file no report covers (a shard that never ran or was killed
//!   before writing its report) is **missing**.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::shard::Shard;

/// The header of a shard report: which plan, which shard, when and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportHeader {
    /// The plan file, as the worker was given it.
    pub plan: PathBuf,
    /// The plan's hash.
    pub plan_sha256: String,
    /// The shard.
    pub shard: Shard,
    /// `kubernetes`, `slurm`, or `null` for an explicit `--shard`.
    pub scheduler: Option<String>,
    /// The worker's host.
    pub host: String,
    /// When it started.
    pub started: Timestamp,
    /// When it finished.
    pub finished: Timestamp,
}

/// A shard report as read back: its header and its `files` entries, kept
/// as JSON so that the merged summary carries every key `redact` wrote.
#[derive(Debug, Clone, Deserialize)]
pub struct ShardReport {
    /// Where it was read from.
    #[serde(skip)]
    pub path: PathBuf,
    /// The header.
    #[serde(flatten)]
    pub header: ReportHeader,
    /// One entry per file the shard was handed.
    pub files: Vec<Value>,
}

impl ShardReport {
    /// Reads the shard report at `path`.
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::Format`].
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
        let mut report: Self = serde_json::from_str(&text).map_err(|e| Error::Format {
            path: path.to_path_buf(),
            message: format!("not a sladd shard report: {e}"),
        })?;
        report.path = path.to_path_buf();
        Ok(report)
    }
}

/// What one report says of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sighting {
    /// The report.
    pub report: PathBuf,
    /// Its shard.
    pub shard: Shard,
    /// `ok`, `skipped` or `error`.
    pub status: String,
    /// Why skipped (`done`, `locked`).
    pub reason: Option<String>,
    /// The output's SHA-256, for successes.
    pub output_sha256: Option<String>,
    /// The error, for failures.
    pub error: Option<String>,
}

/// A planned file the reports disagree on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The input, as the plan names it.
    pub input: PathBuf,
    /// What each report said.
    pub reports: Vec<Sighting>,
}

/// A planned file no report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The input, as the plan names it.
    pub input: PathBuf,
    /// The shard of the reports' count that should have covered it.
    pub shard: Option<Shard>,
    /// Why it counts as missing.
    pub why: String,
}

/// Counts over the merged files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Files in the plan.
    pub planned: usize,
    /// Redacted by a report.
    pub ok: usize,
    /// Found done.
    pub skipped: usize,
    /// Failed.
    pub failed: usize,
    /// Not covered by any report.
    pub missing: usize,
    /// Reported differently by two reports.
    pub conflicts: usize,
}

/// The merged summary of a plan's shard reports.
#[derive(Debug, Clone, Serialize)]
pub struct Merged {
    /// The plan's hash.
    pub plan_sha256: String,
    /// The reports merged, in the order given.
    pub reports: Vec<PathBuf>,
    /// One entry per planned file covered, in plan order: the entry of
    /// `sladd redact --json` that stands.
    pub files: Vec<Value>,
    /// Planned files no report covers.
    pub missing: Vec<Missing>,
    /// Planned files the reports disagree on.
    pub conflicts: Vec<Conflict>,
    /// Counts.
    pub counts: Counts,
    /// The exit code the merge ends with (see [`Merged::exit_code`]).
    pub exit_code: u8,
}

impl Merged {
    /// 3 when a planned file is missing; otherwise the worst exit code of
    /// the files' own (`exit_code`: 2, 3, 4, 130); at least 1 when two
    /// reports conflict; 0 when every file is redacted once.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        self.exit_code
    }
}

/// Merges `reports` over `plan` (see the module docs).
///
/// # Errors
/// [`Error::ForeignReport`] for a report of another plan.
pub fn merge(plan: &Plan, reports: &[ShardReport]) -> Result<Merged> {
    for r in reports {
        if r.header.plan_sha256 != plan.plan_sha256 {
            return Err(Error::ForeignReport {
                path: r.path.clone(),
                found: r.header.plan_sha256.clone(),
                expected: plan.plan_sha256.clone(),
            });
        }
    }
    // input -> (report's finish time, sighting, entry)
    let mut seen: BTreeMap<PathBuf, Vec<(Timestamp, Sighting, &Value)>> = BTreeMap::new();
    for r in reports {
        for entry in &r.files {
            let Some(input) = entry.get("input").and_then(Value::as_str) else {
                continue;
            };
            let text = |k: &str| entry.get(k).and_then(Value::as_str).map(str::to_owned);
            let sighting = Sighting {
                report: r.path.clone(),
                shard: r.header.shard,
                status: text("status").unwrap_or_else(|| "error".into()),
                reason: text("reason"),
                output_sha256: text("output_sha256"),
                error: text("error"),
            };
            seen.entry(PathBuf::from(input)).or_default().push((
                r.header.finished,
                sighting,
                entry,
            ));
        }
    }
    let counts_of_reports: Vec<u32> = reports.iter().map(|r| r.header.shard.count).collect();
    let mut merged = Merged {
        plan_sha256: plan.plan_sha256.clone(),
        reports: reports.iter().map(|r| r.path.clone()).collect(),
        files: Vec::new(),
        missing: Vec::new(),
        conflicts: Vec::new(),
        counts: Counts {
            planned: plan.files.len(),
            ..Counts::default()
        },
        exit_code: 0,
    };
    let mut worst = 0u8;
    let shard_hint = expected_shards(plan, &counts_of_reports);
    for (i, file) in plan.files.iter().enumerate() {
        let sightings = seen.remove(&file.input).unwrap_or_default();
        match resolve(sightings) {
            Resolution::Missing(why) => merged.missing.push(Missing {
                input: file.input.clone(),
                shard: shard_hint.as_ref().and_then(|h| h.get(i).copied()),
                why,
            }),
            Resolution::Stands { entry, conflict } => {
                match entry.get("status").and_then(Value::as_str) {
                    Some("ok") => merged.counts.ok += 1,
                    Some("skipped") => merged.counts.skipped += 1,
                    _ => merged.counts.failed += 1,
                }
                let code = entry
                    .get("exit_code")
                    .and_then(Value::as_u64)
                    .and_then(|c| u8::try_from(c).ok())
                    .unwrap_or(0);
                worst = worst.max(code);
                if let Some(reports) = conflict {
                    merged.conflicts.push(Conflict {
                        input: file.input.clone(),
                        reports,
                    });
                }
                merged.files.push(entry.clone());
            }
        }
    }
    merged.counts.missing = merged.missing.len();
    merged.counts.conflicts = merged.conflicts.len();
    if !merged.conflicts.is_empty() {
        worst = worst.max(1);
    }
    merged.exit_code = if merged.missing.is_empty() { worst } else { 3 };
    Ok(merged)
}

/// For each planned file, the shard that should have covered it, when all
/// reports agree on the count.
fn expected_shards(plan: &Plan, counts: &[u32]) -> Option<Vec<Shard>> {
    let first = *counts.first()?;
    if counts.iter().any(|&c| c != first) {
        return None;
    }
    let mut of = vec![Shard::whole(); plan.files.len()];
    for index in 0..first {
        let shard = Shard {
            index,
            count: first,
        };
        for i in plan.shard_of(shard) {
            if let Some(slot) = of.get_mut(i) {
                *slot = shard;
            }
        }
    }
    Some(of)
}

enum Resolution<'a> {
    Missing(String),
    Stands {
        entry: &'a Value,
        conflict: Option<Vec<Sighting>>,
    },
}

/// Which of one file's sightings stands (see the module docs).
fn resolve(mut sightings: Vec<(Timestamp, Sighting, &Value)>) -> Resolution<'_> {
    if sightings.is_empty() {
        return Resolution::Missing("no report covers it".into());
    }
    let locked = |s: &Sighting| s.status == "skipped" && s.reason.as_deref() == Some("locked");
    sightings.retain(|(_, s, _)| !locked(s));
    if sightings.is_empty() {
        return Resolution::Missing(
            "only skipped because another worker held its lock, and no report of that worker \
             covers it"
                .into(),
        );
    }
    sightings.sort_by_key(|(t, _, _)| *t);
    let success = |s: &Sighting| s.status == "ok" || s.status == "skipped";
    let all: Vec<Sighting> = sightings.iter().map(|(_, s, _)| s.clone()).collect();
    let hashes: Vec<&str> = sightings
        .iter()
        .filter(|(_, s, _)| success(s))
        .filter_map(|(_, s, _)| s.output_sha256.as_deref())
        .collect();
    let two_outputs = hashes.windows(2).any(|w| w[0] != w[1]);
    let last_success = sightings.iter().rposition(|(_, s, _)| success(s));
    let failure_after_success =
        last_success.is_some_and(|i| sightings.iter().skip(i + 1).any(|(_, s, _)| !success(s)));
    let conflict = (two_outputs || failure_after_success).then_some(all);
    let standing = match last_success {
        // The first redaction (`ok`) carries the frame counts; a later
        // "already done" says the same.
        Some(_) => sightings
            .iter()
            .find(|(_, s, _)| s.status == "ok")
            .or_else(|| sightings.iter().rev().find(|(_, s, _)| success(s))),
        None => sightings.last(),
    };
    match standing {
        Some((_, _, entry)) => Resolution::Stands { entry, conflict },
        None => Resolution::Missing("no report covers it".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{PlannedFile, Settings, Site, Totals};
    use serde_json::json;

    fn plan(n: usize) -> Plan {
        let files: Vec<PlannedFile> = (0..n)
            .map(|i| PlannedFile {
                input: format!("in/{i}.mp4").into(),
                output: format!("out/{i}.mp4").into(),
                camera: "c".into(),
                bytes: 100,
                mtime: None,
                duration: Some(1.0 + i as f64),
                probe_error: None,
                sha256: None,
                shard: None,
            })
            .collect();
        Plan {
            format: crate::plan::FORMAT.into(),
            version: crate::plan::VERSION,
            sladd_version: "0.1.0".into(),
            site: Site {
                path: "site.toml".into(),
                sha256: "s".into(),
            },
            settings: Settings {
                style: "fill:#000000".into(),
                audio: "policy".into(),
                on_corrupt: "stop".into(),
                preset: "veryfast".into(),
                crf: None,
                start: None,
            },
            out_dir: "out".into(),
            shards: None,
            hashed_inputs: false,
            totals: Totals {
                files: n,
                bytes: 100 * n as u64,
                seconds: 0.0,
            },
            files,
            plan_sha256: "p".into(),
        }
    }

    fn report(name: &str, shard: (u32, u32), minute: i64, files: Vec<Value>) -> ShardReport {
        ShardReport {
            path: name.into(),
            header: ReportHeader {
                plan: "plan.json".into(),
                plan_sha256: "p".into(),
                shard: Shard::new(shard.0, shard.1).unwrap(),
                scheduler: None,
                host: "h".into(),
                started: Timestamp::from_second(minute * 60).unwrap(),
                finished: Timestamp::from_second(minute * 60 + 30).unwrap(),
            },
            files,
        }
    }

    fn ok(i: usize, sha: &str) -> Value {
        json!({"input": format!("in/{i}.mp4"), "status": "ok", "output_sha256": sha, "exit_code": 0, "frames": 5})
    }

    fn skipped(i: usize, reason: &str, sha: Option<&str>) -> Value {
        json!({"input": format!("in/{i}.mp4"), "status": "skipped", "reason": reason, "output_sha256": sha, "exit_code": 0})
    }

    fn failed(i: usize, code: u8) -> Value {
        json!({"input": format!("in/{i}.mp4"), "status": "error", "error": "boom", "exit_code": code})
    }

    #[test]
    fn every_planned_file_once_in_plan_order() {
        let plan = plan(3);
        let reports = [
            report(
                "r1",
                (1, 2),
                0,
                vec![ok(2, "c"), skipped(0, "locked", None)],
            ),
            report("r0", (0, 2), 0, vec![ok(0, "a"), ok(1, "b")]),
        ];
        let m = merge(&plan, &reports).unwrap();
        let inputs: Vec<&str> = m
            .files
            .iter()
            .map(|f| f["input"].as_str().unwrap())
            .collect();
        assert_eq!(inputs, ["in/0.mp4", "in/1.mp4", "in/2.mp4"]);
        assert_eq!(
            m.files[0]["status"], "ok",
            "the locked skip defers to the holder"
        );
        assert_eq!(
            (m.counts.ok, m.counts.missing, m.counts.conflicts),
            (3, 0, 0)
        );
        assert_eq!(m.exit_code(), 0);
    }

    #[test]
    fn missing_files_are_named_with_their_shard() {
        let four = plan(4);
        let r = report("r0", (0, 2), 0, vec![]);
        let mine = four.shard_of(r.header.shard);
        let files = mine.iter().map(|&i| ok(i, "x")).collect();
        let m = merge(&four, &[report("r0", (0, 2), 0, files)]).unwrap();
        assert_eq!(m.missing.len(), 2);
        assert!(m
            .missing
            .iter()
            .all(|x| x.shard == Some(Shard::new(1, 2).unwrap())));
        assert_eq!(m.exit_code(), 3);
        // Seen only as locked by another worker: still missing.
        let m = merge(
            &plan(1),
            &[report("r", (0, 1), 0, vec![skipped(0, "locked", None)])],
        )
        .unwrap();
        assert!(m.missing[0].why.contains("lock"), "{:?}", m.missing);
    }

    #[test]
    fn a_success_stands_over_an_earlier_failure() {
        let plan = plan(1);
        let m = merge(
            &plan,
            &[
                report("first", (0, 1), 0, vec![failed(0, 4)]),
                report("retry", (0, 2), 5, vec![ok(0, "a")]),
            ],
        )
        .unwrap();
        assert_eq!(m.files[0]["status"], "ok");
        assert!(m.conflicts.is_empty());
        assert_eq!(m.exit_code(), 0);
        // A rerun that found it done agrees with the redaction.
        let m = merge(
            &plan,
            &[
                report("a", (0, 1), 0, vec![ok(0, "a")]),
                report("b", (0, 1), 5, vec![skipped(0, "done", Some("a"))]),
            ],
        )
        .unwrap();
        assert_eq!(
            (m.files[0]["status"].as_str(), m.conflicts.len()),
            (Some("ok"), 0)
        );
    }

    #[test]
    fn conflicting_duplicates_are_named() {
        let plan = plan(2);
        let m = merge(
            &plan,
            &[
                report("a", (0, 1), 0, vec![ok(0, "x"), ok(1, "y")]),
                report("b", (0, 1), 5, vec![ok(0, "z"), failed(1, 3)]),
            ],
        )
        .unwrap();
        assert_eq!(m.conflicts.len(), 2);
        let names: Vec<&Path> = m.conflicts[0]
            .reports
            .iter()
            .map(|s| s.report.as_path())
            .collect();
        assert_eq!(names, [Path::new("a"), Path::new("b")]);
        assert_eq!(m.exit_code(), 1);
    }

    #[test]
    fn the_worst_file_sets_the_exit_code_and_foreign_reports_are_refused() {
        let plan = plan(2);
        let m = merge(
            &plan,
            &[report("a", (0, 1), 0, vec![ok(0, "x"), failed(1, 4)])],
        )
        .unwrap();
        assert_eq!((m.counts.failed, m.exit_code()), (1, 4));
        let mut foreign = report("f", (0, 1), 0, vec![]);
        foreign.header.plan_sha256 = "q".into();
        assert!(matches!(
            merge(&plan, &[foreign]),
            Err(Error::ForeignReport { .. })
        ));
    }
}
