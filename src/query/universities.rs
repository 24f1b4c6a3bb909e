//! `universities`: the conversion funnel of each university — achievements owned → offered →
//! contracted (count, amount, mode) → spin-offs — with technology managers per 100 results,
//! and the 2023 pilot universities against the others.
//!
//! It answers the source's sentence [`UNIVERSITIES_SOURCE`] (IP management and conversion
//! capacity) and reads the pilot's results beside [`PILOT_SOURCE`].
//!
//! Stages, per university `u`:
//! - *owned*: achievements `u` owns (`owns`); *granted*: of which `ownership_granted`;
//! - *offered*: owned achievements offered as a solution to a posted demand (`solves`);
//! - *contracted*: owned achievements named by one of `u`'s contracts (`achievement`);
//! - *contracts* and *amount*: all of `u`'s technology contracts (`contracts_with`), also
//!   per mode; the *transfer modes* are 转让, 许可 and 作价投资 (transfer, licence, equity),
//!   the three the source singles out;
//! - *spin-offs*: distinct companies `u` incubates or that are spun off from it (an
//!   aggregate record counts its `aggregate_count`);
//! - *managers*: technology managers working for `u` (`works_for`); a record standing for a
//!   team counts its `team_size`, and the university's own `tech_manager_count`, when larger,
//!   wins (the fixtures publish only that). *Per 100 results* = managers / owned × 100.
//!
//! With `years`, achievements, contracts and spin-offs are kept when dated in the range
//! (undated ones are left out). Groups (*pilot*: `pilot_2023 = true`, *other*, and *all*,
//! their sum) sum the stages; their rates are ratios of sums. An aggregate university record
//! (the fixtures' "14 universities in the 2023 pilot", `aggregate_count` 14) and the named
//! universities of its group stand for the same universities: the group takes, stage by
//! stage, the larger of the aggregates' sum and the named universities' sum, and counts
//! the larger of the aggregates' `aggregate_count` and the named universities — never both
//! (see [`super::ecosystem`], "Aggregate records").

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::ecosystem::{Ecosystem, Needs, CONTRACT_MODES};
use super::engagement::{tags, Tag};
use super::years::YearRange;
use super::QueryError;

/// The sentence of the source document the funnel answers.
pub const UNIVERSITIES_SOURCE: &str = "一是深化科技成果转化机制改革,制订高校IP管理与转化能力提升工作方案,加强重点高校示范,从管理模式重构、制度机制优化、人才队伍建设等方面,为高校科研人员科技成果转化活动提供有力支撑;";

/// The source's sentence on the 2023 pilot, which the pilot row is read against.
pub const PILOT_SOURCE: &str = "2023年上海开展科技成果转化创新改革试点,我市14家部属及市属高校参与,成效明显,已推动196项成果赋权,相关转化金额超20亿元,孵化公司157家,吸纳社会投资额超74亿元。";

/// Options of [`universities`].
#[derive(Debug, Clone, Default)]
pub struct UniversitiesRequest {
    /// Keep achievements, contracts and spin-offs dated in these years.
    pub years: Option<(i32, i32)>,
    /// Only the pilot universities.
    pub pilot_only: bool,
    /// At most this many university rows (groups count them all).
    pub top: Option<usize>,
}

/// Contracts of one mode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeCount {
    /// The mode.
    pub mode: &'static str,
    /// Contracts.
    pub contracts: u64,
    /// Their amount (CNY).
    pub amount: f64,
}

/// The funnel stages, for a university or a group.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Funnel {
    /// Achievements owned.
    pub owned: u64,
    /// Of which ownership rights were granted (赋权).
    pub granted: u64,
    /// Owned achievements offered as solutions.
    pub offered: u64,
    /// Owned achievements named by a contract.
    pub contracted: u64,
    /// Technology contracts.
    pub contracts: u64,
    /// Their amount (CNY).
    pub amount: f64,
    /// Contracts in the transfer modes (transfer, licence, equity).
    pub transfer_contracts: u64,
    /// Their amount.
    pub transfer_amount: f64,
    /// Companies incubated or spun off.
    pub spin_offs: u64,
    /// Technology managers.
    pub managers: u64,
    /// offered / owned.
    pub offered_rate: Option<f64>,
    /// contracted / owned.
    pub contracted_rate: Option<f64>,
    /// managers / owned × 100.
    pub managers_per_100_results: Option<f64>,
}

impl Funnel {
    fn add(&mut self, other: &Funnel) {
        self.owned += other.owned;
        self.granted += other.granted;
        self.offered += other.offered;
        self.contracted += other.contracted;
        self.contracts += other.contracts;
        self.amount += other.amount;
        self.transfer_contracts += other.transfer_contracts;
        self.transfer_amount += other.transfer_amount;
        self.spin_offs += other.spin_offs;
        self.managers += other.managers;
    }

