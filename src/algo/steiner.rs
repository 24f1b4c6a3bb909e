//! Who ties a group together: an approximate Steiner tree over a set of terminals in an
//! unweighted graph, so the fewest intermediaries connect them all (a planner assembling a
//! consortium asks which actors would tie the chosen partners together).
//!
//! Mehlhorn's algorithm (K. Mehlhorn 1988, "A faster approximation algorithm for the
//! Steiner problem in graphs", Information Processing Letters 27(3)), a faster form of the
//! Kou–Markowsky–Berman 2-approximation, with every tie of length 1:
//!
//! 1. one breadth-first search from all terminals at once gives every node its nearest
//!    terminal (its region) and a path back to it;
//! 2. each tie between two regions proposes the path terminal → … → u – v → … → terminal;
//!    the shortest proposal per pair of terminals is kept;
//! 3. a minimum spanning tree over the proposals (Kruskal) picks which to use;
//! 4. their paths are joined, a spanning tree of that subgraph is taken and leaves that are
//!    not terminals are pruned until none is left.
//!
//! The tree has at most `2 (1 − 1/ℓ)` times the ties of an optimal one (ℓ leaves), and is
//! usually optimal on small groups. petgraph's own `steiner_tree` runs Floyd–Warshall on
//! the whole graph (O(n³) time, O(n²) memory), which no view of the ecosystem fits; this one
//! is O(n + m) apart from sorting the proposals. It is generic over petgraph's visit
//! traits, so it runs on a view or on any petgraph graph. Ties are broken by node index
//! (the nearest terminal of lowest number, the lowest parent, the proposal with the
//! lowest ends), never by the order in which a graph lists neighbours: a view and a
//! petgraph `Graph` with the same ties give the same tree (a property test checks it).
//!
//! Direction is ignored: give it an undirected graph (a view stores undirected ties both
//! ways; a petgraph `UnGraph` lists both ends as neighbours).

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::visit::{IntoNeighbors, IntoNodeIdentifiers, NodeIndexable};
use thiserror::Error;

/// Why no tree could be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SteinerError {
    /// Fewer than one terminal was given.
    #[error("no terminal given")]
    NoTerminal,
    /// Some terminals cannot be reached from the first one; their positions in the input.
    #[error("terminals {0:?} are not connected to the first one")]
    Disconnected(Vec<usize>),
}

/// A tree connecting the terminals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SteinerTree<N> {
    /// Its nodes (terminals and intermediaries), in index order.
    pub nodes: Vec<N>,
    /// Its ties, each `(a, b)` with `index(a) < index(b)`, in index order.
    pub edges: Vec<(N, N)>,
}

const UNREACHED: u32 = u32::MAX;

/// Two regions (terminal numbers), the smaller first.
type RegionPair = (u32, u32);
/// A proposed path between two regions: its length and the tie `(u, v)` that crosses.
type Proposal = (u32, u32, u32);

