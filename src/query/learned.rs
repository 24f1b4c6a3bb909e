//! The learned ranker of `gaps` and `partners`, for one pair of organisation kinds of a
//! collab view: which ties to hide, node data without leakage, training
//! ([`crate::algo::link_model::train`]).
//!
//! **What is hidden.** The ties between the two kinds (university–enterprise by default) are
//! *dated* when at least [`DATED_SHARE`] of them have a first year (see
//! [`super::relations`]). Then the most recent ones are hidden: those first formed in the
//! latest year `Y` such that ties formed in `Y` or later make at least [`HIDE_SHARE`] of the
//! ties between the kinds; the training graph keeps every relation (of any kinds) dated
//! before `Y` and every undated one — the graph as it stood before `Y`. Otherwise a seeded
//! random [`HIDE_SHARE`] of the *events* behind relations is hidden — projects, platforms,
//! contracts, incubations, collaborations, each with every relation it makes — and the
//! positives are the pairs of the two kinds left without any relation. Hiding whole events
//! rather than single ties matters: a pair that met in a project with others stays two
//! steps apart through every other member when only its own tie is hidden, which makes the
//! hidden tie trivially easy to find and teaches the model the wrong lesson; a hidden
//! project, like a future one, takes all its members' ties with it (and members seen in no
//! other event become newcomers, as in real growth). Activity, recent activity and amounts
//! are recounted on the training relations only; fields and districts are attributes of the
//! actors and stay.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::relations::Relations;
use crate::algo::link_features::{NodeData, Structure};
use crate::algo::link_model::{pair_key, train, Ground, PairSpace, Split, TrainOptions, Trained};
use crate::graph::Csr;
use crate::query::CollabContext;

/// Share of the ties between the two kinds hidden for training.
pub const HIDE_SHARE: f64 = 0.1;
/// Share of the ties between the two kinds that must be dated for the hide to be by date.
pub const DATED_SHARE: f64 = 0.5;

/// Which ties training hid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HideReport {
    /// `recent` or `random`.
    pub how: &'static str,
    /// For `recent`: ties first formed in this year or later were hidden.
    pub from_year: Option<i32>,
    /// Ties between the two kinds.
    pub ties: usize,
    /// Of which hidden.
    pub hidden: usize,
    /// A sentence saying so.
    pub description: String,
}

/// A [`HideReport`] as read.
#[derive(Deserialize)]
struct HideReportForm {
    how: String,
    from_year: Option<i32>,
    ties: usize,
    hidden: usize,
    description: String,
}

// By hand: a derived `Deserialize` of a `&'static str` field would borrow from the input.
impl<'de> Deserialize<'de> for HideReport {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        HideReport::try_from(HideReportForm::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<HideReportForm> for HideReport {
    type Error = String;

    fn try_from(form: HideReportForm) -> Result<HideReport, String> {
        let how = match form.how.as_str() {
            "recent" => "recent",
            "random" => "random",
            other => return Err(format!("unknown hide `{other}`")),
        };
        Ok(HideReport {
            how,
            from_year: form.from_year,
            ties: form.ties,
            hidden: form.hidden,
            description: form.description,
        })
    }
}

/// A graph with the data link prediction reads: ties, and each node's fields, districts,
/// activity and amounts.
#[derive(Debug, Clone)]
pub struct LinkGraph {
    /// The ties.
    pub graph: Csr,
    /// The node data.
    pub data: NodeData,
    /// The structure of the first seed asked for (Louvain costs a fraction of a second on a
    /// large graph, and a question that ranks several pairs of kinds asks for it each time).
    structure: OnceLock<(u64, Structure)>,
}

impl LinkGraph {
    /// What ranking `sources`' pairs of `space` on this graph reads (`structure` its own).
    pub fn ground<'a>(
        &'a self,
        structure: &'a Structure,
        space: &'a PairSpace,
        sources: &'a [u32],
    ) -> Ground<'a> {
        Ground {
            graph: &self.graph,
            structure,
            data: &self.data,
            space,
            sources,
        }
    }

    /// Degrees, components and Louvain communities (seeded) of the graph, computed once per
    /// graph for the first seed asked for.
    pub fn structure(&self, seed: u64) -> Structure {
        let (cached_seed, structure) = self
            .structure
            .get_or_init(|| (seed, Structure::of(&self.graph, seed)));
        if *cached_seed == seed {
            structure.clone()
        } else {
            Structure::of(&self.graph, seed)
        }
    }

    /// The graph of the relations `keep` accepts, with node data recounted on them and the
    /// given fields and districts.
    pub fn from_relations(
        relations: &Relations,
        fields: &[Vec<u32>],
        districts: &[Vec<u32>],
        keep: impl Fn(&super::relations::Relation) -> bool + Copy,
    ) -> LinkGraph {
        let mut data = relations.node_data(keep);
        data.fields = fields.to_vec();
        data.districts = districts.to_vec();
        LinkGraph {
            graph: relations.graph(keep),
            data,
            structure: OnceLock::new(),
        }
    }
}

