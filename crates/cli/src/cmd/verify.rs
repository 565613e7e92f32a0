//! `sladd verify`: arguments and printing over `sladd_evidence::verify_files`,
//! which decodes an original and its redaction in lockstep and checks every
//! frame against the masks the policy gives at that frame's instant,
//! decided by the same code `sladd redact` decides with.

use std::path::PathBuf;

use anyhow::Result;
use jiff::Timestamp;
use sladd_core::Style;
use sladd_evidence::report::finite;
use sladd_evidence::{
    verify_files, Check, Limits, Manifest, Request, SignatureRequest, Verdict, VerifyReport,
};
use sladd_policy::Policy;

use crate::exit::{Exit, Failure};
use crate::signing::VerifyArgs;

/// Check that a redacted video was redacted as the site's policy says.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd verify fixtures/clips/kiosk.mp4 out/kiosk.mp4 -c fixtures/site.toml --camera kasse-1
  sladd verify in.mp4 out.mp4 -c site.toml --camera kasse-1 --manifest out.mp4.manifest.json --json
  sladd verify in.mp4 out.mp4 -c site.toml --camera kasse-1 --pubkey keys/sladd-signing.pub \\
      --require-signature --trust-anchors ca.pem

Every frame is decided as `sladd redact` decides it (the start from --start, else the
original's creation_time, else unknown: the most protective branch), then checked:
inside each masked region no content of the original survives (fill: at the fill
colour; pixelate: constant per block; blur: no more detail than the blur leaves),
outside the masks the picture is the original within codec noise, frame counts and
timestamps agree, and audio is present only if the policy allows it.
With --manifest, the manifest's hashes of input, output and config are checked too,
and its camera, start and style are used. With --pubkey, the manifest's signature
(MANIFEST.sig) is checked: unsigned passes unless --require-signature. A C2PA manifest
embedded in an MP4/MOV is validated and its regions compared with the policy's; with
--trust-anchors its signer must chain to one of them. Exit 1 when anything fails.")]
pub(crate) struct Args {
    /// The original video.
    #[arg(value_name = "ORIGINAL")]
    original: PathBuf,
    /// Its redaction by `sladd redact`.
    #[arg(value_name = "REDACTED")]
    redacted: PathBuf,
    /// The site configuration (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    site: PathBuf,
    /// The camera that recorded the original (may be left out when the
    /// manifest names it or the site has one camera).
    #[arg(long, value_name = "ID")]
    camera: Option<String>,
    /// The recording's start (RFC 3339), as given to `sladd redact`.
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant)]
    start: Option<Timestamp>,
    /// The --style given to `sladd redact` (default fill).
    #[arg(long, value_name = "STYLE", value_parser = super::parse_style)]
    style: Option<Style>,
    /// The evidence manifest `sladd redact` wrote beside the output.
    #[arg(long, value_name = "PATH")]
    manifest: Option<PathBuf>,
    /// Print one JSON document on stdout instead of the summary.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    signing: VerifyArgs,
}

/// Runs `sladd verify`.
pub(crate) fn run(args: &Args) -> Result<Exit> {
    let policy = Policy::load(&args.site)?;
    // A signature is checked on the manifest beside the output unless
    // --manifest names another.
    let manifest_path = args.manifest.clone().or_else(|| {
        args.signing
            .pubkey
            .as_ref()
            .map(|_| sladd_evidence::manifest_path(&args.redacted))
    });
    let manifest = match &manifest_path {
        Some(path) => Some(Manifest::read(path).map_err(|e| usage(e.to_string()))?),
        None => None,
    };
    let named = args
        .camera
        .as_deref()
        .or(manifest.as_ref().map(|m| m.camera.as_str()));
    let camera = super::camera(&policy, named)?;
    let clock = crate::clock::judge(camera, Timestamp::now());
    let key = args.signing.public_key()?;
    let trust_anchors = args.signing.trust_anchors()?;
    sladd_ffmpeg::init()?;
    sladd_ffmpeg::quiet_ffmpeg_logs();
    let request = Request {
        clock: &clock,
        original: &args.original,
        redacted: &args.redacted,
        config: &args.site,
        camera,
        start: args.start,
        style: args.style,
        manifest: manifest_path.as_deref().zip(manifest.as_ref()),
        limits: Limits::default(),
        signature: key.as_ref().map(|key| SignatureRequest {
            key,
            required: args.signing.require_signature,
        }),
        trust_anchors: trust_anchors.as_deref(),
    };
    let report = verify_files(&request).map_err(|e| failure(e, args))?;
    if args.json {
        crate::text::print(&serde_json::to_string_pretty(&report)?)?;
    } else {
        crate::text::print(&summary(&report))?;
    }
    Ok(match report.verdict {
        Verdict::Pass => Exit::Success,
        Verdict::Fail => Exit::Negative,
    })
}

