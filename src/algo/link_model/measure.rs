//! Ranking every candidate pair by several rankers at once and counting the known positives
//! at the top — the measure both validation and evaluation use, the way users read a list.
//!
//! For each ranker: the positives among the best 10, 100 and 1,000 candidate pairs (hits@k,
//! precision@k = hits@k / k) and the area under the ROC curve of the positives against a
//! uniform sample of the negatives (bottom-k by seeded hash; exact when the sample holds every
//! negative). Equal scores are ordered by a seeded hash of the pair, so a constant score
//! ranks at random.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::design::{Design, ENDS};
use super::pairs::{pair_key, visit_pairs, PairSpace};
use super::ranker::{PairItem, Prepared, Ranker};
use crate::algo::learn::{auc, TopK};
use crate::algo::link_features::{NodeData, Structure};
use crate::algo::parallel::Parallelism;
use crate::graph::Csr;

/// The cut-offs of hits@k and precision@k.
pub const REPORT_K: [usize; 3] = [10, 100, 1000];

/// Salt of the ranking tie-break.
pub(crate) const SALT_RANK: u64 = 0x7261_6e6b;
/// Salt of the AUC sample.
const SALT_AUC: u64 = 0x6175_6373;

/// One ranker's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// What to measure or rank on: a graph, its structure and data, the candidate pairs, and
/// the sources whose pairs are visited.
#[derive(Debug, Clone, Copy)]
pub struct Ground<'a> {
    /// The graph the features are computed on.
    pub graph: &'a Csr,
    /// Its structure (same seed as any training on it).
    pub structure: &'a Structure,
    /// Its node data.
    pub data: &'a NodeData,
    /// The candidate pairs.
    pub space: &'a PairSpace,
    /// Sources to visit (all of the space's, or a subset).
    pub sources: &'a [u32],
}

impl<'a> Ground<'a> {
    /// Every source of `space`.
    pub fn whole(
        graph: &'a Csr,
        structure: &'a Structure,
        data: &'a NodeData,
        space: &'a PairSpace,
    ) -> Ground<'a> {
        Ground {
            graph,
            structure,
            data,
            space,
            sources: &space.sources,
        }
    }
}

/// Per-source marks of the pairs that are positive (bit 1) or skipped (bit 2), set from each
/// node's partner list as the visiting source changes.
pub(crate) struct Marks {
    source: u32,
    marked: Vec<u32>,
    flags: Vec<u8>,
}

/// Partner lists of every node named in `pairs`, both ways, with their flag.
pub(crate) fn partner_lists(lists: &[(&HashSet<(u32, u32)>, u8)]) -> HashMap<u32, Vec<(u32, u8)>> {
    let mut out: HashMap<u32, Vec<(u32, u8)>> = HashMap::new();
    for (pairs, flag) in lists {
        for &(a, b) in pairs.iter() {
            out.entry(a).or_default().push((b, *flag));
            out.entry(b).or_default().push((a, *flag));
        }
    }
    out
}

impl Marks {
    pub(crate) fn new(n: usize) -> Marks {
        Marks {
            source: u32::MAX,
            marked: Vec::new(),
            flags: vec![0; n],
        }
    }

    /// The flags of `v` for source `u`.
    pub(crate) fn get(&mut self, u: u32, v: u32, partners: &HashMap<u32, Vec<(u32, u8)>>) -> u8 {
        if self.source != u {
            for &x in &self.marked {
                self.flags[x as usize] = 0;
            }
            self.marked.clear();
            if let Some(list) = partners.get(&u) {
                for &(x, flag) in list {
                    self.flags[x as usize] |= flag;
                    self.marked.push(x);
                }
            }
            self.source = u;
        }
        self.flags[v as usize]
    }
}

const POSITIVE: u8 = 1;
const SKIP: u8 = 2;

/// Ranks every candidate pair of `ground` except those in `skip` by each ranker, and counts
/// the pairs of `positives` (canonical order) at the top.
pub fn measure(
    ground: &Ground<'_>,
    rankers: &[Ranker],
    positives: &HashSet<(u32, u32)>,
    skip: &HashSet<(u32, u32)>,
    auc_negatives: usize,
    seed: u64,
    parallelism: &Parallelism,
) -> Measured {
    struct Acc {
        marks: Marks,
        tops: Vec<TopK<(u32, u32)>>,
        sample: TopK<PairItem>,
        positives: Vec<PairItem>,
        candidates: u64,
    }
    let space = ground.space;
    let n = ground.graph.node_count();
    let design = Design::new(ground.structure, ground.data, space.same_kind);
    let prepared: Vec<Prepared<'_>> = rankers
        .iter()
        .map(|r| Prepared::new(r, &design, n))
        .collect();
    let partners = partner_lists(&[(positives, POSITIVE), (skip, SKIP)]);
    let needs_head = prepared.iter().any(Prepared::needs_head);
    let top = REPORT_K[2];
    let all = visit_pairs(
        ground.graph,
        ground.structure,
        ground.data,
        space,
        ground.sources,
        parallelism,
        || Acc {
            marks: Marks::new(n),
            tops: vec![TopK::new(top); rankers.len()],
            sample: TopK::new(auc_negatives),
            positives: Vec::new(),
            candidates: 0,
        },
        |acc, sweep, u, v| {
            let flags = acc.marks.get(u, v, &partners);
            if flags & SKIP != 0 {
                return;
            }
            let pair = space.canonical(u, v);
            acc.candidates += 1;
            let f = sweep.features(v);
            let mut head = [0.0; ENDS];
            if needs_head {
                Design::head(&f, &mut head);
            }
            let mut key = None;
            for (r, t) in prepared.iter().zip(acc.tops.iter_mut()) {
                let s = r.score(&design, pair, &f, &head);
                if s >= t.threshold() {
                    let k = *key.get_or_insert_with(|| pair_key(seed ^ SALT_RANK, pair.0, pair.1));
                    if t.admits(s, k) {
                        t.offer(s, k, pair);
                    }
                }
            }
            let item = PairItem { pair, features: f };
            if flags & POSITIVE != 0 {
                acc.positives.push(item);
            } else {
                let key = pair_key(seed ^ SALT_AUC, pair.0, pair.1);
                if acc.sample.admits(0.0, key) {
                    acc.sample.offer(0.0, key, item);
                }
            }
        },
        |mut a, b| {
            for (t, x) in a.tops.iter_mut().zip(b.tops) {
                t.merge(x);
            }
            a.sample.merge(b.sample);
            a.positives.extend(b.positives);
            a.candidates += b.candidates;
            a
        },
    );
    let (tops, found, candidates) = (all.tops, all.positives, all.candidates);
    let negatives: Vec<PairItem> = all
        .sample
        .into_sorted()
        .into_iter()
        .map(|r| r.item)
        .collect();
    let figures = rankers
        .iter()
        .zip(&prepared)
        .zip(tops)
        .map(|((r, p), t)| {
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
            for (item, label) in found
                .iter()
                .map(|p| (p, true))
                .chain(negatives.iter().map(|p| (p, false)))
            {
                scores.push(p.score_pair(&design, item.pair, &item.features));
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
