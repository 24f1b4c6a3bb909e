//! Shortest-path betweenness centrality: exact (Brandes 2001), source-sampled, and the
//! bounded-error approximation of Riondato & Kornaropoulos (2016).
//!
//! The betweenness of `v` sums, over pairs of other nodes `(s, t)`, the fraction of
//! shortest `s`–`t` paths that pass through `v` (endpoints excluded). Conventions follow
//! NetworkX 3.6 `betweenness_centrality(G, normalized, weight, endpoints=False)`:
//!
//! * directed graphs follow out-ties and count ordered pairs; undirected graphs count
//!   unordered pairs;
//! * **normalised** values divide by the number of ordered pairs of other nodes,
//!   `(n − 1)(n − 2)` (for undirected graphs this equals halving the raw Brandes sum and
//!   dividing by the `(n − 1)(n − 2)/2` unordered pairs);
//! * unnormalised undirected values are the raw Brandes sum halved, directed ones the raw
//!   sum;
//! * graphs of at most 2 nodes are not rescaled (all values are 0 anyway);
//! * weighted searches read a tie weight as its strength and use the length
//!   `1.0 / weight` (see [`crate::algo::shortest_paths`]); ties with weight `<= 0` or not
//!   finite are ignored.
//!
//! Path counts are `f64`, exact up to 2^53 paths per pair and overflowing past ~1e308 (as
//! in NetworkX); weighted ties are compared exactly, so paths of equal length in exact
//! arithmetic may not tie once rounded, again as in NetworkX.

use thiserror::Error;

use super::observe::{Cancelled, Observer};
use super::parallel::{sum_over_items, Parallelism};
use super::rng::{mix64, SplitMix64};
use super::shortest_paths::{Direction, ShortestPathDag};
use crate::graph::Csr;

/// Options of [`betweenness`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BetweennessOptions {
    /// Divide by the number of pairs of other nodes (NetworkX's default, `true`).
    pub normalized: bool,
    /// Use tie lengths `1.0 / weight` (Dijkstra) instead of hop counts (BFS).
    pub weighted: bool,
    /// Use only this many source nodes, drawn without replacement (NetworkX's `k`);
    /// `None`, or a count `>= n`, computes the exact value from every source.
    pub samples: Option<usize>,
    /// Seed of the source sampling (ignored without `samples`).
    pub seed: u64,
}

impl Default for BetweennessOptions {
    /// Exact, normalised, unweighted.
    fn default() -> Self {
        BetweennessOptions {
            normalized: true,
            weighted: false,
            samples: None,
            seed: 0,
        }
    }
}

/// Betweenness centrality of every node (Brandes' algorithm).
///
/// U. Brandes, "A faster algorithm for betweenness centrality", *Journal of Mathematical
/// Sociology* 25(2):163–177, 2001; rescaling as NetworkX 3.6 (see the module documentation).
///
/// # Arguments
/// * `g` — the graph; directed graphs follow out-ties.
/// * `opts` — normalisation, weights and optional source sampling. With
///   `samples: Some(k)`, `1 <= k < n`, the `k` sources are drawn with [`sample_sources`]
///   and the sums rescaled as NetworkX's `k` option does (an unbiased estimate): a node
///   that is itself a sampled source only has `k − 1` informative sources and is scaled by
///   `1/((k − 1)(n − 2))` (normalised), other nodes by `1/(k (n − 2))`; unnormalised values
///   by `(n − 1)/((k − 1)c)` and `(n − 1)/(k c)` with `c = 2` undirected, 1 directed.
///   With `k = 1` the source's own value is undefined (NetworkX: NaN); it is returned as
///   0. `Some(0)` returns all zeros.
/// * `par`, `observer` — parallel policy; one progress step per source.
///
/// # Returns
/// One value per node, or `Err(Cancelled)` if the observer asked to stop.
///
/// # Complexity
/// O(k (n + m)) time unweighted, O(k (n + m) log n) weighted, with `k` sources;
/// O(n) memory per chunk of sources (see [`crate::algo::parallel`]).
pub fn betweenness(
    g: &Csr,
    opts: &BetweennessOptions,
    par: &Parallelism,
    observer: &dyn Observer,
) -> Result<Vec<f64>, Cancelled> {
    let n = g.node_count();
    match opts.samples {
        Some(k) if k < n => {
            let sources = sample_sources(n, k, opts.seed);
            betweenness_from_sources(g, &sources, opts, true, par, observer)
        }
        _ => {
            let sources: Vec<u32> = (0..n as u32).collect();
            betweenness_from_sources(g, &sources, opts, false, par, observer)
        }
    }
}

