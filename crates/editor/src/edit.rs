//! What an edit of a camera's zones changes in the site file, key by key,
//! before any text is touched: the part of saving that does not depend on
//! TOML or JSON.
//!
//! A zone that names its `source` (its position in the file) is edited in
//! place: only the keys whose values differ are written, so the rest keeps
//! its formatting and comments, and an outline that was not moved keeps its
//! exact text (even as `polygon_px`). Outlines that were moved or drawn are
//! written normalized with at most four decimals, rounded outward for zones
//! that can be masked and inward for the objects they keep visible
//! ([`crate::round`]).

use sladd_policy::config::raw::{RawWindow, RawZone};

use crate::round::{round_ring, Direction};
use crate::validate::ZoneProblem;
use crate::zone::{Ring, ZoneSpec};

/// A value written into a zone's table.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// A string: `name`, `area`, `style`, a `staff_present` keyword.
    Text(String),
    /// A list of strings: `staff_present` schedules.
    Texts(Vec<String>),
    /// One ring: `polygon`.
    Ring(Ring),
    /// A list of rings: `polygons`, `objects`.
    Rings(Vec<Ring>),
}

/// One zone of the edited list: which table it starts from and what
/// changes in it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZoneEdit {
    /// The zone's position in the file before the edit (`None`: a new
    /// table).
    pub source: Option<usize>,
    /// Keys to write, in the order a new table gets them.
    pub set: Vec<(&'static str, FieldValue)>,
    /// Keys to remove.
    pub remove: Vec<&'static str>,
}

/// The edit of one camera's zones: what to write, and the zones as they
/// will read back.
#[derive(Debug, Clone, PartialEq)]
pub struct ZonesEdit {
    /// One entry per zone, in the new order.
    pub edits: Vec<ZoneEdit>,
    /// The zones as written (rounded), each with its new `source`.
    pub zones: Vec<ZoneSpec>,
}

/// Plans the edit that turns the zones `old` (as in the file, with the
/// camera's `reference_resolution`) into `new`.
///
/// A zone of `new` is matched to the old one its `source` names. When no
/// zone of `new` names a source (an API client that does not track them),
/// zones are matched by name instead.
///
/// # Errors
/// A problem per zone whose `source` is not a zone of the camera or is
/// claimed twice.
pub fn plan(
    old: &[RawZone],
    reference: Option<[u32; 2]>,
    new: &[ZoneSpec],
) -> Result<ZonesEdit, Vec<ZoneProblem>> {
    let sources = sources(old, new)?;
    let mut edits = Vec::with_capacity(new.len());
    let mut zones = Vec::with_capacity(new.len());
    for (index, (spec, source)) in new.iter().zip(sources).enumerate() {
        let before = source.map(|s| (s, ZoneSpec::from_raw(&old[s], reference, s)));
        let (edit, written) = match &before {
            Some((s, before)) => edit_zone(*s, &old[*s], before, spec),
            None => new_zone(spec),
        };
        edits.push(edit);
        zones.push(ZoneSpec {
            source: Some(index),
            ..written
        });
    }
    Ok(ZonesEdit { edits, zones })
}

/// The old zone each new zone starts from.
fn sources(old: &[RawZone], new: &[ZoneSpec]) -> Result<Vec<Option<usize>>, Vec<ZoneProblem>> {
    if new.iter().all(|z| z.source.is_none()) {
        let mut taken = vec![false; old.len()];
        return Ok(new
            .iter()
            .map(|z| {
                let found = (0..old.len()).find(|&s| !taken[s] && old[s].name == z.name);
                if let Some(s) = found {
                    taken[s] = true;
                }
                found
            })
            .collect());
    }
    let mut problems = Vec::new();
    let mut claimed: Vec<Option<usize>> = vec![None; old.len()];
    for (index, zone) in new.iter().enumerate() {
        let Some(s) = zone.source else { continue };
        match claimed.get_mut(s) {
            None => problems.push(ZoneProblem::new(
                Some(index),
                "source",
                format!(
                    "source {s} is not a zone of this camera (it has {} in the file)",
                    old.len()
                ),
            )),
            Some(Some(first)) => problems.push(ZoneProblem::new(
                Some(index),
                "source",
                format!("source {s} is also given to zones[{first}]"),
            )),
            Some(slot) => *slot = Some(index),
        }
    }
    if problems.is_empty() {
        Ok(new.iter().map(|z| z.source).collect())
    } else {
        Err(problems)
    }
}

/// How the outlines of `spec` round.
fn outline_direction(spec: &ZoneSpec) -> Direction {
    if spec.maskable() {
        Direction::Outward
    } else {
        Direction::Nearest
    }
}

