//! Training, validation and selection of a ranker (see the module documentation of
//! [`crate::algo::link_model`]).

use std::collections::HashSet;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::design::{Design, FEATURE_NAMES, WIDTH};
use super::measure::{measure, partner_lists, Figures, Ground, Marks, REPORT_K};
use super::pairs::{pair_key, visit_pairs, PairSpace};
use super::phases::Phases;
use super::ranker::{Heuristic, PairItem, Ranker, Weighting};
use crate::algo::learn::{
    fit_boosted_trees, fit_logistic, BoostOptions, LearnError, LogisticOptions, Samples, TopK,
};
use crate::algo::link_features::{NodeData, Structure};
use crate::algo::parallel::Parallelism;
use crate::graph::Csr;

/// The `k` of the precision that selects the ranker.
pub const VALIDATION_K: usize = 100;

/// Salts of the seeded hashes, one per use.
const SALT_SOURCES: u64 = 0x736f_7572;
const SALT_FOLDS: u64 = 0x666f_6c64;
const SALT_STRATA: u64 = 0x7374_7261;

/// What the training sees: a graph with some ties hidden, and the hidden pairs.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The training graph: the hidden ties removed.
    pub graph: &'a Csr,
    /// Node data computed from the training graph's relations only.
    pub data: &'a NodeData,
    /// The hidden pairs (positives), each with its source-kind end first.
    pub positives: &'a [(u32, u32)],
}

/// Options of [`train`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Seed of every sample, split and tie-break (and of Louvain).
    pub seed: u64,
    /// Validation folds: the sources taking part are dealt among them, and each fold's
    /// models are fitted without its sources' positives and rank its sources' pairs.
    pub validation_folds: usize,
    /// Negatives sampled from each distance stratum.
    pub negatives_per_stratum: usize,
    /// Negatives sampled uniformly for the validation AUC.
    pub auc_negatives: usize,
    /// Penalties tried for logistic regression. The default is λ = 1 alone: the weaker
    /// λ = 0.01 was never chosen in the twelve evaluation runs of session 4 nor on the
    /// generated stores (it ranked below λ = 1 at precision@100 each time), and each
    /// penalty costs a fit per fold and a ranking pass.
    pub l2: Vec<f64>,
    /// The trees tried, if any.
    pub trees: Option<BoostOptions>,
    /// Trees are tried only when the space has at most this many pairs (scoring every pair
    /// with a hundred trees costs far more than with a linear model).
    pub tree_pair_budget: u64,
    /// At most this many sources take part in training and validation.
    pub max_sources: usize,
    /// Fewer sources take part when their pairs would pass this budget: the sources used
    /// are at most `max_pairs / targets` (but at least [`TrainOptions::min_sources`]), so
    /// training costs about the same on any size of graph (each pass visits every pair of
    /// the sources used).
    pub max_pairs: u64,
    /// The floor of the sources used under [`TrainOptions::max_pairs`].
    pub min_sources: usize,
    /// Fewer positives than this: no model is fitted.
    pub min_positives: usize,
    /// Threads.
    pub parallelism: Parallelism,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            seed: 42,
            validation_folds: 3,
            negatives_per_stratum: 10_000,
            auc_negatives: 20_000,
            l2: vec![1.0],
            trees: Some(BoostOptions::default()),
            tree_pair_budget: 5_000_000,
            max_sources: 400,
            max_pairs: 2_000_000,
            min_sources: 30,
            min_positives: 30,
            parallelism: Parallelism::auto(),
        }
    }
}

/// A feature's weight in the chosen model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureWeight {
    /// The column.
    pub feature: &'static str,
    /// Logistic regression: the coefficient of the standardised column; trees: the share of
    /// split gain.
    pub weight: f64,
}

/// A [`FeatureWeight`] as read: its column by name.
#[derive(Deserialize)]
struct FeatureWeightForm {
    feature: String,
    weight: f64,
}

// By hand: a derived `Deserialize` of a `&'static str` field would borrow from the input.
impl<'de> Deserialize<'de> for FeatureWeight {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        FeatureWeight::try_from(FeatureWeightForm::deserialize(d)?)
            .map_err(serde::de::Error::custom)
    }
}

