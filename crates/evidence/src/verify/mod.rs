//! `verify_files`: decode an original and its redaction in lockstep with
//! FFmpeg and check every frame against the masks the policy gives at that
//! frame's instant (feature `ffmpeg`); every substream too
//! ([`substreams`]).

mod substreams;

use std::path::Path;
use std::sync::mpsc;

use jiff::Timestamp;
use sladd_core::{PixelFormat, Style};
use sladd_ffmpeg::pixel::Field;
use sladd_ffmpeg::{
    Aligner, Alignment as Conversion, ClockJudge, DecodedFrame, Decoder, DecoderOptions, VideoInfo,
};
use sladd_policy::{Camera, CameraMasker};

use crate::align::{Alignment, Step};
use crate::c2pa::C2paReport;
use crate::check::{Check, FrameChecker, Limits, Outcome};
use crate::error::{Error, Result};
use crate::manifest::{ConfigEntry, Manifest, ManifestField, Span, StartSource, Version};
use crate::report::{AudioReport, Finding, FrameAt, Header, ManifestReport, Tally, VerifyReport};
use crate::settings::Settings;
use crate::signature::{check_signature, PublicKey, SignatureReport};

/// What to verify.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// When the original's `creation_time` is believed, as redacting
    /// judged it (the camera's clock rule at the time of the run). A
    /// manifest that says the start was unknown overrides it: then no
    /// `creation_time` is believed.
    pub clock: &'a ClockJudge,
    /// The original video.
    pub original: &'a Path,
    /// Its redaction.
    pub redacted: &'a Path,
    /// The site file the redaction was made with.
    pub config: &'a Path,
    /// The camera that recorded the original, from that site file.
    pub camera: &'a Camera,
    /// The recording's start, as given when redacting (`None`: the
    /// original's `creation_time`, else unknown).
    pub start: Option<Timestamp>,
    /// The default style given when redacting (`None`: the manifest's, else fill).
    pub style: Option<Style>,
    /// The manifest written beside the redaction, read, and where it was.
    pub manifest: Option<(&'a Path, &'a Manifest)>,
    /// The limits of the frame checks.
    pub limits: Limits,
    /// Check the manifest's signature.
    pub signature: Option<SignatureRequest<'a>>,
    /// Trust anchors (PEM certificates) for the C2PA manifest embedded in
    /// an MP4/MOV redaction; without, its trust is not judged. An embedded
    /// manifest is read in either case when the crate is built with the
    /// feature `c2pa`; without it, giving trust anchors is an error.
    pub trust_anchors: Option<&'a str>,
}

/// How to check the manifest's signature.
#[derive(Debug, Clone, Copy)]
pub struct SignatureRequest<'a> {
    /// The key it must be made with.
    pub key: &'a PublicKey,
    /// Whether an unsigned manifest fails.
    pub required: bool,
}

