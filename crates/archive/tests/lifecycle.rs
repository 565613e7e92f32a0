//! The retention plan, holds, findings and window coverage on archives
//! described in memory (no files, no FFmpeg).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use sladd_archive::export::{cover, RecipientKind};
use sladd_archive::findings::findings;
use sladd_archive::holds::parse_toml;
use sladd_archive::recording::{Archive, Recording, StartSource};
use sladd_archive::retention::{plan, Action, HoldState};
use sladd_policy::{Format, Policy, Severity};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn policy(site: &str, camera: &str) -> Policy {
    let text = format!(
        "[site]\nname = \"S\"\ntimezone = \"Europe/Oslo\"\n{site}\n[[cameras]]\nid = \"c\"\n{camera}\n"
    );
    Policy::from_str(&text, Format::Toml, "site.toml").unwrap()
}

fn rec(name: &str, start: Option<&str>, seconds: i64) -> Recording {
    let start = start.map(t);
    Recording {
        path: name.into(),
        camera: "c".into(),
        bytes: 1,
        start,
        end: start.map(|s| s + jiff::SignedDuration::from_secs(seconds)),
        start_source: if start.is_some() {
            StartSource::Filename
        } else {
            StartSource::Unknown
        },
        unknown: start.is_none().then(|| "no start".to_owned()),
    }
}

fn archive(recordings: Vec<Recording>) -> Archive {
    Archive {
        recordings,
        ..Archive::default()
    }
}

#[test]
fn day_seven_kept_day_eight_deleted_and_unknown_kept() {
    let p = policy("", "retention_days = 7");
    let a = archive(vec![
        rec("a", Some("2026-03-01T10:00:00+01:00"), 60),
        rec("u", None, 0),
    ]);
    let keep = plan(&p, &a, &[], t("2026-03-08T10:01:00+01:00"));
    assert_eq!(keep.entries[0].action, Action::Keep);
    assert_eq!(
        keep.entries[0].deadline,
        Some(t("2026-03-08T10:01:00+01:00"))
    );
    assert_eq!(keep.entries[1].action, Action::UnknownAge);
    assert!(!keep.overdue());
    let delete = plan(&p, &a, &[], t("2026-03-08T10:01:00.000000001+01:00"));
    assert_eq!(delete.entries[0].action, Action::Delete);
    assert_eq!(delete.entries[0].rule.id(), "R-RETENTION-7D");
    let f = findings(&delete);
    assert!(f
        .iter()
        .any(|f| f.id.id() == "R-RETENTION-7D" && f.severity == Severity::Violation));
    assert!(f
        .iter()
        .any(|f| f.id.id() == "R-RETENTION-UNKNOWN-AGE" && f.severity == Severity::Warning));
}

#[test]
fn exemption_and_point_of_sale_take_the_longer_lawful_period() {
    let pos = policy("payment_or_id = true", "dpa_exemption_days = 120");
    let a = archive(vec![rec("a", Some("2026-01-31T10:00:00+01:00"), 0)]);
    let out = plan(&pos, &a, &[], t("2026-05-01T00:00:00+02:00"));
    assert_eq!(out.entries[0].action, Action::Keep);
    assert_eq!(out.entries[0].rule.id(), "R-RETENTION-DPA-EXEMPT");
    assert_eq!(
        out.entries[0].deadline,
        Some(t("2026-05-31T10:00:00+02:00"))
    );
    let pos = policy("post_or_bank = true", "");
    let out = plan(&pos, &a, &[], t("2026-04-30T10:00:00+02:00"));
    assert_eq!(
        (out.entries[0].action, out.entries[0].rule.id()),
        (Action::Keep, "R-RETENTION-3M-POS")
    );
}

