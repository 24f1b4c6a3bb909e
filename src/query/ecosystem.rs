//! What the planners' commands (`trends`, `consortia`, `synergy`, `engagement`, `platforms`,
//! `universities`) read: the analysis snapshot, plus the few record properties it does not
//! carry — node properties such as `chain_leader`, `pilot_2023`, `platform_type` and `year`,
//! and the technology contracts with their `mode` and `achievement`.
//!
//! Reading records is the slow part, so each command asks only for the node kinds and
//! records it needs ([`Needs`]); nodes are read by point look-ups, contracts by one prefix
//! scan per signing university or institute. Everything else comes from the snapshot's
//! columns.
//!
//! Conventions shared by the commands, in one place:
//! - **Regions.** A district is *outside Shanghai* when its `district_type` is `province`
//!   or `country`, its id starts with `country:`, or its name ends in 省 (province); every
//!   other district is a part of Shanghai.
//! - **Programmes** are recognised by id (`prog:explorer`, `prog:open-competition` or
//!   `prog:open_competition`, `prog:yrd-joint` / `prog:yrd_joint`) or, failing that, by a
//!   word of their Chinese name (探索者, 揭榜挂帅, 长三角).
//! - **Years.** A node's year is its `year` property; a project without one takes the year
//!   of its `leads` edge.

use std::collections::HashMap;
use std::sync::Arc;

use super::QueryError;
use crate::model::{PropValue, Props};
use crate::store::{Snapshot, Store};

/// The modes of a technology contract, in the schema's order.
pub const CONTRACT_MODES: [&str; 6] = [
    "development",
    "service",
    "consulting",
    "transfer",
    "licence",
    "equity",
];

/// What a command needs read beyond the snapshot.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// Node kinds whose records (properties) are read.
    pub node_kinds: Vec<&'static str>,
    /// Read the technology contracts with their modes.
    pub contracts: bool,
    /// Read the records of companies incubated or spun off (for `aggregate_count`).
    pub companies: bool,
}

/// One technology contract (`contracts_with`), as the planners' commands use it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contract {
    /// The signing university or institute (snapshot index).
    pub signer: u32,
    /// The firm (snapshot index).
    pub firm: u32,
    /// Index into [`CONTRACT_MODES`]; `None` for a mode the schema does not list.
    pub mode: Option<u8>,
    /// Contract value (0 when absent).
    pub amount: f64,
    /// Year signed.
    pub year: Option<i32>,
    /// The achievement the contract concerns (snapshot index), when given and stored.
    pub achievement: Option<u32>,
}

/// The programmes the source names, which several commands single out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Programme {
    /// 探索者计划.
    Explorer,
    /// “揭榜挂帅” open competition.
    OpenCompetition,
    /// 长三角科技创新共同体联合攻关 (Yangtze River Delta joint research).
    YrdJoint,
}

impl Programme {
    /// All three, in the source's order.
    pub const ALL: [Programme; 3] = [
        Programme::Explorer,
        Programme::OpenCompetition,
        Programme::YrdJoint,
    ];

    /// Short name used in columns and JSON keys.
    pub fn key(self) -> &'static str {
        match self {
            Programme::Explorer => "explorer",
            Programme::OpenCompetition => "open_competition",
            Programme::YrdJoint => "yrd_joint",
        }
    }

    fn ids(self) -> [&'static str; 2] {
        match self {
            Programme::Explorer => ["prog:explorer", "prog:explorer"],
            Programme::OpenCompetition => ["prog:open-competition", "prog:open_competition"],
            Programme::YrdJoint => ["prog:yrd-joint", "prog:yrd_joint"],
        }
    }

    fn name_word(self) -> &'static str {
        match self {
            Programme::Explorer => "探索者",
            Programme::OpenCompetition => "揭榜挂帅",
            Programme::YrdJoint => "长三角",
        }
    }
}

/// The snapshot with the records a planners' command needs.
pub struct Ecosystem {
    /// The analysis snapshot.
    pub snapshot: Arc<Snapshot>,
    props: HashMap<u32, Props>,
    /// Technology contracts (empty unless asked for).
    pub contracts: Vec<Contract>,
    /// Edge kind codes, by name, of the kinds the commands use.
    codes: HashMap<&'static str, u16>,
    programmes: HashMap<Programme, u32>,
    outside: Vec<bool>,
}

/// Edge kinds the commands look up by code.
const EDGE_KINDS: [&str; 16] = [
    "in_field",
    "located_in",
    "leads",
    "participates_in",
    "part_of",
    "funds",
    "supports",
    "operates",
    "owns",
    "posts",
    "solves",
    "contracts_with",
    "incubates",
    "spun_off_from",
    "works_for",
    "collaborates_with",
];

impl Ecosystem {
    /// Reads what `needs` asks for from the store's published generation.
    pub fn load(store: &Store, needs: &Needs) -> Result<Ecosystem, QueryError> {
        Ecosystem::load_on(store, store.snapshot()?, needs)
    }

