//! `engagement`: chain-leader and large firms, their part in the Explorer Programme, the
//! open competition and the YRD joint research, and the ones in none of them — a planner's
//! call list — with their fields and districts.
//!
//! It answers the source's sentence [`ENGAGEMENT_SOURCE`].
//!
//! Conventions:
//! - a **chain leader** has `chain_leader = true`; a **large firm** is any other enterprise
//!   with `large_firm = true` or `sme = false`;
//! - a firm takes part in a programme when it leads, participates in or funds one of the
//!   programme's projects (`part_of`), or funds the programme itself (the Explorer firms
//!   co-fund the programme and publish its guide directions); the counts are distinct
//!   projects;
//! - the programmes are found as [`Programme`] says (by id, else by name).

use serde::Serialize;

use super::ecosystem::{Ecosystem, Needs, Programme};
use super::QueryError;

/// The sentence of the source document engagement answers.
pub const ENGAGEMENT_SOURCE: &str = "三是发挥企业创新主体作用,聚焦重点行业、领域,鼓励链主企业参与到“探索者计划”“揭榜挂帅”“长三角联合攻关”等项目中,支撑和引领产业高质量发展。";

/// Which firms a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FirmClass {
    /// `chain_leader = true`.
    ChainLeader,
    /// `large_firm = true` or `sme = false`, not a chain leader.
    LargeFirm,
}

impl FirmClass {
    /// Parses `chain_leader` (or `chain-leader`, `leader`) or `large_firm` (`large`).
    pub fn parse(text: &str) -> Result<FirmClass, QueryError> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "chain_leader" | "leader" | "chain_leaders" => Ok(FirmClass::ChainLeader),
            "large_firm" | "large" | "large_firms" => Ok(FirmClass::LargeFirm),
            other => Err(QueryError::BadParameter(format!(
                "unknown firm class `{other}` (chain_leader, large_firm)"
            ))),
        }
    }
}

/// Options of [`engagement`].
#[derive(Debug, Clone, Default)]
pub struct EngagementRequest {
    /// Only firms of these classes (default both).
    pub classes: Vec<FirmClass>,
    /// Only firms in this field (id or name).
    pub field: Option<String>,
    /// Only firms in this district (id or name).
    pub district: Option<String>,
    /// Only the firms in none of the three programmes (the call list).
    pub not_engaged: bool,
    /// At most this many firm rows (totals count them all).
    pub top: Option<usize>,
}

/// A node with its id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// One firm and its participation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirmEngagement {
    /// Enterprise id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Chain leader or large firm.
    pub class: FirmClass,
    /// Its fields.
    pub fields: Vec<Tag>,
    /// Its districts.
    pub districts: Vec<Tag>,
    /// Explorer projects it leads, joins or funds.
    pub explorer: usize,
    /// Whether it co-funds the Explorer Programme itself.
    pub explorer_funder: bool,
    /// Open-competition projects.
    pub open_competition: usize,
    /// YRD joint research projects.
    pub yrd_joint: usize,
    /// In at least one of the three.
    pub engaged: bool,
    /// Technology contracts signed with universities or institutes.
    pub contracts: usize,
    /// Demands it posted.
    pub demands: usize,
}

/// Counts per class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EngagementTotal {
    /// The class.
    pub class: FirmClass,
    /// Firms of the class (after the field and district filters).
    pub firms: usize,
    /// In the Explorer Programme.
    pub explorer: usize,
    /// In the open competition.
    pub open_competition: usize,
    /// In the YRD joint research.
    pub yrd_joint: usize,
    /// In at least one.
    pub engaged: usize,
    /// In none: the call list.
    pub not_engaged: usize,
}

/// The engagement table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EngagementReport {
    /// The sentence of the source this answers.
    pub source: &'static str,
    /// Counts per class.
    pub totals: Vec<EngagementTotal>,
    /// Firms: engaged ones by projects (most first), then the call list by activity.
    pub firms: Vec<FirmEngagement>,
    /// What the data lacks.
    pub notes: Vec<String>,
}

/// What [`engagement`] reads beyond the snapshot.
pub fn engagement_needs() -> Needs {
    Needs {
        node_kinds: vec!["enterprise"],
        ..Needs::default()
    }
}

/// Resolves a field or district given as an id, an id without its prefix, or a name.
pub(crate) fn resolve(eco: &Ecosystem, kind: &str, given: &str) -> Result<u32, QueryError> {
    let s = &eco.snapshot;
    let prefix = if kind == "field" { "field" } else { "district" };
    for id in [given.to_string(), format!("{prefix}:{given}")] {
        if let Some(v) = s.node_index(&id) {
            if s.node_kind(v) == kind {
                return Ok(v);
            }
        }
    }
    let candidates = eco.nodes_of(kind);
    candidates
        .iter()
        .copied()
        .find(|&v| s.node_name(v) == given || s.node_name_en(v) == Some(given))
        .ok_or_else(|| {
            let known: Vec<String> = candidates
                .iter()
                .take(30)
                .map(|&v| s.node_id(v).to_string())
                .collect();
            QueryError::BadParameter(format!("no {kind} `{given}` (known: {})", known.join(", ")))
        })
}