    /// Keeps, figure by figure, the larger of `self` and `other` (see
    /// [`super::ecosystem`]'s aggregate records: a group's aggregates and its named
    /// universities stand for the same people, so their figures are never added).
    fn keep_larger(&mut self, other: &Funnel) {
        self.owned = self.owned.max(other.owned);
        self.granted = self.granted.max(other.granted);
        self.offered = self.offered.max(other.offered);
        self.contracted = self.contracted.max(other.contracted);
        self.contracts = self.contracts.max(other.contracts);
        self.amount = self.amount.max(other.amount);
        self.transfer_contracts = self.transfer_contracts.max(other.transfer_contracts);
        self.transfer_amount = self.transfer_amount.max(other.transfer_amount);
        self.spin_offs = self.spin_offs.max(other.spin_offs);
        self.managers = self.managers.max(other.managers);
    }

    fn finish(&mut self) {
        let owned = self.owned as f64;
        let of = |x: u64| (self.owned > 0).then(|| x as f64 / owned);
        self.offered_rate = of(self.offered);
        self.contracted_rate = of(self.contracted);
        self.managers_per_100_results = of(self.managers).map(|x| x * 100.0);
    }
}

/// One university's funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UniversityRow {
    /// University id.
    pub id: String,
    /// Name.
    pub name: String,
    /// In the 2023 reform pilot.
    pub pilot: bool,
    /// Its districts.
    pub districts: Vec<Tag>,
    /// The stages.
    #[serde(flatten)]
    pub funnel: Funnel,
    /// Contracts per mode, in the schema's order.
    pub modes: Vec<ModeCount>,
}

/// A group of universities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UniversityGroup {
    /// `pilot`, `other` or `all`.
    pub group: &'static str,
    /// Universities in it.
    pub universities: usize,
    /// Summed stages; rates are ratios of sums.
    #[serde(flatten)]
    pub funnel: Funnel,
}

/// The funnel table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UniversitiesReport {
    /// The sentence of the source this answers.
    pub source: &'static str,
    /// The pilot sentence the pilot row is read against.
    pub pilot_source: &'static str,
    /// Pilot, other, all.
    pub groups: Vec<UniversityGroup>,
    /// Universities, largest contract amount first.
    pub universities: Vec<UniversityRow>,
    /// What the data lacks.
    pub notes: Vec<String>,
}

/// What [`universities`] reads beyond the snapshot.
pub fn universities_needs() -> Needs {
    Needs {
        node_kinds: vec!["university", "achievement", "tech_manager"],
        contracts: true,
        companies: true,
    }
}

