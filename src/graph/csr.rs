//! A compact adjacency structure (compressed sparse rows): the graph every analysis runs
//! on. Algorithms read its rows as slices ([`Csr::out_neighbors`] and friends), the fast
//! path for hot loops; petgraph's algorithms see it through the visit traits of
//! `graph/visit.rs`.

/// One direction of adjacency in CSR form.
#[derive(Debug, Clone, Default, PartialEq)]
struct Rows {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
}

impl Rows {
    fn row(&self, v: usize) -> std::ops::Range<usize> {
        self.offsets[v]..self.offsets[v + 1]
    }

    /// Builds rows from (from, to, weight) arcs, merging parallel arcs by summing weights
    /// (in the order the arcs come). A counting sort by `from` (two passes over `arcs`, no
    /// sort of all arcs), then each row sorted by `to` unless it already is.
    fn build<I>(n: usize, arcs: impl Fn() -> I) -> Rows
    where
        I: Iterator<Item = (u32, u32, f64)>,
    {
        let mut start = vec![0usize; n + 1];
        for (from, _, _) in arcs() {
            start[from as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut slots: Vec<(u32, f64)> = vec![(0, 0.0); start[n]];
        for (from, to, w) in arcs() {
            let at = &mut next[from as usize];
            slots[*at] = (to, w);
            *at += 1;
        }
        drop(next);
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut targets = Vec::with_capacity(slots.len());
        let mut weights = Vec::with_capacity(slots.len());
        for v in 0..n {
            let row = &mut slots[start[v]..start[v + 1]];
            if !row.is_sorted_by_key(|&(to, _)| to) {
                row.sort_by_key(|&(to, _)| to);
            }
            let first = targets.len();
            for &(to, w) in row.iter() {
                if targets.len() > first && targets.last() == Some(&to) {
                    if let Some(x) = weights.last_mut() {
                        *x += w;
                    }
                    continue;
                }
                targets.push(to);
                weights.push(w);
            }
            offsets.push(targets.len());
        }
        Rows {
            offsets,
            targets,
            weights,
        }
    }
}

/// A graph in compressed-sparse-row form: the structure every analysis runs on.
///
/// Undirected graphs store each tie in both rows; directed graphs keep a second, reversed
/// CSR for in-neighbours. Parallel ties are merged (weights summed) and self-loops dropped
/// when the graph is built.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr {
    directed: bool,
    edge_count: usize,
    out: Rows,
    inc: Option<Rows>,
}

impl Csr {
    /// Builds a graph on nodes `0..n` from `(source, target, weight)` ties.
    ///
    /// Ties between the same pair (in the same direction, for directed graphs) merge into one
    /// whose weight is the sum; self-loops are dropped. Panics if an endpoint is `>= n`
    /// (callers build edges from their own index maps).
    pub fn from_edges(n: usize, directed: bool, edges: &[(u32, u32, f64)]) -> Csr {
        assert!(
            edges
                .iter()
                .all(|&(s, t, _)| (s as usize) < n && (t as usize) < n),
            "edge endpoint out of range"
        );
        let ties = || edges.iter().copied().filter(|&(s, t, _)| s != t);
        if directed {
            let out = Rows::build(n, ties);
            let inc = Rows::build(n, || {
                (0..n).flat_map(|v| {
                    let r = out.row(v);
                    out.targets[r.clone()]
                        .iter()
                        .zip(&out.weights[r])
                        .map(move |(&t, &w)| (t, v as u32, w))
                })
            });
            Csr {
                directed,
                edge_count: out.targets.len(),
                out,
                inc: Some(inc),
            }
        } else {
            let out = Rows::build(n, || ties().flat_map(|(s, t, w)| [(s, t, w), (t, s, w)]));
            Csr {
                directed,
                edge_count: out.targets.len() / 2,
                out,
                inc: None,
            }
        }
    }

    /// Unweighted convenience: every tie has weight 1 (parallel ties still sum).
    pub fn from_pairs(n: usize, directed: bool, pairs: &[(u32, u32)]) -> Csr {
        let edges: Vec<(u32, u32, f64)> = pairs.iter().map(|&(s, t)| (s, t, 1.0)).collect();
        Csr::from_edges(n, directed, &edges)
    }

