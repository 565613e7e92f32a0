//! The input's other video streams (a camera's substreams at other
//! resolutions, as VMS exports and DVRs write them): each read by its own
//! decoder, timed from the main stream's start, masked by its own masker
//! with the same normalized zones at its own size.

use crate::decode::{Decoder, DecoderOptions};
use crate::error::{Error, Result};
use crate::mask::{FrameMasker, Substream as SubstreamMasker};

/// One substream to be masked and written.
pub(super) struct Substream<E> {
    /// Its decoder, timed from the main stream's start.
    pub(super) decoder: Decoder,
    /// Its masker, begun with its description.
    pub(super) masker: SubstreamMasker<E>,
}

/// The substreams of an input: those masked, and why the others are not.
pub(super) struct Substreams<E> {
    /// The substreams to mask, in file order.
    pub(super) masked: Vec<Substream<E>>,
    /// The video streams left out (input index, why).
    pub(super) left_out: Vec<(usize, String)>,
}

impl<E> Substreams<E> {
    /// The input indices of the masked substreams.
    pub(super) fn masked_indices(&self) -> Vec<usize> {
        self.masked
            .iter()
            .map(|s| s.decoder.info().stream_index)
            .collect()
    }
}

/// Opens every video stream of `main`'s input besides the main one and
/// cover art, each with a masker from `masker`. A stream no decoder
/// reads, or for which `masker` has no masks, is left out with the reason;
/// a window of several recordings carries its main stream only.
///
/// # Errors
/// [`Error::Mask`] when the masker cannot mask a substream; the errors of
/// [`Decoder::open_stream`] other than [`Error::Decoder`].
pub(super) fn open<M: FrameMasker>(
    main: &Decoder,
    masker: &mut M,
    options: &DecoderOptions,
) -> Result<Substreams<M::Error>> {
    let mut found = Substreams {
        masked: Vec::new(),
        left_out: Vec::new(),
    };
    for index in main.substreams() {
        match open_one(main, index, masker, options)? {
            Ok(substream) => found.masked.push(substream),
            Err(why) => found.left_out.push((index, why)),
        }
    }
    Ok(found)
}

/// Substream `index` ready to mask, or why it is left out.
fn open_one<M: FrameMasker>(
    main: &Decoder,
    index: usize,
    masker: &mut M,
    options: &DecoderOptions,
) -> Result<std::result::Result<Substream<M::Error>, String>> {
    if main.is_window() {
        return Ok(Err(
            "a window of several recordings carries the main video stream only".to_owned(),
        ));
    }
    let mut decoder = match Decoder::open_stream(main.path(), index, options) {
        Ok(decoder) => decoder,
        Err(e @ Error::Decoder { .. }) => return Ok(Err(format!("it cannot be decoded ({e})"))),
        Err(e) => return Err(e),
    };
    decoder.time_from(main);
    let mask_error = |e: M::Error| Error::Mask {
        frame: 0,
        source: Box::new(e),
    };
    let Some(mut sub) = masker.for_substream(decoder.info()).map_err(mask_error)? else {
        return Ok(Err(format!(
            "its masks fit the main video stream (#{}) only, and sladd never writes a stream it did not mask",
            main.info().stream_index
        )));
    };
    sub.begin(decoder.info()).map_err(mask_error)?;
    Ok(Ok(Substream {
        decoder,
        masker: sub,
    }))
}