impl TryFrom<FeatureWeightForm> for FeatureWeight {
    type Error = String;

    fn try_from(form: FeatureWeightForm) -> Result<FeatureWeight, String> {
        let feature = FEATURE_NAMES
            .iter()
            .copied()
            .find(|&f| f == form.feature)
            .ok_or_else(|| format!("unknown feature `{}`", form.feature))?;
        Ok(FeatureWeight {
            feature,
            weight: form.weight,
        })
    }
}

/// What training did and how well each candidate ranked the hidden ties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    /// The chosen ranker.
    pub chosen: String,
    /// Whether it is a model.
    pub learned: bool,
    /// Sources in the space, and how many took part.
    pub sources: usize,
    /// Sources that took part in training and validation.
    pub sources_used: usize,
    /// Hidden pairs in all, and those reached from the sources used.
    pub positives: usize,
    /// Positives each fold's models were fitted on, on average (before the refit on all).
    pub training_positives: usize,
    /// Positives validated, over every fold (each once).
    pub validation_positives: usize,
    /// Validation folds whose hits were pooled.
    pub validation_folds: usize,
    /// Candidate negatives at distance 2, 3 and farther.
    pub negative_population: [u64; 3],
    /// Negatives sampled from each.
    pub negatives_sampled: [usize; 3],
    /// Every ranker tried on validation, models first.
    pub candidates: Vec<Figures>,
    /// The chosen model's features (empty for a heuristic).
    pub features: Vec<FeatureWeight>,
    /// What the user should know (too little to learn from, a model that failed, …).
    pub warnings: Vec<String>,
    /// The seed.
    pub seed: u64,
}

/// The result of [`train`] (serialisable: what a kept model holds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trained {
    /// The chosen ranker, refitted on every positive.
    pub ranker: Ranker,
    /// What was done.
    pub card: ModelCard,
}

/// How many sources take part: at most `max_sources`, and no more than the pair budget
/// allows (but at least `min_sources`).
fn sources_allowed(space: &PairSpace, options: &TrainOptions) -> usize {
    let targets = space.targets.len().max(1) as u64;
    let by_budget = usize::try_from(options.max_pairs / targets).unwrap_or(usize::MAX);
    options.max_sources.min(by_budget.max(options.min_sources))
}

/// The sources taking part: all, or a bottom-k sample by seeded hash.
fn sampled_sources(space: &PairSpace, options: &TrainOptions) -> Vec<u32> {
    let allowed = sources_allowed(space, options);
    if space.sources.len() <= allowed {
        return space.sources.clone();
    }
    let mut pick = TopK::new(allowed);
    for &u in &space.sources {
        pick.offer(0.0, pair_key(options.seed ^ SALT_SOURCES, u, u), u);
    }
    let mut out: Vec<u32> = pick.into_sorted().into_iter().map(|r| r.item).collect();
    out.sort_unstable();
    out
}

/// What the first pass collects.
struct Collected {
    marks: Marks,
    /// Positives with the source that visited them.
    positives: Vec<(u32, PairItem)>,
    strata: [TopK<PairItem>; 3],
    population: [u64; 3],
}

fn stratum(distance: u32) -> usize {
    match distance {
        0..=2 => 0,
        3 => 1,
        _ => 2,
    }
}

/// The model specifications tried.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Spec {
    Logistic(f64, Weighting),
    Trees(BoostOptions, Weighting),
}

/// The fitting table: training positives and the sampled negatives, weighted.
fn table(
    design: &Design,
    positives: &[&PairItem],
    strata: &[Vec<PairItem>; 3],
    population: &[u64; 3],
    weighting: Weighting,
) -> Result<Samples, LearnError> {
    let mut samples = Samples::new(WIDTH);
    let mut row = [0.0; WIDTH];
    for p in positives {
        design.row(p.pair.0, p.pair.1, &p.features, &mut row);
        samples.push(&row, true, 1.0)?;
    }
    let total_population: u64 = population.iter().sum();
    let non_empty = strata.iter().filter(|s| !s.is_empty()).count().max(1);
    let positive_weight = positives.len() as f64;
    for (s, items) in strata.iter().enumerate() {
        if items.is_empty() {
            continue;
        }
        let weight = match weighting {
            Weighting::Population => {
                population[s] as f64 / items.len() as f64 * positive_weight
                    / total_population as f64
            }
            Weighting::Strata => positive_weight / non_empty as f64 / items.len() as f64,
        };
        for item in items {
            design.row(item.pair.0, item.pair.1, &item.features, &mut row);
            samples.push(&row, false, weight)?;
        }
    }
    Ok(samples)
}

