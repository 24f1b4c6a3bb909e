//! The values users type, parsed once for every command: algorithm names (case-insensitive,
//! with aliases such as `louvain`, comma-separated or repeated), and the exit code of a
//! value the command cannot use.
//!
//! How a command uses it:
//! - a list of algorithms: `#[arg(long, value_delimiter = ',', value_parser = values::algo)]
//!   algo: Vec<Algo>` accepts `--algo a,b --algo c`, `PageRank`, `louvain`, and answers an
//!   unknown name with "did you mean" and exit code 2;
//! - another fixed set of names: `value_parser = values::one_of("method", &[("ra",
//!   &["resource_allocation"]), …])` gives the same behaviour;
//! - a value checked against the database (node kinds, fields, districts): let the query
//!   return `QueryError::BadParameter` (`query::node_kind` resolves kinds with aliases and
//!   "did you mean"); [`exit_code`] maps it to 2 like clap's own usage errors.

use crate::query::{self, Algo, QueryError};

/// Parses one algorithm name (a clap value parser).
pub fn algo(text: &str) -> Result<Algo, String> {
    Algo::parse(text).map_err(|e| e.to_string())
}

/// A clap value parser for one of `names` (canonical names with their aliases),
/// case-insensitive, answering an unknown value with the closest names.
pub fn one_of(
    what: &'static str,
    names: &'static [(&'static str, &'static [&'static str])],
) -> impl Fn(&str) -> Result<String, String> + Clone + Send + Sync + 'static {
    move |text: &str| {
        query::choose(what, text, names)
            .map(str::to_string)
            .map_err(|e| e.to_string())
    }
}

/// The exit code of a failed command: 2 for a value the user gave that cannot be used
/// (as clap's usage errors), 1 for everything else.
pub fn exit_code(error: &anyhow::Error) -> i32 {
    let usage = error.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<QueryError>(),
            Some(QueryError::BadParameter(_))
        ) || cause.downcast_ref::<UsageError>().is_some()
    });
    if usage {
        2
    } else {
        1
    }
}

/// A value or combination of options the command cannot use, found after parsing (exit
/// code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Removes repeated algorithms, keeping the first of each.
pub fn dedup_algos(algos: Vec<Algo>) -> Vec<Algo> {
    let mut out: Vec<Algo> = Vec::with_capacity(algos.len());
    for a in algos {
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_names_are_forgiving_and_errors_helpful() {
        assert_eq!(algo("PageRank"), Ok(Algo::Pagerank));
        assert_eq!(algo("louvain"), Ok(Algo::Community));
        assert_eq!(algo("effective-size"), Ok(Algo::EffectiveSize));
        let e = algo("betweeness").unwrap_err();
        assert!(e.contains("did you mean betweenness?"), "{e}");
    }

    #[test]
    fn bad_parameters_exit_2_and_other_errors_1() {
        let bad = anyhow::Error::from(QueryError::BadParameter("no".into()));
        assert_eq!(exit_code(&bad), 2);
        assert_eq!(exit_code(&anyhow::anyhow!("disk on fire")), 1);
        assert_eq!(exit_code(&UsageError("x".into()).into()), 2);
    }
}
