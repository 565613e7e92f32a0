//! Config errors name the file, line, column and field.

use sladd_policy::{Error, Format, Policy};

fn toml_err(text: &str) -> String {
    let e = Policy::from_str(text, Format::Toml, "site.toml").unwrap_err();
    assert!(
        matches!(e, Error::Syntax { .. } | Error::Invalid { .. }),
        "{e:?}"
    );
    e.to_string()
}

fn json_err(text: &str) -> String {
    Policy::from_str(text, Format::Json, "site.json")
        .unwrap_err()
        .to_string()
}

const HEAD: &str =
    "[site]\nname = \"S\"\n\n[[cameras]]\nid = \"c\"\npurposes = [{ purpose = \"theft\" }]\n\n";

fn zone(body: &str) -> String {
    format!("{HEAD}[[cameras.zones]]\nname = \"z\"\narea = \"public\"\n{body}\n")
}

#[test]
fn unknown_field_names_line_column_and_field() {
    let text = zone("polgon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]");
    let e = toml_err(&text);
    assert!(
        e.starts_with(
            "site.toml:11:1: cameras[0].zones[0].polgon: unknown field `polgon`, expected one of"
        ),
        "{e}"
    );
    assert!(e.contains("`polygon`"), "{e}");
}

#[test]
fn unknown_field_in_json() {
    let text = r#"{"site": {"name": "S"},
  "cameras": [{"id": "c", "hiden": true}]}"#;
    let e = json_err(text);
    assert!(e.starts_with("site.json:2:"), "{e}");
    assert!(e.contains("cameras[0].hiden: unknown field `hiden`"), "{e}");
}

#[test]
fn bad_enum_value() {
    let text = format!("{HEAD}[[cameras.zones]]\nname = \"z\"\narea = \"staff_only\"\npolygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]\n");
    let e = toml_err(&text);
    assert!(
        e.starts_with("site.toml:10:8: cameras[0].zones[0].area: unknown variant `staff_only`"),
        "{e}"
    );
    let e = toml_err("[site]\nname = \"S\"\nsector = \"hospital\"\n");
    assert!(
        e.starts_with("site.toml:3:10: site.sector: unknown variant `hospital`"),
        "{e}"
    );
}

#[test]
fn bad_schedule() {
    let e = toml_err(
        "[site]\nname = \"S\"\nopening_hours = [\"mon-fri 07:00-23:00\", \"mon 25:00-26:00\"]\n",
    );
    assert!(
        e.starts_with("site.toml:3:41: site.opening_hours[1]: bad schedule 'mon 25:00-26:00'"),
        "{e}"
    );
    let text = format!("{HEAD}[[cameras.zones]]\nname = \"z\"\narea = \"restricted_circle\"\npolygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]\nstaff_present = [\"weekdays 07:00-16:00\"]\n");
    let e = toml_err(&text);
    assert!(
        e.starts_with("site.toml:12:18: cameras[0].zones[0].staff_present[0]: bad schedule"),
        "{e}"
    );
    let e = toml_err("[site]\nname = \"S\"\n[[cameras]]\nid = \"c\"\npurposes = [{ purpose = \"theft\", when = \"sometimes\" }]\n");
    assert!(
        e.contains("cameras[0].purposes[0].when: unknown variant `sometimes`"),
        "{e}"
    );
}

#[test]
fn nan_polygon() {
    let e = toml_err(&zone("polygon = [[0.1, 0.1], [nan, 0.1], [0.5, 0.5]]"));
    assert!(
        e.starts_with(
            "site.toml:11:11: cameras[0].zones[0].polygon: vertex 1 is not a finite number"
        ),
        "{e}"
    );
}

