//! petgraph's visit traits on [`Csr`], without copying: any petgraph algorithm that takes
//! a graph through these traits (`dijkstra`, `tarjan_scc`, `articulation_points`,
//! `maximum_matching`, `dinics`, the `Dfs`/`Bfs` walkers, …) runs on an innograph view
//! directly.
//!
//! How a view looks to petgraph:
//!
//! - **Nodes** are the view indices `0..n` as `u32` ([`NodeIndexable`] is the identity);
//!   node weights are `()`.
//! - **Edges are arcs.** A directed view is its arcs; an undirected view stores each tie in
//!   both rows, so petgraph sees two arcs per tie, as with petgraph's own `Csr`. The edge
//!   type is therefore [`Directed`], while [`GraphProp::is_directed`] reports the view's
//!   own direction. [`EdgeCount::edge_count`] counts arcs (use [`Csr::edge_count`] for
//!   ties, NetworkX's count).
//! - An edge id is the arc's position in the out-rows (`0..arcs`, [`EdgeIndexable`] is the
//!   identity), and its weight is the tie weight, borrowed from the graph.
//! - Neighbours come in ascending order, each once (parallel ties were merged).

use std::iter::Copied;
use std::ops::Range;
use std::slice;

use fixedbitset::FixedBitSet;
use petgraph::visit::{
    Data, EdgeCount, EdgeIndexable, EdgeRef, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges,
    IntoEdgesDirected, IntoNeighbors, IntoNeighborsDirected, IntoNodeIdentifiers,
    IntoNodeReferences, NodeCompactIndexable, NodeCount, NodeIndexable, Visitable,
};
use petgraph::{Directed, Direction};

use super::Csr;

/// One arc of a [`Csr`] as petgraph sees it: its ends, its position among the out-arcs and
/// a reference to its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arc<'a> {
    source: u32,
    target: u32,
    id: usize,
    weight: &'a f64,
}

impl<'a> EdgeRef for Arc<'a> {
    type NodeId = u32;
    type EdgeId = usize;
    type Weight = f64;

    fn source(&self) -> u32 {
        self.source
    }

    fn target(&self) -> u32 {
        self.target
    }

    fn weight(&self) -> &'a f64 {
        self.weight
    }

    fn id(&self) -> usize {
        self.id
    }
}

impl GraphBase for Csr {
    type NodeId = u32;
    type EdgeId = usize;
}

impl GraphProp for Csr {
    type EdgeType = Directed;

    fn is_directed(&self) -> bool {
        Csr::is_directed(self)
    }
}

impl Data for Csr {
    type NodeWeight = ();
    type EdgeWeight = f64;
}

impl NodeCount for Csr {
    fn node_count(&self) -> usize {
        Csr::node_count(self)
    }
}

impl EdgeCount for Csr {
    /// The number of arcs (twice the ties of an undirected view).
    fn edge_count(&self) -> usize {
        self.arc_count()
    }
}

impl NodeIndexable for Csr {
    fn node_bound(&self) -> usize {
        Csr::node_count(self)
    }

    fn to_index(&self, a: u32) -> usize {
        a as usize
    }

    fn from_index(&self, i: usize) -> u32 {
        i as u32
    }
}

impl NodeCompactIndexable for Csr {}

impl EdgeIndexable for Csr {
    fn edge_bound(&self) -> usize {
        self.arc_count()
    }

    fn to_index(&self, a: usize) -> usize {
        a
    }

    fn from_index(&self, i: usize) -> usize {
        i
    }
}

impl Visitable for Csr {
    type Map = FixedBitSet;

    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(Csr::node_count(self))
    }

    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(Csr::node_count(self));
    }
}

impl<'a> IntoNeighbors for &'a Csr {
    type Neighbors = Copied<slice::Iter<'a, u32>>;

    fn neighbors(self, a: u32) -> Self::Neighbors {
        self.out_neighbors(a as usize).iter().copied()
    }
}

