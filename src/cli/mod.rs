//! The command-line adapter: clap definitions in [`args`], one file per command with what
//! it does (open the store, call `query`, print), rendering in `output`, progress and
//! Ctrl-C in `progress`. No business logic lives here.

pub mod args;
mod json;
mod output;
mod planning;
mod progress;
pub mod values;

mod brokers;
mod centrality;
mod check;
mod connect;
mod consortia;
mod edge;
mod engagement;
mod evaluate;
mod export;
mod gaps;
mod generate;
mod import;
mod init;
mod maintenance;
mod matching;
mod neighbors;
mod node;
mod overview;
mod partners;
mod path;
mod platforms;
mod report;
mod report_html;
mod schema;
mod search;
mod serve;
mod stats;
mod synergy;
mod train;
mod trends;
mod universities;

use std::path::Path;

use anyhow::Result;

pub use args::Cli;
use args::{Command, EdgeCommand};
pub use values::exit_code;

use crate::model::EdgeId;
use crate::query::NeighborOptions;
use crate::query::Store;

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    if std::env::var_os("RUST_LOG").is_some() {
        // Logs on request only (the store's warnings, its steps): a command's own output
        // stays clean otherwise. `serve` installs its request log itself.
        crate::server::init_logging();
    }
    let db = cli.db;
    json::choose(cli.compact, cli.pretty);
    let Some(command) = cli.command else {
        return overview::bare(&db);
    };
    match command {
        Command::Overview(f) => overview::overview(&db, f.format),
        Command::Init { schema } => init::init(&db, schema.as_deref()),
        Command::Schema { format } => schema::print_schema(&db, &format),
        Command::Import(args) => import::import(&db, args),
        Command::Generate { scale, seed, out } => generate::generate(scale, seed, &out),
        Command::Stats(f) => stats::stats(&open(&db)?, f.format),
        Command::Node(cmd) => node::node(&db, cmd),
        Command::Edge(EdgeCommand::Delete {
            source,
            target,
            kind,
            key,
        }) => edge::delete(
            &open(&db)?,
            EdgeId {
                source,
                target,
                kind,
                key,
            },
        ),
        Command::Check => check::check(&db),
        Command::Compact => maintenance::compact(&db),
        Command::Backup { out } => maintenance::backup(&db, &out),
        Command::Restore { from } => maintenance::restore(&db, &from),
        Command::Centrality(args) => {
            centrality::centrality(&open(&db)?, args, progress::interrupt_flag())
        }
        Command::Report { batch, out, format } => report::report(
            &open(&db)?,
            &batch,
            &out,
            &format,
            progress::interrupt_flag(),
        ),
        Command::Search {
            text,
            kind,
            limit,
            format,
        } => search::search(&open(&db)?, &text, kind.as_deref(), limit, format.format),
        Command::Neighbors {
            id,
            depth,
            edge_kind,
            limit,
            format,
        } => neighbors::neighbors(
            &open(&db)?,
            &id,
            &NeighborOptions {
                depth,
                edge_kinds: edge_kind,
                limit,
            },
            format.format,
        ),
        Command::Partners(args) => partners::partners(&open(&db)?, args),
        Command::Path(args) => path::path(&open(&db)?, args),
        Command::Connect(args) => connect::connect(&open(&db)?, args),
        Command::Brokers(args) => brokers::brokers(&open(&db)?, args),
        Command::Match(args) => matching::matching(&open(&db)?, args),
        Command::Export(args) => export::export(&open(&db)?, args),
        Command::Gaps(args) => gaps::gaps(&open(&db)?, args),
        Command::Evaluate(cmd) => evaluate::evaluate(cmd, &db),
        Command::Serve(args) => serve::serve(open(&db)?, args),
        Command::Trends(args) => trends::trends(&open(&db)?, args),
        Command::Consortia(args) => consortia::consortia(&open(&db)?, args),
        Command::Synergy(args) => synergy::synergy(&open(&db)?, args),
        Command::Engagement(args) => engagement::engagement(&open(&db)?, args),
        Command::Platforms(args) => platforms::platforms(&open(&db)?, args),
        Command::Universities(args) => universities::universities(&open(&db)?, args),
        Command::Train(args) => train::train(&open(&db)?, args),
    }
}

/// Opens the database the command names.
fn open(db: &Path) -> Result<Store> {
    Ok(Store::open(db)?)
}

/// Whether the command failed only because standard output was closed early (`innograph …
/// | head -1`): the reader has what it wanted, so the binary exits 0 without a message.
pub fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
