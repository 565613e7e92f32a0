//! Pairing the frames of an original and its redaction by their times.
//!
//! Both videos are read in order; a redacted frame belongs to the original
//! frame shown within half a frame period of it. An original frame with no
//! redacted frame that close is missing, a redacted frame with no original
//! one is extra.

/// What to do with the next frame of each video.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The two frames are shown at the same time: check them, take the next of both.
    Pair,
    /// The original frame has no redacted one: report it, take the next original.
    Missing,
    /// The redacted frame has no original one: report it, take the next redacted.
    Extra,
}

/// Pairs frames whose times differ by at most a tolerance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alignment {
    tolerance: f64,
}

impl Alignment {
    /// Half a frame period of a video of `frame_rate` frames per second, or
    /// 20 ms when the rate is unknown.
    #[must_use]
    pub fn for_frame_rate(frame_rate: Option<f64>) -> Self {
        Self {
            tolerance: frame_rate.map_or(0.02, |r| 0.5 / r.max(1e-3)),
        }
    }

    /// The tolerance in seconds.
    #[must_use]
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }

    /// The step for the next original frame at `original` seconds and the
    /// next redacted one at `redacted` seconds (`None`: that video has
    /// ended); `None` when both have.
    #[must_use]
    pub fn step(&self, original: Option<f64>, redacted: Option<f64>) -> Option<Step> {
        match (original, redacted) {
            (None, None) => None,
            (Some(_), None) => Some(Step::Missing),
            (None, Some(_)) => Some(Step::Extra),
            (Some(o), Some(r)) if r - o > self.tolerance => Some(Step::Missing),
            (Some(o), Some(r)) if r - o < -self.tolerance => Some(Step::Extra),
            (Some(_), Some(_)) => Some(Step::Pair),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the pairing over two time lists.
    fn steps(original: &[f64], redacted: &[f64]) -> Vec<Step> {
        let align = Alignment::for_frame_rate(Some(25.0));
        let (mut i, mut j, mut out) = (0, 0, Vec::new());
        while let Some(step) = align.step(original.get(i).copied(), redacted.get(j).copied()) {
            match step {
                Step::Pair => (i, j) = (i + 1, j + 1),
                Step::Missing => i += 1,
                Step::Extra => j += 1,
            }
            out.push(step);
        }
        out
    }

    #[test]
    fn a_dropped_and_an_inserted_frame() {
        use Step::{Extra, Missing, Pair};
        let original = [0.0, 0.04, 0.08, 0.12];
        assert_eq!(
            steps(&original, &[0.0, 0.08, 0.12]),
            [Pair, Missing, Pair, Pair]
        );
        assert_eq!(
            steps(&original, &[0.0, 0.04, 0.06, 0.08, 0.12]),
            [Pair, Pair, Extra, Pair, Pair]
        );
        assert_eq!(steps(&original, &[]), [Missing; 4]);
        // Within half a period (20 ms at 25 fps) is the same frame.
        assert_eq!(steps(&[0.0], &[0.019]), [Pair]);
        assert_eq!(steps(&[0.0], &[0.021]), [Missing, Extra]);
    }

    #[test]
    fn unknown_rate_uses_twenty_milliseconds() {
        assert!((Alignment::for_frame_rate(None).tolerance() - 0.02).abs() < 1e-12);
    }
}
