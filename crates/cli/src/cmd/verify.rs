//! `sladd verify`: decodes an original and its redaction in lockstep and
//! checks every frame against the masks the policy gives at that frame's
//! instant, decided by the same code `sladd redact` decides with.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc;

use anyhow::{Context, Result};
use jiff::Timestamp;
use serde::Serialize;
use sladd_core::Style;
use sladd_ffmpeg::pixel::Field;
use sladd_ffmpeg::{Aligner, Alignment, ClockJudge, DecodedFrame, Decoder, DecoderOptions};
use sladd_policy::{Camera, CameraMasker, Policy};

use crate::exit::{Exit, Failure};
use crate::manifest::{self, Manifest, Span};
use crate::verify::checks::{Limits, Measure};
use crate::verify::{FrameChecker, Outcome};

/// Check that a redacted video was redacted as the site's policy says.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  sladd verify fixtures/clips/kiosk.mp4 out/kiosk.mp4 -c fixtures/site.toml --camera kasse-1
  sladd verify in.mp4 out.mp4 -c site.toml --camera kasse-1 --manifest out.mp4.manifest.json --json

Every frame is decided as `sladd redact` decides it (the start from --start, else the
original's creation_time, else unknown: the most protective branch), then checked:
inside each masked region no content of the original survives (fill: at the fill
colour; pixelate: constant per block; blur: no more detail than the blur leaves),
outside the masks the picture is the original within codec noise, frame counts and
timestamps agree, and audio is present only if the policy allows it.
With --manifest, the manifest's hashes of input, output and config are checked too,
and its camera, start and style are used. Exit 1 when anything fails.")]
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
}

/// One failed (or the worst) frame or file-level finding.
#[derive(Debug, Clone, Serialize)]
struct Finding {
    /// The original's frame index (`null` for file-level findings).
    frame: Option<u64>,
    /// The redacted file's frame index, when there is one.
    redacted_frame: Option<u64>,
    /// The frame's time in seconds from the start of the original.
    seconds: Option<f64>,
    /// `fill`, `pixelate`, `blur`, `outside`, `format`, `missing_frame`,
    /// `extra_frame`, `audio`, `manifest`.
    check: &'static str,
    /// The plane (0 luma, 1–2 chroma).
    plane: Option<usize>,
    /// The masked layer's style.
    style: Option<String>,
    /// The zones masked at that instant, as `name (RULE)`.
    zones: Vec<String>,
    /// Where (luma pixels) the worst sample is.
    x: Option<u32>,
    y: Option<u32>,
    /// The figure and its limit.
    value: Option<f64>,
    limit: Option<f64>,
    /// Whether this is a failure.
    failed: bool,
    /// One sentence.
    message: String,
    #[serde(skip)]
    severity: f64,
}

impl Finding {
    fn file(check: &'static str, message: String) -> Self {
        Self {
            frame: None,
            redacted_frame: None,
            seconds: None,
            check,
            plane: None,
            style: None,
            zones: Vec::new(),
            x: None,
            y: None,
            value: None,
            limit: None,
            failed: true,
            message,
            severity: f64::MAX,
        }
    }
}

/// Per check: frames checked, failed, the worst figure.
#[derive(Debug, Clone, Serialize)]
struct CheckSummary {
    check: &'static str,
    frames: u64,
    failed_frames: u64,
    worst_value: f64,
    limit: f64,
    #[serde(skip)]
    worst_severity: f64,
}

#[derive(Debug, Serialize)]
struct AudioReport {
    original_streams: usize,
    redacted_streams: usize,
    allowed: bool,
    ok: bool,
}

