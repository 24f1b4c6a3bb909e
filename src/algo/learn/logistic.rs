//! L2-regularised logistic regression, fitted by Newton's method with a backtracking line
//! search.
//!
//! Features are standardised (weighted mean 0, weighted population standard deviation 1)
//! before fitting, so the penalty treats them alike and the fitted coefficients are
//! comparable importances. The objective, over samples `i` with weights `w_i`, labels
//! `y_i ∈ {0, 1}` and standardised features `x_i`, is
//!
//! ```text
//! L(β, b) = (1 / W) · Σ_i w_i · [ln(1 + e^{z_i}) − y_i · z_i] + (λ / 2) · ‖β‖²,   z_i = b + β·x_i
//! ```
//!
//! with `W = Σ w_i`; the intercept `b` is not penalised. On the same standardised table this
//! is scikit-learn's `LogisticRegression(C = 1 / (λ·W))` with `sample_weight = w` (the unit
//! test compares with values it computed). A constant feature gets coefficient 0.
//!
//! Why not `linfa` or `smartcore`: measured on this machine (release build of an empty crate
//! with the dependency, `cargo build --release`, load ≈ 9), `linfa` + `linfa-logistic` +
//! `linfa-trees` 0.8.1 pull in 66 crates (ndarray, argmin, …) and 51 s of CPU, `smartcore`
//! 0.7.0 16 crates and 17.5 s; neither's logistic regression takes sample weights (the
//! stratified negative sampling of link prediction needs them), linfa has no boosting and
//! smartcore boosts only regressors. What link prediction needs — tens of features, at most
//! some hundred thousand samples — a dense Newton step solved by Cholesky does exactly, in a
//! handful of iterations, in a few hundred lines. The fit is sequential, so it is
//! deterministic at any thread count.

use serde::{Deserialize, Serialize};

use super::{log_loss, sigmoid, LearnError, Samples};

/// Options of [`fit_logistic`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogisticOptions {
    /// Strength λ of the L2 penalty on the standardised coefficients (≥ 0).
    pub l2: f64,
    /// At most this many Newton steps.
    pub max_iter: usize,
    /// Stop when half the squared Newton decrement falls below this.
    pub tolerance: f64,
}

impl Default for LogisticOptions {
    fn default() -> Self {
        LogisticOptions {
            l2: 1e-3,
            max_iter: 100,
            tolerance: 1e-9,
        }
    }
}

/// A fitted logistic regression (serialisable, so a trained ranker can be kept; check a
/// read one with [`LogisticModel::is_sound`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticModel {
    mean: Vec<f64>,
    scale: Vec<f64>,
    coefficients: Vec<f64>,
    intercept: f64,
    /// Newton steps taken.
    pub iterations: usize,
    /// Whether the tolerance was reached within `max_iter` steps.
    pub converged: bool,
}

impl LogisticModel {
    /// Whether the model has `width` features and finite values with positive scales: what
    /// a model read back from a file must satisfy before it scores anything.
    pub fn is_sound(&self, width: usize) -> bool {
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        self.mean.len() == width
            && self.scale.len() == width
            && self.coefficients.len() == width
            && finite(&self.mean)
            && finite(&self.coefficients)
            && self.scale.iter().all(|s| s.is_finite() && *s > 0.0)
            && self.intercept.is_finite()
    }

    /// The log-odds `b + β·x` of a raw (unstandardised) feature row.
    pub fn decision(&self, row: &[f64]) -> f64 {
        self.intercept
            + row
                .iter()
                .zip(&self.mean)
                .zip(&self.scale)
                .zip(&self.coefficients)
                .map(|(((x, m), s), c)| c * (x - m) / s)
                .sum::<f64>()
    }

    /// The fitted probability of a positive label.
    pub fn probability(&self, row: &[f64]) -> f64 {
        sigmoid(self.decision(row))
    }

    /// The coefficients of the standardised features: how much one standard deviation of
    /// each feature moves the log-odds.
    pub fn coefficients(&self) -> &[f64] {
        &self.coefficients
    }

