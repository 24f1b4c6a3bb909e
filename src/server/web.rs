//! The web page: `GET /` and `GET /assets/{path}`, files embedded in the binary at build
//! time (`src/server/web/`), so the page works offline and nothing is fetched from another
//! host. Every answer carries `Content-Security-Policy: default-src 'self'`; the page uses
//! only the public `/api/v1` endpoints.

use axum::extract::Path;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// The policy of the page: its own origin only (no inline scripts or styles either).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'";

/// One embedded file.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $type:expr) => {
        Asset {
            path: $path,
            content_type: $type,
            body: include_bytes!(concat!("web/", $path)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every file the page may load, under `/assets/`.
const ASSETS: &[Asset] = &[
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
    asset!("js/app.js", JS),
    asset!("js/api.js", JS),
    asset!("js/dom.js", JS),
    asset!("js/graph.js", JS),
    asset!("js/i18n.js", JS),
    asset!("js/shape.js", JS),
    asset!("js/views/index.js", JS),
    asset!("js/views/common.js", JS),
    asset!("js/views/search.js", JS),
    asset!("js/views/actor.js", JS),
    asset!("js/views/gaps.js", JS),
    asset!("js/views/partners.js", JS),
    asset!("js/views/coverage.js", JS),
    asset!("js/views/hubs.js", JS),
    asset!("js/views/planners.js", JS),
    asset!("vendor/cytoscape.esm.min.mjs", JS),
];

const INDEX: &[u8] = include_bytes!("web/index.html");

/// The page's own headers; the security headers every response gets (`nosniff`,
/// `no-referrer`, `X-Frame-Options`) come from the server's browser-safety layer, which keeps
/// this policy instead of its API default.
fn page_headers(content_type: &'static str, cache: &'static str) -> [(HeaderName, HeaderValue); 3] {
    [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
    ]
}

/// `GET /`: the page.
pub async fn index() -> Response {
    (
        StatusCode::OK,
        page_headers("text/html; charset=utf-8", "no-cache"),
        INDEX,
    )
        .into_response()
}

/// `GET /assets/{path}`: an embedded file, or a JSON 404.
pub async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        // The files change only with the binary; `no-cache` revalidates, which for an
        // embedded file is the same request, but keeps a rebuilt server from serving a
        // stale page out of the browser's cache.
        Some(a) => (
            StatusCode::OK,
            page_headers(a.content_type, "no-cache"),
            a.body,
        )
            .into_response(),
        None => ApiError::NotFound(format!("no asset `{path}`")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_the_page_imports_is_embedded() {
        let embedded: Vec<&str> = ASSETS.iter().map(|a| a.path).collect();
        for a in ASSETS.iter().filter(|a| a.path.ends_with(".js")) {
            let text = std::str::from_utf8(a.body).unwrap();
            let dir = a.path.rsplit_once('/').map_or("", |(d, _)| d);
            for line in text.lines().filter(|l| l.starts_with("import ")) {
                let Some(spec) = line.split(['\'', '"']).nth(1) else {
                    continue;
                };
                let resolved = resolve(dir, spec);
                assert!(
                    embedded.contains(&resolved.as_str()),
                    "{} imports {spec} ({resolved}), which is not embedded",
                    a.path
                );
            }
        }
    }

    fn resolve(dir: &str, spec: &str) -> String {
        let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        for p in spec.split('/') {
            match p {
                "." => {}
                ".." => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        parts.join("/")
    }

    #[test]
    fn the_page_loads_only_embedded_assets_and_nothing_inline() {
        let html = std::str::from_utf8(INDEX).unwrap();
        assert!(!html.contains("<style"), "inline styles break the CSP");
        assert!(!html.contains(" style="), "inline styles break the CSP");
        for chunk in html.split("<script").skip(1) {
            assert!(chunk.contains("src=\"/assets/"), "inline script: {chunk}");
        }
        for attr in ["src=\"", "href=\""] {
            for chunk in html.split(attr).skip(1) {
                let target = chunk.split('"').next().unwrap();
                if let Some(path) = target.strip_prefix("/assets/") {
                    assert!(
                        ASSETS.iter().any(|a| a.path == path),
                        "{target} not embedded"
                    );
                } else {
                    assert!(
                        target.starts_with('#') || target == "/openapi.json",
                        "{target} leaves the page's assets"
                    );
                }
            }
        }
    }
}
