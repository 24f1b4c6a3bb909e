//! Learned link prediction: a model trained on the graph it is asked about, selected by how
//! well it ranks ties that were hidden from it, then used to rank every candidate pair.
//!
//! Link-prediction research finds no single best heuristic (Ghasemian, Galstyan, Airoldi &
//! Clauset 2020, "Stacking models for nearly optimal link prediction in complex networks",
//! PNAS): common neighbours win on clustered graphs, preferential attachment on growing ones,
//! attributes on others. A model stacked over many features and trained on the network's own
//! observed edges comes close to the best on each. Neo4j GDS link-prediction pipelines do the
//! same: split relationships, compute link features, train logistic regression or a random
//! forest, select by validation. This module is that pipeline, as pure functions of graphs.
//!
//! # The pipeline
//!
//! The caller (the `gaps` and `partners` use cases) supplies a [`Split`]: a *training graph*
//! with some ties between the two requested kinds hidden — the most recent ones when ties are
//! dated, otherwise a seeded random share — and those hidden pairs as the *positives*. Node
//! data of the training graph (activity, amounts) must be computed from training relations
//! only: nothing of a hidden tie may leak into a feature. Then [`train`]:
//!
//! 1. **Sources.** The first kind's nodes, at most [`TrainOptions::max_sources`] of them and
//!    no more than [`TrainOptions::max_pairs`] pairs' worth (but at least
//!    [`TrainOptions::min_sources`]): a seeded sample beyond that, so that training costs
//!    about the same on a graph of any size (33 of 640 universities at 60,000 enterprises —
//!    still some 1,900 hidden ties to validate on; every university at scale 1).
//! 2. **Folds.** The sources taking part are dealt by a seeded hash among
//!    [`TrainOptions::validation_folds`] folds (3); a fold's positives are those its sources
//!    reach. Each fold fits its models on every *other* positive and validates them on its
//!    own, so every positive is validated once.
//! 3. **Negatives** are every other candidate pair: untied in the training graph, not a
//!    positive. They are *stratified by distance*: 2 (a shared partner), 3, and farther
//!    (4 or more, or unreachable). A bottom-k sample by seeded hash — the same as a uniform
//!    sample without replacement, and independent of visiting order — of up to
//!    [`TrainOptions::negatives_per_stratum`] is drawn from each stratum, so hard negatives
//!    (distance 2–3) are well represented; each sample is weighted by its stratum's size over
//!    the sample size, so the weighted sample stands for the true population, and the
//!    weighted negatives as a whole balance the positives.
//! 4. **Features** ([`design`]): the pair features of [`crate::algo::link_features`] on the
//!    training graph, log-scaled where they count things, and each end's degree, activity,
//!    recent activity and amount.
//! 5. **Models**: L2 logistic regression at several penalties, and gradient-boosted trees
//!    when the validation pass is small enough to score with them
//!    ([`TrainOptions::tree_pair_budget`]).
//! 6. **Validation**, fold by fold, ranks *every* candidate pair of the fold's sources except
//!    the fold's training positives — the way users read the list — by each model and each
//!    single heuristic (cn, aa, ra, pa, jaccard, katz), and counts the fold's positives in
//!    the top 10, 100 and 1,000. AUC is computed on them against a uniform sample of
//!    negatives ([`TrainOptions::auc_negatives`]). The folds' hits are summed (their AUCs
//!    averaged): one split of a few hundred hidden ties leaves the choice among near-equal
//!    rankers to chance, the pooled hits of three far less. (Why folds rather than hiding
//!    again with other seeds: a dated hide is the same for every seed, so hiding again would
//!    only repeat the split; folds validate every hidden tie at the cost of one pass.)
//! 7. **Selection**: the ranker with the most pooled hits in the top [`VALIDATION_K`] (ties:
//!    in the top 1,000, then the *simpler* ranker — a single heuristic, then logistic
//!    regression from the strongest penalty, then trees — then AUC) — a heuristic if one
//!    ranks the hidden ties better than every model. With fewer than
//!    [`TrainOptions::min_positives`] positives no model is fitted: the best heuristic on
//!    validation (one fold, every positive) is used, with a warning that the graph is too
//!    small or too sparse to learn from.
//! 8. **Refit** of the chosen model on all positives, and a [`ModelCard`] saying what was
//!    done and how well each candidate ranked.
//!
//! Then [`rank_pairs`] scores every candidate pair of the *whole* graph (all sources, every
//! target not yet tied: distant pairs included, since preferential attachment — a far-pair
//! signal — is what wins on growing graphs) and keeps the best.
//!
//! # Determinism
//!
//! Sources are processed in fixed chunks ([`crate::algo::parallel::Parallelism`]); per-chunk
//! results are merged in chunk order, and every sample and ranking is decided by seeded
//! hashes of the pair, so the result is the same at any thread count. Fitting is sequential.

pub mod design;
mod measure;
mod pairs;
mod phases;
mod rank;
mod ranker;
mod train;

pub use design::{Design, FEATURE_NAMES, WIDTH};
pub use measure::{measure, Figures, Ground, Measured, REPORT_K};
pub use pairs::{pair_key, PairSpace};
pub use phases::Phases;
pub use rank::{rank_pairs, score_rows, RankedPair};
pub use ranker::{Explained, Heuristic, Ranker, Weighting};
pub use train::{train, FeatureWeight, ModelCard, Split, TrainOptions, Trained, VALIDATION_K};
