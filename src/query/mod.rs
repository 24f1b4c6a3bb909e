//! Use cases: the questions users ask, answered from the store and its snapshot. The CLI
//! and the HTTP server both call these and only format what they return.

mod error;
mod nodes;

pub use error::QueryError;
pub use nodes::{
    get_node, list_nodes, neighbors, search, stats, suggest, NeighborOptions, NodeView, Stats,
};
