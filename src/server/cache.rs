//! The result cache: answers computed on one store generation, kept until the next write or
//! until memory runs short, bounded in bytes (keys and values both count) and evicted least
//! recently used first. Only successful results are inserted; failures are never stored.
//!
//! Every entry belongs to one generation: inserting a result of a newer generation drops all
//! older entries, and a result computed on an older generation (a computation that finished
//! after a write) is discarded instead of inserted.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::value::RawValue;

/// A cached value, type-erased; the caller downcasts to the type it stored.
pub type Cached = Arc<dyn Any + Send + Sync>;

/// Bytes charged per entry on top of its key and value: the map slot, the LRU slot and the
/// reference counts.
const ENTRY_OVERHEAD: usize = 160;

/// How much heap memory a cached value holds, so that the cache can be bounded in bytes.
pub trait HeapSize {
    /// Bytes of heap memory owned by the value, as the allocator takes them (an estimate
    /// within a few percent).
    fn heap_bytes(&self) -> usize;
}

/// What the allocator takes for a request of `requested` bytes: glibc's malloc adds an
/// 8-byte header and rounds the chunk up to 16 bytes, at least 32. For the small rows a
/// cached list holds (often under 100 bytes) this is 10–30 % above the text's length.
pub fn allocated_bytes(requested: usize) -> usize {
    if requested == 0 {
        return 0;
    }
    ((requested + 8 + 15) & !15).max(32)
}

impl HeapSize for Box<RawValue> {
    fn heap_bytes(&self) -> usize {
        allocated_bytes(self.get().len())
    }
}

impl<T: HeapSize> HeapSize for Vec<T> {
    fn heap_bytes(&self) -> usize {
        allocated_bytes(self.capacity() * std::mem::size_of::<T>())
            + self.iter().map(HeapSize::heap_bytes).sum::<usize>()
    }
}

impl HeapSize for u32 {
    fn heap_bytes(&self) -> usize {
        0
    }
}

/// A list computed on a shared value (e.g. a neighbourhood's order on its snapshot): only the
/// list is charged, the shared value is owned elsewhere.
impl<S> HeapSize for (Arc<S>, Vec<u32>) {
    fn heap_bytes(&self) -> usize {
        self.1.heap_bytes()
    }
}

struct Entry {
    value: Cached,
    bytes: usize,
    last_use: u64,
}

#[derive(Default)]
struct Inner {
    generation: u64,
    entries: HashMap<Arc<str>, Entry>,
    /// Last-use tick → key, oldest first: the eviction order.
    lru: BTreeMap<u64, Arc<str>>,
    tick: u64,
    bytes: usize,
}

impl Inner {
    fn touch(&mut self, key: &str) -> Option<Cached> {
        self.tick += 1;
        let tick = self.tick;
        let entry = self.entries.get_mut(key)?;
        let shared = self.lru.remove(&entry.last_use)?;
        entry.last_use = tick;
        self.lru.insert(tick, shared);
        Some(Arc::clone(&entry.value))
    }

    fn remove_oldest(&mut self) -> bool {
        let Some((_, key)) = self.lru.pop_first() else {
            return false;
        };
        if let Some(entry) = self.entries.remove(&key) {
            self.bytes -= entry.bytes;
        }
        true
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.lru.clear();
        self.bytes = 0;
    }
}

/// What the cache holds right now, for `/metrics` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Bytes held (keys, values and per-entry overhead).
    pub bytes: usize,
    /// The cap in bytes.
    pub capacity: usize,
    /// Entries held.
    pub entries: usize,
    /// Look-ups answered from the cache since start.
    pub hits: u64,
    /// Look-ups that found nothing since start.
    pub misses: u64,
    /// Entries evicted to make room since start.
    pub evictions: u64,
}

/// A byte-bounded, least-recently-used cache of results per generation.
pub struct ResultCache {
    inner: Mutex<Inner>,
    capacity: usize,
    hits: AtomicU64,
    misses: AtomicU64,
    evictions: AtomicU64,
}

