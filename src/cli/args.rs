//! The command line, as clap definitions only: what each command accepts. What the
//! commands do lives in one file per command beside this one.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::values;
use crate::evaluate::EvaluateGapsRequest;
use crate::generate::GenerateOptions;
use crate::query::{
    Algo, BrokersRequest, CentralityRequest, CoverageRequest, GapsMethod, GapsRequest,
    MatchRequest, Method, NeighborOptions, PartnersMethod, PartnersRequest, PathRequest,
};

/// innograph: a knowledge graph of innovation actors — universities, enterprises,
/// incubators, technology managers, projects — stored in an embedded database.
#[derive(Debug, Parser)]
#[command(name = "innograph", version, about, long_about = None)]
pub struct Cli {
    /// Database directory.
    #[arg(
        long,
        global = true,
        env = "INNOGRAPH_DB",
        default_value = "innograph.db"
    )]
    pub db: PathBuf,
    /// JSON without indentation, one array element per line (the default when standard
    /// output is not a terminal, and for --out files).
    #[arg(long, global = true, conflicts_with = "pretty")]
    pub compact: bool,
    /// Indented JSON even when standard output is not a terminal.
    #[arg(long, global = true)]
    pub pretty: bool,
    /// What to do (`overview` builds the Shanghai database if absent).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output formats of query commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Aligned columns for reading.
    #[default]
    Table,
    /// JSON, for scripts.
    Json,
    /// CSV, for spreadsheets.
    Csv,
    /// Markdown tables, for reports and issues.
    Md,
}

