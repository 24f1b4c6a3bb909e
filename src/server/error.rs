//! The one error type of the HTTP layer, rendered as
//! `{"error": {"code": "...", "message": "..."}}` with the matching status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::ingest::{ImportError, ImportReport};
use crate::query::QueryError;
use crate::query::StoreError;

/// Why a request failed.
#[derive(Debug, Clone)]
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
    /// 408: the request body did not arrive in time.
    BodyTimeout(String),
    /// 413: the request body is larger than allowed.
    TooLarge(String),
    /// 414: the request target is longer than allowed.
    UriTooLong(String),
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
    /// 422: an analysis did not finish within the server's time budget; the message says
    /// how to ask for less.
    OverBudget(String),
    /// 503: the server cannot take this request now (analysis queue full, shutting down,
    /// too many connections); `retry_after` in seconds when a retry can succeed.
    Unavailable {
        /// What is busy.
        message: String,
        /// Seconds after which a retry makes sense (sent as `Retry-After`).
        retry_after: Option<u64>,
    },
    /// 500: logged with its details; the client only learns that it happened.
    Internal(String),
    /// 507: the server's disk is full; the write was not applied. Details are logged.
    DiskFull(String),
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
            ApiError::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::Invalid { .. } | ApiError::Unprocessable(_) | ApiError::OverBudget(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::DiskFull(_) => StatusCode::INSUFFICIENT_STORAGE,
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
            ApiError::BodyTimeout(_) => "body_timeout",
            ApiError::TooLarge(_) => "body_too_large",
            ApiError::UriTooLong(_) => "uri_too_long",
            ApiError::Invalid { .. } => "invalid_record",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::OverBudget(_) => "over_budget",
            ApiError::Unavailable { .. } => "unavailable",
            ApiError::Internal(_) => "internal",
            ApiError::DiskFull(_) => "insufficient_storage",
        }
    }

    /// The message shown to the client.
    pub fn message(&self) -> String {
        match self {
            ApiError::BadParameter(m)
            | ApiError::Unauthorized(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::BodyTimeout(m)
            | ApiError::TooLarge(m)
            | ApiError::UriTooLong(m)
            | ApiError::Unprocessable(m)
            | ApiError::OverBudget(m) => m.clone(),
            ApiError::Invalid { message, .. } | ApiError::Unavailable { message, .. } => {
                message.clone()
            }
            ApiError::MethodNotAllowed => "method not allowed on this route".into(),
            ApiError::Internal(_) => "internal error; see the server log".into(),
            ApiError::DiskFull(_) => {
                "the server's disk is full: nothing was written; retry once an operator has freed space".into()
            }
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
            ApiError::DiskFull(details) => {
                tracing::error!(details = %details, "write refused: disk full");
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
        let mut response = (status, Json(json!({ "error": error }))).into_response();
        if let ApiError::Unavailable {
            retry_after: Some(seconds),
            ..
        } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::UnknownNode { .. } | QueryError::UnknownEdge(_) => {
                ApiError::NotFound(e.to_string())
            }
            QueryError::BadParameter(m) | QueryError::BadFile(m) => ApiError::BadParameter(m),
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
            StoreError::DiskFull(m) => ApiError::DiskFull(m),
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
