//! Degree and strength, with the conventions of NetworkX `G.degree`.
//!
//! For undirected graphs the degree of a node is its number of ties; for directed graphs
//! [`degree`] is in-degree + out-degree (NetworkX `DiGraph.degree`), and [`in_degree`] /
//! [`out_degree`] give the two halves. Strength is the weighted analogue (sum of tie
//! weights; NetworkX `G.degree(weight="weight")`). Parallel ties are already merged by the
//! graph (weights summed) and self-loops dropped, so a merged tie counts once in the degree.
//!
//! Complexity: O(n) for degrees (slice lengths), O(n + m) for strengths.

use crate::graph::Csr;

/// Degree of every node: number of ties (undirected) or in + out arcs (directed).
///
/// Returns a vector indexed by node. O(n).
pub fn degree(g: &Csr) -> Vec<usize> {
    (0..g.node_count())
        .map(|v| {
            if g.is_directed() {
                g.out_neighbors(v).len() + g.in_neighbors(v).len()
            } else {
                g.out_neighbors(v).len()
            }
        })
        .collect()
}

/// In-degree of every node (equal to [`degree`] for undirected graphs). O(n).
pub fn in_degree(g: &Csr) -> Vec<usize> {
    (0..g.node_count())
        .map(|v| g.in_neighbors(v).len())
        .collect()
}

/// Out-degree of every node (equal to [`degree`] for undirected graphs). O(n).
pub fn out_degree(g: &Csr) -> Vec<usize> {
    (0..g.node_count())
        .map(|v| g.out_neighbors(v).len())
        .collect()
}

/// Strength of every node: sum of tie weights (directed: in-weights + out-weights), as
/// NetworkX `G.degree(weight="weight")`. O(n + m).
pub fn strength(g: &Csr) -> Vec<f64> {
    (0..g.node_count())
        .map(|v| {
            let out: f64 = g.out_weights(v).iter().sum();
            if g.is_directed() {
                out + g.in_weights(v).iter().sum::<f64>()
            } else {
                out
            }
        })
        .collect()
}

/// Sum of the weights of the ties into every node (equal to [`strength`] when undirected).
pub fn in_strength(g: &Csr) -> Vec<f64> {
    (0..g.node_count())
        .map(|v| g.in_weights(v).iter().sum())
        .collect()
}

/// Sum of the weights of the ties out of every node (equal to [`strength`] when undirected).
pub fn out_strength(g: &Csr) -> Vec<f64> {
    (0..g.node_count())
        .map(|v| g.out_weights(v).iter().sum())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::reference::{assert_close, cases};
    use super::*;

    #[test]
    fn degrees_and_strengths_match_networkx() {
        for case in cases() {
            let g = &case.graph;
            let as_f = |v: Vec<usize>| v.into_iter().map(|x| x as f64).collect::<Vec<_>>();
            assert_close(
                &case.name,
                "degree",
                &as_f(degree(g)),
                &case.vec("degree"),
                0.0,
            );
            assert_close(
                &case.name,
                "strength",
                &strength(g),
                &case.vec("strength"),
                1e-12,
            );
            if g.is_directed() {
                assert_close(
                    &case.name,
                    "in",
                    &as_f(in_degree(g)),
                    &case.vec("in_degree"),
                    0.0,
                );
                assert_close(
                    &case.name,
                    "out",
                    &as_f(out_degree(g)),
                    &case.vec("out_degree"),
                    0.0,
                );
                assert_close(
                    &case.name,
                    "in_s",
                    &in_strength(g),
                    &case.vec("in_strength"),
                    1e-12,
                );
                assert_close(
                    &case.name,
                    "out_s",
                    &out_strength(g),
                    &case.vec("out_strength"),
                    1e-12,
                );
            } else {
                assert_eq!(degree(g), in_degree(g));
                assert_eq!(degree(g), out_degree(g));
            }
        }
    }
}

/// NetworkX reference values for the structural measures, shared by the tests of this family
/// (`fixtures/graphs/reference/structure.json`, made by `make_structure_reference.py`).
#[cfg(test)]
pub(crate) mod reference {
    use crate::graph::Csr;
    use serde_json::Value;

    /// One reference graph and its measures.
    pub struct Case {
        pub name: String,
        pub graph: Csr,
        measures: serde_json::Map<String, Value>,
    }

    impl Case {
        /// Whether the reference holds `key`.
        pub fn has(&self, key: &str) -> bool {
            self.measures.contains_key(key)
        }

        /// A numeric vector (`null` = NaN).
        pub fn vec(&self, key: &str) -> Vec<f64> {
            let arr = self.measures[key].as_array().expect("array");
            arr.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
        }

        /// An index vector.
        pub fn usizes(&self, key: &str) -> Vec<usize> {
            let arr = self.measures[key].as_array().expect("array");
            arr.iter()
                .map(|x| x.as_f64().expect("index") as usize)
                .collect()
        }

        /// A list of index pairs.
        pub fn pairs(&self, key: &str) -> Vec<(usize, usize)> {
            let arr = self.measures[key].as_array().expect("array");
            arr.iter()
                .map(|p| {
                    let p = p.as_array().expect("pair");
                    (
                        p[0].as_u64().expect("i") as usize,
                        p[1].as_u64().expect("i") as usize,
                    )
                })
                .collect()
        }

        /// A scalar.
        pub fn scalar(&self, key: &str) -> f64 {
            self.measures[key].as_f64().expect("number")
        }
    }

    /// All reference graphs.
    pub fn cases() -> Vec<Case> {
        let text = include_str!("../../fixtures/graphs/reference/structure.json");
        let root: Value = serde_json::from_str(text).expect("reference JSON");
        let graphs = root["graphs"].as_object().expect("graphs");
        graphs
            .iter()
            .map(|(name, g)| Case {
                name: name.clone(),
                graph: crate::algo::test_graphs::from_reference(g),
                measures: g["measures"].as_object().expect("measures").clone(),
            })
            .collect()
    }

    /// The reference graph called `name`.
    pub fn case(name: &str) -> Case {
        cases()
            .into_iter()
            .find(|c| c.name == name)
            .expect("reference graph")
    }

    /// Element-wise |got − want| <= tol (NaN only matches NaN).
    pub fn assert_close(graph: &str, what: &str, got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len(), "{graph}/{what}: length");
        for (i, (a, b)) in got.iter().zip(want).enumerate() {
            if b.is_nan() {
                assert!(a.is_nan(), "{graph}/{what}[{i}]: got {a}, want NaN");
            } else {
                assert!(
                    (a - b).abs() <= tol,
                    "{graph}/{what}[{i}]: got {a}, want {b}"
                );
            }
        }
    }

    #[test]
    fn reference_graphs_agree_with_the_fixture_loaders() {
        use crate::algo::test_graphs;
        assert_eq!(case("karate").graph, test_graphs::karate());
        assert_eq!(case("florentine").graph, test_graphs::florentine());
        assert_eq!(case("kite").graph, test_graphs::kite());
        assert_eq!(case("path6").graph, test_graphs::path(6));
        assert_eq!(case("star6").graph, test_graphs::star(6));
        assert_eq!(case("cycle7").graph, test_graphs::cycle(7));
    }
}
