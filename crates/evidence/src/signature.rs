//! Ed25519 signatures over the evidence manifest.
//!
//! [`SigningKey::generate`] makes a key pair and [`SigningKey::write_pair`]
//! stores it (the private key as PKCS#8 PEM, created with mode 0600; the
//! public key as SubjectPublicKeyInfo PEM). [`ManifestSignature::create`]
//! signs a manifest's [`Manifest::canonical_bytes`] (RFC 8785): the
//! signature is detached, written beside the manifest as
//! `OUTPUT.manifest.json.sig`, and names the signing key by its
//! [`PublicKey::fingerprint`]. [`check_signature`] checks it against the
//! key a verifier trusts.
//!
//! **What a valid signature proves:** the holder of the private key signed
//! exactly this manifest, which binds the original's, the redaction's and
//! the site file's SHA-256 and every decision. It does not prove that the
//! files a verifier holds are those (compare the hashes:
//! [`Manifest::check_files`]), that the frames are masked as the policy
//! says (check them: [`crate::FrameChecker`]), or who holds the key.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer, Verifier};
use serde::{Deserialize, Serialize};

use crate::digest::{hex, sha256_hex};
use crate::error::{Error, Result};
use crate::manifest::Manifest;

/// The signature file's `format` value.
pub const FORMAT: &str = "sladd-manifest-signature";
/// The signature file format's version.
pub const VERSION: u32 = 1;
/// The one algorithm this version writes and reads.
pub const ALGORITHM: &str = "Ed25519";
/// The private key's file name in the folder [`SigningKey::write_pair`] writes.
pub const PRIVATE_KEY_FILE: &str = "sladd-signing.key";
/// The public key's file name beside it.
pub const PUBLIC_KEY_FILE: &str = "sladd-signing.pub";

/// A private Ed25519 key that signs manifests.
pub struct SigningKey(ed25519_dalek::SigningKey);

/// A public Ed25519 key that checks manifest signatures.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The public half only: a private key is never printed.
        write!(f, "SigningKey({})", self.public_key().fingerprint())
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.fingerprint())
    }
}

impl SigningKey {
    /// A new key from the operating system's random source.
    ///
    /// # Errors
    /// [`Error::Random`] when the random source fails.
    pub fn generate() -> Result<Self> {
        let mut secret = zeroize::Zeroizing::new([0u8; 32]);
        getrandom::fill(secret.as_mut()).map_err(|e| Error::Random(e.to_string()))?;
        Ok(Self(ed25519_dalek::SigningKey::from_bytes(&secret)))
    }

    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// # Errors
    /// [`Error::Io`], or [`Error::BadKey`] for anything but an Ed25519 key.
    pub fn read(path: &Path) -> Result<Self> {
        let text = zeroize::Zeroizing::new(read_text(path)?);
        ed25519_dalek::SigningKey::from_pkcs8_pem(&text)
            .map(Self)
            .map_err(|e| Error::BadKey {
                path: path.to_owned(),
                kind: "an Ed25519 private key (PKCS#8)",
                reason: e.to_string(),
            })
    }

    /// The matching public key.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// The 64-byte signature of `message`.
    #[must_use]
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    /// Writes the key pair into `dir` (created when missing):
    /// [`PRIVATE_KEY_FILE`], with mode 0600 from its creation on, and
    /// [`PUBLIC_KEY_FILE`]. Existing files are never overwritten.
    ///
    /// # Errors
    /// [`Error::KeyExists`] when either file exists, [`Error::Io`] when one
    /// cannot be written (then neither is left).
    pub fn write_pair(&self, dir: &Path) -> Result<KeyPairFiles> {
        std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
        let files = KeyPairFiles {
            private_key: dir.join(PRIVATE_KEY_FILE),
            public_key: dir.join(PUBLIC_KEY_FILE),
        };
        for path in [&files.private_key, &files.public_key] {
            if path.exists() {
                return Err(Error::KeyExists(path.clone()));
            }
        }
        let pem = self
            .0
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| Error::BadKey {
                path: files.private_key.clone(),
                kind: "an Ed25519 private key (PKCS#8)",
                reason: e.to_string(),
            })?;
        write_new(&files.private_key, pem.as_bytes(), 0o600)
            .map_err(Error::io("write", &files.private_key))?;
        if let Err(e) = write_new(
            &files.public_key,
            self.public_key().to_pem().as_bytes(),
            0o644,
        ) {
            let _ = std::fs::remove_file(&files.private_key);
            return Err(Error::io("write", &files.public_key)(e));
        }
        Ok(files)
    }
}

