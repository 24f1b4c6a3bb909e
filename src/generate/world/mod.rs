//! The generation steps: who exists, and who is tied to whom. Each step draws from its own
//! named random stream. Edges are streamed to their files as they are made; nodes are kept
//! (compactly) until the end because some node properties count edges.
//!
//! Structure that analyses should find:
//! - every organisation has a district and one to three fields; districts are drawn with
//!   field-specific cluster weights (biomedicine in Zhangjiang, electronics in Zizhu, …);
//! - partners are chosen preferentially (Pólya urns: the more ties an organisation has, the
//!   likelier it gets the next) and mostly within the same field or district;
//! - universities differ in size by a Zipf law: the three the source names (SJTU, Fudan,
//!   Tongji) are the largest, then the 14 pilot universities.
//!
//! The actors the source names are the fixtures' records (same ids): where the fixtures give
//! an actor's district or fields the generator uses them, and a role (pilot university, chain
//! leader, Explorer funder, high-quality incubator) goes to a fixture actor only when the
//! fixtures state it; every other role goes to synthetic actors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::rc::Rc;

mod activities;
mod actors;
mod contracts;
mod people;
mod platforms;

use super::fixtures::Fixtures;
use super::names::{self, DISTRICTS, FIELDS};
use super::output::{EdgeFiles, Table, E, N};
use super::rng::{Cumulative, Rng, Urn};
use super::{Figure, FigureUnit, GenerateError, GenerateOptions, GenerateSummary};

/// Figures of the source document (scale 1).
pub(crate) mod source {
    pub const PILOT_UNIVERSITIES: f64 = 14.0;
    pub const EXPLORER_FIRMS: f64 = 12.0;
    pub const EXPLORER_FUNDING: f64 = 1.3e8;
    pub const EXPLORER_DIRECTIONS: f64 = 149.0;
    pub const EXPLORER_PROJECTS: f64 = 157.0;
    pub const OPEN_COMPETITION_PROJECTS: f64 = 85.0;
    pub const DEMANDS: f64 = 6600.0;
    pub const ACHIEVEMENTS: f64 = 4600.0;
    pub const SOLUTIONS: f64 = 3000.0;
    pub const MATCH_RATE: f64 = 0.65;
    pub const SIGNED_AMOUNT: f64 = 8.0e8;
    pub const CONTRACTS_2024: f64 = 9179.0;
    pub const CONTRACT_AMOUNT_2024: f64 = 7.913e9;
    pub const PILOT_GRANTED: f64 = 196.0;
    pub const PILOT_TRANSFER_AMOUNT: f64 = 2.0e9;
    pub const PILOT_INCUBATED: f64 = 157.0;
    pub const PILOT_BASES: f64 = 11.0;
    pub const FUNCTIONAL_PLATFORMS: f64 = 14.0;
    pub const FUNCTIONAL_INCUBATED: f64 = 385.0;
    pub const MICROPORT_CV_PLATFORMS: f64 = 25.0;
    pub const MIRACLE_POINT_INCUBATED: f64 = 27.0;
    pub const SJTU_SPECIALISTS: f64 = 17.0;
    pub const SJTU_PROJECTS_SERVED: f64 = 400.0;
    pub const SJTU_BIOMED_CV_INCUBATED: f64 = 7.0;
}

