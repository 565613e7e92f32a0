//! The one error type of `sladd-editor`.

use std::path::PathBuf;

use crate::validate::ZoneProblem;

/// Everything that can go wrong while editing a site file's zones or
/// serving the editor.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// `read`, `write`, `back up`, ...
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The site file is not a valid configuration (as `sladd check` says).
    #[error(transparent)]
    Policy(#[from] sladd_policy::Error),
    /// An edit of a camera's zones was refused; nothing was changed.
    #[error("{}", summary(.problems))]
    Invalid {
        /// One entry per problem, zone by zone.
        problems: Vec<ZoneProblem>,
    },
    /// The site file changed on disk since it was loaded or last saved, so
    /// saving would overwrite someone else's change.
    #[error("{} changed on disk since it was loaded; reload it before saving", path.display())]
    ChangedOnDisk {
        /// The site file.
        path: PathBuf,
    },
    /// The site file's text could not be edited (its structure is not
    /// that of a site file).
    #[error("cannot edit the site file: {message}")]
    Document {
        /// What is wrong.
        message: String,
    },
    /// The picture (a video frame or an image) could not be read.
    #[error("picture: {message}")]
    Picture {
        /// What went wrong.
        message: String,
    },
    /// A request's query could not be understood.
    #[error("{message}")]
    BadRequest {
        /// What is wrong, in words.
        message: String,
    },
    /// Decoding the video failed.
    #[error(transparent)]
    Media(#[from] sladd_ffmpeg::Error),
    /// Masking failed.
    #[error("masking: {0}")]
    Mask(#[from] sladd_core::Error),
    /// Encoding a PNG failed.
    #[error("png: {0}")]
    Png(#[from] image::ImageError),
}

fn summary(problems: &[ZoneProblem]) -> String {
    let first = problems.first().map_or(String::new(), |p| {
        let zone = p.zone.map_or(String::new(), |z| format!("zones[{z}]"));
        let field = match (zone.is_empty(), p.field.is_empty()) {
            (true, _) => p.field.clone(),
            (false, true) => zone,
            (false, false) => format!("{zone}.{}", p.field),
        };
        if field.is_empty() {
            p.message.clone()
        } else {
            format!("{field}: {}", p.message)
        }
    });
    match problems.len() {
        0 | 1 => first,
        n => format!("{first} (and {} more)", n - 1),
    }
}

/// The result type of `sladd-editor`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
