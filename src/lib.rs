//! innograph: an embedded-database knowledge graph of innovation actors.
//!
//! Layers point one way: [`model`] ← [`store`] ← [`graph`] ← [`algo`] ← [`query`] ←
//! [`cli`] / [`server`]. [`ingest`] reads and writes files through the store; [`fixtures`]
//! embeds the Shanghai fixtures; [`generate`] writes synthetic data that extends them;
//! [`evaluate`] is the held-out experiment harness of `gaps` (it imports and generates into
//! temporary stores, then scores them through `query`).
//!
//! # Using it as a library
//!
//! The same path the commands take, layer by layer: a [`store::Store`] holds records of the
//! [`model`]; its [`store::Snapshot`] is the read-only state of one generation;
//! [`graph::build_view`] turns it into a [`graph::View`], whose [`graph::Csr`] implements
//! petgraph's visit traits, so petgraph's algorithms run on it without copying, beside
//! innograph's own in [`algo`]; [`query`] holds the use cases the CLI and the server call.
//!
//! ```no_run
//! use innograph::graph::{build_view, ViewKind, ViewOptions};
//! use innograph::store::Store;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = Store::open(std::path::Path::new("innograph.db"))?; // store
//! let snapshot = store.snapshot()?;
//! let options = ViewOptions { kind: ViewKind::Collab, ..ViewOptions::default() };
//! let view = build_view(&snapshot, &store.schema(), &options)?; // graph
//! let g = &view.graph;
//! let cut_points = petgraph::algo::articulation_points::articulation_points(g); // petgraph, on the view
//! let ranks = innograph::algo::pagerank::pagerank(            // algo
//!     g,
//!     &innograph::algo::pagerank::PageRankOptions::default(),
//!     &innograph::algo::Silent,
//! )?;
//! for v in cut_points {
//!     let node = view.nodes[v as usize];
//!     println!("{} {:.4}", snapshot.node_name(node), ranks[v as usize]);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! `cargo run --example library` runs a longer version of this on the Shanghai fixtures.

pub mod algo;
pub mod cli;
pub mod evaluate;
pub mod fixtures;
pub mod generate;
pub mod graph;
pub mod ingest;
pub mod model;
pub mod query;
pub mod server;
pub mod store;
