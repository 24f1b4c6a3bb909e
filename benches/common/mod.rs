//! Deterministic synthetic data for the benchmarks: a CSV node file and a CSV edge file
//! shaped like the innovation-actor graph (universities, institutes, enterprises, projects,
//! fields), with heavy-tailed degrees from preferential attachment.
//!
//! No `rand`: a splitmix64 generator keeps the output identical across runs and platforms.
//! Files go to [`data_dir`] and are reused while their size and seed match, so the CLI
//! measurements in `BENCHMARKS.md` can run on exactly the bench's data.

#![allow(dead_code)]

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub use innograph::algo::rng::SplitMix64;

/// How big a data set is.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub name: &'static str,
    pub nodes: usize,
    pub edges: usize,
}

/// About the size the generator's "scale 10" will have: ~100k nodes, ~350k edges.
pub const SCALE_10: Scale = Scale {
    name: "scale10",
    nodes: 100_000,
    edges: 350_000,
};

/// About the size of "scale 30": ~250k nodes, ~1M edges.
pub const SCALE_30: Scale = Scale {
    name: "scale30",
    nodes: 250_000,
    edges: 1_000_000,
};

/// Files written for one scale.
#[derive(Debug, Clone)]
pub struct DataSet {
    pub nodes_csv: PathBuf,
    pub edges_csv: PathBuf,
    pub nodes: usize,
    pub edges: usize,
}

impl DataSet {
    pub fn records(&self) -> u64 {
        (self.nodes + self.edges) as u64
    }
}

/// Node groups; each edge kind draws its endpoints from groups.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Group {
    University,
    Institute,
    Enterprise,
    Project,
    Field,
}

const GROUPS: [Group; 5] = [
    Group::University,
    Group::Institute,
    Group::Enterprise,
    Group::Project,
    Group::Field,
];

/// Node ranges per group: the node index space is split into contiguous blocks.
struct Layout {
    start: [usize; 5],
    len: [usize; 5],
}

impl Layout {
    fn new(nodes: usize) -> Layout {
        let fields = 200.min(nodes / 10).max(1);
        let rest = nodes - fields;
        let universities = (rest / 50).max(1); // 2 %
        let institutes = (rest * 3 / 100).max(1); // 3 %
        let enterprises = rest / 2; // 50 %
        let projects = rest - universities - institutes - enterprises; // ~45 %
        let len = [universities, institutes, enterprises, projects, fields];
        let mut start = [0; 5];
        for i in 1..5 {
            start[i] = start[i - 1] + len[i - 1];
        }
        Layout { start, len }
    }

    fn group_of(&self, v: usize) -> Group {
        for (i, g) in GROUPS.iter().enumerate().rev() {
            if v >= self.start[i] {
                return *g;
            }
        }
        Group::University
    }
}

fn group_index(g: Group) -> usize {
    GROUPS.iter().position(|&x| x == g).unwrap()
}

fn node_id(layout: &Layout, v: usize) -> String {
    let g = layout.group_of(v);
    let local = v - layout.start[group_index(g)];
    let prefix = match g {
        Group::University => "univ",
        Group::Institute => "inst",
        Group::Enterprise => "ent",
        Group::Project => "proj",
        Group::Field => "field",
    };
    format!("{prefix}:{local:07}")
}

/// Picks endpoints with preferential attachment: with probability `PREF` an earlier
/// endpoint of the group is repeated (so degree begets degree), otherwise a uniform node.
struct Urns {
    urns: [Vec<u32>; 5],
}

const PREF: f64 = 0.6;

impl Urns {
    fn pick(&mut self, rng: &mut SplitMix64, layout: &Layout, groups: &[Group]) -> usize {
        // Choose a group weighted by its size.
        let total: usize = groups.iter().map(|&g| layout.len[group_index(g)]).sum();
        let mut r = rng.below(total as u64) as usize;
        let mut g = groups[0];
        for &cand in groups {
            let len = layout.len[group_index(cand)];
            if r < len {
                g = cand;
                break;
            }
            r -= len;
        }
        let gi = group_index(g);
        let urn = &mut self.urns[gi];
        let v = if !urn.is_empty() && rng.next_f64() < PREF {
            urn[rng.below(urn.len() as u64) as usize] as usize
        } else {
            layout.start[gi] + rng.below(layout.len[gi] as u64) as usize
        };
        urn.push(v as u32);
        v
    }
}

const ORGS: [Group; 3] = [Group::University, Group::Institute, Group::Enterprise];
const MODES: [&str; 6] = [
    "development",
    "service",
    "consulting",
    "transfer",
    "licence",
    "equity",
];

