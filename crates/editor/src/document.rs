//! Writing a zone edit into the site file's text, keeping everything it does
//! not change as it was: comments, key order, blank lines, number
//! spellings. TOML through `toml_edit`, JSON through `jsonc-parser`'s
//! concrete syntax tree; a JSON file stays JSON.
//!
//! Zones kept from the file are edited key by key in their own table (a
//! changed value keeps the comment after it); removed zones take their
//! comments with them; new zones are added as `[[cameras.zones]]` tables
//! (or as elements of an inline `zones = [...]` list when the file writes
//! them so).

use jsonc_parser::cst::{CstArray, CstInputValue, CstNode, CstObject, CstRootNode};
use jsonc_parser::ParseOptions;
use sladd_policy::Format;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::edit::{FieldValue, ZoneEdit};
use crate::error::{Error, Result};

/// `text` (a site file in `format`) with the zones of its camera at index
/// `camera` replaced as `edits` say (one entry per zone of the new list, in
/// order).
///
/// # Errors
/// [`Error::Document`] when the text cannot be parsed or has no camera at
/// that index.
pub fn apply(text: &str, format: Format, camera: usize, edits: &[ZoneEdit]) -> Result<String> {
    match format {
        Format::Toml => apply_toml(text, camera, edits),
        Format::Json => apply_json(text, camera, edits),
    }
}

fn document_error(message: impl Into<String>) -> Error {
    Error::Document {
        message: message.into(),
    }
}

/// Whether the edits keep the file's zones in their order (new ones may
/// come anywhere).
fn in_file_order(edits: &[ZoneEdit]) -> bool {
    let sources: Vec<usize> = edits.iter().filter_map(|e| e.source).collect();
    sources.windows(2).all(|w| w[0] < w[1])
}

// ---- TOML ----------------------------------------------------------------

fn apply_toml(text: &str, camera: usize, edits: &[ZoneEdit]) -> Result<String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| document_error(e.message().to_owned()))?;
    let no_camera = || document_error(format!("the site file has no cameras[{camera}]"));
    let camera_table: &mut dyn TableLike = match doc.get_mut("cameras") {
        Some(Item::ArrayOfTables(cameras)) => cameras.get_mut(camera).ok_or_else(no_camera)?,
        Some(Item::Value(Value::Array(cameras))) => match cameras.get_mut(camera) {
            Some(Value::InlineTable(t)) => t,
            _ => return Err(no_camera()),
        },
        _ => return Err(no_camera()),
    };
    match camera_table.get_mut("zones") {
        Some(Item::ArrayOfTables(zones)) => edit_zone_tables(zones, edits)?,
        Some(Item::Value(Value::Array(zones))) => edit_inline_zones(zones, edits)?,
        Some(_) => {
            return Err(document_error(
                "cameras.zones is neither a list of tables nor an array",
            ))
        }
        None if edits.is_empty() => {}
        None => {
            let mut zones = ArrayOfTables::new();
            edit_zone_tables(&mut zones, edits)?;
            camera_table.insert("zones", Item::ArrayOfTables(zones));
        }
    }
    Ok(doc.to_string())
}

/// Edits `[[cameras.zones]]` tables.
fn edit_zone_tables(zones: &mut ArrayOfTables, edits: &[ZoneEdit]) -> Result<()> {
    let old: Vec<Table> = zones.iter().cloned().collect();
    let first_position = old.iter().filter_map(Table::position).min();
    let reorder = !in_file_order(edits);
    let mut out = ArrayOfTables::new();
    for edit in edits {
        let mut table = match edit.source {
            Some(s) => old
                .get(s)
                .cloned()
                .ok_or_else(|| document_error(format!("the camera has no zones[{s}]")))?,
            None => {
                let mut t = Table::new();
                t.decor_mut().set_prefix("\n");
                t
            }
        };
        set_fields(&mut table, edit);
        if reorder {
            // Tables print by position; one position for all keeps the new order.
            table.set_position(first_position);
        }
        out.push(table);
    }
    *zones = out;
    Ok(())
}

