//! innograph: an embedded-database knowledge graph of innovation actors.
//!
//! Layers point one way: [`model`] ← store ← [`graph`] ← [`algo`] ← query ← cli / server.

pub mod algo;
pub mod generate;
pub mod graph;
pub mod model;
