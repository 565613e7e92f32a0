//! A zone as the editor and its API see it: the site file's zone with every
//! outline in normalized coordinates, and where in the file it came from.

use serde::{Deserialize, Serialize};
use sladd_policy::config::raw::{RawPolygon, RawWindow, RawZone};
use sladd_policy::Area;

use crate::error::{Error, Result};
use crate::validate::ZoneProblem;

/// One ring of vertices, `[x, y]` in normalized frame coordinates (0..1 of
/// the width and height).
pub type Ring = Vec<[f64; 2]>;

/// One zone of a camera, as `GET /api/site` gives it and
/// `PUT /api/cameras/{id}/zones` takes it.
///
/// The fields are those of `[[cameras.zones]]` (`spec/config.md`), with
/// `polygon_px` given as `polygon` (normalized through the camera's
/// `reference_resolution`). Exactly one of `polygon` and `polygons` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneSpec {
    /// Unique within the camera.
    pub name: String,
    /// What kind of area it is.
    pub area: Area,
    /// One outline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polygon: Option<Ring>,
    /// Several outlines (a zone in pieces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polygons: Option<Vec<Ring>>,
    /// The objects a restricted zone keeps visible (the till, the safe).
    #[serde(default)]
    pub objects: Vec<Ring>,
    /// When staff are regularly there (`null`: the default, `always`).
    #[serde(default)]
    pub staff_present: Option<RawWindow>,
    /// `fill`, `pixelate`, `blur`, with an optional parameter (`null`: the
    /// run's default style).
    #[serde(default)]
    pub style: Option<String>,
    /// The zone's position among the camera's zones in the site file as
    /// the editor holds it (`null` for a new zone): lets an edit keep the
    /// zone's comments and formatting.
    #[serde(default)]
    pub source: Option<usize>,
}

impl ZoneSpec {
    /// The zone of a site file, its outlines normalized (`polygon_px`
    /// divided by the camera's `reference_resolution`); `source` is its
    /// position in the file.
    #[must_use]
    pub fn from_raw(raw: &RawZone, reference: Option<[u32; 2]>, source: usize) -> Self {
        let (polygon, polygons) = match (&raw.polygon, &raw.polygons, &raw.polygon_px) {
            (Some(p), _, _) => (Some(p.clone()), None),
            (None, Some(list), _) => (None, Some(list.clone())),
            (None, None, Some(px)) => (Some(normalize_pixels(px, reference)), None),
            (None, None, None) => (None, None),
        };
        Self {
            name: raw.name.clone(),
            area: raw.area,
            polygon,
            polygons,
            objects: raw.objects.clone(),
            staff_present: raw.staff_present.clone(),
            style: raw.style.clone(),
            source: Some(source),
        }
    }

    /// The outlines, one ring or several, as one list.
    #[must_use]
    pub fn rings(&self) -> Vec<&Ring> {
        self.polygon
            .iter()
            .chain(self.polygons.iter().flatten())
            .collect()
    }

    /// Whether the zone can be masked at some instant: every area but
    /// `public` (which is shown whenever any purpose applies). Its outline
    /// is rounded outward when written.
    #[must_use]
    pub fn maskable(&self) -> bool {
        self.area != Area::Public
    }
}

/// The body of `PUT /api/cameras/{id}/zones`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZonesBody {
    zones: Vec<ZoneSpec>,
}

/// Reads `{"zones": [...]}` (JSON) into zones.
///
/// # Errors
/// [`Error::Invalid`] with one problem naming the zone and field serde
/// stopped at, in the words the site-file parser uses for the same mistake
/// (`unknown variant `hallway`, expected one of `public`, ...`).
pub fn parse_zones(body: &[u8]) -> Result<Vec<ZoneSpec>> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let parsed: ZonesBody = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| body_error(&e.path().to_string(), e.inner()))?;
    deserializer.end().map_err(|e| body_error("", &e))?;
    Ok(parsed.zones)
}

