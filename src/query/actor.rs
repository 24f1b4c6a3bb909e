//! One actor seen from the outside: the edges that touch it (with the node at the other
//! end) and where it ranks within its kind by degree, PageRank and betweenness. This is
//! what the web page's actor card shows; grouping the edges is left to the reader.

use serde::Serialize;

use super::{suggest, Algo, CentralityReport, CentralityRequest, QueryError};
use crate::model::Schema;
use crate::store::Snapshot;

/// Views with more nodes than this rank betweenness on sampled sources.
pub const EXACT_BETWEENNESS_MAX_NODES: usize = 5_000;

/// Sources sampled for betweenness ranks on large views (Brandes–Pich, seed 42).
pub const RANK_BETWEENNESS_SAMPLES: usize = 500;

/// The node at the other end of an edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherEnd {
    /// Node id.
    pub id: String,
    /// Node kind.
    pub kind: String,
    /// Name as written.
    pub name: String,
    /// English name, or null.
    pub name_en: Option<String>,
}

/// One edge record touching the actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentEdge {
    /// Edge kind.
    pub kind: String,
    /// `out` (the actor is the source), `in` (the target) or `both` (an undirected kind).
    pub direction: &'static str,
    /// Parallel-tie key ("" when unused).
    pub key: String,
    /// The record's weight, if any.
    pub weight: Option<f64>,
    /// The `year` property, if any.
    pub year: Option<i32>,
    /// The node at the other end.
    pub other: OtherEnd,
}

/// Every edge record touching `id`, by edge kind, then other end's id, then key;
/// `edge_kinds` keeps only those kinds (all when empty).
pub fn incident_edges(
    snapshot: &Snapshot,
    schema: &Schema,
    id: &str,
    edge_kinds: &[String],
) -> Result<Vec<IncidentEdge>, QueryError> {
    let v = node_or_error(snapshot, id)?;
    for k in edge_kinds {
        if schema.edge_kind(k).is_none() && snapshot.edge_kind_code_of(k).is_none() {
            return Err(QueryError::BadParameter(format!("unknown edge kind `{k}`")));
        }
    }
    let keep = |kind: &str| edge_kinds.is_empty() || edge_kinds.iter().any(|k| k == kind);
    let directed = |kind: &str| schema.edge_kind(kind).is_none_or(|d| d.directed);
    let out = snapshot.out_edges(v).map(|e| (e, true));
    let inc = snapshot.in_edges(v).iter().map(|&e| (e as usize, false));
    let mut edges: Vec<IncidentEdge> = out
        .chain(inc)
        .filter_map(|(e, outgoing)| {
            let edge = snapshot.edge(e);
            if !keep(edge.kind) {
                return None;
            }
            let other = if outgoing { edge.target } else { edge.source };
            let direction = match (directed(edge.kind), outgoing) {
                (false, _) => "both",
                (true, true) => "out",
                (true, false) => "in",
            };
            Some(IncidentEdge {
                kind: edge.kind.to_string(),
                direction,
                key: edge.key.to_string(),
                weight: edge.weight,
                year: edge.year,
                other: OtherEnd {
                    id: snapshot.node_id(other).to_string(),
                    kind: snapshot.node_kind(other).to_string(),
                    name: snapshot.node_name(other).to_string(),
                    name_en: snapshot.node_name_en(other).map(str::to_string),
                },
            })
        })
        .collect();
    edges.sort_by(|a, b| {
        (&a.kind, &a.other.id, &a.key, a.direction).cmp(&(
            &b.kind,
            &b.other.id,
            &b.key,
            b.direction,
        ))
    });
    Ok(edges)
}

/// Where an actor stands by one measure among the actors of its kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rank {
    /// The measure (`degree`, `pagerank`, `betweenness`).
    pub algo: String,
    /// The actor's value.
    pub value: f64,
    /// 1 + the number of actors of the kind with a strictly larger value ("1224" ranking).
    pub rank: usize,
    /// Actors of the kind ranked.
    pub of: usize,
    /// How the measure was computed (e.g. sampled sources), or "".
    pub note: String,
}

/// An actor's ranks within its kind on the full view (none when the report lacks it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorRanks {
    /// Node id.
    pub id: String,
    /// Node kind.
    pub kind: String,
    /// One entry per measure.
    pub ranks: Vec<Rank>,
}

/// The centrality computation whose report [`actor_ranks`] reads: degree, PageRank and
/// betweenness on the full view, every node, betweenness on
/// [`RANK_BETWEENNESS_SAMPLES`] sampled sources when the snapshot has more than
/// [`EXACT_BETWEENNESS_MAX_NODES`] nodes.
pub fn ranks_request(snapshot: &Snapshot) -> CentralityRequest {
    CentralityRequest {
        algos: vec![Algo::Degree, Algo::Pagerank, Algo::Betweenness],
        samples: (snapshot.node_count() > EXACT_BETWEENNESS_MAX_NODES)
            .then_some(RANK_BETWEENNESS_SAMPLES),
        ..CentralityRequest::default()
    }
}

