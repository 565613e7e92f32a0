//! What the handlers share: the site file being edited, each camera's
//! picture, the session's token and port.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use jiff::Timestamp;
use sladd_policy::Policy;

use super::Options;
use crate::error::{Error, Result};
use crate::picture::{Picture, Source, DEFAULT_SIZE};
use crate::site::SiteFile;

/// The editor's shared state.
#[derive(Debug)]
pub(crate) struct AppState {
    site: Mutex<SiteFile>,
    pictures: Mutex<HashMap<String, Arc<Picture>>>,
    /// The camera shown first, whose picture the options gave.
    pub(crate) camera: String,
    /// The instant the preview starts at (`None`: now, when asked).
    pub(crate) at: Option<Timestamp>,
    /// The random access token.
    pub(crate) token: String,
    /// The port on 127.0.0.1.
    pub(crate) port: u16,
}

impl AppState {
    /// Opens the site file and the first camera's picture.
    pub(crate) fn open(options: &Options, port: u16, token: String) -> Result<Self> {
        let site = SiteFile::open(&options.site)?;
        let camera = match &options.camera {
            Some(id) => {
                site.policy().camera(id)?;
                id.clone()
            }
            None => site
                .policy()
                .cameras()
                .first()
                .map(|c| c.id.clone())
                .ok_or_else(|| Error::BadRequest {
                    message: format!("{} has no cameras to edit", options.site.display()),
                })?,
        };
        let source = match &options.picture {
            Some(source) => source.clone(),
            None => canvas_for(&site, &camera),
        };
        let picture = Arc::new(Picture::open(source)?);
        let at = options.at.or_else(|| picture.instant_at(0.0));
        let pictures = HashMap::from([(camera.clone(), picture)]);
        Ok(Self {
            site: Mutex::new(site),
            pictures: Mutex::new(pictures),
            camera,
            at,
            token,
            port,
        })
    }

    /// The site file, locked for the caller.
    pub(crate) fn site(&self) -> MutexGuard<'_, SiteFile> {
        self.site.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The edited policy, copied out of the lock (for work that takes a
    /// while, such as masking a picture).
    pub(crate) fn policy(&self) -> Policy {
        self.site().policy().clone()
    }

    /// Whether edits are unsaved.
    pub(crate) fn unsaved(&self) -> bool {
        self.site().is_dirty()
    }

    /// Camera `id`'s picture: the one given for the first camera, a grey
    /// canvas of its `reference_resolution` (or 1920x1080) for the others.
    pub(crate) fn picture(&self, id: &str) -> Result<Arc<Picture>> {
        let source = {
            let site = self.site();
            site.camera_index(id)?;
            canvas_for(&site, id)
        };
        let mut pictures = self.pictures.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(p) = pictures.get(id) {
            return Ok(Arc::clone(p));
        }
        let picture = Arc::new(Picture::open(source)?);
        pictures.insert(id.to_owned(), Arc::clone(&picture));
        Ok(picture)
    }
}

/// A grey canvas of camera `id`'s reference resolution, or 1920x1080.
fn canvas_for(site: &SiteFile, id: &str) -> Source {
    let (width, height) = site
        .raw()
        .cameras
        .iter()
        .find(|c| c.id == id)
        .and_then(|c| c.reference_resolution)
        .filter(|[w, h]| *w > 0 && *h > 0)
        .map_or(DEFAULT_SIZE, |[w, h]| (w, h));
    Source::Canvas { width, height }
}
