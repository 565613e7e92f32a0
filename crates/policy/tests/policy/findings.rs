//! The compliance report: checks of rules.md §3 and §4 on the fixtures.

use super::{at, policy};
use sladd_policy::{check, Finding, Policy, Report, Severity};

const TUE_NOON: &str = "2026-11-24T12:00:00+01:00";

fn findings(p: &Policy) -> Vec<Finding> {
    check(p, Some(at(TUE_NOON)))
}

/// The findings with this rule id (and camera).
fn with<'a>(all: &'a [Finding], id: &str, camera: Option<&str>) -> Vec<&'a Finding> {
    all.iter()
        .filter(|f| f.id.id() == id && (camera.is_none() || f.camera.as_deref() == camera))
        .collect()
}

#[track_caller]
fn has(all: &[Finding], id: &str, camera: Option<&str>, severity: Severity) {
    let found = with(all, id, camera);
    assert!(
        found.iter().any(|f| f.severity == severity),
        "expected {id} {severity} for {camera:?}, got {found:#?}\nall: {:#?}",
        all.iter()
            .map(|f| (f.id.id(), f.severity, &f.camera))
            .collect::<Vec<_>>()
    );
}

#[track_caller]
fn lacks(all: &[Finding], id: &str, camera: Option<&str>) {
    let found = with(all, id, camera);
    assert!(
        found.is_empty(),
        "unexpected {id} for {camera:?}: {found:#?}"
    );
}

fn violations(all: &[Finding]) -> Vec<&str> {
    all.iter()
        .filter(|f| f.severity == Severity::Violation)
        .map(|f| f.id.id())
        .collect()
}

#[test]
fn example_site_has_no_violations() {
    let p = policy("../site.toml");
    let all = findings(&p);
    assert_eq!(violations(&all), Vec::<&str>::new(), "{all:#?}");
    // access_control elsewhere at the workplace: weigh it too.
    has(&all, "R-CUMULATIVE", None, Severity::Warning);
    // Facts the file does not state are missing, not assumed.
    has(
        &all,
        "R-INTERNAL-CONTROL",
        Some("kasse-1"),
        Severity::Warning,
    );
    has(&all, "R-INFO-STAFF", Some("kasse-1"), Severity::Warning);
    has(&all, "R-ACCESS", Some("kasse-1"), Severity::Warning);
    // What is masked, as information.
    has(&all, "R-AREA-RESTRICTED", Some("kasse-1"), Severity::Info);
    let r = with(&all, "R-AREA-RESTRICTED", Some("kasse-1"))[0];
    assert_eq!(r.zone.as_deref(), Some("Bak kassen"));
    assert!(
        r.message.contains("except its marked objects"),
        "{}",
        r.message
    );
    // Reviewed 2026-03-01, checked 2026-11-24: within a year.
    lacks(&all, "R-REEVAL-YEARLY", None);
    lacks(&all, "R-RETENTION-7D", None);
    lacks(&all, "R-RETENTION-3M-POS", None);
    lacks(&all, "R-TIME-WINDOW", None);
    // Every finding cites its source.
    assert!(all
        .iter()
        .all(|f| !f.source.is_empty() && !f.message.is_empty()));
    let report = Report::new(&p, Some(at(TUE_NOON)));
    assert_eq!(report.violations, 0);
    assert_eq!(report.site, "Bensinstasjon Sentrum");
}

#[test]
fn example_site_review_goes_stale_after_a_year() {
    let p = policy("../site.toml");
    let all = check(&p, Some(at("2027-03-01T12:00:00+01:00")));
    lacks(&all, "R-REEVAL-YEARLY", None);
    let all = check(&p, Some(at("2027-03-02T12:00:00+01:00")));
    has(&all, "R-REEVAL-YEARLY", Some("kasse-1"), Severity::Warning);
}

#[test]
fn shop_owner_audio_remote_and_rotation() {
    let all = findings(&policy("shop_owner.toml"));
    has(&all, "R-AUDIO", Some("butikk"), Severity::Violation);
    has(&all, "R-REMOTE-LIVE", Some("butikk"), Severity::Violation);
    has(&all, "R-PTZ-STAFF", Some("butikk"), Severity::Warning);
    // Sound is recorded; the file does not say the sign mentions it.
    has(&all, "R-SIGNAGE", Some("butikk"), Severity::Warning);
    has(&all, "R-AREA-RESTRICTED", Some("butikk"), Severity::Info);
    let ptz = with(&all, "R-PTZ-STAFF", None)[0];
    assert!(ptz.message.contains("Bak disken"), "{}", ptz.message);
    let mut v = violations(&all);
    v.sort_unstable();
    assert_eq!(v, ["R-AUDIO", "R-REMOTE-LIVE"]);
}

