//! The temporary file an output is written under, unique per run, and the
//! step that gives it its final name.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::check_output_path;
use super::place::{place, Claim};
use crate::error::{Error, Result};

/// Temporary files created by this process so far (part of their names).
static CREATED: AtomicU64 = AtomicU64::new(0);

/// A file written beside an output and placed right after it (the
/// evidence manifest): it lands only when the output does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Companion {
    /// Its final name.
    pub target: PathBuf,
    /// Its bytes.
    pub contents: Vec<u8>,
}

/// A file being written under a temporary name, removed when dropped
/// unless [`TempOutput::commit`] gave it its final name.
///
/// The name is unique to this run (`.NAME.sladd-tmp-PID-N.EXT` in the
/// target's folder: the same file system, so the rename is atomic; the same
/// extension, so FFmpeg picks the same container) and the file is created
/// exclusively (`O_EXCL`), so two runs writing one output never share it.
/// What the target was when the run began is recorded: the commit replaces
/// it only if no other run replaced it meanwhile ([`Error::OutputConflict`]
/// otherwise).
#[derive(Debug)]
pub struct TempOutput {
    temp: PathBuf,
    target: PathBuf,
    claim: Claim,
    armed: bool,
}

impl TempOutput {
    /// Checks `target` ([`check_output_path`]), records what is there now
    /// and creates the temporary file, empty.
    ///
    /// # Errors
    /// [`Error::OutputIsStdout`], [`Error::OutputNotRegular`];
    /// [`Error::Io`] when the target's folder does not exist or the file
    /// cannot be created there.
    pub fn new(target: &Path) -> Result<Self> {
        check_output_path(target)?;
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(Error::Io {
                    action: "write into",
                    path: dir.to_path_buf(),
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                });
            }
        }
        let claim = Claim::of(target);
        let (temp, _file) = create_unique(target)?;
        Ok(Self {
            temp,
            target: target.to_path_buf(),
            claim,
            armed: true,
        })
    }

    /// The temporary path to write.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// The final name.
    #[must_use]
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Rewrites the temporary file: `rewrite(current, next)` reads it and
    /// writes its new version to `next`, a second temporary file of this
    /// run created empty beside it, which then takes its place. On failure
    /// the new version is removed and the old one is left as it was.
    ///
    /// # Errors
    /// `rewrite`'s error, or [`Error::Io`] when the new version cannot be
    /// created or cannot replace the old.
    pub fn rewrite(&mut self, rewrite: impl FnOnce(&Path, &Path) -> Result<()>) -> Result<()> {
        let (next, file) = create_unique(&self.target)?;
        drop(file);
        let rewritten = rewrite(&self.temp, &next).and_then(|()| {
            fs::rename(&next, &self.temp).map_err(|source| Error::Io {
                action: "replace",
                path: self.temp.clone(),
                source,
            })
        });
        if rewritten.is_err() {
            let _ = fs::remove_file(&next);
        }
        rewritten
    }

    /// Flushes the finished temporary file to disk and gives it its final
    /// name; see [`TempOutput::commit_with`].
    ///
    /// # Errors
    /// As [`TempOutput::commit_with`].
    pub fn commit(self) -> Result<PathBuf> {
        self.commit_with(Vec::new())
    }

    /// Flushes the finished temporary file and the `companions` (each
    /// written under a temporary name of its own first) to disk, gives the
    /// file its final name if the target is still what it was when the run
    /// began, then renames each companion into place.
    ///
    /// # Errors
    /// [`Error::OutputConflict`] when another run replaced the target
    /// meanwhile (its output stays; this one's and the companions are
    /// removed); [`Error::OutputNotRegular`] for a companion's target;
    /// [`Error::Io`]. After an error nothing of this run is left.
    pub fn commit_with(mut self, companions: Vec<Companion>) -> Result<PathBuf> {
        let sync = fs::File::open(&self.temp).and_then(|f| f.sync_all());
        if let Err(source) = sync {
            return Err(Error::Io {
                action: "flush",
                path: self.temp.clone(),
                source,
            });
        }
        let mut staged = Staged::default();
        for companion in companions {
            staged.write(companion)?;
        }
        place(&self.temp, &self.target, &self.claim)?;
        self.armed = false;
        if let Err(e) = staged.place() {
            // The output must not stay without its companions.
            let _ = fs::remove_file(&self.target);
            return Err(e);
        }
        Ok(self.target.clone())
    }
}

