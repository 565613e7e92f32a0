//! One writer per output: an advisory lock beside each output.
//!
//! A worker about to redact a planned file takes an exclusive `flock` on
//! `.NAME.sladd-lock` in the output's folder (through `fs4`). A second
//! worker handed the same file (a misconfigured job, a retried pod while
//! the first still runs) finds it taken and leaves the file alone. The
//! kernel releases the lock when its holder exits in any way, `kill -9`
//! included, so a killed worker's lock is simply free for the next one; the
//! holder's description is still in the file, which tells the next holder
//! that it takes over from a worker that stopped mid-file.
//!
//! The file is removed by its holder, while still locked, when the work
//! is done. A worker that opened the file just before it was removed would
//! lock a file no longer under that name; so after locking, the worker
//! checks that the name still leads to the file it locked, and starts over
//! if not.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Who holds (or held) a lock: written into the lock file for the next
/// worker and for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// The host name (a pod's name under Kubernetes).
    pub host: String,
    /// The process id on that host.
    pub pid: u32,
    /// What the holder is, e.g. `shard 1/3 of plan 5d41…`.
    pub what: String,
    /// When it took the lock.
    pub since: jiff::Timestamp,
}

impl Holder {
    /// This process, doing `what`.
    #[must_use]
    pub fn this_process(what: impl Into<String>) -> Self {
        Self {
            host: host_name(),
            pid: std::process::id(),
            what: what.into(),
            since: jiff::Timestamp::now(),
        }
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pid {} on {} since {} ({})",
            self.pid, self.host, self.since, self.what
        )
    }
}

/// This machine's host name, as the kernel knows it.
#[must_use]
pub fn host_name() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".into())
}

/// The lock file of `output`: `.NAME.sladd-lock` beside it.
#[must_use]
pub fn lock_path(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.sladd-lock"))
}

/// What [`OutputLock::try_acquire`] found.
#[derive(Debug)]
pub enum Attempt {
    /// This process holds the lock now.
    Acquired(OutputLock),
    /// Another live process holds it (described, when it wrote its
    /// description yet).
    Busy(Option<Holder>),
}

/// An exclusive lock on one output, released (and its file removed) when
/// dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
    previous: Option<Holder>,
}

/// How often the lock file may vanish between opening and locking it
/// before giving up (each time another holder finished just then).
const RETRIES: usize = 16;

impl OutputLock {
    /// Tries to lock `output` for `holder`, without waiting.
    ///
    /// # Errors
    /// [`Error::Io`] when the lock file cannot be created or locked (a file
    /// system without `flock` support, such as Lustre mounted without
    /// `-o flock`, fails here rather than running unlocked).
    pub fn try_acquire(output: &Path, holder: &Holder) -> Result<Attempt> {
        let path = lock_path(output);
        for _ in 0..RETRIES {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| Error::io("create the lock file", &path, e))?;
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => {}
                Err(fs4::TryLockError::WouldBlock) => {
                    return Ok(Attempt::Busy(read_holder(&mut file)));
                }
                Err(fs4::TryLockError::Error(e)) => return Err(Error::io("lock", &path, e)),
            }
            if !still_named(&file, &path) {
                continue; // its holder removed it as we opened it: start over
            }
            let previous = read_holder(&mut file);
            write_holder(&mut file, holder).map_err(|e| Error::io("write", &path, e))?;
            return Ok(Attempt::Acquired(Self {
                file,
                path,
                previous,
            }));
        }
        Err(Error::io(
            "lock",
            &path,
            std::io::Error::other("the lock file kept being replaced"),
        ))
    }

    /// The worker that held this lock before and stopped without releasing
    /// it (killed mid-file), if any.
    #[must_use]
    pub fn previous(&self) -> Option<&Holder> {
        self.previous.as_ref()
    }

    /// The lock file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked: see the module docs for why a worker
        // that opened it meanwhile notices.
        let _ = fs::remove_file(&self.path);
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

/// Whether `path` still names the open `file` (the same inode).
fn still_named(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(text.trim()).ok()
}

fn write_holder(file: &mut File, holder: &Holder) -> std::io::Result<()> {
    let text = serde_json::to_string(holder).map_err(std::io::Error::other)?;
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(what: &str) -> Holder {
        Holder {
            host: "h".into(),
            pid: 1,
            what: what.into(),
            since: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_second_taker_finds_it_busy_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.mp4");
        let Attempt::Acquired(first) = OutputLock::try_acquire(&out, &holder("one")).unwrap()
        else {
            panic!("not acquired");
        };
        assert_eq!(first.path(), dir.path().join(".a.mp4.sladd-lock"));
        assert!(first.previous().is_none());
        match OutputLock::try_acquire(&out, &holder("two")).unwrap() {
            Attempt::Busy(Some(h)) => assert_eq!(h.what, "one"),
            other => panic!("{other:?}"),
        }
        drop(first);
        assert!(!lock_path(&out).exists(), "released locks leave no file");
        let Attempt::Acquired(second) = OutputLock::try_acquire(&out, &holder("two")).unwrap()
        else {
            panic!("not acquired after release");
        };
        assert!(second.previous().is_none());
    }

    #[test]
    fn a_dead_holders_lock_is_taken_over_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.mp4");
        // What a killed worker leaves: its description, and no lock.
        std::fs::write(
            lock_path(&out),
            serde_json::to_string(&holder("killed")).unwrap(),
        )
        .unwrap();
        let Attempt::Acquired(lock) = OutputLock::try_acquire(&out, &holder("next")).unwrap()
        else {
            panic!("a stale lock file blocked");
        };
        assert_eq!(lock.previous().map(|h| h.what.as_str()), Some("killed"));
    }

    #[test]
    fn a_holder_in_another_process_blocks_until_it_dies() {
        // flock is per open file description: a child process holding the
        // lock (here `flock(1)` when present) blocks us; killing it frees it.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("c.mp4");
        let lock = lock_path(&out);
        std::fs::write(&lock, b"").unwrap();
        let ready = dir.path().join("ready");
        // --no-fork: the command runs as the process that holds the lock.
        let Ok(mut child) = std::process::Command::new("flock")
            .arg("--no-fork")
            .arg(&lock)
            .args(["sh", "-c", "touch \"$0\"; exec sleep 30"])
            .arg(&ready)
            .spawn()
        else {
            return; // util-linux's flock is not installed
        };
        for _ in 0..500 {
            if ready.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let attempt = OutputLock::try_acquire(&out, &holder("me")).unwrap();
        let busy = matches!(attempt, Attempt::Busy(None));
        drop(attempt);
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            busy,
            "the child's lock was not seen (ready: {})",
            ready.exists()
        );
        assert!(matches!(
            OutputLock::try_acquire(&out, &holder("me")).unwrap(),
            Attempt::Acquired(_)
        ));
    }
}
