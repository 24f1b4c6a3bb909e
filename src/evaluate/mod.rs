//! Held-out evaluation of the link-prediction scores behind `gaps`: an experiment harness
//! above the query layer (it imports CORDIS and generates a synthetic ecosystem into
//! temporary stores, then scores them with the same context `gaps` uses).
//!
//! **Protocol.** On a store's collab view, a seeded random share (`holdout`, 10 % by
//! default) of the *projects* is held out. The training graph keeps every tie that has at
//! least one reason other than a held-out project (another project, a contract, an
//! incubation, a platform, a direct collaboration). Positives are the organisation pairs
//! that meet in held-out projects but are not tied in the training graph — future
//! collaborations, without leakage through a remaining shared project. Negatives are a
//! seeded uniform sample of organisation pairs untied in the whole collab view
//! (`negatives` per positive, 20 by default). Every score is computed on the training graph
//! (fields and districts are node attributes and stay). Reported per score:
//! - **AUC**: the probability that a random positive outscores a random negative, ties
//!   counting one half (Mann–Whitney);
//! - **precision@k**: the share of positives among the `k` best-scored pairs, for `k = 100`
//!   and `k` = the number of positives; equal scores are ordered by one seeded random
//!   permutation shared by all scores, so a constant score gets random precision;
//! - **random**: a seeded uniform random score, the floor.
//!
//! [`evaluate_gaps`] runs the protocol on CORDIS H2020 (imported into a temporary store)
//! and on a generated Shanghai ecosystem (likewise).

pub mod holdout;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::algo::linkpred::{Attributes, Blend, Method, PairScores, Scorer};
use crate::algo::rng::SplitMix64;
use crate::graph::Csr;
use crate::ingest::{self, Files, ImportOptions, InputFile};
use crate::model::Schema;
use crate::query::{activity, CollabContext, QueryError};
use crate::store::{Snapshot, Store};

/// Options of the evaluation protocol.
#[derive(Debug, Clone)]
pub struct EvaluateRequest {
    /// Share of projects held out.
    pub holdout: f64,
    /// Seed of the hold-out, the negative sample, the random score and tie-breaking.
    pub seed: u64,
    /// Negatives sampled per positive.
    pub negatives: usize,
    /// Weights of the combined score.
    pub blend: Blend,
    /// Only pairs whose two ends both have a training tie (positives and negatives alike).
    pub core_only: bool,
}

impl Default for EvaluateRequest {
    fn default() -> Self {
        EvaluateRequest {
            holdout: 0.1,
            seed: 42,
            negatives: 20,
            blend: Blend::default(),
            core_only: true,
        }
    }
}

impl EvaluateRequest {
    /// Checks the options.
    pub fn validate(&self) -> Result<(), QueryError> {
        if !(self.holdout > 0.0 && self.holdout < 1.0) {
            return Err(QueryError::BadParameter(
                "--holdout must be between 0 and 1 (exclusive)".into(),
            ));
        }
        if self.negatives == 0 {
            return Err(QueryError::BadParameter(
                "--negatives must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

/// One score's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodResult {
    /// `random`, `cn`, `aa`, `ra`, `pa` or `combined`.
    pub method: String,
    /// Area under the ROC curve.
    pub auc: f64,
    /// Precision among the 100 best-scored pairs.
    pub precision_at_100: f64,
    /// Precision among the best-scored pairs as many as the positives (R-precision).
    pub precision_at_positives: f64,
}

/// The evaluation on one dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetEvaluation {
    /// What was evaluated.
    pub dataset: String,
    /// `core` (both ends of every pair have a training tie) or `all`.
    pub scope: String,
    /// Organisations (collab view nodes).
    pub organisations: usize,
    /// Projects in all.
    pub projects: usize,
    /// Projects held out.
    pub held_out_projects: usize,
    /// Ties of the training graph.
    pub training_ties: usize,
    /// Positive pairs.
    pub positives: usize,
    /// Positives whose two ends both have a training tie.
    pub positives_both_seen: usize,
    /// Negative pairs.
    pub negatives: usize,
    /// One row per score, random first.
    pub results: Vec<MethodResult>,
}

/// The figures of one pair set: the scores of every pair and which are positive.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Scores of every pair.
    pub scores: Vec<PairScores>,
    /// Whether each pair is positive.
    pub positive: Vec<bool>,
}

/// Area under the ROC curve of `scores` against `positive` (Mann–Whitney U with average
/// ranks for ties); `NaN` without positives or negatives.
pub fn auc(scores: &[f64], positive: &[bool]) -> f64 {
    let n_pos = positive.iter().filter(|&&p| p).count();
    let n_neg = positive.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return f64::NAN;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        // Ranks i+1 ..= j+1 share their average.
        let average = (i + j + 2) as f64 / 2.0;
        for &k in &order[i..=j] {
            if positive[k] {
                rank_sum += average;
            }
        }
        i = j + 1;
    }
    (rank_sum - (n_pos * (n_pos + 1)) as f64 / 2.0) / (n_pos as f64 * n_neg as f64)
}

/// Share of positives among the `k` best `scores`, equal scores ordered by `tiebreak`
/// (ascending).
pub fn precision_at(scores: &[f64], positive: &[bool], tiebreak: &[u64], k: usize) -> f64 {
    if k == 0 {
        return f64::NAN;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .total_cmp(&scores[a])
            .then(tiebreak[a].cmp(&tiebreak[b]))
    });
    let hits = order.iter().take(k).filter(|&&i| positive[i]).count();
    hits as f64 / k.min(scores.len()).max(1) as f64
}

