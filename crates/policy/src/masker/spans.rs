//! The runs of frames masked under one decision: what a redaction report
//! and the evidence manifest record about when which zones were masked.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::decide::Decision;

/// One run of consecutive frames under the same decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionSpan {
    /// First frame of the run (0-based).
    pub first_frame: u64,
    /// Last frame of the run.
    pub last_frame: u64,
    /// The instant of the first frame (RFC 3339, UTC), when known.
    pub at: Option<String>,
    /// Whether the whole frame was masked.
    pub full_frame: bool,
    /// The masked zones as `name (RULE)`, in config order.
    pub masked_zones: Vec<String>,
}

impl DecisionSpan {
    /// A run of one frame, `frame`, shown at `instant` under `decision`.
    fn start(frame: u64, instant: Option<Timestamp>, decision: &Decision) -> Self {
        Self {
            first_frame: frame,
            last_frame: frame,
            at: instant.map(|t| t.to_string()),
            full_frame: decision.full_frame,
            masked_zones: decision
                .zones
                .iter()
                .filter(|z| z.masked())
                .map(|z| format!("{} ({})", z.name, z.rule))
                .collect(),
        }
    }
}

/// The spans recorded so far, extended frame by frame.
#[derive(Debug, Clone)]
pub(crate) struct SpanLog {
    spans: Vec<DecisionSpan>,
    /// The decider generation the last span was checked against.
    generation: Option<u64>,
    /// Whether frames are recorded at all.
    enabled: bool,
}

impl Default for SpanLog {
    fn default() -> Self {
        Self {
            spans: Vec::new(),
            generation: None,
            enabled: true,
        }
    }
}

impl SpanLog {
    /// Records `frame`, shown at `instant` under `decision` (the decider's
    /// `generation`): extends the last run while the decision is the same
    /// one (no allocation); on a new decision, extends it too when the new
    /// one masks the same zones under the same rules, else starts a run.
    pub(crate) fn record(
        &mut self,
        frame: u64,
        instant: Option<Timestamp>,
        generation: u64,
        decision: &Decision,
    ) {
        if !self.enabled {
            return;
        }
        let seen = self.generation.replace(generation);
        if let Some(last) = self.spans.last_mut() {
            if seen == Some(generation) || same_zones(last, decision) {
                last.last_frame = last.last_frame.max(frame);
                return;
            }
        }
        self.spans
            .push(DecisionSpan::start(frame, instant, decision));
    }

    /// Records from now on (`true`, the default) or not.
    pub(crate) fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
    }

    /// The runs, in order.
    pub(crate) fn spans(&self) -> &[DecisionSpan] {
        &self.spans
    }

    /// Takes the runs, leaving the log empty.
    pub(crate) fn take(&mut self) -> Vec<DecisionSpan> {
        self.generation = None;
        std::mem::take(&mut self.spans)
    }
}

/// Whether `decision` masks the whole frame as `span` says and the same
/// zones under the same rules.
fn same_zones(span: &DecisionSpan, decision: &Decision) -> bool {
    use std::fmt::Write;

    if span.full_frame != decision.full_frame {
        return false;
    }
    let mut masked = decision.zones.iter().filter(|z| z.masked());
    let mut label = String::new();
    let same = span.masked_zones.iter().all(|recorded| {
        masked.next().is_some_and(|z| {
            label.clear();
            let _ = write!(label, "{} ({})", z.name, z.rule);
            *recorded == label
        })
    });
    same && masked.next().is_none()
}