/// Draws `k` distinct nodes of `0..n` uniformly (a partial Fisher–Yates shuffle driven by
/// SplitMix64 seeded with `seed`) and returns them in increasing order. With `k >= n`
/// returns every node.
pub fn sample_sources(n: usize, k: usize, seed: u64) -> Vec<u32> {
    let mut nodes: Vec<u32> = (0..n as u32).collect();
    if k >= n {
        return nodes;
    }
    let mut rng = SplitMix64::new(seed);
    for i in 0..k {
        let j = i + rng.below_unbiased((n - i) as u64) as usize;
        nodes.swap(i, j);
    }
    nodes.truncate(k);
    nodes.sort_unstable();
    nodes
}

/// Brandes from the given sources; `sampled` selects NetworkX's sampled rescaling.
pub(crate) fn betweenness_from_sources(
    g: &Csr,
    sources: &[u32],
    opts: &BetweennessOptions,
    sampled: bool,
    par: &Parallelism,
    observer: &dyn Observer,
) -> Result<Vec<f64>, Cancelled> {
    let n = g.node_count();
    let weighted = opts.weighted;
    let mut values = sum_over_items(
        n,
        n,
        sources.len(),
        par,
        observer,
        || ShortestPathDag::new(n),
        |dag, i, acc| {
            let s = sources[i] as usize;
            if weighted {
                dag.dijkstra(g, s, Direction::Forward);
            } else {
                dag.bfs(g, s, Direction::Forward);
            }
            dag.accumulate(g, |w, d| acc[w] += d);
        },
    )?;
    rescale(
        &mut values,
        opts.normalized,
        g.is_directed(),
        sampled.then_some(sources),
    );
    Ok(values)
}

/// NetworkX's `_rescale` with `endpoints=False`.
fn rescale(values: &mut [f64], normalized: bool, directed: bool, sampled: Option<&[u32]>) {
    let n = values.len();
    if n < 3 {
        return;
    }
    // Pairs (s, t) with s != t that avoid the node itself: t ranges over n − 1 nodes.
    let big_n = (n - 1) as f64;
    let correction = if directed { 1.0 } else { 2.0 };
    match sampled {
        None => {
            let scale = if normalized {
                1.0 / (big_n * (big_n - 1.0))
            } else {
                big_n / (big_n * correction)
            };
            if scale != 1.0 {
                values.iter_mut().for_each(|x| *x *= scale);
            }
        }
        Some([]) => values.iter_mut().for_each(|x| *x = 0.0),
        Some(sources) => {
            let k = sources.len() as f64;
            let (scale_source, scale_other) = if normalized {
                (1.0 / ((k - 1.0) * (big_n - 1.0)), 1.0 / (k * (big_n - 1.0)))
            } else {
                (big_n / ((k - 1.0) * correction), big_n / (k * correction))
            };
            // `sources` is sorted; walk it alongside the nodes.
            let mut next = sources.iter().peekable();
            for (v, x) in values.iter_mut().enumerate() {
                let is_source = next.next_if(|&&s| s as usize == v).is_some();
                *x = if !is_source {
                    *x * scale_other
                } else if sources.len() > 1 {
                    *x * scale_source
                } else {
                    0.0
                };
            }
        }
    }
}

/// Options of [`approximate_betweenness`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ApproxOptions {
    /// Maximum absolute error of every normalised value, in `(0, 1)`.
    pub epsilon: f64,
    /// Probability that the error bound fails, in `(0, 1)`.
    pub delta: f64,
    /// Seed of the pair and path sampling.
    pub seed: u64,
}

/// Result of [`approximate_betweenness`].
#[derive(Debug, Clone, PartialEq)]
pub struct Approximation {
    /// Estimated normalised betweenness of every node (NetworkX's normalisation).
    pub values: Vec<f64>,
    /// Number of sampled paths `r`.
    pub samples: usize,
    /// The upper bound of the vertex diameter used to size the sample.
    pub vertex_diameter_bound: usize,
}

