//! The decision: which zones of a camera are masked at an instant, and why
//! (rules.md §2a).

use std::sync::Arc;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use sladd_core::{Coverage, Region, SpanMask, Style};

use crate::config::raw::{Area, PurposeKind};
use crate::error::Result;
use crate::policy::{Camera, Purpose, Window};
use crate::rule::Rule;

/// What happens to one zone at the decided instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The zone is shown.
    Shown,
    /// The whole zone is masked.
    Masked,
    /// The zone is masked except its `objects` (OBJECT_ONLY).
    ObjectOnly,
}

/// The decision for one zone.
#[derive(Debug, Clone)]
pub struct ZoneDecision {
    /// The zone's name.
    pub name: String,
    /// Its kind of area.
    pub area: Area,
    /// Shown, masked, or masked except its objects.
    pub outcome: Outcome,
    /// The style forced by the rules or configured for the zone; `None`
    /// means the caller's default.
    pub style: Option<Style>,
    /// The rule that decided.
    pub rule: Rule,
    /// Why, in one sentence.
    pub reason: String,
    region: Arc<Region>,
    objects: Option<Arc<Region>>,
}

impl ZoneDecision {
    /// Whether any of the zone is masked (OBJECT_ONLY counts as masked).
    #[must_use]
    pub fn masked(&self) -> bool {
        self.outcome != Outcome::Shown
    }

    /// What the zone covers, in normalized frame coordinates (for outlining
    /// zones in a preview).
    #[must_use]
    pub fn region(&self) -> &Region {
        &self.region
    }

    /// The objects carved out of the mask when the outcome is
    /// [`Outcome::ObjectOnly`] (the zone's `objects`, if it has any).
    #[must_use]
    pub fn objects(&self) -> Option<&Region> {
        self.objects.as_deref()
    }

    /// The style the zone is masked with, given the caller's default.
    #[must_use]
    pub fn style_or(&self, default: Style) -> Style {
        self.style.unwrap_or(default)
    }
}

/// Which zones of a camera are masked at an instant, and why.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The camera's id.
    pub camera: String,
    /// The instant decided for (`None`: unknown).
    pub at: Option<Timestamp>,
    /// Whether the whole frame is masked.
    pub full_frame: bool,
    /// The rule that masked the whole frame, if it is.
    pub full_frame_rule: Option<Rule>,
    /// Why the whole frame is masked, if it is.
    pub full_frame_reason: Option<String>,
    /// The legitimate purposes active at the instant.
    pub active_purposes: Vec<PurposeKind>,
    /// Per zone, in config order.
    pub zones: Vec<ZoneDecision>,
    /// The decision holds for every instant from `at` up to (not
    /// including) this one; `None`: it never changes (or the instant is
    /// unknown).
    pub valid_until: Option<Timestamp>,
    /// The style of masked zones that name none, used when the decision is
    /// serialized (fill unless the caller sets another).
    pub default_style: Style,
    timezone: TimeZone,
}

impl Decision {
    /// Whether the instant was unknown (the protective branch was taken).
    #[must_use]
    pub fn unknown_instant(&self) -> bool {
        self.at.is_none()
    }

    /// Whether `instant` is covered by this decision (same answer as a new
    /// decision would give).
    #[must_use]
    pub fn holds_at(&self, instant: Option<Timestamp>) -> bool {
        match (self.at, instant) {
            (None, None) => true,
            (Some(at), Some(t)) => at <= t && self.valid_until.is_none_or(|v| t < v),
            _ => false,
        }
    }

    /// Whether `other` masks the same zones the same way (ignoring the
    /// instants): a caller can keep masks built for one and reuse them.
    #[must_use]
    pub fn same_masks(&self, other: &Self) -> bool {
        self.full_frame == other.full_frame
            && self.zones.len() == other.zones.len()
            && self
                .zones
                .iter()
                .zip(&other.zones)
                .all(|(a, b)| a.outcome == b.outcome && a.style == b.style)
    }

    /// `at` as RFC 3339 in the site's local offset, e.g.
    /// `2026-11-24T12:00:00+01:00`.
    #[must_use]
    pub fn at_local(&self) -> Option<String> {
        self.at.map(|t| local_rfc3339(t, &self.timezone))
    }

    /// `valid_until` as RFC 3339 in the site's local offset.
    #[must_use]
    pub fn valid_until_local(&self) -> Option<String> {
        self.valid_until.map(|t| local_rfc3339(t, &self.timezone))
    }