fn rounded(rings: &[Ring], direction: Direction) -> Vec<Ring> {
    rings.iter().map(|r| round_ring(r, direction)).collect()
}

fn window_value(window: &RawWindow) -> FieldValue {
    match window {
        RawWindow::Schedules(list) => FieldValue::Texts(list.clone()),
        other => FieldValue::Text(other.keyword().unwrap_or("always").to_owned()),
    }
}

/// A table for a zone the file does not have yet.
fn new_zone(spec: &ZoneSpec) -> (ZoneEdit, ZoneSpec) {
    let mut written = spec.clone();
    let mut set = vec![
        ("name", FieldValue::Text(spec.name.clone())),
        ("area", FieldValue::Text(spec.area.name().to_owned())),
    ];
    let direction = outline_direction(spec);
    if let Some(ring) = &spec.polygon {
        let ring = round_ring(ring, direction);
        set.push(("polygon", FieldValue::Ring(ring.clone())));
        written.polygon = Some(ring);
    }
    if let Some(rings) = &spec.polygons {
        let rings = rounded(rings, direction);
        set.push(("polygons", FieldValue::Rings(rings.clone())));
        written.polygons = Some(rings);
    }
    if let Some(window) = &spec.staff_present {
        set.push(("staff_present", window_value(window)));
    }
    if let Some(style) = &spec.style {
        set.push(("style", FieldValue::Text(style.clone())));
    }
    if !spec.objects.is_empty() {
        let objects = rounded(&spec.objects, Direction::Inward);
        set.push(("objects", FieldValue::Rings(objects.clone())));
        written.objects = objects;
    }
    let edit = ZoneEdit {
        source: None,
        set,
        remove: Vec::new(),
    };
    (edit, written)
}

