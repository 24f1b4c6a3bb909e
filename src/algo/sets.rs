//! Sorted sets of node indices (ascending `u32` slices, as CSR rows and attribute lists are):
//! intersection and Jaccard similarity by one merge pass.

use std::cmp::Ordering;

/// Sorted intersection of two ascending lists.
pub fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Size of the intersection of two ascending lists, without building it.
pub fn intersection_size(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// Jaccard similarity `|a ∩ b| / |a ∪ b|` of two ascending lists (0 when both are empty).
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let common = intersection_size(a, b);
    common as f64 / (a.len() + b.len() - common) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_of_sorted_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
        assert_eq!(jaccard(&[1], &[]), 0.0);
    }

    #[test]
    fn intersection_keeps_the_order() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[0, 3, 4, 7, 9]), vec![3, 7]);
        assert_eq!(intersection_size(&[1, 3, 5, 7], &[0, 3, 4, 7, 9]), 2);
        assert!(intersect(&[], &[1]).is_empty());
    }
}
