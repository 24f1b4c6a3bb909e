//! The one parallel policy of the algorithms: results never depend on the thread count.
//!
//! Work is cut into chunks whose number and boundaries depend only on the input, never on
//! the threads or on work stealing, and partial results are combined in a fixed order:
//!
//! * per-item algorithms (betweenness, closeness: one search per source) split the items
//!   into at most [`ITEM_CHUNKS`] contiguous chunks, each summed sequentially into its own
//!   buffer, and add the buffers along a fixed binary tree (`sum_over_items`);
//! * per-node passes (PageRank, eigenvector) fill `CHUNK`-node slices and add the
//!   slices' partial sums in order (`fill_chunks_sum`).
//!
//! So a result is bitwise identical sequentially, on 2 threads or on 64. [`Parallelism`]
//! only decides whether the chunks run on rayon's pool (or a dedicated pool of `threads`),
//! and graphs below [`Parallelism::min_nodes`] nodes run sequentially because spawning would
//! cost more than the work.

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

/// Items (sources, sampled pairs) are split into at most this many chunks, whatever the
/// thread count: enough to balance uneven sources over tens of threads, few enough that the
/// per-chunk workspaces cost nothing next to the searches.
pub const ITEM_CHUNKS: usize = 64;

/// Nodes per slice of the per-node passes (PageRank, eigenvector).
pub const CHUNK: usize = 4096;

impl Parallelism {
    /// The default size threshold of per-source algorithms (betweenness, closeness), whose
    /// work grows like n·m: below it they run sequentially.
    pub const DEFAULT_MIN_NODES: usize = 512;

    /// The default size threshold of linear-time passes (PageRank, eigenvector iterations).
    pub const LINEAR_MIN_NODES: usize = 20_000;

    /// All of rayon's global pool, for graphs of at least [`Self::DEFAULT_MIN_NODES`] nodes.
    pub const fn auto() -> Self {
        Parallelism {
            threads: None,
            min_nodes: Self::DEFAULT_MIN_NODES,
        }
    }

    /// All of rayon's global pool, for graphs of at least [`Self::LINEAR_MIN_NODES`] nodes
    /// (the default of the power iterations).
    pub const fn auto_linear() -> Self {
        Parallelism {
            threads: None,
            min_nodes: Self::LINEAR_MIN_NODES,
        }
    }

    /// Always sequential.
    pub const fn sequential() -> Self {
        Parallelism {
            threads: Some(1),
            min_nodes: 0,
        }
    }

    /// Exactly `threads` threads, whatever the graph size. (The result is the same as with
    /// any other thread count; this only chooses where the work runs.)
    pub const fn with_threads(threads: usize) -> Self {
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

    /// Whether a graph of `nodes` nodes runs on several threads.
    pub fn is_parallel(&self, nodes: usize) -> bool {
        self.effective_threads(nodes) > 1
    }

    /// Runs `f` on a dedicated pool of `threads` threads when that differs from rayon's
    /// global pool, else directly. Chunking does not depend on the pool, so if the pool
    /// cannot be built the global one is an exact substitute.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match self.threads {
            Some(t) if t > 1 && t != rayon::current_num_threads() => {
                match rayon::ThreadPoolBuilder::new().num_threads(t).build() {
                    Ok(pool) => pool.install(f),
                    Err(_) => f(),
                }
            }
            _ => f(),
        }
    }
}

/// Number of chunks `items` work items are split into (at most [`ITEM_CHUNKS`], at least
/// 1); it depends on nothing else.
pub fn chunk_count(items: usize) -> usize {
    ITEM_CHUNKS.min(items).max(1)
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
    let chunks = chunk_count(items);
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
    let parallel = par.is_parallel(nodes);
    par.install(|| sum_tree(0, chunks, parallel, &run_chunk))
}

/// The sum of the chunk buffers `lo..hi`, added along the fixed binary tree that splits
/// at the middle: the same additions in the same order whether the halves run in parallel
/// or not. At most one buffer per tree level is alive on each thread.
fn sum_tree<R>(lo: usize, hi: usize, parallel: bool, run: &R) -> Result<Vec<f64>, Cancelled>
where
    R: Fn(usize) -> Result<Vec<f64>, Cancelled> + Sync,
{
    if hi - lo == 1 {
        return run(lo);
    }
    let mid = lo + (hi - lo) / 2;
    let (left, right) = if parallel {
        rayon::join(
            || sum_tree(lo, mid, parallel, run),
            || sum_tree(mid, hi, parallel, run),
        )
    } else {
        (
            sum_tree(lo, mid, parallel, run),
            sum_tree(mid, hi, parallel, run),
        )
    };
    let (mut total, right) = (left?, right?);
    for (t, r) in total.iter_mut().zip(&right) {
        *t += r;
    }
    Ok(total)
}

/// Fills `out` slice by slice (slices of [`CHUNK`] nodes; `f(first_index, slice)` fills one
/// and returns its partial sum) and returns the in-order sum of the partial sums, so the
/// result is the same sequentially and in parallel. `partials` holds one entry per slice.
pub(crate) fn fill_chunks_sum<F>(out: &mut [f64], partials: &mut [f64], parallel: bool, f: F) -> f64
where
    F: Fn(usize, &mut [f64]) -> f64 + Sync,
{
    debug_assert_eq!(partials.len(), out.len().div_ceil(CHUNK));
    if parallel {
        out.par_chunks_mut(CHUNK)
            .zip(partials.par_iter_mut())
            .enumerate()
            .for_each(|(i, (chunk, p))| *p = f(i * CHUNK, chunk));
    } else {
        out.chunks_mut(CHUNK)
            .zip(partials.iter_mut())
            .enumerate()
            .for_each(|(i, (chunk, p))| *p = f(i * CHUNK, chunk));
    }
    partials.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::Silent;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn chunk_count_depends_only_on_the_items() {
        assert_eq!(chunk_count(10_000), ITEM_CHUNKS);
        assert_eq!(chunk_count(3), 3);
        assert_eq!(chunk_count(0), 1);
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
        // Bitwise equal: the chunks and the order of additions do not depend on threads.
        let seq = seq.unwrap();
        assert_eq!(seq, par.unwrap());
        for threads in [2, 5, 8] {
            let p = Parallelism::with_threads(threads);
            assert_eq!(
                sum_over_items(0, 7, 1000, &p, &Silent, || (), body).unwrap(),
                seq
            );
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