/// Writes `nodes.csv` and `edges.csv` for `scale` into `dir` (created if needed), unless
/// they are already there with the same size marker. Deterministic in `seed`.
pub fn write_data(dir: &Path, scale: Scale, seed: u64) -> std::io::Result<DataSet> {
    std::fs::create_dir_all(dir)?;
    let nodes_csv = dir.join(format!("{}-nodes.csv", scale.name));
    let edges_csv = dir.join(format!("{}-edges.csv", scale.name));
    let stamp = dir.join(format!("{}.done", scale.name));
    let set = DataSet {
        nodes_csv: nodes_csv.clone(),
        edges_csv: edges_csv.clone(),
        nodes: scale.nodes,
        edges: scale.edges,
    };
    let want = format!("{} {} {}", scale.nodes, scale.edges, seed);
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return Ok(set);
    }
    let mut rng = SplitMix64::new(seed);
    let layout = Layout::new(scale.nodes);

    let mut w = BufWriter::with_capacity(1 << 20, File::create(&nodes_csv)?);
    writeln!(
        w,
        "id,kind,name,name_en,founded,sme,tech_manager_count,pilot_2023,year,amount"
    )?;
    for v in 0..scale.nodes {
        let id = node_id(&layout, v);
        let local = v - layout.start[group_index(layout.group_of(v))];
        match layout.group_of(v) {
            Group::University => writeln!(
                w,
                "{id},university,大学{local},University {local},,,{},{},,",
                rng.below(40),
                rng.below(8) == 0
            )?,
            Group::Institute => writeln!(
                w,
                "{id},research_institute,研究所{local},Institute {local},,,,,,"
            )?,
            Group::Enterprise => writeln!(
                w,
                "{id},enterprise,企业{local},Enterprise {local},{},{},,,,",
                1950 + rng.below(75),
                rng.below(3) != 0
            )?,
            Group::Project => writeln!(
                w,
                "{id},project,项目{local},Project {local},,,,,{},{:.2}",
                2000 + rng.below(26),
                rng.next_f64() * 5e6
            )?,
            Group::Field => writeln!(w, "{id},field,领域{local},Field {local},,,,,,")?,
        }
    }
    w.flush()?;

    let mut urns = Urns {
        urns: Default::default(),
    };
    let mut seen: HashSet<(u32, u32, u8)> = HashSet::with_capacity(scale.edges);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(&edges_csv)?);
    writeln!(w, "source,target,kind,key,weight,year,amount,mode")?;
    let mut written = 0usize;
    while written < scale.edges {
        let roll = rng.below(100);
        let (kind, code, s, t) = if roll < 35 {
            let s = urns.pick(&mut rng, &layout, &ORGS);
            let t = urns.pick(&mut rng, &layout, &[Group::Project]);
            ("participates_in", 0u8, s, t)
        } else if roll < 45 {
            let s = urns.pick(&mut rng, &layout, &ORGS);
            let t = urns.pick(&mut rng, &layout, &[Group::Project]);
            ("leads", 1, s, t)
        } else if roll < 65 {
            let s = urns.pick(&mut rng, &layout, &[Group::University, Group::Institute]);
            let t = urns.pick(&mut rng, &layout, &[Group::Enterprise]);
            ("contracts_with", 2, s, t)
        } else if roll < 80 {
            let s = urns.pick(&mut rng, &layout, &[Group::Enterprise, Group::Project]);
            let t = urns.pick(&mut rng, &layout, &[Group::Field]);
            ("in_field", 3, s, t)
        } else {
            let a = urns.pick(&mut rng, &layout, &ORGS);
            let b = urns.pick(&mut rng, &layout, &ORGS);
            if a == b {
                continue;
            }
            // Undirected: the store orders endpoints, so identity uses the ordered pair.
            ("collaborates_with", 4, a.min(b), a.max(b))
        };
        // Parallel ties of the same kind get a key, so every line is a distinct record.
        let key = if seen.insert((s as u32, t as u32, code)) {
            String::new()
        } else {
            format!("k{written}")
        };
        let (source, target) = (node_id(&layout, s), node_id(&layout, t));
        let year = 2000 + rng.below(26);
        let weight = 1 + rng.below(5);
        match code {
            2 => writeln!(
                w,
                "{source},{target},{kind},{key},{weight},{year},{:.2},{}",
                rng.next_f64() * 1e6,
                MODES[rng.below(MODES.len() as u64) as usize]
            )?,
            0 | 1 => writeln!(
                w,
                "{source},{target},{kind},{key},{weight},{year},{:.2},",
                rng.next_f64() * 1e6
            )?,
            3 => writeln!(w, "{source},{target},{kind},{key},,,,")?,
            _ => writeln!(w, "{source},{target},{kind},{key},{weight},{year},,")?,
        }
        written += 1;
    }
    w.flush()?;
    std::fs::write(&stamp, want)?;
    Ok(set)
}

/// Where bench data lives: `$INNOGRAPH_BENCH_DATA`, or `target/bench-data`.
pub fn data_dir() -> PathBuf {
    std::env::var_os("INNOGRAPH_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("bench-data")
        })
}
