//! The worked examples of the seed guide and the edge cases of rules.md §5,
//! as fixture configs with the decisions they must give.
//!
//! 2026-11-24 is a Tuesday; Oslo is at +01:00 then.

use super::{expect, plan, policy};
use sladd_policy::Outcome::{Masked, ObjectOnly, Shown};

const TUE_NOON: &str = "2026-11-24T12:00:00+01:00";
const TUE_NIGHT: &str = "2026-11-24T03:00:00+01:00";

#[test]
fn example_site_weekday_noon_shows_pumps_and_only_the_till() {
    let p = policy("../site.toml");
    let d = plan(&p, "kasse-1", Some(TUE_NOON));
    assert!(!d.full_frame);
    expect(
        &d,
        &[
            ("Bak kassen", ObjectOnly, "R-AREA-OBJECT"),
            ("Pumpene", Shown, "R-AREA-PUBLIC"),
        ],
    );
    // Burglary is not active by day; safety is.
    assert_eq!(d.active_purposes.len(), 1);
    assert_eq!(
        d.valid_until_local().as_deref(),
        Some("2026-11-24T23:00:00+01:00")
    );
}

#[test]
fn example_site_at_three_at_night_shows_the_empty_counter() {
    let p = policy("../site.toml");
    let d = plan(&p, "kasse-1", Some(TUE_NIGHT));
    assert!(!d.full_frame);
    expect(
        &d,
        &[
            ("Bak kassen", Shown, "R-STAFF-ABSENT"),
            ("Pumpene", Shown, "R-AREA-PUBLIC"),
        ],
    );
    assert_eq!(d.active_purposes.len(), 2);
    assert_eq!(
        d.valid_until_local().as_deref(),
        Some("2026-11-24T07:00:00+01:00")
    );
}

#[test]
fn petrol_station_pumps_may_be_shown() {
    let p = policy("petrol_station.toml");
    let d = plan(&p, "pumper", Some(TUE_NOON));
    expect(&d, &[("Pumpene", Shown, "R-AREA-PUBLIC")]);
}

#[test]
fn petrol_station_behind_the_till_shows_only_the_till() {
    let p = policy("petrol_station.toml");
    for when in [TUE_NOON, TUE_NIGHT] {
        let d = plan(&p, "bak-kassen", Some(when));
        expect(
            &d,
            &[
                ("Bak kassen", ObjectOnly, "R-AREA-OBJECT"),
                ("Butikken", Shown, "R-AREA-PUBLIC"),
            ],
        );
    }
}

#[test]
fn petrol_station_without_documented_risk_shows_nothing() {
    let p = policy("petrol_station.toml");
    let d = plan(&p, "bak-kassen-udokumentert", Some(TUE_NOON));
    assert!(d.full_frame);
    assert_eq!(d.full_frame_rule.map(|r| r.id()), Some("R-NO-PURPOSE"));
    expect(&d, &[("Bak kassen", Masked, "R-NO-PURPOSE")]);
}

#[test]
fn sweet_shop_counter_is_masked_for_theft() {
    let p = policy("petrol_station.toml");
    let d = plan(&p, "godteri-disk", Some(TUE_NOON));
    expect(
        &d,
        &[
            ("Disken", Masked, "R-AREA-RESTRICTED"),
            ("Godterihyllene", Shown, "R-AREA-PUBLIC"),
        ],
    );
    // Theft defaults to opening hours: closed at 03:00, nothing is shown.
    let night = plan(&p, "godteri-disk", Some(TUE_NIGHT));
    assert!(night.full_frame);
}

#[test]
fn kindergarten_outdoors_by_day_is_masked_without_documented_safety() {
    let p = policy("kindergarten.toml");
    // Undocumented safety does not count and vandalism waits for closing.
    let d = plan(&p, "ute", Some(TUE_NOON));
    assert!(d.full_frame);
    // With theft by day: the outdoor area is masked while staff are there.
    let d = plan(&p, "ute-tyveri", Some(TUE_NOON));
    expect(&d, &[("Uteområdet", Masked, "R-AREA-RESTRICTED")]);
    // With a documented special need: only the marked gate is shown.
    let d = plan(&p, "ute-dokumentert", Some(TUE_NOON));
    expect(&d, &[("Uteområdet", ObjectOnly, "R-AREA-OBJECT")]);
}

#[test]
fn kindergarten_outdoors_at_night_may_be_shown() {
    let p = policy("kindergarten.toml");
    let d = plan(&p, "ute", Some(TUE_NIGHT));
    assert!(!d.full_frame);
    expect(
        &d,
        &[
            ("Uteområdet", Shown, "R-STAFF-ABSENT"),
            ("Garderobe-vindu", Masked, "R-AREA-PRIVATE"),
        ],
    );
    // Between closing (17:00) and the last staff leaving (17:30), vandalism
    // is active but staff are still there.
    let d = plan(&p, "ute", Some("2026-11-24T17:15:00+01:00"));
    expect(&d, &[("Uteområdet", Masked, "R-AREA-RESTRICTED")]);
    let d = plan(&p, "ute", Some("2026-11-24T17:30:00+01:00"));
    expect(&d, &[("Uteområdet", Shown, "R-STAFF-ABSENT")]);
}

