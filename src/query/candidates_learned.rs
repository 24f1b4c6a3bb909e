//! The learned scores of the pairs a candidate consortium would have to tie (see
//! [`super::candidates`]): the ranker `gaps` learns ([`super::learned`]), trained once per
//! pair of organisation kinds among those pairs (university–enterprise, enterprise–enterprise,
//! …) on the whole collab view.
//!
//! **Score of a pair** `u`–`v` (`u` of the space's source kind; with one kind, the lower
//! view index): its mid-rank percentile among the pairs of `u` with every organisation of
//! `v`'s kind not tied to `u` yet, by the learned ranker (1 = the model's first choice for
//! `u`, 0 its last). A percentile, not the raw score, because the rankers of different kind
//! pairs speak on different scales (log-odds of a logistic model or boosted trees).
//!
//! **Fallback.** When training any kind pair falls back to a single heuristic (too few ties
//! to learn from, or no model beating the heuristics on the held-out ties — the model card
//! says which), the learned scores are not used at all and the caller ranks by the
//! heuristic, saying so.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::gaps::CollabContext;
use super::learned::{space_of, LinkGraph};
use super::learned_kept::{model, Keeping, Model};
use super::relations::Relations;
use crate::algo::link_model::{score_rows, TrainOptions};

/// The model trained for one pair of kinds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateModel {
    /// The two organisation kinds (sources first).
    pub kinds: [String; 2],
    /// The ranker training chose (a model, or the heuristic it fell back to).
    pub ranker: String,
    /// Whether it is a learned model.
    pub learned: bool,
    /// Why it fell back, when it did (the model card's warnings).
    pub warnings: Vec<String>,
}

/// What [`learned_scores`] found.
#[derive(Debug, Clone, Default)]
pub(super) struct LearnedScores {
    /// The score of each pair asked for, keyed `(min, max)` by view index; empty when any
    /// kind pair fell back.
    pub scores: HashMap<(u32, u32), f64>,
    /// One model per pair of kinds.
    pub models: Vec<CandidateModel>,
}

impl LearnedScores {
    /// Whether every pair has a learned score.
    pub fn learned(&self) -> bool {
        !self.models.is_empty() && self.models.iter().all(|m| m.learned)
    }
}

/// The learned scores of `pairs` (view indices, not tied yet), trained with `seed` — or
/// read where `keeping` keeps the rankers trained for this generation (the same rankers,
/// see [`super::learned_kept`]).
pub(super) fn learned_scores(
    ctx: &CollabContext<'_>,
    pairs: &[(u32, u32)],
    seed: u64,
    keeping: &Keeping<'_>,
) -> LearnedScores {
    // Pairs by kinds, each oriented (source kind, target kind).
    let mut by_kinds: BTreeMap<(String, String), Vec<(u32, u32)>> = BTreeMap::new();
    for &(a, b) in pairs {
        let (ka, kb) = (ctx.kind(a), ctx.kind(b));
        let (u, v) = if ka < kb || (ka == kb && a < b) {
            (a, b)
        } else {
            (b, a)
        };
        by_kinds
            .entry((ctx.kind(u).to_string(), ctx.kind(v).to_string()))
            .or_default()
            .push((u, v));
    }
    let mut out = LearnedScores::default();
    if by_kinds.is_empty() {
        return out;
    }
    let relations = Relations::of(ctx.snapshot, &ctx.view);
    let attrs = &ctx.attributes;
    let full = LinkGraph::from_relations(&relations, &attrs.fields, &attrs.districts, |_| true);
    let options = TrainOptions {
        seed,
        ..TrainOptions::default()
    };
    // The rankers of the pairs of kinds, trained side by side when not kept (each training
    // is deterministic, and the results keep the order of the kinds).
    let trained: Vec<_> = by_kinds
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter_map(|((ka, kb), oriented)| {
            let space = space_of(ctx, &ka, &kb, |_| true)?;
            let model = model(
                keeping,
                ctx,
                &relations,
                &full,
                (ka.as_str(), kb.as_str()),
                &space,
                &options,
            );
            Some((ka, kb, oriented, space, model))
        })
        .collect();
    let mut scores = HashMap::new();
    for (
        ka,
        kb,
        oriented,
        space,
        Model {
            learned, structure, ..
        },
    ) in trained
    {
        let ranker = &learned.trained.ranker;
        out.models.push(CandidateModel {
            kinds: [ka.clone(), kb.clone()],
            ranker: ranker.name(),
            learned: ranker.is_learned(),
            warnings: learned.trained.card.warnings.clone(),
        });
        if !ranker.is_learned() {
            continue;
        }
        let mut sources: Vec<u32> = oriented.iter().map(|p| p.0).collect();
        sources.sort_unstable();
        sources.dedup();
        let rows = score_rows(&full.ground(&structure, &space, &sources), ranker);
        for (&u, row) in sources.iter().zip(&rows) {
            let tied = full.graph.out_neighbors(u as usize);
            let open: Vec<(u32, f64)> = space
                .targets
                .iter()
                .zip(row)
                .filter(|(v, _)| tied.binary_search(v).is_err())
                .filter_map(|(&v, s)| s.map(|s| (v, s)))
                .collect();
            for &(_, v) in oriented.iter().filter(|p| p.0 == u) {
                let Some(&(_, own)) = open.iter().find(|(w, _)| *w == v) else {
                    continue;
                };
                scores.insert((u.min(v), u.max(v)), percentile(&open, own));
            }
        }
    }
    if out.learned() {
        out.scores = scores;
    }
    out
}

/// The mid-rank percentile of `own` among the scores of `open` (which holds it): 1 when it
/// is the highest, 0 the lowest, ties sharing the average.
fn percentile(open: &[(u32, f64)], own: f64) -> f64 {
    if open.len() < 2 {
        return 1.0;
    }
    let below = open.iter().filter(|(_, s)| *s < own).count() as f64;
    let equal = open.iter().filter(|(_, s)| *s == own).count() as f64;
    (below + (equal - 1.0) / 2.0) / (open.len() - 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_run_from_the_last_choice_to_the_first_and_ties_share() {
        let open = [(0, 1.0), (1, 3.0), (2, 3.0), (3, 5.0)];
        assert_eq!(percentile(&open, 5.0), 1.0);
        assert_eq!(percentile(&open, 1.0), 0.0);
        assert_eq!(percentile(&open, 3.0), 0.5);
        assert_eq!(percentile(&[(0, 2.0)], 2.0), 1.0);
    }
}
