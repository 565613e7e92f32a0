//! Shards: which worker of `N` redacts which planned files.
//!
//! Files go to shards longest first, each to the shard with the least work
//! so far (LPT, "longest processing time first"; Graham 1969: its longest
//! shard is at most 4/3 of the optimum). The weights are integers and ties
//! go to the lower index, so every worker computes the same assignment
//! from the same plan, for whatever shard count the scheduler runs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// One worker's share: shard `index` of `count`, 0-based (`1/3` is the
/// second of three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// 0-based, below `count`.
    pub index: u32,
    /// How many shards there are (at least 1).
    pub count: u32,
}

impl Shard {
    /// The most shards a plan is split into.
    pub const MAX_COUNT: u32 = 100_000;

    /// Shard `index` of `count`.
    ///
    /// # Errors
    /// [`Error::Shard`] unless `index < count <= MAX_COUNT`.
    pub fn new(index: u32, count: u32) -> Result<Self> {
        let fail = |reason: String| Error::Shard {
            text: format!("{index}/{count}"),
            reason,
        };
        if count == 0 {
            return Err(fail("the shard count must be at least 1".into()));
        }
        if count > Self::MAX_COUNT {
            return Err(fail(format!(
                "at most {} shards are supported",
                Self::MAX_COUNT
            )));
        }
        if index >= count {
            return Err(fail(format!(
                "shard indexes are 0-based: the shards of {count} are 0/{count} to {}/{count}",
                count - 1
            )));
        }
        Ok(Self { index, count })
    }

    /// The whole plan as one shard.
    #[must_use]
    pub const fn whole() -> Self {
        Self { index: 0, count: 1 }
    }

    /// The report file name of this shard: `report.shard-I-of-N.json`.
    #[must_use]
    pub fn report_name(self) -> String {
        format!("report.shard-{}-of-{}.json", self.index, self.count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = Error;

    /// Parses `I/N`.
    fn from_str(text: &str) -> Result<Self> {
        let fail = |reason: &str| Error::Shard {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| fail("give I/N, e.g. 0/4 for the first of four shards"))?;
        let index: u32 = index
            .trim()
            .parse()
            .map_err(|_| fail("the index I of I/N must be a whole number"))?;
        let count: u32 = count
            .trim()
            .parse()
            .map_err(|_| fail("the count N of I/N must be a whole number"))?;
        Self::new(index, count).map_err(|e| match e {
            Error::Shard { reason, .. } => fail(&reason),
            other => other,
        })
    }
}

/// The shard of every item, longest first to the least-loaded shard.
///
/// `weights[i]` is item `i`'s cost (milliseconds of video); the result has
/// one shard index per item. Equal weights keep the items' order; equal
/// loads take the lowest shard.
#[must_use]
pub fn assign_lpt(weights: &[u64], count: u32) -> Vec<u32> {
    let count = count.max(1);
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (Reverse(weights[i]), i));
    // (load, shard), smallest first.
    let mut loads: BinaryHeap<Reverse<(u64, u32)>> = (0..count).map(|s| Reverse((0, s))).collect();
    let mut shard_of = vec![0; weights.len()];
    for i in order {
        if let Some(Reverse((load, shard))) = loads.pop() {
            shard_of[i] = shard;
            loads.push(Reverse((load.saturating_add(weights[i]), shard)));
        }
    }
    shard_of
}

/// The shard of every item dealt in turn (item `i` to shard `i mod N`):
/// the baseline LPT is measured against.
#[must_use]
pub fn assign_round_robin(items: usize, count: u32) -> Vec<u32> {
    let count = count.max(1);
    (0..items)
        .map(|i| u32::try_from(i % count as usize).unwrap_or(0))
        .collect()
}

/// How evenly an assignment spreads the work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balance {
    /// The work of the busiest shard (the batch's makespan).
    pub max: u64,
    /// The mean work per shard.
    pub mean: f64,
}

impl Balance {
    /// The balance of `shard_of` (one shard per item) over `count` shards.
    #[must_use]
    pub fn of(weights: &[u64], shard_of: &[u32], count: u32) -> Self {
        let count = count.max(1);
        let mut loads = vec![0u64; count as usize];
        for (&w, &s) in weights.iter().zip(shard_of) {
            if let Some(load) = loads.get_mut(s as usize) {
                *load = load.saturating_add(w);
            }
        }
        let total: u64 = loads.iter().sum();
        Self {
            max: loads.iter().copied().max().unwrap_or(0),
            mean: total as f64 / f64::from(count),
        }
    }

    /// Busiest shard over the mean: 1.0 is perfect.
    #[must_use]
    pub fn ratio(&self) -> f64 {
        if self.mean > 0.0 {
            self.max as f64 / self.mean
        } else {
            1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints() {
        let s: Shard = "2/3".parse().unwrap();
        assert_eq!(s, Shard { index: 2, count: 3 });
        assert_eq!(s.to_string(), "2/3");
        assert_eq!(s.report_name(), "report.shard-2-of-3.json");
        for bad in ["3/3", "1", "a/3", "1/0", "-1/3", "1/b", "0/100001"] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(
                e.to_string().starts_with(&format!("shard '{bad}': ")),
                "{e}"
            );
        }
        let e = "3/3".parse::<Shard>().unwrap_err().to_string();
        assert!(e.contains("0/3 to 2/3"), "{e}");
    }

    #[test]
    fn lpt_puts_the_longest_first_on_the_emptiest_shard() {
        // 7 5 4 3 2 on two shards: 7 | 5, 4 -> 7 | 9, 3 -> 10 | 9, 2 -> 10 | 11
        let w = [2, 7, 3, 5, 4];
        let s = assign_lpt(&w, 2);
        assert_eq!(s, vec![1, 0, 0, 1, 1]);
        assert_eq!(Balance::of(&w, &s, 2).max, 11);
    }

    #[test]
    fn lpt_beats_dealing_on_a_skewed_mix() {
        // One long recording and many short ones, in name order.
        let w: Vec<u64> = [600_000]
            .into_iter()
            .chain(std::iter::repeat_n(60_000, 20))
            .collect();
        let lpt = Balance::of(&w, &assign_lpt(&w, 4), 4);
        let rr = Balance::of(&w, &assign_round_robin(w.len(), 4), 4);
        assert!(lpt.ratio() < rr.ratio(), "{lpt:?} {rr:?}");
        assert_eq!(lpt.max, 600_000);
    }

    #[test]
    fn one_shard_takes_everything() {
        assert_eq!(assign_lpt(&[3, 1, 2], 1), vec![0, 0, 0]);
        assert_eq!(assign_lpt(&[], 3), Vec::<u32>::new());
        assert_eq!(Balance::of(&[], &[], 3).ratio(), 1.0);
    }

    proptest! {
        /// Every item gets a shard below the count, the assignment depends
        /// only on the weights, and the makespan is within list
        /// scheduling's bound: mean + (1 − 1/N) × heaviest.
        #[test]
        fn lpt_is_valid_deterministic_and_bounded(
            weights in proptest::collection::vec(0u64..1_000_000, 0..200),
            count in 1u32..12,
        ) {
            let a = assign_lpt(&weights, count);
            prop_assert_eq!(&a, &assign_lpt(&weights, count));
            prop_assert!(a.iter().all(|&s| s < count));
            let b = Balance::of(&weights, &a, count);
            let heaviest = weights.iter().copied().max().unwrap_or(0) as f64;
            let bound = b.mean + (1.0 - 1.0 / f64::from(count)) * heaviest;
            prop_assert!(b.max as f64 <= bound + 1.0, "{b:?} bound {bound}");
        }
    }
}