#[derive(Debug, Serialize)]
struct ManifestReport {
    path: PathBuf,
    ok: bool,
    checked: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
struct Output {
    original: PathBuf,
    redacted: PathBuf,
    camera: String,
    config: PathBuf,
    config_sha256: String,
    start: Option<String>,
    start_source: &'static str,
    style: String,
    /// Frames of the original.
    frames: u64,
    redacted_frames: u64,
    failed_frames: u64,
    /// Largest difference between paired frames' timestamps, seconds.
    max_time_offset: f64,
    verdict: &'static str,
    first: Option<Finding>,
    worst: Option<Finding>,
    checks: Vec<CheckSummary>,
    audio: AudioReport,
    manifest: Option<ManifestReport>,
    /// When the two files differ in pixel format or range: what both were
    /// converted to for the checks.
    converted: Option<String>,
    /// File-level failures and the worst check of each failed frame (the
    /// first 100).
    failures: Vec<Finding>,
    limits: Limits,
}

/// Failed frames listed in `failures` at most.
const LISTED: usize = 100;

/// What verification is run with after reconciling flags and manifest.
struct Settings {
    start: Option<Timestamp>,
    style: Style,
    /// When the original's `creation_time` is believed: as `redact` judged
    /// it (the camera's `clock_valid_from`; never, when the manifest says
    /// the start was unknown).
    clock: ClockJudge,
}

/// Runs `sladd verify`.
pub(crate) fn run(args: &Args) -> Result<Exit> {
    let policy = Policy::load(&args.site)?;
    let manifest = match &args.manifest {
        Some(path) => Some(manifest::read(path).map_err(|e| usage(format!("{e:#}")))?),
        None => None,
    };
    let named = args
        .camera
        .as_deref()
        .or(manifest.as_ref().map(|m| m.camera.as_str()));
    let camera = super::camera(&policy, named)?.clone();
    let config = manifest::config_entry(&args.site)?;
    let settings = settle(args, &camera, manifest.as_ref())?;
    sladd_ffmpeg::init()?;
    sladd_ffmpeg::quiet_ffmpeg_logs();

    let mut failures: Vec<Finding> = Vec::new();
    let mut manifest_report = None;
    if let (Some(m), Some(path)) = (&manifest, &args.manifest) {
        let checked = check_hashes(m, args, &config, &mut failures)?;
        manifest_report = Some(ManifestReport {
            path: path.clone(),
            ok: true,
            checked,
        });
    }

    let original = Decoder::open(
        &args.original,
        &DecoderOptions {
            start: settings.start,
            clock: settings.clock,
            ..DecoderOptions::default()
        },
    )?;
    let redacted = Decoder::open(&args.redacted, &DecoderOptions::default())?;
    let info = original.info().clone();
    let start_source = match (settings.start, info.start) {
        (Some(_), _) => "option",
        (None, Some(_)) => "creation_time",
        (None, None) => "unknown",
    };

    let allowed = camera.audio_allowed();
    let audio = AudioReport {
        original_streams: info.audio_streams.len(),
        redacted_streams: redacted.info().audio_streams.len(),
        allowed,
        ok: allowed || redacted.info().audio_streams.is_empty(),
    };
    if !audio.ok {
        failures.push(Finding::file(
            "audio",
            format!(
                "the redacted file has {} audio stream(s) but the policy forbids audio on camera {}",
                audio.redacted_streams, camera.id
            ),
        ));
    }

    let mut masker = CameraMasker::for_camera(&camera, sladd_core::PixelFormat::Yuv420p, 1, 1)?;
    masker.set_style(settings.style);
    // Zones are drawn on the picture as players show it: decide with the
    // original's display rotation, as `redact` does.
    masker.set_rotation(info.rotation);
    let mut checker = FrameChecker::new(Limits::default());
    let tolerance = info
        .frame_rate
        .map_or(0.02, |r| 0.5 / f64::from(r).max(1e-3));
    let mut run = Run {
        interlaced: info.field_order.is_interlaced(),
        ..Run::default()
    };

    // Both files decode on threads of their own while this one checks.
    std::thread::scope(|scope| -> Result<()> {
        let rx_original = spawn_decoder(scope, original);
        let rx = spawn_decoder(scope, redacted);
        let next_original = || rx_original.recv().ok().transpose();
        let next_redacted = || rx.recv().ok().transpose();
        let mut o = next_original()?;
        let mut r = next_redacted()?;
        loop {
            match (o.take(), r.take()) {
                (None, None) => break,
                (Some(of), None) => {
                    run.missing(&of, "missing_frame");
                    o = next_original()?;
                }
                (None, Some(rf)) => {
                    run.extra(&rf);
                    r = next_redacted()?;
                }
                (Some(mut of), Some(mut rf)) => {
                    let dt = rf.time().seconds - of.time().seconds;
                    if dt > tolerance {
                        run.missing(&of, "missing_frame");
                        o = next_original()?;
                        r = Some(rf);
                    } else if dt < -tolerance {
                        run.extra(&rf);
                        r = next_redacted()?;
                        o = Some(of);
                    } else {
                        run.max_offset = run.max_offset.max(dt.abs());
                        run.pair(&mut of, &mut rf, &mut masker, &mut checker)?;
                        o = next_original()?;
                        r = next_redacted()?;
                    }
                }
            }
        }
        drop((rx, rx_original));
        Ok(())
    })?;

    if let Some(m) = &manifest {
        let spans: Vec<Span> = masker.spans().iter().map(Span::from).collect();
        if spans != m.decisions {
            failures.push(Finding::file(
                "manifest",
                format!(
                    "the manifest's decisions ({} runs of frames) differ from the policy's now ({} runs): first difference at run {}",
                    m.decisions.len(),
                    spans.len(),
                    spans
                        .iter()
                        .zip(&m.decisions)
                        .position(|(a, b)| a != b)
                        .unwrap_or(spans.len().min(m.decisions.len()))
                ),
            ));
        }
        if m.frames != run.redacted_frames {
            failures.push(Finding::file(
                "manifest",
                format!(
                    "the manifest records {} frames, the redacted file has {}",
                    m.frames, run.redacted_frames
                ),
            ));
        }
        if let Some(report) = manifest_report.as_mut() {
            report.ok = !failures.iter().any(|f| f.check == "manifest");
            report.checked.extend(["decisions", "frames"]);
        }
    }

    let file_failures = failures.len();
    failures.extend(run.failures.iter().take(LISTED).cloned());
    let failed = file_failures > 0 || run.failed_frames > 0;
    let first = failures
        .iter()
        .find(|f| f.frame.is_none())
        .or(run.first.as_ref())
        .cloned();
    let worst = run
        .worst
        .clone()
        .filter(|w| w.failed)
        .or_else(|| failures.iter().find(|f| f.frame.is_none()).cloned())
        .or_else(|| run.worst.clone());
    let output = Output {
        original: args.original.clone(),
        redacted: args.redacted.clone(),
        camera: camera.id.clone(),
        config: args.site.clone(),
        config_sha256: config.sha256.clone(),
        start: info.start.map(|t| t.to_string()),
        start_source,
        style: settings.style.to_string(),
        frames: run.original_frames,
        redacted_frames: run.redacted_frames,
        failed_frames: run.failed_frames,
        max_time_offset: run.max_offset,
        verdict: if failed { "fail" } else { "pass" },
        first,
        worst,
        checks: run.checks.into_values().collect(),
        audio,
        manifest: manifest_report,
        converted: run.alignment.as_ref().map(describe_alignment),
        failures,
        limits: *checker.limits(),
    };
    if args.json {
        crate::text::print(&serde_json::to_string_pretty(&output)?)?;
    } else {
        crate::text::print(&summary(&output))?;
    }
    Ok(if failed {
        Exit::Negative
    } else {
        Exit::Success
    })
}

/// Decodes `decoder`'s frames on a thread of `scope`, handing them (and
/// the first error) through a short queue; stops when the receiver goes.
fn spawn_decoder<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    mut decoder: Decoder,
) -> mpsc::Receiver<sladd_ffmpeg::Result<DecodedFrame>> {
    let (tx, rx) = mpsc::sync_channel(4);
    scope.spawn(move || loop {
        match decoder.next_frame() {
            Ok(Some(frame)) => {
                if tx.send(Ok(frame)).is_err() {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                let _ = tx.send(Err(e));
                break;
            }
        }
    });
    rx
}

/// A usage error (exit 2).
fn usage(message: String) -> anyhow::Error {
    anyhow::Error::new(Failure {
        exit: Exit::Usage,
        message,
    })
}

/// The start and style to verify with: the manifest's, which the flags
/// must not contradict, else the flags'.
fn settle(args: &Args, camera: &Camera, manifest: Option<&Manifest>) -> Result<Settings> {
    let clock = crate::clock::judge(camera, Timestamp::now());
    let Some(m) = manifest else {
        return Ok(Settings {
            start: args.start,
            style: args.style.unwrap_or_else(Style::fill),
            clock,
        });
    };
    if m.camera != camera.id {
        return Err(usage(format!(
            "the manifest was written for camera '{}', --camera says '{}'",
            m.camera, camera.id
        )));
    }
    let recorded: Option<Timestamp> = match &m.start {
        Some(s) => Some(
            s.parse()
                .map_err(|e| usage(format!("the manifest's start '{s}' is not an instant: {e}")))?,
        ),
        None => None,
    };
    if let Some(start) = args.start {
        if Some(start) != recorded {
            return Err(usage(format!(
                "--start {start} contradicts the manifest's start ({})",
                m.start.as_deref().unwrap_or("unknown")
            )));
        }
    }
    let style: Style = m
        .style
        .parse()
        .map_err(|e| usage(format!("the manifest's style '{}': {e}", m.style)))?;
    if let Some(given) = args.style {
        if given != style {
            return Err(usage(format!(
                "--style {given} contradicts the manifest's style {style}"
            )));
        }
    }
    let start = match m.start_source.as_str() {
        "option" => recorded,
        _ => args.start,
    };
    let clock = if m.start_source == "unknown" {
        crate::clock::distrusted()
    } else {
        clock
    };
    Ok(Settings {
        start,
        style,
        clock,
    })
}

/// Checks the manifest's hashes against the files; mismatches become
/// findings. Returns what was checked.
fn check_hashes(
    m: &Manifest,
    args: &Args,
    config: &manifest::ConfigEntry,
    failures: &mut Vec<Finding>,
) -> Result<Vec<&'static str>> {
    let input = manifest::file_entry(&args.original)
        .with_context(|| format!("reading {}", args.original.display()))
        .map_err(|e| input_error(&e))?;
    let output = manifest::file_entry(&args.redacted)
        .with_context(|| format!("reading {}", args.redacted.display()))
        .map_err(|e| input_error(&e))?;
    for (what, file, actual, recorded) in [
        ("input", &args.original, &input.sha256, &m.input.sha256),
        ("output", &args.redacted, &output.sha256, &m.output.sha256),
        ("config", &args.site, &config.sha256, &m.config.sha256),
    ] {
        if actual != recorded {
            failures.push(Finding::file(
                "manifest",
                format!(
                    "{what} sha256 differs from the manifest: {} has {actual}, the manifest records {recorded}",
                    file.display()
                ),
            ));
        }
    }
    Ok(vec![
        "input sha256",
        "output sha256",
        "config sha256",
        "camera",
        "start",
        "style",
    ])
}