impl Drop for TempOutput {
    fn drop(&mut self) {
        if self.armed {
            // Best effort: FFmpeg may have removed or never reopened it.
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Companions written under temporary names, removed when dropped unless
/// placed.
#[derive(Debug, Default)]
struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    fn write(&mut self, companion: Companion) -> Result<()> {
        check_output_path(&companion.target)?;
        let (temp, mut file) = create_unique(&companion.target)?;
        self.files.push((temp.clone(), companion.target.clone()));
        file.write_all(&companion.contents)
            .and_then(|()| file.sync_all())
            .map_err(|source| Error::Io {
                action: "write",
                path: temp,
                source,
            })
    }

    fn place(&mut self) -> Result<()> {
        while let Some((temp, target)) = self.files.first().cloned() {
            fs::rename(&temp, &target).map_err(|source| Error::Io {
                action: "rename into place",
                path: target.clone(),
                source,
            })?;
            self.files.remove(0);
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (temp, _) in &self.files {
            let _ = fs::remove_file(temp);
        }
    }
}

/// Creates a new, empty file with a name of its own beside `target`
/// (`.NAME.sladd-tmp-PID-N.EXT`), exclusively.
fn create_unique(target: &Path) -> Result<(PathBuf, fs::File)> {
    loop {
        let n = CREATED.fetch_add(1, Ordering::Relaxed);
        let temp = temporary_path(target, std::process::id(), n);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(source) => {
                return Err(Error::Io {
                    action: "write",
                    path: temp,
                    source,
                })
            }
        }
    }
}

/// Removes the temporary files that the run with process id `pid` left
/// beside `target` (`.NAME.sladd-tmp-PID-N.EXT`, sladd's own names, regular
/// files only): what a worker killed while writing `target` leaves behind.
/// Call it only when that run is known to have ended (its lock was taken
/// over). Returns the files removed.
#[must_use]
pub fn remove_left_by(target: &Path, pid: u32) -> Vec<PathBuf> {
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| is_temporary_of(path, target, pid))
        .filter(|path| fs::symlink_metadata(path).is_ok_and(|m| m.is_file()))
        .filter(|path| fs::remove_file(path).is_ok())
        .collect()
}

/// Whether `path` is named as a temporary of `target` by process `pid`.
fn is_temporary_of(path: &Path, target: &Path, pid: u32) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let template = temporary_path(target, pid, 0);
    let Some(pattern) = template.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    // `.NAME.sladd-tmp-PID-` + digits + `.EXT`.
    let (prefix, suffix) = pattern.split_at(pattern.len() - ext_len(target) - 1);
    name.strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix.get(1..).unwrap_or_default()))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The length of `.EXT` in a temporary name of `target` (0 without one).
fn ext_len(target: &Path) -> usize {
    target.extension().map_or(0, |e| e.len() + 1)
}

