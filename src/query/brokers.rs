//! Brokers: Burt's constraint and Gould–Fernandez brokerage, with the actor's kind as its
//! group. Answers "who sits between universities and firms".
//!
//! Brokerage (Gould & Fernandez 1989): `b` brokers a two-path `a → b → c` (`a ≠ c`) when
//! there is no tie `a → c`. With `g(x)` the group (node kind) of `x`:
//!
//! | role           | groups               |
//! |----------------|----------------------|
//! | coordinator    | g(a) = g(b) = g(c)   |
//! | itinerant      | g(a) = g(c) ≠ g(b)   |
//! | representative | g(a) = g(b) ≠ g(c)   |
//! | gatekeeper     | g(a) ≠ g(b) = g(c)   |
//! | liaison        | all three different  |
//!
//! On the undirected collab view (the default) a two-path is an unordered pair {a, c} of
//! untied neighbours of `b`, and representative and gatekeeper cannot be told apart: they
//! are reported as one role, `representative_gatekeeper` (one end shares `b`'s group).
//! With `directed`, the graph is the organisations of the full view with their direct ties
//! (`contracts_with`, `incubates`, `spun_off_from` as directed arcs; `collaborates_with`,
//! which has no direction, as arcs both ways) and all five roles are counted.
//! `between = (A, B)` counts only two-paths whose ends are one of kind A and one of kind B.
//!
//! z-scores: seeded permutations. Each permutation shuffles the kind labels over all nodes
//! of the graph (so group sizes are kept); the broker keeps its own kind, the two ends take
//! the shuffled labels. `z = (observed − mean) / sd` over the permutations (population sd);
//! null when the sd is 0 (the count cannot vary) or no permutation was asked for.
//!
//! Constraint is Burt's (NetworkX `constraint`, unweighted) on the same graph; null for
//! isolated organisations.

use serde::Serialize;

use super::QueryError;
use crate::algo::community::SplitMix64;
use crate::graph::{build_view, Adjacency, Csr, ViewKind, ViewOptions};
use crate::model::Schema;
use crate::store::Snapshot;

/// Role names on directed graphs, in column order.
pub const DIRECTED_ROLES: [&str; 5] = [
    "coordinator",
    "itinerant",
    "representative",
    "gatekeeper",
    "liaison",
];

/// Role names on undirected graphs, in column order.
pub const UNDIRECTED_ROLES: [&str; 4] = [
    "coordinator",
    "itinerant",
    "representative_gatekeeper",
    "liaison",
];

/// Role index (into [`DIRECTED_ROLES`]) of a two-path with these groups. On undirected
/// graphs callers fold representative (2) and gatekeeper (3) together.
fn role(ga: u16, gb: u16, gc: u16) -> usize {
    match (ga == gb, gb == gc, ga == gc) {
        (true, true, _) => 0,
        (false, false, true) => 1,
        (true, false, _) => 2,
        (false, true, _) => 3,
        (false, false, false) => 4,
    }
}

/// Per broker, its closed two-paths (pairs of ends that are tied), computed once.
struct Closed {
    offsets: Vec<usize>,
    pairs: Vec<(u32, u32)>,
}

/// Largest number of closed two-paths kept in memory for permutations.
const MAX_CLOSED: usize = 200_000_000;

fn closed_pairs(g: &Csr) -> Result<Closed, QueryError> {
    let n = g.node_count();
    let mut mark = vec![usize::MAX; n];
    let mut offsets = vec![0];
    let mut pairs = Vec::new();
    for b in 0..n {
        for &c in g.out_neighbors(b) {
            mark[c as usize] = b;
        }
        for &a in g.in_neighbors(b) {
            for &c in g.out_neighbors(a as usize) {
                // Undirected: each unordered pair once (a < c); directed: every a → c arc.
                if mark[c as usize] == b && c != a && (g.is_directed() || a < c) {
                    pairs.push((a, c));
                }
            }
        }
        if pairs.len() > MAX_CLOSED {
            return Err(QueryError::BadParameter(
                "too many closed triads to count brokerage in memory".into(),
            ));
        }
        offsets.push(pairs.len());
    }
    Ok(Closed { offsets, pairs })
}