fn input_error(e: &anyhow::Error) -> anyhow::Error {
    anyhow::Error::new(Failure {
        exit: Exit::Input,
        message: format!("{e:#}"),
    })
}

/// The tallies of one verification.
#[derive(Debug, Default)]
struct Run {
    /// Whether the original is interlaced (checked field by field).
    interlaced: bool,
    /// Brings re-exported frames to the original's format and range.
    aligner: Aligner,
    /// What the frames were brought to, when they had to be.
    alignment: Option<Alignment>,
    original_frames: u64,
    redacted_frames: u64,
    failed_frames: u64,
    max_offset: f64,
    first: Option<Finding>,
    worst: Option<Finding>,
    failures: Vec<Finding>,
    checks: BTreeMap<&'static str, CheckSummary>,
}

impl Run {
    /// An original frame the redacted file lacks.
    fn missing(&mut self, frame: &DecodedFrame, check: &'static str) {
        self.original_frames += 1;
        let t = frame.time();
        self.fail(Finding {
            frame: Some(t.index),
            seconds: Some(t.seconds),
            ..Finding::file(
                check,
                format!(
                    "original frame {} at {:.3} s has no frame in the redacted file",
                    t.index, t.seconds
                ),
            )
        });
    }

    /// A redacted frame without an original one.
    fn extra(&mut self, frame: &DecodedFrame) {
        self.redacted_frames += 1;
        let t = frame.time();
        self.fail(Finding {
            redacted_frame: Some(t.index),
            seconds: Some(t.seconds),
            ..Finding::file(
                "extra_frame",
                format!(
                    "redacted frame {} at {:.3} s has no frame in the original",
                    t.index, t.seconds
                ),
            )
        });
    }

