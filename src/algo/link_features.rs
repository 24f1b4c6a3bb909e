//! The features of a node pair that link prediction learns from, as pure functions of an
//! undirected graph and per-node data.
//!
//! For a pair `(u, v)` with neighbour sets `Γ(u)`, `Γ(v)`, degrees `k` and adjacency matrix
//! `A` (NetworkX conventions; tie weights are ignored):
//!
//! | feature | definition |
//! |---|---|
//! | `cn` | common neighbours `|Γ(u) ∩ Γ(v)|` (`nx.common_neighbors`) |
//! | `aa` | Adamic–Adar `Σ_{w ∈ Γ(u) ∩ Γ(v)} 1 / ln k_w` (`nx.adamic_adar_index`) |
//! | `ra` | resource allocation `Σ_{w ∈ Γ(u) ∩ Γ(v)} 1 / k_w` (`nx.resource_allocation_index`) |
//! | `jaccard` | `|Γ(u) ∩ Γ(v)| / |Γ(u) ∪ Γ(v)|`, 0 when both are isolated (`nx.jaccard_coefficient`) |
//! | `pa` | preferential attachment `k_u · k_v` (`nx.preferential_attachment`) |
//! | `paths3` | walks of length 3, `(A³)_{uv}` — for an untied pair, the paths `u–a–b–v` |
//! | `katz` | truncated Katz `Σ_{l=1..3} β^l (A^l)_{uv}`, β = [`KATZ_BETA`] |
//! | `distance` | shortest-path length capped at [`DISTANCE_CAP`] (the cap also when there is no path) |
//! | `same_component` | whether a path exists |
//! | `same_community` | whether both ends are in one community of a given partition (Louvain) |
//! | `shared_fields`, `field_jaccard` | size and Jaccard similarity of the two field lists |
//! | `shared_districts`, `district_jaccard` | size and Jaccard similarity of the two district lists |
//!
//! and for each end its degree, activity, recent activity and summed tie amount
//! ([`NodeData`]). Truncated Katz stands in for personalised PageRank: it measures the same
//! thing (many short routes from one end to the other), and for every source at once it
//! costs one pass over the two-step neighbourhood, where personalised PageRank would cost a
//! power iteration over the whole graph per source.
//!
//! [`pair_features`] computes one pair directly. [`Sweep`] computes every pair of one source
//! in one pass — the counts of walks of length 2 and 3 from the source accumulated into dense
//! arrays, touching only the source's three-step neighbourhood — and gives the same numbers.
//! The reference values of the unit tests come from NetworkX
//! (`fixtures/graphs/reference/make_link_features_reference.py`).

use crate::algo::community::{louvain, LouvainOptions};
use crate::algo::components::connected_components;
use crate::algo::sets::intersection_size;
use crate::algo::Silent;
use crate::graph::Csr;

/// Shortest-path lengths at or beyond this are reported as this.
pub const DISTANCE_CAP: u32 = 4;
/// The attenuation β of truncated Katz.
pub const KATZ_BETA: f64 = 0.05;

/// Data of every node besides the graph's ties, indexed by graph node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeData {
    /// Fields of each node (any `u32` labels), ascending and distinct.
    pub fields: Vec<Vec<u32>>,
    /// Districts of each node, ascending and distinct.
    pub districts: Vec<Vec<u32>>,
    /// Activity: the number of distinct relations behind the node's ties.
    pub activity: Vec<f64>,
    /// The relations dated in the graph's most recent years.
    pub recent_activity: Vec<f64>,
    /// Summed amount of the node's ties (contracts, project shares).
    pub amount: Vec<f64>,
}

impl NodeData {
    /// No data for `n` nodes: no fields, no districts, activity equal to zero.
    pub fn empty(n: usize) -> NodeData {
        NodeData {
            fields: vec![Vec::new(); n],
            districts: vec![Vec::new(); n],
            activity: vec![0.0; n],
            recent_activity: vec![0.0; n],
            amount: vec![0.0; n],
        }
    }
}

/// What is computed once per graph: degrees, connected components and communities.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Degree (distinct neighbours) of every node.
    pub degree: Vec<u32>,
    /// Connected component of every node.
    pub component: Vec<u32>,
    /// Community of every node.
    pub community: Vec<u32>,
}

