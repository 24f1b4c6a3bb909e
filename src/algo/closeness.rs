//! Closeness and harmonic centrality, as NetworkX 3.6 computes them.
//!
//! Both use **incoming** distances on directed graphs: the distance from every other node
//! *to* `v` (NetworkX's `closeness_centrality` searches the reversed graph; its
//! `harmonic_centrality` adds `1/d(u, v)` to `v` for every source `u`). Here each node runs
//! one search along in-ties. Undirected graphs have no direction to choose.
//!
//! Weighted variants read a tie weight as its strength and use the length `1.0 / weight`
//! (see [`crate::algo::shortest_paths`]); ties with weight `<= 0` or not finite are ignored.

use super::observe::{Cancelled, Observer};
use super::parallel::{sum_over_items, Parallelism};
use super::shortest_paths::{Direction, ShortestPathDag};
use crate::graph::Csr;

/// Closeness centrality of every node, as NetworkX
/// `closeness_centrality(G, distance=..., wf_improved=...)`.
///
/// A. Bavelas, "Communication patterns in task-oriented groups", *J. Acoust. Soc. Am.*
/// 22(6), 1950; the improved form of S. Wasserman and K. Faust, *Social Network Analysis*,
/// Cambridge University Press, 1994.
///
/// # Arguments
/// * `g` — the graph; on directed graphs the distances *to* each node are used.
/// * `weighted` — tie length `1.0 / weight` (Dijkstra) instead of hops (BFS).
/// * `wf_improved` — scale by the fraction of other nodes that reach `v` (NetworkX's
///   default, `true`), which makes values comparable across components.
/// * `par`, `observer` — parallel policy; one progress step per node.
///
/// # Returns
/// For node `v` reached from `r − 1` other nodes at total distance `D`:
/// `(r − 1)/D`, times `(r − 1)/(n − 1)` if `wf_improved`; 0 when `D = 0` (isolated node,
/// or `n = 1`). `Err(Cancelled)` if the observer asked to stop.
///
/// # Complexity
/// O(n (n + m)) time unweighted, O(n (n + m) log n) weighted; O(n) memory per chunk.
pub fn closeness(
    g: &Csr,
    weighted: bool,
    wf_improved: bool,
    par: &Parallelism,
    observer: &dyn Observer,
) -> Result<Vec<f64>, Cancelled> {
    let n = g.node_count();
    let value = |others: f64, total: f64| {
        let mut c = 0.0;
        if total > 0.0 && n > 1 {
            c = others / total;
            if wf_improved {
                c *= others / (n as f64 - 1.0);
            }
        }
        c
    };
    if !weighted {
        return per_node_levels(g, par, observer, |levels| {
            let others: u64 = levels.iter().sum();
            let total: u64 = levels
                .iter()
                .enumerate()
                .map(|(d, &count)| (d as u64 + 1) * count)
                .sum();
            value(others as f64, total as f64)
        });
    }
    per_node(g, weighted, par, observer, |dag| {
        let order = dag.order();
        let total: f64 = order.iter().map(|&v| dag.distance(v as usize)).sum();
        value(order.len() as f64 - 1.0, total)
    })
}

/// Harmonic centrality of every node, as NetworkX `harmonic_centrality(G, distance=...)`:
/// the sum of `1/d(u, v)` over the other nodes `u` that reach `v` (unnormalised).
///
/// M. Marchiori and V. Latora, "Harmony in the small-world", *Physica A* 285, 2000;
/// P. Boldi and S. Vigna, "Axioms for centrality", *Internet Mathematics* 10, 2014.
///
/// # Arguments
/// * `g` — the graph; on directed graphs distances *to* `v` are used (checked against
///   NetworkX on a directed reference graph).
/// * `weighted` — tie length `1.0 / weight` instead of hops.
/// * `par`, `observer` — parallel policy; one progress step per node.
///
/// # Returns
/// One value per node in `[0, n − 1]` for unweighted graphs, or `Err(Cancelled)`.
///
/// # Complexity
/// As [`closeness`].
pub fn harmonic(
    g: &Csr,
    weighted: bool,
    par: &Parallelism,
    observer: &dyn Observer,
) -> Result<Vec<f64>, Cancelled> {
    if !weighted {
        return per_node_levels(g, par, observer, |levels| {
            levels
                .iter()
                .enumerate()
                .map(|(d, &count)| count as f64 / (d as f64 + 1.0))
                .sum()
        });
    }
    per_node(g, weighted, par, observer, |dag| {
        dag.order()
            .iter()
            .skip(1)
            .map(|&v| 1.0 / dag.distance(v as usize))
            .sum()
    })
}

/// A breadth-first search that only counts how many nodes lie at each distance: all that
/// unweighted closeness and harmonic need, without the path counts of a full
/// shortest-path DAG. Reused across sources; allocates nothing per search.
struct LevelSearch {
    seen: Vec<u32>,
    stamp: u32,
    queue: Vec<u32>,
    /// `levels[d]` = nodes at distance `d + 1`.
    levels: Vec<u64>,
}

