//! Centrality reports: run a list of algorithms on one view and return one row per node.
//!
//! Conventions (as NetworkX, see each algorithm's documentation in `algo`):
//! - `degree` is the raw number of neighbours in the view (parallel ties merged), as
//!   `G.degree`; `strength` sums the view's tie weights.
//! - `betweenness` is normalised by (n−1)(n−2)/2 on undirected views and (n−1)(n−2) on
//!   directed ones, endpoints excluded; `--samples K` samples K sources and scales by n/K;
//!   `--epsilon/--delta` uses Riondato–Kornaropoulos sampling of shortest paths.
//! - `closeness` uses the Wasserman–Faust scaling (`wf_improved`), `harmonic` the
//!   unnormalised sum of 1/d; on directed views both use distances *to* the node.
//! - Without `--weighted` every tie counts 1 (degree-based measures, shortest paths by hops,
//!   unweighted PageRank and eigenvector). With `--weighted` the view's weight is tie
//!   strength: strength, PageRank, eigenvector and Louvain use it directly; path-based
//!   measures use distance = 1/weight.
//! - `core` is the k-core number; `component` numbers components from 0 by decreasing size;
//!   `community` is a Louvain community (seeded), numbered from 0 by decreasing size;
//!   `constraint` / `effective_size` are Burt's (NaN, shown as null, for isolated nodes);
//!   `articulation` is 1 for articulation points; `bridges` counts the bridges at a node.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::QueryError;
use crate::algo::{self, Observer};
use crate::graph::{build_view, View, ViewOptions};
use crate::model::Schema;
use crate::store::Snapshot;

/// An algorithm that gives one value per node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algo {
    /// Number of neighbours.
    Degree,
    /// Sum of tie weights.
    Strength,
    /// Brandes betweenness (exact, sampled or approximated).
    Betweenness,
    /// Wasserman–Faust closeness.
    Closeness,
    /// Harmonic centrality.
    Harmonic,
    /// PageRank.
    Pagerank,
    /// Eigenvector centrality.
    Eigenvector,
    /// k-core number.
    Core,
    /// Connected component id.
    Component,
    /// Louvain community id.
    Community,
    /// Burt's constraint.
    Constraint,
    /// Burt's effective size.
    EffectiveSize,
    /// 1 for articulation points, else 0.
    Articulation,
    /// Number of bridges at the node.
    Bridges,
}

impl Algo {
    /// Every algorithm, in the order of the documentation.
    pub const ALL: [Algo; 14] = [
        Algo::Degree,
        Algo::Strength,
        Algo::Betweenness,
        Algo::Closeness,
        Algo::Harmonic,
        Algo::Pagerank,
        Algo::Eigenvector,
        Algo::Core,
        Algo::Component,
        Algo::Community,
        Algo::Constraint,
        Algo::EffectiveSize,
        Algo::Articulation,
        Algo::Bridges,
    ];