/// Verifies `request.redacted` against `request.original`: frame counts and
/// times, every paired frame with a [`FrameChecker`], audio against the
/// policy, and with a manifest its hashes, settings and decisions. Every
/// frame is decided by a [`CameraMasker`] for the camera, the default
/// style and the original's display rotation: the masks a redaction with
/// those settings applies.
///
/// # Errors
/// [`Error::Contradiction`] when the request contradicts the manifest,
/// [`Error::Io`] when a file cannot be hashed, [`Error::Media`] when a
/// video cannot be decoded, [`Error::Decide`] when the masks cannot be
/// built. A redaction that fails a check is not an error: see the report's
/// verdict.
pub fn verify_files(request: &Request<'_>) -> Result<VerifyReport> {
    let manifest = request.manifest.map(|(_, m)| m);
    let settings = Settings::reconcile(manifest, &request.camera.id, request.start, request.style)?;
    let config = ConfigEntry::of(request.config, Version::CURRENT)?;
    sladd_ffmpeg::init()?;

    let mut findings: Vec<Finding> = Vec::new();
    let signature = signature_of(request, &mut findings)?;
    if let Some(m) = manifest {
        let mismatches = m.check_files(request.original, request.redacted, request.config)?;
        findings.extend(mismatches.into_iter().map(Finding::from));
    }

    let distrusted = manifest
        .is_some_and(|m| m.start_source == StartSource::Unknown)
        .then(distrusted);
    let original_options = DecoderOptions {
        start: settings.start,
        clock: distrusted.unwrap_or_else(|| request.clock.clone()),
        ..DecoderOptions::default()
    };
    let original = Decoder::open(request.original, &original_options)?;
    let redacted = Decoder::open(request.redacted, &DecoderOptions::default())?;
    let info = original.info().clone();

    let allowed = request.camera.audio_allowed();
    let audio = AudioReport {
        original_streams: info.audio_streams.len(),
        redacted_streams: redacted.info().audio_streams.len(),
        allowed,
        ok: allowed || redacted.info().audio_streams.is_empty(),
    };
    if !audio.ok {
        findings.push(Finding::file(
            Check::Audio,
            format!(
                "the redacted file has {} audio stream(s) but the policy forbids audio on camera {}",
                audio.redacted_streams, request.camera.id
            ),
        ));
    }

    let mut masker = masker_for(request, settings.style, &info)?;
    let mut checker = FrameChecker::new(request.limits);
    let align = Alignment::for_frame_rate(info.frame_rate.map(f64::from));
    let mut tally = Tally::new();
    let mut pairs = PairChecker::new(&mut masker, &mut checker, &info);
    check_frames(original, redacted, align, &mut pairs, &mut tally)?;
    let converted = pairs.conversion.as_ref().map(describe_conversion);
    let substreams = substreams::check(request, &original_options, settings.style)?;
    findings.extend(substreams.findings);

    let decisions: Vec<Span> = masker.spans().iter().map(Span::from).collect();
    let c2pa = content_credentials(request, &decisions, info.start)?;
    if let Some(c) = c2pa.as_ref().filter(|c| !c.ok) {
        let problems = c.problems.join("; ");
        let message = format!("C2PA manifest {}: {problems}", c.state);
        findings.push(Finding::file(Check::C2pa, message));
    }
    let manifest_report = request.manifest.map(|(path, m)| {
        let mut mismatches = m.check_decisions(&decisions, tally.redacted_frames());
        mismatches.extend(m.check_substreams(&substreams.seen));
        manifest_report(path, mismatches, &mut findings)
    });
    let header = Header {
        original: request.original.to_owned(),
        redacted: request.redacted.to_owned(),
        camera: request.camera.id.clone(),
        config: request.config.to_owned(),
        config_sha256: config.sha256,
        start: info.start,
        start_source: StartSource::of(settings.start, info.start),
        style: settings.style,
    };
    let mut report = tally.finish(header, request.limits, audio, manifest_report, findings);
    report.converted = converted;
    report.substreams = substreams.lines;
    report.signature = signature;
    report.c2pa = c2pa;
    Ok(report)
}

/// The manifest's report, its `mismatches` with what verifying found added
/// to the findings.
fn manifest_report(
    path: &Path,
    mismatches: Vec<crate::Mismatch>,
    findings: &mut Vec<Finding>,
) -> ManifestReport {
    findings.extend(mismatches.into_iter().map(Finding::from));
    ManifestReport {
        path: path.to_owned(),
        ok: !findings.iter().any(|f| f.check == Check::Manifest),
        checked: ManifestField::BEFORE_FRAMES
            .into_iter()
            .chain(ManifestField::AFTER_FRAMES)
            .collect(),
    }
}

/// Checks the manifest's signature when the request asks for it; a
/// signature that fails is a finding.
///
/// # Errors
/// [`Error::Contradiction`] when a signature is to be checked without a
/// manifest, or trust anchors are given to a build that reads no C2PA;
/// [`Error::BadSignatureFile`] when the signature file is not one.
fn signature_of(
    request: &Request<'_>,
    findings: &mut Vec<Finding>,
) -> Result<Option<SignatureReport>> {
    if request.trust_anchors.is_some() && !cfg!(feature = "c2pa") {
        return Err(Error::Contradiction(
            "trust anchors were given, but this build reads no C2PA manifests (feature c2pa)"
                .into(),
        ));
    }
    let report = match (request.signature, request.manifest) {
        (None, _) => return Ok(None),
        (Some(s), Some((path, m))) => check_signature(path, m, s.key, s.required)?,
        (Some(_), None) => {
            return Err(Error::Contradiction(
                "a signature is checked on a manifest: give the manifest".into(),
            ))
        }
    };
    if !report.ok {
        let message = format!("signature {}", report.message);
        findings.push(Finding::file(Check::Signature, message));
    }
    Ok(Some(report))
}

