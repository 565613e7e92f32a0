//! The compliance report (rules.md §3, and §4 for healthcare sites).
//!
//! Each camera is checked by rule group, one module each, in the order of
//! `CAMERA_CHECKS`; every text a finding says is in `text.rs`. A new
//! group is a module with one function, a line in that list and its texts.
//!
//! Every check reads a fact of the site file. A fact the file does not
//! state is reported as missing (a warning), never assumed to be in order.
//! Zones that [`crate::decide`] masks are reported as information (what is
//! masked, when and why); violations are facts of the set-up that masking
//! cannot mend.

use std::fmt;

use jiff::civil::Date;
use jiff::Timestamp;
use serde::Serialize;

use crate::config::raw::Sector;
use crate::policy::{Camera, Policy};
use crate::rule::Rule;

use self::text::Text;

mod capture;
mod disclosure;
mod healthcare;
mod process;
mod purpose;
mod retention;
mod text;
mod transparency;
mod zones;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For information: what sladd masks, and why.
    Info,
    /// A missing fact or a recommendation.
    Warning,
    /// A fact of the set-up that masking cannot mend.
    Violation,
}

impl Severity {
    /// `violation`, `warning` or `info`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Violation => "violation",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One finding of the compliance report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule.
    pub id: Rule,
    /// How serious.
    pub severity: Severity,
    /// The camera (`None` for site-wide findings).
    pub camera: Option<String>,
    /// The zone, if the finding is about one.
    pub zone: Option<String>,
    /// What a site manager should know or do.
    pub message: String,
    /// Where the rule comes from.
    pub source: &'static str,
}

/// The compliance report of a site, as `sladd check --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The site's name.
    pub site: String,
    /// The instant judged at, RFC 3339 in the site's local offset.
    pub at: Option<String>,
    /// The findings, site-wide first, then camera by camera.
    pub findings: Vec<Finding>,
    /// How many findings are violations.
    pub violations: usize,
    /// How many are warnings.
    pub warnings: usize,
    /// How many are information.
    pub infos: usize,
}

impl Report {
    /// The report for `policy` at `instant` (see [`check`]).
    #[must_use]
    pub fn new(policy: &Policy, instant: Option<Timestamp>) -> Self {
        Self::with_findings(policy, instant, Vec::new())
    }

    /// The report for `policy` at `instant` with `extra` findings (of the
    /// archive, say), each placed after the other findings of its camera.
    #[must_use]
    pub fn with_findings(policy: &Policy, instant: Option<Timestamp>, extra: Vec<Finding>) -> Self {
        let mut findings = check(policy, instant);
        for finding in extra {
            let at = findings
                .iter()
                .rposition(|f| f.camera == finding.camera)
                .map_or(findings.len(), |i| i + 1);
            findings.insert(at, finding);
        }
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let tz = policy.site().timezone.clone();
        Self {
            site: policy.site().name.clone(),
            at: instant.map(|t| t.to_zoned(tz).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()),
            violations: count(Severity::Violation),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            findings,
        }
    }
}

pub use crate::retention::{shortest_three_months_days, three_months_after};

/// The finding for a recording of `camera` whose `creation_time` is not
/// trusted (`why` says which value and why): its start is unknown, so
/// every time-dependent rule takes its protective branch.
#[must_use]
pub fn untrusted_clock(camera: &Camera, recording: &str, why: &str) -> Finding {
    let text = Text::UntrustedClock {
        recording: recording.to_owned(),
        why: why.to_owned(),
    };
    Finding {
        id: Rule::ClockUntrusted,
        severity: Severity::Warning,
        camera: Some(camera.id.clone()),
        zone: None,
        message: text.to_string(),
        source: Rule::ClockUntrusted.source(),
    }
}