    fn fail(&mut self, finding: Finding) {
        self.failed_frames += 1;
        if self.first.is_none() {
            self.first = Some(finding.clone());
        }
        if self
            .worst
            .as_ref()
            .is_none_or(|w| finding.severity > w.severity)
        {
            self.worst = Some(finding.clone());
        }
        self.failures.push(finding);
    }

    /// Checks one pair of frames shown at the same time: brought to one
    /// pixel format and range first (a re-export may change them), field
    /// by field when the video is interlaced (as `redact` masks it).
    fn pair(
        &mut self,
        original: &mut DecodedFrame,
        redacted: &mut DecodedFrame,
        masker: &mut CameraMasker,
        checker: &mut FrameChecker,
    ) -> Result<()> {
        self.original_frames += 1;
        self.redacted_frames += 1;
        let time = *original.time();
        let redacted_index = redacted.time().index;
        if let Some(alignment) = self.aligner.align(original, redacted)? {
            self.alignment.get_or_insert(alignment);
        }
        let by_field = (self.interlaced || original.is_interlaced())
            && original.splits_into_fields()
            && redacted.splits_into_fields();
        let parts: &[Option<Field>] = if by_field {
            &[Some(Field::Top), Some(Field::Bottom)]
        } else {
            &[None]
        };
        let mut outcomes = Vec::new();
        for &part in parts {
            let (ov, rv) = match part {
                None => (original.view()?, redacted.view()?),
                Some(field) => (original.field_view(field)?, redacted.field_view(field)?),
            };
            let (key_o, key_r) = (
                (ov.format(), ov.width(), ov.height()),
                (rv.format(), rv.width(), rv.height()),
            );
            if key_o != key_r {
                self.fail(Finding {
                    frame: Some(time.index),
                    redacted_frame: Some(redacted_index),
                    seconds: Some(time.seconds),
                    ..Finding::file(
                        "format",
                        format!(
                            "frame {}: the original is {} {}x{}, the redaction {} {}x{}",
                            time.index,
                            key_o.0.name(),
                            key_o.1,
                            key_o.2,
                            key_r.0.name(),
                            key_r.1,
                            key_r.2
                        ),
                    )
                });
                return Ok(());
            }
            masker.set_geometry(key_r.0, key_r.1, key_r.2)?;
            masker.seek_frame(time.index);
            let (_, redaction) = masker.redaction_at(time.instant)?;
            for mut outcome in checker.check(&ov, &rv, Some(redaction))? {
                // Field rows back to the frame's.
                if let Some(field) = part {
                    outcome.measure.y = 2 * outcome.measure.y + u32::from(field == Field::Bottom);
                }
                outcomes.push(outcome);
            }
        }
        let zones = masker
            .spans()
            .last()
            .map(|s| s.masked_zones.clone())
            .unwrap_or_default();
        let mut frame_failed = false;
        let mut frame_worst: Option<&Outcome> = None;
        let mut seen: Vec<&'static str> = Vec::new();
        let mut failed_checks: Vec<&'static str> = Vec::new();
        for outcome in &outcomes {
            let m = &outcome.measure;
            let entry = self.checks.entry(outcome.check).or_insert(CheckSummary {
                check: outcome.check,
                frames: 0,
                failed_frames: 0,
                worst_value: m.value,
                limit: m.limit,
                worst_severity: f64::MIN,
            });
            if !seen.contains(&outcome.check) {
                entry.frames += 1;
                seen.push(outcome.check);
            }
            if !m.passed() {
                if !failed_checks.contains(&outcome.check) {
                    entry.failed_frames += 1;
                    failed_checks.push(outcome.check);
                }
                frame_failed = true;
            }
            if m.severity() > entry.worst_severity {
                entry.worst_severity = m.severity();
                entry.worst_value = m.value;
                entry.limit = m.limit;
            }
            if frame_worst.is_none_or(|w| m.severity() > w.measure.severity()) {
                frame_worst = Some(outcome);
            }
        }
        let Some(worst) = frame_worst else {
            return Ok(());
        };
        let finding = Finding {
            frame: Some(time.index),
            redacted_frame: Some(redacted_index),
            seconds: Some(time.seconds),
            check: worst.check,
            plane: Some(worst.plane),
            style: worst.style.map(|s| s.to_string()),
            zones,
            x: Some(worst.measure.x),
            y: Some(worst.measure.y),
            value: Some(finite(worst.measure.value)),
            limit: Some(worst.measure.limit),
            failed: frame_failed,
            message: describe(worst, time.index),
            severity: worst.measure.severity(),
        };
        if frame_failed {
            self.fail(finding);
        } else if self
            .worst
            .as_ref()
            .is_none_or(|w| !w.failed && finding.severity > w.severity)
        {
            self.worst = Some(finding);
        }
        Ok(())
    }
}