impl<'a> IntoNeighborsDirected for &'a Csr {
    type NeighborsDirected = Copied<slice::Iter<'a, u32>>;

    fn neighbors_directed(self, a: u32, d: Direction) -> Self::NeighborsDirected {
        match d {
            Direction::Outgoing => self.out_neighbors(a as usize).iter().copied(),
            Direction::Incoming => self.in_neighbors(a as usize).iter().copied(),
        }
    }
}

impl IntoNodeIdentifiers for &Csr {
    type NodeIdentifiers = Range<u32>;

    fn node_identifiers(self) -> Range<u32> {
        0..Csr::node_count(self) as u32
    }
}

/// The nodes of a [`Csr`] with their (empty) weights.
#[derive(Debug, Clone)]
pub struct NodeReferences {
    nodes: Range<u32>,
}

impl Iterator for NodeReferences {
    type Item = (u32, ());

    fn next(&mut self) -> Option<(u32, ())> {
        self.nodes.next().map(|v| (v, ()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.nodes.size_hint()
    }
}

impl ExactSizeIterator for NodeReferences {}

impl IntoNodeReferences for &Csr {
    type NodeRef = (u32, ());
    type NodeReferences = NodeReferences;

    fn node_references(self) -> NodeReferences {
        NodeReferences {
            nodes: 0..Csr::node_count(self) as u32,
        }
    }
}

/// The out-arcs of one node.
#[derive(Debug, Clone)]
pub struct OutArcs<'a> {
    source: u32,
    first: usize,
    targets: slice::Iter<'a, u32>,
    weights: slice::Iter<'a, f64>,
}

impl<'a> Iterator for OutArcs<'a> {
    type Item = Arc<'a>;

    fn next(&mut self) -> Option<Arc<'a>> {
        let target = *self.targets.next()?;
        let weight = self.weights.next()?;
        let id = self.first;
        self.first += 1;
        Some(Arc {
            source: self.source,
            target,
            id,
            weight,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.targets.size_hint()
    }
}

impl<'a> IntoEdges for &'a Csr {
    type Edges = OutArcs<'a>;

    fn edges(self, a: u32) -> OutArcs<'a> {
        let v = a as usize;
        OutArcs {
            source: a,
            first: self.out_offset(v),
            targets: self.out_neighbors(v).iter(),
            weights: self.out_weights(v).iter(),
        }
    }
}

/// Every arc, node by node.
#[derive(Debug, Clone)]
pub struct AllArcs<'a> {
    graph: &'a Csr,
    node: u32,
    current: OutArcs<'a>,
}

impl<'a> Iterator for AllArcs<'a> {
    type Item = Arc<'a>;

    fn next(&mut self) -> Option<Arc<'a>> {
        loop {
            if let Some(arc) = self.current.next() {
                return Some(arc);
            }
            self.node += 1;
            if self.node as usize >= Csr::node_count(self.graph) {
                return None;
            }
            self.current = self.graph.edges(self.node);
        }
    }
}

impl<'a> IntoEdgeReferences for &'a Csr {
    type EdgeRef = Arc<'a>;
    type EdgeReferences = AllArcs<'a>;

    fn edge_references(self) -> AllArcs<'a> {
        let current = if Csr::node_count(self) == 0 {
            OutArcs {
                source: 0,
                first: 0,
                targets: [].iter(),
                weights: [].iter(),
            }
        } else {
            self.edges(0)
        };
        AllArcs {
            graph: self,
            node: 0,
            current,
        }
    }
}

/// The arcs into one node (`Incoming`), or its out-arcs (`Outgoing`).
#[derive(Debug, Clone)]
pub enum DirectedArcs<'a> {
    /// Out-arcs.
    Out(OutArcs<'a>),
    /// In-arcs: each source's row is searched for the target to find the arc's id.
    In {
        /// The graph.
        graph: &'a Csr,
        /// The node the arcs point to.
        target: u32,
        /// Its in-neighbours still to visit.
        sources: slice::Iter<'a, u32>,
    },
}

