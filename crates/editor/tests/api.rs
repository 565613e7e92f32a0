//! The editor's HTTP API, endpoint by endpoint and error by error, called
//! through its real router (and once over a real socket), on copies of the
//! fixture site files and the kiosk clip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sladd_editor::picture::Source;
use sladd_editor::server::{Editor, Options, BODY_LIMIT};
use tower::ServiceExt;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// An editor over a copy of `site` (a path in the repository) in a
/// temporary folder.
struct Fixture {
    _dir: tempfile::TempDir,
    site: PathBuf,
    editor: Editor,
}

fn fixture(site: &str, picture: Option<Source>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let name = Path::new(site).file_name().unwrap();
    let copy = dir.path().join(name);
    std::fs::copy(repo(site), &copy).unwrap();
    let editor = Editor::open(&Options {
        site: copy.clone(),
        camera: None,
        picture,
        at: None,
        port: 0,
    })
    .unwrap();
    Fixture {
        _dir: dir,
        site: copy,
        editor,
    }
}

fn kiosk() -> Option<Source> {
    Some(Source::Video {
        path: repo("fixtures/clips/kiosk.mp4"),
        start: None,
    })
}

struct Reply {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

impl Fixture {
    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.editor.local_addr().unwrap().port())
    }

    /// `path` with the token added to its query.
    fn uri(&self, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{path}{sep}token={}", self.editor.token())
    }

    async fn raw(&self, method: Method, uri: &str, host: Option<&str>, body: Vec<u8>) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(host) = host {
            request = request.header(header::HOST, host);
        }
        if !body.is_empty() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let response = self
            .editor
            .router()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            content_type,
            body,
        }
    }

    async fn get(&self, path: &str) -> Reply {
        let host = self.host();
        self.raw(Method::GET, &self.uri(path), Some(&host), Vec::new())
            .await
    }

    async fn send(&self, method: Method, path: &str, body: &Value) -> Reply {
        let host = self.host();
        let bytes = serde_json::to_vec(body).unwrap();
        self.raw(method, &self.uri(path), Some(&host), bytes).await
    }

    async fn zones(&self, camera: &str) -> Vec<Value> {
        let site = self.get("/api/site").await.json();
        let camera = site["cameras"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == camera)
            .unwrap()
            .clone();
        camera["zones"].as_array().unwrap().clone()
    }
}

fn new_zone(name: &str, area: &str, ring: Value) -> Value {
    json!({"name": name, "area": area, "polygon": ring, "source": null})
}

#[tokio::test]
async fn site_lists_the_cameras_and_their_zones() {
    let f = fixture("fixtures/site.toml", None);
    let r = f.get("/api/site").await;
    assert_eq!(r.status, StatusCode::OK);
    let site = r.json();
    assert_eq!(site["site"]["name"], "Bensinstasjon Sentrum");
    assert_eq!(site["site"]["timezone"], "Europe/Oslo");
    assert_eq!(site["format"], "toml");
    assert_eq!(site["dirty"], false);
    assert_eq!(site["camera"], "kasse-1");
    let camera = &site["cameras"][0];
    // A canvas of the camera's reference_resolution.
    assert_eq!(
        (camera["width"].clone(), camera["height"].clone()),
        (json!(1920), json!(1080))
    );
    assert_eq!(camera["picture"]["kind"], "canvas");
    let zone = &camera["zones"][0];
    assert_eq!(zone["name"], "Bak kassen");
    assert_eq!(zone["area"], "restricted_circle");
    assert_eq!(zone["polygon"][1], json!([0.42, 0.35]));
    assert_eq!(zone["objects"][0][0], json!([0.2, 0.55]));
    assert_eq!(zone["staff_present"], "opening_hours");
    assert_eq!(zone["source"], 0);
}

