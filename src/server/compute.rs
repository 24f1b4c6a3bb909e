//! Analyses off the async executor, so that no request can make the server unresponsive:
//!
//! - **One computation per question.** Concurrent requests for the same key (on the same
//!   generation) wait for one computation; its result goes to the [`ResultCache`].
//! - **Two lanes.** Cheap analyses (search, neighbourhoods, paths, partners, PageRank…) and
//!   heavy ones (exact betweenness, closeness, brokerage permutations…) queue for separate
//!   slots, and heavy ones run on their own thread pool, so a burst of heavy requests never
//!   delays a cheap one. Each lane's queue is bounded: beyond it, 503 at once.
//! - **A time budget.** A computation runs at most `max_compute`; algorithms that accept an
//!   [`Observer`] stop at the deadline (422 with a hint to ask for less), the others are left
//!   to finish in the background (their result is cached) while the client gets a 503 with
//!   `Retry-After`.
//! - **Abandoned work stops.** When every client waiting for a computation has gone, it is
//!   cancelled (before it starts, or at the next check of its observer).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};

use super::cache::{Cached, HeapSize, ResultCache};
use super::error::ApiError;
use crate::query::Observer;

/// Which lane a computation queues in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// Milliseconds to a second or so on a large store.
    Light,
    /// Possibly many seconds; `hint` tells the client how to ask for less when the budget
    /// runs out.
    Heavy {
        /// How to ask for less (shown in the 422).
        hint: &'static str,
    },
}

/// Watches one computation: cancelled when its deadline passes, when every client waiting
/// for it has gone, or when the server shuts down.
pub struct Budget {
    deadline: OnceLock<Instant>,
    abandoned: AtomicBool,
    abandon: Notify,
    shutdown: Arc<AtomicBool>,
}

impl Budget {
    fn new(shutdown: Arc<AtomicBool>) -> Budget {
        Budget {
            deadline: OnceLock::new(),
            abandoned: AtomicBool::new(false),
            abandon: Notify::new(),
            shutdown,
        }
    }

    fn over_time(&self) -> bool {
        self.deadline.get().is_some_and(|d| Instant::now() >= *d)
    }

    fn is_abandoned(&self) -> bool {
        self.abandoned.load(Ordering::Relaxed)
    }

    fn give_up(&self) {
        self.abandoned.store(true, Ordering::Relaxed);
        self.abandon.notify_waiters();
    }
}

impl Observer for Budget {
    fn cancelled(&self) -> bool {
        self.is_abandoned() || self.shutdown.load(Ordering::Relaxed) || self.over_time()
    }
}

type Outcome = Option<Result<Cached, ApiError>>;

struct Flight {
    done: watch::Sender<Outcome>,
    waiters: AtomicUsize,
    budget: Arc<Budget>,
}

/// A lane: its slots and its bounded queue.
struct Lane {
    slots: Arc<Semaphore>,
    size: usize,
    queued: AtomicUsize,
    max_queued: usize,
    running: AtomicUsize,
}

impl Lane {
    fn new(size: usize, max_queued: usize) -> Lane {
        Lane {
            slots: Arc::new(Semaphore::new(size)),
            size,
            queued: AtomicUsize::new(0),
            max_queued,
            running: AtomicUsize::new(0),
        }
    }
}

/// Counters of the analysis lanes, for `/metrics`.
#[derive(Debug, Clone, Copy, Default)]
pub struct LaneStats {
    /// Computations running.
    pub running: usize,
    /// Computations waiting for a slot.
    pub queued: usize,
    /// Slots.
    pub slots: usize,
}

/// Counters of the analyses, for `/metrics`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ComputeStats {
    /// The cheap lane.
    pub light: LaneStats,
    /// The heavy lane.
    pub heavy: LaneStats,
    /// Computations stopped by their time budget since start.
    pub over_budget: u64,
    /// Requests refused because a lane's queue was full or its wait too long, since start.
    pub rejected: u64,
    /// Computations cancelled because every client had gone, since start.
    pub abandoned: u64,
}

