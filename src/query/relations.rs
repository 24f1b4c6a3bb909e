//! The dated relations behind the collab view's ties, and graphs and node data rebuilt from
//! any subset of them — what link prediction needs to hide ties without leaking them.
//!
//! A tie of the collab view is one or more *relations* ([`crate::graph::Reason`]): a shared
//! project or platform, a contract, an incubation, a declared collaboration. Each relation
//! gets a year and an amount:
//! - a shared node (`via` rules of `schema/collab.toml`): each member's year is the earliest
//!   of its membership edges to the node (undated if any of them is undated), and the
//!   relation exists from the later of the two members' years — exactly when the collab view
//!   restricted to earlier years would have it; each member's amount is its own on its
//!   membership edges;
//! - an edge (`direct` rules): the edge's year, and its amount for both ends.
//!
//! An undated relation counts as always there: it stays in every training graph. A node's
//! *activity* is the number of distinct events (the shared node or the edge, per rule) behind
//! its relations — a project with five members counts once for each of them — and its amount
//! the sum of its own amounts over those events.

use std::collections::HashMap;

use crate::algo::link_features::NodeData;
use crate::graph::{Csr, View, COLLAB_RULES};
use crate::store::Snapshot;

/// How many most recent years count as "recent activity".
pub const RECENT_YEARS: i32 = 2;

/// One relation between two organisations of the view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Relation {
    /// View index of one end (the smaller).
    pub a: u32,
    /// View index of the other end.
    pub b: u32,
    /// Index of the collab rule.
    pub rule: u16,
    /// The shared node or the edge record (snapshot index).
    pub via: u32,
    /// Year from which the relation exists; `None` when undated.
    pub year: Option<i32>,
    /// The amount of end `a` in the event.
    pub amount_a: f64,
    /// The amount of end `b` in the event.
    pub amount_b: f64,
}

/// Every relation of a collab view, in tie order.
#[derive(Debug, Clone)]
pub struct Relations {
    /// The relations.
    pub list: Vec<Relation>,
    /// Nodes of the view.
    pub nodes: usize,
}

/// Membership edge kinds of each `via` rule, by rule name.
fn via_rule_edges() -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    let Ok(value) = COLLAB_RULES.parse::<toml::Table>() else {
        return out;
    };
    let Some(rules) = value.get("via").and_then(|v| v.as_array()) else {
        return out;
    };
    for rule in rules {
        let name = rule.get("name").and_then(|v| v.as_str());
        let edges = rule.get("edges").and_then(|v| v.as_array());
        if let (Some(name), Some(edges)) = (name, edges) {
            out.insert(
                name.to_string(),
                edges
                    .iter()
                    .filter_map(|e| e.as_str().map(str::to_string))
                    .collect(),
            );
        }
    }
    out
}

/// Year (undated wins: it means "always") and amount of one organisation's membership.
#[derive(Debug, Clone, Copy)]
struct Membership {
    year: Option<i32>,
    amount: f64,
}