/// The conversion funnel of every university.
pub fn universities(
    eco: &Ecosystem,
    request: &UniversitiesRequest,
) -> Result<UniversitiesReport, QueryError> {
    let range = YearRange::new(request.years)?;
    let s = &eco.snapshot;
    let within = |year: Option<i32>| range.keeps(year);
    let mut contracts_of: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, c) in eco.contracts.iter().enumerate() {
        contracts_of.entry(c.signer).or_default().push(i);
    }
    let mut rows = Vec::new();
    // Each row's `aggregate_count` when it is an aggregate record.
    let mut aggregates: Vec<Option<u64>> = Vec::new();
    for u in eco.nodes_of("university") {
        let pilot = eco.flag(u, "pilot_2023");
        if request.pilot_only && !pilot {
            continue;
        }
        let mut f = Funnel::default();
        let owned: Vec<u32> = eco
            .out(u, "owns")
            .into_iter()
            .filter(|&a| s.node_kind(a) == "achievement" && within(eco.year(a)))
            .collect();
        f.owned = owned.len() as u64;
        f.granted = owned
            .iter()
            .filter(|&&a| eco.flag(a, "ownership_granted"))
            .count() as u64;
        f.offered = owned
            .iter()
            .filter(|&&a| !eco.out(a, "solves").is_empty())
            .count() as u64;
        let mut modes: Vec<ModeCount> = CONTRACT_MODES
            .iter()
            .map(|m| ModeCount {
                mode: m,
                contracts: 0,
                amount: 0.0,
            })
            .collect();
        let mut named: BTreeSet<u32> = BTreeSet::new();
        for &i in contracts_of.get(&u).map_or(&[][..], |v| v.as_slice()) {
            let c = &eco.contracts[i];
            if !within(c.year) {
                continue;
            }
            f.contracts += 1;
            f.amount += c.amount;
            if let Some(m) = c.mode {
                modes[m as usize].contracts += 1;
                modes[m as usize].amount += c.amount;
                if m >= 3 {
                    f.transfer_contracts += 1;
                    f.transfer_amount += c.amount;
                }
            }
            if let Some(a) = c.achievement {
                if owned.binary_search(&a).is_ok() {
                    named.insert(a);
                }
            }
        }
        f.contracted = named.len() as u64;
        let mut companies: BTreeSet<u32> = BTreeSet::new();
        for e in s.out_edges(u) {
            if Some(s.edge_kind_codes()[e]) == eco.code("incubates") && within(s.edge(e).year) {
                companies.insert(s.edge_targets()[e]);
            }
        }
        for &e in s.in_edges(u) {
            let e = e as usize;
            if Some(s.edge_kind_codes()[e]) == eco.code("spun_off_from") && within(s.edge(e).year) {
                companies.insert(s.edge_sources()[e]);
            }
        }
        f.spin_offs = companies.iter().map(|&c| eco.companies(c)).sum();
        let (mut people, mut teams) = (0u64, 0u64);
        for tm in eco.into(u, "works_for") {
            if s.node_kind(tm) != "tech_manager" {
                continue;
            }
            match eco.int(tm, "team_size") {
                Some(n) if n > 0 => teams = teams.max(n as u64),
                _ => people += 1,
            }
        }
        let published = eco.int(u, "tech_manager_count").unwrap_or(0).max(0) as u64;
        f.managers = people.max(teams).max(published);
        f.finish();
        aggregates.push(eco.aggregate(u));
        rows.push(UniversityRow {
            id: s.node_id(u).to_string(),
            name: s.node_name(u).to_string(),
            pilot,
            districts: tags(eco, &eco.out(u, "located_in")),
            funnel: f,
            modes,
        });
    }
    let group = |pilot: bool| -> UniversityGroup {
        let (mut named, mut aggregated) = (Funnel::default(), Funnel::default());
        let (mut named_count, mut aggregated_count) = (0usize, 0usize);
        for (r, aggregate) in rows.iter().zip(&aggregates) {
            if r.pilot != pilot {
                continue;
            }
            match aggregate {
                Some(n) => {
                    aggregated.add(&r.funnel);
                    aggregated_count += *n as usize;
                }
                None => {
                    named.add(&r.funnel);
                    named_count += 1;
                }
            }
        }
        named.keep_larger(&aggregated);
        named.finish();
        UniversityGroup {
            group: if pilot { "pilot" } else { "other" },
            universities: named_count.max(aggregated_count),
            funnel: named,
        }
    };
    let (pilot, other) = (group(true), group(false));
    let mut all = UniversityGroup {
        group: "all",
        universities: pilot.universities + other.universities,
        funnel: pilot.funnel.clone(),
    };
    all.funnel.add(&other.funnel);
    all.funnel.finish();
    let mut groups = vec![pilot];
    if !request.pilot_only {
        groups.push(other);
    }
    groups.push(all);
    let mut notes = Vec::new();
    if rows.is_empty() {
        notes.push("no university matches".into());
    } else {
        if groups.last().is_some_and(|g| g.funnel.owned == 0) {
            notes.push("no achievement is owned by a university: the funnel has no results to follow (rates are empty)".into());
        }
        if eco.contracts.is_empty() {
            notes.push("no technology contract is stored".into());
        }
        if !rows.iter().any(|r| r.pilot) {
            notes.push("no university has pilot_2023 = true".into());
        }
    }
    rows.sort_by(|a, b| {
        b.funnel
            .amount
            .total_cmp(&a.funnel.amount)
            .then(b.funnel.owned.cmp(&a.funnel.owned))
            .then(a.id.cmp(&b.id))
    });
    if let Some(top) = request.top {
        rows.truncate(top);
    }
    Ok(UniversitiesReport {
        source: UNIVERSITIES_SOURCE,
        pilot_source: PILOT_SOURCE,
        groups,
        universities: rows,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::query::planning_testing::{csv_rows, figure, generated, shanghai};

    #[test]
    fn generated_funnels_match_the_csv_files_and_the_pilot_figures() {
        let (t, summary) = generated(0.2);
        let eco = Ecosystem::load(&t.store, &universities_needs()).unwrap();
        let report = universities(&eco, &UniversitiesRequest::default()).unwrap();
        let dir = t.dir.path();
        let mut owned: BTreeMap<String, u64> = BTreeMap::new();
        for r in csv_rows(dir, "edges-owns.csv") {
            *owned.entry(r["source"].clone()).or_default() += 1;
        }
        let mut contracts: BTreeMap<String, (u64, f64, u64)> = BTreeMap::new();
        for r in csv_rows(dir, "edges-contracts_with.csv") {
            let e = contracts.entry(r["source"].clone()).or_default();
            e.0 += 1;
            e.1 += r["amount"].parse::<f64>().unwrap_or(0.0);
            if ["transfer", "licence", "equity"].contains(&r["mode"].as_str()) {
                e.2 += 1;
            }
        }
        // People per university; a team's team_size and the university's published
        // tech_manager_count (the fixtures' SJTU: 17) count when larger.
        let mut people: BTreeMap<String, u64> = BTreeMap::new();
        let teams: BTreeMap<String, u64> = csv_rows(dir, "nodes-tech_manager.csv")
            .into_iter()
            .filter_map(|r| Some((r["id"].clone(), r["team_size"].parse().ok()?)))
            .collect();
        let mut larger: BTreeMap<String, u64> = BTreeMap::new();
        for r in csv_rows(dir, "edges-works_for.csv") {
            match teams.get(&r["source"]) {
                Some(size) => {
                    let e = larger.entry(r["target"].clone()).or_default();
                    *e = (*e).max(*size);
                }
                None => *people.entry(r["target"].clone()).or_default() += 1,
            }
        }
        for r in csv_rows(dir, "nodes-university.csv") {
            if let Ok(n) = r["tech_manager_count"].parse::<u64>() {
                let e = larger.entry(r["id"].clone()).or_default();
                *e = (*e).max(n);
            }
        }
        for (id, n) in larger {
            let e = people.entry(id).or_default();
            *e = (*e).max(n);
        }
        assert_eq!(
            report.universities.len() as u64,
            summary.nodes["university"]
        );
        for row in &report.universities {
            let f = &row.funnel;
            assert_eq!(
                f.owned,
                owned.get(&row.id).copied().unwrap_or(0),
                "{}",
                row.id
            );
            let (n, amount, transfer) = contracts.get(&row.id).copied().unwrap_or_default();
            assert_eq!(
                (f.contracts, f.transfer_contracts),
                (n, transfer),
                "{}",
                row.id
            );
            assert!(
                (f.amount - amount).abs() <= 1e-6 * amount.max(1.0),
                "{}",
                row.id
            );
            assert_eq!(
                f.managers,
                people.get(&row.id).copied().unwrap_or(0),
                "{}",
                row.id
            );
            assert!(f.offered <= f.owned && f.contracted <= f.owned);
            assert_eq!(
                row.modes.iter().map(|m| m.contracts).sum::<u64>(),
                f.contracts
            );
        }
        let pilot = &report.groups[0];
        assert_eq!(pilot.group, "pilot");
        assert_eq!(
            pilot.universities as f64,
            figure(&summary, "pilot universities (2023)")
        );
        assert_eq!(
            pilot.funnel.granted as f64,
            figure(&summary, "results given ownership rights (pilot)")
        );
        assert!(
            pilot.funnel.spin_offs as f64
                >= figure(&summary, "companies incubated by the pilot universities")
        );
        let all = &report.groups[2];
        assert_eq!(
            all.funnel.owned,
            owned
                .iter()
                .filter(|(k, _)| k.starts_with("univ:"))
                .map(|(_, v)| v)
                .sum::<u64>()
        );
        // The pilot's granted results each carry one transfer, licence or equity contract.
        assert!(pilot.funnel.contracted >= pilot.funnel.granted);
        // 2024 only.
        let y2024 = universities(
            &eco,
            &UniversitiesRequest {
                years: Some((2024, 2024)),
                ..UniversitiesRequest::default()
            },
        )
        .unwrap();
        assert_eq!(
            y2024.groups[2].funnel.contracts as f64,
            figure(&summary, "university contracts signed in 2024")
        );
    }

    #[test]
    fn fixtures_count_the_aggregate_pilot_and_the_sjtu_team() {
        let t = shanghai();
        let eco = Ecosystem::load(&t.store, &universities_needs()).unwrap();
        let report = universities(&eco, &UniversitiesRequest::default()).unwrap();
        let pilot = &report.groups[0];
        // The aggregate record of the 14 pilot universities incubated 157 companies.
        assert_eq!(pilot.funnel.spin_offs, 157);
        let sjtu = report
            .universities
            .iter()
            .find(|r| r.id == "univ:sjtu")
            .unwrap();
        assert_eq!(sjtu.funnel.managers, 17);
        assert!(report.notes.iter().any(|n| n.contains("no achievement")));
        assert!(universities(
            &eco,
            &UniversitiesRequest {
                years: Some((2025, 2020)),
                ..UniversitiesRequest::default()
            }
        )
        .is_err());
    }
}
