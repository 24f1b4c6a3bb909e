//! Edge-disjoint routes between two nodes: how many introductions do not share a single tie
//! (Menger's theorem: their number is the maximum flow with a capacity of one per tie), and
//! one set of such routes.
//!
//! The flow is petgraph's Dinic's algorithm (`petgraph::algo::dinics`; E. A. Dinic 1970)
//! run directly on a copy of the graph whose weights are all 1 (the view's arcs are the
//! flow network: an undirected tie is two opposite arcs of capacity 1, the standard
//! reduction; a directed view keeps its arcs' direction). The routes come from decomposing
//! the flow: opposite flows on the two arcs of one tie cancel, then walks from the source
//! along unused flow arcs reach the target, any loop on the way being cut out. Routes are
//! simple paths and share no tie; they are returned shortest first (then by node
//! sequence).

use petgraph::algo::dinics;

use crate::graph::Csr;

/// The maximum number of edge-disjoint paths from `s` to `t`, and one such family of
/// paths (node lists from `s` to `t`).
///
/// # Returns
/// An empty family when `s == t` or `t` cannot be reached.
///
/// # Complexity
/// Dinic's algorithm on a unit-capacity network: O(m · min(√m, n^{2/3})) time, O(n + m)
/// memory (one copy of the weights and one flow per arc).
pub fn edge_disjoint_paths(g: &Csr, s: u32, t: u32) -> Vec<Vec<u32>> {
    if s == t {
        return Vec::new();
    }
    let unit = g.unweighted();
    let (value, flows) = dinics(&unit, s, t);
    if value < 0.5 {
        return Vec::new();
    }
    let n = g.node_count();
    // Net flow per arc, as 0/1, with opposite flows on one undirected tie cancelled.
    let mut used: Vec<bool> = flows.iter().map(|&f| f > 0.5).collect();
    if !g.is_directed() {
        for v in 0..n {
            let start = g.out_offset(v);
            for (i, &w) in g.out_neighbors(v).iter().enumerate() {
                let arc = start + i;
                if !used[arc] || (w as usize) < v {
                    continue;
                }
                if let Some(back) = arc_index(g, w as usize, v as u32) {
                    if used[back] {
                        used[arc] = false;
                        used[back] = false;
                    }
                }
            }
        }
    }
    let mut paths = Vec::new();
    let mut on_path = vec![usize::MAX; n];
    loop {
        let mut path = vec![s];
        on_path[s as usize] = 0;
        let mut v = s;
        let mut stuck = false;
        while v != t {
            let start = g.out_offset(v as usize);
            let next = g
                .out_neighbors(v as usize)
                .iter()
                .enumerate()
                .find(|&(i, _)| used[start + i]);
            let Some((i, &w)) = next else {
                stuck = true;
                break;
            };
            used[start + i] = false;
            if on_path[w as usize] != usize::MAX {
                // A loop: drop it and carry on from `w`.
                let keep = on_path[w as usize] + 1;
                for &x in &path[keep..] {
                    on_path[x as usize] = usize::MAX;
                }
                path.truncate(keep);
            } else {
                on_path[w as usize] = path.len();
                path.push(w);
            }
            v = w;
        }
        for &x in &path {
            on_path[x as usize] = usize::MAX;
        }
        if stuck {
            break;
        }
        paths.push(path);
    }
    paths.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    paths
}

/// Position of the arc `v → w` among all arcs, if there is one.
fn arc_index(g: &Csr, v: usize, w: u32) -> Option<usize> {
    g.out_neighbors(v)
        .binary_search(&w)
        .ok()
        .map(|i| g.out_offset(v) + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(g: &Csr, paths: &[Vec<u32>], s: u32, t: u32) {
        let mut ties = std::collections::HashSet::new();
        for p in paths {
            assert_eq!((p[0], *p.last().unwrap()), (s, t));
            let mut seen = std::collections::HashSet::new();
            for w in p.windows(2) {
                assert!(g.out_neighbors(w[0] as usize).contains(&w[1]), "{p:?}");
                let tie = if g.is_directed() {
                    (w[0], w[1])
                } else {
                    (w[0].min(w[1]), w[0].max(w[1]))
                };
                assert!(ties.insert(tie), "tie {tie:?} used twice");
            }
            for &x in p {
                assert!(seen.insert(x), "{p:?} is not simple");
            }
        }
    }

    #[test]
    fn a_bridge_leaves_one_route() {
        // Two triangles joined by the bridge 2–3.
        let g = Csr::from_pairs(
            6,
            false,
            &[(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5)],
        );
        let p = edge_disjoint_paths(&g, 0, 5);
        assert_eq!(p.len(), 1);
        check(&g, &p, 0, 5);
        let p = edge_disjoint_paths(&g, 0, 2);
        assert_eq!(p, vec![vec![0, 2], vec![0, 1, 2]]);
    }

    #[test]
    fn a_grid_corner_has_two_routes_and_the_centre_four() {
        let mut e = Vec::new();
        for r in 0..4u32 {
            for c in 0..4u32 {
                let v = r * 4 + c;
                if c < 3 {
                    e.push((v, v + 1));
                }
                if r < 3 {
                    e.push((v, v + 4));
                }
            }
        }
        let g = Csr::from_pairs(16, false, &e);
        let p = edge_disjoint_paths(&g, 0, 15);
        assert_eq!(p.len(), 2);
        check(&g, &p, 0, 15);
        let p = edge_disjoint_paths(&g, 5, 10);
        assert_eq!(p.len(), 4);
        check(&g, &p, 5, 10);
    }

    #[test]
    fn direction_counts_on_a_directed_view() {
        let g = Csr::from_pairs(4, true, &[(0, 1), (1, 3), (0, 2), (2, 3), (3, 0)]);
        assert_eq!(edge_disjoint_paths(&g, 0, 3).len(), 2);
        assert_eq!(edge_disjoint_paths(&g, 3, 0).len(), 1);
        assert_eq!(edge_disjoint_paths(&g, 1, 2).len(), 1);
        let cut = Csr::from_pairs(3, true, &[(1, 0), (2, 1)]);
        assert!(edge_disjoint_paths(&cut, 0, 2).is_empty());
        assert!(edge_disjoint_paths(&cut, 1, 1).is_empty());
    }
}
