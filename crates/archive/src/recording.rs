//! Which recording belongs to which camera, and when it was made.
//!
//! Each camera's `recordings` globs (relative to the site file) name its
//! files. A recording's start comes from its `recorded_at` source and is
//! judged by the camera-clock rules ([`Camera::trusted_start`]); its end is
//! the start plus its probed duration. A recording whose start or duration
//! cannot be established has an unknown age: it is reported, never deleted
//! and never disclosed.
//!
//! Files sladd wrote (a redacted output with its `.manifest.json` beside
//! it, an export with its `.disclosure.json`) are not recordings: redacted
//! outputs are listed as derived from the recording whose hash their
//! manifest names, and go with it when it is deleted.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use jiff::fmt::strtime::BrokenDownTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sladd_policy::{Camera, Policy, RecordedAt};

use crate::error::{Error, Result};

/// What probing a recording tells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaFacts {
    /// How long it plays.
    pub duration: Option<SignedDuration>,
    /// The container's `creation_time`, parsed, if it has a usable one.
    pub creation_time: Option<Timestamp>,
    /// The raw `creation_time` tag, when there is one.
    pub creation_tag: Option<String>,
}

/// Reads a recording's duration and `creation_time` without decoding it.
pub trait Probe {
    /// The facts of the file at `path`.
    ///
    /// # Errors
    /// A sentence saying why the file could not be read.
    fn probe(&self, path: &Path) -> std::result::Result<MediaFacts, String>;
}

/// Where a recording's start came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartSource {
    /// The container's `creation_time`.
    CreationTime,
    /// The file name.
    Filename,
    /// The file's modification time (taken as the end).
    Mtime,
    /// Not established.
    Unknown,
}

/// One recording of a camera.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recording {
    /// The file.
    pub path: PathBuf,
    /// The camera whose `recordings` match it.
    pub camera: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// When it started, if established.
    pub start: Option<Timestamp>,
    /// When it ended (start plus duration), if established.
    pub end: Option<Timestamp>,
    /// Where the start came from.
    pub start_source: StartSource,
    /// Why the age is unknown, when it is.
    pub unknown: Option<String>,
}

impl Recording {
    /// The recorded span, when the age is known.
    #[must_use]
    pub fn span(&self) -> Option<(Timestamp, Timestamp)> {
        Some((self.start?, self.end?))
    }
}

/// A file sladd redacted from a recording, found in the archive by its
/// evidence manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DerivedOutput {
    /// The redacted file (the manifest's name without `.manifest.json`).
    pub output: PathBuf,
    /// Its manifest.
    pub manifest: PathBuf,
    /// The SHA-256 of the recording it was made from.
    pub input_sha256: String,
}

/// A site's recordings, camera by camera, and what sladd derived from them.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Every recording, sorted by camera and path.
    pub recordings: Vec<Recording>,
    /// The folders the globs search (their literal leading parts).
    pub roots: Vec<PathBuf>,
    /// sladd outputs found in those folders.
    pub derived: Vec<DerivedOutput>,
}

impl Archive {
    /// The derived outputs made from the recording whose SHA-256 is `sha256`.
    #[must_use]
    pub fn derived_from(&self, sha256: &str) -> Vec<&DerivedOutput> {
        self.derived
            .iter()
            .filter(|d| d.input_sha256 == sha256)
            .collect()
    }
}

/// The folder relative globs of the site file `site_file` start from.
#[must_use]
pub fn site_dir(site_file: &Path) -> PathBuf {
    match site_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The files the cameras' `recordings` globs name, each with the camera
/// that claims it, and the folders the globs search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    /// `(file, camera id)`, sorted by camera and path; files sladd wrote
    /// (a redacted output, an export) left out.
    pub files: Vec<(PathBuf, String)>,
    /// The folders the globs search (their literal leading parts).
    pub roots: Vec<PathBuf>,
}

