//! `GET /metrics`: counters in the Prometheus text format (version 0.0.4): requests by route,
//! method and status, a latency histogram per route, the cache, the analysis lanes, the
//! connections and the store generation. Routes are the router's patterns
//! (`/api/v1/nodes/{id}`), so the number of series stays bounded whatever clients send.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0,
];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|&b| seconds <= b) {
            self.counts[i] += 1;
        }
        self.sum += seconds;
        self.count += 1;
    }
}

/// Route pattern, method label, status.
type Series = (String, &'static str, u16);

#[derive(Default, Clone)]
struct Requests {
    by_status: BTreeMap<Series, u64>,
    latency: BTreeMap<String, Histogram>,
}

/// Request and connection counters of one server.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<Requests>,
    /// Connections open now.
    pub connections_open: AtomicU64,
    /// Connections accepted since start.
    pub connections_accepted: AtomicU64,
    /// Connections refused with a 503 because too many were open, since start.
    pub connections_refused: AtomicU64,
    /// Connections closed before their first request to make room for a new one, since start.
    pub connections_evicted: AtomicU64,
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, route: &str, method: &Method, status: u16, elapsed: Duration) {
        let mut r = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *r.by_status
            .entry((route.to_string(), method_label(method), status))
            .or_insert(0) += 1;
        r.latency
            .entry(route.to_string())
            .or_default()
            .observe(elapsed.as_secs_f64());
    }

    fn snapshot(&self) -> Requests {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Middleware: counts every request under its route pattern (`unmatched` for unknown routes).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_string();
    let method = req.method().clone();
    let response = next.run(req).await;
    state.metrics().record(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// Escapes a label value (backslash, quote, newline).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn single(out: &mut String, name: &str, kind: &str, help: &str, value: impl std::fmt::Display) {
    family(out, name, kind, help);
    let _ = writeln!(out, "{name} {value}");
}

/// The whole exposition.
pub fn render(state: &AppState) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let Requests { by_status, latency } = state.metrics().snapshot();
    family(
        &mut out,
        "innograph_http_requests_total",
        "counter",
        "HTTP requests answered, by route pattern, method and status.",
    );
    for ((route, method, status), n) in &by_status {
        let _ = writeln!(
            out,
            "innograph_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
            label(route)
        );
    }
    family(
        &mut out,
        "innograph_http_request_duration_seconds",
        "histogram",
        "Time from receiving a request's head to its response, by route pattern.",
    );
    for (route, h) in &latency {
        let route = label(route);
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(h.counts) {
            cumulative += n;
            let _ = writeln!(
                out,
                "innograph_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "innograph_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
            h.count
        );
        let _ = writeln!(
            out,
            "innograph_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
            h.sum
        );
        let _ = writeln!(
            out,
            "innograph_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
            h.count
        );
    }
    let m = state.metrics();
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
    single(
        &mut out,
        "innograph_connections_open",
        "gauge",
        "HTTP connections open now.",
        load(&m.connections_open),
    );
    single(
        &mut out,
        "innograph_connections_accepted_total",
        "counter",
        "HTTP connections accepted.",
        load(&m.connections_accepted),
    );
    single(
        &mut out,
        "innograph_connections_refused_total",
        "counter",
        "Connections answered 503 because --max-connections were open.",
        load(&m.connections_refused),
    );
    single(
        &mut out,
        "innograph_connections_evicted_total",
        "counter",
        "Connections without a request closed at the cap to make room for a new one.",
        load(&m.connections_evicted),
    );
    let cache = state.cache_stats();
    single(
        &mut out,
        "innograph_cache_bytes",
        "gauge",
        "Bytes held by the result cache (keys, values, overhead).",
        cache.bytes,
    );
    single(
        &mut out,
        "innograph_cache_capacity_bytes",
        "gauge",
        "Cap of the result cache (--cache-mb).",
        cache.capacity,
    );
    single(
        &mut out,
        "innograph_cache_entries",
        "gauge",
        "Results held by the cache.",
        cache.entries,
    );
    single(
        &mut out,
        "innograph_cache_hits_total",
        "counter",
        "Analyses answered from the cache.",
        cache.hits,
    );
    single(
        &mut out,
        "innograph_cache_misses_total",
        "counter",
        "Analyses not found in the cache.",
        cache.misses,
    );
    single(
        &mut out,
        "innograph_cache_evictions_total",
        "counter",
        "Results evicted to make room.",
        cache.evictions,
    );
    let compute = state.compute_stats();
    for (name, help, light, heavy) in [
        (
            "innograph_analyses_running",
            "Analyses running, by lane.",
            compute.light.running,
            compute.heavy.running,
        ),
        (
            "innograph_analyses_queued",
            "Analyses waiting for a slot, by lane.",
            compute.light.queued,
            compute.heavy.queued,
        ),
        (
            "innograph_analyses_slots",
            "Analysis slots, by lane.",
            compute.light.slots,
            compute.heavy.slots,
        ),
    ] {
        family(&mut out, name, "gauge", help);
        let _ = writeln!(out, "{name}{{lane=\"light\"}} {light}");
        let _ = writeln!(out, "{name}{{lane=\"heavy\"}} {heavy}");
    }
    single(
        &mut out,
        "innograph_analyses_over_budget_total",
        "counter",
        "Analyses stopped by the time budget (--max-compute-s).",
        compute.over_budget,
    );
    single(
        &mut out,
        "innograph_analyses_rejected_total",
        "counter",
        "Analyses refused with 503 because their lane was full.",
        compute.rejected,
    );
    single(
        &mut out,
        "innograph_analyses_abandoned_total",
        "counter",
        "Analyses cancelled because every client waiting for them had gone.",
        compute.abandoned,
    );
    single(
        &mut out,
        "innograph_store_generation",
        "gauge",
        "Published store generation.",
        state.store().generation(),
    );
    single(
        &mut out,
        "innograph_writes_ok",
        "gauge",
        "1 when writes are enabled and the last write did not fail, else 0.",
        u8::from(state.options().writes_enabled() && state.write_failure().is_none()),
    );
    out
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(&state),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_in_the_exposition_order() {
        let mut h = Histogram::default();
        h.observe(0.0002);
        h.observe(0.02);
        h.observe(100.0);
        assert_eq!(h.count, 3);
        assert_eq!(h.counts.iter().sum::<u64>(), 2, "100 s is only in +Inf");
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    #[test]
    fn unusual_methods_share_one_label() {
        let m = Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&m), "other");
    }
}
