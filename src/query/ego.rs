//! Ego networks: an actor with the nodes within a few steps of it and the edges among
//! them, for drawing. A hub can have tens of thousands of nodes within two steps, far more
//! than anyone can read or a browser can lay out, so the network is capped: nearer hops
//! first, and within a hop the most central nodes (PageRank, then degree, then id) first.
//! What was left out is counted per hop, so the picture can say it is a sample.

use std::collections::VecDeque;

use serde::Serialize;

use super::{suggest, QueryError};
use crate::algo::pagerank::{pagerank, PageRankOptions, PowerIterationError};
use crate::algo::Observer;
use crate::graph::{build_view, ViewOptions};
use crate::model::Schema;
use crate::store::Snapshot;

/// Largest ego network `ego_network` returns (nodes, centre included).
pub const MAX_EGO_NODES: usize = 5_000;

/// Largest depth of an ego network.
pub const MAX_EGO_DEPTH: usize = 3;

/// Largest number of edges `ego_network` returns.
pub const MAX_EGO_EDGES: usize = 50_000;

/// Edges returned when the caller does not say: enough for every node's tie to the actor or
/// to the hop before it and a few thousand more, little enough for a browser to draw in
/// well under a second (a 1,500-node picture of a scale-10 hub has 42,000 edges among its
/// nodes, which took cytoscape.js ~28 s).
pub const DEFAULT_EGO_EDGES: usize = 3_000;

/// What to draw around an actor.
#[derive(Debug, Clone)]
pub struct EgoRequest {
    /// The actor's id.
    pub id: String,
    /// Steps from the actor (1..=[`MAX_EGO_DEPTH`]); edges are followed both ways.
    pub depth: usize,
    /// Most nodes to return, the actor included (2..=[`MAX_EGO_NODES`]).
    pub limit: usize,
    /// Most edges to return (1..=[`MAX_EGO_EDGES`]).
    pub edge_limit: usize,
}

/// One node of an ego network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EgoNode {
    /// Node id.
    pub id: String,
    /// Node kind.
    pub kind: String,
    /// Name as written.
    pub name: String,
    /// English name, or null.
    pub name_en: Option<String>,
    /// Steps from the actor (0 for the actor).
    pub hop: usize,
    /// Edge records touching the node (in the whole graph).
    pub degree: usize,
    /// PageRank on the full view (null if the node is outside it).
    pub pagerank: Option<f64>,
}

/// One edge between two returned nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EgoEdge {
    /// Source id.
    pub source: String,
    /// Target id.
    pub target: String,
    /// Edge kind.
    pub kind: String,
}

/// An actor's neighbourhood, capped.
#[derive(Debug, Clone, Serialize)]
pub struct EgoNetwork {
    /// The actor's id.
    pub center: String,
    /// Steps followed.
    pub depth: usize,
    /// The nodes returned: the actor first, then by hop, then most central first.
    pub nodes: Vec<EgoNode>,
    /// Edge records between two returned nodes, at most `edge_limit` of them: first every
    /// edge touching the actor and, for each other node, one edge to a node a step nearer
    /// (so the picture stays connected); then the edges among the earliest nodes in `nodes`
    /// order (nearest, most central) first.
    pub edges: Vec<EgoEdge>,
    /// Edge records between two returned nodes, before the cap.
    pub edges_among: usize,
    /// Nodes reachable at each hop (index 0 is the actor itself: 1).
    pub reachable: Vec<usize>,
    /// Nodes returned at each hop.
    pub returned: Vec<usize>,
    /// True when some reachable node or some edge among the returned nodes was left out.
    pub sampled: bool,
}

/// PageRank of every snapshot node on the full view (damping 0.85, tolerance 1e-10,
/// unweighted, as `centrality --algo pagerank`); NaN for nodes outside the view. The
/// observer can stop it early.
pub fn pagerank_by_node(
    snapshot: &Snapshot,
    schema: &Schema,
    observer: &dyn Observer,
) -> Result<Vec<f64>, QueryError> {
    let view = build_view(snapshot, schema, &ViewOptions::default())
        .map_err(|e| QueryError::BadParameter(e.to_string()))?;
    let options = PageRankOptions {
        alpha: 0.85,
        tol: 1e-10,
        max_iter: 10_000,
        weighted: false,
        ..Default::default()
    };
    let values = pagerank(&view.graph, &options, observer).map_err(|e| match e {
        PowerIterationError::Cancelled(_) => QueryError::Cancelled,
        other => QueryError::Algorithm(other.to_string()),
    })?;
    let mut by_node = vec![f64::NAN; snapshot.node_count()];
    for (i, &v) in view.nodes.iter().enumerate() {
        by_node[v as usize] = values[i];
    }
    Ok(by_node)
}