    /// The name used on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            Algo::Degree => "degree",
            Algo::Strength => "strength",
            Algo::Betweenness => "betweenness",
            Algo::Closeness => "closeness",
            Algo::Harmonic => "harmonic",
            Algo::Pagerank => "pagerank",
            Algo::Eigenvector => "eigenvector",
            Algo::Core => "core",
            Algo::Component => "component",
            Algo::Community => "community",
            Algo::Constraint => "constraint",
            Algo::EffectiveSize => "effective_size",
            Algo::Articulation => "articulation",
            Algo::Bridges => "bridges",
        }
    }

    /// Other names users write for each algorithm.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Algo::Degree => &["degree_centrality", "deg"],
            Algo::Strength => &["weighted_degree"],
            Algo::Betweenness => &["betweenness_centrality", "between", "bc"],
            Algo::Closeness => &["closeness_centrality"],
            Algo::Harmonic => &["harmonic_centrality"],
            Algo::Pagerank => &["page_rank", "pr"],
            Algo::Eigenvector => &["eigenvector_centrality", "eigen"],
            Algo::Core => &["kcore", "k_core", "core_number", "coreness"],
            Algo::Component => &["components", "connected_components", "cc"],
            Algo::Community => &["louvain", "communities", "modularity"],
            Algo::Constraint => &["burt", "burt_constraint"],
            Algo::EffectiveSize => &["effsize", "effective"],
            Algo::Articulation => &["articulation_points", "cut_vertices"],
            Algo::Bridges => &["bridge", "cut_edges"],
        }
    }

    /// Parses a name: case-insensitive, `-` for `_`, with aliases (`louvain` is
    /// `community`, `PageRank` is `pagerank`); an unknown name gets "did you mean".
    pub fn parse(name: &str) -> Result<Algo, QueryError> {
        let names: Vec<(&str, &[&str])> =
            Algo::ALL.iter().map(|a| (a.name(), a.aliases())).collect();
        let chosen = super::lookup::choose("algorithm", name, &names)?;
        Algo::ALL
            .into_iter()
            .find(|a| a.name() == chosen)
            .ok_or_else(|| QueryError::BadParameter(format!("unknown algorithm `{name}`")))
    }

    /// Parses a comma-separated list.
    pub fn parse_list(list: &str) -> Result<Vec<Algo>, QueryError> {
        let algos: Vec<Algo> = list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(Algo::parse)
            .collect::<Result<_, _>>()?;
        if algos.is_empty() {
            return Err(QueryError::BadParameter("no algorithm given".into()));
        }
        Ok(algos)
    }

    /// Whether values are whole numbers (ids, counts).
    pub fn is_integral(self) -> bool {
        matches!(
            self,
            Algo::Degree
                | Algo::Core
                | Algo::Component
                | Algo::Community
                | Algo::Articulation
                | Algo::Bridges
        )
    }
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct CentralityRequest {
    /// Algorithms, in output order; rows are ranked by the first.
    pub algos: Vec<Algo>,
    /// The view to compute on.
    pub view: ViewOptions,
    /// Use tie weights (see the module documentation).
    pub weighted: bool,
    /// Betweenness: sample this many sources.
    pub samples: Option<usize>,
    /// Betweenness: approximate with this error bound.
    pub epsilon: Option<f64>,
    /// Betweenness: with this failure probability.
    pub delta: f64,
    /// Seed of sampling and Louvain.
    pub seed: u64,
    /// PageRank damping.
    pub damping: f64,
    /// Convergence tolerance of PageRank and eigenvector (per node, as NetworkX's `tol`;
    /// default 1e-10, so results sit within 1e-9 of the fixed point, where NetworkX's
    /// default 1e-6 stops a few 1e-6 short).
    pub tol: f64,
    /// Output only nodes of these kinds (the graph stays whole).
    pub kinds: Vec<String>,
    /// Output only the top N rows by the first algorithm.
    pub top: Option<usize>,
}

impl Default for CentralityRequest {
    fn default() -> Self {
        CentralityRequest {
            algos: vec![Algo::Degree],
            view: ViewOptions::default(),
            weighted: false,
            samples: None,
            epsilon: None,
            delta: 0.1,
            seed: 42,
            damping: 0.85,
            tol: 1e-10,
            kinds: Vec::new(),
            top: None,
        }
    }
}

impl CentralityRequest {
    /// The same question with every parameter that cannot change the answer reset to its
    /// default (the seed without sampling or Louvain, PageRank's damping without PageRank,
    /// `weighted` for measures that ignore weights, …), so that equivalent requests share
    /// one cached result.
    pub fn normalized(&self) -> CentralityRequest {
        let defaults = CentralityRequest::default();
        let uses = |a: Algo| self.algos.contains(&a);
        let betweenness = uses(Algo::Betweenness);
        let mut n = self.clone();
        if !betweenness {
            n.samples = None;
            n.epsilon = None;
        }
        if n.epsilon.is_none() {
            n.delta = defaults.delta;
        }
        let sampled = betweenness && (n.samples.is_some() || n.epsilon.is_some());
        if !sampled && !uses(Algo::Community) {
            n.seed = defaults.seed;
        }
        if !uses(Algo::Pagerank) {
            n.damping = defaults.damping;
        }
        if !uses(Algo::Pagerank) && !uses(Algo::Eigenvector) {
            n.tol = defaults.tol;
        }
        let ignores_weights = |a: &Algo| {
            matches!(
                a,
                Algo::Degree
                    | Algo::Strength
                    | Algo::Core
                    | Algo::Component
                    | Algo::Articulation
                    | Algo::Bridges
            )
        };
        if self.algos.iter().all(ignores_weights) {
            n.weighted = false;
        }
        n.kinds.sort();
        n.kinds.dedup();
        n
    }

