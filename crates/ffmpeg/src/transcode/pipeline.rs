//! The second step: decode → mask → encode + mux, each stage on its own
//! thread, joined by bounded channels (see the module docs of
//! [`super`]).

use std::sync::mpsc;

use ffmpeg_next::Packet;

use super::open::Muxer;
use super::Progress;
use crate::decode::{Decoder, FramePool, Item};
use crate::error::{Error, Result};
use crate::mask::{FrameMasker, MaskOutcome};
use crate::pixel::Field;
use crate::time::FrameTime;

/// Masked frames allowed to wait for the encoder: enough to keep it fed
/// while the masker works on the next frame, few enough to keep memory flat.
const MASKED_QUEUE: usize = 2;

/// What a finished pipeline hands back.
pub(super) struct Run {
    /// The decoder, at the end of the input.
    pub(super) decoder: Decoder,
    /// Frames masked, and masked whole.
    pub(super) counts: Counts,
    /// The last frame's time, seconds from the start.
    pub(super) last_seconds: f64,
}

/// Runs the stages until the input ends or one fails: decoding on a
/// thread, masking on another, encoding and muxing on the caller's.
/// `queue` decoded frames may wait for the masker.
///
/// # Errors
/// The first error of any stage; [`Error::MaskThread`] and
/// [`Error::DecodeThread`] when a stage panicked. A frame that could not
/// be masked is never passed on.
pub(super) fn run<M, P>(
    mut decoder: Decoder,
    masker: &mut M,
    muxer: &mut Muxer,
    queue: usize,
    progress: &mut P,
) -> Result<Run>
where
    M: FrameMasker + Send,
    P: FnMut(Progress),
{
    let total_estimate = decoder.info().frames_estimate;
    let interlaced = decoder.info().field_order.is_interlaced();
    let mut counts = Counts::default();
    let mut last_seconds = 0.0_f64;
    std::thread::scope(|scope| -> Result<Run> {
        let (tx, rx) = mpsc::sync_channel::<Result<Item>>(queue.max(1));
        let (masked_tx, masked_rx) = mpsc::sync_channel::<Result<Staged>>(MASKED_QUEUE);
        let decode_stage = scope.spawn(move || {
            loop {
                let item = decoder.next_item();
                let done = !matches!(item, Ok(Some(_)));
                let sent = match item {
                    Ok(Some(item)) => tx.send(Ok(item)),
                    Ok(None) => break,
                    Err(e) => tx.send(Err(e)),
                };
                if done || sent.is_err() {
                    break;
                }
            }
            decoder
        });
        let mask_stage = scope.spawn(move || {
            let mut pool = FramePool::new();
            for item in rx.iter() {
                // A frame that could not be masked is never passed on: the
                // error goes downstream instead and this stage stops.
                let staged =
                    item.and_then(|item| mask_item(item, &mut *masker, &mut pool, interlaced));
                let failed = staged.is_err();
                if masked_tx.send(staged).is_err() || failed {
                    break;
                }
            }
            // Dropping `rx` here stops the decoder early after a failure.
        });

        let written = (|| -> Result<()> {
            for staged in masked_rx.iter() {
                match staged? {
                    Staged::Packet(packet) => muxer.write_passed(packet)?,
                    Staged::Frame { raw, time, outcome } => {
                        counts.add(outcome);
                        last_seconds = time.seconds;
                        muxer.write_frame(raw)?;
                        progress(Progress {
                            frames_done: muxer.frames(),
                            total_estimate,
                        });
                    }
                }
            }
            muxer.finish()
        })();
        drop(masked_rx);
        let masked = mask_stage.join().map_err(|_| Error::MaskThread);
        let decoder = decode_stage.join().map_err(|_| Error::DecodeThread)?;
        masked?;
        written?;
        Ok(Run {
            decoder,
            counts,
            last_seconds,
        })
    })
}

/// What the masking stage hands to the encoding stage, in file order.
enum Staged {
    /// A packet of a passed-through stream.
    Packet(Packet),
    /// A frame, masked as `outcome` says.
    Frame {
        raw: ffmpeg_next::frame::Video,
        time: FrameTime,
        outcome: MaskOutcome,
    },
}

/// Masks one decoded item (packets pass through). The frames of an
/// interlaced stream (or flagged interlaced themselves) are masked field by
/// field, each as a picture of half the height, so that both fields are
/// covered alike, chroma included.
fn mask_item<M: FrameMasker>(
    item: Item,
    masker: &mut M,
    pool: &mut FramePool,
    interlaced: bool,
) -> Result<Staged> {
    let mut frame = match item {
        Item::Packet(packet) => return Ok(Staged::Packet(packet)),
        Item::Frame(frame) => frame,
    };
    let time = *frame.time();
    let mask_error = |e: M::Error| Error::Mask {
        frame: time.index,
        source: Box::new(e),
    };
    let outcome = if masker.needs_frame(&time) {
        frame.make_writable(pool)?;
        if (interlaced || frame.is_interlaced()) && frame.splits_into_fields() {
            let top = masker
                .mask(&mut frame.field_view(Field::Top)?, &time)
                .map_err(mask_error)?;
            let bottom = masker
                .mask(&mut frame.field_view(Field::Bottom)?, &time)
                .map_err(mask_error)?;
            top.max(bottom)
        } else {
            masker.mask(&mut frame.view()?, &time).map_err(mask_error)?
        }
    } else {
        MaskOutcome::Unmasked
    };
    Ok(Staged::Frame {
        raw: frame.into_ffmpeg(),
        time,
        outcome,
    })
}

/// Frames masked, counted as the report counts them.
#[derive(Debug, Default)]
pub(super) struct Counts {
    /// Frames on which something was masked.
    pub(super) masked: u64,
    /// Frames masked whole.
    pub(super) full: u64,
}

impl Counts {
    fn add(&mut self, outcome: MaskOutcome) {
        match outcome {
            MaskOutcome::Unmasked => {}
            MaskOutcome::Masked => self.masked += 1,
            MaskOutcome::FullFrame => {
                self.masked += 1;
                self.full += 1;
            }
        }
    }
}
