//! Recycled buffers for writable copies of decoded frames.

use ffmpeg_next::format::Pixel;
use ffmpeg_next::frame;

use crate::ffi::{self, BufferPool};

/// Buffers for writable copies of decoded frames, recycled: a buffer goes
/// back to the pool when the last reference to it (the encoder's) is gone,
/// so a run allocates a handful of frame buffers, not one per frame.
pub(crate) struct FramePool {
    /// The pool and the format, width and height its buffers fit.
    pool: Option<((Pixel, u32, u32), BufferPool)>,
}

/// Row alignment of pooled frames, as `av_frame_get_buffer` gives.
const POOL_ALIGN: i32 = 64;

impl FramePool {
    /// An empty pool; buffers are allocated as frames need them.
    pub(crate) fn new() -> Self {
        Self { pool: None }
    }

    /// Gives `frame` buffers of its own when it shares them (with the
    /// decoder's reference frames): a copy into a pooled buffer.
    pub(crate) fn make_writable(
        &mut self,
        frame: &mut frame::Video,
    ) -> Result<(), ffmpeg_next::Error> {
        if ffi::is_writable(frame) {
            return Ok(());
        }
        let geometry = (frame.format(), frame.width(), frame.height());
        let pool = match self.pool.take() {
            Some((g, pool)) if g == geometry => pool,
            // Replaced: the old pool frees itself once its buffers are back.
            _ => {
                let size = |v: u32| i32::try_from(v).map_err(|_| ffmpeg_next::Error::InvalidData);
                BufferPool::new(geometry.0, size(geometry.1)?, size(geometry.2)?, POOL_ALIGN)?
            }
        };
        let copy = pool.copy(frame, POOL_ALIGN);
        self.pool = Some((geometry, pool));
        *frame = copy?;
        Ok(())
    }
}