/// Edits an inline `zones = [{...}, ...]` list.
fn edit_inline_zones(zones: &mut Array, edits: &[ZoneEdit]) -> Result<()> {
    let old: Vec<InlineTable> = zones
        .iter()
        .map(|v| match v {
            Value::InlineTable(t) => Ok(t.clone()),
            _ => Err(document_error(
                "cameras.zones holds something other than tables",
            )),
        })
        .collect::<Result<_>>()?;
    let element_decor = zones.iter().last().map(|v| v.decor().clone());
    let mut out = zones.clone();
    out.clear();
    for (i, edit) in edits.iter().enumerate() {
        let mut table = match edit.source {
            Some(s) => old
                .get(s)
                .cloned()
                .ok_or_else(|| document_error(format!("the camera has no zones[{s}]")))?,
            None => InlineTable::new(),
        };
        let new = edit.source.is_none();
        set_fields(&mut table, edit);
        let mut value = Value::InlineTable(table);
        if new {
            value.decor_mut().clear();
            if let Some(decor) = &element_decor {
                *value.decor_mut() = decor.clone();
            } else if i > 0 {
                value.decor_mut().set_prefix(" ");
            }
            if let Value::InlineTable(t) = &mut value {
                t.fmt();
            }
        }
        out.push_formatted(value);
    }
    *zones = out;
    Ok(())
}

/// Writes and removes the keys `edit` names, keeping the decoration (and
/// so the comments) around every value it replaces.
fn set_fields(table: &mut dyn TableLike, edit: &ZoneEdit) {
    for key in &edit.remove {
        table.remove(key);
    }
    for (key, value) in &edit.set {
        let mut new = toml_value(value);
        match table.get_mut(key) {
            Some(Item::Value(old)) => {
                *new.decor_mut() = old.decor().clone();
                *old = new;
            }
            _ => {
                table.insert(key, Item::Value(new));
            }
        }
    }
}

fn toml_number(v: f64) -> Value {
    Value::from(if v == 0.0 { 0.0 } else { v })
}

fn toml_ring(ring: &[[f64; 2]]) -> Value {
    let mut array: Array = ring
        .iter()
        .map(|[x, y]| {
            let mut point: Array = [toml_number(*x), toml_number(*y)].into_iter().collect();
            point.fmt();
            Value::Array(point)
        })
        .collect();
    array.fmt();
    Value::Array(array)
}

fn toml_value(value: &FieldValue) -> Value {
    match value {
        FieldValue::Text(s) => Value::from(s.as_str()),
        FieldValue::Texts(list) => {
            let mut array: Array = list.iter().map(|s| Value::from(s.as_str())).collect();
            array.fmt();
            Value::Array(array)
        }
        FieldValue::Ring(ring) => toml_ring(ring),
        FieldValue::Rings(rings) => {
            let mut array: Array = rings.iter().map(|r| toml_ring(r)).collect();
            array.fmt();
            Value::Array(array)
        }
    }
}

// ---- JSON ----------------------------------------------------------------

fn apply_json(text: &str, camera: usize, edits: &[ZoneEdit]) -> Result<String> {
    let root = CstRootNode::parse(text, &ParseOptions::default())
        .map_err(|e| document_error(e.to_string()))?;
    let no_camera = || document_error(format!("the site file has no cameras[{camera}]"));
    let camera_object = root
        .object_value()
        .and_then(|o| o.array_value("cameras"))
        .and_then(|a| a.elements().get(camera).cloned())
        .and_then(|n| n.as_object())
        .ok_or_else(no_camera)?;
    let zones = match camera_object.array_value("zones") {
        Some(zones) => zones,
        None if edits.is_empty() => return Ok(root.to_string()),
        None => camera_object.array_value_or_set("zones"),
    };
    let old: Vec<CstNode> = zones.elements();
    if let Some(s) = edits
        .iter()
        .filter_map(|e| e.source)
        .find(|s| *s >= old.len())
    {
        return Err(document_error(format!("the camera has no zones[{s}]")));
    }
    if in_file_order(edits) {
        edit_json_in_place(&zones, &old, edits)?;
    } else {
        edit_json_rebuilt(&zones, &old, edits)?;
    }
    Ok(root.to_string())
}

