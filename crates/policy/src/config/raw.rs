//! The site file as written (`fixtures/site.toml` is a full example), read
//! from TOML or JSON, unknown fields rejected. Nothing here is validated beyond
//! its shape; [`crate::Policy::compile`] does that once.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A whole site file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// The premises.
    pub site: RawSite,
    /// Its cameras.
    #[serde(default)]
    pub cameras: Vec<RawCamera>,
}

/// `[site]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// The site's name.
    pub name: String,
    /// IANA time zone name; all schedules are local time there.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Which rule profile applies.
    #[serde(default)]
    pub sector: Sector,
    /// A point of sale taking payment cards or ID (3-month retention).
    #[serde(default)]
    pub payment_or_id: bool,
    /// Premises with post or bank services (3-month retention).
    #[serde(default)]
    pub post_or_bank: bool,
    /// Schedule strings; empty means never open.
    #[serde(default)]
    pub opening_hours: Vec<String>,
    /// Other control measures at the workplace (GPS tracking, call
    /// recording, access control, ...).
    #[serde(default)]
    pub other_control_measures: Vec<String>,
    /// Whether any of the staff filmed are under 18.
    #[serde(default)]
    pub staff_minors: Option<bool>,
}

fn default_timezone() -> String {
    "Europe/Oslo".to_owned()
}

/// `sector`: which rule profile applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// Workplace rules (kameraforskriften, GDPR, aml ch. 9).
    #[default]
    Workplace,
    /// Workplace rules plus the healthcare profile (duty of confidentiality).
    Healthcare,
}

/// `[[cameras]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCamera {
    /// Unique within the site.
    pub id: String,
    /// What the camera is for, each purpose optionally limited in time.
    #[serde(default)]
    pub purposes: Vec<RawPurpose>,
    /// The lawful basis (usually legitimate interest).
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    /// Whether the camera records sound.
    #[serde(default)]
    pub audio: Option<bool>,
    /// Whether sound recording is documented as necessary.
    #[serde(default)]
    pub audio_justified: Option<bool>,
    /// Whether live video can be watched remotely (e.g. on a phone).
    #[serde(default)]
    pub remote_live_access: Option<bool>,
    /// Whether remote live access is documented as necessary.
    #[serde(default)]
    pub remote_justified: Option<bool>,
    /// Whether the camera can pan, tilt or zoom (towards staff).
    #[serde(default)]
    pub rotatable: Option<bool>,
    /// Whether the camera is hidden.
    #[serde(default)]
    pub hidden: Option<bool>,
    /// Whether the surveillance is signposted.
    #[serde(default)]
    pub signage: Option<bool>,
    /// The sign is placed so it is seen before entering the area.
    #[serde(default)]
    pub sign_before_entry: Option<bool>,
    /// The sign names the controller (the employer).
    #[serde(default)]
    pub sign_names_controller: Option<bool>,
    /// The sign says that sound is recorded.
    #[serde(default)]
    pub sign_mentions_audio: Option<bool>,
    /// Whether a written necessity and balancing assessment exists.
    #[serde(default)]
    pub documented_assessment: Option<bool>,
    /// Whether the concrete safety risk is documented.
    #[serde(default)]
    pub risk_documented: Option<bool>,
    /// Whether the camera was discussed with union representatives.
    #[serde(default)]
    pub union_discussed: Option<bool>,
    /// Whether staff were informed before the camera started.
    #[serde(default)]
    pub staff_informed: Option<bool>,
    /// Staff got written notice: controller, purpose, basis, recipients,
    /// retention, rights.
    #[serde(default)]
    pub written_notice: Option<bool>,
    /// Written routines for deletion, access and disclosure exist.
    #[serde(default)]
    pub written_routines: Option<bool>,
    /// Date of the last re-evaluation, `YYYY-MM-DD`.
    #[serde(default)]
    pub last_reviewed: Option<String>,
    /// How many days recordings are kept.
    #[serde(default)]
    pub retention_days: Option<u32>,
    /// The need for retention beyond 7 days at a point of sale is documented.
    #[serde(default)]
    pub retention_need_documented: Option<bool>,
    /// Days a clip held for the police is kept.
    #[serde(default)]
    pub police_hold_days: Option<u32>,
    /// Retention Datatilsynet has allowed by exemption, in days.
    #[serde(default)]
    pub dpa_exemption_days: Option<u32>,
    /// Whether recordings are likely to be handed to the police.
    #[serde(default)]
    pub likely_police_disclosure: Option<bool>,
    /// Whether an employee objects to the camera.
    #[serde(default)]
    pub employee_objection: Option<bool>,
    /// Whether compelling grounds overriding an objection are documented.
    #[serde(default)]
    pub compelling_grounds_documented: Option<bool>,
    /// How many people can view live video or recordings.
    #[serde(default)]
    pub viewers: Option<u32>,
    /// Access is limited by role (only those who need it for their work).
    #[serde(default)]
    pub role_based_access: Option<bool>,
    /// The camera is run by someone other than the employer (a mall
    /// operator, a landlord) in understanding with the employer.
    #[serde(default)]
    pub operator_third_party: Option<bool>,
    /// Purposes the footage is actually used for, when they differ from
    /// `purposes` (e.g. `["work_performance"]`).
    #[serde(default)]
    pub reused_for: Vec<PurposeKind>,
    /// Where footage has been or will be handed over.
    #[serde(default)]
    pub disclosures: Vec<RawDisclosure>,
    /// Healthcare: the staff filmed have consented (recorded in writing).
    #[serde(default)]
    pub staff_consent_recorded: Option<bool>,
    /// Healthcare: filmed for a TV or film production.
    #[serde(default)]
    pub media_production: Option<bool>,
    /// Globs naming the camera's recordings, relative to the site file
    /// (`["archive/kasse-1/**/*.mp4"]`).
    #[serde(default)]
    pub recordings: Vec<String>,
    /// Where a recording's start comes from (default: the container's
    /// `creation_time`).
    #[serde(default)]
    pub recorded_at: Option<RawRecordedAt>,
    /// A `creation_time` before this date (`YYYY-MM-DD`, local) is not trusted.
    #[serde(default)]
    pub clock_valid_from: Option<RawDate>,
    /// `[w, h]` in pixels, for zones that give `polygon_px`.
    #[serde(default)]
    pub reference_resolution: Option<[u32; 2]>,
    /// What the camera sees.
    #[serde(default)]
    pub zones: Vec<RawZone>,
}