    /// The masks for a `width × height` frame, one per style: the union of
    /// the masked zones (conservative coverage: every pixel a zone touches),
    /// less only the pixels lying wholly inside an OBJECT_ONLY zone's
    /// objects; the whole frame when no purpose is active. Masks only
    /// grow: where zones overlap, masked wins. Feed the result to
    /// `sladd_core::Redaction::new`.
    ///
    /// # Errors
    /// A [`crate::Error::Mask`] for a zero or oversized frame.
    pub fn mask_layers(
        &self,
        width: u32,
        height: u32,
        default: Style,
    ) -> Result<Vec<(Style, SpanMask)>> {
        let mut layers: Vec<(Style, SpanMask)> = Vec::new();
        let mut add = |style: Style, mask: SpanMask| -> Result<()> {
            if let Some((_, existing)) = layers.iter_mut().find(|(s, _)| *s == style) {
                *existing = existing.union(&mask)?;
            } else {
                layers.push((style, mask));
            }
            Ok(())
        };
        // Checks the size even when nothing is masked.
        let empty = SpanMask::empty(width, height)?;
        if self.full_frame {
            add(default, SpanMask::full(width, height)?)?;
        }
        for zone in self.zones.iter().filter(|z| z.masked()) {
            let mut mask = zone
                .region
                .rasterize(width, height, Coverage::Conservative)?;
            if zone.outcome == Outcome::ObjectOnly {
                if let Some(objects) = &zone.objects {
                    let keep = objects.rasterize(width, height, Coverage::Inner)?;
                    mask = mask.subtract(&keep)?;
                }
            }
            add(zone.style_or(default), mask)?;
        }
        if layers.is_empty() {
            layers.push((default, empty));
        }
        Ok(layers)
    }

    /// The union of [`Decision::mask_layers`]: every pixel masked in any
    /// style.
    ///
    /// # Errors
    /// As [`Decision::mask_layers`].
    pub fn mask(&self, width: u32, height: u32) -> Result<SpanMask> {
        let mut all = SpanMask::empty(width, height)?;
        for (_, m) in self.mask_layers(width, height, Style::default())? {
            all = all.union(&m)?;
        }
        Ok(all)
    }
}

