//! Breadth-first traversal: hop distances from one node and the order nodes are reached.

use std::collections::VecDeque;

use crate::graph::Csr;

/// Hop distances from `source` (u32::MAX = unreachable) and the BFS visiting order.
pub fn bfs(g: &Csr, source: u32) -> (Vec<u32>, Vec<u32>) {
    let mut dist = vec![u32::MAX; g.node_count()];
    let mut order = Vec::new();
    dist[source as usize] = 0;
    let mut queue = VecDeque::from([source]);
    while let Some(v) = queue.pop_front() {
        order.push(v);
        for &w in g.out_neighbors(v as usize) {
            if dist[w as usize] == u32::MAX {
                dist[w as usize] = dist[v as usize] + 1;
                queue.push_back(w);
            }
        }
    }
    (dist, order)
}