/// A date, as a string (`"2025-06-01"`) or a TOML date (`2025-06-01`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawDate {
    /// `"YYYY-MM-DD"`.
    Text(String),
    /// A TOML date value.
    Toml(toml::value::Datetime),
}

impl RawDate {
    /// The date as written.
    #[must_use]
    pub fn text(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Toml(d) => d.to_string(),
        }
    }
}

/// `recorded_at`: where a recording's start comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecordedAt {
    /// `creation_time`, `filename` or `mtime`.
    pub from: RecordedFrom,
    /// For `filename`: a strftime pattern (`%Y%m%d-%H%M%S`), local time in
    /// the site's time zone unless it gives an offset (`%z`).
    #[serde(default)]
    pub pattern: Option<String>,
}

/// The source of a recording's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordedFrom {
    /// The container's `creation_time` tag, judged by the camera-clock rules.
    CreationTime,
    /// A date and time in the file name.
    Filename,
    /// The file's modification time, taken as the recording's end.
    Mtime,
}

/// `legal_basis`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// GDPR Art. 6(1)(f): the usual basis.
    LegitimateInterest,
    /// Consent: unsuitable between employer and employee.
    Consent,
    /// A legal obligation.
    LegalObligation,
}

/// One entry of `purposes`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPurpose {
    /// What for.
    pub purpose: PurposeKind,
    /// When; `always` when not given (theft: opening hours).
    #[serde(default)]
    pub when: Option<RawWindow>,
}

/// A purpose of camera surveillance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PurposeKind {
    /// Staff safety; the risk must be concrete and documented.
    EmployeeSafety,
    /// Another special need; documented, high bar.
    SpecialNeed,
    /// Robbery: a safety purpose.
    Robbery,
    /// Shoplifting during opening hours.
    Theft,
    /// Break-ins after closing.
    Burglary,
    /// Vandalism after closing.
    Vandalism,
    /// Judging staff's work: never a legitimate purpose for masking.
    WorkPerformance,
    /// Unspecified: never legitimate.
    Other,
}

impl PurposeKind {
    /// The config name (`employee_safety`, ...).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::EmployeeSafety => "employee_safety",
            Self::SpecialNeed => "special_need",
            Self::Robbery => "robbery",
            Self::Theft => "theft",
            Self::Burglary => "burglary",
            Self::Vandalism => "vandalism",
            Self::WorkPerformance => "work_performance",
            Self::Other => "other",
        }
    }

    /// Staff safety or a special need: the purposes that may film where
    /// only staff are, when documented (robbery counts as safety).
    #[must_use]
    pub const fn is_safety(self) -> bool {
        matches!(
            self,
            Self::EmployeeSafety | Self::Robbery | Self::SpecialNeed
        )
    }

    /// Burglary or vandalism: only outside opening hours.
    #[must_use]
    pub const fn is_after_closing(self) -> bool {
        matches!(self, Self::Burglary | Self::Vandalism)
    }
}

