//! `sladd export`: a window of a camera's footage, cut from the recordings
//! that cover it, redacted as the policy decides at every frame's instant,
//! disclosed only to whom the law allows, with its record.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use jiff::Timestamp;
use serde::Serialize;
use sladd_archive::export::{
    self, cover, Coverage, DisclosureRecord, FileRef, Gap, RecipientKind, Source, Window,
};
use sladd_core::Style;
use sladd_evidence::{Manifest, Record, StartSource};
use sladd_ffmpeg::{
    AudioMode, EncoderSettings, FrameMasker, FrameTime, MaskOutcome, RedactOptions, Segment,
    VideoInfo,
};
use sladd_policy::{Camera, DecisionSpan, Policy};

use crate::cmd::redact::INTERRUPTED;
use crate::exit::{Exit, Failure};
use crate::masker::PipelineMasker;

/// Export a window of a camera's footage, redacted, to a recipient the law
/// allows, with its evidence manifest and disclosure record.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd export -c site.toml --camera kasse-1 --from 2026-03-01T10:00:00+01:00 \\
      --to 2026-03-01T10:05:00+01:00 --recipient police --case POL-2026-17 \\
      --operator 'Kari Nordmann' -o export/pol-2026-17.mp4
  sladd export -c site.toml --camera kasse-1 --from ... --to ... --recipient consent \\
      --consent-ref 'signed form 2026-03-02' -o export/clip.mp4 --json

Recipients: police, data-subject, consent (with --consent-ref) are allowed;
employer-of-suspect, social-media and other are refused (exit 1, nothing written).
Frames at --from or later and before --to are taken from every recording of the
camera that covers them (gaps are listed); recordings of unknown age are never
used. Writes OUTPUT, OUTPUT.manifest.json and OUTPUT.disclosure.json, and appends
the record to disclosure-log.jsonl beside the site file.")]
pub(crate) struct Args {
    /// The site file (.toml or .json).
    #[arg(short = 'c', long = "config", value_name = "SITE")]
    config: PathBuf,
    /// The camera (its id in the site file).
    #[arg(long, value_name = "ID")]
    camera: String,
    /// The window's first instant (RFC 3339 with an offset).
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant)]
    from: Timestamp,
    /// The window's end (exclusive).
    #[arg(long, value_name = "RFC3339", value_parser = super::parse_instant)]
    to: Timestamp,
    /// Who gets the footage: police, data-subject, consent, employer-of-suspect,
    /// social-media, other.
    #[arg(long, value_name = "KIND", value_parser = parse_recipient)]
    recipient: RecipientKind,
    /// The case the export is for (a police case number).
    #[arg(long, value_name = "ID")]
    case: Option<String>,
    /// Who exports.
    #[arg(long, value_name = "NAME")]
    operator: Option<String>,
    /// Where the consent of those shown is recorded (recipient consent).
    #[arg(long, value_name = "REF")]
    consent_ref: Option<String>,
    /// The exported video.
    #[arg(short = 'o', long, value_name = "OUTPUT")]
    output: PathBuf,
    /// Style for zones whose config names none.
    #[arg(long, value_name = "STYLE", value_parser = super::parse_style, default_value = "fill")]
    style: Style,
    /// x264/x265 preset.
    #[arg(long, default_value = "veryfast")]
    preset: String,
    /// Constant rate factor.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=51))]
    crf: Option<u8>,
    /// Print one JSON document on stdout.
    #[arg(long)]
    json: bool,
}

fn parse_recipient(s: &str) -> Result<RecipientKind, String> {
    s.parse()
}

#[derive(Debug, Serialize)]
struct Output {
    camera: String,
    recipient: RecipientKind,
    allowed: bool,
    rule: &'static str,
    severity: sladd_policy::Severity,
    legal_ground: String,
    window: Window,
    gaps: Vec<Gap>,
    unknown_age: Vec<PathBuf>,
    sources: Vec<Source>,
    output: Option<PathBuf>,
    manifest: Option<PathBuf>,
    disclosure: Option<PathBuf>,
    log: Option<PathBuf>,
    frames: u64,
    masked_frames: u64,
    fps: f64,
    decisions: Vec<DecisionSpan>,
}

