//! The Neo4j export: `nodes.csv` and `relationships.csv` with the headers of
//! `neo4j-admin database import` (`id:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE` and
//! typed property columns such as `amount:double`), and a README.md beside them with the
//! exact import command.
//!
//! Labels follow Neo4j's conventions: the kind in PascalCase (`research_institute` →
//! `ResearchInstitute`), plus `Organisation` for every organisation kind, so that
//! `MATCH (o:Organisation)` finds all actors; relationship types are the edge kinds in upper
//! snake case (`CONTRACTS_WITH`). The innograph kind and key stay as properties.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;

use super::columns::{PropColumns, ValueType};
use super::{GraphExportSummary, Source};
use crate::model::{PropValue, Props};
use crate::store::StoreError;

const NODE_FIXED: [&str; 4] = ["id", "kind", "name", "name_en"];
const EDGE_FIXED: [&str; 3] = ["kind", "key", "weight"];

/// The Neo4j label of a node kind.
pub(crate) fn label(kind: &str) -> String {
    kind.split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The Neo4j relationship type of an edge kind.
pub(crate) fn rel_type(kind: &str) -> String {
    kind.replace(['-', ' '], "_").to_uppercase()
}

fn neo4j_type(ty: ValueType) -> &'static str {
    match ty {
        ValueType::Bool => "boolean",
        ValueType::Int => "long",
        ValueType::Float => "double",
        ValueType::Text => "string",
    }
}

fn cell(v: &PropValue) -> String {
    match v {
        PropValue::Float(x) if x.is_nan() => "NaN".into(),
        PropValue::Float(x) if x.is_infinite() => {
            if *x > 0.0 { "Infinity" } else { "-Infinity" }.into()
        }
        other => other.to_string(),
    }
}

pub(super) fn write(source: &Source<'_>, dir: &Path) -> Result<GraphExportSummary, StoreError> {
    let schema = source.store.schema();
    let columns = PropColumns::scan(source, &NODE_FIXED, &EDGE_FIXED)?;
    let nodes_path = dir.join("nodes.csv");
    let rels_path = dir.join("relationships.csv");
    let csv_err = |path: &Path| {
        let path = path.to_path_buf();
        move |e: csv::Error| StoreError::file(&path, e.into())
    };
    let create = |path: &Path| -> Result<csv::Writer<BufWriter<File>>, StoreError> {
        let f = File::create(path).map_err(|e| StoreError::file(path, e))?;
        Ok(csv::Writer::from_writer(BufWriter::with_capacity(
            1 << 16,
            f,
        )))
    };

    let mut out = create(&nodes_path)?;
    let mut header: Vec<String> = vec![
        "id:ID".into(),
        ":LABEL".into(),
        "kind".into(),
        "name".into(),
        "name_en".into(),
    ];
    header.extend(
        columns
            .nodes
            .iter()
            .map(|c| format!("{}:{}", c.header, neo4j_type(c.ty))),
    );
    header.extend(source.selection.scores.iter().map(|s| {
        let ty = if s.integral { "long" } else { "double" };
        format!("{}:{ty}", s.name)
    }));
    out.write_record(&header).map_err(csv_err(&nodes_path))?;
    let mut nodes = 0;
    for node in source.nodes() {
        let node = node?;
        let n = &node.record;
        let mut labels = label(&n.kind);
        if schema.is_organisation(&n.kind) && n.kind != "organisation" {
            labels.push_str(";Organisation");
        }
        let mut row = vec![
            n.id.clone(),
            labels,
            n.kind.clone(),
            n.name.clone(),
            n.name_en.clone().unwrap_or_default(),
        ];
        push_props(&mut row, &columns.nodes, &n.props);
        for s in &source.selection.scores {
            row.push(match s.value(node.index) {
                Some(v) if s.integral => format!("{}", v as i64),
                Some(v) => cell(&PropValue::Float(v)),
                None => String::new(),
            });
        }
        out.write_record(&row).map_err(csv_err(&nodes_path))?;
        nodes += 1;
    }
    out.flush().map_err(|e| StoreError::file(&nodes_path, e))?;

    let mut out = create(&rels_path)?;
    let mut header: Vec<String> = vec![
        ":START_ID".into(),
        ":END_ID".into(),
        ":TYPE".into(),
        "kind".into(),
        "key".into(),
        "weight:double".into(),
    ];
    header.extend(
        columns
            .edges
            .iter()
            .map(|c| format!("{}:{}", c.header, neo4j_type(c.ty))),
    );
    out.write_record(&header).map_err(csv_err(&rels_path))?;
    let mut edges = 0;
    for edge in source.edges() {
        let e = edge?;
        let mut row = vec![
            e.source.clone(),
            e.target.clone(),
            rel_type(&e.kind),
            e.kind.clone(),
            e.key.clone(),
            e.weight
                .map(|w| cell(&PropValue::Float(w)))
                .unwrap_or_default(),
        ];
        push_props(&mut row, &columns.edges, &e.props);
        out.write_record(&row).map_err(csv_err(&rels_path))?;
        edges += 1;
    }
    out.flush().map_err(|e| StoreError::file(&rels_path, e))?;

    let readme_path = dir.join("README.md");
    fs::write(&readme_path, readme(nodes, edges)).map_err(|e| StoreError::file(&readme_path, e))?;
    Ok(GraphExportSummary {
        files: vec![nodes_path, rels_path, readme_path],
        nodes,
        edges,
    })
}

fn push_props(row: &mut Vec<String>, columns: &[super::columns::Column], props: &Props) {
    for c in columns {
        row.push(c.value(props).map(|v| cell(&v)).unwrap_or_default());
    }
}

fn readme(nodes: u64, edges: u64) -> String {
    format!(
        "# innograph export for Neo4j\n\n\
`nodes.csv` ({nodes} nodes) and `relationships.csv` ({edges} relationships) carry the headers of\n\
`neo4j-admin database import` (Neo4j 5): `id:ID`, `:LABEL` (the kind in PascalCase, plus\n\
`Organisation` for every organisation kind), `:START_ID`, `:END_ID`, `:TYPE` (the edge kind in\n\
upper snake case) and typed property columns (`long`, `double`, `boolean`, `string`). An empty\n\
cell is an absent property.\n\n\
Stop the server (or use a database that does not exist yet), copy both files into Neo4j's\n\
`import/` directory, then run:\n\n\
```sh\n\
neo4j-admin database import full neo4j \\\n\
  --nodes=import/nodes.csv \\\n\
  --relationships=import/relationships.csv \\\n\
  --ignore-empty-strings=true --multiline-fields=true --overwrite-destination=true\n\
```\n\n\
(`neo4j` is the database to create; on Neo4j 4.4 the command is `neo4j-admin import\n\
--database=neo4j --nodes=… --relationships=…`.) Then, in `cypher-shell`:\n\n\
```cypher\n\
CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:University) REQUIRE n.id IS UNIQUE;\n\
MATCH (u:University)-[:CONTRACTS_WITH]->(e:Enterprise) RETURN u.name, e.name LIMIT 10;\n\
```\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_neo4j_naming() {
        assert_eq!(label("research_institute"), "ResearchInstitute");
        assert_eq!(label("university"), "University");
        assert_eq!(rel_type("contracts_with"), "CONTRACTS_WITH");
    }
}
