//! The model's input row of a pair: the link features, log-scaled where they count things.
//!
//! | column | value |
//! |---|---|
//! | `cn`, `aa`, `ra`, `paths3` | `ln(1 + x)` |
//! | `jaccard` | as is |
//! | `katz` | `ln(1 + katz / β²)` = `ln(1 + cn + β·paths3)`: Katz in units of common neighbours |
//! | `distance_2`, `distance_3` | 1 when the capped distance is 2 (3), else 0; farther pairs are the baseline |
//! | `same_component`, `same_community` | 0 or 1 |
//! | `shared_fields`, `field_jaccard`, `shared_districts` | as is |
//! | `source_*`, `target_*` | `ln(1 + x)` of each end's degree, activity, recent activity, amount |
//!
//! Preferential attachment is not a column: `ln(k_u) + ln(k_v)` is what the two degree
//! columns already give a linear model. When both ends are of one kind, the end with the
//! smaller (degree, index) fills the `source_*` columns, so a pair has one row whichever end
//! is named first.

use crate::algo::link_features::{NodeData, PairFeatures, Structure, KATZ_BETA};

/// Number of columns.
pub const WIDTH: usize = 21;

/// Column names, in order.
pub const FEATURE_NAMES: [&str; WIDTH] = [
    "cn",
    "aa",
    "ra",
    "jaccard",
    "paths3",
    "katz",
    "distance_2",
    "distance_3",
    "same_component",
    "same_community",
    "shared_fields",
    "field_jaccard",
    "shared_districts",
    "source_degree",
    "source_activity",
    "source_recent_activity",
    "source_amount",
    "target_degree",
    "target_activity",
    "target_recent_activity",
    "target_amount",
];

/// First column of the ends' data; the columns before it depend on the pair.
pub const ENDS: usize = 13;
/// Columns per end.
pub const END_WIDTH: usize = 4;

/// `ln(1 + x)` of a count, from a table for small counts (the hot path of scoring).
fn ln_1p_count(x: f64) -> f64 {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| (0..4096).map(|i| f64::from(i).ln_1p()).collect());
    if x >= 0.0 && x < table.len() as f64 && x.fract() == 0.0 {
        table[x as usize]
    } else {
        x.ln_1p()
    }
}

/// An upper bound of `ln(1 + x)` for `x ≥ 0`, within 1/64 of `x`: `x` rounded up to a
/// multiple of 1/64 and looked up in a table (exact beyond 64). Cheap where the exact value
/// is not needed.
pub(crate) fn ln_1p_upper(x: f64) -> f64 {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| (0..4096).map(|i| (f64::from(i) / 64.0).ln_1p()).collect());
    let at = (x * 64.0).ceil();
    if at >= 0.0 && at < table.len() as f64 {
        table[at as usize]
    } else {
        x.ln_1p()
    }
}

/// What a row needs besides the pair's features: each node's end columns.
#[derive(Debug, Clone)]
pub struct Design {
    ends: Vec<[f64; END_WIDTH]>,
    degree: Vec<u32>,
    same_kind: bool,
}

impl Design {
    /// The end columns of every node of a graph with `structure` and `data`; `same_kind` when
    /// both ends of a pair are of one kind.
    pub fn new(structure: &Structure, data: &NodeData, same_kind: bool) -> Design {
        let at = |xs: &[f64], v: usize| xs.get(v).copied().unwrap_or(0.0).max(0.0).ln_1p();
        let ends = (0..structure.degree.len())
            .map(|v| {
                [
                    f64::from(structure.degree[v]).ln_1p(),
                    at(&data.activity, v),
                    at(&data.recent_activity, v),
                    at(&data.amount, v),
                ]
            })
            .collect();
        Design {
            ends,
            degree: structure.degree.clone(),
            same_kind,
        }
    }

    /// The end that fills the `source_*` columns, then the other.
    pub fn order(&self, u: u32, v: u32) -> (u32, u32) {
        if self.same_kind && (self.degree[v as usize], v) < (self.degree[u as usize], u) {
            (v, u)
        } else {
            (u, v)
        }
    }

