//! Graph formats other tools read, written from the store — GraphML and GEXF (Gephi,
//! NetworkX, igraph, Cytoscape), Parquet (DuckDB, Polars, pandas, Spark) and the CSV files of
//! `neo4j-admin database import` — and the foreign formats `import` reads: GraphML, GEXF and
//! plain edge lists.
//!
//! What is written is a [`Selection`]: by default every node and every edge record, so the
//! GraphML and GEXF files read back to the same graph; a selection made from an analysis view
//! keeps only the view's nodes (and, for the `collab` projection, writes the view's ties
//! instead of the records), and may carry score columns computed on that view.

mod columns;
mod edgelist;
mod gexf;
mod gexf_read;
mod graphml;
mod graphml_read;
mod input;
mod neo4j;
mod parquet;
mod records;
mod xml;
mod xml_read;

use std::fs;
use std::path::{Path, PathBuf};

pub use columns::{PropColumns, ValueType};
pub use edgelist::{read_edgelist, EdgeListOptions};
pub use gexf_read::read_gexf;
pub use graphml_read::read_graphml;
pub use input::{ForeignFiles, ForeignFormat};
pub use records::KindDefaults;

use crate::model::{EdgeRecord, NodeRecord};
use crate::store::{Snapshot, Store, StoreError};

/// The graph formats of `export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// `graph.graphml` (GraphML 1.0 with typed `<key>`s).
    GraphMl,
    /// `graph.gexf` (GEXF 1.2, with `viz` colours by kind).
    Gexf,
    /// `nodes.parquet`, `edges.parquet` and, with scores, `scores.parquet`.
    Parquet,
    /// `nodes.csv`, `relationships.csv` with `neo4j-admin database import` headers, and a
    /// README.md with the import command.
    Neo4j,
}

/// One computed score per node (a centrality measure), written as a node attribute.
#[derive(Debug, Clone)]
pub struct ScoreColumn {
    /// The measure's name (`pagerank`, `community`, …).
    pub name: String,
    /// Whether values are whole numbers (written as integers).
    pub integral: bool,
    /// One value per snapshot node index; NaN where the node has no value (not in the
    /// view, or undefined as Burt's measures of an isolated node).
    pub values: Vec<f64>,
}

impl ScoreColumn {
    /// The value of snapshot node `v`, if it has one.
    pub fn value(&self, v: u32) -> Option<f64> {
        self.values.get(v as usize).copied().filter(|x| !x.is_nan())
    }
}

/// What an export writes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Keep only the nodes whose snapshot index is set here; `None` keeps every node.
    pub keep: Option<Vec<bool>>,
    /// Write these edges instead of the stored edge records (the ties of the `collab`
    /// projection); `None` writes the records joining two kept nodes.
    pub ties: Option<Vec<EdgeRecord>>,
    /// Drop edge records whose `year` falls outside these years (undated ones stay).
    pub years: Option<(i32, i32)>,
    /// Declare the graph directed (GraphML `edgedefault`, GEXF `defaultedgetype`).
    pub directed: bool,
    /// Scores added to the nodes as attributes.
    pub scores: Vec<ScoreColumn>,
}

/// A node to write, with its snapshot index (for its scores).
pub(crate) struct ExportNode {
    pub(crate) record: NodeRecord,
    pub(crate) index: u32,
}

/// The store, the snapshot it is published as, and the selection: the one place that
/// decides which records an export writes.
pub(crate) struct Source<'a> {
    pub(crate) store: &'a Store,
    pub(crate) snapshot: &'a Snapshot,
    pub(crate) selection: &'a Selection,
}

impl Source<'_> {
    /// The nodes to write, in id order.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = Result<ExportNode, StoreError>> + '_ {
        self.store.nodes().filter_map(move |r| match r {
            Err(e) => Some(Err(e)),
            Ok(record) => {
                let index = self.snapshot.node_index(&record.id)?;
                self.kept(index).then_some(Ok(ExportNode { record, index }))
            }
        })
    }

    /// The edges to write.
    pub(crate) fn edges(&self) -> Box<dyn Iterator<Item = Result<EdgeRecord, StoreError>> + '_> {
        if let Some(ties) = &self.selection.ties {
            return Box::new(ties.iter().cloned().map(Ok));
        }
        Box::new(self.store.edges().filter(move |r| match r {
            Err(_) => true,
            Ok(e) => self.edge_kept(e),
        }))
    }

    fn kept(&self, index: u32) -> bool {
        self.selection
            .keep
            .as_ref()
            .is_none_or(|k| k.get(index as usize).copied().unwrap_or(false))
    }

    fn edge_kept(&self, e: &EdgeRecord) -> bool {
        let in_years = match (
            self.selection.years,
            e.props.get("year").and_then(|y| y.as_i64()),
        ) {
            (Some((lo, hi)), Some(y)) => (i64::from(lo)..=i64::from(hi)).contains(&y),
            _ => true,
        };
        let node_kept = |id: &str| self.snapshot.node_index(id).is_some_and(|v| self.kept(v));
        in_years && node_kept(&e.source) && node_kept(&e.target)
    }
}

/// An I/O failure of the output, or a failure reading the store.
pub(crate) enum WriteError {
    /// Writing the output failed.
    Io(std::io::Error),
    /// Reading the store failed.
    Store(StoreError),
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> Self {
        WriteError::Store(e)
    }
}

/// The error as the export reports it, naming `path` for output failures.
pub(crate) fn into_store(path: &Path, e: WriteError) -> StoreError {
    match e {
        WriteError::Io(e) => StoreError::file(path, e),
        WriteError::Store(e) => e,
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphExportSummary {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Nodes written.
    pub nodes: u64,
    /// Edges written.
    pub edges: u64,
}

/// Writes the selected part of the published graph to `dir` (created if needed) in `format`.
pub fn export_graph(
    store: &Store,
    format: GraphFormat,
    dir: &Path,
    selection: &Selection,
) -> Result<GraphExportSummary, StoreError> {
    fs::create_dir_all(dir).map_err(|e| StoreError::file(dir, e))?;
    let snapshot = store.snapshot()?;
    let source = Source {
        store,
        snapshot: &snapshot,
        selection,
    };
    match format {
        GraphFormat::GraphMl => graphml::write(&source, dir),
        GraphFormat::Gexf => gexf::write(&source, dir),
        GraphFormat::Parquet => parquet::write(&source, dir),
        GraphFormat::Neo4j => neo4j::write(&source, dir),
    }
}