/// Runs analyses: single flight per key, two bounded lanes, a time budget, and the cache.
pub struct Analyses {
    cache: ResultCache,
    flights: Mutex<HashMap<String, Arc<Flight>>>,
    light: Lane,
    heavy: Lane,
    heavy_pool: OnceLock<Option<Arc<rayon::ThreadPool>>>,
    max_compute: Duration,
    shutdown: Arc<AtomicBool>,
    over_budget: AtomicU64,
    rejected: AtomicU64,
    abandoned: AtomicU64,
}

/// Sizes of [`Analyses`].
#[derive(Debug, Clone, Copy)]
pub struct ComputeLimits {
    /// Cache cap in bytes.
    pub cache_bytes: usize,
    /// Time budget of one computation.
    pub max_compute: Duration,
    /// Cores to size the lanes by.
    pub cores: usize,
}

impl Analyses {
    /// Lanes sized by `limits.cores`: as many cheap slots as cores, half as many heavy ones
    /// (at least one), queues of 64 and 8 per slot.
    pub fn new(limits: ComputeLimits) -> Analyses {
        let cores = limits.cores.max(1);
        let heavy = (cores / 2).max(1);
        Analyses {
            cache: ResultCache::new(limits.cache_bytes),
            flights: Mutex::new(HashMap::new()),
            light: Lane::new(cores, 64 * cores),
            heavy: Lane::new(heavy, 8 * heavy),
            heavy_pool: OnceLock::new(),
            max_compute: limits.max_compute,
            shutdown: Arc::new(AtomicBool::new(false)),
            over_budget: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            abandoned: AtomicU64::new(0),
        }
    }

    /// The result cache.
    pub fn cache(&self) -> &ResultCache {
        &self.cache
    }

    /// The time budget of one computation.
    pub fn max_compute(&self) -> Duration {
        self.max_compute
    }

    /// Stops every running computation at its next check and refuses new ones (shutdown).
    pub fn shut_down(&self) {
        self.shutdown.store(true, Ordering::Relaxed);
    }

    /// Counters for `/metrics`.
    pub fn stats(&self) -> ComputeStats {
        let lane = |l: &Lane| LaneStats {
            running: l.running.load(Ordering::Relaxed),
            queued: l.queued.load(Ordering::Relaxed),
            slots: l.size,
        };
        ComputeStats {
            light: lane(&self.light),
            heavy: lane(&self.heavy),
            over_budget: self.over_budget.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            abandoned: self.abandoned.load(Ordering::Relaxed),
        }
    }

    fn lane(&self, cost: Cost) -> &Lane {
        match cost {
            Cost::Light => &self.light,
            Cost::Heavy { .. } => &self.heavy,
        }
    }

