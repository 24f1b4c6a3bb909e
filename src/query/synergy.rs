//! `synergy`: triple-helix synergy — Leydesdorff's mutual information in three dimensions,
//! T(UIG), over the university, industry and government spheres — per district and per
//! field, by year.
//!
//! It answers the source's sentence [`SYNERGY_SOURCE`]: whether the Commission's joint
//! mechanisms make the three spheres work together.
//!
//! **Units.** Each joint activity is one observation: every project (its `leads`,
//! `participates_in`, `funds` and `supports` sources) and every platform (its `operates`,
//! `funds` and `supports` sources). A unit records which spheres take part:
//! - **U** (university): a `university` or `research_institute`;
//! - **I** (industry): an `enterprise` or `incubator` (the source's market-based service
//!   institutions, 市场化服务机构);
//! - **G** (government): an `agency` or a `district` (a district government supporting the
//!   activity), or, for a project, an agency or district that funds or supports its
//!   programme (`part_of`).
//!
//! Other kinds (hospitals, investors, alliances: `organisation`) belong to no sphere. A unit
//! is counted in the district it is `located_in` and in each field it is `in_field`, in the
//! year of its `year` property (a project without one: its `leads` year); units without a
//! year count only in the all-years rows.
//!
//! **The measure.** From the counts `c[u,i,g]` of the eight presence patterns over `n` units,
//! `p = c / n`, the Shannon entropies in **bits** (log base 2; 0·log 0 = 0) of each sphere and
//! each combination give
//!
//! ```text
//! T_xy  = H_x + H_y − H_xy                                  (≥ 0, bilateral)
//! T_uig = H_u + H_i + H_g − H_ui − H_ug − H_ig + H_uig
//! ```
//!
//! following Leydesdorff (2003), "The mutual information of university-industry-government
//! relations: an indicator of the Triple Helix dynamics", *Scientometrics* 58(2), 445–467
//! (McGill's 1954 interaction information, Abramson's transmission). **Sign:** a *negative*
//! T_uig is synergy — the three spheres together reduce uncertainty beyond what their pairs
//! do; positive values mean the pairwise relations dominate. Leydesdorff often reports
//! millibits: multiply by 1,000.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ecosystem::{Ecosystem, Needs};
use super::years::YearRange;
use super::QueryError;

/// The sentence of the source document synergy answers.
pub const SYNERGY_SOURCE: &str = "同时我委联合苏、浙、皖三省科技主管部门,建立长三角科技创新共同体联合攻关合作机制,鼓励构建跨学科、跨领域、跨区域的创新联合体。";

/// Entropies and mutual information of a 2×2×2 table of sphere presence, in bits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Helix {
    /// H(U).
    pub h_u: f64,
    /// H(I).
    pub h_i: f64,
    /// H(G).
    pub h_g: f64,
    /// H(U,I).
    pub h_ui: f64,
    /// H(U,G).
    pub h_ug: f64,
    /// H(I,G).
    pub h_ig: f64,
    /// H(U,I,G).
    pub h_uig: f64,
    /// T(U;I) = H_u + H_i − H_ui.
    pub t_ui: f64,
    /// T(U;G).
    pub t_ug: f64,
    /// T(I;G).
    pub t_ig: f64,
    /// T(U;I;G); negative is synergy.
    pub t_uig: f64,
}

/// Entropy in bits of a distribution given by counts summing to `n`.
fn entropy(counts: &[u64], n: u64) -> f64 {
    let n = n as f64;
    let sum: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let c = c as f64;
            c * c.log2()
        })
        .sum();
    (n.log2() - sum / n).max(0.0)
}

/// The triple-helix measures of the counts of the eight presence patterns, indexed by
/// `u + 2·i + 4·g` (each 0 or 1). `None` when the table is empty.
pub fn helix(cells: &[u64; 8]) -> Option<Helix> {
    let n: u64 = cells.iter().sum();
    if n == 0 {
        return None;
    }
    let marginal = |bits: u8| -> Vec<u64> {
        let mut out = vec![0u64; 8];
        for (pattern, &c) in cells.iter().enumerate() {
            out[pattern & bits as usize] += c;
        }
        out
    };
    let h = |bits: u8| entropy(&marginal(bits), n);
    let (h_u, h_i, h_g) = (h(1), h(2), h(4));
    let (h_ui, h_ug, h_ig) = (h(3), h(5), h(6));
    let h_uig = h(7);
    Some(Helix {
        h_u,
        h_i,
        h_g,
        h_ui,
        h_ug,
        h_ig,
        h_uig,
        t_ui: h_u + h_i - h_ui,
        t_ug: h_u + h_g - h_ug,
        t_ig: h_i + h_g - h_ig,
        t_uig: h_u + h_i + h_g - h_ui - h_ug - h_ig + h_uig,
    })
}

