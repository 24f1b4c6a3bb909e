//! Ranking every candidate pair by several rankers at once and counting the known positives
//! at the top — the measure both validation and evaluation use, the way users read a list.
//!
//! For each ranker: the positives among the best 10, 100 and 1,000 candidate pairs (hits@k,
//! precision@k = hits@k / k) and the area under the ROC curve of the positives against a
//! uniform sample of the negatives (bottom-k by seeded hash; exact when the sample holds every
//! negative). Equal scores are ordered by a seeded hash of the pair, so a constant score
//! ranks at random.

use std::collections::HashSet;

use serde::Serialize;

use super::design::{Design, WIDTH};
use super::pairs::{pair_key, visit_pairs, PairSpace};
use super::train::{PairItem, Ranker};
use crate::algo::learn::{auc, TopK};
use crate::algo::link_features::{NodeData, Structure};
use crate::algo::parallel::Parallelism;
use crate::graph::Adjacency;

/// The cut-offs of hits@k and precision@k.
pub const REPORT_K: [usize; 3] = [10, 100, 1000];

/// Salt of the ranking tie-break.
pub(crate) const SALT_RANK: u64 = 0x7261_6e6b;
/// Salt of the AUC sample.
const SALT_AUC: u64 = 0x6175_6373;

/// One ranker's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// The ranker's name.
    pub method: String,
    /// Whether it is a model.
    pub learned: bool,
    /// Positives among the best 10, 100 and 1,000 pairs.
    pub hits: [usize; 3],
    /// `hits / k`.
    pub precision: [f64; 3],
    /// AUC of the positives against the sampled negatives.
    pub auc: f64,
}

/// Totals of one measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measured {
    /// One row per ranker, in the order given.
    pub figures: Vec<Figures>,
    /// Candidate pairs ranked.
    pub candidates: u64,
    /// Positives among them.
    pub positives: usize,
    /// Negatives in the AUC sample (all of them when that is every negative).
    pub auc_negatives: usize,
}

/// What to measure on.
pub struct Ground<'a, G: Adjacency> {
    /// The graph the features are computed on.
    pub graph: &'a G,
    /// Its structure (same seed as any training on it).
    pub structure: &'a Structure,
    /// Its node data.
    pub data: &'a NodeData,
    /// The candidate pairs.
    pub space: &'a PairSpace,
    /// Sources to visit (all of the space's, or a subset).
    pub sources: &'a [u32],
}

/// Ranks every candidate pair of `ground` except those in `skip` by each ranker, and counts
/// the pairs of `positives` (canonical order) at the top.
pub fn measure<G: Adjacency>(
    ground: &Ground<'_, G>,
    rankers: &[Ranker],
    positives: &HashSet<(u32, u32)>,
    skip: &HashSet<(u32, u32)>,
    auc_negatives: usize,
    seed: u64,
    parallelism: &Parallelism,
) -> Measured {
    struct Acc {
        tops: Vec<TopK<(u32, u32)>>,
        sample: TopK<PairItem>,
        positives: Vec<PairItem>,
        candidates: u64,
    }
    let space = ground.space;
    let design = Design::new(ground.structure, ground.data, space.same_kind);
    let any_learned = rankers.iter().any(Ranker::is_learned);
    let top = REPORT_K[2];
    let chunks = visit_pairs(
        ground.graph,
        ground.structure,
        ground.data,
        space,
        ground.sources,
        parallelism,
        || Acc {
            tops: vec![TopK::new(top); rankers.len()],
            sample: TopK::new(auc_negatives),
            positives: Vec::new(),
            candidates: 0,
        },
        |acc, sweep, u, v| {
            let pair = space.canonical(u, v);
            if skip.contains(&pair) {
                return;
            }
            acc.candidates += 1;
            let f = sweep.features(v);
            let mut row = [0.0; WIDTH];
            if any_learned {
                design.row(pair.0, pair.1, &f, &mut row);
            }
            let key = pair_key(seed ^ SALT_RANK, pair.0, pair.1);
            for (r, t) in rankers.iter().zip(acc.tops.iter_mut()) {
                let s = r.score(pair, &f, &row);
                if t.admits(s, key) {
                    t.offer(s, key, pair);
                }
            }
            let item = PairItem { pair, features: f };
            if positives.contains(&pair) {
                acc.positives.push(item);
            } else {
                let key = pair_key(seed ^ SALT_AUC, pair.0, pair.1);
                if acc.sample.admits(0.0, key) {
                    acc.sample.offer(0.0, key, item);
                }
            }
        },
    );
    let mut tops: Vec<TopK<(u32, u32)>> = vec![TopK::new(top); rankers.len()];
    let mut sample = TopK::new(auc_negatives);
    let mut found: Vec<PairItem> = Vec::new();
    let mut candidates = 0;
    for c in chunks {
        for (t, x) in tops.iter_mut().zip(c.tops) {
            t.merge(x);
        }
        sample.merge(c.sample);
        found.extend(c.positives);
        candidates += c.candidates;
    }
    let negatives: Vec<PairItem> = sample.into_sorted().into_iter().map(|r| r.item).collect();
    let figures = rankers
        .iter()
        .zip(tops)
        .map(|(r, t)| {
            let order = t.into_sorted();
            let hits = REPORT_K.map(|k| {
                order
                    .iter()
                    .take(k)
                    .filter(|x| positives.contains(&x.item))
                    .count()
            });
            let mut scores = Vec::with_capacity(found.len() + negatives.len());
            let mut labels = Vec::with_capacity(found.len() + negatives.len());
            let mut row = [0.0; WIDTH];
            for (item, label) in found
                .iter()
                .map(|p| (p, true))
                .chain(negatives.iter().map(|p| (p, false)))
            {
                if any_learned {
                    design.row(item.pair.0, item.pair.1, &item.features, &mut row);
                }
                scores.push(r.score(item.pair, &item.features, &row));
                labels.push(label);
            }
            Figures {
                method: r.name(),
                learned: r.is_learned(),
                hits,
                precision: [0, 1, 2].map(|i| hits[i] as f64 / REPORT_K[i] as f64),
                auc: auc(&scores, &labels),
            }
        })
        .collect();
    Measured {
        figures,
        candidates,
        positives: found.len(),
        auc_negatives: negatives.len(),
    }
}