    /// Whether the request runs a measure that computes shortest paths from every node (or
    /// from many sampled ones): betweenness, closeness, harmonic. Those take seconds to
    /// minutes on large views, where the others take milliseconds.
    pub fn is_path_based(&self) -> bool {
        self.algos
            .iter()
            .any(|a| matches!(a, Algo::Betweenness | Algo::Closeness | Algo::Harmonic))
    }
}

/// Distribution of one algorithm's values over the reported nodes, and its run time.
#[derive(Debug, Clone, Serialize)]
pub struct AlgoSummary {
    /// Algorithm name.
    pub algo: String,
    /// Smallest value.
    pub min: f64,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest value.
    pub max: f64,
    /// Seconds the algorithm took.
    pub seconds: f64,
    /// Notes (e.g. modularity, sample size).
    pub note: String,
}

/// One node's row.
#[derive(Debug, Clone)]
pub struct CentralityRow {
    /// Node id.
    pub id: String,
    /// Node kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// One value per algorithm.
    pub values: Vec<f64>,
}

/// The answer.
#[derive(Debug, Clone)]
pub struct CentralityReport {
    /// Algorithms, in column order.
    pub algos: Vec<Algo>,
    /// Rows (all reported nodes, or the top N).
    pub rows: Vec<CentralityRow>,
    /// Per-algorithm distribution and time.
    pub summaries: Vec<AlgoSummary>,
    /// Nodes and ties of the view.
    pub view_nodes: usize,
    /// Ties of the view.
    pub view_ties: usize,
    /// Time to build the view.
    pub view_seconds: f64,
}

impl CentralityReport {
    /// The rows as the JSON array of the CLI and the API:
    /// `{"id","kind","name","name_en",<algo>: value,...}` (see [`JsonRows`]).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.json_rows()).unwrap_or(serde_json::Value::Null)
    }

    /// The rows ready to be serialised one by one (streamed to a writer, no JSON tree).
    pub fn json_rows(&self) -> JsonRows<'_> {
        let mut fields = vec![
            ("id", RowField::Id),
            ("kind", RowField::Kind),
            ("name", RowField::Name),
            ("name_en", RowField::NameEn),
        ];
        fields.extend(
            self.algos
                .iter()
                .enumerate()
                .map(|(i, a)| (a.name(), RowField::Value(i))),
        );
        // Keys in byte order: the order `serde_json::Value` objects have always printed.
        fields.sort_by_key(|(key, _)| *key);
        JsonRows {
            report: self,
            fields,
        }
    }
}

/// Which part of a row a JSON key holds.
#[derive(Debug, Clone, Copy)]
enum RowField {
    Id,
    Kind,
    Name,
    NameEn,
    Value(usize),
}

/// A report's rows as a JSON array of objects with keys in byte order; each row
/// ([`JsonRows::row`]) serialises on its own, so writers can stream the array or write
/// one object per line.
#[derive(Debug)]
pub struct JsonRows<'a> {
    report: &'a CentralityReport,
    fields: Vec<(&'static str, RowField)>,
}

impl JsonRows<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.report.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.report.rows.is_empty()
    }

    /// Row `i` as a serialisable object.
    pub fn row(&self, i: usize) -> JsonRow<'_> {
        JsonRow {
            rows: self,
            row: &self.report.rows[i],
        }
    }

    /// Every row, in order.
    pub fn iter(&self) -> impl Iterator<Item = JsonRow<'_>> + '_ {
        (0..self.len()).map(|i| self.row(i))
    }
}

impl Serialize for JsonRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// One row of [`JsonRows`].
#[derive(Debug, Clone, Copy)]
pub struct JsonRow<'a> {
    rows: &'a JsonRows<'a>,
    row: &'a CentralityRow,
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let algos = &self.rows.report.algos;
        let mut map = serializer.serialize_map(Some(self.rows.fields.len()))?;
        for &(key, field) in &self.rows.fields {
            match field {
                RowField::Id => map.serialize_entry(key, &self.row.id)?,
                RowField::Kind => map.serialize_entry(key, &self.row.kind)?,
                RowField::Name => map.serialize_entry(key, &self.row.name)?,
                RowField::NameEn => map.serialize_entry(key, &self.row.name_en)?,
                RowField::Value(i) => {
                    map.serialize_entry(key, &JsonNumber(algos[i], self.row.values[i]))?
                }
            }
        }
        map.end()
    }
}

