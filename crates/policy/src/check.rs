//! The compliance report (rules.md §3, and §4 for healthcare sites).
//!
//! Every check reads a fact of the site file. A fact the file does not
//! state is reported as missing (a warning), never assumed to be in order.
//! Zones that [`crate::decide`] masks are reported as information (what is
//! masked, when and why); violations are facts of the set-up that masking
//! cannot mend.

use std::fmt;

use jiff::civil::Date;
use jiff::{Span, Timestamp};

use crate::disclosure;
use crate::retention::{LegalLimit, Period};
use serde::Serialize;

use crate::config::raw::{Area, LegalBasis, PurposeKind, Recipient, Sector};
use crate::decide::{decide, is_legitimate, Outcome};
use crate::policy::{Camera, Policy, Window};
use crate::rule::Rule;

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
    Finding {
        id: Rule::ClockUntrusted,
        severity: Severity::Warning,
        camera: Some(camera.id.clone()),
        zone: None,
        message: format!(
            "Recording {recording}: {why}. sladd takes its start as unknown and masks as if staff \
             were present and time-limited purposes were off; set the camera's clock, or give \
             the start (`--start`)."
        ),
        source: Rule::ClockUntrusted.source(),
    }
}

/// The compliance report for every camera of `policy`, judged at `instant`
/// (used for the yearly re-evaluation; `None`: that age is not judged).
#[must_use]
pub fn check(policy: &Policy, instant: Option<Timestamp>) -> Vec<Finding> {
    let mut out = Findings(Vec::new());
    let site = policy.site();
    if !site.other_control_measures.is_empty() {
        out.push(
            Rule::Cumulative,
            Severity::Warning,
            None,
            None,
            format!(
                "Other control measures are in use ({}); the balancing test for the cameras must weigh all of them together, not each alone.",
                site.other_control_measures.join(", ")
            ),
        );
    }
    if site.staff_minors == Some(true) {
        out.push(
            Rule::Minors,
            Severity::Info,
            None,
            None,
            "Staff under 18 are filmed; their privacy weighs more in the balancing test."
                .to_owned(),
        );
    }
    if site.sector == Sector::Healthcare {
        out.push(
            Rule::HEmployer,
            Severity::Info,
            None,
            None,
            "This is a healthcare site: where the institution films its own staff, the workplace rules apply in full, and patients are covered by the duty of confidentiality.".to_owned(),
        );
    }
    let today = instant.map(|t| t.to_zoned(site.timezone.clone()).date());
    for camera in policy.cameras() {
        check_camera(camera, instant, today, &mut out);
    }
    out.0
}

struct Findings(Vec<Finding>);

impl Findings {
    fn push(
        &mut self,
        id: Rule,
        severity: Severity,
        camera: Option<&Camera>,
        zone: Option<&str>,
        message: String,
    ) {
        self.0.push(Finding {
            id,
            severity,
            camera: camera.map(|c| c.id.clone()),
            zone: zone.map(str::to_owned),
            message,
            source: id.source(),
        });
    }
}

/// A yes/no fact that must be `true`: `false` is a violation, unstated a
/// warning.
fn required(
    out: &mut Findings,
    camera: &Camera,
    id: Rule,
    fact: Option<bool>,
    (field, words): (&str, &str),
    when_false: &str,
) {
    match fact {
        Some(true) => {}
        Some(false) => out.push(id, Severity::Violation, Some(camera), None, when_false.to_owned()),
        None => out.push(
            id,
            Severity::Warning,
            Some(camera),
            None,
            format!("The site file does not say whether {words}; state it (`{field}`), it is not assumed."),
        ),
    }
}

/// A yes/no fact that must be `false` (`audio`, `hidden`, ...).
fn forbidden(
    out: &mut Findings,
    camera: &Camera,
    id: Rule,
    fact: Option<bool>,
    what: &str,
    field: &str,
) {
    if fact.is_none() {
        out.push(
            id,
            Severity::Warning,
            Some(camera),
            None,
            format!(
                "The site file does not say whether {what}; state `{field}`, it is not assumed."
            ),
        );
    }
}

