//! Shared server state: the store, the configuration, an [`ArcSwap`] of the current
//! [`Generation`] (the analysis snapshot of the published store generation), the analyses
//! (their lanes and the result cache, see [`super::compute`]), the metrics and whether
//! writes currently succeed.
//!
//! Freshness: this process holds the database (its lock), so every write goes through
//! the server. A write publishes its generation at commit and answers without rebuilding
//! the analysis snapshot (a small write costs O(change); point reads such as `GET
//! /nodes/{id}` read the store, not the snapshot). Every request that needs the snapshot
//! compares the published generation with the current one (one lock-free load and one
//! read lock) and, when they differ, swaps in a new [`Generation`] whose snapshot is
//! derived from the previous one plus the writes' changes, so no request ever sees a stale
//! analysis snapshot once a write has returned; the first such request after a run of
//! writes pays that derivation once. Cached results belong to one generation; a swap
//! drops them.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;

use super::auth::Token;
use super::cache::{default_capacity, CacheStats, HeapSize};
use super::compute::{Analyses, ComputeLimits, ComputeStats, Cost};
use super::error::ApiError;
use super::metrics::Metrics;
use crate::query::Observer;
use crate::query::{KeptModels, Snapshot, Store};

/// How the server was configured.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The bearer token that writes must present; writes are refused (403) without one.
    pub token: Option<Token>,
    /// Refuse every write (403).
    pub read_only: bool,
    /// Cap of the result cache in bytes (keys and values).
    pub cache_bytes: usize,
    /// Time budget of one analysis.
    pub max_compute: Duration,
    /// Time allowed to receive a whole request body.
    pub body_timeout: Duration,
    /// Host names accepted in `Host` and `Origin` besides loopback names and IP literals.
    pub allowed_hosts: Vec<String>,
    /// Origins allowed to read the API from a browser (CORS); `*` for any. Empty: CORS off.
    pub cors_origins: Vec<String>,
    /// Log query strings (off by default: they may hold what users searched for).
    pub log_query: bool,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            token: None,
            read_only: false,
            cache_bytes: default_capacity(),
            max_compute: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            allowed_hosts: Vec::new(),
            cors_origins: Vec::new(),
            log_query: false,
        }
    }
}

impl ServerOptions {
    /// Whether writes are enabled at all (a token is set and not `--read-only`).
    pub fn writes_enabled(&self) -> bool {
        !self.read_only && self.token.is_some()
    }
}

/// The published generation and its analysis snapshot.
pub struct Generation {
    /// The published generation number.
    pub generation: u64,
    /// Its analysis snapshot.
    pub snapshot: Arc<Snapshot>,
}

/// The last write that failed for a reason of the server's (not of the request's), until a
/// later write succeeds: what `/healthz` reports as "writes failing".
#[derive(Debug, Clone)]
pub struct WriteFailure {
    /// The error, as logged.
    pub message: String,
    /// When it happened.
    pub at: SystemTime,
}

struct Inner {
    store: Arc<Store>,
    options: ServerOptions,
    current: ArcSwap<Generation>,
    analyses: Arc<Analyses>,
    metrics: Metrics,
    write_failure: Mutex<Option<WriteFailure>>,
    /// Held by a write handler's whole work (the write and the read of what it stored).
    writes: Arc<Mutex<()>>,
    /// Rankers `gaps` and `partners` trained, kept in memory per pair of kinds.
    models: Arc<KeptModels>,
}

