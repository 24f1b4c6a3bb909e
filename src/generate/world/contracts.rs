//! Technology contracts (技术合同) between universities or institutes and firms, 2015-2024.

use super::*;

impl World {
    // ---- technology contracts ---------------------------------------------------------------

    pub(super) fn contracts(&mut self) -> Result<(), GenerateError> {
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

    pub(super) fn owner_of_granted(&self, a: u32) -> u32 {
        self.ach_of_univ
            .iter()
            .position(|list| list.binary_search(&a).is_ok())
            .expect("granted results are owned by universities") as u32
    }

    /// A firm for a contract: a repeat partner (parallel contracts), else a preferential pick
    /// in the signer's fields and district.
    pub(super) fn contract_partner(
        &mut self,
        rng: &mut Rng,
        signer: Ref,
        partners: &mut Vec<u32>,
    ) -> u32 {
        if !partners.is_empty() && rng.chance(0.3) {
            return *rng.pick(partners);
        }
        let attr = self.attr(signer);
        let field = *rng.pick(attr.fields());
        let e = self.pick_ent(rng, Some(field), Some(attr.district));
        partners.push(e);
        e
    }

    pub(super) fn contract_achievement(
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
}