    /// The intercept on the standardised scale (the log-odds at the mean of every feature).
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// Each feature's additive part of [`LogisticModel::decision`] for `row`, relative to
    /// the training mean: `β_j · (x_j − mean_j) / sd_j`.
    pub fn contributions(&self, row: &[f64]) -> Vec<f64> {
        row.iter()
            .zip(&self.mean)
            .zip(&self.scale)
            .zip(&self.coefficients)
            .map(|(((x, m), s), c)| c * (x - m) / s)
            .collect()
    }

    /// The weight of each raw feature and the raw intercept: `decision(x) = bias + Σ w_j x_j`.
    /// Lets callers evaluate the model as a sum of per-feature terms.
    pub fn raw_weights(&self) -> (Vec<f64>, f64) {
        let weights: Vec<f64> = self
            .coefficients
            .iter()
            .zip(&self.scale)
            .map(|(c, s)| c / s)
            .collect();
        let bias = self.intercept
            - weights
                .iter()
                .zip(&self.mean)
                .map(|(w, m)| w * m)
                .sum::<f64>();
        (weights, bias)
    }
}

/// Weighted mean and population standard deviation of each column; a constant column gets
/// scale 1 (its standardised values are all 0).
fn standardisation(samples: &Samples) -> (Vec<f64>, Vec<f64>) {
    let d = samples.width();
    let total: f64 = samples.weights().iter().sum();
    let mut mean = vec![0.0; d];
    for i in 0..samples.len() {
        let w = samples.weights()[i];
        for (m, x) in mean.iter_mut().zip(samples.row(i)) {
            *m += w * x;
        }
    }
    mean.iter_mut().for_each(|m| *m /= total);
    let mut var = vec![0.0; d];
    for i in 0..samples.len() {
        let w = samples.weights()[i];
        for ((v, x), m) in var.iter_mut().zip(samples.row(i)).zip(&mean) {
            *v += w * (x - m) * (x - m);
        }
    }
    let scale = var
        .iter()
        .map(|v| {
            let sd = (v / total).sqrt();
            if sd > 1e-12 {
                sd
            } else {
                1.0
            }
        })
        .collect();
    (mean, scale)
}

/// Solves `a · x = b` for a symmetric positive definite `a` (n × n, row-major) by Cholesky
/// factorisation; `None` when `a` is not positive definite.
fn cholesky_solve(a: &[f64], b: &[f64]) -> Option<Vec<f64>> {
    let n = b.len();
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut sum = a[i * n + j];
            for k in 0..j {
                sum -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if sum <= 0.0 || !sum.is_finite() {
                    return None;
                }
                l[i * n + i] = sum.sqrt();
            } else {
                l[i * n + j] = sum / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut sum = b[i];
        for k in 0..i {
            sum -= l[i * n + k] * y[k];
        }
        y[i] = sum / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut sum = y[i];
        for k in i + 1..n {
            sum -= l[k * n + i] * x[k];
        }
        x[i] = sum / l[i * n + i];
    }
    Some(x)
}

/// The standardised design: one row per sample, the features then a 1 for the intercept.
struct Design {
    width: usize,
    rows: Vec<f64>,
}

impl Design {
    fn new(samples: &Samples, mean: &[f64], scale: &[f64]) -> Design {
        let width = samples.width() + 1;
        let mut rows = Vec::with_capacity(samples.len() * width);
        for i in 0..samples.len() {
            rows.extend(
                samples
                    .row(i)
                    .iter()
                    .zip(mean)
                    .zip(scale)
                    .map(|((x, m), s)| (x - m) / s),
            );
            rows.push(1.0);
        }
        Design { width, rows }
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.rows[i * self.width..(i + 1) * self.width]
    }

    fn decision(&self, i: usize, theta: &[f64]) -> f64 {
        self.row(i).iter().zip(theta).map(|(x, t)| x * t).sum()
    }
}

/// The penalised objective at `theta` (coefficients, then the intercept).
fn objective(design: &Design, samples: &Samples, theta: &[f64], l2: f64, total: f64) -> f64 {
    let d = theta.len() - 1;
    let data: f64 = (0..samples.len())
        .map(|i| samples.weights()[i] * log_loss(design.decision(i, theta), samples.labels()[i]))
        .sum();
    data / total + 0.5 * l2 * theta[..d].iter().map(|b| b * b).sum::<f64>()
}

