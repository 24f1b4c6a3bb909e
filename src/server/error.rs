//! The one error type of the HTTP layer, rendered as
//! `{"error": {"code": "...", "message": "..."}}` with the matching status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::ingest::{ImportError, ImportReport};
use crate::query::QueryError;
use crate::store::StoreError;

/// Why a request failed.
#[derive(Debug)]
pub enum ApiError {
    /// 400: a parameter is missing, malformed or out of bounds.
    BadParameter(String),
    /// 401: a write without the right bearer token.
    Unauthorized(String),
    /// 403: writes are disabled on this server.
    Forbidden(String),
    /// 404: unknown id (with suggestions) or route.
    NotFound(String),
    /// 405: the route exists, not with this method.
    MethodNotAllowed,
    /// 413: the request body is larger than allowed.
    TooLarge(String),
    /// 422: invalid records, listed as `file:line: field: reason` (file = `body`).
    Invalid {
        /// Summary.
        message: String,
        /// The first problems.
        issues: Vec<String>,
        /// How many problems in all.
        issue_count: u64,
    },
    /// 422: an analysis could not finish (e.g. no convergence with these parameters).
    Unprocessable(String),
    /// 500: logged with its details; the client only learns that it happened.
    Internal(String),
}

impl ApiError {
    /// A 500 from any displayable error.
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(e.to_string())
    }

    /// A 500 from a blocking task that panicked or was cancelled.
    pub fn from_join(e: tokio::task::JoinError) -> ApiError {
        if e.is_panic() {
            ApiError::Internal("a blocking task panicked".into())
        } else {
            ApiError::Internal(format!("a blocking task was cancelled: {e}"))
        }
    }

    /// A 422 listing an import's problems.
    pub fn invalid(report: &ImportReport) -> ApiError {
        ApiError::Invalid {
            message: format!(
                "{} invalid record(s); nothing was written",
                report.issue_count
            ),
            issues: report.issues.iter().map(ToString::to_string).collect(),
            issue_count: report.issue_count,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadParameter(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid { .. } | ApiError::Unprocessable(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadParameter(_) => "bad_parameter",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::TooLarge(_) => "body_too_large",
            ApiError::Invalid { .. } => "invalid_record",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The message shown to the client.
    pub fn message(&self) -> String {
        match self {
            ApiError::BadParameter(m)
            | ApiError::Unauthorized(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::TooLarge(m)
            | ApiError::Unprocessable(m) => m.clone(),
            ApiError::Invalid { message, .. } => message.clone(),
            ApiError::MethodNotAllowed => "method not allowed on this route".into(),
            ApiError::Internal(_) => "internal error; see the server log".into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Internal(m) => write!(f, "internal error: {m}"),
            other => write!(f, "{}", other.message()),
        }
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut error = json!({"code": self.code(), "message": self.message()});
        match &self {
            ApiError::Internal(details) => {
                tracing::error!(details = %details, "internal error");
            }
            ApiError::Invalid {
                issues,
                issue_count,
                ..
            } => {
                error["issues"] = json!(issues);
                error["issue_count"] = json!(issue_count);
            }
            _ => {}
        }
        (status, Json(json!({ "error": error }))).into_response()
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::UnknownNode { .. } => ApiError::NotFound(e.to_string()),
            QueryError::BadParameter(m) => ApiError::BadParameter(m),
            QueryError::Algorithm(m) => ApiError::Unprocessable(m),
            QueryError::Store(e) => e.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Limit(m) => ApiError::BadParameter(format!("limit exceeded: {m}")),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<ImportError> for ApiError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Invalid(report) => ApiError::invalid(&report),
            ImportError::Store(e) => e.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}
