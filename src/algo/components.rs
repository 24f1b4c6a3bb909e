//! Connected components (weakly connected for directed graphs) by petgraph's union-find, and
//! strongly connected components by Tarjan's algorithm (Tarjan 1972, "Depth-first search
//! and linear graph algorithms"), written iteratively so deep graphs cannot overflow the
//! stack.
//!
//! Convention: component ids run from 0 by decreasing size; components of equal size are
//! ordered by their smallest member index. So id 0 is always the (a) giant component.

use petgraph::unionfind::UnionFind;

use crate::graph::Csr;

/// A partition of the nodes into components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// Component id of every node (0 = largest).
    pub labels: Vec<u32>,
    /// Size of every component, indexed by id (non-increasing).
    pub sizes: Vec<usize>,
}

impl Components {
    /// Number of components.
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    /// Members of every component, ascending, indexed by id.
    pub fn members(&self) -> Vec<Vec<u32>> {
        let mut out: Vec<Vec<u32>> = self.sizes.iter().map(|&s| Vec::with_capacity(s)).collect();
        for (v, &c) in self.labels.iter().enumerate() {
            out[c as usize].push(v as u32);
        }
        out
    }

    /// Renumbers raw labels `0..count` by (decreasing size, smallest member).
    pub(crate) fn from_raw(raw: &[u32], count: usize) -> Components {
        let mut size = vec![0usize; count];
        let mut first = vec![u32::MAX; count];
        for (v, &c) in raw.iter().enumerate() {
            size[c as usize] += 1;
            if first[c as usize] == u32::MAX {
                first[c as usize] = v as u32;
            }
        }
        let mut order: Vec<usize> = (0..count).collect();
        order.sort_unstable_by_key(|&c| (std::cmp::Reverse(size[c]), first[c]));
        let mut new_id = vec![0u32; count];
        for (i, &c) in order.iter().enumerate() {
            new_id[c] = i as u32;
        }
        Components {
            labels: raw.iter().map(|&c| new_id[c as usize]).collect(),
            sizes: order.iter().map(|&c| size[c]).collect(),
        }
    }
}

/// Connected components (weakly connected components of a directed graph), as NetworkX
/// `connected_components` / `weakly_connected_components`.
///
/// petgraph's union-find (`petgraph::unionfind::UnionFind`, as in
/// `petgraph::algo::connected_components`) over the ties, then one pass to label: faster
/// than the breadth-first search it replaced (BENCHMARKS.md, "petgraph on the view").
///
/// # Returns
/// [`Components`] numbered by decreasing size, ties by smallest member.
///
/// # Complexity
/// O(m α(n)) time, O(n) extra memory.
pub fn connected_components(g: &Csr) -> Components {
    let n = g.node_count();
    let directed = g.is_directed();
    let mut sets = UnionFind::<u32>::new(n);
    for v in 0..n {
        for &w in g.out_neighbors(v) {
            // An undirected tie is stored both ways: one union is enough.
            if directed || w as usize > v {
                sets.union(v as u32, w);
            }
        }
    }
    let roots = sets.into_labeling();
    let mut raw_of_root = vec![u32::MAX; n];
    let mut raw = vec![0u32; n];
    let mut count = 0u32;
    for (v, &root) in roots.iter().enumerate() {
        let label = &mut raw_of_root[root as usize];
        if *label == u32::MAX {
            *label = count;
            count += 1;
        }
        raw[v] = *label;
    }
    Components::from_raw(&raw, count as usize)
}

