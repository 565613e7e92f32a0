//! What happens to each recording at an instant: kept until its deadline,
//! deleted once overdue, held for a case, or kept and flagged when its age
//! is unknown. The deadlines are sladd-policy's ([`Retention`]), the same
//! arithmetic `sladd check` judges `retention_days` by.

use jiff::Timestamp;
use serde::Serialize;
use sladd_policy::retention::{LegalLimit, Retention};
use sladd_policy::{Policy, Rule};

use crate::holds::Hold;
use crate::recording::{Archive, Recording};

/// What to do with a recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Keep it until its deadline.
    Keep,
    /// Overdue: delete it.
    Delete,
    /// A legal hold keeps it past its deadline, until the hold's end.
    Hold,
    /// Its start cannot be established: kept, flagged, never disclosed.
    UnknownAge,
}

impl Action {
    /// `keep`, `delete`, `hold` or `unknown-age`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Keep => "keep",
            Self::Delete => "delete",
            Self::Hold => "hold",
            Self::UnknownAge => "unknown-age",
        }
    }
}

/// The verdict on one recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The recording.
    pub recording: Recording,
    /// What to do with it.
    pub action: Action,
    /// For `keep` and `hold` the last instant it may be kept; for `delete`
    /// the instant it became overdue; `None` for `unknown-age`.
    pub deadline: Option<Timestamp>,
    /// The rule that set the deadline.
    pub rule: Rule,
    /// The period the deadline counts (`7 days`, `3 calendar months`,
    /// `5 days (retention_days)`).
    pub limit: Option<String>,
    /// The cases of the holds that cover it.
    pub holds: Vec<String>,
    /// Why, in one sentence.
    pub reason: String,
}

/// What became of one hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HoldState {
    /// It keeps the recordings it covers.
    Active,
    /// Its `until` day has passed: its recordings follow their deadlines.
    Expired,
    /// It would keep a recording past the longest lawful retention; that
    /// recording is due for deletion all the same.
    PastLawfulEnd,
}

/// A hold and what it does now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldStatus {
    /// The hold.
    pub hold: Hold,
    /// What it does now.
    pub state: HoldState,
    /// The recordings it covers.
    pub recordings: usize,
    /// The earliest lawful end among the recordings it covers.
    pub lawful_end: Option<Timestamp>,
}

/// The retention of a whole archive at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// When it was judged.
    pub now: Timestamp,
    /// One entry per recording, in the archive's order.
    pub entries: Vec<Entry>,
    /// Every hold of the holds file.
    pub holds: Vec<HoldStatus>,
}

impl Plan {
    /// The entries with this action.
    pub fn with(&self, action: Action) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.action == action)
    }

    /// Whether anything is overdue.
    #[must_use]
    pub fn overdue(&self) -> bool {
        self.with(Action::Delete).next().is_some()
    }
}

/// Judges every recording of `archive` at `now`, with `holds`.
#[must_use]
pub fn plan(policy: &Policy, archive: &Archive, holds: &[Hold], now: Timestamp) -> Plan {
    let mut statuses: Vec<HoldStatus> = holds
        .iter()
        .map(|h| HoldStatus {
            hold: h.clone(),
            state: if now > h.ends_at(&policy.site().timezone) {
                HoldState::Expired
            } else {
                HoldState::Active
            },
            recordings: 0,
            lawful_end: None,
        })
        .collect();
    let entries = archive
        .recordings
        .iter()
        .map(|r| judge(policy, r, &mut statuses, now))
        .collect();
    Plan {
        now,
        entries,
        holds: statuses,
    }
}

fn judge(
    policy: &Policy,
    recording: &Recording,
    holds: &mut [HoldStatus],
    now: Timestamp,
) -> Entry {
    let unknown = |reason: String| Entry {
        recording: recording.clone(),
        action: Action::UnknownAge,
        deadline: None,
        rule: Rule::RetentionUnknownAge,
        limit: None,
        holds: Vec::new(),
        reason,
    };
    let Ok(camera) = policy.camera(&recording.camera) else {
        return unknown(format!(
            "camera '{}' is not in the site file",
            recording.camera
        ));
    };
    let Some((start, end)) = recording.span() else {
        let why = recording
            .unknown
            .clone()
            .unwrap_or_else(|| "its start is unknown".to_owned());
        return unknown(format!("Kept and never disclosed: {why}."));
    };
    let tz = &camera.site().timezone;
    let deadline = Retention::of(camera).deadline(end, tz);
    let limit = if deadline.stated {
        format!("{} (retention_days)", deadline.period)
    } else {
        deadline.period.to_string()
    };
    let (lawful_end, lawful_period, _) = LegalLimit::for_holds(camera).deadline(end, tz);

    // Holds that still run keep the recording up to the lawful end.
    let mut cases = Vec::new();
    let mut held_until: Option<Timestamp> = None;
    let mut past_lawful = false;
    for status in holds.iter_mut() {
        if !status.hold.covers(&camera.id, start, end) {
            continue;
        }
        status.recordings += 1;
        status.lawful_end = Some(status.lawful_end.map_or(lawful_end, |t| t.min(lawful_end)));
        if status.state == HoldState::Expired {
            continue;
        }
        cases.push(status.hold.case.clone());
        let hold_end = status.hold.ends_at(tz);
        if hold_end > lawful_end {
            status.state = HoldState::PastLawfulEnd;
        }
        if now > lawful_end {
            past_lawful = true;
        }
        let until = hold_end.min(lawful_end);
        held_until = Some(held_until.map_or(until, |t| t.max(until)));
    }

    let entry = |action, deadline, rule, limit: String, reason: String| Entry {
        recording: recording.clone(),
        action,
        deadline: Some(deadline),
        rule,
        limit: Some(limit),
        holds: cases.clone(),
        reason,
    };
    match held_until {
        Some(until) if until > deadline.at && now <= until => entry(
            Action::Hold,
            until,
            Rule::Retention30dPolice,
            lawful_period.to_string(),
            format!(
                "Held for case {} past its own deadline, at most {} after the recording.",
                cases.join(", "),
                lawful_period
            ),
        ),
        Some(_) if past_lawful && now > deadline.at => entry(
            Action::Delete,
            lawful_end.max(deadline.at),
            Rule::Retention30dPolice,
            lawful_period.to_string(),
            format!(
                "A hold (case {}) cannot keep it longer than {} after the recording.",
                cases.join(", "),
                lawful_period
            ),
        ),
        _ if now > deadline.at => entry(
            Action::Delete,
            deadline.at,
            deadline.rule,
            limit.clone(),
            format!("Overdue: recordings may be kept {limit}."),
        ),
        _ => entry(
            Action::Keep,
            deadline.at,
            deadline.rule,
            limit.clone(),
            format!("Within the {limit} it may be kept."),
        ),
    }
}
