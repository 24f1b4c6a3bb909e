//! `innograph init`: create a database, or extend its schema with a TOML file.

use std::path::Path;

use anyhow::{Context, Result};

use super::output::outln;
use crate::model::Schema;
use crate::query::Store;

/// `innograph init [--schema FILE]`.
pub(super) fn init(db: &Path, schema_file: Option<&Path>) -> Result<i32> {
    let extension = match schema_file {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read schema file {}", path.display()))?;
            Some(
                Schema::extension_from_toml(&text)
                    .with_context(|| format!("in schema file {}", path.display()))?,
            )
        }
    };
    let had_extension = extension.is_some();
    let (store, created) = Store::init(db, Schema::builtin(), extension)?;
    let schema = store.schema();
    if created {
        outln!(
            "created {} ({} node kinds, {} edge kinds)",
            db.display(),
            schema.node_kinds.len(),
            schema.edge_kinds.len()
        )?;
    } else if had_extension {
        outln!(
            "extended the schema of {} (now {} node kinds, {} edge kinds)",
            db.display(),
            schema.node_kinds.len(),
            schema.edge_kinds.len()
        )?;
    } else {
        outln!("{} already exists; nothing to do", db.display())?;
    }
    Ok(0)
}