/// Format option shared by query commands.
#[derive(Debug, Clone, Copy, Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the default Shanghai database if it is missing, then print an overview.
    Overview(FormatArg),
    /// Create a database (or extend the schema of an existing one with --schema).
    Init {
        /// A schema file (TOML) whose kinds extend the built-in schema.
        #[arg(long)]
        schema: Option<PathBuf>,
    },
    /// Print the database's schema (or the built-in one when there is no database).
    Schema {
        /// toml or json.
        #[arg(long, default_value = "toml", value_parser = ["toml", "json"])]
        format: String,
    },
    /// Import CSV or JSON Lines files as one transaction.
    Import(ImportArgs),
    /// Write a synthetic Shanghai ecosystem calibrated on the source's figures.
    Generate {
        /// Size multiplier (1 reproduces the published figures).
        #[arg(long, default_value_t = GenerateOptions::default().scale)]
        scale: f64,
        /// Random seed; the same seed gives byte-identical files.
        #[arg(long, default_value_t = GenerateOptions::default().seed)]
        seed: u64,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
    /// Node and edge counts per kind.
    Stats(FormatArg),
    /// Node commands.
    #[command(subcommand)]
    Node(NodeCommand),
    /// Edge commands.
    #[command(subcommand)]
    Edge(EdgeCommand),
    /// Verify the database against its manifest.
    Check,
    /// Rewrite the database into a fresh copy of its published generation and switch to it
    /// atomically (what VACUUM is to SQLite); prints the sizes before and after.
    Compact,
    /// Copy the database to a new directory, consistently, even while a server has it open.
    Backup {
        /// The directory to create (it must not exist, or be empty).
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the database with a backup, checked before it replaces anything.
    Restore {
        /// The backup (a directory written by `innograph backup`).
        #[arg(long)]
        from: PathBuf,
    },
    /// Find nodes by name (case-, width- and NFKC-insensitive substring).
    Search {
        /// Text to look for in names and English names.
        text: String,
        /// Only nodes of this kind.
        #[arg(long)]
        kind: Option<String>,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// How to print the result.
        #[command(flatten)]
        format: FormatArg,
    },
    /// Nodes within some steps of a node.
    Neighbors {
        /// Node id.
        id: String,
        /// Steps out.
        #[arg(long, default_value_t = NeighborOptions::default().depth)]
        depth: usize,
        /// Follow only edges of this kind (repeatable).
        #[arg(long = "edge-kind")]
        edge_kind: Vec<String>,
        /// At most this many results.
        #[arg(long, default_value_t = NeighborOptions::default().limit)]
        limit: usize,
        /// How to print the result.
        #[command(flatten)]
        format: FormatArg,
    },
    /// Centrality measures of every node of a view (or the top N).
    Centrality(CentralityArgs),
    /// Many centrality reports from one load of the store, as described in a TOML spec.
    Report {
        /// The report spec (see fixtures/reports/shanghai-planners.toml).
        #[arg(long)]
        batch: PathBuf,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// Write every report in these formats instead of the spec's (md, csv, json, html;
        /// comma-separated or repeated). `html` makes one self-contained report.html.
        #[arg(long, value_delimiter = ',')]
        format: Vec<String>,
    },
    /// Write the graph to files `import` reads back (jsonl, csv) or other tools open
    /// (graphml, gexf, parquet, neo4j), optionally with scores and restricted to a view.
    Export(ExportArgs),
    /// Enterprises a university, institute, achievement, tech manager or field should
    /// approach, with score parts and an introduction path.
    Partners(PartnersArgs),
    /// Up to k shortest paths between two nodes (hops, full view, undirected); with
    /// --robust, how many introductions share no tie.
    Path(PathArgs),
    /// The fewest intermediaries that tie a group of actors together (approximate Steiner
    /// tree on the full view).
    Connect(ConnectArgs),
    /// Burt's constraint and Gould–Fernandez brokerage per organisation.
    Brokers(BrokersArgs),
    /// Match enterprises' demands to achievements, universities and institutes; with
    /// --assign, how many open demands achievements could answer at once.
    Match(MatchArgs),
    /// Missing ties between organisations, ranked by link prediction (or, with
    /// --coverage, the coverage gaps of the system).
    Gaps(GapsArgs),
    /// Held-out evaluations of the predictions.
    #[command(subcommand)]
    Evaluate(EvaluateCommand),
    /// Serve the queries over HTTP (JSON API; see /openapi.json) until Ctrl-C / SIGTERM.
    Serve(ServeArgs),
    /// Yearly series of technology contracts (by signer, mode, district, field) and of
    /// achievements, demands, solutions, incubations, with compound growth.
    ///
    /// CSV rows: one per series and year; NDJSON: one series per line.
    Trends(TrendsArgs),
    /// Ties across regions, fields and kinds of actor by programme and year, and the
    /// cross-region consortia of the YRD joint research with their members.
    ///
    /// CSV rows: one per consortium member (and candidate member); NDJSON: one consortium per
    /// line, or one candidate consortium per line when `--field` asks for candidates.
    Consortia(ConsortiaArgs),
    /// Triple-helix synergy: Leydesdorff's T(UIG) of university, industry and government
    /// per district and field, by year.
    ///
    /// CSV and NDJSON rows: one per group (the ecosystem, a district or a field) and year,
    /// with its cell counts and entropies.
    Synergy(SynergyArgs),
    /// Chain leaders and large firms in the Explorer Programme, the open competition and
    /// YRD joint research, and the call list of those in none.
    ///
    /// CSV and NDJSON rows: one per firm.
    Engagement(EngagementArgs),
    /// Performance of concept-verification centres, pilot bases and functional platforms,
    /// per year of age and within their type, with the under-performers.
    ///
    /// CSV and NDJSON rows: one per platform, with its rates and percentiles.
    Platforms(PlatformsArgs),
    /// The conversion funnel per university (owned, offered, contracted, spin-offs) and
    /// the 2023 pilot universities against the others.
    ///
    /// CSV and NDJSON rows: one per university (CSV: contracts per mode in columns).
    Universities(UniversitiesArgs),
    /// Train and keep the learned rankers `gaps`, `partners` and candidate consortia read,
    /// ahead of their first call on this generation (like ANALYZE after a bulk load).
    Train(TrainArgs),
}

/// Arguments of `serve`. The write token comes from the environment variable
/// `INNOGRAPH_TOKEN` or from `--token-file`, never from the command line (which every user
/// of the machine can read with `ps`).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// File holding the bearer token that writes must present (or set INNOGRAPH_TOKEN);
    /// without a token, writes are refused (403).
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// No longer accepted (a command line is visible to every user): use INNOGRAPH_TOKEN
    /// or --token-file.
    #[arg(long, hide = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Refuse every write (403).
    #[arg(long)]
    pub read_only: bool,
    /// Cap of the result cache in MiB, keys and values counted (default: 1/16 of the
    /// machine's or container's memory, between 64 and 1024).
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=1_048_576))]
    pub cache_mb: Option<u64>,
    /// Time budget of one analysis in seconds: longer ones stop with a 422 that says how to
    /// ask for less (or, for those that cannot stop, a 503 while they finish for the cache).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub max_compute_s: u64,
    /// Connections served at once; beyond, new ones get a 503 (default: 1,024, or fewer
    /// when the open-files limit leaves less room).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: Option<u64>,
    /// Seconds a client has to send a complete request head, on a new connection or
    /// between requests on a kept-alive one.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub header_timeout_s: u64,
    /// Seconds a client has to send a whole request body (writes).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub body_timeout_s: u64,
    /// Seconds a response write may stay blocked on a client that does not read.
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub write_timeout_s: u64,
    /// Seconds requests in flight get to finish after Ctrl-C / SIGTERM.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(0..=3_600))]
    pub shutdown_grace_s: u64,
    /// Also answer requests for this host name (repeatable; `*.example.org` for a domain).
    /// Loopback names and IP addresses are always answered.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Let pages from this origin read the API (CORS), e.g. `https://dash.example.org`;
    /// repeatable; `*` for any. Off by default.
    #[arg(long, value_name = "ORIGIN")]
    pub cors_origin: Vec<String>,
    /// Log full request targets, query strings included (off by default).
    #[arg(long)]
    pub log_query: bool,
}

