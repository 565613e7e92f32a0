//! Files written whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `bytes` to `target`: under a temporary name in the same folder,
/// synced, then renamed into place.
///
/// # Errors
/// [`Error::Io`] naming `target`; nothing is left behind.
pub(crate) fn write(target: &Path, bytes: &[u8]) -> Result<()> {
    let mut temp_name = target.as_os_str().to_owned();
    temp_name.push(format!(".tmp-{}", std::process::id()));
    let temp = PathBuf::from(temp_name);
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, target)
    })();
    if let Err(source) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io("write", target)(source));
    }
    Ok(())
}