/// Assumptions where the source gives no figure (scale 1); see docs/generator.md.
pub(crate) mod assumed {
    pub const UNIVERSITIES: f64 = 64.0;
    pub const INSTITUTES: f64 = 100.0;
    pub const ENTERPRISES: f64 = 6000.0;
    pub const CHAIN_LEADERS: f64 = 60.0;
    pub const STARTUPS: f64 = 1800.0;
    pub const INCUBATORS: f64 = 60.0;
    pub const HOSPITALS: f64 = 30.0;
    pub const INVESTORS: f64 = 30.0;
    pub const ALLIANCES: f64 = 10.0;
    pub const TECH_MANAGERS: f64 = 1200.0;
    pub const YRD_PROJECTS: f64 = 60.0;
    pub const OTHER_TRANSFER_PROJECTS: f64 = 800.0;
    pub const OTHER_CV_CENTRES: f64 = 20.0;
    pub const SPIN_OFFS: f64 = 300.0;
    pub const CORPORATE_SPIN_OFFS: f64 = 60.0;
    pub const EXTRA_COLLABORATIONS: f64 = 1500.0;
    /// Contracts fall by this factor per year going back from 2024 (i.e. +25 %/year).
    pub const CONTRACT_COUNT_FACTOR: f64 = 0.8;
    /// Contract amounts fall by this factor per year going back (i.e. +28 %/year).
    pub const CONTRACT_AMOUNT_FACTOR: f64 = 0.78;
    /// Research-institute contracts per university contract.
    pub const INSTITUTE_CONTRACT_SHARE: f64 = 0.12;
    /// Share of solutions that led to a signed agreement.
    pub const SIGNED_SHARE: f64 = 0.30;
    /// The Commission's half of the Explorer funding (the firms give the other half).
    pub const COMMISSION_EXPLORER_SHARE: f64 = 0.5;
}

const FIRST_CONTRACT_YEAR: i64 = 2015;
const LAST_CONTRACT_YEAR: i64 = 2024;

/// District and fields of an actor.
#[derive(Debug, Clone, Copy)]
struct Attr {
    district: u8,
    fields: [u8; 3],
    nf: u8,
}

impl Attr {
    fn new(district: u8, fields: &[u8]) -> Attr {
        let mut f = [0u8; 3];
        let nf = fields.len().min(3);
        f[..nf].copy_from_slice(&fields[..nf]);
        Attr {
            district,
            fields: f,
            nf: nf as u8,
        }
    }
    fn fields(&self) -> &[u8] {
        &self.fields[..self.nf as usize]
    }
    fn main(&self) -> u8 {
        self.fields[0]
    }
    fn has(&self, field: u8) -> bool {
        self.fields().contains(&field)
    }
}

/// A node reference.
type Ref = (N, u32);

/// An actor the source names: fixture id, Chinese name, English name, and the district and
/// field ids the generator assumes where the fixtures give none.
type Named = (&'static str, &'static str, &'static [&'static str]);

/// Preferential choice among the organisations of one kind, overall, by field, by district.
#[derive(Debug, Default)]
struct Pref {
    all: Urn,
    by_field: Vec<Urn>,
    by_district: Vec<Urn>,
}

impl Pref {
    fn new() -> Pref {
        Pref {
            all: Urn::default(),
            by_field: (0..FIELDS.len()).map(|_| Urn::default()).collect(),
            by_district: (0..DISTRICTS.len()).map(|_| Urn::default()).collect(),
        }
    }

    fn add(&mut self, idx: u32, attr: &Attr, balls: usize) {
        self.all.add(idx, balls);
        for f in attr.fields() {
            self.by_field[*f as usize].add(idx, balls);
        }
        self.by_district[attr.district as usize].add(idx, balls);
    }

    /// Draws within `field` with probability `p_field`, else within `district` with
    /// probability `p_district`, else overall; falls back to overall when a bucket is empty.
    fn choose(
        &self,
        rng: &mut Rng,
        field: Option<u8>,
        district: Option<u8>,
        p_field: f64,
        p_district: f64,
    ) -> u32 {
        let x = rng.f64();
        let urn = match (field, district) {
            (Some(f), _) if x < p_field => &self.by_field[f as usize],
            (_, Some(d)) if x < p_field + p_district => &self.by_district[d as usize],
            _ => &self.all,
        };
        urn.draw(rng)
            .or_else(|| self.all.draw(rng))
            .expect("preference urn is not empty")
    }
}

/// Weighted choice restricted to the members that work in a field.
struct ByField {
    all: Cumulative,
    all_idx: Vec<u32>,
    fields: Vec<(Cumulative, Vec<u32>)>,
}