/// The capped ego network of `request.id`. `pagerank` holds one value per snapshot node
/// (see [`pagerank_by_node`]); it orders the nodes of a hop and is reported per node.
pub fn ego_network(
    snapshot: &Snapshot,
    pagerank: &[f64],
    request: &EgoRequest,
) -> Result<EgoNetwork, QueryError> {
    if !(1..=MAX_EGO_DEPTH).contains(&request.depth) {
        return Err(QueryError::BadParameter(format!(
            "depth must be between 1 and {MAX_EGO_DEPTH}"
        )));
    }
    if !(2..=MAX_EGO_NODES).contains(&request.limit) {
        return Err(QueryError::BadParameter(format!(
            "limit must be between 2 and {MAX_EGO_NODES}"
        )));
    }
    if !(1..=MAX_EGO_EDGES).contains(&request.edge_limit) {
        return Err(QueryError::BadParameter(format!(
            "edge_limit must be between 1 and {MAX_EGO_EDGES}"
        )));
    }
    let Some(start) = snapshot.node_index(&request.id) else {
        return Err(QueryError::UnknownNode {
            id: request.id.clone(),
            suggestions: suggest(snapshot, &request.id, 3),
        });
    };
    let hops = hops_from(snapshot, start, request.depth);
    let score = |v: u32| pagerank.get(v as usize).copied().unwrap_or(f64::NAN);
    let mut reachable = Vec::with_capacity(hops.len());
    let mut returned = Vec::with_capacity(hops.len());
    let mut chosen: Vec<(usize, u32)> = Vec::new();
    for (hop, mut level) in hops.into_iter().enumerate() {
        reachable.push(level.len());
        let room = request.limit.saturating_sub(chosen.len());
        if level.len() > room {
            level.sort_unstable_by(|&a, &b| {
                let (pa, pb) = (score(a), score(b));
                pb.partial_cmp(&pa)
                    .unwrap_or_else(|| pa.is_nan().cmp(&pb.is_nan()))
                    .then(snapshot.degree(b).cmp(&snapshot.degree(a)))
                    .then(snapshot.node_id(a).cmp(snapshot.node_id(b)))
            });
            level.truncate(room);
        } else {
            level.sort_unstable_by(|&a, &b| snapshot.node_id(a).cmp(snapshot.node_id(b)));
        }
        returned.push(level.len());
        chosen.extend(level.into_iter().map(|v| (hop, v)));
    }
    let (edges, edges_among) = ego_edges(snapshot, &chosen, request.edge_limit);
    let nodes = chosen
        .into_iter()
        .map(|(hop, v)| EgoNode {
            id: snapshot.node_id(v).to_string(),
            kind: snapshot.node_kind(v).to_string(),
            name: snapshot.node_name(v).to_string(),
            name_en: snapshot.node_name_en(v).map(str::to_string),
            hop,
            degree: snapshot.degree(v),
            pagerank: Some(score(v)).filter(|x| !x.is_nan()),
        })
        .collect();
    Ok(EgoNetwork {
        center: request.id.clone(),
        depth: request.depth,
        sampled: reachable != returned || edges.len() < edges_among,
        nodes,
        edges,
        edges_among,
        reachable,
        returned,
    })
}

