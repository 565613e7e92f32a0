//! The validated policy: what [`Policy::compile`] makes of a raw config.

use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::{TimeZone, TimeZoneDatabase};
use jiff::Timestamp;
use sladd_core::{Polygon, Region, Style};

use crate::config::locate::FieldPath;
use crate::config::raw::{
    Area, LegalBasis, PurposeKind, RawCamera, RawConfig, RawDate, RawDisclosure, RawPolygon,
    RawPurpose, RawRecordedAt, RawWindow, RawZone, RecordedFrom, Sector,
};
use crate::config::{self, Format};
use crate::error::{Error, InvalidReason, Location, Result};
use crate::schedule::ScheduleSet;

/// A compiled site policy: every polygon resolved to core geometry, every
/// schedule parsed, the time zone loaded. Build it with [`Policy::load`],
/// [`Policy::from_str`] or [`Policy::compile`].
#[derive(Debug, Clone)]
pub struct Policy {
    site: Arc<Site>,
    cameras: Vec<Camera>,
}

/// The premises: name, time zone, opening hours and site-wide facts.
#[derive(Debug)]
pub struct Site {
    /// The site's name.
    pub name: String,
    /// The IANA name of its time zone.
    pub timezone_name: String,
    /// Its time zone (from the bundled database).
    pub timezone: TimeZone,
    /// Workplace or healthcare.
    pub sector: Sector,
    /// A point of sale taking payment cards or ID.
    pub payment_or_id: bool,
    /// Premises with post or bank services.
    pub post_or_bank: bool,
    /// When the premises are open (empty: never).
    pub opening_hours: ScheduleSet,
    /// Other control measures at the workplace.
    pub other_control_measures: Vec<String>,
    /// Whether staff under 18 are filmed.
    pub staff_minors: Option<bool>,
}

impl Site {
    /// Whether the premises are open at `instant`.
    #[must_use]
    pub fn is_open(&self, instant: Timestamp) -> bool {
        self.opening_hours.contains(instant, &self.timezone)
    }
}

/// When a purpose applies or staff are present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Window {
    /// At all times.
    Always,
    /// Never.
    Never,
    /// During the site's opening hours.
    OpeningHours,
    /// Outside the site's opening hours.
    OutsideOpeningHours,
    /// During these schedules.
    Schedules(ScheduleSet),
}

impl Window {
    /// Whether the window contains `instant`.
    #[must_use]
    pub fn contains(&self, instant: Timestamp, site: &Site) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::OpeningHours => site.is_open(instant),
            Self::OutsideOpeningHours => !site.is_open(instant),
            Self::Schedules(s) => s.contains(instant, &site.timezone),
        }
    }

    /// The first instant after `instant` at which [`Window::contains`] may
    /// change (`None`: never).
    #[must_use]
    pub fn next_change(&self, instant: Timestamp, site: &Site) -> Option<Timestamp> {
        match self {
            Self::Always | Self::Never => None,
            Self::OpeningHours | Self::OutsideOpeningHours => {
                site.opening_hours.next_change(instant, &site.timezone)
            }
            Self::Schedules(s) => s.next_change(instant, &site.timezone),
        }
    }

    /// The window as a schedule set over a week (for overlap checks).
    #[must_use]
    pub fn as_schedules(&self, site: &Site) -> WeekCover {
        WeekCover::of(self, site)
    }

    /// Words for a sentence: "at all times", "during opening hours", ...
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Always => "at all times".to_owned(),
            Self::Never => "never".to_owned(),
            Self::OpeningHours => "during opening hours".to_owned(),
            Self::OutsideOpeningHours => "outside opening hours".to_owned(),
            Self::Schedules(s) => format!("during {s}"),
        }
    }
}

/// The minutes of a week a window covers, for comparing windows.
#[derive(Debug, Clone)]
pub struct WeekCover(Vec<bool>);

impl WeekCover {
    fn of(window: &Window, site: &Site) -> Self {
        let minutes = (0..7usize).flat_map(|d| (0..1440u16).map(move |m| (d, m)));
        Self(
            minutes
                .map(|(d, m)| match window {
                    Window::Always => true,
                    Window::Never => false,
                    Window::OpeningHours => site.opening_hours.contains_local(d, m),
                    Window::OutsideOpeningHours => !site.opening_hours.contains_local(d, m),
                    Window::Schedules(s) => s.contains_local(d, m),
                })
                .collect(),
        )
    }

