//! Gould–Fernandez brokerage (Gould & Fernandez 1989, "Structures of mediation: a formal
//! approach to brokerage in transaction networks"): for every node `b`, how many open
//! two-paths `a → b → c` (`a ≠ c`, no tie `a → c`) it brokers, by role of the three groups:
//!
//! | role           | groups               |
//! |----------------|----------------------|
//! | coordinator    | g(a) = g(b) = g(c)   |
//! | itinerant      | g(a) = g(c) ≠ g(b)   |
//! | representative | g(a) = g(b) ≠ g(c)   |
//! | gatekeeper     | g(a) ≠ g(b) = g(c)   |
//! | liaison        | all three different  |
//!
//! On an undirected graph a two-path is an unordered pair {a, c} of untied neighbours of
//! `b`, and representative and gatekeeper cannot be told apart: they are counted as one role
//! (in the representative slot). Counting is per group pair (O(k²) per broker for k groups)
//! minus the closed two-paths, which are found once and kept for the permutation test.
//!
//! z-scores ([`Brokerage::z_scores`]): seeded permutations shuffle the group labels over all
//! nodes (group sizes kept); the broker keeps its own group, the two ends take the shuffled
//! labels. `z = (observed − mean) / sd` over the permutations (population sd); `None` when
//! the sd is 0 (the count cannot vary) or no permutation was asked for.

use thiserror::Error;

use super::rng::SplitMix64;
use crate::graph::Csr;

/// Why brokerage could not be counted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BrokerageError {
    /// More closed two-paths than the memory bound allows.
    #[error("too many closed triads to count brokerage in memory")]
    TooManyClosedTriads,
}

/// Role names on directed graphs, in column order.
pub const DIRECTED_ROLES: [&str; 5] = [
    "coordinator",
    "itinerant",
    "representative",
    "gatekeeper",
    "liaison",
];

/// Role names on undirected graphs, in column order.
pub const UNDIRECTED_ROLES: [&str; 4] = [
    "coordinator",
    "itinerant",
    "representative_gatekeeper",
    "liaison",
];

/// Role index (into [`DIRECTED_ROLES`]) of a two-path with these groups. On undirected
/// graphs callers fold representative (2) and gatekeeper (3) together.
fn role(ga: u16, gb: u16, gc: u16) -> usize {
    match (ga == gb, gb == gc, ga == gc) {
        (true, true, _) => 0,
        (false, false, true) => 1,
        (true, false, _) => 2,
        (false, true, _) => 3,
        (false, false, false) => 4,
    }
}

/// Per broker, its closed two-paths (pairs of ends that are tied), computed once.
struct Closed {
    offsets: Vec<usize>,
    pairs: Vec<(u32, u32)>,
}

/// Largest number of closed two-paths kept in memory for permutations.
const MAX_CLOSED: usize = 200_000_000;

fn closed_pairs(g: &Csr) -> Result<Closed, BrokerageError> {
    let n = g.node_count();
    let mut mark = vec![usize::MAX; n];
    let mut offsets = vec![0];
    let mut pairs = Vec::new();
    for b in 0..n {
        for &c in g.out_neighbors(b) {
            mark[c as usize] = b;
        }
        for &a in g.in_neighbors(b) {
            for &c in g.out_neighbors(a as usize) {
                // Undirected: each unordered pair once (a < c); directed: every a → c arc.
                if mark[c as usize] == b && c != a && (g.is_directed() || a < c) {
                    pairs.push((a, c));
                }
            }
        }
        if pairs.len() > MAX_CLOSED {
            return Err(BrokerageError::TooManyClosedTriads);
        }
        offsets.push(pairs.len());
    }
    Ok(Closed { offsets, pairs })
}