impl Relations {
    /// The relations of `view` (a collab view of `snapshot`).
    pub fn of(snapshot: &Snapshot, view: &View) -> Relations {
        let rule_edges = via_rule_edges();
        let codes: Vec<Vec<u16>> = view
            .rule_names
            .iter()
            .map(|name| {
                rule_edges.get(name).map_or_else(Vec::new, |edges| {
                    edges
                        .iter()
                        .filter_map(|k| snapshot.edge_kind_code_of(k))
                        .collect()
                })
            })
            .collect();
        let is_via: Vec<bool> = view
            .rule_names
            .iter()
            .map(|name| rule_edges.contains_key(name))
            .collect();
        // Memberships of every shared node, computed once per node.
        let mut memberships: HashMap<(u16, u32), HashMap<u32, Membership>> = HashMap::new();
        let mut list = Vec::new();
        for tie in &view.ties {
            for r in &tie.reasons {
                let year_and_amounts = if is_via[r.rule as usize] {
                    let members = memberships.entry((r.rule, r.via)).or_insert_with(|| {
                        let mut m: HashMap<u32, Membership> = HashMap::new();
                        for &e in snapshot.in_edges(r.via) {
                            let edge = snapshot.edge(e as usize);
                            if !codes[r.rule as usize].contains(&edge.kind_code) {
                                continue;
                            }
                            let Some(member) = view.index_of(edge.source) else {
                                continue;
                            };
                            let amount = edge.amount.unwrap_or(0.0);
                            m.entry(member)
                                .and_modify(|x| {
                                    x.amount += amount;
                                    x.year = match (x.year, edge.year) {
                                        (Some(a), Some(b)) => Some(a.min(b)),
                                        _ => None,
                                    };
                                })
                                .or_insert(Membership {
                                    year: edge.year,
                                    amount,
                                });
                        }
                        m
                    });
                    let none = Membership {
                        year: None,
                        amount: 0.0,
                    };
                    let x = members.get(&tie.a).copied().unwrap_or(none);
                    let y = members.get(&tie.b).copied().unwrap_or(none);
                    let year = match (x.year, y.year) {
                        (Some(p), Some(q)) => Some(p.max(q)),
                        (p, q) => p.or(q),
                    };
                    (year, x.amount, y.amount)
                } else {
                    let edge = snapshot.edge(r.via as usize);
                    let amount = edge.amount.unwrap_or(0.0);
                    (edge.year, amount, amount)
                };
                list.push(Relation {
                    a: tie.a,
                    b: tie.b,
                    rule: r.rule,
                    via: r.via,
                    year: year_and_amounts.0,
                    amount_a: year_and_amounts.1,
                    amount_b: year_and_amounts.2,
                });
            }
        }
        Relations {
            list,
            nodes: view.nodes.len(),
        }
    }

    /// The graph of the relations `keep` accepts (unweighted, undirected).
    pub fn graph(&self, keep: impl Fn(&Relation) -> bool) -> Csr {
        let mut pairs: Vec<(u32, u32)> = self
            .list
            .iter()
            .filter(|r| keep(r))
            .map(|r| (r.a, r.b))
            .collect();
        pairs.dedup();
        Csr::from_pairs(self.nodes, false, &pairs)
    }

    /// The first year of every tie (pair) among the relations: `None` when one of its
    /// relations is undated. Pairs ascending.
    pub fn first_years(&self) -> Vec<((u32, u32), Option<i32>)> {
        let mut out: Vec<((u32, u32), Option<i32>)> = Vec::new();
        for r in &self.list {
            match out.last_mut() {
                Some((pair, year)) if *pair == (r.a, r.b) => {
                    *year = match (*year, r.year) {
                        (Some(p), Some(q)) => Some(p.min(q)),
                        _ => None,
                    };
                }
                _ => out.push(((r.a, r.b), r.year)),
            }
        }
        out
    }