/// The changes that turn the file's zone `raw` (read as `before`) into
/// `spec`.
fn edit_zone(
    source: usize,
    raw: &RawZone,
    before: &ZoneSpec,
    spec: &ZoneSpec,
) -> (ZoneEdit, ZoneSpec) {
    let mut edit = ZoneEdit {
        source: Some(source),
        ..ZoneEdit::default()
    };
    let mut written = spec.clone();
    if spec.name != before.name {
        edit.set.push(("name", FieldValue::Text(spec.name.clone())));
    }
    if spec.area != before.area {
        edit.set
            .push(("area", FieldValue::Text(spec.area.name().to_owned())));
    }
    let same_outline = spec.polygon == before.polygon && spec.polygons == before.polygons;
    if !same_outline {
        let direction = outline_direction(spec);
        if let Some(ring) = &spec.polygon {
            let ring = round_ring(ring, direction);
            edit.set.push(("polygon", FieldValue::Ring(ring.clone())));
            written.polygon = Some(ring);
        }
        if let Some(rings) = &spec.polygons {
            let rings = rounded(rings, direction);
            edit.set
                .push(("polygons", FieldValue::Rings(rings.clone())));
            written.polygons = Some(rings);
        }
        let kept: Vec<&str> = edit.set.iter().map(|(k, _)| *k).collect();
        let present = [
            ("polygon", raw.polygon.is_some()),
            ("polygons", raw.polygons.is_some()),
            ("polygon_px", raw.polygon_px.is_some()),
        ];
        for (key, is_present) in present {
            if is_present && !kept.contains(&key) {
                edit.remove.push(key);
            }
        }
    }
    if spec.staff_present != before.staff_present {
        match &spec.staff_present {
            Some(window) => edit.set.push(("staff_present", window_value(window))),
            None => edit.remove.push("staff_present"),
        }
    }
    if spec.style != before.style {
        match &spec.style {
            Some(style) => edit.set.push(("style", FieldValue::Text(style.clone()))),
            None => edit.remove.push("style"),
        }
    }
    if spec.objects != before.objects {
        if spec.objects.is_empty() {
            edit.remove.push("objects");
        } else {
            let objects = rounded(&spec.objects, Direction::Inward);
            edit.set
                .push(("objects", FieldValue::Rings(objects.clone())));
            written.objects = objects;
        }
    }
    (edit, written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sladd_policy::Area;

    fn zones(text: &str) -> Vec<RawZone> {
        let site = format!("[site]\nname = \"s\"\n[[cameras]]\nid = \"c\"\nreference_resolution = [1000, 1000]\n{text}");
        sladd_policy::config::parse(&site, sladd_policy::Format::Toml, "t")
            .expect("parses")
            .cameras
            .remove(0)
            .zones
    }

    const TWO: &str = "[[cameras.zones]]\nname = \"a\"\narea = \"private\"\npolygon_px = [[100, 100], [500, 100], [500, 500]]\n\
        [[cameras.zones]]\nname = \"b\"\narea = \"public\"\npolygon = [[0.5, 0.5], [1, 0.5], [1, 1]]\nstyle = \"blur\"\n";

    fn specs(old: &[RawZone]) -> Vec<ZoneSpec> {
        old.iter()
            .enumerate()
            .map(|(i, z)| ZoneSpec::from_raw(z, Some([1000, 1000]), i))
            .collect()
    }

    #[test]
    fn unchanged_zones_change_nothing() {
        let old = zones(TWO);
        let plan = plan(&old, Some([1000, 1000]), &specs(&old)).unwrap();
        assert!(plan
            .edits
            .iter()
            .all(|e| e.set.is_empty() && e.remove.is_empty()));
        assert_eq!(plan.edits[1].source, Some(1));
        // The pixel outline is not rewritten.
        assert_eq!(plan.zones[0].polygon.as_ref().unwrap()[1], [0.5, 0.1]);
    }

    #[test]
    fn moved_vertex_rewrites_the_outline_normalized_and_outward() {
        let old = zones(TWO);
        let mut new = specs(&old);
        new[0].polygon.as_mut().unwrap()[1] = [0.612_345_6, 0.099_999_1];
        let plan = plan(&old, Some([1000, 1000]), &new).unwrap();
        let edit = &plan.edits[0];
        assert_eq!(edit.remove, vec!["polygon_px"]);
        let FieldValue::Ring(ring) = &edit.set[0].1 else {
            panic!("{edit:?}")
        };
        assert_eq!(edit.set[0].0, "polygon");
        // The top-right vertex of a private zone moves up and right.
        assert_eq!(ring[1], [0.6124, 0.0999]);
        assert_eq!(plan.zones[0].polygon.as_ref(), Some(ring));
    }

    #[test]
    fn fields_are_set_and_removed_one_by_one() {
        let old = zones(TWO);
        let mut new = specs(&old);
        new[1].style = None;
        new[1].name = "Pumpene".into();
        new[1].staff_present = Some(RawWindow::Schedules(vec!["daily 06:00-07:00".into()]));
        let plan = plan(&old, Some([1000, 1000]), &new).unwrap();
        let edit = &plan.edits[1];
        assert_eq!(edit.remove, vec!["style"]);
        assert_eq!(edit.set[0], ("name", FieldValue::Text("Pumpene".into())));
        assert_eq!(
            edit.set[1],
            (
                "staff_present",
                FieldValue::Texts(vec!["daily 06:00-07:00".into()])
            )
        );
    }

    #[test]
    fn new_zones_get_every_key_and_objects_round_inward() {
        let new = vec![ZoneSpec {
            name: "Disken".into(),
            area: Area::RestrictedCircle,
            polygon: Some(vec![[0.100_01, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]]),
            polygons: None,
            objects: vec![vec![[0.200_01, 0.2], [0.3, 0.2], [0.3, 0.3], [0.2, 0.3]]],
            staff_present: Some(RawWindow::OpeningHours),
            style: Some("pixelate:16".into()),
            source: None,
        }];
        let plan = plan(&[], None, &new).unwrap();
        let keys: Vec<&str> = plan.edits[0].set.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "name",
                "area",
                "polygon",
                "staff_present",
                "style",
                "objects"
            ]
        );
        assert_eq!(plan.zones[0].polygon.as_ref().unwrap()[0], [0.1, 0.1]);
        assert_eq!(plan.zones[0].objects[0][0], [0.2001, 0.2]);
        assert_eq!(plan.zones[0].source, Some(0));
    }

    #[test]
    fn sources_must_name_distinct_zones() {
        let old = zones(TWO);
        let mut new = specs(&old);
        new[1].source = Some(0);
        let problems = plan(&old, None, &new).unwrap_err();
        assert_eq!(problems[0].zone, Some(1));
        assert_eq!(problems[0].field, "source");
        new[1].source = Some(9);
        let problems = plan(&old, None, &new).unwrap_err();
        assert!(problems[0].message.contains("not a zone"), "{problems:?}");
    }

    #[test]
    fn without_sources_zones_match_by_name() {
        let old = zones(TWO);
        let mut new = specs(&old);
        new.reverse();
        for z in &mut new {
            z.source = None;
        }
        let plan = plan(&old, Some([1000, 1000]), &new).unwrap();
        assert_eq!(plan.edits[0].source, Some(1));
        assert_eq!(plan.edits[1].source, Some(0));
    }
}