#[test]
fn private_zone_is_filled_whatever_the_staff_schedule() {
    let p = policy("kindergarten.toml");
    for when in [Some(TUE_NOON), Some(TUE_NIGHT), None] {
        let d = plan(&p, "ute", when);
        let z = d
            .zones
            .iter()
            .find(|z| z.name == "Garderobe-vindu")
            .unwrap();
        assert_eq!(z.outcome, Masked);
        assert_eq!(z.style, Some(sladd_core::Style::fill()));
    }
}

#[test]
fn shop_owner_counter_is_masked_shop_floor_shown() {
    let p = policy("shop_owner.toml");
    let d = plan(&p, "butikk", Some(TUE_NOON));
    expect(
        &d,
        &[
            ("Butikklokalet", Shown, "R-AREA-PUBLIC"),
            ("Bak disken", Masked, "R-AREA-RESTRICTED"),
        ],
    );
}

#[test]
fn mall_run_camera_follows_the_same_rules() {
    let p = policy("mall.toml");
    // Opening hours: the burglary camera goes dark.
    let d = plan(&p, "senter-14", Some(TUE_NOON));
    assert!(d.full_frame);
    // Night: the shop is shown, the door where the night guard passes is
    // masked while the guard is there.
    let d = plan(&p, "senter-14", Some("2026-11-24T21:30:00+01:00"));
    expect(
        &d,
        &[
            ("Butikklokalet", Shown, "R-AREA-PUBLIC"),
            ("Kassen", Shown, "R-STAFF-ABSENT"),
            ("Lager-døra", Masked, "R-AREA-RESTRICTED"),
        ],
    );
    let d = plan(&p, "senter-14", Some("2026-11-24T23:00:00+01:00"));
    expect(&d, &[("Lager-døra", Shown, "R-STAFF-ABSENT")]);
}

#[test]
fn warehouse_with_many_workers_is_still_restricted() {
    let p = policy("warehouse.toml");
    let d = plan(&p, "lager", Some(TUE_NOON));
    expect(
        &d,
        &[("Lagerhallen (200 ansatte)", Masked, "R-AREA-RESTRICTED")],
    );
    let d = plan(&p, "lager", Some(TUE_NIGHT));
    expect(
        &d,
        &[("Lagerhallen (200 ansatte)", Shown, "R-STAFF-ABSENT")],
    );
    let d = plan(&p, "lager-maskin", Some(TUE_NOON));
    expect(
        &d,
        &[
            ("Lagerhallen (200 ansatte)", ObjectOnly, "R-AREA-OBJECT"),
            ("Pauserommet", Masked, "R-AREA-PRIVATE"),
        ],
    );
}

#[test]
fn office_with_visiting_clients_is_still_restricted() {
    let p = policy("warehouse.toml");
    // Burglary after closing (22:00) while staff are gone.
    let d = plan(&p, "kontor", Some("2026-11-24T23:00:00+01:00"));
    expect(
        &d,
        &[("Kontorlandskap med kundebesøk", Shown, "R-STAFF-ABSENT")],
    );
    // Opening hours: no purpose, nothing shown.
    assert!(plan(&p, "kontor", Some(TUE_NOON)).full_frame);
}

#[test]
fn burglary_only_camera_goes_dark_during_opening_hours() {
    let p = policy("burglary_only.toml");
    for cam in ["innbrudd", "innbrudd-natt"] {
        let d = plan(&p, cam, Some(TUE_NOON));
        assert!(d.full_frame, "{cam}");
        assert!(d.zones.iter().all(|z| z.masked()));
        let d = plan(&p, cam, Some(TUE_NIGHT));
        assert!(!d.full_frame, "{cam}");
        expect(&d, &[("Butikken", Shown, "R-AREA-PUBLIC")]);
    }
    // After closing but before staff leave the workshop.
    let d = plan(&p, "innbrudd", Some("2026-11-24T18:15:00+01:00"));
    expect(
        &d,
        &[
            ("Butikken", Shown, "R-AREA-PUBLIC"),
            ("Verkstedet", Masked, "R-AREA-RESTRICTED"),
        ],
    );
}

