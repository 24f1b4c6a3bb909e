//! Pure graph algorithms on the [`crate::graph::Adjacency`] interface: no storage, no I/O.
//! One file per family; this module is only an index.

pub mod betweenness;
pub mod closeness;
pub mod observe;
pub mod parallel;
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
pub mod pagerank;
pub mod structural_holes;
