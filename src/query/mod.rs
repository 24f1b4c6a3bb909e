//! Use cases: the questions users ask, answered from the store and its snapshot. The CLI
//! and the HTTP server both call these and only format what they return.

mod centrality;
mod error;
mod nodes;
mod report;

pub use centrality::{
    centrality, centrality_on, json_number, Algo, AlgoSummary, CentralityReport, CentralityRequest,
    CentralityRow,
};

pub use error::QueryError;
pub use nodes::{
    get_node, list_nodes, neighbors, search, stats, suggest, NeighborOptions, NodeView, Stats,
};
pub use report::{
    parse_view, parse_weight, parse_years, run_batch, BatchSpec, ReportPart, ReportSpec,
};