/// A body that does not read as zones, as a problem of the zone and field
/// at `path` (`zones[1].area`).
fn body_error(path: &str, error: &serde_json::Error) -> Error {
    let message = error.to_string();
    // serde_json appends " at line L column C".
    let message = match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(&message).to_owned(),
        None => message,
    };
    let problem = match path.strip_prefix("zones[").and_then(|r| r.split_once(']')) {
        Some((index, rest)) => ZoneProblem::new(
            index.parse().ok(),
            rest.strip_prefix('.').unwrap_or(rest),
            message,
        ),
        None => ZoneProblem::new(None, if path == "." { "" } else { path }, message),
    };
    Error::Invalid {
        problems: vec![problem],
    }
}

/// A `polygon_px` ring in normalized coordinates, divided exactly as
/// `sladd_core::Polygon::from_pixels` divides it (a missing or zero
/// reference leaves it as it is; the policy reports that).
fn normalize_pixels(px: &RawPolygon, reference: Option<[u32; 2]>) -> Ring {
    match reference {
        Some([w, h]) if w > 0 && h > 0 => {
            let (w, h) = (f64::from(w), f64::from(h));
            px.iter().map(|[x, y]| [x / w, y / h]).collect()
        }
        _ => px.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> RawZone {
        let site =
            format!("[site]\nname = \"s\"\n[[cameras]]\nid = \"c\"\n[[cameras.zones]]\n{text}");
        let mut config =
            sladd_policy::config::parse(&site, sladd_policy::Format::Toml, "t").expect("parses");
        config.cameras.remove(0).zones.remove(0)
    }

    #[test]
    fn pixel_outlines_come_out_normalized() {
        let z =
            raw("name = \"a\"\narea = \"private\"\npolygon_px = [[0, 0], [960, 0], [960, 540]]");
        let spec = ZoneSpec::from_raw(&z, Some([1920, 1080]), 3);
        assert_eq!(spec.polygon, Some(vec![[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]));
        assert_eq!(spec.source, Some(3));
        assert!(spec.maskable());
    }

    #[test]
    fn several_outlines_stay_several() {
        let z = raw(
            "name = \"a\"\narea = \"public\"\npolygons = [[[0, 0], [1, 0], [1, 1]], [[0, 0], [0.5, 0], [0, 0.5]]]\nstaff_present = [\"mon 08:00-09:00\"]",
        );
        let spec = ZoneSpec::from_raw(&z, None, 0);
        assert_eq!(spec.rings().len(), 2);
        assert!(spec.polygon.is_none());
        assert!(!spec.maskable());
        let json = serde_json::to_value(&spec).expect("serializes");
        assert_eq!(json["staff_present"][0], "mon 08:00-09:00");
        assert!(json.get("polygon").is_none());
        let back: ZoneSpec = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, spec);
    }

    #[test]
    fn bodies_name_the_zone_and_field_at_fault() {
        let ok = parse_zones(
            br#"{"zones": [{"name": "a", "area": "public", "polygon": [[0, 0], [1, 0], [1, 1]]}]}"#,
        )
        .expect("parses");
        assert_eq!(ok[0].source, None);
        let Err(Error::Invalid { problems }) = parse_zones(
            br#"{"zones": [{"name": "a", "area": "public"}, {"name": "b", "area": "hallway"}]}"#,
        ) else {
            panic!("accepted");
        };
        assert_eq!(problems[0].zone, Some(1));
        assert_eq!(problems[0].field, "area");
        assert!(
            problems[0].message.starts_with("unknown variant `hallway`"),
            "{problems:?}"
        );
        let Err(Error::Invalid { problems }) = parse_zones(b"{\"zones\": 3}") else {
            panic!("accepted");
        };
        assert_eq!(
            (problems[0].zone, problems[0].field.as_str()),
            (None, "zones")
        );
        assert!(parse_zones(b"{\"zones\": []} x").is_err());
        assert!(parse_zones(b"").is_err());
    }

    #[test]
    fn unknown_fields_are_refused() {
        let e = serde_json::from_str::<ZoneSpec>(
            r#"{"name": "a", "area": "public", "polgon": [[0, 0]]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown field `polgon`"), "{e}");
    }
}
