//! The command line, as clap definitions only: what each command accepts. What the
//! commands do lives in `commands.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// What to do (default: `overview`, which builds the Shanghai database if absent).
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
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Random seed; the same seed gives byte-identical files.
        #[arg(long, default_value_t = 42)]
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
        #[command(flatten)]
        format: FormatArg,
    },
    /// Nodes within some steps of a node.
    Neighbors {
        /// Node id.
        id: String,
        /// Steps out.
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// Follow only edges of this kind (repeatable).
        #[arg(long = "edge-kind")]
        edge_kind: Vec<String>,
        /// At most this many results.
        #[arg(long, default_value_t = 1000)]
        limit: usize,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Write the whole graph to files that `import` reads back.
    Export {
        /// jsonl or csv.
        #[arg(long, value_parser = ["jsonl", "csv"])]
        format: String,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import (CSV node/edge files, JSON Lines); with --from cordis,
    /// organization.csv and optionally topics.csv.
    #[arg(required_unless_present = "undo")]
    pub files: Vec<PathBuf>,
    /// Read a foreign dataset instead of innograph's own formats.
    #[arg(long, value_parser = ["cordis"])]
    pub from: Option<String>,
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