/// Brokerage counts of every node: `[coordinator, itinerant, representative, gatekeeper,
/// liaison]` (on undirected graphs representative holds the combined role and gatekeeper is
/// 0). `groups[v]` is `v`'s group for the ends, `own[v]` the broker's own group;
/// `between` keeps only two-paths with one end in each of the two groups.
fn count(
    g: &Csr,
    closed: &Closed,
    groups: &[u16],
    own: &[u16],
    k: usize,
    between: Option<(u16, u16)>,
) -> Vec<[u64; 5]> {
    let n = g.node_count();
    let directed = g.is_directed();
    let mut inc = vec![0u64; k];
    let mut out = vec![0u64; k];
    let mut m = vec![0i64; k * k];
    let mut result = vec![[0u64; 5]; n];
    for b in 0..n {
        inc.iter_mut().for_each(|x| *x = 0);
        out.iter_mut().for_each(|x| *x = 0);
        m.iter_mut().for_each(|x| *x = 0);
        for &a in g.in_neighbors(b) {
            inc[groups[a as usize] as usize] += 1;
        }
        if directed {
            for &c in g.out_neighbors(b) {
                out[groups[c as usize] as usize] += 1;
            }
            for g1 in 0..k {
                for g2 in 0..k {
                    m[g1 * k + g2] = (inc[g1] * out[g2]) as i64;
                }
            }
            // a = c is no two-path.
            let (ins, outs) = (g.in_neighbors(b), g.out_neighbors(b));
            let (mut i, mut j) = (0, 0);
            while i < ins.len() && j < outs.len() {
                match ins[i].cmp(&outs[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        let x = groups[ins[i] as usize] as usize;
                        m[x * k + x] -= 1;
                        i += 1;
                        j += 1;
                    }
                }
            }
            for &(a, c) in &closed.pairs[closed.offsets[b]..closed.offsets[b + 1]] {
                m[groups[a as usize] as usize * k + groups[c as usize] as usize] -= 1;
            }
        } else {
            for g1 in 0..k {
                let c1 = inc[g1] as i64;
                m[g1 * k + g1] = c1 * (c1 - 1) / 2;
                for g2 in g1 + 1..k {
                    m[g1 * k + g2] = c1 * inc[g2] as i64;
                }
            }
            for &(a, c) in &closed.pairs[closed.offsets[b]..closed.offsets[b + 1]] {
                let (x, y) = (groups[a as usize] as usize, groups[c as usize] as usize);
                m[x.min(y) * k + x.max(y)] -= 1;
            }
        }
        let gb = own[b];
        for g1 in 0..k {
            for g2 in 0..k {
                let v = m[g1 * k + g2];
                if v <= 0 {
                    continue;
                }
                if let Some((p, q)) = between {
                    let ok =
                        (g1 as u16 == p && g2 as u16 == q) || (g1 as u16 == q && g2 as u16 == p);
                    if !ok {
                        continue;
                    }
                }
                let mut r = role(g1 as u16, gb, g2 as u16);
                if !directed && r == 3 {
                    r = 2;
                }
                result[b][r] += v as u64;
            }
        }
    }
    result
}

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
    let closed = closed_pairs(&graph)?;
    let observed = count(&graph, &closed, &groups, &groups, k, between);
    let constraint = crate::algo::structural_holes::constraint(&graph, false);

    // Permutation z-scores.
    let n = nodes.len();
    let mut sum = vec![[0f64; 5]; n];
    let mut sumsq = vec![[0f64; 5]; n];
    let mut rng = SplitMix64(request.seed);
    let mut shuffled = groups.clone();
    for _ in 0..request.permutations {
        rng.shuffle(&mut shuffled);
        let c = count(&graph, &closed, &shuffled, &groups, k, between);
        for v in 0..n {
            for r in 0..5 {
                let x = c[v][r] as f64;
                sum[v][r] += x;
                sumsq[v][r] += x * x;
            }
        }
    }
    let p = request.permutations as f64;
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
        let z = roles
            .iter()
            .map(|&r| {
                if request.permutations == 0 {
                    return None;
                }
                let mean = sum[i][r] / p;
                let var = (sumsq[i][r] / p - mean * mean).max(0.0);
                let sd = var.sqrt();
                (sd > 1e-12).then(|| (observed[i][r] as f64 - mean) / sd)
            })
            .collect();
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