/// Builds the training graph and the positive and negative pairs of `snapshot`, and scores
/// them.
pub fn evaluate_snapshot(
    snapshot: &Snapshot,
    schema: &Schema,
    dataset: &str,
    request: &EvaluateRequest,
) -> Result<(DatasetEvaluation, Sample), QueryError> {
    request.validate()?;
    let ctx = CollabContext::build(snapshot, schema)?;
    let n = ctx.view.nodes.len();
    let mut rng = SplitMix64::new(request.seed ^ 0x005e_ed0f_6a95);
    // Hold out projects.
    let projects: Vec<u32> = match snapshot.node_kind_code_of("project") {
        None => Vec::new(),
        Some(c) => (0..snapshot.node_count() as u32)
            .filter(|&v| snapshot.node_kind_code(v) == c)
            .collect(),
    };
    let mut shuffled = projects.clone();
    for i in (1..shuffled.len()).rev() {
        let j = rng.index(i + 1);
        shuffled.swap(i, j);
    }
    let held = ((projects.len() as f64) * request.holdout).round() as usize;
    let mut held_out = vec![false; snapshot.node_count()];
    for &p in &shuffled[..held] {
        held_out[p as usize] = true;
    }
    let shared_project = ctx
        .view
        .rule_names
        .iter()
        .position(|r| r == "shared_project")
        .map(|i| i as u16);
    let mut train: Vec<(u32, u32)> = Vec::new();
    let mut positives: Vec<(u32, u32)> = Vec::new();
    for tie in &ctx.view.ties {
        let kept = tie
            .reasons
            .iter()
            .any(|r| Some(r.rule) != shared_project || !held_out[r.via as usize]);
        if kept {
            train.push((tie.a, tie.b));
        } else {
            positives.push((tie.a, tie.b));
        }
    }
    let graph = Csr::from_pairs(n, false, &train);
    let seen = |v: u32| !graph.out_neighbors(v as usize).is_empty();
    let positives_both_seen = positives
        .iter()
        .filter(|&&(a, b)| seen(a) && seen(b))
        .count();
    if request.core_only {
        positives.retain(|&(a, b)| seen(a) && seen(b));
    }
    // Negatives: untied in the whole view, among the nodes of the scope.
    let pool: Vec<u32> = (0..n as u32)
        .filter(|&v| !request.core_only || seen(v))
        .collect();
    let p = pool.len();
    let wanted = positives.len() * request.negatives;
    // Untied pairs of the pool, at most.
    let total_pairs = p.saturating_mul(p.saturating_sub(1)) / 2;
    let available = total_pairs.saturating_sub(train.len() + positives.len());
    let wanted = wanted.min(available);
    let mut negatives: HashSet<(u32, u32)> = HashSet::new();
    let mut negative_list: Vec<(u32, u32)> = Vec::new();
    while negative_list.len() < wanted {
        let (a, b) = (pool[rng.index(p)], pool[rng.index(p)]);
        if a == b {
            continue;
        }
        let key = (a.min(b), a.max(b));
        if ctx.tied(key.0, key.1) || !negatives.insert(key) {
            continue;
        }
        negative_list.push(key);
    }
    let attributes = Attributes {
        fields: ctx.attributes.fields.clone(),
        districts: ctx.attributes.districts.clone(),
        activity: activity(&ctx.view, |r| {
            Some(r.rule) != shared_project || !held_out[r.via as usize]
        }),
    };
    let scorer = Scorer::new(&graph, &attributes);
    let mut sample = Sample {
        scores: Vec::new(),
        positive: Vec::new(),
    };
    for &(a, b) in &positives {
        sample.scores.push(scorer.scores(a, b));
        sample.positive.push(true);
    }
    for &(a, b) in &negative_list {
        sample.scores.push(scorer.scores(a, b));
        sample.positive.push(false);
    }
    let results = measure(&sample, &request.blend, request.seed);
    Ok((
        DatasetEvaluation {
            dataset: dataset.to_string(),
            scope: if request.core_only { "core" } else { "all" }.to_string(),
            organisations: n,
            projects: projects.len(),
            held_out_projects: held,
            training_ties: train.len(),
            positives: positives.len(),
            positives_both_seen,
            negatives: negative_list.len(),
            results,
        },
        sample,
    ))
}

