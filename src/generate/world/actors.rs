//! Who exists: districts, fields, programmes, agencies, and the organisations.

use super::*;

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

    pub(super) fn universities(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("universities");
        let named: [Named; 3] = [
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
        let named: [Named; 6] = [
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

    pub(super) fn incubators_and_others(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("incubators");
        let named: [Named; 3] = [
            (
                "miracle_point",
                "奇迹点孵化器",
                "Miracle Point Incubator",
                "zhangjiang",
                &["medical_devices", "biomedicine"],
            ),
            (
                "xinze",
                "莘泽孵化器",
                "Xinze Incubator",
                "minhang",
                &["electronic_information", "artificial_intelligence"],
            ),
            (
                "eastern_center",
                "国家技术转移东部中心",
                "National Technology Transfer Eastern Center",
                "yangpu",
                &["information", "green_low_carbon", "materials"],
            ),
        ];
        let n = self.n(assumed::INCUBATORS).max(named.len());
        for i in 0..n {
            let (id, zh, en, attr, hq) = if let Some((id, zh, en, d, fields)) = named.get(i) {
                let f: Vec<u8> = fields.iter().map(|f| names::field(f)).collect();
                // Xinze is one of the first high-quality incubators; the others' status is
                // not given.
                let hq = (*id == "xinze").then_some(true);
                (
                    format!("inc:{id}"),
                    zh.to_string(),
                    en.to_string(),
                    Attr::new(names::district(d), &f),
                    hq,
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
}
