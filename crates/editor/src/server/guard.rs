//! The gate every request passes: the `Host` must be the editor's own
//! address (a page elsewhere that rebinds its DNS name to 127.0.0.1 sends
//! its own name), and the query must carry the session's token. Responses
//! are marked not to be cached, sniffed, framed or referred.

use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::error::ApiError;
use super::state::AppState;

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// Refuses (403) a request with a foreign `Host` or without the token;
/// adds the protective headers to every response.
pub(crate) async fn guard(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let mut response = if !host_allowed(host, state.port) {
        ApiError::Forbidden("this editor answers only to 127.0.0.1 or localhost on its own port")
            .into_response()
    } else if !token_matches(&request, &state.token) {
        ApiError::Forbidden("missing or wrong token: open the address sladd printed")
            .into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Whether `host` is `127.0.0.1:PORT` or `localhost:PORT`.
fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some((name, p)) = host.and_then(|h| h.rsplit_once(':')) else {
        return false;
    };
    p == port.to_string() && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
}

/// Whether the query's `token` is the session's (compared in constant time).
fn token_matches(request: &Request, token: &str) -> bool {
    let Ok(Query(query)) = Query::<TokenQuery>::try_from_uri(request.uri()) else {
        return false;
    };
    let Some(given) = query.token else {
        return false;
    };
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0_u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert!(host_allowed(Some("127.0.0.1:8080"), 8080));
        assert!(host_allowed(Some("LocalHost:8080"), 8080));
        assert!(!host_allowed(Some("127.0.0.1:8081"), 8080));
        assert!(!host_allowed(Some("evil.example:8080"), 8080));
        assert!(!host_allowed(Some("127.0.0.1"), 8080));
        assert!(!host_allowed(Some("[::1]:8080"), 8080));
        assert!(!host_allowed(None, 8080));
    }
}