pub(crate) fn run(args: &Args) -> Result<Exit> {
    let policy = Policy::load(&args.config)?;
    let camera = policy.camera(&args.camera)?.clone();
    if args.to <= args.from {
        bail!(Failure {
            exit: Exit::Usage,
            message: format!("--to {} is not after --from {}", args.to, args.from),
        });
    }
    let verdict = args
        .recipient
        .judge(policy.site(), args.consent_ref.as_deref());
    let window = Window {
        from: args.from,
        to: args.to,
    };
    let mut out = Output {
        camera: camera.id.clone(),
        recipient: args.recipient,
        allowed: verdict.allowed,
        rule: verdict.rule.id(),
        severity: verdict.severity,
        legal_ground: verdict.ground.clone(),
        window,
        gaps: Vec::new(),
        unknown_age: Vec::new(),
        sources: Vec::new(),
        output: None,
        manifest: None,
        disclosure: None,
        log: None,
        frames: 0,
        masked_frames: 0,
        fps: 0.0,
        decisions: Vec::new(),
    };
    if !verdict.allowed {
        eprintln!(
            "sladd: refused: disclosure to {}: {} [{}] ({})",
            args.recipient,
            verdict.ground,
            verdict.rule.id(),
            verdict.rule.source()
        );
        print(&out, args.json, &policy.site().timezone)?;
        return Ok(Exit::Negative);
    }

    let (_, archive, _) = crate::archive::plan(&policy, &args.config, None, Timestamp::now())?;
    let coverage = cover(&archive, &camera.id, args.from, args.to);
    out.gaps.clone_from(&coverage.gaps);
    out.unknown_age.clone_from(&coverage.unknown_age);
    if coverage.pieces.is_empty() {
        eprintln!(
            "sladd: no recording of camera {} covers {} to {}{}",
            camera.id,
            args.from,
            args.to,
            if coverage.unknown_age.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} of unknown age are never disclosed)",
                    coverage.unknown_age.len()
                )
            }
        );
        print(&out, args.json, &policy.site().timezone)?;
        return Ok(Exit::Negative);
    }
    for gap in &coverage.gaps {
        eprintln!(
            "sladd: gap in the window: no recording from {} to {}",
            crate::archive::local_time(gap.from, &policy.site().timezone),
            crate::archive::local_time(gap.to, &policy.site().timezone)
        );
    }

    let counts = redact_window(args, &camera, &coverage, &mut out)?;
    let recorded = record(args, &verdict, &coverage, &counts, &mut out);
    if let Err(e) = recorded {
        let _ = std::fs::remove_file(&args.output);
        let _ = std::fs::remove_file(sladd_evidence::manifest_path(&args.output));
        bail!(Failure {
            exit: Exit::Output,
            message: format!("the export was not recorded, so it was removed: {e:#}"),
        });
    }
    print(&out, args.json, &policy.site().timezone)?;
    Ok(Exit::Success)
}

/// Redacts the window's pieces into the output, committed with its
/// manifest (`out` gets the counts, the decisions and the manifest's
/// path); the frames taken from each piece.
fn redact_window(
    args: &Args,
    camera: &Camera,
    coverage: &Coverage,
    out: &mut Output,
) -> Result<Vec<u64>> {
    crate::cmd::redact::start_ffmpeg()?;
    let (config_sha256, _) = sladd_evidence::sha256_file(&args.config)?;
    let options = RedactOptions {
        audio: AudioMode::Drop,
        encoder: EncoderSettings {
            preset: args.preset.clone(),
            crf: args.crf.map(f32::from),
            ..EncoderSettings::default()
        },
        config_hash: format!("sha256:{config_sha256}"),
        ..RedactOptions::default()
    };
    let segments: Vec<Segment> = coverage
        .pieces
        .iter()
        .filter_map(|p| {
            Some(Segment {
                path: p.recording.path.clone(),
                start: p.recording.start?,
                from: p.from,
                to: p.to,
            })
        })
        .collect();
    let mut masker = Counting {
        inner: PipelineMasker::new(camera, args.style, &INTERRUPTED)?,
        pieces: coverage.pieces.iter().map(|p| (p.from, p.to, 0)).collect(),
    };
    let written =
        sladd_ffmpeg::redact_window(&segments, &args.output, &mut masker, &options, |_| {})?;
    let report = written.report().clone();
    let counts: Vec<u64> = masker.pieces.iter().map(|(_, _, n)| *n).collect();
    out.decisions = masker.inner.into_spans();
    out.frames = report.frames;
    out.masked_frames = report.masked_frames;
    out.fps = report.fps;

    // The output takes its name with its manifest, or not at all (another
    // run took the name meanwhile: its files are left as they are).
    let companion = manifest(&report, &out.decisions, args, written.path())?.companion();
    out.manifest = Some(companion.target.clone());
    written.commit(vec![companion])?;
    Ok(counts)
}

/// Writes the disclosure record of the committed export and appends it to
/// the disclosure log (`out` gets their paths).
fn record(
    args: &Args,
    verdict: &sladd_policy::disclosure::Judgment,
    coverage: &Coverage,
    counts: &[u64],
    out: &mut Output,
) -> Result<()> {
    let manifest = out.manifest.clone().unwrap_or_default();
    let record = DisclosureRecord {
        format: "sladd-disclosure",
        version: 1,
        sladd_version: env!("CARGO_PKG_VERSION"),
        exported_at: Timestamp::now(),
        recipient: args.recipient,
        legal_ground: verdict.ground.clone(),
        rule: verdict.rule.id().to_owned(),
        severity: verdict.severity,
        case: args.case.clone(),
        operator: args.operator.clone(),
        consent_ref: args.consent_ref.clone(),
        camera: out.camera.clone(),
        window: out.window,
        gaps: coverage.gaps.clone(),
        sources: sources(coverage, counts)?,
        output: FileRef::of(&args.output)?,
        manifest,
        frames: out.frames,
        config: FileRef::of(&args.config)?,
    };
    out.sources.clone_from(&record.sources);
    let log = export::log_path(&args.config);
    out.disclosure = Some(export::write_record(&record, &log)?);
    out.output = Some(args.output.clone());
    out.log = Some(log);
    Ok(())
}