/// Reads the C2PA manifest embedded in the redaction, if any, and checks it
/// against the regions the policy gives for `decisions` and the manifest.
#[cfg(feature = "c2pa")]
fn content_credentials(
    request: &Request<'_>,
    decisions: &[Span],
    start: Option<Timestamp>,
) -> Result<Option<C2paReport>> {
    if crate::c2pa::format_of(request.redacted).is_none() {
        return Ok(None);
    }
    let Some(found) = crate::c2pa::read(request.redacted, request.trust_anchors)? else {
        return Ok(None);
    };
    let expected = crate::c2pa::regions(request.camera, decisions, start)?;
    let sidecar = request.manifest.map(|(_, m)| m);
    Ok(Some(crate::c2pa::check(found, &expected, sidecar)))
}

/// Without the feature `c2pa` embedded manifests are not read.
#[cfg(not(feature = "c2pa"))]
fn content_credentials(
    _: &Request<'_>,
    _: &[Span],
    _: Option<Timestamp>,
) -> Result<Option<C2paReport>> {
    Ok(None)
}

/// A frame's place for the report.
fn at(frame: &DecodedFrame) -> FrameAt {
    FrameAt {
        index: frame.time().index,
        seconds: frame.time().seconds,
    }
}

/// The masker that decides the frames of the original `info` describes:
/// the camera's, with `style`, as redacting builds it.
///
/// # Errors
/// [`Error::Decide`] when the masks cannot be built.
fn masker_for(request: &Request<'_>, style: Style, info: &VideoInfo) -> Result<CameraMasker> {
    // The geometry follows each paired frame (`PairChecker::check`).
    let mut masker = CameraMasker::for_camera(request.camera, PixelFormat::Yuv420p, 1, 1)
        .map_err(Error::Decide)?;
    masker.set_style(style);
    // Zones are drawn on the picture as players show it: decide with the
    // original's display rotation, as redacting does.
    masker.set_rotation(info.rotation);
    Ok(masker)
}

/// Checks every frame of `redacted` against `original`'s frame shown at
/// the same time with `pairs`, tallying missing and extra frames too.
fn check_frames(
    original: Decoder,
    redacted: Decoder,
    align: Alignment,
    pairs: &mut PairChecker<'_>,
    tally: &mut Tally,
) -> Result<()> {
    lockstep(original, redacted, align, |pair| match pair {
        Pair::Missing(o) => {
            tally.missing(at(o));
            Ok(())
        }
        Pair::Extra(r) => {
            tally.extra(at(r));
            Ok(())
        }
        Pair::Both(o, r) => pairs.check(o, r, tally),
    })
}

