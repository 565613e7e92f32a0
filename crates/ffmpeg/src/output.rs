//! Where the output goes: refusing to overwrite the input, and a temporary
//! name that becomes the final one only on success.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Refuses an output path that names the input file (the same path, or
/// another name for the same file).
///
/// # Errors
/// [`Error::SameFile`].
pub fn check_not_input(input: &Path, output: &Path) -> Result<()> {
    let same = match (fs::canonicalize(input), canonical_output(output)) {
        (Ok(a), Some(b)) => a == b,
        _ => input == output,
    } || same_inode(input, output);
    if same {
        return Err(Error::SameFile {
            path: output.to_path_buf(),
        });
    }
    Ok(())
}

/// The output's canonical path: the file's own if it exists, else its
/// directory's joined with its name.
fn canonical_output(output: &Path) -> Option<PathBuf> {
    if let Ok(p) = fs::canonicalize(output) {
        return Some(p);
    }
    let name = output.file_name()?;
    let dir = match output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::canonicalize(dir).ok().map(|d| d.join(name))
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

/// The temporary name an output is written under: `.NAME.sladd-tmp.EXT` in
/// the output's directory (same file system, so the final rename is atomic;
/// same extension, so FFmpeg picks the same container).
#[must_use]
pub fn temporary_path(output: &Path) -> PathBuf {
    let stem = output
        .file_stem()
        .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
    let name = match output.extension() {
        Some(ext) => format!(".{stem}.sladd-tmp.{}", ext.to_string_lossy()),
        None => format!(".{stem}.sladd-tmp"),
    };
    output.with_file_name(name)
}

/// A file being written under a temporary name: removed when dropped unless
/// [`TempOutput::commit`] renamed it into place.
#[derive(Debug)]
pub struct TempOutput {
    temp: PathBuf,
    target: PathBuf,
    armed: bool,
}

impl TempOutput {
    /// Plans writing `target` through its [`temporary_path`]; a stale
    /// temporary file from an earlier crash is removed.
    ///
    /// # Errors
    /// [`Error::Io`] when the output's directory does not exist or a stale
    /// temporary cannot be removed.
    pub fn new(target: &Path) -> Result<Self> {
        let temp = temporary_path(target);
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(Error::Io {
                    action: "write into",
                    path: dir.to_path_buf(),
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                });
            }
        }
        match fs::remove_file(&temp) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(Error::Io {
                    action: "remove stale",
                    path: temp,
                    source,
                })
            }
        }
        Ok(Self {
            temp,
            target: target.to_path_buf(),
            armed: true,
        })
    }

    /// The temporary path to write.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Flushes the finished temporary file to disk and renames it to the
    /// target.
    ///
    /// # Errors
    /// [`Error::Io`]; the temporary file is then removed.
    pub fn commit(mut self) -> Result<PathBuf> {
        let sync = fs::File::open(&self.temp).and_then(|f| f.sync_all());
        if let Err(source) = sync {
            return Err(Error::Io {
                action: "flush",
                path: self.temp.clone(),
                source,
            });
        }
        fs::rename(&self.temp, &self.target).map_err(|source| Error::Io {
            action: "rename into place",
            path: self.target.clone(),
            source,
        })?;
        self.armed = false;
        Ok(self.target.clone())
    }
}

impl Drop for TempOutput {
    fn drop(&mut self) {
        if self.armed {
            // Best effort: the file may never have been created.
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_keep_the_extension() {
        assert_eq!(
            temporary_path(Path::new("/a/b/kiosk.mp4")),
            Path::new("/a/b/.kiosk.sladd-tmp.mp4")
        );
        assert_eq!(
            temporary_path(Path::new("clip")),
            Path::new(".clip.sladd-tmp")
        );
    }

    #[test]
    fn the_input_is_refused_as_output() {
        let dir = std::env::temp_dir().join(format!("sladd-out-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.mp4");
        fs::write(&input, b"x").unwrap();
        assert!(check_not_input(&input, &input).is_err());
        assert!(check_not_input(&input, &dir.join(".").join("in.mp4")).is_err());
        let link = dir.join("link.mp4");
        let _ = fs::remove_file(&link);
        fs::hard_link(&input, &link).unwrap();
        assert!(check_not_input(&input, &link).is_err());
        assert!(check_not_input(&input, &dir.join("out.mp4")).is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn uncommitted_outputs_are_removed() {
        let dir = std::env::temp_dir().join(format!("sladd-tmp-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
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
}
