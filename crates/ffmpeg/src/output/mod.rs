//! Where an output goes: checks made before any work (never the input,
//! never a device, FIFO, socket, folder or `-`), and a temporary file that
//! takes the final name only when complete, and only if no other run took
//! that name meanwhile.
//!
//! - [`check_output`], [`check_output_path`], [`same_file`]: the checks,
//!   for videos and for anything else written beside or instead of one
//!   (manifests, preview images).
//! - [`TempOutput`]: the temporary file, unique per run, and its
//!   [`Companion`]s (the evidence manifest) placed right after it.

mod place;
mod temp;

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use temp::{remove_left_by, Companion, TempOutput};

/// Refuses an output path that names the input file or that cannot be
/// replaced by a regular file (see [`check_output_path`]).
///
/// # Errors
/// [`Error::SameFile`], [`Error::OutputIsStdout`],
/// [`Error::OutputNotRegular`].
pub fn check_output(input: &Path, output: &Path) -> Result<()> {
    check_output_path(output)?;
    if same_file(input, output) {
        return Err(Error::SameFile {
            path: output.to_path_buf(),
        });
    }
    Ok(())
}

/// Refuses an output path that exists and is not a regular file (a
/// character or block device such as `/dev/null`, a FIFO, a socket, a
/// folder; symbolic links are followed), and `-`, which names no file: sladd
/// writes files and renames them into place, which would replace a device
/// with a regular file.
///
/// # Errors
/// [`Error::OutputIsStdout`], [`Error::OutputNotRegular`].
pub fn check_output_path(output: &Path) -> Result<()> {
    if output.as_os_str() == "-" {
        return Err(Error::OutputIsStdout);
    }
    match fs::metadata(output) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(meta) => Err(Error::OutputNotRegular {
            path: output.to_path_buf(),
            kind: file_kind(&meta),
        }),
        // Missing (the usual case) or unreadable: creating the temporary
        // file beside it reports the real problem.
        Err(_) => Ok(()),
    }
}

/// What a file that is not a regular file is, in words.
fn file_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Whether `output` names the same file as `input`: the same inode (hard
/// links, symbolic links, `.` and `..`) when both exist, else the same
/// canonical path (an output that does not exist yet is compared by its
/// canonical folder and file name).
#[must_use]
pub fn same_file(input: &Path, output: &Path) -> bool {
    #[cfg(unix)]
    if let (Ok(a), Ok(b)) = (fs::metadata(input), fs::metadata(output)) {
        use std::os::unix::fs::MetadataExt;
        return a.dev() == b.dev() && a.ino() == b.ino();
    }
    match (fs::canonicalize(input), canonical_output(output)) {
        (Ok(a), Some(b)) => a == b,
        _ => input == output,
    }
}

/// The output's canonical path: the file's own if it exists, else its
/// folder's joined with its name.
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

/// A fresh, empty folder for one unit test.
#[cfg(test)]
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sladd-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_is_refused_as_output() {
        let dir = scratch("same");
        let input = dir.join("in.mp4");
        fs::write(&input, b"x").unwrap();
        assert!(check_output(&input, &input).is_err());
        assert!(check_output(&input, &dir.join(".").join("in.mp4")).is_err());
        let link = dir.join("link.mp4");
        fs::hard_link(&input, &link).unwrap();
        assert!(check_output(&input, &link).is_err());
        assert!(check_output(&input, &dir.join("out.mp4")).is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn devices_folders_and_dash_are_refused() {
        let dir = scratch("kinds");
        assert!(matches!(
            check_output_path(Path::new("-")),
            Err(Error::OutputIsStdout)
        ));
        let err = check_output_path(Path::new("/dev/null")).unwrap_err();
        assert!(err.to_string().contains("a character device"), "{err}");
        let err = check_output_path(&dir).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
        let file = dir.join("old.mp4");
        fs::write(&file, b"x").unwrap();
        assert!(check_output_path(&file).is_ok());
        assert!(check_output_path(&dir.join("new.mp4")).is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }
}