    /// Activity, recent activity and amount of every node over the relations `keep` accepts
    /// (fields and districts left empty for the caller): activity counts distinct events,
    /// recent activity those dated in the last [`RECENT_YEARS`] years of the kept relations,
    /// amount sums the node's own amounts over its events.
    pub fn node_data(&self, keep: impl Fn(&Relation) -> bool) -> NodeData {
        let mut data = NodeData::empty(self.nodes);
        let last = self
            .list
            .iter()
            .filter(|r| keep(r))
            .filter_map(|r| r.year)
            .max();
        // (node, rule, via) → the event's year and the node's amount, once per event.
        let mut events: Vec<(u32, u16, u32, Option<i32>, f64)> = Vec::new();
        for r in self.list.iter().filter(|r| keep(r)) {
            events.push((r.a, r.rule, r.via, r.year, r.amount_a));
            events.push((r.b, r.rule, r.via, r.year, r.amount_b));
        }
        events.sort_unstable_by(|x, y| {
            (x.0, x.1, x.2)
                .cmp(&(y.0, y.1, y.2))
                .then(x.4.total_cmp(&y.4))
        });
        events.dedup_by_key(|e| (e.0, e.1, e.2));
        for (v, _, _, year, amount) in events {
            let v = v as usize;
            data.activity[v] += 1.0;
            data.amount[v] += amount;
            if let (Some(l), Some(y)) = (last, year) {
                if y > l - RECENT_YEARS {
                    data.recent_activity[v] += 1.0;
                }
            }
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{build_view, ViewKind, ViewOptions};
    use crate::model::{EdgeRecord, NodeRecord, PropValue, Props, Schema};
    use crate::store::SnapshotBuilder;

    /// ent:a and ent:b share proj:1 (a from 2019, b from 2021) and sign a contract in 2023;
    /// univ:u contracts with ent:a without a year.
    fn snapshot() -> Snapshot {
        let schema = Schema::builtin();
        let mut b = SnapshotBuilder::new(
            1,
            schema.node_kinds.keys().cloned().collect(),
            schema.edge_kinds.keys().cloned().collect(),
        );
        for (id, kind) in [
            ("ent:a", "enterprise"),
            ("ent:b", "enterprise"),
            ("proj:1", "project"),
            ("univ:u", "university"),
        ] {
            b.push_node(&NodeRecord {
                id: id.into(),
                kind: kind.into(),
                name: id.into(),
                name_en: None,
                props: Props::new(),
            })
            .unwrap();
        }
        let edge = |s: &str, t: &str, k: &str, key: &str, year: Option<i64>, amount: f64| {
            let mut props = Props::new();
            if let Some(y) = year {
                props.insert("year".into(), PropValue::Int(y));
            }
            props.insert("amount".into(), PropValue::Float(amount));
            EdgeRecord {
                source: s.into(),
                target: t.into(),
                kind: k.into(),
                key: key.into(),
                weight: None,
                props,
            }
        };
        for e in [
            edge("ent:a", "ent:b", "contracts_with", "c1", Some(2023), 5.0),
            edge("ent:a", "proj:1", "participates_in", "", Some(2019), 1.0),
            edge("ent:b", "proj:1", "leads", "", Some(2021), 2.0),
            edge("univ:u", "ent:a", "contracts_with", "c2", None, 7.0),
        ] {
            b.push_edge(&e).unwrap();
        }
        b.finish()
    }

    #[test]
    fn activity_counts_events_not_partners() {
        let r = |a: u32, b: u32, via: u32| Relation {
            a,
            b,
            rule: 0,
            via,
            year: Some(2020),
            amount_a: f64::from(a + 1),
            amount_b: f64::from(b + 1),
        };
        // One project (9) of three members, and a second event (10) between 0 and 1.
        let rel = Relations {
            list: vec![r(0, 1, 9), r(0, 2, 9), r(1, 2, 9), r(0, 1, 10)],
            nodes: 3,
        };
        let data = rel.node_data(|_| true);
        assert_eq!(data.activity, vec![2.0, 2.0, 1.0]);
        assert_eq!(data.amount, vec![2.0, 4.0, 3.0]);
        assert_eq!(data.recent_activity, vec![2.0, 2.0, 1.0]);
    }

    #[test]
    fn relations_carry_the_year_they_start_and_their_amount() {
        let s = snapshot();
        let view = build_view(
            &s,
            &Schema::builtin(),
            &ViewOptions {
                kind: ViewKind::Collab,
                ..Default::default()
            },
        )
        .unwrap();
        let rel = Relations::of(&s, &view);
        let idx = |id: &str| view.index_of(s.node_index(id).unwrap()).unwrap();
        let (a, b, u) = (idx("ent:a"), idx("ent:b"), idx("univ:u"));
        let ab: Vec<&Relation> = rel.list.iter().filter(|r| (r.a, r.b) == (a, b)).collect();
        assert_eq!(ab.len(), 2);
        let project = ab.iter().find(|r| r.year == Some(2021)).unwrap();
        assert_eq!(
            project.amount_a + project.amount_b,
            3.0,
            "each member's amount"
        );
        assert!(ab.iter().any(|r| r.year == Some(2023) && r.amount_a == 5.0));
        assert_eq!(
            rel.first_years(),
            vec![((a, b), Some(2021)), ((a.min(u), a.max(u)), None)]
        );
        // Before 2021 only the undated contract remains.
        let before = rel.graph(|r| r.year.is_none_or(|y| y < 2021));
        assert_eq!(before.edge_count(), 1);
        assert!(before.out_neighbors(u as usize).contains(&a));
        let data = rel.node_data(|_| true);
        assert_eq!(data.activity[a as usize], 3.0);
        assert_eq!(data.amount[a as usize], 1.0 + 5.0 + 7.0);
        assert_eq!(data.amount[b as usize], 2.0 + 5.0);
        // Last year 2023: 2022 and 2023 are recent.
        assert_eq!(data.recent_activity[a as usize], 1.0);
        assert_eq!(data.recent_activity[u as usize], 0.0);
    }
}
