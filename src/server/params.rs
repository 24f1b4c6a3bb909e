//! Query-string parameters: parsed once, checked against the names an endpoint accepts
//! (a misspelt parameter is a 400, not silently ignored), with bounded numbers.

use std::ops::{Bound, RangeBounds};

use super::error::ApiError;
use crate::model::MAX_ID_BYTES;

/// Largest accepted `limit` and `top`.
pub const MAX_LIMIT: usize = 10_000;
/// Largest accepted neighbourhood depth.
pub const MAX_DEPTH: usize = crate::query::MAX_DEPTH;
/// Default page size.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest accepted offset, seed and count: the largest integer JSON clients read exactly
/// (2^53 − 1), so that every accepted number round-trips through any client.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Parameters that are booleans: given without a value (`?coverage`), they mean `true`.
const FLAGS: &[&str] = &[
    "coverage",
    "directed",
    "include_existing",
    "induce",
    "weighted",
    "with_attributes",
];

/// Rejects an id no node can have (longer than the format allows) before any work: a 404
/// that costs nothing, instead of a search for similar ids.
pub fn check_id(id: &str) -> Result<(), ApiError> {
    if id.len() > MAX_ID_BYTES {
        return Err(ApiError::NotFound(format!(
            "no node has an id of {} bytes: ids are at most {MAX_ID_BYTES} bytes",
            id.len()
        )));
    }
    Ok(())
}

/// The parameters of one request, in order.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a raw query string and rejects names not in `allowed`.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = match raw {
            None | Some("") => Vec::new(),
            Some(q) => serde_urlencoded::from_str(q)
                .map_err(|e| ApiError::BadParameter(format!("malformed query string: {e}")))?,
        };
        for (k, v) in &pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::BadParameter(format!(
                    "unknown parameter `{k}` (accepted: {})",
                    allowed.join(", ")
                )));
            }
            if v.trim().is_empty() && !FLAGS.contains(&k.as_str()) {
                return Err(ApiError::BadParameter(format!(
                    "`{k}` is empty; leave it out to use its default"
                )));
            }
        }
        Ok(Params(pairs))
    }

    /// The last value of `name` (never empty: [`Params::parse`] rejects empty values).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// Whether `name` was given at all.
    pub fn is_given(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Every value of `name`, repeated or comma-separated.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A boolean flag, as the OpenAPI document states it: absent → false; `true` → true;
    /// `false` → false; given without a value (`?coverage`, only for the names in `FLAGS`,
    /// documented with `allowEmptyValue`) → true. Anything else is a 400.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.0.iter().rev().find(|(k, _)| k == name) {
            None => Ok(false),
            Some((_, v)) => match v.trim() {
                "" | "true" => Ok(true),
                "false" => Ok(false),
                other => Err(ApiError::BadParameter(format!(
                    "`{name}` must be true or false, got `{other}`"
                ))),
            },
        }
    }

    /// A parsed value, or `None` when absent.
    pub fn parsed<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                ApiError::BadParameter(format!("`{name}` must be a number, got `{v}`"))
            }),
        }
    }

    /// A whole number in `min..=max`, or `default` when absent.
    pub fn bounded(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        let v = self.parsed::<usize>(name)?.unwrap_or(default);
        if v < min || v > max {
            return Err(ApiError::BadParameter(format!(
                "`{name}` must be between {min} and {max}, got {v}"
            )));
        }
        Ok(v)
    }

    /// A real number within `range` (bounds may be open), or `default` when absent.
    pub fn real(
        &self,
        name: &str,
        default: f64,
        range: (Bound<f64>, Bound<f64>),
    ) -> Result<f64, ApiError> {
        let v = self.parsed::<f64>(name)?.unwrap_or(default);
        if !range.contains(&v) {
            let lower = match range.0 {
                Bound::Included(x) => format!("[{x}"),
                Bound::Excluded(x) => format!("({x}"),
                Bound::Unbounded => "(-inf".into(),
            };
            let upper = match range.1 {
                Bound::Included(x) => format!("{x}]"),
                Bound::Excluded(x) => format!("{x})"),
                Bound::Unbounded => "inf)".into(),
            };
            return Err(ApiError::BadParameter(format!(
                "`{name}` must be in {lower}, {upper}, got {v}"
            )));
        }
        Ok(v)
    }

    /// A seed (0..=[`MAX_SAFE_INTEGER`]), or `default` when absent.
    pub fn seed(&self, name: &str, default: u64) -> Result<u64, ApiError> {
        Ok(self.bounded(name, default as usize, 0, MAX_SAFE_INTEGER as usize)? as u64)
    }

    /// `offset` (0..=[`MAX_SAFE_INTEGER`]) and `limit` (1..=[`MAX_LIMIT`], default
    /// [`DEFAULT_LIMIT`]).
    pub fn page(&self) -> Result<Page, ApiError> {
        Ok(Page {
            offset: self.bounded("offset", 0, 0, MAX_SAFE_INTEGER as usize)?,
            limit: self.bounded("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?,
        })
    }
}

/// A page of a list.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Items skipped.
    pub offset: usize,
    /// Items at most.
    pub limit: usize,
}

impl Page {
    /// The envelope around items already cut to this page.
    pub fn wrap(&self, items: serde_json::Value, total: usize) -> serde_json::Value {
        serde_json::json!({
            "items": items,
            "total": total,
            "offset": self.offset,
            "limit": self.limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(query: &str, name: &str) -> Result<bool, ApiError> {
        Params::parse(Some(query), &["coverage", "robust"])?.flag(name)
    }

    #[test]
    fn flags_take_the_documented_booleans_only() {
        assert!(flag("coverage=true", "coverage").unwrap());
        assert!(!flag("coverage=false", "coverage").unwrap());
        assert!(!flag("", "coverage").unwrap());
        // Documented with allowEmptyValue: given without a value it means true.
        assert!(flag("coverage", "coverage").unwrap());
        assert!(flag("coverage=", "coverage").unwrap());
        for other in ["1", "0", "yes", "no", "TRUE", "maybe"] {
            assert!(
                flag(&format!("coverage={other}"), "coverage").is_err(),
                "{other}"
            );
        }
        // A boolean without allowEmptyValue must have its value.
        assert!(flag("robust=", "robust").is_err());
        assert!(flag("robust=true", "robust").unwrap());
    }
}