/// Zones kept in their order: removed elements go, kept ones are edited
/// where they are, new ones are inserted at their place.
fn edit_json_in_place(zones: &CstArray, old: &[CstNode], edits: &[ZoneEdit]) -> Result<()> {
    let kept: Vec<usize> = edits.iter().filter_map(|e| e.source).collect();
    for (s, node) in old.iter().enumerate() {
        if !kept.contains(&s) {
            node.clone().remove();
        }
    }
    for (index, edit) in edits.iter().enumerate() {
        match edit.source {
            Some(s) => {
                let object = old[s]
                    .as_object()
                    .ok_or_else(|| document_error(format!("zones[{s}] is not an object")))?;
                set_json_fields(&object, edit);
            }
            None => {
                zones.insert(index, json_new_zone(edit));
            }
        }
    }
    Ok(())
}

/// Zones in a new order: every element is written anew, kept ones from
/// their values with the edit applied.
fn edit_json_rebuilt(zones: &CstArray, old: &[CstNode], edits: &[ZoneEdit]) -> Result<()> {
    let values: Vec<CstInputValue> = edits
        .iter()
        .map(|edit| match edit.source {
            Some(s) => {
                let object = old[s]
                    .as_object()
                    .ok_or_else(|| document_error(format!("zones[{s}] is not an object")))?;
                set_json_fields(&object, edit);
                Ok(input_value(&old[s]))
            }
            None => Ok(json_new_zone(edit)),
        })
        .collect::<Result<_>>()?;
    for node in old {
        node.clone().remove();
    }
    for value in values {
        zones.append(value);
    }
    Ok(())
}

fn json_new_zone(edit: &ZoneEdit) -> CstInputValue {
    CstInputValue::Object(
        edit.set
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json_value(v)))
            .collect(),
    )
}

fn set_json_fields(object: &CstObject, edit: &ZoneEdit) {
    for key in &edit.remove {
        if let Some(prop) = object.get(key) {
            prop.remove();
        }
    }
    for (key, value) in &edit.set {
        match object.get(key) {
            Some(prop) => prop.set_value(json_value(value)),
            None => {
                object.append(key, json_value(value));
            }
        }
    }
}

fn json_number(v: f64) -> CstInputValue {
    CstInputValue::Number(if v == 0.0 {
        "0".to_owned()
    } else {
        v.to_string()
    })
}

fn json_ring(ring: &[[f64; 2]]) -> CstInputValue {
    CstInputValue::Array(
        ring.iter()
            .map(|[x, y]| CstInputValue::Array(vec![json_number(*x), json_number(*y)]))
            .collect(),
    )
}

fn json_value(value: &FieldValue) -> CstInputValue {
    match value {
        FieldValue::Text(s) => CstInputValue::String(s.clone()),
        FieldValue::Texts(list) => {
            CstInputValue::Array(list.iter().cloned().map(CstInputValue::String).collect())
        }
        FieldValue::Ring(ring) => json_ring(ring),
        FieldValue::Rings(rings) => {
            CstInputValue::Array(rings.iter().map(|r| json_ring(r)).collect())
        }
    }
}

