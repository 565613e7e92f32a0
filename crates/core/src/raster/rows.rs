//! Collecting a mask row by row, in order, straight into its span list.

use crate::mask::{Span, SpanMask};

/// Rows of a mask written top to bottom: each row's runs are gathered (in
/// any order, possibly overlapping) and then sorted, merged and appended.
#[derive(Debug)]
pub(crate) struct RowWriter {
    width: u32,
    height: u32,
    row_starts: Vec<u32>,
    spans: Vec<Span>,
    /// The current row's runs, clipped to the plane, not yet sorted.
    runs: Vec<(u32, u32)>,
}

impl RowWriter {
    /// A writer for a `width × height` mask (a size already validated),
    /// with room for `spans` spans before it reallocates.
    pub(crate) fn new(width: u32, height: u32, spans: usize) -> Self {
        let mut row_starts = Vec::with_capacity(height as usize + 1);
        row_starts.push(0);
        Self {
            width,
            height,
            row_starts,
            spans: Vec::with_capacity(spans),
            runs: Vec::new(),
        }
    }

    /// Adds the columns `start..end` (clipped to the plane; empty runs are
    /// ignored) to the current row.
    #[inline]
    pub(crate) fn add(&mut self, start: i64, end: i64) {
        let w = i64::from(self.width);
        let (start, end) = (start.clamp(0, w) as u32, end.clamp(0, w) as u32);
        if start < end {
            self.runs.push((start, end));
        }
    }

    /// Ends the current row: sorts and merges its runs into spans.
    pub(crate) fn end_row(&mut self) {
        if self.row_starts.len() > self.height as usize {
            self.runs.clear();
            return;
        }
        sort_small(&mut self.runs, |r| r.0);
        let first = self.spans.len();
        for &(start, end) in &self.runs {
            let in_row = self.spans.len() > first;
            match self.spans.last_mut() {
                Some(last) if in_row && start <= last.end => {
                    last.end = last.end.max(end);
                }
                _ => self.spans.push(Span::new(start, end)),
            }
        }
        self.runs.clear();
        self.row_starts.push(self.spans.len() as u32);
    }

    /// Ends rows, empty, until `row` is the current one.
    pub(crate) fn skip_to(&mut self, row: u32) {
        let target = (row.min(self.height) as usize).max(self.row_starts.len() - 1);
        let len = self.spans.len() as u32;
        self.row_starts.resize(target + 1, len);
    }

    /// The finished mask; rows not written are empty.
    pub(crate) fn finish(mut self) -> SpanMask {
        self.skip_to(self.height);
        SpanMask::from_sorted_parts(self.width, self.height, self.row_starts, self.spans)
    }
}

/// Sorts by `key`: insertion sort for the handful of items a row usually
/// has (it beats the general sort there), the general sort beyond.
pub(crate) fn sort_small<T: Copy, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    if items.len() > 16 {
        items.sort_unstable_by_key(key);
        return;
    }
    for i in 1..items.len() {
        let item = items[i];
        let k = key(&item);
        let mut j = i;
        while j > 0 && key(&items[j - 1]) > k {
            items[j] = items[j - 1];
            j -= 1;
        }
        items[j] = item;
    }
}