/// An approximate minimum Steiner tree of `terminals` (see the module documentation).
///
/// # Returns
/// The tree; a single terminal gives a one-node tree. Duplicate terminals count once.
/// [`SteinerError::Disconnected`] when some terminal is in another component than the
/// first.
///
/// # Complexity
/// O(n + m + p log p) time with `p ≤ m` proposals, O(n + p) memory.
pub fn steiner_tree<G>(
    g: G,
    terminals: &[G::NodeId],
) -> Result<SteinerTree<G::NodeId>, SteinerError>
where
    G: IntoNeighbors + IntoNodeIdentifiers + NodeIndexable,
{
    if terminals.is_empty() {
        return Err(SteinerError::NoTerminal);
    }
    let n = g.node_bound();
    // Terminal number of each node (UNREACHED if not a terminal), duplicates merged.
    let mut terminal_of = vec![UNREACHED; n];
    let mut roots: Vec<usize> = Vec::new();
    let mut position_of_root: Vec<usize> = Vec::new();
    for (pos, &t) in terminals.iter().enumerate() {
        let v = g.to_index(t);
        if terminal_of[v] == UNREACHED {
            terminal_of[v] = roots.len() as u32;
            roots.push(v);
            position_of_root.push(pos);
        }
    }

    // 1. Regions: multi-source BFS.
    let mut region = vec![UNREACHED; n];
    let mut dist = vec![UNREACHED; n];
    let mut parent = vec![UNREACHED; n];
    let mut queue = VecDeque::with_capacity(n.min(1 << 16));
    for (i, &r) in roots.iter().enumerate() {
        region[r] = i as u32;
        dist[r] = 0;
        queue.push_back(r);
    }
    while let Some(v) = queue.pop_front() {
        for w in g.neighbors(g.from_index(v)) {
            let w = g.to_index(w);
            if region[w] == UNREACHED {
                region[w] = region[v];
                dist[w] = dist[v] + 1;
                parent[w] = v as u32;
                queue.push_back(w);
            } else if dist[w] == dist[v] + 1 && (region[v], v as u32) < (region[w], parent[w]) {
                // Every node of a level is settled before the next level is expanded, so
                // the nearest terminal of lowest number and the lowest parent can still
                // be chosen: the regions do not depend on the order of neighbours.
                region[w] = region[v];
                parent[w] = v as u32;
            }
        }
    }

    // 2. The shortest proposal per pair of regions: (length, u, v) with u in the smaller.
    let mut best: HashMap<RegionPair, Proposal> = HashMap::new();
    for u in g.node_identifiers() {
        let ui = g.to_index(u);
        if region[ui] == UNREACHED {
            continue;
        }
        for w in g.neighbors(u) {
            let wi = g.to_index(w);
            let (ru, rw) = (region[ui], region[wi]);
            if rw == UNREACHED || ru >= rw {
                continue;
            }
            let proposal = (dist[ui] + 1 + dist[wi], ui as u32, wi as u32);
            let entry = best.entry((ru, rw)).or_insert(proposal);
            if proposal < *entry {
                *entry = proposal;
            }
        }
    }
    let mut proposals: Vec<(RegionPair, Proposal)> = best.into_iter().collect();
    proposals.sort_unstable_by_key(|&(pair, (length, ..))| (length, pair));

    // 3. Kruskal over the terminals.
    let k = roots.len();
    let mut sets = UnionFind::new(k);
    let mut chosen = Vec::new();
    for &((a, b), (_, u, w)) in &proposals {
        if sets.union(a as usize, b as usize) {
            chosen.push((u, w));
        }
    }
    let missing: Vec<usize> = (1..k)
        .filter(|&i| sets.find(i) != sets.find(0))
        .map(|i| position_of_root[i])
        .collect();
    if !missing.is_empty() {
        return Err(SteinerError::Disconnected(missing));
    }

    // 4. Join the paths, span them, prune.
    let mut ties: Vec<(u32, u32)> = Vec::new();
    let climb = |mut v: u32, ties: &mut Vec<(u32, u32)>| {
        while parent[v as usize] != UNREACHED {
            let p = parent[v as usize];
            ties.push((v.min(p), v.max(p)));
            v = p;
        }
    };
    for &(u, w) in &chosen {
        ties.push((u.min(w), u.max(w)));
        climb(u, &mut ties);
        climb(w, &mut ties);
    }
    ties.sort_unstable();
    ties.dedup();
    let tree = spanning_tree(roots[0] as u32, &ties);
    let tree = prune(tree, &terminal_of);
    let mut nodes: Vec<u32> = tree.iter().flat_map(|&(a, b)| [a, b]).collect();
    if nodes.is_empty() {
        nodes.push(roots[0] as u32);
    }
    nodes.sort_unstable();
    nodes.dedup();
    Ok(SteinerTree {
        nodes: nodes
            .into_iter()
            .map(|v| g.from_index(v as usize))
            .collect(),
        edges: tree
            .into_iter()
            .map(|(a, b)| (g.from_index(a as usize), g.from_index(b as usize)))
            .collect(),
    })
}