impl ByField {
    fn new(weights: &[f64], attrs: &[Attr]) -> ByField {
        let fields = (0..FIELDS.len() as u8)
            .map(|f| {
                let idx: Vec<u32> = (0..attrs.len() as u32)
                    .filter(|i| attrs[*i as usize].has(f))
                    .collect();
                let cum = Cumulative::new(idx.iter().map(|i| weights[*i as usize]));
                (cum, idx)
            })
            .collect();
        ByField {
            all: Cumulative::new(weights.iter().copied()),
            all_idx: (0..weights.len() as u32).collect(),
            fields,
        }
    }

    fn choose(&self, rng: &mut Rng, field: Option<u8>) -> u32 {
        if let Some(f) = field {
            let (cum, idx) = &self.fields[f as usize];
            if !cum.is_empty() {
                return idx[cum.sample(rng)];
            }
        }
        self.all_idx[self.all.sample(rng)]
    }
}

/// Everything made so far.
struct World {
    scale: f64,
    seed: u64,
    fixtures: Rc<Fixtures>,
    tables: Vec<Table>,
    attrs: BTreeMap<N, Vec<Attr>>,
    out: EdgeFiles,
    used_names: BTreeSet<String>,
    univ_weight: Vec<f64>,
    pilots: Vec<u32>,
    univ_by_field: Option<ByField>,
    inst_weight: Vec<f64>,
    inst_by_field: Option<ByField>,
    ent_pref: Pref,
    chain_leaders: Vec<u32>,
    startups: Vec<u32>,
    explorer_firms: Vec<u32>,
    hospitals: Vec<u32>,
    ach_of_univ: Vec<Vec<u32>>,
    ach_of_inst: Vec<Vec<u32>>,
    ach_by_field: Vec<Vec<u32>>,
    granted: Vec<u32>,
    projects_of_univ: Vec<Vec<u32>>,
    projects_by_field: Vec<Vec<u32>>,
    sjtu_projects: Vec<u32>,
    cv_platforms: Vec<u32>,
    functional_platforms: Vec<u32>,
    collab: BTreeMap<(String, String), (u32, i64)>,
    incubated: BTreeSet<(Ref, u32)>,
    spun: BTreeSet<(u32, Ref)>,
    startup_used: Vec<bool>,
    startup_cursor: Vec<usize>,
    startup_pools: Vec<Vec<u32>>,
    tm_count: Vec<u32>,
    tm_serial: usize,
    figures: Vec<Figure>,
}

/// Builds a name with a brand (字号) of two syllables, or three when two collide, unique
/// among generated names.
fn brand(rng: &mut Rng, syllables: usize) -> (String, String) {
    let (a, ae) = rng.pick(names::BRAND_FIRST);
    let (b, be) = rng.pick(names::BRAND_SECOND);
    let mut zh = format!("{a}{b}");
    let mut en = format!("{ae}{be}");
    if syllables > 2 {
        let (c, ce) = rng.pick(names::BRAND_SECOND);
        zh.push_str(c);
        en.push_str(ce);
    }
    (zh, en)
}

fn fmt_amount(x: f64) -> String {
    format!("{x:.2}")
}

/// Scales `raw` so it sums to `total`, rounding each to cents.
fn normalise(raw: &mut [f64], total: f64) {
    let sum: f64 = raw.iter().sum();
    if sum > 0.0 {
        for x in raw.iter_mut() {
            *x = (*x * total / sum * 100.0).round() / 100.0;
        }
    }
}

