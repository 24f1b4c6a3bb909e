//! Platforms, incubation and spin-offs.

use super::*;

/// A platform the source names: fixture id; district, field (where the fixtures give none),
/// year and operators the generator assumes (the fixtures' operators are the same).
type NamedPlatform = (&'static str, &'static str, &'static str, i64, Vec<Ref>);

impl World {
    // ---- platforms, incubation, spin-offs ----------------------------------------------------

    pub(super) fn platform(
        &mut self,
        id: String,
        name: (String, String),
        ptype: &str,
        year: i64,
        attr: Attr,
        operators: &[Ref],
    ) -> Result<u32, GenerateError> {
        let idx = self.t(N::Platform).push(
            id,
            name.0,
            name.1,
            &[("platform_type", ptype.into()), ("year", year.to_string())],
        );
        let me = (N::Platform, idx);
        self.place(me, attr)?;
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

    pub(super) fn platforms(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("platforms");
        let f = names::field;
        let sjtu = (N::University, 0);
        let fudan = (N::University, 1);
        let catl = (N::Enterprise, 5);
        let lingang = (N::Enterprise, 6);
        let miracle = (N::Incubator, 0);
        let xinze = (N::Incubator, 1);
        let eastern = (N::Incubator, 2);
        let stcsm = (N::Agency, 0);
        let sheitc = (N::Agency, 4);
        // The concept-verification centres the source names (Zizhu's and Minhang's support for
        // the SJTU–Zizhu centre are fixture ties).
        let named: [NamedPlatform; 5] = [
            (
                "plat:sjtu-biomed-cv",
                "minhang",
                "biomedicine",
                2023,
                vec![sjtu, lingang, catl],
            ),
            (
                "plat:sjtu-robotics-cv",
                "dalinghao",
                "intelligent-robots",
                2024,
                vec![sjtu, lingang, catl],
            ),
            (
                "plat:sjtu-zizhu-ei-cv",
                "zizhu",
                "electronic-information",
                2024,
                vec![sjtu],
            ),
            (
                "plat:zhixinggang",
                "minhang",
                "artificial-intelligence",
                2023,
                vec![xinze],
            ),
            (
                "plat:fudan-green-cv",
                "yangpu",
                "green-low-carbon",
                2024,
                vec![eastern, fudan],
            ),
        ];
        for (id, district, field, year, ops) in named {
            let name = (
                self.fixtures.prop(id, "name").unwrap_or(id).to_string(),
                self.fixtures.prop(id, "name_en").unwrap_or("").to_string(),
            );
            let attr = self.named_attr(id, district, &[field]);
            let p = self.platform(id.into(), name, "concept_verification", year, attr, &ops)?;
            self.cv_platforms.push(p);
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
                f("medical-devices")
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
                Attr::new(district, &[field]),
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
                Attr::new(district, &[field]),
                &ops,
            )?;
            self.cv_platforms.push(p);
        }
        // New-material pilot bases, recognised in 2023.
        let materials = f("new-materials");
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
            let attr = Attr::new(district, &[materials]);
            let p = self.platform(id, (zh, en), "pilot_base", 2023, attr, &ops)?;
            self.emit(E::Supports, sheitc, (N::Platform, p), &["", "2023"])?;
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
                Attr::new(district, &[field]),
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
    pub(super) fn take_startup(&mut self, rng: &mut Rng, field: u8) -> u32 {
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
    pub(super) fn incubate(
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

    pub(super) fn incubation(&mut self) -> Result<(), GenerateError> {
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
        let pilots = self.pilots.clone();
        let by_size = Cumulative::new(pilots.iter().map(|u| self.univ_weight[*u as usize]));
        let mut pilot_total = 0;
        for _ in 0..self.n(source::PILOT_INCUBATED) {
            let u = (N::University, pilots[by_size.sample(&mut rng)]);
            let field = *rng.pick(self.attr(u).fields());
            if let Some((st, year)) = self.incubate(&mut rng, u, field, 2023, 2024)? {
                self.t(N::Enterprise).set(st, "founded", year.to_string());
                if self.spun.insert((st, u)) {
                    self.emit(E::SpunOffFrom, (N::Enterprise, st), u, &[&year.to_string()])?;
                }
                pilot_total += 1;
            }
        }
        // Miracle Point: 27 companies; SJTU's biomedicine centre: 7 in 2024.
        let mut mp_total = 0;
        for _ in 0..self.n(source::MIRACLE_POINT_INCUBATED) {
            let field = if rng.chance(0.6) {
                names::field("medical-devices")
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
                    &[&founded.to_string()],
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
}
