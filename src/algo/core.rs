//! k-core decomposition: the core number of every node (Seidman 1983, "Network structure
//! and minimum degree"), computed with the O(m) bucket algorithm of Batagelj & Zaveršnik
//! (2003, "An O(m) algorithm for cores decomposition of networks"), as NetworkX
//! `core_number`.
//!
//! The core number of `v` is the largest `k` such that `v` belongs to a subgraph in which
//! every node has degree at least `k`. For directed graphs the degree is in-degree +
//! out-degree (NetworkX's convention), so a reciprocated pair of arcs counts twice.

use crate::graph::Csr;

/// Core number of every node, as NetworkX `core_number`.
///
/// # Arguments
/// * `g` — the graph (directed: degree = in + out).
///
/// # Returns
/// One core number per node (0 for isolated nodes).
///
/// # Complexity
/// O(n + m) time and O(n) extra memory (bucket sort by degree, then peeling in order).
pub fn core_number(g: &Csr) -> Vec<usize> {
    let n = g.node_count();
    let directed = g.is_directed();
    let mut deg: Vec<usize> = (0..n)
        .map(|v| {
            let d = g.out_neighbors(v).len();
            if directed {
                d + g.in_neighbors(v).len()
            } else {
                d
            }
        })
        .collect();
    let max_deg = deg.iter().copied().max().unwrap_or(0);
    // bin[d] = first position in `vert` of the nodes of degree d.
    let mut bin = vec![0usize; max_deg + 1];
    for &d in &deg {
        bin[d] += 1;
    }
    let mut start = 0;
    for b in bin.iter_mut() {
        let count = *b;
        *b = start;
        start += count;
    }
    let mut pos = vec![0usize; n];
    let mut vert = vec![0usize; n];
    for v in 0..n {
        let d = deg[v];
        pos[v] = bin[d];
        vert[bin[d]] = v;
        bin[d] += 1;
    }
    for d in (1..=max_deg).rev() {
        bin[d] = bin[d - 1];
    }
    bin[0] = 0;
    for i in 0..n {
        let v = vert[i];
        let dv = deg[v];
        let ins: &[u32] = if directed { g.in_neighbors(v) } else { &[] };
        for &u in g.out_neighbors(v).iter().chain(ins) {
            let u = u as usize;
            let du = deg[u];
            if du > dv {
                // Move u to the front of its bucket, then shrink the bucket by one.
                let pu = pos[u];
                let pw = bin[du];
                let w = vert[pw];
                if u != w {
                    pos[u] = pw;
                    vert[pu] = w;
                    pos[w] = pu;
                    vert[pw] = u;
                }
                bin[du] += 1;
                deg[u] = du - 1;
            }
        }
    }
    deg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::degree::reference::cases;
    use crate::graph::Csr;
    use proptest::prelude::*;

    #[test]
    fn matches_networkx_on_reference_graphs() {
        for c in cases() {
            assert_eq!(core_number(&c.graph), c.usizes("core_number"), "{}", c.name);
        }
    }

    /// Naive peeling: the k-core is what survives repeatedly deleting nodes of degree < k.
    fn in_k_core(g: &Csr, k: usize) -> Vec<bool> {
        let n = g.node_count();
        let mut alive = vec![true; n];
        loop {
            let mut changed = false;
            for v in 0..n {
                if !alive[v] {
                    continue;
                }
                let mut d = g
                    .out_neighbors(v)
                    .iter()
                    .filter(|&&u| alive[u as usize])
                    .count();
                if g.is_directed() {
                    d += g
                        .in_neighbors(v)
                        .iter()
                        .filter(|&&u| alive[u as usize])
                        .count();
                }
                if d < k {
                    alive[v] = false;
                    changed = true;
                }
            }
            if !changed {
                return alive;
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn core_numbers_satisfy_the_k_core_definition(
            n in 1usize..40,
            directed in any::<bool>(),
            raw in proptest::collection::vec((0u32..40, 0u32..40), 0..160),
        ) {
            let pairs: Vec<(u32, u32)> =
                raw.into_iter().map(|(a, b)| (a % n as u32, b % n as u32)).collect();
            let g = Csr::from_pairs(n, directed, &pairs);
            let core = core_number(&g);
            let top = core.iter().copied().max().unwrap_or(0);
            for k in 0..=top + 1 {
                let alive = in_k_core(&g, k);
                for v in 0..n {
                    prop_assert_eq!(alive[v], core[v] >= k, "node {} k {}", v, k);
                }
            }
        }
    }
}