/// Splits `total` into `parts` heavy-tailed whole shares of at least 1 (largest remainder).
fn split_count(rng: &mut Rng, total: usize, parts: usize, sigma: f64) -> Vec<usize> {
    if parts == 0 {
        return Vec::new();
    }
    let mut out = vec![1usize; parts];
    let rest = total.saturating_sub(parts);
    let raw: Vec<f64> = (0..parts).map(|_| rng.lognormal(1.0, sigma)).collect();
    let sum: f64 = raw.iter().sum();
    let exact: Vec<f64> = raw.iter().map(|r| r / sum * rest as f64).collect();
    let mut given = 0;
    for (o, e) in out.iter_mut().zip(&exact) {
        *o += e.floor() as usize;
        given += e.floor() as usize;
    }
    let mut order: Vec<usize> = (0..parts).collect();
    order.sort_by(|a, b| {
        let fa = exact[*a] - exact[*a].floor();
        let fb = exact[*b] - exact[*b].floor();
        fb.total_cmp(&fa).then(a.cmp(b))
    });
    for i in order.into_iter().take(rest - given) {
        out[i] += 1;
    }
    out
}

/// Year drawn with weights growing by `growth` per year over lo..=hi.
fn growing_year(rng: &mut Rng, lo: i64, hi: i64, growth: f64) -> i64 {
    let w: Vec<f64> = (lo..=hi).map(|y| growth.powi((y - lo) as i32)).collect();
    lo + rng.weighted(&w) as i64
}

impl World {
    fn n(&self, base: f64) -> usize {
        ((base * self.scale).round() as usize).max(1)
    }

    fn rng(&self, tag: &str) -> Rng {
        Rng::stream(self.seed, tag)
    }

    fn t(&mut self, n: N) -> &mut Table {
        &mut self.tables[n as usize]
    }

    fn id(&self, r: Ref) -> &str {
        self.tables[r.0 as usize].id(r.1)
    }

    fn attr(&self, r: Ref) -> Attr {
        self.attrs[&r.0][r.1 as usize]
    }

    /// District and fields of an actor the source names: the fixtures' `located_in` and
    /// `in_field` ties where they have them, else the generator's assumption.
    fn named_attr(&self, id: &str, district: &str, fields: &[&str]) -> Attr {
        let tail = |x: &str| x.split_once(':').map_or(x, |(_, s)| s).to_string();
        let district = self
            .fixtures
            .targets(id, "located_in")
            .first()
            .map_or_else(|| district.to_string(), |d| tail(d));
        let mut given: Vec<String> = self
            .fixtures
            .targets(id, "in_field")
            .iter()
            .map(|f| tail(f))
            .collect();
        if given.is_empty() {
            given = fields.iter().map(|f| f.to_string()).collect();
        }
        let f: Vec<u8> = given.iter().map(|f| names::field(f)).collect();
        Attr::new(names::district(&district), &f)
    }

    fn emit(&mut self, e: E, s: Ref, t: Ref, cells: &[&str]) -> Result<(), GenerateError> {
        let (a, b) = (&self.tables[s.0 as usize], &self.tables[t.0 as usize]);
        self.out.emit(e, a.id(s.1), b.id(t.1), cells)
    }

    fn unique_name(
        &mut self,
        rng: &mut Rng,
        make: impl Fn(&str, &str) -> (String, String),
    ) -> (String, String) {
        for attempt in 0..24 {
            let (bz, be) = brand(rng, if attempt < 8 { 2 } else { 3 });
            let (zh, en) = make(&bz, &be);
            if self.used_names.insert(zh.clone()) {
                return (zh, en);
            }
        }
        let (bz, be) = brand(rng, 3);
        let (zh, en) = make(&bz, &be);
        let k = self.used_names.len();
        let zh = format!("{zh}（{k}）");
        self.used_names.insert(zh.clone());
        (zh, format!("{en} ({k})"))
    }

    /// District drawn by base weights times the clusters of `field` (or `weights` if given).
    fn draw_district(rng: &mut Rng, field: u8, shanghai_only: bool) -> u8 {
        let f = &FIELDS[field as usize];
        let w: Vec<f64> = DISTRICTS
            .iter()
            .map(|d| {
                if shanghai_only && d.area == "province" {
                    return 0.0;
                }
                let boost = f
                    .clusters
                    .iter()
                    .find(|(id, _)| *id == d.id)
                    .map_or(1.0, |(_, m)| *m);
                d.weight * boost
            })
            .collect();
        rng.weighted(&w) as u8
    }

