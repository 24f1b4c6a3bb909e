//! Use cases: the questions users ask, answered from the store and its snapshot. The CLI
//! and the HTTP server both call these and only format what they return.

mod brokers;
mod centrality;
mod error;
mod matching;
mod nodes;
mod partners;
mod paths;
mod report;

pub use centrality::{
    centrality, centrality_on, json_number, Algo, AlgoSummary, CentralityReport, CentralityRequest,
    CentralityRow,
};

pub use brokers::{brokerage_counts, brokers, BrokerRow, BrokersReport, BrokersRequest};
pub use error::QueryError;
pub use matching::{match_demands, MatchReport, MatchRequest};
pub use nodes::{
    get_node, list_nodes, neighbors, search, stats, suggest, NeighborOptions, NodeView, Stats,
};
pub use partners::{partners, PartnerComponents, PartnerRow, PartnersRequest};
pub use paths::{k_shortest_paths, paths, PathView};
pub use report::{
    parse_view, parse_weight, parse_years, run_batch, BatchSpec, ReportPart, ReportSpec,
};

mod coverage;
mod evaluate;
mod gaps;
mod linkpred;

pub use coverage::{
    coverage, coverage_of, Community, CoverageReport, CoverageRequest, CoverageTotals,
    IdleUniversity, Named, PlatformGap, SparsePair, UnansweredField, UntiedLeader,
};
pub use evaluate::{
    auc, evaluate_cordis, evaluate_gaps, evaluate_generated, evaluate_snapshot, measure,
    precision_at, to_markdown, tune_blend, DatasetEvaluation, EvaluateGapsRequest, EvaluateRequest,
    MethodResult, Sample, TunedBlend,
};
pub use gaps::{gaps, missing_ties, CollabContext, Evidence, Gap, GapsRequest};
pub use linkpred::{Attributes, Blend, Method, PairScores, Scorer};
