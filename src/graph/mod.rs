//! Graph views: compact graphs built from the store's snapshot, with the map between their
//! internal indices and the data's ids. Algorithms run on the [`Adjacency`] interface.

mod csr;

pub use csr::{Adjacency, Csr};
