//! Graphs with published reference values, for the algorithms' unit tests.
#![allow(dead_code)]

use crate::graph::Csr;

/// A graph of a reference file (`fixtures/graphs/reference/*.json`): `{"n", "directed",
/// "edges": [[u, v, weight], …]}`.
pub fn from_reference(spec: &serde_json::Value) -> Csr {
    let n = spec["n"].as_u64().expect("n") as usize;
    let directed = spec["directed"].as_bool().expect("directed");
    let edges: Vec<(u32, u32, f64)> = spec["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            (
                e[0].as_u64().expect("u") as u32,
                e[1].as_u64().expect("v") as u32,
                e[2].as_f64().expect("w"),
            )
        })
        .collect();
    Csr::from_edges(n, directed, &edges)
}

/// Parses an edge list: `#` comments (the first comment line may say `directed`), then one
/// `u v [weight]` line per tie with 0-based node indices.
pub fn parse_edge_list(text: &str, directed: bool) -> Csr {
    let mut edges = Vec::new();
    let mut n = 0usize;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let u: u32 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .expect("node index");
        let v: u32 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .expect("node index");
        let w: f64 = parts.next().map_or(1.0, |s| s.parse().expect("weight"));
        n = n.max(u as usize + 1).max(v as usize + 1);
        edges.push((u, v, w));
    }
    Csr::from_edges(n, directed, &edges)
}

/// Zachary's karate club (34 nodes, 78 ties).
pub fn karate() -> Csr {
    parse_edge_list(include_str!("../../fixtures/graphs/karate.edges"), false)
}

/// Padgett's Florentine families marriage network (15 nodes, 20 ties).
pub fn florentine() -> Csr {
    parse_edge_list(
        include_str!("../../fixtures/graphs/florentine.edges"),
        false,
    )
}

/// Krackhardt's kite (10 nodes, 18 ties).
pub fn kite() -> Csr {
    parse_edge_list(include_str!("../../fixtures/graphs/kite.edges"), false)
}

/// Path 0–1–…–(n−1).
pub fn path(n: usize) -> Csr {
    let pairs: Vec<(u32, u32)> = (1..n as u32).map(|i| (i - 1, i)).collect();
    Csr::from_pairs(n, false, &pairs)
}

/// Star with centre 0 and `n − 1` leaves.
pub fn star(n: usize) -> Csr {
    let pairs: Vec<(u32, u32)> = (1..n as u32).map(|i| (0, i)).collect();
    Csr::from_pairs(n, false, &pairs)
}

/// Cycle on `n` nodes.
pub fn cycle(n: usize) -> Csr {
    let pairs: Vec<(u32, u32)> = (0..n as u32).map(|i| (i, (i + 1) % n as u32)).collect();
    Csr::from_pairs(n, false, &pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_have_their_published_sizes() {
        assert_eq!((karate().node_count(), karate().edge_count()), (34, 78));
        assert_eq!(
            (florentine().node_count(), florentine().edge_count()),
            (15, 20)
        );
        assert_eq!((kite().node_count(), kite().edge_count()), (10, 18));
    }
}