/// Brokerage counts of every node: `[coordinator, itinerant, representative, gatekeeper,
/// liaison]` (on undirected graphs representative holds the combined role and gatekeeper is
/// 0). `groups[v]` is `v`'s group for the ends, `own[v]` the broker's own group;
/// `between` keeps only two-paths with one end in each of the two groups.
fn count(
    g: &Csr,
    closed: &Closed,
    groups: &[u16],
    own: &[u16],
    k: usize,
    between: Option<(u16, u16)>,
) -> Vec<[u64; 5]> {
    let n = g.node_count();
    let directed = g.is_directed();
    let mut inc = vec![0u64; k];
    let mut out = vec![0u64; k];
    let mut m = vec![0i64; k * k];
    let mut result = vec![[0u64; 5]; n];
    for b in 0..n {
        inc.iter_mut().for_each(|x| *x = 0);
        out.iter_mut().for_each(|x| *x = 0);
        m.iter_mut().for_each(|x| *x = 0);
        for &a in g.in_neighbors(b) {
            inc[groups[a as usize] as usize] += 1;
        }
        if directed {
            for &c in g.out_neighbors(b) {
                out[groups[c as usize] as usize] += 1;
            }
            for g1 in 0..k {
                for g2 in 0..k {
                    m[g1 * k + g2] = (inc[g1] * out[g2]) as i64;
                }
            }
            // a = c is no two-path.
            let (ins, outs) = (g.in_neighbors(b), g.out_neighbors(b));
            let (mut i, mut j) = (0, 0);
            while i < ins.len() && j < outs.len() {
                match ins[i].cmp(&outs[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        let x = groups[ins[i] as usize] as usize;
                        m[x * k + x] -= 1;
                        i += 1;
                        j += 1;
                    }
                }
            }
            for &(a, c) in &closed.pairs[closed.offsets[b]..closed.offsets[b + 1]] {
                m[groups[a as usize] as usize * k + groups[c as usize] as usize] -= 1;
            }
        } else {
            for g1 in 0..k {
                let c1 = inc[g1] as i64;
                m[g1 * k + g1] = c1 * (c1 - 1) / 2;
                for g2 in g1 + 1..k {
                    m[g1 * k + g2] = c1 * inc[g2] as i64;
                }
            }
            for &(a, c) in &closed.pairs[closed.offsets[b]..closed.offsets[b + 1]] {
                let (x, y) = (groups[a as usize] as usize, groups[c as usize] as usize);
                m[x.min(y) * k + x.max(y)] -= 1;
            }
        }
        let gb = own[b];
        for g1 in 0..k {
            for g2 in 0..k {
                let v = m[g1 * k + g2];
                if v <= 0 {
                    continue;
                }
                if let Some((p, q)) = between {
                    let ok =
                        (g1 as u16 == p && g2 as u16 == q) || (g1 as u16 == q && g2 as u16 == p);
                    if !ok {
                        continue;
                    }
                }
                let mut r = role(g1 as u16, gb, g2 as u16);
                if !directed && r == 3 {
                    r = 2;
                }
                result[b][r] += v as u64;
            }
        }
    }
    result
}

/// Brokerage counting on one graph: the closed two-paths are found once, then any labelling
/// of the nodes into groups is counted in O(Σ_b k² + closed two-paths).
pub struct Brokerage<'g> {
    graph: &'g Csr,
    closed: Closed,
}

impl<'g> Brokerage<'g> {
    /// Prepares counting on `graph` (finds its closed two-paths).
    pub fn new(graph: &'g Csr) -> Result<Self, BrokerageError> {
        Ok(Brokerage {
            graph,
            closed: closed_pairs(graph)?,
        })
    }

    /// Counts of every node, `[coordinator, itinerant, representative, gatekeeper, liaison]`:
    /// `groups[v]` labels the ends, `own[v]` the broker, `k` bounds the group codes and
    /// `between = (p, q)` keeps only two-paths with one end in `p` and one in `q`.
    pub fn counts(
        &self,
        groups: &[u16],
        own: &[u16],
        k: usize,
        between: Option<(u16, u16)>,
    ) -> Vec<[u64; 5]> {
        count(self.graph, &self.closed, groups, own, k, between)
    }

    /// Permutation z-scores of `observed` (see the module documentation): `permutations`
    /// shuffles of `groups` from `seed`; `None` where the count cannot vary or
    /// `permutations` is 0.
    pub fn z_scores(
        &self,
        groups: &[u16],
        k: usize,
        between: Option<(u16, u16)>,
        observed: &[[u64; 5]],
        permutations: usize,
        seed: u64,
    ) -> Vec<[Option<f64>; 5]> {
        let n = groups.len();
        let mut sum = vec![[0f64; 5]; n];
        let mut sumsq = vec![[0f64; 5]; n];
        let mut rng = SplitMix64::new(seed);
        let mut shuffled = groups.to_vec();
        for _ in 0..permutations {
            rng.shuffle(&mut shuffled);
            let c = self.counts(&shuffled, groups, k, between);
            for v in 0..n {
                for r in 0..5 {
                    let x = c[v][r] as f64;
                    sum[v][r] += x;
                    sumsq[v][r] += x * x;
                }
            }
        }
        let p = permutations as f64;
        (0..n)
            .map(|v| {
                std::array::from_fn(|r| {
                    if permutations == 0 {
                        return None;
                    }
                    let mean = sum[v][r] / p;
                    let var = (sumsq[v][r] / p - mean * mean).max(0.0);
                    let sd = var.sqrt();
                    (sd > 1e-12).then(|| (observed[v][r] as f64 - mean) / sd)
                })
            })
            .collect()
    }
}

