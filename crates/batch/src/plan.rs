//! The plan: a deterministic work list that every worker of a sharded
//! batch reads.
//!
//! `plan.json` names each file to redact (its path, size, modification
//! time, duration, camera and output), the redaction settings every worker
//! must use, the site configuration's canonical hash and the sladd version
//! that planned it, and `plan_sha256`, the SHA-256 of the plan's RFC 8785
//! form without that member. The same inputs give the same bytes: files are
//! sorted by path and nothing depends on the clock or the machine.
//!
//! Paths inside the plan's own folder are written relative to it, so a plan
//! kept at the root of a shared volume works wherever the volume is mounted
//! (a pod's `/data`, a cluster's `/scratch/…`); other paths stay absolute.
//!
//! The plan does not fix the shard count: [`Plan::shard_of`] assigns files
//! to any count by [`crate::shard::assign_lpt`] over their durations, and
//! every worker computes the same assignment.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::digest::{sha256_file, sha256_hex};
use crate::error::{Error, Result};
use crate::shard::{assign_lpt, Shard};

/// The plan's `format` value.
pub const FORMAT: &str = "sladd-batch-plan";
/// The plan format's version.
pub const VERSION: u32 = 1;

/// The site configuration a plan was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// The site file (relative to the plan's folder when inside it).
    pub path: PathBuf,
    /// SHA-256 of its canonical form, as evidence manifests record it.
    pub sha256: String,
}

/// The redaction settings every worker uses: those of `sladd redact` that
/// change an output's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Style for zones without one (`fill:#000000`, `pixelate:24`, …).
    pub style: String,
    /// `policy`, `strip` or `keep`.
    pub audio: String,
    /// `stop` or `skip`.
    pub on_corrupt: String,
    /// The x264/x265 preset.
    pub preset: String,
    /// The constant rate factor, when not the encoder's default.
    pub crf: Option<u8>,
    /// The recordings' start, when the operator gave it.
    pub start: Option<Timestamp>,
}

/// One file of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedFile {
    /// The recording (relative to the plan's folder when inside it).
    pub input: PathBuf,
    /// Where its redacted copy goes (likewise).
    pub output: PathBuf,
    /// The camera that recorded it.
    pub camera: String,
    /// Its size in bytes when planned.
    pub bytes: u64,
    /// Its modification time when planned.
    pub mtime: Option<Timestamp>,
    /// How long it plays, in seconds, when the probe could tell.
    pub duration: Option<f64>,
    /// Why the probe could not tell, when it could not.
    pub probe_error: Option<String>,
    /// SHA-256 of its bytes (`--hash-inputs`).
    pub sha256: Option<String>,
    /// Its shard of the plan's `shards`, when the plan names a count.
    pub shard: Option<u32>,
}

/// Totals over the plan's files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// How many files.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Their known durations, in seconds.
    pub seconds: f64,
}

/// A plan (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// The sladd that planned; workers of another version refuse the plan.
    pub sladd_version: String,
    /// The site configuration.
    pub site: Site,
    /// The redaction settings.
    pub settings: Settings,
    /// The output folder (relative to the plan's folder when inside it).
    pub out_dir: PathBuf,
    /// The shard count `--shard auto` uses under Kubernetes when none is
    /// given, and the count the files' `shard` is for.
    pub shards: Option<u32>,
    /// Whether every file's SHA-256 was taken.
    pub hashed_inputs: bool,
    /// Totals.
    pub totals: Totals,
    /// The files, sorted by input path.
    pub files: Vec<PlannedFile>,
    /// SHA-256 of the plan's RFC 8785 form without this member.
    #[serde(default)]
    pub plan_sha256: String,
}

/// A file to plan, as the caller found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The recording.
    pub input: PathBuf,
    /// Its output.
    pub output: PathBuf,
    /// Its camera.
    pub camera: String,
}

/// Reads how long a recording plays, without decoding it.
pub trait Probe: Sync {
    /// Seconds, `None` when the container does not say.
    ///
    /// # Errors
    /// A sentence saying why the file cannot be read.
    fn duration(&self, path: &Path) -> std::result::Result<Option<f64>, String>;
}

