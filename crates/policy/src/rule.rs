//! Rule identifiers: what `plan` reports as the deciding rule and what
//! `check` reports as a finding's id (rules.md §2a, §3, §4).

use std::fmt;

use serde::{Serialize, Serializer};

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $source:literal; )*) => {
        /// A rule of kameraforskriften, the GDPR, the working environment
        /// act or the healthcare profile, by its identifier in rules.md.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Rule {
            $( $(#[$doc])* $variant, )*
        }

        impl Rule {
            /// Every rule, in the order of rules.md.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The identifier, e.g. `R-AREA-PRIVATE`.
            #[must_use]
            pub const fn id(self) -> &'static str {
                match self { $( Rule::$variant => $id, )* }
            }

            /// Where the rule comes from: the seed guide's section or the
            /// regulation.
            #[must_use]
            pub const fn source(self) -> &'static str {
                match self { $( Rule::$variant => $source, )* }
            }
        }
    };
}

rules! {
    /// No legitimate purpose is active: the whole frame is masked.
    NoPurpose = "R-NO-PURPOSE", "S1 \"Hvor og når kan det overvåkes?\"; KF § 3";
    /// Shown under the general rules: a public area.
    AreaPublic = "R-AREA-PUBLIC", "GDPR Art. 6(1)(f); S1 \"Områder der bare de ansatte ferdes jevnlig\"";
    /// Shown: no staff are present in a restricted area.
    StaffAbsent = "R-STAFF-ABSENT", "S1 \"Områder der bare de ansatte ferdes jevnlig\" (Eksempel 2)";
    /// OBJECT_ONLY: a documented safety purpose may film the objects only.
    AreaObject = "R-AREA-OBJECT", "KF § 3; S1 \"Hvor og når kan det overvåkes?\"; FC 4.2";
    /// No purpose is defined, or only an unspecified one.
    PurposeDefined = "R-PURPOSE-DEFINED", "S1 \"Før overvåkingen starter\"; GDPR Art. 5(1)(b)";
    /// No written necessity and balancing test before start.
    DocBeforeStart = "R-DOC-BEFORE-START", "S1 \"Nødvendighet\"; GDPR Art. 5(2), 24";
    /// No written routines for deletion, access and disclosure.
    InternalControl = "R-INTERNAL-CONTROL", "GDPR Art. 24; FC 4.6";
    /// Not discussed with union representatives, or staff not informed.
    AmlProcess = "R-AML-PROCESS", "aml § 9-2 (1)-(2)";
    /// Written notice to staff missing.
    InfoStaff = "R-INFO-STAFF", "GDPR Art. 12-13; FC 4.7";
    /// Not re-evaluated in the last 12 months.
    ReevalYearly = "R-REEVAL-YEARLY", "S1 \"Berettiget interesse\"; aml § 9-2 (3)";
    /// Sign missing or incomplete.
    Signage = "R-SIGNAGE", "KF § 4; S1 \"Åpenhet\"";
    /// Hidden camera.
    Hidden = "R-HIDDEN", "S1 \"Åpenhet\"";
    /// Sound recording.
    Audio = "R-AUDIO", "S1 \"Interesseavveining\" (Eksempel 4); FC 4.4";
    /// Remote live access.
    RemoteLive = "R-REMOTE-LIVE", "S1 \"Fjerntilgang og lagring av opptak\"; FC 4.5";
    /// PTZ or zoom can reach staff areas.
    PtzStaff = "R-PTZ-STAFF", "S1 \"Interesseavveining\" (Eksempel 4)";
    /// A private zone: always masked.
    AreaPrivate = "R-AREA-PRIVATE", "S1 \"Hvor og når kan det overvåkes?\"";
    /// A restricted zone masked while staff are present.
    AreaRestricted = "R-AREA-RESTRICTED", "KF § 3; S1 \"Områder der bare de ansatte ferdes jevnlig\"";
    /// Film only what the purpose needs.
    AreaMinimise = "R-AREA-MINIMISE", "S1 \"Hvor og når kan det overvåkes?\"";
    /// A safety purpose without a documented concrete risk.
    ConcreteRisk = "R-CONCRETE-RISK", "S1 \"Berettiget interesse\"";
    /// Burglary surveillance during opening hours.
    TimeWindow = "R-TIME-WINDOW", "S1 \"Hvor og når kan det overvåkes?\", \"Nødvendighet\"";
    /// Retention beyond 7 days.
    Retention7d = "R-RETENTION-7D", "KF § 6; S1 \"Lagring\"";
    /// A police clip kept beyond 30 days.
    Retention30dPolice = "R-RETENTION-30D-POLICE", "KF § 6; S1 \"Lagring\"";
    /// Point of sale / post / bank: up to 3 calendar months.
    Retention3mPos = "R-RETENTION-3M-POS", "KF § 6; S1 \"Lagring\"; FC 4.9";
    /// A recording whose start cannot be established: never deleted, never
    /// disclosed, reported.
    RetentionUnknownAge = "R-RETENTION-UNKNOWN-AGE", "KF § 6; S1 \"Lagring\"";
    /// A Datatilsynet exemption from the deletion rules.
    RetentionDpaExempt = "R-RETENTION-DPA-EXEMPT", "S1 \"Lagring\"";
    /// Disclosure without consent or legal basis.
    Disclose = "R-DISCLOSE", "S1 \"Utlevering av opptak\"; KF § 5 (unverified); Datatilsynet 20/01777";
    /// Disclosure to the police from a healthcare site.
    DiscloseConfidential = "R-DISCLOSE-CONFIDENTIAL", "S1 \"Utlevering av opptak\"; helsepersonelloven § 21";
    /// Footage reused to judge work performance.
    PurposeWorkcontrol = "R-PURPOSE-WORKCONTROL", "S1 \"Prinsippet om formålsbegrensning\"; GDPR Art. 6(4); FC 4.1";
    /// An employee objects.
    Objection = "R-OBJECTION", "S1 \"Rett til å protestere\"; GDPR Art. 21";
    /// Other control measures add up.
    Cumulative = "R-CUMULATIVE", "S1 \"Interesseavveining\"; aml § 9-1";
    /// Consent used as the lawful basis.
    ConsentBasis = "R-CONSENT-BASIS", "S1 \"Før overvåkingen starter\" (Merk)";
    /// Too many viewers, or no role-based access.
    Access = "R-ACCESS", "S1 \"Sikring av opptak og anlegg\"";
    /// Staff under 18.
    Minors = "R-MINORS", "FC 4.2";
    /// Run by a third party: KF still applies.
    ScopeThirdParty = "R-SCOPE-THIRD-PARTY", "S1 \"Definisjoner\"";
    /// A recording whose camera clock cannot be trusted: its start is
    /// taken as unknown.
    ClockUntrusted = "R-CLOCK", "rules.md §2a (unknown instant); GDPR Art. 5(1)(d)";
    /// Healthcare: patients under the duty of confidentiality.
    HPatient = "H-PATIENT", "helsepersonelloven § 21; GDPR Art. 9";
    /// Healthcare: staff consent for sharing.
    HStaffConsent = "H-STAFF-CONSENT", "S2; personopplysningsloven § 2";
    /// Healthcare: covert recording.
    HHidden = "H-HIDDEN", "S2";
    /// Healthcare: media production.
    HMedia = "H-MEDIA", "S2; personopplysningsloven § 3";
    /// Healthcare: the institution films its own staff.
    HEmployer = "H-EMPLOYER", "S2";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}
