//! Technology managers and the collaboration ties.

use super::*;

impl World {
    // ---- technology managers -------------------------------------------------------------

    pub(super) fn person(rng: &mut Rng) -> (String, String) {
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

    /// A synthetic technology manager (`tm:NNNNNN`), employed and in fields.
    pub(super) fn tech_manager(
        &mut self,
        name: (String, String),
        employer: Ref,
        fields: &[u8],
    ) -> Result<u32, GenerateError> {
        self.tm_serial += 1;
        let id = format!("tm:{:06}", self.tm_serial);
        let idx = self.t(N::TechManager).push(id, name.0, name.1, &[]);
        self.employ(idx, employer, fields)?;
        if employer.0 == N::University {
            self.tm_count[employer.1 as usize] += 1;
        }
        Ok(idx)
    }

    fn employ(&mut self, idx: u32, employer: Ref, fields: &[u8]) -> Result<(), GenerateError> {
        let me = (N::TechManager, idx);
        self.emit(E::WorksFor, me, employer, &[])?;
        for f in fields {
            self.emit(E::InField, me, (N::Field, u32::from(*f)), &[])?;
        }
        Ok(())
    }

    pub(super) fn serve(&mut self, tm: u32, target: Ref, year: i64) -> Result<(), GenerateError> {
        self.emit(
            E::Serves,
            (N::TechManager, tm),
            target,
            &[&year.to_string()],
        )
    }

    pub(super) fn tech_managers(&mut self) -> Result<(), GenerateError> {
        let mut rng = self.rng("tech_managers");
        let sjtu = (N::University, 0);
        let sjtu_fields = self.attr(sjtu).fields().to_vec();
        // SJTU's mixed team (the fixtures' record): 17 specialists serving 400 projects. They
        // are SJTU's only technology managers, as its `tech_manager_count` (17) says.
        let projects = self.sjtu_projects.clone();
        let n_spec = self.n(source::SJTU_SPECIALISTS);
        let team = self.named(
            N::TechManager,
            "tm:sjtu-specialists",
            &[
                ("team_size", n_spec.to_string()),
                ("projects_served", projects.len().to_string()),
            ],
        );
        self.employ(team, sjtu, &sjtu_fields)?;
        let mut specialists = Vec::new();
        for _ in 0..n_spec {
            let fields = vec![*rng.pick(&sjtu_fields)];
            let name = Self::person(&mut rng);
            specialists.push(self.tech_manager(name, sjtu, &fields)?);
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
        let univ = Cumulative::new(self.univ_weight.iter().enumerate().map(|(u, w)| {
            if u == 0 {
                0.0
            } else {
                w.sqrt()
            }
        }));
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
            let tm = self.tech_manager(name, employer, &fields)?;
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

    pub(super) fn collaborations(&mut self) -> Result<(), GenerateError> {
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
