//! `innograph serve`: the same queries over a small HTTP API (axum). The only module that
//! names axum.
//!
//! - [`app`] builds the router over an [`AppState`]; [`with_layers`] adds the middleware
//!   (request ids, request logs, panic catching, body limit, JSON 404/405).
//! - [`serve`] binds, prints `listening on http://ADDR`, and serves until Ctrl-C / SIGTERM,
//!   letting in-flight requests finish, then flushes the store.
//! - Reads share one analysis snapshot per store generation; expensive results are cached
//!   per generation (see [`state`]). Writes need a bearer token.

mod error;
mod handlers;
mod neighbors;
mod params;
mod queries;
pub mod state;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;
use tracing::Level;

pub use error::ApiError;
pub use params::{MAX_DEPTH, MAX_LIMIT};
pub use state::{AppState, ServerOptions};

use crate::store::Store;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 16 << 20;

/// The routes, without middleware.
pub fn routes(state: AppState) -> Router {
    let writes = Router::new()
        .route("/nodes", post(handlers::post_node))
        .route("/nodes/{id}", axum::routing::delete(handlers::delete_node))
        .route("/edges", post(handlers::post_edge))
        .route("/import", post(handlers::import))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    let reads = Router::new()
        .route("/stats", get(handlers::stats))
        .route("/nodes", get(handlers::list_nodes))
        .route("/nodes/{id}", get(handlers::get_node))
        .route("/nodes/{id}/neighbors", get(handlers::neighbors))
        .route("/centrality", get(handlers::centrality))
        .route("/gaps", get(queries::gaps))
        .route("/partners/{id}", get(queries::partners))
        .route("/path", get(queries::path))
        .route("/brokers", get(queries::brokers))
        .route("/match", get(queries::matching));
    Router::new()
        .route("/healthz", get(handlers::healthz))
        .route("/openapi.json", get(handlers::openapi))
        .nest("/api/v1", reads.merge(writes))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state)
}

/// The application: routes plus middleware.
pub fn app(state: AppState) -> Router {
    with_layers(routes(state))
}

/// Adds the middleware every route gets: request id (`x-request-id`, generated when
/// absent, echoed in the response), a request log line, JSON 500 for panics, and the body
/// limit. Public so tests can wrap routes of their own.
pub fn with_layers(router: Router) -> Router {
    router.layer(DefaultBodyLimit::max(MAX_BODY_BYTES)).layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(MakeId::default()))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|req: &Request<Body>| {
                        let id = req
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("");
                        tracing::info_span!(
                            "request",
                            id = %id,
                            method = %req.method(),
                            uri = %req.uri(),
                        )
                    })
                    .on_request(())
                    .on_response(
                        DefaultOnResponse::new()
                            .level(Level::INFO)
                            .latency_unit(LatencyUnit::Micros),
                    )
                    .on_failure(DefaultOnFailure::new().level(Level::ERROR)),
            )
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(CatchPanicLayer::custom(panic_response)),
    )
}

fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    ApiError::Internal(format!("handler panicked: {message}")).into_response()
}

/// Request ids: a per-process prefix and a counter.
#[derive(Clone)]
struct MakeId {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl Default for MakeId {
    fn default() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        MakeId {
            prefix: format!("{:x}{:05x}", std::process::id(), nanos & 0xfffff).into(),
            next: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Writes need `Authorization: Bearer <token>`: 403 when the server takes no writes
/// (`--read-only`, or no token configured), 401 when the token is missing or wrong.
async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let options = state.options();
    let Some(expected) = options.token.as_deref().filter(|_| !options.read_only) else {
        let why = if options.read_only {
            "this server is read-only (--read-only)"
        } else {
            "writes are disabled: the server was started without a token (--token or INNOGRAPH_TOKEN)"
        };
        return ApiError::Forbidden(why.into()).into_response();
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => {
            next.run(req).await
        }
        Some(_) => ApiError::Unauthorized("wrong bearer token".into()).into_response(),
        None => {
            let mut response =
                ApiError::Unauthorized("writes need `Authorization: Bearer <token>`".into())
                    .into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How `innograph serve` runs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to bind (loopback by default).
    pub addr: SocketAddr,
    /// Token and read-only flag.
    pub options: ServerOptions,
}

/// Installs the request-log subscriber (stderr; `RUST_LOG` filters, default `info`;
/// `INNOGRAPH_LOG_FORMAT=json` for JSON lines). Does nothing if one is installed.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = if std::env::var("INNOGRAPH_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Serves `store` until Ctrl-C or SIGTERM; in-flight requests finish, then the store is
/// flushed. Prints `listening on http://ADDR` (the real port when binding port 0).
pub fn serve(store: Store, config: ServeConfig) -> anyhow::Result<()> {
    init_logging();
    let store = Arc::new(store);
    let state = AppState::new(Arc::clone(&store), config.options.clone())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("innograph-http")
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        println!("listening on http://{addr}");
        let writes = match (&config.options.token, config.options.read_only) {
            (_, true) => "read-only",
            (None, false) => "writes disabled (no token)",
            (Some(_), false) => "writes need the bearer token",
        };
        tracing::info!(%addr, db = %store.path().display(), writes, "serving");
        axum::serve(listener, app(state))
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        Ok::<_, anyhow::Error>(())
    })?;
    // Blocking tasks still running (a long analysis nobody waits for) get a moment.
    runtime.shutdown_timeout(Duration::from_secs(10));
    store.flush()?;
    tracing::info!("stopped; store flushed");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
