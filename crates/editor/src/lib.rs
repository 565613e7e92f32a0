//! # sladd-editor
//!
//! The zone editor of `sladd zones edit`: a camera's zones drawn on its own
//! picture in a local web page, decided and masked live by the same policy
//! and core code `sladd redact` uses, and saved back into the site file in
//! place.
//!
//! The library is usable without the server: [`SiteFile`] holds a site
//! file open for editing, [`SiteFile::set_zones`] validates an edit zone by
//! zone in `sladd check`'s words ([`validate`]) and writes it into the text
//! keeping comments, key order and formatting ([`edit`], [`document`]),
//! with outlines rounded to four decimals outward for zones that can be
//! masked ([`round`]); [`SiteFile::save`] writes the file through a
//! temporary file after keeping `SITE.bak`, and refuses when the file
//! changed on disk.
//!
//! ```
//! use sladd_editor::{SiteFile, ZoneSpec};
//! use sladd_policy::Area;
//!
//! # let dir = tempfile::tempdir()?;
//! # let path = dir.path().join("site.toml");
//! # std::fs::write(&path, "[site]\nname = \"Kiosken\"   # the shop\n\n[[cameras]]\nid = \"kasse\"\npurposes = [{ purpose = \"theft\" }]\n")?;
//! let mut site = SiteFile::open(&path)?;
//! let mut zones = site.zones("kasse")?;
//! zones.push(ZoneSpec {
//!     name: "Pauserom".into(),
//!     area: Area::Private,
//!     polygon: Some(vec![[0.6, 0.1], [0.912_345, 0.1], [0.9, 0.5], [0.6, 0.5]]),
//!     polygons: None,
//!     objects: vec![],
//!     staff_present: None,
//!     style: None,
//!     source: None,
//! });
//! let written = site.set_zones("kasse", &zones)?;
//! // Rounded outward: a private zone never shrinks.
//! assert_eq!(written[0].polygon.as_ref().unwrap()[1], [0.9124, 0.1]);
//! site.save()?;
//! let text = std::fs::read_to_string(&path)?;
//! assert!(text.contains("# the shop") && text.contains("name = \"Pauserom\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`server`] is the HTTP side: [`server::Editor`] binds 127.0.0.1, and
//! [`server::Editor::router`] serves the page and the JSON API of
//! `docs/zones-api.md`.

pub mod document;
pub mod edit;
mod error;
pub mod instant;
pub mod picture;
pub mod round;
pub mod server;
mod site;
pub mod validate;
mod zone;

pub use error::{Error, Result};
pub use site::{Saved, SiteFile};
pub use validate::ZoneProblem;
pub use zone::{parse_zones, Ring, ZoneSpec};
