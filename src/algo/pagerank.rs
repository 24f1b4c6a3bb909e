//! PageRank (Brin & Page 1998, "The anatomy of a large-scale hypertextual Web search
//! engine"; Page, Brin, Motwani & Winograd 1999) by power iteration on the CSR, with the
//! conventions of NetworkX `pagerank` (its SciPy implementation).
//!
//! Each iteration computes, for every node `v`,
//!
//! ```text
//! x'[v] = α · Σ_{u → v} x[u] · w(u,v) / s(u)  +  (α · Σ_{dangling u} x[u] + 1 − α) · p[v]
//! ```
//!
//! where `s(u)` is the out-strength of `u` (out-degree when unweighted), dangling nodes are
//! those with `s(u) = 0`, and `p` is the personalisation vector (uniform by default, always
//! normalised to sum 1). Dangling mass is redistributed according to `p`, which is
//! NetworkX's default (`dangling=None`). Undirected graphs are treated as each tie both ways.
//! The start vector is uniform and iteration stops when `Σ|x' − x| < N · tol`; after
//! `max_iter` iterations without convergence an error is returned, as NetworkX raises
//! `PowerIterationFailedConvergence`.
//!
//! The iteration is pull-based (each node sums over its in-neighbours), so it parallelises
//! without atomics. Reductions (dangling mass, convergence error) are summed per fixed
//! slice of `CHUNK` nodes and the slice sums added in order ([`crate::algo::parallel`]), so the result is bitwise
//! identical whether it runs sequentially or on any number of threads.

use crate::algo::observe::Observer;
use crate::algo::parallel::{fill_chunks_sum, Parallelism, CHUNK};
use crate::algo::power_iteration::iterate;
pub use crate::algo::power_iteration::PowerIterationError;
use crate::graph::Csr;

/// Parameters of [`pagerank`]; `Default` gives NetworkX's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRankOptions<'a> {
    /// Damping factor α in [0, 1] (default 0.85).
    pub alpha: f64,
    /// Convergence tolerance per node (default 1e-6): stop when `Σ|x' − x| < N · tol`.
    pub tol: f64,
    /// Maximum number of iterations (default 100).
    pub max_iter: usize,
    /// Use tie weights (default `true`, as NetworkX's `weight="weight"`); when `false`
    /// every tie counts 1.
    pub weighted: bool,
    /// Teleport distribution, one non-negative entry per node, normalised internally; also
    /// used for dangling nodes. `None` = uniform.
    pub personalization: Option<&'a [f64]>,
    /// Where the per-node passes run (default [`Parallelism::auto_linear`]); the result
    /// is the same on any number of threads.
    pub parallelism: Parallelism,
}

impl Default for PageRankOptions<'_> {
    fn default() -> Self {
        PageRankOptions {
            alpha: 0.85,
            tol: 1e-6,
            max_iter: 100,
            weighted: true,
            personalization: None,
            parallelism: Parallelism::auto_linear(),
        }
    }
}

/// Validated, normalised personalisation vector (`None` = uniform).
fn normalised_personalization(
    p: Option<&[f64]>,
    n: usize,
) -> Result<Option<Vec<f64>>, PowerIterationError> {
    let Some(p) = p else { return Ok(None) };
    if p.len() != n {
        return Err(PowerIterationError::PersonalizationLength {
            got: p.len(),
            expected: n,
        });
    }
    if p.iter().any(|x| !x.is_finite() || *x < 0.0) {
        return Err(PowerIterationError::InvalidParameter(
            "personalization entries must be finite and non-negative",
        ));
    }
    let sum: f64 = p.iter().sum();
    if sum <= 0.0 || !sum.is_finite() {
        return Err(PowerIterationError::InvalidParameter(
            "personalization must not sum to zero",
        ));
    }
    Ok(Some(p.iter().map(|x| x / sum).collect()))
}

