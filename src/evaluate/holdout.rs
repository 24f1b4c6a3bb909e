//! Held-out evaluation of link prediction as users read its output: hide ties, rank every
//! candidate pair of the two kinds on what is left, and count the hidden pairs at the top —
//! for the learned default and every single method, side by side.
//!
//! Protocols ([`Protocol`]):
//! - **holdout projects** — a seeded random share of the projects is hidden; the training
//!   graph keeps every relation but memberships of hidden projects; positives are the pairs
//!   of the two kinds tied before and not after (they met only in hidden projects);
//! - **holdout ties** — a seeded random share of the ties between the two kinds is hidden,
//!   all their relations with them;
//! - **temporal** — every relation dated `YEAR` or later is hidden (the graph as it stood
//!   before `YEAR`); positives are the pairs of the two kinds first tied in `YEAR` or later;
//! - **truth** — the current graph is the training graph; positives are pairs a user knows
//!   formed later.
//!
//! The learned method trains on the training graph only, hiding ties of it in turn (see
//! [`crate::query::learned`]); it never sees the evaluation's positives. Every method ranks the same
//! candidates: every untied pair of the two kinds in the training graph.

use std::collections::HashSet;

use serde::Serialize;

use super::partners::{partners_figures, PartnersFigures};
use crate::algo::link_features::Structure;
use crate::algo::link_model::{
    measure, pair_key, Figures, Heuristic, ModelCard, PairSpace, Ranker, TrainOptions,
};
use crate::query::learned::{learn, HideReport, LinkGraph};
use crate::query::relations::{Relation, Relations};

/// How the evaluation hides what it scores.
#[derive(Debug, Clone, PartialEq)]
pub enum Protocol {
    /// A seeded random share of the projects (snapshot indices of every project given).
    HoldoutProjects {
        /// Share hidden, in (0, 1).
        share: f64,
        /// Snapshot index of every project node.
        projects: Vec<u32>,
        /// Index of the `shared_project` collab rule, if any.
        rule: Option<u16>,
    },
    /// A seeded random share of the ties between the two kinds.
    HoldoutTies {
        /// Share hidden, in (0, 1).
        share: f64,
    },
    /// Relations dated this year or later.
    Temporal {
        /// The first hidden year.
        year: i32,
    },
    /// Pairs known to have formed later (view indices, either order).
    Truth {
        /// The pairs.
        pairs: Vec<(u32, u32)>,
    },
}

impl Protocol {
    /// A short description.
    pub fn describe(&self) -> String {
        match self {
            Protocol::HoldoutProjects { share, .. } => {
                format!("{:.0} % of projects hidden", share * 100.0)
            }
            Protocol::HoldoutTies { share } => format!("{:.0} % of ties hidden", share * 100.0),
            Protocol::Temporal { year } => format!("ties dated {year} or later hidden"),
            Protocol::Truth { pairs } => format!("{} pairs known to form later", pairs.len()),
        }
    }
}

/// The outcome of one held-out evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldoutReport {
    /// The protocol.
    pub protocol: String,
    /// Candidate pairs ranked.
    pub candidates: u64,
    /// Positives among the candidates.
    pub positives: usize,
    /// Positives with an end that has no tie in the training graph (newcomers).
    pub positives_cold: usize,
    /// Truth pairs that are not candidates (already tied, or not of the two kinds).
    pub truth_not_candidates: usize,
    /// Negatives in the AUC sample.
    pub auc_negatives: usize,
    /// The learned method first (whatever it chose), then every single method, then random.
    pub results: Vec<Figures>,
    /// What the learned method chose, and its validation.
    pub model: ModelCard,
    /// What the learned method hid from the training graph to learn.
    pub learned_hid: HideReport,
    /// The `partners` rankings (learned, field, their blend) on the same hold-out, each
    /// source's own list ([`super::partners`]); empty when both kinds are one.
    pub partners: Vec<PartnersFigures>,
}

