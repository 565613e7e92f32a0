//! The one error type of `sladd-policy`.

use std::fmt;
use std::path::PathBuf;

use crate::config::raw::Area;
use crate::schedule::ScheduleError;

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
    #[error("{location}: {}{reason}", field_prefix(field))]
    Invalid {
        /// Where (line and column when they could be found).
        location: Location,
        /// The field path, e.g. `cameras[0].zones[1].polygon`.
        field: String,
        /// What is wrong; the core's or the schedule parser's error when
        /// they refused the value.
        #[source]
        reason: Box<InvalidReason>,
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

/// Why a well-formed value is not valid.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidReason {
    /// The core refused a polygon, region or style.
    #[error("{0}")]
    Core(#[source] sladd_core::Error),
    /// A schedule string does not parse.
    #[error("{0}")]
    Schedule(#[source] ScheduleError),
    /// The time zone is not in the bundled database.
    #[error("unknown time zone '{0}' (use an IANA name such as 'Europe/Oslo')")]
    UnknownTimeZone(String),
    /// A camera's id is empty.
    #[error("camera id is empty")]
    EmptyCameraId,
    /// Two cameras share an id.
    #[error("duplicate camera id '{id}' (also cameras[{other}])")]
    DuplicateCamera {
        /// The id.
        id: String,
        /// The index of the camera that has it first.
        other: usize,
    },
    /// Two zones of a camera share a name.
    #[error("duplicate zone name '{name}' in camera '{camera}' (also zones[{other}])")]
    DuplicateZone {
        /// The name.
        name: String,
        /// The camera.
        camera: String,
        /// The index of the zone that has it first.
        other: usize,
    },
    /// `when = "never"` on a purpose.
    #[error("'never' is not a purpose window (remove the purpose instead)")]
    NeverWindow,
    /// A date that is not `YYYY-MM-DD`.
    #[error("'{0}' is not a date YYYY-MM-DD")]
    BadDate(String),
    /// A zone gives none or several of `polygon`, `polygons`, `polygon_px`.
    #[error("zone '{0}' must give exactly one of 'polygon', 'polygons' or 'polygon_px'")]
    PolygonCount(String),
    /// `polygon_px` without the camera's `reference_resolution`.
    #[error("polygon_px needs the camera's reference_resolution = [width, height]")]
    PixelsNeedReference,
    /// A zone's name is empty.
    #[error("zone name is empty")]
    EmptyZoneName,
    /// A camera's `recordings` entry is not a glob.
    #[error("'{glob}' is not a glob: {source}")]
    NotAGlob {
        /// The entry.
        glob: String,
        /// What the glob parser said.
        source: glob::PatternError,
    },
    /// A `recorded_at` pattern is not a strftime pattern.
    #[error("'{pattern}' is not a strftime pattern: {source}")]
    BadPattern {
        /// The pattern.
        pattern: String,
        /// What the formatter said.
        source: jiff::Error,
    },
    /// A `recorded_at` pattern does not give a whole instant.
    #[error("'{0}' must give the date and the time to the second (e.g. %Y%m%d-%H%M%S)")]
    PatternIncomplete(String),
    /// `recorded_at` reads the file name but gives no pattern.
    #[error("from = \"filename\" needs a pattern, e.g. pattern = \"%Y%m%d-%H%M%S\"")]
    PatternMissing,
    /// `recorded_at` gives a pattern but does not read the file name.
    #[error("a pattern applies only to from = \"filename\"")]
    PatternUnused,
    /// `objects` on a zone that is not a restricted circle.
    #[error("objects apply only to restricted_circle zones, and '{zone}' is {area}")]
    ObjectsOutsideRestrictedCircle {
        /// The zone.
        zone: String,
        /// Its area.
        area: Area,
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
