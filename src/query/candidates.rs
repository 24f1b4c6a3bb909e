//! Candidate consortia (`consortia --field F --with A --with B …`): for a field, the
//! smallest sets of actors that tie given Shanghai and provincial actors together, ranked.
//!
//! **Graph.** The collab view (organisations tied by shared projects and platforms,
//! contracts, incubations, declared collaborations), kept to the organisations in the field
//! (`in_field`) and the given actors, whatever their field.
//!
//! **Candidates.** Each candidate is an approximate Steiner tree over a group
//! ([`crate::algo::steiner`], the algorithm of `connect`): its members are the group and the
//! fewest intermediaries the tree needs.
//! - When the given actors include a Shanghai one and a provincial one, the group is the
//!   given actors; alternatives are the trees found when one intermediary of the first tree
//!   is left out of the graph (each in turn).
//! - When they are all from one side, each actor of the field from the other side (outside
//!   Shanghai, or in Shanghai) not yet tied to a given actor makes one candidate: the given
//!   actors and it (partners already tied are left out: the planner knows them). At most
//!   [`MAX_PARTNERS_TRIED`] such partners are tried, those with the highest mean pair
//!   score to the given actors first.
//!
//! **Ranking.** Fewest members first (the smallest set), then the highest *score*, then the
//! members' ids. The score is the mean over the member pairs that are not tied yet — the
//! ties the consortium would have to form — of their **learned** score: the ranker `gaps`
//! learns, trained once per pair of kinds among those pairs, read as the pair's percentile
//! among the first member's untied pairs of the same kinds (see
//! [`super::candidates_learned`]). When training any of those kind pairs falls back to a
//! heuristic, the score is instead the `combined` heuristic of `gaps`
//! ([`crate::algo::linkpred::Blend`]: Adamic–Adar, resource allocation, attachment,
//! activity, shared fields and districts), and a note says so (`scored_by`: `learned` or
//! `heuristic`). The partners tried when one side is given are picked by the heuristic.
//! A region is read from the actor's `located_in` districts (see [`super::ecosystem`]).

use std::collections::BTreeSet;

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::NodeFiltered;
use serde::Serialize;

use super::candidates_learned::{learned_scores, CandidateModel};
use super::consortia::Region;
use super::ecosystem::Ecosystem;
use super::gaps::CollabContext;
use super::learned_kept::Keeping;
use super::lookup::{attribute, node};
use super::QueryError;
use crate::algo::link_model::TrainOptions;
use crate::algo::linkpred::{Blend, Scorer};
use crate::algo::steiner::{steiner_tree, SteinerError};
use crate::model::MAX_ID_BYTES;

/// Most actors one request may give.
pub const MAX_GIVEN: usize = 20;
/// Most partners of the missing side tried when the given actors are all from one side.
pub const MAX_PARTNERS_TRIED: usize = 200;
/// Most candidates listed.
pub const MAX_CANDIDATES: usize = 100;

/// What candidate consortia are asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CandidatesRequest {
    /// The field (id or name).
    pub field: String,
    /// The actors to tie together (ids).
    pub with: Vec<String>,
    /// How many candidates to list.
    pub top: usize,
}

/// One member of a candidate consortium.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateMember {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Shanghai, outside, or unknown.
    pub region: Region,
    /// Whether it was given (otherwise the tree added it).
    pub given: bool,
}

/// One candidate consortium.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// 1 for the best.
    pub rank: usize,
    /// Its members: the given ones in the order given, then the others by id.
    pub members: Vec<CandidateMember>,
    /// Members the tree added (the intermediaries and any partner tried).
    pub added: usize,
    /// Its ties that already exist, each `[id, id]`.
    pub ties: Vec<[String; 2]>,
    /// Member pairs not tied yet.
    pub new_pairs: usize,
    /// Mean combined link-prediction score of those pairs (none when every pair is tied).
    pub score: Option<f64>,
}

/// The candidates of one request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidatesReport {
    /// The field (id).
    pub field: String,
    /// The given actors, as resolved.
    pub given: Vec<CandidateMember>,
    /// How the candidates were formed: `given` (both sides given) or `partner_outside` /
    /// `partner_shanghai` (one candidate per partner of the missing side).
    pub formed_by: &'static str,
    /// The ranking rule, in words.
    pub ranking: &'static str,
    /// What the scores are: `learned` or `heuristic` (the learned model fell back).
    pub scored_by: &'static str,
    /// The model trained for each pair of kinds among the pairs not tied yet.
    pub models: Vec<CandidateModel>,
    /// The candidates, best first.
    pub candidates: Vec<Candidate>,
    /// Why there are few or none.
    pub notes: Vec<String>,
}

