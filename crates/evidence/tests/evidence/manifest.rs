//! Manifests: recorded, written, read back, validated against
//! `docs/manifest.schema.json`, and version 1 still checking.

use serde_json::Value;
use sladd_core::Style;
use sladd_evidence::{
    canonical_config_for, manifest_path, sha256_hex, Audio, ConfigEntry, Error, Manifest,
    ManifestField, MaskedSubstream, Record, Span, StartSource, SubstreamSeen, Version,
};

use super::repo;

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo("docs/manifest.schema.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// A manifest recorded over two small files and the fixture site.
fn recorded(dir: &std::path::Path) -> Manifest {
    let (input, output) = (dir.join("in.mp4"), dir.join("out.mp4"));
    std::fs::write(&input, b"original bytes").unwrap();
    std::fs::write(&output, b"redacted bytes").unwrap();
    let at = "2024-03-12T09:30:00Z".parse().unwrap();
    Manifest::record(Record {
        camera: "kasse-1",
        style: Style::fill(),
        start: Some(at),
        start_source: StartSource::CreationTime,
        input: &input,
        output: &output,
        written: None,
        config: &repo("fixtures/site.toml"),
        encoder: "libx264",
        audio: Audio::Stripped,
        frames: 75,
        masked_frames: 75,
        full_frame_masked: 0,
        decisions: vec![Span {
            first_frame: 0,
            last_frame: 74,
            at: Some(at),
            full_frame: false,
            masked_zones: vec!["Bak kassen (R-AREA-OBJECT)".into()],
        }],
        dropped_streams: Vec::new(),
        input_signatures: Some(vec![]),
    })
    .unwrap()
}

#[test]
fn a_recorded_manifest_validates_against_the_published_schema() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = recorded(dir.path());
    assert_eq!(manifest.version, Version::V2);
    let path = manifest.write().unwrap();
    assert_eq!(path, manifest_path(&dir.path().join("out.mp4")));
    let text = std::fs::read_to_string(&path).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let validator = schema();
    assert_eq!(errors(&validator, &value), Vec::<String>::new(), "{text}");
    assert_eq!(value["version"], 2);
    assert_eq!(value["start_source"], "creation_time");
    assert_eq!(value["style"], "fill:#000000");
    assert_eq!(Manifest::read(&path).unwrap(), manifest);
    // Nothing else is left in the folder.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

/// A 160x120 substream of 75 frames, all masked, as stream #1.
fn substream() -> MaskedSubstream {
    MaskedSubstream {
        input_stream: 1,
        output_stream: 1,
        width: 160,
        height: 120,
        frames: 75,
        masked_frames: 75,
        full_frame_masked: 0,
        encoder: "libx264".into(),
    }
}

/// A manifest naming a masked substream validates and reads back; one
/// without any has no `masked_substreams` key.
#[test]
fn masked_substreams_validate_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = recorded(dir.path());
    let plain: Value = serde_json::from_str(&manifest.to_json()).unwrap();
    assert!(plain.get("masked_substreams").is_none(), "{plain}");
    manifest.masked_substreams = vec![substream()];
    let path = manifest.write().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(errors(&schema(), &value), Vec::<String>::new(), "{text}");
    assert_eq!(value["masked_substreams"][0]["width"], 160);
    assert_eq!(Manifest::read(&path).unwrap(), manifest);
}

#[test]
fn the_schema_refuses_what_readers_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let good: Value = serde_json::from_str(&recorded(dir.path()).to_json()).unwrap();
    let validator = schema();
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        edit(&mut v);
        v
    };
    // (what, the edit, whether readers refuse it too: a short hash is
    // read, and then matches no file).
    for (what, bad, refused) in [
        ("version 3", broken(&|v| v["version"] = 3.into()), true),
        (
            "short hash",
            broken(&|v| v["input"]["sha256"] = "abc".into()),
            false,
        ),
        ("unknown key", broken(&|v| v["extra"] = true.into()), true),
        (
            "missing key",
            broken(&|v| drop(v.as_object_mut().unwrap().remove("decisions"))),
            true,
        ),
        (
            "bad source",
            broken(&|v| v["start_source"] = "guess".into()),
            true,
        ),
        ("bad style", broken(&|v| v["style"] = "smudge".into()), true),
        (
            "input_signatures not a list",
            broken(&|v| v["input_signatures"] = "none".into()),
            true,
        ),
        (
            "unknown signing scheme",
            broken(&|v| {
                v["input_signatures"] = serde_json::json!([
                    {"scheme": "acme", "uuid": "005bc93f-2d71-5e95-ada4-796f90877a6f", "sei_messages": 1}
                ])
            }),
            true,
        ),
        (
            "bad instant",
            broken(&|v| v["start"] = "yesterday".into()),
            true,
        ),
    ] {
        assert!(
            !errors(&validator, &bad).is_empty(),
            "{what} passed the schema"
        );
        let read = Manifest::from_json(&bad.to_string(), "m.json".as_ref());
        assert_eq!(read.is_err(), refused, "{what}");
    }
}