/// AUC and precision of every score (and of a random one) on a scored sample.
pub fn measure(sample: &Sample, blend: &Blend, seed: u64) -> Vec<MethodResult> {
    let mut rng = SplitMix64::new(seed ^ 0x7a1e_b4ea);
    let tiebreak: Vec<u64> = sample.scores.iter().map(|_| rng.next_u64()).collect();
    let random: Vec<f64> = sample.scores.iter().map(|_| rng.next_f64()).collect();
    let n_pos = sample.positive.iter().filter(|&&p| p).count();
    let row = |name: &str, scores: &[f64]| MethodResult {
        method: name.to_string(),
        auc: auc(scores, &sample.positive),
        precision_at_100: precision_at(scores, &sample.positive, &tiebreak, 100),
        precision_at_positives: precision_at(scores, &sample.positive, &tiebreak, n_pos),
    };
    let mut out = vec![row("random", &random)];
    for method in Method::ALL {
        let scores: Vec<f64> = sample.scores.iter().map(|s| s.get(method, blend)).collect();
        out.push(row(method.name(), &scores));
    }
    out
}

/// One blend tried by [`tune_blend`], with its figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TunedBlend {
    /// The weights.
    pub blend: Blend,
    /// Mean AUC of the combined score over the samples.
    pub auc: f64,
    /// Mean precision@100.
    pub precision_at_100: f64,
    /// Mean precision@positives.
    pub precision_at_positives: f64,
    /// The objective: mean AUC + mean precision@positives.
    pub objective: f64,
}