#[test]
fn justified_audio_and_remote_access_are_warnings() {
    let text = std::fs::read_to_string(super::fixtures().join("policy/shop_owner.toml")).unwrap();
    let text = text.replace(
        "audio = true\n",
        "audio = true\naudio_justified = true\nremote_justified = true\nsign_mentions_audio = true\n",
    );
    let p = Policy::from_str(&text, sladd_policy::Format::Toml, "shop.toml").unwrap();
    let all = findings(&p);
    has(&all, "R-AUDIO", None, Severity::Warning);
    has(&all, "R-REMOTE-LIVE", None, Severity::Warning);
    lacks(&all, "R-SIGNAGE", None);
    assert!(violations(&all).is_empty(), "{all:#?}");
}

#[test]
fn mall_run_camera_is_in_scope_and_checked_in_full() {
    let all = findings(&policy("mall.toml"));
    has(
        &all,
        "R-SCOPE-THIRD-PARTY",
        Some("senter-14"),
        Severity::Info,
    );
    // Not discussed with the union representatives.
    has(
        &all,
        "R-AML-PROCESS",
        Some("senter-14"),
        Severity::Violation,
    );
    lacks(&all, "R-TIME-WINDOW", None);
}

#[test]
fn warehouse_masks_are_information_never_violations() {
    let all = findings(&policy("warehouse.toml"));
    has(&all, "R-AREA-RESTRICTED", Some("lager"), Severity::Info);
    has(
        &all,
        "R-AREA-RESTRICTED",
        Some("lager-maskin"),
        Severity::Info,
    );
    has(&all, "R-AREA-PRIVATE", Some("lager-maskin"), Severity::Info);
    for f in &all {
        if f.zone.is_some() {
            assert_ne!(f.severity, Severity::Violation, "{f:#?}");
        }
    }
    // Burglary without `when` on the office camera: it records by day.
    has(&all, "R-TIME-WINDOW", Some("kontor"), Severity::Violation);
    // Theft with when = "always" is not a burglary window issue.
    lacks(&all, "R-TIME-WINDOW", Some("lager"));
}

#[test]
fn burglary_only_camera_filming_in_opening_hours() {
    let all = findings(&policy("burglary_only.toml"));
    has(&all, "R-TIME-WINDOW", Some("innbrudd"), Severity::Violation);
    lacks(&all, "R-TIME-WINDOW", Some("innbrudd-natt"));
}

#[test]
fn theft_camera_reused_for_work_performance() {
    let all = findings(&policy("work_control.toml"));
    has(
        &all,
        "R-PURPOSE-WORKCONTROL",
        Some("nasking"),
        Severity::Violation,
    );
    has(
        &all,
        "R-PURPOSE-WORKCONTROL",
        Some("arbeidsinnsats"),
        Severity::Violation,
    );
}

#[test]
fn petrol_station_undocumented_risk_and_missing_objects() {
    let all = findings(&policy("petrol_station.toml"));
    has(
        &all,
        "R-CONCRETE-RISK",
        Some("bak-kassen-udokumentert"),
        Severity::Warning,
    );
    lacks(&all, "R-CONCRETE-RISK", Some("bak-kassen"));
    // Sweet shop counter: masked while staff are there, information.
    has(
        &all,
        "R-AREA-RESTRICTED",
        Some("godteri-disk"),
        Severity::Info,
    );
}

#[test]
fn kindergarten_safety_zone_without_objects_warns() {
    let text = std::fs::read_to_string(super::fixtures().join("policy/kindergarten.toml")).unwrap();
    let text = text.replace(
        "objects = [[[0.8, 0.2], [1.0, 0.2], [1.0, 0.5], [0.8, 0.5]]]\n",
        "",
    );
    let p = Policy::from_str(&text, sladd_policy::Format::Toml, "k.toml").unwrap();
    let all = findings(&p);
    has(
        &all,
        "R-AREA-MINIMISE",
        Some("ute-dokumentert"),
        Severity::Warning,
    );
}