/// Output formats of the planners' commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum PlannerFormat {
    /// The source sentence, the tables aligned, the notes.
    #[default]
    Table,
    /// One long table of every row (the command's help says what a row is).
    Csv,
    /// The whole report, one object (indented on a terminal; compact with one row per line
    /// otherwise or with --compact).
    Json,
    /// The report's rows, one JSON object per line, nothing else (NDJSON / JSON Lines; the
    /// command's help says what a row is).
    #[value(alias = "jsonl")]
    Ndjson,
    /// The source sentence, Markdown tables, the notes.
    Md,
}

/// Where and how a planners' command writes its report.
#[derive(Debug, Clone, Args)]
pub struct PlannerOutput {
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlannerFormat::Table)]
    pub format: PlannerFormat,
    /// Write the report to this file instead of standard output (JSON compact unless
    /// --pretty).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Output formats of `centrality`: those of reports, and one JSON object per line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CentralityFormat {
    /// Aligned columns, then the distribution of each measure and its time.
    #[default]
    Table,
    /// CSV.
    Csv,
    /// JSON array, one object per node (indented on a terminal; one object per line
    /// otherwise or with --compact).
    Json,
    /// One JSON object per node and line, no enclosing array (NDJSON / JSON Lines).
    #[value(alias = "jsonl")]
    Ndjson,
    /// Markdown tables, with the distributions.
    Md,
}

/// Which graph a view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ViewArg {
    /// Every node and every non-attribute tie.
    #[default]
    Full,
    /// Organisations tied by projects, contracts, incubations, platforms, collaborations.
    Collab,
}

/// How parallel ties combine into a weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum WeightArg {
    /// Number of ties.
    #[default]
    Count,
    /// Sum of the ties' `weight` fields.
    Weight,
    /// Sum of the ties' `amount` properties.
    Amount,
}

/// View and filter options shared by analysis commands.
#[derive(Debug, Clone, Args)]
pub struct ViewArgs {
    /// Which graph.
    #[arg(long, value_enum, default_value_t = ViewArg::Full)]
    pub view: ViewArg,
    /// Keep attribute edges (in_field, located_in) in the full view.
    #[arg(long)]
    pub with_attributes: bool,
    /// Keep edge direction (full view).
    #[arg(long)]
    pub directed: bool,
    /// How parallel ties combine into one weight.
    #[arg(long, value_enum, default_value_t = WeightArg::Count)]
    pub weight: WeightArg,
    /// Keep only ties dated in these years, e.g. 2020..2024 (undated ties stay).
    #[arg(long)]
    pub years: Option<String>,
    /// Keep only nodes in this field (repeatable; id or name).
    #[arg(long)]
    pub field: Vec<String>,
    /// Keep only nodes in this district (repeatable; id or name).
    #[arg(long)]
    pub district: Vec<String>,
    /// Output only nodes of this kind (repeatable); the graph stays whole unless --induce.
    #[arg(long)]
    pub kind: Vec<String>,
    /// Restrict the graph itself to the --kind kinds.
    #[arg(long, requires = "kind")]
    pub induce: bool,
}

