//! The `partners` ranking on the same hold-out as `gaps`: each source (a university, say)
//! ranks every enterprise not tied to it in the training graph, as `partners` does for one
//! actor, and the hidden pairs are counted at the top of each source's own list.
//!
//! The rankings, on the same candidates and with the same tie-break (a seeded hash of the
//! pair):
//! - **learned**: the learned ranker's score of the pair;
//! - **field**: Jaccard similarity of the two actors' own fields (`in_field`);
//! - **blend**: `(1 − w) · learned' + w · field` for w in 0.05, 0.1, 0.2 and 0.3,
//!   `learned'` the learned score rescaled over the source's candidates (min–max), as
//!   `partners` scores a technology manager (w = 0.3); an organisation is ranked by the
//!   learned score alone, because no blend did better here.
//!
//! The field part here uses the actors' own fields only. `partners` also counts the fields
//! of the projects, platforms, achievements and demands an actor is tied to; on a hold-out
//! those ties include the hidden ones (a shared hidden project would put its field in both
//! profiles), so that profile would leak what is hidden.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::algo::link_model::{pair_key, score_rows, Ground, Ranker};
use crate::algo::sets::jaccard;
use crate::query::W_LEARNED_FIELD;

/// Field weights of the blends measured: the default's ([`W_LEARNED_FIELD`]) among them.
const BLEND_FIELD_WEIGHTS: [f64; 4] = [0.05, 0.1, 0.2, 0.3];

/// A ranking of a source's firms.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Method {
    Learned,
    Field,
    /// `(1 − w) · learned' + w · field`.
    Blend(f64),
}

impl Method {
    fn name(self) -> String {
        match self {
            Method::Learned => "learned (the default)".to_string(),
            Method::Field => "field".to_string(),
            Method::Blend(w) if w == W_LEARNED_FIELD => {
                format!("blend (field {w}, the weight for a tech manager)")
            }
            Method::Blend(w) => format!("blend (field {w})"),
        }
    }
}

/// The ranks read: each source's top 1, 10 and 100.
pub const PARTNERS_K: [usize; 3] = [1, 10, 100];

/// Salt of the tie-break.
const SALT_PARTNERS: u64 = 0x7061_7274;

/// How one `partners` ranking found the hidden pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnersFigures {
    /// `learned`, `field` or `blend`.
    pub method: String,
    /// Sources with at least one hidden pair.
    pub sources: usize,
    /// Hidden pairs of those sources.
    pub positives: usize,
    /// Hidden pairs in their source's top 1, 10 and 100, summed over sources.
    pub hits: [usize; 3],
    /// Sources with a hidden pair in their top 10.
    pub sources_hit: usize,
    /// Mean over sources of 1 / the rank of their best-ranked hidden pair.
    pub mrr: f64,
}

