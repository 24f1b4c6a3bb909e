//! Single-source shortest-path DAGs, the building block of Brandes' betweenness
//! (U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25(2),
//! 2001) and of closeness / harmonic centrality.
//!
//! A search from a source `s` records, for every node reached, its distance, the number
//! `sigma` of shortest `s`-paths reaching it, and the order `S` in which nodes were settled
//! (non-decreasing distance). Predecessors are **not stored**: the predecessors of `w` on
//! shortest paths are exactly the neighbours `v` of `w` against the search direction with
//! `dist[v] + len(v, w) == dist[w]`, found again by scanning the CSR slice
//! ([`ShortestPathDag::for_each_predecessor`]). The comparison is exact (no tolerance),
//! with the same floating-point sums as the search itself, which is also what NetworkX does
//! (`vw_dist == seen[w]` in `_single_source_dijkstra_path_basic`).
//!
//! Conventions:
//! * **Unweighted** searches (BFS) count hops and ignore weights.
//! * **Weighted** searches (Dijkstra with a binary heap) read the tie weight as a *strength*
//!   and use the length `1.0 / weight`, so strong ties are short. Ties whose length is not
//!   finite and positive (weight `<= 0`, infinite or NaN) are ignored.
//! * A search runs *forward* (along out-ties: distances from the source) or *backward*
//!   (along in-ties: distances to the source). Undirected graphs look the same both ways.
//!
//! The workspace is allocated once per thread ([`ShortestPathDag::new`]) and reset in time
//! proportional to the nodes reached, so a search allocates nothing once the workspace has
//! grown to the graph's size.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::graph::Csr;

/// Hop count of nodes not reached.
const UNREACHED: u32 = u32::MAX;

/// Which ties a search follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Along out-ties: distances *from* the source.
    Forward,
    /// Along in-ties: distances *to* the source.
    Backward,
}

/// Length of a tie of the given weight (strength) in weighted searches, or `None` when the
/// tie cannot be used (weight not finite and positive).
#[inline]
pub fn tie_length(weight: f64) -> Option<f64> {
    let len = 1.0 / weight;
    (len > 0.0 && len.is_finite()).then_some(len)
}

#[inline]
fn neighbor_ids(g: &Csr, v: usize, dir: Direction) -> &[u32] {
    match dir {
        Direction::Forward => g.out_neighbors(v),
        Direction::Backward => g.in_neighbors(v),
    }
}

#[inline]
fn neighbors(g: &Csr, v: usize, dir: Direction) -> (&[u32], &[f64]) {
    match dir {
        Direction::Forward => (g.out_neighbors(v), g.out_weights(v)),
        Direction::Backward => (g.in_neighbors(v), g.in_weights(v)),
    }
}

/// Heap entry for Dijkstra: ordered so that [`BinaryHeap`] (a max-heap) pops the smallest
/// distance first, ties broken by the smaller node.
#[derive(Debug, Clone, Copy)]
struct Entry {
    dist: f64,
    node: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .dist
            .total_cmp(&self.dist)
            .then_with(|| other.node.cmp(&self.node))
    }
}

/// The shortest-path DAG of the last search, and the reusable buffers it lives in.
///
/// After [`ShortestPathDag::bfs`] or [`ShortestPathDag::dijkstra`], [`Self::order`] lists
/// the reached nodes by non-decreasing distance (the source first), and
/// [`Self::sigma`] / [`Self::hops`] / [`Self::distance`] describe them. A fourth buffer is
/// scratch space for [`Self::accumulate`].
#[derive(Debug, Clone, Default)]
pub struct ShortestPathDag {
    /// Nodes reached, in settling order (Brandes' stack `S`; BFS queue order): the first
    /// `reached` entries of a buffer of length `n`.
    order: Vec<u32>,
    reached: usize,
    /// Number of shortest paths from the source (0 when not reached).
    sigma: Vec<f64>,
    /// BFS hop distance (`UNREACHED` when not reached; unused by Dijkstra).
    hops: Vec<u32>,
    /// Dijkstra distance (infinite when not reached; unused by BFS).
    dist: Vec<f64>,
    /// Scratch for Brandes' accumulation: `(1 + delta(w))/sigma(w)` of processed nodes.
    coeff: Vec<f64>,
    heap: BinaryHeap<Entry>,
    weighted: bool,
    direction: Option<Direction>,
}

