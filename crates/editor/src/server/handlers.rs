//! One handler per endpoint of `docs/zones-api.md`: parse the request, call
//! the library, answer JSON or PNG. Errors go through [`ApiError`].

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{json, Value};
use sladd_policy::{decide, Decision, Report};

use super::error::ApiError;
use super::state::AppState;
use crate::error::Error;
use crate::instant::{local_rfc3339, parse_instant};
use crate::zone::parse_zones;

/// The query of the endpoints that take an instant and a video time.
#[derive(Debug, Deserialize)]
pub(crate) struct PictureQuery {
    /// The instant (see [`parse_instant`]).
    at: Option<String>,
    /// Seconds into the video.
    t: Option<f64>,
}

type Camera = Result<Path<String>, PathRejection>;
type PictureParams = Result<Query<PictureQuery>, QueryRejection>;

/// `GET /api/site`: the site, its cameras and their zones.
pub(crate) async fn site(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    Ok(Json(site_json(&state)?))
}

/// `PUT /api/cameras/{id}/zones`: replaces the camera's zones in the edited
/// file, or refuses (422) with a problem per zone and changes nothing.
pub(crate) async fn put_zones(
    State(state): State<Arc<AppState>>,
    camera: Camera,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(id) = camera?;
    let zones = parse_zones(&body?)?;
    let mut site = state.site();
    let written = site.set_zones(&id, &zones)?;
    Ok(Json(json!({ "zones": written, "dirty": site.is_dirty() })))
}

/// `GET /api/cameras/{id}/decision?at=`: what `sladd plan --json` prints.
pub(crate) async fn decision(
    State(state): State<Arc<AppState>>,
    camera: Camera,
    query: PictureParams,
) -> Result<Json<Decision>, ApiError> {
    let Path(id) = camera?;
    let Query(query) = query?;
    let site = state.site();
    let policy = site.policy();
    let camera = policy.camera(&id)?;
    let at = match query.at.as_deref() {
        Some(text) => parse_instant(text, &policy.site().timezone)?,
        None => {
            return Err(Error::BadRequest {
                message: "give the instant to decide for: ?at= with an RFC 3339 instant, a local time, 'now' or 'unknown'"
                    .to_owned(),
            }
            .into())
        }
    };
    Ok(Json(decide(camera, at)))
}

/// `GET /api/check?at=`: what `sladd check --json` prints (judged now
/// without `at`; `at=unknown` leaves the re-evaluation age unjudged).
pub(crate) async fn check(
    State(state): State<Arc<AppState>>,
    query: PictureParams,
) -> Result<Json<Report>, ApiError> {
    let Query(query) = query?;
    let site = state.site();
    let policy = site.policy();
    let at = match query.at.as_deref() {
        Some(text) => parse_instant(text, &policy.site().timezone)?,
        None => Some(Timestamp::now()),
    };
    Ok(Json(Report::new(policy, at)))
}

/// `GET /api/cameras/{id}/frame.png?t=`: the camera's picture, unmasked.
pub(crate) async fn frame_png(
    State(state): State<Arc<AppState>>,
    camera: Camera,
    query: PictureParams,
) -> Result<Response, ApiError> {
    let Path(id) = camera?;
    let Query(query) = query?;
    let seconds = seconds(query.t)?;
    let picture = state.picture(&id)?;
    let png = tokio::task::spawn_blocking(move || picture.frame_png(seconds)).await??;
    Ok(png_response(png))
}

/// `GET /api/cameras/{id}/preview.png?at=&t=`: the picture masked as
/// `sladd redact` masks it at `at` (the frame's own instant without it).
pub(crate) async fn preview_png(
    State(state): State<Arc<AppState>>,
    camera: Camera,
    query: PictureParams,
) -> Result<Response, ApiError> {
    let Path(id) = camera?;
    let Query(query) = query?;
    let seconds = seconds(query.t)?;
    let policy = state.policy();
    let at = query
        .at
        .as_deref()
        .map(|text| parse_instant(text, &policy.site().timezone))
        .transpose()?;
    let picture = state.picture(&id)?;
    let png = tokio::task::spawn_blocking(move || picture.preview_png(&policy, &id, at, seconds))
        .await??;
    Ok(png_response(png))
}

/// `POST /api/save`: writes the edited file in place (409 when it changed
/// on disk since it was loaded).
pub(crate) async fn save(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let mut site = state.site();
    let saved = site.save()?;
    Ok(Json(json!({
        "saved": saved.written,
        "file": site.path().display().to_string(),
        "backup": saved.backup.map(|b| b.display().to_string()),
        "dirty": site.is_dirty(),
    })))
}

/// `POST /api/reload`: reads the file from disk again, dropping unsaved
/// edits; answers as `GET /api/site`.
pub(crate) async fn reload(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    state.site().reload()?;
    Ok(Json(site_json(&state)?))
}

/// Any other path.
pub(crate) async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("no such page or endpoint: {}", uri.path()))
}

fn site_json(state: &AppState) -> Result<Value, ApiError> {
    let ids: Vec<String> = {
        let site = state.site();
        site.policy()
            .cameras()
            .iter()
            .map(|c| c.id.clone())
            .collect()
    };
    let pictures = ids
        .iter()
        .map(|id| state.picture(id).map(|p| p.info().clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let site = state.site();
    let policy = site.policy();
    let info = policy.site();
    let cameras = ids
        .iter()
        .zip(pictures)
        .map(|(id, picture)| {
            Ok(json!({
                "id": id,
                "width": picture.width,
                "height": picture.height,
                "picture": picture,
                "zones": site.zones(id)?,
            }))
        })
        .collect::<Result<Vec<Value>, Error>>()?;
    let raw = &site.raw().site;
    Ok(json!({
        "file": site.path().display().to_string(),
        "format": match site.format() {
            sladd_policy::Format::Toml => "toml",
            sladd_policy::Format::Json => "json",
        },
        "dirty": site.is_dirty(),
        "site": {
            "name": info.name,
            "timezone": info.timezone_name,
            "sector": info.sector,
            "opening_hours": raw.opening_hours,
        },
        "camera": state.camera,
        "at": state.at.map(|t| local_rfc3339(t, &info.timezone)),
        "cameras": cameras,
    }))
}

/// `t`: finite seconds, not negative (0 when not given).
fn seconds(t: Option<f64>) -> Result<f64, ApiError> {
    match t {
        None => Ok(0.0),
        Some(t) if t.is_finite() && t >= 0.0 => Ok(t),
        Some(t) => Err(Error::BadRequest {
            message: format!("t={t} is not a time into the video (seconds, 0 or more)"),
        }
        .into()),
    }
}

fn png_response(png: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "image/png")], png).into_response()
}