fn check_camera(
    camera: &Camera,
    instant: Option<Timestamp>,
    today: Option<Date>,
    out: &mut Findings,
) {
    let facts = &camera.facts;
    let site = camera.site();
    let cam = Some(camera);
    let kinds: Vec<PurposeKind> = camera.purposes.iter().map(|p| p.kind).collect();

    // R-PURPOSE-DEFINED
    if kinds.is_empty() {
        out.push(Rule::PurposeDefined, Severity::Violation, cam, None,
            "No purpose is stated. A camera needs a defined purpose before it starts; sladd masks the whole frame until one is given.".to_owned());
    } else if kinds.iter().all(|k| *k == PurposeKind::Other) {
        out.push(Rule::PurposeDefined, Severity::Violation, cam, None,
            "The only purpose is 'other': a camera set up just in case has no lawful purpose; sladd masks the whole frame.".to_owned());
    } else if kinds.contains(&PurposeKind::Other) {
        out.push(
            Rule::PurposeDefined,
            Severity::Warning,
            cam,
            None,
            "One purpose is 'other', which is not a defined purpose; sladd does not count it."
                .to_owned(),
        );
    }
    for used in &facts.reused_for {
        if *used != PurposeKind::WorkPerformance && !kinds.contains(used) {
            out.push(Rule::PurposeDefined, Severity::Violation, cam, None, format!(
                "Footage is used for {}, which is not a stated purpose: footage may only be used for the purpose staff were told of.",
                used.name().replace('_', " ")));
        }
    }

    // R-DOC-BEFORE-START, R-INTERNAL-CONTROL, R-AML-PROCESS, R-INFO-STAFF
    required(out, camera, Rule::DocBeforeStart, facts.documented_assessment,
        ("documented_assessment", "a written necessity and balancing assessment was made before start"),
        "There is no written assessment of why the camera is necessary and why it outweighs the staff's privacy; it must exist before the camera starts.");
    required(out, camera, Rule::InternalControl, facts.written_routines,
        ("written_routines", "written routines for deletion, access and disclosure exist"),
        "There are no written routines for deleting recordings, who may see them and when they may be handed over.");
    let aml_false = facts.union_discussed == Some(false) || facts.staff_informed == Some(false);
    if aml_false {
        let mut missing = Vec::new();
        if facts.union_discussed == Some(false) {
            missing.push("discussed with the union representatives");
        }
        if facts.staff_informed == Some(false) {
            missing.push("announced to staff before it started");
        }
        out.push(Rule::AmlProcess, Severity::Violation, cam, None, format!(
            "The camera was not {}, as the Working Environment Act requires for control measures.", missing.join(" nor ")));
    } else {
        required(
            out,
            camera,
            Rule::AmlProcess,
            facts.union_discussed,
            (
                "union_discussed",
                "the camera was discussed with the union representatives",
            ),
            "",
        );
        required(
            out,
            camera,
            Rule::AmlProcess,
            facts.staff_informed,
            ("staff_informed", "staff were informed before start"),
            "",
        );
    }
    required(out, camera, Rule::InfoStaff, facts.written_notice, ("written_notice", "staff got written notice"),
        "Staff have no written notice naming the employer, the purpose, the legal basis, who gets recordings, how long they are kept and their rights.");

    // R-REEVAL-YEARLY
    match (facts.last_reviewed, today) {
        (None, _) => out.push(Rule::ReevalYearly, Severity::Warning, cam, None,
            "No re-evaluation date is given (`last_reviewed`); check at least yearly that the reason for the camera is still real.".to_owned()),
        (Some(d), Some(today)) => {
            let due = d.checked_add(Span::new().months(12)).unwrap_or(d);
            if due < today {
                out.push(Rule::ReevalYearly, Severity::Warning, cam, None, format!(
                    "Last re-evaluated {d}, more than 12 months ago; check that the reason for the camera is still real."));
            }
        }
        (Some(_), None) => {}
    }

    // R-SIGNAGE
    match facts.signage {
        Some(false) => out.push(Rule::Signage, Severity::Violation, cam, None,
            "There is no sign. Camera surveillance must be signposted where people see it before they enter.".to_owned()),
        None => out.push(Rule::Signage, Severity::Warning, cam, None,
            "The site file does not say whether the camera is signposted; state `signage`, it is not assumed.".to_owned()),
        Some(true) => {
            if facts.sign_before_entry == Some(false) {
                out.push(Rule::Signage, Severity::Violation, cam, None,
                    "The sign is not seen before entering the filmed area; move it to the entrance.".to_owned());
            }
            if facts.sign_names_controller == Some(false) {
                out.push(Rule::Signage, Severity::Violation, cam, None,
                    "The sign does not name who is responsible for the camera.".to_owned());
            }
            if facts.audio == Some(true) {
                match facts.sign_mentions_audio {
                    Some(true) => {}
                    Some(false) => out.push(Rule::Signage, Severity::Violation, cam, None,
                        "Sound is recorded but the sign does not say so.".to_owned()),
                    None => out.push(Rule::Signage, Severity::Warning, cam, None,
                        "Sound is recorded; the site file does not say whether the sign mentions it (`sign_mentions_audio`).".to_owned()),
                }
            }
        }
    }

    // R-HIDDEN (+ H-HIDDEN)
    if facts.hidden == Some(true) {
        out.push(
            Rule::Hidden,
            Severity::Violation,
            cam,
            None,
            "The camera is hidden. Covert camera surveillance is not allowed at work.".to_owned(),
        );
        if site.sector == Sector::Healthcare {
            out.push(
                Rule::HHidden,
                Severity::Warning,
                cam,
                None,
                "Covert recordings in healthcare erode trust; review them before any export."
                    .to_owned(),
            );
        }
    }
    forbidden(
        out,
        camera,
        Rule::Hidden,
        facts.hidden,
        "the camera is hidden",
        "hidden",
    );

    // R-AUDIO
    match facts.audio {
        Some(true) if facts.audio_justified == Some(true) => out.push(Rule::Audio, Severity::Warning, cam, None,
            "The camera records sound. You state it is justified; sound is rarely necessary, so keep the reason documented.".to_owned()),
        Some(true) => out.push(Rule::Audio, Severity::Violation, cam, None,
            "The camera records sound. Sound recording is rarely necessary and makes the surveillance far more intrusive; turn it off.".to_owned()),
        _ => forbidden(out, camera, Rule::Audio, facts.audio, "the camera records sound", "audio"),
    }

    // R-REMOTE-LIVE
    match facts.remote_live_access {
        Some(true) if facts.remote_justified == Some(true) => out.push(Rule::RemoteLive, Severity::Warning, cam, None,
            "Live video can be watched remotely (e.g. on a phone). You state it is justified; it is usually not allowed, so keep the reason documented.".to_owned()),
        Some(true) => out.push(Rule::RemoteLive, Severity::Violation, cam, None,
            "Live video can be watched remotely (e.g. on a phone). That is more intrusive than local viewing and is usually not allowed; turn it off.".to_owned()),
        _ => forbidden(out, camera, Rule::RemoteLive, facts.remote_live_access, "live video can be watched remotely", "remote_live_access"),
    }

    // R-PTZ-STAFF
    let staff_zones: Vec<&str> = camera
        .zones
        .iter()
        .filter(|z| matches!(z.area, Area::RestrictedCircle | Area::Private))
        .map(|z| z.name.as_str())
        .collect();
    match facts.rotatable {
        Some(true) => out.push(Rule::PtzStaff, Severity::Warning, cam, None, format!(
            "The camera can be turned or zoomed, so it can reach where staff work{}. sladd's zones are fixed to the picture: after any pan, tilt or zoom they no longer match. Lock the camera or remove the ability to turn it towards staff.",
            if staff_zones.is_empty() { String::new() } else { format!(" ({})", staff_zones.join(", ")) })),
        Some(false) => {}
        None => out.push(Rule::PtzStaff, Severity::Warning, cam, None,
            "The site file does not say whether the camera can be turned or zoomed (`rotatable`); it is not assumed.".to_owned()),
    }

    // Zones: what is masked, when and why.
    check_zones(camera, instant, out);

    // R-CONCRETE-RISK
    for p in camera.purposes.iter().filter(|p| p.kind.is_safety()) {
        if facts.risk_documented != Some(true) {
            out.push(Rule::ConcreteRisk, Severity::Warning, cam, None, format!(
                "The purpose '{}' needs a concrete, documented risk above the normal, and the site file {}; until it does, sladd does not count this purpose.",
                p.kind.name(),
                if facts.risk_documented == Some(false) { "says there is none" } else { "does not state one (`risk_documented`)" }));
        }
    }

    // R-TIME-WINDOW
    let after_closing_only = kinds.iter().all(|k| k.is_after_closing());
    let open = Window::OpeningHours.as_schedules(site);
    for p in camera.purposes.iter().filter(|p| p.kind.is_after_closing()) {
        if p.when.as_schedules(site).overlaps(&open) {
            let sev = if after_closing_only {
                Severity::Violation
            } else {
                Severity::Warning
            };
            out.push(Rule::TimeWindow, sev, cam, None, format!(
                "The purpose '{}' only justifies filming outside opening hours, but the camera is set to film {}. Limit it with when = \"outside_opening_hours\"; meanwhile sladd masks {} during opening hours.",
                p.kind.name(),
                if p.when_stated { p.when.describe() } else { "at all times".to_owned() },
                if after_closing_only { "the whole frame" } else { "according to the other purposes" }));
        }
    }

    check_retention(camera, out);
    check_disclosure(camera, out);

    // R-PURPOSE-WORKCONTROL
    if kinds.contains(&PurposeKind::WorkPerformance) {
        out.push(Rule::PurposeWorkcontrol, Severity::Violation, cam, None,
            "A purpose is to judge staff's work performance; camera surveillance for that is not lawful, and sladd does not count it.".to_owned());
    }
    if facts.reused_for.contains(&PurposeKind::WorkPerformance)
        && !kinds.contains(&PurposeKind::WorkPerformance)
    {
        out.push(Rule::PurposeWorkcontrol, Severity::Violation, cam, None, format!(
            "Footage from a camera set up for {} is used to judge staff's work. Footage may only be used for the purpose it was set up and announced for.",
            kinds.iter().map(|k| k.name().replace('_', " ")).collect::<Vec<_>>().join(", ")));
    }

    // R-OBJECTION
    match facts.employee_objection {
        Some(true) if facts.compelling_grounds_documented == Some(true) => out.push(Rule::Objection, Severity::Warning, cam, None,
            "An employee objects; you state compelling grounds are documented. Keep that documentation: the bar is higher after an objection.".to_owned()),
        Some(true) => out.push(Rule::Objection, Severity::Violation, cam, None,
            "An employee objects to the camera, and no compelling grounds that override the objection are documented.".to_owned()),
        Some(false) => {}
        None => out.push(Rule::Objection, Severity::Warning, cam, None,
            "The site file does not say whether any employee objects (`employee_objection`); it is not assumed.".to_owned()),
    }

    // R-CONSENT-BASIS
    match facts.legal_basis {
        Some(LegalBasis::Consent) => out.push(Rule::ConsentBasis, Severity::Warning, cam, None,
            "Staff consent is the stated legal basis; between employer and employee consent is rarely free, so it is unsuitable. Use legitimate interest with a balancing test.".to_owned()),
        Some(_) => {}
        None => out.push(Rule::ConsentBasis, Severity::Warning, cam, None,
            "No legal basis is stated (`legal_basis`); it is usually legitimate interest, with a written balancing test.".to_owned()),
    }

    // R-ACCESS
    match (facts.viewers, facts.role_based_access) {
        (None, None) => out.push(Rule::Access, Severity::Warning, cam, None,
            "The site file does not say who can see live video and recordings (`viewers`, `role_based_access`); it is not assumed.".to_owned()),
        (viewers, role) => {
            if let Some(n) = viewers.filter(|n| *n > 3) {
                out.push(Rule::Access, Severity::Warning, cam, None, format!(
                    "{n} people can see live video or recordings; usually very few need to."));
            }
            if role == Some(false) {
                out.push(Rule::Access, Severity::Warning, cam, None,
                    "Access to video is not limited to those who need it for their work.".to_owned());
            }
        }
    }

    // R-SCOPE-THIRD-PARTY
    if facts.operator_third_party == Some(true) {
        out.push(Rule::ScopeThirdParty, Severity::Info, cam, None,
            "The camera is run by someone else (e.g. the mall), in understanding with the employer: the camera regulation still protects the staff, and every check here applies.".to_owned());
    }

    // Healthcare profile.
    if site.sector == Sector::Healthcare {
        if facts.staff_consent_recorded != Some(true) {
            out.push(Rule::HStaffConsent, Severity::Warning, cam, None,
                "No recorded consent from the staff filmed (`staff_consent_recorded`); mask staff before any footage is shared.".to_owned());
        }
        if facts.media_production == Some(true) {
            out.push(Rule::HMedia, Severity::Info, cam, None,
                "Filmed for a TV or film production: make an ethical assessment with the staff before, during and after filming; the duty of confidentiality still applies.".to_owned());
        }
    }
}