#[tokio::test]
async fn every_request_needs_the_token_and_the_editors_own_host() {
    let f = fixture("fixtures/site.toml", None);
    let host = f.host();
    let port = f.editor.local_addr().unwrap().port();
    for uri in ["/api/site", "/", "/assets/editor.js", "/nowhere"] {
        let r = f.raw(Method::GET, uri, Some(&host), Vec::new()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(
            r.json()["error"].as_str().unwrap().contains("token"),
            "{uri}"
        );
    }
    let wrong = "/api/site?token=00000000000000000000000000000000";
    let r = f.raw(Method::GET, wrong, Some(&host), Vec::new()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let right = f.uri("/api/site");
    for bad in [
        Some(format!("evil.example:{port}")),
        Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
        Some("127.0.0.1".to_owned()),
        None,
    ] {
        let r = f.raw(Method::GET, &right, bad.as_deref(), Vec::new()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{bad:?}");
        assert!(r.json()["error"].as_str().unwrap().contains("127.0.0.1"));
    }
    let r = f
        .raw(
            Method::GET,
            &right,
            Some(&format!("localhost:{port}")),
            Vec::new(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // The page and its assets, with the token written into the page's links.
    let page = f.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    let html = String::from_utf8(page.body).unwrap();
    assert!(html.contains(&format!("editor.js?token={}", f.editor.token())));
    let js = f.get("/assets/editor.js").await;
    assert!(js.content_type.starts_with("text/javascript"));
    assert!(f
        .get("/assets/editor.css")
        .await
        .content_type
        .starts_with("text/css"));
    assert_eq!(
        f.get("/assets/other.js").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn unknown_paths_methods_and_cameras() {
    let f = fixture("fixtures/site.toml", None);
    let r = f.get("/api/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.json()["error"].as_str().unwrap().contains("/api/nothing"));
    let r = f.send(Method::DELETE, "/api/site", &json!({})).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    for path in [
        "/api/cameras/nope/decision?at=now",
        "/api/cameras/nope/frame.png",
        "/api/cameras/nope/preview.png",
    ] {
        let r = f.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.json()["error"]
            .as_str()
            .unwrap()
            .contains("no camera 'nope'"));
    }
    let r = f
        .send(
            Method::PUT,
            "/api/cameras/nope/zones",
            &json!({"zones": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn put_zones_adds_edits_and_rounds_outward() {
    let f = fixture("fixtures/site.toml", None);
    let mut zones = f.zones("kasse-1").await;
    zones[1]["name"] = json!("Pumpene ute");
    zones.push(new_zone(
        "Pauserom",
        "private",
        json!([
            [0.600_001, 0.100_009],
            [0.9, 0.1],
            [0.912_341, 0.5],
            [0.6, 0.5]
        ]),
    ));
    let r = f
        .send(
            Method::PUT,
            "/api/cameras/kasse-1/zones",
            &json!({ "zones": zones }),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let reply = r.json();
    assert_eq!(reply["dirty"], true);
    let added = &reply["zones"][2];
    assert_eq!(added["source"], 2);
    // Outward: left edge further left, top edge further up, right corner further right.
    assert_eq!(
        added["polygon"],
        json!([[0.6, 0.1], [0.9, 0.1], [0.9124, 0.5], [0.6, 0.5]])
    );
    let now = f.zones("kasse-1").await;
    assert_eq!(now[1]["name"], "Pumpene ute");
    assert_eq!(now[2]["name"], "Pauserom");
    // The decision sees the edit before it is saved.
    let d = f
        .get("/api/cameras/kasse-1/decision?at=2026-11-24T12:00")
        .await
        .json();
    assert_eq!(d["zones"][2]["rule"], "R-AREA-PRIVATE");
    assert_eq!(d["zones"][2]["masked"], true);
}

#[tokio::test]
async fn invalid_zones_get_422_in_checks_words_and_change_nothing() {
    let f = fixture("fixtures/site.toml", None);
    let before = f.zones("kasse-1").await;
    let mut zones = before.clone();
    zones[0]["polygon"] = json!([[0.1, 0.35], [0.42, 0.35]]);
    zones[1]["polygon"] = json!([[1.1, 0.1], [1.5, 0.1], [1.5, 0.5]]);
    zones.push(new_zone(
        "Lager",
        "private",
        json!([[0.1, 0.1], [0.2, 0.1], [0.2, 0.2]]),
    ));
    zones[2]["style"] = json!("sparkle");
    let r = f
        .send(
            Method::PUT,
            "/api/cameras/kasse-1/zones",
            &json!({ "zones": zones }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.json()["errors"].as_array().unwrap().clone();
    let fields: Vec<(i64, &str)> = errors
        .iter()
        .map(|e| (e["zone"].as_i64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, [(0, "polygon"), (1, "polygon"), (2, "style")]);
    // The same words `sladd check` prints for these zones in a file.
    let text = std::fs::read_to_string(&f.site)
        .unwrap()
        .replace("[0.42, 0.35], [0.42, 0.95], [0.10, 0.95]]", "[0.42, 0.35]]");
    let check = sladd_policy::Policy::from_str(&text, sladd_policy::Format::Toml, "site.toml")
        .unwrap_err()
        .to_string();
    assert!(
        check.ends_with(errors[0]["message"].as_str().unwrap()),
        "{check} / {errors:?}"
    );
    assert!(errors[1]["message"]
        .as_str()
        .unwrap()
        .contains("outside the frame"));
    assert_eq!(f.zones("kasse-1").await, before);
    assert_eq!(f.get("/api/site").await.json()["dirty"], false);

    // Duplicate names come from the whole camera.
    let mut zones = before.clone();
    zones[1]["name"] = json!("Bak kassen");
    let r = f
        .send(
            Method::PUT,
            "/api/cameras/kasse-1/zones",
            &json!({ "zones": zones }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &r.json()["errors"][0];
    assert_eq!(
        (e["zone"].clone(), e["field"].clone()),
        (json!(1), json!("name"))
    );
    assert!(e["message"]
        .as_str()
        .unwrap()
        .starts_with("duplicate zone name 'Bak kassen'"));

    // A body that is not zones names the zone and key.
    let mut zones = before.clone();
    zones[1]["area"] = json!("hallway");
    let r = f
        .send(
            Method::PUT,
            "/api/cameras/kasse-1/zones",
            &json!({ "zones": zones }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &r.json()["errors"][0];
    assert_eq!(
        (e["zone"].clone(), e["field"].clone()),
        (json!(1), json!("area"))
    );
    assert!(e["message"]
        .as_str()
        .unwrap()
        .starts_with("unknown variant `hallway`"));
    let r = f
        .send(
            Method::PUT,
            "/api/cameras/kasse-1/zones",
            &json!({"zones": [{"name": "x", "area": "public", "polygn": []}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("unknown field `polygn`"));
    let host = f.host();
    let r = f
        .raw(
            Method::PUT,
            &f.uri("/api/cameras/kasse-1/zones"),
            Some(&host),
            b"{not json".to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A source that is not a zone of the camera.
    let mut zones = before.clone();
    zones[1]["source"] = json!(7);
    let r = f
        .send(
            Method::PUT,
            "/api/cameras/kasse-1/zones",
            &json!({ "zones": zones }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "source");
    assert_eq!(f.zones("kasse-1").await, before);
}

#[tokio::test]
async fn bodies_over_a_mebibyte_get_413() {
    let f = fixture("fixtures/site.toml", None);
    let host = f.host();
    let mut body = b"{\"zones\": [], \"pad\": \"".to_vec();
    body.resize(BODY_LIMIT + 16, b'a');
    body.extend_from_slice(b"\"}");
    let r = f
        .raw(
            Method::PUT,
            &f.uri("/api/cameras/kasse-1/zones"),
            Some(&host),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.json()["error"].is_string());
}

#[tokio::test]
async fn decision_is_what_plan_prints() {
    let f = fixture("fixtures/site.toml", None);
    let policy = sladd_policy::Policy::load(&f.site).unwrap();
    let camera = policy.camera("kasse-1").unwrap();
    for (query, instant) in [
        (
            "2026-11-24T12:00:00%2B01:00",
            Some("2026-11-24T12:00:00+01:00"),
        ),
        ("2026-11-24T03:00", Some("2026-11-24T03:00:00+01:00")),
        ("unknown", None),
    ] {
        let r = f
            .get(&format!("/api/cameras/kasse-1/decision?at={query}"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let at = instant.map(|t| t.parse().unwrap());
        let plan = serde_json::to_value(sladd_policy::decide(camera, at)).unwrap();
        assert_eq!(r.json(), plan, "{query}");
    }
    let r = f.get("/api/cameras/kasse-1/decision?at=now").await;
    assert_eq!(r.status, StatusCode::OK);
    for bad in [
        "/api/cameras/kasse-1/decision",
        "/api/cameras/kasse-1/decision?at=noon",
    ] {
        let r = f.get(bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.json()["error"].as_str().unwrap().contains("RFC 3339"));
    }
}

#[tokio::test]
async fn check_is_what_check_prints() {
    let f = fixture("fixtures/site.toml", None);
    let policy = sladd_policy::Policy::load(&f.site).unwrap();
    let r = f.get("/api/check?at=2026-11-24T12:00:00Z").await;
    assert_eq!(r.status, StatusCode::OK);
    let report = sladd_policy::Report::new(&policy, Some("2026-11-24T12:00:00Z".parse().unwrap()));
    assert_eq!(r.json(), serde_json::to_value(report).unwrap());
    assert_eq!(f.get("/api/check").await.status, StatusCode::OK);
    assert_eq!(
        f.get("/api/check?at=soon").await.status,
        StatusCode::BAD_REQUEST
    );
}

fn png(reply: &Reply) -> image::RgbImage {
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.content_type, "image/png");
    image::load_from_memory(&reply.body).unwrap().to_rgb8()
}

#[tokio::test]
async fn frames_and_previews_of_the_video() {
    let f = fixture("fixtures/site.toml", kiosk());
    let site = f.get("/api/site").await.json();
    let camera = &site["cameras"][0];
    assert_eq!(camera["picture"]["kind"], "video");
    assert_eq!(
        (camera["width"].clone(), camera["height"].clone()),
        (json!(640), json!(360))
    );
    assert_eq!(camera["picture"]["start"], "2024-03-12T09:30:00Z");
    // The first frame's instant, in Oslo.
    assert_eq!(site["at"], "2024-03-12T10:30:00+01:00");

    let frame = png(&f.get("/api/cameras/kasse-1/frame.png?t=1").await);
    assert_eq!(frame.dimensions(), (640, 360));
    // Inside "Bak kassen" (0.10..0.42 × 0.35..0.95), away from the till.
    let (x, y) = (120, 150);
    assert_ne!(frame.get_pixel(x, y).0, [0, 0, 0]);
    // At the frame's own instant (a Tuesday morning, open): masked except the till.
    let masked = png(&f.get("/api/cameras/kasse-1/preview.png?t=1").await);
    assert_eq!(masked.get_pixel(x, y).0, [0, 0, 0]);
    let till = (160, 225);
    assert_eq!(
        masked.get_pixel(till.0, till.1),
        frame.get_pixel(till.0, till.1)
    );
    // At 03:00 on a weekday no staff are behind the counter: shown.
    let night = png(&f
        .get("/api/cameras/kasse-1/preview.png?t=1&at=2026-11-24T03:00")
        .await);
    assert_eq!(night.get_pixel(x, y), frame.get_pixel(x, y));
    // The same frame again comes from the cache and is masked the same way.
    let again = png(&f.get("/api/cameras/kasse-1/preview.png?t=1").await);
    assert_eq!(again, masked);
    for bad in ["t=-1", "t=soon", "t=NaN", "at=never"] {
        let r = f
            .get(&format!("/api/cameras/kasse-1/preview.png?{bad}"))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(
        f.get("/api/cameras/kasse-1/frame.png?t=-2").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn save_writes_in_place_and_keeps_the_previous_version() {
    let f = fixture("fixtures/site.toml", None);
    let original = std::fs::read_to_string(&f.site).unwrap();
    let r = f.send(Method::POST, "/api/save", &json!({})).await;
    assert_eq!(r.json()["saved"], false);
    let mut zones = f.zones("kasse-1").await;
    zones.push(new_zone(
        "Pauserom",
        "private",
        json!([[0.6, 0.1], [0.9, 0.1], [0.9, 0.5]]),
    ));
    let r = f
        .send(
            Method::PUT,
            "/api/cameras/kasse-1/zones",
            &json!({ "zones": zones }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        std::fs::read_to_string(&f.site).unwrap(),
        original,
        "not saved yet"
    );
    let r = f.send(Method::POST, "/api/save", &json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    let reply = r.json();
    assert_eq!(reply["saved"], true);
    assert_eq!(reply["dirty"], false);
    let backup = PathBuf::from(reply["backup"].as_str().unwrap());
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    let saved = std::fs::read_to_string(&f.site).unwrap();
    assert_eq!(
        saved,
        format!("{original}\n[[cameras.zones]]\nname = \"Pauserom\"\narea = \"private\"\npolygon = [[0.6, 0.1], [0.9, 0.1], [0.9, 0.5]]\n")
    );
    let policy = sladd_policy::Policy::load(&f.site).unwrap();
    assert_eq!(policy.camera("kasse-1").unwrap().zones[2].name, "Pauserom");
}

#[tokio::test]
async fn a_file_changed_on_disk_gets_409_and_can_be_reloaded() {
    let f = fixture("fixtures/site.toml", None);
    let mut zones = f.zones("kasse-1").await;
    zones[0]["area"] = json!("private");
    zones[0]["objects"] = json!([]);
    assert_eq!(
        f.send(
            Method::PUT,
            "/api/cameras/kasse-1/zones",
            &json!({ "zones": zones })
        )
        .await
        .status,
        StatusCode::OK
    );
    let theirs = std::fs::read_to_string(&f.site)
        .unwrap()
        .replace("name = \"Pumpene\"", "name = \"Pumper\"");
    std::fs::write(&f.site, &theirs).unwrap();
    let r = f.send(Method::POST, "/api/save", &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let reply = r.json();
    assert_eq!(reply["changed_on_disk"], true);
    assert!(reply["error"].as_str().unwrap().contains("changed on disk"));
    assert_eq!(std::fs::read_to_string(&f.site).unwrap(), theirs);
    let r = f.send(Method::POST, "/api/reload", &json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    let site = r.json();
    assert_eq!(site["dirty"], false);
    assert_eq!(site["cameras"][0]["zones"][1]["name"], "Pumper");
    assert_eq!(site["cameras"][0]["zones"][0]["area"], "restricted_circle");
    // A file broken on disk is refused and the editor keeps its copy.
    std::fs::write(
        &f.site,
        theirs.replace("name = \"Pumper\"", "nam = \"Pumper\""),
    )
    .unwrap();
    let r = f.send(Method::POST, "/api/reload", &json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = r.json();
    assert!(
        reply["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `nam`"),
        "{reply}"
    );
    assert!(reply["errors"][0]["zone"].is_null());
    assert_eq!(f.zones("kasse-1").await[1]["name"], "Pumper");
}

#[tokio::test]
async fn json_site_files_stay_json() {
    let f = fixture("fixtures/policy/site.json", None);
    let site = f.get("/api/site").await.json();
    assert_eq!(site["format"], "json");
    let id = site["cameras"][0]["id"].as_str().unwrap().to_owned();
    let mut zones = site["cameras"][0]["zones"].as_array().unwrap().clone();
    zones.push(new_zone(
        "Pauserom",
        "private",
        json!([[0.6, 0.1], [0.9, 0.1], [0.9, 0.5]]),
    ));
    let r = f
        .send(
            Method::PUT,
            &format!("/api/cameras/{id}/zones"),
            &json!({ "zones": zones }),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(
        f.send(Method::POST, "/api/save", &json!({})).await.status,
        StatusCode::OK
    );
    let text = std::fs::read_to_string(&f.site).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let last = value["cameras"][0]["zones"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["name"], "Pauserom");
    sladd_policy::Policy::load(&f.site).unwrap();
}

/// Bound to 127.0.0.1, served over a real socket, stopped cleanly.
#[tokio::test]
async fn serves_on_loopback_and_stops_when_asked() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let f = fixture("fixtures/site.toml", None);
    let addr = f.editor.local_addr().unwrap();
    assert!(addr.ip().is_loopback());
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    let url = f.editor.url();
    assert_eq!(
        url,
        format!(
            "http://127.0.0.1:{}/?token={}",
            addr.port(),
            f.editor.token()
        )
    );
    assert_eq!(f.editor.token().len(), 32);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let Fixture { _dir, editor, .. } = f;
    let token = editor.token().to_owned();
    let server = tokio::spawn(editor.serve(async {
        let _ = stopped.await;
    }));
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /api/site?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        addr.port()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("cache-control: no-store"), "{answer}");
    assert!(answer.contains("Bensinstasjon Sentrum"));
    stop.send(()).unwrap();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(!closed.unsaved);
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
