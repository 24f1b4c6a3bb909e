//! Projects and programmes, achievements, demands and the solutions offered to them.

use super::*;

impl World {
    // ---- projects and programmes ------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    pub(super) fn project(
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

    pub(super) fn project_name(rng: &mut Rng, field: u8, code: &str) -> (String, String) {
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

    pub(super) fn explorer(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("explorer");
        let n_firms = self.n(source::EXPLORER_FIRMS).min(self.chain_leaders.len());
        // The firms the fixtures name as co-funders (United Imaging, COMAC's design
        // institute), then synthetic chain leaders.
        let named: Vec<u32> = self
            .fixtures
            .sources("prog:explorer", "funds")
            .into_iter()
            .filter_map(|id| {
                self.chain_leaders
                    .iter()
                    .copied()
                    .find(|e| self.tables[N::Enterprise as usize].id(*e) == id)
            })
            .collect();
        let mut others: Vec<u32> = self
            .chain_leaders
            .iter()
            .copied()
            .filter(|e| {
                !self
                    .fixtures
                    .has_node(self.tables[N::Enterprise as usize].id(*e))
            })
            .collect();
        rng.shuffle(&mut others);
        let mut firms = named;
        firms.extend(others);
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

    pub(super) fn other_projects(&mut self) -> Result<(), GenerateError> {
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

    pub(super) fn achievements(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("achievements");
        let n = self.n(source::ACHIEVEMENTS);
        let n_granted = self.n(source::PILOT_GRANTED).min(n);
        let pilots = self.pilots.clone();
        let by_size = Cumulative::new(pilots.iter().map(|u| self.univ_weight[*u as usize]));
        let methods = ["制备方法", "应用", "控制方法", "检测方法", "设计方法"];
        for i in 0..n {
            let granted = i < n_granted;
            let (owner, year) = if granted {
                (
                    (N::University, pilots[by_size.sample(&mut rng)]),
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

    pub(super) fn ach_year(&self, a: u32) -> i64 {
        self.tables[N::Achievement as usize].rows[a as usize].cells[0]
            .parse()
            .unwrap_or(2015)
    }

    pub(super) fn demands_and_solutions(&mut self) -> Result<(), GenerateError> {
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
}
