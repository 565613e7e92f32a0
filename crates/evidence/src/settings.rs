//! The start and style a redaction is verified with: the manifest's, which
//! the caller's must not contradict, else the caller's.

use jiff::Timestamp;
use sladd_core::Style;

use crate::error::{Error, Result};
use crate::manifest::{Manifest, StartSource};

/// What a redaction is verified with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The recording's start given to the decoder (`None`: the original's
    /// `creation_time`, else unknown).
    pub start: Option<Timestamp>,
    /// The default style for zones without one.
    pub style: Style,
}

impl Settings {
    /// Reconciles what the caller says (`camera`, and `start` and `style`
    /// when given) with the manifest, if there is one. Without a manifest
    /// the style defaults to fill.
    ///
    /// # Errors
    /// [`Error::Contradiction`] when the caller's camera, start or style
    /// differs from the manifest's.
    pub fn reconcile(
        manifest: Option<&Manifest>,
        camera: &str,
        start: Option<Timestamp>,
        style: Option<Style>,
    ) -> Result<Self> {
        let Some(m) = manifest else {
            return Ok(Self {
                start,
                style: style.unwrap_or_else(Style::fill),
            });
        };
        if m.camera != camera {
            return Err(Error::Contradiction(format!(
                "the manifest was written for camera '{}', --camera says '{camera}'",
                m.camera
            )));
        }
        if let Some(given) = start {
            if Some(given) != m.start {
                return Err(Error::Contradiction(format!(
                    "--start {given} contradicts the manifest's start ({})",
                    m.start
                        .map_or_else(|| "unknown".to_owned(), |t| t.to_string())
                )));
            }
        }
        if let Some(given) = style {
            if given != m.style {
                return Err(Error::Contradiction(format!(
                    "--style {given} contradicts the manifest's style {}",
                    m.style
                )));
            }
        }
        let start = match m.start_source {
            // A start the redaction was given, not read from the container.
            StartSource::Option | StartSource::RecordedAt => m.start,
            StartSource::CreationTime | StartSource::Unknown => start,
        };
        Ok(Self {
            start,
            style: m.style,
        })
    }
}
