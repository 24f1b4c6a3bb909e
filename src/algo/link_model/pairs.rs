//! The candidate pairs of two node sets, visited source by source in fixed chunks.

use std::ops::Range;

use crate::algo::link_features::{NodeData, Structure, Sweep, SweepPool};
use crate::algo::parallel::{chunk_count, Parallelism};
use crate::algo::rng::mix64;
use crate::graph::Csr;

/// Which pairs are candidates: a source of the first kind and a target of the second,
/// distinct and not tied in the graph at hand. When both kinds are one kind, each unordered
/// pair is one candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairSpace {
    /// Nodes of the first kind, ascending.
    pub sources: Vec<u32>,
    /// Nodes of the second kind, ascending.
    pub targets: Vec<u32>,
    /// Whether the two kinds are one kind (then `sources == targets`).
    pub same_kind: bool,
}

impl PairSpace {
    /// The number of ordered (source, target) combinations, ties included.
    pub fn size(&self) -> u64 {
        self.sources.len() as u64 * self.targets.len() as u64
    }

    /// `(u, v)` as the space names it: for one kind, the smaller node first.
    pub fn canonical(&self, u: u32, v: u32) -> (u32, u32) {
        if self.same_kind && v < u {
            (v, u)
        } else {
            (u, v)
        }
    }
}

/// A seeded hash of a pair: the tie-break key of rankings and the sampling key of
/// bottom-k samples. Symmetric callers pass the canonical order.
pub fn pair_key(seed: u64, u: u32, v: u32) -> u64 {
    mix64(mix64(seed ^ 0x6c69_6e6b_7072_6564) ^ ((u64::from(u) << 32) | u64::from(v)))
}

/// Runs `work` on contiguous chunks of `0..items` (as many as
/// [`crate::algo::parallel::chunk_count`] says: a number that depends on `items` only) and
/// folds the results with `merge` along the fixed binary tree that splits at the middle, left
/// part first — so the result is the same sequentially or on any number of threads, and at
/// most one partial result per tree level is alive on each thread.
pub(crate) fn fold_chunks<A, F, M>(
    par: &Parallelism,
    nodes: usize,
    items: usize,
    work: F,
    merge: M,
) -> A
where
    A: Send,
    F: Fn(Range<usize>) -> A + Sync,
    M: Fn(A, A) -> A + Sync,
{
    fn tree<A: Send>(
        lo: usize,
        hi: usize,
        parallel: bool,
        leaf: &(impl Fn(usize) -> A + Sync),
        merge: &(impl Fn(A, A) -> A + Sync),
    ) -> A {
        if hi - lo == 1 {
            return leaf(lo);
        }
        let mid = lo + (hi - lo) / 2;
        let (left, right) = if parallel {
            rayon::join(
                || tree(lo, mid, parallel, leaf, merge),
                || tree(mid, hi, parallel, leaf, merge),
            )
        } else {
            (
                tree(lo, mid, parallel, leaf, merge),
                tree(mid, hi, parallel, leaf, merge),
            )
        };
        merge(left, right)
    }
    let chunks = chunk_count(items);
    let leaf = |c: usize| work(c * items / chunks..(c + 1) * items / chunks);
    let parallel = par.is_parallel(nodes);
    par.install(|| tree(0, chunks, parallel, &leaf, &merge))
}

/// Calls `visit(acc, sweep, u, v)` for every candidate pair whose source is in `sources`
/// (a subset of the space's sources, ascending), `sweep` having run from `u`, one
/// accumulator per chunk, and folds the accumulators with `merge` (see [`fold_chunks`]):
/// within a chunk sources come in order and targets ascending, so a `merge` that appends
/// gives the sequential visiting order.
///
/// With one kind, a pair whose two ends are both in `sources` is visited once, from its
/// smaller end; a pair with one end outside `sources` is visited from the end inside.
#[allow(clippy::too_many_arguments)]
pub(crate) fn visit_pairs<A, M, F, R>(
    graph: &Csr,
    structure: &Structure,
    data: &NodeData,
    space: &PairSpace,
    sources: &[u32],
    par: &Parallelism,
    make: M,
    visit: F,
    merge: R,
) -> A
where
    A: Send,
    M: Fn() -> A + Sync,
    F: Fn(&mut A, &Sweep<'_>, u32, u32) + Sync,
    R: Fn(A, A) -> A + Sync,
{
    let n = graph.node_count();
    let in_sources: Vec<bool> = if space.same_kind {
        let mut mark = vec![false; n];
        for &u in sources {
            mark[u as usize] = true;
        }
        mark
    } else {
        Vec::new()
    };
    let pool = SweepPool::new(graph, structure, data);
    fold_chunks(
        par,
        n,
        sources.len(),
        |range| {
            let mut acc = make();
            let mut sweep = pool.take();
            for &u in &sources[range] {
                sweep.run(u);
                for &v in &space.targets {
                    if v == u || sweep.is_adjacent(v) {
                        continue;
                    }
                    if space.same_kind && v < u && in_sources[v as usize] {
                        continue;
                    }
                    visit(&mut acc, &sweep, u, v);
                }
            }
            pool.give(sweep);
            acc
        },
        merge,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Csr;

    fn count(space: &PairSpace, sources: &[u32], par: &Parallelism) -> Vec<(u32, u32)> {
        let g = Csr::from_pairs(6, false, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        let s = Structure::of(&g, 0);
        let d = NodeData::empty(6);
        visit_pairs(
            &g,
            &s,
            &d,
            space,
            sources,
            par,
            Vec::new,
            |acc, sweep, u, v| {
                assert_eq!(sweep.source(), u);
                acc.push(space.canonical(u, v));
            },
            |mut a, b| {
                a.extend(b);
                a
            },
        )
    }

    #[test]
    fn every_untied_pair_once_in_the_same_order_at_any_thread_count() {
        let one = PairSpace {
            sources: (0..6).collect(),
            targets: (0..6).collect(),
            same_kind: true,
        };
        let seq = count(&one, &one.sources, &Parallelism::sequential());
        // 15 pairs of 6 nodes, 4 of them tied.
        assert_eq!(seq.len(), 11);
        let mut sorted = seq.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 11);
        assert_eq!(
            count(&one, &one.sources, &Parallelism::with_threads(3)),
            seq
        );
        // A subset of sources: pairs with an end in it, each once.
        let some = count(&one, &[1, 4], &Parallelism::sequential());
        assert_eq!(some, vec![(1, 3), (1, 4), (1, 5), (0, 4), (2, 4), (4, 5)]);
        let two = PairSpace {
            sources: vec![0, 1],
            targets: vec![2, 3, 4, 5],
            same_kind: false,
        };
        assert_eq!(
            count(&two, &two.sources, &Parallelism::with_threads(2)),
            vec![(0, 2), (0, 3), (0, 4), (0, 5), (1, 3), (1, 4), (1, 5)]
        );
    }

    #[test]
    fn pair_keys_depend_on_the_seed_and_the_order() {
        assert_ne!(pair_key(1, 2, 3), pair_key(2, 2, 3));
        assert_ne!(pair_key(1, 2, 3), pair_key(1, 3, 2));
        assert_eq!(pair_key(7, 2, 3), pair_key(7, 2, 3));
    }
}
