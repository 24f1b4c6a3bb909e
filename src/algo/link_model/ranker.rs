//! What ranks candidate pairs: a single heuristic, a fitted model, or a seeded random score;
//! and the same made ready to score many pairs of one graph fast.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::design::{Design, ENDS, END_WIDTH, FEATURE_NAMES, WIDTH};
use super::pairs::pair_key;
use crate::algo::learn::{BoostedTrees, LogisticModel};
use crate::algo::link_features::PairFeatures;

/// Salt of the random ranker's hash.
const SALT_RANDOM: u64 = 0x7261_6e64;

/// A single link-prediction score, the baselines a model must beat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Heuristic {
    /// Common neighbours.
    Cn,
    /// Adamic–Adar.
    Aa,
    /// Resource allocation.
    Ra,
    /// Preferential attachment.
    Pa,
    /// Jaccard similarity of the neighbour sets.
    Jaccard,
    /// Truncated Katz.
    Katz,
}

impl Heuristic {
    /// Every heuristic, in report order.
    pub const ALL: [Heuristic; 6] = [
        Heuristic::Cn,
        Heuristic::Aa,
        Heuristic::Ra,
        Heuristic::Pa,
        Heuristic::Jaccard,
        Heuristic::Katz,
    ];

    /// Short name.
    pub fn name(self) -> &'static str {
        match self {
            Heuristic::Cn => "cn",
            Heuristic::Aa => "aa",
            Heuristic::Ra => "ra",
            Heuristic::Pa => "pa",
            Heuristic::Jaccard => "jaccard",
            Heuristic::Katz => "katz",
        }
    }

    /// Parses a short name.
    pub fn parse(text: &str) -> Option<Heuristic> {
        Heuristic::ALL.into_iter().find(|h| h.name() == text)
    }

    /// The score of a pair.
    pub fn score(self, f: &PairFeatures) -> f64 {
        match self {
            Heuristic::Cn => f.cn,
            Heuristic::Aa => f.aa,
            Heuristic::Ra => f.ra,
            Heuristic::Pa => f.pa,
            Heuristic::Jaccard => f.jaccard,
            Heuristic::Katz => f.katz,
        }
    }
}

/// How the sampled negatives are weighted against each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weighting {
    /// Each stratum by its share of all negatives: the sample stands for the population.
    Population,
    /// Each stratum alike: hard negatives (distance 2–3) weigh as much as distant ones.
    Strata,
}

impl Weighting {
    fn name(self) -> &'static str {
        match self {
            Weighting::Population => "population",
            Weighting::Strata => "strata",
        }
    }
}

/// Logistic regression's parts: head weights, bias, per-node source and target parts.
pub(crate) type LinearParts<'a> = (&'a [f64; ENDS], f64, &'a [f64], &'a [f64]);

/// What ranks the pairs. It serialises as its model and options only (the raw weights are
/// derived again when read), and a read one is refused unless its model is sound for
/// [`WIDTH`] features — what lets a trained ranker be kept in a file.
// A handful of rankers exist per request, never in a hot collection: boxing the models
// would only add indirection to scoring.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "RankerForm", try_from = "RankerForm")]
pub enum Ranker {
    /// A uniform random score (seeded): the floor every method must clear.
    Random(u64),
    /// A single heuristic.
    Heuristic(Heuristic),
    /// Logistic regression.
    Logistic {
        /// The fitted model.
        model: LogisticModel,
        /// Its penalty.
        l2: f64,
        /// Its negative weighting.
        weighting: Weighting,
        /// Raw weights of the row (for fast scoring).
        weights: [f64; WIDTH],
        /// Raw intercept.
        bias: f64,
    },
    /// Gradient-boosted trees.
    Trees {
        /// The fitted ensemble.
        model: BoostedTrees,
        /// Its negative weighting.
        weighting: Weighting,
    },
}

/// The serialised form of a [`Ranker`].
#[derive(Clone, Serialize, Deserialize)]
enum RankerForm {
    Random(u64),
    Heuristic(Heuristic),
    Logistic {
        model: LogisticModel,
        l2: f64,
        weighting: Weighting,
    },
    Trees {
        model: BoostedTrees,
        weighting: Weighting,
    },
}

impl From<Ranker> for RankerForm {
    fn from(ranker: Ranker) -> RankerForm {
        match ranker {
            Ranker::Random(seed) => RankerForm::Random(seed),
            Ranker::Heuristic(h) => RankerForm::Heuristic(h),
            Ranker::Logistic {
                model,
                l2,
                weighting,
                ..
            } => RankerForm::Logistic {
                model,
                l2,
                weighting,
            },
            Ranker::Trees { model, weighting } => RankerForm::Trees { model, weighting },
        }
    }
}

