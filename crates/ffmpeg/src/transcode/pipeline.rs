//! The second step: decode → mask → encode + mux, each stage on its own
//! thread, joined by bounded channels (see the module docs of
//! [`super`]).

use std::sync::mpsc;
use std::thread::{Scope, ScopedJoinHandle};

use ffmpeg_next::Packet;

use super::open::Muxer;
use super::substreams::Substream;
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
    /// Per masked substream, in order: its decoder at the end and its
    /// counts.
    pub(super) substreams: Vec<(Decoder, Counts)>,
}

/// Runs the stages until the input ends or one fails: decoding on a
/// thread and masking on another, for the main stream and for each
/// substream; encoding and muxing on the caller's, the streams' frames
/// taken in time order. `queue` decoded frames may wait for each masker.
///
/// # Errors
/// The first error of any stage of any stream; [`Error::MaskThread`] and
/// [`Error::DecodeThread`] when a stage panicked. A frame that could not
/// be masked is never passed on, and an error on one stream stops them
/// all.
pub(super) fn run<M, P>(
    decoder: Decoder,
    masker: &mut M,
    substreams: Vec<Substream<M::Error>>,
    muxer: &mut Muxer,
    queue: usize,
    progress: &mut P,
) -> Result<Run>
where
    M: FrameMasker + Send,
    P: FnMut(Progress),
{
    let total_estimate = decoder.info().frames_estimate;
    std::thread::scope(|scope| -> Result<Run> {
        let mut lanes = vec![Lane::spawn(scope, decoder, masker, queue)];
        for sub in substreams {
            lanes.push(Lane::spawn(scope, sub.decoder, sub.masker, queue));
        }
        let written = write_lanes(&mut lanes, muxer, |frames_done| {
            progress(Progress {
                frames_done,
                total_estimate,
            });
        });
        let mut ended = Vec::with_capacity(lanes.len());
        let mut failure = None;
        for lane in lanes {
            match lane.join() {
                Ok(end) => ended.push(end),
                Err(e) => failure = failure.or(Some(e)),
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        written?;
        let mut ended = ended.into_iter();
        let (decoder, counts, last_seconds) = ended.next().ok_or(Error::DecodeThread)?;
        Ok(Run {
            decoder,
            counts,
            last_seconds,
            substreams: ended.map(|(d, c, _)| (d, c)).collect(),
        })
    })
}

/// Writes the lanes' frames in time order (the earliest next frame first,
/// the main stream's on ties) and the main lane's copied packets as they
/// come, then drains the encoders; `frames_done` after every main frame.
fn write_lanes(
    lanes: &mut [Lane<'_>],
    muxer: &mut Muxer,
    mut frames_done: impl FnMut(u64),
) -> Result<()> {
    loop {
        for lane in lanes.iter_mut() {
            lane.fill(muxer)?;
        }
        let next = lanes
            .iter()
            .enumerate()
            .filter_map(|(slot, lane)| lane.head.as_ref().map(|f| (slot, f.time.seconds)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let Some((slot, _)) = next else {
            return muxer.finish();
        };
        let Some(lane) = lanes.get_mut(slot) else {
            return muxer.finish();
        };
        let Some(frame) = lane.head.take() else {
            continue;
        };
        lane.counts.add(frame.outcome);
        lane.last_seconds = frame.time.seconds;
        muxer.write_frame(slot, frame.raw)?;
        if slot == 0 {
            frames_done(muxer.frames());
        }
    }
}

/// One video stream's decode and mask stages, and the next masked frame
/// waiting to be written.
struct Lane<'scope> {
    masked: mpsc::Receiver<Result<Staged>>,
    decode_stage: ScopedJoinHandle<'scope, Decoder>,
    mask_stage: ScopedJoinHandle<'scope, ()>,
    /// The next frame, received but not yet written.
    head: Option<MaskedFrame>,
    /// Whether the mask stage may send more.
    open: bool,
    counts: Counts,
    last_seconds: f64,
}

impl<'scope> Lane<'scope> {
    /// Starts decoding `decoder`'s frames on one thread and masking them
    /// with `masker` on another.
    fn spawn<'env, M>(
        scope: &'scope Scope<'scope, 'env>,
        mut decoder: Decoder,
        mut masker: M,
        queue: usize,
    ) -> Self
    where
        M: FrameMasker + Send + 'scope,
    {
        let interlaced = decoder.info().field_order.is_interlaced();
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
                    item.and_then(|item| mask_item(item, &mut masker, &mut pool, interlaced));
                let failed = staged.is_err();
                if masked_tx.send(staged).is_err() || failed {
                    break;
                }
            }
            // Dropping `rx` here stops the decoder early after a failure.
        });
        Self {
            masked: masked_rx,
            decode_stage,
            mask_stage,
            head: None,
            open: true,
            counts: Counts::default(),
            last_seconds: 0.0,
        }
    }

    /// Receives until a frame waits in `head` or the stage ends, writing
    /// copied packets on the way.
    fn fill(&mut self, muxer: &mut Muxer) -> Result<()> {
        while self.open && self.head.is_none() {
            match self.masked.recv() {
                Ok(staged) => match staged? {
                    Staged::Packet(packet) => muxer.write_passed(packet)?,
                    Staged::Frame(frame) => self.head = Some(frame),
                },
                Err(mpsc::RecvError) => self.open = false,
            }
        }
        Ok(())
    }

    /// Stops the stages (dropping the receiver stops them early) and
    /// hands back the decoder, the counts and the last frame's time.
    fn join(self) -> Result<(Decoder, Counts, f64)> {
        drop(self.masked);
        let masked = self.mask_stage.join().map_err(|_| Error::MaskThread);
        let decoder = self.decode_stage.join().map_err(|_| Error::DecodeThread)?;
        masked?;
        Ok((decoder, self.counts, self.last_seconds))
    }
}

/// What the masking stage hands to the encoding stage, in file order.
enum Staged {
    /// A packet of a passed-through stream.
    Packet(Packet),
    /// A masked frame.
    Frame(MaskedFrame),
}

/// A frame, masked as `outcome` says.
struct MaskedFrame {
    raw: ffmpeg_next::frame::Video,
    time: FrameTime,
    outcome: MaskOutcome,
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
    Ok(Staged::Frame(MaskedFrame {
        raw: frame.into_ffmpeg(),
        time,
        outcome,
    }))
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