    /// The same graph with every weight set to 1.
    pub fn unweighted(&self) -> Csr {
        let mut g = self.clone();
        g.out.weights.iter_mut().for_each(|w| *w = 1.0);
        if let Some(inc) = g.inc.as_mut() {
            inc.weights.iter_mut().for_each(|w| *w = 1.0);
        }
        g
    }

    /// The undirected version of a directed graph (arcs both ways merge, weights summed).
    pub fn to_undirected(&self) -> Csr {
        if !self.directed {
            return self.clone();
        }
        let mut edges = Vec::with_capacity(self.out.targets.len());
        for v in 0..self.node_count() {
            for (&t, &w) in self.out_neighbors(v).iter().zip(self.out_weights(v)) {
                edges.push((v as u32, t, w));
            }
        }
        Csr::from_edges(self.node_count(), false, &edges)
    }

    /// Total weight of the ties at `v` (out-ties when directed).
    pub fn strength(&self, v: usize) -> f64 {
        self.out_weights(v).iter().sum()
    }
}

/// The slice accessors: nodes `0..n`, and for each node the slice of its out-neighbours
/// (all neighbours when undirected) and in-neighbours, with tie weights in matching slices.
/// Neighbour lists are sorted and hold no duplicates and no self-loops.
impl Csr {
    /// Number of nodes.
    #[inline]
    pub fn node_count(&self) -> usize {
        self.out.offsets.len() - 1
    }

    /// Number of ties: each undirected tie counted once, each directed arc once.
    #[inline]
    pub fn edge_count(&self) -> usize {
        self.edge_count
    }

    /// Number of stored arcs: the ties of a directed graph, twice the ties of an undirected
    /// one.
    #[inline]
    pub fn arc_count(&self) -> usize {
        self.out.targets.len()
    }

    /// Whether ties have a direction.
    #[inline]
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Out-neighbours of `v` (all neighbours when undirected), ascending.
    #[inline]
    pub fn out_neighbors(&self, v: usize) -> &[u32] {
        &self.out.targets[self.out.row(v)]
    }

    /// Weights of the ties to [`Csr::out_neighbors`], in the same order.
    #[inline]
    pub fn out_weights(&self, v: usize) -> &[f64] {
        &self.out.weights[self.out.row(v)]
    }

    /// Position of `v`'s first out-arc among all arcs (the arc ids petgraph sees).
    #[inline]
    pub fn out_offset(&self, v: usize) -> usize {
        self.out.offsets[v]
    }

    /// In-neighbours of `v` (all neighbours when undirected), ascending.
    #[inline]
    pub fn in_neighbors(&self, v: usize) -> &[u32] {
        match &self.inc {
            Some(inc) => &inc.targets[inc.row(v)],
            None => self.out_neighbors(v),
        }
    }

    /// Weights of the ties from [`Csr::in_neighbors`], in the same order.
    #[inline]
    pub fn in_weights(&self, v: usize) -> &[f64] {
        match &self.inc {
            Some(inc) => &inc.weights[inc.row(v)],
            None => self.out_weights(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undirected_ties_appear_in_both_rows_and_merge() {
        let g = Csr::from_edges(
            3,
            false,
            &[(0, 1, 1.0), (1, 0, 2.0), (1, 2, 1.0), (2, 2, 5.0)],
        );
        assert_eq!(g.edge_count(), 2);
        assert_eq!(g.out_neighbors(1), &[0, 2]);
        assert_eq!(g.out_weights(0), &[3.0]);
        assert_eq!(g.in_neighbors(2), &[1]);
    }

    #[test]
    fn directed_graph_has_reverse_rows() {
        let g = Csr::from_pairs(3, true, &[(0, 1), (0, 2), (2, 1)]);
        assert_eq!(g.edge_count(), 3);
        assert_eq!(g.out_neighbors(0), &[1, 2]);
        assert_eq!(g.in_neighbors(1), &[0, 2]);
        assert!(g.in_neighbors(0).is_empty());
        let u = g.to_undirected();
        assert_eq!(u.out_neighbors(1), &[0, 2]);
        assert_eq!(u.edge_count(), 3);
    }
}
