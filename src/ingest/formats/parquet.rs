//! The Parquet export: `nodes.parquet` (id, kind, name, name_en, one typed column per
//! property, one per score), `edges.parquet` (source, target, kind, key, weight, directed,
//! attribute — whether the kind describes a node, as `in_field`, and analyses leave it out —
//! one typed column per property) and, when scores were asked for, `scores.parquet` (id and
//! the scores alone, for joining onto another table).
//!
//! Written with the `parquet` crate's column writers, without Arrow (which would double the
//! crate's build time) and with Snappy compression, the codec every reader has: DuckDB,
//! Polars, pandas/pyarrow and Spark read these files as they are. Strings are UTF-8
//! (`STRING` logical type), integers INT64, reals DOUBLE, booleans BOOLEAN; an absent
//! property is a null. Rows are written in row groups of 128 Ki rows, so memory stays
//! bounded whatever the graph's size.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::columns::{PropColumns, ValueType};
use super::{GraphExportSummary, Source};
use crate::model::PropValue;
use crate::store::StoreError;

const NODE_FIXED: [&str; 4] = ["id", "kind", "name", "name_en"];
const EDGE_FIXED: [&str; 7] = [
    "source",
    "target",
    "kind",
    "key",
    "weight",
    "directed",
    "attribute",
];
const ROW_GROUP_ROWS: usize = 128 * 1024;

/// One column of a table being written: its definition and the current row group's values.
struct ColumnBuf {
    name: String,
    ty: ValueType,
    required: bool,
    defs: Vec<i16>,
    texts: Vec<ByteArray>,
    ints: Vec<i64>,
    floats: Vec<f64>,
    bools: Vec<bool>,
}

impl ColumnBuf {
    fn new(name: &str, ty: ValueType, required: bool) -> ColumnBuf {
        ColumnBuf {
            name: name.to_string(),
            ty,
            required,
            defs: Vec::new(),
            texts: Vec::new(),
            ints: Vec::new(),
            floats: Vec::new(),
            bools: Vec::new(),
        }
    }

    fn parquet_type(&self) -> parquet::errors::Result<Type> {
        let (physical, logical) = match self.ty {
            ValueType::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            ValueType::Int => (Physical::INT64, None),
            ValueType::Float => (Physical::DOUBLE, None),
            ValueType::Bool => (Physical::BOOLEAN, None),
        };
        let repetition = if self.required {
            Repetition::REQUIRED
        } else {
            Repetition::OPTIONAL
        };
        Type::primitive_type_builder(&self.name, physical)
            .with_repetition(repetition)
            .with_logical_type(logical)
            .build()
    }

    /// Appends a value, converted to the column's type (the caller passes matching types;
    /// a mismatch is written as text or null rather than lost silently in a wrong type).
    fn push(&mut self, value: Option<PropValue>) {
        let Some(v) = value else {
            self.defs.push(0);
            return;
        };
        self.defs.push(1);
        match (self.ty, v) {
            (ValueType::Int, PropValue::Int(i)) => self.ints.push(i),
            (ValueType::Float, v) => self.floats.push(v.as_f64().unwrap_or(f64::NAN)),
            (ValueType::Bool, PropValue::Bool(b)) => self.bools.push(b),
            (ValueType::Text, v) => self.texts.push(ByteArray::from(v.to_string().into_bytes())),
            (_, _) => {
                // Unreachable by construction (columns are typed from the same values);
                // keep the row count right with a null.
                *self.defs.last_mut().expect("pushed above") = 0;
            }
        }
    }

    fn rows(&self) -> usize {
        self.defs.len()
    }

    fn clear(&mut self) {
        self.defs.clear();
        self.texts.clear();
        self.ints.clear();
        self.floats.clear();
        self.bools.clear();
    }
}

/// A Parquet file being written row group by row group.
struct Table {
    path: PathBuf,
    columns: Vec<ColumnBuf>,
    writer: SerializedFileWriter<File>,
    rows: u64,
}

