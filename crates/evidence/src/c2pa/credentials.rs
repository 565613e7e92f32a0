//! The certificate chain and private key a C2PA manifest is signed with.

use std::path::{Path, PathBuf};

use ::c2pa::SigningAlg;

use crate::error::{Error, Result};

/// A certificate chain and its private key, checked to sign together.
pub struct Credentials {
    chain: Vec<u8>,
    key: zeroize::Zeroizing<Vec<u8>>,
    alg: SigningAlg,
    chain_path: PathBuf,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        write!(
            f,
            "Credentials({}, {})",
            self.chain_path.display(),
            self.alg
        )
    }
}

impl Credentials {
    /// Reads a PEM certificate chain (the signer's certificate first, then
    /// the intermediates; not the root) and its PKCS#8 PEM private key.
    /// ES256, ES384, ES512, Ed25519 and PS256 keys; the algorithm follows
    /// from the key.
    ///
    /// # Errors
    /// [`Error::Io`] for a file that cannot be read,
    /// [`Error::Credentials`] for a key of another kind or a chain the key
    /// does not sign for.
    pub fn read(chain: &Path, key: &Path) -> Result<Self> {
        let chain_bytes = std::fs::read(chain).map_err(|e| Error::read(chain, e))?;
        let key_bytes =
            zeroize::Zeroizing::new(std::fs::read(key).map_err(|e| Error::read(key, e))?);
        let alg = key_algorithm(&key_bytes).map_err(|reason| Error::Credentials {
            path: key.to_owned(),
            reason,
        })?;
        let credentials = Self {
            chain: chain_bytes,
            key: key_bytes,
            alg,
            chain_path: chain.to_owned(),
        };
        let signer = credentials.signer().map_err(|e| e.to_string());
        signer
            .and_then(|s| key_matches_chain(&credentials.chain, &*s, alg))
            .map_err(|e| Error::Credentials {
                path: chain.to_owned(),
                reason: format!("cannot sign with this chain and {}: {e}", key.display()),
            })?;
        Ok(credentials)
    }

    /// The SDK's signer over these credentials (no time stamp authority).
    pub(super) fn signer(&self) -> ::c2pa::Result<Box<dyn ::c2pa::Signer + Send + Sync>> {
        ::c2pa::create_signer::from_keys(&self.chain, &self.key, self.alg, None)
    }
}

/// Whether the chain's first certificate holds the public key of the
/// signer's private key: a probe it signs must verify with that
/// certificate's key (the SDK signs with any key it is given).
fn key_matches_chain(
    chain: &[u8],
    signer: &dyn ::c2pa::Signer,
    alg: SigningAlg,
) -> std::result::Result<(), String> {
    let pem = x509_parser::pem::Pem::iter_from_buffer(chain)
        .next()
        .ok_or("the chain holds no certificate")?
        .map_err(|e| format!("the chain is not PEM ({e})"))?;
    let (_, certificate) = x509_parser::parse_x509_certificate(&pem.contents)
        .map_err(|e| format!("its first certificate does not parse ({e})"))?;
    let probe = b"sladd: does this key belong to this certificate?";
    let signature = signer.sign(probe).map_err(|e| e.to_string())?;
    let validator = ::c2pa::crypto::raw_signature::validator_for_signing_alg(alg)
        .ok_or_else(|| format!("this build cannot check {alg} signatures"))?;
    validator
        .validate(&signature, probe, certificate.public_key().raw)
        .map_err(|_| "the key is not the one of the chain's first certificate".to_owned())
}

/// The C2PA signing algorithm of a PKCS#8 PEM private key.
fn key_algorithm(pem: &[u8]) -> std::result::Result<SigningAlg, String> {
    const ED25519: &str = "1.3.101.112";
    const EC: &str = "1.2.840.10045.2.1";
    const P256: &str = "1.2.840.10045.3.1.7";
    const P384: &str = "1.3.132.0.34";
    const P521: &str = "1.3.132.0.35";
    const RSA: &str = "1.2.840.113549.1.1.1";
    const RSA_PSS: &str = "1.2.840.113549.1.1.10";

    let (label, der) = pkcs8::der::pem::decode_vec(pem).map_err(|e| format!("not PEM ({e})"))?;
    if label != "PRIVATE KEY" {
        return Err(format!(
            "a PKCS#8 'PRIVATE KEY' is needed, this is '{label}'"
        ));
    }
    let info =
        pkcs8::PrivateKeyInfo::try_from(der.as_slice()).map_err(|e| format!("not PKCS#8 ({e})"))?;
    let curve = info
        .algorithm
        .parameters_oid()
        .map(|o| o.to_string())
        .unwrap_or_default();
    match (info.algorithm.oid.to_string().as_str(), curve.as_str()) {
        (ED25519, _) => Ok(SigningAlg::Ed25519),
        (EC, P256) => Ok(SigningAlg::Es256),
        (EC, P384) => Ok(SigningAlg::Es384),
        (EC, P521) => Ok(SigningAlg::Es512),
        (RSA | RSA_PSS, _) => Ok(SigningAlg::Ps256),
        (oid, curve) => Err(format!(
            "key algorithm {oid} {curve} is not one C2PA signs with (ES256/384/512, Ed25519, PS256)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/c2pa")
            .join(name)
    }

    #[test]
    fn the_algorithm_follows_from_the_key() {
        let alg = |name| key_algorithm(&std::fs::read(fixture(name)).unwrap());
        assert_eq!(alg("es256-key.pem"), Ok(SigningAlg::Es256));
        assert_eq!(alg("ed25519-key.pem"), Ok(SigningAlg::Ed25519));
        let err = alg("root.pem").unwrap_err();
        assert!(
            err.contains("a PKCS#8 'PRIVATE KEY' is needed, this is 'CERTIFICATE'"),
            "{err}"
        );
    }

    #[test]
    fn a_chain_and_a_key_that_do_not_belong_together_are_refused() {
        let ok = Credentials::read(&fixture("ed25519-chain.pem"), &fixture("ed25519-key.pem"));
        assert!(ok.is_ok(), "{ok:?}");
        let err = Credentials::read(&fixture("es256-chain.pem"), &fixture("ed25519-key.pem"))
            .unwrap_err();
        assert!(
            err.to_string().contains("cannot sign with this chain"),
            "{err}"
        );
    }
}
