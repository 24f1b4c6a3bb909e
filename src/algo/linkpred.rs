//! Link prediction on the collab view: the neighbourhood scores of Liben-Nowell & Kleinberg
//! (2007, "The link-prediction problem for social networks") and Zhou, Lü & Zhang (2009,
//! "Predicting missing links via local information"), plus a documented blend that also
//! weighs shared fields and districts. Pure functions of an undirected [`Csr`] and
//! per-node attribute lists; no store access.
//!
//! For an untied pair `(u, v)` with neighbour sets `Γ(u)`, `Γ(v)` and degrees `k`:
//! - common neighbours `CN = |Γ(u) ∩ Γ(v)|`;
//! - Adamic–Adar `AA = Σ_{w ∈ Γ(u) ∩ Γ(v)} 1 / ln k_w` (a common neighbour has `k_w ≥ 2`);
//! - resource allocation `RA = Σ_{w ∈ Γ(u) ∩ Γ(v)} 1 / k_w`;
//! - preferential attachment `PA = k_u · k_v`;
//! - `combined`, see [`Blend`].
//!
//! Degrees are counts of distinct tied partners (tie weights are ignored).

use serde::Serialize;

use super::sets::{intersect, jaccard};
use crate::graph::Csr;

/// Which score ranks the pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Common neighbours.
    Cn,
    /// Adamic–Adar.
    Aa,
    /// Resource allocation.
    Ra,
    /// Preferential attachment.
    Pa,
    /// The blend of [`Blend`].
    Combined,
}

impl Method {
    /// Every method, in report order.
    pub const ALL: [Method; 5] = [
        Method::Cn,
        Method::Aa,
        Method::Ra,
        Method::Pa,
        Method::Combined,
    ];

    /// The method's short name (`cn`, `aa`, `ra`, `pa`, `combined`).
    pub fn name(self) -> &'static str {
        match self {
            Method::Cn => "cn",
            Method::Aa => "aa",
            Method::Ra => "ra",
            Method::Pa => "pa",
            Method::Combined => "combined",
        }
    }

    /// Parses a short name.
    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == text)
    }
}

/// The weights of the `combined` score:
///
/// `combined = aa·AA + ra·RA + pa·PA' + field·F + district·D`, where
/// - `PA' = ln(1 + k_u) · ln(1 + k_v) / ln(1 + k_max)²` ∈ [0, 1] is preferential attachment
///   on a log scale, normalised by the largest degree of the graph;
/// - `F = |fields(u) ∩ fields(v)| / |fields(u) ∪ fields(v)|` (Jaccard of the `in_field`
///   targets; 0 when neither has a field);
/// - `D` = Jaccard of the `located_in` targets (districts; countries on CORDIS).
///
/// The neighbourhood terms dominate among pairs that share partners; the attachment,
/// field and district terms rank the many pairs that share none (where CN, AA and RA all
/// tie at 0). The default weights were tuned on CORDIS with a seed other than the reported
/// one (see EVALUATION.md).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Blend {
    /// Weight of Adamic–Adar.
    pub aa: f64,
    /// Weight of resource allocation.
    pub ra: f64,
    /// Weight of log-scaled, normalised preferential attachment.
    pub pa: f64,
    /// Weight of log-scaled, normalised attachment by activity (relations, not partners).
    pub activity: f64,
    /// Weight of the Jaccard similarity of fields.
    pub field: f64,
    /// Weight of the Jaccard similarity of districts.
    pub district: f64,
}

impl Default for Blend {
    fn default() -> Self {
        Blend {
            aa: 0.05,
            ra: 0.5,
            pa: 0.0,
            activity: 1.0,
            field: 0.5,
            district: 0.02,
        }
    }
}