/// Why [`approximate_betweenness`] did not return a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ApproxError {
    /// The observer asked to stop.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
    /// `epsilon` or `delta` is not in `(0, 1)`, or the sample they ask for is too large.
    #[error("invalid approximation parameter: {0}")]
    InvalidParameter(&'static str),
}

/// Largest sample [`approximate_betweenness`] accepts.
pub const MAX_APPROX_SAMPLES: usize = 1 << 40;

/// Approximate normalised betweenness with an error bound (unweighted shortest paths).
///
/// M. Riondato and E. M. Kornaropoulos, "Fast approximation of betweenness centrality
/// through sampling", *Data Mining and Knowledge Discovery* 30(2):438–475, 2016.
/// Samples `r` ordered pairs `(u, v)`, `u != v`, uniformly; for each, draws one shortest
/// `u`–`v` path uniformly at random (BFS from `u` stopped at `v`'s level, then walking
/// back choosing predecessor `z` of `w` with probability `sigma(z)/sigma(w)`), and counts
/// the path's interior nodes. Unreachable pairs contribute nothing.
///
/// **Normalisation.** The RK estimate `count(v)/r` estimates the fraction over all
/// `n(n − 1)` ordered pairs, while NetworkX's normalised betweenness divides by the
/// `(n − 1)(n − 2)` pairs avoiding `v` (for undirected and directed graphs alike). The two
/// differ by the factor `n/(n − 2)` (e.g. kite node 7: 0.3889 vs 0.3111), so the returned
/// values are `count(v)/r · n/(n − 2)`, comparable with [`betweenness`]. To keep the
/// guarantee on that scale the sample is sized with `ε' = ε (n − 2)/n`:
/// `r = ⌈(c/ε'²)(⌊log2(VD − 2)⌋ + 1 + ln(1/δ))⌉`, `c = 0.5`, where `VD` bounds the vertex
/// diameter (nodes on a longest shortest path): for undirected graphs `2e + 1` with `e`
/// the BFS eccentricity of the first node of each component (maximised over components);
/// for directed graphs the size of the largest weakly connected component. (`⌊log2⌋` of
/// a value below 1 is taken as 0.) Then, with probability at least `1 − δ`, every
/// returned value is within `ε` of [`betweenness`]'s normalised value.
///
/// The result depends only on `seed` — not on the thread count: sample `i` draws from its
/// own SplitMix64 stream derived from `(seed, i)`, and per-node counts are integers.
///
/// # Returns
/// The estimates, the sample size and the diameter bound; `Err` if the observer cancelled
/// (one progress step per sample) or the parameters are invalid (`epsilon`, `delta` not in
/// `(0, 1)`, or `r > MAX_APPROX_SAMPLES`). Graphs of fewer than 3 nodes return zeros with
/// `samples = 0`.
///
/// # Complexity
/// O(n + m) for the diameter bound, then O(r (n + m)) worst case (each BFS usually stops
/// much earlier).
pub fn approximate_betweenness(
    g: &Csr,
    opts: &ApproxOptions,
    par: &Parallelism,
    observer: &dyn Observer,
) -> Result<Approximation, ApproxError> {
    let ApproxOptions {
        epsilon,
        delta,
        seed,
    } = *opts;
    if !(epsilon > 0.0 && epsilon < 1.0) {
        return Err(ApproxError::InvalidParameter("epsilon must be in (0, 1)"));
    }
    if !(delta > 0.0 && delta < 1.0) {
        return Err(ApproxError::InvalidParameter("delta must be in (0, 1)"));
    }
    let n = g.node_count();
    if n < 3 {
        return Ok(Approximation {
            values: vec![0.0; n],
            samples: 0,
            vertex_diameter_bound: n,
        });
    }
    let vd = vertex_diameter_bound(g);
    let nf = n as f64;
    let eps = epsilon * (nf - 2.0) / nf;
    let log_term = if vd >= 4 {
        (vd - 2).ilog2() as f64
    } else {
        0.0
    };
    let r = (0.5 / (eps * eps) * (log_term + 1.0 + (1.0 / delta).ln())).ceil();
    if !(r.is_finite() && r <= MAX_APPROX_SAMPLES as f64) {
        return Err(ApproxError::InvalidParameter("sample size too large"));
    }
    let r = (r as usize).max(1);
    let seed_mix = mix64(seed);
    let counts = sum_over_items(
        n,
        n,
        r,
        par,
        observer,
        || ShortestPathDag::new(n),
        |dag, i, acc| {
            let mut rng = SplitMix64::new(seed_mix ^ mix64(i as u64));
            let u = rng.below_unbiased(n as u64) as usize;
            let mut v = rng.below_unbiased(n as u64 - 1) as usize;
            if v >= u {
                v += 1;
            }
            if !dag.bfs_until(g, u, v, Direction::Forward) {
                return;
            }
            let mut w = v;
            loop {
                let target = rng.next_f64() * dag.sigma(w);
                let mut cumulative = 0.0;
                let mut chosen = None;
                let mut last = None;
                dag.for_each_predecessor(g, w, |z| {
                    last = Some(z);
                    if chosen.is_none() {
                        cumulative += dag.sigma(z);
                        if cumulative > target {
                            chosen = Some(z);
                        }
                    }
                });
                // Rounding may leave `cumulative` just at `target`: fall back to the last.
                let Some(z) = chosen.or(last) else { break };
                if z == u {
                    break;
                }
                acc[z] += 1.0;
                w = z;
            }
        },
    )?;
    let scale = nf / ((nf - 2.0) * r as f64);
    Ok(Approximation {
        values: counts.into_iter().map(|c| c * scale).collect(),
        samples: r,
        vertex_diameter_bound: vd,
    })
}

