//! The third step: the file closed, read back and checked against what
//! was written ([`super::check`]), and what the run did.

use std::path::Path;
use std::time::Instant;

use super::check::check_written;
use super::open::{Muxer, SubstreamWritten};
use super::pipeline::{Counts, Run};
use super::{Report, SubstreamReport};
use crate::decode::{Decoder, VideoInfo};
use crate::error::{Error, Result};

/// Closes the output, checks it, and reports the run (the trailer was
/// written by the pipeline's last step).
///
/// # Errors
/// [`Error::NoFrames`] when not one frame was written;
/// [`Error::OutputCheck`] when the file does not read back as written.
pub(super) fn finish(
    muxer: Muxer,
    run: Run,
    info: &VideoInfo,
    input: &Path,
    output: &Path,
    started: Instant,
) -> Result<Report> {
    let frames = muxer.frames();
    if frames == 0 {
        return Err(Error::NoFrames {
            path: input.to_path_buf(),
        });
    }
    let mut closed = muxer.close();
    check_written(&closed.written)?;
    if info.start.is_none() {
        if let Some(why) = info
            .creation_time
            .as_ref()
            .and_then(|c| c.rejected.as_ref())
        {
            closed
                .notes
                .push(format!("{why}: the recording's start is taken as unknown"));
        }
    }
    let substreams = substream_reports(&closed.substreams, &run.substreams);
    closed
        .notes
        .extend(substreams.iter().map(SubstreamReport::note));
    let elapsed = started.elapsed();
    let frame_rate = info.frame_rate.map(f64::from);
    Ok(Report {
        input: input.to_path_buf(),
        output: output.to_path_buf(),
        frames,
        masked_frames: run.counts.masked,
        full_frame_masked: run.counts.full,
        skipped: run.decoder.skipped(),
        audio: closed.audio,
        seconds: run.last_seconds + frame_rate.map_or(0.0, |r| 1.0 / r),
        fps: frames as f64 / elapsed.as_secs_f64().max(1e-9),
        frame_rate,
        elapsed,
        encoder: closed.encoder,
        start: info.start,
        notes: closed.notes,
        dropped: closed.dropped,
        substreams,
    })
}

/// What was written for each substream, with its counts.
fn substream_reports(
    written: &[SubstreamWritten],
    ended: &[(Decoder, Counts)],
) -> Vec<SubstreamReport> {
    written
        .iter()
        .zip(ended)
        .map(|(w, (decoder, counts))| SubstreamReport {
            input_index: w.source,
            output_index: w.index,
            width: w.width,
            height: w.height,
            frames: w.frames,
            masked_frames: counts.masked,
            full_frame_masked: counts.full,
            skipped: decoder.skipped(),
            encoder: w.encoder.clone(),
        })
        .collect()
}