impl TryFrom<RankerForm> for Ranker {
    type Error = String;

    fn try_from(form: RankerForm) -> Result<Ranker, String> {
        match form {
            RankerForm::Random(seed) => Ok(Ranker::Random(seed)),
            RankerForm::Heuristic(h) => Ok(Ranker::Heuristic(h)),
            RankerForm::Logistic {
                model,
                l2,
                weighting,
            } if model.is_sound(WIDTH) => Ok(Ranker::logistic(model, l2, weighting)),
            RankerForm::Trees { model, weighting } if model.is_sound(WIDTH) => {
                Ok(Ranker::Trees { model, weighting })
            }
            _ => Err(format!("the model does not fit the {WIDTH} features")),
        }
    }
}

impl Ranker {
    pub(crate) fn logistic(model: LogisticModel, l2: f64, weighting: Weighting) -> Ranker {
        let (w, bias) = model.raw_weights();
        let mut weights = [0.0; WIDTH];
        weights.copy_from_slice(&w);
        Ranker::Logistic {
            model,
            l2,
            weighting,
            weights,
            bias,
        }
    }

    /// A readable name: the heuristic's, `logistic (λ=…, … weights)` or `boosted trees (…)`.
    pub fn name(&self) -> String {
        match self {
            Ranker::Random(_) => "random".to_string(),
            Ranker::Heuristic(h) => h.name().to_string(),
            Ranker::Logistic { l2, weighting, .. } => {
                format!("logistic (λ={l2}, {} weights)", weighting.name())
            }
            Ranker::Trees { model, weighting } => format!(
                "boosted trees ({} trees, {} weights)",
                model.len(),
                weighting.name()
            ),
        }
    }

    /// Whether the ranker was learned (not a heuristic or random).
    pub fn is_learned(&self) -> bool {
        matches!(self, Ranker::Logistic { .. } | Ranker::Trees { .. })
    }

    /// The score of `pair` (canonical order) with features `f` and row `row` (models: the
    /// log-odds).
    pub fn score(&self, pair: (u32, u32), f: &PairFeatures, row: &[f64; WIDTH]) -> f64 {
        match self {
            Ranker::Random(seed) => {
                (pair_key(seed ^ SALT_RANDOM, pair.0, pair.1) >> 11) as f64 / (1u64 << 53) as f64
            }
            Ranker::Heuristic(h) => h.score(f),
            Ranker::Logistic { weights, bias, .. } => {
                bias + weights.iter().zip(row).map(|(w, x)| w * x).sum::<f64>()
            }
            Ranker::Trees { model, .. } => model.decision(row),
        }
    }

    /// The features that pushed a pair up most: for logistic regression the largest positive
    /// contributions relative to the training mean; for trees the most important features;
    /// for a heuristic, itself.
    pub fn explain(&self, f: &PairFeatures, row: &[f64; WIDTH], how_many: usize) -> Vec<Explained> {
        match self {
            Ranker::Random(_) => Vec::new(),
            Ranker::Heuristic(h) => vec![Explained {
                feature: h.name(),
                value: h.score(f),
                contribution: h.score(f),
            }],
            Ranker::Logistic { model, .. } => {
                let parts = model.contributions(row);
                let mut order: Vec<usize> = (0..WIDTH).filter(|&j| parts[j] > 0.0).collect();
                order.sort_by(|&a, &b| parts[b].total_cmp(&parts[a]).then(a.cmp(&b)));
                order
                    .into_iter()
                    .take(how_many)
                    .map(|j| Explained {
                        feature: FEATURE_NAMES[j],
                        value: row[j],
                        contribution: parts[j],
                    })
                    .collect()
            }
            Ranker::Trees { model, .. } => {
                let imp = model.importances();
                let mut order: Vec<usize> = (0..WIDTH).filter(|&j| imp[j] > 0.0).collect();
                order.sort_by(|&a, &b| imp[b].total_cmp(&imp[a]).then(a.cmp(&b)));
                order
                    .into_iter()
                    .take(how_many)
                    .map(|j| Explained {
                        feature: FEATURE_NAMES[j],
                        value: row[j],
                        contribution: imp[j],
                    })
                    .collect()
            }
        }
    }
}

