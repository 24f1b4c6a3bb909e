//! Shared server state: the store, the configuration, and an [`ArcSwap`] of the current
//! [`Generation`] — the analysis snapshot of the published store generation together with
//! a cache of results computed on it.
//!
//! Freshness: this process holds the database (the sled lock), so every write goes through
//! the server. A write publishes its generation (and rebuilds the snapshot) at commit;
//! the handler swaps in a new [`Generation`] right after, before answering. Every request
//! also compares the published generation with the current one (one lock-free load and one
//! read lock) and swaps if they differ, so no request ever sees a stale analysis snapshot
//! once a write has returned.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use tokio::sync::{OnceCell, Semaphore};

use super::error::ApiError;
use crate::store::{Snapshot, Store};

/// Results cached per generation are dropped (all of them) once their summed weight (about
/// one unit per row) passes this.
const CACHE_WEIGHT_CAP: usize = 2_000_000;

/// How the server was configured.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// The bearer token that writes must present; writes are refused (403) without one.
    pub token: Option<String>,
    /// Refuse every write (403).
    pub read_only: bool,
}

type Cell = Arc<OnceCell<Arc<dyn Any + Send + Sync>>>;

/// The immutable state of one published generation: its analysis snapshot and the results
/// computed on it so far. A new generation starts with an empty cache.
pub struct Generation {
    /// The published generation number.
    pub generation: u64,
    /// Its analysis snapshot.
    pub snapshot: Arc<Snapshot>,
    cache: Mutex<HashMap<String, Cell>>,
    weight: AtomicUsize,
}

impl Generation {
    fn new(snapshot: Arc<Snapshot>) -> Generation {
        Generation {
            generation: snapshot.generation(),
            snapshot,
            cache: Mutex::new(HashMap::new()),
            weight: AtomicUsize::new(0),
        }
    }

    fn cell(&self, key: &str) -> Cell {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cache.get(key) {
            return Arc::clone(c);
        }
        let c: Cell = Arc::new(OnceCell::new());
        cache.insert(key.to_string(), Arc::clone(&c));
        c
    }

    fn add_weight(&self, weight: usize) {
        let total = self.weight.fetch_add(weight, Ordering::Relaxed) + weight;
        if total > CACHE_WEIGHT_CAP {
            let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            cache.clear();
            self.weight.store(0, Ordering::Relaxed);
        }
    }

    /// Number of cached results (for tests and logs).
    pub fn cached_entries(&self) -> usize {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

struct Inner {
    store: Arc<Store>,
    options: ServerOptions,
    current: ArcSwap<Generation>,
    /// Bounds concurrent CPU-heavy computations (one per core).
    heavy: Semaphore,
}

/// What every handler gets: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// State over an open store.
    pub fn new(store: Arc<Store>, options: ServerOptions) -> Result<AppState, ApiError> {
        let snapshot = store.snapshot().map_err(ApiError::internal)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(AppState(Arc::new(Inner {
            store,
            options,
            current: ArcSwap::from_pointee(Generation::new(snapshot)),
            heavy: Semaphore::new(cores),
        })))
    }

    /// The store.
    pub fn store(&self) -> &Arc<Store> {
        &self.0.store
    }

    /// The configuration.
    pub fn options(&self) -> &ServerOptions {
        &self.0.options
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

    /// Swaps in the state of the published generation; called after every write.
    pub fn refresh(&self) -> Result<Arc<Generation>, ApiError> {
        let snapshot = self.0.store.snapshot().map_err(ApiError::internal)?;
        let cur = self.0.current.load_full();
        if cur.generation == snapshot.generation() {
            return Ok(cur);
        }
        let next = Arc::new(Generation::new(snapshot));
        self.0.current.store(Arc::clone(&next));
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

    /// The result of `compute` for `key` on the current generation: computed once (off the
    /// executor, at most one heavy computation per core at a time; concurrent requests for
    /// the same key wait for the same computation), then a lookup until the next write.
    /// `weight` tells how much the result costs to keep (about one unit per row). Errors are
    /// not cached.
    ///
    /// Adding a cached endpoint is: build a key from the canonical request, call this with
    /// a closure calling the query function, render the result.
    pub async fn cached<T, F>(
        &self,
        key: String,
        weight: fn(&T) -> usize,
        compute: F,
    ) -> Result<Arc<T>, ApiError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&Store, &Arc<Snapshot>) -> Result<T, ApiError> + Send + 'static,
    {
        let generation = self.current()?;
        let cell = generation.cell(&key);
        let value = cell
            .get_or_try_init(|| async {
                let _permit = self
                    .0
                    .heavy
                    .acquire()
                    .await
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                let store = Arc::clone(&self.0.store);
                let snapshot = Arc::clone(&generation.snapshot);
                let started = std::time::Instant::now();
                let value = tokio::task::spawn_blocking(move || compute(&store, &snapshot))
                    .await
                    .map_err(ApiError::from_join)??;
                let w = weight(&value).max(1);
                tracing::debug!(
                    key = %key,
                    ms = started.elapsed().as_secs_f64() * 1e3,
                    weight = w,
                    "computed and cached"
                );
                generation.add_weight(w);
                Ok::<_, ApiError>(Arc::new(value) as Arc<dyn Any + Send + Sync>)
            })
            .await?;
        Arc::clone(value)
            .downcast::<T>()
            .map_err(|_| ApiError::Internal(format!("cache entry of another type under {key}")))
    }
}
