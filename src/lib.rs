//! innograph: an embedded-database knowledge graph of innovation actors.
//!
//! Layers point one way: [`model`] ← [`store`] ← [`graph`] ← [`algo`] ← [`query`] ←
//! [`cli`] / [`server`]. [`ingest`] reads and writes files through the store; [`generate`]
//! writes synthetic data; [`evaluate`] is the held-out experiment harness of `gaps` (it
//! imports and generates into temporary stores, then scores them through `query`).

pub mod algo;
pub mod cli;
pub mod evaluate;
pub mod generate;
pub mod graph;
pub mod ingest;
pub mod model;
pub mod query;
pub mod server;
pub mod store;
