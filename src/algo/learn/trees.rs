//! Gradient-boosted decision trees for binary labels (Friedman 2001, "Greedy function
//! approximation: a gradient boosting machine"), with the second-order leaf values and
//! split gain of XGBoost (Chen & Guestrin 2016).
//!
//! Each round fits one regression tree to the gradients `g_i = p_i − y_i` and curvatures
//! `h_i = p_i (1 − p_i)` of the logistic loss at the current log-odds (each times the
//! sample's weight). A split sends `x_j ≤ t` left; its gain is
//!
//! ```text
//! G_L² / (H_L + λ) + G_R² / (H_R + λ) − G² / (H + λ)
//! ```
//!
//! and a leaf's value is `−η · G / (H + λ)` (`η` the learning rate). Candidate thresholds
//! are at most `bins` quantiles of each feature's training values, found once; trees grow
//! level by level to `depth`, a split needing a child curvature of at least
//! `min_child_weight` and a positive gain. Sample weights are rescaled to mean 1.
//!
//! Fitting is sequential, hence deterministic. Prediction compares raw feature values with
//! the thresholds, so it needs no binning.

#[cfg(test)]
use super::log_loss;
use serde::{Deserialize, Serialize};

use super::{sigmoid, LearnError, Samples};

/// Options of [`fit_boosted_trees`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoostOptions {
    /// Number of trees.
    pub rounds: usize,
    /// Largest depth of a tree (1 = stumps).
    pub depth: usize,
    /// Shrinkage η of every leaf value.
    pub learning_rate: f64,
    /// L2 penalty λ on leaf values.
    pub l2: f64,
    /// Smallest summed curvature of a child.
    pub min_child_weight: f64,
    /// Largest number of candidate thresholds per feature.
    pub bins: usize,
}

