//! `consortia`: ties that cross regions (a Shanghai district and a province), fields and
//! kinds of actor, as shares by year and per programme, and the cross-region consortia that
//! exist today: the connected groups of organisations in Yangtze River Delta joint projects.
//!
//! It answers the source's sentence [`CONSORTIA_SOURCE`] (cross-discipline, cross-field,
//! cross-region innovation consortia with Jiangsu, Zhejiang and Anhui).
//!
//! **Ties.** Two organisations are tied once per project they both lead or take part in
//! (`leads`, `participates_in`), dated by the project's year and filed under its programme
//! (YRD joint research, Explorer, open competition, or *other*), and once per declared
//! `collaborates_with` edge, dated by the edge's year and filed under *declared*. A tie is
//! - *cross-region* when one end is in Shanghai and the other outside (a `located_in`
//!   district outside Shanghai: see [`super::ecosystem`]); ends without a district count as
//!   neither;
//! - *cross-field* when both ends have fields (`in_field`) and share none;
//! - *cross-kind* when the ends are of different kinds (a university and a firm).
//!
//! Shares are over all ties of the row. **Consortia** are the connected components of the
//! graph of organisations and YRD joint projects (an organisation joins the projects it
//! leads or takes part in); each lists its projects and members, Shanghai ones and
//! provincial ones, largest first.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::candidates::{candidate_consortia_kept, CandidatesReport, CandidatesRequest};
use super::ecosystem::{Ecosystem, Needs, Programme};
use super::engagement::{tags, Tag};
use super::learned_kept::Keeping;
use super::years::YearRange;
use super::QueryError;

/// The sentence of the source document the consortia answer.
pub const CONSORTIA_SOURCE: &str = "同时我委联合苏、浙、皖三省科技主管部门,建立长三角科技创新共同体联合攻关合作机制,鼓励构建跨学科、跨领域、跨区域的创新联合体。";

/// Options of [`consortia`].
#[derive(Debug, Clone, Default)]
pub struct ConsortiaRequest {
    /// Keep ties and projects dated in these years (undated ones drop out).
    pub years: Option<(i32, i32)>,
    /// Add one row per year besides the all-years row of each programme.
    pub per_year: bool,
    /// At most this many consortia (largest first).
    pub top: Option<usize>,
    /// Candidate consortia for a field and given actors (see the `candidates` module).
    pub candidates: Option<CandidatesRequest>,
}

/// Where an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// A district of Shanghai.
    Shanghai,
    /// A province (or country) outside Shanghai.
    Outside,
    /// No district is known.
    Unknown,
}

/// Ties of one programme (and year).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TieShares {
    /// `yrd_joint`, `explorer`, `open_competition`, `other` (other projects), `declared`
    /// (`collaborates_with`) or `all`.
    pub programme: String,
    /// The year, or absent for all years.
    pub year: Option<i32>,
    /// Projects with at least two members (0 for declared ties).
    pub projects: u64,
    /// Of which with members both in Shanghai and outside.
    pub cross_region_projects: u64,
    /// Ties.
    pub ties: u64,
    /// Cross-region ties.
    pub cross_region: u64,
    /// Cross-field ties.
    pub cross_field: u64,
    /// Cross-kind ties.
    pub cross_kind: u64,
    /// cross_region / ties.
    pub cross_region_share: Option<f64>,
    /// cross_field / ties.
    pub cross_field_share: Option<f64>,
    /// cross_kind / ties.
    pub cross_kind_share: Option<f64>,
}

/// A member of a consortium.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Node kind.
    pub kind: String,
    /// Shanghai, outside or unknown.
    pub region: Region,
    /// Its districts (provinces for outside members).
    pub districts: Vec<Tag>,
    /// YRD joint projects it is in.
    pub projects: usize,
}

/// A connected group of organisations in YRD joint projects.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consortium {
    /// Its projects.
    pub projects: Vec<Tag>,
    /// First and last project year.
    pub years: Option<(i32, i32)>,
    /// Members, Shanghai first, most projects first.
    pub members: Vec<Member>,
    /// Members in Shanghai.
    pub shanghai: usize,
    /// Members outside Shanghai.
    pub outside: usize,
    /// The provinces its outside members are in.
    pub provinces: Vec<Tag>,
    /// The fields of its projects.
    pub fields: Vec<Tag>,
}

