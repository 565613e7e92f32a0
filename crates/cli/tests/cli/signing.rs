//! Signed evidence: `keys generate`, `redact --sign-key`, C2PA Content
//! Credentials (`--c2pa-cert --c2pa-key`), `verify --pubkey
//! --require-signature --trust-anchors`, and the camera signatures found in
//! an input. Each tampering changes one byte and must fail naming it.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::support::{clip, code, err, fixtures, json, names, s, sha256, site, Sladd};

/// Runs `sladd ARGS` in `dir`.
fn sladd_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Sladd::in_dir(dir).args(args).run()
}

fn chain(name: &str) -> PathBuf {
    fixtures().join("c2pa").join(name)
}

/// Generates a key pair in `dir/name`.
fn keys(dir: &Path, name: &str) -> PathBuf {
    let out = sladd_in(dir, &["keys", "generate", "--out", name]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    dir.join(name)
}

/// Redacts `input` into `dir/name` with `extra` flags; returns the output.
fn redact(dir: &Path, input: &Path, name: &str, extra: &[&str]) -> (PathBuf, Value) {
    let output = dir.join(name);
    let out = Sladd::new(dir, "redact")
        .arg(input)
        .site(site())
        .camera("kasse-1")
        .output(&output)
        .json()
        .args(extra)
        .run();
    assert_eq!(code(&out), 0, "{}", err(&out));
    (output, json(&out))
}

/// Runs `verify --json` of `redacted` against `original`.
fn verify(dir: &Path, original: &Path, redacted: &Path, extra: &[&str]) -> (i32, Value) {
    let out = Sladd::new(dir, "verify")
        .arg(original)
        .arg(redacted)
        .site(site())
        .camera("kasse-1")
        .json()
        .args(extra)
        .run();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code(&out), v)
}

