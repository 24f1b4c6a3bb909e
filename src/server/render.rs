//! Answers kept as JSON text: analyses are serialised once, when computed, and cached as
//! [`RawValue`]s, so the cache can weigh them exactly and a page of a cached list is a copy
//! of its rows' text, not a new serialisation.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::error::ApiError;
use super::params::Page;

/// Rows of a list answer, each one JSON object as text.
pub type Rows = Vec<Box<RawValue>>;

/// One value as JSON text.
pub fn raw<T: Serialize + ?Sized>(value: &T) -> Result<Box<RawValue>, ApiError> {
    serde_json::value::to_raw_value(value).map_err(ApiError::internal)
}

/// Each item as JSON text, each row allocated at its exact length: serialised into one reused
/// buffer and then copied, rather than into a growing string shrunk afterwards (which left
/// every small row's heap chunk about half as large again as its text, so cached lists held
/// ~1.7× the memory the cache counted — BENCHMARKS.md, issue 13 memory probe).
pub fn rows<T: Serialize>(items: &[T]) -> Result<Rows, ApiError> {
    let mut scratch = Vec::with_capacity(512);
    items
        .iter()
        .map(|item| {
            scratch.clear();
            serde_json::to_writer(&mut scratch, item).map_err(ApiError::internal)?;
            let text = std::str::from_utf8(&scratch).map_err(ApiError::internal)?;
            RawValue::from_string(text.to_owned()).map_err(ApiError::internal)
        })
        .collect()
}

/// The elements of a JSON array as rows (any other value is one row).
pub fn rows_of(value: Value) -> Result<Rows, ApiError> {
    match value {
        Value::Array(items) => rows(&items),
        other => Ok(vec![raw(&other)?]),
    }
}

/// A JSON answer from text that is already JSON.
pub fn json_text(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// The page envelope `{"items","total","offset","limit"}` of `all`.
pub fn envelope(page: Page, all: &[Box<RawValue>]) -> Response {
    let shown = all.iter().skip(page.offset).take(page.limit);
    let mut text =
        String::with_capacity(64 + shown.clone().map(|r| r.get().len() + 1).sum::<usize>());
    text.push_str("{\"items\":[");
    for (i, row) in shown.enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(row.get());
    }
    text.push_str(&format!(
        "],\"total\":{},\"offset\":{},\"limit\":{}}}",
        all.len(),
        page.offset,
        page.limit
    ));
    json_text(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_envelope_is_valid_json_with_the_page() {
        let all = rows(&[
            serde_json::json!({"id": "a"}),
            serde_json::json!({"id": "b"}),
        ])
        .unwrap();
        let response = envelope(
            Page {
                offset: 1,
                limit: 5,
            },
            &all,
        );
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"items": [{"id": "b"}], "total": 2, "offset": 1, "limit": 5})
        );
    }
}