    /// Heavy work runs on a pool of its own (threads named `innograph-heavy`), so the
    /// parallel parts of cheap analyses never queue behind it in rayon's global pool.
    fn heavy_pool(&self) -> Option<Arc<rayon::ThreadPool>> {
        self.heavy_pool
            .get_or_init(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(rayon::current_num_threads())
                    .thread_name(|i| format!("innograph-heavy-{i}"))
                    .build()
                    .map_err(|e| tracing::warn!(error = %e, "no heavy-analysis pool; using the global one"))
                    .ok()
                    .map(Arc::new)
            })
            .clone()
    }

    fn lock_flights(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Flight>>> {
        self.flights.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The result for `key` on `generation`: from the cache, or from the computation already
    /// under way for it, or computed now by `compute` in `cost`'s lane.
    pub async fn get_or_compute<T, F>(
        self: &Arc<Self>,
        generation: u64,
        key: String,
        cost: Cost,
        compute: F,
    ) -> Result<Arc<T>, ApiError>
    where
        T: HeapSize + Send + Sync + 'static,
        F: FnOnce(&Budget) -> Result<T, ApiError> + Send + 'static,
    {
        if let Some(found) = self.cache.get(generation, &key) {
            return downcast(found, &key);
        }
        if self.shutdown.load(Ordering::Relaxed) {
            return Err(ApiError::Unavailable {
                message: "the server is shutting down".into(),
                retry_after: None,
            });
        }
        let flight_key = format!("{generation}\0{key}");
        let (flight, leader) = {
            let mut flights = self.lock_flights();
            match flights.get(&flight_key) {
                Some(f) if !f.budget.is_abandoned() => {
                    f.waiters.fetch_add(1, Ordering::Relaxed);
                    (Arc::clone(f), false)
                }
                _ => {
                    let (done, _) = watch::channel(None);
                    let f = Arc::new(Flight {
                        done,
                        waiters: AtomicUsize::new(1),
                        budget: Arc::new(Budget::new(Arc::clone(&self.shutdown))),
                    });
                    flights.insert(flight_key.clone(), Arc::clone(&f));
                    (f, true)
                }
            }
        };
        let mut outcome = flight.done.subscribe();
        let _waiting = Waiting { flight: &flight };
        if leader {
            let lane = self.lane(cost);
            if lane.queued.load(Ordering::Relaxed) >= lane.max_queued {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                let busy = ApiError::Unavailable {
                    message: format!(
                        "too many analyses waiting ({} queued for {} slot(s)); retry later",
                        lane.max_queued, lane.size
                    ),
                    retry_after: Some(self.max_compute.as_secs().max(1)),
                };
                self.finish(&flight_key, &flight, Err(busy));
            } else {
                lane.queued.fetch_add(1, Ordering::Relaxed);
                let this = Arc::clone(self);
                let flight = Arc::clone(&flight);
                tokio::spawn(async move {
                    let result = this.run(&flight, generation, key, cost, compute).await;
                    this.finish(&flight_key, &flight, result);
                });
            }
        }
        let result = match outcome.wait_for(Option::is_some).await {
            Ok(r) => r
                .clone()
                .unwrap_or_else(|| Err(ApiError::internal("no outcome"))),
            Err(_) => Err(ApiError::internal(
                "the computation ended without an outcome",
            )),
        };
        result.and_then(|v| downcast(v, "this request"))
    }

    /// Waits for a slot (at most the time budget), then computes under the budget.
    async fn run<T, F>(
        self: &Arc<Self>,
        flight: &Arc<Flight>,
        generation: u64,
        key: String,
        cost: Cost,
        compute: F,
    ) -> Result<Cached, ApiError>
    where
        T: HeapSize + Send + Sync + 'static,
        F: FnOnce(&Budget) -> Result<T, ApiError> + Send + 'static,
    {
        let lane = self.lane(cost);
        let abandoned = flight.budget.abandon.notified();
        tokio::pin!(abandoned);
        abandoned.as_mut().enable();
        let permit: Option<OwnedSemaphorePermit> = if flight.budget.is_abandoned() {
            None
        } else {
            tokio::select! {
                biased;
                p = Arc::clone(&lane.slots).acquire_owned() => p.ok(),
                () = tokio::time::sleep(self.max_compute) => None,
                () = abandoned => None,
            }
        };
        lane.queued.fetch_sub(1, Ordering::Relaxed);
        if flight.budget.is_abandoned() {
            self.abandoned.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::Unavailable {
                message: "nobody is waiting for this result any more".into(),
                retry_after: None,
            });
        }
        let Some(permit) = permit else {
            self.rejected.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::Unavailable {
                message: format!(
                    "every analysis slot stayed busy for {} s; retry later",
                    self.max_compute.as_secs()
                ),
                retry_after: Some(self.max_compute.as_secs().max(1)),
            });
        };
        let _ = flight
            .budget
            .deadline
            .set(Instant::now() + self.max_compute);
        let pool = match cost {
            Cost::Heavy { .. } => self.heavy_pool(),
            Cost::Light => None,
        };
        let this = Arc::clone(self);
        let budget = Arc::clone(&flight.budget);
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let lane = this.lane(cost);
            lane.running.fetch_add(1, Ordering::Relaxed);
            let started = Instant::now();
            let result = match pool {
                Some(pool) => pool.install(|| compute(&budget)),
                None => compute(&budget),
            };
            lane.running.fetch_sub(1, Ordering::Relaxed);
            let result = result.map(|value| {
                let bytes = value.heap_bytes();
                let value: Cached = Arc::new(value);
                let kept = this
                    .cache
                    .insert(generation, &key, Arc::clone(&value), bytes);
                tracing::debug!(
                    key = %key.escape_debug(),
                    ms = started.elapsed().as_secs_f64() * 1e3,
                    bytes,
                    kept,
                    "computed"
                );
                value
            });
            match result {
                Err(_) if budget.cancelled() => Err(this.why_stopped(&budget, cost)),
                other => other,
            }
        });
        // The client waits a little longer than the budget: algorithms that check their
        // observer stop in time; the others finish in the background.
        let patience = self.max_compute + Duration::from_secs(1);
        match tokio::time::timeout(patience, task).await {
            Ok(joined) => joined.map_err(ApiError::from_join)?,
            Err(_) => Err(ApiError::Unavailable {
                message: format!(
                    "still computing after {} s; the result will be cached when it is done, retry later",
                    self.max_compute.as_secs()
                ),
                retry_after: Some(self.max_compute.as_secs().max(1)),
            }),
        }
    }

    fn why_stopped(&self, budget: &Budget, cost: Cost) -> ApiError {
        if budget.over_time() {
            self.over_budget.fetch_add(1, Ordering::Relaxed);
            let hint = match cost {
                Cost::Heavy { hint } => hint,
                Cost::Light => "ask for less",
            };
            ApiError::OverBudget(format!(
                "the analysis did not finish within the server's time budget of {} s (--max-compute-s); {hint}",
                self.max_compute.as_secs()
            ))
        } else if budget.is_abandoned() {
            self.abandoned.fetch_add(1, Ordering::Relaxed);
            ApiError::Unavailable {
                message: "nobody is waiting for this result any more".into(),
                retry_after: None,
            }
        } else {
            ApiError::Unavailable {
                message: "the server is shutting down".into(),
                retry_after: None,
            }
        }
    }

    fn finish(&self, flight_key: &str, flight: &Arc<Flight>, result: Result<Cached, ApiError>) {
        {
            let mut flights = self.lock_flights();
            if flights
                .get(flight_key)
                .is_some_and(|f| Arc::ptr_eq(f, flight))
            {
                flights.remove(flight_key);
            }
        }
        flight.done.send_replace(Some(result));
    }
}