impl<'a> Iterator for DirectedArcs<'a> {
    type Item = Arc<'a>;

    fn next(&mut self) -> Option<Arc<'a>> {
        match self {
            DirectedArcs::Out(arcs) => arcs.next(),
            DirectedArcs::In {
                graph,
                target,
                sources,
            } => {
                let source = *sources.next()?;
                let row = graph.out_neighbors(source as usize);
                let at = row.binary_search(target).ok()?;
                let id = graph.out_offset(source as usize) + at;
                Some(Arc {
                    source,
                    target: *target,
                    id,
                    weight: &graph.out_weights(source as usize)[at],
                })
            }
        }
    }
}

impl<'a> IntoEdgesDirected for &'a Csr {
    type EdgesDirected = DirectedArcs<'a>;

    fn edges_directed(self, a: u32, dir: Direction) -> DirectedArcs<'a> {
        match dir {
            Direction::Outgoing => DirectedArcs::Out(self.edges(a)),
            Direction::Incoming => DirectedArcs::In {
                graph: self,
                target: a,
                sources: self.in_neighbors(a as usize).iter(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::visit::{Bfs, Walker};

    fn triangle_and_tail() -> Csr {
        Csr::from_edges(
            5,
            false,
            &[(0, 1, 1.0), (1, 2, 2.0), (0, 2, 1.0), (2, 3, 5.0)],
        )
    }

    #[test]
    fn arcs_are_both_directions_of_each_tie_with_positions_as_ids() {
        let g = triangle_and_tail();
        assert_eq!(EdgeCount::edge_count(&g), 8);
        assert_eq!(Csr::edge_count(&g), 4);
        let arcs: Vec<(u32, u32, usize, f64)> = g
            .edge_references()
            .map(|e| (e.source(), e.target(), e.id(), *e.weight()))
            .collect();
        assert_eq!(arcs.len(), 8);
        for (i, a) in arcs.iter().enumerate() {
            assert_eq!(a.2, i, "ids are positions");
        }
        assert!(arcs.contains(&(2, 3, 6, 5.0)));
        assert!(arcs.contains(&(3, 2, 7, 5.0)));
        assert!(!GraphProp::is_directed(&g));
    }

    #[test]
    fn incoming_arcs_carry_the_ids_of_the_same_arcs_outgoing() {
        let g = Csr::from_edges(
            4,
            true,
            &[(0, 2, 1.5), (1, 2, 2.5), (2, 3, 1.0), (3, 0, 4.0)],
        );
        let into_2: Vec<(u32, usize, f64)> = g
            .edges_directed(2, Direction::Incoming)
            .map(|e| (e.source(), e.id(), *e.weight()))
            .collect();
        let all: Vec<(u32, u32, usize)> = g
            .edge_references()
            .map(|e| (e.source(), e.target(), e.id()))
            .collect();
        for (s, id, w) in into_2 {
            assert!(all.contains(&(s, 2, id)));
            assert_eq!(w, if s == 0 { 1.5 } else { 2.5 });
        }
        assert_eq!(
            g.neighbors_directed(0, Direction::Incoming)
                .collect::<Vec<_>>(),
            vec![3]
        );
    }

    #[test]
    fn petgraph_walkers_run_on_a_view() {
        let g = triangle_and_tail();
        let reached: Vec<u32> = Bfs::new(&g, 3).iter(&g).collect();
        assert_eq!(reached, vec![3, 2, 0, 1]);
        assert_eq!(petgraph::algo::connected_components(&g), 2);
        let empty = Csr::from_pairs(0, false, &[]);
        assert_eq!(empty.edge_references().count(), 0);
        assert_eq!(empty.node_references().count(), 0);
    }
}
