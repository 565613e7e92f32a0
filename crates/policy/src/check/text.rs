//! Every text of the compliance report, in one place: what a site manager
//! reads for each finding. The checks decide which finding applies; this
//! table says it in words, so the texts can be reviewed (or translated)
//! together.

use std::fmt;

/// One finding's text, with the facts it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Text {
    // Site-wide.
    Cumulative {
        measures: String,
    },
    Minors,
    HealthcareEmployer,

    // A recording the archive holds.
    UntrustedClock {
        recording: String,
        why: String,
    },

    // A fact the site file does not state.
    Unstated {
        words: &'static str,
        field: &'static str,
    },
    UnstatedForbidden {
        what: &'static str,
        field: &'static str,
    },

    // Purposes.
    NoPurpose,
    OnlyOther,
    SomeOther,
    ReusedForUnstated {
        purpose: String,
    },
    ConcreteRisk {
        purpose: &'static str,
        stated_none: bool,
    },
    TimeWindow {
        purpose: &'static str,
        films: String,
        whole_frame: bool,
    },
    WorkPerformance,
    ReusedForWork {
        purposes: String,
    },

    // Documentation and process.
    NoAssessment,
    NoRoutines,
    AmlNotDone {
        missing: String,
    },
    NoWrittenNotice,
    NoReviewDate,
    ReviewOverdue {
        last: String,
    },
    ObjectionJustified,
    Objection,
    ObjectionUnstated,
    ConsentBasis,
    NoLegalBasis,

    // Transparency.
    NoSign,
    SignageUnstated,
    SignAfterEntry,
    SignUnnamed,
    SignSilentOnAudio,
    SignAudioUnstated,
    Hidden,
    HiddenHealthcare,

    // What is captured and who sees it.
    AudioJustified,
    Audio,
    RemoteJustified,
    Remote,
    Rotatable {
        staff_zones: String,
    },
    RotatableUnstated,
    AccessUnstated,
    ManyViewers {
        viewers: u32,
    },
    NoRoleBasedAccess,
    ThirdParty,

    // Zones.
    Private,
    OutsidePurpose,
    Patient,
    WholeZoneShown {
        staff: String,
        now: &'static str,
    },
    MaskedExceptObjects {
        staff: String,
        now: &'static str,
    },
    MaskedWhileStaff {
        staff: String,
        now: &'static str,
    },

    // Retention.
    DpaExemption {
        days: u32,
    },
    RetentionUnstated,
    OverThreeMonths {
        days: u32,
        limit: u32,
        police: bool,
    },
    PointOfSaleUndocumented {
        days: u32,
    },
    OverSevenDays {
        days: u32,
        police: bool,
    },
    PoliceHold {
        days: u32,
    },

    // Disclosure.
    Police,
    HandedAfterReview {
        ground: String,
    },
    PostedOnline,
    Disclosed {
        ground: String,
    },

    // Healthcare cameras.
    NoStaffConsent,
    MediaProduction,
}

/// What the zone texts add about the instant checked.
pub(crate) mod now {
    /// Shown then.
    pub(crate) const SHOWN: &str = " It is shown at the time checked.";
    /// Masked except its objects then.
    pub(crate) const OBJECTS: &str = " At the time checked it is masked except its objects.";
    /// Masked then.
    pub(crate) const MASKED: &str = " It is masked at the time checked.";
}

/// Appended to retention texts when a clip is likely to go to the police.
const POLICE_NOTE: &str = " A clip likely to go to the police may be held up to 30 days, clip by clip; that does not extend the rest.";