/// What a plan is made from, besides its files.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// Where the plan will be written (paths are made relative to its folder).
    pub plan_path: &'a Path,
    /// The site configuration (path as given, and its canonical hash).
    pub site: Site,
    /// The redaction settings.
    pub settings: Settings,
    /// The output folder.
    pub out_dir: &'a Path,
    /// The shard count to record, if any.
    pub shards: Option<u32>,
    /// Take every input's SHA-256 (reads every byte of the archive).
    pub hash_inputs: bool,
    /// The sladd version planning.
    pub sladd_version: &'a str,
}

impl Plan {
    /// Plans `candidates`: stats each, probes durations and (when asked)
    /// hashes inputs in parallel, sorts by input, assigns shards when a
    /// count is given, and seals the plan with its hash.
    ///
    /// A file that cannot be probed is planned all the same (its
    /// `probe_error` says why; its redaction will fail and say so); a file
    /// that cannot be read at all is an error.
    ///
    /// # Errors
    /// [`Error::Io`] for an input that cannot be read, [`Error::SameOutput`]
    /// for two inputs with one output.
    pub fn build(
        request: &Request<'_>,
        candidates: Vec<Candidate>,
        probe: &dyn Probe,
    ) -> Result<Self> {
        let base = plan_folder(request.plan_path)?;
        let mut files: Vec<PlannedFile> = candidates
            .into_par_iter()
            .map(|c| plan_file(&c, &base, probe, request.hash_inputs))
            .collect::<Result<_>>()?;
        files.sort_by(|a, b| a.input.cmp(&b.input));
        let mut outputs: HashMap<&Path, &Path> = HashMap::new();
        for f in &files {
            if let Some(first) = outputs.insert(&f.output, &f.input) {
                return Err(Error::SameOutput {
                    first: first.to_path_buf(),
                    second: f.input.clone(),
                    output: f.output.clone(),
                });
            }
        }
        let totals = Totals {
            files: files.len(),
            bytes: files.iter().map(|f| f.bytes).sum(),
            seconds: files.iter().filter_map(|f| f.duration).sum(),
        };
        let mut site = request.site.clone();
        site.path = relative_to(&base, &site.path)?;
        let mut plan = Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            sladd_version: request.sladd_version.to_owned(),
            site,
            settings: request.settings.clone(),
            out_dir: relative_to(&base, request.out_dir)?,
            shards: request.shards,
            hashed_inputs: request.hash_inputs,
            totals,
            files,
            plan_sha256: String::new(),
        };
        if let Some(count) = plan.shards {
            let shard = Shard::new(0, count)?;
            let assignment = plan_shards(&plan.weights(), shard.count);
            for (file, s) in plan.files.iter_mut().zip(assignment) {
                file.shard = Some(s);
            }
        }
        plan.plan_sha256 = plan.content_hash()?;
        Ok(plan)
    }

    /// The SHA-256 of the plan's RFC 8785 form without `plan_sha256`.
    ///
    /// # Errors
    /// [`Error::Format`] if the plan cannot be serialized (it always can).
    pub fn content_hash(&self) -> Result<String> {
        let fail = |e: serde_json::Error| Error::Format {
            path: PathBuf::from("<plan>"),
            message: e.to_string(),
        };
        let mut value = serde_json::to_value(self).map_err(fail)?;
        if let Some(object) = value.as_object_mut() {
            object.remove("plan_sha256");
        }
        let canonical = serde_jcs::to_string(&value).map_err(fail)?;
        Ok(sha256_hex(canonical.as_bytes()))
    }

    /// Writes the plan to `path` as pretty JSON, under a temporary name
    /// renamed into place.
    ///
    /// # Errors
    /// [`Error::Io`].
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| Error::Format {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        text.push('\n');
        write_atomically(path, text.as_bytes())
    }

    /// Reads the plan at `path`, refusing other formats and versions and a
    /// plan whose contents do not hash to its `plan_sha256`.
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::Format`], [`Error::PlanTampered`].
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
        let format_error = |message: String| Error::Format {
            path: path.to_path_buf(),
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format_error(e.to_string()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(format_error(format!(
                "not a sladd batch plan (format {FORMAT:?})"
            )));
        }
        if value.get("version").and_then(serde_json::Value::as_u64) != Some(u64::from(VERSION)) {
            return Err(format_error(format!(
                "plan version {} is not supported (this sladd reads version {VERSION})",
                value.get("version").unwrap_or(&serde_json::Value::Null)
            )));
        }
        let plan: Self = serde_json::from_value(value).map_err(|e| format_error(e.to_string()))?;
        let actual = plan.content_hash()?;
        if actual != plan.plan_sha256 {
            return Err(Error::PlanTampered {
                path: path.to_path_buf(),
                recorded: plan.plan_sha256,
                actual,
            });
        }
        Ok(plan)
    }

    /// Each file's weight for shard assignment: milliseconds of video; a
    /// file whose duration is unknown is weighed by its size at the plan's
    /// mean bit rate.
    #[must_use]
    pub fn weights(&self) -> Vec<u64> {
        let (known_ms, known_bytes) = self
            .files
            .iter()
            .filter_map(|f| Some((seconds_to_ms(f.duration?), f.bytes)))
            .fold((0u128, 0u128), |(ms, b), (m, x)| {
                (ms + u128::from(m), b + u128::from(x))
            });
        self.files
            .iter()
            .map(|f| match f.duration {
                Some(d) => seconds_to_ms(d),
                None if known_bytes > 0 => {
                    u64::try_from(u128::from(f.bytes) * known_ms / known_bytes).unwrap_or(u64::MAX)
                }
                // Nothing known at all: about 1 s per 250 kB.
                None => f.bytes / 250,
            })
            .collect()
    }

    /// The indexes (into `files`) of `shard`'s files, longest first.
    #[must_use]
    pub fn shard_of(&self, shard: Shard) -> Vec<usize> {
        let weights = self.weights();
        let assignment = plan_shards(&weights, shard.count);
        let mut mine: Vec<usize> = assignment
            .iter()
            .enumerate()
            .filter(|&(_, &s)| s == shard.index)
            .map(|(i, _)| i)
            .collect();
        mine.sort_by_key(|&i| (std::cmp::Reverse(weights[i]), i));
        mine
    }

    /// Refuses a plan made with another site configuration or sladd.
    ///
    /// # Errors
    /// [`Error::Drift`] naming what differs.
    pub fn check_current(&self, site_sha256: &str, sladd_version: &str) -> Result<()> {
        if self.site.sha256 != site_sha256 {
            return Err(Error::Drift(format!(
                "the site configuration {} changed since the plan was made (planned {}, now {}); \
                 make a new plan",
                self.site.path.display(),
                short(&self.site.sha256),
                short(site_sha256)
            )));
        }
        if self.sladd_version != sladd_version {
            return Err(Error::Drift(format!(
                "the plan was made by sladd {} and this is sladd {sladd_version}; run the version \
                 that planned, or make a new plan",
                self.sladd_version
            )));
        }
        Ok(())
    }

    /// A path the plan records, resolved against the folder of the plan
    /// file at `plan_path`.
    #[must_use]
    pub fn resolve(plan_path: &Path, recorded: &Path) -> PathBuf {
        if recorded.is_absolute() {
            return recorded.to_path_buf();
        }
        match plan_path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(recorded),
            _ => recorded.to_path_buf(),
        }
    }
}

impl PlannedFile {
    /// Whether the input at `path` is still the file that was planned (same
    /// size and modification time).
    ///
    /// # Errors
    /// A sentence saying what changed.
    pub fn check_unchanged(&self, path: &Path) -> std::result::Result<(), String> {
        let meta =
            std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if meta.len() != self.bytes {
            return Err(format!(
                "{} changed since the plan was made: {} bytes planned, {} now; make a new plan",
                path.display(),
                self.bytes,
                meta.len()
            ));
        }
        let now = modified(&meta);
        if now != self.mtime {
            return Err(format!(
                "{} changed since the plan was made: modified {} when planned, {} now; make a \
                 new plan",
                path.display(),
                show(self.mtime),
                show(now)
            ));
        }
        Ok(())
    }
}

/// The LPT assignment of a plan's weights to `count` shards.
fn plan_shards(weights: &[u64], count: u32) -> Vec<u32> {
    assign_lpt(weights, count)
}

fn plan_file(c: &Candidate, base: &Path, probe: &dyn Probe, hash: bool) -> Result<PlannedFile> {
    let meta = std::fs::metadata(&c.input).map_err(|e| Error::io("read", &c.input, e))?;
    let (duration, probe_error) = match probe.duration(&c.input) {
        Ok(d) => (d.filter(|s| s.is_finite() && *s >= 0.0), None),
        Err(e) => (None, Some(e)),
    };
    let sha256 = if hash {
        Some(sha256_file(&c.input)?.0)
    } else {
        None
    };
    Ok(PlannedFile {
        input: relative_to(base, &c.input)?,
        output: relative_to(base, &c.output)?,
        camera: c.camera.clone(),
        bytes: meta.len(),
        mtime: modified(&meta),
        duration,
        probe_error,
        sha256,
        shard: None,
    })
}

fn modified(meta: &std::fs::Metadata) -> Option<Timestamp> {
    let time = meta.modified().ok()?;
    Timestamp::try_from(time).ok()
}

fn show(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "unknown".into(), |t| t.to_string())
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

fn seconds_to_ms(seconds: f64) -> u64 {
    // Durations are finite and non-negative (see plan_file); the cast
    // saturates past u64::MAX.
    (seconds * 1000.0).round() as u64
}

/// The absolute folder the plan file at `plan_path` is in.
fn plan_folder(plan_path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(plan_path).map_err(|e| Error::io("locate", plan_path, e))?;
    Ok(normalize(absolute.parent().unwrap_or(Path::new("/"))))
}

/// `path` relative to `base` when it lies inside it, else absolute
/// (lexically: `.` and `..` resolved, symbolic links kept).
fn relative_to(base: &Path, path: &Path) -> Result<PathBuf> {
    let absolute = normalize(&std::path::absolute(path).map_err(|e| Error::io("locate", path, e))?);
    Ok(match absolute.strip_prefix(base) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => absolute,
    })
}

/// `path` with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Writes `bytes` to `path` through a temporary file in its folder.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "plan".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.sladd-tmp-{}", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io("write", path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Durations by file name: `a-12.mp4` plays 12 s; `bad.mp4` fails.
    struct NameProbe;

    impl Probe for NameProbe {
        fn duration(&self, path: &Path) -> std::result::Result<Option<f64>, String> {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if stem == "bad" {
                return Err("invalid data found when processing input".into());
            }
            Ok(stem.rsplit('-').next().and_then(|d| d.parse().ok()))
        }
    }

    fn settings() -> Settings {
        Settings {
            style: "fill:#000000".into(),
            audio: "policy".into(),
            on_corrupt: "stop".into(),
            preset: "veryfast".into(),
            crf: None,
            start: None,
        }
    }

    fn archive(names: &[&str]) -> (tempfile::TempDir, Vec<Candidate>) {
        let dir = tempfile::tempdir().unwrap();
        let mut candidates = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let input = dir.path().join("archive").join(name);
            std::fs::create_dir_all(input.parent().unwrap()).unwrap();
            std::fs::write(&input, vec![b'x'; 100 * (i + 1)]).unwrap();
            candidates.push(Candidate {
                output: dir.path().join("out").join(name),
                input,
                camera: "kasse-1".into(),
            });
        }
        (dir, candidates)
    }

    fn request<'a>(dir: &'a Path, plan: &'a Path, out: &'a Path) -> Request<'a> {
        Request {
            plan_path: plan,
            site: Site {
                path: dir.join("site.toml"),
                sha256: "ab".repeat(32),
            },
            settings: settings(),
            out_dir: out,
            shards: None,
            hash_inputs: false,
            sladd_version: "0.1.0",
        }
    }

    #[test]
    fn the_same_archive_gives_the_same_bytes() {
        let (dir, candidates) = archive(&["cam/b-30.mp4", "cam/a-10.mp4", "c-5.mkv"]);
        let plan_path = dir.path().join("plan.json");
        let out = dir.path().join("out");
        let req = request(dir.path(), &plan_path, &out);
        let mut reversed = candidates.clone();
        reversed.reverse();
        let one = Plan::build(&req, candidates, &NameProbe).unwrap();
        let two = Plan::build(&req, reversed, &NameProbe).unwrap();
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(&two).unwrap()
        );
        let inputs: Vec<&str> = one
            .files
            .iter()
            .map(|f| f.input.to_str().unwrap())
            .collect();
        assert_eq!(
            inputs,
            [
                "archive/c-5.mkv",
                "archive/cam/a-10.mp4",
                "archive/cam/b-30.mp4"
            ]
        );
        assert_eq!(one.files[0].output, Path::new("out/c-5.mkv"));
        assert_eq!(one.site.path, Path::new("site.toml"));
        assert_eq!(one.out_dir, Path::new("out"));
        assert_eq!(one.totals.seconds, 45.0);
        assert_eq!(one.plan_sha256.len(), 64);
        one.write(&plan_path).unwrap();
        assert_eq!(Plan::load(&plan_path).unwrap(), one);
    }

    #[test]
    fn an_edited_plan_is_refused() {
        let (dir, candidates) = archive(&["a-10.mp4", "b-20.mp4"]);
        let plan_path = dir.path().join("plan.json");
        let out = dir.path().join("out");
        let plan = Plan::build(
            &request(dir.path(), &plan_path, &out),
            candidates,
            &NameProbe,
        )
        .unwrap();
        plan.write(&plan_path).unwrap();
        let text = std::fs::read_to_string(&plan_path).unwrap();
        std::fs::write(&plan_path, text.replace("b-20.mp4\"", "b-21.mp4\"")).unwrap();
        let e = Plan::load(&plan_path).unwrap_err();
        assert!(matches!(e, Error::PlanTampered { .. }), "{e}");
        std::fs::write(&plan_path, text.replace("sladd-batch-plan", "other")).unwrap();
        assert!(Plan::load(&plan_path)
            .unwrap_err()
            .to_string()
            .contains("not a sladd batch plan"));
    }

    #[test]
    fn shards_cover_every_file_once_for_any_count() {
        let names: Vec<String> = (0..23)
            .map(|i| format!("f{i:02}-{}.mp4", 5 + (i * 37) % 90))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let (dir, candidates) = archive(&refs);
        let plan_path = dir.path().join("plan.json");
        let out = dir.path().join("out");
        let plan = Plan::build(
            &request(dir.path(), &plan_path, &out),
            candidates,
            &NameProbe,
        )
        .unwrap();
        for count in [1, 2, 3, 4, 7, 30] {
            let mut seen: Vec<usize> = (0..count)
                .flat_map(|i| plan.shard_of(Shard::new(i, count).unwrap()))
                .collect();
            seen.sort_unstable();
            assert_eq!(
                seen,
                (0..plan.files.len()).collect::<Vec<_>>(),
                "{count} shards"
            );
        }
        let first = plan.shard_of(Shard::new(0, 3).unwrap());
        let w = plan.weights();
        assert!(
            first.windows(2).all(|p| w[p[0]] >= w[p[1]]),
            "longest first"
        );
    }

    #[test]
    fn a_recorded_count_marks_each_files_shard() {
        let (dir, candidates) = archive(&["a-10.mp4", "b-20.mp4", "c-30.mp4"]);
        let plan_path = dir.path().join("plan.json");
        let out = dir.path().join("out");
        let mut req = request(dir.path(), &plan_path, &out);
        req.shards = Some(2);
        let plan = Plan::build(&req, candidates, &NameProbe).unwrap();
        let marks: Vec<Option<u32>> = plan.files.iter().map(|f| f.shard).collect();
        assert_eq!(marks, [Some(1), Some(1), Some(0)]);
        assert_eq!(plan.shard_of(Shard::new(1, 2).unwrap()), [1, 0]);
    }

    #[test]
    fn unknown_durations_weigh_by_size_and_probe_errors_are_kept() {
        let (dir, candidates) = archive(&["a-10.mp4", "raw.h264", "bad.mp4"]);
        let plan_path = dir.path().join("plan.json");
        let out = dir.path().join("out");
        let plan = Plan::build(
            &request(dir.path(), &plan_path, &out),
            candidates,
            &NameProbe,
        )
        .unwrap();
        let by_name = |n: &str| {
            plan.files
                .iter()
                .position(|f| f.input.ends_with(n))
                .unwrap()
        };
        let (a, raw, bad) = (by_name("a-10.mp4"), by_name("raw.h264"), by_name("bad.mp4"));
        assert_eq!(
            plan.files[bad].probe_error.as_deref(),
            Some("invalid data found when processing input")
        );
        let w = plan.weights();
        // a: 100 bytes for 10 s; raw: 200 bytes -> 20 s; bad: 300 bytes -> 30 s.
        assert_eq!((w[a], w[raw], w[bad]), (10_000, 20_000, 30_000));
    }

    #[test]
    fn inputs_can_be_hashed_and_changes_are_seen() {
        let (dir, candidates) = archive(&["a-10.mp4"]);
        let plan_path = dir.path().join("plan.json");
        let out = dir.path().join("out");
        let mut req = request(dir.path(), &plan_path, &out);
        req.hash_inputs = true;
        let plan = Plan::build(&req, candidates.clone(), &NameProbe).unwrap();
        assert_eq!(
            plan.files[0].sha256.as_deref(),
            Some(sha256_hex(&[b'x'; 100]).as_str())
        );
        let input = &candidates[0].input;
        plan.files[0].check_unchanged(input).unwrap();
        std::fs::write(input, b"other").unwrap();
        let e = plan.files[0].check_unchanged(input).unwrap_err();
        assert!(e.contains("100 bytes planned, 5 now"), "{e}");
    }

    #[test]
    fn drift_is_named() {
        let (dir, candidates) = archive(&["a-10.mp4"]);
        let plan_path = dir.path().join("plan.json");
        let out = dir.path().join("out");
        let plan = Plan::build(
            &request(dir.path(), &plan_path, &out),
            candidates,
            &NameProbe,
        )
        .unwrap();
        plan.check_current(&"ab".repeat(32), "0.1.0").unwrap();
        let e = plan
            .check_current(&"cd".repeat(32), "0.1.0")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("site.toml changed since the plan was made"),
            "{e}"
        );
        let e = plan
            .check_current(&"ab".repeat(32), "0.2.0")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("made by sladd 0.1.0 and this is sladd 0.2.0"),
            "{e}"
        );
    }

    #[test]
    fn two_inputs_onto_one_output_are_refused() {
        let (dir, mut candidates) = archive(&["a-10.mp4", "b-10.mp4"]);
        candidates[1].output = candidates[0].output.clone();
        let plan_path = dir.path().join("plan.json");
        let out = dir.path().join("out");
        let e = Plan::build(
            &request(dir.path(), &plan_path, &out),
            candidates,
            &NameProbe,
        )
        .unwrap_err();
        assert!(matches!(e, Error::SameOutput { .. }), "{e}");
    }

    #[test]
    fn paths_outside_the_plans_folder_stay_absolute() {
        let base = Path::new("/data");
        assert_eq!(
            relative_to(base, Path::new("/data/a/../b.mp4")).unwrap(),
            Path::new("b.mp4")
        );
        assert_eq!(
            relative_to(base, Path::new("/other/b.mp4")).unwrap(),
            Path::new("/other/b.mp4")
        );
        assert_eq!(
            Plan::resolve(Path::new("/mnt/plan.json"), Path::new("b.mp4")),
            Path::new("/mnt/b.mp4")
        );
        assert_eq!(
            Plan::resolve(Path::new("plan.json"), Path::new("b.mp4")),
            Path::new("b.mp4")
        );
        assert_eq!(
            Plan::resolve(Path::new("/mnt/plan.json"), Path::new("/x/b.mp4")),
            Path::new("/x/b.mp4")
        );
    }
}
