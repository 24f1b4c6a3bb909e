//! The generation steps: who exists, and who is tied to whom. Each step draws from its own
//! named random stream. Edges are streamed to their files as they are made; nodes are kept
//! (compactly) until the end because some node properties count edges.
//!
//! Structure that analyses should find:
//! - every organisation has a district and one to three fields; districts are drawn with
//!   field-specific cluster weights (biomedicine in Zhangjiang, electronics in Zizhu, …);
//! - partners are chosen preferentially (Pólya urns: the more ties an organisation has, the
//!   likelier it gets the next) and mostly within the same field or district;
//! - universities differ in size by a Zipf law, the 14 pilot universities being the largest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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
    /// Zizhu's support for the SJTU–Zizhu centre (fixed: one agreement).
    pub const ZIZHU_SUPPORT: f64 = 1.0e8;
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
    tables: Vec<Table>,
    attrs: BTreeMap<N, Vec<Attr>>,
    out: EdgeFiles,
    used_names: BTreeSet<String>,
    univ_weight: Vec<f64>,
    n_pilot: usize,
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

    // ---- context: districts, fields, programmes, agencies -------------------------------

    fn context(&mut self) -> Result<(), GenerateError> {
        for d in DISTRICTS {
            self.t(N::District).push(
                format!("district:{}", d.id),
                d.zh.into(),
                d.en,
                &[("district_type", d.area.into())],
            );
        }
        for f in FIELDS {
            self.t(N::Field)
                .push(format!("field:{}", f.id), f.zh.into(), f.en, &[]);
        }
        let directions = self.n(source::EXPLORER_DIRECTIONS);
        let explorer_amount = source::EXPLORER_FUNDING * self.scale;
        let programmes: [(&str, &str, &str, Option<i64>); 9] = [
            ("explorer", "探索者计划", "Explorer Programme", Some(2021)),
            (
                "open_competition",
                "“揭榜挂帅”科技攻关项目",
                "Open-competition (jiebang guashuai) projects",
                Some(2020),
            ),
            (
                "yrd_joint",
                "长三角科技创新共同体联合攻关",
                "Yangtze River Delta joint research",
                None,
            ),
            (
                "pilot_reform_2023",
                "科技成果转化创新改革试点",
                "Technology-transfer reform pilot",
                Some(2023),
            ),
            (
                "action_plan_2024",
                "上海市促进科技成果转移转化行动方案（2024-2027年）",
                "Shanghai technology-transfer action plan 2024-2027",
                Some(2024),
            ),
            (
                "dalinghao",
                "大零号湾科技创新策源功能区政策",
                "Dalinghao Bay innovation-source zone policy",
                None,
            ),
            (
                "taozhan",
                "技术经理人“淘展”活动",
                "Technology-manager Taozhan events",
                None,
            ),
            (
                "taojin",
                "技术经理人“淘金”合伙人计划",
                "Technology-manager Taojin partner plan",
                None,
            ),
            (
                "dongfang",
                "东方英才计划",
                "Oriental Talents programme",
                None,
            ),
        ];
        for (id, zh, en, since) in programmes {
            let mut props = vec![("since", since.map(|y| y.to_string()).unwrap_or_default())];
            if id == "explorer" {
                props.push(("amount", fmt_amount(explorer_amount)));
                props.push(("guide_directions", directions.to_string()));
            }
            self.t(N::Programme)
                .push(format!("prog:{id}"), zh.into(), en, &props);
        }
        // The Explorer Programme's fields as the source names them.
        for f in ["information", "aviation", "materials"] {
            self.emit(
                E::InField,
                (N::Programme, 0),
                (N::Field, u32::from(names::field(f))),
                &[],
            )?;
        }
        let agencies = [
            (
                "stcsm",
                "上海市科学技术委员会",
                "Shanghai Science and Technology Commission",
                "xuhui",
            ),
            (
                "sast",
                "上海市科学技术协会",
                "Shanghai Association for Science and Technology",
                "huangpu",
            ),
            (
                "talent",
                "上海市人才工作局",
                "Shanghai Talent Bureau",
                "huangpu",
            ),
            (
                "hrss",
                "上海市人力资源和社会保障局",
                "Shanghai Human Resources and Social Security Bureau",
                "huangpu",
            ),
            (
                "sheitc",
                "上海市经济和信息化委员会",
                "Shanghai Economy and Informatization Commission",
                "huangpu",
            ),
            (
                "jiangsu_st",
                "江苏省科学技术厅",
                "Jiangsu Department of Science and Technology",
                "jiangsu",
            ),
            (
                "zhejiang_st",
                "浙江省科学技术厅",
                "Zhejiang Department of Science and Technology",
                "zhejiang",
            ),
            (
                "anhui_st",
                "安徽省科学技术厅",
                "Anhui Department of Science and Technology",
                "anhui",
            ),
        ];
        for (id, zh, en, district) in agencies {
            let i = self
                .t(N::Agency)
                .push(format!("agency:{id}"), zh.into(), en, &[]);
            self.attrs
                .entry(N::Agency)
                .or_default()
                .push(Attr::new(names::district(district), &[]));
            self.emit(
                E::LocatedIn,
                (N::Agency, i),
                (N::District, u32::from(names::district(district))),
                &[],
            )?;
        }
        // Programme support.
        let prog = |name: &str| -> Ref {
            let i = programmes
                .iter()
                .position(|p| p.0 == name)
                .expect("programme");
            (N::Programme, i as u32)
        };
        let agency = |name: &str| -> Ref {
            let i = agencies.iter().position(|a| a.0 == name).expect("agency");
            (N::Agency, i as u32)
        };
        let stcsm_share = explorer_amount * assumed::COMMISSION_EXPLORER_SHARE;
        self.emit(
            E::Funds,
            agency("stcsm"),
            prog("explorer"),
            &[&fmt_amount(stcsm_share), "2021"],
        )?;
        let supports: [(&str, &str, &str); 11] = [
            ("stcsm", "open_competition", "2020"),
            ("stcsm", "pilot_reform_2023", "2023"),
            ("stcsm", "action_plan_2024", "2024"),
            ("stcsm", "yrd_joint", ""),
            ("jiangsu_st", "yrd_joint", ""),
            ("zhejiang_st", "yrd_joint", ""),
            ("anhui_st", "yrd_joint", ""),
            ("stcsm", "taozhan", ""),
            ("stcsm", "taojin", ""),
            ("talent", "dongfang", ""),
            ("hrss", "dongfang", ""),
        ];
        for (a, p, year) in supports {
            self.emit(E::Supports, agency(a), prog(p), &["", year])?;
        }
        self.emit(
            E::Supports,
            (N::District, u32::from(names::district("minhang"))),
            prog("dalinghao"),
            &["", ""],
        )?;
        Ok(())
    }

    // ---- organisations --------------------------------------------------------------------

    fn universities(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("universities");
        let named: [(&str, &str, &str, &str, &[&str]); 3] = [
            (
                "sjtu",
                "上海交通大学",
                "Shanghai Jiao Tong University",
                "minhang",
                &[
                    "electronic_information",
                    "biomedicine",
                    "intelligent_robots",
                ],
            ),
            (
                "fudan",
                "复旦大学",
                "Fudan University",
                "yangpu",
                &["biomedicine", "information", "green_low_carbon"],
            ),
            (
                "tongji",
                "同济大学",
                "Tongji University",
                "yangpu",
                &["green_low_carbon", "materials", "intelligent_robots"],
            ),
        ];
        let n = self.n(assumed::UNIVERSITIES).max(named.len());
        self.n_pilot = self.n(source::PILOT_UNIVERSITIES).min(n);
        let kinds = [
            ("大学", "University"),
            ("理工大学", "University of Technology"),
            ("科技大学", "University of Science and Technology"),
            ("医科大学", "Medical University"),
            ("师范大学", "Normal University"),
            ("工程大学", "Engineering University"),
            (
                "电子科技大学",
                "University of Electronic Science and Technology",
            ),
            ("航空大学", "Aviation University"),
        ];
        let univ_districts: Vec<f64> = DISTRICTS
            .iter()
            .map(|d| match d.id {
                "yangpu" | "songjiang" => 6.0,
                "minhang" => 5.0,
                "xuhui" | "pudong" => 4.0,
                "baoshan" | "fengxian" | "lingang" | "putuo" | "changning" | "jiading" => 2.0,
                "hongkou" | "jingan" | "huangpu" => 1.0,
                _ => 0.0,
            })
            .collect();
        for i in 0..n {
            let pilot = i < self.n_pilot;
            let (id, zh, en, attr) = if let Some((id, zh, en, d, fields)) = named.get(i) {
                let f: Vec<u8> = fields.iter().map(|f| names::field(f)).collect();
                (
                    format!("univ:{id}"),
                    zh.to_string(),
                    en.to_string(),
                    Attr::new(names::district(d), &f),
                )
            } else {
                let fields = Self::draw_fields(&mut rng, 3);
                let district = rng.weighted(&univ_districts) as u8;
                let (kz, ke) = *rng.pick(&kinds);
                let (zh, en) = self.unique_name(&mut rng, |b, be| {
                    (format!("上海{b}{kz}"), format!("Shanghai {be} {ke}"))
                });
                (
                    format!("univ:{:04}", i + 1),
                    zh,
                    en,
                    Attr::new(district, &fields),
                )
            };
            let idx = self
                .t(N::University)
                .push(id, zh, en, &[("pilot_2023", pilot.to_string())]);
            self.place((N::University, idx), attr)?;
            // Zipf sizes: the pilots are the largest universities.
            self.univ_weight.push(1.0 / (i as f64 + 1.0));
        }
        self.ach_of_univ = vec![Vec::new(); n];
        self.projects_of_univ = vec![Vec::new(); n];
        self.univ_by_field = Some(ByField::new(&self.univ_weight, &self.attrs[&N::University]));
        Ok(())
    }

    fn institutes(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("institutes");
        let n = self.n(assumed::INSTITUTES);
        for i in 0..n {
            let fields = Self::draw_fields(&mut rng, 2);
            let district = Self::draw_district(&mut rng, fields[0], false);
            let city = DISTRICTS[district as usize].city_zh;
            let city_en = DISTRICTS[district as usize].city_en;
            let f = &FIELDS[fields[0] as usize];
            let (zh, en) = self.unique_name(&mut rng, |b, be| {
                (
                    format!("{city}{b}{}研究院", f.zh),
                    format!("{city_en} {be} {} Research Institute", f.trade_en),
                )
            });
            let idx = self
                .t(N::Institute)
                .push(format!("inst:{:04}", i + 1), zh, en, &[]);
            self.place((N::Institute, idx), Attr::new(district, &fields))?;
            self.inst_weight.push(rng.lognormal(1.0, 0.8));
        }
        self.ach_of_inst = vec![Vec::new(); n];
        self.inst_by_field = Some(ByField::new(&self.inst_weight, &self.attrs[&N::Institute]));
        Ok(())
    }

    fn enterprises(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("enterprises");
        let named: [(&str, &str, &str, &str, &[&str]); 6] = [
            (
                "united_imaging",
                "上海联影医疗科技股份有限公司",
                "United Imaging Healthcare",
                "jiading",
                &["medical_devices", "artificial_intelligence"],
            ),
            (
                "comac_sadri",
                "中国商飞上海飞机设计研究院",
                "COMAC Shanghai Aircraft Design and Research Institute",
                "pudong",
                &["aviation", "materials"],
            ),
            (
                "microport",
                "上海微创医疗器械（集团）有限公司",
                "MicroPort Scientific",
                "zhangjiang",
                &["medical_devices", "biomedicine", "intelligent_robots"],
            ),
            (
                "shanghai_electric_nuclear",
                "上海电气核电集团有限公司",
                "Shanghai Electric Nuclear Power Group",
                "minhang",
                &["nuclear_power", "materials"],
            ),
            (
                "catl",
                "宁德时代新能源科技股份有限公司",
                "Contemporary Amperex Technology (CATL)",
                "lingang",
                &["new_energy", "green_low_carbon"],
            ),
            (
                "lingang_group",
                "上海临港经济发展（集团）有限公司",
                "Shanghai Lingang Economic Development Group",
                "lingang",
                &["integrated_circuits", "intelligent_robots"],
            ),
        ];
        let n = self.n(assumed::ENTERPRISES).max(named.len() + 2);
        let n_leaders = self.n(assumed::CHAIN_LEADERS).max(named.len()).min(n);
        let n_startups = self.n(assumed::STARTUPS).min(n - n_leaders);
        let first_startup = n - n_startups;
        let forms = [
            ("有限公司", "Co., Ltd."),
            ("股份有限公司", "Co., Ltd."),
            ("有限公司", "Co., Ltd."),
        ];
        for i in 0..n {
            let leader = i < n_leaders;
            let startup = i >= first_startup;
            let (id, zh, en, attr) = if let Some((id, zh, en, d, fields)) = named.get(i) {
                let f: Vec<u8> = fields.iter().map(|f| names::field(f)).collect();
                (
                    format!("ent:{id}"),
                    zh.to_string(),
                    en.to_string(),
                    Attr::new(names::district(d), &f),
                )
            } else {
                let fields = Self::draw_fields(&mut rng, if leader { 3 } else { 2 });
                let district = Self::draw_district(&mut rng, fields[0], false);
                let dd = &DISTRICTS[district as usize];
                let f = &FIELDS[fields[0] as usize];
                let (form, form_en) = if leader { forms[1] } else { *rng.pick(&forms) };
                let (city, city_en) = (dd.city_zh, dd.city_en);
                let (zh, en) = self.unique_name(&mut rng, |b, be| {
                    (
                        format!("{city}{b}{}{form}", f.trade_zh),
                        format!("{city_en} {be} {} {form_en}", f.trade_en),
                    )
                });
                (
                    format!("ent:{:06}", i + 1),
                    zh,
                    en,
                    Attr::new(district, &fields),
                )
            };
            let founded = if startup {
                rng.range(2014, 2024)
            } else if leader {
                rng.range(1950, 2012)
            } else {
                rng.range(1985, 2020)
            };
            let sme = !leader && (startup || rng.chance(0.85));
            let idx = self.t(N::Enterprise).push(
                id,
                zh,
                en,
                &[
                    ("chain_leader", leader.to_string()),
                    ("sme", sme.to_string()),
                    ("founded", founded.to_string()),
                ],
            );
            self.place((N::Enterprise, idx), attr)?;
            let balls = if leader {
                40
            } else if startup {
                1
            } else if sme {
                2
            } else {
                6
            };
            self.ent_pref.add(idx, &attr, balls);
            if leader {
                self.chain_leaders.push(idx);
            }
            if startup {
                self.startups.push(idx);
            }
        }
        // Startup pools by main field, shuffled, for incubation and spin-offs.
        let mut pools = vec![Vec::new(); FIELDS.len()];
        for s in &self.startups {
            pools[self.attrs[&N::Enterprise][*s as usize].main() as usize].push(*s);
        }
        for p in &mut pools {
            rng.shuffle(p);
        }
        let mut all = self.startups.clone();
        rng.shuffle(&mut all);
        pools.push(all);
        self.startup_cursor = vec![0; pools.len()];
        self.startup_pools = pools;
        Ok(())
    }

    fn incubators_and_others(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("incubators");
        let named: [(&str, &str, &str, &str, &[&str], Option<bool>); 3] = [
            (
                "miracle_point",
                "奇迹点孵化器",
                "Miracle Point Incubator",
                "zhangjiang",
                &["medical_devices", "biomedicine"],
                None,
            ),
            (
                "xinze",
                "莘泽孵化器",
                "Xinze Incubator",
                "minhang",
                &["electronic_information", "artificial_intelligence"],
                Some(true),
            ),
            (
                "eastern_center",
                "国家技术转移东部中心",
                "National Technology Transfer Eastern Center",
                "yangpu",
                &["information", "green_low_carbon", "materials"],
                None,
            ),
        ];
        let n = self.n(assumed::INCUBATORS).max(named.len());
        for i in 0..n {
            let (id, zh, en, attr, hq) = if let Some((id, zh, en, d, fields, hq)) = named.get(i) {
                let f: Vec<u8> = fields.iter().map(|f| names::field(f)).collect();
                (
                    format!("inc:{id}"),
                    zh.to_string(),
                    en.to_string(),
                    Attr::new(names::district(d), &f),
                    *hq,
                )
            } else {
                let fields = Self::draw_fields(&mut rng, 3);
                let district = Self::draw_district(&mut rng, fields[0], true);
                let transfer = rng.chance(0.3);
                let (zh, en) = self.unique_name(&mut rng, |b, be| {
                    if transfer {
                        (
                            format!("上海{b}技术转移中心"),
                            format!("Shanghai {be} Technology Transfer Center"),
                        )
                    } else {
                        (
                            format!("上海{b}科技企业孵化器"),
                            format!("Shanghai {be} Incubator"),
                        )
                    }
                });
                let hq = rng.chance(0.25);
                (
                    format!("inc:{:04}", i + 1),
                    zh,
                    en,
                    Attr::new(district, &fields),
                    Some(hq),
                )
            };
            let props = [(
                "high_quality",
                hq.map(|b| b.to_string()).unwrap_or_default(),
            )];
            let idx = self.t(N::Incubator).push(id, zh, en, &props);
            self.place((N::Incubator, idx), attr)?;
        }
        // Hospitals, investors, industry alliances.
        let mut rng = self.rng("organisations");
        let groups = [
            ("hospital", assumed::HOSPITALS),
            ("investor", assumed::INVESTORS),
            ("alliance", assumed::ALLIANCES),
        ];
        let mut i = 0;
        for (kind, base) in groups {
            for _ in 0..self.n(base) {
                let fields = match kind {
                    "hospital" => vec![names::field(if rng.chance(0.5) {
                        "biomedicine"
                    } else {
                        "medical_devices"
                    })],
                    _ => Self::draw_fields(&mut rng, 3),
                };
                let district = Self::draw_district(&mut rng, fields[0], true);
                let f = &FIELDS[fields[0] as usize];
                let (zh, en) = self.unique_name(&mut rng, |b, be| match kind {
                    "hospital" => (format!("上海{b}医院"), format!("Shanghai {be} Hospital")),
                    "investor" => (
                        format!("上海{b}创业投资有限公司"),
                        format!("Shanghai {be} Venture Capital Co., Ltd."),
                    ),
                    _ => (
                        format!("上海{b}{}产业联盟", f.zh),
                        format!("Shanghai {be} {} Industry Alliance", f.en),
                    ),
                });
                let idx = self.t(N::Organisation).push(
                    format!("org:{:04}", i + 1),
                    zh,
                    en,
                    &[("org_type", kind.into())],
                );
                self.place((N::Organisation, idx), Attr::new(district, &fields))?;
                if kind == "hospital" {
                    self.hospitals.push(idx);
                }
                i += 1;
            }
        }
        Ok(())
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

    // ---- projects and programmes ------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn project(
        &mut self,
        programme: Option<u32>,
        name: (String, String),
        field: u8,
        year: i64,
        amount: Option<f64>,
        lead: Ref,
        participants: &[(Ref, &str)],
        direction: Option<String>,
    ) -> Result<u32, GenerateError> {
        let prog_id = programme.map(|p| self.tables[N::Programme as usize].id(p).to_string());
        let code = self.tables[N::Project as usize].len() + 1;
        let amount_s = amount.map(fmt_amount).unwrap_or_default();
        let year_s = year.to_string();
        let idx = self.t(N::Project).push(
            format!("proj:{code:06}"),
            name.0,
            name.1,
            &[
                ("programme", prog_id.unwrap_or_default()),
                ("year", year_s.clone()),
                ("amount", amount_s.clone()),
                ("guide_direction", direction.unwrap_or_default()),
            ],
        );
        let me = (N::Project, idx);
        let district = self.attr(lead).district;
        self.place(me, Attr::new(district, &[field]))?;
        if let Some(p) = programme {
            self.emit(E::PartOf, me, (N::Programme, p), &[])?;
        }
        self.emit(E::Leads, lead, me, &["", &amount_s, &year_s])?;
        let mut seen = vec![lead];
        for (p, role) in participants {
            if seen.contains(p) {
                continue;
            }
            seen.push(*p);
            self.emit(E::ParticipatesIn, *p, me, &[role, "", &year_s])?;
            self.note_collab(lead, *p, year);
        }
        if lead.0 == N::University {
            self.projects_of_univ[lead.1 as usize].push(idx);
        }
        self.projects_by_field[field as usize].push(idx);
        Ok(idx)
    }

    fn project_name(rng: &mut Rng, field: u8, code: &str) -> (String, String) {
        let topics = [
            ("关键技术研究", "key technology research"),
            ("共性技术攻关", "generic technology development"),
            ("前沿技术探索", "frontier exploration"),
            ("工程化验证", "engineering validation"),
            ("产业化应用示范", "industrial demonstration"),
            ("底层技术研发", "foundational technology"),
        ];
        let f = &FIELDS[field as usize];
        let noun = rng.pick(f.nouns);
        let (t, te) = rng.pick(&topics);
        (
            format!("{noun}{t}（{code}）"),
            format!("{}: {te} ({code})", f.en),
        )
    }

    fn explorer(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("explorer");
        let n_firms = self.n(source::EXPLORER_FIRMS).min(self.chain_leaders.len());
        // United Imaging and COMAC's design institute are named; the rest are chain leaders.
        let mut others: Vec<u32> = self.chain_leaders[6.min(self.chain_leaders.len())..].to_vec();
        rng.shuffle(&mut others);
        let mut firms: Vec<u32> = vec![0, 1];
        firms.extend(others);
        firms.extend(2..6);
        firms.truncate(n_firms);
        let firm_total =
            source::EXPLORER_FUNDING * self.scale * (1.0 - assumed::COMMISSION_EXPLORER_SHARE);
        let mut shares: Vec<f64> = firms.iter().map(|_| rng.lognormal(1.0, 0.5)).collect();
        normalise(&mut shares, firm_total);
        for (f, amount) in firms.iter().zip(&shares) {
            let year = rng.range(2021, 2024).to_string();
            self.emit(
                E::Funds,
                (N::Enterprise, *f),
                (N::Programme, 0),
                &[&fmt_amount(*amount), &year],
            )?;
        }
        self.explorer_firms = firms.clone();
        // Guide directions: each published by one firm, in one of its fields.
        let n_dir = self.n(source::EXPLORER_DIRECTIONS);
        let directions: Vec<(u32, u8)> = (0..n_dir)
            .map(|_| {
                let f = *rng.pick(&firms);
                let fields = self.attrs[&N::Enterprise][f as usize];
                (f, *rng.pick(fields.fields()))
            })
            .collect();
        let n_proj = self.n(source::EXPLORER_PROJECTS);
        let mut order: Vec<usize> = (0..n_dir).collect();
        rng.shuffle(&mut order);
        while order.len() < n_proj {
            order.push(rng.below(n_dir));
        }
        order.truncate(n_proj);
        let mut amounts: Vec<f64> = (0..n_proj).map(|_| rng.lognormal(1.0, 0.6)).collect();
        normalise(&mut amounts, source::EXPLORER_FUNDING * self.scale);
        for (k, d) in order.iter().enumerate() {
            let (firm, field) = directions[*d];
            let year = rng.range(2021, 2025);
            let lead = self.pick_research(&mut rng, Some(field), 0.8);
            let code = format!("EXP-{year}-{:04}", k + 1);
            let name = Self::project_name(&mut rng, field, &code);
            let mut parts = Vec::new();
            if rng.chance(0.4) {
                parts.push(((N::Enterprise, firm), "partner"));
            }
            if rng.chance(0.3) {
                parts.push((
                    self.pick_research(&mut rng, Some(field), 0.7),
                    "participant",
                ));
            }
            let p = self.project(
                Some(0),
                name,
                field,
                year,
                Some(amounts[k]),
                lead,
                &parts,
                Some(format!("EXP-D{:03}", d + 1)),
            )?;
            self.emit(
                E::Funds,
                (N::Enterprise, firm),
                (N::Project, p),
                &["", &year.to_string()],
            )?;
        }
        Ok(())
    }

    fn other_projects(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("projects");
        let field_w: Vec<f64> = FIELDS.iter().map(|f| f.weight).collect();
        // Open competition (揭榜挂帅): a firm sets the problem and funds it; a team takes it.
        for k in 0..self.n(source::OPEN_COMPETITION_PROJECTS) {
            let field = rng.weighted(&field_w) as u8;
            let poser = self.ent_pref.choose(&mut rng, Some(field), None, 0.9, 0.0);
            let year = rng.range(2020, 2025);
            let lead = match rng.weighted(&[0.55, 0.25, 0.2]) {
                0 => (N::University, self.pick_univ(&mut rng, Some(field))),
                1 => (N::Institute, self.pick_inst(&mut rng, Some(field))),
                _ => (N::Enterprise, self.pick_ent(&mut rng, Some(field), None)),
            };
            let mut parts = Vec::new();
            for _ in 0..rng.below(3) {
                parts.push((
                    self.pick_research(&mut rng, Some(field), 0.6),
                    "participant",
                ));
            }
            if rng.chance(0.5) {
                parts.push((
                    (N::Enterprise, self.pick_ent(&mut rng, Some(field), None)),
                    "partner",
                ));
            }
            let amount = (rng.lognormal(3.0e6, 0.7) * 100.0).round() / 100.0;
            let code = format!("JBGS-{year}-{:03}", k + 1);
            let name = Self::project_name(&mut rng, field, &code);
            let p = self.project(Some(1), name, field, year, Some(amount), lead, &parts, None)?;
            if lead != (N::Enterprise, poser) {
                self.emit(
                    E::Funds,
                    (N::Enterprise, poser),
                    (N::Project, p),
                    &["", &year.to_string()],
                )?;
            }
        }
        // Yangtze River Delta joint research: a Shanghai lead, partners in the provinces.
        let provinces: Vec<u8> = (0..DISTRICTS.len() as u8)
            .filter(|d| names::is_province(*d))
            .collect();
        for k in 0..self.n(assumed::YRD_PROJECTS) {
            let field = rng.weighted(&field_w) as u8;
            let lead = self.pick_research(&mut rng, Some(field), 0.75);
            let year = rng.range(2022, 2025);
            let mut parts = Vec::new();
            for _ in 0..1 + rng.below(2) {
                let d = *rng.pick(&provinces);
                let e = self
                    .ent_pref
                    .choose(&mut rng, Some(field), Some(d), 0.0, 1.0);
                parts.push(((N::Enterprise, e), "partner"));
            }
            let amount = (rng.lognormal(2.0e6, 0.6) * 100.0).round() / 100.0;
            let code = format!("YRD-{year}-{:03}", k + 1);
            let name = Self::project_name(&mut rng, field, &code);
            self.project(Some(2), name, field, year, Some(amount), lead, &parts, None)?;
        }
        // Transfer projects: SJTU's (served by its specialists) and other universities'.
        let n_sjtu = self.n(source::SJTU_PROJECTS_SERVED);
        let n_other = self.n(assumed::OTHER_TRANSFER_PROJECTS);
        for k in 0..n_sjtu + n_other {
            let univ = if k < n_sjtu {
                0
            } else {
                self.pick_univ(&mut rng, None)
            };
            let attr = self.attrs[&N::University][univ as usize];
            let field = *rng.pick(attr.fields());
            let year = growing_year(&mut rng, 2017, 2024, 1.2);
            let mut parts = Vec::new();
            if rng.chance(0.7) {
                let e = self.pick_ent(&mut rng, Some(field), Some(attr.district));
                parts.push(((N::Enterprise, e), "partner"));
            }
            let f = &FIELDS[field as usize];
            let noun = rng.pick(f.nouns);
            let code = format!("TP-{year}-{:05}", k + 1);
            let name = (
                format!("{noun}成果转化项目（{code}）"),
                format!("{}: technology transfer project ({code})", f.en),
            );
            let p = self.project(
                None,
                name,
                field,
                year,
                None,
                (N::University, univ),
                &parts,
                None,
            )?;
            if k < n_sjtu {
                self.sjtu_projects.push(p);
            }
        }
        Ok(())
    }

    // ---- achievements, demands, solutions ------------------------------------------------

    fn achievements(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("achievements");
        let n = self.n(source::ACHIEVEMENTS);
        let n_granted = self.n(source::PILOT_GRANTED).min(n);
        let pilots = Cumulative::new(self.univ_weight[..self.n_pilot].iter().copied());
        let methods = ["制备方法", "应用", "控制方法", "检测方法", "设计方法"];
        for i in 0..n {
            let granted = i < n_granted;
            let (owner, year) = if granted {
                (
                    (N::University, pilots.sample(&mut rng) as u32),
                    rng.range(2023, 2024),
                )
            } else {
                let owner = self.pick_research(&mut rng, None, 0.8);
                (owner, growing_year(&mut rng, 2015, 2025, 1.15))
            };
            let attr = self.attr(owner);
            let field = if rng.chance(0.6) {
                attr.main()
            } else {
                *rng.pick(attr.fields())
            };
            let f = &FIELDS[field as usize];
            let name = format!("一种{}及其{}", rng.pick(f.nouns), rng.pick(&methods));
            let idx = self.t(N::Achievement).push(
                format!("ach:{:07}", i + 1),
                name,
                "",
                &[
                    ("year", year.to_string()),
                    ("ownership_granted", granted.to_string()),
                ],
            );
            let me = (N::Achievement, idx);
            self.attrs
                .entry(N::Achievement)
                .or_default()
                .push(Attr::new(attr.district, &[field]));
            self.emit(E::InField, me, (N::Field, u32::from(field)), &[])?;
            self.emit(E::Owns, owner, me, &[])?;
            match owner.0 {
                N::University => self.ach_of_univ[owner.1 as usize].push(idx),
                _ => self.ach_of_inst[owner.1 as usize].push(idx),
            }
            self.ach_by_field[field as usize].push(idx);
            if granted {
                self.granted.push(idx);
            }
        }
        Ok(())
    }

    fn ach_year(&self, a: u32) -> i64 {
        self.tables[N::Achievement as usize].rows[a as usize].cells[0]
            .parse()
            .unwrap_or(2015)
    }

    fn demands_and_solutions(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("demands");
        let n = self.n(source::DEMANDS);
        let needs = [
            "技术解决方案",
            "国产化替代方案",
            "工艺优化方案",
            "联合研发伙伴",
            "检测验证服务",
        ];
        let mut by_field: Vec<Vec<u32>> = vec![Vec::new(); FIELDS.len()];
        let mut years = Vec::with_capacity(n);
        let mut fields = Vec::with_capacity(n);
        for i in 0..n {
            let poster = self.ent_pref.choose(&mut rng, None, None, 0.0, 0.0);
            let pattr = self.attrs[&N::Enterprise][poster as usize];
            self.ent_pref.add(poster, &pattr, 1);
            let field = *rng.pick(pattr.fields());
            let year = 2022 + rng.weighted(&[1.0, 1.6, 2.0, 0.9]) as i64;
            let f = &FIELDS[field as usize];
            let name = format!("征集{}{}", rng.pick(f.nouns), rng.pick(&needs));
            let idx = self.t(N::Demand).push(
                format!("dem:{:07}", i + 1),
                name,
                "",
                &[("year", year.to_string())],
            );
            let me = (N::Demand, idx);
            self.attrs
                .entry(N::Demand)
                .or_default()
                .push(Attr::new(pattr.district, &[field]));
            self.emit(E::InField, me, (N::Field, u32::from(field)), &[])?;
            self.emit(E::Posts, (N::Enterprise, poster), me, &[&year.to_string()])?;
            by_field[field as usize].push(idx);
            years.push(year);
            fields.push(field);
        }
        // Solutions: demands attract solutions preferentially; solvers work in the field.
        let mut rng = self.rng("solutions");
        let n_sol = self.n(source::SOLUTIONS);
        let mut urn = Urn::default();
        for i in 0..n as u32 {
            urn.add(i, 2);
        }
        let mut seen = BTreeSet::new();
        let mut sols: Vec<(Ref, u32, i64)> = Vec::with_capacity(n_sol);
        let mut tries = 0;
        while sols.len() < n_sol && tries < n_sol * 20 {
            tries += 1;
            let d = urn.draw(&mut rng).expect("demands");
            let field = fields[d as usize];
            let dyear = years[d as usize];
            let candidates = &self.ach_by_field[field as usize];
            let solver = if rng.chance(0.6) && !candidates.is_empty() {
                (N::Achievement, *rng.pick(candidates))
            } else {
                self.pick_research(&mut rng, Some(field), 0.7)
            };
            if !seen.insert((solver, d)) {
                continue;
            }
            let lo = if solver.0 == N::Achievement {
                dyear.max(self.ach_year(solver.1))
            } else {
                dyear
            };
            let year = rng.range(lo.min(2025), (lo + 1).min(2025));
            urn.add(d, 1);
            sols.push((solver, d, year));
        }
        let m = sols.len();
        let n_matched = (source::MATCH_RATE * m as f64).round() as usize;
        let n_signed = ((assumed::SIGNED_SHARE * m as f64).round() as usize).min(n_matched);
        let mut order: Vec<usize> = (0..m).collect();
        rng.shuffle(&mut order);
        let mut flag = vec![(false, false); m];
        for (rank, i) in order.iter().enumerate() {
            flag[*i] = (rank < n_matched, rank < n_signed);
        }
        let mut amounts: Vec<f64> = (0..n_signed).map(|_| rng.lognormal(1.0, 1.2)).collect();
        let signed_total = source::SIGNED_AMOUNT * self.scale;
        normalise(&mut amounts, signed_total);
        let mut next_amount = amounts.into_iter();
        let mut signed_sum = 0.0;
        for (i, (solver, d, year)) in sols.iter().enumerate() {
            let (matched, signed) = flag[i];
            let amount = if signed { next_amount.next() } else { None };
            signed_sum += amount.unwrap_or(0.0);
            self.emit(
                E::Solves,
                *solver,
                (N::Demand, *d),
                &[
                    &year.to_string(),
                    &matched.to_string(),
                    &signed.to_string(),
                    &amount.map(fmt_amount).unwrap_or_default(),
                ],
            )?;
        }
        let s = self.scale;
        self.figure(
            "enterprise demands (InnoMatch)",
            source::DEMANDS * s,
            n as f64,
            FigureUnit::Count,
        );
        self.figure(
            "solutions (solves edges)",
            source::SOLUTIONS * s,
            m as f64,
            FigureUnit::Count,
        );
        self.figure(
            "match rate (matched solutions / solutions)",
            source::MATCH_RATE,
            n_matched as f64 / m.max(1) as f64,
            FigureUnit::Share,
        );
        self.figure(
            "signed amount of solutions",
            signed_total,
            signed_sum,
            FigureUnit::Cny,
        );
        Ok(())
    }

    // ---- technology contracts ---------------------------------------------------------------

    fn contracts(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("contracts");
        let modes = [
            "development",
            "service",
            "consulting",
            "transfer",
            "licence",
            "equity",
        ];
        let mode_w = [0.42, 0.28, 0.12, 0.09, 0.06, 0.03];
        let mode_median = [3.0e5, 8.0e4, 3.0e4, 5.0e5, 4.0e5, 2.0e6];
        let univ = Cumulative::new(self.univ_weight.iter().copied());
        let mut partners: Vec<Vec<u32>> = vec![Vec::new(); self.univ_weight.len()];
        let mut inst_partners: Vec<Vec<u32>> = vec![Vec::new(); self.inst_weight.len()];
        let inst = Cumulative::new(self.inst_weight.iter().copied());

        // The pilot's transfers: one transfer / licence / equity contract per granted result.
        struct C {
            source: Ref,
            ent: u32,
            mode: usize,
            amount: f64,
            ach: Option<u32>,
        }
        let mut pilot: BTreeMap<i64, Vec<C>> = BTreeMap::new();
        for a in self.granted.clone() {
            let year = self.ach_year(a);
            let owner = self.owner_of_granted(a);
            let field = self.attrs[&N::Achievement][a as usize].main();
            let mode = 3 + rng.weighted(&[0.5, 0.3, 0.2]);
            let ent = self.pick_ent(&mut rng, Some(field), None);
            partners[owner as usize].push(ent);
            let amount = rng.lognormal(mode_median[mode], 1.0);
            pilot.entry(year).or_default().push(C {
                source: (N::University, owner),
                ent,
                mode,
                amount,
                ach: Some(a),
            });
        }
        let pilot_target = source::PILOT_TRANSFER_AMOUNT * 1.02 * self.scale;
        let raw_total: f64 = pilot.values().flatten().map(|c| c.amount).sum();
        for c in pilot.values_mut().flatten() {
            c.amount = (c.amount * pilot_target / raw_total.max(1.0) * 100.0).round() / 100.0;
        }
        let pilot_sum: f64 = pilot.values().flatten().map(|c| c.amount).sum();

        let mut fig_2024 = (0usize, 0.0f64);
        let mut fig_2015 = 0.0;
        for year in FIRST_CONTRACT_YEAR..=LAST_CONTRACT_YEAR {
            let back = (LAST_CONTRACT_YEAR - year) as i32;
            let n_univ =
                (source::CONTRACTS_2024 * self.scale * assumed::CONTRACT_COUNT_FACTOR.powi(back))
                    .round() as usize;
            let total = source::CONTRACT_AMOUNT_2024
                * self.scale
                * assumed::CONTRACT_AMOUNT_FACTOR.powi(back);
            let mut list = pilot.remove(&year).unwrap_or_default();
            let pilot_amount: f64 = list.iter().map(|c| c.amount).sum();
            let n_free = n_univ.saturating_sub(list.len());
            let mut free = Vec::with_capacity(n_free);
            for _ in 0..n_free {
                let u = univ.sample(&mut rng) as u32;
                let ent =
                    self.contract_partner(&mut rng, (N::University, u), &mut partners[u as usize]);
                let mode = rng.weighted(&mode_w);
                let ach =
                    self.contract_achievement(&mut rng, &self.ach_of_univ[u as usize], mode, year);
                free.push(C {
                    source: (N::University, u),
                    ent,
                    mode,
                    amount: rng.lognormal(mode_median[mode], 1.3),
                    ach,
                });
            }
            let mut raw: Vec<f64> = free.iter().map(|c| c.amount).collect();
            let raw_sum: f64 = raw.iter().sum();
            normalise(&mut raw, (total - pilot_amount).max(0.0));
            let factor = if raw_sum > 0.0 {
                (total - pilot_amount).max(0.0) / raw_sum
            } else {
                0.0
            };
            for (c, a) in free.iter_mut().zip(raw) {
                c.amount = a;
            }
            // Research institutes sign contracts too, at the same price level.
            let n_inst = (n_univ as f64 * assumed::INSTITUTE_CONTRACT_SHARE).round() as usize;
            for _ in 0..n_inst {
                let i = inst.sample(&mut rng) as u32;
                let ent = self.contract_partner(
                    &mut rng,
                    (N::Institute, i),
                    &mut inst_partners[i as usize],
                );
                let mode = rng.weighted(&mode_w);
                let ach =
                    self.contract_achievement(&mut rng, &self.ach_of_inst[i as usize], mode, year);
                let amount =
                    (rng.lognormal(mode_median[mode], 1.3) * factor * 100.0).round() / 100.0;
                free.push(C {
                    source: (N::Institute, i),
                    ent,
                    mode,
                    amount,
                    ach,
                });
            }
            list.extend(free);
            rng.shuffle(&mut list);
            let year_s = year.to_string();
            let mut sum_univ = 0.0;
            let mut count_univ = 0;
            for (k, c) in list.iter().enumerate() {
                if c.source.0 == N::University {
                    sum_univ += c.amount;
                    count_univ += 1;
                }
                let key = format!("TC{year}-{:07}", k + 1);
                let ach = c
                    .ach
                    .map(|a| self.tables[N::Achievement as usize].id(a).to_string());
                self.emit(
                    E::ContractsWith,
                    c.source,
                    (N::Enterprise, c.ent),
                    &[
                        &key,
                        modes[c.mode],
                        &fmt_amount(c.amount),
                        &year_s,
                        ach.as_deref().unwrap_or(""),
                    ],
                )?;
            }
            if year == LAST_CONTRACT_YEAR {
                fig_2024 = (count_univ, sum_univ);
            }
            if year == FIRST_CONTRACT_YEAR {
                fig_2015 = sum_univ;
            }
        }
        let s = self.scale;
        self.figure(
            "university contracts signed in 2024",
            source::CONTRACTS_2024 * s,
            fig_2024.0 as f64,
            FigureUnit::Count,
        );
        self.figure(
            "value of 2024 university contracts",
            source::CONTRACT_AMOUNT_2024 * s,
            fig_2024.1,
            FigureUnit::Cny,
        );
        let growth = (fig_2024.1 / fig_2015.max(1.0)).powf(1.0 / 9.0) - 1.0;
        self.figure_at_least(
            "yearly growth of contract value 2015-2024",
            0.2,
            growth,
            FigureUnit::Share,
        );
        self.figure_at_least(
            "pilot transfers of granted results",
            source::PILOT_TRANSFER_AMOUNT * s,
            pilot_sum,
            FigureUnit::Cny,
        );
        Ok(())
    }

    fn owner_of_granted(&self, a: u32) -> u32 {
        self.ach_of_univ
            .iter()
            .position(|list| list.binary_search(&a).is_ok())
            .expect("granted results are owned by universities") as u32
    }

    /// A firm for a contract: a repeat partner (parallel contracts), else a preferential pick
    /// in the signer's fields and district.
    fn contract_partner(&mut self, rng: &mut Rng, signer: Ref, partners: &mut Vec<u32>) -> u32 {
        if !partners.is_empty() && rng.chance(0.3) {
            return *rng.pick(partners);
        }
        let attr = self.attr(signer);
        let field = *rng.pick(attr.fields());
        let e = self.pick_ent(rng, Some(field), Some(attr.district));
        partners.push(e);
        e
    }

    fn contract_achievement(
        &self,
        rng: &mut Rng,
        owned: &[u32],
        mode: usize,
        year: i64,
    ) -> Option<u32> {
        if mode < 3 || owned.is_empty() {
            return None;
        }
        (0..3)
            .map(|_| *rng.pick(owned))
            .find(|a| self.ach_year(*a) <= year)
    }

    // ---- platforms, incubation, spin-offs ----------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn platform(
        &mut self,
        id: String,
        name: (String, String),
        ptype: &str,
        year: i64,
        district: u8,
        field: u8,
        operators: &[Ref],
    ) -> Result<u32, GenerateError> {
        let idx = self.t(N::Platform).push(
            id,
            name.0,
            name.1,
            &[("platform_type", ptype.into()), ("year", year.to_string())],
        );
        let me = (N::Platform, idx);
        self.place(me, Attr::new(district, &[field]))?;
        let year_s = year.to_string();
        let mut seen = Vec::new();
        for op in operators {
            if !seen.contains(op) {
                seen.push(*op);
                self.emit(E::Operates, *op, me, &[&year_s])?;
            }
        }
        for pair in seen.windows(2) {
            self.note_collab(pair[0], pair[1], year);
        }
        Ok(idx)
    }

    fn platforms(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("platforms");
        let f = names::field;
        let d = names::district;
        let sjtu = (N::University, 0);
        let fudan = (N::University, 1);
        let lingang = (N::Enterprise, 5);
        let catl = (N::Enterprise, 4);
        let miracle = (N::Incubator, 0);
        let xinze = (N::Incubator, 1);
        let eastern = (N::Incubator, 2);
        let stcsm = (N::Agency, 0);
        // InnoMatch, the Commission's matching platform.
        let p = self.platform(
            "plat:innomatch".into(),
            (
                "InnoMatch全球技术供需对接平台".into(),
                "InnoMatch global technology matching platform".into(),
            ),
            "other",
            2022,
            d("xuhui"),
            f("information"),
            &[stcsm],
        )?;
        let _ = p;
        // Named concept-verification centres.
        let named: [(&str, &str, &str, &str, &str, i64, Vec<Ref>); 5] = [
            (
                "sjtu_biomed_cv",
                "上海交通大学生物医药概念验证中心",
                "SJTU Biomedicine Concept Verification Center",
                "minhang",
                "biomedicine",
                2023,
                vec![sjtu, lingang, catl],
            ),
            (
                "sjtu_robot_cv",
                "上海交通大学智能机器人概念验证中心",
                "SJTU Intelligent Robots Concept Verification Center",
                "dalinghao",
                "intelligent_robots",
                2024,
                vec![sjtu, lingang, catl],
            ),
            (
                "sjtu_zizhu_ei_cv",
                "上海交通大学—紫竹电子信息概念验证中心",
                "SJTU-Zizhu Electronic Information Concept Verification Center",
                "zizhu",
                "electronic_information",
                2024,
                vec![sjtu],
            ),
            (
                "zhixinggang",
                "智星港概念验证中心",
                "Zhixinggang Concept Verification Center",
                "minhang",
                "artificial_intelligence",
                2023,
                vec![xinze],
            ),
            (
                "eastern_fudan_green_cv",
                "东部中心—复旦大学绿色低碳概念验证中心",
                "Eastern Center-Fudan Green Low-carbon Concept Verification Center",
                "yangpu",
                "green_low_carbon",
                2024,
                vec![eastern, fudan],
            ),
        ];
        for (id, zh, en, district, field, year, ops) in named {
            let p = self.platform(
                format!("plat:{id}"),
                (zh.into(), en.into()),
                "concept_verification",
                year,
                d(district),
                f(field),
                &ops,
            )?;
            self.cv_platforms.push(p);
            if id == "sjtu_zizhu_ei_cv" {
                let pr = (N::Platform, p);
                self.emit(
                    E::Supports,
                    (N::District, u32::from(d("zizhu"))),
                    pr,
                    &[&fmt_amount(source::ZIZHU_SUPPORT), "2024"],
                )?;
                self.emit(
                    E::Supports,
                    (N::District, u32::from(d("minhang"))),
                    pr,
                    &["", "2024"],
                )?;
            }
        }
        // MicroPort's Miracle Point: concept-verification platforms with hospitals.
        let n_mp = self.n(source::MICROPORT_CV_PLATFORMS);
        for k in 0..n_mp {
            let h = *rng.pick(&self.hospitals);
            let hosp = (N::Organisation, h);
            let hname = self.tables[N::Organisation as usize].rows[h as usize]
                .name
                .clone();
            let field = if rng.chance(0.6) {
                f("medical_devices")
            } else {
                f("biomedicine")
            };
            let district = self.attr(hosp).district;
            let year = rng.range(2019, 2024);
            let name = (
                format!("奇迹点—{hname}概念验证平台（{}）", k + 1),
                format!(
                    "Miracle Point hospital concept verification platform {}",
                    k + 1
                ),
            );
            let id = format!("plat:{:04}", self.tables[N::Platform as usize].len() + 1);
            self.platform(
                id,
                name,
                "concept_verification",
                year,
                district,
                field,
                &[miracle, hosp],
            )?;
        }
        // Other concept-verification centres of universities and incubators.
        for _ in 0..self.n(assumed::OTHER_CV_CENTRES) {
            let field = {
                let w: Vec<f64> = FIELDS.iter().map(|x| x.weight).collect();
                rng.weighted(&w) as u8
            };
            let u = (N::University, self.pick_univ(&mut rng, Some(field)));
            let mut ops = vec![u];
            if rng.chance(0.4) {
                ops.push((
                    N::Incubator,
                    rng.below(self.tables[N::Incubator as usize].len()) as u32,
                ));
            }
            let uname = self.tables[N::University as usize].rows[u.1 as usize]
                .name
                .clone();
            let uname_en = self.tables[N::University as usize].rows[u.1 as usize]
                .name_en
                .clone();
            let fz = FIELDS[field as usize].zh;
            let fe = FIELDS[field as usize].en;
            let (zh, en) = self.unique_name(&mut rng, |b, be| {
                (
                    format!("{uname}{b}{fz}概念验证中心"),
                    format!("{uname_en} {be} {fe} Concept Verification Center"),
                )
            });
            let district = self.attr(u).district;
            let id = format!("plat:{:04}", self.tables[N::Platform as usize].len() + 1);
            let p = self.platform(
                id,
                (zh, en),
                "concept_verification",
                rng.range(2020, 2024),
                district,
                field,
                &ops,
            )?;
            self.cv_platforms.push(p);
        }
        // New-material pilot bases, recognised in 2023.
        let materials = f("materials");
        for _ in 0..self.n(source::PILOT_BASES) {
            let district = Self::draw_district(&mut rng, materials, true);
            let ent = (
                N::Enterprise,
                self.ent_pref
                    .choose(&mut rng, Some(materials), None, 1.0, 0.0),
            );
            let mut ops = vec![ent];
            if rng.chance(0.5) {
                ops.push((N::Institute, self.pick_inst(&mut rng, Some(materials))));
            }
            let (zh, en) = self.unique_name(&mut rng, |b, be| {
                (
                    format!("上海{b}新材料中试基地"),
                    format!("Shanghai {be} New Materials Pilot Base"),
                )
            });
            let id = format!("plat:{:04}", self.tables[N::Platform as usize].len() + 1);
            let p = self.platform(id, (zh, en), "pilot_base", 2023, district, materials, &ops)?;
            self.emit(E::Supports, (N::Agency, 4), (N::Platform, p), &["", "2023"])?;
        }
        // R&D-and-transformation functional platforms.
        let fp_districts: Vec<f64> = DISTRICTS
            .iter()
            .map(|x| match x.id {
                "jiading" | "qingpu" | "putuo" => 6.0,
                _ if x.area == "province" => 0.0,
                _ => x.weight / 4.0,
            })
            .collect();
        for _ in 0..self.n(source::FUNCTIONAL_PLATFORMS) {
            let w: Vec<f64> = FIELDS.iter().map(|x| x.weight).collect();
            let field = rng.weighted(&w) as u8;
            let district = rng.weighted(&fp_districts) as u8;
            let op = self.pick_research(&mut rng, Some(field), 0.4);
            let fz = FIELDS[field as usize].zh;
            let fe = FIELDS[field as usize].en;
            let (zh, en) = self.unique_name(&mut rng, |b, be| {
                (
                    format!("上海{b}{fz}研发与转化功能型平台"),
                    format!("Shanghai {be} {fe} R&D and Transformation Platform"),
                )
            });
            let id = format!("plat:{:04}", self.tables[N::Platform as usize].len() + 1);
            let p = self.platform(
                id,
                (zh, en),
                "functional_platform",
                rng.range(2016, 2021),
                district,
                field,
                &[op],
            )?;
            self.emit(E::Supports, stcsm, (N::Platform, p), &["", ""])?;
            self.functional_platforms.push(p);
        }
        let s = self.scale;
        self.figure(
            "pilot bases",
            source::PILOT_BASES * s,
            self.n(source::PILOT_BASES) as f64,
            FigureUnit::Count,
        );
        self.figure(
            "functional platforms",
            source::FUNCTIONAL_PLATFORMS * s,
            self.functional_platforms.len() as f64,
            FigureUnit::Count,
        );
        self.figure(
            "Miracle Point concept-verification platforms",
            source::MICROPORT_CV_PLATFORMS * s,
            n_mp as f64,
            FigureUnit::Count,
        );
        Ok(())
    }

    /// An unused startup, preferably in `field`; any startup when all are used.
    fn take_startup(&mut self, rng: &mut Rng, field: u8) -> u32 {
        for pool in [field as usize, FIELDS.len()] {
            while self.startup_cursor[pool] < self.startup_pools[pool].len() {
                let s = self.startup_pools[pool][self.startup_cursor[pool]];
                self.startup_cursor[pool] += 1;
                if !self.startup_used[s as usize] {
                    self.startup_used[s as usize] = true;
                    return s;
                }
            }
        }
        *rng.pick(&self.startups)
    }

    /// Writes `source incubates startup` (once per pair) and sets the startup's founding year
    /// to no later than the incubation.
    fn incubate(
        &mut self,
        rng: &mut Rng,
        source: Ref,
        field: u8,
        lo: i64,
        hi: i64,
    ) -> Result<Option<(u32, i64)>, GenerateError> {
        for _ in 0..8 {
            let s = self.take_startup(rng, field);
            if !self.incubated.insert((source, s)) {
                continue;
            }
            let founded: i64 = self.tables[N::Enterprise as usize].rows[s as usize].cells[2]
                .parse()
                .unwrap_or(lo);
            let year = rng.range(lo.max(founded.min(hi)), hi);
            if founded > year {
                self.t(N::Enterprise).set(s, "founded", year.to_string());
            }
            self.emit(
                E::Incubates,
                source,
                (N::Enterprise, s),
                &[&year.to_string()],
            )?;
            return Ok(Some((s, year)));
        }
        Ok(None)
    }

    fn incubation(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("incubation");
        let s = self.scale;
        // Functional platforms: 385 companies.
        let fps = self.functional_platforms.clone();
        let shares = split_count(
            &mut rng,
            self.n(source::FUNCTIONAL_INCUBATED),
            fps.len(),
            0.8,
        );
        let mut fp_total = 0;
        for (p, k) in fps.iter().zip(shares) {
            let me = (N::Platform, *p);
            let attr = self.attr(me);
            let year0: i64 = self.tables[N::Platform as usize].rows[*p as usize].cells[2]
                .parse()
                .unwrap_or(2016);
            let mut done = 0;
            for _ in 0..k {
                if self
                    .incubate(&mut rng, me, attr.main(), year0, 2024)?
                    .is_some()
                {
                    done += 1;
                }
            }
            self.t(N::Platform)
                .set(*p, "incubated_count", done.to_string());
            fp_total += done;
        }
        // The 2023 pilot universities: 157 companies, spun off from them.
        let pilots = Cumulative::new(self.univ_weight[..self.n_pilot].iter().copied());
        let mut pilot_total = 0;
        for _ in 0..self.n(source::PILOT_INCUBATED) {
            let u = (N::University, pilots.sample(&mut rng) as u32);
            let field = *rng.pick(self.attr(u).fields());
            if let Some((st, year)) = self.incubate(&mut rng, u, field, 2023, 2024)? {
                self.t(N::Enterprise).set(st, "founded", year.to_string());
                self.emit(E::SpunOffFrom, (N::Enterprise, st), u, &[&year.to_string()])?;
                pilot_total += 1;
            }
        }
        // Miracle Point: 27 companies; SJTU's biomedicine centre: 7 in 2024.
        let mut mp_total = 0;
        for _ in 0..self.n(source::MIRACLE_POINT_INCUBATED) {
            let field = if rng.chance(0.6) {
                names::field("medical_devices")
            } else {
                names::field("biomedicine")
            };
            if self
                .incubate(&mut rng, (N::Incubator, 0), field, 2019, 2024)?
                .is_some()
            {
                mp_total += 1;
            }
        }
        self.t(N::Incubator)
            .set(0, "incubated_count", mp_total.to_string());
        let biomed_cv = self.cv_platforms[0];
        let mut cv_total = 0;
        for _ in 0..self.n(source::SJTU_BIOMED_CV_INCUBATED) {
            if self
                .incubate(
                    &mut rng,
                    (N::Platform, biomed_cv),
                    names::field("biomedicine"),
                    2024,
                    2024,
                )?
                .is_some()
            {
                cv_total += 1;
            }
        }
        self.t(N::Platform)
            .set(biomed_cv, "incubated_count", cv_total.to_string());
        // Other incubators and concept-verification centres.
        for i in 1..self.tables[N::Incubator as usize].len() as u32 {
            let me = (N::Incubator, i);
            let hq = self.tables[N::Incubator as usize].rows[i as usize].cells[0] == "true";
            let k = rng.lognormal(if hq { 12.0 } else { 6.0 }, 0.8).round() as usize;
            let attr = self.attr(me);
            let mut done = 0;
            for _ in 0..k {
                let field = *rng.pick(attr.fields());
                if self.incubate(&mut rng, me, field, 2015, 2024)?.is_some() {
                    done += 1;
                }
            }
            self.t(N::Incubator)
                .set(i, "incubated_count", done.to_string());
        }
        for p in self.cv_platforms.clone().into_iter().skip(1) {
            let me = (N::Platform, p);
            let field = self.attr(me).main();
            let year0: i64 = self.tables[N::Platform as usize].rows[p as usize].cells[2]
                .parse()
                .unwrap_or(2020);
            let mut done = 0;
            for _ in 0..rng.below(4) {
                if self.incubate(&mut rng, me, field, year0, 2024)?.is_some() {
                    done += 1;
                }
            }
            self.t(N::Platform)
                .set(p, "incubated_count", done.to_string());
        }
        // Spin-offs from universities and institutes before the pilot, and corporate ones.
        for _ in 0..self.n(assumed::SPIN_OFFS) {
            let parent = self.pick_research(&mut rng, None, 0.75);
            let field = *rng.pick(self.attr(parent).fields());
            let st = self.take_startup(&mut rng, field);
            let founded: i64 = self.tables[N::Enterprise as usize].rows[st as usize].cells[2]
                .parse()
                .unwrap_or(2016);
            if self.spun.insert((st, parent)) {
                self.emit(
                    E::SpunOffFrom,
                    (N::Enterprise, st),
                    parent,
                    &[&founded.min(2022).to_string()],
                )?;
            }
        }
        for _ in 0..self.n(assumed::CORPORATE_SPIN_OFFS) {
            let parent = (N::Enterprise, *rng.pick(&self.chain_leaders));
            let field = self.attr(parent).main();
            let st = self.take_startup(&mut rng, field);
            let founded: i64 = self.tables[N::Enterprise as usize].rows[st as usize].cells[2]
                .parse()
                .unwrap_or(2016);
            if (N::Enterprise, st) != parent && self.spun.insert((st, parent)) {
                self.emit(
                    E::SpunOffFrom,
                    (N::Enterprise, st),
                    parent,
                    &[&founded.to_string()],
                )?;
            }
        }
        self.figure(
            "companies incubated by the pilot universities",
            source::PILOT_INCUBATED * s,
            pilot_total as f64,
            FigureUnit::Count,
        );
        self.figure(
            "companies incubated by functional platforms",
            source::FUNCTIONAL_INCUBATED * s,
            fp_total as f64,
            FigureUnit::Count,
        );
        self.figure(
            "companies incubated by Miracle Point",
            source::MIRACLE_POINT_INCUBATED * s,
            mp_total as f64,
            FigureUnit::Count,
        );
        self.figure(
            "companies incubated by SJTU biomedicine centre",
            source::SJTU_BIOMED_CV_INCUBATED * s,
            cv_total as f64,
            FigureUnit::Count,
        );
        Ok(())
    }

    // ---- technology managers -------------------------------------------------------------

    fn person(rng: &mut Rng) -> (String, String) {
        let (sz, se) = rng.pick(names::SURNAMES);
        let (g1, g1e) = rng.pick(names::GIVEN);
        if rng.chance(0.6) {
            let (g2, g2e) = rng.pick(names::GIVEN);
            (
                format!("{sz}{g1}{g2}"),
                format!("{se} {}{g2e}", capitalise(g1e)),
            )
        } else {
            (format!("{sz}{g1}"), format!("{se} {}", capitalise(g1e)))
        }
    }

    fn tech_manager(
        &mut self,
        name: (String, String),
        employer: Ref,
        fields: &[u8],
        props: &[(&str, String)],
    ) -> Result<u32, GenerateError> {
        let code = self.tables[N::TechManager as usize].len() + 1;
        let idx = self
            .t(N::TechManager)
            .push(format!("tm:{code:06}"), name.0, name.1, props);
        let me = (N::TechManager, idx);
        self.emit(E::WorksFor, me, employer, &[])?;
        for f in fields {
            self.emit(E::InField, me, (N::Field, u32::from(*f)), &[])?;
        }
        if employer.0 == N::University && props.is_empty() {
            self.tm_count[employer.1 as usize] += 1;
        }
        Ok(idx)
    }

    fn serve(&mut self, tm: u32, target: Ref, year: i64) -> Result<(), GenerateError> {
        self.emit(
            E::Serves,
            (N::TechManager, tm),
            target,
            &[&year.to_string()],
        )
    }

    fn tech_managers(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("tech_managers");
        let sjtu = (N::University, 0);
        let sjtu_fields = self.attr(sjtu).fields().to_vec();
        // SJTU's mixed team: 17 specialists serving 400 projects, and the team as a record.
        let projects = self.sjtu_projects.clone();
        let n_spec = self.n(source::SJTU_SPECIALISTS);
        let team = self.tech_manager(
            (
                "上海交通大学技术转移专员团队".into(),
                "SJTU technology-transfer specialist team".into(),
            ),
            sjtu,
            &sjtu_fields,
            &[
                ("team_size", n_spec.to_string()),
                ("projects_served", projects.len().to_string()),
            ],
        )?;
        let mut specialists = Vec::new();
        for _ in 0..n_spec {
            let fields = vec![*rng.pick(&sjtu_fields)];
            let name = Self::person(&mut rng);
            specialists.push(self.tech_manager(name, sjtu, &fields, &[])?);
        }
        for p in &projects {
            let year: i64 = self.tables[N::Project as usize].rows[*p as usize].cells[1]
                .parse()
                .unwrap_or(2020);
            self.serve(team, (N::Project, *p), year)?;
            let a = rng.below(specialists.len());
            self.serve(specialists[a], (N::Project, *p), year)?;
            let b = rng.below(specialists.len());
            if b != a && rng.chance(0.3) {
                self.serve(specialists[b], (N::Project, *p), year)?;
            }
        }
        // Everyone else: at universities or at incubators / transfer institutions.
        let inc_w: Vec<f64> = (0..self.tables[N::Incubator as usize].len())
            .map(|i| match i {
                2 => 20.0,
                _ if self.tables[N::Incubator as usize].rows[i].cells[0] == "true" => 3.0,
                _ => 1.0,
            })
            .collect();
        let inc = Cumulative::new(inc_w);
        let univ = Cumulative::new(self.univ_weight.iter().map(|w| w.sqrt()));
        for _ in 0..self.n(assumed::TECH_MANAGERS) {
            let employer = if rng.chance(0.6) {
                (N::University, univ.sample(&mut rng) as u32)
            } else {
                (N::Incubator, inc.sample(&mut rng) as u32)
            };
            let eattr = self.attr(employer);
            let mut fields = vec![*rng.pick(eattr.fields())];
            let other = *rng.pick(eattr.fields());
            if other != fields[0] && rng.chance(0.4) {
                fields.push(other);
            }
            let name = Self::person(&mut rng);
            let tm = self.tech_manager(name, employer, &fields, &[])?;
            let k = (1 + rng.geometric(3.0)).min(60);
            let mut seen: Vec<Ref> = Vec::new();
            for _ in 0..k {
                let field = *rng.pick(&fields);
                let x = rng.f64();
                let target = if employer.0 == N::University {
                    let u = employer.1 as usize;
                    if x < 0.5 && !self.ach_of_univ[u].is_empty() {
                        Some((N::Achievement, *rng.pick(&self.ach_of_univ[u])))
                    } else if x < 0.8 && !self.projects_of_univ[u].is_empty() {
                        Some((N::Project, *rng.pick(&self.projects_of_univ[u])))
                    } else {
                        Some((
                            N::Enterprise,
                            self.pick_ent(&mut rng, Some(field), Some(eattr.district)),
                        ))
                    }
                } else if x < 0.5 && !self.ach_by_field[field as usize].is_empty() {
                    Some((
                        N::Achievement,
                        *rng.pick(&self.ach_by_field[field as usize]),
                    ))
                } else if x < 0.65 && !self.projects_by_field[field as usize].is_empty() {
                    Some((
                        N::Project,
                        *rng.pick(&self.projects_by_field[field as usize]),
                    ))
                } else {
                    Some((
                        N::Enterprise,
                        self.pick_ent(&mut rng, Some(field), Some(eattr.district)),
                    ))
                };
                if let Some(t) = target {
                    if !seen.contains(&t) {
                        seen.push(t);
                        let lo = match t.0 {
                            N::Achievement => self.ach_year(t.1),
                            N::Project => self.tables[N::Project as usize].rows[t.1 as usize].cells
                                [1]
                            .parse()
                            .unwrap_or(2018),
                            _ => 2018,
                        };
                        let year = rng.range(lo.min(2025), 2025);
                        self.serve(tm, t, year)?;
                    }
                }
            }
        }
        for (u, count) in self.tm_count.clone().into_iter().enumerate() {
            self.t(N::University)
                .set(u as u32, "tech_manager_count", count.to_string());
        }
        let s = self.scale;
        self.figure(
            "SJTU technology-transfer specialists",
            source::SJTU_SPECIALISTS * s,
            n_spec as f64,
            FigureUnit::Count,
        );
        self.figure(
            "projects served by the SJTU specialists",
            source::SJTU_PROJECTS_SERVED * s,
            projects.len() as f64,
            FigureUnit::Count,
        );
        Ok(())
    }

    // ---- collaborations ---------------------------------------------------------------------

    fn collaborations(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("collaborations");
        for _ in 0..self.n(assumed::EXTRA_COLLABORATIONS) {
            let field = {
                let w: Vec<f64> = FIELDS.iter().map(|x| x.weight).collect();
                rng.weighted(&w) as u8
            };
            let a = self.pick_research(&mut rng, Some(field), 0.7);
            let b = match rng.weighted(&[0.35, 0.25, 0.3, 0.1]) {
                0 => (N::University, self.pick_univ(&mut rng, Some(field))),
                1 => (N::Institute, self.pick_inst(&mut rng, Some(field))),
                2 => (
                    N::Enterprise,
                    self.pick_ent(&mut rng, Some(field), Some(self.attr(a).district)),
                ),
                _ => (
                    N::Incubator,
                    rng.below(self.tables[N::Incubator as usize].len()) as u32,
                ),
            };
            let year = growing_year(&mut rng, 2015, 2025, 1.1);
            self.note_collab(a, b, year);
        }
        let collab = std::mem::take(&mut self.collab);
        for ((a, b), (weight, year)) in &collab {
            self.out.emit(
                E::CollaboratesWith,
                a,
                b,
                &[&format!("{weight}.0"), &year.to_string()],
            )?;
        }
        Ok(())
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
    let mut w = World {
        scale: options.scale,
        seed: options.seed,
        tables: N::ALL.iter().map(|n| Table::new(*n)).collect(),
        attrs: BTreeMap::new(),
        out: EdgeFiles::create(dir)?,
        used_names: BTreeSet::new(),
        univ_weight: Vec::new(),
        n_pilot: 0,
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
            actual: w.n_pilot as f64,
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
        files.push(t.write(dir)?);
        nodes.insert(t.n.kind().to_string(), t.len() as u64);
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