/// Hidden share → the relations kept, and the positives (canonical pairs of `space`).
fn split(
    relations: &Relations,
    space: &PairSpace,
    protocol: &Protocol,
    seed: u64,
) -> (Vec<Relation>, HashSet<(u32, u32)>, usize) {
    let mut kind = vec![0u8; relations.nodes];
    for &u in &space.sources {
        kind[u as usize] |= 1;
    }
    for &v in &space.targets {
        kind[v as usize] |= 2;
    }
    let between = |a: u32, b: u32| {
        let (x, y) = (kind[a as usize], kind[b as usize]);
        (x & 1 != 0 && y & 2 != 0) || (x & 2 != 0 && y & 1 != 0)
    };
    let canonical = |a: u32, b: u32| {
        let (s, t) = if kind[a as usize] & 1 != 0 && kind[b as usize] & 2 != 0 {
            (a, b)
        } else {
            (b, a)
        };
        space.canonical(s, t)
    };
    let kept: Vec<Relation> = match protocol {
        Protocol::HoldoutProjects {
            share,
            projects,
            rule,
        } => {
            let mut order: Vec<(u64, u32)> = projects
                .iter()
                .map(|&p| (pair_key(seed ^ 0x7072_6f6a, p, p), p))
                .collect();
            order.sort_unstable();
            let held: HashSet<u32> = order
                .iter()
                .take(((projects.len() as f64) * share).round() as usize)
                .map(|x| x.1)
                .collect();
            relations
                .list
                .iter()
                .filter(|r| Some(r.rule) != *rule || !held.contains(&r.via))
                .copied()
                .collect()
        }
        Protocol::HoldoutTies { share } => {
            let ties: Vec<(u32, u32)> = relations
                .first_years()
                .into_iter()
                .map(|x| x.0)
                .filter(|&(a, b)| between(a, b))
                .collect();
            let mut order: Vec<(u64, (u32, u32))> = ties
                .iter()
                .map(|&(a, b)| (pair_key(seed ^ 0x7469_6573, a, b), (a, b)))
                .collect();
            order.sort_unstable();
            let held: HashSet<(u32, u32)> = order
                .iter()
                .take(((ties.len() as f64) * share).round() as usize)
                .map(|x| x.1)
                .collect();
            relations
                .list
                .iter()
                .filter(|r| !held.contains(&(r.a, r.b)))
                .copied()
                .collect()
        }
        Protocol::Temporal { year } => relations
            .list
            .iter()
            .filter(|r| r.year.is_none_or(|y| y < *year))
            .copied()
            .collect(),
        Protocol::Truth { .. } => relations.list.clone(),
    };
    let tied_after: HashSet<(u32, u32)> = kept.iter().map(|r| (r.a, r.b)).collect();
    match protocol {
        Protocol::Truth { pairs } => {
            let mut positives = HashSet::new();
            let mut rejected = 0;
            for &(a, b) in pairs {
                let key = (a.min(b), a.max(b));
                if a != b && between(a, b) && !tied_after.contains(&key) {
                    positives.insert(canonical(a, b));
                } else {
                    rejected += 1;
                }
            }
            (kept, positives, rejected)
        }
        _ => {
            let positives = relations
                .first_years()
                .into_iter()
                .map(|x| x.0)
                .filter(|&(a, b)| between(a, b) && !tied_after.contains(&(a, b)))
                .map(|(a, b)| canonical(a, b))
                .collect();
            (kept, positives, 0)
        }
    }
}

/// Runs `protocol` on `relations` (a collab view's) for the pairs of `space`.
pub fn evaluate_holdout(
    relations: &Relations,
    fields: &[Vec<u32>],
    districts: &[Vec<u32>],
    space: &PairSpace,
    protocol: &Protocol,
    options: &TrainOptions,
    auc_negatives: usize,
) -> HoldoutReport {
    let (kept, positives, truth_not_candidates) = split(relations, space, protocol, options.seed);
    let training = Relations {
        list: kept,
        nodes: relations.nodes,
    };
    let learned = learn(&training, fields, districts, space, options);
    let graph = LinkGraph::from_relations(&training, fields, districts, |_| true);
    let structure = Structure::of(&graph.graph, options.seed);
    let mut rankers = vec![learned.trained.ranker.clone()];
    rankers.extend(Heuristic::ALL.map(Ranker::Heuristic));
    rankers.push(Ranker::Random(options.seed));
    let ground = graph.ground(&structure, space, &space.sources);
    let measured = measure(
        &ground,
        &rankers,
        &positives,
        &HashSet::new(),
        auc_negatives,
        options.seed,
        &options.parallelism,
    );
    let mut results = measured.figures;
    if let Some(first) = results.first_mut() {
        first.method = format!("learned ({})", first.method);
        first.learned = true;
    }
    let partners = partners_figures(
        &ground,
        &learned.trained.ranker,
        &positives,
        fields,
        options.seed,
    );
    let positives_cold = positives
        .iter()
        .filter(|&&(a, b)| structure.degree[a as usize] == 0 || structure.degree[b as usize] == 0)
        .count();
    HoldoutReport {
        protocol: protocol.describe(),
        candidates: measured.candidates,
        positives: measured.positives,
        positives_cold,
        truth_not_candidates,
        auc_negatives: measured.auc_negatives,
        results,
        model: learned.trained.card,
        learned_hid: learned.hidden,
        partners,
    }
}