/// PageRank of every node, as NetworkX `pagerank` (see the module documentation).
///
/// # Arguments
/// * `g` — the graph (undirected ties count both ways).
/// * `opts` — damping, tolerance, iteration cap, weights, personalisation, parallelism.
/// * `observer` — told of each iteration (`start(max_iter)`, `advance(1)`); may cancel.
///
/// # Returns
/// One score per node, summing to 1 (up to rounding); an empty vector for an empty graph.
/// Errors: [`PowerIterationError::NotConverged`] after `max_iter` iterations, invalid
/// `alpha`/`tol`/personalisation, or cancellation.
///
/// # Complexity
/// O((n + m) · iterations) time, O(n) extra memory (four `f64` arrays); no allocation
/// inside the iteration.
pub fn pagerank(
    g: &Csr,
    opts: &PageRankOptions<'_>,
    observer: &dyn Observer,
) -> Result<Vec<f64>, PowerIterationError> {
    let n = g.node_count();
    if !(0.0..=1.0).contains(&opts.alpha) {
        return Err(PowerIterationError::InvalidParameter(
            "alpha must be in [0, 1]",
        ));
    }
    if !(opts.tol >= 0.0 && opts.tol.is_finite()) {
        return Err(PowerIterationError::InvalidParameter(
            "tol must be finite and non-negative",
        ));
    }
    let pers = normalised_personalization(opts.personalization, n)?;
    if n == 0 {
        return Ok(Vec::new());
    }
    let alpha = opts.alpha;
    let parallel = opts.parallelism.is_parallel(n);
    let weighted = opts.weighted;
    let uniform = 1.0 / n as f64;

    // Reciprocal out-strength (0 marks a dangling node).
    let mut inv = vec![0.0f64; n];
    let mut partials = vec![0.0f64; n.div_ceil(CHUNK)];
    fill_chunks_sum(&mut inv, &mut partials, parallel, |start, chunk| {
        for (i, r) in chunk.iter_mut().enumerate() {
            let v = start + i;
            let s = if weighted {
                g.out_weights(v).iter().sum::<f64>()
            } else {
                g.out_neighbors(v).len() as f64
            };
            *r = if s != 0.0 { 1.0 / s } else { 0.0 };
        }
        0.0
    });

    let mut y = vec![0.0f64; n];
    let step = |x: &[f64], next: &mut [f64]| {
        // y = x / s, and the dangling mass.
        let dangling = fill_chunks_sum(&mut y, &mut partials, parallel, |start, chunk| {
            let mut d = 0.0;
            for (i, yi) in chunk.iter_mut().enumerate() {
                let v = start + i;
                let r = inv[v];
                *yi = x[v] * r;
                if r == 0.0 {
                    d += x[v];
                }
            }
            d
        });
        let base = alpha * dangling + (1.0 - alpha);
        let (y, pers) = (&y, pers.as_deref());
        fill_chunks_sum(next, &mut partials, parallel, |start, chunk| {
            let mut e = 0.0;
            for (i, xi) in chunk.iter_mut().enumerate() {
                let v = start + i;
                let nb = g.in_neighbors(v);
                let mut s = 0.0;
                if weighted {
                    let w = g.in_weights(v);
                    for (&u, &wu) in nb.iter().zip(w) {
                        s += y[u as usize] * wu;
                    }
                } else {
                    for &u in nb {
                        s += y[u as usize];
                    }
                }
                let p = match pers {
                    Some(p) => p[v],
                    None => uniform,
                };
                let val = alpha * s + base * p;
                e += (val - x[v]).abs();
                *xi = val;
            }
            e
        })
    };
    opts.parallelism
        .install(|| iterate(vec![uniform; n], opts.tol, opts.max_iter, observer, step))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::degree::reference::{assert_close, case, cases};
    use crate::algo::observe::{CancelFlag, Cancelled, Silent};
    use crate::graph::Csr;
    use proptest::prelude::*;

    fn tight<'a>() -> PageRankOptions<'a> {
        PageRankOptions {
            tol: 1e-13,
            max_iter: 10_000,
            ..Default::default()
        }
    }

    #[test]
    fn matches_networkx_on_reference_graphs() {
        for c in cases() {
            let g = &c.graph;
            let unweighted = PageRankOptions {
                weighted: false,
                ..tight()
            };
            let pr = pagerank(g, &unweighted, &Silent).expect("converges");
            assert_close(&c.name, "pagerank", &pr, &c.vec("pagerank"), 1e-9);
            let prw = pagerank(g, &tight(), &Silent).expect("converges");
            assert_close(
                &c.name,
                "pagerank_weighted",
                &prw,
                &c.vec("pagerank_weighted"),
                1e-9,
            );
            let half = PageRankOptions {
                alpha: 0.5,
                ..unweighted.clone()
            };
            let pr5 = pagerank(g, &half, &Silent).expect("converges");
            assert_close(
                &c.name,
                "pagerank_alpha_0_5",
                &pr5,
                &c.vec("pagerank_alpha_0_5"),
                1e-9,
            );
            if c.has("personalization") {
                let p = c.vec("personalization");
                let opts = PageRankOptions {
                    personalization: Some(&p),
                    ..unweighted.clone()
                };
                let pp = pagerank(g, &opts, &Silent).expect("converges");
                assert_close(
                    &c.name,
                    "personalized",
                    &pp,
                    &c.vec("pagerank_personalized"),
                    1e-9,
                );
            }
        }
    }

    #[test]
    fn default_tolerance_is_close_to_converged_reference() {
        // NetworkX's own default (tol 1e-6 scaled by N) stops ~5e-6 short of the fixed point
        // on karate; we stop at the same iteration.
        let c = case("karate");
        let pr = pagerank(&c.graph, &PageRankOptions::default(), &Silent).expect("converges");
        assert_close(
            "karate",
            "pagerank default tol",
            &pr,
            &c.vec("pagerank"),
            1e-5,
        );
    }

    #[test]
    fn errors_are_reported() {
        let g = case("karate").graph;
        let few = PageRankOptions {
            max_iter: 2,
            ..Default::default()
        };
        assert_eq!(
            pagerank(&g, &few, &Silent),
            Err(PowerIterationError::NotConverged(2))
        );
        let short = [1.0, 2.0];
        let bad = PageRankOptions {
            personalization: Some(&short),
            ..Default::default()
        };
        assert!(matches!(
            pagerank(&g, &bad, &Silent),
            Err(PowerIterationError::PersonalizationLength {
                got: 2,
                expected: 34
            })
        ));
        let zeros = vec![0.0; 34];
        let zero = PageRankOptions {
            personalization: Some(&zeros),
            ..Default::default()
        };
        assert!(pagerank(&g, &zero, &Silent).is_err());
        let alpha = PageRankOptions {
            alpha: 1.5,
            ..Default::default()
        };
        assert!(pagerank(&g, &alpha, &Silent).is_err());
        let flag = CancelFlag::default();
        flag.cancel();
        assert_eq!(
            pagerank(&g, &PageRankOptions::default(), &flag),
            Err(PowerIterationError::Cancelled(Cancelled))
        );
        let empty = Csr::from_pairs(0, true, &[]);
        assert_eq!(
            pagerank(&empty, &PageRankOptions::default(), &Silent),
            Ok(vec![])
        );
    }

    fn arb_graph() -> impl Strategy<Value = Csr> {
        (1usize..9000, any::<bool>()).prop_flat_map(|(n, directed)| {
            let max = n as u32;
            proptest::collection::vec((0..max, 0..max, 0.1f64..5.0), 0..(3 * n))
                .prop_map(move |edges| Csr::from_edges(n, directed, &edges))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        #[test]
        fn parallel_equals_sequential(g in arb_graph(), weighted in any::<bool>()) {
            let seq = PageRankOptions { weighted, parallelism: Parallelism::sequential(), ..Default::default() };
            let par = PageRankOptions { weighted, parallelism: Parallelism::with_threads(3), ..Default::default() };
            let a = pagerank(&g, &seq, &Silent);
            let b = pagerank(&g, &par, &Silent);
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    for (x, y) in a.iter().zip(&b) {
                        prop_assert!((x - y).abs() <= 1e-12);
                    }
                    let total: f64 = a.iter().sum();
                    prop_assert!((total - 1.0).abs() < 1e-6);
                }
                (a, b) => prop_assert_eq!(a, b),
            }
        }
    }
}