impl Spec {
    fn weighting(self) -> Weighting {
        match self {
            Spec::Logistic(_, w) | Spec::Trees(_, w) => w,
        }
    }
}

fn fit(spec: Spec, samples: &Samples) -> Result<Ranker, LearnError> {
    match spec {
        Spec::Logistic(l2, weighting) => {
            let model = fit_logistic(
                samples,
                &LogisticOptions {
                    l2,
                    ..Default::default()
                },
            )?;
            Ok(Ranker::logistic(model, l2, weighting))
        }
        Spec::Trees(options, weighting) => Ok(Ranker::Trees {
            model: fit_boosted_trees(samples, &options)?,
            weighting,
        }),
    }
}

/// Trains, validates and selects a ranker for `space` on `split` (see the module docs).
pub fn train(split: &Split<'_>, space: &PairSpace, options: &TrainOptions) -> Trained {
    let phases = Phases::start();
    let n = split.graph.node_count();
    let structure = Structure::of(split.graph, options.seed);
    let design = Design::new(&structure, split.data, space.same_kind);
    let sources = sampled_sources(space, options);
    let mut warnings = Vec::new();

    // Positive partners of each visiting source.
    let positive_set: HashSet<(u32, u32)> = split
        .positives
        .iter()
        .map(|&(u, v)| space.canonical(u, v))
        .collect();
    let partners = partner_lists(&[(&positive_set, 1)]);

    phases.mark("training structure (Louvain, components)");
    // Pass 1: positives and stratified negatives.
    let k = options.negatives_per_stratum;
    let collected = visit_pairs(
        split.graph,
        &structure,
        split.data,
        space,
        &sources,
        &options.parallelism,
        || Collected {
            marks: Marks::new(n),
            positives: Vec::new(),
            strata: [TopK::new(k), TopK::new(k), TopK::new(k)],
            population: [0; 3],
        },
        |acc, sweep, u, v| {
            let pair = space.canonical(u, v);
            if acc.marks.get(u, v, &partners) != 0 {
                let item = PairItem {
                    pair,
                    features: sweep.features(v),
                };
                acc.positives.push((u, item));
                return;
            }
            let s = stratum(sweep.distance(v));
            acc.population[s] += 1;
            let key = pair_key(options.seed ^ SALT_STRATA, pair.0, pair.1);
            if acc.strata[s].admits(0.0, key) {
                let item = PairItem {
                    pair,
                    features: sweep.features(v),
                };
                acc.strata[s].offer(0.0, key, item);
            }
        },
        |mut a, b| {
            a.positives.extend(b.positives);
            for (s, t) in b.strata.into_iter().enumerate() {
                a.strata[s].merge(t);
                a.population[s] += b.population[s];
            }
            a
        },
    );
    let (positives, strata, population) =
        (collected.positives, collected.strata, collected.population);
    let strata: [Vec<PairItem>; 3] =
        strata.map(|t| t.into_sorted().into_iter().map(|r| r.item).collect());
    let candidate_pairs: u64 = population.iter().sum::<u64>() + positives.len() as u64;

    phases.mark("pass 1 (positives, stratified negatives)");
    // Validation folds: the sources taking part are dealt among them by a seeded hash; a
    // fold's models are fitted on every positive but those of its own sources, whose pairs
    // it ranks. Every positive is validated once, and the hits of the folds are pooled.
    let learn = positives.len() >= options.min_positives;
    if !learn {
        warnings.push(format!(
            "only {} hidden ties to learn from (at least {} needed): the graph is too small or too sparse, so the best single heuristic on validation ranks instead",
            positives.len(),
            options.min_positives
        ));
    }
    let folds = if learn {
        options.validation_folds.max(1)
    } else {
        1
    };
    let fold_of = |u: u32| (pair_key(options.seed ^ SALT_FOLDS, u, u) % folds as u64) as usize;

    // The specifications tried, and the heuristics after them.
    let mut specs = Vec::new();
    if learn && strata.iter().any(|s| !s.is_empty()) {
        for weighting in [Weighting::Population, Weighting::Strata] {
            for &l2 in &options.l2 {
                specs.push(Spec::Logistic(l2, weighting));
            }
        }
        if let Some(trees) = options.trees {
            if candidate_pairs <= options.tree_pair_budget
                && space.size() <= options.tree_pair_budget
            {
                specs.push(Spec::Trees(trees, Weighting::Population));
            }
        }
    }
    let entries = specs.len() + Heuristic::ALL.len();
    let mut pools: Vec<Pool> = vec![Pool::default(); entries];
    let mut fitted: Vec<Option<Ranker>> = vec![None; specs.len()];
    let (mut folds_used, mut training_sum, mut validation_sum) = (0usize, 0usize, 0usize);
    // Each fold's sources, validation and training positives.
    let fold_parts: Vec<FoldPart<'_>> = (0..folds)
        .map(|fold| FoldPart {
            sources: sources
                .iter()
                .copied()
                .filter(|&u| fold_of(u) == fold)
                .collect(),
            validation: positives
                .iter()
                .filter(|(u, _)| fold_of(*u) == fold)
                .map(|p| &p.1)
                .collect(),
            training: positives
                .iter()
                .filter(|(u, _)| fold_of(*u) != fold)
                .map(|p| &p.1)
                .collect(),
        })
        .collect();
    // Every fold's models, fitted side by side (each fit is sequential, and the results are
    // kept in job order, so they are the same at any thread count).
    let jobs: Vec<(usize, usize)> = fold_parts
        .iter()
        .enumerate()
        .filter(|(_, part)| !part.sources.is_empty() && !part.training.is_empty())
        .flat_map(|(fold, _)| (0..specs.len()).map(move |i| (fold, i)))
        .collect();
    let fit_job = |&(fold, i): &(usize, usize)| -> Result<Ranker, LearnError> {
        let spec = specs[i];
        let training = &fold_parts[fold].training;
        table(&design, training, &strata, &population, spec.weighting()).and_then(|t| fit(spec, &t))
    };
    let fits: Vec<Result<Ranker, LearnError>> = if options.parallelism.is_parallel(n) {
        options
            .parallelism
            .install(|| jobs.par_iter().map(fit_job).collect())
    } else {
        jobs.iter().map(fit_job).collect()
    };
    let mut fits = jobs.iter().zip(fits).peekable();
    phases.mark("validation fits");
    for (fold, part) in fold_parts.iter().enumerate() {
        let FoldPart {
            sources: fold_sources,
            validation,
            training,
        } = part;
        if fold_sources.is_empty() {
            continue;
        }
        let mut rankers: Vec<(usize, Ranker)> = Vec::new();
        while let Some((&(_, i), result)) = fits.next_if(|((f, _), _)| *f == fold) {
            match result {
                Ok(r) => rankers.push((i, r)),
                Err(e) => warnings.push(format!("a model could not be fitted: {e}")),
            }
        }
        rankers.extend(
            Heuristic::ALL
                .iter()
                .enumerate()
                .map(|(j, &h)| (specs.len() + j, Ranker::Heuristic(h))),
        );
        let training_set: HashSet<(u32, u32)> = training.iter().map(|p| p.pair).collect();
        let validation_set: HashSet<(u32, u32)> = validation.iter().map(|p| p.pair).collect();
        let list: Vec<Ranker> = rankers.iter().map(|r| r.1.clone()).collect();
        let figures = measure(
            &Ground {
                graph: split.graph,
                structure: &structure,
                data: split.data,
                space,
                sources: fold_sources,
            },
            &list,
            &validation_set,
            &training_set,
            options.auc_negatives,
            options.seed,
            &options.parallelism,
        )
        .figures;
        for ((i, ranker), f) in rankers.into_iter().zip(figures) {
            pools[i].add(&f);
            if i < specs.len() {
                fitted[i] = Some(ranker);
            }
        }
        folds_used += 1;
        training_sum += training.len();
        validation_sum += validation.len();
    }
    phases.mark("validation folds (fits, ranking)");

    // Pooled figures of the rankers measured in every fold.
    let complexity = |i: usize| -> usize {
        match specs.get(i) {
            None => 0,
            Some(Spec::Logistic(l2, _)) => {
                1 + options.l2.iter().filter(|&&other| other > *l2).count()
            }
            Some(Spec::Trees(..)) => 1 + options.l2.len(),
        }
    };
    let measured: Vec<(usize, Figures)> = (0..entries)
        .filter(|&i| pools[i].folds == folds_used && folds_used > 0)
        .map(|i| {
            let name = match specs.get(i) {
                Some(_) => fitted[i].as_ref().map_or_else(String::new, Ranker::name),
                None => Heuristic::ALL[i - specs.len()].name().to_string(),
            };
            (i, pools[i].figures(name, i < specs.len()))
        })
        .collect();
    let best = choose(&measured, complexity);
    let candidates: Vec<Figures> = measured.into_iter().map(|(_, f)| f).collect();

    // Refit the chosen model on every positive.
    let all: Vec<&PairItem> = positives.iter().map(|p| &p.1).collect();
    let ranker = match best {
        Some(i) if i < specs.len() => {
            let spec = specs[i];
            match table(&design, &all, &strata, &population, spec.weighting())
                .and_then(|t| fit(spec, &t))
            {
                Ok(r) => r,
                Err(e) => {
                    warnings.push(format!("refitting on every hidden tie failed ({e}); the model fitted on the last fold ranks"));
                    fitted[i]
                        .clone()
                        .unwrap_or(Ranker::Heuristic(Heuristic::Cn))
                }
            }
        }
        Some(i) => Ranker::Heuristic(Heuristic::ALL[i - specs.len()]),
        None => Ranker::Heuristic(Heuristic::ALL[0]),
    };
    if learn && !ranker.is_learned() && candidates.iter().any(|c| c.learned) {
        warnings.push(format!(
            "no model ranked the hidden ties better than the single heuristic `{}` on validation, so it ranks instead",
            ranker.name()
        ));
    }
    if validation_sum == 0 {
        warnings.push(
            "no hidden tie was left for validation: the heuristic was chosen without evidence"
                .to_string(),
        );
    }
    phases.mark("refit");
    let features = match &ranker {
        Ranker::Random(_) | Ranker::Heuristic(_) => Vec::new(),
        Ranker::Logistic { model, .. } => FEATURE_NAMES
            .iter()
            .zip(model.coefficients())
            .map(|(&feature, &weight)| FeatureWeight { feature, weight })
            .collect(),
        Ranker::Trees { model, .. } => FEATURE_NAMES
            .iter()
            .zip(model.importances())
            .map(|(&feature, weight)| FeatureWeight { feature, weight })
            .collect(),
    };
    Trained {
        card: ModelCard {
            chosen: ranker.name(),
            learned: ranker.is_learned(),
            sources: space.sources.len(),
            sources_used: sources.len(),
            positives: positive_set.len(),
            training_positives: training_sum / folds_used.max(1),
            validation_positives: validation_sum,
            validation_folds: folds_used,
            negative_population: population,
            negatives_sampled: [0, 1, 2].map(|s| strata[s].len()),
            candidates,
            features,
            warnings,
            seed: options.seed,
        },
        ranker,
    }
}