/// Arguments of `centrality`.
#[derive(Debug, Args)]
pub struct CentralityArgs {
    /// Algorithms, comma-separated or repeated: degree, strength, betweenness, closeness,
    /// harmonic, pagerank, eigenvector, core, component, community (louvain), constraint,
    /// effective_size, articulation, bridges (any case). Rows are ranked by the first.
    #[arg(long, value_delimiter = ',', value_parser = values::algo, default_value = "degree")]
    pub algo: Vec<Algo>,
    /// The graph view to analyse.
    #[command(flatten)]
    pub view: ViewArgs,
    /// Parameters of the algorithms.
    #[command(flatten)]
    pub params: AlgoParams,
    /// Only the top N nodes by the first algorithm.
    #[arg(long)]
    pub top: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CentralityFormat::Table)]
    pub format: CentralityFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Parameters of the centrality algorithms, shared by `centrality` and `export --with`.
#[derive(Debug, Clone, Args)]
pub struct AlgoParams {
    /// Use tie weights (strength for PageRank/eigenvector/Louvain, 1/weight as distance).
    #[arg(long)]
    pub weighted: bool,
    /// Betweenness from this many sampled sources.
    #[arg(long, conflicts_with = "epsilon")]
    pub samples: Option<usize>,
    /// Betweenness approximated within this absolute error.
    #[arg(long)]
    pub epsilon: Option<f64>,
    /// Failure probability of the approximation.
    #[arg(long, default_value_t = CentralityRequest::default().delta)]
    pub delta: f64,
    /// Seed of sampling and community detection.
    #[arg(long, default_value_t = CentralityRequest::default().seed)]
    pub seed: u64,
    /// PageRank damping factor.
    #[arg(long, default_value_t = CentralityRequest::default().damping)]
    pub damping: f64,
    /// Convergence tolerance of PageRank and eigenvector (NetworkX's `tol`, per node).
    #[arg(long, default_value_t = CentralityRequest::default().tol)]
    pub tol: f64,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// jsonl or csv (innograph's own formats, which `import` reads back), graphml or gexf
    /// (Gephi, NetworkX, igraph, Cytoscape), parquet (DuckDB, Polars, pandas, Spark), neo4j
    /// (CSV files for `neo4j-admin database import`).
    #[arg(long, value_parser = values::one_of("export format", EXPORT_FORMATS))]
    pub format: String,
    /// Output directory (created if needed).
    #[arg(long)]
    pub out: PathBuf,
    /// Add these scores as node attributes (algorithms as in `centrality --algo`), computed
    /// on the view the options below describe; graphml, gexf, parquet and neo4j only.
    #[arg(long = "with", value_name = "ALGO", value_delimiter = ',', value_parser = values::algo)]
    pub with: Vec<Algo>,
    /// The view: with any of these options only its nodes (of --kind, if given) are
    /// written, and for --view collab its ties instead of the records.
    #[command(flatten)]
    pub view: ViewArgs,
    /// Parameters of the --with algorithms.
    #[command(flatten)]
    pub params: AlgoParams,
}

/// The formats of `export --format`, with the names users also write for them.
pub const EXPORT_FORMATS: &[(&str, &[&str])] = &[
    ("jsonl", &["ndjson", "json"]),
    ("csv", &[]),
    ("graphml", &["xml"]),
    ("gexf", &["gephi"]),
    ("parquet", &["pq"]),
    ("neo4j", &["neo4j_admin", "cypher"]),
];

/// The foreign formats of `import --from`.
pub const IMPORT_FORMATS: &[(&str, &[&str])] = &[
    ("cordis", &[]),
    ("graphml", &["xml"]),
    ("gexf", &["gephi"]),
    ("edgelist", &["edges", "edge_list", "ncol", "txt"]),
];

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import (CSV node/edge files, JSON Lines); with --from cordis,
    /// organization.csv and optionally topics.csv.
    #[arg(required_unless_present = "undo")]
    pub files: Vec<PathBuf>,
    /// Read a foreign format: cordis (EU Horizon 2020 organization.csv, topics.csv),
    /// graphml, gexf, edgelist (`source target [weight]` a line).
    #[arg(long, value_parser = values::one_of("import format", IMPORT_FORMATS))]
    pub from: Option<String>,
    /// Kind of nodes a graphml, gexf or edge-list file creates without saying (both ends
    /// of an edge list's ties).
    #[arg(long, value_name = "KIND")]
    pub node_kind: Option<String>,
    /// Kind of an edge list's new source nodes (default: --node-kind).
    #[arg(long, value_name = "KIND")]
    pub source_kind: Option<String>,
    /// Kind of an edge list's new target nodes (default: --node-kind).
    #[arg(long, value_name = "KIND")]
    pub target_kind: Option<String>,
    /// Kind of edges a graphml or gexf file gives without saying; for an edge list, of
    /// every tie (required there).
    #[arg(long, value_name = "KIND")]
    pub edge_kind: Option<String>,
    /// Write the valid records and report the invalid ones.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Roll back the last import (or other write).
    #[arg(long, conflicts_with_all = ["files", "from", "skip_invalid"])]
    pub undo: bool,
}

