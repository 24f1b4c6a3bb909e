//! Graph views: compact graphs built from the store's snapshot, with the map between their
//! internal indices and the data's ids. Algorithms run on the [`Adjacency`] interface.

mod csr;
mod view;

pub use csr::{Adjacency, Csr};
pub use view::{
    build_view, Reason, Tie, View, ViewError, ViewKind, ViewOptions, WeightMode, COLLAB_RULES,
};