/// What every handler gets: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// State over an open store.
    pub fn new(store: Arc<Store>, options: ServerOptions) -> Result<AppState, ApiError> {
        let snapshot = store.snapshot().map_err(ApiError::internal)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let analyses = Arc::new(Analyses::new(ComputeLimits {
            cache_bytes: options.cache_bytes,
            max_compute: options.max_compute,
            cores,
        }));
        Ok(AppState(Arc::new(Inner {
            store,
            options,
            current: ArcSwap::from_pointee(Generation {
                generation: snapshot.generation(),
                snapshot,
            }),
            analyses,
            metrics: Metrics::default(),
            write_failure: Mutex::new(None),
            writes: Arc::new(Mutex::new(())),
            models: Arc::new(KeptModels::default()),
        })))
    }

    /// The store.
    pub fn store(&self) -> &Arc<Store> {
        &self.0.store
    }

    /// The rankers kept in memory.
    pub fn models(&self) -> Arc<KeptModels> {
        Arc::clone(&self.0.models)
    }

    /// The configuration.
    pub fn options(&self) -> &ServerOptions {
        &self.0.options
    }

    /// Request and connection counters.
    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// What the result cache holds.
    pub fn cache_stats(&self) -> CacheStats {
        self.0.analyses.cache().stats()
    }

    /// Counters of the analysis lanes.
    pub fn compute_stats(&self) -> ComputeStats {
        self.0.analyses.stats()
    }

    /// Stops running analyses at their next check and refuses new ones (shutdown).
    pub fn stop_analyses(&self) {
        self.0.analyses.shut_down();
    }

    /// The state of the published generation (swapped in first if a write published a new
    /// one since the last swap).
    pub fn current(&self) -> Result<Arc<Generation>, ApiError> {
        let cur = self.0.current.load_full();
        if cur.generation == self.0.store.generation() {
            return Ok(cur);
        }
        self.refresh()
    }

    /// Swaps in the state of the published generation (when a request finds it changed).
    pub fn refresh(&self) -> Result<Arc<Generation>, ApiError> {
        let snapshot = self.0.store.snapshot().map_err(ApiError::internal)?;
        let cur = self.0.current.load_full();
        if cur.generation == snapshot.generation() {
            return Ok(cur);
        }
        let next = Arc::new(Generation {
            generation: snapshot.generation(),
            snapshot,
        });
        self.0.current.store(Arc::clone(&next));
        self.0.analyses.cache().advance(next.generation);
        tracing::info!(generation = next.generation, "analysis snapshot swapped in");
        Ok(next)
    }

    /// Runs blocking store work off the async executor.
    pub async fn blocking<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    {
        let store = Arc::clone(&self.0.store);
        tokio::task::spawn_blocking(move || work(&store))
            .await
            .map_err(ApiError::from_join)?
    }

    /// Runs a write off the executor, one at a time: `work` (the write and whatever it
    /// reads back for the response) runs whole before the next write starts, so a `201`
    /// shows what that write stored, never a concurrent `DELETE`'s effect. Remembers
    /// whether it failed for a reason of the server's (a full disk, an internal error of
    /// the store) for `/healthz`. The new generation's snapshot is derived when a request
    /// first needs it ([`AppState::current`]), not here: a run of small writes costs
    /// O(change) each.
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    {
        let writes = Arc::clone(&self.0.writes);
        let result = self
            .blocking(move |store| {
                let _one_at_a_time = writes.lock().unwrap_or_else(|p| p.into_inner());
                work(store)
            })
            .await;
        let mut failure = self
            .0
            .write_failure
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        match &result {
            Ok(_) => *failure = None,
            Err(ApiError::Internal(message) | ApiError::DiskFull(message)) => {
                *failure = Some(WriteFailure {
                    message: message.clone(),
                    at: SystemTime::now(),
                });
            }
            Err(_) => {}
        }
        drop(failure);
        result
    }

    /// The last write failure, unless a write succeeded since.
    pub fn write_failure(&self) -> Option<WriteFailure> {
        self.0
            .write_failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The result of `compute` for `key` on the current generation: computed once (off the
    /// executor, in `cost`'s lane, within the time budget; concurrent requests for the same
    /// key wait for the same computation), then a lookup until the next write or until the
    /// cache needs the room. Errors are not cached. `compute` gets an observer to pass to
    /// algorithms that can stop early.
    ///
    /// Adding a cached endpoint is: build a key from the normalised request (leave out
    /// parameters that cannot change the answer), call this with a closure calling the query
    /// function, render the result.
    pub async fn cached<T, F>(
        &self,
        key: String,
        cost: Cost,
        compute: F,
    ) -> Result<Arc<T>, ApiError>
    where
        T: HeapSize + Send + Sync + 'static,
        F: FnOnce(&Store, &Arc<Snapshot>, &dyn Observer) -> Result<T, ApiError> + Send + 'static,
    {
        let generation = self.current()?;
        let store = Arc::clone(&self.0.store);
        let snapshot = Arc::clone(&generation.snapshot);
        self.0
            .analyses
            .get_or_compute(generation.generation, key, cost, move |budget| {
                compute(&store, &snapshot, budget)
            })
            .await
    }
}
