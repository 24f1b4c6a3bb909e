//! Getting data in and out: the import pipeline (CSV, JSON Lines, CORDIS), and export.
//!
//! An import is one write transaction for all its files: node records of every file are
//! validated and staged first, then edge records, so endpoints may be anywhere in the
//! input or already in the store. Any invalid record aborts the whole import (unless
//! `skip_invalid`), leaving the store exactly as it was.

pub mod cordis;
mod export;
pub mod formats;
mod issue;
mod preflight;
mod source;

use std::borrow::Cow;
use std::collections::HashMap;

use thiserror::Error;

pub use export::{edge_json, export, node_json, props_json, ExportFormat, ExportSummary};
pub use issue::Issue;
pub use preflight::{check as check_file, plan_import, FileError, ImportPlan};
pub use source::read_jsonl_bytes;
pub use source::{detect_format, Format, InputFile, Located, Pass, Record};

use crate::model::{RecordError, Schema};
use crate::store::{Manifest, Store, StoreError};

/// How many problems are listed before only counting them.
pub const MAX_LISTED_ISSUES: usize = 50;

/// Options of an import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Write the valid records and report the invalid ones, instead of writing nothing.
    pub skip_invalid: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// The first problems found (at most [`MAX_LISTED_ISSUES`]).
    pub issues: Vec<Issue>,
    /// How many problems were found in all.
    pub issue_count: u64,
    /// Node records read.
    pub nodes_read: u64,
    /// Edge records read.
    pub edges_read: u64,
    /// Records that were new.
    pub inserted: u64,
    /// Records that replaced different content.
    pub updated: u64,
    /// Records identical to what was stored.
    pub unchanged: u64,
    /// The manifest after the import (when it committed).
    pub manifest: Option<Manifest>,
}

impl ImportReport {
    fn add_issue(&mut self, issue: Issue) {
        self.issue_count += 1;
        if self.issues.len() < MAX_LISTED_ISSUES {
            self.issues.push(issue);
        }
    }
}

/// Why an import wrote nothing.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Some records are invalid; nothing was written.
    #[error("{} invalid record(s); nothing was imported", .0.issue_count)]
    Invalid(Box<ImportReport>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The import was interrupted; nothing was written.
    #[error("import interrupted; nothing was written")]
    Interrupted,
}

/// Something that yields records in two passes (nodes, then edges).
pub trait Input {
    /// Bytes to read per pass, for progress.
    fn size(&self) -> u64;
    /// Reads one pass, calling `sink(file, record)` for each record the pass wants.
    fn read(
        &mut self,
        pass: Pass,
        schema: &Schema,
        sink: &mut dyn FnMut(&str, Located),
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), Vec<Issue>>;
}

/// Import files named on the command line.
pub struct Files(pub Vec<InputFile>);

