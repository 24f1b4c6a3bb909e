//! Errors of the model layer.

use thiserror::Error;

/// A schema that cannot be read or merged.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The schema text is not valid TOML of the expected form.
    #[error("schema is not valid: {0}")]
    SchemaSyntax(String),
    /// The schema is well-formed but contradicts itself or the schema it extends.
    #[error("schema conflict: {0}")]
    SchemaConflict(String),
}

/// Why one record is invalid: the field it concerns and the reason, so that importers
/// can report `file:line: field: reason`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {reason}")]
pub struct RecordError {
    /// The field (column or JSON key) at fault, e.g. `kind`, `target`, `props.amount`.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

impl RecordError {
    /// Builds an error for `field` with a reason.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        RecordError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
