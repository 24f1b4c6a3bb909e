//! Seeded graph generators shared by the benches (copied from `examples/bench_structure.rs`;
//! a `mod.rs` in a sub-directory so that Cargo does not take it for a bench target).

#![allow(dead_code)]

pub use innograph::algo::rng::SplitMix64;

/// Barabási–Albert graph as NetworkX `barabasi_albert_graph(n, m)`: a star on `m + 1`
/// nodes, then each new node attaches to `m` distinct nodes drawn by degree.
pub fn barabasi_albert(n: usize, m: usize, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = SplitMix64::new(seed);
    let mut edges = Vec::with_capacity(n * m);
    let mut repeated: Vec<u32> = Vec::with_capacity(2 * n * m);
    for leaf in 1..=m as u32 {
        edges.push((0, leaf));
        repeated.extend([0, leaf]);
    }
    let mut targets: Vec<u32> = Vec::with_capacity(m);
    for source in (m + 1)..n {
        targets.clear();
        while targets.len() < m {
            let x = repeated[rng.index(repeated.len())];
            if !targets.contains(&x) {
                targets.push(x);
            }
        }
        for &t in &targets {
            edges.push((source as u32, t));
            repeated.extend([source as u32, t]);
        }
    }
    edges
}

/// Holme & Kim (2002) growing graph with preferential attachment and triad formation, as
/// NetworkX `powerlaw_cluster_graph(n, m, p)`.
pub fn holme_kim(n: usize, m: usize, p: f64, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = SplitMix64::new(seed);
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut edges = Vec::with_capacity(n * m);
    let mut repeated: Vec<u32> = (0..m as u32).collect();
    let mut add = |adj: &mut Vec<Vec<u32>>, a: usize, b: usize| {
        adj[a].push(b as u32);
        adj[b].push(a as u32);
        edges.push((a as u32, b as u32));
    };
    let mut neighborhood: Vec<u32> = Vec::new();
    for source in m..n {
        let mut targets: Vec<u32> = Vec::with_capacity(m);
        while targets.len() < m {
            let x = repeated[rng.index(repeated.len())];
            if !targets.contains(&x) {
                targets.push(x);
            }
        }
        let Some(mut target) = targets.pop() else {
            break;
        };
        add(&mut adj, source, target as usize);
        repeated.push(target);
        let mut count = 1;
        while count < m {
            if rng.next_f64() < p {
                neighborhood.clear();
                for &nb in &adj[target as usize] {
                    if nb as usize != source && !adj[source].contains(&nb) {
                        neighborhood.push(nb);
                    }
                }
                if !neighborhood.is_empty() {
                    let nb = neighborhood[rng.index(neighborhood.len())];
                    add(&mut adj, source, nb as usize);
                    repeated.push(nb);
                    count += 1;
                    continue;
                }
            }
            let Some(t) = targets.pop() else { break };
            target = t;
            add(&mut adj, source, target as usize);
            repeated.push(target);
            count += 1;
        }
        repeated.extend(std::iter::repeat_n(source as u32, m));
    }
    edges
}
