//! The parallel policy shared by per-source algorithms (betweenness, closeness, sampling).
//!
//! Work items (source nodes, sampled pairs) are split into a **fixed** number of contiguous
//! chunks in index order; the chunk count depends only on the thread count, never on work
//! stealing. Each chunk is processed sequentially into its own buffer with its own
//! workspace, and the buffers are then summed in chunk order. Hence:
//!
//! * results are bitwise identical between runs for a given thread count;
//! * with one chunk (the sequential path) the result is exactly the plain sequential sum;
//! * with several chunks the result differs from the sequential one only by the
//!   reassociation of floating-point sums (relative error of order 1e-15).
//!
//! Small graphs (fewer than [`Parallelism::min_nodes`] nodes) run sequentially: the cost of
//! spawning tasks would exceed the work.

use rayon::prelude::*;

use super::observe::{Cancelled, Observer};

/// How many threads an algorithm may use, and from which graph size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parallelism {
    /// Number of worker threads: `None` uses rayon's global pool size
    /// ([`rayon::current_num_threads`]); `Some(1)` (or `Some(0)`) forces the sequential path;
    /// `Some(t)` runs on a dedicated pool of `t` threads.
    pub threads: Option<usize>,
    /// Graphs with fewer nodes than this run sequentially whatever `threads` says.
    pub min_nodes: usize,
}

impl Default for Parallelism {
    /// [`Parallelism::auto`].
    fn default() -> Self {
        Parallelism::auto()
    }
}

impl Parallelism {
    /// The default size threshold below which algorithms run sequentially.
    pub const DEFAULT_MIN_NODES: usize = 512;

    /// Work items per thread: a few chunks per thread smooth out uneven sources while
    /// keeping the chunk count (and so the summation order) fixed.
    const CHUNKS_PER_THREAD: usize = 4;

    /// All of rayon's global pool, for graphs of at least [`Self::DEFAULT_MIN_NODES`] nodes.
    pub fn auto() -> Self {
        Parallelism {
            threads: None,
            min_nodes: Self::DEFAULT_MIN_NODES,
        }
    }

    /// Always sequential.
    pub fn sequential() -> Self {
        Parallelism {
            threads: Some(1),
            min_nodes: 0,
        }
    }

    /// Exactly `threads` threads, whatever the graph size (useful for tests and for
    /// reproducing a result bit for bit on another machine).
    pub fn with_threads(threads: usize) -> Self {
        Parallelism {
            threads: Some(threads),
            min_nodes: 0,
        }
    }

    /// The thread count this policy resolves to for a graph of `nodes` nodes (1 means the
    /// sequential path).
    pub fn effective_threads(&self, nodes: usize) -> usize {
        if nodes < self.min_nodes {
            return 1;
        }
        match self.threads {
            Some(t) => t.max(1),
            None => rayon::current_num_threads().max(1),
        }
    }

    /// Number of chunks `items` work items are split into on a graph of `nodes` nodes.
    pub fn chunk_count(&self, nodes: usize, items: usize) -> usize {
        let threads = self.effective_threads(nodes);
        if threads <= 1 {
            return 1;
        }
        (threads * Self::CHUNKS_PER_THREAD).clamp(1, items.max(1))
    }
}

/// Runs `body(workspace, item, buffer)` for every item in `0..items`, and returns the sum of
/// the per-chunk buffers (each of length `len`), as described in the module documentation.
///
/// `make_workspace` is called once per chunk. The observer is told of `items` steps at the
/// start, advanced once per item, and asked before each item whether to stop.
pub(crate) fn sum_over_items<W, M, F>(
    nodes: usize,
    len: usize,
    items: usize,
    par: &Parallelism,
    observer: &dyn Observer,
    make_workspace: M,
    body: F,
) -> Result<Vec<f64>, Cancelled>
where
    M: Fn() -> W + Sync,
    F: Fn(&mut W, usize, &mut [f64]) + Sync,
{
    observer.start(items as u64);
    let chunks = par.chunk_count(nodes, items);
    let run_chunk = |c: usize| -> Result<Vec<f64>, Cancelled> {
        let lo = c * items / chunks;
        let hi = (c + 1) * items / chunks;
        let mut buffer = vec![0.0f64; len];
        let mut workspace = make_workspace();
        for item in lo..hi {
            if observer.cancelled() {
                return Err(Cancelled);
            }
            body(&mut workspace, item, &mut buffer);
            observer.advance(1);
        }
        Ok(buffer)
    };
    if chunks == 1 {
        return run_chunk(0);
    }
    let collect = || -> Result<Vec<Vec<f64>>, Cancelled> {
        (0..chunks).into_par_iter().map(run_chunk).collect()
    };
    let buffers = match par.threads {
        Some(t) if t != rayon::current_num_threads() => {
            match rayon::ThreadPoolBuilder::new().num_threads(t).build() {
                Ok(pool) => pool.install(collect),
                // The chunking (hence the result) does not depend on the pool, so the
                // global pool is an exact substitute.
                Err(_) => collect(),
            }
        }
        _ => collect(),
    }?;
    let mut iter = buffers.into_iter();
    let mut total = iter.next().unwrap_or_else(|| vec![0.0; len]);
    for buffer in iter {
        for (t, b) in total.iter_mut().zip(&buffer) {
            *t += b;
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::Silent;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn chunk_count_depends_only_on_threads_and_size() {
        assert_eq!(Parallelism::sequential().chunk_count(10_000, 10_000), 1);
        assert_eq!(Parallelism::with_threads(2).chunk_count(10, 100), 8);
        assert_eq!(Parallelism::with_threads(2).chunk_count(10, 3), 3);
        assert_eq!(Parallelism::auto().chunk_count(100, 100), 1);
    }

    #[test]
    fn chunked_sum_matches_sequential_and_counts_progress() {
        struct Count(AtomicU64);
        impl Observer for Count {
            fn advance(&self, steps: u64) {
                self.0.fetch_add(steps, Ordering::Relaxed);
            }
        }
        let body = |_: &mut (), i: usize, buf: &mut [f64]| buf[i % 7] += 1.0 / (i + 1) as f64;
        let seq = sum_over_items(0, 7, 1000, &Parallelism::sequential(), &Silent, || (), body);
        let count = Count(AtomicU64::new(0));
        let par = sum_over_items(
            0,
            7,
            1000,
            &Parallelism::with_threads(3),
            &count,
            || (),
            body,
        );
        assert_eq!(count.0.load(Ordering::Relaxed), 1000);
        let (seq, par) = (seq.unwrap(), par.unwrap());
        for (a, b) in seq.iter().zip(&par) {
            assert!((a - b).abs() < 1e-12);
        }
    }

    #[test]
    fn cancellation_stops_with_an_error() {
        let flag = crate::algo::observe::CancelFlag::default();
        flag.cancel();
        let r = sum_over_items(
            0,
            1,
            10,
            &Parallelism::with_threads(2),
            &flag,
            || (),
            |_, _, _| {},
        );
        assert_eq!(r, Err(Cancelled));
    }
}
