//! `--shard auto`: which shard this process is, from the variables the
//! scheduler that started it sets.
//!
//! - **Kubernetes** Indexed Jobs set `JOB_COMPLETION_INDEX` (0-based); the
//!   count is the Job's `completions`, which the pod does not see: it comes
//!   from `--shards N`, else from the plan.
//! - **Slurm** job arrays set `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_MIN`,
//!   `SLURM_ARRAY_TASK_COUNT` (and `SLURM_ARRAY_TASK_STEP` for a stepped
//!   range): the shard is `(ID − MIN) / STEP` of `COUNT`, so `--array=0-3`
//!   and `--array=1-4` both give shards 0/4 … 3/4. An array that is not one
//!   evenly stepped range (`--array=1,2,7`) is refused: its tasks would not
//!   cover the shards exactly.

use crate::error::{Error, Result};
use crate::shard::Shard;

/// The scheduler a shard was found from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheduler {
    /// A Kubernetes Indexed Job.
    Kubernetes,
    /// A Slurm job array.
    Slurm,
}

/// Finds this process's shard from the environment `var` reads (use
/// `|k| std::env::var(k).ok()`).
///
/// `shards` is `--shards N`; `planned` the plan's shard count, if it has
/// one. With Slurm, a `shards` that differs from the array's task count is
/// refused.
///
/// # Errors
/// [`Error::Scheduler`] when neither scheduler's variables are set, both
/// are, a value is not a number, or they name no shard of the count.
pub fn detect(
    var: impl Fn(&str) -> Option<String>,
    shards: Option<u32>,
    planned: Option<u32>,
) -> Result<(Shard, Scheduler)> {
    let kubernetes = var("JOB_COMPLETION_INDEX");
    let slurm = var("SLURM_ARRAY_TASK_ID");
    match (kubernetes, slurm) {
        (Some(_), Some(_)) => Err(Error::Scheduler(
            "--shard auto: both JOB_COMPLETION_INDEX (Kubernetes) and SLURM_ARRAY_TASK_ID \
             (Slurm) are set; give --shard I/N"
                .into(),
        )),
        (Some(index), None) => {
            let index = number("JOB_COMPLETION_INDEX", &index)?;
            let count = shards.or(planned).ok_or_else(|| {
                Error::Scheduler(
                    "--shard auto under Kubernetes: JOB_COMPLETION_INDEX gives the index but not \
                     the count; give --shards N (the Job's completions) or plan with --shards N"
                        .into(),
                )
            })?;
            let shard = Shard::new(index, count).map_err(|e| {
                Error::Scheduler(format!(
                    "--shard auto: JOB_COMPLETION_INDEX={index} with {count} shards: {e}"
                ))
            })?;
            Ok((shard, Scheduler::Kubernetes))
        }
        (None, Some(id)) => Ok((slurm_shard(&var, &id, shards)?, Scheduler::Slurm)),
        (None, None) => Err(Error::Scheduler(
            "--shard auto: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor \
             SLURM_ARRAY_TASK_ID (a Slurm job array) is set; give --shard I/N"
                .into(),
        )),
    }
}

/// The shard of a Slurm array task whose `SLURM_ARRAY_TASK_ID` is `id`.
fn slurm_shard(
    var: &impl Fn(&str) -> Option<String>,
    id: &str,
    shards: Option<u32>,
) -> Result<Shard> {
    let required = |name: &str| -> Result<u32> {
        let text = var(name).ok_or_else(|| {
            Error::Scheduler(format!(
                "--shard auto: SLURM_ARRAY_TASK_ID is set but {name} is not; is this a job array \
                 task of Slurm 17.11 or later?"
            ))
        })?;
        number(name, &text)
    };
    let id = number("SLURM_ARRAY_TASK_ID", id)?;
    let min = required("SLURM_ARRAY_TASK_MIN")?;
    let count = required("SLURM_ARRAY_TASK_COUNT")?;
    let step = match var("SLURM_ARRAY_TASK_STEP") {
        Some(text) => number("SLURM_ARRAY_TASK_STEP", &text)?.max(1),
        None => 1,
    };
    let offset = id.checked_sub(min).ok_or_else(|| {
        Error::Scheduler(format!(
            "--shard auto: SLURM_ARRAY_TASK_ID={id} is below SLURM_ARRAY_TASK_MIN={min}"
        ))
    })?;
    let index = offset / step;
    if offset % step != 0 || index >= count {
        return Err(Error::Scheduler(format!(
            "--shard auto: task {id} of an array from {min} with {count} tasks (step {step}) is \
             not one of {count} shards; submit one evenly stepped range, e.g. --array=0-{}",
            count.saturating_sub(1)
        )));
    }
    if let Some(n) = shards.filter(|&n| n != count) {
        return Err(Error::Scheduler(format!(
            "--shard auto: --shards {n} but the Slurm array has {count} tasks \
             (SLURM_ARRAY_TASK_COUNT); leave --shards out or submit --array=0-{}",
            n.saturating_sub(1)
        )));
    }
    Shard::new(index, count).map_err(|e| Error::Scheduler(format!("--shard auto: {e}")))
}