impl fmt::Display for PurposeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `when` / `staff_present`: a keyword or a list of schedule strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawWindow {
    /// `always`.
    Always,
    /// `never` (only meaningful for `staff_present`).
    Never,
    /// `opening_hours`.
    OpeningHours,
    /// `outside_opening_hours`.
    OutsideOpeningHours,
    /// A list of schedule strings.
    Schedules(Vec<String>),
}

const WINDOW_KEYWORDS: &[&str] = &["always", "never", "opening_hours", "outside_opening_hours"];

impl<'de> Deserialize<'de> for RawWindow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WindowVisitor;
        impl<'de> Visitor<'de> for WindowVisitor {
            type Value = RawWindow;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "'always', 'never', 'opening_hours', 'outside_opening_hours' \
                     or a list of schedule strings",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawWindow, E> {
                Ok(match v {
                    "always" => RawWindow::Always,
                    "never" => RawWindow::Never,
                    "opening_hours" => RawWindow::OpeningHours,
                    "outside_opening_hours" => RawWindow::OutsideOpeningHours,
                    _ => return Err(E::unknown_variant(v, WINDOW_KEYWORDS)),
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawWindow, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(RawWindow::Schedules(out))
            }
        }
        deserializer.deserialize_any(WindowVisitor)
    }
}

impl RawWindow {
    /// The keyword as written in a site file (`always`, ...), or `None`
    /// for a list of schedule strings.
    #[must_use]
    pub const fn keyword(&self) -> Option<&'static str> {
        match self {
            Self::Always => Some("always"),
            Self::Never => Some("never"),
            Self::OpeningHours => Some("opening_hours"),
            Self::OutsideOpeningHours => Some("outside_opening_hours"),
            Self::Schedules(_) => None,
        }
    }
}

/// Written as it is read: a keyword, or a list of schedule strings.
impl Serialize for RawWindow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Schedules(list) => list.serialize(serializer),
            other => serializer.serialize_str(other.keyword().unwrap_or("always")),
        }
    }
}

/// One entry of `disclosures`: footage handed over to someone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDisclosure {
    /// To whom.
    pub to: Recipient,
    /// Those shown consented.
    #[serde(default)]
    pub consent: Option<bool>,
    /// A statute allows it.
    #[serde(default)]
    pub statutory: Option<bool>,
}

/// Who footage goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The police, to investigate a crime or an accident.
    Police,
    /// Posting online: social media, websites.
    SocialMedia,
    /// Someone else's employer (e.g. a suspect's).
    Employer,
    /// The press or a TV production.
    Media,
    /// The person shown, exercising their right of access (GDPR Art. 15).
    DataSubject,
    /// Anyone else.
    Other,
}

/// A polygon as written: `[[x, y], ...]`.
pub type RawPolygon = Vec<[f64; 2]>;

/// `[[cameras.zones]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawZone {
    /// Unique within the camera.
    pub name: String,
    /// What kind of area it is.
    pub area: Area,
    /// One polygon in normalized coordinates.
    #[serde(default)]
    pub polygon: Option<RawPolygon>,
    /// Several polygons in normalized coordinates.
    #[serde(default)]
    pub polygons: Option<Vec<RawPolygon>>,
    /// One polygon in pixels of the camera's `reference_resolution`.
    #[serde(default)]
    pub polygon_px: Option<RawPolygon>,
    /// When staff are regularly there (`always` when not given).
    #[serde(default)]
    pub staff_present: Option<RawWindow>,
    /// Polygons the purpose needs (till, safe) inside a restricted zone.
    #[serde(default)]
    pub objects: Vec<RawPolygon>,
    /// `fill`, `pixelate` or `blur` (also `fill:#rrggbb`, `pixelate:16`, `blur:8`).
    #[serde(default)]
    pub style: Option<String>,
}

/// What kind of area a zone is (rules.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Customers and the public normally move there.
    Public,
    /// Mostly staff are there regularly (behind the counter, an office, a
    /// store room, a kindergarten's outdoor area by day).
    RestrictedCircle,
    /// Break room, toilet, changing room: never shown.
    Private,
    /// Anything the purpose does not need: always masked.
    OutsidePurpose,
    /// Healthcare: patients under the duty of confidentiality.
    Patient,
}

impl Area {
    /// The config name (`restricted_circle`, ...).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::RestrictedCircle => "restricted_circle",
            Self::Private => "private",
            Self::OutsidePurpose => "outside_purpose",
            Self::Patient => "patient",
        }
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
