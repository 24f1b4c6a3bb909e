//! The final ranking: every candidate pair of a graph scored by one ranker, the best kept.
//!
//! Logistic regression and preferential attachment bound the score of every pair of a
//! source by a per-source limit plus a per-target key, `limit(u) + scale(u) · key(v)`
//! (logistic regression: its per-node parts, the most the attribute columns can add and the
//! most the source's walks can add to the topology columns — from its largest counts of
//! common neighbours and walks of length 3; preferential attachment: exactly `k_u · k_v`).
//! Targets are visited in decreasing key, and the visit stops once the bound falls below
//! the worst score kept, so most pairs are never scored. The result is exactly the
//! exhaustive one. Other rankers score every target.

use super::design::{ln_1p_upper, Design, WIDTH};
use super::measure::{Ground, SALT_RANK};
use super::pairs::{fold_chunks, pair_key, PairSpace};
use super::ranker::{Explained, Heuristic, PairItem, Prepared, Ranker};
use crate::algo::learn::TopK;
use crate::algo::link_features::{NodeData, PairFeatures, Structure, Sweep, SweepPool, KATZ_BETA};
use crate::algo::parallel::Parallelism;

/// One ranked pair.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedPair {
    /// Source-kind end (the smaller node for one kind).
    pub source: u32,
    /// Target-kind end.
    pub target: u32,
    /// The ranker's score.
    pub score: f64,
    /// The pair's features.
    pub features: PairFeatures,
    /// Why it ranks high.
    pub explanation: Vec<Explained>,
}

/// A bound of every pair's score, `limit(u) + scale(u) · key(v)`, where `limit(u)` is the
/// source's part and the most its walks can add ([`Bound::source`]); `order` lists the
/// targets by decreasing key (ties by index).
pub(crate) struct Bound {
    order: Vec<u32>,
    key: Vec<f64>,
    base: Vec<f64>,
    scale: Vec<f64>,
    /// Logistic regression: the positive part of each topology column's weight.
    topology: [f64; TOPOLOGY],
    degree: Vec<u32>,
}

/// The source's part of a [`Bound`].
pub(crate) struct SourceLimit {
    coarse: f64,
    base: f64,
    scale: f64,
    degree: u32,
}

/// The topology columns of a row (those that are zero for a pair without walks of length 2
/// or 3).
const TOPOLOGY: usize = 8;

impl Bound {
    /// The bound of a logistic regression or preferential attachment; `None` for other
    /// rankers.
    pub(crate) fn of(
        prepared: &Prepared<'_>,
        ranker: &Ranker,
        structure: &Structure,
        data: &NodeData,
        space: &PairSpace,
    ) -> Option<Bound> {
        let n = structure.degree.len();
        let count = |lists: &[Vec<u32>], v: usize| lists.get(v).map_or(0, Vec::len) as f64;
        let plus = |w: f64| w.max(0.0);
        let (key, base, scale, topology) = match ranker {
            Ranker::Logistic { .. } => {
                let (head, bias, source, target) = prepared.linear_parts()?;
                let key: Vec<f64> = (0..n)
                    .map(|v| {
                        if space.same_kind {
                            source[v].max(target[v])
                        } else {
                            target[v]
                        }
                    })
                    .collect();
                let base = (0..n)
                    .map(|u| {
                        let own = if space.same_kind {
                            source[u].max(target[u])
                        } else {
                            source[u]
                        };
                        bias + own
                            + plus(head[8])
                            + plus(head[9])
                            + plus(head[10]) * count(&data.fields, u)
                            + plus(head[11])
                            + plus(head[12]) * count(&data.districts, u)
                    })
                    .collect();
                let mut topology = [0.0; TOPOLOGY];
                for (t, &w) in topology.iter_mut().zip(head.iter()) {
                    *t = plus(w);
                }
                (key, base, vec![1.0; n], topology)
            }
            Ranker::Heuristic(Heuristic::Pa) => {
                let degree: Vec<f64> = structure.degree.iter().map(|&k| f64::from(k)).collect();
                (degree.clone(), vec![0.0; n], degree, [0.0; TOPOLOGY])
            }
            _ => return None,
        };
        let mut order = space.targets.clone();
        order.sort_by(|&a, &b| key[b as usize].total_cmp(&key[a as usize]).then(a.cmp(&b)));
        Some(Bound {
            order,
            key,
            base,
            scale,
            topology,
            degree: structure.degree.clone(),
        })
    }