fn flip_byte(path: &Path, at: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

fn failure_messages(v: &Value) -> Vec<String> {
    v["failures"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter(|f| f["frame"].is_null())
                .map(|f| {
                    format!(
                        "{}: {}",
                        f["check"].as_str().unwrap_or(""),
                        f["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn keys_generate_writes_a_private_key_only_its_owner_reads_and_prints_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = sladd_in(dir.path(), &["keys", "generate", "--out", "k", "--json"]);
    assert_eq!(code(&out), 0, "{}", err(&out));
    let v = json(&out);
    let private = dir.path().join("k/sladd-signing.key");
    let text = std::fs::read_to_string(&private).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----"), "{text}");
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), err(&out));
    assert!(!printed.contains(&body), "the private key was printed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(v["fingerprint"].as_str().unwrap().starts_with("sha256:"));
    let public = std::fs::read_to_string(dir.path().join("k/sladd-signing.pub")).unwrap();
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"), "{public}");
    // Never overwritten.
    let again = sladd_in(dir.path(), &["keys", "generate", "--out", "k"]);
    assert_eq!(code(&again), 4);
    assert!(
        err(&again).contains("exists; sladd never overwrites a key"),
        "{}",
        err(&again)
    );
    assert_eq!(std::fs::read_to_string(&private).unwrap(), text);
}

#[test]
fn a_signed_manifest_verifies_and_every_change_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ours = keys(d, "ours");
    let theirs = keys(d, "theirs");
    let kiosk = clip("kiosk.mp4");
    let key = ours.join("sladd-signing.key");
    let (output, report) = redact(d, &kiosk, "kiosk.mp4", &["--sign-key", s(&key)]);
    let signature = d.join("kiosk.mp4.manifest.json.sig");
    assert_eq!(report["files"][0]["signature"], s(&signature));
    let pubkey = ours.join("sladd-signing.pub");

    let (status, v) = verify(
        d,
        &kiosk,
        &output,
        &["--pubkey", s(&pubkey), "--require-signature"],
    );
    assert_eq!(status, 0, "{v}");
    assert_eq!(v["signature"]["status"], "valid");
    assert_eq!(v["manifest"]["ok"], true);

    // Another key.
    let other = theirs.join("sladd-signing.pub");
    let (status, v) = verify(d, &kiosk, &output, &["--pubkey", s(&other)]);
    assert_eq!(status, 1);
    assert_eq!(v["signature"]["status"], "other_key");
    assert!(
        failure_messages(&v)
            .iter()
            .any(|m| m.starts_with("signature: signature signed by another key")),
        "{v}"
    );

    // One byte of the manifest: the frame count 75 becomes 74.
    let manifest = d.join("kiosk.mp4.manifest.json");
    let original_manifest = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        original_manifest.replace("\"frames\": 75", "\"frames\": 74"),
    )
    .unwrap();
    let (status, v) = verify(d, &kiosk, &output, &["--pubkey", s(&pubkey)]);
    assert_eq!(status, 1);
    assert_eq!(v["signature"]["status"], "manifest_changed");
    let messages = failure_messages(&v);
    assert!(
        messages
            .iter()
            .any(|m| m.contains("the manifest changed after it was signed")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("the manifest records 74 frames, the redacted file has 75")),
        "{messages:?}"
    );
    std::fs::write(&manifest, &original_manifest).unwrap();

    // One byte of the video data that the decoder does not notice: the
    // output hash no longer matches, the signature still does.
    let copy = d.join("copy.mp4");
    std::fs::copy(&output, &copy).unwrap();
    std::fs::copy(&manifest, d.join("copy.mp4.manifest.json")).unwrap();
    std::fs::copy(&signature, d.join("copy.mp4.manifest.json.sig")).unwrap();
    flip_unnoticed(&copy);
    let (status, v) = verify(d, &kiosk, &copy, &["--pubkey", s(&pubkey)]);
    assert_eq!(status, 1);
    assert_eq!(v["signature"]["status"], "valid");
    assert!(
        failure_messages(&v)
            .iter()
            .any(|m| m.starts_with("manifest: output sha256 differs from the manifest")),
        "{v}"
    );

    // One byte of the input.
    let input = d.join("input.mp4");
    std::fs::copy(&kiosk, &input).unwrap();
    flip_unnoticed(&input);
    let (status, v) = verify(d, &input, &output, &["--pubkey", s(&pubkey)]);
    assert_eq!(status, 1);
    assert!(
        failure_messages(&v)
            .iter()
            .any(|m| m.starts_with("manifest: input sha256 differs from the manifest")),
        "{v}"
    );

    // A damaged signature.
    let sig = std::fs::read_to_string(&signature).unwrap();
    let v: Value = serde_json::from_str(&sig).unwrap();
    let hex = v["signature"].as_str().unwrap();
    let flipped = format!(
        "{}{}",
        if hex.starts_with('0') { "1" } else { "0" },
        &hex[1..]
    );
    std::fs::write(&signature, sig.replace(hex, &flipped)).unwrap();
    let (status, v) = verify(d, &kiosk, &output, &["--pubkey", s(&pubkey)]);
    assert_eq!(status, 1);
    assert_eq!(v["signature"]["status"], "bad_signature");
}

#[test]
fn an_unsigned_manifest_is_reported_unsigned_and_fails_only_when_a_signature_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ours = keys(d, "ours");
    let kiosk = clip("kiosk.mp4");
    let (output, report) = redact(d, &kiosk, "plain.mp4", &[]);
    assert!(report["files"][0]["signature"].is_null());
    assert!(!d.join("plain.mp4.manifest.json.sig").exists());
    let pubkey = ours.join("sladd-signing.pub");
    let (status, v) = verify(d, &kiosk, &output, &["--pubkey", s(&pubkey)]);
    assert_eq!(status, 0, "{v}");
    assert_eq!(v["signature"]["status"], "unsigned");
    let (status, v) = verify(
        d,
        &kiosk,
        &output,
        &["--pubkey", s(&pubkey), "--require-signature"],
    );
    assert_eq!(status, 1);
    assert!(
        failure_messages(&v)
            .iter()
            .any(|m| m.starts_with("signature: signature unsigned")),
        "{v}"
    );
}

/// The payload of the top-level MP4 box of type `kind` (`uuid`: the C2PA
/// store; `mdat`: the video data).
fn mp4_box(path: &Path, kind: &[u8; 4]) -> std::ops::Range<usize> {
    let bytes = std::fs::read(path).unwrap();
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        if &bytes[at + 4..at + 8] == kind {
            return at + 8..at + size;
        }
        at += size.max(8);
    }
    panic!(
        "no {} box in {}",
        String::from_utf8_lossy(kind),
        path.display()
    );
}

/// Whether FFmpeg decodes every frame of `path` without an error.
fn decodes_cleanly(path: &Path) -> bool {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-i", s(path), "-f", "null", "-"])
        .output()
        .expect("run ffmpeg");
    out.status.success() && out.stderr.is_empty()
}

/// Changes one byte of the video data (`mdat`) that the decoder does not
/// notice (the file still decodes without an error), from the end of the
/// data backwards: what only the hashes can catch.
fn flip_unnoticed(path: &Path) {
    let mdat = mp4_box(path, b"mdat");
    for at in (mdat.start..mdat.end).rev().take(256) {
        flip_byte(path, at);
        if decodes_cleanly(path) {
            return;
        }
        flip_byte(path, at);
    }
    panic!(
        "every change to the last 256 bytes of {} is noticed by the decoder",
        path.display()
    );
}

#[test]
fn c2pa_credentials_are_embedded_read_back_and_break_on_one_changed_byte() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let kiosk = clip("kiosk.mp4");
    let (output, report) = redact(
        d,
        &kiosk,
        "kiosk.mp4",
        &[
            "--c2pa-cert",
            s(&chain("es256-chain.pem")),
            "--c2pa-key",
            s(&chain("es256-key.pem")),
        ],
    );
    assert_eq!(report["files"][0]["c2pa"], true);
    // Embedded before the rename: nothing but the output and its manifest.
    assert_eq!(names(d), ["kiosk.mp4", "kiosk.mp4.manifest.json"]);

    // Read back with the SDK's Reader.
    let found = sladd_evidence::c2pa::read(&output, None)
        .unwrap()
        .expect("a C2PA manifest");
    assert_eq!(found.actions, ["c2pa.opened", "c2pa.edited"]);
    assert_eq!(
        found.claim_generator.as_deref(),
        Some(concat!("sladd ", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(found.parent_title.as_deref(), Some("kiosk.mp4"));
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("kiosk.mp4.manifest.json")).unwrap())
            .unwrap();
    assert_eq!(
        found.parent_sha256.as_deref(),
        manifest["input"]["sha256"].as_str()
    );
    // The sidecar's output hash is that of the file with its credentials.
    let hex: String = sha256(&output).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(manifest["output"]["sha256"], hex.as_str());
    let embedded = found
        .manifest
        .clone()
        .expect("the sladd manifest assertion");
    assert_eq!(embedded["decisions"], manifest["decisions"]);
    assert!(embedded.get("output").is_none());
    // Bak kassen masked except the till over all 75 frames: one region,
    // the zone's polygon with the till as a hole, frames 0-74, 0 s on.
    assert_eq!(found.regions.len(), 1);
    let region = serde_json::to_value(&found.regions[0]).unwrap();
    assert_eq!(region["name"], "Bak kassen");
    assert_eq!(region["region"][0]["shape"]["unit"], "percent");
    assert_eq!(region["region"][1]["shape"]["inside"], false);
    assert_eq!(region["region"][2]["frame"]["start"], 0);
    assert_eq!(region["region"][2]["frame"]["end"], 74);
    assert_eq!(region["region"][3]["time"]["start"], "0.000");

    // verify: valid without anchors, trusted with the test root, untrusted with another.
    let (status, v) = verify(
        d,
        &kiosk,
        &output,
        &["--manifest", s(&d.join("kiosk.mp4.manifest.json"))],
    );
    assert_eq!(status, 0, "{v}");
    assert_eq!(v["c2pa"]["state"], "valid");
    assert_eq!(v["c2pa"]["regions_match"], true);
    assert_eq!(v["c2pa"]["manifest_matches"], true);
    let (status, v) = verify(
        d,
        &kiosk,
        &output,
        &["--trust-anchors", s(&chain("root.pem"))],
    );
    assert_eq!(status, 0, "{v}");
    assert_eq!(v["c2pa"]["state"], "trusted");
    let (status, v) = verify(
        d,
        &kiosk,
        &output,
        &["--trust-anchors", s(&chain("other-root.pem"))],
    );
    assert_eq!(status, 1);
    assert!(
        failure_messages(&v)
            .iter()
            .any(|m| m.contains("signingCredential.untrusted")),
        "{v}"
    );

    // One byte of video data.
    let video = d.join("video.mp4");
    std::fs::copy(&output, &video).unwrap();
    flip_unnoticed(&video);
    let (status, v) = verify(d, &kiosk, &video, &[]);
    assert_eq!(status, 1);
    assert_eq!(v["c2pa"]["state"], "invalid");
    assert!(
        failure_messages(&v)
            .iter()
            .any(|m| m.contains("assertion.bmffHash.mismatch")),
        "{v}"
    );

    // One byte of the C2PA store: inside sladd's manifest assertion.
    let store = d.join("store.mp4");
    std::fs::copy(&output, &store).unwrap();
    let bytes = std::fs::read(&store).unwrap();
    let range = mp4_box(&store, b"uuid");
    let at = range.start
        + bytes[range.clone()]
            .windows(b"sladd-redaction-manifest".len())
            .position(|w| w == b"sladd-redaction-manifest")
            .expect("the manifest assertion in the store");
    flip_byte(&store, at);
    let (status, v) = verify(d, &kiosk, &store, &[]);
    assert_eq!(status, 1);
    assert!(
        failure_messages(&v)
            .iter()
            .any(|m| m.contains("assertion.hashedURI.mismatch")),
        "{v}"
    );

    // Verified as if recorded at night (staff absent, the zone shown): the
    // regions differ from what the policy decides then.
    let out = sladd_in(
        d,
        &[
            "verify",
            s(&kiosk),
            s(&output),
            "-c",
            s(&site()),
            "--camera",
            "kasse-1",
            "--start",
            "2024-03-12T02:00:00Z",
            "--json",
        ],
    );
    assert_eq!(code(&out), 1);
    let v = json(&out);
    assert_eq!(v["c2pa"]["regions_match"], false, "{v}");
}

#[test]
fn c2pa_needs_an_mp4_or_mov_output_and_a_matching_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let kiosk = clip("kiosk.mp4");
    let cert = chain("es256-chain.pem");
    for (output, key, message) in [
        (
            "out.mkv",
            chain("es256-key.pem"),
            "C2PA manifests are embedded in MP4 and MOV outputs only",
        ),
        (
            "out.mp4",
            chain("ed25519-key.pem"),
            "cannot sign with this chain",
        ),
    ] {
        let out = sladd_in(
            d,
            &[
                "redact",
                s(&kiosk),
                "-c",
                s(&site()),
                "--camera",
                "kasse-1",
                "-o",
                output,
                "--c2pa-cert",
                s(&cert),
                "--c2pa-key",
                s(&key),
            ],
        );
        assert_eq!(code(&out), 2, "{}", err(&out));
        assert!(err(&out).contains(message), "{}", err(&out));
        assert!(!d.join(output).exists());
    }
}