fn check_zones(camera: &Camera, instant: Option<Timestamp>, out: &mut Findings) {
    let cam = Some(camera);
    let now = instant.map(|t| decide(camera, Some(t)));
    let now_text = |i: usize| -> String {
        match now.as_ref().and_then(|d| d.zones.get(i)) {
            Some(z) if z.outcome == Outcome::Shown => {
                " It is shown at the time checked.".to_owned()
            }
            Some(z) if z.outcome == Outcome::ObjectOnly => {
                " At the time checked it is masked except its objects.".to_owned()
            }
            Some(_) => " It is masked at the time checked.".to_owned(),
            None => String::new(),
        }
    };
    let safety = camera
        .purposes
        .iter()
        .any(|p| p.kind.is_safety() && is_legitimate(p.kind, camera));
    for (i, zone) in camera.zones.iter().enumerate() {
        let name = Some(zone.name.as_str());
        match zone.area {
            Area::Private => out.push(Rule::AreaPrivate, Severity::Info, cam, name,
                "A break room, toilet or changing room is in view: sladd fills it solid in every frame. Mask it in the camera before storage too, or turn the camera away.".to_owned()),
            Area::OutsidePurpose => out.push(Rule::AreaMinimise, Severity::Info, cam, name,
                "The purpose does not need this area: sladd masks it in every frame. Consider turning the camera away from it.".to_owned()),
            Area::Patient => out.push(Rule::HPatient, Severity::Info, cam, name,
                "Patients are in view and covered by the duty of confidentiality: sladd masks this area in every frame; name bands, screens and bed labels must not be shown either.".to_owned()),
            Area::Public => {}
            Area::RestrictedCircle if zone.staff_present == Window::Never => {}
            Area::RestrictedCircle if safety && zone.objects.is_none() => out.push(Rule::AreaMinimise, Severity::Warning, cam, name, format!(
                "Mostly staff are here ({}), and under the documented safety purpose sladd shows the whole zone because it marks no objects. Only what the purpose needs may be filmed: mark the till or safe as `objects` so the rest is masked.{}",
                zone.staff_present.describe(), now_text(i))),
            Area::RestrictedCircle if safety => out.push(Rule::AreaRestricted, Severity::Info, cam, name, format!(
                "Mostly staff are here ({}): while they are, sladd masks the zone except its marked objects, which the safety purpose needs.{}",
                zone.staff_present.describe(), now_text(i))),
            Area::RestrictedCircle => out.push(Rule::AreaRestricted, Severity::Info, cam, name, format!(
                "Mostly staff are here ({}): the camera's purposes do not allow filming where staff are, so sladd masks the zone while they are there.{}",
                zone.staff_present.describe(), now_text(i))),
        }
    }
}