/// The edge records among the `chosen` nodes (hop, node; in returned order), capped at
/// `limit` in the priority order [`EgoNetwork::edges`] documents, and how many there were.
fn ego_edges(snapshot: &Snapshot, chosen: &[(usize, u32)], limit: usize) -> (Vec<EgoEdge>, usize) {
    const ABSENT: u32 = u32::MAX;
    let mut position = vec![ABSENT; snapshot.node_count()];
    for (p, &(_, v)) in chosen.iter().enumerate() {
        position[v as usize] = p as u32;
    }
    let hop_at = |p: u32| chosen[p as usize].0;
    let mut ties_nearer = std::collections::HashSet::with_capacity(chosen.len());
    for &(hop, v) in chosen.iter().skip(1) {
        let out = snapshot.out_edges(v);
        let inc = snapshot.in_edges(v).iter().map(|&e| e as usize);
        let nearer = out.chain(inc).find(|&e| {
            let edge = snapshot.edge(e);
            let other = if edge.source == v {
                edge.target
            } else {
                edge.source
            };
            let p = position[other as usize];
            p != ABSENT && hop_at(p) + 1 == hop
        });
        if let Some(e) = nearer {
            ties_nearer.insert(e);
        }
    }
    let mut ranked: Vec<(bool, u32, u32, usize)> = Vec::new();
    for &(_, v) in chosen {
        for e in snapshot.out_edges(v) {
            let edge = snapshot.edge(e);
            let (a, b) = (
                position[edge.source as usize],
                position[edge.target as usize],
            );
            if b == ABSENT {
                continue;
            }
            let essential = a == 0 || b == 0 || ties_nearer.contains(&e);
            ranked.push((!essential, a.max(b), a.min(b), e));
        }
    }
    let among = ranked.len();
    if among > limit {
        ranked.select_nth_unstable(limit);
        ranked.truncate(limit);
    }
    ranked.sort_unstable();
    let edges = ranked
        .into_iter()
        .map(|(_, _, _, e)| {
            let edge = snapshot.edge(e);
            EgoEdge {
                source: snapshot.node_id(edge.source).to_string(),
                target: snapshot.node_id(edge.target).to_string(),
                kind: edge.kind.to_string(),
            }
        })
        .collect();
    (edges, among)
}

