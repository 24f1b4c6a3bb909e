//! Ranking: the area under the ROC curve, and a bounded best-k collector whose result does
//! not depend on the order items arrive in (so per-thread collectors merge into exactly the
//! sequential answer).
//!
//! Ranking order everywhere: score descending, then a tie-break key ascending (callers pass
//! a seeded hash of the item, so that equal scores are ordered at random but reproducibly),
//! then the item itself ascending.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Area under the ROC curve of `scores` against `positive`: the probability that a random
/// positive outscores a random negative, ties counting one half (the Mann–Whitney U
/// statistic with average ranks). `NaN` without positives or without negatives.
pub fn auc(scores: &[f64], positive: &[bool]) -> f64 {
    let n_pos = positive.iter().filter(|&&p| p).count();
    let n_neg = positive.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return f64::NAN;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        // Ranks i+1 ..= j+1 share their average.
        let average = (i + j + 2) as f64 / 2.0;
        rank_sum += average * order[i..=j].iter().filter(|&&k| positive[k]).count() as f64;
        i = j + 1;
    }
    (rank_sum - (n_pos as f64) * (n_pos as f64 + 1.0) / 2.0) / (n_pos as f64 * n_neg as f64)
}

/// One ranked item.
#[derive(Debug, Clone, Copy)]
pub struct Ranked<T> {
    /// Its score (higher ranks first).
    pub score: f64,
    /// Tie-break key (lower ranks first among equal scores).
    pub key: u64,
    /// The item.
    pub item: T,
}

impl<T: Ord> Ranked<T> {
    /// `Less` when `self` ranks before `other`.
    fn rank_cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.key.cmp(&other.key))
            .then(self.item.cmp(&other.item))
    }
}

impl<T: Ord> PartialEq for Ranked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.rank_cmp(other) == Ordering::Equal
    }
}

impl<T: Ord> Eq for Ranked<T> {}

impl<T: Ord> PartialOrd for Ranked<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord> Ord for Ranked<T> {
    /// Greater means ranked later, so a max-heap keeps the worst kept item on top.
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank_cmp(other)
    }
}

/// Keeps the `k` best items offered, in O(log k) per offer.
#[derive(Debug, Clone)]
pub struct TopK<T: Ord> {
    k: usize,
    heap: BinaryHeap<Ranked<T>>,
}

impl<T: Ord> TopK<T> {
    /// A collector of at most `k` items.
    pub fn new(k: usize) -> Self {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(1 << 16) + 1),
        }
    }

    /// The score an item must beat to enter (−∞ while fewer than `k` are kept).
    pub fn threshold(&self) -> f64 {
        if self.heap.len() < self.k {
            f64::NEG_INFINITY
        } else {
            self.heap.peek().map_or(f64::NEG_INFINITY, |r| r.score)
        }
    }

    /// Whether an item with `score` and `key` would be kept (assuming its item does not
    /// decide a tie): lets callers skip building items that cannot enter.
    pub fn admits(&self, score: f64, key: u64) -> bool {
        if self.heap.len() < self.k {
            return self.k > 0;
        }
        self.heap.peek().is_some_and(|worst| {
            match worst.score.total_cmp(&score) {
                Ordering::Less => true,
                Ordering::Greater => false,
                Ordering::Equal => key <= worst.key,
            }
        })
    }

    /// Offers one item.
    pub fn offer(&mut self, score: f64, key: u64, item: T) {
        if self.k == 0 {
            return;
        }
        let entry = Ranked { score, key, item };
        if self.heap.len() < self.k {
            self.heap.push(entry);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if entry < *worst {
                *worst = entry;
            }
        }
    }

    /// Adds every item `other` kept.
    pub fn merge(&mut self, other: TopK<T>) {
        for r in other.heap {
            self.offer(r.score, r.key, r.item);
        }
    }

    /// Items kept so far.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// The kept items, best first.
    pub fn into_sorted(self) -> Vec<Ranked<T>> {
        self.heap.into_sorted_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_known_rankings() {
        assert_eq!(auc(&[0.9, 0.8, 0.1, 0.2], &[true, true, false, false]), 1.0);
        assert_eq!(auc(&[0.1, 0.2, 0.9, 0.8], &[true, true, false, false]), 0.0);
        assert_eq!(
            auc(&[0.9, 0.3, 0.5, 0.1], &[true, true, false, false]),
            0.75
        );
        assert_eq!(auc(&[1.0; 4], &[true, false, true, false]), 0.5);
        assert_eq!(auc(&[0.5, 0.5, 0.1], &[true, false, false]), 0.75);
        assert!(auc(&[1.0], &[true]).is_nan());
    }

    #[test]
    fn top_k_keeps_the_best_in_rank_order_whatever_the_arrival_order() {
        let items: Vec<(f64, u64, u32)> = (0..100u32)
            .map(|i| (f64::from(i % 7), u64::from((i * 37) % 11), i))
            .collect();
        let mut all = TopK::new(10);
        for &(s, k, i) in &items {
            all.offer(s, k, i);
        }
        let mut halves = TopK::new(10);
        let mut other = TopK::new(10);
        for &(s, k, i) in items.iter().rev() {
            if i % 2 == 0 {
                halves.offer(s, k, i);
            } else {
                other.offer(s, k, i);
            }
        }
        halves.merge(other);
        let a: Vec<u32> = all.into_sorted().iter().map(|r| r.item).collect();
        let b: Vec<u32> = halves.into_sorted().iter().map(|r| r.item).collect();
        assert_eq!(a, b);
        // Score 6 first (items 6, 13, …, 97), ordered by key then item.
        let mut expected: Vec<(u64, u32)> = (0..100u32)
            .filter(|i| i % 7 == 6)
            .map(|i| (u64::from((i * 37) % 11), i))
            .collect();
        expected.sort();
        assert_eq!(a, expected.iter().take(10).map(|x| x.1).collect::<Vec<_>>());
    }

    #[test]
    fn threshold_rises_once_full() {
        let mut t = TopK::new(2);
        assert_eq!(t.threshold(), f64::NEG_INFINITY);
        t.offer(1.0, 0, 1u32);
        t.offer(3.0, 0, 2);
        assert_eq!(t.threshold(), 1.0);
        t.offer(2.0, 0, 3);
        assert_eq!(t.threshold(), 2.0);
        assert_eq!(t.len(), 2);
        assert!(TopK::<u32>::new(0).is_empty());
        assert!(t.admits(2.5, 0) && !t.admits(1.5, 0));
        assert!(t.admits(2.0, 0) && !t.admits(2.0, 1));
        assert!(!TopK::<u32>::new(0).admits(9.0, 0));
    }
}