impl Input for Files {
    fn size(&self) -> u64 {
        self.0
            .iter()
            .map(|f| std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0))
            .sum()
    }

    fn read(
        &mut self,
        pass: Pass,
        schema: &Schema,
        sink: &mut dyn FnMut(&str, Located),
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), Vec<Issue>> {
        let mut problems = Vec::new();
        for file in &self.0 {
            let display = file.display.clone();
            let result = source::read_pass(
                &file.path,
                &display,
                pass,
                schema,
                &mut |loc| sink(&display, loc),
                progress,
            );
            // File-level problems are reported once, in the first pass.
            if let Err(issue) = result {
                if pass == Pass::Nodes {
                    problems.push(issue);
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Imports everything `input` yields as one write.
///
/// `progress` is called with bytes read; `interrupted` is polled between records.
pub fn import(
    store: &Store,
    input: &mut dyn Input,
    options: ImportOptions,
    note: &str,
    progress: &mut dyn FnMut(u64),
    interrupted: &dyn Fn() -> bool,
) -> Result<ImportReport, ImportError> {
    // Validation runs under the write lock, against the generation this write commits
    // onto: a concurrent writer cannot slip in between.
    let mut txn = store.write(note)?;
    let schema = store.schema();
    let mut report = ImportReport::default();
    // Nodes of this import: id -> (kind, file number, line where first seen).
    let mut seen: HashMap<String, (&str, usize, u64)> = HashMap::new();
    let mut files: Vec<String> = Vec::new();
    let mut store_error: Option<StoreError> = None;
    let mut stopped = false;

    let node_pass = input.read(
        Pass::Nodes,
        &schema,
        &mut |file, loc| {
            if store_error.is_some() || stopped {
                return;
            }
            if report.nodes_read % 4096 == 0 && interrupted() {
                stopped = true;
                return;
            }
            let issue = |e: RecordError| Issue::of_record(file, loc.line, e);
            let mut node = match loc.record {
                Err(e) => return report.add_issue(issue(e)),
                Ok(Record::Edge(_)) => return,
                Ok(Record::Node(n)) => n,
            };
            report.nodes_read += 1;
            let mut errors = schema.validate_node(&mut node);
            if errors.is_empty() {
                if let Some(&(kind, f, l)) = seen.get(&node.id) {
                    let f = &files[f];
                    if kind != node.kind {
                        errors.push(RecordError::new(
                            "kind",
                            format!(
                                "id `{}` is already a `{kind}` ({f}:{l}); a node's kind cannot change",
                                node.id
                            ),
                        ));
                    }
                } else {
                    let stored = match txn.stored_node_kind(&node.id) {
                        Ok(k) => k,
                        Err(e) => {
                            store_error = Some(e);
                            return;
                        }
                    };
                    if let Some(stored) = stored.filter(|k| *k != node.kind) {
                        errors.push(RecordError::new(
                            "kind",
                            format!(
                                "id `{}` is already stored as a `{stored}`; a node's kind cannot change (delete it first)",
                                node.id
                            ),
                        ));
                    }
                }
            }
            if !errors.is_empty() {
                for e in errors {
                    report.add_issue(issue(e));
                }
                return;
            }
            if !seen.contains_key(&node.id) {
                // Validation accepted the kind, so the schema names it.
                let kind = schema
                    .node_kinds
                    .get_key_value(&node.kind)
                    .map_or("", |(k, _)| k.as_str());
                if files.last().is_none_or(|f| f != file) {
                    files.push(file.to_string());
                }
                seen.insert(node.id.clone(), (kind, files.len() - 1, loc.line));
            }
            if options.skip_invalid || report.issue_count == 0 {
                if let Err(e) = txn.put_node(&node) {
                    store_error = Some(e);
                }
            }
        },
        progress,
    );
    if let Err(problems) = node_pass {
        for p in problems {
            report.add_issue(p);
        }
    }

    let edge_pass = input.read(
        Pass::Edges,
        &schema,
        &mut |file, loc| {
            if store_error.is_some() || stopped {
                return;
            }
            if report.edges_read % 4096 == 0 && interrupted() {
                stopped = true;
                return;
            }
            let issue = |e: RecordError| Issue::of_record(file, loc.line, e);
            let mut edge = match loc.record {
                Err(e) => return report.add_issue(issue(e)),
                Ok(Record::Node(_)) => return,
                Ok(Record::Edge(e)) => e,
            };
            report.edges_read += 1;
            // Validation puts the endpoints of undirected kinds in canonical order; problems
            // with an endpoint are reported under the column the input gave it in.
            let reversed = edge.target < edge.source;
            let mut errors = schema.validate_edge(&mut edge);
            let swapped = reversed && edge.source < edge.target;
            let (given_source, given_target) = if swapped {
                (&edge.target, &edge.source)
            } else {
                (&edge.source, &edge.target)
            };
            if errors.is_empty() {
                let mut kind_of = |id: &str| -> Result<Option<Cow<'_, str>>, StoreError> {
                    if let Some(&(k, _, _)) = seen.get(id) {
                        return Ok(Some(Cow::Borrowed(k)));
                    }
                    Ok(txn.stored_node_kind(id)?.map(Cow::Owned))
                };
                let (source_kind, target_kind) =
                    match (kind_of(given_source), kind_of(given_target)) {
                        (Ok(s), Ok(t)) => (s, t),
                        (Err(e), _) | (_, Err(e)) => {
                            store_error = Some(e);
                            return;
                        }
                    };
                for (field, id, kind) in [
                    ("source", given_source, &source_kind),
                    ("target", given_target, &target_kind),
                ] {
                    if kind.is_none() {
                        errors.push(RecordError::new(
                            field,
                            format!(
                                "node `{id}` does not exist (not in the store, not in this import)"
                            ),
                        ));
                    }
                }
                if let (Some(s), Some(t)) = (&source_kind, &target_kind) {
                    if let Err(e) = schema.check_endpoints(&edge.kind, s, t) {
                        errors.push(e);
                    }
                }
            }
            if !errors.is_empty() {
                for e in errors {
                    report.add_issue(issue(e));
                }
                return;
            }
            if options.skip_invalid || report.issue_count == 0 {
                if let Err(e) = txn.put_edge(&edge) {
                    store_error = Some(e);
                }
            }
        },
        progress,
    );
    if let Err(problems) = edge_pass {
        for p in problems {
            report.add_issue(p);
        }
    }

    if let Some(e) = store_error {
        txn.abort()?;
        return Err(e.into());
    }
    if stopped {
        txn.abort()?;
        return Err(ImportError::Interrupted);
    }
    if report.issue_count > 0 && !options.skip_invalid {
        txn.abort()?;
        return Err(ImportError::Invalid(Box::new(report)));
    }
    let summary = match txn.commit_with(interrupted) {
        Err(StoreError::Interrupted) => return Err(ImportError::Interrupted),
        other => other?,
    };
    report.inserted = summary.inserted;
    report.updated = summary.updated;
    report.unchanged = summary.unchanged;
    report.manifest = Some(summary.manifest);
    Ok(report)
}
