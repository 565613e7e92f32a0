//! The signing flags of `redact` and `verify`, and the keys they load
//! before any file is touched. Glue over `sladd_evidence::{signature, c2pa}`.

use std::path::{Path, PathBuf};

use anyhow::Result;
use sladd_evidence::c2pa::Credentials;
use sladd_evidence::signature::{PublicKey, SigningKey};

use crate::exit::{Exit, Failure};

/// `redact`'s signing flags.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SignArgs {
    /// Sign each evidence manifest with this Ed25519 private key (PKCS#8 PEM,
    /// from `sladd keys generate`); the signature goes beside it as
    /// OUTPUT.manifest.json.sig.
    #[arg(long, value_name = "KEY")]
    pub(crate) sign_key: Option<PathBuf>,
    /// Embed C2PA Content Credentials in each MP4/MOV output, signed with this
    /// certificate chain (PEM: the signer's certificate, then intermediates).
    #[arg(long, value_name = "CHAIN.pem", requires = "c2pa_key")]
    pub(crate) c2pa_cert: Option<PathBuf>,
    /// The C2PA signer's private key (PKCS#8 PEM: ES256/384/512, Ed25519 or PS256).
    #[arg(long, value_name = "KEY.pem", requires = "c2pa_cert")]
    pub(crate) c2pa_key: Option<PathBuf>,
}

/// The keys `redact` signs with.
#[derive(Debug, Default)]
pub(crate) struct Signer {
    /// Signs the manifests.
    pub(crate) key: Option<SigningKey>,
    /// Signs the embedded C2PA manifests.
    pub(crate) c2pa: Option<Credentials>,
}

impl Signer {
    /// Loads the keys the flags name. A bad key or chain, or C2PA asked
    /// for an output that cannot hold it, stops the run before any file
    /// (exit 2).
    pub(crate) fn load(args: &SignArgs, outputs: &[&Path]) -> Result<Self> {
        let key = args
            .sign_key
            .as_deref()
            .map(SigningKey::read)
            .transpose()
            .map_err(usage)?;
        let c2pa = match (&args.c2pa_cert, &args.c2pa_key) {
            (Some(cert), Some(key)) => {
                let unfit = outputs
                    .iter()
                    .find(|o| sladd_evidence::c2pa::format_of(o).is_none());
                if let Some(other) = unfit {
                    return Err(usage(format!(
                        "--c2pa-cert: C2PA manifests are embedded in MP4 and MOV outputs only, not in {}",
                        other.display()
                    )));
                }
                Some(Credentials::read(cert, key).map_err(usage)?)
            }
            _ => None,
        };
        Ok(Self { key, c2pa })
    }
}

/// `verify`'s signature and C2PA flags.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct VerifyArgs {
    /// Check the manifest's signature (MANIFEST.sig) against this Ed25519
    /// public key (PEM); without --manifest, the manifest is
    /// REDACTED.manifest.json.
    #[arg(long, value_name = "PUB")]
    pub(crate) pubkey: Option<PathBuf>,
    /// Fail (exit 1) when the manifest is not signed.
    #[arg(long, requires = "pubkey")]
    pub(crate) require_signature: bool,
    /// Trust anchors (PEM certificates) for the embedded C2PA manifest: a
    /// signer whose chain ends at one of them is trusted, any other fails.
    #[arg(long, value_name = "PEM")]
    pub(crate) trust_anchors: Option<PathBuf>,
}

impl VerifyArgs {
    /// The public key, read.
    pub(crate) fn public_key(&self) -> Result<Option<PublicKey>> {
        self.pubkey
            .as_deref()
            .map(PublicKey::read)
            .transpose()
            .map_err(usage)
    }

    /// The trust anchors' text.
    pub(crate) fn trust_anchors(&self) -> Result<Option<String>> {
        self.trust_anchors
            .as_deref()
            .map(|path| {
                std::fs::read_to_string(path)
                    .map_err(|e| usage(format!("--trust-anchors {}: {e}", path.display())))
            })
            .transpose()
    }
}

/// A usage error (exit 2).
fn usage(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(Failure {
        exit: Exit::Usage,
        message: error.to_string(),
    })
}