/// What the frames were converted to, in words.
fn describe_alignment(a: &Alignment) -> String {
    let which = match a.converted {
        [true, true] => "both files",
        [true, false] => "the original",
        _ => "the redaction",
    };
    let range = if a.full_range { "full" } else { "limited" };
    format!(
        "{which} decoded to {} ({range} range) for the checks: the files differ in pixel format or range",
        a.format
    )
}

/// PSNR of identical samples is infinite; JSON has no infinity: 100 dB.
fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        100.0
    }
}

/// One sentence on a check's figures.
fn describe(outcome: &Outcome, frame: u64) -> String {
    let Measure {
        value,
        limit,
        x,
        y,
        extra,
        ..
    } = outcome.measure;
    let verdict = if outcome.measure.passed() {
        "ok"
    } else {
        "FAILED"
    };
    let plane = match outcome.plane {
        0 => "luma",
        _ => "chroma",
    };
    match (outcome.check, extra) {
        ("outside", _) => format!(
            "frame {frame}: outside the masks PSNR {:.1} dB (limit {limit:.0} dB), largest difference at ({x}, {y}): {verdict}",
            finite(value)
        ),
        ("blur", Some((corr, corr_limit))) => format!(
            "frame {frame}: blur on {plane}: detail {value:.2} (limit {limit:.2}), correlation with the original {corr:.2} (limit {corr_limit:.2}), most detail at ({x}, {y}): {verdict}"
        ),
        (check, Some((max, max_limit))) => format!(
            "frame {frame}: {check} on {plane}: 99th percentile deviation {value:.0} (limit {limit:.0}), largest {max:.0} (limit {max_limit:.0}) at ({x}, {y}): {verdict}"
        ),
        (check, None) => format!("frame {frame}: {check} {value:.2} (limit {limit:.2}): {verdict}"),
    }
}

/// The human-readable report.
fn summary(o: &Output) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "original   {}", o.original.display());
    let _ = writeln!(out, "redacted   {}", o.redacted.display());
    let _ = writeln!(
        out,
        "camera     {}, start {} ({}), style {}",
        o.camera,
        o.start.as_deref().unwrap_or("unknown"),
        o.start_source,
        o.style
    );
    let _ = writeln!(
        out,
        "frames     {} original, {} redacted, {} failed",
        o.frames, o.redacted_frames, o.failed_frames
    );
    for c in &o.checks {
        let unit = if c.check == "outside" { " dB" } else { "" };
        let what = if c.check == "outside" {
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
    if let Some(m) = &o.manifest {
        let _ = writeln!(
            out,
            "manifest   {}: {} ({})",
            m.path.display(),
            if m.ok { "ok" } else { "FAILED" },
            m.checked.join(", ")
        );
    }
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
        if o.verdict == "pass" {
            "PASS: every frame is redacted as the policy says"
        } else {
            "FAIL: see above"
        }
    );
    out
}