/// The nodes at each distance from `start` (index 0 holds `start`), edges followed both ways.
fn hops_from(snapshot: &Snapshot, start: u32, depth: usize) -> Vec<Vec<u32>> {
    let (sources, targets) = (snapshot.edge_sources(), snapshot.edge_targets());
    let mut dist = vec![u32::MAX; snapshot.node_count()];
    dist[start as usize] = 0;
    let mut levels = vec![vec![start]];
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        let d = dist[v as usize] as usize;
        if d >= depth {
            continue;
        }
        let out = snapshot.out_edges(v).map(|e| targets[e]);
        let inc = snapshot.in_edges(v).iter().map(|&e| sources[e as usize]);
        for w in out.chain(inc) {
            if dist[w as usize] != u32::MAX {
                continue;
            }
            dist[w as usize] = d as u32 + 1;
            if levels.len() <= d + 1 {
                levels.push(Vec::new());
            }
            levels[d + 1].push(w);
            queue.push_back(w);
        }
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeRecord, NodeRecord, Props};
    use crate::store::SnapshotBuilder;

    fn node(id: &str, kind: &str) -> NodeRecord {
        NodeRecord {
            id: id.into(),
            kind: kind.into(),
            name: id.into(),
            name_en: None,
            props: Props::new(),
        }
    }

    fn tie(source: &str, target: &str) -> EdgeRecord {
        EdgeRecord {
            source: source.into(),
            target: target.into(),
            kind: "collaborates_with".into(),
            key: String::new(),
            weight: None,
            props: Props::new(),
        }
    }

    /// A star: hub `h` with `n` leaves, and leaf `l000` tied to a second-hop node `far`.
    fn star(n: usize) -> Snapshot {
        let mut b = SnapshotBuilder::new(
            1,
            vec!["university".into(), "enterprise".into()],
            vec!["collaborates_with".into()],
        );
        b.push_node(&node("far", "enterprise")).unwrap();
        b.push_node(&node("h", "university")).unwrap();
        for i in 0..n {
            b.push_node(&node(&format!("l{i:03}"), "enterprise"))
                .unwrap();
        }
        for i in 0..n {
            b.push_edge(&tie("h", &format!("l{i:03}"))).unwrap();
        }
        b.push_edge(&tie("l000", "far")).unwrap();
        b.finish()
    }

    #[test]
    fn a_small_neighbourhood_is_returned_whole_with_its_edges() {
        let s = star(3);
        let pr = vec![0.1; s.node_count()];
        let request = EgoRequest {
            id: "h".into(),
            depth: 2,
            limit: 100,
            edge_limit: DEFAULT_EGO_EDGES,
        };
        let ego = ego_network(&s, &pr, &request).unwrap();
        let ids: Vec<&str> = ego.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["h", "l000", "l001", "l002", "far"]);
        assert_eq!(ego.reachable, [1, 3, 1]);
        assert!(!ego.sampled);
        assert_eq!(ego.edges.len(), 4);
        assert_eq!(ego.nodes[4].hop, 2);
    }

    #[test]
    fn a_hub_is_sampled_nearest_and_most_central_first() {
        let s = star(50);
        let mut pr = vec![0.0; s.node_count()];
        let l007 = s.node_index("l007").unwrap();
        pr[l007 as usize] = 1.0;
        let request = EgoRequest {
            id: "h".into(),
            depth: 2,
            limit: 5,
            edge_limit: DEFAULT_EGO_EDGES,
        };
        let ego = ego_network(&s, &pr, &request).unwrap();
        assert_eq!(ego.nodes.len(), 5);
        assert!(ego.sampled);
        assert_eq!(ego.reachable, [1, 50, 1]);
        assert_eq!(ego.returned, [1, 4, 0]);
        assert_eq!(ego.nodes[1].id, "l007", "the most central leaf comes first");
        assert!(ego.edges.iter().all(|e| e.source == "h"));
        assert_eq!(ego.edges.len(), 4);
    }

    #[test]
    fn bad_requests_are_refused() {
        let s = star(2);
        let pr = vec![0.0; s.node_count()];
        let ask = |id: &str, depth, limit| {
            ego_network(
                &s,
                &pr,
                &EgoRequest {
                    id: id.into(),
                    depth,
                    limit,
                    edge_limit: DEFAULT_EGO_EDGES,
                },
            )
        };
        assert!(matches!(
            ask("nope", 1, 10),
            Err(QueryError::UnknownNode { .. })
        ));
        assert!(ask("h", 0, 10).is_err());
        assert!(ask("h", 4, 10).is_err());
        assert!(ask("h", 1, 1).is_err());
        assert!(ask("h", 1, MAX_EGO_NODES + 1).is_err());
        let edges = |edge_limit| {
            let request = EgoRequest {
                id: "h".into(),
                depth: 1,
                limit: 10,
                edge_limit,
            };
            ego_network(&s, &pr, &request)
        };
        assert!(edges(0).is_err());
        assert!(edges(MAX_EGO_EDGES + 1).is_err());
        assert!(edges(MAX_EGO_EDGES).is_ok());
    }

    /// A wheel: hub `h`, leaves `l000..l009` in a ring, and `far` tied to `l000`.
    fn wheel() -> Snapshot {
        let mut b = SnapshotBuilder::new(
            1,
            vec!["university".into(), "enterprise".into()],
            vec!["collaborates_with".into()],
        );
        b.push_node(&node("far", "enterprise")).unwrap();
        b.push_node(&node("h", "university")).unwrap();
        for i in 0..10 {
            b.push_node(&node(&format!("l{i:03}"), "enterprise"))
                .unwrap();
        }
        b.push_edge(&tie("far", "l000")).unwrap();
        for i in 0..10 {
            b.push_edge(&tie("h", &format!("l{i:03}"))).unwrap();
        }
        for i in 0..10 {
            b.push_edge(&tie(&format!("l{i:03}"), &format!("l{:03}", (i + 1) % 10)))
                .unwrap();
        }
        b.finish()
    }

    #[test]
    fn edges_are_capped_keeping_every_node_tied_to_the_picture() {
        let s = wheel();
        let pr = vec![0.1; s.node_count()];
        let request = |edge_limit| EgoRequest {
            id: "h".into(),
            depth: 2,
            limit: 100,
            edge_limit,
        };
        let whole = ego_network(&s, &pr, &request(100)).unwrap();
        assert_eq!((whole.edges.len(), whole.edges_among), (21, 21));
        assert!(!whole.sampled);

        let capped = ego_network(&s, &pr, &request(12)).unwrap();
        assert_eq!((capped.edges.len(), capped.edges_among), (12, 21));
        assert!(capped.sampled, "a left-out edge makes the picture a sample");
        let has = |a: &str, b: &str| {
            capped
                .edges
                .iter()
                .any(|e| (e.source == a && e.target == b) || (e.source == b && e.target == a))
        };
        for i in 0..10 {
            assert!(
                has("h", &format!("l{i:03}")),
                "every tie to the actor is kept"
            );
        }
        assert!(
            has("far", "l000"),
            "the second-hop node keeps its tie a step nearer"
        );
        assert!(
            has("l000", "l001"),
            "then the ring edge among the earliest nodes"
        );
        assert!(!has("l009", "l000"));
    }
}