    /// Whether the two share any minute.
    #[must_use]
    pub fn overlaps(&self, other: &Self) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| *a && *b)
    }
}

/// One purpose of a camera, with its time window.
#[derive(Debug, Clone)]
pub struct Purpose {
    /// What for.
    pub kind: PurposeKind,
    /// When it applies, as configured (theft defaults to opening hours,
    /// others to always). Burglary and vandalism are further limited to
    /// outside opening hours by [`crate::decide`].
    pub when: Window,
    /// Whether the config gave `when` explicitly.
    pub when_stated: bool,
}

/// One zone of a camera's view.
#[derive(Debug, Clone)]
pub struct Zone {
    /// Unique within the camera.
    pub name: String,
    /// What kind of area.
    pub area: Area,
    /// What it covers, in normalized frame coordinates.
    pub region: Arc<Region>,
    /// The objects the purpose needs (OBJECT_ONLY carve-outs), if any.
    pub objects: Option<Arc<Region>>,
    /// When staff are regularly there.
    pub staff_present: Window,
    /// The configured style, if any.
    pub style: Option<Style>,
}

/// A disclosure of footage.
#[derive(Debug, Clone)]
pub struct Disclosure {
    /// To whom.
    pub to: crate::config::raw::Recipient,
    /// Those shown consented.
    pub consent: Option<bool>,
    /// A statute allows it.
    pub statutory: Option<bool>,
}

impl From<&RawDisclosure> for Disclosure {
    fn from(d: &RawDisclosure) -> Self {
        Self {
            to: d.to,
            consent: d.consent,
            statutory: d.statutory,
        }
    }
}

/// The facts about a camera's set-up that the compliance report judges
/// (rules.md §3). `None` means the config does not say.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The lawful basis (usually legitimate interest).
    pub legal_basis: Option<LegalBasis>,
    /// Whether the camera records sound.
    pub audio: Option<bool>,
    /// Whether sound recording is documented as necessary.
    pub audio_justified: Option<bool>,
    /// Whether live video can be watched remotely (e.g. on a phone).
    pub remote_live_access: Option<bool>,
    /// Whether remote live access is documented as necessary.
    pub remote_justified: Option<bool>,
    /// Whether the camera can pan, tilt or zoom (towards staff).
    pub rotatable: Option<bool>,
    /// Whether the camera is hidden.
    pub hidden: Option<bool>,
    /// Whether the surveillance is signposted.
    pub signage: Option<bool>,
    /// Whether the sign is seen before entering the filmed area.
    pub sign_before_entry: Option<bool>,
    /// Whether the sign names who is responsible.
    pub sign_names_controller: Option<bool>,
    /// Whether the sign says sound is recorded.
    pub sign_mentions_audio: Option<bool>,
    /// Whether a written necessity and balancing assessment exists.
    pub documented_assessment: Option<bool>,
    /// Whether the concrete safety risk is documented.
    pub risk_documented: Option<bool>,
    /// Whether the camera was discussed with union representatives.
    pub union_discussed: Option<bool>,
    /// Whether staff were informed before the camera started.
    pub staff_informed: Option<bool>,
    /// Whether staff got written notice (controller, purpose, basis, recipients, retention, rights).
    pub written_notice: Option<bool>,
    /// Whether written routines for deletion, access and disclosure exist.
    pub written_routines: Option<bool>,
    /// The date of the last re-evaluation.
    pub last_reviewed: Option<Date>,
    /// How many days recordings are kept.
    pub retention_days: Option<u32>,
    /// Whether the need for more than 7 days at a point of sale is documented.
    pub retention_need_documented: Option<bool>,
    /// Days a clip held for the police is kept.
    pub police_hold_days: Option<u32>,
    /// Retention Datatilsynet has allowed by exemption, in days.
    pub dpa_exemption_days: Option<u32>,
    /// Whether recordings are likely to be handed to the police.
    pub likely_police_disclosure: Option<bool>,
    /// Whether an employee objects to the camera.
    pub employee_objection: Option<bool>,
    /// Whether compelling grounds overriding an objection are documented.
    pub compelling_grounds_documented: Option<bool>,
    /// How many people can see live video or recordings.
    pub viewers: Option<u32>,
    /// Whether access is limited to those who need it for their work.
    pub role_based_access: Option<bool>,
    /// Whether someone other than the employer (a mall) runs the camera.
    pub operator_third_party: Option<bool>,
    /// Purposes the footage is actually used for beyond the stated ones.
    pub reused_for: Vec<PurposeKind>,
    /// Where footage has been or will be handed over.
    pub disclosures: Vec<Disclosure>,
    /// Healthcare: whether the staff filmed have consented in writing.
    pub staff_consent_recorded: Option<bool>,
    /// Healthcare: whether filmed for a TV or film production.
    pub media_production: Option<bool>,
}