/// Where [`SigningKey::write_pair`] put a key pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPairFiles {
    /// The private key (PKCS#8 PEM, mode 0600).
    pub private_key: PathBuf,
    /// The public key (SubjectPublicKeyInfo PEM).
    pub public_key: PathBuf,
}

impl PublicKey {
    /// Reads a PEM public key (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// # Errors
    /// [`Error::Io`], or [`Error::BadKey`] for anything but an Ed25519 key.
    pub fn read(path: &Path) -> Result<Self> {
        let text = read_text(path)?;
        ed25519_dalek::VerifyingKey::from_public_key_pem(&text)
            .map(Self)
            .map_err(|e| Error::BadKey {
                path: path.to_owned(),
                kind: "an Ed25519 public key (SubjectPublicKeyInfo)",
                reason: e.to_string(),
            })
    }

    /// The key as SubjectPublicKeyInfo PEM.
    #[must_use]
    pub fn to_pem(&self) -> String {
        // Encoding a valid key cannot fail.
        self.0.to_public_key_pem(LineEnding::LF).unwrap_or_default()
    }

    /// `sha256:` and the SHA-256 of the key's SubjectPublicKeyInfo DER in
    /// hex: what `openssl pkey -pubin -outform DER | sha256sum` prints.
    #[must_use]
    pub fn fingerprint(&self) -> String {
        let der = self
            .0
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default();
        format!("sha256:{}", sha256_hex(&der))
    }

    /// Whether `signature` is this key's over `message`.
    #[must_use]
    pub fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.0
            .verify(message, &ed25519_dalek::Signature::from_bytes(signature))
            .is_ok()
    }
}

/// A detached manifest signature, as its `.sig` file holds it (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestSignature {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`].
    pub version: u32,
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// The signer's [`PublicKey::fingerprint`].
    pub public_key: String,
    /// SHA-256 (hex) of the canonical manifest bytes signed: tells a
    /// manifest changed after signing from a damaged signature.
    pub manifest_sha256: String,
    /// The 64-byte Ed25519 signature, hex.
    pub signature: String,
}

/// What checking a signature against a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// Made by the key over exactly these bytes.
    Valid,
    /// Made by another key.
    OtherKey {
        /// The fingerprint of the key that signed.
        signed_by: String,
    },
    /// The manifest's bytes are not the ones signed.
    ManifestChanged {
        /// SHA-256 of the canonical bytes that were signed.
        signed: String,
        /// SHA-256 of the canonical bytes now.
        now: String,
    },
    /// The manifest is the one signed, but the signature does not verify.
    BadSignature,
}

impl ManifestSignature {
    /// Signs `manifest`'s canonical bytes.
    #[must_use]
    pub fn create(key: &SigningKey, manifest: &Manifest) -> Self {
        Self::over(key, &manifest.canonical_bytes())
    }

    /// Signs `canonical`, a manifest's canonical bytes.
    #[must_use]
    pub fn over(key: &SigningKey, canonical: &[u8]) -> Self {
        Self {
            format: FORMAT.into(),
            version: VERSION,
            algorithm: ALGORITHM.into(),
            public_key: key.public_key().fingerprint(),
            manifest_sha256: sha256_hex(canonical),
            signature: hex(&key.sign(canonical)),
        }
    }

    /// Checks the signature against `key` and `canonical`, a manifest's
    /// canonical bytes.
    #[must_use]
    pub fn check(&self, key: &PublicKey, canonical: &[u8]) -> SignatureCheck {
        if self.public_key != key.fingerprint() {
            return SignatureCheck::OtherKey {
                signed_by: self.public_key.clone(),
            };
        }
        let signature = unhex(&self.signature).and_then(|b| <[u8; 64]>::try_from(b).ok());
        let now = sha256_hex(canonical);
        match signature {
            Some(sig) if key.verifies(canonical, &sig) => SignatureCheck::Valid,
            _ if now != self.manifest_sha256 => SignatureCheck::ManifestChanged {
                signed: self.manifest_sha256.clone(),
                now,
            },
            _ => SignatureCheck::BadSignature,
        }
    }

