//! Synthetic graph families for evaluating link prediction away from the Shanghai generator:
//! graphs whose structure is known, written as the same kind of CSV files `innograph import`
//! reads, with universities and enterprises as the actors.
//!
//! - **powerlaw-cluster** (Holme & Kim 2002, "Growing scale-free networks with tunable
//!   clustering"; NetworkX `powerlaw_cluster_graph(n, m = 3, p = 0.5)`): each new actor ties
//!   to `m` earlier ones chosen in proportion to their degree, and after each such tie closes
//!   a triangle with probability `p` (ties to a random partner of the actor just chosen).
//!   Heavy-tailed degrees and many triangles; fields and districts are assigned at random,
//!   so they carry no signal.
//! - **block-model** (a stochastic block model, Holland, Laskey & Leinhardt 1983): 8 blocks,
//!   one per field; two actors of one block tie with probability 0.04, of two blocks with
//!   0.0015 (about 6 ties per actor). Each actor is in its block's field and, with
//!   probability 0.25, in one more field at random: fields carry the signal, degrees little.
//!
//! In both, 15 % of the actors (chosen at random) are universities, the rest enterprises;
//! every actor is in one of 8 districts at random; ties are undated `collaborates_with`
//! edges. Same options, same files (the generator's own seeded streams).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::rng::Rng;
use super::GenerateError;

/// Share of the actors that are universities.
pub const UNIVERSITY_SHARE: f64 = 0.15;
/// Number of fields (and of blocks in the block model).
pub const FIELDS: usize = 8;
/// Number of districts.
pub const DISTRICTS: usize = 8;
/// Ties each new actor makes in the powerlaw-cluster family.
pub const POWERLAW_TIES: usize = 3;
/// Probability of closing a triangle after each tie in the powerlaw-cluster family.
pub const TRIANGLE_PROBABILITY: f64 = 0.5;
/// Tie probability inside a block.
pub const BLOCK_INSIDE: f64 = 0.04;
/// Tie probability between blocks.
pub const BLOCK_BETWEEN: f64 = 0.0015;
/// Probability that an actor of the block model is in a second, random field.
pub const SECOND_FIELD: f64 = 0.25;

/// Which family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Holme–Kim growth with triangle closure.
    PowerlawCluster,
    /// A stochastic block model whose blocks are fields.
    BlockModel,
}

impl Family {
    /// Every family.
    pub const ALL: [Family; 2] = [Family::PowerlawCluster, Family::BlockModel];

    /// Its name on the command line (`powerlaw-cluster`, `block-model`).
    pub fn name(self) -> &'static str {
        match self {
            Family::PowerlawCluster => "powerlaw-cluster",
            Family::BlockModel => "block-model",
        }
    }

    /// Parses a name.
    pub fn parse(text: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == text)
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyOptions {
    /// The family.
    pub family: Family,
    /// Number of actors, between 10 and [`MAX_ACTORS`].
    pub actors: usize,
    /// Seed.
    pub seed: u64,
}

/// Largest number of actors.
pub const MAX_ACTORS: usize = 100_000;

/// What [`generate_family`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilySummary {
    /// The options used.
    pub options: FamilyOptions,
    /// Files written, node files first.
    pub files: Vec<PathBuf>,
    /// Nodes per kind.
    pub nodes: BTreeMap<String, u64>,
    /// Edges per kind.
    pub edges: BTreeMap<String, u64>,
}

/// Ties of a powerlaw-cluster graph on `n` actors, each `(a, b)` with `a < b`, sorted.
fn powerlaw_cluster(n: usize, rng: &mut Rng) -> Vec<(u32, u32)> {
    let m = POWERLAW_TIES.min(n.saturating_sub(1)).max(1);
    let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); n];
    // Each actor appears once per tie end: drawing from it is drawing by degree.
    let mut repeated: Vec<u32> = (0..m as u32).collect();
    let tie = |neighbours: &mut Vec<Vec<u32>>, a: u32, b: u32| -> bool {
        if a == b || neighbours[a as usize].contains(&b) {
            return false;
        }
        neighbours[a as usize].push(b);
        neighbours[b as usize].push(a);
        true
    };
    for source in m as u32..n as u32 {
        let mut targets: Vec<u32> = Vec::with_capacity(m);
        while targets.len() < m {
            let t = *rng.pick(&repeated);
            if !targets.contains(&t) {
                targets.push(t);
            }
        }
        let mut target = targets.pop().unwrap_or(0);
        if tie(&mut neighbours, source, target) {
            repeated.push(target);
        }
        let mut made = 1;
        while made < m {
            if rng.chance(TRIANGLE_PROBABILITY) {
                let around: Vec<u32> = neighbours[target as usize]
                    .iter()
                    .copied()
                    .filter(|&x| x != source && !neighbours[source as usize].contains(&x))
                    .collect();
                if !around.is_empty() {
                    let x = *rng.pick(&around);
                    if tie(&mut neighbours, source, x) {
                        repeated.push(x);
                    }
                    made += 1;
                    continue;
                }
            }
            let Some(next) = targets.pop() else { break };
            target = next;
            if tie(&mut neighbours, source, target) {
                repeated.push(target);
            }
            made += 1;
        }
        repeated.extend(std::iter::repeat_n(source, m));
    }
    let mut ties: Vec<(u32, u32)> = neighbours
        .iter()
        .enumerate()
        .flat_map(|(a, list)| {
            list.iter()
                .filter(move |&&b| (a as u32) < b)
                .map(move |&b| (a as u32, b))
        })
        .collect();
    ties.sort_unstable();
    ties
}