/// The consortia report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsortiaReport {
    /// The sentence of the source this answers.
    pub source: &'static str,
    /// Tie shares: `all`, then each programme; all-years row first, then by year.
    pub shares: Vec<TieShares>,
    /// YRD joint projects (in the years asked).
    pub yrd_projects: usize,
    /// Distinct members of them outside Shanghai.
    pub yrd_outside_members: usize,
    /// The consortia, most members first.
    pub consortia: Vec<Consortium>,
    /// Consortia in all (before `top`).
    pub consortia_total: usize,
    /// Candidate consortia, when asked for (a field and actors to tie together).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<CandidatesReport>,
    /// What the data lacks.
    pub notes: Vec<String>,
}

/// What [`consortia`] reads beyond the snapshot.
pub fn consortia_needs() -> Needs {
    Needs {
        node_kinds: vec!["project"],
        ..Needs::default()
    }
}

fn region(eco: &Ecosystem, v: u32) -> Region {
    let districts = eco.out(v, "located_in");
    if districts.iter().any(|&d| eco.is_outside(d)) {
        Region::Outside
    } else if districts.is_empty() {
        Region::Unknown
    } else {
        Region::Shanghai
    }
}

#[derive(Default)]
struct Counts {
    projects: u64,
    cross_region_projects: u64,
    ties: u64,
    cross_region: u64,
    cross_field: u64,
    cross_kind: u64,
}

/// Facts about one organisation the tie tests need.
struct Org {
    region: Region,
    fields: Vec<u32>,
    kind: u16,
}

/// Ties, shares and the YRD consortia of the ecosystem.
pub fn consortia(
    eco: &Ecosystem,
    request: &ConsortiaRequest,
) -> Result<ConsortiaReport, QueryError> {
    consortia_kept(eco, request, &Keeping::none())
}

