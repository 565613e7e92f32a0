//! Progress of a batch of redactions on stderr, in a form a person can
//! follow: per file its name, frames, percent, speed, elapsed time and
//! what remains, and the same for the batch.
//!
//! On a terminal each running file has a line of its own (the name
//! shortened in the middle to fit, a bar once the frame count is known)
//! above a line for the batch. Elsewhere (cron, systemd, CI logs) each
//! running file prints one plain line every `--progress-interval` seconds.
//! `--quiet` prints nothing.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where progress goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Mode {
    /// Lines redrawn in place on a terminal.
    Terminal,
    /// A plain line per running file every so often.
    Lines(Duration),
    /// Nothing.
    Quiet,
}

impl Mode {
    /// Terminal lines when stderr is a terminal, else plain lines every
    /// `interval`; nothing when `quiet`.
    pub(crate) fn detect(quiet: bool, interval: Duration) -> Self {
        use std::io::IsTerminal;
        if quiet {
            Self::Quiet
        } else if std::io::stderr().is_terminal() {
            Self::Terminal
        } else {
            Self::Lines(interval)
        }
    }
}

/// The progress of a batch of `total` files.
pub(crate) struct Progress {
    mode: Mode,
    bars: Option<(MultiProgress, ProgressBar)>,
    /// Terminal columns.
    width: usize,
    total: usize,
    started: Instant,
    done: AtomicUsize,
    /// How far each running file is (0 to 1), by its position in the batch.
    running: Mutex<Vec<(usize, f64)>>,
}

/// How far one file is, as shown.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FileState<'a> {
    /// The file's name as shown.
    pub(crate) name: &'a str,
    /// Frames done.
    pub(crate) frames: u64,
    /// Frames expected, when known.
    pub(crate) total: Option<u64>,
    /// Time spent on it.
    pub(crate) elapsed: Duration,
}

/// How far the batch is, as shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BatchState {
    /// Files finished.
    pub(crate) done: usize,
    /// Files in all.
    pub(crate) total: usize,
    /// Finished files plus the running ones' fractions, over `total`.
    pub(crate) fraction: f64,
    /// Time since the batch began.
    pub(crate) elapsed: Duration,
}

impl Progress {
    /// Progress of `total` files, shown as `mode` says.
    pub(crate) fn new(total: usize, mode: Mode) -> Self {
        let bars = (mode == Mode::Terminal).then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let overall = multi.add(ProgressBar::new(1));
            overall.set_style(message_style());
            (multi, overall)
        });
        let width = usize::from(console::Term::stderr().size().1).max(40);
        Self {
            mode,
            bars,
            width,
            total,
            started: Instant::now(),
            done: AtomicUsize::new(0),
            running: Mutex::new(Vec::new()),
        }
    }

    /// Begins showing file `index` of the batch, `input`.
    pub(crate) fn start(&self, index: usize, input: &Path) -> FileProgress<'_> {
        let name = input.display().to_string();
        if let Ok(mut running) = self.running.lock() {
            running.push((index, 0.0));
        }
        let bar = match (&self.bars, self.mode) {
            (Some((multi, _)), _) => {
                let bar = multi.insert_from_back(1, ProgressBar::new(1));
                bar.set_style(message_style());
                Some(bar)
            }
            (None, Mode::Lines(_)) => {
                eprintln!("sladd: redacting {name}");
                None
            }
            _ => None,
        };
        let now = Instant::now();
        let file = FileProgress {
            progress: self,
            index,
            name,
            bar,
            started: now,
            last_line: now,
        };
        file.update(0, None);
        file
    }

    /// Ends file `index` of the batch; `line` says how it went.
    pub(crate) fn finished(&self, index: usize, line: &str) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if let Ok(mut running) = self.running.lock() {
            running.retain(|(i, _)| *i != index);
        }
        let line = format!("[{done}/{}] {line}", self.total);
        match (&self.bars, self.mode) {
            (Some((multi, _)), _) => {
                let _ = multi.println(line);
                self.redraw_batch();
            }
            (None, Mode::Lines(_)) => eprintln!("sladd: {line}"),
            _ => {}
        }
    }

    /// Removes the lines drawn on a terminal.
    pub(crate) fn clear(&self) {
        if let Some((_, overall)) = &self.bars {
            overall.finish_and_clear();
        }
    }

    /// Where the batch stands now.
    fn batch(&self) -> BatchState {
        let done = self.done.load(Ordering::SeqCst);
        let partial: f64 = self
            .running
            .lock()
            .map(|r| r.iter().map(|(_, f)| f).sum())
            .unwrap_or(0.0);
        BatchState {
            done,
            total: self.total,
            fraction: ((done as f64 + partial) / self.total.max(1) as f64).clamp(0.0, 1.0),
            elapsed: self.started.elapsed(),
        }
    }

    fn set_fraction(&self, index: usize, fraction: f64) {
        if let Ok(mut running) = self.running.lock() {
            if let Some(slot) = running.iter_mut().find(|(i, _)| *i == index) {
                slot.1 = fraction;
            }
        }
    }

    fn redraw_batch(&self) {
        if let Some((_, overall)) = &self.bars {
            overall.set_message(batch_line(&self.batch()));
        }
    }
}