    /// The end columns of node `x`.
    pub fn end(&self, x: u32) -> &[f64; END_WIDTH] {
        &self.ends[x as usize]
    }

    /// Writes the columns that depend on the pair (`..ENDS`) into `head`. The first eight
    /// (the topology) are all zero when the pair has no walk of length 2 or 3, and the first
    /// four when it has no common neighbour.
    pub fn head(f: &PairFeatures, head: &mut [f64]) {
        if f.cn > 0.0 {
            head[0] = ln_1p_count(f.cn);
            head[1] = f.aa.ln_1p();
            head[2] = f.ra.ln_1p();
            head[3] = f.jaccard;
            head[5] = (f.katz / (KATZ_BETA * KATZ_BETA)).ln_1p();
        } else {
            head[..4].fill(0.0);
            // Katz in units of common neighbours, without any: ln(1 + β·paths3).
            head[5] = if f.paths3 > 0.0 {
                (KATZ_BETA * f.paths3).ln_1p()
            } else {
                0.0
            };
        }
        head[4] = ln_1p_count(f.paths3);
        head[6] = f64::from(u8::from(f.distance == 2));
        head[7] = f64::from(u8::from(f.distance == 3));
        head[8] = f64::from(u8::from(f.same_component));
        head[9] = f64::from(u8::from(f.same_community));
        head[10] = f.shared_fields;
        head[11] = f.field_jaccard;
        head[12] = f.shared_districts;
    }

    /// Writes the row of `(u, v)` with features `f` into `row`.
    pub fn row(&self, u: u32, v: u32, f: &PairFeatures, row: &mut [f64; WIDTH]) {
        Design::head(f, &mut row[..ENDS]);
        let (a, b) = self.order(u, v);
        row[ENDS..ENDS + END_WIDTH].copy_from_slice(&self.ends[a as usize]);
        row[ENDS + END_WIDTH..].copy_from_slice(&self.ends[b as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::link_features::pair_features;
    use crate::graph::Csr;

    #[test]
    fn rows_log_scale_counts_and_order_same_kind_ends() {
        // 0–1, 0–2, 1–3, 2–3: 0 and 3 share partners 1 and 2.
        let g = Csr::from_pairs(5, false, &[(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)]);
        let s = Structure::of(&g, 0);
        let mut data = NodeData::empty(5);
        data.activity[0] = 4.0;
        data.amount[3] = 99.0;
        let f = pair_features(&g, &s, &data, 0, 3);
        let mut row = [0.0; WIDTH];
        Design::new(&s, &data, false).row(0, 3, &f, &mut row);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(row[0], 3f64.ln()));
        assert!(close(row[5], (1.0 + 2.0 + KATZ_BETA * f.paths3).ln()));
        assert_eq!((row[6], row[7]), (1.0, 0.0));
        assert!(close(row[13], 3f64.ln()), "degree 2 of node 0");
        assert!(close(row[14], 5f64.ln()), "activity 4 of node 0");
        assert!(close(row[17], 4f64.ln()), "degree 3 of node 3");
        assert!(close(row[20], 100f64.ln()));
        // One kind: node 0 (degree 2) fills the source columns whichever end comes first.
        let same = Design::new(&s, &data, true);
        let mut swapped = [0.0; WIDTH];
        same.row(3, 0, &f, &mut swapped);
        assert_eq!(swapped, row);
        // 0 and 4 are three steps apart, by two paths (through 1 and through 2).
        let three = pair_features(&g, &s, &data, 0, 4);
        Design::new(&s, &data, false).row(0, 4, &three, &mut row);
        let expected = [
            0.0,
            0.0,
            0.0,
            0.0,
            3f64.ln(),
            (1.0 + 2.0 * KATZ_BETA).ln(),
            0.0,
            1.0,
        ];
        assert!(
            row[..8].iter().zip(expected).all(|(a, b)| close(*a, b)),
            "{row:?}"
        );
    }
}
