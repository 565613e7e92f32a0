//! Invariants of the decision, over random purposes, windows, staff
//! schedules, opening hours and instants (proptest), compared on rasterized
//! masks.

use jiff::Timestamp;
use proptest::prelude::*;
use sladd_core::{Coverage, SpanMask};
use sladd_policy::{decide, Decision, Format, Outcome, Policy};

const W: u32 = 64;
const H: u32 = 36;

/// A toilet, overlapped by the till object of the restricted zone, so a
/// carve-out must never unmask it.
const PRIVATE: &str = "[[0.0, 0.0], [0.3, 0.0], [0.3, 0.4], [0.0, 0.4]]";
const OUTSIDE: &str = "[[0.7, 0.0], [1.0, 0.0], [1.0, 0.3], [0.7, 0.3]]";
const RESTRICTED: &str = "[[0.0, 0.3], [0.6, 0.3], [0.6, 1.0], [0.0, 1.0]]";
const OBJECT: &str = "[[[0.1, 0.2], [0.4, 0.2], [0.4, 0.6], [0.1, 0.6]]]";
const PUBLIC: &str = "[[0.6, 0.3], [1.0, 0.3], [1.0, 1.0], [0.6, 1.0]]";

const PURPOSES: [&str; 8] = [
    "employee_safety",
    "special_need",
    "robbery",
    "theft",
    "burglary",
    "vandalism",
    "work_performance",
    "other",
];

fn schedule() -> impl Strategy<Value = String> {
    let days = prop::sample::select(vec![
        "daily", "mon", "sun", "sat-sun", "mon-fri", "fri,sun", "fri-mon",
    ]);
    (days, 0u16..48, 1u16..=48)
        .prop_filter("start differs from end", |(_, s, e)| s != e)
        .prop_map(|(d, s, e)| {
            let t = |h: u16| format!("{:02}:{:02}", h / 2, (h % 2) * 30);
            format!("{d} {}-{}", t(s), t(e))
        })
}

fn schedules() -> impl Strategy<Value = String> {
    prop::collection::vec(schedule(), 0..3).prop_map(|v| {
        let quoted: Vec<String> = v.iter().map(|s| format!("\"{s}\"")).collect();
        format!("[{}]", quoted.join(", "))
    })
}

/// A `when` / `staff_present` value, or nothing.
fn window(allow_never: bool) -> impl Strategy<Value = Option<String>> {
    let mut keywords = vec![
        "\"always\"",
        "\"opening_hours\"",
        "\"outside_opening_hours\"",
    ];
    if allow_never {
        keywords.push("\"never\"");
    }
    prop_oneof![
        Just(None),
        prop::sample::select(keywords).prop_map(|k| Some(k.to_owned())),
        schedules().prop_map(Some),
    ]
}

fn purpose() -> impl Strategy<Value = String> {
    (prop::sample::select(PURPOSES.to_vec()), window(false)).prop_map(|(p, w)| match w {
        Some(w) => format!("{{ purpose = \"{p}\", when = {w} }}"),
        None => format!("{{ purpose = \"{p}\" }}"),
    })
}

#[derive(Debug, Clone)]
struct Site {
    opening: String,
    purposes: Vec<String>,
    risk: Option<bool>,
    staff: Option<String>,
}

fn site() -> impl Strategy<Value = Site> {
    (
        schedules(),
        prop::collection::vec(purpose(), 0..4),
        prop::option::of(any::<bool>()),
        window(true),
    )
        .prop_map(|(opening, purposes, risk, staff)| Site {
            opening,
            purposes,
            risk,
            staff,
        })
}

impl Site {
    fn toml(&self, extra_zone: bool) -> String {
        let mut t = format!(
            "[site]\nname = \"P\"\nopening_hours = {}\n[[cameras]]\nid = \"c\"\npurposes = [{}]\n",
            self.opening,
            self.purposes.join(", ")
        );
        if let Some(r) = self.risk {
            t += &format!("risk_documented = {r}\n");
        }
        t += &format!(
            "[[cameras.zones]]\nname = \"toalett\"\narea = \"private\"\npolygon = {PRIVATE}\n"
        );
        t += &format!(
            "[[cameras.zones]]\nname = \"nabo\"\narea = \"outside_purpose\"\npolygon = {OUTSIDE}\n"
        );
        t += &format!("[[cameras.zones]]\nname = \"disk\"\narea = \"restricted_circle\"\npolygon = {RESTRICTED}\nobjects = {OBJECT}\n");
        if let Some(s) = &self.staff {
            t += &format!("staff_present = {s}\n");
        }
        t += &format!(
            "[[cameras.zones]]\nname = \"butikk\"\narea = \"public\"\npolygon = {PUBLIC}\n"
        );
        if extra_zone {
            t += "[[cameras.zones]]\nname = \"ekstra\"\narea = \"public\"\npolygon = [[0.2, 0.2], [0.9, 0.2], [0.9, 0.9]]\n";
        }
        t
    }

