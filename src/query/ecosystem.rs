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
//! - **Aggregate records.** A record with a positive `aggregate_count` (the fixtures' "14
//!   universities in the 2023 pilot", "385 companies incubated by the functional platforms")
//!   stands for that many actors the source does not name. A database holding both the
//!   fixtures and generated data has these beside their members, generated one by one and
//!   not tied to the aggregate. So a total over a group that holds both takes, figure by
//!   figure, **the larger of what the aggregates give and what the named actors give —
//!   never their sum**: the pilot universities' funnel (`universities`), the number of
//!   platforms of a type (`platforms`), the companies incubated and spun off in the whole
//!   ecosystem (`trends`; when the aggregates' count is the larger, the excess over the named
//!   companies counts as undated). A row for a single actor, an aggregate's included, shows
//!   what its records say. On the fixtures alone, where the named actors are not the
//!   aggregates' members, this can count a group short (the 25 MicroPort concept-verification
//!   platforms and the 5 named ones give 25, not 30).

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::QueryError;
use crate::algo::link_model::Phases;
use crate::model::{PropValue, Props, Schema};
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
    /// The store's schema (what the collab view of candidate consortia is built from).
    pub schema: Schema,
    /// Node properties by snapshot index (empty for nodes not read).
    props: Vec<Props>,
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
    /// With `INNOGRAPH_TRACE` set, each step's time goes to standard error.
    pub fn load(store: &Store, needs: &Needs) -> Result<Ecosystem, QueryError> {
        let phases = Phases::start();
        let snapshot = store.snapshot()?;
        phases.mark("ecosystem: snapshot");
        Ecosystem::load_on(store, snapshot, needs)
    }

    /// Reads what `needs` asks for, for this snapshot of the store (the server's current
    /// generation).
    pub fn load_on(
        store: &Store,
        snapshot: Arc<Snapshot>,
        needs: &Needs,
    ) -> Result<Ecosystem, QueryError> {
        let mut kinds: Vec<&str> = needs.node_kinds.clone();
        kinds.push("district");
        kinds.sort_unstable();
        kinds.dedup();
        let codes: Vec<u16> = kinds
            .iter()
            .filter_map(|k| snapshot.node_kind_code_of(k))
            .collect();
        let mut wanted: Vec<u32> = (0..snapshot.node_count() as u32)
            .filter(|&v| codes.contains(&snapshot.node_kind_code(v)))
            .collect();
        if needs.companies {
            let edge_codes = ["incubates", "spun_off_from"].map(|k| snapshot.edge_kind_code_of(k));
            for e in 0..snapshot.edge_count() {
                let code = Some(snapshot.edge_kind_codes()[e]);
                if code == edge_codes[0] && code.is_some() {
                    wanted.push(snapshot.edge_targets()[e]);
                } else if code == edge_codes[1] && code.is_some() {
                    wanted.push(snapshot.edge_sources()[e]);
                }
            }
            wanted.sort_unstable();
            wanted.dedup();
        }
        let phases = Phases::start();
        let props = read_props(store, &snapshot, &wanted)?;
        phases.mark(&format!("ecosystem: {} node records", wanted.len()));
        let mut eco = Ecosystem::from_parts(snapshot, store.schema(), props, Vec::new());
        if needs.contracts {
            eco.contracts = read_contracts(store, &eco.snapshot)?;
            phases.mark(&format!("ecosystem: {} contracts", eco.contracts.len()));
        }
        Ok(eco)
    }

    /// An ecosystem from a snapshot, its schema, node properties by snapshot index (one
    /// entry per node, empty for nodes not read), and contracts.
    pub fn from_parts(
        snapshot: Arc<Snapshot>,
        schema: Schema,
        props: Vec<Props>,
        contracts: Vec<Contract>,
    ) -> Ecosystem {
        let codes = EDGE_KINDS
            .iter()
            .filter_map(|k| snapshot.edge_kind_code_of(k).map(|c| (*k, c)))
            .collect();
        let mut eco = Ecosystem {
            snapshot,
            schema,
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

    /// Targets of `v`'s edges of kind `code` into `out` (cleared first), ascending and
    /// distinct: [`Ecosystem::out`] without an allocation per call, for loops over many
    /// nodes.
    pub fn out_into(&self, v: u32, code: Option<u16>, out: &mut Vec<u32>) {
        out.clear();
        let Some(code) = code else {
            return;
        };
        let s = &self.snapshot;
        out.extend(
            s.out_edges(v)
                .filter(|&e| s.edge_kind_codes()[e] == code)
                .map(|e| s.edge_targets()[e]),
        );
        out.sort_unstable();
        out.dedup();
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
        self.props.get(v as usize).and_then(|p| p.get(name))
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
        self.aggregate(v).unwrap_or(1)
    }

    /// How many actors an aggregate record stands for (its positive `aggregate_count`);
    /// `None` for a named actor. Needs the node's record read.
    pub fn aggregate(&self, v: u32) -> Option<u64> {
        self.int(v, "aggregate_count")
            .filter(|n| *n > 0)
            .map(|n| n as u64)
    }
}

/// Nodes (or signers) per chunk of the parallel reads: chunks are cut by position only, and
/// their results joined in order, so what is read never depends on the thread count.
const READ_CHUNK: usize = 2048;

/// The properties of the `wanted` nodes (ascending snapshot indices), one entry per node of
/// the snapshot. Point look-ups, in parallel chunks.
fn read_props(
    store: &Store,
    snapshot: &Snapshot,
    wanted: &[u32],
) -> Result<Vec<Props>, QueryError> {
    let chunks: Vec<Vec<(u32, Props)>> = wanted
        .par_chunks(READ_CHUNK)
        .map(|chunk| {
            let mut out = Vec::with_capacity(chunk.len());
            for &v in chunk {
                if let Some(record) = store.node(snapshot.node_id(v))? {
                    if !record.props.is_empty() {
                        out.push((v, record.props));
                    }
                }
            }
            Ok(out)
        })
        .collect::<Result<_, QueryError>>()?;
    let mut props = vec![Props::new(); snapshot.node_count()];
    for (v, p) in chunks.into_iter().flatten() {
        props[v as usize] = p;
    }
    Ok(props)
}

/// Reads every `contracts_with` edge with its mode, amount, year and achievement, by one
/// prefix scan per node that signs one (universities and research institutes), in
/// parallel chunks of signers joined in signer order.
///
/// A signer's records come in (target, kind, key) order, the order of its edges in the
/// snapshot, so each record is matched to its snapshot edge by walking both together: the
/// firm and the amount and year come from the snapshot's columns, only `mode` and
/// `achievement` from the record.
fn read_contracts(store: &Store, snapshot: &Snapshot) -> Result<Vec<Contract>, QueryError> {
    let Some(code) = snapshot.edge_kind_code_of("contracts_with") else {
        return Ok(Vec::new());
    };
    let signers: Vec<u32> = (0..snapshot.node_count() as u32)
        .filter(|&v| {
            snapshot
                .out_edges(v)
                .any(|e| snapshot.edge_kind_codes()[e] == code)
        })
        .collect();
    let chunks: Vec<Vec<Contract>> = signers
        .par_chunks(READ_CHUNK.div_ceil(64).max(1))
        .map(|chunk| {
            let mut out = Vec::new();
            for &v in chunk {
                read_signer_contracts(store, snapshot, code, v, &mut out)?;
            }
            Ok(out)
        })
        .collect::<Result<_, QueryError>>()?;
    Ok(chunks.concat())
}

/// The contracts signed by `v`, appended to `out`.
fn read_signer_contracts(
    store: &Store,
    snapshot: &Snapshot,
    code: u16,
    v: u32,
    out: &mut Vec<Contract>,
) -> Result<(), QueryError> {
    let mut edges = snapshot.out_edges(v).peekable();
    for record in store.edges_from(snapshot.node_id(v)) {
        let record = record?;
        if record.kind != "contracts_with" {
            continue;
        }
        // The snapshot edge of this record: the next contract edge to the same firm with
        // the same key (skipping the snapshot's edges of other kinds).
        let mut found = None;
        while let Some(&e) = edges.peek() {
            let edge = snapshot.edge(e);
            if edge.kind_code == code
                && edge.key == record.key
                && snapshot.node_id(edge.target) == record.target
            {
                found = Some(edge);
                edges.next();
                break;
            }
            if snapshot.node_id(edge.target) > record.target.as_str() {
                break;
            }
            edges.next();
        }
        let (firm, amount, year) = match found {
            Some(edge) => (edge.target, edge.amount, edge.year),
            None => {
                let Some(firm) = snapshot.node_index(&record.target) else {
                    continue;
                };
                let year = record
                    .props
                    .get("year")
                    .and_then(PropValue::as_i64)
                    .and_then(|y| i32::try_from(y).ok());
                let amount = record.props.get("amount").and_then(PropValue::as_f64);
                (firm, amount, year)
            }
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
            amount: amount.filter(|a| a.is_finite()).unwrap_or(0.0),
            year,
            achievement: record
                .props
                .get("achievement")
                .and_then(PropValue::as_str)
                .and_then(|a| snapshot.node_index(a)),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    #[test]
    fn aggregates_and_their_members_are_never_both_counted() {
        use crate::query::{
            platforms, platforms_needs, trends, trends_needs, universities, universities_needs,
            PlatformsRequest, TrendsRequest, UniversitiesRequest,
        };
        let (both, alone) = crate::query::planning_testing::fixtures_and_generated(0.1);
        // The fixtures' aggregate records, read from their CSV: counts by id.
        let mut aggregate: HashMap<String, u64> = HashMap::new();
        let mut kind_of: HashMap<String, String> = HashMap::new();
        let mut platform_type: HashMap<String, String> = HashMap::new();
        let mut nodes = csv::Reader::from_reader(crate::fixtures::SHANGHAI_NODES_CSV.as_bytes());
        let headers = nodes.headers().unwrap().clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h.split(':').next() == Some(name))
                .unwrap()
        };
        let (id, kind, count, ptype) = (
            column("id"),
            column("kind"),
            column("aggregate_count"),
            column("platform_type"),
        );
        for r in nodes.records() {
            let r = r.unwrap();
            kind_of.insert(r[id].to_string(), r[kind].to_string());
            platform_type.insert(r[id].to_string(), r[ptype].to_string());
            if let Ok(n) = r[count].parse::<u64>() {
                aggregate.insert(r[id].to_string(), n);
            }
        }

        // universities: the pilot group is the larger of the aggregate's and the named
        // pilots', never their sum; `all` is pilot + other.
        let answer = |t: &crate::query::planning_testing::TestStore| {
            let eco = Ecosystem::load(&t.store, &universities_needs()).unwrap();
            universities(&eco, &UniversitiesRequest::default()).unwrap()
        };
        let (u_both, u_alone) = (answer(&both), answer(&alone));
        let pilots = aggregate["univ:reform-pilot-universities"] as usize;
        let (pb, pa) = (&u_both.groups[0], &u_alone.groups[0]);
        assert_eq!((pb.group, pa.group), ("pilot", "pilot"));
        assert_eq!(pb.universities, pa.universities.max(pilots));
        let published = aggregate["ent:reform-pilot-incubatees"];
        assert_eq!(pb.funnel.spin_offs, pa.funnel.spin_offs.max(published));
        assert!(
            pa.funnel.spin_offs < published,
            "scale 0.1 leaves the published count larger"
        );
        assert_eq!(pb.funnel.owned, pa.funnel.owned);
        assert_eq!(
            u_both.groups[1], u_alone.groups[1],
            "no aggregate among the others"
        );
        let all = &u_both.groups[2];
        assert_eq!(
            all.universities,
            pb.universities + u_both.groups[1].universities
        );
        assert_eq!(
            all.funnel.spin_offs,
            pb.funnel.spin_offs + u_both.groups[1].funnel.spin_offs
        );

        // platforms: a type counts the larger of its aggregates' counts and its named
        // platforms.
        let answer = |t: &crate::query::planning_testing::TestStore| {
            let eco = Ecosystem::load(&t.store, &platforms_needs()).unwrap();
            platforms(&eco, &PlatformsRequest::default()).unwrap()
        };
        let (p_both, p_alone) = (answer(&both), answer(&alone));
        for t in &p_both.types {
            let named = p_alone
                .types
                .iter()
                .find(|a| a.platform_type == t.platform_type)
                .map_or(0, |a| a.platforms);
            let aggregated: u64 = aggregate
                .iter()
                .filter(|(id, _)| {
                    kind_of[*id] == "platform" && platform_type[*id] == t.platform_type
                })
                .map(|(_, n)| n)
                .sum();
            assert_eq!(
                t.platforms,
                named.max(aggregated as usize),
                "{}",
                t.platform_type
            );
        }
        let pilot_bases = p_both
            .types
            .iter()
            .find(|t| t.platform_type == "pilot_base")
            .unwrap();
        assert_eq!(
            pilot_bases.platforms, 11,
            "the 11 pilot bases once, not 11 + the generated"
        );

        // trends: the companies incubated in the whole ecosystem are the named ones, and the
        // aggregates only for their excess, undated.
        let answer = |t: &crate::query::planning_testing::TestStore| {
            let eco = Ecosystem::load(&t.store, &trends_needs()).unwrap();
            trends(&eco, &TrendsRequest::default()).unwrap()
        };
        let (t_both, t_alone) = (answer(&both), answer(&alone));
        let series = |r: &crate::query::TrendsReport, key: &str| {
            r.series
                .iter()
                .find(|s| s.section == "activity" && s.key == key)
                .unwrap()
                .clone()
        };
        let (ib, ia) = (
            series(&t_both, "incubations"),
            series(&t_alone, "incubations"),
        );
        assert_eq!(t_both.years, t_alone.years);
        assert_eq!(
            ib.counts, ia.counts,
            "dated incubations are the named companies"
        );
        let total = |s: &crate::query::Series| s.counts.iter().sum::<u64>() + s.undated;
        let published: u64 = aggregate
            .iter()
            .filter(|(id, _)| id.ends_with("-incubatees"))
            .map(|(_, n)| n)
            .sum();
        assert_eq!(total(&ib), total(&ia).max(published));
    }

    #[test]
    fn contracts_read_by_signer_are_every_contract_record() {
        let (t, _) = crate::query::planning_testing::generated(0.1);
        let eco = Ecosystem::load(
            &t.store,
            &Needs {
                contracts: true,
                ..Needs::default()
            },
        )
        .unwrap();
        let s = &eco.snapshot;
        let id = |v: u32| s.node_id(v).to_string();
        let mut read: Vec<String> = eco
            .contracts
            .iter()
            .map(|c| {
                format!(
                    "{} {} {:?} {} {:?} {:?}",
                    id(c.signer),
                    id(c.firm),
                    c.mode.map(|m| CONTRACT_MODES[m as usize]),
                    c.amount,
                    c.year,
                    c.achievement.map(id)
                )
            })
            .collect();
        let mut records: Vec<String> = t
            .store
            .edges()
            .map(Result::unwrap)
            .filter(|e| e.kind == "contracts_with")
            .map(|e| {
                let p = |k: &str| e.props.get(k);
                format!(
                    "{} {} {:?} {} {:?} {:?}",
                    e.source,
                    e.target,
                    p("mode").and_then(PropValue::as_str),
                    p("amount").and_then(PropValue::as_f64).unwrap_or(0.0),
                    p("year").and_then(PropValue::as_i64).map(|y| y as i32),
                    p("achievement").and_then(PropValue::as_str)
                )
            })
            .collect();
        assert!(records.len() > 1000, "{}", records.len());
        read.sort();
        records.sort();
        assert_eq!(read, records);
    }

    #[test]
    fn contract_modes_are_the_schemas_in_its_order() {
        let schema = Schema::builtin();
        let mode = &schema.edge_kind("contracts_with").unwrap().props["mode"];
        assert_eq!(mode.values, CONTRACT_MODES);
    }
}
