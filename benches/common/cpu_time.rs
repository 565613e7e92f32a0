//! Thread CPU time for benchmarks on a loaded machine: with
//! `SLADD_BENCH_CPU=1` a bench reports the median CPU time of the
//! benchmarking thread per call (`CLOCK_THREAD_CPUTIME_ID`, read around
//! batches of calls), which other processes do not inflate, instead of
//! criterion's wall-clock times. (`/proc/thread-self/schedstat` reads 0 on
//! kernels without schedstats.)

use criterion::Criterion;

/// CPU time the calling thread has run, in nanoseconds.
pub(crate) fn thread_cpu_ns() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

/// Median thread CPU time per call of `call`, in microseconds, over 31
/// batches of `batch` calls (after 20 calls of warm-up).
pub(crate) fn cpu_median_us(batch: u32, mut call: impl FnMut()) -> f64 {
    for _ in 0..20 {
        call();
    }
    let mut per_call: Vec<f64> = (0..31)
        .map(|_| {
            let start = thread_cpu_ns();
            for _ in 0..batch {
                call();
            }
            (thread_cpu_ns() - start) as f64 / f64::from(batch) / 1e3
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    per_call[per_call.len() / 2]
}

/// Runs `call` as `group/name` under criterion, or, with
/// `SLADD_BENCH_CPU=1`, prints its CPU median over batches of `batch`.
pub(crate) fn measure(c: &mut Criterion, group: &str, name: &str, batch: u32, call: impl FnMut()) {
    if std::env::var_os("SLADD_BENCH_CPU").is_some() {
        let us = cpu_median_us(batch, call);
        println!("{group}/{name}: median {us:.1} us thread cpu per frame");
    } else {
        let mut call = call;
        c.benchmark_group(group)
            .bench_function(name, |b| b.iter(&mut call));
    }
}