/// The progress of one running file.
pub(crate) struct FileProgress<'a> {
    progress: &'a Progress,
    index: usize,
    name: String,
    bar: Option<ProgressBar>,
    started: Instant,
    last_line: Instant,
}

impl FileProgress<'_> {
    /// `frames` of `total` (when known) are done.
    pub(crate) fn update(&self, frames: u64, total: Option<u64>) {
        let total = total.map(|t| t.max(frames));
        let state = FileState {
            name: &self.name,
            frames,
            total,
            elapsed: self.started.elapsed(),
        };
        if let Some(t) = total.filter(|&t| t > 0) {
            self.progress
                .set_fraction(self.index, (frames as f64 / t as f64).min(1.0));
        }
        if let Some(bar) = &self.bar {
            bar.set_message(terminal_line(&state, self.progress.width));
            self.progress.redraw_batch();
        }
    }

    /// As [`FileProgress::update`], printing a plain line when the
    /// interval has passed (on a terminal the lines redraw themselves).
    pub(crate) fn tick(&mut self, frames: u64, total: Option<u64>) {
        self.update(frames, total);
        if let Mode::Lines(interval) = self.progress.mode {
            if self.last_line.elapsed() >= interval {
                self.last_line = Instant::now();
                let state = FileState {
                    name: &self.name,
                    frames,
                    total: total.map(|t| t.max(frames)),
                    elapsed: self.started.elapsed(),
                };
                eprintln!(
                    "sladd: {}; {}",
                    file_fields(&state, true),
                    batch_line(&self.progress.batch())
                );
            }
        }
    }
}

impl Drop for FileProgress<'_> {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn message_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg}").unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// Frames per second of wall-clock time so far.
fn fps(state: &FileState<'_>) -> f64 {
    let seconds = state.elapsed.as_secs_f64();
    if seconds > 0.0 {
        state.frames as f64 / seconds
    } else {
        0.0
    }
}

/// `HH:MM:SS`.
pub(crate) fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// What remains at `fraction` done after `elapsed`, when it can be told.
fn remaining(elapsed: Duration, fraction: f64) -> Option<Duration> {
    (fraction > 0.0 && fraction < 1.0 && elapsed.as_secs_f64() > 0.0)
        .then(|| Duration::from_secs_f64(elapsed.as_secs_f64() * (1.0 - fraction) / fraction))
        .or((fraction >= 1.0).then_some(Duration::ZERO))
}

/// A file's fields: `NAME: 120/250 frames (48.0%), 87.3 fps, 00:00:13
/// elapsed, eta 00:00:14` (the name left out unless `with_name`; no
/// percent or eta before the total is known).
pub(crate) fn file_fields(state: &FileState<'_>, with_name: bool) -> String {
    let fps = fps(state);
    let mut out = String::new();
    if with_name {
        let _ = write!(out, "{}: ", state.name);
    }
    match state.total {
        Some(total) if total > 0 => {
            let fraction = state.frames as f64 / total as f64;
            let _ = write!(
                out,
                "{}/{total} frames ({:.1}%), {fps:.1} fps, {} elapsed",
                state.frames,
                100.0 * fraction,
                clock(state.elapsed)
            );
            if let Some(eta) = remaining(state.elapsed, fraction) {
                let _ = write!(out, ", eta {}", clock(eta));
            }
        }
        _ => {
            let _ = write!(
                out,
                "{} frames, {fps:.1} fps, {} elapsed",
                state.frames,
                clock(state.elapsed)
            );
        }
    }
    out
}

/// A file's fields for its terminal line: `120/250 48.0% 87.3 fps
/// 00:00:13 eta 00:00:14`.
fn compact_fields(state: &FileState<'_>) -> String {
    let fps = fps(state);
    match state.total {
        Some(total) if total > 0 => {
            let fraction = state.frames as f64 / total as f64;
            let mut out = format!(
                "{}/{total} {:.1}% {fps:.1} fps {}",
                state.frames,
                100.0 * fraction,
                clock(state.elapsed)
            );
            if let Some(eta) = remaining(state.elapsed, fraction) {
                let _ = write!(out, " eta {}", clock(eta));
            }
            out
        }
        _ => format!(
            "{} frames {fps:.1} fps {}",
            state.frames,
            clock(state.elapsed)
        ),
    }
}

