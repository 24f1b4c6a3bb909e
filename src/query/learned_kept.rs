//! Trained rankers kept per generation, so that `gaps` and `partners` train once per
//! generation and pair of kinds rather than once per question.
//!
//! **What is kept**, for one pair of organisation kinds: the [`Learned`] ranker with its
//! model card and what it hid, and the Louvain communities of the whole collab graph (the
//! second Louvain run every ranking needs). **Its key** is everything it depends on: the
//! generation of the snapshot with its node and edge counts, the two kinds, the seed and
//! every other training option, the format of what is kept and the program's version.
//! Training is deterministic, so a kept ranker is exactly the one training again would give,
//! and outputs are the same either way.
//!
//! **Where**: in the database (`Store::keep`, one file per pair of kinds in the store
//! directory, replaced when the key changes, so the directory never holds more than one per
//! pair of kinds), and for the server in memory too ([`KeptModels`], one entry per pair of
//! kinds). A kept ranker that is damaged, unreadable or stale (another generation, seed or
//! option) is ignored and replaced after training again, with a trace line (standard error
//! with `INNOGRAPH_TRACE` set; the server's log), never an error; so is a file that cannot be
//! written (a read-only directory, a full disk).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::gaps::CollabContext;
use super::learned::{learn, Learned, LinkGraph};
use super::relations::Relations;
use crate::algo::link_features::Structure;
use crate::algo::link_model::{PairSpace, TrainOptions};
use crate::algo::parallel::Parallelism;
use crate::store::Store;

/// Version of what is kept: raised whenever training or the kept form changes meaning.
const FORMAT: u32 = 2;

/// What a kept ranker depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Key {
    format: u32,
    version: String,
    generation: u64,
    nodes: u64,
    edges: u64,
    kinds: (String, String),
    options: String,
}

impl Key {
    fn new(ctx: &CollabContext<'_>, kinds: (&str, &str), options: &TrainOptions) -> Key {
        let snapshot = ctx.snapshot;
        // The thread count changes nothing trained.
        let options = TrainOptions {
            parallelism: Parallelism::with_threads(1),
            ..options.clone()
        };
        Key {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            generation: snapshot.generation(),
            nodes: snapshot.node_count() as u64,
            edges: snapshot.edge_count() as u64,
            kinds: (kinds.0.to_string(), kinds.1.to_string()),
            options: format!("{options:?}"),
        }
    }

    /// What differs from `wanted`, in words.
    fn difference(&self, wanted: &Key) -> String {
        if (self.format, &self.version) != (wanted.format, &wanted.version) {
            format!("kept by version {} format {}", self.version, self.format)
        } else if (self.generation, self.nodes, self.edges)
            != (wanted.generation, wanted.nodes, wanted.edges)
        {
            format!("generation {}, not {}", self.generation, wanted.generation)
        } else if self.kinds != wanted.kinds {
            format!("kinds {} × {}", self.kinds.0, self.kinds.1)
        } else if self.options != wanted.options {
            "another seed or training option".to_string()
        } else {
            "its communities do not fit the graph".to_string()
        }
    }

    /// The name it is kept under: one per pair of kinds.
    fn name(&self) -> String {
        let clean = |kind: &str| -> String {
            kind.chars()
                .take(40)
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect()
        };
        format!("learned.{}.{}", clean(&self.kinds.0), clean(&self.kinds.1))
    }
}

/// A kept ranker with its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Kept {
    key: Key,
    learned: Learned,
    communities: Vec<u32>,
}

/// Trained rankers kept in memory (the server's), one per pair of kinds.
#[derive(Debug, Default)]
pub struct KeptModels {
    entries: Mutex<HashMap<String, Arc<Kept>>>,
}

impl KeptModels {
    fn get(&self, key: &Key) -> Option<Arc<Kept>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(&key.name()).filter(|k| k.key == *key).cloned()
    }

    fn put(&self, kept: Arc<Kept>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.insert(kept.key.name(), kept);
    }
}

/// Where a question may find trained rankers and keep the ones it trains.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keeping<'a> {
    /// The database the snapshot comes from (its store directory keeps one file per pair of
    /// kinds).
    pub store: Option<&'a Store>,
    /// Memory kept between questions.
    pub memory: Option<&'a KeptModels>,
}

