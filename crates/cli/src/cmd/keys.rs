//! `sladd keys`: the Ed25519 key pair that signs evidence manifests.

use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;
use sladd_evidence::signature::SigningKey;

use crate::exit::{Exit, Failure};

/// Manage the keys that sign evidence manifests.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    Generate(GenerateArgs),
}

/// Write a new Ed25519 key pair: the private key (PKCS#8 PEM, mode 0600,
/// never printed) and the public key (PEM) verifiers check signatures with.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd keys generate --out keys/
  sladd redact in.mp4 -c site.toml --camera kasse-1 -o out.mp4 --sign-key keys/sladd-signing.key
  sladd verify in.mp4 out.mp4 -c site.toml --camera kasse-1 --pubkey keys/sladd-signing.pub

Existing key files are never overwritten (exit 4). Keep the private key where only
the redacting account can read it; hand the public key to whoever verifies.")]
struct GenerateArgs {
    /// The folder to write sladd-signing.key and sladd-signing.pub into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Print one JSON document instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Generated {
    private_key: PathBuf,
    public_key: PathBuf,
    fingerprint: String,
}

/// Runs `sladd keys`.
pub(crate) fn run(args: &Args) -> Result<Exit> {
    match &args.command {
        Command::Generate(args) => generate(args),
    }
}

fn generate(args: &GenerateArgs) -> Result<Exit> {
    let key = SigningKey::generate()?;
    let files = key.write_pair(&args.out).map_err(|e| Failure {
        exit: Exit::Output,
        message: e.to_string(),
    })?;
    let generated = Generated {
        private_key: files.private_key,
        public_key: files.public_key,
        fingerprint: key.public_key().fingerprint(),
    };
    let text = if args.json {
        serde_json::to_string_pretty(&generated)?
    } else {
        format!(
            "private key  {} (mode 0600: keep it secret)\npublic key   {}\nfingerprint  {}",
            generated.private_key.display(),
            generated.public_key.display(),
            generated.fingerprint
        )
    };
    crate::text::print(&text)?;
    Ok(Exit::Success)
}
