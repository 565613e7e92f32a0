//! The element's properties, and what they load to at READY.

use jiff::Timestamp;
use sladd_core::Style;
use sladd_policy::{Camera, Policy};

use crate::error::{Error, Result};

/// The default of the `threads` property: mask on the streaming thread.
pub(crate) const DEFAULT_THREADS: u32 = 1;

/// The property values, as set.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// `config`: the site file's path.
    pub(crate) config: Option<String>,
    /// `camera`: the camera's id in the site file.
    pub(crate) camera: Option<String>,
    /// `style`: overrides the style of masked zones that name none.
    pub(crate) style: Option<String>,
    /// `start`: the wall-clock instant of running time zero.
    pub(crate) start: Option<String>,
    /// `threads`: masking threads (0: a shared pool sized to the machine).
    pub(crate) threads: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            config: None,
            camera: None,
            style: None,
            start: None,
            threads: DEFAULT_THREADS,
        }
    }
}

/// The settings checked and loaded, once per NULL → READY.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    /// The camera, compiled from the site file.
    pub(crate) camera: Camera,
    /// The style override, if any.
    pub(crate) style: Option<Style>,
    /// The instant of running time zero, if known.
    pub(crate) start: Option<Timestamp>,
    /// Masking threads.
    pub(crate) threads: u32,
}

impl Settings {
    /// Loads the site file and checks every property.
    ///
    /// # Errors
    /// [`Error::MissingProperty`] without `config` or `camera`; the
    /// policy's error (naming the file, line and column) for a site file
    /// that does not load or has no such camera; [`Error::Style`] and
    /// [`Error::Start`] for values that do not parse.
    pub(crate) fn load(&self) -> Result<Loaded> {
        let config = self
            .config
            .as_deref()
            .ok_or(Error::MissingProperty { property: "config" })?;
        let camera = self
            .camera
            .as_deref()
            .ok_or(Error::MissingProperty { property: "camera" })?;
        let policy = Policy::load(config)?;
        let camera = policy.camera(camera)?.clone();
        let style = self.style.as_deref().map(parse_style).transpose()?;
        let start = self.start.as_deref().map(parse_start).transpose()?;
        Ok(Loaded {
            camera,
            style,
            start,
            threads: self.threads,
        })
    }
}

/// A style as `sladd redact --style` takes it.
fn parse_style(value: &str) -> Result<Style> {
    let style_error = |source| Error::Style {
        value: value.to_owned(),
        source,
    };
    let style: Style = value.parse().map_err(style_error)?;
    style.validate().map_err(style_error)?;
    Ok(style)
}

/// An RFC 3339 instant with an offset.
fn parse_start(value: &str) -> Result<Timestamp> {
    value.parse().map_err(|e: jiff::Error| Error::Start {
        value: value.to_owned(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(config: &str) -> Settings {
        Settings {
            config: Some(config.to_owned()),
            camera: Some("kasse-1".to_owned()),
            ..Settings::default()
        }
    }

    fn site() -> String {
        format!("{}/../../fixtures/site.toml", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn loads_the_fixture_site() {
        let mut s = settings(&site());
        s.style = Some("pixelate:12".to_owned());
        s.start = Some("2026-11-24T12:00:00+01:00".to_owned());
        let loaded = s.load().unwrap();
        assert_eq!(loaded.camera.id, "kasse-1");
        assert_eq!(loaded.style, Some(Style::Pixelate { block: 12 }));
        assert_eq!(loaded.start, Some("2026-11-24T11:00:00Z".parse().unwrap()));
    }

    #[test]
    fn missing_properties_are_named() {
        let err = Settings::default().load().unwrap_err();
        assert_eq!(err.to_string(), "the property 'config' is not set");
        let mut s = settings(&site());
        s.camera = None;
        assert_eq!(
            s.load().unwrap_err().to_string(),
            "the property 'camera' is not set"
        );
    }

    #[test]
    fn unknown_camera_bad_style_and_bad_start_are_refused() {
        let mut s = settings(&site());
        s.camera = Some("nope".to_owned());
        assert!(s
            .load()
            .unwrap_err()
            .to_string()
            .contains("no camera 'nope'"));
        let mut s = settings(&site());
        s.style = Some("sparkle".to_owned());
        assert!(s
            .load()
            .unwrap_err()
            .to_string()
            .starts_with("style 'sparkle'"));
        let mut s = settings(&site());
        s.start = Some("yesterday".to_owned());
        assert!(s
            .load()
            .unwrap_err()
            .to_string()
            .starts_with("start 'yesterday'"));
    }
}
