//! Ranking: the area under the ROC curve, and a bounded best-k collector whose result does
//! not depend on the order items arrive in (so per-thread collectors merge into exactly the
//! sequential answer).
//!
//! Ranking order everywhere: score descending, then a tie-break key ascending (callers pass
//! a seeded hash of the item, so that equal scores are ordered at random but reproducibly),
//! then the item itself ascending.

use std::cmp::Ordering;

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
    /// Greater means ranked later.
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank_cmp(other)
    }
}

/// Keeps the `k` best items offered, in amortised O(1) per offer: items better than the
/// current bar go into a buffer; when it holds `2k`, the `k` best are selected (linear time)
/// and the bar rises to the worst of them. Items that cannot enter cost one comparison.
#[derive(Debug, Clone)]
pub struct TopK<T: Ord> {
    k: usize,
    items: Vec<Ranked<T>>,
    /// Score and key of the worst item kept at the last pruning: nothing ranked after it
    /// can be among the best `k`.
    bar: Option<(f64, u64)>,
}

impl<T: Ord> TopK<T> {
    /// A collector of at most `k` items.
    pub fn new(k: usize) -> Self {
        TopK {
            k,
            items: Vec::new(),
            bar: None,
        }
    }

    /// A score below which nothing can enter (−∞ until the first pruning).
    pub fn threshold(&self) -> f64 {
        self.bar.map_or(f64::NEG_INFINITY, |b| b.0)
    }

    /// Whether an item with `score` and `key` may be kept (assuming its item does not decide
    /// a tie): lets callers skip building items that cannot enter.
    pub fn admits(&self, score: f64, key: u64) -> bool {
        if self.k == 0 {
            return false;
        }
        match self.bar {
            None => true,
            Some((s, k)) => match s.total_cmp(&score) {
                Ordering::Less => true,
                Ordering::Greater => false,
                Ordering::Equal => key <= k,
            },
        }
    }

    /// Offers one item.
    pub fn offer(&mut self, score: f64, key: u64, item: T) {
        if !self.admits(score, key) {
            return;
        }
        self.items.push(Ranked { score, key, item });
        if self.items.len() >= 2 * self.k.max(1) {
            self.prune();
        }
    }

    /// Keeps the best `k` of the buffer and raises the bar.
    fn prune(&mut self) {
        if self.items.len() > self.k {
            self.items.select_nth_unstable(self.k);
            self.items.truncate(self.k);
        }
        if self.items.len() == self.k {
            if let Some(worst) = self.items.iter().max() {
                self.bar = Some((worst.score, worst.key));
            }
        }
    }

    /// Adds every item `other` kept.
    pub fn merge(&mut self, other: TopK<T>) {
        for r in other.items {
            self.offer(r.score, r.key, r.item);
        }
    }

    /// Items held (at most `2k` before [`TopK::into_sorted`] cuts to `k`).
    pub fn len(&self) -> usize {
        self.items.len().min(self.k)
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The best `k` items, best first.
    pub fn into_sorted(mut self) -> Vec<Ranked<T>> {
        self.items.sort_unstable();
        self.items.truncate(self.k);
        self.items
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
    fn threshold_rises_once_pruned() {
        let mut t = TopK::new(2);
        assert_eq!(t.threshold(), f64::NEG_INFINITY);
        t.offer(1.0, 0, 1u32);
        t.offer(3.0, 0, 2);
        t.offer(2.0, 0, 3);
        assert_eq!(t.threshold(), f64::NEG_INFINITY);
        t.offer(0.5, 0, 4);
        // Four held: pruned to the best two, the bar at 2.0.
        assert_eq!(t.threshold(), 2.0);
        assert_eq!(t.len(), 2);
        assert!(TopK::<u32>::new(0).is_empty());
        assert!(t.admits(2.5, 0) && !t.admits(1.5, 0));
        assert!(t.admits(2.0, 0) && !t.admits(2.0, 1));
        assert!(!TopK::<u32>::new(0).admits(9.0, 0));
    }
}