    fn draw_fields(rng: &mut Rng, max: usize) -> Vec<u8> {
        let w: Vec<f64> = FIELDS.iter().map(|f| f.weight).collect();
        let k = 1 + rng.below(max);
        let mut out = Vec::new();
        let mut tries = 0;
        while out.len() < k && tries < 20 {
            let f = rng.weighted(&w) as u8;
            if !out.contains(&f) {
                out.push(f);
            }
            tries += 1;
        }
        out
    }

    /// Records an organisation's attributes and writes its located_in / in_field edges.
    fn place(&mut self, r: Ref, attr: Attr) -> Result<(), GenerateError> {
        self.attrs.entry(r.0).or_default().push(attr);
        debug_assert_eq!(self.attrs[&r.0].len() as u32, r.1 + 1);
        self.emit(
            E::LocatedIn,
            r,
            (N::District, u32::from(attr.district)),
            &[],
        )?;
        for f in attr.fields() {
            self.emit(E::InField, r, (N::Field, u32::from(*f)), &[])?;
        }
        Ok(())
    }

    fn note_collab(&mut self, a: Ref, b: Ref, year: i64) {
        if a == b {
            return;
        }
        let (x, y) = (self.id(a).to_string(), self.id(b).to_string());
        let key = if x < y { (x, y) } else { (y, x) };
        let entry = self.collab.entry(key).or_insert((0, year));
        entry.0 += 1;
        entry.1 = entry.1.min(year);
    }

    fn figure(&mut self, label: &'static str, target: f64, actual: f64, unit: FigureUnit) {
        self.figures.push(Figure {
            label,
            target,
            actual,
            unit,
            at_least: false,
        });
    }

    /// A figure the source gives as a lower bound ("more than").
    fn figure_at_least(&mut self, label: &'static str, target: f64, actual: f64, unit: FigureUnit) {
        self.figures.push(Figure {
            label,
            target,
            actual,
            unit,
            at_least: true,
        });
    }

    // ---- choosing partners ----------------------------------------------------------------

    fn pick_univ(&self, rng: &mut Rng, field: Option<u8>) -> u32 {
        self.univ_by_field
            .as_ref()
            .expect("universities")
            .choose(rng, field)
    }

    fn pick_inst(&self, rng: &mut Rng, field: Option<u8>) -> u32 {
        self.inst_by_field
            .as_ref()
            .expect("institutes")
            .choose(rng, field)
    }

    /// A university (share `p_univ`) or research institute working in `field`.
    fn pick_research(&self, rng: &mut Rng, field: Option<u8>, p_univ: f64) -> Ref {
        if rng.chance(p_univ) {
            (N::University, self.pick_univ(rng, field))
        } else {
            (N::Institute, self.pick_inst(rng, field))
        }
    }