/// Where a recording's start comes from (`recorded_at`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RecordedAt {
    /// The container's `creation_time`, judged by the camera-clock rules
    /// ([`crate::clock`]).
    #[default]
    CreationTime,
    /// A strftime pattern matched in the file name (or, when it holds `/`,
    /// in as many trailing path components), local time in the site's time
    /// zone unless the pattern gives an offset.
    Filename(String),
    /// The file's modification time, taken as the recording's end.
    Mtime,
}

/// One camera: its purposes, zones and facts, and the site it belongs to.
#[derive(Debug, Clone)]
pub struct Camera {
    /// Unique within the site.
    pub id: String,
    /// What it is for.
    pub purposes: Vec<Purpose>,
    /// What it sees.
    pub zones: Vec<Zone>,
    /// The facts of its set-up.
    pub facts: Facts,
    /// Globs naming its recordings, relative to the site file.
    pub recordings: Vec<String>,
    /// Where a recording's start comes from.
    pub recorded_at: RecordedAt,
    /// The first day its clock is trusted (`clock_valid_from`).
    pub clock_valid_from: Option<Date>,
    site: Arc<Site>,
}

impl Camera {
    /// The site this camera belongs to.
    #[must_use]
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Whether recordings of this camera may carry sound: only when the
    /// site file states that the camera records audio and that recording
    /// it is justified (rules.md R-AUDIO: sound is not assumed lawful).
    #[must_use]
    pub fn audio_allowed(&self) -> bool {
        self.facts.audio == Some(true) && self.facts.audio_justified == Some(true)
    }

    /// Judges a start this camera's clock gave (a `creation_time`) at the
    /// time of the run `now`: the one camera-clock rule ([`crate::clock::judge`]).
    ///
    /// # Errors
    /// [`crate::clock::Untrusted`] when the start counts as unknown.
    pub fn trusted_start(
        &self,
        value: Timestamp,
        now: Timestamp,
    ) -> Result<Timestamp, crate::clock::Untrusted> {
        let valid_from = self
            .clock_valid_from
            .map(|d| crate::clock::start_of_day(d, &self.site.timezone));
        crate::clock::judge(value, now, valid_from)
    }
}