/// The ranker chosen among `measured` (entry, pooled figures): the most hits in the top
/// 100, then in the top 1,000; on ties the simpler ranker (lower `complexity`: a single
/// heuristic, then logistic regression from the strongest penalty, then trees), then the
/// higher AUC, then the first. Returns the entry.
fn choose(measured: &[(usize, Figures)], complexity: impl Fn(usize) -> usize) -> Option<usize> {
    measured
        .iter()
        .enumerate()
        .max_by(|(x_at, (x_i, x)), (y_at, (y_i, y))| {
            (x.hits[1], x.hits[2])
                .cmp(&(y.hits[1], y.hits[2]))
                .then(complexity(*y_i).cmp(&complexity(*x_i)))
                .then(nan_low(x.auc).total_cmp(&nan_low(y.auc)))
                .then(y_at.cmp(x_at))
        })
        .map(|(_, (i, _))| *i)
}

/// A validation fold: its sources, the positives it validates and those its models learn.
struct FoldPart<'p> {
    sources: Vec<u32>,
    validation: Vec<&'p PairItem>,
    training: Vec<&'p PairItem>,
}

/// One ranker's figures summed over the validation folds.
#[derive(Debug, Clone, Default)]
struct Pool {
    folds: usize,
    hits: [usize; 3],
    auc: Vec<f64>,
}

