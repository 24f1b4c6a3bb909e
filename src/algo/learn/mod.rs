//! Small supervised learners for link prediction, written for this crate rather than taken
//! from `linfa` or `smartcore` (see [`logistic`] for why): regularised logistic regression
//! fitted by Newton's method, gradient-boosted decision trees, and the ranking measures used
//! to select and evaluate them.
//!
//! Everything here is a pure function of its inputs: no graph, no storage, no threads.
//! Fitting is sequential and deterministic, so a model depends only on its samples and
//! options, never on the machine's thread count.

pub mod logistic;
pub mod rank;
pub mod trees;

use thiserror::Error;

pub use logistic::{fit_logistic, LogisticModel, LogisticOptions};
pub use rank::{auc, TopK};
pub use trees::{fit_boosted_trees, BoostOptions, BoostedTrees};

/// Why a model could not be fitted.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum LearnError {
    /// No sample at all.
    #[error("no training samples")]
    NoSamples,
    /// Every sample has the same label: nothing separates the classes.
    #[error("the training samples are all {0}: both classes are needed")]
    OneClass(&'static str),
    /// A feature value or weight is NaN or infinite.
    #[error("sample {row}: {what} is not a finite number")]
    NotFinite {
        /// Index of the sample.
        row: usize,
        /// Which value (`feature N` or `weight`).
        what: String,
    },
    /// A row has the wrong number of features.
    #[error("sample {row} has {got} features, the table has {expected}")]
    Width {
        /// Index of the sample.
        row: usize,
        /// Values given.
        got: usize,
        /// Features per sample.
        expected: usize,
    },
    /// An option is out of range (the message says which).
    #[error("invalid option: {0}")]
    BadOption(&'static str),
}

/// Labelled, weighted samples: a dense row-major feature table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    width: usize,
    values: Vec<f64>,
    labels: Vec<bool>,
    weights: Vec<f64>,
}

impl Samples {
    /// An empty table of samples with `width` features each.
    pub fn new(width: usize) -> Samples {
        Samples {
            width,
            ..Samples::default()
        }
    }

    /// Adds one sample; its weight must be positive and every value finite.
    pub fn push(&mut self, row: &[f64], label: bool, weight: f64) -> Result<(), LearnError> {
        let index = self.labels.len();
        if row.len() != self.width {
            return Err(LearnError::Width {
                row: index,
                got: row.len(),
                expected: self.width,
            });
        }
        if let Some(j) = row.iter().position(|x| !x.is_finite()) {
            return Err(LearnError::NotFinite {
                row: index,
                what: format!("feature {j}"),
            });
        }
        if !(weight.is_finite() && weight > 0.0) {
            return Err(LearnError::NotFinite {
                row: index,
                what: "weight".into(),
            });
        }
        self.values.extend_from_slice(row);
        self.labels.push(label);
        self.weights.push(weight);
        Ok(())
    }

    /// Features per sample.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there is no sample.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The features of sample `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.width..(i + 1) * self.width]
    }

    /// The label of every sample.
    pub fn labels(&self) -> &[bool] {
        &self.labels
    }

    /// The weight of every sample.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Checks that the table can be learned from: samples of both classes.
    fn check_learnable(&self) -> Result<(), LearnError> {
        if self.is_empty() {
            return Err(LearnError::NoSamples);
        }
        if self.labels.iter().all(|&y| y) {
            return Err(LearnError::OneClass("positive"));
        }
        if self.labels.iter().all(|&y| !y) {
            return Err(LearnError::OneClass("negative"));
        }
        Ok(())
    }
}

/// The logistic function `1 / (1 + e^-z)`, computed without overflow.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^z)` without overflow or loss of precision.
fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// The logistic loss of decision value `z` for label `y`: `ln(1 + e^-z)` for a positive,
/// `ln(1 + e^z)` for a negative.
fn log_loss(z: f64, y: bool) -> f64 {
    if y {
        softplus(-z)
    } else {
        softplus(z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_reject_bad_rows_and_keep_good_ones() {
        let mut s = Samples::new(2);
        assert!(matches!(
            s.push(&[1.0], true, 1.0),
            Err(LearnError::Width { got: 1, .. })
        ));
        assert!(matches!(
            s.push(&[1.0, f64::NAN], true, 1.0),
            Err(LearnError::NotFinite { .. })
        ));
        assert!(s.push(&[1.0, 2.0], true, 0.0).is_err());
        s.push(&[1.0, 2.0], true, 1.0).unwrap();
        assert_eq!(s.row(0), &[1.0, 2.0]);
        assert_eq!(s.check_learnable(), Err(LearnError::OneClass("positive")));
        s.push(&[0.0, 0.0], false, 2.0).unwrap();
        assert_eq!(s.check_learnable(), Ok(()));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn loss_helpers_are_stable_at_extremes() {
        assert_eq!(sigmoid(0.0), 0.5);
        assert!((sigmoid(800.0) - 1.0).abs() < 1e-15);
        assert!(sigmoid(-800.0) >= 0.0);
        assert!((log_loss(0.0, true) - 2f64.ln()).abs() < 1e-15);
        assert!((log_loss(-800.0, true) - 800.0).abs() < 1e-9);
        assert!(log_loss(800.0, true) < 1e-300);
    }
}
