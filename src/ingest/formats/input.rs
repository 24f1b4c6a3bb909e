//! Foreign files as an import [`Input`]: the files of `import --from graphml|gexf|edgelist`,
//! read in the pipeline's two passes (nodes, then edges) so they get the same
//! one-transaction, `file:line` rules as innograph's own formats.

use std::collections::HashSet;
use std::fs::File;
use std::sync::Arc;

use super::edgelist::{read_edgelist, EdgeListOptions};
use super::gexf_read::read_gexf;
use super::graphml_read::read_graphml;
use super::records::KindDefaults;
use crate::ingest::{Input, InputFile, Issue, Located, Pass};
use crate::model::Schema;
use crate::store::{Snapshot, Store, StoreError};

/// The foreign formats `import --from` names.
#[derive(Debug, Clone)]
pub enum ForeignFormat {
    /// GraphML documents.
    GraphMl(KindDefaults),
    /// GEXF documents.
    Gexf(KindDefaults),
    /// Edge lists.
    EdgeList(EdgeListOptions),
}

/// Files of one foreign format.
pub struct ForeignFiles {
    files: Vec<InputFile>,
    format: ForeignFormat,
    stored: Arc<Snapshot>,
    created: HashSet<String>,
}

impl ForeignFiles {
    /// The files, to be imported into `store` (whose nodes an edge list's endpoints may
    /// already be).
    pub fn new(
        store: &Store,
        files: Vec<InputFile>,
        format: ForeignFormat,
    ) -> Result<ForeignFiles, StoreError> {
        Ok(ForeignFiles {
            files,
            format,
            stored: store.snapshot()?,
            created: HashSet::new(),
        })
    }
}

impl Input for ForeignFiles {
    fn size(&self) -> u64 {
        self.files
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
        if pass == Pass::Nodes {
            self.created.clear();
        }
        for file in &self.files {
            let display = file.display.clone();
            let opened = File::open(&file.path).map_err(|e| Issue {
                file: display.clone(),
                line: 0,
                field: "file".into(),
                reason: format!("cannot be read: {e}"),
            });
            let result = opened.and_then(|f| {
                let reader = Progress {
                    inner: f,
                    report: &mut *progress,
                };
                let sink = &mut |loc| sink(&display, loc);
                match &self.format {
                    ForeignFormat::GraphMl(d) => {
                        read_graphml(reader, &display, pass, schema, d, sink)
                    }
                    ForeignFormat::Gexf(d) => read_gexf(reader, &display, pass, schema, d, sink),
                    ForeignFormat::EdgeList(o) => {
                        let stored = &self.stored;
                        read_edgelist(
                            reader,
                            &display,
                            pass,
                            o,
                            &|id| stored.node_index(id).is_some(),
                            &mut self.created,
                            sink,
                        )
                    }
                }
            });
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

struct Progress<'a, R> {
    inner: R,
    report: &'a mut dyn FnMut(u64),
}

impl<R: std::io::Read> std::io::Read for Progress<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.report)(n as u64);
        Ok(n)
    }
}