impl Policy {
    /// Reads, parses and compiles a site file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::UnknownFormat`], or a config error naming
    /// the file, line, column and field ([`Error::Syntax`],
    /// [`Error::Invalid`]).
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let format = Format::from_path(path)?;
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_str(&text, format, &path.display().to_string())
    }

    /// Parses and compiles a site file's text; `file` names it in errors.
    ///
    /// # Errors
    /// As [`Policy::load`], without the I/O.
    pub fn from_str(text: &str, format: Format, file: &str) -> Result<Self> {
        // A byte-order mark (editors on Windows write one) is not content.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw = config::parse(text, format, file)?;
        compile(&raw)
            .map_err(|(path, reason)| config::load::invalid_at(text, format, file, &path, reason))
    }

    /// Parses and compiles a TOML site file's text (errors name the file
    /// `<string>`).
    ///
    /// # Errors
    /// As [`Policy::from_str`].
    pub fn from_toml_str(text: &str) -> Result<Self> {
        Self::from_str(text, Format::Toml, "<string>")
    }

    /// Parses and compiles a JSON site file's text (errors name the file
    /// `<string>`).
    ///
    /// # Errors
    /// As [`Policy::from_str`].
    pub fn from_json_str(text: &str) -> Result<Self> {
        Self::from_str(text, Format::Json, "<string>")
    }

    /// Validates a raw config once: polygons to core geometry, schedules
    /// parsed, time zone loaded, ids and names unique.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the field path (no line: the raw config
    /// has no text; [`Policy::load`] adds it).
    pub fn compile(raw: &RawConfig) -> Result<Self> {
        compile(raw).map_err(|(path, reason)| Error::Invalid {
            location: Location {
                file: "<config>".to_owned(),
                line: None,
                column: None,
            },
            field: path.to_string(),
            reason: Box::new(reason),
        })
    }

    /// The site.
    #[must_use]
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The cameras, in config order.
    #[must_use]
    pub fn cameras(&self) -> &[Camera] {
        &self.cameras
    }

    /// The camera with this id.
    ///
    /// # Errors
    /// [`Error::UnknownCamera`] listing the ids the site has.
    pub fn camera(&self, id: &str) -> Result<&Camera> {
        self.cameras
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::UnknownCamera {
                id: id.to_owned(),
                site: self.site.name.clone(),
                known: self.cameras.iter().map(|c| c.id.clone()).collect(),
            })
    }
}

/// A value that is not valid, and where.
type Invalid = (FieldPath, InvalidReason);

fn compile(raw: &RawConfig) -> Result<Policy, Invalid> {
    let root = FieldPath::default();
    let site_path = root.key("site");
    let s = &raw.site;
    let timezone = TimeZoneDatabase::bundled().get(&s.timezone).map_err(|_| {
        (
            site_path.key("timezone"),
            InvalidReason::UnknownTimeZone(s.timezone.clone()),
        )
    })?;
    let opening_hours = schedules(&s.opening_hours, &site_path.key("opening_hours"))?;
    let site = Arc::new(Site {
        name: s.name.clone(),
        timezone_name: s.timezone.clone(),
        timezone,
        sector: s.sector,
        payment_or_id: s.payment_or_id,
        post_or_bank: s.post_or_bank,
        opening_hours,
        other_control_measures: s.other_control_measures.clone(),
        staff_minors: s.staff_minors,
    });
    let mut cameras: Vec<Camera> = Vec::with_capacity(raw.cameras.len());
    for (i, rc) in raw.cameras.iter().enumerate() {
        let path = root.key("cameras").index(i);
        if rc.id.trim().is_empty() {
            return Err((path.key("id"), InvalidReason::EmptyCameraId));
        }
        if let Some(j) = cameras.iter().position(|c| c.id == rc.id) {
            return Err((
                path.key("id"),
                InvalidReason::DuplicateCamera {
                    id: rc.id.clone(),
                    other: j,
                },
            ));
        }
        cameras.push(compile_camera(rc, &path, &site)?);
    }
    Ok(Policy { site, cameras })
}

fn schedules(texts: &[String], path: &FieldPath) -> Result<ScheduleSet, Invalid> {
    ScheduleSet::parse(texts).map_err(|(i, e)| (path.index(i), InvalidReason::Schedule(e)))
}

fn window(raw: &RawWindow, path: &FieldPath) -> Result<Window, Invalid> {
    Ok(match raw {
        RawWindow::Always => Window::Always,
        RawWindow::Never => Window::Never,
        RawWindow::OpeningHours => Window::OpeningHours,
        RawWindow::OutsideOpeningHours => Window::OutsideOpeningHours,
        RawWindow::Schedules(texts) => Window::Schedules(schedules(texts, path)?),
    })
}

fn compile_purpose(raw: &RawPurpose, path: &FieldPath) -> Result<Purpose, Invalid> {
    let when = match &raw.when {
        Some(RawWindow::Never) => return Err((path.key("when"), InvalidReason::NeverWindow)),
        Some(w) => window(w, &path.key("when"))?,
        None if raw.purpose == PurposeKind::Theft => Window::OpeningHours,
        None => Window::Always,
    };
    Ok(Purpose {
        kind: raw.purpose,
        when,
        when_stated: raw.when.is_some(),
    })
}