fn check_retention(camera: &Camera, out: &mut Findings) {
    let facts = &camera.facts;
    let cam = Some(camera);
    let legal = LegalLimit::for_recordings(camera);
    let point_of_sale = legal
        .periods
        .contains(&(Period::ThreeMonths, Rule::Retention3mPos));
    let exemption = facts.dpa_exemption_days;
    if let Some(days) = exemption {
        out.push(
            Rule::RetentionDpaExempt,
            Severity::Info,
            cam,
            None,
            format!(
                "Datatilsynet has granted an exemption: recordings may be kept up to {days} days."
            ),
        );
    }
    let police_note = if facts.likely_police_disclosure == Some(true) {
        " A clip likely to go to the police may be held up to 30 days, clip by clip; that does not extend the rest."
    } else {
        ""
    };
    match facts.retention_days {
        None => out.push(Rule::Retention7d, Severity::Warning, cam, None,
            "The site file does not say how long recordings are kept (`retention_days`); the limit is 7 days (3 months at a point of sale).".to_owned()),
        Some(days) if exemption.is_some_and(|e| days <= e) => {}
        Some(days) if point_of_sale => {
            let limit = shortest_three_months_days();
            if days > limit {
                out.push(Rule::Retention3mPos, Severity::Violation, cam, None, format!(
                    "Recordings are kept {days} days; at a point of sale or post/bank premises the limit is 3 calendar months (footage from 31 January must be gone after 30 April), so at most {limit} days for every day of the year.{police_note}"));
            } else if days > 7 && facts.retention_need_documented != Some(true) {
                out.push(Rule::Retention3mPos, Severity::Info, cam, None, format!(
                    "Recordings are kept {days} days: allowed at a point of sale (up to 3 months), but document why more than 7 days are needed."));
            }
        }
        Some(days) if days > crate::retention::DEFAULT_DAYS => out.push(Rule::Retention7d, Severity::Violation, cam, None, format!(
            "Recordings are kept {days} days; they must be deleted within 7 days.{police_note}")),
        Some(_) => {}
    }
    if let Some(hold) = facts
        .police_hold_days
        .filter(|d| *d > crate::retention::POLICE_DAYS)
    {
        out.push(
            Rule::Retention30dPolice,
            Severity::Violation,
            cam,
            None,
            format!("A clip for the police is kept {hold} days; it may be kept at most 30 days."),
        );
    }
}

fn check_disclosure(camera: &Camera, out: &mut Findings) {
    for d in &camera.facts.disclosures {
        let verdict = disclosure::judge(camera.site(), d.to, d.consent, d.statutory);
        if verdict.allowed && verdict.severity == Severity::Info && d.to != Recipient::Police {
            continue;
        }
        let message = match (verdict.allowed, d.to) {
            (true, Recipient::Police) if verdict.severity == Severity::Info => {
                "Footage is handed to the police: allowed to investigate crimes or accidents."
                    .to_owned()
            }
            (true, _) => format!("Footage is handed {}.", verdict.ground),
            (false, Recipient::SocialMedia) => {
                "Footage is posted online without the consent of those shown.".to_owned()
            }
            (false, _) => format!(
                "Footage is handed over without the consent of those shown or a legal basis: {}.",
                verdict.ground
            ),
        };
        out.push(verdict.rule, verdict.severity, Some(camera), None, message);
    }
}