impl fmt::Display for Text {
    #[allow(clippy::too_many_lines, reason = "the table of every text")]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let police = |on: bool| if on { POLICE_NOTE } else { "" };
        match self {
            Self::Cumulative { measures } => write!(
                f,
                "Other control measures are in use ({measures}); the balancing test for the cameras must weigh all of them together, not each alone."
            ),
            Self::Minors => f.write_str(
                "Staff under 18 are filmed; their privacy weighs more in the balancing test.",
            ),
            Self::HealthcareEmployer => f.write_str(
                "This is a healthcare site: where the institution films its own staff, the workplace rules apply in full, and patients are covered by the duty of confidentiality.",
            ),
            Self::UntrustedClock { recording, why } => write!(
                f,
                "Recording {recording}: {why}. sladd takes its start as unknown and masks as if staff were present and time-limited purposes were off; set the camera's clock, or give the start (`--start`)."
            ),
            Self::Unstated { words, field } => write!(
                f,
                "The site file does not say whether {words}; state it (`{field}`), it is not assumed."
            ),
            Self::UnstatedForbidden { what, field } => write!(
                f,
                "The site file does not say whether {what}; state `{field}`, it is not assumed."
            ),
            Self::NoPurpose => f.write_str(
                "No purpose is stated. A camera needs a defined purpose before it starts; sladd masks the whole frame until one is given.",
            ),
            Self::OnlyOther => f.write_str(
                "The only purpose is 'other': a camera set up just in case has no lawful purpose; sladd masks the whole frame.",
            ),
            Self::SomeOther => f.write_str(
                "One purpose is 'other', which is not a defined purpose; sladd does not count it.",
            ),
            Self::ReusedForUnstated { purpose } => write!(
                f,
                "Footage is used for {purpose}, which is not a stated purpose: footage may only be used for the purpose staff were told of."
            ),
            Self::ConcreteRisk { purpose, stated_none } => write!(
                f,
                "The purpose '{purpose}' needs a concrete, documented risk above the normal, and the site file {}; until it does, sladd does not count this purpose.",
                if *stated_none {
                    "says there is none"
                } else {
                    "does not state one (`risk_documented`)"
                }
            ),
            Self::TimeWindow { purpose, films, whole_frame } => write!(
                f,
                "The purpose '{purpose}' only justifies filming outside opening hours, but the camera is set to film {films}. Limit it with when = \"outside_opening_hours\"; meanwhile sladd masks {} during opening hours.",
                if *whole_frame {
                    "the whole frame"
                } else {
                    "according to the other purposes"
                }
            ),
            Self::WorkPerformance => f.write_str(
                "A purpose is to judge staff's work performance; camera surveillance for that is not lawful, and sladd does not count it.",
            ),
            Self::ReusedForWork { purposes } => write!(
                f,
                "Footage from a camera set up for {purposes} is used to judge staff's work. Footage may only be used for the purpose it was set up and announced for."
            ),
            Self::NoAssessment => f.write_str(
                "There is no written assessment of why the camera is necessary and why it outweighs the staff's privacy; it must exist before the camera starts.",
            ),
            Self::NoRoutines => f.write_str(
                "There are no written routines for deleting recordings, who may see them and when they may be handed over.",
            ),
            Self::AmlNotDone { missing } => write!(
                f,
                "The camera was not {missing}, as the Working Environment Act requires for control measures."
            ),
            Self::NoWrittenNotice => f.write_str(
                "Staff have no written notice naming the employer, the purpose, the legal basis, who gets recordings, how long they are kept and their rights.",
            ),
            Self::NoReviewDate => f.write_str(
                "No re-evaluation date is given (`last_reviewed`); check at least yearly that the reason for the camera is still real.",
            ),
            Self::ReviewOverdue { last } => write!(
                f,
                "Last re-evaluated {last}, more than 12 months ago; check that the reason for the camera is still real."
            ),
            Self::ObjectionJustified => f.write_str(
                "An employee objects; you state compelling grounds are documented. Keep that documentation: the bar is higher after an objection.",
            ),
            Self::Objection => f.write_str(
                "An employee objects to the camera, and no compelling grounds that override the objection are documented.",
            ),
            Self::ObjectionUnstated => f.write_str(
                "The site file does not say whether any employee objects (`employee_objection`); it is not assumed.",
            ),
            Self::ConsentBasis => f.write_str(
                "Staff consent is the stated legal basis; between employer and employee consent is rarely free, so it is unsuitable. Use legitimate interest with a balancing test.",
            ),
            Self::NoLegalBasis => f.write_str(
                "No legal basis is stated (`legal_basis`); it is usually legitimate interest, with a written balancing test.",
            ),
            Self::NoSign => f.write_str(
                "There is no sign. Camera surveillance must be signposted where people see it before they enter.",
            ),
            Self::SignageUnstated => f.write_str(
                "The site file does not say whether the camera is signposted; state `signage`, it is not assumed.",
            ),
            Self::SignAfterEntry => f.write_str(
                "The sign is not seen before entering the filmed area; move it to the entrance.",
            ),
            Self::SignUnnamed => {
                f.write_str("The sign does not name who is responsible for the camera.")
            }
            Self::SignSilentOnAudio => f.write_str("Sound is recorded but the sign does not say so."),
            Self::SignAudioUnstated => f.write_str(
                "Sound is recorded; the site file does not say whether the sign mentions it (`sign_mentions_audio`).",
            ),
            Self::Hidden => f.write_str(
                "The camera is hidden. Covert camera surveillance is not allowed at work.",
            ),
            Self::HiddenHealthcare => f.write_str(
                "Covert recordings in healthcare erode trust; review them before any export.",
            ),
            Self::AudioJustified => f.write_str(
                "The camera records sound. You state it is justified; sound is rarely necessary, so keep the reason documented.",
            ),
            Self::Audio => f.write_str(
                "The camera records sound. Sound recording is rarely necessary and makes the surveillance far more intrusive; turn it off.",
            ),
            Self::RemoteJustified => f.write_str(
                "Live video can be watched remotely (e.g. on a phone). You state it is justified; it is usually not allowed, so keep the reason documented.",
            ),
            Self::Remote => f.write_str(
                "Live video can be watched remotely (e.g. on a phone). That is more intrusive than local viewing and is usually not allowed; turn it off.",
            ),
            Self::Rotatable { staff_zones } => write!(
                f,
                "The camera can be turned or zoomed, so it can reach where staff work{}. sladd's zones are fixed to the picture: after any pan, tilt or zoom they no longer match. Lock the camera or remove the ability to turn it towards staff.",
                if staff_zones.is_empty() {
                    String::new()
                } else {
                    format!(" ({staff_zones})")
                }
            ),
            Self::RotatableUnstated => f.write_str(
                "The site file does not say whether the camera can be turned or zoomed (`rotatable`); it is not assumed.",
            ),
            Self::AccessUnstated => f.write_str(
                "The site file does not say who can see live video and recordings (`viewers`, `role_based_access`); it is not assumed.",
            ),
            Self::ManyViewers { viewers } => write!(
                f,
                "{viewers} people can see live video or recordings; usually very few need to."
            ),
            Self::NoRoleBasedAccess => f.write_str(
                "Access to video is not limited to those who need it for their work.",
            ),
            Self::ThirdParty => f.write_str(
                "The camera is run by someone else (e.g. the mall), in understanding with the employer: the camera regulation still protects the staff, and every check here applies.",
            ),
            Self::Private => f.write_str(
                "A break room, toilet or changing room is in view: sladd fills it solid in every frame. Mask it in the camera before storage too, or turn the camera away.",
            ),
            Self::OutsidePurpose => f.write_str(
                "The purpose does not need this area: sladd masks it in every frame. Consider turning the camera away from it.",
            ),
            Self::Patient => f.write_str(
                "Patients are in view and covered by the duty of confidentiality: sladd masks this area in every frame; name bands, screens and bed labels must not be shown either.",
            ),
            Self::WholeZoneShown { staff, now } => write!(
                f,
                "Mostly staff are here ({staff}), and under the documented safety purpose sladd shows the whole zone because it marks no objects. Only what the purpose needs may be filmed: mark the till or safe as `objects` so the rest is masked.{now}"
            ),
            Self::MaskedExceptObjects { staff, now } => write!(
                f,
                "Mostly staff are here ({staff}): while they are, sladd masks the zone except its marked objects, which the safety purpose needs.{now}"
            ),
            Self::MaskedWhileStaff { staff, now } => write!(
                f,
                "Mostly staff are here ({staff}): the camera's purposes do not allow filming where staff are, so sladd masks the zone while they are there.{now}"
            ),
            Self::DpaExemption { days } => write!(
                f,
                "Datatilsynet has granted an exemption: recordings may be kept up to {days} days."
            ),
            Self::RetentionUnstated => f.write_str(
                "The site file does not say how long recordings are kept (`retention_days`); the limit is 7 days (3 months at a point of sale).",
            ),
            Self::OverThreeMonths { days, limit, police: p } => write!(
                f,
                "Recordings are kept {days} days; at a point of sale or post/bank premises the limit is 3 calendar months (footage from 31 January must be gone after 30 April), so at most {limit} days for every day of the year.{}",
                police(*p)
            ),
            Self::PointOfSaleUndocumented { days } => write!(
                f,
                "Recordings are kept {days} days: allowed at a point of sale (up to 3 months), but document why more than 7 days are needed."
            ),
            Self::OverSevenDays { days, police: p } => write!(
                f,
                "Recordings are kept {days} days; they must be deleted within 7 days.{}",
                police(*p)
            ),
            Self::PoliceHold { days } => write!(
                f,
                "A clip for the police is kept {days} days; it may be kept at most 30 days."
            ),
            Self::Police => f.write_str(
                "Footage is handed to the police: allowed to investigate crimes or accidents.",
            ),
            Self::PostedOnline => {
                f.write_str("Footage is posted online without the consent of those shown.")
            }
            Self::HandedAfterReview { ground } => write!(f, "Footage is handed {ground}."),
            Self::Disclosed { ground } => write!(
                f,
                "Footage is handed over without the consent of those shown or a legal basis: {ground}."
            ),
            Self::NoStaffConsent => f.write_str(
                "No recorded consent from the staff filmed (`staff_consent_recorded`); mask staff before any footage is shared.",
            ),
            Self::MediaProduction => f.write_str(
                "Filmed for a TV or film production: make an ethical assessment with the staff before, during and after filming; the duty of confidentiality still applies.",
            ),
        }
    }
}