fn compile_camera(rc: &RawCamera, path: &FieldPath, site: &Arc<Site>) -> Result<Camera, Invalid> {
    let purposes = rc
        .purposes
        .iter()
        .enumerate()
        .map(|(k, p)| compile_purpose(p, &path.key("purposes").index(k)))
        .collect::<Result<Vec<_>, _>>()?;
    let last_reviewed = match &rc.last_reviewed {
        None => None,
        Some(text) => Some(text.parse::<Date>().map_err(|_| {
            (
                path.key("last_reviewed"),
                InvalidReason::BadDate(text.clone()),
            )
        })?),
    };
    let mut zones: Vec<Zone> = Vec::with_capacity(rc.zones.len());
    for (j, rz) in rc.zones.iter().enumerate() {
        let zpath = path.key("zones").index(j);
        if rz.name.trim().is_empty() {
            return Err((zpath.key("name"), InvalidReason::EmptyZoneName));
        }
        if let Some(k) = zones.iter().position(|z| z.name == rz.name) {
            return Err((
                zpath.key("name"),
                InvalidReason::DuplicateZone {
                    name: rz.name.clone(),
                    camera: rc.id.clone(),
                    other: k,
                },
            ));
        }
        zones.push(compile_zone(rz, &zpath, rc.reference_resolution)?);
    }
    let facts = Facts {
        legal_basis: rc.legal_basis,
        audio: rc.audio,
        audio_justified: rc.audio_justified,
        remote_live_access: rc.remote_live_access,
        remote_justified: rc.remote_justified,
        rotatable: rc.rotatable,
        hidden: rc.hidden,
        signage: rc.signage,
        sign_before_entry: rc.sign_before_entry,
        sign_names_controller: rc.sign_names_controller,
        sign_mentions_audio: rc.sign_mentions_audio,
        documented_assessment: rc.documented_assessment,
        risk_documented: rc.risk_documented,
        union_discussed: rc.union_discussed,
        staff_informed: rc.staff_informed,
        written_notice: rc.written_notice,
        written_routines: rc.written_routines,
        last_reviewed,
        retention_days: rc.retention_days,
        retention_need_documented: rc.retention_need_documented,
        police_hold_days: rc.police_hold_days,
        dpa_exemption_days: rc.dpa_exemption_days,
        likely_police_disclosure: rc.likely_police_disclosure,
        employee_objection: rc.employee_objection,
        compelling_grounds_documented: rc.compelling_grounds_documented,
        viewers: rc.viewers,
        role_based_access: rc.role_based_access,
        operator_third_party: rc.operator_third_party,
        reused_for: rc.reused_for.clone(),
        disclosures: rc.disclosures.iter().map(Disclosure::from).collect(),
        staff_consent_recorded: rc.staff_consent_recorded,
        media_production: rc.media_production,
    };
    let recordings = rc
        .recordings
        .iter()
        .enumerate()
        .map(|(k, glob)| {
            glob::Pattern::new(glob)
                .map(|_| glob.clone())
                .map_err(|source| {
                    (
                        path.key("recordings").index(k),
                        InvalidReason::NotAGlob {
                            glob: glob.clone(),
                            source,
                        },
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let recorded_at = match &rc.recorded_at {
        None => RecordedAt::CreationTime,
        Some(raw) => recorded_at(raw, &path.key("recorded_at"))?,
    };
    let clock_valid_from = match rc.clock_valid_from.as_ref().map(RawDate::text) {
        None => None,
        Some(text) => Some(text.parse::<Date>().map_err(|_| {
            (
                path.key("clock_valid_from"),
                InvalidReason::BadDate(text.to_owned()),
            )
        })?),
    };
    Ok(Camera {
        id: rc.id.clone(),
        purposes,
        zones,
        facts,
        recordings,
        recorded_at,
        clock_valid_from,
        site: Arc::clone(site),
    })
}

/// `recorded_at`, with a filename pattern that must give a date and a time
/// to the second: formatting a known instant with it and reading it back
/// must give that instant.
fn recorded_at(raw: &RawRecordedAt, path: &FieldPath) -> Result<RecordedAt, Invalid> {
    match (raw.from, &raw.pattern) {
        (RecordedFrom::Filename, Some(pattern)) => {
            let bad = |source| {
                (
                    path.key("pattern"),
                    InvalidReason::BadPattern {
                        pattern: pattern.clone(),
                        source,
                    },
                )
            };
            let probe = jiff::civil::date(2026, 3, 1).at(10, 15, 30, 0);
            let zoned = probe.to_zoned(TimeZone::UTC).map_err(bad)?;
            let text = jiff::fmt::strtime::format(pattern.as_str(), &zoned).map_err(bad)?;
            let back =
                jiff::fmt::strtime::parse(pattern.as_str(), &text).and_then(|t| t.to_datetime());
            if back.ok() != Some(probe) {
                return Err((
                    path.key("pattern"),
                    InvalidReason::PatternIncomplete(pattern.clone()),
                ));
            }
            Ok(RecordedAt::Filename(pattern.clone()))
        }
        (RecordedFrom::Filename, None) => Err((path.key("pattern"), InvalidReason::PatternMissing)),
        (_, Some(_)) => Err((path.key("pattern"), InvalidReason::PatternUnused)),
        (RecordedFrom::CreationTime, None) => Ok(RecordedAt::CreationTime),
        (RecordedFrom::Mtime, None) => Ok(RecordedAt::Mtime),
    }
}

fn polygon(points: &RawPolygon, path: &FieldPath) -> Result<Polygon, Invalid> {
    Polygon::normalized(points.iter().copied()).map_err(|e| (path.clone(), InvalidReason::Core(e)))
}

fn compile_zone(
    rz: &RawZone,
    path: &FieldPath,
    reference: Option<[u32; 2]>,
) -> Result<Zone, Invalid> {
    let given = [
        rz.polygon.is_some(),
        rz.polygons.is_some(),
        rz.polygon_px.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err((path.clone(), InvalidReason::PolygonCount(rz.name.clone())));
    }
    let region = if let Some(points) = &rz.polygon {
        Region::single(polygon(points, &path.key("polygon"))?)
    } else if let Some(list) = &rz.polygons {
        let polys = list
            .iter()
            .enumerate()
            .map(|(p, points)| polygon(points, &path.key("polygons").index(p)))
            .collect::<Result<Vec<_>, _>>()?;
        Region::new(polys).map_err(|e| (path.key("polygons"), InvalidReason::Core(e)))?
    } else if let Some(points) = &rz.polygon_px {
        let ppath = path.key("polygon_px");
        let Some(reference) = reference else {
            return Err((ppath, InvalidReason::PixelsNeedReference));
        };
        Region::single(
            Polygon::from_pixels(points.iter().copied(), reference)
                .map_err(|e| (ppath, InvalidReason::Core(e)))?,
        )
    } else {
        // Unreachable: exactly one was given.
        return Err((path.clone(), InvalidReason::PolygonCount(rz.name.clone())));
    };
    let objects = if rz.objects.is_empty() {
        None
    } else {
        if rz.area != Area::RestrictedCircle {
            return Err((
                path.key("objects"),
                InvalidReason::ObjectsOutsideRestrictedCircle {
                    zone: rz.name.clone(),
                    area: rz.area,
                },
            ));
        }
        let polys = rz
            .objects
            .iter()
            .enumerate()
            .map(|(o, points)| polygon(points, &path.key("objects").index(o)))
            .collect::<Result<Vec<_>, _>>()?;
        Some(Arc::new(Region::new(polys).map_err(|e| {
            (path.key("objects"), InvalidReason::Core(e))
        })?))
    };
    let staff_present = match &rz.staff_present {
        Some(w) => window(w, &path.key("staff_present"))?,
        None => Window::Always,
    };
    let style = match &rz.style {
        None => None,
        Some(text) => {
            let style: Style = text
                .parse()
                .map_err(|e: sladd_core::Error| (path.key("style"), InvalidReason::Core(e)))?;
            style
                .validate()
                .map_err(|e| (path.key("style"), InvalidReason::Core(e)))?;
            Some(style)
        }
    };
    Ok(Zone {
        name: rz.name.clone(),
        area: rz.area,
        region: Arc::new(region),
        objects,
        staff_present,
        style,
    })
}
