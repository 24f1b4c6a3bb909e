//! `GET /healthz`: whether the server answers, and whether a write sent now could succeed —
//! writes enabled, the last write did not fail for a reason of the server's (disk full,
//! store in error), and the database's file system has room.

use std::path::Path;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::state::AppState;

/// Below this much free space on the database's file system, `/healthz` says writes are not
/// possible: a write stages its records and a new snapshot before it publishes.
pub const MIN_FREE_BYTES: u64 = 64 << 20;

/// Bytes available to this process on the file system holding `path` (`None` where the
/// platform cannot tell).
pub fn free_bytes(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::fs::statvfs(path)
            .ok()
            .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Why writes are not possible now, or `None` when they are.
fn writes_blocked(state: &AppState, free: Option<u64>) -> Option<String> {
    let options = state.options();
    if options.read_only {
        return Some("the server is read-only (--read-only)".into());
    }
    if options.token.is_none() {
        return Some("no write token configured (INNOGRAPH_TOKEN or --token-file)".into());
    }
    if let Some(failure) = state.write_failure() {
        let ago = failure.at.elapsed().map_or(0, |d| d.as_secs());
        return Some(format!(
            "the last write failed {ago} s ago: {}",
            failure.message
        ));
    }
    match free {
        Some(bytes) if bytes < MIN_FREE_BYTES => Some(format!(
            "the database's file system has {} MiB free (at least {} MiB needed)",
            bytes >> 20,
            MIN_FREE_BYTES >> 20
        )),
        _ => None,
    }
}

/// `GET /healthz`: `status` is `ok`, or `degraded` when writes are enabled but cannot
/// succeed now (`writes_error` says why). Always 200 while the server answers reads.
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    // The published generation, read from the store: a probe does not derive the
    // analysis snapshot after a write.
    let generation = state.store().generation();
    let free = free_bytes(state.store().path());
    let blocked = writes_blocked(&state, free);
    let degraded = state.options().writes_enabled() && blocked.is_some();
    let mut body = json!({
        "status": if degraded { "degraded" } else { "ok" },
        "generation": generation,
        "writes": blocked.is_none(),
    });
    if let Some(why) = blocked {
        body["writes_error"] = json!(why);
    }
    if let Some(bytes) = free {
        body["disk_free_bytes"] = json!(bytes);
    }
    Ok(Json(body))
}