impl ShortestPathDag {
    /// An empty workspace for graphs of `n` nodes.
    pub fn new(n: usize) -> Self {
        ShortestPathDag {
            order: vec![0; n],
            reached: 0,
            sigma: vec![0.0; n],
            hops: vec![UNREACHED; n],
            dist: vec![f64::INFINITY; n],
            coeff: vec![0.0; n],
            heap: BinaryHeap::new(),
            weighted: false,
            direction: None,
        }
    }

    /// Forgets the last search (cost proportional to the nodes it reached) and makes room
    /// for `n` nodes.
    fn reset(&mut self, n: usize) {
        for &v in &self.order[..self.reached] {
            let v = v as usize;
            self.sigma[v] = 0.0;
            self.hops[v] = UNREACHED;
            self.dist[v] = f64::INFINITY;
            self.coeff[v] = 0.0;
        }
        self.reached = 0;
        self.heap.clear();
        if self.sigma.len() != n {
            self.order.clear();
            self.order.resize(n, 0);
            self.sigma.clear();
            self.sigma.resize(n, 0.0);
            self.hops.clear();
            self.hops.resize(n, UNREACHED);
            self.dist.clear();
            self.dist.resize(n, f64::INFINITY);
            self.coeff.clear();
            self.coeff.resize(n, 0.0);
        }
    }

    /// Nodes reached by the last search in settling order (non-decreasing distance),
    /// starting with the source; Brandes' stack `S` read bottom to top.
    pub fn order(&self) -> &[u32] {
        &self.order[..self.reached]
    }

    /// Number of shortest paths from the source to `v` (0 if `v` was not reached). Counts
    /// are exact while below 2^53.
    pub fn sigma(&self, v: usize) -> f64 {
        self.sigma[v]
    }

    /// Hop distance of `v` from the last BFS, `None` if not reached.
    pub fn hops(&self, v: usize) -> Option<u32> {
        let h = self.hops[v];
        (h != UNREACHED).then_some(h)
    }

    /// Distance of `v` in the last search (hops for BFS, summed `1/weight` for Dijkstra),
    /// `f64::INFINITY` if not reached.
    pub fn distance(&self, v: usize) -> f64 {
        if self.weighted {
            self.dist[v]
        } else {
            match self.hops[v] {
                UNREACHED => f64::INFINITY,
                h => f64::from(h),
            }
        }
    }

    /// Runs a breadth-first search (every tie has length 1) from `source`.
    ///
    /// Complexity: O(n_reached + m_reached) time, no allocation once the workspace has
    /// grown to the graph's size.
    ///
    /// # Panics
    /// If `source >= g.node_count()`.
    pub fn bfs(&mut self, g: &Csr, source: usize, dir: Direction) {
        self.bfs_core(g, source, None, dir);
    }

    /// BFS from `source` that stops once `target` and every node at its distance have
    /// their final `sigma` (all nodes closer than `target` are expanded). Returns whether
    /// `target` was reached. Nodes at `target`'s distance or beyond may be missing from
    /// [`Self::order`].
    ///
    /// # Panics
    /// If `source` or `target` is `>= g.node_count()`.
    pub fn bfs_until(&mut self, g: &Csr, source: usize, target: usize, dir: Direction) -> bool {
        self.bfs_core(g, source, Some(target), dir);
        self.hops[target] != UNREACHED
    }