/// A ranker made ready to score many pairs of one graph: logistic regression is evaluated
/// as its pair part plus two precomputed per-node parts, which for pairs without walks of
/// length 2 or 3 (most of them) costs five multiplications; others build the row as needed.
pub(crate) struct Prepared<'r> {
    ranker: &'r Ranker,
    linear: Option<Linear>,
}

struct Linear {
    bias: f64,
    head: [f64; ENDS],
    source: Vec<f64>,
    target: Vec<f64>,
}

impl<'r> Prepared<'r> {
    pub(crate) fn new(ranker: &'r Ranker, design: &Design, nodes: usize) -> Prepared<'r> {
        let linear = match ranker {
            Ranker::Logistic { weights, bias, .. } => {
                let part = |offset: usize| -> Vec<f64> {
                    (0..nodes as u32)
                        .map(|x| {
                            design
                                .end(x)
                                .iter()
                                .zip(&weights[offset..offset + END_WIDTH])
                                .map(|(a, w)| a * w)
                                .sum()
                        })
                        .collect()
                };
                let mut head = [0.0; ENDS];
                head.copy_from_slice(&weights[..ENDS]);
                Some(Linear {
                    bias: *bias,
                    head,
                    source: part(ENDS),
                    target: part(ENDS + END_WIDTH),
                })
            }
            _ => None,
        };
        Prepared { ranker, linear }
    }

    /// Logistic regression's parts: head weights, bias, per-node source and target parts.
    pub(crate) fn linear_parts(&self) -> Option<LinearParts<'_>> {
        self.linear
            .as_ref()
            .map(|l| (&l.head, l.bias, l.source.as_slice(), l.target.as_slice()))
    }

    /// Whether [`Prepared::score`] reads the pair's head columns ([`Design::head`]).
    pub(crate) fn needs_head(&self) -> bool {
        self.ranker.is_learned()
    }

    /// The ranker's score of `pair` (canonical) with features `f` and head columns `head`
    /// (only read when [`Prepared::needs_head`]); the same as [`Ranker::score`] up to the
    /// order of floating-point additions.
    pub(crate) fn score(
        &self,
        design: &Design,
        pair: (u32, u32),
        f: &PairFeatures,
        head: &[f64; ENDS],
    ) -> f64 {
        match (&self.linear, self.ranker) {
            (Some(l), _) => {
                let (a, b) = design.order(pair.0, pair.1);
                let topology = if f.cn > 0.0 || f.paths3 > 0.0 {
                    (0..8).map(|j| l.head[j] * head[j]).sum::<f64>()
                } else {
                    0.0
                };
                l.bias
                    + topology
                    + (8..ENDS).map(|j| l.head[j] * head[j]).sum::<f64>()
                    + l.source[a as usize]
                    + l.target[b as usize]
            }
            (None, Ranker::Trees { .. }) => {
                let mut row = [0.0; WIDTH];
                row[..ENDS].copy_from_slice(head);
                let (a, b) = design.order(pair.0, pair.1);
                row[ENDS..ENDS + END_WIDTH].copy_from_slice(design.end(a));
                row[ENDS + END_WIDTH..].copy_from_slice(design.end(b));
                self.ranker.score(pair, f, &row)
            }
            (None, r) => r.score(pair, f, &[0.0; WIDTH]),
        }
    }

    /// [`Prepared::score`] computing the head itself.
    pub(crate) fn score_pair(&self, design: &Design, pair: (u32, u32), f: &PairFeatures) -> f64 {
        let mut head = [0.0; ENDS];
        if self.needs_head() {
            Design::head(f, &mut head);
        }
        self.score(design, pair, f, &head)
    }
}

/// One reason a pair ranks high.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained {
    /// Feature (a column of [`FEATURE_NAMES`], or a heuristic's name).
    pub feature: &'static str,
    /// The pair's value of it (the model's input: log-scaled where the column is).
    pub value: f64,
    /// Logistic regression: its part of the log-odds relative to the training mean; trees:
    /// the feature's importance; heuristic: the score.
    pub contribution: f64,
}

/// A pair and its features, ordered by the pair only.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairItem {
    pub(crate) pair: (u32, u32),
    pub(crate) features: PairFeatures,
}

impl PartialEq for PairItem {
    fn eq(&self, other: &Self) -> bool {
        self.pair == other.pair
    }
}
impl Eq for PairItem {}
impl PartialOrd for PairItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for PairItem {
    fn cmp(&self, other: &Self) -> Ordering {
        self.pair.cmp(&other.pair)
    }
}