    /// An enterprise, preferentially attached, mostly in `field`, and counted as a new tie.
    fn pick_ent(&mut self, rng: &mut Rng, field: Option<u8>, district: Option<u8>) -> u32 {
        let e = self.ent_pref.choose(rng, field, district, 0.6, 0.15);
        let attr = self.attrs[&N::Enterprise][e as usize];
        self.ent_pref.add(e, &attr, 1);
        e
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Runs every step and writes the files.
pub(crate) fn run(options: GenerateOptions, dir: &Path) -> Result<GenerateSummary, GenerateError> {
    let fixtures = Rc::new(Fixtures::shanghai());
    let mut w = World {
        scale: options.scale,
        seed: options.seed,
        fixtures: Rc::clone(&fixtures),
        tables: N::ALL.iter().map(|n| Table::new(*n)).collect(),
        attrs: BTreeMap::new(),
        out: EdgeFiles::create(dir, fixtures)?,
        used_names: BTreeSet::new(),
        univ_weight: Vec::new(),
        pilots: Vec::new(),
        univ_by_field: None,
        inst_weight: Vec::new(),
        inst_by_field: None,
        ent_pref: Pref::new(),
        chain_leaders: Vec::new(),
        startups: Vec::new(),
        startup_used: Vec::new(),
        explorer_firms: Vec::new(),
        hospitals: Vec::new(),
        ach_of_univ: Vec::new(),
        ach_of_inst: Vec::new(),
        ach_by_field: vec![Vec::new(); FIELDS.len()],
        granted: Vec::new(),
        projects_of_univ: Vec::new(),
        projects_by_field: vec![Vec::new(); FIELDS.len()],
        sjtu_projects: Vec::new(),
        cv_platforms: Vec::new(),
        functional_platforms: Vec::new(),
        collab: BTreeMap::new(),
        incubated: BTreeSet::new(),
        spun: BTreeSet::new(),
        startup_cursor: Vec::new(),
        startup_pools: Vec::new(),
        tm_count: Vec::new(),
        tm_serial: 0,
        figures: Vec::new(),
    };
    w.context()?;
    w.universities()?;
    w.institutes()?;
    w.enterprises()?;
    w.startup_used = vec![false; w.tables[N::Enterprise as usize].len()];
    w.tm_count = vec![0; w.univ_weight.len()];
    w.incubators_and_others()?;
    w.explorer()?;
    w.other_projects()?;
    w.achievements()?;
    w.demands_and_solutions()?;
    w.contracts()?;
    w.platforms()?;
    w.incubation()?;
    w.tech_managers()?;
    w.collaborations()?;

    let s = w.scale;
    let n_univ = w.tables[N::University as usize].len();
    let granted = w.granted.len();
    let explorer_firms = w.explorer_firms.len();
    let mut head = vec![
        Figure {
            label: "universities (assumed 64)",
            target: assumed::UNIVERSITIES * s,
            actual: n_univ as f64,
            unit: FigureUnit::Count,
            at_least: false,
        },
        Figure {
            label: "pilot universities (2023)",
            target: source::PILOT_UNIVERSITIES * s,
            actual: w.pilots.len() as f64,
            unit: FigureUnit::Count,
            at_least: false,
        },
        Figure {
            label: "results given ownership rights (pilot)",
            target: source::PILOT_GRANTED * s,
            actual: granted as f64,
            unit: FigureUnit::Count,
            at_least: false,
        },
        Figure {
            label: "Explorer firms",
            target: source::EXPLORER_FIRMS * s,
            actual: explorer_firms as f64,
            unit: FigureUnit::Count,
            at_least: false,
        },
        Figure {
            label: "Explorer guide directions",
            target: source::EXPLORER_DIRECTIONS * s,
            actual: w.n(source::EXPLORER_DIRECTIONS) as f64,
            unit: FigureUnit::Count,
            at_least: false,
        },
        Figure {
            label: "Explorer projects",
            target: source::EXPLORER_PROJECTS * s,
            actual: w.n(source::EXPLORER_PROJECTS) as f64,
            unit: FigureUnit::Count,
            at_least: false,
        },
        Figure {
            label: "open-competition projects",
            target: source::OPEN_COMPETITION_PROJECTS * s,
            actual: w.n(source::OPEN_COMPETITION_PROJECTS) as f64,
            unit: FigureUnit::Count,
            at_least: false,
        },
        Figure {
            label: "achievements (InnoMatch results)",
            target: source::ACHIEVEMENTS * s,
            actual: w.tables[N::Achievement as usize].len() as f64,
            unit: FigureUnit::Count,
            at_least: false,
        },
    ];
    head.append(&mut w.figures);

    let mut files = Vec::new();
    let mut nodes = BTreeMap::new();
    for t in &w.tables {
        let (path, written) = t.write(dir, &w.fixtures)?;
        files.push(path);
        nodes.insert(t.n.kind().to_string(), written);
    }
    let edges = E::ALL
        .iter()
        .map(|e| (e.kind().to_string(), w.out.count(*e)))
        .collect();
    files.extend(w.out.finish()?);
    Ok(GenerateSummary {
        options,
        files,
        nodes,
        edges,
        figures: head,
    })
}