    /// The BFS loop, on local slices so that the compiler keeps them in registers.
    fn bfs_core(&mut self, g: &Csr, source: usize, target: Option<usize>, dir: Direction) {
        self.reset(g.node_count());
        self.weighted = false;
        self.direction = Some(dir);
        let hops = &mut self.hops[..];
        let sigma = &mut self.sigma[..];
        let order = &mut self.order[..];
        sigma[source] = 1.0;
        hops[source] = 0;
        order[0] = source as u32;
        let (mut head, mut tail) = (0, 1);
        while head < tail {
            let v = order[head] as usize;
            let hv = hops[v];
            if let Some(t) = target {
                if hops[t] != UNREACHED && hv >= hops[t] {
                    break;
                }
            }
            head += 1;
            let next = hv + 1;
            let sigma_v = sigma[v];
            for &w in neighbor_ids(g, v, dir) {
                let wi = w as usize;
                let hw = hops[wi];
                if hw == UNREACHED {
                    hops[wi] = next;
                    sigma[wi] = sigma_v;
                    // Each node enters once, so `tail < n`.
                    order[tail] = w;
                    tail += 1;
                } else if hw == next {
                    sigma[wi] += sigma_v;
                }
            }
        }
        self.reached = tail;
    }

    /// Runs Dijkstra's algorithm from `source`, with tie length `1.0 / weight` (see the
    /// module documentation), counting shortest paths as NetworkX does: a path through `v`
    /// is tied with the best known path to `w` when `dist[v] + len == dist[w]` exactly.
    ///
    /// Complexity: O((n + m) log n) time with a lazy-deletion binary heap.
    ///
    /// # Panics
    /// If `source >= g.node_count()`.
    pub fn dijkstra(&mut self, g: &Csr, source: usize, dir: Direction) {
        self.reset(g.node_count());
        self.weighted = true;
        self.direction = Some(dir);
        let dist = &mut self.dist[..];
        let sigma = &mut self.sigma[..];
        let order = &mut self.order[..];
        let heap = &mut self.heap;
        let mut reached = 0;
        sigma[source] = 1.0;
        dist[source] = 0.0;
        heap.push(Entry {
            dist: 0.0,
            node: source as u32,
        });
        while let Some(Entry { dist: d, node }) = heap.pop() {
            let v = node as usize;
            // Stale entry: `v` was reached more cheaply after this entry was pushed. Only
            // strict improvements are pushed, so the entry with the final distance is
            // unique and `v` is settled exactly once.
            if d > dist[v] {
                continue;
            }
            order[reached] = node;
            reached += 1;
            let sigma_v = sigma[v];
            let (nbrs, weights) = neighbors(g, v, dir);
            for (&w, &wt) in nbrs.iter().zip(weights) {
                let Some(len) = tie_length(wt) else { continue };
                let wi = w as usize;
                let nd = d + len;
                let dw = dist[wi];
                if nd < dw {
                    dist[wi] = nd;
                    sigma[wi] = sigma_v;
                    heap.push(Entry { dist: nd, node: w });
                } else if nd == dw {
                    sigma[wi] += sigma_v;
                }
            }
        }
        self.reached = reached;
    }

    /// Calls `f(v)` for every predecessor `v` of `w` on shortest paths of the last search
    /// (scanning `w`'s ties against the search direction). `g` must be the searched graph
    /// (another graph gives meaningless results, or panics if it has more nodes).
    #[inline]
    pub fn for_each_predecessor(&self, g: &Csr, w: usize, mut f: impl FnMut(usize)) {
        let back = match self.direction {
            Some(Direction::Forward) => Direction::Backward,
            Some(Direction::Backward) => Direction::Forward,
            None => return,
        };
        let (nbrs, weights) = neighbors(g, w, back);
        if self.weighted {
            let dw = self.dist[w];
            for (&v, &wt) in nbrs.iter().zip(weights) {
                if let Some(len) = tie_length(wt) {
                    if self.dist[v as usize] + len == dw {
                        f(v as usize);
                    }
                }
            }
        } else {
            let hw = self.hops[w];
            if hw == 0 || hw == UNREACHED {
                return;
            }
            let hv = hw - 1;
            for &v in nbrs {
                if self.hops[v as usize] == hv {
                    f(v as usize);
                }
            }
        }
    }

