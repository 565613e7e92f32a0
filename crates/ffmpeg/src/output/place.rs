//! Giving a finished temporary file its final name, unless another run
//! took that name while this one was writing.
//!
//! When the run began the target either did not exist or was a file of a
//! given identity ([`Claim`]). A target that did not exist is taken with a
//! rename that never replaces (`renameat2(RENAME_NOREPLACE)`, else a hard
//! link, which fails on an existing name): of two runs, the second finds
//! the name taken. A target that existed is replaced only while this run
//! holds an exclusive lock (`flock`) on it and the name still points at
//! the file it began with; a run that replaces it holds that lock too, so
//! of two runs the second finds another file under the name.

use std::fs;
use std::io;
use std::path::Path;

use crate::error::{Error, Result};

/// What the target was when the run began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Claim {
    /// Nothing was there.
    Absent,
    /// A file with this identity (device and inode) was there.
    Existing(Identity),
}

/// A file's device and inode (or, off Unix, its size and modification
/// time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Identity(u64, u64);

impl Identity {
    fn of(meta: &fs::Metadata) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Self(meta.dev(), meta.ino())
        }
        #[cfg(not(unix))]
        {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64);
            Self(meta.len(), modified)
        }
    }
}

impl Claim {
    /// What `target` is now.
    pub(super) fn of(target: &Path) -> Self {
        match fs::metadata(target) {
            Ok(meta) => Self::Existing(Identity::of(&meta)),
            Err(_) => Self::Absent,
        }
    }
}

/// Renames `temp` to `target` if `target` is still what `claim` says.
///
/// # Errors
/// [`Error::OutputConflict`] when it is not (`temp` is left for the caller
/// to remove); [`Error::Io`].
pub(super) fn place(temp: &Path, target: &Path, claim: &Claim) -> Result<()> {
    let conflict = || Error::OutputConflict {
        path: target.to_path_buf(),
    };
    let io_error = |source| Error::Io {
        action: "rename into place",
        path: target.to_path_buf(),
        source,
    };
    match claim {
        Claim::Absent => match rename_new(temp, target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(conflict()),
            Err(e) => Err(io_error(e)),
        },
        Claim::Existing(identity) => {
            let held = match fs::File::open(target) {
                Ok(file) => file,
                // Removed meanwhile: nobody else's output is there.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return place(temp, target, &Claim::Absent)
                }
                Err(e) => return Err(io_error(e)),
            };
            // Without lock support (some network file systems) the check
            // below still holds, with a window between check and rename.
            let _locked = lock_exclusive(&held);
            let now = fs::metadata(target).map(|m| Identity::of(&m));
            match now {
                Ok(now) if now == *identity => fs::rename(temp, target).map_err(io_error),
                Ok(_) => Err(conflict()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    place(temp, target, &Claim::Absent)
                }
                Err(e) => Err(io_error(e)),
            }
            // `held` closes here, releasing the lock.
        }
    }
}

/// Renames `from` to `to`, failing with `AlreadyExists` when `to` exists.
fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    match rename_noreplace(from, to) {
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {}
        other => return other,
    }
    // A hard link never replaces; a file system without them (FAT) gets a
    // checked rename.
    match fs::hard_link(from, to) {
        Ok(()) => fs::remove_file(from),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if fs::symlink_metadata(to).is_ok() => Err(io::ErrorKind::AlreadyExists.into()),
        Err(_) => fs::rename(from, to),
    }
}

/// `renameat2(from, to, RENAME_NOREPLACE)`.
#[cfg(target_os = "linux")]
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (from, to) = (c(from)?, c(to)?);
    // SAFETY: both arguments are NUL-terminated strings that live across
    // the call; `AT_FDCWD` makes relative paths relative to the working
    // folder, as every other file operation here; the call only reads them.
    let ret = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if ret == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Takes an exclusive advisory lock on `file` (released when it closes);
/// `false` when the file system cannot lock.
fn lock_exclusive(file: &fs::File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: `file` is an open descriptor for the whole call; `flock`
        // takes no pointers.
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        false
    }
}