/// The sources of the export (absolute paths) with their hashes and the
/// frames taken.
fn sources(coverage: &Coverage, counts: &[u64]) -> Result<Vec<Source>> {
    coverage
        .pieces
        .iter()
        .zip(counts)
        .filter_map(|(p, frames)| {
            let (start, end) = p.recording.span()?;
            let path = std::fs::canonicalize(&p.recording.path)
                .unwrap_or_else(|_| p.recording.path.clone());
            Some(FileRef::of(&path).map(|file| Source {
                file,
                start,
                end,
                used_from: p.from,
                used_to: p.to,
                frames: *frames,
            }))
        })
        .collect::<Result<_, _>>()
        .map_err(Into::into)
}

/// The evidence manifest of the export: the same format `redact` writes,
/// its `input` the window's first recording (the disclosure record lists
/// them all), its output the file `written` (still under its temporary
/// name).
fn manifest(
    report: &sladd_ffmpeg::Report,
    decisions: &[DecisionSpan],
    args: &Args,
    written: &Path,
) -> sladd_evidence::Result<Manifest> {
    Manifest::record(Record {
        camera: &args.camera,
        style: args.style,
        start: report.start,
        start_source: StartSource::RecordedAt,
        input: &report.input,
        output: &args.output,
        written: Some(written),
        config: &args.config,
        encoder: &report.encoder,
        audio: report.audio.into(),
        frames: report.frames,
        masked_frames: report.masked_frames,
        full_frame_masked: report.full_frame_masked,
        decisions: decisions.iter().map(Into::into).collect(),
        dropped_streams: report.dropped.clone(),
        input_signatures: None,
    })
}

fn print(out: &Output, json: bool, tz: &jiff::tz::TimeZone) -> Result<()> {
    if json {
        return crate::text::print(&serde_json::to_string_pretty(out)?);
    }
    let local = |t: Timestamp| crate::archive::local_time(t, tz);
    let mut text = format!(
        "export     camera {}, {} to {}\nrecipient  {}: {} [{}]\n",
        out.camera,
        local(out.window.from),
        local(out.window.to),
        out.recipient,
        out.legal_ground,
        out.rule
    );
    if !out.allowed {
        text += "verdict    REFUSED: nothing was written\n";
        return crate::text::print(text.trim_end());
    }
    for s in &out.sources {
        text += &format!(
            "source     {} ({} frames, {} to {})\n",
            s.file.path.display(),
            s.frames,
            local(s.used_from),
            local(s.used_to)
        );
    }
    for g in &out.gaps {
        text += &format!(
            "gap        no recording from {} to {}\n",
            local(g.from),
            local(g.to)
        );
    }
    for u in &out.unknown_age {
        text += &format!("not used   {} (unknown age)\n", u.display());
    }
    if let Some(output) = &out.output {
        text += &format!(
            "output     {} ({} frames, {} masked, {:.1} fps)\n",
            output.display(),
            out.frames,
            out.masked_frames,
            out.fps
        );
    }
    for (label, path) in [
        ("manifest", &out.manifest),
        ("disclosure", &out.disclosure),
        ("log", &out.log),
    ] {
        if let Some(path) = path {
            text += &format!("{label:<10} {}\n", path.display());
        }
    }
    crate::text::print(text.trim_end())
}

/// Counts the frames each piece of the window gives, passing every call on.
struct Counting<M> {
    inner: M,
    pieces: Vec<(Timestamp, Timestamp, u64)>,
}

impl<M: FrameMasker> FrameMasker for Counting<M> {
    type Error = M::Error;

    fn begin(&mut self, info: &VideoInfo) -> Result<(), M::Error> {
        self.inner.begin(info)
    }

    fn needs_frame(&mut self, time: &FrameTime) -> bool {
        if let Some(at) = time.instant {
            if let Some(piece) = self.pieces.iter_mut().find(|(f, t, _)| *f <= at && at < *t) {
                piece.2 += 1;
            }
        }
        self.inner.needs_frame(time)
    }

    fn mask(
        &mut self,
        frame: &mut sladd_core::FrameMut<'_>,
        time: &FrameTime,
    ) -> Result<MaskOutcome, M::Error> {
        self.inner.mask(frame, time)
    }
}
