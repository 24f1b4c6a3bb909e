//! Demand ↔ achievement assignment (`match --assign`): how many open demands could be
//! answered at once if each achievement answered one demand in its field, beside today's
//! match rate.
//!
//! Definitions:
//! - **Open** demands are those without a `solves` edge (unmatched in [`super::matching`]).
//! - A demand and an achievement are **compatible** when they share a field: one of the
//!   demand's `in_field` fields is in the achievement's field profile (its own fields plus
//!   those of the platforms and projects it is tied to, as in `match`).
//! - The **assignment** is a maximum bipartite matching of the compatibility graph: as many
//!   demand–achievement pairs as possible, each demand and each achievement used once.
//!
//! Because compatibility goes through fields, the compatibility graph is a union of
//! bicliques (every demand of a field with every achievement of it), which can hold
//! millions of ties. The matching is computed as a maximum flow source → demand → field →
//! achievement → sink (unit capacities at both ends) with petgraph's `dinics` on a small
//! directed [`Csr`]; its value is the size of a maximum matching of the compatibility graph
//! (each flow path is a compatible pair, and the unit capacities make the pairs disjoint).
//! A unit test checks it against petgraph's `maximum_matching` on the explicit graph.
//! Pairs are listed by demand id; ties between equally good assignments are broken by the
//! flow algorithm's order, which is deterministic.

use serde::Serialize;

use super::paths::{distinct_targets_of, field_profiles};
use super::QueryError;
use crate::graph::Csr;
use crate::store::Snapshot;

/// One assigned pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignedPair {
    /// Demand id.
    pub demand: String,
    /// Demand name.
    pub demand_name: String,
    /// Achievement id.
    pub achievement: String,
    /// Achievement name.
    pub achievement_name: String,
    /// The shared field the pair is assigned through.
    pub field: String,
}

/// The answer: `{"demands", "assigned", "pairs": [...]}` plus today's rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// Open demands (no `solves` edge).
    pub demands: usize,
    /// Open demands assigned an achievement.
    pub assigned: usize,
    /// Open demands without any compatible achievement.
    pub without_candidate: usize,
    /// Achievements considered (with at least one field).
    pub achievements: usize,
    /// All demands.
    pub all_demands: usize,
    /// Demands already matched (a `solves` edge).
    pub matched: usize,
    /// matched / all demands, today (null without demands).
    pub match_rate: Option<f64>,
    /// (matched + assigned) / all demands: the rate if the assignment were carried out.
    pub rate_with_assignment: Option<f64>,
    /// The pairs, by demand id.
    pub pairs: Vec<AssignedPair>,
}