/// The batch's fields: `batch 1/3 files, 00:01:02 elapsed, eta 00:02:10`.
pub(crate) fn batch_line(state: &BatchState) -> String {
    let mut out = format!(
        "batch {}/{} files, {} elapsed",
        state.done,
        state.total,
        clock(state.elapsed)
    );
    if let Some(eta) = remaining(state.elapsed, state.fraction) {
        let _ = write!(out, ", eta {}", clock(eta));
    }
    out
}

/// A file's terminal line, `width` columns at most: the name shortened in
/// the middle to what the fields leave, a bar once the total is known.
pub(crate) fn terminal_line(state: &FileState<'_>, width: usize) -> String {
    let fields = compact_fields(state);
    let bar = match state.total {
        Some(total) if total > 0 => {
            let cells = 12;
            let filled = ((state.frames as f64 / total as f64) * cells as f64).round() as usize;
            let filled = filled.min(cells);
            format!(" [{}{}]", "=".repeat(filled), " ".repeat(cells - filled))
        }
        _ => String::new(),
    };
    let name = state.name.chars().count();
    let fixed = fields.chars().count() + 2;
    // The name comes first: the bar goes when both do not fit.
    let bar = if name + fixed + bar.chars().count() > width {
        String::new()
    } else {
        bar
    };
    let room = width.saturating_sub(fixed + bar.chars().count()).max(12);
    format!("{}{bar} {fields}", shorten_middle(state.name, room))
}

/// `name` in at most `max` characters, the middle replaced by `…` when it
/// is longer (the start says where, the end which file).
pub(crate) fn shorten_middle(name: &str, max: usize) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= max {
        return name.to_owned();
    }
    let keep = max.saturating_sub(1);
    let head = keep / 2;
    let tail = keep - head;
    let mut out: String = chars.iter().take(head).collect();
    out.push('…');
    out.extend(chars.iter().skip(chars.len() - tail));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(name: &str, frames: u64, total: Option<u64>, secs: u64) -> FileState<'_> {
        FileState {
            name,
            frames,
            total,
            elapsed: Duration::from_secs(secs),
        }
    }

    /// Regression: on a terminal the file name was cut to 9 characters at
    /// 120 columns, fps showed four decimals and the batch's clock stayed
    /// at 00:00:00.
    #[test]
    fn a_terminal_line_keeps_the_name_and_rounds_the_speed() {
        let name = "/archive/2026-11/kasse-1/recording-20261124-093000.mp4";
        let line = terminal_line(&state(name, 1234, Some(2500), 14), 120);
        assert!(line.contains(name), "{line}");
        assert!(
            line.contains("1234/2500 49.4% 88.1 fps 00:00:14 eta 00:00:14"),
            "{line}"
        );
        assert!(line.chars().count() <= 120, "{line}");
        let narrow = terminal_line(&state(name, 1234, Some(2500), 14), 80);
        assert!(narrow.chars().count() <= 80, "{narrow}");
        assert!(
            narrow.starts_with("/archive/") && narrow.contains('…'),
            "{narrow}"
        );
        assert!(narrow.contains("093000.mp4"), "{narrow}");
        let batch = batch_line(&BatchState {
            done: 1,
            total: 4,
            fraction: 0.5,
            elapsed: Duration::from_secs(75),
        });
        assert_eq!(batch, "batch 1/4 files, 00:01:15 elapsed, eta 00:01:15");
    }

    #[test]
    fn no_bar_or_eta_before_the_total_is_known() {
        let line = terminal_line(&state("a.mp4", 40, None, 2), 100);
        assert!(!line.contains('[') && !line.contains("eta"), "{line}");
        assert_eq!(line, "a.mp4 40 frames 20.0 fps 00:00:02");
        assert_eq!(
            file_fields(&state("a.mp4", 5, Some(10), 1), true),
            "a.mp4: 5/10 frames (50.0%), 5.0 fps, 00:00:01 elapsed, eta 00:00:01"
        );
    }

    #[test]
    fn names_are_shortened_in_the_middle() {
        assert_eq!(shorten_middle("abcdefghij", 10), "abcdefghij");
        assert_eq!(shorten_middle("abcdefghij", 7), "abc…hij");
        assert_eq!(shorten_middle("abcdefghij", 6).chars().count(), 6);
    }
}