/// The ranks of `id` within its kind, read from a report computed with
/// [`ranks_request`] (all rows, every kind).
pub fn actor_ranks(
    snapshot: &Snapshot,
    report: &CentralityReport,
    id: &str,
) -> Result<ActorRanks, QueryError> {
    let v = node_or_error(snapshot, id)?;
    let kind = snapshot.node_kind(v).to_string();
    let mut ranks = Vec::new();
    let me = report.rows.iter().find(|r| r.id == id);
    if let Some(me) = me {
        let peers: Vec<&[f64]> = report
            .rows
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.values.as_slice())
            .collect();
        for (column, algo) in report.algos.iter().enumerate() {
            let value = me.values[column];
            let above = peers.iter().filter(|p| p[column] > value).count();
            ranks.push(Rank {
                algo: algo.name().to_string(),
                value,
                rank: above + 1,
                of: peers.len(),
                note: report
                    .summaries
                    .get(column)
                    .map(|s| s.note.clone())
                    .unwrap_or_default(),
            });
        }
    }
    Ok(ActorRanks {
        id: id.to_string(),
        kind,
        ranks,
    })
}

fn node_or_error(snapshot: &Snapshot, id: &str) -> Result<u32, QueryError> {
    snapshot
        .node_index(id)
        .ok_or_else(|| QueryError::UnknownNode {
            id: id.to_string(),
            suggestions: suggest(snapshot, id, 3),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeRecord, NodeRecord, Props};
    use crate::query::CentralityRow;
    use crate::store::SnapshotBuilder;

    fn snapshot() -> Snapshot {
        let schema = Schema::builtin();
        let mut b = SnapshotBuilder::new(
            1,
            schema.node_kinds.keys().cloned().collect(),
            schema.edge_kinds.keys().cloned().collect(),
        );
        for (id, kind) in [
            ("ent:d", "enterprise"),
            ("plat:p", "platform"),
            ("univ:a", "university"),
            ("univ:b", "university"),
            ("univ:c", "university"),
        ] {
            b.push_node(&NodeRecord {
                id: id.into(),
                kind: kind.into(),
                name: id.into(),
                name_en: None,
                props: Props::new(),
            })
            .unwrap();
        }
        let edge = |s: &str, t: &str, kind: &str| EdgeRecord {
            source: s.into(),
            target: t.into(),
            kind: kind.into(),
            key: String::new(),
            weight: None,
            props: Props::new(),
        };
        b.push_edge(&edge("ent:d", "univ:a", "collaborates_with"))
            .unwrap();
        b.push_edge(&edge("univ:a", "plat:p", "operates")).unwrap();
        b.push_edge(&edge("univ:b", "plat:p", "operates")).unwrap();
        b.finish()
    }

    fn row(id: &str, kind: &str, values: Vec<f64>) -> CentralityRow {
        CentralityRow {
            id: id.into(),
            kind: kind.into(),
            name: id.into(),
            name_en: None,
            values,
        }
    }

    #[test]
    fn ranks_count_strictly_larger_values_of_the_same_kind() {
        let s = snapshot();
        let report = CentralityReport {
            algos: vec![Algo::Degree, Algo::Pagerank],
            rows: vec![
                row("univ:a", "university", vec![5.0, 0.1]),
                row("univ:b", "university", vec![3.0, 0.3]),
                row("univ:c", "university", vec![3.0, 0.2]),
                row("ent:d", "enterprise", vec![9.0, 0.4]),
            ],
            summaries: Vec::new(),
            view_nodes: 4,
            view_ties: 0,
            view_seconds: 0.0,
        };
        let ranks = |id: &str| -> Vec<(usize, usize)> {
            actor_ranks(&s, &report, id)
                .unwrap()
                .ranks
                .iter()
                .map(|r| (r.rank, r.of))
                .collect()
        };
        assert_eq!(ranks("univ:a"), [(1, 3), (3, 3)]);
        assert_eq!(ranks("univ:b"), [(2, 3), (1, 3)]);
        assert_eq!(ranks("univ:c"), [(2, 3), (2, 3)]);
        assert_eq!(ranks("ent:d"), [(1, 1), (1, 1)]);
        let unranked = actor_ranks(&s, &report, "plat:p").unwrap();
        assert!(
            unranked.ranks.is_empty(),
            "a node missing from the report has no ranks"
        );
        assert!(matches!(
            actor_ranks(&s, &report, "univ:x"),
            Err(QueryError::UnknownNode { .. })
        ));
    }

    #[test]
    fn incident_edges_name_the_other_end_and_the_direction() {
        let s = snapshot();
        let schema = Schema::builtin();
        let edges = incident_edges(&s, &schema, "univ:a", &[]).unwrap();
        let seen: Vec<(&str, &str, &str)> = edges
            .iter()
            .map(|e| (e.kind.as_str(), e.direction, e.other.id.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("collaborates_with", "both", "ent:d"),
                ("operates", "out", "plat:p"),
            ]
        );
        let into_platform = incident_edges(&s, &schema, "plat:p", &["operates".into()]).unwrap();
        assert_eq!(into_platform.len(), 2);
        assert!(into_platform.iter().all(|e| e.direction == "in"));
        assert!(incident_edges(&s, &schema, "univ:a", &["fame".into()]).is_err());
        assert!(incident_edges(&s, &schema, "univ:x", &[]).is_err());
    }
}