    /// Reads what `needs` asks for, for this snapshot of the store (the server's current
    /// generation).
    pub fn load_on(
        store: &Store,
        snapshot: Arc<Snapshot>,
        needs: &Needs,
    ) -> Result<Ecosystem, QueryError> {
        let mut props = HashMap::new();
        let mut kinds: Vec<&str> = needs.node_kinds.clone();
        kinds.push("district");
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            let Some(code) = snapshot.node_kind_code_of(kind) else {
                continue;
            };
            for v in 0..snapshot.node_count() as u32 {
                if snapshot.node_kind_code(v) != code {
                    continue;
                }
                if let Some(record) = store.node(snapshot.node_id(v))? {
                    if !record.props.is_empty() {
                        props.insert(v, record.props);
                    }
                }
            }
        }
        if needs.companies {
            for kind in ["incubates", "spun_off_from"] {
                let Some(code) = snapshot.edge_kind_code_of(kind) else {
                    continue;
                };
                for e in 0..snapshot.edge_count() {
                    if snapshot.edge_kind_codes()[e] != code {
                        continue;
                    }
                    let firm = if kind == "incubates" {
                        snapshot.edge_targets()[e]
                    } else {
                        snapshot.edge_sources()[e]
                    };
                    if props.contains_key(&firm) {
                        continue;
                    }
                    if let Some(record) = store.node(snapshot.node_id(firm))? {
                        props.insert(firm, record.props);
                    }
                }
            }
        }
        let mut eco = Ecosystem::from_parts(snapshot, props, Vec::new());
        if needs.contracts {
            eco.contracts = read_contracts(store, &eco.snapshot)?;
        }
        Ok(eco)
    }

    /// An ecosystem from a snapshot, node properties by snapshot index, and contracts.
    pub fn from_parts(
        snapshot: Arc<Snapshot>,
        props: HashMap<u32, Props>,
        contracts: Vec<Contract>,
    ) -> Ecosystem {
        let codes = EDGE_KINDS
            .iter()
            .filter_map(|k| snapshot.edge_kind_code_of(k).map(|c| (*k, c)))
            .collect();
        let mut eco = Ecosystem {
            snapshot,
            props,
            contracts,
            codes,
            programmes: HashMap::new(),
            outside: Vec::new(),
        };
        eco.programmes = Programme::ALL
            .iter()
            .filter_map(|p| eco.find_programme(*p).map(|v| (*p, v)))
            .collect();
        let s = Arc::clone(&eco.snapshot);
        eco.outside = (0..s.node_count() as u32)
            .map(|v| s.node_kind(v) == "district" && eco.district_is_outside(v))
            .collect();
        eco
    }

    fn find_programme(&self, p: Programme) -> Option<u32> {
        let s = &self.snapshot;
        for id in p.ids() {
            if let Some(v) = s.node_index(id) {
                if s.node_kind(v) == "programme" {
                    return Some(v);
                }
            }
        }
        self.nodes_of("programme")
            .into_iter()
            .find(|&v| s.node_name(v).contains(p.name_word()))
    }

    fn district_is_outside(&self, v: u32) -> bool {
        let s = &self.snapshot;
        matches!(self.text(v, "district_type"), Some("province" | "country"))
            || s.node_id(v).starts_with("country:")
            || s.node_name(v).ends_with('省')
    }

    /// The code of an edge kind, when the snapshot has it.
    pub fn code(&self, kind: &str) -> Option<u16> {
        self.codes.get(kind).copied()
    }

    /// Snapshot indices of every node of `kind`, ascending.
    pub fn nodes_of(&self, kind: &str) -> Vec<u32> {
        let s = &self.snapshot;
        match s.node_kind_code_of(kind) {
            None => Vec::new(),
            Some(c) => (0..s.node_count() as u32)
                .filter(|&v| s.node_kind_code(v) == c)
                .collect(),
        }
    }

    /// Targets of `v`'s edges of `kind`, ascending and distinct.
    pub fn out(&self, v: u32, kind: &str) -> Vec<u32> {
        let s = &self.snapshot;
        let Some(code) = self.code(kind) else {
            return Vec::new();
        };
        let mut out: Vec<u32> = s
            .out_edges(v)
            .filter(|&e| s.edge_kind_codes()[e] == code)
            .map(|e| s.edge_targets()[e])
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Sources of edges of `kind` into `v`, ascending and distinct.
    pub fn into(&self, v: u32, kind: &str) -> Vec<u32> {
        let s = &self.snapshot;
        let Some(code) = self.code(kind) else {
            return Vec::new();
        };
        let mut out: Vec<u32> = s
            .in_edges(v)
            .iter()
            .filter(|&&e| s.edge_kind_codes()[e as usize] == code)
            .map(|&e| s.edge_sources()[e as usize])
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every edge of `kind` as edge indices, in snapshot order.
    pub fn edges_of(&self, kind: &str) -> Vec<usize> {
        let s = &self.snapshot;
        let Some(code) = self.code(kind) else {
            return Vec::new();
        };
        s.edge_kind_codes()
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == code)
            .map(|(e, _)| e)
            .collect()
    }

    /// A property of a node read from its record (kinds asked for in [`Needs`] only).
    pub fn prop(&self, v: u32, name: &str) -> Option<&PropValue> {
        self.props.get(&v).and_then(|p| p.get(name))
    }

    /// A boolean property, false when absent.
    pub fn flag(&self, v: u32, name: &str) -> bool {
        self.prop(v, name).and_then(PropValue::as_bool) == Some(true)
    }

    /// A whole-number property (floats with no fraction count too).
    pub fn int(&self, v: u32, name: &str) -> Option<i64> {
        match self.prop(v, name)? {
            PropValue::Int(i) => Some(*i),
            PropValue::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i64),
            PropValue::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    }

    /// A text property.
    pub fn text(&self, v: u32, name: &str) -> Option<&str> {
        self.prop(v, name).and_then(PropValue::as_str)
    }

    /// The node's year: its `year` property; for a project without one, its `leads` year.
    pub fn year(&self, v: u32) -> Option<i32> {
        if let Some(y) = self.int(v, "year") {
            return i32::try_from(y).ok();
        }
        let s = &self.snapshot;
        let code = self.code("leads")?;
        s.in_edges(v)
            .iter()
            .filter(|&&e| s.edge_kind_codes()[e as usize] == code)
            .filter_map(|&e| s.edge(e as usize).year)
            .min()
    }

    /// Whether district `d` lies outside Shanghai (see the module docs).
    pub fn is_outside(&self, d: u32) -> bool {
        self.outside.get(d as usize).copied().unwrap_or(false)
    }

    /// The node standing for a programme the source names, when the data has it.
    pub fn programme(&self, p: Programme) -> Option<u32> {
        self.programmes.get(&p).copied()
    }

    /// Which of the named programmes a project belongs to (`part_of`).
    pub fn programme_of(&self, project: u32) -> Option<Programme> {
        let parents = self.out(project, "part_of");
        Programme::ALL
            .into_iter()
            .find(|p| self.programme(*p).is_some_and(|v| parents.contains(&v)))
    }

    /// Organisations taking part in a project: those that lead it or participate in it.
    pub fn members(&self, project: u32) -> Vec<u32> {
        let mut m = self.into(project, "leads");
        m.extend(self.into(project, "participates_in"));
        m.sort_unstable();
        m.dedup();
        m
    }

    /// How many companies a node stands for: its `aggregate_count` (aggregate records such
    /// as the fixtures' "157 companies incubated in the pilot"), else 1. Needs the node's
    /// record read ([`Needs::companies`] for incubated and spun-off firms).
    pub fn companies(&self, v: u32) -> u64 {
        self.int(v, "aggregate_count")
            .filter(|n| *n > 0)
            .map_or(1, |n| n as u64)
    }
}

