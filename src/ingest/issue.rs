//! Problems found in input files, reported as `file:line: field: reason`.

use std::fmt;

/// One invalid record (or unreadable part of a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line number (0 when the problem concerns the whole file).
    pub line: u64,
    /// The field (column or JSON key) at fault.
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

impl Issue {
    /// The problem `error` found in a record at `file:line`.
    pub fn of_record(file: &str, line: u64, error: crate::model::RecordError) -> Issue {
        Issue {
            file: file.to_string(),
            line,
            field: error.field,
            reason: error.reason,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.field, self.reason
        )
    }
}