/// `node` subcommands.
#[derive(Debug, Subcommand)]
pub enum NodeCommand {
    /// One node with its properties and degree.
    Get {
        /// Node id.
        id: String,
        /// How to print the result.
        #[command(flatten)]
        format: FormatArg,
    },
    /// Nodes of a kind.
    List {
        /// Node kind.
        #[arg(long)]
        kind: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Skip this many first.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// How to print the result.
        #[command(flatten)]
        format: FormatArg,
    },
    /// Delete a node and the edges touching it.
    Delete {
        /// Node id.
        id: String,
    },
}

/// `edge` subcommands.
#[derive(Debug, Subcommand)]
pub enum EdgeCommand {
    /// Delete one edge.
    Delete {
        /// Source node id.
        source: String,
        /// Target node id.
        target: String,
        /// Edge kind.
        kind: String,
        /// Parallel-tie key.
        #[arg(long, default_value = "")]
        key: String,
    },
}

/// Arguments of `partners`.
#[derive(Debug, Args)]
pub struct PartnersArgs {
    /// Source node id (university, research institute, achievement, tech manager or field).
    pub id: String,
    /// Keep enterprises already tied to the source.
    #[arg(long)]
    pub include_existing: bool,
    /// Only enterprises in this field (repeatable; id or name).
    #[arg(long)]
    pub field: Vec<String>,
    /// Only enterprises located in this district (repeatable; id or name).
    #[arg(long)]
    pub district: Vec<String>,
    /// At most this many enterprises.
    #[arg(long, default_value_t = PartnersRequest::default().top)]
    pub top: usize,
    /// What ranks the firms.
    #[arg(long, value_enum, default_value_t = PartnersMethodArg::Learned)]
    pub method: PartnersMethodArg,
    /// Seed of the learned method (which ties it hides, its samples).
    #[arg(long, default_value_t = PartnersRequest::default().seed)]
    pub seed: u64,
    /// Also print the learned method's model card (as `gaps --model`).
    #[arg(long)]
    pub model: bool,
    /// How to print the result.
    #[command(flatten)]
    pub format: FormatArg,
}

/// What ranks the firms of `partners`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartnersMethodArg {
    /// The model `gaps` learns, trained on the ties between the source's organisation kind
    /// and enterprises (for a technology manager or an achievement blended with its own
    /// fields: 0.7·learned + 0.3·field).
    Learned,
    /// Personalised PageRank, field similarity and proximity
    /// (0.5·pagerank + 0.3·field + 0.2·proximity).
    Blend,
}

impl From<PartnersMethodArg> for PartnersMethod {
    fn from(m: PartnersMethodArg) -> Self {
        match m {
            PartnersMethodArg::Learned => PartnersMethod::Learned,
            PartnersMethodArg::Blend => PartnersMethod::Blend,
        }
    }
}

/// Arguments of `path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// From this node id.
    pub from: String,
    /// To this node id.
    pub to: String,
    /// At most this many paths (shortest first).
    #[arg(long, default_value_t = PathRequest::default().k)]
    pub k: usize,
    /// Also step along attribute edges (in_field, located_in).
    #[arg(long)]
    pub with_attributes: bool,
    /// Count the routes that share no tie (edge-disjoint paths, by maximum flow) and list
    /// one set of them, instead of the k shortest.
    #[arg(long, conflicts_with = "k")]
    pub robust: bool,
    /// With --robust: follow directed ties along their direction only.
    #[arg(long, requires = "robust")]
    pub directed: bool,
    /// How to print the result.
    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `connect`.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The node ids to tie together (two or more).
    #[arg(required = true, num_args = 2..)]
    pub ids: Vec<String>,
    /// Also step along attribute edges (in_field, located_in).
    #[arg(long)]
    pub with_attributes: bool,
    /// How to print the result.
    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `brokers`.