impl Structure {
    /// Degrees, components and unweighted Louvain communities (seeded) of `graph`.
    pub fn of(graph: &Csr, louvain_seed: u64) -> Structure {
        let n = graph.node_count();
        let community = match louvain(
            graph,
            &LouvainOptions {
                weighted: false,
                seed: louvain_seed,
                ..Default::default()
            },
            &Silent,
        ) {
            Ok(l) => l.communities,
            // Silent never cancels; every node alone is the honest fallback anyway.
            Err(_) => (0..n as u32).collect(),
        };
        Structure::with_communities(graph, community)
    }

    /// Degrees and components of `graph` with communities computed before (by
    /// [`Structure::of`] on the same graph and seed, and kept): what saves a second Louvain
    /// run. `community` must have one entry per node.
    pub fn with_communities(graph: &Csr, community: Vec<u32>) -> Structure {
        debug_assert_eq!(community.len(), graph.node_count());
        Structure {
            degree: (0..graph.node_count())
                .map(|v| graph.out_neighbors(v).len() as u32)
                .collect(),
            component: connected_components(graph).labels,
            community,
        }
    }
}

/// Upper bounds of the walk-counting features over every pair of one source
/// ([`Sweep::maxima`]).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TopologyMaxima {
    /// Largest common-neighbour count.
    pub cn: f64,
    /// Largest Adamic–Adar.
    pub aa: f64,
    /// Largest resource allocation.
    pub ra: f64,
    /// Largest count of walks of length 3.
    pub paths3: f64,
}

/// The features of one pair (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PairFeatures {
    /// Common neighbours.
    pub cn: f64,
    /// Adamic–Adar.
    pub aa: f64,
    /// Resource allocation.
    pub ra: f64,
    /// Jaccard similarity of the neighbour sets.
    pub jaccard: f64,
    /// Preferential attachment `k_u · k_v`.
    pub pa: f64,
    /// Walks of length 3.
    pub paths3: f64,
    /// Truncated Katz.
    pub katz: f64,
    /// Shortest-path length, capped at [`DISTANCE_CAP`]; 0 for a node with itself.
    pub distance: u32,
    /// Whether a path exists.
    pub same_component: bool,
    /// Whether both ends are in one community.
    pub same_community: bool,
    /// Fields both are in.
    pub shared_fields: f64,
    /// Jaccard similarity of the field lists (0 when both are empty).
    pub field_jaccard: f64,
    /// Districts both are in.
    pub shared_districts: f64,
    /// Jaccard similarity of the district lists (0 when both are empty).
    pub district_jaccard: f64,
}

fn list(lists: &[Vec<u32>], v: u32) -> &[u32] {
    lists.get(v as usize).map_or(&[][..], Vec::as_slice)
}

/// Each node's list as a bit set, when all lists together hold at most 64 distinct ids:
/// intersections become popcounts.
fn bit_sets(lists: &[Vec<u32>]) -> Option<Vec<u64>> {
    let mut ids: Vec<u32> = lists.iter().flatten().copied().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > 64 {
        return None;
    }
    Some(
        lists
            .iter()
            .map(|l| {
                l.iter()
                    .map(|x| 1u64 << ids.binary_search(x).unwrap_or(0))
                    .fold(0, |a, b| a | b)
            })
            .collect(),
    )
}

/// Sizes of the intersection and of both lists of `u` and `v`, from bit sets when there are.
fn overlap(lists: &[Vec<u32>], bits: Option<&[u64]>, u: u32, v: u32) -> (usize, usize, usize) {
    match bits {
        Some(b) => {
            let (x, y) = (b[u as usize], b[v as usize]);
            (
                (x & y).count_ones() as usize,
                x.count_ones() as usize,
                y.count_ones() as usize,
            )
        }
        None => {
            let (a, b) = (list(lists, u), list(lists, v));
            (intersection_size(a, b), a.len(), b.len())
        }
    }
}

/// The attribute part of a pair's features (fields, districts, community, component), shared
/// by [`pair_features`] and [`Sweep::features`].
fn attribute_part(
    structure: &Structure,
    data: &NodeData,
    bits: (Option<&[u64]>, Option<&[u64]>),
    u: u32,
    v: u32,
) -> PairFeatures {
    let (ui, vi) = (u as usize, v as usize);
    let (shared_fields, fu, fv) = overlap(&data.fields, bits.0, u, v);
    let (shared_districts, du, dv) = overlap(&data.districts, bits.1, u, v);
    let ratio = |shared: usize, a: usize, b: usize| {
        if a + b == 0 {
            0.0
        } else {
            shared as f64 / (a + b - shared) as f64
        }
    };
    PairFeatures {
        same_component: structure.component[ui] == structure.component[vi],
        same_community: structure.community[ui] == structure.community[vi],
        shared_fields: shared_fields as f64,
        field_jaccard: ratio(shared_fields, fu, fv),
        shared_districts: shared_districts as f64,
        district_jaccard: ratio(shared_districts, du, dv),
        ..PairFeatures::default()
    }
}