/// Upper bound of the vertex diameter (number of nodes on a longest shortest path, over
/// reachable pairs): `2e + 1` maximised over undirected components, `e` the eccentricity of
/// the component's first node; the largest weakly connected component for directed graphs.
fn vertex_diameter_bound(g: &Csr) -> usize {
    let n = g.node_count();
    let mut seen = vec![false; n];
    let mut queue: Vec<u32> = Vec::with_capacity(n);
    let mut level: Vec<u32> = vec![0; n];
    let mut bound = 1;
    for start in 0..n {
        if seen[start] {
            continue;
        }
        queue.clear();
        queue.push(start as u32);
        seen[start] = true;
        level[start] = 0;
        let mut head = 0;
        let mut ecc = 0;
        while head < queue.len() {
            let v = queue[head] as usize;
            head += 1;
            ecc = ecc.max(level[v]);
            let ins: &[u32] = if g.is_directed() {
                g.in_neighbors(v)
            } else {
                &[]
            };
            for &w in g.out_neighbors(v).iter().chain(ins) {
                let wi = w as usize;
                if !seen[wi] {
                    seen[wi] = true;
                    level[wi] = level[v] + 1;
                    queue.push(w);
                }
            }
        }
        let component_bound = if g.is_directed() {
            queue.len()
        } else {
            (2 * ecc as usize + 1).min(queue.len())
        };
        bound = bound.max(component_bound);
    }
    bound
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::shortest_paths::test_support::{
        arb_graph, assert_close, reference, reference_graph,
    };
    use crate::algo::test_graphs::{karate, kite};
    use crate::algo::Silent;
    use crate::graph::Csr;
    use proptest::prelude::*;

    fn exact(g: &Csr, normalized: bool, weighted: bool) -> Vec<f64> {
        let opts = BetweennessOptions {
            normalized,
            weighted,
            ..Default::default()
        };
        betweenness(g, &opts, &Parallelism::sequential(), &Silent).unwrap()
    }

    #[test]
    fn published_values() {
        assert!((exact(&kite(), true, false)[7] - 0.388_888_888_888_888_9).abs() < 1e-12);
        assert!((exact(&karate(), true, false)[0] - 0.437_635_28).abs() < 1e-8);
    }

    #[test]
    fn matches_networkx_on_reference_graphs() {
        let refs = reference();
        let results = refs["results"].as_object().expect("results");
        let mut checked = 0;
        for (name, res) in results {
            let g = reference_graph(&refs, name);
            for (kind, weighted) in [("unweighted", false), ("weighted", true)] {
                let Some(r) = res.get(kind) else { continue };
                let what = format!("{name} {kind}");
                assert_close(&exact(&g, true, weighted), &r["betweenness"], 1e-9, &what);
                assert_close(
                    &exact(&g, false, weighted),
                    &r["betweenness_raw"],
                    1e-9,
                    &what,
                );
                checked += 1;
            }
        }
        assert!(checked >= 12, "only {checked} reference cases");
    }

    #[test]
    fn sampled_sources_match_networkx_k() {
        let refs = reference();
        for case in refs["sampled"].as_array().expect("sampled") {
            let g = reference_graph(&refs, case["graph"].as_str().expect("name"));
            let sources: Vec<u32> = case["sources"]
                .as_array()
                .expect("sources")
                .iter()
                .map(|s| s.as_u64().expect("source") as u32)
                .collect();
            let weighted = case["weighted"].as_bool().expect("weighted");
            for (key, normalized) in [("normalized", true), ("raw", false)] {
                let opts = BetweennessOptions {
                    normalized,
                    weighted,
                    ..Default::default()
                };
                let got = betweenness_from_sources(
                    &g,
                    &sources,
                    &opts,
                    true,
                    &Parallelism::sequential(),
                    &Silent,
                )
                .unwrap();
                assert_close(&got, &case[key], 1e-9, &format!("sampled {key}"));
            }
        }
    }

    #[test]
    fn sampling_is_seeded_and_distinct() {
        let a = sample_sources(100, 10, 7);
        assert_eq!(a, sample_sources(100, 10, 7));
        assert_ne!(a, sample_sources(100, 10, 8));
        assert_eq!(a.len(), 10);
        assert!(a.windows(2).all(|w| w[0] < w[1]) && a[9] < 100);
        assert_eq!(sample_sources(5, 5, 1), vec![0, 1, 2, 3, 4]);
        let g = karate();
        let opts = BetweennessOptions {
            samples: Some(0),
            ..Default::default()
        };
        let zeros = betweenness(&g, &opts, &Parallelism::sequential(), &Silent).unwrap();
        assert!(zeros.iter().all(|&x| x == 0.0));
        let opts = BetweennessOptions {
            samples: Some(1),
            seed: 3,
            ..Default::default()
        };
        let one = betweenness(&g, &opts, &Parallelism::sequential(), &Silent).unwrap();
        assert!(one.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn observer_sees_every_source_and_can_cancel() {
        use std::sync::atomic::{AtomicU64, Ordering};
        /// Counts steps; cancels once `limit` steps are done.
        struct StopAfter {
            total: AtomicU64,
            done: AtomicU64,
            limit: u64,
        }
        impl Observer for StopAfter {
            fn start(&self, total: u64) {
                self.total.store(total, Ordering::Relaxed);
            }
            fn advance(&self, steps: u64) {
                self.done.fetch_add(steps, Ordering::Relaxed);
            }
            fn cancelled(&self) -> bool {
                self.done.load(Ordering::Relaxed) >= self.limit
            }
        }
        let g = karate();
        for par in [Parallelism::sequential(), Parallelism::with_threads(2)] {
            let all = StopAfter {
                total: AtomicU64::new(0),
                done: AtomicU64::new(0),
                limit: u64::MAX,
            };
            assert!(betweenness(&g, &BetweennessOptions::default(), &par, &all).is_ok());
            assert_eq!(all.total.load(Ordering::Relaxed), 34);
            assert_eq!(all.done.load(Ordering::Relaxed), 34);
            let stop = StopAfter {
                total: AtomicU64::new(0),
                done: AtomicU64::new(0),
                limit: 5,
            };
            let r = betweenness(&g, &BetweennessOptions::default(), &par, &stop);
            assert_eq!(r, Err(Cancelled));
            assert!(stop.done.load(Ordering::Relaxed) < 34);
            let r = approximate_betweenness(
                &g,
                &ApproxOptions {
                    epsilon: 0.1,
                    delta: 0.1,
                    seed: 0,
                },
                &par,
                &stop,
            );
            assert_eq!(r, Err(ApproxError::Cancelled(Cancelled)));
        }
    }

    #[test]
    fn tiny_graphs() {
        for n in 0..3 {
            let g = crate::algo::test_graphs::path(n);
            assert_eq!(exact(&g, true, false), vec![0.0; n]);
            let a = approximate_betweenness(
                &g,
                &ApproxOptions {
                    epsilon: 0.1,
                    delta: 0.1,
                    seed: 0,
                },
                &Parallelism::sequential(),
                &Silent,
            )
            .unwrap();
            assert_eq!(a.values, vec![0.0; n]);
        }
    }

    #[test]
    fn approximation_rejects_bad_parameters() {
        let g = kite();
        for (epsilon, delta) in [
            (0.0, 0.1),
            (1.0, 0.1),
            (f64::NAN, 0.1),
            (0.1, 0.0),
            (0.1, 1.5),
        ] {
            let opts = ApproxOptions {
                epsilon,
                delta,
                seed: 1,
            };
            let r = approximate_betweenness(&g, &opts, &Parallelism::sequential(), &Silent);
            assert!(matches!(r, Err(ApproxError::InvalidParameter(_))));
        }
        let opts = ApproxOptions {
            epsilon: 1e-9,
            delta: 0.1,
            seed: 1,
        };
        let r = approximate_betweenness(&g, &opts, &Parallelism::sequential(), &Silent);
        assert!(matches!(r, Err(ApproxError::InvalidParameter(_))));
    }

    /// The RK fraction (over all n(n − 1) ordered pairs) is not NetworkX's normalisation
    /// (over the (n − 1)(n − 2) ordered pairs avoiding the node): they differ by n/(n − 2).
    #[test]
    fn riondato_kornaropoulos_fraction_versus_networkx_normalisation() {
        let g = kite();
        let n = 10.0;
        let raw = exact(&g, false, false); // unordered pairs (undirected)
        let normalized = exact(&g, true, false);
        let rk_fraction = 2.0 * raw[7] / (n * (n - 1.0));
        assert!((rk_fraction - 14.0 * 2.0 / 90.0).abs() < 1e-12);
        assert!((normalized[7] - rk_fraction * n / (n - 2.0)).abs() < 1e-12);
    }

    #[test]
    fn approximation_is_within_epsilon_and_reproducible() {
        let g = karate();
        let truth = exact(&g, true, false);
        let opts = ApproxOptions {
            epsilon: 0.03,
            delta: 0.1,
            seed: 42,
        };
        let a = approximate_betweenness(&g, &opts, &Parallelism::sequential(), &Silent).unwrap();
        // VD bound: eccentricity of node 0 is 3, so 7 nodes; r = ⌈0.5/ε'²(2 + 1 + ln 10)⌉.
        assert_eq!(a.vertex_diameter_bound, 7);
        let eps = 0.03 * 32.0 / 34.0;
        let expected = (0.5 / (eps * eps) * (3.0 + 10f64.ln())).ceil() as usize;
        assert_eq!(a.samples, expected);
        let worst = a
            .values
            .iter()
            .zip(&truth)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        assert!(worst <= 0.03, "max error {worst}");
        let b = approximate_betweenness(&g, &opts, &Parallelism::with_threads(2), &Silent).unwrap();
        assert_eq!(a, b, "independent of the thread count");
    }

    #[test]
    fn approximation_on_directed_graph() {
        let refs = reference();
        let g = reference_graph(&refs, "directed");
        let truth = exact(&g, true, false);
        let opts = ApproxOptions {
            epsilon: 0.05,
            delta: 0.1,
            seed: 5,
        };
        let a = approximate_betweenness(&g, &opts, &Parallelism::sequential(), &Silent).unwrap();
        assert_eq!(a.vertex_diameter_bound, 8);
        for (x, y) in a.values.iter().zip(&truth) {
            assert!((x - y).abs() <= 0.05, "{x} vs {y}");
        }
    }

    /// Betweenness by its definition, from all-pairs distances and path counts
    /// (Floyd–Warshall; lengths must be exact in f64 for the equality tests).
    fn brute_force(g: &Csr, weighted: bool) -> Vec<f64> {
        let n = g.node_count();
        let mut d = vec![vec![f64::INFINITY; n]; n];
        for (u, row) in d.iter_mut().enumerate() {
            row[u] = 0.0;
            for (&v, &w) in g.out_neighbors(u).iter().zip(g.out_weights(u)) {
                row[v as usize] = if weighted { 1.0 / w } else { 1.0 };
            }
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    let via = d[i][k] + d[k][j];
                    if via < d[i][j] {
                        d[i][j] = via;
                    }
                }
            }
        }
        // sigma[s][t]: shortest paths, counted in order of distance from s.
        let mut sigma = vec![vec![0.0; n]; n];
        for s in 0..n {
            let mut by_dist: Vec<usize> = (0..n).filter(|&t| d[s][t].is_finite()).collect();
            by_dist.sort_by(|&a, &b| d[s][a].total_cmp(&d[s][b]));
            sigma[s][s] = 1.0;
            for &t in by_dist.iter().skip(1) {
                let mut count = 0.0;
                for (&u, &w) in g.in_neighbors(t).iter().zip(g.in_weights(t)) {
                    let len = if weighted { 1.0 / w } else { 1.0 };
                    if d[s][u as usize] + len == d[s][t] {
                        count += sigma[s][u as usize];
                    }
                }
                sigma[s][t] = count;
            }
        }
        let mut bc = vec![0.0; n];
        for s in 0..n {
            for t in 0..n {
                if s == t || !d[s][t].is_finite() {
                    continue;
                }
                for (v, b) in bc.iter_mut().enumerate() {
                    if v != s && v != t && d[s][v] + d[v][t] == d[s][t] {
                        *b += sigma[s][v] * sigma[v][t] / sigma[s][t];
                    }
                }
            }
        }
        if !g.is_directed() {
            bc.iter_mut().for_each(|b| *b /= 2.0);
        }
        bc
    }

    /// A random simple graph on 2..12 nodes with strengths 1, 1/2 or 1/4 (lengths 1, 2, 4:
    /// exact sums).
    fn arb_exact_graph() -> impl Strategy<Value = Csr> {
        (2usize..12, any::<bool>()).prop_flat_map(|(n, directed)| {
            proptest::collection::btree_map((0..n as u32, 0..n as u32), 0u8..3, 0..3 * n).prop_map(
                move |ties| {
                    let mut seen = std::collections::BTreeSet::new();
                    let edges: Vec<(u32, u32, f64)> = ties
                        .into_iter()
                        .filter(|&((u, v), _)| {
                            let key = if directed {
                                (u, v)
                            } else {
                                (u.min(v), u.max(v))
                            };
                            seen.insert(key)
                        })
                        .map(|((u, v), e)| (u, v, 0.5f64.powi(i32::from(e))))
                        .collect();
                    Csr::from_edges(n, directed, &edges)
                },
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn parallel_matches_sequential(g in arb_graph(), weighted in any::<bool>(), normalized in any::<bool>()) {
            let opts = BetweennessOptions { normalized, weighted, ..Default::default() };
            let seq = betweenness(&g, &opts, &Parallelism::sequential(), &Silent).unwrap();
            let par = betweenness(&g, &opts, &Parallelism::with_threads(2), &Silent).unwrap();
            let again = betweenness(&g, &opts, &Parallelism::with_threads(2), &Silent).unwrap();
            prop_assert_eq!(&par, &again);
            for (a, b) in seq.iter().zip(&par) {
                prop_assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0), "{} vs {}", a, b);
            }
        }

        #[test]
        fn matches_the_definition(g in arb_exact_graph(), weighted in any::<bool>()) {
            let got = exact(&g, false, weighted);
            let want = brute_force(&g, weighted);
            for (a, b) in got.iter().zip(&want) {
                prop_assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{:?} vs {:?}", got, want);
            }
        }

        #[test]
        fn sampling_every_source_is_exact(g in arb_graph(), weighted in any::<bool>(), seed in any::<u64>()) {
            let n = g.node_count();
            let opts = BetweennessOptions { weighted, ..Default::default() };
            let exact = betweenness(&g, &opts, &Parallelism::sequential(), &Silent).unwrap();
            let all = BetweennessOptions { samples: Some(n), seed, ..opts };
            prop_assert_eq!(&betweenness(&g, &all, &Parallelism::sequential(), &Silent).unwrap(), &exact);
            // Through the sampled rescaling with every node as a source.
            let sources = sample_sources(n, n, seed);
            let via = betweenness_from_sources(&g, &sources, &opts, true, &Parallelism::sequential(), &Silent).unwrap();
            for (a, b) in via.iter().zip(&exact) {
                prop_assert!((a - b).abs() <= 1e-12, "{} vs {}", a, b);
            }
        }
    }
}