/// How the units are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every unit.
    All,
    /// Per district (`located_in`).
    District,
    /// Per field (`in_field`).
    Field,
}

impl Scope {
    /// Every scope, in report order.
    pub const ALL: [Scope; 3] = [Scope::All, Scope::District, Scope::Field];

    /// Parses `all`, `district` or `field`.
    pub fn parse(text: &str) -> Result<Scope, QueryError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "all" => Ok(Scope::All),
            "district" => Ok(Scope::District),
            "field" => Ok(Scope::Field),
            other => Err(QueryError::BadParameter(format!(
                "unknown grouping `{other}` (all, district, field)"
            ))),
        }
    }
}

/// Options of [`synergy`].
#[derive(Debug, Clone)]
pub struct SynergyRequest {
    /// Groupings (default: all three).
    pub by: Vec<Scope>,
    /// Keep only units dated within these years (undated units then drop out).
    pub years: Option<(i32, i32)>,
    /// Add one row per year besides the all-years row of each group.
    pub per_year: bool,
    /// Leave out districts, fields and single years with fewer units (their entropies are
    /// noise); the whole ecosystem's all-years row is always shown.
    pub min_units: u64,
}

impl Default for SynergyRequest {
    fn default() -> Self {
        SynergyRequest {
            by: Vec::new(),
            years: None,
            per_year: true,
            min_units: 10,
        }
    }
}

/// One group (and year) with its measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynergyRow {
    /// `all`, `district` or `field`.
    pub scope: Scope,
    /// The district or field id (`all` for the whole ecosystem).
    pub key: String,
    /// Its name.
    pub name: String,
    /// The year, or absent for all years.
    pub year: Option<i32>,
    /// Units (projects and platforms).
    pub units: u64,
    /// Counts of the presence patterns, indexed by `u + 2·i + 4·g`.
    pub cells: [u64; 8],
    /// Share of units with a university or institute.
    pub share_u: f64,
    /// Share with a firm or incubator.
    pub share_i: f64,
    /// Share with government.
    pub share_g: f64,
    /// Share with all three.
    pub share_uig: f64,
    /// The measures, in bits.
    pub helix: Helix,
}

/// The synergy table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynergyReport {
    /// The sentence of the source this answers.
    pub source: &'static str,
    /// Log base and sign convention, in words.
    pub convention: &'static str,
    /// Rows: scope order, then groups by units (largest first), all-years row first.
    pub rows: Vec<SynergyRow>,
    /// Districts and fields left out for having fewer than `min_units` units.
    pub small_groups: usize,
    /// Rows of single years left out for having fewer than `min_units` units.
    pub small_years: usize,
    /// What the data lacks.
    pub notes: Vec<String>,
}

/// The convention, as the report states it.
pub const SYNERGY_CONVENTION: &str = "T in bits (log base 2); T_uig = H_u+H_i+H_g-H_ui-H_ug-H_ig+H_uig (Leydesdorff 2003); negative T_uig = synergy";

/// What [`synergy`] reads beyond the snapshot.
pub fn synergy_needs() -> Needs {
    Needs {
        node_kinds: vec!["project", "platform"],
        ..Needs::default()
    }
}

const U: u8 = 1;
const I: u8 = 2;
const G: u8 = 4;

fn sphere(kind: &str) -> u8 {
    match kind {
        "university" | "research_institute" => U,
        "enterprise" | "incubator" => I,
        "agency" | "district" => G,
        _ => 0,
    }
}

/// Spheres of the sources of `v`'s incoming edges of these kinds.
fn spheres_into(eco: &Ecosystem, v: u32, kinds: &[&str]) -> u8 {
    let mut bits = 0;
    for kind in kinds {
        for src in eco.into(v, kind) {
            bits |= sphere(eco.snapshot.node_kind(src));
        }
    }
    bits
}