impl<'a> Keeping<'a> {
    /// Nowhere: every question trains.
    pub fn none() -> Keeping<'static> {
        Keeping::default()
    }

    /// In the database's store directory.
    pub fn store(store: &'a Store) -> Keeping<'a> {
        Keeping {
            store: Some(store),
            memory: None,
        }
    }
}

/// What ranking with a learned ranker needs: the ranker and the whole graph's structure.
pub(crate) struct Model {
    /// The trained ranker, its card and what it hid.
    pub learned: Learned,
    /// Degrees, components and communities of the whole collab graph.
    pub structure: Structure,
    /// Whether the ranker was kept (read, not trained).
    pub was_kept: bool,
}

/// Writes a trace line (see the module docs).
fn trace(line: &str) {
    tracing::info!("{line}");
    if std::env::var_os("INNOGRAPH_TRACE").is_some() {
        eprintln!("  {line}");
    }
}

/// The ranker of `kinds` for the snapshot of `ctx` and the structure of `full` (its whole
/// collab graph): kept in memory, kept in the database, or trained on `relations` now and
/// kept (see the module docs).
pub(crate) fn model(
    keeping: &Keeping<'_>,
    ctx: &CollabContext<'_>,
    relations: &Relations,
    full: &LinkGraph,
    kinds: (&str, &str),
    space: &PairSpace,
    options: &TrainOptions,
) -> Model {
    let key = Key::new(ctx, kinds, options);
    let n = full.graph.node_count();
    let usable = |kept: &Kept| kept.key == key && kept.communities.len() == n;
    let found = keeping
        .memory
        .and_then(|m| m.get(&key))
        .filter(|k| usable(k))
        .or_else(|| {
            let store = keeping.store?;
            let kept = read(store, &key)?;
            if !usable(&kept) {
                trace(&format!(
                    "kept ranker {} is stale ({}): trained again",
                    key.name(),
                    kept.key.difference(&key)
                ));
                return None;
            }
            let kept = Arc::new(kept);
            if let Some(memory) = keeping.memory {
                memory.put(Arc::clone(&kept));
            }
            Some(kept)
        });
    if let Some(kept) = found {
        trace(&format!("kept ranker {} used", key.name()));
        return Model {
            learned: kept.learned.clone(),
            structure: Structure::with_communities(&full.graph, kept.communities.clone()),
            was_kept: true,
        };
    }
    let attrs = &ctx.attributes;
    let learned = learn(relations, &attrs.fields, &attrs.districts, space, options);
    let structure = full.structure(options.seed);
    if keeping.store.is_some() || keeping.memory.is_some() {
        let kept = Arc::new(Kept {
            key,
            learned: learned.clone(),
            communities: structure.community.clone(),
        });
        if let Some(store) = keeping.store {
            write(store, &kept);
        }
        if let Some(memory) = keeping.memory {
            memory.put(kept);
        }
    }
    Model {
        learned,
        structure,
        was_kept: false,
    }
}

/// Bytes of a kept ranker: at most this many are decoded.
const LIMIT: usize = 1 << 28;

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<LIMIT>()
}

/// The ranker kept in `store` under the name of `key`, if one can be read.
fn read(store: &Store, key: &Key) -> Option<Kept> {
    let name = key.name();
    let bytes = match store.kept(&name) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return None,
        Err(e) => {
            trace(&format!("kept ranker {name} ignored: {e}"));
            return None;
        }
    };
    match bincode::serde::decode_from_slice::<Kept, _>(&bytes, config()) {
        Ok((kept, used)) if used == bytes.len() => Some(kept),
        Ok(_) => {
            trace(&format!("kept ranker {name} ignored: trailing bytes"));
            None
        }
        Err(e) => {
            trace(&format!("kept ranker {name} ignored: {e}"));
            None
        }
    }
}

