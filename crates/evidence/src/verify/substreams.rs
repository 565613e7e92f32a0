//! The redaction's video streams besides the main one (a camera's
//! substreams at other resolutions): each checked as the main one is,
//! against the original's stream of the same size, every frame decided at
//! its own instant as redacting decides it.

use sladd_core::Style;
use sladd_ffmpeg::{Decoder, DecoderOptions};

use super::{check_frames, masker_for, PairChecker, Request};
use crate::align::Alignment;
use crate::check::{Check, FrameChecker};
use crate::error::Result;
use crate::manifest::SubstreamSeen;
use crate::report::{Finding, Tally};

/// What checking the substreams found: one line per redacted substream,
/// the failures, and each stream as the manifest's check compares it.
#[derive(Default)]
pub(super) struct Checked {
    pub(super) lines: Vec<String>,
    pub(super) findings: Vec<Finding>,
    pub(super) seen: Vec<SubstreamSeen>,
}

/// Checks every substream of `request.redacted` against the original's
/// first unpaired substream of the same size (the original opened with
/// `options`), masked with `style`. A redacted substream no original one
/// matches is a failure; an original one the redaction lacks was left
/// out, as its report says.
///
/// # Errors
/// [`Error::Media`] when a stream cannot be decoded, [`Error::Decide`]
/// when the masks cannot be built.
pub(super) fn check(
    request: &Request<'_>,
    options: &DecoderOptions,
    style: Style,
) -> Result<Checked> {
    let original_main = Decoder::open(request.original, options)?;
    let redacted_main = Decoder::open(request.redacted, &DecoderOptions::default())?;
    let mut originals = Vec::new();
    for index in original_main.substreams() {
        let mut decoder = Decoder::open_stream(request.original, index, options)?;
        decoder.time_from(&original_main);
        originals.push(Some(decoder));
    }
    let mut checked = Checked::default();
    for index in redacted_main.substreams() {
        let mut redacted =
            Decoder::open_stream(request.redacted, index, &DecoderOptions::default())?;
        redacted.time_from(&redacted_main);
        let size = (redacted.info().width, redacted.info().height);
        let mut seen = SubstreamSeen {
            index,
            width: size.0,
            height: size.1,
            frames: None,
        };
        let Some(original) = originals
            .iter_mut()
            .find(|o| {
                o.as_ref()
                    .is_some_and(|o| (o.info().width, o.info().height) == size)
            })
            .and_then(Option::take)
        else {
            checked.seen.push(seen);
            checked.findings.push(Finding::file(
                Check::Format,
                format!(
                    "the redacted file's video stream #{index} ({}x{}) has no stream of its size in the original to be checked against",
                    size.0, size.1
                ),
            ));
            continue;
        };
        let source = original.info().stream_index;
        let tally = check_pair(request, original, redacted, style)?;
        let (frames, failed) = (tally.original_frames(), tally.failed_frames());
        seen.frames = Some(tally.redacted_frames());
        checked.seen.push(seen);
        checked.lines.push(format!(
            "video stream #{index} ({}x{}) against the original's #{source}: {frames} frames, {failed} failed",
            size.0, size.1
        ));
        if let Some(first) = tally.first_failure() {
            checked.findings.push(Finding::file(
                first.check,
                format!(
                    "video stream #{index}: {failed} of {frames} frames fail; first: {}",
                    first.message
                ),
            ));
        }
    }
    Ok(checked)
}

/// Checks one redacted substream against its original, frame by frame.
fn check_pair(
    request: &Request<'_>,
    original: Decoder,
    redacted: Decoder,
    style: Style,
) -> Result<Tally> {
    let info = original.info().clone();
    let mut masker = masker_for(request, style, &info)?;
    let mut checker = FrameChecker::new(request.limits);
    let mut pairs = PairChecker::new(&mut masker, &mut checker, &info);
    let mut tally = Tally::new();
    let align = Alignment::for_frame_rate(info.frame_rate.map(f64::from));
    check_frames(original, redacted, align, &mut pairs, &mut tally)?;
    Ok(tally)
}
