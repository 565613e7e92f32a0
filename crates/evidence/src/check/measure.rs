//! The per-style checks on one plane of one frame, and the outside check.
//!
//! Every figure is in 8-bit units (10-bit samples are divided by 4), so one
//! set of limits serves every depth. Each check returns a [`Measure`]: the
//! figure, its limit, and where in the frame (luma pixels) the worst sample
//! is.

use super::grid::{Grid, OUTSIDE};

/// Limits of the checks (see the README's "sladd verify" section).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// fill: the 99th percentile of |sample − fill colour| at most this.
    pub fill_p99: f64,
    /// fill: no sample further than this from the fill colour.
    pub fill_max: f64,
    /// pixelate: the 99th percentile of |sample − its block's mean|.
    pub pixelate_p99: f64,
    /// pixelate: no sample further than this from its block's mean.
    pub pixelate_max: f64,
    /// blur: mean |Laplacian| of the output at most this much above that of
    /// the original blurred as the style says.
    pub blur_detail_slack: f64,
    /// blur: correlation of the output's Laplacian with the original's at
    /// most this (when the original has detail there).
    pub blur_correlation: f64,
    /// outside every mask: PSNR against the original at least this (dB).
    pub outside_psnr_db: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            fill_p99: 10.0,
            fill_max: 48.0,
            pixelate_p99: 10.0,
            pixelate_max: 48.0,
            blur_detail_slack: 2.0,
            blur_correlation: 0.5,
            outside_psnr_db: 30.0,
        }
    }
}

/// One check's figure on one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// The check's figure (what `limit` bounds).
    pub value: f64,
    /// Its limit.
    pub limit: f64,
    /// Whether larger values are worse (`false` for PSNR).
    pub upper: bool,
    /// Where the worst sample is, in luma pixels: column …
    pub x: u32,
    /// … and row.
    pub y: u32,
    /// A second figure when the check has two (fill/pixelate: the maximum
    /// deviation; blur: the correlation).
    pub extra: Option<(f64, f64)>,
}

impl Measure {
    /// Whether the figure (and the second one) keep to their limits.
    pub fn passed(&self) -> bool {
        let main = if self.upper {
            self.value <= self.limit
        } else {
            self.value >= self.limit
        };
        main && self.extra.is_none_or(|(v, l)| v <= l)
    }

    /// How far past its limit the figure is: above 1 fails. Ranks the worst
    /// frame.
    pub fn severity(&self) -> f64 {
        let main = if self.upper {
            self.value / self.limit.max(1e-9)
        } else {
            self.limit / self.value.max(1e-9)
        };
        let extra = self.extra.map_or(0.0, |(v, l)| v / l.max(1e-9));
        main.max(extra)
    }
}

/// A histogram of deviations in 8-bit units, with the worst position.
#[derive(Debug)]
struct Deviations {
    counts: [u64; 256],
    total: u64,
    worst: u32,
    at: (usize, usize),
}

impl Deviations {
    fn new() -> Self {
        Self {
            counts: [0; 256],
            total: 0,
            worst: 0,
            at: (0, 0),
        }
    }

    fn add(&mut self, deviation: u32, x: usize, y: usize) {
        let d = deviation.min(255);
        if let Some(c) = self.counts.get_mut(d as usize) {
            *c += 1;
        }
        self.total += 1;
        if d > self.worst {
            self.worst = d;
            self.at = (x, y);
        }
    }

    fn percentile(&self, q: f64) -> f64 {
        let want = (self.total as f64 * q).ceil() as u64;
        let mut seen = 0;
        for (v, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= want {
                return v as f64;
            }
        }
        255.0
    }

    fn measure(&self, p99: f64, max: f64, shift: (u8, u8)) -> Option<Measure> {
        (self.total > 0).then(|| Measure {
            value: self.percentile(0.99),
            limit: p99,
            upper: true,
            x: (self.at.0 as u32) << shift.0,
            y: (self.at.1 as u32) << shift.1,
            extra: Some((f64::from(self.worst), max)),
        })
    }
}

/// Shift taking `depth`-bit samples to 8-bit units.
fn down(depth: u32) -> u32 {
    depth.saturating_sub(8)
}

/// fill: every core sample of `label` against the fill colour `expected`
/// (one value per channel).
pub(crate) fn fill(
    out: &Grid,
    labels: &[u8],
    label: u8,
    expected: &[i32],
    limits: &Limits,
    shift: (u8, u8),
) -> Option<Measure> {
    let d = down(out.depth);
    let mut dev = Deviations::new();
    for y in 0..out.height {
        for x in 0..out.width {
            if labels.get(y * out.width + x) != Some(&label) {
                continue;
            }
            for c in 0..out.channels {
                let e = expected.get(c).copied().unwrap_or(0);
                dev.add((out.at(x, y, c) - e).unsigned_abs() >> d, x, y);
            }
        }
    }
    dev.measure(limits.fill_p99, limits.fill_max, shift)
}