/// The triple-helix table of the ecosystem.
pub fn synergy(eco: &Ecosystem, request: &SynergyRequest) -> Result<SynergyReport, QueryError> {
    let range = YearRange::new(request.years)?;
    let s = &eco.snapshot;
    let scopes: Vec<Scope> = if request.by.is_empty() {
        Scope::ALL.to_vec()
    } else {
        let mut v = request.by.clone();
        v.sort();
        v.dedup();
        v
    };
    // Government behind each programme.
    let mut programme_g: BTreeMap<u32, bool> = BTreeMap::new();
    for p in eco.nodes_of("programme") {
        programme_g.insert(p, spheres_into(eco, p, &["funds", "supports"]) & G != 0);
    }
    // (scope, group node or u32::MAX for all, year) -> cells.
    let mut tables: BTreeMap<(Scope, u32, Option<i32>), [u64; 8]> = BTreeMap::new();
    let mut units = 0u64;
    let mut undated = 0u64;
    let mut add = |unit: u32, bits: u8| {
        let year = eco.year(unit);
        if !range.keeps(year) {
            return;
        }
        units += 1;
        if year.is_none() {
            undated += 1;
        }
        let mut groups: Vec<(Scope, u32)> = Vec::new();
        for scope in &scopes {
            match scope {
                Scope::All => groups.push((Scope::All, u32::MAX)),
                Scope::District => groups.extend(
                    eco.out(unit, "located_in")
                        .into_iter()
                        .map(|d| (Scope::District, d)),
                ),
                Scope::Field => groups.extend(
                    eco.out(unit, "in_field")
                        .into_iter()
                        .map(|f| (Scope::Field, f)),
                ),
            }
        }
        for (scope, key) in groups {
            tables.entry((scope, key, None)).or_insert([0; 8])[bits as usize] += 1;
            if request.per_year {
                if let Some(y) = year {
                    tables.entry((scope, key, Some(y))).or_insert([0; 8])[bits as usize] += 1;
                }
            }
        }
    };
    for p in eco.nodes_of("project") {
        let mut bits = spheres_into(eco, p, &["leads", "participates_in", "funds", "supports"]);
        if eco
            .out(p, "part_of")
            .iter()
            .any(|prog| programme_g.get(prog).copied().unwrap_or(false))
        {
            bits |= G;
        }
        add(p, bits);
    }
    for p in eco.nodes_of("platform") {
        add(p, spheres_into(eco, p, &["operates", "funds", "supports"]));
    }

    let mut notes = Vec::new();
    if units == 0 {
        notes.push("no project or platform (in the years asked) to observe".into());
    } else if undated == units && request.per_year {
        notes.push("no project or platform carries a year: only all-years rows".into());
    }
    // Group sizes (all-years rows) order the groups.
    let size = |scope: Scope, key: u32| {
        tables
            .get(&(scope, key, None))
            .map_or(0, |c| c.iter().sum::<u64>())
    };
    let mut rows = Vec::new();
    let mut small_groups = 0;
    let mut small_years = 0;
    let mut groups: Vec<(Scope, u32)> = tables
        .keys()
        .filter(|k| k.2.is_none())
        .map(|k| (k.0, k.1))
        .collect();
    groups.sort_by_key(|&(scope, key)| (scope, std::cmp::Reverse(size(scope, key)), key));
    for (scope, key) in groups {
        if scope != Scope::All && size(scope, key) < request.min_units {
            small_groups += 1;
            continue;
        }
        let (id, name) = if key == u32::MAX {
            ("all".to_string(), "(whole ecosystem)".to_string())
        } else {
            (s.node_id(key).to_string(), s.node_name(key).to_string())
        };
        for ((_, _, year), cells) in tables.range((scope, key, None)..=(scope, key, Some(i32::MAX)))
        {
            let Some(h) = helix(cells) else { continue };
            let n: u64 = cells.iter().sum();
            if year.is_some() && n < request.min_units {
                small_years += 1;
                continue;
            }
            let share = |bit: usize| {
                cells
                    .iter()
                    .enumerate()
                    .filter(|(p, _)| p & bit == bit)
                    .map(|(_, c)| *c)
                    .sum::<u64>() as f64
                    / n as f64
            };
            rows.push(SynergyRow {
                scope,
                key: id.clone(),
                name: name.clone(),
                year: *year,
                units: n,
                cells: *cells,
                share_u: share(1),
                share_i: share(2),
                share_g: share(4),
                share_uig: share(7),
                helix: h,
            });
        }
    }
    Ok(SynergyReport {
        source: SYNERGY_SOURCE,
        convention: SYNERGY_CONVENTION,
        rows,
        small_groups,
        small_years,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::planning_testing::{from_csv, generated};

    fn cells(pairs: &[(u8, u8, u8, u64)]) -> [u64; 8] {
        let mut c = [0; 8];
        for &(u, i, g, n) in pairs {
            c[(u + 2 * i + 4 * g) as usize] += n;
        }
        c
    }

    #[test]
    fn independent_spheres_have_no_mutual_information() {
        let h = helix(&[5; 8]).unwrap();
        for x in [h.t_ui, h.t_ug, h.t_ig, h.t_uig] {
            assert!(x.abs() < 1e-12, "{x}");
        }
        assert!((h.h_uig - 3.0).abs() < 1e-12);
    }

    #[test]
    fn identical_spheres_share_one_bit() {
        // U = I = G, each 0 or 1 with probability 1/2: every H is 1 bit, T_uig = 3 − 3 + 1.
        let h = helix(&cells(&[(0, 0, 0, 7), (1, 1, 1, 7)])).unwrap();
        assert!((h.t_ui - 1.0).abs() < 1e-12);
        assert!((h.t_uig - 1.0).abs() < 1e-12);
    }

    #[test]
    fn exclusive_or_is_pure_synergy() {
        // G = U xor I with U, I fair and independent: every pair is independent (T_xy = 0),
        // but any two determine the third: T_uig = 3·1 − 3·2 + 2 = −1 bit.
        let h = helix(&cells(&[
            (0, 0, 0, 3),
            (1, 0, 1, 3),
            (0, 1, 1, 3),
            (1, 1, 0, 3),
        ]))
        .unwrap();
        for x in [h.t_ui, h.t_ug, h.t_ig] {
            assert!(x.abs() < 1e-12, "{x}");
        }
        assert!((h.t_uig + 1.0).abs() < 1e-12, "{}", h.t_uig);
    }

    #[test]
    fn hand_computed_table_to_1e9() {
        // n = 8 units: (u,i,g) = 111 ×1, 110 ×1, 100 ×2, 000 ×4. By hand:
        //   H_u  = h(4/8) = 1
        //   H_i  = h(2/8) = ¼·2 + ¾·log2(4/3)
        //   H_g  = h(1/8) = ⅛·3 + ⅞·log2(8/7)
        //   H_ui : {11: 2/8, 10: 2/8, 00: 4/8}        = ¼·2 + ¼·2 + ½·1 = 1.5
        //   H_ug : {11: 1/8, 10: 3/8, 00: 4/8}        = ⅛·3 + ⅜·log2(8/3) + ½
        //   H_ig : {11: 1/8, 10: 1/8, 00: 6/8}        = ⅛·3 + ⅛·3 + ¾·log2(4/3)
        //   H_uig: {111: 1/8, 110: 1/8, 100: 2/8, 000: 4/8} = ⅜ + ⅜ + ½ + ½ = 1.75
        let l = f64::log2;
        let h_u = 1.0;
        let h_i = 0.5 + 0.75 * l(4.0 / 3.0);
        let h_g = 0.375 + 0.875 * l(8.0 / 7.0);
        let h_ui = 1.5;
        let h_ug = 0.375 + 0.375 * l(8.0 / 3.0) + 0.5;
        let h_ig = 0.75 + 0.75 * l(4.0 / 3.0);
        let h_uig = 1.75;
        let expected = h_u + h_i + h_g - h_ui - h_ug - h_ig + h_uig;
        // = 0.5 + 0.875·log2(8/7) − 0.375·log2(8/3) ≈ +0.1379 bits (no synergy).
        assert!((expected - (0.5 + 0.875 * l(8.0 / 7.0) - 0.375 * l(8.0 / 3.0))).abs() < 1e-12);
        assert!((expected - 0.137_93).abs() < 1e-4, "{expected}");
        let h = helix(&cells(&[
            (1, 1, 1, 1),
            (1, 1, 0, 1),
            (1, 0, 0, 2),
            (0, 0, 0, 4),
        ]))
        .unwrap();
        assert!((h.h_i - h_i).abs() < 1e-9);
        assert!((h.h_ug - h_ug).abs() < 1e-9);
        assert!(
            (h.t_uig - expected).abs() < 1e-9,
            "{} vs {expected}",
            h.t_uig
        );
        assert!((h.t_ui - (h_u + h_i - h_ui)).abs() < 1e-9);
        assert!((h.t_ig - (h_i + h_g - h_ig)).abs() < 1e-9);
        assert_eq!(helix(&[0; 8]), None);
    }

    #[test]
    fn units_take_their_spheres_from_members_and_programmes() {
        let nodes = "id,kind,name,year:int\n\
            univ:a,university,甲大学,\n\
            ent:b,enterprise,乙公司,\n\
            agency:g,agency,科委,\n\
            district:d,district,某区,\n\
            field:f,field,某领域,\n\
            prog:p,programme,某计划,\n\
            proj:1,project,项目一,2020\n\
            proj:2,project,项目二,2021\n\
            proj:3,project,项目三,\n\
            plat:x,platform,平台,2021\n";
        let edges = "source,target,kind\n\
            agency:g,prog:p,supports\n\
            proj:1,prog:p,part_of\n\
            univ:a,proj:1,leads\n\
            ent:b,proj:1,participates_in\n\
            univ:a,proj:2,leads\n\
            ent:b,proj:3,leads\n\
            ent:b,plat:x,operates\n\
            district:d,plat:x,supports\n\
            proj:1,district:d,located_in\n\
            plat:x,district:d,located_in\n\
            proj:2,field:f,in_field\n";
        let t = from_csv(nodes, edges);
        let eco = Ecosystem::load(&t.store, &synergy_needs()).unwrap();
        let report = synergy(
            &eco,
            &SynergyRequest {
                min_units: 1,
                ..SynergyRequest::default()
            },
        )
        .unwrap();
        let all = &report.rows[0];
        assert_eq!((all.scope, all.year), (Scope::All, None));
        // proj:1 = U+I+G (programme), proj:2 = U, proj:3 = I, plat:x = I+G.
        assert_eq!(
            all.cells,
            cells(&[(1, 1, 1, 1), (1, 0, 0, 1), (0, 1, 0, 1), (0, 1, 1, 1)])
        );
        assert!((all.share_g - 0.5).abs() < 1e-12);
        let district: Vec<&SynergyRow> = report
            .rows
            .iter()
            .filter(|r| r.scope == Scope::District)
            .collect();
        assert_eq!(district[0].key, "district:d");
        assert_eq!(district[0].units, 2);
        assert_eq!(
            district.iter().map(|r| r.year).collect::<Vec<_>>(),
            vec![None, Some(2020), Some(2021)]
        );
        // proj:3 has no year: in the all-years row only.
        let years: u64 = report
            .rows
            .iter()
            .filter(|r| r.scope == Scope::All && r.year.is_some())
            .map(|r| r.units)
            .sum();
        assert_eq!(years, 3);
        let restricted = synergy(
            &eco,
            &SynergyRequest {
                years: Some((2021, 2021)),
                min_units: 1,
                ..SynergyRequest::default()
            },
        )
        .unwrap();
        assert_eq!(restricted.rows[0].units, 2);
        // Groups below `min_units` drop out, the whole ecosystem never does.
        let default = synergy(&eco, &SynergyRequest::default()).unwrap();
        assert!(default.rows.iter().all(|r| r.scope == Scope::All));
        assert_eq!(default.rows[0].units, 4);
        assert_eq!(default.small_groups, 2);
        // 2020 and 2021 have one and two units: below 10, left out.
        assert_eq!((default.rows.len(), default.small_years), (1, 2));
    }

    #[test]
    fn generated_programme_projects_all_involve_government() {
        let (t, summary) = generated(0.1);
        let eco = Ecosystem::load(&t.store, &synergy_needs()).unwrap();
        let report = synergy(&eco, &SynergyRequest::default()).unwrap();
        let all = &report.rows[0];
        let projects = summary.nodes["project"];
        let platforms = summary.nodes["platform"];
        assert_eq!(all.units, projects + platforms);
        // Explorer, open-competition and YRD projects sit in agency-backed programmes.
        let programme_projects = summary.edges["part_of"];
        let with_g: u64 = (0..8).filter(|p| p & 4 == 4).map(|p| all.cells[p]).sum();
        assert!(
            with_g >= programme_projects,
            "{with_g} < {programme_projects}"
        );
        assert!(all.helix.t_uig.is_finite());
        assert!(report.rows.iter().any(|r| r.scope == Scope::District));
    }
}