#[test]
fn theft_camera_reused_for_work_performance_decides_as_theft() {
    let p = policy("work_control.toml");
    let d = plan(&p, "nasking", Some(TUE_NOON));
    expect(
        &d,
        &[
            ("Hyllene", Shown, "R-AREA-PUBLIC"),
            ("Kassene", Masked, "R-AREA-RESTRICTED"),
        ],
    );
    // Judging work is never a lawful purpose: the whole frame is masked.
    let d = plan(&p, "arbeidsinnsats", Some(TUE_NOON));
    assert!(d.full_frame);
    assert!(d.full_frame_reason.unwrap().contains("work performance"));
}

#[test]
fn unknown_instant_takes_the_protective_branch() {
    let p = policy("../site.toml");
    let d = plan(&p, "kasse-1", None);
    assert!(d.unknown_instant());
    assert_eq!(d.valid_until, None);
    // Staff count as present; the always-on safety purpose applies.
    expect(&d, &[("Bak kassen", ObjectOnly, "R-AREA-OBJECT")]);
    // A burglary-only camera shows nothing when the time is unknown.
    let p = policy("burglary_only.toml");
    assert!(plan(&p, "innbrudd-natt", None).full_frame);
    // Theft (opening hours by default) does not count either.
    let p = policy("petrol_station.toml");
    assert!(plan(&p, "godteri-disk", None).full_frame);
}

#[test]
fn decisions_hold_until_valid_until_and_the_decider_reuses_them() {
    let p = policy("../site.toml");
    let camera = p.camera("kasse-1").unwrap().clone();
    let mut decider = sladd_policy::Decider::new(camera);
    let start = super::at("2026-11-24T22:00:00+01:00");
    let mut t = start;
    // Two hours of 25 fps frames: 180 000 instants, two decisions (the
    // staff leave at 23:00).
    let frame = jiff::SignedDuration::from_millis(40);
    let mut outcomes = Vec::new();
    for _ in 0..(2 * 3600 * 25) {
        let d = decider.decide(Some(t));
        if outcomes.last() != Some(&d.zones[0].outcome) {
            outcomes.push(d.zones[0].outcome);
        }
        t = t.checked_add(frame).unwrap();
    }
    assert_eq!(decider.generation(), 2);
    assert_eq!(outcomes, vec![ObjectOnly, Shown]);
    // Going back in time decides again.
    decider.decide(Some(start));
    assert_eq!(decider.generation(), 3);
    decider.decide(None);
    decider.decide(None);
    assert_eq!(decider.generation(), 4);
}

#[test]
fn spring_forward_night_staff_schedule_in_wall_clock_time() {
    let p = policy("dst.toml");
    // 01:59:59 +01:00, then the clocks jump to 03:00 +02:00.
    let d = plan(&p, "bakrom", Some("2026-03-29T01:59:59+01:00"));
    expect(&d, &[("Bakrommet", Shown, "R-STAFF-ABSENT")]);
    assert_eq!(
        d.valid_until_local().as_deref(),
        Some("2026-03-29T03:00:00+02:00")
    );
    let d = plan(&p, "bakrom", Some("2026-03-29T03:00:00+02:00"));
    expect(&d, &[("Bakrommet", Masked, "R-AREA-RESTRICTED")]);
    assert_eq!(
        d.valid_until_local().as_deref(),
        Some("2026-03-29T04:00:00+02:00")
    );
    let d = plan(&p, "bakrom", Some("2026-03-29T04:00:00+02:00"));
    expect(&d, &[("Bakrommet", Shown, "R-STAFF-ABSENT")]);
}

#[test]
fn fall_back_night_covers_the_repeated_half_hour_twice() {
    let p = policy("dst.toml");
    let masked = |s: &str| plan(&p, "bakrom", Some(s)).zones[0].masked();
    assert!(!masked("2026-10-25T02:29:00+02:00"));
    assert!(masked("2026-10-25T02:30:00+02:00"));
    // 03:00 +02:00 becomes 02:00 +01:00: before 02:30 again, not covered.
    assert!(!masked("2026-10-25T02:00:00+01:00"));
    assert!(masked("2026-10-25T02:30:00+01:00"));
    assert!(masked("2026-10-25T03:59:00+01:00"));
    assert!(!masked("2026-10-25T04:00:00+01:00"));
    let d = plan(&p, "bakrom", Some("2026-10-25T02:45:00+02:00"));
    assert_eq!(
        d.valid_until_local().as_deref(),
        Some("2026-10-25T02:00:00+01:00")
    );
}

#[test]
fn footage_without_staff_still_needs_a_gdpr_basis() {
    // 20/01790: a camera that never sees staff is still judged in full.
    let p = policy("burglary_only.toml");
    let all = sladd_policy::check(&p, None);
    for id in ["R-DOC-BEFORE-START", "R-CONSENT-BASIS", "R-SIGNAGE"] {
        assert!(
            all.iter()
                .any(|f| f.id.id() == id && f.camera.as_deref() == Some("innbrudd-natt")),
            "{id}"
        );
    }
}