/// `1 / ln k` of a common neighbour (NetworkX's Adamic–Adar term; a common neighbour of two
/// distinct nodes has `k ≥ 2`).
fn inverse_log(k: u32) -> f64 {
    if k > 1 {
        1.0 / f64::from(k).ln()
    } else {
        0.0
    }
}

/// The features of `(u, v)`, computed directly from the neighbour lists (O(k_u · k) for the
/// walks of length 3, plus a bounded breadth-first search for the distance).
pub fn pair_features(
    graph: &Csr,
    structure: &Structure,
    data: &NodeData,
    u: u32,
    v: u32,
) -> PairFeatures {
    let mut f = attribute_part(structure, data, (None, None), u, v);
    let (gu, gv) = (
        graph.out_neighbors(u as usize),
        graph.out_neighbors(v as usize),
    );
    let (ku, kv) = (gu.len(), gv.len());
    let (mut i, mut j) = (0, 0);
    while i < ku && j < kv {
        match gu[i].cmp(&gv[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let k = structure.degree[gu[i] as usize];
                f.cn += 1.0;
                f.aa += inverse_log(k);
                f.ra += 1.0 / f64::from(k);
                i += 1;
                j += 1;
            }
        }
    }
    let union = ku + kv - f.cn as usize;
    f.jaccard = if union == 0 { 0.0 } else { f.cn / union as f64 };
    f.pa = (ku * kv) as f64;
    let tied = gu.binary_search(&v).is_ok();
    f.paths3 = gu
        .iter()
        .map(|&a| intersection_size(graph.out_neighbors(a as usize), gv) as f64)
        .sum();
    f.katz = KATZ_BETA * f64::from(u8::from(tied))
        + KATZ_BETA.powi(2) * f.cn
        + KATZ_BETA.powi(3) * f.paths3;
    f.distance = capped_distance(graph, u, v);
    f
}

/// Breadth-first distance from `u` to `v`, at most [`DISTANCE_CAP`].
fn capped_distance(graph: &Csr, u: u32, v: u32) -> u32 {
    if u == v {
        return 0;
    }
    let mut seen = vec![false; graph.node_count()];
    seen[u as usize] = true;
    let mut frontier = vec![u];
    for d in 1..DISTANCE_CAP {
        let mut next = Vec::new();
        for &x in &frontier {
            for &y in graph.out_neighbors(x as usize) {
                if y == v {
                    return d;
                }
                if !seen[y as usize] {
                    seen[y as usize] = true;
                    next.push(y);
                }
            }
        }
        frontier = next;
    }
    DISTANCE_CAP
}

/// Sweeps handed from one chunk of sources to the next, so that a pass over many chunks
/// allocates (and the system zeroes) one dense workspace per thread, not one per chunk —
/// at 200,000 nodes a workspace is 6 MB. A reused sweep gives the same features as a new one:
/// [`Sweep::run`] resets what the last run touched.
pub struct SweepPool<'g> {
    graph: &'g Csr,
    structure: &'g Structure,
    data: &'g NodeData,
    idle: std::sync::Mutex<Vec<Sweep<'g>>>,
}

impl<'g> SweepPool<'g> {
    /// An empty pool of sweeps over `graph`.
    pub fn new(graph: &'g Csr, structure: &'g Structure, data: &'g NodeData) -> Self {
        SweepPool {
            graph,
            structure,
            data,
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// An idle sweep, or a new one.
    pub fn take(&self) -> Sweep<'g> {
        self.idle
            .lock()
            .ok()
            .and_then(|mut idle| idle.pop())
            .unwrap_or_else(|| Sweep::new(self.graph, self.structure, self.data))
    }

    /// Gives `sweep` back for the next chunk.
    pub fn give(&self, sweep: Sweep<'g>) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(sweep);
        }
    }
}

