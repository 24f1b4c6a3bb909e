//! Errors of the query layer.

use thiserror::Error;

use crate::store::StoreError;

/// Why a query could not be answered.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum QueryError {
    /// No node has this id; the closest names are suggested.
    #[error("no node with id `{id}`{}", did_you_mean(.suggestions))]
    UnknownNode {
        /// The id asked for.
        id: String,
        /// Ids of nodes with close ids or names.
        suggestions: Vec<String>,
    },
    /// No edge has this id.
    #[error("no edge {0}")]
    UnknownEdge(String),
    /// A parameter is out of range or contradicts another.
    #[error("{0}")]
    BadParameter(String),
    /// A file the command reads holds what it cannot use (the message names the file, line
    /// and field); unlike a bad parameter, not a usage error.
    #[error("{0}")]
    BadFile(String),
    /// The computation was stopped (Ctrl-C).
    #[error("cancelled")]
    Cancelled,
    /// An algorithm could not finish (e.g. no convergence).
    #[error("{0}")]
    Algorithm(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}