fn write(store: &Store, kept: &Kept) {
    let name = kept.key.name();
    let result = bincode::serde::encode_to_vec(kept, config())
        .map_err(|e| e.to_string())
        .and_then(|bytes| store.keep(&name, &bytes).map_err(|e| e.to_string()));
    match result {
        Ok(()) => trace(&format!("kept ranker {name} written")),
        Err(e) => trace(&format!("kept ranker {name} not written: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::planning_testing::generated;
    use crate::query::{
        delete_node, gaps_explained, gaps_kept, partners_explained, partners_kept, GapsRequest,
        PartnersRequest,
    };

    const NAME: &str = "learned.university.enterprise";

    fn kept(store: &Store) -> Kept {
        let bytes = store.kept(NAME).unwrap().expect("a kept ranker");
        bincode::serde::decode_from_slice::<Kept, _>(&bytes, config())
            .unwrap()
            .0
    }

    #[test]
    fn kept_rankers_answer_as_training_does_and_are_replaced_when_stale_or_damaged() {
        let (t, _) = generated(0.1);
        let store = &t.store;
        let schema = store.schema();
        let gaps_request = GapsRequest {
            top: 30,
            ..Default::default()
        };
        let partners_request = PartnersRequest {
            source: "univ:sjtu".into(),
            ..Default::default()
        };
        let snapshot = store.snapshot().unwrap();
        let fresh = gaps_explained(&snapshot, &schema, &gaps_request).unwrap();
        let fresh_partners = partners_explained(&snapshot, &schema, &partners_request).unwrap();
        let keeping = Keeping::store(store);

        // Trained and kept, then read back: the same answers, gaps and partners alike.
        assert_eq!(
            gaps_kept(&snapshot, &schema, &gaps_request, &keeping).unwrap(),
            fresh
        );
        let first = kept(store);
        assert_eq!(first.key.generation, snapshot.generation());
        assert_eq!(
            first.learned.trained.card,
            fresh.model.as_ref().unwrap().card
        );
        assert_eq!(
            partners_kept(&snapshot, &schema, &partners_request, &keeping).unwrap(),
            fresh_partners
        );
        assert_eq!(
            gaps_kept(&snapshot, &schema, &gaps_request, &keeping).unwrap(),
            fresh
        );

        // What is kept is what answers: a marked card comes back.
        let mut marked = first.clone();
        marked.learned.trained.card.warnings.push("marked".into());
        let bytes = bincode::serde::encode_to_vec(&marked, config()).unwrap();
        store.keep(NAME, &bytes).unwrap();
        let read = gaps_kept(&snapshot, &schema, &gaps_request, &keeping).unwrap();
        assert!(read
            .model
            .unwrap()
            .card
            .warnings
            .contains(&"marked".to_string()));

        // Damaged: ignored, trained again, replaced.
        store.keep(NAME, b"not a ranker").unwrap();
        assert_eq!(
            gaps_kept(&snapshot, &schema, &gaps_request, &keeping).unwrap(),
            fresh
        );
        assert_eq!(kept(store), first);

        // Another seed, then another generation: trained again, replaced (one file).
        let other_seed = GapsRequest {
            seed: 7,
            ..gaps_request.clone()
        };
        gaps_kept(&snapshot, &schema, &other_seed, &keeping).unwrap();
        assert_ne!(kept(store).key, first.key);
        delete_node(store, "univ:sjtu", "test").unwrap();
        let later = store.snapshot().unwrap();
        let now = gaps_explained(&later, &schema, &gaps_request).unwrap();
        assert_eq!(
            gaps_kept(&later, &schema, &gaps_request, &keeping).unwrap(),
            now
        );
        assert_eq!(kept(store).key.generation, later.generation());
        assert_eq!(kept_files(store.path()), 1);
    }

    /// Kept files anywhere under `dir`.
    fn kept_files(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| {
                let path = e.path();
                if path.is_dir() {
                    kept_files(&path)
                } else {
                    usize::from(path.extension().is_some_and(|x| x == "kept"))
                }
            })
            .sum()
    }

    #[test]
    fn memory_keeps_one_ranker_per_pair_of_kinds() {
        let (t, _) = generated(0.1);
        let store = &t.store;
        let schema = store.schema();
        let snapshot = store.snapshot().unwrap();
        let memory = KeptModels::default();
        let keeping = Keeping {
            store: None,
            memory: Some(&memory),
        };
        let request = GapsRequest {
            top: 10,
            ..Default::default()
        };
        let fresh = gaps_explained(&snapshot, &schema, &request).unwrap();
        for seed in [42, 43, 42] {
            let asked = GapsRequest {
                seed,
                ..request.clone()
            };
            gaps_kept(&snapshot, &schema, &asked, &keeping).unwrap();
        }
        assert_eq!(memory.entries.lock().unwrap().len(), 1);
        assert_eq!(
            gaps_kept(&snapshot, &schema, &request, &keeping).unwrap(),
            fresh
        );
        assert!(store.kept(NAME).unwrap().is_none());
    }
}
