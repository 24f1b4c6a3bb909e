//! The edge-list reader: one tie a line, `source target [weight]`, separated by
//! whitespace, tabs, commas or semicolons (sniffed from the first data line, or given), as
//! NetworkX's `write_edgelist`, igraph's `ncol`, SNAP and KONECT files write them. Lines
//! starting with `#` or `%` are comments; a first line `source,target[,weight]` (or `from
//! to`) is a header. Every tie gets the edge kind given with `--edge-kind`; an endpoint
//! that is neither stored nor already created by this file becomes a node of
//! `--source-kind` / `--target-kind` (or `--node-kind` for both), named by its id — a node
//! that exists keeps its name and properties.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};

use crate::ingest::{Issue, Located, Pass, Record};
use crate::model::{EdgeRecord, NodeRecord, Props, RecordError};

/// What an edge list does not say.
#[derive(Debug, Clone, Default)]
pub struct EdgeListOptions {
    /// Kind of every tie.
    pub edge_kind: String,
    /// Kind of new source nodes.
    pub source_kind: Option<String>,
    /// Kind of new target nodes.
    pub target_kind: Option<String>,
    /// The separator, when not sniffed: `b' '` for any whitespace.
    pub delimiter: Option<u8>,
}

fn sniff(line: &str) -> u8 {
    for d in [b'\t', b',', b';'] {
        if line.as_bytes().contains(&d) {
            return d;
        }
    }
    b' '
}

fn split(line: &str, delimiter: u8) -> Result<Vec<String>, RecordError> {
    if delimiter == b' ' {
        return Ok(line.split_whitespace().map(str::to_string).collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(line.as_bytes());
    match reader.records().next() {
        Some(Ok(r)) => Ok(r.iter().map(|f| f.trim().to_string()).collect()),
        Some(Err(e)) => Err(RecordError::new("row", e.to_string())),
        None => Ok(Vec::new()),
    }
}

fn is_header(fields: &[String]) -> bool {
    let lower: Vec<String> = fields.iter().map(|f| f.to_ascii_lowercase()).collect();
    matches!(
        lower
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["source", "target"]
            | ["source", "target", "weight"]
            | ["from", "to"]
            | ["from", "to", "weight"]
    )
}

/// Reads one pass over an edge list. The node pass yields the new endpoints (those
/// `known` does not hold and this reader has not yet created, tracked in `created`); the
/// edge pass yields the ties.
pub fn read_edgelist(
    reader: impl Read,
    display: &str,
    pass: Pass,
    options: &EdgeListOptions,
    known: &dyn Fn(&str) -> bool,
    created: &mut HashSet<String>,
    sink: &mut dyn FnMut(Located),
) -> Result<(), Issue> {
    let reader = BufReader::with_capacity(1 << 16, reader);
    let mut delimiter = options.delimiter;
    let mut first_data_line = true;
    for (i, line) in reader.split(b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let bytes = line.map_err(|e| Issue {
            file: display.to_string(),
            line: line_no,
            field: "file".into(),
            reason: e.to_string(),
        })?;
        let record = |r: Result<Record, RecordError>| Located {
            line: line_no,
            record: r,
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            if pass == Pass::Nodes {
                sink(record(Err(RecordError::new("row", "is not valid UTF-8"))));
            }
            continue;
        };
        let text = text.trim_end_matches('\r');
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('%') {
            continue;
        }
        let d = *delimiter.get_or_insert_with(|| sniff(trimmed));
        let fields = match split(trimmed, d) {
            Ok(f) => f,
            Err(e) => {
                if pass == Pass::Nodes {
                    sink(record(Err(e)));
                }
                continue;
            }
        };
        if std::mem::take(&mut first_data_line) && is_header(&fields) {
            continue;
        }
        if !(2..=3).contains(&fields.len()) {
            if pass == Pass::Nodes {
                sink(record(Err(RecordError::new(
                    "row",
                    format!(
                        "has {} fields; expected `source target` and an optional weight",
                        fields.len()
                    ),
                ))));
            }
            continue;
        }
        match pass {
            Pass::Nodes => {
                for (id, kind, field, option) in [
                    (&fields[0], &options.source_kind, "source", "--source-kind"),
                    (&fields[1], &options.target_kind, "target", "--target-kind"),
                ] {
                    if id.is_empty() || known(id) || created.contains(id.as_str()) {
                        continue;
                    }
                    let Some(kind) = kind else {
                        sink(record(Err(RecordError::new(
                            field,
                            format!(
                                "node `{id}` does not exist; name the kind of new nodes with {option} or --node-kind"
                            ),
                        ))));
                        continue;
                    };
                    created.insert(id.clone());
                    sink(record(Ok(Record::Node(NodeRecord {
                        id: id.clone(),
                        kind: kind.clone(),
                        name: id.clone(),
                        name_en: None,
                        props: Props::new(),
                    }))));
                }
            }
            Pass::Edges => {
                let weight = match fields.get(2).map(|w| w.trim()) {
                    None => Ok(None),
                    Some(w) => w
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite() && *x >= 0.0)
                        .map(Some)
                        .ok_or_else(|| {
                            RecordError::new("weight", format!("expected a number ≥ 0, got `{w}`"))
                        }),
                };
                sink(record(weight.map(|weight| {
                    Record::Edge(EdgeRecord {
                        source: fields[0].clone(),
                        target: fields[1].clone(),
                        kind: options.edge_kind.clone(),
                        key: String::new(),
                        weight,
                        props: Props::new(),
                    })
                })));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, pass: Pass, options: &EdgeListOptions) -> Vec<Located> {
        let mut out = Vec::new();
        let mut created = HashSet::new();
        read_edgelist(
            text.as_bytes(),
            "e.txt",
            pass,
            options,
            &|id| id == "univ:sjtu",
            &mut created,
            &mut |l| out.push(l),
        )
        .unwrap();
        out
    }

    fn options() -> EdgeListOptions {
        EdgeListOptions {
            edge_kind: "collaborates_with".into(),
            source_kind: Some("enterprise".into()),
            target_kind: Some("enterprise".into()),
            delimiter: None,
        }
    }

    #[test]
    fn new_endpoints_become_nodes_once_and_stored_ones_are_left_alone() {
        let text = "# comment\nuniv:sjtu a 2\na b\n\nb a\n";
        let nodes = run(text, Pass::Nodes, &options());
        let ids: Vec<String> = nodes
            .iter()
            .map(|l| match &l.record {
                Ok(Record::Node(n)) => n.id.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ids, ["a", "b"]);
        let edges = run(text, Pass::Edges, &options());
        assert_eq!(edges.len(), 3);
        assert_eq!(edges[0].line, 2);
        let Ok(Record::Edge(e)) = &edges[0].record else {
            panic!()
        };
        assert_eq!(e.weight, Some(2.0));
    }

    #[test]
    fn csv_pairs_with_a_header_and_bad_rows_are_reported_by_line() {
        let text = "source,target,weight\na,b,x\na,b,c,d\n";
        let edges = run(text, Pass::Edges, &options());
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].record.as_ref().unwrap_err().field, "weight");
        let nodes = run(text, Pass::Nodes, &options());
        let bad = nodes.iter().find(|l| l.record.is_err()).unwrap();
        assert_eq!(bad.line, 3);
    }

    #[test]
    fn a_missing_kind_names_the_options() {
        let o = EdgeListOptions {
            source_kind: None,
            ..options()
        };
        let nodes = run("x y\n", Pass::Nodes, &o);
        let e = nodes[0].record.as_ref().unwrap_err();
        assert!(e.reason.contains("--source-kind"), "{}", e.reason);
    }
}
