//! Exports other tools open (GraphML, GEXF, Parquet, Neo4j), optionally restricted to an
//! analysis view and carrying centrality scores as node attributes.
//!
//! Without view options every node and every edge record is written (attribute edges
//! included), so GraphML and GEXF read back to the same graph. With view options the nodes
//! are the view's (and, with `--kind`, only those kinds), the edges the records joining two
//! written nodes and dated within `--years` — or, for `--view collab`, the projection's ties
//! as edges of kind `collab` with `weight` (by `--weight`), `count`, `amount` and
//! `relations` (the rules that made the tie). Scores are computed on the view exactly as
//! `centrality` computes them, and are absent (not zero) for nodes outside the view.

use std::path::Path;

use super::centrality::{centrality_on, Algo, CentralityRequest};
use super::QueryError;
use crate::algo::Observer;
use crate::graph::{build_view, View, ViewKind, WeightMode};
use crate::ingest::formats::{
    export_graph, GraphExportSummary, GraphFormat, ScoreColumn, Selection,
};
use crate::model::{EdgeRecord, PropValue, Props};
use crate::store::{Snapshot, Store};

/// What to export.
#[derive(Debug, Clone)]
pub struct GraphExportRequest {
    /// The file format.
    pub format: GraphFormat,
    /// The view, the node kinds to write (`kinds`) and the scores to add (`algos`, which
    /// may be empty), with their parameters.
    pub analysis: CentralityRequest,
    /// Whether the view options restrict what is written (else every record is).
    pub restrict_to_view: bool,
}

/// Writes the export to `dir`.
pub fn export_graph_files(
    store: &Store,
    dir: &Path,
    request: &GraphExportRequest,
    observer: &dyn Observer,
) -> Result<GraphExportSummary, QueryError> {
    let snapshot = store.snapshot()?;
    let schema = store.schema();
    let analysis = &request.analysis;
    let needs_view = request.restrict_to_view || !analysis.algos.is_empty();
    let mut selection = Selection::default();
    if needs_view {
        let view = build_view(&snapshot, &schema, &analysis.view)
            .map_err(|e| QueryError::BadParameter(e.to_string()))?;
        if !analysis.algos.is_empty() {
            selection.scores = scores(&snapshot, &view, analysis, observer)?;
        }
        if request.restrict_to_view {
            restrict(&mut selection, &snapshot, &view, analysis)?;
        }
    }
    Ok(export_graph(store, request.format, dir, &selection)?)
}

fn scores(
    snapshot: &Snapshot,
    view: &View,
    analysis: &CentralityRequest,
    observer: &dyn Observer,
) -> Result<Vec<ScoreColumn>, QueryError> {
    let all_rows = CentralityRequest {
        kinds: Vec::new(),
        top: None,
        ..analysis.clone()
    };
    let report = centrality_on(snapshot, view, 0.0, &all_rows, observer)?;
    let mut columns: Vec<ScoreColumn> = report
        .algos
        .iter()
        .map(|a: &Algo| ScoreColumn {
            name: a.name().to_string(),
            integral: a.is_integral(),
            values: vec![f64::NAN; snapshot.node_count()],
        })
        .collect();
    for row in &report.rows {
        if let Some(v) = snapshot.node_index(&row.id) {
            for (c, &x) in columns.iter_mut().zip(&row.values) {
                c.values[v as usize] = x;
            }
        }
    }
    Ok(columns)
}

fn restrict(
    selection: &mut Selection,
    snapshot: &Snapshot,
    view: &View,
    analysis: &CentralityRequest,
) -> Result<(), QueryError> {
    let kinds = analysis
        .kinds
        .iter()
        .map(|k| super::lookup::node_kind(snapshot, k))
        .collect::<Result<Vec<String>, _>>()?;
    let mut keep = vec![false; snapshot.node_count()];
    for &v in &view.nodes {
        let kind_ok = kinds.is_empty() || kinds.iter().any(|k| snapshot.node_kind(v) == k);
        keep[v as usize] = kind_ok;
    }
    selection.directed = analysis.view.directed;
    selection.years = analysis.view.years;
    if analysis.view.kind == ViewKind::Collab {
        selection.ties = Some(collab_ties(snapshot, view, analysis.view.weight, &keep));
    }
    selection.keep = Some(keep);
    Ok(())
}

/// The collab projection's ties as edge records of kind `collab`.
fn collab_ties(
    snapshot: &Snapshot,
    view: &View,
    weight: WeightMode,
    keep: &[bool],
) -> Vec<EdgeRecord> {
    view.ties
        .iter()
        .filter_map(|t| {
            let (a, b) = (view.nodes[t.a as usize], view.nodes[t.b as usize]);
            if !keep[a as usize] || !keep[b as usize] {
                return None;
            }
            let mut rules: Vec<&str> = t
                .reasons
                .iter()
                .map(|r| view.rule_names[r.rule as usize].as_str())
                .collect();
            rules.sort_unstable();
            rules.dedup();
            let mut props = Props::new();
            props.insert("count".into(), PropValue::Int(i64::from(t.count)));
            props.insert("amount".into(), PropValue::Float(t.amount));
            props.insert("relations".into(), PropValue::Text(rules.join(",")));
            let w = match weight {
                WeightMode::Amount => t.amount,
                WeightMode::Count | WeightMode::Weight => f64::from(t.count),
            };
            Some(EdgeRecord {
                source: snapshot.node_id(a).to_string(),
                target: snapshot.node_id(b).to_string(),
                kind: "collab".into(),
                key: String::new(),
                weight: Some(w),
                props,
            })
        })
        .collect()
}
