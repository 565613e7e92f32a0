//! Problems with a camera's zones, zone by zone, in the words `sladd check`
//! uses: every message comes from the policy's own validation
//! ([`sladd_policy::Policy::compile`]), which stops at the first problem,
//! so each zone is compiled on its own to find one problem per zone.

use serde::Serialize;
use sladd_policy::config::raw::RawConfig;
use sladd_policy::{Error as PolicyError, Format, Policy};

/// One problem found with an edit, for the zone it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneProblem {
    /// The zone's index in the edited list (`None`: not one zone's).
    pub zone: Option<usize>,
    /// The field within the zone (`polygon`, `objects[0]`, `name`; empty
    /// for the zone as a whole), or the full path when `zone` is `None`.
    pub field: String,
    /// What is wrong, as `sladd check` says it.
    pub message: String,
}

impl ZoneProblem {
    /// A problem with `field` of zone `zone`.
    #[must_use]
    pub fn new(zone: Option<usize>, field: &str, message: String) -> Self {
        Self {
            zone,
            field: field.to_owned(),
            message,
        }
    }
}

/// The problems of camera `camera`'s zones in the site file `text`: at most
/// one per zone, then (when the zones are each valid) the first problem of
/// the whole file, such as a duplicate zone name. Empty when the file
/// compiles.
#[must_use]
pub fn zone_problems(text: &str, format: Format, file: &str, camera: usize) -> Vec<ZoneProblem> {
    let raw = match sladd_policy::config::parse(text, format, file) {
        Ok(raw) => raw,
        Err(e) => return vec![problem(&e, camera)],
    };
    let mut problems: Vec<ZoneProblem> = Vec::new();
    if let Some(cam) = raw.cameras.get(camera) {
        for (j, zone) in cam.zones.iter().enumerate() {
            let mut one = cam.clone();
            one.zones = vec![zone.clone()];
            let alone = RawConfig {
                site: raw.site.clone(),
                cameras: vec![one],
            };
            if let Err(e) = Policy::compile(&alone) {
                let mut p = problem(&e, 0);
                if p.zone == Some(0) {
                    p.zone = Some(j);
                    problems.push(p);
                }
            }
        }
    }
    if problems.is_empty() {
        if let Err(e) = Policy::from_str(text, format, file) {
            problems.push(problem(&e, camera));
        }
    }
    problems
}

/// A policy error as a problem of a zone of camera `camera` when its field
/// lies under `cameras[camera].zones[j]`.
fn problem(error: &PolicyError, camera: usize) -> ZoneProblem {
    let (field, message) = match error {
        PolicyError::Invalid { field, reason, .. } => (field.as_str(), reason.to_string()),
        PolicyError::Syntax { field, message, .. } => (field.as_str(), message.clone()),
        other => ("", other.to_string()),
    };
    let prefix = format!("cameras[{camera}].zones[");
    if let Some(rest) = field.strip_prefix(&prefix) {
        if let Some((index, tail)) = rest.split_once(']') {
            if let Ok(j) = index.parse::<usize>() {
                let tail = tail.strip_prefix('.').unwrap_or(tail);
                return ZoneProblem::new(Some(j), tail, message);
            }
        }
    }
    ZoneProblem::new(None, field, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "[site]\nname = \"S\"\n[[cameras]]\nid = \"other\"\n[[cameras]]\nid = \"c\"\npurposes = [{ purpose = \"theft\" }]\n";

    fn zone(name: &str, body: &str) -> String {
        format!("[[cameras.zones]]\nname = \"{name}\"\narea = \"public\"\n{body}\n")
    }

    #[test]
    fn one_problem_per_zone_in_the_policys_words() {
        let text = format!(
            "{HEAD}{}{}{}",
            zone("ok", "polygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]"),
            zone("two", "polygon = [[0.1, 0.1], [0.5, 0.1]]"),
            zone(
                "out",
                "polygon = [[1.1, 1.1], [1.5, 1.1], [1.5, 1.5]]\nstyle = \"sparkle\""
            ),
        );
        let problems = zone_problems(&text, Format::Toml, "site.toml", 1);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].zone, Some(1));
        assert_eq!(problems[0].field, "polygon");
        let expected = Policy::from_str(&text, Format::Toml, "site.toml").unwrap_err();
        assert!(
            expected.to_string().ends_with(&problems[0].message),
            "{expected}"
        );
        assert_eq!(problems[1].zone, Some(2));
        assert!(
            problems[1].message.contains("outside the frame"),
            "{problems:?}"
        );
    }

    #[test]
    fn duplicate_names_come_from_the_whole_file() {
        let ok = "polygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]";
        let text = format!("{HEAD}{}{}", zone("z", ok), zone("z", ok));
        let problems = zone_problems(&text, Format::Toml, "site.toml", 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].zone, problems[0].field.as_str()),
            (Some(1), "name")
        );
        assert!(
            problems[0].message.starts_with("duplicate zone name 'z'"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_valid_file_has_no_problems() {
        let text = format!(
            "{HEAD}{}",
            zone("z", "polygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]")
        );
        assert!(zone_problems(&text, Format::Toml, "site.toml", 1).is_empty());
    }
}