/// Brokerage counts of a plain graph with given groups (for tests and callers with their own
/// graphs): one `[coordinator, itinerant, representative, gatekeeper, liaison]` per node.
pub fn brokerage_counts(
    g: &Csr,
    groups: &[u16],
    between: Option<(u16, u16)>,
) -> Result<Vec<[u64; 5]>, BrokerageError> {
    let k = groups.iter().map(|&x| x as usize + 1).max().unwrap_or(1);
    let closed = closed_pairs(g)?;
    Ok(count(g, &closed, groups, groups, k, between))
}

/// Brute-force brokerage counts by enumerating two-paths (reference for tests).
#[cfg(test)]
fn brute(g: &Csr, groups: &[u16]) -> Vec<[u64; 5]> {
    let n = g.node_count();
    let tied = |a: u32, c: u32| g.out_neighbors(a as usize).contains(&c);
    let mut out = vec![[0u64; 5]; n];
    for b in 0..n {
        for &a in g.in_neighbors(b) {
            for &c in g.out_neighbors(b) {
                if a == c || tied(a, c) || (!g.is_directed() && a > c) {
                    continue;
                }
                let mut r = role(groups[a as usize], groups[b], groups[c as usize]);
                if !g.is_directed() && r == 3 {
                    r = 2;
                }
                out[b][r] += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Csr;

    fn csr(n: usize, directed: bool, edges: &[(u32, u32)]) -> Csr {
        let e: Vec<(u32, u32, f64)> = edges.iter().map(|&(a, b)| (a, b, 1.0)).collect();
        Csr::from_edges(n, directed, &e)
    }

    #[test]
    fn directed_textbook_roles() {
        // Groups: 0 = A, 1 = B, 2 = C. Nodes 0 A, 1 A, 2 B (the broker), 3 B, 4 C, 5 B.
        let groups = [0, 0, 1, 1, 2, 1];
        let g = csr(6, true, &[(0, 2), (2, 3), (2, 4), (2, 1), (3, 2), (2, 5)]);
        let c = brokerage_counts(&g, &groups, None).unwrap();
        // In-neighbours of 2: {0 (A), 3 (B)}; out: {1 (A), 3 (B), 4 (C), 5 (B)}.
        // 0->2->1 itinerant, 0->2->3 gatekeeper, 0->2->4 liaison, 0->2->5 gatekeeper,
        // 3->2->1 representative, 3->2->4 representative, 3->2->5 coordinator (3->2->3 is no path).
        assert_eq!(c[2], [1, 1, 2, 2, 1]);
        assert_eq!(c, brute(&g, &groups));
        // Closing 0 -> 4 removes the liaison path.
        let g2 = csr(
            6,
            true,
            &[(0, 2), (2, 3), (2, 4), (2, 1), (3, 2), (2, 5), (0, 4)],
        );
        assert_eq!(
            brokerage_counts(&g2, &groups, None).unwrap()[2],
            [1, 1, 2, 2, 0]
        );
        // Only two-paths between A and C.
        assert_eq!(
            brokerage_counts(&g, &groups, Some((0, 2))).unwrap()[2],
            [0, 0, 0, 0, 1]
        );
    }

    #[test]
    fn undirected_folds_representative_and_gatekeeper() {
        // Star around 0 (group 0) with leaves of groups 0, 0, 1, 2; leaves 1 and 2 tied.
        let groups = [0, 0, 0, 1, 2];
        let g = csr(5, false, &[(0, 1), (0, 2), (0, 3), (0, 4), (1, 2)]);
        let c = brokerage_counts(&g, &groups, None).unwrap();
        // Pairs of 0's neighbours: {1,2} tied (closed); {1,3} {2,3} {1,4} {2,4}: one end in
        // group 0 -> representative/gatekeeper (4); {3,4}: ends 1 and 2, broker 0 -> liaison.
        assert_eq!(c[0], [0, 0, 4, 0, 1]);
        assert_eq!(c, brute(&g, &groups));
    }

    #[test]
    fn matches_brute_force_on_a_random_graph() {
        let mut rng = SplitMix64::new(7);
        for directed in [false, true] {
            let n = 30;
            let mut e = Vec::new();
            for _ in 0..120 {
                let (a, b) = (rng.index(n) as u32, rng.index(n) as u32);
                e.push((a, b));
            }
            let g = csr(n, directed, &e);
            let groups: Vec<u16> = (0..n).map(|_| rng.index(3) as u16).collect();
            assert_eq!(
                brokerage_counts(&g, &groups, None).unwrap(),
                brute(&g, &groups)
            );
        }
    }
}
