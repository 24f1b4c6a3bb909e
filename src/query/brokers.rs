//! Brokers: Burt's constraint and Gould–Fernandez brokerage, with the actor's kind as its
//! group. Answers "who sits between universities and firms".
//!
//! Brokerage is [`crate::algo::brokerage`] (roles, undirected folding, permutation
//! z-scores) with the node kind as the group. On the undirected collab view (the default)
//! representative and gatekeeper are one role, `representative_gatekeeper`.
//! With `directed`, the graph is the organisations of the full view with their direct ties
//! (`contracts_with`, `incubates`, `spun_off_from` as directed arcs; `collaborates_with`,
//! which has no direction, as arcs both ways) and all five roles are counted.
//! `between = (A, B)` counts only two-paths whose ends are one of kind A and one of kind B.
//!
//! Constraint is Burt's (NetworkX `constraint`, unweighted) on the same graph; null for
//! isolated organisations.

use serde::Serialize;

use super::QueryError;
use crate::algo::brokerage::{Brokerage, DIRECTED_ROLES, UNDIRECTED_ROLES};
use crate::graph::{build_view, Csr, ViewKind, ViewOptions};
use crate::model::Schema;
use crate::store::Snapshot;

/// What to compute.
#[derive(Debug, Clone)]
pub struct BrokersRequest {
    /// Directed organisation ties of the full view instead of the collab view.
    pub directed: bool,
    /// Count only two-paths with one end of each of these kinds.
    pub between: Option<(String, String)>,
    /// Output only organisations of these kinds.
    pub kinds: Vec<String>,
    /// Output only the top N by total brokerage.
    pub top: Option<usize>,
    /// Permutations for the z-scores (0: no z-scores).
    pub permutations: usize,
    /// Seed of the permutations.
    pub seed: u64,
}

impl Default for BrokersRequest {
    fn default() -> Self {
        BrokersRequest {
            directed: false,
            between: None,
            kinds: Vec::new(),
            top: None,
            permutations: 200,
            seed: 42,
        }
    }
}

/// One organisation's row.
#[derive(Debug, Clone, Serialize)]
pub struct BrokerRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Kind (its group).
    pub kind: String,
    /// Burt's constraint (null when isolated).
    pub constraint: Option<f64>,
    /// Count per role, in the report's role order.
    pub counts: Vec<u64>,
    /// Sum of the counts.
    pub total: u64,
    /// z-score per role (null when undefined).
    pub z: Vec<Option<f64>>,
}

/// The answer.
#[derive(Debug, Clone, Serialize)]
pub struct BrokersReport {
    /// Role names, in the order of the counts.
    pub roles: Vec<String>,
    /// Directed or not.
    pub directed: bool,
    /// Permutations used for the z-scores.
    pub permutations: usize,
    /// Rows, by decreasing total then id.
    pub rows: Vec<BrokerRow>,
}

impl BrokersReport {
    /// The rows as a JSON array: `{id, name, kind, constraint, <role>..., total, z: {role: z}}`.
    pub fn to_json(&self) -> serde_json::Value {
        let num = |x: Option<f64>| {
            x.and_then(serde_json::Number::from_f64)
                .map_or(serde_json::Value::Null, serde_json::Value::Number)
        };
        self.rows
            .iter()
            .map(|r| {
                let mut o = serde_json::Map::new();
                o.insert("id".into(), r.id.clone().into());
                o.insert("name".into(), r.name.clone().into());
                o.insert("kind".into(), r.kind.clone().into());
                o.insert("constraint".into(), num(r.constraint));
                let mut z = serde_json::Map::new();
                for (i, role) in self.roles.iter().enumerate() {
                    o.insert(role.clone(), r.counts[i].into());
                    z.insert(role.clone(), num(r.z[i]));
                }
                o.insert("total".into(), r.total.into());
                o.insert("z".into(), z.into());
                serde_json::Value::Object(o)
            })
            .collect()
    }
}