fn local_rfc3339(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Whether a purpose counts at all: work performance and unspecified
/// purposes never do, safety purposes only with a documented risk.
#[must_use]
pub fn is_legitimate(kind: PurposeKind, camera: &Camera) -> bool {
    match kind {
        PurposeKind::WorkPerformance | PurposeKind::Other => false,
        k if k.is_safety() => camera.facts.risk_documented == Some(true),
        _ => true,
    }
}

/// Whether `purpose` is active at `instant` (`None`: unknown, when only
/// purposes that apply at all times are active).
#[must_use]
pub fn is_active(purpose: &Purpose, camera: &Camera, instant: Option<Timestamp>) -> bool {
    let site = camera.site();
    match instant {
        None => purpose.when == Window::Always && !purpose.kind.is_after_closing(),
        Some(t) => {
            (!purpose.kind.is_after_closing() || !site.is_open(t)) && purpose.when.contains(t, site)
        }
    }
}

/// Decides which zones of `camera` are masked at `instant` (rules.md §2a).
///
/// Pure: no clock, no I/O. `None` for an unknown instant takes the
/// protective branch: staff are present and windowed purposes inactive.
#[must_use]
pub fn decide(camera: &Camera, instant: Option<Timestamp>) -> Decision {
    let site = camera.site();
    let mut active: Vec<PurposeKind> = Vec::new();
    for p in &camera.purposes {
        if is_legitimate(p.kind, camera)
            && is_active(p, camera, instant)
            && !active.contains(&p.kind)
        {
            active.push(p.kind);
        }
    }
    let safety = active.iter().any(|k| k.is_safety());
    let full_frame = active.is_empty();
    let full_frame_reason = full_frame.then(|| no_purpose_reason(camera, instant));
    let zones = camera
        .zones
        .iter()
        .map(|zone| {
            let forced_fill = matches!(zone.area, Area::Private);
            let style = if forced_fill {
                Some(Style::fill())
            } else {
                zone.style
            };
            let staff = instant.is_none_or(|t| zone.staff_present.contains(t, site));
            let (outcome, rule, reason) = if forced_fill {
                (
                    Outcome::Masked,
                    Rule::AreaPrivate,
                    "A break room, toilet or changing room is never shown, so it is filled solid at all times.".to_owned(),
                )
            } else if full_frame {
                (
                    Outcome::Masked,
                    Rule::NoPurpose,
                    "No lawful purpose of the camera applies now, so the whole frame is masked.".to_owned(),
                )
            } else {
                zone_outcome(zone.area, staff, safety, zone.objects.is_some(), &active)
            };
            ZoneDecision {
                name: zone.name.clone(),
                area: zone.area,
                outcome,
                style,
                rule,
                reason,
                region: Arc::clone(&zone.region),
                objects: zone.objects.clone(),
            }
        })
        .collect();
    let valid_until = instant.and_then(|t| next_change(camera, t));
    Decision {
        camera: camera.id.clone(),
        at: instant,
        full_frame,
        full_frame_rule: full_frame.then_some(Rule::NoPurpose),
        full_frame_reason,
        active_purposes: active,
        zones,
        valid_until,
        default_style: Style::default(),
        timezone: site.timezone.clone(),
    }
}

fn names(kinds: &[PurposeKind]) -> String {
    kinds
        .iter()
        .map(|k| k.name().replace('_', " "))
        .collect::<Vec<_>>()
        .join(", ")
}

fn zone_outcome(
    area: Area,
    staff: bool,
    safety: bool,
    has_objects: bool,
    active: &[PurposeKind],
) -> (Outcome, Rule, String) {
    match area {
        Area::Private => (
            Outcome::Masked,
            Rule::AreaPrivate,
            "A break room, toilet or changing room is never shown.".to_owned(),
        ),
        Area::OutsidePurpose => (
            Outcome::Masked,
            Rule::AreaMinimise,
            "The camera's purpose does not need this area, so it is masked.".to_owned(),
        ),
        Area::Patient => (
            Outcome::Masked,
            Rule::HPatient,
            "Patients are protected by the duty of confidentiality, so this area is masked."
                .to_owned(),
        ),
        Area::RestrictedCircle if staff && safety && has_objects => (
            Outcome::ObjectOnly,
            Rule::AreaObject,
            "Staff work here and the documented safety purpose needs only the marked objects, so the zone is masked except those objects.".to_owned(),
        ),
        Area::RestrictedCircle if staff && safety => (
            Outcome::Shown,
            Rule::AreaObject,
            "Staff work here under a documented safety purpose; the zone is shown because it marks no objects (mark the till or safe so only they are shown).".to_owned(),
        ),
        Area::RestrictedCircle if staff => (
            Outcome::Masked,
            Rule::AreaRestricted,
            format!(
                "Staff work here now, and the active purpose ({}) does not allow filming where mostly staff are, so the zone is masked.",
                names(active)
            ),
        ),
        Area::RestrictedCircle => (
            Outcome::Shown,
            Rule::StaffAbsent,
            "No staff are normally here at this time, so the general rules apply and the zone is shown.".to_owned(),
        ),
        Area::Public => (
            Outcome::Shown,
            Rule::AreaPublic,
            "Customers and the public normally move here, so the general rules apply and the zone is shown.".to_owned(),
        ),
    }
}

fn no_purpose_reason(camera: &Camera, instant: Option<Timestamp>) -> String {
    if camera.purposes.is_empty() {
        return "The camera has no stated purpose, so the whole frame is masked.".to_owned();
    }
    let legit: Vec<PurposeKind> = camera
        .purposes
        .iter()
        .map(|p| p.kind)
        .filter(|k| is_legitimate(*k, camera))
        .collect();
    if legit.is_empty() {
        return format!(
            "None of the camera's purposes ({}) is a lawful reason to show anything (work performance and unspecified purposes never are; safety needs a documented risk), so the whole frame is masked.",
            names(&camera.purposes.iter().map(|p| p.kind).collect::<Vec<_>>())
        );
    }
    if instant.is_none() {
        return format!(
            "The time of the recording is unknown, and the camera's purposes ({}) only apply at certain times, so the whole frame is masked.",
            names(&legit)
        );
    }
    let windows: Vec<String> = camera
        .purposes
        .iter()
        .filter(|p| is_legitimate(p.kind, camera))
        .map(|p| {
            let when = if p.kind.is_after_closing() && p.when == Window::Always {
                "outside opening hours".to_owned()
            } else if p.kind.is_after_closing() {
                format!("outside opening hours and {}", p.when.describe())
            } else {
                p.when.describe()
            };
            format!("{} {when}", p.kind.name().replace('_', " "))
        })
        .collect();
    format!(
        "The camera's purposes apply only at other times ({}), so the whole frame is masked now.",
        windows.join("; ")
    )
}

/// The first instant after `t` at which any schedule the camera's decision
/// depends on may change.
fn next_change(camera: &Camera, t: Timestamp) -> Option<Timestamp> {
    let site = camera.site();
    let mut best = site.opening_hours.next_change(t, &site.timezone);
    let mut consider = |c: Option<Timestamp>| {
        if let Some(c) = c {
            if best.is_none_or(|b| c < b) {
                best = Some(c);
            }
        }
    };
    for p in &camera.purposes {
        consider(p.when.next_change(t, site));
    }
    for z in &camera.zones {
        if z.area == Area::RestrictedCircle {
            consider(z.staff_present.next_change(t, site));
        }
    }
    best
}

/// A zone decision with the default style its `style` key resolves against.
struct ZoneJson<'a>(&'a ZoneDecision, Style);