/// A usage error (exit 2).
fn usage(message: String) -> anyhow::Error {
    anyhow::Error::new(Failure {
        exit: Exit::Usage,
        message,
    })
}

/// The exit code of a verification that could not be made: 2 for what the
/// operator said (a manifest contradicted, a site file), 3 for a video that
/// cannot be read or decoded.
fn failure(error: sladd_evidence::Error, args: &Args) -> anyhow::Error {
    use sladd_evidence::Error as E;
    let exit = match &error {
        E::Io { path, .. } if *path == args.original || *path == args.redacted => Exit::Input,
        E::Media(media) if media.is_output_error() => Exit::Output,
        E::Media(_) | E::Decide(_) | E::FrameMismatch { .. } | E::C2pa { .. } => Exit::Input,
        _ => Exit::Usage,
    };
    anyhow::Error::new(Failure {
        exit,
        message: crate::text::error_chain(&error),
    })
}

/// The human-readable report.
fn summary(o: &VerifyReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "original   {}", o.header.original.display());
    let _ = writeln!(out, "redacted   {}", o.header.redacted.display());
    let _ = writeln!(
        out,
        "camera     {}, start {} ({}), style {}",
        o.header.camera,
        o.header
            .start
            .map_or_else(|| "unknown".to_owned(), |t| t.to_string()),
        o.header.start_source,
        o.header.style
    );
    let _ = writeln!(
        out,
        "frames     {} original, {} redacted, {} failed",
        o.frames, o.redacted_frames, o.failed_frames
    );
    for c in &o.checks {
        let unit = if c.check == Check::Outside { " dB" } else { "" };
        let what = if c.check == Check::Outside {
            "lowest PSNR"
        } else {
            "worst"
        };
        let _ = writeln!(
            out,
            "{:<10} {} frames, {} failed, {what} {:.1}{unit} (limit {:.1}{unit})",
            c.check,
            c.frames,
            c.failed_frames,
            finite(c.worst_value),
            c.limit
        );
    }
    let _ = writeln!(
        out,
        "audio      {} stream(s) in the redacted file, policy {}: {}",
        o.audio.redacted_streams,
        if o.audio.allowed {
            "allows audio"
        } else {
            "forbids audio"
        },
        if o.audio.ok { "ok" } else { "FAILED" }
    );
    if let Some(converted) = &o.converted {
        let _ = writeln!(out, "formats    {converted}");
    }
    for line in &o.substreams {
        let _ = writeln!(out, "substream  {line}");
    }
    if let Some(m) = &o.manifest {
        let _ = writeln!(
            out,
            "manifest   {}: {} ({})",
            m.path.display(),
            if m.ok { "ok" } else { "FAILED" },
            m.checked
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    signed(o, &mut out);
    if let Some(f) = &o.first {
        if f.failed {
            let _ = writeln!(out, "first      {}", f.message);
        }
    }
    if let Some(w) = &o.worst {
        // Passing: the frame that came closest to a limit.
        let label = if w.failed { "worst" } else { "closest" };
        let _ = writeln!(out, "{label:<10} {}", w.message);
    }
    let _ = write!(
        out,
        "verdict    {}",
        if o.verdict == Verdict::Pass {
            "PASS: every frame is redacted as the policy says"
        } else {
            "FAIL: see above"
        }
    );
    out
}

/// The summary's lines on the manifest's signature and the embedded C2PA
/// manifest, when they were checked.
fn signed(o: &VerifyReport, out: &mut String) {
    use std::fmt::Write;

    if let Some(s) = &o.signature {
        let _ = writeln!(out, "signature  {}: {}", s.path.display(), s.message);
    }
    if let Some(c) = &o.c2pa {
        let trust = if c.trust_anchors {
            ""
        } else {
            " (no --trust-anchors: trust not judged)"
        };
        let _ = writeln!(
            out,
            "c2pa       {}{trust}, signed by {}, {}; actions {}; {} regions {}",
            c.state,
            c.signer.as_deref().unwrap_or("?"),
            c.claim_generator.as_deref().unwrap_or("no claim generator"),
            c.actions.join(", "),
            c.regions,
            if c.regions_match {
                "as the policy decides"
            } else {
                "NOT as the policy decides"
            }
        );
        for p in &c.problems {
            let _ = writeln!(out, "           {p}");
        }
    }
}
