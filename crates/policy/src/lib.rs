//! # sladd-policy
//!
//! Decides which parts of a workplace camera's picture may be shown, from
//! the Norwegian rules for camera surveillance at work (kameraforskriften,
//! the working environment act ch. 9 and the GDPR), explains every
//! decision with the rule that made it, and reports what in a site's set-up
//! breaks the rules.
//!
//! ## The decision in plain words
//!
//! A site file lists each camera's **purposes** (staff safety, theft,
//! burglary, ...) and the **zones** it sees, each with a kind of area. At
//! any instant:
//!
//! 1. Only purposes that apply *now* count: burglary and vandalism only
//!    outside opening hours, theft during opening hours by default, any
//!    purpose only inside its `when`. Judging staff's work and unspecified
//!    purposes never count, and a safety purpose counts only when the
//!    concrete risk is documented.
//! 2. If no purpose counts, the camera has no lawful reason to show
//!    anything, and **the whole frame is masked**.
//! 3. Otherwise, zone by zone: a break room, toilet or changing room is
//!    always masked with a solid fill; what the purpose does not need is
//!    masked; where mostly staff are and staff are present now, the zone is
//!    masked, except that a documented safety purpose may show the
//!    objects it needs (the till, the safe); where no staff are present, or
//!    where the public moves, the zone is shown.
//! 4. Masks only grow: where zones overlap, masked wins.
//! 5. When the time of a recording is unknown, staff count as present and
//!    time-limited purposes as inactive.
//!
//! ```
//! use sladd_policy::{decide, Format, Outcome, Policy};
//!
//! let site = r#"
//! [site]
//! name = "Kiosken"
//! timezone = "Europe/Oslo"
//! opening_hours = ["mon-fri 07:00-23:00"]
//!
//! [[cameras]]
//! id = "kasse"
//! purposes = [{ purpose = "theft" }, { purpose = "burglary" }]
//!
//! [[cameras.zones]]
//! name = "Bak disken"
//! area = "restricted_circle"
//! polygon = [[0.0, 0.5], [0.4, 0.5], [0.4, 1.0], [0.0, 1.0]]
//!
//! [[cameras.zones]]
//! name = "Butikken"
//! area = "public"
//! polygon = [[0.4, 0.0], [1.0, 0.0], [1.0, 1.0], [0.4, 1.0]]
//! "#;
//! let policy = Policy::from_str(site, Format::Toml, "site.toml")?;
//! let camera = policy.camera("kasse")?;
//!
//! // Tuesday noon: theft applies; staff are behind the counter.
//! let noon = "2026-11-24T12:00:00+01:00".parse()?;
//! let d = decide(camera, Some(noon));
//! assert!(!d.full_frame);
//! assert_eq!(d.zones[0].outcome, Outcome::Masked);
//! assert_eq!(d.zones[0].rule.id(), "R-AREA-RESTRICTED");
//! assert_eq!(d.zones[1].outcome, Outcome::Shown);
//! // The decision holds until closing time.
//! assert_eq!(d.valid_until_local().as_deref(), Some("2026-11-24T23:00:00+01:00"));
//!
//! // An unknown instant takes the protective branch.
//! let unknown = decide(camera, None);
//! assert!(unknown.zones[0].masked());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The pieces: [`config`] reads TOML or JSON into a raw model,
//! [`Policy::compile`] validates it once, [`decide`] (and the caching
//! [`Decider`]) decide per instant, [`Decision::mask_layers`] turns a
//! decision into `sladd_core` masks, and [`check()`] writes the compliance
//! report.

pub mod check;
pub mod clock;
pub mod config;
mod decide;
pub mod disclosure;
mod error;
mod masker;
mod policy;
pub mod retention;
mod rule;
pub mod schedule;

pub use check::{check, Finding, Report, Severity};
pub use config::raw::{Area, LegalBasis, PurposeKind, Recipient, RecordedFrom, Sector};
pub use config::Format;
pub use decide::{decide, is_active, is_legitimate, Decider, Decision, Outcome, ZoneDecision};
pub use error::{Error, InvalidReason, Location, Result};
pub use masker::{CameraMasker, DecisionSpan};
pub use policy::{
    Camera, Disclosure, Facts, Policy, Purpose, RecordedAt, Site, WeekCover, Window, Zone,
};
pub use rule::Rule;
pub use schedule::{Schedule, ScheduleError, ScheduleProblem, ScheduleSet};
