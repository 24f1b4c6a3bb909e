//! `innograph serve`: the same queries over a small HTTP API (axum). The only module that
//! names axum.
//!
//! - [`app`] builds the router over an [`AppState`] with its middleware: request ids and
//!   logs, panic catching, metrics, the Host/Origin checks and CORS (`guard`), request
//!   limits ([`limits`]), the write token (`auth`).
//! - [`serve`] binds, prints `listening on http://ADDR`, and serves with the connection
//!   limits of [`listener`] until Ctrl-C / SIGTERM, then stops analyses, lets requests in
//!   flight finish for a grace period, and flushes the store.
//! - Reads share one analysis snapshot per store generation; analyses run in two bounded
//!   lanes with a time budget and their results go to a byte-bounded cache ([`compute`],
//!   [`cache`]). Writes need a bearer token.

mod auth;
pub mod cache;
pub mod compute;
mod error;
mod explore;
mod guard;
mod handlers;
mod health;
pub mod limits;
pub mod listener;
mod metrics;
mod params;
mod planners;
mod queries;
mod render;
pub mod state;
mod web;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::middleware;
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

pub use auth::Token;
pub use error::ApiError;
pub use listener::ConnectionLimits;
pub use params::{MAX_DEPTH, MAX_LIMIT};
pub use state::{AppState, ServerOptions};

use crate::query::Store;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 16 << 20;

/// The routes, without middleware.
pub fn routes(state: AppState) -> Router {
    // Layers run last-added first: the token is checked before the body is read.
    let writes = Router::new()
        .route("/nodes", post(handlers::post_node))
        .route("/nodes/{id}", axum::routing::delete(handlers::delete_node))
        .route("/edges", post(handlers::post_edge))
        .route("/import", post(handlers::import))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            limits::read_body,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ));
    let reads = Router::new()
        .route("/stats", get(handlers::stats))
        .route("/nodes", get(handlers::list_nodes))
        .route("/nodes/{id}", get(handlers::get_node))
        .route("/nodes/{id}/neighbors", get(handlers::neighbors))
        .route("/nodes/{id}/edges", get(explore::edges))
        .route("/nodes/{id}/ego", get(explore::ego))
        .route("/nodes/{id}/ranks", get(explore::ranks))
        .route("/distribution", get(explore::distribution))
        .route("/centrality", get(handlers::centrality))
        .route("/gaps", get(queries::gaps))
        .route("/partners/{id}", get(queries::partners))
        .route("/path", get(queries::path))
        .route("/brokers", get(queries::brokers))
        .route("/match", get(queries::matching))
        .route("/connect", get(queries::connect))
        .route("/trends", get(planners::trends))
        .route("/consortia", get(planners::consortia))
        .route("/synergy", get(planners::synergy))
        .route("/engagement", get(planners::engagement))
        .route("/platforms", get(planners::platforms))
        .route("/universities", get(planners::universities));
    Router::new()
        .route("/", get(web::index))
        .route("/assets/{*path}", get(web::asset))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::metrics))
        .route("/openapi.json", get(handlers::openapi))
        .nest("/api/v1", reads.merge(writes))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state)
}

/// The application: routes plus middleware. Metrics count every request, refused ones
/// included; the Host/Origin checks run before the request limits and the handlers.
pub fn app(state: AppState) -> Router {
    let log_query = state.options().log_query;
    let router = routes(state.clone())
        .layer(middleware::from_fn(limits::uri_length))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::browser_safety,
        ))
        .layer(middleware::from_fn_with_state(state, metrics::track));
    layers(router, log_query)
}

/// Adds the middleware every route gets: request id (`x-request-id`, generated when
/// absent, echoed in the response), a request log line (path without the query string),
/// JSON 500 for panics, and the body limit. Public so tests can wrap routes of their own.
pub fn with_layers(router: Router) -> Router {
    layers(router, false)
}

fn layers(router: Router, log_query: bool) -> Router {
    router.layer(DefaultBodyLimit::max(MAX_BODY_BYTES)).layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(MakeId::default()))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(move |req: &Request<Body>| {
                        let id = req
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("");
                        let target = if log_query {
                            req.uri().to_string()
                        } else {
                            req.uri().path().to_string()
                        };
                        tracing::info_span!(
                            "request",
                            id = %id,
                            method = %req.method(),
                            path = %target,
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

/// How `innograph serve` runs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to bind (loopback by default).
    pub addr: SocketAddr,
    /// Token, read-only flag, cache, budgets, browser policy.
    pub options: ServerOptions,
    /// Connection cap and timeouts.
    pub limits: ConnectionLimits,
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

/// Serves `store` until Ctrl-C or SIGTERM, then: no new connections, analyses stopped,
/// requests in flight get the grace period, the rest are dropped, and the store is flushed.
/// Prints `listening on http://ADDR` (the real port when binding port 0).
pub fn serve(store: Store, config: ServeConfig) -> anyhow::Result<()> {
    init_logging();
    let store = Arc::new(store);
    let state = AppState::new(Arc::clone(&store), config.options.clone())?;
    // Blocking threads serve store reads and writes and the analysis lanes (whose own slots
    // bound the long computations); 64 is far above what two lanes and short reads need, and
    // keeps a flood of requests from growing hundreds of threads.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("innograph-http")
        .max_blocking_threads(64)
        .build()?;
    let limits = config.limits;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        println!("listening on http://{addr}");
        let writes = match (&config.options.token, config.options.read_only) {
            (_, true) => "read-only",
            (None, false) => "writes disabled (no token)",
            (Some(_), false) => "writes need the bearer token",
        };
        tracing::info!(
            %addr,
            db = %store.path().display(),
            writes,
            cache_mb = config.options.cache_bytes >> 20,
            max_compute_s = config.options.max_compute.as_secs_f64(),
            max_connections = limits.max_connections,
            "serving"
        );
        let stop = state.clone();
        let signal = async move {
            shutdown_signal().await;
            stop.stop_analyses();
        };
        listener::serve(listener, app(state.clone()), state, limits, signal).await;
        Ok::<_, anyhow::Error>(())
    })?;
    // Connections still open after the grace period are dropped with the runtime; analyses
    // were told to stop, and blocking work that cannot stop is not waited for long.
    runtime.shutdown_timeout(Duration::from_secs(1));
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