/// Ties of the block model, and the block of every actor.
fn block_model(n: usize, rng: &mut Rng) -> (Vec<(u32, u32)>, Vec<usize>) {
    let block: Vec<usize> = (0..n).map(|_| rng.below(FIELDS)).collect();
    let mut ties = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let p = if block[a] == block[b] {
                BLOCK_INSIDE
            } else {
                BLOCK_BETWEEN
            };
            if rng.chance(p) {
                ties.push((a as u32, b as u32));
            }
        }
    }
    (ties, block)
}

type CsvOut = csv::Writer<BufWriter<File>>;

fn open(path: &Path) -> Result<CsvOut, GenerateError> {
    let file = File::create(path).map_err(|source| GenerateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(csv::Writer::from_writer(BufWriter::new(file)))
}

/// Writes `rows` (after `header`) to `dir/name` and returns the path.
fn write(
    dir: &Path,
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<PathBuf, GenerateError> {
    let path = dir.join(name);
    let csv_err = |source| GenerateError::Csv {
        path: path.clone(),
        source,
    };
    let mut w = open(&path)?;
    w.write_record(header).map_err(csv_err)?;
    for row in rows {
        w.write_record(&row).map_err(csv_err)?;
    }
    w.flush().map_err(|source| GenerateError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Generates the family's graph into `out_dir` (created if missing).
///
/// # Errors
/// [`GenerateError::InvalidScale`] when `actors` is outside 10..=[`MAX_ACTORS`] (the size
/// plays the part of the scale); [`GenerateError::Io`] / [`GenerateError::Csv`] when a file
/// cannot be written.
pub fn generate_family(
    options: &FamilyOptions,
    out_dir: &Path,
) -> Result<FamilySummary, GenerateError> {
    let n = options.actors;
    if !(10..=MAX_ACTORS).contains(&n) {
        return Err(GenerateError::InvalidScale(n as f64));
    }
    std::fs::create_dir_all(out_dir).map_err(|source| GenerateError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let mut rng = Rng::stream(options.seed, options.family.name());
    let (ties, blocks) = match options.family {
        Family::PowerlawCluster => (powerlaw_cluster(n, &mut rng), None),
        Family::BlockModel => {
            let (t, b) = block_model(n, &mut rng);
            (t, Some(b))
        }
    };
    let mut kinds = Rng::stream(options.seed, "family-kinds");
    let mut order: Vec<usize> = (0..n).collect();
    kinds.shuffle(&mut order);
    let universities = ((n as f64) * UNIVERSITY_SHARE).round() as usize;
    let mut is_university = vec![false; n];
    for &a in &order[..universities] {
        is_university[a] = true;
    }
    let mut attrs = Rng::stream(options.seed, "family-attributes");
    let fields: Vec<Vec<usize>> = (0..n)
        .map(|a| {
            let mut f = match &blocks {
                Some(b) => {
                    let mut f = vec![b[a]];
                    if attrs.chance(SECOND_FIELD) {
                        f.push(attrs.below(FIELDS));
                    }
                    f
                }
                None => {
                    let mut f = vec![attrs.below(FIELDS)];
                    if attrs.chance(SECOND_FIELD) {
                        f.push(attrs.below(FIELDS));
                    }
                    f
                }
            };
            f.sort_unstable();
            f.dedup();
            f
        })
        .collect();
    let districts: Vec<usize> = (0..n).map(|_| attrs.below(DISTRICTS)).collect();
    // Ids number universities and enterprises separately, in actor order.
    let mut ids = Vec::with_capacity(n);
    let (mut nu, mut ne) = (0, 0);
    for &u in &is_university {
        if u {
            nu += 1;
            ids.push(format!("univ:{nu:05}"));
        } else {
            ne += 1;
            ids.push(format!("ent:{ne:06}"));
        }
    }
    let header = ["id", "kind", "name", "name_en"];
    let mut files = Vec::new();
    files.push(write(
        out_dir,
        "01-nodes-district.csv",
        &header,
        (1..=DISTRICTS).map(|d| {
            vec![
                format!("district:d{d}"),
                "district".into(),
                format!("区{d}"),
                format!("District {d}"),
            ]
        }),
    )?);
    files.push(write(
        out_dir,
        "02-nodes-field.csv",
        &header,
        (1..=FIELDS).map(|f| {
            vec![
                format!("field:f{f}"),
                "field".into(),
                format!("领域{f}"),
                format!("Field {f}"),
            ]
        }),
    )?);
    for (file, kind, want, zh, en) in [
        (
            "05-nodes-university.csv",
            "university",
            true,
            "高校",
            "University",
        ),
        (
            "07-nodes-enterprise.csv",
            "enterprise",
            false,
            "企业",
            "Enterprise",
        ),
    ] {
        files.push(write(
            out_dir,
            file,
            &header,
            (0..n).filter(|&a| is_university[a] == want).map(|a| {
                let number = ids[a].split(':').nth(1).unwrap_or_default().to_string();
                vec![
                    ids[a].clone(),
                    kind.into(),
                    format!("{zh}{number}"),
                    format!("{en} {number}"),
                ]
            }),
        )?);
    }
    let edge_header = ["source", "target", "kind"];
    files.push(write(
        out_dir,
        "21-edges-located_in.csv",
        &edge_header,
        (0..n).map(|a| {
            vec![
                ids[a].clone(),
                format!("district:d{}", districts[a] + 1),
                "located_in".into(),
            ]
        }),
    )?);
    files.push(write(
        out_dir,
        "22-edges-in_field.csv",
        &edge_header,
        (0..n).flat_map(|a| {
            let id = ids[a].clone();
            fields[a]
                .iter()
                .map(move |f| vec![id.clone(), format!("field:f{}", f + 1), "in_field".into()])
        }),
    )?);
    files.push(write(
        out_dir,
        "37-edges-collaborates_with.csv",
        &edge_header,
        ties.iter().map(|&(a, b)| {
            let (x, y) = (&ids[a as usize], &ids[b as usize]);
            let (s, t) = if x < y { (x, y) } else { (y, x) };
            vec![s.clone(), t.clone(), "collaborates_with".into()]
        }),
    )?);
    let mut nodes = BTreeMap::new();
    nodes.insert("district".to_string(), DISTRICTS as u64);
    nodes.insert("field".to_string(), FIELDS as u64);
    nodes.insert("university".to_string(), nu as u64);
    nodes.insert("enterprise".to_string(), ne as u64);
    let mut edges = BTreeMap::new();
    edges.insert("located_in".to_string(), n as u64);
    edges.insert(
        "in_field".to_string(),
        fields.iter().map(|f| f.len() as u64).sum(),
    );
    edges.insert("collaborates_with".to_string(), ties.len() as u64);
    Ok(FamilySummary {
        options: *options,
        files,
        nodes,
        edges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powerlaw_cluster_has_the_expected_ties_hubs_and_triangles() {
        let mut rng = Rng::stream(1, "t");
        let n = 2000;
        let ties = powerlaw_cluster(n, &mut rng);
        // About m ties per actor after the first m (a triangle step can find no partner).
        assert!(ties.len() > (n - 3) * 3 * 95 / 100 && ties.len() <= (n - 3) * 3);
        let mut degree = vec![0usize; n];
        for &(a, b) in &ties {
            assert!(a < b);
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        let max = *degree.iter().max().unwrap();
        assert!(max > 60, "heavy tail: largest degree {max}");
        // Transitivity (3 × triangles / connected triples) well above a random graph of the
        // same density (≈ 0.003).
        let mut neighbours = vec![std::collections::BTreeSet::new(); n];
        for &(a, b) in &ties {
            neighbours[a as usize].insert(b);
            neighbours[b as usize].insert(a);
        }
        let closed: usize = ties
            .iter()
            .map(|&(a, b)| {
                neighbours[a as usize]
                    .intersection(&neighbours[b as usize])
                    .count()
            })
            .sum();
        let triples: usize = degree.iter().map(|&k| k * k.saturating_sub(1) / 2).sum();
        let transitivity = closed as f64 / triples as f64;
        assert!(transitivity > 0.02, "transitivity {transitivity}");
    }

    #[test]
    fn block_model_ties_mostly_inside_blocks() {
        let mut rng = Rng::stream(1, "t");
        let (ties, block) = block_model(1000, &mut rng);
        let inside = ties
            .iter()
            .filter(|&&(a, b)| block[a as usize] == block[b as usize])
            .count();
        // Expected: about 7.8k pairs inside × 0.04 ≈ 2,490 and 437k between × 0.0015 ≈ 656.
        assert!((2200..2800).contains(&inside), "{inside}");
        assert!(
            (500..820).contains(&(ties.len() - inside)),
            "{}",
            ties.len()
        );
    }

    #[test]
    fn files_are_reproducible_and_name_both_kinds() {
        let dir = tempfile::tempdir().unwrap();
        let options = FamilyOptions {
            family: Family::BlockModel,
            actors: 200,
            seed: 5,
        };
        let a = generate_family(&options, &dir.path().join("a")).unwrap();
        let b = generate_family(&options, &dir.path().join("b")).unwrap();
        assert_eq!(a.nodes["university"], 30);
        assert_eq!(a.nodes["enterprise"], 170);
        for (x, y) in a.files.iter().zip(&b.files) {
            assert_eq!(std::fs::read(x).unwrap(), std::fs::read(y).unwrap());
        }
        assert!(generate_family(
            &FamilyOptions {
                actors: 5,
                ..options
            },
            dir.path()
        )
        .is_err());
        assert_eq!(
            Family::parse("powerlaw-cluster"),
            Some(Family::PowerlawCluster)
        );
    }
}