/// Reads every `contracts_with` edge with its mode, amount, year and achievement, by one
/// prefix scan per node that may sign one (universities and research institutes).
fn read_contracts(store: &Store, snapshot: &Snapshot) -> Result<Vec<Contract>, QueryError> {
    let Some(code) = snapshot.edge_kind_code_of("contracts_with") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for v in 0..snapshot.node_count() as u32 {
        let signs = snapshot
            .out_edges(v)
            .any(|e| snapshot.edge_kind_codes()[e] == code);
        if !signs {
            continue;
        }
        for record in store.edges_from(snapshot.node_id(v)) {
            let record = record?;
            if record.kind != "contracts_with" {
                continue;
            }
            let Some(firm) = snapshot.node_index(&record.target) else {
                continue;
            };
            let mode = record
                .props
                .get("mode")
                .and_then(PropValue::as_str)
                .and_then(|m| CONTRACT_MODES.iter().position(|x| *x == m))
                .map(|i| i as u8);
            out.push(Contract {
                signer: v,
                firm,
                mode,
                amount: record
                    .props
                    .get("amount")
                    .and_then(PropValue::as_f64)
                    .filter(|a| a.is_finite())
                    .unwrap_or(0.0),
                year: record
                    .props
                    .get("year")
                    .and_then(PropValue::as_i64)
                    .and_then(|y| i32::try_from(y).ok()),
                achievement: record
                    .props
                    .get("achievement")
                    .and_then(PropValue::as_str)
                    .and_then(|a| snapshot.node_index(a)),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    #[test]
    fn contract_modes_are_the_schemas_in_its_order() {
        let schema = Schema::builtin();
        let mode = &schema.edge_kind("contracts_with").unwrap().props["mode"];
        assert_eq!(mode.values, CONTRACT_MODES);
    }
}
