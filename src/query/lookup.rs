//! Finding nodes from what users type: ids, and fields or districts given by id or name.
//! Every query resolves through these, so the "did you mean" answers are the same
//! everywhere.

use super::{suggest, QueryError};
use crate::store::{NodeNames, Snapshot};

/// The unknown-node error for `id`, with the closest ids and names as suggestions.
pub(crate) fn unknown_node<N: NodeNames + ?Sized>(names: &N, id: &str) -> QueryError {
    QueryError::UnknownNode {
        id: id.to_string(),
        suggestions: suggest(names, id, 3),
    }
}

/// The snapshot index of the node with this id, or an unknown-node error.
pub(crate) fn node(snapshot: &Snapshot, id: &str) -> Result<u32, QueryError> {
    snapshot
        .node_index(id)
        .ok_or_else(|| unknown_node(snapshot, id))
}

/// The field or district (`kind`) given as an id, as `kind:given`, or as a name (Chinese
/// or English); else an error suggesting nodes of that kind.
pub(crate) fn attribute(snapshot: &Snapshot, kind: &str, given: &str) -> Result<u32, QueryError> {
    for candidate in [given.to_string(), format!("{kind}:{given}")] {
        if let Some(v) = snapshot.node_index(&candidate) {
            if snapshot.node_kind(v) == kind {
                return Ok(v);
            }
        }
    }
    if let Some(v) = (0..snapshot.node_count() as u32).find(|&v| {
        snapshot.node_kind(v) == kind
            && (snapshot.node_name(v) == given || snapshot.node_name_en(v) == Some(given))
    }) {
        return Ok(v);
    }
    let suggestions: Vec<String> = suggest(snapshot, given, 20)
        .into_iter()
        .filter(|id| {
            snapshot
                .node_index(id)
                .is_some_and(|v| snapshot.node_kind(v) == kind)
        })
        .take(3)
        .collect();
    let hint = if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    };
    Err(QueryError::BadParameter(format!(
        "no {kind} `{given}`{hint}"
    )))
}

/// Two kinds written `A,B` (the `between` option of `gaps` and `brokers`); `what` names the
/// option in the error, e.g. `--between` or `` `between` ``.
pub fn parse_kind_pair(text: &str, what: &str) -> Result<(String, String), QueryError> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [a, b] if !a.is_empty() && !b.is_empty() => Ok((a.to_string(), b.to_string())),
        _ => Err(QueryError::BadParameter(format!(
            "{what} takes two kinds separated by a comma, e.g. university,enterprise (got `{text}`)"
        ))),
    }
}

/// How users may write a name: case, `-` and spaces do not matter (`PageRank`,
/// `effective-size`, `Research Institute`).
fn normalise(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect()
}

/// The known names closest to `given` (at most three, by edit distance), for "did you mean".
pub fn did_you_mean<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let given = normalise(given);
    let limit = (given.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| (super::nodes::edit_distance(&given, &normalise(k), limit), k))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

/// The name `given` stands for among `names` (each a canonical name and its aliases),
/// ignoring case, `-` and spaces; else an error listing the closest and all known names.
/// `what` names the kind of value in the message (`algorithm`, `method`, …).
pub fn choose<'a>(
    what: &str,
    given: &str,
    names: &[(&'a str, &[&str])],
) -> Result<&'a str, QueryError> {
    let wanted = normalise(given);
    for (name, aliases) in names {
        if normalise(name) == wanted || aliases.iter().any(|a| normalise(a) == wanted) {
            return Ok(name);
        }
    }
    let all = names
        .iter()
        .flat_map(|(n, aliases)| std::iter::once(*n).chain(aliases.iter().copied()));
    let close: Vec<&str> = did_you_mean(given, all)
        .into_iter()
        .map(|close| {
            names
                .iter()
                .find(|(n, aliases)| *n == close || aliases.contains(&close))
                .map_or(close, |(n, _)| *n)
        })
        .collect();
    Err(QueryError::BadParameter(format!(
        "unknown {what} `{given}`{} (known: {})",
        hint(&close),
        names.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    )))
}

fn hint(close: &[&str]) -> String {
    let mut unique: Vec<&str> = Vec::new();
    for c in close {
        if !unique.contains(c) {
            unique.push(c);
        }
    }
    if unique.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", unique.join(", "))
    }
}

/// Common words for node kinds, accepted wherever a kind is named.
const KIND_ALIASES: [(&str, &[&str]); 5] = [
    ("university", &["univ", "universities", "college"]),
    (
        "enterprise",
        &["firm", "firms", "company", "companies", "enterprises"],
    ),
    (
        "research_institute",
        &["institute", "inst", "research_institutes"],
    ),
    ("tech_manager", &["technology_manager", "manager"]),
    ("incubator", &["incubators"]),
];

/// The node kind of the database that `given` names (case-insensitive, with common aliases
/// such as `firm` for `enterprise`), or an error with the closest kinds.
pub fn node_kind(snapshot: &Snapshot, given: &str) -> Result<String, QueryError> {
    let kinds = snapshot.node_kind_names();
    let names: Vec<(&str, &[&str])> = kinds
        .iter()
        .map(|k| {
            let aliases: &[&str] = KIND_ALIASES
                .iter()
                .find(|(name, _)| name == k)
                .map_or(&[], |(_, a)| a);
            (k.as_str(), aliases)
        })
        .collect();
    choose("node kind", given, &names).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALGOS: [(&str, &[&str]); 2] = [("pagerank", &["pr"]), ("community", &["louvain"])];

    #[test]
    fn names_ignore_case_and_take_aliases() {
        assert_eq!(choose("algorithm", "PageRank", &ALGOS).unwrap(), "pagerank");
        assert_eq!(choose("algorithm", "Louvain", &ALGOS).unwrap(), "community");
    }

    #[test]
    fn unknown_names_get_the_closest_ones() {
        let e = choose("algorithm", "pagernk", &ALGOS)
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean pagerank?"), "{e}");
        assert!(e.contains("known: pagerank, community"), "{e}");
        assert_eq!(
            did_you_mean("univeristy", ["university", "enterprise"]),
            ["university"]
        );
    }
}
