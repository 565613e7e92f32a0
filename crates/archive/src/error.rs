//! The one error type of `sladd-archive`.

use std::path::PathBuf;

/// Everything that can go wrong in `sladd-archive`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read, written or removed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done (`cannot read`, `cannot remove`, ...).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A holds file is not valid.
    #[error("{file}: {message}")]
    Holds {
        /// The holds file, with line and column when known (`holds.toml:4:8`).
        file: String,
        /// What is wrong.
        message: String,
    },
    /// One file is matched by the `recordings` of two cameras.
    #[error("{} is matched by the recordings of both camera '{first}' and camera '{second}'", path.display())]
    TwoCameras {
        /// The recording.
        path: PathBuf,
        /// The first camera.
        first: String,
        /// The second camera.
        second: String,
    },
    /// A `recordings` glob could not be expanded.
    #[error("camera '{camera}': recordings glob '{glob}': {message}")]
    Glob {
        /// The camera.
        camera: String,
        /// The glob as written.
        glob: String,
        /// What went wrong.
        message: String,
    },
    /// A log line could not be encoded.
    #[error("cannot encode a log entry: {0}")]
    Encode(#[from] serde_json::Error),
}

impl Error {
    /// An I/O error on `path`.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }

    /// Whether the error is in the configuration (a holds file, a glob, a
    /// recording claimed by two cameras) rather than in the file system.
    #[must_use]
    pub const fn is_config_error(&self) -> bool {
        matches!(
            self,
            Self::Holds { .. } | Self::TwoCameras { .. } | Self::Glob { .. }
        )
    }
}

/// The result type of `sladd-archive`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