/// The organisations' directed ties of the full view (collaborations both ways).
fn directed_graph(snapshot: &Snapshot, schema: &Schema) -> (Csr, Vec<u32>) {
    let org: Vec<bool> = snapshot
        .node_kind_names()
        .iter()
        .map(|k| schema.is_organisation(k))
        .collect();
    let nodes: Vec<u32> = (0..snapshot.node_count() as u32)
        .filter(|&v| org[snapshot.node_kind_code(v) as usize])
        .collect();
    let mut index = vec![u32::MAX; snapshot.node_count()];
    for (i, &v) in nodes.iter().enumerate() {
        index[v as usize] = i as u32;
    }
    let mut arcs = Vec::new();
    for e in 0..snapshot.edge_count() {
        let edge = snapshot.edge(e);
        let Some(def) = schema.edge_kind(edge.kind) else {
            continue;
        };
        if def.attribute {
            continue;
        }
        let (s, t) = (index[edge.source as usize], index[edge.target as usize]);
        if s == u32::MAX || t == u32::MAX {
            continue;
        }
        arcs.push((s, t, 1.0));
        if !def.directed {
            arcs.push((t, s, 1.0));
        }
    }
    (Csr::from_edges(nodes.len(), true, &arcs), nodes)
}

/// Computes constraint and brokerage for every organisation.
pub fn brokers(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &BrokersRequest,
) -> Result<BrokersReport, QueryError> {
    let known = |k: &str| -> Result<(), QueryError> {
        if schema.node_kind(k).is_none() {
            return Err(QueryError::BadParameter(format!("unknown node kind `{k}`")));
        }
        Ok(())
    };
    for k in &request.kinds {
        known(k)?;
    }
    let (graph, nodes) = if request.directed {
        directed_graph(snapshot, schema)
    } else {
        let view = build_view(
            snapshot,
            schema,
            &ViewOptions {
                kind: ViewKind::Collab,
                ..Default::default()
            },
        )
        .map_err(|e| QueryError::BadParameter(e.to_string()))?;
        (view.graph, view.nodes)
    };
    let kinds = snapshot.node_kind_names();
    let k = kinds.len().max(1);
    let groups: Vec<u16> = nodes.iter().map(|&v| snapshot.node_kind_code(v)).collect();
    let code = |name: &str| -> Result<u16, QueryError> {
        known(name)?;
        // A kind without nodes gets a code no node has.
        Ok(snapshot.node_kind_code_of(name).unwrap_or(u16::MAX))
    };
    let between = match &request.between {
        Some((a, b)) => {
            if a == b {
                return Err(QueryError::BadParameter(
                    "--between needs two different kinds".into(),
                ));
            }
            Some((code(a)?, code(b)?))
        }
        None => None,
    };
    let brokerage = Brokerage::new(&graph).map_err(|e| QueryError::BadParameter(e.to_string()))?;
    let observed = brokerage.counts(&groups, &groups, k, between);
    let constraint = crate::algo::structural_holes::constraint(&graph, false);
    let z_scores = brokerage.z_scores(
        &groups,
        k,
        between,
        &observed,
        request.permutations,
        request.seed,
    );
    let n = nodes.len();
    let roles: Vec<usize> = if request.directed {
        vec![0, 1, 2, 3, 4]
    } else {
        vec![0, 1, 2, 4]
    };
    let role_names: Vec<String> = if request.directed {
        DIRECTED_ROLES.iter().map(|s| s.to_string()).collect()
    } else {
        UNDIRECTED_ROLES.iter().map(|s| s.to_string()).collect()
    };
    let mut rows: Vec<BrokerRow> = Vec::new();
    for i in 0..n {
        let v = nodes[i];
        let kind = snapshot.node_kind(v);
        if !request.kinds.is_empty() && !request.kinds.iter().any(|x| x == kind) {
            continue;
        }
        let counts: Vec<u64> = roles.iter().map(|&r| observed[i][r]).collect();
        let z = roles.iter().map(|&r| z_scores[i][r]).collect();
        rows.push(BrokerRow {
            id: snapshot.node_id(v).to_string(),
            name: snapshot.node_name(v).to_string(),
            name_en: snapshot.node_name_en(v).map(str::to_string),
            kind: kind.to_string(),
            constraint: Some(constraint[i]).filter(|c| !c.is_nan()),
            total: counts.iter().sum(),
            counts,
            z,
        });
    }
    rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.id.cmp(&b.id)));
    if let Some(t) = request.top {
        rows.truncate(t);
    }
    Ok(BrokersReport {
        roles: role_names,
        directed: request.directed,
        permutations: request.permutations,
        rows,
    })
}