/// Expands every camera's `recordings` globs (relative to the site file's
/// folder) without reading the files: which camera each file belongs to.
///
/// # Errors
/// [`Error::Glob`] for a glob that cannot be expanded (or a non-UTF-8
/// folder), [`Error::TwoCameras`] for a file two cameras claim.
pub fn claim(policy: &Policy, site_file: &Path) -> Result<Claims> {
    let base = site_dir(site_file);
    let mut owner: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut roots = Vec::new();
    let mut files = Vec::new();
    for camera in policy.cameras() {
        for pattern in &camera.recordings {
            let glob_error = |message| Error::Glob {
                camera: camera.id.clone(),
                glob: pattern.clone(),
                message,
            };
            let (full, root) = absolute_glob(&base, pattern).map_err(glob_error)?;
            if !roots.contains(&root) {
                roots.push(root);
            }
            for path in matches(&full).map_err(glob_error)? {
                if is_sladd_output(&path) {
                    continue;
                }
                match owner.get(&path) {
                    Some(first) if *first == camera.id => continue,
                    Some(first) => {
                        return Err(Error::TwoCameras {
                            path,
                            first: first.clone(),
                            second: camera.id.clone(),
                        })
                    }
                    None => {}
                }
                owner.insert(path.clone(), camera.id.clone());
                files.push((path, camera.id.clone()));
            }
        }
    }
    files.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    Ok(Claims { files, roots })
}

/// Finds and dates every camera's recordings, judging clocks at `now`.
///
/// # Errors
/// As [`claim`].
pub fn discover(
    policy: &Policy,
    site_file: &Path,
    probe: &dyn Probe,
    now: Timestamp,
) -> Result<Archive> {
    let Claims { files, roots } = claim(policy, site_file)?;
    let recordings = files
        .into_iter()
        .filter_map(|(path, id)| {
            let camera = policy.cameras().iter().find(|c| c.id == id)?;
            Some(date(camera, path, probe, now))
        })
        .collect();
    let derived = derived_outputs(&roots);
    Ok(Archive {
        recordings,
        roots,
        derived,
    })
}

/// The glob joined to the site's folder, and its literal leading folder.
fn absolute_glob(base: &Path, pattern: &str) -> std::result::Result<(String, PathBuf), String> {
    let relative = Path::new(pattern);
    let root_part: PathBuf = relative
        .components()
        .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
        .collect();
    let magic = relative.components().count() > root_part.components().count();
    let root_part = if magic {
        root_part
    } else {
        root_part
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    if relative.is_absolute() {
        return Ok((pattern.to_owned(), root_part));
    }
    let base_text = base
        .to_str()
        .ok_or_else(|| format!("the folder {} is not UTF-8", base.display()))?;
    let full = format!(
        "{}/{}",
        glob::Pattern::escape(base_text.trim_end_matches('/')),
        pattern
    );
    Ok((full, base.join(root_part)))
}

/// The regular files `pattern` matches (`*` stays within one folder,
/// hidden files need a literal dot), sorted.
fn matches(pattern: &str) -> std::result::Result<Vec<PathBuf>, String> {
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let mut out: Vec<PathBuf> = glob::glob_with(pattern, options)
        .map_err(|e| e.to_string())?
        .filter_map(std::result::Result::ok)
        .filter(|p| p.is_file())
        .map(|p| normalize(&p))
        .collect();
    out.sort();
    Ok(out)
}

/// `p` without `.` components.
fn normalize(p: &Path) -> PathBuf {
    p.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// A file sladd wrote: a redacted output or an export, each with its
/// record beside it.
fn is_sladd_output(path: &Path) -> bool {
    [".manifest.json", ".disclosure.json"].iter().any(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).is_file()
    })
}

