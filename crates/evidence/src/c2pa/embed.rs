//! Signing a C2PA manifest into a redacted MP4/MOV.

use std::fs::File;
use std::path::Path;

use ::c2pa::assertions::region_of_interest::RegionOfInterest;
use ::c2pa::assertions::Action;
use ::c2pa::{Builder, ClaimGeneratorInfo, Context};
use serde_json::json;
use sladd_policy::Camera;

use super::credentials::Credentials;
use super::{format_of, MANIFEST_ASSERTION};
use crate::error::{Error, Result};
use crate::manifest::Manifest;

/// The parent ingredient's label, which the `c2pa.opened` action names.
const ORIGINAL: &str = "original";

/// What the C2PA manifest of a redaction says (see the module docs).
#[derive(Debug, Clone)]
pub struct Provenance<'a> {
    /// sladd's evidence manifest of the redaction: the original, its hash,
    /// the decisions. Its `output` entry is left out of the assertion.
    pub manifest: &'a Manifest,
    /// The masked regions ([`super::regions`]).
    pub regions: Vec<RegionOfInterest>,
    /// The `c2pa.edited` action's description.
    pub description: String,
}

impl<'a> Provenance<'a> {
    /// The provenance of the redaction `manifest` records, its regions
    /// decided again from `camera` as [`super::regions`] does.
    ///
    /// # Errors
    /// As [`super::regions`].
    pub fn of(manifest: &'a Manifest, camera: &Camera) -> Result<Self> {
        let regions = super::regions(camera, &manifest.decisions, manifest.start)?;
        let description = format!(
            "masked {} region(s) as the site's policy decides (kameraforskriften, GDPR), frame by \
             frame, for camera {}; re-encoded with {}; audio {}; metadata stripped but for \
             technical fields",
            regions.len(),
            manifest.camera,
            manifest.encoder,
            manifest.audio.as_str(),
        );
        Ok(Self {
            manifest,
            regions,
            description,
        })
    }
}

/// sladd's manifest as the C2PA assertion holds it: without `output`.
pub(super) fn assertion_of(manifest: &Manifest) -> serde_json::Value {
    let mut value = serde_json::to_value(manifest).unwrap_or_default();
    if let Some(fields) = value.as_object_mut() {
        fields.remove("output");
    }
    value
}

/// Signs a C2PA manifest into a copy of `source` (an MP4/MOV) written to
/// `dest` (created, or emptied when it exists); `dest`'s extension names
/// the container. A failed embed leaves no `dest`.
///
/// # Errors
/// [`Error::Credentials`] for a `dest` that is not MP4/MOV, [`Error::C2pa`]
/// when the SDK refuses, [`Error::Io`] for the files.
pub fn embed(
    credentials: &Credentials,
    provenance: &Provenance<'_>,
    source: &Path,
    dest: &Path,
) -> Result<()> {
    let format = format_of(dest).ok_or_else(|| Error::Credentials {
        path: dest.to_owned(),
        reason: "C2PA manifests are embedded in MP4 and MOV files only".into(),
    })?;
    let sdk = |source: ::c2pa::Error| Error::C2pa {
        action: "cannot sign the C2PA manifest of",
        path: dest.to_owned(),
        source: Box::new(source),
    };
    let mut builder = builder(provenance, dest).map_err(sdk)?;
    let signer = credentials.signer().map_err(sdk)?;
    let mut input = File::open(source).map_err(|e| Error::read(source, e))?;
    // `dest` may exist, empty: the caller's second temporary name.
    let mut output = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(dest)
        .map_err(Error::io("create", dest))?;
    let signed = builder
        .sign(&*signer, format, &mut input, &mut output)
        .map_err(sdk)
        .and_then(|_| output.sync_all().map_err(Error::io("write", dest)));
    if signed.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    signed
}

/// The manifest definition: the ingredient, the actions, sladd's manifest.
fn builder(provenance: &Provenance<'_>, dest: &Path) -> ::c2pa::Result<Builder> {
    let title = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let version = env!("CARGO_PKG_VERSION");
    let context = Context::new().with_settings(json!({
        "builder": {"thumbnail": {"enabled": false}},
        "verify": {"verify_after_sign": false},
    }))?;
    let mut builder = Builder::from_context(context).with_definition(json!({
        "title": title(dest),
        "claim_generator_info": [{"name": "sladd", "version": version}],
    }))?;
    let manifest = provenance.manifest;
    let original = manifest.input.path.as_path();
    let ingredient = json!({
        "title": title(original),
        "format": media_type(original),
        "relationship": "parentOf",
        "label": ORIGINAL,
        "description": "the original recording; sladd never modifies it",
        "metadata": {"no.sladd.sha256": manifest.input.sha256},
    });
    match format_of(original) {
        // An MP4/MOV original is read, so that a C2PA manifest of its own
        // (a camera's) becomes the ingredient's.
        Some(format) => {
            let mut file = File::open(original)?;
            builder.add_ingredient_from_stream(ingredient.to_string(), format, &mut file)?;
        }
        None => {
            builder.add_ingredient(::c2pa::Ingredient::from_json(&ingredient.to_string())?);
        }
    }
    builder.add_action(Action::new("c2pa.opened").set_parameter("ingredientIds", [ORIGINAL])?)?;
    let mut agent = ClaimGeneratorInfo::new("sladd");
    agent.set_version(version);
    let mut edited = Action::new("c2pa.edited")
        .set_software_agent(agent)
        .set_description(provenance.description.clone())
        .set_when(jiff::Timestamp::now().to_string());
    for region in &provenance.regions {
        edited = edited.add_change(region.clone());
    }
    builder.add_action(edited)?;
    builder.add_assertion(MANIFEST_ASSERTION, &assertion_of(manifest))?;
    Ok(builder)
}

/// A media type for the original, whatever its container.
fn media_type(path: &Path) -> &'static str {
    if let Some(format) = format_of(path) {
        return format;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("mkv") => "video/x-matroska",
        Some("webm") => "video/webm",
        Some("avi") => "video/x-msvideo",
        Some("ts" | "mts" | "m2ts") => "video/mp2t",
        Some("h264" | "264") => "video/h264",
        Some("hevc" | "h265" | "265") => "video/h265",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert_eq!(format_of(Path::new("a/b.MP4")), Some("video/mp4"));
        assert_eq!(format_of(Path::new("b.mov")), Some("video/quicktime"));
        assert_eq!(format_of(Path::new("b.mkv")), None);
        assert_eq!(media_type(Path::new("b.mkv")), "video/x-matroska");
        assert_eq!(media_type(Path::new("b")), "application/octet-stream");
    }
}
