//! A site file open for editing: its text on disk, the edited text, and the
//! policy compiled from the edited text (always valid: an edit that does
//! not compile is refused and changes nothing).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sladd_policy::config::raw::RawConfig;
use sladd_policy::{Format, Policy};

use crate::error::{Error, Result};
use crate::zone::ZoneSpec;
use crate::{document, edit, validate};

/// A site file being edited.
#[derive(Debug, Clone)]
pub struct SiteFile {
    /// The path as the user gave it (for messages).
    path: PathBuf,
    /// Where the file really is (symbolic links resolved): what is written.
    target: PathBuf,
    format: Format,
    /// The text on disk when it was loaded or last saved.
    disk: String,
    /// The edited text.
    text: String,
    raw: RawConfig,
    policy: Policy,
}

/// What [`SiteFile::save`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// Whether the file was written (`false`: nothing had changed).
    pub written: bool,
    /// The previous version, kept as `SITE.bak` beside the file (beside
    /// the file a symbolic link points to), when written.
    pub backup: Option<PathBuf>,
}

impl SiteFile {
    /// Opens a site file (`.toml` or `.json`); it must be a valid
    /// configuration.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read, [`Error::Policy`] with the
    /// file, line, column and field when it is not valid.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_owned();
        let format = Format::from_path(&path)?;
        let target = fs::canonicalize(&path).map_err(|source| Error::Io {
            action: "read",
            path: path.clone(),
            source,
        })?;
        let disk = read(&path)?;
        let (raw, policy) = compile(&disk, format, &path)?;
        Ok(Self {
            path,
            target,
            format,
            text: disk.clone(),
            disk,
            raw,
            policy,
        })
    }

    /// The path as given.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// TOML or JSON.
    #[must_use]
    pub fn format(&self) -> Format {
        self.format
    }

    /// The edited text (what [`SiteFile::save`] writes).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The policy of the edited text.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The edited text as the raw model.
    #[must_use]
    pub fn raw(&self) -> &RawConfig {
        &self.raw
    }

    /// Whether the edited text differs from the file on disk as loaded.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.text != self.disk
    }

    /// The index of camera `id` in the file.
    ///
    /// # Errors
    /// [`sladd_policy::Error::UnknownCamera`] listing the ids there are.
    pub fn camera_index(&self, id: &str) -> Result<usize> {
        self.policy.camera(id)?;
        Ok(self
            .raw
            .cameras
            .iter()
            .position(|c| c.id == id)
            .unwrap_or_default())
    }

    /// The zones of camera `id`, outlines normalized, each with its
    /// `source`.
    ///
    /// # Errors
    /// As [`SiteFile::camera_index`].
    pub fn zones(&self, id: &str) -> Result<Vec<ZoneSpec>> {
        let camera = &self.raw.cameras[self.camera_index(id)?];
        Ok(camera
            .zones
            .iter()
            .enumerate()
            .map(|(i, z)| ZoneSpec::from_raw(z, camera.reference_resolution, i))
            .collect())
    }

    /// Replaces the zones of camera `id` with `zones` in the edited text
    /// (see [`crate::edit`] for what is written) and returns them as they
    /// now read.
    ///
    /// # Errors
    /// [`Error::Invalid`] with a problem per zone, in `sladd check`'s words,
    /// when the result would not be a valid configuration; nothing is
    /// changed then. As [`SiteFile::camera_index`].
    pub fn set_zones(&mut self, id: &str, zones: &[ZoneSpec]) -> Result<Vec<ZoneSpec>> {
        let index = self.camera_index(id)?;
        let camera = &self.raw.cameras[index];
        let plan = edit::plan(&camera.zones, camera.reference_resolution, zones)
            .map_err(|problems| Error::Invalid { problems })?;
        let text = document::apply(&self.text, self.format, index, &plan.edits)?;
        let file = self.path.display().to_string();
        let problems = validate::zone_problems(&text, self.format, &file, index);
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        let (raw, policy) = compile(&text, self.format, &self.path)?;
        self.text = text;
        self.raw = raw;
        self.policy = policy;
        self.zones(id)
    }

    /// Whether the file on disk differs from the text loaded or last saved
    /// (a missing file counts as changed).
    ///
    /// # Errors
    /// [`Error::Io`] when it exists but cannot be read.
    pub fn changed_on_disk(&self) -> Result<bool> {
        match fs::read_to_string(&self.target) {
            Ok(now) => Ok(now != self.disk),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
            Err(source) => Err(Error::Io {
                action: "read",
                path: self.path.clone(),
                source,
            }),
        }
    }

    /// Writes the edited text in place: the file's previous version goes
    /// to `SITE.bak`, the new text to a temporary file beside it, which is
    /// renamed over the site file when complete (so the file is always
    /// either the old or the new version, with the old file's permissions).
    ///
    /// # Errors
    /// [`Error::ChangedOnDisk`] when the file changed since it was loaded
    /// or last saved (nothing is written); [`Error::Io`].
    pub fn save(&mut self) -> Result<Saved> {
        if self.changed_on_disk()? {
            return Err(Error::ChangedOnDisk {
                path: self.path.clone(),
            });
        }
        if !self.is_dirty() {
            return Ok(Saved {
                written: false,
                backup: None,
            });
        }
        let backup = sibling(&self.target, ".bak");
        write_atomically(&backup, &self.disk, &self.target).map_err(|source| Error::Io {
            action: "back up to",
            path: backup.clone(),
            source,
        })?;
        write_atomically(&self.target, &self.text, &self.target).map_err(|source| Error::Io {
            action: "write",
            path: self.path.clone(),
            source,
        })?;
        self.disk = self.text.clone();
        Ok(Saved {
            written: true,
            backup: Some(backup),
        })
    }

    /// Reads the file from disk again, dropping unsaved edits.
    ///
    /// # Errors
    /// As [`SiteFile::open`]; nothing changes then.
    pub fn reload(&mut self) -> Result<()> {
        let disk = read(&self.path)?;
        let (raw, policy) = compile(&disk, self.format, &self.path)?;
        self.text = disk.clone();
        self.disk = disk;
        self.raw = raw;
        self.policy = policy;
        Ok(())
    }
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_owned(),
        source,
    })
}