/// Assigns achievements to open demands (see the module notes).
pub fn assign_demands(snapshot: &Snapshot) -> Result<Assignment, QueryError> {
    let n = snapshot.node_count();
    let of_kind = |kind: &str| -> Vec<u32> {
        match snapshot.node_kind_code_of(kind) {
            Some(code) => (0..n as u32)
                .filter(|&v| snapshot.node_kind_code(v) == code)
                .collect(),
            None => Vec::new(),
        }
    };
    let all_demands = of_kind("demand");
    let solves = snapshot.edge_kind_code_of("solves");
    let solved = |d: u32| {
        solves.is_some_and(|c| {
            snapshot
                .in_edges(d)
                .iter()
                .any(|&e| snapshot.edge_kind_codes()[e as usize] == c)
        })
    };
    let matched = all_demands.iter().filter(|&&d| solved(d)).count();
    let open: Vec<u32> = all_demands
        .iter()
        .copied()
        .filter(|&d| !solved(d))
        .collect();
    let in_field = snapshot.edge_kind_code_of("in_field");
    let own_fields = |d: u32| distinct_targets_of(snapshot, d, in_field);
    let profiles = field_profiles(snapshot);
    let achievements: Vec<u32> = of_kind("achievement")
        .into_iter()
        .filter(|&a| !profiles[a as usize].is_empty())
        .collect();
    let demand_fields: Vec<Vec<u32>> = open.iter().map(|&d| own_fields(d)).collect();

    // Fields that appear on both sides, numbered.
    let mut field_no = vec![u32::MAX; n];
    let mut fields: Vec<u32> = Vec::new();
    for fs in &demand_fields {
        for &f in fs {
            if field_no[f as usize] == u32::MAX {
                field_no[f as usize] = u32::MAX - 1;
            }
        }
    }
    for &a in &achievements {
        for &f in &profiles[a as usize] {
            if field_no[f as usize] == u32::MAX - 1 {
                field_no[f as usize] = fields.len() as u32;
                fields.push(f);
            }
        }
    }
    // Network: 0 source, 1 sink, then demands, fields, achievements.
    let (d0, f0) = (2u32, 2 + open.len() as u32);
    let a0 = f0 + fields.len() as u32;
    let total = a0 as usize + achievements.len();
    let wide = open.len().max(1) as f64;
    let mut arcs: Vec<(u32, u32, f64)> = Vec::new();
    let mut without_candidate = 0;
    for (i, fs) in demand_fields.iter().enumerate() {
        let usable: Vec<u32> = fs
            .iter()
            .filter(|&&f| field_no[f as usize] < u32::MAX - 1)
            .map(|&f| field_no[f as usize])
            .collect();
        if usable.is_empty() {
            without_candidate += 1;
            continue;
        }
        arcs.push((0, d0 + i as u32, 1.0));
        for f in usable {
            arcs.push((d0 + i as u32, f0 + f, 1.0));
        }
    }
    for (j, &a) in achievements.iter().enumerate() {
        let mut any = false;
        for &f in &profiles[a as usize] {
            let no = field_no[f as usize];
            if no < u32::MAX - 1 {
                arcs.push((f0 + no, a0 + j as u32, wide));
                any = true;
            }
        }
        if any {
            arcs.push((a0 + j as u32, 1, 1.0));
        }
    }
    let network = Csr::from_edges(total, true, &arcs);
    let (_, flows) = petgraph::algo::dinics(&network, 0, 1);
    let carries = |v: u32, w: u32| -> bool {
        let row = network.out_neighbors(v as usize);
        row.binary_search(&w)
            .is_ok_and(|i| flows[network.out_offset(v as usize) + i] > 0.5)
    };

    // Decompose: per field, its demands and its achievements with flow, paired in order.
    let mut per_field: Vec<(Vec<usize>, Vec<usize>)> = vec![(Vec::new(), Vec::new()); fields.len()];
    for (i, fs) in demand_fields.iter().enumerate() {
        for &f in fs {
            let no = field_no[f as usize];
            if no < u32::MAX - 1 && carries(d0 + i as u32, f0 + no) {
                per_field[no as usize].0.push(i);
            }
        }
    }
    for (no, slot) in per_field.iter_mut().enumerate() {
        let start = network.out_offset((f0 + no as u32) as usize);
        for (k, &w) in network
            .out_neighbors((f0 + no as u32) as usize)
            .iter()
            .enumerate()
        {
            let units = flows[start + k].round() as usize;
            slot.1.extend(std::iter::repeat_n((w - a0) as usize, units));
        }
    }
    let mut pairs = Vec::new();
    for (no, (ds, achieved)) in per_field.iter().enumerate() {
        for (&i, &j) in ds.iter().zip(achieved) {
            let (d, a) = (open[i], achievements[j]);
            pairs.push(AssignedPair {
                demand: snapshot.node_id(d).to_string(),
                demand_name: snapshot.node_name(d).to_string(),
                achievement: snapshot.node_id(a).to_string(),
                achievement_name: snapshot.node_name(a).to_string(),
                field: snapshot.node_id(fields[no]).to_string(),
            });
        }
    }
    pairs.sort_by(|x, y| x.demand.cmp(&y.demand));
    let rate = |a: usize| (!all_demands.is_empty()).then(|| a as f64 / all_demands.len() as f64);
    Ok(Assignment {
        demands: open.len(),
        assigned: pairs.len(),
        without_candidate,
        achievements: achievements.len(),
        all_demands: all_demands.len(),
        matched,
        match_rate: rate(matched),
        rate_with_assignment: rate(matched + pairs.len()),
        pairs,
    })
}

#[cfg(test)]
mod tests {
    use crate::algo::rng::SplitMix64;
    use crate::graph::Csr;

    /// The flow through field nodes has the size of a maximum matching of the explicit
    /// compatibility graph (petgraph's `maximum_matching`).
    #[test]
    fn flow_through_fields_is_a_maximum_matching() {
        let mut rng = SplitMix64::new(11);
        for _ in 0..30 {
            let (demands, achievements, fields) =
                (1 + rng.index(12), 1 + rng.index(12), 1 + rng.index(5));
            let pick = |rng: &mut SplitMix64| -> Vec<usize> {
                let mut f: Vec<usize> = (0..1 + rng.index(2)).map(|_| rng.index(fields)).collect();
                f.sort_unstable();
                f.dedup();
                f
            };
            let df: Vec<Vec<usize>> = (0..demands).map(|_| pick(&mut rng)).collect();
            let af: Vec<Vec<usize>> = (0..achievements).map(|_| pick(&mut rng)).collect();
            // Explicit bipartite graph: demands 0..D, achievements D..D+A.
            let mut pairs = Vec::new();
            for (i, a) in df.iter().enumerate() {
                for (j, b) in af.iter().enumerate() {
                    if a.iter().any(|f| b.contains(f)) {
                        pairs.push((i as u32, (demands + j) as u32));
                    }
                }
            }
            let explicit = Csr::from_pairs(demands + achievements, false, &pairs);
            let expected = petgraph::algo::maximum_matching(&explicit).len();
            // Flow network as assign_demands builds it.
            let (d0, f0) = (2u32, 2 + demands as u32);
            let a0 = f0 + fields as u32;
            let mut arcs = Vec::new();
            for (i, fs) in df.iter().enumerate() {
                arcs.push((0, d0 + i as u32, 1.0));
                for &f in fs {
                    arcs.push((d0 + i as u32, f0 + f as u32, 1.0));
                }
            }
            for (j, fs) in af.iter().enumerate() {
                for &f in fs {
                    arcs.push((f0 + f as u32, a0 + j as u32, demands as f64));
                }
                arcs.push((a0 + j as u32, 1, 1.0));
            }
            let network = Csr::from_edges(a0 as usize + achievements, true, &arcs);
            let (value, _) = petgraph::algo::dinics(&network, 0, 1);
            assert_eq!(value.round() as usize, expected, "{df:?} {af:?}");
        }
    }
}