#[test]
fn two_point_polygon() {
    let e = toml_err(&zone("polygon = [[0.1, 0.1], [0.5, 0.5]]"));
    assert!(
        e.starts_with(
            "site.toml:11:11: cameras[0].zones[0].polygon: polygon has 2 distinct vertices"
        ),
        "{e}"
    );
    let text = r#"{"site": {"name": "S"}, "cameras": [{"id": "c", "zones": [
  {"name": "a", "area": "public", "polygon": [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]},
  {"name": "b", "area": "public", "polygon": [[0.1, 0.1], [0.5, 0.5]]}]}]}"#;
    let e = json_err(text);
    assert!(
        e.starts_with(
            "site.json:3:46: cameras[0].zones[1].polygon: polygon has 2 distinct vertices"
        ),
        "{e}"
    );
}

#[test]
fn zone_outside_the_frame() {
    let e = toml_err(&zone("polygon = [[1.1, 0.1], [1.5, 0.1], [1.5, 0.5]]"));
    assert!(
        e.starts_with(
            "site.toml:11:11: cameras[0].zones[0].polygon: polygon lies wholly outside the frame"
        ),
        "{e}"
    );
}

#[test]
fn pixel_polygon_needs_a_reference() {
    let e = toml_err(&zone(
        "polygon_px = [[10.0, 10.0], [500.0, 10.0], [500.0, 500.0]]",
    ));
    assert!(
        e.contains(
            "cameras[0].zones[0].polygon_px: polygon_px needs the camera's reference_resolution"
        ),
        "{e}"
    );
}

#[test]
fn exactly_one_outline() {
    let e = toml_err(&format!(
        "{HEAD}[[cameras.zones]]\nname = \"z\"\narea = \"public\"\n"
    ));
    assert!(
        e.contains("cameras[0].zones[0]: zone 'z' must give exactly one of"),
        "{e}"
    );
}

#[test]
fn duplicate_ids_and_names() {
    let text = "[site]\nname = \"S\"\n[[cameras]]\nid = \"a\"\n[[cameras]]\nid = \"a\"\n";
    let e = toml_err(text);
    assert!(
        e.starts_with("site.toml:6:6: cameras[1].id: duplicate camera id 'a' (also cameras[0])"),
        "{e}"
    );
    let z = "area = \"public\"\npolygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]\n";
    let text =
        format!("{HEAD}[[cameras.zones]]\nname = \"z\"\n{z}[[cameras.zones]]\nname = \"z\"\n{z}");
    let e = toml_err(&text);
    assert!(
        e.starts_with("site.toml:13:8: cameras[0].zones[1].name: duplicate zone name 'z'"),
        "{e}"
    );
}

#[test]
fn empty_zone_name() {
    let text = format!(
        "{HEAD}[[cameras.zones]]\nname = \" \"\narea = \"public\"\npolygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]\n"
    );
    let e = toml_err(&text);
    assert!(
        e.starts_with("site.toml:9:8: cameras[0].zones[0].name: zone name is empty"),
        "{e}"
    );
}

#[test]
fn windows_serialize_as_written() {
    use sladd_policy::config::raw::RawWindow;
    let keyword = serde_json::to_string(&RawWindow::OpeningHours).unwrap();
    assert_eq!(keyword, "\"opening_hours\"");
    let list = RawWindow::Schedules(vec!["mon-fri 07:00-16:00".into()]);
    assert_eq!(
        serde_json::to_string(&list).unwrap(),
        "[\"mon-fri 07:00-16:00\"]"
    );
    assert_eq!(RawWindow::Never.keyword(), Some("never"));
}

#[test]
fn unknown_time_zone() {
    let e = toml_err("[site]\nname = \"S\"\ntimezone = \"Europe/Olso\"\n");
    assert!(
        e.starts_with("site.toml:3:12: site.timezone: unknown time zone 'Europe/Olso'"),
        "{e}"
    );
}

#[test]
fn objects_only_in_restricted_zones() {
    let e = toml_err(&zone("polygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]\nobjects = [[[0.2, 0.2], [0.3, 0.2], [0.3, 0.3]]]"));
    assert!(
        e.contains("cameras[0].zones[0].objects: objects apply only to restricted_circle zones"),
        "{e}"
    );
}