    /// The source's part of the bound. `coarse` bounds the topology columns of all its
    /// pairs at once, from its largest walk counts ([`Sweep::maxima`]; every column grows
    /// with them, Jaccard and the distance flags are at most 1).
    pub(crate) fn source(&self, sweep: &Sweep<'_>) -> SourceLimit {
        let u = sweep.source() as usize;
        let base = self.base[u];
        let mut coarse = base;
        if self.has_topology() {
            let m = sweep.maxima();
            let most = [
                m.cn.ln_1p(),
                m.aa.ln_1p(),
                m.ra.ln_1p(),
                1.0,
                m.paths3.ln_1p(),
                (m.cn + KATZ_BETA * m.paths3).ln_1p(),
                1.0,
                1.0,
            ];
            coarse += self
                .topology
                .iter()
                .zip(most)
                .map(|(w, x)| w * x)
                .sum::<f64>();
        }
        SourceLimit {
            coarse,
            base,
            scale: self.scale[u],
            degree: self.degree[u],
        }
    }

    fn has_topology(&self) -> bool {
        self.topology.iter().any(|&w| w > 0.0)
    }

    /// A bound of every pair of the source with target `v`.
    pub(crate) fn coarse(&self, source: &SourceLimit, v: u32) -> f64 {
        source.coarse + source.scale * self.key[v as usize]
    }

    /// A tighter bound of the pair of the sweep's source with an untied target `v`: its
    /// topology columns bounded from its own walk counts (the log-scaled ones by
    /// `ln(1 + ⌈x⌉)` from a table, the others exact), without computing its features.
    pub(crate) fn fine(&self, source: &SourceLimit, sweep: &Sweep<'_>, v: u32) -> f64 {
        let mut limit = source.base + source.scale * self.key[v as usize];
        let (cn, aa, ra, paths3) = sweep.walks(v);
        if self.has_topology() && (cn > 0 || paths3 > 0.0) {
            let cn = f64::from(cn);
            let union = f64::from(source.degree) + f64::from(self.degree[v as usize]) - cn;
            let most = [
                ln_1p_upper(cn),
                ln_1p_upper(aa),
                ln_1p_upper(ra),
                if union > 0.0 { cn / union } else { 0.0 },
                ln_1p_upper(paths3),
                ln_1p_upper(cn + KATZ_BETA * paths3),
                f64::from(u8::from(cn > 0.0)),
                f64::from(u8::from(cn == 0.0)),
            ];
            limit += self
                .topology
                .iter()
                .zip(most)
                .map(|(w, x)| w * x)
                .sum::<f64>();
        }
        limit
    }

    /// The targets by decreasing key.
    pub(crate) fn order(&self) -> &[u32] {
        &self.order
    }
}

/// `a` is below `b` by more than rounding.
pub(crate) fn below(a: f64, b: f64) -> bool {
    a + 1e-9 * (1.0 + a.abs()) < b
}