/// Strongly connected components, as NetworkX `strongly_connected_components` (for an
/// undirected graph these are its connected components).
///
/// Kept rather than petgraph's `tarjan_scc`, which is recursive (a long chain of arcs
/// overflows the thread's stack; `long_path_does_not_overflow` below runs 300,000 nodes)
/// and was only 1.24× faster on the benchmark graph (BENCHMARKS.md).
///
/// # Returns
/// [`Components`] numbered by decreasing size, ties by smallest member.
///
/// # Complexity
/// O(n + m) time, O(n) extra memory (iterative Tarjan, explicit stacks).
pub fn strongly_connected_components(g: &Csr) -> Components {
    if !g.is_directed() {
        return connected_components(g);
    }
    const UNSEEN: u32 = u32::MAX;
    let n = g.node_count();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let mut raw = vec![0u32; n];
    let mut count = 0u32;
    let mut next_index = 0u32;
    for s in 0..n {
        if index[s] != UNSEEN {
            continue;
        }
        index[s] = next_index;
        low[s] = next_index;
        next_index += 1;
        stack.push(s as u32);
        on_stack[s] = true;
        calls.push((s as u32, 0));
        while let Some(top) = calls.last_mut() {
            let v = top.0 as usize;
            let nb = g.out_neighbors(v);
            if let Some(&w) = nb.get(top.1 as usize) {
                top.1 += 1;
                let w = w as usize;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    calls.push((w as u32, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                calls.pop();
                if let Some(&(p, _)) = calls.last() {
                    let p = p as usize;
                    low[p] = low[p].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        raw[w as usize] = count;
                        if w as usize == v {
                            break;
                        }
                    }
                    count += 1;
                }
            }
        }
    }
    Components::from_raw(&raw, count as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::degree::reference::cases;
    use crate::graph::Csr;
    use proptest::prelude::*;

    #[test]
    fn matches_networkx_on_reference_graphs() {
        for c in cases() {
            let cc = connected_components(&c.graph);
            let want: Vec<u32> = c.usizes("components").iter().map(|&x| x as u32).collect();
            assert_eq!(cc.labels, want, "{}", c.name);
            if c.graph.is_directed() {
                let scc = strongly_connected_components(&c.graph);
                let want: Vec<u32> = c
                    .usizes("strong_components")
                    .iter()
                    .map(|&x| x as u32)
                    .collect();
                assert_eq!(scc.labels, want, "{}", c.name);
            } else {
                assert_eq!(strongly_connected_components(&c.graph), cc);
            }
        }
    }

    #[test]
    fn long_path_does_not_overflow() {
        let n = 300_000u32;
        let pairs: Vec<(u32, u32)> = (1..n).map(|i| (i - 1, i)).collect();
        let g = Csr::from_pairs(n as usize, true, &pairs);
        assert_eq!(strongly_connected_components(&g).count(), n as usize);
        assert_eq!(connected_components(&g).count(), 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn components_partition_the_nodes(
            n in 1usize..50,
            directed in any::<bool>(),
            raw in proptest::collection::vec((0u32..50, 0u32..50), 0..80),
        ) {
            let pairs: Vec<(u32, u32)> =
                raw.into_iter().map(|(a, b)| (a % n as u32, b % n as u32)).collect();
            let g = Csr::from_pairs(n, directed, &pairs);
            for comps in [connected_components(&g), strongly_connected_components(&g)] {
                prop_assert_eq!(comps.labels.len(), n);
                prop_assert_eq!(comps.sizes.iter().sum::<usize>(), n);
                let members = comps.members();
                for (c, m) in members.iter().enumerate() {
                    prop_assert_eq!(m.len(), comps.sizes[c]);
                    prop_assert!(!m.is_empty());
                }
                for w in comps.sizes.windows(2) {
                    prop_assert!(w[0] >= w[1]);
                }
                for (c, m) in members.iter().enumerate().skip(1) {
                    if comps.sizes[c] == comps.sizes[c - 1] {
                        prop_assert!(members[c - 1][0] < m[0]);
                    }
                }
            }
            // Weak components: no tie crosses two components.
            let cc = connected_components(&g);
            for v in 0..n {
                for &u in g.out_neighbors(v) {
                    prop_assert_eq!(cc.labels[v], cc.labels[u as usize]);
                }
            }
            // Strong components refine weak ones.
            let scc = strongly_connected_components(&g);
            for v in 0..n {
                for u in 0..n {
                    if scc.labels[u] == scc.labels[v] {
                        prop_assert_eq!(cc.labels[u], cc.labels[v]);
                    }
                }
            }
        }
    }
}