pub(crate) fn tags(eco: &Ecosystem, nodes: &[u32]) -> Vec<Tag> {
    nodes
        .iter()
        .map(|&v| Tag {
            id: eco.snapshot.node_id(v).to_string(),
            name: eco.snapshot.node_name(v).to_string(),
        })
        .collect()
}

/// Chain-leader and large firms and their part in the three programmes.
pub fn engagement(
    eco: &Ecosystem,
    request: &EngagementRequest,
) -> Result<EngagementReport, QueryError> {
    let field = request
        .field
        .as_deref()
        .map(|f| resolve(eco, "field", f))
        .transpose()?;
    let district = request
        .district
        .as_deref()
        .map(|d| resolve(eco, "district", d))
        .transpose()?;
    let mut notes = Vec::new();
    for p in Programme::ALL {
        if eco.programme(p).is_none() {
            notes.push(format!(
                "no programme node for `{}`: its column is 0",
                p.key()
            ));
        }
    }
    let classes = |c: FirmClass| request.classes.is_empty() || request.classes.contains(&c);
    let mut firms = Vec::new();
    for e in eco.nodes_of("enterprise") {
        let class = if eco.flag(e, "chain_leader") {
            FirmClass::ChainLeader
        } else if eco.flag(e, "large_firm")
            || eco.prop(e, "sme").and_then(|p| p.as_bool()) == Some(false)
        {
            FirmClass::LargeFirm
        } else {
            continue;
        };
        if !classes(class) {
            continue;
        }
        let fields = eco.out(e, "in_field");
        let districts = eco.out(e, "located_in");
        if field.is_some_and(|f| !fields.contains(&f))
            || district.is_some_and(|d| !districts.contains(&d))
        {
            continue;
        }
        let mut projects = eco.out(e, "leads");
        projects.extend(eco.out(e, "participates_in"));
        projects.extend(eco.out(e, "funds"));
        projects.sort_unstable();
        projects.dedup();
        let mut count = [0usize; 3];
        for p in projects {
            if eco.snapshot.node_kind(p) != "project" {
                continue;
            }
            if let Some(prog) = eco.programme_of(p) {
                count[prog as usize] += 1;
            }
        }
        let explorer_funder = eco
            .programme(Programme::Explorer)
            .is_some_and(|x| eco.out(e, "funds").contains(&x));
        let engaged = explorer_funder || count.iter().any(|&c| c > 0);
        let s = &eco.snapshot;
        let contracts = eco.code("contracts_with").map_or(0, |code| {
            s.in_edges(e)
                .iter()
                .filter(|&&x| s.edge_kind_codes()[x as usize] == code)
                .count()
        });
        firms.push(FirmEngagement {
            id: s.node_id(e).to_string(),
            name: s.node_name(e).to_string(),
            class,
            fields: tags(eco, &fields),
            districts: tags(eco, &districts),
            explorer: count[Programme::Explorer as usize],
            explorer_funder,
            open_competition: count[Programme::OpenCompetition as usize],
            yrd_joint: count[Programme::YrdJoint as usize],
            engaged,
            contracts,
            demands: eco.out(e, "posts").len(),
        });
    }
    let mut totals = Vec::new();
    for class in [FirmClass::ChainLeader, FirmClass::LargeFirm] {
        if !classes(class) {
            continue;
        }
        let of: Vec<&FirmEngagement> = firms.iter().filter(|f| f.class == class).collect();
        totals.push(EngagementTotal {
            class,
            firms: of.len(),
            explorer: of
                .iter()
                .filter(|f| f.explorer > 0 || f.explorer_funder)
                .count(),
            open_competition: of.iter().filter(|f| f.open_competition > 0).count(),
            yrd_joint: of.iter().filter(|f| f.yrd_joint > 0).count(),
            engaged: of.iter().filter(|f| f.engaged).count(),
            not_engaged: of.iter().filter(|f| !f.engaged).count(),
        });
    }
    if firms.is_empty() {
        notes.push(
            "no chain-leader or large firm (chain_leader, large_firm, sme = false) matches".into(),
        );
    }
    firms.retain(|f| !request.not_engaged || !f.engaged);
    firms.sort_by(|a, b| {
        let projects = |f: &FirmEngagement| f.explorer + f.open_competition + f.yrd_joint;
        (
            !a.engaged,
            a.class,
            std::cmp::Reverse(projects(a) + a.explorer_funder as usize),
        )
            .cmp(&(
                !b.engaged,
                b.class,
                std::cmp::Reverse(projects(b) + b.explorer_funder as usize),
            ))
            .then(
                std::cmp::Reverse(a.contracts + a.demands)
                    .cmp(&std::cmp::Reverse(b.contracts + b.demands)),
            )
            .then(a.id.cmp(&b.id))
    });
    if let Some(top) = request.top {
        firms.truncate(top);
    }
    Ok(EngagementReport {
        source: ENGAGEMENT_SOURCE,
        totals,
        firms,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::query::planning_testing::{csv_rows, generated, shanghai};

    #[test]
    fn generated_leaders_and_programmes_match_the_csv_files() {
        let (t, summary) = generated(0.2);
        let eco = Ecosystem::load(&t.store, &engagement_needs()).unwrap();
        let report = engagement(&eco, &EngagementRequest::default()).unwrap();
        let dir = t.dir.path();
        let leaders: BTreeSet<String> = csv_rows(dir, "nodes-enterprise.csv")
            .into_iter()
            .filter(|r| r["chain_leader"] == "true")
            .map(|r| r["id"].clone())
            .collect();
        let got: BTreeSet<String> = report
            .firms
            .iter()
            .filter(|f| f.class == FirmClass::ChainLeader)
            .map(|f| f.id.clone())
            .collect();
        assert_eq!(got, leaders);
        // Explorer co-funders: the generator's "Explorer firms".
        let funders: BTreeSet<String> = csv_rows(dir, "edges-funds.csv")
            .into_iter()
            .filter(|r| r["target"] == "prog:explorer" && r["source"].starts_with("ent:"))
            .map(|r| r["source"].clone())
            .collect();
        assert_eq!(
            funders.len() as f64,
            crate::query::planning_testing::figure(&summary, "Explorer firms")
        );
        for f in &report.firms {
            assert_eq!(f.explorer_funder, funders.contains(&f.id), "{}", f.id);
        }
        // YRD projects per firm, recounted: projects part_of the YRD programme, and the
        // enterprises that lead, join or fund them.
        let yrd: BTreeSet<String> = csv_rows(dir, "edges-part_of.csv")
            .into_iter()
            .filter(|r| r["target"] == "prog:yrd-joint")
            .map(|r| r["source"].clone())
            .collect();
        let mut per_firm: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in [
            "edges-leads.csv",
            "edges-participates_in.csv",
            "edges-funds.csv",
        ] {
            for r in csv_rows(dir, file) {
                if yrd.contains(&r["target"]) && r["source"].starts_with("ent:") {
                    per_firm
                        .entry(r["source"].clone())
                        .or_default()
                        .insert(r["target"].clone());
                }
            }
        }
        for f in &report.firms {
            assert_eq!(
                f.yrd_joint,
                per_firm.get(&f.id).map_or(0, |s| s.len()),
                "{}",
                f.id
            );
        }
        let leaders_total = &report.totals[0];
        assert_eq!(leaders_total.firms, leaders.len());
        assert_eq!(
            leaders_total.engaged + leaders_total.not_engaged,
            leaders.len()
        );
        // The call list holds exactly the firms in none.
        let call = engagement(
            &eco,
            &EngagementRequest {
                not_engaged: true,
                classes: vec![FirmClass::ChainLeader],
                ..EngagementRequest::default()
            },
        )
        .unwrap();
        assert_eq!(call.firms.len(), leaders_total.not_engaged);
        assert!(call
            .firms
            .iter()
            .all(|f| !f.engaged && f.explorer + f.open_competition + f.yrd_joint == 0));
    }

    #[test]
    fn fixtures_list_the_explorer_firms_and_the_large_firms() {
        let t = shanghai();
        let eco = Ecosystem::load(&t.store, &engagement_needs()).unwrap();
        let report = engagement(&eco, &EngagementRequest::default()).unwrap();
        let ids: Vec<(&str, FirmClass, bool)> = report
            .firms
            .iter()
            .map(|f| (f.id.as_str(), f.class, f.engaged))
            .collect();
        // United Imaging and COMAC's design institute co-fund Explorer; COMAC, MicroPort and
        // Shanghai Electric's nuclear group are large firms in none of the three.
        assert!(ids.contains(&("ent:united-imaging", FirmClass::ChainLeader, true)));
        assert!(ids.contains(&("ent:comac-sadri", FirmClass::ChainLeader, true)));
        for id in [
            "ent:comac",
            "ent:microport",
            "ent:shanghai-electric-nuclear",
        ] {
            assert!(ids.contains(&(id, FirmClass::LargeFirm, false)), "{id}");
        }
        let bad = engagement(
            &eco,
            &EngagementRequest {
                field: Some("astrology".into()),
                ..EngagementRequest::default()
            },
        );
        assert!(
            matches!(bad, Err(QueryError::BadParameter(m)) if m.contains("no field `astrology`"))
        );
        let aviation = engagement(
            &eco,
            &EngagementRequest {
                field: Some("航空".into()),
                ..EngagementRequest::default()
            },
        )
        .unwrap();
        let ids: BTreeSet<&str> = aviation.firms.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, BTreeSet::from(["ent:comac", "ent:comac-sadri"]));
    }
}