/// The candidate pairs between organisation kinds `a` (sources) and `b` (targets) of the
/// collab view of `ctx`, restricted to the view nodes `keep` accepts; `None` when the
/// snapshot has no node of one of the kinds.
pub fn space_of(
    ctx: &CollabContext<'_>,
    a: &str,
    b: &str,
    keep: impl Fn(u32) -> bool,
) -> Option<PairSpace> {
    let snapshot = ctx.snapshot;
    let (code_a, code_b) = (
        snapshot.node_kind_code_of(a)?,
        snapshot.node_kind_code_of(b)?,
    );
    let of = |code: u16| -> Vec<u32> {
        (0..ctx.view.nodes.len() as u32)
            .filter(|&i| snapshot.node_kind_code(ctx.view.nodes[i as usize]) == code && keep(i))
            .collect()
    };
    Some(PairSpace {
        sources: of(code_a),
        targets: of(code_b),
        same_kind: code_a == code_b,
    })
}

/// Whether `(a, b)` (view indices, `a < b`) joins the two kinds of `space`.
fn between(space_kind: &[u8], a: u32, b: u32) -> bool {
    let (x, y) = (space_kind[a as usize], space_kind[b as usize]);
    (x & 1 != 0 && y & 2 != 0) || (x & 2 != 0 && y & 1 != 0)
}

/// Hides ties between the kinds of `space` as the module documentation says, and returns
/// the training graph, the hidden pairs (source-kind end first) and what was done.
pub fn hide(
    relations: &Relations,
    fields: &[Vec<u32>],
    districts: &[Vec<u32>],
    space: &PairSpace,
    seed: u64,
) -> (LinkGraph, Vec<(u32, u32)>, HideReport) {
    // Bit 1: a source kind node; bit 2: a target kind node.
    let mut kind = vec![0u8; relations.nodes];
    for &u in &space.sources {
        kind[u as usize] |= 1;
    }
    for &v in &space.targets {
        kind[v as usize] |= 2;
    }
    let ties: Vec<((u32, u32), Option<i32>)> = relations
        .first_years()
        .into_iter()
        .filter(|&((a, b), _)| between(&kind, a, b))
        .collect();
    let orient = |(a, b): (u32, u32)| {
        if kind[a as usize] & 1 != 0 && kind[b as usize] & 2 != 0 {
            (a, b)
        } else {
            (b, a)
        }
    };
    let dated = ties.iter().filter(|t| t.1.is_some()).count();
    let wanted = ((ties.len() as f64) * HIDE_SHARE).ceil() as usize;
    if !ties.is_empty() && dated as f64 >= DATED_SHARE * ties.len() as f64 {
        let mut years: Vec<i32> = ties.iter().filter_map(|t| t.1).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        // The latest year from which at least `wanted` ties were formed.
        let from = years[wanted.clamp(1, years.len()) - 1];
        let positives: Vec<(u32, u32)> = ties
            .iter()
            .filter(|t| t.1.is_some_and(|y| y >= from))
            .map(|t| orient(t.0))
            .collect();
        let train = LinkGraph::from_relations(relations, fields, districts, |r| {
            r.year.is_none_or(|y| y < from)
        });
        let report = HideReport {
            how: "recent",
            from_year: Some(from),
            ties: ties.len(),
            hidden: positives.len(),
            description: format!(
                "the {} ties first formed in {from} or later ({:.1} % of {}), the graph as it stood before {from} kept",
                positives.len(),
                100.0 * positives.len() as f64 / ties.len() as f64,
                ties.len()
            ),
        };
        return (train, positives, report);
    }
    let mut events: Vec<(u16, u32)> = relations.list.iter().map(|r| (r.rule, r.via)).collect();
    events.sort_unstable();
    events.dedup();
    let mut order: Vec<(u64, (u16, u32))> = events
        .iter()
        .map(|&(rule, via)| {
            (
                pair_key(seed ^ 0x6869_6465, u32::from(rule), via),
                (rule, via),
            )
        })
        .collect();
    order.sort_unstable();
    let wanted_events = ((events.len() as f64) * HIDE_SHARE).round() as usize;
    let hidden: HashSet<(u16, u32)> = order.iter().take(wanted_events).map(|x| x.1).collect();
    let keep = |r: &super::relations::Relation| !hidden.contains(&(r.rule, r.via));
    let train = LinkGraph::from_relations(relations, fields, districts, keep);
    let still: HashSet<(u32, u32)> = relations
        .list
        .iter()
        .filter(|r| keep(r))
        .map(|r| (r.a, r.b))
        .collect();
    let mut positives: Vec<(u32, u32)> = ties
        .iter()
        .filter(|t| !still.contains(&t.0))
        .map(|t| orient(t.0))
        .collect();
    positives.sort_unstable();
    let report = HideReport {
        how: "random",
        from_year: None,
        ties: ties.len(),
        hidden: positives.len(),
        description: format!(
            "a seeded random {:.0} % of the {} events behind ties (projects, platforms, contracts, incubations, collaborations), which left {} of the {} ties without a relation{}",
            HIDE_SHARE * 100.0,
            events.len(),
            positives.len(),
            ties.len(),
            if dated > 0 {
                format!("; only {dated} ties dated, too few to hide the most recent")
            } else {
                String::new()
            }
        ),
    };
    (train, positives, report)
}