#[derive(Debug, Args)]
pub struct BrokersArgs {
    /// Directed organisation ties of the full view (five roles) instead of the collab view.
    #[arg(long)]
    pub directed: bool,
    /// Count only two-paths whose ends are one of each kind, e.g. university,enterprise.
    #[arg(long)]
    pub between: Option<String>,
    /// Output only organisations of this kind (repeatable).
    #[arg(long)]
    pub kind: Vec<String>,
    /// Only the top N by total brokerage.
    #[arg(long)]
    pub top: Option<usize>,
    /// Label permutations for the z-scores (0: none).
    #[arg(long, default_value_t = BrokersRequest::default().permutations)]
    pub permutations: usize,
    /// Seed of the permutations.
    #[arg(long, default_value_t = BrokersRequest::default().seed)]
    pub seed: u64,
    /// How to print the result.
    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// An unmatched demand whose best candidate scores at least this is matchable.
    #[arg(long, default_value_t = MatchRequest::default().threshold)]
    pub threshold: f64,
    /// List at most this many unmatched demands.
    #[arg(long, default_value_t = MatchRequest::default().top)]
    pub top: usize,
    /// Candidates per unmatched demand.
    #[arg(long, default_value_t = MatchRequest::default().candidates)]
    pub candidates: usize,
    /// Instead: assign achievements to open demands of their field, each used once (a
    /// maximum bipartite matching), beside today's match rate.
    #[arg(long, conflicts_with_all = ["threshold", "top", "candidates"])]
    pub assign: bool,
    /// How to print the result.
    #[command(flatten)]
    pub format: FormatArg,
}

/// Link-prediction scores of `gaps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// A model trained on the graph asked about (hiding some of its ties), or the single score
    /// that ranked the hidden ties best when it does better (see `gaps --model`).
    Learned,
    /// Common neighbours.
    Cn,
    /// Adamic–Adar.
    Aa,
    /// Resource allocation.
    Ra,
    /// Preferential attachment.
    Pa,
    /// Blend of Adamic–Adar, resource allocation, attachment, shared fields and districts.
    Combined,
}

/// Arguments of `gaps`.
#[derive(Debug, Args)]
pub struct GapsArgs {
    /// Report coverage gaps (unanswered demands, idle universities, chain leaders without a
    /// university, districts without a platform, sparse community pairs) instead.
    #[arg(long)]
    pub coverage: bool,
    /// The two organisation kinds to pair, source kind first.
    #[arg(
        long,
        default_value_t = default_between(),
        conflicts_with = "coverage"
    )]
    pub between: String,
    /// The score that ranks the pairs.
    #[arg(long, value_enum, default_value_t = MethodArg::from(GapsRequest::default().method), conflicts_with = "coverage")]
    pub method: MethodArg,
    /// Only pairs whose two ends are in this field (repeatable; id or name).
    #[arg(long, conflicts_with = "coverage")]
    pub field: Vec<String>,
    /// Only pairs whose two ends are in this district (repeatable; id or name).
    #[arg(long, conflicts_with = "coverage")]
    pub district: Vec<String>,
    /// At most this many pairs (with --coverage: rows per section).
    #[arg(long, default_value_t = GapsRequest::default().top)]
    pub top: usize,
    /// Seed of the learned method (which ties it hides, its samples) and of the community
    /// detection (--coverage).
    #[arg(long, default_value_t = CoverageRequest::default().seed)]
    pub seed: u64,
    /// With --coverage: write one file per section into this directory (CSV, JSON or
    /// Markdown by --format) instead of printing.
    #[arg(long, requires = "coverage", value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also print the learned method's model card: what it hid, its training pairs, its
    /// features and weights, and how it and each single method ranked the hidden ties.
    #[arg(long, conflicts_with = "coverage")]
    pub model: bool,
    /// How to print the result.
    #[command(flatten)]
    pub format: FormatArg,
}

/// `gaps --between`'s default, `university,enterprise`, written as the option takes it.
fn default_between() -> String {
    let (a, b) = GapsRequest::default().between;
    format!("{a},{b}")
}

impl From<MethodArg> for GapsMethod {
    fn from(m: MethodArg) -> Self {
        match m {
            MethodArg::Learned => GapsMethod::Learned,
            MethodArg::Cn => GapsMethod::Single(Method::Cn),
            MethodArg::Aa => GapsMethod::Single(Method::Aa),
            MethodArg::Ra => GapsMethod::Single(Method::Ra),
            MethodArg::Pa => GapsMethod::Single(Method::Pa),
            MethodArg::Combined => GapsMethod::Single(Method::Combined),
        }
    }
}