    fn policy(&self, extra_zone: bool) -> Policy {
        let text = self.toml(extra_zone);
        Policy::from_str(&text, Format::Toml, "p.toml").unwrap_or_else(|e| panic!("{e}\n{text}"))
    }
}

/// An instant in 2026 (both DST changes in Oslo) or unknown.
fn instant() -> impl Strategy<Value = Option<Timestamp>> {
    let start = 1_767_225_600_i64; // 2026-01-01T00:00:00Z
    prop::option::weighted(
        0.9,
        (0..366 * 86_400_i64).prop_map(move |s| Timestamp::from_second(start + s).unwrap()),
    )
}

/// An instant within two days of one of Oslo's 2026 DST changes.
fn dst_night() -> impl Strategy<Value = Option<Timestamp>> {
    let changes = [1_774_746_000_i64, 1_792_890_000]; // 2026-03-29T01:00Z, 2026-10-25T01:00Z
    (
        prop::sample::select(changes.to_vec()),
        -172_800_i64..172_800,
    )
        .prop_map(|(c, d)| Some(Timestamp::from_second(c + d).unwrap()))
}

fn raster(poly: &str) -> SpanMask {
    let text = format!(
        "[site]\nname = \"R\"\n[[cameras]]\nid = \"r\"\n[[cameras.zones]]\nname = \"z\"\narea = \"public\"\npolygon = {poly}\n"
    );
    let p = Policy::from_str(&text, Format::Toml, "r.toml").unwrap();
    p.cameras()[0].zones[0]
        .region
        .rasterize(W, H, Coverage::Conservative)
        .unwrap()
}

fn mask(d: &Decision) -> SpanMask {
    d.mask(W, H).unwrap()
}

fn covers(outer: &SpanMask, inner: &SpanMask) -> bool {
    inner.subtract(outer).unwrap().is_empty()
}

fn zone<'a>(d: &'a Decision, name: &str) -> &'a sladd_policy::ZoneDecision {
    d.zones.iter().find(|z| z.name == name).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// Nothing unmasks a private zone (the toilet), whatever the time,
    /// purposes, documentation or staff schedule, even where an object
    /// carve-out overlaps it.
    #[test]
    fn nothing_unmasks_a_private_zone(s in site(), t in instant()) {
        let p = s.policy(false);
        let d = decide(&p.cameras()[0], t);
        let z = zone(&d, "toalett");
        prop_assert_eq!(z.outcome, Outcome::Masked);
        prop_assert_eq!(z.style, Some(sladd_core::Style::fill()));
        let layers = d.mask_layers(W, H, sladd_core::Style::blur()).unwrap();
        let fill = layers.iter().find(|(st, _)| *st == sladd_core::Style::fill());
        let private = raster(PRIVATE);
        prop_assert!(fill.is_some_and(|(_, m)| covers(m, &private)));
        prop_assert!(covers(&mask(&d), &raster(OUTSIDE)));
    }

    /// Adding a zone or a purpose (window) never shrinks what the private
    /// and outside-purpose zones mask.
    #[test]
    fn adding_zones_or_purposes_never_shrinks_protected_zones(
        s in site(), extra in purpose(), t in instant()
    ) {
        let before = mask(&decide(&s.policy(false).cameras()[0], t));
        let mut more = s.clone();
        more.purposes.push(extra);
        for p in [s.policy(true), more.policy(false), more.policy(true)] {
            let after = mask(&decide(&p.cameras()[0], t));
            for protected in [raster(PRIVATE), raster(OUTSIDE)] {
                prop_assert!(covers(&before, &protected));
                prop_assert!(covers(&after, &protected));
            }
        }
    }

    /// An unknown instant never masks less than any known instant.
    #[test]
    fn unknown_instant_masks_at_least_as_much(s in site(), t in instant()) {
        let p = s.policy(false);
        let camera = &p.cameras()[0];
        let unknown = decide(camera, None);
        let known = decide(camera, t.or(Some(Timestamp::UNIX_EPOCH)));
        prop_assert!(covers(&mask(&unknown), &mask(&known)));
        for (u, k) in unknown.zones.iter().zip(&known.zones) {
            prop_assert!(u.masked() || !k.masked(), "{} masked when known, not when unknown", u.name);
        }
        prop_assert!(unknown.full_frame || !known.full_frame);
    }

    /// A decision holds for every instant up to `valid_until`.
    #[test]
    fn decisions_hold_until_valid_until(s in site(), t in instant(), step in 1i64..86_400) {
        let p = s.policy(false);
        let camera = &p.cameras()[0];
        let Some(t) = t else { return Ok(()) };
        let d = decide(camera, Some(t));
        let later = t + jiff::SignedDuration::from_secs(step);
        if d.holds_at(Some(later)) {
            let again = decide(camera, Some(later));
            prop_assert!(d.same_masks(&again), "changed at {later} before {:?}", d.valid_until);
        }
    }
}