#[test]
fn bad_style_and_date() {
    let e = toml_err(&zone(
        "polygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]]\nstyle = \"smudge\"",
    ));
    assert!(
        e.contains("cameras[0].zones[0].style: invalid style: unknown style 'smudge'"),
        "{e}"
    );
    let e =
        toml_err("[site]\nname = \"S\"\n[[cameras]]\nid = \"c\"\nlast_reviewed = \"2026-02-30\"\n");
    assert!(
        e.contains("cameras[0].last_reviewed: '2026-02-30' is not a date"),
        "{e}"
    );
}

#[test]
fn syntax_error_has_a_position() {
    let e = toml_err("[site]\nname = \"S\n");
    assert!(e.starts_with("site.toml:2:"), "{e}");
    let e = json_err("{\"site\": {\"name\": \"S\",}}");
    assert!(e.starts_with("site.json:1:"), "{e}");
}

#[test]
fn unknown_extension_and_missing_file() {
    let e = Policy::load("site.yaml").unwrap_err();
    assert!(matches!(e, Error::UnknownFormat { .. }), "{e:?}");
    let e = Policy::load("/nonexistent/site.toml").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("cannot read /nonexistent/site.toml"),
        "{e}"
    );
}

#[test]
fn toml_and_json_read_into_the_same_policy() {
    let toml = super::policy("../site.toml");
    let json = super::policy("site.json");
    let t = toml.camera("kasse-1").unwrap();
    let j = json.camera("kasse-1").unwrap();
    assert_eq!(t.zones.len(), j.zones.len());
    for (a, b) in t.zones.iter().zip(&j.zones) {
        assert_eq!(
            (&a.name, a.area, &a.region, &a.objects),
            (&b.name, b.area, &b.region, &b.objects)
        );
    }
    let noon = Some(super::at("2026-11-24T12:00:00+01:00"));
    let (dt, dj) = (sladd_policy::decide(t, noon), sladd_policy::decide(j, noon));
    assert!(dt.same_masks(&dj));
    assert_eq!(
        serde_json::to_value(&dt).unwrap(),
        serde_json::to_value(&dj).unwrap()
    );
}

/// Regression: a JSON site file with a UTF-8 byte-order mark was refused
/// (TOML with one was accepted).
#[test]
fn a_json_site_file_with_a_byte_order_mark_is_read() {
    let json = "\u{feff}{\"site\": {\"name\": \"S\"}, \"cameras\": [{\"id\": \"c\"}]}";
    let policy = Policy::from_str(json, Format::Json, "site.json").unwrap();
    assert_eq!(policy.site().name, "S");
    let toml = format!("\u{feff}{HEAD}");
    assert!(Policy::from_str(&toml, Format::Toml, "site.toml").is_ok());
    // Errors still point at the right line and column.
    let e = json_err("\u{feff}{\"site\": {\"name\": 3}}");
    assert!(e.starts_with("site.json:1:"), "{e}");
}

#[test]
fn clock_valid_from_is_a_date_in_the_sites_time_zone() {
    let text = format!("{HEAD}clock_valid_from = \"2023-06-01\"\n");
    let text = text.replace("name = \"S\"", "name = \"S\"\ntimezone = \"Europe/Oslo\"");
    let policy = Policy::from_str(&text, Format::Toml, "site.toml").unwrap();
    let camera = policy.camera("c").unwrap();
    let now = "2026-03-01T12:00:00Z".parse().unwrap();
    let midnight = "2023-05-31T22:00:00Z".parse().unwrap();
    assert_eq!(camera.trusted_start(midnight, now), Ok(midnight));
    let before = "2023-05-31T21:59:59Z".parse().unwrap();
    assert!(camera.trusted_start(before, now).is_err());
    let bad = toml_err(&format!("{HEAD}clock_valid_from = \"2023-02-30\"\n"));
    assert!(
        bad.starts_with("site.toml:8:") && bad.contains("cameras[0].clock_valid_from"),
        "{bad}"
    );
}
