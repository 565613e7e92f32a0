//! The one error type of `sladd-policy`.

use std::fmt;
use std::path::PathBuf;

/// Where in a site file something is: file name, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file's name as the user gave it (or `<string>` for text).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Everything that can go wrong in `sladd-policy`.
///
/// Configuration errors name the file, line and column and the field path
/// (`cameras[0].zones[1].polygon`), so that a typo in a privacy
/// configuration is found, never silently ignored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The site file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The site file's extension is neither `.toml` nor `.json`.
    #[error("{}: unknown site file format (use a .toml or .json file)", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The file is not valid TOML/JSON, or does not fit the model: an
    /// unknown field, a bad enum value, a missing or mistyped field.
    #[error("{location}: {}{message}", field_prefix(field))]
    Syntax {
        /// Where.
        location: Location,
        /// The field path, when the parser got that far (may be empty).
        field: String,
        /// What the parser said.
        message: String,
    },
    /// A value is well-formed but not valid: a bad polygon, schedule, time
    /// zone, duplicate id, missing reference resolution.
    #[error("{location}: {}{message}", field_prefix(field))]
    Invalid {
        /// Where (line and column when they could be found).
        location: Location,
        /// The field path, e.g. `cameras[0].zones[1].polygon`.
        field: String,
        /// What is wrong, in words.
        message: String,
    },
    /// No camera of the site has this id.
    #[error("no camera '{id}' in site '{site}' (cameras: {})", known.join(", "))]
    UnknownCamera {
        /// The id asked for.
        id: String,
        /// The site's name.
        site: String,
        /// The ids the site has.
        known: Vec<String>,
    },
    /// Building a mask for a frame, or masking it, failed (bad frame size,
    /// a frame of another format or size than the masker's).
    #[error("mask: {0}")]
    Mask(#[from] sladd_core::Error),
    /// A frame was to be left untouched although the policy masks part of
    /// it at its instant.
    #[error("camera {camera}: the policy masks the frame at {}, it cannot be passed unmasked", at.as_deref().unwrap_or("an unknown instant"))]
    NotMasked {
        /// The camera's id.
        camera: String,
        /// The frame's instant in the site's offset, when known.
        at: Option<String>,
    },
}

fn field_prefix(field: &str) -> String {
    if field.is_empty() || field == "." {
        String::new()
    } else {
        format!("{field}: ")
    }
}

/// The result type of `sladd-policy`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
