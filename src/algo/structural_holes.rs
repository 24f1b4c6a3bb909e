//! Burt's structural holes: constraint and effective size (Burt 1992, *Structural Holes:
//! The Social Structure of Competition*; effective size for unweighted undirected graphs
//! simplifies as in Borgatti 1997, "Structural holes: unpacking Burt's redundancy
//! measures"), exactly as NetworkX `constraint` and `effective_size` compute them per node
//! (`nodes=list(G)`, its documented formulas).
//!
//! NetworkX ≥ 3.5 also has a vectorised path (`nodes=None`, the default when SciPy is
//! installed). Its constraint agrees with ours, but its effective size divides the
//! max-normalised mutual weights by the column maximum instead of the row maximum, so it
//! differs on weighted and on directed graphs (a NetworkX bug, networkx/networkx PR #8906;
//! unweighted undirected graphs are unaffected). We follow the definition.
//!
//! Conventions (NetworkX's): the *mutual weight* of `u` and `v` is `a(u,v) + a(v,u)`, where
//! `a` is the tie weight (1 when unweighted, 0 when absent); undirected ties count both
//! ways. The neighbours of `u` are its in- and out-neighbours together. With
//! `p(u,v) = mutual(u,v) / Σ_w mutual(u,w)` and `m(u,v) = mutual(u,v) / max_w mutual(u,w)`:
//!
//! * constraint `c(v) = Σ_{n ∈ N(v)} (p(v,n) + Σ_{w ∈ N(v)} p(v,w) · p(w,n))²`;
//! * effective size `e(v) = Σ_{u ∈ N(v)} (1 − Σ_{w ∈ N(v)} p(v,w) · m(u,w))`.
//!
//! Both are undefined for a node without ties in either direction; they are returned as
//! `f64::NAN` there, as NetworkX does. (NetworkX's per-node path also returns NaN for a
//! directed node with in-ties only; we give it its value, as NetworkX's vectorised
//! constraint does.)

use crate::graph::Csr;

/// Undirected view with NetworkX's mutual weights: for every node its in- and
/// out-neighbours merged (ascending, distinct) with weight `a(u,v) + a(v,u)`.
#[derive(Debug, Clone)]
pub(crate) struct MutualRows {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
}

impl MutualRows {
    /// Builds the mutual view; weights are all 1 per direction when `weighted` is false.
    /// O(n + m).
    pub(crate) fn new(g: &Csr, weighted: bool) -> MutualRows {
        let n = g.node_count();
        let cap = if g.is_directed() { 2 } else { 1 } * 2 * g.edge_count();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity(cap);
        let mut weights = Vec::with_capacity(cap);
        offsets.push(0);
        let wt = |w: f64| if weighted { w } else { 1.0 };
        for v in 0..n {
            if g.is_directed() {
                let (on, ow) = (g.out_neighbors(v), g.out_weights(v));
                let (inn, iw) = (g.in_neighbors(v), g.in_weights(v));
                let (mut i, mut j) = (0, 0);
                while i < on.len() || j < inn.len() {
                    let a = on.get(i).copied().unwrap_or(u32::MAX);
                    let b = inn.get(j).copied().unwrap_or(u32::MAX);
                    if a < b {
                        targets.push(a);
                        weights.push(wt(ow[i]));
                        i += 1;
                    } else if b < a {
                        targets.push(b);
                        weights.push(wt(iw[j]));
                        j += 1;
                    } else {
                        targets.push(a);
                        weights.push(wt(ow[i]) + wt(iw[j]));
                        i += 1;
                        j += 1;
                    }
                }
            } else {
                targets.extend_from_slice(g.out_neighbors(v));
                weights.extend(g.out_weights(v).iter().map(|&w| 2.0 * wt(w)));
            }
            offsets.push(targets.len());
        }
        MutualRows {
            offsets,
            targets,
            weights,
        }
    }

    /// The CSR arrays: offsets, targets, mutual weights.
    pub(crate) fn into_parts(self) -> (Vec<usize>, Vec<u32>, Vec<f64>) {
        (self.offsets, self.targets, self.weights)
    }

    pub(crate) fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    pub(crate) fn neighbors(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }

    pub(crate) fn weights(&self, v: usize) -> &[f64] {
        &self.weights[self.offsets[v]..self.offsets[v + 1]]
    }
}

/// Σ and max of the mutual weights of every node.
fn scales(rows: &MutualRows) -> (Vec<f64>, Vec<f64>) {
    (0..rows.node_count())
        .map(|v| {
            let w = rows.weights(v);
            (w.iter().sum::<f64>(), w.iter().copied().fold(0.0, f64::max))
        })
        .unzip()
}

fn ratio(a: f64, scale: f64) -> f64 {
    if scale == 0.0 {
        0.0
    } else {
        a / scale
    }
}

