//! Property test: every trait-generic algorithm (petgraph's, and innograph's own generic
//! ones) gives the same answer on a [`Csr`] view as on a `petgraph::Graph` built from the
//! same ties, and innograph's own components and cuts agree with petgraph's.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{Graph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::{Directed, EdgeType, Undirected};
use proptest::prelude::*;

use crate::algo;
use crate::graph::Csr;

/// Ties on `0..n` without self-loops or repeated pairs (a view merges parallel ties, a
/// `Graph` keeps them), with integer weights so path lengths are exact.
fn arb_ties() -> impl Strategy<Value = (usize, bool, Vec<(u32, u32, f64)>)> {
    (1usize..28, any::<bool>()).prop_flat_map(|(n, directed)| {
        proptest::collection::vec((0..n as u32, 0..n as u32, 1u8..6), 0..3 * n).prop_map(
            move |raw| {
                let mut seen = BTreeSet::new();
                let ties = raw
                    .into_iter()
                    .filter(|&(u, v, _)| u != v)
                    .filter(|&(u, v, _)| {
                        seen.insert(if directed {
                            (u, v)
                        } else {
                            (u.min(v), u.max(v))
                        })
                    })
                    .map(|(u, v, w)| (u, v, f64::from(w)))
                    .collect();
                (n, directed, ties)
            },
        )
    })
}

fn petgraph_graph<Ty: EdgeType>(n: usize, ties: &[(u32, u32, f64)]) -> Graph<(), f64, Ty> {
    let mut g = Graph::with_capacity(n, ties.len());
    for _ in 0..n {
        g.add_node(());
    }
    for &(u, v, w) in ties {
        g.add_edge(NodeIndex::new(u as usize), NodeIndex::new(v as usize), w);
    }
    g
}

fn sets<T: Ord + Copy>(groups: Vec<Vec<T>>) -> BTreeSet<BTreeSet<T>> {
    groups
        .into_iter()
        .map(|c| c.into_iter().collect())
        .collect()
}

/// The same checks on a graph of either direction.
fn same_answers<Ty: EdgeType>(view: &Csr, graph: &Graph<(), f64, Ty>) {
    let n = view.node_count();
    let ix = |v: NodeIndex| v.index() as u32;

    // Single-source Dijkstra from every node.
    for s in 0..n as u32 {
        let on_view: BTreeMap<u32, f64> = petgraph::algo::dijkstra(view, s, None, |e| *e.weight())
            .into_iter()
            .collect();
        let on_graph: BTreeMap<u32, f64> =
            petgraph::algo::dijkstra(graph, NodeIndex::new(s as usize), None, |e| *e.weight())
                .into_iter()
                .map(|(v, d)| (ix(v), d))
                .collect();
        assert_eq!(on_view, on_graph, "dijkstra from {s}");
    }

    // Connected components (weak for directed graphs): petgraph's count, ours.
    let count = petgraph::algo::connected_components(view);
    assert_eq!(count, petgraph::algo::connected_components(graph));
    assert_eq!(algo::components::connected_components(view).count(), count);

    // Strongly connected components.
    let on_view = sets(petgraph::algo::tarjan_scc(view));
    let on_graph = sets(
        petgraph::algo::tarjan_scc(graph)
            .into_iter()
            .map(|c| c.into_iter().map(ix).collect())
            .collect(),
    );
    assert_eq!(on_view, on_graph, "strongly connected components");
    if view.is_directed() {
        let ours = algo::components::strongly_connected_components(view);
        let ours = sets(
            ours.members()
                .into_iter()
                .map(|c| c.into_iter().collect())
                .collect(),
        );
        assert_eq!(ours, on_view, "our strongly connected components");
    }
}

/// Maximum flow from the first to the last node, on a view and on a directed `Graph` of
/// its arcs (an undirected tie is two opposite arcs, as the view lists it).
fn same_flow(view: &Csr, n: usize, directed: bool, ties: &[(u32, u32, f64)]) {
    if n < 2 {
        return;
    }
    let mut arcs = ties.to_vec();
    if !directed {
        arcs.extend(ties.iter().map(|&(u, v, w)| (v, u, w)));
    }
    let graph = petgraph_graph::<Directed>(n, &arcs);
    let (on_view, _) = petgraph::algo::dinics(view, 0, n as u32 - 1);
    let (on_graph, _) = petgraph::algo::dinics(&graph, NodeIndex::new(0), NodeIndex::new(n - 1));
    assert_eq!(on_view, on_graph, "maximum flow 0 → {}", n - 1);
}

fn same_undirected_answers(view: &Csr, graph: &Graph<(), f64, Undirected>) {
    let ix = |v: NodeIndex| v.index() as u32;
    // Articulation points and bridges: petgraph's on both, and ours.
    let on_view: BTreeSet<u32> = petgraph::algo::articulation_points::articulation_points(view)
        .into_iter()
        .collect();
    let on_graph: BTreeSet<u32> = petgraph::algo::articulation_points::articulation_points(graph)
        .into_iter()
        .map(ix)
        .collect();
    assert_eq!(on_view, on_graph, "articulation points");
    let ours: BTreeSet<u32> = algo::cuts::articulation_points(view)
        .into_iter()
        .map(|v| v as u32)
        .collect();
    assert_eq!(ours, on_view, "our articulation points");
    // A view lists each tie as two arcs: a bridge comes twice.
    let on_view: BTreeSet<(u32, u32)> = petgraph::algo::bridges(view)
        .map(|e| (e.source().min(e.target()), e.source().max(e.target())))
        .collect();
    let on_graph: BTreeSet<(u32, u32)> = petgraph::algo::bridges(graph)
        .map(|e| {
            let (a, b) = (ix(e.source()), ix(e.target()));
            (a.min(b), a.max(b))
        })
        .collect();
    assert_eq!(on_view, on_graph, "bridges");
    let ours: BTreeSet<(u32, u32)> = algo::cuts::bridges(view)
        .into_iter()
        .map(|(a, b)| (a as u32, b as u32))
        .collect();
    assert_eq!(ours, on_view, "our bridges");

    // Maximum matching size.
    assert_eq!(
        petgraph::algo::maximum_matching(view).len(),
        petgraph::algo::maximum_matching(graph).len(),
        "maximum matching"
    );

    // Our Steiner tree over every third node: the same tree on both.
    let n = view.node_count();
    let terminals: Vec<u32> = (0..n as u32).step_by(3).collect();
    let on_view = algo::steiner::steiner_tree(view, &terminals);
    let on_graph = algo::steiner::steiner_tree(
        graph,
        &terminals
            .iter()
            .map(|&t| NodeIndex::new(t as usize))
            .collect::<Vec<_>>(),
    )
    .map(|t| algo::steiner::SteinerTree {
        nodes: t.nodes.into_iter().map(ix).collect(),
        edges: t.edges.into_iter().map(|(a, b)| (ix(a), ix(b))).collect(),
    });
    assert_eq!(on_view, on_graph, "steiner tree over {terminals:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn a_view_answers_as_a_petgraph_graph((n, directed, ties) in arb_ties()) {
        let view = Csr::from_edges(n, directed, &ties);
        same_flow(&view, n, directed, &ties);
        if directed {
            same_answers(&view, &petgraph_graph::<Directed>(n, &ties));
        } else {
            let graph = petgraph_graph::<Undirected>(n, &ties);
            same_answers(&view, &graph);
            same_undirected_answers(&view, &graph);
        }
    }
}