fn compile(text: &str, format: Format, path: &Path) -> Result<(RawConfig, Policy)> {
    let file = path.display().to_string();
    let raw = sladd_policy::config::parse(text, format, &file)?;
    let policy = Policy::from_str(text, format, &file)?;
    Ok((raw, policy))
}

/// `path` with `suffix` added to its file name (`site.toml` → `site.toml.bak`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Writes `text` to a temporary file beside `path`, with the permissions
/// of `like`, flushes it to disk and renames it to `path`.
fn write_atomically(path: &Path, text: &str, like: &Path) -> std::io::Result<()> {
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(path.file_name().unwrap_or_default());
    temp_name.push(".sladd-tmp");
    let temp = path.with_file_name(temp_name);
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(meta) = fs::metadata(like) {
            fs::set_permissions(&temp, meta.permissions())?;
        }
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "# Kiosken\n[site]\nname = \"K\"   # the shop\n\n[[cameras]]\nid = \"c\"\npurposes = [{ purpose = \"theft\" }]\n\n[[cameras.zones]]\nname = \"Disk\"   # counter\narea = \"restricted_circle\"\npolygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]\n";

    fn open(dir: &Path, text: &str) -> SiteFile {
        let path = dir.join("site.toml");
        fs::write(&path, text).unwrap();
        SiteFile::open(&path).unwrap()
    }

    #[test]
    fn save_keeps_a_backup_and_the_comments() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = open(dir.path(), SITE);
        assert!(!site.is_dirty());
        assert!(!site.save().unwrap().written);
        let mut zones = site.zones("c").unwrap();
        zones[0].polygon.as_mut().unwrap()[2] = [0.5, 0.612_34];
        let back = site.set_zones("c", &zones).unwrap();
        assert_eq!(back[0].polygon.as_ref().unwrap()[2], [0.5, 0.6124]);
        assert!(site.is_dirty());
        let saved = site.save().unwrap();
        let real_dir = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(saved.backup, Some(real_dir.join("site.toml.bak")));
        assert_eq!(
            fs::read_to_string(dir.path().join("site.toml.bak")).unwrap(),
            SITE
        );
        let now = fs::read_to_string(dir.path().join("site.toml")).unwrap();
        assert_eq!(now, SITE.replace("[0.5, 0.5]]", "[0.5, 0.6124]]"));
        assert!(!site.is_dirty());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn a_file_changed_on_disk_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = open(dir.path(), SITE);
        let mut zones = site.zones("c").unwrap();
        zones[0].name = "Kassa".into();
        site.set_zones("c", &zones).unwrap();
        let theirs = SITE.replace("# Kiosken", "# Someone else's edit");
        fs::write(dir.path().join("site.toml"), &theirs).unwrap();
        assert!(matches!(site.save(), Err(Error::ChangedOnDisk { .. })));
        assert_eq!(
            fs::read_to_string(dir.path().join("site.toml")).unwrap(),
            theirs
        );
        assert!(!dir.path().join("site.toml.bak").exists());
        site.reload().unwrap();
        assert_eq!(site.zones("c").unwrap()[0].name, "Disk");
        assert!(!site.is_dirty());
    }

    #[test]
    fn an_invalid_edit_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = open(dir.path(), SITE);
        let mut zones = site.zones("c").unwrap();
        zones[0].polygon.as_mut().unwrap().truncate(2);
        let Err(Error::Invalid { problems }) = site.set_zones("c", &zones) else {
            panic!("accepted");
        };
        assert_eq!(problems[0].zone, Some(0));
        assert_eq!(problems[0].field, "polygon");
        assert!(!site.is_dirty());
        assert!(matches!(
            site.zones("nope"),
            Err(Error::Policy(sladd_policy::Error::UnknownCamera { .. }))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn saving_through_a_symlink_writes_the_target_with_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        fs::write(&real, SITE).unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("site.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut site = SiteFile::open(&link).unwrap();
        let mut zones = site.zones("c").unwrap();
        zones[0].area = sladd_policy::Area::Private;
        site.set_zones("c", &zones).unwrap();
        site.save().unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(fs::read_to_string(&real)
            .unwrap()
            .contains("area = \"private\""));
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert!(dir.path().join("real.toml.bak").exists());
    }
}
