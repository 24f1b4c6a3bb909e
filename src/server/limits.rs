//! Request-level limits, checked before any work: the length of the request target, and
//! the time and size allowed for a write's body.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::state::AppState;
use super::MAX_BODY_BYTES;

/// Longest accepted request target (path and query), in bytes: room for any id (at most
/// 512 bytes, 1,536 once percent-encoded) and every parameter.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Middleware: 414 for a request target longer than [`MAX_URI_BYTES`].
pub async fn uri_length(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if len > MAX_URI_BYTES {
        return ApiError::UriTooLong(format!(
            "the request target is {len} bytes long; at most {MAX_URI_BYTES} accepted"
        ))
        .into_response();
    }
    next.run(req).await
}

/// Middleware of write routes: reads the whole body within the body timeout (408, and the
/// connection closed, when it does not arrive in time) and the size limit (413).
pub async fn read_body(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let timeout: Duration = state.options().body_timeout;
    let (parts, body) = req.into_parts();
    let bytes =
        match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e)) => {
                let too_large = std::error::Error::source(&e)
                    .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
                let error = if too_large {
                    ApiError::TooLarge(format!("request body larger than {MAX_BODY_BYTES} bytes"))
                } else {
                    ApiError::BadParameter(format!("cannot read the request body: {e}"))
                };
                return close(error.into_response());
            }
            Err(_) => {
                return close(
                    ApiError::BodyTimeout(format!(
                        "the request body did not arrive within {} s",
                        timeout.as_secs()
                    ))
                    .into_response(),
                )
            }
        };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn close(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
