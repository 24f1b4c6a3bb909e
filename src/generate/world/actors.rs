//! Who exists: districts, fields, programmes, agencies, and the organisations.

use super::*;

/// The programmes of generated projects: the Explorer Programme, the open competition
/// (揭榜挂帅) and the Yangtze River Delta joint research mechanism.
const PROGRAMMES: [&str; 3] = ["prog:explorer", "prog:open-competition", "prog:yrd-joint"];

/// The agencies, as the fixtures name them; the Commission first, the economy commission
/// fifth (it recognises the pilot bases).
pub(super) const AGENCIES: [&str; 8] = [
    "agency:stcsm",
    "agency:sast",
    "agency:talent-bureau",
    "agency:hrss",
    "agency:sheitc",
    "agency:jiangsu-st",
    "agency:zhejiang-st",
    "agency:anhui-st",
];

impl World {
    // ---- context: districts, fields, programmes, agencies -------------------------------

    pub(super) fn context(&mut self) -> Result<(), GenerateError> {
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
        // The programmes generated projects belong to, in this order (indices 0, 1, 2). The
        // fixtures hold them, every other programme and the agencies' support for them.
        for id in PROGRAMMES {
            self.named(N::Programme, id, &[]);
        }
        for id in AGENCIES {
            let i = self.named(N::Agency, id, &[]);
            let attr = self.named_attr(id, "shanghai", &[]);
            self.attrs.entry(N::Agency).or_default().push(attr);
            self.emit(
                E::LocatedIn,
                (N::Agency, i),
                (N::District, u32::from(attr.district)),
                &[],
            )?;
        }
        Ok(())
    }

    /// Adds a row for an actor of the fixtures, under their id and names (the row itself is
    /// not written: the fixtures' record stands), and returns its index.
    pub(super) fn named(&mut self, n: N, id: &str, props: &[(&str, String)]) -> u32 {
        let name = self.fixtures.prop(id, "name").unwrap_or(id).to_string();
        let name_en = self.fixtures.prop(id, "name_en").unwrap_or("").to_string();
        self.t(n).push(id.to_string(), name, name_en, props)
    }

    // ---- organisations --------------------------------------------------------------------

