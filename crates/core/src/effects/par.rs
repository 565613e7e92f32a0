//! Running closures over disjoint chunks, in parallel when asked and when
//! the `rayon` feature is on. Results never depend on the split: every
//! chunk's output is a function of read-only input and its own index.

/// Smallest amount of work (samples touched) worth splitting across
/// threads: smaller masks stay on the calling thread.
pub(crate) const MIN_PARALLEL_WORK: usize = 64 * 1024;

/// Smallest fill (bytes written) worth splitting across threads. A fill
/// stores each touched byte once, some 20 times less work per sample than
/// a blur, so below a few megabytes handing half of it to another thread
/// costs more than it saves: on the two-core benchmark machine two threads
/// were slower than one at 0.8–3.2 MB written (1080p and 2160p yuv420p,
/// 1080p rgb24) and 1.8–1.9 times faster at 6.4 MB (2160p rgb24 and
/// yuv420p10le).
pub(crate) const MIN_PARALLEL_FILL_BYTES: usize = 4 << 20;

/// Smallest band of rows handed to one task.
pub(crate) const MIN_BAND_ROWS: usize = 16;

/// How work is spread: `parallel` says whether rayon may be used, `threads`
/// how many workers the current pool has.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Par {
    pub(crate) parallel: bool,
    pub(crate) threads: usize,
}

impl Par {
    /// Single-threaded.
    pub(crate) const SINGLE: Par = Par {
        parallel: false,
        threads: 1,
    };

    /// This split, but single-threaded when `work` is small.
    pub(crate) fn for_work(self, work: usize) -> Par {
        if self.parallel && self.threads > 1 && work >= MIN_PARALLEL_WORK {
            self
        } else {
            Par::SINGLE
        }
    }

    /// This split for a fill writing `bytes` bytes, but single-threaded
    /// below [`MIN_PARALLEL_FILL_BYTES`].
    pub(crate) fn for_fill(self, bytes: usize) -> Par {
        if bytes >= MIN_PARALLEL_FILL_BYTES {
            self.for_work(bytes)
        } else {
            Par::SINGLE
        }
    }

    /// Rows per band for `rows` rows, a multiple of `multiple`.
    pub(crate) fn band_rows(self, rows: usize, multiple: usize) -> usize {
        let multiple = multiple.max(1);
        let bands = if self.parallel { self.threads * 4 } else { 1 };
        let rows_per = rows.div_ceil(bands.max(1)).max(MIN_BAND_ROWS);
        rows_per.div_ceil(multiple) * multiple
    }
}

/// Calls `f(i, chunk_i)` for the first `count` chunks of `a` (chunks of
/// `ca`).
pub(crate) fn for_each1<A, F>(par: Par, a: &mut [A], ca: usize, count: usize, f: F)
where
    A: Send,
    F: Fn(usize, &mut [A]) + Send + Sync,
{
    let ca = ca.max(1);
    #[cfg(feature = "rayon")]
    if par.parallel {
        use rayon::prelude::*;
        a.par_chunks_mut(ca)
            .take(count)
            .enumerate()
            .for_each(|(i, x)| f(i, x));
        return;
    }
    let _ = par;
    a.chunks_mut(ca)
        .take(count)
        .enumerate()
        .for_each(|(i, x)| f(i, x));
}

/// Calls `f(i, chunk_a_i, chunk_b_i)` for the first `count` chunks of `a`
/// (chunks of `ca`) and `b` (chunks of `cb`).
pub(crate) fn for_each2<A, B, F>(
    par: Par,
    a: &mut [A],
    ca: usize,
    b: &mut [B],
    cb: usize,
    count: usize,
    f: F,
) where
    A: Send,
    B: Send,
    F: Fn(usize, &mut [A], &mut [B]) + Send + Sync,
{
    let (ca, cb) = (ca.max(1), cb.max(1));
    #[cfg(feature = "rayon")]
    if par.parallel {
        use rayon::prelude::*;
        a.par_chunks_mut(ca)
            .zip(b.par_chunks_mut(cb))
            .take(count)
            .enumerate()
            .for_each(|(i, (x, y))| f(i, x, y));
        return;
    }
    let _ = par;
    a.chunks_mut(ca)
        .zip(b.chunks_mut(cb))
        .take(count)
        .enumerate()
        .for_each(|(i, (x, y))| f(i, x, y));
}

/// As [`for_each2`] with three slices.
#[allow(clippy::too_many_arguments)]
pub(crate) fn for_each3<A, B, C, F>(
    par: Par,
    a: &mut [A],
    ca: usize,
    b: &mut [B],
    cb: usize,
    c: &mut [C],
    cc: usize,
    count: usize,
    f: F,
) where
    A: Send,
    B: Send,
    C: Send,
    F: Fn(usize, &mut [A], &mut [B], &mut [C]) + Send + Sync,
{
    let (ca, cb, cc) = (ca.max(1), cb.max(1), cc.max(1));
    #[cfg(feature = "rayon")]
    if par.parallel {
        use rayon::prelude::*;
        a.par_chunks_mut(ca)
            .zip(b.par_chunks_mut(cb))
            .zip(c.par_chunks_mut(cc))
            .take(count)
            .enumerate()
            .for_each(|(i, ((x, y), z))| f(i, x, y, z));
        return;
    }
    let _ = par;
    a.chunks_mut(ca)
        .zip(b.chunks_mut(cb))
        .zip(c.chunks_mut(cc))
        .take(count)
        .enumerate()
        .for_each(|(i, ((x, y), z))| f(i, x, y, z));
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: Par = Par {
        parallel: true,
        threads: 2,
    };

    #[test]
    fn small_jobs_stay_on_the_calling_thread() {
        assert!(!TWO.for_work(MIN_PARALLEL_WORK - 1).parallel);
        assert!(TWO.for_work(MIN_PARALLEL_WORK).parallel);
        // A 1080p yuv420p fill of the whole frame is below the fill's bar.
        assert!(!TWO.for_fill(1920 * 1080 * 3 / 2).parallel);
        assert!(TWO.for_fill(MIN_PARALLEL_FILL_BYTES).parallel);
        assert!(!Par::SINGLE.for_fill(usize::MAX).parallel);
    }
}