/// A value as [`json_number`] writes it, serialised without building a `Value`.
struct JsonNumber(Algo, f64);

impl Serialize for JsonNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let JsonNumber(algo, v) = *self;
        if !v.is_finite() {
            serializer.serialize_none()
        } else if algo.is_integral() {
            serializer.serialize_i64(v as i64)
        } else {
            serializer.serialize_f64(v)
        }
    }
}

/// A value as JSON: integers for integral algorithms, null for NaN.
pub fn json_number(algo: Algo, v: f64) -> serde_json::Value {
    serde_json::to_value(JsonNumber(algo, v)).unwrap_or(serde_json::Value::Null)
}

/// Builds the view and runs the algorithms.
pub fn centrality(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &CentralityRequest,
    observer: &dyn Observer,
) -> Result<CentralityReport, QueryError> {
    let started = Instant::now();
    let view = build_view(snapshot, schema, &request.view)
        .map_err(|e| QueryError::BadParameter(e.to_string()))?;
    let view_seconds = started.elapsed().as_secs_f64();
    centrality_on(snapshot, &view, view_seconds, request, observer)
}

/// Runs the algorithms on an already built view.
pub fn centrality_on(
    snapshot: &Snapshot,
    view: &View,
    view_seconds: f64,
    request: &CentralityRequest,
    observer: &dyn Observer,
) -> Result<CentralityReport, QueryError> {
    let kinds = request
        .kinds
        .iter()
        .map(|k| super::lookup::node_kind(snapshot, k))
        .collect::<Result<Vec<String>, _>>()?;
    let mut columns: Vec<Vec<f64>> = Vec::new();
    let mut times: Vec<(Duration, String)> = Vec::new();
    for &algo in &request.algos {
        let t = Instant::now();
        observer.step(algo.name());
        let (mut values, note) = run(view, algo, request, observer)?;
        // -0.0 (from sign flips in power iterations) reads as a different value; it is 0.
        for x in values.iter_mut().filter(|x| **x == 0.0) {
            *x = 0.0;
        }
        times.push((t.elapsed(), note));
        columns.push(values);
    }
    let mut selected: Vec<usize> = (0..view.nodes.len())
        .filter(|&i| {
            kinds.is_empty() || kinds.iter().any(|k| snapshot.node_kind(view.nodes[i]) == k)
        })
        .collect();
    let summaries = request
        .algos
        .iter()
        .zip(&columns)
        .zip(times)
        .map(|((a, col), (time, note))| summarise(*a, col, &selected, time, note))
        .collect();
    if let Some(first) = columns.first() {
        // Descending by the first measure, NaN last, ties by position: a total order, so the
        // top N picked first and then sorted are the first N of the whole sorted list.
        let order = |&x: &usize, &y: &usize| {
            let (a, b) = (first[x], first[y]);
            b.partial_cmp(&a)
                .unwrap_or_else(|| a.is_nan().cmp(&b.is_nan()))
                .then(x.cmp(&y))
        };
        if let Some(n) = request.top.filter(|&n| 0 < n && n < selected.len()) {
            selected.select_nth_unstable_by(n - 1, order);
            selected.truncate(n);
        }
        selected.sort_by(order);
    }
    if let Some(n) = request.top {
        selected.truncate(n);
    }
    let rows = selected
        .into_iter()
        .map(|i| {
            let v = view.nodes[i];
            CentralityRow {
                id: snapshot.node_id(v).to_string(),
                kind: snapshot.node_kind(v).to_string(),
                name: snapshot.node_name(v).to_string(),
                name_en: snapshot.node_name_en(v).map(str::to_string),
                values: columns.iter().map(|c| c[i]).collect(),
            }
        })
        .collect();
    Ok(CentralityReport {
        algos: request.algos.clone(),
        rows,
        summaries,
        view_nodes: view.graph.node_count(),
        view_ties: view.graph.edge_count(),
        view_seconds,
    })
}

