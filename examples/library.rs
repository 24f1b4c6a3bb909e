//! innograph as a library, layer by layer: open a store (`store`), take its snapshot, build
//! the collaboration view (`graph`), and run petgraph's algorithms on the view directly —
//! the view implements petgraph's visit traits, nothing is copied — beside one of
//! innograph's own (`algo`) and one use case (`query`).
//!
//! ```text
//! cargo run --example library                 # the Shanghai fixtures, in a temporary store
//! cargo run --example library -- innograph.db # an existing database
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use petgraph::visit::EdgeRef;

use innograph::algo::pagerank::{pagerank, PageRankOptions};
use innograph::algo::Silent;
use innograph::graph::{build_view, ViewKind, ViewOptions};
use innograph::ingest::{self, Files, ImportOptions, InputFile};
use innograph::model::Schema;
use innograph::query::{self, PathRequest};
use innograph::store::Store;

fn main() -> Result<()> {
    let scratch = tempfile::tempdir()?;
    let store = match std::env::args().nth(1) {
        Some(path) => Store::open(Path::new(&path)).with_context(|| format!("opening {path}"))?,
        None => fixtures_store(scratch.path())?,
    };

    // store → snapshot → graph: the collab view of organisations.
    let snapshot = store.snapshot()?;
    let options = ViewOptions {
        kind: ViewKind::Collab,
        ..ViewOptions::default()
    };
    let view = build_view(&snapshot, &store.schema(), &options)?;
    let g = &view.graph;
    let name = |v: u32| snapshot.node_name(view.nodes[v as usize]);
    println!(
        "collab view: {} organisations, {} ties",
        g.node_count(),
        g.edge_count()
    );

    // petgraph on the view: who holds the network together.
    let mut cut: Vec<u32> = petgraph::algo::articulation_points::articulation_points(g)
        .into_iter()
        .collect();
    cut.sort_unstable();
    println!("articulation points (petgraph): {}", cut.len());
    for &v in cut.iter().take(5) {
        println!("  {}", name(v));
    }
    let bridges = petgraph::algo::bridges(g)
        .filter(|e| e.source() < e.target())
        .count();
    println!("bridges (petgraph): {bridges}");

    // petgraph's Dijkstra from the best-connected organisation, ties as length 1/strength.
    let hub = (0..g.node_count() as u32)
        .max_by_key(|&v| (g.out_neighbors(v as usize).len(), std::cmp::Reverse(v)))
        .context("the view is empty")?;
    let dist = petgraph::algo::dijkstra(g, hub, None, |e| 1.0 / e.weight());
    let mut nearest: Vec<(f64, u32)> = dist.iter().map(|(&v, &d)| (d, v)).collect();
    nearest.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    println!(
        "closest to {} (petgraph dijkstra, length 1/strength):",
        name(hub)
    );
    for &(d, v) in nearest.iter().skip(1).take(5) {
        println!("  {d:.3}  {}", name(v));
    }

    // innograph's own algorithm on the same view.
    let ranks = pagerank(g, &PageRankOptions::default(), &Silent)?;
    let top = (0..g.node_count())
        .max_by(|&a, &b| ranks[a].total_cmp(&ranks[b]))
        .context("the view is empty")?;
    println!(
        "highest PageRank (innograph): {} {:.4}",
        name(top as u32),
        ranks[top]
    );

    // A use case from `query`, as the CLI and the server call it.
    let far = nearest.last().map(|&(_, v)| v).unwrap_or(hub);
    let request = PathRequest {
        from: snapshot.node_id(view.nodes[hub as usize]).to_string(),
        to: snapshot.node_id(view.nodes[far as usize]).to_string(),
        k: 1,
        ..PathRequest::default()
    };
    if request.from != request.to {
        for p in query::paths(&snapshot, &store.schema(), &request)? {
            println!("path (query): {}", p.names.join(" > "));
        }
    }
    Ok(())
}

/// A store at `dir/db` holding the Shanghai fixtures.
fn fixtures_store(dir: &Path) -> Result<Store> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/shanghai");
    let (store, _) = Store::init(&dir.join("db"), Schema::builtin(), None)?;
    let mut input = Files(vec![
        InputFile::new(fixtures.join("nodes.csv")),
        InputFile::new(fixtures.join("edges.csv")),
    ]);
    ingest::import(
        &store,
        &mut input,
        ImportOptions::default(),
        "library example",
        &mut |_| {},
        &|| false,
    )?;
    Ok(store)
}
