//! Browser safety: which `Host` and `Origin` the server answers, CORS, and the security
//! headers of every response.
//!
//! - **Host allow-list** (against DNS rebinding, where a foreign page makes its own host
//!   name resolve to this server): a request is answered only when its `Host` is an IP
//!   literal, `localhost` (or a name under `.localhost`), or a name given with
//!   `--allow-host`. IP literals are safe: a rebinding page always sends its own name.
//! - **Origin**: a request that carries an `Origin` (browsers send it on cross-origin
//!   requests and on same-origin writes) is answered only when that origin's host passes the
//!   same list or the origin is a configured CORS origin; otherwise 403 before any work.
//! - **CORS** is off unless `--cors-origin` names origins (or `*`): then their preflights
//!   are answered and their responses carry `Access-Control-Allow-Origin`.
//! - Every response gets `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
//!   `X-Frame-Options: DENY` and, unless the route set its own, a `Content-Security-Policy`
//!   that allows nothing (the API serves data, not pages).

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::state::AppState;

/// Methods announced to CORS preflights.
const CORS_METHODS: &str = "GET, HEAD, POST, DELETE, OPTIONS";
/// Request headers announced to CORS preflights.
const CORS_HEADERS: &str = "authorization, content-type, x-request-id";
/// Response headers a cross-origin page may read.
const CORS_EXPOSE: &str = "x-request-id, retry-after";

/// The host part of a `Host` header or of an origin's authority (`name`, `name:port`,
/// `[v6]:port`), lower-cased, without a trailing dot.
fn host_name(authority: &str) -> &str {
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    host.strip_suffix('.').unwrap_or(host)
}

/// Whether a request for `authority` may be answered (see the module documentation).
pub fn host_allowed(authority: &str, extra: &[String]) -> bool {
    let name = host_name(authority);
    if name.is_empty() {
        return false;
    }
    if name.parse::<IpAddr>().is_ok() {
        return true;
    }
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || extra.iter().any(|allowed| {
            let allowed = allowed.trim_end_matches('.').to_ascii_lowercase();
            match allowed.strip_prefix("*.") {
                Some(domain) => name.ends_with(&format!(".{domain}")),
                None => allowed == name,
            }
        })
}

/// The authority of an origin (`scheme://authority`), if it is one.
fn origin_authority(origin: &str) -> Option<&str> {
    let (scheme, rest) = origin.split_once("://")?;
    (matches!(scheme, "http" | "https") && !rest.is_empty() && !rest.contains('/')).then_some(rest)
}

/// How the request's `Origin` relates to the configuration.
enum OriginCheck {
    /// No `Origin` header.
    Absent,
    /// A host on the allow-list (e.g. the page this server serves): answered, no CORS.
    Allowed,
    /// A configured CORS origin: answered with CORS headers.
    Cors(HeaderValue),
    /// Anything else.
    Refused(String),
}

fn check_origin(headers: &HeaderMap, state: &AppState) -> OriginCheck {
    let Some(value) = headers.get(header::ORIGIN) else {
        return OriginCheck::Absent;
    };
    let options = state.options();
    let text = value.to_str().unwrap_or("");
    let cors = &options.cors_origins;
    if cors.iter().any(|o| o == "*") {
        return OriginCheck::Cors(HeaderValue::from_static("*"));
    }
    if cors.iter().any(|o| o.trim_end_matches('/') == text) {
        return OriginCheck::Cors(value.clone());
    }
    match origin_authority(text) {
        Some(authority) if host_allowed(authority, &options.allowed_hosts) => OriginCheck::Allowed,
        _ => OriginCheck::Refused(text.chars().take(200).collect()),
    }
}

fn add_cors(headers: &mut HeaderMap, origin: HeaderValue) {
    let wildcard = origin.as_bytes() == b"*";
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(CORS_EXPOSE),
    );
    if !wildcard {
        headers.append(header::VARY, HeaderValue::from_static("origin"));
    }
}

fn add_security_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'",
        ));
}

/// Middleware: the Host and Origin checks, CORS, and the security headers.
pub async fn browser_safety(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let options = state.options();
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or(""))
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    let mut response = match host {
        Some(h) if !host_allowed(h, &options.allowed_hosts) => ApiError::Forbidden(format!(
            "host `{}` is not served here; start the server with --allow-host {} to serve it",
            h.chars().take(200).collect::<String>(),
            host_name(h).chars().take(200).collect::<String>()
        ))
        .into_response(),
        _ => match check_origin(req.headers(), &state) {
            OriginCheck::Refused(origin) => ApiError::Forbidden(format!(
                "requests from origin `{origin}` are not accepted (see --cors-origin)"
            ))
            .into_response(),
            OriginCheck::Cors(origin) => {
                let preflight = req.method() == Method::OPTIONS
                    && req
                        .headers()
                        .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
                let mut response = if preflight {
                    let mut r = StatusCode::NO_CONTENT.into_response();
                    let h = r.headers_mut();
                    h.insert(
                        header::ACCESS_CONTROL_ALLOW_METHODS,
                        HeaderValue::from_static(CORS_METHODS),
                    );
                    h.insert(
                        header::ACCESS_CONTROL_ALLOW_HEADERS,
                        HeaderValue::from_static(CORS_HEADERS),
                    );
                    h.insert(
                        header::ACCESS_CONTROL_MAX_AGE,
                        HeaderValue::from_static("600"),
                    );
                    r
                } else {
                    next.run(req).await
                };
                add_cors(response.headers_mut(), origin);
                response
            }
            OriginCheck::Absent | OriginCheck::Allowed => next.run(req).await,
        },
    };
    add_security_headers(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_ip_literals_are_allowed() {
        for h in [
            "localhost",
            "localhost:8080",
            "LOCALHOST.",
            "app.localhost:1",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[::1]",
            "10.1.2.3:80",
        ] {
            assert!(host_allowed(h, &[]), "{h}");
        }
    }

    #[test]
    fn other_names_need_allow_host() {
        for h in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "",
        ] {
            assert!(!host_allowed(h, &[]), "{h}");
        }
        let extra = vec!["graph.internal".to_string(), "*.corp.example".to_string()];
        assert!(host_allowed("graph.internal:8080", &extra));
        assert!(host_allowed("GRAPH.internal", &extra));
        assert!(host_allowed("a.corp.example", &extra));
        assert!(!host_allowed("corp.example", &extra));
        assert!(!host_allowed("evilcorp.example", &extra));
    }

    #[test]
    fn origins_are_parsed_strictly() {
        assert_eq!(
            origin_authority("http://localhost:8080"),
            Some("localhost:8080")
        );
        assert_eq!(origin_authority("https://[::1]"), Some("[::1]"));
        assert_eq!(origin_authority("null"), None);
        assert_eq!(origin_authority("file://"), None);
        assert_eq!(origin_authority("http://a/b"), None);
    }
}