fn minimal(camera_facts: &str, site_facts: &str) -> Policy {
    let text = format!(
        "[site]\nname = \"S\"\n{site_facts}\n[[cameras]]\nid = \"c\"\npurposes = [{{ purpose = \"theft\" }}]\n{camera_facts}\n"
    );
    Policy::from_str(&text, sladd_policy::Format::Toml, "s.toml").unwrap()
}

#[test]
fn missing_facts_are_warnings_not_assumed() {
    let all = findings(&minimal("", ""));
    for id in [
        "R-DOC-BEFORE-START",
        "R-INTERNAL-CONTROL",
        "R-AML-PROCESS",
        "R-INFO-STAFF",
        "R-REEVAL-YEARLY",
        "R-SIGNAGE",
        "R-HIDDEN",
        "R-AUDIO",
        "R-REMOTE-LIVE",
        "R-PTZ-STAFF",
        "R-RETENTION-7D",
        "R-OBJECTION",
        "R-CONSENT-BASIS",
        "R-ACCESS",
    ] {
        has(&all, id, Some("c"), Severity::Warning);
    }
    assert!(violations(&all).is_empty());
}

#[test]
fn stated_failures_are_violations() {
    let all = findings(&minimal(
        "documented_assessment = false\nwritten_routines = false\nunion_discussed = false\nstaff_informed = false\nwritten_notice = false\nsignage = false\nhidden = true\nemployee_objection = true\n",
        "",
    ));
    let mut v = violations(&all);
    v.sort_unstable();
    assert_eq!(
        v,
        [
            "R-AML-PROCESS",
            "R-DOC-BEFORE-START",
            "R-HIDDEN",
            "R-INFO-STAFF",
            "R-INTERNAL-CONTROL",
            "R-OBJECTION",
            "R-SIGNAGE"
        ]
    );
    let all = findings(&minimal(
        "employee_objection = true\ncompelling_grounds_documented = true\n",
        "",
    ));
    has(&all, "R-OBJECTION", None, Severity::Warning);
    let all = findings(&minimal(
        "signage = true\nsign_before_entry = false\nsign_names_controller = false\n",
        "",
    ));
    assert_eq!(with(&all, "R-SIGNAGE", None).len(), 2);
    assert_eq!(violations(&all), ["R-SIGNAGE", "R-SIGNAGE"]);
}

#[test]
fn no_purpose_is_a_violation() {
    let text = "[site]\nname = \"S\"\n[[cameras]]\nid = \"c\"\n";
    let p = Policy::from_str(text, sladd_policy::Format::Toml, "s.toml").unwrap();
    has(
        &findings(&p),
        "R-PURPOSE-DEFINED",
        Some("c"),
        Severity::Violation,
    );
    let text =
        "[site]\nname = \"S\"\n[[cameras]]\nid = \"c\"\npurposes = [{ purpose = \"other\" }]\n";
    let p = Policy::from_str(text, sladd_policy::Format::Toml, "s.toml").unwrap();
    has(
        &findings(&p),
        "R-PURPOSE-DEFINED",
        Some("c"),
        Severity::Violation,
    );
}

#[test]
fn retention_day_seven_passes_day_eight_fails() {
    lacks(
        &findings(&minimal("retention_days = 7", "")),
        "R-RETENTION-7D",
        None,
    );
    has(
        &findings(&minimal("retention_days = 8", "")),
        "R-RETENTION-7D",
        Some("c"),
        Severity::Violation,
    );
}

#[test]
fn retention_at_a_point_of_sale_counts_calendar_months() {
    use jiff::civil::date;
    use sladd_policy::check::{shortest_three_months_days, three_months_after};
    // Footage from 31 January may be kept until 30 April.
    assert_eq!(three_months_after(date(2026, 1, 31)), date(2026, 4, 30));
    assert_eq!(three_months_after(date(2028, 11, 30)), date(2029, 2, 28));
    assert_eq!(shortest_three_months_days(), 89);
    let pos = "payment_or_id = true";
    lacks(
        &findings(&minimal(
            "retention_days = 89\nretention_need_documented = true",
            pos,
        )),
        "R-RETENTION-3M-POS",
        None,
    );
    has(
        &findings(&minimal("retention_days = 90", pos)),
        "R-RETENTION-3M-POS",
        Some("c"),
        Severity::Violation,
    );
    // Beyond 7 days without a documented need: information.
    has(
        &findings(&minimal("retention_days = 30", pos)),
        "R-RETENTION-3M-POS",
        Some("c"),
        Severity::Info,
    );
    lacks(
        &findings(&minimal("retention_days = 30", pos)),
        "R-RETENTION-7D",
        None,
    );
    // Post or bank services count the same.
    has(
        &findings(&minimal("retention_days = 120", "post_or_bank = true")),
        "R-RETENTION-3M-POS",
        Some("c"),
        Severity::Violation,
    );
}