#[test]
fn holds_extend_only_what_they_cover_and_expire() {
    let p = policy("", "retention_days = 7");
    let a = archive(vec![
        rec("held", Some("2026-03-01T10:00:00+01:00"), 60),
        rec("other", Some("2026-03-01T12:00:00+01:00"), 60),
    ]);
    let holds = parse_toml(
        "[[holds]]\ncase = \"K1\"\ncamera = \"c\"\nfrom = \"2026-03-01T10:00:30+01:00\"\nto = \"2026-03-01T10:00:40+01:00\"\nuntil = 2026-03-20\n",
        "holds.toml",
    )
    .unwrap();
    let out = plan(&p, &a, &holds, t("2026-03-10T00:00:00+01:00"));
    assert_eq!(out.entries[0].action, Action::Hold);
    assert_eq!(out.entries[0].holds, ["K1"]);
    assert_eq!(out.entries[1].action, Action::Delete);
    assert_eq!(
        (out.holds[0].state, out.holds[0].recordings),
        (HoldState::Active, 1)
    );
    let out = plan(&p, &a, &holds, t("2026-03-21T00:00:01+01:00"));
    assert_eq!(out.entries[0].action, Action::Delete);
    assert_eq!(out.holds[0].state, HoldState::Expired);
    assert!(findings(&out)
        .iter()
        .any(|f| f.id.id() == "R-RETENTION-30D-POLICE" && f.severity == Severity::Warning));
}

#[test]
fn windows_are_covered_across_files_overlaps_and_gaps() {
    let a = archive(vec![
        rec("a", Some("2026-03-01T10:00:00Z"), 60),
        rec("b", Some("2026-03-01T10:00:50Z"), 60),
        rec("c", Some("2026-03-01T10:03:00Z"), 60),
        rec("u", None, 0),
    ]);
    let c = cover(
        &a,
        "c",
        t("2026-03-01T10:00:30Z"),
        t("2026-03-01T10:03:30Z"),
    );
    let pieces: Vec<(String, Timestamp, Timestamp)> = c
        .pieces
        .iter()
        .map(|p| (p.recording.path.display().to_string(), p.from, p.to))
        .collect();
    assert_eq!(
        pieces,
        [
            (
                "a".to_owned(),
                t("2026-03-01T10:00:30Z"),
                t("2026-03-01T10:01:00Z")
            ),
            (
                "b".to_owned(),
                t("2026-03-01T10:01:00Z"),
                t("2026-03-01T10:01:50Z")
            ),
            (
                "c".to_owned(),
                t("2026-03-01T10:03:00Z"),
                t("2026-03-01T10:03:30Z")
            ),
        ]
    );
    assert_eq!(c.gaps.len(), 1);
    assert_eq!(
        (c.gaps[0].from, c.gaps[0].to),
        (t("2026-03-01T10:01:50Z"), t("2026-03-01T10:03:00Z"))
    );
    assert_eq!(c.unknown_age.len(), 1);
    let none = cover(
        &a,
        "c",
        t("2026-03-02T00:00:00Z"),
        t("2026-03-02T00:01:00Z"),
    );
    assert!(none.pieces.is_empty() && none.gaps.len() == 1);
}

#[test]
fn recipients_follow_the_disclosure_rule() {
    let workplace = policy("", "");
    let site = workplace.site();
    for kind in RecipientKind::ALL {
        let verdict = kind.judge(site, None);
        let allowed = matches!(kind, RecipientKind::Police | RecipientKind::DataSubject);
        assert_eq!(verdict.allowed, allowed, "{kind}");
        assert_eq!(kind.name().parse::<RecipientKind>().unwrap(), kind);
    }
    assert!(RecipientKind::Consent.judge(site, Some("form 12")).allowed);
    let healthcare = policy("sector = \"healthcare\"", "");
    let v = RecipientKind::Police.judge(healthcare.site(), None);
    assert!(
        v.allowed && v.severity == Severity::Warning && v.rule.id() == "R-DISCLOSE-CONFIDENTIAL"
    );
    assert!("neighbour".parse::<RecipientKind>().is_err());
}