impl Pool {
    fn add(&mut self, f: &Figures) {
        self.folds += 1;
        for (sum, h) in self.hits.iter_mut().zip(f.hits) {
            *sum += h;
        }
        if !f.auc.is_nan() {
            self.auc.push(f.auc);
        }
    }

    /// The pooled figures: hits summed, precision over every fold's top k, AUC averaged.
    fn figures(&self, method: String, learned: bool) -> Figures {
        let hits = self.hits;
        Figures {
            method,
            learned,
            hits,
            precision: [0, 1, 2].map(|i| hits[i] as f64 / (REPORT_K[i] * self.folds.max(1)) as f64),
            auc: if self.auc.is_empty() {
                f64::NAN
            } else {
                self.auc.iter().sum::<f64>() / self.auc.len() as f64
            },
        }
    }
}

fn nan_low(x: f64) -> f64 {
    if x.is_nan() {
        f64::NEG_INFINITY
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::link_model::rank::rank_pairs;
    use crate::algo::link_model::ranker::Prepared;
    use crate::graph::Csr;

    /// A graph where new ties close triangles: positives share partners, so a model (or cn)
    /// finds them; random pairs mostly do not.
    fn triadic(seed: u64, n: u32) -> (Csr, Vec<(u32, u32)>) {
        let mut rng = crate::algo::rng::SplitMix64::new(seed);
        let mut ties: Vec<(u32, u32)> = Vec::new();
        let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n as usize];
        let add = |a: u32, b: u32, ties: &mut Vec<(u32, u32)>, adj: &mut Vec<Vec<u32>>| {
            if a != b && !adj[a as usize].contains(&b) {
                adj[a as usize].push(b);
                adj[b as usize].push(a);
                ties.push((a.min(b), a.max(b)));
            }
        };
        for _ in 0..n * 2 {
            let a = rng.below(u64::from(n)) as u32;
            let b = rng.below(u64::from(n)) as u32;
            add(a, b, &mut ties, &mut adj);
        }
        let base = ties.len();
        for _ in 0..n * 3 {
            let a = rng.below(u64::from(n)) as u32;
            if adj[a as usize].is_empty() {
                continue;
            }
            let w = adj[a as usize][rng.below(adj[a as usize].len() as u64) as usize];
            let b = adj[w as usize][rng.below(adj[w as usize].len() as u64) as usize];
            add(a, b, &mut ties, &mut adj);
        }
        // Hide a fifth of the triadic ties.
        let hidden: Vec<(u32, u32)> = ties[base..].iter().copied().step_by(5).collect();
        let kept: Vec<(u32, u32)> = ties
            .iter()
            .copied()
            .filter(|t| !hidden.contains(t))
            .collect();
        (Csr::from_pairs(n as usize, false, &kept), hidden)
    }

    fn figures(hits: [usize; 3], auc: f64) -> Figures {
        Figures {
            method: String::new(),
            learned: false,
            hits,
            precision: [0.0; 3],
            auc,
        }
    }

    #[test]
    fn the_most_hits_win_and_ties_go_to_the_simpler_ranker() {
        // Entries 0 and 1 are models (complexity 2 and 1), 2 a heuristic (0).
        let complexity = |i: usize| [2, 1, 0][i];
        let pick = |rows: &[(usize, [usize; 3], f64)]| {
            let measured: Vec<(usize, Figures)> = rows
                .iter()
                .map(|&(i, hits, auc)| (i, figures(hits, auc)))
                .collect();
            choose(&measured, complexity)
        };
        // More hits in the top 100 win whatever the complexity or AUC.
        assert_eq!(
            pick(&[
                (0, [5, 40, 90], 0.7),
                (1, [9, 39, 99], 0.9),
                (2, [9, 39, 99], 0.9)
            ]),
            Some(0)
        );
        // Equal at 100: the top 1,000 decides.
        assert_eq!(
            pick(&[(0, [5, 40, 95], 0.7), (2, [9, 40, 90], 0.9)]),
            Some(0)
        );
        // Equal at 100 and 1,000: the simpler ranker, even with a lower AUC.
        assert_eq!(
            pick(&[
                (0, [5, 40, 90], 0.9),
                (1, [5, 40, 90], 0.8),
                (2, [1, 40, 90], 0.6)
            ]),
            Some(2)
        );
        assert_eq!(
            pick(&[(0, [5, 40, 90], 0.9), (1, [5, 40, 90], 0.8)]),
            Some(1)
        );
        // Equal in everything: the first.
        assert_eq!(
            pick(&[(1, [5, 40, 90], 0.8), (1, [5, 40, 90], 0.8)]),
            Some(1)
        );
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn the_pair_budget_bounds_the_sources_used() {
        let space = |sources: u32, targets: u32| PairSpace {
            sources: (0..sources).collect(),
            targets: (sources..sources + targets).collect(),
            same_kind: false,
        };
        let options = TrainOptions {
            max_sources: 400,
            max_pairs: 2_500_000,
            min_sources: 40,
            ..TrainOptions::default()
        };
        // 10,000 targets: 250 sources fit the budget.
        assert_eq!(sources_allowed(&space(1000, 10_000), &options), 250);
        assert_eq!(sampled_sources(&space(1000, 10_000), &options).len(), 250);
        // 100,000 targets: 25 would fit, the floor keeps 40.
        assert_eq!(sources_allowed(&space(1000, 100_000), &options), 40);
        // 1,000 targets: the cap of 400.
        assert_eq!(sources_allowed(&space(1000, 1_000), &options), 400);
        // Fewer sources than allowed: all of them, in order.
        let small = space(30, 100_000);
        assert_eq!(sampled_sources(&small, &options), small.sources);
        // The sample is a subset, ascending, the same for the same seed.
        let picked = sampled_sources(&space(1000, 100_000), &options);
        assert!(picked.windows(2).all(|w| w[0] < w[1]) && picked.iter().all(|&u| u < 1000));
        assert_eq!(picked, sampled_sources(&space(1000, 100_000), &options));
    }

    fn options(threads: usize) -> TrainOptions {
        TrainOptions {
            negatives_per_stratum: 2000,
            auc_negatives: 3000,
            parallelism: Parallelism::with_threads(threads),
            ..TrainOptions::default()
        }
    }

    /// A triadic graph of `n` nodes of one kind with a fifth of its closing ties hidden.
    struct Fixture {
        graph: Csr,
        hidden: Vec<(u32, u32)>,
        data: NodeData,
        space: PairSpace,
    }

    impl Fixture {
        fn new(seed: u64, n: u32) -> Fixture {
            let (graph, hidden) = triadic(seed, n);
            Fixture {
                graph,
                hidden,
                data: NodeData::empty(n as usize),
                space: PairSpace {
                    sources: (0..n).collect(),
                    targets: (0..n).collect(),
                    same_kind: true,
                },
            }
        }

        /// Trains on the first `positives` hidden ties (all when `None`).
        fn train(&self, positives: Option<usize>, options: &TrainOptions) -> Trained {
            let take = positives.unwrap_or(self.hidden.len());
            let split = Split {
                graph: &self.graph,
                data: &self.data,
                positives: &self.hidden[..take.min(self.hidden.len())],
            };
            train(&split, &self.space, options)
        }
    }

    #[test]
    fn learns_triadic_closure_and_beats_random_by_far() {
        let trained = Fixture::new(3, 400).train(None, &options(1));
        let card = &trained.card;
        assert!(card.positives >= 100, "{card:?}");
        let chosen = card
            .candidates
            .iter()
            .find(|c| c.method == card.chosen)
            .unwrap();
        // A random ranking finds about 100 · 50 / 78,000 ≈ 0.06 validation positives in its
        // top 100.
        assert!(chosen.hits[1] >= 5, "{card:#?}");
        assert!(chosen.auc > 0.8, "{card:#?}");
        let best_heuristic = card
            .candidates
            .iter()
            .filter(|c| !c.learned)
            .map(|c| c.hits[1])
            .max()
            .unwrap();
        assert!(chosen.hits[1] >= best_heuristic);
        assert_eq!(
            card.features.len(),
            if trained.ranker.is_learned() {
                WIDTH
            } else {
                0
            }
        );
    }

    #[test]
    fn every_hidden_tie_is_validated_once_over_the_folds() {
        let trained = Fixture::new(3, 400).train(None, &options(1));
        let card = &trained.card;
        assert_eq!(card.validation_folds, 3);
        // Every source takes part, so every hidden tie is some fold's.
        assert_eq!(card.validation_positives, card.positives);
        // Each fold fits on the others' positives: about two thirds.
        assert!(card.training_positives * 2 > card.positives, "{card:?}");
        assert!(card.training_positives < card.positives, "{card:?}");
        for c in &card.candidates {
            assert!(
                (c.precision[1] - c.hits[1] as f64 / 300.0).abs() < 1e-12,
                "{c:?}"
            );
        }
    }

    #[test]
    fn the_same_at_any_thread_count() {
        let fixture = Fixture::new(5, 300);
        let one = fixture.train(None, &options(1));
        let three = fixture.train(None, &options(3));
        let (g, data, space) = (&fixture.graph, &fixture.data, &fixture.space);
        assert_eq!(one, three);
        let structure = Structure::of(g, 42);
        let ground = Ground::whole(g, &structure, data, space);
        let a = rank_pairs(&ground, &one.ranker, 50, 42, &Parallelism::with_threads(1));
        let b = rank_pairs(&ground, &one.ranker, 50, 42, &Parallelism::with_threads(4));
        assert_eq!(a, b);
        assert_eq!(a.len(), 50);
        assert!(a.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn prepared_logistic_scores_equal_the_row_scores() {
        let (g, hidden) = triadic(11, 200);
        let mut data = NodeData::empty(200);
        for v in 0..200 {
            data.activity[v] = (v % 7) as f64;
            data.amount[v] = (v % 5) as f64 * 10.0;
            data.fields[v] = vec![(v % 3) as u32];
        }
        let s = Structure::of(&g, 1);
        let design = Design::new(&s, &data, true);
        let mut samples = Samples::new(WIDTH);
        let mut row = [0.0; WIDTH];
        for (i, &(u, v)) in hidden.iter().enumerate() {
            let f = crate::algo::link_features::pair_features(&g, &s, &data, u, v);
            design.row(u, v, &f, &mut row);
            samples.push(&row, true, 1.0).unwrap();
            let w = (u + 37 * (i as u32 + 1)) % 200;
            let f = crate::algo::link_features::pair_features(&g, &s, &data, u, w);
            design.row(u, w, &f, &mut row);
            samples.push(&row, false, 1.0).unwrap();
        }
        let ranker = fit(Spec::Logistic(0.1, Weighting::Population), &samples).unwrap();
        let prepared = Prepared::new(&ranker, &design, 200);
        for u in (0..200).step_by(13) {
            for v in (0..200).step_by(7) {
                if u == v {
                    continue;
                }
                let pair = (u.min(v), u.max(v));
                let f = crate::algo::link_features::pair_features(&g, &s, &data, pair.0, pair.1);
                design.row(pair.0, pair.1, &f, &mut row);
                let a = ranker.score(pair, &f, &row);
                let b = prepared.score_pair(&design, pair, &f);
                assert!((a - b).abs() < 1e-9, "{pair:?}: {a} {b}");
            }
        }
    }

    #[test]
    fn too_few_ties_fall_back_to_a_heuristic_and_say_so() {
        let trained = Fixture::new(7, 200).train(Some(10), &options(1));
        assert!(!trained.ranker.is_learned());
        assert!(trained.card.warnings[0].contains("too small or too sparse"));
        assert_eq!(trained.card.validation_positives, 10);
        assert!(trained.card.candidates.iter().all(|c| !c.learned));
    }
}