/// What [`learn`] returns: the trained ranker and what was hidden.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Learned {
    /// The ranker and its model card.
    pub trained: Trained,
    /// What training hid.
    pub hidden: HideReport,
}

/// Hides ties of `space`, trains on the rest and selects a ranker.
pub fn learn(
    relations: &Relations,
    fields: &[Vec<u32>],
    districts: &[Vec<u32>],
    space: &PairSpace,
    options: &TrainOptions,
) -> Learned {
    let phases = crate::algo::link_model::Phases::start();
    let (train_graph, positives, hidden) = hide(relations, fields, districts, space, options.seed);
    phases.mark("hide");
    let trained = train(
        &Split {
            graph: &train_graph.graph,
            data: &train_graph.data,
            positives: &positives,
        },
        space,
        options,
    );
    Learned { trained, hidden }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::relations::Relation;

    fn rel(a: u32, b: u32, year: Option<i32>) -> Relation {
        Relation {
            a,
            b,
            rule: 0,
            via: 0,
            year,
            amount_a: 1.0,
            amount_b: 1.0,
        }
    }

    #[test]
    fn a_hidden_project_takes_every_tie_it_made() {
        // Project 100 ties 0, 2 and 3; project 101 ties 0 and 2 again; 1–4 is a contract.
        let via = |a: u32, b: u32, via: u32| Relation {
            via,
            ..rel(a, b, None)
        };
        let mut list = vec![
            via(0, 2, 100),
            via(0, 2, 101),
            via(0, 3, 100),
            via(2, 3, 100),
        ];
        list.extend((0..30).map(|i| via(1, 4 + i, 200 + i)));
        let relations = Relations { nodes: 40, list };
        let space = PairSpace {
            sources: vec![0, 1],
            targets: (2..40).collect(),
            same_kind: false,
        };
        let empty = vec![Vec::new(); 40];
        for seed in 0..40 {
            let (train, positives, _) = hide(&relations, &empty, &empty, &space, seed);
            let zero_three = train.graph.out_neighbors(0).contains(&3);
            // 0–3 met only in project 100: hidden with it, or kept with it, never apart
            // from 2–3.
            assert_eq!(zero_three, train.graph.out_neighbors(2).contains(&3));
            assert_eq!(!zero_three, positives.contains(&(0, 3)));
            // 0–2 has another project: hidden only when both are.
            if positives.contains(&(0, 2)) {
                assert!(!zero_three);
            }
        }
    }

    #[test]
    fn dated_ties_hide_the_latest_years_and_keep_the_graph_before() {
        // Sources 0, 1; targets 2..=5. Ties 0–2 (2020), 0–3 (2021), 1–4 (2022, and 2024
        // again), 1–5 (2024), 2–3 (2024, not between the kinds).
        let relations = Relations {
            nodes: 6,
            list: vec![
                rel(0, 2, Some(2020)),
                rel(0, 3, Some(2021)),
                rel(1, 4, Some(2022)),
                rel(1, 4, Some(2024)),
                rel(1, 5, Some(2024)),
                rel(2, 3, Some(2024)),
            ],
        };
        let space = PairSpace {
            sources: vec![0, 1],
            targets: vec![2, 3, 4, 5],
            same_kind: false,
        };
        let empty = vec![Vec::new(); 6];
        let (train, positives, report) = hide(&relations, &empty, &empty, &space, 1);
        // 4 ties between the kinds, 10 % rounds up to 1: the latest year, 2024.
        assert_eq!(report.from_year, Some(2024));
        assert_eq!(positives, vec![(1, 5)]);
        assert_eq!(report.how, "recent");
        // 1–4 stays (formed 2022), 2–3 is gone (2024), counts recounted before 2024.
        assert_eq!(train.graph.edge_count(), 3);
        assert_eq!(train.data.activity[4], 1.0);
        assert_eq!(train.data.activity[3], 1.0);
    }

    #[test]
    fn undated_ties_hide_a_seeded_random_share_of_events() {
        let list: Vec<Relation> = (0..40)
            .map(|i| Relation {
                via: i,
                ..rel(i % 4, 4 + i, None)
            })
            .collect();
        let relations = Relations { nodes: 44, list };
        let space = PairSpace {
            sources: (0..4).collect(),
            targets: (4..44).collect(),
            same_kind: false,
        };
        let empty = vec![Vec::new(); 44];
        let (train, positives, report) = hide(&relations, &empty, &empty, &space, 9);
        assert_eq!(report.how, "random");
        assert_eq!(positives.len(), 4);
        assert_eq!(train.graph.edge_count(), 36);
        for (u, v) in &positives {
            assert!(*u < 4 && *v >= 4);
            assert!(!train.graph.out_neighbors(*u as usize).contains(v));
        }
        let (_, again, _) = hide(&relations, &empty, &empty, &space, 9);
        assert_eq!(positives, again);
        let (_, other, _) = hide(&relations, &empty, &empty, &space, 10);
        assert_ne!(positives, other);
    }
}
