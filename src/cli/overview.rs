//! The first thing a user sees: `innograph overview` builds the Shanghai database from the
//! embedded fixtures when it is missing, then prints counts and hubs; `innograph` alone
//! prints the help and that overview of an existing database, creating nothing.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::args::OutputFormat;
use super::output::outln;
use super::output::{emit, Table};
use crate::fixtures;
use crate::ingest::{self, Files, ImportOptions, InputFile};
use crate::model::Schema;
use crate::query;
use crate::query::Store;

/// Builds the default database from the embedded Shanghai fixtures.
fn build_default(db: &Path) -> Result<Store> {
    let (store, _) = Store::init(db, Schema::builtin(), None)?;
    let dir = tempfile_dir()?;
    let nodes = dir.join("shanghai-nodes.csv");
    let edges = dir.join("shanghai-edges.csv");
    std::fs::write(&nodes, fixtures::SHANGHAI_NODES_CSV)?;
    std::fs::write(&edges, fixtures::SHANGHAI_EDGES_CSV)?;
    let mut input = Files(vec![
        InputFile {
            path: nodes.clone(),
            display: "fixtures/shanghai/nodes.csv".into(),
        },
        InputFile {
            path: edges.clone(),
            display: "fixtures/shanghai/edges.csv".into(),
        },
    ]);
    let result = ingest::import(
        &store,
        &mut input,
        ImportOptions::default(),
        "import fixtures/shanghai",
        &mut |_| {},
        &|| false,
    );
    let _ = std::fs::remove_dir_all(&dir);
    result.map_err(|e| anyhow::anyhow!("building the default database: {e}"))?;
    Ok(store)
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("innograph-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// `innograph` with no command: the help, then the overview of the database if there is
/// one — creating nothing unasked.
pub(super) fn bare(db: &Path) -> Result<i32> {
    use clap::CommandFactory;
    let help = super::Cli::command().render_help().to_string();
    outln!("{help}")?;
    if db.exists() {
        return overview(db, OutputFormat::Table);
    }
    outln!(
        "No database at {}. `innograph overview` builds the Shanghai one from the bundled \
         fixtures; `innograph import FILES` creates one from your data.",
        db.display()
    )?;
    Ok(0)
}

/// `innograph overview`: builds the default database when it is missing.
pub(super) fn overview(db: &Path, format: OutputFormat) -> Result<i32> {
    let store = if db.exists() {
        super::open(db)?
    } else {
        eprintln!(
            "no database at {}; building it from the Shanghai fixtures (the STCSM 2025 reply)",
            db.display()
        );
        build_default(db)?
    };
    let stats = query::stats(&store);
    let hubs = query::hubs(&store, query::HUBS_PER_KIND)?;
    let mut table = Table::new(&["kind", "id", "name", "name_en", "degree"]);
    for h in &hubs {
        table.rows.push(vec![
            h.kind.clone(),
            h.id.clone(),
            h.name.clone(),
            h.name_en.clone().unwrap_or_default(),
            h.degree.to_string(),
        ]);
    }
    let m = store.manifest();
    if format == OutputFormat::Json {
        emit(
            format,
            &serde_json::json!({"database": db.display().to_string(), "generation": m.generation,
                "stats": stats, "hubs": hubs}),
            Table::default,
        )?;
        return Ok(0);
    }
    outln!(
        "innograph database {} — generation {} ({}): {} nodes, {} edges\n",
        db.display(),
        m.generation,
        m.note,
        m.nodes,
        m.edges
    )?;
    let mut counts = Table::new(&["nodes by kind", "count", "edges by kind", "count"]);
    let nodes: Vec<_> = stats.nodes.iter().collect();
    let edges: Vec<_> = stats.edges.iter().collect();
    for i in 0..nodes.len().max(edges.len()) {
        let (nk, nc) = nodes
            .get(i)
            .map_or((String::new(), String::new()), |(k, c)| {
                (k.to_string(), c.to_string())
            });
        let (ek, ec) = edges
            .get(i)
            .map_or((String::new(), String::new()), |(k, c)| {
                (k.to_string(), c.to_string())
            });
        counts.rows.push(vec![nk, nc, ek, ec]);
    }
    emit(format, &serde_json::Value::Null, || counts)?;
    outln!("\nBest-connected organisations per kind (edge records touching them):")?;
    emit(format, &serde_json::Value::Null, || table)?;
    outln!(
        "\nNext: `innograph search 交通大学`, `innograph node get univ:sjtu`, `innograph neighbors univ:sjtu`."
    )?;
    Ok(0)
}