    /// Reads a signature file, refusing other formats, versions and algorithms.
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::BadSignatureFile`].
    pub fn read(path: &Path) -> Result<Self> {
        let text = read_text(path)?;
        let bad = |reason: String| Error::BadSignatureFile {
            path: path.to_owned(),
            reason,
        };
        let sig: Self = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if sig.format != FORMAT || sig.version != VERSION || sig.algorithm != ALGORITHM {
            return Err(bad(format!(
                "format '{}' version {} algorithm {} (this sladd reads '{FORMAT}' version {VERSION}, {ALGORITHM})",
                sig.format, sig.version, sig.algorithm
            )));
        }
        Ok(sig)
    }

    /// Writes the signature as JSON to `path`: under a temporary name in
    /// the same folder, synced, then renamed into place.
    ///
    /// # Errors
    /// [`Error::Io`] naming `path`; nothing is left behind.
    pub fn write(&self, path: &Path) -> Result<()> {
        crate::atomic::write(path, self.to_json().as_bytes())
    }

    /// The signature as its file holds it: JSON, one line break at the end.
    #[must_use]
    pub fn to_json(&self) -> String {
        // A signature holds only strings and an integer.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The signature of `manifest` as the file placed beside its manifest
    /// right after it ([`signature_path`]; feature `ffmpeg`).
    #[cfg(feature = "ffmpeg")]
    #[must_use]
    pub fn companion(&self, manifest: &Manifest) -> sladd_ffmpeg::Companion {
        sladd_ffmpeg::Companion {
            target: signature_path(&crate::manifest_path(&manifest.output.path)),
            contents: self.to_json().into_bytes(),
        }
    }
}

/// Where the signature of the manifest at `manifest` goes: `MANIFEST.sig`.
#[must_use]
pub fn signature_path(manifest: &Path) -> PathBuf {
    let mut name = manifest.as_os_str().to_owned();
    name.push(".sig");
    PathBuf::from(name)
}

/// What became of a manifest's signature in a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureStatus {
    /// Signed by the key given, over this manifest.
    Valid,
    /// No signature beside the manifest.
    Unsigned,
    /// Signed by another key.
    OtherKey,
    /// The manifest changed after it was signed.
    ManifestChanged,
    /// The signature is damaged.
    BadSignature,
}

/// The signature check of a verification.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    /// What was found.
    pub status: SignatureStatus,
    /// The signature file looked for.
    pub path: PathBuf,
    /// The fingerprint of the key that signed, when signed.
    pub signed_by: Option<String>,
    /// The fingerprint of the key checked against.
    pub public_key: String,
    /// Whether the check passed (an unsigned manifest passes unless a
    /// signature is required).
    pub ok: bool,
    /// One sentence.
    pub message: String,
}

/// Checks the signature beside the manifest at `path` ([`signature_path`])
/// of `manifest` against `key`; `required` makes an unsigned manifest fail.
///
/// # Errors
/// [`Error::Io`] or [`Error::BadSignatureFile`] for a signature file that
/// exists but cannot be read as one.
pub fn check_signature(
    path: &Path,
    manifest: &Manifest,
    key: &PublicKey,
    required: bool,
) -> Result<SignatureReport> {
    let sig_path = signature_path(path);
    let public_key = key.fingerprint();
    if !sig_path.exists() {
        return Ok(SignatureReport {
            status: SignatureStatus::Unsigned,
            message: format!("unsigned: there is no {}", sig_path.display()),
            ok: !required,
            signed_by: None,
            public_key,
            path: sig_path,
        });
    }
    let signature = ManifestSignature::read(&sig_path)?;
    let (status, message) = match signature.check(key, &manifest.canonical_bytes()) {
        SignatureCheck::Valid => (
            SignatureStatus::Valid,
            format!("valid, Ed25519 by {public_key}"),
        ),
        SignatureCheck::OtherKey { signed_by } => (
            SignatureStatus::OtherKey,
            format!("signed by another key: {signed_by}, not {public_key}"),
        ),
        SignatureCheck::ManifestChanged { signed, now } => (
            SignatureStatus::ManifestChanged,
            format!(
                "does not match: the manifest changed after it was signed (sha256 signed {}, now {})",
                short(&signed),
                short(&now)
            ),
        ),
        SignatureCheck::BadSignature => (
            SignatureStatus::BadSignature,
            "does not match: the signature is not the key's over this manifest (damaged)".into(),
        ),
    };
    Ok(SignatureReport {
        ok: status == SignatureStatus::Valid,
        status,
        path: sig_path,
        signed_by: Some(signature.public_key),
        public_key,
        message,
    })
}

/// The first 16 hex digits of a hash, for messages.
fn short(hex: &str) -> &str {
    hex.get(..16).unwrap_or(hex)
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::read(path, e))
}

/// Creates `path`, which must not exist, with `mode` (on Unix) and writes
/// `bytes`; removes it again when writing fails.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

/// Hex digits as bytes; `None` for an odd length or a non-hex digit.
fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_then_check() {
        let key = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        let manifest = br#"{"a":1}"#;
        let sig = ManifestSignature::over(&key, manifest);
        assert_eq!(
            sig.check(&key.public_key(), manifest),
            SignatureCheck::Valid
        );
        assert!(matches!(
            sig.check(&other.public_key(), manifest),
            SignatureCheck::OtherKey { .. }
        ));
        assert!(matches!(
            sig.check(&key.public_key(), br#"{"a":2}"#),
            SignatureCheck::ManifestChanged { .. }
        ));
        let mut damaged = sig.clone();
        let first = if sig.signature.starts_with("00") {
            "01"
        } else {
            "00"
        };
        damaged.signature.replace_range(0..2, first);
        assert_eq!(
            damaged.check(&key.public_key(), manifest),
            SignatureCheck::BadSignature
        );
        damaged.signature = "zz".into();
        assert_eq!(
            damaged.check(&key.public_key(), manifest),
            SignatureCheck::BadSignature
        );
    }

    #[test]
    fn key_files_round_trip_and_the_private_key_is_0600() {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::generate().unwrap();
        let files = key.write_pair(dir.path()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&files.private_key)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let text = std::fs::read_to_string(&files.private_key).unwrap();
        assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{text}");
        let back = SigningKey::read(&files.private_key).unwrap();
        let public = PublicKey::read(&files.public_key).unwrap();
        assert_eq!(back.public_key(), public);
        assert_eq!(public, key.public_key());
        assert!(matches!(
            key.write_pair(dir.path()),
            Err(Error::KeyExists(_))
        ));
        let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(!format!("{key:?}").contains(&body));
        // A public key is not a private one, nor the other way round.
        assert!(matches!(
            SigningKey::read(&files.public_key),
            Err(Error::BadKey { .. })
        ));
        assert!(matches!(
            PublicKey::read(&files.private_key),
            Err(Error::BadKey { .. })
        ));
    }

    /// The fingerprint is the SHA-256 of the SubjectPublicKeyInfo DER: a
    /// 12-byte prefix for Ed25519, then the 32-byte key.
    #[test]
    fn the_fingerprint_is_the_sha256_of_the_spki_der() {
        let key = SigningKey::generate().unwrap().public_key();
        let mut der = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        der.extend_from_slice(key.0.as_bytes());
        assert_eq!(key.fingerprint(), format!("sha256:{}", sha256_hex(&der)));
    }

    #[test]
    fn a_signature_file_of_another_kind_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::generate().unwrap();
        let path = dir.path().join("m.json.sig");
        let mut sig = ManifestSignature::over(&key, b"{}");
        sig.write(&path).unwrap();
        assert_eq!(ManifestSignature::read(&path).unwrap(), sig);
        sig.algorithm = "RSA".into();
        sig.write(&path).unwrap();
        let e = ManifestSignature::read(&path).unwrap_err();
        assert!(e.to_string().contains("algorithm RSA"), "{e}");
        assert_eq!(
            signature_path(Path::new("out/a.mp4.manifest.json")),
            Path::new("out/a.mp4.manifest.json.sig")
        );
    }
}
