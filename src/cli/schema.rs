//! `innograph schema`: print the database's schema (or the built-in one).

use std::path::Path;

use anyhow::Result;

use super::output::out;
use crate::model::Schema;

/// `innograph schema [--format toml|json]`.
pub(super) fn print_schema(db: &Path, format: &str) -> Result<i32> {
    let schema = if db.exists() {
        super::open(db)?.schema()
    } else {
        Schema::builtin()
    };
    if format == "json" {
        super::json::print(&schema)?;
    } else {
        out!("{}", schema.to_toml())?;
    }
    Ok(0)
}