/// The redaction manifests below `roots` and the outputs they describe.
/// Only the format and the input's hash are read, so a manifest of any
/// version counts.
fn derived_outputs(roots: &[PathBuf]) -> Vec<DerivedOutput> {
    let mut out = Vec::new();
    for root in roots {
        let Some(root_text) = root.to_str() else {
            continue;
        };
        let pattern = format!(
            "{}/**/*.manifest.json",
            glob::Pattern::escape(root_text.trim_end_matches('/'))
        );
        for manifest in matches(&pattern).unwrap_or_default() {
            let Ok(text) = std::fs::read_to_string(&manifest) else {
                continue;
            };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            if value.get("format").and_then(|f| f.as_str()) != Some(sladd_evidence::FORMAT) {
                continue;
            }
            let Some(sha) = value
                .pointer("/input/sha256")
                .and_then(|s| s.as_str())
                .map(str::to_owned)
            else {
                continue;
            };
            let name = manifest.as_os_str().to_string_lossy();
            let output = PathBuf::from(name.trim_end_matches(".manifest.json"));
            if !out.iter().any(|d: &DerivedOutput| d.manifest == manifest) {
                out.push(DerivedOutput {
                    output,
                    manifest,
                    input_sha256: sha,
                });
            }
        }
    }
    out
}

/// Dates one recording of `camera`.
fn date(camera: &Camera, path: PathBuf, probe: &dyn Probe, now: Timestamp) -> Recording {
    let metadata = std::fs::metadata(&path);
    let bytes = metadata.as_ref().map_or(0, std::fs::Metadata::len);
    let mut recording = Recording {
        path,
        camera: camera.id.clone(),
        bytes,
        start: None,
        end: None,
        start_source: StartSource::Unknown,
        unknown: None,
    };
    let facts = match probe.probe(&recording.path) {
        Ok(facts) => facts,
        Err(e) => {
            recording.unknown = Some(format!("cannot read it: {e}"));
            return recording;
        }
    };
    let Some(duration) = facts.duration.filter(|d| !d.is_negative()) else {
        recording.unknown = Some("its duration is unknown".to_owned());
        return recording;
    };
    let tz = &camera.site().timezone;
    let claimed = match &camera.recorded_at {
        RecordedAt::CreationTime => match (facts.creation_time, &facts.creation_tag) {
            (Some(t), _) => Ok((t, StartSource::CreationTime)),
            (None, Some(tag)) => Err(format!("its creation_time '{tag}' is not a usable date")),
            (None, None) => Err(
                "it has no creation_time (set recorded_at to read the start from the file name)"
                    .to_owned(),
            ),
        },
        RecordedAt::Filename(pattern) => match time_in_name(&recording.path, pattern, tz) {
            Some(t) => Ok((t, StartSource::Filename)),
            None => Err(format!("its name has no time matching '{pattern}'")),
        },
        RecordedAt::Mtime => match metadata.as_ref().ok().and_then(|m| m.modified().ok()) {
            Some(modified) => Timestamp::try_from(modified)
                .ok()
                .and_then(|end| end.checked_sub(duration).ok())
                .map(|t| (t, StartSource::Mtime))
                .ok_or_else(|| "its modification time is out of range".to_owned()),
            None => Err("its modification time cannot be read".to_owned()),
        },
    };
    let judged = claimed.and_then(|(start, source)| {
        camera
            .trusted_start(start, now)
            .map(|t| (t, source))
            .map_err(|untrusted| format!("its start is not trusted: {untrusted}"))
    });
    match judged {
        Ok((start, source)) => {
            recording.start = Some(start);
            recording.end = start.checked_add(duration).ok();
            recording.start_source = source;
            if recording.end.is_none() {
                recording.unknown = Some("its end is out of range".to_owned());
            }
        }
        Err(why) => recording.unknown = Some(why),
    }
    recording
}