/// A BFS spanning tree (from `root`) of the connected subgraph given by `ties` (sorted).
fn spanning_tree(root: u32, ties: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut adjacent: HashMap<u32, Vec<u32>> = HashMap::new();
    for &(a, b) in ties {
        adjacent.entry(a).or_default().push(b);
        adjacent.entry(b).or_default().push(a);
    }
    let mut seen: HashSet<u32> = HashSet::from([root]);
    let mut queue = VecDeque::from([root]);
    let mut tree = Vec::new();
    while let Some(v) = queue.pop_front() {
        if let Some(next) = adjacent.get(&v) {
            for &w in next {
                if seen.insert(w) {
                    tree.push((v.min(w), v.max(w)));
                    queue.push_back(w);
                }
            }
        }
    }
    tree.sort_unstable();
    tree
}

/// Removes leaves that are not terminals until every leaf is a terminal.
fn prune(mut tree: Vec<(u32, u32)>, terminal_of: &[u32]) -> Vec<(u32, u32)> {
    loop {
        let mut degree: HashMap<u32, u32> = HashMap::new();
        for &(a, b) in &tree {
            *degree.entry(a).or_default() += 1;
            *degree.entry(b).or_default() += 1;
        }
        let loose = |v: u32| degree[&v] == 1 && terminal_of[v as usize] == UNREACHED;
        let before = tree.len();
        tree.retain(|&(a, b)| !loose(a) && !loose(b));
        if tree.len() == before {
            return tree;
        }
    }
}

/// Disjoint sets with path halving and union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the sets of `a` and `b`; false if they were one already.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Csr;

    fn grid(side: u32) -> Csr {
        let mut e = Vec::new();
        for r in 0..side {
            for c in 0..side {
                let v = r * side + c;
                if c + 1 < side {
                    e.push((v, v + 1));
                }
                if r + 1 < side {
                    e.push((v, v + side));
                }
            }
        }
        Csr::from_pairs((side * side) as usize, false, &e)
    }

    fn is_tree_spanning(t: &SteinerTree<u32>, terminals: &[u32]) -> bool {
        let connected = t.edges.len() + 1 == t.nodes.len();
        let mut sets = UnionFind::new(t.nodes.iter().max().map_or(1, |&m| m as usize + 1));
        for &(a, b) in &t.edges {
            sets.union(a as usize, b as usize);
        }
        let root = sets.find(terminals[0] as usize);
        connected
            && terminals
                .iter()
                .all(|&x| t.nodes.contains(&x) && sets.find(x as usize) == root)
    }

    #[test]
    fn a_star_centre_ties_its_leaves() {
        let g = Csr::from_pairs(5, false, &[(0, 1), (0, 2), (0, 3), (3, 4)]);
        let t = steiner_tree(&g, &[1, 2, 4]).unwrap();
        assert_eq!(t.nodes, vec![0, 1, 2, 3, 4]);
        assert_eq!(t.edges, vec![(0, 1), (0, 2), (0, 3), (3, 4)]);
        let t = steiner_tree(&g, &[1, 2]).unwrap();
        assert_eq!(t.nodes, vec![0, 1, 2]);
    }

    #[test]
    fn corners_of_a_grid_are_tied_within_twice_the_optimum() {
        let g = grid(5);
        let terminals = [0, 4, 20, 24];
        let t = steiner_tree(&g, &terminals).unwrap();
        assert!(is_tree_spanning(&t, &terminals));
        // The optimum ties the four corners of a 5×5 grid with 12 ties.
        assert!(
            t.edges.len() >= 12 && t.edges.len() <= 24,
            "{}",
            t.edges.len()
        );
        // No intermediary is a leaf.
        for &v in &t.nodes {
            let deg = t.edges.iter().filter(|&&(a, b)| a == v || b == v).count();
            assert!(
                deg >= 2 || terminals.contains(&v),
                "leaf {v} is no terminal"
            );
        }
    }

    #[test]
    fn trivial_and_disconnected_groups() {
        let g = Csr::from_pairs(4, false, &[(0, 1), (2, 3)]);
        let one = steiner_tree(&g, &[2, 2]).unwrap();
        assert_eq!(one.nodes, vec![2]);
        assert!(one.edges.is_empty());
        assert_eq!(
            steiner_tree(&g, &[0, 1, 3]),
            Err(SteinerError::Disconnected(vec![2]))
        );
        assert_eq!(steiner_tree(&g, &[]), Err(SteinerError::NoTerminal));
    }
}