impl Blend {
    /// These weights with some replaced, from text like `aa=1,pa=0.2` (names `aa`, `ra`,
    /// `pa`, `field`, `district`).
    pub fn with_overrides(mut self, text: &str) -> Result<Blend, String> {
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("blend weight `{part}` is not NAME=VALUE"))?;
            let value: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| format!("blend weight `{part}` is not a finite number"))?;
            let slot = match name.trim() {
                "aa" => &mut self.aa,
                "ra" => &mut self.ra,
                "pa" => &mut self.pa,
                "activity" => &mut self.activity,
                "field" => &mut self.field,
                "district" => &mut self.district,
                other => {
                    return Err(format!(
                    "unknown blend weight `{other}` (known: aa, ra, pa, activity, field, district)"
                ))
                }
            };
            *slot = value;
        }
        Ok(self)
    }
}

/// Node attributes the combined score uses: sorted, deduplicated lists of field and
/// district ids (any `u32` labels) per graph node.
#[derive(Debug, Clone, Default)]
pub struct Attributes {
    /// Fields of each node.
    pub fields: Vec<Vec<u32>>,
    /// Districts of each node.
    pub districts: Vec<Vec<u32>>,
    /// Activity of each node: the number of distinct relations (shared projects and
    /// platforms, contracts, incubations, collaborations) behind its ties; empty when
    /// unknown.
    pub activity: Vec<u32>,
}

impl Attributes {
    /// No attributes for `n` nodes.
    pub fn empty(n: usize) -> Attributes {
        Attributes {
            fields: vec![Vec::new(); n],
            districts: vec![Vec::new(); n],
            activity: Vec::new(),
        }
    }
}

/// Every score of one pair, and the parts of the combined one.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct PairScores {
    /// Common neighbours.
    pub cn: f64,
    /// Adamic–Adar.
    pub aa: f64,
    /// Resource allocation.
    pub ra: f64,
    /// Preferential attachment `k_u · k_v`.
    pub pa: f64,
    /// Log-scaled, normalised attachment `PA'`.
    pub pa_log: f64,
    /// Log-scaled, normalised attachment by activity `A' = ln(1 + a_u) · ln(1 + a_v) /
    /// ln(1 + a_max)²`.
    pub activity: f64,
    /// Jaccard similarity of fields.
    pub fields: f64,
    /// Jaccard similarity of districts.
    pub districts: f64,
}

impl PairScores {
    /// The score of `method` under `blend`.
    pub fn get(&self, method: Method, blend: &Blend) -> f64 {
        match method {
            Method::Cn => self.cn,
            Method::Aa => self.aa,
            Method::Ra => self.ra,
            Method::Pa => self.pa,
            Method::Combined => self.combined(blend),
        }
    }

    /// The combined score (see [`Blend`]).
    pub fn combined(&self, blend: &Blend) -> f64 {
        blend.aa * self.aa
            + blend.ra * self.ra
            + blend.pa * self.pa_log
            + blend.activity * self.activity
            + blend.field * self.fields
            + blend.district * self.districts
    }
}

fn at(lists: &[Vec<u32>], x: u32) -> &[u32] {
    lists.get(x as usize).map_or(&[][..], |l| &l[..])
}

/// Scores pairs of one undirected graph.
pub struct Scorer<'a> {
    graph: &'a Csr,
    attributes: &'a Attributes,
    log_max: f64,
    activity_log_max: f64,
}

impl<'a> Scorer<'a> {
    /// A scorer over `graph` (undirected; neighbour lists sorted) with `attributes` indexed
    /// by graph node.
    pub fn new(graph: &'a Csr, attributes: &'a Attributes) -> Self {
        let k_max = (0..graph.node_count())
            .map(|v| graph.out_neighbors(v).len())
            .max()
            .unwrap_or(0);
        let a_max = attributes.activity.iter().copied().max().unwrap_or(0);
        Scorer {
            graph,
            attributes,
            log_max: (1.0 + k_max as f64).ln(),
            activity_log_max: (1.0 + a_max as f64).ln(),
        }
    }

    /// Degree of `v` (distinct partners).
    pub fn degree(&self, v: u32) -> usize {
        self.graph.out_neighbors(v as usize).len()
    }

    /// Common neighbours of `u` and `v`, ascending.
    pub fn common_neighbors(&self, u: u32, v: u32) -> Vec<u32> {
        intersect(
            self.graph.out_neighbors(u as usize),
            self.graph.out_neighbors(v as usize),
        )
    }