/// One client waiting for a flight; when the last one goes before the outcome, the
/// computation is abandoned.
struct Waiting<'a> {
    flight: &'a Arc<Flight>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let last = self.flight.waiters.fetch_sub(1, Ordering::AcqRel) == 1;
        if last && self.flight.done.borrow().is_none() {
            self.flight.budget.give_up();
        }
    }
}

fn downcast<T: Send + Sync + 'static>(value: Cached, key: &str) -> Result<Arc<T>, ApiError> {
    value.downcast::<T>().map_err(|_| {
        ApiError::Internal(format!(
            "cache entry of another type under {}",
            key.escape_debug()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyses(max_compute: Duration) -> Arc<Analyses> {
        Arc::new(Analyses::new(ComputeLimits {
            cache_bytes: 1 << 20,
            max_compute,
            cores: 2,
        }))
    }

    const HEAVY: Cost = Cost::Heavy {
        hint: "use epsilon",
    };

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_requests_share_one_computation() {
        let a = analyses(Duration::from_secs(10));
        let runs = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (a, runs) = (Arc::clone(&a), Arc::clone(&runs));
            tasks.push(tokio::spawn(async move {
                a.get_or_compute(1, "k".into(), Cost::Light, move |_| {
                    runs.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(100));
                    Ok(vec![7u32])
                })
                .await
            }));
        }
        for t in tasks {
            assert_eq!(*t.await.unwrap().unwrap(), vec![7u32]);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(a.cache().stats().entries, 1);
    }

    #[tokio::test]
    async fn failures_are_not_cached() {
        let a = analyses(Duration::from_secs(10));
        let r = a
            .get_or_compute::<Vec<u32>, _>(1, "k".into(), Cost::Light, |_| {
                Err(ApiError::BadParameter("no".into()))
            })
            .await;
        assert!(matches!(r, Err(ApiError::BadParameter(_))));
        assert_eq!(a.cache().stats().entries, 0);
        assert!(a.lock_flights().is_empty());
        let r = a
            .get_or_compute(1, "k".into(), Cost::Light, |_| Ok(vec![1u32]))
            .await;
        assert_eq!(*r.unwrap(), vec![1u32]);
    }

    #[tokio::test]
    async fn an_observer_aware_computation_stops_at_its_budget_with_a_hint() {
        let a = analyses(Duration::from_millis(200));
        let started = Instant::now();
        let r = a
            .get_or_compute::<Vec<u32>, _>(1, "slow".into(), HEAVY, |budget| {
                while !budget.cancelled() {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(ApiError::Internal("cancelled".into()))
            })
            .await;
        assert!(started.elapsed() < Duration::from_secs(2));
        match r {
            Err(ApiError::OverBudget(m)) => assert!(m.contains("use epsilon"), "{m}"),
            other => panic!("expected over budget, got {:?}", other.err()),
        }
        assert_eq!(a.stats().over_budget, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_computation_nobody_waits_for_is_cancelled() {
        let a = analyses(Duration::from_secs(30));
        let stopped = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&stopped);
        let request = a.get_or_compute::<Vec<u32>, _>(1, "k".into(), HEAVY, move |budget| {
            while !budget.cancelled() {
                std::thread::sleep(Duration::from_millis(5));
            }
            seen.store(true, Ordering::SeqCst);
            Err(ApiError::Internal("cancelled".into()))
        });
        // The client gives up after 100 ms.
        assert!(tokio::time::timeout(Duration::from_millis(100), request)
            .await
            .is_err());
        let deadline = Instant::now() + Duration::from_secs(5);
        while !stopped.load(Ordering::SeqCst) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(stopped.load(Ordering::SeqCst));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn heavy_work_does_not_hold_up_light_work() {
        let a = analyses(Duration::from_secs(30));
        // Fill the heavy lane (1 slot with 2 cores) and its queue.
        let release = Arc::new(AtomicBool::new(false));
        let mut heavy = Vec::new();
        for i in 0..3 {
            let (a, release) = (Arc::clone(&a), Arc::clone(&release));
            heavy.push(tokio::spawn(async move {
                a.get_or_compute::<Vec<u32>, _>(1, format!("heavy{i}"), HEAVY, move |_| {
                    while !release.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Ok(vec![])
                })
                .await
            }));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = Instant::now();
        let light = a
            .get_or_compute(1, "light".into(), Cost::Light, |_| Ok(vec![1u32]))
            .await;
        assert!(light.is_ok());
        assert!(started.elapsed() < Duration::from_secs(1));
        release.store(true, Ordering::SeqCst);
        for h in heavy {
            assert!(h.await.unwrap().is_ok());
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_answers_503_at_once() {
        let a = analyses(Duration::from_secs(30));
        let release = Arc::new(AtomicBool::new(false));
        let mut waiting = Vec::new();
        // 1 heavy slot and 8 queued.
        for i in 0..9 {
            let (a, release) = (Arc::clone(&a), Arc::clone(&release));
            waiting.push(tokio::spawn(async move {
                a.get_or_compute::<Vec<u32>, _>(1, format!("h{i}"), HEAVY, move |_| {
                    while !release.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Ok(vec![])
                })
                .await
            }));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let r = a
            .get_or_compute::<Vec<u32>, _>(1, "one too many".into(), HEAVY, |_| Ok(vec![]))
            .await;
        assert!(
            matches!(r, Err(ApiError::Unavailable { .. })),
            "{:?}",
            r.err()
        );
        release.store(true, Ordering::SeqCst);
        for w in waiting {
            assert!(w.await.unwrap().is_ok());
        }
    }
}