/// [`consortia`] whose candidate consortia read and keep the trained rankers where
/// `keeping` says ([`super::learned_kept`]): the same report, without training again for a
/// generation.
pub fn consortia_kept(
    eco: &Ecosystem,
    request: &ConsortiaRequest,
    keeping: &Keeping<'_>,
) -> Result<ConsortiaReport, QueryError> {
    let range = YearRange::new(request.years)?;
    let s = &eco.snapshot;
    let within = |year: Option<i32>| range.keeps(year);
    // (programme, year) -> counts
    let mut table: BTreeMap<(String, Option<i32>), Counts> = BTreeMap::new();
    let mut record = |programme: &str, year: Option<i32>, f: &dyn Fn(&mut Counts)| {
        let mut keys = vec![(programme.to_string(), None), ("all".to_string(), None)];
        if request.per_year && year.is_some() {
            keys.push((programme.to_string(), year));
            keys.push(("all".to_string(), year));
        }
        for k in keys {
            f(table.entry(k).or_default());
        }
    };
    let mut info: BTreeMap<u32, Org> = BTreeMap::new();
    let mut facts = |v: u32| -> (Region, Vec<u32>, u16) {
        let o = info.entry(v).or_insert_with(|| Org {
            region: region(eco, v),
            fields: eco.out(v, "in_field"),
            kind: s.node_kind_code(v),
        });
        (o.region, o.fields.clone(), o.kind)
    };
    let tie = |a: &(Region, Vec<u32>, u16), b: &(Region, Vec<u32>, u16)| {
        let cross_region = matches!(
            (a.0, b.0),
            (Region::Shanghai, Region::Outside) | (Region::Outside, Region::Shanghai)
        );
        let cross_field =
            !a.1.is_empty() && !b.1.is_empty() && !a.1.iter().any(|f| b.1.contains(f));
        (cross_region, cross_field, a.2 != b.2)
    };
    let mut yrd: Vec<u32> = Vec::new();
    let mut undated_projects = 0u64;
    for p in eco.nodes_of("project") {
        let year = eco.year(p);
        if !within(year) {
            continue;
        }
        let programme = eco.programme_of(p);
        if programme == Some(Programme::YrdJoint) {
            yrd.push(p);
        }
        let members = eco.members(p);
        if members.len() < 2 {
            continue;
        }
        if year.is_none() {
            undated_projects += 1;
        }
        let key = programme.map_or("other", Programme::key);
        let m: Vec<(Region, Vec<u32>, u16)> = members.iter().map(|&v| facts(v)).collect();
        let spans =
            m.iter().any(|x| x.0 == Region::Shanghai) && m.iter().any(|x| x.0 == Region::Outside);
        record(key, year, &|c: &mut Counts| {
            c.projects += 1;
            c.cross_region_projects += spans as u64;
        });
        for i in 0..m.len() {
            for j in i + 1..m.len() {
                let (r, f, k) = tie(&m[i], &m[j]);
                record(key, year, &|c: &mut Counts| {
                    c.ties += 1;
                    c.cross_region += r as u64;
                    c.cross_field += f as u64;
                    c.cross_kind += k as u64;
                });
            }
        }
    }
    for e in eco.edges_of("collaborates_with") {
        let edge = s.edge(e);
        if !within(edge.year) {
            continue;
        }
        let (a, b) = (facts(edge.source), facts(edge.target));
        let (r, f, k) = tie(&a, &b);
        record("declared", edge.year, &|c: &mut Counts| {
            c.ties += 1;
            c.cross_region += r as u64;
            c.cross_field += f as u64;
            c.cross_kind += k as u64;
        });
    }
    let order = |p: &str| match p {
        "all" => 0,
        "yrd_joint" => 1,
        "explorer" => 2,
        "open_competition" => 3,
        "other" => 4,
        _ => 5,
    };
    let mut keys: Vec<&(String, Option<i32>)> = table.keys().collect();
    keys.sort_by_key(|(p, y)| (order(p), y.is_some(), *y));
    let share = |x: u64, n: u64| (n > 0).then(|| x as f64 / n as f64);
    let shares = keys
        .into_iter()
        .map(|k| {
            let c = &table[k];
            TieShares {
                programme: k.0.clone(),
                year: k.1,
                projects: c.projects,
                cross_region_projects: c.cross_region_projects,
                ties: c.ties,
                cross_region: c.cross_region,
                cross_field: c.cross_field,
                cross_kind: c.cross_kind,
                cross_region_share: share(c.cross_region, c.ties),
                cross_field_share: share(c.cross_field, c.ties),
                cross_kind_share: share(c.cross_kind, c.ties),
            }
        })
        .collect();

    // Consortia: components of the organisation–YRD-project graph.
    let mut parent: BTreeMap<u32, u32> = BTreeMap::new();
    fn find(parent: &mut BTreeMap<u32, u32>, v: u32) -> u32 {
        let mut root = v;
        while let Some(&p) = parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        let mut x = v;
        while x != root {
            let next = parent[&x];
            parent.insert(x, root);
            x = next;
        }
        root
    }
    for &p in &yrd {
        parent.entry(p).or_insert(p);
        for m in eco.members(p) {
            parent.entry(m).or_insert(m);
            let (a, b) = (find(&mut parent, p), find(&mut parent, m));
            if a != b {
                parent.insert(a.max(b), a.min(b));
            }
        }
    }
    let project_kind = s.node_kind_code_of("project");
    let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let nodes: Vec<u32> = parent.keys().copied().collect();
    for v in nodes {
        let root = find(&mut parent, v);
        groups.entry(root).or_default().push(v);
    }
    let mut outside_members: BTreeSet<u32> = BTreeSet::new();
    let mut consortia: Vec<Consortium> = Vec::new();
    for nodes in groups.values() {
        let (projects, orgs): (Vec<u32>, Vec<u32>) = nodes
            .iter()
            .partition(|&&v| Some(s.node_kind_code(v)) == project_kind);
        let years = projects
            .iter()
            .filter_map(|&p| eco.year(p))
            .fold(None, |r: Option<(i32, i32)>, y| {
                Some(r.map_or((y, y), |(a, b)| (a.min(y), b.max(y))))
            });
        let mut members: Vec<Member> = orgs
            .iter()
            .map(|&v| Member {
                id: s.node_id(v).to_string(),
                name: s.node_name(v).to_string(),
                kind: s.node_kind(v).to_string(),
                region: facts(v).0,
                districts: tags(eco, &eco.out(v, "located_in")),
                projects: projects
                    .iter()
                    .filter(|&&p| eco.members(p).contains(&v))
                    .count(),
            })
            .collect();
        members.sort_by(|a, b| {
            (a.region, std::cmp::Reverse(a.projects), &a.id).cmp(&(
                b.region,
                std::cmp::Reverse(b.projects),
                &b.id,
            ))
        });
        let mut provinces: BTreeSet<u32> = BTreeSet::new();
        for &v in &orgs {
            if facts(v).0 == Region::Outside {
                outside_members.insert(v);
                provinces.extend(
                    eco.out(v, "located_in")
                        .into_iter()
                        .filter(|&d| eco.is_outside(d)),
                );
            }
        }
        let mut fields: BTreeSet<u32> = BTreeSet::new();
        for &p in &projects {
            fields.extend(eco.out(p, "in_field"));
        }
        consortia.push(Consortium {
            projects: tags(eco, &projects),
            years,
            shanghai: members
                .iter()
                .filter(|m| m.region == Region::Shanghai)
                .count(),
            outside: members
                .iter()
                .filter(|m| m.region == Region::Outside)
                .count(),
            members,
            provinces: tags(eco, &provinces.into_iter().collect::<Vec<_>>()),
            fields: tags(eco, &fields.into_iter().collect::<Vec<_>>()),
        });
    }
    consortia.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.members.len()),
            std::cmp::Reverse(a.projects.len()),
        )
            .cmp(&(
                std::cmp::Reverse(b.members.len()),
                std::cmp::Reverse(b.projects.len()),
            ))
            .then_with(|| a.projects[0].id.cmp(&b.projects[0].id))
    });
    let consortia_total = consortia.len();
    if let Some(top) = request.top {
        consortia.truncate(top);
    }
    let mut notes = Vec::new();
    if eco.programme(Programme::YrdJoint).is_none() {
        notes.push(
            "no programme node for the YRD joint research: no consortium can be named".into(),
        );
    } else if yrd.is_empty() {
        notes.push("no project is part of the YRD joint research (in the years asked): no consortium to list".into());
    }
    if undated_projects > 0 && request.per_year {
        notes.push(format!(
            "{undated_projects} projects with members carry no year: in the all-years rows only"
        ));
    }
    Ok(ConsortiaReport {
        source: CONSORTIA_SOURCE,
        shares,
        yrd_projects: yrd.len(),
        yrd_outside_members: outside_members.len(),
        consortia,
        consortia_total,
        candidates: request
            .candidates
            .as_ref()
            .map(|c| candidate_consortia_kept(eco, c, keeping))
            .transpose()?,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::query::planning_testing::{csv_rows, from_csv, generated, shanghai};

    const NODES: &str = "id,kind,name,year:int\n\
        prog:yrd-joint,programme,长三角联合攻关,\n\
        district:minhang,district,闵行区,\n\
        district:jiangsu,district,江苏省,\n\
        field:bio,field,生物医药,\n\
        field:ic,field,集成电路,\n\
        univ:a,university,甲大学,\n\
        ent:s,enterprise,沪企,\n\
        ent:j,enterprise,苏企,\n\
        ent:k,enterprise,苏企二,\n\
        proj:1,project,项目一,2022\n\
        proj:2,project,项目二,2023\n\
        proj:3,project,项目三,2023\n\
        proj:4,project,项目四,2024\n";
    const EDGES: &str = "source,target,kind,year:int\n\
        proj:1,prog:yrd-joint,part_of,\n\
        proj:2,prog:yrd-joint,part_of,\n\
        proj:3,prog:yrd-joint,part_of,\n\
        univ:a,district:minhang,located_in,\n\
        ent:s,district:minhang,located_in,\n\
        ent:j,district:jiangsu,located_in,\n\
        ent:k,district:jiangsu,located_in,\n\
        univ:a,field:bio,in_field,\n\
        ent:j,field:bio,in_field,\n\
        ent:k,field:ic,in_field,\n\
        ent:s,field:ic,in_field,\n\
        univ:a,proj:1,leads,\n\
        ent:j,proj:1,participates_in,\n\
        univ:a,proj:2,leads,\n\
        ent:k,proj:2,participates_in,\n\
        ent:s,proj:3,leads,\n\
        univ:a,proj:4,leads,\n\
        ent:s,proj:4,participates_in,\n\
        ent:s,ent:k,collaborates_with,2021\n";

    #[test]
    fn ties_and_consortia_of_a_hand_built_delta() {
        let t = from_csv(NODES, EDGES);
        let eco = Ecosystem::load(&t.store, &consortia_needs()).unwrap();
        let report = consortia(
            &eco,
            &ConsortiaRequest {
                per_year: true,
                ..ConsortiaRequest::default()
            },
        )
        .unwrap();
        // Ties: proj:1 a–j (cross-region, same field, cross-kind), proj:2 a–k (cross-region,
        // cross-field, cross-kind), proj:4 a–s (Shanghai both, cross-field, cross-kind; not
        // YRD), declared s–k (cross-region, same field, same kind). proj:3 has one member.
        let row = |p: &str, y: Option<i32>| {
            report
                .shares
                .iter()
                .find(|r| r.programme == p && r.year == y)
                .unwrap_or_else(|| panic!("no row {p} {y:?}"))
                .clone()
        };
        let all = row("all", None);
        assert_eq!(
            (all.ties, all.cross_region, all.cross_field, all.cross_kind),
            (4, 3, 2, 3)
        );
        assert_eq!(all.cross_region_share, Some(0.75));
        let yrd = row("yrd_joint", None);
        assert_eq!(
            (yrd.projects, yrd.cross_region_projects, yrd.ties),
            (2, 2, 2)
        );
        assert_eq!(yrd.cross_region_share, Some(1.0));
        assert_eq!(yrd.cross_field_share, Some(0.5));
        let other = row("other", Some(2024));
        assert_eq!((other.ties, other.cross_region), (1, 0));
        assert_eq!(row("declared", Some(2021)).cross_region, 1);
        assert_eq!(report.shares[0].programme, "all");
        // Consortia: {proj:1, proj:2, univ:a, ent:j, ent:k} and {proj:3, ent:s}.
        assert_eq!(report.yrd_projects, 3);
        assert_eq!(report.yrd_outside_members, 2);
        assert_eq!(report.consortia_total, 2);
        let big = &report.consortia[0];
        let ids: Vec<&str> = big.members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, vec!["univ:a", "ent:j", "ent:k"]);
        assert_eq!((big.shanghai, big.outside), (1, 2));
        assert_eq!(big.members[0].projects, 2);
        assert_eq!(big.years, Some((2022, 2023)));
        assert_eq!(big.provinces[0].id, "district:jiangsu");
        assert_eq!(big.fields.len(), 0);
        assert_eq!(report.consortia[1].outside, 0);
        // Years restrict both.
        let later = consortia(
            &eco,
            &ConsortiaRequest {
                years: Some((2023, 2023)),
                ..ConsortiaRequest::default()
            },
        )
        .unwrap();
        assert_eq!(later.yrd_projects, 2);
        assert_eq!(later.shares[0].ties, 1);
        assert!(consortia(
            &eco,
            &ConsortiaRequest {
                years: Some((2024, 2020)),
                ..ConsortiaRequest::default()
            }
        )
        .is_err());
    }

    #[test]
    fn generated_yrd_projects_and_provincial_partners_match_the_csv_files() {
        let (t, summary) = generated(0.5);
        let eco = Ecosystem::load(&t.store, &consortia_needs()).unwrap();
        let report = consortia(&eco, &ConsortiaRequest::default()).unwrap();
        let dir = t.dir.path();
        let yrd: BTreeSet<String> = csv_rows(dir, "edges-part_of.csv")
            .into_iter()
            .filter(|r| r["target"] == "prog:yrd-joint")
            .map(|r| r["source"].clone())
            .collect();
        assert_eq!(report.yrd_projects, yrd.len());
        assert!(!yrd.is_empty());
        let provinces: BTreeSet<String> = csv_rows(dir, "nodes-district.csv")
            .into_iter()
            .filter(|r| r["district_type"] == "province")
            .map(|r| r["id"].clone())
            .collect();
        assert_eq!(provinces.len(), 3);
        let outside: BTreeSet<String> = csv_rows(dir, "edges-located_in.csv")
            .into_iter()
            .filter(|r| provinces.contains(&r["target"]))
            .map(|r| r["source"].clone())
            .collect();
        let mut members: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for kind in ["leads", "participates_in"] {
            for r in csv_rows(dir, &format!("edges-{kind}.csv")) {
                if yrd.contains(&r["target"]) {
                    members
                        .entry(r["target"].clone())
                        .or_default()
                        .insert(r["source"].clone());
                }
            }
        }
        let partners: BTreeSet<&String> = members
            .values()
            .flatten()
            .filter(|m| outside.contains(*m))
            .collect();
        assert_eq!(report.yrd_outside_members, partners.len());
        // Every YRD project has a provincial partner: all of them cross regions.
        let row = report
            .shares
            .iter()
            .find(|r| r.programme == "yrd_joint" && r.year.is_none())
            .unwrap();
        assert_eq!(row.projects, yrd.len() as u64);
        assert_eq!(row.cross_region_projects, yrd.len() as u64);
        // The consortia cover every YRD project once.
        let listed: usize = report.consortia.iter().map(|c| c.projects.len()).sum();
        assert_eq!(listed, yrd.len());
        let outside_listed: usize = report.consortia.iter().map(|c| c.outside).sum();
        assert_eq!(outside_listed, partners.len());
        assert!(summary.nodes["project"] as usize > yrd.len());
    }

    #[test]
    fn fixtures_have_the_mechanism_but_no_joint_project() {
        let t = shanghai();
        let eco = Ecosystem::load(&t.store, &consortia_needs()).unwrap();
        let report = consortia(&eco, &ConsortiaRequest::default()).unwrap();
        assert!(report.consortia.is_empty());
        assert!(report
            .notes
            .iter()
            .any(|n| n.contains("no project is part of the YRD")));
        // The Commission's declared ties with the three provincial departments cross regions.
        let declared = report
            .shares
            .iter()
            .find(|r| r.programme == "declared")
            .unwrap();
        assert!(declared.cross_region >= 3, "{declared:?}");
    }
}