#[test]
fn a_camera_signed_input_is_reported_with_what_re_encoding_cannot_keep() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_, report) = redact(d, &clip("onvif_signed.mp4"), "signed.mp4", &[]);
    let file = &report["files"][0];
    assert_eq!(file["input_signatures"][0]["scheme"], "onvif-media-signing");
    assert_eq!(
        file["input_signatures"][0]["uuid"],
        "005bc93f-2d71-5e95-ada4-796f90877a6f"
    );
    assert_eq!(file["input_signatures"][0]["sei_messages"], 1);
    let notes = file["notes"].to_string();
    assert!(notes.contains("re-encoding cannot keep it"), "{notes}");
    assert!(
        notes.contains("binds the input's SHA-256 instead"),
        "{notes}"
    );
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("signed.mp4.manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["input_signatures"], file["input_signatures"]);

    let (_, report) = redact(d, &clip("kiosk.mp4"), "plain.mp4", &[]);
    assert_eq!(
        report["files"][0]["input_signatures"],
        Value::Array(Vec::new())
    );
}

#[test]
fn skip_existing_with_a_key_redoes_an_output_that_key_did_not_sign() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = keys(d, "ours").join("sladd-signing.key");
    let kiosk = clip("kiosk.mp4");
    let (_, first) = redact(d, &kiosk, "kiosk.mp4", &[]);
    assert_eq!(first["files"][0]["status"], "ok");
    let signed = ["--skip-existing", "--sign-key", s(&key)];
    let (_, again) = redact(d, &kiosk, "kiosk.mp4", &signed);
    assert_eq!(again["files"][0]["status"], "ok", "{again}");
    let notes = again["files"][0]["notes"].to_string();
    assert!(
        notes
            .contains("the existing output was redacted again: its manifest's signature: unsigned"),
        "{notes}"
    );
    assert!(d.join("kiosk.mp4.manifest.json.sig").exists());
    let (_, third) = redact(d, &kiosk, "kiosk.mp4", &signed);
    assert_eq!(third["files"][0]["status"], "skipped", "{third}");
}
