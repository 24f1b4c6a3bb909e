//! Up to k shortest simple paths between two nodes of an undirected graph, counted in hops
//! (Yen 1971, "Finding the k shortest loopless paths in a network"), with a deterministic
//! order: by length, then equally long paths in lexicographic order of their node indices.

use std::collections::{BTreeSet, HashSet, VecDeque};

use crate::graph::Csr;

/// Shortest path from `s` to `t` avoiding blocked nodes and edges (BFS; neighbours in
/// ascending order, so the path found is the lexicographically smallest shortest one).
fn bfs_path(
    g: &Csr,
    s: u32,
    t: u32,
    blocked_nodes: &[bool],
    blocked_edges: &HashSet<(u32, u32)>,
) -> Option<Vec<u32>> {
    if blocked_nodes[s as usize] || blocked_nodes[t as usize] {
        return None;
    }
    // BFS from t so that following parents from s walks the smallest next node first.
    let n = g.node_count();
    let mut dist = vec![u32::MAX; n];
    dist[t as usize] = 0;
    let mut queue = VecDeque::from([t]);
    while let Some(v) = queue.pop_front() {
        if v == s {
            break;
        }
        for &w in g.out_neighbors(v as usize) {
            if dist[w as usize] == u32::MAX
                && !blocked_nodes[w as usize]
                && !blocked_edges.contains(&(v.min(w), v.max(w)))
            {
                dist[w as usize] = dist[v as usize] + 1;
                queue.push_back(w);
            }
        }
    }
    if dist[s as usize] == u32::MAX {
        return None;
    }
    let mut path = vec![s];
    let mut v = s;
    while v != t {
        let next = g
            .out_neighbors(v as usize)
            .iter()
            .copied()
            .find(|&w| {
                dist[w as usize] != u32::MAX
                    && dist[w as usize] + 1 == dist[v as usize]
                    && !blocked_edges.contains(&(v.min(w), v.max(w)))
            })
            .expect("a BFS parent exists");
        path.push(next);
        v = next;
    }
    Some(path)
}

/// Up to `k` shortest simple paths from `s` to `t` on an undirected graph, by hops (Yen
/// 1971). Paths come in order of length, equally long ones in lexicographic order of their
/// node indices; each is a node list from `s` to `t`.
pub fn k_shortest_paths(g: &Csr, s: u32, t: u32, k: usize) -> Vec<Vec<u32>> {
    let n = g.node_count();
    let mut found: Vec<Vec<u32>> = Vec::new();
    if k == 0 {
        return found;
    }
    if s == t {
        return vec![vec![s]];
    }
    let none = HashSet::new();
    match bfs_path(g, s, t, &vec![false; n], &none) {
        Some(p) => found.push(p),
        None => return found,
    }
    let mut candidates: BTreeSet<(usize, Vec<u32>)> = BTreeSet::new();
    while found.len() < k {
        let last = found.last().expect("at least one path").clone();
        for i in 0..last.len() - 1 {
            let spur = last[i];
            let root = &last[..=i];
            let mut blocked_edges = HashSet::new();
            for p in &found {
                if p.len() > i + 1 && &p[..=i] == root {
                    let (a, b) = (p[i], p[i + 1]);
                    blocked_edges.insert((a.min(b), a.max(b)));
                }
            }
            let mut blocked_nodes = vec![false; n];
            for &v in &root[..i] {
                blocked_nodes[v as usize] = true;
            }
            if let Some(spur_path) = bfs_path(g, spur, t, &blocked_nodes, &blocked_edges) {
                let mut total = root[..i].to_vec();
                total.extend(spur_path);
                if !found.contains(&total) {
                    candidates.insert((total.len(), total));
                }
            }
        }
        match candidates.pop_first() {
            Some((_, p)) => found.push(p),
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Csr;

    fn graph(n: usize, edges: &[(u32, u32)]) -> Csr {
        let e: Vec<(u32, u32, f64)> = edges.iter().map(|&(a, b)| (a, b, 1.0)).collect();
        Csr::from_edges(n, false, &e)
    }

    #[test]
    fn yen_finds_paths_in_order_of_length_then_lexicographically() {
        // 0-1-3, 0-2-3 (two of length 2), 0-4-5-3 (length 3), 0-1-2-3? (1-2 tie: length 3).
        let g = graph(
            6,
            &[
                (0, 1),
                (1, 3),
                (0, 2),
                (2, 3),
                (0, 4),
                (4, 5),
                (5, 3),
                (1, 2),
            ],
        );
        let p = k_shortest_paths(&g, 0, 3, 10);
        assert_eq!(
            p,
            vec![
                vec![0, 1, 3],
                vec![0, 2, 3],
                vec![0, 1, 2, 3],
                vec![0, 2, 1, 3],
                vec![0, 4, 5, 3],
            ]
        );
        assert_eq!(k_shortest_paths(&g, 0, 3, 2).len(), 2);
        // Every path is simple.
        for path in &p {
            let set: HashSet<_> = path.iter().collect();
            assert_eq!(set.len(), path.len());
        }
    }

    #[test]
    fn yen_handles_unreachable_and_trivial_cases() {
        let g = graph(4, &[(0, 1)]);
        assert!(k_shortest_paths(&g, 0, 3, 3).is_empty());
        assert_eq!(k_shortest_paths(&g, 0, 0, 3), vec![vec![0]]);
        assert_eq!(k_shortest_paths(&g, 0, 1, 3), vec![vec![0, 1]]);
        assert!(k_shortest_paths(&g, 0, 1, 0).is_empty());
    }

    #[test]
    fn yen_on_a_grid_counts_all_shortest_paths() {
        // 3x3 grid: 6 shortest paths of length 4 from corner 0 to corner 8.
        let mut e = Vec::new();
        for r in 0..3u32 {
            for c in 0..3u32 {
                let v = r * 3 + c;
                if c < 2 {
                    e.push((v, v + 1));
                }
                if r < 2 {
                    e.push((v, v + 3));
                }
            }
        }
        let g = graph(9, &e);
        let p = k_shortest_paths(&g, 0, 8, 7);
        assert_eq!(p.iter().filter(|x| x.len() == 5).count(), 6);
        assert_eq!(p[6].len(), 7, "the next ones are two steps longer");
        let mut sorted = p[..6].to_vec();
        sorted.sort();
        assert_eq!(sorted, p[..6].to_vec());
    }
}