    /// Brandes' dependency accumulation for the last search: walks [`Self::order`] backwards
    /// and calls `add(v, delta_s(v))` for every reached node `v` other than the source,
    /// where `delta_s(v) = sum over successors w of sigma(v)/sigma(w) * (1 + delta_s(w))`.
    ///
    /// Computed in pull form, `delta_s(v) = sigma(v) * sum_w (1 + delta_s(w))/sigma(w)`,
    /// scanning `v`'s own ties in the search direction (successors are the `w` with
    /// `dist[v] + len(v, w) == dist[w]`, the search's own exact test), with a scratch
    /// buffer holding the coefficients `(1 + delta_s(w))/sigma(w)` of processed nodes. This
    /// avoids scattered writes; it differs from NetworkX's push form only in rounding.
    ///
    /// `g` must be the searched graph, as for [`Self::for_each_predecessor`].
    ///
    /// Complexity: O(n_reached + m_reached); no allocation.
    pub fn accumulate(&mut self, g: &Csr, mut add: impl FnMut(usize, f64)) {
        let Some(dir) = self.direction else { return };
        let Some((_, rest)) = self.order[..self.reached].split_first() else {
            return;
        };
        let sigma = &self.sigma[..];
        let coeff = &mut self.coeff[..];
        if self.weighted {
            let dist = &self.dist[..];
            for &v in rest.iter().rev() {
                let v = v as usize;
                let dv = dist[v];
                let mut sum = 0.0;
                let (nbrs, weights) = neighbors(g, v, dir);
                for (&w, &wt) in nbrs.iter().zip(weights) {
                    let w = w as usize;
                    if let Some(len) = tie_length(wt) {
                        if dv + len == dist[w] {
                            sum += coeff[w];
                        }
                    }
                }
                let sigma_v = sigma[v];
                let delta_v = sigma_v * sum;
                coeff[v] = (1.0 + delta_v) / sigma_v;
                add(v, delta_v);
            }
        } else {
            let hops = &self.hops[..];
            for &v in rest.iter().rev() {
                let v = v as usize;
                let next = hops[v] + 1;
                let mut sum = 0.0;
                for &w in neighbor_ids(g, v, dir) {
                    let w = w as usize;
                    // Branch-free (the test mispredicts often); adding 0.0 changes nothing.
                    let c = coeff[w];
                    sum += if hops[w] == next { c } else { 0.0 };
                }
                let sigma_v = sigma[v];
                let delta_v = sigma_v * sum;
                coeff[v] = (1.0 + delta_v) / sigma_v;
                add(v, delta_v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::test_graphs::{cycle, kite};
    use crate::graph::Csr;

    #[test]
    fn bfs_counts_shortest_paths() {
        let g = cycle(6);
        let mut dag = ShortestPathDag::new(6);
        dag.bfs(&g, 0, Direction::Forward);
        assert_eq!(dag.order()[0], 0);
        assert_eq!(dag.order().len(), 6);
        assert_eq!(dag.hops(3), Some(3));
        assert_eq!(dag.sigma(3), 2.0);
        assert_eq!(dag.sigma(2), 1.0);
        let mut preds = Vec::new();
        dag.for_each_predecessor(&g, 3, |v| preds.push(v));
        assert_eq!(preds, vec![2, 4]);
        // Reuse of the workspace from another source.
        dag.bfs(&g, 3, Direction::Forward);
        assert_eq!(dag.sigma(0), 2.0);
        assert_eq!(dag.distance(0), 3.0);
    }

    #[test]
    fn directed_search_directions() {
        let g = Csr::from_pairs(3, true, &[(0, 1), (1, 2)]);
        let mut dag = ShortestPathDag::new(3);
        dag.bfs(&g, 1, Direction::Forward);
        assert_eq!(dag.order(), &[1, 2]);
        assert_eq!(dag.hops(0), None);
        dag.bfs(&g, 1, Direction::Backward);
        assert_eq!(dag.order(), &[1, 0]);
        assert_eq!(dag.distance(2), f64::INFINITY);
    }

    #[test]
    fn dijkstra_uses_inverse_weights_and_counts_ties() {
        // Lengths: 0-1 .5, 1-3 .5, 0-2 .5, 2-3 .5, 0-3 2, 2-4 .25: two shortest 0→3 paths.
        let g = Csr::from_edges(
            5,
            false,
            &[
                (0, 1, 2.0),
                (1, 3, 2.0),
                (0, 2, 2.0),
                (2, 3, 2.0),
                (0, 3, 0.5),
                (2, 4, 4.0),
            ],
        );
        let mut dag = ShortestPathDag::new(5);
        dag.dijkstra(&g, 0, Direction::Forward);
        assert_eq!(dag.order()[0], 0);
        assert_eq!(dag.distance(3), 1.0);
        assert_eq!(dag.distance(4), 0.75);
        assert_eq!(dag.sigma(3), 2.0);
        let mut preds = Vec::new();
        dag.for_each_predecessor(&g, 3, |v| preds.push(v));
        assert_eq!(preds, vec![1, 2]);
        let mut deps = vec![0.0; 5];
        dag.accumulate(&g, |w, d| deps[w] = d);
        assert_eq!(deps, vec![0.0, 0.5, 1.5, 0.0, 0.0]);
    }

    #[test]
    fn non_positive_weights_are_ignored() {
        let g = Csr::from_edges(3, false, &[(0, 1, 0.0), (1, 2, 1.0), (0, 2, -1.0)]);
        let mut dag = ShortestPathDag::new(3);
        dag.dijkstra(&g, 0, Direction::Forward);
        assert_eq!(dag.order(), &[0]);
        assert!(tie_length(f64::NAN).is_none() && tie_length(f64::INFINITY).is_none());
    }

    #[test]
    fn bfs_until_stops_after_target_level() {
        let g = kite();
        let mut dag = ShortestPathDag::new(10);
        assert!(dag.bfs_until(&g, 0, 7, Direction::Forward));
        assert_eq!(dag.hops(7), Some(2));
        assert_eq!(dag.sigma(7), 1.0);
        assert!(dag.hops(9).is_none());
    }
}

/// Shared test helpers: NetworkX reference values and random graphs.
#[cfg(test)]
pub(crate) mod test_support {
    use proptest::prelude::*;
    use serde_json::Value;

    use crate::algo::test_graphs::{florentine, karate, kite};
    use crate::graph::Csr;

    /// `fixtures/graphs/reference/paths.json`, made by `make_paths_reference.py`.
    pub(crate) fn reference() -> Value {
        serde_json::from_str(include_str!("../../fixtures/graphs/reference/paths.json"))
            .expect("paths.json parses")
    }

    /// A graph named in the reference file: a fixture or one of its inline graphs.
    pub(crate) fn reference_graph(refs: &Value, name: &str) -> Csr {
        match name {
            "karate" => karate(),
            "florentine" => florentine(),
            "kite" => kite(),
            _ => crate::algo::test_graphs::from_reference(&refs["graphs"][name]),
        }
    }

    /// Asserts `got` equals the JSON array `expected` within `tol`, element by element.
    pub(crate) fn assert_close(got: &[f64], expected: &Value, tol: f64, what: &str) {
        let expected: Vec<f64> = expected
            .as_array()
            .expect("array")
            .iter()
            .map(|x| x.as_f64().expect("number"))
            .collect();
        assert_eq!(got.len(), expected.len(), "{what}: length");
        for (i, (a, b)) in got.iter().zip(&expected).enumerate() {
            assert!(
                (a - b).abs() <= tol,
                "{what}: node {i}: got {a}, NetworkX {b}"
            );
        }
    }

    /// A random graph on 2..24 nodes, directed or not, with strengths 1..=4.
    pub(crate) fn arb_graph() -> impl Strategy<Value = Csr> {
        (2usize..24, any::<bool>()).prop_flat_map(|(n, directed)| {
            proptest::collection::vec((0..n as u32, 0..n as u32, 1u8..5), 0..3 * n).prop_map(
                move |edges| {
                    let edges: Vec<(u32, u32, f64)> = edges
                        .into_iter()
                        .map(|(u, v, w)| (u, v, f64::from(w)))
                        .collect();
                    Csr::from_edges(n, directed, &edges)
                },
            )
        })
    }
}