/// Brokerage counts of a plain graph with given groups (for tests and callers with their own
/// graphs): one `[coordinator, itinerant, representative, gatekeeper, liaison]` per node.
pub fn brokerage_counts(
    g: &Csr,
    groups: &[u16],
    between: Option<(u16, u16)>,
) -> Result<Vec<[u64; 5]>, QueryError> {
    let k = groups.iter().map(|&x| x as usize + 1).max().unwrap_or(1);
    let closed = closed_pairs(g)?;
    Ok(count(g, &closed, groups, groups, k, between))
}

/// Brute-force brokerage counts by enumerating two-paths (reference for tests).
#[cfg(test)]
fn brute(g: &Csr, groups: &[u16]) -> Vec<[u64; 5]> {
    let n = g.node_count();
    let tied = |a: u32, c: u32| g.out_neighbors(a as usize).contains(&c);
    let mut out = vec![[0u64; 5]; n];
    for b in 0..n {
        for &a in g.in_neighbors(b) {
            for &c in g.out_neighbors(b) {
                if a == c || tied(a, c) || (!g.is_directed() && a > c) {
                    continue;
                }
                let mut r = role(groups[a as usize], groups[b], groups[c as usize]);
                if !g.is_directed() && r == 3 {
                    r = 2;
                }
                out[b][r] += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csr(n: usize, directed: bool, edges: &[(u32, u32)]) -> Csr {
        let e: Vec<(u32, u32, f64)> = edges.iter().map(|&(a, b)| (a, b, 1.0)).collect();
        Csr::from_edges(n, directed, &e)
    }

    #[test]
    fn directed_textbook_roles() {
        // Groups: 0 = A, 1 = B, 2 = C. Nodes 0 A, 1 A, 2 B (the broker), 3 B, 4 C, 5 B.
        let groups = [0, 0, 1, 1, 2, 1];
        let g = csr(6, true, &[(0, 2), (2, 3), (2, 4), (2, 1), (3, 2), (2, 5)]);
        let c = brokerage_counts(&g, &groups, None).unwrap();
        // In-neighbours of 2: {0 (A), 3 (B)}; out: {1 (A), 3 (B), 4 (C), 5 (B)}.
        // 0->2->1 itinerant, 0->2->3 gatekeeper, 0->2->4 liaison, 0->2->5 gatekeeper,
        // 3->2->1 representative, 3->2->4 representative, 3->2->5 coordinator (3->2->3 is no path).
        assert_eq!(c[2], [1, 1, 2, 2, 1]);
        assert_eq!(c, brute(&g, &groups));
        // Closing 0 -> 4 removes the liaison path.
        let g2 = csr(
            6,
            true,
            &[(0, 2), (2, 3), (2, 4), (2, 1), (3, 2), (2, 5), (0, 4)],
        );
        assert_eq!(
            brokerage_counts(&g2, &groups, None).unwrap()[2],
            [1, 1, 2, 2, 0]
        );
        // Only two-paths between A and C.
        assert_eq!(
            brokerage_counts(&g, &groups, Some((0, 2))).unwrap()[2],
            [0, 0, 0, 0, 1]
        );
    }

    #[test]
    fn undirected_folds_representative_and_gatekeeper() {
        // Star around 0 (group 0) with leaves of groups 0, 0, 1, 2; leaves 1 and 2 tied.
        let groups = [0, 0, 0, 1, 2];
        let g = csr(5, false, &[(0, 1), (0, 2), (0, 3), (0, 4), (1, 2)]);
        let c = brokerage_counts(&g, &groups, None).unwrap();
        // Pairs of 0's neighbours: {1,2} tied (closed); {1,3} {2,3} {1,4} {2,4}: one end in
        // group 0 -> representative/gatekeeper (4); {3,4}: ends 1 and 2, broker 0 -> liaison.
        assert_eq!(c[0], [0, 0, 4, 0, 1]);
        assert_eq!(c, brute(&g, &groups));
    }

    #[test]
    fn matches_brute_force_on_a_random_graph() {
        let mut rng = SplitMix64(7);
        for directed in [false, true] {
            let n = 30;
            let mut e = Vec::new();
            for _ in 0..120 {
                let (a, b) = (rng.below(n) as u32, rng.below(n) as u32);
                e.push((a, b));
            }
            let g = csr(n, directed, &e);
            let groups: Vec<u16> = (0..n).map(|_| rng.below(3) as u16).collect();
            assert_eq!(
                brokerage_counts(&g, &groups, None).unwrap(),
                brute(&g, &groups)
            );
        }
    }
}
