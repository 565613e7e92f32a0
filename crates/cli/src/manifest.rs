//! The evidence manifest `sladd redact` writes beside every output, and the
//! canonical form of a site config whose hash it records.
//!
//! The manifest (`OUTPUT.manifest.json`, format in the README) binds the
//! output to its input, the site configuration and the decisions taken:
//! SHA-256 of input and output, of the canonicalised config, the sladd
//! version, the camera, the recording's start and where it came from, and
//! per run of frames the zones masked and the rules that decided.
//! `sladd verify --manifest` checks it against the files.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sladd_policy::Format;

use sladd_policy::DecisionSpan;

/// The manifest's `format` value.
pub(crate) const FORMAT: &str = "sladd-redaction-manifest";
/// The manifest format's version; readers refuse others.
pub(crate) const VERSION: u32 = 1;

/// One file the manifest names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileEntry {
    /// The path as given to `sladd redact`.
    pub(crate) path: PathBuf,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub(crate) sha256: String,
    /// The file's size in bytes.
    pub(crate) bytes: u64,
}

/// The site configuration the manifest names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigEntry {
    /// The path as given to `sladd redact`.
    pub(crate) path: PathBuf,
    /// SHA-256 of the canonical form ([`canonical_config`]): the same for
    /// every spelling of the same configuration.
    pub(crate) sha256: String,
    /// SHA-256 of the file's bytes as they were.
    pub(crate) file_sha256: String,
}

/// One run of frames under one decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Span {
    /// First frame of the run (0-based, in decoding order of the input).
    pub(crate) first_frame: u64,
    /// Last frame of the run.
    pub(crate) last_frame: u64,
    /// The first frame's instant, when the start is known.
    pub(crate) at: Option<String>,
    /// Whether the whole frame was masked.
    pub(crate) full_frame: bool,
    /// The masked zones as `name (RULE-ID)`.
    pub(crate) masked_zones: Vec<String>,
}

impl From<&DecisionSpan> for Span {
    fn from(s: &DecisionSpan) -> Self {
        Self {
            first_frame: s.first_frame,
            last_frame: s.last_frame,
            at: s.at.clone(),
            full_frame: s.full_frame,
            masked_zones: s.masked_zones.clone(),
        }
    }
}

/// The evidence manifest (see the module docs and the README).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    /// Always [`FORMAT`].
    pub(crate) format: String,
    /// The format's version, [`VERSION`].
    pub(crate) version: u32,
    /// The sladd that wrote the output.
    pub(crate) sladd_version: String,
    /// The camera the input was redacted as.
    pub(crate) camera: String,
    /// The default style for zones without one (`fill:#000000`, `pixelate:24`, `blur:24`).
    pub(crate) style: String,
    /// The recording's start the frames were timed from (RFC 3339), if known.
    pub(crate) start: Option<String>,
    /// Where the start came from: `option`, `creation_time` or `unknown`.
    pub(crate) start_source: String,
    /// The input video.
    pub(crate) input: FileEntry,
    /// The redacted video.
    pub(crate) output: FileEntry,
    /// The site configuration.
    pub(crate) config: ConfigEntry,
    /// The video encoder used.
    pub(crate) encoder: String,
    /// Audio: `stripped`, `copied` or `none`.
    pub(crate) audio: String,
    /// Frames written.
    pub(crate) frames: u64,
    /// Frames on which something was masked.
    pub(crate) masked_frames: u64,
    /// Frames masked entirely.
    pub(crate) full_frame_masked: u64,
    /// The decisions, one per run of frames.
    pub(crate) decisions: Vec<Span>,
    /// The batch plan the output was redacted for, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) batch: Option<BatchEntry>,
}

/// The batch plan a manifest's output belongs to (`sladd redact --plan`):
/// what makes a rerun of the plan trust the output as done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BatchEntry {
    /// The plan's `plan_sha256`.
    pub(crate) plan_sha256: String,
    /// The shard that redacted it, `I/N`.
    pub(crate) shard: String,
}