impl Table {
    fn create(path: PathBuf, columns: Vec<ColumnBuf>) -> Result<Table, StoreError> {
        let err = |e: parquet::errors::ParquetError| parquet_error(&path, e);
        let fields = columns
            .iter()
            .map(|c| c.parquet_type().map(Arc::new))
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        let schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .map_err(err)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("innograph {}", env!("CARGO_PKG_VERSION")))
            .build();
        let file = File::create(&path).map_err(|e| StoreError::file(&path, e))?;
        let writer =
            SerializedFileWriter::new(file, Arc::new(schema), Arc::new(props)).map_err(err)?;
        Ok(Table {
            path,
            columns,
            writer,
            rows: 0,
        })
    }

    fn push_row(&mut self, values: Vec<Option<PropValue>>) -> Result<(), StoreError> {
        for (c, v) in self.columns.iter_mut().zip(values) {
            c.push(v);
        }
        self.rows += 1;
        if self.columns.first().map_or(0, ColumnBuf::rows) >= ROW_GROUP_ROWS {
            self.flush_group()?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> Result<(), StoreError> {
        if self.columns.first().map_or(0, ColumnBuf::rows) == 0 {
            return Ok(());
        }
        let path = self.path.clone();
        let err = |e: parquet::errors::ParquetError| parquet_error(&path, e);
        let mut group = self.writer.next_row_group().map_err(err)?;
        for c in &mut self.columns {
            let Some(mut w) = group.next_column().map_err(err)? else {
                break;
            };
            let defs = (!c.required).then_some(c.defs.as_slice());
            match c.ty {
                ValueType::Text => w.typed::<ByteArrayType>().write_batch(&c.texts, defs, None),
                ValueType::Int => w.typed::<Int64Type>().write_batch(&c.ints, defs, None),
                ValueType::Float => w.typed::<DoubleType>().write_batch(&c.floats, defs, None),
                ValueType::Bool => w.typed::<BoolType>().write_batch(&c.bools, defs, None),
            }
            .map_err(err)?;
            w.close().map_err(err)?;
            c.clear();
        }
        group.close().map_err(err)?;
        Ok(())
    }

    fn finish(mut self) -> Result<(PathBuf, u64), StoreError> {
        self.flush_group()?;
        let path = self.path.clone();
        self.writer.close().map_err(|e| parquet_error(&path, e))?;
        Ok((path, self.rows))
    }
}

fn parquet_error(path: &Path, e: parquet::errors::ParquetError) -> StoreError {
    let io = match e {
        parquet::errors::ParquetError::External(inner) => std::io::Error::other(inner),
        other => std::io::Error::other(other.to_string()),
    };
    StoreError::file(path, io)
}

fn score_type(integral: bool) -> ValueType {
    if integral {
        ValueType::Int
    } else {
        ValueType::Float
    }
}

fn score_value(integral: bool, v: Option<f64>) -> Option<PropValue> {
    v.map(|x| {
        if integral {
            PropValue::Int(x as i64)
        } else {
            PropValue::Float(x)
        }
    })
}

pub(super) fn write(source: &Source<'_>, dir: &Path) -> Result<GraphExportSummary, StoreError> {
    let schema = source.store.schema();
    let columns = PropColumns::scan(source, &NODE_FIXED, &EDGE_FIXED)?;
    let scores = &source.selection.scores;

    let mut node_cols = vec![
        ColumnBuf::new("id", ValueType::Text, true),
        ColumnBuf::new("kind", ValueType::Text, true),
        ColumnBuf::new("name", ValueType::Text, true),
        ColumnBuf::new("name_en", ValueType::Text, false),
    ];
    node_cols.extend(
        columns
            .nodes
            .iter()
            .map(|c| ColumnBuf::new(&c.header, c.ty, false)),
    );
    node_cols.extend(
        scores
            .iter()
            .map(|s| ColumnBuf::new(&s.name, score_type(s.integral), false)),
    );
    let mut nodes = Table::create(dir.join("nodes.parquet"), node_cols)?;
    let mut score_table = if scores.is_empty() {
        None
    } else {
        let mut cols = vec![ColumnBuf::new("id", ValueType::Text, true)];
        cols.extend(
            scores
                .iter()
                .map(|s| ColumnBuf::new(&s.name, score_type(s.integral), false)),
        );
        Some(Table::create(dir.join("scores.parquet"), cols)?)
    };
    for node in source.nodes() {
        let node = node?;
        let n = node.record;
        let score_values: Vec<Option<PropValue>> = scores
            .iter()
            .map(|s| score_value(s.integral, s.value(node.index)))
            .collect();
        if let Some(t) = &mut score_table {
            let mut row = vec![Some(PropValue::Text(n.id.clone()))];
            row.extend(score_values.iter().cloned());
            t.push_row(row)?;
        }
        let mut row = vec![
            Some(PropValue::Text(n.id)),
            Some(PropValue::Text(n.kind)),
            Some(PropValue::Text(n.name)),
            n.name_en.map(PropValue::Text),
        ];
        row.extend(columns.nodes.iter().map(|c| c.value(&n.props)));
        row.extend(score_values);
        nodes.push_row(row)?;
    }

    let mut edge_cols = vec![
        ColumnBuf::new("source", ValueType::Text, true),
        ColumnBuf::new("target", ValueType::Text, true),
        ColumnBuf::new("kind", ValueType::Text, true),
        ColumnBuf::new("key", ValueType::Text, true),
        ColumnBuf::new("weight", ValueType::Float, false),
        ColumnBuf::new("directed", ValueType::Bool, true),
        ColumnBuf::new("attribute", ValueType::Bool, true),
    ];
    edge_cols.extend(
        columns
            .edges
            .iter()
            .map(|c| ColumnBuf::new(&c.header, c.ty, false)),
    );
    let mut edges = Table::create(dir.join("edges.parquet"), edge_cols)?;
    for edge in source.edges() {
        let e = edge?;
        let def = schema.edge_kind(&e.kind);
        let directed = def.is_some_and(|k| k.directed);
        let attribute = def.is_some_and(|k| k.attribute);
        let mut row = vec![
            Some(PropValue::Text(e.source)),
            Some(PropValue::Text(e.target)),
            Some(PropValue::Text(e.kind)),
            Some(PropValue::Text(e.key)),
            e.weight.map(PropValue::Float),
            Some(PropValue::Bool(directed)),
            Some(PropValue::Bool(attribute)),
        ];
        row.extend(columns.edges.iter().map(|c| c.value(&e.props)));
        edges.push_row(row)?;
    }

    let (nodes_path, node_count) = nodes.finish()?;
    let (edges_path, edge_count) = edges.finish()?;
    let mut files = vec![nodes_path, edges_path];
    if let Some(t) = score_table {
        files.push(t.finish()?.0);
    }
    Ok(GraphExportSummary {
        files,
        nodes: node_count,
        edges: edge_count,
    })
}