impl LevelSearch {
    fn new(n: usize) -> Self {
        LevelSearch {
            seen: vec![0; n],
            stamp: 0,
            queue: Vec::with_capacity(n),
            levels: Vec::new(),
        }
    }

    /// Counts, per distance, the nodes that reach `target` along in-ties.
    fn run(&mut self, g: &Csr, target: usize) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.fill(0);
            self.stamp = 1;
        }
        let stamp = self.stamp;
        self.levels.clear();
        self.queue.clear();
        self.queue.push(target as u32);
        self.seen[target] = stamp;
        let mut head = 0;
        while head < self.queue.len() {
            let level_end = self.queue.len();
            while head < level_end {
                let v = self.queue[head] as usize;
                head += 1;
                for &u in g.in_neighbors(v) {
                    let seen = &mut self.seen[u as usize];
                    if *seen != stamp {
                        *seen = stamp;
                        self.queue.push(u);
                    }
                }
            }
            let found = (self.queue.len() - level_end) as u64;
            if found > 0 {
                self.levels.push(found);
            }
        }
    }
}

/// Runs one level-counting search per node and stores `score(levels)` at that node.
fn per_node_levels(
    g: &Csr,
    par: &Parallelism,
    observer: &dyn Observer,
    score: impl Fn(&[u64]) -> f64 + Sync,
) -> Result<Vec<f64>, Cancelled> {
    let n = g.node_count();
    sum_over_items(
        n,
        n,
        n,
        par,
        observer,
        || LevelSearch::new(n),
        |search, v, out| {
            search.run(g, v);
            out[v] = score(&search.levels);
        },
    )
}

/// Runs one incoming-distance search per node and stores `score(search)` at that node.
fn per_node(
    g: &Csr,
    weighted: bool,
    par: &Parallelism,
    observer: &dyn Observer,
    score: impl Fn(&ShortestPathDag) -> f64 + Sync,
) -> Result<Vec<f64>, Cancelled> {
    let n = g.node_count();
    sum_over_items(
        n,
        n,
        n,
        par,
        observer,
        || ShortestPathDag::new(n),
        |dag, v, out| {
            if weighted {
                dag.dijkstra(g, v, Direction::Backward);
            } else {
                dag.bfs(g, v, Direction::Backward);
            }
            out[v] = score(dag);
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::shortest_paths::test_support::{
        arb_graph, assert_close, reference, reference_graph,
    };
    use crate::algo::test_graphs::{path, star};
    use crate::algo::Silent;
    use proptest::prelude::*;

    #[test]
    fn matches_networkx_on_reference_graphs() {
        let refs = reference();
        let seq = Parallelism::sequential();
        let mut checked = 0;
        for (name, res) in refs["results"].as_object().expect("results") {
            let g = reference_graph(&refs, name);
            for (kind, weighted) in [("unweighted", false), ("weighted", true)] {
                let Some(r) = res.get(kind) else { continue };
                let what = format!("{name} {kind}");
                let c = closeness(&g, weighted, true, &seq, &Silent).unwrap();
                assert_close(&c, &r["closeness"], 1e-9, &format!("{what} closeness"));
                let c = closeness(&g, weighted, false, &seq, &Silent).unwrap();
                assert_close(
                    &c,
                    &r["closeness_no_wf"],
                    1e-9,
                    &format!("{what} closeness"),
                );
                let h = harmonic(&g, weighted, &seq, &Silent).unwrap();
                assert_close(&h, &r["harmonic"], 1e-9, &format!("{what} harmonic"));
                checked += 1;
            }
        }
        assert!(checked >= 12);
    }

    #[test]
    fn simple_closed_forms() {
        let seq = Parallelism::sequential();
        let c = closeness(&star(5), false, true, &seq, &Silent).unwrap();
        assert_eq!(c[0], 1.0);
        assert!((c[1] - 4.0 / 7.0).abs() < 1e-15);
        let h = harmonic(&path(3), false, &seq, &Silent).unwrap();
        assert_eq!(h, vec![1.5, 2.0, 1.5]);
        let single = closeness(&path(1), false, true, &seq, &Silent).unwrap();
        assert_eq!(single, vec![0.0]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn parallel_matches_sequential(g in arb_graph(), weighted in any::<bool>()) {
            let seq = Parallelism::sequential();
            let par = Parallelism::with_threads(2);
            let a = closeness(&g, weighted, true, &seq, &Silent).unwrap();
            let b = closeness(&g, weighted, true, &par, &Silent).unwrap();
            prop_assert_eq!(a, b);
            let a = harmonic(&g, weighted, &seq, &Silent).unwrap();
            let b = harmonic(&g, weighted, &par, &Silent).unwrap();
            prop_assert_eq!(a, b);
        }
    }
}
