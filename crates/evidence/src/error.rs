//! The one error type of `sladd-evidence`.

use std::path::PathBuf;

/// Everything that can go wrong in `sladd-evidence`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done: `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A site file is not valid TOML or JSON, so it has no canonical form.
    #[error("{}: {reason}", path.display())]
    ConfigSyntax {
        /// The site file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
    /// A site file holds a number JSON cannot represent (NaN, infinity).
    #[error("{}: {source}", path.display())]
    Canonical {
        /// The site file.
        path: PathBuf,
        /// What the canonicalizer said.
        source: serde_json::Error,
    },
    /// A file is not a manifest: not JSON, or not of the manifest's shape.
    #[error("{} is not a sladd manifest: {source}", path.display())]
    NotAManifest {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        source: serde_json::Error,
    },
    /// A manifest of another format or of a version this library does not read.
    #[error(
        "{}: manifest format '{format}' version {version} (this sladd reads '{}' versions {})",
        path.display(),
        crate::manifest::FORMAT,
        crate::manifest::Version::supported()
    )]
    UnsupportedManifest {
        /// The file.
        path: PathBuf,
        /// Its `format`.
        format: String,
        /// Its `version`.
        version: u32,
    },
    /// A manifest's value cannot be used (a start that is not an instant, a
    /// style sladd does not know).
    #[error("the manifest's {field} '{value}' {reason}")]
    ManifestValue {
        /// The key, e.g. `start`.
        field: &'static str,
        /// Its value.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// What the caller asked for contradicts the manifest (another camera,
    /// start or style than the redaction used).
    #[error("{0}")]
    Contradiction(String),
    /// Two frames to compare differ in pixel format or size.
    #[error(
        "the original frame is {} {}x{}, the redacted one {} {}x{}",
        original.0.name(), original.1, original.2, redacted.0.name(), redacted.1, redacted.2
    )]
    FrameMismatch {
        /// The original's format, width and height.
        original: (sladd_core::PixelFormat, u32, u32),
        /// The redaction's.
        redacted: (sladd_core::PixelFormat, u32, u32),
    },
    /// A key file exists where a new key was to be written.
    #[error("{} exists; sladd never overwrites a key", .0.display())]
    KeyExists(PathBuf),
    /// A file is not a key of the kind expected.
    #[error("{} is not {kind} in PEM: {reason}", path.display())]
    BadKey {
        /// The file.
        path: PathBuf,
        /// What was expected, e.g. `an Ed25519 private key (PKCS#8)`.
        kind: &'static str,
        /// What the decoder said.
        reason: String,
    },
    /// A signature file is not one this library reads.
    #[error("{} is not a sladd manifest signature: {reason}", path.display())]
    BadSignatureFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The operating system's random source failed.
    #[error("no randomness for a new key: {0}")]
    Random(String),
    /// C2PA signing credentials that cannot be used, or an output C2PA
    /// cannot be embedded in.
    #[error("{}: {reason}", path.display())]
    Credentials {
        /// The certificate chain, key or output file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The C2PA SDK refused to sign or to read a file.
    #[cfg(feature = "c2pa")]
    #[error("{action} {}: {source}", path.display())]
    C2pa {
        /// `signing the C2PA manifest of`, `reading the C2PA manifest of`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// What the SDK said.
        source: Box<::c2pa::Error>,
    },
    /// A run of frames that C2PA regions of interest cannot describe.
    #[error("the decisions for frames {first_frame}-{last_frame}: {reason}")]
    Span {
        /// The run's first frame.
        first_frame: u64,
        /// Its last frame.
        last_frame: u64,
        /// Why.
        reason: String,
    },
    /// The site file failed to load or has no such camera.
    #[error(transparent)]
    Policy(#[from] sladd_policy::Error),
    /// The core refused a frame or a mask.
    #[error(transparent)]
    Core(#[from] sladd_core::Error),
    /// The policy's masks for a frame could not be built.
    #[error("deciding the masks: {0}")]
    Decide(#[source] sladd_policy::Error),
    /// Decoding the original or the redaction failed.
    #[cfg(feature = "ffmpeg")]
    #[error(transparent)]
    Media(#[from] sladd_ffmpeg::Error),
}

impl Error {
    /// An I/O error reading `path`.
    pub(crate) fn read(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::io("read", path)(source)
    }

    /// An I/O error doing `action` (`read`, `write`, `create`) on `path`,
    /// for `map_err`.
    pub(crate) fn io(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.to_owned();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }
}

/// The result type of `sladd-evidence`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
