//! Use cases: the questions users ask, answered from the store and its snapshot. The CLI
//! and the HTTP server both call these and only format what they return.

mod actor;
mod assign;
mod brokers;
mod candidates;
mod candidates_learned;
mod centrality;
mod connect;
mod consortia;
mod ecosystem;
mod ego;
mod engagement;
mod error;
mod export;
mod histogram;
mod lookup;
mod matching;
mod nodes;
mod overview;
mod partners;
mod partners_learned;
mod paths;
mod planner_report;
#[cfg(test)]
mod planning_testing;
mod platforms;
mod report;
mod robust;
mod synergy;
mod train;
mod trends;
mod universities;
mod writes;
mod years;

// What the adapters (`cli`, `server`) need from the layers below, so that they import
// `query` (and `model`) only and the layers point one way (checked by a test below).
pub use crate::algo::Observer;
pub use crate::graph::{ViewKind, ViewOptions, WeightMode};
pub use crate::store::{Manifest, Snapshot, Store, StoreError};

pub use centrality::{
    centrality, centrality_on, json_number, Algo, AlgoSummary, CentralityReport, CentralityRequest,
    CentralityRow, JsonRow, JsonRows,
};

pub use actor::{
    actor_ranks, incident_edges, ranks_request, ActorRanks, IncidentEdge, OtherEnd, Rank,
    EXACT_BETWEENNESS_MAX_NODES, RANK_BETWEENNESS_SAMPLES,
};
pub use assign::{assign_demands, AssignedPair, Assignment};
pub use brokers::{brokers, BrokerRow, BrokersReport, BrokersRequest};
pub use candidates::{
    candidate_consortia, candidate_consortia_kept, Candidate, CandidateMember, CandidatesReport,
    CandidatesRequest, MAX_CANDIDATES, MAX_GIVEN,
};
pub use candidates_learned::CandidateModel;
pub use connect::{connect, ConnectRequest, Connection, MAX_GROUP};
pub use consortia::{
    consortia, consortia_kept, consortia_needs, ConsortiaReport, ConsortiaRequest, Consortium,
    Member, Region, TieShares, CONSORTIA_SOURCE,
};
pub use ecosystem::{Contract, Ecosystem, Needs, Programme, CONTRACT_MODES};
pub use ego::{
    ego_network, pagerank_by_node, EgoEdge, EgoNetwork, EgoNode, EgoRequest, DEFAULT_EGO_EDGES,
    MAX_EGO_DEPTH, MAX_EGO_EDGES, MAX_EGO_NODES,
};
pub use engagement::{
    engagement, engagement_needs, EngagementReport, EngagementRequest, EngagementTotal, FirmClass,
    FirmEngagement, Tag, ENGAGEMENT_SOURCE,
};
pub use error::QueryError;
pub use export::{export_graph_files, GraphExportRequest};
pub use histogram::{histogram, report_histogram, Bin, Histogram, MAX_BINS};
pub use lookup::{choose, did_you_mean, node_kind, parse_kind_pair};
pub use matching::{match_demands, MatchReport, MatchRequest};
pub use nodes::{
    get_node, list_nodes, neighbor_order, neighbors, node_views, search, stats, suggest,
    NeighborOptions, NodeView, Stats, MAX_DEPTH,
};
pub use overview::{hubs, Hub, HUBS_PER_KIND};
pub use partners::{
    learned_field_weight, partners, partners_explained, partners_kept, PartnerComponents,
    PartnerRow, PartnersMethod, PartnersModel, PartnersOutcome, PartnersRequest, W_LEARNED_FIELD,
};
pub use paths::{paths, PathRequest, PathView};
pub use planner_report::{planner_needs, PlannerAnswer, PlannerSpec, PLANNER_QUESTIONS};
pub use platforms::{
    percentiles, platforms, platforms_needs, PlatformRow, PlatformsReport, PlatformsRequest,
    TypeSummary, MAX_AS_OF, MEASURES, MIN_PEERS, PLATFORMS_SOURCE,
};
pub use report::{
    check_format, parse_view, parse_weight, parse_years, run_batch, BatchSpec, ReportPart,
    ReportSpec, REPORT_FORMATS, REPORT_HISTOGRAM_BINS,
};
pub use robust::{robust_paths, RobustPaths, RobustRequest};
pub use synergy::{
    helix, synergy, synergy_needs, Helix, Scope, SynergyReport, SynergyRequest, SynergyRow,
    SYNERGY_CONVENTION, SYNERGY_SOURCE,
};
pub use trends::{
    growth, trends, trends_needs, Breakdown, Series, TrendsReport, TrendsRequest, TRENDS_SOURCE,
};
pub use universities::{
    universities, universities_needs, Funnel, ModeCount, UniversitiesReport, UniversitiesRequest,
    UniversityGroup, UniversityRow, PILOT_SOURCE, UNIVERSITIES_SOURCE,
};
pub use writes::{delete_edge, delete_node, NodeDeletion};

mod coverage;
mod gaps;

pub use crate::algo::linkpred::{Attributes, Blend, Method, PairScores, Scorer};
pub use coverage::{
    coverage, coverage_of, Community, CoverageReport, CoverageRequest, CoverageTotals,
    IdleUniversity, Named, PlatformGap, SparsePair, UnansweredField, UntiedLeader,
};
pub(crate) use gaps::organisation_kind;
pub use gaps::{
    gaps, gaps_explained, gaps_kept, missing_ties, CollabContext, Evidence, Gap, GapsMethod,
    GapsOutcome, GapsRequest, ModelReport,
};

pub mod learned;
pub mod learned_kept;
pub use learned_kept::{Keeping, KeptModels};
pub use train::{train_kept, TrainedPair};
pub mod relations;

#[cfg(test)]
mod layering_tests {
    use std::path::Path;

    fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("source directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                rust_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    /// The adapters reach the store, the graph views and the algorithms through `query`
    /// only: `model` ← `store` ← `graph` ← `algo` ← `query` ← `cli` / `server`.
    #[test]
    fn adapters_import_only_query_and_model() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        for adapter in ["cli", "server"] {
            rust_files(&src.join(adapter), &mut files);
        }
        assert!(files.len() > 10, "adapter sources not found under {src:?}");
        let mut offences = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).expect("readable source");
            for (i, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                if ["crate::store", "crate::graph", "crate::algo"]
                    .iter()
                    .any(|lower| code.contains(lower))
                {
                    offences.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
                }
            }
        }
        assert!(
            offences.is_empty(),
            "adapters import below `query`:\n{}",
            offences.join("\n")
        );
    }
}