/// `.NAME.sladd-tmp-PID-N.EXT` beside `target` (no `.EXT` without one).
fn temporary_path(target: &Path, pid: u32, n: u64) -> PathBuf {
    let stem = target
        .file_stem()
        .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
    let name = match target.extension() {
        Some(ext) => format!(".{stem}.sladd-tmp-{pid}-{n}.{}", ext.to_string_lossy()),
        None => format!(".{stem}.sladd-tmp-{pid}-{n}"),
    };
    target.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::super::scratch;
    use super::*;

    #[test]
    fn temporary_names_keep_the_extension() {
        assert_eq!(
            temporary_path(Path::new("/a/b/kiosk.mp4"), 7, 3),
            Path::new("/a/b/.kiosk.sladd-tmp-7-3.mp4")
        );
        assert_eq!(
            temporary_path(Path::new("clip"), 7, 0),
            Path::new(".clip.sladd-tmp-7-0")
        );
    }

    #[test]
    fn a_dead_runs_temporaries_are_removed_and_nothing_else() {
        let dir = scratch("left-by");
        let target = dir.join("x.mp4");
        let names = [
            ".x.sladd-tmp-41-0.mp4",
            ".x.sladd-tmp-41-17.mp4",
            ".x.sladd-tmp-42-0.mp4",
            ".x.sladd-tmp-41-0.mkv",
            ".y.sladd-tmp-41-0.mp4",
            ".x.sladd-tmp-41-.mp4",
            "x.mp4",
        ];
        for name in names {
            fs::write(dir.join(name), b"partial").unwrap();
        }
        let mut removed = remove_left_by(&target, 41);
        removed.sort();
        assert_eq!(
            removed,
            [
                dir.join(".x.sladd-tmp-41-0.mp4"),
                dir.join(".x.sladd-tmp-41-17.mp4")
            ]
        );
        for name in &names[2..] {
            assert!(dir.join(name).exists(), "{name}");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_rewrite_replaces_the_temporary_file_or_leaves_it_as_it_was() {
        let dir = scratch("rewrite");
        let target = dir.join("x.mp4");
        let mut temp = TempOutput::new(&target).unwrap();
        fs::write(temp.path(), b"first").unwrap();
        temp.rewrite(|current, next| {
            let mut bytes = fs::read(current).unwrap();
            bytes.extend_from_slice(b" and second");
            fs::write(next, bytes).unwrap();
            Ok(())
        })
        .unwrap();
        let failed = temp.rewrite(|_, next| {
            fs::write(next, b"half").unwrap();
            Err(Error::NoVideo {
                path: next.to_path_buf(),
            })
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(temp.path()).unwrap(), b"first and second");
        let left: Vec<_> = fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "only the temporary file: {left:?}");
        let temp_path = temp.path().to_path_buf();
        drop(temp);
        assert!(!temp_path.exists() && !target.exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn two_outputs_of_one_target_get_their_own_files() {
        let dir = scratch("unique");
        let target = dir.join("x.mp4");
        let a = TempOutput::new(&target).unwrap();
        let b = TempOutput::new(&target).unwrap();
        assert_ne!(a.path(), b.path());
        assert!(a.path().exists() && b.path().exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn uncommitted_outputs_are_removed() {
        let dir = scratch("tmp");
        let target = dir.join("x.mp4");
        let temp = TempOutput::new(&target).unwrap();
        fs::write(temp.path(), b"partial").unwrap();
        let temp_path = temp.path().to_path_buf();
        drop(temp);
        assert!(!temp_path.exists() && !target.exists());
        let temp = TempOutput::new(&target).unwrap();
        fs::write(temp.path(), b"whole").unwrap();
        assert_eq!(temp.commit().unwrap(), target);
        assert_eq!(fs::read(&target).unwrap(), b"whole");
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Regression: two runs writing one output shared one temporary name;
    /// one reported `cannot flush`, and the output held one run's video
    /// under the other's manifest.
    #[test]
    fn a_run_whose_target_was_taken_meanwhile_reports_the_conflict() {
        let dir = scratch("conflict");
        let target = dir.join("x.mp4");
        let manifest = dir.join("x.mp4.manifest.json");
        let companion = |text: &str| Companion {
            target: manifest.clone(),
            contents: text.as_bytes().to_vec(),
        };
        // Both begin while the target does not exist.
        let first = TempOutput::new(&target).unwrap();
        let second = TempOutput::new(&target).unwrap();
        fs::write(first.path(), b"first").unwrap();
        fs::write(second.path(), b"second").unwrap();
        second.commit_with(vec![companion("of second")]).unwrap();
        let err = first.commit_with(vec![companion("of first")]).unwrap_err();
        assert!(matches!(err, Error::OutputConflict { .. }), "{err}");
        assert_eq!(fs::read(&target).unwrap(), b"second");
        assert_eq!(fs::read(&manifest).unwrap(), b"of second");
        assert_eq!(names(&dir), ["x.mp4", "x.mp4.manifest.json"]);

        // Both begin while it exists: the same, through the other branch.
        let first = TempOutput::new(&target).unwrap();
        let second = TempOutput::new(&target).unwrap();
        fs::write(first.path(), b"third").unwrap();
        fs::write(second.path(), b"fourth").unwrap();
        second.commit_with(vec![companion("of fourth")]).unwrap();
        assert!(first.commit_with(vec![companion("of third")]).is_err());
        assert_eq!(fs::read(&target).unwrap(), b"fourth");
        assert_eq!(fs::read(&manifest).unwrap(), b"of fourth");
        assert_eq!(names(&dir), ["x.mp4", "x.mp4.manifest.json"]);

        // A run that began after the last commit replaces it.
        let next = TempOutput::new(&target).unwrap();
        fs::write(next.path(), b"fifth").unwrap();
        next.commit_with(vec![companion("of fifth")]).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"fifth");
        fs::remove_dir_all(&dir).unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}
