//! innograph: an embedded-database knowledge graph of innovation actors.
//!
//! Layers point one way: [`model`] ← store ← [`graph`] ← [`algo`] ← query ← cli / server.

pub mod algo;
pub mod cli;
pub mod graph;
pub mod ingest;
pub mod model;
pub mod query;
pub mod store;