    pub(super) fn universities(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("universities");
        let named: [Named; 3] = [
            (
                "univ:sjtu",
                "minhang",
                &[
                    "electronic-information",
                    "biomedicine",
                    "intelligent-robots",
                ],
            ),
            (
                "univ:fudan",
                "yangpu",
                &["biomedicine", "information", "green-low-carbon"],
            ),
            (
                "univ:tongji",
                "yangpu",
                &["green-low-carbon", "new-materials", "intelligent-robots"],
            ),
        ];
        // The source does not say which 14 universities are in the pilot: synthetic ones are,
        // unless the fixtures mark a named one.
        let n_pilot = self.n(source::PILOT_UNIVERSITIES);
        let n = self.n(assumed::UNIVERSITIES).max(named.len() + n_pilot);
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
            let (idx, attr, pilot) = if let Some((id, d, fields)) = named.get(i) {
                let pilot = self.fixtures.is_true(id, "pilot_2023");
                let idx = self.named(N::University, id, &[]);
                (idx, self.named_attr(id, d, fields), pilot)
            } else {
                let pilot = self.pilots.len() < n_pilot;
                let fields = Self::draw_fields(&mut rng, 3);
                let district = rng.weighted(&univ_districts) as u8;
                let (kz, ke) = *rng.pick(&kinds);
                let (zh, en) = self.unique_name(&mut rng, |b, be| {
                    (format!("上海{b}{kz}"), format!("Shanghai {be} {ke}"))
                });
                let idx = self.t(N::University).push(
                    format!("univ:{:04}", i + 1),
                    zh,
                    en,
                    &[("pilot_2023", pilot.to_string())],
                );
                (idx, Attr::new(district, &fields), pilot)
            };
            if pilot {
                self.pilots.push(idx);
            }
            self.place((N::University, idx), attr)?;
            // Zipf sizes: the named universities are the largest, then the pilots.
            self.univ_weight.push(1.0 / (i as f64 + 1.0));
        }
        self.ach_of_univ = vec![Vec::new(); n];
        self.projects_of_univ = vec![Vec::new(); n];
        self.univ_by_field = Some(ByField::new(&self.univ_weight, &self.attrs[&N::University]));
        Ok(())
    }

    pub(super) fn institutes(&mut self) -> Result<(), GenerateError> {
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

    pub(super) fn enterprises(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("enterprises");
        let named: [Named; 7] = [
            (
                "ent:united-imaging",
                "jiading",
                &["medical-devices", "artificial-intelligence"],
            ),
            ("ent:comac-sadri", "pudong", &["aviation", "new-materials"]),
            ("ent:comac", "pudong", &["aviation", "new-materials"]),
            (
                "ent:microport",
                "zhangjiang",
                &["medical-devices", "biomedicine", "intelligent-robots"],
            ),
            (
                "ent:shanghai-electric-nuclear",
                "minhang",
                &["nuclear-power", "new-materials"],
            ),
            ("ent:catl", "lingang", &["new-energy", "green-low-carbon"]),
            (
                "ent:lingang-group",
                "lingang",
                &["integrated-circuits", "intelligent-robots"],
            ),
        ];
        // Chain leaders: the named firms the fixtures mark as such, then synthetic ones.
        let named_leaders = named
            .iter()
            .filter(|(id, _, _)| self.fixtures.is_true(id, "chain_leader"))
            .count();
        let n = self.n(assumed::ENTERPRISES).max(named.len() + 2);
        let n_leaders = self.n(assumed::CHAIN_LEADERS).max(named_leaders);
        let synthetic_leaders = (n_leaders - named_leaders).min(n - named.len());
        let first_other = named.len() + synthetic_leaders;
        let n_startups = self.n(assumed::STARTUPS).min(n - first_other);
        let first_startup = n - n_startups;
        let forms = [
            ("有限公司", "Co., Ltd."),
            ("股份有限公司", "Co., Ltd."),
            ("有限公司", "Co., Ltd."),
        ];
        for i in 0..n {
            let startup = i >= first_startup;
            let (idx, attr, leader) = if let Some((id, d, fields)) = named.get(i) {
                // Internal only: the fixtures' record is written, not these properties.
                let leader = self.fixtures.is_true(id, "chain_leader");
                let props = [
                    ("chain_leader", leader.to_string()),
                    ("sme", "false".to_string()),
                    ("founded", rng.range(1950, 2012).to_string()),
                ];
                let idx = self.named(N::Enterprise, id, &props);
                (idx, self.named_attr(id, d, fields), leader)
            } else {
                let leader = i < first_other;
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
                let founded = if startup {
                    rng.range(2014, 2024)
                } else if leader {
                    rng.range(1950, 2012)
                } else {
                    rng.range(1985, 2020)
                };
                let sme = !leader && (startup || rng.chance(0.85));
                let idx = self.t(N::Enterprise).push(
                    format!("ent:{:06}", i + 1),
                    zh,
                    en,
                    &[
                        ("chain_leader", leader.to_string()),
                        ("sme", sme.to_string()),
                        ("founded", founded.to_string()),
                    ],
                );
                (idx, Attr::new(district, &fields), leader)
            };
            self.place((N::Enterprise, idx), attr)?;
            let sme = self.tables[N::Enterprise as usize].rows[idx as usize].cells[1] == "true";
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

    pub(super) fn incubators_and_others(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("incubators");
        let named: [Named; 3] = [
            (
                "inc:miracle-point",
                "zhangjiang",
                &["medical-devices", "biomedicine"],
            ),
            (
                "inc:xinze",
                "minhang",
                &["electronic-information", "artificial-intelligence"],
            ),
            (
                "inc:ntt-eastern-center",
                "yangpu",
                &["information", "green-low-carbon", "new-materials"],
            ),
        ];
        let n = self.n(assumed::INCUBATORS).max(named.len());
        for i in 0..n {
            if let Some((id, d, fields)) = named.get(i) {
                // High quality only where the fixtures say so (Xinze, one of the first).
                let hq = self
                    .fixtures
                    .prop(id, "high_quality")
                    .unwrap_or("")
                    .to_string();
                let idx = self.named(N::Incubator, id, &[("high_quality", hq)]);
                let attr = self.named_attr(id, d, fields);
                self.place((N::Incubator, idx), attr)?;
                continue;
            }
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
            let idx = self.t(N::Incubator).push(
                format!("inc:{:04}", i + 1),
                zh,
                en,
                &[("high_quality", hq.to_string())],
            );
            self.place((N::Incubator, idx), Attr::new(district, &fields))?;
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
                        "medical-devices"
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
}