/// pixelate: every core sample of `label` against the mean of the core
/// samples of its block (`bw × bh` samples of this plane, on a grid
/// anchored at the top-left corner). Samples next to a block's border are
/// left out: the encoder smears across the block edges too.
pub(crate) fn pixelate(
    out: &Grid,
    labels: &[u8],
    label: u8,
    (bw, bh): (usize, usize),
    limits: &Limits,
    shift: (u8, u8),
) -> Option<Measure> {
    let d = down(out.depth);
    let (bw, bh) = (bw.max(1), bh.max(1));
    // Blocks under 4 samples have no interior: every sample counts.
    let inner = |i: usize, b: usize| b < 4 || (i % b != 0 && i % b != b - 1);
    let considered = |x: usize, y: usize| {
        labels.get(y * out.width + x) == Some(&label) && inner(x, bw) && inner(y, bh)
    };
    let columns = out.width.div_ceil(bw);
    let ch = out.channels;
    let mut dev = Deviations::new();
    let mut sums = vec![0i64; columns * ch];
    let mut counts = vec![0i64; columns];
    for by in (0..out.height).step_by(bh) {
        sums.fill(0);
        counts.fill(0);
        let rows = by..(by + bh).min(out.height);
        for y in rows.clone() {
            for x in 0..out.width {
                if considered(x, y) {
                    let b = x / bw;
                    if let Some(n) = counts.get_mut(b) {
                        *n += 1;
                    }
                    for c in 0..ch {
                        if let Some(s) = sums.get_mut(b * ch + c) {
                            *s += i64::from(out.at(x, y, c));
                        }
                    }
                }
            }
        }
        for y in rows {
            for x in 0..out.width {
                if considered(x, y) {
                    let b = x / bw;
                    let n = counts.get(b).copied().unwrap_or(1).max(1);
                    for c in 0..ch {
                        let sum = sums.get(b * ch + c).copied().unwrap_or(0);
                        let mean = ((sum + n / 2) / n) as i32;
                        dev.add((out.at(x, y, c) - mean).unsigned_abs() >> d, x, y);
                    }
                }
            }
        }
    }
    dev.measure(limits.pixelate_p99, limits.pixelate_max, shift)
}

/// blur: the detail (mean |Laplacian|) left in the output against the
/// detail of the original blurred as the style says (`expected`), and the
/// correlation of the output's Laplacian with the original's.
pub(crate) fn blur(
    out: &Grid,
    expected: &Grid,
    original: &Grid,
    labels: &[u8],
    label: u8,
    limits: &Limits,
    shift: (u8, u8),
) -> Option<Measure> {
    let scale = f64::from(1u32 << down(out.depth));
    let lap = |g: &Grid, x: usize, y: usize, c: usize| {
        4 * g.at(x, y, c)
            - g.at(x - 1, y, c)
            - g.at(x + 1, y, c)
            - g.at(x, y - 1, c)
            - g.at(x, y + 1, c)
    };
    let (mut n, mut out_sum, mut exp_sum) = (0u64, 0f64, 0f64);
    let (mut so, mut sg, mut soo, mut sgg, mut sog) = (0f64, 0f64, 0f64, 0f64, 0f64);
    let (mut worst, mut at) = (i32::MIN, (0, 0));
    for y in 1..out.height.saturating_sub(1) {
        for x in 1..out.width.saturating_sub(1) {
            if labels.get(y * out.width + x) != Some(&label) {
                continue;
            }
            for c in 0..out.channels {
                let lo = lap(out, x, y, c);
                let le = lap(expected, x, y, c);
                let lg = lap(original, x, y, c);
                n += 1;
                out_sum += f64::from(lo.abs());
                exp_sum += f64::from(le.abs());
                let (fo, fg) = (f64::from(lo), f64::from(lg));
                so += fo;
                sg += fg;
                soo += fo * fo;
                sgg += fg * fg;
                sog += fo * fg;
                let excess = lo.abs() - le.abs();
                if excess > worst {
                    worst = excess;
                    at = (x, y);
                }
            }
        }
    }
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let out_detail = out_sum / nf / scale;
    let exp_detail = exp_sum / nf / scale;
    let var_o = soo / nf - (so / nf).powi(2);
    let var_g = sgg / nf - (sg / nf).powi(2);
    let cov = sog / nf - (so / nf) * (sg / nf);
    // A flat original has nothing to leak: no correlation to speak of.
    let correlation = if var_o > 1e-9 && var_g > 1e-9 && var_g.sqrt() / scale > 1.0 {
        cov / (var_o * var_g).sqrt()
    } else {
        0.0
    };
    Some(Measure {
        value: out_detail,
        limit: exp_detail + limits.blur_detail_slack,
        upper: true,
        x: (at.0 as u32) << shift.0,
        y: (at.1 as u32) << shift.1,
        extra: Some((correlation, limits.blur_correlation)),
    })
}