/// Grid search of the combined score's weights on `samples` (the field weight kept at its
/// default): every blend tried, best objective first (AUC plus
/// precision@positives, averaged over the samples). Tune on seeds other than the one you
/// report.
pub fn tune_blend(samples: &[Sample], seed: u64) -> Vec<TunedBlend> {
    const AA: [f64; 5] = [0.0, 0.05, 0.1, 0.2, 0.5];
    const RA: [f64; 4] = [0.0, 0.5, 1.0, 2.0];
    const DISTRICT: [f64; 4] = [0.0, 0.02, 0.05, 0.1];
    const ATTACHMENT: [(f64, f64); 5] =
        [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (0.5, 1.0), (1.0, 0.5)];
    let mut out = Vec::new();
    for (pa, activity) in ATTACHMENT {
        for aa in AA {
            for ra in RA {
                for district in DISTRICT {
                    let blend = Blend {
                        aa,
                        ra,
                        pa,
                        activity,
                        district,
                        ..Blend::default()
                    };
                    let (mut auc_sum, mut p100, mut pp) = (0.0, 0.0, 0.0);
                    for sample in samples {
                        let mut rng = SplitMix64::new(seed ^ 0x7a1e_b4ea);
                        let tiebreak: Vec<u64> =
                            sample.scores.iter().map(|_| rng.next_u64()).collect();
                        let scores: Vec<f64> =
                            sample.scores.iter().map(|x| x.combined(&blend)).collect();
                        let n_pos = sample.positive.iter().filter(|&&p| p).count();
                        auc_sum += auc(&scores, &sample.positive);
                        p100 += precision_at(&scores, &sample.positive, &tiebreak, 100);
                        pp += precision_at(&scores, &sample.positive, &tiebreak, n_pos);
                    }
                    let k = samples.len().max(1) as f64;
                    out.push(TunedBlend {
                        blend,
                        auc: auc_sum / k,
                        precision_at_100: p100 / k,
                        precision_at_positives: pp / k,
                        objective: (auc_sum + pp) / k,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| b.objective.total_cmp(&a.objective));
    out
}

/// Where the datasets come from.
#[derive(Debug, Clone)]
pub struct EvaluateGapsRequest {
    /// The protocol's options.
    pub protocol: EvaluateRequest,
    /// Folder with CORDIS `organization.csv` (and optionally `topics.csv`); skipped when
    /// `None`.
    pub cordis_dir: Option<PathBuf>,
    /// Scale of the generated ecosystem; skipped when `None`.
    pub generated_scale: Option<f64>,
    /// Seed of the generator.
    pub generator_seed: u64,
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Result<TempDir, QueryError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "innograph-eval-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| {
            QueryError::BadParameter(format!("cannot create {}: {e}", dir.display()))
        })?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn import_into(dir: &Path, input: &mut dyn ingest::Input, what: &str) -> Result<Store, QueryError> {
    let (store, _) = Store::init(&dir.join("db"), Schema::builtin(), None)?;
    ingest::import(
        &store,
        input,
        ImportOptions::default(),
        &format!("import {what}"),
        &mut |_| {},
        &|| false,
    )
    .map_err(|e| QueryError::BadParameter(format!("importing {what}: {e}")))?;
    Ok(store)
}

/// Evaluates `snapshot` in both scopes, core first.
fn both_scopes(
    store: &Store,
    dataset: &str,
    request: &EvaluateRequest,
) -> Result<Vec<(DatasetEvaluation, Sample)>, QueryError> {
    let snapshot = store.snapshot()?;
    let schema = store.schema();
    [true, false]
        .into_iter()
        .map(|core_only| {
            let r = EvaluateRequest {
                core_only,
                ..request.clone()
            };
            evaluate_snapshot(&snapshot, &schema, dataset, &r)
        })
        .collect()
}

/// Imports CORDIS from `dir` into a temporary store and evaluates it, in the core scope
/// then the all scope.
pub fn evaluate_cordis(
    dir: &Path,
    request: &EvaluateRequest,
) -> Result<Vec<(DatasetEvaluation, Sample)>, QueryError> {
    request.validate()?;
    let orgs = dir.join("organization.csv");
    if !orgs.is_file() {
        return Err(QueryError::BadParameter(format!(
            "no CORDIS organization.csv in {} (set --cordis-dir or INNOGRAPH_CORDIS_DIR)",
            dir.display()
        )));
    }
    let topics = dir.join("topics.csv");
    let topics = topics.is_file().then_some(topics);
    let mut input = ingest::cordis::Cordis::read(&orgs, topics.as_deref()).map_err(|issues| {
        QueryError::BadParameter(format!(
            "the CORDIS files have problems: {}",
            issues
                .iter()
                .take(3)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;
    let tmp = TempDir::new("cordis")?;
    let store = import_into(&tmp.0, &mut input, "CORDIS")?;
    both_scopes(&store, "CORDIS H2020", request)
}

/// Generates a Shanghai ecosystem at `scale` into a temporary store and evaluates it, in
/// the core scope then the all scope.
pub fn evaluate_generated(
    scale: f64,
    generator_seed: u64,
    request: &EvaluateRequest,
) -> Result<Vec<(DatasetEvaluation, Sample)>, QueryError> {
    request.validate()?;
    let tmp = TempDir::new("generated")?;
    let files = tmp.0.join("files");
    let summary = crate::generate::generate(
        &crate::generate::GenerateOptions {
            scale,
            seed: generator_seed,
        },
        &files,
    )
    .map_err(|e| QueryError::BadParameter(format!("generating: {e}")))?;
    let mut input = Files(summary.files.iter().map(InputFile::new).collect());
    let store = import_into(&tmp.0, &mut input, "the generated ecosystem")?;
    both_scopes(
        &store,
        &format!("generated Shanghai (scale {scale}, seed {generator_seed})"),
        request,
    )
}

/// Runs the protocol on every dataset of `request`.
pub fn evaluate_gaps(request: &EvaluateGapsRequest) -> Result<Vec<DatasetEvaluation>, QueryError> {
    let mut out = Vec::new();
    if let Some(dir) = &request.cordis_dir {
        out.extend(
            evaluate_cordis(dir, &request.protocol)?
                .into_iter()
                .map(|x| x.0),
        );
    }
    if let Some(scale) = request.generated_scale {
        out.extend(
            evaluate_generated(scale, request.generator_seed, &request.protocol)?
                .into_iter()
                .map(|x| x.0),
        );
    }
    Ok(out)
}

/// The evaluations as Markdown: one section and table per dataset.
pub fn to_markdown(evaluations: &[DatasetEvaluation], blend: &Blend) -> String {
    let mut s = String::new();
    for e in evaluations {
        let scope = if e.scope == "core" {
            "pairs of organisations that both have a training tie"
        } else {
            "all pairs, organisations absent from the training graph included"
        };
        let _ = writeln!(s, "### {} — {scope}\n", e.dataset);
        let _ = writeln!(
            s,
            "{} organisations, {} projects of which {} held out; {} training ties; {} positives ({} with both ends tied in training), {} negatives.\n",
            e.organisations,
            e.projects,
            e.held_out_projects,
            e.training_ties,
            e.positives,
            e.positives_both_seen,
            e.negatives
        );
        let _ = writeln!(
            s,
            "| score | AUC | precision@100 | precision@{} |",
            e.positives
        );
        let _ = writeln!(s, "| --- | ---: | ---: | ---: |");
        for r in &e.results {
            let _ = writeln!(
                s,
                "| {} | {:.4} | {:.4} | {:.4} |",
                r.method, r.auc, r.precision_at_100, r.precision_at_positives
            );
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(
        s,
        "combined = {}·AA + {}·RA + {}·PA' + {}·A' + {}·fields + {}·districts (see `src/algo/linkpred.rs`).",
        blend.aa, blend.ra, blend.pa, blend.activity, blend.field, blend.district
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_known_rankings() {
        // Perfect, reversed, and one inversion out of four pairs.
        assert_eq!(auc(&[0.9, 0.8, 0.1, 0.2], &[true, true, false, false]), 1.0);
        assert_eq!(auc(&[0.1, 0.2, 0.9, 0.8], &[true, true, false, false]), 0.0);
        assert_eq!(
            auc(&[0.9, 0.3, 0.5, 0.1], &[true, true, false, false]),
            0.75
        );
        // All tied: one half.
        assert_eq!(auc(&[1.0; 4], &[true, false, true, false]), 0.5);
        // A tie between one positive and one negative counts one half: (1 + 0.5) / 2.
        assert_eq!(auc(&[0.5, 0.5, 0.1], &[true, false, false]), 0.75);
        assert!(auc(&[1.0], &[true]).is_nan());
    }

    #[test]
    fn precision_breaks_ties_by_the_given_order() {
        let scores = [3.0, 2.0, 2.0, 1.0];
        let positive = [true, false, true, false];
        assert_eq!(precision_at(&scores, &positive, &[0, 1, 2, 3], 2), 0.5);
        assert_eq!(precision_at(&scores, &positive, &[0, 2, 1, 3], 2), 1.0);
        assert_eq!(precision_at(&scores, &positive, &[0, 1, 2, 3], 4), 0.5);
    }
}
