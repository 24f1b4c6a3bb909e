//! `innograph node get|list|delete`.

use std::path::Path;

use anyhow::Result;

use super::args::NodeCommand;
use super::output::outln;
use super::output::{emit, node_table, Table};
use crate::query;

/// `innograph node get|list|delete`.
pub(super) fn node(db: &Path, cmd: NodeCommand) -> Result<i32> {
    let store = super::open(db)?;
    match cmd {
        NodeCommand::Get { id, format } => {
            let node = query::get_node(&store, &id)?;
            emit(format.format, &serde_json::to_value(&node)?, || {
                let mut t = Table::new(&["field", "value"]);
                t.rows.push(vec!["id".into(), node.id.clone()]);
                t.rows.push(vec!["kind".into(), node.kind.clone()]);
                t.rows.push(vec!["name".into(), node.name.clone()]);
                t.rows.push(vec![
                    "name_en".into(),
                    node.name_en.clone().unwrap_or_default(),
                ]);
                t.rows.push(vec!["degree".into(), node.degree.to_string()]);
                if let serde_json::Value::Object(props) = &node.props {
                    for (k, v) in props {
                        let text = match v {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        t.rows.push(vec![format!("props.{k}"), text]);
                    }
                }
                t
            })?;
        }
        NodeCommand::List {
            kind,
            limit,
            offset,
            format,
        } => {
            let nodes = query::list_nodes(&store, kind.as_deref(), offset, limit)?;
            emit(format.format, &serde_json::to_value(&nodes)?, || {
                node_table(&nodes)
            })?;
        }
        NodeCommand::Delete { id } => {
            let deleted = query::delete_node(&store, &id, &format!("node delete {id}"))?;
            outln!(
                "deleted node {id} and {} edge(s) touching it",
                deleted.edges
            )?;
        }
    }
    Ok(0)
}
