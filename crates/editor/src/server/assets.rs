//! The page: three static files compiled into the binary (no CDN, no
//! build step). The page reads its token from its own address and sends it
//! with every API request; the HTML gets it written into its asset links.

use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::error::ApiError;

const INDEX: &str = include_str!("../../assets/index.html");
const SCRIPT: &str = include_str!("../../assets/editor.js");
const STYLE: &str = include_str!("../../assets/editor.css");

/// The page's policy: its own scripts, styles and pictures only.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

#[derive(Deserialize)]
pub(crate) struct TokenQuery {
    token: String,
}

/// `GET /?token=`: the page.
pub(crate) async fn index(Query(query): Query<TokenQuery>) -> Response {
    // The guard let the request through, so the token is the session's
    // (hex digits only).
    let page = INDEX.replace("__TOKEN__", &query.token);
    (
        [(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)],
        Html(page),
    )
        .into_response()
}

/// `GET /assets/{name}`: the script and the style sheet.
pub(crate) async fn asset(Path(name): Path<String>) -> Result<Response, ApiError> {
    let (body, kind) = match name.as_str() {
        "editor.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        "editor.css" => (STYLE, "text/css; charset=utf-8"),
        _ => return Err(ApiError::NotFound(format!("no asset {name}"))),
    };
    Ok(([(header::CONTENT_TYPE, kind)], body).into_response())
}