/// Fits the model of the module documentation to `samples`.
///
/// Needs samples of both classes. The Hessian gets a tiny ridge (1e-10) so that a constant
/// feature or λ = 0 on separable data still gives a solvable Newton system.
pub fn fit_logistic(
    samples: &Samples,
    options: &LogisticOptions,
) -> Result<LogisticModel, LearnError> {
    samples.check_learnable()?;
    if !(options.l2.is_finite() && options.l2 >= 0.0) {
        return Err(LearnError::BadOption("l2 must be a finite number ≥ 0"));
    }
    let (mean, scale) = standardisation(samples);
    let design = Design::new(samples, &mean, &scale);
    let p = design.width;
    let d = p - 1;
    let total: f64 = samples.weights().iter().sum();
    let mut theta = vec![0.0; p];
    // Start at the weighted base rate.
    let positive: f64 = (0..samples.len())
        .filter(|&i| samples.labels()[i])
        .map(|i| samples.weights()[i])
        .sum();
    let rate = positive / total;
    theta[d] = (rate / (1.0 - rate)).ln();
    let mut current = objective(&design, samples, &theta, options.l2, total);
    let mut iterations = 0;
    let mut converged = false;
    let mut gradient = vec![0.0; p];
    let mut hessian = vec![0.0; p * p];
    while iterations < options.max_iter {
        gradient.iter_mut().for_each(|g| *g = 0.0);
        hessian.iter_mut().for_each(|h| *h = 0.0);
        for i in 0..samples.len() {
            let x = design.row(i);
            let prob = sigmoid(design.decision(i, &theta));
            let w = samples.weights()[i] / total;
            let residual = w * (prob - f64::from(u8::from(samples.labels()[i])));
            let curvature = w * prob * (1.0 - prob);
            // The lower triangle, row by row, as slices the compiler can vectorise.
            for (a, (&xa, g)) in x.iter().zip(gradient.iter_mut()).enumerate() {
                *g += residual * xa;
                let ca = curvature * xa;
                let row = &mut hessian[a * p..=a * p + a];
                for (h, &xb) in row.iter_mut().zip(&x[..=a]) {
                    *h += ca * xb;
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                hessian[b * p + a] = hessian[a * p + b];
            }
            hessian[a * p + a] += 1e-10;
        }
        for a in 0..d {
            gradient[a] += options.l2 * theta[a];
            hessian[a * p + a] += options.l2;
        }
        let minus: Vec<f64> = gradient.iter().map(|g| -g).collect();
        let Some(step) = cholesky_solve(&hessian, &minus) else {
            break;
        };
        let decrement: f64 = -gradient.iter().zip(&step).map(|(g, s)| g * s).sum::<f64>();
        if decrement / 2.0 <= options.tolerance {
            converged = true;
            break;
        }
        iterations += 1;
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            let trial: Vec<f64> = theta.iter().zip(&step).map(|(a, s)| a + t * s).collect();
            let value = objective(&design, samples, &trial, options.l2, total);
            if value <= current - 1e-4 * t * decrement {
                theta = trial;
                current = value;
                accepted = true;
                break;
            }
            t /= 2.0;
        }
        if !accepted {
            // No descent left at machine precision: the optimum is reached.
            converged = true;
            break;
        }
    }
    Ok(LogisticModel {
        mean,
        scale,
        coefficients: theta[..d].to_vec(),
        intercept: theta[d],
        iterations,
        converged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of fixtures/learn/make_logistic_reference.py: two informative features, one
    /// constant, with weights.
    fn table() -> Samples {
        let rows: [([f64; 3], bool, f64); 10] = [
            ([0.5, 1.0, 3.0], false, 1.0),
            ([1.5, 0.0, 3.0], false, 1.0),
            ([2.0, 2.0, 3.0], true, 2.0),
            ([3.0, 1.0, 3.0], true, 1.0),
            ([0.0, 0.0, 3.0], false, 1.0),
            ([2.5, 3.0, 3.0], true, 1.0),
            ([1.0, 2.5, 3.0], true, 0.5),
            ([0.2, 0.4, 3.0], false, 1.0),
            ([1.8, 0.2, 3.0], false, 1.0),
            ([3.5, 2.2, 3.0], true, 1.0),
        ];
        let mut s = Samples::new(3);
        for (x, y, w) in rows {
            s.push(&x, y, w).unwrap();
        }
        s
    }

    #[test]
    fn matches_scikit_learn_on_a_weighted_table() {
        // scikit-learn 1.9, LogisticRegression(C = 1 / (λ·W), tol=1e-12, max_iter=10000) on
        // the table standardised with numpy (population sd), sample_weight given; see
        // fixtures/learn/make_logistic_reference.py. λ = 0.1, W = 10.5.
        let model = fit_logistic(
            &table(),
            &LogisticOptions {
                l2: 0.1,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(model.converged);
        let expected = [0.943_124_166_912_991, 1.210_895_677_805_459_8, 0.0];
        for (c, e) in model.coefficients().iter().zip(expected) {
            assert!((c - e).abs() < 1e-6, "{:?}", model.coefficients());
        }
        assert!((model.intercept() - 0.181_409_466_673_177_37).abs() < 1e-6);
    }

    #[test]
    fn gradient_vanishes_at_the_optimum() {
        let s = table();
        // A Newton decrement of 1e-9 leaves a gradient near 1e-6; ask for the optimum.
        let options = LogisticOptions {
            l2: 0.05,
            tolerance: 1e-20,
            ..Default::default()
        };
        let model = fit_logistic(&s, &options).unwrap();
        let total: f64 = s.weights().iter().sum();
        let (mean, scale) = standardisation(&s);
        let mut g = vec![0.0; 4];
        for i in 0..s.len() {
            let r = (model.probability(s.row(i)) - f64::from(u8::from(s.labels()[i])))
                * s.weights()[i]
                / total;
            for (j, gj) in g.iter_mut().take(3).enumerate() {
                *gj += r * (s.row(i)[j] - mean[j]) / scale[j];
            }
            g[3] += r;
        }
        for (gj, c) in g.iter_mut().zip(model.coefficients()) {
            *gj += options.l2 * c;
        }
        assert!(g.iter().all(|x| x.abs() < 1e-9), "{g:?}");
    }

    #[test]
    fn raw_weights_and_contributions_reproduce_the_decision() {
        let s = table();
        let model = fit_logistic(&s, &LogisticOptions::default()).unwrap();
        let (w, bias) = model.raw_weights();
        for i in 0..s.len() {
            let x = s.row(i);
            let raw = bias + w.iter().zip(x).map(|(a, b)| a * b).sum::<f64>();
            assert!((raw - model.decision(x)).abs() < 1e-9);
            let parts: f64 = model.contributions(x).iter().sum();
            assert!((parts + model.intercept() - model.decision(x)).abs() < 1e-9);
        }
    }

    #[test]
    fn separable_data_stays_finite_under_a_penalty() {
        let mut s = Samples::new(1);
        for i in 0..20 {
            s.push(&[f64::from(i)], i >= 10, 1.0).unwrap();
        }
        let model = fit_logistic(&s, &LogisticOptions::default()).unwrap();
        assert!(model.coefficients()[0].is_finite() && model.coefficients()[0] > 5.0);
        assert!(model.probability(&[19.0]) > 0.99 && model.probability(&[0.0]) < 0.01);
    }

    #[test]
    fn needs_both_classes_and_a_sane_penalty() {
        let mut s = Samples::new(1);
        s.push(&[1.0], true, 1.0).unwrap();
        assert_eq!(
            fit_logistic(&s, &LogisticOptions::default()),
            Err(LearnError::OneClass("positive"))
        );
        s.push(&[0.0], false, 1.0).unwrap();
        let bad = LogisticOptions {
            l2: -1.0,
            ..Default::default()
        };
        assert!(matches!(
            fit_logistic(&s, &bad),
            Err(LearnError::BadOption(_))
        ));
    }
}
