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

/// What to draw around an actor.
#[derive(Debug, Clone)]
pub struct EgoRequest {
    /// The actor's id.
    pub id: String,
    /// Steps from the actor (1..=[`MAX_EGO_DEPTH`]); edges are followed both ways.
    pub depth: usize,
    /// Most nodes to return, the actor included (2..=[`MAX_EGO_NODES`]).
    pub limit: usize,
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
    /// Every edge record between two returned nodes.
    pub edges: Vec<EgoEdge>,
    /// Nodes reachable at each hop (index 0 is the actor itself: 1).
    pub reachable: Vec<usize>,
    /// Nodes returned at each hop.
    pub returned: Vec<usize>,
    /// True when some reachable node was left out.
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
    let mut selected = vec![false; snapshot.node_count()];
    for &(_, v) in &chosen {
        selected[v as usize] = true;
    }
    let mut edges = Vec::new();
    for &(_, v) in &chosen {
        for e in snapshot.out_edges(v) {
            let edge = snapshot.edge(e);
            if selected[edge.target as usize] {
                edges.push(EgoEdge {
                    source: snapshot.node_id(edge.source).to_string(),
                    target: snapshot.node_id(edge.target).to_string(),
                    kind: edge.kind.to_string(),
                });
            }
        }
    }
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
        sampled: reachable != returned,
        nodes,
        edges,
        reachable,
        returned,
    })
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
    }
}