/// What [`lockstep`] hands on.
enum Pair<'f> {
    Missing(&'f DecodedFrame),
    Extra(&'f DecodedFrame),
    Both(&'f mut DecodedFrame, &'f mut DecodedFrame),
}

/// Decodes both videos on threads of their own and hands their frames to
/// `on` paired by [`Alignment`], in order, until both end.
fn lockstep(
    original: Decoder,
    redacted: Decoder,
    align: Alignment,
    mut on: impl FnMut(Pair<'_>) -> Result<()>,
) -> Result<()> {
    std::thread::scope(|scope| -> Result<()> {
        let rx_original = spawn_decoder(scope, original);
        let rx_redacted = spawn_decoder(scope, redacted);
        let next = |rx: &mpsc::Receiver<_>| rx.recv().ok().transpose();
        let mut o: Option<DecodedFrame> = next(&rx_original)?;
        let mut r: Option<DecodedFrame> = next(&rx_redacted)?;
        let seconds = |f: &Option<DecodedFrame>| f.as_ref().map(|f| f.time().seconds);
        while let Some(step) = align.step(seconds(&o), seconds(&r)) {
            match (step, o.as_mut(), r.as_mut()) {
                (Step::Missing, Some(of), _) => {
                    on(Pair::Missing(of))?;
                    o = next(&rx_original)?;
                }
                (Step::Extra, _, Some(rf)) => {
                    on(Pair::Extra(rf))?;
                    r = next(&rx_redacted)?;
                }
                (Step::Pair, Some(of), Some(rf)) => {
                    on(Pair::Both(of, rf))?;
                    o = next(&rx_original)?;
                    r = next(&rx_redacted)?;
                }
                // `step` names only frames that are there.
                _ => break,
            }
        }
        Ok(())
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

/// Believes no `creation_time`: the recording's start was found unknown
/// when it was redacted (its manifest says so).
fn distrusted() -> ClockJudge {
    ClockJudge::new(|start| {
        Err(format!(
            "creation_time {start} was not trusted when the recording was redacted"
        ))
    })
}

/// Checks the pairs of frames of one verification.
struct PairChecker<'a> {
    masker: &'a mut CameraMasker,
    checker: &'a mut FrameChecker,
    /// Whether the original is interlaced (checked field by field).
    interlaced: bool,
    /// Brings re-exported frames to the original's format and range.
    aligner: Aligner,
    /// What the frames were brought to, when they had to be.
    conversion: Option<Conversion>,
}

impl<'a> PairChecker<'a> {
    /// Checks pairs of the video `info` describes with `masker`'s masks.
    fn new(masker: &'a mut CameraMasker, checker: &'a mut FrameChecker, info: &VideoInfo) -> Self {
        Self {
            masker,
            checker,
            interlaced: info.field_order.is_interlaced(),
            aligner: Aligner::default(),
            conversion: None,
        }
    }

    /// Checks one pair of frames shown at the same time: brought to one
    /// pixel format and range first (a re-export may change them), field
    /// by field when the video is interlaced (as redacting masks it).
    fn check(
        &mut self,
        original: &mut DecodedFrame,
        redacted: &mut DecodedFrame,
        tally: &mut Tally,
    ) -> Result<()> {
        let (o_at, r_at) = (at(original), at(redacted));
        if let Some(conversion) = self.aligner.align(original, redacted)? {
            self.conversion.get_or_insert(conversion);
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
            let Some(found) = self.check_part(original, redacted, part, tally)? else {
                return Ok(());
            };
            outcomes.extend(found);
        }
        let zones = self
            .masker
            .spans()
            .last()
            .map_or(&[][..], |s| &s.masked_zones[..]);
        tally.frame(o_at, r_at, &outcomes, zones);
        Ok(())
    }

    /// The outcomes of one frame (`part` `None`) or one field, rows counted
    /// in the frame's; `None` when the two differ in format or size (the
    /// tally has the mismatch).
    fn check_part(
        &mut self,
        original: &mut DecodedFrame,
        redacted: &mut DecodedFrame,
        part: Option<Field>,
        tally: &mut Tally,
    ) -> Result<Option<Vec<Outcome>>> {
        let (o_at, r_at) = (at(original), at(redacted));
        let time = *original.time();
        let (ov, rv) = match part {
            None => (original.view()?, redacted.view()?),
            Some(field) => (original.field_view(field)?, redacted.field_view(field)?),
        };
        let key_o = (ov.format(), ov.width(), ov.height());
        let key_r = (rv.format(), rv.width(), rv.height());
        if key_o != key_r {
            tally.mismatch(o_at, r_at, [key_o, key_r]);
            return Ok(None);
        }
        let (format, width, height) = key_r;
        self.masker
            .set_geometry(format, width, height)
            .map_err(Error::Decide)?;
        self.masker.seek_frame(time.index);
        let (_, redaction) = self
            .masker
            .redaction_at(time.instant)
            .map_err(Error::Decide)?;
        let mut outcomes = self.checker.check(&ov, &rv, Some(redaction))?;
        if let Some(field) = part {
            // Field rows back to the frame's.
            for outcome in &mut outcomes {
                outcome.measure.y = 2 * outcome.measure.y + u32::from(field == Field::Bottom);
            }
        }
        Ok(Some(outcomes))
    }
}

/// What the frames were converted to, in words.
fn describe_conversion(c: &Conversion) -> String {
    let which = match c.converted {
        [true, true] => "both files",
        [true, false] => "the original",
        _ => "the redaction",
    };
    let range = if c.full_range { "full" } else { "limited" };
    format!(
        "{which} decoded to {} ({range} range) for the checks: the files differ in pixel format or range",
        c.format
    )
}
