//! Eigenvector centrality (Bonacich 1972, "Factoring and weighting approaches to status
//! scores and clique identification"; Bonacich 1987), with the conventions of NetworkX
//! `eigenvector_centrality`.
//!
//! Power iteration on `A + I` (the identity shift makes bipartite and periodic graphs
//! converge without changing the eigenvector): starting from the uniform vector,
//! `x'[v] = x[v] + Σ_{u → v} w(u,v) · x[u]`, then `x'` is scaled to unit Euclidean norm.
//! Directed graphs use in-ties, i.e. the left (principal) eigenvector, as NetworkX does;
//! undirected ties count both ways. Iteration stops when `Σ|x' − x| < N · tol`; after
//! `max_iter` iterations without convergence an error is returned (NetworkX raises
//! `PowerIterationFailedConvergence`). Like PageRank, reductions are chunked so the
//! parallel and sequential results are bitwise identical.

use crate::algo::observe::Observer;
use crate::algo::parallel::{fill_chunks_sum, Parallelism, CHUNK};
use crate::algo::power_iteration::{iterate, PowerIterationError};
use crate::graph::Csr;

/// Parameters of [`eigenvector_centrality`]; `Default` gives NetworkX's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct EigenvectorOptions {
    /// Convergence tolerance per node (default 1e-6).
    pub tol: f64,
    /// Maximum number of iterations (default 100).
    pub max_iter: usize,
    /// Use tie weights (default `false`, as NetworkX's `weight=None`).
    pub weighted: bool,
    /// Where the per-node passes run (default [`Parallelism::auto_linear`]); the result
    /// is the same on any number of threads.
    pub parallelism: Parallelism,
}

impl Default for EigenvectorOptions {
    fn default() -> Self {
        EigenvectorOptions {
            tol: 1e-6,
            max_iter: 100,
            weighted: false,
            parallelism: Parallelism::auto_linear(),
        }
    }
}

/// Eigenvector centrality of every node, as NetworkX `eigenvector_centrality`.
///
/// # Arguments
/// * `g` — the graph; directed graphs use in-ties (left eigenvector).
/// * `opts` — tolerance, iteration cap, weights, parallelism.
/// * `observer` — told of each iteration; may cancel.
///
/// # Returns
/// One non-negative score per node, unit Euclidean norm; empty for an empty graph. Errors
/// when not converged within `max_iter`, on an invalid `tol`, or on cancellation.
///
/// # Complexity
/// O((n + m) · iterations) time, O(n) extra memory.
pub fn eigenvector_centrality(
    g: &Csr,
    opts: &EigenvectorOptions,
    observer: &dyn Observer,
) -> Result<Vec<f64>, PowerIterationError> {
    let n = g.node_count();
    if !(opts.tol >= 0.0 && opts.tol.is_finite()) {
        return Err(PowerIterationError::InvalidParameter(
            "tol must be finite and non-negative",
        ));
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let parallel = opts.parallelism.is_parallel(n);
    let weighted = opts.weighted;
    let mut partials = vec![0.0f64; n.div_ceil(CHUNK)];
    let step = |x: &[f64], next: &mut [f64]| {
        let sq = fill_chunks_sum(next, &mut partials, parallel, |start, chunk| {
            let mut sq = 0.0;
            for (i, xi) in chunk.iter_mut().enumerate() {
                let v = start + i;
                let mut s = x[v];
                let nb = g.in_neighbors(v);
                if weighted {
                    for (&u, &w) in nb.iter().zip(g.in_weights(v)) {
                        s += x[u as usize] * w;
                    }
                } else {
                    for &u in nb {
                        s += x[u as usize];
                    }
                }
                sq += s * s;
                *xi = s;
            }
            sq
        });
        let norm = sq.sqrt();
        let scale = if norm > 0.0 { 1.0 / norm } else { 1.0 };
        fill_chunks_sum(next, &mut partials, parallel, |start, chunk| {
            let mut e = 0.0;
            for (i, xi) in chunk.iter_mut().enumerate() {
                *xi *= scale;
                e += (*xi - x[start + i]).abs();
            }
            e
        })
    };
    opts.parallelism.install(|| {
        iterate(
            vec![1.0 / n as f64; n],
            opts.tol,
            opts.max_iter,
            observer,
            step,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::degree::reference::{assert_close, case, cases};
    use crate::algo::observe::Silent;

    #[test]
    fn matches_networkx_on_reference_graphs() {
        for c in cases() {
            for (key, weighted) in [("eigenvector", false), ("eigenvector_weighted", true)] {
                let opts = EigenvectorOptions {
                    tol: 1e-13,
                    max_iter: 100_000,
                    weighted,
                    ..Default::default()
                };
                let x = eigenvector_centrality(&c.graph, &opts, &Silent).expect("converges");
                assert_close(&c.name, key, &x, &c.vec(key), 1e-8);
            }
        }
    }

    #[test]
    fn default_options_are_within_1e6_on_karate() {
        let c = case("karate");
        let x = eigenvector_centrality(&c.graph, &EigenvectorOptions::default(), &Silent)
            .expect("converges");
        assert_close(
            "karate",
            "eigenvector default",
            &x,
            &c.vec("eigenvector"),
            1e-5,
        );
        let par = EigenvectorOptions {
            parallelism: Parallelism::with_threads(2),
            ..Default::default()
        };
        let y = eigenvector_centrality(&c.graph, &par, &Silent).expect("converges");
        assert_eq!(x, y);
    }

    #[test]
    fn not_converged_is_an_error() {
        let g = case("karate").graph;
        let opts = EigenvectorOptions {
            max_iter: 3,
            ..Default::default()
        };
        assert_eq!(
            eigenvector_centrality(&g, &opts, &Silent),
            Err(PowerIterationError::NotConverged(3))
        );
    }
}