/// A camera's checks, by rule group, in the order the report lists them.
const CAMERA_CHECKS: &[fn(&Subject<'_>, &mut Findings<'_>)] = &[
    purpose::defined,
    process::documented,
    process::reevaluated,
    transparency::signage,
    transparency::hidden,
    capture::audio,
    capture::remote_live,
    capture::rotatable,
    zones::zones,
    purpose::concrete_risk,
    purpose::time_window,
    retention::retention,
    disclosure::disclosure,
    purpose::work_control,
    process::objection,
    process::legal_basis,
    capture::access,
    capture::third_party,
    healthcare::camera,
];

/// The compliance report for every camera of `policy`, judged at `instant`
/// (used for the yearly re-evaluation; `None`: that age is not judged).
#[must_use]
pub fn check(policy: &Policy, instant: Option<Timestamp>) -> Vec<Finding> {
    let mut found = Vec::new();
    site_wide(policy, &mut Findings::new(&mut found, None));
    let today = instant.map(|t| t.to_zoned(policy.site().timezone.clone()).date());
    for camera in policy.cameras() {
        let subject = Subject {
            camera,
            instant,
            today,
        };
        let mut out = Findings::new(&mut found, Some(camera));
        for group in CAMERA_CHECKS {
            group(&subject, &mut out);
        }
    }
    found
}

/// Findings about the whole site.
fn site_wide(policy: &Policy, out: &mut Findings<'_>) {
    let site = policy.site();
    if !site.other_control_measures.is_empty() {
        let measures = site.other_control_measures.join(", ");
        out.add(
            Rule::Cumulative,
            Severity::Warning,
            Text::Cumulative { measures },
        );
    }
    if site.staff_minors == Some(true) {
        out.add(Rule::Minors, Severity::Info, Text::Minors);
    }
    if site.sector == Sector::Healthcare {
        out.add(Rule::HEmployer, Severity::Info, Text::HealthcareEmployer);
    }
}

/// What a camera's checks look at.
struct Subject<'a> {
    camera: &'a Camera,
    /// The instant judged at, when given.
    instant: Option<Timestamp>,
    /// Its date in the site's time zone.
    today: Option<Date>,
}

/// Where a camera's (or the site's) findings go.
struct Findings<'a> {
    found: &'a mut Vec<Finding>,
    camera: Option<&'a Camera>,
}

impl<'a> Findings<'a> {
    fn new(found: &'a mut Vec<Finding>, camera: Option<&'a Camera>) -> Self {
        Self { found, camera }
    }

    /// A finding about the camera (or the site).
    fn add(&mut self, id: Rule, severity: Severity, text: Text) {
        self.push(id, severity, None, text);
    }

    /// A finding about one of the camera's zones.
    fn add_zone(&mut self, id: Rule, severity: Severity, zone: &str, text: Text) {
        self.push(id, severity, Some(zone), text);
    }

    fn push(&mut self, id: Rule, severity: Severity, zone: Option<&str>, text: Text) {
        self.found.push(Finding {
            id,
            severity,
            camera: self.camera.map(|c| c.id.clone()),
            zone: zone.map(str::to_owned),
            message: text.to_string(),
            source: id.source(),
        });
    }

    /// A yes/no fact that must be `true`: `false` is a violation
    /// (`when_false`), unstated a warning.
    fn required(
        &mut self,
        id: Rule,
        fact: Option<bool>,
        (field, words): (&'static str, &'static str),
        when_false: Text,
    ) {
        match fact {
            Some(true) => {}
            Some(false) => self.add(id, Severity::Violation, when_false),
            None => self.unstated(id, fact, (field, words)),
        }
    }

    /// A warning when a yes/no fact is not stated.
    fn unstated(
        &mut self,
        id: Rule,
        fact: Option<bool>,
        (field, words): (&'static str, &'static str),
    ) {
        if fact.is_none() {
            self.add(id, Severity::Warning, Text::Unstated { words, field });
        }
    }

    /// A warning when a yes/no fact that must be `false` (`audio`,
    /// `hidden`, ...) is not stated.
    fn forbidden(&mut self, id: Rule, fact: Option<bool>, what: &'static str, field: &'static str) {
        if fact.is_none() {
            self.add(
                id,
                Severity::Warning,
                Text::UnstatedForbidden { what, field },
            );
        }
    }
}