/// The three rankings of every source of `ground`'s space that has a hidden pair in
/// `positives` (canonical pairs, source first); empty when both kinds are one kind (then
/// there is no source side to read).
pub fn partners_figures(
    ground: &Ground<'_>,
    ranker: &Ranker,
    positives: &HashSet<(u32, u32)>,
    fields: &[Vec<u32>],
    seed: u64,
) -> Vec<PartnersFigures> {
    let space = ground.space;
    if space.same_kind {
        return Vec::new();
    }
    let mut by_source: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &(u, v) in positives {
        by_source.entry(u).or_default().push(v);
    }
    let sources: Vec<u32> = by_source.keys().copied().collect();
    let rows = score_rows(
        &Ground {
            sources: &sources,
            ..*ground
        },
        ranker,
    );
    let mut methods = vec![Method::Learned, Method::Field];
    methods.extend(BLEND_FIELD_WEIGHTS.iter().map(|&w| Method::Blend(w)));
    let mut hits = vec![[0usize; 3]; methods.len()];
    let mut sources_hit = vec![0usize; methods.len()];
    let mut reciprocal = vec![0.0f64; methods.len()];
    for (&u, row) in sources.iter().zip(&rows) {
        let tied = ground.graph.out_neighbors(u as usize);
        // (target, learned, field) of every candidate.
        let candidates: Vec<(u32, f64, f64)> = space
            .targets
            .iter()
            .zip(row)
            .filter(|(v, _)| tied.binary_search(v).is_err())
            .filter_map(|(&v, s)| {
                s.map(|s| (v, s, jaccard(&fields[u as usize], &fields[v as usize])))
            })
            .collect();
        let (lo, hi) = candidates
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), c| {
                (lo.min(c.1), hi.max(c.1))
            });
        let rescaled = |s: f64| if hi > lo { (s - lo) / (hi - lo) } else { 0.0 };
        let wanted = &by_source[&u];
        for (m, method) in methods.iter().enumerate() {
            let score = |c: &(u32, f64, f64)| match *method {
                Method::Learned => c.1,
                Method::Field => c.2,
                Method::Blend(w) => (1.0 - w) * rescaled(c.1) + w * c.2,
            };
            let mut order: Vec<(f64, u64, u32)> = candidates
                .iter()
                .map(|c| (score(c), pair_key(seed ^ SALT_PARTNERS, u, c.0), c.0))
                .collect();
            order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut best = None;
            for (rank, item) in order.iter().enumerate() {
                if wanted.contains(&item.2) {
                    best.get_or_insert(rank + 1);
                    for (h, &k) in hits[m].iter_mut().zip(&PARTNERS_K) {
                        if rank < k {
                            *h += 1;
                        }
                    }
                }
            }
            if let Some(rank) = best {
                reciprocal[m] += 1.0 / rank as f64;
                if rank <= PARTNERS_K[1] {
                    sources_hit[m] += 1;
                }
            }
        }
    }
    let positives_of_sources: usize = by_source.values().map(Vec::len).sum();
    (0..methods.len())
        .map(|m| PartnersFigures {
            method: methods[m].name(),
            sources: sources.len(),
            positives: positives_of_sources,
            hits: hits[m],
            sources_hit: sources_hit[m],
            mrr: if sources.is_empty() {
                0.0
            } else {
                reciprocal[m] / sources.len() as f64
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::link_features::{NodeData, Structure};
    use crate::algo::link_model::{Heuristic, PairSpace};
    use crate::graph::Csr;

    #[test]
    fn each_source_reads_its_own_list_and_the_blend_adds_fields() {
        // Sources 0, 1; targets 2..=7. 0–2, 0–3, 1–3 tied; 2–4 and 3–5 tied (so 0 has two
        // steps to 4 and 5 and 1 to 5). Hidden: (0, 4) and (1, 6); 6 shares 1's field.
        let g = Csr::from_pairs(8, false, &[(0, 2), (0, 3), (1, 3), (2, 4), (3, 5)]);
        let mut data = NodeData::empty(8);
        data.fields[1] = vec![9];
        data.fields[6] = vec![9];
        let s = Structure::of(&g, 1);
        let space = PairSpace {
            sources: vec![0, 1],
            targets: (2..8).collect(),
            same_kind: false,
        };
        let positives: HashSet<(u32, u32)> = [(0, 4), (1, 6)].into_iter().collect();
        let figures = partners_figures(
            &Ground::whole(&g, &s, &data, &space),
            &Ranker::Heuristic(Heuristic::Cn),
            &positives,
            &data.fields,
            3,
        );
        let by = |name: &str| figures.iter().find(|f| f.method.starts_with(name)).unwrap();
        assert_eq!(by("learned").sources, 2);
        assert_eq!(by("learned").positives, 2);
        // cn: 0's candidates 4 (cn 1), 5 (cn 1), 6, 7 (0): 4 is in the top 10, maybe
        // second; 1's candidate 5 has cn 1, 6 has 0 — 6 ranks below 5.
        assert_eq!(by("learned").hits[1], 2);
        assert!(by("learned").hits[0] <= 1);
        // field: 6 is 1's only field match: first (0 has no field: its order is the
        // tie-break's).
        assert!(by("field").hits[0] >= 1);
        // blend: 1's row: 5 has learned' 1, field 0 → 0.7; 6 has 0 + 0.3 → second.
        let blend = by("blend (field 0.3");
        assert_eq!(blend.hits[1], 2);
        assert!(blend.mrr > 0.0 && blend.mrr <= 1.0);
    }
}
