//! The power iteration shared by PageRank and eigenvector centrality: repeat a step
//! `x → x'` until `Σ|x' − x| < N · tol` (NetworkX's stopping rule, the tolerance being per
//! node), or fail after `max_iter` steps as NetworkX raises
//! `PowerIterationFailedConvergence`.

use thiserror::Error;

use super::observe::{Cancelled, Observer};

/// Why a power iteration (PageRank, eigenvector centrality) gave no result.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PowerIterationError {
    /// Not converged within `max_iter` iterations (NetworkX `PowerIterationFailedConvergence`).
    #[error("power iteration did not converge within {0} iterations")]
    NotConverged(usize),
    /// A parameter is out of range (message says which).
    #[error("invalid parameter: {0}")]
    InvalidParameter(&'static str),
    /// The personalisation vector's length is not the node count.
    #[error("personalization has {got} entries but the graph has {expected} nodes")]
    PersonalizationLength {
        /// Entries given.
        got: usize,
        /// Node count.
        expected: usize,
    },
    /// The observer asked to stop.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
}

/// Runs the power iteration from `start`: each step writes the next vector into its second
/// argument and returns `Σ|x' − x|`. The observer is told of `max_iter` steps, advanced once
/// per step and asked before each whether to stop.
///
/// # Returns
/// The first vector whose change is below `N · tol`; [`PowerIterationError::NotConverged`]
/// after `max_iter` steps; [`PowerIterationError::Cancelled`] when the observer stops it.
pub(crate) fn iterate<S>(
    start: Vec<f64>,
    tol: f64,
    max_iter: usize,
    observer: &dyn Observer,
    mut step: S,
) -> Result<Vec<f64>, PowerIterationError>
where
    S: FnMut(&[f64], &mut [f64]) -> f64,
{
    let n = start.len();
    let mut x = start;
    let mut next = vec![0.0f64; n];
    observer.start(max_iter as u64);
    for _ in 0..max_iter {
        if observer.cancelled() {
            return Err(Cancelled.into());
        }
        let err = step(&x, &mut next);
        std::mem::swap(&mut x, &mut next);
        observer.advance(1);
        if err < n as f64 * tol {
            return Ok(x);
        }
    }
    Err(PowerIterationError::NotConverged(max_iter))
}
