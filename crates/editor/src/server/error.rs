//! Every way a request fails, and the one place that turns it into a status
//! code and a JSON body (`{"error": "..."}`, plus `"errors"` for a refused
//! edit).

use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::error::Error;
use crate::validate::ZoneProblem;

/// Why a request failed.
#[derive(Debug)]
pub enum ApiError {
    /// A wrong or missing token, or a `Host` other than the editor's own.
    Forbidden(&'static str),
    /// No such route.
    NotFound(String),
    /// The request could not be read: a body over the limit, a query or
    /// path that does not parse.
    Rejected {
        /// The status the extractor gave.
        status: StatusCode,
        /// Its message.
        message: String,
    },
    /// The library refused or failed.
    Editor(Error),
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self::Editor(e)
    }
}

impl From<sladd_policy::Error> for ApiError {
    fn from(e: sladd_policy::Error) -> Self {
        Self::Editor(Error::Policy(e))
    }
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> Self {
        Self::Rejected {
            status: r.status(),
            message: r.body_text(),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::Rejected {
            status: StatusCode::BAD_REQUEST,
            message: r.body_text(),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::Rejected {
            status: r.status(),
            message: r.body_text(),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Rejected {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("the worker stopped: {e}"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Self::Forbidden(why) => (StatusCode::FORBIDDEN, json!({ "error": why })),
            Self::NotFound(what) => (StatusCode::NOT_FOUND, json!({ "error": what })),
            Self::Rejected { status, message } => (status, json!({ "error": message })),
            Self::Editor(e) => {
                let status = status_of(&e);
                let message = e.to_string();
                match e {
                    Error::Invalid { problems } => {
                        (status, json!({ "error": message, "errors": problems }))
                    }
                    Error::Policy(p) if status == StatusCode::UNPROCESSABLE_ENTITY => {
                        let problem = policy_problem(&p);
                        (status, json!({ "error": message, "errors": [problem] }))
                    }
                    Error::ChangedOnDisk { .. } => {
                        (status, json!({ "error": message, "changed_on_disk": true }))
                    }
                    _ => (status, json!({ "error": message })),
                }
            }
        };
        (status, Json(body)).into_response()
    }
}

/// The status code of a library error.
fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::ChangedOnDisk { .. } => StatusCode::CONFLICT,
        Error::Policy(sladd_policy::Error::UnknownCamera { .. }) => StatusCode::NOT_FOUND,
        Error::Policy(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::BadRequest { .. } => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A site file that does not compile (on reload), as one problem.
fn policy_problem(e: &sladd_policy::Error) -> ZoneProblem {
    match e {
        sladd_policy::Error::Invalid { field, reason, .. } => {
            ZoneProblem::new(None, field, reason.to_string())
        }
        sladd_policy::Error::Syntax { field, message, .. } => {
            ZoneProblem::new(None, field, message.clone())
        }
        other => ZoneProblem::new(None, "", other.to_string()),
    }
}