/// Ranks every candidate pair of the ground's sources with the targets of its space by
/// `ranker` and returns the best `top`, best first (ties by a hash of the pair seeded by
/// `seed`), each with its features and the three features that pushed it up most. The
/// ground's structure must be the graph's, with Louvain seeded by the training seed.
pub fn rank_pairs(
    ground: &Ground<'_>,
    ranker: &Ranker,
    top: usize,
    seed: u64,
    parallelism: &Parallelism,
) -> Vec<RankedPair> {
    let (graph, structure, data, space) =
        (ground.graph, ground.structure, ground.data, ground.space);
    let n = graph.node_count();
    let design = Design::new(structure, data, space.same_kind);
    let prepared = Prepared::new(ranker, &design, n);
    let bound = Bound::of(&prepared, ranker, structure, data, space);
    let pool = SweepPool::new(graph, structure, data);
    let best = fold_chunks(
        parallelism,
        n,
        ground.sources.len(),
        |range| {
            let mut best: TopK<PairItem> = TopK::new(top);
            let mut sweep = pool.take();
            let offer = |best: &mut TopK<PairItem>, sweep: &Sweep<'_>, u: u32, v: u32| {
                let pair = space.canonical(u, v);
                let f = sweep.features(v);
                let s = prepared.score_pair(&design, pair, &f);
                if s >= best.threshold() {
                    let key = pair_key(seed ^ SALT_RANK, pair.0, pair.1);
                    if best.admits(s, key) {
                        best.offer(s, key, PairItem { pair, features: f });
                    }
                }
            };
            let wanted = |u: u32, v: u32| v != u && (!space.same_kind || v > u);
            for &u in &ground.sources[range] {
                sweep.run(u);
                let untied = |v: u32| wanted(u, v) && !sweep.is_adjacent(v);
                match &bound {
                    Some(b) => {
                        let source = b.source(&sweep);
                        for &v in b.order() {
                            if below(b.coarse(&source, v), best.threshold()) {
                                break;
                            }
                            if untied(v) && !below(b.fine(&source, &sweep, v), best.threshold()) {
                                offer(&mut best, &sweep, u, v);
                            }
                        }
                    }
                    None => {
                        for &v in &space.targets {
                            if untied(v) {
                                offer(&mut best, &sweep, u, v);
                            }
                        }
                    }
                }
            }
            pool.give(sweep);
            best
        },
        |mut a, b| {
            a.merge(b);
            a
        },
    );
    best.into_sorted()
        .into_iter()
        .map(|r| {
            let mut row = [0.0; WIDTH];
            design.row(r.item.pair.0, r.item.pair.1, &r.item.features, &mut row);
            RankedPair {
                source: r.item.pair.0,
                target: r.item.pair.1,
                score: r.score,
                features: r.item.features,
                explanation: ranker.explain(&r.item.features, &row, 3),
            }
        })
        .collect()
}

