//! Graph views: compact graphs built from the store's snapshot, with the map between their
//! internal indices and the data's ids. Algorithms read a [`Csr`]'s rows as slices, and
//! petgraph's algorithms run on it through its visit traits (`visit.rs`).

mod csr;
mod view;
mod visit;

pub use csr::Csr;
pub use view::{
    build_view, Reason, Tie, View, ViewError, ViewKind, ViewOptions, WeightMode, COLLAB_RULES,
};
pub use visit::{AllArcs, Arc, DirectedArcs, NodeReferences, OutArcs};