#[test]
fn a_police_hold_does_not_extend_other_footage() {
    let all = findings(&minimal(
        "retention_days = 30\nlikely_police_disclosure = true\npolice_hold_days = 30",
        "",
    ));
    has(&all, "R-RETENTION-7D", Some("c"), Severity::Violation);
    lacks(&all, "R-RETENTION-30D-POLICE", None);
    let all = findings(&minimal("retention_days = 7\npolice_hold_days = 31", ""));
    has(
        &all,
        "R-RETENTION-30D-POLICE",
        Some("c"),
        Severity::Violation,
    );
    lacks(&all, "R-RETENTION-7D", None);
}

#[test]
fn datatilsynet_exemption_allows_longer_retention() {
    let all = findings(&minimal("retention_days = 60\ndpa_exemption_days = 60", ""));
    has(&all, "R-RETENTION-DPA-EXEMPT", Some("c"), Severity::Info);
    lacks(&all, "R-RETENTION-7D", None);
    let all = findings(&minimal("retention_days = 61\ndpa_exemption_days = 60", ""));
    has(&all, "R-RETENTION-7D", Some("c"), Severity::Violation);
}

#[test]
fn disclosure_to_police_employer_and_social_media() {
    let d = |to: &str| format!("disclosures = [{{ to = \"{to}\" }}]");
    has(
        &findings(&minimal(&d("police"), "")),
        "R-DISCLOSE",
        Some("c"),
        Severity::Info,
    );
    assert!(violations(&findings(&minimal(&d("police"), ""))).is_empty());
    has(
        &findings(&minimal(&d("employer"), "")),
        "R-DISCLOSE",
        Some("c"),
        Severity::Violation,
    );
    has(
        &findings(&minimal(&d("social_media"), "")),
        "R-DISCLOSE",
        Some("c"),
        Severity::Violation,
    );
    let consented = "disclosures = [{ to = \"social_media\", consent = true }]";
    lacks(&findings(&minimal(consented, "")), "R-DISCLOSE", None);
    // From a healthcare site, export to the police needs a manual review.
    let all = findings(&minimal(&d("police"), "sector = \"healthcare\""));
    has(
        &all,
        "R-DISCLOSE-CONFIDENTIAL",
        Some("c"),
        Severity::Warning,
    );
}

#[test]
fn consent_as_basis_cumulative_minors_access() {
    has(
        &findings(&minimal("legal_basis = \"consent\"", "")),
        "R-CONSENT-BASIS",
        Some("c"),
        Severity::Warning,
    );
    let all = findings(&minimal(
        "viewers = 12\nrole_based_access = false",
        "staff_minors = true\nother_control_measures = [\"gps_tracking\"]",
    ));
    assert_eq!(with(&all, "R-ACCESS", Some("c")).len(), 2);
    has(&all, "R-MINORS", None, Severity::Info);
    has(&all, "R-CUMULATIVE", None, Severity::Warning);
    assert!(with(&all, "R-CUMULATIVE", None)[0].camera.is_none());
}

#[test]
fn healthcare_profile() {
    let p = policy("healthcare.toml");
    let all = findings(&p);
    has(&all, "H-EMPLOYER", None, Severity::Info);
    has(&all, "H-PATIENT", Some("korridor"), Severity::Info);
    has(&all, "H-STAFF-CONSENT", Some("korridor"), Severity::Warning);
    has(&all, "H-HIDDEN", Some("korridor"), Severity::Warning);
    has(&all, "R-HIDDEN", Some("korridor"), Severity::Violation);
    has(&all, "H-MEDIA", Some("korridor"), Severity::Info);
    has(
        &all,
        "R-DISCLOSE-CONFIDENTIAL",
        Some("korridor"),
        Severity::Warning,
    );
    // Patients are masked whatever the purpose.
    let d = super::plan(&p, "korridor", Some(TUE_NOON));
    super::expect(
        &d,
        &[("Sengeplassene", sladd_policy::Outcome::Masked, "H-PATIENT")],
    );
}

#[test]
fn workplace_sites_get_no_healthcare_findings() {
    let all = findings(&policy("../site.toml"));
    assert!(all.iter().all(|f| !f.id.id().starts_with("H-")));
}
