//! The data model: node and edge kinds (the [`Schema`]), the records stored for nodes and
//! edges, property values, and validation of records against the schema.
//!
//! This layer imports nothing else of innograph's and names no storage engine: the store,
//! the graph views and the importers all speak in these types.

mod error;
mod record;
mod schema;
mod text;

pub use error::{ModelError, RecordError};
pub use record::{EdgeId, EdgeRecord, NodeRecord, PropValue, Props};
pub use schema::{
    EdgeKindDef, NodeKindDef, PropDef, PropType, Schema, BUILTIN_SCHEMA, ORGANISATION_CATEGORY,
};
pub use text::{check_id, normalise_for_search, MAX_ID_BYTES};

pub(crate) use schema::parse_float;
