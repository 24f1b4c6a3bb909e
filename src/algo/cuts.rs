//! Articulation points (cut vertices) and bridges (cut edges) by depth-first search with
//! low-points (Hopcroft & Tarjan 1973, "Algorithm 447: efficient algorithms for graph
//! manipulation"; Tarjan 1974 for bridges), as NetworkX `articulation_points` and `bridges`.
//!
//! The search is iterative (explicit stack), so graphs with hundreds of thousands of nodes
//! in a long chain cannot overflow the thread's stack. Semantics are undirected: a directed
//! graph is treated as its undirected version (a tie wherever there is an arc either way),
//! which is what NetworkX computes on `G.to_undirected()`.

use crate::algo::structural_holes::MutualRows;
use crate::graph::Csr;

/// Articulation points and bridges of one graph.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cuts {
    /// Nodes whose removal increases the number of connected components, ascending.
    pub articulation_points: Vec<usize>,
    /// Ties whose removal increases the number of connected components, as `(u, v)` with
    /// `u < v`, ascending.
    pub bridges: Vec<(usize, usize)>,
}

/// Articulation points and bridges (undirected semantics, see the module documentation).
///
/// # Returns
/// [`Cuts`], both lists sorted.
///
/// # Complexity
/// O(n + m) time, O(n) extra memory (plus an O(m) undirected copy for directed graphs).
pub fn cuts(g: &Csr) -> Cuts {
    if g.is_directed() {
        let rows = MutualRows::new(g, false);
        cuts_with(rows.node_count(), |v| rows.neighbors(v))
    } else {
        cuts_with(g.node_count(), |v| g.out_neighbors(v))
    }
}

/// Articulation points only (see [`cuts`]).
pub fn articulation_points(g: &Csr) -> Vec<usize> {
    cuts(g).articulation_points
}

/// Bridges only (see [`cuts`]).
pub fn bridges(g: &Csr) -> Vec<(usize, usize)> {
    cuts(g).bridges
}

fn cuts_with<'a, F>(n: usize, neighbors: F) -> Cuts
where
    F: Fn(usize) -> &'a [u32],
{
    const UNSEEN: u32 = u32::MAX;
    const NO_PARENT: u32 = u32::MAX;
    let mut disc = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut is_cut = vec![false; n];
    let mut bridges = Vec::new();
    // (node, parent, next neighbour position)
    let mut stack: Vec<(u32, u32, u32)> = Vec::new();
    let mut time = 0u32;
    for root in 0..n {
        if disc[root] != UNSEEN {
            continue;
        }
        disc[root] = time;
        low[root] = time;
        time += 1;
        let mut root_children = 0usize;
        stack.push((root as u32, NO_PARENT, 0));
        while let Some(top) = stack.last_mut() {
            let (v, parent) = (top.0 as usize, top.1);
            let nb = neighbors(v);
            if let Some(&w) = nb.get(top.2 as usize) {
                top.2 += 1;
                // Ties are simple (merged), so skipping the parent node skips exactly the
                // tie we arrived by.
                if w == parent {
                    continue;
                }
                let w = w as usize;
                if disc[w] == UNSEEN {
                    disc[w] = time;
                    low[w] = time;
                    time += 1;
                    if v == root {
                        root_children += 1;
                    }
                    stack.push((w as u32, v as u32, 0));
                } else {
                    low[v] = low[v].min(disc[w]);
                }
            } else {
                stack.pop();
                if parent != NO_PARENT {
                    let p = parent as usize;
                    low[p] = low[p].min(low[v]);
                    if low[v] > disc[p] {
                        bridges.push((p.min(v), p.max(v)));
                    }
                    if p != root && low[v] >= disc[p] {
                        is_cut[p] = true;
                    }
                }
            }
        }
        if root_children >= 2 {
            is_cut[root] = true;
        }
    }
    bridges.sort_unstable();
    Cuts {
        articulation_points: (0..n).filter(|&v| is_cut[v]).collect(),
        bridges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::components::connected_components;
    use crate::algo::degree::reference::cases;
    use crate::graph::Csr;
    use proptest::prelude::*;

    #[test]
    fn matches_networkx_on_reference_graphs() {
        for c in cases() {
            let cut = cuts(&c.graph);
            assert_eq!(
                cut.articulation_points,
                c.usizes("articulation_points"),
                "{}",
                c.name
            );
            assert_eq!(cut.bridges, c.pairs("bridges"), "{}", c.name);
        }
    }

    #[test]
    fn long_path_does_not_overflow() {
        let n = 300_000u32;
        let pairs: Vec<(u32, u32)> = (1..n).map(|i| (i - 1, i)).collect();
        let g = Csr::from_pairs(n as usize, false, &pairs);
        let c = cuts(&g);
        assert_eq!(c.articulation_points.len(), n as usize - 2);
        assert_eq!(c.bridges.len(), n as usize - 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn agrees_with_removal(
            n in 1usize..25,
            raw in proptest::collection::vec((0u32..25, 0u32..25), 0..45),
        ) {
            let pairs: Vec<(u32, u32)> =
                raw.into_iter().map(|(a, b)| (a % n as u32, b % n as u32)).collect();
            let g = Csr::from_pairs(n, false, &pairs);
            let base = connected_components(&g).count();
            let cut = cuts(&g);
            for v in 0..n {
                let rest: Vec<(u32, u32)> = pairs.iter().copied()
                    .filter(|&(a, b)| a as usize != v && b as usize != v).collect();
                // Removing v: components among the other n - 1 nodes.
                let h = Csr::from_pairs(n, false, &rest);
                let after = connected_components(&h).count() - 1;
                prop_assert_eq!(cut.articulation_points.contains(&v), after > base, "node {}", v);
            }
            let mut edges: Vec<(usize, usize)> = Vec::new();
            for v in 0..n {
                for &u in g.out_neighbors(v) {
                    if v < u as usize { edges.push((v, u as usize)); }
                }
            }
            for &(a, b) in &edges {
                let rest: Vec<(u32, u32)> = edges.iter().copied()
                    .filter(|&e| e != (a, b)).map(|(x, y)| (x as u32, y as u32)).collect();
                let h = Csr::from_pairs(n, false, &rest);
                let after = connected_components(&h).count();
                prop_assert_eq!(cut.bridges.contains(&(a, b)), after > base, "tie {:?}", (a, b));
            }
        }
    }
}
