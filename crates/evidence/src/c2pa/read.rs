//! Reading an embedded C2PA manifest back and checking it.

use std::path::Path;

use ::c2pa::assertions::region_of_interest::RegionOfInterest;
use ::c2pa::assertions::{Action, Actions};
use ::c2pa::{Context, Reader};
use serde_json::json;

use super::embed::assertion_of;
use super::{C2paReport, Code, State, MANIFEST_ASSERTION};
use crate::error::{Error, Result};
use crate::manifest::Manifest;

/// The code of an untrusted signer, a failure only when trust is judged.
const UNTRUSTED: &str = "signingCredential.untrusted";

/// What [`read`] found in a file.
#[derive(Debug, Clone)]
pub struct ContentCredentials {
    /// The validation state.
    pub state: State,
    /// Whether trust anchors were given.
    pub trust_anchors: bool,
    /// The failure codes of the active manifest (an untrusted signer among
    /// them only when trust anchors were given).
    pub failures: Vec<Code>,
    /// The claim generator, `name version`.
    pub claim_generator: Option<String>,
    /// The signing certificate's common name (else its issuer).
    pub signer: Option<String>,
    /// The actions, in order (`c2pa.opened`, `c2pa.edited`).
    pub actions: Vec<String>,
    /// The `changes` of the `c2pa.edited` action.
    pub regions: Vec<RegionOfInterest>,
    /// The parent ingredient's title …
    pub parent_title: Option<String>,
    /// … and the SHA-256 sladd recorded in its metadata.
    pub parent_sha256: Option<String>,
    /// The [`MANIFEST_ASSERTION`]'s content.
    pub manifest: Option<serde_json::Value>,
}

/// Reads and validates the C2PA manifest embedded in `path`; `None` when it
/// has none. With `trust_anchors` (PEM certificates) a signer whose chain
/// ends at one of them is [`State::Trusted`], any other is a failure;
/// without, trust is not judged.
///
/// # Errors
/// [`Error::C2pa`] when the file cannot be read as a C2PA asset at all.
pub fn read(path: &Path, trust_anchors: Option<&str>) -> Result<Option<ContentCredentials>> {
    let sdk = |source: ::c2pa::Error| Error::C2pa {
        action: "cannot read the C2PA manifest of",
        path: path.to_owned(),
        source: Box::new(source),
    };
    let mut settings = json!({"verify": {"verify_after_reading": true, "ocsp_fetch": false}});
    if let Some(pem) = trust_anchors {
        settings["trust"] = json!({"trust_anchors": pem});
    }
    let context = Context::new().with_settings(settings).map_err(sdk)?;
    let reader = match Reader::from_context(context).with_file(path) {
        Ok(reader) => reader,
        Err(::c2pa::Error::JumbfNotFound) => return Ok(None),
        Err(e) => return Err(sdk(e)),
    };
    let failures = reader
        .validation_results()
        .and_then(|r| r.active_manifest())
        .map(|codes| {
            codes
                .failure()
                .iter()
                .filter(|s| trust_anchors.is_some() || s.code() != UNTRUSTED)
                .map(|s| Code {
                    code: s.code().to_owned(),
                    explanation: s.explanation().unwrap_or_default().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default();
    let state = match reader.validation_state() {
        ::c2pa::ValidationState::Invalid => State::Invalid,
        ::c2pa::ValidationState::Valid => State::Valid,
        ::c2pa::ValidationState::Trusted => State::Trusted,
    };
    let active = reader.active_manifest();
    let actions: Vec<Action> = active
        .and_then(|m| m.find_assertion::<Actions>(Actions::LABEL).ok())
        .map(|a| a.actions().to_vec())
        .unwrap_or_default();
    let regions = actions
        .iter()
        .find(|a| a.action() == "c2pa.edited")
        .and_then(Action::changes)
        .map(<[RegionOfInterest]>::to_vec)
        .unwrap_or_default();
    let parent = active.and_then(|m| m.ingredients().iter().find(|i| i.is_parent()));
    let parent_sha256 = parent
        .and_then(|i| i.metadata())
        .and_then(|m| serde_json::to_value(m).ok())
        .and_then(|v| v.get("no.sladd.sha256")?.as_str().map(str::to_owned));
    Ok(Some(ContentCredentials {
        state,
        trust_anchors: trust_anchors.is_some(),
        failures,
        claim_generator: active.and_then(|m| {
            let g = m.claim_generator_info.as_ref()?.first()?;
            let version = g.version.as_deref().unwrap_or_default();
            Some(format!("{} {version}", g.name).trim_end().to_owned())
        }),
        signer: active
            .and_then(|m| m.signature_info())
            .and_then(|s| s.common_name.clone().or_else(|| s.issuer.clone())),
        actions: actions.iter().map(|a| a.action().to_owned()).collect(),
        regions,
        parent_title: parent.and_then(|i| i.title()).map(str::to_owned),
        parent_sha256,
        manifest: active.and_then(|m| m.find_assertion(MANIFEST_ASSERTION).ok()),
    }))
}

/// Checks what [`read`] found: no failure code, the first action
/// `c2pa.opened` and a `c2pa.edited` one, the regions equal to `expected`
/// (what the policy decides for the file, [`super::regions`]), and, given
/// the manifest beside the file, the embedded one equal to it but for its
/// `output` entry and the parent's hash equal to its input's.
#[must_use]
pub fn check(
    found: ContentCredentials,
    expected: &[RegionOfInterest],
    sidecar: Option<&Manifest>,
) -> C2paReport {
    let mut problems: Vec<String> = found
        .failures
        .iter()
        .map(|c| format!("{}: {}", c.code, c.explanation))
        .collect();
    if found.state == State::Invalid && problems.is_empty() {
        problems.push("the C2PA manifest is invalid".into());
    }
    if found.actions.first().map(String::as_str) != Some("c2pa.opened") {
        problems.push(format!(
            "the first action is {}, not c2pa.opened",
            found.actions.first().map_or("missing", String::as_str)
        ));
    }
    if !found.actions.iter().any(|a| a == "c2pa.edited") {
        problems.push("there is no c2pa.edited action".into());
    }
    let regions_match = found.regions == expected;
    if !regions_match {
        let at = found
            .regions
            .iter()
            .zip(expected)
            .position(|(a, b)| a != b)
            .unwrap_or(found.regions.len().min(expected.len()));
        problems.push(format!(
            "its {} regions differ from the {} the policy gives for this file (first difference at region {at})",
            found.regions.len(),
            expected.len()
        ));
    }
    let manifest_matches = sidecar.map(|m| {
        found.manifest.as_ref() == Some(&assertion_of(m))
            && found.parent_sha256.as_deref() == Some(m.input.sha256.as_str())
    });
    if manifest_matches == Some(false) {
        problems.push(format!(
            "its sladd manifest ({MANIFEST_ASSERTION}) or its parent's hash differs from the manifest beside the file"
        ));
    }
    C2paReport {
        ok: problems.is_empty(),
        state: found.state,
        trust_anchors: found.trust_anchors,
        failures: found.failures,
        claim_generator: found.claim_generator,
        signer: found.signer,
        actions: found.actions,
        regions: found.regions.len(),
        regions_match,
        manifest_matches,
        problems,
    }
}
