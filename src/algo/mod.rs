//! Pure graph algorithms on [`crate::graph::Csr`] (its row slices in hot loops, petgraph's
//! visit traits elsewhere): no storage, no I/O.
//! One file per family; this module is only an index.

pub mod betweenness;
pub mod brokerage;
pub mod closeness;
pub mod k_shortest_paths;
pub mod observe;
pub mod parallel;
pub mod rng;
pub mod shortest_paths;
#[cfg(test)]
pub(crate) mod test_graphs;

pub use observe::{Cancelled, Observer, Silent};

pub mod community;
pub mod components;
pub mod core;
pub mod cuts;
pub mod degree;
pub mod eigenvector;
pub mod flow;
pub mod learn;
pub mod link_features;
pub mod link_model;
pub mod linkpred;
pub mod pagerank;
#[cfg(test)]
mod petgraph_parity;
pub mod power_iteration;
pub mod sets;
pub mod steiner;
pub mod structural_holes;
pub mod traversal;