/// Where the manifest of `output` goes: `OUTPUT.manifest.json`.
pub(crate) fn path_for(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

/// A file's entry: its SHA-256 and size.
pub(crate) fn file_entry(path: &Path) -> std::io::Result<FileEntry> {
    Ok(FileEntry {
        path: path.to_path_buf(),
        sha256: crate::digest::sha256_file(path)?,
        bytes: std::fs::metadata(path)?.len(),
    })
}

/// The config's entry: hashes of its canonical form and of its bytes.
pub(crate) fn config_entry(path: &Path) -> Result<ConfigEntry> {
    Ok(ConfigEntry {
        path: path.to_path_buf(),
        sha256: sha256_hex(canonical_config(path)?.as_bytes()),
        file_sha256: crate::digest::sha256_file(path)
            .with_context(|| format!("reading {}", path.display()))?,
    })
}

/// Writes `manifest` to [`path_for`] its output: under a temporary name in
/// the same folder, renamed into place once complete.
pub(crate) fn write(manifest: &Manifest) -> Result<PathBuf> {
    let target = path_for(&manifest.output.path);
    let mut temp_name = target.as_os_str().to_owned();
    temp_name.push(format!(".tmp-{}", std::process::id()));
    let temp = PathBuf::from(temp_name);
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        let text = serde_json::to_string_pretty(manifest).map_err(std::io::Error::other)?;
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        std::fs::rename(&temp, &target)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e).with_context(|| format!("writing the manifest {}", target.display()));
    }
    Ok(target)
}

/// Reads a manifest, refusing other formats and versions.
pub(crate) fn read(path: &Path) -> Result<Manifest> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a sladd manifest", path.display()))?;
    if manifest.format != FORMAT || manifest.version != VERSION {
        anyhow::bail!(
            "{}: manifest format '{}' version {} (this sladd reads '{FORMAT}' version {VERSION})",
            path.display(),
            manifest.format,
            manifest.version
        );
    }
    Ok(manifest)
}

/// SHA-256 of `bytes`, lower-case hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The canonical form of a site file (`.toml` or `.json`): parsed, then
/// written as compact JSON with object keys sorted, integral numbers as
/// integers (`1.0` and `1` are the same), other numbers in their shortest
/// exact form, TOML dates as strings. Whitespace, comments, key order and
/// TOML-versus-JSON do not change it; any change of a value does.
pub(crate) fn canonical_config(path: &Path) -> Result<String> {
    let format = Format::from_path(path)?;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let value = match format {
        Format::Toml => {
            let table: toml::Table = toml::from_str(&text)
                .with_context(|| format!("{} is not valid TOML", path.display()))?;
            from_toml(toml::Value::Table(table))
        }
        Format::Json => serde_json::from_str(&text)
            .with_context(|| format!("{} is not valid JSON", path.display()))?,
    };
    let mut out = String::new();
    canonical(&value, &mut out);
    Ok(out)
}

/// A TOML value as JSON (dates as their TOML text).
fn from_toml(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect()),
    }
}

/// Appends the canonical text of `value` to `out`.
fn canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value as J;
    match value {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Number(n) => out.push_str(&canonical_number(n)),
        J::String(s) => out.push_str(&serde_json::Value::String(s.clone()).to_string()),
        J::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        J::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    canonical(v, out);
                }
            }
            out.push('}');
        }
    }
}

/// Integers as integers (also floats with an integral value below 2^53),
/// other numbers in Rust's shortest round-trip form.
fn canonical_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
            format!("{}", f as i64)
        }
        Some(f) => format!("{f:?}"),
        None => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(name: &str, text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        canonical_config(&path).unwrap()
    }

    #[test]
    fn spelling_does_not_change_the_canonical_form() {
        let toml_a = "# a comment\n[site]\nname = \"S\"\nratio = 1.0\nlist = [0.10, 2.5e1]\n";
        let toml_b = "[site]\nlist = [ 0.1 , 25.0 ]   # again\nratio=1\nname='S'\n";
        let json = r#"{ "site": { "ratio": 1, "name": "S", "list": [1e-1, 25] } }"#;
        let a = canon("a.toml", toml_a);
        assert_eq!(a, r#"{"site":{"list":[0.1,25],"name":"S","ratio":1}}"#);
        assert_eq!(canon("b.toml", toml_b), a);
        assert_eq!(canon("c.json", json), a);
        assert_ne!(canon("d.toml", &toml_a.replace("0.10", "0.11")), a);
    }

    #[test]
    fn manifest_path_is_beside_the_output() {
        assert_eq!(
            path_for(Path::new("out/kiosk.mp4")),
            Path::new("out/kiosk.mp4.manifest.json")
        );
    }
}