#[test]
fn object_only_carves_only_pixels_wholly_inside_the_object() {
    let p = super::policy("../site.toml");
    let camera = p.camera("kasse-1").unwrap();
    let noon = decide(camera, Some(super::at("2026-11-24T12:00:00+01:00")));
    let layers = noon
        .mask_layers(640, 360, sladd_core::Style::pixelate())
        .unwrap();
    // "Bak kassen" has style = "fill"; nothing else is masked.
    assert_eq!(layers.len(), 1);
    let (style, m) = &layers[0];
    assert_eq!(*style, sladd_core::Style::fill());
    // The zone spans x 64..268.8, y 126..342; the till x 128..192, y 198..252.
    assert!(m.contains(64, 126) && m.contains(268, 341));
    assert!(!m.contains(63, 200) && !m.contains(269, 200) && !m.contains(100, 342));
    assert!(!m.contains(128, 198) && !m.contains(191, 251) && !m.contains(160, 220));
    assert!(
        m.contains(127, 220)
            && m.contains(192, 220)
            && m.contains(160, 197)
            && m.contains(160, 252)
    );
    // At 03:00 the counter is shown: nothing is masked.
    let night = decide(camera, Some(super::at("2026-11-24T03:00:00+01:00")));
    assert!(night.mask(640, 360).unwrap().is_empty());
    // Unknown time: the same as noon.
    assert_eq!(decide(camera, None).mask(640, 360).unwrap(), *m);
}

#[test]
fn full_frame_masks_everything_with_private_zones_filled() {
    let p = super::policy("warehouse.toml");
    let camera = p.camera("lager-maskin").unwrap();
    // Take away the documented risk: no purpose is left.
    let mut c = camera.clone();
    c.facts.risk_documented = Some(false);
    let d = decide(&c, Some(super::at("2026-11-24T12:00:00+01:00")));
    assert!(d.full_frame);
    let layers = d.mask_layers(64, 36, sladd_core::Style::blur()).unwrap();
    assert!(layers
        .iter()
        .any(|(s, m)| *s == sladd_core::Style::blur() && m.is_full()));
    assert!(layers
        .iter()
        .any(|(s, m)| *s == sladd_core::Style::fill() && !m.is_empty()));
    assert!(d.mask(64, 36).unwrap().is_full());
    assert!(d.mask_layers(0, 36, sladd_core::Style::fill()).is_err());
}

/// The layers feed `sladd_core::Redaction` as they are: the counter is
/// filled except the till, the pumps keep their pixels.
#[test]
fn mask_layers_drive_a_core_redaction() {
    use sladd_core::{FrameMut, PixelFormat, Redaction, Redactor};
    let p = super::policy("../site.toml");
    let d = decide(
        p.camera("kasse-1").unwrap(),
        Some(super::at("2026-11-24T12:00:00+01:00")),
    );
    let (w, h) = (320_u32, 180_u32);
    let layers = d.mask_layers(w, h, sladd_core::Style::fill()).unwrap();
    let redaction = Redaction::new(PixelFormat::Gray8, w, h, layers).unwrap();
    let mut buf = vec![200_u8; (w * h) as usize];
    {
        let mut frame =
            FrameMut::from_planes(PixelFormat::Gray8, w, h, [(&mut buf[..], w as usize)]).unwrap();
        Redactor::new().apply(&mut frame, &redaction).unwrap();
    }
    let px = |x: u32, y: u32| buf[(y * w + x) as usize];
    assert_ne!(px(50, 150), 200, "behind the counter is masked");
    assert_eq!(px(80, 110), 200, "the till is shown");
    assert_eq!(px(300, 50), 200, "the pumps are shown");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A schedule's membership is constant from any instant up to its next
    /// change, and differs there, across both of Oslo's DST nights.
    #[test]
    fn schedule_next_change_is_exact(
        texts in prop::collection::vec(schedule(), 1..4),
        t in prop_oneof![instant(), dst_night()],
        probes in prop::collection::vec(0.0f64..1.0, 16),
    ) {
        let Some(t) = t else { return Ok(()) };
        let set = sladd_policy::ScheduleSet::parse(&texts).unwrap();
        let tz = jiff::tz::TimeZoneDatabase::bundled().get("Europe/Oslo").unwrap();
        let inside = set.contains(t, &tz);
        let Some(next) = set.next_change(t, &tz) else {
            // Only a set covering the whole week never changes.
            prop_assert!((0..7).all(|d| (0..1440).all(|m| set.contains_local(d, m))));
            return Ok(());
        };
        prop_assert!(next > t);
        prop_assert_ne!(set.contains(next, &tz), inside);
        let span = next.as_second() - t.as_second();
        for p in probes {
            let s = t.as_second() + (p * span as f64) as i64;
            let u = Timestamp::from_second(s.min(next.as_second() - 1)).unwrap();
            prop_assert_eq!(set.contains(u, &tz), inside, "{:?} at {}", texts, u);
        }
    }
}
