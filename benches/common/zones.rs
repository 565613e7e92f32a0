//! The benchmark zones: `fixtures/bench/zones.json` is their one
//! definition, read by the criterion benches and by `sladd bench` (which
//! includes this file by path).

/// The JSON, compiled into the binary so benches need no working directory.
const ZONES_JSON: &str = include_str!("../../fixtures/bench/zones.json");

/// One zone: its name and its polygon's normalized vertices (x right,
/// y down, 0..1).
pub(crate) type Zone = (String, Vec<[f64; 2]>);

/// The zones of `fixtures/bench/zones.json`.
pub(crate) fn zone_polygons() -> Result<Vec<Zone>, String> {
    let json: serde_json::Value =
        serde_json::from_str(ZONES_JSON).map_err(|e| format!("zones.json: {e}"))?;
    let zones = json["zones"]
        .as_array()
        .ok_or("zones.json: no \"zones\" array")?;
    zones
        .iter()
        .map(|zone| {
            let name = zone["name"]
                .as_str()
                .ok_or("zones.json: a zone without a name")?;
            let points = zone["polygon"]
                .as_array()
                .ok_or_else(|| format!("zones.json: zone {name} has no polygon"))?
                .iter()
                .map(|p| match (p[0].as_f64(), p[1].as_f64()) {
                    (Some(x), Some(y)) => Ok([x, y]),
                    _ => Err(format!("zones.json: zone {name} has a bad vertex {p}")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((name.to_owned(), points))
        })
        .collect()
}