/// A node of the tree as a value to insert (its comments are not kept).
fn input_value(node: &CstNode) -> CstInputValue {
    if let Some(object) = node.as_object() {
        return CstInputValue::Object(
            object
                .properties()
                .iter()
                .filter_map(|p| {
                    let name = p.name()?.decoded_value().ok()?;
                    Some((name, input_value(&p.value()?)))
                })
                .collect(),
        );
    }
    if let Some(array) = node.as_array() {
        return CstInputValue::Array(array.elements().iter().map(input_value).collect());
    }
    if let Some(s) = node.as_string_lit() {
        return CstInputValue::String(s.decoded_value().unwrap_or_default());
    }
    if let Some(n) = node.as_number_lit() {
        return CstInputValue::Number(n.to_string());
    }
    if let Some(b) = node.as_boolean_lit() {
        return CstInputValue::Bool(b.value());
    }
    CstInputValue::Null
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"# The site.
[site]
name = "S"   # its name

[[cameras]]
id = "a"

[[cameras.zones]]
# The counter.
name = "Disken"
area = "restricted_circle"
polygon = [[0.10, 0.35], [0.42, 0.35], [0.42, 0.95]]   # drawn by hand
style = "fill"                        # optional

[[cameras.zones]]
name = "Pumpene"
area = "public"
polygon = [[0.45, 0.0], [1.0, 0.0], [1.0, 0.6]]

[[cameras]]
id = "b"
"#;

    fn ring() -> FieldValue {
        FieldValue::Ring(vec![[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]])
    }

    fn keep(source: usize) -> ZoneEdit {
        ZoneEdit {
            source: Some(source),
            ..ZoneEdit::default()
        }
    }

    fn new_zone(name: &str) -> ZoneEdit {
        ZoneEdit {
            source: None,
            set: vec![
                ("name", FieldValue::Text(name.into())),
                ("area", FieldValue::Text("private".into())),
                ("polygon", ring()),
            ],
            remove: vec![],
        }
    }

    #[test]
    fn unchanged_zones_leave_the_text_as_it_was() {
        let out = apply(TOML, Format::Toml, 0, &[keep(0), keep(1)]).unwrap();
        assert_eq!(out, TOML);
    }

    #[test]
    fn a_changed_value_keeps_its_comment() {
        let mut edit = keep(0);
        edit.set.push((
            "polygon",
            FieldValue::Ring(vec![[0.1, 0.35], [0.4201, 0.35], [0.42, 0.95]]),
        ));
        edit.set.push(("style", FieldValue::Text("blur:8".into())));
        let out = apply(TOML, Format::Toml, 0, &[edit, keep(1)]).unwrap();
        let expected = TOML
            .replace(
                "[[0.10, 0.35], [0.42, 0.35], [0.42, 0.95]]",
                "[[0.1, 0.35], [0.4201, 0.35], [0.42, 0.95]]",
            )
            .replace("style = \"fill\"", "style = \"blur:8\"");
        assert_eq!(out, expected);
    }

    #[test]
    fn new_zones_go_under_their_camera_and_removed_ones_take_their_comments() {
        let out = apply(TOML, Format::Toml, 0, &[keep(1), new_zone("Pauserom")]).unwrap();
        assert!(!out.contains("# The counter."), "{out}");
        assert!(out.contains("# The site."));
        let new_at = out.find("name = \"Pauserom\"").unwrap();
        let camera_b = out.find("id = \"b\"").unwrap();
        assert!(new_at < camera_b, "{out}");
        assert!(out.contains("\n[[cameras.zones]]\nname = \"Pauserom\"\narea = \"private\"\npolygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]]\n"), "{out}");
        // And it reads back as a site file.
        sladd_policy::config::parse(&out, Format::Toml, "t").unwrap();
    }

    #[test]
    fn a_camera_without_zones_gets_its_first() {
        let out = apply(TOML, Format::Toml, 1, &[new_zone("Lager")]).unwrap();
        assert!(out.ends_with("id = \"b\"\n\n[[cameras.zones]]\nname = \"Lager\"\narea = \"private\"\npolygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]]\n"), "{out}");
        let raw = sladd_policy::config::parse(&out, Format::Toml, "t").unwrap();
        assert_eq!(raw.cameras[1].zones[0].name, "Lager");
        assert_eq!(raw.cameras[0].zones.len(), 2);
    }

    #[test]
    fn reordered_zones_print_in_the_new_order() {
        let out = apply(TOML, Format::Toml, 0, &[keep(1), keep(0)]).unwrap();
        assert!(
            out.find("Pumpene").unwrap() < out.find("Disken").unwrap(),
            "{out}"
        );
        assert!(out.contains("# drawn by hand"));
        let raw = sladd_policy::config::parse(&out, Format::Toml, "t").unwrap();
        assert_eq!(raw.cameras[0].zones[0].name, "Pumpene");
        assert_eq!(raw.cameras[1].id, "b");
    }

    #[test]
    fn inline_zone_lists_stay_inline() {
        let text = "[site]\nname = \"S\"\n[[cameras]]\nid = \"a\"\nzones = [\n  { name = \"x\", area = \"public\", polygon = [[0, 0], [1, 0], [1, 1]] },\n]\n";
        let mut edit = keep(0);
        edit.set.push(("area", FieldValue::Text("private".into())));
        let out = apply(text, Format::Toml, 0, &[edit, new_zone("y")]).unwrap();
        assert!(
            out.contains(
                "{ name = \"x\", area = \"private\", polygon = [[0, 0], [1, 0], [1, 1]] },"
            ),
            "{out}"
        );
        let raw = sladd_policy::config::parse(&out, Format::Toml, "t").unwrap();
        assert_eq!(raw.cameras[0].zones[1].name, "y");
    }

    const JSON: &str = r#"{
    "site": {"name": "S"},
    "cameras": [
        {
            "id": "a",
            "zones": [
                {"name": "Disken", "area": "restricted_circle", "polygon": [[0.10, 0.35], [0.42, 0.35], [0.42, 0.95]]},
                {"name": "Pumpene", "area": "public", "polygon": [[0.45, 0.0], [1.0, 0.0], [1.0, 0.6]]}
            ]
        }
    ]
}
"#;

    #[test]
    fn json_stays_json_and_keeps_what_is_not_edited() {
        assert_eq!(
            apply(JSON, Format::Json, 0, &[keep(0), keep(1)]).unwrap(),
            JSON
        );
        let mut edit = keep(1);
        edit.set
            .push(("area", FieldValue::Text("outside_purpose".into())));
        let out = apply(JSON, Format::Json, 0, &[edit, new_zone("Pauserom")]).unwrap();
        assert!(!out.contains("Disken"));
        assert!(out.contains(r#"{"name": "Pumpene", "area": "outside_purpose", "polygon": [[0.45, 0.0], [1.0, 0.0], [1.0, 0.6]]}"#), "{out}");
        let raw = sladd_policy::config::parse(&out, Format::Json, "t.json").unwrap();
        assert_eq!(raw.cameras[0].zones[1].name, "Pauserom");
        assert_eq!(
            raw.cameras[0].zones[1].polygon.as_ref().unwrap()[1],
            [0.5, 0.1]
        );
    }

    #[test]
    fn json_reorders_and_adds_a_first_zone() {
        let out = apply(JSON, Format::Json, 0, &[keep(1), keep(0)]).unwrap();
        let raw = sladd_policy::config::parse(&out, Format::Json, "t.json").unwrap();
        assert_eq!(raw.cameras[0].zones[0].name, "Pumpene");
        assert_eq!(
            raw.cameras[0].zones[1].polygon.as_ref().unwrap()[0],
            [0.1, 0.35]
        );
        let bare = r#"{"site": {"name": "S"}, "cameras": [{"id": "a"}]}"#;
        let out = apply(bare, Format::Json, 0, &[new_zone("Lager")]).unwrap();
        let raw = sladd_policy::config::parse(&out, Format::Json, "t.json").unwrap();
        assert_eq!(raw.cameras[0].zones[0].name, "Lager");
    }

    #[test]
    fn a_missing_camera_is_an_error() {
        assert!(matches!(
            apply(TOML, Format::Toml, 5, &[]),
            Err(Error::Document { .. })
        ));
        assert!(matches!(
            apply(JSON, Format::Json, 5, &[]),
            Err(Error::Document { .. })
        ));
        assert!(matches!(
            apply("[site", Format::Toml, 0, &[]),
            Err(Error::Document { .. })
        ));
    }
}