#[test]
fn a_version_1_manifest_still_reads_validates_and_checks() {
    let path = repo("fixtures/evidence/kiosk-v1.mp4.manifest.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        errors(&schema(), &serde_json::from_str(&text).unwrap()),
        Vec::<String>::new()
    );
    let manifest = Manifest::read(&path).unwrap();
    assert_eq!(manifest.version, Version::V1);
    let (original, redacted, site) = (
        repo("fixtures/clips/kiosk.mp4"),
        repo("fixtures/evidence/kiosk-v1.mp4"),
        repo("fixtures/site.toml"),
    );
    assert_eq!(
        manifest.check_files(&original, &redacted, &site).unwrap(),
        []
    );
    // This site file has no number or key on which the two canonical
    // forms differ, so both versions give its hash.
    let v1 = ConfigEntry::of(&site, Version::V1).unwrap();
    let v2 = ConfigEntry::of(&site, Version::V2).unwrap();
    assert_eq!(v1.sha256, manifest.config.sha256);
    assert_eq!(v2, v1);
    // A changed output is named.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.mp4");
    let mut bytes = std::fs::read(&redacted).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&copy, bytes).unwrap();
    let mismatches = manifest.check_files(&original, &copy, &site).unwrap();
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert_eq!(mismatches[0].field, ManifestField::OutputSha256);
    assert!(mismatches[0]
        .message
        .starts_with("output sha256 differs from the manifest: "));
}

#[test]
fn other_formats_and_versions_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut v: Value = serde_json::from_str(&recorded(dir.path()).to_json()).unwrap();
    v["version"] = 3.into();
    let e = Manifest::from_json(&v.to_string(), "m.json".as_ref()).unwrap_err();
    assert!(
        matches!(e, Error::UnsupportedManifest { version: 3, .. }),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "m.json: manifest format 'sladd-redaction-manifest' version 3 (this sladd reads 'sladd-redaction-manifest' versions 1, 2)"
    );
    let e = Manifest::from_json("[1, 2]", "m.json".as_ref()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("m.json is not a sladd manifest: "),
        "{e}"
    );
}

#[test]
fn the_signed_bytes_are_the_manifest_in_rfc_8785_form() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = recorded(dir.path());
    let bytes = manifest.canonical_bytes();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.starts_with(r#"{"audio":"stripped","camera":"kasse-1","config":{"#),
        "{text}"
    );
    assert!(!text.contains('\n') && !text.contains(": "));
    // The same manifest read back gives the same bytes.
    let again = Manifest::from_json(&manifest.to_json(), "m.json".as_ref()).unwrap();
    assert_eq!(again.canonical_bytes(), bytes);
}

#[test]
fn decisions_and_frames_are_compared_run_by_run() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = recorded(dir.path());
    assert_eq!(manifest.check_decisions(&manifest.decisions, 75), []);
    let mut other = manifest.decisions.clone();
    other[0].masked_zones.clear();
    let found = manifest.check_decisions(&other, 74);
    assert_eq!(
        found.iter().map(|m| m.field).collect::<Vec<_>>(),
        [ManifestField::Decisions, ManifestField::Frames]
    );
    assert_eq!(
        found[1].message,
        "the manifest records 75 frames, the redacted file has 74"
    );
}

#[test]
fn substreams_are_compared_stream_by_stream() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = recorded(dir.path());
    manifest.masked_substreams = vec![substream()];
    let stream = |index, width, frames| SubstreamSeen {
        index,
        width,
        height: 120,
        frames,
    };
    assert_eq!(manifest.check_substreams(&[stream(1, 160, Some(75))]), []);
    // Not decoded (no original stream to check it against): only its size counts.
    assert_eq!(manifest.check_substreams(&[stream(1, 160, None)]), []);
    let messages = |seen: &[SubstreamSeen]| -> Vec<String> {
        let found = manifest.check_substreams(seen);
        assert!(found.iter().all(|m| m.field == ManifestField::Substreams));
        found.into_iter().map(|m| m.message).collect()
    };
    assert_eq!(
        messages(&[stream(1, 160, Some(74))]),
        ["the manifest records 75 frames in video stream #1, the redacted file has 74"]
    );
    assert_eq!(
        messages(&[stream(1, 176, Some(75))]),
        ["the manifest records video stream #1 at 160x120, the redacted file has it at 176x120"]
    );
    assert_eq!(
        messages(&[stream(2, 160, Some(75))]),
        [
            "the manifest records video stream #1, which the redacted file lacks",
            "the redacted file's video stream #2 (160x120) is not among the manifest's masked_substreams"
        ]
    );
    assert_eq!(
        messages(&[]),
        ["the manifest records video stream #1, which the redacted file lacks"]
    );
}

/// A version-1 manifest's config hash is checked with version 1's
/// canonical form, which differs from RFC 8785 for some numbers.
#[test]
fn each_version_checks_the_config_with_its_own_canonical_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = recorded(dir.path());
    let site = dir.path().join("site.json");
    std::fs::write(&site, r#"{"site": {"name": "S", "n": 1e21}}"#).unwrap();
    let (input, output) = (dir.path().join("in.mp4"), dir.path().join("out.mp4"));
    for version in [Version::V1, Version::V2] {
        let hash = sha256_hex(canonical_config_for(&site, version).unwrap().as_bytes());
        manifest.version = version;
        manifest.config.sha256 = hash;
        assert_eq!(
            manifest.check_files(&input, &output, &site).unwrap(),
            [],
            "{version}"
        );
        manifest.version = if version == Version::V1 {
            Version::V2
        } else {
            Version::V1
        };
        let found = manifest.check_files(&input, &output, &site).unwrap();
        assert_eq!(found.len(), 1, "{version}");
        assert_eq!(found[0].field, ManifestField::ConfigSha256);
    }
}
