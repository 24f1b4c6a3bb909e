//! innograph: an embedded-database knowledge graph of innovation actors.
//!
//! Layers point one way: [`model`] ← [`store`] ← [`graph`] ← [`algo`] ← [`query`] ← [`cli`].
//! [`ingest`] reads and writes files through the store; [`generate`] writes synthetic data.

pub mod algo;
pub mod cli;
pub mod generate;
pub mod graph;
pub mod ingest;
pub mod model;
pub mod query;
pub mod server;
pub mod store;