impl Default for BoostOptions {
    fn default() -> Self {
        BoostOptions {
            rounds: 100,
            depth: 3,
            learning_rate: 0.1,
            l2: 1.0,
            min_child_weight: 1.0,
            bins: 32,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Node {
    Split {
        feature: u32,
        threshold: f64,
        left: u32,
        right: u32,
    },
    Leaf(f64),
}

/// A fitted ensemble (serialisable, so a trained ranker can be kept; check a read one with
/// [`BoostedTrees::is_sound`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoostedTrees {
    base: f64,
    /// Trees, each a node array with its root first.
    trees: Vec<Vec<Node>>,
    gain: Vec<f64>,
}

impl BoostedTrees {
    /// Whether the ensemble reads rows of `width` features and every walk down a tree ends
    /// at a leaf: each split names a feature below `width` and children after itself, within
    /// the tree (so a model read back from a file can neither index out of a row nor loop).
    pub fn is_sound(&self, width: usize) -> bool {
        self.base.is_finite()
            && self.gain.len() == width
            && self.trees.iter().all(|tree| {
                !tree.is_empty()
                    && tree.iter().enumerate().all(|(i, node)| match *node {
                        Node::Leaf(v) => v.is_finite(),
                        Node::Split {
                            feature,
                            threshold,
                            left,
                            right,
                        } => {
                            (feature as usize) < width
                                && !threshold.is_nan()
                                && [left, right]
                                    .iter()
                                    .all(|&c| (c as usize) > i && (c as usize) < tree.len())
                        }
                    })
            })
    }

    /// The log-odds of a raw feature row.
    pub fn decision(&self, row: &[f64]) -> f64 {
        let mut z = self.base;
        for tree in &self.trees {
            let mut i = 0usize;
            loop {
                match tree[i] {
                    Node::Leaf(v) => {
                        z += v;
                        break;
                    }
                    Node::Split {
                        feature,
                        threshold,
                        left,
                        right,
                    } => {
                        i = if row[feature as usize] <= threshold {
                            left as usize
                        } else {
                            right as usize
                        };
                    }
                }
            }
        }
        z
    }

    /// The fitted probability of a positive label.
    pub fn probability(&self, row: &[f64]) -> f64 {
        sigmoid(self.decision(row))
    }

    /// Each feature's share of the total split gain (sums to 1 when any split was made).
    pub fn importances(&self) -> Vec<f64> {
        let total: f64 = self.gain.iter().sum();
        self.gain
            .iter()
            .map(|g| if total > 0.0 { g / total } else { 0.0 })
            .collect()
    }

    /// Number of trees.
    pub fn len(&self) -> usize {
        self.trees.len()
    }

    /// Whether the ensemble has no tree.
    pub fn is_empty(&self) -> bool {
        self.trees.is_empty()
    }
}

/// Candidate thresholds of one feature: up to `bins` quantiles of its distinct values, the
/// largest value excluded (nothing would go right of it).
fn thresholds(values: &mut [f64], bins: usize) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let mut distinct: Vec<f64> = Vec::new();
    for &x in values.iter() {
        if distinct.last() != Some(&x) {
            distinct.push(x);
        }
    }
    distinct.pop();
    if distinct.len() <= bins {
        return distinct;
    }
    let n = values.len();
    let mut out: Vec<f64> = (1..=bins)
        .map(|q| values[(q * n / (bins + 1)).min(n - 1)])
        .collect();
    out.dedup();
    let max = values[n - 1];
    out.retain(|&t| t < max);
    out
}

/// Per-sample bin index of every feature: `bin = number of thresholds < x`, so that
/// `x ≤ thresholds[b]` exactly when `bin ≤ b`.
struct Binned {
    width: usize,
    cuts: Vec<Vec<f64>>,
    bins: Vec<u16>,
    /// Where each feature's bins start in a histogram of all features.
    offsets: Vec<usize>,
}

impl Binned {
    fn new(samples: &Samples, max_bins: usize) -> Binned {
        let width = samples.width();
        let n = samples.len();
        let mut cuts = Vec::with_capacity(width);
        let mut column = vec![0.0; n];
        for j in 0..width {
            for (i, c) in column.iter_mut().enumerate() {
                *c = samples.row(i)[j];
            }
            cuts.push(thresholds(&mut column, max_bins));
        }
        let mut bins = vec![0u16; n * width];
        for i in 0..n {
            for (j, c) in cuts.iter().enumerate() {
                let x = samples.row(i)[j];
                bins[i * width + j] = c.partition_point(|&t| t < x) as u16;
            }
        }
        let mut offsets = vec![0];
        for c in &cuts {
            offsets.push(offsets[offsets.len() - 1] + c.len() + 1);
        }
        Binned {
            width,
            cuts,
            bins,
            offsets,
        }
    }
}

/// One node being grown: its samples, its gradient sums and (when it may split) the
/// histogram of its samples' gradients over every feature's bins.
struct Open {
    node: usize,
    samples: Vec<u32>,
    g: f64,
    h: f64,
    hist: Vec<(f64, f64)>,
}

struct Split {
    feature: usize,
    bin: usize,
    gain: f64,
}

/// The histograms of every feature summed in one pass over `samples` (each sample's row of
/// bins is contiguous) into `hist`, cleared first.
fn histogram(
    samples: &[u32],
    data: &Binned,
    grad: &[f64],
    hess: &[f64],
    hist: &mut Vec<(f64, f64)>,
) {
    hist.clear();
    hist.resize(data.offsets[data.width], (0.0, 0.0));
    for &i in samples {
        let i = i as usize;
        let (g, h) = (grad[i], hess[i]);
        let row = &data.bins[i * data.width..(i + 1) * data.width];
        for (&offset, &b) in data.offsets.iter().zip(row) {
            let cell = &mut hist[offset + b as usize];
            cell.0 += g;
            cell.1 += h;
        }
    }
}

/// The best split of `open`, scanning its histogram feature by feature.
fn best_split(open: &Open, data: &Binned, options: &BoostOptions) -> Option<Split> {
    let parent = open.g * open.g / (open.h + options.l2);
    let mut best: Option<Split> = None;
    for j in 0..data.width {
        let nb = data.cuts[j].len() + 1;
        if nb < 2 {
            continue;
        }
        let (mut gl, mut hl) = (0.0, 0.0);
        for (b, &(g, h)) in open.hist[data.offsets[j]..data.offsets[j] + nb - 1]
            .iter()
            .enumerate()
        {
            gl += g;
            hl += h;
            let (gr, hr) = (open.g - gl, open.h - hl);
            if hl < options.min_child_weight || hr < options.min_child_weight {
                continue;
            }
            let gain = gl * gl / (hl + options.l2) + gr * gr / (hr + options.l2) - parent;
            if gain > 1e-12 && best.as_ref().is_none_or(|s| gain > s.gain) {
                best = Some(Split {
                    feature: j,
                    bin: b,
                    gain,
                });
            }
        }
    }
    best
}

/// Grows one tree on the gradients and adds each sample's leaf value to its log-odds `z`
/// (the samples of a leaf are exactly those the tree sends there: `x ≤ cuts[b]` exactly
/// when `bin ≤ b`). Of two children that may split, only the smaller one's histogram is
/// summed; the larger one's is the parent's minus it (LightGBM's subtraction trick), so a
/// level costs at most half the samples.
fn grow_tree(
    data: &Binned,
    grad: &[f64],
    hess: &[f64],
    options: &BoostOptions,
    gain: &mut [f64],
    z: &mut [f64],
) -> Vec<Node> {
    let n = grad.len();
    let mut nodes = vec![Node::Leaf(0.0)];
    let samples: Vec<u32> = (0..n as u32).collect();
    let mut hist = Vec::new();
    histogram(&samples, data, grad, hess, &mut hist);
    let mut level = vec![Open {
        node: 0,
        samples,
        g: grad.iter().sum(),
        h: hess.iter().sum(),
        hist,
    }];
    let leaf = |o: &Open, z: &mut [f64]| {
        let value = -options.learning_rate * o.g / (o.h + options.l2);
        for &i in &o.samples {
            z[i as usize] += value;
        }
        Node::Leaf(value)
    };
    for depth in 0..=options.depth {
        let mut next = Vec::new();
        for open in level {
            let split = if depth < options.depth {
                best_split(&open, data, options)
            } else {
                None
            };
            let Some(split) = split else {
                nodes[open.node] = leaf(&open, z);
                continue;
            };
            gain[split.feature] += split.gain;
            let (mut left, mut right) = (Vec::new(), Vec::new());
            for &i in &open.samples {
                if (data.bins[i as usize * data.width + split.feature] as usize) <= split.bin {
                    left.push(i);
                } else {
                    right.push(i);
                }
            }
            let sums = |s: &[u32]| {
                s.iter().fold((0.0, 0.0), |(g, h), &i| {
                    (g + grad[i as usize], h + hess[i as usize])
                })
            };
            let (gl, hl) = sums(&left);
            // The children's histograms, when they may split in turn.
            let (mut hist_l, mut hist_r) = (Vec::new(), Vec::new());
            if depth + 1 < options.depth {
                let mut parent = open.hist;
                let (small, small_hist) = if left.len() <= right.len() {
                    (&left, &mut hist_l)
                } else {
                    (&right, &mut hist_r)
                };
                histogram(small, data, grad, hess, small_hist);
                for (p, c) in parent.iter_mut().zip(small_hist.iter()) {
                    p.0 -= c.0;
                    p.1 -= c.1;
                }
                if hist_l.is_empty() {
                    hist_l = parent;
                } else {
                    hist_r = parent;
                }
            }
            let (l, r) = (nodes.len(), nodes.len() + 1);
            nodes.push(Node::Leaf(0.0));
            nodes.push(Node::Leaf(0.0));
            nodes[open.node] = Node::Split {
                feature: split.feature as u32,
                threshold: data.cuts[split.feature][split.bin],
                left: l as u32,
                right: r as u32,
            };
            next.push(Open {
                node: l,
                samples: left,
                g: gl,
                h: hl,
                hist: hist_l,
            });
            next.push(Open {
                node: r,
                samples: right,
                g: open.g - gl,
                h: open.h - hl,
                hist: hist_r,
            });
        }
        level = next;
        if level.is_empty() {
            break;
        }
    }
    nodes
}

/// Fits the ensemble of the module documentation to `samples`.
pub fn fit_boosted_trees(
    samples: &Samples,
    options: &BoostOptions,
) -> Result<BoostedTrees, LearnError> {
    samples.check_learnable()?;
    if options.depth == 0 || options.bins == 0 || options.bins > u16::MAX as usize {
        return Err(LearnError::BadOption(
            "depth must be ≥ 1 and bins between 1 and 65535",
        ));
    }
    let rate_ok = options.learning_rate > 0.0 && options.learning_rate.is_finite();
    let l2_ok = options.l2 >= 0.0 && options.l2.is_finite();
    if !(rate_ok && l2_ok) {
        return Err(LearnError::BadOption(
            "the learning rate must be > 0 and l2 ≥ 0",
        ));
    }
    let n = samples.len();
    let mean_weight = samples.weights().iter().sum::<f64>() / n as f64;
    let weight: Vec<f64> = samples.weights().iter().map(|w| w / mean_weight).collect();
    let positive: f64 = (0..n)
        .filter(|&i| samples.labels()[i])
        .map(|i| weight[i])
        .sum();
    let rate = positive / n as f64;
    let base = (rate / (1.0 - rate)).ln();
    let data = Binned::new(samples, options.bins);
    let mut z = vec![base; n];
    let mut grad = vec![0.0; n];
    let mut hess = vec![0.0; n];
    let mut gain = vec![0.0; samples.width()];
    let mut trees = Vec::with_capacity(options.rounds);
    for _ in 0..options.rounds {
        for i in 0..n {
            let p = sigmoid(z[i]);
            let y = f64::from(u8::from(samples.labels()[i]));
            grad[i] = weight[i] * (p - y);
            hess[i] = weight[i] * p * (1.0 - p);
        }
        trees.push(grow_tree(&data, &grad, &hess, options, &mut gain, &mut z));
    }
    Ok(BoostedTrees { base, trees, gain })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::learn::{fit_logistic, LogisticOptions};

    fn mean_log_loss(model: &BoostedTrees, samples: &Samples) -> f64 {
        let total: f64 = samples.weights().iter().sum();
        (0..samples.len())
            .map(|i| {
                samples.weights()[i] * log_loss(model.decision(samples.row(i)), samples.labels()[i])
            })
            .sum::<f64>()
            / total
    }

    /// An XOR of two thresholds on a 10 × 10 grid (off-centre, so that the first split has
    /// a gain): no linear model separates it.
    fn xor() -> Samples {
        let mut s = Samples::new(2);
        for a in 0..10 {
            for b in 0..10 {
                let (x, y) = (f64::from(a), f64::from(b));
                s.push(&[x, y], (a < 5) != (b < 3), 1.0).unwrap();
            }
        }
        s
    }

    #[test]
    fn learns_an_interaction_a_linear_model_cannot() {
        let s = xor();
        let trees = fit_boosted_trees(&s, &BoostOptions::default()).unwrap();
        let correct = (0..s.len())
            .filter(|&i| (trees.probability(s.row(i)) > 0.5) == s.labels()[i])
            .count();
        assert_eq!(correct, 100);
        let linear = fit_logistic(&s, &LogisticOptions::default()).unwrap();
        let linear_correct = (0..s.len())
            .filter(|&i| (linear.probability(s.row(i)) > 0.5) == s.labels()[i])
            .count();
        assert!(linear_correct <= 75, "{linear_correct}");
        let imp = trees.importances();
        assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(imp.iter().all(|&x| x > 0.1), "{imp:?}");
    }

    #[test]
    fn loss_falls_with_rounds_and_fits_are_reproducible() {
        let s = xor();
        let few = BoostOptions {
            rounds: 5,
            ..Default::default()
        };
        let a = fit_boosted_trees(&s, &few).unwrap();
        let b = fit_boosted_trees(&s, &BoostOptions::default()).unwrap();
        assert!(mean_log_loss(&b, &s) < mean_log_loss(&a, &s));
        assert_eq!(b, fit_boosted_trees(&s, &BoostOptions::default()).unwrap());
        assert_eq!(b.len(), 100);
    }

    #[test]
    fn a_single_stump_splits_at_the_best_threshold() {
        // Positives exactly when x > 2.5; one split at threshold 2 (a training value).
        let mut s = Samples::new(1);
        for i in 0..6 {
            s.push(&[f64::from(i)], i > 2, 1.0).unwrap();
        }
        let stump = BoostOptions {
            rounds: 1,
            depth: 1,
            learning_rate: 1.0,
            l2: 0.0,
            min_child_weight: 0.0,
            bins: 32,
        };
        let m = fit_boosted_trees(&s, &stump).unwrap();
        assert_eq!(
            m.trees[0][0],
            Node::Split {
                feature: 0,
                threshold: 2.0,
                left: 1,
                right: 2
            }
        );
        // Base log-odds 0; leaf = −G/H = −(3 · 0.5)/(3 · 0.25) = −2 on the left.
        assert!((m.decision(&[0.0]) + 2.0).abs() < 1e-12);
        assert!((m.decision(&[5.0]) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn thresholds_are_quantiles_of_distinct_values() {
        assert_eq!(thresholds(&mut [3.0, 1.0, 2.0, 2.0], 8), vec![1.0, 2.0]);
        assert!(thresholds(&mut [1.0, 1.0], 8).is_empty());
        let mut many: Vec<f64> = (0..1000).map(f64::from).collect();
        let t = thresholds(&mut many, 4);
        assert_eq!(t, vec![200.0, 400.0, 600.0, 800.0]);
    }

    #[test]
    fn rejects_bad_options() {
        let s = xor();
        let bad = BoostOptions {
            depth: 0,
            ..Default::default()
        };
        assert!(matches!(
            fit_boosted_trees(&s, &bad),
            Err(LearnError::BadOption(_))
        ));
    }
}