impl From<GapsMethod> for MethodArg {
    fn from(m: GapsMethod) -> Self {
        match m {
            GapsMethod::Learned => MethodArg::Learned,
            GapsMethod::Single(Method::Cn) => MethodArg::Cn,
            GapsMethod::Single(Method::Aa) => MethodArg::Aa,
            GapsMethod::Single(Method::Ra) => MethodArg::Ra,
            GapsMethod::Single(Method::Pa) => MethodArg::Pa,
            GapsMethod::Single(Method::Combined) => MethodArg::Combined,
        }
    }
}

/// `evaluate` subcommands.
#[derive(Debug, Subcommand)]
pub enum EvaluateCommand {
    /// Precision@k, hits@k and AUC of the `gaps` ranking on held-out ties, for the learned
    /// default and every single method (every candidate pair ranked).
    Gaps(EvaluateGapsArgs),
}

/// Output formats of evaluations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum EvaluateFormat {
    /// Aligned columns.
    #[default]
    Table,
    /// JSON.
    Json,
    /// Markdown, as in EVALUATION.md.
    Md,
}

/// Arguments of `evaluate gaps`.
#[derive(Debug, Args)]
pub struct EvaluateGapsArgs {
    /// Also evaluate CORDIS H2020 from this folder (organization.csv, optionally topics.csv);
    /// without it the CORDIS part is skipped.
    #[arg(long, value_name = "DIR")]
    pub cordis_dir: Option<PathBuf>,
    /// Scale of the generated Shanghai ecosystem.
    #[arg(long, default_value_t = 1.0)]
    pub generated_scale: f64,
    /// Skip the generated ecosystem.
    #[arg(long)]
    pub skip_generated: bool,
    /// Actors of each synthetic family (powerlaw-cluster, block-model).
    #[arg(long, default_value_t = 1000)]
    pub family_actors: usize,
    /// Skip the synthetic families.
    #[arg(long)]
    pub skip_families: bool,
    /// Evaluate the database of --db instead of the built-in datasets (implied by --truth).
    #[arg(long)]
    pub database: bool,
    /// Hide a seeded random share of the projects (CORDIS's protocol by default).
    #[arg(long, value_name = "SHARE", group = "protocol")]
    pub holdout_projects: Option<f64>,
    /// Hide a seeded random share of the ties between the two kinds (the families' protocol
    /// by default).
    #[arg(long, value_name = "SHARE", group = "protocol")]
    pub holdout_ties: Option<f64>,
    /// Hide every tie dated YEAR or later (the generated ecosystem's protocol by default,
    /// with 2024).
    #[arg(long, value_name = "YEAR", group = "protocol")]
    pub temporal: Option<i32>,
    /// A CSV `source,target` of pairs known to have formed later, scored against the
    /// database of --db as it is.
    #[arg(long, value_name = "FILE", group = "protocol")]
    pub truth: Option<PathBuf>,
    /// Seeds (comma-separated): one run per seed and dataset; each seeds the hide, the
    /// training and the generated data.
    #[arg(long, value_delimiter = ',', default_values_t = EvaluateGapsRequest::default().seeds)]
    pub seeds: Vec<u64>,
    /// The two organisation kinds to pair, source kind first.
    #[arg(long, default_value = "university,enterprise")]
    pub between: String,
    /// Uniform negatives drawn to estimate the AUC.
    #[arg(long, default_value_t = EvaluateGapsRequest::default().auc_negatives)]
    pub auc_negatives: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvaluateFormat::Table)]
    pub format: EvaluateFormat,
}

/// Arguments of `trends`.
#[derive(Debug, Args)]
pub struct TrendsArgs {
    /// Years of the series and of the growth rate, e.g. 2015..2024 (default: the span of
    /// dated contracts).
    #[arg(long, value_parser = super::planning::years)]
    pub years: Option<(i32, i32)>,
    /// Contract breakdowns (repeatable or comma-separated): signer, mode, district, field
    /// (default: all).
    #[arg(long, value_delimiter = ',')]
    pub by: Vec<String>,
    /// Districts and fields shown in the table (the largest in the last year; JSON and CSV
    /// hold all).
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Format and destination.
    #[command(flatten)]
    pub output: PlannerOutput,
}