/// The time `pattern` finds in `path`: matched at the first place in the
/// file name where it reads (or, for a pattern with `/`, in as many
/// trailing components of the path). Local times are in `tz`; an
/// ambiguous local time (the hour repeated when clocks fall back) is taken
/// as the earlier.
#[must_use]
pub fn time_in_name(path: &Path, pattern: &str, tz: &TimeZone) -> Option<Timestamp> {
    let depth = pattern.matches('/').count() + 1;
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let name = parts.get(parts.len().saturating_sub(depth)..)?.join("/");
    name.char_indices().find_map(|(i, _)| {
        let (tm, _) = BrokenDownTime::parse_prefix(pattern, name.get(i..)?).ok()?;
        if tm.offset().is_some() {
            return tm.to_timestamp().ok();
        }
        let civil = tm.to_datetime().ok()?;
        civil.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oslo() -> TimeZone {
        TimeZone::get("Europe/Oslo").unwrap()
    }

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn times_in_file_names() {
        let p = Path::new("archive/kasse-1/kasse-1_20260301-101500.mp4");
        assert_eq!(
            time_in_name(p, "%Y%m%d-%H%M%S", &oslo()),
            Some(t("2026-03-01T10:15:00+01:00"))
        );
        let p = Path::new("archive/2026-03-01/10-15-00.mkv");
        assert_eq!(
            time_in_name(p, "%Y-%m-%d/%H-%M-%S", &oslo()),
            Some(t("2026-03-01T10:15:00+01:00"))
        );
        let p = Path::new("cam_2026-03-01T10:15:00+0000.mp4");
        assert_eq!(
            time_in_name(p, "%Y-%m-%dT%H:%M:%S%z", &oslo()),
            Some(t("2026-03-01T10:15:00Z"))
        );
        assert_eq!(
            time_in_name(Path::new("clip.mp4"), "%Y%m%d-%H%M%S", &oslo()),
            None
        );
        // The repeated hour of the autumn night is read as the first one.
        let p = Path::new("20261025-023000.mp4");
        assert_eq!(
            time_in_name(p, "%Y%m%d-%H%M%S", &oslo()),
            Some(t("2026-10-25T02:30:00+02:00"))
        );
    }

    #[test]
    fn glob_roots_are_their_literal_folders() {
        let (full, root) =
            absolute_glob(Path::new("/srv/site"), "archive/kasse-1/**/*.mp4").unwrap();
        assert_eq!(full, "/srv/site/archive/kasse-1/**/*.mp4");
        assert_eq!(root, Path::new("/srv/site/archive/kasse-1"));
        let (_, root) = absolute_glob(Path::new("/srv/[x]"), "a/one.mp4").unwrap();
        assert_eq!(root, Path::new("/srv/[x]/a"));
        let (full, _) = absolute_glob(Path::new("/srv/[x]"), "a/*.mp4").unwrap();
        assert_eq!(full, "/srv/[[]x[]]/a/*.mp4");
    }

    #[test]
    fn claims_give_each_file_one_camera_and_leave_sladd_outputs_out() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "a/1.mp4",
            "a/2.mp4",
            "a/2.mp4.manifest.json",
            "b/x/3.mp4",
            "b/.4.mp4",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b"").unwrap();
        }
        let site = |a: &str, b: &str| {
            let text = format!(
                "[site]\nname = \"S\"\n\
                 [[cameras]]\nid = \"one\"\nrecordings = {a}\n\
                 [[cameras]]\nid = \"two\"\nrecordings = {b}\n"
            );
            Policy::from_str(&text, sladd_policy::Format::Toml, "site.toml").unwrap()
        };
        let site_file = dir.path().join("site.toml");
        let claims = claim(&site(r#"["a/*.mp4"]"#, r#"["b/**/*.mp4"]"#), &site_file).unwrap();
        let names: Vec<(String, &str)> = claims
            .files
            .iter()
            .map(|(p, c)| {
                let rel = p.strip_prefix(dir.path()).unwrap();
                (rel.display().to_string(), c.as_str())
            })
            .collect();
        assert_eq!(
            names,
            [
                ("a/1.mp4".to_owned(), "one"),
                ("b/x/3.mp4".to_owned(), "two")
            ],
            "a/2.mp4 is a redacted output, b/.4.mp4 hidden"
        );
        assert_eq!(claims.roots, [dir.path().join("a"), dir.path().join("b")]);
        let both = claim(&site(r#"["a/*.mp4"]"#, r#"["a/1.mp4"]"#), &site_file);
        assert!(
            matches!(both, Err(Error::TwoCameras { ref first, .. }) if first == "one"),
            "{both:?}"
        );
    }
}