/// Every pair of one source at once: after [`Sweep::run`]`(u)`, [`Sweep::features`]`(v)`
/// is [`pair_features`]`(u, v)` in O(1) plus the attribute lists.
///
/// Cost of a run: `Σ_{w ∈ Γ(u)} k_w + Σ_{x at distance ≤ 2} k_x`. The workspace is dense
/// (about 30 bytes per node) and reset in time proportional to what the last run touched.
#[derive(Debug, Clone)]
pub struct Sweep<'g> {
    graph: &'g Csr,
    structure: &'g Structure,
    data: &'g NodeData,
    source: u32,
    cn: Vec<u32>,
    aa: Vec<f64>,
    ra: Vec<f64>,
    paths3: Vec<f64>,
    adjacent: Vec<bool>,
    two: Vec<u32>,
    three: Vec<u32>,
    field_bits: Option<Vec<u64>>,
    district_bits: Option<Vec<u64>>,
}

impl<'g> Sweep<'g> {
    /// A workspace for `graph` (undirected, neighbour lists sorted and free of self-loops).
    pub fn new(graph: &'g Csr, structure: &'g Structure, data: &'g NodeData) -> Self {
        let n = graph.node_count();
        Sweep {
            graph,
            structure,
            data,
            source: u32::MAX,
            cn: vec![0; n],
            aa: vec![0.0; n],
            ra: vec![0.0; n],
            paths3: vec![0.0; n],
            adjacent: vec![false; n],
            two: Vec::new(),
            three: Vec::new(),
            field_bits: bit_sets(&data.fields),
            district_bits: bit_sets(&data.districts),
        }
    }

    /// Accumulates the walks of length 2 and 3 from `u`.
    pub fn run(&mut self, u: u32) {
        for &x in &self.two {
            let x = x as usize;
            self.cn[x] = 0;
            self.aa[x] = 0.0;
            self.ra[x] = 0.0;
        }
        for &x in &self.three {
            self.paths3[x as usize] = 0.0;
        }
        self.two.clear();
        self.three.clear();
        if self.source != u32::MAX {
            for &w in self.graph.out_neighbors(self.source as usize) {
                self.adjacent[w as usize] = false;
            }
        }
        self.source = u;
        let g = self.graph;
        let neighbours = g.out_neighbors(u as usize);
        for &w in neighbours {
            self.adjacent[w as usize] = true;
        }
        for &w in neighbours {
            let k = self.structure.degree[w as usize];
            let (inv_log, inv) = (inverse_log(k), 1.0 / f64::from(k));
            for &x in g.out_neighbors(w as usize) {
                if x == u {
                    continue;
                }
                let xi = x as usize;
                if self.cn[xi] == 0 {
                    self.two.push(x);
                }
                self.cn[xi] += 1;
                self.aa[xi] += inv_log;
                self.ra[xi] += inv;
            }
        }
        // Walks u–a–x–y: through every x two steps away, and back through u itself
        // ((A²)_{uu} = k_u walks), which reach only u's neighbours.
        for &x in &self.two {
            let walks = f64::from(self.cn[x as usize]);
            for &y in g.out_neighbors(x as usize) {
                if self.paths3[y as usize] == 0.0 {
                    self.three.push(y);
                }
                self.paths3[y as usize] += walks;
            }
        }
        let ku = neighbours.len() as f64;
        for &y in neighbours {
            if self.paths3[y as usize] == 0.0 {
                self.three.push(y);
            }
            self.paths3[y as usize] += ku;
        }
    }

    /// The source of the last run.
    pub fn source(&self) -> u32 {
        self.source
    }

    /// Whether `v` is tied to the source.
    pub fn is_adjacent(&self, v: u32) -> bool {
        self.adjacent[v as usize]
    }