/// Arguments of `consortia`.
#[derive(Debug, Args)]
pub struct ConsortiaArgs {
    /// Only projects and ties dated in these years, e.g. 2022..2024.
    #[arg(long, value_parser = super::planning::years)]
    pub years: Option<(i32, i32)>,
    /// Only the all-years row of each programme.
    #[arg(long)]
    pub no_years: bool,
    /// Consortia listed (largest first; JSON and CSV too).
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Candidate consortia in this field (id or name): the smallest sets of actors tying
    /// the `--with` actors together. Needs `--with`.
    #[arg(long, requires = "with")]
    pub field: Option<String>,
    /// An actor (id) the candidate consortia must tie together (repeatable: Shanghai and
    /// provincial actors; with one side only, each partner of the other side in the field
    /// is tried). Needs `--field`.
    #[arg(long = "with", value_name = "ID", requires = "field")]
    pub with: Vec<String>,
    /// Candidate consortia listed.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub candidates: usize,
    /// Format and destination.
    #[command(flatten)]
    pub output: PlannerOutput,
}

/// Arguments of `train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// A pair of organisation kinds to train, source kind first (repeatable; default: every
    /// pair the questions ask for on this store).
    #[arg(long, value_name = "KIND,KIND")]
    pub between: Vec<String>,
    /// Seed of the training, as the questions' `--seed` (default 42).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// How to print the result.
    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `synergy`.
#[derive(Debug, Args)]
pub struct SynergyArgs {
    /// Groupings (repeatable or comma-separated): all, district, field (default: all three).
    #[arg(long, value_delimiter = ',')]
    pub by: Vec<String>,
    /// Only projects and platforms dated in these years, e.g. 2020..2024.
    #[arg(long, value_parser = super::planning::years)]
    pub years: Option<(i32, i32)>,
    /// Only the all-years row of each group.
    #[arg(long)]
    pub no_years: bool,
    /// Leave out districts, fields and single years with fewer projects and platforms than
    /// this (the whole ecosystem's all-years row is always shown).
    #[arg(long, default_value_t = crate::query::SynergyRequest::default().min_units)]
    pub min_units: u64,
    /// Format and destination.
    #[command(flatten)]
    pub output: PlannerOutput,
}

/// Arguments of `engagement`.
#[derive(Debug, Args)]
pub struct EngagementArgs {
    /// Only firms of this class (repeatable): chain_leader, large_firm (default: both).
    #[arg(long)]
    pub class: Vec<String>,
    /// Only firms in this field (id or name).
    #[arg(long)]
    pub field: Option<String>,
    /// Only firms in this district (id or name).
    #[arg(long)]
    pub district: Option<String>,
    /// Only the call list: firms in none of the three programmes.
    #[arg(long)]
    pub not_engaged: bool,
    /// At most N firm rows (the totals count every firm).
    #[arg(long)]
    pub top: Option<usize>,
    /// Format and destination.
    #[command(flatten)]
    pub output: PlannerOutput,
}

/// Arguments of `platforms`.
#[derive(Debug, Args)]
pub struct PlatformsArgs {
    /// Only platforms of this type (repeatable): concept_verification, pilot_base,
    /// functional_platform, other.
    #[arg(long = "type")]
    pub r#type: Vec<String>,
    /// Only platforms in this district (id or name).
    #[arg(long)]
    pub district: Option<String>,
    /// Only platforms in this field (id or name).
    #[arg(long)]
    pub field: Option<String>,
    /// Measure ages up to this year (default: the latest year in the data).
    #[arg(long)]
    pub as_of: Option<i32>,
    /// Only the under-performers.
    #[arg(long)]
    pub under: bool,
    /// At most N platform rows (the type summaries count every platform).
    #[arg(long)]
    pub top: Option<usize>,
    /// Format and destination.
    #[command(flatten)]
    pub output: PlannerOutput,
}

/// Arguments of `universities`.
#[derive(Debug, Args)]
pub struct UniversitiesArgs {
    /// Only achievements, contracts and spin-offs dated in these years, e.g. 2023..2024.
    #[arg(long, value_parser = super::planning::years)]
    pub years: Option<(i32, i32)>,
    /// Only the 2023 pilot universities.
    #[arg(long)]
    pub pilot: bool,
    /// At most N university rows (the groups count every university).
    #[arg(long)]
    pub top: Option<usize>,
    /// Format and destination.
    #[command(flatten)]
    pub output: PlannerOutput,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn import_undo_needs_no_files_and_refuses_them() {
        assert!(Cli::try_parse_from(["innograph", "import", "--undo"]).is_ok());
        assert!(Cli::try_parse_from(["innograph", "import", "--undo", "a.csv"]).is_err());
        assert!(Cli::try_parse_from(["innograph", "import"]).is_err());
    }

    #[test]
    fn format_defaults_to_table() {
        let cli = Cli::try_parse_from(["innograph", "stats"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Stats(FormatArg {
                format: OutputFormat::Table
            }))
        ));
    }
}