impl ResultCache {
    /// An empty cache holding at most `capacity` bytes.
    pub fn new(capacity: usize) -> ResultCache {
        ResultCache {
            inner: Mutex::new(Inner::default()),
            capacity,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value stored under `key` for `generation`, marked as just used.
    pub fn get(&self, generation: u64, key: &str) -> Option<Cached> {
        let found = {
            let mut inner = self.lock();
            if inner.generation == generation {
                inner.touch(key)
            } else {
                None
            }
        };
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `value` (holding `value_bytes` of heap) under `key` for `generation`, evicting
    /// the least recently used entries until it fits. Returns whether it was stored: a
    /// value larger than the whole cache, or computed on an older generation, is not.
    pub fn insert(&self, generation: u64, key: &str, value: Cached, value_bytes: usize) -> bool {
        let bytes = key.len() + value_bytes + ENTRY_OVERHEAD;
        if bytes > self.capacity {
            return false;
        }
        let mut inner = self.lock();
        if generation < inner.generation {
            return false;
        }
        if generation > inner.generation {
            inner.clear();
            inner.generation = generation;
        }
        if let Some(old) = inner.entries.remove(key) {
            inner.lru.remove(&old.last_use);
            inner.bytes -= old.bytes;
        }
        let mut evicted = 0;
        while inner.bytes + bytes > self.capacity && inner.remove_oldest() {
            evicted += 1;
        }
        self.evictions.fetch_add(evicted, Ordering::Relaxed);
        inner.tick += 1;
        let tick = inner.tick;
        let key: Arc<str> = Arc::from(key);
        inner.lru.insert(tick, Arc::clone(&key));
        inner.entries.insert(
            key,
            Entry {
                value,
                bytes,
                last_use: tick,
            },
        );
        inner.bytes += bytes;
        true
    }

    /// Drops every entry older than `generation` (called when a write publishes it).
    pub fn advance(&self, generation: u64) {
        let mut inner = self.lock();
        if generation > inner.generation {
            inner.clear();
            inner.generation = generation;
        }
    }

    /// Current size and counters.
    pub fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            bytes: inner.bytes,
            capacity: self.capacity,
            entries: inner.entries.len(),
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            evictions: self.evictions.load(Ordering::Relaxed),
        }
    }
}

/// The default cap: a sixteenth of the memory this process may use (the machine's, or its
/// container's limit when lower), between 64 MiB and 1 GiB.
pub fn default_capacity() -> usize {
    const MIB: u64 = 1 << 20;
    let total = memory_limit().unwrap_or(4096 * MIB);
    (total / 16).clamp(64 * MIB, 1024 * MIB) as usize
}

/// Physical memory, or the cgroup (v2 or v1) limit when it is lower. Linux only; `None`
/// elsewhere or when unreadable.
fn memory_limit() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    let physical = kib * 1024;
    let cgroup = [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .iter()
    .filter_map(|p| std::fs::read_to_string(p).ok())
    .filter_map(|s| s.trim().parse::<u64>().ok())
    .min();
    Some(cgroup.map_or(physical, |c| c.min(physical)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(n: usize) -> Cached {
        Arc::new(vec![0u8; n])
    }

    #[test]
    fn holds_at_most_its_capacity_and_evicts_the_least_recently_used() {
        let cache = ResultCache::new(3 * (ENTRY_OVERHEAD + 1 + 100));
        for key in ["a", "b", "c"] {
            assert!(cache.insert(1, key, value(100), 100));
        }
        assert!(cache.get(1, "a").is_some());
        assert!(cache.insert(1, "d", value(100), 100));
        assert!(cache.get(1, "b").is_none(), "b was the least recently used");
        assert!(cache.get(1, "a").is_some());
        assert!(cache.get(1, "c").is_some());
        assert!(cache.get(1, "d").is_some());
        let stats = cache.stats();
        assert_eq!(stats.entries, 3);
        assert!(stats.bytes <= stats.capacity);
        assert_eq!(stats.evictions, 1);
        assert_eq!((stats.hits, stats.misses), (4, 1));
    }

    #[test]
    fn long_keys_count_against_the_cap() {
        let cache = ResultCache::new(10_000);
        let key = "k".repeat(6_000);
        assert!(cache.insert(1, &key, value(0), 0));
        assert!(cache.insert(1, &format!("{key}2"), value(0), 0));
        assert_eq!(cache.stats().entries, 1);
        assert!(cache.stats().bytes <= 10_000);
    }

    #[test]
    fn a_value_larger_than_the_cache_is_not_stored() {
        let cache = ResultCache::new(1_000);
        assert!(!cache.insert(1, "big", value(2_000), 2_000));
        assert_eq!(cache.stats().entries, 0);
    }

    #[test]
    fn a_newer_generation_replaces_and_an_older_one_is_refused() {
        let cache = ResultCache::new(10_000);
        assert!(cache.insert(1, "a", value(10), 10));
        assert!(cache.insert(2, "b", value(10), 10));
        assert!(cache.get(1, "a").is_none());
        assert!(cache.get(2, "a").is_none());
        assert!(!cache.insert(1, "late", value(10), 10));
        assert_eq!(cache.stats().entries, 1);
        cache.advance(3);
        assert_eq!(cache.stats().entries, 0);
        assert_eq!(cache.stats().bytes, 0);
    }

    #[test]
    fn replacing_a_key_keeps_the_byte_count_right() {
        let cache = ResultCache::new(10_000);
        assert!(cache.insert(1, "a", value(100), 100));
        assert!(cache.insert(1, "a", value(300), 300));
        assert_eq!(cache.stats().entries, 1);
        assert_eq!(cache.stats().bytes, 1 + 300 + ENTRY_OVERHEAD);
    }

    #[test]
    fn raw_json_rows_are_weighed_by_their_text() {
        let rows: Vec<Box<RawValue>> = vec![
            RawValue::from_string("{\"id\":\"a\"}".into()).unwrap(),
            RawValue::from_string("[1,2,3]".into()).unwrap(),
        ];
        // The list's buffer (2 × 16 bytes → a 48-byte chunk) and two rows of 10 and 7 bytes
        // (32-byte chunks each).
        assert_eq!(rows.capacity(), 2);
        assert_eq!(rows.heap_bytes(), 48 + 32 + 32);
    }

    #[test]
    fn allocations_are_weighed_as_the_allocator_takes_them() {
        assert_eq!(allocated_bytes(0), 0);
        assert_eq!(allocated_bytes(1), 32);
        assert_eq!(allocated_bytes(24), 32);
        assert_eq!(allocated_bytes(25), 48);
        assert_eq!(allocated_bytes(100), 112);
        assert_eq!(allocated_bytes(4096), 4112);
    }

    #[test]
    fn the_default_capacity_is_within_its_bounds() {
        let c = default_capacity();
        assert!((64 << 20..=1024 << 20).contains(&c), "{c}");
    }
}