    /// Nodes at distance exactly 2 or 3 from the source (each once, in no set order).
    pub fn near(&self) -> impl Iterator<Item = u32> + '_ {
        let u = self.source;
        self.two
            .iter()
            .copied()
            .chain(
                self.three
                    .iter()
                    .copied()
                    .filter(move |&y| self.cn[y as usize] == 0),
            )
            .filter(move |&x| x != u && !self.adjacent[x as usize])
    }

    /// The walk counts of the source and `v` (`v` not the source): common neighbours,
    /// Adamic–Adar, resource allocation and walks of length 3 — what a bound of a pair's
    /// topology features reads, without computing the features.
    pub fn walks(&self, v: u32) -> (u32, f64, f64, f64) {
        let vi = v as usize;
        (self.cn[vi], self.aa[vi], self.ra[vi], self.paths3[vi])
    }

    /// Common neighbours of the source and `v` (the walks of length 2).
    pub fn common_neighbors(&self, v: u32) -> u32 {
        if v == self.source {
            0
        } else {
            self.cn[v as usize]
        }
    }

    /// The capped distance from the source to `v` (as in [`PairFeatures::distance`]).
    pub fn distance(&self, v: u32) -> u32 {
        let vi = v as usize;
        if v == self.source {
            0
        } else if self.adjacent[vi] {
            1
        } else if self.cn[vi] > 0 {
            2
        } else if self.paths3[vi] > 0.0 {
            3
        } else {
            DISTANCE_CAP
        }
    }

    /// The features of `(source, v)`.
    pub fn features(&self, v: u32) -> PairFeatures {
        self.complete(self.topology(v), v)
    }

    /// [`Sweep::features`] from the pair's [`Sweep::topology`], adding the attributes.
    pub fn complete(&self, topology: PairFeatures, v: u32) -> PairFeatures {
        let bits = (self.field_bits.as_deref(), self.district_bits.as_deref());
        let attributes = attribute_part(self.structure, self.data, bits, self.source, v);
        PairFeatures {
            same_component: attributes.same_component,
            same_community: attributes.same_community,
            shared_fields: attributes.shared_fields,
            field_jaccard: attributes.field_jaccard,
            shared_districts: attributes.shared_districts,
            district_jaccard: attributes.district_jaccard,
            ..topology
        }
    }

    /// The largest common-neighbour count, Adamic–Adar, resource allocation and count of
    /// walks of length 3 from the source to any node: bounds of those features over every
    /// pair of the source.
    pub fn maxima(&self) -> TopologyMaxima {
        let mut m = TopologyMaxima::default();
        for &x in &self.two {
            let x = x as usize;
            m.cn = m.cn.max(f64::from(self.cn[x]));
            m.aa = m.aa.max(self.aa[x]);
            m.ra = m.ra.max(self.ra[x]);
        }
        for &y in &self.three {
            m.paths3 = m.paths3.max(self.paths3[y as usize]);
        }
        m
    }

    /// The features of `(source, v)` that come from the graph's ties alone (walks,
    /// degrees, distance); the attribute features (fields, districts, community,
    /// component) left at zero. Cheaper than [`Sweep::features`]: what the single
    /// heuristics read.
    pub fn topology(&self, v: u32) -> PairFeatures {
        let u = self.source;
        let mut f = PairFeatures::default();
        if v == u {
            return f;
        }
        let vi = v as usize;
        let (ku, kv) = (self.structure.degree[u as usize], self.structure.degree[vi]);
        let cn = self.cn[vi];
        f.cn = f64::from(cn);
        f.aa = self.aa[vi];
        f.ra = self.ra[vi];
        let union = ku + kv - cn;
        f.jaccard = if union == 0 {
            0.0
        } else {
            f64::from(cn) / f64::from(union)
        };
        f.pa = f64::from(ku) * f64::from(kv);
        f.paths3 = self.paths3[vi];
        f.katz = KATZ_BETA * f64::from(u8::from(self.adjacent[vi]))
            + KATZ_BETA.powi(2) * f.cn
            + KATZ_BETA.powi(3) * f.paths3;
        f.distance = if self.adjacent[vi] {
            1
        } else if cn > 0 {
            2
        } else if f.paths3 > 0.0 {
            3
        } else {
            DISTANCE_CAP
        };
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Csr;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Reference {
        beta: f64,
        distance_cap: u32,
        graphs: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        nodes: usize,
        edges: Vec<(u32, u32)>,
        columns: Columns,
    }

    #[derive(Deserialize)]
    struct Columns {
        cn: Vec<f64>,
        aa: Vec<f64>,
        ra: Vec<f64>,
        jaccard: Vec<f64>,
        pa: Vec<f64>,
        paths3: Vec<f64>,
        katz: Vec<f64>,
        distance: Vec<u32>,
        same_component: Vec<bool>,
    }

    fn reference() -> Reference {
        serde_json::from_str(include_str!(
            "../../fixtures/graphs/reference/link_features.json"
        ))
        .expect("the committed reference parses")
    }

    fn check(name: &str, u: u32, v: u32, got: &PairFeatures, c: &Columns, i: usize) {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
        let at = format!("{name} ({u}, {v}): {got:?}");
        assert!(close(got.cn, c.cn[i]), "cn {at}");
        assert!(close(got.aa, c.aa[i]), "aa {at}");
        assert!(close(got.ra, c.ra[i]), "ra {at}");
        assert!(close(got.jaccard, c.jaccard[i]), "jaccard {at}");
        assert!(close(got.pa, c.pa[i]), "pa {at}");
        assert!(close(got.paths3, c.paths3[i]), "paths3 {at}");
        assert!(close(got.katz, c.katz[i]), "katz {at}");
        assert_eq!(got.distance, c.distance[i], "distance {at}");
        assert_eq!(got.same_component, c.same_component[i], "component {at}");
    }

    #[test]
    fn every_pair_matches_networkx_directly_and_by_sweep() {
        let r = reference();
        assert_eq!(r.beta, KATZ_BETA);
        assert_eq!(r.distance_cap, DISTANCE_CAP);
        for case in &r.graphs {
            let g = Csr::from_pairs(case.nodes, false, &case.edges);
            let s = Structure::of(&g, 0);
            let data = NodeData::empty(case.nodes);
            let mut sweep = Sweep::new(&g, &s, &data);
            let mut i = 0;
            for u in 0..case.nodes as u32 {
                sweep.run(u);
                for v in u + 1..case.nodes as u32 {
                    check(
                        &case.name,
                        u,
                        v,
                        &pair_features(&g, &s, &data, u, v),
                        &case.columns,
                        i,
                    );
                    check(&case.name, u, v, &sweep.features(v), &case.columns, i);
                    assert_eq!(sweep.distance(v), case.columns.distance[i]);
                    i += 1;
                }
            }
            assert_eq!(i, case.columns.cn.len(), "{}", case.name);
        }
    }

    #[test]
    fn near_lists_exactly_the_nodes_two_or_three_steps_away() {
        let r = reference();
        let case = &r.graphs[0];
        let g = Csr::from_pairs(case.nodes, false, &case.edges);
        let s = Structure::of(&g, 0);
        let data = NodeData::empty(case.nodes);
        let mut sweep = Sweep::new(&g, &s, &data);
        for u in 0..case.nodes as u32 {
            sweep.run(u);
            let mut near: Vec<u32> = sweep.near().collect();
            near.sort_unstable();
            let expected: Vec<u32> = (0..case.nodes as u32)
                .filter(|&v| matches!(capped_distance(&g, u, v), 2 | 3))
                .collect();
            assert_eq!(near, expected, "source {u}");
        }
    }

    #[test]
    fn attributes_and_communities_enter_as_counted_by_hand() {
        // Two triangles joined by one tie (2–3): Louvain puts each triangle in its own
        // community.
        let g = Csr::from_pairs(
            7,
            false,
            &[(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (3, 5), (4, 5)],
        );
        let s = Structure::of(&g, 1);
        let mut data = NodeData::empty(7);
        data.fields[0] = vec![1, 2, 3];
        data.fields[5] = vec![2, 3, 9];
        data.districts[0] = vec![7];
        data.districts[5] = vec![7];
        let f = pair_features(&g, &s, &data, 0, 5);
        assert_eq!(f.shared_fields, 2.0);
        assert_eq!(f.field_jaccard, 0.5);
        assert_eq!(f.shared_districts, 1.0);
        assert_eq!(f.district_jaccard, 1.0);
        assert!(!f.same_community);
        assert!(pair_features(&g, &s, &data, 0, 1).same_community);
        assert!(pair_features(&g, &s, &data, 4, 5).same_community);
        // Node 6 is isolated: another component, no path.
        let lone = pair_features(&g, &s, &data, 0, 6);
        assert!(!lone.same_component);
        assert_eq!(lone.distance, DISTANCE_CAP);
        assert_eq!(f.distance, 3, "0–2–3–5");
        let mut sweep = Sweep::new(&g, &s, &data);
        sweep.run(0);
        assert_eq!(sweep.features(5), f);
        assert_eq!(sweep.features(0).distance, 0);
        assert!(sweep.is_adjacent(1) && !sweep.is_adjacent(3));
        assert_eq!(sweep.common_neighbors(1), 1);
        // More than 64 distinct fields: lists instead of bit sets, the same figures.
        for v in 1..5 {
            data.fields[v] = (v as u32 * 30..v as u32 * 30 + 30).collect();
        }
        data.fields[5] = vec![2, 3, 9, 61, 62];
        let mut sweep = Sweep::new(&g, &s, &data);
        assert!(sweep.field_bits.is_none() && sweep.district_bits.is_some());
        sweep.run(0);
        for v in 1..7 {
            assert_eq!(sweep.features(v), pair_features(&g, &s, &data, 0, v));
        }
        assert_eq!(sweep.features(5).shared_fields, 2.0);
    }
}