/// Sum of squared differences (8-bit units) over the core samples outside
/// every mask, with their count and the position of the largest difference.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Outside {
    pub(crate) squares: f64,
    pub(crate) count: u64,
    pub(crate) worst: i32,
    pub(crate) at: (u32, u32),
}

impl Outside {
    /// Adds one plane's core samples outside every mask.
    pub(crate) fn add(&mut self, out: &Grid, original: &Grid, labels: &[u8], shift: (u8, u8)) {
        let scale = f64::from(1u32 << down(out.depth));
        let (mut squares, mut count) = (0i64, 0u64);
        for y in 0..out.height.min(original.height) {
            for x in 0..out.width.min(original.width) {
                if labels.get(y * out.width + x) != Some(&OUTSIDE) {
                    continue;
                }
                for c in 0..out.channels {
                    let diff = out.at(x, y, c) - original.at(x, y, c);
                    squares += i64::from(diff * diff);
                    count += 1;
                    if diff.abs() > self.worst {
                        self.worst = diff.abs();
                        self.at = ((x as u32) << shift.0, (y as u32) << shift.1);
                    }
                }
            }
        }
        self.squares += squares as f64 / (scale * scale);
        self.count += count;
    }

    /// The PSNR in dB (infinite for identical samples), or `None` when no
    /// sample is outside the masks.
    pub(crate) fn measure(&self, limits: &Limits) -> Option<Measure> {
        (self.count > 0).then(|| {
            let mse = self.squares / self.count as f64;
            let psnr = if mse <= 0.0 {
                f64::INFINITY
            } else {
                10.0 * (255.0 * 255.0 / mse).log10()
            };
            Measure {
                value: psnr,
                limit: limits.outside_psnr_db,
                upper: false,
                x: self.at.0,
                y: self.at.1,
                extra: None,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(w: usize, h: usize, f: impl Fn(usize, usize) -> u16) -> Grid {
        let mut data = Vec::new();
        for y in 0..h {
            for x in 0..w {
                data.push(f(x, y));
            }
        }
        Grid {
            width: w,
            height: h,
            channels: 1,
            depth: 8,
            data,
        }
    }

    #[test]
    fn fill_passes_noise_and_fails_content() {
        let labels = vec![1u8; 64];
        let noisy = grid(8, 8, |x, y| 16 + ((x + y) % 3) as u16);
        let m = fill(&noisy, &labels, 1, &[16], &Limits::default(), (0, 0)).unwrap();
        assert!(m.passed(), "{m:?}");
        let content = grid(8, 8, |x, y| (x * 30 + y) as u16);
        let m = fill(&content, &labels, 1, &[16], &Limits::default(), (0, 0)).unwrap();
        assert!(!m.passed(), "{m:?}");
        assert_eq!((m.x, m.y), (7, 7));
    }

    #[test]
    fn pixelate_wants_flat_blocks() {
        let labels = vec![1u8; 16 * 16];
        let blocks = grid(16, 16, |x, y| ((x / 8) * 100 + (y / 8) * 50) as u16);
        let m = pixelate(&blocks, &labels, 1, (8, 8), &Limits::default(), (0, 0)).unwrap();
        assert!(m.passed() && m.value == 0.0, "{m:?}");
        let ramp = grid(16, 16, |x, y| (x * 16 + y) as u16);
        let m = pixelate(&ramp, &labels, 1, (8, 8), &Limits::default(), (0, 0)).unwrap();
        assert!(!m.passed(), "{m:?}");
    }

    #[test]
    fn blur_catches_the_original_detail() {
        let labels = vec![1u8; 32 * 32];
        let original = grid(32, 32, |x, y| if (x + y) % 2 == 0 { 200 } else { 20 });
        let blurred = grid(32, 32, |_, _| 110);
        let m = blur(
            &blurred,
            &blurred,
            &original,
            &labels,
            1,
            &Limits::default(),
            (0, 0),
        );
        assert!(m.unwrap().passed());
        let m = blur(
            &original,
            &blurred,
            &original,
            &labels,
            1,
            &Limits::default(),
            (0, 0),
        );
        assert!(!m.unwrap().passed());
    }

    #[test]
    fn outside_psnr() {
        let labels = vec![OUTSIDE; 64];
        let a = grid(8, 8, |x, _| x as u16 * 10);
        let mut o = Outside::default();
        o.add(&a, &a, &labels, (0, 0));
        assert_eq!(o.measure(&Limits::default()).unwrap().value, f64::INFINITY);
        let b = grid(8, 8, |x, _| x as u16 * 10 + 40);
        let mut o = Outside::default();
        o.add(&b, &a, &labels, (0, 0));
        let m = o.measure(&Limits::default()).unwrap();
        assert!(!m.passed() && (m.value - 16.0).abs() < 0.1, "{m:?}");
    }
}