impl Serialize for ZoneJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let ZoneJson(z, default) = self;
        let mut s = serializer.serialize_struct("ZoneDecision", 7)?;
        s.serialize_field("name", &z.name)?;
        s.serialize_field("area", &z.area)?;
        s.serialize_field("masked", &z.masked())?;
        s.serialize_field("outcome", &z.outcome)?;
        // Shown zones have no style; masked ones the one they are masked with.
        s.serialize_field("style", &z.masked().then(|| z.style_or(*default).name()))?;
        s.serialize_field("rule", &z.rule)?;
        s.serialize_field("reason", &z.reason)?;
        s.end()
    }
}

impl Serialize for Decision {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Decision", 9)?;
        s.serialize_field("camera", &self.camera)?;
        s.serialize_field("at", &self.at_local())?;
        s.serialize_field("unknown_instant", &self.unknown_instant())?;
        s.serialize_field("full_frame", &self.full_frame)?;
        s.serialize_field("full_frame_rule", &self.full_frame_rule)?;
        s.serialize_field("full_frame_reason", &self.full_frame_reason)?;
        s.serialize_field("active_purposes", &self.active_purposes)?;
        let zones: Vec<ZoneJson<'_>> = self
            .zones
            .iter()
            .map(|z| ZoneJson(z, self.default_style))
            .collect();
        s.serialize_field("zones", &zones)?;
        s.serialize_field("valid_until", &self.valid_until_local())?;
        s.end()
    }
}

/// Decides for a stream of instants, recomputing only when the previous
/// decision stops holding (at a schedule boundary): deciding for every
/// frame of a video costs a comparison of two timestamps.
#[derive(Debug, Clone)]
pub struct Decider {
    camera: Camera,
    current: Option<Decision>,
    generation: u64,
    default_style: Style,
}

impl Decider {
    /// A decider for `camera`.
    #[must_use]
    pub fn new(camera: Camera) -> Self {
        Self {
            camera,
            current: None,
            generation: 0,
            default_style: Style::default(),
        }
    }

    /// Sets the style of masked zones that name none (and of a masked
    /// whole frame), carried in every decision as
    /// [`Decision::default_style`]; the cached decision is recomputed.
    pub fn set_default_style(&mut self, style: Style) {
        if style != self.default_style {
            self.default_style = style;
            self.current = None;
        }
    }

    /// The decision at `instant`: the cached one while it holds, else a new
    /// one. A cached decision keeps the `at` of when it was computed.
    pub fn decide(&mut self, instant: Option<Timestamp>) -> &Decision {
        self.decide_counted(instant).1
    }

    /// As [`Decider::decide`], with the [`Decider::generation`] the
    /// decision belongs to: a caller keeping something derived from a
    /// decision rebuilds it when the generation changes.
    pub fn decide_counted(&mut self, instant: Option<Timestamp>) -> (u64, &Decision) {
        let stale = self.current.as_ref().is_none_or(|d| !d.holds_at(instant));
        if stale {
            self.generation += 1;
        }
        let (camera, style) = (&self.camera, self.default_style);
        let decide = || Decision {
            default_style: style,
            ..decide(camera, instant)
        };
        if stale {
            self.current = Some(decide());
        }
        (self.generation, self.current.get_or_insert_with(decide))
    }

    /// How many decisions have been computed so far; changes whenever
    /// [`Decider::decide`] computed a new one.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The camera.
    #[must_use]
    pub fn camera(&self) -> &Camera {
        &self.camera
    }
}