const RANKING_LEARNED: &str = "fewest members, then the highest mean learned score (gaps' learned ranker, as a percentile among the first member's untied pairs of the same kinds) of the member pairs not yet tied";
const RANKING_HEURISTIC: &str = "fewest members, then the highest mean combined link-prediction score (gaps' heuristic blend: the learned model fell back) of the member pairs not yet tied";

/// The candidate consortia of `request` (see the module documentation).
pub fn candidate_consortia(
    eco: &Ecosystem,
    request: &CandidatesRequest,
) -> Result<CandidatesReport, QueryError> {
    candidate_consortia_kept(eco, request, &Keeping::none())
}

/// [`candidate_consortia`] reading and keeping the trained rankers where `keeping` says
/// ([`super::learned_kept`]): the same result, without training again for a generation.
pub fn candidate_consortia_kept(
    eco: &Ecosystem,
    request: &CandidatesRequest,
    keeping: &Keeping<'_>,
) -> Result<CandidatesReport, QueryError> {
    let s = &*eco.snapshot;
    if request.with.is_empty() || request.with.len() > MAX_GIVEN {
        return Err(QueryError::BadParameter(format!(
            "candidate consortia need 1 to {MAX_GIVEN} actors (--with), got {}",
            request.with.len()
        )));
    }
    if request.top == 0 || request.top > MAX_CANDIDATES {
        return Err(QueryError::BadParameter(format!(
            "candidates must be between 1 and {MAX_CANDIDATES}, got {}",
            request.top
        )));
    }
    let field = attribute(s, "field", &request.field)?;
    let ctx = CollabContext::build(s, &eco.schema)?;
    let region = |i: u32| -> Region {
        let districts = &ctx.attributes.districts[i as usize];
        if districts.iter().any(|&d| eco.is_outside(d)) {
            Region::Outside
        } else if districts.is_empty() {
            Region::Unknown
        } else {
            Region::Shanghai
        }
    };
    let mut given: Vec<u32> = Vec::new();
    for id in &request.with {
        if id.len() > MAX_ID_BYTES {
            return Err(QueryError::BadParameter(format!(
                "no node has an id of {} bytes: ids are at most {MAX_ID_BYTES} bytes",
                id.len()
            )));
        }
        let v = node(s, id).map_err(|e| QueryError::BadParameter(e.to_string()))?;
        let i = ctx.view.index_of(v).ok_or_else(|| {
            QueryError::BadParameter(format!(
                "`{id}` is a {}, not an organisation of the collab view",
                s.node_kind(v)
            ))
        })?;
        if !given.contains(&i) {
            given.push(i);
        }
    }
    // The field's graph: its organisations and the given actors.
    let keep: Vec<u32> = (0..ctx.view.nodes.len() as u32)
        .filter(|&i| ctx.attributes.fields[i as usize].contains(&field) || given.contains(&i))
        .collect();
    let mut local = vec![u32::MAX; ctx.view.nodes.len()];
    let mut graph: UnGraph<u32, ()> = UnGraph::with_capacity(keep.len(), 0);
    for &i in &keep {
        local[i as usize] = graph.add_node(i).index() as u32;
    }
    for &i in &keep {
        for &j in ctx.view.graph.out_neighbors(i as usize) {
            if i < j && local[j as usize] != u32::MAX {
                graph.add_edge(
                    NodeIndex::new(local[i as usize] as usize),
                    NodeIndex::new(local[j as usize] as usize),
                    (),
                );
            }
        }
    }
    let at = |i: u32| NodeIndex::new(local[i as usize] as usize);
    let scorer = Scorer::new(&ctx.view.graph, &ctx.attributes);
    let blend = Blend::default();
    let pair_score = |a: u32, b: u32| scorer.scores(a, b).combined(&blend);

    let sides: BTreeSet<Region> = given.iter().map(|&i| region(i)).collect();
    let mut notes = Vec::new();
    let mut groups: Vec<(Vec<u32>, Option<u32>)> = Vec::new(); // (group, node left out)
    let formed_by = if sides.contains(&Region::Shanghai) && sides.contains(&Region::Outside) {
        groups.push((given.clone(), None));
        "given"
    } else {
        let missing = if sides.contains(&Region::Outside) {
            Region::Shanghai
        } else {
            Region::Outside
        };
        let side: Vec<u32> = keep
            .iter()
            .copied()
            .filter(|&i| !given.contains(&i) && region(i) == missing)
            .collect();
        let tied = side
            .iter()
            .filter(|&&i| given.iter().any(|&g| ctx.tied(g, i)))
            .count();
        if tied > 0 {
            notes.push(format!(
                "{tied} actors of the field already tied to a given actor are left out (they are partners already)"
            ));
        }
        let mut partners: Vec<(f64, u32)> = side
            .into_iter()
            .filter(|&i| !given.iter().any(|&g| ctx.tied(g, i)))
            .map(|i| {
                let mean =
                    given.iter().map(|&g| pair_score(g, i)).sum::<f64>() / given.len() as f64;
                (mean, i)
            })
            .collect();
        partners.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        partners.truncate(MAX_PARTNERS_TRIED);
        if partners.is_empty() {
            notes.push(format!(
                "the field has no organisation {} to pair the given actors with",
                if missing == Region::Outside {
                    "outside Shanghai"
                } else {
                    "in Shanghai"
                }
            ));
        }
        for (_, p) in partners {
            let mut group = given.clone();
            group.push(p);
            groups.push((group, None));
        }
        if missing == Region::Outside {
            "partner_outside"
        } else {
            "partner_shanghai"
        }
    };

    let mut trees: Vec<Vec<u32>> = Vec::new();
    let mut seen: BTreeSet<Vec<u32>> = BTreeSet::new();
    let mut unreachable = 0usize;
    let mut queue = groups;
    let mut next = 0;
    while next < queue.len() {
        let (group, left_out) = queue[next].clone();
        next += 1;
        let terminals: Vec<NodeIndex> = group.iter().map(|&i| at(i)).collect();
        let tree = match left_out {
            None => steiner_tree(&graph, &terminals),
            Some(x) => {
                let skip = at(x);
                steiner_tree(&NodeFiltered::from_fn(&graph, |n| n != skip), &terminals)
            }
        };
        let members: Vec<u32> = match tree {
            Ok(t) => t.nodes.iter().map(|&n| graph[n]).collect(),
            Err(SteinerError::Disconnected(_)) => {
                unreachable += usize::from(left_out.is_none());
                continue;
            }
            Err(e) => return Err(QueryError::BadParameter(e.to_string())),
        };
        // Both sides given: leave out each intermediary of the first tree in turn.
        if formed_by == "given" && left_out.is_none() {
            for &m in &members {
                if !group.contains(&m) {
                    queue.push((group.clone(), Some(m)));
                }
            }
        }
        let mut key = members.clone();
        key.sort_unstable();
        if seen.insert(key) {
            trees.push(members);
        }
    }
    if unreachable > 0 {
        notes.push(if formed_by == "given" {
            "the given actors are not connected within the field's organisations".to_string()
        } else {
            format!("{unreachable} partners tried cannot be reached within the field")
        });
    }

    // The pairs each candidate would have to tie, scored by the learned ranker when it
    // learns for every pair of kinds among them.
    let mut open_pairs: Vec<(u32, u32)> = Vec::new();
    for members in &trees {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if !ctx.tied(a, b) {
                    open_pairs.push((a.min(b), a.max(b)));
                }
            }
        }
    }
    open_pairs.sort_unstable();
    open_pairs.dedup();
    let learned = learned_scores(&ctx, &open_pairs, TrainOptions::default().seed, keeping);
    let use_learned =
        learned.learned() && open_pairs.iter().all(|p| learned.scores.contains_key(p));
    for m in learned.models.iter().filter(|m| !m.learned) {
        notes.push(format!(
            "the learned model of {}–{} ties fell back to {}{}: candidates are ranked by the heuristic blend",
            m.kinds[0],
            m.kinds[1],
            m.ranker,
            if m.warnings.is_empty() {
                String::new()
            } else {
                format!(" ({})", m.warnings.join("; "))
            }
        ));
    }
    let open_score = |a: u32, b: u32| {
        if use_learned {
            learned.scores[&(a.min(b), a.max(b))]
        } else {
            pair_score(a, b)
        }
    };

    let member = |i: u32| CandidateMember {
        id: ctx.id(i).to_string(),
        name: ctx.name(i).to_string(),
        kind: ctx.kind(i).to_string(),
        region: region(i),
        given: given.contains(&i),
    };
    let mut candidates: Vec<Candidate> = trees
        .into_iter()
        .map(|mut members| {
            members.sort_by_key(|&i| {
                let order = given.iter().position(|&g| g == i).unwrap_or(usize::MAX);
                (order, ctx.id(i).to_string())
            });
            let mut ties = Vec::new();
            let (mut new_pairs, mut total) = (0usize, 0.0f64);
            for (x, &a) in members.iter().enumerate() {
                for &b in &members[x + 1..] {
                    if ctx.tied(a, b) {
                        let (p, q) = (ctx.id(a), ctx.id(b));
                        ties.push(if p < q { [p, q] } else { [q, p] }.map(str::to_string));
                    } else {
                        new_pairs += 1;
                        total += open_score(a, b);
                    }
                }
            }
            ties.sort();
            Candidate {
                rank: 0,
                added: members.iter().filter(|i| !given.contains(i)).count(),
                members: members.iter().map(|&i| member(i)).collect(),
                ties,
                new_pairs,
                score: (new_pairs > 0).then(|| total / new_pairs as f64),
            }
        })
        .collect();
    candidates.sort_by(|a, b| {
        a.members
            .len()
            .cmp(&b.members.len())
            .then(
                b.score
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&a.score.unwrap_or(f64::INFINITY)),
            )
            .then_with(|| {
                let ids =
                    |c: &Candidate| c.members.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
                ids(a).cmp(&ids(b))
            })
    });
    candidates.truncate(request.top);
    for (r, c) in candidates.iter_mut().enumerate() {
        c.rank = r + 1;
    }
    Ok(CandidatesReport {
        field: s.node_id(field).to_string(),
        given: given.iter().map(|&i| member(i)).collect(),
        formed_by,
        ranking: if use_learned {
            RANKING_LEARNED
        } else {
            RANKING_HEURISTIC
        },
        scored_by: if use_learned { "learned" } else { "heuristic" },
        models: learned.models,
        candidates,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::consortia_needs;
    use crate::query::planning_testing::from_csv;

    const NODES: &str = "id,kind,name\n\
        district:minhang,district,闵行区\n\
        district:js,district,江苏省\n\
        field:bio,field,Biomedicine\n\
        field:ai,field,AI\n\
        univ:a,university,A\n\
        ent:b,enterprise,B\n\
        ent:c,enterprise,C\n\
        ent:d,enterprise,D\n\
        ent:e,enterprise,E\n\
        ent:js1,enterprise,JS1\n\
        ent:js2,enterprise,JS2\n\
        proj:1,project,P1\nproj:2,project,P2\nproj:3,project,P3\nproj:4,project,P4\nproj:5,project,P5\n";

    // a – b – js1 (via projects 1, 2) and a – c – d – js1 (3, 4, 5); e is in AI only.
    const EDGES: &str = "source,target,kind\n\
        univ:a,district:minhang,located_in\nent:b,district:minhang,located_in\n\
        ent:c,district:minhang,located_in\nent:d,district:minhang,located_in\n\
        ent:e,district:minhang,located_in\nent:js1,district:js,located_in\n\
        ent:js2,district:js,located_in\n\
        univ:a,field:bio,in_field\nent:b,field:bio,in_field\nent:c,field:bio,in_field\n\
        ent:d,field:bio,in_field\nent:e,field:ai,in_field\nent:js1,field:bio,in_field\n\
        ent:js2,field:bio,in_field\n\
        univ:a,proj:1,leads\nent:b,proj:1,participates_in\n\
        ent:b,proj:2,leads\nent:js1,proj:2,participates_in\n\
        univ:a,proj:3,leads\nent:c,proj:3,participates_in\n\
        ent:c,proj:4,leads\nent:d,proj:4,participates_in\n\
        ent:d,proj:5,leads\nent:js1,proj:5,participates_in\n";

    fn eco() -> (crate::query::planning_testing::TestStore, Ecosystem) {
        let t = from_csv(NODES, EDGES);
        let eco = Ecosystem::load(&t.store, &consortia_needs()).unwrap();
        (t, eco)
    }

    fn ids(c: &Candidate) -> Vec<&str> {
        c.members.iter().map(|m| m.id.as_str()).collect()
    }

    fn request(field: &str, with: &[&str], top: usize) -> CandidatesRequest {
        CandidatesRequest {
            field: field.into(),
            with: with.iter().map(|s| s.to_string()).collect(),
            top,
        }
    }

    /// The five best candidates for `field` with the actors `with`.
    fn consortia(eco: &Ecosystem, field: &str, with: &[&str]) -> CandidatesReport {
        candidate_consortia(eco, &request(field, with, 5)).unwrap()
    }

    #[test]
    fn both_sides_given_the_smallest_tree_comes_first_then_the_detour() {
        let (_t, eco) = eco();
        let report = consortia(&eco, "bio", &["univ:a", "ent:js1"]);
        assert_eq!(report.formed_by, "given");
        assert_eq!(report.candidates.len(), 2);
        assert_eq!(ids(&report.candidates[0]), ["univ:a", "ent:js1", "ent:b"]);
        assert_eq!(report.candidates[0].added, 1);
        assert_eq!(report.candidates[0].new_pairs, 1);
        // Leaving b out, the tree goes through c and d.
        assert_eq!(
            ids(&report.candidates[1]),
            ["univ:a", "ent:js1", "ent:c", "ent:d"]
        );
        assert_eq!(report.candidates[1].rank, 2);
        assert_eq!(report.given[1].region, Region::Outside);
    }

    #[test]
    fn one_side_given_each_partner_of_the_other_side_is_tried() {
        let (_t, eco) = eco();
        let report = consortia(&eco, "field:bio", &["univ:a"]);
        assert_eq!(report.formed_by, "partner_outside");
        // js1 is reachable (through b); js2 has no tie at all.
        assert_eq!(report.candidates.len(), 1);
        assert_eq!(ids(&report.candidates[0]), ["univ:a", "ent:b", "ent:js1"]);
        assert!(
            report.notes.iter().any(|n| n.contains("1 partners")),
            "{:?}",
            report.notes
        );
    }

    #[test]
    fn too_few_ties_to_learn_from_fall_back_to_the_heuristic_and_say_so() {
        let (_t, eco) = eco();
        let report = consortia(&eco, "bio", &["univ:a", "ent:js1"]);
        assert_eq!(report.scored_by, "heuristic");
        assert_eq!(report.ranking, RANKING_HEURISTIC);
        assert!(!report.models.is_empty() && report.models.iter().any(|m| !m.learned));
        assert!(
            report.notes.iter().any(|n| n.contains("fell back")),
            "{:?}",
            report.notes
        );
        // The heuristic score of the first candidate's one open pair (b–js1 are tied, a–js1
        // are not).
        let ctx = CollabContext::build(&eco.snapshot, &eco.schema).unwrap();
        let at = |id: &str| {
            let v = node(&eco.snapshot, id).unwrap();
            ctx.view.index_of(v).unwrap()
        };
        let scorer = Scorer::new(&ctx.view.graph, &ctx.attributes);
        let expected = scorer
            .scores(at("univ:a"), at("ent:js1"))
            .combined(&Blend::default());
        assert_eq!(report.candidates[0].score, Some(expected));
    }

    #[test]
    fn on_generated_data_candidates_are_ranked_by_the_learned_scores() {
        let (t, _) = crate::query::planning_testing::generated(0.1);
        let eco = Ecosystem::load(&t.store, &consortia_needs()).unwrap();
        let report = consortia(&eco, "field:biomedicine", &["univ:sjtu"]);
        assert_eq!(report.scored_by, "learned", "{:?}", report.notes);
        assert_eq!(report.ranking, RANKING_LEARNED);
        assert!(report.models.iter().all(|m| m.learned));
        assert!(!report.candidates.is_empty());
        // Each score is the mean of its open pairs' learned percentiles, recomputed here.
        let ctx = CollabContext::build(&eco.snapshot, &eco.schema).unwrap();
        let at = |id: &str| {
            let v = node(&eco.snapshot, id).unwrap();
            ctx.view.index_of(v).unwrap()
        };
        for c in &report.candidates {
            let ids: Vec<u32> = c.members.iter().map(|m| at(&m.id)).collect();
            let mut open = Vec::new();
            for (x, &a) in ids.iter().enumerate() {
                for &b in &ids[x + 1..] {
                    if !ctx.tied(a, b) {
                        open.push((a.min(b), a.max(b)));
                    }
                }
            }
            assert_eq!(open.len(), c.new_pairs);
            let learned =
                learned_scores(&ctx, &open, TrainOptions::default().seed, &Keeping::none());
            let mean = open.iter().map(|p| learned.scores[p]).sum::<f64>() / open.len() as f64;
            let score = c.score.unwrap();
            assert!((score - mean).abs() < 1e-12, "{score} vs {mean}");
            assert!((0.0..=1.0).contains(&score));
        }
    }

    #[test]
    fn bad_requests_are_refused_with_a_message() {
        let (_t, eco) = eco();
        let ask = |field: &str, with: &[&str], top| {
            candidate_consortia(&eco, &request(field, with, top))
                .unwrap_err()
                .to_string()
        };
        assert!(ask("bio", &[], 5).contains("--with"));
        assert!(ask("space", &["univ:a"], 5).contains("space"));
        assert!(ask("bio", &["proj:1"], 5).contains("project"));
        assert!(ask("bio", &["univ:zz"], 5).contains("univ:zz"));
        assert!(ask("bio", &["univ:a"], 0).contains("candidates"));
    }
}