    /// Every score of the pair `(u, v)`.
    pub fn scores(&self, u: u32, v: u32) -> PairScores {
        let common = self.common_neighbors(u, v);
        let mut aa = 0.0;
        let mut ra = 0.0;
        for &w in &common {
            let k = self.degree(w) as f64;
            ra += 1.0 / k;
            if k > 1.0 {
                aa += 1.0 / k.ln();
            }
        }
        let (ku, kv) = (self.degree(u) as f64, self.degree(v) as f64);
        let pa_log = if self.log_max > 0.0 {
            (1.0 + ku).ln() * (1.0 + kv).ln() / (self.log_max * self.log_max)
        } else {
            0.0
        };
        let act = |x: u32| {
            (1.0 + self
                .attributes
                .activity
                .get(x as usize)
                .copied()
                .unwrap_or(0) as f64)
                .ln()
        };
        let activity = if self.activity_log_max > 0.0 {
            act(u) * act(v) / (self.activity_log_max * self.activity_log_max)
        } else {
            0.0
        };
        PairScores {
            cn: common.len() as f64,
            activity,
            aa,
            ra,
            pa: ku * kv,
            pa_log,
            fields: jaccard(
                at(&self.attributes.fields, u),
                at(&self.attributes.fields, v),
            ),
            districts: jaccard(
                at(&self.attributes.districts, u),
                at(&self.attributes.districts, v),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Csr;

    /// 0–1, 0–2, 1–2, 1–3, 2–3, 3–4: nodes 0 and 3 share partners 1 and 2 (degree 3 each);
    /// 1 and 4 share partner 3 (degree 3).
    fn graph() -> Csr {
        Csr::from_pairs(5, false, &[(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (3, 4)])
    }

    #[test]
    fn neighbourhood_scores_match_hand_computed_values() {
        let g = graph();
        let attrs = Attributes::empty(5);
        let s = Scorer::new(&g, &attrs);
        let p = s.scores(0, 3);
        assert_eq!(p.cn, 2.0);
        assert!((p.aa - 2.0 / 3f64.ln()).abs() < 1e-12);
        assert!((p.ra - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(p.pa, 2.0 * 3.0);
        assert_eq!(s.common_neighbors(0, 3), vec![1, 2]);
        let q = s.scores(1, 4);
        assert_eq!(q.cn, 1.0);
        assert!((q.ra - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(q.pa, 3.0);
        // k_max = 3: PA' = ln 4 · ln 2 / ln² 4.
        let expected = 4f64.ln() * 2f64.ln() / (4f64.ln() * 4f64.ln());
        assert!((q.pa_log - expected).abs() < 1e-12);
        let none = s.scores(0, 4);
        assert_eq!((none.cn, none.aa, none.ra), (0.0, 0.0, 0.0));
        assert_eq!(none.pa, 2.0);
    }

    #[test]
    fn attributes_enter_as_jaccard_and_blend_adds_up() {
        let g = graph();
        let attrs = Attributes {
            fields: vec![vec![10, 11], vec![], vec![], vec![], vec![11, 12]],
            districts: vec![vec![7], vec![], vec![], vec![], vec![7]],
            activity: vec![3, 0, 0, 0, 1],
        };
        let s = Scorer::new(&g, &attrs);
        let p = s.scores(0, 4);
        assert!((p.fields - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(p.districts, 1.0);
        let blend = Blend {
            aa: 1.0,
            ra: 2.0,
            pa: 0.0,
            activity: 5.0,
            field: 3.0,
            district: 4.0,
        };
        // A' = ln 4 · ln 2 / ln² 4 = 1/2.
        assert!((p.activity - 0.5).abs() < 1e-12);
        assert!((p.combined(&blend) - (1.0 + 4.0 + 2.5)).abs() < 1e-12);
        assert_eq!(p.get(Method::Pa, &blend), 2.0);
        assert_eq!(Method::parse("ra"), Some(Method::Ra));
        assert_eq!(Method::parse("xx"), None);
    }
}