fn summarise(
    algo: Algo,
    values: &[f64],
    rows: &[usize],
    time: Duration,
    note: String,
) -> AlgoSummary {
    let mut v: Vec<f64> = rows
        .iter()
        .map(|&i| values[i])
        .filter(|x| !x.is_nan())
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| -> f64 {
        if v.is_empty() {
            return f64::NAN;
        }
        // Nearest-rank percentile.
        let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    };
    AlgoSummary {
        algo: algo.name().to_string(),
        min: v.first().copied().unwrap_or(f64::NAN),
        mean: if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        },
        p50: q(0.5),
        p90: q(0.9),
        p99: q(0.99),
        max: v.last().copied().unwrap_or(f64::NAN),
        seconds: time.as_secs_f64(),
        note,
    }
}

fn run(
    view: &View,
    algo: Algo,
    request: &CentralityRequest,
    observer: &dyn Observer,
) -> Result<(Vec<f64>, String), QueryError> {
    let g = &view.graph;
    let weighted = request.weighted;
    let par = algo::parallel::Parallelism::auto();
    let cancelled = |_| QueryError::Cancelled;
    let power = |e: algo::power_iteration::PowerIterationError| match e {
        algo::power_iteration::PowerIterationError::Cancelled(_) => QueryError::Cancelled,
        other => QueryError::Algorithm(other.to_string()),
    };
    let as_f64 = |v: Vec<usize>| v.into_iter().map(|x| x as f64).collect::<Vec<f64>>();
    Ok(match algo {
        Algo::Degree => (as_f64(algo::degree::degree(g)), String::new()),
        Algo::Strength => (algo::degree::strength(g), String::new()),
        Algo::Betweenness => match request.epsilon {
            Some(epsilon) => {
                let a = algo::betweenness::approximate_betweenness(
                    g,
                    &algo::betweenness::ApproxOptions {
                        epsilon,
                        delta: request.delta,
                        seed: request.seed,
                    },
                    &par,
                    observer,
                )
                .map_err(|e| match e {
                    algo::betweenness::ApproxError::Cancelled(_) => QueryError::Cancelled,
                    other => QueryError::BadParameter(other.to_string()),
                })?;
                let note = format!(
                    "Riondato–Kornaropoulos, ε={epsilon}, δ={}, {} sampled paths",
                    request.delta, a.samples
                );
                (a.values, note)
            }
            None => {
                let opts = algo::betweenness::BetweennessOptions {
                    normalized: true,
                    weighted,
                    samples: request.samples,
                    seed: request.seed,
                };
                let note = request
                    .samples
                    .map(|k| format!("{k} sampled sources"))
                    .unwrap_or_default();
                (
                    algo::betweenness::betweenness(g, &opts, &par, observer).map_err(cancelled)?,
                    note,
                )
            }
        },
        Algo::Closeness => (
            algo::closeness::closeness(g, weighted, true, &par, observer).map_err(cancelled)?,
            String::new(),
        ),
        Algo::Harmonic => (
            algo::closeness::harmonic(g, weighted, &par, observer).map_err(cancelled)?,
            String::new(),
        ),
        Algo::Pagerank => (
            algo::pagerank::pagerank(
                g,
                &algo::pagerank::PageRankOptions {
                    alpha: request.damping,
                    weighted,
                    tol: request.tol,
                    max_iter: 10_000,
                    ..Default::default()
                },
                observer,
            )
            .map_err(power)?,
            format!("damping {}", request.damping),
        ),
        Algo::Eigenvector => (
            algo::eigenvector::eigenvector_centrality(
                g,
                &algo::eigenvector::EigenvectorOptions {
                    weighted,
                    tol: request.tol,
                    max_iter: 10_000,
                    ..Default::default()
                },
                observer,
            )
            .map_err(power)?,
            String::new(),
        ),
        Algo::Core => (as_f64(algo::core::core_number(g)), String::new()),
        Algo::Component => {
            let c = algo::components::connected_components(g);
            let note = format!(
                "{} components, largest {}",
                c.sizes.len(),
                c.sizes.first().copied().unwrap_or(0)
            );
            (c.labels.into_iter().map(f64::from).collect(), note)
        }
        Algo::Community => {
            let l = algo::community::louvain(
                g,
                &algo::community::LouvainOptions {
                    seed: request.seed,
                    weighted,
                    ..Default::default()
                },
                observer,
            )
            .map_err(cancelled)?;
            let note = format!(
                "Louvain, modularity {:.4}, {} communities",
                l.modularity,
                l.sizes.len()
            );
            (l.communities.into_iter().map(f64::from).collect(), note)
        }
        Algo::Constraint => (
            algo::structural_holes::constraint(g, weighted),
            String::new(),
        ),
        Algo::EffectiveSize => (
            algo::structural_holes::effective_size(g, weighted),
            String::new(),
        ),
        Algo::Articulation => {
            let mut v = vec![0.0; g.node_count()];
            for p in algo::cuts::articulation_points(g) {
                v[p] = 1.0;
            }
            (v, String::new())
        }
        Algo::Bridges => {
            let mut v = vec![0.0; g.node_count()];
            let bridges = algo::cuts::bridges(g);
            for &(a, b) in &bridges {
                v[a] += 1.0;
                v[b] += 1.0;
            }
            (v, format!("{} bridges", bridges.len()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(algos: &[Algo]) -> CentralityRequest {
        CentralityRequest {
            algos: algos.to_vec(),
            ..CentralityRequest::default()
        }
    }

    #[test]
    fn exact_betweenness_ignores_the_seed_and_sampled_betweenness_keeps_it() {
        let mut a = request(&[Algo::Betweenness]);
        a.seed = 7;
        assert_eq!(a.normalized().seed, CentralityRequest::default().seed);
        a.samples = Some(100);
        assert_eq!(a.normalized().seed, 7);
        let mut louvain = request(&[Algo::Community]);
        louvain.seed = 7;
        assert_eq!(louvain.normalized().seed, 7);
    }

    #[test]
    fn parameters_of_absent_algorithms_are_reset() {
        let mut a = request(&[Algo::Degree]);
        a.damping = 0.5;
        a.tol = 1e-3;
        a.samples = Some(3);
        a.weighted = true;
        a.kinds = vec![
            "university".into(),
            "enterprise".into(),
            "university".into(),
        ];
        let n = a.normalized();
        let d = CentralityRequest::default();
        assert_eq!(
            (n.damping, n.tol, n.samples, n.weighted),
            (d.damping, d.tol, None, false)
        );
        assert_eq!(n.kinds, ["enterprise", "university"]);
        let mut p = request(&[Algo::Pagerank]);
        p.damping = 0.5;
        p.weighted = true;
        let n = p.normalized();
        assert_eq!((n.damping, n.weighted), (0.5, true));
    }

    #[test]
    fn streamed_rows_print_as_the_json_tree_did() {
        let report = CentralityReport {
            algos: vec![Algo::Pagerank, Algo::Core, Algo::Constraint],
            rows: vec![
                CentralityRow {
                    id: "ent:a\"b".into(),
                    kind: "enterprise".into(),
                    name: "上海 \u{1}".into(),
                    name_en: Some("A".into()),
                    values: vec![0.125, 3.0, f64::NAN],
                },
                CentralityRow {
                    id: "uni:c".into(),
                    kind: "university".into(),
                    name: "C".into(),
                    name_en: None,
                    values: vec![1e-7, 0.0, 0.5],
                },
            ],
            summaries: Vec::new(),
            view_nodes: 2,
            view_ties: 0,
            view_seconds: 0.0,
        };
        let tree = serde_json::json!([
            {"id": "ent:a\"b", "kind": "enterprise", "name": "上海 \u{1}", "name_en": "A",
             "pagerank": 0.125, "core": 3, "constraint": null},
            {"id": "uni:c", "kind": "university", "name": "C", "name_en": null,
             "pagerank": 1e-7, "core": 0, "constraint": 0.5},
        ]);
        let streamed = serde_json::to_string_pretty(&report.json_rows()).unwrap();
        assert_eq!(streamed, serde_json::to_string_pretty(&tree).unwrap());
        assert_eq!(report.to_json(), tree);
    }

    #[test]
    fn path_based_measures_are_the_costly_ones() {
        assert!(request(&[Algo::Degree, Algo::Closeness]).is_path_based());
        assert!(request(&[Algo::Harmonic]).is_path_based());
        assert!(!request(&[Algo::Pagerank, Algo::Core]).is_path_based());
    }
}