/// Burt's constraint of every node, as NetworkX `constraint(G, weight=...)`.
///
/// # Arguments
/// * `g` — the graph (directed: mutual weights over both directions).
/// * `weighted` — use tie weights (NetworkX `weight="weight"`) or count every tie 1
///   (`weight=None`).
///
/// # Returns
/// One value per node; `f64::NAN` for nodes without any tie.
///
/// # Complexity
/// O(Σ_v deg(v)²) time, O(n + m) extra memory (scatter array over each ego network).
pub fn constraint(g: &Csr, weighted: bool) -> Vec<f64> {
    let rows = MutualRows::new(g, weighted);
    let n = rows.node_count();
    let (sum, _) = scales(&rows);
    // indirect[n] accumulates Σ_w p(v,w) p(w,n) for n in the current ego network; `mark`
    // stamps membership with v + 1.
    let mut mark = vec![0usize; n];
    let mut indirect = vec![0.0f64; n];
    let mut out = vec![f64::NAN; n];
    for v in 0..n {
        let nb = rows.neighbors(v);
        if nb.is_empty() {
            continue;
        }
        for &u in nb {
            mark[u as usize] = v + 1;
            indirect[u as usize] = 0.0;
        }
        for (&w, &mw) in nb.iter().zip(rows.weights(v)) {
            let w = w as usize;
            let pvw = ratio(mw, sum[v]);
            for (&t, &mwt) in rows.neighbors(w).iter().zip(rows.weights(w)) {
                if mark[t as usize] == v + 1 {
                    indirect[t as usize] += pvw * ratio(mwt, sum[w]);
                }
            }
        }
        let mut c = 0.0;
        for (&u, &mu) in nb.iter().zip(rows.weights(v)) {
            let local = ratio(mu, sum[v]) + indirect[u as usize];
            c += local * local;
        }
        out[v] = c;
    }
    out
}

/// Burt's effective size of every node, as NetworkX `effective_size(G, weight=...)`.
///
/// # Arguments
/// * `g` — the graph (directed: mutual weights over both directions).
/// * `weighted` — use tie weights or count every tie 1.
///
/// # Returns
/// One value per node; `f64::NAN` for nodes without any tie. For unweighted undirected
/// graphs this equals Borgatti's `n − 2t/n` (ego degree `n`, `t` ties among alters).
///
/// # Complexity
/// O(Σ_v deg(v)²) time, O(n + m) extra memory.
pub fn effective_size(g: &Csr, weighted: bool) -> Vec<f64> {
    let rows = MutualRows::new(g, weighted);
    let n = rows.node_count();
    let (sum, max) = scales(&rows);
    // p[w] = p(v,w) for w in the ego network of v, stamped by `mark`.
    let mut mark = vec![0usize; n];
    let mut p = vec![0.0f64; n];
    let mut out = vec![f64::NAN; n];
    for v in 0..n {
        let nb = rows.neighbors(v);
        if nb.is_empty() {
            continue;
        }
        for (&w, &mw) in nb.iter().zip(rows.weights(v)) {
            mark[w as usize] = v + 1;
            p[w as usize] = ratio(mw, sum[v]);
        }
        let mut e = 0.0;
        for &u in nb {
            let u = u as usize;
            let mut r = 0.0;
            for (&w, &muw) in rows.neighbors(u).iter().zip(rows.weights(u)) {
                if mark[w as usize] == v + 1 {
                    r += p[w as usize] * ratio(muw, max[u]);
                }
            }
            e += 1.0 - r;
        }
        out[v] = e;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::degree::reference::{assert_close, cases};
    use crate::graph::Csr;

    #[test]
    fn matches_networkx_on_reference_graphs() {
        for c in cases() {
            let g = &c.graph;
            assert_close(
                &c.name,
                "constraint",
                &constraint(g, false),
                &c.vec("constraint"),
                1e-9,
            );
            assert_close(
                &c.name,
                "constraint_weighted",
                &constraint(g, true),
                &c.vec("constraint_weighted"),
                1e-9,
            );
            assert_close(
                &c.name,
                "effective_size",
                &effective_size(g, false),
                &c.vec("effective_size"),
                1e-9,
            );
            assert_close(
                &c.name,
                "effective_size_weighted",
                &effective_size(g, true),
                &c.vec("effective_size_weighted"),
                1e-9,
            );
        }
    }

    #[test]
    fn isolated_nodes_are_nan() {
        let g = Csr::from_pairs(3, false, &[(0, 1)]);
        assert!(constraint(&g, false)[2].is_nan());
        assert!(effective_size(&g, true)[2].is_nan());
        assert_eq!(constraint(&g, false)[0], 1.0);
    }
}