/// A variable's value as a whole number.
fn number(name: &str, text: &str) -> Result<u32> {
    text.trim().parse().map_err(|_| {
        Error::Scheduler(format!(
            "--shard auto: {name}={text:?} is not a whole number"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| vars.get(k).cloned()
    }

    fn shard(i: u32, n: u32) -> Shard {
        Shard::new(i, n).unwrap()
    }

    #[test]
    fn kubernetes_index_with_the_count_from_the_flag_or_the_plan() {
        let e = env(&[("JOB_COMPLETION_INDEX", "2")]);
        assert_eq!(
            detect(&e, Some(4), None).unwrap(),
            (shard(2, 4), Scheduler::Kubernetes)
        );
        assert_eq!(detect(&e, None, Some(3)).unwrap().0, shard(2, 3));
        assert_eq!(detect(&e, Some(5), Some(3)).unwrap().0, shard(2, 5));
        let msg = detect(&e, None, None).unwrap_err().to_string();
        assert!(msg.contains("--shards N"), "{msg}");
        let msg = detect(&e, Some(2), None).unwrap_err().to_string();
        assert!(
            msg.contains("JOB_COMPLETION_INDEX=2 with 2 shards"),
            "{msg}"
        );
        let msg = detect(env(&[("JOB_COMPLETION_INDEX", "x")]), Some(2), None)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("not a whole number"), "{msg}");
    }

    #[test]
    fn slurm_arrays_from_zero_and_from_one_give_the_same_shards() {
        for (min, n) in [(0, 4), (1, 4), (7, 3)] {
            for k in 0..n {
                let id = (min + k).to_string();
                let (min_s, n_s) = (min.to_string(), n.to_string());
                let e = env(&[
                    ("SLURM_ARRAY_TASK_ID", &id),
                    ("SLURM_ARRAY_TASK_MIN", &min_s),
                    ("SLURM_ARRAY_TASK_COUNT", &n_s),
                    ("SLURM_ARRAY_JOB_ID", "77"),
                ]);
                assert_eq!(
                    detect(&e, None, None).unwrap(),
                    (shard(k, n), Scheduler::Slurm)
                );
            }
        }
    }

    #[test]
    fn slurm_stepped_ranges_and_broken_arrays() {
        // --array=0-6:2 -> 0, 2, 4, 6
        let e = env(&[
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ]);
        assert_eq!(detect(&e, None, None).unwrap().0, shard(2, 4));
        // --array=1,2,7: task 7 is no shard of 3
        let e = env(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        let msg = detect(&e, None, None).unwrap_err().to_string();
        assert!(msg.contains("--array=0-2"), "{msg}");
        let e = env(&[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        let msg = detect(&e, None, None).unwrap_err().to_string();
        assert!(msg.contains("SLURM_ARRAY_TASK_MIN is not"), "{msg}");
        let e = env(&[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(detect(&e, Some(4), Some(9)).unwrap().0, shard(1, 4));
        let msg = detect(&e, Some(3), None).unwrap_err().to_string();
        assert!(
            msg.contains("--shards 3 but the Slurm array has 4 tasks"),
            "{msg}"
        );
    }

    #[test]
    fn no_scheduler_or_two() {
        let msg = detect(env(&[("SLURM_JOB_ID", "5")]), Some(2), None)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("neither JOB_COMPLETION_INDEX"), "{msg}");
        let e = env(&[("JOB_COMPLETION_INDEX", "0"), ("SLURM_ARRAY_TASK_ID", "0")]);
        assert!(detect(e, Some(2), None).is_err());
    }
}