/// The score by `ranker` of the pair of each of the ground's sources with every target of
/// its space — targets already tied to the source included, with their features as they
/// are — one row per source in the order of the space's targets (`None` where the target
/// is the source itself). What `partners` reads for one actor; the structure as in
/// [`rank_pairs`].
pub fn score_rows(ground: &Ground<'_>, ranker: &Ranker) -> Vec<Vec<Option<f64>>> {
    let (graph, space) = (ground.graph, ground.space);
    let design = Design::new(ground.structure, ground.data, space.same_kind);
    let prepared = Prepared::new(ranker, &design, graph.node_count());
    let mut sweep = Sweep::new(graph, ground.structure, ground.data);
    ground
        .sources
        .iter()
        .map(|&u| {
            sweep.run(u);
            space
                .targets
                .iter()
                .map(|&v| {
                    (v != u).then(|| {
                        prepared.score_pair(&design, space.canonical(u, v), &sweep.features(v))
                    })
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::learn::{fit_logistic, LogisticOptions, Samples};
    use crate::algo::link_features::pair_features;
    use crate::graph::Csr;

    /// Every candidate pair scored one by one: the reference the pruned ranking must equal.
    fn exhaustive(
        g: &Csr,
        data: &NodeData,
        space: &PairSpace,
        ranker: &Ranker,
        top: usize,
        seed: u64,
    ) -> Vec<(u32, u32)> {
        let s = Structure::of(g, seed);
        let design = Design::new(&s, data, space.same_kind);
        let prepared = Prepared::new(ranker, &design, g.node_count());
        let mut all = TopK::new(top);
        for &u in &space.sources {
            for &v in &space.targets {
                if u == v || g.out_neighbors(u as usize).contains(&v) || (space.same_kind && v < u)
                {
                    continue;
                }
                let f = pair_features(g, &s, data, u, v);
                let sc = prepared.score_pair(&design, (u, v), &f);
                all.offer(sc, pair_key(seed ^ SALT_RANK, u, v), (u, v));
            }
        }
        all.into_sorted().into_iter().map(|r| r.item).collect()
    }

    fn graph_and_data() -> (Csr, NodeData) {
        let mut rng = crate::algo::rng::SplitMix64::new(4);
        let n = 300u32;
        let mut pairs = Vec::new();
        for v in 1..n {
            // Preferential-ish: tie to a random earlier node, twice.
            for _ in 0..2 {
                let u = rng.below(u64::from(v)) as u32;
                pairs.push((u, v));
            }
        }
        let g = Csr::from_pairs(n as usize, false, &pairs);
        let mut data = NodeData::empty(n as usize);
        for v in 0..n as usize {
            data.fields[v] = vec![(v % 5) as u32, 5 + (v % 3) as u32];
            data.districts[v] = vec![(v % 4) as u32];
            data.activity[v] = (v % 11) as f64;
            data.amount[v] = ((v * 7) % 13) as f64;
        }
        (g, data)
    }

    #[test]
    fn pruned_ranking_equals_exhaustive_for_every_bounded_ranker() {
        let (g, data) = graph_and_data();
        let s = Structure::of(&g, 2);
        let design = Design::new(&s, &data, false);
        let mut samples = Samples::new(WIDTH);
        let mut row = [0.0; WIDTH];
        for u in 0..60u32 {
            for v in (u + 1..300).step_by(17) {
                let f = pair_features(&g, &s, &data, u, v);
                design.row(u, v, &f, &mut row);
                samples.push(&row, (u + v) % 3 == 0, 1.0).unwrap();
            }
        }
        let model = fit_logistic(&samples, &LogisticOptions::default()).unwrap();
        let logistic = Ranker::logistic(model, 1e-3, super::super::ranker::Weighting::Population);
        let spaces = [
            PairSpace {
                sources: (0..40).collect(),
                targets: (40..300).collect(),
                same_kind: false,
            },
            PairSpace {
                sources: (0..300).collect(),
                targets: (0..300).collect(),
                same_kind: true,
            },
        ];
        for space in &spaces {
            for ranker in [
                logistic.clone(),
                Ranker::Heuristic(Heuristic::Pa),
                Ranker::Heuristic(Heuristic::Aa),
                Ranker::Random(3),
            ] {
                for top in [1, 10, 500] {
                    let got: Vec<(u32, u32)> = rank_pairs(
                        &Ground::whole(&g, &s, &data, space),
                        &ranker,
                        top,
                        2,
                        &Parallelism::with_threads(3),
                    )
                    .iter()
                    .map(|r| (r.source, r.target))
                    .collect();
                    let want = exhaustive(&g, &data, space, &ranker, top, 2);
                    assert_eq!(got, want, "{} top {top}", ranker.name());
                }
            }
        }
    }

    #[test]
    fn score_rows_agree_with_the_ranking_and_score_tied_targets_too() {
        let (g, data) = graph_and_data();
        let space = PairSpace {
            sources: (0..40).collect(),
            targets: (30..300).collect(),
            same_kind: false,
        };
        let ranker = Ranker::Heuristic(Heuristic::Aa);
        let s = Structure::of(&g, 2);
        let ranked = rank_pairs(
            &Ground::whole(&g, &s, &data, &space),
            &ranker,
            20,
            2,
            &Parallelism::with_threads(1),
        );
        let sources: Vec<u32> = ranked.iter().map(|r| r.source).collect();
        let rows = score_rows(
            &Ground {
                sources: &sources,
                ..Ground::whole(&g, &s, &data, &space)
            },
            &ranker,
        );
        for (r, row) in ranked.iter().zip(&rows) {
            let at = space.targets.binary_search(&r.target).unwrap();
            assert_eq!(row[at], Some(r.score));
            for (&v, score) in space.targets.iter().zip(row) {
                if v == r.source {
                    assert_eq!(*score, None);
                } else {
                    let f = pair_features(&g, &s, &data, r.source, v);
                    assert!((score.unwrap() - f.aa).abs() < 1e-12, "{v}");
                }
            }
        }
    }
}
